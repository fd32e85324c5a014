/*
 * test_backward.c - shapes with symbolic dimensions, backward formulas
 * (each rule against MPFR finite differences), named intermediates and
 * the linear time of a deep residual stack.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calculus/backward.h"
#include "core/shape.h"

static const char net[] = "dim d\nvector x[d]\nmatrix W[d, d]\n"
			  "z = sigmoid(W*x)\ny = x + z\n";

static const gb_node *parse(gb_ctx *ctx, const char *s)
{
	const gb_node *e = NULL;

	assert_int_equal(gb_parse(ctx, "<t>", s, strlen(s), &e), GB_OK);
	return e;
}

static gb_ctx *net_ctx(void)
{
	gb_ctx *ctx = tu_ctx();

	assert_int_equal(gb_load(ctx, "net", net, sizeof net - 1), GB_OK);
	return ctx;
}

/* gb_backprop's named form, printed. */
static void expect_grad(gb_ctx *ctx, const char *l, const char *wrt,
			const char *want)
{
	gb_grad_result r;
	char *got;

	assert_int_equal(gb_backprop(ctx, parse(ctx, l), wrt, &r), GB_OK);
	got = gb_print(ctx, r.grad);
	if (strcmp(got, want) != 0)
		fail_msg("grad(%s, %s): got \"%s\", want \"%s\"", l, wrt, got,
			 want);
	gb_free(got);
}

static void test_shapes(void **state)
{
	gb_ctx *ctx = net_ctx();
	const gb_node *e;
	char buf[64];

	(void)state;
	e = parse(ctx, "W*x + z");
	assert_true(gb_dim_is_sym(e->shape.rows));
	gb_shape_str(ctx, buf, sizeof buf, e->shape);
	assert_string_equal(buf, "d\xc3\x97" "1");
	/* errors name both shapes */
	assert_int_not_equal(gb_parse(ctx, "<t>", "W .* x", 6, &e), GB_OK);
	gb_diag_clear(ctx);
	/* bindings size d, and must agree */
	assert_int_equal(gb_bind(ctx, "x", "[1, 2, 3]"), GB_OK);
	assert_int_equal(gb_bind(ctx, "W", "[[1, 2], [3, 4]]"), GB_ESHAPE);
	gb_diag_clear(ctx);
	assert_int_equal(gb_bind(ctx, "W", "[[1, 0, 0], [0, 1, 0], [0, 0, 1]]"),
			 GB_OK);
	gb_ctx_free(ctx);
}

static void test_homework(void **state)
{
	gb_ctx *ctx = net_ctx();

	(void)state;
	expect_grad(ctx, "zhat'*z", "x", "W'*(zhat .* z .* (1 - z))");
	expect_grad(ctx, "zhat'*z", "W", "(zhat .* z .* (1 - z))*x'");
	expect_grad(ctx, "yhat'*y", "x", "yhat + W'*(yhat .* z .* (1 - z))");
	expect_grad(ctx, "sum(x)", "x", "ones(d)");
	expect_grad(ctx, "tr(W)", "W", "eye(d)");
	gb_ctx_free(ctx);
}

/* Every rule, verified against central differences on random instances. */
static void test_rules(void **state)
{
	static const char *const cases[][2] = {
		{ "sum(exp(W*x))", "W" }, { "sum(log(1 + z))", "x" },
		{ "sum(tanh(W*x))", "W" }, { "sum(softplus(W*x))", "x" },
		{ "sum(relu(W*x) .* x)", "W" }, { "tr(diag(x)*W)", "W" },
		{ "sum(diag(W*W))", "W" }, { "sum(z.^3)", "x" },
		{ "dot(x, W*x)", "x" }, { "x'*W'*W*x", "W" },
		{ "sum((y - x.^2) .* y)", "x" }, { "sum(2*y) + 3*tr(W)", "W" },
		{ "sum(sin(W*x) + sqrt(1 + z))", "x" }, { "yhat'*y", "W" },
	};
	gb_ctx *ctx = net_ctx();

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		gb_verify_item it;

		assert_int_equal(gb_verify(ctx, cases[i][0], parse(ctx, cases[i][0]),
					   cases[i][1], NULL, &it), GB_OK);
		if (!it.ok)
			fail_msg("%s in %s: %s", cases[i][0], cases[i][1],
				 it.problem ? it.problem : "?");
	}
	gb_ctx_free(ctx);
}

/* A residual stack of 1000 blocks: linear time, one let per block. */
static void test_deep_stack(void **state)
{
	gb_ctx *ctx = tu_ctx();
	char *src = malloc(1 << 20), *p = src;
	const char *prev = "x";
	char pb[16];
	gb_grad_result r;
	clock_t t0;

	(void)state;
	assert_non_null(src);
	p += sprintf(p, "dim d\nvector x[d]\n");
	for (int k = 1; k <= 1000; k++) {
		p += sprintf(p, "matrix W%d[d, d]\nz%d = tanh(W%d*%s)\n"
			     "y%d = %s + z%d\n", k, k, k, prev, k, prev, k);
		snprintf(pb, sizeof pb, "y%d", k);
		prev = pb;
	}
	assert_int_equal(gb_load(ctx, "stack", src, (size_t)(p - src)), GB_OK);
	t0 = clock();
	assert_int_equal(gb_backprop(ctx, parse(ctx, "y1000hat'*y1000"), "x",
				     &r), GB_OK);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 1.0);
	assert_int_equal(r.nlets, 999);
	free(src);
	gb_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_homework),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_deep_stack),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
