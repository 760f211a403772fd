// SPDX-License-Identifier: GPL-2.0
/*
 * A seeded, reproducible fuzzer of the address-space operations a driver's
 * mappings go through: mmap, munmap, mremap, mprotect, madvise, fork, faults,
 * reads and writes, on both devices and on reference targets (anonymous memory,
 * a memfd, /dev/zero), with the profile parameter switched at random points.
 *
 * It keeps a model of an arena of AP pages at a fixed address: per page, what is
 * mapped there (target, offset, protection, private copy) and what it must read.
 * Shared stores (the pool, the memfd, each shared /dev/zero object) have one
 * value per page, so a write through one mapping must be read through every
 * other.  Each op's result must be one the model allows: an errno the kernel may
 * legitimately return, a signal where the model expects one (SIGBUS past the pool
 * or past a shared object's end, SIGSEGV on a hole or a protection), the value
 * last written.  Where the model cannot know (whether two ranges merged into one
 * VMA), /proc/self/maps decides.  The first surprise fails the run, printing the
 * seed, the op index and the last ops.
 *
 *   MB_FUZZ_SEED  the seed (default: from the clock; always printed)
 *   MB_FUZZ_OPS   how many ops (default 20000)
 *   MB_FUZZ_TRACE 1: print every op and every value written (to debug a failure)
 */
#include "tap.h"
#include "mbtest.h"

#include <stdarg.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define PG 4096UL
#define AP 512				/* arena pages */
#define ARENA ((char *)0x100000000000UL)	/* 16 TiB: far from where the kernel places mmaps */
#define W 256				/* device mappings start in pool pages [0, W) ... */
#define E 16				/* ... or within E pages of the pool's end */
#define MS 256				/* memfd pages */
#define MAXLEN 32

enum target { X_LEGACY, X_PREPARE, X_ANON, X_MEMFD, X_ZERO, NX, X_HOLE = NX };
static const char *const xname[NX + 1] = { MMAPBENCH_DBG_LEGACY, MMAPBENCH_DBG_PREPARE, "anon", "memfd", "zero", "(hole)" };

enum kind { K_NONE, K_DEV, K_MEMFD, K_ANON, K_ZSHM };

enum op { O_TOUCH, O_VERIFY, O_MMAP, O_MMAP_FLOAT, O_MMAP_BAD, O_MUNMAP, O_MPROTECT, O_MREMAP,
	  O_MADVISE, O_FORK, O_PROFILE, NO };
static const char *const oname[NO] = { "touch", "verify", "mmap", "mmap-float", "mmap-bad", "munmap",
				       "mprotect", "mremap", "madvise", "fork", "profile" };

/* A shared backing store: the value of each page, and its size (past it: SIGBUS). */
struct store {
	unsigned long size;
	uint64_t *val;
};

/* One arena page, as the model sees it. */
struct mpg {
	unsigned char kind, target, prot, shared, cow, maywrite, dd, special;
	unsigned char ro;	/* K_DEV: mapped through the O_RDONLY fd (another struct file) */
	struct store *st;	/* K_DEV, K_MEMFD, K_ZSHM */
	unsigned long pgoff;	/* page index in st */
	uint64_t val;		/* K_ANON, or a private copy (cow) */
};

static struct mpg A[AP];
static struct store pool, mfd;
static unsigned long pool_pages;
static int fd_rw[NX] = { -1, -1, -1, -1, -1 }, fd_ro[2] = { -1, -1 };
static int have[NX];
static int profile;	/* 0 none, 1 dontdump, 2 special */
static const char *const profiles[] = MB_PROFILES_INIT;

static uint64_t rng_state, seed;
static unsigned long op_index, nops;
static double op_secs[NO];
static unsigned long per_target[NX + 1], per_op[NO], sigbus_seen, segv_seen, merges_past_pool, merged_nohook,
	multi_moves;
static int failed, tracing, multi_vma_moves;	/* multi: v6.17's MREMAP_FIXED moves of several VMAs */

#define TRACE 24
static char trace[TRACE][160];

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned long rn(unsigned long n)
{
	return n ? rnd() % n : 0;
}

static void note(const char *fmt, ...)
{
	va_list ap;
	char *t = trace[op_index % TRACE];
	int n = snprintf(t, sizeof(trace[0]), "%lu: ", op_index);

	va_start(ap, fmt);
	vsnprintf(t + n, sizeof(trace[0]) - n, fmt, ap);
	va_end(ap);
	if (tracing)
		diag("%s", t);
}

/* The first surprise: say what, where, with what seed, and what led there. */
static void fail(const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	if (failed++)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag("FAIL seed %llu op %lu: %s", (unsigned long long)seed, op_index, msg);
	diag("reproduce: MB_FUZZ_SEED=%llu MB_FUZZ_OPS=%lu t_fuzz", (unsigned long long)seed, nops);
	diag("the last ops (profile now %s):", profiles[profile]);
	for (unsigned long i = op_index >= TRACE - 1 ? op_index - (TRACE - 1) : 0; i <= op_index; i++)
		diag("  %s", trace[i % TRACE]);
}

static char *addr_of(unsigned long i)
{
	return ARENA + i * PG;
}

static const char *errname(int e)
{
	return e ? strerrorname_np(e) : "success";
}

/* ---- the model of one page ---- */

static int mapped(unsigned long i)
{
	return i < AP && A[i].kind != K_NONE;
}

/* Count an op against the target mapped at page I. */
static void count_at(unsigned long i)
{
	per_target[mapped(i) ? A[i].target : X_HOLE]++;
}

/* The signal a touch of page P must raise. */
static int expect_sig(const struct mpg *p, int write)
{
	if (p->kind == K_NONE || p->prot == PROT_NONE || (write && !(p->prot & PROT_WRITE)))
		return SIGSEGV;
	if (p->st && !(p->cow && !p->shared) && p->pgoff >= p->st->size)
		return SIGBUS;
	return 0;
}

static uint64_t expect_val(const struct mpg *p)
{
	if (p->kind == K_ANON || (p->cow && !p->shared))
		return p->val;
	return p->st->val[p->pgoff];
}

