// SPDX-License-Identifier: GPL-2.0
/*
 * trustcmd.c - mmapbench-trust: how far to trust the numbers.
 *
 *	mmapbench-trust cv [--json] SET
 *	mmapbench-trust cost SET
 *	mmapbench-trust tally [--json] [--threshold F] [--cv SET] [--meta KEY=VALUE]...
 *	                      -l LABEL [-n NS] COMPARE.json... [-l LABEL [-n NS] ...]
 *
 * cv: per case and metric of a result set (cmp.h: a file, a directory of
 * results.json, a comma list; each file one run), the median of every run and the
 * spread of those medians: mean, stddev, CV (stddev as % of the mean), min, max.
 * For processes of one configuration (scripts/guest/aa) or boots (scripts/host/matrix).
 *
 * cost: per benchmark, the median op cost of its first timed metric (scripts/guest/aa -s
 * takes its injected percentages of it).
 *
 * tally: mmapbench-compare --json outputs (one per pair of result sets), grouped by
 * the -l LABEL before them: "aa" for A/A pairs, a number for pairs whose patched
 * side had that % of the op's cost injected (-n NS: the --inject-ns used).  Per label
 * and row (case, metric): pairs, pairs flagged (significant), flagged worse, flagged
 * better, the median %change and CI half-width, the injected ns as % of the base
 * median (mean over pairs).  Per label: pairs with any row flagged.  Per row over the
 * numeric labels: the minimum detectable effect (trust.h), from the levels (smallest
 * injected % flagged worse in >= F of pairs, F = 0.9) and from the spread.
 *
 * Exit 0, 2 on bad usage or input (the message names the file).
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "clock.h"
#include "cmp.h"
#include "json.h"
#include "stats.h"
#include "trust.h"
#include "schemas.h"

#define PROG	"mmapbench-trust"

static int usage(FILE *f)
{
	fputs("Usage: " PROG " cv [--json] SET\n"
	      "       " PROG " cost SET\n"
	      "       " PROG " tally [--json] [--threshold F] [--cv SET] [--meta KEY=VALUE]...\n"
	      "                       -l LABEL [-n NS] COMPARE.json... [-l LABEL [-n NS] ...]\n"
	      "\n"
	      "cv     per case and metric: the median of each run of SET, and the mean,\n"
	      "       stddev, CV (stddev as % of the mean), min and max of those medians\n"
	      "cost   per benchmark: the median op cost (ns) of its first timed metric,\n"
	      "       over cases and runs (\"BENCH NS\" lines, for --inject-ns BENCH=NS)\n"
	      "tally  mmapbench-compare --json outputs by label (\"aa\", or the injected %\n"
	      "       with -n the injected NS or BENCH=NS,...): pairs flagged per row and overall, and the\n"
	      "       minimum detectable effect (smallest injected % flagged worse in >= F\n"
	      "       of pairs, default 0.9; and 1.654 x the median CI half-width)\n"
	      "Exit 0, 2 on bad usage or input.\n", f);
	return f == stdout ? 0 : 2;
}

static int fail(const char *fmt, const char *a)
{
	fprintf(stderr, PROG ": ");
	fprintf(stderr, fmt, a);
	fputc('\n', stderr);
	return 2;
}

static void oom(void)
{
	fprintf(stderr, PROG ": out of memory\n");
	exit(1);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");

	if (!d)
		oom();
	return d;
}

/* ---- cv ---- */

struct cvrow {
	const struct cmp_case *c;
	const struct cmp_metric *m;
	struct mb_spread s;
	int bimodal;		/* the runs' medians fall in two groups (cmpstats.h) */
};

static size_t cv_rows(const struct cmp_set *set, struct cvrow **out)
{
	struct cvrow *v = NULL;
	size_t n = 0;

	for (size_t i = 0; i < set->ncases; i++) {
		const struct cmp_case *c = &set->cases[i];

		for (size_t k = 0; k < c->nmetrics; k++) {
			const struct cmp_metric *m = &c->m[k];
			double *med = xrealloc(NULL, m->nruns * sizeof(*med));
			struct cvrow r = { .c = c, .m = m };

			for (size_t j = 0; j < m->nruns; j++) {
				double *x = xrealloc(NULL, m->n[j] * sizeof(*x));

				memcpy(x, m->x[j], m->n[j] * sizeof(*x));
				mb_sort(x, m->n[j]);
				med[j] = mb_quantile(x, m->n[j], 0.5);
				free(x);
			}
			r.bimodal = mb_bimodal(med, m->nruns) == 1;
			if (!mb_spread(med, m->nruns, &r.s)) {
				v = xrealloc(v, (n + 1) * sizeof(*v));
				v[n++] = r;
			}
			free(med);
		}
	}
	*out = v;
	return n;
}

/*
 * Timed rows (ns or insn) by CV of the run medians: <= 0.5 %, (0.5, 2], > 2 %; bimodal;
 * and the same split for the cases of several threads (params "threads" > 1), whose
 * timings under icount carry the other vCPU's instructions too (docs/clocks.md).
 */
struct cv_bands {
	size_t le05, le2, gt2, bimodal;
	size_t thr, thr_le05, thr_gt2;	/* of them, cases with threads > 1 */
	const char *unit;	/* of the first timed row, "ns" if none */
};

