// SPDX-License-Identifier: GPL-2.0
/*
 * hfcheck.c - mmapbench-hfcheck: the harness's per-op figure against whole processes
 * timed by hyperfine (scripts/guest/hyperfine-check is the glue; the arithmetic is in
 * hfratio.c).
 *
 *	mmapbench-hfcheck k [--factor F] HARNESS PILOT
 *	mmapbench-hfcheck report [-o FILE] [--hyperfine-version STR] DIR...
 *
 * HARNESS: `mmapbench run -o` of one case; its first metric's median is the per-op
 * figure m.  PILOT: hyperfine's --export-json of `mmapbench run ... --ops 0`.  A DIR
 * is one configuration: DIR/harness.json and DIR/hyperfine.json (hyperfine -L ops
 * 0,K: two results told apart by their "ops" parameter), or DIR/skipped (a line: why
 * it could not run).  t() are hyperfine's medians.
 *
 * Exit: 0 done (ratios outside the band are flagged, not failures), 1 an input is
 * unusable (the message names it) or the output cannot be written, 2 usage.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "hfratio.h"
#include "results.h"
#include "schemas.h"

#define PROG		"mmapbench-hfcheck"
#define MAX_K		1000000000ull	/* mmapbench run --ops's range */
#define DEFAULT_FACTOR	10.0

#ifndef MB_VERSION
#define MB_VERSION "unknown"
#endif

static const char *const env_keys[] = {
	"kernel_release", "kernel_version", "machine", "accel", "cpu_model", "ncpus",
	"counter", "date",
};

static const char *const case_keys[] = { "bench", "target", "profile", "params" };

static void usage(FILE *f)
{
	fprintf(f,
"Usage: " PROG " k [--factor F] HARNESS PILOT\n"
"       " PROG " report [-o FILE] [--hyperfine-version STR] DIR...\n"
"\n"
"The hyperfine cross-check: the harness's per-op median m of a case against the\n"
"same case run as whole processes, `mmapbench run ... --ops K` and `--ops 0`,\n"
"timed by hyperfine (t: hyperfine's median wall time):\n"
"    ratio = (t(K) - t(0)) / (K x m)\n"
"The two agree within the process start-up cost when |t(K) - t(0) - K m| <= t(0):\n"
"a ratio in the band 1 -+ t(0) / (K m).  Outside it, the configuration is flagged.\n"
"The same ratio from the processes' mean user + system time is reported beside it\n"
"(cpu): wall time counts time spent preempted, which the harness's median omits.\n"
"\n"
"k: the K for a configuration: F x t(0) / m (default F %g) rounded up to two\n"
"   significant digits, from HARNESS (mmapbench run -o, one case) and PILOT (hyperfine's JSON\n"
"   of the --ops 0 process).\n"
"report: one JSON (schema " MB_SCHEMA_HYPERFINE ") of every DIR, a table on stdout.\n"
"   DIR/harness.json and DIR/hyperfine.json (hyperfine -L ops 0,K), or DIR/skipped.\n"
"\n"
"Exit status: 0 done (whatever the ratios), 1 an unusable input or an unwritable\n"
"output, 2 usage error.\n", DEFAULT_FACTOR);
}

static char errbuf[512];

static int __attribute__((format(printf, 1, 2))) bad(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errbuf, sizeof(errbuf), fmt, ap);
	va_end(ap);
	return -1;
}

static json_t *load(const char *path)
{
	json_error_t e;
	/* a key given twice is a file nobody can read one way: refuse it */
	json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &e);

	if (!j)
		bad("%s: %s%s", path, access(path, R_OK) ? "cannot read: " : "not JSON: ",
		    access(path, R_OK) ? strerror(errno) : e.text);
	return j;
}

