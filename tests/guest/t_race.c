// SPDX-License-Identifier: GPL-2.0
/*
 * A racing fuzzer: several threads, seeded, race the operations a driver's
 * mappings go through against each other on shared ranges of both devices:
 * map, unmap, mremap (shrink in place; grow, or move, to another address),
 * mprotect, madvise (DONTNEED, WILLNEED, COLD, PAGEOUT), fork with the child
 * reading and exiting, faults at random offsets, profile switches and counter
 * resets.  t_fuzz runs one op at a time against a model; t_stress storms private
 * ranges; here the ranges are shared and nobody waits for anybody.
 *
 * The pool window [base, base + W) is shared.  Page p belongs to thread p % T:
 * only its owner writes it, through a mapping of its own (one device), and reads
 * it back through a fresh mapping of the other device.  Every page holds 0 or a
 * word that names its page and its owner, so a read anywhere, through any
 * mapping, on any thread or in a forked child, can tell a page from the wrong
 * place.  Slots are shared mappings at fixed addresses that every thread maps,
 * unmaps, mremaps, mprotects, madvises and faults on; a seqlock per slot says
 * whether a read raced a change of its mapping (then only SIGBUS is an error:
 * a SIGSEGV is the race).  At rest: every page holds its owner's last write,
 * through either device; the counters count exactly a known workload; the
 * module counted no SIGBUS and no EINVAL during the run.
 *
 *   MB_RACE_SEED     the seed (default: from the clock; always printed first)
 *   MB_RACE_OPS      ops per thread (default 3000)
 *   MB_RACE_THREADS  worker threads (default 4, 2-8)
 * The seed replays each thread's choice of ops; the interleaving is the scheduler's.
 */
#include "tap.h"
#include "mbtest.h"

#include <pthread.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <time.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MADV_COLD
#define MADV_COLD 20
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define PG 4096UL
#define W 256				/* the shared window, pool pages */
#define MAXL 16				/* pages per mapping, at most */
#define NS 24				/* shared slots */
#define MAXT 8
#define ARENA ((char *)0x200000000000UL)	/* 32 TiB: reserved at start, far from the rest */
#define SLOT_SPAN (2 * MAXL * PG)	/* a slot: its mapping sits in one half or the other */
#define OWN_SPAN (MAXL * PG)
#define MAGIC 0x6d62ULL			/* "mb": the top 16 bits of every word written */

enum { D_LEGACY, D_PREPARE };
static const char *const dname[2] = { MMAPBENCH_DBG_LEGACY, MMAPBENCH_DBG_PREPARE };

enum op { O_MAP, O_UNMAP, O_SHRINK, O_GROW, O_MOVE, O_MPROTECT, O_MADVISE, O_TOUCH, O_OWN, O_FORK,
	  O_PROFILE, O_RESET, NO };
static const char *const oname[NO] = { "map", "unmap", "mremap-shrink", "mremap-grow", "mremap-move",
				       "mprotect", "madvise", "fault", "write-verify", "fork", "profile",
				       "reset" };
static const unsigned weight[NO] = { 10, 4, 4, 4, 4, 8, 8, 24, 10, 2, 2, 2 };

struct slot {
	atomic_ulong seq;		/* odd while its mapping changes */
	atomic_int busy;		/* one changer at a time */
	_Atomic unsigned long half, len, pgoff;	/* len 0: nothing mapped (reserved PROT_NONE) */
};

struct worker {
	pthread_t th;
	int id;
	uint64_t rng;
	unsigned long ops[NO], races, bad_errno, bad_read, sigbus, forks_bad;
	char first[256];
};

static struct slot slots[NS];
static int fds[2] = { -1, -1 }, ndev = 1, nthreads = 4;
static unsigned long base;		/* first pool page of the window */
static uint64_t shadow[W];		/* what page p's owner wrote last (only the owner touches it) */
static uint64_t seqno[MAXT];

