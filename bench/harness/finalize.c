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
					m->v[j] = m->v[j] * 1e9 / hz / mb_insn_scale();
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
