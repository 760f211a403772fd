// SPDX-License-Identifier: GPL-2.0
/*
 * parse.c - comma lists, sizes, numbers, small file reads and writes, the monotonic
 * clock (parse.h).  Knows no harness type: the harness and the analysis use it alike.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "parse.h"

int mb_split(const char *list, struct mb_strv *out)
{
	char *dup, *save = NULL, *tok;
	size_t commas = 0;

	out->v = NULL;
	out->n = 0;
	if (!list || !*list)
		return -EINVAL;
	for (const char *p = list; *p; p++)
		commas += *p == ',';
	if (list[0] == ',' || list[strlen(list) - 1] == ',' || strstr(list, ",,"))
		return -EINVAL;
	dup = strdup(list);
	out->v = calloc(commas + 1, sizeof(*out->v));
	if (!dup || !out->v) {
		free(dup);
		free(out->v);
		out->v = NULL;
		return -ENOMEM;
	}
	for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		out->v[out->n] = strdup(tok);
		if (!out->v[out->n]) {
			free(dup);
			mb_strv_free(out);
			return -ENOMEM;
		}
		out->n++;
	}
	free(dup);
	return 0;
}

void mb_strv_free(struct mb_strv *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
	v->v = NULL;
	v->n = 0;
}

bool mb_strv_has(const struct mb_strv *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->v[i], s))
			return true;
	return false;
}

int mb_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !isdigit((unsigned char)s[0]))
		return -EINVAL;		/* also refuses "-1", " 1", "+1" */
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int mb_parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	if (!s || !isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	switch (tolower((unsigned char)*end)) {
	case '\0':
		break;
	case 'k': shift = 10; end++; break;
	case 'm': shift = 20; end++; break;
	case 'g': shift = 30; end++; break;
	case 't': shift = 40; end++; break;
	default:
		return -EINVAL;
	}
	if (*end == 'i' || *end == 'I')		/* accept 4KiB-style too */
		end++;
	if ((*end == 'b' || *end == 'B') && shift)
		end++;
	if (*end)
		return -EINVAL;
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = (uint64_t)v << shift;
	return 0;
}

int mb_parse_bool(const char *s)
{
	static const char *const yes[] = { "yes", "1", "true", "populate", "on", NULL };
	static const char *const no[] = { "no", "0", "false", "nopopulate", "off", NULL };

	for (int i = 0; yes[i]; i++)
		if (!strcmp(s, yes[i]))
			return 1;
	for (int i = 0; no[i]; i++)
		if (!strcmp(s, no[i]))
			return 0;
	return -EINVAL;
}

void mb_fmt_size(char *buf, size_t len, uint64_t b)
{
	static const char suf[] = "kmgt";

	for (int i = 4; i >= 1; i--) {
		uint64_t unit = 1ull << (10 * i);

		if (b >= unit && b % unit == 0) {
			snprintf(buf, len, "%" PRIu64 "%c", b / unit, suf[i - 1]);
			return;
		}
	}
	snprintf(buf, len, "%" PRIu64, b);
}

int mb_read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	int err = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f))
		err = ferror(f) ? -EIO : -ENODATA;
	fclose(f);
	if (!err)
		buf[strcspn(buf, "\n")] = 0;
	return err;
}

int mb_read_ll(const char *path, long long *v)
{
	char buf[64], *end;
	int err = mb_read_line(path, buf, sizeof(buf));

	if (err)
		return err;
	errno = 0;
	*v = strtoll(buf, &end, 0);
	if (end == buf || errno)
		return -EINVAL;
	return 0;
}

int mb_write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	ssize_t n, len = (ssize_t)strlen(s);
	int err = 0;

	if (fd < 0)
		return -errno;
	n = write(fd, s, (size_t)len);
	if (n < 0)
		err = -errno;
	else if (n != len)
		err = -EIO;
	close(fd);
	return err;
}

int64_t mb_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
