// SPDX-License-Identifier: GPL-2.0
/*
 * digest.c - mmapbench-digest DIR: what `make bench` prints at the end, in a screen:
 * the merge rate per device and profile, the storm and fault headline rows, the
 * hyperfine verdict and where the full summary and the plots are.  DIR/results.json is
 * read by cmp.c's loader; DIR/hyperfine.json, when there, with jansson.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmp.h"
#include "stats.h"

#define PROG	"mmapbench-digest"

/* A case's key split: bench, target, profile ("-": none) and its params object. */
struct parts {
	char bench[64], target[64], profile[64];
	json_t *params;
};

static int split_key(const struct cmp_case *c, struct parts *p)
{
	const char *k = c->key, *t1, *t2, *t3;

	t1 = strchr(k, '\t');
	t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
	t3 = t2 ? strchr(t2 + 1, '\t') : NULL;
	if (!t3)
		return -1;
	snprintf(p->bench, sizeof(p->bench), "%.*s", (int)(t1 - k), k);
	snprintf(p->target, sizeof(p->target), "%.*s", (int)(t2 - t1 - 1), t1 + 1);
	snprintf(p->profile, sizeof(p->profile), "%.*s", (int)(t3 - t2 - 1), t2 + 1);
	p->params = json_loads(t3 + 1, 0, NULL);
	return json_is_object(p->params) ? 0 : -1;
}

static long long p_int(const struct parts *p, const char *k)
{
	json_t *v = json_object_get(p->params, k);

	return json_is_integer(v) ? json_integer_value(v) : -1;
}

static const char *p_str(const struct parts *p, const char *k)
{
	json_t *v = json_object_get(p->params, k);

	return json_is_string(v) ? json_string_value(v) : "";
}

/* The median of all runs' samples of c's metric `name`; NaN when absent. */
static double median_of(const struct cmp_case *c, const char *name, size_t *n)
{
	for (size_t i = 0; i < c->nmetrics; i++) {
		double *x, med;
		size_t nx;

		if (strcmp(c->m[i].name, name))
			continue;
		x = cmp_pool(&c->m[i], &nx);
		if (!x || !nx) {
			free(x);
			return NAN;
		}
		mb_sort(x, nx);
		med = mb_quantile(x, nx, 0.5);
		free(x);
		if (n)
			*n = nx;
		return med;
	}
	return NAN;
}

static void cell(char *b, size_t len, double v)
{
	if (isnan(v))
		snprintf(b, len, "-");
	else if (fabs(v) >= 1000)
		snprintf(b, len, "%.0f", v);
	else
		snprintf(b, len, "%.3g", v);
}

static const char *dev(const struct parts *p, char *buf, size_t len)
{
	if (strcmp(p->profile, "-"))
		snprintf(buf, len, "%s:%s", p->target, p->profile);
	else
		snprintf(buf, len, "%s", p->target);
	return buf;
}

/* The merge benches (bench name "merge*"), in order of first appearance. */
#define MAXB	16
static void merges(const struct cmp_set *s)
{
	char benches[MAXB][64];
	size_t nb = 0;
	struct parts p;

	for (size_t i = 0; i < s->ncases; i++) {
		size_t j;

		if (split_key(&s->cases[i], &p) || strncmp(p.bench, "merge", 5)) {
			json_decref(p.params);
			continue;
		}
		json_decref(p.params);
		for (j = 0; j < nb && strcmp(benches[j], p.bench); j++)
			;
		if (j == nb && nb < MAXB)
			snprintf(benches[nb++], sizeof(benches[0]), "%s", p.bench);
	}
	if (!nb)
		return;
	printf("\nmerge rate (merged mmaps / mmaps that could merge; median of runs' samples):\n");
	printf("  %-22s %-8s", "DEVICE:PROFILE", "MAP");
	for (size_t j = 0; j < nb; j++)
		printf(" %11s", benches[j]);
	printf("\n");
	/* one row per (target, profile, flags) of the first merge bench's cases */
	for (size_t i = 0; i < s->ncases; i++) {
		char d[160], row_flags[32];
		struct parts p0;

		if (split_key(&s->cases[i], &p0) || strcmp(p0.bench, benches[0])) {
			json_decref(p0.params);
			continue;
		}
		snprintf(row_flags, sizeof(row_flags), "%s", p_str(&p0, "flags"));
		printf("  %-22s %-8s", dev(&p0, d, sizeof(d)), row_flags);
		for (size_t j = 0; j < nb; j++) {
			double v = NAN;
			char b[32];

			for (size_t k = 0; k < s->ncases; k++) {
				if (split_key(&s->cases[k], &p)) {
					json_decref(p.params);
					continue;
				}
				if (!strcmp(p.bench, benches[j]) && !strcmp(p.target, p0.target) &&
				    !strcmp(p.profile, p0.profile) &&
				    !strcmp(p_str(&p, "flags"), row_flags) && s->cases[k].nok)
					v = median_of(&s->cases[k], "merge-rate", NULL);
				json_decref(p.params);
				if (!isnan(v))
					break;
			}
			cell(b, sizeof(b), v);
			printf(" %11s", b);
		}
		printf("\n");
		json_decref(p0.params);
	}
}

