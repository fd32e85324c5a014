/*
 * fuzz_latex.c - libFuzzer harness of the LaTeX parser.
 *
 * The input is read as a LaTeX expression (gb_parse_latex) and as an
 * answer whose syntax is detected (gb_parse_answer). An expression that
 * parses prints as LaTeX that parses back to the same node.
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

	fuzz_round_trip(ctx, text, size, gb_parse_latex, gb_latex, "LaTeX");
	(void)gb_parse_answer(ctx, "<answer>", text, size, GB_ANSWER_AUTO,
			       &e);
	fuzz_done(ctx);
	return 0;
}
