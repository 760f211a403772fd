// SPDX-License-Identifier: GPL-2.0
/*
 * profile.c - mmapbench-profile: where a case's measured ops spend their cost.
 *
 *   mmapbench-profile fold -w WINDOWS -r RESULTS -o DIR [-e EVENT] [--user-depth N]
 *                          [--first] [--leaf] [FILE]
 *   mmapbench-profile report [--top N] [--plain RESULTS] DIR
 *   mmapbench-profile diff [--top N] [--svg DIR] A B
 *   mmapbench-profile agree [--top N] [--pp PP] A B
 *   mmapbench-profile period [--factor F] RESULTS
 *
 * fold: `perf script -F tid,time,period,ip,sym,dso --ns` output (FILE or stdin) of a
 * run under `perf record -k CLOCK_MONOTONIC -g --control ... -- mmapbench run
 * --perf-windows WINDOWS --perf-control ...`; a sample counts for a case's step when
 * its time lies inside one of that step's timed loops (harness/perfctl.c).  Its
 * stack is folded root first: the user frames nearest the kernel (--user-depth,
 * default 1: the syscall's call site; deeper user frames of a binary without frame
 * pointers are not trusted), then the kernel's.  DIR gets <slug>.<step>.folded
 * (weights: the samples' periods, ns of cpu-clock) and index.tsv (one row per
 * folded file: file case slug step ops windows samples weight event unit scale;
 * scale turns a weight into the unit: 2^-shift under icount, 1 otherwise;
 * excluded: the weight of perf's own mmap tracking, left out) and outside.folded,
 * the samples perf took outside every window (before(), after(), perf's ack):
 * what the window kept out.  --leaf: each sample's leaf frame only (a recording with
 * call chains read as one without: perf's own is then a leaf of perf_event_mmap too).
 *
 * report: DIR holds results.json and profiles/ (index.tsv, the folded files).  Per
 * case and step: the top functions, self and with children, as a share of the op's
 * samples and as cost per op; LKP's lines (perf-profile.self.cycles-pp.SYM: PCT,
 * perf-profile.children..., perf-profile.calltrace.cycles-pp.A.B...: PCT) in
 * DIR/profile.txt; a "perf_profile" object per case in DIR/results.json (rewritten
 * through a temporary file); a flame graph DIR/profiles/<slug>.<step>.svg.
 *
 * diff: A and B are folded files (two cases; each with its folder's index.tsv) or
 * profiles folders (two result sets, cases matched by slug and step): per function,
 * self cost per op in A and B, its change, and its share of each; the rows that
 * changed most first, the total on top.  --svg DIR: the same rows as a bar chart of
 * the change, DIR/diff-<A's stem>--<B's stem>.svg for two files,
 * DIR/diff-<stem>.svg per case for two folders.
 *
 * agree: A and B as for diff (two boots' profiles of one selection): per case step,
 * whether both give the same top N (10) self functions with shares within PP (1)
 * percentage points; functions whose shares are equal within the two profiles'
 * largest difference are one rank group, so a tie at the Nth place is no failure
 * (mb_topn_agree).  Exit 3 when a case step fails.
 *
 * period: the sampling period that gives every window at most one sample, from the
 * unprofiled run's RESULTS: F (2) times its longest timed loop (median per op times
 * the batch), in ns of the sampling clock, on stdout.  With one sample a window, at a
 * place the dither alone sets, call chains cost the profile no bias (FINDINGS "Where
 * the cost goes") and the period's ratio to the op does not matter.
 *
 * Exit 0 done, 1 an unreadable or bad input (named) or an unwritable output, 2 usage,
 * 3 (agree) a case step's top N disagrees.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "folded.h"
#include "grow.h"

#define PROG "mmapbench-profile"

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

/* ---- fold ---- */

struct window {
	long long t0, t1;
	size_t acc;	/* index of its accumulator */
	size_t n;	/* samples in it (perf's own included) */
	double wsum;	/* their weight */
	char *first;	/* --first: the stack of its first sample; NULL for perf's own */
};

struct acc {
	size_t cs;
	char step[64];
	double ops;
	size_t windows, samples, nexcluded;
	double excluded;	/* weight of the profiler's own samples (profiler_syms) */
	struct mb_folded f;
	char slug[256];
};

struct fold {
	struct window outside;	/* a pseudo-window: .acc is the accumulator of the rest */
	struct window *w;
	size_t nw, capw;
	struct acc *a;
	size_t na, capa;
	int first;	/* --first: a window's first sample stands for all of it */
	int leaf;	/* --leaf: a sample's leaf frame only, as perf record without -g */
};

static struct acc *acc_get(struct fold *fd, size_t cs, const char *step)
{
	struct acc *a;

	for (size_t i = 0; i < fd->na; i++)
		if (fd->a[i].cs == cs && !strcmp(fd->a[i].step, step))
			return &fd->a[i];
	a = mb_grow(fd->a, &fd->capa, fd->na + 1, sizeof(*a));
	if (!a)
		return NULL;
	fd->a = a;
	memset(&fd->a[fd->na], 0, sizeof(fd->a[0]));
	fd->a[fd->na].cs = cs;
	snprintf(fd->a[fd->na].step, sizeof(fd->a[0].step), "%s", step);
	mb_folded_init(&fd->a[fd->na].f);
	return &fd->a[fd->na++];
}

static int by_t0(const void *a, const void *b)
{
	const struct window *x = a, *y = b;

	return x->t0 < y->t0 ? -1 : x->t0 > y->t0;
}

static int read_windows(struct fold *fd, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512];
	size_t no = 0;

	if (!f)
		return fail("%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		size_t cs, ops;
		long long t0, t1;
		char step[64];
		struct window *w;
		struct acc *a;

		no++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "w\t%zu\t%63s\t%lld\t%lld\t%zu", &cs, step, &t0, &t1, &ops) != 5 ||
		    t1 < t0) {
			fclose(f);
			return fail("%s:%zu: not a window line (w CASE STEP T0 T1 OPS)", path, no);
		}
		a = acc_get(fd, cs, step);
		if (!a)
			goto oom;
		w = mb_grow(fd->w, &fd->capw, fd->nw + 1, sizeof(*w));
		if (!w)
			goto oom;
		fd->w = w;
		fd->w[fd->nw++] = (struct window){ .t0 = t0, .t1 = t1, .acc = (size_t)(a - fd->a) };
		a->ops += (double)ops;
		a->windows++;
	}
	fclose(f);
	qsort(fd->w, fd->nw, sizeof(*fd->w), by_t0);
	return 0;
oom:
	fclose(f);
	return fail("out of memory");
}

/* the window holding t, or NULL */
static struct window *find_window(const struct fold *fd, long long t)
{
	size_t lo = 0, hi = fd->nw;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (fd->w[mid].t0 <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || t >= fd->w[lo - 1].t1)
		return NULL;
	return &fd->w[lo - 1];
}

/* "SEC.NSEC:" -> ns; 0 or -1 */
static int parse_time(const char *s, long long *ns)
{
	char *e;
	long long sec = strtoll(s, &e, 10), frac = 0;
	int digits = 0;

	if (e == s || *e != '.')
		return -1;
	for (s = e + 1; *s >= '0' && *s <= '9'; s++, digits++)
		if (digits < 9)
			frac = frac * 10 + (*s - '0');
	if (*s != ':' || !digits)
		return -1;
	for (; digits < 9; digits++)
		frac *= 10;
	*ns = sec * 1000000000LL + frac;
	return 0;
}

