/*
 * test_diff.c - symbolic differentiation.
 *
 * Oracles: (1) every derivative rule of grammar/functions.def and every
 * composite rule against an MPFR central difference (Richardson, 256
 * bits) at seeded random points inside the domain; (2) the printed forms
 * of the textbook results; (3) kinks: where the derivative must be
 * undefined and where it must exist; (4) sizes: higher derivatives stay
 * small and nesting stays linear.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calculus/diff.h"
#include "core/build.h"
#include "core/ctx.h"
#include "numeric/eval.h"
#include "numeric/verify.h"

enum { PREC = 256, POINTS = 8 };

static const gb_node *parse(gb_ctx *ctx, const char *s)
{
	const gb_node *e = NULL;

	if (gb_parse(ctx, "<test>", s, strlen(s), &e) != GB_OK) {
		char *d = gb_diag_render(ctx);

		fprintf(stderr, "parse failed: %s\n%s", s, d ? d : "");
		gb_free(d);
	}
	assert_non_null(e);
	return e;
}

/* A seeded rational in (lo, hi), avoiding a margin around `avoid`. */
static void point(uint64_t *rng, long lo_num, long hi_num, long den,
		  mpq_ptr q)
{
	uint64_t r = tu_rand(rng) % 1000003u;
	long span = hi_num - lo_num;

	/* lo + (r / 1000003) * span, as an exact rational over den */
	mpq_set_si(q, (long)((uint64_t)lo_num * 1000003u + r * (uint64_t)span) , 1);
	mpz_mul_ui(mpq_denref(q), mpq_denref(q), (unsigned long)den * 1000003u);
	mpq_canonicalize(q);
}

/* Checks d/dx e against a central difference at POINTS seeded points of
 * (lo, hi) / den, skipping points within 1/100 of any listed kink. */
static void check_fd(const char *expr, long lo, long hi, long den,
		     const long *kinks, size_t nkinks, uint64_t seed)
{
	gb_ctx *ctx = tu_ctx();
	const gb_node *e = parse(ctx, expr), *x = gb_symbol(ctx, "x", 1), *d;
	mpfr_t err;
	mpq_t q, k;
	int checked = 0;

	d = gb_derivative(ctx, e, x, 1);
	assert_non_null(d);
	mpfr_init2(err, PREC);
	mpq_inits(q, k, NULL);
	for (int i = 0; i < 4 * POINTS && checked < POINTS; i++) {
		bool near = false;

		point(&seed, lo, hi, den, q);
		for (size_t j = 0; j < nkinks; j++) {
			mpq_set_si(k, kinks[j], 1);
			mpq_sub(k, k, q);
			mpq_abs(k, k);
			near |= mpq_cmp_si(k, 1, 100) < 0;
		}
		if (near)
			continue;
		if (gb_fd_check(ctx, e, d, x, q, PREC, err) != GB_OK) {
			char *s = gb_diag_render(ctx);

			fail_msg("%s: evaluation failed at %s\n%s", expr,
				 mpq_get_str(NULL, 10, q), s ? s : "");
		}
		if (mpfr_cmp_si_2exp(err, 1, -90) > 0) {
			char *ds = gb_print(ctx, d);

			fail_msg("%s: derivative %s disagrees with the finite difference at %s (relative error %.3e)",
				 expr, ds, mpq_get_str(NULL, 10, q),
				 mpfr_get_d(err, MPFR_RNDN));
		}
		checked++;
	}
	assert_int_equal(checked, POINTS);
	mpq_clears(q, k, NULL);
	mpfr_clear(err);
	gb_ctx_free(ctx);
}

