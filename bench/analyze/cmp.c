// SPDX-License-Identifier: GPL-2.0
/*
 * cmp.c - load result sets (jansson), pair their cases, print the comparison.
 * Definitions are in cmp.h; the statistics in cmpstats.c and stats.c.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "clock.h"
#include "cmp.h"
#include "json.h"
#include "parse.h"	/* mb_fmt_size */
#include "results.h"
#include "stats.h"
#include "schemas.h"

#define TEXT_WIDTH	72

/* ---- memory: running out is reported and ends the program (exit 2) ---- */

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fputs("mmapbench-compare: out of memory\n", stderr);
		exit(2);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xrealloc(NULL, n), s, n);
}

static void strs_add(struct cmp_strs *s, const char *v)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], v))
			return;
	s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
	s->v[s->n++] = xstrdup(v);
}

static void strs_free(struct cmp_strs *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

void cmp_strs_join(const struct cmp_strs *s, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = 0;
	for (size_t i = 0; i < s->n && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : "", s->v[i]);
	if (!s->n)
		snprintf(buf, len, "?");
	if (n >= len && len > 4)
		memcpy(buf + len - 4, "...", 4);
}

/* ---- loading ---- */

struct loader {
	struct cmp_set *s;
	char *err;
	size_t errlen;
	uint64_t (*ids)[2];	/* (st_dev, st_ino) of s->files[] */
	const char *version;	/* the file being read: tool.version, or "?" */
};

static int __attribute__((format(printf, 3, 4)))
fail(struct loader *l, const char *path, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(l->err, l->errlen, "%s: ", path);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < l->errlen)
		vsnprintf(l->err + n, l->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *str_or(json_t *o, const char *key, const char *dflt)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : dflt;
}

/* The label's short forms follow mmapbench's own summary table. */
static void case_label(char *buf, size_t len, const char *bench, const char *target,
		       const char *profile, json_t *params)
{
	static const char *const known[] = { "size", "flags", "populate", "count",
					     "threads", NULL };
	size_t n = (size_t)snprintf(buf, len, "%s %s%s%s", bench, target,
				    profile ? ":" : "", profile ? profile : "");
	json_t *v;
	const char *k;
	char tmp[64];

#define ADD(...) do { if (n < len) n += (size_t)snprintf(buf + n, len - n, __VA_ARGS__); } while (0)
	v = json_object_get(params, "size");
	if (json_is_integer(v) && json_integer_value(v) > 0) {
		mb_fmt_size(tmp, sizeof(tmp), (uint64_t)json_integer_value(v));
		ADD(" %s", tmp);
	}
	v = json_object_get(params, "flags");
	if (json_is_string(v))
		ADD(" %s", !strcmp(json_string_value(v), "shared") ? "shr" :
			   !strcmp(json_string_value(v), "private") ? "prv" :
			   json_string_value(v));
	if (json_is_true(json_object_get(params, "populate")))
		ADD(" pop");
	v = json_object_get(params, "count");
	if (json_is_integer(v))
		ADD(" n=%" JSON_INTEGER_FORMAT, json_integer_value(v));
	v = json_object_get(params, "threads");
	if (json_is_integer(v))
		ADD(" t%" JSON_INTEGER_FORMAT, json_integer_value(v));
	json_object_foreach(params, k, v) {
		int skip = 0;

		for (int i = 0; known[i]; i++)
			skip |= !strcmp(k, known[i]);
		if (skip)
			continue;
		if (json_is_integer(v) && !strcmp(k, "span")) {
			mb_fmt_size(tmp, sizeof(tmp), (uint64_t)json_integer_value(v));
			ADD(" span=%s", tmp);
		} else if (json_is_string(v)) {
			ADD(" %s=%s", k, json_string_value(v));
		} else {
			char *d = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

			ADD(" %s=%s", k, d ? d : "?");
			free(d);
		}
	}
#undef ADD
}

static struct cmp_case *find_case(struct cmp_set *s, const char *key)
{
	for (size_t i = 0; i < s->ncases; i++)
		if (!strcmp(s->cases[i].key, key))
			return &s->cases[i];
	return NULL;
}

static struct cmp_metric *find_metric(const struct cmp_case *c, const char *name)
{
	for (size_t i = 0; i < c->nmetrics; i++)
		if (!strcmp(c->m[i].name, name))
			return &c->m[i];
	return NULL;
}

const char *cmp_stat_name(enum cmp_stat st)
{
	switch (st) {
	case CMP_ST_PER_OP:
		return "per_op";
	case CMP_ST_FAST:
		return "fast";
	case CMP_ST_RECORDED:
		return "as_recorded";
	default:
		return "value";
	}
}

static void __attribute__((format(printf, 3, 4)))
note(struct loader *l, const char *path, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n = snprintf(line, sizeof(line), "%s: ", path);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < sizeof(line))
		vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	strs_add(&l->s->notes, line);
}

/* x[0..n-1] (taken over) as run's samples of c's metric name, made if new. */
static void add_run(struct loader *l, const char *path, struct cmp_case *c,
		    const char *name, const char *unit, int better, enum cmp_stat stat,
		    double *x, size_t n, size_t run)
{
	struct cmp_metric *m = find_metric(c, name);

	if (!m) {
		c->m = xrealloc(c->m, (c->nmetrics + 1) * sizeof(*c->m));
		m = &c->m[c->nmetrics++];
		memset(m, 0, sizeof(*m));
		m->name = xstrdup(name);
		m->unit = xstrdup(unit);
		m->better = better;
		m->stat = stat;
	} else if (m->stat != stat) {
		note(l, path, "%s: %s: its samples are %s, an earlier run's %s: pooled as "
		     "they are", c->label, name, cmp_stat_name(stat), cmp_stat_name(m->stat));
	}
	/* the same case twice in one file: still one run */
	if (m->nruns && m->last_file == run) {
		size_t r = m->nruns - 1;

		m->x[r] = xrealloc(m->x[r], (m->n[r] + n) * sizeof(double));
		memcpy(m->x[r] + m->n[r], x, n * sizeof(*x));
		m->n[r] += n;
		free(x);
		return;
	}
	m->x = xrealloc(m->x, (m->nruns + 1) * sizeof(*m->x));
	m->n = xrealloc(m->n, (m->nruns + 1) * sizeof(*m->n));
	m->x[m->nruns] = x;
	m->n[m->nruns] = n;
	m->nruns++;
	m->last_file = run;
}

/*
 * A metric timed singly: its per-op headline (each sample's mean, K = the case's
 * batch single timings in a row, as the harness groups them) under its own name,
 * and the single timings under NAME-fast.  Without whole samples of K, the fast
 * path only, and a note.
 */
static void add_each(struct loader *l, const char *path, struct cmp_case *c,
		     const char *name, const char *unit, int better, double *x, size_t n,
		     long batch, size_t run)
{
	char fast[256];

	snprintf(fast, sizeof(fast), "%s" CMP_FAST_SUFFIX, name);
	if (batch > 0 && n % (size_t)batch == 0) {
		size_t k = (size_t)batch, g = n / k;
		double *gm = xrealloc(NULL, g * sizeof(*gm));

		for (size_t i = 0; i < g; i++) {
			double sum = 0;

			for (size_t j = 0; j < k; j++)
				sum += x[i * k + j];
			gm[i] = sum / (double)k;
		}
		add_run(l, path, c, name, unit, better, CMP_ST_PER_OP, gm, g, run);
	} else {
		note(l, path, "%s: %s: %zu single timings are not whole samples of the "
		     "case's batch (%ld): no per-op headline, its fast path only (%s)",
		     c->label, name, n, batch, fast);
	}
	add_run(l, path, c, fast, unit, better, CMP_ST_FAST, x, n, run);
}

