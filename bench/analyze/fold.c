// SPDX-License-Identifier: GPL-2.0
/*
 * fold.c - mmapbench-analyze fold DIR: what tests/guest/oracle-collect.sh left in
 * DIR/oracle/ and DIR/perf/, as the "oracle" object scripts/host/fold-oracle puts into a
 * results.json (schema mmapbench-oracle-fold/1, fields in scripts/host/fold-oracle's
 * header), printed on stdout.  Exit: 0; 1 a file that is there cannot be read or
 * folded (named on stderr, nothing printed); 2 usage.
 *
 * Per run NAME (oracle/NAME.json, the oracle's JSON; NAME is DEVICE-PROFILE for the
 * module's devices, mmapbench_abi.h, else a target such as secretmem): its status
 * (oracle/NAME.status), mapchunks' own count of VMAs (vmas=N in oracle/NAME.out),
 * and perf stat's counts (perf/NAME.csv, perfcsv.c; perf/NAME.status).  A JSON that
 * does not parse (the oracle died half-way) is folded as null, with why.
 */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "mmapbench_abi.h"
#include "perfcsv.h"
#include "schemas.h"

#define PROG	"mmapbench-fold"
#define FOLD_SCHEMA	MB_SCHEMA_ORACLE_FOLD

#define FOLD_WHAT "scripts/oracle: kprobes on the kernel merge path, counted from the end " \
	"of one command's exec to its exit, per module device and profile and for " \
	"secretmem; perf: perf stat of a second run of the same command"
#define FOLD_WINDOW "perf stat of its own run: from exec (the loading of the binary " \
	"included, unlike the oracle) to exit; software events and, where perf could " \
	"open them, the oracle's kprobes"

/* The whole of path: a NUL-terminated buffer (*len bytes), or NULL with errno. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL, *nb;
	size_t n = 0, cap = 0, r;

	if (!f)
		return NULL;
	do {
		if (cap - n < 4096) {
			nb = realloc(buf, cap + 65536);
			if (!nb) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = nb;
			cap += 65536;
		}
		r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
	} while (r > 0);
	if (ferror(f)) {
		free(buf);
		fclose(f);
		errno = EIO;
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/*
 * A status file (one exit status, as the guest wrote it): *v the integer, or JSON
 * null when the file is not there or empty.  -1 when it holds something else.
 */
static int status_file(const char *path, json_t **v)
{
	char *s = slurp(path, NULL), *end;
	long long x;

	*v = json_null();
	if (!s)
		return errno == ENOENT ? 0 : -1;
	if (s[strspn(s, " \t\n")] == '\0') {
		free(s);
		return 0;
	}
	errno = 0;
	x = strtoll(s, &end, 10);
	if (errno || end == s || end[strspn(end, " \t\n")] != '\0') {
		free(s);
		return -1;
	}
	free(s);
	*v = json_integer(x);
	return 0;
}

/* mapchunks' "vmas=N" in text: N, or null. */
static json_t *vmas_of(const char *text)
{
	const char *p = text;

	while ((p = strstr(p, "vmas="))) {
		p += 5;
		if (*p >= '0' && *p <= '9')
			return json_integer(strtoll(p, NULL, 10));
	}
	return json_null();
}

/* The command's chunk count: the word after "-n" in o.cmd, 16 without one; -1 bad. */
static long long chunks_of(json_t *o)
{
	json_t *cmd = json_object_get(o, "cmd");
	size_t n = json_array_size(cmd);
	const char *w;
	char *end;
	long long x;

	for (size_t i = 0; i < n; i++) {
		if (!json_is_string(json_array_get(cmd, i)) ||
		    strcmp(json_string_value(json_array_get(cmd, i)), "-n"))
			continue;
		w = json_string_value(json_array_get(cmd, i + 1));
		if (!w)
			return -1;
		errno = 0;
		x = strtoll(w, &end, 10);
		return errno || end == w || *end ? -1 : x;
	}
	return 16;
}

/* A copy of o's member k (null when o or the member is missing). */
static json_t *get(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return v ? json_deep_copy(v) : json_null();
}

