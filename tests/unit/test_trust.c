// SPDX-License-Identifier: GPL-2.0
/*
 * test_trust.c - mmapbench-trust's arithmetic (bench/lib/trust.h) against values
 * computed by hand.  TAP.
 */
#include <errno.h>
#include <math.h>

#include "trust.h"
#include "../tap.h"

int main(void)
{
	struct mb_spread s;
	/* medians of 4 runs: mean 1000, deviations -100 0 0 +100: ss 20000, /3,
	 * sqrt = 81.6497, cv 8.16497 % */
	const double m4[] = { 900, 1000, 1000, 1100 };
	const double one[] = { 42 };
	const double bad[] = { 1, NAN };
	const double lv[] = { 5, 1, 2 }, rt[] = { 1.0, 0.4, 0.9 };
	const double rt2[] = { 0.85, 0.1, NAN };

	tap_plan(16);
	ok(mb_spread(m4, 4, &s) == 0, "spread of 4 medians");
	is_num(s.mean, 1000, 1e-12, "mean 1000");
	is_num(s.stddev, 81.64965809277261, 1e-12, "stddev sqrt(20000/3) = 81.6497");
	is_num(s.cv, 8.164965809277261, 1e-12, "cv 8.165 %%");
	ok(s.min == 900 && s.max == 1100 && s.n == 4, "min 900, max 1100, n 4");
	ok(mb_spread(one, 1, &s) == 0 && s.stddev == 0 && isnan(s.cv),
	   "one run: stddev 0, cv undefined (NaN)");
	ok(mb_spread(m4, 0, &s) == -EINVAL, "no runs: -EINVAL");
	ok(mb_spread(bad, 2, &s) == -EINVAL, "a NaN median: -EINVAL");

	is_num(mb_rate(1, 20), 0.05, 1e-15, "1 of 20 = 0.05");
	is_num(mb_rate(18, 20), 0.9, 1e-15, "18 of 20 = 0.9");
	ok(isnan(mb_rate(0, 0)), "0 of 0: NaN, not 0");

	is_num(mb_mde_levels(lv, rt, 3, 0.9), 2, 0, "levels 5,1,2 at 1.0,0.4,0.9: MDE 2 (>= 0.9)");
	ok(isnan(mb_mde_levels(lv, rt2, 3, 0.9)), "none reaches 0.9 (NaN rate ignored): NaN");
	ok(isnan(mb_mde_levels(lv, rt, 0, 0.9)), "no levels: NaN");

	/* 1 + 1.2815515655446004 / 1.959963984540054 = 1.65386485... */
	is_num(mb_mde_spread(3.0), 3.0 * 1.6538648545, 1e-9, "half-width 3 %%: MDE 4.96 %%");
	ok(isnan(mb_mde_spread(NAN)), "no half-width: NaN");
	return tap_done();
}
