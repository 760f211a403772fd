// SPDX-License-Identifier: GPL-2.0
/*
 * oracle.c - `mmapbench oracle RECORD`: the merge oracle's counts, from its record.
 *
 * scripts/guest/oracle (setup, the pid filter, the run) keeps what one run left in a
 * record (mmapbench-oracle-record/1: its header comment says what lines it holds);
 * this reads the record and prints the oracle's JSON (mmapbench-oracle/1, fields in
 * scripts/guest/oracle's header) on stdout.  Exit: 0 counted; 1 the record is unreadable
 * or malformed (nothing printed); 2 usage; 3 events were lost or kprobes missed;
 * 5 the counts are incomplete otherwise (the JSON's "error" says why, stderr too).
 *
 * The trace is ftrace's text: "COMM-PID [CPU] FLAGS TIMESTAMP: EVENT: ARGS".  Events
 * count for the whole pid ("pid_total") and, between CMD's exec
 * (sched_process_exec) and its do_exit (the marker), for the window ("hits").
 * Each mmap_region() entry opens a bracket that its kretprobe closes: the
 * vma_merge_new_range() returns inside it are that mmap's merge attempts.
 *
 * The regular expressions are POSIX EREs, leftmost-longest as in awk, from the
 * awk state machine this replaces.
 */
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "oracle.h"
#include "schemas.h"

#define ORC_HIST	65	/* histogram buckets 0..64, as the awk printed them */
#define ORC_MAXEV	64
#define ORC_MAXCALLER	64
#define ORC_MAXARG	256

enum orc_type { ORC_ENTRY, ORC_RETURN, ORC_MARKER };

struct orc_event {
	char *name, *function, *symbol;
	enum orc_type type;
	long long hits, hits_nz, all, all_nz;
};

struct orc_unprobed {
	char *name, *reason;
};

struct orc_caller {
	char *name;
	long long calls, merged;
};

struct orc {
	/* the record's header */
	char *kernel, *machine, *accel, *date, *tracefs, *instance;
	long long pid, status, lost, missed, entries, buffer_kb;
	unsigned have;			/* bit per header key */
	char *argv[ORC_MAXARG];
	int argc;
	struct orc_event ev[ORC_MAXEV];
	int nev;
	struct orc_unprobed un[ORC_MAXEV];
	int nun;

	/* the trace */
	bool started, ended, inmmap;
	long long events, execs, otherpid, unknown, junk, lostlines;
	long long mmaps, mfail, mmerged, mcalls, mat;
	long long chist[ORC_HIST], mhist[ORC_HIST];
	struct orc_caller caller[ORC_MAXCALLER];
	int ncaller;
};

static const char *const orc_keys[] = {
	"kernel", "machine", "accel", "date", "tracefs", "instance",
	"pid", "status", "lost", "missed", "entries", "buffer_kb",
};
#define ORC_NKEYS	(sizeof(orc_keys) / sizeof(orc_keys[0]))
#define ORC_NSTRKEYS	6

static regex_t re_event, re_pid, re_lost, re_lostn, re_ret, re_caller;

static char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p) {
		fprintf(stderr, "mmapbench oracle: out of memory\n");
		exit(1);
	}
	return p;
}

static void orc_regcomp(regex_t *re, const char *pat)
{
	if (regcomp(re, pat, REG_EXTENDED)) {
		fprintf(stderr, "mmapbench oracle: bad regular expression '%s'\n", pat);
		exit(1);
	}
}

/* Leftmost-longest match of re in s: 1 with [*so, *eo), else 0. */
static int orc_match(const regex_t *re, const char *s, size_t *so, size_t *eo)
{
	regmatch_t m;

	if (regexec(re, s, 1, &m, 0))
		return 0;
	*so = (size_t)m.rm_so;
	*eo = (size_t)m.rm_eo;
	return 1;
}

static struct orc_event *orc_find(struct orc *o, const char *name)
{
	for (int i = 0; i < o->nev; i++)
		if (!strcmp(o->ev[i].name, name))
			return &o->ev[i];
	return NULL;
}

