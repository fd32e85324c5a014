/*
 * backward.h - reverse mode over a program: backward formulas.
 *
 * For a scalar L and a variable X, gb_backward computes dL/dX, a value
 * of X's shape. L may contain an upstream gradient (zhat in zhat'*z),
 * and then the result is the vector-Jacobian product, the formula a
 * backward pass evaluates. Every node of L that depends on X is visited
 * once, in reverse topological order, and hands its adjoint A = dL/dn
 * to its children by the rules (for scalar L, A has n's shape):
 *
 *   n = a + b         A_a = A, A_b = A   (sum(A) for a broadcast scalar)
 *   n = A1 B1         A_A1 = A B1',  A_B1 = A1' A
 *   n = a ⊙ b         A_a = A ⊙ b
 *   n = a'            A_a = A'
 *   n = f(u)          A_u = A ⊙ f'(u), written as ML code does:
 *                     sigmoid: n ⊙ (1 - n), tanh: 1 - n.^2, exp: n,
 *                     relu: step(u), softplus: sigmoid(u)
 *   n = u.^c          A_u = A ⊙ c u.^(c - 1)
 *   n = sum(u)        A_u = A (a scalar adjoint stands for A ones)
 *   n = tr(U)         A_U = A I
 *   n = diag(u)       A_u = diag(A)
 *
 * so the time is linear in the size of the program. The program's
 * assignments (`z = sigmoid(W*x)`) are named intermediates: the result
 * is written with their names (z, not sigmoid(W*x)), and an
 * intermediate whose adjoint is used more than once (the y of a residual
 * block) gets a let-binding `yhat = ...` in the named form, so an
 * L-layer stack prints in O(L) rather than 2^L.
 *
 * Every rule application is recorded in a trace; calculus/steps.c
 * renders the derivation from it, so the steps and the result come from
 * the same computation.
 */
#ifndef GB_BACKWARD_H
#define GB_BACKWARD_H

#include <stdbool.h>
#include <stddef.h>

#include "gradbox.h"
#include "core/node.h"

/* One rule application: node n with adjoint adj gave contrib[i] to
 * child[i]. named: n is a named intermediate (its name, else NULL). */
typedef struct gb_bwd_event {
	const gb_node *n;
	const gb_node *adj;	/* named form; a let symbol if let */
	const gb_node *named;	/* the SYM of n's name, or NULL */
	const gb_node *let;	/* adj's value when adj is a let symbol */
	size_t nc;
	const gb_node **child, **contrib;	/* contrib: named form */
} gb_bwd_event;

/* A let-binding of the named form: sym = value. */
typedef struct gb_bwd_let {
	const gb_node *sym;
	const gb_node *value;
} gb_bwd_let;

typedef struct gb_backward {
	const gb_node *l, *x;
	const gb_node *grad;		/* dL/dX, named form */
	const gb_node *expanded;	/* dL/dX in the inputs only */
	gb_bwd_let *lets;		/* in order of definition */
	size_t nlets;
	gb_bwd_event *ev;		/* the trace, in order */
	size_t nev;
} gb_backward;

/*
 * Runs reverse mode. GB_OK with *out filled (context memory), else a
 * status with a diagnostic (GB_ESHAPE for a non-scalar L, GB_EUSAGE for
 * a construct without a rule).
 */
gb_status gb_backward_run(gb_ctx *ctx, const gb_node *l, const gb_node *x,
			  gb_backward *out);

/* e with the named intermediates' values replaced by their names. */
const gb_node *gb_backward_fold(gb_ctx *ctx, const gb_node *e);

/*
 * The derivative f'(u) of an element-wise function at n = f(u), in the
 * ML-canonical form above (element-wise when u is a vector).
 */
const gb_node *gb_backward_local(gb_ctx *ctx, const gb_node *n);

/* The gradient with the signature of gb_grad_hook (front/lower.h). */
const gb_node *gb_grad_hook_fn(gb_ctx *ctx, const gb_node *l,
			       const gb_node *x);

#endif /* GB_BACKWARD_H */
