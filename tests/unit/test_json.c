// SPDX-License-Identifier: GPL-2.0
/*
 * test_json.c - bench/lib/json.c: every document is read back with jansson.
 */
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "json.h"
#include "../tap.h"

struct doc {
	char *buf;
	size_t len;
	FILE *f;
	struct jw j;
};

static void doc_open(struct doc *d, int pretty)
{
	d->buf = NULL;
	d->len = 0;
	d->f = open_memstream(&d->buf, &d->len);
	jw_init(&d->j, d->f, pretty);
}

/* Finish, close; returns jw_finish()'s result, text in d->buf. */
static int doc_close(struct doc *d)
{
	int err = jw_finish(&d->j);

	fclose(d->f);
	return err;
}

static json_t *parse(const char *s)
{
	json_error_t e;
	json_t *v = json_loads(s, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);

	if (!v)
		printf("#   jansson: %s at %d: %s\n", e.text, e.position, s);
	return v;
}

static void strings(void)
{
	static const char *const in[] = {
		"plain", "", "quote \" backslash \\ slash /", "nl\ncr\rtab\tbs\bff\f",
		"ctl \x01\x1f end", "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80", "del \x7f",
	};
	struct doc d;
	json_t *v;
	int err, same = 1;

	doc_open(&d, 0);
	jw_begin_array(&d.j);
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		jw_string(&d.j, in[i]);
	jw_end_array(&d.j);
	err = doc_close(&d);
	ok(err == 0, "array of strings written");
	v = parse(d.buf);
	ok(v && json_is_array(v), "it parses");
	for (size_t i = 0; v && i < sizeof(in) / sizeof(in[0]); i++) {
		const char *got = json_string_value(json_array_get(v, i));

		if (!got || strcmp(got, in[i])) {
			same = 0;
			printf("#   string %zu differs\n", i);
		}
	}
	ok(same, "escapes, control characters and UTF-8 round-trip exactly");
	ok(strstr(d.buf, "\\u0001") && strstr(d.buf, "\\n"), "control characters escaped");
	json_decref(v);
	free(d.buf);
}

static void bad_utf8(void)
{
	/* lone byte, truncated sequence, overlong '/', UTF-16 surrogate, > U+10FFFF */
	static const char *const in[] = {
		"a\xff" "b", "c\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
	};
	static const char *const want[] = {
		"a\xef\xbf\xbd" "b", "c\xef\xbf\xbd", "\xef\xbf\xbd\xef\xbf\xbd",
		"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
		"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
	};
	struct doc d;
	json_t *v;
	int same = 1;

	doc_open(&d, 0);
	jw_begin_array(&d.j);
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		jw_string(&d.j, in[i]);
	jw_end_array(&d.j);
	ok(doc_close(&d) == 0, "invalid UTF-8 written");
	v = parse(d.buf);
	ok(v != NULL, "invalid UTF-8 input still gives valid JSON");
	for (size_t i = 0; v && i < sizeof(in) / sizeof(in[0]); i++) {
		const char *got = json_string_value(json_array_get(v, i));

		if (!got || strcmp(got, want[i])) {
			same = 0;
			printf("#   string %zu: got '%s'\n", i, got ? got : "(null)");
		}
	}
	ok(same, "each invalid byte becomes U+FFFD");
	json_decref(v);
	free(d.buf);
}

static void numbers(void)
{
	static const double in[] = {
		0.1, 1.0 / 3, 1e-300, 5e-324, DBL_MAX, -0.0, 123456789012345678.0, 2.5,
		-1e21, 4617.123456789,
	};
	char buf[40];
	struct doc d;
	json_t *v;
	int exact = 1;

	doc_open(&d, 1);
	jw_begin_array(&d.j);
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		jw_double(&d.j, in[i]);
	jw_double(&d.j, NAN);
	jw_double(&d.j, INFINITY);
	jw_double(&d.j, -INFINITY);
	jw_int(&d.j, LLONG_MIN);
	jw_int(&d.j, LLONG_MAX);
	jw_uint(&d.j, LLONG_MAX);
	jw_end_array(&d.j);
	ok(doc_close(&d) == 0, "numbers written");
	v = parse(d.buf);
	ok(v != NULL, "numbers parse");
	for (size_t i = 0; v && i < sizeof(in) / sizeof(in[0]); i++) {
		double got = json_number_value(json_array_get(v, i));

		/* jansson reads "-0" as the integer 0; the text is checked below */
		if (signbit(in[i]) && in[i] == 0)
			continue;
		if (memcmp(&got, &in[i], sizeof(got))) {
			exact = 0;
			printf("#   %.17g read back as %.17g\n", in[i], got);
		}
	}
	ok(exact, "doubles read back bit for bit (also denormals, DBL_MAX)");
	ok(strstr(d.buf, ", -0,") != NULL, "-0 keeps its sign");
	ok(v && json_is_null(json_array_get(v, 10)) && json_is_null(json_array_get(v, 11)) &&
	   json_is_null(json_array_get(v, 12)), "NaN, Inf and -Inf become null");
	ok(v && json_integer_value(json_array_get(v, 13)) == LLONG_MIN &&
	   json_integer_value(json_array_get(v, 14)) == LLONG_MAX &&
	   json_integer_value(json_array_get(v, 15)) == LLONG_MAX, "64-bit integers exact");
	json_decref(v);
	free(d.buf);

	jw_format_double(buf, sizeof(buf), 0.1);
	ok(!strcmp(buf, "0.1"), "0.1 prints as 0.1 (shortest), got %s", buf);
	jw_format_double(buf, sizeof(buf), 1.0 / 3);
	ok(!strcmp(buf, "0.3333333333333333"), "1/3 needs 16 digits, got %s", buf);
	jw_format_double(buf, sizeof(buf), 0.1 + 0.2);
	ok(!strcmp(buf, "0.30000000000000004"), "0.1 + 0.2 needs 17 digits, got %s", buf);
	jw_format_double(buf, sizeof(buf), 4096);
	ok(!strcmp(buf, "4096"), "4096 prints as 4096, got %s", buf);

	doc_open(&d, 0);
	jw_uint(&d.j, ULLONG_MAX);
	ok(doc_close(&d) == 0 && !strcmp(d.buf, "18446744073709551615"), "uint64 max printed");
	free(d.buf);
}

