// SPDX-License-Identifier: GPL-2.0
/*
 * test_usage.c - bench/lib/usage.c: the tail every option loop shares (an unknown
 * option, a missing argument, an argument an option takes not, a stray operand):
 * the message names what the user typed, the hint follows, the status is 2.  TAP.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "usage.h"
#include "../tap.h"

static const struct option opts[] = {
	{ "bench", required_argument, NULL, 'b' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "allow-thp", no_argument, NULL, 256 },
	{ "seed", required_argument, NULL, 257 },
	{ "samples", required_argument, NULL, 258 },
	{ NULL, 0, NULL, 0 },
};

static char err[512];

/*
 * A loop as the commands write it, over NULL-terminated argv: its status, 0 when
 * the options and operands were fine; err = the first line it wrote to stderr.
 */
static int loop(char **argv)
{
	FILE *f = tmpfile();
	int argc = 0, c, rc = 0, saved = dup(2);
	char hint[512] = "";

	while (argv[argc])
		argc++;
	if (!f || saved < 0)
		return -1;
	fflush(stderr);
	dup2(fileno(f), 2);
	optind = 0;	/* glibc: start afresh (a new argv, no cluster half read) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":b:q", opts, NULL)) != -1) {
		if (c == ':' || c == '?') {
			rc = mb_usage_getopt("prog", c, argv);
			break;
		}
	}
	if (c == -1)
		rc = mb_usage_operands("prog", argc, argv);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	err[0] = 0;
	if (fgets(err, sizeof(err), f))
		err[strcspn(err, "\n")] = 0;
	if (fgets(hint, sizeof(hint), f) && strcmp(hint, "Try 'prog --help' for more information.\n"))
		rc = -2;	/* a message without the hint */
	fclose(f);
	return rc;
}

#define CASE(want, ...) do {							\
	char *av_[] = { "prog", __VA_ARGS__, NULL };			\
	int rc_ = loop(av_);						\
	if (!ok(rc_ == MB_USAGE_STATUS && !strcmp(err, want), "%s: %s", #__VA_ARGS__, want)) \
		diag("status %d, stderr '%s'", rc_, err);		\
} while (0)

int main(void)
{
	tap_plan(13);
	CASE("prog: unknown option '--frobnicate'", "--frobnicate");
	CASE("prog: unknown option '--frobnicate=1'", "-q", "--frobnicate=1");
	CASE("prog: unknown option '-Z'", "-Z");
	CASE("prog: unknown option '-Z'", "-qZ");
	CASE("prog: unknown option '-Z'", "--quiet", "-Zq");
	CASE("prog: unknown option '--s'", "--s", "1");	/* --seed or --samples */
	CASE("prog: option '-b' needs an argument", "-b");
	CASE("prog: option '-b' needs an argument", "-qb");
	CASE("prog: option '--bench' needs an argument", "--quiet", "--bench");
	CASE("prog: option '--quiet' takes no argument", "--quiet=yes");
	CASE("prog: option '--allow-thp' takes no argument", "--allow-thp=1");
	CASE("prog: unexpected argument 'storm'", "-b", "x", "storm", "-q");
	{
		char *av[] = { "prog", "-qb", "x", "--bench=", "--allow-thp", NULL };
		int rc = loop(av);

		ok(rc == 0 && !err[0], "good options, no operand: 0, nothing said");
	}
	return tap_done();
}
