// SPDX-License-Identifier: GPL-2.0
/*
 * perfcsv.c - `perf stat -x,` CSV, one count per event (perfcsv.h).  What
 * scripts/host/fold-oracle's jq did, in C: the same lines kept, the same values.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "perfcsv.h"

/* s (n bytes) as a number, the whole of it: a JSON-style decimal, no inf/nan/hex. */
static bool number(const char *s, size_t n, double *v)
{
	char buf[64], *end;

	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)buf[i]) && !strchr("+-.eE", buf[i]))
			return false;
	*v = strtod(buf, &end);
	return end == buf + n && isfinite(*v);
}

static int put(struct perfcsv *p, const char *ev, size_t evn, bool valid, double v)
{
	struct perfcsv_count *c;

	for (size_t i = 0; i < p->n; i++) {
		if (strlen(p->c[i].event) == evn && !memcmp(p->c[i].event, ev, evn)) {
			p->c[i].valid = valid;
			p->c[i].value = v;
			return 0;
		}
	}
	c = realloc(p->c, (p->n + 1) * sizeof(*c));
	if (!c)
		return -1;
	p->c = c;
	c = &p->c[p->n];
	c->event = malloc(evn + 1);
	if (!c->event)
		return -1;
	memcpy(c->event, ev, evn);
	c->event[evn] = '\0';
	c->valid = valid;
	c->value = v;
	p->n++;
	return 0;
}

/* One line (no '\n'): its fields 0 and 2, if it has three or more. */
static int line(struct perfcsv *p, const char *s, size_t n)
{
	const char *f[3], *e = s + n, *q = s;
	size_t fl[3];
	int nf = 0;
	double v = 0;
	bool valid;

	if (n == 0 || s[0] == '#')
		return 0;
	while (nf < 3) {
		const char *c = memchr(q, ',', (size_t)(e - q));

		f[nf] = q;
		fl[nf] = c ? (size_t)(c - q) : (size_t)(e - q);
		nf++;
		if (!c)
			break;
		q = c + 1;
	}
	if (nf < 3)	/* fewer than three fields: not a count */
		return 0;
	valid = number(f[0], fl[0], &v);
	return put(p, f[2], fl[2], valid, v);
}

int perfcsv_parse(struct perfcsv *p, const char *text, size_t len)
{
	const char *s = text, *e = text + len;

	p->c = NULL;
	p->n = 0;
	while (s < e) {
		const char *nl = memchr(s, '\n', (size_t)(e - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(e - s);
		const char *z = memchr(s, '\0', n);

		if (line(p, s, z ? (size_t)(z - s) : n)) {
			perfcsv_free(p);
			return -1;
		}
		s += n + 1;
	}
	return 0;
}

void perfcsv_free(struct perfcsv *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->c[i].event);
	free(p->c);
	p->c = NULL;
	p->n = 0;
}
