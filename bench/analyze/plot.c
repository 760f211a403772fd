// SPDX-License-Identifier: GPL-2.0
/*
 * plot.c - mmapbench-analyze plot RESULTDIR|RESULTS.json OUTDIR: the chart model of
 * one results file.  What to plot, on which axes, log or linear, which series: for
 * each chart, OUTDIR/NAME.gp (a gnuplot script, its data inline) and NAME.gp.size;
 * scripts/host/plot only runs gnuplot on them (chart.h).  The charts (medians with their
 * bootstrap 95 % CI; ok cases only):
 *   latency-BENCH-METRIC  bars: targets on x, profile and flags as series, at the
 *                         bench's representative axes (smallest size, count and
 *                         threads; no populate when some case has none)
 *   BENCH-vs-size|count   lines against mapping size (log2) or VMAs present (log10),
 *                         one line per target[:profile], a panel per flags/populate;
 *                         y log when the medians span more than 30x
 *   BENCH-vs-threads      lines: the ops/s metrics (or the first timed one) per thread
 *   BENCH-cdf             per-op CDF from the samples of a timing "each" metric
 *   merge-rate, merge-vmas  bars: every merge bench per target[:profile], per flags
 * Units: ns, or under the icount clock (unit insn) "instructions (icount)".
 * Exit 0 written, 1 unreadable input or unwritable OUTDIR, 2 usage or a file that
 * is no results file with a completed case.
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "chart.h"
#include "cmd.h"
#include "results.h"
#include "schemas.h"

#define PROG	"mmapbench-plot"

struct pmetric {
	const char *name, *unit, *better, *timing;
	struct num med, lo, hi;	/* stats.per_op and its CI, else the median's */
	int headline;		/* med is stats.per_op */
	const char *stat;	/* history: its statistic column (cmp.h), or NULL */
	size_t n;		/* samples (timing each) */
	struct num *q;		/* 401 CDF points [x, p], or NULL */
};

struct pcase {
	const char *bench, *family, *target, *profile, *flags;
	struct num size, threads, count;
	int populate;		/* -1 absent, 0 false, 1 true */
	size_t nm;
	struct pmetric *m;
};

struct rep {			/* a bench's representative axes (scripts/host/plot's rep) */
	struct num size, threads, count;
	int populate;		/* 0: no populate; -1: any */
};

enum { F_SIZE = 1, F_THREADS = 2, F_COUNT = 4, F_POPULATE = 8 };

struct run {
	const char *tu;		/* time unit: ns or insn */
	char *sub;		/* kernel, accel, clock, counter */
	size_t nc;
	struct pcase *c;
	const char *dir;
	int nwritten;
	int old_timings;	/* timings without stats.per_op (older files): medians */
};

static char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");

	if (!d) {
		fputs(PROG ": out of memory\n", stderr);
		exit(1);
	}
	return d;
}

static void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz);

	if (!p) {
		fputs(PROG ": out of memory\n", stderr);
		exit(1);
	}
	return p;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	char *s;
	va_list ap;

	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		s = NULL;
	va_end(ap);
	if (!s) {
		fputs(PROG ": out of memory\n", stderr);
		exit(1);
	}
	return s;
}

static struct num jnum(const json_t *v)
{
	if (json_is_integer(v))
		return (struct num){ (double)json_integer_value(v), 'i', NULL };
	if (json_is_real(v))
		return (struct num){ json_real_value(v), 'l', NULL };
	return NUM_NULL;
}

static const char *jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int num_eq(struct num a, struct num b)
{
	return a.kind != 'n' && b.kind != 'n' && a.v == b.v;
}

static int cmp_num(const void *a, const void *b)
{
	double x = ((const struct num *)a)->v, y = ((const struct num *)b)->v;

	return (x > y) - (x < y);
}

/* ---- reading: what the charts use (scripts/host/plot's slim) ---- */

static void read_metric(struct pmetric *m, json_t *jm)
{
	json_t *st = json_object_get(jm, "stats"), *s = json_object_get(jm, "samples");
	size_t n = json_array_size(s);

	m->name = jstr(jm, "name");
	m->unit = jstr(jm, "unit");
	m->better = jstr(jm, "better");
	m->timing = jstr(jm, "timing");
	/* a timing's headline (stats.per_op, cmp.h); older files: the median */
	m->med = jnum(json_object_get(st, "per_op"));
	m->lo = jnum(json_object_get(st, "per_op_ci95_lo"));
	m->hi = jnum(json_object_get(st, "per_op_ci95_hi"));
	m->headline = m->med.kind != 'n';
	if (!m->headline) {
		m->med = jnum(json_object_get(st, "median"));
		m->lo = jnum(json_object_get(st, "ci95_lo"));
		m->hi = jnum(json_object_get(st, "ci95_hi"));
	}
	if (m->timing && !strcmp(m->timing, "each") && n) {
		struct num *v = xcalloc(n, sizeof(*v));

		for (size_t i = 0; i < n; i++)
			v[i] = jnum(json_array_get(s, i));
		qsort(v, n, sizeof(*v), cmp_num);
		m->n = n;
		m->q = xcalloc(401 * 2, sizeof(*m->q));
		for (int i = 0; i < 400; i++) {
			double p = i / 400.0;

			m->q[2 * i] = v[(size_t)floor(p * (double)(n - 1))];
			m->q[2 * i + 1] = NUM_C(p);
		}
		m->q[800] = v[n - 1];
		m->q[801] = (struct num){ 1, 'i', NULL };
		free(v);
	}
}

static void read_cases(struct run *r, json_t *cases)
{
	json_t *jc;
	size_t i;

	r->c = xcalloc(json_array_size(cases), sizeof(*r->c));
	json_array_foreach(cases, i, jc) {
		struct pcase *c = &r->c[r->nc];
		json_t *p = json_object_get(jc, "params"), *ms = json_object_get(jc, "metrics"),
		       *pop = json_object_get(p, "populate"), *jm;
		const char *st = jstr(jc, "status");
		size_t j;

		if (!st || strcmp(st, "ok"))
			continue;
		r->nc++;
		c->bench = jstr(jc, "bench");
		c->family = jstr(jc, "family");
		c->target = jstr(jc, "target");
		c->profile = jstr(jc, "profile");
		c->flags = jstr(p, "flags");
		c->size = jnum(json_object_get(p, "size"));
		c->threads = jnum(json_object_get(p, "threads"));
		c->count = jnum(json_object_get(p, "count"));
		c->populate = json_is_boolean(pop) ? json_is_true(pop) : -1;
		c->m = xcalloc(json_array_size(ms), sizeof(*c->m));
		json_array_foreach(ms, j, jm) {
			struct pmetric *m = &c->m[c->nm++];

			read_metric(m, jm);
			r->old_timings |= m->timing && strcmp(m->timing, "reported") &&
					  !m->headline;
		}
	}
}

/* ---- the shared definitions of scripts/host/plot's jq ---- */

static char *human(struct num n)
{
	struct sb b = { 0 };
	static const char *const suf[] = { "g", "m", "k" };
	static const double unit[] = { 1073741824.0, 1048576.0, 1024.0 };

	if (n.kind == 'n')
		return xstrdup("null");
	for (int i = 0; i < 3; i++)
		if (n.v >= unit[i] && fmod(n.v, unit[i]) == 0) {
			sb_num(&b, NUM_C(n.v / unit[i]));
			sb_add(&b, suf[i]);
			return sb_take(&b);
		}
	sb_num(&b, n);
	return sb_take(&b);
}

static char *tp(const struct pcase *c)
{
	return c->profile ? fmt("%s:%s", c->target, c->profile) : xstrdup(c->target);
}

static const char *better(const char *b)
{
	if (b && !strcmp(b, "lower"))
		return " (lower is better)";
	if (b && !strcmp(b, "higher"))
		return " (higher is better)";
	return "";
}

static int timed(const struct pmetric *m)
{
	return m->unit && (!strcmp(m->unit, "ns") || !strcmp(m->unit, "insn"));
}

/* What a metric's value is, in unit u: "ns per mmap", or under icount instructions. */
static char *what(const char *m, const char *u)
{
	static const char *const tab[][2] = {
		{ "mmap+munmap", "ns per mmap+munmap pair" }, { "mmap", "ns per mmap" },
		{ "munmap", "ns per munmap" },
		{ "munmap-range", "ns per munmap of the whole range" },
		{ "munmap-split", "ns per splitting munmap" },
		{ "touch", "ns per page touched (a fault)" },
		{ "mmap+munmap ops/s", "mmap+munmap pairs per second, all threads" },
		{ "mmap+munmap ops/s/thread", "mmap+munmap pairs per second per thread" },
		{ "vmas", "VMAs" }, { "vmas-before", "VMAs" },
		{ "merge-rate", "merge rate (1: all merged)" },
	};
	int insn = u && !strcmp(u, "insn");
	char *s = NULL;

	for (size_t i = 0; m && i < sizeof(tab) / sizeof(tab[0]); i++)
		if (!strcmp(tab[i][0], m))
			s = xstrdup(tab[i][1]);
	if (!s)
		s = fmt("%s, %s", m ? m : "null",
			insn ? "instructions (icount)" : u ? u : "null");
	if (insn && !strncmp(s, "ns ", 3)) {
		char *t = fmt("instructions (icount) %s", s + 3);

		free(s);
		s = t;
	}
	return s;
}

