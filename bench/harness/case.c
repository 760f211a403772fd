// SPDX-License-Identifier: GPL-2.0
/*
 * case.c - a case's life: open (target, contexts, setup), one sample at a time
 * with its rusage, module and perf counts, calibration of the batch, close.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "core.h"

void mb_case_fail(struct mb_case *cs, enum mb_status st, const char *fmt, ...)
{
	va_list ap;

	cs->status = st;
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(cs->reason, sizeof(cs->reason), fmt, ap);
		va_end(ap);
	}
}

int mb_set_batch(struct mb_case *cs, size_t K)
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

void mb_case_close(struct mb_case *cs)
{
	if (cs->ctx)
		mb_dispatch(cs, J_TEARDOWN);
	case_free_ctx(cs);
	if (cs->fd >= 0)
		close(cs->fd);
	cs->fd = -1;
}

/* Switch the module's profile for a module-target case; 0 or -errno. */
int mb_apply_profile(struct mb_sched *sc, struct mb_case *cs)
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

/*
 * The case's target, probed, sized against the module's pool (and the module
 * switched to the case's profile), opened: 0, or -1 with cs->status set (skipped
 * or failed, with the reason).
 */
static int case_target(struct mb_sched *sc, struct mb_case *cs)
{
	struct mb_run *r = sc->r;
	char why[MB_REASON_LEN] = "";
	int rc;

	cs->fd = -1;
	if (cs->t && (cs->t->flags & MB_T_SHARED_ONLY) && !cs->shared) {
		mb_case_fail(cs, MB_ST_SKIPPED, "%s supports MAP_SHARED only", cs->t->name);
		return -1;
	}
	if (cs->t && (cs->t->flags & MB_T_MODULE)) {
		if (!mb_target_probe(cs->t, NULL, why, sizeof(why))) {
			mb_case_fail(cs, MB_ST_SKIPPED, "%s", why);
			return -1;
		}
		if (r->mod.have_pool && cs->span > (uint64_t)r->mod.pool_mb << 20) {
			char a[32];

			mb_fmt_size(a, sizeof(a), cs->span);
			mb_case_fail(cs, MB_ST_SKIPPED, "needs %s, module pool is %lld MiB "
				  "(" MMAPBENCH_PARAM_POOL_MB ")", a, r->mod.pool_mb);
			return -1;
		}
		if (cs->profile && (!sc->have_profile || strcmp(sc->cur_profile, cs->profile))) {
			rc = mb_apply_profile(sc, cs);
			if (rc) {
				mb_case_fail(cs, MB_ST_SKIPPED, "cannot switch module profile to "
					  "'%s': %s", cs->profile, strerror(-rc));
				return -1;
			}
		}
	}
	if (cs->t) {
		rc = mb_target_open(cs->t, r->o->file, cs->span, &cs->fd, &cs->info, why,
				    sizeof(why));
		if (rc) {
			mb_case_fail(cs, rc == MB_SKIP ? MB_ST_SKIPPED : MB_ST_FAILED, "%s", why);
			return -1;
		}
	}
	return 0;
}

