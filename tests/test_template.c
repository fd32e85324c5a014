/*
 * test_template.c - answer-sheet templates (output/template.c): slot
 * markers, filling, overflow reports, and the built-in template.
 */
#include "testutil.h"

#include <string.h>

#include "output/template.h"

static gb_template scan_ok(gb_ctx *ctx, const char *text)
{
	gb_template t;

	assert_true(gb_template_scan(ctx, "t.tex", text, strlen(text), &t));
	return t;
}

static void test_scan_and_fill(void **state)
{
	gb_ctx *ctx = tu_ctx();
	static const char *const content[] = { "A", "$x^2$" };
	gb_template t;
	char *out;

	(void)state;
	/* markers in comments and after \% escapes do not count */
	t = scan_ok(ctx, "% \\gbslot{no}\nName: \\gbslot{name}\n"
		    "100\\% \\fbox{\\gbslot{1.1}} % \\gbslot{nor}\n");
	assert_int_equal(t.nslots, 2);
	assert_string_equal(t.slots[0].id, "name");
	assert_string_equal(t.slots[1].id, "1.1");
	assert_int_equal(gb_template_find(&t, "1.1"), 1);
	assert_int_equal(gb_template_find(&t, "1.2"), -1);
	out = gb_template_fill(&t, content);
	assert_string_equal(out, "% \\gbslot{no}\nName: A\n100\\% "
			    "\\fbox{$x^2$} % \\gbslot{nor}\n");
	gb_free(out);
	gb_ctx_free(ctx);
}

static void test_bad_markers(void **state)
{
	static const char *const bad[] = {
		"\\gbslot{}",			/* empty */
		"\\gbslot{a\n}",		/* over two lines */
		"\\gbslot{a",			/* unterminated */
		"\\gbslot{a} \\gbslot{a}",	/* twice */
	};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		gb_ctx *ctx = tu_ctx();
		gb_template t;

		assert_false(gb_template_scan(ctx, "t.tex", bad[i],
					      strlen(bad[i]), &t));
		assert_true(gb_diag_errors(ctx) > 0);
		gb_ctx_free(ctx);
	}
}

static void test_overflow_log(void **state)
{
	static const char log[] =
		"(./hw3-answers.tex\ngradbox-overflow: 1.3\n"
		"Overfull \\hbox\ngradbox-overflow: 2.1 \r\n"
		"xgradbox-overflow: no\n";
	char *s;

	(void)state;
	s = gb_overflow_slots(log, sizeof log - 1);
	assert_string_equal(s, "1.3\n2.1\n");
	gb_free(s);
	s = gb_overflow_slots("", 0);
	assert_string_equal(s, "");
	gb_free(s);
}

/* The built-in template is templates/hw-answers.tex, with its slots. */
static void test_default_template(void **state)
{
	static const char *const want[] = { "name", "1.1", "1.2", "1.3", "1.4",
					    "1.5", "1.6", "2.1", "2.2", "2.3" };
	gb_ctx *ctx = tu_ctx();
	const char *d = gb_default_template();
	gb_template t;

	(void)state;
	assert_int_equal(strlen(d), gb_template_hw_answers_len);
	assert_non_null(strstr(d, "gradbox-overflow: #1"));
	t = scan_ok(ctx, d);
	assert_int_equal(t.nslots, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < t.nslots; i++)
		assert_string_equal(t.slots[i].id, want[i]);
	gb_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_and_fill),
		cmocka_unit_test(test_bad_markers),
		cmocka_unit_test(test_overflow_log),
		cmocka_unit_test(test_default_template),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
