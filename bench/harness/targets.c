// SPDX-License-Identifier: GPL-2.0
/*
 * targets.c - what the benchmarks map, and the mmapbench module's knobs.
 *
 * A target gives one fd per case (or -1 for anon), kept open for the whole case so
 * that every mapping of the case is of the same struct file (merging needs that).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "harness.h"
#include "mmapbench_abi.h"

#ifndef __NR_memfd_secret
#define __NR_memfd_secret 447
#endif

/* The module's names: drivers/mmapbench/mmapbench_abi.h. */
#define MOD_DIR		MMAPBENCH_SYSFS_DIR
#define MOD_PARAM(p)	MMAPBENCH_PARAMS_DIR "/" MMAPBENCH_PARAM_##p
#define MOD_DEBUGFS	MMAPBENCH_DEBUGFS_DIR

/*
 * The module's files and device nodes, under $MMAPBENCH_ROOT when set: a test hook
 * (tests/unit/test_harness.sh fakes the module with plain files).  Not for real runs.
 */
static const char *mod_path(char *buf, size_t len, const char *path)
{
	const char *root = getenv("MMAPBENCH_ROOT");

	snprintf(buf, len, "%s%s", root ? root : "", path);
	return buf;
}
#define MP(path) mod_path((char[512]){ 0 }, 512, (path))

static const struct mb_target targets[] = {
	{ "legacy", "mmapbench module, legacy .mmap() hook (" MMAPBENCH_DEV_LEGACY_PATH ")",
	  MB_T_MODULE, MMAPBENCH_DEV_LEGACY_PATH, MMAPBENCH_DBG_LEGACY },
	{ "prepare", "mmapbench module, .mmap_prepare() hook (" MMAPBENCH_DEV_PREPARE_PATH ")",
	  MB_T_MODULE, MMAPBENCH_DEV_PREPARE_PATH, MMAPBENCH_DBG_PREPARE },
	{ "anon", "anonymous memory (MAP_ANONYMOUS)", MB_T_ANON, NULL, NULL },
	{ "memfd", "memfd_create() shmem file", 0, NULL, NULL },
	{ "secretmem", "memfd_secret() (in-tree .mmap_prepare user; MAP_SHARED only)",
	  MB_T_SHARED_ONLY, NULL, NULL },
	{ "file", "regular file (--file, default in $TMPDIR)", 0, NULL, NULL },
	{ "devzero", "/dev/zero (shared: a new shmem object per mapping)", 0, "/dev/zero", NULL },
};

#define NTARGETS (sizeof(targets) / sizeof(targets[0]))

size_t mb_target_count(void)
{
	return NTARGETS;
}

const struct mb_target *mb_target_get(size_t i)
{
	return i < NTARGETS ? &targets[i] : NULL;
}

const struct mb_target *mb_target_find(const char *name)
{
	for (size_t i = 0; i < NTARGETS; i++)
		if (!strcmp(targets[i].name, name))
			return &targets[i];
	return NULL;
}

static const char *tmpdir(void)
{
	const char *d = getenv("TMPDIR");

	return d && *d ? d : "/tmp";
}

static int secretmem_fd(char *why, size_t n)
{
	int fd = (int)syscall(__NR_memfd_secret, (unsigned long)O_CLOEXEC);

	if (fd >= 0)
		return fd;
	if (errno == ENOSYS)
		snprintf(why, n, "memfd_secret: not available (ENOSYS: kernel without "
			 "CONFIG_SECRETMEM, or secretmem.enable=0)");
	else
		snprintf(why, n, "memfd_secret: %s", strerror(errno));
	return -1;
}

/* Open (or create) the backing file of the "file" target. */
static int file_fd(const char *file, struct mb_target_info *info, char *why, size_t n)
{
	char path[256];
	int fd;

	if (file) {
		fd = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0) {
			snprintf(why, n, "%s: %s", file, strerror(errno));
			return -1;
		}
		if (info)
			snprintf(info->path, sizeof(info->path), "%s", file);
		return fd;
	}
	if (snprintf(path, sizeof(path), "%s/mmapbench-XXXXXX", tmpdir()) >= (int)sizeof(path)) {
		snprintf(why, n, "TMPDIR is too long");
		return -1;
	}
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, n, "cannot create a file in %s: %s", tmpdir(), strerror(errno));
		return -1;
	}
	unlink(path);	/* nothing left behind, whatever happens to us */
	if (info)
		snprintf(info->path, sizeof(info->path), "%s (unlinked)", path);
	return fd;
}

