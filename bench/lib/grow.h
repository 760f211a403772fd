/* SPDX-License-Identifier: GPL-2.0 */
/*
 * grow.h - an array that grows by doubling: the one realloc idiom of bench/ (the
 * harness's plan, the profile's windows and indexes, folded stacks), with the
 * overflow check written once.  Knows no harness types.
 */
#ifndef MB_GROW_H
#define MB_GROW_H

#include <stddef.h>

/* The capacity of an empty array's first allocation, in elements. */
#define MB_GROW_MIN	16

/*
 * Room for at least need elements of elem bytes in the array p (NULL: none yet)
 * whose capacity is *cap elements.  need <= *cap: p, unchanged.  Otherwise the
 * capacity doubles from *cap (MB_GROW_MIN from 0) until it holds need, and p is
 * reallocated to it: the new array (the first *cap elements kept) is returned and
 * *cap set.  NULL, with p and *cap untouched (p still valid, still to be freed),
 * when realloc fails (errno ENOMEM), when need * elem does not fit a size_t
 * (EOVERFLOW) or when elem is 0 (EINVAL).  Doubling stops short of an overflow: the
 * capacity is then need itself.
 */
void *mb_grow(void *p, size_t *cap, size_t need, size_t elem);

#endif /* MB_GROW_H */
