// SPDX-License-Identifier: GPL-2.0
/*
 * test_cost.c - bench/lib/cost.c against hand-computed values: the headline mean and
 * its t interval over sample means, the counter's step, the cross-check's ratio.
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>

#include "cost.h"
#include "../tap.h"

static void t_quantiles(void)
{
	/* Student's t(0.975): the tables' values; the series beyond 30 continues them */
	is_num(mb_t975(1), 12.7062, 1e-4, "t(0.975, 1) = 12.7062");
	is_num(mb_t975(4), 2.7764, 1e-4, "t(0.975, 4) = 2.7764");
	is_num(mb_t975(29), 2.0452, 1e-4, "t(0.975, 29) = 2.0452");
	is_num(mb_t975(40), 2.0211, 2e-4, "t(0.975, 40) = 2.0211 (series)");
	is_num(mb_t975(120), 1.9799, 2e-4, "t(0.975, 120) = 1.9799 (series)");
	ok(mb_t975(31) < mb_t975(30) && mb_t975(30) - mb_t975(31) < 0.005,
	   "table and series meet at 30/31 (%g, %g)", mb_t975(30), mb_t975(31));
	ok(mb_t975(100000) > 1.95996 && mb_t975(100000) < 1.9601, "large df -> z = 1.96");
	ok(isnan(mb_t975(0)), "df = 0: NaN");
}

static void mean_values(void)
{
	/*
	 * Batched, 5 samples {1, 2, 3, 4, 5}: mean 3, s = sqrt(10/4) = 1.5811,
	 * half = t(4) s / sqrt 5 = 2.7764 x 1.5811 / 2.2361 = 1.9632.
	 */
	double x[] = { 1, 2, 3, 4, 5 };
	/*
	 * Timed each, 3 samples of K = 4: {1,1,1,9} {2,2,2,2} {3,3,3,3}: sample means
	 * 3, 2, 3; the mean over all 12 = 32/12 = 8/3 (the median of the 12 is 2);
	 * s of {3, 2, 3} = sqrt(((1/3)^2 + (2/3)^2 + (1/3)^2) / 2) = sqrt(1/3);
	 * half = t(2) s / sqrt 3 = 4.3027 / 3 = 1.43423.
	 */
	double y[] = { 1, 1, 1, 9, 2, 2, 2, 2, 3, 3, 3, 3 };
	struct mb_mean_ci m;

	ok(mb_mean_ci95(x, 5, 1, &m) == 0, "batched: computed");
	is_int(m.groups, 5, "5 samples");
	is_num(m.mean, 3, 1e-15, "mean 3");
	is_num(m.stddev, sqrt(2.5), 1e-14, "stddev sqrt(10/4)");
	is_num(m.hi - m.mean, 2.7764 * sqrt(2.5) / sqrt(5), 1e-12, "half-width t(4) s / sqrt(5)");
	is_num(m.mean - m.lo, m.hi - m.mean, 1e-12, "symmetric");
	ok(mb_mean_ci95(y, 12, 4, &m) == 0, "timed each: computed");
	is_int(m.groups, 3, "3 samples of 4");
	is_num(m.mean, 8.0 / 3, 1e-14, "mean over all ops 8/3: the burst counted, unlike a median");
	is_num(m.stddev, sqrt(1.0 / 3), 1e-14, "stddev of the sample means");
	is_num(m.hi - m.mean, 4.3027 / 3, 1e-12, "half-width t(2) s / sqrt(3)");
	ok(mb_mean_ci95(x, 1, 1, &m) == 0 && m.lo == 1 && m.hi == 1 && m.stddev == 0,
	   "one sample: the interval is the value");
	{
		double g[3] = { 0, 0, 0 };

		ok(mb_group_means(y, 12, 4, g) == 3 && g[0] == 3 && g[1] == 2 && g[2] == 3,
		   "sample means of 3 x 4: {3, 2, 3}");
		ok(mb_group_means(y, 12, 5, g) == -EINVAL && mb_group_means(y, 0, 1, g) == -EINVAL,
		   "sample means: n not a multiple of K, or 0: EINVAL");
	}
}

static void mean_errors(void)
{
	double x[] = { 1, 2, 3, NAN };
	struct mb_mean_ci m;

	ok(mb_mean_ci95(x, 0, 1, &m) == -EINVAL, "n = 0: EINVAL");
	ok(mb_mean_ci95(x, 3, 0, &m) == -EINVAL, "group = 0: EINVAL");
	ok(mb_mean_ci95(x, 3, 2, &m) == -EINVAL, "n not a multiple of group: EINVAL");
	ok(mb_mean_ci95(x, 4, 1, &m) == -EINVAL, "NaN: EINVAL");
}

