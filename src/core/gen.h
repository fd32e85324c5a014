/*
 * gen.h - expressions for tests and benchmarks, without the parser.
 *
 * gb_gen_expr draws a random expression from a seeded splitmix64 state:
 * the same state gives the same expression (the same node, within one
 * context), on every platform. It covers the scalar language: the
 * symbols x, y, beta, alpha, the constants pi and e, small exact
 * rationals (negative and fractional too), + - * / and unary minus,
 * powers with small integer, rational and symbolic exponents, every
 * function of grammar/functions.def at its arity (max and min with 2 or
 * 3 arguments) and, now and then, piecewise expressions whose conditions
 * are comparisons joined by `and` / `or`. Round-trip tests print what it
 * makes and parse it back.
 *
 * gb_gen_sexpr builds one node from a prefix description, so tests can
 * make exact inputs before (and independently of) the parser:
 *
 *   (+ 1 (- (sigmoid x)))        1 - sigmoid(x)
 *   (/ x (* 2 y))  (^ x 1/2)     x/(2*y), x^(1/2)
 *   (@ W:3x3 v:3x1)  (' W:3x3)   matrix product, transpose
 *   (.* a:3x1 b:3x1)             Hadamard product
 *   (pw (< x 0) 0 (> x 0) 1 x)   piecewise, odd last = otherwise
 *   (and (< x 0) (>= y 1))       conditions: < <= > >= == != and or
 *   (mat 2 2 1 2 3 4)            literal matrix, row-major
 *
 * Atoms are integers and rationals (-3, 1/2, -5/4), pi, e and names; a
 * name with a shape suffix (W:3x3) gets that shape on first use. A head
 * `-` with one argument negates, with two subtracts; any other head is a
 * function name of functions.def.
 */
#ifndef GB_GEN_H
#define GB_GEN_H

#include <stdint.h>

#include "core/node.h"

/* The next splitmix64 output; advances *state. */
uint64_t gb_gen_next(uint64_t *state);

/*
 * A random expression of nesting depth at most depth (clamped to
 * 0..5). NULL only when the context ran out of memory.
 */
const gb_node *gb_gen_expr(gb_ctx *ctx, uint64_t *state, int depth);

/* The node described by text (see above); NULL if text is malformed. */
const gb_node *gb_gen_sexpr(gb_ctx *ctx, const char *text);

#endif /* GB_GEN_H */
