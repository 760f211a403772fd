// SPDX-License-Identifier: GPL-2.0
/*
 * b_selftest.c - benchmarks that exercise the parts of the harness API the storms do
 * not use, linked only into build/bench/mmapbench-selftest (tests/unit/test_harness.sh).
 * They double as the shape of the coming "fault" and "merge" families.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mmapbench.h"

#define PAGES	64

/* perf_event fds open in the process now (a timed sample must see none: issue #13) */
static long perf_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	char path[300], link[64];
	long n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		ssize_t len;

		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		len = readlink(path, link, sizeof(link) - 1);
		if (len <= 0)
			continue;
		link[len] = 0;
		n += !strcmp(link, "anon_inode:[perf_event]");
	}
	closedir(d);
	return n;
}

/*
 * selftest-fault: per sample, map PAGES pages of the target (untimed), then time each
 * first touch on its own; report the VMA count of the mapping as an extra metric.
 * Counts the perf events open around every sample but the counts pass's.
 */
static int fault_before(struct mb_ctx *c)
{
	void *p = mmap(NULL, c->batch * c->page, c->prot, MAP_SHARED, c->fd, 0);
	int err;

	if (p == MAP_FAILED)
		return mb_fail(c, "mmap: %s", strerror(errno));
	c->priv = p;
	mb_count(c, "selftest.perf_fds", perf_fds());
	err = mb_nohugepage(c, p, c->batch * c->page);
	return err ? mb_fail(c, "madvise: %s", strerror(-err)) : 0;
}

static int touch(struct mb_ctx *c, size_t i)
{
	((volatile char *)c->priv)[i * c->page] = 1;
	return 0;
}

static int fault_after(struct mb_ctx *c)
{
	uintptr_t a = (uintptr_t)c->priv;
	long n = mb_count_vmas(a, a + c->batch * c->page);

	mb_report(c, "vmas", "count", MB_NEITHER, (double)n);
	mb_count(c, "pages_touched", (long long)c->batch);
	munmap(c->priv, c->batch * c->page);
	c->priv = NULL;
	return 0;
}

static void fault_teardown(struct mb_ctx *c)
{
	if (c->priv)
		munmap(c->priv, c->batch * c->page);
}

static size_t fault_span(const struct mb_ctx *c)
{
	return PAGES * c->page;
}

MB_BENCH(selftest_fault) = {
	.name = "selftest-fault",
	.family = "selftest",
	.desc = "first touch of each page, timed singly (harness self-test)",
	.flags = MB_F_TIME_EACH | MB_F_NEEDS_FD | MB_F_FLOOR,
	.sizes = "4k",
	.min_batch = PAGES,
	.max_batch = PAGES,
	.span = fault_span,
	.before = fault_before,
	.steps = { { "fault", touch } },
	.after = fault_after,
	.teardown = fault_teardown,
};

/* selftest-skip: setup declines on memfd, fails on devzero, runs elsewhere. */
static int skip_setup(struct mb_ctx *c)
{
	if (!strcmp(c->target, "memfd"))
		return mb_skip(c, "declined on purpose");
	if (!strcmp(c->target, "devzero"))
		return mb_fail(c, "failed on purpose");
	return 0;
}

static int nop(struct mb_ctx *c, size_t i)
{
	(void)c;
	(void)i;
	return 0;
}

/* an op that fails on the fifth sample (calibration is one sample with --batch) */
static int fail_late(struct mb_ctx *c, size_t i)
{
	if (i == 0 && ++*(int *)c->priv == 5)
		return -EIO;
	return 0;
}

static int late_setup(struct mb_ctx *c)
{
	static int calls[64];

	c->priv = &calls[c->thread % 64];
	return 0;
}

MB_BENCH(selftest_skip) = {
	.name = "selftest-skip",
	.family = "selftest",
	.desc = "skips on memfd, fails setup on devzero (harness self-test)",
	.targets = "anon,memfd,devzero",
	.sizes = "4k",
	.setup = skip_setup,
	.steps = { { "nop", nop } },
};

MB_BENCH(selftest_late) = {
	.name = "selftest-late",
	.family = "selftest",
	.desc = "an op that fails in the fifth sample (harness self-test)",
	.targets = "anon",
	.sizes = "4k",
	.setup = late_setup,
	.steps = { { "nop", fail_late } },
};

/*
 * selftest-merge: the merge family's shape.  N = --count chunks mapped at consecutive
 * addresses and file offsets (MB_F_BATCH_COUNT: one op per chunk); after() reports
 * how many VMAs they became.
 */
