/*
 * test_print.c - the plain printer (output/print.c) and the expression
 * generator (core/gen.c).
 *
 * Inputs are built with the canonicalising constructors through
 * gb_gen_sexpr, so every row states the node exactly and the expected
 * text is what `gradbox print` must write for it. The round-trip
 * property (parse . print = identity, by pointer) runs over thousands of
 * generated expressions.
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
#include "core/build.h"
#include "core/ctx.h"
#include "core/gen.h"
#include "core/strbuf.h"
#include "calculus/diff.h"
#include "output/print.h"

struct print_case {
	const char *id;		/* stable; never renumbered */
	const char *sexpr;	/* the node, see core/gen.h */
	const char *want;
};

static const struct print_case print_cases[] = {
	/* sums: positive terms first, constants last, then " - " terms */
	{ "print-1.1", "(- 1 (sigmoid x))", "1 - sigmoid(x)" },
	{ "print-1.2", "(+ x 1)", "1 + x" },
	{ "print-1.3", "(- x 1)", "x - 1" },
	{ "print-1.4", "(+ (- x) y)", "y - x" },
	{ "print-1.5", "(- (- x) y)", "-x - y" },
	{ "print-1.6", "(- (- x) 1)", "-x - 1" },
	{ "print-1.7", "(+ x (* -2 y) 3)", "3 + x - 2*y" },
	{ "print-1.8", "(- x 1/2)", "x - 1/2" },
	{ "print-1.9", "(- x (* 3/2 y))", "x - 3*y/2" },
	{ "print-1.10", "(- x (/ 1 y))", "x - 1/y" },
	{ "print-1.11", "(- x (* y (+ 1 z)))", "x - y*(1 + z)" },
	{ "print-1.12", "(+ x pi)", "pi + x" },
	/* products and quotients */
	{ "print-2.1", "(* 2 x)", "2*x" },
	{ "print-2.2", "(- x)", "-x" },
	{ "print-2.3", "(/ x 2)", "x/2" },
	{ "print-2.4", "(* 3/2 x)", "3*x/2" },
	{ "print-2.5", "(/ a (* b c))", "a/(b*c)" },
	{ "print-2.6", "(/ 1 (+ 1 (exp (- x))))", "1/(1 + exp(-x))" },
	{ "print-2.7", "(* (sigmoid x) (- 1 (sigmoid x)))",
	  "sigmoid(x)*(1 - sigmoid(x))" },
	{ "print-2.8", "(/ (* 3 x) (* 2 y))", "3*x/(2*y)" },
	{ "print-2.9", "(/ -1 x)", "-1/x" },
	{ "print-2.10", "(/ 1 (* 2 x))", "1/(2*x)" },
	{ "print-2.11", "(* alpha (- (exp x) 1))", "alpha*(exp(x) - 1)" },
	{ "print-2.12", "(/ x (^ y 2))", "x/y^2" },
	{ "print-2.13", "(^ x -1/2)", "1/sqrt(x)" },
	{ "print-2.14", "(* -1/3 x)", "-x/3" },
	{ "print-2.15", "(* -2 x y)", "-2*x*y" },
	{ "print-2.16", "(/ (* x (+ y 1)) (* (- y 1) z))",
	  "x*(1 + y)/(z*(y - 1))" },
	{ "print-2.17", "(* x (^ 2 1/2))", "sqrt(2)*x" },
	{ "print-2.18", "(/ x (sqrt y))", "x/sqrt(y)" },
	{ "print-2.19", "(- (sin x))", "-sin(x)" },
	/* powers */
	{ "print-3.1", "(^ x 2)", "x^2" },
	{ "print-3.2", "(^ x 1/2)", "sqrt(x)" },
	{ "print-3.3", "(- (^ x 2))", "-x^2" },
	{ "print-3.4", "(^ (- x) 1/2)", "sqrt(-x)" },
	{ "print-3.5", "(^ -2 x)", "(-2)^x" },
	{ "print-3.6", "(^ 1/2 x)", "(1/2)^x" },
	{ "print-3.7", "(^ (^ x y) z)", "(x^y)^z" },
	{ "print-3.8", "(^ x (^ y z))", "x^(y^z)" },
	{ "print-3.9", "(^ x (+ y 1))", "x^(1 + y)" },
	{ "print-3.10", "(^ 2 x)", "2^x" },
	{ "print-3.11", "(^ (+ x 1) 3)", "(1 + x)^3" },
	{ "print-3.12", "(^ (sin x) 2)", "sin(x)^2" },
	{ "print-3.13", "(^ x (- y))", "x^(-y)" },
	{ "print-3.14", "(^ e x)", "exp(x)" },
	{ "print-3.15", "(^ pi 2)", "pi^2" },
	{ "print-3.16", "(^ x (* 2 y))", "x^(2*y)" },
	{ "print-3.17", "(^ (* x y) 1/2)", "sqrt(x*y)" },
	{ "print-3.18", "(^ x -2)", "1/x^2" },
	{ "print-3.19", "(^ (+ x 1) -1)", "1/(1 + x)" },
	/* numbers: exact, never decimals */
	{ "print-4.1", "1/3", "1/3" },
	{ "print-4.2", "-5", "-5" },
	{ "print-4.3", "-2/3", "-2/3" },
	{ "print-4.4", "123456789012345678901234567891/1000",
	  "123456789012345678901234567891/1000" },
	{ "print-4.5", "0", "0" },
	{ "print-4.6", "(^ 2 100)", "1267650600228229401496703205376" },
	{ "print-4.7", "pi", "pi" },
	{ "print-4.8", "e", "e" },
	/* calls */
	{ "print-5.1", "(max x y)", "max(x, y)" },
	{ "print-5.2", "(min x y 0)", "min(0, x, y)" },
	{ "print-5.3", "(log (+ 1 (exp x)))", "log(1 + exp(x))" },
	{ "print-5.4", "(abs (- x))", "abs(-x)" },
	/* conditions and piecewise */
	{ "print-6.1", "(pw (< x 0) 0 (> x 0) 1)",
	  "piecewise(x < 0: 0, x > 0: 1)" },
	{ "print-6.2", "(pw (> x 0) x (* alpha (- (exp x) 1)))",
	  "piecewise(x > 0: x, otherwise: alpha*(exp(x) - 1))" },
	{ "print-6.3", "(and (< x 0) (>= y 1))", "x < 0 and y >= 1" },
	{ "print-6.4", "(and (or (< x 0) (> y 0)) (!= x 1))",
	  "x != 1 and (x < 0 or y > 0)" },
	{ "print-6.5", "(or (and (< x 0) (> y 0)) (== x 1))",
	  "x == 1 or x < 0 and y > 0" },
	{ "print-6.6", "(<= x (/ -1 2))", "x <= -1/2" },
	/* matrices */
	{ "print-7.1", "(mat 2 2 1 2 3 4)", "[[1, 2], [3, 4]]" },
	{ "print-7.2", "(mat 2 1 1 -2)", "[1, -2]" },
	{ "print-7.3", "(' W:3x3)", "W'" },
	{ "print-7.4", "(' (@ W:3x3 v:3x1))", "(W*v)'" },
	{ "print-7.5", "(.* a:3x1 b:3x1)", "a .* b" },
	{ "print-7.6", "(@ W:3x3 v:3x1)", "W*v" },
	{ "print-7.7", "(@ W:3x3 (@ W:3x3 v:3x1))", "W*(W*v)" },
	{ "print-7.8", "(@ (' W:3x3) v:3x1)", "W'*v" },
	{ "print-7.9", "(* 2 (@ W:3x3 v:3x1))", "2*(W*v)" },
	{ "print-7.10", "(- (@ W:3x3 v:3x1))", "-(W*v)" },
	{ "print-7.11", "(* -1/2 (@ W:3x3 v:3x1))", "-(W*v)/2" },
	{ "print-7.12", "(@ W:3x3 (- v:3x1))", "W*(-v)" },
	{ "print-7.13", "(.* a:3x1 (@ W:3x3 v:3x1))", "a .* (W*v)" },
	{ "print-7.14", "(mat 1 2 x y)", "[[x, y]]" },
	{ "print-7.15", "(@ (' v:3x1) (sigmoid (@ W:3x3 v:3x1)))",
	  "v'*sigmoid(W*v)" },
};