struct frame {
	char name[256];
	int kernel;
};

/*
 * A perf script header line: "COMM? TID TIME: PERIOD ..." (fields may be padded);
 * the time is the token ending in ':', the period the number after it.  *rest: what
 * follows the period (a recording without call chains has its one frame there,
 * "ADDR SYM (DSO)"), or NULL.
 */
static int parse_header(char *line, long long *t, double *period, char **rest)
{
	char *save = NULL, *tok;
	int have_t = 0;

	*period = 1;
	*rest = NULL;
	for (tok = strtok_r(line, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		size_t len = strlen(tok);

		if (!have_t && len > 1 && tok[len - 1] == ':' && strchr(tok, '.')) {
			if (parse_time(tok, t))
				return -1;
			have_t = 1;
			continue;
		}
		if (have_t) {
			char *e;
			double p = strtod(tok, &e);

			if (e != tok && !*e && p > 0)
				*period = p;
			if (save && strchr(save, '('))
				*rest = save;
			break;
		}
	}
	return have_t ? 0 : -1;
}

/* whether a line has a sample's time, a token "SEC.NSEC:" (a header, not a frame) */
static int has_time(const char *s)
{
	while (*s) {
		const char *p;

		while (*s == ' ' || *s == '\t')
			s++;
		for (p = s; *p >= '0' && *p <= '9'; p++)
			;
		if (p > s && *p == '.') {
			const char *q = p + 1;

			while (*q >= '0' && *q <= '9')
				q++;
			if (q > p + 1 && *q == ':' && (!q[1] || q[1] == ' ' || q[1] == '\t'))
				return 1;
		}
		while (*s && *s != ' ' && *s != '\t')
			s++;
	}
	return 0;
}

/* "\t ADDR SYM (DSO)" */
static void parse_frame(char *line, struct frame *fr)
{
	char *p = line, *sym, *dso, *end;

	while (*p == ' ' || *p == '\t')
		p++;
	while (*p && *p != ' ')
		p++;		/* the address */
	while (*p == ' ')
		p++;
	sym = p;
	dso = strrchr(p, '(');
	end = dso ? dso : p + strlen(p);
	while (end > sym && end[-1] == ' ')
		end--;
	*end = 0;
	{
		char *off = strstr(sym, "+0x");

		if (off)
			*off = 0;
	}
	snprintf(fr->name, sizeof(fr->name), "%s", *sym ? sym : "[unknown]");
	for (char *q = fr->name; *q; q++)
		if (*q == ';' || *q == ' ')
			*q = '_';
	fr->kernel = 0;
	if (dso) {
		char *c = strchr(dso, ')');

		if (c)
			*c = 0;
		dso++;
		fr->kernel = dso[0] == '[' && strcmp(dso, "[vdso]") && strcmp(dso, "[unknown]");
	}
}

/*
 * Functions that run only because perf record is there: its mmap tracking
 * (PERF_RECORD_MMAP for every mmap: perf_event_mmap() builds the record, path
 * included, whether or not an event wants it).  A sample under one is the
 * profiler's cost, not the op's: counted apart (index.tsv "excluded").
 */
static const char *const profiler_syms[] = { "perf_event_mmap", NULL };

static int fold_sample(struct fold *fd, struct window *w, struct frame *fr, size_t nf,
		       double period, size_t user_depth, size_t *used)
{
	char stack[8192];
	size_t keep = 0, users = 0, len = 0;
	int mine = 0;	/* perf's own */
	struct acc *a;

	if (!nf)
		return 0;
	if (fd->leaf)
		nf = 1;
	(*used)++;
	for (size_t i = 0; i < nf && !mine; i++)
		for (size_t k = 0; profiler_syms[k]; k++)
			if (fr[i].kernel && !strcmp(fr[i].name, profiler_syms[k]))
				mine = 1;
	if (!mine) {
		/* leaf first: every kernel frame, then user_depth user frames */
		for (keep = 0; keep < nf; keep++) {
			if (!fr[keep].kernel && ++users > user_depth)
				break;
		}
		stack[0] = 0;
		for (size_t i = keep; i-- > 0;) {
			int n = snprintf(stack + len, sizeof(stack) - len, "%s%s",
					 len ? ";" : "", fr[i].name);

			if (n < 0 || (size_t)n >= sizeof(stack) - len)
				break;
			len += (size_t)n;
		}
	}
	if (w) {
		w->n++;
		w->wsum += period;
		if (fd->first) {	/* kept for the end (fold_firsts) */
			if (w->n == 1 && !mine && !(w->first = strdup(stack)))
				return -1;
			return 0;
		}
	} else {
		w = &fd->outside;	/* outside every window: the outside accumulator */
	}
	a = &fd->a[w->acc];
	if (mine) {
		a->excluded += period;
		a->nexcluded++;
		return 0;
	}
	a->samples++;
	return mb_folded_add(&a->f, stack, period);
}

/*
 * --first: each window's first sample (perf script's order: by time) with the weight of
 * all the window's samples, the later ones left out.  Under a deterministic clock a
 * window's later samples are not placed independently of its first: the sampling
 * interrupt's own instructions count in the period, and how many depends on where it
 * landed (the call chain's depth), so the next sample's place in the op follows from
 * this one's (FINDINGS "Where the cost goes").  The first one's phase is the dither's.
 */
static int fold_firsts(struct fold *fd)
{
	for (size_t i = 0; i < fd->nw; i++) {
		struct window *w = &fd->w[i];
		struct acc *a = &fd->a[w->acc];

		if (!w->n)
			continue;
		if (!w->first) {
			a->excluded += w->wsum;
			a->nexcluded++;
			continue;
		}
		a->samples++;
		if (mb_folded_add(&a->f, w->first, w->wsum))
			return -1;
	}
	return 0;
}

static void slug_of(json_t *c, size_t i, char *out, size_t len)
{
	const char *keys[] = { "bench", "target", "profile" };
	json_t *p = json_object_get(c, "params");
	size_t n = 0;

	out[0] = 0;
	for (size_t k = 0; k < 3; k++) {
		const char *v = json_string_value(json_object_get(c, keys[k]));

		if (v && n < len)
			n += (size_t)snprintf(out + n, len - n, "%s%s", n ? "-" : "", v);
	}
	if (json_is_object(p)) {
		const char *pk[] = { "size", "flags", "populate", "count", "threads" };
		const char *pre[] = { "", "", "pop", "c", "t" };

		for (size_t k = 0; k < 5; k++) {
			json_t *v = json_object_get(p, pk[k]);

			if (!v || n >= len)
				continue;
			if (json_is_string(v))
				n += (size_t)snprintf(out + n, len - n, "-%s%s", pre[k],
						      json_string_value(v));
			else if (json_is_integer(v))
				n += (size_t)snprintf(out + n, len - n, "-%s%lld", pre[k],
						      (long long)json_integer_value(v));
			else if (json_is_boolean(v))
				n += (size_t)snprintf(out + n, len - n, "-%s%s", pre[k],
						      json_is_true(v) ? "yes" : "no");
		}
	}
	if (!out[0] || n >= len)
		snprintf(out, len, "case%zu", i);
	for (char *q = out; *q; q++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", *q))
			*q = '_';
}

/* write path through path.tmp; 0 or 1 (named) */
static FILE *open_tmp(const char *path, char *tmp, size_t len)
{
	snprintf(tmp, len, "%s.tmp", path);
	return fopen(tmp, "w");
}

static int close_tmp(FILE *f, const char *tmp, const char *path)
{
	if (ferror(f) | fclose(f) || rename(tmp, path)) {
		unlink(tmp);
		return fail("%s: cannot write it: %s", path, strerror(errno));
	}
	return 0;
}

static int unit_of(json_t *env, const char **unit, double *scale)
{
	const char *clock = json_string_value(json_object_get(env, "clock"));
	json_int_t shift = json_integer_value(json_object_get(env, "icount_shift"));

	*unit = "ns";
	*scale = 1;
	if (clock && !strcmp(clock, "icount")) {
		*unit = "insn";
		*scale = ldexp(1, -(int)shift);
	}
	return 0;
}

/* The cases the windows name: each accumulator's slug; the outside one.  0 or 1 */
static int fold_cases(struct fold *fd, json_t *res, const char *wpath, const char *rpath)
{
	struct acc *o;

	for (size_t i = 0; i < fd->na; i++) {
		json_t *cs = json_array_get(json_object_get(res, "cases"), fd->a[i].cs);

		if (fd->a[i].cs == SIZE_MAX)
			continue;
		if (!cs)
			return fail("%s: window of case %zu, which %s does not have", wpath,
				    fd->a[i].cs, rpath);
		slug_of(cs, fd->a[i].cs, fd->a[i].slug, sizeof(fd->a[i].slug));
	}
	o = acc_get(fd, SIZE_MAX, "outside");
	if (!o)
		return fail("out of memory");
	snprintf(o->slug, sizeof(o->slug), "outside");
	fd->outside.acc = (size_t)(o - fd->a);
	return 0;
}

/*
 * The perf script text: each sample (a header line, its frames, a blank line) to its
 * window's accumulator, or the outside one.  *total and *outside count them.  0 or 1.
 */
static int fold_read(struct fold *fd, FILE *in, size_t user_depth, size_t *total,
		     size_t *outside)
{
	struct frame *fr = malloc(256 * sizeof(*fr)), *f2;
	size_t nf = 0, capf = 256, used = 0, lines = 0, cap = 0;
	struct window *cur = NULL;
	double period = 1;
	int in_sample = 0, ret = 0;
	char *line = NULL;
	ssize_t len;

	if (!fr)
		return fail("out of memory");
	while (!ret && (len = getline(&line, &cap, in)) >= 0) {
		long long t;
		char *rest;

		lines++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = 0;
		if (line[0] == '\t' || (in_sample && line[0] == ' ' && strchr(line, '(') &&
					  !has_time(line))) {
			if (!in_sample)
				continue;
			f2 = mb_grow(fr, &capf, nf + 1, sizeof(*fr));
			if (!f2) {
				ret = fail("out of memory");
				break;
			}
			fr = f2;
			parse_frame(line, &fr[nf++]);
			continue;
		}
		/* a blank line, or the next header without one: the sample is complete */
		if (in_sample) {
			if (fold_sample(fd, cur, fr, nf, period, user_depth, &used))
				ret = fail("out of memory");
			*outside += !cur;
		}
		in_sample = 0;
		if (!len || ret)
			continue;
		if (parse_header(line, &t, &period, &rest)) {
			ret = fail("line %zu: not a perf script sample line (perf script "
				   "-F tid,time,period,ip,sym,dso --ns)", lines);
			break;
		}
		cur = find_window(fd, t);
		nf = 0;
		if (rest)	/* no call chain: the one frame on this line */
			parse_frame(rest, &fr[nf++]);
		in_sample = 1;
		(*total)++;
	}
	if (!ret && in_sample) {
		if (fold_sample(fd, cur, fr, nf, period, user_depth, &used))
			ret = fail("out of memory");
		*outside += !cur;
	}
	free(line);
	free(fr);
	return ret;
}

/* DIR/<slug>.<step>.folded per accumulator, outside.folded, DIR/index.tsv.  0 or 1 */
static int fold_write(const struct fold *fd, const char *dir, const char *event,
		      const char *unit, double scale)
{
	char path[4096], tmp[4200];
	FILE *idx;
	int ret = 0;

	if (mkdir(dir, 0777) && errno != EEXIST)
		return fail("%s: %s", dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/index.tsv", dir);
	idx = open_tmp(path, tmp, sizeof(tmp));
	if (!idx)
		return fail("%s: %s", tmp, strerror(errno));
	fprintf(idx, "file\tcase\tslug\tstep\tops\twindows\tsamples\tweight\tevent\tunit\tscale"
		"\texcluded\n");
	for (size_t i = 0; i < fd->na && !ret; i++) {
		const struct acc *a = &fd->a[i];
		char fp[4096], ft[4200], name[400];
		FILE *f;

		if (a->cs == SIZE_MAX)
			snprintf(name, sizeof(name), "outside.folded");
		else
			snprintf(name, sizeof(name), "%s.%s.folded", a->slug, a->step);
		snprintf(fp, sizeof(fp), "%s/%s", dir, name);
		f = open_tmp(fp, ft, sizeof(ft));
		if (!f) {
			ret = fail("%s: %s", ft, strerror(errno));
			break;
		}
		mb_folded_write(&a->f, f);
		ret = close_tmp(f, ft, fp);
		if (a->cs == SIZE_MAX)
			continue;
		fprintf(idx, "%s\t%zu\t%s\t%s\t%.0f\t%zu\t%zu\t%.0f\t%s\t%s\t%.10g\t%.0f\n", name,
			a->cs, a->slug, a->step, a->ops, a->windows, a->samples, a->f.total, event,
			unit, scale, a->excluded);
	}
	if (ret) {
		fclose(idx);
		unlink(tmp);
		return ret;
	}
	return close_tmp(idx, tmp, path);
}

static void fold_free(struct fold *fd)
{
	for (size_t i = 0; i < fd->na; i++)
		mb_folded_free(&fd->a[i].f);
	for (size_t i = 0; i < fd->nw; i++)
		free(fd->w[i].first);
	free(fd->a);
	free(fd->w);
}

static int cmd_fold(int argc, char **argv)
{
	const char *wpath = NULL, *rpath = NULL, *dir = NULL, *event = "cpu-clock", *unit;
	static const struct option lo[] = {
		{ "windows", required_argument, NULL, 'w' },
		{ "results", required_argument, NULL, 'r' },
		{ "output", required_argument, NULL, 'o' },
		{ "event", required_argument, NULL, 'e' },
		{ "user-depth", required_argument, NULL, 'u' },
		{ "first", no_argument, NULL, 'f' },
		{ "leaf", no_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	struct fold fd = { 0 };
	size_t user_depth = 1, outside = 0, total = 0, multi = 0, held = 0;
	int c, ret;
	json_t *res;
	json_error_t je;
	FILE *in = stdin;
	double scale;
	char *e;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":w:r:o:e:", lo, NULL)) != -1) {
		switch (c) {
		case 'w': wpath = optarg; break;
		case 'r': rpath = optarg; break;
		case 'o': dir = optarg; break;
		case 'e': event = optarg; break;
		case 'f': fd.first = 1; break;
		case 'l': fd.leaf = 1; break;
		case 'u':
			user_depth = strtoul(optarg, &e, 10);
			if (*e || e == optarg || user_depth > 64)
				return mb_usage_error(PROG, "--user-depth: '%s' is not 0..64", optarg);
			break;
		default: return mb_usage_getopt(PROG, c, argv);
		}
	}
	if (!wpath || !rpath || !dir || argc - optind > 1)
		return mb_usage_error(PROG, "usage: fold -w WINDOWS -r RESULTS -o DIR [--first] "
				      "[--leaf] [FILE]");
	res = json_load_file(rpath, 0, &je);
	if (!res)
		return fail("%s: %s", rpath, je.text);
	unit_of(json_object_get(res, "env"), &unit, &scale);
	ret = read_windows(&fd, wpath) || fold_cases(&fd, res, wpath, rpath);
	if (!ret && argc - optind == 1 && strcmp(argv[optind], "-") &&
	    !(in = fopen(argv[optind], "r")))
		ret = fail("%s: %s", argv[optind], strerror(errno));
	if (!ret)
		ret = fold_read(&fd, in, user_depth, &total, &outside);
	if (!ret && fd.first && fold_firsts(&fd))
		ret = fail("out of memory");
	if (!ret)
		ret = fold_write(&fd, dir, event, unit, scale);
	for (size_t i = 0; i < fd.nw; i++) {
		multi += fd.w[i].n > 1;
		held += fd.w[i].n ? fd.w[i].n - 1 : 0;
	}
	if (!ret)
		fprintf(stderr, PROG ": %zu samples, %zu in %zu windows of %zu case steps, %zu "
			"outside them (%s/outside.folded); %zu windows held more than one "
			"(%zu later samples: %s); %s/index.tsv\n", total, total - outside, fd.nw,
			fd.na - 1, outside, dir, multi, held, fd.first ?
			"their weight given to the first" : "kept", dir);
	if (in && in != stdin)
		fclose(in);
	fold_free(&fd);
	json_decref(res);
	return ret;
}

/* ---- index.tsv ---- */

struct entry {
	char file[400], slug[256], step[64], event[64], unit[16];
	size_t cs, windows, samples;
	double ops, weight, scale, excluded;
	struct mb_folded f;
};

struct index {
	struct entry *e;
	size_t n;
	char dir[4096];
};

static void index_free(struct index *ix)
{
	for (size_t i = 0; i < ix->n; i++)
		mb_folded_free(&ix->e[i].f);
	free(ix->e);
	ix->e = NULL;
	ix->n = 0;
}

/* DIR/index.tsv and the folded files it names; 0 or 1 (named) */
static int index_read(struct index *ix, const char *dir)
{
	char path[4200], line[2048];
	size_t no = 0, cap = 0;
	FILE *f;

	memset(ix, 0, sizeof(*ix));
	snprintf(ix->dir, sizeof(ix->dir), "%s", dir);
	snprintf(path, sizeof(path), "%s/index.tsv", dir);
	f = fopen(path, "r");
	if (!f)
		return fail("%s: %s (a profiles folder: mmapbench-profile fold)", path,
			    strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		struct entry e, *v;
		char fp[4700];
		FILE *ff;
		size_t bad;

		if (!no++)
			continue;	/* the header */
		memset(&e, 0, sizeof(e));
		if (sscanf(line, "%399[^\t]\t%zu\t%255[^\t]\t%63[^\t]\t%lf\t%zu\t%zu\t%lf\t%63[^\t]"
			   "\t%15[^\t]\t%lf\t%lf", e.file, &e.cs, e.slug, e.step, &e.ops, &e.windows,
			   &e.samples, &e.weight, e.event, e.unit, &e.scale, &e.excluded) != 12 ||
		    e.ops <= 0 ||
		    e.scale <= 0 || strchr(e.file, '/')) {
			fclose(f);
			index_free(ix);
			return fail("%s:%zu: not an index row", path, no);
		}
		mb_folded_init(&e.f);
		snprintf(fp, sizeof(fp), "%s/%s", dir, e.file);
		ff = fopen(fp, "r");
		if (!ff || mb_folded_read(&e.f, ff, &bad)) {
			int err = errno;

			if (ff)
				fclose(ff);
			fclose(f);
			mb_folded_free(&e.f);
			index_free(ix);
			return ff ? fail("%s:%zu: not a folded stack line", fp, bad)
				  : fail("%s: %s", fp, strerror(err));
		}
		fclose(ff);
		v = mb_grow(ix->e, &cap, ix->n + 1, sizeof(*v));
		if (!v) {
			fclose(f);
			index_free(ix);
			return fail("out of memory");
		}
		ix->e = v;
		ix->e[ix->n++] = e;
	}
	fclose(f);
	if (!ix->n)
		return fail("%s: no profiles in it", path);
	return 0;
}

static double per_op(const struct entry *e, double w)
{
	return w * e->scale / e->ops;
}

/*
 * The sampling period ("EVENT:PERIOD[,...]") in ops: the window's weight, perf's own
 * with it, per op is the op's length on the sampling clock.  0 when unknown.
 */
static double period_ops(const struct entry *e)
{
	const char *c = strchr(e->event, ':');
	double p = c ? strtod(c + 1, NULL) : 0, len = (e->f.total + e->excluded) / e->ops;

	return p > 0 && len > 0 ? p / len : 0;
}

/* ---- report ---- */

static void lkp_name(FILE *out, const char *chain)
{
	for (const char *p = chain; *p; p++)
		fputc(*p == ';' ? '.' : *p, out);
}

static json_t *sym_array(const struct entry *e, struct mb_fsym *v, size_t n, size_t top,
			 int self)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n && i < top; i++) {
		double w = self ? v[i].self : v[i].children;

		if (self && w <= 0)
			break;
		json_array_append_new(a, json_pack("{s:s, s:f, s:f}", "sym", v[i].name,
						   "share", e->f.total > 0 ? w / e->f.total : 0.0,
						   "per_op", per_op(e, w)));
	}
	return a;
}