static const struct pmetric *metric(const struct pcase *c, const char *name)
{
	for (size_t i = 0; name && i < c->nm; i++)
		if (c->m[i].name && !strcmp(c->m[i].name, name))
			return &c->m[i];
	return NULL;
}

static struct rep rep_of(struct pcase **cs, size_t n)
{
	struct rep r = { NUM_NULL, NUM_NULL, NUM_NULL, -1 };

	for (size_t i = 0; i < n; i++) {
		const struct pcase *c = cs[i];

		if (c->size.kind != 'n' && (r.size.kind == 'n' || c->size.v < r.size.v))
			r.size = c->size;
		if (c->threads.kind != 'n' && (r.threads.kind == 'n' || c->threads.v < r.threads.v))
			r.threads = c->threads;
		if (c->count.kind != 'n' && (r.count.kind == 'n' || c->count.v < r.count.v))
			r.count = c->count;
		if (c->populate == 0)
			r.populate = 0;
	}
	return r;
}

/* The case is at r on every axis but the free ones. */
static int at(const struct pcase *c, const struct rep *r, int free_)
{
	if (!(free_ & F_SIZE) && r->size.kind != 'n' && !num_eq(c->size, r->size))
		return 0;
	if (!(free_ & F_THREADS) && r->threads.kind != 'n' && !num_eq(c->threads, r->threads))
		return 0;
	if (!(free_ & F_COUNT) && r->count.kind != 'n' && !num_eq(c->count, r->count))
		return 0;
	if (!(free_ & F_POPULATE) && r->populate == 0 && c->populate != 0)
		return 0;
	return 1;
}

/* The axes held fixed, for a title: "4k, n=64, 1 thread, no populate". */
static char *fixed(const struct rep *r, int free_)
{
	struct sb b = { 0 };
	char *h;

	if (!(free_ & F_SIZE) && r->size.kind != 'n') {
		h = human(r->size);
		sb_add(&b, h);
		free(h);
	}
	if (!(free_ & F_COUNT) && r->count.kind != 'n') {
		sb_add(&b, b.len ? ", n=" : "n=");
		sb_num(&b, r->count);
	}
	if (!(free_ & F_THREADS) && r->threads.kind != 'n') {
		sb_add(&b, b.len ? ", " : "");
		sb_num(&b, r->threads);
		sb_add(&b, r->threads.v == 1 ? " thread" : " threads");
	}
	if (!(free_ & F_POPULATE) && r->populate == 0)
		sb_add(&b, b.len ? ", no populate" : "no populate");
	return sb_take(&b);
}

/* ---- string lists in order of first appearance (jq's uniq) ---- */

struct strs {
	size_t n;
	char **v;
};

static size_t strs_index(const struct strs *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return i;
	return (size_t)-1;
}

static void strs_add(struct strs *l, const char *s)
{
	if (strs_index(l, s) != (size_t)-1)
		return;
	l->v = realloc(l->v, (l->n + 1) * sizeof(*l->v));
	if (!l->v)
		exit(1);
	l->v[l->n++] = xstrdup(s);
}

static void strs_free(struct strs *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* ---- rows: one point of a series in a panel ---- */

struct row {
	char *g;		/* panel title */
	int gi[3];		/* panel order */
	char *s;		/* series label */
	const char *better;
	struct num pt[5];
	int npt;
};

struct rows {
	size_t n;
	struct row *v;
};

static struct row *rows_add(struct rows *rs)
{
	rs->v = realloc(rs->v, (rs->n + 1) * sizeof(*rs->v));
	if (!rs->v)
		exit(1);
	memset(&rs->v[rs->n], 0, sizeof(rs->v[0]));
	return &rs->v[rs->n++];
}

static void rows_free(struct rows *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		free(rs->v[i].g);
		free(rs->v[i].s);
	}
	free(rs->v);
	memset(rs, 0, sizeof(*rs));
}

static void gidx(const struct pcase *c, int *gi)
{
	gi[0] = c->flags && !strcmp(c->flags, "private");
	gi[1] = c->populate == 1;
}

static char *grp(const struct pcase *c)
{
	const char *pop = c->populate < 0 ? NULL : c->populate ? "populate" : "no populate";

	if (c->flags && pop)
		return fmt("%s, %s", c->flags, pop);
	return xstrdup(c->flags ? c->flags : pop ? pop : "");
}

/* Series of the rows (in their order) by label, ordered and coloured by labels. */
static void make_series(struct panel *p, struct row **rv, size_t n, const struct strs *labels,
			int width)
{
	p->series = xcalloc(labels->n, sizeof(*p->series));
	for (size_t l = 0; l < labels->n; l++) {
		struct series *se = &p->series[p->nseries];

		for (size_t i = 0; i < n; i++) {
			if (strcmp(rv[i]->s, labels->v[l]))
				continue;
			if (!se->pts)
				se->pts = xcalloc(n * (size_t)width, sizeof(*se->pts));
			memcpy(&se->pts[se->npts++ * (size_t)width], rv[i]->pt,
			       (size_t)width * sizeof(struct num));
		}
		if (!se->npts)
			continue;
		se->label = xstrdup(labels->v[l]);
		se->color = chart_color(l);
		se->width = (size_t)width;
		p->nseries++;
	}
}

static void set_tics(struct panel *p, const struct tic *t, size_t n)
{
	p->has_xtics = 1;
	p->nxtics = n;
	p->xtics = xcalloc(n, sizeof(*t));
	for (size_t i = 0; i < n; i++) {
		p->xtics[i].pos = t[i].pos;
		p->xtics[i].label = xstrdup(t[i].label);
	}
}

/* Category tics: the i-th category at x = i. */
static void cat_tics(struct panel *p, const struct strs *cats)
{
	p->has_xtics = 1;
	p->nxtics = cats->n;
	p->xtics = xcalloc(cats->n, sizeof(*p->xtics));
	for (size_t i = 0; i < cats->n; i++) {
		p->xtics[i].pos = NUM_C((double)i);
		p->xtics[i].label = xstrdup(cats->v[i]);
	}
}

static int cmp_gi(const struct row *a, const struct row *b)
{
	for (int i = 0; i < 3; i++)
		if (a->gi[i] != b->gi[i])
			return a->gi[i] < b->gi[i] ? -1 : 1;
	return 0;
}

/* A stable sort of rows (jq's sort_by and group_by are stable): by lt, then place. */
static int (*sort_lt)(const struct row *, const struct row *);

struct placed {
	struct row *r;
	size_t i;
};

static int cmp_placed(const void *a, const void *b)
{
	const struct placed *x = a, *y = b;

	if (sort_lt(x->r, y->r))
		return -1;
	if (sort_lt(y->r, x->r))
		return 1;
	return (x->i > y->i) - (x->i < y->i);
}

static void sort_rows(struct row **v, size_t n, int (*lt)(const struct row *, const struct row *))
{
	struct placed *p = xcalloc(n, sizeof(*p));

	for (size_t i = 0; i < n; i++)
		p[i] = (struct placed){ v[i], i };
	sort_lt = lt;
	qsort(p, n, sizeof(*p), cmp_placed);
	for (size_t i = 0; i < n; i++)
		v[i] = p[i].r;
	free(p);
}

static int lt_g(const struct row *a, const struct row *b)
{
	return strcmp(a->g, b->g) < 0;
}

static int lt_x(const struct row *a, const struct row *b)
{
	return a->pt[0].v < b->pt[0].v;
}

/* The rows grouped into panels: by title, ordered by gi (scripts/host/plot's group_by(.g) |
 * sort_by(.[0].gi)); returns the groups' starts in *start (ngroups + 1 entries). */