static int load_metric(struct loader *l, const char *path, size_t ci, size_t mi,
		       json_t *jm, struct cmp_case *c, size_t run, long batch)
{
	json_t *samples = json_object_get(jm, "samples"), *v;
	const char *name = str_or(jm, "name", NULL);
	const char *better = str_or(jm, "better", "none");
	const char *timing = str_or(jm, "timing", NULL);
	int dir = !strcmp(better, "lower") ? -1 : !strcmp(better, "higher") ? 1 : 0;
	double *x;
	size_t i, n;

	if (!json_is_object(jm) || !name)
		return fail(l, path, "cases[%zu].metrics[%zu]: no name", ci, mi);
	if (!json_is_array(samples))
		return fail(l, path, "cases[%zu].metrics[%zu] (%s): no samples array", ci, mi,
			    name);
	n = json_array_size(samples);
	if (!n)
		return 0;	/* nothing to compare; not an error */
	x = xrealloc(NULL, n * sizeof(*x));
	json_array_foreach(samples, i, v) {
		if (!json_is_number(v) || !isfinite(json_number_value(v))) {
			free(x);
			return fail(l, path,
				    "cases[%zu].metrics[%zu] (%s): samples[%zu] is not a number",
				    ci, mi, name, i);
		}
		x[i] = json_number_value(v);
		/* times, counts, rates, ratios: a negative one is a broken file */
		if (x[i] < 0) {
			free(x);
			return fail(l, path, "cases[%zu].metrics[%zu] (%s): samples[%zu] is negative (%g)",
				    ci, mi, name, i, json_number_value(v));
		}
	}
	if (!timing) {
		note(l, path, "no metrics[].timing (an older result): samples taken as "
		     "recorded; a fault's are single timings, its median the fast path");
		add_run(l, path, c, name, str_or(jm, "unit", ""), dir, CMP_ST_RECORDED, x, n,
			run);
		return 0;
	}
	if (strcmp(timing, "reported") && !json_is_string(json_object_get(jm, "headline")))
		note(l, path, "no metrics[].headline (tool %s, older than the per-op "
		     "headline): its timings' headline computed from the samples as the "
		     "harness computes it now", l->version);
	if (!strcmp(timing, "each"))
		add_each(l, path, c, name, str_or(jm, "unit", ""), dir, x, n, batch, run);
	else
		add_run(l, path, c, name, str_or(jm, "unit", ""), dir,
			!strcmp(timing, "batch") ? CMP_ST_PER_OP : CMP_ST_VALUE, x, n, run);
	return 0;
}

static int load_case(struct loader *l, const char *path, size_t ci, json_t *jc,
		     size_t run)
{
	struct cmp_set *s = l->s;
	const char *bench = str_or(jc, "bench", NULL), *target = str_or(jc, "target", NULL);
	const char *status = str_or(jc, "status", NULL);
	json_t *profile = json_object_get(jc, "profile");
	json_t *params = json_object_get(jc, "params"), *metrics, *jm;
	char *pj, *key, label[256];
	struct cmp_case *c;
	size_t keylen, mi;
	long batch;

	if (!json_is_object(jc))
		return fail(l, path, "cases[%zu] is not an object", ci);
	if (!bench || !target)
		return fail(l, path, "cases[%zu]: no bench or target", ci);
	if (!status)
		return fail(l, path, "cases[%zu] (%s %s): no status", ci, bench, target);
	if (profile && !json_is_null(profile) && !json_is_string(profile))
		return fail(l, path, "cases[%zu] (%s %s): profile is not a string", ci, bench,
			    target);
	if (params && !json_is_object(params))
		return fail(l, path, "cases[%zu] (%s %s): params is not an object", ci, bench,
			    target);
	if (!params)
		params = json_object();
	else
		json_incref(params);
	pj = json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS);
	keylen = strlen(bench) + strlen(target) + (pj ? strlen(pj) : 0) + 64 +
		 (json_is_string(profile) ? strlen(json_string_value(profile)) : 0);
	key = xrealloc(NULL, keylen);
	snprintf(key, keylen, "%s\t%s\t%s\t%s", bench, target,
		 json_is_string(profile) ? json_string_value(profile) : "-", pj ? pj : "{}");
	free(pj);

	c = find_case(s, key);
	if (!c) {
		case_label(label, sizeof(label), bench, target,
			   json_is_string(profile) ? json_string_value(profile) : NULL, params);
		s->cases = xrealloc(s->cases, (s->ncases + 1) * sizeof(*s->cases));
		c = &s->cases[s->ncases++];
		memset(c, 0, sizeof(*c));
		c->key = key;
		c->label = xstrdup(label);
		jm = json_object_get(params, "threads");
		c->threads = json_is_integer(jm) ? (long)json_integer_value(jm) : 1;
	} else {
		free(key);
	}
	json_decref(params);

	if (strcmp(status, "ok")) {
		if (!c->status) {
			c->status = xstrdup(status);
			c->reason = xstrdup(str_or(jc, "reason", "no reason given"));
		}
		c->nnot++;
		return 0;
	}
	c->nok++;
	metrics = json_object_get(jc, "metrics");
	if (!json_is_array(metrics))
		return fail(l, path, "cases[%zu] (%s): no metrics array", ci, c->label);
	jm = json_object_get(jc, "batch");
	batch = json_is_integer(jm) ? (long)json_integer_value(jm) : 0;
	json_array_foreach(metrics, mi, jm)
		if (load_metric(l, path, ci, mi, jm, c, run, batch))
			return -1;
	return 0;
}

