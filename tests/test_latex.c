/*
 * test_latex.c - the LaTeX printer (output/latex.c).
 *
 * Rows give a node (built with the constructors through gb_gen_sexpr)
 * and the exact bytes gb_latex must write: the conventions of
 * design/latex.md section 3.4.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gradbox.h"
#include "testutil.h"
#include "core/gen.h"

struct latex_case {
	const char *id;		/* stable; never renumbered */
	const char *sexpr;
	const char *want;
};

static const struct latex_case latex_cases[] = {
	/* sums and quotients */
	{ "latex-1.1", "(- 1 (sigmoid x))", "1 - \\sigma(x)" },
	{ "latex-1.2", "(/ 1 (+ 1 (exp (- x))))", "\\frac{1}{1 + e^{-x}}" },
	{ "latex-1.3", "(* (sigmoid x) (- 1 (sigmoid x)))",
	  "\\sigma(x) \\, (1 - \\sigma(x))" },
	{ "latex-1.4", "(/ x 2)", "\\frac{x}{2}" },
	{ "latex-1.5", "(* 3/2 x)", "\\frac{3 x}{2}" },
	{ "latex-1.6", "(- x)", "-x" },
	{ "latex-1.7", "(* -1/2 x)", "-\\frac{x}{2}" },
	{ "latex-1.8", "(/ a (* b c))", "\\frac{a}{b c}" },
	{ "latex-1.9", "(/ (* 3 x) (* 2 y))", "\\frac{3 x}{2 y}" },
	{ "latex-1.10", "(- x 1/3)", "x - \\frac{1}{3}" },
	{ "latex-1.11", "(/ 1 (^ (+ 1 x) 2))", "\\frac{1}{(1 + x)^{2}}" },
	{ "latex-1.12", "(/ (exp (* beta x)) (+ 1 (exp (* beta x))))",
	  "\\frac{e^{\\beta x}}{1 + e^{\\beta x}}" },
	{ "latex-1.13", "(* 2 (+ a b) (+ c d))",
	  "2 \\, ((a + b) \\, (c + d))" },
	{ "latex-1.14", "(* 2 (/ (+ a b) y))", "2 \\frac{a + b}{y}" },
	{ "latex-1.15", "(- (/ (+ a b) y))", "-\\frac{a + b}{y}" },
	{ "latex-1.16", "(/ (+ a b) (* 3 y))", "\\frac{a + b}{3 y}" },
	{ "latex-1.17", "(- (+ x y))", "-x - y" },
	/* products */
	{ "latex-2.1", "(* beta x)", "\\beta x" },
	{ "latex-2.2", "(* 3 (^ 2 x))", "3 \\cdot 2^{x}" },
	{ "latex-2.3", "(* x (+ 1 y))", "x \\, (1 + y)" },
	{ "latex-2.4", "(* alpha (- (exp x) 1))", "\\alpha \\, (e^{x} - 1)" },
	{ "latex-2.5", "(* 2 pi)", "2 \\pi" },
	/* powers: -x^2 vs (-x)^(1/2), inline exponents */
	{ "latex-3.1", "(^ x 2)", "x^{2}" },
	{ "latex-3.2", "(^ x 1/2)", "\\sqrt{x}" },
	{ "latex-3.3", "(- (^ x 2))", "-x^{2}" },
	{ "latex-3.4", "(^ (- x) 1/2)", "\\sqrt{-x}" },
	{ "latex-3.5", "(^ -2 x)", "(-2)^{x}" },
	{ "latex-3.6", "(^ 1/2 x)", "\\left(\\frac{1}{2}\\right)^{x}" },
	{ "latex-3.7", "(^ x (/ y 2))", "x^{y/2}" },
	{ "latex-3.8", "(^ (sin x) 2)", "\\sin(x)^{2}" },
	{ "latex-3.9", "(^ (exp x) 2)", "(e^{x})^{2}" },
	{ "latex-3.10", "(^ x -1/2)", "\\frac{1}{\\sqrt{x}}" },
	/* a product under the root in a denominator: no parentheses */
	{ "latex-3.10b", "(^ (- y) -1/2)", "\\frac{1}{\\sqrt{-y}}" },
	{ "latex-3.10c", "(^ (* x y) -1/2)", "\\frac{1}{\\sqrt{x y}}" },
	{ "latex-3.11", "(^ x (- y))", "x^{-y}" },
	{ "latex-3.12", "(^ (/ x y) 1/2)", "\\sqrt{\\frac{x}{y}}" },
	{ "latex-3.13", "(^ 2 (/ x 3))", "2^{x/3}" },
	{ "latex-3.14", "(^ (^ x y) z)", "(x^{y})^{z}" },
	/* exp: e^{u} when short and flat */
	{ "latex-4.1", "(exp (* beta x))", "e^{\\beta x}" },
	{ "latex-4.2", "(exp (/ x 2))", "\\exp\\left(\\frac{x}{2}\\right)" },
	{ "latex-4.3", "(exp (^ x 2))", "\\exp(x^{2})" },
	{ "latex-4.4", "(log (+ 1 (exp x)))", "\\log(1 + e^{x})" },
	/* functions */
	{ "latex-5.1", "(relu x)", "\\operatorname{ReLU}(x)" },
	{ "latex-5.2", "(softplus x)", "\\operatorname{softplus}(x)" },
	{ "latex-5.3", "(abs x)", "\\lvert x \\rvert" },
	{ "latex-5.4", "(abs (/ 1 x))", "\\left\\lvert \\frac{1}{x} \\right\\rvert" },
	{ "latex-5.5", "(sqrt x)", "\\sqrt{x}" },
	{ "latex-5.6", "(max x 0)", "\\max(0, x)" },
	{ "latex-5.7", "(tanh x)", "\\tanh(x)" },
	{ "latex-5.8", "(sigmoid (/ x 2))", "\\sigma\\left(\\frac{x}{2}\\right)" },
	{ "latex-5.9", "(min x y)", "\\min(x, y)" },
	/* piecewise and conditions */
	{ "latex-6.1", "(pw (< x 0) 0 (> x 0) 1)",
	  "\\begin{cases} 0 & \\text{if } x < 0 \\\\ 1 & \\text{if } x > 0 "
	  "\\end{cases}" },
	{ "latex-6.2", "(pw (> x 0) x (* alpha (- (exp x) 1)))",
	  "\\begin{cases} x & \\text{if } x > 0 \\\\ \\alpha \\, (e^{x} - 1) "
	  "& \\text{otherwise} \\end{cases}" },
	{ "latex-6.3", "(<= x 0)", "x \\le 0" },
	{ "latex-6.4", "(!= x 1)", "x \\ne 1" },
	{ "latex-6.5", "(and (< x 0) (>= y 1))", "x < 0 \\land y \\ge 1" },
	/* an interval only with a number below: y < x would read back as
	 * a comparison other than x > y */
	{ "latex-6.6", "(and (> x 0) (< x 1))", "0 < x < 1" },
	{ "latex-6.7", "(and (> x y) (< x 0))", "x < 0 \\land x > y" },
	/* an accent only when its suffix ends the name */
	{ "latex-6.8", "(+ tr5hat53 W1hat)",
	  "\\hat{W}_{1} + \\mathrm{tr5hat}_{53}" },
	/* matrices */
	{ "latex-7.1", "(mat 2 2 1 2 3 4)",
	  "\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}" },
	{ "latex-7.2", "(' W:3x3)", "\\mathbf{W}^\\top" },
	{ "latex-7.3", "(' (@ W:3x3 v:3x1))",
	  "(\\mathbf{W} \\mathbf{v})^\\top" },
	{ "latex-7.4", "(.* u:3x1 v:3x1)", "\\mathbf{u} \\odot \\mathbf{v}" },
	{ "latex-7.5", "(@ W:3x3 v:3x1)", "\\mathbf{W} \\mathbf{v}" },
	{ "latex-7.6", "(* 1/2 (@ W:3x3 v:3x1))",
	  "\\frac{\\mathbf{W} \\mathbf{v}}{2}" },
	{ "latex-7.7", "(- (@ W:3x3 v:3x1))", "-(\\mathbf{W} \\mathbf{v})" },
	{ "latex-7.8", "(' (mat 2 1 x y))",
	  "\\begin{bmatrix} x & y \\end{bmatrix}" },
	/* names: Greek, subscripts, hats, bold */
	{ "latex-8.1", "beta", "\\beta" },
	{ "latex-8.2", "W1", "W_{1}" },
	{ "latex-8.3", "zhat", "\\hat{z}" },
	{ "latex-8.4", "hhat:3x1", "\\hat{\\mathbf{h}}" },
	{ "latex-8.5", "loss", "\\mathrm{loss}" },
	{ "latex-8.6", "sigma:3x1", "\\boldsymbol{\\sigma}" },
	{ "latex-8.7", "x_i", "x_{i}" },
	{ "latex-8.8", "W2hat:3x3", "\\hat{\\mathbf{W}}_{2}" },
	{ "latex-8.9", "ell", "\\ell" },
	{ "latex-8.10", "x_max", "x_{\\mathrm{max}}" },
	{ "latex-8.11", "pi", "\\pi" },
	{ "latex-8.12", "e", "e" },
	{ "latex-8.13", "-7/3", "-\\frac{7}{3}" },
};

