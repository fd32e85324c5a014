/*
 * kinks.c - one-sided values and kink resolution (see kinks.h).
 *
 * The argument for gb_resolve_kinks: let f be continuous at c and
 * differentiable on both sides near c, with f' having one-sided limits L
 * and R at c. By the mean value theorem the one-sided derivatives of f
 * at c are L and R, so f'(c) exists exactly when L = R, and then equals
 * it. The pieces of f' are built from functions analytic on their open
 * regions, so L and R are the values of the left and right pieces at c,
 * which is what gb_one_sided computes.
 */
#include "calculus/kinks.h"

#include <stdlib.h>
#include <string.h>

#include "calculus/subst.h"
#include "core/build.h"
#include "core/ctx.h"

enum {
	MEMO_SIDED = GB_MEMO_USER,	/* (node, serial) -> one-sided value */
	MEMO_SEEN,			/* (node, serial) -> visited */
	MEMO_UNDEF			/* (node, 0) -> contains empty piecewise */
};

/* Decides `x op c` for x just below (side < 0) or above (side > 0) c. */
static const gb_node *decide(gb_ctx *ctx, gb_op op, int side)
{
	bool holds;

	switch (op) {
	case GB_OP_LT:
	case GB_OP_LE:
		holds = side < 0;
		break;
	case GB_OP_GT:
	case GB_OP_GE:
		holds = side > 0;
		break;
	case GB_OP_EQ:
		holds = false;
		break;
	default:
		holds = true;
		break;
	}
	return holds ? gb_true(ctx) : gb_false(ctx);
}

/* A one-sided value in progress: x -> c from `side`, memoised under serial. */
typedef struct sided_cl {
	const gb_node *x, *c;
	int side;
	uint32_t serial;
} sided_cl;

static const gb_node *sided(gb_ctx *ctx, const gb_node *e, const void *v,
			    uint32_t depth);

/*
 * The functions with a jump, written as the piecewise functions they are,
 * then sided:
 *   sign(u) = piecewise(u < 0: -1, u > 0: 1, otherwise: 0)
 *   step(u) = piecewise(u < 0: 0, u > 0: 1, otherwise: step(0))
 */
static const gb_node *sided_jump(gb_ctx *ctx, const gb_node *e,
				 const sided_cl *s, uint32_t depth)
{
	const gb_node *u = e->arg[0], *pw[5];
	bool sign = e->fn == GB_FN_SIGN;

	pw[0] = gb_cmp(ctx, GB_OP_LT, u, ctx->zero);
	pw[1] = sign ? ctx->minus_one : ctx->zero;
	pw[2] = gb_cmp(ctx, GB_OP_GT, u, ctx->zero);
	pw[3] = ctx->one;
	pw[4] = sign ? ctx->zero : gb_call1(ctx, GB_FN_STEP, ctx->zero);
	return sided(ctx, gb_piecewise(ctx, 5, pw), s, depth);
}

static const gb_node *sided(gb_ctx *ctx, const gb_node *e, const void *v,
			    uint32_t depth)
{
	const sided_cl *s = v;
	const gb_node *r;

	if (!e || ctx->oom)
		return NULL;
	if (e == s->x)
		return s->c;
	if (e->nargs == 0 || !gb_depends(ctx, e, s->x))
		return e;
	r = gb_memo_get(&ctx->memo, MEMO_SIDED, e->id, s->serial);
	if (r)
		return r;
	if (depth > 4 * ctx->limits.max_depth) {
		gb_ctx_limit(ctx, GB_LIMIT_DEPTH);
		return NULL;
	}
	if (e->kind == GB_CMP && e->arg[0] == s->x && e->arg[1] == s->c)
		r = decide(ctx, (gb_op)e->op, s->side);
	else if (e->kind == GB_CALL &&
		 (e->fn == GB_FN_SIGN || e->fn == GB_FN_STEP))
		r = sided_jump(ctx, e, s, depth + 1);
	else
		r = gb_map_children(ctx, e, sided, s, depth);
	if (r && !gb_memo_put(&ctx->memo, MEMO_SIDED, e->id, s->serial, r))
		return gb_ctx_oom(ctx);
	return r;
}

