// SPDX-License-Identifier: GPL-2.0
/*
 * xcheck.c - mmapbench-xcheck: the harness against bare loops of will-it-scale's
 * mmap1 and page_fault1 (issue #13), process for process.
 *
 *	mmapbench-xcheck [--procs N] [--ms MS] [--samples S] [--harness PATH]
 *			 [--wis DIR [--wis-seconds S]] [-o FILE]
 *
 * Per workload, N processes of each side, one after the other, on the CPU the harness
 * pins to (the highest allowed one), THP disabled as the harness does:
 *
 *   mmap1        will-it-scale's tests/mmap1.c: mmap(128 MiB, private anonymous) and
 *                munmap; per op = per pair.  Harness: storm anon 128m private, not
 *                populated, one thread (its first metric, mmap+munmap).
 *   page_fault1  tests/page_fault1.c: map 128 MiB private anonymous, write one byte
 *                of every page, unmap; per op = per page.  The bare loop times the
 *                touches (as the harness does: mapping and unmapping are outside its
 *                timed region) and reports the whole iteration per page beside it
 *                (will-it-scale's figure, munmap's freeing included).  Harness:
 *                fault-write-seq anon 4k private --count 32768 (128 MiB).
 *
 * A bare process is a fork of this one: the loop and CLOCK_MONOTONIC around it for
 * at least MS ms (after a warm-up of a tenth of that), ns per op to the parent.  A
 * harness process is `mmapbench run` of the case (--no-floor, -o a temporary file),
 * whose stats.per_op is its figure.  The ratio harness / bare is of the means over
 * the processes; it is within when off by no more than the bare processes' spread
 * ((max - min) / mean) or 1 % (cost.h, mb_xcheck_eval).  Under icount the harness's
 * unit is instructions, ns / 2^icount_shift: the bare figures are scaled the same.
 *
 * --wis DIR: will-it-scale itself too, built in DIR (DIR/mmap1_processes,
 * DIR/page_fault1_processes): one process of it beside each harness and bare process
 * (harness, bare, will-it-scale, in turn), run as `-t 1 -s S -n` (one task, S
 * measured seconds after its 5 s warm-up, no affinity of its own) pinned to the same
 * CPU with THP disabled (both inherited over exec); its figure is 1e9 / its
 * "average:" iterations a second (ns per pair, or per page: munmap's freeing
 * included, as in the bare loop's whole iteration).  The ratio harness / will-it-scale
 * is within when off by no more than will-it-scale's processes' spread or 1 %.
 * /proc/loadavg is recorded before and after each workload: other load on the host
 * moves every figure.
 *
 * Exit: 0 done (whatever the ratios), 1 a process failed or the output cannot be
 * written, 2 usage.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "cost.h"

#define PROG		"mmapbench-xcheck"
#define MEMSIZE		(128ul << 20)	/* will-it-scale's MEMSIZE */
#define MAX_PROCS	100
#define TOL		0.01

#ifndef MB_VERSION
#define MB_VERSION "unknown"
#endif

enum wl { MMAP1, PAGE_FAULT1, NWL };

