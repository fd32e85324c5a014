/*
 * smooth.c - smoothness classes (see smooth.h for the method).
 *
 * Notation: c is the point under study, s in {-1, 0, +1} the side (just
 * left of c, at c, just right of c), P_s the piece of f that holds on
 * that side: f with every switch (condition, abs, sign, relu, max, min)
 * decided as it is for x near c on side s. P_s is analytic near c, so
 * its derivatives at c are the one-sided limits of f's derivatives.
 *
 * Deciding a switch needs the sign of an analytic u near c from side s.
 * By Taylor's theorem u(c + s h) = u^(j)(c) (s h)^j / j! + O(h^(j+1))
 * for the first j with u^(j)(c) != 0, so that sign is s^j sign(u^(j)(c)).
 * The values u^(j)(c) are exact when c is exact and the pieces are
 * rational; otherwise they are evaluated with MPFR at PREC bits and a
 * value below TOL_BITS (relative) counts as zero. A numerical point c is
 * a rational within 2^-160 of a simple zero of its argument.
 */
#include "calculus/smooth.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <mpfr.h>

#include "calculus/diff.h"
#include "calculus/kinks.h"
#include "calculus/simplify.h"
#include "calculus/subst.h"
#include "core/build.h"
#include "core/ctx.h"
#include "core/strbuf.h"
#include "front/diag.h"
#include "numeric/eval.h"

enum {
	MEMO_PIECE = GB_MEMO_USER + 20,	/* (node, serial) -> piece */
	MEMO_HASSYM,			/* (node, 0) -> one / zero */
	MEMO_SWITCH			/* (node, serial) -> visited */
};

enum {
	PREC = 320,		/* working precision of numeric tests, bits */
	TOL_BITS = 120,		/* |v| <= 2^-TOL_BITS (1 + scale) counts as 0 */
	GRID = 16,		/* grid points per unit in the numeric search */
	BISECT = 170,		/* bisection steps: width 2^-174 */
	MAX_POINTS = 256,	/* candidate points kept */
	MAX_ROOTS = 8,		/* roots one exact inversion may give */
	SIGN_ORDER = 16		/* derivatives tried to find a sign */
};

enum { UNKNOWN = 2 };			/* a sign that could not be decided */
typedef enum { EQUAL, DIFFER, CONDITIONAL, NOVALUE } verdict_eq;

/* The state of one analysis. */
typedef struct sm {
	gb_ctx *ctx;
	const gb_node *x;
	const gb_node *c;	/* the point under study */
	bool numeric;		/* c approximates a zero */
	int side;		/* of the current piece pass */
	uint32_t serial;	/* of the current piece pass */
	const gb_node **env;	/* bindings, with x settable */
	size_t nenv;
	bool failed;		/* out of memory or a node limit */
} sm;

/* ------------------------------------------------------------- helpers */

/* Does e contain a symbol (a parameter: bindings are substituted)? */
static bool has_syms(gb_ctx *ctx, const gb_node *e)
{
	const gb_node *m;
	bool r = false;

	if (e->kind == GB_SYM)
		return true;
	if (e->nargs == 0)
		return false;
	m = gb_memo_get(&ctx->memo, MEMO_HASSYM, e->id, 0);
	if (m)
		return m == ctx->one;
	for (uint32_t i = 0; i < e->nargs && !r; i++)
		r = has_syms(ctx, e->arg[i]);
	if (!gb_memo_put(&ctx->memo, MEMO_HASSYM, e->id, 0,
			 r ? ctx->one : ctx->zero))
		ctx->oom = true;
	return r;
}

/* Is e free of kinks: no abs, sign, relu, max, min, piecewise on x? */
static bool analytic(gb_ctx *ctx, const gb_node *e, const gb_node *x)
{
	if (e->nargs == 0 || !gb_depends(ctx, e, x))
		return true;
	if (e->kind == GB_PIECEWISE)
		return false;
	if (e->kind == GB_CALL &&
	    (e->fn == GB_FN_ABS || e->fn == GB_FN_SIGN || e->fn == GB_FN_RELU ||
	     e->fn == GB_FN_MAX || e->fn == GB_FN_MIN))
		return false;
	for (uint32_t i = 0; i < e->nargs; i++)
		if (!analytic(ctx, e->arg[i], x))
			return false;
	return true;
}

/*
 * The sign of e when it is certain from its form and the sign
 * assumptions of parameters (param alpha > 0): +1, -1, or 0 when not
 * known (0 is never claimed for a non-number).
 */
static int strict_sign(const gb_node *e)
{
	int s, t;

	switch ((gb_kind)e->kind) {
	case GB_NUM:
		return mpq_sgn(e->u.q);
	case GB_CONST:
		return 1;
	case GB_SYM:
		return e->u.sym->sign == 1 ? 1 : e->u.sym->sign == -1 ? -1 : 0;
	case GB_POW:
		s = strict_sign(e->arg[0]);
		if (s > 0)
			return 1;
		if (s < 0 && gb_is_integer(e->arg[1]))
			return mpz_odd_p(mpq_numref(e->arg[1]->u.q)) ? -1 : 1;
		return 0;
	case GB_MUL:
		s = 1;
		for (uint32_t i = 0; i < e->nargs && s; i++)
			s *= strict_sign(e->arg[i]);
		return s;
	case GB_ADD:
		s = strict_sign(e->arg[0]);
		for (uint32_t i = 1; i < e->nargs && s; i++)
			if ((t = strict_sign(e->arg[i])) != s)
				s = 0;
		return s;
	case GB_CALL:
		switch (e->fn) {
		case GB_FN_EXP:
		case GB_FN_SIGMOID:
		case GB_FN_SOFTPLUS:
		case GB_FN_COSH:
		case GB_FN_ERFC:
			return 1;
		case GB_FN_SQRT:
			return strict_sign(e->arg[0]) > 0;
		case GB_FN_SINH:
		case GB_FN_TANH:
		case GB_FN_ATAN:
		case GB_FN_ASINH:
		case GB_FN_ERF:
			return strict_sign(e->arg[0]);
		default:
			return 0;
		}
	default:
		return 0;
	}
}

/* Drops the diagnostics reported after (tail, errors). */
static void forget_diags(gb_ctx *ctx, gb_diag *tail, size_t errors)
{
	if (tail)
		tail->next = NULL;
	else
		ctx->diag_head = NULL;
	ctx->diag_tail = tail;
	ctx->nerrors = errors;
}

/*
 * Evaluates e (a scalar) at PREC bits into r; false when it is undefined
 * there. Failures are expected (a domain boundary) and not diagnosed.
 */
static bool num(sm *S, const gb_node *e, mpfr_ptr r)
{
	gb_ctx *ctx = S->ctx;
	gb_diag *tail = ctx->diag_tail;
	size_t errors = ctx->nerrors;
	gb_value *v = NULL;
	bool ok;

	if (!e || gb_is_undefined(ctx, e) || !gb_is_scalar(e))
		return false;
	if (e->kind == GB_NUM) {
		mpfr_set_q(r, e->u.q, MPFR_RNDN);
		return true;
	}
	ok = gb_eval_node(ctx, e, S->env, S->nenv, PREC, &v) == GB_OK;
	if (ok) {
		mpfr_set(r, gb_value_at(v, 0, 0), MPFR_RNDN);
		ok = mpfr_number_p(r) != 0;
		gb_value_free(v);
	} else {
		forget_diags(ctx, tail, errors);
	}
	return ok;
}

/* Is |v| <= 2^-TOL_BITS (1 + |scale|)? */
static bool tiny(mpfr_srcptr v, mpfr_srcptr scale)
{
	mpfr_t t;
	bool r;

	if (mpfr_zero_p(v))
		return true;
	mpfr_init2(t, PREC);
	mpfr_abs(t, scale, MPFR_RNDU);
	mpfr_add_ui(t, t, 1, MPFR_RNDU);
	mpfr_mul_2si(t, t, -TOL_BITS, MPFR_RNDU);
	r = mpfr_cmpabs(v, t) <= 0;
	mpfr_clear(t);
	return r;
}

