/*
 * test_parse.c - the parser of the plain syntax: tree shapes (as
 * s-expressions), every statement kind, error recovery, every syntax
 * message rendered exactly, and the depth limit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gradbox.h"
#include "testutil.h"
#include "core/ctx.h"
#include "core/strbuf.h"
#include "front/ast.h"
#include "front/diag.h"
#include "front/parse.h"
#include "front/source.h"

static const char *const op_name[GB_NOPS] = {
	[GB_OP_NONE] = "?",
#define OP(name, tok, l, r, plain, latex) [GB_OP_##name] = plain,
#include "operators.def"
#undef OP
};

/*
 * A tree as an s-expression: (op a b) for operators, (- x) for
 * negation, (' x) for transpose, (f a b) for calls, (piecewise c v ...
 * otherwise w), [RxC a b ...] for matrix literals.
 */
static void sexp(gb_strbuf *out, const gb_ast *a)
{
	uint32_t i;

	switch ((gb_ast_kind)a->kind) {
	case AST_NUM:
	case AST_NAME:
		assert_int_equal(strlen(a->text), a->text_len);
		gb_sb_puts(out, a->text);
		return;
	case AST_NEG:
		gb_sb_puts(out, "(- ");
		break;
	case AST_TRANSPOSE:
		gb_sb_puts(out, "(' ");
		break;
	case AST_BINARY:
		gb_sb_printf(out, "(%s ", op_name[a->op]);
		break;
	case AST_CALL:
	case AST_PIECEWISE:
		gb_sb_printf(out, "(%.*s ", (int)a->text_len, a->text);
		break;
	case AST_MATRIX:
		assert_int_equal(a->rows * a->cols, a->nargs);
		gb_sb_printf(out, "[%ux%u", a->rows, a->cols);
		for (i = 0; i < a->nargs; i++) {
			gb_sb_putc(out, ' ');
			sexp(out, a->args[i]);
		}
		gb_sb_putc(out, ']');
		return;
	}
	for (i = 0; i < a->nargs; i++) {
		if (i)
			gb_sb_putc(out, ' ');
		if (a->kind == AST_PIECEWISE && i + 1 == a->nargs &&
		    (a->flags & AST_F_OTHERWISE))
			gb_sb_puts(out, "otherwise ");
		sexp(out, a->args[i]);
	}
	if (a->kind == AST_CALL && a->nargs == 0)
		out->len--, out->s[out->len] = '\0';	/* "(f)" */
	gb_sb_putc(out, ')');
}

static const char *rel_name(unsigned rel)
{
	return rel == GB_OP_NONE ? "" : op_name[rel];
}

/* A statement in a compact form: "def f(x) = ...", "param b > 0", ... */
static void stmt_dump(gb_strbuf *out, const gb_stmt *s)
{
	uint32_t i;

	switch ((gb_stmt_kind)s->kind) {
	case STMT_EXPR:
		sexp(out, s->expr);
		return;
	case STMT_DEF:
		gb_sb_printf(out, "def %s(", s->name);
		for (i = 0; i < s->nparams; i++) {
			assert_int_equal(s->params[i]->kind, AST_NAME);
			gb_sb_printf(out, "%s%s", i ? " " : "",
				     s->params[i]->text);
		}
		gb_sb_puts(out, ") = ");
		sexp(out, s->expr);
		return;
	case STMT_ASSIGN:
		gb_sb_printf(out, "assign %s = ", s->name);
		sexp(out, s->expr);
		return;
	case STMT_PARAM:
		gb_sb_printf(out, "param %s", s->name);
		if (s->rel != GB_OP_NONE) {
			gb_sb_printf(out, " %s ", rel_name(s->rel));
			sexp(out, s->expr);
		} else {
			assert_null(s->expr);
		}
		return;
	case STMT_DIM:
		gb_sb_printf(out, "dim %s", s->name);
		if (s->expr) {
			gb_sb_puts(out, " = ");
			sexp(out, s->expr);
		}
		return;
	case STMT_VECTOR:
	case STMT_MATRIX:
		assert_int_equal(s->nparams, s->kind == STMT_VECTOR ? 1 : 2);
		gb_sb_printf(out, "%s %s[",
			     s->kind == STMT_VECTOR ? "vector" : "matrix",
			     s->name);
		for (i = 0; i < s->nparams; i++) {
			if (i)
				gb_sb_puts(out, " ");
			sexp(out, s->params[i]);
		}
		gb_sb_puts(out, "]");
		return;
	}
	fail_msg("bad statement kind %u", s->kind);
}