static char *show(gb_ctx *ctx, const gb_node *e)
{
	char *s = e ? gb_print(ctx, e) : NULL;

	if (!s) {
		s = malloc(sizeof "(null)");
		assert_non_null(s);
		memcpy(s, "(null)", sizeof "(null)");
	}
	return s;
}

static void test_print_cases(void **state)
{
	gb_ctx *ctx = *state;
	size_t nfail = 0;

	for (size_t i = 0; i < sizeof print_cases / sizeof print_cases[0];
	     i++) {
		const struct print_case *c = &print_cases[i];
		const gb_node *e = gb_gen_sexpr(ctx, c->sexpr);
		char *got;

		if (!e) {
			print_error("%s: bad test input %s\n", c->id, c->sexpr);
			nfail++;
			continue;
		}
		got = show(ctx, e);
		if (strcmp(got, c->want) != 0) {
			print_error("%s: %s printed as \"%s\", want \"%s\"\n",
				    c->id, c->sexpr, got, c->want);
			nfail++;
		}
		free(got);
	}
	if (nfail)
		fail_msg("%zu print cases failed", nfail);
}

/* Every function of functions.def prints as name(args). */
static void test_print_functions(void **state)
{
	static const char *const names[] = {
#define FN(id, name, lo, hi, latex, ev, d) name,
#include "functions.def"
#undef FN
	};
	gb_ctx *ctx = *state;

	/* (the matrix functions, from sum on, have tests of their own) */
	for (size_t i = 0; i < GB_FN_SUM; i++) {
		char sexpr[64], want[64], *got;
		const gb_node *e;
		bool nary = strcmp(names[i], "max") == 0 ||
			    strcmp(names[i], "min") == 0;

		snprintf(sexpr, sizeof sexpr, nary ? "(%s x y)" : "(%s x)",
			 names[i]);
		snprintf(want, sizeof want, nary ? "%s(x, y)" : "%s(x)",
			 names[i]);
		e = gb_gen_sexpr(ctx, sexpr);
		assert_non_null(e);
		got = show(ctx, e);
		if (strcmp(got, want) != 0)
			fail_msg("print-5.f.%s: got \"%s\", want \"%s\"",
				 names[i], got, want);
		free(got);
	}
}