const gb_node *gb_one_sided(gb_ctx *ctx, const gb_node *e, const gb_node *x,
			    const gb_node *c, int side)
{
	if (!e || !x || !c)
		return NULL;
	sided_cl cl = { x, c, side, ++ctx->serial };

	return sided(ctx, e, &cl, 0);
}

bool gb_is_undefined(gb_ctx *ctx, const gb_node *e)
{
	const gb_node *m;
	bool u = false;

	if (e->kind == GB_PIECEWISE && e->nargs == 0)
		return true;
	/* 0^-k: a division by zero (sqrt(x)' = 1/(2 sqrt(x)) at x = 0) */
	if (e->kind == GB_POW && gb_is_zero(e->arg[0]) &&
	    gb_is_negative_num(e->arg[1]))
		return true;
	if (e->nargs == 0)
		return false;
	m = gb_memo_get(&ctx->memo, MEMO_UNDEF, e->id, 0);
	if (m)
		return m == ctx->one;
	for (uint32_t i = 0; i < e->nargs && !u; i++)
		u = gb_is_undefined(ctx, e->arg[i]);
	if (!gb_memo_put(&ctx->memo, MEMO_UNDEF, e->id, 0,
			 u ? ctx->one : ctx->zero))
		ctx->oom = true;
	return u;
}

/* A growable list of distinct points. */
typedef struct points {
	const gb_node **v;
	size_t n, cap;
} points;

static void collect(gb_ctx *ctx, const gb_node *e, const gb_node *x,
		    points *p, uint32_t serial, uint32_t depth)
{
	if (e->nargs == 0 || ctx->oom || depth > 4 * ctx->limits.max_depth)
		return;
	if (!gb_depends(ctx, e, x))
		return;
	if (gb_memo_get(&ctx->memo, MEMO_SEEN, e->id, serial))
		return;
	if (!gb_memo_put(&ctx->memo, MEMO_SEEN, e->id, serial, e)) {
		ctx->oom = true;
		return;
	}
	if (e->kind == GB_CMP && e->arg[0] == x && !gb_depends(ctx, e->arg[1], x)) {
		for (size_t i = 0; i < p->n; i++)
			if (p->v[i] == e->arg[1])
				return;
		if (p->n == p->cap) {
			size_t cap = p->cap ? 2 * p->cap : 8;
			const gb_node **v = gb_ctx_alloc(ctx, cap * sizeof *v);

			if (!v)
				return;
			if (p->n)
				memcpy(v, p->v, p->n * sizeof *v);
			p->v = v;
			p->cap = cap;
		}
		p->v[p->n++] = e->arg[1];
		return;
	}
	if (e->kind == GB_CALL && (e->fn == GB_FN_SIGN || e->fn == GB_FN_ABS ||
				   e->fn == GB_FN_RELU || e->fn == GB_FN_STEP)) {
		/* The kink of f(u) is where u = 0: as the condition says. */
		const gb_node *c = gb_cmp(ctx, GB_OP_LT, e->arg[0], ctx->zero);

		if (c)
			collect(ctx, c, x, p, serial, depth + 1);
	}
	for (uint32_t i = 0; i < e->nargs; i++)
		collect(ctx, e->arg[i], x, p, serial, depth + 1);
}

static int cmp_points(const void *pa, const void *pb)
{
	return gb_node_cmp(*(const gb_node *const *)pa,
			   *(const gb_node *const *)pb);
}

size_t gb_kink_points(gb_ctx *ctx, const gb_node *e, const gb_node *x,
		      const gb_node ***out)
{
	points p = { NULL, 0, 0 };

	if (e && x)
		collect(ctx, e, x, &p, ++ctx->serial, 0);
	if (p.n > 1)
		qsort(p.v, p.n, sizeof *p.v, cmp_points);
	*out = p.v;
	return p.n;
}

