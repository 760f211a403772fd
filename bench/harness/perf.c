// SPDX-License-Identifier: GPL-2.0
/*
 * perf.c - perf software events of the measuring threads.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core.h"

/*
 * One counter group per measuring thread (the main thread when a case has one
 * thread, each worker otherwise), opened for a case's counts pass only (case.c,
 * mb_case_counts) and closed after it: while the timed samples run, no perf event
 * exists in the process.  An open software event, even a disabled one, keeps the
 * kernel's hook for it armed (perf_swevent_enabled), and every fault fires two of
 * these: on the timed thread that is an observer inside every timed fault (issue
 * #13: +140..270 ns a fault in a bare loop).  The pass's counts are the difference
 * of two group reads around it, taken where rusage is.  kernel-mode events are
 * included (exclude_kernel = 0): a context switch happens in the kernel, and a
 * counter that excludes it would read 0.  If the group cannot be opened (no
 * CONFIG_PERF_EVENTS, perf_event_paranoid, seccomp) the reason goes into
 * env.perf.error and no perf.* count is written: never a 0 that was not counted.
 */
const char *const mb_perf_event_names[MB_PERF_NEVENTS] = {
	"page-faults", "minor-faults", "major-faults", "context-switches", "cpu-migrations",
};

static const unsigned long long perf_configs[MB_PERF_NEVENTS] = {
	PERF_COUNT_SW_PAGE_FAULTS, PERF_COUNT_SW_PAGE_FAULTS_MIN, PERF_COUNT_SW_PAGE_FAULTS_MAJ,
	PERF_COUNT_SW_CONTEXT_SWITCHES, PERF_COUNT_SW_CPU_MIGRATIONS,
};

static struct mb_perf_info *perf_info;	/* of the run; NULL before mb_perf_init() */

void mb_perf_disable(const char *fmt, ...)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	va_list ap;

	pthread_mutex_lock(&lock);
	if (mb_perf_on()) {
		perf_info->available = false;
		va_start(ap, fmt);
		vsnprintf(perf_info->error, sizeof(perf_info->error), fmt, ap);
		va_end(ap);
	}
	pthread_mutex_unlock(&lock);
}

void mb_perf_close_group(struct mb_perf_group *g)
{
	for (int i = 0; i < MB_PERF_NEVENTS; i++) {
		if (g->fd[i] >= 0)
			close(g->fd[i]);
		g->fd[i] = -1;
	}
}

/* Open the group of thread tid (0: the calling one); 0, or -1 with the reason in why. */
int mb_perf_open_group(struct mb_perf_group *g, pid_t tid, char *why, size_t len)
{
	const char *fail = getenv("MMAPBENCH_TEST_FAIL");	/* tests/unit/test_harness.sh */
	long long par;

	for (int i = 0; i < MB_PERF_NEVENTS; i++)
		g->fd[i] = -1;
	if (fail && !strcmp(fail, "perf")) {
		snprintf(why, len, "perf_event_open: refused for the test (MMAPBENCH_TEST_FAIL=perf)");
		return -1;
	}
	for (int i = 0; i < MB_PERF_NEVENTS; i++) {
		struct perf_event_attr a;
		int e;

		memset(&a, 0, sizeof(a));
		a.size = sizeof(a);
		a.type = PERF_TYPE_SOFTWARE;
		a.config = perf_configs[i];
		a.read_format = PERF_FORMAT_GROUP;
		a.exclude_hv = 1;
		g->fd[i] = (int)syscall(SYS_perf_event_open, &a, tid, -1, i ? g->fd[0] : -1,
					PERF_FLAG_FD_CLOEXEC);
		if (g->fd[i] >= 0)
			continue;
		e = errno;
		if ((e == EACCES || e == EPERM) &&
		    !mb_read_ll("/proc/sys/kernel/perf_event_paranoid", &par))
			snprintf(why, len, "perf_event_open(%s): %s (kernel.perf_event_paranoid = "
				 "%lld: kernel-mode software events need <= 1 or CAP_PERFMON)",
				 mb_perf_event_names[i], strerror(e), par);
		else
			snprintf(why, len, "perf_event_open(%s): %s%s", mb_perf_event_names[i],
				 strerror(e), e == ENOSYS ? " (no CONFIG_PERF_EVENTS?)" : "");
		mb_perf_close_group(g);
		return -1;
	}
	return 0;
}

bool mb_perf_on(void)
{
	return perf_info && perf_info->available;
}

/* Can this process count?  Open a group and close it again: none stays open. */
void mb_perf_init(struct mb_perf_info *pi)
{
	struct mb_perf_group g;

	memset(pi, 0, sizeof(*pi));
	perf_info = pi;
	pi->available = mb_perf_open_group(&g, 0, pi->error, sizeof(pi->error)) == 0;
	mb_perf_close_group(&g);
}

void mb_perf_finish(void)
{
}

/* Add the group's current values to v; 0, or -1 (perf disabled, reason recorded). */
int mb_perf_read_group(const struct mb_perf_group *g, long long v[MB_PERF_NEVENTS])
{
	uint64_t buf[1 + MB_PERF_NEVENTS];
	ssize_t n;

	if (g->fd[0] < 0) {
		mb_perf_disable("a measuring thread has no perf_event group");
		return -1;
	}
	n = read(g->fd[0], buf, sizeof(buf));
	if (n != (ssize_t)sizeof(buf) || buf[0] != MB_PERF_NEVENTS) {
		mb_perf_disable("reading a perf_event group: %s", n < 0 ? strerror(errno) :
			     "short read");
		return -1;
	}
	for (int i = 0; i < MB_PERF_NEVENTS; i++)
		v[i] += (long long)buf[1 + i];
	return 0;
}
