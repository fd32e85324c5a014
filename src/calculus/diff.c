/*
 * diff.c - symbolic differentiation (see diff.h).
 *
 * The rules, for u, v, u_i functions of x and ' meaning d/dx:
 *
 *   (u_1 + ... + u_n)' = u_1' + ... + u_n'
 *   (u_1 ... u_n)'     = sum_i u_i' prod_{j != i} u_j
 *   (u^c)'             = c u^(c-1) u'                 c free of x
 *   (c^v)'             = c^v log(c) v'                c free of x
 *   (u^v)'             = u^v (v' log u + v u'/u)      general case
 *   f(u)'              = f'(u) u'   with f' from grammar/functions.def
 *   max(u_1..u_n)'     = u_i'  where u_i > u_j for every j != i
 *   piecewise(c_i: v_i, ..., otherwise: w)'
 *                      = piecewise(int(c_i) and int(not c_j), j < i: v_i',
 *                                  ..., int(not c_j) for all j: w')
 *
 * where int(c) is the interior of the set where c holds: x <= 0 becomes
 * x < 0 and x == 0 becomes false. Conditions are open, so on a boundary
 * no branch holds and the derivative is undefined there until
 * calculus/kinks.c proves otherwise.
 *
 * Under a framework convention (ctx->convention, see gradbox.h) the
 * derivative at a kink is the value autograd returns instead:
 *   relu'(u) = [u > 0],  |u|' = sign(u),  sign'(u) = 0,
 *   max(a, b)' = a' where a > b, b' where a < b, (a' + b')/2 where a = b,
 *   piecewise(c_i: v_i, ..., otherwise: w)' = piecewise(c_i: v_i', ...,
 *   otherwise: w'), with the conditions as written.
 */
#include "calculus/diff.h"

#include <string.h>

#include "calculus/kinks.h"
#include "calculus/simplify.h"
#include "calculus/subst.h"
#include "core/build.h"
#include "core/ctx.h"
#include "front/diag.h"
#include "front/lower.h"
#include "front/parse.h"

static const char *const rule_text[GB_NFNS] = {
#define FN(id, name, lo, hi, latex, ev, d) d,
#include "functions.def"
#undef FN
};

/*
 * Parses the derivative rules of functions.def, once per context. They
 * are parsed before any user program is lowered (gradbox.c calls this
 * first), so the names in them mean the built-ins.
 */
static bool load_rules(gb_ctx *ctx)
{
	if (ctx->rule_u)
		return true;
	ctx->rule_u = gb_symbol(ctx, "u", 1);
	if (!ctx->rule_u)
		return false;
	for (size_t i = 0; i < GB_NFNS; i++) {
		gb_source *src;
		gb_ast *ast;

		if (!rule_text[i])
			continue;
		src = gb_source_new(ctx, "functions.def", rule_text[i],
				    strlen(rule_text[i]));
		ast = src ? gb_parse_expr(ctx, src) : NULL;
		ctx->fn_rule[i] = ast ? gb_lower_expr(ctx, src, ast) : NULL;
		if (!ctx->fn_rule[i])
			return false;
	}
	return true;
}

const gb_node *gb_diff_rule(gb_ctx *ctx, gb_fn fn)
{
	if (!load_rules(ctx))
		return NULL;
	return ctx->fn_rule[fn];
}

/* ---------------------------------------------------------- conditions */

/*
 * The interior of the set where c holds (negated when neg): the largest
 * open condition implied by c. For a comparison of continuous sides,
 * int(a <= b) = a < b, int(a == b) = false, int(not(a < b)) = a > b.
 * For AND the interior is exact; for OR, int(A) or int(B) is a subset
 * of int(A or B), which only ever leaves more points to the kink pass.
 */
