/*
 * exp_exact.h - e^q for an exact rational q, correctly rounded, by
 * binary splitting of the Taylor series (no log 2, no argument
 * reduction): see exp_exact.c for the error analysis.
 */
#ifndef GB_EXP_EXACT_H
#define GB_EXP_EXACT_H

#include <stdbool.h>

#include <gmp.h>
#include <mpfr.h>

/*
 * Sets r to e^q rounded to nearest at r's precision and returns true;
 * false, r untouched, when q is outside the range this handles (|q| > 64,
 * or a numerator or denominator beyond a machine word) or when the
 * rounding could not be proven: the caller then uses mpfr_exp.
 */
bool gb_exp_rational(mpfr_ptr r, mpq_srcptr q);

#endif /* GB_EXP_EXACT_H */
