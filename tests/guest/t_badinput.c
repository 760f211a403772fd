// SPDX-License-Identifier: GPL-2.0
/*
 * The bad-input matrix: every device this kernel has, under every flag profile,
 * fed offsets, lengths and address-space operations a driver must survive, each
 * with the outcome it must have.  Pool pages are checked by content: a wrong page
 * shows a wrong pattern, a page past the pool must raise SIGBUS.
 *
 *   t_badinput               the matrix (TAP)
 *   t_badinput zero-pool     exit 0 iff every pool page reads zero through both devices
 *   t_badinput fill-pool B   write byte B over the whole pool
 *   t_badinput hold DEV FILE map DEV, close it, touch the page, create FILE, sleep
 *   t_badinput splice DEV READY GO
 *                           vmsplice a pool page into a pipe, unmap and close it,
 *                           create READY, wait for GO, then read the pipe: exit 0
 *                           iff the page's pattern comes back (the module may be
 *                           gone by then: the pipe holds the page, not the file)
 *
 * The subcommands serve t_params.t.sh (reloads, rmmod while mapped).
 */
#include "tap.h"
#include "mbtest.h"

#include <stdint.h>
#include <sys/uio.h>
#include <sys/wait.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define PG 4096UL
#define N 4			/* pages per mapping in the mremap cases */
#define REGION 64		/* pool pages each device/profile pair writes */

struct ctx {
	const char *dev;	/* device node */
	const char *name;	/* legacy | prepare */
	const char *prof;	/* profile */
	int legacy, special, none;
	unsigned long pool;	/* pages */
	unsigned long base;	/* first pool page of this pair's region */
	uint64_t salt;
	char tag[48];		/* "legacy/none" */
};

static int open_dev(const struct ctx *c, int flags)
{
	int fd = open(c->dev, flags);

	if (fd < 0)
		diag("%s: open: %s", c->dev, strerror(errno));
	return fd;
}

/* mmap of PAGES pages at pool page PGOFF; errno kept on failure. */
static void *map(int fd, void *addr, unsigned long pages, int prot, int flags, unsigned long pgoff)
{
	return mmap(addr, pages * PG, prot, flags, fd, (off_t)(pgoff * PG));
}

static const char *res(void *p, int err)
{
	return p == MAP_FAILED ? strerror(err) : "a mapping";
}

