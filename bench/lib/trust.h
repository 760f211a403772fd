/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trust.h - the arithmetic of mmapbench-trust (how far to trust the numbers): the
 * spread of run medians, rates, and the minimum detectable effect.  Pure functions:
 * no I/O, no globals.
 */
#ifndef MB_TRUST_H
#define MB_TRUST_H

#include <stddef.h>

/* z quantiles used by the spread-based MDE */
#define MB_Z_975	1.959963984540054	/* two-sided 95 % */
#define MB_Z_90		1.2815515655446004	/* one-sided, power 90 % */

struct mb_spread {
	size_t n;
	double mean, stddev;	/* stddev: sample (n - 1) */
	double cv;		/* stddev / mean x 100; NaN when n < 2 or mean == 0 */
	double min, max;
};

/* Spread of x[0..n-1] (e.g. the medians of n runs).  0, or -EINVAL (n = 0 or a
 * non-finite value). */
int mb_spread(const double *x, size_t n, struct mb_spread *s);

/* k of n as a fraction; NaN when n == 0. */
double mb_rate(size_t k, size_t n);

/*
 * The smallest level[i] (e.g. injected %) whose rate[i] >= threshold, levels in any
 * order; NaN when none reaches it (or n == 0).  NaN rates never qualify.
 */
double mb_mde_levels(const double *level, const double *rate, size_t n, double threshold);

/*
 * The effect the comparison detects with 90 % power from the observed spread: a
 * change is flagged when its 95 % CI excludes 0, i.e. when the estimate exceeds the
 * CI's half-width h = z.975 s; it does so in 90 % of pairs when the true effect is
 * h + z.90 s = h (1 + z.90 / z.975) = 1.6539 h.  h in %, result in %; NaN if h is.
 */
double mb_mde_spread(double halfwidth);

#endif /* MB_TRUST_H */
