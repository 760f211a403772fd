// SPDX-License-Identifier: GPL-2.0
/*
 * analyze.c - mmapbench-analyze COMMAND [ARG]...: every analysis tool in one
 * program.  A command is a row of the table below; adding one is a file in
 * analyze/ with its mb_cmd_<name>(), a row here and its alias in the Makefile.
 * Run as mmapbench-<name> (a link to this binary: the names make targets, scripts
 * and tests use), the row is chosen by argv[0] and the arguments are the command's.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

#define PROG	"mmapbench-analyze"
#define ALIAS	"mmapbench-"

static const struct mb_cmd cmds[] = {
	{ "compare", "LKP-style A/B table of two result sets", mb_cmd_compare },
	{ "track", "record a run in the history, flag regressions against a baseline",
	  mb_cmd_track },
	{ "report", "the second-merge report of a matrix (one directory per kernel)",
	  mb_cmd_report },
	{ "trust", "spread of run medians (cv), op costs (cost), A/A tallies (tally)",
	  mb_cmd_trust },
	{ "hfcheck", "the hyperfine cross-check: per-op medians against process times",
	  mb_cmd_hfcheck },
	{ "export", "a result set in LKP's, mmtests' or LAVA's format", mb_cmd_export },
	{ "digest", "a screen's digest of one result directory", mb_cmd_digest },
	{ "fold", "a boot's oracle and perf counts as results.json's \"oracle\" object",
	  mb_cmd_fold },
	{ "plot", "the charts of a results file as gnuplot scripts (scripts/host/plot draws them)",
	  mb_cmd_plot },
	{ "xcheck", "the harness against bare loops of will-it-scale's mmap1, page_fault1",
	  mb_cmd_xcheck },
	{ "profile", "per-case kernel profiles: fold perf script, report, diff",
	  mb_cmd_profile },
};

#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static const struct mb_cmd *find(const char *name)
{
	for (size_t i = 0; i < NCMDS; i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	return NULL;
}

static int usage(FILE *f)
{
	fprintf(f, "Usage: " PROG " COMMAND [ARG]...\n"
		"       " ALIAS "COMMAND [ARG]...   (the same)\n\nCommands:\n");
	for (size_t i = 0; i < NCMDS; i++)
		fprintf(f, "  %-9s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\n'" PROG " COMMAND --help' for a command's options.\n"
		"Exit status: the command's; 2 for an unknown command.\n");
	return f == stdout ? 0 : 2;
}

int main(int argc, char **argv)
{
	static char alias[64];
	const char *base = strrchr(argv[0], '/');
	const struct mb_cmd *c;

	base = base ? base + 1 : argv[0];
	if (!strncmp(base, ALIAS, strlen(ALIAS)) && strcmp(base, PROG)) {
		c = find(base + strlen(ALIAS));
		if (c)
			return c->fn(argc, argv);
		return mb_usage_error(PROG, "unknown command '%s' (run as %s)",
				      base + strlen(ALIAS), base);
	}
	if (argc < 2)
		return usage(stderr);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return usage(stdout);
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version"))
		return mb_print_version(PROG);
	c = find(argv[1]);
	if (!c)
		return mb_usage_error(PROG, "unknown command '%s'", argv[1]);
	/* the command sees itself as under its alias: its messages name that */
	snprintf(alias, sizeof(alias), ALIAS "%s", c->name);
	argv[1] = alias;
	return c->fn(argc - 1, argv + 1);
}
