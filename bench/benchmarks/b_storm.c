// SPDX-License-Identifier: GPL-2.0
/*
 * b_storm.c - mmap/munmap storms.
 *
 * storm:      mmap+munmap pairs of one size on a target, and the same K mmaps and K
 *             munmaps timed apart (the K mappings exist together between the two
 *             steps: consecutive private anonymous ones merge with each other, file
 *             mappings at offset 0 do not; that is the kernel's behaviour, measured).
 * storm-vmas: the same with M extra VMAs kept in the process, to show how the cost
 *             grows with the address space (maple tree depth, unmapped-area search).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "mmapbench.h"

struct storm {
	unsigned long long avail;	/* MemAvailable at setup, bytes */
	void *filler;			/* storm-vmas: the M VMAs */
	size_t filler_len;
};

static int pair(struct mb_ctx *c, size_t i)
{
	void *p = mmap(NULL, c->size, c->prot, c->mflags, c->fd, 0);

	(void)i;
	if (p == MAP_FAILED)
		return -errno;
	return munmap(p, c->size) ? -errno : 0;
}

static int map_one(struct mb_ctx *c, size_t i)
{
	void *p = mmap(NULL, c->size, c->prot, c->mflags, c->fd, 0);

	if (p == MAP_FAILED)
		return -errno;
	c->addr[i] = p;
	return 0;
}

static int unmap_one(struct mb_ctx *c, size_t i)
{
	if (munmap(c->addr[i], c->size))
		return -errno;
	c->addr[i] = NULL;
	return 0;
}

static unsigned long long mem_available(void)
{
	FILE *f = fopen("/proc/meminfo", "re");
	unsigned long long kb = 0;
	char line[128];

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
			break;
	fclose(f);
	return kb << 10;
}

/*
 * MAP_POPULATE is best effort: mmap() succeeds whether or not anything was faulted in
 * (GUP refuses secretmem; VM_IO/VM_PFNMAP mappings are skipped).  Look once, with
 * mincore(), so that a "populate" number is never one of a mapping left empty.
 */
static int check_populate(struct mb_ctx *c)
{
	size_t pages = c->size / c->page, resident = 0;
	unsigned char *vec = malloc(pages);
	void *p;

	if (!vec)
		return mb_fail(c, "out of memory");
	p = mmap(NULL, c->size, c->prot, c->mflags, c->fd, 0);
	if (p == MAP_FAILED) {
		free(vec);
		return mb_fail(c, "mmap: %s", strerror(errno));
	}
	if (mincore(p, c->size, vec)) {
		munmap(p, c->size);
		free(vec);
		return mb_fail(c, "mincore: %s", strerror(errno));
	}
	for (size_t i = 0; i < pages; i++)
		resident += vec[i] & 1;
	munmap(p, c->size);
	free(vec);
	mb_count(c, "populate_check_resident_pages", (long long)resident);
	if (!resident)
		return mb_skip(c, "MAP_POPULATE populates nothing on %s (mincore: 0 of %zu "
			       "pages resident)", c->target, pages);
	return 0;
}

