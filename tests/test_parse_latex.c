/*
 * test_parse_latex.c - the LaTeX front end (front/parse_latex.c).
 *
 * Every construct of grammar/latex.ebnf is parsed, lowered and compared
 * by pointer with the node the plain syntax gives (nodes are interned,
 * so equal structure is equal pointers). Every message is checked as
 * exact rendered text, caret line included. The round trip
 * parse_latex(gb_latex(e)) == e runs over thousands of generated
 * expressions and over matrix-shaped ones built with gb_gen_sexpr.
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
#include "core/ctx.h"
#include "core/gen.h"
#include "front/ast.h"
#include "front/parse_latex.h"
#include "front/source.h"

/* Shapes for the matrix cases: loaded with gb_load before parsing. */
static const char decls[] =
	"vector x[3]\nvector v[3]\nvector u[3]\nvector z[3]\n"
	"vector zhat[3]\nvector hhat[3]\nvector sigma[3]\n"
	"matrix W[3, 3]\nmatrix W2hat[3, 3]\n";

struct same_case {
	const char *id;		/* stable; never renumbered */
	const char *latex;
	const char *plain;	/* the same expression in the plain syntax */
};

static const struct same_case scalar_cases[] = {
	/* fractions, exp, roots */
	{ "latex-in-1.1", "\\frac{e^{\\beta x}}{1 + e^{\\beta x}}",
	  "exp(beta*x)/(1 + exp(beta*x))" },
	{ "latex-in-1.2", "\\dfrac{1}{2}x", "x/2" },
	{ "latex-in-1.3", "\\tfrac{x}{y}", "x/y" },
	{ "latex-in-1.4", "\\frac12", "1/2" },
	{ "latex-in-1.5", "\\frac{1}{1 + e^{-x}}", "1/(1 + exp(-x))" },
	{ "latex-in-1.6", "\\exp\\left(\\frac{x}{2}\\right)", "exp(x/2)" },
	{ "latex-in-1.7", "\\exp(x^{2})", "exp(x^2)" },
	{ "latex-in-1.8", "e^x", "exp(x)" },
	{ "latex-in-1.9", "\\frac{1}{e^x + 1}", "1/(exp(x) + 1)" },
	{ "latex-in-1.10", "x^{1/2}", "x^(1/2)" },
	{ "latex-in-1.11", "\\sqrt{x}", "sqrt(x)" },
	{ "latex-in-1.12", "\\sqrt[3]{x}", "x^(1/3)" },
	{ "latex-in-1.13", "\\sqrt[2]{x + 1}", "sqrt(x + 1)" },
	{ "latex-in-1.14", "2^{x/3}", "2^(x/3)" },
	{ "latex-in-1.15", "\\frac{1}{(1 + x)^{2}}", "1/(1 + x)^2" },
	{ "latex-in-1.16", "\\mathrm{e}^{x}", "exp(x)" },
	/* functions */
	{ "latex-in-2.1", "\\log(1 + e^{x})", "log(1 + exp(x))" },
	{ "latex-in-2.2", "\\ln x", "log(x)" },
	{ "latex-in-2.3", "\\sigma(x)", "sigmoid(x)" },
	{ "latex-in-2.4", "\\sigma\\left(\\frac{x}{2}\\right)",
	  "sigmoid(x/2)" },
	{ "latex-in-2.5", "\\sigma x", "sigma*x" },
	{ "latex-in-2.6", "\\sigma \\, (1 + x)", "sigma*(1 + x)" },
	{ "latex-in-2.7", "2 \\sigma(x)", "2*sigmoid(x)" },
	{ "latex-in-2.8", "\\max(0, x)", "max(0, x)" },
	{ "latex-in-2.9", "\\min\\left(x, y\\right)", "min(x, y)" },
	{ "latex-in-2.10", "\\operatorname{ReLU}(x)", "relu(x)" },
	{ "latex-in-2.11", "\\mathrm{ReLU}(x)", "relu(x)" },
	{ "latex-in-2.12", "\\text{ReLU}(x)", "relu(x)" },
	{ "latex-in-2.13", "\\operatorname{softplus}(x)", "softplus(x)" },
	{ "latex-in-2.14", "\\operatorname{sign}(x)", "sign(x)" },
	{ "latex-in-2.15", "\\operatorname{erf}(x)", "erf(x)" },
	{ "latex-in-2.16", "\\operatorname{sgn}(x)", "sign(x)" },
	{ "latex-in-2.17", "\\tanh(x)", "tanh(x)" },
	{ "latex-in-2.18", "\\sin 2x", "sin(2*x)" },
	{ "latex-in-2.19", "\\sin x \\cos x", "sin(x)*cos(x)" },
	{ "latex-in-2.20", "\\operatorname{arsinh}(x)", "asinh(x)" },
	{ "latex-in-2.21", "\\arctan(x)", "atan(x)" },
	{ "latex-in-2.22", "\\log x^{2}", "log(x^2)" },
	{ "latex-in-2.23", "\\sigma (x)", "sigmoid(x)" },
	{ "latex-in-2.24", "\\operatorname{Softplus}\\left(x\\right)",
	  "softplus(x)" },
	{ "latex-in-2.25", "\\sigma(x) \\, (1 - \\sigma(x))",
	  "sigmoid(x)*(1 - sigmoid(x))" },
	/* products: juxtaposition binds like '*' */
	{ "latex-in-3.1", "\\beta x", "beta*x" },
	{ "latex-in-3.2", "2x", "2*x" },
	{ "latex-in-3.3", "x(1-x)", "x*(1 - x)" },
	{ "latex-in-3.4", "3 \\cdot 2^{x}", "3*2^x" },
	{ "latex-in-3.5", "\\alpha \\, (e^{x} - 1)", "alpha*(exp(x) - 1)" },
	{ "latex-in-3.6", "x \\times y", "x*y" },
	{ "latex-in-3.7", "xy", "x*y" },
	{ "latex-in-3.8", "2 \\, ((a + b) \\, (c + d))",
	  "2*((a + b)*(c + d))" },
	{ "latex-in-3.9", "-x y", "-x*y" },
	{ "latex-in-3.10", "x \\div 2", "x/2" },
	{ "latex-in-3.11", "\\frac{3 x}{2}", "3*x/2" },
	{ "latex-in-3.12", "2 \\pi", "2*pi" },
	{ "latex-in-3.13", "[x + 1]^{2}", "(x + 1)^2" },
	{ "latex-in-3.14", "\\{x + 1\\} y", "(x + 1)*y" },
	{ "latex-in-3.15", "3 x/2", "3*x/2" },
	{ "latex-in-3.16", "a/(b c)", "a/(b*c)" },
	{ "latex-in-3.17", "x - \\frac{1}{3}", "x - 1/3" },
	{ "latex-in-3.18", "-\\frac{7}{3}", "-7/3" },
	{ "latex-in-3.19", "2.5 x", "2.5*x" },
	/* delimiters and absolute values */
	{ "latex-in-4.1", "\\left( x + 1 \\right)^{2}", "(x + 1)^2" },
	{ "latex-in-4.2", "\\left[ x - y \\right] z", "(x - y)*z" },
	{ "latex-in-4.3", "\\bigl( x + y \\bigr)^{2}", "(x + y)^2" },
	{ "latex-in-4.4", "\\Bigl(x\\Bigr) \\big(y\\big)", "x*y" },
	{ "latex-in-4.5", "\\lvert x \\rvert", "abs(x)" },
	{ "latex-in-4.6", "|x|", "abs(x)" },
	{ "latex-in-4.7", "\\left| x - 1 \\right|", "abs(x - 1)" },
	{ "latex-in-4.8", "\\left\\lvert \\frac{1}{x} \\right\\rvert",
	  "abs(1/x)" },
	{ "latex-in-4.9", "||x| - |y||", "abs(abs(x) - abs(y))" },
	{ "latex-in-4.10", "2|x|", "2*abs(x)" },
	{ "latex-in-4.11", "x \\, \\; \\: \\! \\quad \\qquad ~ y", "x*y" },
	{ "latex-in-4.12", "{x}^{2}", "x^2" },
	{ "latex-in-4.13", "\\biggl[ x \\biggr] \\Biggl( y \\Biggr)", "x*y" },
	{ "latex-in-4.14", "\\bigl| x \\bigr|", "abs(x)" },
	{ "latex-in-4.15", "\\vert x \\vert", "abs(x)" },
	{ "latex-in-4.16", "\\left\\{ x \\right\\}", "x" },
	/* names */
	{ "latex-in-5.1", "\\alpha", "alpha" },
	{ "latex-in-5.2", "\\ell", "ell" },
	{ "latex-in-5.3", "x_1", "x1" },
	{ "latex-in-5.4", "x_{1}", "x1" },
	{ "latex-in-5.5", "\\alpha_{i}", "alpha_i" },
	{ "latex-in-5.6", "W_{12}", "W12" },
	{ "latex-in-5.7", "x_{\\mathrm{max}}", "x_max" },
	{ "latex-in-5.8", "\\hat{z}", "zhat" },
	{ "latex-in-5.9", "\\bar{x}", "xbar" },
	{ "latex-in-5.10", "\\tilde{y}", "ytilde" },
	{ "latex-in-5.11", "\\mathrm{loss}", "loss" },
	{ "latex-in-5.12", "\\mathrm{d}x", "d*x" },
	{ "latex-in-5.13", "\\hat{x}_{i}", "x_ihat" },
	{ "latex-in-5.14", "\\varepsilon", "varepsilon" },
	{ "latex-in-5.15", "\\pi", "pi" },
	{ "latex-in-5.16", "x_{ij}", "x_ij" },
	{ "latex-in-5.17", "\\mathbf{\\hat{z}}", "zhat" },
	{ "latex-in-5.18", "\\Delta x", "Delta*x" },
	{ "latex-in-5.19", "\\alpha_1", "alpha1" },
	{ "latex-in-5.20", "\\hat z", "zhat" },
	{ "latex-in-5.21", "x_{i_{1}}", "x_i1" },
	{ "latex-in-5.22", "\\mathrm{x\\_max}", "x_max" },
	{ "latex-in-5.23", "\\hat{\\bar{x}}", "xbarhat" },
	/* scripts */
	{ "latex-in-6.1", "x^{10}", "x^10" },
	{ "latex-in-6.2", "x^{-1}", "x^(-1)" },
	{ "latex-in-6.3", "(x^{y})^{z}", "(x^y)^z" },
	{ "latex-in-6.4", "e^{-x}", "exp(-x)" },
	{ "latex-in-6.5", "\\sigma(x)^{2}", "sigmoid(x)^2" },
	{ "latex-in-6.6", "\\left(\\frac{1}{2}\\right)^{x}", "(1/2)^x" },
	{ "latex-in-6.7", "x^\\frac{1}{2}", "x^(1/2)" },
	{ "latex-in-6.8", "x^\\alpha", "x^alpha" },
	{ "latex-in-6.9", "x_{1}^{2}", "x1^2" },
	{ "latex-in-6.10", "-x^{2}", "-x^2" },
	{ "latex-in-6.11", "x^{y^{z}}", "x^(y^z)" },
	{ "latex-in-6.12", "x^2y", "x^2*y" },
	{ "latex-in-6.13", "(-2)^{x}", "(-2)^x" },
	{ "latex-in-6.14", "(e^{x})^{2}", "exp(x)^2" },
	{ "latex-in-6.15", "\\lvert x \\rvert^{2}", "abs(x)^2" },
	/* cases and conditions */
	{ "latex-in-7.1",
	  "\\begin{cases} 0 & \\text{if } x < 0 \\\\ 1 & \\text{if } x > 0 "
	  "\\end{cases}", "piecewise(x < 0: 0, x > 0: 1)" },
	{ "latex-in-7.2",
	  "\\begin{cases} x & \\text{if } x > 0 \\\\ \\alpha \\, (e^{x} - 1) "
	  "& \\text{otherwise} \\end{cases}",
	  "piecewise(x > 0: x, otherwise: alpha*(exp(x) - 1))" },
	{ "latex-in-7.3",
	  "\\begin{cases} 1, & \\text{if } x > 0 \\\\ \\alpha * e^x, & "
	  "\\text{if } x < 0 \\end{cases}",
	  "piecewise(x > 0: 1, x < 0: alpha*exp(x))" },
	{ "latex-in-7.4",
	  "\\begin{cases} x & x \\ge 0 \\\\ 0 & \\text{otherwise} "
	  "\\end{cases}", "piecewise(x >= 0: x, otherwise: 0)" },
	{ "latex-in-7.5",
	  "\\begin{cases} -1 & \\text{for } x \\leq 0 \\\\ 1 & \\text{for } "
	  "x \\geq 0 \\end{cases}", "piecewise(x <= 0: -1, x >= 0: 1)" },
	{ "latex-in-7.6",
	  "\\begin{cases} 1 & x = 0 \\\\ 0 & x \\ne 0 \\end{cases}",
	  "piecewise(x == 0: 1, x != 0: 0)" },
	{ "latex-in-7.7",
	  "\\begin{cases} 1 & x > 0 \\land y > 0 \\\\ 2 & x < 0 \\text{ and } "
	  "y < 0 \\\\ 3 & x > 0, y < 0 \\\\ 0 & \\text{otherwise} "
	  "\\end{cases}",
	  "piecewise(x > 0 and y > 0: 1, x < 0 and y < 0: 2, "
	  "x > 0 and y < 0: 3, otherwise: 0)" },
	{ "latex-in-7.8",
	  "\\begin{cases} 1 & x \\le 0 \\lor x \\ge 1 \\\\ 0 & x \\neq 2 "
	  "\\text{ or } y < 0 \\end{cases}",
	  "piecewise(x <= 0 or x >= 1: 1, x != 2 or y < 0: 0)" },
	{ "latex-in-7.9",
	  "\\begin{cases} x & 0 < x < 1 \\\\ 0 & \\text{otherwise} "
	  "\\end{cases}", "piecewise(0 < x and x < 1: x, otherwise: 0)" },
	{ "latex-in-7.10",
	  "\\begin{dcases} x, & \\text{if}\\ x > 0, \\\\ 0, & "
	  "\\text{otherwise}. \\\\ \\end{dcases}",
	  "piecewise(x > 0: x, otherwise: 0)" },
	{ "latex-in-7.11",
	  "\\begin{cases} x & \\text{when } x > 0 \\\\ 0 & \\text{else} "
	  "\\end{cases}", "piecewise(x > 0: x, otherwise: 0)" },
	{ "latex-in-7.12", "x < 0 \\land y \\ge 1", "x < 0 and y >= 1" },
	{ "latex-in-7.13", "x \\le 0", "x <= 0" },
	{ "latex-in-7.14", "x \\ne 1", "x != 1" },
	{ "latex-in-7.15",
	  "\\begin{cases} \\max(x, 0) & x > 0 \\\\ 0 & \\text{otherwise} "
	  "\\end{cases}", "piecewise(x > 0: max(x, 0), otherwise: 0)" },
	{ "latex-in-7.16",
	  "\\begin{cases} 0 & \\text{if } x < 0 \\\\ x & \\text{if } x \\ge "
	  "0 \\end{cases}", "piecewise(x < 0: 0, x >= 0: x)" },
	/* wrappers and punctuation */
	{ "latex-in-8.1", "$x^{2}$", "x^2" },
	{ "latex-in-8.2", "$$x + 1$$", "x + 1" },
	{ "latex-in-8.3", "\\(x\\)", "x" },
	{ "latex-in-8.4", "\\[ \\frac{1}{2} \\]", "1/2" },
	{ "latex-in-8.5", "  $ \\frac{1}{2} $ \n", "1/2" },
	{ "latex-in-8.6", "x^{2}.", "x^2" },
	{ "latex-in-8.7", "\\displaystyle \\frac{1}{x}", "1/x" },
	/* homework answers (scalar) */
	{ "latex-in-9.1", "\\frac{e^{\\beta x}}{1 + e^{\\beta x}}",
	  "exp(beta*x)/(1 + exp(beta*x))" },
	{ "latex-in-9.2",
	  "\\begin{cases} 1, & \\text{if } x > 0 \\\\ \\alpha * e^x, & "
	  "\\text{if } x < 0 \\end{cases}",
	  "piecewise(x > 0: 1, x < 0: alpha*exp(x))" },
	{ "latex-in-9.3", "\\frac{1}{e^x + 1}", "1/(exp(x) + 1)" },
};

