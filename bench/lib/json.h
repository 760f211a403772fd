/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json.h - a small streaming JSON writer.
 *
 * Commas, nesting and indentation are tracked for the caller; strings are escaped and
 * made valid UTF-8 (invalid bytes become U+FFFD); doubles are printed in the shortest
 * form that reads back to the same value; NaN and infinities become null.  Misuse
 * (a value where a key is due, unbalanced ends, too deep) and write errors are sticky:
 * jw_finish() reports them.
 *
 *	struct jw j;
 *	jw_init(&j, stdout, 1);
 *	jw_begin_object(&j);
 *	jw_key(&j, "n"); jw_int(&j, 3);
 *	jw_kv_str(&j, "name", "storm");
 *	jw_end_object(&j);
 *	if (jw_finish(&j)) ...
 */
#ifndef MB_JSON_H
#define MB_JSON_H

#include <stdbool.h>
#include <stdio.h>

#define JW_MAX_DEPTH	32

struct jw {
	FILE *f;
	int pretty;
	int depth;
	int err;			/* 0, -EINVAL (misuse) or -EIO (write error) */
	int key_pending;		/* a key was written, its value is due */
	int done;			/* the top-level value is complete */
	char kind[JW_MAX_DEPTH];	/* '{' or '[' per open level */
	long nelem[JW_MAX_DEPTH];	/* members/elements so far */
	char broken[JW_MAX_DEPTH];	/* array printed over several lines */
};

void jw_init(struct jw *j, FILE *f, int pretty);
void jw_begin_object(struct jw *j);
void jw_end_object(struct jw *j);
void jw_begin_array(struct jw *j);
void jw_end_array(struct jw *j);
void jw_key(struct jw *j, const char *key);
void jw_string(struct jw *j, const char *s);	/* NULL -> null */
void jw_int(struct jw *j, long long v);
void jw_uint(struct jw *j, unsigned long long v);
void jw_double(struct jw *j, double v);		/* NaN/Inf -> null */
void jw_bool(struct jw *j, bool v);
void jw_null(struct jw *j);

/* key + value shorthands */
void jw_kv_str(struct jw *j, const char *key, const char *s);
void jw_kv_int(struct jw *j, const char *key, long long v);
void jw_kv_double(struct jw *j, const char *key, double v);
void jw_kv_bool(struct jw *j, const char *key, bool v);

/* 0 when a complete, balanced document was written without error; else -EINVAL/-EIO. */
int jw_finish(struct jw *j);

/* The shortest "%.Ng" (N = 1..17) of v that strtod() reads back exactly; buf >= 32. */
void jw_format_double(char *buf, size_t len, double v);

#endif /* MB_JSON_H */
