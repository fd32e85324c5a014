/*
 * latex_input.c - the public entry to the LaTeX front end. A file of its
 * own, so that programs that never read LaTeX do not link it.
 */
#include "gradbox.h"

#include "api/api.h"
#include "core/ctx.h"
#include "front/lower.h"
#include "front/parse_latex.h"

gb_status gb_parse_latex(gb_ctx *ctx, const char *name, const char *text,
			 size_t len, const gb_node **out)
{
	gb_source *src;
	gb_ast *ast;
	size_t before;

	if (!ctx || !name || !text || !out)
		return GB_EUSAGE;
	*out = NULL;
	gb_api_prepare(ctx);
	before = ctx->nerrors;
	src = gb_source_new(ctx, name, text, len);
	if (!src)
		return gb_api_failed(ctx, GB_ELIMIT);
	ast = gb_parse_latex_expr(ctx, src);
	if (!ast || ctx->nerrors > before)
		return gb_api_failed(ctx, GB_ESYNTAX);
	*out = gb_lower_expr(ctx, src, ast);
	if (!*out || ctx->nerrors > before) {
		*out = NULL;
		return gb_api_failed(ctx, GB_ESYNTAX);
	}
	return GB_OK;
}