static const struct same_case matrix_cases[] = {
	{ "latex-in-10.1", "\\mathbf{W}^\\top", "W'" },
	{ "latex-in-10.2", "\\mathbf{W}^T", "W'" },
	{ "latex-in-10.3", "\\mathbf{W}^{T}", "W'" },
	{ "latex-in-10.4", "\\mathbf{W}^{\\top}", "W'" },
	{ "latex-in-10.5", "\\mathbf{W}^\\intercal", "W'" },
	{ "latex-in-10.6", "(\\mathbf{W} \\mathbf{v})^\\top", "(W*v)'" },
	{ "latex-in-10.7", "\\mathbf{u} \\odot \\mathbf{v}", "u .* v" },
	{ "latex-in-10.8", "\\mathbf{W} \\mathbf{v}", "W*v" },
	{ "latex-in-10.9", "\\bm{W}\\boldsymbol{v}", "W*v" },
	{ "latex-in-10.10", "\\hat{\\mathbf{z}}", "zhat" },
	{ "latex-in-10.11", "\\hat{\\mathbf{W}}_{2}", "W2hat" },
	{ "latex-in-10.12", "\\boldsymbol{\\sigma}", "sigma" },
	{ "latex-in-10.13", "\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}",
	  "[[1, 2], [3, 4]]" },
	{ "latex-in-10.14", "\\begin{pmatrix} 1 \\\\ -2 \\end{pmatrix}",
	  "[1, -2]" },
	{ "latex-in-10.15", "\\begin{bmatrix} a & b \\end{bmatrix}",
	  "[[a, b]]" },
	{ "latex-in-10.16",
	  "\\mathbf{W}^\\top(\\hat{\\mathbf{z}} \\odot \\mathbf{z} \\odot "
	  "(1 - \\mathbf{z}))", "W'*(zhat .* z .* (1 - z))" },
	{ "latex-in-10.17", "\\sigma(\\mathbf{x})", "sigmoid(x)" },
	{ "latex-in-10.18",
	  "\\left[\\begin{matrix}1 & 2\\\\3 & 4\\end{matrix}\\right]",
	  "[[1, 2], [3, 4]]" },
	{ "latex-in-10.19", "\\mathbf{x}^\\top \\mathbf{W} \\mathbf{x}",
	  "x'*W*x" },
	{ "latex-in-10.20", "\\boldsymbol{\\sigma} \\odot \\mathbf{x}",
	  "sigma .* x" },
	{ "latex-in-10.21", "\\mathbf{z}^T \\mathbf{W}^T", "z'*W'" },
	{ "latex-in-10.22", "\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\\\ "
	  "\\end{bmatrix}", "[[1, 2], [3, 4]]" },
};

