/* SPDX-License-Identifier: GPL-2.0 */
/*
 * usage.h - how every mmapbench program says a usage error and its version: the
 * harness (harness/main.c) and each analysis command (analyze/, through cmd.h), so
 * the messages are the same everywhere.  Knows no harness types.
 */
#ifndef MB_USAGE_H
#define MB_USAGE_H

/* The exit status of a usage error, everywhere. */
#define MB_USAGE_STATUS	2

/*
 * "PROG: <message>" and "Try 'PROG --help' for more information." on stderr;
 * returns MB_USAGE_STATUS (2).
 */
int mb_usage_error(const char *prog, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "PROG <version>" on stdout (MB_VERSION, the build's); returns 0. */
int mb_print_version(const char *prog);

/*
 * The tail every option loop shares.  The loop runs getopt_long with opterr = 0
 * and an option string that starts with ':', and hands over what it does not
 * handle itself: mb_usage_getopt(prog, c, argv) with c ':' (an option without its
 * argument: "option '-b' needs an argument", or '--bench') or '?' (an unknown
 * option: "unknown option '-Z'", or '--frobnicate'; "option '--help' takes no
 * argument" for --help=x); returns MB_USAGE_STATUS.  After the loop, for a
 * command that takes no operands, mb_usage_operands(prog, argc, argv): 0, or
 * "unexpected argument 'X'" (the first left) and MB_USAGE_STATUS.
 */
int mb_usage_getopt(const char *prog, int c, char **argv);
int mb_usage_operands(const char *prog, int argc, char **argv);

#endif /* MB_USAGE_H */
