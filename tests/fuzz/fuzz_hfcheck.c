// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_hfcheck.c - libFuzzer harness for mmapbench-hfcheck's two readers
 * (bench/analyze/hfcheck.c): the harness's one-case results.json and hyperfine's
 * --export-json with one or two results.  The program is included whole (its entry
 * point is mb_cmd_hfcheck(), a row of mmapbench-analyze), so the static readers are
 * called as the program calls them.
 */
#include "../../bench/analyze/hfcheck.c"

#include "fuzzfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(data, size, "hf.json");
	struct harness h;
	struct hf_run r[2];
	json_t *root;

	errbuf[0] = 0;
	if (harness_read(path, &h) < 0 && !errbuf[0])
		abort();
	json_decref(h.root);
	for (size_t n = 1; n <= 2; n++) {
		root = NULL;
		errbuf[0] = 0;
		if (hf_read(path, &root, r, n) && !errbuf[0])
			abort();
		json_decref(root);
	}
	return 0;
}
