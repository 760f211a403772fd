// SPDX-License-Identifier: GPL-2.0
/*
 * Map/fault/unmap storms from several threads at once, on both devices and on
 * anonymous memory and a memfd, while another thread flips the profile parameter
 * under them.  Each thread owns a region of the pool and of the memfd, writes its
 * own pattern there and checks it on the next visit: a page from the wrong place,
 * a lost write or any error fails the run.
 *
 *   MB_STRESS_SECONDS  how long to run (default 2; fractions allowed)
 *   MB_STRESS_THREADS  worker threads (default 4, at most 16)
 */
#include "tap.h"
#include "mbtest.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define PG 4096UL
#define R 64			/* pages each thread owns, per backing store */
#define MAXLEN 16		/* pages per mapping, at most */
#define MAXT 16

enum { T_LEGACY, T_PREPARE, T_ANON, T_MEMFD, NT };
static const char *const tname[NT] = { MMAPBENCH_DBG_LEGACY, MMAPBENCH_DBG_PREPARE, "anon", "memfd" };

struct worker {
	pthread_t th;
	int id;
	uint64_t rng;
	uint64_t pool[R];	/* what this thread last wrote in its pool pages */
	uint64_t mfd[R];	/* ... and in its memfd pages */
	unsigned long ops[NT], errors;
	char first_error[256];
};

static int fds[NT] = { -1, -1, -1, -1 };
static int have[NT];
static unsigned long pool_base;
static atomic_int stop;
static unsigned long flips;

static uint64_t rnd(struct worker *w)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return w->rng;
}

static void fail(struct worker *w, int t, const char *fmt, ...)
{
	va_list ap;

	if (w->errors++ == 0) {
		int n = snprintf(w->first_error, sizeof(w->first_error), "thread %d, %s, op %lu: ", w->id,
				 tname[t], w->ops[t]);

		va_start(ap, fmt);
		vsnprintf(w->first_error + n, sizeof(w->first_error) - n, fmt, ap);
		va_end(ap);
	}
}

/* Check then rewrite pages [o, o+len) of this thread's region, mapped at P. */
static void churn(struct worker *w, int t, char *p, unsigned long o, unsigned long len, uint64_t *shadow)
{
	for (unsigned long i = 0; i < len; i++) {
		char *pg = p + i * PG;
		uint64_t v = 0, want = shadow[o + i], nv;
		unsigned long word = rnd(w) % 512;
		int sig;

		/* Word 0 and one more: both must be this page's pattern. */
		if ((sig = mb_touch(pg, MB_READ, &v)) || v != want ||
		    (sig = mb_touch(pg + word * 8, MB_READ, &v)) || v != want) {
			fail(w, t, "page %lu: %s, read %#llx, want %#llx", o + i, mb_signame(sig),
			     (unsigned long long)v, (unsigned long long)want);
			return;
		}
		nv = ((uint64_t)w->id << 56) | (rnd(w) >> 8) | 1;
		if ((sig = mb_touch(pg, MB_FILL, &nv))) {
			fail(w, t, "page %lu: writing: %s", o + i, mb_signame(sig));
			return;
		}
		shadow[o + i] = nv;
	}
}

