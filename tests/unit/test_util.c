// SPDX-License-Identifier: GPL-2.0
/*
 * test_util.c - bench/lib/parse.c (option parsing) and bench/harness/vma.c (the VMA
 * helpers of mmapbench.h).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"
#include "../tap.h"

static void sizes(void)
{
	static const struct { const char *s; uint64_t v; } good[] = {
		{ "4096", 4096 }, { "4k", 4096 }, { "4K", 4096 }, { "2m", 2 << 20 },
		{ "128m", 128 << 20 }, { "1g", 1ull << 30 }, { "4KiB", 4096 }, { "2MB", 2 << 20 },
		{ "1t", 1ull << 40 },
	};
	static const char *const bad[] = { "", "k", "4q", "-4k", " 4k", "4k ", "4kk", "0x10",
					   "4.5k", "4b" };
	uint64_t v;
	int all = 1;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		int ok_ = mb_parse_size(good[i].s, &v) == 0 && v == good[i].v;

		if (!ok_)
			printf("#   '%s' failed\n", good[i].s);
		all &= ok_;
	}
	ok(all, "sizes with k/m/g/t suffixes parse");
	all = 1;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ok_ = mb_parse_size(bad[i], &v) == -EINVAL;

		if (!ok_)
			printf("#   '%s' accepted\n", bad[i]);
		all &= ok_;
	}
	ok(all, "malformed sizes -> -EINVAL");
	ok(mb_parse_size("99999999999999999999", &v) == -ERANGE, "too many digits -> -ERANGE");
	ok(mb_parse_size("17179869184g", &v) == -ERANGE, "overflow by the suffix -> -ERANGE");
}

static void numbers(void)
{
	uint64_t v;

	ok(mb_parse_u64("30", 1, 100, &v) == 0 && v == 30, "30 in 1..100");
	ok(mb_parse_u64("0", 1, 100, &v) == -ERANGE, "0 below 1..100 -> -ERANGE");
	ok(mb_parse_u64("101", 1, 100, &v) == -ERANGE, "101 above 1..100 -> -ERANGE");
	ok(mb_parse_u64("-1", 0, 100, &v) == -EINVAL, "-1 -> -EINVAL (no wrap-around)");
	ok(mb_parse_u64("1x", 0, 100, &v) == -EINVAL, "trailing junk -> -EINVAL");
	ok(mb_parse_u64("18446744073709551615", 0, UINT64_MAX, &v) == 0 && v == UINT64_MAX,
	   "UINT64_MAX parses");
	ok(mb_parse_u64("18446744073709551616", 0, UINT64_MAX, &v) == -ERANGE,
	   "UINT64_MAX + 1 -> -ERANGE");
	ok(mb_parse_bool("yes") == 1 && mb_parse_bool("no") == 0 &&
	   mb_parse_bool("maybe") == -EINVAL, "yes/no");
}

static void lists(void)
{
	struct mb_strv v;

	ok(mb_split("a,bb,c", &v) == 0 && v.n == 3 && !strcmp(v.v[1], "bb") &&
	   mb_strv_has(&v, "c") && !mb_strv_has(&v, "d"), "a,bb,c splits into three");
	mb_strv_free(&v);
	ok(mb_split("one", &v) == 0 && v.n == 1, "a single item");
	mb_strv_free(&v);
	ok(mb_split("a,,b", &v) == -EINVAL && mb_split(",a", &v) == -EINVAL &&
	   mb_split("a,", &v) == -EINVAL && mb_split("", &v) == -EINVAL,
	   "empty items -> -EINVAL");
}

static void fmt(void)
{
	char b[32];
	int all = 1;

	mb_fmt_size(b, sizeof(b), 4096);
	all &= !strcmp(b, "4k");
	mb_fmt_size(b, sizeof(b), 2 << 20);
	all &= !strcmp(b, "2m");
	mb_fmt_size(b, sizeof(b), 3ull << 30);
	all &= !strcmp(b, "3g");
	mb_fmt_size(b, sizeof(b), 6144);
	all &= !strcmp(b, "6k");
	mb_fmt_size(b, sizeof(b), 12345);
	all &= !strcmp(b, "12345");
	ok(all, "sizes print back as 4k, 2m, 3g, 6k, 12345");
}

/* Three pages; the middle one read-only makes three VMAs, restoring it merges them. */
static void vmas(int force_maps)
{
	const char *how = force_maps ? "/proc/self/maps" : "PROCMAP_QUERY or maps";
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	uintptr_t s = 0, e = 0, a = (uintptr_t)p;

	mb_vmas_force_maps(force_maps);
	ok(p != MAP_FAILED, "three pages mapped");
	if (p == MAP_FAILED)
		return;
	is_int(mb_count_vmas(a, a + 3 * pg), 1, "%s: one VMA", how);
	mprotect(p + pg, pg, PROT_READ);
	is_int(mb_count_vmas(a, a + 3 * pg), 3, "%s: middle page read-only -> three VMAs", how);
	is_int(mb_count_vmas(a + pg, a + 2 * pg), 1, "%s: range covering one of them", how);
	ok(mb_vma_at(a + pg + 1, &s, &e) == 0 && s == a + pg && e == a + 2 * pg,
	   "%s: mb_vma_at finds the middle VMA's bounds", how);
	mprotect(p + pg, pg, PROT_READ | PROT_WRITE);
	is_int(mb_count_vmas(a, a + 3 * pg), 1, "%s: same protection again -> merged", how);
	ok(mb_count_vmas(0, UINTPTR_MAX) > 3, "%s: the whole process has VMAs", how);
	munmap(p, 3 * pg);
	ok(mb_vma_at(a, &s, &e) == -ENOENT, "%s: unmapped address -> -ENOENT", how);
	mb_vmas_force_maps(0);
}

int main(void)
{
	tap_plan(33);
	sizes();
	numbers();
	lists();
	fmt();
	vmas(0);
	vmas(1);
	ok(mb_max_map_count() > 0, "vm.max_map_count readable");
	return tap_done();
}
