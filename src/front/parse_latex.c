/*
 * parse_latex.c - the LaTeX front end (grammar/latex.ebnf).
 *
 * A student's answer as typed in an answer box, read into the syntax
 * trees of the plain syntax (front/ast.h), so lowering, shapes and
 * diagnostics are shared. Everything output/latex.c writes reads back to
 * the same node.
 *
 * Structure. A small lexer of its own (TeX's tokens are not the plain
 * syntax's: every letter is a token, a control word is a token, \text{..}
 * and \left( are read whole) feeds a Pratt loop whose binding powers come
 * from grammar/operators.def, like front/parse.c. Juxtaposition is a
 * multiplication at the binding power of '*'. Scripts (^, _) attach to
 * the atom before them, as in TeX. The lexer is pure (a token is a
 * function of a byte offset), so looking ahead is lexing again, and it
 * reports nothing: a bad token is an L_ERROR the parser diagnoses where
 * it meets it.
 *
 * Reading decisions (the grammar's comments give the rest):
 *   - a run of letters is a product of one-letter names (xy is x*y), as
 *     in TeX; multi-letter names are \mathrm{loss}. A run that spells a
 *     built-in function (exp, relu) is an error with the fix;
 *   - x(...) is a product unless x is a function: \sigma, \exp, \log,
 *     \operatorname{..}, a built-in in \mathrm{..} or \text{..}. A space
 *     command (\, \;) between a function name and '(' makes it a product
 *     again: the printer writes \sigma \, (1 + x) for the symbol sigma;
 *   - e^{u} is exp(u); ^T, ^\top, ^{T}, ^\intercal are transposes;
 *   - subscripts name: W_{1} is W1, x_{i} is x_i, \hat{W}_{2} is W2hat;
 *     bold is not part of a name;
 *   - a single token is a script: x^10 is x^{1}0 (warned), e^-x is an
 *     error, as TeX has it;
 *   - '=' is the comparison ==; a < b < c is a < b and b < c; in a cases
 *     condition ',' and \text{and} are `and`, \text{or} is `or`.
 *
 * Errors: the first error ends the parse (NULL); depth is bounded by
 * gb_latex_max_depth(ctx), counted in parse_expr as in parse.c (and in the
 * two other recursions that do not pass through it: a function's bare
 * argument and a name inside \hat{..} or \mathbf{..}), and every tree's
 * height is kept within it.
 */
#include "front/parse_latex.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/strbuf.h"
#include "front/diag.h"
#include "front/parse.h"	/* GB_PREC_UNARY */

#if defined(__GNUC__)
#define GB_COLD __attribute__((noinline, cold))
#define GB_NOINLINE __attribute__((noinline))
#else
#define GB_COLD
#define GB_NOINLINE
#endif

/* ------------------------------------------------------------- tokens */

typedef enum ltk {
	L_EOF, L_NUM, L_LETTER, L_CMD, L_WORD, L_LBRACE, L_RBRACE, L_LPAREN,
	L_RPAREN, L_LBRACK, L_RBRACK, L_CARET, L_SUB, L_PLUS, L_MINUS, L_STAR,
	L_SLASH, L_EQ, L_LT, L_GT, L_COMMA, L_DOT, L_AMP, L_BAR, L_ROW,
	L_LEFT, L_RIGHT, L_BEGIN, L_END, L_ERROR
} ltk;

/* What an L_ERROR token is. */
typedef enum lerr {
	E_CHAR,		/* a character that starts no token */
	E_DELIM,	/* \left, \right or \big without a delimiter */
	E_WORD,		/* \text{...} not followed by '{' */
	E_WORD_OPEN,	/* \text{... without '}' */
	E_WORD_CHAR,	/* \text{ a \cmd or a brace inside } */
	E_ENV		/* \begin / \end without {name} */
} lerr;

/* The three kinds of L_WORD. */
/* \mathit{..} is always a name: the printer's spelling of a variable
 * whose name a function also has (ln, Max). */
enum { W_TEXT, W_ROMAN, W_OPNAME, W_ITALIC };

typedef struct ltok {
	uint8_t kind;	/* ltk */
	uint8_t aux;	/* L_LEFT, L_RIGHT: the delimiter ( ) [ ] | { } . ;
			 * L_WORD: W_*; L_ERROR: lerr */
	bool spaced;	/* an explicit space (\, \; \quad ~) came before */
	gb_span span;	/* the whole token (for \big(: the delimiter) */
	uint32_t next;	/* where lexing continues */
	uint32_t off, len;	/* L_CMD: the name without '\'; L_WORD: the
				 * contents of the braces; L_BEGIN, L_END:
				 * the environment's name */
} ltok;

static bool is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool word_is(const char *s, uint32_t n, const char *w)
{
	return gb_str_is(s, n, w);
}

/* Control words that only space or size, and so are skipped. */
static bool is_space_cmd(const char *s, uint32_t n)
{
	static const char *const w[] = {
		"quad", "qquad", "displaystyle", "textstyle", "enspace",
		"thinspace", "medspace", "thickspace", "negthinspace",
	};

	if (n == 1)
		return strchr(",;:!> ", s[0]) != NULL;
	for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
		if (word_is(s, n, w[i]))
			return true;
	return false;
}

/* \big, \Bigl, \biggr, ...: a size for the delimiter that follows. */
static bool is_big_cmd(const char *s, uint32_t n)
{
	if (n >= 4 && (s[n - 1] == 'l' || s[n - 1] == 'r' || s[n - 1] == 'm'))
		n--;
	return word_is(s, n, "big") || word_is(s, n, "Big") ||
	       word_is(s, n, "bigg") || word_is(s, n, "Bigg");
}

static uint8_t word_kind(const char *s, uint32_t n, bool *is_word)
{
	*is_word = true;
	if (word_is(s, n, "text") || word_is(s, n, "textrm") ||
	    word_is(s, n, "mbox") || word_is(s, n, "textnormal") ||
	    word_is(s, n, "textit"))
		return W_TEXT;
	if (word_is(s, n, "mathrm"))
		return W_ROMAN;
	if (word_is(s, n, "mathit"))
		return W_ITALIC;
	if (word_is(s, n, "operatorname"))
		return W_OPNAME;
	*is_word = false;
	return 0;
}

typedef struct llex {
	const char *s;
	uint32_t end;
} llex;

/* The length of the control sequence at s[pos] == '\\' (name only). */
static uint32_t cmd_len(const llex *lx, uint32_t pos)
{
	uint32_t i = pos + 1;

	if (i >= lx->end)
		return 0;
	if (!is_letter(lx->s[i]))
		return 1;
	while (i < lx->end && is_letter(lx->s[i]))
		i++;
	return i - pos - 1;
}

static uint32_t skip_blanks(const llex *lx, uint32_t pos)
{
	while (pos < lx->end && is_blank(lx->s[pos]))
		pos++;
	return pos;
}

/* The delimiter after \left or \right at pos, in *d; its end, or 0. */
static uint32_t lex_delim(const llex *lx, uint32_t pos, uint8_t *d)
{
	uint32_t n;

	pos = skip_blanks(lx, pos);
	if (pos >= lx->end)
		return 0;
	if (strchr("()[]|.", lx->s[pos])) {
		*d = (uint8_t)lx->s[pos];
		return pos + 1;
	}
	if (lx->s[pos] != '\\')
		return 0;
	n = cmd_len(lx, pos);
	if (word_is(lx->s + pos + 1, n, "{") || word_is(lx->s + pos + 1, n, "}"))
		*d = (uint8_t)lx->s[pos + 1];
	else if (word_is(lx->s + pos + 1, n, "lvert") ||
		 word_is(lx->s + pos + 1, n, "rvert") ||
		 word_is(lx->s + pos + 1, n, "vert"))
		*d = '|';
	else
		return 0;
	return pos + 1 + n;
}

/* {contents} of \text, \mathrm, \begin...: the token's off and len. */
static void lex_braced(const llex *lx, ltok *t, uint32_t pos, bool env)
{
	uint32_t i;

	pos = skip_blanks(lx, pos);
	if (pos >= lx->end || lx->s[pos] != '{') {
		t->kind = L_ERROR;
		t->aux = env ? E_ENV : E_WORD;
		return;
	}
	t->off = pos + 1;
	for (i = pos + 1; i < lx->end && lx->s[i] != '}'; i++) {
		char c = lx->s[i];

		if (env && !is_letter(c) && c != '*') {
			t->kind = L_ERROR;
			t->aux = E_ENV;
			return;
		}
		if (c == '{' || (c == '\\' && !(i + 1 < lx->end &&
						 strchr("_ ,;", lx->s[i + 1])))) {
			t->kind = L_ERROR;
			t->aux = E_WORD_CHAR;
			t->span = (gb_span){ i, 1 };
			t->next = i + 1;
			return;
		}
		if (c == '\\')
			i++;
	}
	if (i >= lx->end) {
		t->kind = L_ERROR;
		t->aux = env ? E_ENV : E_WORD_OPEN;
		return;
	}
	t->len = i - t->off;
	t->next = i + 1;
	t->span.len = t->next - t->span.off;
}

/*
 * The token at pos: blanks and space commands before it are skipped (an
 * explicit one sets spaced), \big-family sizes are dropped.
 */
