// SPDX-License-Identifier: GPL-2.0
/*
 * mmapbench-report - the kernel matrix as one table: what the second merge costs.
 *
 *	mmapbench-report [--markdown | --tsv] DIR
 *
 * DIR holds one directory per kernel (scripts/host/matrix: DIR/<abi>/boot<i>/; scripts/host/ab:
 * DIR/base-<abi>/ and DIR/patched-<abi>/), each
 * boot with its results.json, whose "oracle" object (scripts/host/fold-oracle) has
 * scripts/guest/oracle's counts around mapchunks: 16 chunks from one fd (older result
 * sets: the oracle's own files in the boot's oracle/).  Per kernel x target x profile of the `merge`
 * benchmark (MAP_SHARED, ascending):
 *
 *	VMAs      median VMAs left by N chunks (userspace: /proc/self/maps)
 *	merged    chunk mmaps the kernel merged, of 16 (the kernel-side oracle)
 *	tries     vma_merge_new_range calls per chunk mmap (the oracle): 2 is the
 *	          second merge
 *	mmap ns   median per-mmap latency of the pooled samples of all boots, and
 *	          its bootstrap 95 % CI (runs, then samples, resampled)
 *	vs none   median ratio to the same kernel and target with profile none, as
 *	          a % change with its bootstrap 95 % CI: for legacy on a kernel with
 *	          the retry merge, dontdump vs none is the cost of the second merge
 *
 * Lower is better for every latency.  Exit 0, 1 when DIR holds no usable merge
 * case, 2 on bad usage or input.
 */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmp.h"
#include "mmapbench_abi.h"
#include "cmpstats.h"
#include "results.h"
#include "stats.h"

#define B_REPLICATES	2000
#define SEED		0x6d6d6170ULL
#define MAX_KERNELS	8

static const char *const targets[] = { "legacy", "prepare", "secretmem", "memfd" };
static const char *const profiles[] = {
	MMAPBENCH_PROFILE_NONE, MMAPBENCH_PROFILE_DONTDUMP, MMAPBENCH_PROFILE_SPECIAL
};

struct oracle {
	int found;
	long merged, mmaps;
	double tries;		/* merge calls per chunk mmap */
};

static int usage(FILE *f)
{
	fputs("usage: mmapbench-report [--markdown | --tsv] DIR\n"
	      "  DIR: a result set of scripts/host/matrix (one directory per kernel)\n", f);
	return f == stdout ? 0 : 2;
}

static int is_module_target(const char *t)
{
	return !strcmp(t, "legacy") || !strcmp(t, "prepare");
}

/* Field i (0-based) of a tab-separated key equals s. */
static int key_field_is(const char *key, int i, const char *s)
{
	size_t n = strlen(s);

	while (i-- > 0) {
		key = strchr(key, '\t');
		if (!key)
			return 0;
		key++;
	}
	return !strncmp(key, s, n) && (key[n] == '\t' || key[n] == '\0');
}

static const struct cmp_case *find_cell(const struct cmp_set *s, const char *target,
					const char *profile)
{
	for (size_t i = 0; i < s->ncases; i++) {
		const char *k = s->cases[i].key;

		if (key_field_is(k, 0, "merge") && key_field_is(k, 1, target) &&
		    key_field_is(k, 2, profile ? profile : "-") && strstr(k, "\"shared\"") &&
		    s->cases[i].nok > 0)
			return &s->cases[i];
	}
	return NULL;
}

static const struct cmp_metric *metric(const struct cmp_case *c, const char *name)
{
	for (size_t i = 0; c && i < c->nmetrics; i++)
		if (!strcmp(c->m[i].name, name))
			return &c->m[i];
	return NULL;
}

/* All samples of a metric, pooled and sorted; NULL if none. */
static double *pooled(const struct cmp_metric *m, size_t *n)
{
	double *x;

	*n = 0;
	if (!m)
		return NULL;
	x = cmp_pool(m, n);
	if (!*n) {
		free(x);
		return NULL;
	}
	mb_sort(x, *n);
	return x;
}

static double median_of(const struct cmp_metric *m)
{
	size_t n;
	double *x = pooled(m, &n), v = NAN;

	if (x)
		v = mb_quantile(x, n, 0.5);
	free(x);
	return v;
}

