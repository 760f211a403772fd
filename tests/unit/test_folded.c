// SPDX-License-Identifier: GPL-2.0
/*
 * test_folded.c - folded stacks (bench/lib/folded.c): reading, adding up, self and
 * with-children weights, call chain prefixes, and the flame graph (flame.c): one
 * frame a merged node, widths proportional to weight; two profiles' top N against each
 * other (mb_topn_agree): a tie at the Nth place within the boots' difference passes,
 * a function outside it or a share apart by more than the tolerance fails.  TAP.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tap.h"
#include "folded.h"

static const struct mb_fsym *find(const struct mb_fsym *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return &v[i];
	return NULL;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* v[i] = { names[i], self[i] }, sorted by self as mb_folded_syms gives them */
static void syms(struct mb_fsym *v, const char *const *names, const double *self, size_t n)
{
	for (size_t i = 0; i < n; i++)
		v[i] = (struct mb_fsym){ names[i], self[i], self[i] };
}

static void agree_tests(void)
{
	/* shares in %, total 100: a, b, c, then d and e tied near place 3 */
	static const char *const na[] = { "a", "b", "c", "d", "e" };
	static const double wa[] = { 40, 30, 10.3, 10.2, 9.5 };
	static const char *const nb[] = { "a", "b", "d", "c", "e" };
	static const double wb[] = { 40.4, 29.8, 10.25, 10.0, 9.55 };
	static const double wc[] = { 40.4, 29.8, 10.25, 9.0, 8.0 };	/* c falls far */
	struct mb_fsym a[5], b[5];
	struct mb_agree g;

	syms(a, na, wa, 5);
	syms(b, nb, wb, 5);
	ok(!mb_topn_agree(a, 5, 100, b, 5, 100, 3, 0.01, &g) && g.n == 4 && g.swapped == 2 &&
	   !g.real && g.pass && fabs(g.d - 0.004) < 1e-9 && !strcmp(g.dname, "a") &&
	   fabs(g.dall - 0.004) < 1e-9,
	   "agree: c and d swap places 3 and 4 within the boots' difference (0.4 pp): a tie, pass");
	ok(g.n == 4 && !strcmp(g.rows[0].name, "a") && g.rows[2].ra == 3 && g.rows[2].rb == 4 &&
	   g.rows[2].tie && !strcmp(g.rows[3].name, "d") && g.rows[3].ra == 4 &&
	   g.rows[3].rb == 3, "agree: rows by A's rank, each with both ranks");
	mb_agree_free(&g);
	ok(!mb_topn_agree(a, 5, 100, b, 5, 100, 3, 0.003, &g) && !g.pass && !g.real,
	   "agree: the same functions, but a share 0.4 pp apart over a 0.3 pp tolerance: fail");
	mb_agree_free(&g);
	syms(b, nb, wc, 5);
	ok(!mb_topn_agree(a, 5, 100, b, 5, 100, 3, 0.02, &g) && g.real == 1 && !g.pass &&
	   fabs(g.d - 0.004) < 1e-9 && fabs(g.dall - 0.013) < 1e-9 && !strcmp(g.dallname, "c"),
	   "agree: c 1.25 pp under B's place 3, the functions in both differ by 0.4 pp at most: "
	   "no tie, fail (even at a 2 pp tolerance)");
	mb_agree_free(&g);
	ok(!mb_topn_agree(a, 5, 100, a, 5, 100, 5, 0, &g) && g.pass && !g.swapped && g.d == 0,
	   "agree: a profile against itself: the same top 5, no difference");
	mb_agree_free(&g);
	{
		size_t m;
		double z = mb_share_z(0.5, 100, 0.6, 100), chi;

		/* p = 0.55, se = sqrt(0.55 * 0.45 * 0.02) = 0.07036 */
		ok(fabs(z - 0.1 / sqrt(0.55 * 0.45 * 0.02)) < 1e-9 && mb_share_z(0.3, 0, 0.3, 5) == 0,
		   "share z: two proportions' binomial z (0.5 of 100 against 0.6 of 100: %.3f)", z);
		chi = mb_share_chi2(a, 5, 100, 1000, a, 5, 100, 1000, 40, &m);
		ok(chi == 0 && m == 5, "chi2: a profile against itself, 0 over its 5 functions");
		syms(b, nb, wc, 5);
		chi = mb_share_chi2(a, 5, 100, 1000, b, 5, 100, 1000, 200, &m);
		ok(m == 3 && fabs(chi - pow(mb_share_z(0.4, 1000, 0.404, 1000), 2) -
				  pow(mb_share_z(0.3, 1000, 0.298, 1000), 2) -
				  pow(mb_share_z(0.102, 1000, 0.1025, 1000), 2)) < 1e-9,
		   "chi2: the functions with 200 samples or more in both (a, b, d; not c's 193), "
		   "their z^2 added");
	}
}

