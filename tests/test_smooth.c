/*
 * test_smooth.c - smoothness classes (calculus/smooth.c).
 *
 * The list of the issue: the PyTorch activations of
 * examples/activations.grad with their classes, the ELU condition
 * (C^1 iff alpha = 1), the explanation sentences, numerical zeros and
 * the "C^8 at least" report.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calculus/smooth.h"

static gb_ctx *activations(void)
{
	gb_ctx *ctx = tu_ctx();
	FILE *f = fopen("examples/activations.grad", "rb");
	char buf[8192];
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	assert_int_equal(gb_load(ctx, "activations.grad", buf, n), GB_OK);
	return ctx;
}

static gb_smooth *analyse(gb_ctx *ctx, const char *expr)
{
	const gb_node *e = NULL;
	gb_smooth *s = NULL;

	assert_int_equal(gb_parse(ctx, "<test>", expr, strlen(expr), &e), GB_OK);
	assert_int_equal(gb_smoothness(ctx, e, "x", &s), GB_OK);
	assert_non_null(s);
	return s;
}

static void expect_class(const char *expr, int cls)
{
	gb_ctx *ctx = activations();
	gb_smooth *s = analyse(ctx, expr);

	if (s->cls != cls)
		fprintf(stderr, "%s: class %d, expected %d\n", expr, s->cls, cls);
	assert_int_equal(s->cls, cls);
	assert_false(s->at_least);
	gb_ctx_free(ctx);
}

static void test_c0(void **state)
{
	(void)state;
	expect_class("relu(x)", 0);
	expect_class("abs(x)", 0);
	expect_class("hardtanh(x)", 0);
	expect_class("relu6(x)", 0);
	expect_class("hardsigmoid(x)", 0);
	expect_class("hardswish(x)", 0);
	expect_class("selu(x)", 0);
	expect_class("max(x, 0)", 0);
	expect_class("leaky_relu(x)", 0);
}

static void test_c1_and_more(void **state)
{
	(void)state;
	expect_class("celu(x)", 1);
	expect_class("x*abs(x)", 1);
	expect_class("abs(x)^3", 2);
	expect_class("softsign(x)", 1);
}

static void test_cinf(void **state)
{
	const char *const smooth[] = {
		"softplus(x)", "sigmoid(x)", "tanh(x)", "gelu(x)", "silu(x)",
		"mish(x)", "logsigmoid(x)", "softplus_beta(x)", "abs(x)^2",
		"max(x, x)", "log(x)", "sqrt(x)"
	};

	(void)state;
	for (size_t i = 0; i < sizeof smooth / sizeof smooth[0]; i++)
		expect_class(smooth[i], GB_C_INF);
}

static void test_discontinuous(void **state)
{
	gb_ctx *ctx = activations();
	gb_smooth *s = analyse(ctx, "hardshrink(x)");
	char *p;

	(void)state;
	assert_int_equal(s->cls, GB_C_DISCONTINUOUS);
	assert_int_equal(s->npt, 2);
	p = gb_smooth_point_str(ctx, s, 1, false);
	assert_string_equal(p, "x = 1/2: jump of size 1/2 (left limit 0, right limit 1/2)");
	gb_free(p);
	s = analyse(ctx, "sign(x)");
	assert_int_equal(s->cls, GB_C_DISCONTINUOUS);
	assert_int_equal(s->pt[0].what, GB_BREAK_JUMP);
	s = analyse(ctx, "piecewise(x < 0: x, x > 0: x)");
	assert_int_equal(s->cls, GB_C_DISCONTINUOUS);
	assert_int_equal(s->pt[0].what, GB_BREAK_HOLE);
	assert_null(s->pt[0].value);
	gb_ctx_free(ctx);
}

static void test_elu_condition(void **state)
{
	gb_ctx *ctx = activations();
	gb_smooth *s = analyse(ctx, "elu(x)");
	char *p;

	(void)state;
	assert_int_equal(s->cls, 0);
	assert_int_equal(s->npt, 1);
	assert_non_null(s->pt[0].cond);
	assert_int_equal(s->pt[0].cls_if, 1);
	assert_false(s->pt[0].at_least_if);
	p = gb_smooth_point_str(ctx, s, 0, false);
	assert_string_equal(p, "x = 0: C^1 if and only if alpha = 1 (left derivative alpha, right derivative 1)");
	gb_free(p);
	p = gb_smooth_sentence(ctx, s, "elu", false);
	assert_string_equal(p, "elu is continuous everywhere but not differentiable at x = 0 unless alpha = 1: its left derivative alpha and right derivative 1 agree only then, and then it is C^1 there.");
	gb_free(p);
	gb_ctx_free(ctx);

	/* alpha = 1 bound: C^1, the second derivatives are 1 and 0 */
	ctx = activations();
	assert_int_equal(gb_bind(ctx, "alpha", "1"), GB_OK);
	s = analyse(ctx, "elu(x)");
	assert_int_equal(s->cls, 1);
	assert_null(s->pt[0].cond);
	p = gb_smooth_point_str(ctx, s, 0, false);
	assert_string_equal(p, "x = 0: left second derivative 1, right second derivative 0");
	gb_free(p);
	gb_ctx_free(ctx);

	/* alpha = 2: C^0 */
	ctx = activations();
	assert_int_equal(gb_bind(ctx, "alpha", "2"), GB_OK);
	s = analyse(ctx, "elu(x)");
	assert_int_equal(s->cls, 0);
	assert_null(s->pt[0].cond);
	gb_ctx_free(ctx);
}

