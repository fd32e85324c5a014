/*
 * eval.h - MPFR evaluation of expression DAGs, at any precision.
 *
 * Numbers in the DAG are exact rationals; this is the only place where
 * they are rounded. Three layers:
 *
 *   gb_eval_node   one pass at a fixed working precision: every node is
 *                  computed once (memoised by id within the pass), by an
 *                  explicit stack, so neither deep nor wide DAGs touch the
 *                  C stack. Branches of piecewise, and/or are evaluated
 *                  lazily, in order: piecewise(x > 0: log(x), 0) at x = -1
 *                  never evaluates log(-1).
 *   gb_eval_bits   a Ziv-style loop over passes: evaluate at prec + guard
 *                  and at increasing working precisions until two results
 *                  agree after rounding to prec bits. That is correct
 *                  rounding "as far as a retry can tell" (a heuristic, not
 *                  MPFR's proven MPFR_CAN_ROUND); past a cap, GB_EUNSTABLE.
 *   gb_eval_env    the same for a number of decimal digits, with a final
 *                  check that the decimal rounding of the binary result
 *                  cannot change within its rounding error.
 *
 * Every failure is also a diagnostic in the context ("gradbox: error:
 * log of a negative number: log(x) at x = -1").
 */
#ifndef GB_EVAL_H
#define GB_EVAL_H

#include <stddef.h>
#include <stdint.h>

#include <mpfr.h>

#include "gradbox.h"
#include "core/node.h"

/*
 * A value: a scalar (1 x 1), a column vector (n x 1) or a matrix, stored
 * row-major. All entries have the same precision. Allocated with
 * gb_value_new() and released with gb_value_free(); never shared.
 */
struct gb_value {
	uint32_t rows, cols;
	mpfr_t *v;		/* rows * cols entries */
	/*
	 * The evaluator's own bookkeeping during a pass of gb_eval_bits:
	 * err[k] >= |v[k] - the exact value of entry k|, or NULL when no
	 * such bound is known (numeric/eval.c, "Error bounds").
	 */
	mpfr_t *err;
};

/* A rows x cols value of zeros at precision prec; NULL when out of memory. */
gb_value *gb_value_new(uint32_t rows, uint32_t cols, mpfr_prec_t prec);

static inline size_t gb_value_len(const gb_value *v)
{
	return (size_t)v->rows * v->cols;
}

/* Entry (i, j), both from 0. */
static inline mpfr_ptr gb_value_at(const gb_value *v, uint32_t i, uint32_t j)
{
	return v->v[(size_t)i * v->cols + j];
}

/*
 * Values of symbols: env[sym->id] is an exact node (NUM, or MATRIX of NUM)
 * or NULL when unbound; nenv entries.
 *
 * gb_eval_node evaluates e once at working precision prec. Each MPFR
 * operation is correctly rounded, the composite in general is not. On
 * GB_OK *out holds the value (release with gb_value_free).
 */
gb_status gb_eval_node(gb_ctx *ctx, const gb_node *e,
		       const gb_node *const *env, size_t nenv,
		       mpfr_prec_t prec, gb_value **out);

/*
 * e rounded to prec bits, as far as a retry at a higher working precision
 * can tell (see above). prec from MPFR_PREC_MIN to GB_EVAL_PREC_MAX.
 */
gb_status gb_eval_bits(gb_ctx *ctx, const gb_node *e,
		       const gb_node *const *env, size_t nenv,
		       mpfr_prec_t prec, gb_value **out);

/*
 * e to `digits` significant decimal digits (1 .. GB_DIGITS_MAX, else
 * GB_ELIMIT): gb_value_str(*out, digits) then prints every digit
 * correctly rounded, as far as a retry can tell. gb_eval() is this
 * function with the context's bindings.
 */
gb_status gb_eval_env(gb_ctx *ctx, const gb_node *e,
		      const gb_node *const *env, size_t nenv, long digits,
		      gb_value **out);

/* The largest target precision gb_eval_bits accepts, in bits. */
#define GB_EVAL_PREC_MAX ((mpfr_prec_t)1 << 24)

#endif /* GB_EVAL_H */
