/*
 * strbuf.c - growable byte buffer (see strbuf.h).
 */
#include "core/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gb_sb_init(gb_strbuf *sb, gb_mem *mem)
{
	memset(sb, 0, sizeof *sb);
	sb->mem = mem;
}

void gb_sb_free(gb_strbuf *sb)
{
	gb_mem_free(sb->mem, sb->s);
	sb->s = NULL;
	sb->len = sb->cap = 0;
}

void gb_sb_reset(gb_strbuf *sb)
{
	sb->len = 0;
	sb->failed = false;
	if (sb->s)
		sb->s[0] = '\0';
}

bool gb_sb_ok(const gb_strbuf *sb)
{
	return !sb->failed;
}

/* Makes room for n more bytes plus the terminator (gb_sb_room's slow
 * path; gb_sb_room is tried first wherever it is used). */
bool gb_sb_grow(gb_strbuf *sb, size_t n)
{
	size_t cap;
	char *s;

	if (sb->failed)
		return false;
	if (sb->len + n + 1 <= sb->cap)
		return true;
	cap = sb->cap ? sb->cap : 256;	/* most printed formulas fit */
	while (cap < sb->len + n + 1) {
		if (cap > ((size_t)-1) / 2) {
			sb->failed = true;
			return false;
		}
		cap *= 2;
	}
	s = gb_mem_realloc(sb->mem, sb->s, cap);
	if (!s) {
		sb->failed = true;
		return false;
	}
	sb->s = s;
	sb->cap = cap;
	sb->s[sb->len] = '\0';
	return true;
}

void gb_sb_spaced(gb_strbuf *sb, const char *s)
{
	size_t n = strlen(s);

	if (!gb_sb_room(sb, n + 2))
		return;
	sb->s[sb->len++] = ' ';
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
	sb->s[sb->len++] = ' ';
	sb->s[sb->len] = '\0';
}

void gb_sb_vprintf(gb_strbuf *sb, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0) {
		sb->failed = true;
		return;
	}
	if (!gb_sb_room(sb, (size_t)n))
		return;
	vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void gb_sb_printf(gb_strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gb_sb_vprintf(sb, fmt, ap);
	va_end(ap);
}

const char *gb_sb_str(const gb_strbuf *sb)
{
	return sb->s && !sb->failed ? sb->s : "";
}

char *gb_sb_take(gb_strbuf *sb)
{
	char *s;

	if (sb->failed) {
		gb_sb_free(sb);
		sb->failed = false;
		return NULL;
	}
	if (!gb_sb_room(sb, 0))
		return NULL;
	s = sb->s;
	sb->s = NULL;
	sb->len = sb->cap = 0;
	return s;
}
