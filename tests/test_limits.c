/*
 * test_limits.c - limits turn pathological work into one diagnostic:
 * nodes, steps and time per budget (gb_set_limit, gb_budget_start),
 * nesting depth and input size. Case ids are stable.
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

/* How many times needle occurs in the rendered diagnostics. */
static int diag_count(gb_ctx *ctx, const char *needle)
{
	char *s = gb_diag_render(ctx);
	int n = 0;

	assert_non_null(s);
	for (const char *p = s; (p = strstr(p, needle)); p++)
		n++;
	gb_free(s);
	return n;
}

static const char tower[] = "x^x^x^x^x^x^x^x^x^x^x^x*sigmoid(x)^x^x^x^x^x";

/* limits-1: the node cap, one diagnostic, then a new budget works. */
static void test_limits_nodes(void **state)
{
	gb_ctx *ctx = tu_ctx();
	const gb_node *e, *d;

	(void)state;
	assert_int_equal(gb_parse(ctx, "<t>", tower, strlen(tower), &e), GB_OK);
	assert_int_equal(gb_set_limit(ctx, GB_LIMIT_NODES, 100), GB_OK);
	gb_budget_start(ctx);
	assert_int_equal(gb_differentiate(ctx, e, "x", 3, &d), GB_ELIMIT);
	/* Later calls fail fast and say nothing more. */
	assert_int_equal(gb_differentiate(ctx, e, "x", 1, &d), GB_ELIMIT);
	assert_int_equal(diag_count(ctx,
				    "expression too large (limit 100 nodes)"), 1);
	gb_diag_clear(ctx);
	assert_int_equal(gb_set_limit(ctx, GB_LIMIT_NODES, 20000000), GB_OK);
	gb_budget_start(ctx);
	assert_int_equal(gb_differentiate(ctx, e, "x", 1, &d), GB_OK);
	assert_int_equal(gb_set_limit(ctx, GB_LIMIT_NODES, 0), GB_EUSAGE);
	gb_ctx_free(ctx);
}

/* limits-2: the step budget stops differentiation. */
static void test_limits_steps_diff(void **state)
{
	gb_ctx *ctx = tu_ctx();
	const gb_node *e, *d;

	(void)state;
	assert_int_equal(gb_parse(ctx, "<t>", tower, strlen(tower), &e), GB_OK);
	assert_int_equal(gb_set_limit(ctx, GB_LIMIT_STEPS, 3000), GB_OK);
	gb_budget_start(ctx);
	assert_int_equal(gb_differentiate(ctx, e, "x", 4, &d), GB_ELIMIT);
	assert_int_equal(diag_count(ctx,
				    "step limit exceeded (limit 3000 steps)"), 1);
	assert_int_equal(gb_get_limit(ctx, GB_LIMIT_STEPS), 3000);
	gb_ctx_free(ctx);
}

/* limits-3: the step budget stops evaluation (one step per node). */
static void test_limits_steps_eval(void **state)
{
	gb_ctx *ctx = tu_ctx();
	char buf[40000];
	size_t n = 0;
	const gb_node *e;
	gb_value *v = NULL;

	(void)state;
	for (int k = 1; k <= 1500; k++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%ssin(%d*x)",
				      k > 1 ? " + " : "", k);
	assert_int_equal(gb_parse(ctx, "<t>", buf, n, &e), GB_OK);
	assert_int_equal(gb_bind(ctx, "x", "1/3"), GB_OK);
	assert_int_equal(gb_set_limit(ctx, GB_LIMIT_STEPS, 2000), GB_OK);
	gb_budget_start(ctx);
	assert_int_equal(gb_eval(ctx, e, 20, &v), GB_ELIMIT);
	assert_null(v);
	assert_int_equal(diag_count(ctx, "step limit exceeded"), 1);
	gb_ctx_free(ctx);
}

