/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hfratio.h - the hyperfine cross-check's arithmetic (mmapbench-hfcheck).
 *
 * An outside timer (hyperfine) times whole processes: `mmapbench run ... --ops K`
 * (exec, set-up, K ops of the case's first step, exit) and the same with --ops 0
 * (everything but the ops).  The harness gives the per-op median m of the same case.
 *
 *	ratio = (t(K) - t(0)) / (K * m)
 *
 * The two agree within the process start-up cost when |t(K) - t(0) - K m| <= t(0),
 * i.e. when the ratio lies in the band 1 -+ t(0) / (K m).
 */
#ifndef MB_HFRATIO_H
#define MB_HFRATIO_H

#include <stdint.h>

struct hf_ratio {
	double ops_s;		/* t(K) - t(0): the ops as the process timer sees them, s */
	double expect_s;	/* K * m: the ops as the harness sees them, s */
	double per_op_ns;	/* ops_s / K, ns */
	double ratio;		/* ops_s / expect_s */
	double tol;		/* t(0) / expect_s: half the band's width */
	double lo, hi;		/* the band, 1 - tol .. 1 + tol */
	int within;		/* lo <= ratio <= hi */
};

/*
 * t_k, t_0: process times in s (t_0 >= 0, t_k finite); k >= 1 ops; m_ns > 0, the
 * harness's per-op median in ns.  0, or -EINVAL (out left untouched) when an input
 * is out of range or not finite.
 */
int hf_ratio(double t_k, double t_0, uint64_t k, double m_ns, struct hf_ratio *out);

/*
 * K such that the ops take about factor times the start-up cost: factor * t_0 / m,
 * rounded up to two significant digits, at least 100, at most max.  0 when an input is
 * out of range (t_0 <= 0, m_ns <= 0, factor < 1, not finite, max < 100).
 */
uint64_t hf_pick_k(double t_0, double m_ns, double factor, uint64_t max);

#endif /* MB_HFRATIO_H */
