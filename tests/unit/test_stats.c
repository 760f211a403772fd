// SPDX-License-Identifier: GPL-2.0
/*
 * test_stats.c - bench/lib/stats.c against hand-computed values.
 *
 * Quantiles are Hyndman-Fan type 7: x sorted, h = (n-1)p,
 * q = x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "stats.h"
#include "../tap.h"

static void known_even_set(void)
{
	/*
	 * A = {2, 4, 4, 4, 5, 5, 7, 9}, given unsorted.  n = 8.
	 * mean   = 40 / 8 = 5
	 * stddev = sqrt(sum (x - 5)^2 / 7) = sqrt((9+1+1+1+0+0+4+16) / 7) = sqrt(32/7)
	 * median: h = 7 * 0.5 = 3.5  -> x[3] + 0.5 (x[4] - x[3]) = 4 + 0.5 * 1 = 4.5
	 * p90:    h = 7 * 0.9 = 6.3  -> x[6] + 0.3 (x[7] - x[6]) = 7 + 0.3 * 2 = 7.6
	 * p99:    h = 7 * 0.99 = 6.93 -> 7 + 0.93 * 2 = 8.86
	 * MAD: |x - 4.5| = {2.5, .5, .5, .5, .5, .5, 2.5, 4.5}
	 *      sorted {.5, .5, .5, .5, .5, 2.5, 2.5, 4.5}, h = 3.5 -> (.5 + .5) / 2 = 0.5
	 */
	double a[] = { 5, 2, 9, 4, 4, 7, 4, 5 };
	double copy[8];
	struct mb_stats st;
	int err;

	memcpy(copy, a, sizeof(a));
	err = mb_stats_compute(a, 8, 2000, 42, &st);
	ok(err == 0, "stats of an even set: no error");
	ok(!memcmp(a, copy, sizeof(a)), "input left untouched (not sorted in place)");
	is_int(st.n, 8, "n = 8");
	is_num(st.min, 2, 0, "min = 2");
	is_num(st.max, 9, 0, "max = 9");
	is_num(st.mean, 5, 1e-15, "mean = 40/8 = 5");
	is_num(st.stddev, sqrt(32.0 / 7), 1e-14, "stddev = sqrt(32/7) (n-1 divisor)");
	is_num(st.median, 4.5, 1e-15, "median of an even set = mean of the middle two = 4.5");
	is_num(st.p90, 7.6, 1e-14, "p90 = 7 + 0.3 * 2 = 7.6 (type 7)");
	is_num(st.p99, 8.86, 1e-14, "p99 = 7 + 0.93 * 2 = 8.86 (type 7)");
	is_num(st.mad, 0.5, 1e-15, "MAD = 0.5");
	ok(st.ci95_lo <= st.median && st.median <= st.ci95_hi,
	   "bootstrap CI [%g, %g] contains the median", st.ci95_lo, st.ci95_hi);
	ok(st.ci95_lo >= st.min && st.ci95_hi <= st.max, "bootstrap CI within [min, max]");
}

static void known_odd_set(void)
{
	/*
	 * B = {3, 1, 2}: sorted {1, 2, 3}
	 * median: h = 2 * 0.5 = 1 -> x[1] = 2 (the middle value)
	 * p90:    h = 1.8 -> x[1] + 0.8 (x[2] - x[1]) = 2.8
	 * MAD: |x - 2| = {1, 1, 0} -> sorted {0, 1, 1} -> 1
	 * stddev = sqrt((1 + 0 + 1) / 2) = 1
	 */
	double b[] = { 3, 1, 2 };
	struct mb_stats st;

	ok(mb_stats_compute(b, 3, 2000, 1, &st) == 0, "stats of an odd set: no error");
	is_num(st.median, 2, 0, "median of an odd set = the middle value = 2");
	is_num(st.p90, 2.8, 1e-15, "p90 of {1,2,3} = 2.8");
	is_num(st.mad, 1, 0, "MAD of {1,2,3} = 1");
	is_num(st.stddev, 1, 1e-15, "stddev of {1,2,3} = 1");
	is_num(st.mean, 2, 0, "mean of {1,2,3} = 2");
}

static void quantiles(void)
{
	/* C = {1..10}: p25: h = 9 * .25 = 2.25 -> 3 + .25 = 3.25 (numpy's default too) */
	double c[10];

	for (int i = 0; i < 10; i++)
		c[i] = i + 1;
	is_num(mb_quantile(c, 10, 0.25), 3.25, 1e-15, "p25 of 1..10 = 3.25");
	is_num(mb_quantile(c, 10, 0.75), 7.75, 1e-15, "p75 of 1..10 = 7.75 (h = 6.75)");
	is_num(mb_quantile(c, 10, 0), 1, 0, "p0 = min");
	is_num(mb_quantile(c, 10, 1), 10, 0, "p100 = max");
	is_num(mb_quantile(c, 1, 0.99), 1, 0, "any quantile of one value is that value");
}

