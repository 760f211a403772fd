// SPDX-License-Identifier: GPL-2.0
/* clock.c - clock names and timing units (clock.h). */
#include <string.h>

#include "clock.h"

static const char *const names[] = {
	[MB_CLOCK_BARE] = "bare", [MB_CLOCK_TCG] = "tcg", [MB_CLOCK_KVM] = "kvm",
	[MB_CLOCK_ICOUNT] = "icount",
};

int mb_clock_parse(const char *s, enum mb_clock *c)
{
	if (!s)
		return -1;
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(s, names[i])) {
			*c = (enum mb_clock)i;
			return 0;
		}
	}
	return -1;
}

const char *mb_clock_name(enum mb_clock c)
{
	return (unsigned)c < sizeof(names) / sizeof(names[0]) ? names[c] : "?";
}

const char *mb_clock_time_unit(enum mb_clock c)
{
	return c == MB_CLOCK_ICOUNT ? "insn" : "ns";
}

const char *mb_clock_of_env(const char *clock, const char *accel)
{
	enum mb_clock c;

	if (clock)
		return mb_clock_parse(clock, &c) ? NULL : names[c];
	if (!mb_clock_parse(accel, &c))
		return names[c];
	return NULL;
}

bool mb_unit_is_time(const char *unit)
{
	return unit && (!strcmp(unit, "ns") || !strcmp(unit, "insn"));
}

const char *mb_unit_label(const char *unit)
{
	return unit && !strcmp(unit, "insn") ? "instructions (icount)" : unit;
}
