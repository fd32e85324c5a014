/*
 * fuzz_common.h - what the libFuzzer harnesses share.
 *
 * Each harness makes a fresh context per input, so one input cannot
 * affect the next, and tightens the limits so that a single input stays
 * well under libFuzzer's time and memory limits: a slow or huge input is
 * then a diagnostic (GB_ELIMIT), not a timeout, and a real hang (a loop
 * that ignores the limits) still shows up as one.
 */
#ifndef GB_FUZZ_COMMON_H
#define GB_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradbox.h"
#include "core/ctx.h"

/* Stops the fuzzer with a message: libFuzzer saves the input. */
#define FUZZ_ASSERT(c, ...)                                              \
	do {                                                             \
		if (!(c)) {                                              \
			fprintf(stderr, "fuzz: %s:%d: assertion '%s' failed: ", \
				__FILE__, __LINE__, #c);                 \
			fprintf(stderr, __VA_ARGS__);                    \
			fputc('\n', stderr);                             \
			abort();                                         \
		}                                                        \
	} while (0)

static inline gb_ctx *fuzz_ctx(void)
{
	gb_ctx *ctx = gb_ctx_new();

	if (!ctx)
		abort();
	gb_set_limit(ctx, GB_LIMIT_NODES, 200000);
	gb_set_limit(ctx, GB_LIMIT_INPUT, 1u << 16);
	/* A step budget, not a clock: a slow input fails the same way on
	 * every run, so what the fuzzer saves reproduces. */
	gb_set_limit(ctx, GB_LIMIT_STEPS, 20000000);
	gb_budget_start(ctx);
	return ctx;
}

/* Renders (and so exercises) every diagnostic, then frees the context. */
static inline void fuzz_done(gb_ctx *ctx)
{
	char *s = gb_diag_render(ctx);

	gb_free(s);
	gb_ctx_free(ctx);
}

/* A reader (gb_parse, gb_parse_latex) and its printer (gb_print, gb_latex). */
typedef gb_status fuzz_read_fn(gb_ctx *ctx, const char *name,
			       const char *text, size_t len,
			       const gb_node **out);
typedef char *fuzz_print_fn(gb_ctx *ctx, const gb_node *e);

/*
 * Reads text with read: whatever it is, a status and diagnostics, never
 * a crash; an expression that parses prints (with print) to text that
 * reads back to the same node. what names the printed form in messages.
 */
static inline void fuzz_round_trip(gb_ctx *ctx, const char *text,
				   size_t size, fuzz_read_fn *read,
				   fuzz_print_fn *print, const char *what)
{
	const gb_node *e = NULL;
	gb_status st = read(ctx, "<fuzz>", text, size, &e);

	FUZZ_ASSERT((st == GB_OK) == (e != NULL), "status %d", (int)st);
	if (st == GB_OK) {
		char *s = print(ctx, e);
		const gb_node *back = NULL;

		if (s) {
			st = read(ctx, "<print>", s, strlen(s), &back);
			FUZZ_ASSERT(st != GB_OK || back == e,
				    "%s round trip: '%s'", what, s);
			FUZZ_ASSERT(st == GB_OK || st == GB_ELIMIT ||
				    st == GB_ENOMEM,
				    "printed %s does not parse: '%s'", what, s);
		}
		gb_free(s);
	}
	gb_diag_clear(ctx);
}

#endif /* GB_FUZZ_COMMON_H */
