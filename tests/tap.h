/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A TAP producer in one header, kselftest-style: one claim per ok(), the plan
 * declared before the first test (tap_plan), exit status = number of failures
 * (capped).  A claim that cannot be made is never dropped silently: a block that
 * stops early (tap_claims) or a run that stops before its plan (tap_done) prints
 * a "not ok" for every claim it lost, so the count always matches the plan.
 */
#ifndef MMAPBENCH_TAP_H
#define MMAPBENCH_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int tap_run, tap_failed, tap_planned = -1;

/* The plan, before any test: "1..N". */
static inline void tap_plan(int n)
{
	printf("1..%d\n", n);
	fflush(stdout);
	tap_planned = n;
}

static inline int __attribute__((format(printf, 4, 5)))
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", pass ? "" : "not ", ++tap_run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (!pass) {
		tap_failed++;
		printf("\n# failed at %s:%d", file, line);
	}
	printf("\n");
	fflush(stdout);
	return pass;
}

static inline void __attribute__((format(printf, 2, 3)))
tap_skip(const char *why, const char *fmt, ...)
{
	va_list ap;

	printf("ok %d - ", ++tap_run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # SKIP %s\n", why);
}

/*
 * The claims a block makes: MARK = tap_run before it, WANT = the claims it
 * declares.  Every claim it did not make (it returned early: a device that did
 * not open, a mapping that failed) is a "not ok" naming WHAT.
 */
static inline void tap_claims(int mark, int want, const char *what)
{
	int made = tap_run - mark;

	for (int i = made; i < want; i++) {
		printf("not ok %d - %s: claim %d of %d not made\n", ++tap_run, what, i + 1, want);
		tap_failed++;
	}
	fflush(stdout);
	if (made > want)
		printf("# %s: made %d claims, declared %d: the plan is wrong\n", what, made, want);
}

/* WANT claims that cannot be made, each a "not ok" naming WHY. */
static inline void tap_lost(int want, const char *why)
{
	tap_claims(tap_run, want, why);
}

/*
 * The end: every claim of the plan not made is a "not ok" (so a run that stops
 * early fails); without tap_plan(), the plan comes last, which tap-summary refuses.
 */
static inline int tap_done(void)
{
	if (tap_planned < 0)
		printf("1..%d\n", tap_run);
	else if (tap_run < tap_planned)
		tap_lost(tap_planned - tap_run, "the run stopped before its plan");
	else if (tap_run > tap_planned)
		printf("# ran %d claims, planned %d: the plan is wrong\n", tap_run, tap_planned);
	if (tap_planned >= 0 && tap_run != tap_planned)
		tap_failed++;
	return tap_failed > 100 ? 100 : tap_failed;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

/* |got - want| <= tol * max(1, |want|) */
#define is_num(got, want, tol, ...) do {					\
	double g_ = (got), w_ = (want);					\
	int p_ = fabs(g_ - w_) <= (tol) * (fabs(w_) > 1 ? fabs(w_) : 1);	\
	if (!tap_ok(p_, __FILE__, __LINE__, __VA_ARGS__))		\
		printf("#   got %.17g, want %.17g\n", g_, w_);		\
} while (0)

#define is_int(got, want, ...) do {					\
	long long g_ = (long long)(got), w_ = (long long)(want);	\
	if (!tap_ok(g_ == w_, __FILE__, __LINE__, __VA_ARGS__))		\
		printf("#   got %lld, want %lld\n", g_, w_);		\
} while (0)
#define diag(...) (printf("# "), printf(__VA_ARGS__), printf("\n"))

#endif
