/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clock.h - which clock a run's timings were taken with, and what their unit is.
 * Pure functions: no I/O, no globals.  Shared by the harness and the analysis tools.
 *
 * The clock of a run (env.clock in results.json; MMAPBENCH_CLOCK for the harness):
 *   icount  QEMU's single-threaded TCG with -icount shift=S,sleep=off,align=off: the
 *           guest's TSC and clocks advance 2^S ns per guest instruction, so a timing is
 *           a path length in guest instructions (unit "insn"), kernel included; it does
 *           not see cache or TLB misses, lock contention or memory latency.
 *   tcg     plain TCG: host time as the emulated guest sees it (unit "ns")
 *   kvm     a KVM guest (unit "ns")
 *   bare    this machine, no virtualisation (unit "ns")
 * Files written before env.clock existed have the clock their env.accel names.
 */
#ifndef MB_CLOCK_H
#define MB_CLOCK_H

#include <stdbool.h>

enum mb_clock { MB_CLOCK_BARE, MB_CLOCK_TCG, MB_CLOCK_KVM, MB_CLOCK_ICOUNT };

/* "bare", "tcg", "kvm", "icount" into *c: 0, or -1 (NULL or any other string). */
int mb_clock_parse(const char *s, enum mb_clock *c);
const char *mb_clock_name(enum mb_clock c);
/* The unit of a timing taken with c: "insn" under icount, else "ns". */
const char *mb_clock_time_unit(enum mb_clock c);
/*
 * A results file's clock: env.clock when it is given (NULL if absent), else the one
 * env.accel names (tcg, kvm, bare, icount), else NULL: unknown.  The name, static.
 */
const char *mb_clock_of_env(const char *clock, const char *accel);
/* A timing's unit: "ns" or "insn". */
bool mb_unit_is_time(const char *unit);
/* How a unit is written for people: "insn" is "instructions (icount)"; others as is. */
const char *mb_unit_label(const char *unit);

#endif /* MB_CLOCK_H */