static void steps(void)
{
	long long a[] = { 52, 26, 78, 26, 104, 52 };	/* moves in 26s */
	long long b[] = { 5000, 5001, 5000 };
	long long c[] = { 7, 7, 7 };
	long long d[] = { 130, 26, 78 };		/* gaps 52, 52: step 52 */

	is_int(mb_min_step(a, 6), 26, "steps of 26: 26 (repeats ignored)");
	is_int(mb_min_step(b, 3), 1, "a counter that ticks by one: 1");
	is_int(mb_min_step(c, 3), 0, "one distinct value: 0 (no step seen)");
	is_int(mb_min_step(c, 0), 0, "no values: 0");
	is_int(mb_min_step(d, 3), 52, "the smallest gap, not the smallest value");
}

static void xcheck(void)
{
	double bare[] = { 4900, 5000, 5100 };	/* mean 5000, spread 200/5000 = 4 % */
	double tight[] = { 1000, 1000 };
	struct mb_xcheck x;

	ok(mb_xcheck_eval(5150, bare, 3, 0.01, &x) == 0, "cross-check computed");
	is_num(x.bare, 5000, 1e-12, "bare: the mean of the processes");
	is_num(x.ratio, 1.03, 1e-12, "ratio harness / bare = 1.03");
	is_num(x.spread, 0.04, 1e-12, "spread (max - min) / mean = 4 %%");
	ok(x.within, "3 %% off with a 4 %% spread: within");
	ok(mb_xcheck_eval(5250, bare, 3, 0.01, &x) == 0 && !x.within,
	   "5 %% off with a 4 %% spread: outside");
	ok(mb_xcheck_eval(1009, tight, 2, 0.01, &x) == 0 && x.spread == 0 && x.within,
	   "processes that agree: the tolerance (1 %%) is the band");
	ok(mb_xcheck_eval(1011, tight, 2, 0.01, &x) == 0 && !x.within, "1.1 %% off: outside");
	ok(mb_xcheck_eval(5000, bare, 0, 0.01, &x) == -EINVAL, "no bare runs: EINVAL");
	ok(mb_xcheck_eval(0, bare, 3, 0.01, &x) == -EINVAL, "harness 0: EINVAL");
	ok(mb_xcheck_eval(NAN, bare, 3, 0.01, &x) == -EINVAL, "harness NaN: EINVAL");
	tight[1] = -1;
	ok(mb_xcheck_eval(1000, tight, 2, 0.01, &x) == -EINVAL, "a negative bare run: EINVAL");
	ok(mb_xcheck_eval(1000, bare, 3, -0.1, &x) == -EINVAL, "negative tolerance: EINVAL");
}

static void xcheck_whole(void)
{
	double w = -1;

	/* FINDINGS' host figures: touches 1354, bare 1384 touches and 1681 whole */
	ok(mb_xcheck_whole(1354, 1384, 1681, &w) == 0, "whole iteration computed");
	is_num(w, 1354 + 297, 1e-9, "harness touches + the bare loop's mmap and munmap share");
	ok(mb_xcheck_whole(1000, 1000, 1000, &w) == 0 && w == 1000,
	   "nothing beside the touches: the harness's figure");
	w = -1;
	ok(mb_xcheck_whole(1000, 1200, 1100, &w) == -EINVAL && w == -1,
	   "a whole iteration cheaper than its touches: EINVAL, nothing written");
	ok(mb_xcheck_whole(0, 1000, 1100, &w) == -EINVAL, "harness 0: EINVAL");
	ok(mb_xcheck_whole(1000, NAN, 1100, &w) == -EINVAL, "bare NaN: EINVAL");
	ok(mb_xcheck_whole(1000, 1000, INFINITY, &w) == -EINVAL, "whole infinite: EINVAL");
}

static void wis(void)
{
	/* will-it-scale's output, as its main.c prints it with -t 1 -s 2 */
	const char *run = "testcase:Anonymous memory mmap/munmap of 128MB\nwarmup\n"
		"min:211000 max:211000 total:211000\nmeasurement\n"
		"min:212345 max:212345 total:212345\naverage:212000\n";
	double v = -1;

	ok(mb_wis_average(run, &v) == 0 && v == 212000, "average: its iterations a second");
	ok(mb_wis_average("average:5\naverage:7\n", &v) == 0 && v == 7, "the last average line");
	ok(mb_wis_average("average:9", &v) == 0 && v == 9, "without a final newline");
	v = -1;
	ok(mb_wis_average("warmup\nmin:1 max:1 total:1\n", &v) == -EINVAL && v == -1,
	   "no average line (killed before the end): EINVAL");
	ok(mb_wis_average("average:0\n", &v) == -EINVAL, "average 0: EINVAL");
	ok(mb_wis_average("average:-3\n", &v) == -EINVAL, "a negative average: EINVAL");
	ok(mb_wis_average("average:12x\n", &v) == -EINVAL, "not a number: EINVAL");
	ok(mb_wis_average("xaverage:12\n", &v) == -EINVAL, "not at a line's start: EINVAL");
	ok(mb_wis_average(NULL, &v) == -EINVAL, "no output: EINVAL");
}

int main(void)
{
	tap_plan(8 + 14 + 4 + 5 + 13 + 7 + 9);
	t_quantiles();
	mean_values();
	mean_errors();
	steps();
	xcheck();
	xcheck_whole();
	wis();
	return tap_done();
}