/*
 * The sign of a value v free of x: -1, 0, +1, or UNKNOWN when it depends
 * on parameters in an undecided way or is undefined. Exact numbers are
 * decided exactly unless the point is numerical.
 */
static int value_sign(sm *S, const gb_node *v)
{
	mpfr_t r;
	int s;

	if (!v || gb_is_undefined(S->ctx, v))
		return UNKNOWN;
	if (v->kind == GB_NUM && !S->numeric)
		return mpq_sgn(v->u.q);
	if (has_syms(S->ctx, v)) {
		s = strict_sign(v);
		return s ? s : UNKNOWN;
	}
	mpfr_init2(r, PREC);
	if (!num(S, v, r))
		s = UNKNOWN;
	else if (tiny(r, r))
		s = 0;
	else
		s = mpfr_sgn(r) > 0 ? 1 : -1;
	mpfr_clear(r);
	return s;
}

/* e at x = c (e analytic near c). */
static const gb_node *at(sm *S, const gb_node *e)
{
	return gb_subst(S->ctx, e, S->x, S->c);
}

/*
 * The sign of the analytic u near c on side s (0: at c): s^j times the
 * sign of the first non-zero u^(j)(c). 0 when u vanishes to every order
 * tried (u is 0 near c), UNKNOWN when a value cannot be decided.
 */
static int near_sign(sm *S, const gb_node *u, int side)
{
	const gb_node *d = u;

	for (int j = 0; j <= SIGN_ORDER && d; j++) {
		int s;

		s = value_sign(S, at(S, d));
		if (s == UNKNOWN)
			return UNKNOWN;
		if (s != 0)
			return side < 0 && j % 2 == 1 ? -s : s;
		if (side == 0 || !gb_depends(S->ctx, d, S->x))
			return 0;	/* u = 0 at c, or near c */
		d = gb_expand(S->ctx, gb_diff(S->ctx, d, S->x));
	}
	if (!d)
		S->failed = true;
	return UNKNOWN;
}

static bool op_holds(gb_op op, int s)
{
	switch (op) {
	case GB_OP_LT:
		return s < 0;
	case GB_OP_LE:
		return s <= 0;
	case GB_OP_GT:
		return s > 0;
	case GB_OP_GE:
		return s >= 0;
	case GB_OP_EQ:
		return s == 0;
	default:
		return s != 0;
	}
}

/* ------------------------------------------------------------- pieces */

static const gb_node *piece(sm *S, const gb_node *e, uint32_t depth);

/* The sign near c of a - b, pieces already. */
static int diff_sign(sm *S, const gb_node *a, const gb_node *b)
{
	return near_sign(S, gb_sub(S->ctx, a, b), S->side);
}

/* max (want > 0) or min (want < 0) of pieced arguments a[0..n). */
static const gb_node *piece_minmax(sm *S, const gb_node *e,
				   const gb_node **a, int want)
{
	for (uint32_t i = 0; i < e->nargs; i++) {
		bool best = true;

		for (uint32_t j = 0; j < e->nargs && best; j++) {
			int s;

			if (j == i || a[j] == a[i])
				continue;
			s = diff_sign(S, a[i], a[j]);
			best = s != UNKNOWN && s * want >= 0;
		}
		if (best)
			return a[i];
	}
	return gb_rebuild(S->ctx, e, a);
}

/* abs, sign, relu of the pieced argument u. */
static const gb_node *piece_switch(sm *S, const gb_node *e, const gb_node *u)
{
	gb_ctx *ctx = S->ctx;
	int s = near_sign(S, u, S->side);

	if (s == UNKNOWN)
		return gb_call1(ctx, (gb_fn)e->fn, u);
	switch (e->fn) {
	case GB_FN_ABS:
		return s < 0 ? gb_neg(ctx, u) : s > 0 ? u : ctx->zero;
	case GB_FN_RELU:
		return s > 0 ? u : ctx->zero;
	default:	/* sign */
		return s < 0 ? ctx->minus_one : s > 0 ? ctx->one : ctx->zero;
	}
}

static const gb_node *piece(sm *S, const gb_node *e, uint32_t depth)
{
	gb_ctx *ctx = S->ctx;
	const gb_node **a, *r;

	if (!e || S->failed)
		return NULL;
	if (e->nargs == 0 || !gb_depends(ctx, e, S->x))
		return e;
	r = gb_memo_get(&ctx->memo, MEMO_PIECE, e->id, S->serial);
	if (r)
		return r;
	if (depth > 4 * ctx->limits.max_depth) {
		gb_ctx_limit(ctx, GB_LIMIT_DEPTH);
		return NULL;
	}
	a = gb_mem_alloc(&ctx->mem, e->nargs * sizeof *a);
	if (!a)
		return gb_ctx_oom(ctx);
	for (uint32_t i = 0; i < e->nargs; i++)
		if (!(a[i] = piece(S, e->arg[i], depth + 1))) {
			gb_mem_free(&ctx->mem, a);
			return NULL;
		}
	if (e->kind == GB_CMP) {
		int s = diff_sign(S, a[0], a[1]);

		if (s == UNKNOWN)
			r = gb_cmp(ctx, (gb_op)e->op, a[0], a[1]);
		else
			r = op_holds((gb_op)e->op, s) ? gb_true(ctx) : gb_false(ctx);
	} else if (e->kind == GB_CALL && (e->fn == GB_FN_ABS ||
					  e->fn == GB_FN_SIGN ||
					  e->fn == GB_FN_RELU)) {
		r = piece_switch(S, e, a[0]);
	} else if (e->kind == GB_CALL && (e->fn == GB_FN_MAX ||
					  e->fn == GB_FN_MIN)) {
		r = piece_minmax(S, e, a, e->fn == GB_FN_MAX ? 1 : -1);
	} else {
		r = gb_rebuild(ctx, e, a);
	}
	gb_mem_free(&ctx->mem, a);
	if (r && !gb_memo_put(&ctx->memo, MEMO_PIECE, e->id, S->serial, r))
		return gb_ctx_oom(ctx);
	return r;
}

/* The piece of f on side s of the current point. */
static const gb_node *piece_of(sm *S, const gb_node *f, int side)
{
	S->side = side;
	S->serial = ++S->ctx->serial;
	return piece(S, f, 0);
}

/* ----------------------------------------------------------- equality */

/* Is a defined (a value free of x)? */
static bool defined(sm *S, const gb_node *a)
{
	mpfr_t r;
	bool ok;

	if (!a || gb_is_undefined(S->ctx, a))
		return false;
	if (a->kind == GB_NUM || has_syms(S->ctx, a))
		return true;
	mpfr_init2(r, PREC);
	ok = num(S, a, r);
	mpfr_clear(r);
	return ok;
}

/* Could p == v hold for a parameter p under its sign assumption? */
static bool possible(const gb_node *cond)
{
	const gb_node *p, *v;
	int sv;

	if (cond->kind != GB_CMP || cond->op != GB_OP_EQ)
		return true;
	p = cond->arg[0];
	v = cond->arg[1];
	if (p->kind != GB_SYM || v->kind != GB_NUM)
		return true;
	sv = mpq_sgn(v->u.q);
	switch (p->u.sym->sign) {
	case 1:
		return sv > 0;
	case 2:
		return sv >= 0;
	case -1:
		return sv < 0;
	case -2:
		return sv <= 0;
	default:
		return true;
	}
}

/*
 * a = b? EQUAL, DIFFER, or CONDITIONAL with *cond the condition on
 * parameters under which they agree.
 */
