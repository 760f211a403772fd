// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - mmapbench's command line: `list`, `run`, the plan of cases.
 *
 * Exit codes: 0 done (cases may be skipped), 1 runtime failure (a case failed, the
 * results could not be written, interrupted), 2 usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "grow.h"
#include "harness.h"
#include "mmapbench_abi.h"
#include "names.h"
#include "oracle.h"
#include "usage.h"

#define DEFAULT_SEED 1

static const char *prog = "mmapbench";

/* The usage error (lib/usage.c, shared with the analysis commands), then exit 2. */
#define usage_error(...)	exit(mb_usage_error(prog, __VA_ARGS__))
_Static_assert(MB_USAGE_STATUS == MB_EXIT_USAGE, "one exit status for a usage error");

static void __attribute__((noreturn)) oom(void)
{
	fprintf(stderr, "%s: out of memory\n", prog);
	exit(MB_EXIT_RUNTIME);
}

/* ---- suites: named selections ---- */

struct suite_bench {
	const char *bench;	/* a benchmark's name, or "*" for any other */
	const char *sizes, *maps, *populate, *counts, *threads;
};

struct suite {
	const char *name;
	const char *desc;
	uint64_t samples, warmup;
	uint64_t sample_min_ns;		/* harness.h: r->sample_min_ns */
	const struct suite_bench *b;	/* terminated by bench == NULL */
};