static int load_file(struct loader *l, const char *path, size_t run)
{
	struct cmp_set *s = l->s;
	json_t *root, *cases, *env, *jc;
	char why[512];
	size_t ci;
	int err = 0;

	root = mb_results_load(path, why, sizeof(why));
	if (!root)
		return fail(l, path, "%s", why);
	cases = json_object_get(root, "cases");
	if (!json_array_size(cases)) {
		err = fail(l, path, "no cases (an empty run)");
		goto out;
	}
	env = json_object_get(root, "env");
	if (!json_is_object(env)) {
		err = fail(l, path, "no env object");
		goto out;
	}
	strs_add(&s->kernel, str_or(env, "kernel_release", "?"));
	strs_add(&s->accel, str_or(env, "accel", "?"));
	{
		const char *c = mb_clock_of_env(str_or(env, "clock", NULL),
						str_or(env, "accel", NULL));

		strs_add(&s->clock, c ? c : "?");
	}
	strs_add(&s->counter, str_or(env, "counter", "?"));
	{
		/* the address layout: the same in every process only with ASLR off */
		json_t *va = json_object_get(env, "randomize_va_space");

		strs_add(&s->aslr, !json_is_integer(va) ? "?" :
			 json_integer_value(va) ? "on" : "off");
	}
	strs_add(&s->cpu, str_or(env, "cpu_model", "?"));
	strs_add(&s->date, str_or(env, "date", "?"));
	l->version = str_or(json_object_get(root, "tool"), "version", "?");
	strs_add(&s->version, l->version);
	json_array_foreach(cases, ci, jc) {
		err = load_case(l, path, ci, jc, run);
		if (err)
			break;
	}
out:
	json_decref(root);
	l->version = "?";	/* it pointed into root */
	return err;
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Named twice, or through a symlink: one run.  l->ids[] holds (st_dev, st_ino). */
static void add_file(struct loader *l, const char *path)
{
	struct cmp_set *s = l->s;
	struct stat st;

	if (!stat(path, &st)) {
		for (size_t i = 0; i < s->nfiles; i++)
			if (l->ids[i][0] == (uint64_t)st.st_dev &&
			    l->ids[i][1] == (uint64_t)st.st_ino)
				return;
	}
	l->ids = xrealloc(l->ids, (s->nfiles + 1) * sizeof(*l->ids));
	l->ids[s->nfiles][0] = (uint64_t)st.st_dev;
	l->ids[s->nfiles][1] = (uint64_t)st.st_ino;
	s->files = xrealloc(s->files, (s->nfiles + 1) * sizeof(*s->files));
	s->files[s->nfiles++] = xstrdup(path);
}

/*
 * Every regular file named results.json under dir; symlinks are not followed.  A
 * folder named profile below dir is skipped: profile-run's profiled run (make bench|
 * matrix PROFILE=1 put it beside the boot's results.json), perf's own mmap tracking
 * in every op, is no measurement to pool with the boots.  Named itself, it is read.
 */
static int walk(struct loader *l, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;
	int err = 0;

	if (!d)
		return fail(l, dir, "cannot read the directory: %s", strerror(errno));
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n] = xrealloc(NULL, strlen(dir) + strlen(e->d_name) + 2);
		sprintf(names[n++], "%s/%s", dir, e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_path);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		const char *base = strrchr(names[i], '/') + 1;

		if (!err && !lstat(names[i], &st)) {
			if (S_ISDIR(st.st_mode) && strcmp(base, "profile"))
				err = walk(l, names[i]);
			else if (S_ISREG(st.st_mode) && !strcmp(base, "results.json"))
				add_file(l, names[i]);
		}
		free(names[i]);
	}
	free(names);
	return err;
}

static int add_spec(struct loader *l, const char *item)
{
	struct stat st;
	size_t before = l->s->nfiles;

	if (!*item)
		return fail(l, l->s->spec, "an empty item in the list");
	if (stat(item, &st))
		return fail(l, item, "cannot read: %s", strerror(errno));
	if (!S_ISDIR(st.st_mode)) {
		add_file(l, item);
		return 0;
	}
	if (walk(l, item))
		return -1;
	if (l->s->nfiles == before)
		return fail(l, item, "no results.json under this directory");
	return 0;
}

static int load(struct loader *l, const char *spec);

int cmp_load(const char *spec, struct cmp_set *s, char *err, size_t errlen)
{
	struct loader l = { s, err, errlen, NULL, "?" };
	int ret;

	memset(s, 0, sizeof(*s));
	err[0] = 0;
	ret = load(&l, spec);
	free(l.ids);
	return ret;
}

static int load(struct loader *l, const char *spec)
{
	struct cmp_set *s = l->s;
	struct stat st;
	size_t nok = 0;

	s->spec = xstrdup(spec);
	if (!*spec)
		return fail(l, "\"\"", "an empty name");
	/* a name that exists is taken whole, commas and all; else a comma list */
	if (!stat(spec, &st) || !strchr(spec, ',')) {
		if (add_spec(l, spec))
			return -1;
	} else {
		char *list = xstrdup(spec), *save = NULL, *item;
		int bad = 0;

		if (list[0] == ',' || list[strlen(list) - 1] == ',' || strstr(list, ",,"))
			bad = fail(l, spec, "an empty item in the list");
		for (item = strtok_r(list, ",", &save); item && !bad;
		     item = strtok_r(NULL, ",", &save))
			bad = add_spec(l, item);
		free(list);
		if (bad)
			return -1;
	}
	for (size_t i = 0; i < s->nfiles; i++)
		if (load_file(l, s->files[i], i))
			return -1;
	for (size_t i = 0; i < s->ncases; i++)
		nok += s->cases[i].nmetrics > 0;
	if (!nok)
		return fail(l, spec, "no completed case with samples in %zu file%s", s->nfiles,
			    s->nfiles == 1 ? "" : "s");
	return 0;
}

void cmp_set_free(struct cmp_set *s)
{
	for (size_t i = 0; i < s->ncases; i++) {
		struct cmp_case *c = &s->cases[i];

		for (size_t j = 0; j < c->nmetrics; j++) {
			for (size_t r = 0; r < c->m[j].nruns; r++)
				free(c->m[j].x[r]);
			free(c->m[j].x);
			free(c->m[j].n);
			free(c->m[j].name);
			free(c->m[j].unit);
		}
		free(c->m);
		free(c->key);
		free(c->label);
		free(c->status);
		free(c->reason);
	}
	free(s->cases);
	for (size_t i = 0; i < s->nfiles; i++)
		free(s->files[i]);
	free(s->files);
	strs_free(&s->kernel);
	strs_free(&s->accel);
	strs_free(&s->clock);
	strs_free(&s->counter);
	strs_free(&s->aslr);
	strs_free(&s->notes);
	strs_free(&s->cpu);
	strs_free(&s->version);
	strs_free(&s->date);
	free(s->spec);
	memset(s, 0, sizeof(*s));
}

/* ---- comparing ---- */

double *cmp_pool(const struct cmp_metric *m, size_t *np)
{
	size_t n = 0;
	double *x;

	for (size_t r = 0; r < m->nruns; r++)
		n += m->n[r];
	x = xrealloc(NULL, n * sizeof(*x));
	n = 0;
	for (size_t r = 0; r < m->nruns; r++) {
		memcpy(x + n, m->x[r], m->n[r] * sizeof(*x));
		n += m->n[r];
	}
	*np = n;
	return x;
}

static void side(const struct cmp_metric *m, const double *x, size_t n,
		 struct cmp_side *sd)
{
	struct mb_stats st;

	memset(sd, 0, sizeof(*sd));
	sd->runs = m->nruns;
	sd->n = n;
	/* B = 1: the descriptive part of mb_stats_compute; its median CI is not used */
	if (mb_stats_compute(x, n, 1, 1, &st)) {
		sd->median = sd->mean = sd->stddev = sd->cv = NAN;
		return;
	}
	sd->median = st.median;
	sd->mean = st.mean;
	sd->stddev = st.stddev;
	sd->cv = st.mean != 0 ? st.stddev / fabs(st.mean) * 100 : NAN;
}