/* limits-4: the time budget stops a slow evaluation between passes. */
static void test_limits_time(void **state)
{
	gb_ctx *ctx = tu_ctx();
	const gb_node *e;
	gb_value *v = NULL;

	(void)state;
	assert_int_equal(gb_parse(ctx, "<t>", "exp(sin(x))^(1/3) + log(x)", 26,
				  &e), GB_OK);
	assert_int_equal(gb_bind(ctx, "x", "1/3"), GB_OK);
	assert_int_equal(gb_set_limit(ctx, GB_LIMIT_MSEC, 1), GB_OK);
	gb_budget_start(ctx);
	assert_int_equal(gb_eval(ctx, e, GB_DIGITS_MAX, &v), GB_ELIMIT);
	assert_null(v);
	assert_int_equal(diag_count(ctx, "time limit exceeded (limit 1 ms)"), 1);
	/* A new budget with no time limit evaluates normally. */
	gb_diag_clear(ctx);
	assert_int_equal(gb_set_limit(ctx, GB_LIMIT_MSEC, 0), GB_OK);
	gb_budget_start(ctx);
	assert_int_equal(gb_eval(ctx, e, 10, &v), GB_OK);
	gb_value_free(v);
	gb_ctx_free(ctx);
}

/* limits-5: 10^10^10 is kept as a power: printing and differentiating
 * it is instant, and evaluating it reports the overflow, fast. */
static void test_limits_huge_power(void **state)
{
	gb_ctx *ctx = tu_ctx();
	const gb_node *e;
	gb_value *v = NULL;
	char *s;

	(void)state;
	assert_int_equal(gb_parse(ctx, "<t>", "10^10^10", 8, &e), GB_OK);
	s = gb_print(ctx, e);
	assert_string_equal(s, "10^10000000000");
	gb_free(s);
	assert_int_not_equal(gb_eval(ctx, e, 20, &v), GB_OK);
	assert_null(v);
	assert_int_equal(diag_count(ctx, "overflow"), 1);
	gb_ctx_free(ctx);
}

/* limits-6: nesting depth and input size, with their messages. */
static void test_limits_depth_input(void **state)
{
	gb_ctx *ctx = tu_ctx();
	enum { DEEP = 100000 };
	char *buf = malloc(2 * DEEP + 2);
	const gb_node *e;

	(void)state;
	assert_non_null(buf);
	memset(buf, '(', DEEP);
	buf[DEEP] = 'x';
	memset(buf + DEEP + 1, ')', DEEP);
	assert_int_equal(gb_parse(ctx, "<t>", buf, 2 * DEEP + 1, &e),
			 GB_ESYNTAX);
	assert_int_equal(diag_count(ctx, "nested too deeply"), 1);
	gb_diag_clear(ctx);
	for (int i = 0; i < DEEP / 9; i++)
		memcpy(buf + 9 * i, "\\frac{1}{", 9);
	memcpy(buf + 9 * (DEEP / 9), "x", 2);
	assert_int_not_equal(gb_parse_latex(ctx, "<t>", buf, strlen(buf), &e),
			     GB_OK);
	assert_int_equal(diag_count(ctx, "nested too deeply"), 1);
	gb_diag_clear(ctx);
	assert_int_equal(gb_set_limit(ctx, GB_LIMIT_INPUT, 1000), GB_OK);
	assert_int_equal(gb_parse(ctx, "<t>", buf, 2 * DEEP + 1, &e),
			 GB_ELIMIT);
	assert_int_equal(diag_count(ctx, "the limit is 1000"), 1);
	free(buf);
	gb_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limits_nodes),
		cmocka_unit_test(test_limits_steps_diff),
		cmocka_unit_test(test_limits_steps_eval),
		cmocka_unit_test(test_limits_time),
		cmocka_unit_test(test_limits_huge_power),
		cmocka_unit_test(test_limits_depth_input),
	};

	return cmocka_run_group_tests_name("limits", tests, NULL, NULL);
}