static void test_sentences(void **state)
{
	gb_ctx *ctx = activations();
	gb_smooth *s = analyse(ctx, "relu(x)");
	char *p;

	(void)state;
	p = gb_smooth_sentence(ctx, s, NULL, false);
	assert_string_equal(p, "ReLU is continuous everywhere but not differentiable at x = 0, where its left derivative 0 and right derivative 1 differ.");
	gb_free(p);
	p = gb_smooth_sentence(ctx, s, NULL, true);
	assert_string_equal(p, "$\\operatorname{ReLU}$ is continuous everywhere but not differentiable at $x = 0$, where its left derivative $0$ and right derivative $1$ differ.");
	gb_free(p);
	p = gb_smooth_summary(ctx, s, false);
	assert_string_equal(p, "not differentiable at x = 0");
	gb_free(p);
	s = analyse(ctx, "x*abs(x)");
	p = gb_smooth_sentence(ctx, s, NULL, false);
	assert_string_equal(p, "f(x) = x*abs(x) is continuously differentiable (C^1) but not twice differentiable at x = 0, where its left second derivative -2 and right second derivative 2 differ.");
	gb_free(p);
	s = analyse(ctx, "softplus(x)");
	p = gb_smooth_sentence(ctx, s, NULL, false);
	assert_string_equal(p, "softplus is infinitely differentiable (C^inf) wherever it is defined: it is built from analytic functions only.");
	gb_free(p);
	s = analyse(ctx, "hardsigmoid(x)");
	p = gb_smooth_sentence(ctx, s, "hardsigmoid", false);
	assert_string_equal(p, "hardsigmoid is continuous everywhere but not differentiable at x = -3, where its left derivative 0 and right derivative 1/6 differ, and at x = 3, where its left derivative 1/6 and right derivative 0 differ.");
	gb_free(p);
	gb_ctx_free(ctx);
}

static void test_numeric(void **state)
{
	gb_ctx *ctx = tu_ctx();
	gb_smooth *s = analyse(ctx, "relu(x - cos(x))");
	char *p;

	(void)state;
	assert_int_equal(s->cls, 0);
	assert_int_equal(s->npt, 1);
	assert_true(s->pt[0].numeric);
	assert_int_equal(s->nsearched, 1);
	p = gb_smooth_point_str(ctx, s, 0, false);
	assert_string_equal(p, "x ≈ 0.7390851332… (found numerically): left derivative 0, right derivative ≈ 1.673612029");
	gb_free(p);
	/* exact zeros of a nonlinear argument: x^2 = 2 */
	s = analyse(ctx, "relu(x^2 - 2)");
	assert_int_equal(s->cls, 0);
	assert_int_equal(s->npt, 2);
	assert_false(s->pt[0].numeric);
	/* abs(sin(x)): the 63 zeros k pi in [-100, 100], 0 exactly */
	s = analyse(ctx, "abs(sin(x))");
	assert_int_equal(s->cls, 0);
	assert_int_equal(s->npt, 63);
	assert_false(s->pt[31].numeric);
	gb_ctx_free(ctx);
}

static void test_at_least(void **state)
{
	gb_ctx *ctx = tu_ctx();
	gb_smooth *s = analyse(ctx, "piecewise(x > 0: exp(x), otherwise: 1 + x + x^2/2 + x^3/6 + x^4/24 + x^5/120 + x^6/720 + x^7/5040 + x^8/40320 + x^9/362880)");

	(void)state;
	assert_int_equal(s->cls, GB_SMOOTH_MAX_ORDER);
	assert_true(s->at_least);
	assert_int_equal(s->pt[0].what, GB_BREAK_NONE);
	gb_ctx_free(ctx);
}

static void test_class_str(void **state)
{
	char *p;

	(void)state;
	p = gb_smooth_class_str(GB_C_DISCONTINUOUS, false);
	assert_string_equal(p, "discontinuous");
	gb_free(p);
	p = gb_smooth_class_str(3, false);
	assert_string_equal(p, "C^3");
	gb_free(p);
	p = gb_smooth_class_str(GB_C_INF, false);
	assert_string_equal(p, "C^inf");
	gb_free(p);
	p = gb_smooth_class_str(GB_C_INF, true);
	assert_string_equal(p, "$C^\\infty$");
	gb_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_c0),
		cmocka_unit_test(test_c1_and_more),
		cmocka_unit_test(test_cinf),
		cmocka_unit_test(test_discontinuous),
		cmocka_unit_test(test_elu_condition),
		cmocka_unit_test(test_sentences),
		cmocka_unit_test(test_numeric),
		cmocka_unit_test(test_at_least),
		cmocka_unit_test(test_class_str),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
