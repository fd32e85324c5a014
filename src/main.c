/*
 * main.c - the gradbox command line.
 *
 * Only argument handling, files and exit codes live here; everything else
 * is the public library (include/gradbox.h), so the CLI proves the API is
 * enough. Exit codes: 0 success (or `correct`), 1 an answer is incorrect,
 * 2 bad input or usage.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "gradbox.h"

enum { EXIT_OK = 0, EXIT_WRONG = 1, EXIT_BAD = 2 };

/* Everything a command may be given, parsed once for all commands. */
typedef struct opts {
	const char *cmd;
	long digits;
	bool latex, json, steps;
	const char *wrt;
	unsigned long order;
	const char **files;	/* -f FILE, in order */
	size_t nfiles;
	const char **binds;	/* NAME=VALUE */
	size_t nbinds;
	const char **pos;	/* positional arguments */
	size_t npos;
} opts;

typedef struct command {
	const char *name;
	int (*run)(gb_ctx *ctx, const opts *o);
	const char *usage;
	const char *summary;
} command;

static const command *find_command(const char *name);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int bad_usage(const char *cmd, const char *fmt, ...);

/* ------------------------------------------------------------- helpers */

static int report(gb_ctx *ctx)
{
	char *s = gb_diag_render(ctx);

	if (s && *s)
		fputs(s, stderr);
	gb_free(s);
	gb_diag_clear(ctx);
	return EXIT_BAD;
}

/* Reads a whole file; NULL (with a message) when it cannot. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f) {
		fprintf(stderr, "gradbox: error: cannot open '%s': %s\n", path,
			strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t got;

		if (n + 4096 + 1 > cap) {
			char *b;

			cap = cap ? 2 * cap : 65536;
			b = realloc(buf, cap);
			if (!b) {
				fprintf(stderr, "gradbox: error: '%s' is too large to read\n",
					path);
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = b;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "gradbox: error: cannot read '%s'\n", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Loads -f files, binds NAME=VALUE, then parses the expression. */
static int prepare(gb_ctx *ctx, const opts *o, const gb_node **expr)
{
	for (size_t i = 0; i < o->nfiles; i++) {
		size_t len;
		char *text = read_file(o->files[i], &len);
		gb_status st;

		if (!text)
			return EXIT_BAD;
		st = gb_load(ctx, o->files[i], text, len);
		free(text);
		if (st != GB_OK)
			return report(ctx);
	}
	for (size_t i = 0; i < o->nbinds; i++) {
		const char *eq = strchr(o->binds[i], '=');
		char name[128];
		size_t n = (size_t)(eq - o->binds[i]);

		if (n >= sizeof name) {
			fprintf(stderr, "gradbox: error: name too long in '%s'\n",
				o->binds[i]);
			return EXIT_BAD;
		}
		memcpy(name, o->binds[i], n);
		name[n] = '\0';
		if (gb_bind(ctx, name, eq + 1) != GB_OK)
			return report(ctx);
	}
	if (!expr)
		return EXIT_OK;
	if (o->npos == 0)
		return bad_usage(o->cmd, "expected an expression");
	if (o->npos > 1)
		return bad_usage(o->cmd,
				 "expected one expression, got %zu (quote it: '%s')",
				 o->npos, o->pos[1]);
	if (gb_parse(ctx, "<expr>", o->pos[0], strlen(o->pos[0]), expr) != GB_OK)
		return report(ctx);
	return EXIT_OK;
}

static int print_string(char *s)
{
	if (!s) {
		fputs("gradbox: error: out of memory\n", stderr);
		return EXIT_BAD;
	}
	puts(s);
	gb_free(s);
	return EXIT_OK;
}

/* ------------------------------------------------------------ commands */

static int cmd_eval(gb_ctx *ctx, const opts *o)
{
	const gb_node *e;
	gb_value *v = NULL;
	gb_status st;
	int rc = prepare(ctx, o, &e);

	if (rc)
		return rc;
	st = gb_eval(ctx, e, o->digits, &v);
	if (st == GB_EDOMAIN) {
		gb_explain_undefined(ctx, e, o->digits);
		puts("undefined");
		report(ctx);
		return EXIT_OK;
	}
	if (st != GB_OK)
		return report(ctx);
	rc = print_string(gb_value_str(v, o->digits));
	gb_value_free(v);
	return rc;
}

static int cmd_print(gb_ctx *ctx, const opts *o)
{
	const gb_node *e;
	int rc = prepare(ctx, o, &e);

	if (rc)
		return rc;
	return print_string(o->latex ? gb_latex(ctx, e) : gb_print(ctx, e));
}

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

		if (c)
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

static int cmd_diff(gb_ctx *ctx, const opts *o)
{
	const gb_node *e, *d;
	gb_kink *k;
	size_t nk;
	const char *x;
	int rc = prepare(ctx, o, &e);

	if (rc)
		return rc;
	if (gb_differentiate(ctx, e, o->wrt, o->order, &d) != GB_OK)
		return report(ctx);
	x = wrt_of(ctx, o, e);
	nk = x ? gb_kinks(ctx, d, x, &k) : 0;
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
	rc = print_string(o->latex ? gb_latex(ctx, d) : gb_print(ctx, d));
	if (o->order == 1)
		kink_notes(ctx, k, nk, x);
	return rc;
}