int main(void)
{
	const char *in = "a;b;c 30\n"
			 "a;b 10\n"
			 "a;d;b 20\n"
			 "a;b;c 10\n"	/* the same stack again: added up */
			 "\n"
			 "e 30\n";
	struct mb_folded f;
	struct mb_fsym *s, *c;
	const struct mb_fsym *x;
	size_t n, nc, bad = 0;
	char *buf = NULL;
	size_t blen = 0;
	FILE *fp = fmemopen((void *)in, strlen(in), "r"), *out;

	tap_plan(27);
	mb_folded_init(&f);
	ok(fp && !mb_folded_read(&f, fp, &bad), "reads folded stacks");
	fclose(fp);
	ok(f.n == 4 && f.total == 100, "a repeated stack is one, weights add up (4 stacks, 100)");

	s = mb_folded_syms(&f, 1, &n);
	ok(s && n == 5, "five functions");
	ok(s && !strcmp(s[0].name, "c") && s[0].self == 40, "sorted by self: c first, 40");
	x = s ? find(s, n, "b") : NULL;
	ok(x && x->self == 30 && x->children == 70,
	   "b: self 30 (leaf of a;b and a;d;b), with children 70 (c under it)");
	x = s ? find(s, n, "a") : NULL;
	ok(x && x->self == 0 && x->children == 70, "a: self 0, with children 70 (not e's 30)");
	mb_folded_free_syms(s, n);

	s = mb_folded_syms(&f, 0, &n);
	ok(s && !strcmp(s[0].name, "a") && !strcmp(s[1].name, "b"),
	   "sorted by children: a, b (ties by name)");
	mb_folded_free_syms(s, n);

	c = mb_folded_chains(&f, 2, 25, &nc);
	ok(c && find(c, nc, "a;b") && find(c, nc, "a;b")->children == 50,
	   "chain a;b: 50 (a;b;c and a;b, not a;d;b)");
	ok(c && !find(c, nc, "a;b;c"), "chains stop at the depth asked");
	ok(c && find(c, nc, "a")->children == 70 && find(c, nc, "e")->self == 30,
	   "root chains: a 70, e 30 (self: ends there)");
	ok(c && nc == 3 && !find(c, nc, "a;d"),
	   "chains under the minimum weight are left out (a;d: 20 < 25)");
	mb_folded_free_syms(c, nc);

	out = open_memstream(&buf, &blen);
	ok(out && !mb_flame_svg(&f, "test <1>", 0.5, "insn", out), "draws a flame graph");
	fclose(out);
	ok(buf && !strncmp(buf, "<?xml", 5) && strstr(buf, "</svg>\n"), "an SVG document");
	/* nodes: a, a;b, a;b;c, a;d, a;d;b, e */
	ok(buf && count(buf, "<rect") == 7, "one rect a merged frame (6) and the background");
	ok(buf && strstr(buf, "<title>c: 20 insn (40.00 %)</title>"),
	   "a frame's title: its weight scaled and its share");
	ok(buf && strstr(buf, "width=\"840.0\"") && strstr(buf, "width=\"360.0\""),
	   "widths proportional: a 70 %%, e 30 %% of 1200 px");
	ok(buf && strstr(buf, "test &lt;1&gt;") && !strstr(buf, "{"),
	   "the title escaped, every y placeholder resolved");
	free(buf);

	fp = fmemopen((void *)"a;b 10\nno-weight\n", 17, "r");
	ok(mb_folded_read(&f, fp, &bad) && bad == 2, "a line without a weight: its number");
	fclose(fp);
	mb_folded_free(&f);
	fp = fmemopen((void *)"a;b -3\n", 7, "r");
	ok(mb_folded_read(&f, fp, &bad) && bad == 1, "a negative weight is refused");
	fclose(fp);
	mb_folded_free(&f);
	agree_tests();
	return tap_done();
}