static void apply_write(struct mpg *p, uint64_t v)
{
	if (p->kind == K_ANON) {
		p->val = v;
	} else if (!p->shared) {
		p->cow = 1;
		p->val = v;
	} else {
		p->st->val[p->pgoff] = v;
	}
}

static uint64_t new_val(void)
{
	return rnd() | 1;	/* never 0: 0 is what untouched pages read */
}

/*
 * Touch the page at ADDR, modelled by P: read it (check two words) or fill it.
 * Returns 0 if the outcome is the model's; the written value goes to *wrote.
 */
static int touch(char *addr, struct mpg *p, int write, uint64_t *wrote)
{
	int want = expect_sig(p, write), sig;
	uint64_t v = 0, w;

	if (write) {
		w = new_val();
		sig = mb_touch(addr, MB_FILL, &w);
		if (sig != want) {
			fail("write at %p (%s pgoff %lu prot %d): %s, want %s", (void *)addr, xname[p->target],
			     p->pgoff, p->prot, mb_signame(sig), mb_signame(want));
			return -1;
		}
		if (!sig) {
			apply_write(p, w);
			if (wrote)
				*wrote = w;
			if (tracing)
				diag("    wrote %#llx at %p", (unsigned long long)w, (void *)addr);
		}
	} else {
		unsigned long word = 1 + rn(511);

		sig = mb_touch(addr, MB_READ, &v);
		if (sig != want) {
			fail("read at %p (%s pgoff %lu prot %d): %s, want %s", (void *)addr, xname[p->target],
			     p->pgoff, p->prot, mb_signame(sig), mb_signame(want));
			return -1;
		}
		if (!sig) {
			uint64_t e = expect_val(p), v2 = 0;

			if (v != e || mb_touch(addr + word * 8, MB_READ, &v2) || v2 != e) {
				fail("read at %p (%s pgoff %lu%s): %#llx / word %lu %#llx, want %#llx", (void *)addr,
				     xname[p->target], p->pgoff, p->cow ? ", private copy" : "",
				     (unsigned long long)v, word, (unsigned long long)v2, (unsigned long long)e);
				return -1;
			}
		}
	}
	sigbus_seen += sig == SIGBUS;
	segv_seen += sig == SIGSEGV;
	return 0;
}

/* ---- /proc/self/maps: the truth where the model cannot know ---- */

struct vma {
	unsigned long s, e;
	char perms[5];
};

/* The VMAs that intersect the arena, in order; returns their number. */
static int read_maps(struct vma *v, int max)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long lo = (unsigned long)ARENA, hi = lo + AP * PG;
	char line[512];
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f) && n < max) {
		struct vma x;

		if (sscanf(line, "%lx-%lx %4s", &x.s, &x.e, x.perms) == 3 && x.s < hi && x.e > lo)
			v[n++] = x;
	}
	fclose(f);
	return n;
}

static const struct vma *vma_at(const struct vma *v, int n, unsigned long a)
{
	for (int i = 0; i < n; i++)
		if (v[i].s <= a && a < v[i].e)
			return &v[i];
	return NULL;
}

static struct vma maps[AP + 1];

/*
 * After a failed op that may have unmapped [s, s+n) in part (MAP_FIXED over a
 * range, mremap to a fixed address): pages maps shows unmapped become holes.
 * A page the model has as a hole must stay one.
 */
static void resync(unsigned long s, unsigned long n)
{
	int nv = read_maps(maps, AP + 1);

	for (unsigned long i = s; i < s + n && i < AP; i++) {
		int in = vma_at(maps, nv, (unsigned long)addr_of(i)) != NULL;

		if (in && !mapped(i))
			fail("page %lu: mapped after a failed op, the model has a hole", i);
		if (!in && mapped(i))
			A[i].kind = K_NONE;
	}
}

/* The whole arena against maps: mapped or not, protection, shared or private. */
static void check_maps(void)
{
	int nv = read_maps(maps, AP + 1);

	for (unsigned long i = 0; i < AP && !failed; i++) {
		const struct vma *v = vma_at(maps, nv, (unsigned long)addr_of(i));
		const struct mpg *p = &A[i];
		int prot;

		if (!v != !mapped(i)) {
			fail("page %lu: maps says %s, the model %s", i, v ? "mapped" : "a hole",
			     mapped(i) ? "mapped" : "a hole");
			return;
		}
		if (!v)
			continue;
		prot = (v->perms[0] == 'r' ? PROT_READ : 0) | (v->perms[1] == 'w' ? PROT_WRITE : 0);
		if (prot != p->prot || (v->perms[3] == 's') != p->shared) {
			fail("page %lu: maps says %s, the model prot %d %s", i, v->perms, p->prot,
			     p->shared ? "shared" : "private");
			return;
		}
	}
}

/* How many VMAs cover [s, s+n) per maps (holes not counted). */
static int vmas_over(unsigned long s, unsigned long n)
{
	return mb_vmas_in((unsigned long)addr_of(s), (unsigned long)addr_of(s + n));
}

/*
 * Could [s, s+n) be a single VMA?  0 if surely not (a hole, or attributes that
 * never share a VMA), 1 if maybe (merging decides).
 */
static int maybe_one_vma(unsigned long s, unsigned long n)
{
	for (unsigned long i = s; i < s + n; i++) {
		const struct mpg *a = &A[s], *b = &A[i];

		if (!mapped(i))
			return 0;
		if (a->kind != b->kind || a->prot != b->prot || a->shared != b->shared || a->dd != b->dd ||
		    a->special != b->special || a->maywrite != b->maywrite || a->st != b->st)
			return 0;
		if (a->kind == K_DEV && (a->target != b->target || a->ro != b->ro))
			return 0;
		if (a->kind != K_ANON && b->pgoff != a->pgoff + (i - s))
			return 0;
	}
	return 1;
}

/* ---- ops ---- */

static void op_touch(void)
{
	unsigned long i = rn(AP), n = 1 + rn(4);

	note("touch %lu+%lu", i, n);
	for (unsigned long k = i; k < i + n && k < AP && !failed; k++) {
		int write = rn(2);

		count_at(k);
		touch(addr_of(k), &A[k], write, NULL);
	}
}