static const struct workload {
	const char *name;
	const char *what;
	const char *const harness[16];	/* mmapbench run's selection */
} wls[NWL] = {
	[MMAP1] = { "mmap1", "mmap+munmap of 128 MiB private anonymous, per pair",
		    { "-b", "storm", "-t", "anon", "-s", "128m", "--map", "private",
		      "--populate", "no", "--threads", "1", NULL } },
	[PAGE_FAULT1] = { "page_fault1", "first write to each page of 128 MiB private "
			  "anonymous, per page",
			  { "-b", "fault-write-seq", "-t", "anon", "-s", "4k", "--map",
			    "private", "--count", "32768", NULL } },
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: " PROG " [--procs N] [--ms MS] [--samples S] [--harness PATH]\n"
"                        [--wis DIR [--wis-seconds S]] [-o FILE]\n"
"\n"
"The harness against bare loops of will-it-scale's mmap1 (mmap+munmap of 128 MiB\n"
"private anonymous, per pair) and page_fault1 (first write to each page of it, per\n"
"page): N processes a side (default 5), one after the other, pinned to the highest\n"
"allowed CPU, THP disabled.  Bare: a loop of at least MS ms (default 200).  Harness:\n"
"`mmapbench run` of storm anon 128m and fault-write-seq anon --count 32768 (S samples,\n"
"default 10), its stats.per_op.  Prints per workload both means, the bare processes'\n"
"spread, ratio = harness / bare and whether it is within max(spread, 1 %%).\n"
"-o FILE: the JSON (schema mmapbench-xcheck/1) with every process's figure.\n"
"--harness: the mmapbench binary (default: $MMAPBENCH, else mmapbench beside this\n"
"program, else on PATH).\n"
"--wis DIR: will-it-scale's mmap1_processes and page_fault1_processes built in DIR,\n"
"one process of each beside every harness and bare one (-t 1 -s S -n, same CPU, THP\n"
"disabled; S = --wis-seconds, default 2, after its 5 s warm-up): its ns per op\n"
"(1e9 / its average), ratio = harness / will-it-scale, within max(its spread, 1 %%).\n"
"\n"
"Exit status: 0 done (whatever the ratios), 1 a process failed or the output cannot\n"
"be written, 2 usage error.\n");
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int highest_cpu(void)
{
	cpu_set_t set;
	int hi = -1;

	if (sched_getaffinity(0, sizeof(set), &set))
		return -1;
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &set))
			hi = c;
	return hi;
}

/* One iteration of the workload; touch_ns: the touches' time (page_fault1) */
static int iterate(enum wl w, long page, double *touch_ns)
{
	char *p = mmap(NULL, MEMSIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	double t0;

	if (p == MAP_FAILED)
		return -errno;
	if (w == PAGE_FAULT1) {
		t0 = now_ns();
		for (unsigned long i = 0; i < MEMSIZE; i += (unsigned long)page)
			p[i] = 0;
		*touch_ns += now_ns() - t0;
	}
	return munmap(p, MEMSIZE) ? -errno : 0;
}

static double cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

#define MAX_LOOPS	100000
#define LOOP_NS		1e6	/* a loop: at least 1 ms of ops (mmap1), or one iteration */

/*
 * The bare loop in this (child) process: a warm-up of a tenth of ms, then loops of
 * ops (mmap1: pairs until 1 ms has passed; page_fault1: one iteration) until ms have
 * passed.  out[BARE] the median over the loops of ns per op (pair, or page touched:
 * a preempted loop does not move it, as a preempted sample does not move the
 * harness's median), out[WALL] the mean over all ops, out[CPU] the same from the
 * thread's CPU time, out[WHOLE] page_fault1's whole iteration per page (mmap and
 * munmap included; mmap1: = WALL).  0 or -errno.
 */
enum { BARE, WALL, CPU, WHOLE, NOUT };

static int bare_loop(enum wl w, double ms, double out[NOUT])
{
	static double v[MAX_LOOPS];
	long page = sysconf(_SC_PAGESIZE);
	double ops_per = w == PAGE_FAULT1 ? (double)(MEMSIZE / (unsigned long)page) : 1;
	double touch = 0, touch_all = 0, t0, t1, c0, n = 0;
	size_t loops = 0;
	int rc;

	t0 = now_ns();
	do {
		rc = iterate(w, page, &touch);
		if (rc)
			return rc;
	} while (now_ns() - t0 < ms * 1e5);
	t0 = now_ns();
	c0 = cpu_ns();
	do {
		double l0 = now_ns(), l1, k = 0;

		touch = 0;
		do {
			rc = iterate(w, page, &touch);
			if (rc)
				return rc;
			k++;
			l1 = now_ns();
		} while (w == MMAP1 && l1 - l0 < LOOP_NS);
		n += k;
		touch_all += touch;
		v[loops++] = (w == PAGE_FAULT1 ? touch : l1 - l0) / (k * ops_per);
		t1 = l1;
	} while (t1 - t0 < ms * 1e6 && loops < MAX_LOOPS);
	qsort(v, loops, sizeof(*v), cmp_double);
	out[BARE] = loops % 2 ? v[loops / 2] : (v[loops / 2 - 1] + v[loops / 2]) / 2;
	out[WHOLE] = (t1 - t0) / (n * ops_per);
	out[WALL] = w == PAGE_FAULT1 ? touch_all / (n * ops_per) : out[WHOLE];
	out[CPU] = (cpu_ns() - c0) / (n * ops_per);
	return 0;
}

/*
 * A child for one side's process, with a pipe back: pinned to cpu (unless < 0), THP
 * disabled, fd[0] closed in it and fd[1] in the parent.  The child's 0, the parent's
 * pid, or -1 (message printed).
 */
static pid_t fork_pinned(int cpu, int fd[2])
{
	pid_t pid;

	if (pipe(fd))
		return perror(PROG ": pipe"), -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror(PROG ": fork");
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	if (pid) {
		close(fd[1]);
		return pid;
	}
	close(fd[0]);
	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		sched_setaffinity(0, sizeof(set), &set);
	}
	prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
	return 0;
}

