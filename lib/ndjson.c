#include <errno.h>
#include <err.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "atomicio.h"
#include "log.h"
#include "ndjson.h"

#define CHUNK	65536

/* The files named on the command line (NULL-terminated), or NULL. */
static char *const *operands;

struct ndjson_reader {
	int fd;
	char *name;
	size_t maxline;
	char *buf;		/* buf[start..end) holds unread bytes */
	size_t cap, start, end;
	off_t base;		/* the input's offset of buf[0] */
	off_t lineoff;		/* the input's offset of the line last read */
	size_t linelen;		/* and its length, without its newline */
	int eof;
	struct ndjson_pos pos;
	unsigned long nextline;
};

/**
 * ndjson_operands(files):
 * Name the files the user gave on the command line, ${files} (a
 * NULL-terminated array kept, not copied; NULL for none): each of them
 * may be a pipe, a device or a symbolic link.
 */
void
ndjson_operands(char *const *files)
{

	operands = files;
}

/* Non-zero if ${path} is one of the operands. */
static int
operand(const char *path)
{
	char *const *f;

	for (f = operands; f != NULL && *f != NULL; f++)
		if (strcmp(*f, path) == 0)
			return (1);
	return (0);
}

/*
 * The last three parts of ${path} (a project file's place in the project:
 * "tables/account=.../region=....ndjson"), for the log: the directories
 * above say nothing, and a temporary one's random name looks like a key.
 */
static const char *
tail(const char *path)
{
	const char *p = path + strlen(path);
	int n = 0;

	while (p > path)
		if (*--p == '/' && ++n == 3)
			return (p + 1);
	return (path);
}

/* A reader of ${fd}, named ${name}, of lines of at most ${maxline} bytes;
 * NULL on error (reported), ${fd} left open. */
static struct ndjson_reader *
reader(int fd, const char *name, size_t maxline)
{
	struct ndjson_reader *r;

	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->name = strdup(name)) == NULL ||
	    (r->buf = malloc(2 * CHUNK)) == NULL) {
		warn("%s", name);
		if (r != NULL)
			free(r->name);
		free(r);
		return (NULL);
	}
	r->fd = fd;
	r->cap = 2 * CHUNK;
	r->maxline = maxline;
	r->pos.file = r->name;
	r->nextline = 1;
	log_msg(LOG_DEBUG, "reading %s%s", tail(r->name) != r->name ?
	    ".../" : "", tail(r->name));
	return (r);
}

/**
 * ndjson_reader_open(path, maxline):
 * Open ${path} ("-" for standard input) for reading records of at most
 * ${maxline} bytes each.  A file the user did not name as an operand (a
 * file of the project) must be a regular file, not a symbolic link: a
 * FIFO or a device is refused, never waited on.  Return NULL on error
 * (reported).
 */
struct ndjson_reader *
ndjson_reader_open(const char *path, size_t maxline)
{
	struct ndjson_reader *r;
	int fd;

	if (strcmp(path, "-") == 0)
		return (reader(STDIN_FILENO, "stdin", maxline));
	if (operand(path)) {
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
			warn("%s", path);
			return (NULL);
		}
	} else if ((fd = atomicio_open_regular(path, O_RDONLY, 0)) == -1)
		return (NULL);
	if ((r = reader(fd, path, maxline)) == NULL)
		close(fd);
	return (r);
}

/**
 * ndjson_reader_fdopen(fd, name, maxline):
 * A reader of the open descriptor ${fd} (from its current offset), named
 * ${name} in messages, which ndjson_reader_close closes.  Return NULL on
 * error (reported; ${fd} is then left open).
 */
struct ndjson_reader *
ndjson_reader_fdopen(int fd, const char *name, size_t maxline)
{

	return (reader(fd, name, maxline));
}