static void structure(void)
{
	struct doc a, b;
	json_t *va, *vb;

	for (int pretty = 0; pretty < 2; pretty++) {
		struct doc *d = pretty ? &b : &a;

		doc_open(d, pretty);
		jw_begin_object(&d->j);
		jw_kv_str(&d->j, "schema", "x/1");
		jw_key(&d->j, "empty_obj");
		jw_begin_object(&d->j);
		jw_end_object(&d->j);
		jw_key(&d->j, "empty_arr");
		jw_begin_array(&d->j);
		jw_end_array(&d->j);
		jw_key(&d->j, "nested");
		jw_begin_array(&d->j);
		jw_begin_object(&d->j);
		jw_kv_int(&d->j, "n", 1);
		jw_kv_bool(&d->j, "t", true);
		jw_key(&d->j, "z");
		jw_null(&d->j);
		jw_end_object(&d->j);
		jw_begin_array(&d->j);
		jw_int(&d->j, 1);
		jw_int(&d->j, 2);
		jw_end_array(&d->j);
		jw_end_array(&d->j);
		jw_kv_double(&d->j, "x", 1.5);
		jw_end_object(&d->j);
		ok(doc_close(d) == 0, "%s document written", pretty ? "pretty" : "compact");
	}
	va = parse(a.buf);
	vb = parse(b.buf);
	ok(va && vb, "both parse");
	ok(va && vb && json_equal(va, vb), "pretty and compact are the same document");
	ok(!strchr(a.buf, '\n'), "compact output has no newlines");
	ok(strstr(b.buf, "[1, 2]") != NULL, "pretty output keeps scalar arrays on one line");
	ok(va && json_object_size(json_object_get(va, "empty_obj")) == 0 &&
	   json_array_size(json_object_get(va, "empty_arr")) == 0, "empty containers");
	json_decref(va);
	json_decref(vb);
	free(a.buf);
	free(b.buf);
}

static void misuse(void)
{
	struct doc d;
	FILE *ro;
	struct jw j;

	doc_open(&d, 0);
	jw_begin_object(&d.j);
	jw_int(&d.j, 1);			/* no key */
	jw_end_object(&d.j);
	ok(doc_close(&d) == -EINVAL, "a value without a key -> -EINVAL");
	free(d.buf);

	doc_open(&d, 0);
	jw_begin_array(&d.j);
	jw_key(&d.j, "k");			/* key in an array */
	jw_end_array(&d.j);
	ok(doc_close(&d) == -EINVAL, "a key inside an array -> -EINVAL");
	free(d.buf);

	doc_open(&d, 0);
	jw_begin_object(&d.j);
	ok(doc_close(&d) == -EINVAL, "an unclosed object -> -EINVAL");
	free(d.buf);

	doc_open(&d, 0);
	jw_begin_object(&d.j);
	jw_end_array(&d.j);
	ok(doc_close(&d) == -EINVAL, "closing an object with ] -> -EINVAL");
	free(d.buf);

	doc_open(&d, 0);
	jw_int(&d.j, 1);
	jw_int(&d.j, 2);
	ok(doc_close(&d) == -EINVAL, "two top-level values -> -EINVAL");
	free(d.buf);

	doc_open(&d, 0);
	ok(doc_close(&d) == -EINVAL, "an empty document -> -EINVAL");
	free(d.buf);

	doc_open(&d, 0);
	for (int i = 0; i < JW_MAX_DEPTH + 1; i++)
		jw_begin_array(&d.j);
	ok(doc_close(&d) == -EINVAL, "nesting deeper than JW_MAX_DEPTH -> -EINVAL");
	free(d.buf);

	ro = fopen("/dev/null", "r");
	jw_init(&j, ro, 0);
	jw_begin_array(&j);
	jw_end_array(&j);
	ok(jw_finish(&j) == -EIO, "a write error -> -EIO");
	fclose(ro);
}

int main(void)
{
	tap_plan(33);
	strings();
	bad_utf8();
	numbers();
	structure();
	misuse();
	return tap_done();
}