/* Fork a bare process; 0 (out set) or -1 (message printed). */
static int run_bare(enum wl w, double ms, int cpu, double out[NOUT])
{
	int fd[2], st = 0;
	pid_t pid = fork_pinned(cpu, fd);
	ssize_t got;

	if (pid < 0)
		return -1;
	if (!pid) {
		double v[NOUT];
		int rc = bare_loop(w, ms, v);

		if (rc) {
			fprintf(stderr, PROG ": %s bare loop: %s\n", wls[w].name, strerror(-rc));
			_exit(1);
		}
		_exit(write(fd[1], v, sizeof(v)) == (ssize_t)sizeof(v) ? 0 : 1);
	}
	got = read(fd[0], out, NOUT * sizeof(*out));
	close(fd[0]);
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) ||
	    got != (ssize_t)(NOUT * sizeof(*out))) {
		fprintf(stderr, PROG ": %s: a bare process failed\n", wls[w].name);
		return -1;
	}
	return 0;
}

/*
 * A will-it-scale process: DIR/<workload>_processes -t 1 -s SECS -n, pinned to cpu,
 * THP disabled; *per_op = 1e9 / its average (ns per iteration).  0, or -1 (message
 * printed).
 */
static int run_wis(enum wl w, const char *dir, const char *secs, int cpu, double *per_op)
{
	char path[PATH_MAX], buf[65536];
	size_t len = 0;
	double avg;
	ssize_t got;
	int fd[2], st = 0;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/%s_processes", dir, wls[w].name);
	pid = fork_pinned(cpu, fd);
	if (pid < 0)
		return -1;
	if (!pid) {
		if (dup2(fd[1], STDOUT_FILENO) < 0)
			_exit(127);
		close(fd[1]);
		execl(path, path, "-t", "1", "-s", secs, "-n", (char *)NULL);
		fprintf(stderr, PROG ": cannot run %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	while (len < sizeof(buf) - 1 && (got = read(fd[0], buf + len, sizeof(buf) - 1 - len)) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			break;
		len += (size_t)got;
	}
	buf[len] = 0;
	close(fd[0]);
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, PROG ": %s: will-it-scale (%s) failed (status %d)\n",
			wls[w].name, path, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		return -1;
	}
	if (mb_wis_average(buf, &avg)) {
		fprintf(stderr, PROG ": %s: no \"average:\" line in %s's output\n",
			wls[w].name, path);
		return -1;
	}
	*per_op = 1e9 / avg;
	return 0;
}