static verdict_eq same(sm *S, const gb_node *a, const gb_node *b,
		       const gb_node **cond)
{
	gb_ctx *ctx = S->ctx;
	const gb_node *d = gb_sub(ctx, a, b);
	mpfr_t ra, rb, rd;
	verdict_eq v;

	*cond = NULL;
	if (!d) {
		S->failed = true;
		return DIFFER;
	}
	if (gb_is_zero(d))
		return EQUAL;
	if (d->kind == GB_NUM && !S->numeric)
		return DIFFER;
	if (has_syms(ctx, d)) {
		const gb_node *c;
		int cv;

		d = gb_expand(ctx, d);
		if (!d) {
			S->failed = true;
			return DIFFER;
		}
		if (gb_is_zero(d))
			return EQUAL;
		if (strict_sign(d))
			return DIFFER;
		c = gb_cmp(ctx, GB_OP_EQ, d, ctx->zero);
		if (!c) {
			S->failed = true;
			return DIFFER;
		}
		cv = gb_cond_value(c);
		if (cv >= 0)
			return cv ? EQUAL : DIFFER;
		if (!possible(c))
			return DIFFER;
		*cond = c;
		return CONDITIONAL;
	}
	mpfr_inits2(PREC, ra, rb, rd, (mpfr_ptr)0);
	if (!num(S, a, ra) || !num(S, b, rb) || !num(S, d, rd)) {
		v = DIFFER;
	} else {
		mpfr_abs(ra, ra, MPFR_RNDU);
		mpfr_abs(rb, rb, MPFR_RNDU);
		mpfr_add(ra, ra, rb, MPFR_RNDU);
		v = tiny(rd, ra) ? EQUAL : DIFFER;
	}
	mpfr_clears(ra, rb, rd, (mpfr_ptr)0);
	return v;
}

/* ----------------------------------------------------- one point's class */

typedef struct verdict {
	int cls;		/* class at the point, GB_C_INF: no exception */
	bool at_least;
	unsigned order;
	gb_break what;
	const gb_node *left, *right, *value, *cond;
} verdict;

/* Are the pieces the same function? */
static bool same_piece(sm *S, const gb_node *pl, const gb_node *pr)
{
	const gb_node *d;

	if (pl == pr)
		return true;
	d = gb_expand(S->ctx, gb_sub(S->ctx, pl, pr));
	return d && gb_is_zero(d);
}

/*
 * Compares the pieces pl, pr (and the value fc at c) from derivative
 * order `from` on. Stops at the first order where they differ or agree
 * only under a condition on parameters.
 */
static verdict judge(sm *S, const gb_node *pl, const gb_node *pr,
		     const gb_node *fc, unsigned from)
{
	gb_ctx *ctx = S->ctx;
	verdict v = { GB_C_INF, false, 0, GB_BREAK_NONE, NULL, NULL, NULL, NULL };
	const gb_node *dl = pl, *dr = pr, *cond;

	for (unsigned k = 0; k <= GB_SMOOTH_MAX_ORDER; k++) {
		const gb_node *l, *r;
		bool ld, rd;
		verdict_eq q;

		if (k > 0) {
			dl = gb_expand(ctx, gb_diff(ctx, dl, S->x));
			dr = gb_expand(ctx, gb_diff(ctx, dr, S->x));
			if (!dl || !dr) {
				S->failed = true;
				return v;
			}
		}
		if (k < from)
			continue;
		l = at(S, dl);
		r = at(S, dr);
		ld = defined(S, l);
		rd = defined(S, r);
		v.order = k;
		v.left = ld ? l : NULL;
		v.right = rd ? r : NULL;
		v.cls = (int)k - 1;
		if (k == 0) {
			bool fd = defined(S, fc);

			v.value = fd ? fc : NULL;
			if (!ld || !rd) {
				v.what = GB_BREAK_LIMIT;
				return v;
			}
			q = same(S, l, r, &cond);
			if (q == DIFFER) {
				v.what = GB_BREAK_JUMP;
				return v;
			}
			if (q == CONDITIONAL) {
				v.what = GB_BREAK_JUMP;
				v.cond = cond;
				return v;
			}
			if (!fd || same(S, l, fc, &cond) != EQUAL) {
				v.what = GB_BREAK_HOLE;
				return v;
			}
			if (same_piece(S, pl, pr)) {
				v.cls = GB_C_INF;
				v.left = v.right = v.value = NULL;
				return v;
			}
			continue;
		}
		v.what = GB_BREAK_DERIV;
		if (!ld || !rd)
			return v;
		q = same(S, l, r, &cond);
		if (q == DIFFER)
			return v;
		if (q == CONDITIONAL) {
			v.cond = cond;
			return v;
		}
	}
	/* Every one-sided derivative up to the maximum order agrees. */
	v.cls = GB_SMOOTH_MAX_ORDER;
	v.at_least = true;
	v.what = GB_BREAK_NONE;
	v.left = v.right = v.value = v.cond = NULL;
	return v;
}

/* Analyses f at the point S->c into *p; false when c is no exception. */
static bool study(sm *S, const gb_node *f, gb_smooth_point *p)
{
	gb_ctx *ctx = S->ctx;
	const gb_node *pl, *pr, *p0, *fc;
	verdict v;

	pl = piece_of(S, f, -1);
	pr = piece_of(S, f, 1);
	p0 = piece_of(S, f, 0);
	if (!pl || !pr || !p0) {
		S->failed = true;
		return false;
	}
	fc = at(S, p0);
	v = judge(S, pl, pr, fc, 0);
	if (S->failed || v.cls == GB_C_INF)
		return false;
	/* A domain boundary (log at 0), not a kink. */
	if (v.what == GB_BREAK_LIMIT && !v.value && v.order == 0)
		return false;
	memset(p, 0, sizeof *p);
	p->at = S->c;
	p->numeric = S->numeric;
	p->cls = v.cls;
	p->at_least = v.at_least;
	p->order = v.order;
	p->what = v.what;
	p->left = v.left;
	p->right = v.right;
	p->value = v.value;
	p->cond = v.cond;
	p->cls_if = v.cls;
	if (v.cond) {
		/*
		 * Under p == value (one parameter fixed) the analysis goes
		 * on from the same order; otherwise only "at least" is known.
		 */
		const gb_node *cd = v.cond;

		if (cd->kind == GB_CMP && cd->arg[0]->kind == GB_SYM &&
		    cd->arg[1]->kind == GB_NUM) {
			const gb_node *q = cd->arg[0], *val = cd->arg[1];
			verdict w = judge(S, gb_subst(ctx, pl, q, val),
					  gb_subst(ctx, pr, q, val),
					  gb_subst(ctx, fc, q, val), v.order);

			p->cls_if = w.cls;
			p->at_least_if = w.at_least || w.cond;
		} else {
			p->cls_if = (int)v.order;
			p->at_least_if = true;
		}
	}
	return !S->failed;
}

/* ----------------------------------------------------- candidate points */

typedef struct cand {
	const gb_node *at;
	bool numeric;
} cand;

typedef struct cands {
	cand *v;
	size_t n, cap;
	/* switching arguments seen, and those whose zeros are unknown */
	const gb_node **args, **unsolved, **searched;
	size_t nargs, capargs, nunsolved, capunsolved, nsearched, capsearched;
} cands;

static bool push_node(gb_ctx *ctx, const gb_node ***v, size_t *n,
		      size_t *cap, const gb_node *e)
{
	if (*n == *cap) {
		size_t nc = *cap ? 2 * *cap : 8;
		const gb_node **w = gb_ctx_alloc(ctx, nc * sizeof *w);

		if (!w)
			return false;
		if (*n)
			memcpy(w, *v, *n * sizeof *w);
		*v = w;
		*cap = nc;
	}
	(*v)[(*n)++] = e;
	return true;
}

