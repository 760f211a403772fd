/* SPDX-License-Identifier: GPL-2.0 */
/*
 * harness.h - the harness's internals, shared by main.c, the core (core.h lists its
 * files), targets.c, output.c and vma.c.  Benchmarks include mmapbench.h only.
 */
#ifndef MB_HARNESS_H
#define MB_HARNESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "mmapbench.h"
#include "mmapbench_abi.h"	/* the module's names (drivers/mmapbench/) */
#include "cost.h"
#include "parse.h"
#include "stats.h"

#define MB_EXIT_OK	0
#define MB_EXIT_RUNTIME	1
#define MB_EXIT_USAGE	2
#define MB_EXIT_SKIPPED	3	/* --ops only: the case cannot run here */

#define MB_REASON_LEN	256

/* ---- registry (linker section "mb_benches", filled by MB_BENCH) ---- */
size_t mb_bench_count(void);
const struct mb_bench *mb_bench_get(size_t i);	/* sorted by family, name */
const struct mb_bench *mb_bench_find(const char *name);

/* ---- vma.c ---- */
/* Tests: make mb_count_vmas()/mb_vma_at() parse /proc/self/maps (1) or try the
 * PROCMAP_QUERY ioctl first (0, the default). */
void mb_vmas_force_maps(int on);

/* ---- targets.c ---- */
#define MB_T_MODULE	(1u << 0)	/* /dev/mmapbench-*: profiles, pool, counters */
#define MB_T_ANON	(1u << 1)	/* no fd */
#define MB_T_SHARED_ONLY (1u << 2)	/* MAP_PRIVATE is refused (secretmem) */

struct mb_target {
	const char *name;
	const char *desc;
	unsigned flags;
	const char *path;	/* device, or NULL */
	const char *dbg;	/* debugfs directory name for module targets */
};

struct mb_target_info {
	char path[320];		/* what was opened, "" for anon */
	char fs[32];		/* filesystem type of a regular file, "" otherwise */
};

size_t mb_target_count(void);
const struct mb_target *mb_target_get(size_t i);
const struct mb_target *mb_target_find(const char *name);
/* Can the target be used here?  1, or 0 with the reason in why. */
int mb_target_probe(const struct mb_target *t, const char *file, char *why, size_t n);
/* Open it, sized to span bytes where that applies: 0 (fd set, -1 for anon), MB_SKIP
 * or -1 with the reason in why. */
int mb_target_open(const struct mb_target *t, const char *file, uint64_t span, int *fd,
		   struct mb_target_info *info, char *why, size_t n);

/* module parameters and debugfs counters */
#define MB_MOD_NCOUNTERS MMAPBENCH_NR_COUNTERS	/* mmapbench_abi.h */
extern const char *const mb_mod_counter_names[MB_MOD_NCOUNTERS];

struct mb_module {
	bool loaded;
	bool have_hook, have_profile, have_pool, have_map_pages;
	char hook[32];
	char profile[32];
	long long pool_mb;
	long long map_pages;
};
void mb_module_read(struct mb_module *m);
extern const char *const mb_profiles[];		/* NULL-terminated */
bool mb_profile_valid(const char *p);
/* Current profile into buf; 0 or -errno. */
int mb_module_get_profile(char *buf, size_t len);
/* 0 or -errno; verifies by reading back. */
int mb_module_set_profile(const char *p);
/* Counters of MMAPBENCH_DEBUGFS_DIR/<dbg>/; bit i of the return value set when
 * counter i was read. */
unsigned mb_module_counters(const char *dbg, long long v[MB_MOD_NCOUNTERS]);

/* ---- options ---- */
struct mb_opts {
	/* comma lists as given, NULL when not given */
	const char *benches, *targets, *profiles, *sizes, *maps, *populate, *counts, *threads;
	const char *suite;		/* "default" unless given */
	uint64_t samples, warmup;	/* 0 = from the suite */
	uint64_t sample_min_ns;		/* --sample-min */
	bool samples_set, warmup_set, sample_min_set;
	uint64_t batch;			/* 0 = calibrate */
	uint64_t bootstrap;
	int cpu;			/* -1: don't pin; -2: default */
	uint64_t seed;
	const char *accel;
	const char *clock;		/* clock.h name: icount, tcg, kvm, bare */
	unsigned icount_shift;		/* icount: 2^shift ns per instruction */
	const char *file;
	const char *out;
	bool quiet;
	bool allow_thp;
	bool no_floor;			/* --no-floor: no bare loop after MB_F_FLOOR cases */
	bool no_counts;			/* --no-counts: no counts pass (case.c) */
	bool processes;			/* --tasks processes (threads.c) */
	const char *inject;		/* --inject-ns as given, NULL: none */
	uint64_t ops;			/* --ops: ops of the one case, no statistics */
	bool ops_set;
	const char *perf_windows;	/* --perf-windows FILE, NULL: none (profile.c) */
	int perf_ctl, perf_ack;		/* --perf-control CTL,ACK[,NS]; -1: none */
	long long perf_dither;		/* its NS: spin 0..NS-1 ns after enabling */
	int argc;
	char **argv;
};

