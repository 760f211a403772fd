// SPDX-License-Identifier: GPL-2.0
/*
 * output.c - the results file (schema mmapbench-results/1) and the summary table.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "clock.h"
#include "harness.h"
#include "json.h"
#include "schemas.h"

#ifndef MB_VERSION
#define MB_VERSION "unknown"
#endif

const char *mb_status_name(enum mb_status s)
{
	switch (s) {
	case MB_ST_OK: return "ok";
	case MB_ST_SKIPPED: return "skipped";
	case MB_ST_FAILED: return "failed";
	default: return "failed";
	}
}

static const char *better_name(enum mb_better b)
{
	return b == MB_LOWER ? "lower" : b == MB_HIGHER ? "higher" : "none";
}

static void cpu_model(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	char line[512];

	buf[0] = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		/* x86 "model name", arm64 has none: fall back to "CPU part"/"Hardware" */
		if (!strncmp(line, "model name", 10) || !strncmp(line, "Hardware", 8) ||
		    (!buf[0] && !strncmp(line, "cpu model", 9))) {
			char *v = strchr(line, ':');

			if (!v)
				continue;
			v++;
			v += strspn(v, " \t");
			v[strcspn(v, "\n")] = 0;
			snprintf(buf, len, "%s", v);
			if (!strncmp(line, "model name", 10))
				break;
		}
	}
	fclose(f);
}

static void write_stats(struct jw *j, const struct mb_metric *m)
{
	const struct mb_stats *s = &m->st;

	jw_key(j, "stats");
	if (m->st_err) {
		jw_null(j);
		return;
	}
	jw_begin_object(j);
	jw_kv_int(j, "n", (long long)s->n);
	jw_kv_double(j, "min", s->min);
	jw_kv_double(j, "median", s->median);
	jw_kv_double(j, "ci95_lo", s->ci95_lo);
	jw_kv_double(j, "ci95_hi", s->ci95_hi);
	jw_kv_double(j, "p90", s->p90);
	jw_kv_double(j, "p99", s->p99);
	jw_kv_double(j, "max", s->max);
	jw_kv_double(j, "mad", s->mad);
	jw_kv_double(j, "mean", s->mean);
	jw_kv_double(j, "stddev", s->stddev);
	if (m->hl_n) {
		jw_kv_double(j, "per_op", m->hl);
		jw_kv_double(j, "per_op_ci95_lo", m->hl_lo);
		jw_kv_double(j, "per_op_ci95_hi", m->hl_hi);
		jw_kv_int(j, "per_op_samples", (long long)m->hl_n);
	}
	if (!m->mean_err) {
		jw_kv_double(j, "mean_ci95_lo", m->mean.lo);
		jw_kv_double(j, "mean_ci95_hi", m->mean.hi);
	}
	jw_end_object(j);
}

double mb_overhead_ratio(const struct mb_case *cs)
{
	if (!cs->floor_ops || !(cs->floor_ns > 0) || !isfinite(cs->harness_ns))
		return NAN;
	return cs->harness_ns / cs->floor_ns;
}

/* cs: the metric's case when it is the first one (the floor's fields), else NULL */
static void write_metric(struct jw *j, const struct mb_metric *m, const struct mb_case *cs)
{
	jw_begin_object(j);
	jw_kv_str(j, "name", m->name);
	jw_kv_str(j, "unit", m->unit);
	jw_kv_str(j, "better", better_name(m->better));
	jw_kv_int(j, "batch", (long long)m->batch);
	jw_kv_str(j, "timing", m->each ? "each" : m->reported ? "reported" : "batch");
	jw_kv_str(j, "headline", m->hl_n ? "per_op" : "median");
	jw_key(j, "samples");
	jw_begin_array(j);
	for (size_t i = 0; i < m->n; i++)
		jw_double(j, m->v[i]);
	jw_end_array(j);
	write_stats(j, m);
	if (cs && cs->floor_ops) {
		jw_kv_double(j, "floor_ns", cs->floor_ns);
		jw_kv_int(j, "floor_ops", (long long)cs->floor_ops);
		jw_kv_int(j, "floor_loops", (long long)cs->floor_loops);
		jw_kv_double(j, "harness_ns", cs->harness_ns);
		jw_kv_double(j, "overhead_ratio", mb_overhead_ratio(cs));
		jw_kv_double(j, "harness_mean_ns", cs->harness_mean_ns);
		jw_kv_double(j, "overhead_ratio_mean", cs->floor_ns > 0 ?
			     cs->harness_mean_ns / cs->floor_ns : NAN);
		jw_kv_double(j, "overhead_ratio_fast", cs->floor_ns > 0 && !m->st_err ?
			     m->st.median / cs->floor_ns : NAN);
	}
	if (m->each) {
		/* log2 buckets: [lo_ns, count] for lo_ns <= x < 2 lo_ns, non-empty ones */
		jw_key(j, "hist");
		jw_begin_array(j);
		for (size_t b = 0; b < m->nhist; b++) {
			if (!m->hist[b])
				continue;
			jw_begin_array(j);
			jw_double(j, b ? ldexp(1, (int)b) : 0);
			jw_uint(j, m->hist[b]);
			jw_end_array(j);
		}
		jw_end_array(j);
	}
	jw_end_object(j);
}

