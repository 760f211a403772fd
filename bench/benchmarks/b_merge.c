// SPDX-License-Identifier: GPL-2.0
/*
 * b_merge.c - VMA merges: what a new mapping next to an existing one of the same
 * file costs, and whether the two become one VMA.
 *
 * A sample maps N chunks of P pages (--count N, -s P pages) of the case's one fd at
 * consecutive addresses and consecutive file offsets (merging needs the same struct
 * file and a linear address-to-offset relation).  The places are never left to the
 * allocator: before() reserves the range with an anonymous PROT_NONE mapping and
 * unmaps all of it but one guard page at each end; every chunk then goes in with
 * MAP_FIXED_NOREPLACE.  The guards keep the range from merging with a stranger (a
 * PROT_NONE VMA never merges with a read-write one).
 *
 *   merge        chunks 0..N-1 ascending: each new mapping follows an existing one
 *                (merge with prev).
 *   merge-desc   chunks N-1..0 descending (merge with next).
 *   merge-gap    ascending with a one-page hole between chunks: nothing can merge,
 *                so the time is that of a plain mmap with its hook.
 *   merge-fill   2N+1 chunks: the N+1 even ones untimed in before(), then the N odd
 *                ones timed, each filling a hole between two mappings (three-way
 *                merges).
 *   merge-split  N chunks mapped ascending in before() (untimed), then one page
 *                unmapped in the middle of each chunk, timed (VMA splits).
 *
 * Per sample, besides the timed step (ns per op, N ops): "vmas" (VMAs left in the
 * range), "merge-rate" = 1 - (VMAs - 1) / (M - 1) for M chunks mapped (1: all in one
 * VMA, 0: nothing merged), and "munmap-range" (ns to unmap the whole range at once:
 * one VMA against many), timed here with CLOCK_MONOTONIC since the harness times
 * steps of N ops only.  merge-split reports "vmas-before" and its merge rate before
 * the splits, "vmas" after them.  With the module, the harness's counts
 * module.hook_calls over counts.ops_per_step show which maps called the driver: a
 * legacy .mmap is not called at all when the first merge attempt succeeds (the
 * untimed maps of merge-fill and merge-split call hooks too: N+1 and N a sample).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "mmapbench.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* VMAs the process may have besides the range's, at most (guards, harness, libc). */
#define MERGE_SLACK	256

/* The layout of a sample; the order of the maps is the step's. */
struct merge_kind {
	bool gap;	/* one page between chunks */
	bool fill;	/* even chunks untimed, odd ones timed */
	bool split;	/* map untimed, time one-page munmaps */
};

struct merge {
	const struct merge_kind *k;
	char *base;		/* chunk 0; a guard page below, one above the range */
	size_t stride;		/* bytes from one chunk to the next (and offsets) */
	size_t chunks;		/* M: chunks in the range */
	size_t len;		/* bytes of the range */
	bool reserved;		/* base and the guards are in place */
};

static size_t merge_chunks(const struct merge_kind *k, long n)
{
	return k->fill ? 2 * (size_t)n + 1 : (size_t)n;
}

