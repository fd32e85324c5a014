/*
 * explain.c - why a value is undefined: one-sided limits at a kink.
 *
 * When e is undefined at the bound point x = c and c is a kink point of
 * e (a boundary of its piecewise conditions), the left and right limits
 * of e at c usually exist: for the derivative of ReLU at 0 they are the
 * left derivative 0 and the right derivative 1. They are computed
 * symbolically by gb_one_sided and evaluated like any expression.
 */
#include "gradbox.h"

#include "calculus/kinks.h"
#include "calculus/subst.h"
#include "core/build.h"
#include "core/ctx.h"
#include "core/strbuf.h"
#include "front/diag.h"
#include "numeric/eval.h"

/* Appends the value of e at the bound point (exactly when e is a number),
 * or "undefined". */
static void put_value(gb_ctx *ctx, gb_strbuf *sb, const gb_node *e,
		      long digits)
{
	gb_value *v = NULL;
	size_t errors = ctx->nerrors;
	gb_diag *tail = ctx->diag_tail;
	char *s;

	if (e && e->kind == GB_NUM) {	/* exact: print it as it is */
		s = gb_print(ctx, e);
		gb_sb_puts(sb, s ? s : "?");
		gb_free(s);
		return;
	}
	if (!e || gb_is_undefined(ctx, e) ||
	    gb_eval_env(ctx, e, ctx->bind, ctx->nbind, digits, &v) != GB_OK) {
		/* The failure is reported by this note, not separately. */
		if (tail) {
			tail->next = NULL;
			ctx->diag_tail = tail;
		}
		ctx->nerrors = errors;
		gb_sb_puts(sb, "undefined");
		return;
	}
	s = gb_value_str(v, digits);
	gb_sb_puts(sb, s ? s : "?");
	gb_free(s);
	gb_value_free(v);
}

void gb_explain_undefined(gb_ctx *ctx, const gb_node *e, long digits)
{
	const gb_node *dx;

	if (!ctx || !e || !gb_is_scalar(e))
		return;
	if (digits > 30)
		digits = 30;
	dx = gb_memo_get(&ctx->memo, GB_MEMO_DERIVED, e->id, 0);
	for (size_t id = 0; id < ctx->nbind; id++) {
		/* e with every bound symbol but the one examined replaced by
		 * its value, so the one-sided limits come out as numbers */
		const gb_node *ev = e;
		const gb_node *c = ctx->bind[id], **pts, *x = NULL;
		size_t n;
		gb_strbuf sb;

		if (!c || c->kind != GB_NUM)
			continue;
		for (size_t i = 0; i < ctx->scap; i++)
			if (ctx->stab[i] && ctx->stab[i]->id == id)
				x = gb_sym_node(ctx, ctx->stab[i]);
		if (!x || !gb_depends(ctx, e, x))
			continue;
		for (size_t i = 0; i < ctx->scap && ev; i++) {
			const gb_sym *s = ctx->stab[i];

			if (s && s->id != id && s->id < ctx->nbind && ctx->bind[s->id])
				ev = gb_subst(ctx, ev, gb_sym_node(ctx, s),
					      ctx->bind[s->id]);
		}
		if (!ev)
			return;
		n = gb_kink_points(ctx, ev, x, &pts);
		for (size_t i = 0; i < n; i++) {
			const char *what = dx == x ? "derivative" : "limit";

			if (pts[i] != c)
				continue;
			gb_sb_init(&sb, NULL);
			{
				char *cs = gb_print(ctx, c);

				gb_sb_printf(&sb, "%s = %s", x->u.sym->name,
					     cs ? cs : "?");
				gb_free(cs);
			}
			gb_sb_printf(&sb, " is a kink: left %s ", what);
			put_value(ctx, &sb, gb_one_sided(ctx, ev, x, c, -1), digits);
			gb_sb_printf(&sb, ", right %s ", what);
			put_value(ctx, &sb, gb_one_sided(ctx, ev, x, c, 1), digits);
			if (dx == x)
				gb_sb_puts(&sb, "; the derivative does not exist there");
			gb_note(ctx, NULL, (gb_span){ 0, 0 }, "%s", gb_sb_str(&sb));
			gb_sb_free(&sb);
		}
	}
}