/* FNV-1a: each row's bootstrap seed depends on the seed and its name, not its place. */
static uint64_t row_seed(uint64_t seed, const char *key, const char *metric)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (const char *p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
	h = (h ^ '\n') * 0x100000001b3ull;
	for (const char *p = metric; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
	return h ^ seed;
}

/* The median of each run's samples into a malloc'ed array of m->nruns. */
static double *run_medians(const struct cmp_metric *m)
{
	double *v = xrealloc(NULL, (m->nruns ? m->nruns : 1) * sizeof(*v));

	for (size_t r = 0; r < m->nruns; r++) {
		struct mb_stats st;

		v[r] = mb_stats_compute(m->x[r], m->n[r], 1, 1, &st) ? NAN : st.median;
	}
	return v;
}

/* By boot (icount): the test and the verdict on the runs' medians, cmpstats.h. */
static void boot_row(struct cmp_row *row, const struct cmp_metric *bm,
		     const struct cmp_metric *pm)
{
	double *b = run_medians(bm), *p = run_medians(pm);
	struct mb_boot_verdict v;

	row->bimodal = mb_bimodal(b, bm->nruns) == 1 || mb_bimodal(p, pm->nruns) == 1;
	if (mb_boot_verdict(b, bm->nruns, p, pm->nruns, &v)) {
		row->mw.p = NAN;
		row->significant = 0;
	} else {
		row->mw = v.mw;
		row->significant = v.significant &&
				   (row->ci_lo > 1 || row->ci_hi < 1);	/* false for NaN */
	}
	free(b);
	free(p);
}

static void compute_row(struct cmp_row *row, const struct cmp_case *c,
			const struct cmp_metric *bm, const struct cmp_metric *pm,
			uint64_t seed, int by_boot)
{
	struct mb_runset rb = { bm->nruns, (const double *const *)bm->x, bm->n };
	struct mb_runset rp = { pm->nruns, (const double *const *)pm->x, pm->n };
	size_t nb, np;
	double *xb = cmp_pool(bm, &nb), *xp = cmp_pool(pm, &np);
	int err;

	memset(row, 0, sizeof(*row));
	row->c = c;
	row->m = bm;
	side(bm, xb, nb, &row->base);
	side(pm, xp, np, &row->patched);
	row->ratio = row->change = row->ci_lo = row->ci_hi = NAN;
	if (row->base.median != 0) {
		row->ratio = row->patched.median / row->base.median;
		row->change = (row->ratio - 1) * 100;
	}
	if (mb_mann_whitney(xp, np, xb, nb, &row->mw))
		row->mw.p = NAN;
	err = mb_ratio_ci(&rb, &rp, MB_BOOTSTRAP_B, row_seed(seed, c->key, bm->name),
			  CMP_LEVEL, &row->ci_lo, &row->ci_hi);
	if (err == -ENOMEM) {
		fputs("mmapbench-compare: out of memory\n", stderr);
		exit(2);
	}
	if (err)
		row->ci_lo = row->ci_hi = NAN;
	row->significant = row->mw.p < CMP_ALPHA &&
			   (row->ci_lo > 1 || row->ci_hi < 1);	/* false for NaN */
	if (by_boot) {
		boot_row(row, bm, pm);
		row->one_clock = c->threads > 1;
	}
	if (row->significant && bm->better && isfinite(row->change))
		row->verdict = (row->change > 0) == (bm->better > 0) ? 1 : -1;
	free(xb);
	free(xp);
}

/* "WHAT in SIDE" or "WHAT in SIDE (DETAIL)" */
static void unmatched(struct cmp_result *r, const char *label, const char *metric,
		      const char *what, const char *side, const char *detail)
{
	struct cmp_unmatched *u;

	r->un = xrealloc(r->un, (r->nun + 1) * sizeof(*r->un));
	u = &r->un[r->nun++];
	u->label = label;
	u->metric = metric;
	snprintf(u->why, sizeof(u->why), "%s in %s%s%s%s", what, side, detail ? " (" : "",
		 detail ? detail : "", detail ? ")" : "");
}

int cmp_compare(const struct cmp_set *base, const struct cmp_set *patched,
		uint64_t seed, struct cmp_result *r)
{
	memset(r, 0, sizeof(*r));
	r->base = base;
	r->patched = patched;
	r->seed = seed;
	r->by_boot = base->clock.n == 1 && patched->clock.n == 1 &&
		     !strcmp(base->clock.v[0], "icount") && !strcmp(patched->clock.v[0], "icount");
	for (size_t i = 0; i < base->ncases; i++) {
		const struct cmp_case *bc = &base->cases[i];
		const struct cmp_case *pc = find_case((struct cmp_set *)patched, bc->key);

		if (!pc) {
			unmatched(r, bc->label, NULL, "only", "base", NULL);
			continue;
		}
		if (!bc->nmetrics && !pc->nmetrics) {
			r->nboth_skipped++;
			continue;
		}
		if (!bc->nmetrics || !pc->nmetrics) {
			const struct cmp_case *no = bc->nmetrics ? pc : bc;
			const char *where = no == bc ? "base" : "patched";

			if (no->status)
				unmatched(r, bc->label, NULL, no->status, where, no->reason);
			else
				unmatched(r, bc->label, NULL, "no samples", where, NULL);
			continue;
		}
		for (size_t j = 0; j < bc->nmetrics; j++) {
			const struct cmp_metric *bm = &bc->m[j];
			const struct cmp_metric *pm = find_metric(pc, bm->name);

			if (!pm) {
				unmatched(r, bc->label, bm->name, "only", "base", NULL);
				continue;
			}
			r->rows = xrealloc(r->rows, (r->nrows + 1) * sizeof(*r->rows));
			compute_row(&r->rows[r->nrows++], bc, bm, pm, seed, r->by_boot);
		}
		for (size_t j = 0; j < pc->nmetrics; j++)
			if (!find_metric(bc, pc->m[j].name))
				unmatched(r, bc->label, pc->m[j].name, "only", "patched", NULL);
	}
	for (size_t i = 0; i < patched->ncases; i++)
		if (!find_case((struct cmp_set *)base, patched->cases[i].key))
			unmatched(r, patched->cases[i].label, NULL, "only", "patched", NULL);
	return 0;
}

void cmp_result_free(struct cmp_result *r)
{
	free(r->rows);
	free(r->un);
	memset(r, 0, sizeof(*r));
}

/* ---- printing ---- */

static size_t min_runs(const struct cmp_set *s)
{
	size_t m = SIZE_MAX;

	for (size_t i = 0; i < s->ncases; i++)
		for (size_t j = 0; j < s->cases[i].nmetrics; j++)
			if (s->cases[i].m[j].nruns < m)
				m = s->cases[i].m[j].nruns;
	return m == SIZE_MAX ? 0 : m;
}

static int strs_has(const struct cmp_strs *s, const char *v)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], v))
			return 1;
	return 0;
}

static int strs_equal(const struct cmp_strs *a, const struct cmp_strs *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]))
			return 0;
	return 1;
}

int cmp_clocks_mixed(const struct cmp_set *a, const struct cmp_set *b, char *why,
		     size_t len)
{
	char ja[256], jb[256];
	const char *c = a->clock.n ? a->clock.v[0] : "?";
	int mixed = a->clock.n > 1;

	if (b)
		mixed |= b->clock.n > 1 || (b->clock.n && strcmp(b->clock.v[0], c));
	if (!mixed)
		return 0;
	cmp_strs_join(&a->clock, ja, sizeof(ja));
	if (b) {
		cmp_strs_join(&b->clock, jb, sizeof(jb));
		snprintf(why, len, "base: %s, patched: %s", ja, jb);
	} else {
		snprintf(why, len, "%s", ja);
	}
	return 1;
}