/* A free range of PAGES pages, found by mapping and unmapping it. */
static char *free_range(unsigned long pages)
{
	void *p = mmap(NULL, pages * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	munmap(p, pages * PG);
	return p;
}

static uint64_t pat(const struct ctx *c, unsigned long pgoff, int which)
{
	return c->salt ^ ((uint64_t)which << 40) ^ (pgoff * 0x9e3779b97f4a7c15ULL) ^ 0x5555;
}

/* Write pattern WHICH into pool pages [pgoff, pgoff+pages) through a shared mapping. */
static int seed_pool(const struct ctx *c, unsigned long pgoff, unsigned long pages, int which)
{
	int fd = open_dev(c, O_RDWR);
	char *p;

	if (fd < 0)
		return -1;
	p = map(fd, NULL, pages, PROT_READ | PROT_WRITE, MAP_SHARED, pgoff);
	close(fd);
	if (p == MAP_FAILED)
		return -1;
	for (unsigned long i = 0; i < pages; i++) {
		uint64_t v = pat(c, pgoff + i, which);

		mb_touch(p + i * PG, MB_FILL, &v);
	}
	munmap(p, pages * PG);
	return 0;
}

/* The first word of pool page PGOFF, through a fresh shared mapping. */
static int pool_word(const struct ctx *c, unsigned long pgoff, uint64_t *v)
{
	int fd = open_dev(c, O_RDONLY), sig;
	char *p;

	if (fd < 0)
		return -1;
	p = map(fd, NULL, 1, PROT_READ, MAP_SHARED, pgoff);
	close(fd);
	if (p == MAP_FAILED)
		return -1;
	sig = mb_touch(p, MB_READ, v);
	munmap(p, PG);
	return sig ? -1 : 0;
}

/* Do pages [0, pages) at P show pool pages [pgoff, ...) with pattern WHICH? */
static int shows(const struct ctx *c, char *p, unsigned long pages, unsigned long pgoff, int which)
{
	for (unsigned long i = 0; i < pages; i++) {
		uint64_t v = 0;

		if (mb_touch(p + i * PG, MB_READ, &v) || v != pat(c, pgoff + i, which) ||
		    mb_touch(p + i * PG + PG - 8, MB_READ, &v) || v != pat(c, pgoff + i, which))
			return 0;
	}
	return 1;
}

static void bad_offsets_lengths(const struct ctx *c)
{
	static const struct {
		const char *what;
		unsigned long len;
		long long off;	/* <0: from the pool's end (pages) */
		int want1, want2;
	} cases[] = {
		{ "offset at the pool's end", PG, -1, EINVAL, 0 },
		{ "offset 1 GiB past the pool", PG, -2, EINVAL, 0 },
		{ "length 0", 0, 0, EINVAL, 0 },
		{ "length pool + 1 page", 0, 0, EINVAL, 0 },
		{ "2 pages from the pool's last page", 2 * PG, -3, EINVAL, 0 },
		{ "length 1<<46", 1UL << 46, 0, EINVAL, ENOMEM },
		{ "length SIZE_MAX & ~4095", SIZE_MAX & ~4095UL, 0, ENOMEM, EINVAL },
		{ "offset 1<<62", PG, 1LL << 62, EINVAL, 0 },
		{ "offset 2^64 - 4096", PG, -4, EOVERFLOW, EINVAL },
		{ "unaligned offset 100", PG, 100, EINVAL, 0 },
		{ "unaligned offset 2048", PG, 2048, EINVAL, 0 },
	};
	int fd = open_dev(c, O_RDWR);

	if (fd < 0)
		return;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned long len = cases[i].len;
		off_t off = (off_t)cases[i].off;
		void *p;
		int err;

		if (i == 3)
			len = (c->pool + 1) * PG;
		switch (cases[i].off) {
		case -1: off = (off_t)(c->pool * PG); break;
		case -2: off = (off_t)(c->pool * PG + (1UL << 30)); break;
		case -3: off = (off_t)((c->pool - 1) * PG); break;
		case -4: off = (off_t)(~0UL - PG + 1); break;
		}
		errno = 0;
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
		err = errno;
		if (cases[i].want2)
			ok(p == MAP_FAILED && (err == cases[i].want1 || err == cases[i].want2),
			   "%s: %s: %s or %s (got %s)", c->tag, cases[i].what, strerrorname_np(cases[i].want1),
			   strerrorname_np(cases[i].want2), p == MAP_FAILED ? strerrorname_np(err) : "a mapping");
		else
			ok(p == MAP_FAILED && err == cases[i].want1, "%s: %s: %s (got %s)", c->tag,
			   cases[i].what, strerrorname_np(cases[i].want1),
			   p == MAP_FAILED ? strerrorname_np(err) : "a mapping");
		if (p != MAP_FAILED)
			munmap(p, len);
	}
	close(fd);
}

static void read_only_fd(const struct ctx *c)
{
	int fd = open_dev(c, O_RDONLY), err;
	char *p;

	if (fd < 0)
		return;
	p = map(fd, NULL, 1, PROT_READ | PROT_WRITE, MAP_SHARED, c->base);
	err = errno;
	ok(p == MAP_FAILED && err == EACCES, "%s: O_RDONLY fd, MAP_SHARED PROT_WRITE: EACCES (got %s)",
	   c->tag, res(p, err));
	if (p != MAP_FAILED)
		munmap(p, PG);
	p = map(fd, NULL, 1, PROT_READ, MAP_SHARED, c->base);
	if (ok(p != MAP_FAILED, "%s: O_RDONLY fd, MAP_SHARED PROT_READ maps", c->tag)) {
		int r = mprotect(p, PG, PROT_READ | PROT_WRITE);

		err = errno;
		ok(r == -1 && err == EACCES, "%s: ... and mprotect to PROT_WRITE fails with EACCES (got %s)",
		   c->tag, r ? strerror(err) : "success");
		munmap(p, PG);
	}
	close(fd);
}

static void private_write(const struct ctx *c)
{
	unsigned long pg = c->base;
	int fd = open_dev(c, O_RDWR), sig;
	uint64_t v = 0, w = 0xdeadbeefULL ^ c->salt;
	char *p;

	if (fd < 0 || seed_pool(c, pg, 1, 1))
		goto out;
	p = map(fd, NULL, 1, PROT_READ | PROT_WRITE, MAP_PRIVATE, pg);
	if (!ok(p != MAP_FAILED, "%s: MAP_PRIVATE maps", c->tag))
		goto out;
	ok(shows(c, p, 1, pg, 1), "%s: MAP_PRIVATE reads the pool's data", c->tag);
	sig = mb_touch(p, MB_FILL, &w);
	ok(sig == 0 && mb_touch(p + 8, MB_READ, &v) == 0 && v == w,
	   "%s: a MAP_PRIVATE write succeeds and is seen in the private mapping (%s)", c->tag, mb_signame(sig));
	v = 0;
	ok(pool_word(c, pg, &v) == 0 && v == pat(c, pg, 1),
	   "%s: the pool page is unchanged by the MAP_PRIVATE write", c->tag);
	munmap(p, PG);
out:
	if (fd >= 0)
		close(fd);
}