static char *render(gb_ctx *ctx)
{
	char *d = gb_diag_render(ctx);

	gb_diag_clear(ctx);
	return d;
}

static size_t check_same(gb_ctx *ctx, const struct same_case *c, size_t n)
{
	size_t nfail = 0;

	for (size_t i = 0; i < n; i++) {
		const gb_node *a = NULL, *b = NULL;
		gb_status ra = gb_parse_latex(ctx, "a.tex", c[i].latex,
					      strlen(c[i].latex), &a);
		gb_status rb = gb_parse(ctx, "a.grad", c[i].plain,
					strlen(c[i].plain), &b);
		char *d = render(ctx);

		if (ra != GB_OK || rb != GB_OK || a != b || !a ||
		    (d && *d)) {
			char *pa = a ? gb_print(ctx, a) : NULL;
			char *pb = b ? gb_print(ctx, b) : NULL;

			print_error("%s: \"%s\" gave %s, want %s (%s)\n%s",
				    c[i].id, c[i].latex, pa ? pa : "(null)",
				    pb ? pb : "(null)", gb_status_str(ra),
				    d ? d : "");
			gb_free(pa);
			gb_free(pb);
			nfail++;
		}
		gb_free(d);
	}
	return nfail;
}

static void test_latex_in_scalar(void **state)
{
	gb_ctx *ctx = *state;
	size_t nfail = check_same(ctx, scalar_cases, sizeof scalar_cases /
				  sizeof scalar_cases[0]);

	if (nfail)
		fail_msg("%zu LaTeX input cases failed", nfail);
}

