// SPDX-License-Identifier: GPL-2.0
/*
 * harness.c - how things are measured: the counter, the registry, the benchmark API,
 * threads, calibration, warm-up, interleaved sampling and the statistics pass.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cpucycles.h>

#include "clock.h"
#include "harness.h"
#include "inject.h"

volatile int mb_interrupted;

/* ---- the counter ---- */

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

/*
 * The timed loops: every op a benchmark's step runs goes through one of these three,
 * so a change to how ops are timed is made here once.  op(c, i) for i = 0..K-1,
 * stopping at the first non-zero return (its index in *at); with inj >= 0 (the
 * --inject-ns target, ticks) a spin(inj) after every op.
 *
 * loop_batch: rounds x K ops between two counter reads, *ticks = the difference
 * (samples: 1 round; the floor: several).  The counter is read after the loop even
 * when an op failed.
 */
static int loop_batch(int (*op)(struct mb_ctx *, size_t), struct mb_ctx *c, size_t K,
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
 * loop_each: K ops, each between two counter reads of its own (its wait included):
 * e[i] its ticks, *sum theirs up to and including a failing one.
 */
static int loop_each(int (*op)(struct mb_ctx *, size_t), struct mb_ctx *c, size_t K,
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

/* loop_bare: K ops and no counter read (--ops: an outside timer times the process). */
static int loop_bare(int (*op)(struct mb_ctx *, size_t), struct mb_ctx *c, size_t K,
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

/* Smallest non-zero step between two reads (the counter's granularity or its cost). */
static long long measure_resolution(void)
{
	long long best = 0;

	for (int i = 0; i < 2000; i++) {
		long long t0 = tick(), t1;

		do
			t1 = tick();
		while (t1 == t0);
		if (t1 > t0 && (!best || t1 - t0 < best))
			best = t1 - t0;
	}
	return best ? best : 1;
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
	ci->resolution = measure_resolution();
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
		ci->resolution = measure_resolution();
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

/* ---- perf software events of the measuring threads ---- */

/*
 * One counter group per measuring thread (the main thread when a case has one
 * thread, each worker otherwise), opened once with pid 0 (that thread only), always
 * counting; a sample's counts are the difference of two group reads, taken where
 * rusage is, so both cover the same measured samples.  kernel-mode events are
 * included (exclude_kernel = 0): a context switch happens in the kernel, and a
 * counter that excludes it would read 0.  If the group cannot be opened (no
 * CONFIG_PERF_EVENTS, perf_event_paranoid, seccomp) the reason goes into
 * env.perf.error and no perf.* count is written: never a 0 that was not counted.
 */
const char *const mb_perf_event_names[MB_PERF_NEVENTS] = {
	"page-faults", "minor-faults", "major-faults", "context-switches", "cpu-migrations",
};

static const unsigned long long perf_configs[MB_PERF_NEVENTS] = {
	PERF_COUNT_SW_PAGE_FAULTS, PERF_COUNT_SW_PAGE_FAULTS_MIN, PERF_COUNT_SW_PAGE_FAULTS_MAJ,
	PERF_COUNT_SW_CONTEXT_SWITCHES, PERF_COUNT_SW_CPU_MIGRATIONS,
};

struct perf_group {
	int fd[MB_PERF_NEVENTS];	/* fd[0] the leader; -1: not open */
};

static struct mb_perf_info *perf_info;	/* of the run; NULL before mb_perf_init() */
static struct perf_group perf_main = { { -1 } };

static void perf_disable(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void perf_disable(const char *fmt, ...)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	va_list ap;

	pthread_mutex_lock(&lock);
	if (perf_info && perf_info->available) {
		perf_info->available = false;
		va_start(ap, fmt);
		vsnprintf(perf_info->error, sizeof(perf_info->error), fmt, ap);
		va_end(ap);
	}
	pthread_mutex_unlock(&lock);
}

static void perf_close_group(struct perf_group *g)
{
	for (int i = 0; i < MB_PERF_NEVENTS; i++) {
		if (g->fd[i] >= 0)
			close(g->fd[i]);
		g->fd[i] = -1;
	}
}

/* Open the calling thread's group; 0, or -1 with the reason in why. */
static int perf_open_group(struct perf_group *g, char *why, size_t len)
{
	const char *fail = getenv("MMAPBENCH_TEST_FAIL");	/* tests/unit/test_harness.sh */
	long long par;

	for (int i = 0; i < MB_PERF_NEVENTS; i++)
		g->fd[i] = -1;
	if (fail && !strcmp(fail, "perf")) {
		snprintf(why, len, "perf_event_open: refused for the test (MMAPBENCH_TEST_FAIL=perf)");
		return -1;
	}
	for (int i = 0; i < MB_PERF_NEVENTS; i++) {
		struct perf_event_attr a;
		int e;

		memset(&a, 0, sizeof(a));
		a.size = sizeof(a);
		a.type = PERF_TYPE_SOFTWARE;
		a.config = perf_configs[i];
		a.read_format = PERF_FORMAT_GROUP;
		a.exclude_hv = 1;
		g->fd[i] = (int)syscall(SYS_perf_event_open, &a, 0, -1, i ? g->fd[0] : -1,
					PERF_FLAG_FD_CLOEXEC);
		if (g->fd[i] >= 0)
			continue;
		e = errno;
		if ((e == EACCES || e == EPERM) &&
		    !mb_read_ll("/proc/sys/kernel/perf_event_paranoid", &par))
			snprintf(why, len, "perf_event_open(%s): %s (kernel.perf_event_paranoid = "
				 "%lld: kernel-mode software events need <= 1 or CAP_PERFMON)",
				 mb_perf_event_names[i], strerror(e), par);
		else
			snprintf(why, len, "perf_event_open(%s): %s%s", mb_perf_event_names[i],
				 strerror(e), e == ENOSYS ? " (no CONFIG_PERF_EVENTS?)" : "");
		perf_close_group(g);
		return -1;
	}
	return 0;
}

void mb_perf_init(struct mb_perf_info *pi)
{
	memset(pi, 0, sizeof(*pi));
	perf_info = pi;
	pi->available = perf_open_group(&perf_main, pi->error, sizeof(pi->error)) == 0;
}

void mb_perf_finish(void)
{
	perf_close_group(&perf_main);
}

/* Add the group's current values to v; 0, or -1 (perf disabled, reason recorded). */
static int perf_read_group(const struct perf_group *g, long long v[MB_PERF_NEVENTS])
{
	uint64_t buf[1 + MB_PERF_NEVENTS];
	ssize_t n;

	if (g->fd[0] < 0) {
		perf_disable("a measuring thread has no perf_event group");
		return -1;
	}
	n = read(g->fd[0], buf, sizeof(buf));
	if (n != (ssize_t)sizeof(buf) || buf[0] != MB_PERF_NEVENTS) {
		perf_disable("reading a perf_event group: %s", n < 0 ? strerror(errno) :
			     "short read");
		return -1;
	}
	for (int i = 0; i < MB_PERF_NEVENTS; i++)
		v[i] += (long long)buf[1 + i];
	return 0;
}

/* ---- the registry ---- */

extern const struct mb_bench *const __start_mb_benches[];
extern const struct mb_bench *const __stop_mb_benches[];

static const struct mb_bench **registry;
static size_t nregistry;

static int cmp_bench(const void *a, const void *b)
{
	const struct mb_bench *x = *(const struct mb_bench *const *)a;
	const struct mb_bench *y = *(const struct mb_bench *const *)b;
	int c = strcmp(x->family, y->family);

	return c ? c : strcmp(x->name, y->name);
}

static void registry_init(void)
{
	size_t n = (size_t)(__stop_mb_benches - __start_mb_benches);

	if (registry)
		return;
	registry = malloc((n ? n : 1) * sizeof(*registry));
	if (!registry) {
		fprintf(stderr, "mmapbench: out of memory\n");
		exit(MB_EXIT_RUNTIME);
	}
	for (size_t i = 0; i < n; i++)
		registry[i] = __start_mb_benches[i];
	qsort(registry, n, sizeof(*registry), cmp_bench);
	nregistry = n;
}

size_t mb_bench_count(void)
{
	registry_init();
	return nregistry;
}

const struct mb_bench *mb_bench_get(size_t i)
{
	registry_init();
	return i < nregistry ? registry[i] : NULL;
}

const struct mb_bench *mb_bench_find(const char *name)
{
	registry_init();
	for (size_t i = 0; i < nregistry; i++)
		if (!strcmp(registry[i]->name, name))
			return registry[i];
	return NULL;
}

/* ---- per-context state and the benchmark-facing helpers ---- */

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

static void vreason(struct mb_ctx *c, const char *fmt, va_list ap)
{
	if (!c->h->reason[0])
		vsnprintf(c->h->reason, sizeof(c->h->reason), fmt, ap);
}

int mb_skip(struct mb_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreason(c, fmt, ap);
	va_end(ap);
	c->h->skip = true;
	return MB_SKIP;
}

int mb_fail(struct mb_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreason(c, fmt, ap);
	va_end(ap);
	return -1;
}

void mb_report(struct mb_ctx *c, const char *metric, const char *unit,
	       enum mb_better better, double value)
{
	struct mb_ctx_priv *h = c->h;

	if (h->nrep == h->caprep) {
		size_t cap = h->caprep ? 2 * h->caprep : 16;
		struct mb_report_val *p = realloc(h->rep, cap * sizeof(*p));

		if (!p) {
			mb_fail(c, "out of memory in mb_report");
			return;
		}
		h->rep = p;
		h->caprep = cap;
	}
	snprintf(h->rep[h->nrep].name, sizeof(h->rep[0].name), "%s", metric);
	snprintf(h->rep[h->nrep].unit, sizeof(h->rep[0].unit), "%s", unit);
	h->rep[h->nrep].better = better;
	h->rep[h->nrep].v = value;
	h->nrep++;
}

static void counts_add(struct mb_count **counts, size_t *n, const char *name, long long d)
{
	struct mb_count *p;

	for (size_t i = 0; i < *n; i++) {
		if (!strcmp((*counts)[i].name, name)) {
			(*counts)[i].v += d;
			return;
		}
	}
	p = realloc(*counts, (*n + 1) * sizeof(*p));
	if (!p)
		return;		/* a count lost to ENOMEM is not worth failing a run */
	*counts = p;
	snprintf(p[*n].name, sizeof(p[0].name), "%s", name);
	p[*n].v = d;
	(*n)++;
}

void mb_count(struct mb_ctx *c, const char *name, long long delta)
{
	counts_add(&c->h->counts, &c->h->ncounts, name, delta);
}

void mb_case_add_count(struct mb_case *cs, const char *name, long long delta)
{
	counts_add(&cs->counts, &cs->ncounts, name, delta);
}

uint64_t mb_rand(struct mb_ctx *c)
{
	return mb_splitmix64(&c->h->rng);
}

int mb_nohugepage(struct mb_ctx *c, void *addr, size_t len)
{
	if (madvise(addr, len, MADV_NOHUGEPAGE))
		return -errno;
	mb_count(c, "hygiene.nohugepage", 1);
	return 0;
}

/* ---- running one case's jobs on its threads ---- */

enum job { J_SETUP, J_SAMPLE, J_TEARDOWN };

struct pool {
	int n;
	pthread_t *tid;
	pthread_barrier_t go, done, step;
	struct mb_case *cs;
	enum job job;
	int quit;
	const int *cpus;
	struct perf_group *pg;	/* [n]: each worker's perf counters */
};

static struct pool *pool;	/* of the group being run, NULL when single-threaded */

static size_t nsteps(const struct mb_bench *b)
{
	size_t n = 0;

	while (n < MB_MAX_STEPS && b->steps[n].op)
		n++;
	return n;
}

static void run_sample(struct mb_case *cs, struct mb_ctx *c)
{
	const struct mb_bench *b = cs->b;
	struct mb_ctx_priv *h = c->h;
	bool each = b->flags & MB_F_TIME_EACH;
	size_t K = c->batch, ns = nsteps(b), i = 0;
	long long inj = cs->inj ? cs->inj->target : -1;	/* --inject-ns */
	int rc = 0;

	memset(c->addr, 0, K * sizeof(*c->addr));
	h->nrep = 0;
	if (b->before) {
		rc = b->before(c);
		if (rc && !h->reason[0])
			snprintf(h->reason, sizeof(h->reason), "before(): %s",
				 rc < 0 ? strerror(-rc) : "failed");
	}
	for (size_t s = 0; s < ns; s++) {
		int (*op)(struct mb_ctx *, size_t) = b->steps[s].op;

		/* Threads start each step together; a failed thread still turns up. */
		if (cs->threads > 1)
			pthread_barrier_wait(&pool->step);
		h->ticks[s] = 0;
		if (rc)
			continue;
		h->mono0[s] = mb_mono_ns();
		if (each)
			rc = loop_each(op, c, K, inj, h->each[s], &h->ticks[s], &i);
		else
			rc = loop_batch(op, c, K, 1, inj, &h->ticks[s], &i);
		h->mono1[s] = mb_mono_ns();
		if (!rc && h->ticks[s] < 0) {
			/* pinned threads do not migrate; a counter that does this is broken */
			snprintf(h->reason, sizeof(h->reason), "%s: the counter went backwards "
				 "(%lld ticks)", b->steps[s].metric, h->ticks[s]);
			rc = -1;
		}
		if (rc && !h->reason[0]) {
			if (rc < 0)
				snprintf(h->reason, sizeof(h->reason), "%s: op %zu of %zu: %s",
					 b->steps[s].metric, i, K, strerror(-rc));
			else
				snprintf(h->reason, sizeof(h->reason), "%s: op %zu of %zu "
					 "returned %d", b->steps[s].metric, i, K, rc);
		}
	}
	if (!rc && b->after) {
		rc = b->after(c);
		if (rc && !h->reason[0])
			snprintf(h->reason, sizeof(h->reason), "after(): %s",
				 rc < 0 ? strerror(-rc) : "failed");
	}
	h->rc = rc;
}

static void do_job(struct mb_case *cs, int t, enum job job)
{
	struct mb_ctx *c = &cs->ctx[t];

	switch (job) {
	case J_SETUP:
		c->h->rc = cs->b->setup ? cs->b->setup(c) : 0;
		c->h->setup_done = c->h->rc == 0;
		if (c->h->rc && !c->h->reason[0])
			snprintf(c->h->reason, sizeof(c->h->reason), "setup(): %s",
				 c->h->rc < 0 ? strerror(-c->h->rc) : "failed");
		break;
	case J_SAMPLE:
		run_sample(cs, c);
		break;
	case J_TEARDOWN:
		if (c->h->setup_done && cs->b->teardown)
			cs->b->teardown(c);
		c->h->setup_done = false;
		break;
	}
}

static void pin_self(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *worker(void *arg)
{
	int t = (int)(intptr_t)arg;
	char why[MB_REASON_LEN];

	pin_self(pool->cpus[t]);
	/* before the first barrier: open when the first job is dispatched */
	if (perf_info && perf_info->available &&
	    perf_open_group(&pool->pg[t], why, sizeof(why)))
		perf_disable("worker thread: %s", why);
	for (;;) {
		pthread_barrier_wait(&pool->go);
		if (pool->quit)
			break;
		do_job(pool->cs, t, pool->job);
		pthread_barrier_wait(&pool->done);
	}
	return NULL;
}

static int pool_start(int n, const int *cpus)
{
	pool = calloc(1, sizeof(*pool));
	if (!pool)
		return -ENOMEM;
	pool->n = n;
	pool->cpus = cpus;
	pool->tid = calloc((size_t)n, sizeof(*pool->tid));
	pool->pg = calloc((size_t)n, sizeof(*pool->pg));
	if (!pool->tid || !pool->pg)
		goto fail;
	for (int t = 0; t < n; t++)
		for (int i = 0; i < MB_PERF_NEVENTS; i++)
			pool->pg[t].fd[i] = -1;
	pthread_barrier_init(&pool->go, NULL, (unsigned)n + 1);
	pthread_barrier_init(&pool->done, NULL, (unsigned)n + 1);
	pthread_barrier_init(&pool->step, NULL, (unsigned)n);
	for (int t = 0; t < n; t++) {
		if (pthread_create(&pool->tid[t], NULL, worker, (void *)(intptr_t)t)) {
			/* let the ones started leave through a barrier of the right size */
			fprintf(stderr, "mmapbench: cannot create thread %d of %d\n", t + 1, n);
			exit(MB_EXIT_RUNTIME);
		}
	}
	return 0;
fail:
	free(pool->tid);
	free(pool->pg);
	free(pool);
	pool = NULL;
	return -ENOMEM;
}

static void pool_stop(void)
{
	if (!pool)
		return;
	pool->quit = 1;
	pthread_barrier_wait(&pool->go);
	for (int t = 0; t < pool->n; t++) {
		pthread_join(pool->tid[t], NULL);
		perf_close_group(&pool->pg[t]);
	}
	pthread_barrier_destroy(&pool->go);
	pthread_barrier_destroy(&pool->done);
	pthread_barrier_destroy(&pool->step);
	free(pool->tid);
	free(pool->pg);
	free(pool);
	pool = NULL;
}

static void dispatch(struct mb_case *cs, enum job job)
{
	if (cs->threads == 1) {
		do_job(cs, 0, job);
		return;
	}
	pool->cs = cs;
	pool->job = job;
	pthread_barrier_wait(&pool->go);
	pthread_barrier_wait(&pool->done);
}

/* First failure or skip reason of the case's threads; returns the worst rc. */
static int collect_rc(struct mb_case *cs, bool *skip)
{
	int worst = 0;

	*skip = false;
	for (int t = 0; t < cs->threads; t++) {
		struct mb_ctx_priv *h = cs->ctx[t].h;

		if (h->rc && !cs->reason[0])
			snprintf(cs->reason, sizeof(cs->reason), "%s",
				 h->reason[0] ? h->reason : "failed");
		if (h->rc == MB_SKIP && h->skip)
			*skip = true;
		else if (h->rc)
			worst = -1;
	}
	return worst ? worst : (*skip ? MB_SKIP : 0);
}

/* ---- metrics ---- */

/*
 * The run's clock (clock.h): under icount a timing is guest instructions, unit "insn",
 * ns / 2^shift; and the ops/s metrics go (a rate per virtual second of instructions
 * would only restate the timing).  Set by mb_run_cases() before any case runs.
 */
static const char *time_unit = "ns";
static bool icount;
static double insn_scale = 1;	/* ns per instruction */

static void clock_setup(const struct mb_opts *o)
{
	enum mb_clock c = MB_CLOCK_BARE;

	if (o->clock)
		mb_clock_parse(o->clock, &c);
	icount = c == MB_CLOCK_ICOUNT;
	time_unit = mb_clock_time_unit(c);
	insn_scale = icount ? (double)(1ull << o->icount_shift) : 1;
}

static struct mb_metric *metric_get(struct mb_case *cs, const char *name, const char *unit,
				    enum mb_better better, enum mb_kind kind)
{
	struct mb_metric *p;

	for (size_t i = 0; i < cs->nm; i++)
		if (!strcmp(cs->m[i].name, name))
			return &cs->m[i];
	p = realloc(cs->m, (cs->nm + 1) * sizeof(*p));
	if (!p)
		return NULL;
	cs->m = p;
	p = &cs->m[cs->nm++];
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	snprintf(p->unit, sizeof(p->unit), "%s", unit);
	p->better = better;
	p->kind = kind;
	return p;
}

static int metric_push(struct mb_metric *m, double v)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 64;
		double *p = realloc(m->v, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		m->v = p;
		m->cap = cap;
	}
	m->v[m->n++] = v;
	return 0;
}

static void metrics_declare(struct mb_case *cs)
{
	const struct mb_bench *b = cs->b;
	char name[64];

	for (size_t s = 0; s < nsteps(b); s++)
		metric_get(cs, b->steps[s].metric, time_unit, MB_LOWER, MB_K_TICKS);
	if ((b->flags & MB_F_THREADS) && !icount) {
		snprintf(name, sizeof(name), "%s ops/s", b->steps[0].metric);
		metric_get(cs, name, "ops/s", MB_HIGHER, MB_K_RAW);
		snprintf(name, sizeof(name), "%s ops/s/thread", b->steps[0].metric);
		metric_get(cs, name, "ops/s", MB_HIGHER, MB_K_RATE);
	}
}

/* Store one measured sample of every thread. */
static int record_sample(struct mb_case *cs)
{
	const struct mb_bench *b = cs->b;
	bool each = b->flags & MB_F_TIME_EACH;
	size_t K = cs->batch;
	int err = 0;
	char name[64];

	for (size_t s = 0; s < nsteps(b); s++) {
		struct mb_metric *m = metric_get(cs, b->steps[s].metric, time_unit, MB_LOWER,
						 MB_K_TICKS);
		double sum = 0;

		if (!m)
			return -ENOMEM;
		m->each = each;
		m->batch = each ? 1 : K;
		for (int t = 0; t < cs->threads; t++) {
			struct mb_ctx_priv *h = cs->ctx[t].h;

			if (each)
				for (size_t i = 0; i < K && !err; i++)
					err = metric_push(m, (double)h->each[s][i]);
			sum += (double)h->ticks[s] / (double)K;
		}
		if (!each)
			err = err ? err : metric_push(m, sum / cs->threads);
	}
	if ((b->flags & MB_F_THREADS) && !icount) {
		struct mb_metric *agg, *per;
		int64_t first = INT64_MAX, last = INT64_MIN;
		double rate = 0;

		snprintf(name, sizeof(name), "%s ops/s", b->steps[0].metric);
		agg = metric_get(cs, name, "ops/s", MB_HIGHER, MB_K_RAW);
		snprintf(name, sizeof(name), "%s ops/s/thread", b->steps[0].metric);
		per = metric_get(cs, name, "ops/s", MB_HIGHER, MB_K_RATE);
		if (!agg || !per)
			return -ENOMEM;
		for (int t = 0; t < cs->threads; t++) {
			struct mb_ctx_priv *h = cs->ctx[t].h;

			if (h->mono0[0] < first)
				first = h->mono0[0];
			if (h->mono1[0] > last)
				last = h->mono1[0];
			rate += (double)K / (double)(h->ticks[0] > 0 ? h->ticks[0] : 1);
		}
		agg->batch = per->batch = K;
		/* wall clock from the first thread's start to the last one's end */
		err = err ? err : metric_push(agg, (double)cs->threads * (double)K * 1e9 /
					      (double)(last > first ? last - first : 1));
		err = err ? err : metric_push(per, rate / cs->threads);
	}
	for (int t = 0; t < cs->threads; t++) {
		struct mb_ctx_priv *h = cs->ctx[t].h;

		for (size_t i = 0; i < h->nrep && !err; i++) {
			bool ns = !strcmp(h->rep[i].unit, "ns");
			struct mb_metric *m = metric_get(cs, h->rep[i].name,
							 ns ? time_unit : h->rep[i].unit,
							 h->rep[i].better, MB_K_RAW);

			if (m)
				m->reported = true;
			err = m ? metric_push(m, ns ? h->rep[i].v / insn_scale : h->rep[i].v)
				: -ENOMEM;
		}
		h->nrep = 0;
	}
	return err;
}

/* ---- a case's life ---- */

struct sched {
	struct mb_run *r;
	char cur_profile[32];
	bool have_profile;
};

static void case_fail(struct mb_case *cs, enum mb_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void case_fail(struct mb_case *cs, enum mb_status st, const char *fmt, ...)
{
	va_list ap;

	cs->status = st;
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(cs->reason, sizeof(cs->reason), fmt, ap);
		va_end(ap);
	}
}

static int set_batch(struct mb_case *cs, size_t K)
{
	for (int t = 0; t < cs->threads; t++) {
		struct mb_ctx *c = &cs->ctx[t];
		struct mb_ctx_priv *h = c->h;

		if (K > h->cap) {
			void **a = realloc(c->addr, K * sizeof(*a));

			if (!a)
				return -ENOMEM;
			memset(a + h->cap, 0, (K - h->cap) * sizeof(*a));
			c->addr = a;
			if (cs->b->flags & MB_F_TIME_EACH) {
				for (size_t s = 0; s < MB_MAX_STEPS; s++) {
					long long *e = realloc(h->each[s], K * sizeof(*e));

					if (!e)
						return -ENOMEM;
					h->each[s] = e;
				}
			}
			h->cap = K;
		}
		c->batch = K;
	}
	cs->batch = K;
	return 0;
}

static void case_free_ctx(struct mb_case *cs)
{
	if (!cs->ctx)
		return;
	for (int t = 0; t < cs->threads; t++) {
		struct mb_ctx_priv *h = cs->ctx[t].h;

		if (!h)
			continue;
		for (size_t i = 0; i < h->ncounts; i++)
			mb_case_add_count(cs, h->counts[i].name, h->counts[i].v);
		free(h->counts);
		free(h->rep);
		for (size_t s = 0; s < MB_MAX_STEPS; s++)
			free(h->each[s]);
		free(h);
		free(cs->ctx[t].addr);
	}
	free(cs->ctx);
	cs->ctx = NULL;
}

static void case_close(struct mb_case *cs)
{
	if (cs->ctx)
		dispatch(cs, J_TEARDOWN);
	case_free_ctx(cs);
	if (cs->fd >= 0)
		close(cs->fd);
	cs->fd = -1;
}

/* Switch the module's profile for a module-target case; 0 or -errno. */
static int apply_profile(struct sched *sc, struct mb_case *cs)
{
	int err;

	if (!cs->t || !(cs->t->flags & MB_T_MODULE) || !cs->profile)
		return 0;
	if (sc->have_profile && !strcmp(sc->cur_profile, cs->profile))
		return 0;
	err = mb_module_set_profile(cs->profile);
	if (err)
		return err;
	snprintf(sc->cur_profile, sizeof(sc->cur_profile), "%s", cs->profile);
	sc->have_profile = true;
	sc->r->profile_changed = true;
	return 0;
}

/* Open the target, make the contexts, run setup.  On return cs->status tells. */
static void case_open(struct sched *sc, struct mb_case *cs)
{
	struct mb_run *r = sc->r;
	const struct mb_bench *b = cs->b;
	char why[MB_REASON_LEN] = "";
	int rc;
	bool skip;

	cs->fd = -1;
	if (cs->t && (cs->t->flags & MB_T_SHARED_ONLY) && !cs->shared) {
		case_fail(cs, MB_ST_SKIPPED, "%s supports MAP_SHARED only", cs->t->name);
		return;
	}
	if (cs->t && (cs->t->flags & MB_T_MODULE)) {
		if (!mb_target_probe(cs->t, NULL, why, sizeof(why))) {
			case_fail(cs, MB_ST_SKIPPED, "%s", why);
			return;
		}
		if (r->mod.have_pool && cs->span > (uint64_t)r->mod.pool_mb << 20) {
			char a[32];

			mb_fmt_size(a, sizeof(a), cs->span);
			case_fail(cs, MB_ST_SKIPPED, "needs %s, module pool is %lld MiB "
				  "(pool_mb)", a, r->mod.pool_mb);
			return;
		}
		if (cs->profile && (!sc->have_profile || strcmp(sc->cur_profile, cs->profile))) {
			rc = apply_profile(sc, cs);
			if (rc) {
				case_fail(cs, MB_ST_SKIPPED, "cannot switch module profile to "
					  "'%s': %s", cs->profile, strerror(-rc));
				return;
			}
		}
	}
	if (cs->t) {
		rc = mb_target_open(cs->t, r->o->file, cs->span, &cs->fd, &cs->info, why,
				    sizeof(why));
		if (rc) {
			case_fail(cs, rc == MB_SKIP ? MB_ST_SKIPPED : MB_ST_FAILED, "%s", why);
			return;
		}
	}

	cs->ctx = calloc((size_t)cs->threads, sizeof(*cs->ctx));
	if (!cs->ctx) {
		case_fail(cs, MB_ST_FAILED, "out of memory");
		return;
	}
	for (int t = 0; t < cs->threads; t++) {
		struct mb_ctx *c = &cs->ctx[t];

		c->h = calloc(1, sizeof(*c->h));
		if (!c->h) {
			case_fail(cs, MB_ST_FAILED, "out of memory");
			case_free_ctx(cs);
			return;
		}
		c->h->cs = cs;
		c->h->rng = r->seed ^ (0x9e3779b97f4a7c15ull * (cs - r->cases + 1)) ^
			    ((uint64_t)t << 48);
		c->target = cs->t ? cs->t->name : "none";
		c->fd = cs->fd;
		c->prot = PROT_READ | PROT_WRITE;
		c->mflags = cs->shared ? MAP_SHARED : MAP_PRIVATE;
		if (cs->t && (cs->t->flags & MB_T_ANON))
			c->mflags |= MAP_ANONYMOUS;
		if (cs->populate)
			c->mflags |= MAP_POPULATE;
		c->size = cs->size;
		c->shared = cs->shared;
		c->populate = cs->populate;
		c->count = cs->count;
		c->threads = cs->threads;
		c->thread = t;
		c->page = (size_t)sysconf(_SC_PAGESIZE);
	}
	if (set_batch(cs, b->min_batch ? b->min_batch : 1)) {
		case_fail(cs, MB_ST_FAILED, "out of memory");
		case_free_ctx(cs);
		return;
	}
	metrics_declare(cs);

	dispatch(cs, J_SETUP);
	rc = collect_rc(cs, &skip);
	if (rc) {
		cs->status = rc == MB_SKIP ? MB_ST_SKIPPED : MB_ST_FAILED;
		case_close(cs);
		return;
	}
	{
		long v = mb_count_vmas(0, UINTPTR_MAX);

		if (v >= 0)
			mb_case_add_count(cs, "vmas_after_setup", v);
	}
	cs->status = MB_ST_PENDING;
}

struct rusage_snap {
	struct rusage ru;
	long long mod[MB_MOD_NCOUNTERS];
	long long perf[MB_PERF_NEVENTS];
	bool perf_ok;
};

/* perf counts of the case's measuring threads: the main thread or the workers */
static void snap_perf(struct mb_case *cs, struct rusage_snap *s)
{
	memset(s->perf, 0, sizeof(s->perf));
	s->perf_ok = false;
	if (!perf_info || !perf_info->available)
		return;
	if (cs->threads == 1) {
		if (perf_read_group(&perf_main, s->perf))
			return;
	} else {
		for (int t = 0; t < cs->threads; t++)
			if (perf_read_group(&pool->pg[t], s->perf))
				return;
	}
	s->perf_ok = true;
}

/*
 * Before a measured sample: module counters, rusage, perf; after it the reverse,
 * so rusage and perf cover the same stretch, the sample and nothing else.
 */
static void snap(struct mb_case *cs, struct rusage_snap *s, bool after)
{
	if (after) {
		snap_perf(cs, s);
		getrusage(RUSAGE_SELF, &s->ru);
	}
	if (cs->t && (cs->t->flags & MB_T_MODULE)) {
		cs->mod_counters = mb_module_counters(cs->t->dbg, s->mod);
		cs->mod_counters_seen = true;
	}
	if (!after) {
		getrusage(RUSAGE_SELF, &s->ru);
		snap_perf(cs, s);
	}
}

static void account(struct mb_case *cs, const struct rusage_snap *a,
		    const struct rusage_snap *b)
{
	char name[64];

	mb_case_add_count(cs, "minflt", b->ru.ru_minflt - a->ru.ru_minflt);
	mb_case_add_count(cs, "majflt", b->ru.ru_majflt - a->ru.ru_majflt);
	mb_case_add_count(cs, "nvcsw", b->ru.ru_nvcsw - a->ru.ru_nvcsw);
	mb_case_add_count(cs, "nivcsw", b->ru.ru_nivcsw - a->ru.ru_nivcsw);
	mb_case_add_count(cs, "ops_per_step", (long long)cs->batch * cs->threads);
	for (int i = 0; i < MB_MOD_NCOUNTERS; i++) {
		if (!(cs->mod_counters & (1u << i)))
			continue;
		snprintf(name, sizeof(name), "module.%s", mb_mod_counter_names[i]);
		mb_case_add_count(cs, name, b->mod[i] - a->mod[i]);
	}
	/* a sample without perf counts leaves the case without any (see output.c) */
	if (a->perf_ok && b->perf_ok) {
		for (int i = 0; i < MB_PERF_NEVENTS; i++)
			cs->perf[i] += b->perf[i] - a->perf[i];
		cs->perf_samples++;
	}
}

/* One sample of a case on all its threads; 0 or -1 (case failed and closed). */
static int case_sample(struct sched *sc, struct mb_case *cs, bool measured)
{
	struct rusage_snap a, b;
	bool skip;
	int err = apply_profile(sc, cs);

	if (err) {
		case_fail(cs, MB_ST_FAILED, "cannot switch module profile to '%s': %s",
			  cs->profile, strerror(-err));
		case_close(cs);
		return -1;
	}
	if (measured)
		snap(cs, &a, false);
	dispatch(cs, J_SAMPLE);
	if (measured)
		snap(cs, &b, true);
	if (collect_rc(cs, &skip)) {
		cs->status = MB_ST_FAILED;
		case_close(cs);
		return -1;
	}
	if (!measured) {
		for (int t = 0; t < cs->threads; t++)
			cs->ctx[t].h->nrep = 0;
		return 0;
	}
	account(cs, &a, &b);
	if (record_sample(cs)) {
		case_fail(cs, MB_ST_FAILED, "out of memory");
		case_close(cs);
		return -1;
	}
	cs->rounds++;
	return 0;
}

/* Smallest batch time of the last sample over steps and threads, in ticks. */
static long long last_min_ticks(struct mb_case *cs)
{
	long long m = -1;

	for (int t = 0; t < cs->threads; t++)
		for (size_t s = 0; s < nsteps(cs->b); s++)
			if (m < 0 || cs->ctx[t].h->ticks[s] < m)
				m = cs->ctx[t].h->ticks[s];
	return m;
}

/*
 * Choose K: double (or more) it until the shortest step of a sample lasts at least
 * 1000 counter resolutions, within the benchmark's bounds; or take --batch.
 */
static int calibrate(struct sched *sc, struct mb_case *cs)
{
	const struct mb_bench *b = cs->b;
	struct mb_run *r = sc->r;
	size_t K = b->min_batch ? b->min_batch : 1;
	size_t maxK = b->max_batch ? b->max_batch : (size_t)1 << 20;
	long long target = 1000 * r->ctr.resolution;

	bool fixed = r->o->batch || (b->flags & MB_F_BATCH_COUNT);

	if (b->flags & MB_F_BATCH_COUNT) {
		K = cs->count > 0 ? (size_t)cs->count : 1;
	} else if (r->o->batch) {
		K = r->o->batch < maxK ? r->o->batch : maxK;
		if (K < (b->min_batch ? b->min_batch : 1))
			K = b->min_batch;
	}
	for (int iter = 0; iter < 64; iter++) {
		int64_t t0 = mb_mono_ns();
		long long m;
		double f;

		if (set_batch(cs, K)) {
			case_fail(cs, MB_ST_FAILED, "out of memory");
			case_close(cs);
			return -1;
		}
		if (case_sample(sc, cs, false))
			return -1;
		if (fixed || K >= maxK)
			break;
		m = last_min_ticks(cs);
		if (m >= target || mb_mono_ns() - t0 > 500000000)
			break;
		f = m > 0 ? 1.3 * (double)target / (double)m : 64;
		if (f < 2)
			f = 2;
		if (f > 64)
			f = 64;
		K = (size_t)ceil((double)K * f) < maxK ? (size_t)ceil((double)K * f) : maxK;
	}
	return 0;
}

/* ---- the floor: the first step's op in a bare loop (MB_F_FLOOR) ---- */

/* ns of work a case's floor aims at, at most (at least one loop is done) */
#define MB_FLOOR_BUDGET_NS	50000000
/* batched benchmarks: timed loops, each as long as the measured samples together */
#define MB_FLOOR_LOOPS		5

/* before(), or after() when after is set; 0 or the rc (reason set, as in a sample) */
static int floor_hook(struct mb_case *cs, struct mb_ctx *c, bool after)
{
	int (*fn)(struct mb_ctx *) = after ? cs->b->after : cs->b->before;
	int rc = fn ? fn(c) : 0;

	if (rc && !c->h->reason[0])
		snprintf(c->h->reason, sizeof(c->h->reason), "%s(): %s",
			 after ? "after" : "before", rc < 0 ? strerror(-rc) : "failed");
	return rc;
}

/*
 * One bare loop: before(); a counter read; rounds x K ops (i = 0..K-1 each round);
 * a counter read; after().  0 (*ticks set) or the failing rc (reason set).
 */
static int floor_loop(struct mb_case *cs, struct mb_ctx *c, uint64_t rounds,
		      long long *ticks)
{
	long long inj = cs->inj ? cs->inj->target : -1, t;
	size_t K = c->batch, i = 0;
	int rc;

	memset(c->addr, 0, K * sizeof(*c->addr));
	if ((rc = floor_hook(cs, c, false)))
		return rc;
	/* the same loop as the samples', their --inject-ns wait included */
	rc = loop_batch(cs->b->steps[0].op, c, K, rounds, inj, &t, &i);
	if (rc) {
		snprintf(c->h->reason, sizeof(c->h->reason), "%s: op %zu of %zu: %s",
			 cs->b->steps[0].metric, i, K, rc < 0 ? strerror(-rc) : "failed");
		return rc;
	}
	*ticks = t;
	return floor_hook(cs, c, true);
}

/*
 * Right after a case's measured samples (never inside another case's timed region):
 * its first step's op in bare loops.  Batched: MB_FLOOR_LOOPS loops of K x samples
 * ops each (fewer rounds past the budget).  Timed each: one loop of K ops per
 * measured sample (fresh mappings each), until the budget is spent.  cs->floor_ticks
 * = the median over the loops of ticks per op: a preemption in one loop does not
 * move it.  Fails the case if an op does.
 */
static void case_floor(struct sched *sc, struct mb_case *cs)
{
	struct mb_run *r = sc->r;
	bool each = cs->b->flags & MB_F_TIME_EACH;
	struct mb_ctx *c;
	struct mb_ctx_priv *h;
	struct mb_count *saved;
	size_t nsaved, K = cs->batch, nloops, done = 0;
	uint64_t rounds = 1;
	double budget = MB_FLOOR_BUDGET_NS * r->ctr.hz_start / 1e9, *v;
	int64_t start;
	int rc;

	if (!(cs->b->flags & MB_F_FLOOR) || r->o->no_floor || cs->threads != 1 ||
	    cs->status != MB_ST_PENDING || !cs->rounds || !K)
		return;
	rc = apply_profile(sc, cs);
	if (rc) {
		case_fail(cs, MB_ST_FAILED, "floor loop: cannot switch module profile to "
			  "'%s': %s", cs->profile, strerror(-rc));
		case_close(cs);
		return;
	}
	c = &cs->ctx[0];
	h = c->h;
	if (each) {
		nloops = cs->rounds;
	} else {
		/* the last sample's first step says how long an op takes */
		double per_op = (double)h->ticks[0] / (double)K;

		nloops = MB_FLOOR_LOOPS;
		rounds = cs->rounds;
		if (per_op > 0 && (double)(nloops * rounds * K) * per_op > budget)
			rounds = (uint64_t)(budget / (per_op * (double)(nloops * K)));
		if (!rounds)
			rounds = 1;
	}
	v = calloc(nloops, sizeof(*v));
	if (!v) {
		case_fail(cs, MB_ST_FAILED, "out of memory");
		case_close(cs);
		return;
	}
	/* the floor's mb_count deltas are not the case's: set the case's aside */
	saved = h->counts;
	nsaved = h->ncounts;
	h->counts = NULL;
	h->ncounts = 0;
	start = mb_mono_ns();
	for (rc = 0; done < nloops && !rc; done++) {
		long long ticks = 0;

		if (done && (double)(mb_mono_ns() - start) > MB_FLOOR_BUDGET_NS)
			break;
		rc = floor_loop(cs, c, rounds, &ticks);
		if (!rc && ticks <= 0) {
			snprintf(h->reason, sizeof(h->reason), "the counter went backwards "
				 "or stood still (%lld ticks)", ticks);
			rc = -1;
		}
		v[done] = (double)ticks / (double)(rounds * K);
	}
	free(h->counts);
	h->counts = saved;
	h->ncounts = nsaved;
	h->nrep = 0;
	if (rc) {
		free(v);
		case_fail(cs, MB_ST_FAILED, "floor loop: %s", h->reason[0] ? h->reason :
			  "failed");
		case_close(cs);
		return;
	}
	mb_sort(v, done);
	cs->floor_ticks = mb_quantile(v, done, 0.5);
	cs->floor_loops = done;
	cs->floor_ops = done * rounds * K;
	free(v);
}

static void shuffle(struct mb_case **v, size_t n, uint64_t *rng)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)mb_rand_below(rng, i);
		struct mb_case *t = v[i - 1];

		v[i - 1] = v[j];
		v[j] = t;
	}
}

static size_t compact(struct mb_case **v, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (v[i]->status == MB_ST_PENDING)
			v[k++] = v[i];
	return k;
}

/*
 * Run a set of cases together: all set up, then warm-up and measured rounds in which
 * every case takes one sample, in a fresh random order each round.
 */
static int run_set(struct sched *sc, struct mb_case **set, size_t n, uint64_t *rng)
{
	struct mb_run *r = sc->r;
	struct mb_case **act = calloc(n ? n : 1, sizeof(*act));
	size_t na = 0;
	int ret = 0;

	if (!act)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		set[i]->interleaved = n > 1;
		case_open(sc, set[i]);
		if (set[i]->status == MB_ST_PENDING)
			act[na++] = set[i];
	}
	for (size_t i = 0; i < na; i++)
		calibrate(sc, act[i]);
	na = compact(act, na);

	for (uint64_t w = 0; w < r->warmup && na; w++) {
		shuffle(act, na, rng);
		for (size_t i = 0; i < na && !mb_interrupted; i++)
			case_sample(sc, act[i], false);
		na = compact(act, na);
	}
	for (uint64_t s = 0; s < r->samples && na && !mb_interrupted; s++) {
		shuffle(act, na, rng);
		for (size_t i = 0; i < na && !mb_interrupted; i++)
			case_sample(sc, act[i], true);
		na = compact(act, na);
	}
	for (size_t i = 0; i < na && !mb_interrupted; i++)
		case_floor(sc, act[i]);
	na = compact(act, na);
	for (size_t i = 0; i < na; i++) {
		case_close(act[i]);
		act[i]->status = MB_ST_OK;
	}
	if (mb_interrupted)
		ret = -EINTR;
	free(act);
	return ret;
}