static void protect(const struct ctx *c)
{
	unsigned long pg = c->base + 2;
	int fd = open_dev(c, O_RDWR), sig, r;
	uint64_t x = 0x1111 ^ c->salt, y = 0x2222 ^ c->salt, v = 0;
	char *p;

	if (fd < 0)
		return;
	p = map(fd, NULL, 1, PROT_READ | PROT_WRITE, MAP_SHARED, pg);
	close(fd);
	if (!ok(p != MAP_FAILED, "%s: MAP_SHARED RW maps", c->tag))
		return;
	mb_touch(p, MB_WRITE, &x);
	r = mprotect(p, PG, PROT_READ);
	ok(r == 0, "%s: mprotect down to PROT_READ (%s)", c->tag, r ? strerror(errno) : "ok");
	sig = mb_touch(p, MB_WRITE, &y);
	ok(sig == SIGSEGV, "%s: a write after mprotect(PROT_READ) raises SIGSEGV (%s)", c->tag, mb_signame(sig));
	ok(mb_touch(p, MB_READ, &v) == 0 && v == x, "%s: reads still work and see the old data", c->tag);
	r = mprotect(p, PG, PROT_NONE);
	sig = mb_touch(p, MB_READ, &v);
	ok(r == 0 && sig == SIGSEGV, "%s: PROT_NONE: a read raises SIGSEGV (%s)", c->tag, mb_signame(sig));
	r = mprotect(p, PG, PROT_READ | PROT_WRITE);
	ok(r == 0, "%s: mprotect back up to PROT_READ|PROT_WRITE (%s)", c->tag, r ? strerror(errno) : "ok");
	sig = mb_touch(p, MB_WRITE, &y);
	ok(sig == 0, "%s: the write now succeeds (%s)", c->tag, mb_signame(sig));
	ok(pool_word(c, pg, &v) == 0 && v == y, "%s: ... and reaches the pool", c->tag);
	munmap(p, PG);
}

/* Map PAGES pages at pool page PGOFF at ADDR exactly (in a free range); NULL on failure. */
static char *map_at(const struct ctx *c, int fd, char *addr, unsigned long pages, unsigned long pgoff)
{
	char *p = map(fd, addr, pages, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED_NOREPLACE, pgoff);

	if (p == MAP_FAILED) {
		diag("%s: mmap at %p: %s", c->tag, (void *)addr, strerror(errno));
		return NULL;
	}
	if (p != addr) {
		munmap(p, pages * PG);
		return NULL;
	}
	return p;
}