/* A finite number, integer or real; NaN otherwise. */
static double num(const json_t *v)
{
	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* ---- the harness's results file ---- */

struct harness {
	json_t *root;
	json_t *cs;		/* the case */
	const char *status, *reason, *metric;
	int insn;		/* unit insn (clock icount): per-op figures are instructions */
	double median, lo, hi;
	long long n, batch;	/* samples; ops per sample (K of the harness) */
};

/* 0 ok, 1 the case was skipped or failed (h->status, h->reason), -1 unusable. */
static int harness_read(const char *path, struct harness *h)
{
	json_t *cases, *m, *st;

	char why[512];

	memset(h, 0, sizeof(*h));
	h->root = mb_results_load(path, why, sizeof(why));
	if (!h->root)
		return bad("%s: %s", path, why);
	cases = json_object_get(h->root, "cases");
	if (json_array_size(cases) != 1)
		return bad("%s: wants exactly one case, has %zu", path, json_array_size(cases));
	h->cs = json_array_get(cases, 0);
	h->status = json_string_value(json_object_get(h->cs, "status"));
	if (!h->status)
		return bad("%s: the case has no status", path);
	if (strcmp(h->status, "ok")) {
		h->reason = json_string_value(json_object_get(h->cs, "reason"));
		return 1;
	}
	m = json_array_get(json_object_get(h->cs, "metrics"), 0);
	st = json_object_get(m, "stats");
	h->metric = json_string_value(json_object_get(m, "name"));
	h->insn = json_is_string(json_object_get(m, "unit")) &&
		  !strcmp(json_string_value(json_object_get(m, "unit")), "insn");
	/* insn: under icount, hyperfine's clock is the guest's, 1 ns per instruction */
	if (!h->metric || !json_is_string(json_object_get(m, "unit")) ||
	    (strcmp(json_string_value(json_object_get(m, "unit")), "ns") && !h->insn) ||
	    !json_is_string(json_object_get(m, "timing")) ||
	    strcmp(json_string_value(json_object_get(m, "timing")), "batch"))
		return bad("%s: the case's first metric is not a batched ns- or insn-per-op metric",
			   path);
	h->median = num(json_object_get(st, "median"));
	h->lo = num(json_object_get(st, "ci95_lo"));
	h->hi = num(json_object_get(st, "ci95_hi"));
	h->n = json_integer_value(json_object_get(st, "n"));
	h->batch = json_integer_value(json_object_get(m, "batch"));
	if (!(h->median > 0) || !isfinite(h->median))
		return bad("%s: metric '%s' has no positive median", path, h->metric);
	if (!json_is_integer(json_object_get(st, "n")) || h->n < 1 ||
	    !json_is_integer(json_object_get(m, "batch")) || h->batch < 1)
		return bad("%s: metric '%s' has no sample count or batch size (positive integers)",
			   path, h->metric);
	if (!(h->lo <= h->median && h->median <= h->hi))
		return bad("%s: metric '%s': its CI [%g, %g] does not hold its median %g",
			   path, h->metric, h->lo, h->hi, h->median);
	return 0;
}

/* ---- hyperfine's --export-json ---- */

struct hf_run {
	const json_t *res;	/* the result object */
	const char *command;
	double median, mean, stddev, min, max;
	double cpu;		/* mean user + system time, s */
	size_t runs;
	uint64_t ops;
};

static int hf_result(const char *path, const json_t *res, struct hf_run *r)
{
	const json_t *codes = json_object_get(res, "exit_codes"), *v;
	const char *ops = json_string_value(json_object_get(json_object_get(res,
							     "parameters"), "ops"));
	size_t i;
	char *end;

	memset(r, 0, sizeof(*r));
	r->res = res;
	r->command = json_string_value(json_object_get(res, "command"));
	r->median = num(json_object_get(res, "median"));
	r->mean = num(json_object_get(res, "mean"));
	r->stddev = num(json_object_get(res, "stddev"));
	r->min = num(json_object_get(res, "min"));
	r->max = num(json_object_get(res, "max"));
	r->cpu = num(json_object_get(res, "user")) + num(json_object_get(res, "system"));
	r->runs = json_array_size(json_object_get(res, "times"));
	if (!r->command || !isfinite(r->median) || r->median < 0 || !r->runs ||
	    !isfinite(r->cpu) || r->cpu < 0)
		return bad("%s: a result without command, median, user, system or times",
			   path);
	json_array_foreach(codes, i, v)
		if (!json_is_integer(v) || json_integer_value(v))
			return bad("%s: '%s' exited with status %s in run %zu", path,
				   r->command, json_is_integer(v) ? "non-zero" : "null",
				   i + 1);
	if (ops) {
		errno = 0;
		r->ops = strtoull(ops, &end, 10);
		if (errno || end == ops || *end || ops[0] == '-')
			return bad("%s: parameter ops '%s' is not a count", path, ops);
	}
	return 0;
}

/* The results of a hyperfine file: n (1 or 2), into r[]; 0 or -1. */
static int hf_read(const char *path, json_t **root, struct hf_run *r, size_t n)
{
	const json_t *res;

	*root = load(path);
	if (!*root)
		return -1;
	res = json_object_get(*root, "results");
	if (!json_is_array(res) || json_array_size(res) != n)
		return bad("%s: wants %zu hyperfine result%s, has %zu", path, n,
			   n == 1 ? "" : "s", json_is_array(res) ? json_array_size(res) : 0);
	for (size_t i = 0; i < n; i++)
		if (hf_result(path, json_array_get(res, i), &r[i]))
			return -1;
	return 0;
}

/* ---- k ---- */

static int cmd_k(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "factor", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	double factor = DEFAULT_FACTOR;
	struct harness h;
	struct hf_run pilot;
	json_t *proot = NULL;
	uint64_t k = 0;	/* set when rc is 0 */
	char *end;
	int c, rc;

	opterr = 0;
	optind = 2;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			factor = strtod(optarg, &end);
			if (end == optarg || *end || !(factor >= 1 && factor <= 1e6))
				return mb_usage_error(PROG,
						      "--factor: '%s' is not a number in 1..1e6",
						      optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			return mb_usage_getopt(PROG, c, argv);
		}
	}
	if (argc - optind != 2)
		return mb_usage_error(PROG, "k wants HARNESS and PILOT");
	rc = harness_read(argv[optind], &h);
	if (rc == 1)
		bad("%s: the case did not run (%s: %s)", argv[optind], h.status,
		    h.reason ? h.reason : "no reason given");
	if (!rc)
		rc = hf_read(argv[optind + 1], &proot, &pilot, 1);
	if (!rc && !(k = hf_pick_k(pilot.median, h.median, factor, MAX_K)))
		rc = bad("%s: start-up median %g s gives no K", argv[optind + 1],
			 pilot.median);
	json_decref(h.root);
	json_decref(proot);
	if (rc) {
		fprintf(stderr, PROG ": %s\n", errbuf);
		return 1;
	}
	printf("%llu\n", (unsigned long long)k);
	return 0;
}