static void op_verify(void)
{
	unsigned long i = rn(AP), n = 1 + rn(MAXLEN);

	note("verify %lu+%lu", i, n);
	for (unsigned long k = i; k < i + n && k < AP && !failed; k++)
		touch(addr_of(k), &A[k], 0, NULL);
}

static struct store *new_store(unsigned long pages)
{
	struct store *st = calloc(1, sizeof(*st));

	if (st) {
		st->size = pages;
		st->val = calloc(pages + MAXLEN, sizeof(uint64_t));	/* growth past size stays addressable */
	}
	if (!st || !st->val) {
		fprintf(stderr, "t_fuzz: out of memory\n");
		exit(100);
	}
	return st;
}

/* A random mapping request: target, sharing, protection, offset, template page. */
struct req {
	int x, fd, flags, prot, ro;
	unsigned long pgoff;
	struct mpg tmpl;
};

static int pick_target(void)
{
	int x;

	do
		x = (int)rn(NX);
	while (!have[x]);
	return x;
}

static void make_req(struct req *r, unsigned long len)
{
	int x = pick_target(), ro = 0;
	unsigned p = rn(20);

	memset(r, 0, sizeof(*r));
	r->x = x;
	r->prot = p < 16 ? PROT_READ | PROT_WRITE : p < 19 ? PROT_READ : PROT_NONE;
	r->fd = fd_rw[x];
	r->tmpl.target = x;
	r->tmpl.prot = r->prot;
	r->tmpl.maywrite = 1;
	switch (x) {
	case X_LEGACY:
	case X_PREPARE:
		r->flags = rn(10) < 7 ? MAP_SHARED : MAP_PRIVATE;
		ro = rn(10) == 0;
		if (ro)
			r->fd = fd_ro[x];
		r->ro = ro;
		r->tmpl.ro = (unsigned char)ro;
		p = rn(20);
		if (p < 15)
			r->pgoff = rn(W - len + 1);
		else if (p < 17)
			r->pgoff = pool_pages - 1 - rn(E);	/* may run past the end */
		else if (p < 19)
			r->pgoff = pool_pages - len;		/* ends at the end: see op_mmap */
		else
			r->pgoff = pool_pages + rn(4);		/* wholly past the end */
		r->tmpl.kind = K_DEV;
		r->tmpl.st = &pool;
		r->tmpl.dd = profile == 1;
		r->tmpl.special = profile == 2;
		break;
	case X_MEMFD:
		r->flags = rn(10) < 7 ? MAP_SHARED : MAP_PRIVATE;
		r->pgoff = rn(MS + 8);
		r->tmpl.kind = K_MEMFD;
		r->tmpl.st = &mfd;
		break;
	case X_ZERO:
		r->flags = rn(2) ? MAP_SHARED : MAP_PRIVATE;
		r->tmpl.kind = r->flags == MAP_SHARED ? K_ZSHM : K_ANON;
		break;
	default:
		r->fd = -1;
		r->flags = MAP_PRIVATE | MAP_ANONYMOUS;
		if (rn(10) == 0)
			r->flags = MAP_SHARED | MAP_ANONYMOUS;
		r->tmpl.kind = r->flags & MAP_SHARED ? K_ZSHM : K_ANON;
		break;
	}
	r->tmpl.shared = (r->flags & MAP_SHARED) != 0;	/* K_ZSHM too: one shmem object */
	r->tmpl.maywrite = !(ro && (r->flags & MAP_SHARED));
	r->tmpl.pgoff = r->pgoff;
}

/* Put the mapping of R, LEN pages, into the model at page S. */
static void model_map(unsigned long s, unsigned long len, const struct req *r)
{
	struct store *z = r->tmpl.kind == K_ZSHM ? new_store(len) : NULL;

	for (unsigned long i = 0; i < len; i++) {
		A[s + i] = r->tmpl;
		A[s + i].pgoff = z ? i : r->pgoff + i;
		if (z)
			A[s + i].st = z;
	}
}

/*
 * Could a legacy request R for page PGOFF at page I's place merge with page I,
 * before any hook runs?  Only if I maps the same file at the adjacent offset with
 * the very flags of a request: no profile flags, no VM_DONTDUMP.
 */
static int mergeable(unsigned long i, const struct req *r, unsigned long pgoff)
{
	const struct mpg *p = &A[i];

	return i < AP && mapped(i) && p->kind == K_DEV && p->target == X_LEGACY && p->ro == r->tmpl.ro &&
	       !p->dd && !p->special && p->shared == r->tmpl.shared && p->prot == r->prot && p->pgoff == pgoff;
}

/*
 * May a device request for LEN pages at page S succeed?  2 must, 1 may (only by a
 * merge that skips the legacy .mmap), 0 must not.
 */
static int dev_outcome(const struct req *r, unsigned long s, unsigned long len)
{
	int merge = r->x == X_LEGACY &&
		    ((s > 0 && r->pgoff > 0 && mergeable(s - 1, r, r->pgoff - 1)) ||
		     mergeable(s + len, r, r->pgoff + len));

	if (r->pgoff + len <= pool_pages)
		return 2;
	return merge ? 1 : 0;
}

static int dev_merge_ok(const struct req *r, unsigned long s, unsigned long len)
{
	return (s > 0 && r->pgoff > 0 && mergeable(s - 1, r, r->pgoff - 1)) || mergeable(s + len, r, r->pgoff + len);
}