static void remap(const struct ctx *c)
{
	unsigned long pg = c->base + 8;		/* 2N pages of pattern 2 */
	unsigned long end = c->pool - N;	/* the pool's last N pages */
	int fd = open_dev(c, O_RDWR), sig;
	char *a, *p, *q, *guard;
	uint64_t v;

	if (fd < 0 || seed_pool(c, pg, 2 * N, 2) || seed_pool(c, end, N, 3))
		goto out;

	/* Grow in place, inside the pool. */
	a = free_range(4 * N);
	p = a ? map_at(c, fd, a, N, pg) : NULL;
	if (!ok(p, "%s: mremap: N pages map at a chosen address", c->tag))
		goto out;
	q = mremap(p, N * PG, 2 * N * PG, 0);
	if (c->special) {
		ok(q == MAP_FAILED && errno == EFAULT,
		   "%s: mremap grow in place: EFAULT (VM_DONTEXPAND) (got %s)", c->tag, res(q, errno));
		munmap(p, N * PG);
	} else {
		ok(q == p, "%s: mremap grow in place succeeds (%s)", c->tag, res(q, errno));
		if (q == p)
			ok(shows(c, q, 2 * N, pg, 2), "%s: the grown mapping shows the next pool pages", c->tag);
		munmap(p, 2 * N * PG);
	}

	/* Grow by moving: a guard page sits right after the mapping. */
	a = free_range(2 * N);
	p = a ? map_at(c, fd, a, N, pg) : NULL;
	guard = p ? mmap(p + N * PG, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0)
		  : MAP_FAILED;
	if (!ok(p && guard == p + N * PG, "%s: mremap: N pages map, with a guard page after", c->tag))
		goto out;
	q = mremap(p, N * PG, 2 * N * PG, MREMAP_MAYMOVE);
	if (c->special) {
		ok(q == MAP_FAILED && errno == EFAULT,
		   "%s: mremap grow with MREMAP_MAYMOVE: EFAULT (VM_DONTEXPAND) (got %s)", c->tag, res(q, errno));
		if (q == MAP_FAILED)
			munmap(p, N * PG);
	} else {
		ok(q != MAP_FAILED && q != p, "%s: mremap grow with MREMAP_MAYMOVE moves the mapping (%s)",
		   c->tag, res(q, errno));
		if (q != MAP_FAILED) {
			ok(shows(c, q, 2 * N, pg, 2), "%s: the moved mapping keeps its pages and grows into the next ones",
			   c->tag);
			sig = mb_touch(p, MB_READ, &v);
			ok(sig == SIGSEGV, "%s: the old address is unmapped (%s)", c->tag, mb_signame(sig));
			munmap(q, 2 * N * PG);
		}
	}
	munmap(guard, PG);

	/* Grow past the pool's end: mremap calls no hook, so .fault must refuse. */
	a = free_range(4 * N);
	p = a ? map_at(c, fd, a, N, end) : NULL;
	if (!ok(p, "%s: the pool's last N pages map", c->tag))
		goto out;
	q = mremap(p, N * PG, 2 * N * PG, 0);
	if (c->special) {
		ok(q == MAP_FAILED && errno == EFAULT, "%s: mremap past the pool: EFAULT (VM_DONTEXPAND) (got %s)",
		   c->tag, res(q, errno));
		munmap(p, N * PG);
	} else {
		long sb0 = mb_counter(c->name, MMAPBENCH_COUNTER_SIGBUS);
		int s1, s2;

		ok(q == p, "%s: mremap grow past the pool's end succeeds (no hook sees it) (%s)", c->tag, res(q, errno));
		if (q == p) {
			ok(shows(c, q, N, end, 3), "%s: ... the pages inside the pool keep their data", c->tag);
			s1 = mb_touch(q + N * PG, MB_READ, &v);
			s2 = mb_touch(q + (2 * N - 1) * PG, MB_WRITE, &v);
			ok(s1 == SIGBUS && s2 == SIGBUS,
			   "%s: ... touching the pages past the pool raises SIGBUS (read: %s, write: %s)",
			   c->tag, mb_signame(s1), mb_signame(s2));
			ok(mb_counter(c->name, MMAPBENCH_COUNTER_SIGBUS) - sb0 == 2, "%s: ... and the sigbus counter counts 2", c->tag);
			munmap(q, 2 * N * PG);
		}
	}

	/* The same past the end, moving. */
	a = free_range(2 * N);
	p = a ? map_at(c, fd, a, N, end) : NULL;
	guard = p ? mmap(p + N * PG, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0)
		  : MAP_FAILED;
	if (p && guard == p + N * PG && !c->special) {
		q = mremap(p, N * PG, 2 * N * PG, MREMAP_MAYMOVE);
		ok(q != MAP_FAILED && q != p, "%s: mremap MAYMOVE past the pool's end moves (%s)", c->tag, res(q, errno));
		if (q != MAP_FAILED) {
			int s1 = mb_touch(q + N * PG, MB_READ, &v);

			ok(shows(c, q, N, end, 3) && s1 == SIGBUS,
			   "%s: ... pool pages kept, the first page past the pool raises SIGBUS (%s)", c->tag,
			   mb_signame(s1));
			munmap(q, 2 * N * PG);
		}
	} else if (p) {
		munmap(p, N * PG);
	}
	if (guard != MAP_FAILED)
		munmap(guard, PG);

	/* Shrink in place, then shrink while moving to a chosen address. */
	a = free_range(2 * N);
	p = a ? map_at(c, fd, a, 2 * N, pg) : NULL;
	if (!ok(p, "%s: 2N pages map", c->tag))
		goto out;
	q = mremap(p, 2 * N * PG, N * PG, 0);
	ok(q == p, "%s: mremap shrink in place (%s)", c->tag, res(q, errno));
	sig = mb_touch(p + N * PG, MB_READ, &v);
	ok(q == p && shows(c, p, N, pg, 2) && sig == SIGSEGV,
	   "%s: ... the first N pages kept, the cut page unmapped (%s)", c->tag, mb_signame(sig));
	munmap(p, 2 * N * PG);

	a = free_range(6 * N);
	p = a ? map_at(c, fd, a, 2 * N, pg) : NULL;
	if (!ok(p, "%s: 2N pages map again", c->tag))
		goto out;
	q = mremap(p, 2 * N * PG, N * PG, MREMAP_MAYMOVE | MREMAP_FIXED, a + 4 * N * PG);
	ok(q == a + 4 * N * PG, "%s: mremap shrink and move to a chosen address (%s)", c->tag, res(q, errno));
	sig = mb_touch(p, MB_READ, &v);
	ok(q == a + 4 * N * PG && shows(c, q, N, pg, 2) && sig == SIGSEGV,
	   "%s: ... the moved pages show the pool, the old address is unmapped (%s)", c->tag, mb_signame(sig));
	munmap(a, 6 * N * PG);

	/* Move without resizing: allowed even for VM_DONTEXPAND. */
	a = free_range(4 * N);
	p = a ? map_at(c, fd, a, N, pg) : NULL;
	if (p) {
		q = mremap(p, N * PG, N * PG, MREMAP_MAYMOVE | MREMAP_FIXED, a + 2 * N * PG);
		ok(q == a + 2 * N * PG && shows(c, q, N, pg, 2),
		   "%s: mremap move without resizing keeps the pages (%s)", c->tag, res(q, errno));
		munmap(a, 4 * N * PG);
	}
out:
	if (fd >= 0)
		close(fd);
}

