// SPDX-License-Identifier: GPL-2.0
/*
 * flame.c - a flame graph of folded stacks as SVG (folded.h), in the manner of
 * Brendan Gregg's flamegraph.pl: the stacks sorted by name and merged frame by
 * frame, root at the bottom, each frame as wide as the weight under it; and a
 * profile diff as a bar chart (mb_diff_svg).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "folded.h"

#define W	1200.0	/* px of the whole */
#define FH	16	/* px a frame */
#define PAD	40	/* px above: the title */
#define MINW	0.001	/* share of the whole below which a frame is not drawn */

struct fl {
	const struct mb_folded *f;
	const char **s;		/* stacks sorted */
	double *w;
	size_t n;
	int depth;		/* the deepest frame drawn */
	double scale;
	const char *unit;
	FILE *out;
};

static int by_stack(const void *a, const void *b)
{
	return strcmp(((const struct mb_fstack *)a)->stack, ((const struct mb_fstack *)b)->stack);
}

/* the frame at depth d of s, and its length; NULL when s is shallower */
static const char *frame(const char *s, int d, size_t *len)
{
	for (int i = 0; i < d; i++) {
		s = strchr(s, ';');
		if (!s)
			return NULL;
		s++;
	}
	*len = strcspn(s, ";");
	return s;
}

static void esc(FILE *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		switch (s[i]) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		case '{': fputs("&#123;", out); break;	/* '{' marks a y below */
		default: fputc(s[i], out);
		}
	}
}

