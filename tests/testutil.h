/*
 * testutil.h - helpers shared by the cmocka tests.
 */
#ifndef GB_TESTUTIL_H
#define GB_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "gradbox.h"

/* A fresh context; fails the test if it cannot be made. */
gb_ctx *tu_ctx(void);

/* Deterministic 64-bit generator (splitmix64) for seeded random tests. */
uint64_t tu_rand(uint64_t *state);

#endif /* GB_TESTUTIL_H */
