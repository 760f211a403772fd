/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmd.h - the analysis commands: one program, mmapbench-analyze, with a table of
 * commands (analyze.c, perf-style: a row is a name, a line of summary and the
 * function), each also reachable under its old name, mmapbench-<name>, a link to
 * the same binary (argv[0] picks the row).  And the scaffold they share: the usage
 * error and the version line, so every command says them the same way.
 */
#ifndef MB_CMD_H
#define MB_CMD_H

struct mb_cmd {
	const char *name;	/* "compare": mmapbench-analyze compare | mmapbench-compare */
	const char *summary;	/* one line of mmapbench-analyze --help */
	int (*fn)(int argc, char **argv);	/* argv[0] "mmapbench-<name>"; the exit status */
};

/* The commands (one file each in analyze/). */
int mb_cmd_compare(int argc, char **argv);
int mb_cmd_track(int argc, char **argv);
int mb_cmd_report(int argc, char **argv);
int mb_cmd_trust(int argc, char **argv);
int mb_cmd_hfcheck(int argc, char **argv);
int mb_cmd_export(int argc, char **argv);
int mb_cmd_digest(int argc, char **argv);
int mb_cmd_profile(int argc, char **argv);

/*
 * "PROG: <message>" and "Try 'PROG --help' for more information." on stderr;
 * returns 2, the exit status of a usage error.
 */
int mb_usage_error(const char *prog, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "PROG <version>" on stdout; returns 0. */
int mb_print_version(const char *prog);

#endif /* MB_CMD_H */