/* The median of the metric named step of a case (results.json), or NAN. */
static double step_median(json_t *cs, const char *step)
{
	json_t *ms = json_object_get(cs, "metrics");
	double v = NAN;

	for (size_t k = 0; cs && k < json_array_size(ms); k++) {
		json_t *mk = json_array_get(ms, k);

		if (!strcmp(json_string_value(json_object_get(mk, "name")) ?: "", step))
			v = json_number_value(json_object_get(json_object_get(mk, "stats"),
							      "median"));
	}
	return v;
}

/* What a case's report reads off its folded stacks. */
struct rsyms {
	struct mb_fsym *self, *chil, *ch;
	size_t ns, nc, nch;
};

/* The case's lines in profile.txt: the # line, then LKP's. */
static void report_text(FILE *txt, const struct entry *e, const struct rsyms *y, size_t top,
			double measured, double plain_med)
{
	fprintf(txt, "# %s %s: %zu samples (%s) in %zu windows, %.0f ops; profile %.1f %s "
		"per op (and %.1f in perf's own mmap tracking, left out), measured median "
		"%.1f", e->slug, e->step, e->samples, e->event, e->windows, e->ops,
		per_op(e, e->f.total), e->unit, per_op(e, e->excluded), measured);
	if (!isnan(plain_med))
		fprintf(txt, ", unprofiled median %.1f", plain_med);
	fprintf(txt, " %s", e->unit);
	if (period_ops(e) > 0) {
		double r = period_ops(e), fr = r - floor(r), per_w = e->ops / (double)e->windows;

		/* longer than a window: at most one sample each, where the dither put it */
		if (e->windows && r >= per_w)
			fprintf(txt, "; the period is %.2f ops, a window %.0f: at most one sample "
				"a window", r, per_w);
		else
			fprintf(txt, "; the period is %.2f ops%s%s", r, fr < 0.1 || fr > 0.9 ?
				" (near a multiple of the op: a window's samples stay near one "
				"place in it)" : "", strstr(e->event, "no-chains") ? "" :
				" (a window's later samples fall where the earlier chains put "
				"them: PERIOD=auto)");
	}
	fputc('\n', txt);
	for (size_t k = 0; k < y->ns && k < top && y->self[k].self > 0; k++)
		fprintf(txt, "perf-profile.self.cycles-pp.%s: %.2f\n", y->self[k].name,
			100 * y->self[k].self / e->f.total);
	for (size_t k = 0; k < y->nc && k < top; k++)
		fprintf(txt, "perf-profile.children.cycles-pp.%s: %.2f\n", y->chil[k].name,
			100 * y->chil[k].children / e->f.total);
	for (size_t k = 0; k < y->nch && k < 2 * top; k++) {
		fputs("perf-profile.calltrace.cycles-pp.", txt);
		lkp_name(txt, y->ch[k].name);
		fprintf(txt, ": %.2f\n", 100 * y->ch[k].children / e->f.total);
	}
	fputc('\n', txt);
}