/* The device's hook_calls counter (debugfs attributes are nonseekable: open each time). */
static long hook_calls(int x)
{
	char path[128], buf[32];
	ssize_t n;
	int fd;

	if (x != X_LEGACY && x != X_PREPARE)
		return 0;
	snprintf(path, sizeof(path), MMAPBENCH_DEBUGFS_DIR "/%s/" MMAPBENCH_COUNTER_HOOK_CALLS, xname[x]);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

/*
 * Right after a mapping that ends at the pool's end, ask for pages past it with
 * the same file, flags and protection.  A legacy .mmap is skipped when this
 * merges (profile none, or a neighbour without profile flags): the range maps
 * and every touch must SIGBUS.  Otherwise the hook refuses it.
 */
static void mmap_past_end(struct req *r, unsigned long s)
{
	unsigned long len = 1 + rn(4);
	long h0, hooked;
	void *p;
	int err, may;

	if (s + len > AP)
		len = AP - s;
	r->pgoff = pool_pages;
	r->tmpl.pgoff = pool_pages;
	op_index++;	/* an op of its own in the trace */
	note("mmap %lu+%lu %s past the pool's end, after its last page", s, len, xname[r->x]);
	may = dev_outcome(r, s, len);
	h0 = hook_calls(r->x);
	p = mmap(addr_of(s), len * PG, r->prot, r->flags | MAP_FIXED, r->fd, (off_t)(r->pgoff * PG));
	err = p == MAP_FAILED ? errno : 0;
	hooked = hook_calls(r->x) - h0;
	if (!err && p == addr_of(s) && !hooked && may == 1) {
		r->tmpl.dd = 0;
		r->tmpl.special = 0;
		merged_nohook++;
		merges_past_pool++;
		model_map(s, len, r);
		for (unsigned long i = s; i < s + len && !failed; i++)
			touch(addr_of(i), &A[i], rn(2), NULL);
		return;
	}
	if (err == EINVAL && hooked == 1) {
		resync(s, len);
		return;
	}
	fail("mmap past the pool's end after its last page: %s, %ld hook calls (merge %s)", errname(err), hooked,
	     may == 1 ? "possible" : "impossible");
}

static void op_mmap(void)
{
	unsigned long s, len = 1 + rn(MAXLEN);
	struct req r;
	void *p;
	int err, must;
	long h0, hooked;

	/* Half the time right after a mapped run, at the next offset: merges. */
	s = rn(AP);
	make_req(&r, len);
	if (rn(2)) {
		unsigned long i = rn(AP);

		while (i < AP && mapped(i) && (i + 1 < AP && mapped(i + 1)))
			i++;
		if (mapped(i) && i + 1 < AP && (A[i].kind == K_DEV || A[i].kind == K_MEMFD) &&
		    A[i].target == r.x) {
			s = i + 1;
			r.pgoff = A[i].pgoff + 1;
			r.tmpl.pgoff = r.pgoff;
			r.flags = A[i].shared ? MAP_SHARED : MAP_PRIVATE;
			r.tmpl.shared = A[i].shared;
			r.tmpl.maywrite = !(r.ro && r.tmpl.shared);
		}
	}
	if (s + len > AP)
		len = AP - s;
	per_target[r.x]++;
	note("mmap %lu+%lu %s %s prot %d pgoff %lu%s", s, len, xname[r.x], r.flags & MAP_SHARED ? "shared" : "private",
	     r.prot, r.pgoff, r.tmpl.maywrite ? "" : " (O_RDONLY)");
	must = r.tmpl.kind == K_DEV ? dev_outcome(&r, s, len) : 2;
	h0 = hook_calls(r.x);
	errno = 0;
	p = mmap(addr_of(s), len * PG, r.prot, r.flags | MAP_FIXED, r.fd, (off_t)(r.pgoff * PG));
	err = p == MAP_FAILED ? errno : 0;
	hooked = hook_calls(r.x) - h0;
	if (!r.tmpl.maywrite && (r.prot & PROT_WRITE)) {
		if (err != EACCES)
			fail("mmap shared PROT_WRITE of an O_RDONLY fd: %s, want EACCES", errname(err));
		return;
	}
	if (r.tmpl.kind == K_DEV && hooked != 1 && !(hooked == 0 && !err && r.x == X_LEGACY)) {
		fail("%s mmap: %s after %ld hook calls", xname[r.x], errname(err), hooked);
		return;
	}
	if (!err) {
		if (p != addr_of(s)) {
			fail("MAP_FIXED mmap at %p returned %p", (void *)addr_of(s), p);
			return;
		}
		if (r.tmpl.kind == K_DEV && !hooked) {
			/* A merge skipped the .mmap: the neighbour's flags, not the profile's. */
			if (!dev_merge_ok(&r, s, len)) {
				fail("legacy mmap at page %lu mapped without its hook, and no neighbour to merge with", s);
				return;
			}
			r.tmpl.dd = 0;
			r.tmpl.special = 0;
			merged_nohook++;
			merges_past_pool += must == 1;
		} else if (must != 2) {
			fail("%s mmap of pages %lu-%lu past the pool (%lu pages) succeeded", xname[r.x], r.pgoff,
			     r.pgoff + len - 1, pool_pages);
			return;
		}
		model_map(s, len, &r);
		/* Ends at the pool's end: map right after it, past the pool (a merge may take it). */
		if (r.tmpl.kind == K_DEV && r.pgoff + len == pool_pages && s + len < AP && rn(2))
			mmap_past_end(&r, s + len);
		return;
	}
	if (must == 2 || err != EINVAL) {
		fail("mmap: %s, want %s", errname(err), must == 2 ? "success" : "EINVAL");
		return;
	}
	/* The hook refused it: the old mappings are either kept or gone. */
	resync(s, len);
}

/* A mapping where the kernel chooses: check it, drop it. */
static void op_mmap_float(void)
{
	unsigned long len = 1 + rn(MAXLEN);
	struct req r;
	char *p;
	int err, must;
	long h0;
	struct mpg pg[MAXLEN];

	make_req(&r, len);
	per_target[r.x]++;
	note("mmap-float %lu %s %s pgoff %lu", len, xname[r.x], r.flags & MAP_SHARED ? "shared" : "private", r.pgoff);
	h0 = hook_calls(r.x);
	p = mmap(NULL, len * PG, r.prot, r.flags, r.fd, (off_t)(r.pgoff * PG));
	err = p == MAP_FAILED ? errno : 0;
	if (r.tmpl.kind == K_DEV && !(!r.tmpl.maywrite && (r.prot & PROT_WRITE)) && hook_calls(r.x) != h0 + 1) {
		fail("floating %s mmap: %s, the hook ran %ld times, want once", xname[r.x], errname(err),
		     hook_calls(r.x) - h0);
		if (!err)
			munmap(p, len * PG);
		return;
	}
	if (!r.tmpl.maywrite && (r.prot & PROT_WRITE)) {
		if (err != EACCES)
			fail("floating mmap shared PROT_WRITE of an O_RDONLY fd: %s, want EACCES", errname(err));
		if (!err)
			munmap(p, len * PG);
		return;
	}
	/* Nothing of this fd sits next to a floating range: the hook always runs. */
	must = r.tmpl.kind == K_DEV ? (r.pgoff + len <= pool_pages ? 2 : 0) : 2;
	if ((err == 0) != (must == 2) || (err && err != EINVAL)) {
		fail("floating mmap: %s, want %s", errname(err), must == 2 ? "success" : "EINVAL");
		if (!err)
			munmap(p, len * PG);
		return;
	}
	if (err)
		return;
	{
		struct store *z = r.tmpl.kind == K_ZSHM ? new_store(len) : NULL;

		for (unsigned long i = 0; i < len; i++) {
			pg[i] = r.tmpl;
			pg[i].pgoff = z ? i : r.pgoff + i;
			if (z)
				pg[i].st = z;
		}
	}
	for (unsigned long i = 0; i < len && !failed; i++)
		touch(p + i * PG, &pg[i], rn(2), NULL);
	for (unsigned long i = 0; i < len && !failed; i++)
		touch(p + i * PG, &pg[i], 0, NULL);
	munmap(p, len * PG);
}

/* Requests every target must refuse, with the errno they must refuse them with. */
static void op_mmap_bad(void)
{
	int x = pick_target(), fd = fd_rw[x], flags = x == X_ANON ? MAP_PRIVATE | MAP_ANONYMOUS : MAP_SHARED;
	unsigned long len = PG, c = rn(x == X_LEGACY || x == X_PREPARE ? 6 : 3);
	off_t off = 0;
	int want = EINVAL, alt = 0, err;
	void *p;

	switch (c) {
	case 0: len = 0; break;
	case 1: off = 1 + (off_t)rn(PG - 1); break;
	case 2: len = SIZE_MAX & ~4095UL; want = ENOMEM; break;
	case 3: off = (off_t)((pool_pages + rn(1UL << 20)) * PG); break;
	case 4: len = (pool_pages + 1 + rn(8)) * PG; break;
	case 5: len = 1UL << (40 + rn(7)); alt = ENOMEM; break;
	}
	per_target[x]++;
	note("mmap-bad %s len %#lx off %#llx", xname[x], len, (unsigned long long)off);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, fd, off);
	err = p == MAP_FAILED ? errno : 0;
	if (!err)
		munmap(p, len);
	if (err != want && (!alt || err != alt))
		fail("bad mmap (%s len %#lx off %#llx): %s, want %s", xname[x], len, (unsigned long long)off,
		     errname(err), errname(want));
}

