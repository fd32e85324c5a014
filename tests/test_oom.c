/*
 * test_oom.c - out-of-memory injection (Lua's ltests.c, MPFR's memory.c).
 *
 * Every allocation of the library goes through gb_mem_alloc(), whose
 * fail_after countdown makes the N-th allocation fail and every one after
 * it. Each scenario below runs in a fresh context with N = 0, 1, 2, ...
 * until it succeeds with allocations to spare, and checks for every N:
 *
 *   - the operation returns GB_OK or GB_ENOMEM: never a crash, never
 *     another error (a syntax error reported because memory ran out
 *     would send the user the wrong way);
 *   - GB_OK is never returned once an allocation failed (ctx->oom), so no
 *     result is silently lost or truncated;
 *   - nothing leaks (the test runs under ASan's leak checker in
 *     `make asan`).
 *
 * Arena chunks are made small (gb_mem.chunk), so that nearly every node,
 * symbol and diagnostic allocation is a failure point of its own, not
 * just one 64 KiB chunk in a hundred nodes.
 *
 * Not covered: GMP's and MPFR's own allocations (mpz/mpq/mpfr limbs and
 * mpfr_get_str) go through their allocators, not gb_mem; GMP aborts when
 * they fail. Nor gb_ctx_new() itself, whose allocator is made inside it:
 * it returns NULL when its own allocations fail (checked by reading).
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
#include "calculus/simplify.h"

/* The largest N tried: a scenario that needs more is a test bug. */
enum { MAX_N = 200000, CHUNK = 512 };

typedef gb_status (*scenario_fn)(gb_ctx *ctx);

/* A NULL string from a printer means memory ran out. */
static gb_status took(char *s)
{
	if (!s)
		return GB_ENOMEM;
	gb_free(s);
	return GB_OK;
}

static const char expr_text[] =
	"log(1 + exp(beta*x))/beta + piecewise(x < 0: -x, otherwise: x^2)"
	" + relu(x)*sigmoid(2*x) - tanh(x/3)^2";

static gb_status sc_parse(gb_ctx *ctx)
{
	const gb_node *e;

	return gb_parse(ctx, "<oom>", expr_text, strlen(expr_text), &e);
}

static gb_status sc_parse_error(gb_ctx *ctx)
{
	static const char bad[] = "sigmoyd(x) + (2*";
	const gb_node *e;
	gb_status st = gb_parse(ctx, "<oom>", bad, strlen(bad), &e);
	char *s;

	if (st != GB_ESYNTAX && st != GB_ENAME)
		return st;
	/* The diagnostics render, or the renderer says memory ran out. */
	s = gb_diag_render(ctx);
	if (!s)
		return GB_ENOMEM;
	gb_free(s);
	return ctx->oom ? GB_ENOMEM : GB_OK;
}

static gb_status sc_load(gb_ctx *ctx)
{
	static const char prog[] =
		"param beta > 0\n"
		"param alpha\n"
		"elu(x) = piecewise(x > 0: x, otherwise: alpha*(exp(x) - 1))\n"
		"sp(x) = log(1 + exp(beta*x))/beta\n"
		"z = elu(sp(y))\n";
	const gb_node *e;
	gb_status st = gb_load(ctx, "<oom.grad>", prog, strlen(prog));

	if (st != GB_OK)
		return st;
	return gb_parse(ctx, "<oom>", "z + elu(3)", 10, &e);
}

static gb_status sc_latex(gb_ctx *ctx)
{
	static const char tex[] =
		"\\frac{1}{1 + e^{-x}} + \\max(0, x) \\cdot \\log\\left(1 + "
		"e^{\\beta x}\\right) + \\begin{cases} x^2 & \\text{if } x > 0 "
		"\\\\ 0 & \\text{otherwise} \\end{cases}";
	const gb_node *e;

	return gb_parse_latex(ctx, "<oom>", tex, strlen(tex), &e);
}

static gb_status sc_diff(gb_ctx *ctx)
{
	const gb_node *e, *d;
	gb_status st = sc_parse(ctx);

	if (st != GB_OK)
		return st;
	st = gb_parse(ctx, "<oom>", expr_text, strlen(expr_text), &e);
	if (st != GB_OK)
		return st;
	return gb_differentiate(ctx, e, "x", 2, &d);
}

static gb_status sc_simplify(gb_ctx *ctx)
{
	const gb_node *e;
	gb_status st = gb_parse(ctx, "<oom>", expr_text, strlen(expr_text), &e);

	if (st != GB_OK)
		return st;
	if (!gb_simplify(ctx, e) || !gb_expand(ctx, e))
		return gb_ctx_status(ctx) ? gb_ctx_status(ctx) : GB_EUSAGE;
	return GB_OK;
}

static gb_status sc_eval(gb_ctx *ctx)
{
	const gb_node *e, *d;
	gb_value *v;
	gb_status st;

	if ((st = gb_parse(ctx, "<oom>", expr_text, strlen(expr_text), &e)))
		return st;
	if ((st = gb_differentiate(ctx, e, "x", 1, &d)))
		return st;
	if ((st = gb_bind(ctx, "x", "7/10")) || (st = gb_bind(ctx, "beta", "2")))
		return st;
	if ((st = gb_eval(ctx, d, 30, &v)))
		return st;
	st = took(gb_value_str(v, 30));
	gb_value_free(v);
	return st;
}

