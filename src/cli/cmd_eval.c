/*
 * cmd_eval.c - `gradbox eval` and `gradbox print`.
 */
#include "cli/cli.h"

int cmd_eval(gb_ctx *ctx, const opts *o)
{
	const gb_node *e;
	gb_value *v = NULL;
	gb_status st;
	int rc = cli_prepare(ctx, o, &e);

	if (rc)
		return rc;
	st = gb_eval(ctx, e, o->digits, &v);
	if (st == GB_EDOMAIN) {
		gb_explain_undefined(ctx, e, o->digits);
		puts("undefined");
		cli_report(ctx);
		return EXIT_OK;
	}
	if (st != GB_OK)
		return cli_report(ctx);
	rc = cli_print_string(ctx, gb_value_str(v, o->digits));
	gb_value_free(v);
	return rc;
}

int cmd_print(gb_ctx *ctx, const opts *o)
{
	const gb_node *e;
	int rc = cli_prepare(ctx, o, &e);

	if (rc)
		return rc;
	return cli_print_string(ctx, o->latex ? gb_latex(ctx, e) : gb_print(ctx, e));
}

