/*
 * smooth.h - smoothness classes: discontinuous, C^0, C^1, ..., C^inf.
 *
 * The public types and functions (gb_smooth, gb_smoothness, the
 * renderers) are declared in include/gradbox.h; this header adds the
 * entry point that takes the variable as a symbol node, and the limits
 * of the analysis.
 *
 * The analysis, for f a scalar expression in x:
 *
 *   1. f built from analytic functions only (no abs, sign, relu, max,
 *      min, piecewise depending on x) is C^inf on its domain: done.
 *   2. Candidate points are the zeros of the switching arguments: u for
 *      abs(u), sign(u), relu(u); a_i - a_j for max/min(a_1, ..., a_n);
 *      a - b for every condition a op b. A zero is found exactly when u
 *      is linear in x (the canonical comparison builder solves it) or
 *      invertible step by step (exp, log, odd powers, ...), else
 *      numerically: sign changes of u on a grid over [-W, W], refined by
 *      bisection.
 *   3. At each point c the left and right pieces P_L and P_R of f are
 *      computed: every switch is decided as for x just below or above c
 *      (the sign of u near c from the side s is s^j sign(u^(j)(c)) for
 *      the first j with u^(j)(c) != 0). The pieces are analytic near c.
 *   4. f is continuous at c when P_L(c) = P_R(c) = f(c). Then f is C^k
 *      at c when P_L^(j)(c) = P_R^(j)(c) for j <= k (the one-sided
 *      derivatives agree, and by the mean value theorem they are the
 *      one-sided limits of f^(j)). When they differ only for some values
 *      of a parameter the condition (alpha == 1) is reported, with the
 *      class under it. When P_L = P_R as expressions, c is no exception.
 *      If all orders up to GB_SMOOTH_MAX_ORDER agree yet the pieces
 *      differ, the point is reported as "C^max at least".
 *
 * Limits: zeros of nonlinear switching arguments outside [-W, W], or
 * where u touches 0 without changing sign, or of arguments that depend
 * on unbound parameters and are not invertible, are not found (the
 * latter are counted in gb_smooth.nunsolved). Domain boundaries (log
 * at 0, sqrt at 0) and poles are not kinks: a point where f and one of
 * its one-sided limits are both undefined is skipped.
 */
#ifndef GB_SMOOTH_H
#define GB_SMOOTH_H

#include "gradbox.h"
#include "core/node.h"

/* The numeric search window [-W, W] for zeros of nonlinear arguments. */
#define GB_SMOOTH_WINDOW 100L

/* gb_smoothness with the variable given as a symbol node. */
gb_status gb_smooth_analyze(gb_ctx *ctx, const gb_node *f, const gb_node *x,
			    gb_smooth **out);

#endif /* GB_SMOOTH_H */
