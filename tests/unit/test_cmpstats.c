// SPDX-License-Identifier: GPL-2.0
/*
 * test_cmpstats.c - bench/lib/cmpstats.c (Mann-Whitney U, bootstrap CI of a ratio of
 * medians) against hand-computed and published values, and an independent
 * brute-force enumeration of the exact distribution.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "cmpstats.h"
#include "stats.h"
#include "../tap.h"

static struct mb_mw mw(const double *x, size_t nx, const double *y, size_t ny)
{
	struct mb_mw r;

	if (mb_mann_whitney(x, nx, y, ny, &r)) {
		memset(&r, 0, sizeof(r));
		r.p = NAN;
	}
	return r;
}

static void mw_complete_separation(void)
{
	/*
	 * x = {1,2,3}, y = {4,5,6}: x holds ranks 1..3, R_x = 6, U_x = 6 - 3*4/2 = 0.
	 * Of the C(6,3) = 20 equally likely splits only {1,2,3} has R <= 6, so
	 * P(U <= 0) = 1/20 and the two-sided p = 2/20 = 0.1 (the smallest p 3 vs 3 can give).
	 */
	double x3[] = { 3, 1, 2 }, y3[] = { 6, 4, 5 };
	double x4[] = { 1, 2, 3, 4 }, y4[] = { 5, 6, 7, 8 };
	struct mb_mw r = mw(x3, 3, y3, 3);

	ok(r.exact, "3 vs 3: exact distribution");
	is_num(r.u, 0, 0, "3 vs 3 separated: U = 0");
	is_num(r.p, 0.1, 1e-15, "3 vs 3 separated: p = 2/C(6,3) = 0.1");
	r = mw(y3, 3, x3, 3);
	is_num(r.u, 9, 0, "swapped: U = nx ny - 0 = 9");
	is_num(r.p, 0.1, 1e-15, "swapped: same two-sided p");
	/* 4 vs 4: 2/C(8,4) = 2/70 = 1/35 */
	r = mw(x4, 4, y4, 4);
	is_num(r.p, 1.0 / 35, 1e-15, "4 vs 4 separated: p = 2/70 = 1/35");
}

static void mw_hollander_wolfe(void)
{
	/*
	 * Hollander & Wolfe (1973), p. 69, the example in R's ?wilcox.test:
	 * wilcox.test(x, y, alternative = "greater") gives W = 35, p-value = 0.1272.
	 * W is U of x; the two-sided p is twice that: 764/3003 = 0.254412...
	 * (382 of the C(15,5) = 3003 splits have U_x >= 35; enumerated with fractions.)
	 */
	double x[] = { 0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46 };
	double y[] = { 1.15, 0.88, 0.90, 0.74, 1.21 };
	struct mb_mw r = mw(x, 10, y, 5);

	is_num(r.u, 35, 0, "Hollander-Wolfe: U = W = 35 (R)");
	is_num(r.p, 764.0 / 3003, 1e-14, "Hollander-Wolfe: two-sided p = 2 x 0.1272 = 764/3003");
}

static void mw_table_n8(void)
{
	/*
	 * Published critical value (Mann & Whitney 1947; e.g. Siegel & Castellan 1988,
	 * table J): for n1 = n2 = 8 the two-sided 0.05 critical U is 13, i.e.
	 * P(U <= 13) <= 0.025 < P(U <= 14).  Counting the 12870 splits: 321 have U <= 13
	 * (p = 642/12870 = 0.04988), 418 have U <= 14 (p = 836/12870 = 0.06496).
	 * x holding ranks {1..6, 13, 15}: R = 49, U = 49 - 36 = 13; {1..6, 14, 15}: U = 14.
	 */
	double x13[] = { 1, 2, 3, 4, 5, 6, 13, 15 }, y13[] = { 7, 8, 9, 10, 11, 12, 14, 16 };
	double x14[] = { 1, 2, 3, 4, 5, 6, 14, 15 }, y14[] = { 7, 8, 9, 10, 11, 12, 13, 16 };
	struct mb_mw r13 = mw(x13, 8, y13, 8), r14 = mw(x14, 8, y14, 8);

	is_num(r13.u, 13, 0, "8 vs 8: U = 13");
	is_num(r13.p, 642.0 / 12870, 1e-14, "8 vs 8, U = 13: p = 642/12870 < 0.05 (table)");
	is_num(r14.u, 14, 0, "8 vs 8: U = 14");
	is_num(r14.p, 836.0 / 12870, 1e-14, "8 vs 8, U = 14: p = 836/12870 > 0.05 (table)");
}

