/*
 * gradbox.c - the public façade: text in, nodes out.
 *
 * These functions tie the stages together for library users and the
 * CLI: source -> parser -> lowering (with the differentiation hook
 * installed) -> canonical nodes. Everything else in include/gradbox.h is
 * implemented by the module it names (diag.c, eval.c, print.c, latex.c).
 */
#include "gradbox.h"

#include <stdio.h>
#include <string.h>

#include "calculus/diff.h"
#include "core/build.h"
#include "core/ctx.h"
#include "front/diag.h"
#include "front/lower.h"
#include "front/parse.h"

static gb_status failed(gb_ctx *ctx, gb_status fallback)
{
	gb_status st = gb_ctx_status(ctx);

	return st != GB_OK ? st : fallback;
}

static void prepare(gb_ctx *ctx)
{
	gb_lower_set_diff(ctx, gb_diff_hook_fn);
}

gb_status gb_load(gb_ctx *ctx, const char *name, const char *text, size_t len)
{
	gb_source *src;
	gb_program *prog;

	if (!ctx || !name || (!text && len))
		return GB_EUSAGE;
	prepare(ctx);
	src = gb_source_new(ctx, name, text ? text : "", len);
	if (!src)
		return failed(ctx, GB_ELIMIT);
	prog = gb_parse_program(ctx, src);
	if (!prog)
		return failed(ctx, GB_ESYNTAX);
	return gb_lower_program(ctx, prog, NULL, NULL);
}

gb_status gb_parse(gb_ctx *ctx, const char *name, const char *text,
		   size_t len, const gb_node **out)
{
	gb_source *src;
	gb_ast *ast;
	size_t before;

	if (!ctx || !name || !text || !out)
		return GB_EUSAGE;
	*out = NULL;
	prepare(ctx);
	before = ctx->nerrors;
	src = gb_source_new(ctx, name, text, len);
	if (!src)
		return failed(ctx, GB_ELIMIT);
	ast = gb_parse_expr(ctx, src);
	if (!ast || ctx->nerrors > before)
		return failed(ctx, GB_ESYNTAX);
	*out = gb_lower_expr(ctx, src, ast);
	if (!*out || ctx->nerrors > before) {
		*out = NULL;
		return failed(ctx, GB_ESYNTAX);
	}
	return GB_OK;
}

/* A number, or a vector or matrix whose entries are numbers. */
static bool is_exact_value(const gb_node *v)
{
	if (v->kind == GB_NUM)
		return true;
	if (v->kind != GB_MATRIX)
		return false;
	for (uint32_t i = 0; i < v->nargs; i++)
		if (v->arg[i]->kind != GB_NUM)
			return false;
	return true;
}

gb_status gb_bind(gb_ctx *ctx, const char *name, const char *value_text)
{
	const gb_node *v;
	gb_status st;
	gb_sym *s;
	char label[96];

	if (!ctx || !name || !value_text || !*name)
		return GB_EUSAGE;
	snprintf(label, sizeof label, "%.80s=", name);
	st = gb_parse(ctx, label, value_text, strlen(value_text), &v);
	if (st != GB_OK)
		return st;
	if (!is_exact_value(v)) {
		gb_error(ctx, NULL, (gb_span){ 0, 0 },
			 "the value of '%s' must be a number, a vector or a matrix of numbers",
			 name);
		return GB_EUSAGE;
	}
	s = gb_sym_intern(ctx, name, strlen(name));
	if (!s)
		return failed(ctx, GB_ENOMEM);
	return gb_bind_sym(ctx, s, v);
}
