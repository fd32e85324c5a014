/*
 * test_check.c - the answer checker and the derivative verifier.
 *
 * Correct answers that look different must be `correct`; wrong ones of
 * each kind (a missing chain factor, a sign error, a wrong branch, a
 * constant factor) `incorrect` with the right hint and region; a claim
 * that differs only at a kink is judged off the kink with a note; a
 * narrow domain (log, sqrt) never runs out of points; the verifier
 * passes the whole activation library and flags a wrong derivative.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/build.h"
#include "numeric/check.h"

/* The activation library, with its `param beta > 0`, `param alpha > 0`. */
static gb_ctx *lib_ctx(void)
{
	gb_ctx *ctx = tu_ctx();
	FILE *f = fopen("examples/activations.grad", "rb");
	static char buf[1 << 16];
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	assert_int_equal(gb_load(ctx, "activations.grad", buf, n), GB_OK);
	return ctx;
}

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

/* Checks answer against expr (wrt NULL: equality); returns the verdict. */
static bool check(gb_ctx *ctx, const char *expr, const char *wrt,
		  const char *answer, gb_check_result *r)
{
	gb_check_opts o = { wrt, 0, 0, 0 };
	gb_status st = gb_check(ctx, parse(ctx, expr), parse(ctx, answer), &o,
				r);

	if (st != GB_OK) {
		char *d = gb_diag_render(ctx);

		fprintf(stderr, "check failed: %s\n", d ? d : "");
		gb_free(d);
	}
	assert_int_equal(st, GB_OK);
	assert_true(r->npoints >= 32);
	return r->correct;
}

static bool has_note(const gb_check_result *r, const char *text)
{
	for (size_t i = 0; i < r->nnotes; i++)
		if (strstr(r->notes[i], text))
			return true;
	return false;
}

static void test_softplus_forms(void **state)
{
	static const char *const forms[] = {
		"sigmoid(beta*x)",
		"exp(beta*x)/(1 + exp(beta*x))",
		"1 - 1/(1 + exp(beta*x))",
		"1/(1 + exp(-beta*x))",
		"beta*exp(beta*x)/(beta + beta*exp(beta*x))",
	};
	gb_check_result r;

	(void)state;
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		gb_ctx *ctx = lib_ctx();

		assert_true(check(ctx, "softplus_beta(x)", "x", forms[i], &r));
		assert_int_equal(r.nnotes, 0);
		gb_ctx_free(ctx);
	}
}

static void test_homework_answers(void **state)
{
	gb_ctx *ctx = lib_ctx();
	gb_check_result r;

	(void)state;
	assert_true(check(ctx, "(1/beta)*log(1 + exp(beta*x))", "x",
			  "exp(beta*x)/(1 + exp(beta*x))", &r));
	assert_true(check(ctx, "elu(x)", "x",
			  "piecewise(x > 0: 1, x < 0: alpha*exp(x))", &r));
	/* undefined at 0, where the derivative exists only if alpha == 1 */
	assert_true(has_note(&r, "at x = 0 the answer is undefined"));
	assert_true(has_note(&r, "only if alpha == 1"));
	assert_true(check(ctx, "logsigmoid(x)", "x", "1/(exp(x) + 1)", &r));
	assert_true(check(ctx, "relu(x)", "x",
			  "piecewise(x < 0: 0, x > 0: 1)", &r));
	assert_int_equal(r.nnotes, 0);
	gb_ctx_free(ctx);
}

static void test_wrong_answers(void **state)
{
	gb_ctx *ctx = lib_ctx();
	gb_check_result r;

	(void)state;
	/* the chain factor of sigmoid(beta x) forgotten */
	assert_false(check(ctx, "softplus_beta(x)", "x", "sigmoid(x)", &r));
	assert_non_null(r.point);
	assert_non_null(strstr(r.point, "x = "));
	assert_false(check(ctx, "softplus_beta(x)", "x",
			   "sigmoid(beta*x)/beta", &r));
	assert_string_equal(r.hint, "missing factor beta");
	assert_false(check(ctx, "softplus_beta(x)", "x",
			   "beta*sigmoid(beta*x)", &r));
	assert_string_equal(r.hint, "extra factor beta");
	/* a sign error */
	assert_false(check(ctx, "logsigmoid(x)", "x", "-1/(exp(x) + 1)", &r));
	assert_string_equal(r.hint, "off by a factor -1 (sign error)");
	assert_null(r.region);
	/* a wrong branch: wrong only for x < 0 */
	assert_false(check(ctx, "elu(x)", "x",
			   "piecewise(x > 0: 1, x < 0: exp(x))", &r));
	assert_string_equal(r.region, "wrong for x < 0 (agrees for x > 0)");
	assert_string_equal(r.hint, "missing factor alpha");
	/* off by a constant */
	assert_false(check(ctx, "x^2", "x", "x", &r));
	assert_string_equal(r.hint,
			    "off by a constant factor 2 (expected = factor * answer)");
	gb_ctx_free(ctx);
}

/* The counterexample is the simplest disagreeing point, both values to
 * 20 digits, and the same bytes on every run. */
