// SPDX-License-Identifier: GPL-2.0
/*
 * threads.c - running one case's jobs (setup, a sample, teardown) on its threads:
 * the sample's steps through the timed loops, the worker pool and its barriers; or,
 * in process mode (--tasks processes), a sample on one forked process per task.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core.h"

struct pool {
	int n;
	pthread_t *tid;
	pthread_barrier_t go, done, step;
	struct mb_case *cs;
	enum mb_job job;
	int quit;
	const int *cpus;
	pid_t *tids;		/* [n]: each worker's thread id (its perf group, case.c) */
};

static struct pool *pool;	/* of the group being run, NULL when single-threaded */
/* the barrier a sample's tasks meet at before each step: the pool's, or the boxes' */
static pthread_barrier_t *step_bar;

size_t mb_nsteps(const struct mb_bench *b)
{
	size_t n = 0;

	while (n < MB_MAX_STEPS && b->steps[n].op)
		n++;
	return n;
}

static void run_sample(struct mb_case *cs, struct mb_ctx *c)
{
	const struct mb_bench *b = cs->b;
	struct mb_ctx_priv *h = c->h;
	bool each = b->flags & MB_F_TIME_EACH;
	size_t K = c->batch, ns = mb_nsteps(b), i = 0;
	long long inj = cs->inj ? cs->inj->target : -1;	/* --inject-ns */
	int rc = 0;

	memset(c->addr, 0, K * sizeof(*c->addr));
	h->nrep = 0;
	if (b->before) {
		rc = b->before(c);
		if (rc && !h->reason[0])
			snprintf(h->reason, sizeof(h->reason), "before(): %s",
				 rc < 0 ? strerror(-rc) : "failed");
	}
	for (size_t s = 0; s < ns; s++) {
		int (*op)(struct mb_ctx *, size_t) = b->steps[s].op;

		/* Threads start each step together; a failed thread still turns up. */
		if (cs->threads > 1)
			pthread_barrier_wait(step_bar);
		h->ticks[s] = 0;
		if (rc)
			continue;
		h->mono0[s] = mb_mono_ns();
		if (each)
			rc = mb_loop_each(op, c, K, inj, h->each[s], &h->ticks[s], &i);
		else
			rc = mb_loop_batch(op, c, K, 1, inj, &h->ticks[s], &i);
		h->mono1[s] = mb_mono_ns();
		if (!rc && h->ticks[s] < 0) {
			/* pinned threads do not migrate; a counter that does this is broken */
			snprintf(h->reason, sizeof(h->reason), "%s: the counter went backwards "
				 "(%lld ticks)", b->steps[s].metric, h->ticks[s]);
			rc = -1;
		}
		if (rc && !h->reason[0]) {
			if (rc < 0)
				snprintf(h->reason, sizeof(h->reason), "%s: op %zu of %zu: %s",
					 b->steps[s].metric, i, K, strerror(-rc));
			else
				snprintf(h->reason, sizeof(h->reason), "%s: op %zu of %zu "
					 "returned %d", b->steps[s].metric, i, K, rc);
		}
	}
	if (!rc && b->after) {
		rc = b->after(c);
		if (rc && !h->reason[0])
			snprintf(h->reason, sizeof(h->reason), "after(): %s",
				 rc < 0 ? strerror(-rc) : "failed");
	}
	h->rc = rc;
}

static void do_job(struct mb_case *cs, int t, enum mb_job job)
{
	struct mb_ctx *c = &cs->ctx[t];

	switch (job) {
	case J_SETUP:
		c->h->rc = cs->b->setup ? cs->b->setup(c) : 0;
		c->h->setup_done = c->h->rc == 0;
		if (c->h->rc && !c->h->reason[0])
			snprintf(c->h->reason, sizeof(c->h->reason), "setup(): %s",
				 c->h->rc < 0 ? strerror(-c->h->rc) : "failed");
		break;
	case J_SAMPLE:
		run_sample(cs, c);
		break;
	case J_TEARDOWN:
		if (c->h->setup_done && cs->b->teardown)
			cs->b->teardown(c);
		c->h->setup_done = false;
		break;
	}
}

