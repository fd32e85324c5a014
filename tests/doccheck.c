/*
 * doccheck.c - checks the examples of a document (docs/language.md)
 * against the parsers, and that it covers every built-in function of
 * grammar/functions.def and every operator of grammar/operators.def.
 *
 * Usage: doccheck FILE.md      (run by tests/docs.sh)
 *
 * Every fenced block marked ```grad is an expression file and every block
 * marked ```latex holds one LaTeX answer per line. A line may end with an
 * annotation in a comment ('#' in grad, '%' in latex) that says what the
 * line means, and is then checked on its own:
 *
 *   EXPR   # = OTHER          EXPR and OTHER (plain) are the same node
 *   EXPR   # -> TEXT          gradbox print shows EXPR as TEXT
 *   EXPR   # error: MESSAGE   EXPR is rejected with a diagnostic saying
 *                             MESSAGE (a substring)
 *   EXPR   # warning: MESSAGE EXPR is accepted with a warning saying MESSAGE
 *
 * The other lines of a grad block (declarations, definitions, comments)
 * are loaded as a program, before the checks that follow them in the
 * block, and must load without error; each block gets a fresh context.
 * An unannotated latex line must parse without error.
 *
 * Only the public API (include/gradbox.h) is used, and the grammar tables
 * for the coverage: a function or operator added there must be
 * documented before `make check` passes.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradbox.h"

static const char *const fn_names[] = {
#define FN(id, name, lo, hi, latex, eval, deriv) name,
#include "functions.def"
#undef FN
};
static const char *const fn_latex[] = {
#define FN(id, name, lo, hi, latex, eval, deriv) latex,
#include "functions.def"
#undef FN
};
static const char *const op_plain[] = {
#define OP(name, token, left, right, plain, latex) plain,
#include "operators.def"
#undef OP
};
static const char *const op_latex[] = {
#define OP(name, token, left, right, plain, latex) latex,
#include "operators.def"
#undef OP
};

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

static const char *path;
static int failures, checks;

/* Everything the grad blocks and the latex blocks say, for coverage. */
static char *grad_text, *latex_text;
static size_t grad_len, latex_len;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void fail(unsigned line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%u: ", path, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	failures++;
}

static void append(char **buf, size_t *len, const char *s, size_t n)
{
	char *b = realloc(*buf, *len + n + 2);

	if (!b) {
		fputs("doccheck: out of memory\n", stderr);
		exit(2);
	}
	memcpy(b + *len, s, n);
	*len += n;
	b[(*len)++] = '\n';
	b[*len] = '\0';
	*buf = b;
}

/* The rendered diagnostics (cleared); "" when there are none. */
static char *take_diags(gb_ctx *ctx)
{
	char *s = gb_diag_render(ctx);

	gb_diag_clear(ctx);
	return s;
}