/* The case's perf_profile.<step> object; flame: its flame graph's file name. */
static json_t *report_object(const struct entry *e, const struct rsyms *y, size_t top,
			     double measured, double plain_med, const char *flame)
{
	json_t *po = json_pack("{s:s, s:s, s:s, s:i, s:i, s:f, s:f, s:f, s:o, s:o, s:s, s:s}",
			       "event", e->event, "unit", e->unit, "window",
			       "measured samples' timed loops", "samples", (json_int_t)e->samples,
			       "windows", (json_int_t)e->windows, "ops", e->ops, "weight",
			       e->f.total, "per_op", per_op(e, e->f.total),
			       "self", sym_array(e, y->self, y->ns, top, 1),
			       "children", sym_array(e, y->chil, y->nc, top, 0),
			       "folded", e->file, "flamegraph", flame);

	if (!isnan(plain_med))
		json_object_set_new(po, "unprofiled_median", json_real(plain_med));
	if (period_ops(e) > 0)
		json_object_set_new(po, "period_ops", json_real(period_ops(e)));
	json_object_set_new(po, "profiler_per_op", json_real(per_op(e, e->excluded)));
	if (!isnan(measured))
		json_object_set_new(po, "measured_median", json_real(measured));
	return po;
}

/*
 * One case's step: its lines in txt, its perf_profile object in its case cs (pc: the
 * same case of the unprofiled run, or NULL), its flame graph in pdir.  0 or 1.
 */
