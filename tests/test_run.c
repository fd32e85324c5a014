/*
 * test_run.c - running expression files (jobs/run.c) and rendering
 * them into templates (jobs/render.c).
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "jobs/run.h"

static gb_run *run_text(gb_ctx *ctx, const char *text, gb_status want)
{
	gb_run *run;

	assert_int_equal(gb_run_program(ctx, "t.grad", text, strlen(text),
					&run), want);
	assert_non_null(run);
	return run;
}

/* Every query kind leaves an item with plain and LaTeX results. */
static void test_queries(void **state)
{
	static const struct {
		const char *stmt, *plain, *latex;	/* substrings */
	} cases[] = {
		{ "show diff(max(x, 0), x)", "undefined at x = 0",
		  "\\text{undefined} & \\text{if } x = 0" },
		{ "answer \"1\" diff(f(x), x)", "= 2*x",
		  "\\frac{\\partial f}{\\partial x} = 2 x" },
		{ "answer \"1\" text \"Prose.\"", "Prose.", "Prose." },
		{ "check diff(f(x), x) == 2*x", "correct", "Correct" },
		{ "check f(x) == latex\"x^3\"", "incorrect", "Incorrect" },
		{ "smooth f, abs", "abs: C^0", "In $C^1$:" },
		{ "eval f(x) at x = 3", "9", "= 9" },
		{ "eval diff(abs(x), x) at x = 0", "undefined", "undefined" },
		{ "answer \"s\" steps diff(zhat*z, x)", "dl/dx = ",
		  "\\begin{aligned}" },
		{ "answer \"a\" approach sigmoid(b*x) to x > 0 as b = 1, 10 "
		  "at x = 1", "approaches the target", "approaches" },
		{ "answer \"p\" stack sigmoid(h) in h depth 1 to 3 at h = 0",
		  "1:", "\\addplot" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		gb_ctx *ctx = tu_ctx();
		char text[512];
		gb_run *run;

		snprintf(text, sizeof text, "f(x) = x^2\nz = sigmoid(x)\n%s\n",
			 cases[i].stmt);
		run = run_text(ctx, text, GB_OK);
		assert_int_equal(run->nitems, 1);
		assert_true(run->items[0].ok);
		assert_int_equal(run->items[0].line, 3);
		if (!strstr(run->items[0].plain, cases[i].plain) ||
		    !strstr(run->items[0].latex, cases[i].latex))
			fail_msg("case %zu (%s): plain '%s', latex '%s'", i,
				 cases[i].stmt, run->items[0].plain,
				 run->items[0].latex);
		gb_ctx_free(ctx);
	}
}

/* A failed statement is diagnosed and the rest still run. */
static void test_errors_continue(void **state)
{
	gb_ctx *ctx = tu_ctx();
	gb_run *run;

	(void)state;
	run = run_text(ctx, "show nosuch(x)\nshow 1 +\nshow 2*3\n",
		       GB_ESYNTAX);
	assert_int_equal(run->nfailed, 2);
	assert_int_equal(run->nitems, 2);	/* the parse error has none */
	assert_false(run->items[0].ok);
	assert_true(run->items[1].ok);
	assert_string_equal(run->items[1].plain, "6");
	assert_int_equal(gb_diag_errors(ctx), 2);
	gb_ctx_free(ctx);
}

/* else: used after a failure (which becomes a warning), else skipped. */
static void test_else(void **state)
{
	gb_ctx *ctx = tu_ctx();
	gb_run *run;

	(void)state;
	run = run_text(ctx, "answer \"1\" nosuch(x)\n"
		       "else answer \"1\" text \"A\"\n"
		       "else answer \"1\" 1 + 1\n"
		       "answer \"2\" 3\n"
		       "else answer \"2\" text \"B\"\n", GB_OK);
	assert_int_equal(gb_diag_errors(ctx), 0);
	assert_int_equal(run->nitems, 5);
	assert_true(run->items[1].fallback);
	assert_string_equal(run->items[1].why, "unknown function 'nosuch'");
	assert_true(run->items[2].fallback);
	assert_null(run->items[2].why);
	assert_string_equal(run->items[2].plain, "2");
	assert_true(run->items[4].skipped);
	gb_ctx_free(ctx);
}

/* Statement syntax: queries are contextual keywords. */
static void test_keywords(void **state)
{
	gb_ctx *ctx = tu_ctx();
	gb_run *run;

	(void)state;
	/* show = 2 assigns, show(x) = x defines, show (x) queries */
	run = run_text(ctx, "show = 2\nanswer(x) = x + show\nshow (answer(1))\n",
		       GB_OK);
	assert_int_equal(run->nitems, 1);
	assert_string_equal(run->items[0].plain, "3");
	gb_ctx_free(ctx);
	ctx = tu_ctx();
	run = run_text(ctx, "else x = 1\n", GB_ESYNTAX);
	assert_int_equal(run->nitems, 0);
	gb_ctx_free(ctx);
}

/* gb_render: slots filled in order; unknown and missing slots fail. */
static void test_render(void **state)
{
	static const char tmpl[] = "N: \\gbslot{name}; [\\gbslot{a}]\n";
	gb_render_opts o = { "t.tex", tmpl, sizeof tmpl - 1, NULL, 0 };
	gb_ctx *ctx = tu_ctx();
	const char *text = "answer \"name\" text \"Me\"\n"
			   "answer \"a\" text \"one\"\nanswer \"a\" 2*3\n";
	char *out;

	(void)state;
	assert_int_equal(gb_render(ctx, "t.grad", text, strlen(text), &o, &out),
			 GB_OK);
	assert_string_equal(out, "N: Me; [one\\par\n\\[ 6 \\]]\n");
	gb_free(out);
	gb_ctx_free(ctx);

	ctx = tu_ctx();
	text = "answer \"name\" text \"Me\"\nanswer \"b\" 1\n";
	assert_int_not_equal(gb_render(ctx, "t.grad", text, strlen(text), &o,
				       &out), GB_OK);
	assert_null(out);
	assert_int_equal(gb_diag_errors(ctx), 2);	/* b unknown, a empty */
	gb_ctx_free(ctx);
}

/* gb_run_text: JSON escapes and keeps one object per query. */
static void test_json(void **state)
{
	gb_ctx *ctx = tu_ctx();
	const char *text;
	char *out;

	(void)state;
	text = "answer \"q\" text \"a\\b\"\ncheck 1 == 1\n";
	assert_int_equal(gb_run_text(ctx, "t.grad", text, strlen(text),
				     GB_FORMAT_JSON, &out), GB_OK);
	assert_non_null(strstr(out, "\"result\": \"a\\\\b\""));
	assert_non_null(strstr(out, "\"correct\": true"));
	gb_free(out);
	gb_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queries),
		cmocka_unit_test(test_errors_continue),
		cmocka_unit_test(test_else),
		cmocka_unit_test(test_keywords),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