static const gb_node *interior(gb_ctx *ctx, const gb_node *c, bool neg)
{
	int v = gb_cond_value(c);

	if (v >= 0)
		return (v == 1) != neg ? gb_true(ctx) : gb_false(ctx);
	if (c->kind == GB_CMP) {
		gb_op op = (gb_op)c->op;

		if (neg) {
			switch (op) {
			case GB_OP_LT:
			case GB_OP_LE:
				op = GB_OP_GT;
				break;
			case GB_OP_GT:
			case GB_OP_GE:
				op = GB_OP_LT;
				break;
			case GB_OP_EQ:
				op = GB_OP_NE;
				break;
			default:
				return gb_false(ctx);	/* not(a != b) */
			}
		} else {
			switch (op) {
			case GB_OP_LE:
				op = GB_OP_LT;
				break;
			case GB_OP_GE:
				op = GB_OP_GT;
				break;
			case GB_OP_EQ:
				return gb_false(ctx);
			default:
				break;
			}
		}
		return gb_cmp(ctx, op, c->arg[0], c->arg[1]);
	} else {
		/* De Morgan: not(A and B) = not A or not B. */
		bool conj = (c->kind == GB_AND) != neg;
		const gb_node **v2 = gb_mem_alloc(&ctx->mem, c->nargs * sizeof *v2);
		const gb_node *r;

		if (!v2)
			return gb_ctx_oom(ctx);
		for (uint32_t i = 0; i < c->nargs; i++)
			v2[i] = interior(ctx, c->arg[i], neg);
		r = conj ? gb_and(ctx, c->nargs, v2) : gb_or(ctx, c->nargs, v2);
		gb_mem_free(&ctx->mem, v2);
		return r;
	}
}

/* a * b, pushed into the branches when a is piecewise. */
static const gb_node *mul_into(gb_ctx *ctx, const gb_node *a, const gb_node *b)
{
	const gb_node **v, *r;
	bool other;

	if (!a || !b)
		return NULL;
	if (a->kind != GB_PIECEWISE || gb_is_one(b))
		return gb_mul2(ctx, a, b);
	v = gb_mem_alloc(&ctx->mem, (a->nargs + 1) * sizeof *v);
	if (!v)
		return gb_ctx_oom(ctx);
	other = a->nargs % 2 == 1;
	for (uint32_t i = 0; i < a->nargs; i++) {
		bool is_value = i % 2 == 1 || (other && i == a->nargs - 1);

		v[i] = is_value ? gb_mul2(ctx, a->arg[i], b) : a->arg[i];
	}
	r = gb_piecewise(ctx, a->nargs, v);
	gb_mem_free(&ctx->mem, v);
	return r;
}

/* --------------------------------------------------------------- rules */

static const gb_node *d(gb_ctx *ctx, const gb_node *e, const gb_node *x,
			uint32_t depth);

static const gb_node *d_sum(gb_ctx *ctx, const gb_node *e, const gb_node *x,
			    uint32_t depth)
{
	const gb_node **v = gb_mem_alloc(&ctx->mem, e->nargs * sizeof *v);
	const gb_node *r;

	if (!v)
		return gb_ctx_oom(ctx);
	for (uint32_t i = 0; i < e->nargs; i++)
		v[i] = d(ctx, e->arg[i], x, depth);
	r = gb_add(ctx, e->nargs, v);
	gb_mem_free(&ctx->mem, v);
	return r;
}

/* Product rule; kind is GB_MUL or GB_HADAMARD (both commutative). */
static const gb_node *d_product(gb_ctx *ctx, const gb_node *e,
				const gb_node *x, uint32_t depth)
{
	uint32_t n = e->nargs;
	const gb_node **terms = gb_mem_alloc(&ctx->mem, n * sizeof *terms);
	const gb_node **f = gb_mem_alloc(&ctx->mem, n * sizeof *f);
	const gb_node *r = NULL;
	size_t nt = 0;

	if (!terms || !f) {
		ctx->oom = true;
		goto out;
	}
	for (uint32_t i = 0; i < n; i++) {
		const gb_node *di;

		if (!gb_depends(ctx, e->arg[i], x))
			continue;
		di = d(ctx, e->arg[i], x, depth);
		if (!di)
			goto out;
		if (gb_is_zero(di))
			continue;
		memcpy(f, e->arg, n * sizeof *f);
		f[i] = ctx->one;
		if (e->kind == GB_MUL) {
			terms[nt] = mul_into(ctx, di, gb_mul(ctx, n, f));
		} else {
			const gb_node *t = di;

			for (uint32_t j = 0; j < n; j++)
				if (j != i)
					t = gb_hadamard(ctx, t, e->arg[j]);
			terms[nt] = t;
		}
		if (!terms[nt++])
			goto out;
	}
	r = gb_add(ctx, nt, terms);
out:
	gb_mem_free(&ctx->mem, terms);
	gb_mem_free(&ctx->mem, f);
	return r;
}