/* ---- report ---- */

static json_t *times_obj(const struct hf_run *r)
{
	return json_pack("{s:f, s:f, s:f, s:f, s:f, s:f, s:I}", "median_s", r->median,
			 "mean_s", r->mean, "stddev_s", isfinite(r->stddev) ? r->stddev : 0.0,
			 "min_s", r->min, "max_s", r->max, "cpu_mean_s", r->cpu,
			 "runs", (json_int_t)r->runs);
}

static void copy_key(json_t *to, const json_t *from, const char *key)
{
	json_t *v = json_object_get(from, key);

	json_object_set_new(to, key, v ? json_deep_copy(v) : json_null());
}

static const char *base_name(const char *dir)
{
	size_t n = strlen(dir);
	static char buf[256];
	const char *s;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	s = dir + n;
	while (s > dir && s[-1] != '/')
		s--;
	snprintf(buf, sizeof(buf), "%.*s", (int)(dir + n - s), s);
	return buf;
}

struct row {
	char name[256];
	int ok;
	uint64_t k;
	double t0, tk, m, harness_lo, harness_hi;
	struct hf_ratio r;
	struct hf_ratio cpu;	/* the same from user + system time */
	int have_cpu;
	int insn;		/* icount: ns are guest instructions */
	char why[256];
};

/* One DIR: its JSON entry into cfgs, its row; env from the first harness file.
 * 0, or -1 with the message in errbuf. */
/* DIR/skipped (the check could not run there): 1 with its reason in row and e, else 0. */
static int skipped(const char *dir, struct row *row, json_t *e)
{
	char path[4096], line[256] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/skipped", dir);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	snprintf(row->why, sizeof(row->why), "%s", line[0] ? line : "(no reason)");
	json_object_set_new(e, "status", json_string("skipped"));
	json_object_set_new(e, "reason", json_string(row->why));
	return 1;
}

/* A configuration's numbers into its JSON object e: the harness's, hyperfine's, the ratios. */
static void config_json(json_t *e, const struct row *row, const struct harness *h,
			const struct hf_run *z, const struct hf_run *k)
{
	json_object_set_new(e, "metric", json_string(h->metric));
	json_object_set_new(e, "unit", json_string(h->insn ? "insn" : "ns"));
	json_object_set_new(e, "k", json_integer((json_int_t)k->ops));
	json_object_set_new(e, "harness", json_pack("{s:f, s:f, s:f, s:I, s:I, s:s}",
		"median_ns", h->median, "ci95_lo_ns", h->lo, "ci95_hi_ns", h->hi,
		"n", (json_int_t)h->n, "batch", (json_int_t)h->batch, "file", "harness.json"));
	json_object_set_new(e, "process", json_pack("{s:s, s:o, s:o, s:s}",
		"command", k->command, "startup", times_obj(z), "ops", times_obj(k),
		"file", "hyperfine.json"));
	json_object_set_new(e, "process_per_op_ns", json_real(row->r.per_op_ns));
	json_object_set_new(e, "ratio", json_real(row->r.ratio));
	json_object_set_new(e, "band", json_pack("[f, f]", row->r.lo, row->r.hi));
	json_object_set_new(e, "within_band", json_boolean(row->r.within));
	json_object_set_new(e, "startup_share", json_real(row->tk > 0 ? row->t0 / row->tk : 0));
	json_object_set_new(e, "cpu", !row->have_cpu ? json_null() :
		json_pack("{s:f, s:[f, f], s:b}", "ratio", row->cpu.ratio,
			  "band", row->cpu.lo, row->cpu.hi, "within_band", row->cpu.within));
}