/* a + b of two counts (>= 0), LLONG_MAX when it would not fit: never negative */
static long long orc_sum(long long a, long long b)
{
	long long r;

	return __builtin_add_overflow(a, b, &r) ? LLONG_MAX : r;
}

static int parse_ll(const char *s, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	return errno || end == s || *end ? -1 : 0;
}

/* "event EVENT FUNCTION TYPE SYMBOL", fields split on blanks as awk does. */
static int orc_add_event(struct orc *o, char *rest, char *err, size_t n)
{
	char *f[4], *save = NULL;
	struct orc_event *e;
	int k;

	for (k = 0; k < 4; k++) {
		f[k] = strtok_r(k ? NULL : rest, " \t", &save);
		if (!f[k])
			break;
	}
	if (k < 4) {
		snprintf(err, n, "an event line needs EVENT FUNCTION TYPE SYMBOL");
		return -1;
	}
	if (o->nev == ORC_MAXEV) {
		snprintf(err, n, "more than %d events", ORC_MAXEV);
		return -1;
	}
	/* its counts would go to the first, the JSON would name it twice */
	if (orc_find(o, f[0])) {
		snprintf(err, n, "event %s given twice", f[0]);
		return -1;
	}
	e = &o->ev[o->nev++];
	memset(e, 0, sizeof(*e));
	e->name = xstrdup(f[0]);
	e->function = xstrdup(f[1]);
	e->symbol = xstrdup(f[3]);
	if (!strcmp(f[2], "entry")) {
		e->type = ORC_ENTRY;
	} else if (!strcmp(f[2], "return")) {
		e->type = ORC_RETURN;
	} else if (!strcmp(f[2], "marker")) {
		e->type = ORC_MARKER;
	} else {
		snprintf(err, n, "event %s: unknown type '%s' (entry, return or marker)",
			 f[0], f[2]);
		return -1;
	}
	return 0;
}

/* "unprobed NAME REASON..." */
static int orc_add_unprobed(struct orc *o, const char *rest, char *err, size_t n)
{
	size_t len = strcspn(rest, " ");
	char *name;

	if (!len) {
		snprintf(err, n, "an unprobed line needs a NAME");
		return -1;
	}
	if (o->nun == ORC_MAXEV) {
		snprintf(err, n, "more than %d unprobed names", ORC_MAXEV);
		return -1;
	}
	name = xstrdup(rest);
	name[len] = '\0';
	o->un[o->nun].name = name;
	o->un[o->nun].reason = xstrdup(rest[len] ? rest + len + 1 : "");
	o->nun++;
	return 0;
}

/* One header line (before "trace"); 1 when it was "trace", 0, or -1 with err. */
static int orc_header_line(struct orc *o, char *line, char *err, size_t n)
{
	char *val = strchr(line, ' ');
	size_t k;

	if (!strcmp(line, "trace"))
		return 1;
	if (!val) {
		snprintf(err, n, "'%s': want KEY VALUE", line);
		return -1;
	}
	*val++ = '\0';
	if (!strcmp(line, "arg")) {
		if (o->argc == ORC_MAXARG) {
			snprintf(err, n, "more than %d arg lines", ORC_MAXARG);
			return -1;
		}
		o->argv[o->argc++] = xstrdup(val);
		return 0;
	}
	if (!strcmp(line, "event"))
		return orc_add_event(o, val, err, n);
	if (!strcmp(line, "unprobed"))
		return orc_add_unprobed(o, val, err, n);
	for (k = 0; k < ORC_NKEYS; k++)
		if (!strcmp(line, orc_keys[k]))
			break;
	if (k == ORC_NKEYS) {
		snprintf(err, n, "unknown key '%s'", line);
		return -1;
	}
	if (o->have & 1u << k) {
		snprintf(err, n, "key '%s' given twice", line);
		return -1;
	}
	o->have |= 1u << k;
	if (k < ORC_NSTRKEYS) {
		char **s[ORC_NSTRKEYS] = { &o->kernel, &o->machine, &o->accel, &o->date,
					   &o->tracefs, &o->instance };

		*s[k] = xstrdup(val);
		return 0;
	} else {
		long long *v[] = { &o->pid, &o->status, &o->lost, &o->missed, &o->entries,
				   &o->buffer_kb };

		if (parse_ll(val, v[k - ORC_NSTRKEYS])) {
			snprintf(err, n, "%s '%s': not an integer", line, val);
			return -1;
		}
		/* counts and a pid: a negative one would cancel what was lost */
		if (strcmp(line, "status") && *v[k - ORC_NSTRKEYS] < 0) {
			snprintf(err, n, "%s '%s': negative", line, val);
			return -1;
		}
	}
	return 0;
}

