// SPDX-License-Identifier: GPL-2.0
/*
 * Merge behaviour of the two devices, per flag profile, counted in /proc/self/maps
 * and in the module's hook counter.  N chunks of P pages from one fd, at consecutive
 * addresses and consecutive offsets, ascending (merge with prev) and descending
 * (merge with next), placed with MAP_FIXED_NOREPLACE inside a released reservation.
 *
 * MB_EXPECT_SECOND_MERGE=1 says the kernel still has the retry merge after a legacy
 * .mmap changed the flags (before v6.16); 0 says it does not.
 */
#include "tap.h"
#include "mbtest.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define N 16
#define P 4
#define PG 4096UL
#define CHUNK (P * PG)
#define DBG MMAPBENCH_DEBUGFS_DIR "/"

struct run {
	int vmas;
	long hook_calls;
	long faults;
};

static long counter(const char *dev, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), DBG "%s/%s", dev, name);
	return mb_read_long(path);
}

static void reset(const char *dev)
{
	char path[256];

	snprintf(path, sizeof(path), DBG "%s/reset", dev);
	mb_write_str(path, "1");
}

/* Map N chunks in the given order, touch every page, count. -1 vmas on failure. */
static struct run map_chunks(const char *dev, const char *name, int descending)
{
	struct run r = { -1, -1, -1 };
	unsigned long base;
	int fd = open(dev, O_RDWR);
	void *res;

	if (fd < 0)
		return r;
	res = mmap(NULL, N * CHUNK, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (res == MAP_FAILED)
		goto out;
	base = (unsigned long)res;
	munmap(res, N * CHUNK);
	reset(name);
	for (int k = 0; k < N; k++) {
		int i = descending ? N - 1 - k : k;
		void *p = mmap((void *)(base + i * CHUNK), CHUNK, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_FIXED_NOREPLACE, fd, (off_t)(i * CHUNK));

		if (p != (void *)(base + i * CHUNK)) {
			diag("%s: chunk %d: %s", dev, i, p == MAP_FAILED ? strerror(errno) : "misplaced");
			if (p != MAP_FAILED)
				munmap(p, CHUNK);
			munmap((void *)base, N * CHUNK);
			goto out;
		}
	}
	r.hook_calls = counter(name, MMAPBENCH_COUNTER_HOOK_CALLS);
	for (unsigned long off = 0; off < N * CHUNK; off += PG)
		(void)*(volatile char *)(base + off);
	r.faults = counter(name, MMAPBENCH_COUNTER_FAULTS);
	r.vmas = mb_vmas_in(base, base + N * CHUNK);
	munmap((void *)base, N * CHUNK);
out:
	close(fd);
	return r;
}

int main(int argc, char **argv)
{
	const char *sm = getenv("MB_EXPECT_SECOND_MERGE");
	int second = sm && !strcmp(sm, "1");
	char prof0[64] = "";
	int ndev;
	static const char *const profiles[] = MB_PROFILES_INIT;
	static const char *const dirs[] = { "ascending", "descending" };

	mb_no_args(argc, argv, "MB_EXPECT_SECOND_MERGE=0|1 t_merge");
	/* The plan: 3 claims per profile, device and direction; the prepare device is
	 * missing only where the kernel has no new hook. */
	ndev = mb_have_prepare() ? 2 : 1;
	tap_plan(1 + 3 * ndev * 2 * 3);
	if (!ok(sm != NULL, "MB_EXPECT_SECOND_MERGE is set (%s)", sm ? sm : "unset"))
		return tap_done();
	mb_read_line(MB_PARAM MMAPBENCH_PARAM_PROFILE, prof0, sizeof(prof0));
	for (size_t pi = 0; pi < 3; pi++) {
		const char *prof = profiles[pi];
		char why[96];

		/* The module always has a writable profile: failing to set it loses claims. */
		if (mb_write_str(MB_PARAM MMAPBENCH_PARAM_PROFILE, prof)) {
			snprintf(why, sizeof(why), "profile %s: cannot write the profile parameter (%s)", prof,
				 strerror(errno));
			tap_lost(3 * ndev * 2, why);
			continue;
		}
		for (int d = 0; d < ndev; d++) {
			const char *name = d ? MMAPBENCH_DBG_PREPARE : MMAPBENCH_DBG_LEGACY;
			const char *dev = d ? MB_DEV_PREPARE : MB_DEV_LEGACY;
			int special = !strcmp(prof, MMAPBENCH_PROFILE_SPECIAL);
			int changes = !strcmp(prof, MMAPBENCH_PROFILE_DONTDUMP);
			int merges, want_vmas;
			long want_hooks;

			/*
			 * special never merges.  A flag change made before the merge (the new
			 * hook) merges; one made after it (legacy .mmap) merges only through
			 * the retry, which kernels since v6.16 no longer have.
			 */
			merges = !special && (d || !changes || second);
			want_vmas = merges ? 1 : N;
			/*
			 * Hook calls: .mmap_prepare runs before the merge attempt, so N.  A
			 * legacy .mmap runs only when the first merge fails: with profile none
			 * every chunk after the first merges at once and skips it; a flag
			 * change makes the neighbour differ from the request, so every chunk
			 * calls it (and on older kernels then retries the merge).
			 */
			want_hooks = (d || changes || special) ? N : 1;
			for (int dir = 0; dir < 2; dir++) {
				struct run r = map_chunks(dev, name, dir);

				ok(r.vmas == want_vmas, "%s %s %s: %d VMAs for %d chunks (want %d)",
				   name, prof, dirs[dir], r.vmas, N, want_vmas);
				ok(r.hook_calls == want_hooks, "%s %s %s: %ld hook calls (want %ld)",
				   name, prof, dirs[dir], r.hook_calls, want_hooks);
				ok(r.faults == (long)(N * P), "%s %s %s: %ld faults for %d pages touched",
				   name, prof, dirs[dir], r.faults, N * P);
			}
		}
	}
	mb_write_str(MB_PARAM MMAPBENCH_PARAM_PROFILE, prof0);
	return tap_done();
}