static void describe_group(struct mb_case *cs, char *buf, size_t len)
{
	char sz[32];
	int n;

	mb_fmt_size(sz, sizeof(sz), cs->size);
	n = snprintf(buf, len, "%s size=%s", cs->b->name, sz);
	if (cs->b->maps && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " map=%s",
			      cs->shared ? "shared" : "private");
	if (cs->b->populate && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " populate=%s",
			      cs->populate ? "yes" : "no");
	if (cs->b->counts && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " count=%ld", cs->count);
	if (n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " threads=%d", cs->threads);
}

/*
 * CPUs for a group's threads: the allowed CPUs in order, starting at the pinned one,
 * wrapping around (threads share CPUs when there are more threads than CPUs).
 */
static int *cpus_for(struct mb_run *r, int threads)
{
	int *cpus = calloc((size_t)threads, sizeof(*cpus));
	int start = 0;

	if (!cpus)
		return NULL;
	for (int t = 0; t < threads; t++)
		cpus[t] = -1;
	if (r->pinned_cpu < 0 || !r->nallowed)
		return cpus;
	for (int i = 0; i < r->nallowed; i++)
		if (r->allowed[i] == r->pinned_cpu)
			start = i;
	for (int t = 0; t < threads; t++)
		cpus[t] = r->allowed[(start + t) % r->nallowed];
	return cpus;
}

