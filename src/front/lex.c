/*
 * lex.c - the lexer of the plain syntax (see lex.h, grammar/gradbox.ebnf).
 *
 * One function, gb_lex_next, reads one token at a time; all state is the
 * position in the gb_lexer. Bad input becomes a TK_ERROR token after a
 * diagnostic at its exact bytes, so the parser never needs to describe a
 * character it cannot name.
 *
 * Non-ASCII input must be valid UTF-8. Greek letters (and a few other
 * letters mathematicians write) are identifier characters spelled in
 * ASCII: "α_1" is the name alpha_1. A few symbols have an ASCII
 * equivalent: ⊙ is '.*', ≤ '<=', ≥ '>=', ≠ '!=', − (U+2212) '-'.
 */
#include "front/lex.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "front/diag.h"

const char *gb_tok_name(gb_tok_kind kind)
{
	static const char *const names[TK_COUNT] = {
#define X(k, desc) [TK_##k] = desc,
		GB_TOKENS(X)
#undef X
	};

	return (unsigned)kind < TK_COUNT ? names[kind] : "token";
}

/* Letters read as part of identifiers, with their ASCII spelling. */
static const struct letter {
	uint32_t cp;
	const char *name;
} letters[] = {
	{ 0x00b5, "mu" },	/* MICRO SIGN, as typed on many keyboards */
	{ 0x0391, "Alpha" }, { 0x0392, "Beta" }, { 0x0393, "Gamma" },
	{ 0x0394, "Delta" }, { 0x0395, "Epsilon" }, { 0x0396, "Zeta" },
	{ 0x0397, "Eta" }, { 0x0398, "Theta" }, { 0x0399, "Iota" },
	{ 0x039a, "Kappa" }, { 0x039b, "Lambda" }, { 0x039c, "Mu" },
	{ 0x039d, "Nu" }, { 0x039e, "Xi" }, { 0x039f, "Omicron" },
	{ 0x03a0, "Pi" }, { 0x03a1, "Rho" }, { 0x03a3, "Sigma" },
	{ 0x03a4, "Tau" }, { 0x03a5, "Upsilon" }, { 0x03a6, "Phi" },
	{ 0x03a7, "Chi" }, { 0x03a8, "Psi" }, { 0x03a9, "Omega" },
	{ 0x03b1, "alpha" }, { 0x03b2, "beta" }, { 0x03b3, "gamma" },
	{ 0x03b4, "delta" }, { 0x03b5, "epsilon" }, { 0x03b6, "zeta" },
	{ 0x03b7, "eta" }, { 0x03b8, "theta" }, { 0x03b9, "iota" },
	{ 0x03ba, "kappa" }, { 0x03bb, "lambda" }, { 0x03bc, "mu" },
	{ 0x03bd, "nu" }, { 0x03be, "xi" }, { 0x03bf, "omicron" },
	{ 0x03c0, "pi" }, { 0x03c1, "rho" }, { 0x03c2, "sigma" },
	{ 0x03c3, "sigma" }, { 0x03c4, "tau" }, { 0x03c5, "upsilon" },
	{ 0x03c6, "phi" }, { 0x03c7, "chi" }, { 0x03c8, "psi" },
	{ 0x03c9, "omega" },
	/* Variant forms name the same letter: ϑ, ϕ, ϵ. */
	{ 0x03d1, "theta" }, { 0x03d5, "phi" }, { 0x03f5, "epsilon" },
	{ 0x2113, "ell" },	/* SCRIPT SMALL L */
};

/* Symbols that stand for an ASCII operator. */
static const struct symbol {
	uint32_t cp;
	gb_tok_kind kind;
} symbols[] = {
	{ 0x2212, TK_MINUS },	/* − MINUS SIGN */
	{ 0x2260, TK_NE },	/* ≠ */
	{ 0x2264, TK_LE },	/* ≤ */
	{ 0x2265, TK_GE },	/* ≥ */
	{ 0x2299, TK_DOTSTAR },	/* ⊙ CIRCLED DOT OPERATOR: Hadamard */
};

/* The ASCII name of letter cp, or NULL if cp is no identifier letter. */
static const char *letter_name(uint32_t cp)
{
	size_t i;

	for (i = 0; i < sizeof letters / sizeof letters[0]; i++)
		if (letters[i].cp == cp)
			return letters[i].name;
	return NULL;
}

/*
 * Decodes the UTF-8 sequence at s[0..n) into *cp and returns its length,
 * or 0 when it is not well-formed (overlong forms, surrogates and values
 * above U+10FFFF included).
 */
static uint32_t utf8_decode(const unsigned char *s, uint32_t n, uint32_t *cp)
{
	uint32_t len, c, i, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xe0) == 0xc0) {
		len = 2, c = s[0] & 0x1fu, min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3, c = s[0] & 0x0fu, min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4, c = s[0] & 0x07u, min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3fu);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* A name begins with a letter (so that every name has a LaTeX spelling)
 * and goes on with letters, digits and '_'. */