static int report_entry(FILE *txt, const struct entry *e, json_t *cs, json_t *pc,
			const char *pdir, size_t top)
{
	double measured, plain_med;
	char svg[4700], stmp[4800], title[512];
	struct rsyms y = { 0 };
	json_t *prof;
	FILE *sf;
	int ret;

	if (!cs)
		return fail("%s/index.tsv: case %zu is not in results.json", pdir, e->cs);
	measured = step_median(cs, e->step);
	plain_med = pc ? step_median(pc, e->step) : NAN;
	y.self = mb_folded_syms(&e->f, 1, &y.ns);
	y.chil = mb_folded_syms(&e->f, 0, &y.nc);
	y.ch = mb_folded_chains(&e->f, 24, 0.01 * e->f.total, &y.nch);
	if ((!y.self || !y.chil || !y.ch) && e->f.n) {
		ret = fail("out of memory");
		goto out;
	}
	report_text(txt, e, &y, top, measured, plain_med);
	/* "profile" is the module's flag profile (a name): perf's is "perf_profile" */
	prof = json_object_get(cs, "perf_profile");
	if (!json_is_object(prof)) {
		prof = json_object();
		json_object_set_new(cs, "perf_profile", prof);
	}
	snprintf(svg, sizeof(svg), "%s/%.*s.svg", pdir,
		 (int)(strlen(e->file) - strlen(".folded")), e->file);
	json_object_set_new(prof, e->step,
			    report_object(e, &y, top, measured, plain_med, strrchr(svg, '/') + 1));
	sf = open_tmp(svg, stmp, sizeof(stmp));
	snprintf(title, sizeof(title), "%s %s: %s per op, %s", e->slug, e->step, e->unit,
		 e->event);
	if (!sf || mb_flame_svg(&e->f, title, e->scale / e->ops, e->unit, sf)) {
		if (sf)
			fclose(sf);
		ret = fail("%s: cannot write it", svg);
	} else {
		ret = close_tmp(sf, stmp, svg);
	}
out:
	mb_folded_free_syms(y.self, y.ns);
	mb_folded_free_syms(y.chil, y.nc);
	mb_folded_free_syms(y.ch, y.nch);
	return ret;
}