size_t cmp_warnings(const struct cmp_result *r, char lines[][120], size_t max)
{
	size_t n = 0, rb = r->base->nfiles, rp = r->patched->nfiles;

	if (r->by_boot && (rb < MB_BOOT_MIN_RUNS || rp < MB_BOOT_MIN_RUNS) && n < max)
		snprintf(lines[n++], 120, "icount: under %d boots a side (base %zu, "
			 "patched %zu): no verdict", MB_BOOT_MIN_RUNS, rb, rp);
	else if (!r->by_boot && (rb < CMP_MIN_RUNS || rp < CMP_MIN_RUNS) && n < max)
		snprintf(lines[n++], 120, "fewer than %d runs a side (base %zu, patched %zu)",
			 CMP_MIN_RUNS, rb, rp);
	if (!r->by_boot && (min_runs(r->base) == 1 || min_runs(r->patched) == 1) && n < max)
		snprintf(lines[n++], 120,
			 "single run on a side: '*' cannot see run-to-run noise");
	if ((!strs_equal(&r->base->accel, &r->patched->accel) ||
	     !strs_equal(&r->base->cpu, &r->patched->cpu) ||
	     !strs_equal(&r->base->counter, &r->patched->counter)) && n < max)
		snprintf(lines[n++], 120, "the sides ran on different accel/CPU/counter");
	/* ASLR: only where both sides recorded it (older results did not) */
	if (!strs_equal(&r->base->aslr, &r->patched->aslr) && !strs_has(&r->base->aslr, "?") &&
	    !strs_has(&r->patched->aslr, "?") && n < max) {
		char ja[16], jb[16];

		cmp_strs_join(&r->base->aslr, ja, sizeof(ja));
		cmp_strs_join(&r->patched->aslr, jb, sizeof(jb));
		snprintf(lines[n++], 120, "the sides ran with different ASLR (base: %s, patched: "
			 "%s): other address layouts", ja, jb);
	}
	if (r->by_boot && n < max) {
		size_t nb = 0;

		for (size_t i = 0; i < r->nrows; i++)
			nb += r->rows[i].bimodal && !r->rows[i].significant;
		if (nb)
			snprintf(lines[n++], 120, "%zu row%s bimodal (~) and not flagged: a change "
				 "smaller than the gap between the modes can hide", nb,
				 nb == 1 ? "" : "s");
	}
	if (!r->nrows && n < max)
		snprintf(lines[n++], 120, "no case in common");
	return n;
}

void cmp_row_name(const struct cmp_row *row, char *buf, size_t len)
{
	snprintf(buf, len, "%s: %s", row->c->label, row->m->name);
}

/* Values: 4 significant digits at least, integers from 100 up. */
static void fmt_val(char *b, size_t n, double v)
{
	double a = fabs(v);

	if (!isfinite(v))
		snprintf(b, n, "-");
	else if (a >= 1e10)
		snprintf(b, n, "%.4g", v);
	else if (a >= 100 || v == floor(v))
		snprintf(b, n, "%.0f", v);
	else if (a >= 1)
		snprintf(b, n, "%.2f", v);
	else
		snprintf(b, n, "%.3g", v);
}

/* "±  3%", blank under 2 % (LKP); 5 columns */
static void fmt_cv(char *b, size_t n, double cv)
{
	if (!isfinite(cv) || cv < 2)
		snprintf(b, n, "%5s", "");
	else
		snprintf(b, n, "\u00b1%3.0f%%", fmin(cv, 999));
}

static void fmt_change(char *b, size_t n, double c)
{
	if (!isfinite(c))
		snprintf(b, n, "n/a");
	else if (fabs(c) >= 1e5)
		snprintf(b, n, "%+.0e%%", c);
	else
		snprintf(b, n, "%+.1f%%", c);
}

/* Cut s to w columns (ASCII labels), "~" marking the cut. */
static void fit(char *s, size_t w)
{
	if (strlen(s) > w && w > 1) {
		s[w - 1] = '~';
		s[w] = 0;
	}
}

/* "# key       value", cut at the text width ("..." marking the cut) */
static void hdr(FILE *f, const char *key, const char *fmt, ...)
{
	char v[1024], line[1100];
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v, sizeof(v), fmt, ap);
	va_end(ap);
	snprintf(line, sizeof(line), "# %-9s %s", key, v);
	if (strlen(line) > TEXT_WIDTH) {
		n = TEXT_WIDTH - 3;
		while (n && ((unsigned char)line[n] & 0xc0) == 0x80)
			n--;	/* not inside a UTF-8 sequence */
		memcpy(line + n, "...", 4);
	}
	fprintf(f, "%s\n", line);
}

static void hdr_side(FILE *f, const char *key, const struct cmp_strs *b,
		     const struct cmp_strs *p)
{
	char jb[512], jp[512];

	cmp_strs_join(b, jb, sizeof(jb));
	cmp_strs_join(p, jp, sizeof(jp));
	if (strs_equal(b, p))
		hdr(f, key, "%s (both)", jb);
	else
		hdr(f, key, "%s | %s", jb, jp);
}

/* "lower is better: a, b, c" for each direction, wrapped at the text width. */
static void better_lines(FILE *f, const struct cmp_result *r, int md)
{
	static const char *const what[3] = { "lower is better:", "no direction:",
					     "higher is better:" };
	const char **names = xrealloc(NULL, (r->nrows + 1) * sizeof(*names));
	int first = 1;

	for (int d = -1; d <= 1; d++) {
		char line[4 * TEXT_WIDTH], piece[TEXT_WIDTH + 1];
		size_t n = 0;

		for (size_t i = 0; i < r->nrows; i++) {
			const struct cmp_metric *m = r->rows[i].m;
			size_t k;

			for (k = 0; k < n && strcmp(names[k], m->name); k++)
				;
			if (m->better == d && k == n)
				names[n++] = m->name;
		}
		if (!n)
			continue;
		if (md)
			snprintf(line, sizeof(line), "- %s", what[d + 1]);
		else
			snprintf(line, sizeof(line), "# %-9s %s", first ? "better" : "",
				 what[d + 1]);
		first = 0;
		for (size_t k = 0; k < n; k++) {
			snprintf(piece, sizeof(piece), " %s%s", names[k], k + 1 < n ? "," : "");
			fit(piece, TEXT_WIDTH - 12);
			if (!md && strlen(line) + strlen(piece) > TEXT_WIDTH) {
				fprintf(f, "%s\n", line);
				snprintf(line, sizeof(line), "#%10s", "");
			}
			if (strlen(line) + strlen(piece) < sizeof(line))
				strcat(line, piece);
		}
		fprintf(f, "%s\n", line);
	}
	free(names);
}

const char *cmp_ci_over(const struct cmp_row *row)
{
	return row->base.runs >= 2 && row->patched.runs >= 2 ? "runs" : "samples";
}

/* Which CI the rows have: 1 every row's over runs, 0 none, -1 some. */
static int ci_over_runs(const struct cmp_result *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nrows; i++)
		n += !strcmp(cmp_ci_over(&r->rows[i]), "runs");
	return n == r->nrows ? 1 : n ? -1 : 0;
}