/* The case's thread count: "threads":N in its key's params; 1 if absent. */
static long case_threads(const struct cmp_case *c)
{
	const char *p = strstr(c->key, "\"threads\":");

	return p ? strtol(p + strlen("\"threads\":"), NULL, 10) : 1;
}

static void cv_bands(const struct cvrow *v, size_t n, struct cv_bands *b)
{
	memset(b, 0, sizeof(*b));
	b->unit = "ns";
	for (size_t i = 0; i < n; i++) {
		if (!mb_unit_is_time(v[i].m->unit) || !isfinite(v[i].s.cv))
			continue;
		if (!b->le05 && !b->le2 && !b->gt2)
			b->unit = v[i].m->unit;
		if (v[i].s.cv <= 0.5)
			b->le05++;
		else if (v[i].s.cv <= 2)
			b->le2++;
		else
			b->gt2++;
		b->bimodal += v[i].bimodal;
		if (case_threads(v[i].c) > 1) {
			b->thr++;
			b->thr_le05 += v[i].s.cv <= 0.5;
			b->thr_gt2 += v[i].s.cv > 2;
		}
	}
}

/* Median CV over rows of timed metrics (unit ns or insn) with >= 2 runs; NaN if none. */
static double cv_summary(const struct cvrow *v, size_t n, size_t *used)
{
	double *x = xrealloc(NULL, n * sizeof(*x)), med = NAN;
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (mb_unit_is_time(v[i].m->unit) && isfinite(v[i].s.cv))
			x[k++] = v[i].s.cv;
	if (k) {
		mb_sort(x, k);
		med = mb_quantile(x, k, 0.5);
	}
	free(x);
	*used = k;
	return med;
}

static void cv_json(struct jw *j, const struct cmp_set *set, const struct cvrow *v, size_t n)
{
	size_t used;
	double med = cv_summary(v, n, &used);

	jw_begin_object(j);
	jw_kv_str(j, "schema", MB_SCHEMA_CV);
	jw_kv_str(j, "set", set->spec);
	jw_kv_int(j, "runs", (long long)set->nfiles);
	jw_kv_str(j, "what", "per case and metric: the median of each run's samples; mean, "
		  "sample stddev and cv_pct (stddev as % of the mean) of those medians");
	jw_kv_double(j, "median_cv_pct", med);
	jw_kv_int(j, "median_cv_of", (long long)used);
	jw_kv_str(j, "median_cv_what", "median of cv_pct over the rows with unit ns (or "
		  "insn: clock icount) and >= 2 runs");
	{
		struct cv_bands b;

		cv_bands(v, n, &b);
		jw_kv_int(j, "rows_cv_le_0_5", (long long)b.le05);
		jw_kv_int(j, "rows_cv_0_5_to_2", (long long)b.le2);
		jw_kv_int(j, "rows_cv_gt_2", (long long)b.gt2);
		jw_kv_int(j, "rows_bimodal", (long long)b.bimodal);
		jw_kv_int(j, "rows_threaded", (long long)b.thr);
		jw_kv_int(j, "rows_threaded_cv_le_0_5", (long long)b.thr_le05);
		jw_kv_int(j, "rows_threaded_cv_gt_2", (long long)b.thr_gt2);
	}
	jw_key(j, "rows");
	jw_begin_array(j);
	for (size_t i = 0; i < n; i++) {
		jw_begin_object(j);
		jw_kv_str(j, "case", v[i].c->label);
		jw_kv_str(j, "key", v[i].c->key);
		jw_kv_str(j, "metric", v[i].m->name);
		jw_kv_str(j, "unit", v[i].m->unit);
		jw_kv_int(j, "runs", (long long)v[i].s.n);
		jw_kv_double(j, "mean", v[i].s.mean);
		jw_kv_double(j, "stddev", v[i].s.stddev);
		jw_kv_double(j, "cv_pct", v[i].s.cv);
		jw_kv_double(j, "min", v[i].s.min);
		jw_kv_double(j, "max", v[i].s.max);
		jw_kv_bool(j, "bimodal", v[i].bimodal);
		jw_end_object(j);
	}
	jw_end_array(j);
	jw_end_object(j);
}

