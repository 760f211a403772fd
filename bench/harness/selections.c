// SPDX-License-Identifier: GPL-2.0
/*
 * selections.c - the named selections the scripts run, defined once.
 *
 * A selection is a name for a list of words: options of `mmapbench run` (what the
 * A/A check, the matrix or one hyperfine configuration runs), or a list of other
 * selections' names.  The scripts ask for them (`mmapbench list --selection NAME`)
 * instead of spelling them out; `mmapbench list --selections` prints them all.
 * The suites (`--suite`) are the harness's own, in main.c: `mmapbench list`.
 */
#include <stdio.h>
#include <string.h>

#include "mmapbench_abi.h"
#include "names.h"

/* What every configuration of the hyperfine cross-check shares: one storm. */
#define HF_COMMON	"-b storm -s 4k --populate no --threads 1"
#define HF_DEVICE	" -p " MMAPBENCH_PROFILE_DONTDUMP " --map shared"

static const struct {
	const char *name, *words, *what;
} selections[] = {
	{ "aa",
	  "-b storm,merge,fault-write-seq -t anon,memfd -s 4k --map private --populate no "
	  "--threads 1 --count 32 --samples 10 --warmup 2",
	  "make aa|sensitivity on the host (scripts/guest/aa): the cases of each run" },
	{ "aa-guest",
	  "-b storm,merge,fault-write-seq -t anon,memfd,legacy,prepare -p "
	  MMAPBENCH_PROFILE_DONTDUMP " -s 4k --map private --populate no --threads 1 "
	  "--count 16 --samples 6 --warmup 1",
	  "make aa|sensitivity WHERE=guest (Makefile, scripts/host/aa-boots): the cases of each run" },
	{ "matrix-profiles", "-p " MMAPBENCH_PROFILES,
	  "make matrix and make ab (scripts/host/matrix, scripts/host/ab): every suite on every profile" },
	{ "hyperfine",
	  "anon-4k memfd-4k legacy-4k-" MMAPBENCH_PROFILE_DONTDUMP " prepare-4k-"
	  MMAPBENCH_PROFILE_DONTDUMP,
	  "scripts/guest/hyperfine-check: its configurations, each a selection hyperfine/NAME" },
	{ "hyperfine/anon-4k", HF_COMMON " -t anon --map private",
	  "hyperfine-check: the storm of anonymous memory" },
	{ "hyperfine/memfd-4k", HF_COMMON " -t memfd --map shared",
	  "hyperfine-check: the storm of a memfd" },
	{ "hyperfine/legacy-4k-" MMAPBENCH_PROFILE_DONTDUMP, HF_COMMON " -t legacy" HF_DEVICE,
	  "hyperfine-check: the storm of the module's .mmap device" },
	{ "hyperfine/prepare-4k-" MMAPBENCH_PROFILE_DONTDUMP, HF_COMMON " -t prepare" HF_DEVICE,
	  "hyperfine-check: the storm of the module's new-hook device" },
	{ "oracle-mapchunks", "-n 16 -p 4",
	  "tests/guest/oracle-collect.sh: mapchunks' options (16 chunks of 4 pages) before "
	  "the target, under the oracle and perf" },
};

#define NSEL	(sizeof(selections) / sizeof(selections[0]))

const char *mb_selection(const char *name)
{
	for (size_t i = 0; i < NSEL; i++)
		if (!strcmp(selections[i].name, name))
			return selections[i].words;
	return NULL;
}

void mb_selections_print(void)
{
	for (size_t i = 0; i < NSEL; i++)
		printf("%s\t%s\t%s\n", selections[i].name, selections[i].words, selections[i].what);
}

int mb_list_names(const char *prog, int argc, char **argv)
{
	const char *w;

	if (argc < 1)
		return -1;
	if (!strcmp(argv[0], "--schemas")) {
		if (argc > 2 || (argc == 2 && strcmp(argv[1], "--table"))) {
			fprintf(stderr, "%s: list --schemas: unexpected argument '%s'\n", prog,
				argv[1]);
			return 2;
		}
		mb_schemas_print(argc == 2);
		return fflush(stdout) ? 1 : 0;
	}
	if (!strcmp(argv[0], "--abi") || !strcmp(argv[0], "--selections")) {
		if (argc > 1) {
			fprintf(stderr, "%s: list %s: unexpected argument '%s'\n", prog, argv[0],
				argv[1]);
			return 2;
		}
		if (argv[0][2] == 'a')
			mb_abi_print();
		else
			mb_selections_print();
		return fflush(stdout) ? 1 : 0;
	}
	if (strcmp(argv[0], "--selection"))
		return -1;
	if (argc != 2) {
		fprintf(stderr, "usage: %s list --selection NAME  (names: %s list --selections)\n",
			prog, prog);
		return 2;
	}
	w = mb_selection(argv[1]);
	if (!w) {
		fprintf(stderr, "%s: unknown selection '%s' (see '%s list --selections')\n", prog,
			argv[1], prog);
		return 2;
	}
	printf("%s\n", w);
	return fflush(stdout) ? 1 : 0;
}