static void write_case(struct jw *j, const struct mb_case *cs)
{
	const struct mb_bench *b = cs->b;

	jw_begin_object(j);
	jw_kv_str(j, "bench", b->name);
	jw_kv_str(j, "family", b->family);
	jw_kv_str(j, "target", cs->t ? cs->t->name : NULL);
	jw_kv_str(j, "profile", cs->profile);
	jw_key(j, "params");
	jw_begin_object(j);
	jw_kv_int(j, "size", (long long)cs->size);
	if (b->maps)
		jw_kv_str(j, "flags", cs->shared ? "shared" : "private");
	if (b->populate)
		jw_kv_bool(j, "populate", cs->populate);
	jw_kv_int(j, "threads", cs->threads);
	if (cs->procs)
		jw_kv_str(j, "tasks", "processes");
	if (b->counts)
		jw_kv_int(j, "count", cs->count);
	if (cs->span != cs->size)
		jw_kv_int(j, "span", (long long)cs->span);
	jw_end_object(j);
	if (cs->inj)
		jw_kv_double(j, "inject_ns", cs->inj->ns);
	jw_kv_str(j, "status", mb_status_name(cs->status));
	if (cs->status != MB_ST_OK)
		jw_kv_str(j, "reason", cs->reason[0] ? cs->reason : "unknown");
	jw_kv_bool(j, "interleaved", cs->interleaved);
	if (cs->status == MB_ST_OK || cs->rounds) {
		jw_kv_int(j, "batch", (long long)cs->batch);
		jw_kv_int(j, "counts_samples", (long long)cs->counts_samples);
		jw_key(j, "cpus");
		jw_begin_array(j);
		for (int t = 0; cs->cpus && t < cs->threads; t++) {
			if (cs->cpus[t] < 0)
				jw_null(j);
			else
				jw_int(j, cs->cpus[t]);
		}
		jw_end_array(j);
	}
	if (cs->info.path[0] || cs->info.fs[0]) {
		jw_key(j, "target_info");
		jw_begin_object(j);
		if (cs->info.path[0])
			jw_kv_str(j, "path", cs->info.path);
		if (cs->info.fs[0])
			jw_kv_str(j, "fs", cs->info.fs);
		jw_end_object(j);
	}
	jw_key(j, "metrics");
	jw_begin_array(j);
	if (cs->status == MB_ST_OK)
		for (size_t k = 0; k < cs->nm; k++)
			write_metric(j, &cs->m[k], k ? NULL : cs);
	jw_end_array(j);
	jw_key(j, "counts");
	jw_begin_object(j);
	for (size_t k = 0; k < cs->ncounts; k++)
		jw_kv_int(j, cs->counts[k].name, cs->counts[k].v);
	/* only when every measured sample was counted (env.perf says why not) */
	if (cs->rounds && cs->perf_samples == cs->rounds) {
		char name[64];

		for (int i = 0; i < MB_PERF_NEVENTS; i++) {
			snprintf(name, sizeof(name), "perf.%s", mb_perf_event_names[i]);
			jw_kv_int(j, name, cs->perf[i]);
		}
	}
	jw_end_object(j);
	jw_end_object(j);
}

static double overhead_median(const struct mb_case *ov)
{
	return ov->status == MB_ST_OK && ov->nm && !ov->m[0].st_err ? ov->m[0].st.median : NAN;
}

/* Median overhead_ratio of the OK cases of family fam that have a floor; NaN: none. */
static double family_ratio(const struct mb_run *r, const char *fam, size_t *n)
{
	double *v = malloc((r->ncases ? r->ncases : 1) * sizeof(*v)), med;

	*n = 0;
	if (!v)
		return NAN;
	for (size_t i = 0; i < r->ncases; i++) {
		const struct mb_case *cs = &r->cases[i];
		double x = mb_overhead_ratio(cs);

		if (cs->status == MB_ST_OK && !strcmp(cs->b->family, fam) && isfinite(x))
			v[(*n)++] = x;
	}
	mb_sort(v, *n);
	med = *n ? mb_quantile(v, *n, 0.5) : NAN;
	free(v);
	return med;
}