static void orc_flush(struct orc *o)
{
	o->inmmap = false;
	o->mmaps++;
	if (o->mcalls < ORC_HIST)
		o->chist[o->mcalls]++;
	if (o->mat) {
		o->mmerged++;
		if (o->mat < ORC_HIST)
			o->mhist[o->mat]++;
	}
}

static struct orc_caller *orc_caller(struct orc *o, const char *name, size_t len)
{
	struct orc_caller *c;

	for (int i = 0; i < o->ncaller; i++)
		if (strlen(o->caller[i].name) == len && !strncmp(o->caller[i].name, name, len))
			return &o->caller[i];
	if (o->ncaller == ORC_MAXCALLER)
		return NULL;
	c = &o->caller[o->ncaller++];
	c->name = xstrdup(name);
	c->name[len] = '\0';
	return c;
}

/* The value of " ret=VALUE" in line, and whether it is nonzero; v empty when none. */
static bool orc_retval(const char *line, char *v, size_t n)
{
	size_t so, eo, len;

	v[0] = '\0';
	if (!orc_match(&re_ret, line, &so, &eo))
		return false;
	len = eo - so - 5;
	if (len >= n)
		len = n - 1;
	memcpy(v, line + so + 5, len);
	v[len] = '\0';
	return strcmp(v, "0x0") && strcmp(v, "0") && strcmp(v, "(nil)");
}

/* What an event inside the window does to the per-mmap brackets. */
static void orc_window_event(struct orc *o, const struct orc_event *e, const char *line,
			     const char *v, bool nz)
{
	if (!strcmp(e->name, "mmap_region")) {
		if (o->inmmap)
			orc_flush(o);
		o->inmmap = true;
		o->mcalls = 0;
		o->mat = 0;
	} else if (!strcmp(e->name, "mmap_region__ret")) {
		if (o->inmmap) {
			if (!strncmp(v, "0xfffffffffffff", 15))
				o->mfail++;
			orc_flush(o);
		}
	} else if (!strcmp(e->name, "vma_merge_new_range__ret")) {
		const char *name = "?";
		size_t so, eo, len = 1;
		struct orc_caller *c;

		if (orc_match(&re_caller, line, &so, &eo)) {
			name = line + so + 1;
			len = eo - so - 4;
		}
		c = orc_caller(o, name, len);
		if (c) {
			c->calls++;
			c->merged += nz;
		}
		if (o->inmmap) {
			o->mcalls++;
			if (nz && !o->mat)
				o->mat = o->mcalls;
		}
	}
}

