/*
 * test_build.c - the canonical form: hash-consing and smart constructors.
 *
 * Oracle: structural identity. Two ways of writing the same canonical
 * expression must give the same pointer; different expressions must not.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/build.h"
#include "core/ctx.h"
#include "calculus/subst.h"

typedef struct fix {
	gb_ctx *ctx;
	const gb_node *x, *y, *z;
} fix;

static int setup(void **state)
{
	fix *f = calloc(1, sizeof *f);

	if (!f)
		return -1;
	f->ctx = gb_ctx_new();
	f->x = gb_symbol(f->ctx, "x", 1);
	f->y = gb_symbol(f->ctx, "y", 1);
	f->z = gb_symbol(f->ctx, "z", 1);
	*state = f;
	return f->ctx ? 0 : -1;
}

static int teardown(void **state)
{
	fix *f = *state;

	gb_ctx_free(f->ctx);
	free(f);
	return 0;
}

#define N(v) gb_num_si(c, (v))

/* build-1.1: interning: the same structure is the same pointer */
static void test_build_interning(void **state)
{
	fix *f = *state;
	gb_ctx *c = f->ctx;

	assert_ptr_equal(gb_symbol(c, "x", 1), f->x);
	assert_ptr_equal(N(7), N(7));
	assert_ptr_equal(gb_num_frac(c, 2, 4), gb_num_frac(c, 1, 2));
	assert_ptr_equal(gb_call1(c, GB_FN_EXP, f->x),
			 gb_call1(c, GB_FN_EXP, f->x));
	assert_ptr_not_equal(gb_call1(c, GB_FN_EXP, f->x),
			     gb_call1(c, GB_FN_LOG, f->x));
}

/* build-1.2: sums are flat, sorted, with like terms merged */
static void test_build_sums(void **state)
{
	fix *f = *state;
	gb_ctx *c = f->ctx;
	const gb_node *xy = gb_add2(c, f->x, f->y);

	assert_ptr_equal(xy, gb_add2(c, f->y, f->x));
	assert_ptr_equal(gb_add2(c, xy, f->z),
			 gb_add2(c, f->x, gb_add2(c, f->y, f->z)));
	assert_ptr_equal(gb_add2(c, f->x, f->x), gb_mul2(c, N(2), f->x));
	assert_ptr_equal(gb_sub(c, f->x, f->x), c->zero);
	assert_ptr_equal(gb_add2(c, N(2), N(3)), N(5));
	/* 2x + 3x = 5x */
	assert_ptr_equal(gb_add2(c, gb_mul2(c, N(2), f->x),
				 gb_mul2(c, N(3), f->x)),
			 gb_mul2(c, N(5), f->x));
	/* the constant comes first among the children */
	{
		const gb_node *s = gb_add2(c, f->x, N(1));

		assert_int_equal(s->kind, GB_ADD);
		assert_ptr_equal(s->arg[0], c->one);
	}
}

/* xs[0..n) = the symbols x1 ... xn */
static void symbols(gb_ctx *c, const gb_node **xs, int n)
{
	char name[16];

	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof name, "x%d", i + 1);
		xs[i] = gb_symbol(c, name, strlen(name));
	}
}

/* build-1.2b: a long sum (more than 32 terms) is kept whole as one term
 * of a larger sum unless a term merges into it; then it is flattened. */
