/*
 * test_batch.c - statement records (jobs/batch.c) and grading answer
 * sheets (jobs/grade.c).
 */
#include "testutil.h"

#include <string.h>

#include "core/strbuf.h"
#include "jobs/grade.h"

static const gb_record *records(gb_ctx *ctx, const char *text,
				gb_status want, size_t *n)
{
	gb_record *r;

	assert_int_equal(gb_run_records(ctx, "t.grad", text, strlen(text), &r,
					n), want);
	assert_non_null(r);
	return r;
}

/* One record per statement, in source order, with kind and outcome. */
static void test_records(void **state)
{
	static const struct {
		unsigned line;
		const char *kind;
		gb_outcome outcome;
		int verdict;
		size_t ndiags;
	} want[] = {
		{ 1, "dim", GB_OUTCOME_OK, -1, 0 },
		{ 2, "def", GB_OUTCOME_OK, -1, 0 },
		{ 2, "show", GB_OUTCOME_OK, -1, 0 },	/* after ';' */
		{ 3, "syntax", GB_OUTCOME_FAILED, -1, 1 },
		{ 4, "check", GB_OUTCOME_OK, 0, 0 },
		{ 5, "show", GB_OUTCOME_HANDLED, -1, 2 },	/* + note */
		{ 6, "show", GB_OUTCOME_OK, -1, 0 },
		{ 7, "show", GB_OUTCOME_OK, -1, 0 },	/* the chain */
		{ 8, "show", GB_OUTCOME_OK, -1, 0 },
		{ 9, "show", GB_OUTCOME_SKIPPED, -1, 0 },
		{ 10, "assign", GB_OUTCOME_FAILED, -1, 1 },
		{ 11, "smooth", GB_OUTCOME_OK, -1, 0 },
	};
	gb_ctx *ctx = tu_ctx();
	size_t n;
	const gb_record *r = records(ctx,
		"dim d = 1\n"
		"f(x) = x^2; show diff(f(x), x)\n"
		"show 1 +\n"
		"check f(x) == 3*x\n"
		"show diff(nosuch(x), x)\n"
		"else show 1\n"
		"else show 2\n"
		"show 3\n"
		"else show 4\n"
		"y = nosuch(2) + 1\n"
		"smooth abs(x), f\n", GB_ESYNTAX, &n);

	(void)state;
	assert_int_equal(n, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(r[i].line, want[i].line);
		assert_string_equal(r[i].kind, want[i].kind);
		assert_int_equal(r[i].outcome, want[i].outcome);
		assert_int_equal(r[i].verdict, want[i].verdict);
		if (want[i].ndiags == 0)
			assert_int_equal(r[i].ndiags, 0);
		else
			assert_true(r[i].ndiags >= 1);
	}
	assert_string_equal(r[2].result, "d/dx f(x) = 2*x");
	assert_non_null(strstr(r[2].latex, "2 x"));
	assert_string_equal(r[3].input, "show 1 +");
	assert_string_equal(r[3].diags[0].severity, "error");
	assert_int_equal(r[3].diags[0].line, 3);
	assert_string_equal(r[4].input, "check f(x) == 3*x");
	assert_string_equal(r[5].diags[0].severity, "warning");
	assert_int_equal(r[5].diags[0].col, 11);
	assert_string_equal(r[7].result, "2");
	assert_null(r[9].result);
	assert_null(r[10].result);
	assert_int_equal(r[11].nclasses, 2);
	assert_string_equal(r[11].classes[0], "C^0");
	assert_string_equal(r[11].classes[1], "C^inf");
	assert_string_equal(gb_outcome_str(GB_OUTCOME_HANDLED), "handled");
	gb_ctx_free(ctx);
}

/* A time limit applies per statement: the next one runs in full. */
static void test_timeout(void **state)
{
	gb_ctx *ctx = tu_ctx();
	size_t n;
	const gb_record *r;

	(void)state;
	assert_int_equal(gb_set_limit(ctx, GB_LIMIT_MSEC, 200), GB_OK);
	r = records(ctx,
		"show diff(sigmoid(sigmoid(sigmoid(sigmoid(sigmoid(sigmoid("
		"x)))))), x, 8)\n"
		"show diff(x^2, x)\n", GB_ESYNTAX, &n);
	assert_int_equal(n, 2);
	assert_int_equal(r[0].outcome, GB_OUTCOME_FAILED);
	assert_true(r[0].ndiags > 0);
	{
		bool said = false;

		for (size_t i = 0; i < r[0].ndiags; i++)
			said |= strstr(r[0].diags[i].message,
				       "time limit exceeded") != NULL;
		assert_true(said);
	}
	assert_int_equal(r[1].outcome, GB_OUTCOME_OK);
	assert_string_equal(r[1].result, "d/dx x^2 = 2*x");
	gb_ctx_free(ctx);
}

