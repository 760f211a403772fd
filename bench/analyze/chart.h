/* SPDX-License-Identifier: GPL-2.0 */
/*
 * chart.h - a chart as mmapbench-analyze plot decides it, and its gnuplot script.
 *
 * A chart is a title, a layout (rows x cols panels, w x h pixels) and panels; a panel
 * is a kind (bars, lines, cdf, hbars), labels, log or linear axes, ranges, tics and
 * series of points.  chart_write() renders one as NAME.gp (gnuplot, its data inline)
 * and NAME.gp.size ("W H") in a directory, each written whole and renamed into place;
 * scripts/host/plot runs gnuplot on them.  The script is the one scripts/host/plot's jq wrote
 * before the model moved here, number for number: a number read from a results file
 * prints as jq 1.7 printed such a literal, a computed one as jq printed a double.
 */
#ifndef MB_CHART_H
#define MB_CHART_H

#include <stddef.h>

/* A number as it prints: read from a file (as written there) or computed. */
struct num {
	double v;
	char kind;		/* 'n' null, 'i' integer literal, 'l' real literal, 'c' computed,
				 * 't' the literal text (a number as another program printed it) */
	const char *text;	/* 't': the text */
};

#define NUM_NULL	((struct num){ 0, 'n', NULL })
#define NUM_C(x)	((struct num){ (x), 'c', NULL })

/* Append n as jq 1.7 prints it (tostring, string interpolation) to a string buffer. */
struct sb {
	char *s;
	size_t len, cap;
};
void sb_add(struct sb *b, const char *s);
void sb_printf(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_num(struct sb *b, struct num n);
char *sb_take(struct sb *b);		/* the string (never NULL); b is empty again */

struct tic {
	struct num pos;
	char *label;
};

struct series {
	char *label;
	const char *color;
	const char *style;	/* NULL: the panel kind's */
	size_t npts, width;	/* width: numbers a point */
	struct num *pts;	/* npts x width */
};

struct panel {
	const char *kind;	/* "bars" "lines" "cdf" "hbars" */
	char *title, *xlabel, *ylabel;
	int logx;		/* 0 linear, else the base */
	int logy;
	char *xrange, *yrange;	/* NULL: [*:*] */
	int has_xtics, has_ytics;
	size_t nxtics, nytics;
	struct tic *xtics, *ytics;
	char *extra;		/* gnuplot lines before plot, or NULL */
	const char *values;	/* printf format of a value label on each point, or NULL */
	size_t nseries;
	struct series *series;
};

struct chart {
	char *name, *title;
	int rows, cols, w, h;
	size_t npanels;
	struct panel *panels;
};

/* The palette's colour of the i-th label of a chart. */
const char *chart_color(size_t i);
/* A gnuplot string's text: " and \ as ', newlines as \n (scripts/host/plot's q). */
char *chart_quote(const char *s);
/* A file name's text: every run of characters outside [A-Za-z0-9._+-] as _. */
char *chart_fname(const char *s);
int fname_char(char c);	/* in [A-Za-z0-9._+-] */

/* The gnuplot script of c (what NAME.gp holds). */
char *chart_gnuplot(const struct chart *c);
/* DIR/NAME.gp and DIR/NAME.gp.size, each through a temporary file and rename(); 0 or
 * -1 with errno. */
int chart_write(const struct chart *c, const char *dir);
void chart_free(struct chart *c);

#endif /* MB_CHART_H */