/* The first case of each family with a floor, in case order: is cases[i] one? */
static bool family_first(const struct mb_run *r, size_t i)
{
	if (!r->cases[i].floor_ops || r->cases[i].status != MB_ST_OK)
		return false;
	for (size_t k = 0; k < i; k++)
		if (r->cases[k].floor_ops && r->cases[k].status == MB_ST_OK &&
		    !strcmp(r->cases[k].b->family, r->cases[i].b->family))
			return false;
	return true;
}

static void write_floor(struct jw *j, const struct mb_run *r)
{
	jw_key(j, "floor");
	jw_begin_object(j);
	jw_kv_bool(j, "enabled", !r->o->no_floor);
	jw_kv_str(j, "what", "after a case's measured samples, its first step's op in "
		  "bare loops (MB_F_FLOOR benchmarks, one thread): a loop is before(); one "
		  "counter read; the ops; one counter read; after(); one loop of K ops per "
		  "measured sample (batched: the ops of a sample's first step; timed each: "
		  "on fresh state), as many ops as the samples' first step; floor_ns = median "
		  "over the loops of ns per op; harness_ns = the first metric's headline "
		  "(stats.per_op: median over samples of the sample's mean per op); "
		  "overhead_ratio = harness_ns / floor_ns; harness_mean_ns = its mean over "
		  "all ops, overhead_ratio_mean = harness_mean_ns / floor_ns; "
		  "overhead_ratio_fast = stats.median / floor_ns (timed each: the median "
		  "single op, the fast path); env.floor.overhead_ratio: median over a "
		  "family's cases of overhead_ratio");
	jw_key(j, "overhead_ratio");
	jw_begin_object(j);
	for (size_t i = 0; i < r->ncases; i++) {
		size_t n;

		if (family_first(r, i))
			jw_kv_double(j, r->cases[i].b->family,
				     family_ratio(r, r->cases[i].b->family, &n));
	}
	jw_end_object(j);
	jw_key(j, "cases");
	jw_begin_object(j);
	for (size_t i = 0; i < r->ncases; i++) {
		size_t n;

		if (family_first(r, i)) {
			family_ratio(r, r->cases[i].b->family, &n);
			jw_kv_int(j, r->cases[i].b->family, (long long)n);
		}
	}
	jw_end_object(j);
	jw_end_object(j);
}

/*
 * The hardware random sources the CPU offers the kernel ("rdrand", "rdseed" among the
 * flags of /proc/cpuinfo's first CPU): under TCG they are QEMU's guest random source,
 * which MMAPBENCH_QEMU_SEED says is seeded or the host's (docs/clocks.md).
 */
static void write_cpu_rng(struct jw *j)
{
	static const char *const names[] = { "rdrand", "rdseed" };
	FILE *f = fopen("/proc/cpuinfo", "re");
	char line[8192];
	bool seen = false;

	jw_key(j, "cpu_rng");
	if (!f) {
		jw_null(j);
		return;
	}
	jw_begin_array(j);
	while (!seen && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "flags", 5))
			continue;
		seen = true;
		line[strcspn(line, "\n")] = ' ';
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			char word[16];

			snprintf(word, sizeof(word), " %s ", names[i]);
			if (strstr(line, word))
				jw_string(j, names[i]);
		}
	}
	jw_end_array(j);
	fclose(f);
}

/* env: the seed QEMU's guest random source had (MMAPBENCH_QEMU_SEED: a number, "host") */
static void write_qemu_seed(struct jw *j)
{
	const char *e = getenv("MMAPBENCH_QEMU_SEED");
	char *end;
	long long v;

	jw_key(j, "qemu_seed");
	if (!e || !*e) {
		jw_null(j);
		return;
	}
	errno = 0;
	v = strtoll(e, &end, 10);
	if (!errno && !*end && v >= 0)
		jw_int(j, v);
	else
		jw_string(j, e);
}

