/*
 * subst.c - dependency tests and substitution (see subst.h).
 *
 * Both walk the DAG once, memoised by node id in the context's computed
 * table, so shared subterms cost nothing the second time.
 */
#include "calculus/subst.h"

#include "core/build.h"
#include "core/ctx.h"

bool gb_depends(gb_ctx *ctx, const gb_node *e, const gb_node *x)
{
	const gb_node *m;
	bool dep = false;

	if (e == x)
		return true;
	if (e->nargs == 0)
		return false;
	m = gb_memo_get(&ctx->memo, GB_MEMO_DEPENDS, e->id, x->id);
	if (m)
		return m == ctx->one;
	for (uint32_t i = 0; i < e->nargs && !dep; i++)
		dep = gb_depends(ctx, e->arg[i], x);
	if (!gb_memo_put(&ctx->memo, GB_MEMO_DEPENDS, e->id, x->id,
			 dep ? ctx->one : ctx->zero))
		ctx->oom = true;
	return dep;
}

const gb_node *gb_rebuild(gb_ctx *ctx, const gb_node *n,
			  const gb_node *const *a)
{
	switch ((gb_kind)n->kind) {
	case GB_NUM:
	case GB_CONST:
	case GB_SYM:
		return n;
	case GB_CALL:
		return gb_call(ctx, (gb_fn)n->fn, n->nargs, a);
	case GB_POW:
		return gb_pow(ctx, a[0], a[1]);
	case GB_MUL:
		return gb_mul(ctx, n->nargs, a);
	case GB_ADD:
		return gb_add(ctx, n->nargs, a);
	case GB_MATMUL:
		return gb_matmul(ctx, a[0], a[1]);
	case GB_HADAMARD: {
		const gb_node *r = a[0];

		for (uint32_t i = 1; i < n->nargs; i++)
			r = gb_hadamard(ctx, r, a[i]);
		return r;
	}
	case GB_TRANSPOSE:
		return gb_transpose(ctx, a[0]);
	case GB_MATRIX:
		return gb_matrix(ctx, n->shape.rows, n->shape.cols, a);
	case GB_CMP:
		return gb_cmp(ctx, (gb_op)n->op, a[0], a[1]);
	case GB_AND:
		return gb_and(ctx, n->nargs, a);
	case GB_OR:
		return gb_or(ctx, n->nargs, a);
	case GB_PIECEWISE:
		return gb_piecewise(ctx, n->nargs, a);
	case GB_NKINDS:
		break;
	}
	return NULL;
}

const gb_node *gb_map_children(gb_ctx *ctx, const gb_node *e, gb_child_fn f,
			       const void *cl, uint32_t depth)
{
	const gb_node *buf[8], **a = buf, *r;
	bool changed = false;

	if (e->nargs > 8) {
		a = gb_mem_alloc(&ctx->mem, e->nargs * sizeof *a);
		if (!a)
			return gb_ctx_oom(ctx);
	}
	for (uint32_t i = 0; i < e->nargs; i++) {
		a[i] = f(ctx, e->arg[i], cl, depth + 1);
		if (!a[i]) {
			if (a != buf)
				gb_mem_free(&ctx->mem, a);
			return NULL;
		}
		changed |= a[i] != e->arg[i];
	}
	r = changed ? gb_rebuild(ctx, e, a) : e;
	if (a != buf)
		gb_mem_free(&ctx->mem, a);
	return r;
}

/* A substitution in progress: from := to, memoised under serial. */
typedef struct subst_cl {
	const gb_node *from, *to;
	uint32_t serial;
} subst_cl;

static const gb_node *subst(gb_ctx *ctx, const gb_node *e, const void *v,
			    uint32_t depth)
{
	const subst_cl *s = v;
	const gb_node *r;

	if (e == s->from)
		return s->to;
	if (e->nargs == 0 || ctx->oom)
		return e;
	if (s->from->kind == GB_SYM && !gb_depends(ctx, e, s->from))
		return e;
	r = gb_memo_get(&ctx->memo, GB_MEMO_SUBST, e->id, s->serial);
	if (r)
		return r;
	if (depth > 4 * ctx->limits.max_depth) {
		gb_ctx_limit(ctx, GB_LIMIT_DEPTH);
		return NULL;
	}
	r = gb_map_children(ctx, e, subst, v, depth);
	if (r && !gb_memo_put(&ctx->memo, GB_MEMO_SUBST, e->id, s->serial, r))
		return gb_ctx_oom(ctx);
	return r;
}

const gb_node *gb_subst(gb_ctx *ctx, const gb_node *e, const gb_node *from,
			const gb_node *to)
{
	if (!e || !from || !to)
		return NULL;
	subst_cl cl = { from, to, ++ctx->serial };

	return subst(ctx, e, &cl, 0);
}