/* /proc/loadavg's three load averages, or null */
static json_t *loadavg(void)
{
	double a[3];
	FILE *f = fopen("/proc/loadavg", "re");
	int n = f ? fscanf(f, "%lf %lf %lf", &a[0], &a[1], &a[2]) : 0;

	if (f)
		fclose(f);
	return n == 3 ? json_pack("[f, f, f]", a[0], a[1], a[2]) : json_null();
}

/* A harness process: its first metric's stats.per_op, the clock's scale and env. */
static int run_harness(enum wl w, const char *bin, const char *samples, const char *tmp,
		       double *per_op, double *scale, json_t **env)
{
	const char *argv[40];
	int n = 0, st;
	json_error_t je;
	json_t *root, *m, *v;
	pid_t pid;

	argv[n++] = bin;
	argv[n++] = "run";
	argv[n++] = "-q";
	for (int i = 0; wls[w].harness[i]; i++)
		argv[n++] = wls[w].harness[i];
	argv[n++] = "--samples";
	argv[n++] = samples;
	argv[n++] = "--no-floor";
	argv[n++] = "-o";
	argv[n++] = tmp;
	argv[n] = NULL;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return perror(PROG ": fork"), -1;
	if (!pid) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(127);
		execvp(bin, (char *const *)argv);
		fprintf(stderr, PROG ": cannot run %s: %s\n", bin, strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, PROG ": %s: '%s run' failed (status %d)\n", wls[w].name, bin,
			WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		return -1;
	}
	root = json_load_file(tmp, 0, &je);
	unlink(tmp);
	if (!root) {
		fprintf(stderr, PROG ": %s: the harness's results: %s\n", wls[w].name, je.text);
		return -1;
	}
	m = json_object_get(json_array_get(json_object_get(json_array_get(
		json_object_get(root, "cases"), 0), "metrics"), 0), "stats");
	v = json_object_get(m, "per_op");
	if (!json_is_number(v)) {
		fprintf(stderr, PROG ": %s: the harness's case has no stats.per_op (skipped, "
			"or an older mmapbench)\n", wls[w].name);
		json_decref(root);
		return -1;
	}
	*per_op = json_number_value(v);
	v = json_object_get(json_object_get(root, "env"), "icount_shift");
	*scale = json_is_integer(v) ? ldexp(1, (int)json_integer_value(v)) : 1;
	if (env && !*env)
		*env = json_incref(json_object_get(root, "env"));
	json_decref(root);
	return 0;
}

static json_t *num_array(const double *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_real(v[i]));
	return a;
}

static json_t *args_array(const char *const *a)
{
	json_t *j = json_array();

	for (; *a; a++)
		json_array_append_new(j, json_string(*a));
	return j;
}

static const char *default_harness(const char *argv0, char *buf, size_t len)
{
	const char *e = getenv("MMAPBENCH");
	const char *slash = strrchr(argv0, '/');

	if (e && *e)
		return e;
	if (slash) {
		snprintf(buf, len, "%.*s/mmapbench", (int)(slash - argv0), argv0);
		if (!access(buf, X_OK))
			return buf;
	}
	return "mmapbench";
}

static const char definition[] =
	"per workload: harness = mean over processes of mmapbench run's stats.per_op "
	"(median over samples of a sample's ns per op); bare = mean over processes "
	"of a bare loop's median over its loops (>= 1 ms of pairs, or one iteration) "
	"of ns per op (page_fault1: per page touched); bare_mean: all ops' mean "
	"(wall), bare_cpu: the same from the thread's CPU time; whole_iteration: "
	"page_fault1 with its mmap and munmap, will-it-scale's figure; "
	"ratio = harness / bare; spread = (max - min) / mean of the bare processes; "
	"within = |ratio - 1| <= max(spread, 0.01)";