/* ---- cases ---- */
enum mb_status { MB_ST_PENDING, MB_ST_OK, MB_ST_SKIPPED, MB_ST_FAILED };

/* How a metric's raw samples turn into its unit once the counter's Hz is known. */
enum mb_kind {
	MB_K_TICKS,		/* ticks per op -> ns per op */
	MB_K_RATE,		/* ops per tick -> ops per second */
	MB_K_RAW,		/* already in its unit */
};

struct mb_metric {
	char name[64];
	char unit[16];
	enum mb_better better;
	enum mb_kind kind;
	bool each;		/* single-op timings */
	bool reported;		/* from mb_report() */
	size_t batch;
	double *v;
	size_t n, cap;
	struct mb_stats st;
	int st_err;		/* from mb_stats_compute, 0 when st is valid */
	bool timing;		/* a time per op (not a rate or a reported value) */
	/* timings: the headline, the median over samples of the sample's mean per op */
	double hl, hl_lo, hl_hi;	/* with its bootstrap 95 % CI over the samples */
	size_t hl_n;		/* samples; 0: no headline (not a timing, or failed) */
	struct mb_mean_ci mean;	/* timings: mean per op over all samples, its t CI */
	int mean_err;		/* from mb_mean_ci95, 0 when mean is valid */
	uint64_t hist[48];	/* each: log2 histogram of ns */
	size_t nhist;
};

struct mb_count {
	char name[64];
	long long v;
};

/* perf software events of the measuring threads (perf.c) */
#define MB_PERF_NEVENTS 5
extern const char *const mb_perf_event_names[MB_PERF_NEVENTS];	/* perf's own names */

struct mb_perf_info {
	bool available;		/* every measuring thread has its counters */
	char error[MB_REASON_LEN];	/* why not, when !available */
};

struct mb_case {
	const struct mb_bench *b;
	const struct mb_target *t;	/* NULL: no target (the overhead probe) */
	const char *profile;		/* NULL for non-module targets */
	uint64_t size;
	int shared, populate;
	long count;
	int threads;
	bool procs;			/* threads > 1 as forked processes (--tasks) */
	bool ops_only;			/* --ops: nothing recorded (mb_recording()) */
	uint64_t span;
	size_t group;
	const struct mb_inject *inj;	/* --inject-ns for this case, or NULL */

	enum mb_status status;
	char reason[MB_REASON_LEN];
	bool interleaved;
	int fd;
	struct mb_target_info info;
	struct mb_ctx *ctx;		/* [threads] */
	int *cpus;			/* [threads], -1 unpinned */
	size_t batch;
	uint64_t rounds;		/* measured samples taken */
	struct mb_metric *m;
	size_t nm;
	struct mb_count *counts;
	size_t ncounts;
	bool mod_counters_seen;
	unsigned mod_counters;		/* which module counters exist */
	long long perf[MB_PERF_NEVENTS];	/* deltas over the counts pass */
	uint64_t perf_samples;		/* samples the perf counts cover */
	uint64_t counts_samples;	/* samples of the counts pass, 0: none */
	uint64_t floor_ops;		/* ops of the bare loops (MB_F_FLOOR), 0: none */
	size_t floor_loops;		/* timed loops they were run in */
	double floor_ticks;		/* median over the loops of ticks per op */
	double floor_ns;		/* the same in ns, set by mb_finalize() */
	double harness_ns;		/* what floor_ns is set against: the headline */
	double harness_mean_ns;		/* the first metric's mean over all its ops */
};

struct mb_counter_info {
	const char *impl;		/* what timed: libcpucycles' implementation or fallback */
	const char *lib_impl;		/* cpucycles_implementation() */
	const char *lib_version;
	long long lib_hz;		/* cpucycles_persecond() */
	double hz_start, hz_end, hz;	/* measured; hz = the one used (mean) */
	double drift_ppm;
	long long resolution;		/* ticks: smallest non-zero step of two reads */
	long long read_ticks;		/* median step of two reads (a read's cost) */
	long long step_probe;		/* smallest gap between distinct read steps */
	long long step_seen;		/* smallest gap between distinct single-op timings
					 * of the run (mb_finalize), 0: none seen */
	size_t step_seen_n;		/* single-op timings it was taken from */
	double kernel_ratio;		/* ticks/s over a syscall loop / hz_start */
	bool fallback;			/* libcpucycles' counter rejected */
};