static const gb_node *d_pow(gb_ctx *ctx, const gb_node *e, const gb_node *x,
			    uint32_t depth)
{
	const gb_node *u = e->arg[0], *v = e->arg[1];
	bool du = gb_depends(ctx, u, x), dv = gb_depends(ctx, v, x);

	if (!dv)	/* v u^(v-1) u' */
		return mul_into(ctx, d(ctx, u, x, depth),
				gb_mul2(ctx, v, gb_pow(ctx, u, gb_sub(ctx, v, ctx->one))));
	if (!du)	/* u^v log(u) v' */
		return mul_into(ctx, d(ctx, v, x, depth),
				gb_mul2(ctx, e, gb_call1(ctx, GB_FN_LOG, u)));
	/* u^v (v' log u + v u' / u) */
	return gb_mul2(ctx, e,
		       gb_add2(ctx,
			       mul_into(ctx, d(ctx, v, x, depth),
					gb_call1(ctx, GB_FN_LOG, u)),
			       mul_into(ctx, d(ctx, u, x, depth),
					gb_div(ctx, v, u))));
}

/* max/min: the derivative of the argument that is strictly the largest. */
/* max(a, b)' and min(a, b)' under a framework convention: a tie splits. */
static const gb_node *d_minmax_conv(gb_ctx *ctx, const gb_node *e,
				    const gb_node *x, uint32_t depth)
{
	gb_op op = e->fn == GB_FN_MAX ? GB_OP_GT : GB_OP_LT;
	const gb_node *a = e->arg[0], *b, *br[5];

	/* max(a, b, c, ...) = max(a, max(b, c, ...)) */
	b = e->nargs == 2 ? e->arg[1] :
	    gb_intern(ctx, GB_CALL, 0, e->fn, NULL, e->shape, e->nargs - 1,
		      e->arg + 1);
	br[0] = gb_cmp(ctx, op, a, b);
	br[1] = d(ctx, a, x, depth);
	br[2] = gb_cmp(ctx, op, b, a);
	br[3] = d(ctx, b, x, depth);
	br[4] = gb_mul2(ctx, ctx->half, gb_add2(ctx, br[1], br[3]));
	return gb_piecewise(ctx, 5, br);
}

static const gb_node *d_minmax(gb_ctx *ctx, const gb_node *e,
			       const gb_node *x, uint32_t depth)
{
	if (ctx->convention != GB_CONV_NONE)
		return d_minmax_conv(ctx, e, x, depth);

	uint32_t n = e->nargs;
	gb_op op = e->fn == GB_FN_MAX ? GB_OP_GT : GB_OP_LT;
	const gb_node **br = gb_mem_alloc(&ctx->mem, 2 * n * sizeof *br);
	const gb_node **cs = gb_mem_alloc(&ctx->mem, n * sizeof *cs);
	const gb_node *r = NULL;

	if (!br || !cs) {
		ctx->oom = true;
		goto out;
	}
	for (uint32_t i = 0; i < n; i++) {
		size_t k = 0;

		for (uint32_t j = 0; j < n; j++)
			if (j != i)
				cs[k++] = gb_cmp(ctx, op, e->arg[i], e->arg[j]);
		br[2 * i] = gb_and(ctx, k, cs);
		br[2 * i + 1] = d(ctx, e->arg[i], x, depth);
	}
	r = gb_piecewise(ctx, 2 * n, br);
out:
	gb_mem_free(&ctx->mem, br);
	gb_mem_free(&ctx->mem, cs);
	return r;
}

