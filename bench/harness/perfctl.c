// SPDX-License-Identifier: GPL-2.0
/*
 * perfctl.c - the measured samples' window for a sampling profiler outside the
 * harness (`perf record --control fd:CTL,ACK -D -1 -- mmapbench run ...`).
 *
 * The harness opens no perf event for this.  Around every measured sample of every
 * case it asks perf to enable its events and waits for perf's ack (--perf-control),
 * and after the sample asks it to disable them: set-up, calibration, warm-up, the
 * floor and the statistics are never sampled.  A sample also runs before() and
 * after(), so the exact window is logged too (--perf-windows FILE): per measured
 * sample and step the CLOCK_MONOTONIC ns of the timed loop's start and end (the
 * mono0/mono1 the loops already record), the case's index in results.json's cases[]
 * and the ops in it.  `perf record -k CLOCK_MONOTONIC` stamps the samples on the
 * same clock; `mmapbench-analyze profile fold` keeps those inside a window.
 *
 * FILE lines (tab-separated): "w CASE STEP T0 T1 OPS"; written to FILE.tmp and
 * renamed when the run completes.
 *
 * The dither (--perf-control CTL,ACK,NS): under icount both the sampling clock and
 * the op are deterministic, and a timed loop of identical ops sampled every P
 * instructions hits the same few places of the op over and over (aliasing: the
 * profile of 6.12's merge put 92 % of it under vma_merge_new_range).  So after
 * perf's ack the harness spins a pseudo-random 0..NS-1 ns (seeded by --seed: the
 * same in every run of one seed, another with another) before the sample starts:
 * each window begins at its own phase of the sampling clock, and over many windows
 * every place of the op is as likely to be sampled.  The spin is outside the window.
 * NS should be the sampling period.  Under icount two boots with one seed sample
 * the same places; only another seed (or period) says how much the profile owes to
 * where the samples fell.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core.h"

static int ctl_fd = -1, ack_fd = -1;
static const struct mb_run *armed;	/* the run whose cases are profiled */
static long long dither_ns;
static uint64_t dither_rng = 0x9e3779b97f4a7c15ull;
static FILE *win;
static char win_path[4096], win_tmp[4200];

/* "CTL,ACK[,NS]": two fd numbers perf record was given (--control fd:CTL,ACK), the dither. */
int mb_prof_parse_control(const char *s, int *ctl, int *ack, long long *dither)
{
	char *end;
	long a, b;
	long long d = 0;

	errno = 0;
	a = strtol(s, &end, 10);
	if (errno || end == s || *end != ',' || a < 0 || a > 65535)
		return -1;
	s = end + 1;
	b = strtol(s, &end, 10);
	if (errno || end == s || (*end && *end != ',') || b < 0 || b > 65535 || a == b)
		return -1;
	if (*end == ',') {
		s = end + 1;
		d = strtoll(s, &end, 10);
		if (errno || end == s || *end || d < 0 || d > 1000000000)
			return -1;
	}
	*dither = d;
	*ctl = (int)a;
	*ack = (int)b;
	return 0;
}

int mb_prof_init(const struct mb_opts *o, char *why, size_t len)
{
	if (o->perf_ctl >= 0) {
		if (fcntl(o->perf_ctl, F_GETFD) < 0 || fcntl(o->perf_ack, F_GETFD) < 0) {
			snprintf(why, len, "--perf-control %d,%d: not open file descriptors "
				 "(start the run under perf record --control fd:%d,%d)",
				 o->perf_ctl, o->perf_ack, o->perf_ctl, o->perf_ack);
			return -1;
		}
		ctl_fd = o->perf_ctl;
		ack_fd = o->perf_ack;
		dither_ns = o->perf_dither;
		dither_rng ^= o->seed;
	}
	if (o->perf_windows) {
		snprintf(win_path, sizeof(win_path), "%s", o->perf_windows);
		snprintf(win_tmp, sizeof(win_tmp), "%s.tmp", o->perf_windows);
		win = fopen(win_tmp, "w");
		if (!win) {
			snprintf(why, len, "--perf-windows %s: %s", win_tmp, strerror(errno));
			return -1;
		}
		fprintf(win, "# mmapbench perf windows: w case step t0_ns t1_ns ops "
			"(CLOCK_MONOTONIC)\n");
	}
	return 0;
}

/* Send a command to perf and wait for its ack; a perf that stopped answering ends it. */
static void ctl(const char *cmd)
{
	char buf[16];
	ssize_t n;

	if (ctl_fd < 0)
		return;
	do
		n = write(ctl_fd, cmd, strlen(cmd));
	while (n < 0 && errno == EINTR && !mb_interrupted);
	if (n != (ssize_t)strlen(cmd))
		goto lost;
	do
		n = read(ack_fd, buf, sizeof(buf));
	while (n < 0 && errno == EINTR && !mb_interrupted);
	if (n <= 0 || strncmp(buf, "ack", 3))
		goto lost;
	return;
lost:
	fprintf(stderr, "mmapbench: perf's control channel failed (%s): profiling stops\n",
		n < 0 ? strerror(errno) : "no ack");
	ctl_fd = ack_fd = -1;
}

/* From here on the run's cases are profiled (not the overhead's empty op before). */
void mb_prof_arm(const struct mb_run *r)
{
	armed = r;
}

static bool is_case(const struct mb_run *r, const struct mb_case *cs)
{
	return armed && r == armed && cs >= r->cases && cs < r->cases + r->ncases;
}

void mb_prof_enable(const struct mb_run *r, const struct mb_case *cs)
{
	if (!is_case(r, cs) || ctl_fd < 0)
		return;
	ctl("enable\n");
	if (dither_ns > 0) {
		int64_t until = mb_mono_ns() +
				(int64_t)mb_rand_below(&dither_rng, (uint64_t)dither_ns);

		while (mb_mono_ns() < until)
			;
	}
}

void mb_prof_disable(const struct mb_run *r, const struct mb_case *cs)
{
	if (is_case(r, cs))
		ctl("disable\n");
}

/* The windows of the case's last (measured) sample: one per step, over its threads. */
void mb_prof_window(const struct mb_run *r, const struct mb_case *cs)
{
	if (!win || !is_case(r, cs))
		return;
	for (size_t s = 0; s < mb_nsteps(cs->b); s++) {
		int64_t t0 = 0, t1 = 0;

		for (int t = 0; t < cs->threads; t++) {
			const struct mb_ctx_priv *h = cs->ctx[t].h;

			if (!t || h->mono0[s] < t0)
				t0 = h->mono0[s];
			if (!t || h->mono1[s] > t1)
				t1 = h->mono1[s];
		}
		fprintf(win, "w\t%zu\t%s\t%lld\t%lld\t%zu\n", (size_t)(cs - r->cases),
			cs->b->steps[s].metric, (long long)t0, (long long)t1,
			cs->batch * (size_t)cs->threads);
	}
}

/* Complete the windows file (rename) when the run did; else drop it.  0 or -1. */
int mb_prof_finish(bool ok)
{
	int err = 0;

	if (!win)
		return 0;
	if (fclose(win) || !ok) {
		err = ok ? -1 : 0;
		unlink(win_tmp);
	} else if (rename(win_tmp, win_path)) {
		err = -1;
		unlink(win_tmp);
	}
	win = NULL;
	return err;
}
