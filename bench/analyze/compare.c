// SPDX-License-Identifier: GPL-2.0
/*
 * compare.c - mmapbench-compare BASE PATCHED: an LKP-style comparison of two result
 * sets.  The work is in cmp.c; this is the command line.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmp.h"
#include "schemas.h"

#define PROG	"mmapbench-compare"

static void usage(FILE *f)
{
	fprintf(f,
"Usage: " PROG " [OPTION]... BASE PATCHED\n"
"\n"
"Compare two sets of mmapbench results, LKP-style: one row per metric of every\n"
"case the sets share,\n"
"    base  \u00b1sd%%  %%change  patched  \u00b1sd%%  metric\n"
"base and patched are medians of the samples of all runs of a set, pooled.  A\n"
"timing's sample is one sample's mean per op (a batch's, or the mean of the K ops\n"
"of a sample timed one by one, as faults are), so the figure is the harness's\n"
"headline, stats.per_op (docs/harness.md); a metric timed one by one also gets a\n"
"row NAME" CMP_FAST_SUFFIX " (\"touch" CMP_FAST_SUFFIX "\") of its single timings, whose median is the\n"
"fast path; counts and rates are taken as recorded.  What an older file lacks\n"
"for this (no metrics[].timing or headline) is said in a NOTE.  \u00b1sd%%\n"
"is the sample stddev as %% of the mean (shown from 2 %%); * marks a significant\n"
"change: two-sided Mann-Whitney U p < 0.05 (exact up to %d samples a side, else\n"
"normal with tie correction) and the 95 %% bootstrap CI of patched/base (runs,\n"
"then samples resampled: with one run a side, the samples within that run only)\n"
"excluding 1.  Cases match on bench, target, profile and\n"
"params, metrics on name; the rest is listed at the end.\n"
"\n"
"BASE and PATCHED: a results.json file, a directory (every results.json under it,\n"
"recursively), or a comma-separated list of those.  Each file is one run.\n"
"\n"
"Options:\n"
"      --markdown   a Markdown table (p and the CI included)\n"
"      --json       JSON (schema " MB_SCHEMA_COMPARE "), every number\n"
"      --seed N     bootstrap seed (default 1): same data and seed, same output\n"
"  -h, --help       this help\n"
"  -V, --version    the version\n"
"\n"
"      --mixed-clocks  compare runs of different clocks (env.clock: icount, tcg,\n"
"                   kvm, bare) all the same; refused by default\n"
"\n"
"Fewer than %d runs a side gets a warning (stderr and the header), as in LKP.\n"
"Clock icount (both sides): timings are instructions (icount), a run is a boot, and\n"
"the verdict rests on the boots' medians: exact Mann-Whitney p < %.2g on them, a\n"
"change of at least %.1f %%, and the CI excluding 1; this needs %d boots a side.\n"
"Exit status: 0 compared (whatever the result), 2 usage error, an unreadable\n"
"or invalid input (the message names the file), or clocks mixed.\n",
		MB_MW_EXACT_MAX, CMP_MIN_RUNS, MB_BOOT_ALPHA, MB_BOOT_MIN_CHANGE, MB_BOOT_MIN_RUNS);
}

/* Both sides, refused (2, said why) when unreadable or (without mixed_ok) when their
 * clocks differ; 0 with both to be freed. */
static int load_sides(const char *b, const char *p, struct cmp_set *base,
		      struct cmp_set *patched, int mixed_ok)
{
	char err[1024];

	if (cmp_load(b, base, err, sizeof(err))) {
		fprintf(stderr, PROG ": %s\n", err);
		cmp_set_free(base);
		return 2;
	}
	if (cmp_load(p, patched, err, sizeof(err))) {
		fprintf(stderr, PROG ": %s\n", err);
		cmp_set_free(base);
		cmp_set_free(patched);
		return 2;
	}
	if (cmp_clocks_mixed(base, patched, err, sizeof(err))) {
		fprintf(stderr, PROG ": %s the clocks differ (%s): a timing under icount "
			"is instructions, under tcg, kvm or bare ns of a different machine, so "
			"the rows would compare different units%s\n", mixed_ok ? "warning:" :
			"refused:", err, mixed_ok ? "" : " (--mixed-clocks to compare anyway)");
		if (!mixed_ok) {
			cmp_set_free(base);
			cmp_set_free(patched);
			return 2;
		}
	}
	return 0;
}

int mb_cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "markdown", no_argument, NULL, 'm' },
		{ "json", no_argument, NULL, 'j' },
		{ "seed", required_argument, NULL, 's' },
		{ "mixed-clocks", no_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	enum cmp_format fmt = CMP_TEXT;
	struct cmp_set base, patched;
	struct cmp_result r;
	char w[8][120];
	uint64_t seed = 1;
	size_t nw;
	int c, rc, mixed_ok = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hV", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			fmt = CMP_MARKDOWN;
			break;
		case 'j':
			fmt = CMP_JSON;
			break;
		case 'x':
			mixed_ok = 1;
			break;
		case 's':
			if (cmp_parse_seed(optarg, &seed))
				return mb_usage_error(PROG, "--seed: '%s' is not a number", optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			return mb_print_version(PROG);
		default:
			return mb_usage_getopt(PROG, c, argv);
		}
	}
	if (argc - optind != 2)
		return mb_usage_error(PROG, "%s", argc - optind < 2 ? "needs BASE and PATCHED" :
				      "too many arguments (lists are comma-separated)");
	if (load_sides(argv[optind], argv[optind + 1], &base, &patched, mixed_ok))
		return 2;
	cmp_compare(&base, &patched, seed, &r);
	nw = cmp_warnings(&r, w, 8);
	for (size_t i = 0; i < nw; i++)
		fprintf(stderr, PROG ": warning: %s\n", w[i]);
	rc = cmp_print(stdout, &r, fmt) ? 2 : 0;
	if (rc)
		fprintf(stderr, PROG ": cannot write the output: %s\n", strerror(errno));
	cmp_result_free(&r);
	cmp_set_free(&base);
	cmp_set_free(&patched);
	return rc;
}