static int report_dir(const char *dir, json_t *cfgs, json_t *env, struct row *row)
{
	char path[4096];
	struct harness h = { 0 };
	struct hf_run runs[2], *z, *k;
	json_t *hroot = NULL, *e;
	int rc;

	memset(row, 0, sizeof(*row));
	snprintf(row->name, sizeof(row->name), "%s", base_name(dir));
	e = json_pack("{s:s, s:s}", "name", row->name, "dir", dir);
	json_array_append_new(cfgs, e);
	if (skipped(dir, row, e))
		return 0;
	snprintf(path, sizeof(path), "%s/harness.json", dir);
	rc = harness_read(path, &h);
	if (rc < 0)
		goto out;
	if (!json_object_size(env)) {
		const json_t *he = json_object_get(h.root, "env");

		for (size_t i = 0; i < sizeof(env_keys) / sizeof(env_keys[0]); i++)
			copy_key(env, he, env_keys[i]);
	}
	json_object_set_new(e, "status", json_string(h.status));
	for (size_t i = 0; i < sizeof(case_keys) / sizeof(case_keys[0]); i++)
		copy_key(e, h.cs, case_keys[i]);
	if (rc) {
		snprintf(row->why, sizeof(row->why), "the harness: %s: %s", h.status,
			 h.reason ? h.reason : "no reason given");
		json_object_set_new(e, "reason", json_string(row->why));
		rc = 0;
		goto out;
	}
	snprintf(path, sizeof(path), "%s/hyperfine.json", dir);
	rc = hf_read(path, &hroot, runs, 2);
	if (rc)
		goto out;
	z = runs[0].ops == 0 ? &runs[0] : &runs[1];
	k = z == &runs[0] ? &runs[1] : &runs[0];
	if (z->ops != 0 || k->ops == 0) {
		rc = bad("%s: wants one result with parameter ops 0 and one with ops K > 0",
			 path);
		goto out;
	}
	if (hf_ratio(k->median, z->median, k->ops, h.median, &row->r)) {
		rc = bad("%s: medians t(K) = %g s, t(0) = %g s give no ratio", path,
			 k->median, z->median);
		goto out;
	}
	row->have_cpu = !hf_ratio(k->cpu, z->cpu, k->ops, h.median, &row->cpu);
	row->ok = 1;
	row->k = k->ops;
	row->insn = h.insn;
	row->t0 = z->median;
	row->tk = k->median;
	row->m = h.median;
	config_json(e, row, &h, z, k);
out:
	json_decref(h.root);
	json_decref(hroot);
	return rc;
}

static void print_table(FILE *f, const struct row *rows, size_t n)
{
	fprintf(f, "hyperfine cross-check: ratio = (t(K) - t(0)) / (K x harness per-op "
		"median),\nt = hyperfine's median process time; band: agreement within "
		"the start-up cost t(0);\nCPU RATIO: the same from hyperfine's mean user + "
		"system time (blind to preemption)\n");
	for (size_t i = 0; i < n; i++) {
		if (rows[i].ok && rows[i].insn) {
			fprintf(f, "clock icount: ns are instructions (icount) and ms 10^6 "
				"instructions, on both sides\n");
			break;
		}
	}
	fputc('\n', f);
	fprintf(f, "%-22s %10s %9s %10s %10s %10s %7s  %-15s %-7s  %s\n", "CONFIG", "K",
		"t(0) ms", "t(K) ms", "proc ns/op", "harn ns/op", "RATIO", "BAND", "",
		"CPU RATIO");
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		char band[32];

		if (!r->ok) {
			fprintf(f, "%-22s skipped: %s\n", r->name, r->why);
			continue;
		}
		snprintf(band, sizeof(band), "[%.3f, %.3f]", r->r.lo, r->r.hi);
		fprintf(f, "%-22s %10llu %9.3f %10.3f %10.1f %10.1f %7.3f  %-15s %-7s  ",
			r->name, (unsigned long long)r->k, r->t0 * 1e3, r->tk * 1e3,
			r->r.per_op_ns, r->m, r->r.ratio, band,
			r->r.within ? "ok" : "OUTSIDE");
		if (r->have_cpu)
			fprintf(f, "%.3f\n", r->cpu.ratio);
		else
			fprintf(f, "-\n");
	}
}