static void one_op(struct worker *w, int t)
{
	unsigned long len = 1 + rnd(w) % MAXLEN, o = rnd(w) % (R - len + 1);
	unsigned long pgoff = t == T_MEMFD ? (unsigned long)w->id * R + o : pool_base + (unsigned long)w->id * R + o;
	uint64_t anon[R] = { 0 };	/* anonymous pages: known only while mapped */
	uint64_t *shadow = t == T_ANON ? anon : t == T_MEMFD ? w->mfd : w->pool;
	unsigned r = rnd(w) % 8;
	char *p;

	w->ops[t]++;
	if (t == T_ANON)
		p = mmap(NULL, len * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	else
		p = mmap(NULL, len * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fds[t], (off_t)(pgoff * PG));
	if (p == MAP_FAILED) {
		fail(w, t, "mmap of %lu pages at page %lu: %s", len, pgoff, strerror(errno));
		return;
	}
	churn(w, t, p, o, len, shadow);
	if (r == 0 && t != T_ANON) {
		/* Dropped pages of a shared mapping fault back in with their data. */
		if (madvise(p, len * PG, MADV_DONTNEED))
			fail(w, t, "madvise(MADV_DONTNEED): %s", strerror(errno));
		churn(w, t, p, o, len, shadow);
	} else if (r == 1) {
		/* Split it, then use both halves. */
		if (len >= 3 && mprotect(p + PG, PG, PROT_READ))
			fail(w, t, "mprotect: %s", strerror(errno));
		if (len >= 3 && mprotect(p + PG, PG, PROT_READ | PROT_WRITE))
			fail(w, t, "mprotect back: %s", strerror(errno));
		churn(w, t, p, o, len, shadow);
	} else if (r == 2 && t != T_ANON) {
		/* A private mapping's writes never reach the shared store. */
		char *q = mmap(NULL, len * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fds[t], (off_t)(pgoff * PG));
		uint64_t junk = ~0ULL;

		if (q == MAP_FAILED) {
			fail(w, t, "MAP_PRIVATE mmap: %s", strerror(errno));
		} else {
			for (unsigned long i = 0; i < len; i++)
				mb_touch(q + i * PG, MB_FILL, &junk);
			munmap(q, len * PG);
		}
		churn(w, t, p, o, len, shadow);
	} else if (r == 3 && t != T_ANON && o + len < R) {
		/* A neighbour at the next offset, placed to merge (or not, by profile). */
		char *q = mmap(p + len * PG, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED_NOREPLACE, fds[t],
			       (off_t)((pgoff + len) * PG));

		if (q == p + len * PG)
			churn(w, t, q, o + len, 1, shadow);
		if (q != MAP_FAILED)
			munmap(q, PG);
		else if (errno != EEXIST)	/* another thread's mapping sits there */
			fail(w, t, "mmap of a neighbour: %s", strerror(errno));
	}
	if (munmap(p, len * PG))
		fail(w, t, "munmap: %s", strerror(errno));
}

static void *work(void *arg)
{
	struct worker *w = arg;
	unsigned long i = 0;

	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		int t = (int)(i++ % NT);

		if (have[t])
			one_op(w, t);
	}
	return NULL;
}

static void *flipper(void *arg)
{
	static const char *const profiles[] = MB_PROFILES_INIT;
	struct timespec ts = { 0, 2000000 };

	(void)arg;
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		if (mb_write_str(MB_PARAM MMAPBENCH_PARAM_PROFILE, profiles[flips % 3]) == 0)
			flips++;
		nanosleep(&ts, NULL);
	}
	return NULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void scrub(int fd, unsigned long pgoff, unsigned long pages)
{
	char *p = mmap(NULL, pages * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)(pgoff * PG));

	if (p != MAP_FAILED) {
		memset(p, 0, pages * PG);
		munmap(p, pages * PG);
	}
}