/* diff-1.x: every rule of functions.def, f(x) inside its domain */
static void test_diff_rules_against_fd(void **state)
{
	static const struct {
		const char *id, *expr;
		long lo, hi, den;	/* the interval (lo/den, hi/den) */
		long kink;		/* 1: avoid x = 0 */
	} rules[] = {
		{ "diff-1.1", "exp(x)", -30, 30, 3, 0 },
		{ "diff-1.2", "log(x)", 1, 500, 10, 0 },
		{ "diff-1.3", "sqrt(x)", 1, 500, 10, 0 },
		{ "diff-1.4", "abs(x)", -50, 50, 10, 1 },
		{ "diff-1.5", "sign(x)", -50, 50, 10, 1 },
		{ "diff-1.6", "sin(x)", -50, 50, 10, 0 },
		{ "diff-1.7", "cos(x)", -50, 50, 10, 0 },
		{ "diff-1.8", "tan(x)", -14, 14, 10, 0 },
		{ "diff-1.9", "asin(x)", -95, 95, 100, 0 },
		{ "diff-1.10", "acos(x)", -95, 95, 100, 0 },
		{ "diff-1.11", "atan(x)", -50, 50, 10, 0 },
		{ "diff-1.12", "sinh(x)", -50, 50, 10, 0 },
		{ "diff-1.13", "cosh(x)", -50, 50, 10, 0 },
		{ "diff-1.14", "tanh(x)", -50, 50, 10, 0 },
		{ "diff-1.15", "asinh(x)", -50, 50, 10, 0 },
		{ "diff-1.16", "acosh(x)", 11, 100, 10, 0 },
		{ "diff-1.17", "atanh(x)", -95, 95, 100, 0 },
		{ "diff-1.18", "erf(x)", -40, 40, 10, 0 },
		{ "diff-1.19", "erfc(x)", -40, 40, 10, 0 },
		{ "diff-1.20", "sigmoid(x)", -100, 100, 10, 0 },
		{ "diff-1.21", "softplus(x)", -100, 100, 10, 0 },
		{ "diff-1.22", "relu(x)", -50, 50, 10, 1 },
		{ "diff-1.23", "max(x, 0)", -50, 50, 10, 1 },
		{ "diff-1.24", "min(x, 0)", -50, 50, 10, 1 },
		{ "diff-1.25", "max(x, 2*x, -x)", -50, 50, 10, 1 },
	};
	static const long zero[1] = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		print_message("%s %s\n", rules[i].id, rules[i].expr);
		check_fd(rules[i].expr, rules[i].lo, rules[i].hi, rules[i].den,
			 zero, rules[i].kink ? 1 : 0, 1000 + i);
	}
}