/* perf/NAME.csv as {EVENT: COUNT | null, ..., "status": S}; null without a CSV. */
static json_t *perf_of(const char *csvpath, json_t *pstatus, int *err)
{
	struct perfcsv pc;
	json_t *o;
	size_t len;
	char *text = slurp(csvpath, &len);

	if (!text) {
		if (errno != ENOENT)
			*err = 1;
		return json_null();
	}
	if (perfcsv_parse(&pc, text, len)) {
		free(text);
		*err = 1;
		return json_null();
	}
	free(text);
	o = json_object();
	for (size_t i = 0; i < pc.n; i++) {
		double v = pc.c[i].value;
		json_t *j;

		if (!pc.c[i].valid)
			j = json_null();
		else if (v == (double)(long long)v && v > -9e15 && v < 9e15)
			j = json_integer((long long)v);
		else
			j = json_real(v);
		json_object_set_new(o, pc.c[i].event, j);
	}
	perfcsv_free(&pc);
	json_object_set(o, "status", pstatus);
	return o;
}

/* Whether name is DEVICE-PROFILE for one of the module's devices: its length of DEVICE. */
static size_t device_prefix(const char *name)
{
	static const char *const dev[] = { MMAPBENCH_DBG_LEGACY, MMAPBENCH_DBG_PREPARE };

	for (size_t i = 0; i < 2; i++) {
		size_t n = strlen(dev[i]);

		if (!strncmp(name, dev[i], n) && name[n] == '-')
			return n;
	}
	return 0;
}

/* What one run left: its oracle JSON (or NULL), statuses, vmas, chunks, perf counts. */
struct run_files {
	json_t *o, *st, *vmas, *perf;
	long long chunks;
};

/* A run's files into rf; -1 and a message when one that is there cannot be used. */
static int read_run(const char *dir, const char *name, struct run_files *rf)
{
	char path[4096];
	json_t *pst = NULL;
	char *out;
	int err = 0;

	memset(rf, 0, sizeof(*rf));
	snprintf(path, sizeof(path), "%s/oracle/%s.json", dir, name);
	rf->o = json_load_file(path, 0, NULL);
	if (rf->o && !json_is_object(rf->o)) {
		json_decref(rf->o);
		rf->o = NULL;
	}
	snprintf(path, sizeof(path), "%s/oracle/%s.status", dir, name);
	if (status_file(path, &rf->st))
		goto bad_status;
	snprintf(path, sizeof(path), "%s/perf/%s.status", dir, name);
	if (status_file(path, &pst))
		goto bad_status;
	snprintf(path, sizeof(path), "%s/oracle/%s.out", dir, name);
	out = slurp(path, NULL);
	if (!out) {
		fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
		goto fail;
	}
	rf->vmas = vmas_of(out);
	free(out);
	rf->chunks = rf->o ? chunks_of(rf->o) : 0;
	if (rf->chunks < 0) {
		fprintf(stderr, PROG ": %s/oracle/%s.json: cmd's -n is not a number\n", dir, name);
		goto fail;
	}
	snprintf(path, sizeof(path), "%s/perf/%s.csv", dir, name);
	rf->perf = perf_of(path, pst, &err);
	if (err) {
		fprintf(stderr, PROG ": %s: cannot read\n", path);
		goto fail;
	}
	json_decref(pst);
	return 0;

bad_status:
	fprintf(stderr, PROG ": %s: not an exit status\n", path);
fail:
	json_decref(pst);
	json_decref(rf->o);
	json_decref(rf->st);
	json_decref(rf->vmas);
	json_decref(rf->perf);
	memset(rf, 0, sizeof(*rf));
	return -1;
}

/*
 * A run's entry of "runs", from its files (their references move into it; rf->o
 * stays the caller's).  agree: chunks - merged == vmas, when the count completed.
 */
