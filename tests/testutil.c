/*
 * testutil.c - helpers shared by the cmocka tests.
 */
#include "testutil.h"

#include "core/ctx.h"
#include "numeric/eval.h"

gb_ctx *tu_ctx(void)
{
	gb_ctx *ctx = gb_ctx_new();

	assert_non_null(ctx);
	return ctx;
}

bool tu_same_value(gb_ctx *ctx, const gb_node *a, const gb_node *b,
		   long prec)
{
	gb_value *va = NULL, *vb = NULL;
	gb_status sa = gb_eval_node(ctx, a, ctx->bind, ctx->nbind, prec, &va);
	gb_status sb = gb_eval_node(ctx, b, ctx->bind, ctx->nbind, prec, &vb);
	bool ok;

	gb_diag_clear(ctx);
	if (sa != GB_OK || sb != GB_OK) {
		ok = (sa == GB_OK) == (sb == GB_OK);
	} else {
		mpfr_t d, s;

		mpfr_inits2(prec, d, s, (mpfr_ptr)0);
		mpfr_sub(d, va->v[0], vb->v[0], MPFR_RNDN);
		mpfr_abs(d, d, MPFR_RNDN);
		mpfr_abs(s, va->v[0], MPFR_RNDN);
		if (mpfr_cmp_ui(s, 1) < 0)
			mpfr_set_ui(s, 1, MPFR_RNDN);
		mpfr_mul_2si(s, s, -prec / 2, MPFR_RNDN);
		ok = mpfr_cmp(d, s) <= 0;
		mpfr_clears(d, s, (mpfr_ptr)0);
	}
	gb_value_free(va);
	gb_value_free(vb);
	return ok;
}

uint64_t tu_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}
