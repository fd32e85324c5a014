/*
 * simplify.c - ML-canonical rewrites and expansion (see simplify.h).
 *
 * Both passes are bottom-up over the DAG, memoised by node id, and
 * rebuild through the canonical constructors, so each result is
 * canonical and shared subterms are rewritten once.
 */
#include "calculus/simplify.h"

#include <stdint.h>
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

/* A bottom-up pass: `local` applied to each node, memoised under tag. */
typedef struct pass_cl {
	uint32_t tag;
	rewrite_fn local;
} pass_cl;

/* Rebuilds e from its rewritten children, then applies `local`. */
static const gb_node *bottom_up(gb_ctx *ctx, const gb_node *e, const void *v,
				uint32_t depth)
{
	const pass_cl *p = v;
	const gb_node *r;

	if (!e || ctx->oom)
		return NULL;
	if (e->nargs == 0)
		return p->local(ctx, e);
	r = gb_memo_get(&ctx->memo, p->tag, e->id, 0);
	if (r)
		return r;
	if (depth > 4 * ctx->limits.max_depth) {
		gb_ctx_limit(ctx, GB_LIMIT_DEPTH);
		return NULL;
	}
	r = gb_map_children(ctx, e, bottom_up, v, depth);
	if (r)
		r = p->local(ctx, r);
	if (r && !gb_memo_put(&ctx->memo, p->tag, e->id, 0, r))
		return gb_ctx_oom(ctx);
	return r;
}