/* env: the machine, the kernel, the clock, the CPUs */
static void write_host(struct jw *j, const struct mb_run *r)
{
	struct utsname u;
	char buf[512];

	uname(&u);
	jw_kv_str(j, "kernel_release", u.release);
	jw_kv_str(j, "kernel_version", u.version);
	jw_kv_str(j, "machine", u.machine);
	jw_kv_str(j, "hostname", u.nodename);
	jw_kv_str(j, "accel", r->o->accel);
	/* clock.h: what a timing is (icount: guest instructions, unit insn) */
	jw_kv_str(j, "clock", r->o->clock);
	jw_key(j, "icount_shift");
	if (r->o->clock && !strcmp(r->o->clock, "icount"))
		jw_int(j, r->o->icount_shift);
	else
		jw_null(j);
	jw_kv_str(j, "time_unit", r->o->clock && !strcmp(r->o->clock, "icount") ? "insn" : "ns");
	/* address layout randomisation: per process, it moves rows under icount */
	jw_key(j, "randomize_va_space");
	if (mb_read_line("/proc/sys/kernel/randomize_va_space", buf, sizeof(buf)))
		jw_null(j);
	else
		jw_int(j, atoi(buf));
	/* the kernel's command line, and the random sources the boot could draw on */
	{
		char cmd[4096];

		jw_kv_str(j, "kernel_cmdline",
			  mb_read_line("/proc/cmdline", cmd, sizeof(cmd)) ? NULL : cmd);
	}
	write_cpu_rng(j);
	write_qemu_seed(j);
	jw_kv_str(j, "date", r->date);
	cpu_model(buf, sizeof(buf));
	jw_kv_str(j, "cpu_model", buf[0] ? buf : NULL);
	jw_kv_int(j, "ncpus", sysconf(_SC_NPROCESSORS_ONLN));
	jw_kv_int(j, "ncpus_allowed", r->ncpus);
	jw_kv_str(j, "thp", mb_read_line("/sys/kernel/mm/transparent_hugepage/enabled",
					   buf, sizeof(buf)) ? NULL : buf);
}

/* env: what timed (counter_*), and the VMA limit */
static void write_counter(struct jw *j, const struct mb_run *r)
{
	long long v;

	jw_kv_str(j, "counter", r->ctr.impl);
	jw_kv_str(j, "counter_version", r->ctr.lib_version);
	jw_kv_str(j, "counter_libcpucycles", r->ctr.lib_impl);
	jw_kv_bool(j, "counter_fallback", r->ctr.fallback);
	jw_kv_int(j, "counter_hz_libcpucycles", r->ctr.lib_hz);
	jw_kv_double(j, "counter_hz", r->ctr.hz_start);
	jw_kv_double(j, "counter_hz_end", r->ctr.hz_end);
	jw_kv_double(j, "counter_hz_used", r->ctr.hz);
	jw_kv_double(j, "counter_drift_ppm", r->ctr.drift_ppm);
	jw_kv_int(j, "counter_resolution_ticks", r->ctr.resolution);
	jw_kv_int(j, "counter_read_ticks", r->ctr.read_ticks);
	jw_kv_int(j, "counter_step_ticks", r->ctr.step_probe);
	jw_key(j, "counter_step_seen_ticks");
	if (r->ctr.step_seen)
		jw_int(j, r->ctr.step_seen);
	else
		jw_null(j);
	jw_kv_int(j, "counter_step_seen_n", (long long)r->ctr.step_seen_n);
	jw_kv_double(j, "counter_kernel_ratio", r->ctr.kernel_ratio);
	jw_key(j, "max_map_count");
	if (!mb_read_ll("/proc/sys/vm/max_map_count", &v))
		jw_int(j, v);
	else
		jw_null(j);
}

static void write_perf(struct jw *j, const struct mb_run *r)
{
	jw_key(j, "perf");
	jw_begin_object(j);
	jw_kv_bool(j, "available", r->perf.available);
	jw_kv_str(j, "error", r->perf.available ? NULL : r->perf.error);
	jw_key(j, "events");
	jw_begin_array(j);
	for (int i = 0; i < MB_PERF_NEVENTS; i++)
		jw_string(j, mb_perf_event_names[i]);
	jw_end_array(j);
	jw_kv_str(j, "counts", "counts.perf.<event> of each case: perf_event_open software "
		    "counters of the measuring thread(s) (the main thread, or each worker), "
		    "user and kernel mode, over the case's counts pass (the rusage window, "
		    "env.counts); no event is open while samples are timed; absent from a "
		    "case when the pass could not be counted");
	jw_end_object(j);
}

static void write_module(struct jw *j, const struct mb_run *r)
{
	const struct mb_module *m = &r->mod;

	jw_key(j, "module");
	jw_begin_object(j);
	jw_kv_bool(j, "loaded", m->loaded);
	jw_kv_str(j, "hook", m->have_hook ? m->hook : NULL);
	jw_kv_str(j, "profile", r->orig_profile[0] ? r->orig_profile : NULL);
	jw_key(j, "pool_mb");
	if (m->have_pool)
		jw_int(j, m->pool_mb);
	else
		jw_null(j);
	jw_key(j, "map_pages");
	if (m->have_map_pages)
		jw_bool(j, m->map_pages);
	else
		jw_null(j);
	jw_end_object(j);
}