static void add_point(sm *S, cands *cs, const gb_node *c, bool numeric)
{
	if (!c) {
		S->failed = true;
		return;
	}
	for (size_t i = 0; i < cs->n; i++)
		if (cs->v[i].at == c)
			return;
	if (cs->n >= MAX_POINTS)
		return;
	if (cs->n == cs->cap) {
		size_t nc = cs->cap ? 2 * cs->cap : 8;
		cand *w = gb_ctx_alloc(S->ctx, nc * sizeof *w);

		if (!w) {
			S->failed = true;
			return;
		}
		if (cs->n)
			memcpy(w, cs->v, cs->n * sizeof *w);
		cs->v = w;
		cs->cap = nc;
	}
	cs->v[cs->n].at = c;
	cs->v[cs->n++].numeric = numeric;
}

/* Appends a root to r[0..*n) (at most MAX_ROOTS); false when full. */
static bool root(const gb_node **r, int *n, const gb_node *c)
{
	if (!c || *n >= MAX_ROOTS)
		return false;
	for (int i = 0; i < *n; i++)
		if (r[i] == c)
			return true;
	r[(*n)++] = c;
	return true;
}

/*
 * The real solutions of u(x) = t by inverting u step by step, into
 * r[*n..]. Returns false when u cannot be inverted (the caller searches
 * numerically). Extra solutions are harmless: a point where nothing
 * breaks is dropped by study().
 */
static bool solve(sm *S, const gb_node *u, const gb_node *t,
		  const gb_node **r, int *n, unsigned depth)
{
	gb_ctx *ctx = S->ctx;
	const gb_node *x = S->x, *g = NULL, *k;
	int st = strict_sign(t);
	bool t_zero = gb_is_zero(t);

	if (depth > 64 || !t)
		return false;
	if (u == x)
		return root(r, n, t);
	if (!gb_depends(ctx, u, x))
		return true;	/* no solution, or every x: no point */
	switch ((gb_kind)u->kind) {
	case GB_ADD:
	case GB_MUL: {
		/* u = g + k or u = g k with k free of x */
		const gb_node **rest = gb_mem_alloc(&ctx->mem,
						    u->nargs * sizeof *rest);
		size_t nr = 0, ng = 0;

		if (!rest)
			return false;
		for (uint32_t i = 0; i < u->nargs; i++) {
			if (gb_depends(ctx, u->arg[i], x)) {
				g = u->arg[i];
				ng++;
			} else {
				rest[nr++] = u->arg[i];
			}
		}
		if (u->kind == GB_ADD)
			k = nr ? gb_add(ctx, nr, rest) : ctx->zero;
		else
			k = nr ? gb_mul(ctx, nr, rest) : ctx->one;
		gb_mem_free(&ctx->mem, rest);
		if (ng == 1 && u->kind == GB_ADD)
			return solve(S, g, gb_sub(ctx, t, k), r, n, depth + 1);
		if (ng == 1 && strict_sign(k))
			return solve(S, g, gb_div(ctx, t, k), r, n, depth + 1);
		if (u->kind == GB_MUL && t_zero) {
			/* a product is 0 where a factor is */
			for (uint32_t i = 0; i < u->nargs; i++)
				if (!solve(S, u->arg[i], t, r, n, depth + 1))
					return false;
			return true;
		}
		return false;
	}
	case GB_POW: {
		const gb_node *b = u->arg[0], *e = u->arg[1];

		if (!gb_depends(ctx, e, x)) {
			if (e->kind != GB_NUM)
				return false;
			if (t_zero)
				return mpq_sgn(e->u.q) > 0 ?
				       solve(S, b, t, r, n, depth + 1) : true;
			if (gb_is_integer(e) && mpz_odd_p(mpq_numref(e->u.q)))
				return solve(S, b, gb_pow(ctx, t,
							  gb_div(ctx, ctx->one, e)),
					     r, n, depth + 1);
			if (st < 0)
				return true;
			if (st == 0)
				return false;
			k = gb_pow(ctx, t, gb_div(ctx, ctx->one, e));
			if (!solve(S, b, k, r, n, depth + 1))
				return false;
			if (gb_is_integer(e))	/* even: also -k */
				return solve(S, b, gb_neg(ctx, k), r, n, depth + 1);
			return true;
		}
		if (gb_depends(ctx, b, x) || strict_sign(b) <= 0)
			return false;
		/* b^e = t: e = log(t)/log(b) */
		if (st < 0 || t_zero)
			return true;
		if (st == 0)
			return false;
		return solve(S, e, gb_div(ctx, gb_call1(ctx, GB_FN_LOG, t),
					  gb_call1(ctx, GB_FN_LOG, b)),
			     r, n, depth + 1);
	}
	case GB_CALL:
		g = u->arg[0];
		switch (u->fn) {
		case GB_FN_EXP:
			if (st < 0 || t_zero)
				return true;
			return st > 0 && solve(S, g, gb_call1(ctx, GB_FN_LOG, t),
					       r, n, depth + 1);
		case GB_FN_LOG:
			return solve(S, g, gb_call1(ctx, GB_FN_EXP, t), r, n,
				     depth + 1);
		case GB_FN_SQRT:
			if (st < 0)
				return true;
			return (st > 0 || t_zero) &&
			       solve(S, g, gb_pow_si(ctx, t, 2), r, n, depth + 1);
		case GB_FN_SINH:
		case GB_FN_TANH:
		case GB_FN_ASINH:
		case GB_FN_ATANH:
		case GB_FN_ATAN:
		case GB_FN_ASIN:
		case GB_FN_ERF:
			/* odd, injective, f(0) = 0 */
			return t_zero && solve(S, g, t, r, n, depth + 1);
		case GB_FN_SIGMOID:
			/* sigmoid(g) = t: g = log(t / (1 - t)) */
			if (t->kind != GB_NUM)
				return false;
			if (mpq_sgn(t->u.q) <= 0 || mpq_cmp_si(t->u.q, 1, 1) >= 0)
				return true;
			return solve(S, g, gb_call1(ctx, GB_FN_LOG,
						    gb_div(ctx, t, gb_sub(ctx, ctx->one, t))),
				     r, n, depth + 1);
		case GB_FN_ABS:
			/* |g| = t: g = t or g = -t */
			if (st < 0)
				return true;
			return solve(S, g, t, r, n, depth + 1) &&
			       solve(S, g, gb_neg(ctx, t), r, n, depth + 1);
		case GB_FN_RELU:
			/* relu(g) = t: g = t (t > 0) or g <= 0 (t = 0) */
			return solve(S, g, t, r, n, depth + 1);
		case GB_FN_MAX:
		case GB_FN_MIN:
			/* one of the arguments equals t */
			for (uint32_t i = 0; i < u->nargs; i++)
				if (!solve(S, u->arg[i], t, r, n, depth + 1))
					return false;
			return true;
		default:
			return false;
		}
	default:
		return false;
	}
}

/* The value of u at the exact rational q into v; false when undefined. */
static bool num_at(sm *S, const gb_node *u, mpq_srcptr q, mpfr_ptr v)
{
	const gb_node *qn = gb_num_q(S->ctx, q);

	if (!qn) {
		S->failed = true;
		return false;
	}
	S->env[S->x->u.sym->id] = qn;
	return num(S, u, v);
}

/*
 * The zeros of u in [-W, W] where u changes sign: the sign of u on a
 * grid of step 1/GRID, then bisection between grid points of opposite
 * sign. A grid point where u is exactly 0 is an exact zero.
 */