/* Runs the pass `local` over e. */
static const gb_node *run_pass(gb_ctx *ctx, const gb_node *e, uint32_t tag,
			       rewrite_fn local)
{
	pass_cl p = { tag, local };

	return bottom_up(ctx, e, &p, 0);
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

/* ------------------------------------------------------------ piecewise */

/* Largest number of branches lifting may create from one node. */
enum { LIFT_MAX_BRANCHES = 32 };

static bool is_piecewise(const gb_node *e)
{
	return e->kind == GB_PIECEWISE && e->nargs > 0 && gb_is_scalar(e);
}

/*
 * Lifts piecewise operands of a sum or product to the top:
 *
 *   op(..., piecewise(c1: a1, ..., [otherwise: a0]), ...)
 *     = piecewise(c1: op(..., a1, ...), ..., [otherwise: op(..., a0, ...)])
 *
 * and for several piecewise operands the branches of the product of
 * their branch lists, in lexicographic order, with the conditions joined
 * by "and" (an otherwise-branch taking the condition true). Ordered
 * evaluation makes this exact: at a point, the first combination that
 * holds pairs the first branch of each operand that holds, and when some
 * operand has no branch there, neither has the result.
 */
static const gb_node *lift(gb_ctx *ctx, const gb_node *e)
{
	size_t total = 1, npw = 0;
	const gb_node **conds = NULL, **vals = NULL, **ops = NULL, *r = NULL;
	size_t *idx = NULL, nb = 0;

	for (uint32_t i = 0; i < e->nargs; i++)
		if (is_piecewise(e->arg[i])) {
			total *= (e->arg[i]->nargs + 1) / 2;
			npw++;
			if (total > LIFT_MAX_BRANCHES)
				return e;
		}
	if (!npw)
		return e;
	conds = gb_mem_alloc(&ctx->mem, npw * sizeof *conds);	/* one combination */
	vals = gb_mem_alloc(&ctx->mem, 2 * total * sizeof *vals);
	ops = gb_mem_alloc(&ctx->mem, e->nargs * sizeof *ops);
	idx = gb_mem_alloc(&ctx->mem, e->nargs * sizeof *idx);
	if (!conds || !vals || !ops || !idx) {
		ctx->oom = true;
		goto out;
	}
	memset(idx, 0, e->nargs * sizeof *idx);
	for (;;) {
		/* the combination idx: one branch of every piecewise operand */
		const gb_node **cs = conds;
		size_t nc = 0;

		for (uint32_t i = 0; i < e->nargs; i++) {
			const gb_node *p = e->arg[i];

			if (!is_piecewise(p)) {
				ops[i] = p;
				continue;
			}
			if (2 * idx[i] + 1 < p->nargs) {
				cs[nc++] = p->arg[2 * idx[i]];
				ops[i] = p->arg[2 * idx[i] + 1];
			} else {	/* the otherwise-value */
				ops[i] = p->arg[p->nargs - 1];
			}
		}
		vals[2 * nb] = gb_and(ctx, nc, cs);
		vals[2 * nb + 1] = gb_rebuild(ctx, e, ops);
		nb++;
		/* next combination, the last operand varying fastest */
		{
			uint32_t i = e->nargs;

			while (i-- > 0) {
				const gb_node *p = e->arg[i];

				if (!is_piecewise(p))
					continue;
				if (++idx[i] < (p->nargs + 1) / 2)
					break;
				idx[i] = 0;
			}
			if (i == UINT32_MAX)
				break;
		}
	}
	r = gb_piecewise(ctx, 2 * nb, vals);
out:
	gb_mem_free(&ctx->mem, conds);
	gb_mem_free(&ctx->mem, vals);
	gb_mem_free(&ctx->mem, ops);
	gb_mem_free(&ctx->mem, idx);
	return r;
}

/*
 * The sign of u implied by a bound of cond (a conjunction of bounds):
 * 1 when u > 0 or u >= 0 follows, -1 when u < 0 or u <= 0, 0 unknown.
 */
static int sign_under(const gb_node *cond, const gb_node *u)
{
	const gb_node *const *b = &cond;
	uint32_t n = 1;

	if (cond->kind == GB_AND) {
		b = cond->arg;
		n = cond->nargs;
	}
	for (uint32_t i = 0; i < n; i++) {
		const gb_node *c = b[i];
		int s;

		if (c->kind != GB_CMP || c->arg[0] != u ||
		    c->arg[1]->kind != GB_NUM)
			continue;
		s = mpq_sgn(c->arg[1]->u.q);
		if ((c->op == GB_OP_GT || c->op == GB_OP_GE || c->op == GB_OP_EQ) &&
		    s >= 0)
			return s > 0 || c->op != GB_OP_EQ ? 1 : 0;
		if ((c->op == GB_OP_LT || c->op == GB_OP_LE || c->op == GB_OP_EQ) &&
		    s <= 0)
			return s < 0 || c->op != GB_OP_EQ ? -1 : 0;
	}
	return 0;
}

/*
 * e rewritten under the assumption cond: |u|, sign(u) and relu(u)
 * resolved where cond fixes the sign of u (x < 0 makes |x| = -x), and
 * comparisons that cond decides replaced by their value. Where cond
 * allows u = 0 (x >= 0) the rewrites still hold: |0| = 0 = 0, relu(0) = 0;
 * sign is rewritten only under a strict bound.
 */
static const gb_node *refine(gb_ctx *ctx, const gb_node *e, const void *v,
			     uint32_t depth)
{
	const gb_node *cond = v;

	if (e->nargs == 0 || ctx->oom || depth > ctx->limits.max_depth)
		return e;
	if (e->kind == GB_CALL && e->nargs == 1 &&
	    (e->fn == GB_FN_ABS || e->fn == GB_FN_SIGN || e->fn == GB_FN_RELU)) {
		int s = sign_under(cond, e->arg[0]);
		const gb_node *u = e->arg[0];

		if (s && e->fn == GB_FN_ABS)
			return s > 0 ? u : gb_neg(ctx, u);
		if (s && e->fn == GB_FN_RELU)
			return s > 0 ? u : ctx->zero;
		if (s && e->fn == GB_FN_SIGN) {
			const gb_node *b[2] = { cond, gb_cmp(ctx, GB_OP_EQ, u,
							   ctx->zero) };

			/* strict: cond excludes u = 0 */
			if (gb_and(ctx, 2, b) == gb_false(ctx))
				return s > 0 ? ctx->one : ctx->minus_one;
		}
	}
	if (e->kind == GB_CMP) {
		const gb_node *b[2] = { cond, e };

		if (gb_and(ctx, 2, b) == cond)
			return gb_true(ctx);	/* implied by cond */
		if (gb_and(ctx, 2, b) == gb_false(ctx))
			return gb_false(ctx);	/* excluded by cond */
		return e;
	}
	return gb_map_children(ctx, e, refine, cond, depth);
}

/* Each branch value of a piecewise refined under its own condition. */
static const gb_node *refine_branches(gb_ctx *ctx, const gb_node *e)
{
	const gb_node **a, *r;
	bool changed = false;

	if (!is_piecewise(e))
		return e;
	a = gb_mem_alloc(&ctx->mem, e->nargs * sizeof *a);
	if (!a)
		return gb_ctx_oom(ctx);
	memcpy(a, e->arg, e->nargs * sizeof *a);
	for (uint32_t i = 0; i + 1 < e->nargs; i += 2) {
		const gb_node *cond = e->arg[i];

		a[i + 1] = gb_simplify(ctx, refine(ctx, e->arg[i + 1], cond, 0));
		if (!a[i + 1]) {
			gb_mem_free(&ctx->mem, a);
			return NULL;
		}
		changed |= a[i + 1] != e->arg[i + 1];
	}
	r = changed ? gb_piecewise(ctx, e->nargs, a) : e;
	gb_mem_free(&ctx->mem, a);
	return r;
}

/* The exponent k > 0 of B^-k among the factors of term t, else 0. */
static long den_power(const gb_node *t, const gb_node *b)
{
	const gb_node *const *f = &t;
	uint32_t n = 1;

	if (t->kind == GB_MUL) {
		f = t->arg;
		n = t->nargs;
	}
	for (uint32_t i = 0; i < n; i++)
		if (f[i]->kind == GB_POW && f[i]->arg[0] == b &&
		    gb_is_integer(f[i]->arg[1]) && mpq_sgn(f[i]->arg[1]->u.q) < 0 &&
		    mpz_fits_slong_p(mpq_numref(f[i]->arg[1]->u.q)))
			return -mpz_get_si(mpq_numref(f[i]->arg[1]->u.q));
	return 0;
}

/*
 * A sum whose terms share a denominator base B (a sum), over the common
 * denominator B^K, K the largest power:
 *     sum t_i  =  expand(sum t_i B^K) / B^K,
 * kept only when the result is smaller: 1/(1 + x) - x/(1 + x)^2 becomes
 * 1/(1 + x)^2. Exact wherever the terms are defined (B != 0).
 */
static const gb_node *together(gb_ctx *ctx, const gb_node *e)
{
	const gb_node *b = NULL, *bk, *num, *r;
	const gb_node **t;
	long k = 0;

	for (uint32_t i = 0; i < e->nargs && !b; i++) {
		const gb_node *const *f = &e->arg[i];
		uint32_t n = 1;

		if (e->arg[i]->kind == GB_MUL) {
			f = e->arg[i]->arg;
			n = e->arg[i]->nargs;
		}
		for (uint32_t j = 0; j < n && !b; j++)
			if (f[j]->kind == GB_POW && f[j]->arg[0]->kind == GB_ADD &&
			    gb_is_integer(f[j]->arg[1]) &&
			    mpq_sgn(f[j]->arg[1]->u.q) < 0)
				b = f[j]->arg[0];
	}
	if (!b)
		return e;
	for (uint32_t i = 0; i < e->nargs; i++) {
		long p = den_power(e->arg[i], b);

		if (p > k)
			k = p;
	}
	if (k <= 0 || k > 16)
		return e;
	t = gb_mem_alloc(&ctx->mem, e->nargs * sizeof *t);
	if (!t)
		return gb_ctx_oom(ctx);
	bk = gb_pow_si(ctx, b, k);
	for (uint32_t i = 0; i < e->nargs; i++)
		t[i] = gb_mul2(ctx, e->arg[i], bk);
	num = gb_expand(ctx, gb_add(ctx, e->nargs, t));
	gb_mem_free(&ctx->mem, t);
	r = gb_div(ctx, num, bk);
	return r && r->size < e->size ? r : e;
}

static const gb_node *simp_local(gb_ctx *ctx, const gb_node *e)
{
	const gb_node *u;

	switch ((gb_kind)e->kind) {
	case GB_ADD:
		e = lift(ctx, e);
		if (e && e->kind == GB_ADD)
			return together(ctx, e);
		return e ? refine_branches(ctx, e) : NULL;
	case GB_PIECEWISE:
		return refine_branches(ctx, e);
	case GB_MUL:
		e = lift(ctx, e);
		if (!e)
			return NULL;
		if (e->kind == GB_PIECEWISE)
			return refine_branches(ctx, e);
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
	return run_pass(ctx, e, MEMO_SIMP, simp_local);
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
	return run_pass(ctx, e, MEMO_EXPAND, expand_local);
}
