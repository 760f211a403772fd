/* SPDX-License-Identifier: GPL-2.0 */
/*
 * inject.h - the arithmetic of `mmapbench run --inject-ns N`: a busy-wait of N ns
 * added inside the timed region of every op, to check what the comparison catches.
 * Pure functions (no I/O, no globals); harness/injectcal.c does the measuring.
 *
 * The wait spins on the counter the harness times with:
 *	t0 = read(); while (read() - t0 < target) ;
 * and lasts target + cost ticks on average, cost being the reads, the loop and the
 * overshoot past the target (about one read).  Calibration measures the mean
 * duration of spins of a target, takes cost = measured - target and sets the next
 * target to want - cost, a few rounds; want = N ns at the run's measured rate.
 */
#ifndef MB_INJECT_H
#define MB_INJECT_H

/* ns -> counter ticks at hz ticks per second (hz > 0); ns * hz / 1e9. */
double mb_ns_to_ticks(double ns, double hz);

/* counter ticks -> ns at hz; ticks * 1e9 / hz. */
double mb_ticks_to_ns(double ticks, double hz);

/*
 * One calibration round: a spin of `target` ticks was measured to last `measured`
 * ticks on average; the target that makes it last `want` ticks is
 * want - (measured - target), rounded to the nearest tick, and 0 when that is
 * negative (the spin cannot be shorter than its cost).  Non-finite input: 0.
 */
long long mb_inject_target(double want, long long target, double measured);

#endif /* MB_INJECT_H */