int mb_run_cases(struct mb_run *r)
{
	struct sched sc = { .r = r };
	uint64_t rng = r->seed;
	int64_t t_start = mb_mono_ns();
	size_t done = 0;	/* cases of the groups run so far */
	int ret = 0;

	clock_setup(r->o);
	if (r->mod.loaded && r->mod.have_profile) {
		snprintf(sc.cur_profile, sizeof(sc.cur_profile), "%s", r->mod.profile);
		sc.have_profile = true;
	}
	for (size_t g = 0; g < r->ngroups && !ret; g++) {
		struct mb_case **set;
		size_t n = 0, first = SIZE_MAX;
		int threads = 1;
		int *cpus;

		for (size_t i = 0; i < r->ncases; i++) {
			if (r->cases[i].group != g)
				continue;
			if (first == SIZE_MAX)
				first = i;
			n++;
		}
		if (!n)
			continue;
		threads = r->cases[first].threads;
		set = calloc(n, sizeof(*set));
		cpus = cpus_for(r, threads);
		if (!set || !cpus) {
			free(set);
			free(cpus);
			return -ENOMEM;
		}
		n = 0;
		for (size_t i = 0; i < r->ncases; i++)
			if (r->cases[i].group == g) {
				r->cases[i].cpus = cpus;
				set[n++] = &r->cases[i];
			}
		/*
		 * Progress once the run has taken a couple of seconds: the group, its
		 * cases among all, the time so far and what is left at the rate of the
		 * cases done (scripts/guest/boot shows these lines on the host).
		 */
		if (!r->o->quiet && mb_mono_ns() - t_start > 2000000000) {
			double el = (double)(mb_mono_ns() - t_start) / 1e9;
			char d[160], which[48];

			describe_group(set[0], d, sizeof(d));
			if (n > 1)
				snprintf(which, sizeof(which), "cases %zu-%zu", done + 1, done + n);
			else
				snprintf(which, sizeof(which), "case %zu", done + 1);
			fprintf(stderr, "mmapbench: [%zu/%zu] %s of %zu: %s; %.0fs elapsed, ~%.0fs left\n",
				g + 1, r->ngroups, which, r->ncases, d, el,
				done ? el * (double)(r->ncases - done) / (double)done : 0.0);
		}
		done += n;
		if (threads > 1 && pool_start(threads, cpus)) {
			free(set);
			return -ENOMEM;
		}
		if (set[0]->b->flags & MB_F_SERIAL) {
			for (size_t i = 0; i < n && !ret; i++)
				ret = run_set(&sc, &set[i], 1, &rng);
		} else {
			ret = run_set(&sc, set, n, &rng);
		}
		pool_stop();
		free(set);
	}
	r->elapsed_s = (double)(mb_mono_ns() - t_start) / 1e9;
	return ret;
}

