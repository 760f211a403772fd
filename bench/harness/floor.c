// SPDX-License-Identifier: GPL-2.0
/*
 * floor.c - the floor: a case's first step's op in a bare loop (MB_F_FLOOR), right
 * after its measured samples.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "stats.h"

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
	rc = mb_loop_batch(cs->b->steps[0].op, c, K, rounds, inj, &t, &i);
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
void mb_case_floor(struct mb_sched *sc, struct mb_case *cs)
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
	rc = mb_apply_profile(sc, cs);
	if (rc) {
		mb_case_fail(cs, MB_ST_FAILED, "floor loop: cannot switch module profile to "
			  "'%s': %s", cs->profile, strerror(-rc));
		mb_case_close(cs);
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
		mb_case_fail(cs, MB_ST_FAILED, "out of memory");
		mb_case_close(cs);
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
		mb_case_fail(cs, MB_ST_FAILED, "floor loop: %s", h->reason[0] ? h->reason :
			  "failed");
		mb_case_close(cs);
		return;
	}
	mb_sort(v, done);
	cs->floor_ticks = mb_quantile(v, done, 0.5);
	cs->floor_loops = done;
	cs->floor_ops = done * rounds * K;
	free(v);
}
