/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stats.h - descriptive statistics of samples.  Pure functions: no I/O, no globals;
 * they allocate scratch memory and return -ENOMEM if that fails.
 *
 * Definitions (also recorded in every results file, env.stats):
 *  - quantile(p): linear interpolation between order statistics, Hyndman & Fan type 7
 *    (R's default, numpy's "linear"): with x sorted ascending and h = (n - 1) p,
 *    q = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]).
 *    The median is quantile(0.5): the middle value, or the mean of the two middle ones.
 *  - stddev: sample standard deviation (divisor n - 1); 0 when n = 1.
 *  - mad: median absolute deviation from the median, unscaled (no 1.4826 factor).
 *  - ci95: percentile bootstrap of the median: B resamples of size n drawn with
 *    replacement (splitmix64 seeded with `seed`), the median of each, and the type-7
 *    quantiles 0.025 and 0.975 of those B medians.  Same data and seed, same interval.
 */
#ifndef MB_STATS_H
#define MB_STATS_H

#include <stddef.h>
#include <stdint.h>

#ifndef MB_BOOTSTRAP_B		/* tests/fuzz builds fuzz_compare with fewer rounds */
#define MB_BOOTSTRAP_B	2000
#endif

struct mb_stats {
	size_t n;
	double min, max, mean, stddev;
	double median, p90, p99, mad;
	double ci95_lo, ci95_hi;
};

/* splitmix64 (Steele, Lea, Flood 2014): the next value; advances *state. */
uint64_t mb_splitmix64(uint64_t *state);

/* Uniform in [0, n) without modulo bias (n > 0). */
uint64_t mb_rand_below(uint64_t *state, uint64_t n);

/* Type-7 quantile of sorted[0..n-1]; n >= 1, 0 <= p <= 1. */
double mb_quantile(const double *sorted, size_t n, double p);

/* Sort ascending in place (doubles, no NaN). */
void mb_sort(double *x, size_t n);

/*
 * The median (type 7) of the multiset holding cnt[j] copies of sorted[j], j < n, with
 * total = sum of cnt[] >= 1: the order statistic of rank (total - 1) / 2 and of rank
 * total / 2 (0-based), averaged.  O(n), no sorting: how the bootstraps read a resample.
 */
double mb_median_counts(const double *sorted, size_t n, const uint32_t *cnt,
			size_t total);

/*
 * Percentile-bootstrap confidence interval of the median at `level` (e.g. 0.95) from
 * sorted[0..n-1].  0, or -EINVAL (n = 0, B = 0, level outside (0, 1)), -ENOMEM.
 */
int mb_median_ci(const double *sorted, size_t n, unsigned B, uint64_t seed,
		 double level, double *lo, double *hi);

/*
 * All of struct mb_stats for x[0..n-1] (x is not modified).  0, or -EINVAL for n = 0,
 * B = 0 or a non-finite value in x, -ENOMEM.
 */
int mb_stats_compute(const double *x, size_t n, unsigned B, uint64_t seed,
		     struct mb_stats *st);

/*
 * Power-of-two histogram: counts[b] = number of x with 2^b <= x < 2^(b+1) for
 * b >= 1, counts[0] = number of x < 2 (including zero and negatives); values at or
 * beyond 2^nb land in counts[nb - 1].  Returns the number of the highest non-empty
 * bucket plus one (0 if n = 0).
 */
size_t mb_log2_hist(const double *x, size_t n, uint64_t *counts, size_t nb);

#endif /* MB_STATS_H */
