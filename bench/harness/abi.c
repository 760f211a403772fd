// SPDX-License-Identifier: GPL-2.0
/*
 * abi.c - `mmapbench list --abi`: the module's names, for shell; and
 * `list --schemas`: the file formats' names (lib/schemas.h).
 *
 * One line per macro of drivers/mmapbench/mmapbench_abi.h, in the header's order,
 * as NAME='value' (the string's contents, or an integer as the header spells it):
 * `eval "$(mmapbench list --abi)"` defines them all.  tests/unit/test_abi.sh checks
 * that the lines are exactly the header's macros, generated from the header.
 */
#include <stdio.h>

#include "mmapbench_abi.h"
#include "names.h"
#include "schemas.h"

#define ABI_STR_(x)	#x
#define ABI_STR(x)	ABI_STR_(x)
/* a string macro's value, or an integer macro's spelling */
#define S(name)		{ #name, name }
#define I(name)		{ #name, ABI_STR(name) }

static const struct {
	const char *name, *value;
} abi[] = {
	S(MMAPBENCH_MODULE),
	S(MMAPBENCH_DEV_LEGACY),
	S(MMAPBENCH_DEV_PREPARE),
	S(MMAPBENCH_DEV_LEGACY_PATH),
	S(MMAPBENCH_DEV_PREPARE_PATH),
	S(MMAPBENCH_SYSFS_DIR),
	S(MMAPBENCH_PARAMS_DIR),
	S(MMAPBENCH_PARAM_POOL_MB),
	S(MMAPBENCH_PARAM_MAP_PAGES),
	S(MMAPBENCH_PARAM_PROFILE),
	S(MMAPBENCH_PARAM_HOOK),
	S(MMAPBENCH_PARAM_DEV_MODE),
	I(MMAPBENCH_POOL_MB_DEFAULT),
	I(MMAPBENCH_POOL_MB_MAX),
	I(MMAPBENCH_DEV_MODE_DEFAULT),
	S(MMAPBENCH_PROFILE_NONE),
	S(MMAPBENCH_PROFILE_DONTDUMP),
	S(MMAPBENCH_PROFILE_SPECIAL),
	S(MMAPBENCH_PROFILE_DEFAULT),
	S(MMAPBENCH_PROFILES),
	S(MMAPBENCH_HOOK_MMAP_PREPARE),
	S(MMAPBENCH_HOOK_MMAP_PROTO),
	S(MMAPBENCH_HOOK_NONE),
	S(MMAPBENCH_DEBUGFS_DIR),
	S(MMAPBENCH_DBG_LEGACY),
	S(MMAPBENCH_DBG_PREPARE),
	S(MMAPBENCH_DBG_RESET),
	S(MMAPBENCH_COUNTER_HOOK_CALLS),
	S(MMAPBENCH_COUNTER_EINVAL),
	S(MMAPBENCH_COUNTER_FAULTS),
	S(MMAPBENCH_COUNTER_SIGBUS),
	S(MMAPBENCH_COUNTER_MAP_PAGES),
	I(MMAPBENCH_NR_COUNTERS),
	S(MMAPBENCH_COUNTERS),
};

void mb_abi_print(void)
{
	for (size_t i = 0; i < sizeof(abi) / sizeof(abi[0]); i++)
		printf("%s='%s'\n", abi[i].name, abi[i].value);
}

#define SCHEMA_ROW(m, file, writer, readers)	{ #m, m, file, writer, readers },

static const struct {
	const char *name, *value, *file, *writer, *readers;
} schemas[] = { MB_SCHEMAS(SCHEMA_ROW) };

void mb_schemas_print(int table)
{
	for (size_t i = 0; i < sizeof(schemas) / sizeof(schemas[0]); i++) {
		if (table)
			printf("%s\t%s\t%s\t%s\t%s\n", schemas[i].name, schemas[i].value,
			       schemas[i].file, schemas[i].writer, schemas[i].readers);
		else
			printf("%s='%s'\n", schemas[i].name, schemas[i].value);
	}
}
