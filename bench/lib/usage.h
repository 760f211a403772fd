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

#endif /* MB_USAGE_H */