static void search(sm *S, cands *cs, const gb_node *u)
{
	long steps = 2 * GB_SMOOTH_WINDOW * GRID;
	int prev = UNKNOWN;
	mpq_t q, lo, hi, mid;
	mpfr_t v;

	mpq_inits(q, lo, hi, mid, (mpq_ptr)0);
	mpfr_init2(v, PREC);
	for (long i = 0; i <= steps && !S->failed; i++) {
		int s;

		mpq_set_si(q, i - GB_SMOOTH_WINDOW * GRID, GRID);
		mpq_canonicalize(q);
		if (!num_at(S, u, q, v)) {
			prev = UNKNOWN;
			continue;
		}
		s = mpfr_sgn(v) > 0 ? 1 : mpfr_sgn(v) < 0 ? -1 : 0;
		if (s == 0) {
			add_point(S, cs, gb_num_q(S->ctx, q), false);
		} else if (prev == -s) {
			/* u(lo) and u(hi) have opposite signs */
			mpq_set_si(lo, i - 1 - GB_SMOOTH_WINDOW * GRID, GRID);
			mpq_canonicalize(lo);
			mpq_set(hi, q);
			for (int b = 0; b < BISECT; b++) {
				int sm_;

				mpq_add(mid, lo, hi);
				mpq_div_2exp(mid, mid, 1);
				if (!num_at(S, u, mid, v))
					break;
				sm_ = mpfr_sgn(v) > 0 ? 1 : mpfr_sgn(v) < 0 ? -1 : 0;
				if (sm_ == 0)
					break;
				if (sm_ == s)
					mpq_set(hi, mid);
				else
					mpq_set(lo, mid);
			}
			/* A pole changes sign too: keep only true zeros. */
			if (num_at(S, u, mid, v) && mpfr_get_exp(v) < -60)
				add_point(S, cs, gb_num_q(S->ctx, mid),
					  !mpfr_zero_p(v));
		}
		prev = s;
	}
	S->env[S->x->u.sym->id] = NULL;
	mpfr_clear(v);
	mpq_clears(q, lo, hi, mid, (mpq_ptr)0);
}

/* Finds the zeros of the switching argument u. */
static void zeros(sm *S, cands *cs, const gb_node *u)
{
	gb_ctx *ctx = S->ctx;
	const gb_node *c, *r[MAX_ROOTS];
	int n = 0;

	for (size_t i = 0; i < cs->nargs; i++)
		if (cs->args[i] == u)
			return;
	if (!push_node(ctx, &cs->args, &cs->nargs, &cs->capargs, u)) {
		S->failed = true;
		return;
	}
	/* Linear: the comparison builder solves a x + b == 0. */
	c = gb_cmp(ctx, GB_OP_EQ, u, ctx->zero);
	if (c && c->kind == GB_CMP && c->arg[0] == S->x &&
	    !gb_depends(ctx, c->arg[1], S->x)) {
		add_point(S, cs, c->arg[1], false);
		return;
	}
	if (solve(S, u, ctx->zero, r, &n, 0)) {
		for (int i = 0; i < n; i++)
			add_point(S, cs, r[i], false);
		return;
	}
	if (has_syms(ctx, gb_subst(ctx, u, S->x, ctx->zero))) {
		if (!push_node(ctx, &cs->unsolved, &cs->nunsolved,
			       &cs->capunsolved, u))
			S->failed = true;
		return;
	}
	if (!push_node(ctx, &cs->searched, &cs->nsearched, &cs->capsearched, u))
		S->failed = true;
	search(S, cs, u);
}

/* Collects the switching arguments of e and their zeros. */
static void switches(sm *S, cands *cs, const gb_node *e, uint32_t serial,
		     uint32_t depth)
{
	gb_ctx *ctx = S->ctx;

	if (e->nargs == 0 || S->failed || !gb_depends(ctx, e, S->x))
		return;
	if (depth > 4 * ctx->limits.max_depth) {
		gb_ctx_limit(ctx, GB_LIMIT_DEPTH);
		S->failed = true;
		return;
	}
	if (gb_memo_get(&ctx->memo, MEMO_SWITCH, e->id, serial))
		return;
	if (!gb_memo_put(&ctx->memo, MEMO_SWITCH, e->id, serial, e)) {
		S->failed = true;
		return;
	}
	if (e->kind == GB_CMP) {
		zeros(S, cs, gb_sub(ctx, e->arg[0], e->arg[1]));
	} else if (e->kind == GB_CALL && (e->fn == GB_FN_ABS ||
					  e->fn == GB_FN_SIGN ||
					  e->fn == GB_FN_RELU)) {
		zeros(S, cs, e->arg[0]);
	} else if (e->kind == GB_CALL && (e->fn == GB_FN_MAX ||
					  e->fn == GB_FN_MIN)) {
		for (uint32_t i = 0; i < e->nargs; i++)
			for (uint32_t j = i + 1; j < e->nargs; j++)
				if (gb_depends(ctx, e->arg[i], S->x) ||
				    gb_depends(ctx, e->arg[j], S->x))
					zeros(S, cs, gb_sub(ctx, e->arg[i],
							    e->arg[j]));
	}
	for (uint32_t i = 0; i < e->nargs; i++)
		switches(S, cs, e->arg[i], serial, depth + 1);
}

/*
 * Sorts the points by value (those with parameters last, in structural
 * order) and merges a numerical point into an exact one it approximates.
 */
static void order_points(sm *S, cands *cs)
{
	size_t n = cs->n, m = 0;
	mpfr_t *val = malloc((n ? n : 1) * sizeof *val);
	bool *has = malloc((n ? n : 1) * sizeof *has);

	if (!val || !has) {
		free(val);
		free(has);
		S->failed = true;
		return;
	}
	S->numeric = true;	/* tolerant zero tests below */
	for (size_t i = 0; i < n; i++) {
		mpfr_init2(val[i], PREC);
		has[i] = !has_syms(S->ctx, cs->v[i].at) &&
			 num(S, cs->v[i].at, val[i]);
	}
	/* insertion sort: points are few */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0; j--) {
			int c;

			if (has[j - 1] && has[j])
				c = mpfr_cmp(val[j - 1], val[j]);
			else if (has[j - 1] != has[j])
				c = has[j] ? 1 : -1;
			else
				c = gb_node_cmp(cs->v[j - 1].at, cs->v[j].at);
			if (c <= 0)
				break;
			mpfr_swap(val[j - 1], val[j]);
			{
				bool th = has[j - 1];
				cand tc = cs->v[j - 1];

				has[j - 1] = has[j];
				has[j] = th;
				cs->v[j - 1] = cs->v[j];
				cs->v[j] = tc;
			}
		}
	for (size_t i = 0; i < n; i++) {
		if (m > 0 && has[i] && has[m - 1]) {
			mpfr_t d;
			bool dup;

			mpfr_init2(d, PREC);
			mpfr_sub(d, val[i], val[m - 1], MPFR_RNDN);
			dup = tiny(d, val[i]) &&
			      (cs->v[i].numeric || cs->v[m - 1].numeric);
			mpfr_clear(d);
			if (dup) {
				if (cs->v[m - 1].numeric) {
					cs->v[m - 1] = cs->v[i];
					mpfr_set(val[m - 1], val[i], MPFR_RNDN);
				}
				continue;
			}
		}
		cs->v[m] = cs->v[i];
		mpfr_swap(val[m], val[i]);
		has[m] = has[i];
		m++;
	}
	cs->n = m;
	for (size_t i = 0; i < n; i++)
		mpfr_clear(val[i]);
	free(val);
	free(has);
}

/* ----------------------------------------------------------- analysis */

/* Replaces in f every bound symbol (a number) but x by its value. */
static const gb_node *bind_values(sm *S, const gb_node *f, const gb_node *e,
				  uint32_t serial)
{
	gb_ctx *ctx = S->ctx;

	if (!f || !e)
		return NULL;
	if (e->kind == GB_SYM) {
		uint32_t id = e->u.sym->id;
		const gb_node *v = id < ctx->nbind ? ctx->bind[id] : NULL;

		if (e != S->x && v && v->kind == GB_NUM)
			f = gb_subst(ctx, f, e, v);
		return f;
	}
	if (e->nargs == 0 || gb_memo_get(&ctx->memo, MEMO_SWITCH, e->id, serial))
		return f;
	if (!gb_memo_put(&ctx->memo, MEMO_SWITCH, e->id, serial, e))
		return gb_ctx_oom(ctx);
	for (uint32_t i = 0; i < e->nargs && f; i++)
		f = bind_values(S, f, e->arg[i], serial);
	return f;
}

