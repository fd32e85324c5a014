/*
 * steps.c - derivations from the backward trace (see steps.h).
 */
#include "calculus/steps.h"

#include <string.h>

#include "core/build.h"
#include "core/ctx.h"
#include "front/diag.h"

char *gb_steps_render(gb_ctx *ctx, const gb_backward *bw,
		      const gb_steps_opts *o)
{
	(void)bw;
	(void)o;
	gb_error(ctx, NULL, (gb_span){ 0, 0 }, "derivations are not written yet");
	return NULL;
}

char *gb_backprop_steps(gb_ctx *ctx, const gb_node *l, const char *wrt,
			const gb_steps_opts *o)
{
	gb_backward r;
	const gb_node *x;

	if (!ctx || !l || !wrt)
		return NULL;
	if (!(x = gb_symbol(ctx, wrt, strlen(wrt))))
		return NULL;
	if (gb_backward_run(ctx, l, x, &r) != GB_OK)
		return NULL;
	return gb_steps_render(ctx, &r, o);
}
