/*
 * cmd_run.c - `gradbox run` (the statements of expression files) and
 * `gradbox render` (their answers in a template's boxes).
 *
 *   gradbox run examples/hw3.grad
 *   gradbox render -o build/hw3-answers.tex examples/hw3.grad
 *
 * render writes its output atomically (a temporary file in the same
 * directory, then rename), so a failed render never leaves a half-written
 * file. With -o it then compiles the document with pdflatex, when that is
 * installed, and reads the log: a box whose content is taller than its
 * fixed height is reported there by the template ("gradbox-overflow:
 * ID"); render then shortens that slot's derivation and compiles again,
 * and if the box still overflows, names it and fails.
 *
 * The process and file handling is POSIX (fork, exec, rename); the
 * library itself does none of it.
 */
#define _POSIX_C_SOURCE 200809L

#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Diagnostics (errors, warnings, notes) on stderr, then cleared. */
static void show_diags(gb_ctx *ctx)
{
	char *s = gb_diag_render(ctx);

	if (s && *s)
		fputs(s, stderr);
	gb_free(s);
	gb_diag_clear(ctx);
}

int cmd_run(gb_ctx *ctx, const opts *o)
{
	gb_format fmt = o->json ? GB_FORMAT_JSON :
			o->latex ? GB_FORMAT_LATEX : GB_FORMAT_PLAIN;
	int rc = EXIT_OK;

	if (o->npos == 0)
		return bad_usage(o->cmd, "expected an expression file");
	if (o->nfiles || o->nbinds)
		return bad_usage(o->cmd, "-f and NAME=VALUE do not apply: the "
				 "files' own statements run");
	for (size_t i = 0; i < o->npos; i++) {
		gb_ctx *c = i == 0 ? ctx : gb_ctx_new();
		size_t len;
		char *text, *out = NULL;
		gb_status st;

		if (!c) {
			fputs("gradbox: error: out of memory\n", stderr);
			return EXIT_BAD;
		}
		text = cli_read_file(o->pos[i], &len);
		if (!text) {
			rc = EXIT_BAD;
		} else {
			st = gb_run_text(c, o->pos[i], text, len, fmt, &out);
			if (out)
				fputs(out, stdout);
			fflush(stdout);
			show_diags(c);
			if (st != GB_OK)
				rc = EXIT_BAD;
			gb_free(out);
			free(text);
		}
		if (c != ctx)
			gb_ctx_free(c);
	}
	return rc;
}

/* ---------------------------------------------------------- render */

/*
 * Writes data to path atomically: a temporary file beside it, flushed
 * and renamed over it. False (after a message) when it cannot.
 */