/* DIR/results.json rewritten with res, through a temporary file; 0 or 1 */
static int dump_json(json_t *res, const char *dir)
{
	char path[4200], tmp[4300];

	snprintf(path, sizeof(path), "%s/results.json", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (json_dump_file(res, tmp, JSON_INDENT(1)) || rename(tmp, path)) {
		unlink(tmp);
		return fail("%s: cannot write it", path);
	}
	return 0;
}

/* --top N: 1..1000 functions; a usage error names the bad value. */
static int parse_top(const char *arg, size_t *top)
{
	char *e;
	unsigned long v = strtoul(arg, &e, 10);

	if (*e || e == arg || !v || v > 1000)
		return mb_usage_error(PROG, "--top: '%s' is not 1..1000", arg);
	*top = v;
	return 0;
}

static int cmd_report(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "top", required_argument, NULL, 't' },
		{ "plain", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *plain = NULL;
	size_t top = 15;
	char path[4200], tmp[4300], pdir[4200];
	struct index ix;
	json_t *res, *cases, *pres = NULL;
	json_error_t je;
	FILE *txt;
	int c, ret = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":t:p:", lo, NULL)) != -1) {
		switch (c) {
		case 't':
			if (parse_top(optarg, &top))
				return MB_USAGE_STATUS;
			break;
		case 'p': plain = optarg; break;
		default: return mb_usage_getopt(PROG, c, argv);
		}
	}
	if (argc - optind != 1)
		return mb_usage_error(PROG, "usage: report [--top N] [--plain RESULTS] DIR");
	snprintf(path, sizeof(path), "%s/results.json", argv[optind]);
	res = json_load_file(path, 0, &je);
	if (!res)
		return fail("%s: %s", path, je.text);
	cases = json_object_get(res, "cases");
	if (plain) {
		pres = json_load_file(plain, 0, &je);
		if (!pres) {
			json_decref(res);
			return fail("%s: %s", plain, je.text);
		}
	}
	snprintf(pdir, sizeof(pdir), "%s/profiles", argv[optind]);
	if (index_read(&ix, pdir)) {
		json_decref(res);
		json_decref(pres);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/profile.txt", argv[optind]);
	txt = open_tmp(path, tmp, sizeof(tmp));
	if (!txt) {
		ret = fail("%s: %s", tmp, strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < ix.n && !ret; i++)
		ret = report_entry(txt, &ix.e[i], json_array_get(cases, ix.e[i].cs),
				   pres ? json_array_get(json_object_get(pres, "cases"), ix.e[i].cs) :
				   NULL, pdir, top);
	if (ret) {
		fclose(txt);
		unlink(tmp);
		goto out;
	}
	ret = close_tmp(txt, tmp, path) || dump_json(res, argv[optind]);
	if (!ret)
		printf("%s/profile.txt, %zu flame graphs in %s, profile objects in "
		       "%s/results.json\n", argv[optind], ix.n, pdir, argv[optind]);
out:
	index_free(&ix);
	json_decref(res);
	json_decref(pres);
	return ret;
}

/* ---- diff ---- */

struct drow {
	const char *name;
	double a, b, sa, sb;
};

static int by_delta(const void *x, const void *y)
{
	const struct drow *p = x, *q = y;
	double dp = fabs(p->b - p->a), dq = fabs(q->b - q->a);

	if (dp != dq)
		return dp > dq ? -1 : 1;
	return strcmp(p->name, q->name);
}

static void pct(char *buf, size_t len, double a, double b)
{
	if (a > 0)
		snprintf(buf, len, "%+.1f%%", 100 * (b / a - 1));
	else
		snprintf(buf, len, "%s", b > 0 ? "new" : "");
}

/* DIR/NAME.svg, the diff as a chart (mb_diff_svg), through a temporary file; 0 or 1 */
static int diff_svg(const char *dir, const char *name, const struct entry *A,
		    const struct entry *B, const char *na, const char *nb,
		    const struct mb_diffrow *r, size_t n)
{
	char path[4700], tmp[4800], title[1024], sub[10000];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.svg", dir, name);
	snprintf(title, sizeof(title), "profile diff: self cost per op in %s, %s", A->unit,
		 A->event);
	snprintf(sub, sizeof(sub), "A %s (%zu samples, %.0f ops)  B %s (%zu samples, %.0f ops)",
		 na, A->samples, A->ops, nb, B->samples, B->ops);
	f = open_tmp(path, tmp, sizeof(tmp));
	if (!f)
		return fail("%s: %s", tmp, strerror(errno));
	if (mb_diff_svg(title, sub, A->unit, r, n, f)) {
		fclose(f);
		unlink(tmp);
		return fail("%s: cannot write it", path);
	}
	if (close_tmp(f, tmp, path))
		return 1;
	printf("chart: %s\n", path);
	return 0;
}

/* diff's first lines: the total, perf record's own mmap tracking, the two together */
static void diff_totals(const struct entry *A, const struct entry *B, double ta, double tb)
{
	char p[32];

	pct(p, sizeof(p), ta, tb);
	printf("%10.1f %9s %10.1f %+9.1f %7.2f %7.2f %+7.2f  %s\n", ta, p, tb, tb - ta, 100.0,
	       100.0, 0.0, "(total)");
	{	/* perf record's own mmap tracking, left out of the rows (fold) */
		double xa = per_op(A, A->excluded), xb = per_op(B, B->excluded);

		pct(p, sizeof(p), xa, xb);
		printf("%10.1f %9s %10.1f %+9.1f %7s %7s %7s  %s\n", xa, p, xb, xb - xa, "", "", "",
		       "(perf record's own mmap tracking: not in the total, nor below)");
		pct(p, sizeof(p), ta + xa, tb + xb);
		printf("%10.1f %9s %10.1f %+9.1f %7s %7s %7s  %s\n", ta + xa, p, tb + xb,
		       tb + xb - ta - xa, "", "", "", "(total with it: what the profiled run's window held)");
	}
}

/* The rows diff_pair printed as a chart: the total, perf's own, the functions, the rest. */
static int diff_chart(const struct entry *A, const struct entry *B, const struct drow *r,
		      size_t nr, size_t top, double shown_a, double shown_b, const char *na,
		      const char *nb, const char *svgdir, const char *svgname)
{
	double ta = per_op(A, A->f.total), tb = per_op(B, B->f.total);
	size_t nc = 0, k = nr < top ? nr : top;
	struct mb_diffrow *cr = calloc(k + 3, sizeof(*cr));
	char other[64];
	int bad;

	if (!cr)
		return fail("out of memory");
	cr[nc++] = (struct mb_diffrow){ "(total)", ta, tb, 1 };
	cr[nc++] = (struct mb_diffrow){ "(perf's own mmap tracking, apart)",
					per_op(A, A->excluded), per_op(B, B->excluded), 1 };
	for (size_t i = 0; i < k; i++)
		cr[nc++] = (struct mb_diffrow){ r[i].name, r[i].a, r[i].b, 0 };
	snprintf(other, sizeof(other), "(the other %zu functions)", nr - k);
	if (nr > k)
		cr[nc++] = (struct mb_diffrow){ other, ta - shown_a, tb - shown_b, 1 };
	bad = diff_svg(svgdir, svgname, A, B, na, nb, cr, nc);
	free(cr);
	return bad;
}

static int diff_pair(const struct entry *A, const struct entry *B, size_t top,
		     const char *na, const char *nb, const char *svgdir, const char *svgname)
{
	struct mb_fsym *sa, *sb;
	size_t n1, n2, nr = 0;
	struct drow *r;
	double ta = per_op(A, A->f.total), tb = per_op(B, B->f.total), shown = 0;
	double shown_a = 0, shown_b = 0;
	char p[32];

	if (strcmp(A->unit, B->unit))
		return fail("%s is in %s, %s in %s: no diff across units", na, A->unit, nb,
			    B->unit);
	sa = mb_folded_syms(&A->f, 1, &n1);
	sb = mb_folded_syms(&B->f, 1, &n2);
	r = calloc(n1 + n2 + 1, sizeof(*r));
	if (!r || (!sa && n1) || (!sb && n2))
		return fail("out of memory");
	for (size_t i = 0; i < n1; i++)
		r[nr++] = (struct drow){ sa[i].name, per_op(A, sa[i].self), 0,
					 sa[i].self / A->f.total, 0 };
	for (size_t j = 0; j < n2; j++) {
		size_t i;

		for (i = 0; i < n1; i++)
			if (!strcmp(r[i].name, sb[j].name))
				break;
		if (i == n1)
			r[i = nr++] = (struct drow){ sb[j].name, 0, 0, 0, 0 };
		r[i].b = per_op(B, sb[j].self);
		r[i].sb = sb[j].self / B->f.total;
	}
	{	/* functions that are the leaf of no stack on either side are no row */
		size_t k = 0;

		for (size_t i = 0; i < nr; i++)
			if (r[i].a > 0 || r[i].b > 0)
				r[k++] = r[i];
		nr = k;
	}
	qsort(r, nr, sizeof(*r), by_delta);
	printf("profile diff, self cost per op in %s (%s; A: %zu samples, %.0f ops; B: %zu "
	       "samples, %.0f ops)\n  A %s\n  B %s\n", A->unit, A->event, A->samples, A->ops,
	       B->samples, B->ops, na, nb);
	printf("%10s %9s %10s %9s %7s %7s %7s  %s\n", "A", "%change", "B", "delta", "A%", "B%",
	       "pp", "function");
	diff_totals(A, B, ta, tb);
	for (size_t i = 0; i < nr && i < top; i++) {
		pct(p, sizeof(p), r[i].a, r[i].b);
		printf("%10.1f %9s %10.1f %+9.1f %7.2f %7.2f %+7.2f  %s\n", r[i].a, p, r[i].b,
		       r[i].b - r[i].a, 100 * r[i].sa, 100 * r[i].sb, 100 * (r[i].sb - r[i].sa),
		       r[i].name);
		shown += r[i].b - r[i].a;
		shown_a += r[i].a;
		shown_b += r[i].b;
	}
	if (nr > top)
		printf("%10s %9s %10s %+9.1f %7s %7s %7s  (the other %zu functions)\n", "", "", "",
		       tb - ta - shown, "", "", "", nr - top);
	if (svgdir && diff_chart(A, B, r, nr, top, shown_a, shown_b, na, nb, svgdir, svgname)) {
		free(r);
		mb_folded_free_syms(sa, n1);
		mb_folded_free_syms(sb, n2);
		return 1;
	}
	putchar('\n');
	free(r);
	mb_folded_free_syms(sa, n1);
	mb_folded_free_syms(sb, n2);
	return 0;
}

/* A path to a folded file: its folder's index and the entry; 0 or 1 */
static int load_one(const char *path, struct index *ix, struct entry **e)
{
	char dir[4096];
	const char *base = strrchr(path, '/');

	snprintf(dir, sizeof(dir), "%.*s", base ? (int)(base - path) : 1, base ? path : ".");
	base = base ? base + 1 : path;
	if (index_read(ix, dir))
		return 1;
	for (size_t i = 0; i < ix->n; i++)
		if (!strcmp(ix->e[i].file, base)) {
			*e = &ix->e[i];
			return 0;
		}
	index_free(ix);
	return fail("%s: not in %s/index.tsv", path, dir);
}

/*
 * diff's and agree's A and B: two folded files (*ea, *eb: the entry of each, in a and
 * b; returns 0) or two profiles folders (a and b read whole; returns 1).  -1 after
 * saying why, with nothing left to free.
 */
static int load_operands(const char *pa, const char *pb, struct index *a, struct index *b,
			 struct entry **ea, struct entry **eb)
{
	struct stat st;
	bool dirs;

	if (stat(pa, &st)) {
		fail("%s: %s", pa, strerror(errno));
		return -1;
	}
	dirs = S_ISDIR(st.st_mode);
	if (dirs ? index_read(a, pa) : load_one(pa, a, ea))
		return -1;
	if (dirs ? index_read(b, pb) : load_one(pb, b, eb)) {
		index_free(a);
		return -1;
	}
	return dirs;
}

static int cmd_diff(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "top", required_argument, NULL, 't' },
		{ "svg", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *svg = NULL;
	size_t top = 20, matched = 0;
	struct index a, b;
	struct entry *ea, *eb;
	struct stat st;
	int c, dirs, ret = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":t:s:", lo, NULL)) != -1) {
		if (c == 's') {
			svg = optarg;
			continue;
		}
		if (c != 't')
			return mb_usage_getopt(PROG, c, argv);
		if (parse_top(optarg, &top))
			return MB_USAGE_STATUS;
	}
	if (argc - optind != 2)
		return mb_usage_error(PROG, "usage: diff [--top N] [--svg DIR] A B (folded files, "
				      "or profiles folders)");
	if (svg && (stat(svg, &st) || !S_ISDIR(st.st_mode)))
		return mb_usage_error(PROG, "--svg %s: not a directory", svg);
	dirs = load_operands(argv[optind], argv[optind + 1], &a, &b, &ea, &eb);
	if (dirs < 0)
		return 1;
	if (!dirs) {
		char name[900];

		snprintf(name, sizeof(name), "diff-%.*s--%.*s",
			 (int)(strlen(ea->file) - strlen(".folded")), ea->file,
			 (int)(strlen(eb->file) - strlen(".folded")), eb->file);
		ret = diff_pair(ea, eb, top, argv[optind], argv[optind + 1], svg, name);
		index_free(&a);
		index_free(&b);
		return ret;
	}
	for (size_t i = 0; i < a.n && !ret; i++)
		for (size_t j = 0; j < b.n && !ret; j++)
			if (!strcmp(a.e[i].slug, b.e[j].slug) && !strcmp(a.e[i].step, b.e[j].step)) {
				char na[4700], nb[4700], name[900];

				snprintf(na, sizeof(na), "%s/%s", a.dir, a.e[i].file);
				snprintf(nb, sizeof(nb), "%s/%s", b.dir, b.e[j].file);
				snprintf(name, sizeof(name), "diff-%.*s",
					 (int)(strlen(a.e[i].file) - strlen(".folded")),
					 a.e[i].file);
				ret = diff_pair(&a.e[i], &b.e[j], top, na, nb, svg, name);
				matched++;
			}
	if (!ret && !matched)
		ret = fail("%s and %s have no case in common", argv[optind], argv[optind + 1]);
	index_free(&a);
	index_free(&b);
	return ret;
}