static void test_latex_in_matrix(void **state)
{
	gb_ctx *ctx = *state;
	size_t nfail;

	assert_int_equal(gb_load(ctx, "decls.grad", decls, strlen(decls)),
			 GB_OK);
	nfail = check_same(ctx, matrix_cases, sizeof matrix_cases /
			   sizeof matrix_cases[0]);
	if (nfail)
		fail_msg("%zu LaTeX matrix cases failed", nfail);
}

/*
 * Messages, rendered exactly. A row whose `plain` is not NULL parses
 * (with a warning) to the same node as that plain expression.
 */
struct diag_case {
	const char *id;
	const char *latex;
	const char *want;	/* every diagnostic, rendered */
	const char *plain;	/* NULL: an error */
};

static const struct diag_case diag_cases[] = {
	/* TeX's one-token scripts */
	{ "latex-in-11.1", "x^10",
	  "a.tex:1:3: warning: x^10 is x^{1}0 in TeX; write x^{10}\n"
	  "    1 | x^10\n"
	  "      |   ^~\n", "x^1*0" },
	{ "latex-in-11.2", "e^-x",
	  "a.tex:1:3: error: a superscript of more than one token needs "
	  "braces: write e^{-x}\n"
	  "    1 | e^-x\n"
	  "      |   ^~\n", NULL },
	{ "latex-in-11.3", "x_12",
	  "a.tex:1:3: warning: _12 is _{1}2 in TeX; write _{12}\n"
	  "    1 | x_12\n"
	  "      |   ^~\n", "x1*2" },
	{ "latex-in-11.4", "x^{2}^{3}",
	  "a.tex:1:6: error: double superscript: write {x^{a}}^{b} or "
	  "x^{a b}\n"
	  "    1 | x^{2}^{3}\n"
	  "      |      ^\n", NULL },
	{ "latex-in-11.5", "x^1.5",
	  "a.tex:1:3: error: a superscript of more than one token needs "
	  "braces: write x^{1.5}\n"
	  "    1 | x^1.5\n"
	  "      |   ^~~\n", NULL },
	{ "latex-in-11.6", "x^",
	  "a.tex:1:3: error: expected a superscript after '^', found end "
	  "of input\n"
	  "    1 | x^\n"
	  "      |   ^\n", NULL },
	{ "latex-in-11.7", "x^{2}_{1}",
	  "a.tex:1:6: error: a subscript belongs to a name and goes before "
	  "its superscript: write x_{1}^{2}\n"
	  "    1 | x^{2}_{1}\n"
	  "      |      ^\n", NULL },
	{ "latex-in-11.8", "x_{t-1}",
	  "a.tex:1:5: error: a subscript of a name holds letters and "
	  "digits, found '-'\n"
	  "    1 | x_{t-1}\n"
	  "      |     ^\n", NULL },
	/* unsupported commands and environments */
	{ "latex-in-12.1", "\\foo{x}",
	  "a.tex:1:1: error: unsupported LaTeX command '\\foo'\n"
	  "    1 | \\foo{x}\n"
	  "      | ^~~~\n", NULL },
	{ "latex-in-12.2", "x + \\partial y",
	  "a.tex:1:5: error: unsupported LaTeX command '\\partial'\n"
	  "    1 | x + \\partial y\n"
	  "      |     ^~~~~~~~\n", NULL },
	{ "latex-in-12.3", "2 \\infty",
	  "a.tex:1:3: error: unsupported LaTeX command '\\infty'\n"
	  "    1 | 2 \\infty\n"
	  "      |   ^~~~~~\n", NULL },
	{ "latex-in-12.4", "\\begin{align} x \\end{align}",
	  "a.tex:1:1: error: unsupported LaTeX environment 'align'\n"
	  "    1 | \\begin{align} x \\end{align}\n"
	  "      | ^~~~~~~~~~~~~\n", NULL },
	/* unbalanced brackets, with a note at the opener */
	{ "latex-in-13.1", "\\frac{1}{x",
	  "a.tex:1:11: error: expected '}' to close '{', found end of input\n"
	  "    1 | \\frac{1}{x\n"
	  "      |           ^\n"
	  "a.tex:1:9: note: '{' opened here\n"
	  "    1 | \\frac{1}{x\n"
	  "      |         ^\n", NULL },
	{ "latex-in-13.2", "\\left( x + 1",
	  "a.tex:1:13: error: expected '\\right)' to close '\\left(', found "
	  "end of input\n"
	  "    1 | \\left( x + 1\n"
	  "      |             ^\n"
	  "a.tex:1:1: note: '\\left(' opened here\n"
	  "    1 | \\left( x + 1\n"
	  "      | ^~~~~~\n", NULL },
	{ "latex-in-13.3", "\\left( x + 1 )",
	  "a.tex:1:14: error: expected '\\right)' to close '\\left(', found "
	  "')'\n"
	  "    1 | \\left( x + 1 )\n"
	  "      |              ^\n"
	  "a.tex:1:1: note: '\\left(' opened here\n"
	  "    1 | \\left( x + 1 )\n"
	  "      | ^~~~~~\n", NULL },
	{ "latex-in-13.4", "x + 1}",
	  "a.tex:1:6: error: unmatched '}'\n"
	  "    1 | x + 1}\n"
	  "      |      ^\n", NULL },
	{ "latex-in-13.5", "x \\right)",
	  "a.tex:1:3: error: '\\right)' without a matching '\\left'\n"
	  "    1 | x \\right)\n"
	  "      |   ^~~~~~~\n", NULL },
	{ "latex-in-13.6", "(x + 1",
	  "a.tex:1:7: error: expected ')' to close '(', found end of input\n"
	  "    1 | (x + 1\n"
	  "      |       ^\n"
	  "a.tex:1:1: note: '(' opened here\n"
	  "    1 | (x + 1\n"
	  "      | ^\n", NULL },
	{ "latex-in-13.7", "\\begin{cases} 1 & x > 0",
	  "a.tex:1:24: error: expected '\\end{cases}' to close "
	  "'\\begin{cases}', found end of input\n"
	  "    1 | \\begin{cases} 1 & x > 0\n"
	  "      |                        ^\n"
	  "a.tex:1:1: note: '\\begin{cases}' opened here\n"
	  "    1 | \\begin{cases} 1 & x > 0\n"
	  "      | ^~~~~~~~~~~~~\n", NULL },
	{ "latex-in-13.8", "|x",
	  "a.tex:1:3: error: expected '|' to close '|', found end of input\n"
	  "    1 | |x\n"
	  "      |   ^\n"
	  "a.tex:1:1: note: '|' opened here\n"
	  "    1 | |x\n"
	  "      | ^\n", NULL },
	{ "latex-in-13.9", "$x",
	  "a.tex:1:3: error: expected '$' to close '$', found end of input\n"
	  "    1 | $x\n"
	  "      |   ^\n"
	  "a.tex:1:1: note: '$' opened here\n"
	  "    1 | $x\n"
	  "      | ^\n", NULL },
	{ "latex-in-13.10", "\\begin{cases} 1 & x > 0 \\end{bmatrix}",
	  "a.tex:1:25: error: expected '\\end{cases}' to close "
	  "'\\begin{cases}', found '\\end{bmatrix}'\n"
	  "    1 | \\begin{cases} 1 & x > 0 \\end{bmatrix}\n"
	  "      |                         ^~~~~~~~~~~~~\n"
	  "a.tex:1:1: note: '\\begin{cases}' opened here\n"
	  "    1 | \\begin{cases} 1 & x > 0 \\end{bmatrix}\n"
	  "      | ^~~~~~~~~~~~~\n", NULL },
	{ "latex-in-13.11", "\\lvert x",
	  "a.tex:1:9: error: expected '\\rvert' to close '\\lvert', found "
	  "end of input\n"
	  "    1 | \\lvert x\n"
	  "      |         ^\n"
	  "a.tex:1:1: note: '\\lvert' opened here\n"
	  "    1 | \\lvert x\n"
	  "      | ^~~~~~\n", NULL },
	/* other syntax errors */
	{ "latex-in-14.1", "x \\circ y",
	  "a.tex:1:3: warning: \\circ read as the Hadamard product \\odot\n"
	  "    1 | x \\circ y\n"
	  "      |   ^~~~~\n", "x .* y" },
	{ "latex-in-14.2", "\\exp(x) + relu(x)",
	  "a.tex:1:11: error: 'relu' is the product of 4 letters in LaTeX: "
	  "write \\operatorname{relu}\n"
	  "    1 | \\exp(x) + relu(x)\n"
	  "      |           ^~~~\n", NULL },
	{ "latex-in-14.3", "exp(x)",
	  "a.tex:1:1: error: 'exp' is the product of 3 letters in LaTeX: "
	  "write \\exp\n"
	  "    1 | exp(x)\n"
	  "      | ^~~\n", NULL },
	{ "latex-in-14.4", "x <= 1",
	  "a.tex:1:3: error: '<=' is '<' then '=' in TeX: write \\le\n"
	  "    1 | x <= 1\n"
	  "      |   ^~\n", NULL },
	{ "latex-in-14.5", "x & y",
	  "a.tex:1:3: error: '&' outside an environment (cases or a matrix)\n"
	  "    1 | x & y\n"
	  "      |   ^\n", NULL },
	{ "latex-in-14.6", "\\frac{1}",
	  "a.tex:1:9: error: expected '{' and an argument of '\\frac', found "
	  "end of input\n"
	  "    1 | \\frac{1}\n"
	  "      |         ^\n", NULL },
	{ "latex-in-14.7", "\\max x",
	  "a.tex:1:6: error: expected '(' and the arguments of '\\max', "
	  "found 'x'\n"
	  "    1 | \\max x\n"
	  "      |      ^\n", NULL },
	{ "latex-in-14.8", "\\begin{cases} 1 & \\text{otherwise} \\\\ 0 & x "
	  "> 0 \\end{cases}",
	  "a.tex:1:39: error: the otherwise row must be the last row of "
	  "cases\n"
	  "    1 | \\begin{cases} 1 & \\text{otherwise} \\\\ 0 & x > 0 "
	  "\\end{cases}\n"
	  "      |                                       ^\n", NULL },
	{ "latex-in-14.9", "\\begin{cases} 1 \\\\ 0 \\end{cases}",
	  "a.tex:1:17: error: expected '&' before the condition of a cases "
	  "row, found '\\\\'\n"
	  "    1 | \\begin{cases} 1 \\\\ 0 \\end{cases}\n"
	  "      |                 ^~\n", NULL },
	{ "latex-in-14.10", "\\begin{bmatrix} 1 & 2 \\\\ 3 \\end{bmatrix}",
	  "a.tex:1:26: error: row 2 has 1 entries but row 1 has 2\n"
	  "    1 | \\begin{bmatrix} 1 & 2 \\\\ 3 \\end{bmatrix}\n"
	  "      |                          ^\n", NULL },
	{ "latex-in-14.11", "x \\big y",
	  "a.tex:1:3: error: missing delimiter after '\\big': write \\big( "
	  "or \\big[ or \\big|\n"
	  "    1 | x \\big y\n"
	  "      |   ^~~~\n", NULL },
	{ "latex-in-14.12", "x + \\text{if } y",
	  "a.tex:1:5: error: '\\text{if }' outside a cases environment\n"
	  "    1 | x + \\text{if } y\n"
	  "      |     ^~~~~~~~~~\n", NULL },
	{ "latex-in-14.13", "x + ",
	  "a.tex:1:4: error: expected an expression, found end of input\n"
	  "    1 | x + \n"
	  "      |    ^\n", NULL },
	{ "latex-in-14.14", "",
	  "a.tex:1:1: error: expected an expression, found end of input\n"
	  "    1 | \n"
	  "      | ^\n", NULL },
	{ "latex-in-14.15", "x # y",
	  "a.tex:1:3: error: unexpected character '#'\n"
	  "    1 | x # y\n"
	  "      |   ^\n", NULL },
	{ "latex-in-14.16", "\\sin^{2}(x)",
	  "a.tex:1:5: error: a power of a function name: write \\sin(x)^{2}, "
	  "not \\sin^{2}(x)\n"
	  "    1 | \\sin^{2}(x)\n"
	  "      |     ^\n", NULL },
	{ "latex-in-14.17", "\\log_{2} x",
	  "a.tex:1:5: error: a subscript on '\\log' is not supported: write "
	  "\\log(x)/\\log(b) for a base b\n"
	  "    1 | \\log_{2} x\n"
	  "      |     ^\n", NULL },
	{ "latex-in-14.18", "\\text{x + 1}",
	  "a.tex:1:1: error: expected a name, found '\\text{x + 1}'\n"
	  "    1 | \\text{x + 1}\n"
	  "      | ^~~~~~~~~~~~\n", NULL },
	{ "latex-in-14.19", "\\mathbf{}",
	  "a.tex:1:9: error: expected a name, found '}'\n"
	  "    1 | \\mathbf{}\n"
	  "      |         ^\n", NULL },
	{ "latex-in-14.20", "x_1_2",
	  "a.tex:1:4: error: double subscript: write x_{ij} or x_{i_{j}}\n"
	  "    1 | x_1_2\n"
	  "      |    ^\n", NULL },
	{ "latex-in-14.21", "\\left. x \\right|",
	  "a.tex:1:1: error: unsupported delimiter '\\left.': write \\left( "
	  "or \\left[\n"
	  "    1 | \\left. x \\right|\n"
	  "      | ^~~~~~\n", NULL },
	{ "latex-in-14.22", "x = 1 = 2",
	  "", "x == 1 and 1 == 2" },
	{ "latex-in-14.23", "\\frac{d}{dx} x^{2}",
	  "a.tex:1:1: error: derivative notation is not supported: write "
	  "the derivative itself\n"
	  "    1 | \\frac{d}{dx} x^{2}\n"
	  "      | ^~~~~~~~~~~~\n", NULL },
	{ "latex-in-14.24", "\\frac{\\mathrm{d}y}{\\mathrm{d}x}",
	  "a.tex:1:1: error: derivative notation is not supported: write "
	  "the derivative itself\n"
	  "    1 | \\frac{\\mathrm{d}y}{\\mathrm{d}x}\n"
	  "      | ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n", NULL },
	/* lowering reports what the parser passes on */
	{ "latex-in-15.1", "\\operatorname{ELU}(x)",
	  "a.tex:1:1: error: unknown function 'ELU'\n"
	  "    1 | \\operatorname{ELU}(x)\n"
	  "      | ^~~~~~~~~~~~~~~~~~\n", NULL },
	{ "latex-in-15.2", "\\sqrt{x, y}",
	  "a.tex:1:8: error: expected '}' to close '{', found ','\n"
	  "    1 | \\sqrt{x, y}\n"
	  "      |        ^\n"
	  "a.tex:1:6: note: '{' opened here\n"
	  "    1 | \\sqrt{x, y}\n"
	  "      |      ^\n", NULL },
};