static uint64_t rnd(struct worker *w)
{
	uint64_t z = (w->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void __attribute__((format(printf, 3, 4))) fail(struct worker *w, unsigned long *what, const char *fmt, ...)
{
	va_list ap;

	(*what)++;
	if (w->first[0])
		return;
	va_start(ap, fmt);
	vsnprintf(w->first, sizeof(w->first), fmt, ap);
	va_end(ap);
}

static char *slot_addr(int s, unsigned long half)
{
	return ARENA + (size_t)s * SLOT_SPAN + half * MAXL * PG;
}

static char *own_addr(int t)
{
	return ARENA + NS * SLOT_SPAN + (size_t)t * OWN_SPAN;
}

/* Does word v fit page p of the window (0, or the magic, the page and its owner)? */
static int word_ok(uint64_t v, unsigned long p)
{
	return v == 0 || (v >> 48 == MAGIC && ((v >> 32) & 0xffff) == p && ((v >> 24) & 0xff) == p % nthreads);
}

static void reserve(char *a, size_t len)
{
	/* EEXIST: something is there already, which only a bug of this test would put */
	mmap(a, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_NORESERVE, -1, 0);
}

static int map_dev(char *a, int d, unsigned long pgoff, unsigned long len, int fixed)
{
	char *p = mmap(a, len * PG, PROT_READ | PROT_WRITE, MAP_SHARED | (fixed ? MAP_FIXED : 0), fds[d],
		       (off_t)((base + pgoff) * PG));

	return p == a ? 0 : p == MAP_FAILED ? -errno : (munmap(p, len * PG), -EFAULT);
}

/* A slot's changer: O_MAP, O_UNMAP, O_SHRINK, O_GROW, O_MOVE. */
static void slot_change(struct worker *w, int op)
{
	struct slot *sl = &slots[rnd(w) % NS];
	unsigned long half, len, pgoff, nl;
	int expect = 0, d = (int)(rnd(w) % (unsigned)ndev), e;
	char *a, *b, *r;

	if (atomic_exchange(&sl->busy, 1)) {
		w->races++;	/* another thread is changing it */
		return;
	}
	/* read only now: before, another changer may have been finishing */
	half = sl->half;
	len = sl->len;
	pgoff = sl->pgoff;
	a = slot_addr((int)(sl - slots), half);
	b = slot_addr((int)(sl - slots), !half);
	atomic_fetch_add(&sl->seq, 1);
	switch (op) {
	case O_MAP:	/* over whatever is there: MAP_FIXED unmaps it */
		nl = 1 + rnd(w) % MAXL;
		pgoff = rnd(w) % (W - nl + 1);
		/* the whole half back to PROT_NONE first: no tail of a longer mapping left */
		mmap(a, MAXL * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
		e = map_dev(a, d, pgoff, nl, 1);
		len = e ? 0 : nl;	/* failed: the half is PROT_NONE now */
		if (e)
			fail(w, &w->bad_errno, "map slot %d: %s", (int)(sl - slots), strerror(-e));
		break;
	case O_UNMAP:
		if (!len)
			break;
		if (munmap(a, len * PG))
			fail(w, &w->bad_errno, "munmap slot %d: %s", (int)(sl - slots), strerror(errno));
		reserve(a, len * PG);
		len = 0;
		break;
	case O_SHRINK:
		if (len < 2)
			break;
		nl = 1 + rnd(w) % (len - 1);
		r = mremap(a, len * PG, nl * PG, 0);
		if (r != a) {
			fail(w, &w->bad_errno, "mremap shrink slot %d: %s", (int)(sl - slots), strerror(errno));
			break;
		}
		reserve(a + nl * PG, (len - nl) * PG);
		len = nl;
		break;
	case O_GROW:
	case O_MOVE:	/* to the other half of the slot, which MREMAP_FIXED unmaps */
		if (!len)
			break;
		nl = op == O_MOVE ? len : len + 1 + rnd(w) % (MAXL - len + (len == MAXL));
		if (nl > MAXL || pgoff + nl > W)
			nl = len;
		r = mremap(a, len * PG, nl * PG, MREMAP_MAYMOVE | MREMAP_FIXED, b);
		if (r == MAP_FAILED) {
			/*
			 * EFAULT: profile special is VM_DONTEXPAND, such a mapping cannot
			 * grow; or a racing mprotect split the range into two VMAs.
			 */
			expect = errno == EFAULT;
			if (!expect)
				fail(w, &w->bad_errno, "mremap %s slot %d %lu->%lu pages: %s", oname[op],
				     (int)(sl - slots), len, nl, strerror(errno));
			break;
		}
		reserve(a, len * PG);
		half = !half;
		len = nl;
		break;
	}
	sl->half = half;
	sl->len = len;
	sl->pgoff = pgoff;
	atomic_fetch_add(&sl->seq, 1);
	atomic_store(&sl->busy, 0);
}

/* What the kernel says is mapped around a slot that read wrong, for the log. */
static void dump_maps(struct slot *sl, unsigned long half, unsigned long len, unsigned long pgoff)
{
	unsigned long lo = (unsigned long)slot_addr((int)(sl - slots), 0), s, e;
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];

	printf("# slot %d: half %lu, %lu pages at window page %lu (pool page %lu), at %#lx; its maps:\n",
	       (int)(sl - slots), half, len, pgoff, base + pgoff, (unsigned long)slot_addr((int)(sl - slots), half));
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &s, &e) == 2 && s < lo + 2 * SLOT_SPAN && e > lo - SLOT_SPAN)
			printf("#   %s", line);
	if (f)
		fclose(f);
	fflush(stdout);
}

