/*
 * cmd_batch.c - `gradbox batch` (many expression files, JSON Lines out)
 * and `gradbox grade` (answer sheets against a key, a report out).
 *
 *   gradbox batch -j 4 -o results.jsonl hw3.grad hw4.grad
 *   sed 's/^/show diff(/; s/$/, x)/' exprs.txt | gradbox batch -
 *   gradbox grade -o report.csv key.grad alice.tex bob.tex
 *
 * batch: one record per statement (gb_run_records), one JSON object per
 * line. N workers (pthreads), each input in a context of its own; a
 * worker that finishes writes every finished input that is next in
 * input order, so the output is the same bytes for every N. With '-'
 * every line of stdin is an input of its own (a statement, or several
 * separated by ';'), written as soon as it and those before it are done:
 * a filter for GNU parallel --pipe or Hadoop streaming.
 *
 * Records are written with write(2), whole, so an interrupted run leaves
 * whole lines. With -o they go to a temporary file beside OUT, which is
 * synced and renamed over OUT at the end; SIGINT and SIGTERM unlink it,
 * so OUT is the old file or a complete new one. The signal handler needs
 * the temporary name and two flags: the CLI's only file-scope state.
 */
#define _POSIX_C_SOURCE 200809L

#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

/* ---------------------------------------------------------- signals */

static char sig_tmp[4096];		/* the temporary output, or "" */
static volatile sig_atomic_t sig_have_tmp;
static atomic_int sig_caught;		/* the signal received, or 0 */
static atomic_int sig_writing;		/* a record is being written */

