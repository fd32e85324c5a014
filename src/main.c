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
#include "cli/cli.h"

static int cmd_help(gb_ctx *ctx, const opts *o);

static const command commands[] = {
	{ "eval", cmd_eval,
	  "eval [--digits N] [--convention pytorch|jax] [-f FILE]... EXPR [NAME=VALUE]...",
	  "evaluate EXPR with GNU MPFR to N significant digits (default 20),\n"
	  "      correctly rounded as far as a retry at higher precision can tell;\n"
	  "      --convention: at a kink, the derivative autograd would return" },
	{ "print", cmd_print, "print [--latex] [-f FILE]... EXPR",
	  "print the canonical form of EXPR, plain (re-parseable) or LaTeX" },
	{ "diff", cmd_diff,
	  "diff [--wrt X] [--order N] [--latex|--json] [--steps] [--notation LIST] [--convention pytorch|jax] [-f FILE]... EXPR",
	  "differentiate EXPR; kinks are reported with their one-sided derivatives\n"
	  "      (--convention: the values autograd frameworks use there instead);\n"
	  "      --steps: the derivation, as grad --steps writes it" },
	{ "check", cmd_check,
	  "check [--wrt X] [--latex] [-f FILE]... EXPR ANSWER [NAME=VALUE]...",
	  "is ANSWER (plain or LaTeX) equal to EXPR, or with --wrt X its derivative?\n"
	  "      exit 0 correct, 1 incorrect (with a counterexample)" },
	{ "verify", cmd_verify, "verify [--wrt X] [-f FILE]... FILE|EXPR...",
	  "check gradbox's derivatives (of EXPR, or of every one-argument\n"
	  "      function FILE defines) against MPFR finite differences;\n"
	  "      exit 1 if one disagrees" },
	{ "grad", cmd_grad,
	  "grad [--wrt X] [--latex] [--steps] [--notation LIST] [-f FILE]... EXPR",
	  "the gradient of a scalar EXPR in X, in the named intermediates of the\n"
	  "      -f files (with an upstream gradient, zhat'*z, the backward formula);\n"
	  "      --steps: the derivation; --notation T,circ,rm,plain,nobold" },
	{ "smooth", cmd_smooth,
	  "smooth [--wrt X] [--latex] [-f FILE]... EXPR|NAME... [NAME=VALUE]...",
	  "the smoothness class of EXPR (discontinuous, C^0, ..., C^inf), its\n"
	  "      exceptional points and an explanation; several NAMEs: a table" },
	{ "run", cmd_run, "run [--latex|--json] FILE...",
	  "run the statements of expression files (.grad) and print every\n"
	  "      query's result; exit 2 if a statement failed" },
	{ "render", cmd_render,
	  "render [--template T] [-o OUT.tex] [--no-pdf] FILE",
	  "fill the answer boxes of a template (default: the built-in homework\n"
	  "      sheet); with -o, write atomically and, when pdflatex is present,\n"
	  "      compile and report boxes that overflow" },
	{ "batch", cmd_batch,
	  "batch [-j N] [-o OUT.jsonl] [--timeout S] [--no-times] [--convention pytorch|jax] [-f FILE]... FILE...|-",
	  "run expression files (or, from '-', one statement per line) and write\n"
	  "      one JSON Lines record per statement, in input order for every N;\n"
	  "      exit 1 if a statement failed" },
	{ "grade", cmd_grade,
	  "grade [--json] [-o REPORT.csv|.jsonl] KEY.grad SUBMISSION.tex...",
	  "grade filled-in answer sheets against the key's answers: one row per\n"
	  "      student and slot (correct, incorrect, unreadable, not graded)" },
	{ "help", cmd_help, "help [COMMAND]", "show usage" },
};

/* Every command of the table, in its order, then the common options. */
static void usage_all(FILE *f)
{
	fputs("usage: gradbox COMMAND [OPTIONS] ARGS...\n\ncommands:\n", f);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (commands[i].run != cmd_help)
			fprintf(f, "  gradbox %s\n      %s\n", commands[i].usage,
				commands[i].summary);
	fputs("\ncommon options (each command takes the ones its usage names):\n"
	      "  -f FILE          load declarations, definitions and assignments first\n"
	      "  NAME=VALUE       bind a value: 0.7, -1/3, 1e-3, [1, 2], [[1, 2], [3, 4]]\n"
	      "  --               end of options (before an EXPR that starts with '-')\n"
	      "  --help           this text (gradbox help COMMAND for one command)\n"
	      "  --max-nodes N    cap on the nodes one expression may grow to\n"
	      "                   (also $GRADBOX_MAX_NODES; every command)\n"
	      "  --version        the version\n"
	      "\nexit status: 0 success, 1 incorrect answer, 2 bad input or usage\n",
	      f);
}

static int cmd_help(gb_ctx *ctx, const opts *o)
{
	const command *c = o->npos ? find_command(o->pos[0]) : NULL;

	(void)ctx;
	if (o->npos && !c) {
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

const command *find_command(const char *name)
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

/* Seconds with up to three decimals ("2", "0.5") as milliseconds. */
static bool parse_seconds(const char *s, unsigned long *ms)
{
	unsigned long v = 0, frac = 0, scale = 1000;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++)
		if ((v = v * 10 + (unsigned long)(*p - '0')) > 86400)
			return false;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9' && scale > 1; p++) {
			scale /= 10;
			frac += (unsigned long)(*p - '0') * scale;
		}
	if (*p || v * 1000 + frac == 0)
		return false;
	*ms = v * 1000 + frac;
	return true;
}

