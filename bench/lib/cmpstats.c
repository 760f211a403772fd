// SPDX-License-Identifier: GPL-2.0
/*
 * cmpstats.c - Mann-Whitney U test and the bootstrap CI of a ratio of medians.
 * Definitions are in cmpstats.h.  No I/O.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmpstats.h"
#include "stats.h"

struct tagged {
	double v;
	size_t src;	/* index into the caller's arrays (meaning up to the caller) */
};

static int cmp_tagged(const void *a, const void *b)
{
	const struct tagged *x = a, *y = b;

	if (x->v != y->v)
		return (x->v > y->v) - (x->v < y->v);
	return (x->src > y->src) - (x->src < y->src);	/* a total order: stable output */
}

/*
 * Exact two-sided p of a rank sum: scores[] are the N doubled midranks (integers, so
 * exact arithmetic), w2 the doubled rank sum of x.  cnt[k][s] = number of k-subsets of
 * the scores seen so far whose sum is s; counts stay below C(40, 20) < 2^53, exact in
 * a double.
 */
static int exact_p(const unsigned *scores, size_t N, size_t nx, unsigned long w2,
		   double *p)
{
	size_t S = N * (N + 1);	/* sum of all doubled ranks */
	size_t width = S + 1;
	double *cnt = calloc((nx + 1) * width, sizeof(*cnt));
	double le = 0, ge = 0, total = 0;

	if (!cnt)
		return -ENOMEM;
	cnt[0] = 1;
	for (size_t i = 0; i < N; i++) {
		size_t d = scores[i];
		size_t kmax = i + 1 < nx ? i + 1 : nx;

		for (size_t k = kmax; k >= 1; k--)
			for (size_t s = S; s >= d; s--)
				cnt[k * width + s] += cnt[(k - 1) * width + s - d];
	}
	for (size_t s = 0; s <= S; s++) {
		double c = cnt[nx * width + s];

		total += c;
		if (s <= w2)
			le += c;
		if (s >= w2)
			ge += c;
	}
	free(cnt);
	*p = fmin(1, 2 * fmin(le, ge) / total);
	return 0;
}

int mb_mann_whitney(const double *x, size_t nx, const double *y, size_t ny,
		    struct mb_mw *r)
{
	size_t N = nx + ny;
	struct tagged *t;
	unsigned *scores;
	unsigned long w2 = 0;
	double ties = 0;
	int err = 0;

	if (!nx || !ny)
		return -EINVAL;
	for (size_t i = 0; i < nx; i++)
		if (!isfinite(x[i]))
			return -EINVAL;
	for (size_t i = 0; i < ny; i++)
		if (!isfinite(y[i]))
			return -EINVAL;
	t = malloc(N * sizeof(*t));
	scores = malloc(N * sizeof(*scores));
	if (!t || !scores) {
		free(t);
		free(scores);
		return -ENOMEM;
	}
	for (size_t i = 0; i < nx; i++)
		t[i] = (struct tagged){ x[i], i };
	for (size_t i = 0; i < ny; i++)
		t[nx + i] = (struct tagged){ y[i], nx + i };
	qsort(t, N, sizeof(*t), cmp_tagged);

	/* Ranks i+1 .. j+1 tied: each gets (i + j + 2) / 2; doubled, i + j + 2. */
	for (size_t i = 0, j; i < N; i = j + 1) {
		double g;

		for (j = i; j + 1 < N && t[j + 1].v == t[i].v; j++)
			;
		for (size_t k = i; k <= j; k++) {
			scores[k] = (unsigned)(i + j + 2);
			if (t[k].src < nx)
				w2 += scores[k];
		}
		g = (double)(j - i + 1);
		ties += g * g * g - g;
	}

	memset(r, 0, sizeof(*r));
	r->u = (double)w2 / 2 - (double)nx * (double)(nx + 1) / 2;
	if (nx <= MB_MW_EXACT_MAX && ny <= MB_MW_EXACT_MAX) {
		r->exact = 1;
		err = exact_p(scores, N, nx, w2, &r->p);
	} else {
		double dn = (double)N, mu = (double)nx * (double)ny / 2;
		double var = (double)nx * (double)ny / 12 *
			     ((dn + 1) - ties / (dn * (dn - 1)));
		double d = r->u - mu;

		if (var <= 0) {		/* every value the same */
			r->p = 1;
		} else {
			d -= d > 0 ? 0.5 : d < 0 ? -0.5 : 0;
			r->z = d / sqrt(var);
			r->p = fmin(1, erfc(fabs(r->z) / sqrt(2)));
		}
	}
	free(t);
	free(scores);
	return err;
}

/*
 * One side, pooled and sorted once: val[] ascending, and for run i, pos[off[i] + k]
 * is where its k-th sample went.  A replicate is then a vector of counts over val[].
 */
struct pooled {
	size_t n;
	double *val;
	size_t *pos, *off;
	uint32_t *cnt;
};

static void pooled_free(struct pooled *p)
{
	free(p->val);
	free(p->pos);
	free(p->off);
	free(p->cnt);
}