static void test_latex_cases(void **state)
{
	gb_ctx *ctx = *state;
	size_t nfail = 0;

	for (size_t i = 0; i < sizeof latex_cases / sizeof latex_cases[0];
	     i++) {
		const struct latex_case *c = &latex_cases[i];
		const gb_node *e = gb_gen_sexpr(ctx, c->sexpr);
		char *got = e ? gb_latex(ctx, e) : NULL;

		if (!got || strcmp(got, c->want) != 0) {
			print_error("%s: %s gave \"%s\", want \"%s\"\n", c->id,
				    c->sexpr, got ? got : "(null)", c->want);
			nfail++;
		}
		gb_free(got);
	}
	if (nfail)
		fail_msg("%zu LaTeX cases failed", nfail);
}

/* Every function of functions.def is spelled as the table says. */
static void test_latex_functions(void **state)
{
	static const struct {
		const char *name, *latex;
	} fns[] = {
#define FN(id, name, lo, hi, latex, ev, d) { name, latex },
#include "functions.def"
#undef FN
	};
	gb_ctx *ctx = *state;

	/* (the matrix functions, from sum on, have tests of their own) */
	for (size_t i = 0; i < GB_FN_SUM; i++) {
		char sexpr[64], want[96], *got;
		const gb_node *e;
		bool nary = strcmp(fns[i].name, "max") == 0 ||
			    strcmp(fns[i].name, "min") == 0;

		snprintf(sexpr, sizeof sexpr, nary ? "(%s x y)" : "(%s x)",
			 fns[i].name);
		if (strcmp(fns[i].name, "exp") == 0)
			snprintf(want, sizeof want, "e^{x}");
		else if (strcmp(fns[i].name, "sqrt") == 0)
			snprintf(want, sizeof want, "\\sqrt{x}");
		else if (strcmp(fns[i].name, "abs") == 0)
			snprintf(want, sizeof want, "\\lvert x \\rvert");
		else
			snprintf(want, sizeof want,
				 nary ? "%s(x, y)" : "%s(x)", fns[i].latex);
		e = gb_gen_sexpr(ctx, sexpr);
		assert_non_null(e);
		got = gb_latex(ctx, e);
		assert_non_null(got);
		if (strcmp(got, want) != 0)
			fail_msg("latex-5.f.%s: got \"%s\", want \"%s\"",
				 fns[i].name, got, want);
		gb_free(got);
	}
}

