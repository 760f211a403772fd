// SPDX-License-Identifier: GPL-2.0
/*
 * run.c - the run: groups of cases set up together, warm-up and measured rounds
 * in a fresh seeded random order each round, threads pinned, progress.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core.h"

volatile int mb_interrupted;

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
int mb_run_set(struct mb_sched *sc, struct mb_case **set, size_t n, uint64_t *rng)
{
	struct mb_run *r = sc->r;
	struct mb_case **act = calloc(n ? n : 1, sizeof(*act));
	size_t na = 0;
	int ret = 0;

	if (!act)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		set[i]->interleaved = n > 1;
		mb_case_open(sc, set[i]);
		if (set[i]->status == MB_ST_PENDING)
			act[na++] = set[i];
	}
	for (size_t i = 0; i < na; i++)
		mb_calibrate(sc, act[i]);
	na = compact(act, na);

	for (uint64_t w = 0; w < r->warmup && na; w++) {
		shuffle(act, na, rng);
		for (size_t i = 0; i < na && !mb_interrupted; i++)
			mb_case_sample(sc, act[i], false);
		na = compact(act, na);
	}
	for (uint64_t s = 0; s < r->samples && na && !mb_interrupted; s++) {
		shuffle(act, na, rng);
		for (size_t i = 0; i < na && !mb_interrupted; i++)
			mb_case_sample(sc, act[i], true);
		na = compact(act, na);
	}
	for (size_t i = 0; i < na && !mb_interrupted; i++)
		mb_case_floor(sc, act[i]);
	na = compact(act, na);
	/* counts (rusage, module, perf) in a pass of their own, never while timing */
	for (size_t i = 0; i < na && !mb_interrupted; i++)
		mb_case_counts(sc, act[i]);
	na = compact(act, na);
	for (size_t i = 0; i < na; i++) {
		mb_case_close(act[i]);
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
	struct mb_sched sc = { .r = r };
	uint64_t rng = r->seed;
	int64_t t_start = mb_mono_ns();
	size_t done = 0;	/* cases of the groups run so far */
	int ret = 0;

	mb_metrics_setup(r->o);
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
		 * cases done (scripts/qemu/boot shows these lines on the host).
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
		if (threads > 1 && mb_pool_start(threads, cpus)) {
			free(set);
			return -ENOMEM;
		}
		if (set[0]->b->flags & MB_F_SERIAL) {
			for (size_t i = 0; i < n && !ret; i++)
				ret = mb_run_set(&sc, &set[i], 1, &rng);
		} else {
			ret = mb_run_set(&sc, set, n, &rng);
		}
		mb_pool_stop();
		free(set);
	}
	r->elapsed_s = (double)(mb_mono_ns() - t_start) / 1e9;
	return ret;
}