static int storm_setup(struct mb_ctx *c)
{
	struct storm *s;
	int rc;

	if (c->populate) {
		rc = check_populate(c);
		if (rc)
			return rc;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return mb_fail(c, "out of memory");
	s->avail = mem_available();
	c->priv = s;
	return 0;
}

/*
 * Where a pair's mapping lands, looked at once after set-up (untimed): whether it
 * merged with a neighbour (its VMA reaches beyond it) and whether a VMA touches it
 * above or below.  The plain storm claims the new-VMA path (docs/harness.md);
 * storm-beside is the merging one.  Counts placement_merged, placement_above,
 * placement_below: 0 or 1.  Not in an --ops run, which maps exactly --ops times.
 */
static int placement(struct mb_ctx *c)
{
	void *p;
	uintptr_t a, s, e;

	if (!mb_recording(c))
		return 0;
	p = mmap(NULL, c->size, c->prot, c->mflags, c->fd, 0);
	if (p == MAP_FAILED)
		return mb_fail(c, "placement probe mmap: %s", strerror(errno));
	a = (uintptr_t)p;
	if (!mb_vma_at(a, &s, &e))
		mb_count(c, "placement_merged", s < a || e > a + c->size);
	mb_count(c, "placement_above", !mb_vma_at(a + c->size, &s, &e) && s <= a + c->size);
	mb_count(c, "placement_below", a >= c->page && !mb_vma_at(a - 1, &s, &e));
	munmap(p, c->size);
	return 0;
}

static int storm_alone_setup(struct mb_ctx *c)
{
	int rc = storm_setup(c);

	return rc ? rc : placement(c);
}

/* The split steps hold c->batch mappings at once: populated, they hold memory. */
static int storm_before(struct mb_ctx *c)
{
	struct storm *s = c->priv;
	unsigned long long need = (unsigned long long)c->batch * c->size * c->threads;

	if (c->populate && s->avail && need > s->avail / 2)
		return mb_fail(c, "%zu populated mappings of %zu bytes x %d threads exceed "
			       "half of MemAvailable; use a smaller --batch", c->batch,
			       c->size, c->threads);
	return 0;
}

static void storm_teardown(struct mb_ctx *c)
{
	struct storm *s = c->priv;

	for (size_t i = 0; i < c->batch; i++)
		if (c->addr[i])
			munmap(c->addr[i], c->size);
	if (s && s->filler)
		munmap(s->filler, s->filler_len);
	free(s);
	c->priv = NULL;
}

MB_BENCH(storm) = {
	.name = "storm",
	.family = "storm",
	.desc = "mmap+munmap pairs of one size; mmap and munmap also timed apart",
	.flags = MB_F_THREADS | MB_F_FLOOR,
	.sizes = "4k,64k,2m,32m,128m",
	.maps = "private,shared",
	.populate = "no,yes",
	.setup = storm_alone_setup,
	.before = storm_before,
	.steps = {
		{ "mmap+munmap", pair },
		{ "mmap", map_one },
		{ "munmap", unmap_one },
	},
	.teardown = storm_teardown,
};

/* VMAs the process may gain on top of the filler: the split step and some slack. */
#define VMAS_MAX_BATCH	512
#define VMAS_SLACK	(VMAS_MAX_BATCH + 512)

/*
 * M one-page VMAs in one reserved range, alternately read-only and read-write so that
 * no two neighbours merge; the lowest page is read-only, so the read-write mappings
 * of the storm placed just below never merge with the filler either.
 */
static int vmas_setup(struct mb_ctx *c)
{
	long max = mb_max_map_count(), now = mb_count_vmas(0, UINTPTR_MAX), got;
	size_t len = (size_t)c->count * c->page;
	struct storm *s;
	char *p;
	int rc;

	if (now < 0)
		return mb_fail(c, "cannot count VMAs: %s", strerror((int)-now));
	if (max > 0 && now + c->count + VMAS_SLACK > max)
		return mb_skip(c, "vm.max_map_count=%ld is below the %ld VMAs needed "
			       "(%ld + %ld + %d slack); raise it to run this case", max,
			       now + c->count + VMAS_SLACK, now, c->count, VMAS_SLACK);
	rc = storm_setup(c);
	if (rc)
		return rc;
	s = c->priv;
	if (!c->count)
		return 0;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		rc = mb_fail(c, "filler mmap(%zu): %s", len, strerror(errno));
		goto fail;
	}
	s->filler = p;
	s->filler_len = len;
	for (long i = 0; i < c->count; i += 2) {
		if (mprotect(p + (size_t)i * c->page, c->page, PROT_READ)) {
			rc = mb_fail(c, "filler mprotect: %s", strerror(errno));
			goto fail;
		}
	}
	got = mb_count_vmas((uintptr_t)p, (uintptr_t)p + len);
	if (got != c->count) {
		rc = mb_fail(c, "filler has %ld VMAs, wanted %ld", got, c->count);
		goto fail;
	}
	mb_count(c, "filler_vmas", got);
	return 0;
fail:
	storm_teardown(c);
	return rc;
}