/* Thread t's context: what the benchmark sees of the case, its own seeded rng. */
static void ctx_init(const struct mb_run *r, struct mb_case *cs, int t)
{
	struct mb_ctx *c = &cs->ctx[t];

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

/* One context per thread, and the first batch's room: 0, or -1 (failed, freed). */
static int case_contexts(struct mb_run *r, struct mb_case *cs)
{
	const struct mb_bench *b = cs->b;

	cs->ctx = calloc((size_t)cs->threads, sizeof(*cs->ctx));
	if (!cs->ctx) {
		mb_case_fail(cs, MB_ST_FAILED, "out of memory");
		return -1;
	}
	for (int t = 0; t < cs->threads; t++) {
		cs->ctx[t].h = calloc(1, sizeof(*cs->ctx[t].h));
		if (!cs->ctx[t].h) {
			mb_case_fail(cs, MB_ST_FAILED, "out of memory");
			case_free_ctx(cs);
			return -1;
		}
		ctx_init(r, cs, t);
	}
	if (mb_set_batch(cs, b->min_batch ? b->min_batch : 1)) {
		mb_case_fail(cs, MB_ST_FAILED, "out of memory");
		case_free_ctx(cs);
		return -1;
	}
	return 0;
}

/* Open the target, make the contexts, run setup.  On return cs->status tells. */
void mb_case_open(struct mb_sched *sc, struct mb_case *cs)
{
	int rc;
	bool skip;

	if (case_target(sc, cs) || case_contexts(sc->r, cs))
		return;
	mb_metrics_declare(cs);

	mb_dispatch(cs, J_SETUP);
	rc = mb_collect_rc(cs, &skip);
	if (rc) {
		cs->status = rc == MB_SKIP ? MB_ST_SKIPPED : MB_ST_FAILED;
		mb_case_close(cs);
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

/* perf counts of the case's measuring threads (g: their groups, NULL: none open) */
static void snap_perf(struct mb_case *cs, const struct mb_perf_group *g,
		      struct rusage_snap *s)
{
	memset(s->perf, 0, sizeof(s->perf));
	s->perf_ok = false;
	if (!g || !mb_perf_on())
		return;
	for (int t = 0; t < cs->threads; t++)
		if (mb_perf_read_group(&g[t], s->perf))
			return;
	s->perf_ok = true;
}

/* This process's rusage and its waited-for children's (process mode's tasks). */
static void rusage_all(struct rusage *ru)
{
	struct rusage ch;

	getrusage(RUSAGE_SELF, ru);
	if (getrusage(RUSAGE_CHILDREN, &ch))
		return;
	ru->ru_minflt += ch.ru_minflt;
	ru->ru_majflt += ch.ru_majflt;
	ru->ru_nvcsw += ch.ru_nvcsw;
	ru->ru_nivcsw += ch.ru_nivcsw;
}

/*
 * Before the counts pass: module counters, rusage, perf; after it the reverse, so
 * rusage and perf cover the same stretch, the pass's samples and nothing else.
 */
static void snap(struct mb_case *cs, const struct mb_perf_group *g, struct rusage_snap *s,
		 bool after)
{
	if (after) {
		snap_perf(cs, g, s);
		rusage_all(&s->ru);
	}
	if (cs->t && (cs->t->flags & MB_T_MODULE)) {
		cs->mod_counters = mb_module_counters(cs->t->dbg, s->mod);
		cs->mod_counters_seen = true;
	}
	if (!after) {
		rusage_all(&s->ru);
		snap_perf(cs, g, s);
	}
}

/* The counts of n samples, from the snapshots around them. */
static void account(struct mb_case *cs, const struct rusage_snap *a,
		    const struct rusage_snap *b, uint64_t n)
{
	char name[64];

	mb_case_add_count(cs, "minflt", b->ru.ru_minflt - a->ru.ru_minflt);
	mb_case_add_count(cs, "majflt", b->ru.ru_majflt - a->ru.ru_majflt);
	mb_case_add_count(cs, "nvcsw", b->ru.ru_nvcsw - a->ru.ru_nvcsw);
	mb_case_add_count(cs, "nivcsw", b->ru.ru_nivcsw - a->ru.ru_nivcsw);
	mb_case_add_count(cs, "ops_per_step", (long long)(n * cs->batch * cs->threads));
	for (int i = 0; i < MB_MOD_NCOUNTERS; i++) {
		if (!(cs->mod_counters & (1u << i)))
			continue;
		snprintf(name, sizeof(name), "module.%s", mb_mod_counter_names[i]);
		mb_case_add_count(cs, name, b->mod[i] - a->mod[i]);
	}
	/* a pass without perf counts leaves the case without any (see output.c) */
	if (a->perf_ok && b->perf_ok) {
		for (int i = 0; i < MB_PERF_NEVENTS; i++)
			cs->perf[i] += b->perf[i] - a->perf[i];
		cs->perf_samples += n;
	}
}

/*
 * One sample of a case on all its threads; 0 or -1 (case failed and closed).
 * Nothing is read around a measured sample but the timed loops' counter: rusage,
 * module and perf counts come from the counts pass (mb_case_counts).
 */
int mb_case_sample(struct mb_sched *sc, struct mb_case *cs, bool measured)
{
	bool skip;
	int err = mb_apply_profile(sc, cs);

	if (err) {
		mb_case_fail(cs, MB_ST_FAILED, "cannot switch module profile to '%s': %s",
			  cs->profile, strerror(-err));
		mb_case_close(cs);
		return -1;
	}
	/* perf record's window (scripts/guest/profile-run): the timed loops only */
	if (measured)
		mb_prof_enable(sc->r, cs);
	mb_dispatch(cs, J_SAMPLE);
	if (measured)
		mb_prof_disable(sc->r, cs);
	if (mb_collect_rc(cs, &skip)) {
		cs->status = MB_ST_FAILED;
		mb_case_close(cs);
		return -1;
	}
	if (!measured) {
		for (int t = 0; t < cs->threads; t++)
			cs->ctx[t].h->nrep = 0;
		return 0;
	}
	mb_prof_window(sc->r, cs);
	if (mb_record_sample(cs)) {
		mb_case_fail(cs, MB_ST_FAILED, "out of memory");
		mb_case_close(cs);
		return -1;
	}
	cs->rounds++;
	return 0;
}

/* Open the perf groups of the case's measuring threads; NULL when perf is off. */
static struct mb_perf_group *counts_open(struct mb_case *cs)
{
	struct mb_perf_group *g;
	char why[MB_REASON_LEN];

	/* process mode: the tasks' processes exist only while a sample runs */
	if (!mb_perf_on() || cs->procs)
		return NULL;
	g = calloc((size_t)cs->threads, sizeof(*g));
	if (!g) {
		mb_perf_disable("out of memory");
		return NULL;
	}
	for (int t = 0; t < cs->threads; t++) {
		pid_t tid = cs->threads == 1 ? 0 : mb_pool_tid(t);

		if (!mb_perf_open_group(&g[t], tid, why, sizeof(why)))
			continue;
		mb_perf_disable("%s%s", cs->threads == 1 ? "" : "worker thread: ", why);
		while (t-- > 0)
			mb_perf_close_group(&g[t]);
		free(g);
		return NULL;
	}
	return g;
}

/*
 * The counts pass: after a case's measured samples (and its floor), as many samples
 * again up to MB_COUNTS_SAMPLES, untimed for the results (their timings are dropped, as a warm-up's), with
 * the perf groups of the measuring threads open for the pass only; counts.minflt,
 * nvcsw, module.*, perf.* are the differences over the pass.  The measured samples
 * ran with no perf event open and nothing read between them (env.counts).  The
 * pass's mb_count deltas and mb_report values are dropped, as the floor's are.
 */
void mb_case_counts(struct mb_sched *sc, struct mb_case *cs)
{
	struct mb_perf_group *g;
	struct rusage_snap a, b;
	struct mb_count **saved;
	size_t *nsaved;
	uint64_t n = cs->rounds < MB_COUNTS_SAMPLES ? cs->rounds : MB_COUNTS_SAMPLES;
	bool skip;
	int err;

	if (sc->r->o->no_counts || cs->status != MB_ST_PENDING || !n)
		return;
	err = mb_apply_profile(sc, cs);
	saved = calloc((size_t)cs->threads, sizeof(*saved));
	nsaved = calloc((size_t)cs->threads, sizeof(*nsaved));
	if (err || !saved || !nsaved) {
		free(saved);
		free(nsaved);
		if (err)
			mb_case_fail(cs, MB_ST_FAILED, "counts pass: cannot switch module "
				  "profile to '%s': %s", cs->profile, strerror(-err));
		else
			mb_case_fail(cs, MB_ST_FAILED, "out of memory");
		mb_case_close(cs);
		return;
	}
	for (int t = 0; t < cs->threads; t++) {
		struct mb_ctx_priv *h = cs->ctx[t].h;

		saved[t] = h->counts;
		nsaved[t] = h->ncounts;
		h->counts = NULL;
		h->ncounts = 0;
	}
	g = counts_open(cs);
	snap(cs, g, &a, false);
	for (uint64_t s = 0; s < n && !err; s++) {
		mb_dispatch(cs, J_SAMPLE);
		err = mb_collect_rc(cs, &skip);
		for (int t = 0; t < cs->threads; t++)
			cs->ctx[t].h->nrep = 0;
	}
	snap(cs, g, &b, true);
	for (int t = 0; g && t < cs->threads; t++)
		mb_perf_close_group(&g[t]);
	free(g);
	for (int t = 0; t < cs->threads; t++) {
		struct mb_ctx_priv *h = cs->ctx[t].h;

		free(h->counts);
		h->counts = saved[t];
		h->ncounts = nsaved[t];
	}
	free(saved);
	free(nsaved);
	if (err) {
		cs->status = MB_ST_FAILED;
		mb_case_close(cs);
		return;
	}
	account(cs, &a, &b, n);
	cs->counts_samples = n;
}

/* Smallest batch time of the last sample over steps and threads, in ticks. */
static long long last_min_ticks(struct mb_case *cs)
{
	long long m = -1;

	for (int t = 0; t < cs->threads; t++)
		for (size_t s = 0; s < mb_nsteps(cs->b); s++)
			if (m < 0 || cs->ctx[t].h->ticks[s] < m)
				m = cs->ctx[t].h->ticks[s];
	return m;
}

/*
 * What a calibrated batch must last, in ticks: 1000 counter resolutions, and at least
 * r->sample_min_ns (5 ms in the default suite), so that a sample carries the work the kernel defers and pays
 * every few ops or every tick (issue #13: batches of 2-3 storm ops under icount
 * missed it in most samples, and their median sat 5-10 % below a bare loop of the
 * op; batches of 200 us, 1-1.5 % below: the tick's share).
 */
long long mb_calibration_target(const struct mb_run *r)
{
	long long res = 1000 * r->ctr.resolution;
	double min = r->ctr.hz_start * (double)r->sample_min_ns / 1e9;

	return (double)res > min ? res : (long long)ceil(min);
}

/*
 * Choose K: double (or more) it until the shortest step of a sample lasts at least
 * mb_calibration_target() ticks, within the benchmark's bounds; or take --batch.
 */
int mb_calibrate(struct mb_sched *sc, struct mb_case *cs)
{
	const struct mb_bench *b = cs->b;
	struct mb_run *r = sc->r;
	size_t K = b->min_batch ? b->min_batch : 1;
	size_t maxK = b->max_batch ? b->max_batch : (size_t)1 << 20;
	long long target = mb_calibration_target(r);

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

		if (mb_set_batch(cs, K)) {
			mb_case_fail(cs, MB_ST_FAILED, "out of memory");
			mb_case_close(cs);
			return -1;
		}
		if (mb_case_sample(sc, cs, false))
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