static const struct suite_bench quick_benches[] = {
	{ "storm", "4k,2m", "private,shared", "no,yes", NULL, "1" },
	{ "storm-vmas", "4k", "private", NULL, "1,1000", NULL },
	{ "merge", "16k", "private", NULL, "16", NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};

/*
 * Sized for make bench's ten minutes from a fresh machine: about 5 minutes of an
 * icount guest (2 vCPUs) with 20 samples of >= 1 ms batches.  Storms of populated
 * 32m and 128m mappings take hours there; ask for them with -s.  The others keep
 * their own defaults.  Shorter batches can change what a storm measures, not only
 * its precision: in one of two selections measured, anon private 4k cost 23 % more
 * with 52-130 ops a batch (200 and 500 us) than with 295 and more (1 and 5 ms;
 * FINDINGS, "The sample length").  The matrix, which carries verdicts, keeps 30
 * samples of >= 5 ms.
 */
static const struct suite_bench default_benches[] = {
	{ "storm", "4k,64k,2m", NULL, NULL, NULL, "1,ncpus" },
	{ "*", NULL, NULL, NULL, NULL, "1,ncpus" },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};

/* scripts/host/matrix: the second merge across kernels; run with every profile (the
 * selection matrix-profiles). */
static const struct suite_bench matrix_benches[] = {
	{ "merge", "16k", "shared", NULL, "64", NULL },
	{ "storm", "4k", "shared", "no", NULL, "1" },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};

static const struct suite suites[] = {
	{ "quick", "a few seconds: storms at 4k and 2m, one 16-chunk merge, for tests", 5, 1,
	  200000, quick_benches },
	{ "default", "storms up to 2m, every other benchmark with its default axes "
	  "(about 5 min in an icount guest)", 20, 2, 1000000, default_benches },
	{ "matrix", "merge (64 x 16k, shared) and storm 4k: the kernel matrix", 30, 3,
	  5000000, matrix_benches },
};

static const struct suite *suite_find(const char *name)
{
	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		if (!strcmp(suites[i].name, name))
			return &suites[i];
	return NULL;
}

/* The suite's entry for b: its own, else "*", else NULL (not in the suite). */
static const struct suite_bench *suite_entry(const struct suite *s, const char *bench)
{
	const struct suite_bench *any = NULL;

	for (const struct suite_bench *e = s->b; e->bench; e++) {
		if (!strcmp(e->bench, bench))
			return e;
		if (!strcmp(e->bench, "*"))
			any = e;
	}
	return any;
}

/* ---- help ---- */

/* long: one string, the help text as printed: whole, its columns stay aligned */
static void help(FILE *f)
{
	fprintf(f,
"Usage: %s list [--abi | --schemas [--table] | --selections | --selection NAME]\n"
"       %s run [OPTION]...\n"
"       %s oracle RECORD\n"
"       %s --help | --version\n"
"\n"
"Microbenchmarks of the Linux mmap() hot path: each case maps a target (the\n"
"mmapbench module's legacy .mmap and .mmap_prepare devices, anonymous memory,\n"
"memfd, secretmem, a regular file, /dev/zero) and times batches of one operation\n"
"with libcpucycles (ticks converted to ns with a rate measured in the same run).\n"
"\n"
"Commands:\n"
"  list                 benchmarks (name, family, description) and targets (with\n"
"                       availability on this machine or the reason they are not)\n"
"  list --abi           the module's names (drivers/mmapbench/mmapbench_abi.h) as\n"
"                       NAME='value' lines, for shell\n"
"  list --schemas       the result files' schema names (bench/lib/schemas.h), the\n"
"                       same way; --table: NAME, value, file, writer, readers\n"
"  list --selections    the named selections the scripts run (NAME, words, what);\n"
"                       --selection NAME: the words of one\n"
"  run                  run the selected cases; summary on stdout, progress on stderr\n"
"  oracle RECORD        the merge oracle's JSON from a record scripts/guest/oracle kept\n"
"\n"
"Selection (LIST is comma-separated; each axis crosses with the others):\n"
"  -b, --bench LIST     benchmarks (default: those of the suite)\n"
"  -t, --target LIST    targets (default: all)\n"
"  -p, --profile LIST   module flag profiles: " MMAPBENCH_PROFILES " (default: the\n"
"                       module's current one); legacy/prepare cases only\n"
"  -s, --size LIST      mapping sizes: 4k,2m,128m (k/m/g/t suffixes, page multiples)\n"
"      --map LIST       private,shared (benchmarks with a mapping-type axis)\n"
"      --populate LIST  no,yes (MAP_POPULATE; benchmarks with that axis)\n"
"      --count LIST     counts for benchmarks with a count axis (storm-vmas: VMAs\n"
"                       kept in the process; merge-*: chunks mapped per sample, at\n"
"                       least 2, -s giving a chunk's size; fault-*: pages touched\n"
"                       per sample)\n"
"      --threads LIST   thread counts, 'ncpus' for all CPUs (benchmarks that scale;\n"
"                       default 1, suite default: 1,ncpus)\n"
"      --suite NAME     quick (seconds, for tests), default (the default) or\n"
"                       matrix (merge and storm 4k, for scripts/host/matrix)\n"
"\n"
"Measurement:\n"
"      --samples N      measured samples per case (1..100000; quick 5, default 20,\n"
"                       matrix 30)\n"
"      --warmup N       warm-up samples per case, discarded (0..10000; 1 / 2 / 3)\n"
"      --batch K        ops per sample (1..10000000; default: calibrated so a batch\n"
"                       lasts >= --sample-min and >= 1000 counter resolutions)\n"
"      --sample-min NS  what a calibrated batch lasts at least, in ns of the clock\n"
"                       (0..1000000000; quick 200000, default 1000000, matrix\n"
"                       5000000)\n"
"      --bootstrap B    bootstrap resamples for the CI of the median (100..1000000;\n"
"                       default 2000)\n"
"      --cpu N|none     pin to CPU N (threads take the next CPUs); default: the\n"
"                       highest-numbered allowed CPU\n"
"      --seed N         seed of the interleaving order and the bootstrap (default 1)\n"
"      --allow-thp      do not disable transparent huge pages for the process\n"
"      --no-counts      no counts pass (rusage, module and perf counts: an untimed\n"
"                       pass of as many samples after a case's measured ones)\n"
"      --tasks threads|processes  --threads N as N threads of this process (one mm,\n"
"                       default) or N processes forked for each sample (one mm\n"
"                       each, as will-it-scale's processes; params.tasks)\n"
"      --no-floor       no bare loop of the op after a storm's or fault's samples\n"
"                       (floor_ns, overhead_ratio in the results; env.floor)\n"
"      --perf-control CTL,ACK[,NS]  cooperate with `perf record --control\n"
"                       fd:CTL,ACK -D -1`: perf's events are enabled around each\n"
"                       measured sample only (not set-up, calibration, warm-up,\n"
"                       floor, statistics); NS: then spin 0..NS-1 ns (the sampling\n"
"                       period: no aliasing under icount); scripts/guest/profile-run\n"
"      --perf-windows FILE  log each measured sample's timed loop (CLOCK_MONOTONIC\n"
"                       ns, case index, ops) for mmapbench-analyze profile fold\n"
"      --inject-ns N|BENCH=N,...  add a busy-wait of N ns (0..10000000) inside the\n"
"                       timed region of every op (of the named benchmarks only):\n"
"                       a known slowdown, to test what a comparison catches\n"
"                       (spins on the timing counter; calibrated, in env)\n"
"      --ops N          no measurement: run the one selected case's first step\n"
"                       (its primary metric) exactly N times (0..1000000000) and\n"
"                       exit, with the same set-up, pinning and THP setting, for\n"
"                       timing whole processes from outside (hyperfine); N = 0 is\n"
"                       the process's start-up cost.  One thread, no -o\n"
"\n"
"Records and output:\n"
"      --accel NAME     how the kernel runs (kvm, tcg, bare, ...), recorded in env\n"
"                       (default: $MMAPBENCH_ACCEL, else bare)\n"
"      --clock NAME     the clock the timings are taken with: icount, tcg, kvm or\n"
"                       bare (default: $MMAPBENCH_CLOCK, else the --accel name if\n"
"                       it is one of these, else bare).  Under icount every timing\n"
"                       is guest instructions (unit insn, ns / 2^$MMAPBENCH_ICOUNT_SHIFT)\n"
"                       and the ops/s metrics are not reported\n"
"      --file PATH      backing file of the 'file' target (default: an unlinked\n"
"                       temporary file in $TMPDIR)\n"
"  -o, --output FILE    write results JSON to FILE (via FILE.tmp, renamed)\n"
"  -q, --quiet          no progress, no summary (errors still go to stderr)\n"
"  -h, --help           this help\n"
"  -V, --version        the version\n"
"\n"
"Exit status: 0 done (some cases may be skipped, with reasons), 1 a case failed or\n"
"the run could not complete, 2 usage error; with --ops, 3 the case cannot run here\n"
"(skipped; the reason on stderr).\n",
		prog, prog, prog, prog);
}

/* ---- list ---- */

static int cmd_list(void)
{
	int wn = 4, wf = 6;

	for (size_t i = 0; i < mb_bench_count(); i++) {
		const struct mb_bench *b = mb_bench_get(i);

		if ((int)strlen(b->name) > wn)
			wn = (int)strlen(b->name);
		if ((int)strlen(b->family) > wf)
			wf = (int)strlen(b->family);
	}
	printf("Benchmarks:\n");
	printf("  %-*s  %-*s  %s\n", wn, "NAME", wf, "FAMILY", "DESCRIPTION");
	for (size_t i = 0; i < mb_bench_count(); i++) {
		const struct mb_bench *b = mb_bench_get(i);

		printf("  %-*s  %-*s  %s\n", wn, b->name, wf, b->family, b->desc);
	}
	printf("\nTargets:\n");
	printf("  %-10s %-10s %s\n", "NAME", "AVAILABLE", "DESCRIPTION");
	for (size_t i = 0; i < mb_target_count(); i++) {
		const struct mb_target *t = mb_target_get(i);
		char why[MB_REASON_LEN] = "";
		int ok = mb_target_probe(t, NULL, why, sizeof(why));

		printf("  %-10s %-10s %s\n", t->name, ok ? "yes" : "no", t->desc);
		if (!ok)
			printf("  %-10s %-10s (%s)\n", "", "", why);
	}
	printf("\nSuites:\n");
	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		printf("  %-10s %s\n", suites[i].name, suites[i].desc);
	return MB_EXIT_OK;
}

/* ---- the plan ---- */

struct axis {
	uint64_t *v;
	size_t n;
};

static void axis_push(struct axis *a, uint64_t v)
{
	uint64_t *p;

	for (size_t i = 0; i < a->n; i++)
		if (a->v[i] == v)
			return;		/* "1,ncpus" on one CPU */
	p = realloc(a->v, (a->n + 1) * sizeof(*p));
	if (!p)
		oom();
	a->v = p;
	a->v[a->n++] = v;
}

enum axis_kind { AX_SIZE, AX_MAP, AX_POPULATE, AX_COUNT, AX_THREADS };

static void parse_axis(const char *opt, const char *list, enum axis_kind kind, int ncpus,
		       struct axis *a)
{
	struct mb_strv sv;
	long page = sysconf(_SC_PAGESIZE);

	memset(a, 0, sizeof(*a));
	if (mb_split(list, &sv))
		usage_error("%s: bad list '%s'", opt, list);
	for (size_t i = 0; i < sv.n; i++) {
		const char *s = sv.v[i];
		uint64_t v = 0;
		int b;

		switch (kind) {
		case AX_SIZE:
			if (mb_parse_size(s, &v))
				usage_error("%s: bad size '%s' (use e.g. 4k, 2m, 128m)", opt, s);
			if (v < (uint64_t)page || v % (uint64_t)page || v > (1ull << 40))
				usage_error("%s: size '%s' out of range (multiples of %ld "
					    "bytes, at most 1t)", opt, s, page);
			break;
		case AX_MAP:
			if (!strcmp(s, "shared"))
				v = 1;
			else if (!strcmp(s, "private"))
				v = 0;
			else
				usage_error("%s: '%s' is not private or shared", opt, s);
			break;
		case AX_POPULATE:
			b = mb_parse_bool(s);
			if (b < 0)
				usage_error("%s: '%s' is not no or yes", opt, s);
			v = (uint64_t)b;
			break;
		case AX_COUNT:
			if (mb_parse_u64(s, 0, 10000000, &v))
				usage_error("%s: '%s' is not a count in 0..10000000", opt, s);
			break;
		case AX_THREADS:
			if (!strcmp(s, "ncpus"))
				v = (uint64_t)ncpus;
			else if (mb_parse_u64(s, 1, 1024, &v))
				usage_error("%s: '%s' is not a thread count in 1..1024", opt, s);
			break;
		}
		axis_push(a, v);
	}
	mb_strv_free(&sv);
}

static void u64_opt(const char *opt, const char *arg, uint64_t min, uint64_t max,
		    uint64_t *out)
{
	int err = mb_parse_u64(arg, min, max, out);

	if (err == -ERANGE)
		usage_error("%s: %s is out of range (%" PRIu64 "..%" PRIu64 ")", opt, arg,
			    min, max);
	if (err)
		usage_error("%s: '%s' is not a number", opt, arg);
}

static void add_case(struct mb_run *r, size_t *cap, const struct mb_case *c)
{
	struct mb_case *p = mb_grow(r->cases, cap, r->ncases + 1, sizeof(*p));

	if (!p)
		oom();
	r->cases = p;
	r->cases[r->ncases] = *c;
	r->cases[r->ncases++].procs = r->o->processes && c->threads > 1;
}

static bool bench_wants_target(const struct mb_bench *b, const struct mb_target *t)
{
	struct mb_strv sv;
	bool ok;

	if ((b->flags & MB_F_NEEDS_FD) && (t->flags & MB_T_ANON))
		return false;
	if (!b->targets)
		return true;
	if (mb_split(b->targets, &sv))
		return false;
	ok = mb_strv_has(&sv, t->name);
	mb_strv_free(&sv);
	return ok;
}

/* -b LIST ("all": every one) or the suite's benchmarks, each once, in order. */
static size_t select_benches(const struct mb_opts *o, const struct suite *su,
			     const struct mb_bench **benches)
{
	struct mb_strv sv;
	size_t nb = 0;

	if (!o->benches) {
		for (size_t k = 0; k < mb_bench_count(); k++)
			if (suite_entry(su, mb_bench_get(k)->name))
				benches[nb++] = mb_bench_get(k);
		return nb;
	}
	if (mb_split(o->benches, &sv))
		usage_error("--bench: bad list '%s'", o->benches);
	for (size_t i = 0; i < sv.n; i++) {
		const struct mb_bench *b = mb_bench_find(sv.v[i]);

		if (!b && !strcmp(sv.v[i], "all")) {
			nb = 0;
			for (size_t k = 0; k < mb_bench_count(); k++)
				benches[nb++] = mb_bench_get(k);
			break;
		}
		if (!b)
			usage_error("unknown benchmark '%s' (see '%s list')", sv.v[i], prog);
		for (size_t k = 0; k < nb; k++)
			if (benches[k] == b)
				b = NULL;
		if (b)
			benches[nb++] = b;
	}
	mb_strv_free(&sv);
	return nb;
}

/* -t LIST ("all": every one) or every target, each once, in order. */
static size_t select_targets(const struct mb_opts *o, const struct mb_target **targets)
{
	struct mb_strv sv;
	size_t nt = 0;

	if (!o->targets) {
		for (size_t k = 0; k < mb_target_count(); k++)
			targets[nt++] = mb_target_get(k);
		return nt;
	}
	if (mb_split(o->targets, &sv))
		usage_error("--target: bad list '%s'", o->targets);
	for (size_t i = 0; i < sv.n; i++) {
		const struct mb_target *t = mb_target_find(sv.v[i]);

		if (!t && !strcmp(sv.v[i], "all")) {
			nt = 0;
			for (size_t k = 0; k < mb_target_count(); k++)
				targets[nt++] = mb_target_get(k);
			break;
		}
		if (!t)
			usage_error("unknown target '%s' (see '%s list')", sv.v[i], prog);
		for (size_t k = 0; k < nt; k++)
			if (targets[k] == t)
				t = NULL;
		if (t)
			targets[nt++] = t;
	}
	mb_strv_free(&sv);
	return nt;
}

/* A benchmark's axes: from the options, else its suite entry, else its defaults. */
struct axes {
	struct axis sizes, maps, pops, counts, threads;
};

/* Which of the options' axes some selected benchmark has (the others are refused). */
struct axes_used {
	bool map, pop, count, thr;
};

static void bench_axes(const struct mb_run *r, const struct suite *su, const struct mb_bench *b,
		       struct axes *ax, struct axes_used *used)
{
	const struct mb_opts *o = r->o;
	const struct suite_bench *se = suite_entry(su, b->name);
	const char *l;

#define PICK(field, opt) (o->opt ? o->opt : se && se->field ? se->field : b->field)
	parse_axis("--size", PICK(sizes, sizes), AX_SIZE, r->ncpus, &ax->sizes);
	if (b->maps) {
		used->map = true;
		parse_axis("--map", PICK(maps, maps), AX_MAP, r->ncpus, &ax->maps);
	} else {
		parse_axis("--map", "private", AX_MAP, r->ncpus, &ax->maps);
	}
	if (b->populate) {
		used->pop = true;
		parse_axis("--populate", PICK(populate, populate), AX_POPULATE,
			   r->ncpus, &ax->pops);
	} else {
		parse_axis("--populate", "no", AX_POPULATE, r->ncpus, &ax->pops);
	}
	if (b->counts) {
		used->count = true;
		parse_axis("--count", PICK(counts, counts), AX_COUNT, r->ncpus, &ax->counts);
		for (size_t i = 0; i < ax->counts.n; i++)
			if ((long)ax->counts.v[i] < b->min_count)
				usage_error("--count: %s needs at least %ld, not %" PRIu64,
					    b->name, b->min_count, ax->counts.v[i]);
	} else {
		parse_axis("--count", "0", AX_COUNT, r->ncpus, &ax->counts);
	}
	if (b->flags & MB_F_THREADS) {
		used->thr = true;
		l = o->threads ? o->threads : se && se->threads ? se->threads : "1";
		parse_axis("--threads", l, AX_THREADS, r->ncpus, &ax->threads);
	} else {
		parse_axis("--threads", "1", AX_THREADS, r->ncpus, &ax->threads);
	}
#undef PICK
}

static void axes_free(struct axes *ax)
{
	free(ax->sizes.v);
	free(ax->maps.v);
	free(ax->pops.v);
	free(ax->counts.v);
	free(ax->threads.v);
}

/* A case of the group being planned, without its target and profile. */
static void case_init(struct mb_case *cs, const struct mb_bench *b, size_t group,
		      uint64_t size, int shared, int populate, long count, int threads)
{
	struct mb_ctx tmp;

	memset(cs, 0, sizeof(*cs));
	cs->b = b;
	cs->size = size;
	cs->shared = shared;
	cs->populate = populate;
	cs->count = count;
	cs->threads = threads;
	cs->group = group;
	cs->fd = -1;
	memset(&tmp, 0, sizeof(tmp));
	tmp.size = cs->size;
	tmp.count = cs->count;
	tmp.shared = cs->shared;
	tmp.populate = cs->populate;
	tmp.threads = cs->threads;
	tmp.page = (size_t)sysconf(_SC_PAGESIZE);
	cs->span = b->span ? b->span(&tmp) : cs->size;
}

/* The group's cases: cs on every target the benchmark wants, x profiles on the module's. */
static bool add_group(struct mb_run *r, size_t *cap, struct mb_case *cs,
		      const struct mb_target **targets, size_t nt, const char **profiles,
		      size_t np)
{
	bool any = false;

	for (size_t ti = 0; ti < nt; ti++) {
		if (!bench_wants_target(cs->b, targets[ti]))
			continue;
		cs->t = targets[ti];
		if (!(cs->t->flags & MB_T_MODULE)) {
			cs->profile = NULL;
			add_case(r, cap, cs);
			any = true;
			continue;
		}
		for (size_t pi = 0; pi < np; pi++) {
			cs->profile = profiles[pi];
			add_case(r, cap, cs);
			any = true;
		}
	}
	return any;
}

/*
 * -p LIST, each once, in order (a NULL-terminated array, *np of them); without -p
 * the module's current profile, or one NULL without the module.
 */
static const char **select_profiles(const struct mb_run *r, size_t *np)
{
	const struct mb_opts *o = r->o;
	const char **profiles;
	struct mb_strv sv;

	*np = 0;
	if (!o->profiles) {
		profiles = calloc(2, sizeof(*profiles));
		if (!profiles)
			oom();
		for (int k = 0; r->mod.have_profile && mb_profiles[k]; k++)
			if (!strcmp(mb_profiles[k], r->mod.profile))
				profiles[0] = mb_profiles[k];
		*np = 1;
		return profiles;
	}
	if (mb_split(o->profiles, &sv))
		usage_error("--profile: bad list '%s'", o->profiles);
	profiles = calloc(sv.n + 1, sizeof(*profiles));
	if (!profiles)
		oom();
	for (size_t i = 0; i < sv.n; i++) {
		const char *p = NULL;

		for (int k = 0; mb_profiles[k]; k++)
			if (!strcmp(mb_profiles[k], sv.v[i]))
				p = mb_profiles[k];
		if (!p)
			usage_error("unknown profile '%s' (" MMAPBENCH_PROFILES ")", sv.v[i]);
		for (size_t k = 0; k < *np; k++)
			if (profiles[k] == p)
				p = NULL;
		if (p)
			profiles[(*np)++] = p;
	}
	mb_strv_free(&sv);
	return profiles;
}

/* An axis option none of the selected benchmarks has is refused; so is no case. */
static void check_plan(const struct mb_run *r, const struct axes_used *used)
{
	const struct mb_opts *o = r->o;

	if (o->maps && !used->map)
		usage_error("--map: none of the selected benchmarks maps private/shared");
	if (o->populate && !used->pop)
		usage_error("--populate: none of the selected benchmarks has that axis");
	if (o->counts && !used->count)
		usage_error("--count: none of the selected benchmarks has a count axis");
	if (o->threads && !used->thr)
		usage_error("--threads: none of the selected benchmarks runs threads");
	if (!r->ncases)
		usage_error("nothing to run: no selected benchmark applies to the selected "
			    "targets");
}

/* Benchmarks x axes -> groups; x targets x profiles -> cases. */
static void build_plan(struct mb_run *r, const struct suite *su)
{
	struct mb_opts *o = r->o;
	const struct mb_bench **benches;
	const struct mb_target **targets;
	const char **profiles;
	size_t nb, nt, np, cap = 0;
	struct axes_used used = { 0 };

	benches = calloc(mb_bench_count() + 1, sizeof(*benches));
	targets = calloc(mb_target_count() + 1, sizeof(*targets));
	if (!benches || !targets)
		oom();
	nb = select_benches(o, su, benches);
	nt = select_targets(o, targets);
	profiles = select_profiles(r, &np);

	for (size_t bi = 0; bi < nb; bi++) {
		struct axes ax;

		bench_axes(r, su, benches[bi], &ax, &used);
		for (size_t a = 0; a < ax.sizes.n; a++)
		for (size_t m = 0; m < ax.maps.n; m++)
		for (size_t p = 0; p < ax.pops.n; p++)
		for (size_t c = 0; c < ax.counts.n; c++)
		for (size_t th = 0; th < ax.threads.n; th++) {
			struct mb_case cs;

			case_init(&cs, benches[bi], r->ngroups, ax.sizes.v[a], (int)ax.maps.v[m],
				  (int)ax.pops.v[p], (long)ax.counts.v[c], (int)ax.threads.v[th]);
			if (add_group(r, &cap, &cs, targets, nt, profiles, np))
				r->ngroups++;
		}
		axes_free(&ax);
	}
	check_plan(r, &used);
	free(benches);
	free(targets);
	free(profiles);
}

/*
 * --inject-ns N (every benchmark) or BENCH=N,... (those named): the waits to
 * calibrate, and which case gets which.  N = 0 is no wait.
 */
static void plan_inject(struct mb_run *r, const char *spec)
{
	struct mb_strv sv;
	uint64_t ns;

	if (!spec)
		return;
	if (mb_split(spec, &sv))
		usage_error("--inject-ns: bad list '%s'", spec);
	for (size_t i = 0; i < sv.n; i++) {
		char *eq = strchr(sv.v[i], '=');
		const struct mb_bench *b = NULL;
		const char *num = sv.v[i];
		int err;

		if (eq) {
			*eq = 0;
			num = eq + 1;
			b = mb_bench_find(sv.v[i]);
			if (!b)
				usage_error("--inject-ns: unknown benchmark '%s'", sv.v[i]);
			for (size_t k = 0; k < r->ninj; k++)
				if (r->inj[k].b == b)
					usage_error("--inject-ns: '%s' given twice", b->name);
		} else if (sv.n > 1) {
			usage_error("--inject-ns: N alone or BENCH=N,..., not '%s'", spec);
		}
		err = mb_parse_u64(num, 0, 10000000, &ns);
		if (err)
			usage_error("--inject-ns: '%s' is not a number of ns in 0..10000000", num);
		if (!ns)
			continue;
		if (r->ninj == MB_MAX_INJECT)
			usage_error("--inject-ns: at most %d benchmarks", MB_MAX_INJECT);
		r->inj[r->ninj].b = b;
		r->inj[r->ninj].ns = (double)ns;
		r->ninj++;
	}
	mb_strv_free(&sv);
	for (size_t c = 0; c < r->ncases; c++)
		for (size_t k = 0; k < r->ninj; k++)
			if (!r->inj[k].b || r->inj[k].b == r->cases[c].b)
				r->cases[c].inj = &r->inj[k];
}

/* ---- run ---- */

static void on_signal(int sig)
{
	(void)sig;
	mb_interrupted = 1;
}

static void setup_cpus(struct mb_run *r)
{
	cpu_set_t set;

	r->pinned_cpu = -1;
	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof(set), &set) == 0) {
		r->allowed = calloc(CPU_SETSIZE, sizeof(*r->allowed));
		if (!r->allowed)
			oom();
		for (int c = 0; c < CPU_SETSIZE; c++)
			if (CPU_ISSET(c, &set))
				r->allowed[r->nallowed++] = c;
	}
	r->ncpus = r->nallowed ? r->nallowed : (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (r->o->cpu == -1)
		return;
	if (r->o->cpu >= 0) {
		bool ok = false;

		for (int i = 0; i < r->nallowed; i++)
			ok |= r->allowed[i] == r->o->cpu;
		if (!ok)
			usage_error("--cpu %d: not among this process's CPUs (%d allowed)",
				    r->o->cpu, r->nallowed);
		r->pinned_cpu = r->o->cpu;
	} else if (r->nallowed) {
		/* CPU 0 takes most housekeeping interrupts: prefer the last one. */
		r->pinned_cpu = r->allowed[r->nallowed - 1];
	}
}

