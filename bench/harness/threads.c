// SPDX-License-Identifier: GPL-2.0
/*
 * threads.c - running one case's jobs (setup, a sample, teardown) on its threads:
 * the sample's steps through the timed loops, the worker pool and its barriers.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
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
			pthread_barrier_wait(&pool->step);
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

void mb_dispatch(struct mb_case *cs, enum mb_job job)
{
	if (cs->threads == 1) {
		do_job(cs, 0, job);
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