static void mw_ties(void)
{
	/*
	 * x = {1,2,2,3}, y = {2,3,3,4}.  Pooled, sorted: 1 | 2 2 2 | 3 3 3 | 4; midranks
	 * 1, (2+3+4)/3 = 3, (5+6+7)/3 = 6, 8.  R_x = 1 + 3 + 3 + 6 = 13, U_x = 13 - 10 = 3
	 * (pairs: x=1 beats none; each x=2 ties one y=2: 2 x 1/2; x=3 beats y=2 and ties
	 * two y=3: 1 + 1; total 3).  Exact conditional: of the 70 splits of the scores
	 * {1,3,3,3,6,6,6,8}, 10 have R <= 13 and 69 have R >= 13: p = 2 x 10/70 = 2/7.
	 */
	double x[] = { 1, 2, 2, 3 }, y[] = { 2, 3, 3, 4 };
	double same[] = { 5, 5, 5 };
	struct mb_mw r = mw(x, 4, y, 4);

	is_num(r.u, 3, 0, "ties: U counts a tie as 1/2 (U = 3)");
	is_num(r.p, 2.0 / 7, 1e-14, "ties: exact conditional p = 2/7");
	r = mw(same, 3, same, 3);
	is_num(r.u, 4.5, 0, "all values tied: U = nx ny / 2");
	is_num(r.p, 1, 0, "all values tied: p = 1");
}

static void mw_normal(void)
{
	/*
	 * n > 20 a side: the normal approximation.
	 * x = 1..25, y = 26..50, no ties: U = 0, mean 312.5, var = 25 * 25 * 51 / 12
	 * = 2656.25; z = (0 - 312.5 + 0.5) / sqrt(2656.25) = -6.0536892;
	 * p = erfc(6.0536892 / sqrt 2) = 1.41566e-9.
	 *
	 * With ties: x = 15 ones and 10 twos, y = 5 ones and 20 twos.  20 ones share
	 * midrank 10.5, 30 twos midrank 35.5: R_x = 15 x 10.5 + 10 x 35.5 = 512.5, U_x =
	 * 512.5 - 325 = 187.5.  Tie term (20^3 - 20) + (30^3 - 30) = 34950, N (N - 1) = 2450:
	 * var = 625 / 12 x (51 - 34950 / 2450) = 1913.2653; z = (187.5 - 312.5 + 0.5) /
	 * 43.740888 = -2.8463071; p = erfc(2.8463071 / sqrt 2) = 0.0044229520.
	 * (The formula of R's wilcox.test(exact = FALSE, correct = TRUE).)
	 */
	double x[25], y[25], xt[25], yt[25];
	struct mb_mw r;

	for (int i = 0; i < 25; i++) {
		x[i] = i + 1;
		y[i] = i + 26;
		xt[i] = i < 15 ? 1 : 2;
		yt[i] = i < 5 ? 1 : 2;
	}
	r = mw(x, 25, y, 25);
	ok(!r.exact, "25 vs 25: normal approximation");
	is_num(r.u, 0, 0, "25 vs 25 separated: U = 0");
	is_num(r.z, -6.053689200906871, 1e-12, "25 vs 25: z = -312 / sqrt(2656.25)");
	is_num(r.p, 1.4156562248495634e-09, 1e-9, "25 vs 25: p = 1.41566e-9");
	r = mw(xt, 25, yt, 25);
	is_num(r.u, 187.5, 0, "25 vs 25 with ties: U = 187.5");
	is_num(r.z, -2.8463070811140527, 1e-12, "tie-corrected z = -2.8463071");
	is_num(r.p, 0.00442295199887756, 1e-10, "tie-corrected p = 0.0044229520");
	r = mw(xt, 25, xt, 25);
	is_num(r.p, 1, 1e-12, "identical tied samples: p = 1 (z = 0)");
}

