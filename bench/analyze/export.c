// SPDX-License-Identifier: GPL-2.0
/*
 * export.c - mmapbench-export --format lkp|mmtests|lava|lkp-index RESULTS: a result
 * set in the format of a kernel-testing fleet (fleets/).  The set is read by cmp.c's
 * loader; this file only names the metrics and prints them.
 *
 * A metric's name says where it came from, in five dot-separated parts:
 *     <bench>.<target>.<profile>.<params>.<metric>
 *     storm.anon.none.flags-private_populate-no_size-4096_threads-1.mmap_munmap
 * profile "none" when the case has none; params every key of the case's params,
 * sorted, as key-value joined by "_" ("none" when empty); in each part any character
 * but [A-Za-z0-9_-] becomes "_", "/" becomes "_per_".  The name depends on the case
 * and the metric only, never on the run: it is stable across runs of a suite.
 *
 * Exported: every metric with a direction (better: lower or higher) of every case
 * that completed, its value the median of the run's samples.  Metrics without a
 * direction (counts such as minflt) are left out: a fleet would flag their changes
 * as regressions or improvements without knowing which.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "cmp.h"
#include "stats.h"

#define PROG	"mmapbench-export"

enum fmt { F_LKP, F_MMTESTS, F_LAVA, F_LKP_INDEX };
static const char *const fmt_names[] = { "lkp", "mmtests", "lava", "lkp-index", NULL };

static void usage(FILE *f)
{
	fprintf(f,
"Usage: " PROG " --format FORMAT [-o FILE] RESULTS\n"
"\n"
"Print a result set (results.json; a directory or a comma list of them for\n"
"mmtests and lkp-index) in a kernel-testing fleet's format:\n"
"  lkp        `name: value`, one metric a line (LKP's parse; LKP adds \"mmapbench.\")\n"
"  mmtests    `metric<TAB>factorA<TAB>factorB<TAB>interval<TAB>value` (parse-results):\n"
"             metric <bench>.<metric>, factorA <target>.<profile>, factorB <params>,\n"
"             interval the run (1, 2, ...)\n"
"  lava       `name pass <value> <unit>`, and `<case> skip|fail` for a case that did\n"
"             not complete (the result.txt that send-to-lava.sh reads)\n"
"  lkp-index  each metric's direction, `regex: 1|-1` (LKP's etc/index-perf-all.yaml)\n"
"\n"
"Names: <bench>.<target>.<profile>.<params>.<metric>; values: the median of a run's\n"
"samples.  Only metrics with a direction (lower or higher is better) are exported.\n"
"\n"
"  -o FILE          write FILE (complete or not at all) instead of stdout\n"
"  -h, --help       this help\n"
"\n"
"Exit status: 0 written, 1 an invalid set (two metrics with one name, one name\n"
"with two directions), 2 usage error or an unreadable or invalid input.\n");
}

/* Append s to buf (at *n, capacity len), each character made name-safe. */
static void put_safe(char *buf, size_t len, size_t *n, const char *s)
{
	for (; *s; s++) {
		const char *rep = NULL;
		char one[2] = { *s, 0 };

		if (*s == '/')
			rep = "_per_";
		else if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			   (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			one[0] = '_';
		for (const char *p = rep ? rep : one; *p; p++)
			if (*n + 1 < len)
				buf[(*n)++] = *p;
	}
	buf[*n] = 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The params part from the canonical JSON object of the case's key. */
static int params_part(char *buf, size_t len, size_t *n, const char *pj)
{
	json_t *o = json_loads(pj, JSON_DECODE_ANY, NULL), *v;
	const char *k, *keys[64];
	size_t nk = 0;

	if (!json_is_object(o)) {
		json_decref(o);
		return -1;
	}
	json_object_foreach(o, k, v)
		if (nk < 64)
			keys[nk++] = k;
	qsort(keys, nk, sizeof(*keys), cmp_str);
	if (!nk)
		put_safe(buf, len, n, "none");
	for (size_t i = 0; i < nk; i++) {
		char val[64];

		v = json_object_get(o, keys[i]);
		if (json_is_integer(v))
			snprintf(val, sizeof(val), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		else if (json_is_boolean(v))
			snprintf(val, sizeof(val), "%s", json_is_true(v) ? "yes" : "no");
		else if (json_is_string(v))
			snprintf(val, sizeof(val), "%s", json_string_value(v));
		else if (json_is_real(v))
			snprintf(val, sizeof(val), "%g", json_real_value(v));
		else
			snprintf(val, sizeof(val), "null");
		if (i)
			put_safe(buf, len, n, "_");
		put_safe(buf, len, n, keys[i]);
		put_safe(buf, len, n, "-");
		put_safe(buf, len, n, val);
	}
	json_decref(o);
	return 0;
}

/*
 * The parts of a case's name from its key ("bench\ttarget\tprofile\tparams"): into
 * part[0..3] (bench, target, profile, params).  0, or -1 on a malformed key.
 */
#define PART	512
static int case_parts(const struct cmp_case *c, char part[4][PART])
{
	char *dup = strdup(c->key), *f[4], *save = NULL;
	size_t n;
	int i = 0;

	if (!dup)
		return -1;
	for (char *t = strtok_r(dup, "\t", &save); t && i < 4; t = strtok_r(NULL, "\t", &save))
		f[i++] = t;
	if (i != 4) {
		free(dup);
		return -1;
	}
	for (i = 0; i < 3; i++) {
		n = 0;
		put_safe(part[i], PART, &n, i == 2 && !strcmp(f[2], "-") ? "none" : f[i]);
	}
	n = 0;
	i = params_part(part[3], PART, &n, f[3]);
	free(dup);
	return i;
}

struct row {
	char name[5 * PART + 8];	/* the full name */
	char metric[2 * PART + 4], factor_a[2 * PART + 4], factor_b[PART];	/* mmtests' split */
	const struct cmp_case *c;
	const struct cmp_metric *m;
};

static double run_median(const struct cmp_metric *m, size_t r)
{
	double *x = malloc(m->n[r] * sizeof(*x)), med;

	if (!x) {
		fprintf(stderr, PROG ": out of memory\n");
		exit(2);
	}
	memcpy(x, m->x[r], m->n[r] * sizeof(*x));
	mb_sort(x, m->n[r]);
	med = mb_quantile(x, m->n[r], 0.5);
	free(x);
	return med;
}

static int cmp_row_names(const void *a, const void *b)
{
	return strcmp(((const struct row *)a)->name, ((const struct row *)b)->name);
}

/* The exported rows of s (directed metrics of completed cases) into *out; 0 or -1. */
static int make_rows(const struct cmp_set *s, struct row **out, size_t *nrows)
{
	struct row *rows = NULL;
	size_t n = 0;

	for (size_t i = 0; i < s->ncases; i++) {
		const struct cmp_case *c = &s->cases[i];
		char part[4][PART];

		if (case_parts(c, part)) {
			fprintf(stderr, PROG ": %s: malformed case\n", c->label);
			free(rows);
			return -1;
		}
		for (size_t j = 0; j < c->nmetrics; j++) {
			const struct cmp_metric *m = &c->m[j];
			struct row *w;
			size_t k = 0;
			char mname[PART];

			if (!m->better || !m->nruns)
				continue;
			rows = realloc(rows, (n + 1) * sizeof(*rows));
			if (!rows) {
				fprintf(stderr, PROG ": out of memory\n");
				exit(2);
			}
			w = &rows[n++];
			put_safe(mname, sizeof(mname), &k, m->name);
			snprintf(w->name, sizeof(w->name), "%s.%s.%s.%s.%s", part[0], part[1],
				 part[2], part[3], mname);
			snprintf(w->metric, sizeof(w->metric), "%s.%s", part[0], mname);
			snprintf(w->factor_a, sizeof(w->factor_a), "%s.%s", part[1], part[2]);
			snprintf(w->factor_b, sizeof(w->factor_b), "%s", part[3]);
			w->c = c;
			w->m = m;
		}
	}
	if (n)
		qsort(rows, n, sizeof(*rows), cmp_row_names);
	for (size_t i = 1; i < n; i++)
		if (!strcmp(rows[i].name, rows[i - 1].name)) {
			fprintf(stderr, PROG ": two metrics are both named %s (%s: %s, %s: %s)\n",
				rows[i].name, rows[i - 1].c->label, rows[i - 1].m->name,
				rows[i].c->label, rows[i].m->name);
			free(rows);
			return -1;
		}
	*out = rows;
	*nrows = n;
	return 0;
}

static void print_value(FILE *f, double v)
{
	fprintf(f, "%.10g", v);
}

static int print_lkp(FILE *f, const struct row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%s: ", rows[i].name);
		print_value(f, run_median(rows[i].m, 0));
		fputc('\n', f);
	}
	return 0;
}

static int print_mmtests(FILE *f, const struct row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t r = 0; r < rows[i].m->nruns; r++) {
			fprintf(f, "%s\t%s\t%s\t%zu\t", rows[i].metric, rows[i].factor_a,
				rows[i].factor_b, r + 1);
			print_value(f, run_median(rows[i].m, r));
			fputc('\n', f);
		}
	return 0;
}

static int print_lava(FILE *f, const struct cmp_set *s, const struct row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char unit[64];
		size_t k = 0;

		put_safe(unit, sizeof(unit), &k, rows[i].m->unit);
		/* "ops/s" stays readable: only the name needs the strict alphabet */
		fprintf(f, "%s pass ", rows[i].name);
		print_value(f, run_median(rows[i].m, 0));
		fprintf(f, " %s\n", *rows[i].m->unit && !strpbrk(rows[i].m->unit, " \t") ?
			rows[i].m->unit : unit[0] ? unit : "none");
	}
	/* the cases that did not complete: one line each, no measurement */
	for (size_t i = 0; i < s->ncases; i++) {
		const struct cmp_case *c = &s->cases[i];
		char part[4][PART];

		if (c->nok || case_parts(c, part))
			continue;
		fprintf(f, "%s.%s.%s.%s %s\n", part[0], part[1], part[2], part[3],
			c->status && !strcmp(c->status, "skipped") ? "skip" : "fail");
	}
	return 0;
}

