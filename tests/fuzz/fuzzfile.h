/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuzzfile.h - the readers under test take a path, so each libFuzzer input is
 * written to one scratch file first (in $TMPDIR, per process) and read from there;
 * and how a harness says a property failed.
 */
#ifndef MB_FUZZFILE_H
#define MB_FUZZFILE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline const char *fuzz_file(const uint8_t *data, size_t size, const char *name)
{
	static char path[4096];
	FILE *f;

	if (!path[0])
		snprintf(path, sizeof(path), "%s/mbfuzz-%d-%s", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
			 (int)getpid(), name);
	f = fopen(path, "w");
	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f)) {
		perror(path);
		abort();
	}
	return path;
}

/*
 * CHECK(cond): a property of the reader that does not hold: say which, then crash
 * (libFuzzer keeps the input).  A harness defines FUZZ_NAME, its name, first.
 */
#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, FUZZ_NAME ": fails: %s\n", #cond);	\
			abort();					\
		}							\
	} while (0)

#endif
