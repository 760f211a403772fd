/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmp.h - result sets and their comparison, shared by mmapbench-compare and
 * mmapbench-track.
 *
 * A result set is one or more results.json files (schema mmapbench-results/1), each
 * one run.  cmp_load() takes a file, a directory (every file named results.json under
 * it, symlinked subdirectories not followed) or a comma-separated list of those.
 * Runs are pooled per case: a case is (bench, target, profile, params) and its metrics
 * are matched by name.  Only cases whose status is "ok" contribute samples.
 *
 * What a metric's samples are (struct cmp_metric's stat), per family as
 * docs/harness.md defines the headline: a timing's sample is one sample's mean per
 * op, so that their median is the harness's stats.per_op: a batch's mean as recorded
 * (storm, merge, mprotect); for a metric timed singly (timing "each": faults) the
 * loader takes the mean of each of the file's samples (the case's batch, K single
 * timings in a row) and keeps the single timings beside it as a metric of its own,
 * NAME CMP_FAST_SUFFIX ("touch-fast"), whose median is the fast path (stats.median).
 * Reported values and rates are taken as recorded.  What a file lacks for that is
 * said in the set's notes (older results: no timing, no headline, no batch), never
 * guessed silently.
 *
 * cmp_compare() pairs two sets.  Per matched metric: the median, mean, stddev and
 * CV (stddev as % of the mean) of each side's pooled samples; %change of the medians;
 * the Mann-Whitney test of patched against base samples; the 95 % bootstrap CI of
 * median(patched) / median(base), resampling runs and then samples (cmpstats.h).
 * Significant: p < CMP_ALPHA and the CI excludes 1.
 */
#ifndef MB_CMP_H
#define MB_CMP_H

#include <stdint.h>
#include <stdio.h>

#include "cmpstats.h"

#define CMP_ALPHA	0.05
#define CMP_LEVEL	0.95
#define CMP_MIN_RUNS	6	/* LKP's rule: fewer runs a side get a warning */

struct cmp_strs {		/* distinct strings, in order of first appearance */
	size_t n;
	char **v;
};

#define CMP_FAST_SUFFIX	"-fast"	/* the fast path of a metric timed singly */

enum cmp_stat {
	CMP_ST_VALUE,		/* a reported value or rate, as recorded */
	CMP_ST_PER_OP,		/* a timing: a sample's mean per op; median = stats.per_op */
	CMP_ST_FAST,		/* single-op timings: median = the fast path (stats.median) */
	CMP_ST_RECORDED,	/* a file without metrics[].timing: samples as recorded */
};

/* "per_op", "fast", "value", "as_recorded" */
const char *cmp_stat_name(enum cmp_stat st);

struct cmp_metric {
	char *name, *unit;
	int better;		/* -1 lower is better, +1 higher, 0 none */
	enum cmp_stat stat;	/* what its samples are (of the first run that had it) */
	size_t nruns;		/* runs (files) that have samples of it */
	double **x;		/* x[r][0..n[r]-1]: run r's samples */
	size_t *n;
	size_t last_file;	/* the loader's: which file the last run came from */
};

struct cmp_case {
	char *key;		/* bench, target, profile, params (canonical JSON), tab-separated */
	char *label;		/* "storm anon 4k prv t1" */
	long threads;		/* params.threads; 1 if absent */
	size_t nok, nnot;	/* runs where it completed, runs where it was skipped/failed */
	char *status, *reason;	/* of the first run where it did not complete */
	size_t nmetrics;
	struct cmp_metric *m;
};

struct cmp_set {
	char *spec;		/* as given */
	size_t nfiles;
	char **files;
	struct cmp_strs kernel, accel, clock, counter, cpu, version, date;
	struct cmp_strs aslr;	/* env.randomize_va_space: off (0), on (> 0), ? (absent) */
	struct cmp_strs notes;	/* what files lacked ("PATH: ..."), one line each */
	size_t ncases;
	struct cmp_case *cases;
};

