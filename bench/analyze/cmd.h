/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmd.h - the analysis commands: one program, mmapbench-analyze, with a table of
 * commands (analyze.c, perf-style: a row is a name, a line of summary and the
 * function), each also reachable under its old name, mmapbench-<name>, a link to
 * the same binary (argv[0] picks the row).  The usage error and the version line
 * they share with the harness are lib/usage.h's.
 */
#ifndef MB_CMD_H
#define MB_CMD_H

#include "usage.h"

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
int mb_cmd_fold(int argc, char **argv);
int mb_cmd_plot(int argc, char **argv);
int mb_cmd_xcheck(int argc, char **argv);
int mb_cmd_profile(int argc, char **argv);

#endif /* MB_CMD_H */