static json_t *run_entry(const char *name, struct run_files *rf)
{
	json_t *o = rf->o, *pm = json_object_get(o, "per_mmap"), *run = json_object();
	json_t *merged = json_object_get(pm, "merged"), *error = json_object_get(o, "error");
	size_t dl = device_prefix(name);
	int complete = json_is_integer(rf->st) && json_integer_value(rf->st) == 0 && o &&
		       (!error || json_is_null(error)) && merged && !json_is_null(merged);

	json_object_set_new(run, "target", dl ? json_stringn(name, dl) : json_string(name));
	json_object_set_new(run, "profile", dl ? json_string(name + dl + 1) : json_null());
	json_object_set_new(run, "status", rf->st);
	json_object_set_new(run, "error", o ? get(o, "error") :
			    json_string("no readable oracle JSON"));
	json_object_set_new(run, "chunks", o ? json_integer(rf->chunks) : json_null());
	json_object_set_new(run, "mmaps", get(pm, "mmaps"));
	json_object_set_new(run, "merge_calls_histogram", get(pm, "merge_calls_histogram"));
	json_object_set_new(run, "merged", get(pm, "merged"));
	json_object_set_new(run, "merged_at_attempt", get(pm, "merged_at_attempt"));
	json_object_set_new(run, "merge_calls",
			    get(json_object_get(o, "merge_new_range"), "calls"));
	json_object_set_new(run, "vmas", rf->vmas);
	if (complete && json_is_integer(rf->vmas) && json_is_number(merged))
		json_object_set_new(run, "agree",
				    json_boolean(rf->chunks - json_number_value(merged) ==
						 (double)json_integer_value(rf->vmas)));
	else
		json_object_set_new(run, "agree", json_null());
	json_object_set_new(run, "perf", rf->perf);
	return run;
}