/* The report to OUT (written, then renamed) or stdout; 0, or 1 when it cannot be. */
static int write_report(json_t *root, const char *out)
{
	char tmp[4096];

	if (!out)
		return json_dumpf(root, stdout, JSON_INDENT(2)) || putchar('\n') == EOF;
	snprintf(tmp, sizeof(tmp), "%s.tmp", out);
	if (json_dump_file(root, tmp, JSON_INDENT(2)) || rename(tmp, out)) {
		fprintf(stderr, PROG ": cannot write %s: %s\n", out, strerror(errno));
		unlink(tmp);
		return 1;
	}
	return 0;
}

/* The report's top level (its env and configs are moved into it); NULL out of memory. */
static json_t *report_root(const char *hfv, json_t *env, json_t *cfgs, size_t outside)
{
	return json_pack("{s:s, s:{s:s, s:s}, s:{s:s?}, s:o, s:s, s:o, s:I}",
		"schema", MB_SCHEMA_HYPERFINE,
		"tool", "name", PROG, "version", MB_VERSION,
		"hyperfine", "version", hfv,
		"env", env,
		"definition", "ratio = (t(K) - t(0)) / (K x m): t = hyperfine's median wall "
		"time of `mmapbench run ... --ops K` (K ops of the case's first step) and "
		"`--ops 0` (start-up: exec, set-up, target open, exit); m = the harness's "
		"median per op of the same case. band = 1 -+ t(0) / (K m): the two agree "
		"within the process start-up cost. cpu: the same from hyperfine's mean "
		"user + system time of the processes (time spent preempted excluded)",
		"configs", cfgs,
		"outside_band", (json_int_t)outside);
}

static int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "hyperfine-version", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *hfv = NULL;
	json_t *root, *cfgs, *env;
	struct row *rows;
	size_t n, outside = 0;
	int c, rc = 0;

	opterr = 0;
	optind = 2;
	while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (!*optarg)
				return mb_usage_error(PROG, "-o: empty path");
			out = optarg;
			break;
		case 'H': hfv = optarg; break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			return mb_usage_getopt(PROG, c, argv);
		}
	}
	if (optind >= argc)
		return mb_usage_error(PROG, "report wants at least one DIR");
	n = (size_t)(argc - optind);
	rows = calloc(n, sizeof(*rows));
	cfgs = json_array();
	env = json_object();
	if (!rows || !cfgs || !env) {
		fprintf(stderr, PROG ": out of memory\n");
		return 1;
	}
	for (size_t i = 0; i < n && !rc; i++)
		rc = report_dir(argv[optind + (int)i], cfgs, env, &rows[i]);
	if (rc) {
		fprintf(stderr, PROG ": %s\n", errbuf);
		json_decref(cfgs);
		json_decref(env);
		free(rows);
		return 1;
	}
	for (size_t i = 0; i < n; i++)
		outside += rows[i].ok && !rows[i].r.within;
	root = report_root(hfv, env, cfgs, outside);
	if (!root) {
		fprintf(stderr, PROG ": out of memory\n");
		free(rows);
		return 1;
	}
	rc = write_report(root, out);
	print_table(out ? stdout : stderr, rows, n);
	for (size_t i = 0; i < n; i++)
		if (rows[i].ok && !rows[i].r.within)
			fprintf(stderr, PROG ": %s: ratio %.3f is outside the band [%.3f, "
				"%.3f] (agreement within the start-up cost)\n", rows[i].name,
				rows[i].r.ratio, rows[i].r.lo, rows[i].r.hi);
	json_decref(root);
	free(rows);
	return rc;
}

int mb_cmd_hfcheck(int argc, char **argv)
{
	if (argc < 2)
		return mb_usage_error(PROG, "missing command (k or report)");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		return mb_print_version(PROG);
	}
	if (!strcmp(argv[1], "k"))
		return cmd_k(argc, argv);
	if (!strcmp(argv[1], "report"))
		return cmd_report(argc, argv);
	return mb_usage_error(PROG, "unknown command '%s' (k or report)", argv[1]);
}