static void dontneed(const struct ctx *c)
{
	unsigned long pg = c->base + 24;
	int fd = open_dev(c, O_RDWR), r;
	uint64_t x = 0x3333 ^ c->salt, y = 0x4444 ^ c->salt, v = 0;
	char *s, *p;

	if (fd < 0)
		return;
	s = map(fd, NULL, 1, PROT_READ | PROT_WRITE, MAP_SHARED, pg);
	p = map(fd, NULL, 1, PROT_READ | PROT_WRITE, MAP_PRIVATE, pg);
	close(fd);
	if (!ok(s != MAP_FAILED && p != MAP_FAILED, "%s: a shared and a private mapping of one page", c->tag))
		goto out;
	mb_touch(s, MB_FILL, &x);
	r = madvise(s, PG, MADV_DONTNEED);
	ok(r == 0, "%s: MADV_DONTNEED on the shared mapping (%s)", c->tag, r ? strerror(errno) : "ok");
	ok(mb_touch(s + 16, MB_READ, &v) == 0 && v == x, "%s: ... a re-fault still sees the data", c->tag);
	mb_touch(p, MB_FILL, &y);	/* COW: a private copy */
	r = madvise(p, PG, MADV_DONTNEED);
	ok(r == 0, "%s: MADV_DONTNEED on the written private mapping (%s)", c->tag, r ? strerror(errno) : "ok");
	ok(mb_touch(p + 16, MB_READ, &v) == 0 && v == x,
	   "%s: ... drops the private copy: a re-fault sees the pool again", c->tag);
out:
	if (s != MAP_FAILED)
		munmap(s, PG);
	if (p != MAP_FAILED)
		munmap(p, PG);
}

static void forked(const struct ctx *c)
{
	unsigned long pg = c->base + 28;
	int fd = open_dev(c, O_RDWR), st = -1;
	uint64_t x = 0x5555 ^ c->salt, y = 0x6666 ^ c->salt, z = 0x7777 ^ c->salt, v = 0;
	char *s, *p;
	pid_t pid;

	if (fd < 0)
		return;
	s = map(fd, NULL, 2, PROT_READ | PROT_WRITE, MAP_SHARED, pg);
	p = map(fd, NULL, 1, PROT_READ | PROT_WRITE, MAP_PRIVATE, pg);
	close(fd);
	if (!ok(s != MAP_FAILED && p != MAP_FAILED, "%s: fork: shared and private mappings live", c->tag))
		goto out;
	mb_touch(s, MB_WRITE, &x);
	mb_touch(s + PG, MB_WRITE, &x);
	mb_touch(p + 8, MB_READ, &v);	/* the private page mapped, not copied */
	pid = fork();
	if (pid == 0) {
		/* The child faults its own page tables: same data, writes shared back. */
		int bad = mb_touch(s, MB_READ, &v) || v != x;

		bad |= mb_touch(s + PG, MB_WRITE, &y) != 0;
		bad |= mb_touch(p, MB_WRITE, &z) != 0;
		_exit(bad);
	}
	waitpid(pid, &st, 0);
	ok(pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "%s: the child sees the parent's data and writes without a signal (status %#x)", c->tag, st);
	ok(mb_touch(s + PG, MB_READ, &v) == 0 && v == y, "%s: the parent sees the child's shared write", c->tag);
	ok(mb_touch(p, MB_READ, &v) == 0 && v == x, "%s: the parent's private page is not the child's copy",
	   c->tag);
	ok(mb_touch(s, MB_WRITE, &z) == 0 && mb_touch(s, MB_READ, &v) == 0 && v == z,
	   "%s: the parent still writes its shared mapping after the fork", c->tag);
out:
	if (s != MAP_FAILED)
		munmap(s, 2 * PG);
	if (p != MAP_FAILED)
		munmap(p, PG);
}

/*
 * A range past the pool placed right after a mapping of the pool's last page.
 * With a legacy .mmap and profile none, the new range merges with its neighbour
 * before any hook runs (see mmapbench.c): it maps, and .fault must SIGBUS.  In
 * every other case the hook runs and refuses it.
 */
