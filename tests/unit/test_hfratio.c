// SPDX-License-Identifier: GPL-2.0
/*
 * test_hfratio.c - bench/lib/hfratio.c: the hyperfine cross-check's ratio, its band and
 * the choice of K, against hand-computed values.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>

#include "hfratio.h"
#include "../tap.h"

static void ratio_values(void)
{
	struct hf_ratio r;

	/*
	 * t(0) = 2 ms, t(K) = 112 ms, K = 20000, m = 5000 ns: the ops took 110 ms, the
	 * harness predicts 100 ms: ratio 1.1, 5500 ns per op; band 1 -+ 2/100.
	 */
	ok(hf_ratio(0.112, 0.002, 20000, 5000, &r) == 0, "valid inputs: 0");
	is_num(r.ops_s, 0.110, 1e-12, "ops time = t(K) - t(0)");
	is_num(r.expect_s, 0.100, 1e-12, "expected = K x m");
	is_num(r.per_op_ns, 5500, 1e-12, "per op as the process timer sees it");
	is_num(r.ratio, 1.1, 1e-12, "ratio = (t(K) - t(0)) / (K m)");
	is_num(r.tol, 0.02, 1e-12, "tolerance = t(0) / (K m)");
	is_num(r.lo, 0.98, 1e-12, "band low = 1 - tolerance");
	is_num(r.hi, 1.02, 1e-12, "band high = 1 + tolerance");
	ok(!r.within, "1.1 is outside 1 -+ 0.02");

	/* exact agreement; and a difference of exactly t(0) is still within */
	ok(hf_ratio(0.102, 0.002, 20000, 5000, &r) == 0 && r.within &&
	   fabs(r.ratio - 1) < 1e-12, "t(K) - t(0) = K m: ratio 1, within");
	/* t(0) = 1/4 s, K m = 1 s: binary fractions, so the edges are exact */
	ok(hf_ratio(1.5, 0.25, 1, 1e9, &r) == 0 && r.ratio == 1.25 && r.hi == 1.25 &&
	   r.within, "off by exactly t(0) (upper edge): within");
	ok(hf_ratio(1.0, 0.25, 1, 1e9, &r) == 0 && r.ratio == 0.75 && r.lo == 0.75 &&
	   r.within, "off by exactly t(0) (lower edge): within");
	ok(hf_ratio(1.5 + 1.0 / 1024, 0.25, 1, 1e9, &r) == 0 && !r.within,
	   "just past the upper edge: outside");
	/* t(0) = 1 ms, K m = 1 ms, t(K) = 0.5 ms: ratio -0.5, band [0, 2] */
	ok(hf_ratio(0.0005, 0.001, 1000, 1000, &r) == 0 && fabs(r.ratio + 0.5) < 1e-12 &&
	   !r.within, "t(K) < t(0): a negative ratio, flagged");
	ok(hf_ratio(0.001, 0, 1, 1e6, &r) == 0 && r.tol == 0 && r.ratio == 1 && r.within,
	   "t(0) = 0: zero tolerance, exact agreement within");
}

static void ratio_errors(void)
{
	struct hf_ratio r = { .ratio = 42 };

	ok(hf_ratio(0.1, 0.002, 0, 5000, &r) == -EINVAL, "K = 0: -EINVAL");
	ok(hf_ratio(0.1, 0.002, 10, 0, &r) == -EINVAL, "m = 0: -EINVAL");
	ok(hf_ratio(0.1, 0.002, 10, -1, &r) == -EINVAL, "m < 0: -EINVAL");
	ok(hf_ratio(0.1, -0.002, 10, 5, &r) == -EINVAL, "t(0) < 0: -EINVAL");
	ok(hf_ratio(-0.1, 0.002, 10, 5, &r) == -EINVAL, "t(K) < 0: -EINVAL");
	ok(hf_ratio(NAN, 0.002, 10, 5, &r) == -EINVAL, "t(K) NaN: -EINVAL");
	ok(hf_ratio(0.1, INFINITY, 10, 5, &r) == -EINVAL, "t(0) infinite: -EINVAL");
	ok(hf_ratio(0.1, 0.002, 10, NAN, &r) == -EINVAL, "m NaN: -EINVAL");
	ok(r.ratio == 42, "a rejected input leaves the output untouched");
}

static void pick_k(void)
{
	const uint64_t max = 1000000000;

	/* 10 x 2 ms / 5000 ns = 4000 */
	ok(hf_pick_k(0.002, 5000, 10, max) == 4000, "10 x 2 ms / 5 us = 4000");
	ok(hf_pick_k(0.002, 1000, 10, max) == 20000, "exactly 20000 stays 20000");
	ok(hf_pick_k(0.0020001, 1000, 10, max) == 21000, "20001 -> 21000");
	ok(hf_pick_k(0.0012345, 1000, 10, max) == 13000, "12345 -> 13000");
	ok(hf_pick_k(0.00098765, 1000, 10, max) == 9900, "9876.5 -> 9900");
	ok(hf_pick_k(0.0000123, 1000, 10, max) == 130, "123 -> 130");
	ok(hf_pick_k(1e-6, 1000, 10, max) == 100, "at least 100");
	ok(hf_pick_k(1, 1, 10, 123456) == 123456, "at most max");
	ok(hf_pick_k(0.0039990, 1000, 10, 39995) == 39995, "rounding up past max gives max");
	ok(hf_pick_k(0, 1000, 10, max) == 0, "t(0) = 0: 0");
	ok(hf_pick_k(0.002, 0, 10, max) == 0, "m = 0: 0");
	ok(hf_pick_k(0.002, 1000, 0.5, max) == 0, "factor < 1: 0");
	ok(hf_pick_k(NAN, 1000, 10, max) == 0, "NaN: 0");
	ok(hf_pick_k(0.002, 1000, 10, 99) == 0, "max < 100: 0");
	for (double t = 1e-4; t < 1; t *= 1.7) {
		uint64_t k = hf_pick_k(t, 3333, 10, max);

		if (!ok(k > 0 && (double)k * 3333e-9 >= 10 * t * (1 - 1e-12) &&
			(k == 100 || (double)k * 3333e-9 <= 10 * t * 1.1),
			"t(0) = %g s: K = %llu makes the ops 10 to 11 x t(0)", t,
			(unsigned long long)k))
			break;
	}
}

int main(void)
{
	tap_plan(56);
	ratio_values();
	ratio_errors();
	pick_k();
	return tap_done();
}