/* The headline rows: bench at 4 KiB, private, one thread, not populated. */
static void headline(const struct cmp_set *s, const char *title, const char *const *benches,
		     const char *const *metrics, const char *const *heads, size_t ncols)
{
	int any = 0;

	for (size_t i = 0; i < s->ncases; i++) {
		struct parts p;
		char d[160];

		if (split_key(&s->cases[i], &p) || strcmp(p.bench, benches[0]) ||
		    p_int(&p, "size") != 4096 || strcmp(p_str(&p, "flags"), "private") ||
		    p_int(&p, "threads") > 1 ||
		    json_is_true(json_object_get(p.params, "populate"))) {
			json_decref(p.params);
			continue;
		}
		if (!any++) {
			printf("\n%s\n  %-22s", title, "TARGET:PROFILE");
			for (size_t j = 0; j < ncols; j++)
				printf(" %16s", heads[j]);
			printf("\n");
		}
		printf("  %-22s", dev(&p, d, sizeof(d)));
		for (size_t j = 0; j < ncols; j++) {
			double v = NAN;
			char b[32];

			/* the same target, profile and params in bench j */
			for (size_t k = 0; k < s->ncases; k++) {
				struct parts q;

				if (split_key(&s->cases[k], &q)) {
					json_decref(q.params);
					continue;
				}
				if (!strcmp(q.bench, benches[j]) && !strcmp(q.target, p.target) &&
				    !strcmp(q.profile, p.profile) && json_equal(q.params, p.params))
					v = median_of(&s->cases[k], metrics[j], NULL);
				json_decref(q.params);
				if (!isnan(v))
					break;
			}
			cell(b, sizeof(b), v);
			printf(" %16s", s->cases[i].nok || j ? b : "skipped");
		}
		printf("\n");
		json_decref(p.params);
	}
}

static const char *str(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));

	return v ? v : "?";
}

static void hyperfine(const char *dir)
{
	char path[4096];
	json_t *root, *cfgs, *c;
	size_t n = 0, in = 0, i;

	snprintf(path, sizeof(path), "%s/hyperfine.json", dir);
	root = json_load_file(path, 0, NULL);
	if (!root) {
		printf("\nhyperfine cross-check: no %s\n", path);
		return;
	}
	cfgs = json_object_get(root, "configs");
	json_array_foreach(cfgs, i, c) {
		if (strcmp(str(c, "status"), "ok"))
			continue;
		n++;
		in += json_is_true(json_object_get(c, "within_band"));
	}
	printf("\nhyperfine cross-check: %zu of %zu configurations agree with the harness "
	       "within the start-up band%s\n", in, n,
	       in == n ? "" : " (see hyperfine.txt)");
	json_array_foreach(cfgs, i, c)
		if (!json_is_true(json_object_get(c, "within_band")))
			printf("  outside: %s, ratio %.3f\n",
			       str(c, "name"),
			       json_number_value(json_object_get(c, "ratio")));
	json_decref(root);
}

int mb_cmd_digest(int argc, char **argv)
{
	static const char *const storm_b[] = { "storm", "storm", "storm" };
	static const char *const storm_m[] = { "mmap", "munmap", "mmap+munmap" };
	static const char *const fault_b[] = { "fault-read-seq", "fault-write-seq" };
	static const char *const fault_m[] = { "touch", "touch" };
	static const char *const fault_h[] = { "read-seq touch", "write-seq touch" };
	struct cmp_set s;
	char path[4096], err[512], k[256], a[256];
	size_t nok = 0, nnot = 0;
	int icount;

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: " PROG " RESULT-DIR\n"
			"  the digest of DIR/results.json (and DIR/hyperfine.json)\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/results.json", argv[1]);
	if (cmp_load(path, &s, err, sizeof(err))) {
		fprintf(stderr, PROG ": %s\n", err);
		return 2;
	}
	for (size_t i = 0; i < s.ncases; i++) {
		nok += s.cases[i].nok != 0;
		nnot += s.cases[i].nok == 0;
	}
	cmp_strs_join(&s.kernel, k, sizeof(k));
	cmp_strs_join(&s.accel, a, sizeof(a));
	icount = s.clock.n == 1 && !strcmp(s.clock.v[0], "icount");
	printf("digest of %s: %s (%s%s), %zu cases, %zu completed, %zu skipped or failed\n",
	       argv[1], k, a, icount ? ", clock icount" : "", s.ncases, nok, nnot);
	printf("values: medians; %s lower is better, merge rate higher\n",
	       icount ? "instructions (icount)" : "ns");
	merges(&s);
	headline(&s, icount ? "storm, 4k private, one thread, not populated (instructions "
		 "(icount) per op):" : "storm, 4k private, one thread, not populated (ns per op):",
		 storm_b, storm_m, storm_m, 3);
	headline(&s, icount ? "faults, 4k private, one thread (instructions (icount) per fault):" :
		 "faults, 4k private, one thread (ns per fault):", fault_b, fault_m, fault_h, 2);
	hyperfine(argv[1]);
	printf("\nfull summary: %s/summary.txt\nplots:        %s/plots/\n", argv[1], argv[1]);
	cmp_set_free(&s);
	return 0;
}
