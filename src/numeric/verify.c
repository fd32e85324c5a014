/*
 * verify.c - finite-difference oracles for derivatives (see verify.h).
 */
#include "numeric/verify.h"

#include <string.h>

#include "core/build.h"
#include "core/ctx.h"
#include "numeric/eval.h"

/*
 * f at x = q, with the context's other bindings: a copy of the binding
 * table with x's entry replaced, evaluated in one pass at prec bits.
 */
static gb_status eval_at(gb_ctx *ctx, const gb_node *f, const gb_node *x,
			 mpq_srcptr q, mpfr_prec_t prec, mpfr_ptr out)
{
	uint32_t id = x->u.sym->id;
	size_t n = ctx->nbind > id ? ctx->nbind : (size_t)id + 1;
	const gb_node **env = gb_mem_alloc(&ctx->mem, n * sizeof *env);
	gb_value *v = NULL;
	gb_status st;

	if (!env)
		return GB_ENOMEM;
	memset(env, 0, n * sizeof *env);
	if (ctx->nbind)
		memcpy(env, ctx->bind, ctx->nbind * sizeof *env);
	env[id] = gb_num_q(ctx, q);
	st = env[id] ? gb_eval_node(ctx, f, env, n, prec, &v) : GB_ENOMEM;
	if (st == GB_OK) {
		if (v->rows != 1 || v->cols != 1)
			st = GB_ESHAPE;
		else
			mpfr_set(out, v->v[0], MPFR_RNDN);
	}
	gb_value_free(v);
	gb_mem_free(&ctx->mem, env);
	return st;
}

/* D(h) = (f(x0 + h) - f(x0 - h)) / 2h with h = 2^-k. */
static gb_status central(gb_ctx *ctx, const gb_node *f, const gb_node *x,
			 mpq_srcptr x0, unsigned long k, mpfr_prec_t prec,
			 mpfr_ptr out)
{
	mpq_t h, q;
	mpfr_t a, b;
	gb_status st;

	mpq_inits(h, q, NULL);
	mpfr_inits2(prec, a, b, (mpfr_ptr)0);
	mpq_set_ui(h, 1, 1);
	mpz_mul_2exp(mpq_denref(h), mpq_denref(h), k);
	mpq_add(q, x0, h);
	st = eval_at(ctx, f, x, q, prec, a);
	if (st == GB_OK) {
		mpq_sub(q, x0, h);
		st = eval_at(ctx, f, x, q, prec, b);
	}
	if (st == GB_OK) {
		mpfr_sub(out, a, b, MPFR_RNDN);
		mpfr_mul_2ui(out, out, k - 1, MPFR_RNDN);	/* / (2 h) */
	}
	mpfr_clears(a, b, (mpfr_ptr)0);
	mpq_clears(h, q, NULL);
	return st;
}

gb_status gb_fd_derivative(gb_ctx *ctx, const gb_node *f, const gb_node *x,
			   mpq_srcptr x0, mpfr_prec_t prec, mpfr_ptr out)
{
	unsigned long k = (unsigned long)prec / 8;
	mpfr_t d1, d2;
	gb_status st;

	if (!f || !x || x->kind != GB_SYM)
		return GB_EUSAGE;
	mpfr_inits2(prec, d1, d2, (mpfr_ptr)0);
	st = central(ctx, f, x, x0, k, prec, d1);
	if (st == GB_OK)
		st = central(ctx, f, x, x0, k + 1, prec, d2);
	if (st == GB_OK) {
		/* R = (4 D(h/2) - D(h)) / 3 */
		mpfr_mul_2ui(d2, d2, 2, MPFR_RNDN);
		mpfr_sub(d2, d2, d1, MPFR_RNDN);
		mpfr_div_ui(out, d2, 3, MPFR_RNDN);
	}
	mpfr_clears(d1, d2, (mpfr_ptr)0);
	return st;
}

gb_status gb_fd_check(gb_ctx *ctx, const gb_node *f, const gb_node *df,
		      const gb_node *x, mpq_srcptr x0, mpfr_prec_t prec,
		      mpfr_ptr relerr)
{
	mpfr_t fd, sym, scale;
	gb_status st;

	mpfr_inits2(prec, fd, sym, scale, (mpfr_ptr)0);
	st = gb_fd_derivative(ctx, f, x, x0, prec, fd);
	if (st == GB_OK)
		st = eval_at(ctx, df, x, x0, prec, sym);
	if (st == GB_OK) {
		mpfr_sub(sym, sym, fd, MPFR_RNDN);
		mpfr_abs(sym, sym, MPFR_RNDN);
		mpfr_abs(scale, fd, MPFR_RNDN);
		/* near zero the error is measured absolutely */
		if (mpfr_cmp_si_2exp(scale, 1, -(long)prec / 4) < 0)
			mpfr_set_si_2exp(scale, 1, -(long)prec / 4, MPFR_RNDN);
		mpfr_div(relerr, sym, scale, MPFR_RNDN);
	}
	mpfr_clears(fd, sym, scale, (mpfr_ptr)0);
	return st;
}
