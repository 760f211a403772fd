// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_oracle.c - libFuzzer harness for `mmapbench oracle RECORD`, the merge
 * oracle's trace parser (bench/lib/oracle.c).  The parser is included whole (its
 * entry point is mb_oracle_main(), a command of mmapbench), so the static reader
 * and writer are called as mb_oracle_main() calls them, on one record per input.
 * What must hold of every input:
 *   - a rejected record comes with a message;
 *   - an accepted one gives valid JSON (no key given twice) whose "error" is the
 *     message of the exit status (0 with none; 3 or 5 with one);
 *   - the counts are consistent: the window's hits are among the pid's, nonzero
 *     returns among the hits, merged mmaps and failed ones among the mmaps, the
 *     histograms' buckets among the mmaps, and exit 0 only for a whole window.
 */
#include "../../bench/lib/oracle.c"

#include <jansson.h>

#define FUZZ_NAME "fuzz_oracle"
#include "fuzzfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


static void check_counts(const struct orc *o, int rc)
{
	long long sum_c = 0, sum_m = 0;

	for (int i = 0; i < o->nev; i++) {
		const struct orc_event *e = &o->ev[i];

		CHECK(e->hits >= 0 && e->hits <= e->all);
		CHECK(e->hits_nz <= e->hits && e->all_nz <= e->all && e->hits_nz <= e->all_nz);
	}
	for (int i = 0; i < ORC_HIST; i++) {
		sum_c += o->chist[i];
		sum_m += o->mhist[i];
	}
	CHECK(o->mmerged <= o->mmaps && o->mfail <= o->mmaps);
	CHECK(sum_c <= o->mmaps && sum_m <= o->mmerged);
	CHECK(rc != 0 || (o->started && o->ended));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct orc o;
	static int inited;
	const char *path = fuzz_file(data, size, "oracle.record");
	char err[512] = "", why[512];
	char *buf = NULL;
	size_t len = 0;
	json_error_t jerr;
	json_t *root, *e;
	FILE *in, *out;
	int rc;

	if (!inited) {
		orc_init();
		inited = 1;
	}
	in = fopen(path, "r");
	CHECK(in);
	rc = orc_read(&o, in, err, sizeof(err));
	fclose(in);
	if (rc) {
		CHECK(err[0]);	/* rejected without saying why */
		orc_free(&o);
		return 0;
	}
	rc = orc_error(&o, why, sizeof(why));
	CHECK(rc == 0 || rc == 3 || rc == 5);
	CHECK(!rc == !why[0]);
	check_counts(&o, rc);
	out = open_memstream(&buf, &len);
	CHECK(out && !orc_write(&o, out, why) && !fclose(out));
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		fprintf(stderr, "fuzz_oracle: the JSON does not parse: %s (line %d)\n", jerr.text,
			jerr.line);
		abort();
	}
	e = json_object_get(root, "error");
	CHECK(rc ? json_is_string(e) && !strcmp(json_string_value(e), why) : json_is_null(e));
	json_decref(root);
	free(buf);
	orc_free(&o);
	return 0;
}
