/*
 * strbuf.h - growable NUL-terminated byte buffer for printers and
 * diagnostics.
 *
 * A failed allocation sets sb->failed and makes every later append a no-op,
 * so a printer appends freely and checks once at the end (gb_sb_ok).
 * Appending may move sb->s: never keep a pointer into it across appends.
 */
#ifndef GB_STRBUF_H
#define GB_STRBUF_H

#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "core/arena.h"

typedef struct gb_strbuf {
	char *s;	/* always NUL-terminated when len > 0 or cap > 0 */
	size_t len;
	size_t cap;
	bool failed;
	gb_mem *mem;	/* may be NULL: plain malloc */
} gb_strbuf;

void gb_sb_init(gb_strbuf *sb, gb_mem *mem);
void gb_sb_free(gb_strbuf *sb);
void gb_sb_reset(gb_strbuf *sb);		/* len = 0, keeps storage */
bool gb_sb_ok(const gb_strbuf *sb);

/*
 * Room for n more bytes and the terminator: true when there is (growing
 * the storage if need be), false once an allocation has failed. The
 * appends below are inline, with the growth out of line: printers append
 * a few bytes at a time, and a call per byte cost more than the copy.
 */
bool gb_sb_grow(gb_strbuf *sb, size_t n);

static inline bool gb_sb_room(gb_strbuf *sb, size_t n)
{
	if (!sb->failed && sb->len + n + 1 <= sb->cap)
		return true;
	return gb_sb_grow(sb, n);
}

static inline void gb_sb_putn(gb_strbuf *sb, const char *s, size_t n)
{
	if (!gb_sb_room(sb, n))
		return;
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
}

static inline void gb_sb_putc(gb_strbuf *sb, char c)
{
	if (!gb_sb_room(sb, 1))
		return;
	sb->s[sb->len++] = c;
	sb->s[sb->len] = '\0';
}

static inline void gb_sb_puts(gb_strbuf *sb, const char *s)
{
	gb_sb_putn(sb, s, strlen(s));
}

/* " s ": an infix operator with a space on each side. */
void gb_sb_spaced(gb_strbuf *sb, const char *s);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void gb_sb_printf(gb_strbuf *sb, const char *fmt, ...);
void gb_sb_vprintf(gb_strbuf *sb, const char *fmt, va_list ap);

/* Current contents ("" when empty); valid until the next append. */
const char *gb_sb_str(const gb_strbuf *sb);

/*
 * Hands the storage to the caller (free() it) and empties sb; NULL if an
 * append failed.
 */
char *gb_sb_take(gb_strbuf *sb);

/*
 * Is s[0..n) exactly the NUL-terminated word w? Stops at the first
 * difference, so scanning a table of words costs no strlen of each.
 */
static inline bool gb_str_is(const char *s, size_t n, const char *w)
{
	for (size_t i = 0; i < n; i++)
		if (w[i] != s[i] || w[i] == '\0')
			return false;
	return w[n] == '\0';
}

#endif /* GB_STRBUF_H */