static ltok lex_at(const llex *lx, uint32_t pos)
{
	static const char single[] = "{}()[]^_+-*/=<>,.&|";
	static const uint8_t kinds[] = {
		L_LBRACE, L_RBRACE, L_LPAREN, L_RPAREN, L_LBRACK, L_RBRACK,
		L_CARET, L_SUB, L_PLUS, L_MINUS, L_STAR, L_SLASH, L_EQ, L_LT,
		L_GT, L_COMMA, L_DOT, L_AMP, L_BAR,
	};
	ltok t;
	bool big = false;
	uint32_t big_at = 0;

	memset(&t, 0, sizeof t);
	for (;;) {
		const char *s = lx->s;
		uint32_t n;

		while (pos < lx->end && (is_blank(s[pos]) || s[pos] == '~')) {
			if (s[pos] == '~')
				t.spaced = true;
			pos++;
		}
		t.span = (gb_span){ pos, 1 };
		t.next = pos + 1;
		if (pos >= lx->end) {
			t.kind = L_EOF;
			t.span.len = 0;
			t.next = pos;
			break;
		}
		if (s[pos] != '\\') {
			const char *k = strchr(single, s[pos]);

			if (is_digit(s[pos])) {
				uint32_t i = pos;

				while (i < lx->end && is_digit(s[i]))
					i++;
				if (i + 1 < lx->end && s[i] == '.' &&
				    is_digit(s[i + 1]))
					for (i++; i < lx->end && is_digit(s[i]);)
						i++;
				t.kind = L_NUM;
				t.span.len = i - pos;
				t.next = i;
			} else if (is_letter(s[pos])) {
				t.kind = L_LETTER;
			} else if (k && s[pos]) {
				t.kind = kinds[k - single];
			} else {
				uint32_t i = pos + 1;

				if ((unsigned char)s[pos] >= 0xc0)
					while (i < lx->end &&
					       ((unsigned char)s[i] & 0xc0) == 0x80)
						i++;
				t.kind = L_ERROR;
				t.aux = E_CHAR;
				t.span.len = i - pos;
				t.next = i;
			}
			break;
		}
		n = cmd_len(lx, pos);
		t.off = pos + 1;
		t.len = n;
		t.span.len = n + 1;
		t.next = pos + 1 + n;
		if (n == 0) {			/* a lone '\' at the end */
			t.kind = L_ERROR;
			t.aux = E_CHAR;
			break;
		}
		if (is_space_cmd(s + pos + 1, n)) {
			t.spaced = true;
			pos = t.next;
			continue;
		}
		if (is_big_cmd(s + pos + 1, n) && !big) {
			big = true;
			big_at = pos;
			pos = t.next;
			continue;
		}
		if (n == 1 && s[pos + 1] == '\\') {
			t.kind = L_ROW;
		} else if (word_is(s + pos + 1, n, "left") ||
			   word_is(s + pos + 1, n, "right")) {
			uint32_t e = lex_delim(lx, t.next, &t.aux);

			t.kind = s[pos + 1] == 'l' ? L_LEFT : L_RIGHT;
			if (!e) {
				t.kind = L_ERROR;
				t.aux = E_DELIM;
			} else {
				t.next = e;
				t.span.len = e - pos;
			}
		} else if (word_is(s + pos + 1, n, "begin") ||
			   word_is(s + pos + 1, n, "end")) {
			t.kind = s[pos + 1] == 'b' ? L_BEGIN : L_END;
			lex_braced(lx, &t, t.next, true);
		} else if (word_is(s + pos + 1, n, "vert") ||
			   word_is(s + pos + 1, n, "mid")) {
			t.kind = L_BAR;
		} else {
			bool w;
			uint8_t wk = word_kind(s + pos + 1, n, &w);

			t.kind = w ? L_WORD : L_CMD;
			if (w) {
				t.aux = wk;
				lex_braced(lx, &t, t.next, false);
			}
		}
		break;
	}
	if (big) {			/* \big( ... : a delimiter must follow */
		bool ok = t.kind == L_LPAREN || t.kind == L_RPAREN ||
			  t.kind == L_LBRACK || t.kind == L_RBRACK ||
			  t.kind == L_BAR;

		if (t.kind == L_CMD)
			ok = word_is(lx->s + t.off, t.len, "lvert") ||
			     word_is(lx->s + t.off, t.len, "rvert") ||
			     word_is(lx->s + t.off, t.len, "{") ||
			     word_is(lx->s + t.off, t.len, "}");
		if (!ok) {
			t.kind = L_ERROR;
			t.aux = E_DELIM;
			t.span = (gb_span){ big_at, cmd_len(lx, big_at) + 1 };
		}
	}
	return t;
}

/* ----------------------------------------------------------- commands */

typedef enum cclass {
	C_NONE, C_GREEK, C_FUNC, C_FRAC, C_SQRT, C_BOLD, C_ACCENT, C_OP,
	C_TOP, C_LVERT, C_RVERT, C_LSET, C_RSET, C_DOTS
} cclass;

typedef struct cmdinfo {
	const char *name;
	uint8_t cls;		/* cclass */
	uint8_t op;		/* C_OP: gb_op */
	const char *arg;	/* C_GREEK: the name; C_FUNC: the function;
				 * C_ACCENT: the name suffix */
} cmdinfo;

static const cmdinfo cmds[] = {
	{ "alpha", C_GREEK, 0, "alpha" }, { "beta", C_GREEK, 0, "beta" },
	{ "gamma", C_GREEK, 0, "gamma" }, { "delta", C_GREEK, 0, "delta" },
	{ "epsilon", C_GREEK, 0, "epsilon" },
	{ "varepsilon", C_GREEK, 0, "varepsilon" },
	{ "zeta", C_GREEK, 0, "zeta" }, { "eta", C_GREEK, 0, "eta" },
	{ "theta", C_GREEK, 0, "theta" }, { "vartheta", C_GREEK, 0, "vartheta" },
	{ "iota", C_GREEK, 0, "iota" }, { "kappa", C_GREEK, 0, "kappa" },
	{ "lambda", C_GREEK, 0, "lambda" }, { "mu", C_GREEK, 0, "mu" },
	{ "nu", C_GREEK, 0, "nu" }, { "xi", C_GREEK, 0, "xi" },
	{ "pi", C_GREEK, 0, "pi" }, { "rho", C_GREEK, 0, "rho" },
	{ "sigma", C_GREEK, 0, "sigma" }, { "tau", C_GREEK, 0, "tau" },
	{ "upsilon", C_GREEK, 0, "upsilon" }, { "phi", C_GREEK, 0, "phi" },
	{ "varphi", C_GREEK, 0, "varphi" }, { "chi", C_GREEK, 0, "chi" },
	{ "psi", C_GREEK, 0, "psi" }, { "omega", C_GREEK, 0, "omega" },
	{ "Gamma", C_GREEK, 0, "Gamma" }, { "Delta", C_GREEK, 0, "Delta" },
	{ "Theta", C_GREEK, 0, "Theta" }, { "Lambda", C_GREEK, 0, "Lambda" },
	{ "Xi", C_GREEK, 0, "Xi" }, { "Pi", C_GREEK, 0, "Pi" },
	{ "Sigma", C_GREEK, 0, "Sigma" }, { "Upsilon", C_GREEK, 0, "Upsilon" },
	{ "Phi", C_GREEK, 0, "Phi" }, { "Psi", C_GREEK, 0, "Psi" },
	{ "Omega", C_GREEK, 0, "Omega" }, { "ell", C_GREEK, 0, "ell" },
	{ "exp", C_FUNC, 0, "exp" }, { "log", C_FUNC, 0, "log" },
	{ "ln", C_FUNC, 0, "log" }, { "sin", C_FUNC, 0, "sin" },
	{ "cos", C_FUNC, 0, "cos" }, { "tan", C_FUNC, 0, "tan" },
	{ "arcsin", C_FUNC, 0, "asin" }, { "arccos", C_FUNC, 0, "acos" },
	{ "arctan", C_FUNC, 0, "atan" }, { "sinh", C_FUNC, 0, "sinh" },
	{ "cosh", C_FUNC, 0, "cosh" }, { "tanh", C_FUNC, 0, "tanh" },
	{ "max", C_FUNC, 0, "max" }, { "min", C_FUNC, 0, "min" },
	{ "frac", C_FRAC, 0, NULL }, { "dfrac", C_FRAC, 0, NULL },
	{ "tfrac", C_FRAC, 0, NULL }, { "sqrt", C_SQRT, 0, NULL },
	{ "mathbf", C_BOLD, 0, NULL }, { "bm", C_BOLD, 0, NULL },
	{ "boldsymbol", C_BOLD, 0, NULL }, { "mathbold", C_BOLD, 0, NULL },
	{ "hat", C_ACCENT, 0, "hat" }, { "widehat", C_ACCENT, 0, "hat" },
	{ "bar", C_ACCENT, 0, "bar" }, { "overline", C_ACCENT, 0, "bar" },
	{ "tilde", C_ACCENT, 0, "tilde" }, { "widetilde", C_ACCENT, 0, "tilde" },
	{ "cdot", C_OP, GB_OP_MUL, NULL }, { "times", C_OP, GB_OP_MUL, NULL },
	{ "div", C_OP, GB_OP_DIV, NULL },
	{ "odot", C_OP, GB_OP_HADAMARD, NULL },
	{ "circ", C_OP, GB_OP_HADAMARD, "circ" },
	{ "le", C_OP, GB_OP_LE, NULL }, { "leq", C_OP, GB_OP_LE, NULL },
	{ "leqslant", C_OP, GB_OP_LE, NULL }, { "ge", C_OP, GB_OP_GE, NULL },
	{ "geq", C_OP, GB_OP_GE, NULL }, { "geqslant", C_OP, GB_OP_GE, NULL },
	{ "lt", C_OP, GB_OP_LT, NULL }, { "gt", C_OP, GB_OP_GT, NULL },
	{ "ne", C_OP, GB_OP_NE, NULL }, { "neq", C_OP, GB_OP_NE, NULL },
	{ "land", C_OP, GB_OP_AND, NULL }, { "wedge", C_OP, GB_OP_AND, NULL },
	{ "lor", C_OP, GB_OP_OR, NULL }, { "vee", C_OP, GB_OP_OR, NULL },
	{ "top", C_TOP, 0, NULL }, { "intercal", C_TOP, 0, NULL },
	{ "lvert", C_LVERT, 0, NULL }, { "rvert", C_RVERT, 0, NULL },
	{ "{", C_LSET, 0, NULL }, { "}", C_RSET, 0, NULL },
};

/*
 * Function names as \operatorname{..}, \mathrm{..} or \text{..} spell
 * them, compared without case: the names of grammar/functions.def and
 * the printer's spellings of them.
 */
static const char *const fn_names[] = {
#define FN(id, name, lo, hi, latex, ev, d) name,
#include "functions.def"
#undef FN
};