static bool write_atomic(const char *path, const char *data)
{
	size_t n = strlen(path), len = strlen(data);
	char *tmp = malloc(n + 8);
	FILE *f;
	int fd;
	bool ok;

	if (!tmp)
		return false;
	memcpy(tmp, path, n);
	memcpy(tmp + n, ".XXXXXX", 8);
	fd = mkstemp(tmp);
	if (fd < 0) {
		fprintf(stderr, "gradbox: error: cannot create a file beside "
			"'%s': %s\n", path, strerror(errno));
		free(tmp);
		return false;
	}
	f = fdopen(fd, "wb");
	ok = f && fwrite(data, 1, len, f) == len;
	ok = f && fflush(f) == 0 && ok;
	ok = (f ? fclose(f) == 0 : close(fd) == 0) && ok;
	if (ok) {
		/* mkstemp makes it 0600; the output is an ordinary file */
		(void)chmod(tmp, 0644);
		ok = rename(tmp, path) == 0;
	}
	if (!ok) {
		fprintf(stderr, "gradbox: error: cannot write '%s': %s\n", path,
			strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	return ok;
}

/*
 * Runs pdflatex on dir/base (nonstop, halting on the first error), with
 * its output discarded. Returns its exit status, 127 when it could not
 * be run (not installed), -1 when we could not start it.
 */
static int run_pdflatex(char *dir, const char *base)
{
	const char *prog = getenv("GRADBOX_PDFLATEX");
	pid_t pid;
	int status;

	if (!prog || !*prog)
		prog = "pdflatex";
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
		}
		bool moved = chdir(dir) == 0;

		/* The child's copy of the caller's string: free it, or
		 * memcheck reports it lost when exec fails and we _exit. */
		free(dir);
		if (!moved)
			_exit(126);
		execlp(prog, prog, "-interaction=nonstopmode", "-halt-on-error",
		       "-file-line-error", base, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * Is this log line an error? "! message", or with -file-line-error
 * "./name.tex:12: message".
 */
static bool is_error_line(const char *p, size_t n)
{
	if (n > 1 && p[0] == '!')
		return true;
	for (size_t i = 0; i + 5 < n; i++) {
		if (memcmp(p + i, ".tex:", 5) == 0) {
			size_t k = i + 5;

			if (k >= n || p[k] < '0' || p[k] > '9')
				return false;
			while (k < n && p[k] >= '0' && p[k] <= '9')
				k++;
			return k < n && p[k] == ':';
		}
	}
	return false;
}

/* The first error of a LaTeX log, on stderr. */
static void report_latex_error(const char *logpath, const char *log)
{
	const char *p = log;

	while (p && *p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (is_error_line(p, n)) {
			fprintf(stderr, "gradbox render: error: LaTeX: %.*s\n",
				(int)n, p);
			fprintf(stderr, "gradbox render: note: the whole log is "
				"%s\n", logpath);
			return;
		}
		p = e ? e + 1 : NULL;
	}
	fprintf(stderr, "gradbox render: error: pdflatex failed (see %s)\n",
		logpath);
}

/* Reads a file quietly (NULL if it does not exist). */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;

	if (!f)
		return NULL;
	fclose(f);
	buf = cli_read_file(path, len);
	return buf;
}

/* The render of FILE with the slots in `shorten` shortened. */
static char *render_once(gb_ctx *ctx, const opts *o, const char *text,
			 size_t len, const char *tmpl, size_t tlen,
			 const char *const *shorten, size_t nshorten)
{
	gb_render_opts ro = { o->tmpl, tmpl, tlen, shorten, nshorten };
	char *out = NULL;
	gb_status st = gb_render(ctx, o->pos[0], text, len, &ro, &out);

	show_diags(ctx);
	if (st != GB_OK) {
		gb_free(out);
		return NULL;
	}
	return out;
}

/* Splits "dir/name.tex" into "dir" and "name.tex" (dir "." if none). */
static bool split_path(const char *path, char **dir, const char **base)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 1;

	*dir = malloc(n + 2);	/* + 2: "/x.tex" gives "/" (n grows to 1) */
	if (!*dir)
		return false;
	if (slash) {
		memcpy(*dir, path, n);
		if (n == 0)
			(*dir)[n++] = '/';
	} else {
		(*dir)[0] = '.';
	}
	(*dir)[n] = '\0';
	*base = slash ? slash + 1 : path;
	return true;
}

/*
 * Compiles the written document and returns its overflowing slots (one
 * per line, "" when none) in a new string; NULL after a LaTeX error or
 * when pdflatex is missing (*missing then set).
 */
static char *compile(const char *out, bool *missing)
{
	char *dir, *logpath, *log, *slots;
	const char *base;
	size_t n = strlen(out), len;
	int st;

	*missing = false;
	if (!split_path(out, &dir, &base))
		return NULL;
	st = run_pdflatex(dir, base);
	free(dir);
	if (st == 127) {
		*missing = true;
		return NULL;
	}
	logpath = malloc(n + 1);
	if (!logpath)
		return NULL;
	memcpy(logpath, out, n - 4);
	memcpy(logpath + n - 4, ".log", 5);
	log = slurp(logpath, &len);
	if (st != 0) {
		report_latex_error(logpath, log);
		free(log);
		free(logpath);
		return NULL;
	}
	slots = gb_overflow_slots(log, log ? len : 0);
	free(log);
	free(logpath);
	return slots;
}

/* Splits "a\nb\n" in place into an array of lines; returns the count. */
static size_t lines_of(char *s, const char **v, size_t max)
{
	size_t n = 0;

	while (s && *s && n < max) {
		char *e = strchr(s, '\n');

		v[n++] = s;
		if (!e)
			break;
		*e = '\0';
		s = e + 1;
	}
	return n;
}

int cmd_render(gb_ctx *ctx, const opts *o)
{
	char *text = NULL, *tmpl = NULL, *tex = NULL, *over = NULL;
	const char *slots[64];
	size_t len, tlen = 0, nslots = 0;
	bool missing = false;
	gb_ctx *fresh = NULL;
	int rc = EXIT_BAD;

	if (o->npos != 1)
		return bad_usage(o->cmd, "expected one expression file, got %zu",
				 o->npos);
	if (o->nfiles || o->nbinds)
		return bad_usage(o->cmd, "-f and NAME=VALUE do not apply: the "
				 "file's own statements run");
	if (o->output && (strlen(o->output) < 5 ||
			  strcmp(o->output + strlen(o->output) - 4, ".tex") != 0))
		return bad_usage(o->cmd, "the output file's name must end in "
				 ".tex, got '%s'", o->output);
	if (!(text = cli_read_file(o->pos[0], &len)))
		return EXIT_BAD;
	if (o->tmpl && !(tmpl = cli_read_file(o->tmpl, &tlen)))
		goto out;
	tex = render_once(ctx, o, text, len, tmpl, tlen, NULL, 0);
	if (!tex)
		goto out;
	if (!o->output) {
		fputs(tex, stdout);
		rc = EXIT_OK;
		goto out;
	}
	if (!write_atomic(o->output, tex))
		goto out;
	if (o->no_pdf) {
		rc = EXIT_OK;
		goto out;
	}
	over = compile(o->output, &missing);
	if (missing) {
		fprintf(stderr, "gradbox render: note: pdflatex not found: "
			"wrote %s only (boxes not checked for overflow); install "
			"TeX Live with: apt-get install --no-install-recommends "
			"texlive-latex-base texlive-latex-recommended "
			"texlive-latex-extra\n", o->output);
		rc = EXIT_OK;
		goto out;
	}
	if (!over)
		goto out;
	nslots = lines_of(over, slots, sizeof slots / sizeof slots[0]);
	if (nslots) {
		/* shorten the overflowing derivations and try once more */
		char *again;

		for (size_t i = 0; i < nslots; i++)
			fprintf(stderr, "gradbox render: note: answer box '%s' "
				"overflows its fixed height; shortening its "
				"derivation\n", slots[i]);
		gb_free(tex);
		/* a fresh context: the file defines its names again */
		fresh = gb_ctx_new();
		tex = fresh ? render_once(fresh, o, text, len, tmpl, tlen,
					  slots, nslots) : NULL;
		if (!tex || !write_atomic(o->output, tex))
			goto out;
		again = compile(o->output, &missing);
		if (!again)
			goto out;
		nslots = lines_of(again, slots, sizeof slots / sizeof slots[0]);
		for (size_t i = 0; i < nslots; i++)
			fprintf(stderr, "gradbox render: error: answer box '%s' "
				"overflows its fixed height (its content is "
				"taller than the box; shorten the answer)\n",
				slots[i]);
		gb_free(over);
		over = again;
		if (nslots)
			goto out;
	}
	rc = EXIT_OK;
out:
	if (fresh)
		gb_ctx_free(fresh);
	gb_free(over);
	gb_free(tex);
	free(tmpl);
	free(text);
	return rc;
}
