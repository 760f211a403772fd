// SPDX-License-Identifier: GPL-2.0
/*
 * folded.c - folded stacks and the self / with-children / call-chain weights read
 * off them (folded.h).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "folded.h"
#include "grow.h"

void mb_folded_init(struct mb_folded *f)
{
	memset(f, 0, sizeof(*f));
}

void mb_folded_free(struct mb_folded *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i].stack);
	free(f->v);
	free(f->slot);
	mb_folded_init(f);
}

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static int rehash(struct mb_folded *f)
{
	size_t cap2 = f->cap2 ? 2 * f->cap2 : 1024;
	size_t *slot = malloc(cap2 * sizeof(*slot));

	if (!slot)
		return -1;
	for (size_t i = 0; i < cap2; i++)
		slot[i] = SIZE_MAX;
	for (size_t i = 0; i < f->n; i++) {
		size_t j = hash(f->v[i].stack) & (cap2 - 1);

		while (slot[j] != SIZE_MAX)
			j = (j + 1) & (cap2 - 1);
		slot[j] = i;
	}
	free(f->slot);
	f->slot = slot;
	f->cap2 = cap2;
	return 0;
}

int mb_folded_add(struct mb_folded *f, const char *stack, double w)
{
	struct mb_fstack *v;
	size_t j;

	if (2 * (f->n + 1) > f->cap2 && rehash(f))
		return -1;
	j = hash(stack) & (f->cap2 - 1);
	while (f->slot[j] != SIZE_MAX) {
		if (!strcmp(f->v[f->slot[j]].stack, stack)) {
			f->v[f->slot[j]].w += w;
			f->total += w;
			return 0;
		}
		j = (j + 1) & (f->cap2 - 1);
	}
	v = mb_grow(f->v, &f->cap, f->n + 1, sizeof(*v));
	if (!v)
		return -1;
	f->v = v;
	f->v[f->n].stack = strdup(stack);
	if (!f->v[f->n].stack)
		return -1;
	f->v[f->n].w = w;
	f->slot[j] = f->n++;
	f->total += w;
	return 0;
}

int mb_folded_read(struct mb_folded *f, FILE *in, size_t *bad)
{
	char *line = NULL;
	size_t cap = 0, no = 0;
	ssize_t len;
	int ret = 0;

	while ((len = getline(&line, &cap, in)) >= 0) {
		char *sp, *end;
		double w;

		no++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = 0;
		if (!len)
			continue;
		sp = strrchr(line, ' ');
		if (!sp || sp == line) {
			ret = -1;
			break;
		}
		*sp = 0;
		w = strtod(sp + 1, &end);
		if (end == sp + 1 || *end || !(w >= 0) || mb_folded_add(f, line, w)) {
			ret = -1;
			break;
		}
	}
	if (ret)
		*bad = no;
	free(line);
	return ret;
}

static int by_stack(const void *a, const void *b)
{
	return strcmp(((const struct mb_fstack *)a)->stack, ((const struct mb_fstack *)b)->stack);
}

int mb_folded_write(const struct mb_folded *f, FILE *out)
{
	struct mb_fstack *v = malloc((f->n ? f->n : 1) * sizeof(*v));

	if (!v)
		return -1;
	memcpy(v, f->v, f->n * sizeof(*v));
	qsort(v, f->n, sizeof(*v), by_stack);
	for (size_t i = 0; i < f->n; i++)
		fprintf(out, "%s %.0f\n", v[i].stack, v[i].w);
	free(v);
	return ferror(out) ? -1 : 0;
}

/* A small name -> index table over a growing array of mb_fsym. */
struct symtab {
	struct mb_fsym *v;
	size_t n, cap;
	size_t *slot, cap2;
	int own;	/* names are allocated */
};

