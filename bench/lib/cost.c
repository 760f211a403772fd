// SPDX-License-Identifier: GPL-2.0
/*
 * cost.c - what an op costs: the headline mean and its CI, the counter's step, the
 * bare-loop cross-check's ratio, will-it-scale's figure.  Definitions in cost.h.  No I/O.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cost.h"

/* t(0.975, df) for df = 1..30 */
static const double t975[30] = {
	12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
	2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
	2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
};

double mb_t975(size_t df)
{
	const double z = 1.959963984540054;
	double d = (double)df;

	if (!df)
		return NAN;
	if (df <= 30)
		return t975[df - 1];
	/* Cornish-Fisher (Abramowitz & Stegun 26.7.5): below 1e-4 off for df > 30 */
	return z + (pow(z, 3) + z) / (4 * d) +
	       (5 * pow(z, 5) + 16 * pow(z, 3) + 3 * z) / (96 * d * d) +
	       (3 * pow(z, 7) + 19 * pow(z, 5) + 17 * pow(z, 3) - 15 * z) / (384 * d * d * d);
}

long mb_group_means(const double *x, size_t n, size_t group, double *out)
{
	if (!n || !group || n % group)
		return -EINVAL;
	for (size_t k = 0; k < n / group; k++) {
		double m = 0;

		for (size_t i = 0; i < group; i++)
			m += x[k * group + i];
		out[k] = m / (double)group;
	}
	return (long)(n / group);
}

int mb_mean_ci95(const double *x, size_t n, size_t group, struct mb_mean_ci *out)
{
	size_t g;
	double sum = 0, ss = 0, half;

	if (!n || !group || n % group)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return -EINVAL;
	g = n / group;
	for (size_t i = 0; i < n; i++)
		sum += x[i];
	out->groups = g;
	out->mean = sum / (double)n;
	for (size_t k = 0; k < g; k++) {
		double m = 0;

		for (size_t i = 0; i < group; i++)
			m += x[k * group + i];
		m /= (double)group;
		ss += (m - out->mean) * (m - out->mean);
	}
	out->stddev = g > 1 ? sqrt(ss / (double)(g - 1)) : 0;
	half = g > 1 ? mb_t975(g - 1) * out->stddev / sqrt((double)g) : 0;
	out->lo = out->mean - half;
	out->hi = out->mean + half;
	return 0;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

long long mb_min_step(long long *v, size_t n)
{
	long long best = 0;

	qsort(v, n, sizeof(*v), cmp_ll);
	for (size_t i = 1; i < n; i++) {
		long long d = v[i] - v[i - 1];

		if (d > 0 && (!best || d < best))
			best = d;
	}
	return best;
}

int mb_xcheck_eval(double h, const double *bare, size_t nb, double tol,
		   struct mb_xcheck *out)
{
	double sum = 0, lo = INFINITY, hi = -INFINITY, mean;

	if (!nb || !isfinite(h) || !(h > 0) || !isfinite(tol) || tol < 0)
		return -EINVAL;
	for (size_t i = 0; i < nb; i++) {
		if (!isfinite(bare[i]) || !(bare[i] > 0))
			return -EINVAL;
		sum += bare[i];
		lo = bare[i] < lo ? bare[i] : lo;
		hi = bare[i] > hi ? bare[i] : hi;
	}
	mean = sum / (double)nb;
	out->harness = h;
	out->bare = mean;
	out->ratio = h / mean;
	out->spread = (hi - lo) / mean;
	out->within = fabs(out->ratio - 1) <= (out->spread > tol ? out->spread : tol);
	return 0;
}

int mb_xcheck_whole(double h, double bare_touch, double bare_whole, double *out)
{
	if (!isfinite(h) || !isfinite(bare_touch) || !isfinite(bare_whole) || !(h > 0) ||
	    !(bare_touch > 0) || bare_whole < bare_touch)
		return -EINVAL;
	*out = h + (bare_whole - bare_touch);
	return 0;
}

int mb_wis_average(const char *out, double *per_sec)
{
	const char *p = out, *last = NULL;
	unsigned long long v;
	char *end;

	if (!out)
		return -EINVAL;
	for (; (p = strstr(p, "average:")); p++)
		if (p == out || p[-1] == '\n')
			last = p;
	if (!last)
		return -EINVAL;
	last += strlen("average:");
	if (*last < '0' || *last > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(last, &end, 10);
	if (errno || !v || (*end && *end != '\n'))
		return -EINVAL;
	*per_sec = (double)v;
	return 0;
}