/*
 * Independent check of the exact path: enumerate all C(N, nx) splits (N <= 16) as
 * bitmasks, with U computed pairwise (#x > y + #x == y / 2), not from ranks.
 */
static double brute_p(const double *x, size_t nx, const double *y, size_t ny, double *u)
{
	double v[16], le = 0, ge = 0, tot = 0, u0 = 0;
	size_t N = nx + ny;

	memcpy(v, x, nx * sizeof(*v));
	memcpy(v + nx, y, ny * sizeof(*v));
	for (size_t i = 0; i < nx; i++)
		for (size_t j = 0; j < ny; j++)
			u0 += x[i] > y[j] ? 1 : x[i] == y[j] ? 0.5 : 0;
	for (unsigned m = 0; m < 1u << N; m++) {
		double uu = 0;

		if ((size_t)__builtin_popcount(m) != nx)
			continue;
		for (size_t i = 0; i < N; i++)
			for (size_t j = 0; j < N; j++)
				if ((m >> i & 1) && !(m >> j & 1))
					uu += v[i] > v[j] ? 1 : v[i] == v[j] ? 0.5 : 0;
		tot++;
		le += uu <= u0 + 1e-9;
		ge += uu >= u0 - 1e-9;
	}
	*u = u0;
	return fmin(1, 2 * fmin(le, ge) / tot);
}

static void mw_brute_force(void)
{
	uint64_t rng = 7;
	int bad = 0, trials = 0;

	for (int t = 0; t < 40; t++) {
		size_t nx = 1 + mb_rand_below(&rng, 8), ny = 1 + mb_rand_below(&rng, 8);
		double x[8], y[8], u, p;
		struct mb_mw r;

		/* small integer values: plenty of ties */
		for (size_t i = 0; i < nx; i++)
			x[i] = (double)mb_rand_below(&rng, 6);
		for (size_t i = 0; i < ny; i++)
			y[i] = (double)mb_rand_below(&rng, 6) + (t % 3);
		p = brute_p(x, nx, y, ny, &u);
		r = mw(x, nx, y, ny);
		trials++;
		if (fabs(r.u - u) > 1e-12 || fabs(r.p - p) > 1e-12) {
			bad++;
			diag("nx %zu ny %zu: U %g vs %g, p %.17g vs %.17g", nx, ny, r.u, u, r.p, p);
		}
	}
	ok(bad == 0, "exact U and p equal brute-force enumeration on %d random tied samples",
	   trials);
}

static void mw_degenerate(void)
{
	double one[] = { 1 }, two[] = { 2 }, inf[] = { 1, INFINITY };
	struct mb_mw r;

	ok(mb_mann_whitney(one, 0, two, 1, &r) == -EINVAL, "nx = 0: -EINVAL");
	ok(mb_mann_whitney(one, 1, two, 0, &r) == -EINVAL, "ny = 0: -EINVAL");
	ok(mb_mann_whitney(inf, 2, two, 1, &r) == -EINVAL, "a non-finite value: -EINVAL");
	/* 1 vs 1: two splits, each tail 1/2: p = 1 */
	ok(mb_mann_whitney(one, 1, two, 1, &r) == 0, "1 vs 1: no error");
	is_num(r.u, 0, 0, "1 vs 1: U = 0");
	is_num(r.p, 1, 0, "1 vs 1: p = 1 (nothing can be significant)");
}

/* Deterministic pseudo-normal samples: Box-Muller over splitmix64. */
static void normal_samples(double *x, size_t n, double mean, double sd, uint64_t seed)
{
	for (size_t i = 0; i < n; i++) {
		double u1 = ((double)(mb_splitmix64(&seed) >> 11) + 1) / 9007199254740993.0;
		double u2 = (double)(mb_splitmix64(&seed) >> 11) / 9007199254740992.0;

		x[i] = mean + sd * sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
	}
}