/* --inject-ns: the calibrated busy-wait (inject.h), for one benchmark or all */
#define MB_MAX_INJECT	16
struct mb_inject {
	const struct mb_bench *b;	/* NULL: every benchmark */
	double ns;			/* requested, > 0 */
	double want_ticks;		/* ns at the counter's start rate */
	long long target;		/* the spin's target, ticks */
	double cost_ticks;		/* measured - target, last round */
	double achieved_ns;		/* mean duration of one wait, measured after calibration */
	int rounds;
};

struct mb_run {
	struct mb_opts *o;
	struct mb_case *cases;
	size_t ncases, ngroups;
	struct mb_counter_info ctr;
	struct mb_perf_info perf;
	struct mb_module mod;
	char orig_profile[32];
	bool profile_changed;
	int pinned_cpu;			/* -1 none */
	int *allowed;			/* CPUs we may run on, before pinning */
	int nallowed;
	bool thp_disabled;
	struct mb_case overhead[2];	/* empty op: batched, timed singly */
	struct mb_inject inj[MB_MAX_INJECT];	/* --inject-ns, calibrated */
	size_t ninj;
	uint64_t seed, samples, warmup;
	uint64_t sample_min_ns;		/* a calibrated batch lasts at least this */
	unsigned bootstrap;
	char date[32];
	double elapsed_s;
	int ncpus;
};

/* the core: counter.c, perf.c, run.c, ops.c, api.c, finalize.c, overhead.c, injectcal.c */
void mb_counter_init(struct mb_counter_info *ci, bool quiet);
void mb_counter_finish(struct mb_counter_info *ci);
/* Open the main thread's perf counters (workers open theirs); failures are recorded
 * in pi, never fatal.  mb_perf_finish() closes them. */
void mb_perf_init(struct mb_perf_info *pi);
void mb_perf_finish(void);
int mb_run_cases(struct mb_run *r);	/* 0, or -EINTR when interrupted */
/* perfctl.c: --perf-control "CTL,ACK" (0 or -1); open the channel and the windows
 * file (0, or -1 with why); rename the file into place (ok) or drop it (0 or -1). */
int mb_prof_parse_control(const char *s, int *ctl, int *ack, long long *dither);
int mb_prof_init(const struct mb_opts *o, char *why, size_t len);
int mb_prof_finish(bool ok);
void mb_prof_arm(const struct mb_run *r);	/* profile r's cases (after the overhead) */
/*
 * --ops N: the run's one case (single-threaded), its first step's op exactly N times
 * in rounds of up to 4096 (before() and after() around each, as around a sample),
 * nothing timed or recorded.  N = 0 does everything but the ops (target open, setup,
 * teardown).  0, MB_SKIP or -1 (reason in the case).
 */
int mb_run_ops(struct mb_run *r, uint64_t ops);
void mb_case_add_count(struct mb_case *cs, const char *name, long long delta);
/* ticks -> units, statistics */
void mb_finalize(struct mb_run *r, struct mb_case *cases, size_t n);
/* The empty op through the batch loop (ov[0]) and timed singly (ov[1]). */
int mb_measure_overhead(struct mb_run *r, struct mb_case ov[2]);
/* Calibrate one --inject-ns busy-wait (in->ns set) with the run's counter; cases
 * whose ->inj points at it then wait in every op. */
void mb_inject_calibrate(struct mb_run *r, struct mb_inject *in);
extern volatile int mb_interrupted;

/*
 * case.c: ticks a calibrated batch lasts at least (1000 resolutions, r->sample_min_ns:
 * the suite's, or --sample-min).  Default and matrix suites: 5 ms, longer than a
 * scheduler tick at HZ=250 (4 ms), so every sample carries a tick and the softirq work
 * behind it (RCU callbacks freeing the VMAs and maple nodes the ops left), as a bare
 * loop of the op does.  The quick suite (tests: counts, formats): 200 us.
 */
long long mb_calibration_target(const struct mb_run *r);
/*
 * case.c: the counts pass takes as many samples as were measured, at most this many:
 * its counts are totals over the pass (ops_per_step: the ops they cover), and a few
 * calibrated batches hold thousands of ops; more only lengthen the run.
 */
#define MB_COUNTS_SAMPLES	5

/* output.c */
int mb_write_results(struct mb_run *r, const char *path);	/* 0 or -1 (message printed) */
void mb_print_summary(struct mb_run *r, FILE *f);
/* overhead_ratio of a case with a floor (first metric's median / floor_ns), else NaN */
double mb_overhead_ratio(const struct mb_case *cs);
const char *mb_status_name(enum mb_status s);

#endif /* MB_HARNESS_H */