/* Same seed, same node: within a context by pointer, across by text. */
static void test_gen_deterministic(void **state)
{
	gb_ctx *ctx = *state, *other = tu_ctx();

	for (uint64_t seed = 1; seed <= 200; seed++) {
		uint64_t s1 = seed, s2 = seed, s3 = seed;
		const gb_node *a = gb_gen_expr(ctx, &s1, 5);
		const gb_node *b = gb_gen_expr(ctx, &s2, 5);
		const gb_node *c = gb_gen_expr(other, &s3, 5);
		char *pa, *pc;

		assert_non_null(a);
		assert_ptr_equal(a, b);
		assert_true(s1 == s2 && s2 == s3);
		pa = show(ctx, a);
		pc = show(other, c);
		if (strcmp(pa, pc) != 0)
			fail_msg("gen-1.1: seed %llu gives \"%s\" and \"%s\"",
				 (unsigned long long)seed, pa, pc);
		free(pa);
		free(pc);
	}
	gb_ctx_free(other);
}

/* The generator reaches every function and node kind it promises. */
static void test_gen_coverage(void **state)
{
	gb_ctx *ctx = *state;
	bool kinds[GB_NKINDS] = { false }, fns[GB_NFNS] = { false };

	for (uint64_t seed = 1; seed <= 2000; seed++) {
		uint64_t st = seed;
		const gb_node *stack[64];
		size_t sp = 0;

		stack[sp++] = gb_gen_expr(ctx, &st, 3);
		while (sp) {
			const gb_node *e = stack[--sp];

			kinds[e->kind] = true;
			if (e->kind == GB_CALL)
				fns[e->fn] = true;
			/* sqrt(u) is built as u^(1/2) */
			if (e->kind == GB_POW && e->arg[1]->kind == GB_NUM &&
			    gb_print_is_sqrt_exp(e->arg[1]->u.q, 1))
				fns[GB_FN_SQRT] = true;
			for (uint32_t i = 0; i < e->nargs && sp < 64; i++)
				stack[sp++] = e->arg[i];
		}
	}
	for (int k = GB_NUM; k <= GB_PIECEWISE; k++)
		if (k < GB_MATMUL || k > GB_MATRIX)
			if (!kinds[k])
				fail_msg("gen-2.1: kind %d never generated", k);
	for (int f = 0; f < GB_FN_SUM; f++)	/* the element-wise ones */
		if (!fns[f])
			fail_msg("gen-2.2: function %d never generated", f);
}

