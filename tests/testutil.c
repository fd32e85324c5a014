/*
 * testutil.c - helpers shared by the cmocka tests.
 */
#include "testutil.h"

gb_ctx *tu_ctx(void)
{
	gb_ctx *ctx = gb_ctx_new();

	assert_non_null(ctx);
	return ctx;
}

uint64_t tu_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}
