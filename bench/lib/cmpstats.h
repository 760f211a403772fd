/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmpstats.h - two-sample statistics for comparing result sets: the Mann-Whitney U
 * test and a bootstrap confidence interval of a ratio of medians.  Pure functions like
 * stats.h (which they build on): no I/O, no globals; -ENOMEM if scratch memory fails.
 *
 * Mann-Whitney U (Wilcoxon rank-sum), two-sided.  Ranks of the pooled samples, tied
 * values sharing the mean of their ranks (midranks).  U of x = R_x - nx (nx + 1) / 2
 * = #{(i, j): x_i > y_j} + #{x_i = y_j} / 2, R_x the sum of x's ranks.
 *  - exact when nx <= MB_MW_EXACT_MAX and ny <= MB_MW_EXACT_MAX: the permutation
 *    distribution of R_x over all C(nx + ny, nx) ways of splitting the observed
 *    (mid)ranks into the two groups, counted by dynamic programming.  Without ties
 *    this is the classical table (R's wilcox.test(exact = TRUE)); with ties it is the
 *    exact test conditional on the tie pattern, which R only approximates.  Two-sided
 *    p = min(1, 2 min(P(R_x <= r), P(R_x >= r))), twice the smaller tail, as R does.
 *  - otherwise the normal approximation with the tie correction
 *    var U = nx ny / 12 ((N + 1) - sum(t^3 - t) / (N (N - 1))), N = nx + ny, t the
 *    size of each group of ties, and a continuity correction of 1/2 towards the mean
 *    (R's wilcox.test(correct = TRUE)); p = erfc(|z| / sqrt 2).  All values tied: p = 1.
 *
 * Ratio of medians: see mb_ratio_ci(); one side's median by run: mb_runs_median_ci().
 */
#ifndef MB_CMPSTATS_H
#define MB_CMPSTATS_H

#include <stddef.h>
#include <stdint.h>

#define MB_MW_EXACT_MAX	20

struct mb_mw {
	double u;	/* U of x, as above; U of y = nx ny - u */
	double z;	/* normal approximation's z (sign: x above y > 0); 0 if exact */
	double p;	/* two-sided p-value */
	int exact;	/* 1: exact permutation distribution; 0: normal approximation */
};

/*
 * The test on x[0..nx-1] and y[0..ny-1] (any order, not modified).  0, or -EINVAL
 * (nx = 0, ny = 0, a non-finite value), -ENOMEM.
 */
int mb_mann_whitney(const double *x, size_t nx, const double *y, size_t ny,
		    struct mb_mw *r);

/*
 * The samples of one side, by run: run i has n[i] samples at x[i][0..n[i]-1] (any order).
 * Every run has at least one sample.
 */
struct mb_runset {
	size_t nruns;
	const double *const *x;
	const size_t *n;
};

/*
 * Percentile-bootstrap interval at `level` (e.g. 0.95) of
 *	median(patched samples, pooled) / median(base samples, pooled).
 * Each of B replicates resamples each side in two stages, as the data were made: its
 * nruns runs drawn with replacement, then from each drawn run as many samples as it
 * has, with replacement; the pooled resample's median (type 7).  Run-to-run variation
 * therefore widens the interval when a side has several runs; with one run a side this
 * is the ordinary bootstrap of the samples, which cannot see it.  The interval is the
 * type-7 quantiles (1 - level)/2 and (1 + level)/2 of the B ratios.  One splitmix64
 * stream seeded with `seed`, base then patched in every replicate: same data, same
 * seed, same interval.
 * 0, or -EINVAL (a side with no run, a run with no sample, a non-finite sample, B = 0,
 * level outside (0, 1)), -EDOM (a base replicate's median is 0: no ratio), -ENOMEM.
 */
int mb_ratio_ci(const struct mb_runset *base, const struct mb_runset *patched,
		unsigned B, uint64_t seed, double level, double *lo, double *hi);

/*
 * Percentile-bootstrap interval at `level` of the median of one side's pooled samples,
 * each of B replicates resampled in the same two stages as mb_ratio_ci() (runs, then
 * samples within each drawn run): the interval of a result set's median that
 * run-to-run variation widens.  One splitmix64 stream seeded with `seed`.
 * 0, or -EINVAL (no run, a run with no sample, a non-finite sample, B = 0, level
 * outside (0, 1)), -ENOMEM.
 */
int mb_runs_median_ci(const struct mb_runset *s, unsigned B, uint64_t seed, double level,
		      double *lo, double *hi);

/*
 * The verdict for a deterministic clock (icount).  Within one boot the samples of a
 * metric hardly vary (their CI is ~0 wide), so what decides is how the boots vary:
 * the test is Mann-Whitney U on the boots' medians (one value a boot), and a change
 * is flagged only when p < MB_BOOT_ALPHA and the change of the median of boot
 * medians is at least MB_BOOT_MIN_CHANGE %.  The exact test on 5 boots a side can
 * reach p = 2 / C(10, 5) = 0.0079 < 0.01; 4 a side cannot go below 2 / 70 = 0.029, so
 * MB_BOOT_MIN_RUNS = 5 is the fewest boots a side that can give a verdict at all.
 * Under the null hypothesis (same kernel, boots exchangeable) the false alarm rate
 * of a row is at most MB_BOOT_ALPHA, bimodal rows included: a boot's mode is drawn
 * anew every boot, on both sides alike.
 */
#define MB_BOOT_ALPHA		0.01
#define MB_BOOT_MIN_CHANGE	0.1	/* % */
#define MB_BOOT_MIN_RUNS	5

struct mb_boot_verdict {
	double base, patched;	/* median of each side's boot medians */
	double change;		/* (patched / base - 1) x 100; NaN if base is 0 */
	struct mb_mw mw;	/* on the boot medians: x patched, y base */
	int significant;	/* p < MB_BOOT_ALPHA and |change| >= MB_BOOT_MIN_CHANGE */
};

/* 0, or -EINVAL (a side empty, a non-finite value), -ENOMEM. */
int mb_boot_verdict(const double *base, size_t nb, const double *patched, size_t np,
		    struct mb_boot_verdict *v);

/*
 * Bimodal boots: the n boot medians (n >= 3, any order) fall into two groups,
 * split at the widest gap between neighbours in sorted order, where that gap is at
 * least MB_BIMODAL_GAP % of the lower group's top and at least 4 times the wider
 * group's own range.  1 bimodal, 0 not, -EINVAL (non-finite), -ENOMEM.
 */
#define MB_BIMODAL_GAP	2.0	/* % */
int mb_bimodal(const double *x, size_t n);

#endif /* MB_CMPSTATS_H */