static const char *fs_name(long type)
{
	switch ((unsigned long)type) {
	case 0x01021994: return "tmpfs";
	case 0xef53: return "ext4";
	case 0x58465342: return "xfs";
	case 0x9123683e: return "btrfs";
	case 0x794c7630: return "overlayfs";
	case 0x2fc12fc1: return "zfs";
	case 0x858458f6: return "ramfs";
	case 0x6969: return "nfs";
	case 0x01021997: return "9p";
	case 0x65735546: return "fuse";
	case 0x73717368: return "squashfs";
	case 0x62656572: return "sysfs";
	default: return NULL;
	}
}

int mb_target_probe(const struct mb_target *t, const char *file, char *why, size_t n)
{
	int fd;

	if (t->flags & MB_T_ANON)
		return 1;
	if (!strcmp(t->name, "memfd")) {
		fd = memfd_create("mmapbench", MFD_CLOEXEC);
		if (fd < 0) {
			snprintf(why, n, "memfd_create: %s", strerror(errno));
			return 0;
		}
	} else if (!strcmp(t->name, "secretmem")) {
		fd = secretmem_fd(why, n);
		if (fd < 0)
			return 0;
	} else if (!strcmp(t->name, "file")) {
		fd = file_fd(file, NULL, why, n);
		if (fd < 0)
			return 0;
	} else {
		const char *path = t->flags & MB_T_MODULE ? MP(t->path) : t->path;

		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			char hook[32];

			if (errno == ENOENT && !strcmp(t->name, "prepare") &&
			    !mb_read_line(MP(MOD_PARAM(HOOK)), hook, sizeof(hook)) &&
			    !strcmp(hook, MMAPBENCH_HOOK_NONE))
				snprintf(why, n, "module has no .mmap_prepare hook on this "
					 "kernel (hook=none)");
			else if (errno == ENOENT && (t->flags & MB_T_MODULE))
				snprintf(why, n, "no %s (mmapbench module not loaded)", path);
			else
				snprintf(why, n, "%s: %s", path, strerror(errno));
			return 0;
		}
	}
	close(fd);
	if (!strcmp(t->name, "prepare")) {
		char hook[32];

		if (!mb_read_line(MP(MOD_PARAM(HOOK)), hook, sizeof(hook)) &&
		    !strcmp(hook, MMAPBENCH_HOOK_NONE)) {
			snprintf(why, n, "module has no .mmap_prepare hook on this kernel "
				 "(hook=none)");
			return 0;
		}
	}
	return 1;
}

int mb_target_open(const struct mb_target *t, const char *file, uint64_t span, int *fd,
		   struct mb_target_info *info, char *why, size_t n)
{
	struct stat st;

	memset(info, 0, sizeof(*info));
	*fd = -1;
	why[0] = 0;
	if (!mb_target_probe(t, file, why, n))
		return MB_SKIP;
	if (t->flags & MB_T_ANON)
		return 0;

	if (!strcmp(t->name, "memfd")) {
		*fd = memfd_create("mmapbench", MFD_CLOEXEC);
		snprintf(info->path, sizeof(info->path), "memfd:mmapbench");
	} else if (!strcmp(t->name, "secretmem")) {
		*fd = secretmem_fd(why, n);
		snprintf(info->path, sizeof(info->path), "secretmem");
	} else if (!strcmp(t->name, "file")) {
		*fd = file_fd(file, info, why, n);
	} else {
		const char *path = t->flags & MB_T_MODULE ? MP(t->path) : t->path;

		*fd = open(path, O_RDWR | O_CLOEXEC);
		snprintf(info->path, sizeof(info->path), "%s", path);
	}
	if (*fd < 0) {
		if (!*why)
			snprintf(why, n, "%s: %s", t->name, strerror(errno));
		return -1;
	}

