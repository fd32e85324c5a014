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

	fuzz_round_trip(ctx, text, size, gb_parse, gb_print, "form");
	(void)gb_load(ctx, "<fuzz-file>", text, size);
	fuzz_done(ctx);
	return 0;
}
