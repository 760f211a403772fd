// SPDX-License-Identifier: GPL-2.0
/*
 * mapchunks - map N chunks of P pages from one target at consecutive addresses (and,
 * for a file, consecutive offsets), then print how many VMAs the range ended up in.
 * A workload for scripts/guest/oracle: every chunk after the first should merge into its
 * neighbour when the kernel allows it.
 *
 *   mapchunks [-n N] [-p P] [-d] [-m shared|private] [-r] [-T] [-q] TARGET
 *
 *   TARGET   anon | memfd | secretmem (memfd_secret(2)) | /dev/zero | any other path
 *   -n N     chunks (default 16)
 *   -p P     pages per chunk (default 4)
 *   -d       map the chunks in descending order (merge with the next VMA) instead of
 *            ascending (merge with the previous one)
 *   -m M     MAP_SHARED or MAP_PRIVATE (default: private for anon, shared otherwise)
 *   -r       read-only: open O_RDONLY, map PROT_READ
 *   -T       touch every page once all chunks are mapped (after the VMA count)
 *   -q       print only the VMA count
 *
 * The range is reserved with an anonymous PROT_NONE mapping that is unmapped again at
 * once; each chunk then goes in with MAP_FIXED_NOREPLACE.  Between the reservation
 * and the final munmap the program makes no other mapping: no stdio, no malloc (the
 * VMA count reads /proc/self/maps with read(2) into static storage), so the kernel
 * activity of the run is static glibc's startup (a brk heap that is grown once, one
 * VMA split), the reservation (an mmap and a munmap), N mmaps, the count and one
 * munmap of the whole range.  Under scripts/guest/oracle: anon, 16 chunks -> 17 mmaps,
 * 18 vma_merge_new_range calls (1 from brk), 16 merged, 3 vm_area_alloc, 2 vm_area_free.
 *
 * Output (one line): target=T order=ascending|descending chunks=N pages=P
 * mapping=shared|private vmas=V.  Exit 0, 1 when a step fails, 2 on bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef SYS_memfd_secret
#define SYS_memfd_secret 447
#endif

static char maps[1 << 20];

/* printf to a file descriptor without stdio (stdio would allocate its buffer). */
static void say(int fd, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	if (write(fd, buf, (size_t)n) < 0)
		return;
}

static void usage(void)
{
	say(2, "usage: mapchunks [-n N] [-p P] [-d] [-m shared|private] [-r] [-T] [-q] "
	       "anon|memfd|secretmem|/dev/zero|PATH\n");
	exit(2);
}

static long number(const char *s, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > max)
		usage();
	return v;
}

static unsigned long hex(const char **p)
{
	unsigned long v = 0;

	for (;; (*p)++) {
		char c = **p;

		if (c >= '0' && c <= '9')
			v = v * 16 + (unsigned long)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (unsigned long)(c - 'a' + 10);
		else
			return v;
	}
}