/* ---- --ops: a whole process doing exactly N ops, for an outside timer ---- */

/* Ops per before()/op.../after() round in mb_run_ops(): bounds c->addr. */
#define MB_OPS_CHUNK	4096

/*
 * The first step's op, K times between before() and after(): a sample with no
 * timing, no other steps and nothing recorded.  0, or the failing rc (reason set).
 */
static int ops_round(struct mb_case *cs, struct mb_ctx *c)
{
	const struct mb_bench *b = cs->b;
	int (*op)(struct mb_ctx *, size_t) = b->steps[0].op;
	struct mb_ctx_priv *h = c->h;
	size_t i;
	int rc = 0;

	memset(c->addr, 0, c->batch * sizeof(*c->addr));
	if (b->before && (rc = b->before(c))) {
		if (!h->reason[0])
			snprintf(h->reason, sizeof(h->reason), "before(): %s",
				 rc < 0 ? strerror(-rc) : "failed");
		return rc;
	}
	rc = loop_bare(op, c, c->batch, &i);
	if (rc) {
		if (!h->reason[0])
			snprintf(h->reason, sizeof(h->reason), "%s: op %zu of %zu: %s",
				 b->steps[0].metric, i, c->batch,
				 rc < 0 ? strerror(-rc) : "failed");
		return rc;
	}
	if (b->after && (rc = b->after(c)) && !h->reason[0])
		snprintf(h->reason, sizeof(h->reason), "after(): %s",
			 rc < 0 ? strerror(-rc) : "failed");
	return rc;
}