static void test_counterexample(void **state)
{
	gb_check_result r1, r2;
	gb_ctx *a = tu_ctx(), *b = tu_ctx();

	(void)state;
	assert_false(check(a, "sin(x)", "x", "-cos(x)", &r1));
	assert_false(check(b, "sin(x)", "x", "-cos(x)", &r2));
	assert_string_equal(r1.point, r2.point);
	assert_string_equal(r1.expected, r2.expected);
	assert_string_equal(r1.got, r2.got);
	assert_string_equal(r1.point, "x = -1/2");
	assert_string_equal(r1.expected, "8.7758256189037271612e-1");
	assert_string_equal(r1.got, "-8.7758256189037271612e-1");
	assert_int_equal(r1.nvars, 1);
	assert_string_equal(r1.var_names[0], "x");
	assert_string_equal(r1.var_values[0], "-1/2");
	gb_ctx_free(a);
	gb_ctx_free(b);
}

/* A claim that differs from the derivative only at the kink. */
static void test_kink_only(void **state)
{
	gb_ctx *ctx = tu_ctx();
	gb_check_result r;

	(void)state;
	assert_true(check(ctx, "relu(x)", "x",
			  "piecewise(x <= 0: 0, otherwise: 1)", &r));
	assert_true(has_note(&r, "at x = 0 the answer gives 0; the derivative "
			     "does not exist there (left 0, right 1)"));
	assert_true(check(ctx, "abs(x)", "x", "sign(x)", &r));
	/* but a wrong value off the kink is still wrong */
	assert_false(check(ctx, "relu(x)", "x",
			   "piecewise(x <= 1: 0, otherwise: 1)", &r));
	assert_non_null(r.region);
	gb_ctx_free(ctx);
}

/* Narrow domains: points are found inside them. */
static void test_domains(void **state)
{
	static const char *const ok[][2] = {
		{ "log(x)", "1/x" },
		{ "sqrt(6*x)", "6/(2*sqrt(6*x))" },
		{ "sqrt(x)", "1/(2*sqrt(x))" },
		{ "log(x - 100)", "1/(x - 100)" },
		{ "log(1 - x^2)", "-2*x/(1 - x^2)" },
		{ "sqrt(x - 1000)", "1/(2*sqrt(x - 1000))" },
	};
	gb_check_result r;

	(void)state;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		gb_ctx *ctx = tu_ctx();

		assert_true(check(ctx, ok[i][0], "x", ok[i][1], &r));
		gb_ctx_free(ctx);
	}
	{
		gb_ctx *ctx = tu_ctx();

		assert_false(check(ctx, "log(x)", "x", "1/(2*x)", &r));
		assert_string_equal(r.hint,
				    "off by a constant factor 2 (expected = factor * answer)");
		gb_ctx_free(ctx);
	}
}

/* Equality, and diff(...) written in the expression. */
static void test_equality(void **state)
{
	gb_ctx *ctx = tu_ctx();
	gb_check_result r;

	(void)state;
	assert_true(check(ctx, "diff(x^3, x)", NULL, "3*x^2", &r));
	assert_true(check(ctx, "sigmoid(x)*(1 - sigmoid(x))", NULL,
			  "exp(-x)/(1 + exp(-x))^2", &r));
	assert_false(check(ctx, "x^3", NULL, "3*x^2", &r));
	assert_true(has_note(&r, "--wrt x"));
	assert_false(check(ctx, "x + 1", NULL, "x", &r));
	assert_string_equal(r.hint,
			    "off by an additive constant (expected - answer = 1.00000e0)");
	gb_ctx_free(ctx);
}

/* A bound value is fixed; an answer using another symbol is noted. */
static void test_bound_and_typo(void **state)
{
	gb_ctx *ctx = tu_ctx();
	gb_check_result r;

	(void)state;
	assert_int_equal(gb_bind(ctx, "beta", "2"), GB_OK);
	assert_true(check(ctx, "log(1 + exp(beta*x))/beta", "x",
			  "sigmoid(2*x)", &r));
	assert_false(check(ctx, "x^2", "x", "2*y", &r));
	assert_true(has_note(&r, "the answer uses 'y'"));
	gb_ctx_free(ctx);
}