static const gb_node *d_piecewise(gb_ctx *ctx, const gb_node *e,
				  const gb_node *x, uint32_t depth)
{
	uint32_t n = e->nargs, nb = n / 2;
	bool other = n % 2 == 1;
	const gb_node **br = gb_mem_alloc(&ctx->mem, (2 * nb + 2) * sizeof *br);
	const gb_node **cs = gb_mem_alloc(&ctx->mem, (nb + 1) * sizeof *cs);
	const gb_node *r = NULL;
	size_t k = 0;

	if (!br || !cs) {
		ctx->oom = true;
		goto out;
	}
	for (uint32_t i = 0; i <= nb; i++) {
		const gb_node *value;

		if (i == nb && !other)
			break;
		value = i < nb ? e->arg[2 * i + 1] : e->arg[n - 1];
		if (ctx->convention != GB_CONV_NONE) {	/* as written */
			if (i < nb)
				br[k++] = e->arg[2 * i];
			br[k++] = d(ctx, value, x, depth);
			continue;
		}
		/* int(c_i) and int(not c_j) for every earlier j */
		for (uint32_t j = 0; j < i; j++)
			cs[j] = interior(ctx, e->arg[2 * j], true);
		cs[i] = i < nb ? interior(ctx, e->arg[2 * i], false) : gb_true(ctx);
		br[k++] = gb_and(ctx, i + 1, cs);
		br[k++] = d(ctx, value, x, depth);
	}
	r = gb_piecewise(ctx, k, br);
out:
	gb_mem_free(&ctx->mem, br);
	gb_mem_free(&ctx->mem, cs);
	return r;
}

static const gb_node *d_call(gb_ctx *ctx, const gb_node *e, const gb_node *x,
			     uint32_t depth)
{
	const gb_node *rule, *u = e->arg[0];

	if (e->fn == GB_FN_MAX || e->fn == GB_FN_MIN)
		return d_minmax(ctx, e, x, depth);
	if (ctx->convention != GB_CONV_NONE &&
	    (e->fn == GB_FN_RELU || e->fn == GB_FN_ABS || e->fn == GB_FN_SIGN)) {
		/* autograd: relu'(0) = 0, |u|'(0) = sign(0) = 0 */
		const gb_node *pw[3] = { gb_cmp(ctx, GB_OP_GT, u, ctx->zero),
					 ctx->one, ctx->zero };

		rule = e->fn == GB_FN_RELU ? gb_piecewise(ctx, 3, pw) :
		       e->fn == GB_FN_ABS ? gb_call1(ctx, GB_FN_SIGN, u) :
		       ctx->zero;
		return gb_mul2(ctx, rule, d(ctx, u, x, depth));
	}
	rule = gb_diff_rule(ctx, (gb_fn)e->fn);
	if (!rule)
		return NULL;
	/* f(u)' = f'(u) u' (element-wise for vectors: f'(u) ⊙ u') */
	rule = gb_subst(ctx, rule, ctx->rule_u, u);
	if (!gb_is_scalar(u))
		return gb_hadamard(ctx, rule, d(ctx, u, x, depth));
	return mul_into(ctx, rule, d(ctx, u, x, depth));
}