static const char wis_definition[] =
	"wis_per_op: 1e9 / will-it-scale's average "
	"(iterations a second, <workload>_processes -t 1 -s SECONDS -n, pinned to cpu, "
	"THP disabled), scaled as the bare figures; wis = their mean, wis_spread = "
	"(max - min) / mean; ratio_wis = harness / wis; within_wis = |ratio_wis - 1| "
	"<= max(wis_spread, 0.01); bare_whole_ratio_wis = whole_iteration / wis; "
	"page_fault1 only: harness_whole = harness + (whole_iteration - bare), the "
	"harness's touches plus the bare loop's per-page mmap and munmap share, and "
	"harness_whole_ratio_wis = harness_whole / wis (like with like: will-it-scale's "
	"iteration frees the pages in munmap)";

struct xopts {
	const char *bin, *out, *samples, *wis, *wsecs;
	long procs;
	double ms;
	char hbuf[4096];
};

/* The options into o: -1 to go on, or the exit status (usage error, --help). */
static int parse_args(int argc, char **argv, struct xopts *o)
{
	static const struct option opts[] = {
		{ "procs", required_argument, NULL, 'n' },
		{ "ms", required_argument, NULL, 'm' },
		{ "samples", required_argument, NULL, 's' },
		{ "harness", required_argument, NULL, 'H' },
		{ "wis", required_argument, NULL, 'W' },
		{ "wis-seconds", required_argument, NULL, 'S' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	long nsamp;
	char *end;
	int c;

	o->samples = "10";
	o->wsecs = "2";
	o->procs = 5;
	o->ms = 200;
	while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			o->procs = strtol(optarg, &end, 10);
			if (*end || o->procs < 1 || o->procs > MAX_PROCS)
				return mb_usage_error(PROG, "--procs: '%s' is not 1..%d", optarg,
						      MAX_PROCS);
			break;
		case 'm':
			o->ms = strtod(optarg, &end);
			if (*end || !(o->ms >= 1 && o->ms <= 600000))
				return mb_usage_error(PROG, "--ms: '%s' is not 1..600000", optarg);
			break;
		case 's':
			nsamp = strtol(optarg, &end, 10);
			if (*end || nsamp < 2 || nsamp > 100000)
				return mb_usage_error(PROG, "--samples: '%s' is not 2..100000",
						      optarg);
			o->samples = optarg;
			break;
		case 'H': o->bin = optarg; break;
		case 'W': o->wis = optarg; break;
		case 'S':
			nsamp = strtol(optarg, &end, 10);
			if (*end || nsamp < 1 || nsamp > 3600)
				return mb_usage_error(PROG, "--wis-seconds: '%s' is not 1..3600",
						      optarg);
			o->wsecs = optarg;
			break;
		case 'o': o->out = optarg; break;
		case 'h': usage(stdout); return 0;
		case 'V': return mb_print_version(PROG);
		default: return mb_usage_getopt(PROG, c, argv);
		}
	}
	if (mb_usage_operands(PROG, argc, argv))
		return MB_USAGE_STATUS;
	if (!o->bin)
		o->bin = default_harness(argv[0], o->hbuf, sizeof(o->hbuf));
	for (int w = 0; o->wis && w < NWL; w++) {
		char p[PATH_MAX];

		snprintf(p, sizeof(p), "%s/%s_processes", o->wis, wls[w].name);
		if (access(p, X_OK))
			return mb_usage_error(PROG, "--wis: no will-it-scale %s in '%s' (%s: %s; "
					      "build it there with make)", wls[w].name, o->wis, p,
					      strerror(errno));
	}
	return -1;
}

/*
 * One workload: o->procs processes of each side in turn (harness, bare, will-it-scale
 * with --wis), its table line and its object appended to jw; *env: the first harness
 * process's env; *xw, *whole: its will-it-scale row.  0, or 1 (message printed).
 */