static void test_build_long_sums(void **state)
{
	fix *f = *state;
	gb_ctx *c = f->ctx;
	const gb_node *xs[41], *s, *t, *u, *flat[41];

	symbols(c, xs, 40);
	s = gb_add(c, 40, xs);
	assert_int_equal(s->kind, GB_ADD);
	assert_int_equal(s->nargs, 40);
	t = gb_add2(c, s, f->y);		/* y merges with nothing */
	assert_int_equal(t->kind, GB_ADD);
	assert_int_equal(t->nargs, 2);
	assert_true(t->arg[0] == s || t->arg[1] == s);
	/* t - x5: x5 has a like term in s, so s is flattened and x5 goes */
	u = gb_sub(c, t, xs[4]);
	for (int i = 0, k = 0; i < 40; i++)
		if (i != 4)
			flat[k++] = xs[i];
	flat[39] = f->y;
	assert_ptr_equal(u, gb_add(c, 40, flat));
	assert_int_equal(u->nargs, 40);
	/* t + 2 x7 = ... + 3 x7 + ..., flat */
	u = gb_add2(c, t, gb_mul2(c, N(2), xs[6]));
	memcpy(flat, xs, 40 * sizeof *flat);
	flat[6] = gb_mul2(c, N(3), xs[6]);
	flat[40] = f->y;
	assert_ptr_equal(u, gb_add(c, 41, flat));
	/* 1 + s: s has no constant, so it stays whole */
	u = gb_add2(c, N(1), s);
	assert_int_equal(u->nargs, 2);
	assert_ptr_equal(u->arg[0], N(1));
	assert_ptr_equal(gb_add2(c, u, N(-1)), s);
	/* a number meets the constant of a long sum: (1 + x1 + ...) - 1 */
	memcpy(flat, xs, 40 * sizeof *flat);
	flat[40] = N(1);
	assert_ptr_equal(gb_add2(c, gb_add(c, 41, flat), N(-1)), s);
	/* -s is not distributed, and s - s is still 0 */
	assert_int_equal(gb_neg(c, s)->kind, GB_MUL);
	assert_ptr_equal(gb_sub(c, s, s), c->zero);
	assert_ptr_equal(gb_sub(c, t, s), f->y);
	/* x1 - s: x1 meets its like term inside -1*s */
	u = gb_sub(c, xs[0], s);
	assert_int_equal(u->nargs, 39);
	for (uint32_t i = 0; i < u->nargs; i++)
		assert_true(u->arg[i]->kind == GB_MUL &&
			    u->arg[i]->arg[1] != xs[0]);
	/* two long sums sharing terms merge: s + (s + y) flat is 2 x1 + ... + y */
	memcpy(flat, xs, 40 * sizeof *flat);
	flat[40] = f->y;
	u = gb_add2(c, s, gb_add(c, 41, flat));
	assert_int_equal(u->nargs, 41);		/* 2 x1, ..., 2 x40, y */
	assert_ptr_equal(u->arg[0], gb_mul2(c, N(2), xs[0]));
	assert_ptr_equal(gb_sub(c, u, gb_add2(c, s, f->y)), s);
	/* a like term one level down: (s + y1 ... y40) - x5 has no x5 */
	{
		const gb_node *ys[40], *w, *v;

		for (int i = 0; i < 40; i++) {
			char name[16];

			snprintf(name, sizeof name, "y%d", i + 1);
			ys[i] = gb_symbol(c, name, strlen(name));
		}
		w = gb_add2(c, s, gb_add(c, 40, ys));
		v = gb_sub(c, w, xs[4]);
		assert_true(gb_depends(c, w, xs[4]));
		assert_false(gb_depends(c, v, xs[4]));
	}
}

/* build-1.2c: a chain y_k = y_{k-1} + t_k never builds a sum with more
 * than about 2 * 32 terms, so it takes linear space and time. */
static void test_build_long_chain(void **state)
{
	fix *f = *state;
	gb_ctx *c = f->ctx;

	/* y_k = y_{k-1} + tanh(w_k y_{k-1}), and the same plus 1 at every
	 * layer (a constant must not make every layer copy the sum) */
	for (int plus_one = 0; plus_one < 2; plus_one++) {
		const gb_node *y = f->x;

		for (int k = 1; k <= 1000; k++) {
			char name[16];
			const gb_node *a[3];

			snprintf(name, sizeof name, "w%d", k);
			a[0] = y;
			a[1] = gb_call1(c, GB_FN_TANH,
					gb_mul2(c, gb_symbol(c, name, strlen(name)),
						y));
			a[2] = c->one;
			y = gb_add(c, plus_one ? 3 : 2, a);
			assert_non_null(y);
		}
		for (const gb_node *n = y; n->kind == GB_ADD;) {
			const gb_node *next = NULL;

			assert_true(n->nargs <= 2 * 32 + 2);
			for (uint32_t i = 0; i < n->nargs; i++)
				if (n->arg[i]->kind == GB_ADD)
					next = n->arg[i];
			if (!next)
				break;
			n = next;
		}
	}
}