static double median_of(const double *x, size_t n)
{
	double s[256];

	memcpy(s, x, n * sizeof(*s));
	mb_sort(s, n);
	return mb_quantile(s, n, 0.5);
}

static void ratio_ci(void)
{
	double a[50], b[50], c[50];
	const double *pa[] = { a }, *pb[] = { b }, *pc[] = { c };
	size_t n50[] = { 50 };
	struct mb_runset A = { 1, pa, n50 }, Bs = { 1, pb, n50 }, C = { 1, pc, n50 };
	double lo, hi, lo2, hi2, est;
	int err;

	normal_samples(a, 50, 1000, 50, 1);
	normal_samples(b, 50, 1000, 50, 2);
	normal_samples(c, 50, 1200, 60, 3);
	est = median_of(b, 50) / median_of(a, 50);
	err = mb_ratio_ci(&A, &Bs, 2000, 42, 0.95, &lo, &hi);
	ok(err == 0, "ratio CI: no error");
	ok(lo <= est && est <= hi, "same distribution: CI [%.4f, %.4f] holds the estimate %.4f",
	   lo, hi, est);
	mb_ratio_ci(&A, &A, 2000, 42, 0.95, &lo2, &hi2);
	ok(lo2 < 1 && 1 < hi2, "a set against itself: CI [%.4f, %.4f] holds 1", lo2, hi2);
	ok(hi - lo < 0.1, "5%% noise, 50 samples: CI narrower than 10%% (%.4f)", hi - lo);
	mb_ratio_ci(&A, &Bs, 2000, 42, 0.95, &lo2, &hi2);
	ok(lo2 == lo && hi2 == hi, "same data and seed: the same interval, bit for bit");
	mb_ratio_ci(&A, &Bs, 2000, 43, 0.95, &lo2, &hi2);
	ok(lo2 != lo || hi2 != hi, "another seed: another interval");

	err = mb_ratio_ci(&A, &C, 2000, 42, 0.95, &lo, &hi);
	est = median_of(c, 50) / median_of(a, 50);
	ok(err == 0 && lo > 1, "shifted by +20%%: CI [%.4f, %.4f] excludes 1", lo, hi);
	ok(lo <= est && est <= hi && lo > 1.1 && hi < 1.3, "and holds the estimate %.4f", est);
	mb_ratio_ci(&C, &A, 2000, 42, 0.95, &lo, &hi);
	ok(hi < 1, "the other way round: CI below 1 (%.4f, %.4f)", lo, hi);
}

static void ratio_ci_coverage(void)
{
	/*
	 * 95 % intervals for pairs drawn from one distribution should hold 1 about 95 %
	 * of the time: 200 pairs of 30 samples (binomial 2-sigma band about 92-98 %;
	 * percentile intervals of a median run a little wide or narrow, so 90-99 %).
	 */
	double a[30], b[30];
	const double *pa[] = { a }, *pb[] = { b };
	size_t n30[] = { 30 };
	struct mb_runset A = { 1, pa, n30 }, Bs = { 1, pb, n30 };
	int hold = 0, pairs = 200;

	for (int i = 0; i < pairs; i++) {
		double lo, hi;

		normal_samples(a, 30, 1000, 50, 1000 + 2 * i);
		normal_samples(b, 30, 1000, 50, 1001 + 2 * i);
		if (!mb_ratio_ci(&A, &Bs, 1000, i, 0.95, &lo, &hi))
			hold += lo <= 1 && 1 <= hi;
	}
	ok(hold >= 180 && hold <= 198, "coverage: %d of %d A/A intervals hold 1", hold, pairs);
}