static void pin(struct mb_run *r)
{
	cpu_set_t set;

	if (r->pinned_cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(r->pinned_cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		if (!r->o->quiet)
			fprintf(stderr, "%s: warning: cannot pin to CPU %d: %s\n", prog,
				r->pinned_cpu, strerror(errno));
		r->pinned_cpu = -1;
	}
}

/*
 * --ops N: the one selected case's first step N times, nothing measured; what an
 * outside timer sees is the process: exec, set-up, the N ops, exit.
 */
static int cmd_ops(struct mb_run *r)
{
	struct mb_opts *o = r->o;
	struct mb_case *cs = &r->cases[0];
	int rc;

	if (o->out)
		usage_error("--ops writes no results: drop -o");
	if (o->samples_set || o->warmup_set || o->sample_min_set || o->batch ||
	    o->inject)
		usage_error("--ops takes no --samples, --warmup, --sample-min, --batch or "
			    "--inject-ns");
	if (r->ncases != 1)
		usage_error("--ops needs exactly one case, the selection gives %zu (give one "
			    "value each of -b, -t, -p, -s, --map, --populate, --count, "
			    "--threads)", r->ncases);
	if ((cs->b->flags & MB_F_BATCH_COUNT) || cs->b->min_batch > 1)
		usage_error("--ops: %s runs its ops in batches of a fixed size; use a "
			    "batched benchmark (storm, storm-vmas)", cs->b->name);
	if (cs->threads != 1)
		usage_error("--ops runs one thread, not %d (--threads 1)", cs->threads);

	pin(r);
	if (!o->allow_thp)
		r->thp_disabled = prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) == 0;
	rc = mb_run_ops(r, o->ops);
	if (r->profile_changed && r->orig_profile[0]) {
		int e = mb_module_set_profile(r->orig_profile);

		if (e)
			fprintf(stderr, "%s: warning: cannot restore module profile '%s': %s\n",
				prog, r->orig_profile, strerror(-e));
	}
	if (rc == MB_SKIP) {
		fprintf(stderr, "%s: skipped: %s: %s\n", prog, cs->t->name, cs->reason);
		return MB_EXIT_SKIPPED;
	}
	if (rc) {
		fprintf(stderr, "%s: failed: %s: %s\n", prog, cs->t->name, cs->reason);
		return MB_EXIT_RUNTIME;
	}
	return MB_EXIT_OK;
}

