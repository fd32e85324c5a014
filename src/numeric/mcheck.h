/*
 * mcheck.h - checking vector and matrix answers and gradients by
 * evaluation at random instances (see mcheck.c).
 */
#ifndef GB_MCHECK_H
#define GB_MCHECK_H

#include <stdbool.h>

#include "gradbox.h"
#include "core/node.h"

/*
 * Is answer equal to expected (a vector or matrix expression)? A shape
 * mismatch is incorrect with the two shapes; a row vector for a column
 * one is compared transposed, with a note.
 */
gb_status gb_check_matrix(gb_ctx *ctx, const gb_node *expected,
			  const gb_node *answer, const gb_check_opts *o,
			  gb_check_result *r);

/* dL/dX of the backward pass against central differences, entry by
 * entry, at instances with every free dimension from 1 to 5. */
gb_status gb_verify_matrix(gb_ctx *ctx, const char *name, const gb_node *l,
			   const gb_node *x, const gb_verify_opts *o,
			   gb_verify_item *out);

/* Does e have a vector or matrix part anywhere? */
bool gb_has_matrix(gb_ctx *ctx, const gb_node *e);

#endif /* GB_MCHECK_H */