/*
 * Does command c take option opt (its canonical spelling)? The usage
 * string is the list: an option applies where it is written there, so
 * the help text and the parser cannot disagree. --max-nodes and --help
 * apply everywhere.
 */
static bool takes_option(const command *c, const char *opt)
{
	size_t n = strlen(opt);

	if (strcmp(opt, "--max-nodes") == 0)
		return true;
	for (const char *p = strstr(c->usage, opt); p; p = strstr(p + 1, opt)) {
		char before = p == c->usage ? ' ' : p[-1], after = p[n];

		if ((before == '[' || before == ' ' || before == '|') &&
		    (after == ']' || after == ' ' || after == '|' || !after))
			return true;
	}
	return false;
}

/* The spelling of option a that usage strings use (--file is -f). */
static const char *canonical_option(const char *a)
{
	if (strcmp(a, "--file") == 0)
		return "-f";
	if (strcmp(a, "--jobs") == 0)
		return "-j";
	return a;
}

/* Is a an option of some command (its usage lists it), or global? An
 * option no usage lists is unknown rather than misplaced. */
static bool is_option(const char *a)
{
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (takes_option(&commands[i], canonical_option(a)))
			return true;
	return false;
}

static int parse_args(int argc, char **argv, opts *o)
{
	bool only_pos = false;
	const command *c = find_command(o->cmd);

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
			continue;
		}
		if (c && c->run != cmd_help && is_option(a) &&
		    !takes_option(c, canonical_option(a)))
			return bad_usage(o->cmd,
					 "option '%s' does not apply to 'gradbox %s'",
					 a, o->cmd);
		if (strcmp(a, "--latex") == 0) {
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
		} else if (strcmp(a, "--max-nodes") == 0) {
			if (!val || !parse_ulong(val, 1, 4000000000ul, &n))
				return bad_usage(o->cmd,
						 "--max-nodes needs a number from 1 to 4000000000, got '%s'",
						 val ? val : "");
			o->max_nodes = n;
			i++;
		} else if (strcmp(a, "--order") == 0) {
			if (!val || !parse_ulong(val, 0, 1000, &n))
				return bad_usage(o->cmd,
						 "--order needs a number from 0 to 1000, got '%s'",
						 val ? val : "");
			o->order = n;
			i++;
		} else if (strcmp(a, "--notation") == 0) {
			if (!val)
				return bad_usage(o->cmd, "--notation needs a value");
			o->notation = val;
			i++;
		} else if (strcmp(a, "--wrt") == 0) {
			if (!val)
				return bad_usage(o->cmd, "%s needs a variable name", a);
			o->wrt = val;
			i++;
		} else if (strcmp(a, "--convention") == 0) {
			if (val && strcmp(val, "pytorch") == 0)
				o->convention = GB_CONV_PYTORCH;
			else if (val && strcmp(val, "jax") == 0)
				o->convention = GB_CONV_JAX;
			else
				return bad_usage(o->cmd,
						 "--convention is pytorch or jax, got '%s'",
						 val ? val : "");
			i++;
		} else if (strcmp(a, "--template") == 0 || strcmp(a, "-o") == 0) {
			if (!val)
				return bad_usage(o->cmd, "%s needs a file name", a);
			*(a[1] == 'o' ? &o->output : &o->tmpl) = val;
			i++;
		} else if (strcmp(a, "--no-pdf") == 0) {
			o->no_pdf = true;
		} else if (strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0) {
			if (!val || !parse_ulong(val, 1, 256, &n))
				return bad_usage(o->cmd,
						 "%s needs a number from 1 to 256, got '%s'",
						 a, val ? val : "");
			o->jobs = n;
			i++;
		} else if (strcmp(a, "--timeout") == 0) {
			if (!val || !parse_seconds(val, &o->timeout_ms))
				return bad_usage(o->cmd,
						 "--timeout needs seconds (0.001 to 86400), got '%s'",
						 val ? val : "");
			i++;
		} else if (strcmp(a, "--no-times") == 0) {
			o->no_times = true;
		} else {
			return bad_usage(o->cmd,
					 "unknown option '%s' (put '--' before an expression that starts with '-')",
					 a);
		}
	}
	return EXIT_OK;
}

/*
 * The cap on nodes an expression may grow to while it is differentiated
 * and simplified: --max-nodes N, else $GRADBOX_MAX_NODES, else the
 * library's default. Past it: "expression too large (limit N nodes)".
 */
static bool set_max_nodes(gb_ctx *ctx, const opts *o)
{
	const char *env = getenv("GRADBOX_MAX_NODES");
	unsigned long n = o->max_nodes;

	if (!n && env && *env && !parse_ulong(env, 1, 4000000000ul, &n)) {
		fprintf(stderr, "gradbox: error: GRADBOX_MAX_NODES must be a number from 1 to 4000000000, not '%s'\n",
			env);
		return false;
	}
	return !n || gb_set_limit(ctx, GB_LIMIT_NODES, n) == GB_OK;
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
		} else if (!set_max_nodes(ctx, &o)) {
			gb_ctx_free(ctx);
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