static void die_by(int sig)
{
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * Async-signal-safe: unlinks the temporary output, then dies by the
 * signal unless a record is being written; the writer dies after it.
 */
static void on_signal(int sig)
{
	if (sig_have_tmp)
		unlink(sig_tmp);
	atomic_store(&sig_caught, sig);
	if (sig_have_tmp || !atomic_load(&sig_writing))
		die_by(sig);
}

/* Writes all of buf to fd, as one piece as far as signals go. */
static bool write_whole(int fd, const char *buf, size_t n)
{
	bool ok = true;
	int sig;

	atomic_store(&sig_writing, 1);
	if ((sig = atomic_load(&sig_caught)) != 0)
		die_by(sig);
	while (n && ok) {
		ssize_t w = write(fd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		ok = w > 0;
		if (ok) {
			buf += w;
			n -= (size_t)w;
		}
	}
	atomic_store(&sig_writing, 0);
	if ((sig = atomic_load(&sig_caught)) != 0)
		die_by(sig);
	return ok;
}

static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/*
 * A temporary file beside path, for the signal handler to unlink: made
 * with SIGINT and SIGTERM blocked, so the handler never sees half a
 * name. The descriptor, or -1 after a message.
 */
static int open_tmp(const char *path)
{
	sigset_t set, old;
	size_t n = strlen(path);
	int fd;

	if (n + 8 > sizeof sig_tmp) {
		fprintf(stderr, "gradbox: error: output name too long\n");
		return -1;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	memcpy(sig_tmp, path, n);
	memcpy(sig_tmp + n, ".XXXXXX", 8);
	fd = mkstemp(sig_tmp);
	if (fd >= 0)
		sig_have_tmp = 1;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (fd < 0)
		fprintf(stderr, "gradbox: error: cannot create a file beside "
			"'%s': %s\n", path, strerror(errno));
	return fd;
}

/* Syncs fd, closes it and renames the temporary file to path. */
static bool commit_tmp(int fd, const char *path)
{
	bool ok = fsync(fd) == 0;
	char *dir, *slash;
	sigset_t set, old;

	ok = close(fd) == 0 && ok;
	/* mkstemp makes it 0600; the output is an ordinary file */
	ok = ok && chmod(sig_tmp, 0644) == 0;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	ok = ok && rename(sig_tmp, path) == 0;
	if (!ok) {
		fprintf(stderr, "gradbox: error: cannot write '%s': %s\n", path,
			strerror(errno));
		unlink(sig_tmp);
	}
	sig_have_tmp = 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	/* the rename itself made durable: sync the directory */
	if (ok && (dir = strdup(path)) != NULL) {
		int dfd;

		slash = strrchr(dir, '/');
		if (slash)
			slash[slash == dir] = '\0';
		dfd = open(slash ? dir : ".", O_RDONLY);
		if (dfd >= 0) {
			(void)fsync(dfd);
			close(dfd);
		}
		free(dir);
	}
	return ok;
}

static void drop_tmp(int fd)
{
	close(fd);
	unlink(sig_tmp);
	sig_have_tmp = 0;
}

/* ------------------------------------------------------------- JSON */

/* A JSON string; bytes that are not UTF-8 become '?'. */
static json_t *jstr(const char *s)
{
	json_t *j;
	char *t;

	if (!s)
		return json_null();
	if ((j = json_string(s)) != NULL)
		return j;
	t = strdup(s);
	if (!t)
		return json_null();
	for (char *p = t; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	j = json_string(t);
	free(t);
	return j ? j : json_null();
}

/* Appends obj as one line to *buf (malloc'd, *len bytes); frees obj. */
static bool put_line(json_t *obj, char **buf, size_t *len, size_t *cap)
{
	char *s = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	size_t n;

	json_decref(obj);
	if (!s)
		return false;
	n = strlen(s);
	if (*len + n + 2 > *cap) {
		size_t c = *cap ? *cap : 4096;
		char *nb;

		while (*len + n + 2 > c)
			c *= 2;
		nb = realloc(*buf, c);
		if (!nb) {
			free(s);
			return false;
		}
		*buf = nb;
		*cap = c;
	}
	memcpy(*buf + *len, s, n);
	(*buf)[*len + n] = '\n';
	*len += n + 1;
	(*buf)[*len] = '\0';
	free(s);
	return true;
}

/* ------------------------------------------------------------ batch */

enum { N_OUTCOMES = 4 };

/* One input: a file, or a line of stdin. */
typedef struct job {
	const char *path;	/* a file, or NULL for a line */
	char *text;		/* the line (owned) */
	size_t len;
	unsigned long lineno;
	char *out;		/* its records, JSON Lines (owned) */
	size_t outlen, outcap;
	unsigned long count[N_OUTCOMES], correct, incorrect, nrec;
	bool done, broken;	/* broken: out of memory */
} job;

typedef struct batch {
	const opts *o;
	gb_ctx *main;		/* the limits and the prelude's checks */
	const char **pre_name;	/* -f files: loaded into every context */
	char **pre_text;
	size_t *pre_len;
	size_t npre;

	pthread_mutex_t mu;
	pthread_cond_t work, space;
	job *ring;		/* window of inputs read, not yet written */
	size_t win;
	size_t nread, ntaken, nwritten;
	bool eof, failed_io;
	int fd;

	unsigned long count[N_OUTCOMES], correct, incorrect, nrec;
	size_t ninputs;
	bool tty;
	struct timespec t0, tlast;
	bool progress_shown;
} batch;

static json_t *diag_json(const gb_diag_info *d, const job *j)
{
	json_t *o = json_object();
	bool here = !j->path && d->file && strcmp(d->file, "-") == 0;

	json_object_set_new(o, "severity", jstr(d->severity));
	json_object_set_new(o, "file", jstr(d->file));
	json_object_set_new(o, "line", d->file ? json_integer(here ?
			    (json_int_t)j->lineno : (json_int_t)d->line) :
			    json_null());
	json_object_set_new(o, "col", d->file ? json_integer(d->col) :
			    json_null());
	json_object_set_new(o, "message", jstr(d->message));
	return o;
}

static json_t *record_json(const batch *b, const job *j, const gb_record *r)
{
	json_t *o = json_object(), *diags = json_array();

	json_object_set_new(o, "file", jstr(j->path ? j->path : "-"));
	json_object_set_new(o, "line", json_integer(j->path ?
			    (json_int_t)r->line : (json_int_t)j->lineno));
	json_object_set_new(o, "kind", jstr(r->kind));
	json_object_set_new(o, "slot", jstr(r->slot));
	json_object_set_new(o, "input", jstr(r->input));
	json_object_set_new(o, "outcome", jstr(gb_outcome_str(r->outcome)));
	json_object_set_new(o, "result", jstr(r->result));
	json_object_set_new(o, "latex", jstr(r->latex));
	json_object_set_new(o, "verdict", r->verdict < 0 ? json_null() :
			    jstr(r->verdict ? "correct" : "incorrect"));
	if (r->nclasses) {
		json_t *c = json_array();

		for (size_t i = 0; i < r->nclasses; i++)
			json_array_append_new(c, jstr(r->classes[i]));
		json_object_set_new(o, "class", c);
	} else {
		json_object_set_new(o, "class", json_null());
	}
	for (size_t i = 0; i < r->ndiags; i++)
		json_array_append_new(diags, diag_json(&r->diags[i], j));
	json_object_set_new(o, "diagnostics", diags);
	if (!b->o->no_times)
		json_object_set_new(o, "time_us", json_integer(
				    (json_int_t)r->usec));
	return o;
}

/* A record for an input that could not be read or run at all. */
static void input_failed(const batch *b, job *j, const char *kind,
			 const char *msg)
{
	json_t *o = json_object(), *diags = json_array(), *d = json_object();

	json_object_set_new(d, "severity", jstr("error"));
	json_object_set_new(d, "file", jstr(j->path ? j->path : "-"));
	json_object_set_new(d, "line", json_null());
	json_object_set_new(d, "col", json_null());
	json_object_set_new(d, "message", jstr(msg));
	json_array_append_new(diags, d);
	json_object_set_new(o, "file", jstr(j->path ? j->path : "-"));
	json_object_set_new(o, "line", j->path ? json_null() :
			    json_integer((json_int_t)j->lineno));
	json_object_set_new(o, "kind", jstr(kind));
	json_object_set_new(o, "slot", json_null());
	json_object_set_new(o, "input", jstr(j->path ? j->path : j->text));
	json_object_set_new(o, "outcome", jstr("failed"));
	json_object_set_new(o, "result", json_null());
	json_object_set_new(o, "latex", json_null());
	json_object_set_new(o, "verdict", json_null());
	json_object_set_new(o, "class", json_null());
	json_object_set_new(o, "diagnostics", diags);
	if (!b->o->no_times)
		json_object_set_new(o, "time_us", json_integer(0));
	j->count[GB_OUTCOME_FAILED]++;
	j->nrec++;
	if (!put_line(o, &j->out, &j->outlen, &j->outcap))
		j->broken = true;
}

/* Reads a whole file into j->text; false with errno set. */
static bool read_input(job *j)
{
	FILE *f = fopen(j->path, "rb");
	size_t cap = 8192, n = 0;
	char *buf;

	if (!f)
		return false;
	buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n - 1, f);

		n += got;
		if (n + 1 < cap)
			break;
		cap *= 2;
		{
			char *nb = realloc(buf, cap);

			if (!nb) {
				free(buf);
				buf = NULL;
				errno = ENOMEM;
			}
			buf = nb;
		}
	}
	if (buf && ferror(f)) {
		free(buf);
		buf = NULL;
		errno = EIO;
	}
	fclose(f);
	if (!buf)
		return false;
	buf[n] = '\0';
	j->text = buf;
	j->len = n;
	return true;
}

/* Runs one input in a context of its own; its records go to j->out. */
static void run_job(const batch *b, job *j)
{
	gb_ctx *ctx;
	gb_record *recs = NULL;
	size_t n = 0;
	unsigned long nodes = gb_get_limit(b->main, GB_LIMIT_NODES);

	if (j->path && !read_input(j)) {
		char msg[600];

		snprintf(msg, sizeof msg, "cannot read '%.400s': %s", j->path,
			 strerror(errno));
		input_failed(b, j, "file", msg);
		return;
	}
	ctx = gb_ctx_new();
	if (!ctx) {
		input_failed(b, j, j->path ? "file" : "line", "out of memory");
		return;
	}
	gb_set_limit(ctx, GB_LIMIT_NODES, nodes);
	if (b->o->timeout_ms)
		gb_set_limit(ctx, GB_LIMIT_MSEC, b->o->timeout_ms);
	gb_set_convention(ctx, b->o->convention);
	for (size_t i = 0; i < b->npre; i++)
		(void)gb_load(ctx, b->pre_name[i], b->pre_text[i],
			      b->pre_len[i]);
	gb_diag_clear(ctx);
	if (gb_run_records(ctx, j->path ? j->path : "-", j->text, j->len,
			   &recs, &n) == GB_ENOMEM || !recs) {
		input_failed(b, j, j->path ? "file" : "line", "out of memory");
	} else {
		for (size_t i = 0; i < n && !j->broken; i++) {
			const gb_record *r = &recs[i];

			j->count[r->outcome]++;
			j->nrec++;
			if (r->verdict == 1)
				j->correct++;
			else if (r->verdict == 0)
				j->incorrect++;
			if (!put_line(record_json(b, j, r), &j->out, &j->outlen,
				      &j->outcap))
				j->broken = true;
		}
	}
	gb_ctx_free(ctx);
	free(j->text);
	j->text = NULL;
}

static long ms_between(const struct timespec *a, const struct timespec *z)
{
	return (long)(z->tv_sec - a->tv_sec) * 1000 +
	       (long)(z->tv_nsec - a->tv_nsec) / 1000000;
}

/* The progress line on a terminal, at most five times a second. */
static void progress(batch *b, bool last)
{
	struct timespec now;

	if (!b->tty)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (last) {
		if (b->progress_shown)
			fputs("\r\033[K", stderr);
		return;
	}
	if (ms_between(&b->t0, &now) < 1000 ||
	    (b->progress_shown && ms_between(&b->tlast, &now) < 200))
		return;
	b->tlast = now;
	b->progress_shown = true;
	if (b->o->npos == 1 && strcmp(b->o->pos[0], "-") == 0)
		fprintf(stderr, "\rbatch: %zu lines, %lu statements, %lu "
			"failed\033[K", b->nwritten, b->nrec,
			b->count[GB_OUTCOME_FAILED]);
	else
		fprintf(stderr, "\rbatch: %zu/%zu files, %lu statements, %lu "
			"failed\033[K", b->nwritten, b->ninputs, b->nrec,
			b->count[GB_OUTCOME_FAILED]);
}

/* With b->mu held: writes the finished inputs that are next in order. */
static void flush_done(batch *b)
{
	while (b->nwritten < b->nread && b->ring[b->nwritten % b->win].done) {
		job *j = &b->ring[b->nwritten % b->win];

		if (j->broken) {
			fputs("gradbox: error: out of memory\n", stderr);
			b->failed_io = true;
		}
		if (j->outlen && !b->failed_io &&
		    !write_whole(b->fd, j->out, j->outlen)) {
			fprintf(stderr, "gradbox: error: cannot write the "
				"records: %s\n", strerror(errno));
			b->failed_io = true;
		}
		for (int k = 0; k < N_OUTCOMES; k++)
			b->count[k] += j->count[k];
		b->correct += j->correct;
		b->incorrect += j->incorrect;
		b->nrec += j->nrec;
		free(j->out);
		free(j->text);
		memset(j, 0, sizeof *j);
		b->nwritten++;
		pthread_cond_broadcast(&b->space);
	}
	progress(b, false);
}

static void *worker(void *arg)
{
	batch *b = arg;

	pthread_mutex_lock(&b->mu);
	for (;;) {
		job *j;

		while (b->ntaken == b->nread && !b->eof && !b->failed_io)
			pthread_cond_wait(&b->work, &b->mu);
		if (b->failed_io || b->ntaken == b->nread)
			break;
		j = &b->ring[b->ntaken++ % b->win];
		pthread_mutex_unlock(&b->mu);
		run_job(b, j);
		pthread_mutex_lock(&b->mu);
		j->done = true;
		flush_done(b);
	}
	pthread_cond_broadcast(&b->space);
	pthread_mutex_unlock(&b->mu);
	/* MPFR's constant caches are per thread: a worker frees its own */
	mpfr_free_cache2(MPFR_FREE_LOCAL_CACHE);
	return NULL;
}

/* Adds an input, waiting while the window is full. False: stop. */
static bool enqueue(batch *b, const char *path, char *text, size_t len,
		    unsigned long lineno)
{
	job *j;

	pthread_mutex_lock(&b->mu);
	while (b->nread - b->nwritten == b->win && !b->failed_io)
		pthread_cond_wait(&b->space, &b->mu);
	if (b->failed_io) {
		pthread_mutex_unlock(&b->mu);
		free(text);
		return false;
	}
	j = &b->ring[b->nread % b->win];
	memset(j, 0, sizeof *j);
	j->path = path;
	j->text = text;
	j->len = len;
	j->lineno = lineno;
	b->nread++;
	pthread_cond_signal(&b->work);
	pthread_mutex_unlock(&b->mu);
	return true;
}

/* Every line of stdin, an input of its own. */
static void read_stdin(batch *b)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long lineno = 0;

	while ((n = getline(&line, &cap, stdin)) >= 0) {
		char *copy;

		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		copy = malloc((size_t)n + 1);
		if (!copy) {
			fputs("gradbox: error: out of memory\n", stderr);
			break;
		}
		memcpy(copy, line, (size_t)n + 1);
		if (!enqueue(b, NULL, copy, (size_t)n, lineno))
			break;
	}
	free(line);
}

/* The -f files, read once and checked in the main context. */
static int load_prelude(batch *b, gb_ctx *ctx)
{
	const opts *o = b->o;

	b->npre = o->nfiles;
	b->pre_name = o->files;
	b->pre_text = calloc(o->nfiles + 1, sizeof *b->pre_text);
	b->pre_len = calloc(o->nfiles + 1, sizeof *b->pre_len);
	if (!b->pre_text || !b->pre_len)
		return EXIT_BAD;
	for (size_t i = 0; i < o->nfiles; i++) {
		b->pre_text[i] = cli_read_file(o->files[i], &b->pre_len[i]);
		if (!b->pre_text[i])
			return EXIT_BAD;
		if (gb_load(ctx, o->files[i], b->pre_text[i],
			    b->pre_len[i]) != GB_OK)
			return cli_report(ctx);
	}
	return EXIT_OK;
}

int cmd_batch(gb_ctx *ctx, const opts *o)
{
	batch b;
	pthread_t *tids;
	size_t nthreads = o->jobs ? o->jobs : 1, started = 0;
	bool from_stdin = false;
	int rc, fd = 1;

	if (o->npos == 0)
		return bad_usage(o->cmd, "expected expression files, or '-' "
				 "for statements on stdin");
	for (size_t i = 0; i < o->npos; i++)
		if (strcmp(o->pos[i], "-") == 0)
			from_stdin = true;
	if (from_stdin && o->npos > 1)
		return bad_usage(o->cmd, "'-' reads stdin: give it alone");
	if (o->nbinds)
		return bad_usage(o->cmd, "NAME=VALUE does not apply: bind "
				 "values in the files (param, eval ... at)");
	memset(&b, 0, sizeof b);
	b.o = o;
	b.main = ctx;
	rc = load_prelude(&b, ctx);
	if (rc != EXIT_OK)
		goto out;
	b.win = 4 * nthreads + 4;
	b.ring = calloc(b.win, sizeof *b.ring);
	tids = calloc(nthreads, sizeof *tids);
	if (!b.ring || !tids) {
		free(tids);
		fputs("gradbox: error: out of memory\n", stderr);
		rc = EXIT_BAD;
		goto out;
	}
	catch_signals();
	if (o->output && (fd = open_tmp(o->output)) < 0) {
		free(tids);
		rc = EXIT_BAD;
		goto out;
	}
	b.fd = fd;
	b.tty = isatty(2) == 1;
	clock_gettime(CLOCK_MONOTONIC, &b.t0);
	pthread_mutex_init(&b.mu, NULL);
	pthread_cond_init(&b.work, NULL);
	pthread_cond_init(&b.space, NULL);
	for (; started < nthreads; started++)
		if (pthread_create(&tids[started], NULL, worker, &b) != 0)
			break;
	if (!started) {
		fputs("gradbox: error: cannot start a worker thread\n", stderr);
		b.failed_io = true;
	} else if (from_stdin) {
		read_stdin(&b);
	} else {
		b.ninputs = o->npos;
		for (size_t i = 0; i < o->npos; i++)
			if (!enqueue(&b, o->pos[i], NULL, 0, 0))
				break;
	}
	pthread_mutex_lock(&b.mu);
	b.eof = true;
	pthread_cond_broadcast(&b.work);
	pthread_mutex_unlock(&b.mu);
	for (size_t i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	free(tids);
	progress(&b, true);
	pthread_cond_destroy(&b.space);
	pthread_cond_destroy(&b.work);
	pthread_mutex_destroy(&b.mu);
	for (size_t i = 0; i < b.win; i++) {
		free(b.ring[i].out);
		free(b.ring[i].text);
	}
	if (o->output) {
		if (b.failed_io)
			drop_tmp(fd);
		else if (!commit_tmp(fd, o->output))
			b.failed_io = true;
	}
	fprintf(stderr, "batch: %lu statements: %lu ok, %lu failed, %lu "
		"skipped, %lu handled; checks: %lu correct, %lu incorrect\n",
		b.nrec, b.count[GB_OUTCOME_OK], b.count[GB_OUTCOME_FAILED],
		b.count[GB_OUTCOME_SKIPPED], b.count[GB_OUTCOME_HANDLED],
		b.correct, b.incorrect);
	rc = b.failed_io ? EXIT_BAD : b.count[GB_OUTCOME_FAILED] ? EXIT_WRONG :
	     EXIT_OK;
out:
	for (size_t i = 0; b.pre_text && i < b.npre; i++)
		free(b.pre_text[i]);
	free(b.pre_text);
	free(b.pre_len);
	free(b.ring);
	return rc;
}

/* ------------------------------------------------------------ grade */

/* The file name of path without directory and extension: [*b, *e). */
static void base_name(const char *path, const char **b, const char **e)
{
	const char *base = strrchr(path, '/'), *dot;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	*b = base;
	*e = !dot || dot == base ? base + strlen(base) : dot;
}

/*
 * "alice" for "submissions/alice.tex"; when another of the n submissions
 * has the same file name (alice/hw3.tex, bob/hw3.tex: one directory per
 * student), the path without its extension, "alice/hw3", so that no two
 * students share a name in the report.
 */
static char *student_of(const char *path, const char *const *all, size_t n)
{
	const char *b, *e, *from;
	bool clash = false;
	char *s;

	base_name(path, &b, &e);
	for (size_t i = 0; i < n && !clash; i++) {
		const char *ob, *oe;

		if (strcmp(all[i], path) == 0)
			continue;	/* itself (or itself given twice) */
		base_name(all[i], &ob, &oe);
		clash = oe - ob == e - b && memcmp(ob, b, (size_t)(e - b)) == 0;
	}
	from = clash ? path : b;
	s = malloc((size_t)(e - from) + 1);
	if (s) {
		memcpy(s, from, (size_t)(e - from));
		s[e - from] = '\0';
	}
	return s;
}

typedef struct report {
	bool json;
	char *buf;
	size_t len, cap;
	bool oom;
} report;

static void put_raw(report *r, const char *s, size_t n)
{
	if (r->oom)
		return;
	if (r->len + n + 1 > r->cap) {
		size_t c = r->cap ? r->cap : 4096;
		char *nb;

		while (r->len + n + 1 > c)
			c *= 2;
		nb = realloc(r->buf, c);
		if (!nb) {
			r->oom = true;
			return;
		}
		r->buf = nb;
		r->cap = c;
	}
	memcpy(r->buf + r->len, s, n);
	r->len += n;
	r->buf[r->len] = '\0';
}

/* One CSV field: quoted when it holds a comma, quote or line break. */
static void csv_put(report *r, const char *s, bool last)
{
	bool quote = s && strpbrk(s, ",\"\n\r") != NULL;

	if (quote)
		put_raw(r, "\"", 1);
	for (const char *p = s ? s : ""; *p; p++) {
		put_raw(r, p, 1);
		if (*p == '"')
			put_raw(r, "\"", 1);	/* doubled */
	}
	if (quote)
		put_raw(r, "\"", 1);
	put_raw(r, last ? "\n" : ",", 1);
}

static void row_out(report *r, const char *student, const char *slot,
		    const char *verdict, const char *points,
		    const char *reason, const char *answer)
{
	if (r->json) {
		json_t *o = json_object();
		char *s;

		json_object_set_new(o, "student", jstr(student));
		json_object_set_new(o, "slot", jstr(slot));
		json_object_set_new(o, "verdict", jstr(verdict));
		json_object_set_new(o, "points", jstr(points));
		json_object_set_new(o, "reason", jstr(reason));
		json_object_set_new(o, "answer", jstr(answer));
		s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(o);
		if (!s) {
			r->oom = true;
			return;
		}
		put_raw(r, s, strlen(s));
		put_raw(r, "\n", 1);
		free(s);
		return;
	}
	csv_put(r, student, false);
	csv_put(r, slot, false);
	csv_put(r, verdict, false);
	csv_put(r, points, false);
	csv_put(r, reason, false);
	csv_put(r, answer, true);
}

/* Grades one submission in a context of its own; rows into r. */
static bool grade_one(const opts *o, const char *key, size_t key_len,
		      const char *path, report *r, unsigned long *nbad)
{
	gb_ctx *ctx = gb_ctx_new();
	char *student = student_of(path, (const char *const *)o->pos + 1,
				   o->npos - 1), *sub = NULL;
	size_t len = 0, n = 0, right = 0, graded = 0, manual = 0;
	gb_grade_row *rows = NULL;
	char pts[64], why[160];
	bool ok = true;
	FILE *f;

	if (!ctx || !student) {
		gb_ctx_free(ctx);
		free(student);
		return false;
	}
	/* a file that cannot be read: every slot unreadable */
	f = fopen(path, "rb");
	if (f) {
		job j;

		fclose(f);
		memset(&j, 0, sizeof j);
		j.path = path;
		if (read_input(&j)) {
			sub = j.text;
			len = j.len;
		}
	}
	if (gb_grade(ctx, o->pos[0], key, key_len, path, sub ? sub : "",
		     sub ? len : 0, &rows, &n) != GB_OK) {
		/* the key graded once already: only memory can fail */
		ok = false;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const gb_grade_row *g = &rows[i];
		const char *reason = g->reason;
		char msg[600];

		if (!sub) {
			snprintf(msg, sizeof msg, "cannot read '%.400s'", path);
			reason = msg;
		}
		pts[0] = '\0';
		if (!sub && g->verdict == GB_GRADE_MANUAL) {
			manual++;
			row_out(r, student, g->slot, "not graded", "", reason,
				NULL);
			continue;
		}
		if (!sub || g->verdict == GB_GRADE_UNREADABLE) {
			graded++;
			(*nbad)++;
			strcpy(pts, "0");
			row_out(r, student, g->slot, "unreadable", pts, reason,
				sub ? g->answer : NULL);
			continue;
		}
		if (g->verdict == GB_GRADE_MANUAL) {
			manual++;
		} else {
			graded++;
			right += g->verdict == GB_GRADE_CORRECT;
			strcpy(pts, g->verdict == GB_GRADE_CORRECT ? "1" : "0");
		}
		row_out(r, student, g->slot, gb_grade_verdict_str(g->verdict),
			pts, reason, g->answer);
	}
	snprintf(pts, sizeof pts, "%zu/%zu", right, graded);
	snprintf(why, sizeof why, "%zu graded, %zu not graded", graded, manual);
	row_out(r, student, "total", NULL, pts, why, NULL);
out:
	gb_ctx_free(ctx);
	free(student);
	free(sub);
	return ok && !r->oom;
}

int cmd_grade(gb_ctx *ctx, const opts *o)
{
	report r;
	char *key;
	size_t key_len, n;
	gb_grade_row *rows;
	unsigned long nbad = 0;
	int rc = EXIT_OK, fd;
	const char *dot;

	if (o->npos < 2)
		return bad_usage(o->cmd, "expected a key file and submissions");
	if (o->nfiles || o->nbinds)
		return bad_usage(o->cmd, "-f and NAME=VALUE do not apply: the "
				 "key's statements are loaded");
	key = cli_read_file(o->pos[0], &key_len);
	if (!key)
		return EXIT_BAD;
	/* the key, checked once: its errors stop everything */
	if (gb_grade(ctx, o->pos[0], key, key_len, "<none>", "", 0, &rows,
		     &n) != GB_OK) {
		free(key);
		return cli_report(ctx);
	}
	memset(&r, 0, sizeof r);
	dot = o->output ? strrchr(o->output, '.') : NULL;
	r.json = o->json || (dot && (strcmp(dot, ".jsonl") == 0 ||
				     strcmp(dot, ".json") == 0));
	if (!r.json)
		put_raw(&r, "student,slot,verdict,points,reason,answer\n", 42);
	for (size_t i = 1; i < o->npos; i++)
		if (!grade_one(o, key, key_len, o->pos[i], &r, &nbad)) {
			fputs("gradbox: error: out of memory\n", stderr);
			rc = EXIT_BAD;
			break;
		}
	free(key);
	if (rc == EXIT_OK && r.oom) {
		fputs("gradbox: error: out of memory\n", stderr);
		rc = EXIT_BAD;
	}
	if (rc == EXIT_OK && o->output) {
		catch_signals();
		fd = open_tmp(o->output);
		if (fd < 0)
			rc = EXIT_BAD;
		else if (!write_whole(fd, r.buf ? r.buf : "", r.len)) {
			fprintf(stderr, "gradbox: error: cannot write '%s': "
				"%s\n", o->output, strerror(errno));
			drop_tmp(fd);
			rc = EXIT_BAD;
		} else if (!commit_tmp(fd, o->output)) {
			rc = EXIT_BAD;
		}
	} else if (rc == EXIT_OK && !write_whole(1, r.buf ? r.buf : "",
						 r.len)) {
		rc = EXIT_BAD;
	}
	if (rc == EXIT_OK)
		fprintf(stderr, "grade: %zu submissions, %lu unreadable "
			"answers\n", o->npos - 1, nbad);
	free(r.buf);
	return rc;
}
