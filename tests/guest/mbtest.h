/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers the guest tests share: sysfs strings, /proc/self/{maps,smaps}. */
#ifndef MMAPBENCH_MBTEST_H
#define MMAPBENCH_MBTEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MB_PARAM "/sys/module/mmapbench/parameters/"
#define MB_DEV_LEGACY "/dev/mmapbench-legacy"
#define MB_DEV_PREPARE "/dev/mmapbench-prepare"

/* Read the first line of PATH into BUF (newline stripped); -1 if unreadable. */
static inline int mb_read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (!fgets(buf, (int)len, f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static inline int mb_write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

static inline long mb_read_long(const char *path)
{
	char buf[64];

	if (mb_read_line(path, buf, sizeof(buf)))
		return -1;
	return strtol(buf, NULL, 0);
}

/* Number of VMAs in /proc/self/maps that intersect [start, end). */
static inline int mb_vmas_in(unsigned long start, unsigned long end)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long s, e;
	char line[512];
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &s, &e) == 2 && s < end && e > start)
			n++;
	fclose(f);
	return n;
}

/* The VmFlags line of the VMA that contains ADDR, into BUF. */
static inline int mb_vmflags(void *addr, char *buf, size_t len)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	unsigned long a = (unsigned long)addr, s, e;
	char line[512];
	int in = 0, ret = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &s, &e) == 2 && strchr(line, '-') < strchr(line, ' ')) {
			in = a >= s && a < e;
			continue;
		}
		if (in && !strncmp(line, "VmFlags:", 8)) {
			snprintf(buf, len, "%s", line + 8 + strspn(line + 8, " "));
			buf[strcspn(buf, "\n")] = '\0';
			ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}

/* Does the space-separated flag list FLAGS contain the two-letter flag F? */
static inline int mb_has_flag(const char *flags, const char *f)
{
	const char *p = flags;

	while ((p = strstr(p, f))) {
		if ((p == flags || p[-1] == ' ') && (p[2] == ' ' || p[2] == '\0'))
			return 1;
		p += 2;
	}
	return 0;
}

#endif