/*
 * Parses text as a program named t.grad and returns its statements
 * joined by " | " (malloc'd); *diags receives the rendered diagnostics.
 */
static char *parse_dump(gb_ctx *ctx, const char *text, size_t len,
			char **diags)
{
	gb_source *src = gb_source_new(ctx, "t.grad", text, len);
	gb_program *prog;
	gb_strbuf out;
	uint32_t i;

	assert_non_null(src);
	prog = gb_parse_program(ctx, src);
	assert_non_null(prog);
	gb_sb_init(&out, NULL);
	for (i = 0; i < prog->nstmts; i++) {
		if (i)
			gb_sb_puts(&out, " | ");
		stmt_dump(&out, prog->stmts[i]);
	}
	*diags = gb_diag_render(ctx);
	gb_sb_putn(&out, "", 0);	/* "" rather than NULL when empty */
	return gb_sb_take(&out);
}

struct parse_case {
	const char *id;		/* stable; never renumbered */
	const char *text;
	const char *want;	/* statements, " | " between them */
};

static const struct parse_case parse_cases[] = {
	/* Precedence and associativity, from operators.def. */
	{ "parse-1.1", "-x^2", "(- (^ x 2))" },
	{ "parse-1.2", "a^b^c", "(^ a (^ b c))" },
	{ "parse-1.3", "a - b - c", "(- (- a b) c)" },
	{ "parse-1.4", "a + b*c", "(+ a (* b c))" },
	{ "parse-1.5", "a/b/c", "(/ (/ a b) c)" },
	{ "parse-1.6", "2*-x", "(* 2 (- x))" },
	{ "parse-1.7", "-x*y", "(* (- x) y)" },
	{ "parse-1.8", "2^-x^2", "(^ 2 (- (^ x 2)))" },
	{ "parse-1.9", "(a + b)*c", "(* (+ a b) c)" },
	{ "parse-1.10", "W .* x ⊙ y", "(.* (.* W x) y)" },
	{ "parse-1.11", "x .^ 2 .^ 3", "(.^ x (.^ 2 3))" },
	{ "parse-1.12", "a*b .* c", "(.* (* a b) c)" },
	{ "parse-1.13", "--x", "(- (- x))" },
	{ "parse-1.14", "+x - +1", "(- x 1)" },
	{ "parse-1.15", "a^b*c", "(* (^ a b) c)" },

	/* Postfix transpose binds tightest. */
	{ "parse-2.1", "W'*x", "(* (' W) x)" },
	{ "parse-2.2", "(W*x)'", "(' (* W x))" },
	{ "parse-2.3", "-x'", "(- (' x))" },
	{ "parse-2.4", "x^y'", "(^ x (' y))" },
	{ "parse-2.5", "x''", "(' (' x))" },
	{ "parse-2.6", "[1, 2]'", "(' [2x1 1 2])" },

	/* Conditions. */
	{ "parse-3.1", "x < 1 and y >= 2 or z != 3",
	  "(or (and (< x 1) (>= y 2)) (!= z 3))" },
	{ "parse-3.2", "a + 1 <= b * 2", "(<= (+ a 1) (* b 2))" },
	{ "parse-3.3", "a == b", "(== a b)" },
	{ "parse-3.4", "a > b or c > d and e > f",
	  "(or (> a b) (and (> c d) (> e f)))" },

	/* Calls, piecewise, literals. */
	{ "parse-4.1", "f(a, b)", "(f a b)" },
	{ "parse-4.2", "max(x, 0) + g()", "(+ (max x 0) (g))" },
	{ "parse-4.3", "sigmoid(W*x + b)", "(sigmoid (+ (* W x) b))" },
	{ "parse-4.4", "piecewise(x < 0: 0, x < 1: x, otherwise: 1)",
	  "(piecewise (< x 0) 0 (< x 1) x otherwise 1)" },
	{ "parse-4.5", "piecewise(x > 0: 1, 0)",
	  "(piecewise (> x 0) 1 otherwise 0)" },
	{ "parse-4.6", "piecewise(x > 0: x)", "(piecewise (> x 0) x)" },
	{ "parse-4.6b", "piecewise()", "(piecewise )" },
	{ "parse-4.7", "[1, 2]", "[2x1 1 2]" },
	{ "parse-4.8", "[[1, 2], [3, 4]]", "[2x2 1 2 3 4]" },
	{ "parse-4.9", "[[1, 2, 3]]", "[1x3 1 2 3]" },
	{ "parse-4.10", "[[a],\n [b]]", "[2x1 a b]" },
	{ "parse-4.11", "[x + 1, -y, f(z)]", "[3x1 (+ x 1) (- y) (f z)]" },
	{ "parse-4.12", "0.1 + 1e-400 * 2.5E+3", "(+ 0.1 (* 1e-400 2.5E+3))" },
	{ "parse-4.13", "f(\n  a,\n  b\n)", "(f a b)" },

	/* Greek names. */
	{ "parse-5.1", "σ(β*x) + α_1", "(+ (sigma (* beta x)) alpha1)" },
	{ "parse-5.2", "param λ ≥ 0", "param lambda >= 0" },
	{ "parse-5.3", "ℓ = -log(σ(z))",
	  "assign ell = (- (log (sigma z)))" },

	/* Statements, one of each kind. */
	{ "parse-6.1", "relu(x) = max(x, 0)", "def relu(x) = (max x 0)" },
	{ "parse-6.2", "z = sigmoid(W*x)", "assign z = (sigmoid (* W x))" },
	{ "parse-6.3", "param beta > 0", "param beta > 0" },
	{ "parse-6.4", "param beta >= 0", "param beta >= 0" },
	{ "parse-6.5", "param alpha = 1.5", "param alpha == 1.5" },
	{ "parse-6.6", "param gamma", "param gamma" },
	{ "parse-6.7", "param t < 1; param u <= 2",
	  "param t < 1 | param u <= 2" },
	{ "parse-6.8", "dim d", "dim d" },
	{ "parse-6.9", "dim d = 3", "dim d = 3" },
	{ "parse-6.10", "vector x[d]", "vector x[d]" },
	{ "parse-6.11", "matrix W[d, d]", "matrix W[d d]" },
	{ "parse-6.12", "matrix A[2*n, n + 1]", "matrix A[(* 2 n) (+ n 1)]" },
	{ "parse-6.13", "elu(x, a) = piecewise(x > 0: x, a*(exp(x) - 1))",
	  "def elu(x a) = (piecewise (> x 0) x otherwise "
	  "(* a (- (exp x) 1)))" },
	{ "parse-6.14", "f() = 1", "def f() = 1" },
	{ "parse-6.15", "x^2 + 1", "(+ (^ x 2) 1)" },

	/* Contextual keywords are names elsewhere. */
	{ "parse-7.1", "param = 3", "assign param = 3" },
	{ "parse-7.2", "dim(x) + matrix", "(+ (dim x) matrix)" },
	{ "parse-7.3", "vector = [1, 2]", "assign vector = [2x1 1 2]" },

	/* Layout: separators, comments, blank lines, CR LF. */
	{ "parse-8.1", "a = 1; b = 2\nc", "assign a = 1 | assign b = 2 | c" },
	{ "parse-8.2", "# header\n\n  x  # trailing\n;;\ny\n", "x | y" },
	{ "parse-8.3", "dim d\r\nvector x[d]\r\nL = x'*x\r\n",
	  "dim d | vector x[d] | assign L = (* (' x) x)" },
	{ "parse-8.4", "", "" },
	{ "parse-8.5", "y = (a +\n     b)", "assign y = (+ a b)" },
};

