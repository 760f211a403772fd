// SPDX-License-Identifier: GPL-2.0
/*
 * inject.c - ns to ticks and the busy-wait's calibration step (inject.h).
 */
#include <math.h>

#include "inject.h"

double mb_ns_to_ticks(double ns, double hz)
{
	return ns * hz / 1e9;
}

double mb_ticks_to_ns(double ticks, double hz)
{
	return ticks * 1e9 / hz;
}

long long mb_inject_target(double want, long long target, double measured)
{
	double t = want - (measured - (double)target);

	if (!isfinite(t) || t <= 0)
		return 0;
	if (t > 1e18)		/* 30 years at 1 GHz: --inject-ns stops far below */
		t = 1e18;
	return llround(t);
}
