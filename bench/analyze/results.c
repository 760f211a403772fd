// SPDX-License-Identifier: GPL-2.0
/*
 * results.c - the shared reader of results.json (results.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "results.h"
#include "schemas.h"

json_t *mb_results_load(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	const char *schema;
	json_error_t je;
	json_t *root;

	if (!f) {
		snprintf(err, errlen, "cannot read: %s", strerror(errno));
		return NULL;
	}
	/* a key given twice is a file nobody can read one way: refuse it */
	root = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
	fclose(f);
	if (!root) {
		snprintf(err, errlen, "not JSON (line %d, column %d: %s)", je.line, je.column,
			 je.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		snprintf(err, errlen, "not an mmapbench results file (not a JSON object)");
		goto bad;
	}
	schema = json_string_value(json_object_get(root, "schema"));
	if (!schema || strcmp(schema, MB_SCHEMA_RESULTS)) {
		snprintf(err, errlen, "not an mmapbench results file (schema %s%s%s, want \"%s\")",
			 schema ? "\"" : "", schema ? schema : "missing", schema ? "\"" : "",
			 MB_SCHEMA_RESULTS);
		goto bad;
	}
	if (!json_is_array(json_object_get(root, "cases"))) {
		snprintf(err, errlen, "no cases array");
		goto bad;
	}
	return root;
bad:
	json_decref(root);
	return NULL;
}
