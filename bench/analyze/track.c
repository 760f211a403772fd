// SPDX-License-Identifier: GPL-2.0
/*
 * track.c - mmapbench-track RESULTS: record a run in the history index and compare it
 * with the baseline of its environment; exit 1 naming the metrics that regressed.
 *
 * The index (default results/history/index.tsv) is a TSV file with a header line and
 * one line per recorded run (TRACK_COLS below).  An environment is accel + CPU model
 * + counter: runs are compared only within one.  Its baseline is the last line marked
 * "yes" in the baseline column; the first run of an environment is marked so, and
 * --set-baseline marks the run being recorded.  The index is rewritten whole into a
 * temporary file that is then renamed over it, under an flock() on INDEX.lock.
 *
 * --history prints the index's runs as data for a history plot (scripts/host/plot
 * --history): per run and metric the pooled median and its bootstrap 95 % CI.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "cmp.h"
#include "stats.h"

#define PROG		"mmapbench-track"
#define DEFAULT_INDEX	"results/history/index.tsv"
#define NCOLS		10

static const char *const cols[NCOLS] = {
	"recorded", "run", "run_date", "kernel_release", "tool_version",
	"accel", "counter", "cpu_model", "baseline", "verdict",
};
enum {
	C_RECORDED, C_RUN, C_DATE, C_KERNEL, C_VERSION, C_ACCEL, C_COUNTER, C_CPU,
	C_BASELINE, C_VERDICT
};

struct entry {
	char *f[NCOLS];
};

struct index {
	const char *path;
	char *text;		/* the file as read, to be written back unchanged */
	size_t len;
	size_t n;
	struct entry *e;
	char *buf;		/* the fields point into it */
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: " PROG " [OPTION]... RESULTS\n"
"  or:  " PROG " --history [--index FILE] [--seed N]\n"
"\n"
"Record the run RESULTS (a results.json file, a directory of them or a comma\n"
"list: one set, as for mmapbench-compare) in the history index and compare it\n"
"with the baseline of its environment (same accel, clock, CPU model and counter;\n"
"the accel column reads ACCEL+CLOCK when the clock is not the accel's own, e.g.\n"
"tcg+icount, so that runs of two clocks never share a history line; the\n"
"kernel may differ).  The baseline is the first run recorded for the\n"
"environment, or the last one recorded with --set-baseline.  A metric regresses\n"
"when the comparison marks it significant (Mann-Whitney p < 0.05 and the 95 %%\n"
"bootstrap CI of the ratio excluding 1) and it moved the wrong way (its 'better'\n"
"field) by more than the threshold.  Several runs a side make that meaningful:\n"
"with one, any run-to-run difference of the machine counts.\n"
"\n"
"Options:\n"
"      --index FILE      the index (default " DEFAULT_INDEX ");\n"
"                        run paths in it are as given, relative to the current\n"
"                        directory\n"
"      --threshold PCT   regression threshold in %% (default 5)\n"
"      --set-baseline    record this run as its environment's new baseline\n"
"      --history         record nothing: print every recorded run's metrics as\n"
"                        TSV (header line; per run in index order and metric:\n"
"                        the median of its pooled samples and the bootstrap\n"
"                        95 %% CI of it, runs then samples resampled; columns\n"
"                        statistic: per_op, fast, value or as_recorded, what a\n"
"                        sample is (mmapbench-compare --help), and ci_over:\n"
"                        runs, or samples when the run is one file); a run\n"
"                        that cannot be read is left out with a warning\n"
"      --seed N          bootstrap seed (default 1)\n"
"      --mixed-clocks    track a set whose runs have different clocks (refused\n"
"                        by default: icount timings are instructions, not ns)\n"
"  -h, --help            this help\n"
"  -V, --version         the version\n"
"\n"
"Exit status: 0 no regression (or the first run of its environment, or\n"
"--set-baseline), 1 a metric regressed (named on stderr), 2 usage error,\n"
"unreadable or invalid results or index (--history: no index, or no run in\n"
"it could be read).\n");
}