static int pooled_init(struct pooled *p, const struct mb_runset *rs)
{
	struct tagged *t = NULL;
	size_t n = 0;

	memset(p, 0, sizeof(*p));
	if (!rs || !rs->nruns)
		return -EINVAL;
	for (size_t i = 0; i < rs->nruns; i++) {
		if (!rs->n[i])
			return -EINVAL;
		for (size_t k = 0; k < rs->n[i]; k++)
			if (!isfinite(rs->x[i][k]))
				return -EINVAL;
		n += rs->n[i];
	}
	if (n > UINT32_MAX)
		return -EINVAL;
	p->n = n;
	p->val = malloc(n * sizeof(*p->val));
	p->pos = malloc(n * sizeof(*p->pos));
	p->off = malloc(rs->nruns * sizeof(*p->off));
	p->cnt = malloc(n * sizeof(*p->cnt));
	t = malloc(n * sizeof(*t));
	if (!p->val || !p->pos || !p->off || !p->cnt || !t) {
		free(t);
		pooled_free(p);
		return -ENOMEM;
	}
	n = 0;
	for (size_t i = 0; i < rs->nruns; i++) {
		p->off[i] = n;
		for (size_t k = 0; k < rs->n[i]; k++, n++)
			t[n] = (struct tagged){ rs->x[i][k], n };
	}
	qsort(t, n, sizeof(*t), cmp_tagged);
	for (size_t j = 0; j < n; j++) {
		p->val[j] = t[j].v;
		p->pos[t[j].src] = j;
	}
	free(t);
	return 0;
}

/* One two-stage resample of a side (runs, then samples within each drawn run). */
static double replicate_median(struct pooled *p, const struct mb_runset *rs,
			       uint64_t *rng)
{
	size_t total = 0;

	memset(p->cnt, 0, p->n * sizeof(*p->cnt));
	for (size_t i = 0; i < rs->nruns; i++) {
		size_t r = (size_t)mb_rand_below(rng, rs->nruns);
		size_t m = rs->n[r];

		for (size_t k = 0; k < m; k++)
			p->cnt[p->pos[p->off[r] + mb_rand_below(rng, m)]]++;
		total += m;
	}
	return mb_median_counts(p->val, p->n, p->cnt, total);
}

int mb_ratio_ci(const struct mb_runset *base, const struct mb_runset *patched,
		unsigned B, uint64_t seed, double level, double *lo, double *hi)
{
	struct pooled pb, pp;
	uint64_t rng = seed;
	double *ratio;
	int err;

	if (!B || !(level > 0 && level < 1))
		return -EINVAL;
	err = pooled_init(&pb, base);
	if (err)
		return err;
	err = pooled_init(&pp, patched);
	if (err) {
		pooled_free(&pb);
		return err;
	}
	ratio = malloc(B * sizeof(*ratio));
	if (!ratio) {
		err = -ENOMEM;
		goto out;
	}
	for (unsigned b = 0; b < B; b++) {
		double mb = replicate_median(&pb, base, &rng);
		double mp = replicate_median(&pp, patched, &rng);

		if (mb == 0) {
			err = -EDOM;
			goto out;
		}
		ratio[b] = mp / mb;
	}
	mb_sort(ratio, B);
	*lo = mb_quantile(ratio, B, (1 - level) / 2);
	*hi = mb_quantile(ratio, B, 1 - (1 - level) / 2);
out:
	free(ratio);
	pooled_free(&pb);
	pooled_free(&pp);
	return err;
}

int mb_runs_median_ci(const struct mb_runset *s, unsigned B, uint64_t seed, double level,
		      double *lo, double *hi)
{
	struct pooled p;
	uint64_t rng = seed;
	double *med;
	int err;

	if (!B || !(level > 0 && level < 1))
		return -EINVAL;
	err = pooled_init(&p, s);
	if (err)
		return err;
	med = malloc(B * sizeof(*med));
	if (!med) {
		pooled_free(&p);
		return -ENOMEM;
	}
	for (unsigned b = 0; b < B; b++)
		med[b] = replicate_median(&p, s, &rng);
	mb_sort(med, B);
	*lo = mb_quantile(med, B, (1 - level) / 2);
	*hi = mb_quantile(med, B, 1 - (1 - level) / 2);
	free(med);
	pooled_free(&p);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median_of(const double *x, size_t n, int *err)
{
	double *s = malloc(n * sizeof(*s)), m;

	if (!s) {
		*err = -ENOMEM;
		return NAN;
	}
	memcpy(s, x, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	m = mb_quantile(s, n, 0.5);
	free(s);
	return m;
}

int mb_boot_verdict(const double *base, size_t nb, const double *patched, size_t np,
		    struct mb_boot_verdict *v)
{
	int err = 0;

	memset(v, 0, sizeof(*v));
	err = mb_mann_whitney(patched, np, base, nb, &v->mw);
	if (err)
		return err;
	v->base = median_of(base, nb, &err);
	v->patched = median_of(patched, np, &err);
	if (err)
		return err;
	v->change = v->base != 0 ? (v->patched / v->base - 1) * 100 : NAN;
	v->significant = v->mw.p < MB_BOOT_ALPHA && isfinite(v->change) &&
			 fabs(v->change) >= MB_BOOT_MIN_CHANGE;
	return 0;
}

int mb_bimodal(const double *x, size_t n)
{
	double *s, gap = -1, lo_range, hi_range;
	size_t at = 0;
	int r;

	if (n < 3)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return -EINVAL;
	s = malloc(n * sizeof(*s));
	if (!s)
		return -ENOMEM;
	memcpy(s, x, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	for (size_t i = 1; i < n; i++) {
		if (s[i] - s[i - 1] > gap) {
			gap = s[i] - s[i - 1];
			at = i;
		}
	}
	lo_range = s[at - 1] - s[0];
	hi_range = s[n - 1] - s[at];
	r = s[at - 1] > 0 && gap >= s[at - 1] * MB_BIMODAL_GAP / 100 &&
	    gap >= 4 * fmax(lo_range, hi_range);
	free(s);
	return r;
}
