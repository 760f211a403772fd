// SPDX-License-Identifier: GPL-2.0
/*
 * usage.c - the usage error and the version line every mmapbench program prints
 * (usage.h).
 */
#include <stdarg.h>
#include <stdio.h>

#include "usage.h"

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
	return MB_USAGE_STATUS;
}

int mb_print_version(const char *prog)
{
	printf("%s %s\n", prog, MB_VERSION);
	return 0;
}