static int has_stat(const struct cmp_result *r, enum cmp_stat st)
{
	for (size_t i = 0; i < r->nrows; i++)
		if (r->rows[i].m->stat == st)
			return 1;
	return 0;
}

/* What the CI behind '*' covers, in words. */
static const char *ci_words(const struct cmp_result *r)
{
	int o = ci_over_runs(r);

	return o > 0 ? "over the runs (runs, then their samples, resampled)" :
	       o == 0 ? "one run on a side: over its samples, within one run only" :
	       "over the runs where both sides have several, else within one run";
}

/* "# PREFIX text" wrapped at the text width, later lines "#   text". */
static void wrapped(FILE *f, const char *prefix, const char *text)
{
	const char *p = text;
	int first = 1;

	while (*p) {
		size_t room = TEXT_WIDTH - (first ? strlen(prefix) + 3 : 4), n = strlen(p);

		if (n > room) {
			n = room;
			while (n && p[n] != ' ')
				n--;
			if (!n)
				n = room;	/* one word longer than a line: cut it */
		}
		fprintf(f, "#%s%s %.*s\n", first ? " " : "  ", first ? prefix : "", (int)n, p);
		p += n;
		while (*p == ' ')
			p++;
		first = 0;
	}
}

/* The sets' notes: what their files lacked. */
static void text_notes(FILE *f, const struct cmp_result *r)
{
	const struct cmp_set *sides[2] = { r->base, r->patched };

	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < sides[k]->notes.n; i++)
			wrapped(f, k ? "NOTE patched:" : "NOTE base:", sides[k]->notes.v[i]);
}

/* The text table's header: the two sides, warnings, what the marks mean. */
static void text_header(FILE *f, const struct cmp_result *r)
{
	char w[8][120];
	size_t nw = cmp_warnings(r, w, 8);

	hdr(f, "base", "%zu run%s: %s", r->base->nfiles, r->base->nfiles == 1 ? "" : "s",
	    r->base->spec);
	hdr(f, "patched", "%zu run%s: %s", r->patched->nfiles,
	    r->patched->nfiles == 1 ? "" : "s", r->patched->spec);
	hdr_side(f, "kernel", &r->base->kernel, &r->patched->kernel);
	hdr_side(f, "accel", &r->base->accel, &r->patched->accel);
	hdr_side(f, "clock", &r->base->clock, &r->patched->clock);
	hdr_side(f, "counter", &r->base->counter, &r->patched->counter);
	hdr_side(f, "cpu", &r->base->cpu, &r->patched->cpu);
	hdr_side(f, "tool", &r->base->version, &r->patched->version);
	for (size_t i = 0; i < nw; i++)
		hdr(f, "WARNING", "%s", w[i]);
	if (r->by_boot)
		fprintf(f, "# clock icount: timings in instructions (icount), a path length\n"
			   "#   (no cache, TLB or lock costs); a run is a boot\n"
			   "# *: significant, Mann-Whitney p < %.2g on the boots' medians\n"
			   "#    (exact; needs >= %d boots a side), |%%change| >= %.1f%% and\n"
			   "#    the %.0f%% bootstrap CI of patched/base excludes 1\n"
			   "# ~: bimodal: a side's boot medians fall in two groups\n"
			   "# &: threads > 1: every thread's instructions on one virtual\n"
			   "#    clock, interleaved: a path length per op, not a parallel\n"
			   "#    time (no speed-up, no contention can show)\n",
			MB_BOOT_ALPHA, MB_BOOT_MIN_RUNS, MB_BOOT_MIN_CHANGE, CMP_LEVEL * 100);
	fprintf(f, "# base, patched: the median of the samples of all runs, pooled\n");
	if (has_stat(r, CMP_ST_PER_OP))
		fprintf(f, "#   timings: a sample is one sample's mean per op (a batch, or K\n"
			   "#   ops timed one by one): the harness's headline, per_op\n");
	if (has_stat(r, CMP_ST_FAST))
		fprintf(f, "#   NAME" CMP_FAST_SUFFIX ": single ops' timings, their median the fast\n"
			   "#   path (leaves out the costly minority)\n");
	if (has_stat(r, CMP_ST_RECORDED))
		fprintf(f, "#   as_recorded (older files, NOTE): samples as the file has them\n");
	fprintf(f, "# \u00b1: sample stddev as %% of the mean (not the standard error),"
		   " if >= 2%%\n"
		   "%s",
		r->by_boot ? "" : "# *: significant, Mann-Whitney p < 0.05 and the 95% bootstrap CI\n"
		"#    of patched/base (runs, then samples resampled) excludes 1\n");
	wrapped(f, "CI (behind *):", ci_words(r));
	text_notes(f, r);
	better_lines(f, r, 0);
}

/* The text table's end: what was not compared, and why. */
static void text_unmatched(FILE *f, const struct cmp_result *r)
{
	if (r->nun || r->nboth_skipped)
		fprintf(f, "\nNot compared:\n");
	for (size_t i = 0; i < r->nun; i++) {
		const struct cmp_unmatched *u = &r->un[i];
		char line[512];

		snprintf(line, sizeof(line), "  %s%s%s: %s", u->label, u->metric ? ": " : "",
			 u->metric ? u->metric : "", u->why);
		if (strlen(line) > TEXT_WIDTH) {	/* the why on a line of its own */
			snprintf(line, sizeof(line), "  %s%s%s:", u->label, u->metric ? ": " : "",
				 u->metric ? u->metric : "");
			fit(line, TEXT_WIDTH);
			fprintf(f, "%s\n", line);
			snprintf(line, sizeof(line), "    %s", u->why);
		}
		fit(line, TEXT_WIDTH);
		fprintf(f, "%s\n", line);
	}
	if (r->nboth_skipped)
		fprintf(f, "  %zu case%s skipped or failed on both sides\n", r->nboth_skipped,
			r->nboth_skipped == 1 ? "" : "s");
}

static void print_text(FILE *f, const struct cmp_result *r)
{
	char vb[32], vp[32], cb[16], cp[16], ch[32], name[TEXT_WIDTH + 1];
	size_t nsig = 0;
	const struct cmp_case *last = NULL;

	text_header(f, r);
	fprintf(f, "\n%10s %s %9s  %10s %s  %s\n", "base", " \u00b1sd%", "%change", "patched",
		" \u00b1sd%", "metric");
	for (size_t i = 0; i < r->nrows; i++) {
		const struct cmp_row *row = &r->rows[i];

		if (row->c != last) {
			snprintf(name, sizeof(name), "%s", row->c->label);
			fit(name, TEXT_WIDTH);
			fprintf(f, "%s\n", name);
			last = row->c;
		}
		fmt_val(vb, sizeof(vb), row->base.median);
		fmt_val(vp, sizeof(vp), row->patched.median);
		fmt_cv(cb, sizeof(cb), row->base.cv);
		fmt_cv(cp, sizeof(cp), row->patched.cv);
		fmt_change(ch, sizeof(ch), row->change);
		snprintf(name, sizeof(name), "%s", row->m->name);
		fit(name, TEXT_WIDTH - 46);
		fprintf(f, "%10s %s %9s%c %10s %s  %s%s%s\n", vb, cb, ch,
			row->significant ? '*' : ' ', vp, cp, name, row->bimodal ? " ~" : "",
			row->one_clock ? " &" : "");
		nsig += row->significant;
	}
	fprintf(f, "\n%zu metric%s compared, %zu significant", r->nrows,
		r->nrows == 1 ? "" : "s", nsig);
	if (nsig) {
		size_t worse = 0, better = 0;

		for (size_t i = 0; i < r->nrows; i++) {
			worse += r->rows[i].verdict < 0;
			better += r->rows[i].verdict > 0;
		}
		fprintf(f, " (%zu better, %zu worse)", better, worse);
	}
	fprintf(f, "\n");
	text_unmatched(f, r);
}

