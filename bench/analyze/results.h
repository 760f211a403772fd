/* SPDX-License-Identifier: GPL-2.0 */
/*
 * results.h - the one reader of a results.json (schema mmapbench-results/1) that every
 * C reader goes through: compare, track, trust, export (cmp.c), hfcheck's harness
 * files and plot.  It checks what every reader needs and nothing more: the file
 * reads, is JSON with no key given twice, is an object whose schema is
 * MB_SCHEMA_RESULTS and has a cases array.
 */
#ifndef MB_RESULTS_H
#define MB_RESULTS_H

#include <jansson.h>
#include <stddef.h>

/*
 * The parsed file (json_decref it), or NULL and a one-line reason in err without
 * the path ("cannot read: ...", "not JSON (line L, column C: ...)", "not an mmapbench
 * results file (...)", "no cases array").
 */
json_t *mb_results_load(const char *path, char *err, size_t errlen);

#endif /* MB_RESULTS_H */