/* build-1.3b: a long product is kept whole as one factor unless a factor
 * with one of its bases joins it; its coefficient is pulled out. */
static void test_build_long_products(void **state)
{
	fix *f = *state;
	gb_ctx *c = f->ctx;
	const gb_node *xs[41], *p, *q, *u, *flat[41];

	symbols(c, xs, 40);
	p = gb_mul(c, 40, xs);
	assert_int_equal(p->nargs, 40);
	q = gb_mul2(c, p, f->y);
	assert_int_equal(q->kind, GB_MUL);
	assert_int_equal(q->nargs, 2);
	/* 2 p y: the coefficient leads, p stays whole */
	u = gb_mul2(c, gb_mul2(c, N(2), p), f->y);
	assert_int_equal(u->nargs, 3);
	assert_ptr_equal(u->arg[0], N(2));
	assert_true(u->arg[1] == p || u->arg[2] == p);
	/* q x3 = x1 x2 x3^2 ... y, flat */
	u = gb_mul2(c, q, xs[2]);
	memcpy(flat, xs, 40 * sizeof *flat);
	flat[2] = gb_pow_si(c, xs[2], 2);
	flat[40] = f->y;
	assert_ptr_equal(u, gb_mul(c, 41, flat));
	/* q / x3 drops x3 */
	u = gb_div(c, q, xs[2]);
	for (int i = 0, k = 0; i < 40; i++)
		if (i != 2)
			flat[k++] = xs[i];
	flat[39] = f->y;
	assert_ptr_equal(u, gb_mul(c, 40, flat));
	/* e and exp(q) factors always flatten (they merge by base e) */
	u = gb_mul2(c, q, gb_const(c, GB_CONST_E));
	assert_int_equal(u->nargs, 42);
	/* p / p = 1: two long products that cancel */
	assert_ptr_equal(gb_div(c, p, p), c->one);
	/* a number times a long product only rescales it: flat */
	u = gb_mul2(c, N(-3), p);
	assert_int_equal(u->nargs, 41);
	assert_ptr_equal(u->arg[0], N(-3));
	/* (x y)^(1/2) (x y)^(1/2) z = x y z: a short product as the base
	 * of merged powers is flattened, not kept as one factor */
	{
		const gb_node *xy = gb_mul2(c, f->x, f->y);
		const gb_node *h = gb_pow(c, xy, gb_num_frac(c, 1, 2));
		const gb_node *a3[3] = { h, h, f->z };
		const gb_node *b3[3] = { f->x, f->y, f->z };

		assert_ptr_equal(gb_mul(c, 3, a3), gb_mul(c, 3, b3));
	}
}

/* build-1.3: products merge powers, fold numbers, distribute a number */
static void test_build_products(void **state)
{
	fix *f = *state;
	gb_ctx *c = f->ctx;

	assert_ptr_equal(gb_mul2(c, f->x, f->x), gb_pow_si(c, f->x, 2));
	assert_ptr_equal(gb_mul2(c, f->x, gb_pow_si(c, f->x, 2)),
			 gb_pow_si(c, f->x, 3));
	assert_ptr_equal(gb_div(c, f->x, f->x), c->one);
	assert_ptr_equal(gb_mul2(c, c->zero, f->x), c->zero);
	assert_ptr_equal(gb_mul2(c, c->one, f->x), f->x);
	assert_ptr_equal(gb_mul2(c, f->y, f->x), gb_mul2(c, f->x, f->y));
	/* 2 (x + y) = 2x + 2y, -(1 - x) = x - 1 */
	assert_ptr_equal(gb_mul2(c, N(2), gb_add2(c, f->x, f->y)),
			 gb_add2(c, gb_mul2(c, N(2), f->x),
				 gb_mul2(c, N(2), f->y)));
	assert_ptr_equal(gb_neg(c, gb_sub(c, c->one, f->x)),
			 gb_sub(c, f->x, c->one));
	/* (2x)^2 = 4 x^2 ; 1/(2x) = (1/2) x^-1 */
	assert_ptr_equal(gb_pow_si(c, gb_mul2(c, N(2), f->x), 2),
			 gb_mul2(c, N(4), gb_pow_si(c, f->x, 2)));
	assert_ptr_equal(gb_div(c, c->one, gb_mul2(c, N(2), f->x)),
			 gb_mul2(c, c->half, gb_pow_si(c, f->x, -1)));
}

