/*
 * simplify.c - ML-canonical rewrites and expansion (see simplify.h).
 *
 * Both passes are bottom-up over the DAG, memoised by node id, and
 * rebuild through the canonical constructors, so each result is
 * canonical and shared subterms are rewritten once.
 */
#include "calculus/simplify.h"

#include <string.h>

#include "calculus/subst.h"
#include "core/build.h"
#include "core/ctx.h"

enum {
	MEMO_SIMP = GB_MEMO_SIMPLIFY,
	MEMO_EXPAND = GB_MEMO_USER + 8
};

/* Largest power of a sum that gb_expand multiplies out. */
enum { EXPAND_MAX_POWER = 16 };

typedef const gb_node *(*rewrite_fn)(gb_ctx *ctx, const gb_node *e);

/* Rebuilds e from its rewritten children, then applies `local`. */
static const gb_node *bottom_up(gb_ctx *ctx, const gb_node *e, uint32_t tag,
				rewrite_fn local, uint32_t depth)
{
	const gb_node **a, *r;
	bool changed = false;

	if (!e || ctx->oom)
		return NULL;
	if (e->nargs == 0)
		return local(ctx, e);
	r = gb_memo_get(&ctx->memo, tag, e->id, 0);
	if (r)
		return r;
	if (depth > 4 * ctx->limits.max_depth) {
		ctx->too_big = true;
		return NULL;
	}
	a = gb_mem_alloc(&ctx->mem, e->nargs * sizeof *a);
	if (!a)
		return gb_ctx_oom(ctx);
	for (uint32_t i = 0; i < e->nargs; i++) {
		a[i] = bottom_up(ctx, e->arg[i], tag, local, depth + 1);
		if (!a[i]) {
			gb_mem_free(&ctx->mem, a);
			return NULL;
		}
		changed |= a[i] != e->arg[i];
	}
	r = changed ? gb_rebuild(ctx, e, a) : e;
	gb_mem_free(&ctx->mem, a);
	if (r)
		r = local(ctx, r);
	if (r && !gb_memo_put(&ctx->memo, tag, e->id, 0, r))
		return gb_ctx_oom(ctx);
	return r;
}

/* ------------------------------------------------------------ simplify */

/* If s is 1 + exp(u), returns u. */
static const gb_node *one_plus_exp(gb_ctx *ctx, const gb_node *s)
{
	if (s->kind == GB_ADD && s->nargs == 2 && s->arg[0] == ctx->one &&
	    s->arg[1]->kind == GB_CALL && s->arg[1]->fn == GB_FN_EXP)
		return s->arg[1]->arg[0];
	return NULL;
}

/*
 * In a product: exp(u) (1 + exp(u))^-1 -> sigmoid(u), a remaining
 * (1 + exp(u))^-1 -> sigmoid(-u), and exp(u) sigmoid(-u) -> sigmoid(u)
 * (children are simplified first, so the power may have become a
 * sigmoid already).
 */
static const gb_node *simp_mul(gb_ctx *ctx, const gb_node *e)
{
	const gb_node **f;
	const gb_node *r;
	bool changed = false;
	uint32_t n = e->nargs;

	f = gb_mem_alloc(&ctx->mem, n * sizeof *f);
	if (!f)
		return gb_ctx_oom(ctx);
	memcpy(f, e->arg, n * sizeof *f);
	for (uint32_t i = 0; i < n; i++) {
		const gb_node *u;

		if (f[i]->kind != GB_POW || f[i]->arg[1] != ctx->minus_one)
			continue;
		u = one_plus_exp(ctx, f[i]->arg[0]);
		if (!u)
			continue;
		changed = true;
		f[i] = NULL;
		for (uint32_t j = 0; j < n; j++)
			if (f[j] && f[j]->kind == GB_CALL &&
			    f[j]->fn == GB_FN_EXP && f[j]->arg[0] == u) {
				f[j] = ctx->one;
				f[i] = gb_call1(ctx, GB_FN_SIGMOID, u);
				break;
			}
		if (!f[i])
			f[i] = gb_call1(ctx, GB_FN_SIGMOID, gb_neg(ctx, u));
	}
	/* e^u sigmoid(-u) = e^u / (1 + e^u) = sigmoid(u) */
	for (uint32_t i = 0; i < n; i++) {
		const gb_node *u;

		if (!f[i] || f[i]->kind != GB_CALL || f[i]->fn != GB_FN_SIGMOID)
			continue;
		u = gb_neg(ctx, f[i]->arg[0]);
		for (uint32_t j = 0; j < n; j++)
			if (f[j] && f[j]->kind == GB_CALL &&
			    f[j]->fn == GB_FN_EXP && f[j]->arg[0] == u) {
				f[j] = ctx->one;
				f[i] = gb_call1(ctx, GB_FN_SIGMOID, u);
				changed = true;
				break;
			}
	}
	r = changed ? gb_mul(ctx, n, f) : e;
	gb_mem_free(&ctx->mem, f);
	return r;
}