static size_t merge_stride(const struct merge_kind *k, const struct mb_ctx *c)
{
	return k->gap ? c->size + c->page : c->size;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Chunk i at base + i * stride, file offset i * stride; 0 or -errno. */
static int map_chunk(struct mb_ctx *c, struct merge *m, size_t i)
{
	char *want = m->base + i * m->stride;
	off_t off = c->fd < 0 ? 0 : (off_t)(i * m->stride);
	void *p = mmap(want, c->size, c->prot, c->mflags | MAP_FIXED_NOREPLACE, c->fd, off);

	if (p == MAP_FAILED)
		return -errno;
	if (p != want) {	/* a kernel before 4.17 takes NOREPLACE as a hint */
		munmap(p, c->size);
		return -EEXIST;
	}
	return 0;
}

static int map_asc(struct mb_ctx *c, size_t i)
{
	return map_chunk(c, c->priv, i);
}

static int map_desc(struct mb_ctx *c, size_t i)
{
	return map_chunk(c, c->priv, c->batch - 1 - i);
}

static int map_odd(struct mb_ctx *c, size_t i)
{
	return map_chunk(c, c->priv, 2 * i + 1);
}

/* One page from the middle of chunk i. */
static int unmap_middle(struct mb_ctx *c, size_t i)
{
	struct merge *m = c->priv;
	char *p = m->base + i * m->stride + (c->size / c->page / 2) * c->page;

	return munmap(p, c->page) ? -errno : 0;
}

static void release(struct mb_ctx *c, struct merge *m)
{
	if (!m->reserved)
		return;
	munmap(m->base - c->page, m->len + 2 * c->page);
	m->reserved = false;
}

static int merge_setup_kind(struct mb_ctx *c, const struct merge_kind *k)
{
	long max = mb_max_map_count(), now = mb_count_vmas(0, UINTPTR_MAX);
	size_t chunks = merge_chunks(k, c->count);
	/* nothing merged: one VMA per chunk; split: two */
	size_t need = k->split ? 2 * chunks : chunks;
	struct merge *m;

	if (c->count < 2)
		return mb_fail(c, "--count %ld: merges need at least 2 chunks", c->count);
	if (k->split && c->size < 3 * c->page)
		return mb_skip(c, "merge-split needs chunks of at least 3 pages to split one "
			       "(-s 12k or more)");
	if (now < 0)
		return mb_fail(c, "cannot count VMAs: %s", strerror((int)-now));
	if (max > 0 && (size_t)now + need + MERGE_SLACK > (size_t)max)
		return mb_skip(c, "vm.max_map_count=%ld is below the %zu VMAs needed (%ld + "
			       "%zu + %d slack); raise it to run this case", max,
			       (size_t)now + need + MERGE_SLACK, now, need, MERGE_SLACK);
	m = calloc(1, sizeof(*m));
	if (!m)
		return mb_fail(c, "out of memory");
	m->k = k;
	m->chunks = chunks;
	m->stride = merge_stride(k, c);
	m->len = chunks * m->stride;
	c->priv = m;
	return 0;
}

/* Reserve the range, keep the guards; fill: the even chunks; split: all chunks. */
static int merge_before(struct mb_ctx *c)
{
	struct merge *m = c->priv;
	size_t total = m->len + 2 * c->page;
	char *p = mmap(NULL, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		       -1, 0);
	long v;
	int err;

	if (p == MAP_FAILED)
		return mb_fail(c, "reserving %zu bytes: %s", total, strerror(errno));
	m->base = p + c->page;
	m->reserved = true;
	if (munmap(m->base, m->len))
		return mb_fail(c, "releasing the reservation: %s", strerror(errno));
	if (m->k->fill) {
		for (size_t i = 0; i < m->chunks; i += 2) {
			err = map_chunk(c, m, i);
			if (err)
				return mb_fail(c, "even chunk %zu: %s", i, strerror(-err));
		}
	}
	if (m->k->split) {
		for (size_t i = 0; i < m->chunks; i++) {
			err = map_chunk(c, m, i);
			if (err)
				return mb_fail(c, "chunk %zu: %s", i, strerror(-err));
		}
		v = mb_count_vmas((uintptr_t)m->base, (uintptr_t)(m->base + m->len));
		if (v < 0)
			return mb_fail(c, "cannot count VMAs: %s", strerror((int)-v));
		mb_report(c, "vmas-before", "count", MB_LOWER, (double)v);
		mb_report(c, "merge-rate", "ratio", MB_HIGHER,
			  1 - (double)(v - 1) / (double)(m->chunks - 1));
	}
	return 0;
}

static int merge_after(struct mb_ctx *c)
{
	struct merge *m = c->priv;
	long v = mb_count_vmas((uintptr_t)m->base, (uintptr_t)(m->base + m->len));
	int64_t t0, t1;

	if (v < 0)
		return mb_fail(c, "cannot count VMAs: %s", strerror((int)-v));
	mb_report(c, "vmas", "count", MB_LOWER, (double)v);
	if (m->k->split) {
		release(c, m);
		return 0;
	}
	mb_report(c, "merge-rate", "ratio", MB_HIGHER,
		  1 - (double)(v - 1) / (double)(m->chunks - 1));
	t0 = now_ns();
	if (munmap(m->base, m->len))
		return mb_fail(c, "munmap of the range: %s", strerror(errno));
	mb_inject_wait(c);	/* --inject-ns: in this op too, as in every step's */
	t1 = now_ns();
	mb_report(c, "munmap-range", "ns", MB_LOWER, (double)(t1 - t0));
	release(c, m);
	return 0;
}

static void merge_teardown(struct mb_ctx *c)
{
	struct merge *m = c->priv;

	if (!m)
		return;
	release(c, m);
	free(m);
	c->priv = NULL;
}

/* One kind per benchmark: its setup names it, its span sizes the target. */
#define MERGE_KIND(id, ...)						\
	static const struct merge_kind kind_##id = { __VA_ARGS__ };	\
	static int setup_##id(struct mb_ctx *c)				\
	{								\
		return merge_setup_kind(c, &kind_##id);			\
	}								\
	static size_t span_##id(const struct mb_ctx *c)			\
	{								\
		return merge_chunks(&kind_##id, c->count) *		\
		       merge_stride(&kind_##id, c);			\
	}

MERGE_KIND(plain, .gap = false)
MERGE_KIND(gap, .gap = true)
MERGE_KIND(fill, .fill = true)
MERGE_KIND(split, .split = true)

#define MERGE_COMMON(id)						\
	.family = "merge",						\
	.flags = MB_F_BATCH_COUNT,					\
	.sizes = "16k",							\
	.maps = "shared,private",					\
	.counts = "64",							\
	.min_count = 2,							\
	.span = span_##id,						\
	.setup = setup_##id,						\
	.before = merge_before,						\
	.after = merge_after,						\
	.teardown = merge_teardown

MB_BENCH(merge) = {
	.name = "merge",
	.desc = "N chunks (--count N, -s chunk) at consecutive places, ascending: merge with prev",
	.steps = { { "mmap", map_asc } },
	MERGE_COMMON(plain),
};

MB_BENCH(merge_desc) = {
	.name = "merge-desc",
	.desc = "N chunks at consecutive places, descending: merge with next",
	.steps = { { "mmap", map_desc } },
	MERGE_COMMON(plain),
};

MB_BENCH(merge_gap) = {
	.name = "merge-gap",
	.desc = "N chunks with a one-page gap between them: no merge, the hook alone",
	.steps = { { "mmap", map_asc } },
	MERGE_COMMON(gap),
};

MB_BENCH(merge_fill) = {
	.name = "merge-fill",
	.desc = "N+1 even chunks untimed, then N odd ones into the holes: three-way merges",
	.steps = { { "mmap", map_odd } },
	MERGE_COMMON(fill),
};

MB_BENCH(merge_split) = {
	.name = "merge-split",
	.desc = "N chunks mapped untimed, then one page unmapped in each: splits",
	.steps = { { "munmap-split", unmap_middle } },
	MERGE_COMMON(split),
};