static void op_munmap(void)
{
	unsigned long s = rn(AP), n = 1 + rn(MAXLEN);
	int r, bad = rn(20) == 0;

	if (s + n > AP)
		n = AP - s;
	count_at(s);
	if (bad) {
		note("munmap %lu+%lu unaligned", s, n);
		r = munmap(addr_of(s) + 1 + rn(PG - 1), n * PG);
		if (r == 0 || errno != EINVAL)
			fail("unaligned munmap: %s, want EINVAL", errname(r ? errno : 0));
		return;
	}
	note("munmap %lu+%lu", s, n);
	if (munmap(addr_of(s), n * PG)) {
		fail("munmap: %s", strerror(errno));
		return;
	}
	for (unsigned long i = s; i < s + n; i++)
		A[i].kind = K_NONE;
}

static void op_mprotect(void)
{
	static const int prots[] = { PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE };
	unsigned long s = rn(AP), n = 1 + rn(MAXLEN), i;
	int prot = prots[rn(3)], r, err, want = 0;

	if (s + n > AP)
		n = AP - s;
	count_at(s);
	note("mprotect %lu+%lu %d", s, n, prot);
	r = mprotect(addr_of(s), n * PG, prot);
	err = r ? errno : 0;
	/* VMA by VMA, in order: a hole stops it (ENOMEM), so does a shared read-only file (EACCES). */
	for (i = s; i < s + n; i++) {
		if (!mapped(i)) {
			want = ENOMEM;
			break;
		}
		if ((prot & PROT_WRITE) && !A[i].maywrite) {
			want = EACCES;
			break;
		}
	}
	if (err != want) {
		fail("mprotect %lu+%lu: %s, want %s", s, n, errname(err), errname(want));
		return;
	}
	for (unsigned long k = s; k < i; k++)
		A[k].prot = (unsigned char)prot;
}

/* Extend page template P by K pages: what mremap's growth maps. */
static struct mpg grown(const struct mpg *p, unsigned long k)
{
	struct mpg g = *p;

	g.cow = 0;
	g.val = 0;
	if (g.kind != K_ANON)
		g.pgoff = p->pgoff + k;
	return g;
}

/* Apply a successful mremap of [s, s+ol) to NL pages at Q to the model. */
static void model_mremap(unsigned long s, unsigned long ol, unsigned long nl, char *q, int mode, unsigned long d)
{
	static struct mpg tmp[AP];

	/* The first min(ol, nl) pages move; growth continues the offsets. */
	for (unsigned long i = 0; i < nl; i++)
		tmp[i] = i < ol ? A[s + i] : grown(&A[s + ol - 1], i - ol + 1);
	for (unsigned long i = s; i < s + ol; i++)
		A[i].kind = K_NONE;
	if (q >= ARENA && q < addr_of(AP)) {
		unsigned long ns = (unsigned long)(q - ARENA) / PG;

		if ((mode >= 2 && ns != d) || (mode == 0 && ns != s) || ns + nl > AP) {
			fail("mremap returned %p", (void *)q);
			return;
		}
		for (unsigned long i = 0; i < nl; i++)
			A[ns + i] = tmp[i];
		return;
	}
	if (mode != 1 || nl <= ol) {
		fail("mremap returned %p, outside the arena", (void *)q);
		return;
	}
	/* Moved out of the arena: check what arrived, then drop it. */
	for (unsigned long i = 0; i < nl && !failed; i++)
		touch(q + i * PG, &tmp[i], 0, NULL);
	munmap(q, nl * PG);
}