/* ---- period ---- */

/*
 * The sampling period for one sample a window at most: FACTOR times the longest
 * timed loop of the unprofiled run (a case step's median per op times its batch),
 * in ns of the sampling clock (instructions under icount, shift 0), rounded up to a
 * multiple of 1000.  Under perf record the op is longer (its mmap tracking: about 1.6
 * times a merge's mmap on 6.12), hence a factor of 2.  0, or 1 (no timed case).
 */
static int cmd_period(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "factor", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	double factor = 2, longest = 0, scale;
	const char *unit, *what = NULL;
	json_t *res, *cases;
	json_error_t je;
	char *e;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":f:", lo, NULL)) != -1) {
		if (c != 'f')
			return mb_usage_getopt(PROG, c, argv);
		factor = strtod(optarg, &e);
		if (*e || e == optarg || !(factor >= 1) || factor > 100)
			return mb_usage_error(PROG, "--factor: '%s' is not 1..100", optarg);
	}
	if (argc - optind != 1)
		return mb_usage_error(PROG, "usage: period [--factor F] RESULTS");
	res = json_load_file(argv[optind], 0, &je);
	if (!res)
		return fail("%s: %s", argv[optind], je.text);
	unit_of(json_object_get(res, "env"), &unit, &scale);
	cases = json_object_get(res, "cases");
	for (size_t i = 0; i < json_array_size(cases); i++) {
		json_t *cs = json_array_get(cases, i), *ms = json_object_get(cs, "metrics");

		if (strcmp(json_string_value(json_object_get(cs, "status")) ?: "", "ok"))
			continue;
		for (size_t k = 0; k < json_array_size(ms); k++) {
			json_t *m = json_array_get(ms, k);
			double med = json_number_value(json_object_get(json_object_get(m, "stats"),
								       "median"));
			double batch = json_number_value(json_object_get(m, "batch"));

			const char *t = json_string_value(json_object_get(m, "timing")) ?: "";

			/* "reported": a figure the benchmark computes, no timed loop of its own */
			if ((strcmp(t, "batch") && strcmp(t, "each")) || !(med > 0) || !(batch >= 1))
				continue;
			if (med * batch / scale > longest) {
				longest = med * batch / scale;
				what = json_string_value(json_object_get(m, "name"));
			}
		}
	}
	if (!(longest > 0)) {
		json_decref(res);
		return fail("%s: no ok case with a batch-timed metric: no window to size the "
			    "period on", argv[optind]);
	}
	printf("%.0f\n", 1000 * ceil(factor * longest / 1000));
	fprintf(stderr, PROG ": period %.0f ns: %.1f times the longest timed loop, %.0f ns "
		"(%s)\n", 1000 * ceil(factor * longest / 1000), factor, longest, what ?: "?");
	json_decref(res);
	return 0;
}

