/*
 * parse.c - the Pratt parser of the plain syntax (grammar/gradbox.ebnf).
 *
 * Expressions are parsed by one Pratt loop whose binding powers come from
 * grammar/operators.def, the table the printers use too, so parsing and
 * printing cannot disagree on precedence. Statements are parsed by
 * recursive descent around it. Every parse function quotes its rule.
 *
 * Errors. The first error in a statement is reported (later ones would
 * mostly be echoes of it) and the statement is skipped up to the next
 * newline or ';' outside brackets, so the following statements still
 * parse. A parse function that fails returns NULL; its callers pass the
 * NULL up without a word. Running out of memory also returns NULL, with
 * ctx->oom set, and gb_parse_program then returns NULL.
 *
 * Limits. Recursion is bounded by ctx->limits.max_depth (checked on every
 * entry to parse_expr, the one function every nesting goes through), and
 * so is the height of every tree built (a flat chain such as 1+1+...+1 is
 * parsed by a loop but makes a tall tree, which later passes recurse on).
 */
#include "front/parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "front/diag.h"
#include "front/lex.h"

/*
 * GB_COLD marks the error paths, GB_NOINLINE the rarer constructs: kept
 * out of parse_expr, they keep its frame small, which is what bounds the
 * stack used per level of nesting.
 */
#if defined(__GNUC__)
#define GB_COLD __attribute__((noinline, cold))
#define GB_NOINLINE __attribute__((noinline))
#else
#define GB_COLD
#define GB_NOINLINE
#endif

/*
 * Infix operators by token, from the one table. op == GB_OP_NONE marks a
 * token that is not an infix operator, which ends an expression.
 */
static const struct opinfo {
	uint8_t op, left, right;
} infix[TK_COUNT] = {
#define OP(name, tok, l, r, plain, latex) [tok] = { GB_OP_##name, l, r },
#include "operators.def"
#undef OP
};

/* How each operator is spelled in the plain syntax (for messages). */
static const char *const op_plain[GB_NOPS] = {
	[GB_OP_NONE] = "",
#define OP(name, tok, l, r, plain, latex) [GB_OP_##name] = plain,
#include "operators.def"
#undef OP
};

typedef struct gb_parser {
	gb_ctx *ctx;
	const gb_source *src;
	gb_lexer lx;
	gb_token tok;		/* the current token */
	gb_token ahead;		/* the token after it, when has_ahead */
	bool has_ahead;
	bool failed;		/* this statement has been diagnosed */
	uint32_t prev_end;	/* end of the last token consumed */
	uint32_t nest;		/* open brackets (newlines are blanks) */
	uint32_t depth;		/* active parse_expr calls */
	uint32_t max_depth;
} gb_parser;

/* A growing array of trees, in the arena (the old copy is abandoned). */
typedef struct astvec {
	gb_ast **v;
	uint32_t n, cap;
} astvec;

static gb_ast *parse_expr(gb_parser *p, unsigned limit);

/* ---------------------------------------------------------------- tokens */

/* The next token from the lexer; newlines are blanks inside brackets. */
static gb_token lex_raw(gb_parser *p)
{
	gb_token t = gb_lex_next(&p->lx);

	while (t.kind == TK_NEWLINE && p->nest > 0)
		t = gb_lex_next(&p->lx);
	return t;
}

static void advance(gb_parser *p)
{
	p->prev_end = p->tok.span.off + p->tok.span.len;
	if (p->has_ahead) {
		p->tok = p->ahead;
		p->has_ahead = false;
	} else {
		p->tok = lex_raw(p);
	}
}

/* The kind of the token after the current one (used at statement start). */
static gb_tok_kind peek(gb_parser *p)
{
	if (!p->has_ahead) {
		p->ahead = lex_raw(p);
		p->has_ahead = true;
	}
	return p->ahead.kind;
}

/* Consumes an opening bracket: newlines are blanks until it closes. */
static void open_bracket(gb_parser *p)
{
	p->nest++;
	advance(p);
}

/* Consumes a closing bracket (the caller has checked its kind). */
static void close_bracket(gb_parser *p)
{
	if (p->nest > 0)
		p->nest--;
	advance(p);
}

/* The span from start to the end of the last token consumed. */
static gb_span span_from(const gb_parser *p, uint32_t start)
{
	return (gb_span){ start, p->prev_end - start };
}

static bool tok_is_word(const gb_token *t, const char *word)
{
	return t->kind == TK_NAME && strcmp(t->text, word) == 0;
}

static bool is_comparison(unsigned op)
{
	switch (op) {
	case GB_OP_LT:
	case GB_OP_LE:
	case GB_OP_GT:
	case GB_OP_GE:
	case GB_OP_EQ:
	case GB_OP_NE:
		return true;
	default:
		return false;
	}
}

/* Tokens that can start an operand: after an expression, a missing '*'. */
static bool starts_operand(gb_tok_kind kind)
{
	return kind == TK_NAME || kind == TK_NUM || kind == TK_LPAREN ||
	       kind == TK_LBRACK || kind == TK_STRING;
}

/* ------------------------------------------------------------ messages */

/*
 * Copies the source text of span into buf as a message snippet. False
 * (and buf holds a shortened form ending in "...") when the text is long
 * or runs over several lines, so a suggestion would not be helpful.
 */
static bool snippet(const gb_parser *p, gb_span span, char *buf, size_t size)
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
			n--;	/* do not cut a UTF-8 sequence */
		whole = false;
	}
	memcpy(buf, s, n);
	strcpy(buf + n, whole ? "" : "...");
	return whole;
}

/* How a token is named in messages: 'x', '2.5', ')', end of input, ... */
static const char *describe(const gb_parser *p, const gb_token *t, char *buf,
			    size_t size)
{
	char text[40];

	switch (t->kind) {
	case TK_NAME:
	case TK_NUM:
		snippet(p, t->span, text, sizeof text);
		snprintf(buf, size, "'%s'", text);
		return buf;
	case TK_STRING:
		return "string";
	default:
		return gb_tok_name(t->kind);
	}
}

