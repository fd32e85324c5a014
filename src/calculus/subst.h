/*
 * subst.h - dependency tests and substitution on the DAG.
 */
#ifndef GB_SUBST_H
#define GB_SUBST_H

#include <stdbool.h>

#include "core/node.h"

/* Does e contain the symbol node x? Memoised per (e, x). */
bool gb_depends(gb_ctx *ctx, const gb_node *e, const gb_node *x);

/*
 * e with every occurrence of the node `from` replaced by `to`, rebuilt
 * through the canonical constructors (so the result is canonical and
 * numbers fold). Shared subterms are rebuilt once. NULL on failure.
 */
const gb_node *gb_subst(gb_ctx *ctx, const gb_node *e, const gb_node *from,
			const gb_node *to);

/*
 * Rebuilds node n with new children through the canonical constructors:
 * the one place that maps a kind back to its constructor.
 */
const gb_node *gb_rebuild(gb_ctx *ctx, const gb_node *n,
			  const gb_node *const *args);

#endif /* GB_SUBST_H */
