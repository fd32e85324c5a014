/*
 * testutil.h - helpers shared by the cmocka tests.
 */
#ifndef GB_TESTUTIL_H
#define GB_TESTUTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "gradbox.h"

/* A fresh context; fails the test if it cannot be made. */
gb_ctx *tu_ctx(void);

struct gb_node;

/*
 * Do a and b have the same value at the context's bindings, evaluated with
 * MPFR at prec bits: within 2^-(prec/2) of max(1, |a|), or both undefined?
 * (Scalars only; diagnostics of the evaluation are cleared.)
 */
bool tu_same_value(gb_ctx *ctx, const struct gb_node *a,
		   const struct gb_node *b, long prec);

/* Deterministic 64-bit generator (splitmix64) for seeded random tests. */
uint64_t tu_rand(uint64_t *state);

#endif /* GB_TESTUTIL_H */
