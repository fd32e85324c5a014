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
#include <stdlib.h>
#include <string.h>

#include "calculus/backward.h"
#include "calculus/diff.h"
#include "calculus/kinks.h"
#include "calculus/subst.h"
#include "core/strbuf.h"
#include "core/build.h"
#include "core/ctx.h"
#include "front/diag.h"
#include "front/lower.h"
#include "front/parse.h"
#include "api/api.h"

gb_status gb_api_failed(gb_ctx *ctx, gb_status fallback)
{
	gb_status st = gb_ctx_status(ctx);

	gb_diag_limit(ctx, NULL, (gb_span){ 0, 0 });
	return st != GB_OK ? st : fallback;
}

void gb_api_prepare(gb_ctx *ctx)
{
	gb_lower_set_diff(ctx, gb_diff_hook_fn);
	gb_lower_set_grad(ctx, gb_grad_hook_fn);
	/*
	 * The derivative rules of functions.def are read now, before any
	 * user program: their argument u must be the plain scalar u, not a
	 * `vector u[d]` or an assignment `u = ...` made later.
	 */
	if (!ctx->rule_u)
		(void)gb_diff_rule(ctx, GB_FN_EXP);
}

gb_status gb_load(gb_ctx *ctx, const char *name, const char *text, size_t len)
{
	gb_source *src;
	gb_program *prog;
	size_t before;
	gb_status st;

	if (!ctx || !name || (!text && len))
		return GB_EUSAGE;
	gb_api_prepare(ctx);
	before = ctx->nerrors;
	src = gb_source_new(ctx, name, text ? text : "", len);
	if (!src)
		return gb_api_failed(ctx, GB_ELIMIT);
	prog = gb_parse_program(ctx, src);
	if (!prog)
		return gb_api_failed(ctx, GB_ESYNTAX);
	/* Queries (show, answer, ...) are for gradbox run: skip them. */
	{
		uint32_t n = 0;

		for (uint32_t i = 0; i < prog->nstmts; i++)
			if (!gb_stmt_is_query(prog->stmts[i]->kind))
				prog->stmts[n++] = prog->stmts[i];
		prog->nstmts = n;
	}
	/* The statements that parsed still run, so every error is found. */
	st = gb_lower_program(ctx, prog, NULL, NULL);
	if (st == GB_OK && ctx->nerrors > before)
		st = GB_ESYNTAX;
	return st;
}

gb_arena *gb_api_scratch_begin(gb_ctx *ctx)
{
	gb_arena *saved = ctx->tmp;

	ctx->tmp = &ctx->scratch;
	return saved;
}

void gb_api_scratch_end(gb_ctx *ctx, gb_arena *saved)
{
	ctx->tmp = saved;
	if (saved != &ctx->scratch)
		gb_arena_reset(&ctx->scratch);
}

gb_status gb_api_parse_with(gb_ctx *ctx, const char *name, const char *text,
			    size_t len, gb_ast_parser parse, const gb_node **out)
{
	gb_source *src;
	gb_ast *ast;
	size_t before;
	gb_arena *saved;
	gb_status st = GB_OK;

	if (!ctx || !name || !text || !out)
		return GB_EUSAGE;
	*out = NULL;
	gb_api_prepare(ctx);
	before = ctx->nerrors;
	src = gb_source_new(ctx, name, text, len);
	if (!src)
		return gb_api_failed(ctx, GB_ELIMIT);
	saved = gb_api_scratch_begin(ctx);
	ast = parse(ctx, src);
	if (!ast || ctx->nerrors > before) {
		st = gb_api_failed(ctx, GB_ESYNTAX);
	} else {
		*out = gb_lower_expr(ctx, src, ast);
		if (!*out || ctx->nerrors > before) {
			*out = NULL;
			st = gb_api_failed(ctx, GB_ESYNTAX);
		}
	}
	gb_api_scratch_end(ctx, saved);
	return st;
}

gb_status gb_parse(gb_ctx *ctx, const char *name, const char *text,
		   size_t len, const gb_node **out)
{
	return gb_api_parse_with(ctx, name, text, len, gb_parse_expr, out);
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
		return gb_api_failed(ctx, GB_ENOMEM);
	return gb_bind_sym(ctx, s, v);
}

/* ------------------------------------------------------------ calculus */

typedef struct symlist {
	const gb_sym **v;
	size_t n, cap;
	bool failed;
} symlist;