/* Would v6.17's multi-VMA move take the VMA with page I?  Not a file with its own get_unmapped_area. */
static int multi_allowed(unsigned long i)
{
	return !(A[i].kind == K_ANON && A[i].target == X_ZERO);	/* private /dev/zero keeps its file */
}

/*
 * A move without resize to a fixed address on v6.17+: VMA by VMA (as maps has
 * them), gaps kept, destination gaps untouched; it stops at the first VMA that
 * cannot be moved, after moving the ones before (or refuses outright if that is
 * the first one and more follow).
 */
static void op_mremap_multi(unsigned long s, unsigned long n, unsigned long d)
{
	static struct mpg src[AP];
	unsigned long lo = (unsigned long)addr_of(s), hi = (unsigned long)addr_of(s + n);
	int nv = read_maps(maps, AP + 1), want = 0, first = 1, err;
	unsigned long moved_to = s;	/* source pages below this move */
	char *q;

	for (int v = 0; v < nv; v++) {
		unsigned long a = maps[v].s > lo ? maps[v].s : lo, b = maps[v].e < hi ? maps[v].e : hi;
		unsigned long pa = (a - (unsigned long)ARENA) / PG;

		if (a >= b)
			continue;
		if (first && a > lo) {
			want = EFAULT;	/* a gap at the start */
			break;
		}
		if (!multi_allowed(pa) && (!first || maps[v].e < hi)) {
			/* Not the first, or the first with more of the range after it: refused here. */
			want = EFAULT;
			break;
		}
		first = 0;
		moved_to = (b - (unsigned long)ARENA) / PG;
	}
	if (nv < 0 || (first && !want))
		want = EFAULT;	/* nothing mapped at all */
	errno = 0;
	q = mremap(addr_of(s), n * PG, n * PG, MREMAP_MAYMOVE | MREMAP_FIXED, addr_of(d));
	err = q == MAP_FAILED ? errno : 0;
	if (err != want || (!err && q != addr_of(d))) {
		fail("mremap %lu+%lu to %lu (several VMAs): %s at %p, want %s", s, n, d, errname(err), (void *)q,
		     errname(want));
		return;
	}
	/* Pages [s, moved_to) moved, holes and all; destination holes keep what was there. */
	memcpy(src, &A[s], (moved_to - s) * sizeof(src[0]));
	for (unsigned long i = s; i < moved_to; i++)
		A[i].kind = K_NONE;
	for (unsigned long i = 0; i < moved_to - s; i++)
		if (src[i].kind != K_NONE)
			A[d + i] = src[i];
	multi_moves += moved_to > s;
	check_maps();
}

/*
 * mremap, in the order the kernel checks: the first page must be mapped; a
 * shrink or a same-size call without MREMAP_FIXED only cuts the tail; otherwise
 * (growth, or MREMAP_FIXED, which first unmaps the destination and cuts the
 * tail) the range kept must be one VMA, VM_DONTEXPAND refuses growth, and growth
 * in place needs free pages after it.  Kernels since v6.17 may move several VMAs
 * at once with MREMAP_FIXED and no resize.
 */
static void op_mremap(void)
{
	unsigned long s = rn(AP), ol = 1 + rn(16), nl, d = 0, span;
	unsigned mode = (unsigned)rn(4);	/* 0 in place, 1 MAYMOVE, 2-3 MAYMOVE|FIXED */
	int flags = 0, maybe, err, want;
	char *q;

	if (s + ol > AP)
		ol = AP - s;
	nl = 1 + rn(2 * MAXLEN);
	if (s + nl > AP)
		nl = AP - s;
	if (mode == 1)
		flags = MREMAP_MAYMOVE;
	if (mode >= 2) {
		flags = MREMAP_MAYMOVE | MREMAP_FIXED;
		if (nl > AP / 4)
			nl = AP / 4;
		if (rn(2))
			nl = ol;	/* a plain move */
		/* A destination that does not overlap the source. */
		do
			d = rn(AP - nl + 1);
		while (d < s + ol && s < d + nl);
	}
	count_at(s);
	note("mremap %lu+%lu -> %lu pages, %s %lu", s, ol, nl, mode == 0 ? "in place" : mode == 1 ? "maymove" : "to",
	     d);
	if (mode >= 2 && nl == ol && multi_vma_moves) {
		op_mremap_multi(s, ol, d);
		return;
	}
	span = mode >= 2 || nl > ol ? (nl < ol ? nl : ol) : 0;
	maybe = mapped(s) && (!span || maybe_one_vma(s, span));
	errno = 0;
	q = mremap(addr_of(s), ol * PG, nl * PG, flags, addr_of(d));
	err = q == MAP_FAILED ? errno : 0;

	if (!maybe) {
		if (err != EFAULT) {
			fail("mremap of %lu+%lu (%s): %s, want EFAULT", s, ol,
			     mapped(s) ? "no single VMA" : "a hole at its start", errname(err));
			return;
		}
	} else if (err == EFAULT && span && vmas_over(s, span) > 1) {
		/* Not merged into one VMA: refused, fine. */
	} else {
		if (nl > ol && A[s].special) {
			want = EFAULT;	/* VM_DONTEXPAND */
		} else if (nl > ol && mode == 0) {
			want = 0;
			for (unsigned long i = s + ol; i < s + nl; i++)
				if (mapped(i))
					want = ENOMEM;
		} else {
			want = 0;
		}
		if (err != want) {
			fail("mremap %lu+%lu -> %lu: %s, want %s (VMAs there: %d)", s, ol, nl, errname(err),
			     errname(want), vmas_over(s, ol));
			return;
		}
		if (!err) {
			model_mremap(s, ol, nl, q, mode, d);
			return;
		}
	}
	/* Refused: a fixed move may have unmapped its destination and cut the tail first. */
	if (mode >= 2)
		resync(d, nl);
	resync(s, ol);
}

