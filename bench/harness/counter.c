// SPDX-License-Identifier: GPL-2.0
/*
 * counter.c - the counter (libcpucycles', or CLOCK_MONOTONIC when it misses
 * kernel time) and the only code that reads it: the timed loops every op goes
 * through, and the --inject-ns busy-wait.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <cpucycles.h>

#include "core.h"
#include "stats.h"

static long long mono_ticks(void)
{
	return mb_mono_ns();
}

/* What every timed region reads: libcpucycles' counter, unless it was rejected. */
static long long (*tick)(void);

/*
 * --inject-ns: spin until the counter has advanced `target` ticks.  noinline: one
 * body whose cost the calibration measures, wherever it is called from.
 */
__attribute__((noinline)) static void spin(long long target)
{
	long long t0 = tick();

	while (tick() - t0 < target)
		;
}

void mb_inject_wait(struct mb_ctx *c)
{
	const struct mb_inject *in = c->h->cs->inj;

	if (in)
		spin(in->target);
}

/*
 * The timed loops: every op a benchmark's step runs goes through one of these three,
 * so a change to how ops are timed is made here once.  op(c, i) for i = 0..K-1,
 * stopping at the first non-zero return (its index in *at); with inj >= 0 (the
 * --inject-ns target, ticks) a spin(inj) after every op.
 *
 * mb_loop_batch: rounds x K ops between two counter reads, *ticks = the difference
 * (samples: 1 round; the floor: several).  The counter is read after the loop even
 * when an op failed.
 */
int mb_loop_batch(int (*op)(struct mb_ctx *, size_t), struct mb_ctx *c, size_t K,
		      uint64_t rounds, long long inj, long long *ticks, size_t *at)
{
	long long t0, t1;
	size_t i = 0;
	int rc = 0;

	if (inj < 0) {
		t0 = tick();
		for (uint64_t r = 0; r < rounds; r++)
			for (i = 0; i < K; i++)
				if ((rc = op(c, i)))
					goto out;
	} else {
		/* the same loop, a wait after every op (--inject-ns) */
		t0 = tick();
		for (uint64_t r = 0; r < rounds; r++)
			for (i = 0; i < K; i++) {
				if ((rc = op(c, i)))
					goto out;
				spin(inj);
			}
	}
out:
	t1 = tick();
	*ticks = t1 - t0;
	*at = i;
	return rc;
}

/*
 * mb_loop_each: K ops, each between two counter reads of its own (its wait included):
 * e[i] its ticks, *sum theirs up to and including a failing one.
 */
int mb_loop_each(int (*op)(struct mb_ctx *, size_t), struct mb_ctx *c, size_t K,
		     long long inj, long long *e, long long *sum, size_t *at)
{
	long long total = 0;
	size_t i;
	int rc = 0;

	for (i = 0; i < K; i++) {
		long long t0 = tick();

		rc = op(c, i);
		if (inj >= 0)
			spin(inj);
		e[i] = tick() - t0;
		total += e[i];
		if (rc)
			break;
	}
	*sum = total;
	*at = i;
	return rc;
}

/* mb_loop_bare: K ops and no counter read (--ops: an outside timer times the process). */
int mb_loop_bare(int (*op)(struct mb_ctx *, size_t), struct mb_ctx *c, size_t K,
		     size_t *at)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < K; i++)
		if ((rc = op(c, i)))
			break;
	*at = i;
	return rc;
}

/*
 * 2000 steps between two reads that differ: the smallest (the resolution the
 * calibration uses), the median (what a read costs) and the smallest gap between two
 * distinct steps (the granularity the counter moves in: 1 for a counter that ticks
 * by one, ~26 for one that moves in such steps whatever the smallest read says).
 */
#define PROBE_STEPS 2000

static void measure_resolution(struct mb_counter_info *ci)
{
	static long long d[PROBE_STEPS];
	long long best = 0;

	for (int i = 0; i < PROBE_STEPS; i++) {
		long long t0 = tick(), t1;

		do
			t1 = tick();
		while (t1 == t0);
		d[i] = t1 - t0;
		if (t1 > t0 && (!best || t1 - t0 < best))
			best = t1 - t0;
	}
	ci->resolution = best ? best : 1;
	ci->step_probe = mb_min_step(d, PROBE_STEPS);	/* sorts d */
	ci->read_ticks = d[PROBE_STEPS / 2];
}

/* Ticks per second against CLOCK_MONOTONIC over a busy 100 ms. */
static double measure_hz(void)
{
	int64_t n0 = mb_mono_ns(), n1;
	long long t0 = tick(), t1;

	do {
		n1 = mb_mono_ns();
		t1 = tick();
	} while (n1 - n0 < 100000000);
	return (double)(t1 - t0) * 1e9 / (double)(n1 - n0);
}

/*
 * libcpucycles' perf-event counters (amd64-pmc, default-perfevent) are opened with
 * exclude_kernel: they would time an mmap() as the few user-mode cycles around the
 * syscall.  Time a loop that lives in the kernel and compare with the user-mode rate.
 */
static double kernel_ratio(double hz)
{
	int64_t n0 = mb_mono_ns(), n1;
	long long t0 = tick(), t1;

	do {
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p != MAP_FAILED)
			munmap(p, 4096);
		n1 = mb_mono_ns();
		t1 = tick();
	} while (n1 - n0 < 20000000);
	return (double)(t1 - t0) * 1e9 / (double)(n1 - n0) / hz;
}

void mb_counter_init(struct mb_counter_info *ci, bool quiet)
{
	memset(ci, 0, sizeof(*ci));
	ci->lib_impl = cpucycles_implementation();	/* selects the counter */
	ci->lib_version = cpucycles_version();
	ci->lib_hz = cpucycles_persecond();
	tick = cpucycles;
	ci->impl = ci->lib_impl;
	measure_resolution(ci);
	ci->hz_start = measure_hz();
	ci->kernel_ratio = kernel_ratio(ci->hz_start);
	if (!(ci->kernel_ratio > 0.5)) {
		if (!quiet)
			fprintf(stderr, "mmapbench: warning: counter %s does not count kernel "
				"time (ratio %.3f); timing with CLOCK_MONOTONIC instead\n",
				ci->lib_impl, ci->kernel_ratio);
		tick = mono_ticks;
		ci->fallback = true;
		ci->impl = "clock_monotonic";
		measure_resolution(ci);
		ci->hz_start = measure_hz();
		ci->kernel_ratio = kernel_ratio(ci->hz_start);
	}
	ci->hz = ci->hz_start;
}

void mb_counter_finish(struct mb_counter_info *ci)
{
	ci->hz_end = measure_hz();
	ci->hz = (ci->hz_start + ci->hz_end) / 2;
	ci->drift_ppm = (ci->hz_end - ci->hz_start) / ci->hz_start * 1e6;
}

/*
 * Mean ticks of one spin(target): the median over 31 batches of m spins.  Batches of
 * about 50 us: a timer interrupt or a preemption lands in a few of them, not in the
 * median.
 */
#define SPIN_BATCHES 31

double mb_spin_mean(long long target, size_t m)
{
	double v[SPIN_BATCHES];

	for (int k = 0; k < SPIN_BATCHES; k++) {
		long long t0 = tick(), t1;

		for (size_t j = 0; j < m; j++)
			spin(target);
		t1 = tick();
		v[k] = (double)(t1 - t0) / (double)m;
	}
	mb_sort(v, SPIN_BATCHES);
	return v[SPIN_BATCHES / 2];
}