/* build-1.4: exact powers of numbers, kept when not rational or too big */
static void test_build_powers(void **state)
{
	fix *f = *state;
	gb_ctx *c = f->ctx;
	const gb_node *r;

	assert_ptr_equal(gb_pow(c, N(4), c->half), N(2));
	assert_ptr_equal(gb_pow(c, N(-8), gb_num_frac(c, 1, 3)), N(-2));
	assert_ptr_equal(gb_pow_si(c, N(2), -2), gb_num_frac(c, 1, 4));
	assert_ptr_equal(gb_pow(c, gb_num_frac(c, 9, 4), gb_num_frac(c, -1, 2)),
			 gb_num_frac(c, 2, 3));
	r = gb_pow(c, N(2), c->half);
	assert_int_equal(r->kind, GB_POW);
	r = gb_pow(c, N(-4), c->half);		/* not real: kept */
	assert_int_equal(r->kind, GB_POW);
	r = gb_pow(c, N(10), gb_num_si(c, 1000000000));	/* too large */
	assert_int_equal(r->kind, GB_POW);
	assert_ptr_equal(gb_pow(c, f->x, c->zero), c->one);
	assert_ptr_equal(gb_pow(c, f->x, c->one), f->x);
	assert_ptr_equal(gb_pow_si(c, gb_pow_si(c, f->x, 2), 3),
			 gb_pow_si(c, f->x, 6));
	/* (x^2)^(1/2) is |x|, not x: must stay a power */
	r = gb_pow(c, gb_pow_si(c, f->x, 2), c->half);
	assert_ptr_not_equal(r, f->x);
	/* e^x is exp(x) */
	assert_ptr_equal(gb_pow(c, c->e, f->x), gb_call1(c, GB_FN_EXP, f->x));
}

/* build-1.5: exact function values and max/min normalisation */
static void test_build_calls(void **state)
{
	fix *f = *state;
	gb_ctx *c = f->ctx;
	const gb_node *m;

	assert_ptr_equal(gb_call1(c, GB_FN_EXP, c->zero), c->one);
	assert_ptr_equal(gb_call1(c, GB_FN_LOG, c->one), c->zero);
	assert_ptr_equal(gb_call1(c, GB_FN_SIGMOID, c->zero), c->half);
	assert_ptr_equal(gb_call1(c, GB_FN_ABS, N(-3)), N(3));
	assert_ptr_equal(gb_call1(c, GB_FN_SIGN, N(-3)), c->minus_one);
	assert_ptr_equal(gb_call1(c, GB_FN_RELU, N(-3)), c->zero);
	assert_ptr_equal(gb_call1(c, GB_FN_SQRT, gb_num_frac(c, 9, 16)),
			 gb_num_frac(c, 3, 4));
	assert_ptr_equal(gb_call1(c, GB_FN_LOG, gb_call1(c, GB_FN_EXP, f->x)),
			 f->x);
	{
		const gb_node *a[3] = { f->x, N(0), N(2) };
		const gb_node *b[2] = { N(2), f->x };

		m = gb_call(c, GB_FN_MAX, 3, a);
		assert_ptr_equal(m, gb_call(c, GB_FN_MAX, 2, b));
	}
}