static void degenerate(void)
{
	double one[] = { 42 }, nan_in[] = { 1, NAN, 3 }, inf_in[] = { 1, INFINITY };
	double same[] = { 7, 7, 7, 7 };
	struct mb_stats st;

	ok(mb_stats_compute(one, 1, 2000, 3, &st) == 0, "n = 1 works");
	ok(st.min == 42 && st.max == 42 && st.median == 42 && st.p99 == 42,
	   "n = 1: min = max = median = p99 = the value");
	ok(st.stddev == 0 && st.mad == 0, "n = 1: stddev = MAD = 0");
	ok(st.ci95_lo == 42 && st.ci95_hi == 42, "n = 1: CI = [x, x]");
	ok(mb_stats_compute(one, 0, 2000, 3, &st) == -EINVAL, "n = 0 -> -EINVAL");
	ok(mb_stats_compute(nan_in, 3, 2000, 3, &st) == -EINVAL, "NaN in the data -> -EINVAL");
	ok(mb_stats_compute(inf_in, 2, 2000, 3, &st) == -EINVAL, "Inf in the data -> -EINVAL");
	ok(mb_stats_compute(one, 1, 0, 3, &st) == -EINVAL, "B = 0 -> -EINVAL");
	ok(mb_stats_compute(same, 4, 2000, 3, &st) == 0 && st.ci95_lo == 7 && st.ci95_hi == 7 &&
	   st.mad == 0, "constant data: CI = [c, c], MAD = 0");
}

static void bootstrap(void)
{
	/*
	 * {1, 3}: a resample is {1,1}, {1,3}, {3,1} or {3,3}, so its median is 1, 2, 2 or 3
	 * with probabilities 1/4, 1/2, 1/4.  With B = 2000 the type-7 2.5 % quantile of
	 * the medians (h = 1999 * .025 = 49.975) is 1 unless fewer than 51 of the 2000
	 * were 1 (expected 500), and symmetrically the 97.5 % one is 3: CI = [1, 3].
	 */
	double two[] = { 1, 3 }, x[101], lo, hi, lo2, hi2;
	uint64_t rng = 99;
	struct mb_stats st;

	ok(mb_median_ci(two, 2, 2000, 7, 0.95, &lo, &hi) == 0 && lo == 1 && hi == 3,
	   "CI of the median of {1,3} = [1, 3]");

	for (int i = 0; i < 101; i++)
		x[i] = 1000 + (double)(mb_splitmix64(&rng) % 1000) / 10;
	ok(mb_stats_compute(x, 101, 2000, 5, &st) == 0, "101 pseudo-random values");
	lo = st.ci95_lo;
	hi = st.ci95_hi;
	ok(mb_stats_compute(x, 101, 2000, 5, &st) == 0 && st.ci95_lo == lo && st.ci95_hi == hi,
	   "same data, same seed: the same CI, bit for bit");
	ok(lo <= st.median && st.median <= hi, "the CI [%g, %g] contains the median %g",
	   lo, hi, st.median);
	ok(lo < hi, "the CI of varied data has a width");
	mb_sort(x, 101);
	ok(mb_median_ci(x, 101, 2000, 5, 0.5, &lo2, &hi2) == 0 && lo2 >= lo && hi2 <= hi,
	   "a 50 %% CI lies inside the 95 %% one");
	ok(mb_median_ci(x, 101, 2000, 5, 1.0, &lo2, &hi2) == -EINVAL &&
	   mb_median_ci(x, 101, 2000, 5, 0, &lo2, &hi2) == -EINVAL,
	   "level outside (0, 1) -> -EINVAL");
	ok(mb_median_ci(x, 0, 2000, 5, 0.95, &lo2, &hi2) == -EINVAL, "CI of nothing -> -EINVAL");
}

static void prng(void)
{
	/* Reference outputs of SplitMix64 seeded with 1234567 (Vigna's splitmix64.c). */
	static const uint64_t want[] = {
		6457827717110365317ull, 3203168211198807973ull, 9817491932198370423ull,
		4593380528125082431ull, 16408922859458223821ull,
	};
	uint64_t s = 1234567, cnt[3] = { 0 };
	int same = 1, in_range = 1;

	for (int i = 0; i < 5; i++)
		same &= mb_splitmix64(&s) == want[i];
	ok(same, "splitmix64(1234567) matches the reference sequence");

	s = 1;
	for (int i = 0; i < 30000; i++) {
		uint64_t v = mb_rand_below(&s, 3);

		in_range &= v < 3;
		if (v < 3)
			cnt[v]++;
	}
	ok(in_range, "rand_below(3) stays below 3");
	ok(cnt[0] > 9500 && cnt[0] < 10500 && cnt[1] > 9500 && cnt[1] < 10500 &&
	   cnt[2] > 9500 && cnt[2] < 10500, "rand_below(3) is about uniform (%llu %llu %llu)",
	   (unsigned long long)cnt[0], (unsigned long long)cnt[1],
	   (unsigned long long)cnt[2]);
	ok(mb_rand_below(&s, 1) == 0, "rand_below(1) = 0");
}

static void histogram(void)
{
	/* buckets: [0,2) -> 0; [2,4) -> 1; [4,8) -> 2; 1000 in [512,1024) -> 9; huge -> last */
	double x[] = { 0, 1, 1.9, 2, 3, 4, 1000, 1e30 };
	uint64_t h[48];
	size_t top = mb_log2_hist(x, 8, h, 48);

	ok(h[0] == 3 && h[1] == 2 && h[2] == 1 && h[9] == 1 && h[47] == 1,
	   "log2 histogram buckets");
	is_int(top, 48, "log2 histogram: highest bucket + 1");
	is_int(mb_log2_hist(x, 0, h, 48), 0, "log2 histogram of nothing is empty");
}

int main(void)
{
	tap_plan(48);
	known_even_set();
	known_odd_set();
	quantiles();
	degenerate();
	bootstrap();
	prng();
	histogram();
	return tap_done();
}