int mb_run_ops(struct mb_run *r, uint64_t ops)
{
	struct sched sc = { .r = r };
	struct mb_case *cs = &r->cases[0];
	size_t chunk = cs->b->max_batch && cs->b->max_batch < MB_OPS_CHUNK ?
		       cs->b->max_batch : MB_OPS_CHUNK;
	struct mb_ctx *c;
	int rc = 0;

	if (r->mod.loaded && r->mod.have_profile) {
		snprintf(sc.cur_profile, sizeof(sc.cur_profile), "%s", r->mod.profile);
		sc.have_profile = true;
	}
	case_open(&sc, cs);
	if (cs->status != MB_ST_PENDING)
		return cs->status == MB_ST_SKIPPED ? MB_SKIP : -1;
	if (set_batch(cs, chunk)) {
		case_fail(cs, MB_ST_FAILED, "out of memory");
		case_close(cs);
		return -1;
	}
	c = &cs->ctx[0];
	for (uint64_t done = 0; done < ops && !rc; done += c->batch) {
		c->batch = ops - done < chunk ? (size_t)(ops - done) : chunk;
		rc = ops_round(cs, c);
	}
	if (rc) {
		snprintf(cs->reason, sizeof(cs->reason), "%s", c->h->reason);
		cs->status = MB_ST_FAILED;
	} else {
		cs->status = MB_ST_OK;
	}
	case_close(cs);
	return rc ? -1 : 0;
}

