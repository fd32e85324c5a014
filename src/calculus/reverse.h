/*
 * reverse.h - the gradient of a scalar expression in many variables by
 * reverse accumulation: one pass over the DAG for all of them.
 */
#ifndef GB_REVERSE_H
#define GB_REVERSE_H

#include <stddef.h>

#include "gradbox.h"
#include "core/node.h"

/*
 * out[i] = d f / d vars[i] for i < nvars (vars are symbol nodes). One
 * reverse pass when f is built from sums, products, powers and smooth
 * functions; expressions with kinks or non-scalar parts fall back to one
 * forward pass (gb_diff) per variable. The results are not simplified.
 */
gb_status gb_gradient(gb_ctx *ctx, const gb_node *f,
		      const gb_node *const *vars, size_t nvars,
		      const gb_node **out);

#endif /* GB_REVERSE_H */
