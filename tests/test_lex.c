/*
 * test_lex.c - the lexer of the plain syntax: tokens, spans, Greek names,
 * numbers, and every lexical diagnostic with its rendered caret.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "gradbox.h"
#include "testutil.h"
#include "core/ctx.h"
#include "core/strbuf.h"
#include "front/diag.h"
#include "front/lex.h"
#include "front/source.h"

/*
 * The tokens of text, one word each: punctuation by its message name
 * ('+'), names and numbers as name:TEXT and num:TEXT, strings as
 * str:TEXT, NL for a newline, ERR for an error token. EOF is left out.
 */
static void lex_dump(gb_ctx *ctx, const char *text, size_t len,
		     gb_strbuf *out)
{
	gb_source *src = gb_source_new(ctx, "t.grad", text, len);
	gb_lexer lx;
	gb_token t;

	assert_non_null(src);
	gb_lex_init(&lx, ctx, src);
	for (;;) {
		t = gb_lex_next(&lx);
		if (t.kind == TK_EOF)
			break;
		if (out->len)
			gb_sb_putc(out, ' ');
		switch (t.kind) {
		case TK_NAME:
			gb_sb_printf(out, "name:%s", t.text);
			assert_int_equal(strlen(t.text), t.text_len);
			break;
		case TK_NUM:
			gb_sb_printf(out, "num:%s", t.text);
			break;
		case TK_STRING:
			gb_sb_printf(out, "str:%s", t.text);
			break;
		case TK_NEWLINE:
			gb_sb_puts(out, "NL");
			break;
		case TK_ERROR:
			gb_sb_puts(out, "ERR");
			break;
		default:
			gb_sb_puts(out, gb_tok_name(t.kind));
			break;
		}
	}
}

struct lex_case {
	const char *id;		/* stable; never renumbered */
	const char *text;
	const char *want;
};

static const struct lex_case lex_cases[] = {
	{ "lex-1.1", "x^2 + 1", "name:x '^' num:2 '+' num:1" },
	{ "lex-1.2", "a*b/c-d", "name:a '*' name:b '/' name:c '-' name:d" },
	{ "lex-1.3", "W .* x ⊙ y", "name:W '.*' name:x '.*' name:y" },
	{ "lex-1.4", "x .^ 2", "name:x '.^' num:2" },
	{ "lex-1.5", "W'*x'", "name:W ''' '*' name:x '''" },
	{ "lex-1.6", "a<b<=c>d>=e==f!=g",
	  "name:a '<' name:b '<=' name:c '>' name:d '>=' name:e '==' "
	  "name:f '!=' name:g" },
	{ "lex-1.7", "x = 1; y", "name:x '=' num:1 ';' name:y" },
	{ "lex-1.8", "f(a, b)[c]: d",
	  "name:f '(' name:a ',' name:b ')' '[' name:c ']' ':' name:d" },
	{ "lex-1.9", "x and y or z", "name:x 'and' name:y 'or' name:z" },
	{ "lex-1.10", "android order", "name:android name:order" },
	{ "lex-1.11", "\"2.1\" x", "str:2.1 name:x" },
	{ "lex-1.12", "x ≤ y ≥ z ≠ w − v",
	  "name:x '<=' name:y '>=' name:z '!=' name:w '-' name:v" },

	/* Numbers keep their spelling; lowering makes them exact. */
	{ "lex-2.1", "0.1 1e-400 2.5E+3 .5 7",
	  "num:0.1 num:1e-400 num:2.5E+3 num:.5 num:7" },
	{ "lex-2.2", "2.*x", "num:2 '.*' name:x" },
	{ "lex-2.3", "2.^x", "num:2 '.^' name:x" },
	{ "lex-2.4", "2x", "num:2 name:x" },
	{ "lex-2.5", "2exp(x)", "num:2 name:exp '(' name:x ')'" },
	{ "lex-2.6", "1e", "ERR" },
	{ "lex-2.7", "1e+ 2", "ERR num:2" },
	{ "lex-2.8", "1.5.2", "ERR" },
	{ "lex-2.9", "12345678901234567890.000000000000000000001",
	  "num:12345678901234567890.000000000000000000001" },

	/* Greek letters are read as their ASCII names. */
	{ "lex-3.1", "α β γ δ ε ζ η θ ι κ λ μ ν ξ π ρ σ τ υ φ χ ψ ω",
	  "name:alpha name:beta name:gamma name:delta name:epsilon "
	  "name:zeta name:eta name:theta name:iota name:kappa name:lambda "
	  "name:mu name:nu name:xi name:pi name:rho name:sigma name:tau "
	  "name:upsilon name:phi name:chi name:psi name:omega" },
	{ "lex-3.2", "Γ Δ Θ Λ Ξ Π Σ Φ Ψ Ω",
	  "name:Gamma name:Delta name:Theta name:Lambda name:Xi name:Pi "
	  "name:Sigma name:Phi name:Psi name:Omega" },
	{ "lex-3.3", "α_1 xβ ℓ2 σ(x)",
	  "name:alpha1 name:xbeta name:ell2 name:sigma '(' name:x ')'" },

	/* Layout: comments, CR LF, blank lines. */
	{ "lex-4.1", "x # a comment\ny", "name:x NL name:y" },
	{ "lex-4.2", "x\r\ny\r\n", "name:x NL name:y NL" },
	{ "lex-4.3", "\n\n  x\t\n", "NL NL name:x NL" },
	{ "lex-4.4", "", "" },
	{ "lex-4.5", "# only a comment", "" },

	/* Bad characters give an error token and lexing goes on. */
	{ "lex-5.1", "x $ y", "name:x ERR name:y" },
	{ "lex-5.2", "x \xff y", "name:x ERR name:y" },
	{ "lex-5.3", "x é", "name:x ERR" },
	{ "lex-5.4", "\"abc", "ERR" },
	{ "lex-5.5", "a!b", "name:a ERR name:b" },
	{ "lex-5.6", "a.b", "name:a ERR name:b" },
};

