/*
 * ctx.c - creating and freeing a context; the nodes every module shares.
 */
#include "core/ctx.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/build.h"

/*
 * Default limits. max_depth bounds every recursion over syntax and DAGs,
 * so it is chosen to fit the default 8 MiB C stack with room to spare even
 * under ASan's larger frames.
 */
static const gb_limits default_limits = {
	.max_depth = 4000,
	.max_nodes = 20000000,
	.max_input = 64u << 20,
	.max_exp_digits = 100000,
	.max_steps = 0,
	.max_msec = 0,
};

gb_ctx *gb_ctx_new(void)
{
	gb_ctx *ctx = calloc(1, sizeof *ctx);

	if (!ctx)
		return NULL;
	ctx->mem.fail_after = -1;
	ctx->limits = default_limits;
	gb_arena_init(&ctx->arena, &ctx->mem);
	gb_arena_init(&ctx->scratch, &ctx->mem);
	ctx->tmp = &ctx->arena;
	gb_memo_init(&ctx->memo, &ctx->mem);
	ctx->zero = gb_num_si(ctx, 0);
	ctx->one = gb_num_si(ctx, 1);
	ctx->minus_one = gb_num_si(ctx, -1);
	ctx->two = gb_num_si(ctx, 2);
	ctx->half = gb_num_frac(ctx, 1, 2);
	ctx->pi = gb_const(ctx, GB_CONST_PI);
	ctx->e = gb_const(ctx, GB_CONST_E);
	if (ctx->oom) {
		gb_ctx_free(ctx);
		return NULL;
	}
	return ctx;
}

void gb_ctx_free(gb_ctx *ctx)
{
	if (!ctx)
		return;
	for (size_t i = 0; i < ctx->nnums; i++)
		mpq_clear(ctx->nums[i]);
	gb_mem_free(&ctx->mem, ctx->nums);
	gb_mem_free(&ctx->mem, ctx->utab);
	gb_mem_free(&ctx->mem, ctx->stab);
	gb_mem_free(&ctx->mem, ctx->bind);
	gb_memo_free(&ctx->memo);
	gb_arena_free(&ctx->arena);
	gb_arena_free(&ctx->scratch);
	free(ctx);
}

void gb_free(void *p)
{
	free(p);
}

const gb_node *gb_ctx_oom(gb_ctx *ctx)
{
	ctx->oom = true;
	return NULL;
}

/* Milliseconds of the calendar clock (C11's timespec_get). */
static uint64_t now_msec(void)
{
	struct timespec ts;

	if (timespec_get(&ts, TIME_UTC) != TIME_UTC)
		return 0;
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

const gb_node *gb_ctx_limit(gb_ctx *ctx, gb_limit which)
{
	if (!ctx->too_big) {
		ctx->too_big = true;
		ctx->limit = which;
	}
	return NULL;
}

bool gb_ctx_budget_ok(gb_ctx *ctx)
{
	if (ctx->too_big)
		return false;
	if (ctx->limits.max_steps && ctx->steps > ctx->limits.max_steps) {
		gb_ctx_limit(ctx, GB_LIMIT_STEPS);
		return false;
	}
	if (ctx->deadline && now_msec() > ctx->deadline) {
		gb_ctx_limit(ctx, GB_LIMIT_MSEC);
		return false;
	}
	return true;
}

void gb_budget_start(gb_ctx *ctx)
{
	if (!ctx)
		return;
	ctx->too_big = false;
	ctx->limit_said = false;
	ctx->node_base = ctx->next_id;
	ctx->steps = 0;
	ctx->deadline = ctx->limits.max_msec ?
			now_msec() + ctx->limits.max_msec : 0;
}

gb_status gb_set_limit(gb_ctx *ctx, gb_limit which, unsigned long value)
{
	if (!ctx)
		return GB_EUSAGE;
	switch (which) {
	case GB_LIMIT_NODES:
	case GB_LIMIT_DEPTH:
	case GB_LIMIT_INPUT:
	case GB_LIMIT_EXP_DIGITS:
		if (value < 1 || value > UINT32_MAX)
			return GB_EUSAGE;
		break;
	case GB_LIMIT_STEPS:
	case GB_LIMIT_MSEC:
		break;
	default:
		return GB_EUSAGE;
	}
	switch (which) {
	case GB_LIMIT_NODES:
		ctx->limits.max_nodes = (uint32_t)value;
		break;
	case GB_LIMIT_DEPTH:
		ctx->limits.max_depth = (uint32_t)value;
		break;
	case GB_LIMIT_INPUT:
		ctx->limits.max_input = (uint32_t)value;
		break;
	case GB_LIMIT_EXP_DIGITS:
		ctx->limits.max_exp_digits = (uint32_t)value;
		break;
	case GB_LIMIT_STEPS:
		ctx->limits.max_steps = value;
		ctx->steps = 0;
		break;
	case GB_LIMIT_MSEC:
		ctx->limits.max_msec = value;
		ctx->deadline = value ? now_msec() + value : 0;
		break;
	}
	return GB_OK;
}

unsigned long gb_get_limit(const gb_ctx *ctx, gb_limit which)
{
	switch (which) {
	case GB_LIMIT_NODES:
		return ctx->limits.max_nodes;
	case GB_LIMIT_DEPTH:
		return ctx->limits.max_depth;
	case GB_LIMIT_INPUT:
		return ctx->limits.max_input;
	case GB_LIMIT_EXP_DIGITS:
		return ctx->limits.max_exp_digits;
	case GB_LIMIT_STEPS:
		return (unsigned long)ctx->limits.max_steps;
	case GB_LIMIT_MSEC:
		return (unsigned long)ctx->limits.max_msec;
	}
	return 0;
}

gb_status gb_ctx_status(const gb_ctx *ctx)
{
	if (ctx->oom)
		return GB_ENOMEM;
	if (ctx->too_big)
		return GB_ELIMIT;
	return GB_OK;
}

const char *gb_status_str(gb_status st)
{
	switch (st) {
	case GB_OK:
		return "ok";
	case GB_ESYNTAX:
		return "syntax error";
	case GB_ENAME:
		return "unknown name";
	case GB_ESHAPE:
		return "shape error";
	case GB_EDOMAIN:
		return "undefined";
	case GB_EUNSTABLE:
		return "precision limit reached";
	case GB_ELIMIT:
		return "limit exceeded";
	case GB_ENOMEM:
		return "out of memory";
	case GB_EUSAGE:
		return "usage error";
	}
	return "unknown status";
}