/*
 * parse(print(e)) == e for generated expressions: the printer and the
 * parser agree on precedence, spelling and display order.
 */
static void test_print_round_trip(void **state)
{
	gb_ctx *ctx = *state;
	size_t nfail = 0;

	for (uint64_t seed = 1; seed <= 4000; seed++) {
		uint64_t st = seed * 7919u;
		const gb_node *e = gb_gen_expr(ctx, &st, 1 + (int)(seed % 5));
		const gb_node *back = NULL;
		char *text = show(ctx, e);
		gb_status rc = gb_parse(ctx, "<round-trip>", text,
					strlen(text), &back);

		if (rc != GB_OK || back != e) {
			char *b = show(ctx, back);
			char *diag = gb_diag_render(ctx);

			if (nfail < 20)
				print_error("print-rt seed %llu: \"%s\" parsed "
					    "as \"%s\" (%s)\n%s",
					    (unsigned long long)seed, text, b,
					    gb_status_str(rc),
					    diag ? diag : "");
			gb_free(diag);
			gb_diag_clear(ctx);
			free(b);
			nfail++;
		}
		free(text);
	}
	if (nfail)
		fail_msg("%zu of 4000 expressions did not round-trip", nfail);
}

/*
 * Long sums and products kept whole (core/build.c) print in parentheses
 * and read back as the same node, plain and LaTeX: a sum grown one
 * term at a time, y_k = y_{k-1} + tanh(w_k x) (as a tree: y_{k-1} twice
 * per layer, as in a residual chain, would print 2^k terms), and the
 * derivative of 1/(1 + e^-f) nested 60 deep, whose products nest.
 */
static void test_print_round_trip_long(void **state)
{
	gb_ctx *ctx = *state;
	const gb_node *x = gb_symbol(ctx, "x", 1), *y = x, *g = x, *cases[2];

	for (int k = 1; k <= 60; k++) {
		char name[16];
		const gb_node *w;

		snprintf(name, sizeof name, "w%d", k);
		w = gb_symbol(ctx, name, strlen(name));
		y = gb_add2(ctx, y, gb_call1(ctx, GB_FN_TANH, gb_mul2(ctx, w, x)));
		g = gb_pow(ctx, gb_add2(ctx, ctx->one,
					gb_call1(ctx, GB_FN_EXP, gb_neg(ctx, g))),
			   ctx->minus_one);
	}
	cases[0] = y;
	cases[1] = gb_diff(ctx, g, x);
	{	/* a long sum kept whole inside: the case at stake */
		bool nested = false;

		for (uint32_t i = 0; i < y->nargs; i++)
			nested = nested || y->arg[i]->kind == GB_ADD;
		assert_true(nested);
	}
	for (int i = 0; i < 2; i++) {
		const gb_node *back = NULL;
		char *text = show(ctx, cases[i]), *tex = gb_latex(ctx, cases[i]);

		assert_non_null(text);
		assert_non_null(tex);
		assert_int_equal(gb_parse(ctx, "<long>", text, strlen(text),
					  &back), GB_OK);
		if (back != cases[i])
			fail_msg("case %d: %.200s", i, text);
		back = NULL;
		assert_int_equal(gb_parse_latex(ctx, "<long-latex>", tex,
						strlen(tex), &back), GB_OK);
		assert_ptr_equal(back, cases[i]);
		free(text);
		gb_free(tex);
	}
}

/*
 * Random expressions with long sums and products (33 to 40 children,
 * like terms and shared bases among them, nested and combined): parsed,
 * printed plain and LaTeX, read back, the same node each time. Text is
 * generated rather than nodes so that the reader's grouping is tested
 * too.
 */
static uint64_t lcg(uint64_t *st)
{
	*st = *st * 6364136223846793005u + 1442695040888963407u;
	return *st >> 33;
}

