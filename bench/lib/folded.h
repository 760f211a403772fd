/* SPDX-License-Identifier: GPL-2.0 */
/*
 * folded.h - folded stacks ("root;caller;callee WEIGHT" lines, the format of
 * FlameGraph's stackcollapse and inferno), and what a profile reads off them:
 * per function its self weight (the stacks it is the leaf of) and its weight with
 * children (the stacks it is in, counted once per stack), per call chain prefix
 * its weight.  Pure: no I/O beyond the FILE it is given.
 */
#ifndef MB_FOLDED_H
#define MB_FOLDED_H

#include <stddef.h>
#include <stdio.h>

struct mb_fstack {
	char *stack;		/* "a;b;c", root first */
	double w;
};

struct mb_folded {
	struct mb_fstack *v;
	size_t n, cap;
	size_t *slot;		/* open-addressing index into v, cap2 entries */
	size_t cap2;
	double total;
};

struct mb_fsym {
	const char *name;	/* a frame, or a chain "a;b;c" for prefixes */
	double self, children;
};

void mb_folded_init(struct mb_folded *f);
void mb_folded_free(struct mb_folded *f);
/* Add w to a stack (created on first use); 0 or -1 (out of memory). */
int mb_folded_add(struct mb_folded *f, const char *stack, double w);
/* Read "stack weight" lines; -1 with the line number in *bad on a malformed line. */
int mb_folded_read(struct mb_folded *f, FILE *in, size_t *bad);
/* Write the stacks sorted by name, one line each; 0 or -1. */
int mb_folded_write(const struct mb_folded *f, FILE *out);
/*
 * Per function: self and with-children weights, sorted by the key (self when
 * by_self, else children; ties by name).  *n entries, names allocated: free with
 * mb_folded_free_syms().  NULL when out of memory (or f is empty, *n = 0).
 */
struct mb_fsym *mb_folded_syms(const struct mb_folded *f, int by_self, size_t *n);
/*
 * Call chain prefixes of at most maxdepth frames, each with its weight (in
 * children; self is the weight of stacks that end there), sorted by weight, those
 * of at least min_w only.  Names are allocated ("a;b"): mb_folded_free_syms().
 */
struct mb_fsym *mb_folded_chains(const struct mb_folded *f, size_t maxdepth, double min_w,
				 size_t *n);
void mb_folded_free_syms(struct mb_fsym *c, size_t n);

/*
 * Two profiles' top N self functions against each other (the criterion "two boots give
 * the same top N self functions, shares within TOL"): a and b as mb_folded_syms(f, 1)
 * gives them (sorted by self), ta and tb their profiles' totals.  The boots'
 * difference d is the largest |share in a - share in b| over the functions in both
 * top N.  Functions whose shares are equal within d are one rank group: a function
 * in one top N and not in the other is a tie when, where it missed, its share is
 * within d of that profile's Nth (which of the group is Nth is no disagreement);
 * otherwise it is a real difference.  pass: every function of either top N has
 * shares within tol (dall, the largest difference over them, <= tol) and no real
 * difference.  rows: the functions of either top N, by a's rank (then b's); names
 * point into a and b.  0, or -1 out of memory.  mb_agree_free() frees rows.
 */
struct mb_agree_row {
	const char *name;
	double sa, sb;		/* shares, 0..1 */
	size_t ra, rb;		/* ranks by self, 1 = first; 0: the leaf of no stack there */
	int in_a, in_b;		/* in a's, b's top N */
	int tie;		/* in one top N only, within d of the other's Nth */
};
struct mb_agree {
	struct mb_agree_row *rows;
	size_t n;
	double d, dall;		/* the largest difference over both top N, either (0..1) */
	const char *dname, *dallname;	/* the functions they are of */
	double nth_a, nth_b;	/* the Nth shares */
	size_t swapped, real;	/* in one top N only; of them, no tie */
	int pass;
};
int mb_topn_agree(const struct mb_fsym *a, size_t na, double ta, const struct mb_fsym *b,
		  size_t nb, double tb, size_t top, double tol, struct mb_agree *out);
void mb_agree_free(struct mb_agree *g);
/*
 * Two proportions' z (the binomial test of share pa of na samples against pb of nb),
 * and the sum of z^2 over every function whose self samples in a and b add up to at
 * least min_n (*m of them): about *m when the two profiles differ by sampling alone,
 * far more when one is biased.  a, b, ta, tb as for mb_topn_agree; na, nb samples.
 */
double mb_share_z(double pa, double na, double pb, double nb);
double mb_share_chi2(const struct mb_fsym *a, size_t la, double ta, double na,
		     const struct mb_fsym *b, size_t lb, double tb, double nb, double min_n,
		     size_t *m);

/*
 * flame.c: the stacks as a flame graph, SVG, root at the bottom, a frame's width its
 * weight; frames narrower than 0.1 % of the whole are left out.  Each frame's
 * <title> says "name: weight * scale unit (share %)".  0 or -1 (out of memory,
 * write error).
 */
int mb_flame_svg(const struct mb_folded *f, const char *title, double scale,
		 const char *unit, FILE *out);

/*
 * A profile diff as SVG: one row per entry (the caller's order: e.g. the total,
 * then the functions that changed most), a bar from a zero line to b - a, the bars
 * on the scale of the largest |b - a| of the rows that are no summary (a longer
 * summary bar is drawn cut).  Each row's <title> says "name: A -> B unit per op
 * (delta, change)".  0 or -1 (write error).
 */
struct mb_diffrow {
	const char *name;
	double a, b;		/* cost per op in A and in B */
	int summary;		/* a total: not what sets the scale */
};
int mb_diff_svg(const char *title, const char *sub, const char *unit,
		const struct mb_diffrow *r, size_t n, FILE *out);

#endif /* MB_FOLDED_H */
