/*
 * kinks.h - points where a piecewise description changes: one-sided
 * values, and the points where a derivative exists although none of its
 * open branches covers them.
 */
#ifndef GB_KINKS_H
#define GB_KINKS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/node.h"

/*
 * The one-sided value of e at x = c (side < 0: from the left, side > 0:
 * from the right): every comparison of x with c is decided as for x just
 * below or above c, sign(u) is read as the piecewise function it is, and
 * x is replaced by c everywhere else. For e continuous on that side of c
 * apart from its piecewise parts, this is the one-sided limit.
 */
const gb_node *gb_one_sided(gb_ctx *ctx, const gb_node *e, const gb_node *x,
			    const gb_node *c, int side);

/*
 * The candidate kink points of e in x: the right-hand sides c of the
 * conditions `x op c` (c free of x) in e, in structural order, without
 * duplicates. *out is context memory. Returns the count.
 */
size_t gb_kink_points(gb_ctx *ctx, const gb_node *e, const gb_node *x,
		      const gb_node ***out);

/* Does e contain a piecewise expression with no branch left, or a
 * power 0^-k of zero? Then it has no value. */
bool gb_is_undefined(gb_ctx *ctx, const gb_node *e);

/*
 * df is the derivative of f in x, with open conditions. For each kink
 * point c where f is continuous and the one-sided derivatives of f agree,
 * adds a branch `x == c: value` (with the condition on parameters when
 * agreement depends on them, e.g. `x == 0 and alpha == 1`).
 */
const gb_node *gb_resolve_kinks(gb_ctx *ctx, const gb_node *f,
				const gb_node *df, const gb_node *x);

#endif /* GB_KINKS_H */