static bool syntax_error(gb_parser *p, gb_span span, const char *fmt, ...)
	GB_PRINTF(3, 4) GB_COLD;

/*
 * Reports an error in the current statement, unless one was reported
 * already. True when this one was.
 */
static bool syntax_error(gb_parser *p, gb_span span, const char *fmt, ...)
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

/*
 * A bad current token that the lexer has already diagnosed: fail the
 * statement silently.
 */
static bool lexer_reported(gb_parser *p)
{
	if (p->tok.kind != TK_ERROR)
		return false;
	p->failed = true;
	return true;
}

/* "expected WHAT, found TOKEN" at the current token. */
static GB_COLD void expected(gb_parser *p, const char *what)
{
	char buf[48];

	if (lexer_reported(p))
		return;
	syntax_error(p, p->tok.span, "expected %s, found %s", what,
		     describe(p, &p->tok, buf, sizeof buf));
}

/*
 * An operand right after the expression lhs: the plain syntax has no
 * implicit multiplication, so suggest the '*' that is probably missing.
 */
static GB_COLD void unexpected_after(gb_parser *p, const gb_ast *lhs)
{
	char buf[48], a[40], b[40];
	bool fits = snippet(p, lhs->span, a, sizeof a) &&
		    snippet(p, p->tok.span, b, sizeof b);
	const char *tok = describe(p, &p->tok, buf, sizeof buf);

	if (fits && (p->tok.kind == TK_NAME || p->tok.kind == TK_NUM))
		syntax_error(p, p->tok.span,
			     "unexpected %s after expression: did you mean "
			     "'%s*%s'?", tok, a, b);
	else if (fits && p->tok.kind == TK_LPAREN)
		syntax_error(p, p->tok.span,
			     "unexpected %s after expression: did you mean "
			     "'%s*(...)'?", tok, a);
	else
		syntax_error(p, p->tok.span, "unexpected %s after expression",
			     tok);
}

/* A '=' where an expression continues: probably meant '=='. */
static GB_COLD void assign_in_expr(gb_parser *p, gb_span at)
{
	syntax_error(p, at, "'=' is assignment; use '==' to compare");
}

/*
 * The expression lhs is followed by a token that does not fit: the
 * caller wanted `what` (e.g. "',' or ')' after argument of 'f'"). In a
 * list, an operand after a blank is more likely a missing ',' than a
 * missing '*', so the '*' suggestion is made only for text such as 2x.
 * When opener is given, a note points at it if the input ended, the
 * wrong kind of bracket closes it, or it is on an earlier line.
 */
static GB_COLD void list_error(gb_parser *p, const gb_ast *lhs,
			       const char *what, const gb_span *opener)
{
	gb_tok_kind k = p->tok.kind;
	bool glued = lhs && lhs->span.off + lhs->span.len == p->tok.span.off;
	bool paren, far = false;
	char buf[48];

	if (lexer_reported(p))
		return;
	if (opener)
		far = gb_source_locate(p->src, opener->off).line !=
		      gb_source_locate(p->src, p->tok.span.off).line;
	if (k == TK_ASSIGN && !far) {	/* far: an unclosed bracket */
		assign_in_expr(p, p->tok.span);
		return;
	}
	if (lhs && starts_operand(k) && (glued || !opener)) {
		unexpected_after(p, lhs);
		return;
	}
	if (!syntax_error(p, p->tok.span, "expected %s, found %s", what,
			  describe(p, &p->tok, buf, sizeof buf)) || !opener)
		return;
	paren = p->src->text[opener->off] == '(';
	if (k == TK_EOF || k == (paren ? TK_RBRACK : TK_RPAREN) || far)
		gb_note(p->ctx, p->src, *opener, "%s opened here",
			paren ? "'('" : "'['");
}

/* The nesting or tree-height limit was exceeded at span. */
static GB_COLD void too_deep(gb_parser *p, gb_span span)
{
	syntax_error(p, span, "expression nested too deeply (more than %lu "
		     "levels)", (unsigned long)p->max_depth);
}

/* a < b < c: say how to write what was probably meant. */
static GB_COLD void chain_error(gb_parser *p, const gb_ast *cmp, gb_span op2,
				unsigned op, const gb_ast *rhs)
{
	char a[32], b[32], c[32];

	if (snippet(p, cmp->args[0]->span, a, sizeof a) &&
	    snippet(p, cmp->args[1]->span, b, sizeof b) &&
	    snippet(p, rhs->span, c, sizeof c))
		syntax_error(p, op2, "comparisons do not chain: write "
			     "'%s %s %s and %s %s %s'", a, op_plain[cmp->op],
			     b, b, op_plain[op], c);
	else
		syntax_error(p, op2, "comparisons do not chain: write "
			     "'a < b and b < c'");
}

/* --------------------------------------------------------------- trees */

/* Enters one level of nesting; false (diagnosed) past the limit. */
static bool enter(gb_parser *p)
{
	if (p->depth >= p->max_depth) {
		too_deep(p, p->tok.span);
		return false;
	}
	p->depth++;
	return true;
}

