// SPDX-License-Identifier: GPL-2.0
/*
 * cx16probe - does this CPU (or emulator) keep the flags CMPXCHG16B must not touch?
 *
 * CMPXCHG16B writes ZF and nothing else: CF, OF, SF, PF and AF keep what the
 * instruction before it set, and no system flag can change.  QEMU 7.2's TCG gets this
 * wrong.  Its helper computes the old flags from env->cc_op, which the translator has
 * not updated for the instructions of the current block, so the flags come from a
 * stale operation.  Right after an exit from QEMU's execution loop (an interrupt, or
 * single-threaded TCG switching vCPUs) that stale operation is "the flags are CC_SRC",
 * and CC_SRC holds an operand of the last ADD: the "flags" are then any 32 bits, and
 * the next exit folds them into EFLAGS whole.  In a guest kernel that is a double
 * fault (EFLAGS.VM set in 64-bit mode makes the next interrupt raise #GP): SLUB's
 * fast path adds and then does CMPXCHG16B.  See docs/limits.md.
 *
 *   cx16probe [-n N]
 *
 * Runs N (default 2000000) rounds of ADD then CMPXCHG16B (which succeeds), reads
 * the flags after each, and counts the rounds where CF was lost (the ADD set it),
 * where a flag outside the arithmetic ones appeared (VM, set only by the ADD's
 * operand), and where PUSHF itself faulted: once QEMU has folded VM into EFLAGS, a
 * user-mode PUSHF counts as virtual-8086 mode's and raises #GP.  That SIGSEGV is
 * caught (an unhandled one would put a "traps:" line in dmesg, and the runner fails
 * a boot on those).  Output (one line):
 * cx16probe: rounds=N cf_lost=A system_flags=B gp_faults=G verdict=ok|broken
 * Exit 0 (whatever the verdict; the verdict is the result), 1 when the handler cannot
 * be installed, 2 on bad usage, 3 when the CPU has no CMPXCHG16B.
 */
#define _POSIX_C_SOURCE 200809L
#include <cpuid.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define X86_EFLAGS_CF 0x1UL
#define X86_EFLAGS_VM 0x20000UL

/*
 * One round: ADD sets CF (a + b wraps) or puts VM_MASK into the operand QEMU keeps as
 * CC_SRC; CMPXCHG16B compares equal and stores; PUSHF reads the flags.
 */
static unsigned long round_flags(unsigned long a, unsigned long b)
{
	static _Alignas(16) uint64_t m[2];
	uint64_t lo = 0, hi = 0;
	unsigned long fl;

	m[0] = 0;
	m[1] = 0;
	__asm__ volatile("add %[b], %[a]\n\t"
			 "cmpxchg16b %[m]\n\t"
			 "pushfq\n\t"
			 "popq %[fl]"
			 : [a] "+r"(a), [m] "+m"(m), "+a"(lo), "+d"(hi), [fl] "=r"(fl)
			 : [b] "r"(b), "b"(0UL), "c"(0UL)
			 : "cc", "memory");
	return fl;
}

static sigjmp_buf gp_env;

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(gp_env, 1);
}

static void usage(void)
{
	fprintf(stderr, "usage: cx16probe [-n ROUNDS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	/*
	 * Static: they live across sigsetjmp() and a siglongjmp() out of a round.  (i is
	 * not changed between the two; the counters are: no register may hold them.)
	 */
	static unsigned long n = 2000000, cf_lost, sys, gp;
	unsigned long i;
	unsigned int eax, ebx, ecx, edx;
	struct sigaction sa = { .sa_handler = on_segv };
	int c;

	while ((c = getopt(argc, argv, "n:")) != -1) {
		char *end;

		if (c != 'n')
			usage();
		n = strtoul(optarg, &end, 10);
		if (*optarg < '1' || *optarg > '9' || *end)
			usage();
	}
	if (optind != argc)
		usage();
	if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & bit_CMPXCHG16B)) {
		printf("cx16probe: rounds=0 cf_lost=0 system_flags=0 gp_faults=0 verdict=no-cx16\n");
		return 3;
	}
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, NULL)) {
		perror("cx16probe: sigaction");
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (sigsetjmp(gp_env, 1)) {
			gp++;
			continue;
		}
		/* ~0 + 1: CF set, result 0. */
		if (!(round_flags(~0UL, 1) & X86_EFLAGS_CF))
			cf_lost++;
		/* 0 + VM_MASK: no carry; VM_MASK is the operand QEMU keeps. */
		if (round_flags(0, X86_EFLAGS_VM) & X86_EFLAGS_VM)
			sys++;
	}
	printf("cx16probe: rounds=%lu cf_lost=%lu system_flags=%lu gp_faults=%lu verdict=%s\n", n,
	       cf_lost, sys, gp, cf_lost || sys || gp ? "broken" : "ok");
	return 0;
}
