/*
 * fuzz_parse.c - libFuzzer harness of the plain parser.
 *
 * The input is read both as one expression (gb_parse: lexer, Pratt
 * parser, lowering to canonical nodes) and as a program (gb_load:
 * statements, definitions, declarations). Whatever it is, the result is
 * a status and diagnostics, never a crash; an expression that parses
 * prints to text that parses back to the same node.
 */
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	gb_ctx *ctx = fuzz_ctx();
	const gb_node *e = NULL;
	gb_status st;

	st = gb_parse(ctx, "<fuzz>", text, size, &e);
	FUZZ_ASSERT((st == GB_OK) == (e != NULL), "status %d", (int)st);
	if (st == GB_OK) {
		char *s = gb_print(ctx, e);
		const gb_node *back = NULL;

		if (s) {
			st = gb_parse(ctx, "<print>", s, strlen(s), &back);
			FUZZ_ASSERT(st != GB_OK || back == e,
				    "print round trip: '%s'", s);
			FUZZ_ASSERT(st == GB_OK || st == GB_ELIMIT ||
				    st == GB_ENOMEM,
				    "printed form does not parse: '%s'", s);
		}
		gb_free(s);
	}
	gb_diag_clear(ctx);
	(void)gb_load(ctx, "<fuzz-file>", text, size);
	fuzz_done(ctx);
	return 0;
}
