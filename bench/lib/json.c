// SPDX-License-Identifier: GPL-2.0
/*
 * json.c - streaming JSON writer (see json.h).
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

void jw_init(struct jw *j, FILE *f, int pretty)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->pretty = pretty;
}

static void put(struct jw *j, const char *s, size_t n)
{
	if (j->err)
		return;
	if (fwrite(s, 1, n, j->f) != n)
		j->err = -EIO;
}

static void puts_(struct jw *j, const char *s)
{
	put(j, s, strlen(s));
}

static void newline(struct jw *j, int depth)
{
	if (!j->pretty)
		return;
	put(j, "\n", 1);
	for (int i = 0; i < depth; i++)
		put(j, "  ", 2);
}

/*
 * Called before every value.  In pretty mode, object members go on their own lines;
 * arrays of scalars stay on one line ("[1, 2, 3]"), arrays holding containers put each
 * element on its own line.
 */
static int pre_value(struct jw *j, int container)
{
	if (j->err)
		return -1;
	if (j->done) {
		j->err = -EINVAL;	/* a second top-level value */
		return -1;
	}
	if (j->depth == 0)
		return 0;
	if (j->kind[j->depth - 1] == '{') {
		if (!j->key_pending) {
			j->err = -EINVAL;	/* a value where a key is due */
			return -1;
		}
		j->key_pending = 0;
		return 0;
	}
	if (j->nelem[j->depth - 1]++)
		put(j, j->pretty && !container ? ", " : ",", j->pretty && !container ? 2 : 1);
	if (container) {
		j->broken[j->depth - 1] = 1;
		newline(j, j->depth);
	}
	return 0;
}

static void post_value(struct jw *j)
{
	if (j->depth == 0 && !j->err)
		j->done = 1;
}

static void begin(struct jw *j, char kind)
{
	if (pre_value(j, 1))
		return;
	if (j->depth >= JW_MAX_DEPTH) {
		j->err = -EINVAL;
		return;
	}
	put(j, kind == '{' ? "{" : "[", 1);
	j->kind[j->depth] = kind;
	j->nelem[j->depth] = 0;
	j->broken[j->depth] = 0;
	j->depth++;
}

static void end(struct jw *j, char kind)
{
	if (j->err)
		return;
	if (!j->depth || j->kind[j->depth - 1] != kind || j->key_pending) {
		j->err = -EINVAL;
		return;
	}
	j->depth--;
	if (j->nelem[j->depth] && (kind == '{' || j->broken[j->depth]))
		newline(j, j->depth);
	put(j, kind == '{' ? "}" : "]", 1);
	post_value(j);
}

void jw_begin_object(struct jw *j) { begin(j, '{'); }
void jw_end_object(struct jw *j) { end(j, '{'); }
void jw_begin_array(struct jw *j) { begin(j, '['); }
void jw_end_array(struct jw *j) { end(j, '['); }

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if it is not one. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		unsigned char lo = c == 0xe0 ? 0xa0 : 0x80;
		unsigned char hi = c == 0xed ? 0x9f : 0xbf;	/* no surrogates */

		if (s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80)
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		unsigned char lo = c == 0xf0 ? 0x90 : 0x80;
		unsigned char hi = c == 0xf4 ? 0x8f : 0xbf;	/* <= U+10FFFF */

		if (s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		return 4;
	}
	return 0;
}

static void write_escaped(struct jw *j, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	put(j, "\"", 1);
	while (*s) {
		unsigned char c = *s;
		char buf[8];
		size_t n;

		switch (c) {
		case '"':  puts_(j, "\\\""); s++; continue;
		case '\\': puts_(j, "\\\\"); s++; continue;
		case '\b': puts_(j, "\\b"); s++; continue;
		case '\f': puts_(j, "\\f"); s++; continue;
		case '\n': puts_(j, "\\n"); s++; continue;
		case '\r': puts_(j, "\\r"); s++; continue;
		case '\t': puts_(j, "\\t"); s++; continue;
		}
		if (c < 0x20) {
			snprintf(buf, sizeof(buf), "\\u%04x", c);
			puts_(j, buf);
			s++;
			continue;
		}
		n = utf8_len(s);	/* stops at the NUL: continuation checks fail */
		if (!n) {
			puts_(j, "\\ufffd");
			s++;
			continue;
		}
		put(j, (const char *)s, n);
		s += n;
	}
	put(j, "\"", 1);
}

void jw_key(struct jw *j, const char *key)
{
	if (j->err)
		return;
	if (!j->depth || j->kind[j->depth - 1] != '{' || j->key_pending || !key) {
		j->err = -EINVAL;
		return;
	}
	if (j->nelem[j->depth - 1]++)
		put(j, ",", 1);
	newline(j, j->depth);
	write_escaped(j, key);
	put(j, j->pretty ? ": " : ":", j->pretty ? 2 : 1);
	j->key_pending = 1;
}

void jw_string(struct jw *j, const char *s)
{
	if (!s) {
		jw_null(j);
		return;
	}
	if (pre_value(j, 0))
		return;
	write_escaped(j, s);
	post_value(j);
}

void jw_int(struct jw *j, long long v)
{
	char buf[32];

	if (pre_value(j, 0))
		return;
	snprintf(buf, sizeof(buf), "%lld", v);
	puts_(j, buf);
	post_value(j);
}

void jw_uint(struct jw *j, unsigned long long v)
{
	char buf[32];

	if (pre_value(j, 0))
		return;
	snprintf(buf, sizeof(buf), "%llu", v);
	puts_(j, buf);
	post_value(j);
}

void jw_format_double(char *buf, size_t len, double v)
{
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

void jw_double(struct jw *j, double v)
{
	char buf[40];

	if (!isfinite(v)) {
		jw_null(j);
		return;
	}
	if (pre_value(j, 0))
		return;
	jw_format_double(buf, sizeof(buf), v);
	puts_(j, buf);
	post_value(j);
}

void jw_bool(struct jw *j, bool v)
{
	if (pre_value(j, 0))
		return;
	puts_(j, v ? "true" : "false");
	post_value(j);
}

void jw_null(struct jw *j)
{
	if (pre_value(j, 0))
		return;
	puts_(j, "null");
	post_value(j);
}

void jw_kv_str(struct jw *j, const char *key, const char *s)
{
	jw_key(j, key);
	jw_string(j, s);
}

void jw_kv_int(struct jw *j, const char *key, long long v)
{
	jw_key(j, key);
	jw_int(j, v);
}

void jw_kv_double(struct jw *j, const char *key, double v)
{
	jw_key(j, key);
	jw_double(j, v);
}

void jw_kv_bool(struct jw *j, const char *key, bool v)
{
	jw_key(j, key);
	jw_bool(j, v);
}

int jw_finish(struct jw *j)
{
	if (!j->err && (j->depth || !j->done))
		j->err = -EINVAL;
	if (!j->err && j->pretty)
		put(j, "\n", 1);
	if (!j->err && fflush(j->f))
		j->err = -EIO;
	if (!j->err && ferror(j->f))
		j->err = -EIO;
	return j->err;
}