/* env.hygiene: what was done to keep noise out; env.stats: what the statistics are */
static void write_hygiene(struct jw *j, const struct mb_run *r)
{
	jw_key(j, "hygiene");
	jw_begin_object(j);
	jw_key(j, "pinned_cpu");
	if (r->pinned_cpu >= 0)
		jw_int(j, r->pinned_cpu);
	else
		jw_null(j);
	jw_kv_bool(j, "interleaved", true);
	jw_kv_str(j, "interleaving", "cases differing only in target/profile are set up "
		    "together and sampled in a fresh seeded random order each round; "
		    "MB_F_SERIAL benchmarks run case by case");
	jw_kv_int(j, "seed", (long long)r->seed);
	jw_kv_int(j, "warmup", (long long)r->warmup);
	jw_kv_int(j, "samples", (long long)r->samples);
	jw_key(j, "batch");
	if (r->o->batch)
		jw_int(j, (long long)r->o->batch);
	else
		jw_string(j, "calibrated");
	jw_kv_int(j, "calibration_target_ticks", mb_calibration_target(r));
	jw_kv_int(j, "sample_min_ns", (long long)r->sample_min_ns);
	jw_kv_bool(j, "thp_disabled", r->thp_disabled);
	jw_kv_str(j, "nohugepage", "per benchmark (counts: hygiene.nohugepage)");
	jw_kv_str(j, "counts_cover", "the counts pass (rusage, module.*, perf.*: env.counts); "
		    "benchmark counts cover the whole case but the floor and the counts pass");
	jw_end_object(j);

	jw_key(j, "stats");
	jw_begin_object(j);
	jw_kv_str(j, "quantiles", "type 7: linear interpolation between order "
		    "statistics, h = (n-1)p");
	jw_kv_str(j, "median_ci", "95% percentile bootstrap of the median");
	jw_kv_str(j, "headline", "metrics[].headline names the figure to quote.  per_op "
		  "(every timing: storm, merge, fault): stats.per_op, the median over the "
		  "samples of a sample's mean per op; a sample is K ops (batched: K "
		  "calibrated so a batch lasts >= hygiene.sample_min_ns; faults: the "
		  "--count pages) and carries the work the kernel defers and pays every "
		  "few ops (slab refills, RCU frees); stats.median of single timings "
		  "(timed each) is the fast path without it.  median (rates, reported "
		  "values): stats.median");
	jw_kv_str(j, "per_op_ci", "95% percentile bootstrap of per_op over the "
		  "per_op_samples sample means of this run: it covers samples within one "
		  "run, never runs (mmapbench-compare resamples runs)");
	jw_kv_str(j, "mean_ci", "95% Student t interval of stats.mean over the sample "
		  "means of this run (samples within one run)");
	jw_kv_int(j, "bootstrap_B", r->bootstrap);
	jw_kv_str(j, "mad", "median absolute deviation, unscaled");
	jw_kv_str(j, "stddev", "sample (n-1)");
	jw_kv_str(j, "samples", "ns per op of each batch (timing batch), or of each op "
		    "(timing each); ops/s metrics per sample");
	jw_end_object(j);
}

static void write_overhead(struct jw *j, const struct mb_run *r)
{
	jw_kv_double(j, "overhead_ns", overhead_median(&r->overhead[0]));
	jw_key(j, "overhead");
	jw_begin_object(j);
	jw_kv_str(j, "what", "an empty op through the same loop: batched (per-op "
		    "median) and timed singly (median of single timings); not subtracted");
	jw_kv_double(j, "batch_ns", overhead_median(&r->overhead[0]));
	jw_kv_int(j, "batch", (long long)r->overhead[0].batch);
	jw_kv_double(j, "each_ns", overhead_median(&r->overhead[1]));
	jw_end_object(j);
}

