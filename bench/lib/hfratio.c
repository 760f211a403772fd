// SPDX-License-Identifier: GPL-2.0
/*
 * hfratio.c - the hyperfine cross-check's arithmetic; see hfratio.h.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>

#include "hfratio.h"

#define HF_MIN_K	100

int hf_ratio(double t_k, double t_0, uint64_t k, double m_ns, struct hf_ratio *out)
{
	struct hf_ratio r;

	if (!isfinite(t_k) || !isfinite(t_0) || !isfinite(m_ns) || t_0 < 0 || t_k < 0 ||
	    !k || m_ns <= 0)
		return -EINVAL;
	r.ops_s = t_k - t_0;
	r.expect_s = (double)k * m_ns / 1e9;
	r.per_op_ns = r.ops_s * 1e9 / (double)k;
	r.ratio = r.ops_s / r.expect_s;
	r.tol = t_0 / r.expect_s;
	r.lo = 1 - r.tol;
	r.hi = 1 + r.tol;
	r.within = r.ratio >= r.lo && r.ratio <= r.hi;
	*out = r;
	return 0;
}

uint64_t hf_pick_k(double t_0, double m_ns, double factor, uint64_t max)
{
	double want, unit = 1, k;

	if (!isfinite(t_0) || !isfinite(m_ns) || !isfinite(factor) || t_0 <= 0 ||
	    m_ns <= 0 || factor < 1 || max < HF_MIN_K)
		return 0;
	want = factor * t_0 * 1e9 / m_ns;
	if (want <= HF_MIN_K)
		return HF_MIN_K;
	if (want >= (double)max)
		return max;
	/* up to two significant digits: 1234 -> 1300, 98765 -> 99000 */
	while (want / unit >= 100)
		unit *= 10;
	k = ceil(want / unit) * unit;
	return k < (double)max ? (uint64_t)k : max;
}
