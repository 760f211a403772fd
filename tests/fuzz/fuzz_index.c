// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_index.c - libFuzzer harness for mmapbench-track's history index reader
 * (bench/analyze/track.c, results/history/index.tsv).  The program is included
 * whole (its entry point is mb_cmd_track(), a row of mmapbench-analyze), so the
 * static reader is called as the program calls it.
 */
#include "../../bench/analyze/track.c"

#include "fuzzfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct index ix;

	memset(&ix, 0, sizeof(ix));
	ix.path = fuzz_file(data, size, "index.tsv");
	index_read(&ix);
	index_free(&ix);
	return 0;
}