static void usage_all(FILE *f)
{
	fputs("usage: gradbox COMMAND [OPTIONS] ARGS...\n\ncommands:\n", f);
	for (const char *const *p = (const char *const[]){ "eval", "print",
							   "diff", NULL };
	     *p; p++) {
		const command *c = find_command(*p);

		fprintf(f, "  gradbox %s\n      %s\n", c->usage, c->summary);
	}
	fputs("\ncommon options:\n"
	      "  -f FILE          load declarations, definitions and assignments first\n"
	      "  NAME=VALUE       bind a value: 0.7, -1/3, 1e-3, [1, 2], [[1, 2], [3, 4]]\n"
	      "  --help           this text (gradbox help COMMAND for one command)\n"
	      "  --version        the version\n"
	      "\nexit status: 0 success, 1 incorrect answer, 2 bad input or usage\n",
	      f);
}

static int cmd_help(gb_ctx *ctx, const opts *o)
{
	const command *c = o->npos ? find_command(o->pos[0]) : NULL;

	(void)ctx;
	if (o->npos && (!c || c->run == cmd_help)) {
		fprintf(stderr, "gradbox: error: unknown command '%s'\n", o->pos[0]);
		return EXIT_BAD;
	}
	if (c) {
		printf("usage: gradbox %s\n%s\n", c->usage, c->summary);
		return EXIT_OK;
	}
	usage_all(stdout);
	return EXIT_OK;
}

static const command commands[] = {
	{ "eval", cmd_eval,
	  "eval [--digits N] [-f FILE]... EXPR [NAME=VALUE]...",
	  "evaluate EXPR with GNU MPFR to N significant digits (default 20),\n"
	  "      correctly rounded as far as a retry at higher precision can tell" },
	{ "print", cmd_print, "print [--latex] [-f FILE]... EXPR",
	  "print the canonical form of EXPR, plain (re-parseable) or LaTeX" },
	{ "diff", cmd_diff,
	  "diff [--wrt X] [--order N] [--latex|--json] [-f FILE]... EXPR",
	  "differentiate EXPR; kinks are reported with their one-sided derivatives" },
	{ "help", cmd_help, "help [COMMAND]", "show usage" },
};

static const command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* ----------------------------------------------------- argument parsing */

/* NAME=VALUE: an identifier, '=', and not '==' */
static bool is_binding(const char *a)
{
	const char *p = a;

	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_'))
		return false;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	       (*p >= '0' && *p <= '9') || *p == '_')
		p++;
	return p[0] == '=' && p[1] != '=';
}

static bool parse_ulong(const char *s, unsigned long lo, unsigned long hi,
			unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int bad_usage(const char *cmd, const char *fmt, ...)
{
	const command *c = find_command(cmd);
	va_list ap;

	fprintf(stderr, "gradbox %s: error: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (c)
		fprintf(stderr, "usage: gradbox %s\n", c->usage);
	return EXIT_BAD;
}

static int parse_args(int argc, char **argv, opts *o)
{
	bool only_pos = false;

	o->files = calloc((size_t)argc, sizeof *o->files);
	o->binds = calloc((size_t)argc, sizeof *o->binds);
	o->pos = calloc((size_t)argc, sizeof *o->pos);
	if (!o->files || !o->binds || !o->pos)
		return EXIT_BAD;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		unsigned long n;

		if (only_pos || a[0] != '-' || a[1] == '\0') {
			if (!only_pos && is_binding(a))
				o->binds[o->nbinds++] = a;
			else
				o->pos[o->npos++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_pos = true;
		} else if (strcmp(a, "--latex") == 0) {
			o->latex = true;
		} else if (strcmp(a, "--json") == 0) {
			o->json = true;
		} else if (strcmp(a, "--steps") == 0) {
			o->steps = true;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			o->pos[0] = o->cmd;
			o->npos = 1;
			o->cmd = "help";
			return EXIT_OK;
		} else if (strcmp(a, "-f") == 0 || strcmp(a, "--file") == 0) {
			if (!val)
				return bad_usage(o->cmd, "%s needs a file name", a);
			o->files[o->nfiles++] = val;
			i++;
		} else if (strcmp(a, "--digits") == 0) {
			if (!val || !parse_ulong(val, 1, GB_DIGITS_MAX, &n))
				return bad_usage(o->cmd,
						 "--digits needs a number from 1 to 100000, got '%s'",
						 val ? val : "");
			o->digits = (long)n;
			i++;
		} else if (strcmp(a, "--order") == 0) {
			if (!val || !parse_ulong(val, 0, 1000, &n))
				return bad_usage(o->cmd,
						 "--order needs a number from 0 to 1000, got '%s'",
						 val ? val : "");
			o->order = n;
			i++;
		} else if (strcmp(a, "--wrt") == 0) {
			if (!val)
				return bad_usage(o->cmd, "%s needs a variable name", a);
			o->wrt = val;
			i++;
		} else {
			return bad_usage(o->cmd,
					 "unknown option '%s' (put '--' before an expression that starts with '-')",
					 a);
		}
	}
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	opts o = { 0 };
	const command *c;
	gb_ctx *ctx;
	int rc;

	if (argc < 2) {
		usage_all(stderr);
		return EXIT_BAD;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("gradbox %s\n", GB_VERSION);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage_all(stdout);
		return EXIT_OK;
	}
	o.cmd = argv[1];
	o.digits = 20;
	o.order = 1;
	c = find_command(o.cmd);
	if (!c) {
		fprintf(stderr, "gradbox: error: unknown command '%s'\n\n", o.cmd);
		usage_all(stderr);
		return EXIT_BAD;
	}
	rc = parse_args(argc, argv, &o);
	if (rc == EXIT_OK) {
		c = find_command(o.cmd);
		ctx = gb_ctx_new();
		if (!ctx) {
			fputs("gradbox: error: out of memory\n", stderr);
			rc = EXIT_BAD;
		} else {
			rc = c->run(ctx, &o);
			gb_ctx_free(ctx);
		}
	}
	free(o.files);
	free(o.binds);
	free(o.pos);
	return rc;
}