gb_status gb_smooth_analyze(gb_ctx *ctx, const gb_node *f, const gb_node *x,
			    gb_smooth **out)
{
	sm S = { 0 };
	cands cs = { 0 };
	gb_smooth *res;
	size_t nenv;

	if (!ctx || !f || !x || !out || x->kind != GB_SYM)
		return GB_EUSAGE;
	*out = NULL;
	if (!gb_is_scalar(f)) {
		gb_error(ctx, NULL, (gb_span){ 0, 0 },
			 "smoothness needs a scalar function of one variable");
		return GB_ESHAPE;
	}
	res = gb_ctx_alloc(ctx, sizeof *res);
	if (!res)
		return GB_ENOMEM;
	memset(res, 0, sizeof *res);
	S.ctx = ctx;
	S.x = x;
	nenv = ctx->nbind > x->u.sym->id ? ctx->nbind : x->u.sym->id + 1u;
	S.env = calloc(nenv, sizeof *S.env);
	if (!S.env)
		return GB_ENOMEM;
	S.nenv = nenv;
	f = bind_values(&S, f, f, ++ctx->serial);
	res->f = f;
	res->x = x;
	res->window = GB_SMOOTH_WINDOW;
	res->cls = GB_C_INF;
	if (f)
		res->analytic = analytic(ctx, f, x);
	if (f && !res->analytic) {
		switches(&S, &cs, f, ++ctx->serial, 0);
		if (!S.failed)
			order_points(&S, &cs);
		res->pt = gb_ctx_alloc(ctx, (cs.n ? cs.n : 1) * sizeof *res->pt);
		if (!res->pt)
			S.failed = true;
		for (size_t i = 0; i < cs.n && !S.failed; i++) {
			gb_smooth_point *p = &res->pt[res->npt];

			S.c = cs.v[i].at;
			S.numeric = cs.v[i].numeric;
			if (!study(&S, f, p))
				continue;
			res->npt++;
			if (p->cls < res->cls)
				res->cls = p->cls;
		}
		for (size_t i = 0; i < res->npt; i++)
			if (res->pt[i].cls == res->cls && res->pt[i].at_least)
				res->at_least = true;
		res->unsolved = cs.unsolved;
		res->nunsolved = cs.nunsolved;
		res->searched = cs.searched;
		res->nsearched = cs.nsearched;
	}
	free(S.env);
	if (!f || S.failed || ctx->oom || ctx->too_big)
		return gb_ctx_status(ctx) != GB_OK ? gb_ctx_status(ctx) : GB_ELIMIT;
	*out = res;
	return GB_OK;
}

gb_status gb_smoothness(gb_ctx *ctx, const gb_node *f, const char *wrt,
			gb_smooth **out)
{
	const gb_node *x;

	if (!ctx || !f || !out)
		return GB_EUSAGE;
	*out = NULL;
	if (!wrt) {
		const char **names;
		size_t n = gb_free_vars(ctx, f, &names);

		if (n > 1) {
			gb_error(ctx, NULL, (gb_span){ 0, 0 },
				 "the expression has several variables: choose one with --wrt");
			return GB_EUSAGE;
		}
		wrt = n == 1 ? names[0] : "x";
	}
	x = gb_symbol(ctx, wrt, strlen(wrt));
	if (!x)
		return gb_ctx_status(ctx);
	return gb_smooth_analyze(ctx, f, x, out);
}

/* ---------------------------------------------------------- rendering */

static const char *const fn_name[GB_NFNS] = {
#define FN(id, name, lo, hi, latex, ev, d) name,
#include "functions.def"
#undef FN
};

static const char *const fn_latex[GB_NFNS] = {
#define FN(id, name, lo, hi, latex, ev, d) latex,
#include "functions.def"
#undef FN
};

/* Appends s (a NUL-terminated string from a printer) and frees it. */
static void put_own(gb_strbuf *sb, char *s)
{
	if (!s)
		sb->failed = true;
	else
		gb_sb_puts(sb, s);
	gb_free(s);
}

static void put_node(gb_ctx *ctx, gb_strbuf *sb, const gb_node *e,
		     bool latex)
{
	put_own(sb, latex ? gb_latex(ctx, e) : gb_print(ctx, e));
}

/* v with 10 significant digits: 1.414213562, 2.5e-7 (LaTeX 2.5 \cdot 10^{-7}). */
static void put_decimal(gb_strbuf *sb, mpfr_srcptr v, bool latex)
{
	mpfr_exp_t ex;
	char *d, *p;
	size_t n;

	if (mpfr_zero_p(v)) {
		gb_sb_putc(sb, '0');
		return;
	}
	d = mpfr_get_str(NULL, &ex, 10, 10, v, MPFR_RNDN);
	if (!d) {
		sb->failed = true;
		return;
	}
	p = d;
	if (*p == '-')
		gb_sb_putc(sb, *p++);
	n = strlen(p);
	while (n > 1 && p[n - 1] == '0')
		n--;
	if (ex >= -3 && ex <= 10) {
		if (ex <= 0) {
			gb_sb_puts(sb, "0.");
			for (mpfr_exp_t i = ex; i < 0; i++)
				gb_sb_putc(sb, '0');
			gb_sb_putn(sb, p, n);
		} else {
			for (size_t i = 0; i < n || i < (size_t)ex; i++) {
				if (i == (size_t)ex)
					gb_sb_putc(sb, '.');
				gb_sb_putc(sb, i < n ? p[i] : '0');
			}
		}
	} else {
		gb_sb_putc(sb, p[0]);
		if (n > 1) {
			gb_sb_putc(sb, '.');
			gb_sb_putn(sb, p + 1, n - 1);
		}
		gb_sb_printf(sb, latex ? " \\cdot 10^{%ld}" : "e%ld", (long)(ex - 1));
	}
	mpfr_free_str(d);
}

/*
 * A value: exact when it is short or has parameters, else ≈ 10 digits
 * (always approximate at a numerical point). LaTeX in $...$.
 */
static void put_value(gb_ctx *ctx, gb_strbuf *sb, const gb_node *e,
		      bool numeric, bool latex)
{
	char *s = gb_print(ctx, e);
	bool approx = false;
	mpfr_t v;

	if (!s) {
		sb->failed = true;
		return;
	}
	mpfr_init2(v, PREC);
	if (!has_syms(ctx, e) && !(e->kind == GB_NUM && !numeric &&
				   strlen(s) <= 24) &&
	    (numeric || strlen(s) > 24)) {
		sm S = { 0 };

		S.ctx = ctx;
		approx = num(&S, e, v);
		/* exact small integers stay exact even at numeric points */
		if (approx && e->kind == GB_NUM && mpz_cmp_ui(mpq_denref(e->u.q), 1) == 0 &&
		    strlen(s) <= 24)
			approx = false;
	}
	if (latex)
		gb_sb_putc(sb, '$');
	if (approx) {
		gb_sb_puts(sb, latex ? "\\approx " : "≈ ");
		put_decimal(sb, v, latex);
	} else if (latex) {
		put_node(ctx, sb, e, true);
	} else {
		gb_sb_puts(sb, s);
	}
	if (latex)
		gb_sb_putc(sb, '$');
	mpfr_clear(v);
	gb_free(s);
}

/* "x = 0", "x ≈ 1.414213562… (found numerically)"; LaTeX in $...$. */
static void put_where(gb_ctx *ctx, gb_strbuf *sb, const gb_smooth *s,
		      const gb_smooth_point *p, bool latex)
{
	if (latex)
		gb_sb_putc(sb, '$');
	put_node(ctx, sb, s->x, latex);
	if (p->numeric) {
		sm S = { 0 };
		mpfr_t v;

		S.ctx = ctx;
		mpfr_init2(v, PREC);
		gb_sb_puts(sb, latex ? " \\approx " : " ≈ ");
		if (num(&S, p->at, v))
			put_decimal(sb, v, latex);
		mpfr_clear(v);
		gb_sb_puts(sb, latex ? "\\ldots$ (found numerically)" :
				       "… (found numerically)");
		return;
	}
	gb_sb_puts(sb, " = ");
	put_node(ctx, sb, p->at, latex);
	if (latex)
		gb_sb_putc(sb, '$');
}