static const char *const fn_alias[][2] = {
	{ "ln", "log" }, { "sgn", "sign" }, { "arsinh", "asinh" },
	{ "arcsinh", "asinh" }, { "arcosh", "acosh" }, { "arccosh", "acosh" },
	{ "artanh", "atanh" }, { "arctanh", "atanh" }, { "arcsin", "asin" },
	{ "arccos", "acos" }, { "arctan", "atan" },
};

static bool same_nocase(const char *a, uint32_t n, const char *b)
{
	if (strlen(b) != n)
		return false;
	for (uint32_t i = 0; i < n; i++) {
		char c = a[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != b[i])
			return false;
	}
	return true;
}

/* The built-in function s[0..n) names (any case), or NULL. */
static const char *builtin(const char *s, uint32_t n)
{
	for (size_t i = 0; i < sizeof fn_names / sizeof fn_names[0]; i++)
		if (same_nocase(s, n, fn_names[i]))
			return fn_names[i];
	for (size_t i = 0; i < sizeof fn_alias / sizeof fn_alias[0]; i++)
		if (same_nocase(s, n, fn_alias[i][0]))
			return fn_alias[i][1];
	return NULL;
}

bool gb_latex_is_function_word(const char *s, size_t n)
{
	return n <= UINT32_MAX && builtin(s, (uint32_t)n) != NULL;
}

/* ------------------------------------------------------------- parser */

enum { NAME_MAX_LEN = 200 };

typedef struct lparser {
	gb_ctx *ctx;
	const gb_source *src;
	llex lx;
	ltok tok;		/* the current token */
	uint32_t prev_end;	/* end of the last token consumed */
	bool failed;		/* an error has been reported */
	bool in_cond;		/* in a cases condition: ',' is `and` */
	uint32_t in_bar;	/* open |...| at this bracket level */
	uint32_t depth;		/* active parse_expr calls (and the like) */
	uint32_t max_depth;
	char name[NAME_MAX_LEN + 1];	/* the name being read */
	uint32_t nlen;
} lparser;

typedef struct astvec {
	gb_ast **v;
	uint32_t n, cap;
} astvec;

/* Binding powers by operator, from the one table. */
static const struct opinfo {
	uint8_t left, right;
} ops[GB_NOPS] = {
#define OP(name, tok, l, r, plain, latex) [GB_OP_##name] = { l, r },
#include "operators.def"
#undef OP
};

static gb_ast *parse_expr(lparser *p, unsigned limit);
static gb_ast *parse_scripted(lparser *p);

static void advance(lparser *p)
{
	p->prev_end = p->tok.span.off + p->tok.span.len;
	p->tok = lex_at(&p->lx, p->tok.next);
}

static ltok peek(const lparser *p)
{
	return lex_at(&p->lx, p->tok.next);
}

static gb_span span_from(const lparser *p, uint32_t start)
{
	return (gb_span){ start, p->prev_end - start };
}

static const cmdinfo *cmd_of(const lparser *p, const ltok *t)
{
	if (t->kind != L_CMD)
		return NULL;
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		if (word_is(p->lx.s + t->off, t->len, cmds[i].name))
			return &cmds[i];
	return NULL;
}

static cclass cls_of(const lparser *p, const ltok *t)
{
	const cmdinfo *c = cmd_of(p, t);

	return c ? (cclass)c->cls : C_NONE;
}

/*
 * The contents of an L_WORD, normalised into buf: for \text, trimmed;
 * for \mathrm and \operatorname, without spaces and with \_ as '_'.
 * Returns the length, or -1 when it does not fit.
 */
static int word_text(const lparser *p, const ltok *t, char *buf, size_t size)
{
	const char *s = p->lx.s + t->off;
	size_t n = 0;

	for (uint32_t i = 0; i < t->len; i++) {
		char c = s[i];

		if (c == '\\' && i + 1 < t->len) {
			c = s[++i] == '_' ? '_' : ' ';
		}
		if (is_blank(c)) {
			if (t->aux != W_TEXT || n == 0 || buf[n - 1] == ' ')
				continue;
			c = ' ';
		}
		if (n + 1 >= size)
			return -1;
		buf[n++] = c;
	}
	while (n > 0 && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
	return (int)n;
}

static bool word_eq(const lparser *p, const ltok *t, const char *w)
{
	char buf[32];
	int n;

	if (t->kind != L_WORD || t->aux != W_TEXT)
		return false;
	n = word_text(p, t, buf, sizeof buf);
	return n >= 0 && strcmp(buf, w) == 0;
}

/* \text{and}, \text{or}: conjunctions in a condition (else GB_OP_NONE). */
static unsigned word_op(const lparser *p, const ltok *t)
{
	if (word_eq(p, t, "and"))
		return GB_OP_AND;
	if (word_eq(p, t, "or"))
		return GB_OP_OR;
	return GB_OP_NONE;
}

/* \text{if}, \text{for}, \text{when}: the words before a condition. */
static bool word_if(const lparser *p, const ltok *t)
{
	return word_eq(p, t, "if") || word_eq(p, t, "for") ||
	       word_eq(p, t, "when") || word_eq(p, t, "if and only if");
}

static bool word_otherwise(const lparser *p, const ltok *t)
{
	return word_eq(p, t, "otherwise") || word_eq(p, t, "else") ||
	       word_eq(p, t, "otherwise.") || word_eq(p, t, "otherwise,");
}

/* ------------------------------------------------------------ messages */

/* The text of span for a message; false (and "...") when cut. */
static bool snippet(const lparser *p, gb_span span, char *buf, size_t size)
{
	const char *s = p->src->text + span.off;
	uint32_t n = span.len, max = (uint32_t)size - 4;
	const char *nl = memchr(s, '\n', n);
	bool whole = true;

	if (nl) {
		n = (uint32_t)(nl - s);
		whole = false;
	}
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		whole = false;
	}
	memcpy(buf, s, n);
	strcpy(buf + n, whole ? "" : "...");
	return whole;
}

/* How a token is named in messages: 'x', '\frac', end of input. */
static const char *describe(const lparser *p, const ltok *t, char *buf,
			    size_t size)
{
	char text[48];

	if (t->kind == L_EOF)
		return "end of input";
	snippet(p, t->span, text, sizeof text);
	snprintf(buf, size, "'%s'", text);
	return buf;
}

static bool syntax_error(lparser *p, gb_span span, const char *fmt, ...)
	GB_PRINTF(3, 4) GB_COLD;

/* Reports the parse's first error; true when this one was. */
static bool syntax_error(lparser *p, gb_span span, const char *fmt, ...)
{
	char msg[320];
	va_list ap;

	if (p->failed)
		return false;
	p->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	gb_error(p->ctx, p->src, span, "%s", msg);
	return true;
}

/* The message for a bad token from the lexer. */
static GB_COLD void lex_error(lparser *p, const ltok *t)
{
	char buf[64];

	switch ((lerr)t->aux) {
	case E_CHAR:
		if (p->lx.s[t->span.off] == '$')
			syntax_error(p, t->span, "'$' inside the expression: "
				     "write only the math, or wrap all of it "
				     "in $...$");
		else if (p->lx.s[t->span.off] == '\\')
			syntax_error(p, t->span, "'\\' at the end of input");
		else
			syntax_error(p, t->span, "unexpected character %s",
				     describe(p, t, buf, sizeof buf));
		break;
	case E_DELIM:
		snippet(p, (gb_span){ t->span.off, t->len + 1 }, buf,
			sizeof buf);
		syntax_error(p, (gb_span){ t->span.off, t->len + 1 },
			     "missing delimiter after '%s': write %s( or "
			     "%s[ or %s|", buf, buf, buf, buf);
		break;
	case E_WORD:
	case E_ENV:
		snippet(p, (gb_span){ t->span.off, t->len + 1 }, buf,
			sizeof buf);
		syntax_error(p, (gb_span){ t->span.off, t->len + 1 },
			     "expected '{name}' after '%s'", buf);
		break;
	case E_WORD_OPEN:
		snippet(p, (gb_span){ t->span.off, t->len + 1 }, buf,
			sizeof buf);
		syntax_error(p, (gb_span){ t->span.off, t->len + 1 },
			     "'%s{' is not closed by '}'", buf);
		break;
	case E_WORD_CHAR:
		syntax_error(p, t->span, "unsupported %s inside text: write "
			     "plain words in \\text{...}", p->lx.s[t->span.off]
			     == '{' ? "'{'" : "command");
		break;
	}
}

/* "expected WHAT, found TOKEN" at the current token. */
static GB_COLD void expected(lparser *p, const char *what)
{
	char buf[64];

	if (p->tok.kind == L_ERROR) {
		lex_error(p, &p->tok);
		return;
	}
	syntax_error(p, p->tok.span, "expected %s, found %s", what,
		     describe(p, &p->tok, buf, sizeof buf));
}

/*
 * A bracket opened at opener (spelled open) was not closed by close: the
 * error at the current token and a note at the opener.
 */
static GB_COLD void unclosed(lparser *p, const char *close, const char *open,
			     gb_span opener)
{
	char buf[64];

	if (p->tok.kind == L_ERROR) {
		lex_error(p, &p->tok);
		return;
	}
	if (syntax_error(p, p->tok.span, "expected '%s' to close '%s', "
			 "found %s", close, open,
			 describe(p, &p->tok, buf, sizeof buf)))
		gb_note(p->ctx, p->src, opener, "'%s' opened here", open);
}

static GB_COLD void too_deep(lparser *p, gb_span span)
{
	syntax_error(p, span, "expression nested too deeply (more than %lu "
		     "levels)", (unsigned long)p->max_depth);
}

static GB_COLD void unsupported(lparser *p, const ltok *t)
{
	char buf[64];

	snippet(p, t->span, buf, sizeof buf);
	syntax_error(p, t->span, "unsupported LaTeX command '%s'", buf);
}

/* --------------------------------------------------------------- trees */

static bool enter(lparser *p)
{
	if (p->depth >= p->max_depth) {
		too_deep(p, p->tok.span);
		return false;
	}
	p->depth++;
	return true;
}

