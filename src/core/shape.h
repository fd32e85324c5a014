/*
 * shape.h - dimensions that are numbers or names.
 *
 * A gb_shape is rows x cols, each a uint32_t dimension:
 *
 *   0 < n < 2^31        a concrete size (declared `vector x[3]`, or the
 *                       size of a bound value);
 *   GB_DIM_SYM | id     the symbolic dimension named by the symbol with
 *                       that id (`dim d; vector x[d]` gives x the shape
 *                       (GB_DIM_SYM | id(d)) x 1);
 *   0                   unknown (not used for declared symbols).
 *
 * Equal dimensions have equal codes, so shapes of interned nodes compare
 * with ==. A symbolic dimension gets a size when a value is bound: `x=[1,
 * 2, 3]` for a declared `vector x[d]` binds d = 3, and every later
 * binding must agree (gb_dim_value reads it back). Conformance checks use
 * gb_dim_eq, which also accepts a symbolic dimension against the size it
 * is bound to.
 */
#ifndef GB_SHAPE_H
#define GB_SHAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/node.h"

#define GB_DIM_SYM 0x80000000u

static inline bool gb_dim_is_sym(uint32_t d)
{
	return (d & GB_DIM_SYM) != 0;
}

static inline uint32_t gb_dim_sym_id(uint32_t d)
{
	return d & ~GB_DIM_SYM;
}

/* The symbol of a symbolic dimension, NULL if there is none. */
const gb_sym *gb_dim_sym(const gb_ctx *ctx, uint32_t d);

/*
 * The size of dimension d: itself when concrete, the bound value of its
 * symbol when symbolic and bound, else 0.
 */
uint32_t gb_dim_value(const gb_ctx *ctx, uint32_t d);

/* Do two dimensions agree (equal, or one is bound to the other's size)? */
bool gb_dim_eq(const gb_ctx *ctx, uint32_t a, uint32_t b);
bool gb_shape_eq(const gb_ctx *ctx, gb_shape a, gb_shape b);

/*
 * "d×d", "3×1", "d×1", "a scalar": the shape for messages, symbolic
 * dimensions by name. buf gets at most n bytes, NUL-terminated.
 */
void gb_shape_str(const gb_ctx *ctx, char *buf, size_t n, gb_shape s);

/*
 * A dimension as an expression: the number n, or the symbol d (what
 * ones(d) and eye(d) take as arguments). NULL when out of memory.
 */
const gb_node *gb_dim_node(gb_ctx *ctx, uint32_t d);

/*
 * The dimension an expression denotes: a positive integer (up to
 * 100000) or a scalar symbol (then symbolic). 0 if it is neither.
 */
uint32_t gb_dim_of_node(const gb_node *n);

#endif /* GB_SHAPE_H */