static void free_vars(gb_ctx *ctx, const gb_node *e, symlist *l,
		      uint32_t serial)
{
	if (l->failed)
		return;
	/* each node once (a symbol too: that is the deduplication) */
	if (gb_memo_get(&ctx->memo, GB_MEMO_FREEVARS, e->id, serial))
		return;
	if (!gb_memo_put(&ctx->memo, GB_MEMO_FREEVARS, e->id, serial, e)) {
		l->failed = true;
		return;
	}
	if (e->kind == GB_SYM) {
		const gb_sym *s = e->u.sym;

		if (s->is_param || (s->id < ctx->nbind && ctx->bind[s->id]))
			return;
		if (l->n == l->cap) {
			size_t cap = l->cap ? 2 * l->cap : 8;
			const gb_sym **v = gb_ctx_alloc(ctx, cap * sizeof *v);

			if (!v) {
				l->failed = true;
				return;
			}
			if (l->n)
				memcpy(v, l->v, l->n * sizeof *v);
			l->v = v;
			l->cap = cap;
		}
		l->v[l->n++] = s;
		return;
	}
	for (uint32_t i = 0; i < e->nargs; i++)
		free_vars(ctx, e->arg[i], l, serial);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

size_t gb_free_vars(gb_ctx *ctx, const gb_node *e, const char ***names)
{
	symlist l = { NULL, 0, 0, false };
	const char **out;

	*names = NULL;
	if (!ctx || !e)
		return 0;
	free_vars(ctx, e, &l, ++ctx->serial);
	if (l.failed || !l.n)
		return 0;
	out = gb_ctx_alloc(ctx, l.n * sizeof *out);
	if (!out)
		return 0;
	for (size_t i = 0; i < l.n; i++)
		out[i] = l.v[i]->name;
	qsort(out, l.n, sizeof *out, cmp_names);	/* names are distinct */
	*names = out;
	return l.n;
}

gb_status gb_differentiate(gb_ctx *ctx, const gb_node *e, const char *wrt,
			   unsigned long order, const gb_node **out)
{
	const gb_node *x, *r;

	if (!ctx || !e || !out)
		return GB_EUSAGE;
	*out = NULL;
	gb_api_prepare(ctx);
	if (wrt) {
		x = gb_symbol(ctx, wrt, strlen(wrt));
	} else {
		const char **names;
		size_t n = gb_free_vars(ctx, e, &names);

		if (n != 1) {
			gb_strbuf sb;

			gb_sb_init(&sb, NULL);
			for (size_t i = 0; i < n; i++)
				gb_sb_printf(&sb, "%s%s", i ? ", " : "", names[i]);
			if (n == 0)
				gb_error(ctx, NULL, (gb_span){ 0, 0 },
					 "the expression has no variable to differentiate by; name one with --wrt");
			else
				gb_error(ctx, NULL, (gb_span){ 0, 0 },
					 "the expression has several variables (%s): choose one with --wrt",
					 gb_sb_str(&sb));
			gb_sb_free(&sb);
			return GB_EUSAGE;
		}
		x = gb_symbol(ctx, names[0], strlen(names[0]));
	}
	if (!x)
		return gb_api_failed(ctx, GB_ENOMEM);
	r = gb_derivative(ctx, e, x, order);
	if (!r)
		return gb_api_failed(ctx, GB_EDOMAIN);
	*out = r;
	return GB_OK;
}

size_t gb_kinks(gb_ctx *ctx, const gb_node *f, const gb_node *df,
		const char *wrt, gb_kink **out)
{
	const gb_node *x, **pts;
	gb_kink *k;
	size_t n, nk = 0;

	*out = NULL;
	if (!ctx || !f || !df || !wrt)
		return 0;
	x = gb_symbol(ctx, wrt, strlen(wrt));
	if (!x)
		return 0;
	n = gb_kink_points(ctx, df, x, &pts);
	k = gb_ctx_alloc(ctx, (n + 1) * sizeof *k);
	if (!k)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const gb_node *at = gb_subst(ctx, df, x, pts[i]);
		gb_kink *ki = &k[nk];

		if (!at)
			return 0;
		ki->at = pts[i];
		ki->cond = NULL;
		if (!gb_is_undefined(ctx, at)) {
			/* Defined only under a condition: piecewise(c: v). */
			if (at->kind != GB_PIECEWISE || at->nargs != 2)
				continue;
			ki->cond = at->arg[0];
		}
		ki->left = gb_one_sided(ctx, df, x, pts[i], -1);
		ki->right = gb_one_sided(ctx, df, x, pts[i], 1);
		ki->fleft = gb_one_sided(ctx, f, x, pts[i], -1);
		ki->fright = gb_one_sided(ctx, f, x, pts[i], 1);
		if (!ki->left || !ki->right || !ki->fleft || !ki->fright)
			return 0;
		/* a side outside the domain (sqrt(x) at 0): not a kink */
		if (gb_is_undefined(ctx, ki->left) ||
		    gb_is_undefined(ctx, ki->right) ||
		    gb_is_undefined(ctx, ki->fleft) ||
		    gb_is_undefined(ctx, ki->fright))
			continue;
		nk++;
	}
	*out = k;
	return nk;
}
