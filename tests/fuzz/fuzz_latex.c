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
	gb_status st;

	st = gb_parse_latex(ctx, "<fuzz>", text, size, &e);
	FUZZ_ASSERT((st == GB_OK) == (e != NULL), "status %d", (int)st);
	if (st == GB_OK) {
		char *s = gb_latex(ctx, e);
		const gb_node *back = NULL;

		if (s) {
			st = gb_parse_latex(ctx, "<latex>", s, strlen(s), &back);
			FUZZ_ASSERT(st != GB_OK || back == e,
				    "LaTeX round trip: '%s'", s);
			FUZZ_ASSERT(st == GB_OK || st == GB_ELIMIT ||
				    st == GB_ENOMEM,
				    "printed LaTeX does not parse: '%s'", s);
		}
		gb_free(s);
	}
	gb_diag_clear(ctx);
	(void)gb_parse_answer(ctx, "<answer>", text, size, GB_ANSWER_AUTO, &e);
	fuzz_done(ctx);
	return 0;
}