static void test_latex_in_diags(void **state)
{
	gb_ctx *ctx = *state;
	size_t nfail = 0;

	for (size_t i = 0; i < sizeof diag_cases / sizeof diag_cases[0]; i++) {
		const struct diag_case *c = &diag_cases[i];
		const gb_node *a = NULL, *b = NULL;
		gb_status ra = gb_parse_latex(ctx, "a.tex", c->latex,
					      strlen(c->latex), &a);
		char *d = render(ctx);
		bool ok = d && strcmp(d, c->want) == 0;

		if (c->plain) {
			ok = ok && ra == GB_OK &&
			     gb_parse(ctx, "a.grad", c->plain,
				      strlen(c->plain), &b) == GB_OK &&
			     a == b;
			gb_free(render(ctx));
		} else {
			ok = ok && ra != GB_OK && !a;
		}
		if (!ok) {
			print_error("%s: \"%s\" (%s) gave\n%s---- want\n%s",
				    c->id, c->latex, gb_status_str(ra),
				    d ? d : "(null)\n", c->want);
			nfail++;
		}
		gb_free(d);
	}
	if (nfail)
		fail_msg("%zu LaTeX diagnostic cases failed", nfail);
}

/*
 * The homework's vector answers. The first does not conform (W is 3x3,
 * the Hadamard factor 3x1): lowering must say so at the operator.
 */