/*
 * One boot's oracle counts for name (legacy-dontdump, secretmem, ...): the "oracle"
 * object scripts/host/fold-oracle put into results.json, or, in result sets from before
 * it, the oracle's own oracle/NAME.json.  A borrowed reference to an object with
 * merge_calls_histogram, mmaps and merged, or NULL; *doc is to be json_decref'ed.
 */
static json_t *boot_oracle(const char *bdir, const char *name, json_t **doc)
{
	char path[8192], why[512];
	json_t *o;

	*doc = NULL;
	if (snprintf(path, sizeof(path), "%s/results.json", bdir) >= (int)sizeof(path))
		return NULL;
	*doc = mb_results_load(path, why, sizeof(why));	/* none: the oracle's own file */
	o = json_object_get(json_object_get(json_object_get(*doc, "oracle"), "runs"), name);
	if (o)
		return json_is_null(json_object_get(o, "error")) ? o : NULL;
	json_decref(*doc);
	*doc = NULL;
	if (snprintf(path, sizeof(path), "%s/oracle/%s.json", bdir, name) >= (int)sizeof(path))
		return NULL;
	*doc = json_load_file(path, 0, NULL);
	if (!*doc || !json_is_null(json_object_get(*doc, "error")))
		return NULL;
	return json_object_get(*doc, "per_mmap");
}

/*
 * The oracle's counts for a cell, from the first boot that has them.  tries =
 * (all merge calls - the reservation's one) / (mmaps - the reservation).
 */
static struct oracle read_oracle(const char *kdir, const char *target, const char *profile)
{
	struct oracle o = { 0 };
	char path[8192], name[64];
	struct dirent **boots;
	int nb;

	if (is_module_target(target))
		snprintf(name, sizeof(name), "%s-%s", target, profile);
	else if (!strcmp(target, "secretmem"))
		snprintf(name, sizeof(name), "secretmem");
	else
		return o;
	nb = scandir(kdir, &boots, NULL, versionsort);
	for (int b = 0; b < nb; b++) {
		json_t *doc = NULL, *pm, *h, *v;
		const char *k;
		double calls = 0;

		if (!o.found && boots[b]->d_name[0] != '.' &&
		    snprintf(path, sizeof(path), "%s/%s", kdir, boots[b]->d_name) <
		    (int)sizeof(path)) {
			pm = boot_oracle(path, name, &doc);
			h = json_object_get(pm, "merge_calls_histogram");
			if (json_is_object(h)) {
				json_object_foreach(h, k, v)
					calls += atof(k) * (double)json_integer_value(v);
				o.mmaps = json_integer_value(json_object_get(pm, "mmaps"));
				o.merged = json_integer_value(json_object_get(pm, "merged"));
				o.tries = o.mmaps > 1 ? (calls - 1) / (double)(o.mmaps - 1) : NAN;
				o.found = 1;
			}
			json_decref(doc);
		}
		free(boots[b]);
	}
	if (nb >= 0)
		free(boots);
	return o;
}

/* Runs of a metric as a runset for mb_ratio_ci. */
static struct mb_runset runset(const struct cmp_metric *m)
{
	struct mb_runset rs = { m->nruns, (const double *const *)m->x, m->n };

	return rs;
}

struct out {
	int md, tsv;
	const char *abi;
	double med, lo, hi;	/* of the row being printed, for --tsv */
};

static void row(const struct out *o, const char *cells[], int n)
{
	static const int w[] = { 10, 9, 6, 7, 6, 26, 24 };

	if (o->tsv) {	/* kernel target profile median lo hi: for gnuplot */
		if (n == 7 && !isnan(o->med))
			printf("%s\t%s\t%s\t%.1f\t%.1f\t%.1f\n", o->abi, cells[0], cells[1],
			       o->med, o->lo, o->hi);
		return;
	}
	for (int i = 0; i < n; i++) {
		if (o->md)
			printf("| %s ", cells[i]);
		else
			printf(i < 2 ? "%-*s" : "%*s", w[i] + (i ? 1 : 0), cells[i]);
	}
	printf(o->md ? "|\n" : "\n");
}