static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alnum(int c)
{
	return is_alpha(c) || is_digit(c) || c == '_';
}

/* The byte at off, or 0 past the end (the text is NUL-terminated). */
static int at(const gb_lexer *lx, uint32_t off)
{
	return off < lx->src->len ? (unsigned char)lx->src->text[off] : 0;
}

void gb_lex_init(gb_lexer *lx, gb_ctx *ctx, const gb_source *src)
{
	lx->ctx = ctx;
	lx->src = src;
	lx->pos = 0;
}

static gb_token make(gb_tok_kind kind, uint32_t off, uint32_t len)
{
	gb_token t;

	t.kind = kind;
	t.span.off = off;
	t.span.len = len;
	t.text = NULL;
	t.text_len = 0;
	return t;
}

/*
 * The TK_ERROR token over [off, off+len), which the caller has just
 * diagnosed; lexing resumes after it.
 */
static gb_token error_token(gb_lexer *lx, uint32_t off, uint32_t len)
{
	lx->pos = off + len;
	return make(TK_ERROR, off, len);
}

static void lex_error(gb_lexer *lx, uint32_t off, uint32_t len,
		      const char *fmt, ...) GB_PRINTF(4, 5);

/* Reports an error at [off, off+len) (a gb_error with the lexer's source). */
static void lex_error(gb_lexer *lx, uint32_t off, uint32_t len,
		      const char *fmt, ...)
{
	va_list ap;
	char msg[128];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);	/* all short, see callers */
	va_end(ap);
	gb_error(lx->ctx, lx->src, (gb_span){ off, len }, "%s", msg);
}

/*
 * The length of the identifier character at off (1 for ASCII, 2-3 for a
 * letter of the table), or 0 when there is none there. *name receives
 * the ASCII spelling of a non-ASCII letter.
 */
static uint32_t ident_char(const gb_lexer *lx, uint32_t off, int first,
			   const char **name)
{
	const gb_source *src = lx->src;
	uint32_t cp, n;
	int c = at(lx, off);

	*name = NULL;
	if (c < 0x80) {
		if (first ? is_alpha(c) : is_alnum(c))
			return 1;
		return 0;
	}
	n = utf8_decode((const unsigned char *)src->text + off,
			src->len - off, &cp);
	if (n && (*name = letter_name(cp)) != NULL)
		return n;
	return 0;
}

/*
 * ident -> letter { letter | digit }
 * The token's text is the name in ASCII, NUL-terminated, in the arena.
 * "and" and "or" are keywords; other reserved words are the parser's.
 */
static gb_token lex_ident(gb_lexer *lx, uint32_t start)
{
	const char *s = lx->src->text;
	uint32_t pos = start, n, len = 0;
	const char *greek;
	bool underscore = false;
	gb_token t;
	char *text;

	/*
	 * The common name is all ASCII: its spelling is its bytes, found in
	 * one pass. At a non-ASCII byte (a Greek letter, or the start being
	 * one) the general two-pass scan below starts over.
	 */
	while (pos < lx->src->len && is_alnum((unsigned char)s[pos])) {
		underscore |= s[pos] == '_';
		pos++;
	}
	if (pos < lx->src->len && (unsigned char)s[pos] >= 0x80) {
		/* First pass: find the end and the length of the ASCII
		 * spelling. */
		underscore = true;	/* not tracked here: check below */
		for (pos = start;
		     (n = ident_char(lx, pos, pos == start, &greek)) != 0;
		     pos += n)
			len += greek ? (uint32_t)strlen(greek) : 1;
	} else {
		len = pos - start;
	}
	t = make(TK_NAME, start, pos - start);
	lx->pos = pos;
	if (t.span.len == 3 && !memcmp(lx->src->text + start, "and", 3))
		t.kind = TK_AND;
	else if (t.span.len == 2 && !memcmp(lx->src->text + start, "or", 2))
		t.kind = TK_OR;
	if (t.kind != TK_NAME)
		return t;

	text = gb_ctx_tmp(lx->ctx, (size_t)len + 1);
	if (!text)
		return make(TK_EOF, start, 0);	/* out of memory: stop */
	if (len == pos - start && !underscore) {
		memcpy(text, s + start, len);	/* the ASCII name */
		text[len] = '\0';
		t.text = text;
		t.text_len = len;
		return t;	/* no '_': neither rule below applies */
	}
	len = 0;
	for (pos = start; pos < lx->pos; pos += n) {
		n = ident_char(lx, pos, pos == start, &greek);
		if (greek) {
			size_t g = strlen(greek);

			memcpy(text + len, greek, g);
			len += (uint32_t)g;
		} else {
			text[len++] = lx->src->text[pos];
		}
	}
	text[len] = '\0';
	t.text = text;
	t.text_len = len;
	/*
	 * W_1 is the name W1: a subscript of digits joins the name, as in
	 * LaTeX, where both are W_{1}.
	 */
	{
		char *us = strrchr(text, '_');

		if (us && us[1] && strspn(us + 1, "0123456789") == strlen(us + 1)) {
			memmove(us, us + 1, strlen(us + 1) + 1);
			len--;
			t.text_len = len;
		}
	}
	/*
	 * A '_' joins a name to a subscript (x_i, W_1): it must be followed
	 * by a letter or digit, so that every name has a LaTeX spelling.
	 */
	for (uint32_t i = 0; i < len; i++)
		if (text[i] == '_' && (i + 1 == len || text[i + 1] == '_')) {
			lex_error(lx, start, lx->pos - start,
				  "a '_' in the name '%s' must be followed by a "
				  "letter or digit", text);
			return error_token(lx, start, lx->pos - start);
		}
	return t;
}

