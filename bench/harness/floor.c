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
 * One bare loop: before(); a counter read; K ops (i = 0..K-1); a counter read;
 * after().  0 (*ticks set) or the failing rc (reason set).
 */
static int floor_loop(struct mb_case *cs, struct mb_ctx *c, long long *ticks)
{
	long long inj = cs->inj ? cs->inj->target : -1, t;
	size_t K = c->batch, i = 0;
	int rc;

	memset(c->addr, 0, K * sizeof(*c->addr));
	if ((rc = floor_hook(cs, c, false)))
		return rc;
	/* the same loop as the samples', their --inject-ns wait included */
	rc = mb_loop_batch(cs->b->steps[0].op, c, K, 1, inj, &t, &i);
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
 * its first step's op in bare loops, one loop of K ops per measured sample (batched:
 * i = 0..K-1 as in a sample's first step; timed each: fresh mappings each loop).
 * The floor does the ops the samples' first step did, as many and in stretches as
 * long, so that both sides average the same amount of the work the kernel defers
 * (issue #13: 3-4 loops in a 50 ms budget against 10 samples left 14 of 50 storm
 * cases more than 1 % off under icount; one loop per sample, 9 of 50).
 * cs->floor_ticks = the median over the loops of ticks per op, as the headline is
 * the median over the samples: a preemption in one loop does not move it.  Fails
 * the case if an op does.
 */
void mb_case_floor(struct mb_sched *sc, struct mb_case *cs)
{
	struct mb_run *r = sc->r;
	struct mb_ctx *c;
	struct mb_ctx_priv *h;
	struct mb_count *saved;
	size_t nsaved, K = cs->batch, nloops = cs->rounds, done = 0;
	double *v;
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
	for (rc = 0; done < nloops && !rc; done++) {
		long long ticks = 0;

		rc = floor_loop(cs, c, &ticks);
		if (!rc && ticks <= 0) {
			snprintf(h->reason, sizeof(h->reason), "the counter went backwards "
				 "or stood still (%lld ticks)", ticks);
			rc = -1;
		}
		v[done] = (double)ticks / (double)K;
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
	cs->floor_ops = done * K;
	free(v);
}
