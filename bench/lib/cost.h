/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cost.h - what an op costs (issue #13): the arithmetic of the headline figure, of
 * the counter's step and of the bare-loop cross-check.  Pure functions, no I/O.
 *
 *  - A sample's mean: its batch (timing batch) or its K single timings (timing
 *    each, `group` = K) averaged: the cost per op of a stretch of K ops, whatever
 *    work the kernel defers and pays in bursts inside it.  The harness quotes the
 *    median of those (finalize.c); the mean of them all is total time over total
 *    ops (every sample of a metric has the same K), with a 95 % Student t interval
 *    over the sample means: mean +- t(0.975, g - 1) s / sqrt(g), g samples, s their
 *    sample stddev.  Both cover the variation between the samples of one run,
 *    never between runs.
 *  - The counter's step: the smallest positive difference between two distinct
 *    values of a set of tick counts (timings of single ops, or of two reads), the
 *    granularity the samples actually move in.
 *  - The cross-check ratio: harness per-op figure / bare loop per-op figure, or
 *    / will-it-scale's (1e9 / its iterations a second, ns per op).
 */
#ifndef MB_COST_H
#define MB_COST_H

#include <stddef.h>

/* Student's t quantile t(0.975, df), df >= 1 (exact table to 30, then a series). */
double mb_t975(size_t df);

struct mb_mean_ci {
	size_t groups;		/* samples: n / group */
	double mean;		/* mean of the sample means */
	double stddev;		/* sample stddev of the sample means (0 when groups = 1) */
	double lo, hi;		/* 95 % t interval; lo = hi = mean when groups = 1 */
};

/*
 * out[k] = the mean of x[k group .. (k + 1) group - 1], k < n / group: the sample
 * means.  Returns n / group, or -EINVAL (n = 0, group = 0, n not a multiple of it).
 */
long mb_group_means(const double *x, size_t n, size_t group, double *out);

/*
 * The mean of x[0..n-1] taken `group` consecutive values at a time (each group one
 * sample) and its 95 % CI over the groups.  0, or -EINVAL: n = 0, group = 0, n not a
 * multiple of group, or a non-finite value.
 */
int mb_mean_ci95(const double *x, size_t n, size_t group, struct mb_mean_ci *out);

/*
 * Smallest positive difference between distinct values of v[0..n-1] (sorted in
 * place); 0 when fewer than two distinct values.
 */
long long mb_min_step(long long *v, size_t n);

/*
 * The cross-check of one workload: the harness's per-op figure against a bare
 * loop's, each as the mean over processes (or runs) with its spread.
 */
struct mb_xcheck {
	double harness, bare;	/* per op, same unit */
	double ratio;		/* harness / bare; NaN when bare <= 0 */
	double spread;		/* the bare loops' relative spread: (max - min) / mean */
	int within;		/* |ratio - 1| <= max(spread, tol) */
};

/*
 * bare[0..nb-1]: per-op figures of nb bare-loop processes; h: the harness's.
 * tol: the tolerance when the processes agree better than it (e.g. 0.01).
 * 0, or -EINVAL (nb = 0, a non-finite or non-positive value).
 */
int mb_xcheck_eval(double h, const double *bare, size_t nb, double tol,
		   struct mb_xcheck *out);

/*
 * page_fault1 like with like: will-it-scale's iteration maps the region, touches
 * every page and unmaps it (munmap freeing every page); the harness's fault figure
 * times the touches only.  The harness's per-page figure h plus the bare loop's
 * per-page share of the rest of its iteration, bare_whole - bare_touch (the mmap and
 * the munmap's freeing, measured in the same bare processes): a harness figure of the
 * whole iteration, to divide by will-it-scale's.  0 (*out), or -EINVAL: a non-finite
 * or non-positive value, or bare_whole < bare_touch.
 */
int mb_xcheck_whole(double h, double bare_touch, double bare_whole, double *out);

/*
 * will-it-scale's figure: the last "average:N" line of its output (N iterations a
 * second over its measured seconds, all tasks: pairs for mmap1, pages for
 * page_fault1).  0 (*per_sec = N), or -EINVAL: no such line, or N not a positive
 * whole number.
 */
int mb_wis_average(const char *out, double *per_sec);

#endif /* MB_COST_H */