/* env.inject_ns and env.inject: the --inject-ns waits and their calibration */
static void write_inject(struct jw *j, const struct mb_run *r)
{
	/* a number when one wait applies to every benchmark, else {bench: ns} */
	jw_key(j, "inject_ns");
	if (!r->ninj) {
		jw_int(j, 0);
	} else if (r->ninj == 1 && !r->inj[0].b) {
		jw_double(j, r->inj[0].ns);
	} else {
		jw_begin_object(j);
		for (size_t i = 0; i < r->ninj; i++)
			jw_kv_double(j, r->inj[i].b->name, r->inj[i].ns);
		jw_end_object(j);
	}
	jw_key(j, "inject");
	if (r->ninj) {
		jw_begin_object(j);
		jw_kv_str(j, "what", "busy-wait inside the timed region after every op: "
			  "t0 = counter; while (counter - t0 < target_ticks); target_ticks = "
			  "ns at counter_hz minus the wait's own cost (reads, loop, "
			  "overshoot), measured as the median of 31 batch means of the wait "
			  "(batches of ~50 us), 3 rounds; achieved_ns measured after calibration");
		jw_key(j, "waits");
		jw_begin_array(j);
		for (size_t i = 0; i < r->ninj; i++) {
			const struct mb_inject *in = &r->inj[i];

			jw_begin_object(j);
			jw_kv_str(j, "bench", in->b ? in->b->name : NULL);
			jw_kv_double(j, "ns", in->ns);
			jw_kv_double(j, "want_ticks", in->want_ticks);
			jw_kv_int(j, "target_ticks", in->target);
			jw_kv_double(j, "cost_ticks", in->cost_ticks);
			jw_kv_double(j, "achieved_ns", in->achieved_ns);
			jw_kv_int(j, "rounds", in->rounds);
			jw_end_object(j);
		}
		jw_end_array(j);
		jw_end_object(j);
	} else {
		jw_null(j);
	}
}

/* env.counts: how the counts were taken (no observer in the timed region) */
static void write_counts(struct jw *j, const struct mb_run *r)
{
	jw_key(j, "counts");
	jw_begin_object(j);
	jw_kv_str(j, "how", r->o->no_counts ? "none" : "pass");
	jw_kv_str(j, "what", "measured samples run with no perf event open in the process and "
		  "nothing read between them but their own timings; a case's counts "
		  "(minflt majflt nvcsw nivcsw ops_per_step module.* perf.*) come from a "
		  "separate pass after its measured samples and floor: as many samples "
		  "again (at most 5), timings dropped, perf groups of the measuring threads open for "
		  "the pass only (counts_samples: its samples); how none (--no-counts): "
		  "no such counts");
	jw_end_object(j);
}

/* The results' env object: its keys in this order (bench/README.md, "Results file"). */
static void write_env(struct jw *j, struct mb_run *r)
{
	jw_key(j, "env");
	jw_begin_object(j);
	write_host(j, r);
	write_counter(j, r);
	write_perf(j, r);
	write_counts(j, r);
	write_module(j, r);
	write_hygiene(j, r);
	write_overhead(j, r);
	write_floor(j, r);
	write_inject(j, r);
	jw_kv_str(j, "suite", r->o->suite);
	jw_kv_double(j, "elapsed_s", r->elapsed_s);
	jw_key(j, "argv");
	jw_begin_array(j);
	for (int i = 0; i < r->o->argc; i++)
		jw_string(j, r->o->argv[i]);
	jw_end_array(j);
	jw_end_object(j);
}

static int write_doc(struct mb_run *r, FILE *f)
{
	struct jw j;

	jw_init(&j, f, 1);
	jw_begin_object(&j);
	jw_kv_str(&j, "schema", MB_SCHEMA_RESULTS);
	jw_key(&j, "tool");
	jw_begin_object(&j);
	jw_kv_str(&j, "name", "mmapbench");
	jw_kv_str(&j, "version", MB_VERSION);
	jw_end_object(&j);
	write_env(&j, r);
	jw_key(&j, "cases");
	jw_begin_array(&j);
	for (size_t i = 0; i < r->ncases; i++)
		write_case(&j, &r->cases[i]);
	jw_end_array(&j);
	jw_end_object(&j);
	return jw_finish(&j);
}

