/*
 * steps.h - derivations, rendered from the backward pass's own trace.
 *
 * The differential method of the matrix-calculus homework: the loss's
 * differential written as a sum of terms a^T dn over the frontier of the
 * backward pass,
 *
 *   dl = yhat^T dy                          (the seed: dL = sum a^T dn)
 *      = yhat^T (dx + dz)                   (y = x + z expanded)
 *      = yhat^T dx + yhat^T dz              (the sum's rule)
 *      = yhat^T dx + yhat^T (z ⊙ (1 - z) ⊙ (W dx))
 *      = yhat^T dx + (yhat ⊙ z ⊙ (1 - z))^T (W dx)   a^T(b ⊙ c) = (a ⊙ b)^T c
 *      = yhat^T dx + (W^T (yhat ⊙ z ⊙ (1 - z)))^T dx  a^T(W c) = (W^T a)^T c
 *      = (yhat + W^T (yhat ⊙ z ⊙ (1 - z)))^T dx
 *   => dl/dx = yhat + W^T (yhat ⊙ z ⊙ (1 - z))
 *
 * Each line after the seed is one event of the trace (a rule applied at
 * one node, or a named intermediate expanded by its definition), so the
 * derivation and the result cannot disagree.
 */
#ifndef GB_STEPS_H
#define GB_STEPS_H

#include "gradbox.h"
#include "calculus/backward.h"

/* The derivation of a finished pass, as gb_backprop_steps writes it. */
char *gb_steps_render(gb_ctx *ctx, const gb_backward *bw,
		      const gb_steps_opts *o);

#endif /* GB_STEPS_H */