static void fmt_pct(char *b, size_t n, double v)
{
	if (isfinite(v))
		snprintf(b, n, "%.1f%%", v);
	else
		snprintf(b, n, "-");
}

static void md_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '|' || *s == '\\' || *s == '*' || *s == '_')
			fputc('\\', f);
		fputc(*s, f);
	}
}

/* The markdown's head: each side's environment, the warnings, how it was made. */
static void md_head(FILE *f, const struct cmp_result *r)
{
	char w[8][120], jb[512], jp[512];
	size_t nw = cmp_warnings(r, w, 8);
	struct { const char *k; const struct cmp_strs *b, *p; } env[] = {
		{ "kernel", &r->base->kernel, &r->patched->kernel },
		{ "accel", &r->base->accel, &r->patched->accel },
		{ "clock", &r->base->clock, &r->patched->clock },
		{ "counter", &r->base->counter, &r->patched->counter },
		{ "cpu", &r->base->cpu, &r->patched->cpu },
		{ "tool", &r->base->version, &r->patched->version },
	};

	fprintf(f, "| | base | patched |\n| --- | --- | --- |\n");
	fprintf(f, "| runs | %zu | %zu |\n", r->base->nfiles, r->patched->nfiles);
	for (size_t i = 0; i < sizeof(env) / sizeof(env[0]); i++) {
		cmp_strs_join(env[i].b, jb, sizeof(jb));
		cmp_strs_join(env[i].p, jp, sizeof(jp));
		fprintf(f, "| %s | ", env[i].k);
		md_escape(f, jb);
		fprintf(f, " | ");
		md_escape(f, jp);
		fprintf(f, " |\n");
	}
	fprintf(f, "\n");
	for (size_t i = 0; i < nw; i++)
		fprintf(f, "**Warning:** %s\n\n", w[i]);
	fprintf(f, "base and patched are medians of the samples of all runs, pooled: for a "
		   "timing a sample is one sample's mean per op (a batch, or K ops timed one by "
		   "one), so the figure is the harness's headline per\\_op%s; \u00b1 is the "
		   "sample stddev as %% of the mean (not the standard error); p is the two-sided "
		   "Mann-Whitney U test (exact up to %d samples a side, else normal with tie "
		   "correction); the CI is the %.0f %% bootstrap interval of patched/base "
		   "(runs, then samples resampled; seed %" PRIu64 "): %s. "
		   "**\\*** marks p < %.2g with the CI excluding 1.\n\n",
		has_stat(r, CMP_ST_FAST) ? "; a metric NAME" CMP_FAST_SUFFIX " holds the single "
		"ops' timings of NAME, its median the fast path" : "",
		MB_MW_EXACT_MAX, CMP_LEVEL * 100, r->seed, ci_words(r), CMP_ALPHA);
	{
		const struct cmp_set *sides[2] = { r->base, r->patched };

		for (int k = 0; k < 2; k++)
			for (size_t i = 0; i < sides[k]->notes.n; i++) {
				fprintf(f, "**Note (%s):** ", k ? "patched" : "base");
				md_escape(f, sides[k]->notes.v[i]);
				fprintf(f, "\n\n");
			}
	}
	if (r->by_boot)
		fprintf(f, "Clock icount: timings are instructions (icount), a path length "
			   "(no cache, TLB or lock costs), and a run is a boot.  p is then the "
			   "exact Mann-Whitney test on the boots' medians, and **\\*** marks "
			   "p < %.2g (%d boots a side at least) with |%%change| >= %.1f %% and the "
			   "CI excluding 1; ~ marks a bimodal row (a side's boot medians in two "
			   "groups); & a row of several threads, whose figure is every thread's "
			   "instructions on one virtual clock, interleaved: a path length per op, "
			   "not a parallel time (no speed-up, no contention can show).\n\n",
			MB_BOOT_ALPHA, MB_BOOT_MIN_RUNS, MB_BOOT_MIN_CHANGE);
	better_lines(f, r, 1);
}

/* One row of the markdown table. */
static void md_row(FILE *f, const struct cmp_row *row)
{
	char vb[32], vp[32], ch[32], cb[16], cp[16], ci[64];

	fmt_val(vb, sizeof(vb), row->base.median);
	fmt_val(vp, sizeof(vp), row->patched.median);
	fmt_change(ch, sizeof(ch), row->change);
	fprintf(f, "| ");
	md_escape(f, row->c->label);
	fprintf(f, " | ");
	md_escape(f, row->m->name);
	fmt_pct(cb, sizeof(cb), row->base.cv);
	fmt_pct(cp, sizeof(cp), row->patched.cv);
	if (isfinite(row->ci_lo))
		snprintf(ci, sizeof(ci), "[%.3f, %.3f]", row->ci_lo, row->ci_hi);
	else
		snprintf(ci, sizeof(ci), "-");
	fprintf(f, " | %s | %s | %s | %s | %s | %s | %.2g | %s | %s%s%s |\n",
		row->m->better < 0 ? "lower" : row->m->better > 0 ? "higher" : "-",
		vb, cb, ch, vp, cp, row->mw.p, ci, row->significant ? "**\\***" :
		row->bimodal ? "~" : "", row->one_clock && (row->significant ||
		row->bimodal) ? " " : "", row->one_clock ? "&" : "");
}

static void print_markdown(FILE *f, const struct cmp_result *r)
{
	int o = ci_over_runs(r);

	md_head(f, r);
	fprintf(f, "\n| case | metric | better | base | \u00b1 | %%change | patched | \u00b1 | p | "
		   "95%% CI of ratio (%s) | |\n"
		   "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |\n",
		o > 0 ? "over runs" : o == 0 ? "within one run" : "over runs where both have several");
	for (size_t i = 0; i < r->nrows; i++)
		md_row(f, &r->rows[i]);
	if (r->nun || r->nboth_skipped)
		fprintf(f, "\nNot compared:\n\n");
	for (size_t i = 0; i < r->nun; i++) {
		fprintf(f, "- ");
		md_escape(f, r->un[i].label);
		if (r->un[i].metric) {
			fprintf(f, ": ");
			md_escape(f, r->un[i].metric);
		}
		fprintf(f, ": ");
		md_escape(f, r->un[i].why);
		fprintf(f, "\n");
	}
	if (r->nboth_skipped)
		fprintf(f, "- %zu cases skipped or failed on both sides\n", r->nboth_skipped);
}

static void jw_strs(struct jw *j, const char *key, const struct cmp_strs *s)
{
	jw_key(j, key);
	jw_begin_array(j);
	for (size_t i = 0; i < s->n; i++)
		jw_string(j, s->v[i]);
	jw_end_array(j);
}