int mb_write_results(struct mb_run *r, const char *path)
{
	char tmp[4096];
	const char *fail = getenv("MMAPBENCH_TEST_FAIL");	/* for tests/unit/test_cli.sh */
	FILE *f;
	int err;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		fprintf(stderr, "mmapbench: %s: path too long\n", path);
		return -1;
	}
	f = fopen(tmp, "we");
	if (!f) {
		fprintf(stderr, "mmapbench: cannot write %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	err = write_doc(r, f);
	if (!err && fsync(fileno(f)))
		err = -errno;
	if (fclose(f) && !err)
		err = -EIO;
	if (!err && fail && !strcmp(fail, "write"))
		err = -EIO;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err) {
		fprintf(stderr, "mmapbench: cannot write %s: %s\n", path,
			err == -EINVAL ? "internal JSON error" : strerror(-err));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* ---- the summary ---- */

/* About four significant digits, no exponent. */
static void fmt_num(char *buf, size_t len, double v)
{
	int dec;

	if (!isfinite(v)) {
		snprintf(buf, len, "-");
		return;
	}
	dec = v == 0 ? 0 : 3 - (int)floor(log10(fabs(v)));
	if (dec < 0)
		dec = 0;
	if (dec > 3)
		dec = 3;
	snprintf(buf, len, "%.*f", dec, v);
}

static void case_params(const struct mb_case *cs, char *buf, size_t len)
{
	char sz[32];
	int n;

	mb_fmt_size(sz, sizeof(sz), cs->size);
	n = snprintf(buf, len, "%s", sz);
	if (cs->b->maps && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " %s", cs->shared ? "shr" : "prv");
	if (cs->b->populate && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, "%s", cs->populate ? " pop" : "");
	if (cs->b->counts && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " n=%ld", cs->count);
	if ((cs->b->flags & MB_F_THREADS) && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " t%d", cs->threads);
}

/* The lines above the table: tool, kernel, clock, counter, overhead, floor, waits. */
static void summary_header(const struct mb_run *r, FILE *f, bool icount)
{
	struct utsname u;
	char a[32], b[32], c[32];

	uname(&u);
	fmt_num(a, sizeof(a), overhead_median(&r->overhead[0]));
	fmt_num(b, sizeof(b), overhead_median(&r->overhead[1]));
	fprintf(f, "mmapbench %s on %s %s (%s, clock %s); counter %s at %.1f MHz measured "
		"(drift %.0f ppm)\n", MB_VERSION, u.release, u.machine, r->o->accel,
		r->o->clock, r->ctr.impl, r->ctr.hz / 1e6, r->ctr.drift_ppm);
	if (icount)
		fprintf(f, "clock icount: timings are guest instructions (insn = instructions "
			"(icount), path length: no cache, TLB or lock costs); the ns fields "
			"below are instructions too\n");
	for (size_t i = 0; icount && i < r->ncases; i++) {
		if (r->cases[i].threads > 1) {
			fprintf(f, "clock icount, t2 and up: every thread's instructions on one "
				"virtual clock, interleaved (the vCPUs run in turn): a path length "
				"per op, not a parallel time; no speed-up, no contention can show\n");
			break;
		}
	}
	if (r->pinned_cpu >= 0)
		snprintf(c, sizeof(c), "CPU %d", r->pinned_cpu);
	else
		snprintf(c, sizeof(c), "no CPU");
	fprintf(f, "harness overhead: %s ns/op batched, %s ns timed singly (not "
		"subtracted); pinned to %s; THP %s\n", a, b, c,
		r->thp_disabled ? "disabled for the process" : "as configured");
	fprintf(f, "counter step: %lld ticks seen between single-op timings (%zu timings), "
		"%lld between reads (smallest read-to-read %lld, a read %lld); counts: %s\n",
		r->ctr.step_seen, r->ctr.step_seen_n, r->ctr.step_probe, r->ctr.resolution,
		r->ctr.read_ticks, r->o->no_counts ? "none (--no-counts)" :
		"a separate untimed pass per case, no perf event open while timing");
	if (!r->o->no_floor) {
		const char *sep = "harness/floor:";
		bool any = false;

		for (size_t i = 0; i < r->ncases; i++) {
			size_t n;
			double x;

			if (!family_first(r, i))
				continue;
			x = family_ratio(r, r->cases[i].b->family, &n);
			fprintf(f, "%s %s %.3f", sep, r->cases[i].b->family, x);
			sep = ",";
			any = true;
		}
		if (any)
			fprintf(f, " (median over cases of the harness's per-op figure / bare-loop "
				"ns per op)\n");
	}
	for (size_t i = 0; i < r->ninj; i++)
		fprintf(f, "INJECTED: a %.0f ns busy-wait in every op%s%s (measured %.1f ns)\n",
			r->inj[i].ns, r->inj[i].b ? " of " : "",
			r->inj[i].b ? r->inj[i].b->name : "", r->inj[i].achieved_ns);
	fprintf(f, "HEADLINE: per op for timings, the median over samples of a sample's mean "
		"per op (samples of K ops, >= %.0f us batched: deferred work included), the "
		"median for rates and reported values; 95%% CI: bootstrap over the samples of "
		"this run, not across runs; MEAN: over all ops; FAST: median single op when "
		"timed each (the fast path); N samples; %s: lower is better%s\n\n",
		(double)r->sample_min_ns / 1000, icount ? "insn" : "ns",
		icount ? "" : ", ops/s: higher is better");
}

/*
 * One line per metric of every completed case; '!' marks a median below 10x the
 * harness overhead.  Returns whether any was marked.
 */
static bool summary_table(const struct mb_run *r, FILE *f)
{
	double ov = overhead_median(&r->overhead[0]);
	double ov1 = overhead_median(&r->overhead[1]);
	char a[32], b[32], c[32];
	bool near = false;

	fprintf(f, "%-16s %-9s %-8s %-18s %-26s %12s  %-25s %10s %10s %5s %-6s %s\n", "BENCH",
		"TARGET", "PROFILE", "PARAMS", "METRIC", "HEADLINE", "95% CI (run)", "MEAN",
		"FAST", "N", "UNIT", "BETTER");
	for (size_t i = 0; i < r->ncases; i++) {
		const struct mb_case *cs = &r->cases[i];
		char p[64];

		if (cs->status != MB_ST_OK)
			continue;
		case_params(cs, p, sizeof(p));
		for (size_t k = 0; k < cs->nm; k++) {
			const struct mb_metric *m = &cs->m[k];
			bool hl = m->hl_n > 0;
			char ci[80], mean[32], fast[32];
			bool mark = mb_unit_is_time(m->unit) && isfinite(ov) && !m->st_err &&
				    m->st.median < 10 * (m->each ? ov1 : ov);

			near |= mark;
			snprintf(mean, sizeof(mean), "-");
			snprintf(fast, sizeof(fast), "-");
			if (m->st_err) {
				snprintf(a, sizeof(a), "-");
				snprintf(ci, sizeof(ci), "-");
			} else {
				fmt_num(a, sizeof(a), hl ? m->hl : m->st.median);
				fmt_num(b, sizeof(b), hl ? m->hl_lo : m->st.ci95_lo);
				fmt_num(c, sizeof(c), hl ? m->hl_hi : m->st.ci95_hi);
				snprintf(ci, sizeof(ci), "[%s, %s]", b, c);
				if (!m->mean_err)
					fmt_num(mean, sizeof(mean), m->mean.mean);
				if (m->each)
					fmt_num(fast, sizeof(fast), m->st.median);
			}
			fprintf(f, "%-16s %-9s %-8s %-18s %-26s %11s%s  %-25s %10s %10s %5zu %-6s %s\n",
				k ? "" : cs->b->name, k ? "" : cs->t->name,
				k ? "" : cs->profile ? cs->profile : "-", k ? "" : p, m->name, a,
				mark ? "!" : " ", ci, mean, fast, hl ? m->hl_n : m->n, m->unit,
				better_name(m->better));
		}
	}
	return near;
}

/* Skipped cases grouped by target and reason; failed ones one by one. */
static void summary_problems(const struct mb_run *r, FILE *f)
{
	for (size_t i = 0; i < r->ncases; i++) {
		const struct mb_case *cs = &r->cases[i];
		size_t same = 0;
		bool seen = false;

		if (cs->status != MB_ST_SKIPPED)
			continue;
		for (size_t k = 0; k < i && !seen; k++)
			seen = r->cases[k].status == MB_ST_SKIPPED && r->cases[k].t == cs->t &&
			       !strcmp(r->cases[k].reason, cs->reason);
		if (seen)
			continue;
		for (size_t k = i; k < r->ncases; k++)
			same += r->cases[k].status == MB_ST_SKIPPED && r->cases[k].t == cs->t &&
				!strcmp(r->cases[k].reason, cs->reason);
		fprintf(f, "skipped %3zu %-9s %s\n", same, cs->t ? cs->t->name : "-",
			cs->reason);
	}
	for (size_t i = 0; i < r->ncases; i++) {
		const struct mb_case *cs = &r->cases[i];
		char p[64];

		if (cs->status != MB_ST_FAILED)
			continue;
		case_params(cs, p, sizeof(p));
		fprintf(f, "FAILED  %s %s %s %s: %s\n", cs->b->name, cs->t ? cs->t->name : "-",
			cs->profile ? cs->profile : "-", p, cs->reason);
	}
}

void mb_print_summary(struct mb_run *r, FILE *f)
{
	bool icount = r->o->clock && !strcmp(r->o->clock, "icount");
	size_t nbad = 0;

	summary_header(r, f, icount);
	if (summary_table(r, f))
		fprintf(f, "! median below 10x the harness overhead: mostly the loop, not "
			"the op\n");
	for (size_t i = 0; i < r->ncases; i++)
		nbad += r->cases[i].status == MB_ST_SKIPPED || r->cases[i].status == MB_ST_FAILED;
	if (!nbad)
		return;
	fprintf(f, "\n");
	summary_problems(r, f);
}