static size_t group_rows(struct row **v, size_t n, size_t **start)
{
	size_t ng = 0, *st = xcalloc(n + 1, sizeof(*st));
	struct row **tmp = xcalloc(n, sizeof(*tmp));
	size_t *order;

	sort_rows(v, n, lt_g);
	for (size_t i = 0; i < n; i++)
		if (!i || strcmp(v[i]->g, v[i - 1]->g))
			st[ng++] = i;
	st[ng] = n;
	/* order the groups by their first row's gi, stably */
	order = xcalloc(ng + 1, sizeof(*order));
	for (size_t g = 0; g < ng; g++)
		order[g] = g;
	for (size_t i = 1; i < ng; i++)
		for (size_t j = i; j > 0 && cmp_gi(v[st[order[j]]], v[st[order[j - 1]]]) < 0; j--) {
			size_t t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	{
		size_t k = 0, *ns = xcalloc(ng + 1, sizeof(*ns));

		for (size_t g = 0; g < ng; g++) {
			ns[g] = k;
			for (size_t i = st[order[g]]; i < st[order[g] + 1]; i++)
				tmp[k++] = v[i];
		}
		ns[ng] = n;
		memcpy(v, tmp, n * sizeof(*v));
		free(st);
		st = ns;
	}
	free(order);
	free(tmp);
	*start = st;
	return ng;
}

static void finish_chart(struct run *r, struct chart *c, int cols)
{
	size_t n = c->npanels;

	if (!n) {
		chart_free(c);
		return;
	}
	c->cols = cols < (int)n ? cols : (int)n;
	c->rows = (int)floor(((double)n + cols - 1) / cols);
	if (!c->w)		/* preset: the chart's own width (and height) */
		c->w = c->cols * 620 + 40;
	if (!c->h)
		c->h = c->rows * 400 + 80;
	if (chart_write(c, r->dir)) {
		fprintf(stderr, PROG ": cannot write %s/%s.gp: %s\n", r->dir, c->name,
			strerror(errno));
		exit(1);
	}
	r->nwritten++;
	chart_free(c);
}

/*
 * The "lines"/"cdf" panels of rows (scripts/host/plot's line_panels): a panel per group,
 * y log for lines when the medians span more than 30x; ranges and tics as given.
 */
static void line_panels(struct chart *c, struct rows *rs, const char *kind, const char *xl,
			const char *yl, int logx, const struct tic *xt, size_t nxt, int has_xt)
{
	struct strs labels = { 0 };
	struct row **v = xcalloc(rs->n, sizeof(*v));
	double ymin = INFINITY, ymax = -INFINITY;
	size_t *st, ng;
	int cdf = !strcmp(kind, "cdf"), spread;

	for (size_t i = 0; i < rs->n; i++) {
		struct row *w = &rs->v[i];

		strs_add(&labels, w->s);
		if (w->pt[1].kind != 'n' && w->pt[1].v > 0) {
			ymin = fmin(ymin, w->pt[1].v);
			ymax = fmax(ymax, w->pt[1].v);
		}
		if (!cdf) {
			if (w->pt[2].kind == 'n')
				w->pt[2] = w->pt[1];
			if (w->pt[3].kind == 'n')
				w->pt[3] = w->pt[1];
		}
		w->npt = cdf ? 2 : 4;
		v[i] = w;
	}
	spread = ymax > 30 * ymin;	/* false when no median is positive */
	ng = group_rows(v, rs->n, &st);
	c->panels = xcalloc(ng, sizeof(*c->panels));
	for (size_t g = 0; g < ng; g++) {
		struct panel *p = &c->panels[c->npanels++];

		p->kind = kind;
		p->title = xstrdup(v[st[g]]->g);
		p->xlabel = xstrdup(xl);
		p->ylabel = xstrdup(yl);
		p->logx = logx;
		p->logy = !strcmp(kind, "lines") && spread;
		p->yrange = xstrdup(cdf ? "[0:1]" : spread ? "[*:*]" : "[0:*]");
		if (has_xt)
			set_tics(p, xt, nxt);
		sort_rows(v + st[g], st[g + 1] - st[g], lt_x);
		make_series(p, v + st[g], st[g + 1] - st[g], &labels, cdf ? 2 : 4);
	}
	free(st);
	free(v);
	strs_free(&labels);
}

/* Cases of one bench, in file order; benches in jq's group_by order (by name). */
struct group {
	size_t n;
	struct pcase **c;
};

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t bench_groups(struct run *r, int each_only, struct group **out)
{
	struct strs names = { 0 };
	struct group *g;
	size_t n;

	for (size_t i = 0; i < r->nc; i++) {
		int each = 0;

		for (size_t j = 0; j < r->c[i].nm; j++)
			each |= r->c[i].m[j].timing && !strcmp(r->c[i].m[j].timing, "each");
		if (!each_only || each)
			strs_add(&names, r->c[i].bench ? r->c[i].bench : "");
	}
	qsort(names.v, names.n, sizeof(*names.v), cmp_cstr);
	g = xcalloc(names.n, sizeof(*g));
	for (size_t k = 0; k < names.n; k++) {
		g[k].c = xcalloc(r->nc, sizeof(*g[k].c));
		for (size_t i = 0; i < r->nc; i++) {
			int each = 0;

			for (size_t j = 0; j < r->c[i].nm; j++)
				each |= r->c[i].m[j].timing && !strcmp(r->c[i].m[j].timing, "each");
			if ((!each_only || each) && !strcmp(r->c[i].bench ? r->c[i].bench : "",
							    names.v[k]))
				g[k].c[g[k].n++] = &r->c[i];
		}
	}
	*out = g;
	n = names.n;
	strs_free(&names);
	return n;
}

static void groups_free(struct group *g, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(g[i].c);
	free(g);
}

static char *note(const struct run *r)
{
	if (r->old_timings)
		return fmt("median and bootstrap 95 %% CI over this run's samples (an older "
			   "result without stats.per_op: a fault's median is the fast path)\n%s",
			   r->sub);
	return fmt("timings: per op (median of the samples' means, the headline); others: "
		   "median; bootstrap 95 %% CI over this run's samples\n%s", r->sub);
}

static int distinct_nums(struct pcase **cs, size_t n, size_t off)
{
	double seen[512];
	int k = 0;

	for (size_t i = 0; i < n; i++) {
		struct num x = *(struct num *)((char *)cs[i] + off);
		int dup = 0;

		if (x.kind == 'n')
			continue;
		for (int j = 0; j < k; j++)
			dup |= seen[j] == x.v;
		if (!dup && k < 512)
			seen[k++] = x.v;
	}
	return k;
}

/* ---- the charts ---- */

static int lt_private(const char *a, const char *b)
{
	return !strstr(a, "private") && strstr(b, "private");
}

static void latency_chart(struct run *r, const struct group *gr, const struct rep *rp,
			  struct pcase **sel, size_t ns, const char *m);

/* latency-BENCH-METRIC: targets on x, profile and flags as series. */
static void latency_charts(struct run *r, const struct group *gr)
{
	struct rep rp = rep_of(gr->c, gr->n);
	struct pcase **sel = xcalloc(gr->n, sizeof(*sel));
	struct strs ms = { 0 };
	size_t ns = 0;

	if (distinct_nums(gr->c, gr->n, offsetof(struct pcase, count)) > 1)
		goto out;
	for (size_t i = 0; i < gr->n; i++)
		if (at(gr->c[i], &rp, 0))
			sel[ns++] = gr->c[i];
	for (size_t i = 0; i < ns; i++)
		for (size_t j = 0; j < sel[i]->nm; j++)
			if (timed(&sel[i]->m[j]) && !(sel[i]->m[j].timing &&
						      !strcmp(sel[i]->m[j].timing, "each")))
				strs_add(&ms, sel[i]->m[j].name ? sel[i]->m[j].name : "");
	for (size_t mi = 0; mi < ms.n; mi++)
		latency_chart(r, gr, &rp, sel, ns, ms.v[mi]);
out:
	strs_free(&ms);
	free(sel);
}

/* The latency rows of metric m: a row per selected case that has it, its target in
 * t[], the targets in cats and the series labels (private ones last) in labels. */
static void latency_rows(struct pcase **sel, size_t ns, const char *m, struct rows *rs,
			 const char **t, struct strs *cats, struct strs *labels)
{
	for (size_t i = 0; i < ns; i++) {
		const struct pmetric *pm = metric(sel[i], m);
		struct row *row;

		if (!pm)
			continue;
		row = rows_add(rs);
		t[rs->n - 1] = sel[i]->target;
		if (sel[i]->profile && sel[i]->flags)
			row->s = fmt("%s %s", sel[i]->profile, sel[i]->flags);
		else
			row->s = xstrdup(sel[i]->profile ? sel[i]->profile :
					 sel[i]->flags ? sel[i]->flags : "");
		row->better = pm->better;
		row->pt[1] = pm->med;
		row->pt[2] = pm->lo;
		row->pt[3] = pm->hi;
		strs_add(cats, t[rs->n - 1]);
		strs_add(labels, row->s);
	}
	for (size_t i = 1; i < labels->n; i++)
		for (size_t j = i; j > 0 && lt_private(labels->v[j], labels->v[j - 1]); j--) {
			char *x = labels->v[j];

			labels->v[j] = labels->v[j - 1];
			labels->v[j - 1] = x;
		}
}

/* The bars: per target, its rows side by side in label order, k the most a target
 * has; returns k. */
static size_t latency_bars(const struct rows *rs, const char **t, const struct strs *cats,
			   const struct strs *labels, struct rows *bars)
{
	size_t k = 0;
	double w;

	for (size_t ci = 0; ci < cats->n; ci++) {
		size_t n = 0;

		for (size_t i = 0; i < rs->n; i++)
			n += !strcmp(t[i], cats->v[ci]);
		k = n > k ? n : k;
	}
	w = 0.8 / (double)k;
	for (size_t ci = 0; ci < cats->n; ci++) {
		size_t n = 0, j = 0;

		for (size_t i = 0; i < rs->n; i++)
			n += !strcmp(t[i], cats->v[ci]);
		for (size_t l = 0; l < labels->n; l++)
			for (size_t i = 0; i < rs->n; i++) {
				struct row *bar;

				if (strcmp(t[i], cats->v[ci]) || strcmp(rs->v[i].s, labels->v[l]))
					continue;
				bar = rows_add(bars);
				bar->s = xstrdup(rs->v[i].s);
				bar->pt[0] = NUM_C((double)ci + ((double)j - ((double)n - 1) / 2) * w);
				bar->pt[1] = rs->v[i].pt[1];
				bar->pt[2] = rs->v[i].pt[2];
				bar->pt[3] = rs->v[i].pt[3];
				bar->pt[4] = NUM_C(w * 0.9);
				j++;
			}
	}
	return k;
}

/* "[-0.6:N-0.4]": the x range of n categories at 0..n-1. */
static char *cat_range(size_t n)
{
	struct sb b = { 0 };

	sb_add(&b, "[-0.6:");
	sb_num(&b, NUM_C((double)n - 0.4));
	sb_add(&b, "]");
	return sb_take(&b);
}

/* The series of rows, in their order. */
static void series_of(struct panel *p, struct rows *rs, const struct strs *labels, int width)
{
	struct row **v = xcalloc(rs->n, sizeof(*v));

	for (size_t i = 0; i < rs->n; i++)
		v[i] = &rs->v[i];
	make_series(p, v, rs->n, labels, width);
	free(v);
}

static void latency_chart(struct run *r, const struct group *gr, const struct rep *rp,
			  struct pcase **sel, size_t ns, const char *m)
{
	struct strs cats = { 0 }, labels = { 0 };
	struct rows rs = { 0 }, bars = { 0 };
	struct chart c = { 0 };
	struct panel *p;
	const char **t = xcalloc(ns, sizeof(*t));
	char *fx, *nt, *wh, *fn;
	size_t k;

	latency_rows(sel, ns, m, &rs, t, &cats, &labels);
	k = latency_bars(&rs, t, &cats, &labels, &bars);
	fn = chart_fname(m);
	fx = fixed(rp, 0);
	nt = note(r);
	c.name = fmt("latency-%s-%s", gr->c[0]->bench, fn);
	c.title = fmt("%s: %s per target (%s)\n%s", gr->c[0]->bench, m, fx, nt);
	c.w = (int)fmax(900, (double)(cats.n * k * 46 + 300));
	c.h = 560;
	c.panels = xcalloc(1, sizeof(*c.panels));
	c.npanels = 1;
	p = &c.panels[0];
	p->kind = "bars";
	p->xlabel = xstrdup("target");
	wh = what(m, r->tu);
	p->ylabel = fmt("%s%s", wh, better(rs.n ? rs.v[0].better : NULL));
	p->yrange = xstrdup("[0:*]");
	p->xrange = cat_range(cats.n);
	cat_tics(p, &cats);
	series_of(p, &bars, &labels, 5);
	finish_chart(r, &c, 1);
	free(fn);
	free(fx);
	free(nt);
	free(wh);
	free(t);
	rows_free(&rs);
	rows_free(&bars);
	strs_free(&cats);
	strs_free(&labels);
}

/* The distinct x of the rows, ascending, as tics labelled by label() (NULL: the
 * number itself); returns how many. */
static size_t x_tics(const struct rows *rs, struct tic **out, char *(*label)(struct num))
{
	struct tic *xt = xcalloc(rs->n, sizeof(*xt));
	struct sb b = { 0 };
	size_t nxt = 0;

	for (size_t i = 0; i < rs->n; i++) {
		size_t j = 0;

		while (j < nxt && xt[j].pos.v < rs->v[i].pt[0].v)
			j++;
		if (j < nxt && xt[j].pos.v == rs->v[i].pt[0].v)
			continue;
		memmove(&xt[j + 1], &xt[j], (nxt - j) * sizeof(*xt));
		xt[j].pos = rs->v[i].pt[0];
		nxt++;
	}
	for (size_t j = 0; j < nxt; j++) {
		if (label) {
			xt[j].label = label(xt[j].pos);
			continue;
		}
		sb_num(&b, xt[j].pos);
		xt[j].label = sb_take(&b);
	}
	*out = xt;
	return nxt;
}

static void tics_free(struct tic *t, size_t n)
{
	for (size_t j = 0; j < n; j++)
		free(t[j].label);
	free(t);
}

/* BENCH-vs-size, BENCH-vs-count: cost against the axis, a panel per flags/populate. */
static void axis_chart(struct run *r, const struct group *gr, int size)
{
	struct rep rp = rep_of(gr->c, gr->n);
	int free_ = (size ? F_SIZE : F_COUNT) | F_POPULATE;
	size_t off = size ? offsetof(struct pcase, size) : offsetof(struct pcase, count);
	struct rows rs = { 0 };
	struct chart c = { 0 };
	struct tic *xt = NULL;
	size_t nxt = 0;
	const char *m = NULL;
	char *fx, *nt, *wh, *yl;

	if (distinct_nums(gr->c, gr->n, off) <= 1)
		return;
	for (size_t i = 0; i < gr->n && !m; i++)
		for (size_t j = 0; j < gr->c[i]->nm && !m; j++)
			if (timed(&gr->c[i]->m[j]))
				m = gr->c[i]->m[j].name;
	for (size_t i = 0; i < gr->n; i++) {
		const struct pcase *pc = gr->c[i];
		const struct pmetric *pm = metric(pc, m);
		struct row *row;

		if (!at(pc, &rp, free_) || !pm)
			continue;
		row = rows_add(&rs);
		row->g = grp(pc);
		gidx(pc, row->gi);
		row->s = tp(pc);
		row->better = pm->better;
		row->pt[0] = *(const struct num *)((const char *)pc + off);
		row->pt[1] = pm->med;
		row->pt[2] = pm->lo;
		row->pt[3] = pm->hi;
	}
	if (size)		/* the sizes present, in order, as tics */
		nxt = x_tics(&rs, &xt, human);
	fx = fixed(&rp, free_);
	nt = note(r);
	wh = what(m, r->tu);
	yl = fmt("%s%s", wh, better(rs.n ? rs.v[0].better : NULL));
	c.name = fmt("%s-vs-%s", gr->c[0]->bench, size ? "size" : "count");
	c.title = fmt("%s: %s against %s (%s)\n%s", gr->c[0]->bench, m ? m : "null",
		      size ? "mapping size" : "VMAs already present", fx, nt);
	line_panels(&c, &rs, "lines", size ? "mapping size (log2 scale)" :
		    "VMAs present (count, log scale)", yl, size ? 2 : 10, xt, nxt, size);
	finish_chart(r, &c, 2);
	tics_free(xt, nxt);
	free(fx);
	free(nt);
	free(wh);
	free(yl);
	rows_free(&rs);
}

/* The metrics of a threads chart: the ops/s ones (returns 1), else the first timed. */
static int threads_metrics(const struct group *gr, struct strs *ms)
{
	int ops;

	for (size_t i = 0; i < gr->n; i++)
		for (size_t j = 0; j < gr->c[i]->nm; j++)
			if (gr->c[i]->m[j].name && strstr(gr->c[i]->m[j].name, "ops/s"))
				strs_add(ms, gr->c[i]->m[j].name);
	ops = ms->n > 0;
	for (size_t i = 0; i < gr->n && !ms->n; i++)
		for (size_t j = 0; j < gr->c[i]->nm && !ms->n; j++)
			if (timed(&gr->c[i]->m[j]) && gr->c[i]->m[j].name)
				strs_add(ms, gr->c[i]->m[j].name);
	return ops;
}

/* A row per case at rp (but threads) and metric; the panel is flags and metric. */
static void threads_rows(const struct group *gr, const struct rep *rp, const struct strs *ms,
			 struct rows *rs)
{
	for (size_t i = 0; i < gr->n; i++) {
		const struct pcase *pc = gr->c[i];

		if (!at(pc, rp, F_THREADS))
			continue;
		for (size_t mi = 0; mi < ms->n; mi++) {
			const struct pmetric *pm = metric(pc, ms->v[mi]);
			struct row *row;

			if (!pm)
				continue;
			row = rows_add(rs);
			row->g = fmt("%s %s", pc->flags ? pc->flags : "", ms->v[mi]);
			gidx(pc, row->gi);
			row->gi[2] = (int)mi;
			row->s = tp(pc);
			row->better = pm->better;
			row->pt[0] = pc->threads;
			row->pt[1] = pm->med;
			row->pt[2] = pm->lo;
			row->pt[3] = pm->hi;
		}
	}
}

/* BENCH-vs-threads: the ops/s metrics (or the first timed one) against threads. */
static void threads_chart(struct run *r, const struct group *gr)
{
	struct rep rp = rep_of(gr->c, gr->n);
	struct strs ms = { 0 };
	struct rows rs = { 0 };
	struct chart c = { 0 };
	struct tic *xt;
	struct sb b = { 0 };
	size_t nxt;
	int ops;
	char *fx, *nt, *yl, *wh = NULL;

	if (distinct_nums(gr->c, gr->n, offsetof(struct pcase, threads)) <= 1)
		return;
	ops = threads_metrics(gr, &ms);
	threads_rows(gr, &rp, &ms, &rs);
	nxt = x_tics(&rs, &xt, NULL);
	for (size_t mi = 0; mi < ms.n; mi++) {
		sb_add(&b, mi ? " and " : "");
		sb_add(&b, ms.v[mi]);
	}
	fx = fixed(&rp, F_THREADS);
	nt = note(r);
	if (!ops)
		wh = what(ms.n ? ms.v[0] : NULL, r->tu);
	yl = fmt("%s%s", ops ? "pairs per second" : wh, better(rs.n ? rs.v[0].better : NULL));
	c.name = fmt("%s-vs-threads", gr->c[0]->bench);
	c.title = fmt("%s: %s against threads (%s)\n%s", gr->c[0]->bench, b.s ? b.s : "", fx, nt);
	line_panels(&c, &rs, "lines", "threads", yl, 0, xt, nxt, 1);
	for (size_t i = 0; i < c.npanels; i++) {
		free(c.panels[i].yrange);
		c.panels[i].yrange = xstrdup("[0:*]");
		c.panels[i].logy = 0;
	}
	finish_chart(r, &c, ms.n > 1 ? (int)ms.n : 1);
	tics_free(xt, nxt);
	free(b.s);
	free(fx);
	free(nt);
	free(wh);
	free(yl);
	rows_free(&rs);
	strs_free(&ms);
}

/* BENCH-cdf: the per-op CDF of the first timing "each" metric, from the samples. */
static void cdf_chart(struct run *r, const struct group *gr)
{
	struct rep rp = rep_of(gr->c, gr->n);
	struct rows rs = { 0 };
	struct chart c = { 0 };
	struct sb b = { 0 };
	const struct pmetric *first;
	struct num lo = NUM_NULL, hi = NUM_NULL;
	const char *m = NULL;
	char *fx, *wh, *xl;

	for (size_t i = 0; i < gr->n && !m; i++)
		for (size_t j = 0; j < gr->c[i]->nm && !m; j++)
			if (gr->c[i]->m[j].timing && !strcmp(gr->c[i]->m[j].timing, "each"))
				m = gr->c[i]->m[j].name;
	for (size_t i = 0; i < gr->n; i++) {
		const struct pcase *pc = gr->c[i];
		const struct pmetric *pm = metric(pc, m);

		if (!at(pc, &rp, 0) || !pm || !pm->q)
			continue;
		for (size_t k = 0; k < 401; k++) {
			struct row *row = rows_add(&rs);

			row->g = xstrdup(pc->flags ? pc->flags : "");
			gidx(pc, row->gi);
			row->s = tp(pc);
			row->pt[0] = pm->q[2 * k];
			row->pt[1] = pm->q[2 * k + 1];
			if (lo.kind == 'n' || row->pt[0].v < lo.v)
				lo = row->pt[0];
			if (hi.kind == 'n' || row->pt[0].v > hi.v)
				hi = row->pt[0];
		}
	}
	first = metric(gr->c[0], m);
	fx = fixed(&rp, 0);
	wh = what(m, r->tu);
	xl = fmt("%s, log scale", wh);
	c.name = fmt("%s-cdf", gr->c[0]->bench);
	sb_printf(&b, "%s: CDF of %s latency per op, all samples (", gr->c[0]->bench,
		  m ? m : "null");
	sb_num(&b, first ? NUM_C((double)first->n) : NUM_NULL);
	sb_printf(&b, " per case; %s)\n%s", fx, r->sub);
	c.title = sb_take(&b);
	line_panels(&c, &rs, "cdf", xl, "fraction of ops at or below x", 10, NULL, 0, 0);
	for (size_t i = 0; i < c.npanels; i++) {
		c.panels[i].extra = xstrdup("set key inside right bottom Left reverse\n");
		sb_add(&b, "[");
		sb_num(&b, lo);
		sb_add(&b, ":");
		sb_num(&b, hi);
		sb_add(&b, "]");
		c.panels[i].xrange = sb_take(&b);
	}
	finish_chart(r, &c, 2);
	free(fx);
	free(wh);
	free(xl);
	rows_free(&rs);
}

/* The merge bars of one flags value: per target[:profile] its benches side by side. */
static void merge_rows(struct pcase **sel, size_t ns, int vmas, const char *flag,
		       const struct strs *cats, const struct strs *labels, struct rows *rs)
{
	double w = 0.8 / (double)labels->n;

	for (size_t ci = 0; ci < cats->n; ci++) {
		struct pcase **in = xcalloc(ns, sizeof(*in));
		size_t n = 0;

		for (size_t l = 0; l < labels->n; l++)
			for (size_t i = 0; i < ns; i++) {
				char *cat = tp(sel[i]);
				int same = !strcmp(cat, cats->v[ci]) &&
					   !strcmp(sel[i]->flags ? sel[i]->flags : "", flag) &&
					   !strcmp(sel[i]->bench, labels->v[l]);

				free(cat);
				if (same)
					in[n++] = sel[i];
			}
		for (size_t j = 0; j < n; j++) {
			const char *mm = !vmas ? "merge-rate" :
					 metric(in[j], "vmas-before") ? "vmas-before" : "vmas";
			const struct pmetric *pm = metric(in[j], mm);
			struct row *row;

			if (!pm)
				continue;
			row = rows_add(rs);
			row->g = xstrdup(flag);
			gidx(in[j], row->gi);
			row->s = xstrdup(in[j]->bench);
			row->pt[0] = NUM_C((double)ci + ((double)j - ((double)n - 1) / 2) * w);
			row->pt[1] = pm->med;
			row->pt[2] = pm->lo;
			row->pt[3] = pm->hi;
			row->pt[4] = NUM_C(w * 0.9);
		}
		free(in);
	}
}

/* The merge chart's title: the chunk counts present and the size of a chunk. */
static char *merge_title(const struct run *r, struct pcase **sel, size_t ns, int vmas)
{
	struct rows counts = { 0 };
	struct tic *t;
	struct sb b = { 0 };
	size_t n;
	char *nt = note(r), *h = human(ns ? sel[0]->size : NUM_NULL), *s;

	for (size_t i = 0; i < ns; i++)
		if (sel[i]->count.kind != 'n')
			rows_add(&counts)->pt[0] = (struct num){ sel[i]->count.v, 'i', NULL };
	n = x_tics(&counts, &t, NULL);
	for (size_t j = 0; j < n; j++) {
		sb_add(&b, j ? "/" : "");
		sb_add(&b, t[j].label);
	}
	if (vmas)
		s = fmt("merges: VMAs left by N = %s chunks (merge-fill: N into N+1; "
			"merge-split: before its splits) (%s chunks)\n%s", b.s ? b.s : "", h, nt);
	else
		s = fmt("merges: merge rate, 1 - (VMAs - 1) / (chunks - 1) (%s chunks)\n%s", h, nt);
	tics_free(t, n);
	rows_free(&counts);
	free(b.s);
	free(nt);
	free(h);
	return s;
}

/* merge-rate, merge-vmas: every merge bench per target[:profile], a panel per flags. */
static void merge_chart(struct run *r, struct pcase **sel, size_t ns, int vmas)
{
	struct strs cats = { 0 }, labels = { 0 }, flags = { 0 };
	struct rows rs = { 0 };
	struct chart c = { 0 };
	struct row **v;
	size_t *st, ng;

	for (size_t i = 0; i < ns; i++) {
		char *cat = tp(sel[i]);

		strs_add(&cats, cat);
		free(cat);
		strs_add(&labels, sel[i]->bench);
		strs_add(&flags, sel[i]->flags ? sel[i]->flags : "");
	}
	for (size_t f = 0; f < flags.n; f++)
		merge_rows(sel, ns, vmas, flags.v[f], &cats, &labels, &rs);
	c.name = xstrdup(vmas ? "merge-vmas" : "merge-rate");
	c.title = merge_title(r, sel, ns, vmas);
	v = xcalloc(rs.n, sizeof(*v));
	for (size_t i = 0; i < rs.n; i++)
		v[i] = &rs.v[i];
	ng = group_rows(v, rs.n, &st);
	c.panels = xcalloc(ng, sizeof(*c.panels));
	for (size_t g = 0; g < ng; g++) {
		struct panel *p = &c.panels[c.npanels++];
		char *wh = what(vmas ? "vmas" : "merge-rate", "");

		p->kind = "bars";
		p->title = xstrdup(v[st[g]]->g);
		p->xlabel = xstrdup("target");
		p->values = vmas ? "%.0f" : "%.2g";
		p->ylabel = fmt("%s%s", wh, vmas ? " left (lower is better)" : " (higher is better)");
		free(wh);
		p->yrange = xstrdup(vmas ? "[0:*]" : "[0:1.05]");
		p->xrange = cat_range(cats.n);
		cat_tics(p, &cats);
		make_series(p, v + st[g], st[g + 1] - st[g], &labels, 5);
	}
	c.w = (int)fmax(900, (double)(cats.n * labels.n * 30 + 300));
	finish_chart(r, &c, 1);
	free(st);
	free(v);
	rows_free(&rs);
	strs_free(&cats);
	strs_free(&labels);
	strs_free(&flags);
}

static void merge_charts(struct run *r)
{
	struct pcase **sel = xcalloc(r->nc, sizeof(*sel)), **mc = xcalloc(r->nc, sizeof(*mc));
	struct group *g;
	size_t ng, ns = 0, nm = 0;

	for (size_t i = 0; i < r->nc; i++)
		if (r->c[i].family && !strcmp(r->c[i].family, "merge"))
			mc[nm++] = &r->c[i];
	if (!nm)
		goto out;
	ng = bench_groups(r, 0, &g);
	for (size_t k = 0; k < ng; k++) {
		struct pcase **in = xcalloc(g[k].n, sizeof(*in));
		size_t n = 0;
		struct rep rp;

		for (size_t i = 0; i < g[k].n; i++)
			if (g[k].c[i]->family && !strcmp(g[k].c[i]->family, "merge"))
				in[n++] = g[k].c[i];
		rp = rep_of(in, n);
		for (size_t i = 0; i < n; i++)
			if (at(in[i], &rp, 0))
				sel[ns++] = in[i];
		free(in);
	}
	groups_free(g, ng);
	merge_chart(r, sel, ns, 0);
	merge_chart(r, sel, ns, 1);
out:
	free(sel);
	free(mc);
}

/* Every chart of a results file, in scripts/host/plot's order, into r->dir. */
static void run_charts(struct run *r)
{
	struct group *g;
	size_t ng = bench_groups(r, 0, &g);

	for (size_t k = 0; k < ng; k++)
		latency_charts(r, &g[k]);
	for (size_t k = 0; k < ng; k++) {
		axis_chart(r, &g[k], 1);
		axis_chart(r, &g[k], 0);
	}
	for (size_t k = 0; k < ng; k++)
		threads_chart(r, &g[k]);
	groups_free(g, ng);
	ng = bench_groups(r, 1, &g);
	for (size_t k = 0; k < ng; k++)
		cdf_chart(r, &g[k]);
	groups_free(g, ng);
	merge_charts(r);
}

/* ---- --compare: mmapbench-compare --json as one chart ---- */

static size_t utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static char *joined(json_t *a, const char *sep)
{
	struct sb b = { 0 };
	json_t *v;
	size_t i;

	json_array_foreach(a, i, v) {
		sb_add(&b, i ? sep : "");
		sb_add(&b, json_is_string(v) ? json_string_value(v) : "null");
	}
	return sb_take(&b);
}

static char *side_env(json_t *s)
{
	char *k = joined(json_object_get(s, "kernel_release"), ", "), *r;
	struct sb b = { 0 };
	struct num runs = jnum(json_object_get(s, "runs"));

	sb_printf(&b, "%s (", k);
	sb_num(&b, runs);
	sb_printf(&b, " run%s)", runs.kind != 'n' && runs.v == 1 ? "" : "s");
	r = sb_take(&b);
	free(k);
	return r;
}

static const char *const cmp_classes[] = {
	"not significant", "significant, better", "significant, worse", "significant",
};
static const char *const cmp_colors[] = { "#909090", "#009E73", "#D55E00", "#0072B2" };

static int cmp_class(json_t *row)
{
	const char *v = jstr(row, "verdict");

	if (!json_is_true(json_object_get(row, "significant")))
		return 0;
	return v && !strcmp(v, "better") ? 1 : v && !strcmp(v, "worse") ? 2 : 3;
}

static struct num pct(struct num x)
{
	return x.kind == 'n' ? x : NUM_C((x.v - 1) * 100);
}

static int cmp_usable(json_t *row)
{
	return !json_is_null(json_object_get(row, "ratio")) &&
	       !json_is_null(json_object_get(row, "ci_lo"));
}

/* The x scale: from the lowest CI end (not below -100 %) to the highest, capped at
 * 200 %; *pad is 4 % of that. */
static double cmp_cap(json_t *rows, double *lo0, double *pad)
{
	double lo = 0, hi = 0, cap;
	json_t *row;
	size_t i;

	json_array_foreach(rows, i, row) {
		if (!cmp_usable(row))
			continue;
		lo = fmin(lo, pct(jnum(json_object_get(row, "ci_lo"))).v);
		hi = fmax(hi, pct(jnum(json_object_get(row, "ci_hi"))).v);
	}
	*lo0 = fmax(lo, -100);
	cap = fmin(hi, 200);
	*pad = (cap - *lo0) * 0.04;
	return cap;
}

/* A row per usable comparison (its class the series), clipped at cap; a label at
 * the cap for each change beyond it, into ex. */
static void cmp_points(json_t *rows, double cap, struct rows *rs, struct sb *ex)
{
	size_t n = json_array_size(rows), i;
	json_t *row;

	json_array_foreach(rows, i, row) {
		struct num ch = jnum(json_object_get(row, "change_pct")), y = NUM_C((double)(n - i));
		struct num lo = pct(jnum(json_object_get(row, "ci_lo")));
		struct num hi = pct(jnum(json_object_get(row, "ci_hi")));
		struct row *w;

		if (!cmp_usable(row))
			continue;
		if (ch.v > cap) {
			sb_add(ex, "set label \"");
			sb_num(ex, NUM_C(round(ch.v)));
			sb_add(ex, " % \u2192\" at ");
			sb_num(ex, NUM_C(cap));
			sb_add(ex, ", ");
			sb_num(ex, y);
			sb_add(ex, " offset 1,0 font ',8'\n");
		}
		w = rows_add(rs);
		w->s = xstrdup(cmp_classes[cmp_class(row)]);
		w->pt[0] = ch.v > cap ? NUM_C(cap) : ch;
		w->pt[1] = y;
		w->pt[2] = lo.v > cap ? NUM_C(cap) : lo;
		w->pt[3] = hi.v > cap ? NUM_C(cap) : hi;
	}
}

/* The rows' names as y tics, the first at the top; *len: the longest, in characters. */
static struct tic *cmp_ytics(json_t *rows, size_t *len)
{
	size_t n = json_array_size(rows), i;
	struct tic *yt = xcalloc(n, sizeof(*yt));
	json_t *row;

	*len = 0;
	json_array_foreach(rows, i, row) {
		int na = json_is_null(json_object_get(row, "ratio"));

		yt[i].pos = NUM_C((double)(n - i));
		yt[i].label = fmt("%s: %s%s", jstr(row, "case") ? jstr(row, "case") : "null",
				  jstr(row, "metric") ? jstr(row, "metric") : "null",
				  na ? " (n/a: base 0)" : "");
		*len = utf8_len(yt[i].label) > *len ? utf8_len(yt[i].label) : *len;
	}
	return yt;
}

static char *cmp_title(json_t *root, int by_boot)
{
	char *be = side_env(json_object_get(root, "base"));
	char *pe = side_env(json_object_get(root, "patched"));
	char *ac = joined(json_object_get(json_object_get(root, "patched"), "accel"), ", ");
	char *co = joined(json_object_get(json_object_get(root, "patched"), "counter"), ", ");
	char *wa = joined(json_object_get(root, "warnings"), "; ");
	char *t = fmt("compare: %% change of the median, patched vs base; bars: bootstrap 95 %% "
		      "CI of the ratio\nbase: %s  ·  patched: %s  ·  accel %s%s · counter %s%s%s",
		      be, pe, ac, by_boot ? " · clock icount (instructions)" : "", co,
		      *wa ? "\nwarning: " : "", wa);

	free(be);
	free(pe);
	free(ac);
	free(co);
	free(wa);
	return t;
}

static int compare_chart(json_t *root, const char *name, const char *dir)
{
	json_t *rows = json_object_get(root, "rows");
	size_t n = json_array_size(rows), len;
	int by_boot = json_is_true(json_object_get(json_object_get(root, "method"), "by_boot"));
	double lo0, pad, cap = cmp_cap(rows, &lo0, &pad);
	struct chart c = { 0 };
	struct panel *p;
	struct rows rs = { 0 };
	struct strs labels = { 0 };
	struct sb b = { 0 }, ex = { 0 };
	struct run r = { .dir = dir };
	struct tic *yt = cmp_ytics(rows, &len);

	for (size_t k = 0; k < 4; k++)
		strs_add(&labels, cmp_classes[k]);
	sb_printf(&ex, "set lmargin %zu\nset grid noxtics\nset key outside top center horizontal\n"
		  "set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb '#808080'\n", len + 2);
	cmp_points(rows, cap, &rs, &ex);
	c.name = xstrdup(name);
	c.title = cmp_title(root, by_boot);
	c.w = 900 + (int)len * 7;
	c.h = (int)n * 15 + 260 > 500 ? (int)n * 15 + 260 : 500;
	c.panels = xcalloc(1, sizeof(*c.panels));
	c.npanels = 1;
	p = &c.panels[0];
	p->kind = "hbars";
	p->xlabel = xstrdup(by_boot ? "% change, patched vs base (filled: significant by boot: "
			    "exact Mann-Whitney p < 0.01 on boot medians, |change| >= 0.1 %, CI "
			    "excludes 0 %)" : "% change, patched vs base (filled: significant: "
			    "Mann-Whitney p < 0.05 and the CI excludes 0 %)");
	p->ylabel = xstrdup("");
	sb_add(&b, "[");
	sb_num(&b, NUM_C(lo0 - pad));
	sb_add(&b, ":");
	sb_num(&b, NUM_C(cap + pad * 4));
	sb_add(&b, "]");
	p->xrange = sb_take(&b);
	sb_add(&b, "[0.3:");
	sb_num(&b, NUM_C((double)n + 0.7));
	sb_add(&b, "]");
	p->yrange = sb_take(&b);
	p->has_ytics = 1;
	p->nytics = n;
	p->ytics = yt;
	p->extra = sb_take(&ex);
	series_of(p, &rs, &labels, 4);
	for (size_t i = 0; i < p->nseries; i++) {
		size_t k = strs_index(&labels, p->series[i].label);

		p->series[i].color = cmp_colors[k];
		p->series[i].style = k ? "using 1:2:3:4 with xerrorbars pt 7 ps 1.1" :
				     "using 1:2:3:4 with xerrorbars pt 6 ps 0.9";
	}
	finish_chart(&r, &c, 1);
	rows_free(&rs);
	strs_free(&labels);
	return 0;
}

static int plot_compare(const char *file, const char *dir, const char *name)
{
	json_error_t je;
	json_t *root = json_load_file(file, JSON_REJECT_DUPLICATES, &je);
	const char *schema = json_string_value(json_object_get(root, "schema"));
	int rc;

	if (!root) {
		fprintf(stderr, PROG ": %s: not JSON (line %d: %s)\n", file, je.line, je.text);
		return 2;
	}
	if (!schema || strcmp(schema, MB_SCHEMA_COMPARE) ||
	    !json_is_array(json_object_get(root, "rows"))) {
		fprintf(stderr, PROG ": %s: not an mmapbench-compare --json output (schema %s)\n",
			file, MB_SCHEMA_COMPARE);
		json_decref(root);
		return 2;
	}
	if (!json_array_size(json_object_get(root, "rows"))) {
		fprintf(stderr, PROG ": %s and %s have no metric in common\n",
			jstr(json_object_get(root, "base"), "spec"),
			jstr(json_object_get(root, "patched"), "spec"));
		json_decref(root);
		return 2;
	}
	rc = compare_chart(root, name, dir);
	json_decref(root);
	return rc;
}

/* ---- --history: mmapbench-track --history's TSV, a chart per bench and metric ---- */

struct hrow {
	struct pcase c;
	struct pmetric m;
	struct num seq;
	const char *run, *kernel, *baseline, *accel, *counter;
	json_t *params;
};

static struct num tnum(const char *s)
{
	if (!s || !*s || strstr(s, "nan"))
		return NUM_NULL;
	return (struct num){ strtod(s, NULL), 't', s };
}

static int hist_col(char **hdr, size_t nh, const char *name)
{
	for (size_t i = 0; i < nh; i++)
		if (!strcmp(hdr[i], name))
			return (int)i;
	return -1;
}

static size_t split_tabs(char *line, char **f, size_t max)
{
	size_t n = 0;

	line[strcspn(line, "\n")] = 0;
	while (n < max) {
		f[n++] = line;
		line = strchr(line, '\t');
		if (!line)
			break;
		*line++ = 0;
	}
	return n;
}

/* A history row's statistic in words (track --history's statistic column). */
static const char *what_stat(const char *st)
{
	if (!st)
		return "median (a history without its statistic column)";
	if (!strcmp(st, "per_op"))
		return "per op (median of the samples' means, the headline)";
	if (!strcmp(st, "fast"))
		return "fast path (median single op)";
	if (!strcmp(st, "as_recorded"))
		return "median of the samples as recorded (an older result)";
	return "median";
}

static void history_chart(struct run *r, struct hrow **cs, size_t n, const char *m,
			  const struct tic *xt, size_t nruns)
{
	struct pcase **pc = xcalloc(n, sizeof(*pc));
	struct strs labels = { 0 };
	struct rows rs = { 0 };
	struct chart c = { 0 };
	struct panel *p;
	struct sb b = { 0 };
	struct row **v;
	const struct hrow *first = NULL;
	struct rep rp;
	char *fx, *fn, *wh;

	for (size_t i = 0; i < n; i++)
		pc[i] = &cs[i]->c;
	rp = rep_of(pc, n);
	for (size_t i = 0; i < n; i++) {
		struct hrow *h = cs[i];
		struct row *w;
		char *t;

		if (strcmp(h->m.name, m) || !at(&h->c, &rp, 0))
			continue;
		first = first ? first : h;
		w = rows_add(&rs);
		t = tp(&h->c);
		w->s = h->c.flags ? fmt("%s %s", t, h->c.flags) : xstrdup(t);
		free(t);
		w->pt[0] = h->seq;
		w->pt[1] = h->m.med;
		w->pt[2] = h->m.lo;
		w->pt[3] = h->m.hi;
		strs_add(&labels, w->s);
	}
	if (!rs.n)
		goto out;
	fx = fixed(&rp, 0);
	fn = chart_fname(m);
	c.name = fmt("history-%s-%s", cs[0]->c.bench, fn);
	c.title = fmt("history: %s %s (%s), %s and bootstrap 95 %% CI of each recorded run "
		      "(over its runs; over its samples when one)\n%s", cs[0]->c.bench, m, fx,
		      what_stat(first->m.stat), r->sub);
	c.w = (int)fmax(900, (double)(nruns * 90 + 420));
	c.h = 580;
	c.panels = xcalloc(1, sizeof(*c.panels));
	c.npanels = 1;
	p = &c.panels[0];
	p->kind = "lines";
	p->xlabel = xstrdup("recorded run (* = baseline; see the index)");
	wh = what(m, first->m.unit);
	p->ylabel = fmt("%s%s", wh, better(first->m.better));
	p->yrange = xstrdup("[0:*]");
	sb_add(&b, "[0.5:");
	sb_num(&b, NUM_C((double)nruns + 0.5));
	sb_add(&b, "]");
	p->xrange = sb_take(&b);
	set_tics(p, xt, nruns);
	v = xcalloc(rs.n, sizeof(*v));
	for (size_t i = 0; i < rs.n; i++)
		v[i] = &rs.v[i];
	make_series(p, v, rs.n, &labels, 4);
	finish_chart(r, &c, 1);
	free(v);
	free(fx);
	free(fn);
	free(wh);
out:
	free(pc);
	rows_free(&rs);
	strs_free(&labels);
}

static int cmp_hseq(const void *a, const void *b)
{
	double x = (*(struct hrow *const *)a)->seq.v, y = (*(struct hrow *const *)b)->seq.v;

	return (x > y) - (x < y);
}

/* The runs (by seq, the first row of each) as tics and the subtitle. */
static size_t history_runs(struct run *r, struct hrow *h, size_t n, struct tic **xt)
{
	struct hrow **s = xcalloc(n, sizeof(*s));
	struct strs acc = { 0 }, ctr = { 0 };
	struct sb b = { 0 };
	size_t nr = 0;

	for (size_t i = 0; i < n; i++) {
		s[i] = &h[i];
		strs_add(&acc, h[i].accel);
		strs_add(&ctr, h[i].counter);
	}
	qsort(s, n, sizeof(*s), cmp_hseq);	/* ties: any row of a run names it alike */
	*xt = xcalloc(n, sizeof(**xt));
	for (size_t i = 0; i < n; i++) {
		size_t kl;

		if (i && s[i]->seq.v == s[i - 1]->seq.v)
			continue;
		kl = strlen(s[i]->kernel);
		if (kl >= 6 && !strcmp(s[i]->kernel + kl - 6, "-amd64"))
			kl -= 6;
		sb_num(&b, s[i]->seq);
		sb_printf(&b, "%s\n%.*s", !strcmp(s[i]->baseline, "yes") ? "*" : "", (int)kl,
			  s[i]->kernel);
		(*xt)[nr].pos = s[i]->seq;
		(*xt)[nr++].label = sb_take(&b);
	}
	sb_add(&b, "runs in order of recording; accel ");
	for (size_t i = 0; i < acc.n; i++)
		sb_printf(&b, "%s%s", i ? ", " : "", acc.v[i]);
	sb_add(&b, " · counter ");
	for (size_t i = 0; i < ctr.n; i++)
		sb_printf(&b, "%s%s", i ? ", " : "", ctr.v[i]);
	r->sub = sb_take(&b);
	strs_free(&acc);
	strs_free(&ctr);
	free(s);
	return nr;
}

/* The history file, its lines kept (the rows point into them). */
struct history {
	size_t nl, nr;
	char **lines, *header;
	struct hrow *h;		/* the rows of tracked metrics (better is not none) */
};

static void history_free(struct history *hi)
{
	for (size_t i = 0; i < hi->nr; i++)
		json_decref(hi->h[i].params);
	for (size_t i = 0; i < hi->nl; i++)
		free(hi->lines[i]);
	free(hi->lines);
	free(hi->header);
	free(hi->h);
}

/* The columns a history chart uses, in the order of history_read()'s need[]. */
enum { SEQ, RUN, KERNEL, ACCEL, COUNTER, BASELINE, BENCH, TARGET, PROFILE, PARAMS, METRIC,
       UNIT, BETTER, MEDIAN, LO, HI, NCOLS };

/* One line's fields as a row; 0, or -1 with the message printed. */
static int history_row(struct hrow *w, char **fl, const int *col, int scol,
		       const char *file, size_t ln)
{
	json_t *pm = json_loads(fl[col[PARAMS]], 0, NULL), *pop;

	if (!json_is_object(pm)) {
		fprintf(stderr, PROG ": %s:%zu: params are no JSON object\n", file, ln);
		json_decref(pm);
		return -1;
	}
	w->params = pm;
	w->seq = tnum(fl[col[SEQ]]);
	w->run = fl[col[RUN]];
	w->kernel = fl[col[KERNEL]];
	w->accel = fl[col[ACCEL]];
	w->counter = fl[col[COUNTER]];
	w->baseline = fl[col[BASELINE]];
	w->c.bench = fl[col[BENCH]];
	w->c.target = fl[col[TARGET]];
	w->c.profile = strcmp(fl[col[PROFILE]], "-") ? fl[col[PROFILE]] : NULL;
	w->c.flags = json_string_value(json_object_get(pm, "flags"));
	w->c.size = jnum(json_object_get(pm, "size"));
	w->c.threads = jnum(json_object_get(pm, "threads"));
	w->c.count = jnum(json_object_get(pm, "count"));
	pop = json_object_get(pm, "populate");
	w->c.populate = json_is_boolean(pop) ? json_is_true(pop) : -1;
	w->m.name = fl[col[METRIC]];
	w->m.unit = fl[col[UNIT]];
	w->m.better = fl[col[BETTER]];
	w->m.med = tnum(fl[col[MEDIAN]]);
	w->m.lo = tnum(fl[col[LO]]);
	w->m.hi = tnum(fl[col[HI]]);
	w->m.stat = scol >= 0 ? fl[scol] : NULL;
	return 0;
}

/* Read mmapbench-track --history's TSV; 0, or 2 with the message printed. */
static int history_read(const char *file, struct history *hi)
{
	static const char *const need[] = {
		"seq", "run", "kernel_release", "accel", "counter", "baseline", "bench",
		"target", "profile", "params", "metric", "unit", "better", "median",
		"ci95_lo", "ci95_hi",
	};
	FILE *f = fopen(file, "r");
	char *hdr[64], *fl[64];
	int col[NCOLS], scol;
	size_t cap = 0, nh;

	memset(hi, 0, sizeof(*hi));
	if (!f) {
		fprintf(stderr, PROG ": %s: cannot read: %s\n", file, strerror(errno));
		return 2;
	}
	if (getline(&hi->header, &cap, f) < 0) {
		fprintf(stderr, PROG ": %s: empty, not mmapbench-track --history output\n", file);
		fclose(f);
		return 2;
	}
	nh = split_tabs(hi->header, hdr, 64);
	_Static_assert(sizeof(need) / sizeof(need[0]) == NCOLS, "a name per column");
	for (size_t k = 0; k < NCOLS; k++)
		if ((col[k] = hist_col(hdr, nh, need[k])) < 0) {
			fprintf(stderr, PROG ": %s: no column %s: not mmapbench-track --history "
				"output\n", file, need[k]);
			fclose(f);
			return 2;
		}
	scol = hist_col(hdr, nh, "statistic");	/* older output has none */
	for (char *l = NULL; (cap = 0, getline(&l, &cap, f)) >= 0; l = NULL) {
		hi->lines = realloc(hi->lines, (hi->nl + 1) * sizeof(*hi->lines));
		if (!hi->lines)
			exit(1);
		hi->lines[hi->nl++] = l;
	}
	fclose(f);
	hi->h = xcalloc(hi->nl, sizeof(*hi->h));
	for (size_t i = 0; i < hi->nl; i++) {
		size_t nf = split_tabs(hi->lines[i], fl, 64);

		if (nf != nh) {
			fprintf(stderr, PROG ": %s:%zu: %zu fields, want %zu\n", file, i + 2, nf, nh);
			return 2;
		}
		if (!strcmp(fl[col[BETTER]], "none"))
			continue;
		if (history_row(&hi->h[hi->nr], fl, col, scol, file, i + 2))
			return 2;
		hi->nr++;
	}
	return 0;
}

static int plot_history(const char *file, const char *dir)
{
	struct history hi;
	struct tic *xt;
	struct run r = { .dir = dir };
	struct strs benches = { 0 };
	size_t nruns;

	if (history_read(file, &hi)) {
		history_free(&hi);
		return 2;
	}
	for (size_t i = 0; i < hi.nr; i++)
		strs_add(&benches, hi.h[i].c.bench);
	nruns = history_runs(&r, hi.h, hi.nr, &xt);
	qsort(benches.v, benches.n, sizeof(*benches.v), cmp_cstr);
	for (size_t k = 0; k < benches.n; k++) {
		struct hrow **cs = xcalloc(hi.nr, sizeof(*cs));
		struct strs ms = { 0 };
		size_t n = 0;

		for (size_t i = 0; i < hi.nr; i++)
			if (!strcmp(hi.h[i].c.bench, benches.v[k])) {
				cs[n++] = &hi.h[i];
				strs_add(&ms, hi.h[i].m.name);
			}
		for (size_t mi = 0; mi < ms.n; mi++)
			history_chart(&r, cs, n, ms.v[mi], xt, nruns);
		strs_free(&ms);
		free(cs);
	}
	tics_free(xt, nruns);
	history_free(&hi);
	free(r.sub);
	strs_free(&benches);
	if (!r.nwritten) {
		fprintf(stderr, PROG ": %s: no tracked metric to draw\n", file);
		return 2;
	}
	return 0;
}

static int usage(FILE *f)
{
	fprintf(f, "Usage: " PROG " RESULTDIR|RESULTS.json OUTDIR\n"
		"       " PROG " --compare COMPARE.json OUTDIR NAME\n"
		"       " PROG " --history HISTORY.tsv OUTDIR\n"
		"The chart model of scripts/host/plot: what to plot, on which axes, log or linear,\n"
		"which series.  Each chart is written as OUTDIR/NAME.gp (a gnuplot script, its\n"
		"data inline) and NAME.gp.size (\"W H\"), each whole or not at all; scripts/host/plot\n"
		"runs gnuplot on them.  Input: a results file (schema %s), mmapbench-compare\n"
		"--json output (%s), mmapbench-track --history output.\n"
		"Exit 0 written, 1 OUTDIR unwritable, 2 usage or unusable input (named).\n",
		MB_SCHEMA_RESULTS, MB_SCHEMA_COMPARE);
	return f == stdout ? 0 : MB_USAGE_STATUS;
}

static int outdir_ok(const char *dir)
{
	struct stat sb;

	if (!stat(dir, &sb) && S_ISDIR(sb.st_mode))
		return 1;
	fprintf(stderr, PROG ": %s: not a directory\n", dir);
	return 0;
}

static int name_ok(const char *s)
{
	if (!*s || !strcmp(s, ".") || !strcmp(s, ".."))
		return 0;
	for (; *s; s++)
		if (!fname_char(*s))
			return 0;
	return 1;
}

int mb_cmd_plot(int argc, char **argv)
{
	char path[4096], err[1024];
	struct run r = { 0 };
	struct stat sb;
	json_t *root, *env, *cases, *jc;
	const char *clock, *accel;
	size_t i;
	int ok = 0;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
		return usage(stdout);
	if (argc == 2 && (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")))
		return mb_print_version(PROG);
	if (argc > 1 && !strcmp(argv[1], "--compare")) {
		if (argc != 5)
			return mb_usage_error(PROG, "--compare wants COMPARE.json OUTDIR NAME");
		if (!name_ok(argv[4]))
			return mb_usage_error(PROG, "NAME '%s' is not a file name", argv[4]);
		return outdir_ok(argv[3]) ? plot_compare(argv[2], argv[3], argv[4]) : 1;
	}
	if (argc > 1 && !strcmp(argv[1], "--history")) {
		if (argc != 4)
			return mb_usage_error(PROG, "--history wants HISTORY.tsv OUTDIR");
		return outdir_ok(argv[3]) ? plot_history(argv[2], argv[3]) : 1;
	}
	if (argc != 3 || argv[1][0] == '-' || argv[2][0] == '-')
		return mb_usage_error(PROG, "want RESULTDIR|RESULTS.json OUTDIR");
	if (!outdir_ok(argv[2]))
		return 1;
	if (!stat(argv[1], &sb) && S_ISDIR(sb.st_mode))
		snprintf(path, sizeof(path), "%s/results.json", argv[1]);
	else
		snprintf(path, sizeof(path), "%s", argv[1]);
	root = mb_results_load(path, err, sizeof(err));
	if (!root) {
		fprintf(stderr, PROG ": %s: %s\n", path, err);
		return 2;
	}
	cases = json_object_get(root, "cases");
	json_array_foreach(cases, i, jc) {
		const char *st = jstr(jc, "status");

		ok |= st && !strcmp(st, "ok");
	}
	if (!ok) {
		fprintf(stderr, PROG ": %s: no completed case to plot\n", path);
		json_decref(root);
		return 2;
	}
	env = json_object_get(root, "env");
	r.tu = jstr(env, "time_unit") ? jstr(env, "time_unit") : "ns";
	clock = jstr(env, "clock");
	accel = jstr(env, "accel");
	r.sub = fmt("%s · accel %s%s%s · counter %s",
		    jstr(env, "kernel_release") ? jstr(env, "kernel_release") : "null",
		    accel ? accel : "null",
		    clock && (!accel || strcmp(clock, accel)) ? " · clock " : "",
		    clock && (!accel || strcmp(clock, accel)) ? clock : "",
		    jstr(env, "counter") ? jstr(env, "counter") : "null");
	r.dir = argv[2];
	read_cases(&r, cases);
	run_charts(&r);
	for (i = 0; i < r.nc; i++) {
		for (size_t j = 0; j < r.c[i].nm; j++)
			free(r.c[i].m[j].q);
		free(r.c[i].m);
	}
	free(r.c);
	free(r.sub);
	json_decref(root);
	if (!r.nwritten) {
		fprintf(stderr, PROG ": %s: no chart to draw\n", path);
		return 2;
	}
	return 0;
}
