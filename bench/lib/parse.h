/* SPDX-License-Identifier: GPL-2.0 */
/*
 * parse.h - comma lists, sizes, numbers, small file reads and writes, the monotonic
 * clock.  Pure helpers (no harness type), shared by the harness and the analysis.
 */
#ifndef MB_PARSE_H
#define MB_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mb_strv {
	char **v;
	size_t n;
};
/* Split a comma list (no empty items); 0 or -ENOMEM/-EINVAL. */
int mb_split(const char *list, struct mb_strv *out);
void mb_strv_free(struct mb_strv *v);
bool mb_strv_has(const struct mb_strv *v, const char *s);
/* "4k", "2m", "1g", "4096" -> bytes; 0 or -EINVAL/-ERANGE. */
int mb_parse_size(const char *s, uint64_t *out);
/* A decimal unsigned integer in [min, max]; 0 or -EINVAL/-ERANGE. */
int mb_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
/* "yes"/"no" (also 1/0, true/false, populate/nopopulate) -> 1/0, or -EINVAL. */
int mb_parse_bool(const char *s);
/* 4096 -> "4k", 2097152 -> "2m", 12345 -> "12345". */
void mb_fmt_size(char *buf, size_t len, uint64_t bytes);
/* Read the first line of a file, newline stripped; 0 or -errno. */
int mb_read_line(const char *path, char *buf, size_t len);
/* Read a decimal integer from a file; 0 or -errno. */
int mb_read_ll(const char *path, long long *v);
/* Write a string to a file (sysfs); 0 or -errno. */
int mb_write_str(const char *path, const char *s);
/* Monotonic ns. */
int64_t mb_mono_ns(void);

#endif /* MB_PARSE_H */