/* Read a page of a slot: a fault at a random offset, checked when nothing raced it. */
static void slot_read(struct worker *w, struct slot *sl, int in_child)
{
	unsigned long s1 = atomic_load(&sl->seq), half = sl->half, len = sl->len, pgoff = sl->pgoff;
	unsigned long i, word = rnd(w) % 512;
	uint64_t v = 0;
	int sig;

	if (!len)
		len = 1;	/* fault on the reservation anyway: SIGSEGV */
	i = rnd(w) % len;
	sig = mb_touch(slot_addr((int)(sl - slots), half) + i * PG + word * 8, MB_READ, &v);
	if (sig == SIGBUS) {
		fail(w, &w->sigbus, "slot %d page %lu (pool page %lu): SIGBUS", (int)(sl - slots), i,
		     base + pgoff + i);
		return;
	}
	if ((s1 & 1) || atomic_load(&sl->seq) != s1 || !sl->len) {
		w->races++;
		return;
	}
	if (sig || !word_ok(v, pgoff + i) ||
	    (!in_child && (pgoff + i) % nthreads == (unsigned long)w->id && v != shadow[pgoff + i])) {
		fail(w, &w->bad_read, "slot %d page %lu (window page %lu), word %lu: %s, read %#llx", (int)(sl - slots),
		     i, pgoff + i, word, mb_signame(sig), (unsigned long long)v);
		if (!in_child && w->bad_read == 1)
			dump_maps(sl, half, len, pgoff);
	}
}

/* mprotect or madvise part of a slot, racing whoever changes or reads it. */
static void slot_attr(struct worker *w, int op)
{
	static const int advice[] = { MADV_DONTNEED, MADV_WILLNEED, MADV_COLD, MADV_PAGEOUT };
	struct slot *sl = &slots[rnd(w) % NS];
	unsigned long len = sl->len ? sl->len : 1, o = rnd(w) % len, n = 1 + rnd(w) % (len - o);
	char *a = slot_addr((int)(sl - slots), sl->half) + o * PG;
	int r, adv = advice[rnd(w) % 4];

	if (op == O_MPROTECT)
		r = mprotect(a, n * PG, rnd(w) & 1 ? PROT_READ : PROT_READ | PROT_WRITE);
	else
		r = madvise(a, n * PG, adv);
	/*
	 * ENOMEM: the range was unmapped under us; EINVAL: advice the VMA refuses;
	 * ESPIPE, EBADF: WILLNEED's readahead on a character device.
	 */
	if (r && errno != ENOMEM &&
	    !(op == O_MADVISE && (errno == EINVAL || errno == ESPIPE || errno == EBADF)))
		fail(w, &w->bad_errno, "%s slot %d: %s", oname[op], (int)(sl - slots), strerror(errno));
}