static void cv_text(FILE *f, const struct cmp_set *set, const struct cvrow *v, size_t n)
{
	size_t used;
	double med = cv_summary(v, n, &used);
	int wc = 4, wm = 6;

	fprintf(f, "Run-to-run spread of %s (%zu runs): the median of each run, then\n"
		"the mean, stddev and CV (stddev as %% of the mean) of those medians\n\n",
		set->spec, set->nfiles);
	for (size_t i = 0; i < n; i++) {
		if ((int)strlen(v[i].c->label) > wc)
			wc = (int)strlen(v[i].c->label);
		if ((int)strlen(v[i].m->name) > wm)
			wm = (int)strlen(v[i].m->name);
	}
	fprintf(f, "%-*s %-*s %4s %12s %7s %12s %12s\n", wc, "case", wm, "metric", "runs",
		"mean", "cv%", "min", "max");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%-*s %-*s %4zu %12.4g %7.2f %12.4g %12.4g%s\n", wc, v[i].c->label,
			wm, v[i].m->name, v[i].s.n, v[i].s.mean, v[i].s.cv, v[i].s.min,
			v[i].s.max, v[i].bimodal ? "  bimodal" : "");
	{
		struct cv_bands b;

		cv_bands(v, n, &b);
		fprintf(f, "\nmedian CV of the %zu timed (%s) rows: %.2f %%\n", used, b.unit,
			med);
		if (used && !strcmp(b.unit, "insn"))
			fprintf(f, "insn: instructions (icount)\n");
		if (used && set->nfiles >= 2)
			fprintf(f, "rows by CV: %zu <= 0.5 %% (%.1f %%), %zu in (0.5, 2] %%, "
				"%zu > 2 %%; %zu bimodal (runs' medians in two groups)\n",
				b.le05, 100.0 * (double)b.le05 / (double)used, b.le2, b.gt2,
				b.bimodal);
		if (used && set->nfiles >= 2 && b.thr)
			fprintf(f, "one thread: %zu of %zu rows <= 0.5 %% (%.1f %%), %zu > 2 %%; "
				"threads > 1: %zu of %zu <= 0.5 %% (%.1f %%), %zu > 2 %%\n",
				b.le05 - b.thr_le05, used - b.thr,
				used > b.thr ? 100.0 * (double)(b.le05 - b.thr_le05) /
					       (double)(used - b.thr) : 0.0,
				b.gt2 - b.thr_gt2, b.thr_le05, b.thr,
				100.0 * (double)b.thr_le05 / (double)b.thr, b.thr_gt2);
	}
}

static int cmd_cv(int argc, char **argv)
{
	struct cmp_set set;
	struct cvrow *v;
	char err[1024];
	int json = 0, rc = 0;
	const char *spec = NULL;
	size_t n;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return usage(stdout);
		else if (argv[i][0] == '-' && argv[i][1])
			return mb_usage_error(PROG, "cv: unknown option '%s'", argv[i]);
		else if (spec)
			return mb_usage_error(PROG,
					      "cv: one SET only (lists are comma-separated): '%s'",
					      argv[i]);
		else
			spec = argv[i];
	}
	if (!spec)
		return mb_usage_error(PROG, "%s", "cv: needs a SET");
	if (cmp_load(spec, &set, err, sizeof(err))) {
		cmp_set_free(&set);
		return fail("%s", err);
	}
	n = cv_rows(&set, &v);
	if (json) {
		struct jw j;

		jw_init(&j, stdout, 1);
		cv_json(&j, &set, v, n);
		fputc('\n', stdout);
		rc = jw_finish(&j) ? 2 : 0;
	} else {
		cv_text(stdout, &set, v, n);
	}
	if (fflush(stdout))
		rc = fail("%s", "cannot write the output");
	free(v);
	cmp_set_free(&set);
	return rc;
}

/*
 * cost: per benchmark, the op cost --inject-ns percentages are taken of: the median,
 * over its cases and runs, of each run's median of the case's first timed (ns)
 * metric.  One "BENCH NS" line each, for scripts.
 */
static int cmd_cost(int argc, char **argv)
{
	struct cmp_set set;
	char err[1024];
	char **done = NULL;
	size_t ndone = 0;

	if (argc != 2 || argv[1][0] == '-')
		return mb_usage_error(PROG, "%s", "cost: needs one SET");
	if (cmp_load(argv[1], &set, err, sizeof(err))) {
		cmp_set_free(&set);
		return fail("%s", err);
	}
	for (size_t i = 0; i < set.ncases; i++) {
		size_t bl = strcspn(set.cases[i].key, "\t");
		double *x = NULL;
		size_t n = 0;
		int seen = 0;

		for (size_t k = 0; k < ndone; k++)
			seen |= strlen(done[k]) == bl && !strncmp(done[k], set.cases[i].key, bl);
		if (seen)
			continue;
		done = xrealloc(done, (ndone + 1) * sizeof(*done));
		done[ndone] = xstrdup(set.cases[i].key);
		done[ndone++][bl] = 0;
		for (size_t c = i; c < set.ncases; c++) {
			const struct cmp_case *cs = &set.cases[c];

			if (strncmp(cs->key, set.cases[i].key, bl) || cs->key[bl] != '\t')
				continue;
			for (size_t k = 0; k < cs->nmetrics; k++) {
				const struct cmp_metric *m = &cs->m[k];

				if (!mb_unit_is_time(m->unit))
					continue;
				for (size_t j = 0; j < m->nruns; j++) {
					double *y = xrealloc(NULL, m->n[j] * sizeof(*y));

					memcpy(y, m->x[j], m->n[j] * sizeof(*y));
					mb_sort(y, m->n[j]);
					x = xrealloc(x, (n + 1) * sizeof(*x));
					x[n++] = mb_quantile(y, m->n[j], 0.5);
					free(y);
				}
				break;	/* the first timed metric only */
			}
		}
		if (n) {
			mb_sort(x, n);
			printf("%s %.1f\n", done[ndone - 1], mb_quantile(x, n, 0.5));
		}
		free(x);
	}
	for (size_t k = 0; k < ndone; k++)
		free(done[k]);
	free(done);
	cmp_set_free(&set);
	return fflush(stdout) ? fail("%s", "cannot write the output") : 0;
}

