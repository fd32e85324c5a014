/*
 * simplify.h - rewrites beyond the canonical form, run on request.
 *
 * gb_simplify turns results into the forms an ML textbook prints. Its
 * rules are exact identities for real arguments, each tested against
 * MPFR (tests/test_simplify.c):
 *
 *   e^u / (1 + e^u)   = sigmoid(u)
 *   1 / (1 + e^u)     = sigmoid(-u)
 *   log(1 + e^u)      = softplus(u)
 *
 * gb_expand distributes products over sums and expands small integer
 * powers of sums, so that higher derivatives of sigmoid and tanh stay
 * polynomials in sigmoid(x) and tanh(x).
 */
#ifndef GB_SIMPLIFY_H
#define GB_SIMPLIFY_H

#include "core/node.h"

const gb_node *gb_simplify(gb_ctx *ctx, const gb_node *e);
const gb_node *gb_expand(gb_ctx *ctx, const gb_node *e);

#endif /* GB_SIMPLIFY_H */
