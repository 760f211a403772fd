// SPDX-License-Identifier: GPL-2.0
/*
 * cmd.c - the scaffold every analysis command shares (cmd.h).  Nothing here knows
 * the table, so a command's file links without the others (tests/fuzz).
 */
#include <stdarg.h>
#include <stdio.h>

#include "cmd.h"

#ifndef MB_VERSION
#define MB_VERSION "unknown"
#endif

int mb_usage_error(const char *prog, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", prog);
	return 2;
}

int mb_print_version(const char *prog)
{
	printf("%s %s\n", prog, MB_VERSION);
	return 0;
}