/* Fail before measuring for minutes if -o FILE cannot be written: 0 or -1 (said). */
static int check_out(const char *out)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", out);
	f = fopen(tmp, "we");
	if (!f) {
		fprintf(stderr, "%s: cannot write %s: %s\n", prog, tmp, strerror(errno));
		return -1;
	}
	fclose(f);
	unlink(tmp);
	return 0;
}

/*
 * The measuring part of a run: the counter, perf, the harness's overhead, the
 * --inject-ns waits, the cases; then the module's profile put back.  0 or -errno.
 */
static int measure(struct mb_run *r)
{
	const struct mb_opts *o = r->o;
	int err;

	mb_counter_init(&r->ctr, o->quiet);
	mb_perf_init(&r->perf);
	err = mb_measure_overhead(r, r->overhead);
	for (size_t i = 0; !err && i < r->ninj; i++) {
		struct mb_inject *in = &r->inj[i];

		mb_inject_calibrate(r, in);
		/* a wait shorter than two counter reads cannot be made: say so */
		if (fabs(in->achieved_ns - in->ns) > 0.05 * in->ns + 20 && !o->quiet)
			fprintf(stderr, "%s: warning: --inject-ns %s%s%.0f: the wait lasts "
				"%.1f ns here (its own cost is %.1f ticks)\n", prog,
				in->b ? in->b->name : "", in->b ? "=" : "", in->ns,
				in->achieved_ns, in->cost_ticks);
	}
	mb_prof_arm(r);
	if (!err)
		err = mb_run_cases(r);
	mb_perf_finish();
	if (r->profile_changed && r->orig_profile[0]) {
		int e = mb_module_set_profile(r->orig_profile);

		if (e)
			fprintf(stderr, "%s: warning: cannot restore module profile '%s': %s\n",
				prog, r->orig_profile, strerror(-e));
	}
	return err;
}