static void test_lex_tokens(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof lex_cases / sizeof lex_cases[0]; i++) {
		const struct lex_case *c = &lex_cases[i];
		gb_ctx *ctx = tu_ctx();
		gb_strbuf out;

		gb_sb_init(&out, NULL);
		lex_dump(ctx, c->text, strlen(c->text), &out);
		if (strcmp(gb_sb_str(&out), c->want) != 0)
			fail_msg("%s: lex(\"%s\")\n  got  %s\n  want %s", c->id,
				 c->text, gb_sb_str(&out), c->want);
		gb_sb_free(&out);
		gb_ctx_free(ctx);
	}
}

/* Every lexical error message, rendered exactly. */
struct lex_diag_case {
	const char *id;
	const char *text;
	size_t len;		/* 0: strlen(text) */
	const char *want;
};

static const struct lex_diag_case diag_cases[] = {
	{ "lex-6.1", "x + $y", 0,
	  "t.grad:1:5: error: invalid character '$'\n"
	  "    1 | x + $y\n"
	  "      |     ^\n" },
	{ "lex-6.2", "x\xff", 0,
	  "t.grad:1:2: error: invalid UTF-8 byte 0xff\n"
	  "    1 | x\xff\n"
	  "      |  ^\n" },
	{ "lex-6.3", "a\0b", 3,
	  "t.grad:1:2: error: NUL byte in input\n"
	  "    1 | a?b\n"	/* control bytes are shown as '?' */
	  "      |  ^\n" },
	{ "lex-6.4", "y = 1e + 2", 0,
	  "t.grad:1:5: error: malformed number '1e'\n"
	  "    1 | y = 1e + 2\n"
	  "      |     ^~\n" },
	{ "lex-6.5", "\tz = 1.5.2", 0,
	  "t.grad:1:6: error: malformed number '1.5.2'\n"
	  "    1 | \tz = 1.5.2\n"
	  "      | \t    ^~~~~\n" },
	{ "lex-6.6", "α é", 0,
	  "t.grad:1:4: error: invalid character 'é' (U+00E9)\n"
	  "    1 | α é\n"
	  "      |   ^\n" },
	{ "lex-6.7", "s = \"abc\nt", 0,
	  "t.grad:1:5: error: unterminated string: expected '\"' before "
	  "end of line\n"
	  "    1 | s = \"abc\n"
	  "      |     ^~~~\n" },
	{ "lex-6.8", "a ! b", 0,
	  "t.grad:1:3: error: invalid character '!': use '!=' for "
	  "'not equal'\n"
	  "    1 | a ! b\n"
	  "      |   ^\n" },
	{ "lex-6.9", "x\x01", 0,
	  "t.grad:1:2: error: invalid character U+0001\n"
	  "    1 | x?\n"
	  "      |  ^\n" },
	{ "lex-6.10", "x\r\n1.\r\n", 0,
	  "t.grad:2:1: error: malformed number '1.'\n"
	  "    2 | 1.\n"
	  "      | ^~\n" },
};

static void test_lex_diags(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof diag_cases / sizeof diag_cases[0]; i++) {
		const struct lex_diag_case *c = &diag_cases[i];
		size_t len = c->len ? c->len : strlen(c->text);
		gb_ctx *ctx = tu_ctx();
		gb_strbuf out;
		char *got;
		size_t want_len = strlen(c->want);

		gb_sb_init(&out, NULL);
		lex_dump(ctx, c->text, len, &out);
		gb_sb_free(&out);
		got = gb_diag_render(ctx);
		assert_non_null(got);
		if (memcmp(got, c->want, want_len) != 0 ||
		    strlen(got) < strlen(c->want))
			fail_msg("%s: diagnostics for \"%s\"\n--- got\n%s--- "
				 "want\n%s", c->id, c->text, got, c->want);
		assert_int_equal(gb_diag_errors(ctx), 1);
		gb_free(got);
		gb_ctx_free(ctx);
	}
}