static void fmt_ci(char *buf, size_t len, double med, double lo, double hi)
{
	if (isnan(med))
		snprintf(buf, len, "-");
	else if (isnan(lo))
		snprintf(buf, len, "%.0f", med);
	else
		snprintf(buf, len, "%.0f [%.0f, %.0f]", med, lo, hi);
}

/*
 * The second merge on one kernel: where the legacy device's dontdump mmaps take two
 * merge attempts and the new hook's one (the RFC's .mmap_proto on 6.12), legacy
 * against the new hook, both ending in one VMA, measured in the same process with
 * their samples interleaved (the harness sets up cases that differ only in target
 * together).  A line under the kernel's table, or nothing.
 */
static void second_merge(const struct out *o, const struct cmp_set *s, const char *kdir)
{
	const struct cmp_case *l = find_cell(s, "legacy", MMAPBENCH_PROFILE_DONTDUMP);
	const struct cmp_case *p = find_cell(s, "prepare", MMAPBENCH_PROFILE_DONTDUMP);
	const struct cmp_metric *ml = metric(l, "mmap"), *mp = metric(p, "mmap");
	struct oracle ol = read_oracle(kdir, "legacy", MMAPBENCH_PROFILE_DONTDUMP);
	struct oracle op = read_oracle(kdir, "prepare", MMAPBENCH_PROFILE_DONTDUMP);
	struct mb_runset b, q;
	double lo, hi, dl, dp;

	if (o->tsv || !ml || !mp || !ol.found || !op.found ||
	    !(ol.tries > 1.5 && op.tries < 1.5))
		return;
	b = runset(mp);
	q = runset(ml);
	dl = median_of(ml);
	dp = median_of(mp);
	if (mb_ratio_ci(&b, &q, B_REPLICATES, SEED, 0.95, &lo, &hi))
		return;
	printf(o->md ? "\nSecond merge on this kernel: legacy against the new hook, "
	       MMAPBENCH_PROFILE_DONTDUMP " "
	       "(%.2f against %.2f tries, both %.0f VMA), same process, samples interleaved: "
	       "**%+.1f%%** [95%% CI %+.1f, %+.1f], %+.0f %s per mmap (medians)\n" :
	       "second merge: legacy vs new hook, " MMAPBENCH_PROFILE_DONTDUMP
	       " (%.2f vs %.2f tries, both %.0f VMA), "
	       "same process, interleaved: %+.1f%% [%+.1f, %+.1f], %+.0f %s per mmap\n",
	       ol.tries, op.tries, median_of(metric(l, "vmas")), (dl / dp - 1) * 100,
	       (lo - 1) * 100, (hi - 1) * 100, dl - dp, ml->unit ? ml->unit : "ns");
}

/*
 * One row of a kernel's table: target and profile (prof: NULL for a target without
 * profiles), its VMAs, the oracle's merges and tries, the mmap latency and its CI,
 * and the change against ref (the target's first profile, none).  o->med, lo, hi
 * keep the latency for the TSV and the second-merge line.
 */
