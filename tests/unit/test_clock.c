// SPDX-License-Identifier: GPL-2.0
/*
 * test_clock.c - bench/lib/clock.c (clock names, timing units and their labels) and the
 * verdict for a deterministic clock in bench/lib/cmpstats.c: Mann-Whitney on boot
 * medians, p < 0.01 and a change of at least 0.1 %, and the bimodal rows.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "clock.h"
#include "cmpstats.h"
#include "../tap.h"

static void clock_names(void)
{
	static const char *const good[] = { "bare", "tcg", "kvm", "icount" };
	static const char *const bad[] = { "", "auto", "ICOUNT", "icount ", "tc", "kvm2" };
	enum mb_clock c = MB_CLOCK_BARE;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ok(!mb_clock_parse(good[i], &c) && !strcmp(mb_clock_name(c), good[i]),
		   "'%s' parses and names itself", good[i]);
	c = MB_CLOCK_KVM;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(mb_clock_parse(bad[i], &c) == -1 && c == MB_CLOCK_KVM,
		   "'%s' is not a clock (auto is resolved before the harness)", bad[i]);
	ok(mb_clock_parse(NULL, &c) == -1, "NULL is not a clock");
}

static void clock_of_env(void)
{
	ok(!strcmp(mb_clock_of_env("icount", "tcg"), "icount"), "env.clock wins over accel");
	ok(!strcmp(mb_clock_of_env(NULL, "tcg"), "tcg"), "no env.clock: accel tcg is clock tcg");
	ok(!strcmp(mb_clock_of_env(NULL, "bare"), "bare"), "no env.clock: bare is bare");
	ok(mb_clock_of_env(NULL, "qemu-7") == NULL, "an unknown accel: unknown clock");
	ok(mb_clock_of_env(NULL, NULL) == NULL, "nothing recorded: unknown clock");
	ok(mb_clock_of_env("sundial", "tcg") == NULL, "a bad env.clock is unknown, not accel's");
}

static void units(void)
{
	ok(!strcmp(mb_clock_time_unit(MB_CLOCK_ICOUNT), "insn"), "icount times in insn");
	ok(!strcmp(mb_clock_time_unit(MB_CLOCK_TCG), "ns") &&
	   !strcmp(mb_clock_time_unit(MB_CLOCK_KVM), "ns") &&
	   !strcmp(mb_clock_time_unit(MB_CLOCK_BARE), "ns"), "tcg, kvm, bare time in ns");
	ok(mb_unit_is_time("ns") && mb_unit_is_time("insn"), "ns and insn are timings");
	ok(!mb_unit_is_time("ops/s") && !mb_unit_is_time("count") && !mb_unit_is_time(NULL),
	   "ops/s, count, NULL are not");
	ok(!strcmp(mb_unit_label("insn"), "instructions (icount)"),
	   "insn reads 'instructions (icount)'");
	ok(!strcmp(mb_unit_label("ns"), "ns") && !strcmp(mb_unit_label("ratio"), "ratio"),
	   "other units read as they are");
}

static void verdict(void)
{
	/* five boots a side, every patched boot above every base boot */
	double b5[] = { 5000, 5001, 4999, 5000.5, 5000 };
	double up1[] = { 5050, 5051, 5049, 5050.5, 5050 };		/* +1 % */
	double up005[] = { 5002.5, 5003, 5002.6, 5002.7, 5002.8 };	/* +0.05 % */
	double aa[] = { 5000.2, 4999.5, 5001, 5000, 4999.8 };
	struct mb_boot_verdict v;

	ok(!mb_boot_verdict(b5, 5, up1, 5, &v) && v.mw.exact, "5 v 5: exact test");
	is_num(v.mw.p, 2.0 / 252, 1e-12, "5 v 5 separated: p = 2 / C(10, 5)");
	is_num(v.change, 1.0, 1e-9, "change of the medians of boot medians: +1 %%");
	ok(v.significant, "+1 %% on 5 boots a side is flagged");
	ok(!mb_boot_verdict(b5, 5, up005, 5, &v) && v.mw.p < MB_BOOT_ALPHA && !v.significant,
	   "+0.05 %%, separated: p < 0.01 but below 0.1 %%: not flagged");
	ok(!mb_boot_verdict(b5, 5, aa, 5, &v) && !v.significant, "A/A: not flagged");
	ok(!mb_boot_verdict(b5, 4, up1, 4, &v) && !v.significant && v.mw.p > MB_BOOT_ALPHA,
	   "4 v 4 separated: p = 2/70 > 0.01, no verdict possible");
	is_num(v.mw.p, 2.0 / 70, 1e-12, "4 v 4 separated: p = 2 / C(8, 4)");
	ok(mb_boot_verdict(b5, 0, up1, 5, &v) == -EINVAL, "an empty side: -EINVAL");
	{
		double bad[] = { 5000, NAN };

		ok(mb_boot_verdict(bad, 2, up1, 5, &v) == -EINVAL, "NaN: -EINVAL");
	}
	{
		/* both sides bimodal, the modes drawn alike: no verdict */
		double mb[] = { 3689, 5632, 3689, 3690, 5632 };
		double mp[] = { 5632, 3689, 5633, 3689, 5632 };

		ok(!mb_boot_verdict(mb, 5, mp, 5, &v) && !v.significant,
		   "bimodal boots on both sides, different mode counts: not flagged");
	}
}

static void bimodal(void)
{
	double two[] = { 3689, 5632, 3690, 5633, 3689 };
	double one[] = { 5000, 5001, 4999, 5000.5, 5000 };
	double spread[] = { 5000, 5100, 5200, 5300, 5400 };
	double bad[] = { 1, NAN, 3 };

	ok(mb_bimodal(two, 5) == 1, "3689/5632 boots: bimodal");
	ok(mb_bimodal(one, 5) == 0, "boots within 0.04 %%: not bimodal");
	ok(mb_bimodal(spread, 5) == 0, "evenly spread boots: not bimodal (no gap)");
	ok(mb_bimodal(two, 2) == 0, "two boots: never called bimodal");
	ok(mb_bimodal(bad, 3) == -EINVAL, "NaN: -EINVAL");
}

int main(void)
{
	tap_plan(39);
	clock_names();
	clock_of_env();
	units();
	verdict();
	bimodal();
	return tap_done();
}