static void test_latex_in_homework(void **state)
{
	static const char bad[] =
		"\\hat{\\mathbf{z}}^T (\\mathbf{W} \\odot (\\sigma(\\mathbf{x}) "
		"\\odot (1 - \\sigma(\\mathbf{x}))))^T";
	static const char good[] =
		"\\mathbf{W}^\\top(\\hat{\\mathbf{z}} \\odot \\mathbf{z} \\odot "
		"(1 - \\mathbf{z}))";
	gb_ctx *ctx = *state;
	const gb_node *a = NULL, *b = NULL;
	char *d;

	assert_int_equal(gb_load(ctx, "decls.grad", decls, strlen(decls)),
			 GB_OK);
	assert_int_not_equal(gb_parse_latex(ctx, "hw.tex", bad, strlen(bad),
					    &a), GB_OK);
	assert_null(a);
	d = render(ctx);
	if (!d || !strstr(d, "hw.tex:1:20: error: shapes do not conform for '\\odot': "))
		fail_msg("latex-in-16.1: got %s", d ? d : "(null)");
	gb_free(d);

	/* The same text parses (the shape error is lowering's). */
	{
		gb_source *src = gb_source_new(ctx, "hw.tex", bad, strlen(bad));
		gb_ast *ast = gb_parse_latex_expr(ctx, src);

		assert_non_null(ast);
		assert_int_equal(ast->kind, AST_BINARY);
		assert_int_equal(ast->args[0]->kind, AST_TRANSPOSE);
		assert_int_equal(ast->args[1]->kind, AST_TRANSPOSE);
		assert_int_equal(gb_diag_errors(ctx), 0);
	}

	assert_int_equal(gb_parse_latex(ctx, "hw.tex", good, strlen(good), &a),
			 GB_OK);
	assert_int_equal(gb_parse(ctx, "hw.grad", "W'*(zhat .* z .* (1 - z))",
				  25, &b), GB_OK);
	if (a != b)
		fail_msg("latex-in-16.2: the second answer differs");
}