/* mkdir -p of the directory part of path */
static int mkdirs_for(const char *path)
{
	char *d = strdup(path);
	int err = 0;

	if (!d)
		return -ENOMEM;
	for (char *p = d + 1; *p && !err; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(d, 0777) && errno != EEXIST)
			err = -errno;
		*p = '/';
	}
	free(d);
	return err;
}

static void index_free(struct index *ix)
{
	free(ix->text);
	free(ix->buf);
	free(ix->e);
}

/* Read and check the index; a missing one is empty.  0, or 2 with a message. */
static int index_read(struct index *ix)
{
	FILE *f = fopen(ix->path, "r");
	char *line, *save = NULL, header[256] = "";
	size_t cap = 0, lineno = 0;

	if (!f) {
		if (errno == ENOENT)
			return 0;
		fprintf(stderr, PROG ": %s: cannot read: %s\n", ix->path, strerror(errno));
		return 2;
	}
	for (;;) {
		size_t got;

		ix->text = realloc(ix->text, cap + 65536 + 1);
		if (!ix->text) {
			fclose(f);
			fprintf(stderr, PROG ": out of memory\n");
			return 2;
		}
		got = fread(ix->text + cap, 1, 65536, f);
		cap += got;
		if (got < 65536)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, PROG ": %s: cannot read: %s\n", ix->path, strerror(errno));
		fclose(f);
		return 2;
	}
	fclose(f);
	ix->len = cap;
	ix->text[cap] = 0;
	if (strlen(ix->text) != cap) {
		fprintf(stderr, PROG ": %s: not a text file (NUL bytes)\n", ix->path);
		return 2;
	}
	if (cap && ix->text[cap - 1] != '\n') {
		fprintf(stderr, PROG ": %s: the last line is incomplete\n", ix->path);
		return 2;
	}
	for (int i = 0; i < NCOLS; i++)
		snprintf(header + strlen(header), sizeof(header) - strlen(header), "%s%s",
			 i ? "\t" : "", cols[i]);
	ix->buf = strdup(ix->text);
	if (!ix->buf)
		return 2;
	for (line = strtok_r(ix->buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct entry *e;
		char *p = line;

		if (++lineno == 1) {
			if (strcmp(line, header)) {
				fprintf(stderr, PROG ": %s:1: not a track index (the header is not "
					"\"recorded<TAB>run<TAB>...\")\n", ix->path);
				return 2;
			}
			continue;
		}
		ix->e = realloc(ix->e, (ix->n + 1) * sizeof(*ix->e));
		if (!ix->e)
			return 2;
		e = &ix->e[ix->n++];
		for (int i = 0; i < NCOLS; i++) {
			e->f[i] = p;
			p = strchr(p, '\t');
			if ((i < NCOLS - 1 && !p) || (i == NCOLS - 1 && p)) {
				fprintf(stderr, PROG ": %s:%zu: expected %d tab-separated fields\n",
					ix->path, lineno, NCOLS);
				return 2;
			}
			if (p)
				*p++ = 0;
		}
	}
	return 0;
}

/* A field for the index: tabs and newlines become spaces, empty becomes "-". */
static void field(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", *src ? src : "-");
	for (char *p = dst; *p; p++)
		if (*p == '\t' || *p == '\n' || *p == '\r')
			*p = ' ';
}

