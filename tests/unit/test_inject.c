// SPDX-License-Identifier: GPL-2.0
/*
 * test_inject.c - the arithmetic of --inject-ns (bench/lib/inject.h) against values
 * computed by hand.  TAP.
 */
#include <math.h>

#include "inject.h"
#include "../tap.h"

int main(void)
{
	tap_plan(14);
	/* ns -> ticks: 2000 ns at 2.5 GHz = 5000 ticks; at 1 GHz (clock_monotonic) the
	 * same number; 3 ns at 2445.4 MHz = 7.3362 ticks */
	is_num(mb_ns_to_ticks(2000, 2.5e9), 5000, 1e-12, "2000 ns at 2.5 GHz = 5000 ticks");
	is_num(mb_ns_to_ticks(20000, 1e9), 20000, 1e-12, "20000 ns at 1 GHz = 20000 ticks");
	is_num(mb_ns_to_ticks(3, 2445.4e6), 7.3362, 1e-12, "3 ns at 2445.4 MHz = 7.3362 ticks");
	is_num(mb_ns_to_ticks(0, 2.5e9), 0, 0, "0 ns = 0 ticks");
	is_num(mb_ticks_to_ns(5000, 2.5e9), 2000, 1e-12, "5000 ticks at 2.5 GHz = 2000 ns");
	is_num(mb_ticks_to_ns(mb_ns_to_ticks(12345, 3.1e9), 3.1e9), 12345, 1e-12,
	       "ticks_to_ns inverts ns_to_ticks");

	/* calibration: a spin of 5000 ticks measured at 5042.5: cost 42.5, so the
	 * target for 5000 is 4957.5 -> 4958 (nearest, half away from zero) */
	ok(mb_inject_target(5000, 5000, 5042.5) == 4958, "cost 42.5 ticks: target 4958");
	/* the next round, 4958 measured at 5000.4: cost 42.4, 4957.6 -> 4958 (stable) */
	ok(mb_inject_target(5000, 4958, 5000.4) == 4958, "a calibrated target stays put");
	/* overshot the other way (measured shorter than wanted): the target grows */
	ok(mb_inject_target(5000, 4900, 4930) == 4970, "measured 30 short of 5000: 4900 -> 4970");
	/* cheaper than one read cannot be made: 0, never negative */
	ok(mb_inject_target(10, 10, 60) == 0, "want 10 ticks, cost 50: target 0");
	ok(mb_inject_target(0, 0, 40) == 0, "want 0: target 0");
	ok(mb_inject_target(5000, 5000, NAN) == 0, "a NaN measurement: 0, not garbage");
	ok(mb_inject_target(1e20, 0, 0) == 1000000000000000000LL, "huge: clamped to 1e18");
	/* the fallback counter (ns, 25 ns a read pair): 2000 ns -> 1975 */
	ok(mb_inject_target(mb_ns_to_ticks(2000, 1e9), 2000, 2025) == 1975,
	   "clock_monotonic: 2000 ns with a 25 ns cost -> target 1975");
	return tap_done();
}
