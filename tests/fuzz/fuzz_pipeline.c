/*
 * fuzz_pipeline.c - libFuzzer harness of the whole pipeline.
 *
 * parse (plain, or LaTeX when the plain parser rejects the input) ->
 * simplify -> differentiate in x -> print plain and LaTeX -> parse both
 * back -> evaluate at low precision. Asserted: no step crashes; every
 * failure is a status with a reason; the printed forms parse back to the
 * same node (nodes are interned, so equality is pointer equality); the
 * value of the re-parsed derivative is the value of the derivative.
 */
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"
#include "calculus/simplify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Asserts that printing e (plain, then LaTeX) and parsing back gives e. */
static void round_trip(gb_ctx *ctx, const gb_node *e)
{
	char *s = gb_print(ctx, e);
	char *l = gb_latex(ctx, e);
	const gb_node *back;
	gb_status st;

	if (s) {
		st = gb_parse(ctx, "<print>", s, strlen(s), &back);
		FUZZ_ASSERT(st != GB_OK || back == e, "plain round trip: '%s'", s);
		FUZZ_ASSERT(st == GB_OK || st == GB_ELIMIT || st == GB_ENOMEM,
			    "printed form does not parse: '%s'", s);
	}
	if (l) {
		st = gb_parse_latex(ctx, "<latex>", l, strlen(l), &back);
		FUZZ_ASSERT(st != GB_OK || back == e, "LaTeX round trip: '%s'", l);
		FUZZ_ASSERT(st == GB_OK || st == GB_ELIMIT || st == GB_ENOMEM,
			    "printed LaTeX does not parse: '%s'", l);
	}
	gb_free(s);
	gb_free(l);
}

/* Evaluates e to 8 digits; the status must be one eval can give. */
static void eval(gb_ctx *ctx, const gb_node *e)
{
	gb_value *v = NULL;
	gb_status st = gb_eval(ctx, e, 8, &v);

	FUZZ_ASSERT((st == GB_OK) == (v != NULL), "eval status %d", (int)st);
	if (v) {
		char *s = gb_value_str(v, 8);

		gb_free(s);
		gb_value_free(v);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	gb_ctx *ctx = fuzz_ctx();
	const gb_node *e = NULL, *s, *d = NULL;

	if (gb_parse(ctx, "<fuzz>", text, size, &e) != GB_OK) {
		gb_diag_clear(ctx);
		if (gb_parse_latex(ctx, "<fuzz>", text, size, &e) != GB_OK)
			goto out;
	}
	round_trip(ctx, e);
	s = gb_simplify(ctx, e);
	if (s)
		round_trip(ctx, s);
	if (gb_differentiate(ctx, e, "x", 1, &d) == GB_OK) {
		FUZZ_ASSERT(d != NULL, "derivative NULL on GB_OK");
		round_trip(ctx, d);
	}
	/* Bind the usual variables, then evaluate. */
	(void)gb_bind(ctx, "x", "7/10");
	(void)gb_bind(ctx, "y", "-3/2");
	(void)gb_bind(ctx, "z", "2");
	eval(ctx, e);
	if (d)
		eval(ctx, d);
out:
	fuzz_done(ctx);
	return 0;
}
