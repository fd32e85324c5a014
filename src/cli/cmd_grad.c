/*
 * cmd_grad.c - `gradbox grad`: backward formulas, and their derivation.
 *
 *   grad --wrt X EXPR            dEXPR/dX for a scalar EXPR, written with
 *                                the named intermediates of the -f files;
 *                                adjoints used twice come first as lets
 *                                (y1hat = ...), one per line
 *   grad --steps --wrt X EXPR    the derivation by the differential
 *                                method, LaTeX `aligned` lines
 *   --notation T,circ,rm,plain,nobold   ^T, \circ, \mathrm{d}, gradbox's
 *                                own syntax, no bold vectors
 *
 * `gradbox diff --steps` is the same command.
 */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

/* The variable: --wrt, or the only free one that is not an upstream
 * gradient (a NAMEhat). */
static const char *grad_wrt(gb_ctx *ctx, const opts *o, const gb_node *e)
{
	const char **names, *only = NULL;
	size_t n, k = 0;

	if (o->wrt)
		return o->wrt;
	n = gb_free_vars(ctx, e, &names);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(names[i]);

		if (len > 3 && strcmp(names[i] + len - 3, "hat") == 0)
			continue;
		only = names[i];
		k++;
	}
	return k == 1 ? only : NULL;
}

static bool parse_notation(const char *s, gb_steps_opts *so)
{
	while (s && *s) {
		size_t n = strcspn(s, ",");

		if (n == 1 && *s == 'T')
			so->transpose_t = true;
		else if (n == 4 && !strncmp(s, "circ", 4))
			so->circ = true;
		else if (n == 2 && !strncmp(s, "rm", 2))
			so->mathrm_d = true;
		else if (n == 5 && !strncmp(s, "plain", 5))
			so->plain = true;
		else if (n == 6 && !strncmp(s, "nobold", 6))
			so->no_bold = true;
		else
			return false;
		s += n + (s[n] == ',');
	}
	return true;
}

int cmd_grad(gb_ctx *ctx, const opts *o)
{
	const gb_node *e;
	const char *x;
	gb_grad_result r;
	int rc = cli_prepare(ctx, o, &e);

	if (rc)
		return rc;
	if (!(x = grad_wrt(ctx, o, e)))
		return bad_usage(o->cmd,
				 "name the variable with --wrt (the expression has %s)",
				 "no single one");
	if (o->steps) {
		gb_steps_opts so;

		memset(&so, 0, sizeof so);
		if (!parse_notation(o->notation, &so))
			return bad_usage(o->cmd,
					 "--notation takes T, circ, rm, plain, nobold (comma-separated), got '%s'",
					 o->notation);
		so.plain = so.plain || (!o->latex && o->notation &&
					strstr(o->notation, "plain"));
		{
			char *s = gb_backprop_steps(ctx, e, x, &so);

			if (!s)
				return cli_report(ctx);
			return cli_print_string(ctx, s);
		}
	}
	if (gb_backprop(ctx, e, x, &r) != GB_OK)
		return cli_report(ctx);
	for (size_t k = 0; k < r.nlets; k++) {
		char *n = o->latex ? gb_latex(ctx, r.let_names[k]) :
				     gb_print(ctx, r.let_names[k]);
		char *v = o->latex ? gb_latex(ctx, r.let_values[k]) :
				     gb_print(ctx, r.let_values[k]);

		if (!n || !v) {
			gb_free(n);
			gb_free(v);
			return cli_report(ctx);
		}
		printf("%s = %s\n", n, v);
		gb_free(n);
		gb_free(v);
	}
	return cli_print_string(ctx, o->latex ? gb_latex(ctx, r.grad) :
				gb_print(ctx, r.grad));
}