static void test_parse_shapes(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
		const struct parse_case *c = &parse_cases[i];
		gb_ctx *ctx = tu_ctx();
		char *diags, *got = parse_dump(ctx, c->text, strlen(c->text),
					       &diags);

		assert_non_null(got);
		if (strcmp(got, c->want) != 0 || diags[0] != '\0')
			fail_msg("%s: parse(\"%s\")\n  got  %s\n  want %s\n%s",
				 c->id, c->text, got, c->want, diags);
		free(got);
		gb_free(diags);
		gb_ctx_free(ctx);
	}
}

struct error_case {
	const char *id;
	const char *text;
	const char *stmts;	/* the statements that still parsed */
	const char *want;	/* every diagnostic, rendered */
};

static const struct error_case error_cases[] = {
	{ "parse-9.1", "y = (a + )", "",
	  "t.grad:1:10: error: expected expression, found ')'\n"
	  "    1 | y = (a + )\n"
	  "      |          ^\n" },
	{ "parse-9.2", "y = f(a, (b + c)\n", "",
	  "t.grad:1:17: error: expected ',' or ')' after argument of 'f', "
	  "found end of input\n"
	  "    1 | y = f(a, (b + c)\n"
	  "      |                 ^\n"
	  "t.grad:1:6: note: '(' opened here\n"
	  "    1 | y = f(a, (b + c)\n"
	  "      |      ^\n" },
	{ "parse-9.3", "z = 2*(x + 1", "",
	  "t.grad:1:13: error: expected ')' to close '(', found end of "
	  "input\n"
	  "    1 | z = 2*(x + 1\n"
	  "      |             ^\n"
	  "t.grad:1:7: note: '(' opened here\n"
	  "    1 | z = 2*(x + 1\n"
	  "      |       ^\n" },
	{ "parse-9.4", "y = 2x + 1", "",
	  "t.grad:1:6: error: unexpected 'x' after expression: did you "
	  "mean '2*x'?\n"
	  "    1 | y = 2x + 1\n"
	  "      |      ^\n" },
	{ "parse-9.5", "y = 2(x + 1)", "",
	  "t.grad:1:6: error: unexpected '(' after expression: did you "
	  "mean '2*(...)'?\n"
	  "    1 | y = 2(x + 1)\n"
	  "      |      ^\n" },
	{ "parse-9.6", "ok = 0 < x < 1", "",
	  "t.grad:1:12: error: comparisons do not chain: write "
	  "'0 < x and x < 1'\n"
	  "    1 | ok = 0 < x < 1\n"
	  "      |            ^\n" },
	{ "parse-9.7", "c = piecewise(x = 0: 1, otherwise: 2)", "",
	  "t.grad:1:17: error: '=' is assignment; use '==' to compare\n"
	  "    1 | c = piecewise(x = 0: 1, otherwise: 2)\n"
	  "      |                 ^\n" },
	{ "parse-9.8", "x + 1 = 2", "",
	  "t.grad:1:7: error: '=' is assignment; use '==' to compare\n"
	  "    1 | x + 1 = 2\n"
	  "      |       ^\n" },
	{ "parse-9.9", "M = [[1, 2], [3, 4, 5]]", "",
	  "t.grad:1:14: error: row 2 has 3 entries but row 1 has 2\n"
	  "    1 | M = [[1, 2], [3, 4, 5]]\n"
	  "      |              ^~~~~~~~~\n" },
	{ "parse-9.10", "y = x)", "",
	  "t.grad:1:6: error: unmatched ')'\n"
	  "    1 | y = x)\n"
	  "      |      ^\n" },
	{ "parse-9.11", "f(x, 2) = x", "",
	  "t.grad:1:6: error: a parameter of 'f' must be a name\n"
	  "    1 | f(x, 2) = x\n"
	  "      |      ^\n" },
	{ "parse-9.12", "f(x, x) = x", "",
	  "t.grad:1:6: error: parameter 'x' appears twice in the "
	  "definition of 'f'\n"
	  "    1 | f(x, x) = x\n"
	  "      |      ^\n" },
	{ "parse-9.13", "param beta != 0", "",
	  "t.grad:1:12: error: expected '>', '>=', '<', '<=', '=' or end "
	  "of statement after 'param beta', found '!='\n"
	  "    1 | param beta != 0\n"
	  "      |            ^~\n" },
	{ "parse-9.14", "vector x d", "",
	  "t.grad:1:10: error: expected '[' after 'vector x', found 'd'\n"
	  "    1 | vector x d\n"
	  "      |          ^\n" },
	{ "parse-9.15", "matrix W[d]", "",
	  "t.grad:1:11: error: expected ',' and the number of columns of "
	  "'W', found ']'\n"
	  "    1 | matrix W[d]\n"
	  "      |           ^\n" },
	{ "parse-9.16", "p = piecewise(x > 0: 1, otherwise: 0, 2)", "",
	  "t.grad:1:25: error: 'otherwise' must be the last branch of "
	  "piecewise\n"
	  "    1 | p = piecewise(x > 0: 1, otherwise: 0, 2)\n"
	  "      |                         ^~~~~~~~~\n" },
	{ "parse-9.17", "otherwise + 1", "",
	  "t.grad:1:1: error: 'otherwise' may only begin the last branch "
	  "of piecewise\n"
	  "    1 | otherwise + 1\n"
	  "      | ^~~~~~~~~\n" },
	{ "parse-9.18", "p = piecewise(x 1)", "",
	  "t.grad:1:17: error: expected ':' after the condition of a "
	  "piecewise branch, found '1'\n"
	  "    1 | p = piecewise(x 1)\n"
	  "      |                 ^\n" },
	{ "parse-9.19", "v = [1, 2; 3]", "",
	  "t.grad:1:10: error: expected ',' or ']' in matrix literal "
	  "(write rows as [[1, 2], [3, 4]]), found ';'\n"
	  "    1 | v = [1, 2; 3]\n"
	  "      |          ^\n" },
	{ "parse-9.20", "y = f(a b)", "",
	  "t.grad:1:9: error: expected ',' or ')' after argument of 'f', "
	  "found 'b'\n"
	  "    1 | y = f(a b)\n"
	  "      |         ^\n" },
	{ "parse-9.21", "y = x and", "",
	  "t.grad:1:10: error: expected expression, found end of input\n"
	  "    1 | y = x and\n"
	  "      |          ^\n" },
	{ "parse-9.22", "y = (a]", "",
	  "t.grad:1:7: error: expected ')' to close '(', found ']'\n"
	  "    1 | y = (a]\n"
	  "      |       ^\n"
	  "t.grad:1:5: note: '(' opened here\n"
	  "    1 | y = (a]\n"
	  "      |     ^\n" },
	{ "parse-9.23", "m = [[1, 2] 3]", "",
	  "t.grad:1:13: error: expected ',' or ']' after a row of the "
	  "matrix, found '3'\n"
	  "    1 | m = [[1, 2] 3]\n"
	  "      |             ^\n" },
	{ "parse-9.24", "m = [[1, 2], 3]", "",
	  "t.grad:1:14: error: expected '[' to begin a row of the matrix, "
	  "found '3'\n"
	  "    1 | m = [[1, 2], 3]\n"
	  "      |              ^\n" },
	{ "parse-9.26", "dim d 3", "",
	  "t.grad:1:7: error: expected end of statement, found '3'\n"
	  "    1 | dim d 3\n"
	  "      |       ^\n" },
	{ "parse-9.27", "x = y = 2", "",
	  "t.grad:1:7: error: '=' is assignment; use '==' to compare\n"
	  "    1 | x = y = 2\n"
	  "      |       ^\n" },
	{ "parse-9.28", "y = x ,", "",
	  "t.grad:1:7: error: unexpected ',' after expression\n"
	  "    1 | y = x ,\n"
	  "      |       ^\n" },
	{ "parse-9.29", "a == b == c", "",
	  "t.grad:1:8: error: comparisons do not chain: write "
	  "'a == b and b == c'\n"
	  "    1 | a == b == c\n"
	  "      |        ^~\n" },

	/* Tabs are copied so the caret stands under the token. */
	{ "parse-10.1", "\ty =\t(a + )", "",
	  "t.grad:1:11: error: expected expression, found ')'\n"
	  "    1 | \ty =\t(a + )\n"
	  "      | \t   \t     ^\n" },

	/* Recovery: errors in statements 1 and 2; statement 3 parses. */
	{ "parse-11.1", "a = 2x\nb = (1 +\nc = 3", "",
	  "t.grad:1:6: error: unexpected 'x' after expression: did you "
	  "mean '2*x'?\n"
	  "    1 | a = 2x\n"
	  "      |      ^\n"
	  "t.grad:3:3: error: expected ')' to close '(', found '='\n"
	  "    3 | c = 3\n"
	  "      |   ^\n"
	  "t.grad:2:5: note: '(' opened here\n"
	  "    2 | b = (1 +\n"
	  "      |     ^\n" },
	{ "parse-11.2", "a = 2x\nb = (1 + )\nc = 3", "assign c = 3",
	  "t.grad:1:6: error: unexpected 'x' after expression: did you "
	  "mean '2*x'?\n"
	  "    1 | a = 2x\n"
	  "      |      ^\n"
	  "t.grad:2:10: error: expected expression, found ')'\n"
	  "    2 | b = (1 + )\n"
	  "      |          ^\n" },
	{ "parse-11.3", "x = $; y = f(1,, 2); z = 1", "assign z = 1",
	  "t.grad:1:5: error: invalid character '$'\n"
	  "    1 | x = $; y = f(1,, 2); z = 1\n"
	  "      |     ^\n"
	  "t.grad:1:16: error: expected expression, found ','\n"
	  "    1 | x = $; y = f(1,, 2); z = 1\n"
	  "      |                ^\n" },
	{ "parse-11.4", "p = 1\r\nq = (2 +\r\n", "assign p = 1",
	  "t.grad:2:9: error: expected expression, found end of input\n"
	  "    2 | q = (2 +\n"
	  "      |         ^\n" },
};