MB_BENCH(storm_vmas) = {
	.name = "storm-vmas",
	.family = "storm",
	.desc = "storm with M non-mergeable VMAs already in the process (--count M)",
	.flags = MB_F_SERIAL | MB_F_FLOOR,
	.sizes = "4k",
	.maps = "private",
	.counts = "1,10,100,1000,10000,50000,100000",
	.max_batch = VMAS_MAX_BATCH,
	.setup = vmas_setup,
	.before = storm_before,
	.steps = {
		{ "mmap+munmap", pair },
		{ "mmap", map_one },
		{ "munmap", unmap_one },
	},
	.teardown = storm_teardown,
};

/*
 * storm-beside: the storm's pair where a typical dynamically linked process puts it,
 * beside an anonymous mapping it merges with (issue #13).  The plain storm's mapping
 * sits alone in the static harness (below [vvar]), so each pair takes the new-VMA
 * path; here mmap() merges with a one-page read-write neighbour and munmap() splits
 * it off again.  setup() reserves neighbour + hole + one PROT_NONE guard page (which
 * merges with nothing), the op maps the hole by address hint (no MAP_FIXED) and
 * checks it got it.  Anonymous private only: the only mapping that merges so.
 */
struct beside {
	char *base;		/* neighbour page, then the hole of c->size, then the guard */
	size_t len;
};

static int beside_pair(struct mb_ctx *c, size_t i)
{
	struct beside *b = c->priv;
	char *want = b->base + c->page;
	void *p = mmap(want, c->size, c->prot, c->mflags, -1, 0);

	(void)i;
	if (p == MAP_FAILED)
		return -errno;
	if (p != want) {
		munmap(p, c->size);
		return -EADDRINUSE;
	}
	return munmap(p, c->size) ? -errno : 0;
}

static void beside_teardown(struct mb_ctx *c)
{
	struct beside *b = c->priv;

	if (b && b->base)
		munmap(b->base, b->len);
	free(b);
	c->priv = NULL;
}

static int beside_setup(struct mb_ctx *c)
{
	struct beside *b = calloc(1, sizeof(*b));
	uintptr_t lo;
	long merged, apart;
	void *p;

	if (!b)
		return mb_fail(c, "out of memory");
	c->priv = b;
	b->len = c->page + c->size + c->page;
	p = mmap(NULL, b->len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		int e = errno;

		beside_teardown(c);
		return mb_fail(c, "reserving %zu bytes: %s", c->page + c->size + c->page,
			       strerror(e));
	}
	b->base = p;
	lo = (uintptr_t)p;
	if (mprotect(b->base, c->page, c->prot) || munmap(b->base + c->page, c->size)) {
		beside_teardown(c);
		return mb_fail(c, "neighbour and hole: %s", strerror(errno));
	}
	apart = mb_count_vmas(lo, lo + b->len);	/* neighbour, guard */
	p = mmap(b->base + c->page, c->size, c->prot, c->mflags, -1, 0);
	merged = p == b->base + c->page ? mb_count_vmas(lo, lo + b->len) : -1;
	if (p != MAP_FAILED)
		munmap(p, c->size);
	if (apart != 2 || merged != 2) {
		beside_teardown(c);
		return mb_fail(c, "the mapping did not merge with its neighbour (%ld VMAs "
			       "apart, %ld mapped; want 2 and 2)", apart, merged);
	}
	mb_count(c, "beside.merged_vmas", merged);
	return 0;
}

MB_BENCH(storm_beside) = {
	.name = "storm-beside",
	.family = "storm",
	.desc = "storm pairs that merge with an anonymous neighbour and split off again",
	.flags = MB_F_FLOOR,
	.targets = "anon",
	.sizes = "4k,64k,2m",
	.maps = "private",
	.populate = "no,yes",
	.setup = beside_setup,
	.steps = { { "mmap+munmap", beside_pair } },
	.teardown = beside_teardown,
};
