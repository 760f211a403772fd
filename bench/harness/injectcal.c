// SPDX-License-Identifier: GPL-2.0
/*
 * injectcal.c - --inject-ns: calibrating the busy-wait against the run's counter
 * (the arithmetic is lib/inject.c).
 */
#include <math.h>
#include <stddef.h>

#include "core.h"
#include "inject.h"

void mb_inject_calibrate(struct mb_run *r, struct mb_inject *in)
{
	size_t m;
	double meas = 0;

	in->want_ticks = mb_ns_to_ticks(in->ns, r->ctr.hz_start);
	/* batches of about 50 us (at least 1 spin, at most 1000 of the shortest) */
	m = in->ns < 5e4 ? (size_t)(5e4 / in->ns) : 1;
	if (m > 1000)
		m = 1000;
	in->target = llround(in->want_ticks);
	for (in->rounds = 0; in->rounds < 3; in->rounds++) {
		meas = mb_spin_mean(in->target, m);
		in->cost_ticks = meas - (double)in->target;
		in->target = mb_inject_target(in->want_ticks, in->target, meas);
	}
	meas = mb_spin_mean(in->target, m);
	in->cost_ticks = meas - (double)in->target;
	in->achieved_ns = mb_ticks_to_ns(meas, r->ctr.hz_start);
}