/* The results file, the summary and the closing lines; the exit status. */
static int finish(struct mb_run *r)
{
	const struct mb_opts *o = r->o;
	size_t nfail = 0, nok = 0, nskip = 0;
	int ret = MB_EXIT_OK;

	for (size_t i = 0; i < r->ncases; i++) {
		nok += r->cases[i].status == MB_ST_OK;
		nskip += r->cases[i].status == MB_ST_SKIPPED;
		nfail += r->cases[i].status == MB_ST_FAILED;
	}
	if (o->out && mb_write_results(r, o->out))
		ret = MB_EXIT_RUNTIME;
	if (!o->quiet)
		mb_print_summary(r, stdout);
	if (fabs(r->ctr.drift_ppm) > 1000 && !o->quiet)
		fprintf(stderr, "%s: warning: counter rate drifted %.0f ppm during the run\n",
			prog, r->ctr.drift_ppm);
	if (nfail) {
		fprintf(stderr, "%s: %zu of %zu cases failed (see the reasons above%s)\n",
			prog, nfail, r->ncases, o->out ? " and in the results" : "");
		ret = MB_EXIT_RUNTIME;
	}
	if (!o->quiet)
		fprintf(stderr, "%s: %zu ok, %zu skipped, %zu failed in %.1f s%s%s\n", prog,
			nok, nskip, nfail, r->elapsed_s, o->out && ret != MB_EXIT_RUNTIME ?
			"; results in " : "", o->out && ret != MB_EXIT_RUNTIME ? o->out : "");
	return ret;
}