static gb_status sc_eval_matrix(gb_ctx *ctx)
{
	const gb_node *e;
	gb_value *v;
	gb_status st;

	if ((st = gb_bind(ctx, "W", "[[1, 2], [3, 4]]")) ||
	    (st = gb_bind(ctx, "v", "[1/2, -1]")))
		return st;
	if ((st = gb_parse(ctx, "<oom>", "sigmoid(W*v) .* (1 - v)", 23, &e)))
		return st;
	if ((st = gb_eval(ctx, e, 12, &v)))
		return st;
	st = took(gb_value_str(v, 12));
	gb_value_free(v);
	return st;
}

static gb_status sc_print(gb_ctx *ctx)
{
	const gb_node *e, *d;
	gb_status st;

	if ((st = gb_parse(ctx, "<oom>", expr_text, strlen(expr_text), &e)))
		return st;
	if ((st = gb_differentiate(ctx, e, "x", 1, &d)))
		return st;
	if ((st = took(gb_print(ctx, d))))
		return st;
	return took(gb_latex(ctx, d));
}

static gb_status sc_kinks(gb_ctx *ctx)
{
	const gb_node *e, *d;
	gb_kink *k;
	gb_status st;

	if ((st = gb_parse(ctx, "<oom>", "relu(x) + abs(x - 1)", 20, &e)))
		return st;
	if ((st = gb_differentiate(ctx, e, "x", 1, &d)))
		return st;
	if (gb_kinks(ctx, e, d, "x", &k) != 2)
		return ctx->oom ? GB_ENOMEM : GB_EUSAGE;
	return GB_OK;
}

static gb_status sc_check(gb_ctx *ctx)
{
	const gb_node *e, *a;
	gb_check_opts o = { "x", 0, 8, 0 };
	gb_check_result r;
	gb_status st;

	if ((st = gb_parse(ctx, "<oom>", "log(1 + exp(x))", 15, &e)))
		return st;
	if ((st = gb_parse_answer(ctx, "<answer>", "\\sigma(x)", 9,
				  GB_ANSWER_AUTO, &a)))
		return st;
	if ((st = gb_check(ctx, e, a, &o, &r)))
		return st;
	return r.correct ? GB_OK : GB_EUSAGE;
}

/*
 * Runs sc with the N-th allocation failing, N = 0, 1, ..., until it
 * succeeds without a failure; returns the number of N tried.
 */
static long run(const char *name, scenario_fn sc)
{
	long n;

	for (n = 0; n < MAX_N; n++) {
		gb_ctx *ctx = tu_ctx();
		gb_status st;
		bool failed;

		/* Small chunks from now on: the chunks gb_ctx_new() made
		 * are closed (their free space is forgotten, not leaked). */
		ctx->mem.chunk = CHUNK;
		ctx->arena.avail = 0;
		ctx->scratch.avail = 0;
		ctx->mem.fail_after = n;
		st = sc(ctx);
		failed = ctx->mem.failed > 0;
		if (st != GB_OK && st != GB_ENOMEM) {
			char *d = gb_diag_render(ctx);

			print_error("%s", d ? d : "");
			gb_free(d);
			fail_msg("%s: N = %ld: status '%s', not out of memory",
				 name, n, gb_status_str(st));
		}
		if (st == GB_OK && ctx->oom)
			fail_msg("%s: N = %ld: success after an allocation failed",
				 name, n);
		gb_ctx_free(ctx);
		if (st == GB_OK && !failed)
			break;
	}
	assert_true(n < MAX_N);
	print_message("%-14s %ld allocation failures injected\n", name, n);
	return n;
}

#define OOM_TEST(sc)                       \
	static void test_oom_##sc(void **state) \
	{                                  \
		(void)state;               \
		run(#sc, sc_##sc);         \
	}

OOM_TEST(parse)
OOM_TEST(parse_error)
OOM_TEST(load)
OOM_TEST(latex)
OOM_TEST(diff)
OOM_TEST(simplify)
OOM_TEST(eval)
OOM_TEST(eval_matrix)
OOM_TEST(print)
OOM_TEST(kinks)
OOM_TEST(check)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oom_parse),
		cmocka_unit_test(test_oom_parse_error),
		cmocka_unit_test(test_oom_load),
		cmocka_unit_test(test_oom_latex),
		cmocka_unit_test(test_oom_diff),
		cmocka_unit_test(test_oom_simplify),
		cmocka_unit_test(test_oom_eval),
		cmocka_unit_test(test_oom_eval_matrix),
		cmocka_unit_test(test_oom_print),
		cmocka_unit_test(test_oom_kinks),
		cmocka_unit_test(test_oom_check),
	};

	return cmocka_run_group_tests_name("oom", tests, NULL, NULL);
}
