/* SPDX-License-Identifier: GPL-2.0 */
/*
 * core.h - what the files of the harness core share; each file does one job:
 *
 *   counter.c    the counter, the timed loops (the only code that reads it), the spin
 *   perf.c       perf software events of the measuring threads
 *   registry.c   the benchmarks of the "mb_benches" section, sorted
 *   api.c        the benchmark-facing helpers of mmapbench.h
 *   threads.c    a case's jobs on its threads: the sample's steps, the worker pool
 *   metrics.c    a case's metrics, one value per measured sample
 *   case.c       a case's life: open, sample, calibrate, close
 *   floor.c      the floor: the first step's op in a bare loop (MB_F_FLOOR)
 *   run.c        groups of cases, interleaved rounds, mb_run_cases()
 *   ops.c        --ops: exactly N ops for an outside timer
 *   finalize.c   the statistics pass
 *   overhead.c   the harness's own overhead (an empty op through the same loop)
 *   injectcal.c  --inject-ns: calibrating the busy-wait
 *   perfctl.c    perf record's window: enable/disable around measured samples, the log
 *
 * main.c, output.c and targets.c use harness.h only; benchmarks mmapbench.h only.
 */
#ifndef MB_CORE_H
#define MB_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "harness.h"

/* ---- counter.c: the timed loops ---- */
typedef int (*mb_op_fn)(struct mb_ctx *c, size_t i);
/*
 * op(c, i) for i = 0..K-1, stopping at the first non-zero return (0 or that rc; its
 * index in *at); inj >= 0: the --inject-ns spin (ticks) after every op.
 * batch: rounds x K ops between two counter reads (*ticks); each: every op between
 * two of its own (e[i]; *sum their total); bare: no counter read (--ops).
 */
int mb_loop_batch(mb_op_fn op, struct mb_ctx *c, size_t K, uint64_t rounds, long long inj,
		  long long *ticks, size_t *at);
int mb_loop_each(mb_op_fn op, struct mb_ctx *c, size_t K, long long inj, long long *e,
		 long long *sum, size_t *at);
int mb_loop_bare(mb_op_fn op, struct mb_ctx *c, size_t K, size_t *at);
/* Mean ticks of one spin(target): the median over batches of m spins. */
double mb_spin_mean(long long target, size_t m);

/* ---- perf.c ---- */
struct mb_perf_group {
	int fd[MB_PERF_NEVENTS];	/* fd[0] the leader; -1: not open */
};

bool mb_perf_on(void);		/* the run has perf counts (so far) */
void mb_perf_disable(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void mb_perf_close_group(struct mb_perf_group *g);
/* Open the group of thread tid (0: the calling one); 0, or -1 with the reason in why. */
int mb_perf_open_group(struct mb_perf_group *g, pid_t tid, char *why, size_t len);
/* Add the group's current values to v; 0, or -1 (perf disabled, reason recorded). */
int mb_perf_read_group(const struct mb_perf_group *g, long long v[MB_PERF_NEVENTS]);

/* ---- api.c: a context's private half (c->h) ---- */
struct mb_report_val {
	char name[64];
	char unit[16];
	enum mb_better better;
	double v;
};

struct mb_ctx_priv {
	struct mb_case *cs;
	uint64_t rng;
	char reason[MB_REASON_LEN];
	bool skip;
	bool setup_done;
	size_t cap;			/* of c->addr and each[] */
	int rc;				/* of the last job */
	long long ticks[MB_MAX_STEPS];	/* last sample, per step (sum of ops if each) */
	int64_t mono0[MB_MAX_STEPS], mono1[MB_MAX_STEPS];
	long long *each[MB_MAX_STEPS];
	struct mb_report_val *rep;
	size_t nrep, caprep;
	struct mb_count *counts;
	size_t ncounts;
};

/* ---- threads.c ---- */
enum mb_job { J_SETUP, J_SAMPLE, J_TEARDOWN };

size_t mb_nsteps(const struct mb_bench *b);
int mb_pool_start(int n, const int *cpus);
void mb_pool_stop(void);
pid_t mb_pool_tid(int t);	/* worker t's thread id */
/* The job on every thread of the case (the calling one when single-threaded). */
void mb_dispatch(struct mb_case *cs, enum mb_job job);
/* First failure or skip reason of the case's threads; returns the worst rc. */
int mb_collect_rc(struct mb_case *cs, bool *skip);

/* ---- metrics.c ---- */
void mb_metrics_setup(const struct mb_opts *o);	/* the run's clock: before any case */
double mb_insn_scale(void);			/* ns per timing unit: 1, or 2^shift (icount) */
void mb_metrics_declare(struct mb_case *cs);
/* Store one measured sample of every thread. */
int mb_record_sample(struct mb_case *cs);

/* ---- case.c ---- */
struct mb_sched {
	struct mb_run *r;
	char cur_profile[32];
	bool have_profile;
};

void mb_case_fail(struct mb_case *cs, enum mb_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int mb_set_batch(struct mb_case *cs, size_t K);
void mb_case_close(struct mb_case *cs);
/* Switch the module's profile for a module-target case; 0 or -errno. */
int mb_apply_profile(struct mb_sched *sc, struct mb_case *cs);
/* Open the target, make the contexts, run setup.  On return cs->status tells. */
void mb_case_open(struct mb_sched *sc, struct mb_case *cs);
/* One sample of a case on all its threads; 0 or -1 (case failed and closed). */
int mb_case_sample(struct mb_sched *sc, struct mb_case *cs, bool measured);
/* Choose the batch K (or take --batch); 0 or -1 (case failed and closed). */
int mb_calibrate(struct mb_sched *sc, struct mb_case *cs);

/* The counts pass: rusage, module and perf counts of as many untimed samples. */
void mb_case_counts(struct mb_sched *sc, struct mb_case *cs);

/* ---- floor.c ---- */
void mb_case_floor(struct mb_sched *sc, struct mb_case *cs);

/* ---- perfctl.c ---- */
/* perf's events on/off around a case's measured sample (acked); no-op unprofiled */
void mb_prof_enable(const struct mb_run *r, const struct mb_case *cs);
void mb_prof_disable(const struct mb_run *r, const struct mb_case *cs);
void mb_prof_window(const struct mb_run *r, const struct mb_case *cs);

/* ---- run.c ---- */
/* Run a set of cases together (set up, warm-up, measured rounds, floor, close). */
int mb_run_set(struct mb_sched *sc, struct mb_case **set, size_t n, uint64_t *rng);

#endif /* MB_CORE_H */