static int workload(enum wl w, const struct xopts *o, const char *tfile, int cpu,
		    json_t *jw, json_t **env, struct mb_xcheck *xw, double *whole,
		    double *hwhole)
{
	double h[MAX_PROCS], b[NOUT][MAX_PROCS], mean[NOUT] = { 0 }, hsum = 0, scale = 1;
	double wv[MAX_PROCS];
	struct mb_xcheck x, xh;
	json_t *la0 = loadavg(), *jo;
	long procs = o->procs;
	int ret = 0;

	for (long i = 0; i < procs && !ret; i++) {
		double v[NOUT];

		ret = run_harness(w, o->bin, o->samples, tfile, &h[i], &scale, env) ? 1 : 0;
		if (!ret)
			ret = run_bare(w, o->ms, cpu, v) ? 1 : 0;
		if (!ret && o->wis)
			ret = run_wis(w, o->wis, o->wsecs, cpu, &wv[i]) ? 1 : 0;
		if (!ret && o->wis)
			wv[i] /= scale;
		for (int k = 0; k < NOUT && !ret; k++) {
			b[k][i] = v[k] / scale;
			mean[k] += b[k][i] / (double)procs;
		}
		hsum += ret ? 0 : h[i];
	}
	if (!ret && (mb_xcheck_eval(hsum / (double)procs, b[BARE], (size_t)procs, TOL, &x) ||
		     mb_xcheck_eval(hsum / (double)procs, h, (size_t)procs, TOL, &xh) ||
		     (o->wis && mb_xcheck_eval(hsum / (double)procs, wv, (size_t)procs, TOL,
					       xw)))) {
		fprintf(stderr, PROG ": %s: no usable figure\n", wls[w].name);
		ret = 1;
	}
	if (ret) {
		json_decref(la0);
		return ret;
	}
	printf("%-12s %10.1f %10.1f %6.1f%% %7.3f %-8s %10.1f %10.1f %10.1f\n",
	       wls[w].name, x.harness, x.bare, 100 * x.spread, x.ratio,
	       x.within ? "within" : "OUTSIDE", mean[WALL], mean[CPU], mean[WHOLE]);
	jo = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:f, s:f, s:f, s:f, s:b, "
		       "s:f, s:f, s:f}",
		"name", wls[w].name, "what", wls[w].what, "harness_args",
		args_array(wls[w].harness), "harness_per_op", num_array(h, (size_t)procs),
		"bare_per_op", num_array(b[BARE], (size_t)procs),
		"bare_mean_per_op", num_array(b[WALL], (size_t)procs),
		"bare_cpu_per_op", num_array(b[CPU], (size_t)procs),
		"bare_whole_iteration_per_op", num_array(b[WHOLE], (size_t)procs),
		"harness", x.harness, "bare", x.bare, "spread", x.spread,
		"ratio", x.ratio, "within", x.within, "bare_mean", mean[WALL],
		"bare_cpu", mean[CPU], "whole_iteration", mean[WHOLE]);
	json_object_set_new(jo, "harness_spread", json_real(xh.spread));
	json_object_set_new(jo, "loadavg_before", la0);
	json_object_set_new(jo, "loadavg_after", loadavg());
	if (o->wis) {
		json_object_set_new(jo, "wis_per_op", num_array(wv, (size_t)procs));
		json_object_set_new(jo, "wis", json_real(xw->bare));
		json_object_set_new(jo, "wis_spread", json_real(xw->spread));
		json_object_set_new(jo, "ratio_wis", json_real(xw->ratio));
		json_object_set_new(jo, "within_wis", json_boolean(xw->within));
		json_object_set_new(jo, "bare_whole_ratio_wis", json_real(mean[WHOLE] / xw->bare));
		*whole = mean[WHOLE];
		/* page_fault1: will-it-scale's iteration has the mmap and munmap in it */
		*hwhole = NAN;
		if (w == PAGE_FAULT1 &&
		    !mb_xcheck_whole(x.harness, x.bare, mean[WHOLE], hwhole)) {
			json_object_set_new(jo, "harness_whole", json_real(*hwhole));
			json_object_set_new(jo, "harness_whole_ratio_wis",
					    json_real(*hwhole / xw->bare));
		}
	}
	json_array_append_new(jw, jo);
	return 0;
}

