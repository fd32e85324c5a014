/*
 * test_reverse.c - reverse accumulation (gb_gradient) against forward
 * differentiation (gb_diff), numerically at exact points, on seeded
 * random expressions, and its cost on a residual chain.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calculus/diff.h"
#include "calculus/reverse.h"
#include "core/build.h"
#include "core/ctx.h"
#include "core/gen.h"
#include "numeric/eval.h"

enum { PREC = 200 };


/* rev-1.1: the gradient in x, y, alpha, beta equals the forward partials */
static void test_reverse_matches_forward(void **state)
{
	static const char *const names[] = { "x", "y", "alpha", "beta" };
	static const char *const vals[] = { "7/10", "-3/4", "5/4", "2/3" };
	int checked = 0;

	(void)state;
	for (uint64_t seed = 1; seed <= 300; seed++) {
		gb_ctx *ctx = tu_ctx();
		uint64_t st = seed * 104729u;
		const gb_node *f = gb_gen_expr(ctx, &st, 4), *vars[4], *g[4];

		for (int i = 0; i < 4; i++) {
			vars[i] = gb_symbol(ctx, names[i], strlen(names[i]));
			assert_int_equal(gb_bind(ctx, names[i], vals[i]), GB_OK);
		}
		if (gb_gradient(ctx, f, vars, 4, g) == GB_OK) {
			for (int i = 0; i < 4; i++) {
				const gb_node *d = gb_diff(ctx, f, vars[i]);

				assert_non_null(d);
				if (!tu_same_value(ctx, g[i], d, PREC)) {
					char *fs = gb_print(ctx, f);

					fail_msg("rev-1.1 seed %llu: d/d%s of %s",
						 (unsigned long long)seed, names[i], fs);
				}
			}
			checked++;
		}
		gb_ctx_free(ctx);
	}
	assert_true(checked > 250);
}

/* rev-1.2: y_k = y_{k-1} + tanh(w_k y_{k-1}): one pass, nodes linear in k */
static void test_reverse_residual_chain_linear(void **state)
{
	uint32_t made[2];

	(void)state;
	for (int r = 0; r < 2; r++) {
		int k = r ? 400 : 200;
		gb_ctx *ctx = tu_ctx();
		const gb_node **w = malloc(((size_t)k + 1) * sizeof *w);
		const gb_node **g = malloc(((size_t)k + 1) * sizeof *g);
		const gb_node *x = gb_symbol(ctx, "x", 1), *y = x;
		uint32_t before;
		char name[16];

		assert_non_null(w);
		assert_non_null(g);
		for (int j = 0; j < k; j++) {
			snprintf(name, sizeof name, "w%d", j + 1);
			w[j] = gb_symbol(ctx, name, strlen(name));
			y = gb_add2(ctx, y, gb_call1(ctx, GB_FN_TANH,
						     gb_mul2(ctx, w[j], y)));
		}
		w[k] = x;
		before = ctx->next_id;
		assert_int_equal(gb_gradient(ctx, y, w, (size_t)k + 1, g), GB_OK);
		made[r] = ctx->next_id - before;
		/* spot check against forward mode */
		assert_int_equal(gb_bind(ctx, "x", "1/3"), GB_OK);
		for (int j = 0; j < k; j++) {
			snprintf(name, sizeof name, "w%d", j + 1);
			assert_int_equal(gb_bind(ctx, name, j % 2 ? "1/5" : "-2/7"),
					 GB_OK);
		}
		assert_true(tu_same_value(ctx, g[k], gb_diff(ctx, y, x), PREC));
		assert_true(tu_same_value(ctx, g[k / 2], gb_diff(ctx, y, w[k / 2]), PREC));
		free(w);
		free(g);
		gb_ctx_free(ctx);
	}
	/* twice the depth: about twice the nodes */
	assert_true(made[1] < 3 * made[0]);
}

/* rev-1.3: kinks fall back to forward mode and still give the answer */
static void test_reverse_kinks(void **state)
{
	gb_ctx *ctx = tu_ctx();
	const gb_node *f, *v[2], *g[2];

	(void)state;
	assert_int_equal(gb_parse(ctx, "<t>", "relu(x*y) + x", 13, &f), GB_OK);
	v[0] = gb_symbol(ctx, "x", 1);
	v[1] = gb_symbol(ctx, "y", 1);
	assert_int_equal(gb_gradient(ctx, f, v, 2, g), GB_OK);
	assert_ptr_equal(g[0], gb_diff(ctx, f, v[0]));
	assert_ptr_equal(g[1], gb_diff(ctx, f, v[1]));
	gb_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reverse_matches_forward),
		cmocka_unit_test(test_reverse_residual_chain_linear),
		cmocka_unit_test(test_reverse_kinks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
