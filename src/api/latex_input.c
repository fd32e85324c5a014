/*
 * latex_input.c - the public entry to the LaTeX front end. A file of its
 * own, so that programs that never read LaTeX do not link it.
 */
#include "gradbox.h"

#include "api/api.h"
#include "front/parse_latex.h"

gb_status gb_parse_latex(gb_ctx *ctx, const char *name, const char *text,
			 size_t len, const gb_node **out)
{
	return gb_api_parse_with(ctx, name, text, len, gb_parse_latex_expr, out);
}
