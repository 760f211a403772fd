// SPDX-License-Identifier: GPL-2.0
/*
 * metrics.c - a case's metrics: declared from its steps, one value per measured
 * sample pushed, in the run's time unit (ns, or insn under icount).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "core.h"
#include "grow.h"

/*
 * The run's clock (clock.h): under icount a timing is guest instructions, unit "insn",
 * ns / 2^shift; and the ops/s metrics go (a rate per virtual second of instructions
 * would only restate the timing).  Set by mb_run_cases() before any case runs.
 */
static const char *time_unit = "ns";
static bool icount;
static double insn_scale = 1;	/* ns per instruction */

void mb_metrics_setup(const struct mb_opts *o)
{
	enum mb_clock c = MB_CLOCK_BARE;

	if (o->clock)
		mb_clock_parse(o->clock, &c);
	icount = c == MB_CLOCK_ICOUNT;
	time_unit = mb_clock_time_unit(c);
	insn_scale = icount ? (double)(1ull << o->icount_shift) : 1;
}

double mb_insn_scale(void)
{
	return insn_scale;
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
	double *p = mb_grow(m->v, &m->cap, m->n + 1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	m->v = p;
	m->v[m->n++] = v;
	return 0;
}

void mb_metrics_declare(struct mb_case *cs)
{
	const struct mb_bench *b = cs->b;
	char name[64];

	for (size_t s = 0; s < mb_nsteps(b); s++)
		metric_get(cs, b->steps[s].metric, time_unit, MB_LOWER, MB_K_TICKS);
	if ((b->flags & MB_F_THREADS) && !icount) {
		snprintf(name, sizeof(name), "%s ops/s", b->steps[0].metric);
		metric_get(cs, name, "ops/s", MB_HIGHER, MB_K_RAW);
		snprintf(name, sizeof(name), "%s ops/s/thread", b->steps[0].metric);
		metric_get(cs, name, "ops/s", MB_HIGHER, MB_K_RATE);
	}
}

/* Store one measured sample of every thread. */
int mb_record_sample(struct mb_case *cs)
{
	const struct mb_bench *b = cs->b;
	bool each = b->flags & MB_F_TIME_EACH;
	size_t K = cs->batch;
	int err = 0;
	char name[64];

	for (size_t s = 0; s < mb_nsteps(b); s++) {
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