static int merge_before(struct mb_ctx *c)
{
	void *p = mmap(NULL, c->batch * c->size, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return mb_fail(c, "reserve: %s", strerror(errno));
	c->priv = p;
	return 0;
}

static int map_chunk(struct mb_ctx *c, size_t i)
{
	char *want = (char *)c->priv + i * c->size;
	void *p = mmap(want, c->size, c->prot, c->mflags | MAP_FIXED, c->fd,
		       (off_t)(i * c->size));

	return p == MAP_FAILED ? -errno : 0;
}

static int merge_after(struct mb_ctx *c)
{
	uintptr_t a = (uintptr_t)c->priv;

	mb_report(c, "vmas", "count", MB_LOWER,
		  (double)mb_count_vmas(a, a + c->batch * c->size));
	munmap(c->priv, c->batch * c->size);
	c->priv = NULL;
	return 0;
}

static void merge_teardown(struct mb_ctx *c)
{
	if (c->priv)
		munmap(c->priv, c->batch * c->size);
}

static size_t merge_span(const struct mb_ctx *c)
{
	return (size_t)c->count * c->size;
}

MB_BENCH(selftest_merge) = {
	.name = "selftest-merge",
	.family = "selftest",
	.desc = "N chunks at consecutive addresses and offsets (harness self-test)",
	.flags = MB_F_BATCH_COUNT,
	.sizes = "4k",
	.maps = "shared",
	.counts = "4",
	.span = merge_span,
	.before = merge_before,
	.steps = { { "map chunk", map_chunk } },
	.after = merge_after,
	.teardown = merge_teardown,
};

/*
 * selftest-nop: an op that does nothing, batched and timed singly; what
 * --inject-ns adds is then (nearly) all there is to measure (test_inject_run.sh).
 */
MB_BENCH(selftest_nop) = {
	.name = "selftest-nop",
	.family = "selftest",
	.desc = "an empty op, for --inject-ns (harness self-test)",
	.targets = "anon",
	.sizes = "4k",
	.steps = { { "nop", nop } },
};

MB_BENCH(selftest_nop_each) = {
	.name = "selftest-nop-each",
	.family = "selftest",
	.desc = "an empty op timed singly, for --inject-ns (harness self-test)",
	.flags = MB_F_TIME_EACH,
	.targets = "anon",
	.sizes = "4k",
	.min_batch = 64,
	.max_batch = 64,
	.steps = { { "nop", nop } },
};

/*
 * selftest-tasks: what a --threads task runs in (--tasks threads|processes).  Each
 * task's op writes its pid into a page shared by all tasks (mapped before any starts)
 * and into a private global; thread 0's teardown (after the last sample: on a worker
 * thread, or in the harness's own process in process mode) counts the distinct pids
 * the tasks wrote, how many are its own process's, and whether its copy of the global
 * saw a task's write (no: the tasks had address spaces of their own).
 */
#define TASKS_MAX	64

static pid_t *task_pids;	/* MAP_SHARED, [TASKS_MAX] */
static pid_t task_wrote;	/* in this address space: the last pid a task wrote */

static int tasks_setup(struct mb_ctx *c)
{
	if (c->threads > TASKS_MAX)
		return mb_skip(c, "at most %d tasks", TASKS_MAX);
	if (c->thread)
		return 0;
	task_pids = mmap(NULL, TASKS_MAX * sizeof(*task_pids), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (task_pids == MAP_FAILED) {
		task_pids = NULL;
		return mb_fail(c, "mmap: %s", strerror(errno));
	}
	task_wrote = 0;
	return 0;
}

static int tasks_op(struct mb_ctx *c, size_t i)
{
	(void)i;
	task_pids[c->thread] = getpid();
	task_wrote = getpid();
	return 0;
}

static void tasks_teardown(struct mb_ctx *c)
{
	long distinct = 0, own = 0;

	if (c->thread || !task_pids)
		return;
	for (int t = 0; t < c->threads; t++) {
		int seen = 0;

		for (int u = 0; u < t; u++)
			seen |= task_pids[u] == task_pids[t];
		distinct += task_pids[t] && !seen;
		own += task_pids[t] == getpid();
	}
	mb_count(c, "tasks_distinct_pids", distinct);
	mb_count(c, "tasks_in_harness_process", own);
	mb_count(c, "tasks_write_seen_by_harness", task_wrote != 0);
	munmap(task_pids, TASKS_MAX * sizeof(*task_pids));
	task_pids = NULL;
}

MB_BENCH(selftest_tasks) = {
	.name = "selftest-tasks",
	.family = "selftest",
	.desc = "each task's pid and address space, for --tasks (harness self-test)",
	.flags = MB_F_THREADS,
	.targets = "anon",
	.sizes = "4k",
	.setup = tasks_setup,
	.steps = { { "pid", tasks_op } },
	.teardown = tasks_teardown,
};