/* Vectors and matrices: entry by entry at random instances. */
static void test_nonscalar(void **state)
{
	gb_ctx *ctx = tu_ctx();
	gb_check_result r;
	gb_check_opts o = { NULL, 0, 0, 0 };
	static const char net[] = "dim d\nvector x[d]\nmatrix W[d, d]\n"
				  "z = sigmoid(W*x)\ny = x + z\n";

	(void)state;
	assert_int_equal(gb_check(ctx, parse(ctx, "[1, 2]"), parse(ctx, "[1, 2]"),
				  &o, &r), GB_OK);
	assert_true(r.correct);
	assert_int_equal(gb_check(ctx, parse(ctx, "[1, 2]"), parse(ctx, "[1, 3]"),
				  &o, &r), GB_OK);
	assert_false(r.correct);
	assert_int_equal(gb_load(ctx, "net", net, sizeof net - 1), GB_OK);
	o.wrt = "x";
	/* the backward formula, in other forms, and as a row vector */
	assert_int_equal(gb_check(ctx, parse(ctx, "zhat'*z"),
				  parse(ctx, "W'*(zhat .* z .* (1 - z))"), &o, &r),
			 GB_OK);
	assert_true(r.correct);
	assert_int_equal(gb_check(ctx, parse(ctx, "yhat'*y"),
				  parse(ctx, "yhat + W'*(yhat .* z - yhat .* z.^2)"),
				  &o, &r), GB_OK);
	assert_true(r.correct);
	assert_int_equal(gb_check(ctx, parse(ctx, "zhat'*z"),
				  parse(ctx, "(zhat .* z .* (1 - z))'*W"), &o, &r),
			 GB_OK);
	assert_true(r.correct);
	assert_int_equal(r.nnotes, 1);
	/* a wrong one, and one of the wrong shape */
	assert_int_equal(gb_check(ctx, parse(ctx, "zhat'*z"),
				  parse(ctx, "W*(zhat .* z .* (1 - z))"), &o, &r),
			 GB_OK);
	assert_false(r.correct);
	assert_non_null(r.point);
	assert_int_equal(gb_check(ctx, parse(ctx, "zhat'*z"), parse(ctx, "W"),
				  &o, &r), GB_OK);
	assert_false(r.correct);
	assert_string_equal(r.hint, "the answer has the wrong shape");
	gb_ctx_free(ctx);
}

static void test_verify_library(void **state)
{
	gb_ctx *ctx = tu_ctx();
	FILE *f = fopen("examples/activations.grad", "rb");
	static char buf[1 << 16];
	gb_verify_item *it;
	size_t n, len;

	(void)state;
	assert_non_null(f);
	len = fread(buf, 1, sizeof buf, f);
	fclose(f);
	assert_int_equal(gb_verify_file(ctx, "activations.grad", buf, len, NULL,
					&it, &n), GB_OK);
	assert_int_equal(n, 17);
	for (size_t i = 0; i < n; i++) {
		if (!it[i].ok)
			fprintf(stderr, "%s: %s\n", it[i].name,
				it[i].problem ? it[i].problem : "");
		assert_true(it[i].ok);
		assert_int_equal(it[i].npoints, 16);
	}
	assert_string_equal(it[1].name, "elu");
	gb_ctx_free(ctx);
}

/* A deliberately wrong derivative is flagged by the finite difference. */
static void test_verify_broken(void **state)
{
	gb_ctx *ctx = lib_ctx();
	const gb_node *x = gb_symbol(ctx, "x", 1);
	gb_verify_item it;

	(void)state;
	/* d/dx softplus_beta = sigmoid(beta x), not sigmoid(x) */
	assert_int_equal(gb_verify_pair(ctx, "broken", parse(ctx, "softplus_beta(x)"),
					parse(ctx, "sigmoid(x)"), x, NULL, &it),
			 GB_OK);
	assert_false(it.ok);
	assert_non_null(it.problem);
	assert_non_null(strstr(it.problem, "finite difference"));
	/* and the right one passes */
	assert_int_equal(gb_verify_pair(ctx, "right", parse(ctx, "softplus_beta(x)"),
					parse(ctx, "sigmoid(beta*x)"), x, NULL,
					&it), GB_OK);
	assert_true(it.ok);
	gb_ctx_free(ctx);
}

/* The homework's LaTeX answers (gb_parse_answer detects LaTeX). */
static void test_latex_answers(void **state)
{
	static const char *const hw[][2] = {
		{ "softplus_beta(x)", "\\frac{e^{\\beta x}}{1 + e^{\\beta x}}" },
		{ "elu(x)", "\\begin{cases} 1, & \\text{if } x > 0 \\\\ "
			    "\\alpha * e^x, & \\text{if } x < 0 \\end{cases}" },
		{ "logsigmoid(x)", "\\frac{1}{e^x + 1}" },
	};
	gb_check_opts o = { "x", 0, 0, 0 };
	gb_check_result r;

	(void)state;
	for (size_t i = 0; i < sizeof hw / sizeof hw[0]; i++) {
		gb_ctx *ctx = lib_ctx();
		const gb_node *a;

		assert_int_equal(gb_parse_answer(ctx, "<answer>", hw[i][1],
						 strlen(hw[i][1]), GB_ANSWER_AUTO,
						 &a), GB_OK);
		assert_int_equal(gb_check(ctx, parse(ctx, hw[i][0]), a, &o, &r),
				 GB_OK);
		assert_true(r.correct);
		gb_ctx_free(ctx);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_softplus_forms),
		cmocka_unit_test(test_homework_answers),
		cmocka_unit_test(test_wrong_answers),
		cmocka_unit_test(test_counterexample),
		cmocka_unit_test(test_kink_only),
		cmocka_unit_test(test_domains),
		cmocka_unit_test(test_equality),
		cmocka_unit_test(test_bound_and_typo),
		cmocka_unit_test(test_nonscalar),
		cmocka_unit_test(test_verify_library),
		cmocka_unit_test(test_verify_broken),
		cmocka_unit_test(test_latex_answers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
