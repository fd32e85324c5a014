/*
 * check.h - answer checking and derivative verification by evaluation.
 *
 * gb_check decides whether an answer equals an expected expression (or
 * the derivative of one) by evaluating both with MPFR at seeded, exact
 * rational points inside the domain:
 *
 *   - free variables over a spread of scales, +-[2^-10, 50], the
 *     magnitude m = (1 + r/1024) 2^k with k uniform in [-10, 5]; when
 *     too few points are valid (log(x - 100)), k widens to [-20, 20];
 *   - parameters from the side their `param` assumption names
 *     (beta > 0: beta = m with k in [-3, 2]); bound symbols stay fixed;
 *   - probes on both sides of every kink c of either expression
 *     (c +- 1/64, c +- 1/4096) and inside every region between kinks;
 *   - a point where both are undefined is skipped; where exactly one is,
 *     it is a disagreement unless the point is a kink.
 *
 * Values agree when |e - a| <= 2^-(prec/2) max(|e|, |a|), each computed
 * to prec bits by the evaluator's Ziv loop. All points come from a fixed
 * seed and every choice is made in integer or exact arithmetic, so the
 * output is the same bytes on every run.
 *
 * gb_verify compares a symbolic derivative with a Richardson-extrapolated
 * central difference (numeric/verify.h) at seeded points away from kinks.
 *
 * The public types and entry points are in include/gradbox.h.
 */
#ifndef GB_CHECK_H
#define GB_CHECK_H

#include "gradbox.h"
#include "core/node.h"

/*
 * The comparison behind gb_verify: df against the finite difference of
 * f in the symbol node x. Exposed so that a test can hand it a wrong df.
 */
gb_status gb_verify_pair(gb_ctx *ctx, const char *name, const gb_node *f,
			 const gb_node *df, const gb_node *x,
			 const gb_verify_opts *o, gb_verify_item *out);

#endif /* GB_CHECK_H */