/* What is read from a box: the last math, after a last '='. */
static void test_extract(void **state)
{
	static const struct {
		const char *box, *want;
		int status;
	} cases[] = {
		{ "\\gbslot{1}\n\\[ f'(x) = 2x. \\]\n", "2x", 0 },
		{ "\\gbslot{1} $x$ and so $y \\leq 3$", "y \\leq 3", 0 },
		{ "\\gbslot{1} $a = b \\ge c$,", "b \\ge c", 0 },
		{ "\\gbslot{1}\n% $wrong$\n$$\\frac{1}{2}$$\n", "\\frac{1}{2}",
		  0 },
		{ "\\gbslot{1} x^2 + 1 % note\n", "x^2 + 1", 0 },
		{ "\\gbslot{1} no idea", "no idea", 3 },
		{ "\\gbslot{1}\n% empty\n", "", 2 },
		{ "\\gbslot{2} $x$", "", 1 },
		{ "\\begin{answerbox}{1}{q}{2cm}\n$\\begin{cases} 1 & x > 0 "
		  "\\\\ 0 & x < 0 \\end{cases}$\n\\end{answerbox}",
		  "\\begin{cases} 1 & x > 0 \\\\ 0 & x < 0 \\end{cases}", 0 },
		{ "\\begin{answerbox}{1}{q}{2cm}\n\\gbslot{1}\n"
		  "\\end{answerbox}\n$x$", "", 2 },
		{ "\\gbslot{1} \\begin{equation*} y = x + 1 \\end{equation*}",
		  "x + 1", 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		gb_strbuf sb;
		int st;

		gb_sb_init(&sb, NULL);
		st = gb_grade_extract(cases[i].box, strlen(cases[i].box), "1",
				      false, &sb);
		if (st != cases[i].status || (st == 0 &&
		    strcmp(gb_sb_str(&sb), cases[i].want) != 0))
			fail_msg("case %zu: status %d, '%s'", i, st,
				 gb_sb_str(&sb));
		gb_sb_free(&sb);
	}
}

/* Grading: scalar and piecewise answers, prose, a broken box. */
static void test_grade(void **state)
{
	static const char key[] =
		"param beta > 0\n"
		"f(x) = max(x, 0)\n"
		"answer \"a\" diff(f(x), x)\n"
		"answer \"b\" diff(log(1 + exp(beta*x))/beta, x)\n"
		"answer \"c\" text \"explain\"\n"
		"answer \"d\" diff(x^3, x)\n"
		"answer \"e\" diff(x^3, x)\n";
	static const char sub[] =
		"\\gbslot{a} $\\begin{cases} 0 & x < 0 \\\\ 1 & x > 0 "
		"\\end{cases}$\n\n"
		"\\gbslot{b} $\\sigma(x)$\n\n"
		"\\gbslot{c} Because.\n\n"
		"\\gbslot{d} $3x^{2$\n\n";
	static const gb_grade_verdict want[] = {
		GB_GRADE_CORRECT, GB_GRADE_INCORRECT, GB_GRADE_MANUAL,
		GB_GRADE_UNREADABLE, GB_GRADE_UNREADABLE
	};
	gb_ctx *ctx = tu_ctx();
	gb_grade_row *rows;
	size_t n;

	(void)state;
	assert_int_equal(gb_grade(ctx, "key.grad", key, strlen(key), "s.tex",
				  sub, strlen(sub), &rows, &n), GB_OK);
	assert_int_equal(n, 5);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(rows[i].verdict, want[i]);
	assert_string_equal(rows[0].slot, "a");
	assert_non_null(strstr(rows[1].reason, "expected"));
	assert_string_equal(rows[2].answer, "Because");
	assert_non_null(strstr(rows[3].reason, "column"));
	assert_string_equal(rows[4].reason, "no box for this slot");
	assert_string_equal(gb_grade_verdict_str(GB_GRADE_MANUAL),
			    "not graded");
	gb_ctx_free(ctx);

	/* a key that fails is the caller's error */
	ctx = tu_ctx();
	assert_int_equal(gb_grade(ctx, "key.grad", "f(x) = x +", 10, "s.tex",
				  "", 0, &rows, &n), GB_ESYNTAX);
	assert_true(gb_diag_errors(ctx) > 0);
	gb_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_extract),
		cmocka_unit_test(test_grade),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