static void merged_past_pool(const struct ctx *c)
{
	int fd = open_dev(c, O_RDWR), err, merges = c->legacy && c->none;
	long h0, sb0;
	char *a, *p, *q;
	uint64_t v;

	if (fd < 0)
		return;
	a = free_range(8);
	p = a ? map_at(c, fd, a, 1, c->pool - 1) : NULL;
	if (!ok(p, "%s: the pool's last page maps", c->tag))
		goto out;
	h0 = mb_counter(c->name, MMAPBENCH_COUNTER_HOOK_CALLS);
	sb0 = mb_counter(c->name, MMAPBENCH_COUNTER_SIGBUS);
	q = map(fd, p + PG, 4, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED_NOREPLACE, c->pool);
	err = errno;
	if (merges) {
		int s1, s2;

		ok(q == p + PG, "%s: 4 pages past the pool, after its last page: mapped by a merge (%s)",
		   c->tag, res(q, err));
		ok(mb_counter(c->name, MMAPBENCH_COUNTER_HOOK_CALLS) == h0 && mb_vmas_in((unsigned long)p, (unsigned long)p + 5 * PG) == 1,
		   "%s: ... without a hook call, into one VMA", c->tag);
		s1 = mb_touch(p + PG, MB_READ, &v);
		s2 = mb_touch(p + 4 * PG, MB_WRITE, &v);
		ok(s1 == SIGBUS && s2 == SIGBUS, "%s: ... touching it raises SIGBUS, never a wild page (%s, %s)",
		   c->tag, mb_signame(s1), mb_signame(s2));
		ok(mb_counter(c->name, MMAPBENCH_COUNTER_SIGBUS) - sb0 == 2, "%s: ... the sigbus counter counts 2", c->tag);
		ok(mb_touch(p, MB_READ, &v) == 0, "%s: ... the pool's last page still reads", c->tag);
	} else {
		ok(q == MAP_FAILED && err == EINVAL,
		   "%s: 4 pages past the pool, after its last page: EINVAL from the hook (got %s)", c->tag, res(q, err));
		ok(mb_counter(c->name, MMAPBENCH_COUNTER_HOOK_CALLS) == h0 + 1, "%s: ... the hook ran once", c->tag);
	}
	if (q != MAP_FAILED)
		munmap(q, 4 * PG);
	munmap(p, PG);
out:
	close(fd);
}

static void unmap_middle(const struct ctx *c)
{
	unsigned long pg = c->base + 32;
	int fd = open_dev(c, O_RDWR), sig, r;
	uint64_t v, w = 0x8888 ^ c->salt;
	char *p;

	if (fd < 0 || seed_pool(c, pg, 3 * N, 4)) {
		if (fd >= 0)
			close(fd);
		return;
	}
	p = map(fd, NULL, 3 * N, PROT_READ | PROT_WRITE, MAP_SHARED, pg);
	close(fd);
	if (!ok(p != MAP_FAILED, "%s: 3N pages map", c->tag))
		return;
	r = munmap(p + N * PG, N * PG);
	ok(r == 0 && mb_vmas_in((unsigned long)p, (unsigned long)p + 3 * N * PG) == 2,
	   "%s: munmap of the middle third leaves two VMAs", c->tag);
	ok(shows(c, p, N, pg, 4) && shows(c, p + 2 * N * PG, N, pg + 2 * N, 4),
	   "%s: ... both show their pool pages", c->tag);
	ok(mb_touch(p, MB_WRITE, &w) == 0 && mb_touch(p + 3 * N * PG - 8, MB_WRITE, &w) == 0 &&
	   pool_word(c, pg, &v) == 0 && v == w, "%s: ... both still take writes", c->tag);
	sig = mb_touch(p + N * PG, MB_READ, &v);
	ok(sig == SIGSEGV, "%s: ... the hole raises SIGSEGV (%s)", c->tag, mb_signame(sig));
	munmap(p, 3 * N * PG);
}

static void close_while_mapped(const struct ctx *c)
{
	unsigned long pg = c->base + 48;
	int fd = open_dev(c, O_RDWR);
	uint64_t v = 0, w = 0x9999 ^ c->salt;
	char *p;

	if (fd < 0)
		return;
	p = map(fd, NULL, 1, PROT_READ | PROT_WRITE, MAP_SHARED, pg);
	ok(close(fd) == 0 && p != MAP_FAILED, "%s: close(fd) with the mapping live", c->tag);
	if (p == MAP_FAILED)
		return;
	ok(mb_touch(p, MB_FILL, &w) == 0 && mb_touch(p + 8, MB_READ, &v) == 0 && v == w,
	   "%s: ... the mapping still faults, reads and writes", c->tag);
	ok(pool_word(c, pg, &v) == 0 && v == w, "%s: ... and its writes reach the pool", c->tag);
	munmap(p, PG);
}