/* build-1.6: conditions are normalised: 0 < x is x > 0, 2x - 2 < 0 is x < 1 */
static void test_build_conditions(void **state)
{
	fix *f = *state;
	gb_ctx *c = f->ctx;
	const gb_node *lhs = gb_sub(c, gb_mul2(c, N(2), f->x), N(2));

	assert_ptr_equal(gb_cmp(c, GB_OP_LT, c->zero, f->x),
			 gb_cmp(c, GB_OP_GT, f->x, c->zero));
	assert_ptr_equal(gb_cmp(c, GB_OP_LT, lhs, c->zero),
			 gb_cmp(c, GB_OP_LT, f->x, c->one));
	assert_ptr_equal(gb_cmp(c, GB_OP_LT, gb_neg(c, f->x), c->zero),
			 gb_cmp(c, GB_OP_GT, f->x, c->zero));
	assert_ptr_equal(gb_cmp(c, GB_OP_LT, N(1), N(2)), gb_true(c));
	assert_ptr_equal(gb_cmp(c, GB_OP_GT, N(1), N(2)), gb_false(c));
	{
		const gb_node *p = gb_cmp(c, GB_OP_GT, f->x, c->zero);
		const gb_node *a[2] = { p, gb_true(c) };
		const gb_node *b[2] = { p, gb_false(c) };

		assert_ptr_equal(gb_and(c, 2, a), p);
		assert_ptr_equal(gb_and(c, 2, b), gb_false(c));
		assert_ptr_equal(gb_or(c, 2, b), p);
	}
}

/* build-1.6b: increasing functions are inverted, max/min/abs split,
 * positive parameters divided out, bounds on one expression merged */
static void test_build_condition_solving(void **state)
{
	fix *f = *state;
	gb_ctx *c = f->ctx;
	const gb_node *x = f->x, *alpha = gb_symbol(c, "alpha", 5);
	const gb_node *gt0 = gb_cmp(c, GB_OP_GT, x, c->zero);
	const gb_node *lt0 = gb_cmp(c, GB_OP_LT, x, c->zero);
	const gb_node *ax;

	/* exp(x) > 1, sigmoid(x) > 1/2, tanh(x) > 0: all x > 0 */
	assert_ptr_equal(gb_cmp(c, GB_OP_GT, gb_call1(c, GB_FN_EXP, x), c->one), gt0);
	assert_ptr_equal(gb_cmp(c, GB_OP_GT, gb_call1(c, GB_FN_SIGMOID, x), c->half), gt0);
	assert_ptr_equal(gb_cmp(c, GB_OP_GT, gb_call1(c, GB_FN_TANH, x), c->zero), gt0);
	/* outside the range: decided */
	assert_ptr_equal(gb_cmp(c, GB_OP_GT, gb_call1(c, GB_FN_EXP, x), c->minus_one), gb_true(c));
	assert_ptr_equal(gb_cmp(c, GB_OP_LT, gb_call1(c, GB_FN_SIGMOID, x), N(0)), gb_false(c));
	/* max(0, x) < 6 is x < 6; min(1, x) > -1 is x > -1; relu(x) > 0 */
	{
		const gb_node *a[2] = { c->zero, x }, *b[2] = { c->one, x };

		assert_ptr_equal(gb_cmp(c, GB_OP_LT, gb_call(c, GB_FN_MAX, 2, a), N(6)),
				 gb_cmp(c, GB_OP_LT, x, N(6)));
		assert_ptr_equal(gb_cmp(c, GB_OP_GT, gb_call(c, GB_FN_MIN, 2, b), c->minus_one),
				 gb_cmp(c, GB_OP_GT, x, c->minus_one));
		assert_ptr_equal(gb_cmp(c, GB_OP_GT, gb_call(c, GB_FN_MAX, 2, a), c->minus_one),
				 gb_true(c));
	}
	assert_ptr_equal(gb_cmp(c, GB_OP_GT, gb_call1(c, GB_FN_RELU, x), c->zero), gt0);
	/* a - b one term: x > 2x is x < 0, 3x + y < x + y too, x + 1 > x
	 * holds; x > y stays */
	assert_ptr_equal(gb_cmp(c, GB_OP_GT, x, gb_mul2(c, N(2), x)), lt0);
	assert_ptr_equal(gb_cmp(c, GB_OP_LT, gb_add2(c, gb_mul2(c, N(3), x), f->y),
				gb_add2(c, x, f->y)), lt0);
	assert_ptr_equal(gb_cmp(c, GB_OP_GT, gb_add2(c, x, c->one), x), gb_true(c));
	assert_int_equal(gb_cmp(c, GB_OP_GT, x, f->y)->arg[0] == x, 1);
	/* alpha*x > 0 is x > 0 only when alpha is declared positive */
	ax = gb_mul2(c, alpha, x);
	assert_ptr_not_equal(gb_cmp(c, GB_OP_GT, ax, c->zero), gt0);
	gb_sym_intern(c, "alpha", 5)->sign = 1;
	ax = gb_mul2(c, gb_pow_si(c, alpha, -1), x);	/* x/alpha */
	assert_ptr_equal(gb_cmp(c, GB_OP_GT, ax, c->zero), gt0);
	/* bounds: x > -3 and x > 3 is x > 3; x < 0 and x > 0 is false;
	 * x < 0 or x >= 0 is true; x == 2 and x > 0 is x == 2 */
	{
		const gb_node *a[2] = { gb_cmp(c, GB_OP_GT, x, N(-3)),
					gb_cmp(c, GB_OP_GT, x, N(3)) };
		const gb_node *b[2] = { lt0, gt0 };
		const gb_node *d[2] = { lt0, gb_cmp(c, GB_OP_GE, x, c->zero) };
		const gb_node *e2[2] = { gb_cmp(c, GB_OP_EQ, x, c->two), gt0 };

		assert_ptr_equal(gb_and(c, 2, a), a[1]);
		assert_ptr_equal(gb_or(c, 2, a), a[0]);
		assert_ptr_equal(gb_and(c, 2, b), gb_false(c));
		assert_ptr_equal(gb_or(c, 2, d), gb_true(c));
		assert_ptr_equal(gb_and(c, 2, e2), e2[0]);
	}
}