/* A condition: p == v is written p = v. */
static void put_cond(gb_ctx *ctx, gb_strbuf *sb, const gb_node *c, bool latex)
{
	if (latex)
		gb_sb_putc(sb, '$');
	if (c->kind == GB_CMP && c->op == GB_OP_EQ) {
		put_node(ctx, sb, c->arg[0], latex);
		gb_sb_puts(sb, " = ");
		put_node(ctx, sb, c->arg[1], latex);
	} else {
		put_node(ctx, sb, c, latex);
	}
	if (latex)
		gb_sb_putc(sb, '$');
}

static void put_class(gb_strbuf *sb, int cls, bool latex)
{
	if (cls < 0)
		gb_sb_puts(sb, "discontinuous");
	else if (cls >= GB_C_INF)
		gb_sb_puts(sb, latex ? "$C^\\infty$" : "C^inf");
	else
		gb_sb_printf(sb, latex ? "$C^{%d}$" : "C^%d", cls);
}

char *gb_smooth_class_str(int cls, bool latex)
{
	gb_strbuf sb;

	gb_sb_init(&sb, NULL);
	put_class(&sb, cls, latex);
	return gb_sb_take(&sb);
}

/* "derivative", "second derivative", ..., "limit" for order 0. */
static const char *deriv_word(unsigned k)
{
	static const char *const w[] = {
		"limit", "derivative", "second derivative", "third derivative",
		"fourth derivative", "fifth derivative", "sixth derivative",
		"seventh derivative", "eighth derivative"
	};

	return k < sizeof w / sizeof w[0] ? w[k] : "higher derivative";
}

/* "left derivative 0, right derivative 1" (or "does not exist"). */
static void put_sides(gb_ctx *ctx, gb_strbuf *sb, const gb_smooth_point *p,
		      const char *sep, bool latex)
{
	const char *w = deriv_word(p->order);

	gb_sb_printf(sb, "left %s ", w);
	if (p->left)
		put_value(ctx, sb, p->left, p->numeric, latex);
	else
		gb_sb_puts(sb, "does not exist");
	gb_sb_printf(sb, "%sright %s ", sep, w);
	if (p->right)
		put_value(ctx, sb, p->right, p->numeric, latex);
	else
		gb_sb_puts(sb, "does not exist");
}

/* What breaks at p, after "x = c: ". */
static void put_break(gb_ctx *ctx, gb_strbuf *sb, const gb_smooth_point *p,
		      bool latex)
{
	if (p->cond) {
		put_class(sb, p->cls_if, latex);
		gb_sb_puts(sb, p->at_least_if ? " at least if " :
						" if and only if ");
		put_cond(ctx, sb, p->cond, latex);
		gb_sb_puts(sb, " (");
		put_sides(ctx, sb, p, ", ", latex);
		gb_sb_putc(sb, ')');
		return;
	}
	switch (p->what) {
	case GB_BREAK_JUMP:
		gb_sb_puts(sb, "jump of size ");
		put_value(ctx, sb, gb_sub(ctx, p->right, p->left), p->numeric,
			  latex);
		gb_sb_puts(sb, " (");
		put_sides(ctx, sb, p, ", ", latex);
		gb_sb_putc(sb, ')');
		break;
	case GB_BREAK_HOLE:
		if (p->value) {
			gb_sb_puts(sb, "value ");
			put_value(ctx, sb, p->value, p->numeric, latex);
			gb_sb_puts(sb, ", but both one-sided limits are ");
		} else {
			gb_sb_puts(sb, "undefined, but both one-sided limits are ");
		}
		put_value(ctx, sb, p->left, p->numeric, latex);
		break;
	case GB_BREAK_LIMIT:
		gb_sb_printf(sb, "%s limit does not exist (value ",
			     !p->left && !p->right ? "no one-sided" :
			     !p->left ? "the left" : "the right");
		put_value(ctx, sb, p->value, p->numeric, latex);
		gb_sb_putc(sb, ')');
		break;
	case GB_BREAK_DERIV:
		put_sides(ctx, sb, p, ", ", latex);
		break;
	case GB_BREAK_NONE:
		gb_sb_printf(sb, "one-sided derivatives agree up to order %d, but the pieces differ (",
			     GB_SMOOTH_MAX_ORDER);
		put_class(sb, p->cls, latex);
		gb_sb_puts(sb, " at least)");
		break;
	}
}

char *gb_smooth_point_str(gb_ctx *ctx, const gb_smooth *s, size_t i,
			  bool latex)
{
	gb_strbuf sb;

	if (!ctx || !s || i >= s->npt)
		return NULL;
	gb_sb_init(&sb, NULL);
	put_where(ctx, &sb, s, &s->pt[i], latex);
	gb_sb_puts(&sb, ": ");
	put_break(ctx, &sb, &s->pt[i], latex);
	return gb_sb_take(&sb);
}

/* The points that decide the class (and conditional ones). */
static bool binding(const gb_smooth *s, const gb_smooth_point *p)
{
	return p->cls == s->cls;
}

static size_t count_binding(const gb_smooth *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->npt; i++)
		n += binding(s, &s->pt[i]);
	return n;
}

/* "not differentiable", "not twice differentiable", "not three times ...". */
static void put_failure(gb_strbuf *sb, unsigned order)
{
	static const char *const times[] = {
		"three", "four", "five", "six", "seven", "eight", "nine"
	};

	if (order == 0)
		gb_sb_puts(sb, "discontinuous");
	else if (order == 1)
		gb_sb_puts(sb, "not differentiable");
	else if (order == 2)
		gb_sb_puts(sb, "not twice differentiable");
	else if (order - 3 < sizeof times / sizeof times[0])
		gb_sb_printf(sb, "not %s times differentiable", times[order - 3]);
	else
		gb_sb_printf(sb, "not %u times differentiable", order);
}

/* The binding point to quote as an example: an exact one if any. */
static const gb_smooth_point *example(const gb_smooth *s)
{
	const gb_smooth_point *e = NULL;

	for (size_t i = 0; i < s->npt; i++)
		if (binding(s, &s->pt[i]) && (!e || (e->numeric && !s->pt[i].numeric)))
			e = &s->pt[i];
	return e;
}

/* "x = a, x = b and x = c", or "n points, such as x = a". */
static void put_where_list(gb_ctx *ctx, gb_strbuf *sb, const gb_smooth *s,
			   bool latex)
{
	size_t n = count_binding(s), k = 0;

	if (n > 3) {
		gb_sb_printf(sb, "%zu points in [%ld, %ld], such as ", n,
			     -s->window, s->window);
		put_where(ctx, sb, s, example(s), latex);
		return;
	}
	for (size_t i = 0; i < s->npt; i++) {
		if (!binding(s, &s->pt[i]))
			continue;
		if (k > 0)
			gb_sb_puts(sb, k + 1 == n ? " and " : ", ");
		put_where(ctx, sb, s, &s->pt[i], latex);
		k++;
	}
}

char *gb_smooth_summary(gb_ctx *ctx, const gb_smooth *s, bool latex)
{
	gb_strbuf sb;
	const gb_smooth_point *first = NULL;

	if (!ctx || !s)
		return NULL;
	gb_sb_init(&sb, NULL);
	for (size_t i = 0; i < s->npt && !first; i++)
		if (binding(s, &s->pt[i]))
			first = &s->pt[i];
	if (!first) {
		gb_sb_puts(&sb, s->analytic ? "infinitely differentiable" :
			   "infinitely differentiable (the pieces join smoothly)");
	} else if (s->at_least) {
		gb_sb_printf(&sb, "at least C^%d: one-sided derivatives agree to order %d at ",
			     s->cls, GB_SMOOTH_MAX_ORDER);
		put_where_list(ctx, &sb, s, latex);
	} else {
		put_failure(&sb, first->order);
		gb_sb_puts(&sb, " at ");
		put_where_list(ctx, &sb, s, latex);
		if (count_binding(s) == 1 && first->cond) {
			gb_sb_puts(&sb, " unless ");
			put_cond(ctx, &sb, first->cond, latex);
			gb_sb_puts(&sb, " (then ");
			put_class(&sb, first->cls_if, latex);
			gb_sb_putc(&sb, ')');
		}
	}
	return gb_sb_take(&sb);
}

