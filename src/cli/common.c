/*
 * common.c - helpers shared by the commands (see cli.h).
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int cli_report(gb_ctx *ctx)
{
	char *s = gb_diag_render(ctx);

	if (s && *s)
		fputs(s, stderr);
	gb_free(s);
	gb_diag_clear(ctx);
	return EXIT_BAD;
}

/* Reads a whole file; NULL (with a message) when it cannot. */
char *cli_read_file(const char *path, size_t *len)
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
int cli_prepare(gb_ctx *ctx, const opts *o, const gb_node **expr)
{
	gb_set_convention(ctx, o->convention);
	for (size_t i = 0; i < o->nfiles; i++) {
		size_t len;
		char *text = cli_read_file(o->files[i], &len);
		gb_status st;

		if (!text)
			return EXIT_BAD;
		st = gb_load(ctx, o->files[i], text, len);
		free(text);
		if (st != GB_OK)
			return cli_report(ctx);
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
			return cli_report(ctx);
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
		return cli_report(ctx);
	return EXIT_OK;
}

int cli_print_string(gb_ctx *ctx, char *s)
{
	if (!s) {
		if (gb_diag_errors(ctx))	/* e.g. too large to write out */
			return cli_report(ctx);
		fputs("gradbox: error: out of memory\n", stderr);
		return EXIT_BAD;
	}
	puts(s);
	gb_free(s);
	return EXIT_OK;
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
int bad_usage(const char *cmd, const char *fmt, ...)
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