static void test_parse_errors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof error_cases / sizeof error_cases[0]; i++) {
		const struct error_case *c = &error_cases[i];
		gb_ctx *ctx = tu_ctx();
		char *diags, *got = parse_dump(ctx, c->text, strlen(c->text),
					       &diags);

		if (strcmp(diags, c->want) != 0)
			fail_msg("%s: diagnostics for \"%s\"\n--- got\n%s--- "
				 "want\n%s", c->id, c->text, diags, c->want);
		if (strcmp(got, c->stmts) != 0)
			fail_msg("%s: statements of \"%s\"\n  got  %s\n  want "
				 "%s", c->id, c->text, got, c->stmts);
		assert_true(gb_diag_errors(ctx) >= 1);
		free(got);
		gb_free(diags);
		gb_ctx_free(ctx);
	}
}

/* gb_parse_expr: exactly one expression. */
static void test_parse_expr(void **state)
{
	static const struct {
		const char *id, *text, *want;	/* want NULL: an error */
		const char *diag;
	} cases[] = {
		{ "parse-12.1", "x^2 + 1\n", "(+ (^ x 2) 1)", "" },
		{ "parse-12.2", "\n  -x' \n\n", "(- (' x))", "" },
		{ "parse-12.3", "", NULL,
		  "<expr>:1:1: error: expected expression, found end of "
		  "input\n"
		  "    1 | \n"
		  "      | ^\n" },
		{ "parse-12.4", "x; y", NULL,
		  "<expr>:1:2: error: expected one expression, found ';'\n"
		  "    1 | x; y\n"
		  "      |  ^\n" },
		{ "parse-12.5", "x = 1", NULL,
		  "<expr>:1:3: error: '=' is assignment; use '==' to "
		  "compare\n"
		  "    1 | x = 1\n"
		  "      |   ^\n" },
		{ "parse-12.6", "x\ny", NULL,
		  "<expr>:2:1: error: unexpected 'y' after expression: did "
		  "you mean 'x*y'?\n"
		  "    2 | y\n"
		  "      | ^\n" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		gb_ctx *ctx = tu_ctx();
		gb_source *src = gb_source_new(ctx, "<expr>", cases[i].text,
					       strlen(cases[i].text));
		gb_ast *e;
		gb_strbuf out;
		char *diags;

		assert_non_null(src);
		e = gb_parse_expr(ctx, src);
		diags = gb_diag_render(ctx);
		gb_sb_init(&out, NULL);
		if (e)
			sexp(&out, e);
		if ((cases[i].want == NULL) != (e == NULL) ||
		    (e && strcmp(gb_sb_str(&out), cases[i].want) != 0) ||
		    strcmp(diags, cases[i].diag) != 0)
			fail_msg("%s: gb_parse_expr(\"%s\") gave %s\n%s",
				 cases[i].id, cases[i].text,
				 e ? gb_sb_str(&out) : "NULL", diags);
		gb_sb_free(&out);
		gb_free(diags);
		gb_ctx_free(ctx);
	}
}

/* Spans: of nodes, of parentheses, of statements and names. */
static void test_parse_spans(void **state)
{
	gb_ctx *ctx = tu_ctx();
	const char *text = "y = (a + b)*c'\nf(x) = σ(x)";
	gb_source *src = gb_source_new(ctx, "t", text, strlen(text));
	gb_program *prog;
	const gb_stmt *s;
	const gb_ast *e;

	(void)state;
	assert_non_null(src);
	prog = gb_parse_program(ctx, src);
	assert_non_null(prog);
	assert_int_equal(prog->nstmts, 2);

	s = prog->stmts[0];
	assert_int_equal(s->span.off, 0);
	assert_int_equal(s->span.len, 14);
	assert_int_equal(s->name_span.off, 0);
	assert_int_equal(s->name_span.len, 1);
	e = s->expr;				/* (a + b)*c' */
	assert_int_equal(e->span.off, 4);
	assert_int_equal(e->span.len, 10);
	assert_int_equal(e->height, 3);
	assert_true(e->args[0]->flags & AST_F_PAREN);
	assert_int_equal(e->args[0]->span.off, 4);	/* (a + b) */
	assert_int_equal(e->args[0]->span.len, 7);
	assert_int_equal(e->args[1]->kind, AST_TRANSPOSE);
	assert_int_equal(e->args[1]->span.off, 12);	/* c' */
	assert_int_equal(e->args[1]->span.len, 2);

	s = prog->stmts[1];
	assert_int_equal(s->kind, STMT_DEF);
	assert_int_equal(s->name_span.off, 15);
	assert_int_equal(s->name_span.len, 1);
	e = s->expr;				/* σ(x) */
	assert_int_equal(e->kind, AST_CALL);
	assert_int_equal(e->name_span.off, 22);
	assert_int_equal(e->name_span.len, 2);
	assert_int_equal(e->span.len, 5);
	assert_string_equal(e->text, "sigma");
	gb_ctx_free(ctx);
}

/*
 * 100,000 nested parentheses (and a sum of 100,000 terms): one clear
 * error, no stack overflow, and the next statement still parses.
 */
static void test_parse_depth(void **state)
{
	enum { N = 100000 };
	gb_ctx *ctx = tu_ctx();
	size_t len = 4 + 2 * N + 8, i, n = 0;
	char *text = malloc(len + 1), *diags, *got, want[160];

	(void)state;
	assert_non_null(text);
	memcpy(text + n, "y = ", 4), n += 4;
	for (i = 0; i < N; i++)
		text[n++] = '(';
	text[n++] = 'x';
	for (i = 0; i < N; i++)
		text[n++] = ')';
	memcpy(text + n, "\nz = 1", 6), n += 6;
	text[n] = '\0';

	/*
	 * The statement's expression is level 1, so the '(' that opens
	 * level max_depth + 1 is at byte 4 + max_depth.
	 */
	got = parse_dump(ctx, text, n, &diags);
	assert_string_equal(got, "assign z = 1");
	assert_int_equal(gb_diag_errors(ctx), 1);
	snprintf(want, sizeof want, "t.grad:1:%lu: error: expression nested "
		 "too deeply (more than %lu levels)\n",
		 (unsigned long)(5 + ctx->limits.max_depth),
		 (unsigned long)ctx->limits.max_depth);
	if (strncmp(diags, want, strlen(want)) != 0)
		fail_msg("parse-13.1: got %.200s", diags);
	free(got);
	gb_free(diags);
	gb_diag_clear(ctx);

	/* A flat sum parses by a loop but makes a tall tree. */
	n = 0;
	memcpy(text + n, "s = x", 5), n += 5;
	for (i = 0; i < N / 2; i++)
		text[n++] = '+', text[n++] = 'x';
	text[n] = '\0';
	got = parse_dump(ctx, text, n, &diags);
	assert_string_equal(got, "");
	assert_int_equal(gb_diag_errors(ctx), 1);
	if (!strstr(diags, "error: expression nested too deeply"))
		fail_msg("parse-13.2: got %.200s", diags);
	free(got);
	gb_free(diags);
	gb_diag_clear(ctx);

	/* Just under the limit is fine. */
	n = 0;
	for (i = 0; i + 1 < ctx->limits.max_depth; i++)
		text[n++] = '-';
	text[n++] = 'x';
	got = parse_dump(ctx, text, n, &diags);
	assert_string_equal(diags, "");
	assert_int_equal(gb_diag_errors(ctx), 0);
	free(got);
	gb_free(diags);
	free(text);
	gb_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_shapes),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_expr),
		cmocka_unit_test(test_parse_spans),
		cmocka_unit_test(test_parse_depth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
