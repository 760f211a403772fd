// SPDX-License-Identifier: GPL-2.0
/*
 * test_ops.c - `mmapbench run ... --ops K` does exactly K ops of the case's first
 * step: counted from outside, with the child's rusage.  A storm of populated private
 * anonymous 4 KiB mappings faults one page in per mmap (MAP_POPULATE's faults count
 * as minor faults of the process), so minflt(K) - minflt(0) = K, give or take
 * (either way) the few pages any process touches; K and 2K must differ by K again.
 *   MMAPBENCH=build/bench/mmapbench build/bench/test_ops
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../tap.h"

#define K	5000
/*
 * Pages a process may touch besides the ops (stack, heap, lazily mapped libc): either
 * way, since the --ops 0 process can touch a few more than the --ops K one (seen: a
 * difference of 4996 and 4999 for K = 5000).  Far below K, so K ops are still proven.
 */
#define SLACK	64

/* Run mmapbench with args and --ops ops; its exit status, its minflt in *minflt. */
static int run_ops(const char *mb, const char *const *args, long ops, long *minflt)
{
	char *argv[32], n[32];
	struct rusage ru;
	int st, i = 0;
	pid_t pid;

	argv[i++] = (char *)mb;
	while (*args)
		argv[i++] = (char *)*args++;
	argv[i++] = "--ops";
	snprintf(n, sizeof(n), "%ld", ops);
	argv[i++] = n;
	argv[i] = NULL;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execv(mb, argv);
		_exit(127);
	}
	if (wait4(pid, &st, 0, &ru) != pid)
		return -1;
	*minflt = ru.ru_minflt;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(void)
{
	static const char *const pop[] = { "run", "-b", "storm", "-t", "anon", "-s", "4k",
		"--map", "private", "--populate", "yes", "--threads", "1", NULL };
	static const char *const nopop[] = { "run", "-b", "storm", "-t", "anon", "-s", "4k",
		"--map", "private", "--populate", "no", "--threads", "1", NULL };
	const char *mb = getenv("MMAPBENCH");
	long f0 = -1, fk = -1, f2k = -1, g0 = -1, gk = -1;
	int rc;

	tap_plan(7);
	if (!mb || access(mb, X_OK)) {
		tap_lost(7, "MMAPBENCH is not an executable (run by tests/unit/run.sh)");
		return tap_done();
	}
	rc = run_ops(mb, pop, 0, &f0);
	ok(rc == 0, "--ops 0 exits 0 (got %d)", rc);
	rc = run_ops(mb, pop, K, &fk);
	ok(rc == 0, "--ops %d exits 0 (got %d)", K, rc);
	rc = run_ops(mb, pop, 2 * K, &f2k);
	ok(rc == 0, "--ops %d exits 0 (got %d)", 2 * K, rc);
	ok(fk - f0 >= K - SLACK && fk - f0 <= K + SLACK,
	   "populated storm: --ops %d takes %d more minor faults than --ops 0 (got %ld)",
	   K, K, fk - f0);
	ok(f2k - fk >= K - SLACK && f2k - fk <= K + SLACK,
	   "--ops %d takes %d more than --ops %d (got %ld)", 2 * K, K, K, f2k - fk);
	/* without MAP_POPULATE nothing is touched: the ops add no faults */
	rc = run_ops(mb, nopop, 0, &g0);
	ok(rc == 0, "unpopulated --ops 0 exits 0");
	rc = run_ops(mb, nopop, K, &gk);
	ok(rc == 0 && gk - g0 <= SLACK, "unpopulated storm: --ops %d adds no faults "
	   "(got %ld)", K, gk - g0);
	return tap_done();
}