/* Heights are set on every node, as parse.c does. */
static uint32_t check_height(const gb_ast *a)
{
	uint32_t h = 0;

	for (uint32_t i = 0; i < a->nargs; i++) {
		uint32_t c = check_height(a->args[i]);

		if (c > h)
			h = c;
	}
	assert_int_equal(a->height, h + 1);
	return h + 1;
}

static void test_latex_in_heights(void **state)
{
	static const char *const texts[] = {
		"\\frac{e^{\\beta x}}{1 + e^{\\beta x}}",
		"\\begin{cases} 1, & \\text{if } x > 0 \\\\ \\alpha * e^x, & "
		"\\text{if } 0 < x < 1 \\end{cases}",
		"\\sqrt[3]{|x| + \\max(x, y)} \\sin 2x",
		"\\begin{bmatrix} 1 & x^{2} \\\\ \\sigma(x) & 4 \\end{bmatrix}^T",
	};
	gb_ctx *ctx = *state;

	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		gb_source *src = gb_source_new(ctx, "h.tex", texts[i],
					       strlen(texts[i]));
		gb_ast *ast = gb_parse_latex_expr(ctx, src);

		assert_non_null(ast);
		check_height(ast);
	}
}

/*
 * 100,000 nested \frac, braces, \hat and \sin: one error each, never a
 * stack overflow; just under the limit parses.
 */
static void test_latex_in_depth(void **state)
{
	enum { N = 100000 };
	static const char deep[] = "error: expression nested too deeply "
				   "(more than 1000 levels)";
	static const struct {
		const char *id, *open, *mid, *close, *want;
	} nests[] = {
		{ "latex-in-17.1", "\\frac{", "x", "}{2}", deep },
		{ "latex-in-17.2", "{", "x", "}", deep },
		{ "latex-in-17.3", "\\hat{", "x", "}", deep },
		{ "latex-in-17.4", "\\sin ", "x", "", deep },
		{ "latex-in-17.5", "\\left(", "x", "\\right)", deep },
		{ "latex-in-17.6", "x_{", "1", "}",
		  "error: name too long (more than 200 characters)" },
		{ "latex-in-17.7", "2^{", "x", "}", deep },
		{ "latex-in-17.8", "|", "x", "|", deep },
		{ "latex-in-17.9", "\\mathbf{\\hat{", "x", "}}", deep },
	};
	gb_ctx *ctx = *state;

	for (size_t k = 0; k < sizeof nests / sizeof nests[0]; k++) {
		size_t lo = strlen(nests[k].open), lc = strlen(nests[k].close);
		size_t len = N * (lo + lc) + 8, n = 0;
		char *text = malloc(len), *d;
		const gb_node *out = NULL;

		assert_non_null(text);
		for (size_t i = 0; i < N; i++, n += lo)
			memcpy(text + n, nests[k].open, lo);
		n += (size_t)sprintf(text + n, "%s", nests[k].mid);
		for (size_t i = 0; i < N; i++, n += lc)
			memcpy(text + n, nests[k].close, lc);
		assert_int_not_equal(gb_parse_latex(ctx, "deep.tex", text, n,
						    &out), GB_OK);
		assert_int_equal(gb_diag_errors(ctx), 1);
		d = render(ctx);
		if (!d || !strstr(d, nests[k].want))
			fail_msg("%s: got %.300s", nests[k].id, d ? d : "");
		gb_free(d);

		/* A sum of N terms parses by a loop but is too tall. */
		free(text);
	}
	{
		size_t len = 4 * N + 8, n = 0;
		char *text = malloc(len), *d;
		const gb_node *out = NULL;

		assert_non_null(text);
		text[n++] = 'x';
		for (size_t i = 0; i < N; i++)
			memcpy(text + n, " + x", 4), n += 4;
		assert_int_not_equal(gb_parse_latex(ctx, "deep.tex", text, n,
						    &out), GB_OK);
		d = render(ctx);
		if (!d || !strstr(d, "error: expression nested too deeply"))
			fail_msg("latex-in-17.10: got %.300s", d ? d : "");
		gb_free(d);

		/* Just under the limit is fine. */
		n = 0;
		for (size_t i = 0; i + 2 < gb_latex_max_depth(ctx); i++)
			text[n++] = '{';
		text[n++] = 'x';
		for (size_t i = 0; i + 2 < gb_latex_max_depth(ctx); i++)
			text[n++] = '}';
		if (gb_parse_latex(ctx, "deep.tex", text, n, &out) != GB_OK) {
			d = render(ctx);
			fail_msg("latex-in-17.11: got %.300s", d ? d : "");
		}
		free(text);
	}
}