static const gb_node *simp_local(gb_ctx *ctx, const gb_node *e)
{
	const gb_node *u;

	switch ((gb_kind)e->kind) {
	case GB_MUL:
		return simp_mul(ctx, e);
	case GB_POW:
		/* (1 + e^u)^-1 = sigmoid(-u) */
		if (e->arg[1] == ctx->minus_one &&
		    (u = one_plus_exp(ctx, e->arg[0])))
			return gb_call1(ctx, GB_FN_SIGMOID, gb_neg(ctx, u));
		return e;
	case GB_CALL:
		/* log(1 + e^u) = softplus(u) */
		if (e->fn == GB_FN_LOG && (u = one_plus_exp(ctx, e->arg[0])))
			return gb_call1(ctx, GB_FN_SOFTPLUS, u);
		return e;
	default:
		return e;
	}
}

const gb_node *gb_simplify(gb_ctx *ctx, const gb_node *e)
{
	return bottom_up(ctx, e, MEMO_SIMP, simp_local, 0);
}

/* -------------------------------------------------------------- expand */

/* The product of a list of factors, distributed over every sum in it. */
static const gb_node *distribute(gb_ctx *ctx, size_t n,
				 const gb_node *const *f)
{
	const gb_node *acc = ctx->one;

	for (size_t i = 0; i < n && acc; i++) {
		const gb_node *g = f[i];
		size_t na = acc->kind == GB_ADD ? acc->nargs : 1;
		size_t ng = g->kind == GB_ADD ? g->nargs : 1;
		const gb_node **t;

		if (na == 1 && ng == 1) {
			acc = gb_mul2(ctx, acc, g);
			continue;
		}
		t = gb_mem_alloc(&ctx->mem, na * ng * sizeof *t);
		if (!t)
			return gb_ctx_oom(ctx);
		for (size_t a = 0; a < na; a++)
			for (size_t b = 0; b < ng; b++)
				t[a * ng + b] = gb_mul2(ctx,
					na > 1 ? acc->arg[a] : acc,
					ng > 1 ? g->arg[b] : g);
		acc = gb_add(ctx, na * ng, t);
		gb_mem_free(&ctx->mem, t);
	}
	return acc;
}

static const gb_node *expand_local(gb_ctx *ctx, const gb_node *e)
{
	if (e->kind == GB_POW && e->arg[0]->kind == GB_ADD &&
	    gb_is_integer(e->arg[1]) && mpq_sgn(e->arg[1]->u.q) > 0 &&
	    mpz_cmp_ui(mpq_numref(e->arg[1]->u.q), EXPAND_MAX_POWER) <= 0) {
		unsigned long k = mpz_get_ui(mpq_numref(e->arg[1]->u.q));
		const gb_node *f[EXPAND_MAX_POWER];

		for (unsigned long i = 0; i < k; i++)
			f[i] = e->arg[0];
		return distribute(ctx, k, f);
	}
	if (e->kind == GB_MUL) {
		bool has_sum = false;

		for (uint32_t i = 0; i < e->nargs; i++)
			has_sum |= e->arg[i]->kind == GB_ADD;
		if (has_sum)
			return distribute(ctx, e->nargs, e->arg);
	}
	return e;
}

const gb_node *gb_expand(gb_ctx *ctx, const gb_node *e)
{
	return bottom_up(ctx, e, MEMO_EXPAND, expand_local, 0);
}
