/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers the guest tests share: sysfs strings, /proc/self/{maps,smaps}. */
#ifndef MMAPBENCH_MBTEST_H
#define MMAPBENCH_MBTEST_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mmapbench_abi.h"	/* drivers/mmapbench/: the module's names */

#define MB_PARAM MMAPBENCH_PARAMS_DIR "/"
#define MB_DEV_LEGACY MMAPBENCH_DEV_LEGACY_PATH
#define MB_DEV_PREPARE MMAPBENCH_DEV_PREPARE_PATH
/* Every profile, in the module's order: static const char *const p[] = MB_PROFILES_INIT; */
#define MB_PROFILES_INIT \
	{ MMAPBENCH_PROFILE_NONE, MMAPBENCH_PROFILE_DONTDUMP, MMAPBENCH_PROFILE_SPECIAL }

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

/*
 * Touching memory that may not be there: mb_touch() returns 0, SIGSEGV or SIGBUS
 * instead of dying.  Call mb_catch_faults() once.  Per thread: the jump buffer is
 * thread-local, and the signal is delivered to the thread that faulted.
 */
static inline sigjmp_buf *mb_jmpbuf(void)
{
	static _Thread_local sigjmp_buf jb;

	return &jb;
}

static inline volatile sig_atomic_t *mb_armed(void)
{
	static _Thread_local volatile sig_atomic_t armed;

	return &armed;
}

static inline void mb_fault_handler(int sig)
{
	if (*mb_armed())
		siglongjmp(*mb_jmpbuf(), sig);
	signal(sig, SIG_DFL);	/* a fault outside mb_touch(): die of it */
	raise(sig);
}

static inline void mb_catch_faults(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = mb_fault_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
}

enum { MB_READ, MB_WRITE, MB_FILL };

/*
 * MB_READ: *val = the 64-bit word at P.  MB_WRITE: store *val there.  MB_FILL: fill
 * the page at P (page-aligned) with *val.  Returns 0 or the signal it raised.
 */
static inline int mb_touch(void *p, int how, uint64_t *val)
{
	volatile uint64_t *w = p;
	int sig;

	*mb_armed() = 1;
	/* SA_NODEFER: the handler never blocks the signal, so no mask to restore (no syscall). */
	sig = sigsetjmp(*mb_jmpbuf(), 0);
	if (sig == 0) {
		if (how == MB_READ) {
			*val = *w;
		} else if (how == MB_WRITE) {
			*w = *val;
		} else {
			for (int i = 0; i < 512; i++)
				w[i] = *val;
		}
	}
	*mb_armed() = 0;
	return sig;
}

static inline const char *mb_signame(int sig)
{
	return sig == 0 ? "no signal" : sig == SIGSEGV ? "SIGSEGV" : sig == SIGBUS ? "SIGBUS" : "a signal";
}

/* Is every page of [start, end) inside some VMA?  1 yes, 0 no, -1 unreadable. */
static inline int mb_covered(unsigned long start, unsigned long end)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long s, e, at = start;
	char line[512];

	if (!f)
		return -1;
	/* maps is sorted: walk the VMAs and advance AT while they are contiguous. */
	while (at < end && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &s, &e) == 2 && s <= at && e > at)
			at = e;
	fclose(f);
	return at >= end;
}

/* The pool, in pages (from the pool_mb parameter); 0 if unreadable. */
static inline unsigned long mb_pool_pages(void)
{
	long mb = mb_read_long(MB_PARAM MMAPBENCH_PARAM_POOL_MB);

	return mb > 0 ? (unsigned long)mb << 8 : 0;
}

/* Does this kernel have /dev/mmapbench-prepare (a hook other than "none")? */
static inline int mb_have_prepare(void)
{
	char hook[64] = "";

	return mb_read_line(MB_PARAM MMAPBENCH_PARAM_HOOK, hook, sizeof(hook)) == 0 &&
	       strcmp(hook, MMAPBENCH_HOOK_NONE) &&
	       access(MB_DEV_PREPARE, F_OK) == 0;
}

/* A debugfs counter of DEV ("legacy" or "prepare"), -1 if unreadable. */
static inline long mb_counter(const char *dev, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), MMAPBENCH_DEBUGFS_DIR "/%s/%s", dev, name);
	return mb_read_long(path);
}

/*
 * The guest tests take their settings from the environment, not arguments:
 * any argument is a usage error (exit 2, the usage line on stderr).
 */
static inline void mb_no_args(int argc, char **argv, const char *usage)
{
	if (argc > 1) {
		fprintf(stderr, "%s: unexpected argument '%s'\nusage: %s\n",
			program_invocation_short_name, argv[1], usage);
		exit(2);
	}
}

/*
 * The environment variable NAME as a number in [MIN, MAX], DEF when unset.
 * Anything else is a usage error: never a silent 0 from strtoul().
 */
static inline unsigned long long mb_env_num(const char *name, unsigned long long def,
					    unsigned long long min, unsigned long long max)
{
	const char *s = getenv(name);
	unsigned long long v;
	char *end;

	if (!s)
		return def;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (!*s || *s == '-' || *end || errno || v < min || v > max) {
		fprintf(stderr, "%s: %s=%s: want a number %llu-%llu\n",
			program_invocation_short_name, name, s, min, max);
		exit(2);
	}
	return v;
}

#endif