static int cmd_run(struct mb_opts *o)
{
	struct mb_run r;
	const struct suite *su = suite_find(o->suite);
	struct sigaction sa;
	time_t now = time(NULL);
	int err;

	if (!su)
		usage_error("unknown suite '%s' (quick, default, matrix)", o->suite);
	memset(&r, 0, sizeof(r));
	r.o = o;
	r.seed = o->seed;
	r.samples = o->samples_set ? o->samples : su->samples;
	r.sample_min_ns = o->sample_min_set ? o->sample_min_ns : su->sample_min_ns;
	r.warmup = o->warmup_set ? o->warmup : su->warmup;
	r.bootstrap = (unsigned)o->bootstrap;
	strftime(r.date, sizeof(r.date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	setup_cpus(&r);
	mb_module_read(&r.mod);
	if (r.mod.have_profile)
		snprintf(r.orig_profile, sizeof(r.orig_profile), "%s", r.mod.profile);
	build_plan(&r, su);
	plan_inject(&r, o->inject);
	if (o->ops_set) {
		if (o->perf_windows || o->perf_ctl >= 0)
			usage_error("--ops measures nothing: no --perf-windows or --perf-control");
		return cmd_ops(&r);
	}

	/* Usage is settled; from here on failures are runtime failures. */
	if (o->out && check_out(o->out))
		return MB_EXIT_RUNTIME;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	{
		char why[256];

		if (mb_prof_init(o, why, sizeof(why)))
			usage_error("%s", why);
	}
	pin(&r);
	if (!o->allow_thp)
		r.thp_disabled = prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) == 0;
	if (!o->quiet)
		fprintf(stderr, "%s: %zu cases in %zu groups, %" PRIu64 " samples each; "
			"calibrating the counter\n", prog, r.ncases, r.ngroups, r.samples);
	err = measure(&r);
	if (mb_prof_finish(!err) && !err) {
		fprintf(stderr, "%s: --perf-windows %s: cannot write it: %s\n", prog,
			o->perf_windows, strerror(errno));
		return MB_EXIT_RUNTIME;
	}
	if (err == -EINTR) {
		fprintf(stderr, "%s: interrupted; no results written\n", prog);
		return MB_EXIT_RUNTIME;
	}
	if (err) {
		fprintf(stderr, "%s: %s\n", prog, strerror(-err));
		return MB_EXIT_RUNTIME;
	}
	mb_counter_finish(&r.ctr);
	mb_finalize(&r, r.overhead, 2);
	mb_finalize(&r, r.cases, r.ncases);
	return finish(&r);
}

enum {
	OPT_MAP = 256, OPT_POPULATE, OPT_COUNT, OPT_THREADS, OPT_SAMPLES, OPT_WARMUP,
	OPT_BATCH, OPT_BOOTSTRAP, OPT_CPU, OPT_SEED, OPT_ACCEL, OPT_CLOCK, OPT_FILE, OPT_SUITE,
	OPT_ALLOW_THP, OPT_INJECT_NS, OPT_OPS, OPT_NO_FLOOR, OPT_NO_COUNTS, OPT_PERF_WINDOWS,
	OPT_PERF_CONTROL, OPT_SAMPLE_MIN, OPT_TASKS,
};

static const struct option long_opts[] = {
	{ "bench", required_argument, NULL, 'b' },
	{ "target", required_argument, NULL, 't' },
	{ "profile", required_argument, NULL, 'p' },
	{ "size", required_argument, NULL, 's' },
	{ "map", required_argument, NULL, OPT_MAP },
	{ "populate", required_argument, NULL, OPT_POPULATE },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "samples", required_argument, NULL, OPT_SAMPLES },
	{ "warmup", required_argument, NULL, OPT_WARMUP },
	{ "sample-min", required_argument, NULL, OPT_SAMPLE_MIN },
	{ "batch", required_argument, NULL, OPT_BATCH },
	{ "bootstrap", required_argument, NULL, OPT_BOOTSTRAP },
	{ "cpu", required_argument, NULL, OPT_CPU },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "accel", required_argument, NULL, OPT_ACCEL },
	{ "clock", required_argument, NULL, OPT_CLOCK },
	{ "file", required_argument, NULL, OPT_FILE },
	{ "suite", required_argument, NULL, OPT_SUITE },
	{ "allow-thp", no_argument, NULL, OPT_ALLOW_THP },
	{ "no-floor", no_argument, NULL, OPT_NO_FLOOR },
	{ "no-counts", no_argument, NULL, OPT_NO_COUNTS },
	{ "tasks", required_argument, NULL, OPT_TASKS },
	{ "inject-ns", required_argument, NULL, OPT_INJECT_NS },
	{ "ops", required_argument, NULL, OPT_OPS },
	{ "perf-windows", required_argument, NULL, OPT_PERF_WINDOWS },
	{ "perf-control", required_argument, NULL, OPT_PERF_CONTROL },
	{ "output", required_argument, NULL, 'o' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static bool name_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > 32)
		return false;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-",
			    *s))
			return false;
	return true;
}