/*
 * Load a set.  0, or -1 with a one-line message in err ("PATH: what is wrong", no
 * program name): unreadable, not JSON, not a results file, no cases, a malformed case
 * or metric, no completed case in the whole set.
 */
int cmp_load(const char *spec, struct cmp_set *s, char *err, size_t errlen);
void cmp_set_free(struct cmp_set *s);

struct cmp_side {
	size_t runs, n;
	double median, mean, stddev, cv;	/* cv: stddev / mean x 100; NaN if mean 0 */
};

struct cmp_row {
	const struct cmp_case *c;		/* the base side's case */
	const struct cmp_metric *m;		/* the base side's metric */
	struct cmp_side base, patched;
	double ratio, change;	/* patched / base median, (ratio - 1) x 100; NaN if base 0 */
	double ci_lo, ci_hi;	/* bootstrap CI of ratio; NaN if none (base median 0) */
	struct mb_mw mw;	/* patched against base: u = #(patched > base) + ties / 2 */
	int significant;
	int verdict;		/* significant and directed: +1 better, -1 worse; else 0 */
	int bimodal;		/* by boot: a side's boot medians fall in two groups */
	int one_clock;		/* by boot and threads > 1: all threads' instructions on one
				 * virtual clock, interleaved: a path length, not a parallel time */
};

struct cmp_unmatched {
	const char *label, *metric;	/* metric NULL: the whole case */
	char why[160];
};

struct cmp_result {
	const struct cmp_set *base, *patched;
	uint64_t seed;
	int by_boot;		/* both sides clock icount: the verdict rests on boot medians */
	size_t nrows, nun, nboth_skipped;
	struct cmp_row *rows;
	struct cmp_unmatched *un;
};

enum cmp_format { CMP_TEXT, CMP_MARKDOWN, CMP_JSON };

/*
 * Clocks (clock.h) may not be mixed: a timing under icount is instructions, under the
 * others ns of different machines.  0 when every run of a and b (b may be NULL) has
 * the same clock ("?" for files that name none counts as one), else 1 with why
 * filled in ("base: icount, patched: tcg").
 */
int cmp_clocks_mixed(const struct cmp_set *a, const struct cmp_set *b, char *why,
		     size_t len);

/*
 * Compare; 0, or -1 (out of memory).  The sets must outlive r.  When every run of
 * both sides has the clock icount, a row's test and verdict are those of
 * mb_boot_verdict() on the runs' medians (one run = one boot), its CI the same.
 */
int cmp_compare(const struct cmp_set *base, const struct cmp_set *patched,
		uint64_t seed, struct cmp_result *r);
void cmp_result_free(struct cmp_result *r);

/* The comparison in a format; text fits 72 columns.  0, or -1 on a write error. */
int cmp_print(FILE *f, const struct cmp_result *r, enum cmp_format fmt);

/* Warnings about the comparison (too few runs, different machines), one per line. */
size_t cmp_warnings(const struct cmp_result *r, char lines[][120], size_t max);

/* All runs' samples of m in one malloc'ed array (unsorted), their number in *np. */
double *cmp_pool(const struct cmp_metric *m, size_t *np);

/* --seed N for both tools: a number in C syntax (decimal, 0x hex, 0 octal), not
 * negative.  0, or -1 when s is not one. */
int cmp_parse_seed(const char *s, uint64_t *seed);

/*
 * What a row's CI covers: "runs" when both sides have >= 2 runs of it, else
 * "samples" (one run on a side: the samples within that run only).
 */
const char *cmp_ci_over(const struct cmp_row *row);

/* "storm anon 4k prv t1: mmap" into buf. */
void cmp_row_name(const struct cmp_row *row, char *buf, size_t len);

/* The strings joined with ", " into buf (truncated, "..." marking it). */
void cmp_strs_join(const struct cmp_strs *s, char *buf, size_t len);

#endif /* MB_CMP_H */