int mb_cmd_xcheck(int argc, char **argv)
{
	char tmp[] = "/tmp/mmapbench-xcheck.XXXXXX", tfile[64], out_tmp[4200];
	struct xopts o = { 0 };
	struct mb_xcheck wrow[NWL];
	double wwhole[NWL], hwhole[NWL];
	int cpu, ret = parse_args(argc, argv, &o);
	json_t *root, *jw, *env = NULL;

	if (ret >= 0)
		return ret;
	ret = 0;
	if (!mkdtemp(tmp))
		return perror(PROG ": mkdtemp"), 1;
	snprintf(tfile, sizeof(tfile), "%s/h.json", tmp);
	cpu = highest_cpu();
	root = json_object();
	json_object_set_new(root, "schema", json_string("mmapbench-xcheck/1"));
	json_object_set_new(root, "tool", json_pack("{s:s, s:s}", "name", PROG, "version",
						    MB_VERSION));
	json_object_set_new(root, "definition", json_string(definition));
	json_object_set_new(root, "procs", json_integer(o.procs));
	json_object_set_new(root, "ms", json_real(o.ms));
	json_object_set_new(root, "cpu", cpu >= 0 ? json_integer(cpu) : json_null());
	json_object_set_new(root, "wis", o.wis ? json_pack("{s:s, s:s, s:s}", "dir", o.wis,
		"seconds", o.wsecs, "definition", wis_definition) : json_null());
	jw = json_array();
	json_object_set_new(root, "workloads", jw);
	printf("%-12s %10s %10s %7s %7s %-8s %10s %10s %10s\n", "WORKLOAD", "HARNESS", "BARE",
	       "SPREAD", "RATIO", "", "BARE-MEAN", "BARE-CPU", "WHOLE-ITER");
	for (int w = 0; w < NWL && !ret; w++)
		ret = workload(w, &o, tfile, cpu, jw, &env, &wrow[w], &wwhole[w], &hwhole[w]);
	if (!ret && o.wis) {
		printf("\n%-12s %10s %10s %7s %7s %-8s %10s %10s\n", "WORKLOAD", "HARNESS",
		       "WIS", "SPREAD", "RATIO", "", "WHOLE-ITER", "WHOLE/WIS");
		for (int w = 0; w < NWL; w++)
			printf("%-12s %10.1f %10.1f %6.1f%% %7.3f %-8s %10.1f %10.3f\n",
			       wls[w].name, wrow[w].harness, wrow[w].bare, 100 * wrow[w].spread,
			       wrow[w].ratio, wrow[w].within ? "within" : "OUTSIDE", wwhole[w],
			       wwhole[w] / wrow[w].bare);
		if (isfinite(hwhole[PAGE_FAULT1]))
			printf("page_fault1 like with like: will-it-scale's iteration maps, "
			       "touches and unmaps;\n  harness touches + the bare loop's mmap "
			       "and munmap share per page = %.1f,\n  / will-it-scale = %.3f "
			       "(harness touches alone: %.3f)\n", hwhole[PAGE_FAULT1],
			       hwhole[PAGE_FAULT1] / wrow[PAGE_FAULT1].bare,
			       wrow[PAGE_FAULT1].ratio);
	}
	rmdir(tmp);
	json_object_set_new(root, "env", env ? env : json_null());
	if (!ret && o.out) {
		snprintf(out_tmp, sizeof(out_tmp), "%s.tmp", o.out);
		if (json_dump_file(root, out_tmp, JSON_INDENT(2)) || rename(out_tmp, o.out)) {
			fprintf(stderr, PROG ": cannot write %s: %s\n", o.out, strerror(errno));
			unlink(out_tmp);
			ret = 1;
		}
	}
	json_decref(root);
	return ret;
}