/* The file's text without one trailing newline, as a JSON string; NULL with errno. */
static json_t *text_of(const char *path, int trim)
{
	size_t len;
	char *s = slurp(path, &len);
	json_t *j;

	if (!s)
		return NULL;
	if (trim && len && s[len - 1] == '\n')
		len--;
	j = json_stringn(s, len);
	free(s);
	return j ? j : json_string("(not UTF-8)");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int json_name(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && !strcmp(d->d_name + n - 5, ".json");
}

/* Every event any run's perf counted (not "status"), sorted, each once, into events. */
static void events_of(json_t *runs, json_t *events)
{
	const char *name, *k;
	json_t *run, *c;
	const char **e = NULL;
	size_t n = 0;

	json_object_foreach(runs, name, run) {
		json_object_foreach(json_object_get(run, "perf"), k, c) {
			const char **ne;
			size_t i;

			if (!strcmp(k, "status"))
				continue;
			for (i = 0; i < n && strcmp(e[i], k); i++)
				;
			if (i < n)
				continue;
			ne = realloc(e, (n + 1) * sizeof(*e));
			if (!ne)
				break;
			e = ne;
			e[n++] = k;
		}
	}
	qsort(e, n, sizeof(*e), cmp_str);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(events, json_string(e[i]));
	free(e);
}

/*
 * Every oracle/NAME.json of DIR (in name order) folded into runs; *first the first
 * oracle JSON that parsed (the caller's).  -1 (said on stderr) when one cannot be.
 */
static int fold_runs(const char *dir, json_t *runs, json_t **first)
{
	char path[4096];
	struct dirent **ent;
	int n, bad = 0;

	*first = NULL;
	snprintf(path, sizeof(path), "%s/oracle", dir);
	n = scandir(path, &ent, json_name, alphasort);
	if (n < 0) {
		fprintf(stderr, PROG ": %s: %s (did oracle-collect.sh run?)\n", path,
			strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char name[256];
		struct run_files rf;

		snprintf(name, sizeof(name), "%.*s", (int)(strlen(ent[i]->d_name) - 5),
			 ent[i]->d_name);
		free(ent[i]);
		if (bad || read_run(dir, name, &rf)) {
			bad = 1;
			continue;
		}
		json_object_set_new(runs, name, run_entry(name, &rf));
		if (rf.o && !*first)
			*first = rf.o;
		else
			json_decref(rf.o);
	}
	free(ent);
	return bad ? -1 : 0;
}

/* "cmd": the first oracle's command without its last word (the target); null without. */
static json_t *cmd_of(json_t *first)
{
	json_t *cmd = json_object_get(first, "cmd");

	if (!json_is_array(cmd))
		return json_null();
	cmd = json_deep_copy(cmd);
	if (json_array_size(cmd))
		json_array_remove(cmd, json_array_size(cmd) - 1);
	return cmd;
}

/* "probes": what resolved (EVENT: SYMBOL) and what did not, from the first oracle. */
static json_t *probes_of(json_t *first)
{
	json_t *probes = json_object(), *res = json_object(), *p, *un;
	const char *k;

	json_object_foreach(json_object_get(first, "probes"), k, p)
		json_object_set_new(res, k, get(p, "symbol"));
	json_object_set_new(probes, "resolved", res);
	un = json_object_get(first, "unprobed");
	json_object_set_new(probes, "unresolved", un && !json_is_null(un) ? json_deep_copy(un) :
			    json_array());
	return probes;
}

/* "perf": perf's version and why it did not run, the events counted, the window. */
static json_t *perf_info(const char *dir, json_t *runs)
{
	char path[4096];
	json_t *perf = json_object(), *v, *events = json_array();

	snprintf(path, sizeof(path), "%s/perf/version", dir);
	v = text_of(path, 1);
	if (v && !json_string_length(v)) {
		json_decref(v);
		v = NULL;
	}
	json_object_set_new(perf, "version", v ? v : json_null());
	snprintf(path, sizeof(path), "%s/perf", dir);
	v = NULL;
	if (!exists(path)) {
		v = json_string("no perf/ directory: this guest did not run perf");
	} else {
		snprintf(path, sizeof(path), "%s/perf/UNAVAILABLE", dir);
		if (exists(path))
			v = text_of(path, 1);
	}
	json_object_set_new(perf, "error", v ? v : json_null());
	events_of(runs, events);
	json_object_set_new(perf, "events", events);
	json_object_set_new(perf, "window", json_string(FOLD_WINDOW));
	return perf;
}

/* The "oracle" object of DIR; NULL (said on stderr) when a file cannot be folded. */
static json_t *fold(const char *dir)
{
	char path[4096];
	json_t *runs = json_object(), *first, *res, *v;

	if (fold_runs(dir, runs, &first)) {
		json_decref(runs);
		json_decref(first);
		return NULL;
	}
	res = json_object();
	json_object_set_new(res, "schema", json_string(FOLD_SCHEMA));
	json_object_set_new(res, "what", json_string(FOLD_WHAT));
	json_object_set_new(res, "kernel", get(first, "kernel"));
	snprintf(path, sizeof(path), "%s/oracle/FAILED", dir);
	v = json_null();
	if (exists(path)) {
		snprintf(path, sizeof(path), "%s/oracle/setup.log", dir);
		v = text_of(path, 0);
		if (!v)
			v = json_string("setup failed");
	}
	json_object_set_new(res, "setup_error", v);
	json_object_set_new(res, "cmd", cmd_of(first));
	json_object_set_new(res, "probes", probes_of(first));
	json_object_set_new(res, "perf", perf_info(dir, runs));
	json_object_set_new(res, "runs", runs);
	json_decref(first);
	return res;
}

static int usage(FILE *f)
{
	fprintf(f, "Usage: " PROG " DIR\n"
		"The oracle's and perf's counts a boot left in DIR/oracle/ and DIR/perf/, as\n"
		"the \"oracle\" object (" FOLD_SCHEMA ") of a results.json, on stdout;\n"
		"scripts/host/fold-oracle puts it into DIR/results.json.\n"
		"Exit status: 0; 1 a file there cannot be read or folded; 2 usage.\n");
	return f == stdout ? 0 : 2;
}

int mb_cmd_fold(int argc, char **argv)
{
	json_t *o;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
		return usage(stdout);
	if (argc == 2 && (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")))
		return mb_print_version(PROG);
	if (argc < 2)
		return mb_usage_error(PROG, "no directory given");
	if (argc > 2)
		return mb_usage_error(PROG, "one directory only, not '%s'", argv[2]);
	if (argv[1][0] == '-')
		return mb_usage_error(PROG, "unknown option '%s'", argv[1]);
	if (!exists(argv[1])) {
		fprintf(stderr, PROG ": no such directory: %s\n", argv[1]);
		return 1;
	}
	o = fold(argv[1]);
	if (!o)
		return 1;
	if (json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) || putchar('\n') == EOF ||
	    fflush(stdout)) {
		fprintf(stderr, PROG ": cannot write: %s\n", strerror(errno));
		json_decref(o);
		return 1;
	}
	json_decref(o);
	return 0;
}