/* ---- agree ---- */

/* One case step of two profiles: the top N table and its verdict; 1 pass, 0 fail, -1 oom */
static int agree_pair(const struct entry *A, const struct entry *B, size_t top, double tol,
		      const char *na, const char *nb)
{
	struct mb_fsym *sa, *sb;
	size_t n1, n2;
	struct mb_agree g;
	int ret;

	sa = mb_folded_syms(&A->f, 1, &n1);
	sb = mb_folded_syms(&B->f, 1, &n2);
	if ((!sa && n1) || (!sb && n2) || mb_topn_agree(sa, n1, A->f.total, sb, n2, B->f.total,
						       top, tol, &g)) {
		mb_folded_free_syms(sa, n1);
		mb_folded_free_syms(sb, n2);
		return -1;
	}
	printf("%s %s: top %zu self functions (A: %zu samples, B: %zu)\n  A %s\n  B %s\n",
	       A->slug, A->step, top, A->samples, B->samples, na, nb);
	printf("%6s %7s %6s %7s %7s %6s  %s\n", "rank A", "A%", "rank B", "B%", "pp", "z",
	       "function");
	for (size_t k = 0; k < g.n; k++) {
		const struct mb_agree_row *r = &g.rows[k];
		char ra[16], rb[16];

		snprintf(ra, sizeof(ra), r->ra ? "%zu" : "-", r->ra);
		snprintf(rb, sizeof(rb), r->rb ? "%zu" : "-", r->rb);
		printf("%6s %7.2f %6s %7.2f %+7.2f %+6.1f  %s", ra, 100 * r->sa, rb, 100 * r->sb,
		       100 * (r->sb - r->sa), mb_share_z(r->sa, (double)A->samples, r->sb,
							  (double)B->samples), r->name);
		if (r->in_a != r->in_b)
			printf("  (in %s's top %zu only: %.2f pp from %s's place %zu, %.2f %%: %s)",
			       r->in_a ? "A" : "B", top,
			       100 * fabs((r->in_a ? r->sb : r->sa) - (r->in_a ? g.nth_b : g.nth_a)),
			       r->in_a ? "B" : "A", top, 100 * (r->in_a ? g.nth_b : g.nth_a),
			       r->tie ? "a tie, within the boots' difference" : "no tie");
		putchar('\n');
	}
	printf("%s %s: %s: %s; the boots' difference %.2f pp (%s; over both top %zu), the "
	       "largest %.2f pp (%s), %s %.2f pp\n", A->slug, A->step, g.pass ? "pass" : "FAIL",
	       !g.swapped ? "the same functions" :
	       g.real ? "other functions" : "the same functions but for ties at the boundary",
	       100 * g.d, g.dname ? g.dname : "-", top, 100 * g.dall,
	       g.dallname ? g.dallname : "-", g.dall <= tol + 1e-12 ? "within" : "over",
	       100 * tol);
	{
		size_t m;
		double chi = mb_share_chi2(sa, n1, A->f.total, (double)A->samples, sb, n2,
					   B->f.total, (double)B->samples, 40, &m);

		printf("%s %s: sum of z^2 over the %zu functions with 40 samples or more: %.1f "
		       "(about %zu when A and B differ by sampling alone)\n\n", A->slug, A->step,
		       m, chi, m);
	}
	ret = g.pass;
	mb_agree_free(&g);
	mb_folded_free_syms(sa, n1);
	mb_folded_free_syms(sb, n2);
	return ret;
}

static int cmd_agree(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "top", required_argument, NULL, 't' },
		{ "pp", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	size_t top = 10, cases = 0, passed = 0;
	double tol = 0.01;
	struct index a, b;
	struct entry *ea, *eb;
	int c, dirs, ret = 0;
	char *e;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":t:p:", lo, NULL)) != -1) {
		switch (c) {
		case 't':
			if (parse_top(optarg, &top))
				return MB_USAGE_STATUS;
			break;
		case 'p':
			tol = strtod(optarg, &e) / 100;
			if (*e || e == optarg || !(tol >= 0) || tol > 1)
				return mb_usage_error(PROG, "--pp: '%s' is not 0..100", optarg);
			break;
		default: return mb_usage_getopt(PROG, c, argv);
		}
	}
	if (argc - optind != 2)
		return mb_usage_error(PROG, "usage: agree [--top N] [--pp PP] A B (folded files, "
				      "or profiles folders)");
	dirs = load_operands(argv[optind], argv[optind + 1], &a, &b, &ea, &eb);
	if (dirs < 0)
		return 1;
	if (!dirs) {
		ret = agree_pair(ea, eb, top, tol, argv[optind], argv[optind + 1]);
		cases = 1;
		passed = ret > 0;
	} else {
		for (size_t i = 0; i < a.n && ret >= 0; i++)
			for (size_t j = 0; j < b.n && ret >= 0; j++)
				if (!strcmp(a.e[i].slug, b.e[j].slug) &&
				    !strcmp(a.e[i].step, b.e[j].step)) {
					char na[4700], nb[4700];

					snprintf(na, sizeof(na), "%s/%s", a.dir, a.e[i].file);
					snprintf(nb, sizeof(nb), "%s/%s", b.dir, b.e[j].file);
					ret = agree_pair(&a.e[i], &b.e[j], top, tol, na, nb);
					cases++;
					passed += ret > 0;
				}
	}
	index_free(&a);
	index_free(&b);
	if (ret < 0)
		return fail("out of memory");
	if (!cases)
		return fail("%s and %s have no case in common", argv[optind], argv[optind + 1]);
	printf("agree: %zu of %zu case steps pass (the same top %zu self functions, ties "
	       "within the boots' difference allowed, shares within %.2f pp)\n", passed, cases,
	       top, 100 * tol);
	return passed == cases ? 0 : 3;
}

int mb_cmd_profile(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		FILE *f = argc < 2 ? stderr : stdout;

		fprintf(f, "Usage: " PROG " fold -w WINDOWS -r RESULTS -o DIR [-e EVENT] "
			"[--user-depth N] [--first] [--leaf] [PERF-SCRIPT-FILE]\n"
			"       " PROG " report [--top N] [--plain RESULTS] DIR\n"
			"       " PROG " diff [--top N] [--svg DIR] A B   (folded files or profiles "
			"folders)\n"
			"       " PROG " agree [--top N] [--pp PP] A B   (folded files or profiles "
			"folders)\n"
			"       " PROG " period [--factor F] RESULTS\n");
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version"))
		return mb_print_version(PROG);
	if (!strcmp(argv[1], "fold"))
		return cmd_fold(argc - 1, argv + 1);
	if (!strcmp(argv[1], "report"))
		return cmd_report(argc - 1, argv + 1);
	if (!strcmp(argv[1], "diff"))
		return cmd_diff(argc - 1, argv + 1);
	if (!strcmp(argv[1], "agree"))
		return cmd_agree(argc - 1, argv + 1);
	if (!strcmp(argv[1], "period"))
		return cmd_period(argc - 1, argv + 1);
	return mb_usage_error(PROG, "unknown subcommand '%s' (fold, report, diff, agree, period)",
			      argv[1]);
}
