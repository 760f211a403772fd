/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A TAP producer in one header, kselftest-style: one claim per ok(), a plan
 * printed at the end, exit status = number of failures (capped).
 */
#ifndef MMAPBENCH_TAP_H
#define MMAPBENCH_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int tap_run, tap_failed;

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

static inline int tap_done(void)
{
	printf("1..%d\n", tap_run);
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
