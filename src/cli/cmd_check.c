/*
 * cmd_check.c - `gradbox check` (is an answer right?) and `gradbox verify`
 * (are gradbox's own derivatives right, by MPFR finite differences?).
 *
 *   check EXPR ANSWER          is ANSWER equal to EXPR? (EXPR may be
 *                              written diff(f(x), x))
 *   check --wrt X EXPR ANSWER  is ANSWER the derivative of EXPR in X?
 *
 * The first line is `correct` or `incorrect`, then the evidence: the
 * counterexample with both values, the region where the answer is
 * wrong, a hint, and notes about kinks. Exit 0 correct, 1 incorrect,
 * 2 bad input.
 */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

static void print_check(const gb_check_result *r)
{
	puts(r->correct ? "correct" : "incorrect");
	if (r->correct) {
		printf("agrees at %u points", r->npoints);
		if (r->nskipped)
			printf(" (%u more where both are undefined)", r->nskipped);
		putchar('\n');
	} else {
		if (r->nvars)
			printf("at %s: ", r->point);
		printf("expected %s, got %s\n", r->expected, r->got);
		if (r->region)
			puts(r->region);
		if (r->hint)
			printf("hint: %s\n", r->hint);
	}
	for (size_t i = 0; i < r->nnotes; i++)
		printf("note: %s\n", r->notes[i]);
}

int cmd_check(gb_ctx *ctx, const opts *o)
{
	gb_check_opts co = { o->wrt, 0, 0, 0 };
	gb_check_result r;
	const gb_node *e, *a;
	gb_status st;
	int rc = cli_prepare(ctx, o, NULL);

	if (rc)
		return rc;
	if (o->npos != 2)
		return bad_usage(o->cmd,
				 "expected an expression and an answer, got %zu argument%s",
				 o->npos, o->npos == 1 ? "" : "s");
	if (gb_parse(ctx, "<expr>", o->pos[0], strlen(o->pos[0]), &e) != GB_OK)
		return cli_report(ctx);
	st = gb_parse_answer(ctx, "<answer>", o->pos[1], strlen(o->pos[1]),
			     o->latex ? GB_ANSWER_LATEX : GB_ANSWER_AUTO, &a);
	if (st == GB_ESHAPE) {
		/* well-formed but inconsistent: incorrect, the shape error
		 * as the reason (and the diagnostic, with its caret) */
		char *d = gb_diag_render(ctx), *m = d ? strstr(d, "error: ") : NULL;

		puts("incorrect");
		if (m)
			printf("reason: %.*s\n",
			       (int)strcspn(m + 7, "\n"), m + 7);
		if (d)
			fputs(d, stderr);
		gb_free(d);
		gb_diag_clear(ctx);
		return EXIT_WRONG;
	}
	if (st != GB_OK)
		return cli_report(ctx);
	if (gb_check(ctx, e, a, &co, &r) != GB_OK)
		return cli_report(ctx);
	print_check(&r);
	return r.correct ? EXIT_OK : EXIT_WRONG;
}

/* One line per verified derivative; false when it disagrees. */
static bool print_item(const gb_verify_item *it, unsigned *points)
{
	*points += it->npoints;
	if (it->ok) {
		printf("%s: %u points, max relative error %s\n", it->name,
		       it->npoints, it->max_err);
		return true;
	}
	printf("%s: FAILED %s (%u points, max relative error %s)\n",
	       it->name, it->problem ? it->problem : "", it->npoints,
	       it->max_err ? it->max_err : "?");
	return false;
}

/* Is arg a file we can read (rather than an expression)? */
static bool is_file(const char *arg)
{
	FILE *f = fopen(arg, "rb");

	if (!f)
		return false;
	fclose(f);
	return true;
}

int cmd_verify(gb_ctx *ctx, const opts *o)
{
	gb_verify_opts vo = { 0, 0, 0 };
	unsigned n = 0, bad = 0, points = 0;
	int rc;

	if (o->npos == 0)
		return bad_usage(o->cmd, "expected a file or an expression");
	for (size_t i = 0; i < o->npos; i++) {
		const char *arg = o->pos[i];
		gb_ctx *c = i == 0 ? ctx : gb_ctx_new();

		if (!c) {
			fputs("gradbox: error: out of memory\n", stderr);
			return EXIT_BAD;
		}
		rc = cli_prepare(c, o, NULL);
		if (rc == EXIT_OK && is_file(arg)) {
			gb_verify_item *items;
			size_t len, ni;
			char *text = cli_read_file(arg, &len);

			if (!text)
				rc = EXIT_BAD;
			else if (gb_verify_file(c, arg, text, len, &vo, &items,
						&ni) != GB_OK)
				rc = cli_report(c);
			else
				for (size_t k = 0; k < ni; k++, n++)
					bad += !print_item(&items[k], &points);
			free(text);
		} else if (rc == EXIT_OK) {
			gb_verify_item it;
			const gb_node *e;

			if (gb_parse(c, "<expr>", arg, strlen(arg), &e) != GB_OK ||
			    gb_verify(c, arg, e, o->wrt, &vo, &it) != GB_OK)
				rc = cli_report(c);
			else {
				bad += !print_item(&it, &points);
				n++;
			}
		}
		if (c != ctx)
			gb_ctx_free(c);
		if (rc)
			return rc;
	}
	if (bad)
		printf("%u of %u derivatives disagree with finite differences\n",
		       bad, n);
	else
		printf("%s %u derivative%s with finite differences (%u points)\n",
		       n == 1 ? "the" : "all", n, n == 1 ? " agrees" : "s agree",
		       points);
	return bad ? EXIT_WRONG : EXIT_OK;
}
