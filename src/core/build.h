/*
 * build.h - the canonicalising constructors: the only way to make nodes.
 *
 * Each constructor returns the interned node of the canonical form of its
 * input. The canonical form is cheap and exact:
 *
 *   - sums and products are n-ary and flat, with one leading exact
 *     rational coefficient (dropped when 0 in sums, 1 in products);
 *     except that a long sum (product), more than 32 children, joined
 *     with terms (factors) none of which merges into it stays whole as
 *     one child: y + tanh(w y) with y a long sum, s (1 - s) p with p a
 *     long product. That is what keeps chains of layers linear (see
 *     LONG in build.c). A long sum kept whole holds no constant (it
 *     joins the outer constant), a number times a long sum is not
 *     distributed (c*L is one term), and a number times a long product
 *     is that product with a new coefficient;
 *   - children are sorted by the structural order gb_node_cmp;
 *   - like terms are merged: 2x + 3x = 5x, x * x^2 = x^3 (by pointer);
 *   - a - b is a + (-1)b and a / b is a * b^-1;
 *   - rational arithmetic is folded exactly (2^-1 = 1/2, 4^(1/2) = 2),
 *     while a power whose result would have more than
 *     limits.max_exp_digits digits is kept unexpanded;
 *   - x^0 = 1, x^1 = x, (x^a)^n = x^(a n) for integer n, 0 x = 0.
 *
 * Heavier rewrites (recognising sigmoid, exp(log x) under assumptions,
 * factoring) live in calculus/simplify.c and run only on request.
 *
 * Every constructor accepts NULL arguments and then returns NULL, so a
 * caller can build a whole expression and test once. NULL is also
 * returned, with ctx->oom or ctx->too_big set, when memory or the node
 * limit runs out. Shapes are not checked here: lower.c checks them
 * against source spans before building.
 */
#ifndef GB_BUILD_H
#define GB_BUILD_H

#include <stddef.h>

#include <gmp.h>

#include "core/node.h"

const gb_node *gb_num_si(gb_ctx *ctx, long v);
const gb_node *gb_num_frac(gb_ctx *ctx, long num, unsigned long den);
const gb_node *gb_num_q(gb_ctx *ctx, mpq_srcptr q);
const gb_node *gb_const(gb_ctx *ctx, int which);	/* GB_CONST_PI, _E */

/* The symbol named name[0..len), interned; shape from its declaration. */
const gb_node *gb_symbol(gb_ctx *ctx, const char *name, size_t len);
gb_sym *gb_sym_intern(gb_ctx *ctx, const char *name, size_t len);
const gb_node *gb_sym_node(gb_ctx *ctx, const gb_sym *sym);
/* The symbol with this name if it exists, else NULL (no side effect). */
gb_sym *gb_sym_find(const gb_ctx *ctx, const char *name, size_t len);

const gb_node *gb_add(gb_ctx *ctx, size_t n, const gb_node *const *args);
const gb_node *gb_add2(gb_ctx *ctx, const gb_node *a, const gb_node *b);
const gb_node *gb_sub(gb_ctx *ctx, const gb_node *a, const gb_node *b);
const gb_node *gb_mul(gb_ctx *ctx, size_t n, const gb_node *const *args);
const gb_node *gb_mul2(gb_ctx *ctx, const gb_node *a, const gb_node *b);
const gb_node *gb_div(gb_ctx *ctx, const gb_node *a, const gb_node *b);
const gb_node *gb_neg(gb_ctx *ctx, const gb_node *a);
const gb_node *gb_pow(gb_ctx *ctx, const gb_node *base, const gb_node *ex);
const gb_node *gb_pow_si(gb_ctx *ctx, const gb_node *base, long ex);

/* f(args): arity must already be checked against functions.def. */
const gb_node *gb_call(gb_ctx *ctx, gb_fn fn, size_t n,
		       const gb_node *const *args);
const gb_node *gb_call1(gb_ctx *ctx, gb_fn fn, const gb_node *a);

/* Conditions: a op b with op one of GB_OP_LT ... GB_OP_NE. */
const gb_node *gb_cmp(gb_ctx *ctx, gb_op op, const gb_node *a,
		      const gb_node *b);
const gb_node *gb_and(gb_ctx *ctx, size_t n, const gb_node *const *args);
/* The decided conditions, 0 == 0 and 0 != 0. */
const gb_node *gb_true(gb_ctx *ctx);
const gb_node *gb_false(gb_ctx *ctx);
/* 1 if c is gb_true, 0 if gb_false, -1 if not decided. */
int gb_cond_value(const gb_node *c);
const gb_node *gb_or(gb_ctx *ctx, size_t n, const gb_node *const *args);

/*
 * piecewise(c1: v1, c2: v2, ..., [otherwise: w]). args holds
 * c1, v1, c2, v2, ...; when n is odd the last argument is the
 * otherwise-value. Branches are tried in order at evaluation.
 */
const gb_node *gb_piecewise(gb_ctx *ctx, size_t n,
			    const gb_node *const *args);

/* Matrix-calculus constructors (shapes already checked by lower.c). */
const gb_node *gb_matrix(gb_ctx *ctx, uint32_t rows, uint32_t cols,
			 const gb_node *const *entries);
const gb_node *gb_matmul(gb_ctx *ctx, const gb_node *a, const gb_node *b);
const gb_node *gb_hadamard(gb_ctx *ctx, const gb_node *a, const gb_node *b);
const gb_node *gb_transpose(gb_ctx *ctx, const gb_node *a);

/* Splits a term into its rational coefficient and the rest (1 if none). */
void gb_split_coeff(gb_ctx *ctx, const gb_node *t, mpq_srcptr *coeff,
		    const gb_node **rest);

/* Predicates on exact numbers. */
bool gb_is_zero(const gb_node *n);
bool gb_is_one(const gb_node *n);
bool gb_is_integer(const gb_node *n);
bool gb_is_negative_num(const gb_node *n);

#endif /* GB_BUILD_H */