/* ---- the statistics pass ---- */

/*
 * What the floor is set against: the first metric's median when batched (a sample
 * is already a mean over K ops); timed singly, the median over the samples of each
 * sample's mean (the single-op median of a bimodal distribution, e.g. faults with
 * fault-around, is no per-op cost).  NaN when there is no floor.
 */
static double harness_per_op(const struct mb_case *cs)
{
	const struct mb_metric *m = cs->nm ? &cs->m[0] : NULL;
	size_t K = cs->batch, ns;
	double *v, med;

	if (!cs->floor_ops || !m || m->st_err)
		return NAN;
	if (!m->each)
		return m->st.median;
	ns = K ? m->n / K : 0;
	v = ns ? malloc(ns * sizeof(*v)) : NULL;
	if (!v)
		return NAN;
	for (size_t s = 0; s < ns; s++) {
		double sum = 0;

		for (size_t i = 0; i < K; i++)
			sum += m->v[s * K + i];
		v[s] = sum / (double)K;
	}
	mb_sort(v, ns);
	med = mb_quantile(v, ns, 0.5);
	free(v);
	return med;
}

void mb_finalize(struct mb_run *r, struct mb_case *cases, size_t n)
{
	double hz = r->ctr.hz;

	for (size_t i = 0; i < n; i++) {
		struct mb_case *cs = &cases[i];

		cs->floor_ns = cs->floor_ops ? cs->floor_ticks * 1e9 / hz : NAN;
		for (size_t k = 0; k < cs->nm; k++) {
			struct mb_metric *m = &cs->m[k];
			uint64_t seed = r->seed + 0x9e3779b97f4a7c15ull * (i * 64 + k + 1);

			for (size_t j = 0; j < m->n; j++) {
				if (m->kind == MB_K_TICKS)
					m->v[j] = m->v[j] * 1e9 / hz / insn_scale;
				else if (m->kind == MB_K_RATE)
					m->v[j] = m->v[j] * hz;
			}
			m->kind = MB_K_RAW;
			m->st_err = m->n ? mb_stats_compute(m->v, m->n, r->bootstrap, seed,
							    &m->st) : -ENODATA;
			if (m->each && m->n)
				m->nhist = mb_log2_hist(m->v, m->n, m->hist,
							sizeof(m->hist) / sizeof(m->hist[0]));
		}
		cs->harness_ns = harness_per_op(cs);
	}
}

