// SPDX-License-Identifier: GPL-2.0
/*
 * api.c - the benchmark-facing helpers of mmapbench.h (mb_skip, mb_fail,
 * mb_report, mb_count, mb_rand, mb_nohugepage) on a context's private state.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core.h"
#include "grow.h"

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
	struct mb_report_val *p = mb_grow(h->rep, &h->caprep, h->nrep + 1, sizeof(*p));

	if (!p) {
		mb_fail(c, "out of memory in mb_report");
		return;
	}
	h->rep = p;
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

int mb_recording(const struct mb_ctx *c)
{
	return !c->h->cs->ops_only;
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
