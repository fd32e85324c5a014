/*
 * example.c - a complete program using libgradbox: the one docs/api.md
 * shows and tests/install.sh compiles against an installed gradbox.
 *
 *   cc example.c $(pkg-config --cflags --libs gradbox) -o example
 *
 * It loads a definition, parses an expression in the plain syntax and
 * one in LaTeX, differentiates, prints, checks an answer, finds a kink
 * and evaluates, and exits non-zero if any result is not the
 * expected one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gradbox.h>

static int failures;

/* Compares a library string with what we expect, then frees it. */
static void expect(const char *what, char *got, const char *want)
{
	if (!got || strcmp(got, want) != 0) {
		fprintf(stderr, "example: %s: got '%s', want '%s'\n", what,
			got ? got : "(null)", want);
		failures++;
	} else {
		printf("%-22s %s\n", what, got);
	}
	gb_free(got);
}

/* Prints the context's diagnostics (GCC style) and counts a failure. */
static void report(gb_ctx *ctx, const char *what, gb_status st)
{
	char *msg = gb_diag_render(ctx);

	fprintf(stderr, "example: %s: %s\n%s", what, gb_status_str(st),
		msg ? msg : "");
	gb_free(msg);
	gb_diag_clear(ctx);
	failures++;
}

int main(void)
{
	static const char program[] =
		"param alpha > 0\n"
		"elu(x) = piecewise(x > 0: x, otherwise: alpha*(exp(x) - 1))\n";
	const char *text = "x*sigmoid(x)";		/* SiLU */
	const char *latex = "\\frac{1}{1 + e^{-x}}";	/* the sigmoid */
	const char *student = "\\sigma(x)(1 - \\sigma(x))";
	const gb_node *f, *df, *s, *elu, *delu, *answer;
	gb_value *v = NULL;
	gb_kink *kinks;
	gb_check_result r;
	gb_check_opts co = { "x", 0, 0, 0 };
	gb_status st;
	gb_ctx *ctx = gb_ctx_new();

	if (!ctx) {
		fputs("example: out of memory\n", stderr);
		return 1;
	}

	/* Definitions, then an expression that uses none of them. */
	st = gb_load(ctx, "program", program, strlen(program));
	if (st != GB_OK) {
		report(ctx, "load", st);
		goto out;
	}
	st = gb_parse(ctx, "text", text, strlen(text), &f);
	if (st != GB_OK) {
		report(ctx, "parse", st);
		goto out;
	}
	expect("f", gb_print(ctx, f), "x*sigmoid(x)");

	/* d/dx (x sigmoid(x)); wrt NULL means f's only variable. */
	st = gb_differentiate(ctx, f, NULL, 1, &df);
	if (st != GB_OK) {
		report(ctx, "differentiate", st);
		goto out;
	}
	expect("f'", gb_print(ctx, df),
	       "sigmoid(x) + x*sigmoid(x)*(1 - sigmoid(x))");
	expect("f' in LaTeX", gb_latex(ctx, df),
	       "\\sigma(x) + x \\sigma(x) \\, (1 - \\sigma(x))");

	/* LaTeX input builds the same nodes as the plain syntax. */
	st = gb_parse_latex(ctx, "latex", latex, strlen(latex), &s);
	if (st != GB_OK) {
		report(ctx, "parse_latex", st);
		goto out;
	}
	expect("LaTeX input", gb_print(ctx, s), "1/(1 + exp(-x))");

	/* A kink: ELU's derivative at 0 exists only when alpha = 1. */
	st = gb_parse(ctx, "elu", "elu(t)", strlen("elu(t)"), &elu);
	if (st == GB_OK)
		st = gb_differentiate(ctx, elu, "t", 1, &delu);
	if (st != GB_OK) {
		report(ctx, "elu", st);
		goto out;
	}
	if (gb_kinks(ctx, elu, delu, "t", &kinks) != 1 || !kinks[0].cond) {
		fputs("example: expected one conditional kink of elu\n", stderr);
		failures++;
	} else {
		expect("kink of elu'", gb_print(ctx, kinks[0].at), "0");
		expect("differentiable iff", gb_print(ctx, kinks[0].cond),
		       "alpha == 1");
	}

	/* Is a student's answer (LaTeX) the derivative of sigmoid(x)? */
	st = gb_parse_answer(ctx, "answer", student, strlen(student),
			     GB_ANSWER_AUTO, &answer);
	if (st == GB_OK)
		st = gb_check(ctx, s, answer, &co, &r);
	if (st != GB_OK) {
		report(ctx, "check", st);
		goto out;
	}
	if (!r.correct) {
		fprintf(stderr, "example: answer judged incorrect at %s\n",
			r.point ? r.point : "?");
		failures++;
	} else {
		printf("%-22s correct\n", "answer");
	}

	/*
	 * f'(1/2) to 20 significant digits, with GNU MPFR. A binding is for
	 * the rest of the context's life: x is 1/2 from here on.
	 */
	st = gb_bind(ctx, "x", "1/2");
	if (st == GB_OK)
		st = gb_eval(ctx, df, 20, &v);
	if (st != GB_OK) {
		report(ctx, "eval", st);
		goto out;
	}
	expect("f'(1/2)", gb_value_str(v, 20), "7.3996118730265180917e-1");
	gb_value_free(v);
out:
	gb_ctx_free(ctx);
	if (failures)
		fprintf(stderr, "example: %d failure%s\n", failures,
			failures == 1 ? "" : "s");
	return failures ? 1 : 0;
}