static struct mb_fsym *sym_get(struct symtab *t, const char *name, size_t len)
{
	struct mb_fsym *v;
	size_t j;
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 1099511628211ull;
	if (2 * (t->n + 1) > t->cap2) {
		size_t cap2 = t->cap2 ? 2 * t->cap2 : 1024;
		size_t *slot = malloc(cap2 * sizeof(*slot));

		if (!slot)
			return NULL;
		for (size_t i = 0; i < cap2; i++)
			slot[i] = SIZE_MAX;
		for (size_t i = 0; i < t->n; i++) {
			uint64_t g = 1469598103934665603ull;

			for (const char *p = t->v[i].name; *p; p++)
				g = (g ^ (unsigned char)*p) * 1099511628211ull;
			j = g & (cap2 - 1);
			while (slot[j] != SIZE_MAX)
				j = (j + 1) & (cap2 - 1);
			slot[j] = i;
		}
		free(t->slot);
		t->slot = slot;
		t->cap2 = cap2;
	}
	j = h & (t->cap2 - 1);
	while (t->slot[j] != SIZE_MAX) {
		struct mb_fsym *s = &t->v[t->slot[j]];

		if (!strncmp(s->name, name, len) && !s->name[len])
			return s;
		j = (j + 1) & (t->cap2 - 1);
	}
	v = mb_grow(t->v, &t->cap, t->n + 1, sizeof(*v));
	if (!v)
		return NULL;
	t->v = v;
	t->v[t->n].name = strndup(name, len);
	if (!t->v[t->n].name)
		return NULL;
	t->v[t->n].self = t->v[t->n].children = 0;
	t->slot[j] = t->n;
	return &t->v[t->n++];
}

static int key_self;