/* a == b as a condition, decided when the two sides are the same node. */
static const gb_node *equal(gb_ctx *ctx, const gb_node *a, const gb_node *b)
{
	if (!a || !b)
		return NULL;
	if (a == b)
		return gb_true(ctx);
	return gb_cmp(ctx, GB_OP_EQ, gb_sub(ctx, a, b), ctx->zero);
}

/* Adds the branch (cond: v) to df: last when no branch of df can hold at
 * the point, first otherwise (branches are tried in order). */
static const gb_node *add_branch(gb_ctx *ctx, const gb_node *df,
				 const gb_node *cond, const gb_node *v,
				 const gb_node *x, const gb_node *c)
{
	const gb_node **a, *r;
	size_t n = 0;
	bool last = df->kind == GB_PIECEWISE && df->nargs % 2 == 0;

	if (last)
		for (uint32_t i = 0; i < df->nargs; i += 2)
			if (gb_subst(ctx, df->arg[i], x, c) != gb_false(ctx))
				last = false;
	a = gb_mem_alloc(&ctx->mem, (df->nargs + 3) * sizeof *a);
	if (!a)
		return gb_ctx_oom(ctx);
	if (!last) {
		a[n++] = cond;
		a[n++] = v;
	}
	if (df->kind == GB_PIECEWISE) {
		memcpy(a + n, df->arg, df->nargs * sizeof *a);
		n += df->nargs;
	} else {
		a[n++] = df;	/* otherwise: the derivative as it was */
	}
	if (last) {
		a[n++] = cond;
		a[n++] = v;
	}
	r = gb_piecewise(ctx, n, a);
	gb_mem_free(&ctx->mem, a);
	return r;
}

const gb_node *gb_resolve_kinks(gb_ctx *ctx, const gb_node *f,
				const gb_node *df, const gb_node *x)
{
	const gb_node **pts, **pts_f;
	size_t n, nf;

	if (!f || !df || !x || !gb_is_scalar(df) || x->kind != GB_SYM)
		return df;
	n = gb_kink_points(ctx, df, x, &pts);
	nf = gb_kink_points(ctx, f, x, &pts_f);
	for (size_t i = 0; i < n + nf; i++) {
		const gb_node *c = i < n ? pts[i] : pts_f[i - n];
		const gb_node *dl, *dr, *fl, *fr, *f0, *cs[4], *cond, *at;
		bool dup = false;

		for (size_t j = 0; j < n && i >= n; j++)
			dup |= pts[j] == c;
		if (dup)
			continue;
		/* Defined at c already (some branch holds there)? */
		at = gb_subst(ctx, df, x, c);
		if (!at)	/* out of memory or a limit */
			return NULL;
		if (!gb_is_undefined(ctx, at))
			continue;
		dl = gb_one_sided(ctx, df, x, c, -1);
		dr = gb_one_sided(ctx, df, x, c, 1);
		fl = gb_one_sided(ctx, f, x, c, -1);
		fr = gb_one_sided(ctx, f, x, c, 1);
		f0 = gb_subst(ctx, f, x, c);
		if (!dl || !dr || !fl || !fr || !f0)
			return NULL;
		if (gb_is_undefined(ctx, dl) || gb_is_undefined(ctx, dr) ||
		    gb_is_undefined(ctx, fl) || gb_is_undefined(ctx, fr) ||
		    gb_is_undefined(ctx, f0))
			continue;
		cs[0] = gb_cmp(ctx, GB_OP_EQ, x, c);
		cs[1] = equal(ctx, fl, f0);
		cs[2] = equal(ctx, fr, f0);
		cs[3] = equal(ctx, dl, dr);
		cond = gb_and(ctx, 4, cs);
		if (!cond)
			return NULL;
		if (cond == gb_false(ctx))
			continue;
		df = add_branch(ctx, df, cond, dr->size <= dl->size ? dr : dl,
				x, c);
		if (!df)
			return NULL;
	}
	return df;
}
