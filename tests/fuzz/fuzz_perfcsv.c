// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_perfcsv.c - libFuzzer harness for the reader of `perf stat -x,` CSV
 * (bench/lib/perfcsv.c; mmapbench-analyze fold reads each boot's perf/NAME.csv
 * with it).  The parser takes bytes, not a path, so the input is handed over as
 * it is.  What must hold of every input:
 *   - it parses (-1 is for out of memory only, which the limits here never reach);
 *   - every count has an event name that is a field of one line: no ',', no
 *     newline, no NUL byte inside it;
 *   - no event is given twice, and there are no more counts than lines;
 *   - a count marked valid is a finite number.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfcsv.h"

#define FUZZ_NAME "fuzz_perfcsv"
#include "fuzzfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct perfcsv p;
	size_t lines = 1;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	CHECK(perfcsv_parse(&p, (const char *)data, size) == 0);
	CHECK(p.n <= lines);
	for (size_t i = 0; i < p.n; i++) {
		const char *ev = p.c[i].event;

		CHECK(ev);
		CHECK(!strchr(ev, ',') && !strchr(ev, '\n'));
		CHECK(memchr(data, '\0', size) || strlen(ev) <= size);
		CHECK(!p.c[i].valid || isfinite(p.c[i].value));
		for (size_t k = 0; k < i; k++)
			CHECK(strcmp(p.c[k].event, ev));
	}
	perfcsv_free(&p);
	CHECK(p.n == 0 && !p.c);
	return 0;
}
