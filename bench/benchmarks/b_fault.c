// SPDX-License-Identifier: GPL-2.0
/*
 * b_fault.c - page faults: the first touch of each page of a fresh mapping, every
 * touch timed on its own (MB_F_TIME_EACH: one touch = one sample, with a log2
 * histogram and p50/p90/p99/max in the results).
 *
 * A sample maps --count N pages of -s bytes each (4k: base pages; MADV_NOHUGEPAGE
 * then keeps THP out) at file offset 0 in before(), touches each page once in the
 * step, and unmaps in after(); mapping and unmapping are untimed, so every sample
 * starts from empty page tables.  The target's fd stays open for the whole case:
 * a file's pages stay in its page cache from one sample to the next, so after the
 * first sample a file fault maps a cached page (the module's pool pages always
 * exist; anon, shared /dev/zero and MAP_PRIVATE writes allocate every time).
 *
 *   fault-read-seq    read, pages in address order
 *   fault-read-rand   read, pages in a random order (mb_rand, new per sample)
 *   fault-write-seq   write, address order
 *   fault-write-rand  write, random order
 *
 * A touch is a fault unless fault-around (read faults on files whose vm_ops have
 * .map_pages, e.g. shmem, ext4) mapped the page already.  Per sample the
 * benchmark reports "minflt", the minor faults taken between the end of before()
 * and the start of after() (getrusage), to set against the N pages touched; the
 * counts fault.minflt and fault.pages add both up over the case.  With the
 * module, the harness's counts module.faults against counts.ops_per_step tell the
 * same from the driver's side (one .fault per page when map_pages=0).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "mmapbench.h"

struct fault {
	char *p;		/* the mapping of this sample, NULL between samples */
	size_t len;
	size_t *order;		/* rand: the page touched by op i */
	size_t cap;
	long minflt0;
};

static long minflt_now(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) ? -1 : ru.ru_minflt;
}

static int fault_setup(struct mb_ctx *c)
{
	struct fault *f = calloc(1, sizeof(*f));

	if (!f)
		return mb_fail(c, "out of memory");
	c->priv = f;
	return 0;
}

/*
 * A fresh permutation of 0..n-1 (Fisher-Yates on mb_rand); writing it here also
 * takes the array's own first-touch faults before the count starts.
 */
static int shuffle(struct mb_ctx *c, struct fault *f, size_t n)
{
	if (n > f->cap) {
		size_t *o = realloc(f->order, n * sizeof(*o));

		if (!o)
			return -ENOMEM;
		f->order = o;
		f->cap = n;
	}
	for (size_t i = 0; i < n; i++)
		f->order[i] = i;
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)(mb_rand(c) % i), t = f->order[i - 1];

		f->order[i - 1] = f->order[j];
		f->order[j] = t;
	}
	return 0;
}

static int fault_before_order(struct mb_ctx *c, bool rand)
{
	struct fault *f = c->priv;
	int err;

	f->len = c->batch * c->size;
	f->p = mmap(NULL, f->len, c->prot, c->mflags, c->fd, 0);
	if (f->p == MAP_FAILED) {
		f->p = NULL;
		return mb_fail(c, "mmap(%zu): %s", f->len, strerror(errno));
	}
	if (c->size == c->page) {
		err = mb_nohugepage(c, f->p, f->len);
		if (err)
			return mb_fail(c, "madvise(MADV_NOHUGEPAGE): %s", strerror(-err));
	}
	if (rand && shuffle(c, f, c->batch))
		return mb_fail(c, "out of memory");
	f->minflt0 = minflt_now();
	return 0;
}

static int before_seq(struct mb_ctx *c)
{
	return fault_before_order(c, false);
}

static int before_rand(struct mb_ctx *c)
{
	return fault_before_order(c, true);
}

/* The touches: volatile, so that the compiler neither drops nor merges them. */
static int read_seq(struct mb_ctx *c, size_t i)
{
	struct fault *f = c->priv;

	(void)*(volatile char *)(f->p + i * c->size);
	return 0;
}

static int read_rand(struct mb_ctx *c, size_t i)
{
	struct fault *f = c->priv;

	(void)*(volatile char *)(f->p + f->order[i] * c->size);
	return 0;
}

static int write_seq(struct mb_ctx *c, size_t i)
{
	struct fault *f = c->priv;

	*(volatile char *)(f->p + i * c->size) = 1;
	return 0;
}

static int write_rand(struct mb_ctx *c, size_t i)
{
	struct fault *f = c->priv;

	*(volatile char *)(f->p + f->order[i] * c->size) = 1;
	return 0;
}

static int fault_after(struct mb_ctx *c)
{
	struct fault *f = c->priv;
	long d = minflt_now() - f->minflt0;

	mb_report(c, "minflt", "count", MB_NEITHER, (double)d);
	mb_count(c, "fault.minflt", d);
	mb_count(c, "fault.pages", (long long)c->batch);
	if (munmap(f->p, f->len))
		return mb_fail(c, "munmap: %s", strerror(errno));
	f->p = NULL;
	return 0;
}

static void fault_teardown(struct mb_ctx *c)
{
	struct fault *f = c->priv;

	if (!f)
		return;
	if (f->p)
		munmap(f->p, f->len);
	free(f->order);
	free(f);
	c->priv = NULL;
}

static size_t fault_span(const struct mb_ctx *c)
{
	return (size_t)c->count * c->size;
}

#define FAULT_COMMON							\
	.family = "fault",						\
	.flags = MB_F_TIME_EACH | MB_F_BATCH_COUNT | MB_F_FLOOR,	\
	.sizes = "4k",							\
	.maps = "private,shared",					\
	.counts = "256",						\
	.min_count = 1,							\
	.span = fault_span,						\
	.setup = fault_setup,						\
	.after = fault_after,						\
	.teardown = fault_teardown

MB_BENCH(fault_read_seq) = {
	.name = "fault-read-seq",
	.desc = "first read of N pages (--count N) of a fresh mapping, in address order",
	.before = before_seq,
	.steps = { { "touch", read_seq } },
	FAULT_COMMON,
};

MB_BENCH(fault_read_rand) = {
	.name = "fault-read-rand",
	.desc = "first read of N pages of a fresh mapping, in a random order",
	.before = before_rand,
	.steps = { { "touch", read_rand } },
	FAULT_COMMON,
};

MB_BENCH(fault_write_seq) = {
	.name = "fault-write-seq",
	.desc = "first write to N pages of a fresh mapping, in address order",
	.before = before_seq,
	.steps = { { "touch", write_seq } },
	FAULT_COMMON,
};

MB_BENCH(fault_write_rand) = {
	.name = "fault-write-rand",
	.desc = "first write to N pages of a fresh mapping, in a random order",
	.before = before_rand,
	.steps = { { "touch", write_rand } },
	FAULT_COMMON,
};
