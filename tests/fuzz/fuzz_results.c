// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_results.c - libFuzzer harness for the results.json loader (bench/analyze/cmp.c) that
 * mmapbench-compare, -track, -report and -trust share.  Built twice:
 *   fuzz_results   load the input as a set, pool every metric's samples
 *   fuzz_compare   (-DFUZZ_COMPARE) also compare the set with itself and print the
 *                  comparison in all three formats: what the loader accepts, the
 *                  statistics and the tables must survive.  The bootstrap makes it
 *                  about 50 times slower, hence the two; and it is built with
 *                  MB_BOOTSTRAP_B=20 (the tools: 2000): the same code, a
 *                  hundredth of the rounds.
 * A rejected file must come with a message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmp.h"
#include "fuzzfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	const char *path = fuzz_file(data, size, "results.json");
	struct cmp_set s;
	struct cmp_result r;
	char err[512];

	if (!null)
		null = fopen("/dev/null", "w");
	if (cmp_load(path, &s, err, sizeof(err))) {
		if (!err[0])
			abort();	/* rejected without saying why */
		cmp_set_free(&s);
		return 0;
	}
	for (size_t i = 0; i < s.ncases; i++)
		for (size_t j = 0; j < s.cases[i].nmetrics; j++) {
			size_t n;

			free(cmp_pool(&s.cases[i].m[j], &n));
		}
#ifdef FUZZ_COMPARE
	if (!cmp_compare(&s, &s, 1, &r)) {
		char lines[8][120];

		cmp_print(null, &r, CMP_TEXT);
		cmp_print(null, &r, CMP_MARKDOWN);
		cmp_print(null, &r, CMP_JSON);
		cmp_warnings(&r, lines, 8);
		cmp_result_free(&r);
	}
#else
	(void)r;
#endif
	cmp_set_free(&s);
	return 0;
}
