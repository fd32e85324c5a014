/*
 * verify.h - derivatives checked against high-precision finite differences.
 */
#ifndef GB_VERIFY_H
#define GB_VERIFY_H

#include <gmp.h>
#include <mpfr.h>

#include "gradbox.h"
#include "core/node.h"

/*
 * The derivative of f in the symbol node x at x = x0, by a central
 * difference with one Richardson step, at working precision prec:
 *
 *   D(h) = (f(x0 + h) - f(x0 - h)) / (2h)    error  c2 h^2 + c4 h^4 + ...
 *   R    = (4 D(h/2) - D(h)) / 3             error  O(h^4)
 *
 * With h = 2^-(prec/8), the truncation error is about 2^-(prec/2) and the
 * cancellation in f(x0 + h) - f(x0 - h) costs about prec/8 bits, so R is
 * good to roughly prec/2 bits for smooth f. x0 and x0 +- h are exact
 * rationals; the other symbols take the context's bindings.
 */
gb_status gb_fd_derivative(gb_ctx *ctx, const gb_node *f, const gb_node *x,
			   mpq_srcptr x0, mpfr_prec_t prec, mpfr_ptr out);

/*
 * |df(x0) - R| / max(|R|, 2^-(prec/4)) with R as above: the relative
 * error of a symbolic derivative df of f at x0 (absolute near zero).
 */
gb_status gb_fd_check(gb_ctx *ctx, const gb_node *f, const gb_node *df,
		      const gb_node *x, mpq_srcptr x0, mpfr_prec_t prec,
		      mpfr_ptr relerr);

#endif /* GB_VERIFY_H */