static void op_madvise(void)
{
	static const struct { int adv; const char *name; } advs[] = {
		{ MADV_DONTNEED, "dontneed" }, { MADV_DONTNEED, "dontneed" }, { MADV_WILLNEED, "willneed" },
		{ MADV_COLD, "cold" }, { MADV_PAGEOUT, "pageout" }, { MADV_DONTDUMP, "dontdump" },
		{ MADV_DODUMP, "dodump" },
	};
	unsigned long s = rn(AP), n = 1 + rn(MAXLEN), stop;
	int a = (int)rn(sizeof(advs) / sizeof(advs[0])), adv = advs[a].adv, r, err, want = 0, hole = 0;

	if (s + n > AP)
		n = AP - s;
	count_at(s);
	note("madvise %lu+%lu %s", s, n, advs[a].name);
	r = madvise(addr_of(s), n * PG, adv);
	err = r ? errno : 0;
	/* Every VMA in the range is visited; holes only make the result ENOMEM. */
	stop = s + n;
	for (unsigned long i = s; i < s + n; i++) {
		if (!mapped(i)) {
			hole = 1;
			continue;
		}
		if (adv == MADV_DODUMP && A[i].special) {
			want = EINVAL;	/* VM_SPECIAL keeps VM_DONTDUMP semantics */
			stop = i;
			break;
		}
	}
	if (!want && hole)
		want = ENOMEM;
	if (err != want) {
		fail("madvise %s %lu+%lu: %s, want %s", advs[a].name, s, n, errname(err), errname(want));
		return;
	}
	for (unsigned long i = s; i < stop; i++) {
		struct mpg *p = &A[i];

		if (!mapped(i))
			continue;
		if (adv == MADV_DONTNEED) {
			if (p->kind == K_ANON)
				p->val = 0;
			else if (!p->shared)
				p->cow = 0;
		} else if (adv == MADV_DONTDUMP) {
			p->dd = 1;
		} else if (adv == MADV_DODUMP) {
			p->dd = 0;
		}
	}
}

/* The child checks pages, writes some, and reports its shared writes through a pipe. */
static void op_fork(void)
{
	struct rec { unsigned long i; uint64_t v; } rec;
	unsigned long idx[16];
	int pfd[2], st = 0;
	pid_t pid;

	per_target[X_ANON]++;
	for (int k = 0; k < 16; k++)
		idx[k] = rn(AP);
	note("fork, pages %lu %lu %lu ...", idx[0], idx[1], idx[2]);
	if (pipe(pfd)) {
		fail("pipe: %s", strerror(errno));
		return;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		fail("fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		close(pfd[0]);
		for (int k = 0; k < 16 && !failed; k++) {
			struct mpg *p = &A[idx[k]];
			int wr = k >= 8;
			uint64_t v = 0;

			if (touch(addr_of(idx[k]), p, wr, &v) == 0 && wr && v && p->shared) {
				rec.i = idx[k];
				rec.v = v;
				if (write(pfd[1], &rec, sizeof(rec)) != sizeof(rec))
					_exit(3);
			}
		}
		fflush(stdout);
		_exit(failed ? 1 : 0);
	}
	close(pfd[1]);
	while (read(pfd[0], &rec, sizeof(rec)) == sizeof(rec)) {
		struct mpg *p = &A[rec.i];

		p->st->val[p->pgoff] = rec.v;	/* shared: the parent must see it */
	}
	close(pfd[0]);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st)) {
		fail("the forked child failed (status %#x; its message is above)", st);
		return;
	}
	for (int k = 0; k < 16 && !failed; k++)
		touch(addr_of(idx[k]), &A[idx[k]], 0, NULL);
}