/* diff-2.x: sum, product, quotient, chain, power and piecewise rules */
static void test_diff_composites_against_fd(void **state)
{
	static const struct {
		const char *id, *expr;
		long lo, hi, den;
		long kinks[2];
		size_t nkinks;
	} cases[] = {
		{ "diff-2.1", "x^x", 1, 40, 10, { 0 }, 0 },
		{ "diff-2.2", "sin(x)*exp(-x^2)", -30, 30, 10, { 0 }, 0 },
		{ "diff-2.3", "log(1 + exp(3*x))/3", -100, 100, 10, { 0 }, 0 },
		{ "diff-2.4", "sigmoid(2*x - 1)^3", -50, 50, 10, { 0 }, 0 },
		{ "diff-2.5", "max(x, x^2)", -30, 30, 10, { 0, 1 }, 2 },
		{ "diff-2.6", "piecewise(x < 1: x^2, otherwise: 2*x - 1)", -30, 30, 10, { 1 }, 1 },
		{ "diff-2.7", "abs(x)^3", -30, 30, 10, { 0 }, 1 },
		{ "diff-2.8", "x*abs(x)", -30, 30, 10, { 0 }, 1 },
		{ "diff-2.9", "tanh(sigmoid(x))/(1 + x^2)", -30, 30, 10, { 0 }, 0 },
		{ "diff-2.10", "erf(x/sqrt(2))*x", -30, 30, 10, { 0 }, 0 },
		{ "diff-2.11", "sqrt(1 + x^2)^(1/3)", -30, 30, 10, { 0 }, 0 },
		{ "diff-2.12", "2^x*3^(-x) + x^(5/2)", 1, 30, 10, { 0 }, 0 },
		{ "diff-2.13", "log(1/(1 + exp(-x)))", -300, 300, 10, { 0 }, 0 },
		{ "diff-2.14", "piecewise(x > 0: x, otherwise: 3/2*(exp(x) - 1))", -30, 30, 10, { 0 }, 1 },
		{ "diff-2.15", "relu(x)^2 + softplus(-2*x)", -30, 30, 10, { 0 }, 1 },
		{ "diff-2.16", "x*sigmoid(x)*tanh(softplus(x))", -30, 30, 10, { 0 }, 0 },
		{ "diff-2.17", "x/(1 + abs(x))", -30, 30, 10, { 0 }, 1 },
		{ "diff-2.18", "min(max(0, x), 6) + max(-1, min(1, x))", -80, 80, 10, { 0, 6 }, 2 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		print_message("%s %s\n", cases[i].id, cases[i].expr);
		check_fd(cases[i].expr, cases[i].lo, cases[i].hi, cases[i].den,
			 cases[i].kinks, cases[i].nkinks, 2000 + i);
	}
}

static void expect_diff(const char *id, const char *prog, const char *expr,
			const char *wrt, unsigned long order, const char *want)
{
	gb_ctx *ctx = tu_ctx();
	const gb_node *e, *d;
	char *got;

	if (prog)
		assert_int_equal(gb_load(ctx, "<prog>", prog, strlen(prog)), GB_OK);
	e = parse(ctx, expr);
	assert_int_equal(gb_differentiate(ctx, e, wrt, order, &d), GB_OK);
	got = gb_print(ctx, d);
	assert_non_null(got);
	if (strcmp(got, want) != 0)
		fail_msg("%s: d/d%s %s\n  got  %s\n  want %s", id,
			 wrt ? wrt : "x", expr, got, want);
	gb_free(got);
	gb_ctx_free(ctx);
}

/* diff-3.x: the forms a textbook prints */
static void test_diff_textbook_forms(void **state)
{
	(void)state;
	expect_diff("diff-3.1", NULL, "sigmoid(x)", NULL, 1,
		    "sigmoid(x)*(1 - sigmoid(x))");
	expect_diff("diff-3.2", NULL, "tanh(x)", NULL, 1, "1 - tanh(x)^2");
	expect_diff("diff-3.3", NULL, "relu(x)", NULL, 1,
		    "piecewise(x < 0: 0, x > 0: 1)");
	expect_diff("diff-3.4", NULL, "max(x, 0)", NULL, 1,
		    "piecewise(x < 0: 0, x > 0: 1)");
	expect_diff("diff-3.5", "param beta > 0",
		    "(1/beta)*log(1 + exp(beta*x))", "x", 1, "sigmoid(beta*x)");
	expect_diff("diff-3.6", NULL, "log(1/(1 + exp(-x)))", NULL, 1,
		    "sigmoid(-x)");
	expect_diff("diff-3.7", NULL, "softplus(x)", NULL, 1, "sigmoid(x)");
	expect_diff("diff-3.8", "param alpha > 0",
		    "piecewise(x > 0: x, otherwise: alpha*(exp(x) - 1))", NULL, 1,
		    "piecewise(x > 0: 1, x < 0: alpha*exp(x), alpha == 1 and x == 0: 1)");
	expect_diff("diff-3.9", NULL, "sign(x)", NULL, 1,
		    "piecewise(x < 0: 0, x > 0: 0)");
	expect_diff("diff-3.10", NULL, "sigmoid(x)", NULL, 2,
		    "sigmoid(x) - 3*sigmoid(x)^2 + 2*sigmoid(x)^3");
	/* activations: sums of piecewise parts lifted, |x| resolved in each
	 * region, fractions over a common denominator */
	expect_diff("diff-3.11", NULL, "max(0, x) + 0.01*min(0, x)", NULL, 1,
		    "piecewise(x < 0: 1/100, x > 0: 1)");
	expect_diff("diff-3.12", NULL, "x/(1 + abs(x))", NULL, 1,
		    "piecewise(x == 0: 1, x < 0: 1/(1 - x)^2, x > 0: 1/(1 + x)^2)");
	expect_diff("diff-3.13", "param alpha > 0",
		    "max(0, x) + min(0, alpha*(exp(x/alpha) - 1))", NULL, 1,
		    "piecewise(x == 0: 1, x < 0: exp(x/alpha), x > 0: 1)");
	expect_diff("diff-3.14", NULL, "max(-1, min(1, x))", NULL, 1,
		    "piecewise(x < -1: 0, x > 1: 0, x < 1 and x > -1: 1)");
	expect_diff("diff-3.15", NULL, "min(max(0, x), 6)", NULL, 1,
		    "piecewise(x > 6: 0, x < 0: 0, x < 6 and x > 0: 1)");
	expect_diff("diff-3.16", NULL, "x*abs(x)", NULL, 1,
		    "piecewise(x == 0: 0, x < 0: -2*x, x > 0: 2*x)");
	expect_diff("diff-3.17", NULL, "x*(1 + erf(x/sqrt(2)))/2", NULL, 1,
		    "1/2 + erf(x/sqrt(2))/2 + x*exp(-x^2/2)/(sqrt(2)*sqrt(pi))");
}

/* Evaluates e at x = xs ("undefined" when it has no value there). */
static void expect_val(const char *id, const char *prog, const char *expr,
			 const char *xs, const char *want)
{
	gb_ctx *ctx = tu_ctx();
	const gb_node *e;
	gb_value *v = NULL;
	char *got;

	if (prog)
		assert_int_equal(gb_load(ctx, "<prog>", prog, strlen(prog)), GB_OK);
	assert_int_equal(gb_bind(ctx, "x", xs), GB_OK);
	e = parse(ctx, expr);
	if (gb_eval(ctx, e, 10, &v) == GB_EDOMAIN) {
		got = malloc(10);
		assert_non_null(got);
		strcpy(got, "undefined");
	} else {
		assert_non_null(v);
		got = gb_value_str(v, 10);
	}
	if (strcmp(got, want) != 0)
		fail_msg("%s: %s at x = %s: got %s, want %s", id, expr, xs, got,
			 want);
	free(got);
	gb_value_free(v);
	gb_ctx_free(ctx);
}

/* diff-4.x: kinks: undefined exactly where the derivative does not exist */
static void test_diff_kinks(void **state)
{
	(void)state;
	expect_val("diff-4.1", NULL, "diff(relu(x), x)", "0", "undefined");
	expect_val("diff-4.2", NULL, "diff(relu(x), x)", "-1/2", "0");
	expect_val("diff-4.3", NULL, "diff(relu(x), x)", "1/2",
		     "1.000000000e0");
	expect_val("diff-4.4", NULL, "diff(x*abs(x), x)", "0", "0");
	expect_val("diff-4.5", NULL, "diff(relu(x)^2, x)", "0", "0");
	expect_val("diff-4.6", NULL, "diff(sign(x), x)", "0", "undefined");
	expect_val("diff-4.7", NULL, "diff(abs(x), x)", "0", "undefined");
	expect_val("diff-4.8", "param alpha = 1",
		     "diff(piecewise(x > 0: x, otherwise: alpha*(exp(x) - 1)), x)",
		     "0", "1.000000000e0");
	expect_val("diff-4.9", "param alpha = 3/2",
		     "diff(piecewise(x > 0: x, otherwise: alpha*(exp(x) - 1)), x)",
		     "0", "undefined");
	/* a jump never gets a derivative, even with equal one-sided slopes */
	expect_val("diff-4.10", NULL,
		     "diff(piecewise(x > 1/2: x, x < -1/2: x, otherwise: 0), x)",
		     "1/2", "undefined");
	expect_val("diff-4.11", NULL, "diff(abs(x)^3, x, 2)", "0", "0");
	expect_val("diff-4.12", NULL, "diff(max(x, x^2), x)", "1", "undefined");
}

/* diff-5.1: higher derivatives of sigmoid stay polynomials in sigmoid */
static void test_diff_higher_orders(void **state)
{
	gb_ctx *ctx = tu_ctx();
	const gb_node *e = parse(ctx, "sigmoid(x)"), *x = gb_symbol(ctx, "x", 1);
	const gb_node *s = e;

	(void)state;
	for (unsigned long n = 1; n <= 20; n++) {
		const gb_node *d = gb_derivative(ctx, e, x, n);

		assert_non_null(d);
		/* at most n + 1 terms, each c*sigmoid(x)^k (the first
		 * derivative keeps its factored form) */
		assert_true(n == 1 || d->kind == GB_ADD);
		assert_true(n == 1 || d->nargs <= n + 1);
		for (uint32_t i = 0; n > 1 && i < d->nargs; i++) {
			const gb_node *t = d->arg[i];

			if (t->kind == GB_MUL)
				t = t->arg[t->nargs - 1];
			if (t->kind == GB_POW)
				t = t->arg[0];
			assert_ptr_equal(t, e);
		}
		/* and agree with the finite difference of the previous one */
		if (n <= 4) {
			mpfr_t err;
			mpq_t q;

			mpfr_init2(err, PREC);
			mpq_init(q);
			mpq_set_si(q, 7, 10);
			assert_int_equal(gb_fd_check(ctx, s, d, x, q, PREC, err), GB_OK);
			assert_true(mpfr_cmp_si_2exp(err, 1, -90) < 0);
			mpq_clear(q);
			mpfr_clear(err);
		}
		s = d;
	}
	gb_ctx_free(ctx);
}

/* diff-5.2: memoisation keeps nested chains linear */
static void test_diff_nested_linear(void **state)
{
	uint32_t made[2];
	size_t bytes[2];

	(void)state;
	for (int r = 0; r < 2; r++) {
		gb_ctx *ctx = tu_ctx();
		const gb_node *x = gb_symbol(ctx, "x", 1), *e = x, *g = x;
		uint32_t before;
		size_t b0;
		int depth = r ? 800 : 400;

		ctx->mem.chunk = 4096;	/* arena.total to within 4 KiB */
		for (int i = 0; i < depth; i++) {
			e = gb_call1(ctx, GB_FN_SIGMOID, e);
			/* 1/(1 + exp(-g)): each level's derivative is the
			 * product of the previous one and two new factors */
			g = gb_pow(ctx, gb_add2(ctx, ctx->one,
						gb_call1(ctx, GB_FN_EXP,
							 gb_neg(ctx, g))),
				   ctx->minus_one);
		}
		before = ctx->next_id;
		assert_non_null(gb_diff(ctx, e, x));
		made[r] = ctx->next_id - before;
		b0 = ctx->arena.total;
		assert_non_null(gb_diff(ctx, g, x));
		bytes[r] = ctx->arena.total - b0;
		gb_ctx_free(ctx);
	}
	/* twice the depth: about twice the nodes (linear), not four times;
	 * and twice the memory: products holding all the factors so far
	 * would take four times (the sum of their lengths is quadratic) */
	assert_true(made[1] < 3 * made[0]);
	assert_true(bytes[1] < 3 * bytes[0]);
}

/* diff-5.3: subterms free of x cost nothing, and d/dbeta works too */
static void test_diff_parameters(void **state)
{
	(void)state;
	expect_diff("diff-5.3", "param beta > 0", "log(1 + exp(beta*x))/beta",
		    "beta", 1,
		    "x*sigmoid(beta*x)/beta - softplus(beta*x)/beta^2");
	check_fd("exp(2*x)*sin(3) + cos(x)", -30, 30, 10, NULL, 0, 77);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diff_rules_against_fd),
		cmocka_unit_test(test_diff_composites_against_fd),
		cmocka_unit_test(test_diff_textbook_forms),
		cmocka_unit_test(test_diff_kinks),
		cmocka_unit_test(test_diff_higher_orders),
		cmocka_unit_test(test_diff_nested_linear),
		cmocka_unit_test(test_diff_parameters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