/* A regex-safe copy of s ('.' escaped; the name alphabet has no other specials). */
static void put_regex(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '.')
			fputc('\\', f);
		fputc(*s, f);
	}
}

static int print_index(FILE *f, const struct row *rows, size_t n)
{
	/* one line per bench.metric, its target, profile and params matched by .+ */
	struct row *by = malloc((n ? n : 1) * sizeof(*by));
	size_t nb = 0;

	if (!by) {
		fprintf(stderr, PROG ": out of memory\n");
		exit(2);
	}
	for (size_t i = 0; i < n; i++) {
		size_t j;

		for (j = 0; j < nb; j++)
			if (!strcmp(by[j].metric, rows[i].metric))
				break;
		if (j < nb) {
			if (by[j].m->better != rows[i].m->better) {
				fprintf(stderr, PROG ": %s is lower-is-better in %s and higher-is-better in %s\n",
					rows[i].metric, by[j].m->better < 0 ? by[j].c->label : rows[i].c->label,
					by[j].m->better < 0 ? rows[i].c->label : by[j].c->label);
				free(by);
				return -1;
			}
			continue;
		}
		by[nb++] = rows[i];
	}
	for (size_t i = 0; i < nb; i++)
		snprintf(by[i].name, sizeof(by[i].name), "%s", by[i].metric);
	qsort(by, nb, sizeof(*by), cmp_row_names);
	for (size_t i = 0; i < nb; i++) {
		const char *dot = strchr(by[i].metric, '.');

		fputs("mmapbench\\.", f);
		fwrite(by[i].metric, 1, (size_t)(dot - by[i].metric), f);
		fputs("\\..+\\.", f);
		put_regex(f, dot + 1);
		fprintf(f, ": %d\n", by[i].m->better);
	}
	free(by);
	return 0;
}

