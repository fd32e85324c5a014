/*
 * subst.h - dependency tests and substitution on the DAG.
 */
#ifndef GB_SUBST_H
#define GB_SUBST_H

#include <stdbool.h>
#include <stdint.h>

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
 * One step of a rewrite that walks the DAG: each child c of e becomes
 * f(ctx, c, cl, depth + 1) (f recurses), and e is rebuilt through the
 * canonical constructors when a child changed; e itself otherwise. NULL
 * when f fails or memory runs out. Substitution, one-sided values and the
 * simplifier's passes are all this walk with a different f.
 */
typedef const gb_node *(*gb_child_fn)(gb_ctx *ctx, const gb_node *c,
				      const void *cl, uint32_t depth);
const gb_node *gb_map_children(gb_ctx *ctx, const gb_node *e, gb_child_fn f,
			       const void *cl, uint32_t depth);

/*
 * Rebuilds node n with new children through the canonical constructors:
 * the one place that maps a kind back to its constructor.
 */
const gb_node *gb_rebuild(gb_ctx *ctx, const gb_node *n,
			  const gb_node *const *args);

#endif /* GB_SUBST_H */