static void orc_trace_line(struct orc *o, char *line)
{
	char v[64], pid[32];
	struct orc_event *e;
	size_t so, eo, pso, peo;
	bool nz;

	if (line[0] == '#')
		return;
	if (orc_match(&re_lost, line, &so, &eo)) {
		if (orc_match(&re_lostn, line, &so, &eo))
			o->lostlines = orc_sum(o->lostlines, strtoll(line + so + 5, NULL, 10));
		return;
	}
	if (!orc_match(&re_event, line, &so, &eo)) {
		o->junk++;
		return;
	}
	/* the event's name: after "TIMESTAMP: ", before ": " */
	line[eo - 2] = '\0';
	e = NULL;
	{
		const char *name = strchr(line + so, ' ') + 1;
		char saved = line[so];

		line[so] = '\0';	/* what precedes the timestamp: COMM-PID [CPU] */
		if (orc_match(&re_pid, line, &pso, &peo)) {
			size_t len = strcspn(line + pso + 1, " ");

			char want[32];

			/* compared as strings, as the awk did */
			snprintf(pid, sizeof(pid), "%.*s", (int)len, line + pso + 1);
			snprintf(want, sizeof(want), "%lld", o->pid);
			if (strcmp(pid, want)) {
				o->otherpid++;
				return;
			}
		}
		line[so] = saved;
		o->events++;
		if (!strcmp(name, "sched_process_exec")) {
			o->execs++;
			o->started = true;
			return;
		}
		e = orc_find(o, name);
	}
	if (!e) {
		o->unknown++;
		return;
	}
	if (e->type == ORC_MARKER) {
		if (o->started && !o->ended)
			o->ended = true;
		return;
	}
	line[eo - 2] = ':';
	nz = e->type == ORC_RETURN && orc_retval(line, v, sizeof(v));
	if (e->type != ORC_RETURN)
		v[0] = '\0';
	e->all++;
	e->all_nz += nz;
	if (!o->started || o->ended)
		return;
	e->hits++;
	e->hits_nz += nz;
	orc_window_event(o, e, line, v, nz);
}

static void jw_hist(struct jw *j, const char *key, const long long *h)
{
	char k[8];

	jw_key(j, key);
	jw_begin_object(j);
	for (int i = 0; i < ORC_HIST; i++) {
		if (h[i] <= 0)
			continue;
		snprintf(k, sizeof(k), "%d", i);
		jw_kv_int(j, k, h[i]);
	}
	jw_end_object(j);
}

/* KEY: the window's hits of EVENT, null when it was not probed. */
static void jw_hits(struct jw *j, const char *key, const struct orc_event *e, bool nonzero)
{
	jw_key(j, key);
	if (e)
		jw_int(j, nonzero ? e->hits_nz : e->hits);
	else
		jw_null(j);
}

/* Why the counts cannot be trusted, into err ("" when they can); the exit status. */
static int orc_error(const struct orc *o, char *err, size_t n)
{
	long long lost = orc_sum(o->lost, o->lostlines);
	/*
	 * Every event line is the pid's (events, the unknown ones among them) or
	 * another pid's: the awk added unknown once more, so one event no probe names
	 * made a complete trace look like more than the buffer held.
	 */
	long long read = o->events + o->otherpid;

	err[0] = '\0';
	if (lost > 0)
		snprintf(err, n, "%lld trace events were lost (buffer overrun/dropped): counts would be low; retry with -b KB larger than %lld",
			 lost, o->buffer_kb);
	else if (o->missed > 0)
		snprintf(err, n,
			 "%lld kprobe hits were missed (kprobe_profile): counts would be low",
			 o->missed);
	else if (o->entries != read)
		snprintf(err, n, "the buffer held %lld events but %lld were read", o->entries,
			 read);
	else if (!o->started)
		snprintf(err, n, "CMD never reached exec (no sched_process_exec for pid %lld)",
			 o->pid);
	else if (!o->ended)
		snprintf(err, n, "no do_exit seen for pid %lld", o->pid);
	if (!err[0])
		return 0;
	return lost > 0 || o->missed > 0 ? 3 : 5;
}

static void orc_write_merge(struct orc *o, struct jw *j)
{
	const struct orc_event *e = orc_find(o, "vma_merge_new_range");
	const struct orc_event *r = orc_find(o, "vma_merge_new_range__ret");
	const struct orc_event *m = orc_find(o, "mmap_region");
	const struct orc_event *mr = orc_find(o, "mmap_region__ret");

	jw_key(j, "merge_new_range");
	jw_begin_object(j);
	jw_hits(j, "calls", e ? e : r, false);
	jw_hits(j, "merged", r, true);
	if (r) {
		jw_key(j, "by_caller");
		jw_begin_object(j);
		for (int i = 0; i < o->ncaller; i++) {
			jw_key(j, o->caller[i].name);
			jw_begin_object(j);
			jw_kv_int(j, "calls", o->caller[i].calls);
			jw_kv_int(j, "merged", o->caller[i].merged);
			jw_end_object(j);
		}
		jw_end_object(j);
	}
	jw_end_object(j);
	jw_key(j, "per_mmap");
	if (m && mr && r) {
		jw_begin_object(j);
		jw_kv_int(j, "mmaps", o->mmaps);
		jw_kv_int(j, "failed", o->mfail);
		jw_hist(j, "merge_calls_histogram", o->chist);
		jw_kv_int(j, "merged", o->mmerged);
		jw_hist(j, "merged_at_attempt", o->mhist);
		jw_end_object(j);
	} else {
		jw_null(j);
	}
	jw_hits(j, "mmap_region", m, false);
	jw_hits(j, "vma_expand", orc_find(o, "vma_expand"), false);
	jw_hits(j, "vm_area_alloc", orc_find(o, "vm_area_alloc"), false);
	jw_hits(j, "vm_area_free", orc_find(o, "vm_area_free"), false);
}