/*
 * Generated expressions print without failure, deterministically, with
 * balanced braces and no double superscript (x^{a}^{b}).
 */
static void test_latex_generated(void **state)
{
	gb_ctx *ctx = *state, *other = tu_ctx();

	for (uint64_t seed = 1; seed <= 2000; seed++) {
		uint64_t s1 = seed, s2 = seed;
		const gb_node *e = gb_gen_expr(ctx, &s1, 1 + (int)(seed % 5));
		const gb_node *f = gb_gen_expr(other, &s2, 1 + (int)(seed % 5));
		char *a = gb_latex(ctx, e), *b = gb_latex(other, f);
		long depth = 0;

		assert_non_null(a);
		assert_non_null(b);
		if (strcmp(a, b) != 0)
			fail_msg("latex-9.1 seed %llu: not deterministic",
				 (unsigned long long)seed);
		for (const char *s = a; *s; s++) {
			if (*s == '{')
				depth++;
			else if (*s == '}')
				depth--;
			if (depth < 0)
				break;
			if (s[0] == '}' && s[1] == '^' && s > a) {
				/* a group closed right before ^: must be a
				 * \frac{}{} inside parentheses, never a
				 * superscript */
				const char *t = s;
				long d = 0;

				do {
					if (*t == '}')
						d++;
					else if (*t == '{')
						d--;
				} while (d > 0 && --t > a);
				if (t > a && t[-1] == '^')
					fail_msg("latex-9.2 seed %llu: double "
						 "superscript in %s",
						 (unsigned long long)seed, a);
			}
		}
		if (depth != 0)
			fail_msg("latex-9.3 seed %llu: unbalanced braces in %s",
				 (unsigned long long)seed, a);
		gb_free(a);
		gb_free(b);
	}
	gb_ctx_free(other);
}

static int ctx_setup(void **state)
{
	*state = gb_ctx_new();
	return *state ? 0 : -1;
}

static int ctx_teardown(void **state)
{
	gb_ctx_free(*state);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_latex_cases, ctx_setup,
						ctx_teardown),
		cmocka_unit_test_setup_teardown(test_latex_functions,
						ctx_setup, ctx_teardown),
		cmocka_unit_test_setup_teardown(test_latex_generated,
						ctx_setup, ctx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
