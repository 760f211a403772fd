// SPDX-License-Identifier: GPL-2.0
/*
 * overhead.c - the harness's own overhead: an empty op through the same loop, batched
 * and timed singly.
 */
#include <string.h>

#include "core.h"

__attribute__((noinline, noipa)) static int empty_op(struct mb_ctx *c, size_t i)
{
	(void)c;
	(void)i;
	return 0;
}

static const struct mb_bench empty_batch = {
	.name = "empty", .family = "harness", .desc = "empty op (harness overhead)",
	.sizes = "4k", .steps = { { "empty", empty_op } },
};

static const struct mb_bench empty_each = {
	.name = "empty-each", .family = "harness", .desc = "empty op timed singly",
	.flags = MB_F_TIME_EACH, .min_batch = 1000, .max_batch = 1000,
	.sizes = "4k", .steps = { { "empty", empty_op } },
};

/* Median ns per op of empty_batch and empty_each; run before the cases. */
int mb_measure_overhead(struct mb_run *r, struct mb_case ov[2])
{
	struct mb_sched sc = { .r = r };
	struct mb_run sub = *r;
	uint64_t rng = r->seed;
	struct mb_case *p;
	int ret = 0;

	sub.cases = ov;
	sub.ncases = 2;
	sub.samples = 51;	/* fixed: it is a few ms, whatever --samples says */
	sub.warmup = 2;
	sc.r = &sub;
	for (int i = 0; i < 2; i++) {
		memset(&ov[i], 0, sizeof(ov[i]));
		ov[i].b = i ? &empty_each : &empty_batch;
		ov[i].threads = 1;
		ov[i].size = 4096;
		ov[i].span = 4096;
		ov[i].fd = -1;
		p = &ov[i];
		ret = ret ? ret : mb_run_set(&sc, &p, 1, &rng);
	}
	return ret;
}