static void ratio_ci_runs(void)
{
	/*
	 * Three runs a side, each run's samples tight (1 %) but the runs' levels apart
	 * (0.8, 1.0, 1.2 x): pooled as one run the interval is narrow; resampled by run it
	 * must widen to cover the run-to-run spread.
	 */
	static double r[6][20];
	const double *pb[3] = { r[0], r[1], r[2] }, *pp[3] = { r[3], r[4], r[5] };
	size_t n3[3] = { 20, 20, 20 }, n60[1] = { 60 };
	double flat_b[60], flat_p[60];
	const double *fb[1] = { flat_b }, *fp[1] = { flat_p };
	struct mb_runset B3 = { 3, pb, n3 }, P3 = { 3, pp, n3 };
	struct mb_runset B1 = { 1, fb, n60 }, P1 = { 1, fp, n60 };
	double lo3, hi3, lo1, hi1;

	for (int i = 0; i < 6; i++)
		normal_samples(r[i], 20, 1000 * (0.8 + 0.2 * (i % 3)), 10, 100 + i);
	for (int i = 0; i < 3; i++) {
		memcpy(flat_b + 20 * i, r[i], sizeof(r[i]));
		memcpy(flat_p + 20 * i, r[3 + i], sizeof(r[i]));
	}
	ok(mb_ratio_ci(&B3, &P3, 2000, 1, 0.95, &lo3, &hi3) == 0, "by run: no error");
	ok(mb_ratio_ci(&B1, &P1, 2000, 1, 0.95, &lo1, &hi1) == 0, "pooled: no error");
	ok(hi3 - lo3 > 2 * (hi1 - lo1),
	   "run-to-run spread widens the CI: [%.3f, %.3f] vs pooled [%.3f, %.3f]",
	   lo3, hi3, lo1, hi1);
	ok(lo3 < 1 && hi3 > 1, "by run: the A/A interval holds 1");
}

static void ratio_degenerate(void)
{
	double a[] = { 10 }, b[] = { 15 }, z[] = { 0, 0, 1 }, nan1[] = { NAN };
	const double *pa[] = { a }, *pb[] = { b }, *pz[] = { z }, *pn[] = { nan1 };
	size_t one[] = { 1 }, three[] = { 3 }, zero[] = { 0 };
	struct mb_runset A = { 1, pa, one }, Bs = { 1, pb, one }, Z = { 1, pz, three };
	struct mb_runset E = { 0, pa, one }, E0 = { 1, pa, zero }, Nn = { 1, pn, one };
	double lo = -1, hi = -1;

	ok(mb_ratio_ci(&A, &Bs, 100, 1, 0.95, &lo, &hi) == 0, "n = 1 a side: no error");
	ok(lo == 1.5 && hi == 1.5, "n = 1 a side: the interval is the point 15/10 = 1.5");
	ok(mb_ratio_ci(&E, &Bs, 100, 1, 0.95, &lo, &hi) == -EINVAL, "no run: -EINVAL");
	ok(mb_ratio_ci(&A, &E0, 100, 1, 0.95, &lo, &hi) == -EINVAL, "an empty run: -EINVAL");
	ok(mb_ratio_ci(&Nn, &A, 100, 1, 0.95, &lo, &hi) == -EINVAL, "NaN sample: -EINVAL");
	ok(mb_ratio_ci(&A, &Bs, 0, 1, 0.95, &lo, &hi) == -EINVAL, "B = 0: -EINVAL");
	ok(mb_ratio_ci(&A, &Bs, 100, 1, 1, &lo, &hi) == -EINVAL, "level 1: -EINVAL");
	ok(mb_ratio_ci(&Z, &A, 100, 1, 0.95, &lo, &hi) == -EDOM,
	   "base median 0 in a replicate: -EDOM (no ratio)");
}

