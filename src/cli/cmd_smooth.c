/*
 * cmd_smooth.c - `gradbox smooth`: the smoothness class of a function.
 *
 *   gradbox smooth 'relu(x)'
 *   C^0
 *   x = 0: left derivative 0, right derivative 1
 *   ReLU is continuous everywhere but not differentiable at x = 0, ...
 *
 * With several names (built-ins or functions of the -f files, applied to
 * the variable) it prints a table instead, one aligned row each:
 *
 *   gradbox smooth -f examples/activations.grad relu softplus elu
 *   relu      C^0    not differentiable at x = 0
 */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

static bool is_ident_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}

/* Is s[0..n) an identifier? */
static bool is_ident(const char *s, size_t n)
{
	if (n == 0 || !is_ident_char(s[0], true))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!is_ident_char(s[i], false))
			return false;
	return true;
}

/*
 * The function name in "NAME(VAR)" (spaces allowed), copied to buf;
 * NULL when the text has another form.
 */
static const char *call_name(const char *text, char *buf, size_t size)
{
	const char *p = text, *open = strchr(text, '('), *close;
	size_t n;

	if (!open || !(close = strchr(open, ')')) || close[1 + strspn(close + 1, " ")])
		return NULL;
	p += strspn(p, " ");
	n = (size_t)(open - p);
	while (n > 0 && p[n - 1] == ' ')
		n--;
	if (!is_ident(p, n) || n >= size)
		return NULL;
	{
		const char *a = open + 1 + strspn(open + 1, " ");
		size_t m = (size_t)(close - a);

		while (m > 0 && a[m - 1] == ' ')
			m--;
		if (!is_ident(a, m))
			return NULL;
	}
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

/* Prints a string from the library and frees it; false when NULL. */
static bool put_line(char *s)
{
	if (!s)
		return false;
	puts(s);
	gb_free(s);
	return true;
}

/* Notes on the zeros searched numerically or not found. */
static void search_notes(gb_ctx *ctx, const gb_smooth *s)
{
	for (size_t i = 0; i < s->nsearched; i++) {
		char *u = gb_print(ctx, s->searched[i]);

		printf("note: zeros of %s searched numerically in [%ld, %ld]\n",
		       u ? u : "?", -s->window, s->window);
		gb_free(u);
	}
	for (size_t i = 0; i < s->nunsolved; i++) {
		char *u = gb_print(ctx, s->unsolved[i]);

		fprintf(stderr,
			"gradbox: note: the zeros of %s could not be located (it depends on parameters); they are not analysed\n",
			u ? u : "?");
		gb_free(u);
	}
}

/* The full report of one expression. */
static int report(gb_ctx *ctx, const opts *o)
{
	const gb_node *e;
	gb_smooth *s;
	char buf[128];
	const char *name;
	int rc = cli_prepare(ctx, o, &e);

	if (rc)
		return rc;
	if (gb_smoothness(ctx, e, o->wrt, &s) != GB_OK)
		return cli_report(ctx);
	name = call_name(o->pos[0], buf, sizeof buf);
	if (!put_line(gb_smooth_class_str(s->cls, false)))
		return EXIT_BAD;
	for (size_t i = 0; i < s->npt; i++)
		if (!put_line(gb_smooth_point_str(ctx, s, i, o->latex)))
			return EXIT_BAD;
	search_notes(ctx, s);
	return put_line(gb_smooth_sentence(ctx, s, name, o->latex)) ?
	       EXIT_OK : EXIT_BAD;
}

typedef struct row {
	const char *name;
	char *cls, *why;
} row;

/* One row per name (NAME applied to the variable) or expression. */
static int table(gb_ctx *ctx, const opts *o)
{
	const char *x = o->wrt ? o->wrt : "x";
	row *rows = calloc(o->npos, sizeof *rows);
	size_t wn = 0, wc = 0;
	int rc = cli_prepare(ctx, o, NULL);

	if (!rows)
		return EXIT_BAD;
	for (size_t i = 0; i < o->npos && rc == EXIT_OK; i++) {
		const char *a = o->pos[i];
		size_t len = strlen(a);
		char *text = malloc(len + strlen(x) + 3);
		const gb_node *e;
		gb_smooth *s;
		gb_status st;

		if (!text) {
			rc = EXIT_BAD;
			break;
		}
		if (is_ident(a, len))
			sprintf(text, "%s(%s)", a, x);
		else
			strcpy(text, a);
		st = gb_parse(ctx, "<expr>", text, strlen(text), &e);
		free(text);
		if (st == GB_OK)
			st = gb_smoothness(ctx, e, x, &s);
		if (st != GB_OK) {
			rc = cli_report(ctx);
			break;
		}
		rows[i].name = a;
		rows[i].cls = gb_smooth_class_str(s->cls, o->latex);
		rows[i].why = gb_smooth_summary(ctx, s, o->latex);
		if (!rows[i].cls || !rows[i].why) {
			rc = EXIT_BAD;
			break;
		}
		if (strlen(a) > wn)
			wn = strlen(a);
		if (strlen(rows[i].cls) > wc)
			wc = strlen(rows[i].cls);
	}
	for (size_t i = 0; i < o->npos && rc == EXIT_OK; i++) {
		if (o->latex)
			printf("%s & %s & %s \\\\\n", rows[i].name, rows[i].cls,
			       rows[i].why);
		else
			printf("%-*s  %-*s  %s\n", (int)wn, rows[i].name, (int)wc,
			       rows[i].cls, rows[i].why);
	}
	for (size_t i = 0; i < o->npos; i++) {
		gb_free(rows[i].cls);
		gb_free(rows[i].why);
	}
	free(rows);
	return rc;
}

int cmd_smooth(gb_ctx *ctx, const opts *o)
{
	if (o->npos == 0)
		return bad_usage(o->cmd, "expected an expression or function names");
	return o->npos == 1 ? report(ctx, o) : table(ctx, o);
}