/* The index plus one line, via INDEX.tmp.PID renamed over it.  0, or 2. */
static int index_append(struct index *ix, char *const f[NCOLS])
{
	char tmp[4096], dir[4096], *slash;
	FILE *out;
	int fd, err = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", ix->path, (int)getpid());
	out = fopen(tmp, "w");
	if (!out) {
		fprintf(stderr, PROG ": %s: cannot create: %s\n", tmp, strerror(errno));
		return 2;
	}
	if (!ix->len) {
		for (int i = 0; i < NCOLS; i++)
			fprintf(out, "%s%s", i ? "\t" : "", cols[i]);
		fputc('\n', out);
	} else {
		fwrite(ix->text, 1, ix->len, out);
	}
	for (int i = 0; i < NCOLS; i++) {
		char v[1024];

		field(v, sizeof(v), f[i]);
		fprintf(out, "%s%s", i ? "\t" : "", v);
	}
	fputc('\n', out);
	if (fflush(out) || fsync(fileno(out)))
		err = errno;
	if (fclose(out) && !err)
		err = errno;
	if (!err && rename(tmp, ix->path))
		err = errno;
	if (err) {
		fprintf(stderr, PROG ": %s: cannot write: %s\n", ix->path, strerror(err));
		unlink(tmp);
		return 2;
	}
	/* the rename itself durable */
	snprintf(dir, sizeof(dir), "%s", ix->path);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	else
		snprintf(dir, sizeof(dir), ".");
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	return 0;
}

/* The header of --history's TSV; the case key supplies bench to params. */
static const char history_header[] =
	"seq\trecorded\trun\tkernel_release\taccel\tcounter\tcpu_model\tbaseline\t"
	"bench\ttarget\tprofile\tparams\tcase\tmetric\tunit\tbetter\truns\tn\t"
	"median\tci95_lo\tci95_hi\tstatistic\tci_over\n";

/* --history: the index's runs, one TSV line per run and metric.  0, or 2. */
static int history(struct index *ix, uint64_t seed)
{
	size_t shown = 0;
	int rc;

	rc = index_read(ix);
	if (rc)
		return rc;
	if (!ix->n) {
		fprintf(stderr, PROG ": %s: no recorded run (make track RESULTS=... first)\n",
			ix->path);
		return 2;
	}
	printf("%s", history_header);
	for (size_t i = 0; i < ix->n; i++) {
		const struct entry *e = &ix->e[i];
		struct cmp_set s;
		char err[1024];

		if (cmp_load(e->f[C_RUN], &s, err, sizeof(err))) {
			fprintf(stderr, PROG ": warning: %s:%zu: %s (left out)\n", ix->path,
				i + 2, err);
			cmp_set_free(&s);
			continue;
		}
		shown++;
		for (size_t k = 0; k < s.ncases; k++) {
			const struct cmp_case *c = &s.cases[k];

			for (size_t j = 0; j < c->nmetrics; j++) {
				const struct cmp_metric *m = &c->m[j];
				struct mb_runset rs = { m->nruns, (const double *const *)m->x, m->n };
				double *x, lo = NAN, hi = NAN, med;
				size_t n;

				x = m->nruns ? cmp_pool(m, &n) : NULL;
				if (!x)
					continue;
				mb_sort(x, n);
				med = mb_quantile(x, n, 0.5);
				free(x);
				if (mb_runs_median_ci(&rs, MB_BOOTSTRAP_B, seed, 0.95, &lo, &hi))
					lo = hi = NAN;
				printf("%zu\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t"
				       "%zu\t%zu\t%.17g\t%.17g\t%.17g\t%s\t%s\n", i + 1,
				       e->f[C_RECORDED],
				       e->f[C_RUN], e->f[C_KERNEL], e->f[C_ACCEL], e->f[C_COUNTER],
				       e->f[C_CPU], e->f[C_BASELINE], c->key, c->label, m->name,
				       m->unit, m->better < 0 ? "lower" : m->better > 0 ?
				       "higher" : "none", m->nruns, n, med, lo, hi,
				       cmp_stat_name(m->stat), m->nruns >= 2 ? "runs" : "samples");
			}
		}
		cmp_set_free(&s);
	}
	if (!shown) {
		fprintf(stderr, PROG ": %s: none of its %zu runs could be read\n", ix->path,
			ix->n);
		return 2;
	}
	return fflush(stdout) || ferror(stdout) ? 2 : 0;
}