static void orc_write_probes(struct orc *o, struct jw *j)
{
	static const char *const tname[] = { "entry", "return", "marker" };

	jw_key(j, "probes");
	jw_begin_object(j);
	for (int i = 0; i < o->nev; i++) {
		const struct orc_event *e = &o->ev[i];

		if (e->type == ORC_MARKER)
			continue;
		jw_key(j, e->name);
		jw_begin_object(j);
		jw_kv_str(j, "function", e->function);
		jw_kv_str(j, "symbol", e->symbol);
		jw_kv_str(j, "type", tname[e->type]);
		jw_kv_int(j, "hits", e->hits);
		jw_kv_int(j, "pid_total", e->all);
		if (e->type == ORC_RETURN) {
			jw_kv_int(j, "nonzero", e->hits_nz);
			jw_kv_int(j, "pid_total_nonzero", e->all_nz);
		}
		jw_end_object(j);
	}
	jw_end_object(j);
	jw_key(j, "unprobed");
	jw_begin_array(j);
	for (int i = 0; i < o->nun; i++) {
		jw_begin_object(j);
		jw_kv_str(j, "name", o->un[i].name);
		jw_kv_str(j, "reason", o->un[i].reason);
		jw_end_object(j);
	}
	jw_end_array(j);
}

static int orc_write(struct orc *o, FILE *f, const char *err)
{
	struct jw j;

	jw_init(&j, f, 1);
	jw_begin_object(&j);
	jw_kv_str(&j, "oracle", MB_SCHEMA_ORACLE);
	jw_kv_str(&j, "kernel", o->kernel);
	jw_key(&j, "env");
	jw_begin_object(&j);
	jw_kv_str(&j, "kernel_release", o->kernel);
	jw_kv_str(&j, "machine", o->machine);
	jw_kv_str(&j, "accel", o->accel);
	jw_kv_str(&j, "date", o->date);
	jw_end_object(&j);
	jw_key(&j, "cmd");
	jw_begin_array(&j);
	for (int i = 0; i < o->argc; i++)
		jw_string(&j, o->argv[i]);
	jw_end_array(&j);
	jw_kv_int(&j, "pid", o->pid);
	jw_kv_int(&j, "status", o->status);
	jw_kv_str(&j, "window", "exec-to-exit");
	jw_kv_bool(&j, "window_complete", o->started && o->ended);
	orc_write_merge(o, &j);
	orc_write_probes(o, &j);
	jw_key(&j, "trace");
	jw_begin_object(&j);
	jw_kv_int(&j, "events", o->events);
	jw_kv_int(&j, "execs", o->execs);
	jw_kv_int(&j, "lost", orc_sum(o->lost, o->lostlines));
	jw_kv_int(&j, "missed", o->missed);
	jw_kv_int(&j, "buffer_kb_per_cpu", o->buffer_kb);
	jw_kv_str(&j, "tracefs", o->tracefs);
	jw_kv_str(&j, "instance", o->instance);
	jw_end_object(&j);
	jw_key(&j, "error");
	jw_string(&j, err[0] ? err : NULL);
	jw_end_object(&j);
	if (jw_finish(&j) || fputc('\n', f) == EOF || fflush(f))
		return -1;
	return 0;
}