static void pin_self(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *worker(void *arg)
{
	int t = (int)(intptr_t)arg;

	pin_self(pool->cpus[t]);
	/* before the first barrier: known when the first job is dispatched */
	pool->tids[t] = (pid_t)syscall(SYS_gettid);
	for (;;) {
		pthread_barrier_wait(&pool->go);
		if (pool->quit)
			break;
		do_job(pool->cs, t, pool->job);
		pthread_barrier_wait(&pool->done);
	}
	return NULL;
}

int mb_pool_start(int n, const int *cpus)
{
	pool = calloc(1, sizeof(*pool));
	if (!pool)
		return -ENOMEM;
	pool->n = n;
	pool->cpus = cpus;
	pool->tid = calloc((size_t)n, sizeof(*pool->tid));
	pool->tids = calloc((size_t)n, sizeof(*pool->tids));
	if (!pool->tid || !pool->tids)
		goto fail;
	pthread_barrier_init(&pool->go, NULL, (unsigned)n + 1);
	pthread_barrier_init(&pool->done, NULL, (unsigned)n + 1);
	pthread_barrier_init(&pool->step, NULL, (unsigned)n);
	step_bar = &pool->step;
	for (int t = 0; t < n; t++) {
		if (pthread_create(&pool->tid[t], NULL, worker, (void *)(intptr_t)t)) {
			/* let the ones started leave through a barrier of the right size */
			fprintf(stderr, "mmapbench: cannot create thread %d of %d\n", t + 1, n);
			exit(MB_EXIT_RUNTIME);
		}
	}
	return 0;
fail:
	free(pool->tid);
	free(pool->tids);
	free(pool);
	pool = NULL;
	return -ENOMEM;
}

void mb_pool_stop(void)
{
	if (!pool)
		return;
	pool->quit = 1;
	pthread_barrier_wait(&pool->go);
	for (int t = 0; t < pool->n; t++)
		pthread_join(pool->tid[t], NULL);
	pthread_barrier_destroy(&pool->go);
	pthread_barrier_destroy(&pool->done);
	pthread_barrier_destroy(&pool->step);
	free(pool->tid);
	free(pool->tids);
	free(pool);
	pool = NULL;
}

/*
 * Process mode: what a task's process hands back of a sample, in a MAP_SHARED
 * mapping made before the fork (the process's own memory is gone with it).
 */
struct box {
	int rc;
	bool skip;
	char reason[MB_REASON_LEN];
	long long ticks[MB_MAX_STEPS];
	int64_t mono0[MB_MAX_STEPS], mono1[MB_MAX_STEPS];
	long long each[];		/* [steps][K] when timed each */
};

struct boxes {
	pthread_barrier_t step;		/* process-shared: the tasks start each step together */
	size_t stride;			/* bytes per box */
	unsigned char b[];
};

/* In task t's process: the sample, then its results into the box; never returns. */
static void task_process(struct mb_case *cs, int t, struct boxes *bx, size_t ns, bool each)
{
	struct box *o = (struct box *)(bx->b + (size_t)t * bx->stride);
	struct mb_ctx *c = &cs->ctx[t];
	struct mb_ctx_priv *h = c->h;
	size_t ncounts = h->ncounts;

	if (cs->cpus)
		pin_self(cs->cpus[t]);
	step_bar = &bx->step;
	/* its copies of the arrays the loops write, touched before the timed steps */
	for (size_t s = 0; each && s < ns; s++)
		memset(h->each[s], 0, c->batch * sizeof(*h->each[s]));
	run_sample(cs, c);
	if (!h->rc && (h->nrep || h->ncounts != ncounts)) {
		snprintf(h->reason, sizeof(h->reason), "mb_report()/mb_count() in a sample: "
			 "not carried back from a task's process (--tasks processes)");
		h->rc = -1;
	}
	o->rc = h->rc;
	o->skip = h->skip;
	memcpy(o->reason, h->reason, sizeof(o->reason));
	memcpy(o->ticks, h->ticks, sizeof(o->ticks));
	memcpy(o->mono0, h->mono0, sizeof(o->mono0));
	memcpy(o->mono1, h->mono1, sizeof(o->mono1));
	for (size_t s = 0; each && s < ns; s++)
		memcpy(o->each + s * c->batch, h->each[s], c->batch * sizeof(*o->each));
	_exit(0);
}

/*
 * A sample of a process-mode case: one process per task forked from this one (each
 * its own mm, a copy of this one's: the contexts' setup state), pinned to its CPU;
 * their results copied into the contexts as the threads' would be.  A task that
 * cannot start or dies fails the sample.
 */
static void sample_processes(struct mb_case *cs)
{
	size_t ns = mb_nsteps(cs->b), K = cs->batch;
	bool each = cs->b->flags & MB_F_TIME_EACH;
	size_t stride = (sizeof(struct box) + (each ? ns * K * sizeof(long long) : 0) + 63) &
			~(size_t)63;
	size_t len = sizeof(struct boxes) + (size_t)cs->threads * stride;
	pid_t pid[cs->threads];
	pthread_barrierattr_t ba;
	struct boxes *bx;
	int n = 0, st;

	bx = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	for (int t = 0; t < cs->threads; t++)
		cs->ctx[t].h->rc = 0;
	if (bx == MAP_FAILED) {
		snprintf(cs->ctx[0].h->reason, MB_REASON_LEN, "process mode: mmap: %s",
			 strerror(errno));
		cs->ctx[0].h->rc = -1;
		return;
	}
	bx->stride = stride;
	pthread_barrierattr_init(&ba);
	pthread_barrierattr_setpshared(&ba, PTHREAD_PROCESS_SHARED);
	pthread_barrier_init(&bx->step, &ba, (unsigned)cs->threads);
	pthread_barrierattr_destroy(&ba);
	fflush(NULL);
	for (; n < cs->threads; n++) {
		pid[n] = fork();
		if (pid[n] < 0)
			break;
		if (!pid[n])
			task_process(cs, n, bx, ns, each);
	}
	if (n < cs->threads) {
		/* the started ones wait at the first step for one that never comes */
		snprintf(cs->ctx[n].h->reason, MB_REASON_LEN, "process mode: fork of task %d "
			 "of %d: %s", n + 1, cs->threads, strerror(errno));
		cs->ctx[n].h->rc = -1;
		for (int t = 0; t < n; t++)
			kill(pid[t], SIGKILL);
	}
	for (int t = 0; t < n; t++) {
		struct mb_ctx_priv *h = cs->ctx[t].h;
		const struct box *o = (const struct box *)(bx->b + (size_t)t * stride);

		while (waitpid(pid[t], &st, 0) < 0 && errno == EINTR)
			;
		if (n < cs->threads)
			continue;
		if (!WIFEXITED(st) || WEXITSTATUS(st)) {
			snprintf(h->reason, MB_REASON_LEN, "process mode: task %d's process %s %d",
				 t + 1, WIFSIGNALED(st) ? "died of signal" : "exited with",
				 WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
			h->rc = -1;
			continue;
		}
		h->rc = o->rc;
		h->skip = o->skip;
		memcpy(h->reason, o->reason, sizeof(h->reason));
		memcpy(h->ticks, o->ticks, sizeof(h->ticks));
		memcpy(h->mono0, o->mono0, sizeof(h->mono0));
		memcpy(h->mono1, o->mono1, sizeof(h->mono1));
		for (size_t s = 0; each && s < ns; s++)
			memcpy(h->each[s], o->each + s * K, K * sizeof(*h->each[s]));
		h->nrep = 0;
	}
	pthread_barrier_destroy(&bx->step);
	munmap(bx, len);
}

void mb_dispatch(struct mb_case *cs, enum mb_job job)
{
	if (cs->threads == 1) {
		do_job(cs, 0, job);
		return;
	}
	/* process mode: setup and teardown here, for every task; samples forked */
	if (cs->procs) {
		if (job == J_SAMPLE)
			sample_processes(cs);
		else
			for (int t = 0; t < cs->threads; t++)
				do_job(cs, t, job);
		return;
	}
	pool->cs = cs;
	pool->job = job;
	pthread_barrier_wait(&pool->go);
	pthread_barrier_wait(&pool->done);
}

pid_t mb_pool_tid(int t)
{
	return pool->tids[t];
}

/* First failure or skip reason of the case's threads; returns the worst rc. */
int mb_collect_rc(struct mb_case *cs, bool *skip)
{
	int worst = 0;

	*skip = false;
	for (int t = 0; t < cs->threads; t++) {
		struct mb_ctx_priv *h = cs->ctx[t].h;

		if (h->rc && !cs->reason[0])
			snprintf(cs->reason, sizeof(cs->reason), "%s",
				 h->reason[0] ? h->reason : "failed");
		if (h->rc == MB_SKIP && h->skip)
			*skip = true;
		else if (h->rc)
			worst = -1;
	}
	return worst ? worst : (*skip ? MB_SKIP : 0);
}
