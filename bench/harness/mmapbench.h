/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmapbench.h - everything a benchmark sees.
 *
 * A benchmark is one file, bench/benchmarks/b_<name>.c.  It fills in a struct mb_bench
 * (name, family, one-line description, the axes it uses with their defaults) and gives
 * up to MB_MAX_STEPS loop bodies ("steps"), each the body of one operation.
 * MB_BENCH() registers it; the Makefile builds every benchmarks/b_*.c, so nothing else
 * needs editing.
 *
 * The harness owns the rest: targets and their file descriptors, module profiles, the
 * parameter cross-product, batching, warm-up, timing, pinning, threads, interleaving,
 * statistics and output.  One sample of a case runs, per thread:
 *
 *	before(c)                               untimed, optional
 *	for each step s:                        one metric per step, named steps[s].metric
 *		t0 = counter
 *		for (i = 0; i < c->batch; i++)
 *			steps[s].op(c, i)
 *		t1 = counter                    sample = (t1 - t0) / c->batch, in ns
 *	after(c)                                untimed, optional
 *
 * With MB_F_TIME_EACH every op is timed on its own instead (latency distributions,
 * e.g. page faults): each op's time is one sample and a log2 histogram is added.
 * c->batch (K) is calibrated so the shortest step lasts at least ~1000 counter
 * resolutions (within min_batch..max_batch), fixed with --batch, or, with
 * MB_F_BATCH_COUNT, equal to the --count value.  The harness's own cost per op (an
 * empty op through the same loop) is in the results as env.overhead_ns, not subtracted.
 *
 * With MB_F_FLOOR (single-threaded cases, unless --no-floor) the case's measured
 * samples are followed by bare loops of its first step, the floor:
 *	loop:       before(c); t0; the ops; t1; after(c)
 *	one loop of K ops (i = 0..K-1) per measured sample: as many ops as the
 *	samples' first step, in stretches as long (time each: fresh state each loop)
 * floor_ns (median over the loops of ns per op) and
 * overhead_ratio (the harness's per-op value / floor_ns) go on the first metric.
 * Nothing of the floor is recorded (mb_report values and mb_count deltas dropped).
 *
 * With --threads N (MB_F_THREADS) each thread has its own struct mb_ctx (own c->addr,
 * c->priv), all share the case's fd, each is pinned to its own CPU, and all start each
 * step together.  The first step also gets "<metric> ops/s" (all threads, wall clock)
 * and "<metric> ops/s/thread".
 *
 * Life of a case (one benchmark x target x profile x parameter set), per thread:
 *	setup(c) once  ->  [before, steps, after] x (calibration + warm-up + samples)
 *	->  teardown(c) once.
 * The target's fd stays open for the whole case (same struct file throughout).
 * teardown(c) is called once setup(c) has returned 0 (a setup that skips or fails
 * cleans up after itself).  If an op or hook fails, the harness stops the case and
 * calls teardown(c), which must cope with a half-done sample (e.g. non-NULL slots left
 * in c->addr).
 *
 * Return values: setup/before/after return 0, or mb_skip(...) (setup only) or
 * mb_fail(...).  An op returns 0 or a negative errno (-errno), or mb_fail(...).
 *
 * The shapes of the families (each file's head comment says more):
 *  - fault (b_fault.c):  MB_F_TIME_EACH | MB_F_BATCH_COUNT (K = --count pages);
 *            before() maps K pages and calls mb_nohugepage(); the step touches page
 *            i; after() reports the minor faults taken and unmaps.
 *  - merge (b_merge.c):  MB_F_BATCH_COUNT (K = --count chunks, .min_count = 2),
 *            .span = N * size; before() reserves the range; the step maps chunk i
 *            there with MAP_FIXED_NOREPLACE at file offset i * size; after()
 *            reports mb_count_vmas() over the range with mb_report() and unmaps.
 *
 * Minimal example (a complete benchmark):
 *
 *	static int pair(struct mb_ctx *c, size_t i)
 *	{
 *		void *p = mmap(NULL, c->size, c->prot, c->mflags, c->fd, 0);
 *
 *		(void)i;
 *		if (p == MAP_FAILED)
 *			return -errno;
 *		return munmap(p, c->size) ? -errno : 0;
 *	}
 *
 *	MB_BENCH(pairs) = {
 *		.name = "pairs", .family = "storm", .desc = "mmap+munmap of one size",
 *		.sizes = "4k,2m", .maps = "private,shared",
 *		.steps = { { "mmap+munmap", pair } },
 *	};
 */
#ifndef MMAPBENCH_H
#define MMAPBENCH_H

#include <stddef.h>
#include <stdint.h>

#define MB_MAX_STEPS	4

/* struct mb_bench.flags */
#define MB_F_THREADS	(1u << 0)	/* honours --threads; harness adds ops/s metrics */
#define MB_F_NEEDS_FD	(1u << 1)	/* needs a file: the anon target is skipped */
#define MB_F_TIME_EACH	(1u << 2)	/* time every op on its own, not batches */
#define MB_F_SERIAL	(1u << 3)	/* setup changes the process address space:
					 * run cases one after another, not interleaved */
#define MB_F_BATCH_COUNT (1u << 4)	/* K = the --count value: exactly N ops per
					 * sample, no calibration (merge: N chunks) */
#define MB_F_FLOOR	(1u << 5)	/* after the samples, time the first step's op
					 * in a bare loop too (storms, faults; see below) */

/* setup() return value after mb_skip() */
#define MB_SKIP		1

/* "better" of a metric */
enum mb_better { MB_LOWER, MB_HIGHER, MB_NEITHER };

struct mb_ctx_priv;

/*
 * Per case and per thread.  The harness fills everything above "priv"; the benchmark
 * reads it and never writes it (except the c->addr[] slots).
 */
struct mb_ctx {
	const char *target;	/* "anon", "memfd", "legacy", ... */
	int fd;			/* the target's fd, open for the whole case; -1 for anon */
	int prot;		/* PROT_READ | PROT_WRITE */
	int mflags;		/* MAP_SHARED or MAP_PRIVATE, | MAP_ANONYMOUS (anon),
				 * | MAP_POPULATE when the populate axis says so */
	size_t size;		/* -s axis: bytes per mapping */
	int shared;		/* --map axis: 1 shared, 0 private */
	int populate;		/* --populate axis: 0 or 1 */
	long count;		/* --count axis (0 when the benchmark has none) */
	int threads;		/* --threads axis */
	int thread;		/* this thread, 0 .. threads-1 */
	size_t page;		/* the page size */
	size_t batch;		/* K: ops per step in the current sample */
	void **addr;		/* c->batch slots for the benchmark, all NULL when
				 * before() is called; e.g. mappings between steps */
	void *priv;		/* the benchmark's own state (per thread) */
	struct mb_ctx_priv *h;	/* the harness's; opaque */
};

struct mb_step {
	const char *metric;	/* metric name, e.g. "mmap+munmap"; unit ns, lower is better */
	int (*op)(struct mb_ctx *c, size_t i);	/* one operation; i = 0 .. c->batch-1 */
};

struct mb_bench {
	const char *name;	/* unique; [a-z0-9-]; what -b selects */
	const char *family;	/* e.g. "storm", "merge", "fault" */
	const char *desc;	/* one line, for `mmapbench list` */
	unsigned flags;		/* MB_F_* */
	const char *targets;	/* comma list of targets it applies to; NULL: all */

	/*
	 * Default values of the axes, comma lists in the syntax of the matching
	 * option (which overrides them).  NULL: the benchmark does not use the axis;
	 * it then has one value (shared=0, populate=0, count=0) and is left out of
	 * the case's "params".  sizes is required.
	 */
	const char *sizes;	/* -s:         "4k,2m" */
	const char *maps;	/* --map:      "private,shared" */
	const char *populate;	/* --populate: "no,yes" */
	const char *counts;	/* --count:    "1,10,100" */
	long min_count;		/* smaller --count values are a usage error; 0: none */

	size_t min_batch;	/* bounds for K; 0: 1 and 1 << 20 */
	size_t max_batch;

	/* Bytes of the target one thread maps at once (files are sized to it, module
	 * pools checked against it); NULL: c->size.  Called before setup(). */
	size_t (*span)(const struct mb_ctx *c);

	int (*setup)(struct mb_ctx *c);		/* once per case and thread, untimed */
	int (*before)(struct mb_ctx *c);	/* before each sample, untimed */
	struct mb_step steps[MB_MAX_STEPS];	/* timed, in order; first = primary */
	int (*after)(struct mb_ctx *c);		/* after each sample, untimed */
	void (*teardown)(struct mb_ctx *c);	/* once per case and thread */
};

/* Register a benchmark: MB_BENCH(storm) = { .name = "storm", ... }; */
#define MB_BENCH(var)							\
	static const struct mb_bench var;				\
	static const struct mb_bench *const mb_reg_##var		\
		__attribute__((used, section("mb_benches"))) = &var;	\
	static const struct mb_bench var

/* The case cannot run here (setup only): records the reason, returns MB_SKIP. */
int mb_skip(struct mb_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The case failed: records the reason (first one wins), returns -1. */
int mb_fail(struct mb_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Add one value to an extra metric of this case, e.g. from after():
 *	mb_report(c, "vmas", "count", MB_LOWER, n);
 * Values reported during calibration and warm-up are dropped; each call during a
 * measured sample becomes one sample of the metric (all threads pooled).
 */
void mb_report(struct mb_ctx *c, const char *metric, const char *unit,
	       enum mb_better better, double value);

/* Add delta to the integer count `name` in the case's "counts" (summed over threads
 * and over the whole case, set-up and warm-up included). */
void mb_count(struct mb_ctx *c, const char *name, long long delta);

/* 0 in an --ops run (an outside timer times the whole process, and it does exactly
 * the ops asked for: nothing is recorded), 1 otherwise.  Set-up work that only
 * feeds counts is left out when 0. */
int mb_recording(const struct mb_ctx *c);

/* A reproducible random number (splitmix64, seeded from --seed, case and
 * thread).  Untimed code only, or accept its ~1 ns in the op. */
uint64_t mb_rand(struct mb_ctx *c);

/* The case's --inject-ns wait (nothing without one).  A benchmark that times an op of
 * its own with mb_report (merge's whole-range munmap) calls it inside that region,
 * once per op, so that an injected slowdown reaches every timed metric. */
void mb_inject_wait(struct mb_ctx *c);

/* madvise(MADV_NOHUGEPAGE) where 4 KiB faults are measured; counted as hygiene in
 * the case's counts ("hygiene.nohugepage").  0 or -errno. */
int mb_nohugepage(struct mb_ctx *c, void *addr, size_t len);

/*
 * Address-space inspection, for merge-style benchmarks (untimed code):
 * mb_count_vmas(): VMAs of this process intersecting [start, end) (0, UINTPTR_MAX for
 * all), via the PROCMAP_QUERY ioctl when the kernel has it, else /proc/self/maps;
 * -errno on error.  mb_vma_at(): the VMA containing addr; 0, -ENOENT or -errno.
 */
long mb_count_vmas(uintptr_t start, uintptr_t end);
int mb_vma_at(uintptr_t addr, uintptr_t *start, uintptr_t *end);

/* vm.max_map_count, or -errno. */
long mb_max_map_count(void);

#endif /* MMAPBENCH_H */
