/*
 * test_steps.c - derivations come from the backward trace: the
 * homework's lines, in order, ending in the computed gradient.
 */
#include "testutil.h"

#include <string.h>

static const char net[] = "dim d\nvector x[d]\nmatrix W[d, d]\n"
			  "z = sigmoid(W*x)\ny = x + z\n";

static char *steps(gb_ctx *ctx, const char *l, const char *wrt,
		   const gb_steps_opts *o)
{
	const gb_node *e;

	assert_int_equal(gb_parse(ctx, "<t>", l, strlen(l), &e), GB_OK);
	return gb_backprop_steps(ctx, e, wrt, o);
}

/* Each of want[] appears in s, in this order. */
static void in_order(const char *s, const char *const *want, size_t n)
{
	const char *p = s;

	for (size_t i = 0; i < n; i++) {
		const char *q = strstr(p, want[i]);

		if (!q)
			fail_msg("missing (in order) \"%s\" in:\n%s", want[i], s);
		p = q + strlen(want[i]);
	}
}

static void test_homework_22(void **state)
{
	static const char *const want[] = {
		"dl = yhat' dy\n",
		"= yhat' (dx + dz)\n",
		"= yhat' dx + yhat' dz\n",
		"= yhat' dx + yhat' (z .* (1 - z) .* (W*dx))\n",
		"= yhat' dx + (yhat .* z .* (1 - z))' W*dx\n",
		"= yhat' dx + (W'*(yhat .* z .* (1 - z)))' dx\n",
		"= (yhat + W'*(yhat .* z .* (1 - z)))' dx\n",
		"=> dl/dx = yhat + W'*(yhat .* z .* (1 - z))\n",
	};
	gb_ctx *ctx = tu_ctx();
	gb_steps_opts o = { .plain = true };
	char *s;

	(void)state;
	assert_int_equal(gb_load(ctx, "net", net, sizeof net - 1), GB_OK);
	s = steps(ctx, "yhat'*y", "x", &o);
	assert_non_null(s);
	in_order(s, want, sizeof want / sizeof want[0]);
	gb_free(s);
	gb_ctx_free(ctx);
}

static void test_latex_notation(void **state)
{
	static const char *const want[] = {
		"\\begin{aligned}", "d\\ell &= \\hat{\\mathbf{z}}^\\top d\\mathbf{z}",
		"(\\hat{\\mathbf{z}} \\odot \\mathbf{z} \\odot (1 - \\mathbf{z}))^\\top",
		"\\Rightarrow \\frac{\\partial \\ell}{\\partial \\mathbf{x}}",
		"\\end{aligned}",
	};
	static const char *const alt[] = {
		"\\mathrm{d}\\ell &= \\hat{z}^T \\mathrm{d}z", "\\circ",
	};
	gb_ctx *ctx = tu_ctx();
	gb_steps_opts o = { .transpose_t = true, .circ = true,
			    .mathrm_d = true, .no_bold = true };
	char *s;

	(void)state;
	assert_int_equal(gb_load(ctx, "net", net, sizeof net - 1), GB_OK);
	s = steps(ctx, "zhat'*z", "x", NULL);
	assert_non_null(s);
	in_order(s, want, sizeof want / sizeof want[0]);
	gb_free(s);
	s = steps(ctx, "zhat'*z", "x", &o);
	assert_non_null(s);
	in_order(s, alt, sizeof alt / sizeof alt[0]);
	gb_free(s);
	gb_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_homework_22),
		cmocka_unit_test(test_latex_notation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
