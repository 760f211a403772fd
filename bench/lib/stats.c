// SPDX-License-Identifier: GPL-2.0
/*
 * stats.c - descriptive statistics and a bootstrap CI of the median.
 * Definitions are in stats.h.  No I/O.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

uint64_t mb_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t mb_rand_below(uint64_t *state, uint64_t n)
{
	/* Reject the top partial range so every residue is equally likely. */
	uint64_t limit = UINT64_MAX - UINT64_MAX % n;
	uint64_t r;

	do
		r = mb_splitmix64(state);
	while (r >= limit);
	return r % n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void mb_sort(double *x, size_t n)
{
	if (n > 1)
		qsort(x, n, sizeof(*x), cmp_double);
}

double mb_quantile(const double *sorted, size_t n, double p)
{
	double h = (double)(n - 1) * p;
	size_t j = (size_t)floor(h);

	if (j >= n - 1)
		return sorted[n - 1];
	return sorted[j] + (h - (double)j) * (sorted[j + 1] - sorted[j]);
}

double mb_median_counts(const double *sorted, size_t n, const uint32_t *cnt,
			size_t total)
{
	size_t r1 = (total - 1) / 2, r2 = total / 2, cum = 0, j;
	double lo = 0, hi = 0;
	int have_lo = 0;

	for (j = 0; j < n; j++) {
		cum += cnt[j];
		if (!have_lo && cum > r1) {
			lo = sorted[j];
			have_lo = 1;
		}
		if (cum > r2) {
			hi = sorted[j];
			break;
		}
	}
	return lo + (hi - lo) / 2;
}

/*
 * A resample of size n from sorted[] is described by how often each index was drawn;
 * its median is then read off the counts (mb_median_counts) in O(n) without sorting.
 */
static double resample_median(const double *sorted, size_t n, uint32_t *cnt,
			      uint64_t *rng)
{
	memset(cnt, 0, n * sizeof(*cnt));
	for (size_t i = 0; i < n; i++)
		cnt[mb_rand_below(rng, n)]++;
	return mb_median_counts(sorted, n, cnt, n);
}

int mb_median_ci(const double *sorted, size_t n, unsigned B, uint64_t seed,
		 double level, double *lo, double *hi)
{
	uint64_t rng = seed;
	uint32_t *cnt;
	double *med;

	if (!n || !B || !(level > 0 && level < 1))
		return -EINVAL;
	if (n > UINT32_MAX)
		return -EINVAL;
	cnt = malloc(n * sizeof(*cnt));
	med = malloc(B * sizeof(*med));
	if (!cnt || !med) {
		free(cnt);
		free(med);
		return -ENOMEM;
	}
	for (unsigned b = 0; b < B; b++)
		med[b] = resample_median(sorted, n, cnt, &rng);
	mb_sort(med, B);
	*lo = mb_quantile(med, B, (1 - level) / 2);
	*hi = mb_quantile(med, B, 1 - (1 - level) / 2);
	free(cnt);
	free(med);
	return 0;
}

int mb_stats_compute(const double *x, size_t n, unsigned B, uint64_t seed,
		     struct mb_stats *st)
{
	double *s, *dev, sum = 0, ss = 0;
	int err;

	if (!n || !B)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return -EINVAL;
	s = malloc(n * sizeof(*s));
	dev = malloc(n * sizeof(*dev));
	if (!s || !dev) {
		free(s);
		free(dev);
		return -ENOMEM;
	}
	memcpy(s, x, n * sizeof(*s));
	mb_sort(s, n);

	memset(st, 0, sizeof(*st));
	st->n = n;
	st->min = s[0];
	st->max = s[n - 1];
	for (size_t i = 0; i < n; i++)
		sum += s[i];
	st->mean = sum / (double)n;
	/* Two-pass variance: no cancellation for the large, close values we see. */
	for (size_t i = 0; i < n; i++)
		ss += (s[i] - st->mean) * (s[i] - st->mean);
	st->stddev = n > 1 ? sqrt(ss / (double)(n - 1)) : 0;
	st->median = mb_quantile(s, n, 0.5);
	st->p90 = mb_quantile(s, n, 0.90);
	st->p99 = mb_quantile(s, n, 0.99);
	for (size_t i = 0; i < n; i++)
		dev[i] = fabs(s[i] - st->median);
	mb_sort(dev, n);
	st->mad = mb_quantile(dev, n, 0.5);

	err = mb_median_ci(s, n, B, seed, 0.95, &st->ci95_lo, &st->ci95_hi);
	free(s);
	free(dev);
	return err;
}

size_t mb_log2_hist(const double *x, size_t n, uint64_t *counts, size_t nb)
{
	size_t top = 0;

	memset(counts, 0, nb * sizeof(*counts));
	for (size_t i = 0; i < n; i++) {
		size_t b = 0;
		double v = x[i];

		while (v >= 2 && b < nb - 1) {
			v /= 2;
			b++;
		}
		counts[b]++;
		if (b + 1 > top)
			top = b + 1;
	}
	return top;
}
