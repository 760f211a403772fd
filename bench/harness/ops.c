// SPDX-License-Identifier: GPL-2.0
/*
 * ops.c - --ops: a whole process doing exactly N ops, for an outside timer.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core.h"

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
	rc = mb_loop_bare(op, c, c->batch, &i);
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
	struct mb_sched sc = { .r = r };
	struct mb_case *cs = &r->cases[0];
	size_t chunk = cs->b->max_batch && cs->b->max_batch < MB_OPS_CHUNK ?
		       cs->b->max_batch : MB_OPS_CHUNK;
	struct mb_ctx *c;
	int rc = 0;

	if (r->mod.loaded && r->mod.have_profile) {
		snprintf(sc.cur_profile, sizeof(sc.cur_profile), "%s", r->mod.profile);
		sc.have_profile = true;
	}
	cs->ops_only = true;
	mb_case_open(&sc, cs);
	if (cs->status != MB_ST_PENDING)
		return cs->status == MB_ST_SKIPPED ? MB_SKIP : -1;
	if (mb_set_batch(cs, chunk)) {
		mb_case_fail(cs, MB_ST_FAILED, "out of memory");
		mb_case_close(cs);
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
	mb_case_close(cs);
	return rc ? -1 : 0;
}
