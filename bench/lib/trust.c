// SPDX-License-Identifier: GPL-2.0
/*
 * trust.c - spread of run medians, rates, minimum detectable effect (trust.h).
 */
#include <errno.h>
#include <math.h>

#include "trust.h"

int mb_spread(const double *x, size_t n, struct mb_spread *s)
{
	double sum = 0, ss = 0;

	if (!n)
		return -EINVAL;
	s->n = n;
	s->min = s->max = x[0];
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(x[i]))
			return -EINVAL;
		sum += x[i];
		if (x[i] < s->min)
			s->min = x[i];
		if (x[i] > s->max)
			s->max = x[i];
	}
	s->mean = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		ss += (x[i] - s->mean) * (x[i] - s->mean);
	s->stddev = n > 1 ? sqrt(ss / (double)(n - 1)) : 0;
	s->cv = n > 1 && s->mean != 0 ? s->stddev / fabs(s->mean) * 100 : NAN;
	return 0;
}

double mb_rate(size_t k, size_t n)
{
	return n ? (double)k / (double)n : NAN;
}

double mb_mde_levels(const double *level, const double *rate, size_t n, double threshold)
{
	double best = NAN;

	for (size_t i = 0; i < n; i++)
		if (rate[i] >= threshold && (isnan(best) || level[i] < best))
			best = level[i];
	return best;
}

double mb_mde_spread(double halfwidth)
{
	return halfwidth * (1 + MB_Z_90 / MB_Z_975);
}