/* ---- tally ---- */

struct group {
	char *label;
	double level;		/* the label as a number (injected %), NaN for "aa" etc. */
	size_t files, any_flagged, any_worse, rows, rows_flagged;
	size_t timed, timed_flagged;	/* rows that can vary: a time or a rate (ns, insn, ops/s) */
	size_t by_boot;		/* comparisons decided by boot (clock icount) */
	size_t bimodal, bimodal_flagged;	/* rows compare marked bimodal, and of them flagged */
};

/*
 * A row that can vary between identical runs: a time (ns, or insn under icount) or a
 * rate, not a count.
 */
static int timed_unit(const char *unit)
{
	return mb_unit_is_time(unit) || (unit && !strcmp(unit, "ops/s"));
}

struct trow {
	size_t g;
	char *key, *label, *metric, *unit, *better;
	size_t pairs, flagged, worse, improved;
	size_t bimodal;		/* pairs in which compare marked the row bimodal */
	double *change, *half, *inj;	/* per pair */
};

struct tally {
	struct group *g;
	size_t ng;
	struct trow *r;
	size_t nr;
	json_t *env;	/* the first comparison's base side: where the runs came from */
};

static struct trow *trow_get(struct tally *t, size_t g, const char *key, const char *metric)
{
	for (size_t i = 0; i < t->nr; i++)
		if (t->r[i].g == g && !strcmp(t->r[i].key, key) && !strcmp(t->r[i].metric, metric))
			return &t->r[i];
	t->r = xrealloc(t->r, (t->nr + 1) * sizeof(*t->r));
	memset(&t->r[t->nr], 0, sizeof(t->r[0]));
	t->r[t->nr].g = g;
	t->r[t->nr].key = xstrdup(key);
	t->r[t->nr].metric = xstrdup(metric);
	return &t->r[t->nr++];
}

