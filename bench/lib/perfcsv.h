/* SPDX-License-Identifier: GPL-2.0 */
/*
 * perfcsv.h - `perf stat -x,` output (CSV), parsed: one count per event.  Knows no
 * JSON and no harness types.
 *
 * A line is "VALUE,UNIT,EVENT,RUNTIME,PERCENT,..." (perf's -x, field order); lines
 * that are empty, start with '#' (perf's "# started on ...") or have fewer than
 * three fields are not counts.  VALUE is a count when it is a number; perf's
 * "<not counted>" and "<not supported>" (or anything else) leave it absent, never 0.
 * An event given twice keeps its last line.
 */
#ifndef MB_PERFCSV_H
#define MB_PERFCSV_H

#include <stdbool.h>
#include <stddef.h>

struct perfcsv_count {
	char *event;
	bool valid;		/* VALUE was a number */
	double value;
};

struct perfcsv {
	struct perfcsv_count *c;	/* in the order of their first line */
	size_t n;
};

/* Parse len bytes of text (NUL bytes end a line's field).  0, or -1 out of memory. */
int perfcsv_parse(struct perfcsv *p, const char *text, size_t len);
void perfcsv_free(struct perfcsv *p);

#endif /* MB_PERFCSV_H */