static void jw_set(struct jw *j, const char *key, const struct cmp_set *s)
{
	jw_key(j, key);
	jw_begin_object(j);
	jw_kv_str(j, "spec", s->spec);
	jw_kv_int(j, "runs", (long long)s->nfiles);
	jw_key(j, "files");
	jw_begin_array(j);
	for (size_t i = 0; i < s->nfiles; i++)
		jw_string(j, s->files[i]);
	jw_end_array(j);
	jw_strs(j, "kernel_release", &s->kernel);
	jw_strs(j, "accel", &s->accel);
	jw_strs(j, "clock", &s->clock);
	jw_strs(j, "counter", &s->counter);
	jw_strs(j, "aslr", &s->aslr);
	jw_strs(j, "cpu_model", &s->cpu);
	jw_strs(j, "tool_version", &s->version);
	jw_strs(j, "date", &s->date);
	jw_strs(j, "notes", &s->notes);
	jw_end_object(j);
}

static void jw_side(struct jw *j, const char *key, const struct cmp_side *s)
{
	jw_key(j, key);
	jw_begin_object(j);
	jw_kv_int(j, "runs", (long long)s->runs);
	jw_kv_int(j, "n", (long long)s->n);
	jw_kv_double(j, "median", s->median);
	jw_kv_double(j, "mean", s->mean);
	jw_kv_double(j, "stddev", s->stddev);
	jw_kv_double(j, "cv_pct", s->cv);
	jw_end_object(j);
}

/* The "method" object: how every number of the comparison was made. */
static void jw_method(struct jw *j, const struct cmp_result *r)
{
	jw_key(j, "method");
	jw_begin_object(j);
	jw_kv_str(j, "value", "median of the pooled samples of all runs; rows[].statistic "
		  "says what a sample is: per_op (a timing: one sample's mean per op, a batch's "
		  "or of K ops timed one by one: the harness's headline stats.per_op), fast "
		  "(NAME" CMP_FAST_SUFFIX ": single ops' timings, the median the fast path), value "
		  "(a count or rate as recorded), as_recorded (an older file without "
		  "metrics[].timing: see the sets' notes)");
	jw_kv_str(j, "ci_over", "rows[].ci_over: runs (both sides have >= 2 runs: runs, then "
		  "samples resampled) or samples (one run on a side: within that run only)");
	jw_kv_str(j, "spread", "cv_pct: sample stddev as % of the mean (not the standard error)");
	jw_kv_str(j, "test", "Mann-Whitney U, two-sided: exact (ties: conditional) up to "
		  "20 samples a side, else normal with tie and continuity correction; "
		  "u = #(patched > base) + ties/2");
	jw_kv_str(j, "ci", "percentile bootstrap of median(patched)/median(base), runs then "
		  "samples resampled");
	jw_kv_double(j, "alpha", CMP_ALPHA);
	jw_kv_double(j, "level", CMP_LEVEL);
	jw_kv_int(j, "bootstrap_B", MB_BOOTSTRAP_B);
	jw_key(j, "seed");
	jw_uint(j, r->seed);
	jw_kv_str(j, "significant", "p < alpha and the CI excludes 1");
	jw_kv_bool(j, "by_boot", r->by_boot);
	if (r->by_boot) {
		jw_kv_str(j, "by_boot_rule", "clock icount: Mann-Whitney U (exact) on the runs' "
			  "(boots') medians, p < by_boot_alpha, |change| >= by_boot_min_change_pct, "
			  "and the CI excludes 1");
		jw_kv_double(j, "by_boot_alpha", MB_BOOT_ALPHA);
		jw_kv_double(j, "by_boot_min_change_pct", MB_BOOT_MIN_CHANGE);
		jw_kv_int(j, "by_boot_min_runs", MB_BOOT_MIN_RUNS);
	}
	jw_end_object(j);
}

static int print_json(FILE *f, const struct cmp_result *r)
{
	char w[8][120];
	size_t nw = cmp_warnings(r, w, 8);
	struct jw j;

	jw_init(&j, f, 1);
	jw_begin_object(&j);
	jw_kv_str(&j, "schema", MB_SCHEMA_COMPARE);
	jw_set(&j, "base", r->base);
	jw_set(&j, "patched", r->patched);
	jw_method(&j, r);
	jw_key(&j, "warnings");
	jw_begin_array(&j);
	for (size_t i = 0; i < nw; i++)
		jw_string(&j, w[i]);
	jw_end_array(&j);
	jw_key(&j, "rows");
	jw_begin_array(&j);
	for (size_t i = 0; i < r->nrows; i++) {
		const struct cmp_row *row = &r->rows[i];
		int d = row->m->better;
		const char *b = d < 0 ? "lower" : d > 0 ? "higher" : "none";

		jw_begin_object(&j);
		jw_kv_str(&j, "case", row->c->label);
		jw_kv_str(&j, "key", row->c->key);
		jw_kv_str(&j, "metric", row->m->name);
		jw_kv_str(&j, "unit", row->m->unit);
		jw_kv_str(&j, "better", b);
		jw_kv_str(&j, "statistic", cmp_stat_name(row->m->stat));
		jw_kv_str(&j, "ci_over", cmp_ci_over(row));
		jw_side(&j, "base", &row->base);
		jw_side(&j, "patched", &row->patched);
		jw_kv_double(&j, "ratio", row->ratio);
		jw_kv_double(&j, "change_pct", row->change);
		jw_kv_double(&j, "ci_lo", row->ci_lo);
		jw_kv_double(&j, "ci_hi", row->ci_hi);
		jw_kv_double(&j, "u", row->mw.u);
		jw_kv_double(&j, "p", row->mw.p);
		jw_kv_str(&j, "test", row->mw.exact ? "exact" : "normal");
		jw_kv_bool(&j, "significant", row->significant);
		jw_kv_bool(&j, "bimodal", row->bimodal);
		jw_kv_bool(&j, "one_clock", row->one_clock);
		jw_kv_str(&j, "verdict", row->verdict > 0 ? "better" :
			  row->verdict < 0 ? "worse" : "same");
		jw_end_object(&j);
	}
	jw_end_array(&j);
	jw_key(&j, "unmatched");
	jw_begin_array(&j);
	for (size_t i = 0; i < r->nun; i++) {
		jw_begin_object(&j);
		jw_kv_str(&j, "case", r->un[i].label);
		jw_kv_str(&j, "metric", r->un[i].metric);
		jw_kv_str(&j, "why", r->un[i].why);
		jw_end_object(&j);
	}
	jw_end_array(&j);
	jw_kv_int(&j, "skipped_both", (long long)r->nboth_skipped);
	jw_end_object(&j);
	fputc('\n', f);
	return jw_finish(&j) ? -1 : 0;
}

int cmp_print(FILE *f, const struct cmp_result *r, enum cmp_format fmt)
{
	int err = 0;

	if (fmt == CMP_JSON)
		err = print_json(f, r);
	else if (fmt == CMP_MARKDOWN)
		print_markdown(f, r);
	else
		print_text(f, r);
	if (fflush(f) || ferror(f))
		err = -1;
	return err;
}

int cmp_parse_seed(const char *s, uint64_t *seed)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || s[0] == '-')
		return -1;
	*seed = v;
	return 0;
}
