// SPDX-License-Identifier: GPL-2.0
/*
 * b_mprotect.c - VMA splits and merges without a new mapping: mprotect.
 *
 * mprotect: before() maps K mappings of three pieces (-s bytes each) of the target;
 *           the "split" step makes the middle piece of each read-only, splitting its
 *           VMA in three, and the "merge" step makes it read-write again, which lets
 *           the kernel merge the three back into one (vma_modify_flags(), the merge
 *           code a new mapping goes through too).  Per sample, "remerged": the share
 *           of the first MPROTECT_PROBE mappings that are one VMA again after the
 *           merge step (1 where the kernel merges them; 0 where it cannot, e.g. a
 *           VM_PFNMAP or VM_IO device mapping).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "mmapbench.h"

/* Mappings per sample whose VMAs after() counts (untimed, one query each). */
#define MPROTECT_PROBE	64

static size_t mprotect_span(const struct mb_ctx *c)
{
	return 3 * c->size;
}

static int mprotect_before(struct mb_ctx *c)
{
	for (size_t i = 0; i < c->batch; i++) {
		void *p = mmap(NULL, 3 * c->size, c->prot, c->mflags, c->fd, 0);

		if (p == MAP_FAILED)
			return mb_fail(c, "mmap %zu of %zu: %s", i, c->batch,
				       strerror(errno));
		c->addr[i] = p;
	}
	return 0;
}

static int split(struct mb_ctx *c, size_t i)
{
	char *p = c->addr[i];

	return mprotect(p + c->size, c->size, PROT_READ) ? -errno : 0;
}

static int merge(struct mb_ctx *c, size_t i)
{
	char *p = c->addr[i];

	return mprotect(p + c->size, c->size, c->prot) ? -errno : 0;
}

static int mprotect_after(struct mb_ctx *c)
{
	size_t n = c->batch < MPROTECT_PROBE ? c->batch : MPROTECT_PROBE, one = 0;
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		uintptr_t a = (uintptr_t)c->addr[i];
		long v = mb_count_vmas(a, a + 3 * c->size);

		if (v < 0) {
			rc = mb_fail(c, "counting the VMAs of mapping %zu: %s", i,
				     strerror((int)-v));
			break;
		}
		one += v == 1;
	}
	if (!rc)
		mb_report(c, "remerged", "fraction", MB_NEITHER, (double)one / (double)n);
	for (size_t i = 0; i < c->batch; i++) {
		if (c->addr[i] && munmap(c->addr[i], 3 * c->size) && !rc)
			rc = mb_fail(c, "munmap %zu: %s", i, strerror(errno));
		c->addr[i] = NULL;
	}
	return rc;
}

static void mprotect_teardown(struct mb_ctx *c)
{
	for (size_t i = 0; i < c->batch; i++)
		if (c->addr[i])
			munmap(c->addr[i], 3 * c->size);
}

MB_BENCH(mprotect_bench) = {
	.name = "mprotect",
	.family = "mprotect",
	.desc = "mprotect the middle third of a mapping read-only (a VMA split), then "
		"back (the merge)",
	.sizes = "4k",
	.maps = "private,shared",
	.max_batch = 4096,
	.span = mprotect_span,
	.before = mprotect_before,
	.steps = {
		{ "split", split },
		{ "merge", merge },
	},
	.after = mprotect_after,
	.teardown = mprotect_teardown,
};
