// SPDX-License-Identifier: GPL-2.0
/*
 * usage.c - the usage error, the version line and the tail of the option loop
 * every mmapbench program shares (usage.h).
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

/*
 * getopt_long leaves in optopt the option it failed on: 0 for an unknown long one
 * (then optind has moved past it), the letter of a short one (which may sit inside
 * a cluster, -qZ, optind not moved yet), or the value of a long one given an
 * argument it takes not (--help=x).  An option without its argument is the last
 * element, optind past it.
 */
int mb_usage_getopt(const char *prog, int c, char **argv)
{
	const char *arg = argv[optind - 1], *eq = strchr(arg, '=');
	int is_long = !strncmp(arg, "--", 2);

	if (c == ':' && is_long)
		return mb_usage_error(prog, "option '%s' needs an argument", arg);
	if (c == ':')
		return mb_usage_error(prog, "option '-%c' needs an argument", optopt);
	if (!optopt)
		return mb_usage_error(prog, "unknown option '%s'", arg);
	if (is_long && eq)
		return mb_usage_error(prog, "option '%.*s' takes no argument", (int)(eq - arg),
				      arg);
	return mb_usage_error(prog, "unknown option '-%c'", optopt);
}

int mb_usage_operands(const char *prog, int argc, char **argv)
{
	if (optind < argc)
		return mb_usage_error(prog, "unexpected argument '%s'", argv[optind]);
	return 0;
}