/* The selection's options (help: "Selection"): true if c is one. */
static bool selection_opt(int c, struct mb_opts *o)
{
	switch (c) {
	case 'b': o->benches = optarg; break;
	case 't': o->targets = optarg; break;
	case 'p': o->profiles = optarg; break;
	case 's': o->sizes = optarg; break;
	case OPT_MAP: o->maps = optarg; break;
	case OPT_POPULATE: o->populate = optarg; break;
	case OPT_COUNT: o->counts = optarg; break;
	case OPT_THREADS: o->threads = optarg; break;
	case OPT_TASKS:
		if (strcmp(optarg, "threads") && strcmp(optarg, "processes"))
			usage_error("--tasks: '%s' is not threads or processes", optarg);
		o->processes = !strcmp(optarg, "processes");
		break;
	case OPT_SUITE: o->suite = optarg; break;
	default: return false;
	}
	return true;
}

/* The measurement's options (help: "Measurement"): true if c is one. */
static bool measurement_opt(int c, struct mb_opts *o)
{
	uint64_t v;

	switch (c) {
	case OPT_SAMPLES:
		u64_opt("--samples", optarg, 1, 100000, &o->samples);
		o->samples_set = true;
		break;
	case OPT_SAMPLE_MIN:
		u64_opt("--sample-min", optarg, 0, 1000000000, &o->sample_min_ns);
		o->sample_min_set = true;
		break;
	case OPT_WARMUP:
		u64_opt("--warmup", optarg, 0, 10000, &o->warmup);
		o->warmup_set = true;
		break;
	case OPT_BATCH: u64_opt("--batch", optarg, 1, 10000000, &o->batch); break;
	case OPT_BOOTSTRAP: u64_opt("--bootstrap", optarg, 100, 1000000, &o->bootstrap); break;
	case OPT_CPU:
		if (!strcmp(optarg, "none")) {
			o->cpu = -1;
			break;
		}
		u64_opt("--cpu", optarg, 0, CPU_SETSIZE - 1, &v);
		o->cpu = (int)v;
		break;
	case OPT_SEED: u64_opt("--seed", optarg, 0, UINT64_MAX, &o->seed); break;
	case OPT_ALLOW_THP: o->allow_thp = true; break;
	case OPT_NO_FLOOR: o->no_floor = true; break;
	case OPT_NO_COUNTS: o->no_counts = true; break;
	case OPT_INJECT_NS: o->inject = optarg; break;
	case OPT_OPS:
		u64_opt("--ops", optarg, 0, 1000000000, &o->ops);
		o->ops_set = true;
		break;
	case OPT_PERF_WINDOWS:
		if (!*optarg)
			usage_error("--perf-windows: empty path");
		o->perf_windows = optarg;
		break;
	case OPT_PERF_CONTROL:
		if (mb_prof_parse_control(optarg, &o->perf_ctl, &o->perf_ack, &o->perf_dither))
			usage_error("--perf-control: '%s' is not CTL,ACK[,NS] (two different "
				    "file descriptor numbers, a dither of 0..10^9 ns)", optarg);
		break;
	default: return false;
	}
	return true;
}