/* build-1.7b: nested piecewise values are flattened where that is exact */
static void test_build_piecewise_flatten(void **state)
{
	fix *f = *state;
	gb_ctx *c = f->ctx;
	const gb_node *x = f->x;
	const gb_node *lt0 = gb_cmp(c, GB_OP_LT, x, c->zero);
	const gb_node *gt0 = gb_cmp(c, GB_OP_GT, x, c->zero);
	const gb_node *gt1 = gb_cmp(c, GB_OP_GT, x, c->one);
	const gb_node *in[4] = { gt1, f->y, gb_cmp(c, GB_OP_LT, x, c->one), f->z };
	const gb_node *inner = gb_piecewise(c, 4, in);
	const gb_node *out[4] = { lt0, c->zero, gt0, inner };
	const gb_node *p = gb_piecewise(c, 4, out);

	/* last branch, no otherwise: (x > 0 and x > 1: y, 0 < x < 1: z) */
	assert_int_equal(p->kind, GB_PIECEWISE);
	assert_int_equal(p->nargs, 6);
	assert_ptr_equal(p->arg[2], gt1);
	/* not the last branch and the inner has no otherwise: kept nested */
	{
		const gb_node *o2[5] = { gt0, inner, lt0, c->zero, f->y };

		p = gb_piecewise(c, 5, o2);
		assert_ptr_equal(p->arg[1], inner);
	}
}

