// SPDX-License-Identifier: GPL-2.0
/*
 * finalize.c - the statistics pass: ticks to units, statistics and histograms of
 * every metric, the floor in ns and what it is set against.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "core.h"
#include "stats.h"

/*
 * The smallest step between distinct single-op timings of a case (raw ticks, before
 * they become units) into r->ctr.step_seen: the granularity the samples really move
 * in, whatever two back-to-back reads say (issue #13: 1 tick recorded, ~26 seen).
 */
static void step_seen(struct mb_run *r, const struct mb_metric *m)
{
	long long *v, step;

	if (!m->each || m->kind != MB_K_TICKS || m->n < 2)
		return;
	v = malloc(m->n * sizeof(*v));
	if (!v)
		return;
	for (size_t j = 0; j < m->n; j++)
		v[j] = (long long)m->v[j];
	step = mb_min_step(v, m->n);
	free(v);
	r->ctr.step_seen_n += m->n;
	if (step > 0 && (!r->ctr.step_seen || step < r->ctr.step_seen))
		r->ctr.step_seen = step;
}

/*
 * The headline of a timing (cost.h): the median over the samples of each sample's
 * mean per op, with the bootstrap CI of that median over the samples of this run.
 * A sample is K ops, batched or timed singly (K = 256 faults by default; batches
 * calibrated to >= r->sample_min_ns), so it carries the work the kernel defers and
 * pays in bursts every few ops (slab refills, RCU frees), which the median of
 * short batches or of single ops (the fast path, stats.median when timed each)
 * leaves out; the median over samples keeps a preempted sample out.  Beside it the
 * mean over all ops (stats.mean, its t CI).  Rates and reported values: none.
 */
static void headline(const struct mb_case *cs, struct mb_metric *m, uint64_t B,
		     uint64_t seed)
{
	size_t group = m->each && cs->batch ? cs->batch : 1;
	double *v;
	long g;

	m->hl_n = 0;
	m->mean_err = -ENODATA;
	if (!m->timing || !m->n)
		return;
	m->mean_err = mb_mean_ci95(m->v, m->n, group, &m->mean);
	v = malloc((m->n / group + 1) * sizeof(*v));
	if (!v)
		return;
	g = mb_group_means(m->v, m->n, group, v);
	if (g > 0) {
		mb_sort(v, (size_t)g);
		m->hl = mb_quantile(v, (size_t)g, 0.5);
		if (!mb_median_ci(v, (size_t)g, (unsigned)B, seed ^ 0x68656164ull, 0.95,
				  &m->hl_lo, &m->hl_hi))
			m->hl_n = (size_t)g;
	}
	free(v);
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
			m->timing = m->kind == MB_K_TICKS;
			step_seen(r, m);
			for (size_t j = 0; j < m->n; j++) {
				if (m->kind == MB_K_TICKS)
					m->v[j] = m->v[j] * 1e9 / hz / mb_insn_scale();
				else if (m->kind == MB_K_RATE)
					m->v[j] = m->v[j] * hz;
			}
			m->kind = MB_K_RAW;
			m->st_err = m->n ? mb_stats_compute(m->v, m->n, r->bootstrap, seed,
							    &m->st) : -ENODATA;
			headline(cs, m, r->bootstrap, seed);
			if (m->each && m->n)
				m->nhist = mb_log2_hist(m->v, m->n, m->hist,
							sizeof(m->hist) / sizeof(m->hist[0]));
		}
		cs->harness_ns = cs->floor_ops && cs->nm && cs->m[0].hl_n ? cs->m[0].hl : NAN;
		cs->harness_mean_ns = cs->floor_ops && cs->nm && !cs->m[0].mean_err ?
				      cs->m[0].mean.mean : NAN;
	}
}
