// SPDX-License-Identifier: GPL-2.0
/*
 * vma.c - the address-space helpers of mmapbench.h: mb_count_vmas(), mb_vma_at()
 * (PROCMAP_QUERY, else /proc/self/maps) and mb_max_map_count().
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/fs.h>

#include "harness.h"

long mb_max_map_count(void)
{
	long long v;
	int err = mb_read_ll("/proc/sys/vm/max_map_count", &v);

	return err ? err : (long)v;
}

/* ---- VMAs: PROCMAP_QUERY (Linux 6.11) when there, else /proc/self/maps ---- */

#ifndef PROCMAP_QUERY
/* From include/uapi/linux/fs.h (6.11): only the fields we use matter, but the size
 * must match since the kernel checks it against its own. */
struct procmap_query {
	uint64_t size;
	uint64_t query_flags;
	uint64_t query_addr;
	uint64_t vma_start;
	uint64_t vma_end;
	uint64_t vma_flags;
	uint64_t vma_page_size;
	uint64_t vma_offset;
	uint64_t inode;
	uint32_t dev_major;
	uint32_t dev_minor;
	uint32_t vma_name_size;
	uint32_t build_id_size;
	uint64_t vma_name_addr;
	uint64_t build_id_addr;
};
#define PROCMAP_QUERY _IOWR(0x9f, 17, struct procmap_query)
#define PROCMAP_QUERY_COVERING_OR_NEXT_VMA 0x10
#endif

/* Next VMA ending above addr: 1 with [*s, *e), 0 if none, -errno. */
static int next_vma_ioctl(int fd, uintptr_t addr, uintptr_t *s, uintptr_t *e)
{
	struct procmap_query q;

	memset(&q, 0, sizeof(q));
	q.size = sizeof(q);
	q.query_flags = PROCMAP_QUERY_COVERING_OR_NEXT_VMA;
	q.query_addr = addr;
	if (ioctl(fd, PROCMAP_QUERY, &q) < 0)
		return errno == ENOENT ? 0 : -errno;
	*s = (uintptr_t)q.vma_start;
	*e = (uintptr_t)q.vma_end;
	return 1;
}

static int no_ioctl;	/* PROCMAP_QUERY refused once: an older kernel, parse instead */

void mb_vmas_force_maps(int on)
{
	no_ioctl = on;
}

/* Walk VMAs intersecting [start, end); cb(s, e, arg) returns nonzero to stop. */
static long walk_vmas(uintptr_t start, uintptr_t end,
		      int (*cb)(uintptr_t, uintptr_t, void *), void *arg)
{
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	uintptr_t s = 0, e = 0, addr = start;
	long n = 0;
	int rc;

	if (fd < 0)
		return -errno;
	while (!no_ioctl && addr < end) {
		rc = next_vma_ioctl(fd, addr, &s, &e);
		if (rc == -ENOTTY || rc == -EINVAL) {
			no_ioctl = 1;
			break;
		}
		if (rc < 0) {
			close(fd);
			return rc;
		}
		if (rc == 0 || s >= end)
			break;
		n++;
		if (cb && cb(s, e, arg))
			break;
		addr = e;
	}
	if (!no_ioctl) {
		close(fd);
		return n;
	}

	FILE *f = fdopen(fd, "r");
	char line[512];

	if (!f) {
		close(fd);
		return -ENOMEM;
	}
	n = 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long ls, le;

		/* lines longer than the buffer continue without a range: skip them */
		if (sscanf(line, "%lx-%lx ", &ls, &le) != 2)
			continue;
		if (le <= start || ls >= end)
			continue;
		n++;
		if (cb && cb(ls, le, arg))
			break;
	}
	fclose(f);
	return n;
}

long mb_count_vmas(uintptr_t start, uintptr_t end)
{
	return walk_vmas(start, end, NULL, NULL);
}

struct vma_at {
	uintptr_t addr, s, e;
	int found;
};

static int vma_at_cb(uintptr_t s, uintptr_t e, void *arg)
{
	struct vma_at *v = arg;

	if (s <= v->addr && v->addr < e) {
		v->s = s;
		v->e = e;
		v->found = 1;
	}
	return 1;	/* the first VMA ending above addr decides */
}

int mb_vma_at(uintptr_t addr, uintptr_t *start, uintptr_t *end)
{
	struct vma_at v = { .addr = addr };
	long n = walk_vmas(addr, addr + 1, vma_at_cb, &v);

	if (n < 0)
		return (int)n;
	if (!v.found)
		return -ENOENT;
	*start = v.s;
	*end = v.e;
	return 0;
}