static int parse_double(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return errno || end == s || *end || !isfinite(*v) ? -1 : 0;
}

/* The command line; rc = -1 to go on, else the exit status (help, version, usage). */
struct track_opts {
	const char *index;
	double threshold;
	uint64_t seed;
	int mixed_ok, set_baseline, show_history;
};

static int parse_args(int argc, char **argv, struct track_opts *o)
{
	static const struct option opts[] = {
		{ "index", required_argument, NULL, 'i' },
		{ "threshold", required_argument, NULL, 't' },
		{ "set-baseline", no_argument, NULL, 'b' },
		{ "seed", required_argument, NULL, 's' },
		{ "history", no_argument, NULL, 'H' },
		{ "mixed-clocks", no_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hV", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (!*optarg)
				return mb_usage_error(PROG, "--index: an empty name%s", "");
			o->index = optarg;
			break;
		case 't':
			if (parse_double(optarg, &o->threshold) || o->threshold < 0 ||
			    o->threshold >= 1000)
				return mb_usage_error(PROG, "--threshold: '%s' is not a "
						      "percentage in [0, 1000)", optarg);
			break;
		case 'b':
			o->set_baseline = 1;
			break;
		case 'H':
			o->show_history = 1;
			break;
		case 'x':
			o->mixed_ok = 1;
			break;
		case 's':
			if (cmp_parse_seed(optarg, &o->seed))
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
	if (o->show_history) {
		if (argc != optind)
			return mb_usage_error(PROG, "--history takes no RESULTS ('%s')",
					      argv[optind]);
		if (o->set_baseline)
			return mb_usage_error(PROG,
					      "--history records nothing: no --set-baseline%s", "");
		return -1;
	}
	if (argc - optind != 1)
		return mb_usage_error(PROG, "%s", argc - optind < 1 ? "needs RESULTS" :
				      "one RESULTS only (a set is comma-separated)");
	return -1;
}

/*
 * The run to track, from one environment and (unless mixed_ok) one clock, and that
 * environment's key: accel, or accel+clock when the clock is another (icount).
 * 0, or 2 (message printed, run freed).
 */
static int load_run(const char *spec, int mixed_ok, struct cmp_set *run, char *envkey,
		    size_t len)
{
	char err[1024];

	if (cmp_load(spec, run, err, sizeof(err))) {
		fprintf(stderr, PROG ": %s\n", err);
		cmp_set_free(run);
		return 2;
	}
	if (run->accel.n != 1 || run->cpu.n != 1 || run->counter.n != 1) {
		fprintf(stderr, PROG ": %s: its runs come from more than one environment "
			"(accel, CPU model, counter): track them one at a time\n", spec);
		cmp_set_free(run);
		return 2;
	}
	if (cmp_clocks_mixed(run, NULL, err, sizeof(err)) && !mixed_ok) {
		fprintf(stderr, PROG ": %s: refused: its runs have different clocks (%s); "
			"a timing under icount is instructions, not ns (--mixed-clocks to "
			"track it anyway)\n", spec, err);
		cmp_set_free(run);
		return 2;
	}
	if (run->clock.n && strcmp(run->clock.v[0], "?") &&
	    strcmp(run->clock.v[0], run->accel.v[0]))
		snprintf(envkey, len, "%s+%s", run->accel.v[0], run->clock.v[0]);
	else
		snprintf(envkey, len, "%s", run->accel.v[0]);
	return 0;
}

/* The index's directory made and its lock taken: the lock's fd, or -1 (printed). */
static int lock_index(const char *path)
{
	char lockpath[4200];
	int fd, err = mkdirs_for(path);

	if (err) {
		fprintf(stderr, PROG ": %s: cannot create its directory: %s\n", path,
			strerror(-err));
		return -1;
	}
	snprintf(lockpath, sizeof(lockpath), "%s.lock", path);
	fd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0 || flock(fd, LOCK_EX)) {
		fprintf(stderr, PROG ": %s: cannot lock: %s\n", lockpath, strerror(errno));
		return -1;
	}
	return fd;
}

/* The run against its baseline: the table, and each tracked metric that regressed. */
static void regressions(const struct cmp_set *base, const struct cmp_set *run,
			const struct track_opts *o, struct cmp_result *r, size_t *nreg,
			size_t *ntracked)
{
	cmp_compare(base, run, o->seed, r);
	cmp_print(stdout, r, CMP_TEXT);
	printf("\n");
	for (size_t i = 0; i < r->nrows; i++) {
		const struct cmp_row *row = &r->rows[i];
		char name[512];

		if (!row->m->better)
			continue;
		(*ntracked)++;
		if (row->verdict >= 0 || !(fabs(row->change) > o->threshold))
			continue;
		(*nreg)++;
		cmp_row_name(row, name, sizeof(name));
		printf("track: REGRESSION %s %+.1f%% (%s is better; p %.2g, CI "
		       "[%.3f, %.3f])\n", name, row->change,
		       row->m->better < 0 ? "lower" : "higher", row->mw.p,
		       row->ci_lo, row->ci_hi);
		fprintf(stderr, PROG ": regression beyond %g%%: %s %+.1f%%\n",
			o->threshold, name, row->change);
	}
}

/* The run's line in the index (the time, the run, its environment, the verdict). */
static int record(struct index *ix, const struct cmp_set *run, time_t t, char *spec,
		  char *kernel, char *version, char *envkey, char *verdict, int baseline)
{
	char now[32], *rec[NCOLS];
	int rc;

	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	rec[C_RECORDED] = now;
	rec[C_RUN] = spec;
	rec[C_DATE] = run->date.v[0];
	rec[C_KERNEL] = kernel;
	rec[C_VERSION] = version;
	rec[C_ACCEL] = envkey;
	rec[C_COUNTER] = run->counter.v[0];
	rec[C_CPU] = run->cpu.v[0];
	rec[C_BASELINE] = baseline ? "yes" : "no";
	rec[C_VERDICT] = verdict;
	rc = index_append(ix, rec);
	if (!rc)
		printf("track: recorded in %s%s\n", ix->path, baseline ?
		       " as the baseline of its environment" : "");
	return rc;
}

/*
 * The baseline of run's environment (accelerator and clock, CPU, counter) in the
 * index: the entry marked so, else its first; *recorded whether spec is in it already.
 */
static const struct entry *find_baseline(const struct index *ix, const struct cmp_set *run,
					 const char *envkey, const char *spec, int *recorded)
{
	const struct entry *bl = NULL;

	for (size_t i = 0; i < ix->n; i++) {
		const struct entry *e = &ix->e[i];

		if (strcmp(e->f[C_ACCEL], envkey) || strcmp(e->f[C_CPU], run->cpu.v[0]) ||
		    strcmp(e->f[C_COUNTER], run->counter.v[0]))
			continue;
		if (!bl || !strcmp(e->f[C_BASELINE], "yes"))
			bl = e;
		if (!strcmp(e->f[C_RUN], spec))
			*recorded = 1;
	}
	return bl;
}

/* The index's verdict column: baseline, - (nothing to compare), regressed:N or ok. */
static void verdict_of(char *buf, size_t len, int first, int have_base, size_t nreg)
{
	if (first)
		snprintf(buf, len, "baseline");
	else if (!have_base)
		snprintf(buf, len, "-");
	else if (nreg)
		snprintf(buf, len, "regressed:%zu", nreg);
	else
		snprintf(buf, len, "ok");
}

/*
 * run against the baseline bl (loaded into *base): 1 compared, 0 the baseline
 * cannot be read but --set-baseline starts anew, -1 it cannot be read (said).
 */
static int against_baseline(const struct entry *bl, struct cmp_set *base,
			    const struct cmp_set *run, const struct track_opts *o,
			    struct cmp_result *r, size_t *nreg, size_t *ntracked)
{
	char err[1024];

	printf("track: baseline %s (recorded %s, kernel %s)\n\n", bl->f[C_RUN],
	       bl->f[C_RECORDED], bl->f[C_KERNEL]);
	if (cmp_load(bl->f[C_RUN], base, err, sizeof(err))) {
		fprintf(stderr, PROG ": the baseline: %s%s\n", err,
			o->set_baseline ? "" : " (--set-baseline starts anew)");
		cmp_set_free(base);
		return o->set_baseline ? 0 : -1;
	}
	regressions(base, run, o, r, nreg, ntracked);
	return 1;
}

static void print_outcome(int have_base, size_t nreg, size_t ntracked, double threshold)
{
	if (!have_base)
		printf("track: nothing to compare with\n");
	else if (nreg)
		printf("track: %zu of %zu tracked metrics regressed beyond %g%%\n", nreg,
		       ntracked, threshold);
	else
		printf("track: no regression beyond %g%% (%zu tracked metrics)\n", threshold,
		       ntracked);
}

int mb_cmd_track(int argc, char **argv)
{
	struct track_opts o = { .index = DEFAULT_INDEX, .threshold = 5, .seed = 1 };
	struct index ix = { 0 };
	struct cmp_set run, base;
	struct cmp_result r = { 0 };
	const struct entry *bl = NULL;
	char spec[4096], kernel[512], version[256], verdict[64], envkey[300];
	int lockfd, rc, recorded = 0, have_base = 0;
	size_t nreg = 0, ntracked = 0;
	time_t t = time(NULL);	/* the run's recorded time: when the command started */

	rc = parse_args(argc, argv, &o);
	if (rc >= 0)
		return rc;
	ix.path = o.index;
	if (o.show_history) {
		rc = history(&ix, o.seed);
		index_free(&ix);
		return rc;
	}
	snprintf(spec, sizeof(spec), "%s", argv[optind]);
	for (size_t n = strlen(spec); n > 1 && spec[n - 1] == '/'; n--)
		spec[n - 1] = 0;

	if (load_run(spec, o.mixed_ok, &run, envkey, sizeof(envkey)))
		return 2;
	lockfd = lock_index(ix.path);
	if (lockfd < 0) {
		cmp_set_free(&run);
		return 2;
	}
	rc = index_read(&ix);
	if (rc)
		goto out;

	bl = find_baseline(&ix, &run, envkey, spec, &recorded);
	cmp_strs_join(&run.kernel, kernel, sizeof(kernel));
	cmp_strs_join(&run.version, version, sizeof(version));
	printf("track: run %s: %zu file%s, kernel %s, tool %s\n", spec, run.nfiles,
	       run.nfiles == 1 ? "" : "s", kernel, version);
	printf("track: environment: accel %s, CPU %s, counter %s\n", envkey,
	       run.cpu.v[0], run.counter.v[0]);

	if (bl && !strcmp(bl->f[C_RUN], spec)) {
		printf("track: this run is the baseline of its environment\n");
		bl = NULL;
	}
	if (bl) {
		have_base = against_baseline(bl, &base, &run, &o, &r, &nreg, &ntracked);
		if (have_base < 0) {
			have_base = 0;
			rc = 2;
			goto out;
		}
	}

	verdict_of(verdict, sizeof(verdict), !bl && !recorded, have_base, nreg);
	if (!recorded || o.set_baseline) {
		rc = record(&ix, &run, t, spec, kernel, version, envkey, verdict,
			    !bl || o.set_baseline);
		if (rc)
			goto out;
	} else {
		printf("track: already in %s, not recorded again\n", ix.path);
	}

	print_outcome(have_base, nreg, ntracked, o.threshold);
	rc = nreg && !o.set_baseline ? 1 : 0;
out:
	if (have_base) {
		cmp_result_free(&r);
		cmp_set_free(&base);
	}
	cmp_set_free(&run);
	index_free(&ix);
	close(lockfd);
	return rc;
}