/* A zeroed node with room for nargs children right after it. */
static gb_ast *ast_new(gb_parser *p, gb_ast_kind kind, gb_span span,
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

/*
 * Sets a's height from its children. NULL (diagnosed at span) when the
 * tree would be taller than the depth limit.
 */
static gb_ast *finish(gb_parser *p, gb_ast *a, gb_span span)
{
	uint32_t i, h = 0;

	for (i = 0; i < a->nargs; i++)
		if (a->args[i]->height > h)
			h = a->args[i]->height;
	a->height = h + 1;
	if (a->height > p->max_depth) {
		too_deep(p, span);
		return NULL;
	}
	return a;
}

/* A leaf (AST_NUM, AST_NAME) for the current token, which it consumes. */
static gb_ast *ast_leaf(gb_parser *p, gb_ast_kind kind)
{
	gb_ast *a = ast_new(p, kind, p->tok.span, 0);

	if (!a)
		return NULL;
	a->text = p->tok.text;
	a->text_len = p->tok.text_len;
	advance(p);
	return a;
}

static gb_ast *ast_unary(gb_parser *p, gb_ast_kind kind, gb_span span,
			 gb_ast *x)
{
	gb_ast *a;

	if (!x || !(a = ast_new(p, kind, span, 1)))
		return NULL;
	a->args[0] = x;
	return finish(p, a, span);
}

static gb_ast *ast_binary(gb_parser *p, unsigned op, gb_span op_span,
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

/* A node whose children are the collected v (AST_CALL, _PIECEWISE, ...). */
static gb_ast *ast_list(gb_parser *p, gb_ast_kind kind, gb_span span,
			const astvec *v)
{
	gb_ast *a = ast_new(p, kind, span, 0);

	if (!a)
		return NULL;
	a->nargs = v->n;
	a->args = v->v;
	return finish(p, a, span);
}

static bool vec_push(gb_parser *p, astvec *v, gb_ast *a)
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

/* ---------------------------------------------------------- expressions */

/*
 * args -> [ expr { ',' expr } ] ')'       (after the '(' of a call)
 * Returns false after a diagnostic or when memory ran out.
 */
static bool parse_args(gb_parser *p, astvec *v, const char *fname,
		       gb_span open)
{
	char what[96];

	if (p->tok.kind == TK_RPAREN) {
		close_bracket(p);
		return true;
	}
	for (;;) {
		gb_ast *e = parse_expr(p, 0);

		if (!vec_push(p, v, e))
			return false;
		if (p->tok.kind == TK_COMMA) {
			advance(p);
		} else if (p->tok.kind == TK_RPAREN) {
			close_bracket(p);
			return true;
		} else {
			snprintf(what, sizeof what,
				 "',' or ')' after argument of '%s'", fname);
			list_error(p, e, what, &open);
			return false;
		}
	}
}

/*
 * piecewise -> 'piecewise' '(' [ branch { ',' branch } ] ')'
 * branch    -> expr ':' expr
 *            | 'otherwise' ':' expr      (only as the last branch)
 *            | expr                      (only last: the otherwise-value)
 * The children are cond, value, cond, value, ... and, with
 * AST_F_OTHERWISE, the otherwise-value last.
 */
static gb_ast *parse_piecewise(gb_parser *p, gb_span name_span, gb_span open)
{
	astvec v = { NULL, 0, 0 };
	uint16_t flags = 0;
	gb_ast *a;

	/* piecewise(): no branch at all, the undefined value (what the
	 * printer writes for a piecewise whose every condition is false) */
	for (bool empty = p->tok.kind == TK_RPAREN; !empty;) {
		gb_ast *c;

		if (tok_is_word(&p->tok, "otherwise")) {
			gb_span ow = p->tok.span;

			advance(p);
			if (p->tok.kind != TK_COLON) {
				expected(p, "':' after 'otherwise'");
				return NULL;
			}
			advance(p);
			if (!vec_push(p, &v, parse_expr(p, 0)))
				return NULL;
			flags = AST_F_OTHERWISE;
			if (p->tok.kind == TK_COMMA) {
				syntax_error(p, ow, "'otherwise' must be the "
					     "last branch of piecewise");
				return NULL;
			}
		} else {
			c = parse_expr(p, 0);
			if (!vec_push(p, &v, c))
				return NULL;
			if (p->tok.kind == TK_COLON) {
				advance(p);
				if (!vec_push(p, &v, parse_expr(p, 0)))
					return NULL;
			} else if (p->tok.kind == TK_RPAREN && v.n > 1) {
				flags = AST_F_OTHERWISE;	/* bare value */
			} else {
				list_error(p, c, "':' after the condition of "
					   "a piecewise branch", &open);
				return NULL;
			}
		}
		if (p->tok.kind == TK_RPAREN)
			break;
		if (p->tok.kind != TK_COMMA) {
			list_error(p, v.v[v.n - 1], "',' or ')' after a "
				   "piecewise branch", &open);
			return NULL;
		}
		advance(p);
	}
	close_bracket(p);
	a = ast_list(p, AST_PIECEWISE, span_from(p, name_span.off), &v);
	if (a) {
		a->flags = flags;
		a->name_span = name_span;
		a->text = "piecewise";
		a->text_len = 9;
	}
	return a;
}

/*
 * primary -> number | name | call | piecewise | '(' expr ')' | matrix
 * call    -> name '(' args
 */
static GB_NOINLINE gb_ast *parse_name(gb_parser *p)
{
	const char *text = p->tok.text;
	uint32_t len = p->tok.text_len;
	gb_span name_span = p->tok.span, open;
	astvec v = { NULL, 0, 0 };
	gb_ast *a;

	if (tok_is_word(&p->tok, "otherwise")) {
		syntax_error(p, name_span, "'otherwise' may only begin the "
			     "last branch of piecewise");
		return NULL;
	}
	if (peek(p) != TK_LPAREN)
		return ast_leaf(p, AST_NAME);
	advance(p);
	open = p->tok.span;
	open_bracket(p);
	if (strcmp(text, "piecewise") == 0)
		return parse_piecewise(p, name_span, open);
	if (!parse_args(p, &v, text, open))
		return NULL;
	a = ast_list(p, AST_CALL, span_from(p, name_span.off), &v);
	if (a) {
		a->name_span = name_span;
		a->text = text;
		a->text_len = len;
	}
	return a;
}

/*
 * The entries of one bracketed list, after its '[':
 * list -> expr { ',' expr } ']'
 */
static bool parse_list(gb_parser *p, astvec *v, gb_span open)
{
	for (;;) {
		gb_ast *e = parse_expr(p, 0);

		if (!vec_push(p, v, e))
			return false;
		if (p->tok.kind == TK_COMMA) {
			advance(p);
		} else if (p->tok.kind == TK_RBRACK) {
			close_bracket(p);
			return true;
		} else if (p->tok.kind == TK_SEMI) {
			expected(p, "',' or ']' in matrix literal (write "
				 "rows as [[1, 2], [3, 4]])");
			return false;
		} else {
			list_error(p, e, "',' or ']' in matrix literal", &open);
			return false;
		}
	}
}

/*
 * matrix -> '[' list                        a column vector (n x 1)
 *         | '[' row { ',' row } ']'         rows x cols, row-major
 * row    -> '[' list                        every row as long as the first
 */
static GB_NOINLINE gb_ast *parse_matrix(gb_parser *p)
{
	gb_span open = p->tok.span;
	astvec v = { NULL, 0, 0 };
	uint32_t rows = 0, cols = 0;
	gb_ast *a;

	open_bracket(p);
	if (p->tok.kind != TK_LBRACK) {
		if (!parse_list(p, &v, open))
			return NULL;
		rows = v.n;
		cols = 1;
	} else {
		for (;;) {
			gb_span row_open = p->tok.span;
			uint32_t before = v.n;

			if (p->tok.kind != TK_LBRACK) {
				expected(p, "'[' to begin a row of the matrix");
				return NULL;
			}
			open_bracket(p);
			if (!parse_list(p, &v, row_open))
				return NULL;
			rows++;
			if (rows == 1) {
				cols = v.n;
			} else if (v.n - before != cols) {
				syntax_error(p, span_from(p, row_open.off),
					     "row %lu has %lu entries but row "
					     "1 has %lu", (unsigned long)rows,
					     (unsigned long)(v.n - before),
					     (unsigned long)cols);
				return NULL;
			}
			if (p->tok.kind == TK_RBRACK)
				break;
			if (p->tok.kind != TK_COMMA) {
				list_error(p, NULL, "',' or ']' after a row of "
					   "the matrix", &open);
				return NULL;
			}
			advance(p);
		}
		close_bracket(p);
	}
	a = ast_list(p, AST_MATRIX, span_from(p, open.off), &v);
	if (a) {
		a->rows = rows;
		a->cols = cols;
	}
	return a;
}

/* '(' expr ')' : the tree of expr, flagged and spanning the parentheses. */
static gb_ast *parse_paren(gb_parser *p)
{
	gb_span open = p->tok.span;
	gb_ast *e;

	open_bracket(p);
	e = parse_expr(p, 0);
	if (!e)
		return NULL;
	if (p->tok.kind != TK_RPAREN) {
		list_error(p, e, "')' to close '('", &open);
		return NULL;
	}
	close_bracket(p);
	e->flags |= AST_F_PAREN;
	e->span = span_from(p, open.off);
	return e;
}

/* prefix -> '-' expr(UNARY) | '+' expr(UNARY) | primary */
static gb_ast *parse_prefix(gb_parser *p)
{
	gb_span op = p->tok.span;
	gb_ast *x;

	switch (p->tok.kind) {
	case TK_MINUS:
		advance(p);
		x = parse_expr(p, GB_PREC_UNARY);
		return x ? ast_unary(p, AST_NEG, gb_span_join(op, x->span), x)
			 : NULL;
	case TK_PLUS:		/* +x is x */
		advance(p);
		x = parse_expr(p, GB_PREC_UNARY);
		if (x)
			x->span = gb_span_join(op, x->span);
		return x;
	case TK_NUM:
		return ast_leaf(p, AST_NUM);
	case TK_NAME:
		return parse_name(p);
	case TK_LPAREN:
		return parse_paren(p);
	case TK_LBRACK:
		return parse_matrix(p);
	default:
		expected(p, "expression");
		return NULL;
	}
}

/* The right operand of infix operator o, and the tree lhs o rhs. */
static gb_ast *parse_infix(gb_parser *p, gb_ast *lhs, const struct opinfo *o)
{
	gb_span op_span = p->tok.span;
	gb_ast *rhs;

	advance(p);
	rhs = parse_expr(p, o->right);
	if (!rhs)
		return NULL;
	if (is_comparison(o->op) && lhs->kind == AST_BINARY &&
	    is_comparison(lhs->op) && !(lhs->flags & AST_F_PAREN)) {
		chain_error(p, lhs, op_span, o->op, rhs);
		return NULL;
	}
	return ast_binary(p, o->op, op_span, lhs, rhs);
}

/*
 * expr -> prefix { infix-op expr | "'" }
 *
 * Extends lhs with each infix operator whose left power exceeds limit;
 * its right operand is parsed with the operator's right power
 * (grammar/operators.def). Postfix transpose binds tightest
 * (GB_PREC_POSTFIX), so it always applies to the operand just read.
 */
static gb_ast *parse_expr(gb_parser *p, unsigned limit)
{
	gb_ast *lhs;

	if (!enter(p))
		return NULL;
	lhs = parse_prefix(p);
	while (lhs) {
		const struct opinfo *o = &infix[p->tok.kind];

		if (p->tok.kind == TK_QUOTE) {
			gb_span q = p->tok.span;

			advance(p);
			lhs = ast_unary(p, AST_TRANSPOSE,
					gb_span_join(lhs->span, q), lhs);
			continue;
		}
		if (o->op == GB_OP_NONE || o->left <= limit)
			break;
		lhs = parse_infix(p, lhs, o);
	}
	p->depth--;
	return lhs;
}

/* ----------------------------------------------------------- statements */

/*
 * The end of a statement: a newline, ';' or the end of input. lhs, when
 * given, is the expression just read (for the missing-'*' suggestion).
 */
static bool expect_end(gb_parser *p, const gb_ast *lhs)
{
	gb_tok_kind k = p->tok.kind;
	char buf[48];

	if (k == TK_NEWLINE || k == TK_SEMI || k == TK_EOF)
		return true;
	if (lexer_reported(p))
		return false;
	if (k == TK_ASSIGN)
		assign_in_expr(p, p->tok.span);
	else if (k == TK_RPAREN || k == TK_RBRACK)
		syntax_error(p, p->tok.span, "unmatched %s",
			     gb_tok_name(k));
	else if (lhs && starts_operand(k))
		unexpected_after(p, lhs);
	else if (lhs)
		syntax_error(p, p->tok.span, "unexpected %s after expression",
			     describe(p, &p->tok, buf, sizeof buf));
	else
		expected(p, "end of statement");
	return false;
}

static gb_stmt *stmt_new(gb_parser *p, gb_stmt_kind kind, uint32_t start)
{
	gb_stmt *s = gb_ctx_tmp(p->ctx, sizeof *s);

	if (!s)
		return NULL;
	memset(s, 0, sizeof *s);
	s->kind = (uint8_t)kind;
	s->rel = GB_OP_NONE;
	s->span = span_from(p, start);
	return s;
}

/* The relation of `param name REL bound`, GB_OP_NONE if not one. */
static unsigned param_rel(gb_tok_kind kind)
{
	switch (kind) {
	case TK_LT:
		return GB_OP_LT;
	case TK_LE:
		return GB_OP_LE;
	case TK_GT:
		return GB_OP_GT;
	case TK_GE:
		return GB_OP_GE;
	case TK_ASSIGN:
	case TK_EQEQ:
		return GB_OP_EQ;
	default:
		return GB_OP_NONE;
	}
}

/*
 * decl -> 'param' name [ ('<' | '<=' | '>' | '>=' | '=') expr ]
 *       | 'dim' name [ '=' expr ]
 *       | 'vector' name '[' expr ']'
 *       | 'matrix' name '[' expr ',' expr ']'
 * The keywords are contextual: a declaration is a keyword followed by a
 * name at the start of a statement; elsewhere they are ordinary names.
 */
static gb_stmt *parse_decl(gb_parser *p, gb_stmt_kind kind, const char *kw)
{
	uint32_t start = p->tok.span.off;
	gb_token name;
	gb_ast *dims[2] = { NULL, NULL }, *e = NULL;
	unsigned rel = GB_OP_NONE;
	uint32_t ndims = 0;
	gb_stmt *s;
	char what[96];

	advance(p);			/* the keyword */
	name = p->tok;
	if (tok_is_word(&name, "otherwise")) {
		syntax_error(p, name.span, "'otherwise' is reserved and "
			     "cannot be declared");
		return NULL;
	}
	advance(p);
	switch (kind) {
	case STMT_PARAM:
		rel = param_rel(p->tok.kind);
		if (rel != GB_OP_NONE) {
			advance(p);
			e = parse_expr(p, infix[TK_LT].left);
			if (!e)
				return NULL;
		} else if (p->tok.kind != TK_NEWLINE &&
			   p->tok.kind != TK_SEMI && p->tok.kind != TK_EOF) {
			snprintf(what, sizeof what, "'>', '>=', '<', '<=', "
				 "'=' or end of statement after 'param %s'",
				 name.text);
			expected(p, what);
			return NULL;
		}
		break;
	case STMT_DIM:
		if (p->tok.kind == TK_ASSIGN) {
			advance(p);
			if (!(e = parse_expr(p, 0)))
				return NULL;
		}
		break;
	default: {			/* vector, matrix */
		gb_span open = p->tok.span;

		if (p->tok.kind != TK_LBRACK) {
			snprintf(what, sizeof what, "'[' after '%s %s'", kw,
				 name.text);
			expected(p, what);
			return NULL;
		}
		open_bracket(p);
		if (!(dims[ndims++] = parse_expr(p, 0)))
			return NULL;
		if (kind == STMT_MATRIX) {
			if (p->tok.kind != TK_COMMA) {
				snprintf(what, sizeof what, "',' and the "
					 "number of columns of '%s'",
					 name.text);
				list_error(p, dims[0], what, &open);
				return NULL;
			}
			advance(p);
			if (!(dims[ndims++] = parse_expr(p, 0)))
				return NULL;
		}
		if (p->tok.kind != TK_RBRACK) {
			list_error(p, dims[ndims - 1], "']' to close '['",
				   &open);
			return NULL;
		}
		close_bracket(p);
		break;
	}
	}
	if (!expect_end(p, e ? e : dims[0]))
		return NULL;
	if (!(s = stmt_new(p, kind, start)))
		return NULL;
	s->rel = (uint8_t)rel;
	s->name = name.text;
	s->name_len = name.text_len;
	s->name_span = name.span;
	s->expr = e;
	if (ndims) {
		s->params = gb_ctx_tmp(p->ctx, ndims * sizeof *s->params);
		if (!s->params)
			return NULL;
		memcpy(s->params, dims, ndims * sizeof *s->params);
		s->nparams = ndims;
	}
	return s;
}

/* The declaration keyword the current token is, if it starts one. */
static bool decl_start(gb_parser *p, gb_stmt_kind *kind)
{
	static const struct {
		const char *word;
		gb_stmt_kind kind;
	} kw[] = {
		{ "param", STMT_PARAM }, { "dim", STMT_DIM },
		{ "vector", STMT_VECTOR }, { "matrix", STMT_MATRIX },
	};
	size_t i;

	if (p->tok.kind != TK_NAME)
		return false;
	for (i = 0; i < sizeof kw / sizeof kw[0]; i++) {
		if (strcmp(p->tok.text, kw[i].word) == 0) {
			*kind = kw[i].kind;
			return peek(p) == TK_NAME;
		}
	}
	return false;
}

/*
 * Checks that the call f(...) on the left of '=' defines a function:
 * every argument a distinct name.
 */
static bool check_params(gb_parser *p, const gb_ast *call)
{
	uint32_t i, j;

	for (i = 0; i < call->nargs; i++) {
		const gb_ast *a = call->args[i];

		if (a->kind != AST_NAME) {
			syntax_error(p, a->span, "a parameter of '%s' must be "
				     "a name", call->text);
			return false;
		}
		for (j = 0; j < i; j++) {
			if (strcmp(call->args[j]->text, a->text) == 0) {
				syntax_error(p, a->span, "parameter '%s' "
					     "appears twice in the definition "
					     "of '%s'", a->text, call->text);
				return false;
			}
		}
	}
	return true;
}

/* ------------------------------------------------------------- queries */

/* A string token, consumed into *text / *span; false (diagnosed) if not. */
static bool take_string(gb_parser *p, const char *what, const char **text,
			gb_span *span)
{
	if (p->tok.kind != TK_STRING) {
		expected(p, what);
		return false;
	}
	*text = p->tok.text;
	*span = p->tok.span;
	advance(p);
	return true;
}

/* The current token is the contextual word `word`; consumes it if so. */
static bool accept_word(gb_parser *p, const char *word)
{
	if (!tok_is_word(&p->tok, word))
		return false;
	advance(p);
	return true;
}

static bool expect_word(gb_parser *p, const char *word, const char *what)
{
	char buf[64];

	if (accept_word(p, word))
		return true;
	snprintf(buf, sizeof buf, "'%s' %s", word, what);
	expected(p, buf);
	return false;
}

/* A small integer literal (digits, depth bounds); false (diagnosed). */
static bool take_count(gb_parser *p, const char *what, long lo, long hi,
		       long *out)
{
	long v = 0;

	if (p->tok.kind != TK_NUM) {
		expected(p, what);
		return false;
	}
	for (uint32_t i = 0; i < p->tok.text_len; i++) {
		char c = p->tok.text[i];

		if (c < '0' || c > '9' || v > hi) {
			v = hi + 1;
			break;
		}
		v = 10 * v + (c - '0');
	}
	if (v < lo || v > hi) {
		syntax_error(p, p->tok.span, "%s must be a whole number from "
			     "%ld to %ld", what, lo, hi);
		return false;
	}
	*out = v;
	advance(p);
	return true;
}

/*
 * bindings -> binding { ',' binding }
 * binding  -> name '=' expr { ',' expr }
 * A ',' followed by `name =` starts the next binding; one followed by
 * anything else adds a value to the current one (at x = -1, 1).
 * With one set, exactly one binding is read.
 */
static bool parse_bindings(gb_parser *p, bool one, gb_binding **out,
			   uint32_t *nout)
{
	gb_binding *b = NULL;
	uint32_t n = 0, cap = 0;
	bool next = true;

	while (next) {
		astvec v = { NULL, 0, 0 };
		gb_binding *cur;

		if (p->tok.kind != TK_NAME || peek(p) != TK_ASSIGN) {
			expected(p, "'NAME = value'");
			return false;
		}
		if (n == cap) {
			gb_binding *nb;

			cap = cap ? 2 * cap : 4;
			nb = gb_ctx_tmp(p->ctx, cap * sizeof *nb);
			if (!nb)
				return false;
			if (n)
				memcpy(nb, b, n * sizeof *nb);
			b = nb;
		}
		cur = &b[n++];
		cur->name = p->tok.text;
		cur->span = p->tok.span;
		advance(p);
		advance(p);	/* '=' */
		next = false;
		for (;;) {
			if (!vec_push(p, &v, parse_expr(p, 0)))
				return false;
			if (p->tok.kind != TK_COMMA)
				break;
			advance(p);
			if (!one && p->tok.kind == TK_NAME &&
			    peek(p) == TK_ASSIGN) {
				next = true;	/* `, name =`: the next one */
				break;
			}
		}
		cur->values = v.v;
		cur->nvalues = v.n;
	}
	*out = b;
	*nout = n;
	return true;
}

/* items -> expr [ string ] { ',' expr [ string ] } */
static bool parse_items(gb_parser *p, gb_query *q)
{
	uint32_t cap = 0;

	for (;;) {
		gb_ast *e = parse_expr(p, 0);

		if (!e)
			return false;
		if (q->nitems == cap) {
			gb_item *ni;

			cap = cap ? 2 * cap : 4;
			ni = gb_ctx_tmp(p->ctx, cap * sizeof *ni);
			if (!ni)
				return false;
			if (q->nitems)
				memcpy(ni, q->items, q->nitems * sizeof *ni);
			q->items = ni;
		}
		q->items[q->nitems].expr = e;
		q->items[q->nitems].label = NULL;
		if (p->tok.kind == TK_STRING) {
			q->items[q->nitems].label = p->tok.text;
			advance(p);
		}
		q->nitems++;
		if (p->tok.kind != TK_COMMA)
			return true;
		advance(p);
	}
}

/* [ 'in' name ]: the variable of smooth and stack. */
static bool parse_in(gb_parser *p, gb_query *q, bool required)
{
	if (!accept_word(p, "in")) {
		if (required)
			expected(p, "'in' and the layer's variable");
		return !required;
	}
	if (p->tok.kind != TK_NAME) {
		expected(p, "a variable name after 'in'");
		return false;
	}
	q->var = p->tok.text;
	q->var_span = p->tok.span;
	advance(p);
	return true;
}

/*
 * check-body -> arith '==' ( 'latex' string | expr )
 * The left side stops before '==' so the answer is everything after it.
 */
static bool parse_check_body(gb_parser *p, gb_query *q)
{
	q->mode = QM_CHECK;
	if (!(q->expr = parse_expr(p, infix[TK_EQEQ].left)))
		return false;
	if (p->tok.kind != TK_EQEQ) {
		list_error(p, q->expr, "'==' and the answer to check", NULL);
		return false;
	}
	advance(p);
	if (tok_is_word(&p->tok, "latex") && peek(p) == TK_STRING) {
		advance(p);
		q->latex_answer = true;
		return take_string(p, "a LaTeX answer in quotes", &q->text,
				   &q->text_span);
	}
	return (q->target = parse_expr(p, 0)) != NULL;
}

/* eval-body -> expr [ 'at' bindings ] [ 'digits' number ] */
static bool parse_eval_body(gb_parser *p, gb_query *q)
{
	q->mode = QM_EVAL;
	if (!(q->expr = parse_expr(p, 0)))
		return false;
	if (accept_word(p, "at") &&
	    !parse_bindings(p, false, &q->at, &q->nat))
		return false;
	if (accept_word(p, "digits"))
		return take_count(p, "the number of digits", 1, 100000,
				  &q->digits);
	return true;
}

/*
 * answer-body -> 'text' string
 *              | 'steps' expr
 *              | 'smooth' items [ 'in' name ]
 *              | 'approach' expr 'to' expr 'as' binding [ 'at' bindings ]
 *              | 'stack' items 'in' name 'depth' number 'to' number
 *                'at' bindings
 *              | 'check' check-body
 *              | 'eval' eval-body
 *              | expr
 * The mode words are contextual: each is a mode only when something
 * follows it on the line (answer "1" text is the expression `text`).
 */
static bool parse_answer_body(gb_parser *p, gb_query *q)
{
	gb_tok_kind nk = p->tok.kind == TK_NAME ? peek(p) : TK_EOF;
	bool more = nk != TK_NEWLINE && nk != TK_SEMI && nk != TK_EOF &&
		    infix[nk].op == GB_OP_NONE && nk != TK_QUOTE;

	if (more && accept_word(p, "text")) {
		q->mode = QM_TEXT;
		return take_string(p, "the text in quotes", &q->text,
				   &q->text_span);
	}
	if (more && accept_word(p, "steps")) {
		q->mode = QM_STEPS;
		return (q->expr = parse_expr(p, 0)) != NULL;
	}
	if (more && accept_word(p, "smooth")) {
		q->mode = QM_SMOOTH;
		return parse_items(p, q) && parse_in(p, q, false);
	}
	if (more && accept_word(p, "approach")) {
		q->mode = QM_APPROACH;
		if (!(q->expr = parse_expr(p, 0)) ||
		    !expect_word(p, "to", "and the expression approached") ||
		    !(q->target = parse_expr(p, 0)) ||
		    !expect_word(p, "as", "and the parameter's values") ||
		    !parse_bindings(p, true, &q->as, &(uint32_t){ 0 }))
			return false;
		if (accept_word(p, "at"))
			return parse_bindings(p, false, &q->at, &q->nat);
		return true;
	}
	if (more && accept_word(p, "stack")) {
		q->mode = QM_STACK;
		return parse_items(p, q) && parse_in(p, q, true) &&
		       expect_word(p, "depth", "and the depths") &&
		       take_count(p, "the least depth", 1, 100000, &q->lo) &&
		       expect_word(p, "to", "and the greatest depth") &&
		       take_count(p, "the greatest depth", q->lo, 100000,
				  &q->hi) &&
		       expect_word(p, "at", "and the point") &&
		       parse_bindings(p, false, &q->at, &q->nat);
	}
	if (more && accept_word(p, "check"))
		return parse_check_body(p, q);
	if (more && accept_word(p, "eval"))
		return parse_eval_body(p, q);
	q->mode = QM_VALUE;
	return (q->expr = parse_expr(p, 0)) != NULL;
}

/* The query keyword the current token is, if it starts a query. */
static bool query_start(gb_parser *p, gb_query_kind *kind)
{
	static const struct {
		const char *word;
		gb_query_kind kind;
	} kw[] = {
		{ "show", STMT_SHOW }, { "answer", STMT_ANSWER },
		{ "check", STMT_CHECK }, { "smooth", STMT_SMOOTH },
		{ "eval", STMT_EVAL },
	};
	gb_tok_kind nk;

	if (p->tok.kind != TK_NAME)
		return false;
	for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++) {
		if (strcmp(p->tok.text, kw[i].word) != 0)
			continue;
		/*
		 * A query when an operand follows; `show(x) = ...` (a '('
		 * right after the word) is a definition, `show = 1` an
		 * assignment.
		 */
		nk = peek(p);
		if (nk == TK_LPAREN)
			return p->ahead.span.off >
			       p->tok.span.off + p->tok.span.len &&
			       (*kind = kw[i].kind, true);
		if (starts_operand(nk) || nk == TK_MINUS) {
			*kind = kw[i].kind;
			return true;
		}
		return false;
	}
	return false;
}

/*
 * query -> [ 'else' ] ( 'show' expr
 *                     | 'answer' string answer-body
 *                     | 'check' check-body
 *                     | 'smooth' items [ 'in' name ]
 *                     | 'eval' eval-body )
 */
static gb_stmt *parse_query(gb_parser *p, gb_query_kind kind, bool is_else,
			    uint32_t start)
{
	gb_query *q = gb_ctx_tmp(p->ctx, sizeof *q);
	gb_stmt *s;
	bool ok;

	if (!q)
		return NULL;
	memset(q, 0, sizeof *q);
	q->is_else = is_else;
	advance(p);			/* the keyword */
	switch (kind) {
	case STMT_SHOW:
		q->mode = QM_VALUE;
		ok = (q->expr = parse_expr(p, 0)) != NULL;
		break;
	case STMT_ANSWER:
		ok = take_string(p, "the slot's ID in quotes (answer \"1.1\" "
				 "...)", &q->slot, &q->slot_span) &&
		     parse_answer_body(p, q);
		if (ok && q->slot[0] == '\0') {
			syntax_error(p, q->slot_span, "a slot ID is not empty");
			ok = false;
		}
		break;
	case STMT_CHECK:
		ok = parse_check_body(p, q);
		break;
	case STMT_SMOOTH:
		q->mode = QM_SMOOTH;
		ok = parse_items(p, q) && parse_in(p, q, false);
		break;
	default:
		ok = parse_eval_body(p, q);
		break;
	}
	if (!ok || !expect_end(p, NULL))
		return NULL;
	if (!(s = stmt_new(p, (gb_stmt_kind)kind, start)))
		return NULL;
	s->q = q;
	s->expr = q->expr;
	return s;
}

/*
 * stmt -> decl
 *       | query
 *       | name '=' expr                       assignment
 *       | name '(' [ name { ',' name } ] ')' '=' expr      definition
 *       | expr
 */
static gb_stmt *parse_stmt(gb_parser *p)
{
	uint32_t start = p->tok.span.off;
	gb_stmt_kind kind = STMT_EXPR;
	gb_ast *lhs, *rhs = NULL;
	gb_stmt *s;
	gb_query_kind qk;

	if (decl_start(p, &kind))
		return parse_decl(p, kind, p->tok.text);
	if (tok_is_word(&p->tok, "else") && peek(p) == TK_NAME) {
		gb_span else_span = p->tok.span;

		advance(p);
		if (!query_start(p, &qk)) {
			syntax_error(p, else_span, "'else' must be followed "
				     "by a query (show, answer, check, smooth, "
				     "eval)");
			return NULL;
		}
		return parse_query(p, qk, true, start);
	}
	if (query_start(p, &qk))
		return parse_query(p, qk, false, start);
	kind = STMT_EXPR;
	if (!(lhs = parse_expr(p, 0)))
		return NULL;
	if (p->tok.kind == TK_ASSIGN) {
		if (lhs->kind == AST_NAME) {
			kind = STMT_ASSIGN;
		} else if (lhs->kind == AST_CALL) {
			if (!check_params(p, lhs))
				return NULL;
			kind = STMT_DEF;
		} else {
			assign_in_expr(p, p->tok.span);
			return NULL;
		}
		advance(p);
		if (!(rhs = parse_expr(p, 0)))
			return NULL;
	}
	if (!expect_end(p, rhs ? rhs : lhs))
		return NULL;
	if (!(s = stmt_new(p, kind, start)))
		return NULL;
	switch (kind) {
	case STMT_ASSIGN:
		s->name = lhs->text;
		s->name_len = lhs->text_len;
		s->name_span = lhs->span;
		s->expr = rhs;
		break;
	case STMT_DEF:
		s->name = lhs->text;
		s->name_len = lhs->text_len;
		s->name_span = lhs->name_span;
		s->nparams = lhs->nargs;
		s->params = lhs->args;
		s->expr = rhs;
		break;
	default:
		s->expr = lhs;
		break;
	}
	return s;
}

/*
 * Skips the rest of a statement that failed: up to the next newline or
 * ';' outside brackets (brackets the statement left open count).
 */
static void recover(gb_parser *p)
{
	for (;;) {
		gb_tok_kind k = p->tok.kind;

		if (k == TK_EOF)
			return;
		if (p->nest == 0 && (k == TK_NEWLINE || k == TK_SEMI))
			return;
		if (k == TK_LPAREN || k == TK_LBRACK)
			p->nest++;
		else if ((k == TK_RPAREN || k == TK_RBRACK) && p->nest > 0)
			p->nest--;
		advance(p);
	}
}

static void parser_init(gb_parser *p, gb_ctx *ctx, const gb_source *src)
{
	memset(p, 0, sizeof *p);
	p->ctx = ctx;
	p->src = src;
	p->max_depth = ctx->limits.max_depth ? ctx->limits.max_depth : 1;
	gb_lex_init(&p->lx, ctx, src);
	p->tok = lex_raw(p);
}

/* program -> { [ stmt ] ( newline | ';' ) } end-of-input */
gb_program *gb_parse_program(gb_ctx *ctx, const gb_source *src)
{
	gb_parser p;
	gb_program *prog;
	uint32_t cap = 0;

	if (!src || ctx->oom)
		return NULL;
	prog = gb_ctx_tmp(ctx, sizeof *prog);
	if (!prog)
		return NULL;
	prog->src = src;
	prog->nstmts = 0;
	prog->stmts = NULL;
	parser_init(&p, ctx, src);
	for (;;) {
		gb_stmt *s;

		while (p.tok.kind == TK_NEWLINE || p.tok.kind == TK_SEMI)
			advance(&p);
		if (p.tok.kind == TK_EOF)
			break;
		p.failed = false;
		p.nest = 0;
		p.depth = 0;
		s = parse_stmt(&p);
		if (ctx->oom)
			return NULL;
		if (!s) {
			if (!p.failed)	/* every failure is diagnosed */
				expected(&p, "statement");
			recover(&p);
			continue;
		}
		if (prog->nstmts == cap) {
			gb_stmt **v;

			cap = cap ? 2 * cap : 8;
			v = gb_ctx_tmp(ctx, cap * sizeof *v);
			if (!v)
				return NULL;
			if (prog->nstmts)
				memcpy(v, prog->stmts,
				       prog->nstmts * sizeof *v);
			prog->stmts = v;
		}
		prog->stmts[prog->nstmts++] = s;
	}
	return ctx->oom ? NULL : prog;
}

/* one-expr -> { newline } expr { newline } end-of-input */
gb_ast *gb_parse_expr(gb_ctx *ctx, const gb_source *src)
{
	gb_parser p;
	gb_ast *e;

	if (!src || ctx->oom)
		return NULL;
	parser_init(&p, ctx, src);
	while (p.tok.kind == TK_NEWLINE)
		advance(&p);
	e = parse_expr(&p, 0);
	if (!e)
		return NULL;
	while (p.tok.kind == TK_NEWLINE)
		advance(&p);
	if (p.tok.kind == TK_SEMI) {
		syntax_error(&p, p.tok.span, "expected one expression, "
			     "found ';'");
		return NULL;
	}
	if (p.tok.kind != TK_EOF) {
		expect_end(&p, e);
		return NULL;
	}
	return ctx->oom ? NULL : e;
}