static const char *jstr(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static double jnum(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

static void push(double **v, size_t n, double x)
{
	*v = xrealloc(*v, (n + 1) * sizeof(**v));
	(*v)[n] = x;
}

/*
 * The ns injected into a row's benchmark: -n N (every benchmark) or -n BENCH=N,...
 * (the row key's first field is the benchmark); 0 when not named.
 */
static double inject_for(const char *spec, const char *key)
{
	size_t bl = strcspn(key, "\t");
	const char *p = spec;

	if (!spec)
		return 0;
	if (!strchr(spec, '='))
		return strtod(spec, NULL);
	while (*p) {
		size_t n = strcspn(p, "=");

		if (n == bl && !strncmp(p, key, bl))
			return strtod(p + n + 1, NULL);
		p += strcspn(p, ",");
		p += *p == ',';
	}
	return 0;
}

/* -n's value: N or BENCH=N,... with N >= 0 numbers; 0 if valid. */
static int inject_spec_ok(const char *spec)
{
	const char *p = spec;

	if (!*spec)
		return 0;
	do {
		const char *num = p, *end = p + strcspn(p, ",");
		char *e;
		const char *eq = memchr(p, '=', (size_t)(end - p));
		double v;

		if (eq) {
			if (eq == p)
				return 0;
			num = eq + 1;
		} else if (strchr(spec, ',')) {
			return 0;
		}
		errno = 0;
		v = strtod(num, &e);
		if (errno || e == num || e != end || !(v >= 0) || !isfinite(v))
			return 0;
		p = *end ? end + 1 : end;
	} while (*p);
	return 1;
}

/* One compare output into group g; 0 or 2 (message printed). */
static int tally_file(struct tally *t, size_t g, const char *ns_spec, const char *path)
{
	json_error_t je;
	json_t *root = json_load_file(path, 0, &je), *rows, *row;
	const char *schema;
	size_t i;
	int any = 0, anyw = 0;
	char msg[1200];

	if (!root) {
		snprintf(msg, sizeof(msg), "%s: %s", path, je.text);
		return fail("%s", msg);
	}
	schema = jstr(root, "schema");
	rows = json_object_get(root, "rows");
	if (!schema || strcmp(schema, MB_SCHEMA_COMPARE) || !json_is_array(rows)) {
		json_decref(root);
		return fail("%s: not a mmapbench-compare --json output", path);
	}
	json_array_foreach(rows, i, row) {
		const char *key = jstr(row, "key"), *metric = jstr(row, "metric");
		json_t *sig = json_object_get(row, "significant"), *base;
		int bimodal = json_is_true(json_object_get(row, "bimodal"));
		const char *verdict = jstr(row, "verdict");
		struct trow *r;
		double bm, ns;

		if (!key || !metric || !json_is_boolean(sig) || !verdict) {
			json_decref(root);
			return fail("%s: a row without key, metric, significant or verdict", path);
		}
		r = trow_get(t, g, key, metric);
		if (!r->label) {
			r->label = xstrdup(jstr(row, "case"));
			r->unit = xstrdup(jstr(row, "unit"));
			r->better = xstrdup(jstr(row, "better"));
		}
		base = json_object_get(row, "base");
		bm = json_is_object(base) ? jnum(base, "median") : NAN;
		push(&r->change, r->pairs, jnum(row, "change_pct"));
		push(&r->half, r->pairs, (jnum(row, "ci_hi") - jnum(row, "ci_lo")) / 2 * 100);
		ns = inject_for(ns_spec, key);
		push(&r->inj, r->pairs, mb_unit_is_time(r->unit) && bm > 0 ? ns / bm * 100 : NAN);
		r->pairs++;
		t->g[g].rows++;
		t->g[g].timed += timed_unit(r->unit);
		r->bimodal += bimodal;
		t->g[g].bimodal += bimodal;
		if (json_is_true(sig)) {
			r->flagged++;
			t->g[g].rows_flagged++;
			t->g[g].bimodal_flagged += bimodal;
			t->g[g].timed_flagged += timed_unit(r->unit);
			any = 1;
			if (!strcmp(verdict, "worse")) {
				r->worse++;
				anyw = 1;
			} else if (!strcmp(verdict, "better")) {
				r->improved++;
			}
		}
	}
	if (!t->env && json_is_object(json_object_get(root, "base")))
		t->env = json_deep_copy(json_object_get(root, "base"));
	t->g[g].files++;
	t->g[g].by_boot += json_is_true(json_object_get(json_object_get(root, "method"), "by_boot"));
	t->g[g].any_flagged += any;
	t->g[g].any_worse += anyw;
	json_decref(root);
	return 0;
}

/* median of the finite values of v[0..n-1]; NaN if none */
static double fmedian(const double *v, size_t n)
{
	double *x = xrealloc(NULL, n * sizeof(*x)), m = NAN;
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (isfinite(v[i]))
			x[k++] = v[i];
	if (k) {
		mb_sort(x, k);
		m = mb_quantile(x, k, 0.5);
	}
	free(x);
	return m;
}

static double fmean(const double *v, size_t n)
{
	double s = 0;
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (isfinite(v[i])) {
			s += v[i];
			k++;
		}
	return k ? s / (double)k : NAN;
}

struct mde {
	const struct trow *r;	/* the first row of this case and metric */
	double levels, spread;
};

/* Per distinct (key, metric) over the groups with a numeric level. */
static size_t mdes(const struct tally *t, double thr, struct mde **out)
{
	struct mde *v = NULL;
	size_t n = 0;

	for (size_t i = 0; i < t->nr; i++) {
		const struct trow *a = &t->r[i];
		double lv[64], rt[64], hw[64];
		size_t k = 0;
		int seen = 0;

		if (isnan(t->g[a->g].level) || !mb_unit_is_time(a->unit))
			continue;
		for (size_t j = 0; j < n; j++)
			seen |= !strcmp(v[j].r->key, a->key) && !strcmp(v[j].r->metric, a->metric);
		if (seen)
			continue;
		for (size_t j = i; j < t->nr && k < 64; j++) {
			const struct trow *b = &t->r[j];

			if (isnan(t->g[b->g].level) || strcmp(b->key, a->key) ||
			    strcmp(b->metric, a->metric))
				continue;
			/* the injected % this row saw (secondary metrics see more) */
			lv[k] = fmean(b->inj, b->pairs);
			if (isnan(lv[k]))
				lv[k] = t->g[b->g].level;
			rt[k] = mb_rate(b->worse, b->pairs);
			hw[k] = fmedian(b->half, b->pairs);
			k++;
		}
		v = xrealloc(v, (n + 1) * sizeof(*v));
		v[n].r = a;
		v[n].levels = mb_mde_levels(lv, rt, k, thr);
		v[n].spread = mb_mde_spread(fmedian(hw, k));
		n++;
	}
	*out = v;
	return n;
}

/* "env": where the comparisons' runs came from (the first one's base side). */
static void env_json(struct jw *j, json_t *base)
{
	static const char *const keys[] = { "kernel_release", "accel", "counter", "cpu_model",
					    "tool_version" };
	json_t *a, *v;
	size_t i;

	jw_key(j, "env");
	jw_begin_object(j);
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		a = json_object_get(base, keys[k]);
		if (!json_is_array(a))
			continue;
		jw_key(j, keys[k]);
		jw_begin_array(j);
		json_array_foreach(a, i, v)
			jw_string(j, json_is_string(v) ? json_string_value(v) : NULL);
		jw_end_array(j);
	}
	jw_end_object(j);
}

/* tally --json's "method": what each field counts, and the threshold. */
static void tally_json_method(struct jw *j, double thr)
{
	jw_key(j, "method");
	jw_begin_object(j);
	jw_kv_str(j, "flagged", "mmapbench-compare marked the row significant (either "
		  "direction); worse: significant and worse per the metric's better");
	jw_kv_str(j, "by_boot", "comparisons compare decided by boot (both sides clock "
		  "icount): exact Mann-Whitney U on the boots' medians, p < 0.01, |change| >= "
		  "0.1 %, CI excluding 1");
	jw_kv_str(j, "bimodal", "rows compare marked bimodal (a side's boot medians in two "
		  "groups), and how many of those were flagged");
	jw_kv_str(j, "rate", "flagged (or worse) pairs / pairs");
	jw_kv_str(j, "timed_rows", "rows that can vary between identical runs (unit ns, "
		  "insn or ops/s; counts such as vmas, merge-rate, minflt cannot): the A/A rate's "
		  "denominator");
	jw_kv_str(j, "inject_pct", "injected ns / base median x 100, mean over pairs "
		  "(unit ns rows); secondary metrics of a case see a larger %");
	jw_kv_str(j, "mde_levels", "smallest inject_pct whose detect rate (worse) >= "
		  "threshold; null when no level reaches it");
	jw_kv_str(j, "mde_spread", "(1 + z.90 / z.975) x median CI half-width (% of "
		  "the ratio): the effect flagged in 90 % of pairs given the observed spread");
	jw_kv_double(j, "threshold", thr);
	jw_end_object(j);
}

/* tally --json's "groups": one object per label (a level, or A/A). */
static void tally_json_groups(struct jw *j, const struct tally *t)
{
	jw_key(j, "groups");
	jw_begin_array(j);
	for (size_t i = 0; i < t->ng; i++) {
		const struct group *g = &t->g[i];

		jw_begin_object(j);
		jw_kv_str(j, "label", g->label);
		jw_kv_double(j, "level_pct", g->level);
		jw_kv_int(j, "pairs", (long long)g->files);
		jw_kv_int(j, "pairs_flagged", (long long)g->any_flagged);
		jw_kv_double(j, "pairs_flagged_rate", mb_rate(g->any_flagged, g->files));
		jw_kv_int(j, "pairs_worse", (long long)g->any_worse);
		jw_kv_double(j, "pairs_worse_rate", mb_rate(g->any_worse, g->files));
		jw_kv_int(j, "rows", (long long)g->rows);
		jw_kv_int(j, "rows_flagged", (long long)g->rows_flagged);
		jw_kv_double(j, "rows_flagged_rate", mb_rate(g->rows_flagged, g->rows));
		jw_kv_int(j, "timed_rows", (long long)g->timed);
		jw_kv_int(j, "timed_rows_flagged", (long long)g->timed_flagged);
		jw_kv_double(j, "timed_rows_flagged_rate", mb_rate(g->timed_flagged, g->timed));
		jw_kv_int(j, "by_boot_pairs", (long long)g->by_boot);
		jw_kv_int(j, "bimodal_rows", (long long)g->bimodal);
		jw_kv_int(j, "bimodal_rows_flagged", (long long)g->bimodal_flagged);
		jw_end_object(j);
	}
	jw_end_array(j);
}

/* tally --json's "rows": one object per label, case and metric. */
static void tally_json_rows(struct jw *j, const struct tally *t)
{
	jw_key(j, "rows");
	jw_begin_array(j);
	for (size_t i = 0; i < t->nr; i++) {
		const struct trow *r = &t->r[i];

		jw_begin_object(j);
		jw_kv_str(j, "label", t->g[r->g].label);
		jw_kv_str(j, "case", r->label);
		jw_kv_str(j, "key", r->key);
		jw_kv_str(j, "metric", r->metric);
		jw_kv_str(j, "unit", r->unit);
		jw_kv_str(j, "better", r->better);
		jw_kv_int(j, "pairs", (long long)r->pairs);
		jw_kv_int(j, "flagged", (long long)r->flagged);
		jw_kv_int(j, "worse", (long long)r->worse);
		jw_kv_int(j, "better_flagged", (long long)r->improved);
		jw_kv_int(j, "bimodal", (long long)r->bimodal);
		jw_kv_double(j, "flag_rate", mb_rate(r->flagged, r->pairs));
		jw_kv_double(j, "detect_rate", mb_rate(r->worse, r->pairs));
		jw_kv_double(j, "median_change_pct", fmedian(r->change, r->pairs));
		jw_kv_double(j, "median_ci_halfwidth_pct", fmedian(r->half, r->pairs));
		jw_kv_double(j, "inject_pct", fmean(r->inj, r->pairs));
		jw_end_object(j);
	}
	jw_end_array(j);
}

/* tally --json's "mde": each row's minimum detectable effect, by levels and by spread. */
static void tally_json_mde(struct jw *j, const struct mde *m, size_t nm)
{
	jw_key(j, "mde");
	jw_begin_array(j);
	for (size_t i = 0; i < nm; i++) {
		jw_begin_object(j);
		jw_kv_str(j, "case", m[i].r->label);
		jw_kv_str(j, "metric", m[i].r->metric);
		jw_kv_double(j, "mde_levels_pct", m[i].levels);
		jw_kv_double(j, "mde_spread_pct", m[i].spread);
		jw_end_object(j);
	}
	jw_end_array(j);
}

static void tally_json(struct jw *j, const struct tally *t, double thr, char **meta,
		       size_t nmeta, const struct cmp_set *cvset)
{
	struct mde *m;
	size_t nm = mdes(t, thr, &m);

	jw_begin_object(j);
	jw_kv_str(j, "schema", MB_SCHEMA_TRUST);
	jw_key(j, "meta");
	jw_begin_object(j);
	for (size_t i = 0; i < nmeta; i++) {
		char *eq = strchr(meta[i], '=');

		*eq = 0;
		jw_kv_str(j, meta[i], eq + 1);
		*eq = '=';
	}
	jw_end_object(j);
	if (t->env)
		env_json(j, t->env);
	tally_json_method(j, thr);
	tally_json_groups(j, t);
	tally_json_rows(j, t);
	tally_json_mde(j, m, nm);
	if (cvset) {
		struct cvrow *v;
		size_t n = cv_rows(cvset, &v);

		jw_key(j, "cv");
		cv_json(j, cvset, v, n);
		free(v);
	}
	jw_end_object(j);
	free(m);
}

static void pct(char *buf, size_t len, double v)
{
	if (isfinite(v))
		snprintf(buf, len, "%.1f", v);
	else
		snprintf(buf, len, "-");
}

static void tally_text(FILE *f, const struct tally *t, double thr, const struct cmp_set *cvset)
{
	struct mde *m;
	size_t nm = mdes(t, thr, &m);
	char a[32], b[32], c[32], d[32];
	size_t files = 0, by_boot = 0;
	int wc, wm;

	for (size_t i = 0; i < t->ng; i++) {
		files += t->g[i].files;
		by_boot += t->g[i].by_boot;
	}
	if (by_boot == files)
		fprintf(f, "Pairs in which mmapbench-compare flagged a row (clock icount, by boot: "
			"exact\nMann-Whitney U on the boots' medians p < 0.01, |change| >= 0.1 %% "
			"and the CI\nexcludes 1); worse: flagged and worse; timings in "
			"instructions (icount)\n\n");
	else
		fprintf(f, "Pairs in which mmapbench-compare flagged a row (significant: p < 0.05 "
			"and\nthe bootstrap 95 %% CI of the ratio excludes 1%s); worse: flagged and "
			"worse\n\n", by_boot ? "; by boot where both sides are icount" : "");
	fprintf(f, "%-6s %5s %8s %7s %7s %7s\n", "label", "pairs", "flagged", "rate%",
		"worse", "rate%");
	for (size_t i = 0; i < t->ng; i++) {
		const struct group *g = &t->g[i];

		pct(a, sizeof(a), 100 * mb_rate(g->any_flagged, g->files));
		pct(b, sizeof(b), 100 * mb_rate(g->any_worse, g->files));
		fprintf(f, "%-6s %5zu %8zu %7s %7zu %7s   (rows: %zu of %zu flagged; timed: %zu of %zu",
			g->label, g->files, g->any_flagged, a, g->any_worse, b,
			g->rows_flagged, g->rows, g->timed_flagged, g->timed);
		if (g->bimodal)
			fprintf(f, "; bimodal: %zu of %zu", g->bimodal_flagged, g->bimodal);
		fputs(")\n", f);
	}
	wc = 4;
	wm = 6;
	for (size_t i = 0; i < t->nr; i++) {
		if ((int)strlen(t->r[i].label) > wc)
			wc = (int)strlen(t->r[i].label);
		if ((int)strlen(t->r[i].metric) > wm)
			wm = (int)strlen(t->r[i].metric);
	}
	fprintf(f, "\n%-6s %-*s %-*s %5s %4s %6s %4s %6s %6s %6s %6s\n", "label", wc, "case",
		wm, "metric", "pairs", "flag", "rate%", "wrs", "rate%", "inj%", "chg%", "ci+-%");
	for (size_t i = 0; i < t->nr; i++) {
		const struct trow *r = &t->r[i];

		pct(a, sizeof(a), 100 * mb_rate(r->flagged, r->pairs));
		pct(b, sizeof(b), 100 * mb_rate(r->worse, r->pairs));
		pct(c, sizeof(c), fmean(r->inj, r->pairs));
		pct(d, sizeof(d), fmedian(r->change, r->pairs));
		fprintf(f, "%-6s %-*s %-*s %5zu %4zu %6s %4zu %6s %6s %6s", t->g[r->g].label,
			wc, r->label, wm, r->metric, r->pairs, r->flagged, a, r->worse, b, c, d);
		pct(a, sizeof(a), fmedian(r->half, r->pairs));
		fprintf(f, " %6s\n", a);
	}
	if (nm) {
		fprintf(f, "\nMinimum detectable effect: the smallest injected %% flagged worse "
			"in >= %.0f %%\nof pairs (levels), and 1.654 x the median CI half-width "
			"(spread)\n\n", thr * 100);
		fprintf(f, "%-*s %-*s %8s %8s\n", wc, "case", wm, "metric", "levels%",
			"spread%");
		for (size_t i = 0; i < nm; i++) {
			pct(a, sizeof(a), m[i].levels);
			pct(b, sizeof(b), m[i].spread);
			fprintf(f, "%-*s %-*s %8s %8s\n", wc, m[i].r->label, wm, m[i].r->metric,
				a, b);
		}
	}
	free(m);
	if (cvset) {
		struct cvrow *v;
		size_t n = cv_rows(cvset, &v);

		fputc('\n', f);
		cv_text(f, cvset, v, n);
		free(v);
	}
}

static int parse_num(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return errno || end == s || *end || !isfinite(*v);
}

/* A new group, -l LABEL (its level: LABEL as a number, else NaN); its index. */
static size_t tally_label(struct tally *t, const char *label)
{
	double v;

	t->g = xrealloc(t->g, (t->ng + 1) * sizeof(*t->g));
	memset(&t->g[t->ng], 0, sizeof(t->g[0]));
	t->g[t->ng].label = xstrdup(label);
	t->g[t->ng].level = parse_num(label, &v) ? NAN : v;
	return t->ng++;
}

/* The tally on stdout, text or JSON; the exit status. */
static int tally_write(const struct tally *t, int json, double thr, char **meta, size_t nmeta,
		       const struct cmp_set *cvset)
{
	int rc = 0;

	if (json) {
		struct jw j;

		jw_init(&j, stdout, 1);
		tally_json(&j, t, thr, meta, nmeta, cvset);
		fputc('\n', stdout);
		rc = jw_finish(&j) ? 2 : 0;
	} else {
		tally_text(stdout, t, thr, cvset);
	}
	if (fflush(stdout))
		rc = fail("%s", "cannot write the output");
	return rc;
}

static void tally_free(struct tally *t)
{
	for (size_t i = 0; i < t->nr; i++) {
		free(t->r[i].key);
		free(t->r[i].label);
		free(t->r[i].metric);
		free(t->r[i].unit);
		free(t->r[i].better);
		free(t->r[i].change);
		free(t->r[i].half);
		free(t->r[i].inj);
	}
	for (size_t i = 0; i < t->ng; i++)
		free(t->g[i].label);
	free(t->r);
	free(t->g);
}

/* long: one hand-rolled parse of grouped arguments, -l LABEL [-n NS] FILE...,
 * which getopt cannot give; each step after it is a function. */
static int cmd_tally(int argc, char **argv)
{
	struct tally t = { 0 };
	struct cmp_set cvset;
	char **meta = NULL, err[1024];
	size_t nmeta = 0;
	const char *cvspec = NULL, *ns = NULL;
	double thr = 0.9;
	int json = 0, rc = 0, have_cv = 0;
	long g = -1;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int more = i + 1 < argc;

		if (!strcmp(a, "--json")) {
			json = 1;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			return usage(stdout);
		} else if (!strcmp(a, "--threshold") && more) {
			if (parse_num(argv[++i], &thr) || thr <= 0 || thr > 1)
				return mb_usage_error(PROG,
						      "tally: --threshold '%s' is not in (0, 1]",
						      argv[i]);
		} else if (!strcmp(a, "--cv") && more) {
			cvspec = argv[++i];
		} else if (!strcmp(a, "--meta") && more) {
			if (!strchr(argv[++i], '=') || argv[i][0] == '=')
				return mb_usage_error(PROG, "tally: --meta '%s' is not KEY=VALUE",
						      argv[i]);
			meta = xrealloc(meta, (nmeta + 1) * sizeof(*meta));
			meta[nmeta++] = argv[i];
		} else if (!strcmp(a, "-l") && more) {
			a = argv[++i];
			if (!*a)
				return mb_usage_error(PROG, "%s", "tally: -l needs a label");
			g = (long)tally_label(&t, a);
			ns = NULL;
		} else if (!strcmp(a, "-n") && more) {
			ns = argv[++i];
			if (!inject_spec_ok(ns))
				return mb_usage_error(PROG,
						      "tally: -n '%s' is not NS or BENCH=NS,...",
						      ns);
		} else if (a[0] == '-' && a[1]) {
			return mb_usage_error(PROG, "tally: unknown option or missing value '%s'",
					      a);
		} else {
			if (g < 0)
				return mb_usage_error(PROG,
						      "tally: '%s' comes before any -l LABEL", a);
			rc = tally_file(&t, (size_t)g, ns, a);
			if (rc)
				goto out;
		}
	}
	if (!t.ng || !t.nr) {
		rc = mb_usage_error(PROG, "%s", "tally: no comparisons (-l LABEL FILE...)");
		goto out;
	}
	for (size_t i = 0; i < t.ng; i++)
		if (!t.g[i].files) {
			rc = mb_usage_error(PROG, "tally: label '%s' has no files", t.g[i].label);
			goto out;
		}
	if (cvspec) {
		if (cmp_load(cvspec, &cvset, err, sizeof(err))) {
			cmp_set_free(&cvset);
			rc = fail("%s", err);
			goto out;
		}
		have_cv = 1;
	}
	rc = tally_write(&t, json, thr, meta, nmeta, have_cv ? &cvset : NULL);
	if (have_cv)
		cmp_set_free(&cvset);
out:
	tally_free(&t);
	free(meta);
	return rc;
}

int mb_cmd_trust(int argc, char **argv)
{
	if (argc < 2)
		return mb_usage_error(PROG, "%s", "needs a command (cv, cost or tally)");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return usage(stdout);
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		return mb_print_version(PROG);
	}
	if (!strcmp(argv[1], "cv"))
		return cmd_cv(argc - 1, argv + 1);
	if (!strcmp(argv[1], "tally"))
		return cmd_tally(argc - 1, argv + 1);
	if (!strcmp(argv[1], "cost"))
		return cmd_cost(argc - 1, argv + 1);
	return mb_usage_error(PROG, "unknown command '%s' (cv, tally or cost)", argv[1]);
}