/*
 * number -> digits [ '.' digits ] [ exponent ]  |  '.' digits [ exponent ]
 * exponent -> ('e' | 'E') [ '+' | '-' ] digits
 *
 * A '.' after the digits belongs to the number only before a digit, so
 * that 2.*x is 2 .* x. An 'e' followed by a letter ends the number (2exp
 * is 2 then exp, which the parser reports as a missing '*'). Anything
 * else that glues onto a number ("1e", "1e+", "1.", "1.5.2") makes a
 * malformed number.
 */
static gb_token lex_number(gb_lexer *lx, uint32_t start)
{
	uint32_t pos = start, j, n;
	int bad = 0;
	gb_token t;
	char *text;

	while (is_digit(at(lx, pos)))
		pos++;
	if (at(lx, pos) == '.') {
		if (is_digit(at(lx, pos + 1))) {
			pos++;
			while (is_digit(at(lx, pos)))
				pos++;
		} else if (at(lx, pos + 1) != '*' && at(lx, pos + 1) != '^') {
			pos++;
			bad = 1;
		}
	}
	if (!bad && (at(lx, pos) == 'e' || at(lx, pos) == 'E')) {
		j = pos + 1;
		if (at(lx, j) == '+' || at(lx, j) == '-')
			j++;
		if (is_digit(at(lx, j))) {
			pos = j;
			while (is_digit(at(lx, pos)))
				pos++;
		} else if (j == pos + 1 && is_alpha(at(lx, j))) {
			/* 2exp(x): a name follows; not an exponent */
		} else {
			pos = j;
			bad = 1;
		}
	}
	if (!bad && at(lx, pos) == '.' && is_digit(at(lx, pos + 1)))
		bad = 1;		/* a second fraction: 1.5.2 */
	if (bad) {
		while (is_alnum(at(lx, pos)) || at(lx, pos) == '.')
			pos++;
		n = pos - start > 40 ? 40 : pos - start;
		lex_error(lx, start, pos - start, "malformed number '%.*s%s'",
			  (int)n, lx->src->text + start,
			  n < pos - start ? "..." : "");
		return error_token(lx, start, pos - start);
	}

	t = make(TK_NUM, start, pos - start);
	lx->pos = pos;
	/* A NUL-terminated copy, ready for mpq_set_str in lowering. */
	text = gb_arena_strndup(lx->ctx->tmp, lx->src->text + start,
				pos - start);
	if (!text) {
		lx->ctx->oom = true;
		return make(TK_EOF, start, 0);
	}
	t.text = text;
	t.text_len = pos - start;
	return t;
}

/* string -> '"' { any character but '"' and newline } '"' */
static gb_token lex_string(gb_lexer *lx, uint32_t start)
{
	uint32_t pos = start + 1;
	gb_token t;
	char *text;

	while (pos < lx->src->len && at(lx, pos) != '"' && at(lx, pos) != '\n')
		pos++;
	if (at(lx, pos) != '"') {
		lex_error(lx, start, pos - start,
			  "unterminated string: expected '\"' before %s",
			  pos < lx->src->len ? "end of line" : "end of input");
		return error_token(lx, start, pos - start);
	}
	t = make(TK_STRING, start, pos + 1 - start);
	lx->pos = pos + 1;
	text = gb_arena_strndup(lx->ctx->tmp, lx->src->text + start + 1,
				pos - start - 1);
	if (!text) {
		lx->ctx->oom = true;
		return make(TK_EOF, start, 0);
	}
	t.text = text;
	t.text_len = pos - start - 1;
	return t;
}

/*
 * A non-ASCII character at start: an identifier letter, an operator
 * symbol, or an error naming the character or the bad byte.
 */