/* The set in format fmt to OUT (written, then renamed) or stdout; the exit status. */
static int export_to(const char *out, int fmt, const struct cmp_set *s,
		     const struct row *rows, size_t nrows)
{
	char tmp[4096];
	FILE *f = stdout;
	int rc;

	if (out) {
		snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", out, (long)getpid());
		f = fopen(tmp, "w");
		if (!f) {
			fprintf(stderr, PROG ": %s: %s\n", tmp, strerror(errno));
			return 2;
		}
	}
	switch (fmt) {
	case F_LKP:
		rc = print_lkp(f, rows, nrows);
		break;
	case F_MMTESTS:
		rc = print_mmtests(f, rows, nrows);
		break;
	case F_LAVA:
		rc = print_lava(f, s, rows, nrows);
		break;
	default:
		rc = print_index(f, rows, nrows);
		break;
	}
	if (fflush(f) || ferror(f)) {
		fprintf(stderr, PROG ": %s: write error\n", out ? tmp : "stdout");
		rc = 2;
	}
	if (out) {
		if (fclose(f) && !rc)
			rc = 2;
		if (rc || rename(tmp, out)) {
			if (!rc)
				fprintf(stderr, PROG ": %s: %s\n", out, strerror(errno));
			unlink(tmp);
			rc = rc ? rc : 2;
		}
	}
	return rc;
}

int mb_cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL;
	int fmt = -1, c, rc;
	struct cmp_set s;
	struct row *rows = NULL;
	size_t nrows = 0;
	char err[512];

	while ((c = getopt_long(argc, argv, ":f:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			for (fmt = 0; fmt_names[fmt] && strcmp(fmt_names[fmt], optarg); fmt++)
				;
			if (!fmt_names[fmt])
				return mb_usage_error(PROG,
						      "unknown format '%s' (lkp, mmtests, lava, lkp-index)",
						      optarg);
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			return mb_usage_getopt(PROG, c, argv);
		}
	}
	if (fmt < 0)
		return mb_usage_error(PROG, "%s", "--format is required");
	if (optind != argc - 1)
		return mb_usage_error(PROG, "%s", "one result set expected");
	if (cmp_load(argv[optind], &s, err, sizeof(err))) {
		fprintf(stderr, PROG ": %s\n", err);
		return 2;
	}
	if ((fmt == F_LKP || fmt == F_LAVA) && s.nfiles != 1) {
		fprintf(stderr, PROG ": %s: %zu runs; the %s format takes one results.json\n",
			argv[optind], s.nfiles, fmt_names[fmt]);
		cmp_set_free(&s);
		return 2;
	}
	if (make_rows(&s, &rows, &nrows)) {
		cmp_set_free(&s);
		return 1;
	}
	rc = export_to(out, fmt, &s, rows, nrows);
	free(rows);
	cmp_set_free(&s);
	return rc < 0 ? 1 : rc;
}