int main(int argc, char **argv)
{
	const char *s = getenv("MB_STRESS_SECONDS");
	double secs = 2.0, t0;
	int nthreads;
	static struct worker w[MAXT];
	unsigned long pool = mb_pool_pages(), total[NT] = { 0 }, errors = 0;
	long sb0[2], ev0[2];
	char prof0[32] = MMAPBENCH_PROFILE_DEFAULT;
	pthread_t fl;
	int flipping, want_prepare;

	mb_no_args(argc, argv, "[MB_STRESS_SECONDS=S] [MB_STRESS_THREADS=1-16] t_stress");
	if (s) {
		char *end;

		secs = strtod(s, &end);
		if (!*s || *end || !(secs > 0 && secs <= 86400)) {
			fprintf(stderr, "t_stress: MB_STRESS_SECONDS=%s: want seconds, more than 0\n", s);
			return 2;
		}
	}
	nthreads = (int)mb_env_num("MB_STRESS_THREADS", 4, 1, MAXT);
	mb_catch_faults();
	/* The plan: 9 claims, 2 more for the prepare device wherever the hook is. */
	want_prepare = mb_have_prepare();
	tap_plan(9 + 2 * want_prepare);
	if (!ok(pool >= (unsigned long)nthreads * R, "the module is loaded, pool %lu pages", pool))
		return tap_done();
	/* Past t_module's first 3 MiB and t_badinput's pages when the pool has room. */
	pool_base = pool >= 4096 + MAXT * R ? 4096 : 0;
	diag("%d threads for %.1f s; pool pages %lu-%lu", nthreads, secs, pool_base,
	     pool_base + (unsigned long)nthreads * R - 1);
	mb_read_line(MB_PARAM MMAPBENCH_PARAM_PROFILE, prof0, sizeof(prof0));

	fds[T_LEGACY] = open(MB_DEV_LEGACY, O_RDWR);
	if (want_prepare)
		fds[T_PREPARE] = open(MB_DEV_PREPARE, O_RDWR);
	fds[T_MEMFD] = memfd_create("t_stress", 0);
	ok(fds[T_LEGACY] >= 0 && fds[T_MEMFD] >= 0 && (!want_prepare || fds[T_PREPARE] >= 0) &&
	   ftruncate(fds[T_MEMFD], (off_t)((unsigned long)nthreads * R * PG)) == 0,
	   "the targets open: legacy%s, anon, memfd", fds[T_PREPARE] >= 0 ? ", prepare" : "");
	for (int t = 0; t < NT; t++)
		have[t] = t == T_ANON || fds[t] >= 0;

	/* Start from a known pool: zero in every page the threads own. */
	scrub(fds[T_LEGACY], pool_base, (unsigned long)nthreads * R);
	for (int d = 0; d < 2; d++) {
		sb0[d] = mb_counter(d ? MMAPBENCH_DBG_PREPARE : MMAPBENCH_DBG_LEGACY, MMAPBENCH_COUNTER_SIGBUS);
		ev0[d] = mb_counter(d ? MMAPBENCH_DBG_PREPARE : MMAPBENCH_DBG_LEGACY, MMAPBENCH_COUNTER_EINVAL);
	}

	flipping = pthread_create(&fl, NULL, flipper, NULL) == 0;
	t0 = now();
	for (int i = 0; i < nthreads; i++) {
		w[i].id = i;
		w[i].rng = 0x9e3779b97f4a7c15ULL * (uint64_t)(i + 1);
		if (pthread_create(&w[i].th, NULL, work, &w[i])) {
			nthreads = i;
			break;
		}
	}
	while (now() - t0 < secs) {
		struct timespec d = { 0, 50000000 };

		nanosleep(&d, NULL);
	}
	atomic_store(&stop, 1);
	for (int i = 0; i < nthreads; i++)
		pthread_join(w[i].th, NULL);
	if (flipping)
		pthread_join(fl, NULL);
	t0 = now() - t0;

	for (int i = 0; i < nthreads; i++) {
		errors += w[i].errors;
		for (int t = 0; t < NT; t++)
			total[t] += w[i].ops[t];
		if (w[i].errors)
			diag("%lu errors, the first: %s", w[i].errors, w[i].first_error);
	}
	ok(errors == 0, "%d threads, %.1f s: no error, no signal, every page had its thread's pattern",
	   nthreads, t0);
	diag("profile flips: %lu", flips);
	for (int t = 0; t < NT; t++) {
		if (!have[t])
			continue;
		diag("%s: %lu ops (%.0f/s)", tname[t], total[t], total[t] / t0);
		ok(total[t] > 0, "%s: storms ran (%lu map/fault/unmap rounds)", tname[t], total[t]);
	}
	for (int d = 0; d < 2; d++) {
		const char *n = d ? MMAPBENCH_DBG_PREPARE : MMAPBENCH_DBG_LEGACY;

		if (!have[d ? T_PREPARE : T_LEGACY])
			continue;
		ok(mb_counter(n, MMAPBENCH_COUNTER_SIGBUS) == sb0[d] && mb_counter(n, MMAPBENCH_COUNTER_EINVAL) == ev0[d],
		   "%s: no SIGBUS and no EINVAL counted by the module", n);
	}

	/* Last, every page each thread owns holds what it wrote last, seen afresh. */
	for (int t = 0; t < NT; t++) {
		unsigned long bad = 0;

		if (t == T_ANON || t == T_PREPARE || !have[t])
			continue;
		for (int i = 0; i < nthreads; i++) {
			unsigned long base = t == T_MEMFD ? (unsigned long)i * R : pool_base + (unsigned long)i * R;
			uint64_t *sh = t == T_MEMFD ? w[i].mfd : w[i].pool;
			char *p = mmap(NULL, R * PG, PROT_READ, MAP_SHARED, fds[t], (off_t)(base * PG));

			if (p == MAP_FAILED) {
				bad++;
				continue;
			}
			for (unsigned long k = 0; k < R; k++) {
				uint64_t a = 0, b = 0;

				bad += mb_touch(p + k * PG, MB_READ, &a) || mb_touch(p + k * PG + PG - 8, MB_READ, &b) ||
				       a != sh[k] || b != sh[k];
			}
			munmap(p, R * PG);
		}
		ok(bad == 0, "%s: after the storm every page holds its thread's last write (%lu wrong)",
		   t == T_MEMFD ? "memfd" : "pool", bad);
	}

	mb_write_str(MB_PARAM MMAPBENCH_PARAM_PROFILE, prof0);
	scrub(fds[T_LEGACY], pool_base, (unsigned long)nthreads * R);
	return tap_done();
}