static gb_token lex_unicode(gb_lexer *lx, uint32_t start)
{
	const gb_source *src = lx->src;
	uint32_t cp, n, i;

	n = utf8_decode((const unsigned char *)src->text + start,
			src->len - start, &cp);
	if (!n) {
		lex_error(lx, start, 1, "invalid UTF-8 byte 0x%02x",
			  (unsigned)at(lx, start));
		return error_token(lx, start, 1);
	}
	if (letter_name(cp))
		return lex_ident(lx, start);
	for (i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
		if (symbols[i].cp == cp) {
			lx->pos = start + n;
			return make(symbols[i].kind, start, n);
		}
	}
	lex_error(lx, start, n, "invalid character '%.*s' (U+%04lX)", (int)n,
		  src->text + start, (unsigned long)cp);
	return error_token(lx, start, n);
}

/*
 * The end of input is reported at the end of the last line that has
 * text, so "expected ')', found end of input" points just past the
 * last character rather than at an empty line after it.
 */
static gb_token lex_eof(gb_lexer *lx)
{
	uint32_t end = lx->src->len;

	while (end > 0) {
		int c = at(lx, end - 1);

		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			break;
		end--;
	}
	lx->pos = lx->src->len;
	return make(TK_EOF, end, 0);
}

gb_token gb_lex_next(gb_lexer *lx)
{
	uint32_t start;
	int c;

	/* Blanks, comments, and CR (so CR LF ends a line like LF). */
	for (;;) {
		c = at(lx, lx->pos);
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' ||
		    c == '\v') {
			lx->pos++;
		} else if (c == '#') {
			while (lx->pos < lx->src->len &&
			       at(lx, lx->pos) != '\n')
				lx->pos++;
		} else {
			break;
		}
	}
	start = lx->pos;
	if (start >= lx->src->len)
		return lex_eof(lx);

	lx->pos = start + 1;	/* most tokens are one byte */
	switch (c) {
	case '\n':
		return make(TK_NEWLINE, start, 1);
	case ';':
		return make(TK_SEMI, start, 1);
	case '(':
		return make(TK_LPAREN, start, 1);
	case ')':
		return make(TK_RPAREN, start, 1);
	case '[':
		return make(TK_LBRACK, start, 1);
	case ']':
		return make(TK_RBRACK, start, 1);
	case ',':
		return make(TK_COMMA, start, 1);
	case ':':
		return make(TK_COLON, start, 1);
	case '+':
		return make(TK_PLUS, start, 1);
	case '-':
		return make(TK_MINUS, start, 1);
	case '*':
		return make(TK_STAR, start, 1);
	case '/':
		return make(TK_SLASH, start, 1);
	case '^':
		return make(TK_CARET, start, 1);
	case '\'':
		return make(TK_QUOTE, start, 1);
	case '"':
		return lex_string(lx, start);
	case '=':
		if (at(lx, start + 1) == '=') {
			lx->pos = start + 2;
			return make(TK_EQEQ, start, 2);
		}
		return make(TK_ASSIGN, start, 1);
	case '<':
	case '>':
		if (at(lx, start + 1) == '=') {
			lx->pos = start + 2;
			return make(c == '<' ? TK_LE : TK_GE, start, 2);
		}
		return make(c == '<' ? TK_LT : TK_GT, start, 1);
	case '!':
		if (at(lx, start + 1) == '=') {
			lx->pos = start + 2;
			return make(TK_NE, start, 2);
		}
		lex_error(lx, start, 1,
			  "invalid character '!': use '!=' for 'not equal'");
		return error_token(lx, start, 1);
	case '.':
		if (at(lx, start + 1) == '*') {
			lx->pos = start + 2;
			return make(TK_DOTSTAR, start, 2);
		}
		if (at(lx, start + 1) == '^') {
			lx->pos = start + 2;
			return make(TK_DOTCARET, start, 2);
		}
		if (is_digit(at(lx, start + 1)))
			return lex_number(lx, start);
		lex_error(lx, start, 1, "invalid character '.'");
		return error_token(lx, start, 1);
	case '\0':
		lex_error(lx, start, 1, "NUL byte in input");
		return error_token(lx, start, 1);
	default:
		break;
	}
	if (is_digit(c))
		return lex_number(lx, start);
	if (is_alpha(c))
		return lex_ident(lx, start);
	if (c >= 0x80)
		return lex_unicode(lx, start);
	if (c < 0x20 || c == 0x7f) {
		lex_error(lx, start, 1, "invalid character U+%04X",
			  (unsigned)c);
		return error_token(lx, start, 1);
	}
	if (c == '_')
		lex_error(lx, start, 1,
			  "invalid character '_': a name begins with a letter");
	else
		lex_error(lx, start, 1, "invalid character '%c'", c);
	return error_token(lx, start, 1);
}