/* The options of records and output (help: "Records and output"): true if c is one. */
static bool record_opt(int c, struct mb_opts *o)
{
	enum mb_clock clk;

	switch (c) {
	case OPT_ACCEL:
		if (!name_ok(optarg))
			usage_error("--accel: '%s' is not a name ([A-Za-z0-9._-], up to 32)",
				    optarg);
		o->accel = optarg;
		break;
	case OPT_CLOCK:
		if (mb_clock_parse(optarg, &clk))
			usage_error("--clock: '%s' is not a clock (icount, tcg, kvm, bare)", optarg);
		o->clock = optarg;
		break;
	case OPT_FILE:
		if (!*optarg)
			usage_error("--file: empty path");
		o->file = optarg;
		break;
	case 'o':
		if (!*optarg)
			usage_error("-o: empty path");
		o->out = optarg;
		break;
	case 'q': o->quiet = true; break;
	default: return false;
	}
	return true;
}

/*
 * The options of list and run, from argv[2] on: -1 to go on, or the exit status
 * (--help, --version).  A usage error exits.
 */
static int parse_opts(int argc, char **argv, struct mb_opts *o)
{
	int c;

	opterr = 0;
	optind = 2;
	while ((c = getopt_long(argc, argv, ":b:t:p:s:o:qhV", long_opts, NULL)) != -1) {
		if (selection_opt(c, o) || measurement_opt(c, o) || record_opt(c, o))
			continue;
		switch (c) {
		case 'h': help(stdout); return MB_EXIT_OK;
		case 'V': return mb_print_version("mmapbench");
		default: exit(mb_usage_getopt(prog, c, argv));
		}
	}
	if (mb_usage_operands(prog, argc, argv))
		exit(MB_EXIT_USAGE);
	return -1;
}

/* What the environment says: MMAPBENCH_ACCEL (checked), _CLOCK, _ICOUNT_SHIFT. */
static void env_opts(struct mb_opts *o)
{
	enum mb_clock clk;
	uint64_t v;

	if (!name_ok(o->accel))
		usage_error("MMAPBENCH_ACCEL: '%s' is not a name ([A-Za-z0-9._-], up to 32)",
			    o->accel);
	if (!o->clock) {
		const char *e = getenv("MMAPBENCH_CLOCK");

		if (e && *e && mb_clock_parse(e, &clk))
			usage_error("MMAPBENCH_CLOCK: '%s' is not a clock (icount, tcg, kvm, bare)",
				    e);
		o->clock = e && *e ? e : mb_clock_of_env(NULL, o->accel);
		if (!o->clock)
			o->clock = "bare";
	}
	if (!strcmp(o->clock, "icount")) {
		const char *e = getenv("MMAPBENCH_ICOUNT_SHIFT");

		if (e && *e) {
			u64_opt("MMAPBENCH_ICOUNT_SHIFT", e, 0, 10, &v);
			o->icount_shift = (unsigned)v;
		}
	}
}

int main(int argc, char **argv)
{
	struct mb_opts o;
	const char *cmd;
	int c;

	memset(&o, 0, sizeof(o));
	o.suite = "default";
	o.cpu = -2;
	o.seed = DEFAULT_SEED;
	o.bootstrap = MB_BOOTSTRAP_B;
	o.perf_ctl = o.perf_ack = -1;
	o.argc = argc;
	o.argv = argv;
	o.accel = getenv("MMAPBENCH_ACCEL");
	if (!o.accel || !*o.accel)
		o.accel = "bare";

	/* `mmapbench --help` and `--version` work without a command */
	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		help(stdout);
		return MB_EXIT_OK;
	}
	if (argc >= 2 && (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")))
		return mb_print_version("mmapbench");
	if (argc < 2)
		usage_error("missing command (list or run)");
	cmd = argv[1];
	if (!strcmp(cmd, "oracle"))
		return mb_oracle_main(prog, argc - 2, argv + 2);
	if (!strcmp(cmd, "list")) {
		int rc = mb_list_names(prog, argc - 2, argv + 2);

		if (rc >= 0)
			return rc;
	}
	if (strcmp(cmd, "list") && strcmp(cmd, "run"))
		usage_error("unknown command '%s' (list, run or oracle)", cmd);

	c = parse_opts(argc, argv, &o);
	if (c >= 0)
		return c;
	env_opts(&o);
	if (!strcmp(cmd, "list"))
		return cmd_list();
	return cmd_run(&o);
}