/* ---- the harness's own overhead: an empty op through the same loop ---- */

__attribute__((noinline, noipa)) static int empty_op(struct mb_ctx *c, size_t i)
{
	(void)c;
	(void)i;
	return 0;
}

static const struct mb_bench empty_batch = {
	.name = "empty", .family = "harness", .desc = "empty op (harness overhead)",
	.sizes = "4k", .steps = { { "empty", empty_op } },
};

static const struct mb_bench empty_each = {
	.name = "empty-each", .family = "harness", .desc = "empty op timed singly",
	.flags = MB_F_TIME_EACH, .min_batch = 1000, .max_batch = 1000,
	.sizes = "4k", .steps = { { "empty", empty_op } },
};

/* Median ns per op of empty_batch and empty_each; run before the cases. */
int mb_measure_overhead(struct mb_run *r, struct mb_case ov[2])
{
	struct sched sc = { .r = r };
	struct mb_run sub = *r;
	uint64_t rng = r->seed;
	struct mb_case *p;
	int ret = 0;

	sub.cases = ov;
	sub.ncases = 2;
	sub.samples = 51;	/* fixed: it is a few ms, whatever --samples says */
	sub.warmup = 2;
	sc.r = &sub;
	for (int i = 0; i < 2; i++) {
		memset(&ov[i], 0, sizeof(ov[i]));
		ov[i].b = i ? &empty_each : &empty_batch;
		ov[i].threads = 1;
		ov[i].size = 4096;
		ov[i].span = 4096;
		ov[i].fd = -1;
		p = &ov[i];
		ret = ret ? ret : run_set(&sc, &p, 1, &rng);
	}
	return ret;
}

/* ---- --inject-ns: calibrating the busy-wait ---- */

/*
 * Mean ticks of one spin(target): the median over 31 batches of m spins.  Batches of
 * about 50 us: a timer interrupt or a preemption lands in a few of them, not in the
 * median.
 */
#define SPIN_BATCHES 31

static double spin_mean(long long target, size_t m)
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

void mb_inject_calibrate(struct mb_run *r, struct mb_inject *in)
{
	size_t m;
	double meas = 0;

	in->want_ticks = mb_ns_to_ticks(in->ns, r->ctr.hz_start);
	/* batches of about 50 us (at least 1 spin, at most 1000 of the shortest) */
	m = in->ns < 5e4 ? (size_t)(5e4 / in->ns) : 1;
	if (m > 1000)
		m = 1000;
	in->target = llround(in->want_ticks);
	for (in->rounds = 0; in->rounds < 3; in->rounds++) {
		meas = spin_mean(in->target, m);
		in->cost_ticks = meas - (double)in->target;
		in->target = mb_inject_target(in->want_ticks, in->target, meas);
	}
	meas = spin_mean(in->target, m);
	in->cost_ticks = meas - (double)in->target;
	in->achieved_ns = mb_ticks_to_ns(meas, r->ctr.hz_start);
}