static gb_ast *ast_new(lparser *p, gb_ast_kind kind, gb_span span,
		       uint32_t nargs)
{
	gb_ast *a = gb_ctx_tmp(p->ctx, sizeof *a + nargs * sizeof(gb_ast *));

	if (!a)
		return NULL;
	memset(a, 0, sizeof *a);
	a->kind = (uint8_t)kind;
	a->span = span;
	a->height = 1;
	a->nargs = nargs;
	a->args = nargs ? (gb_ast **)(a + 1) : NULL;
	return a;
}

/* Sets a's height; NULL (diagnosed at span) past the depth limit. */
static gb_ast *finish(lparser *p, gb_ast *a, gb_span span)
{
	uint32_t h = 0;

	for (uint32_t i = 0; i < a->nargs; i++)
		if (a->args[i]->height > h)
			h = a->args[i]->height;
	a->height = h + 1;
	if (a->height > p->max_depth) {
		too_deep(p, span);
		return NULL;
	}
	return a;
}

/* A copy of s[0..n) in the arena, NUL-terminated. */
static const char *dup(lparser *p, const char *s, size_t n)
{
	char *d = gb_ctx_tmp(p->ctx, n + 1);

	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* A leaf with text s[0..n) (copied). */
static gb_ast *ast_leaf(lparser *p, gb_ast_kind kind, gb_span span,
			const char *s, size_t n)
{
	gb_ast *a = ast_new(p, kind, span, 0);

	if (!a || !(a->text = dup(p, s, n)))
		return NULL;
	a->text_len = (uint32_t)n;
	return a;
}

static gb_ast *ast_unary(lparser *p, gb_ast_kind kind, gb_span span,
			 gb_ast *x)
{
	gb_ast *a;

	if (!x || !(a = ast_new(p, kind, span, 1)))
		return NULL;
	a->args[0] = x;
	return finish(p, a, span);
}

static gb_ast *ast_binary(lparser *p, unsigned op, gb_span op_span,
			  gb_ast *x, gb_ast *y)
{
	gb_ast *a;

	if (!x || !y)
		return NULL;
	a = ast_new(p, AST_BINARY, gb_span_join(x->span, y->span), 2);
	if (!a)
		return NULL;
	a->op = (uint8_t)op;
	a->args[0] = x;
	a->args[1] = y;
	return finish(p, a, op_span);
}

/* A call of the built-in or user function fn with the collected args. */
static gb_ast *ast_call(lparser *p, const char *fn, gb_span name_span,
			gb_span span, const astvec *v)
{
	gb_ast *a = ast_new(p, AST_CALL, span, 0);

	if (!a)
		return NULL;
	a->nargs = v->n;
	a->args = v->v;
	a->name_span = name_span;
	if (!(a->text = dup(p, fn, strlen(fn))))
		return NULL;
	a->text_len = (uint32_t)strlen(fn);
	return finish(p, a, span);
}

static bool vec_push(lparser *p, astvec *v, gb_ast *a)
{
	if (!a)
		return false;
	if (v->n == v->cap) {
		uint32_t cap = v->cap ? 2 * v->cap : 4;
		gb_ast **nv = gb_ctx_tmp(p->ctx, cap * sizeof *nv);

		if (!nv)
			return false;
		if (v->n)
			memcpy(nv, v->v, v->n * sizeof *nv);
		v->v = nv;
		v->cap = cap;
	}
	v->v[v->n++] = a;
	return true;
}

/* --------------------------------------------------------------- names */

static bool name_put(lparser *p, const char *s, size_t n, gb_span at)
{
	if (p->nlen + n > NAME_MAX_LEN) {
		syntax_error(p, at, "name too long (more than %d characters)",
			     NAME_MAX_LEN);
		return false;
	}
	memcpy(p->name + p->nlen, s, n);
	p->nlen += (uint32_t)n;
	p->name[p->nlen] = '\0';
	return true;
}

static bool read_name(lparser *p, bool in_sub);

/*
 * The letters and digits of a subscript, appended to the name:
 * sub -> digit | letter | greek | '{' { digits | name } '}'
 * TeX takes one token after '_': x_12 is x_{1}2, warned.
 */
static bool read_sub(lparser *p)
{
	ltok t = p->tok;
	char buf[64];

	if (t.kind == L_NUM) {
		const char *s = p->lx.s + t.span.off;
		uint32_t n = 1;

		if (t.span.len > 1 && is_digit(s[1])) {
			gb_warning(p->ctx, p->src, t.span, "_%.*s is _{%c}%.*s "
				   "in TeX; write _{%.*s}", (int)t.span.len, s,
				   s[0], (int)t.span.len - 1, s + 1,
				   (int)t.span.len, s);
		} else if (t.span.len > 1) {
			syntax_error(p, t.span, "a subscript of more than one "
				     "token needs braces: write _{%.*s}",
				     (int)t.span.len, s);
			return false;
		}
		if (!name_put(p, s, n, t.span))
			return false;
		p->prev_end = t.span.off + 1;
		p->tok = lex_at(&p->lx, t.span.off + 1);
		return true;
	}
	if (t.kind != L_LBRACE)
		return read_name(p, true);
	advance(p);
	if (p->tok.kind == L_RBRACE) {
		expected(p, "a subscript");
		return false;
	}
	while (p->tok.kind != L_RBRACE) {
		if (p->tok.kind == L_NUM) {
			if (!is_digit(p->lx.s[p->tok.span.off + p->tok.span.len -
					      1]) ||
			    memchr(p->lx.s + p->tok.span.off, '.',
				   p->tok.span.len)) {
				syntax_error(p, p->tok.span, "a subscript of a "
					     "name holds letters and digits, "
					     "found %s", describe(p, &p->tok,
					     buf, sizeof buf));
				return false;
			}
			if (!name_put(p, p->lx.s + p->tok.span.off,
				      p->tok.span.len, p->tok.span))
				return false;
			advance(p);
		} else if (p->tok.kind == L_LETTER || p->tok.kind == L_WORD ||
			   cls_of(p, &p->tok) == C_GREEK ||
			   cls_of(p, &p->tok) == C_BOLD ||
			   cls_of(p, &p->tok) == C_ACCENT) {
			if (!read_name(p, true))
				return false;
		} else if (p->tok.kind == L_EOF) {
			unclosed(p, "}", "{", t.span);
			return false;
		} else if (p->tok.kind == L_ERROR) {
			lex_error(p, &p->tok);
			return false;
		} else {
			syntax_error(p, p->tok.span, "a subscript of a name "
				     "holds letters and digits, found %s",
				     describe(p, &p->tok, buf, sizeof buf));
			return false;
		}
	}
	advance(p);
	return true;
}

/*
 * name  -> base [ '_' sub ]
 * base  -> letter | greek | '\mathrm{' word '}' | bold '{' name '}'
 *        | accent ( '{' name '}' | letter | greek )
 * Appends the name to p->name: W_{1} is W1, x_{i} is x_i, \hat{W}_{2}
 * is W2hat (an accent's suffix goes after the subscript, the printer's
 * rule), \mathbf{W} is W.
 */
static bool read_name(lparser *p, bool in_sub)
{
	const cmdinfo *c = cmd_of(p, &p->tok);
	const char *suffix = NULL;
	ltok t = p->tok;
	char word[NAME_MAX_LEN + 1];
	uint32_t at;
	bool ok = false;

	if (!enter(p))
		return false;
	if (t.kind == L_LETTER) {
		ok = name_put(p, p->lx.s + t.span.off, 1, t.span);
		advance(p);
	} else if (t.kind == L_WORD) {
		int n = word_text(p, &t, word, sizeof word);

		for (int i = 0; n > 0 && i < n; i++)
			if (!is_letter(word[i]) && !is_digit(word[i]) &&
			    word[i] != '_')
				n = -1;
		if (n <= 0 || (!in_sub && !is_letter(word[0]))) {
			char buf[64];

			syntax_error(p, t.span, "expected a name, found %s",
				     describe(p, &t, buf, sizeof buf));
			goto out;
		}
		ok = name_put(p, word, (size_t)n, t.span);
		advance(p);
	} else if (c && c->cls == C_GREEK) {
		ok = name_put(p, c->arg, strlen(c->arg), t.span);
		advance(p);
	} else if (c && (c->cls == C_BOLD || c->cls == C_ACCENT)) {
		advance(p);
		if (c->cls == C_ACCENT)
			suffix = c->arg;
		if (p->tok.kind == L_LBRACE) {
			gb_span open = p->tok.span;

			advance(p);
			do {
				if (!read_name(p, in_sub))
					goto out;
			} while (p->tok.kind == L_LETTER ||
				 cls_of(p, &p->tok) == C_GREEK);
			if (p->tok.kind != L_RBRACE) {
				if (p->tok.kind == L_EOF)
					unclosed(p, "}", "{", open);
				else
					expected(p, "'}' after the name");
				goto out;
			}
			advance(p);
			ok = true;
		} else if (p->tok.kind == L_LETTER ||
			   cls_of(p, &p->tok) == C_GREEK) {
			ok = read_name(p, in_sub);
		} else {
			char buf[64];

			snippet(p, t.span, buf, sizeof buf);
			syntax_error(p, p->tok.span, "expected a name after "
				     "'%s'", buf);
		}
	} else if (t.kind == L_ERROR) {
		lex_error(p, &t);
	} else {
		expected(p, "a name");
	}
	if (!ok)
		goto out;
	if (p->tok.kind == L_SUB) {
		advance(p);
		at = p->nlen;
		if (!name_put(p, "_", 1, p->tok.span) || !read_sub(p)) {
			ok = false;
			goto out;
		}
		{
			bool digits = true;

			for (uint32_t i = at + 1; i < p->nlen; i++)
				if (!is_digit(p->name[i]))
					digits = false;
			if (digits) {	/* W_{1} is W1 */
				memmove(p->name + at, p->name + at + 1,
					p->nlen - at);
				p->nlen--;
			}
		}
		if (p->tok.kind == L_SUB) {
			syntax_error(p, p->tok.span, "double subscript: write "
				     "x_{ij} or x_{i_{j}}");
			ok = false;
			goto out;
		}
	}
	if (suffix)
		ok = name_put(p, suffix, strlen(suffix), t.span);
out:
	p->depth--;
	return ok;
}

/* ---------------------------------------------------------- expressions */

/* Does the token start an operand (so that after an expression it is a
 * juxtaposed factor)? */
static bool starts_operand(const lparser *p, const ltok *t)
{
	switch ((ltk)t->kind) {
	case L_NUM:
	case L_LETTER:
	case L_LBRACE:
	case L_LPAREN:
	case L_LBRACK:
	case L_BEGIN:
		return true;
	case L_LEFT:
		return t->aux == '(' || t->aux == '[' || t->aux == '|' ||
		       t->aux == '{';
	case L_BAR:
		return p->in_bar == 0;
	case L_WORD:
		return word_op(p, t) == GB_OP_NONE && !word_if(p, t) &&
		       !word_otherwise(p, t);
	case L_CMD:
		switch (cls_of(p, t)) {
		case C_OP:
		case C_TOP:
		case C_RVERT:
		case C_RSET:
			return false;
		default:
			return true;	/* unknown: reported as unsupported */
		}
	default:
		return false;
	}
}

/* Is the token a function: \exp, \operatorname{..}, \mathrm{relu}? */
static const char *function_token(const lparser *p, const ltok *t)
{
	const cmdinfo *c = cmd_of(p, t);
	char w[NAME_MAX_LEN + 1];
	int n;

	if (c && c->cls == C_FUNC)
		return c->arg;
	if (t->kind != L_WORD || t->aux == W_ITALIC)
		return NULL;
	n = word_text(p, t, w, sizeof w);
	if (n <= 0)
		return NULL;
	return builtin(w, (uint32_t)n);
}

/* Is the token an opening parenthesis: '(' or \left( ? */
static bool is_open_paren(const ltok *t)
{
	return t->kind == L_LPAREN || (t->kind == L_LEFT && t->aux == '(');
}

/*
 * A group closed by the matching bracket: '(' ')', '[' ']', '{' '}',
 * \{ \}, \left( \right), \lvert \rvert, '|' '|'. Returns the inner
 * expression (spanning the brackets, flagged AST_F_PAREN unless a TeX
 * brace group) or NULL. abs: the group is an absolute value.
 */
static gb_ast *parse_group(lparser *p)
{
	ltok open = p->tok;
	bool in_cond = p->in_cond, abs = false;
	uint32_t in_bar = p->in_bar;
	const char *close_s = ")";
	char open_s[32];
	gb_ast *e;
	bool ok;

	snippet(p, open.span, open_s, sizeof open_s);
	switch ((ltk)open.kind) {
	case L_LPAREN:
		break;
	case L_LBRACK:
		close_s = "]";
		break;
	case L_LBRACE:
		close_s = "}";
		break;
	case L_BAR:
		close_s = "|";
		abs = true;
		break;
	case L_LEFT:
		close_s = open.aux == '(' ? "\\right)" :
			  open.aux == '[' ? "\\right]" :
			  open.aux == '{' ? "\\right\\}" : "\\right|";
		abs = open.aux == '|';
		break;
	default:			/* \lvert, \{ */
		if (cls_of(p, &open) == C_LVERT) {
			close_s = "\\rvert";
			abs = true;
		} else {
			close_s = "\\}";
		}
		break;
	}
	advance(p);
	p->in_cond = false;
	p->in_bar = open.kind == L_BAR ? 1 : 0;
	e = parse_expr(p, 0);
	p->in_cond = in_cond;
	p->in_bar = in_bar;
	if (!e)
		return NULL;
	switch ((ltk)open.kind) {
	case L_LPAREN:
		ok = p->tok.kind == L_RPAREN;
		break;
	case L_LBRACK:
		ok = p->tok.kind == L_RBRACK;
		break;
	case L_LBRACE:
		ok = p->tok.kind == L_RBRACE;
		break;
	case L_BAR:
		ok = p->tok.kind == L_BAR;
		break;
	case L_LEFT:
		ok = p->tok.kind == L_RIGHT &&
		     p->tok.aux == (open.aux == '(' ? ')' : open.aux == '[' ?
				    ']' : open.aux == '{' ? '}' : '|');
		break;
	default:
		ok = cls_of(p, &p->tok) == (abs ? C_RVERT : C_RSET);
		break;
	}
	if (!ok) {
		unclosed(p, close_s, open_s, open.span);
		return NULL;
	}
	advance(p);
	if (abs) {
		astvec v = { NULL, 0, 0 };

		if (!vec_push(p, &v, e))
			return NULL;
		return ast_call(p, "abs", open.span, span_from(p,
				open.span.off), &v);
	}
	if (open.kind != L_LBRACE)
		e->flags |= AST_F_PAREN;
	e->span = span_from(p, open.span.off);
	return e;
}

/*
 * arg -> '{' expr '}' | digit | letter | greek
 * An argument of \frac or \sqrt: TeX takes one token without braces
 * (\frac12 is 1/2).
 */
static gb_ast *parse_arg(lparser *p, const char *of)
{
	ltok t = p->tok;
	char what[64];

	if (t.kind == L_LBRACE)
		return parse_group(p);
	if (t.kind == L_NUM) {
		p->prev_end = t.span.off + 1;
		p->tok = lex_at(&p->lx, t.span.off + 1);
		return ast_leaf(p, AST_NUM, (gb_span){ t.span.off, 1 },
				p->lx.s + t.span.off, 1);
	}
	if (t.kind == L_LETTER || cls_of(p, &t) == C_GREEK) {
		const cmdinfo *c = cmd_of(p, &t);

		advance(p);
		return c ? ast_leaf(p, AST_NAME, t.span, c->arg,
				    strlen(c->arg)) :
			   ast_leaf(p, AST_NAME, t.span, p->lx.s + t.span.off,
				    1);
	}
	snprintf(what, sizeof what, "'{' and an argument of '%s'", of);
	expected(p, what);
	return NULL;
}

/* The first leaf of a product or power (d in d^{2} y). */
static const gb_ast *leftmost(const gb_ast *a)
{
	while (a->kind == AST_BINARY &&
	       (a->op == GB_OP_MUL || a->op == GB_OP_POW))
		a = a->args[0];
	return a;
}

static bool is_d(const gb_ast *a)
{
	return a->kind == AST_NAME && a->text_len == 1 && a->text[0] == 'd';
}

/*
 * frac -> ('\frac' | '\dfrac' | '\tfrac') arg arg
 * \frac{d}{dx} and \frac{\mathrm{d}y}{\mathrm{d}x} are derivatives, not
 * quotients: an error rather than a misreading.
 */
static GB_NOINLINE gb_ast *parse_frac(lparser *p)
{
	ltok cmd = p->tok;
	char name[16];
	gb_ast *num, *den, *a;

	snippet(p, cmd.span, name, sizeof name);
	advance(p);
	if (!(num = parse_arg(p, name)) || !(den = parse_arg(p, name)))
		return NULL;
	if (is_d(leftmost(num)) && den->kind == AST_BINARY &&
	    den->op == GB_OP_MUL && is_d(leftmost(den))) {
		syntax_error(p, span_from(p, cmd.span.off), "derivative "
			     "notation is not supported: write the "
			     "derivative itself");
		return NULL;
	}
	a = ast_binary(p, GB_OP_DIV, cmd.span, num, den);
	if (a)
		a->span = span_from(p, cmd.span.off);
	return a;
}

/*
 * sqrt -> '\sqrt' [ '[' expr ']' ] arg
 * \sqrt[2]{x} is sqrt(x); \sqrt[n]{x} is x^(1/n).
 */
static GB_NOINLINE gb_ast *parse_sqrt(lparser *p)
{
	ltok cmd = p->tok;
	gb_ast *n = NULL, *x, *one, *inv, *a;
	astvec v = { NULL, 0, 0 };

	advance(p);
	if (p->tok.kind == L_LBRACK) {
		gb_span open = p->tok.span;
		bool in_cond = p->in_cond;
		uint32_t in_bar = p->in_bar;

		advance(p);
		p->in_cond = false;
		p->in_bar = 0;
		n = parse_expr(p, 0);
		p->in_cond = in_cond;
		p->in_bar = in_bar;
		if (!n)
			return NULL;
		if (p->tok.kind != L_RBRACK) {
			unclosed(p, "]", "\\sqrt[", open);
			return NULL;
		}
		advance(p);
	}
	if (!(x = parse_arg(p, "\\sqrt")))
		return NULL;
	if (!n || (n->kind == AST_NUM && n->text_len == 1 && n->text[0] == '2')) {
		if (!vec_push(p, &v, x))
			return NULL;
		return ast_call(p, "sqrt", cmd.span, span_from(p, cmd.span.off),
				&v);
	}
	one = ast_leaf(p, AST_NUM, cmd.span, "1", 1);
	inv = ast_binary(p, GB_OP_DIV, cmd.span, one, n);
	a = ast_binary(p, GB_OP_POW, cmd.span, x, inv);
	if (a)
		a->span = span_from(p, cmd.span.off);
	return a;
}

static gb_ast *parse_bare_arg(lparser *p);

/*
 * call -> function [ '(' expr { ',' expr } ')' | bare-arg ]
 * function is \exp, \log, ..., \operatorname{name}, or a built-in in
 * \mathrm{..} / \text{..}; fn is the name it calls.
 */
static GB_NOINLINE gb_ast *parse_call(lparser *p, const char *fn)
{
	ltok name = p->tok;
	astvec v = { NULL, 0, 0 };
	char buf[64];

	advance(p);
	snippet(p, name.span, buf, sizeof buf);
	if (p->tok.kind == L_CARET) {
		syntax_error(p, p->tok.span, "a power of a function name: "
			     "write %s(x)^{2}, not %s^{2}(x)", buf, buf);
		return NULL;
	}
	if (p->tok.kind == L_SUB) {
		syntax_error(p, p->tok.span, "a subscript on '%s' is not "
			     "supported%s", buf, strcmp(fn, "log") == 0 ?
			     ": write \\log(x)/\\log(b) for a base b" : "");
		return NULL;
	}
	if (is_open_paren(&p->tok)) {
		ltok open = p->tok;
		bool left = open.kind == L_LEFT;
		bool in_cond = p->in_cond;
		uint32_t in_bar = p->in_bar;

		advance(p);
		p->in_cond = false;
		p->in_bar = 0;
		for (;;) {
			gb_ast *e = parse_expr(p, 0);

			if (!vec_push(p, &v, e)) {
				p->in_cond = in_cond;
				p->in_bar = in_bar;
				return NULL;
			}
			if (p->tok.kind == L_COMMA) {
				advance(p);
				continue;
			}
			break;
		}
		p->in_cond = in_cond;
		p->in_bar = in_bar;
		if (left ? !(p->tok.kind == L_RIGHT && p->tok.aux == ')') :
			   p->tok.kind != L_RPAREN) {
			unclosed(p, left ? "\\right)" : ")", left ? "\\left(" :
				 "(", open.span);
			return NULL;
		}
		advance(p);
	} else if (strcmp(fn, "max") == 0 || strcmp(fn, "min") == 0) {
		char what[112];

		snprintf(what, sizeof what, "'(' and the arguments of '%s'",
			 buf);
		expected(p, what);
		return NULL;
	} else if (!vec_push(p, &v, parse_bare_arg(p))) {
		return NULL;
	}
	return ast_call(p, fn, name.span, span_from(p, name.span.off), &v);
}

/* Can the token begin a factor of a bare argument (\log 2x)? */
static bool starts_bare_factor(const lparser *p, const ltok *t)
{
	switch ((ltk)t->kind) {
	case L_NUM:
	case L_LETTER:
	case L_LBRACE:
		return true;
	case L_WORD:
		return starts_operand(p, t) && !function_token(p, t);
	case L_CMD:
		switch (cls_of(p, t)) {
		case C_GREEK:
		case C_FRAC:
		case C_SQRT:
		case C_BOLD:
		case C_ACCENT:
			return true;
		default:
			return false;
		}
	default:
		return false;
	}
}

/*
 * bare-arg -> [ '-' ] ( factor | call ) { factor }
 * The argument of a function written without parentheses: the factors
 * juxtaposed after it, up to an operator, a parenthesis or another
 * function (\sin 2x is sin(2*x); \sin x \cos x is sin(x)*cos(x));
 * a function first is applied (\log \log x is log(log(x))).
 */
static gb_ast *parse_bare_arg(lparser *p)
{
	gb_span neg = p->tok.span;
	bool minus = false;
	gb_ast *a;

	if (!enter(p))
		return NULL;
	if (p->tok.kind == L_MINUS) {
		minus = true;
		advance(p);
	}
	if (!starts_bare_factor(p, &p->tok) && !function_token(p, &p->tok)) {
		expected(p, "an argument: write \\log(x) or \\log x");
		p->depth--;
		return NULL;
	}
	a = parse_scripted(p);
	while (a && starts_bare_factor(p, &p->tok)) {
		gb_ast *b = parse_scripted(p);

		a = ast_binary(p, GB_OP_MUL, (gb_span){ p->tok.span.off, 0 },
			       a, b);
	}
	if (a && minus)
		a = ast_unary(p, AST_NEG, gb_span_join(neg, a->span), a);
	p->depth--;
	return a;
}

/* Does the current letter begin a run that spells a function (exp)? */
static GB_NOINLINE bool spelled_function(lparser *p)
{
	const char *s = p->lx.s;
	uint32_t a = p->tok.span.off, b = a;
	const char *fn;

	if (a > 0 && is_letter(s[a - 1]))
		return false;
	while (b < p->lx.end && is_letter(s[b]))
		b++;
	if (b - a < 2 || !(fn = builtin(s + a, b - a)))
		return false;
	{
		bool cmd = false;

		for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
			if (cmds[i].cls == C_FUNC &&
			    word_is(s + a, b - a, cmds[i].name))
				cmd = true;
		syntax_error(p, (gb_span){ a, b - a }, "'%.*s' is the product "
			     "of %u letters in LaTeX: write %s%.*s%s",
			     (int)(b - a), s + a, (unsigned)(b - a),
			     cmd ? "\\" : "\\operatorname{", (int)(b - a),
			     s + a, cmd ? "" : "}");
	}
	return true;
}

/*
 * A name, and a call when it is \sigma followed by '(' with no space
 * command between (\sigma(x) is sigmoid(x), \sigma \, (x) is sigma*x).
 */
static GB_NOINLINE gb_ast *parse_name(lparser *p)
{
	ltok first = p->tok;
	const cmdinfo *c = cmd_of(p, &first);
	gb_span span;

	if (first.kind == L_LETTER && spelled_function(p))
		return NULL;
	if (c && c->cls == C_GREEK && strcmp(c->arg, "sigma") == 0) {
		ltok t = peek(p);

		if (is_open_paren(&t) && !t.spaced)
			return parse_call(p, "sigmoid");
	}
	p->nlen = 0;
	if (!read_name(p, false))
		return NULL;
	span = span_from(p, first.span.off);
	return ast_leaf(p, AST_NAME, span, p->name, p->nlen);
}

static gb_ast *parse_cases(lparser *p, ltok begin);
static gb_ast *parse_matrix(lparser *p, ltok begin);
static gb_ast *parse_primary(lparser *p);

/*
 * \mathbf{1} and \mathbf{I} with a size: \mathbf{1}_{d} is ones(d),
 * \mathbf{1}_{m \times n} is ones(m, n), \mathbf{I}_{d} is eye(d), the
 * forms the LaTeX printer writes. \mathbf{1} alone is the number 1 (a
 * scalar added to a vector acts element-wise: 1 - z), \mathbf{I} alone
 * the identity sized by its neighbour. NULL with nothing consumed when
 * the tokens are not one of these (then it is a bold name).
 */
static gb_ast *parse_bold_constant(lparser *p, bool *matched)
{
	ltok open = peek(p), c = lex_at(&p->lx, open.next);
	ltok close = lex_at(&p->lx, c.next), sub;
	uint32_t start = p->tok.span.off;
	bool one = c.kind == L_NUM && c.span.len == 1 &&
		   p->lx.s[c.span.off] == '1';
	bool eye = c.kind == L_LETTER && p->lx.s[c.span.off] == 'I';
	astvec v = { NULL, 0, 0 };
	gb_ast *size;

	*matched = false;
	if (open.kind != L_LBRACE || close.kind != L_RBRACE || !(one || eye))
		return NULL;
	sub = lex_at(&p->lx, close.next);
	if (eye && sub.kind != L_SUB)
		return NULL;		/* \mathbf{I}: the name I */
	*matched = true;
	for (int i = 0; i < 4; i++)	/* \mathbf { 1 } */
		advance(p);
	if (p->tok.kind == L_CARET) {
		/* \mathbf{1}^\top x: the vector of ones, whose size only
		 * a subscript says (as a number it would be 1' x = x) */
		syntax_error(p, span_from(p, start),
			     "the size of \\mathbf{1} is not clear here: write \\mathbf{1}_{n}");
		return NULL;
	}
	if (p->tok.kind != L_SUB)
		return ast_leaf(p, AST_NUM, span_from(p, start), "1", 1);
	advance(p);
	if (!(size = parse_primary(p)))
		return NULL;
	if (one && size->kind == AST_BINARY && size->op == GB_OP_MUL) {
		/* m \times n */
		if (!vec_push(p, &v, size->args[0]) ||
		    !vec_push(p, &v, size->args[1]))
			return NULL;
	} else if (!vec_push(p, &v, size)) {
		return NULL;
	}
	return ast_call(p, one ? "ones" : "eye", span_from(p, start),
			span_from(p, start), &v);
}

/* \begin{env}: cases and the matrix environments. */
static GB_NOINLINE gb_ast *parse_env(lparser *p)
{
	ltok begin = p->tok;
	const char *env = p->lx.s + begin.off;
	uint32_t n = begin.len;

	if (word_is(env, n, "cases") || word_is(env, n, "dcases"))
		return parse_cases(p, begin);
	if (word_is(env, n, "bmatrix") || word_is(env, n, "pmatrix") ||
	    word_is(env, n, "matrix") || word_is(env, n, "Bmatrix"))
		return parse_matrix(p, begin);
	syntax_error(p, begin.span, "unsupported LaTeX environment '%.*s'",
		     (int)n, env);
	return NULL;
}

/*
 * primary -> number | name | call | frac | sqrt | group | abs
 *          | cases | matrix
 */
static gb_ast *parse_primary(lparser *p)
{
	ltok t = p->tok;
	const char *fn;

	switch ((ltk)t.kind) {
	case L_NUM:
		advance(p);
		return ast_leaf(p, AST_NUM, t.span, p->lx.s + t.span.off,
				t.span.len);
	case L_LETTER:
		return parse_name(p);
	case L_LBRACE:
	case L_LPAREN:
	case L_LBRACK:
	case L_BAR:
		return parse_group(p);
	case L_LEFT:
		if (t.aux == '.' || t.aux == ')' || t.aux == ']' ||
		    t.aux == '}') {
			char buf[32];

			snippet(p, t.span, buf, sizeof buf);
			syntax_error(p, t.span, "unsupported delimiter "
				     "'%s': write \\left( or \\left[", buf);
			return NULL;
		}
		return parse_group(p);
	case L_BEGIN:
		return parse_env(p);
	case L_WORD:
		if ((fn = function_token(p, &t)))
			return parse_call(p, fn);
		if (t.aux == W_OPNAME) {
			char w[NAME_MAX_LEN + 1];
			int n = word_text(p, &t, w, sizeof w);

			if (n > 0)
				return parse_call(p, w);
		}
		if (word_if(p, &t) || word_otherwise(p, &t) ||
		    word_op(p, &t) != GB_OP_NONE) {
			char buf[64];

			syntax_error(p, t.span, "%s outside a cases "
				     "environment", describe(p, &t, buf,
							      sizeof buf));
			return NULL;
		}
		return parse_name(p);
	case L_CMD:
		switch (cls_of(p, &t)) {
		case C_BOLD: {
			bool matched;
			gb_ast *k = parse_bold_constant(p, &matched);

			if (matched)
				return k;
			return parse_name(p);
		}
		case C_GREEK:
		case C_ACCENT:
			return parse_name(p);
		case C_FUNC:
			return parse_call(p, cmd_of(p, &t)->arg);
		case C_FRAC:
			return parse_frac(p);
		case C_SQRT:
			return parse_sqrt(p);
		case C_LVERT:
		case C_LSET:
			return parse_group(p);
		case C_NONE:
			unsupported(p, &t);
			return NULL;
		default:
			expected(p, "an expression");
			return NULL;
		}
	case L_ERROR:
		lex_error(p, &t);
		return NULL;
	default:
		expected(p, "an expression");
		return NULL;
	}
}

/* Is the token a transpose mark: T, \top, \intercal? */
static bool is_top(const lparser *p, const ltok *t)
{
	return (t->kind == L_LETTER && p->lx.s[t->span.off] == 'T') ||
	       cls_of(p, t) == C_TOP;
}

/* The base of x^... for messages (x when it is long). */
static void base_text(const lparser *p, const gb_ast *base, char *buf,
		      size_t size)
{
	if (!snippet(p, base->span, buf, size) || strlen(buf) > 24)
		snprintf(buf, size, "x");
}

/*
 * The superscript after '^' (consumed): *top is set for a transpose.
 * script -> '{' expr '}' | '{' top '}' | top | digit | letter | greek
 *         | frac | sqrt | bold-or-accented name
 */
static gb_ast *parse_script(lparser *p, const gb_ast *base, bool *top)
{
	ltok t = p->tok;
	char b[32], buf[64];

	*top = false;
	if (t.kind == L_LBRACE) {
		ltok t1 = peek(p), t2 = lex_at(&p->lx, t1.next);

		if (is_top(p, &t1) && t2.kind == L_RBRACE) {
			*top = true;
			p->prev_end = t2.span.off + t2.span.len;
			p->tok = lex_at(&p->lx, t2.next);
			return NULL;
		}
		return parse_group(p);
	}
	if (is_top(p, &t)) {
		*top = true;
		advance(p);
		return NULL;
	}
	switch ((ltk)t.kind) {
	case L_NUM:
		if (memchr(p->lx.s + t.span.off, '.', t.span.len)) {
			base_text(p, base, b, sizeof b);
			snippet(p, t.span, buf, sizeof buf);
			syntax_error(p, t.span, "a superscript of more than "
				     "one token needs braces: write %s^{%s}",
				     b, buf);
			return NULL;
		}
		if (t.span.len > 1) {
			const char *s = p->lx.s + t.span.off;

			base_text(p, base, b, sizeof b);
			gb_warning(p->ctx, p->src, t.span, "%s^%.*s is %s^{%c}%.*s"
				   " in TeX; write %s^{%.*s}", b,
				   (int)t.span.len, s, b, s[0],
				   (int)t.span.len - 1, s + 1, b,
				   (int)t.span.len, s);
		}
		return parse_arg(p, "^");
	case L_LETTER:
	case L_CMD:
		if (t.kind == L_LETTER || cls_of(p, &t) == C_GREEK)
			return parse_arg(p, "^");
		switch (cls_of(p, &t)) {
		case C_FRAC:
		case C_SQRT:
		case C_BOLD:
		case C_ACCENT:
			return parse_primary(p);
		default:
			break;
		}
		break;
	case L_MINUS:
	case L_PLUS: {
		ltok n = peek(p);

		base_text(p, base, b, sizeof b);
		if (n.kind == L_EOF || n.kind == L_ERROR) {
			syntax_error(p, t.span, "a superscript of more than "
				     "one token needs braces: write %s^{%c...}",
				     b, p->lx.s[t.span.off]);
		} else {
			snippet(p, n.span, buf, sizeof buf);
			syntax_error(p, gb_span_join(t.span, n.span),
				     "a superscript of more than one token "
				     "needs braces: write %s^{%c%s}", b,
				     p->lx.s[t.span.off], buf);
		}
		return NULL;
	}
	default:
		break;
	}
	expected(p, "a superscript after '^'");
	return NULL;
}

/*
 * scripted -> primary { '^' script }
 * e^{u} is exp(u); a transpose mark makes a transpose. A second '^'
 * right after a superscript is TeX's double superscript.
 */
static gb_ast *parse_scripted(lparser *p)
{
	gb_ast *a = parse_primary(p);
	bool scripted = false;

	while (a && p->tok.kind == L_CARET) {
		gb_span caret = p->tok.span;
		gb_ast *x;
		bool top;

		if (scripted) {
			syntax_error(p, caret, "double superscript: write "
				     "{x^{a}}^{b} or x^{a b}");
			return NULL;
		}
		scripted = true;
		advance(p);
		x = parse_script(p, a, &top);
		if (top) {
			a = ast_unary(p, AST_TRANSPOSE, span_from(p,
				      a->span.off), a);
		} else if (!x) {
			return NULL;
		} else if (a->kind == AST_NAME && a->text_len == 1 &&
			   a->text[0] == 'e' && !(a->flags & AST_F_PAREN)) {
			astvec v = { NULL, 0, 0 };

			if (!vec_push(p, &v, x))
				return NULL;
			a = ast_call(p, "exp", a->span, span_from(p,
				     a->span.off), &v);
		} else {
			uint32_t start = a->span.off;

			a = ast_binary(p, GB_OP_POW, caret, a, x);
			if (a)
				a->span = span_from(p, start);
		}
	}
	if (a && p->tok.kind == L_SUB) {
		syntax_error(p, p->tok.span, "a subscript belongs to a name "
			     "and goes before its superscript: write "
			     "x_{1}^{2}");
		return NULL;
	}
	return a;
}

/* prefix -> '-' expr(UNARY) | '+' expr(UNARY) | scripted */
static gb_ast *parse_prefix(lparser *p)
{
	gb_span op = p->tok.span;
	gb_ast *x;

	switch ((ltk)p->tok.kind) {
	case L_MINUS:
		advance(p);
		x = parse_expr(p, GB_PREC_UNARY);
		return x ? ast_unary(p, AST_NEG, gb_span_join(op, x->span), x)
			 : NULL;
	case L_PLUS:
		advance(p);
		x = parse_expr(p, GB_PREC_UNARY);
		if (x)
			x->span = gb_span_join(op, x->span);
		return x;
	default:
		return parse_scripted(p);
	}
}

/*
 * The infix operator the current token is, GB_OP_NONE if none: + - * /
 * \cdot \times \div \odot \circ, comparisons, \land \lor; in a cases
 * condition also ',' and \text{and} (`and`), \text{or} (`or`).
 */
static unsigned infix_op(const lparser *p, const ltok *t)
{
	const cmdinfo *c;

	switch ((ltk)t->kind) {
	case L_PLUS:
		return GB_OP_ADD;
	case L_MINUS:
		return GB_OP_SUB;
	case L_STAR:
		return GB_OP_MUL;
	case L_SLASH:
		return GB_OP_DIV;
	case L_EQ:
		return GB_OP_EQ;
	case L_LT:
		return GB_OP_LT;
	case L_GT:
		return GB_OP_GT;
	case L_COMMA:
		return p->in_cond ? GB_OP_AND : GB_OP_NONE;
	case L_WORD:
		return p->in_cond ? word_op(p, t) : GB_OP_NONE;
	case L_CMD:
		c = cmd_of(p, t);
		return c && c->cls == C_OP ? c->op : GB_OP_NONE;
	default:
		return GB_OP_NONE;
	}
}

static bool is_comparison(unsigned op)
{
	return op >= GB_OP_LT && op <= GB_OP_NE;
}

/* The end of a cases row: '\\', \end, end of input. */
static bool ends_row(const ltok *t)
{
	return t->kind == L_ROW || t->kind == L_END || t->kind == L_EOF;
}

/*
 * The right operand of the operator at the current token, and lhs op rhs.
 * A chain a < b < c reads as a < b and b < c.
 */
static gb_ast *parse_infix(lparser *p, gb_ast *lhs, unsigned op)
{
	ltok t = p->tok;
	gb_ast *rhs;

	advance(p);
	if (t.kind == L_CMD && word_is(p->lx.s + t.off, t.len, "circ"))
		gb_warning(p->ctx, p->src, t.span, "\\circ read as the "
			   "Hadamard product \\odot");
	if ((t.kind == L_LT || t.kind == L_GT) && p->tok.kind == L_EQ &&
	    p->tok.span.off == t.span.off + 1) {
		syntax_error(p, gb_span_join(t.span, p->tok.span), "'%c=' is "
			     "'%c' then '=' in TeX: write %s", p->lx.s[t.span.off],
			     p->lx.s[t.span.off], t.kind == L_LT ? "\\le" :
			     "\\ge");
		return NULL;
	}
	rhs = parse_expr(p, ops[op].right);
	if (!rhs)
		return NULL;
	if (is_comparison(op) && lhs->kind == AST_BINARY &&
	    is_comparison(lhs->op) && !(lhs->flags & AST_F_PAREN)) {
		gb_ast *second = ast_binary(p, op, t.span, lhs->args[1], rhs);

		return ast_binary(p, GB_OP_AND, t.span, lhs, second);
	}
	return ast_binary(p, op, t.span, lhs, rhs);
}

/*
 * expr -> prefix { infix-op expr | factor }
 * A factor right after an expression (2x, \beta x, x(1 - x)) multiplies
 * at the binding power of '*'.
 */
static gb_ast *parse_expr(lparser *p, unsigned limit)
{
	gb_ast *lhs;

	if (!enter(p))
		return NULL;
	lhs = parse_prefix(p);
	while (lhs) {
		unsigned op = infix_op(p, &p->tok);

		if (op != GB_OP_NONE) {
			if (ops[op].left <= limit)
				break;
			if (p->tok.kind == L_COMMA) {	/* x < 0, */
				ltok n = peek(p);

				if (ends_row(&n))
					break;
			}
			lhs = parse_infix(p, lhs, op);
		} else if (starts_operand(p, &p->tok)) {
			gb_span at = { p->tok.span.off, 0 };

			if (ops[GB_OP_MUL].left <= limit)
				break;
			lhs = ast_binary(p, GB_OP_MUL, at, lhs,
					 parse_expr(p, ops[GB_OP_MUL].right));
		} else {
			break;
		}
	}
	p->depth--;
	return lhs;
}

/* ---------------------------------------------------------- environments */

/* \end{env} matching begin, consumed; false (diagnosed) otherwise. */
static bool expect_end(lparser *p, ltok begin, const char *what)
{
	char open[48], close[48];

	snippet(p, begin.span, open, sizeof open);
	snprintf(close, sizeof close, "\\end{%.*s}", (int)begin.len,
		 p->lx.s + begin.off);
	if (p->tok.kind == L_END && p->tok.len == begin.len &&
	    memcmp(p->lx.s + p->tok.off, p->lx.s + begin.off, begin.len) == 0) {
		advance(p);
		return true;
	}
	if (p->tok.kind == L_EOF || p->tok.kind == L_END)
		unclosed(p, close, open, begin.span);
	else
		expected(p, what);
	return false;
}

/*
 * cases -> '\begin{cases}' [ row { '\\' row } [ '\\' ] ] '\end{cases}'
 * row   -> expr [ ',' ] '&' ( otherwise | [ if ] cond [ ',' | '.' ] )
 * if    -> '\text{if}' | '\text{for}' | '\text{when}'
 * otherwise -> '\text{otherwise}' | '\text{else}'   (the last row only)
 */
static GB_NOINLINE gb_ast *parse_cases(lparser *p, ltok begin)
{
	astvec v = { NULL, 0, 0 };
	uint16_t flags = 0;
	gb_ast *a;

	advance(p);
	for (;;) {
		gb_ast *value, *cond;
		bool in_cond = p->in_cond;
		uint32_t in_bar = p->in_bar;

		/* \begin{cases} \end{cases}: no row at all, the undefined
		 * value (what the printer writes for a piecewise whose every
		 * condition is false) */
		if (p->tok.kind == L_END)
			break;
		if (flags & AST_F_OTHERWISE) {
			syntax_error(p, p->tok.span, "the otherwise row must "
				     "be the last row of cases");
			return NULL;
		}
		p->in_cond = false;
		p->in_bar = 0;
		value = parse_expr(p, 0);
		if (value && p->tok.kind == L_COMMA)
			advance(p);	/* 1, & \text{if } x > 0 */
		if (value && p->tok.kind != L_AMP) {
			expected(p, "'&' before the condition of a cases row");
			value = NULL;
		}
		if (!value) {
			p->in_cond = in_cond;
			p->in_bar = in_bar;
			return NULL;
		}
		advance(p);
		if (word_otherwise(p, &p->tok)) {
			advance(p);
			if (!vec_push(p, &v, value))
				return NULL;
			flags = AST_F_OTHERWISE;
		} else {
			if (word_if(p, &p->tok))
				advance(p);
			p->in_cond = true;
			cond = parse_expr(p, 0);
			if (!vec_push(p, &v, cond) || !vec_push(p, &v, value)) {
				p->in_cond = in_cond;
				p->in_bar = in_bar;
				return NULL;
			}
		}
		p->in_cond = in_cond;
		p->in_bar = in_bar;
		if (p->tok.kind == L_COMMA || p->tok.kind == L_DOT)
			advance(p);	/* punctuation after the condition */
		if (p->tok.kind == L_ROW) {
			advance(p);
			continue;
		}
		if (p->tok.kind != L_END) {
			if (p->tok.kind == L_EOF)
				expect_end(p, begin, "");
			else
				expected(p, "'\\\\' or '\\end{cases}' after a "
					 "cases row");
			return NULL;
		}
	}
	if (!expect_end(p, begin, "'\\end{cases}'"))
		return NULL;
	a = ast_new(p, AST_PIECEWISE, span_from(p, begin.span.off), 0);
	if (!a)
		return NULL;
	a->nargs = v.n;
	a->args = v.v;
	a->flags = flags;
	a->name_span = begin.span;
	a->text = "piecewise";
	a->text_len = 9;
	return finish(p, a, a->span);
}

/*
 * matrix -> '\begin{bmatrix}' mrow { '\\' mrow } [ '\\' ] '\end{bmatrix}'
 * mrow   -> expr { '&' expr }
 * (also pmatrix, Bmatrix, matrix); every row as long as the first.
 */
static GB_NOINLINE gb_ast *parse_matrix(lparser *p, ltok begin)
{
	astvec v = { NULL, 0, 0 };
	uint32_t rows = 0, cols = 0, in_bar = p->in_bar;
	bool in_cond = p->in_cond;
	gb_ast *a;

	advance(p);
	p->in_cond = false;
	p->in_bar = 0;
	while (!(p->tok.kind == L_END && rows > 0)) {
		uint32_t before = v.n, row_start = p->tok.span.off;

		for (;;) {
			if (!vec_push(p, &v, parse_expr(p, 0)))
				goto fail;
			if (p->tok.kind != L_AMP)
				break;
			advance(p);
		}
		rows++;
		if (rows == 1) {
			cols = v.n;
		} else if (v.n - before != cols) {
			syntax_error(p, span_from(p, row_start), "row %lu has "
				     "%lu entries but row 1 has %lu",
				     (unsigned long)rows,
				     (unsigned long)(v.n - before),
				     (unsigned long)cols);
			goto fail;
		}
		if (p->tok.kind == L_ROW) {
			advance(p);
			continue;
		}
		if (p->tok.kind != L_END) {
			char what[64];

			snprintf(what, sizeof what, "'&', '\\\\' or "
				 "'\\end{%.*s}'", (int)begin.len,
				 p->lx.s + begin.off);
			if (p->tok.kind == L_EOF)
				expect_end(p, begin, "");
			else
				expected(p, what);
			goto fail;
		}
	}
	p->in_cond = in_cond;
	p->in_bar = in_bar;
	if (!expect_end(p, begin, "'\\end'"))
		return NULL;
	a = ast_new(p, AST_MATRIX, span_from(p, begin.span.off), 0);
	if (!a)
		return NULL;
	a->nargs = v.n;
	a->args = v.v;
	a->rows = rows;
	a->cols = cols;
	return finish(p, a, a->span);
fail:
	p->in_cond = in_cond;
	p->in_bar = in_bar;
	return NULL;
}

/* ------------------------------------------------------------ the entry */

/* What follows a complete expression that does not belong to it. */
static GB_COLD void trailing(lparser *p)
{
	char buf[64];
	ltok t = p->tok;

	switch ((ltk)t.kind) {
	case L_RBRACE:
	case L_RPAREN:
	case L_RBRACK:
		syntax_error(p, t.span, "unmatched %s", describe(p, &t, buf,
							       sizeof buf));
		break;
	case L_RIGHT:
		syntax_error(p, t.span, "%s without a matching '\\left'",
			     describe(p, &t, buf, sizeof buf));
		break;
	case L_END:
		syntax_error(p, t.span, "%s without a matching '\\begin'",
			     describe(p, &t, buf, sizeof buf));
		break;
	case L_AMP:
	case L_ROW:
		syntax_error(p, t.span, "%s outside an environment (cases or "
			     "a matrix)", describe(p, &t, buf, sizeof buf));
		break;
	case L_ERROR:
		lex_error(p, &t);
		break;
	default:
		syntax_error(p, t.span, "unexpected %s after expression",
			     describe(p, &t, buf, sizeof buf));
		break;
	}
}

/*
 * The math inside a wrapper: $..$, $$..$$, \(..\), \[..\] around the
 * whole text are dropped. False (diagnosed) for an opener not closed.
 */
static bool unwrap(lparser *p, uint32_t *start, uint32_t *end)
{
	static const char *const wrap[][2] = {
		{ "$$", "$$" }, { "$", "$" }, { "\\(", "\\)" }, { "\\[", "\\]" },
	};
	const char *s = p->src->text;
	uint32_t a = 0, b = p->src->len;

	while (a < b && is_blank(s[a]))
		a++;
	while (b > a && is_blank(s[b - 1]))
		b--;
	for (size_t i = 0; i < sizeof wrap / sizeof wrap[0]; i++) {
		size_t no = strlen(wrap[i][0]), nc = strlen(wrap[i][1]);

		if (b - a < no || memcmp(s + a, wrap[i][0], no) != 0)
			continue;
		if (b - a < no + nc || memcmp(s + b - nc, wrap[i][1], nc) != 0) {
			gb_error(p->ctx, p->src, (gb_span){ b, 0 },
				 "expected '%s' to close '%s', found end of "
				 "input", wrap[i][1], wrap[i][0]);
			gb_note(p->ctx, p->src, (gb_span){ a, (uint32_t)no },
				"'%s' opened here", wrap[i][0]);
			return false;
		}
		a += (uint32_t)no;
		b -= (uint32_t)nc;
		break;
	}
	*start = a;
	*end = b;
	return true;
}

/* one-expr -> [ wrapper ] expr [ '.' | ',' ] end-of-input */
uint32_t gb_latex_max_depth(const gb_ctx *ctx)
{
	uint32_t d = ctx->limits.max_depth / GB_LATEX_DEPTH_COST;

	return d ? d : 1;
}

gb_ast *gb_parse_latex_expr(gb_ctx *ctx, const gb_source *src)
{
	lparser p;
	gb_ast *e;
	uint32_t start, end;

	if (!src || ctx->oom)
		return NULL;
	memset(&p, 0, sizeof p);
	p.ctx = ctx;
	p.src = src;
	p.max_depth = gb_latex_max_depth(ctx);
	if (!unwrap(&p, &start, &end))
		return NULL;
	p.lx.s = src->text;
	p.lx.end = end;
	p.tok = lex_at(&p.lx, start);
	p.prev_end = start;
	if (p.tok.kind == L_EOF) {
		syntax_error(&p, p.tok.span, "expected an expression, found "
			     "end of input");
		return NULL;
	}
	e = parse_expr(&p, 0);
	if (!e)
		return NULL;
	if (p.tok.kind == L_DOT || p.tok.kind == L_COMMA) {
		ltok n = peek(&p);

		if (n.kind == L_EOF)	/* a full stop after the math */
			advance(&p);
	}
	if (p.tok.kind != L_EOF) {
		trailing(&p);
		return NULL;
	}
	return ctx->oom ? NULL : e;
}

bool gb_looks_like_latex(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (text[i] == '\\' || text[i] == '{' || text[i] == '}' ||
		    text[i] == '&' || text[i] == '$')
			return true;
	return false;
}