static void gen_long(gb_strbuf *sb, uint64_t *st, bool product)
{
	static const char *const coef[] = { "", "2*", "-", "3/2*", "-1/2*" };
	/* a term or factor: pre, x<v>, post ("" "" for the number v) */
	static const char *const term[][2] = {
		{ "", "" }, { "", "^2" }, { "exp(", ")" }, { "", "*y" },
		{ NULL, NULL },
	};
	static const char *const fact[][2] = {
		{ "", "" }, { "", "^2" }, { "", "^(-1)" }, { "exp(", ")" },
		{ "(1 + ", ")" }, { "sqrt(", ")" },
	};
	unsigned k = 33 + (unsigned)(lcg(st) % 8);

	gb_sb_putc(sb, '(');
	for (unsigned i = 0; i < k; i++) {
		unsigned v = 1 + (unsigned)(lcg(st) % 44);

		const char *const *t;

		if (product) {
			if (i)
				gb_sb_putc(sb, '*');
			t = fact[lcg(st) % 6];
		} else {
			if (i)
				gb_sb_puts(sb, " + ");
			gb_sb_puts(sb, coef[lcg(st) % 5]);
			t = term[lcg(st) % 5];
		}
		if (t[0])
			gb_sb_printf(sb, "%sx%u%s", t[0], v, t[1]);
		else
			gb_sb_printf(sb, "%u", v);
	}
	gb_sb_putc(sb, ')');
}

static void gen_mixed(gb_strbuf *sb, uint64_t *st, int depth)
{
	static const char *const ops[] = { " + ", " - ", "*", "/" };
	unsigned r = (unsigned)(lcg(st) % 10);

	if (depth > 2 || r < 3) {
		if (r % 3 == 2)
			gb_sb_puts(sb, lcg(st) & 1 ? "y" : "x7");
		else
			gen_long(sb, st, r % 3 == 1);
		return;
	}
	gb_sb_putc(sb, '(');
	gen_mixed(sb, st, depth + 1);
	gb_sb_puts(sb, ops[lcg(st) % 4]);
	gen_mixed(sb, st, depth + 1);
	gb_sb_putc(sb, ')');
	if (r == 9)
		gb_sb_puts(sb, "^2");
}

static void test_print_round_trip_random_long(void **state)
{
	gb_ctx *ctx = *state;
	uint64_t st = 20261127;
	int bad = 0;

	for (int i = 0; i < 200; i++) {
		gb_strbuf sb;
		const gb_node *e = NULL, *back = NULL;
		char *text, *tex;

		gb_sb_init(&sb, NULL);
		gen_mixed(&sb, &st, 0);
		assert_int_equal(gb_parse(ctx, "<gen>", gb_sb_str(&sb),
					  strlen(gb_sb_str(&sb)), &e), GB_OK);
		text = show(ctx, e);
		tex = gb_latex(ctx, e);
		assert_non_null(tex);
		if (gb_parse(ctx, "<plain>", text, strlen(text), &back) !=
		    GB_OK || back != e) {
			print_error("plain round trip %d: %.300s\n", i, text);
			bad++;
		}
		back = NULL;
		if (gb_parse_latex(ctx, "<latex>", tex, strlen(tex), &back) !=
		    GB_OK || back != e) {
			print_error("LaTeX round trip %d: %.300s\n", i, tex);
			bad++;
		}
		gb_diag_clear(ctx);
		free(text);
		gb_free(tex);
		gb_sb_free(&sb);
	}
	assert_int_equal(bad, 0);
}

static void test_sexpr_errors(void **state)
{
	gb_ctx *ctx = *state;

	assert_null(gb_gen_sexpr(ctx, "(+ x"));
	assert_null(gb_gen_sexpr(ctx, "(nosuchfn x)"));
	assert_null(gb_gen_sexpr(ctx, "x y"));
	assert_null(gb_gen_sexpr(ctx, "1/0"));
	assert_null(gb_gen_sexpr(ctx, "(mat 2 2 1 2 3)"));
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
		cmocka_unit_test_setup_teardown(test_print_cases, ctx_setup,
						ctx_teardown),
		cmocka_unit_test_setup_teardown(test_print_functions,
						ctx_setup, ctx_teardown),
		cmocka_unit_test_setup_teardown(test_gen_deterministic,
						ctx_setup, ctx_teardown),
		cmocka_unit_test_setup_teardown(test_gen_coverage, ctx_setup,
						ctx_teardown),
		cmocka_unit_test_setup_teardown(test_sexpr_errors, ctx_setup,
						ctx_teardown),
		cmocka_unit_test_setup_teardown(test_print_round_trip,
						ctx_setup, ctx_teardown),
		cmocka_unit_test_setup_teardown(test_print_round_trip_long,
						ctx_setup, ctx_teardown),
		cmocka_unit_test_setup_teardown(test_print_round_trip_random_long,
						ctx_setup, ctx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