/*
 * Every check and the claims it makes for a device/profile pair: a check that stops
 * early (a device that does not open, a mapping that fails) has the claims it did
 * not make counted as failures, so the plan holds whatever happens.
 */
static const struct check {
	const char *name;
	void (*run)(const struct ctx *c);
	int claims, special, merges;	/* claims; under profile special; when merged_past_pool merges */
} checks[] = {
	{ "bad offsets and lengths", bad_offsets_lengths, 11, 11, 11 },
	{ "read-only fd", read_only_fd, 3, 3, 3 },
	{ "MAP_PRIVATE write", private_write, 4, 4, 4 },
	{ "mprotect", protect, 8, 8, 8 },
	{ "mremap", remap, 21, 13, 21 },
	{ "MADV_DONTNEED", dontneed, 5, 5, 5 },
	{ "fork", forked, 5, 5, 5 },
	{ "a range merged past the pool", merged_past_pool, 3, 3, 6 },
	{ "munmap of the middle", unmap_middle, 5, 5, 5 },
	{ "close while mapped", close_while_mapped, 3, 3, 3 },
};

static int check_claims(const struct check *k, const struct ctx *c)
{
	return c->special ? k->special : c->legacy && c->none ? k->merges : k->claims;
}

/* The claims of one device/profile pair: "profile set", then every check's. */
static int pair_claims(const struct ctx *c)
{
	int n = 1;

	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		n += check_claims(&checks[i], c);
	return n;
}

static int set_profile(const char *prof)
{
	return mb_write_str(MB_PARAM MMAPBENCH_PARAM_PROFILE, prof);
}

/* Zero the pool pages this run wrote: later tests expect a clean pool. */
static void scrub(const char *dev, unsigned long pgoff, unsigned long pages)
{
	int fd = open(dev, O_RDWR);
	char *p;

	if (fd < 0)
		return;
	p = mmap(NULL, pages * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)(pgoff * PG));
	close(fd);
	if (p == MAP_FAILED)
		return;
	memset(p, 0, pages * PG);
	munmap(p, pages * PG);
}

/* t_badinput zero-pool: every page of the pool, through every device, reads zero. */
static int zero_pool(void)
{
	const char *devs[] = { MB_DEV_LEGACY, MB_DEV_PREPARE };
	unsigned long pages = mb_pool_pages(), bad = 0;
	int nd = mb_have_prepare() ? 2 : 1;

	if (!pages)
		return 2;
	for (int d = 0; d < nd; d++) {
		int fd = open(devs[d], O_RDONLY);
		uint64_t *p;

		if (fd < 0)
			return 2;
		p = mmap(NULL, pages * PG, PROT_READ, MAP_SHARED, fd, 0);
		close(fd);
		if (p == MAP_FAILED)
			return 2;
		for (unsigned long i = 0; i < pages; i++) {
			for (size_t w = 0; w < PG / 8; w++) {
				if (p[i * PG / 8 + w]) {
					if (bad++ < 5)
						printf("# %s: page %lu word %zu is %#llx\n", devs[d], i, w,
						       (unsigned long long)p[i * PG / 8 + w]);
					break;
				}
			}
		}
		printf("# %s: %lu pages read, %lu not zero\n", devs[d], pages, bad);
		munmap(p, pages * PG);
	}
	return bad != 0;
}