/* The name a sentence starts with (see gb_smooth_sentence). */
static void put_name(gb_ctx *ctx, gb_strbuf *sb, const gb_smooth *s,
		     const char *name, bool latex)
{
	const char *lx = NULL;

	if (!name && s->f->kind == GB_CALL && s->f->nargs == 1 &&
	    s->f->arg[0] == s->x)
		name = fn_name[s->f->fn];
	for (size_t i = 0; name && i < GB_NFNS; i++)
		if (strcmp(name, fn_name[i]) == 0)
			lx = fn_latex[i];
	if (!name) {
		/* the expression itself: f(x) = ... */
		gb_sb_puts(sb, latex ? "$f(" : "f(");
		put_node(ctx, sb, s->x, latex);
		gb_sb_puts(sb, ") = ");
		put_node(ctx, sb, s->f, latex);
		if (latex)
			gb_sb_putc(sb, '$');
		return;
	}
	if (lx && strcmp(lx, "\\lvert") == 0) {
		gb_sb_puts(sb, latex ? "$\\lvert\\cdot\\rvert$" : "abs");
	} else if (lx && !latex) {
		/* plain: the operator name of the LaTeX spelling (ReLU) */
		const char *op = "\\operatorname{";

		if (strncmp(lx, op, strlen(op)) == 0)
			gb_sb_putn(sb, lx + strlen(op),
				   strlen(lx) - strlen(op) - 1);
		else
			gb_sb_puts(sb, name);
	} else if (lx) {
		gb_sb_printf(sb, "$%s$", lx);
	} else if (latex) {
		gb_sb_puts(sb, strlen(name) > 1 ? "$\\operatorname{" : "$");
		for (const char *q = name; *q; q++)
			gb_sb_puts(sb, *q == '_' ? "\\_" : (char[2]){ *q, 0 });
		gb_sb_puts(sb, strlen(name) > 1 ? "}$" : "$");
	} else {
		gb_sb_puts(sb, name);
	}
}

/* "continuous everywhere", "continuously differentiable (C^1)", ... */
static void put_class_phrase(gb_strbuf *sb, int cls, bool latex)
{
	if (cls == 0) {
		gb_sb_puts(sb, "continuous everywhere");
		return;
	}
	if (cls == 1)
		gb_sb_puts(sb, "continuously differentiable (");
	else if (cls == 2)
		gb_sb_puts(sb, "twice continuously differentiable (");
	else
		gb_sb_printf(sb, "%d times continuously differentiable (", cls);
	put_class(sb, cls, latex);
	gb_sb_putc(sb, ')');
}

/* The clause for one binding point: "x = 0, where its left ... differ". */
static void put_clause(gb_ctx *ctx, gb_strbuf *sb, const gb_smooth *s,
		       const gb_smooth_point *p, bool latex)
{
	const char *w = deriv_word(p->order);

	put_where(ctx, sb, s, p, latex);
	if (p->cond) {
		gb_sb_puts(sb, " unless ");
		put_cond(ctx, sb, p->cond, latex);
		gb_sb_printf(sb, ": its left %s ", w);
		put_value(ctx, sb, p->left, p->numeric, latex);
		gb_sb_printf(sb, " and right %s ", w);
		put_value(ctx, sb, p->right, p->numeric, latex);
		gb_sb_puts(sb, " agree only then, and then it is ");
		put_class(sb, p->cls_if, latex);
		gb_sb_puts(sb, p->at_least_if ? " at least there" : " there");
		return;
	}
	switch (p->what) {
	case GB_BREAK_JUMP:
		gb_sb_puts(sb, ", where it jumps from ");
		put_value(ctx, sb, p->left, p->numeric, latex);
		gb_sb_puts(sb, " to ");
		put_value(ctx, sb, p->right, p->numeric, latex);
		break;
	case GB_BREAK_HOLE:
		gb_sb_puts(sb, p->value ? ", where its value " :
				     ", where it is undefined");
		if (p->value)
			put_value(ctx, sb, p->value, p->numeric, latex);
		gb_sb_puts(sb, p->value ? " differs from its limit " :
				     " although both one-sided limits are ");
		put_value(ctx, sb, p->left, p->numeric, latex);
		break;
	case GB_BREAK_LIMIT:
		gb_sb_printf(sb, ", where %s limit does not exist",
			     !p->left && !p->right ? "neither one-sided" :
			     !p->left ? "its left" : "its right");
		break;
	case GB_BREAK_DERIV:
		if (!p->left || !p->right) {
			gb_sb_printf(sb, ", where its %s %s does not exist",
				     !p->left ? "left" : "right", w);
			break;
		}
		gb_sb_printf(sb, ", where its left %s ", w);
		put_value(ctx, sb, p->left, p->numeric, latex);
		gb_sb_printf(sb, " and right %s ", w);
		put_value(ctx, sb, p->right, p->numeric, latex);
		gb_sb_puts(sb, " differ");
		break;
	case GB_BREAK_NONE:
		break;
	}
}

char *gb_smooth_sentence(gb_ctx *ctx, const gb_smooth *s, const char *name,
			 bool latex)
{
	gb_strbuf sb;
	size_t nb, k = 0;
	const gb_smooth_point *first = NULL;

	if (!ctx || !s)
		return NULL;
	gb_sb_init(&sb, NULL);
	put_name(ctx, &sb, s, name, latex);
	nb = count_binding(s);
	for (size_t i = 0; i < s->npt && !first; i++)
		if (binding(s, &s->pt[i]))
			first = &s->pt[i];
	if (!first) {
		gb_sb_puts(&sb, " is infinitely differentiable (");
		put_class(&sb, GB_C_INF, latex);
		gb_sb_puts(&sb, s->analytic ?
			   ") wherever it is defined: it is built from analytic functions only." :
			   "): its pieces are analytic and join smoothly where they meet.");
		return gb_sb_take(&sb);
	}
	if (s->at_least) {
		gb_sb_puts(&sb, " is at least ");
		put_class(&sb, s->cls, latex);
		gb_sb_printf(&sb, ": its one-sided derivatives agree up to order %d at ",
			     GB_SMOOTH_MAX_ORDER);
		put_where_list(ctx, &sb, s, latex);
		gb_sb_puts(&sb, ", although its pieces differ there.");
		return gb_sb_take(&sb);
	}
	if (s->cls < 0)
		gb_sb_puts(&sb, " is not continuous: it is discontinuous at ");
	else {
		gb_sb_puts(&sb, " is ");
		put_class_phrase(&sb, s->cls, latex);
		gb_sb_puts(&sb, " but ");
		put_failure(&sb, first->order);
		gb_sb_puts(&sb, " at ");
	}
	if (nb > 3) {
		gb_sb_printf(&sb, "%zu points in [%ld, %ld], for example at ", nb,
			     -s->window, s->window);
		put_clause(ctx, &sb, s, example(s), latex);
		gb_sb_putc(&sb, '.');
		return gb_sb_take(&sb);
	}
	for (size_t i = 0; i < s->npt; i++) {
		if (!binding(s, &s->pt[i]))
			continue;
		if (k > 0)
			gb_sb_puts(&sb, k + 1 == nb ? ", and at " : ", at ");
		put_clause(ctx, &sb, s, &s->pt[i], latex);
		k++;
	}
	gb_sb_putc(&sb, '.');
	return gb_sb_take(&sb);
}