	/* Size shmem, secretmem and regular files to the span (sparse; never shrink). */
	if (fstat(*fd, &st)) {
		snprintf(why, n, "fstat: %s", strerror(errno));
		goto fail;
	}
	if (S_ISREG(st.st_mode) || !strcmp(t->name, "memfd") ||
	    !strcmp(t->name, "secretmem")) {
		struct statfs sfs;

		if ((uint64_t)st.st_size < span && ftruncate(*fd, (off_t)span)) {
			snprintf(why, n, "ftruncate(%s, %llu): %s", t->name,
				 (unsigned long long)span, strerror(errno));
			goto fail;
		}
		if (S_ISREG(st.st_mode) && !fstatfs(*fd, &sfs)) {
			const char *fs = fs_name((long)sfs.f_type);

			if (fs)
				snprintf(info->fs, sizeof(info->fs), "%s", fs);
			else
				snprintf(info->fs, sizeof(info->fs), "0x%lx",
					 (unsigned long)sfs.f_type);
		}
	}
	return 0;
fail:
	close(*fd);
	*fd = -1;
	return -1;
}

/* ---- the module ---- */

const char *const mb_profiles[] = {
	MMAPBENCH_PROFILE_NONE, MMAPBENCH_PROFILE_DONTDUMP, MMAPBENCH_PROFILE_SPECIAL, NULL
};
/* In the order results.json has always listed them (not the module's). */
const char *const mb_mod_counter_names[MB_MOD_NCOUNTERS] = {
	MMAPBENCH_COUNTER_HOOK_CALLS, MMAPBENCH_COUNTER_FAULTS, MMAPBENCH_COUNTER_EINVAL,
	MMAPBENCH_COUNTER_SIGBUS, MMAPBENCH_COUNTER_MAP_PAGES,
};

bool mb_profile_valid(const char *p)
{
	for (int i = 0; mb_profiles[i]; i++)
		if (!strcmp(p, mb_profiles[i]))
			return true;
	return false;
}

void mb_module_read(struct mb_module *m)
{
	struct stat st;

	memset(m, 0, sizeof(*m));
	m->loaded = !stat(MP(MOD_DIR), &st);
	if (!m->loaded)
		return;
	m->have_hook = !mb_read_line(MP(MOD_PARAM(HOOK)), m->hook, sizeof(m->hook));
	m->have_profile = !mb_read_line(MP(MOD_PARAM(PROFILE)), m->profile, sizeof(m->profile));
	m->have_pool = !mb_read_ll(MP(MOD_PARAM(POOL_MB)), &m->pool_mb);
	{
		/* a bool parameter reads as Y or N */
		char b[8];

		m->have_map_pages = !mb_read_line(MP(MOD_PARAM(MAP_PAGES)), b, sizeof(b)) &&
				    (b[0] == 'Y' || b[0] == 'N');
		m->map_pages = b[0] == 'Y';
	}
}

int mb_module_get_profile(char *buf, size_t len)
{
	return mb_read_line(MP(MOD_PARAM(PROFILE)), buf, len);
}

int mb_module_set_profile(const char *p)
{
	char now[32];
	int err = mb_write_str(MP(MOD_PARAM(PROFILE)), p);

	if (err)
		return err;
	err = mb_module_get_profile(now, sizeof(now));
	if (err)
		return err;
	return strcmp(now, p) ? -EINVAL : 0;
}

unsigned mb_module_counters(const char *dbg, long long v[MB_MOD_NCOUNTERS])
{
	char path[640];
	unsigned have = 0;

	for (int i = 0; i < MB_MOD_NCOUNTERS; i++) {
		snprintf(path, sizeof(path), "%s/%s/%s", MP(MOD_DEBUGFS), dbg,
			 mb_mod_counter_names[i]);
		v[i] = 0;
		if (!mb_read_ll(path, &v[i]))
			have |= 1u << i;
	}
	return have;
}