static int fill_pool(const char *byte)
{
	unsigned long pages = mb_pool_pages();
	int fd = open(MB_DEV_LEGACY, O_RDWR);
	char *p;

	if (!pages || fd < 0)
		return 2;
	p = mmap(NULL, pages * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return 2;
	memset(p, (int)strtol(byte, NULL, 0), pages * PG);
	munmap(p, pages * PG);
	return 0;
}

/* t_badinput hold DEV FILE: keep a mapping (and nothing else) of DEV alive. */
static int hold(const char *dev, const char *ready)
{
	int fd = open(dev, O_RDWR);
	char *p;

	if (fd < 0)
		return 2;
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return 2;
	*(volatile char *)p;
	fd = open(ready, O_WRONLY | O_CREAT, 0644);
	if (fd < 0)
		return 2;
	close(fd);
	for (;;)
		pause();
}

static int splice_hold(const char *dev, const char *ready, const char *go)
{
	const uint64_t v = 0x5b1ced0ff1ce5eedULL;
	int fd = open(dev, O_RDWR), pfd[2];
	struct iovec iov;
	uint64_t *p, buf[PG / 8];
	ssize_t n = 0;

	if (fd < 0 || pipe(pfd))
		return 2;
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return 2;
	for (size_t i = 0; i < PG / 8; i++)
		p[i] = v;
	iov.iov_base = p;
	iov.iov_len = PG;
	if (vmsplice(pfd[1], &iov, 1, 0) != (ssize_t)PG)
		return 2;
	memset(p, 0, PG);	/* the pipe holds the page itself: it sees this too */
	p[0] = v;
	munmap(p, PG);
	fd = open(ready, O_WRONLY | O_CREAT, 0644);
	if (fd < 0)
		return 2;
	close(fd);
	while (access(go, F_OK))
		usleep(20000);
	while (n < (ssize_t)PG) {
		ssize_t r = read(pfd[0], (char *)buf + n, PG - n);

		if (r <= 0)
			return 1;
		n += r;
	}
	return buf[0] == v && buf[1] == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	static const char *const profiles[] = MB_PROFILES_INIT;
	char prof0[32] = MMAPBENCH_PROFILE_DEFAULT, what[96];
	unsigned long pool;
	int ndev, pair = 0, nplan;

	mb_catch_faults();
	if (argc == 2 && !strcmp(argv[1], "zero-pool"))
		return zero_pool();
	if (argc == 3 && !strcmp(argv[1], "fill-pool"))
		return fill_pool(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "hold"))
		return hold(argv[2], argv[3]);
	if (argc == 5 && !strcmp(argv[1], "splice"))
		return splice_hold(argv[2], argv[3], argv[4]);
	if (argc != 1) {
		fprintf(stderr, "usage: t_badinput [zero-pool | fill-pool BYTE | hold DEV READY | splice DEV READY GO]\n");
		return 2;
	}

	pool = mb_pool_pages();
	ndev = mb_have_prepare() ? 2 : 1;
	/* The plan: the pool's claim, every pair's, the shared pool's with two devices. */
	nplan = 1 + (ndev == 2);
	for (int d = 0; d < ndev; d++) {
		for (size_t i = 0; i < 3; i++) {
			struct ctx c = { .legacy = !d, .none = i == 0, .special = i == 2 };

			nplan += pair_claims(&c);
		}
	}
	tap_plan(nplan);
	if (!ok(pool >= 1024, "the module is loaded with a pool of at least 4 MiB (%lu pages)", pool))
		return tap_done();
	diag("pool %lu pages, devices: %s", pool, ndev == 2 ? MMAPBENCH_DBG_LEGACY " " MMAPBENCH_DBG_PREPARE : MMAPBENCH_DBG_LEGACY);
	mb_read_line(MB_PARAM MMAPBENCH_PARAM_PROFILE, prof0, sizeof(prof0));

	for (int d = 0; d < ndev; d++) {
		for (size_t i = 0; i < 3; i++, pair++) {
			struct ctx c = {
				.dev = d ? MB_DEV_PREPARE : MB_DEV_LEGACY,
				.name = d ? MMAPBENCH_DBG_PREPARE : MMAPBENCH_DBG_LEGACY,
				.prof = profiles[i],
				.legacy = !d,
				.none = i == 0,
				.special = i == 2,
				.pool = pool,
				/* Past t_module's first 3 MiB; each pair its own pages. */
				.base = 1024 + (unsigned long)pair * REGION,
				.salt = 0x0123456789abcdefULL * (uint64_t)(pair + 1),
			};

			snprintf(c.tag, sizeof(c.tag), "%s/%s", c.name, c.prof);
			if (!ok(set_profile(c.prof) == 0, "%s: profile set", c.tag)) {
				snprintf(what, sizeof(what), "%s: the profile is not set", c.tag);
				tap_lost(pair_claims(&c) - 1, what);
				continue;
			}
			for (size_t k = 0; k < sizeof(checks) / sizeof(checks[0]); k++) {
				int mark = tap_run;

				checks[k].run(&c);
				snprintf(what, sizeof(what), "%s: %s", c.tag, checks[k].name);
				tap_claims(mark, check_claims(&checks[k], &c), what);
			}
		}
	}

	/* One pool behind both devices. */
	if (ndev == 2) {
		struct ctx l = { .dev = MB_DEV_LEGACY, .name = MMAPBENCH_DBG_LEGACY, .salt = 42 };
		struct ctx p = { .dev = MB_DEV_PREPARE, .name = MMAPBENCH_DBG_PREPARE, .salt = 42 };
		uint64_t v = 0;

		seed_pool(&l, 1024 + 6 * REGION, 1, 9);
		ok(pool_word(&p, 1024 + 6 * REGION, &v) == 0 && v == pat(&p, 1024 + 6 * REGION, 9),
		   "a page written through legacy reads the same through prepare");
	}

	set_profile(prof0);
	scrub(MB_DEV_LEGACY, 1024, 7 * REGION);
	scrub(MB_DEV_LEGACY, pool - 64, 64);
	return tap_done();
}