static int by_key(const void *a, const void *b)
{
	const struct mb_fsym *x = a, *y = b;
	double kx = key_self ? x->self : x->children, ky = key_self ? y->self : y->children;

	if (kx != ky)
		return kx > ky ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* name is allocated in both tables (strndup); the syms' names are freed by the caller */
static struct mb_fsym *collect(const struct mb_folded *f, int chains, size_t maxdepth,
			       size_t *n)
{
	struct symtab t = { 0 };

	for (size_t i = 0; i < f->n; i++) {
		const char *s = f->v[i].stack;
		size_t depth = 0, nseen = 0;
		const char *seen[256];

		for (const char *p = s;; depth++) {
			const char *e = strchr(p, ';');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			struct mb_fsym *y;
			int dup = 0;

			if (chains) {
				if (depth >= maxdepth)
					break;
				y = sym_get(&t, s, (size_t)(p - s) + len);
				if (!y)
					goto oom;
				y->children += f->v[i].w;
				if (!e)
					y->self += f->v[i].w;
			} else {
				y = sym_get(&t, p, len);
				if (!y)
					goto oom;
				for (size_t k = 0; k < nseen; k++)
					dup |= seen[k] == y->name;
				if (!dup) {
					y->children += f->v[i].w;
					if (nseen < 256)
						seen[nseen++] = y->name;
				}
				if (!e)
					y->self += f->v[i].w;
			}
			if (!e)
				break;
			p = e + 1;
		}
	}
	free(t.slot);
	*n = t.n;
	return t.v;
oom:
	for (size_t i = 0; i < t.n; i++)
		free((char *)t.v[i].name);
	free(t.v);
	free(t.slot);
	*n = 0;
	return NULL;
}

struct mb_fsym *mb_folded_syms(const struct mb_folded *f, int by_self, size_t *n)
{
	struct mb_fsym *v = collect(f, 0, 0, n);

	if (v) {
		key_self = by_self;
		qsort(v, *n, sizeof(*v), by_key);
	}
	return v;
}

struct mb_fsym *mb_folded_chains(const struct mb_folded *f, size_t maxdepth, double min_w,
				 size_t *n)
{
	struct mb_fsym *v = collect(f, 1, maxdepth, n);
	size_t k = 0;

	if (!v)
		return NULL;
	for (size_t i = 0; i < *n; i++) {
		if (v[i].children >= min_w)
			v[k++] = v[i];
		else
			free((char *)v[i].name);
	}
	*n = k;
	key_self = 0;
	qsort(v, k, sizeof(*v), by_key);
	return v;
}

void mb_folded_free_syms(struct mb_fsym *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free((char *)c[i].name);
	free(c);
}

/* name's rank and share among v (sorted by self): 1-based, 0 when it is no leaf there */
static size_t rank_of(const struct mb_fsym *v, size_t n, double total, const char *name,
		      double *share)
{
	*share = 0;
	for (size_t i = 0; i < n && v[i].self > 0; i++)
		if (!strcmp(v[i].name, name)) {
			*share = total > 0 ? v[i].self / total : 0;
			return i + 1;
		}
	return 0;
}

static int by_ranks(const void *x, const void *y)
{
	const struct mb_agree_row *p = x, *q = y;
	size_t a = p->ra ? p->ra : SIZE_MAX, b = q->ra ? q->ra : SIZE_MAX;

	if (a != b)
		return a < b ? -1 : 1;
	a = p->rb ? p->rb : SIZE_MAX;
	b = q->rb ? q->rb : SIZE_MAX;
	return a < b ? -1 : a > b;
}

int mb_topn_agree(const struct mb_fsym *a, size_t na, double ta, const struct mb_fsym *b,
		  size_t nb, double tb, size_t top, double tol, struct mb_agree *g)
{
	size_t ka = 0, kb = 0;

	memset(g, 0, sizeof(*g));
	while (ka < na && ka < top && a[ka].self > 0)
		ka++;
	while (kb < nb && kb < top && b[kb].self > 0)
		kb++;
	g->rows = calloc(ka + kb + 1, sizeof(*g->rows));
	if (!g->rows)
		return -1;
	g->nth_a = ka == top && ta > 0 ? a[ka - 1].self / ta : 0;
	g->nth_b = kb == top && tb > 0 ? b[kb - 1].self / tb : 0;
	for (size_t side = 0; side < 2; side++)
		for (size_t i = 0; i < (side ? kb : ka); i++) {
			const char *name = side ? b[i].name : a[i].name;
			struct mb_agree_row *r;
			size_t k;

			for (k = 0; k < g->n; k++)
				if (!strcmp(g->rows[k].name, name))
					break;
			if (k < g->n)
				continue;	/* in both top N: a's row */
			r = &g->rows[g->n++];
			r->name = name;
			r->ra = rank_of(a, na, ta, name, &r->sa);
			r->rb = rank_of(b, nb, tb, name, &r->sb);
			r->in_a = r->ra && r->ra <= top;
			r->in_b = r->rb && r->rb <= top;
			if (fabs(r->sa - r->sb) > g->dall || !g->dallname) {
				g->dall = fabs(r->sa - r->sb);
				g->dallname = name;
			}
			if (r->in_a && r->in_b && (fabs(r->sa - r->sb) > g->d || !g->dname)) {
				g->d = fabs(r->sa - r->sb);
				g->dname = name;
			}
		}
	for (size_t k = 0; k < g->n; k++) {
		struct mb_agree_row *r = &g->rows[k];

		if (r->in_a == r->in_b)
			continue;
		g->swapped++;
		/* 1e-12: shares equal to the last digit are equal */
		r->tie = r->in_a ? r->sb >= g->nth_b - g->d - 1e-12 :
				   r->sa >= g->nth_a - g->d - 1e-12;
		g->real += !r->tie;
	}
	qsort(g->rows, g->n, sizeof(*g->rows), by_ranks);
	g->pass = g->dall <= tol + 1e-12 && !g->real;
	return 0;
}

void mb_agree_free(struct mb_agree *g)
{
	free(g->rows);
	memset(g, 0, sizeof(*g));
}

double mb_share_z(double pa, double na, double pb, double nb)
{
	double p = (pa * na + pb * nb) / (na + nb), se;

	if (!(na > 0) || !(nb > 0) || p <= 0 || p >= 1)
		return 0;
	se = sqrt(p * (1 - p) * (1 / na + 1 / nb));
	return (pb - pa) / se;
}

double mb_share_chi2(const struct mb_fsym *a, size_t la, double ta, double na,
		     const struct mb_fsym *b, size_t lb, double tb, double nb, double min_n,
		     size_t *m)
{
	double sum = 0;

	*m = 0;
	if (!(ta > 0) || !(tb > 0))
		return 0;
	for (size_t side = 0; side < 2; side++)
		for (size_t i = 0; i < (side ? lb : la); i++) {
			const struct mb_fsym *y = side ? &b[i] : &a[i];
			double pa = 0, pb = 0;
			size_t k;

			if (y->self <= 0)
				continue;
			if (side) {	/* in a too: counted from a's side */
				for (k = 0; k < la && strcmp(a[k].name, y->name); k++)
					;
				if (k < la && a[k].self > 0)
					continue;
				pb = y->self / tb;
			} else {
				pa = y->self / ta;
				for (k = 0; k < lb; k++)
					if (!strcmp(b[k].name, y->name)) {
						pb = b[k].self / tb;
						break;
					}
			}
			if (pa * na + pb * nb < min_n)
				continue;
			sum += pow(mb_share_z(pa, na, pb, nb), 2);
			(*m)++;
		}
	return sum;
}
