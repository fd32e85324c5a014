/*
 * cmd_diff.c - `gradbox diff`: the derivative, plain, LaTeX or JSON, with
 * the kinks reported on stderr.
 */
#include "cli/cli.h"

#include <stdlib.h>

#include <jansson.h>

/* The variable a derivative is taken in: --wrt, or the only one. */
static const char *wrt_of(gb_ctx *ctx, const opts *o, const gb_node *e)
{
	const char **names;

	if (o->wrt)
		return o->wrt;
	return gb_free_vars(ctx, e, &names) == 1 ? names[0] : NULL;
}

/* Notes on stderr for each kink: where, and the one-sided derivatives. */
static void kink_notes(gb_ctx *ctx, const gb_kink *k, size_t n,
		       const char *x)
{
	for (size_t i = 0; i < n; i++) {
		char *at = gb_print(ctx, k[i].at);
		char *l = gb_print(ctx, k[i].left);
		char *r = gb_print(ctx, k[i].right);
		char *c = k[i].cond ? gb_print(ctx, k[i].cond) : NULL;

		if (k[i].fleft != k[i].fright) {
			char *fl = gb_print(ctx, k[i].fleft);
			char *fr = gb_print(ctx, k[i].fright);

			fprintf(stderr,
				"gradbox: note: not differentiable at %s = %s: the function jumps from %s to %s\n",
				x, at, fl, fr);
			gb_free(fl);
			gb_free(fr);
		} else if (c)
			fprintf(stderr,
				"gradbox: note: at %s = %s the derivative exists if and only if %s (left derivative %s, right derivative %s)\n",
				x, at, c, l, r);
		else
			fprintf(stderr,
				"gradbox: note: not differentiable at %s = %s: left derivative %s, right derivative %s\n",
				x, at, l, r);
		gb_free(at);
		gb_free(l);
		gb_free(r);
		gb_free(c);
	}
}

int cmd_diff(gb_ctx *ctx, const opts *o)
{
	const gb_node *e, *d;
	gb_kink *k = NULL;
	size_t nk;
	const char *x;
	int rc;

	if (o->steps)		/* the derivation: cmd_grad.c */
		return cmd_grad(ctx, o);
	if ((rc = cli_prepare(ctx, o, &e)))
		return rc;
	if (gb_differentiate(ctx, e, o->wrt, o->order, &d) != GB_OK)
		return cli_report(ctx);
	x = wrt_of(ctx, o, e);
	nk = x && o->order == 1 ? gb_kinks(ctx, e, d, x, &k) : 0;
	if (o->json) {
		json_t *j = json_object(), *ks = json_array();
		char *s;

		json_object_set_new(j, "expr", json_string(o->pos[0]));
		json_object_set_new(j, "wrt", json_string(x ? x : ""));
		json_object_set_new(j, "order", json_integer((json_int_t)o->order));
		s = gb_print(ctx, d);
		json_object_set_new(j, "derivative", json_string(s ? s : ""));
		gb_free(s);
		s = gb_latex(ctx, d);
		json_object_set_new(j, "latex", json_string(s ? s : ""));
		gb_free(s);
		for (size_t i = 0; i < nk; i++) {
			json_t *kj = json_object();
			const gb_node *parts[4] = { k[i].at, k[i].left, k[i].right,
						    k[i].cond };
			const char *keys[4] = { "at", "left", "right",
						"differentiable_if" };

			for (size_t p = 0; p < 4; p++) {
				if (!parts[p])
					continue;
				s = gb_print(ctx, parts[p]);
				json_object_set_new(kj, keys[p], json_string(s ? s : ""));
				gb_free(s);
			}
			json_array_append_new(ks, kj);
		}
		json_object_set_new(j, "kinks", ks);
		s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(j);
		if (!s)
			return EXIT_BAD;
		puts(s);
		free(s);
		return EXIT_OK;
	}
	rc = cli_print_string(ctx, o->latex ? gb_latex(ctx, d) : gb_print(ctx, d));
	kink_notes(ctx, k, nk, x);
	return rc;
}