/* Spans are byte ranges: a Greek name spans its UTF-8 bytes. */
static void test_lex_spans(void **state)
{
	gb_ctx *ctx = tu_ctx();
	const char *text = "σ(x)  + 10.25\n";
	gb_source *src = gb_source_new(ctx, "t", text, strlen(text));
	gb_lexer lx;
	gb_token t;
	static const struct {
		gb_tok_kind kind;
		uint32_t off, len;
	} want[] = {
		{ TK_NAME, 0, 2 }, { TK_LPAREN, 2, 1 }, { TK_NAME, 3, 1 },
		{ TK_RPAREN, 4, 1 }, { TK_PLUS, 7, 1 }, { TK_NUM, 9, 5 },
		{ TK_NEWLINE, 14, 1 }, { TK_EOF, 14, 0 },
	};
	size_t i;

	(void)state;
	assert_non_null(src);
	gb_lex_init(&lx, ctx, src);
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		t = gb_lex_next(&lx);
		if (t.kind != want[i].kind || t.span.off != want[i].off ||
		    t.span.len != want[i].len)
			fail_msg("lex-7.%zu: token %s at %u+%u, want %s at "
				 "%u+%u", i + 1, gb_tok_name(t.kind),
				 t.span.off, t.span.len,
				 gb_tok_name(want[i].kind), want[i].off,
				 want[i].len);
	}
	/* After the end, the end again. */
	t = gb_lex_next(&lx);
	assert_int_equal(t.kind, TK_EOF);
	gb_ctx_free(ctx);
}

/* Sources: line table, CR LF, locate, join, the input-size limit. */
static void test_source(void **state)
{
	gb_ctx *ctx = tu_ctx();
	const char *text = "ab\r\ncd\n\nlast";
	gb_source *src = gb_source_new(ctx, "s", text, strlen(text));
	gb_linecol lc;
	uint32_t len;
	const char *line;
	gb_span j;
	char *got;

	(void)state;
	assert_non_null(src);
	assert_int_equal(src->nlines, 4);
	line = gb_source_line(src, 1, &len);
	assert_int_equal(len, 2);
	assert_memory_equal(line, "ab", 2);
	line = gb_source_line(src, 3, &len);
	assert_int_equal(len, 0);
	line = gb_source_line(src, 4, &len);
	assert_int_equal(len, 4);
	assert_memory_equal(line, "last", 4);
	lc = gb_source_locate(src, 5);		/* the 'd' */
	assert_int_equal(lc.line, 2);
	assert_int_equal(lc.col, 2);
	lc = gb_source_locate(src, src->len);
	assert_int_equal(lc.line, 4);
	assert_int_equal(lc.col, 5);
	j = gb_span_join((gb_span){ 3, 2 }, (gb_span){ 9, 4 });
	assert_int_equal(j.off, 3);
	assert_int_equal(j.len, 10);
	assert_ptr_equal(ctx->sources, src);

	/* Too long: refused with a diagnostic that has no source line. */
	ctx->limits.max_input = 4;
	assert_null(gb_source_new(ctx, "big.grad", "12345", 5));
	got = gb_diag_render(ctx);
	assert_string_equal(got, "gradbox: error: input 'big.grad' is too "
			    "long: 5 bytes, the limit is 4\n");
	gb_free(got);
	assert_int_equal(gb_diag_errors(ctx), 1);
	gb_diag_clear(ctx);
	assert_int_equal(gb_diag_errors(ctx), 0);
	got = gb_diag_render(ctx);
	assert_string_equal(got, "");
	gb_free(got);
	gb_ctx_free(ctx);
}

/* Notes attach to the diagnostic before them and render after it. */
static void test_diag_notes(void **state)
{
	gb_ctx *ctx = tu_ctx();
	const char *text = "f(x,\n  y";
	gb_source *src = gb_source_new(ctx, "n.grad", text, strlen(text));
	char *got;

	(void)state;
	assert_non_null(src);
	gb_error(ctx, src, (gb_span){ 8, 0 }, "expected %s", "')'");
	gb_note(ctx, src, (gb_span){ 1, 1 }, "'(' opened here");
	gb_warning(ctx, NULL, (gb_span){ 0, 0 }, "just a warning");
	got = gb_diag_render(ctx);
	assert_string_equal(got,
			    "n.grad:2:4: error: expected ')'\n"
			    "    2 |   y\n"
			    "      |    ^\n"
			    "n.grad:1:2: note: '(' opened here\n"
			    "    1 | f(x,\n"
			    "      |  ^\n"
			    "gradbox: warning: just a warning\n");
	assert_int_equal(gb_diag_errors(ctx), 1);
	gb_free(got);
	gb_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lex_tokens),
		cmocka_unit_test(test_lex_diags),
		cmocka_unit_test(test_lex_spans),
		cmocka_unit_test(test_source),
		cmocka_unit_test(test_diag_notes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
