/*
 * lex.h - the lexer of the plain syntax.
 *
 * Tokens carry byte spans into their source. Identifiers are ASCII
 * letters, digits and '_' (starting with a letter or '_'), or a Greek
 * letter in UTF-8, which is read as its ASCII name (α is alpha, β beta,
 * σ sigma, ...), optionally followed by more identifier characters.
 * Number literals are exact: digits, an optional fraction and an
 * optional exponent (0.1, 1e-400, 2.5E+3); their value is computed by
 * lowering (front/lower.c), never through a double.
 * "⊙" (U+2299) is TK_DOTSTAR. Comments run from '#' to the end of the
 * line. Newlines are tokens (statements end at them); the parser ignores
 * them inside brackets.
 */
#ifndef GB_LEX_H
#define GB_LEX_H

#include <stdbool.h>
#include <stdint.h>

#include "front/source.h"

#define GB_TOKENS(X)                                           \
	X(EOF, "end of input")                                 \
	X(NEWLINE, "end of line")                              \
	X(SEMI, "';'")                                         \
	X(NUM, "number")                                       \
	X(NAME, "name")                                        \
	X(STRING, "string")                                    \
	X(LPAREN, "'('")                                       \
	X(RPAREN, "')'")                                       \
	X(LBRACK, "'['")                                       \
	X(RBRACK, "']'")                                       \
	X(COMMA, "','")                                        \
	X(COLON, "':'")                                        \
	X(ASSIGN, "'='")                                       \
	X(PLUS, "'+'")                                         \
	X(MINUS, "'-'")                                        \
	X(STAR, "'*'")                                         \
	X(SLASH, "'/'")                                        \
	X(CARET, "'^'")                                        \
	X(DOTSTAR, "'.*'")                                     \
	X(DOTCARET, "'.^'")                                    \
	X(QUOTE, "'''")                                        \
	X(LT, "'<'")                                           \
	X(LE, "'<='")                                          \
	X(GT, "'>'")                                           \
	X(GE, "'>='")                                          \
	X(EQEQ, "'=='")                                        \
	X(NE, "'!='")                                          \
	X(AND, "'and'")                                        \
	X(OR, "'or'")                                          \
	X(ERROR, "invalid character")

typedef enum gb_tok_kind {
#define X(k, desc) TK_##k,
	GB_TOKENS(X)
#undef X
	TK_COUNT
} gb_tok_kind;

typedef struct gb_token {
	gb_tok_kind kind;
	gb_span span;
	/*
	 * NAME: the identifier with Greek letters spelled in ASCII,
	 * NUL-terminated and owned by the context (same bytes as the source
	 * for ASCII names). STRING: the contents without the quotes.
	 */
	const char *text;
	uint32_t text_len;
} gb_token;

typedef struct gb_lexer {
	gb_ctx *ctx;
	const gb_source *src;
	uint32_t pos;
} gb_lexer;

void gb_lex_init(gb_lexer *lx, gb_ctx *ctx, const gb_source *src);

/*
 * Reads the next token. A character that starts no token gives TK_ERROR
 * after an error diagnostic at its span (invalid UTF-8 and NUL bytes
 * included); the caller decides how to recover.
 */
gb_token gb_lex_next(gb_lexer *lx);

/* "'+'", "number", ...: how a token kind is named in messages. */
const char *gb_tok_name(gb_tok_kind kind);

#endif /* GB_LEX_H */
