// SPDX-License-Identifier: GPL-2.0
/*
 * registry.c - the registry: the benchmarks MB_BENCH put in the "mb_benches"
 * linker section, sorted by family and name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

extern const struct mb_bench *const __start_mb_benches[];
extern const struct mb_bench *const __stop_mb_benches[];

static const struct mb_bench **registry;
static size_t nregistry;

static int cmp_bench(const void *a, const void *b)
{
	const struct mb_bench *x = *(const struct mb_bench *const *)a;
	const struct mb_bench *y = *(const struct mb_bench *const *)b;
	int c = strcmp(x->family, y->family);

	return c ? c : strcmp(x->name, y->name);
}

static void registry_init(void)
{
	size_t n = (size_t)(__stop_mb_benches - __start_mb_benches);

	if (registry)
		return;
	registry = malloc((n ? n : 1) * sizeof(*registry));
	if (!registry) {
		fprintf(stderr, "mmapbench: out of memory\n");
		exit(MB_EXIT_RUNTIME);
	}
	for (size_t i = 0; i < n; i++)
		registry[i] = __start_mb_benches[i];
	qsort(registry, n, sizeof(*registry), cmp_bench);
	nregistry = n;
}

size_t mb_bench_count(void)
{
	registry_init();
	return nregistry;
}

const struct mb_bench *mb_bench_get(size_t i)
{
	registry_init();
	return i < nregistry ? registry[i] : NULL;
}

const struct mb_bench *mb_bench_find(const char *name)
{
	registry_init();
	for (size_t i = 0; i < nregistry; i++)
		if (!strcmp(registry[i]->name, name))
			return registry[i];
	return NULL;
}