/* Switch the profile, or now and then map_pages (new mappings' vm_ops: fault-around or not). */
static void op_profile(void)
{
	int p = (int)rn(3);

	per_target[X_LEGACY]++;
	if (rn(4) == 0) {
		const char *v = rn(2) ? "1" : "0";

		note("map_pages %s", v);
		if (mb_write_str(MB_PARAM MMAPBENCH_PARAM_MAP_PAGES, v))
			fail("cannot set map_pages to %s", v);
		return;
	}
	note("profile %s", profiles[p]);
	if (mb_write_str(MB_PARAM MMAPBENCH_PARAM_PROFILE, profiles[p]))
		fail("cannot set the profile to %s", profiles[p]);
	else
		profile = p;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void run_one(void)
{
	static const struct { enum op op; unsigned weight; } mix[] = {
		{ O_TOUCH, 24 }, { O_VERIFY, 6 }, { O_MMAP, 16 }, { O_MMAP_FLOAT, 3 }, { O_MMAP_BAD, 3 },
		{ O_MUNMAP, 8 }, { O_MPROTECT, 10 }, { O_MREMAP, 14 }, { O_MADVISE, 10 }, { O_FORK, 1 },
		{ O_PROFILE, 2 },
	};
	static unsigned total;
	unsigned r;
	size_t k;
	double t0;

	if (!total)
		for (k = 0; k < sizeof(mix) / sizeof(mix[0]); k++)
			total += mix[k].weight;
	r = (unsigned)rn(total);
	for (k = 0; r >= mix[k].weight; k++)
		r -= mix[k].weight;
	per_op[mix[k].op]++;
	t0 = now();
	switch (mix[k].op) {
	case O_TOUCH: op_touch(); break;
	case O_VERIFY: op_verify(); break;
	case O_MMAP: op_mmap(); break;
	case O_MMAP_FLOAT: op_mmap_float(); break;
	case O_MMAP_BAD: op_mmap_bad(); break;
	case O_MUNMAP: op_munmap(); break;
	case O_MPROTECT: op_mprotect(); break;
	case O_MREMAP: op_mremap(); break;
	case O_MADVISE: op_madvise(); break;
	case O_FORK: op_fork(); break;
	case O_PROFILE: op_profile(); break;
	default: break;
	}
	op_secs[mix[k].op] += now() - t0;
}

/* Zero pool pages [s, s+n) through a mapping: the model starts (and leaves) them clean. */
static int zero_pool(unsigned long s, unsigned long n)
{
	char *p = mmap(NULL, n * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd_rw[X_LEGACY], (off_t)(s * PG));

	if (p == MAP_FAILED)
		return -1;
	memset(p, 0, n * PG);
	munmap(p, n * PG);
	return 0;
}


int main(int argc, char **argv)
{
	const char *se = getenv("MB_FUZZ_SEED");
	char prof0[32] = MMAPBENCH_PROFILE_DEFAULT, mp0[8] = "N", buf[64];
	unsigned long low = W + 2 * MAXLEN * 2 + AP;	/* the most a growth can reach from [0, W) */
	double t0;
	void *a;

	mb_no_args(argc, argv, "[MB_FUZZ_SEED=N] [MB_FUZZ_OPS=N] [MB_FUZZ_TRACE=0|1] t_fuzz");
	if (se) {
		seed = mb_env_num("MB_FUZZ_SEED", 0, 0, UINT64_MAX);
	} else {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		seed = (uint64_t)ts.tv_sec * 1000003ULL ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32);
	}
	nops = mb_env_num("MB_FUZZ_OPS", 20000, 1, ULONG_MAX);
	tracing = mb_env_num("MB_FUZZ_TRACE", 0, 0, 1);
	{
		struct utsname u;
		int maj = 0, min = 0;

		if (uname(&u) == 0 && sscanf(u.release, "%d.%d", &maj, &min) == 2)
			multi_vma_moves = maj > 6 || (maj == 6 && min >= 17);
		diag("kernel %s: MREMAP_FIXED moves of several VMAs %s", u.release,
		     multi_vma_moves ? "expected" : "refused");
	}
	rng_state = seed;
	diag("seed=%llu ops=%lu (reproduce: MB_FUZZ_SEED=%llu MB_FUZZ_OPS=%lu t_fuzz)", (unsigned long long)seed, nops,
	     (unsigned long long)seed, nops);
	fflush(stdout);
	mb_catch_faults();

	tap_plan(6);
	pool_pages = mb_pool_pages();
	if (!ok(pool_pages >= 2 * low, "the module is loaded, pool %lu pages", pool_pages))
		return tap_done();
	mb_read_line(MB_PARAM MMAPBENCH_PARAM_PROFILE, prof0, sizeof(prof0));
	mb_read_line(MB_PARAM MMAPBENCH_PARAM_MAP_PAGES, mp0, sizeof(mp0));
	for (int i = 0; i < 3; i++)
		if (!strcmp(prof0, profiles[i]))
			profile = i;

	fd_rw[X_LEGACY] = open(MB_DEV_LEGACY, O_RDWR);
	fd_ro[X_LEGACY] = open(MB_DEV_LEGACY, O_RDONLY);
	if (mb_have_prepare()) {
		fd_rw[X_PREPARE] = open(MB_DEV_PREPARE, O_RDWR);
		fd_ro[X_PREPARE] = open(MB_DEV_PREPARE, O_RDONLY);
	}
	fd_rw[X_MEMFD] = memfd_create("t_fuzz", 0);
	fd_rw[X_ZERO] = open("/dev/zero", O_RDWR);
	for (int x = 0; x < NX; x++)
		have[x] = x == X_ANON || fd_rw[x] >= 0;
	if (!ok(have[X_LEGACY] && have[X_MEMFD] && have[X_ZERO] && ftruncate(fd_rw[X_MEMFD], MS * PG) == 0,
		"the targets open: %s%s, anon, memfd, /dev/zero", xname[X_LEGACY], have[X_PREPARE] ? ", prepare" : ""))
		return tap_done();

	pool.size = pool_pages;
	pool.val = calloc(pool_pages + 4 * AP, sizeof(uint64_t));
	mfd.size = MS;
	mfd.val = calloc(MS + 4 * AP, sizeof(uint64_t));
	a = mmap(ARENA, AP * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (!ok(pool.val && mfd.val && a == ARENA && munmap(a, AP * PG) == 0 && zero_pool(0, pool_pages) == 0,
		"the arena at %p is free, the pool is zeroed",
		(void *)ARENA))
		return tap_done();

	t0 = now();
	for (op_index = 0; op_index < nops && !failed; op_index++) {
		run_one();
		if (op_index % 1000 == 999 && !failed)
			check_maps();
	}
	t0 = now() - t0;
	if (!failed)
		check_maps();
	ok(!failed, "seed %llu: %lu ops in %.1f s, every result one the model allows", (unsigned long long)seed,
	   op_index, t0);
	diag("ops per target:%s", "");
	for (int x = 0; x <= NX; x++)
		if (x == X_HOLE || have[x])
			diag("  %-8s %lu", xname[x], per_target[x]);
	diag("ops per kind:%s", "");
	for (int o = 0; o < NO; o++)
		diag("  %-10s %6lu  %6.2f ms each", oname[o], per_op[o], per_op[o] ? 1e3 * op_secs[o] / per_op[o] : 0.0);
	diag("SIGBUS as expected: %lu, SIGSEGV as expected: %lu", sigbus_seen, segv_seen);
	diag("legacy mmaps merged without the hook: %lu (past the pool: %lu); multi-VMA mremap moves: %lu",
	     merged_nohook, merges_past_pool, multi_moves);

	/* Leave things as found: no mappings, a clean pool, the old profile. */
	munmap(ARENA, AP * PG);
	zero_pool(0, pool_pages);
	mb_write_str(MB_PARAM MMAPBENCH_PARAM_PROFILE, prof0);
	mb_write_str(MB_PARAM MMAPBENCH_PARAM_MAP_PAGES, mp0);
	ok(mb_read_line(MB_PARAM MMAPBENCH_PARAM_PROFILE, buf, sizeof(buf)) == 0 && !strcmp(buf, prof0),
	   "the profile is back to %s", prof0);
	ok(mb_read_line(MB_PARAM MMAPBENCH_PARAM_MAP_PAGES, buf, sizeof(buf)) == 0 && !strcmp(buf, mp0),
	   "map_pages is back to %s", mp0);
	return tap_done();
}
