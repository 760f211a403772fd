// SPDX-License-Identifier: GPL-2.0
/*
 * The companion module's contract, checked from userspace in the guest:
 * devices present per hook, zeroed pool, data kept, bounds, identical VmFlags.
 *
 * MB_EXPECT_HOOK (environment) names the hook this kernel must have.
 */
#include "tap.h"
#include "mbtest.h"

#define MIB (1UL << 20)

static const char *const devs[] = { MB_DEV_LEGACY, MB_DEV_PREPARE };
static const char *const profiles[] = MB_PROFILES_INIT;

static int all_bytes(const unsigned char *p, size_t n, unsigned char v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

static void *map_dev(const char *dev, size_t len, int flags, off_t off, int *err)
{
	int fd = open(dev, O_RDWR);
	void *p;

	*err = 0;
	if (fd < 0) {
		*err = errno;
		return MAP_FAILED;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, fd, off);
	if (p == MAP_FAILED)
		*err = errno;
	close(fd);	/* the mapping keeps the file */
	return p;
}

#define DATA_CLAIMS 4
#define BOUNDS_CLAIMS 3

static void check_data(const char *dev, off_t off)
{
	int err, mark = tap_run;
	unsigned char *p = map_dev(dev, MIB, MAP_SHARED, off, &err);

	if (!ok(p != MAP_FAILED, "%s: MAP_SHARED of 1 MiB at %ld maps (%s)", dev, (long)off,
		strerror(err))) {
		tap_claims(mark, DATA_CLAIMS, dev);
		return;
	}
	ok(all_bytes(p, MIB, 0), "%s: a fresh mapping reads zeros", dev);
	memset(p, 0xa5, MIB);
	munmap(p, MIB);

	p = map_dev(dev, MIB, MAP_SHARED, off, &err);
	ok(p != MAP_FAILED && all_bytes(p, MIB, 0xa5), "%s: a new mapping sees what was written", dev);
	if (p != MAP_FAILED)
		munmap(p, MIB);

	p = map_dev(dev, MIB, MAP_PRIVATE, off, &err);
	if (p != MAP_FAILED) {
		memset(p, 0x5a, MIB);	/* COW: private copies only */
		munmap(p, MIB);
	}
	p = map_dev(dev, MIB, MAP_SHARED, off, &err);
	ok(p != MAP_FAILED && all_bytes(p, MIB, 0xa5), "%s: a MAP_PRIVATE write leaves the pool unchanged", dev);
	if (p != MAP_FAILED) {
		memset(p, 0, MIB);
		munmap(p, MIB);
	}
}

static void check_bounds(const char *dev, size_t pool)
{
	int err;
	void *p;

	p = map_dev(dev, 4096, MAP_SHARED, (off_t)pool, &err);
	ok(p == MAP_FAILED && err == EINVAL, "%s: a page at the pool's end fails with EINVAL (got %s)",
	   dev, p == MAP_FAILED ? strerror(err) : "a mapping");
	if (p != MAP_FAILED)
		munmap(p, 4096);
	p = map_dev(dev, pool + 4096, MAP_SHARED, 0, &err);
	ok(p == MAP_FAILED && err == EINVAL, "%s: pool + 1 page from offset 0 fails with EINVAL (got %s)",
	   dev, p == MAP_FAILED ? strerror(err) : "a mapping");
	if (p != MAP_FAILED)
		munmap(p, pool + 4096);
	p = map_dev(dev, pool, MAP_SHARED, 0, &err);
	ok(p != MAP_FAILED, "%s: the whole pool maps (%s)", dev, strerror(err));
	if (p != MAP_FAILED)
		munmap(p, pool);
}

/* Both devices, same profile: the VMAs must carry the same flags. */
static void check_flags(int ndev, const char *profile)
{
	char fl[2][256] = { "", "" };
	void *p[2];
	int err;

	for (int d = 0; d < ndev; d++) {
		p[d] = map_dev(devs[d], 65536, MAP_SHARED, 0, &err);
		if (p[d] == MAP_FAILED || mb_vmflags(p[d], fl[d], sizeof(fl[d])))
			snprintf(fl[d], sizeof(fl[d]), "(no mapping: %s)", strerror(err));
	}
	diag("profile %s: legacy VmFlags: %s", profile, fl[0]);
	if (ndev == 2) {
		diag("profile %s: prepare VmFlags: %s", profile, fl[1]);
		ok(!strcmp(fl[0], fl[1]), "profile %s: both devices' VMAs have identical VmFlags", profile);
	}
	if (!strcmp(profile, MMAPBENCH_PROFILE_DONTDUMP))
		ok(mb_has_flag(fl[0], "dd") && !mb_has_flag(fl[0], "io"), "profile " MMAPBENCH_PROFILE_DONTDUMP ": VmFlags has dd, not io");
	else if (!strcmp(profile, MMAPBENCH_PROFILE_NONE))
		ok(!mb_has_flag(fl[0], "dd") && !mb_has_flag(fl[0], "io"), "profile none: neither dd nor io");
	else
		ok(mb_has_flag(fl[0], "io") && mb_has_flag(fl[0], "de"), "profile special: io and de");
	for (int d = 0; d < ndev; d++)
		if (p[d] != MAP_FAILED)
			munmap(p[d], 65536);
}

int main(int argc, char **argv)
{
	const char *expect = getenv("MB_EXPECT_HOOK");
	char hook[64] = "", prof0[64] = "";
	int ndev, hook_read;
	long pool_mb;

	mb_no_args(argc, argv, "[MB_EXPECT_HOOK=HOOK] t_module");
	/*
	 * The plan: the devices are the ones the hook says (MB_EXPECT_HOOK's, when the
	 * parameter cannot be read); the flag checks make one claim per device.
	 */
	hook_read = mb_read_line(MB_PARAM MMAPBENCH_PARAM_HOOK, hook, sizeof(hook)) == 0;
	ndev = strcmp(hook_read ? hook : expect ? expect : MMAPBENCH_HOOK_NONE, MMAPBENCH_HOOK_NONE) ? 2 : 1;
	tap_plan(5 + !!expect + ndev * (DATA_CLAIMS + BOUNDS_CLAIMS) + 1 + 3 * ndev + 1);
	if (!ok(access(MMAPBENCH_SYSFS_DIR, F_OK) == 0, "the module is loaded"))
		return tap_done();
	ok(hook_read, "parameter hook is readable: '%s'", hook);
	if (expect)
		ok(!strcmp(hook, expect), "hook is '%s' on this kernel (expected '%s')", hook, expect);
	ok(access(MB_DEV_LEGACY, F_OK) == 0, "%s exists", MB_DEV_LEGACY);
	ok((access(MB_DEV_PREPARE, F_OK) == 0) == (ndev == 2), "%s %s with hook '%s'", MB_DEV_PREPARE,
	   ndev == 2 ? "exists" : "is absent", hook);

	pool_mb = mb_read_long(MB_PARAM MMAPBENCH_PARAM_POOL_MB);
	ok(pool_mb > 4, "pool_mb is readable and large enough for the tests (%ld)", pool_mb);
	if (pool_mb <= 4)
		return tap_done();

	for (int d = 0; d < ndev; d++) {
		check_data(devs[d], (off_t)(2 * d) * (off_t)MIB);
		check_bounds(devs[d], (size_t)pool_mb * MIB);
	}

	mb_read_line(MB_PARAM MMAPBENCH_PARAM_PROFILE, prof0, sizeof(prof0));
	ok(!strcmp(prof0, MMAPBENCH_PROFILE_DEFAULT), "the default profile is %s (got '%s')",
	   MMAPBENCH_PROFILE_DEFAULT, prof0);
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		/* The module's profile is always writable: failing to set it loses claims. */
		if (mb_write_str(MB_PARAM MMAPBENCH_PARAM_PROFILE, profiles[i])) {
			char why[96];

			snprintf(why, sizeof(why), "profile %s: cannot write the profile parameter (%s)",
				 profiles[i], strerror(errno));
			tap_lost(ndev, why);
			continue;
		}
		check_flags(ndev, profiles[i]);
	}
	ok(mb_write_str(MB_PARAM MMAPBENCH_PARAM_PROFILE, "bogus") != 0, "an unknown profile name is refused");
	mb_write_str(MB_PARAM MMAPBENCH_PARAM_PROFILE, prof0);
	return tap_done();
}