static void runs_median_ci(void)
{
	/*
	 * One side's median by run: the same three runs as ratio_ci_runs (tight, levels
	 * 0.8, 1.0, 1.2 x 1000) must give a wider interval than the pooled samples, and one
	 * run must agree with the plain bootstrap of the median in distribution: it holds
	 * the median and is as narrow.
	 */
	static double r[3][20];
	const double *p3[3] = { r[0], r[1], r[2] }, *pf[1] = { NULL }, *pc[1] = { NULL };
	size_t n3[3] = { 20, 20, 20 }, n60[1] = { 60 }, n5[1] = { 5 };
	double flat[60], sorted[60], same[5] = { 7, 7, 7, 7, 7 }, nan1[1] = { NAN };
	const double *pn[1] = { nan1 };
	size_t one[1] = { 1 }, zero[1] = { 0 };
	struct mb_runset R3 = { 3, p3, n3 }, R1 = { 1, pf, n60 }, C = { 1, pc, n5 };
	struct mb_runset E = { 0, p3, n3 }, E0 = { 1, p3, zero }, Nn = { 1, pn, one };
	double lo3, hi3, lo1, hi1, lo, hi, med, lo2, hi2;

	for (int i = 0; i < 3; i++) {
		normal_samples(r[i], 20, 1000 * (0.8 + 0.2 * i), 10, 200 + i);
		memcpy(flat + 20 * i, r[i], sizeof(r[i]));
	}
	pf[0] = flat;
	pc[0] = same;
	memcpy(sorted, flat, sizeof(flat));
	mb_sort(sorted, 60);
	med = mb_quantile(sorted, 60, 0.5);
	ok(mb_runs_median_ci(&R3, 2000, 1, 0.95, &lo3, &hi3) == 0, "median by run: no error");
	ok(mb_runs_median_ci(&R1, 2000, 1, 0.95, &lo1, &hi1) == 0, "one run: no error");
	ok(lo3 <= med && med <= hi3 && lo1 <= med && med <= hi1,
	   "both intervals hold the pooled median %.1f", med);
	ok(hi3 - lo3 > 2 * (hi1 - lo1),
	   "run-to-run spread widens it: [%.1f, %.1f] vs one run [%.1f, %.1f]",
	   lo3, hi3, lo1, hi1);
	mb_median_ci(sorted, 60, 2000, 1, 0.95, &lo, &hi);
	ok(hi1 - lo1 < 1.5 * (hi - lo) && hi - lo < 1.5 * (hi1 - lo1),
	   "one run: as wide as mb_median_ci's (%.1f vs %.1f)", hi1 - lo1, hi - lo);
	mb_runs_median_ci(&R3, 2000, 1, 0.95, &lo2, &hi2);
	ok(lo2 == lo3 && hi2 == hi3, "same data and seed: the same interval");
	ok(mb_runs_median_ci(&C, 100, 1, 0.95, &lo, &hi) == 0 && lo == 7 && hi == 7,
	   "constant samples: the interval is the point");
	ok(mb_runs_median_ci(&E, 100, 1, 0.95, &lo, &hi) == -EINVAL, "no run: -EINVAL");
	ok(mb_runs_median_ci(&E0, 100, 1, 0.95, &lo, &hi) == -EINVAL, "an empty run: -EINVAL");
	ok(mb_runs_median_ci(&Nn, 100, 1, 0.95, &lo, &hi) == -EINVAL, "NaN sample: -EINVAL");
	ok(mb_runs_median_ci(&R3, 0, 1, 0.95, &lo, &hi) == -EINVAL, "B = 0: -EINVAL");
}

static void median_counts(void)
{
	/* {1,2,3,4} with counts {0,2,1,1}: multiset {2,2,3,4}, median (2+3)/2 = 2.5 */
	double s[] = { 1, 2, 3, 4 };
	uint32_t c1[] = { 0, 2, 1, 1 }, c2[] = { 3, 0, 0, 1 };

	is_num(mb_median_counts(s, 4, c1, 4), 2.5, 0, "median of counts {2,2,3,4} = 2.5");
	is_num(mb_median_counts(s, 4, c2, 4), 1, 0, "median of counts {1,1,1,4} = 1");
}

int main(void)
{
	tap_plan(66);
	mw_complete_separation();
	mw_hollander_wolfe();
	mw_table_n8();
	mw_ties();
	mw_normal();
	mw_brute_force();
	mw_degenerate();
	ratio_ci();
	ratio_ci_coverage();
	ratio_ci_runs();
	ratio_degenerate();
	runs_median_ci();
	median_counts();
	return tap_done();
}
