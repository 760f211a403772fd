// SPDX-License-Identifier: GPL-2.0
/*
 * chart.c - a chart's gnuplot script (chart.h), and the number formats it prints.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chart.h"

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fputs("mmapbench-plot: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

void sb_add(struct sb *b, const char *s)
{
	size_t n = strlen(s);

	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

void sb_printf(struct sb *b, const char *fmt, ...)
{
	char buf[512], *p = buf;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf)) {
		p = xrealloc(NULL, (size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(p, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	sb_add(b, p);
	if (p != buf)
		free(p);
}

char *sb_take(struct sb *b)
{
	char *s = b->s ? b->s : strdup("");

	if (!s)
		xrealloc(NULL, 0);
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

/*
 * The shortest digits that read back as v: digits into d (no point, no sign) and the
 * decimal point's place (v = 0.d x 10^decpt), as jq's dtoa (mode 0) gives them.
 */
static void shortest(double v, char *d, size_t dlen, int *decpt)
{
	char buf[64], *e, *s;
	size_t n = 0;

	for (int p = 0; p <= 17; p++) {
		snprintf(buf, sizeof(buf), "%.*e", p, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	e = strchr(buf, 'e');
	*decpt = atoi(e + 1) + 1;
	for (s = buf; s < e && n + 1 < dlen; s++)
		if (*s >= '0' && *s <= '9')
			d[n++] = *s;
	while (n > 1 && d[n - 1] == '0')
		n--;
	d[n] = 0;
}

/* A computed double as jq 1.7 prints one (jvp_dtoa_fmt). */
static void fmt_computed(struct sb *b, double v)
{
	char d[40], out[80], *o = out;
	int decpt, nd;

	if (v == 0) {
		sb_add(b, signbit(v) ? "-0" : "0");
		return;
	}
	if (v < 0)
		*o++ = '-';
	shortest(fabs(v), d, sizeof(d), &decpt);
	nd = (int)strlen(d);
	if (decpt <= -4 || decpt > nd + 15) {
		int x = decpt - 1;

		*o++ = d[0];
		if (nd > 1) {
			*o++ = '.';
			memcpy(o, d + 1, (size_t)nd - 1);
			o += nd - 1;
		}
		snprintf(o, sizeof(out) - (size_t)(o - out), "e%c%02d", x < 0 ? '-' : '+',
			 abs(x));
	} else if (decpt <= 0) {
		o += sprintf(o, "0.");
		for (; decpt < 0; decpt++)
			*o++ = '0';
		strcpy(o, d);
	} else {
		for (int i = 0; i < nd; i++) {
			*o++ = d[i];
			if (i + 1 == decpt && i + 1 < nd)
				*o++ = '.';
		}
		for (int i = nd; i < decpt; i++)
			*o++ = '0';
		*o = 0;
	}
	sb_add(b, out);
}

/*
 * A real read from a results file as jq 1.7 prints the literal: the harness wrote
 * the shortest %g that reads back (lib/json.c's jw_format_double), and jq keeps a
 * literal's digits and exponent, in decNumber's scientific form (1.2e+05: 1.2E+5).
 */
static void fmt_literal_text(struct sb *b, const char *lit)
{
	char coef[40], out[80];
	const char *s = lit;
	int exp = 0, nc = 0, frac = 0, seen_point = 0, adj;

	if (*s == '-')
		s++;
	for (; *s && *s != 'e' && *s != 'E' && nc < (int)sizeof(coef) - 1; s++) {
		if (*s == '.') {
			seen_point = 1;
			continue;
		}
		if (nc || *s != '0')
			coef[nc++] = *s;
		frac += seen_point;
	}
	coef[nc] = 0;
	if (*s == 'e' || *s == 'E')
		exp = atoi(s + 1);
	exp -= frac;
	if (!nc) {
		sb_add(b, lit[0] == '-' ? "-0" : "0");
		return;
	}
	if (lit[0] == '-')
		sb_add(b, "-");
	adj = exp + nc - 1;
	if (exp <= 0 && adj >= -6) {
		if (!exp) {
			sb_add(b, coef);
		} else if (-exp < nc) {
			snprintf(out, sizeof(out), "%.*s.%s", nc + exp, coef, coef + nc + exp);
			sb_add(b, out);
		} else {
			sb_add(b, "0.");
			for (int i = 0; i < -exp - nc; i++)
				sb_add(b, "0");
			sb_add(b, coef);
		}
		return;
	}
	snprintf(out, sizeof(out), "%c%s%s%sE%c%d", coef[0], nc > 1 ? "." : "", coef + 1, "",
		 adj < 0 ? '-' : '+', abs(adj));
	sb_add(b, out);
}

static void fmt_literal(struct sb *b, double v)
{
	char lit[40];

	for (int p = 1; p <= 17; p++) {
		snprintf(lit, sizeof(lit), "%.*g", p, v);
		if (strtod(lit, NULL) == v)
			break;
	}
	fmt_literal_text(b, lit);
}

void sb_num(struct sb *b, struct num n)
{
	switch (n.kind) {
	case 'n':
		sb_add(b, "null");
		break;
	case 'i':
		sb_printf(b, "%lld", (long long)n.v);
		break;
	case 'l':
		fmt_literal(b, n.v);
		break;
	case 't':
		fmt_literal_text(b, n.text);
		break;
	default:
		fmt_computed(b, n.v);
	}
}

const char *chart_color(size_t i)
{
	static const char *const palette[] = {
		"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
		"#000000", "#882255", "#44AA99", "#999933", "#6A3D9A", "#999999",
	};

	return palette[i % (sizeof(palette) / sizeof(palette[0]))];
}

char *chart_quote(const char *s)
{
	struct sb b = { 0 };
	char c[2] = { 0 };

	for (s = s ? s : ""; *s; s++) {
		if (*s == '"' || *s == '\\')
			sb_add(&b, "'");
		else if (*s == '\n')
			sb_add(&b, "\\n");
		else {
			c[0] = *s;
			sb_add(&b, c);
		}
	}
	return sb_take(&b);
}

int fname_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '+' || c == '-';
}

char *chart_fname(const char *s)
{
	struct sb b = { 0 };
	char c[2] = { 0 };

	while (*s) {
		if (fname_char(*s)) {
			c[0] = *s++;
			sb_add(&b, c);
			continue;
		}
		while (*s && !fname_char(*s))
			s++;
		sb_add(&b, "_");
	}
	return sb_take(&b);
}

static const char *kind_style(const char *kind)
{
	if (!strcmp(kind, "bars"))
		return "using 1:2:3:4:5 with boxerrorbars fs solid 0.8 border lc rgb '#303030'";
	if (!strcmp(kind, "lines"))
		return "using 1:2:3:4 with yerrorlines pt 7 ps 0.6 lw 1.5";
	if (!strcmp(kind, "cdf"))
		return "using 1:2 with lines lw 2";
	return "using 1:2:3:4 with xerrorbars pt 7 ps 0.9";
}

static void quoted(struct sb *b, const char *pre, const char *s, const char *post)
{
	char *q = chart_quote(s);

	sb_add(b, pre);
	sb_add(b, q);
	sb_add(b, post);
	free(q);
}

static void tics(struct sb *b, char axis, int has, size_t n, const struct tic *t)
{
	if (!has) {
		sb_printf(b, "set %ctics autofreq\n", axis);
		return;
	}
	sb_printf(b, "set %ctics (", axis);
	for (size_t i = 0; i < n; i++) {
		quoted(b, i ? ", \"" : "\"", t[i].label, "\" ");
		sb_num(b, t[i].pos);
	}
	sb_add(b, ")\n");
}

/* One panel: its data blocks, settings and plot line (scripts/host/plot's panel_gp). */
static void panel_gp(struct sb *b, const struct panel *p, size_t i)
{
	size_t k = 0;

	for (size_t s = 0; s < p->nseries; s++) {
		const struct series *se = &p->series[s];

		if (!se->npts)
			continue;
		sb_printf(b, "$p%zus%zu << EOD\n", i, k++);
		for (size_t j = 0; j < se->npts; j++) {
			for (size_t c = 0; c < se->width; c++) {
				if (c)
					sb_add(b, " ");
				sb_num(b, se->pts[j * se->width + c]);
			}
			sb_add(b, "\n");
		}
		sb_add(b, "EOD\n");
	}
	quoted(b, "set title \"", p->title, "\"\n");
	quoted(b, "set xlabel \"", p->xlabel, "\"\n");
	quoted(b, "set ylabel \"", p->ylabel, "\"\n");
	if (p->logx)
		sb_printf(b, "set logscale x %d\nset format x '%%.0s%%c'\n", p->logx);
	else
		sb_add(b, "unset logscale x\nset format x '%g'\n");
	if (p->logy)
		sb_add(b, "set logscale y\nset format y '%.0s%c'\n");
	else
		sb_add(b, "unset logscale y\nset format y '%g'\n");
	sb_printf(b, "set xrange %s\nset yrange %s\n", p->xrange ? p->xrange : "[*:*]",
		  p->yrange ? p->yrange : "[*:*]");
	tics(b, 'x', p->has_xtics, p->nxtics, p->xtics);
	tics(b, 'y', p->has_ytics, p->nytics, p->ytics);
	if (p->extra)
		sb_add(b, p->extra);
	sb_add(b, "plot ");
	k = 0;
	for (size_t s = 0; s < p->nseries; s++) {
		const struct series *se = &p->series[s];

		if (!se->npts)
			continue;
		sb_printf(b, "%s$p%zus%zu %s lc rgb '%s' title \"", k ? ", " : "", i, k,
			  se->style ? se->style : kind_style(p->kind), se->color);
		quoted(b, "", se->label, "\"");
		if (p->values)
			sb_printf(b, ", $p%zus%zu using 1:2:(sprintf('%s', $2)) with labels "
				  "offset 0,0.6 font ',7' notitle", i, k, p->values);
		k++;
	}
	sb_add(b, "\n");
}

char *chart_gnuplot(const struct chart *c)
{
	struct sb b = { 0 };

	sb_add(&b, "set termoption noenhanced\nset grid xtics ytics lc rgb '#d8d8d8'\n"
		   "set key outside right top Left reverse font ',8'\nset bars small\n");
	sb_printf(&b, "set multiplot layout %d,%d title \"", c->rows, c->cols);
	quoted(&b, "", c->title, "\" font ',11'\n");
	for (size_t i = 0; i < c->npanels; i++)
		panel_gp(&b, &c->panels[i], i);
	sb_add(&b, "unset multiplot\n\n");
	return sb_take(&b);
}

/* DIR/NAME whole or not at all: DIR/.NAME.tmp.PID, then rename(). */
static int write_file(const char *dir, const char *name, const char *text)
{
	char path[4096], tmp[4200];
	size_t n = strlen(text);
	FILE *f;
	int err;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp.%ld", dir, name, (long)getpid());
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	err = fwrite(text, 1, n, f) != n;
	err |= fclose(f) != 0;
	if (err || rename(tmp, path)) {
		int e = errno ? errno : EIO;

		unlink(tmp);
		errno = e;
		return -1;
	}
	return 0;
}

int chart_write(const struct chart *c, const char *dir)
{
	char name[1024], size[64];
	char *gp = chart_gnuplot(c);
	int r;

	snprintf(name, sizeof(name), "%s.gp", c->name);
	r = write_file(dir, name, gp);
	free(gp);
	if (r)
		return -1;
	snprintf(name, sizeof(name), "%s.gp.size", c->name);
	snprintf(size, sizeof(size), "%d %d\n", c->w, c->h);
	return write_file(dir, name, size);
}

void chart_free(struct chart *c)
{
	for (size_t i = 0; i < c->npanels; i++) {
		struct panel *p = &c->panels[i];

		for (size_t s = 0; s < p->nseries; s++) {
			free(p->series[s].label);
			free(p->series[s].pts);
		}
		for (size_t t = 0; t < p->nxtics; t++)
			free(p->xtics[t].label);
		for (size_t t = 0; t < p->nytics; t++)
			free(p->ytics[t].label);
		free(p->xtics);
		free(p->ytics);
		free(p->series);
		free(p->title);
		free(p->xlabel);
		free(p->ylabel);
		free(p->xrange);
		free(p->yrange);
		free(p->extra);
	}
	free(c->panels);
	free(c->name);
	free(c->title);
	memset(c, 0, sizeof(*c));
}