static const gb_node *d(gb_ctx *ctx, const gb_node *e, const gb_node *x,
			uint32_t depth)
{
	const gb_node *r;

	if (!e || ctx->oom || ctx->too_big)
		return NULL;
	if (!gb_depends(ctx, e, x))
		return ctx->zero;
	if (e == x)
		return ctx->one;
	/* results under a convention are memoised apart */
	r = gb_memo_get(&ctx->memo, GB_MEMO_DIFF + ctx->convention * 0x100u,
			e->id, x->id);
	if (r)
		return r;
	if (++depth > 4 * ctx->limits.max_depth) {
		gb_error(ctx, NULL, (gb_span){ 0, 0 },
			 "expression nested too deeply to differentiate");
		return NULL;
	}
	switch ((gb_kind)e->kind) {
	case GB_ADD:
	case GB_MATRIX:
		r = e->kind == GB_ADD ? d_sum(ctx, e, x, depth) : NULL;
		if (e->kind == GB_MATRIX) {
			const gb_node **v = gb_mem_alloc(&ctx->mem,
							 e->nargs * sizeof *v);

			if (!v)
				return gb_ctx_oom(ctx);
			for (uint32_t i = 0; i < e->nargs; i++)
				v[i] = d(ctx, e->arg[i], x, depth);
			r = gb_matrix(ctx, e->shape.rows, e->shape.cols, v);
			gb_mem_free(&ctx->mem, v);
		}
		break;
	case GB_MUL:
	case GB_HADAMARD:
		r = d_product(ctx, e, x, depth);
		break;
	case GB_POW:
		r = d_pow(ctx, e, x, depth);
		break;
	case GB_CALL:
		r = d_call(ctx, e, x, depth);
		break;
	case GB_PIECEWISE:
		r = d_piecewise(ctx, e, x, depth);
		break;
	case GB_MATMUL:	/* (A B)' = A' B + A B' */
		r = gb_add2(ctx,
			    gb_matmul(ctx, d(ctx, e->arg[0], x, depth), e->arg[1]),
			    gb_matmul(ctx, e->arg[0], d(ctx, e->arg[1], x, depth)));
		break;
	case GB_TRANSPOSE:
		r = gb_transpose(ctx, d(ctx, e->arg[0], x, depth));
		break;
	case GB_CMP:
	case GB_AND:
	case GB_OR:
		gb_error(ctx, NULL, (gb_span){ 0, 0 },
			 "a condition has no derivative");
		return NULL;
	case GB_NUM:
	case GB_CONST:
	case GB_SYM:
	case GB_NKINDS:
		r = ctx->zero;
		break;
	}
	if (r && !gb_memo_put(&ctx->memo, GB_MEMO_DIFF + ctx->convention * 0x100u,
			      e->id, x->id, r))
		return gb_ctx_oom(ctx);
	return r;
}

void gb_set_convention(gb_ctx *ctx, gb_convention conv)
{
	ctx->convention = (uint8_t)conv;
}

const gb_node *gb_diff(gb_ctx *ctx, const gb_node *e, const gb_node *x)
{
	if (!e || !x)
		return NULL;
	if (!load_rules(ctx))
		return NULL;
	return d(ctx, e, x, 0);
}

const gb_node *gb_derivative(gb_ctx *ctx, const gb_node *e, const gb_node *x,
			     unsigned long n)
{
	const gb_node *f = e;

	if (!e || !x)
		return NULL;
	for (unsigned long k = 0; k < n && f; k++) {
		const gb_node *df = gb_diff(ctx, f, x);

		/*
		 * Higher derivatives are kept expanded (polynomials in
		 * sigmoid(x), tanh(x), ...) so they stay small; the first
		 * keeps its factored textbook form.
		 */
		if (n > 1)
			df = gb_expand(ctx, df);
		if (ctx->convention == GB_CONV_NONE)
			df = gb_resolve_kinks(ctx, f, df, x);
		f = df;
	}
	f = gb_simplify(ctx, f);
	/* Remember that f is a derivative in x, for explanations. */
	if (f && n > 0 && !gb_memo_put(&ctx->memo, GB_MEMO_DERIVED, f->id, 0, x))
		return gb_ctx_oom(ctx);
	return f;
}

const gb_node *gb_diff_hook_fn(gb_ctx *ctx, const gb_node *e,
			       const gb_node *x, unsigned long order)
{
	return gb_derivative(ctx, e, x, order);
}