/* Write this thread's pages of a range through one device, read them back through the other. */
static void own(struct worker *w)
{
	unsigned long len = 1 + rnd(w) % MAXL, pgoff = rnd(w) % (W - len + 1);
	int d = (int)(rnd(w) % (unsigned)ndev), e, sig;
	char *a = own_addr(w->id);
	uint64_t v;

	e = map_dev(a, d, pgoff, len, 1);
	if (e) {
		fail(w, &w->bad_errno, "map %s window %lu+%lu: %s", dname[d], pgoff, len, strerror(-e));
		return;
	}
	for (unsigned long i = 0; i < len; i++) {
		unsigned long p = pgoff + i;

		if (p % nthreads != (unsigned long)w->id)
			continue;
		v = MAGIC << 48 | (uint64_t)p << 32 | (uint64_t)w->id << 24 | (++seqno[w->id] & 0xffffff);
		if ((sig = mb_touch(a + i * PG, MB_FILL, &v))) {
			fail(w, &w->bad_read, "writing window page %lu through %s: %s", p, dname[d], mb_signame(sig));
			return;
		}
		shadow[p] = v;
	}
	d = (d + 1) % ndev;
	e = map_dev(a, d, pgoff, len, 1);	/* MAP_FIXED: replaces the first */
	if (e) {
		fail(w, &w->bad_errno, "map %s window %lu+%lu: %s", dname[d], pgoff, len, strerror(-e));
		return;
	}
	for (unsigned long i = 0; i < len; i++) {
		unsigned long p = pgoff + i, word = rnd(w) % 512;
		int mine = p % nthreads == (unsigned long)w->id;

		v = 0;
		sig = mb_touch(a + i * PG + word * 8, MB_READ, &v);
		if (sig || !word_ok(v, p) || (mine && v != shadow[p]))
			fail(w, &w->bad_read, "window page %lu word %lu through %s: %s, read %#llx, want %#llx", p,
			     word, dname[d], mb_signame(sig), (unsigned long long)v,
			     mine ? (unsigned long long)shadow[p] : 0ULL);
	}
	if (madvise(a, len * PG, MADV_DONTNEED))
		fail(w, &w->bad_errno, "madvise(MADV_DONTNEED) of its own range: %s", strerror(errno));
	mmap(a, OWN_SPAN, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
}

/* A child reads a few slots and its parent thread's pages, then exits: 0 clean, 1 not. */
static void forked(struct worker *w)
{
	pid_t pid = fork();
	int st;

	if (pid < 0) {
		fail(w, &w->bad_errno, "fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		unsigned long before = w->bad_read + w->sigbus;

		w->first[0] = 0;
		for (int i = 0; i < 8; i++)
			slot_read(w, &slots[rnd(w) % NS], 1);
		if (w->bad_read + w->sigbus != before) {
			char line[300];
			int n = snprintf(line, sizeof(line), "# thread %d's child: %s\n", w->id, w->first);

			write(2, line, (size_t)n);
			_exit(1);
		}
		_exit(0);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		fail(w, &w->forks_bad, "a forked child (pid %d) saw a wrong page or died: status %#x", (int)pid, st);
}

static void one(struct worker *w)
{
	static const char *const profiles[] = MB_PROFILES_INIT;
	unsigned total = 0, r;
	int op = 0;

	for (int i = 0; i < NO; i++)
		total += weight[i];
	r = (unsigned)(rnd(w) % total);
	while (r >= weight[op])
		r -= weight[op++];
	w->ops[op]++;
	switch (op) {
	case O_MAP: case O_UNMAP: case O_SHRINK: case O_GROW: case O_MOVE:
		slot_change(w, op);
		break;
	case O_MPROTECT: case O_MADVISE:
		slot_attr(w, op);
		break;
	case O_TOUCH:
		slot_read(w, &slots[rnd(w) % NS], 0);
		break;
	case O_OWN:
		own(w);
		break;
	case O_FORK:
		forked(w);
		break;
	case O_PROFILE:
		if (mb_write_str(MB_PARAM MMAPBENCH_PARAM_PROFILE, profiles[rnd(w) % 3]))
			fail(w, &w->bad_errno, "writing the profile: %s", strerror(errno));
		break;
	case O_RESET: {
		char path[128];

		snprintf(path, sizeof(path), MMAPBENCH_DEBUGFS_DIR "/%s/" MMAPBENCH_DBG_RESET, dname[rnd(w) % ndev]);
		if (mb_write_str(path, "1"))
			fail(w, &w->bad_errno, "writing %s: %s", path, strerror(errno));
		break;
	}
	}
}

static unsigned long nops;
static atomic_int go;

static void *work(void *arg)
{
	struct worker *w = arg;

	while (!atomic_load(&go))
		;
	for (unsigned long i = 0; i < nops; i++)
		one(w);
	return NULL;
}

/* At rest: K fresh mappings of L pages on device d, each page read once. */
static int counted(int d, int k, unsigned long l, long *hook, long *faults)
{
	char path[128];
	uint64_t v;
	int bad = 0;

	snprintf(path, sizeof(path), MMAPBENCH_DEBUGFS_DIR "/%s/" MMAPBENCH_DBG_RESET, dname[d]);
	if (mb_write_str(path, "1"))
		return -1;
	for (int i = 0; i < k; i++) {
		char *p = mmap(NULL, l * PG, PROT_READ, MAP_SHARED, fds[d], (off_t)((base + (unsigned long)i) * PG));

		if (p == MAP_FAILED)
			return -1;
		for (unsigned long j = 0; j < l; j++)
			bad |= mb_touch(p + j * PG, MB_READ, &v) != 0;
		munmap(p, l * PG);
	}
	*hook = mb_counter(dname[d], MMAPBENCH_COUNTER_HOOK_CALLS);
	*faults = mb_counter(dname[d], MMAPBENCH_COUNTER_FAULTS);
	return bad ? -1 : 0;
}

int main(int argc, char **argv)
{
	static struct worker w[MAXT];
	unsigned long long seed;
	unsigned long pool = mb_pool_pages(), sum[NO] = { 0 }, races = 0, bad = 0;
	char prof0[32] = MMAPBENCH_PROFILE_DEFAULT, mp[8] = "";
	struct timespec ts, t0, t1;
	char *arena;

	mb_no_args(argc, argv, "[MB_RACE_SEED=N] [MB_RACE_OPS=N] [MB_RACE_THREADS=2-8] t_race");
	clock_gettime(CLOCK_REALTIME, &ts);
	seed = mb_env_num("MB_RACE_SEED", (unsigned long long)ts.tv_sec * 1000003ULL ^ (unsigned long long)ts.tv_nsec,
			  0, ~0ULL);
	nops = mb_env_num("MB_RACE_OPS", 3000, 1, 100000000);
	nthreads = (int)mb_env_num("MB_RACE_THREADS", 4, 2, MAXT);
	printf("# seed %llu, %d threads, %lu ops each (replay: MB_RACE_SEED=%llu MB_RACE_OPS=%lu MB_RACE_THREADS=%d t_race)\n",
	       seed, nthreads, nops, seed, nops, nthreads);
	fflush(stdout);
	mb_catch_faults();
	/* The plan: 6 claims, 4 per device (the prepare one wherever the hook is). */
	ndev = mb_have_prepare() ? 2 : 1;
	tap_plan(6 + 4 * ndev);
	if (!ok(pool >= W, "the module is loaded, pool %lu pages", pool))
		return tap_done();
	base = pool >= 6144 + W ? 6144 : 0;	/* past t_module's and t_stress's pages when there is room */
	mb_read_line(MB_PARAM MMAPBENCH_PARAM_PROFILE, prof0, sizeof(prof0));
	fds[D_LEGACY] = open(MB_DEV_LEGACY, O_RDWR);
	if (ndev == 2)
		fds[D_PREPARE] = open(MB_DEV_PREPARE, O_RDWR);
	if (!ok(fds[D_LEGACY] >= 0 && (ndev == 1 || fds[D_PREPARE] >= 0), "the devices open: legacy%s", ndev == 2 ? ", prepare" : " (no new hook here)"))
		return tap_done();
	arena = mmap(ARENA, NS * SLOT_SPAN + MAXT * OWN_SPAN, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_NORESERVE, -1, 0);
	if (!ok(arena == ARENA, "the arena is reserved at %p", (void *)ARENA))
		return tap_done();
	/* A known window: zero everywhere. */
	{
		char *p = mmap(NULL, W * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fds[D_LEGACY], (off_t)(base * PG));

		if (!ok(p != MAP_FAILED, "the window (pool pages %lu-%lu) is zeroed", base, base + W - 1))
			return tap_done();
		memset(p, 0, W * PG);
		munmap(p, W * PG);
	}
	/* The counters are this test's from here: zero, and zero at the end. */
	for (int d = 0; d < ndev; d++) {
		char path[128];

		snprintf(path, sizeof(path), MMAPBENCH_DEBUGFS_DIR "/%s/" MMAPBENCH_DBG_RESET, dname[d]);
		ok(mb_write_str(path, "1") == 0 && mb_counter(dname[d], MMAPBENCH_COUNTER_SIGBUS) == 0 &&
		   mb_counter(dname[d], MMAPBENCH_COUNTER_EINVAL) == 0 && mb_counter(dname[d], MMAPBENCH_COUNTER_HOOK_CALLS) == 0,
		   "%s: the counters reset to 0", dname[d]);
	}

	for (int i = 0; i < nthreads; i++) {
		w[i].id = i;
		w[i].rng = seed * 0x100000001b3ULL + (uint64_t)i;
		if (pthread_create(&w[i].th, NULL, work, &w[i])) {
			ok(0, "thread %d starts", i);
			return tap_done();
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	atomic_store(&go, 1);
	for (int i = 0; i < nthreads; i++)
		pthread_join(w[i].th, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	mb_write_str(MB_PARAM MMAPBENCH_PARAM_PROFILE, prof0);

	for (int i = 0; i < nthreads; i++) {
		unsigned long b = w[i].bad_errno + w[i].bad_read + w[i].sigbus + w[i].forks_bad;

		bad += b;
		races += w[i].races;
		for (int o = 0; o < NO; o++)
			sum[o] += w[i].ops[o];
		if (b)
			diag("thread %d: %lu unexpected errors, %lu wrong reads, %lu SIGBUS, %lu bad children; the first: %s",
			     i, w[i].bad_errno, w[i].bad_read, w[i].sigbus, w[i].forks_bad, w[i].first);
	}
	for (int o = 0; o < NO; o++)
		diag("  %-14s %lu", oname[o], sum[o]);
	diag("%lu reads or changes raced another thread (not checked, by design)", races);
	ok(bad == 0, "seed %llu: %d threads x %lu ops in %.1f s: no unexpected errno, no SIGBUS, no page from the wrong place",
	   seed, nthreads, nops, (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	{
		unsigned long ran = 0;

		for (int o = 0; o < NO; o++)
			ran += sum[o] > 0;
		ok(nops * nthreads < 2000 || ran == NO, "every kind of op ran (%lu of %d)", ran, NO);
	}
	/*
	 * The racing resets zero sigbus and einval too: a count made before the last
	 * reset is missed (the SIGBUS itself is not: the reader fails on it).
	 */
	for (int d = 0; d < ndev; d++)
		ok(mb_counter(dname[d], MMAPBENCH_COUNTER_SIGBUS) == 0 && mb_counter(dname[d], MMAPBENCH_COUNTER_EINVAL) == 0,
		   "%s: the module counted no SIGBUS and no EINVAL since its last reset", dname[d]);

	/* At rest, every page holds its owner's last write, through either device. */
	for (int d = 0; d < ndev; d++) {
		char *p = mmap(NULL, W * PG, PROT_READ, MAP_SHARED, fds[d], (off_t)(base * PG));
		unsigned long wrong = 0;

		if (p == MAP_FAILED) {
			ok(0, "%s: the window maps at rest", dname[d]);
			continue;
		}
		for (unsigned long k = 0; k < W; k++) {
			uint64_t a = 0, b = 0;

			wrong += mb_touch(p + k * PG, MB_READ, &a) || mb_touch(p + k * PG + PG - 8, MB_READ, &b) ||
				 a != shadow[k] || b != shadow[k];
		}
		munmap(p, W * PG);
		ok(wrong == 0, "%s: at rest every window page holds its owner's last write (%lu wrong)", dname[d], wrong);
	}

	/* At rest, the counters count a known workload exactly. */
	mb_read_line(MB_PARAM MMAPBENCH_PARAM_MAP_PAGES, mp, sizeof(mp));
	for (int d = 0; d < ndev; d++) {
		long hook = -1, faults = -1;
		int r = counted(d, 5, 3, &hook, &faults);

		ok(r == 0 && hook == 5 && (mp[0] != 'N' || faults == 15),
		   "%s: at rest, after a reset, 5 mmaps of 3 pages read once count %ld hook calls (want 5), %ld faults (want 15%s)",
		   dname[d], hook, faults, mp[0] != 'N' ? ", not checked: map_pages is on" : "");
	}
	munmap(ARENA, NS * SLOT_SPAN + MAXT * OWN_SPAN);
	return tap_done();
}