static unsigned name_hash(const char *s, size_t len)
{
	unsigned h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* Stacks lo..hi share their first d frames; draw the frames at depth d. */
static void draw(struct fl *g, size_t lo, size_t hi, int d, double x0, double total)
{
	size_t i = lo;
	double x = x0;

	while (i < hi) {
		size_t len, l2, j;
		const char *fr = frame(g->s[i], d, &len);
		double w = 0;

		if (!fr) {
			x += g->w[i++];
			continue;
		}
		for (j = i; j < hi; j++) {
			const char *f2 = frame(g->s[j], d, &l2);

			if (!f2 || l2 != len || strncmp(f2, fr, len))
				break;
			w += g->w[j];
		}
		if (w / total >= MINW) {
			double px = x / total * W, pw = w / total * W;
			unsigned h = name_hash(fr, len);
			int y;

			if (d > g->depth)
				g->depth = d;
			/* y is from the top: the caller of the frame drawing keeps it; see below */
			y = d;
			fprintf(g->out, "<g><title>");
			esc(g->out, fr, len);
			fprintf(g->out, ": %.0f %s (%.2f %%)</title><rect x=\"%.1f\" y=\"{%d}\" "
				"width=\"%.1f\" height=\"%d\" fill=\"rgb(%u,%u,%u)\" rx=\"2\"/>",
				w * g->scale, g->unit, 100 * w / total, px, y, pw, FH - 1,
				205 + h % 50, 80 + (h >> 8) % 130, 40 + (h >> 16) % 50);
			if (pw > 30) {
				size_t fit = (size_t)((pw - 6) / 7);

				fprintf(g->out, "<text x=\"%.1f\" y=\"{%d}\">", px + 3, -y - 1);
				esc(g->out, fr, len < fit ? len : fit > 2 ? fit - 2 : 0);
				if (len > fit)
					fputs("..", g->out);
				fputs("</text>", g->out);
			}
			fputs("</g>\n", g->out);
			draw(g, i, j, d + 1, x, total);
		}
		x += w;
		i = j;
	}
}

/*
 * The frames are written to a temporary buffer with y as "{depth}" ("{-depth-1}"
 * for text) and the placeholders resolved once the depth is known.
 */
int mb_flame_svg(const struct mb_folded *f, const char *title, double scale,
		 const char *unit, FILE *out)
{
	struct fl g = { .f = f, .n = f->n, .scale = scale, .unit = unit };
	char *buf = NULL;
	size_t blen = 0;
	int height;

	g.s = malloc((f->n ? f->n : 1) * sizeof(*g.s));
	g.w = malloc((f->n ? f->n : 1) * sizeof(*g.w));
	if (!g.s || !g.w) {
		free(g.s);
		free(g.w);
		return -1;
	}
	{
		struct mb_fstack *v = malloc((f->n ? f->n : 1) * sizeof(*v));

		if (!v) {
			free(g.s);
			free(g.w);
			return -1;
		}
		memcpy(v, f->v, f->n * sizeof(*v));
		qsort(v, f->n, sizeof(*v), by_stack);
		for (size_t i = 0; i < f->n; i++) {
			g.s[i] = v[i].stack;
			g.w[i] = v[i].w;
		}
		free(v);
	}
	g.out = open_memstream(&buf, &blen);
	if (!g.out) {
		free(g.s);
		free(g.w);
		return -1;
	}
	if (f->total > 0)
		draw(&g, 0, g.n, 0, 0, f->total);
	fclose(g.out);
	height = PAD + (g.depth + 1) * FH + 10;
	fprintf(out, "<?xml version=\"1.0\" standalone=\"no\"?>\n"
		"<svg version=\"1.1\" width=\"%.0f\" height=\"%d\" "
		"xmlns=\"http://www.w3.org/2000/svg\" font-family=\"Verdana\" font-size=\"12\">\n"
		"<rect x=\"0\" y=\"0\" width=\"100%%\" height=\"100%%\" fill=\"#f8f8f0\"/>\n"
		"<text x=\"%.0f\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">", W, height,
		W / 2);
	esc(out, title, strlen(title));
	fprintf(out, " (%.0f %s)</text>\n", f->total * scale, unit);
	for (char *p = buf; p && *p;) {
		char *o = strchr(p, '{'), *c;
		long d;

		if (!o) {
			fputs(p, out);
			break;
		}
		fwrite(p, 1, (size_t)(o - p), out);
		d = strtol(o + 1, &c, 10);
		if (d >= 0)
			fprintf(out, "%ld", height - 10 - (d + 1) * FH);
		else
			fprintf(out, "%ld", height - 10 - (-d - 1) * FH - 4);
		p = c + 1;
	}
	fputs("</svg>\n", out);
	free(buf);
	free(g.s);
	free(g.w);
	return ferror(out) ? -1 : 0;
}

/* ---- a profile diff as a chart ---- */

#define DH	18	/* px a row */
#define DTOP	64	/* px above the rows: title and subtitle */
#define DLABEL	340.0	/* px of the names' column */
#define DBAR	520.0	/* px of the bars' column, the zero line in its middle */

/*
 * Rows of cost per op, A against B: a bar from the zero line to B - A (red: B costs
 * more, blue: less), the name on the left, "A -> B (delta)" on the right.  The bars
 * are on the scale of the largest |delta| of the rows that are not summaries (the
 * total would flatten them); a summary row's bar longer than that is cut, a gap
 * near its end.  Each row's <title> says "name: A -> B unit per op (delta, change)".
 */
int mb_diff_svg(const char *title, const char *sub, const char *unit,
		const struct mb_diffrow *r, size_t n, FILE *out)
{
	double max = 0, zero = DLABEL + DBAR / 2;
	int height = DTOP + (int)n * DH + 24;

	for (size_t pass = 0; pass < 2 && max == 0; pass++)	/* summaries alone: theirs */
		for (size_t i = 0; i < n; i++) {
			double d = fabs(r[i].b - r[i].a);

			if ((pass || !r[i].summary) && d > max)
				max = d;
		}
	fprintf(out, "<?xml version=\"1.0\" standalone=\"no\"?>\n"
		"<svg version=\"1.1\" width=\"%.0f\" height=\"%d\" "
		"xmlns=\"http://www.w3.org/2000/svg\" font-family=\"Verdana\" font-size=\"12\">\n"
		"<rect x=\"0\" y=\"0\" width=\"100%%\" height=\"100%%\" fill=\"#f8f8f8\"/>\n"
		"<text x=\"%.0f\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">", W, height,
		W / 2);
	esc(out, title, strlen(title));
	fprintf(out, "</text>\n<text x=\"%.0f\" y=\"44\" text-anchor=\"middle\" "
		"font-size=\"11\">", W / 2);
	esc(out, sub, strlen(sub));
	fprintf(out, "</text>\n<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
		"stroke=\"#808080\"/>\n", zero, DTOP - 4, zero, DTOP + (int)n * DH);
	for (size_t i = 0; i < n; i++) {
		double d = r[i].b - r[i].a, w = max > 0 ? fabs(d) / max * (DBAR / 2 - 4) : 0;
		int y = DTOP + (int)i * DH, cut = w > DBAR / 2 - 4;
		char ch[32];

		if (cut)
			w = DBAR / 2 - 4;
		if (r[i].a > 0)
			snprintf(ch, sizeof(ch), "%+.1f%%", 100 * (r[i].b / r[i].a - 1));
		else
			snprintf(ch, sizeof(ch), "%s", r[i].b > 0 ? "new" : "-");
		fputs("<g><title>", out);
		esc(out, r[i].name, strlen(r[i].name));
		fprintf(out, ": %.1f -> %.1f %s per op (%+.1f, %s)</title>", r[i].a, r[i].b, unit,
			d, ch);
		if (i % 2)
			fprintf(out, "<rect x=\"0\" y=\"%d\" width=\"%.0f\" height=\"%d\" "
				"fill=\"#eeeeee\"/>", y, W, DH);
		fprintf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>",
			d < 0 ? zero - w : zero, y + 2, w, DH - 4, d < 0 ? "#4a78c0" : "#d0483c");
		if (cut)	/* the cut: a gap 14 px from the bar's end */
			fprintf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"4\" height=\"%d\" "
				"fill=\"%s\"/>", d < 0 ? zero - w + 10 : zero + w - 14, y + 1,
				DH - 2, i % 2 ? "#eeeeee" : "#f8f8f8");		fprintf(out, "<text x=\"%.0f\" y=\"%d\" text-anchor=\"end\">", DLABEL - 6,
			y + DH - 5);
		esc(out, r[i].name, strlen(r[i].name) < 44 ? strlen(r[i].name) : 42);
		if (strlen(r[i].name) >= 44)
			fputs("..", out);
		fprintf(out, "</text><text x=\"%.0f\" y=\"%d\">%.1f -&gt; %.1f (%+.1f)</text></g>\n",
			DLABEL + DBAR + 8, y + DH - 5, r[i].a, r[i].b, d);
	}
	fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\">"
		"B - A, %s per op (the bars' scale: +-%.1f; a cut bar is longer)</text>\n</svg>\n",
		zero, height - 8, unit, max);
	return ferror(out) ? -1 : 0;
}