static void report_cell(struct out *o, const char *kdir, const char *target,
			const char *profile, const char *prof, const struct cmp_case *c,
			const struct cmp_case *ref, int icount)
{
	const struct cmp_metric *lat = metric(c, "mmap");
	struct oracle orc = read_oracle(kdir, target, profile);
	char vm[32], mg[32], tr[32], lt[64], ch[64];
	double med = NAN, lo = NAN, hi = NAN;
	size_t n;
	double *x;

	x = pooled(lat, &n);
	if (x) {
		struct mb_runset rs = runset(lat);

		med = mb_quantile(x, n, 0.5);
		if (icount ? mb_runs_median_ci(&rs, B_REPLICATES, SEED, 0.95, &lo, &hi) :
		    mb_median_ci(x, n, B_REPLICATES, SEED, 0.95, &lo, &hi))
			lo = hi = NAN;
		free(x);
	}
	snprintf(vm, sizeof(vm), "%.0f", median_of(metric(c, "vmas")));
	if (orc.found) {
		snprintf(mg, sizeof(mg), "%ld/%ld", orc.merged, orc.mmaps - 1);
		snprintf(tr, sizeof(tr), "%.2f", orc.tries);
	} else {
		snprintf(mg, sizeof(mg), "-");
		snprintf(tr, sizeof(tr), "-");
	}
	fmt_ci(lt, sizeof(lt), med, lo, hi);
	snprintf(ch, sizeof(ch), "(reference)");
	if (ref && ref != c && lat && metric(ref, "mmap")) {
		struct mb_runset b = runset(metric(ref, "mmap")), q = runset(lat);
		double rlo, rhi, rb = median_of(metric(ref, "mmap"));

		if (!mb_ratio_ci(&b, &q, B_REPLICATES, SEED, 0.95, &rlo, &rhi))
			snprintf(ch, sizeof(ch), "%+.1f%% [%+.1f, %+.1f]",
				 (med / rb - 1) * 100, (rlo - 1) * 100, (rhi - 1) * 100);
		else
			snprintf(ch, sizeof(ch), "-");
	} else if (!prof) {
		snprintf(ch, sizeof(ch), "-");
	}
	o->med = med;
	o->lo = lo;
	o->hi = hi;
	{
		const char *r[] = { target, prof ? prof : "-", vm, mg, tr, lt, ch };

		row(o, r, 7);
	}
}

static int report_kernel(struct out *o, const char *dir, const char *abi)
{
	char kdir[4096], err[512], hdr[600], accel[128], counter[128];
	struct cmp_set s = { 0 };
	int cells = 0, icount;

	snprintf(kdir, sizeof(kdir), "%s/%s", dir, abi);
	if (cmp_load(kdir, &s, err, sizeof(err))) {
		fprintf(stderr, "mmapbench-report: %s\n", err);
		return -1;
	}
	cmp_strs_join(&s.accel, accel, sizeof(accel));
	cmp_strs_join(&s.counter, counter, sizeof(counter));
	/*
	 * Clock icount: the latency is instructions (icount) per mmap, and its CI
	 * resamples whole boots (the samples of one boot hardly vary).
	 */
	icount = s.clock.n == 1 && !strcmp(s.clock.v[0], "icount");
	snprintf(hdr, sizeof(hdr), "%s: %zu boot(s), accelerator %s, counter %s%s", abi,
		 s.nfiles, accel, counter, icount ? ", clock icount: instructions (icount) "
		 "per mmap, CI over boots" : "");
	o->abi = abi;
	o->med = NAN;
	if (!o->tsv)
		printf(o->md ? "\n**%s**\n\n" : "\n%s\n", hdr);
	{
		const char *h[] = { "target", "profile", "VMAs", "merged", "tries",
				    icount ? "mmap insn median [95% CI]" : "mmap ns median [95% CI]",
				    "vs none [95% CI]" };

		row(o, h, 7);
		if (o->md)
			printf("|---|---|---:|---:|---:|---:|---:|\n");
	}
	for (size_t t = 0; t < sizeof(targets) / sizeof(targets[0]); t++) {
		const struct cmp_case *ref = NULL;

		for (size_t p = 0; p < sizeof(profiles) / sizeof(profiles[0]); p++) {
			const char *prof = is_module_target(targets[t]) ? profiles[p] : NULL;
			const struct cmp_case *c = find_cell(&s, targets[t], prof);

			if (!prof && p > 0)
				break;
			if (!c) {
				if (!strcmp(targets[t], "prepare") && p == 0 && !o->tsv)
					printf(o->md ? "| prepare | (no new hook on this kernel) |||||\n" :
					       "prepare   (no new hook on this kernel)\n");
				if (!strcmp(targets[t], "prepare"))
					break;
				continue;
			}
			cells++;
			if (p == 0)
				ref = c;
			report_cell(o, kdir, targets[t], profiles[p], prof, c, ref, icount);
		}
	}
	second_merge(o, &s, kdir);
	cmp_set_free(&s);
	return cells;
}

/*
 * The header: what the merge case mapped and what the oracle counted, read from
 * the first kernel's data (the legacy/none cell's parameters and oracle), never
 * assumed.  "?" for what the files do not say.
 */