/* Read more input into r->buf; return bytes read, 0 at EOF, -1 on error. */
static ssize_t
fill(struct ndjson_reader *r)
{
	char *nbuf;
	size_t ncap;
	ssize_t n;

	/* Slide unread bytes to the front, then make room for a chunk. */
	if (r->start > 0) {
		r->base += (off_t)r->start;
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (r->cap - r->end < CHUNK) {
		ncap = 2 * r->cap;
		if ((nbuf = realloc(r->buf, ncap)) == NULL) {
			warn("%s", r->name);
			return (-1);
		}
		r->buf = nbuf;
		r->cap = ncap;
	}
	do
		n = read(r->fd, r->buf + r->end, r->cap - r->end);
	while (n == -1 && errno == EINTR);
	if (n == -1) {
		warn("%s", r->name);
		return (-1);
	}
	r->end += (size_t)n;
	return (n);
}

/* Parse the line ${s} of ${len} bytes into a record. */
static json_t *
parse(struct ndjson_reader *r, const char *s, size_t len)
{
	json_error_t e;
	json_t *rec;

	if (len == 0) {
		ndjson_warnx(&r->pos, "empty line");
		return (NULL);
	}
	if ((rec = json_loadb(s, len, JSON_REJECT_DUPLICATES, &e)) == NULL) {
		ndjson_warnx(&r->pos, "invalid JSON at column %d: %s",
		    e.column, e.text);
		return (NULL);
	}
	if (!json_is_object(rec)) {
		ndjson_warnx(&r->pos, "not a JSON object");
		goto err;
	}
	if (!json_is_string(json_object_get(rec, "kind"))) {
		ndjson_warnx(&r->pos, "record has no string \"kind\"");
		goto err;
	}
	return (rec);

err:
	json_decref(rec);
	return (NULL);
}

/**
 * ndjson_reader_line(r, line, len):
 * Read the next line into ${line} and ${len} (without its newline; valid
 * until the next read).  Return 1 for a line, 0 at the end of the input,
 * -1 on an error (reported with file:line: unreadable input, a line over
 * the cap).
 */
int
ndjson_reader_line(struct ndjson_reader *r, const char **line, size_t *len)
{
	char *nl;
	size_t scanned = 0;
	ssize_t n;

	r->pos.line = r->nextline;
	for (;;) {
		nl = memchr(r->buf + r->start + scanned, '\n',
		    r->end - r->start - scanned);
		if (nl != NULL)
			break;
		scanned = r->end - r->start;
		if (scanned > r->maxline)
			goto toolong;
		if (r->eof)
			break;
		if ((n = fill(r)) == -1)
			return (-1);
		if (n == 0)
			r->eof = 1;
	}
	if (nl == NULL && r->end == r->start)
		return (0);

	/* A line, or the last bytes of the input without a newline. */
	*len = (nl != NULL ? (size_t)(nl - (r->buf + r->start)) :
	    r->end - r->start);
	if (*len > r->maxline)
		goto toolong;
	*line = r->buf + r->start;
	r->lineoff = r->base + (off_t)r->start;
	r->linelen = *len;
	r->start += *len + (nl != NULL);
	r->nextline++;
	return (1);

toolong:
	ndjson_warnx(&r->pos, "line longer than %zu bytes", r->maxline);
	return (-1);
}

/**
 * ndjson_reader_next(r, rec):
 * Read the next record into ${rec} (a new reference).  Return 1 for a
 * record, 0 at the end of the input, -1 on an error (reported with
 * file:line: unreadable input, a line over the cap, invalid JSON, a value
 * that is not an object with a string "kind", a duplicate key).
 */
int
ndjson_reader_next(struct ndjson_reader *r, json_t **rec)
{
	const char *line;
	size_t len;
	int rc;

	if ((rc = ndjson_reader_line(r, &line, &len)) != 1)
		return (rc);
	*rec = parse(r, line, len);
	return (*rec == NULL ? -1 : 1);
}

/**
 * ndjson_reader_offset(r, len):
 * The offset in the input of the line last read by ${r}, and its length
 * (without its newline) in ${len}.
 */
off_t
ndjson_reader_offset(const struct ndjson_reader *r, size_t *len)
{

	*len = r->linelen;
	return (r->lineoff);
}

/**
 * ndjson_reader_pos(r):
 * The position of the record last returned by ${r}.
 */
const struct ndjson_pos *
ndjson_reader_pos(const struct ndjson_reader *r)
{

	return (&r->pos);
}

/**
 * ndjson_reader_close(r):
 * Close ${r} (not standard input itself) and free it.  NULL is a no-op.
 */
void
ndjson_reader_close(struct ndjson_reader *r)
{

	/* Behave consistently with free(NULL). */
	if (r == NULL)
		return;
	if (r->fd != STDIN_FILENO)
		close(r->fd);
	free(r->buf);
	free(r->name);
	free(r);
}

/**
 * ndjson_foreach(files, maxline, cb, ctx):
 * Read the records of each file named in the NULL-terminated array
 * ${files} in turn ("-" is standard input; an empty array means standard
 * input alone) and call ${cb}(rec, pos, ${ctx}) for each, ${rec} borrowed.
 * Stop at the first error, or at the first callback that returns non-zero
 * (the callback reports its own errors, see ndjson_warnx).  Return 0 when
 * every record was passed, -1 otherwise.
 */
int
ndjson_foreach(char *const *files, size_t maxline,
    int (*cb)(json_t *, const struct ndjson_pos *, void *), void *ctx)
{
	static char *const std[] = { "-", NULL };
	struct ndjson_reader *r;
	json_t *rec;
	int rc, stop;

	if (files[0] == NULL)
		files = std;
	for (; *files != NULL; files++) {
		if ((r = ndjson_reader_open(*files, maxline)) == NULL)
			return (-1);
		while ((rc = ndjson_reader_next(r, &rec)) == 1) {
			stop = cb(rec, ndjson_reader_pos(r), ctx);
			json_decref(rec);
			if (stop) {
				rc = -1;
				break;
			}
		}
		ndjson_reader_close(r);
		if (rc == -1)
			return (-1);
	}
	return (0);
}

/**
 * ndjson_warnx(pos, fmt, ...):
 * Report a data error at ${pos}: "prog: file:line: message".
 */
void
ndjson_warnx(const struct ndjson_pos *pos, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	warnx("%s:%lu: %s", pos->file, pos->line, msg);
}

/**
 * ndjson_write(fp, rec):
 * Write the record ${rec} to ${fp} as one compact line.  Reals are written
 * with 15 significant digits, so every decimal of up to 15 digits reads
 * back and writes out unchanged.  (Jansson cannot hold NaN or infinities,
 * so none is ever written.)  Return 0, or -1 on a write error.
 */
/* A record's line, made in memory (on the stack while it fits) and
 * written with one fwrite: json_dumpf writes each token with its own,
 * which costs more than the dump itself for a long array of numbers. */
struct line {
	char *p;
	size_t len, cap;
	char stack[4096];
};

static int
line_add(const char *buf, size_t n, void *arg)
{
	struct line *l = arg;
	char *p;
	size_t cap;

	if (n > l->cap - l->len) {
		for (cap = l->cap * 2; n > cap - l->len; cap *= 2)
			;
		if ((p = malloc(cap)) == NULL)
			return (-1);
		memcpy(p, l->p, l->len);
		if (l->p != l->stack)
			free(l->p);
		l->p = p;
		l->cap = cap;
	}
	memcpy(l->p + l->len, buf, n);
	l->len += n;
	return (0);
}

int
ndjson_write(FILE *fp, const json_t *rec)
{
	struct line l = { .len = 0, .cap = sizeof(l.stack) };
	int rc = 0;

	l.p = l.stack;
	if (json_dump_callback(rec, line_add, &l, JSON_COMPACT |
	    JSON_REAL_PRECISION(15)) || line_add("\n", 1, &l))
		rc = -1;
	else if (fwrite(l.p, 1, l.len, fp) != l.len)
		rc = -1;
	if (l.p != l.stack)
		free(l.p);
	return (rc);
}