static char *trim(char *s)
{
	char *e = s + strlen(s);

	while (*s == ' ' || *s == '\t')
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* The comment of a line: the first '#' (grad) or unescaped '%' (latex). */
static char *comment_of(char *s, bool latex)
{
	for (char *p = s; *p; p++)
		if (latex ? (*p == '%' && (p == s || p[-1] != '\\')) : *p == '#')
			return p;
	return NULL;
}

typedef struct block {
	gb_ctx *ctx;
	bool latex;
	unsigned start;		/* line of the opening fence */
	char *prog;		/* program lines not loaded yet */
	size_t prog_len;
} block;

/* Loads the program lines gathered so far; false after a message. */
static bool load_pending(block *b, unsigned line)
{
	bool ok = true;

	if (b->prog_len) {
		if (gb_load(b->ctx, path, b->prog, b->prog_len) != GB_OK) {
			char *d = take_diags(b->ctx);

			fail(line, "the grad block of line %u does not load:\n%s",
			     b->start, d ? d : "");
			gb_free(d);
			ok = false;
		}
		b->prog_len = 0;
	}
	return ok;
}

static gb_status parse(block *b, const char *text, const gb_node **out)
{
	if (b->latex)
		return gb_parse_latex(b->ctx, "<doc>", text, strlen(text), out);
	return gb_parse(b->ctx, "<doc>", text, strlen(text), out);
}

/* One annotated example. */
static void check_line(block *b, unsigned line, char *expr, char *note)
{
	const gb_node *e, *o;
	gb_status st;
	char *d;

	checks++;
	if (!load_pending(b, line))
		return;
	if (strncmp(note, "error:", 6) == 0) {
		const char *want = trim(note + 6);

		st = parse(b, expr, &e);
		d = take_diags(b->ctx);
		if (st == GB_OK)
			fail(line, "'%s' is accepted, but the document says it is an error", expr);
		else if (!d || !strstr(d, want))
			fail(line, "'%s': the diagnostic does not say '%s':\n%s", expr,
			     want, d ? d : "");
		gb_free(d);
		return;
	}
	st = parse(b, expr, &e);
	d = take_diags(b->ctx);
	if (st != GB_OK) {
		fail(line, "'%s' is rejected:\n%s", expr, d ? d : "");
		gb_free(d);
		return;
	}
	if (strncmp(note, "warning:", 8) == 0) {
		const char *want = trim(note + 8);

		if (!d || !strstr(d, want))
			fail(line, "'%s': no warning saying '%s':\n%s", expr, want,
			     d ? d : "");
	} else if (strncmp(note, "->", 2) == 0) {
		const char *want = trim(note + 2);
		char *got = gb_print(b->ctx, e);

		if (!got || strcmp(got, want) != 0)
			fail(line, "'%s' prints as '%s', the document says '%s'",
			     expr, got ? got : "(null)", want);
		gb_free(got);
	} else if (note[0] == '=') {
		const char *other = trim(note + 1);

		if (gb_parse(b->ctx, "<doc>", other, strlen(other), &o) != GB_OK) {
			gb_free(d);
			d = take_diags(b->ctx);
			fail(line, "the meaning '%s' is rejected:\n%s", other,
			     d ? d : "");
		} else if (o != e) {
			char *pe = gb_print(b->ctx, e), *po = gb_print(b->ctx, o);

			fail(line, "'%s' is %s, not %s as the document says", expr,
			     pe ? pe : "?", po ? po : "?");
			gb_free(pe);
			gb_free(po);
		}
	} else {
		fail(line, "unknown annotation '%s' (= -> error: warning:)", note);
	}
	gb_free(d);
}

static void end_block(block *b, unsigned line)
{
	if (b->ctx) {
		load_pending(b, line);
		gb_ctx_free(b->ctx);
	}
	free(b->prog);
	memset(b, 0, sizeof *b);
}

static void body_line(block *b, unsigned line, char *text)
{
	char *c = comment_of(text, b->latex);
	char *note = c ? trim(c + 1) : NULL;
	bool annotated = note && (note[0] == '=' || strncmp(note, "->", 2) == 0 ||
				  strncmp(note, "error:", 6) == 0 ||
				  strncmp(note, "warning:", 8) == 0);
	char *expr;

	if (annotated)
		*c = '\0';
	expr = trim(text);
	if (b->latex)
		append(&latex_text, &latex_len, expr, strlen(expr));
	else
		append(&grad_text, &grad_len, expr, strlen(expr));
	if (annotated) {
		check_line(b, line, expr, note);
	} else if (b->latex) {
		const gb_node *e;

		if (!*expr)
			return;
		checks++;
		if (parse(b, expr, &e) != GB_OK) {
			char *d = take_diags(b->ctx);

			fail(line, "'%s' is rejected:\n%s", expr, d ? d : "");
			gb_free(d);
		}
		gb_diag_clear(b->ctx);
	} else {
		append(&b->prog, &b->prog_len, expr, strlen(expr));
	}
}

/* Does the text of the grad blocks use a function: "name(" after a
 * non-name character? */
static bool calls(const char *text, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = strstr(text, name); p; p = strstr(p + 1, name)) {
		bool start = p == text || !(p[-1] == '_' ||
					    (p[-1] >= 'a' && p[-1] <= 'z') ||
					    (p[-1] >= 'A' && p[-1] <= 'Z') ||
					    (p[-1] >= '0' && p[-1] <= '9'));

		if (start && p[n] == '(')
			return true;
	}
	return false;
}

int main(int argc, char **argv)
{
	FILE *f;
	char buf[4096];
	unsigned line = 0;
	bool in_fence = false;
	block b = { 0 };

	if (argc != 2) {
		fputs("usage: doccheck FILE.md\n", stderr);
		return 2;
	}
	path = argv[1];
	f = fopen(path, "r");
	if (!f) {
		perror(path);
		return 2;
	}
	while (fgets(buf, sizeof buf, f)) {
		char *s;

		line++;
		buf[strcspn(buf, "\n")] = '\0';
		s = trim(buf);
		if (strncmp(s, "```", 3) == 0) {
			if (in_fence) {
				end_block(&b, line);
				in_fence = false;
				continue;
			}
			in_fence = true;
			if (strcmp(s + 3, "grad") == 0 || strcmp(s + 3, "latex") == 0) {
				b.latex = s[3] == 'l';
				b.start = line;
				b.ctx = gb_ctx_new();
				if (!b.ctx) {
					fputs("doccheck: out of memory\n", stderr);
					return 2;
				}
			}
			continue;
		}
		if (in_fence && b.ctx)
			body_line(&b, line, buf);
	}
	fclose(f);
	if (in_fence)
		fail(line, "a code block is not closed");
	end_block(&b, line);

	for (size_t i = 0; i < COUNT(fn_names); i++) {
		if (!grad_text || !calls(grad_text, fn_names[i]))
			fail(line, "function '%s' (grammar/functions.def) has no ```grad example",
			     fn_names[i]);
		if (!latex_text || !strstr(latex_text, fn_latex[i]))
			fail(line, "LaTeX '%s' of '%s' (grammar/functions.def) has no ```latex example",
			     fn_latex[i], fn_names[i]);
	}
	for (size_t i = 0; i < COUNT(op_plain); i++) {
		if (!grad_text || !strstr(grad_text, op_plain[i]))
			fail(line, "operator '%s' (grammar/operators.def) has no ```grad example",
			     op_plain[i]);
		if (op_latex[i] && (!latex_text || !strstr(latex_text, op_latex[i])))
			fail(line, "LaTeX operator '%s' (grammar/operators.def) has no ```latex example",
			     op_latex[i]);
	}
	free(grad_text);
	free(latex_text);
	printf("doccheck: %s: %d examples, %d failure%s\n", path, checks,
	       failures, failures == 1 ? "" : "s");
	return failures ? 1 : 0;
}