static void header(const char *dir, const char *abi)
{
	char kdir[4096], err[512], chunks[32] = "?", size[32] = "?", flags[32] = "?", ochunks[32] = "?";
	struct cmp_set s = { 0 };
	const struct cmp_case *c;
	struct oracle orc;

	snprintf(kdir, sizeof(kdir), "%s/%s", dir, abi);
	if (!cmp_load(kdir, &s, err, sizeof(err)) &&
	    (c = find_cell(&s, "legacy", MMAPBENCH_PROFILE_NONE))) {
		const char *pj = c->key;
		json_t *par;

		for (int i = 0; i < 3 && pj; i++)
			pj = strchr(pj, '\t') ? strchr(pj, '\t') + 1 : NULL;
		par = pj ? json_loads(pj, 0, NULL) : NULL;
		if (json_is_integer(json_object_get(par, "count")))
			snprintf(chunks, sizeof(chunks), "%lld",
				 (long long)json_integer_value(json_object_get(par, "count")));
		if (json_is_integer(json_object_get(par, "size")))
			snprintf(size, sizeof(size), "%lld KiB",
				 (long long)json_integer_value(json_object_get(par, "size")) / 1024);
		if (json_is_string(json_object_get(par, "flags")))
			snprintf(flags, sizeof(flags), "MAP_%s", json_string_value(json_object_get(par, "flags")));
		for (char *f = flags + 4; *f; f++)
			*f = (char)(*f >= 'a' && *f <= 'z' ? *f - 'a' + 'A' : *f);
		json_decref(par);
	}
	cmp_set_free(&s);
	orc = read_oracle(kdir, "legacy", MMAPBENCH_PROFILE_NONE);
	if (orc.found && orc.mmaps > 1)
		snprintf(ochunks, sizeof(ochunks), "%ld", orc.mmaps - 1);
	printf("merge: %s chunks of %s from one fd, %s, ascending; lower is better\n"
	       "VMAs: left by the %s chunks (median); merged, tries: the kernel's own\n"
	       "count of merges and vma_merge_new_range calls per chunk mmap (kprobes,\n"
	       "%s chunks); CIs: bootstrap 95 %% of the median (boots pooled; runs, then\n"
	       "samples, resampled)\n", chunks, size, flags, chunks, ochunks);
}

/*
 * A kernel's directory: a Debian ABI (7.3.4+deb13), a kernel tree's id (tree-<hex>,
 * KERNEL=<tree>), or a side of scripts/host/ab (base-<abi>, patched-<abi>).
 */
static int is_kernel_dir(const struct dirent *d)
{
	static const char *const prefixes[] = { "tree-", "base-", "patched-" };

	if (d->d_name[0] >= '0' && d->d_name[0] <= '9')
		return 1;
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(d->d_name, prefixes[i], strlen(prefixes[i])))
			return 1;
	return 0;
}

int mb_cmd_report(int argc, char **argv)
{
	struct out o = { 0 };
	struct dirent **k;
	const char *dir = NULL;
	int nk, total = 0, bad = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--markdown"))
			o.md = 1;
		else if (!strcmp(argv[i], "--tsv"))
			o.tsv = 1;
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return usage(stdout);
		else if (argv[i][0] == '-' || dir)
			return usage(stderr);
		else
			dir = argv[i];
	}
	if (!dir)
		return usage(stderr);
	nk = scandir(dir, &k, is_kernel_dir, versionsort);
	if (nk < 0) {
		fprintf(stderr, "mmapbench-report: %s: %s\n", dir, strerror(errno));
		return 2;
	}
	if (nk == 0 || nk > MAX_KERNELS) {
		fprintf(stderr, "mmapbench-report: %s: %d kernel directories (want 1..%d)\n", dir,
			nk, MAX_KERNELS);
		return 2;
	}
	if (o.md && o.tsv)
		return usage(stderr);
	if (!o.tsv)
		header(dir, k[0]->d_name);
	for (int i = 0; i < nk; i++) {
		int c = report_kernel(&o, dir, k[i]->d_name);

		if (c < 0)
			bad = 1;
		else
			total += c;
		free(k[i]);
	}
	free(k);
	if (bad)
		return 2;
	return total ? 0 : 1;
}