/* build-1.7: piecewise drops decided branches and merges equal values */
static void test_build_piecewise(void **state)
{
	fix *f = *state;
	gb_ctx *c = f->ctx;
	const gb_node *neg = gb_cmp(c, GB_OP_LT, f->x, c->zero);
	const gb_node *pos = gb_cmp(c, GB_OP_GT, f->x, c->zero);
	const gb_node *a[4] = { neg, c->zero, pos, c->one };
	const gb_node *b[3] = { gb_false(c), f->y, f->x };
	const gb_node *d[3] = { pos, f->x, f->x };
	const gb_node *p = gb_piecewise(c, 4, a);

	assert_int_equal(p->kind, GB_PIECEWISE);
	assert_int_equal(p->nargs, 4);
	assert_ptr_equal(gb_piecewise(c, 3, b), f->x);
	assert_ptr_equal(gb_piecewise(c, 3, d), f->x);
	/* no otherwise and every branch false: an empty piecewise */
	{
		const gb_node *e[2] = { gb_false(c), f->x };

		p = gb_piecewise(c, 2, e);
		assert_int_equal(p->kind, GB_PIECEWISE);
		assert_int_equal(p->nargs, 0);
	}
}

/* build-1.8: the structural order is deterministic: numbers, symbols by
 * name, calls by function name */
static void test_build_order(void **state)
{
	fix *f = *state;
	gb_ctx *c = f->ctx;

	assert_true(gb_node_cmp(N(1), f->x) < 0);
	assert_true(gb_node_cmp(f->x, f->y) < 0);
	assert_true(gb_node_cmp(f->y, f->x) > 0);
	assert_true(gb_node_cmp(gb_call1(c, GB_FN_EXP, f->x),
				gb_call1(c, GB_FN_SIN, f->x)) < 0);
	assert_int_equal(gb_node_cmp(f->x, f->x), 0);
	/* the same sum in two contexts has the same child order */
	{
		gb_ctx *c2 = gb_ctx_new();
		const gb_node *s1, *s2;

		assert_non_null(c2);
		/* create y before x in c2: ids differ, order must not */
		s2 = gb_add2(c2, gb_symbol(c2, "y", 1), gb_symbol(c2, "x", 1));
		s1 = gb_add2(c, f->y, f->x);
		assert_string_equal(s1->arg[0]->u.sym->name,
				    s2->arg[0]->u.sym->name);
		gb_ctx_free(c2);
	}
}

/* build-1.9: NULL propagates through every constructor */
static void test_build_null(void **state)
{
	fix *f = *state;
	gb_ctx *c = f->ctx;

	assert_null(gb_add2(c, NULL, f->x));
	assert_null(gb_mul2(c, f->x, NULL));
	assert_null(gb_pow(c, NULL, f->x));
	assert_null(gb_call1(c, GB_FN_EXP, NULL));
	assert_null(gb_cmp(c, GB_OP_LT, NULL, f->x));
	assert_null(gb_transpose(c, NULL));
}

/* build-1.10: the node limit turns into NULL and a sticky flag */
static void test_build_node_limit(void **state)
{
	gb_ctx *c = gb_ctx_new();
	const gb_node *s;
	char name[16];

	(void)state;
	assert_non_null(c);
	c->limits.max_nodes = c->next_id + 50;
	s = c->zero;
	for (int i = 0; i < 100 && s; i++) {
		snprintf(name, sizeof name, "v%d", i);
		s = gb_add2(c, s, gb_symbol(c, name, strlen(name)));
	}
	assert_null(s);
	assert_true(c->too_big);
	assert_int_equal(gb_ctx_status(c), GB_ELIMIT);
	gb_ctx_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_interning),
		cmocka_unit_test(test_build_sums),
		cmocka_unit_test(test_build_long_sums),
		cmocka_unit_test(test_build_long_chain),
		cmocka_unit_test(test_build_products),
		cmocka_unit_test(test_build_long_products),
		cmocka_unit_test(test_build_powers),
		cmocka_unit_test(test_build_calls),
		cmocka_unit_test(test_build_conditions),
		cmocka_unit_test(test_build_condition_solving),
		cmocka_unit_test(test_build_piecewise),
		cmocka_unit_test(test_build_piecewise_flatten),
		cmocka_unit_test(test_build_order),
		cmocka_unit_test(test_build_null),
		cmocka_unit_test(test_build_node_limit),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
