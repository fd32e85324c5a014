/*
 * print.h - the plain printer: gradbox's own syntax, re-parseable.
 *
 * The output is what `gradbox print` writes, and it is exact input:
 * parsing it gives back the same interned node (parse . print = id,
 * checked by a round-trip property test over generated expressions).
 * Parentheses are derived from the binding powers of
 * grammar/operators.def, the table the parser uses, so the two cannot
 * disagree.
 *
 * The display order is not the canonical order. In a sum the positive
 * terms come first, then the negative ones written with " - " (constant
 * terms last in each group): `x - 1`, `y - x`, `1 - sigmoid(x)`. In a
 * product the coefficient comes first and factors with a negative
 * numeric exponent form a denominator: `2*x`, `-x`, `x/2`, `3*x/2`,
 * `1/(1 + exp(-x))`, `a/(b*c)`. The helpers below expose that order to
 * the LaTeX printer, so both printers show the same arrangement.
 */
#ifndef GB_PRINT_H
#define GB_PRINT_H

#include <stdbool.h>

#include "core/node.h"
#include "core/strbuf.h"

/* Appends the plain form of e to sb (sb->failed on allocation failure). */
void gb_print_to(gb_strbuf *sb, const gb_node *e);

/*
 * The most nodes an expression written out as text may have as a tree.
 * A DAG's tree can be exponentially larger than the DAG (y_k = y_{k-1} +
 * tanh(w_k y_{k-1}) doubles at every layer), so printing is refused past
 * it rather than run out of time and memory.
 */
#define GB_PRINT_MAX_TREE 4000000u

/* Does e fit GB_PRINT_MAX_TREE? If not, an error in ctx says so. */
bool gb_print_fits(gb_ctx *ctx, const gb_node *e);

/*
 * Display classes of the terms of a sum, printed in this order, each
 * class in canonical order.
 */
enum gb_term_class {
	GB_TERM_POS,		/* positive, not a number: x, 2*x, exp(x) */
	GB_TERM_POS_CONST,	/* a positive number */
	GB_TERM_NEG,		/* negative coefficient: -x, -2*y */
	GB_TERM_NEG_CONST,	/* a negative number */
	GB_TERM_NCLASSES
};

enum gb_term_class gb_print_term_class(const gb_node *t);

/* Is q == s/2 (s = 1 or -1)? u^(1/2) prints as sqrt(u). */
bool gb_print_is_sqrt_exp(mpq_srcptr q, int s);

/* The index of the term a sum is displayed with first (see print.c). */
uint32_t gb_print_sum_lead(const gb_node *e);

/*
 * True when f, a factor of a product, is printed in the denominator:
 * a power with a negative numeric exponent (x^-1, (1 + x)^(-1/2)),
 * except of 0, which stays 0^(-1/2) (0^(1/2) would fold to 0).
 */
bool gb_print_is_denominator(const gb_node *f);

/*
 * The numeric coefficient of a product (a MUL whose first child is a
 * number), or NULL when the coefficient is 1.
 */
mpq_srcptr gb_print_coeff(const gb_node *e);

/*
 * Appends the absolute value of z in decimal. Used for integers and for
 * the numerator and denominator of rationals by both printers.
 */
void gb_print_mpz_abs(gb_strbuf *sb, mpz_srcptr z);

/*
 * The factors of the Hadamard product e in display order (both printers):
 * upstream gradients (symbols NAMEhat) first. v has room for e->nargs.
 */
void gb_print_hadamard_order(const gb_node *e, const gb_node **v);

#endif /* GB_PRINT_H */