/* VMAs in /proc/self/maps that intersect [start, end); -1 if unreadable. */
static int vmas_in(unsigned long start, unsigned long end)
{
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	ssize_t r;
	int n = 0;

	if (fd < 0)
		return -1;
	while (len < sizeof(maps) - 1 && (r = read(fd, maps + len, sizeof(maps) - 1 - len)) > 0)
		len += (size_t)r;
	close(fd);
	maps[len] = '\0';
	for (const char *p = maps; *p;) {
		unsigned long s = hex(&p), e;

		if (*p++ != '-')
			return -1;
		e = hex(&p);
		if (s < end && e > start)
			n++;
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	return n;
}

/* The file to map: -1 for anon, a descriptor, or -2 (said why). */
static int open_target(const char *target, int rdonly, unsigned long total)
{
	int fd;

	if (!strcmp(target, "anon"))
		return -1;
	if (!strcmp(target, "memfd") || !strcmp(target, "secretmem")) {
		fd = !strcmp(target, "memfd") ? memfd_create("mapchunks", MFD_CLOEXEC)
					      : (int)syscall(SYS_memfd_secret, 0);
		if (fd < 0) {
			say(2, "mapchunks: %s: %s\n", target, strerror(errno));
			return -2;
		}
		if (ftruncate(fd, (off_t)total)) {
			say(2, "mapchunks: %s: ftruncate: %s\n", target, strerror(errno));
			return -2;
		}
		return fd;
	}
	fd = open(target, (rdonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (fd < 0) {
		say(2, "mapchunks: %s: %s\n", target, strerror(errno));
		return -2;
	}
	return fd;
}

/* The chunks side by side from base, in ascending or descending order; 0 or -1. */
static int map_chunks(const char *target, int fd, unsigned long base, unsigned long chunk,
		      long nchunks, int descending, int shared, int rdonly)
{
	for (long k = 0; k < nchunks; k++) {
		long i = descending ? nchunks - 1 - k : k;
		void *want = (void *)(base + (unsigned long)i * chunk);
		int flags = (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_FIXED_NOREPLACE |
			    (fd < 0 ? MAP_ANONYMOUS : 0);
		void *p = mmap(want, chunk, rdonly ? PROT_READ : PROT_READ | PROT_WRITE, flags,
			       fd, fd < 0 ? 0 : (off_t)((unsigned long)i * chunk));

		if (p != want) {
			say(2, "mapchunks: %s: chunk %ld: %s\n", target, i,
			    p == MAP_FAILED ? strerror(errno) : "placed elsewhere");
			if (p != MAP_FAILED)
				munmap(p, chunk);
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	long nchunks = 16, pages = 4;
	int descending = 0, touch = 0, quiet = 0, rdonly = 0, shared = -1;
	int opt, fd = -1, vmas;
	const char *target;
	unsigned long pg = (unsigned long)sysconf(_SC_PAGESIZE), chunk, total, base;
	void *res;

	while ((opt = getopt(argc, argv, "n:p:dm:rTq")) != -1) {
		switch (opt) {
		case 'n': nchunks = number(optarg, 1L << 20); break;
		case 'p': pages = number(optarg, 1L << 20); break;
		case 'd': descending = 1; break;
		case 'm':
			if (!strcmp(optarg, "shared"))
				shared = 1;
			else if (!strcmp(optarg, "private"))
				shared = 0;
			else
				usage();
			break;
		case 'r': rdonly = 1; break;
		case 'T': touch = 1; break;
		case 'q': quiet = 1; break;
		default: usage();
		}
	}
	if (optind != argc - 1)
		usage();
	target = argv[optind];
	chunk = (unsigned long)pages * pg;
	total = (unsigned long)nchunks * chunk;
	if (shared < 0)
		shared = strcmp(target, "anon") != 0;

	fd = open_target(target, rdonly, total);
	if (fd == -2)
		return 1;
	res = mmap(NULL, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (res == MAP_FAILED) {
		say(2, "mapchunks: reserving %lu bytes: %s\n", total, strerror(errno));
		return 1;
	}
	base = (unsigned long)res;
	munmap(res, total);
	if (map_chunks(target, fd, base, chunk, nchunks, descending, shared, rdonly)) {
		munmap((void *)base, total);
		return 1;
	}
	vmas = vmas_in(base, base + total);
	if (touch)
		for (unsigned long off = 0; off < total; off += pg) {
			if (rdonly)
				(void)*(volatile char *)(base + off);
			else
				*(volatile char *)(base + off) = 1;
		}
	munmap((void *)base, total);
	if (fd >= 0)
		close(fd);
	if (vmas < 0) {
		say(2, "mapchunks: cannot read /proc/self/maps\n");
		return 1;
	}
	if (quiet)
		say(1, "%d\n", vmas);
	else
		say(1, "target=%s order=%s chunks=%ld pages=%ld mapping=%s vmas=%d\n", target,
		    descending ? "descending" : "ascending", nchunks, pages,
		    shared ? "shared" : "private", vmas);
	return 0;
}
