// SPDX-License-Identifier: GPL-2.0
/*
 * grow.c - an array that grows by doubling (grow.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "grow.h"

void *mb_grow(void *p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : MB_GROW_MIN;
	void *q;

	if (!elem) {
		errno = EINVAL;
		return NULL;
	}
	if (need <= *cap)
		return p;
	if (need > SIZE_MAX / elem) {
		errno = EOVERFLOW;
		return NULL;
	}
	while (n < need)
		n = n > SIZE_MAX / 2 / elem ? need : 2 * n;
	if (n > SIZE_MAX / elem)
		n = need;
	q = realloc(p, n * elem);
	if (!q) {
		errno = ENOMEM;
		return NULL;
	}
	*cap = n;
	return q;
}
