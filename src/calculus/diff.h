/*
 * diff.h - symbolic differentiation.
 *
 * d/dx is memoised per (node, variable), so a DAG with shared subterms is
 * differentiated in time linear in its size, and a subterm that does not
 * contain x costs one (memoised) dependency test.
 *
 * Kinks are first-class: the derivative of relu, abs, sign, max, min and
 * piecewise is a piecewise expression with *open* conditions. Where no
 * branch holds (relu at 0) the derivative does not exist and evaluation
 * says `undefined`. gb_diff_resolve_kinks() then adds the points where
 * the one-sided derivatives agree and the function is continuous
 * (x*abs(x) at 0, ELU at 0 when alpha = 1), so that the result is defined
 * exactly where the derivative exists.
 */
#ifndef GB_DIFF_H
#define GB_DIFF_H

#include "core/node.h"

/* The first derivative of e with respect to the symbol node x. */
const gb_node *gb_diff(gb_ctx *ctx, const gb_node *e, const gb_node *x);

/*
 * The n-th derivative, simplified to the forms a textbook prints, with
 * kinks resolved (the function behind `diff(e, x, n)` and `gradbox diff`).
 */
const gb_node *gb_derivative(gb_ctx *ctx, const gb_node *e, const gb_node *x,
			     unsigned long n);

/* gb_derivative with the signature of gb_diff_hook (front/lower.h). */
const gb_node *gb_diff_hook_fn(gb_ctx *ctx, const gb_node *e,
			       const gb_node *x, unsigned long order);

/* The derivative rule of a built-in function, in terms of ctx->rule_u. */
const gb_node *gb_diff_rule(gb_ctx *ctx, gb_fn fn);

#endif /* GB_DIFF_H */