/* Reads the record from in into o; 0, or -1 with err. */
static int orc_read(struct orc *o, FILE *in, char *err, size_t n)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;
	int trace = 0, rc = 0;

	while ((len = getline(&line, &cap, in)) >= 0) {
		lineno++;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (trace) {
			orc_trace_line(o, line);
			continue;
		}
		if (lineno == 1) {
			if (strcmp(line, ORACLE_RECORD_SCHEMA)) {
				snprintf(err, n, "not a %s (first line '%.40s')",
					 ORACLE_RECORD_SCHEMA, line);
				rc = -1;
				break;
			}
			continue;
		}
		trace = orc_header_line(o, line, err, n);
		if (trace < 0) {
			char e[256];

			snprintf(e, sizeof(e), "%s", err);
			snprintf(err, n, "line %ld: %s", lineno, e);
			rc = -1;
			break;
		}
	}
	if (!rc && ferror(in)) {
		snprintf(err, n, "read error: %s", strerror(errno));
		rc = -1;
	}
	if (!rc && !trace) {
		snprintf(err, n, lineno ? "no 'trace' line" : "empty");
		rc = -1;
	}
	for (size_t k = 0; !rc && k < ORC_NKEYS; k++) {
		if (!(o->have & 1u << k)) {
			snprintf(err, n, "no '%s' line", orc_keys[k]);
			rc = -1;
		}
	}
	free(line);
	if (!rc && o->inmmap)
		orc_flush(o);
	return rc;
}

/* Frees what orc_read() kept in o and zeroes it, ready for another record. */
static void orc_free(struct orc *o)
{
	free(o->kernel);
	free(o->machine);
	free(o->accel);
	free(o->date);
	free(o->tracefs);
	free(o->instance);
	for (int i = 0; i < o->argc; i++)
		free(o->argv[i]);
	for (int i = 0; i < o->nev; i++) {
		free(o->ev[i].name);
		free(o->ev[i].function);
		free(o->ev[i].symbol);
	}
	for (int i = 0; i < o->nun; i++) {
		free(o->un[i].name);
		free(o->un[i].reason);
	}
	for (int i = 0; i < o->ncaller; i++)
		free(o->caller[i].name);
	memset(o, 0, sizeof(*o));
}

static void orc_init(void)
{
	orc_regcomp(&re_event, "[0-9]+\\.[0-9]+: [A-Za-z_][A-Za-z0-9_]*: ");
	orc_regcomp(&re_pid, "-[0-9]+ +\\[[0-9]+\\]");
	orc_regcomp(&re_lost, "\\[LOST [0-9]+ EVENTS\\]");
	orc_regcomp(&re_lostn, "LOST [0-9]+");
	orc_regcomp(&re_ret, " ret=[^ ]+");
	orc_regcomp(&re_caller, "\\([A-Za-z0-9_.]+\\+0x");
}

int mb_oracle_main(const char *prog, int argc, char **argv)
{
	static struct orc o;
	char err[512] = "", why[512];
	FILE *in;
	int rc;

	if (argc != 1 || (argv[0][0] == '-' && argv[0][1])) {
		fprintf(stderr, "usage: %s oracle RECORD|-\n"
			"  the merge oracle's JSON from the record scripts/guest/oracle keeps (-t)\n",
			prog);
		return 2;
	}
	in = strcmp(argv[0], "-") ? fopen(argv[0], "r") : stdin;
	if (!in) {
		fprintf(stderr, "%s oracle: cannot open %s: %s\n", prog, argv[0], strerror(errno));
		return 1;
	}
	orc_init();
	rc = orc_read(&o, in, err, sizeof(err));
	if (in != stdin)
		fclose(in);
	if (rc) {
		fprintf(stderr, "%s oracle: %s: %s\n", prog, argv[0], err);
		orc_free(&o);
		return 1;
	}
	rc = orc_error(&o, why, sizeof(why));
	if (orc_write(&o, stdout, why)) {
		fprintf(stderr, "%s oracle: cannot write the JSON\n", prog);
		orc_free(&o);
		return 1;
	}
	if (rc)
		fprintf(stderr, "oracle: %s\n", why);
	orc_free(&o);
	return rc;
}