/*
 * parse_latex(gb_latex(e)) == e for generated expressions. An empty
 * piecewise (every condition false) has no LaTeX reading: skipped and
 * counted, as test_print.c does.
 */
static void test_latex_in_round_trip(void **state)
{
	gb_ctx *ctx = *state;
	size_t nfail = 0;

	for (uint64_t seed = 1; seed <= 4000; seed++) {
		uint64_t st = seed * 7919u;
		const gb_node *e = gb_gen_expr(ctx, &st, 1 + (int)(seed % 5));
		const gb_node *back = NULL;
		char *text = gb_latex(ctx, e);
		gb_status rc;

		assert_non_null(text);
		rc = gb_parse_latex(ctx, "<round-trip>", text, strlen(text),
				    &back);
		if (rc != GB_OK || back != e) {
			char *b = back ? gb_latex(ctx, back) : NULL;
			char *d = render(ctx);

			if (nfail < 20)
				print_error("latex-in-rt seed %llu: "
					    "\"%s\" read back as "
					    "\"%s\" (%s)\n%s",
					    (unsigned long long)seed,
					    text, b ? b : "(null)",
					    gb_status_str(rc), d ? d : "");
			nfail++;
			gb_free(b);
			gb_free(d);
		}
		gb_free(text);
	}
	if (nfail)
		fail_msg("%zu of 4000 expressions did not round-trip", nfail);
}

/* The same for vector and matrix shapes (declared first). */
static void test_latex_in_round_trip_shapes(void **state)
{
	static const char *const sexprs[] = {
		"(' W:3x3)", "(' (@ W:3x3 v:3x1))", "(.* u:3x1 v:3x1)",
		"(@ W:3x3 v:3x1)", "(* 1/2 (@ W:3x3 v:3x1))",
		"(- (@ W:3x3 v:3x1))", "(' (mat 2 1 a b))",
		"(mat 2 2 1 2 3 4)", "hhat:3x1", "sigma:3x1", "W2hat:3x3",
		"(@ (' W:3x3) (.* zhat:3x1 (.* z:3x1 (- 1 z:3x1))))",
		"(@ (' v:3x1) (sigmoid (@ W:3x3 v:3x1)))",
		"(.* sigma:3x1 (sigmoid v:3x1))",
		"(+ (@ W:3x3 v:3x1) u:3x1)",
		"(exp (@ W:3x3 v:3x1))", "(.* (exp v:3x1) (- v:3x1))",
		"(@ W:3x3 (@ W:3x3 v:3x1))", "(@ W:3x3 (- v:3x1))",
		"(* 2 (@ W:3x3 v:3x1))", "(.* u:3x1 (@ W:3x3 v:3x1))",
		"(mat 2 1 1 -2)", "(mat 1 2 a b)",
		"(' (+ u:3x1 (* 2 v:3x1)))", "(* (sigmoid alpha) u:3x1)",
		"(- u:3x1 (* 1/3 v:3x1))", "(@ (' u:3x1) v:3x1)",
	};
	gb_ctx *ctx = *state;
	size_t nfail = 0;

	assert_int_equal(gb_load(ctx, "decls.grad", decls, strlen(decls)),
			 GB_OK);
	for (size_t i = 0; i < sizeof sexprs / sizeof sexprs[0]; i++) {
		const gb_node *e = gb_gen_sexpr(ctx, sexprs[i]), *back = NULL;
		char *text;

		if (!e) {
			print_error("latex-in-rts.%zu: bad input %s\n", i + 1,
				    sexprs[i]);
			nfail++;
			continue;
		}
		text = gb_latex(ctx, e);
		assert_non_null(text);
		if (gb_parse_latex(ctx, "<rt>", text, strlen(text), &back) !=
		    GB_OK || back != e) {
			char *d = render(ctx);

			print_error("latex-in-rts.%zu: %s printed \"%s\", not "
				    "read back\n%s", i + 1, sexprs[i], text,
				    d ? d : "");
			gb_free(d);
			nfail++;
		}
		gb_free(text);
	}
	if (nfail)
		fail_msg("%zu shaped expressions did not round-trip", nfail);
}

static void test_latex_in_detect(void **state)
{
	(void)state;
	assert_true(gb_looks_like_latex("\\frac{1}{2}", 11));
	assert_true(gb_looks_like_latex("x_{1}", 5));
	assert_true(gb_looks_like_latex("a & b", 5));
	assert_true(gb_looks_like_latex("$x$", 3));
	assert_false(gb_looks_like_latex("exp(x)/(1 + exp(x))", 19));
	assert_false(gb_looks_like_latex("x^2", 3));
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

#define T(f) cmocka_unit_test_setup_teardown(f, ctx_setup, ctx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_latex_in_scalar),
		T(test_latex_in_matrix),
		T(test_latex_in_diags),
		T(test_latex_in_homework),
		T(test_latex_in_heights),
		T(test_latex_in_depth),
		T(test_latex_in_round_trip),
		T(test_latex_in_round_trip_shapes),
		T(test_latex_in_detect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
