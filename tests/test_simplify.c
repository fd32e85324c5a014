/*
 * test_simplify.c - every rewrite of calculus/simplify.c preserves the
 * value: the input and its simplified form are evaluated with MPFR at
 * seeded points and must agree (or both be undefined). Each rule has
 * its own case, with the form it must produce, and the property is also
 * run over seeded random expressions.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calculus/simplify.h"
#include "core/build.h"
#include "core/ctx.h"
#include "core/gen.h"
#include "numeric/eval.h"

enum { PREC = 200 };


static const char *const xs[] = { "-3", "-7/10", "-1/1000", "1/3", "2",
				  "11/2" };

/* One rule: text in, the printed form out, equal values at six points. */
static void rule(const char *id, const char *in, const char *want)
{
	gb_ctx *ctx = tu_ctx();
	const gb_node *e, *s;
	char *got;

	assert_int_equal(gb_load(ctx, "<t>", "param beta > 0", 14), GB_OK);
	if (gb_parse(ctx, "<t>", in, strlen(in), &e) != GB_OK)
		fail_msg("%s: cannot parse %s", id, in);
	s = gb_simplify(ctx, e);
	assert_non_null(s);
	got = gb_print(ctx, s);
	if (strcmp(got, want) != 0)
		fail_msg("%s: simplify(%s)\n  got  %s\n  want %s", id, in, got,
			 want);
	gb_free(got);
	for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
		assert_int_equal(gb_bind(ctx, "x", xs[i]), GB_OK);
		assert_int_equal(gb_bind(ctx, "beta", "3/2"), GB_OK);
		if (!tu_same_value(ctx, e, s, PREC))
			fail_msg("%s: %s and its simplified form differ at x = %s",
				 id, in, xs[i]);
	}
	gb_ctx_free(ctx);
}

/* simp-1.x: the rules, each with the form it must give */
static void test_simplify_rules(void **state)
{
	(void)state;
	rule("simp-1.1", "exp(beta*x)/(1 + exp(beta*x))", "sigmoid(beta*x)");
	rule("simp-1.2", "1/(1 + exp(-x))", "sigmoid(x)");
	rule("simp-1.3", "1/(1 + exp(x))", "sigmoid(-x)");
	rule("simp-1.4", "exp(x)*sigmoid(-x)", "sigmoid(x)");
	rule("simp-1.5", "log(1 + exp(x))", "softplus(x)");
	rule("simp-1.6", "piecewise(x < 0: 1, x > 0: 2) + piecewise(x < 0: x, x > 0: 3)",
	     "piecewise(x < 0: 1 + x, x > 0: 5)");
	rule("simp-1.7", "x*piecewise(x < 0: -1, x > 0: 1)",
	     "piecewise(x < 0: -x, x > 0: x)");
	rule("simp-1.8", "piecewise(x < 0: abs(x), x > 0: abs(x) + relu(x))",
	     "piecewise(x < 0: -x, x > 0: 2*x)");
	rule("simp-1.9", "1/(1 + x^2) - x^2/(1 + x^2)^2", "1/(1 + x^2)^2");
	rule("simp-1.10", "piecewise(x < 0: sign(x), x > 0: x*sign(x))",
	     "piecewise(x < 0: -1, x > 0: x)");
	/* under x >= 0, sign(x) is not rewritten: sign(0) = 0 */
	rule("simp-1.11", "piecewise(x >= 0: sign(x), otherwise: 0)",
	     "piecewise(x >= 0: sign(x), otherwise: 0)");
}

/* simp-1.11: expansion keeps values (and makes polynomials) */
static void test_simplify_expand(void **state)
{
	static const char *const in[] = {
		"(1 + x)^3 - x*(2 - x)", "sigmoid(x)*(1 - sigmoid(x))*(1 + x)",
		"(x - 1)*(x + 1)*(x^2 + 1)",
	};

	(void)state;
	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
		gb_ctx *ctx = tu_ctx();
		const gb_node *e, *s;

		assert_int_equal(gb_parse(ctx, "<t>", in[i], strlen(in[i]), &e),
				 GB_OK);
		s = gb_expand(ctx, e);
		assert_non_null(s);
		for (size_t k = 0; k < sizeof xs / sizeof xs[0]; k++) {
			assert_int_equal(gb_bind(ctx, "x", xs[k]), GB_OK);
			assert_true(tu_same_value(ctx, e, s, PREC));
		}
		gb_ctx_free(ctx);
	}
}

/* simp-2.1: simplify keeps the value of seeded random expressions */
static void test_simplify_random(void **state)
{
	static const char *const names[] = { "x", "y", "alpha", "beta" };
	static const char *const vals[] = { "7/10", "-3/4", "5/4", "2/3" };
	int changed = 0;

	(void)state;
	for (uint64_t seed = 1; seed <= 400; seed++) {
		gb_ctx *ctx = tu_ctx();
		uint64_t st = seed * 7919u + 17;
		const gb_node *e = gb_gen_expr(ctx, &st, 4), *s;

		for (int i = 0; i < 4; i++)
			assert_int_equal(gb_bind(ctx, names[i], vals[i]), GB_OK);
		s = gb_simplify(ctx, e);
		assert_non_null(s);
		changed += s != e;
		if (!tu_same_value(ctx, e, s, PREC)) {
			char *a = gb_print(ctx, e), *b = gb_print(ctx, s);

			fail_msg("simp-2.1 seed %llu: %s simplified to %s changes its value",
				 (unsigned long long)seed, a, b);
		}
		gb_ctx_free(ctx);
	}
	assert_true(changed > 10);	/* the rules did fire */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simplify_rules),
		cmocka_unit_test(test_simplify_expand),
		cmocka_unit_test(test_simplify_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
