// SPDX-License-Identifier: GPL-2.0
/*
 * test_grow.c - bench/lib/grow.c: an array grows by doubling, keeps what it held,
 * and refuses a size that does not fit (no wrapped, too small allocation).  TAP.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "grow.h"
#include "../tap.h"

/* 10000 pushes, one mb_grow each: every value kept, capacity changes log2 times */
static void pushes(void)
{
	size_t cap = 0, changes = 0, last = 0, n = 10000, bad = 0;
	long *v = NULL;

	for (size_t i = 0; i < n; i++) {
		long *q = mb_grow(v, &cap, i + 1, sizeof(*v));

		if (!q)
			break;
		v = q;
		v[i] = (long)i * 7;
		if (cap != last)
			changes++;
		last = cap;
	}
	for (size_t i = 0; v && i < n; i++)
		bad += v[i] != (long)i * 7;
	ok(v && !bad, "10000 pushes: every value read back");
	is_int(cap, 16384, "capacity: 16 doubled up to the first power of two >= 10000");
	is_int(changes, 11, "grown 11 times (16, 32, ... 16384), not once a push");
	free(v);
}

int main(void)
{
	size_t cap = 0;
	int *p, *q;

	tap_plan(14);
	p = mb_grow(NULL, &cap, 1, sizeof(*p));
	ok(p && cap == MB_GROW_MIN, "from nothing: MB_GROW_MIN (16) elements");
	for (int i = 0; i < 16; i++)
		p[i] = 100 + i;
	q = mb_grow(p, &cap, 16, sizeof(*p));
	ok(q == p && cap == 16, "need <= capacity: the same array, capacity unchanged");
	q = mb_grow(p, &cap, 17, sizeof(*p));
	ok(q && cap == 32, "need 17 of 16: doubled to 32");
	p = q ? q : p;
	q = mb_grow(p, &cap, 1000, sizeof(*p));
	ok(q && cap == 1024, "need 1000 of 32: doubled until it holds it (1024)");
	p = q ? q : p;
	{
		int same = 1;

		for (int i = 0; i < 16; i++)
			same &= p[i] == 100 + i;
		ok(same, "the contents are kept across growths");
	}

	errno = 0;
	q = mb_grow(p, &cap, SIZE_MAX / sizeof(*p) + 1, sizeof(*p));
	ok(!q && errno == EOVERFLOW, "need * elem past SIZE_MAX: NULL, EOVERFLOW");
	ok(cap == 1024 && p[15] == 115, "... the array and its capacity untouched");
	errno = 0;
	q = mb_grow(p, &cap, SIZE_MAX, 2);
	ok(!q && errno == EOVERFLOW && cap == 1024, "SIZE_MAX elements of 2 bytes: EOVERFLOW");

	/* doubling SIZE_MAX/2 + 1 would wrap to 0: it must ask for need, and fail */
	cap = SIZE_MAX / 2 + 1;
	errno = 0;
	q = mb_grow(p, &cap, SIZE_MAX / 2 + 2, 1);
	ok(!q && errno == ENOMEM && cap == SIZE_MAX / 2 + 1,
	   "a doubling that would overflow: no wrapped size, realloc refuses (ENOMEM)");
	cap = 1024;

	errno = 0;
	q = mb_grow(p, &cap, 2000, 0);
	ok(!q && errno == EINVAL && cap == 1024, "elem 0: NULL, EINVAL");
	{
		size_t c = 0, elem = SIZE_MAX / 8;

		/* MB_GROW_MIN of them would overflow: just one is asked for, and refused */
		errno = 0;
		q = mb_grow(NULL, &c, 1, elem);
		ok(!q && c == 0 && errno == ENOMEM,
		   "one element of SIZE_MAX / 8 bytes: NULL, ENOMEM, capacity still 0");
	}
	free(p);
	pushes();
	return tap_done();
}
