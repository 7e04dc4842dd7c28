#ifndef NDJSON_H
#define NDJSON_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include <jansson.h>

/*
 * Newline-delimited JSON records: one compact JSON object per line, UTF-8,
 * each with a string "kind".  This module is the one input loop and the one
 * writer every program uses.
 *
 * Ownership follows Jansson: a record handed to a callback is borrowed and
 * freed when the callback returns (json_incref it to keep it); a record
 * returned by ndjson_reader_next is a new reference the caller must
 * json_decref.
 */

/* Default cap on a line's length, in bytes (a day of 1-minute data is ~20k). */
#define NDJSON_MAXLINE	(4 * 1024 * 1024)

/* Where a record came from: its file ("stdin" for standard input), line. */
struct ndjson_pos {
	const char *file;
	unsigned long line;
};

struct ndjson_reader;

/**
 * ndjson_operands(files):
 * Name the files the user gave on the command line, ${files} (a
 * NULL-terminated array kept, not copied; NULL for none): each of them
 * may be a pipe, a device or a symbolic link.
 */
void ndjson_operands(char *const *);

/**
 * ndjson_reader_open(path, maxline):
 * Open ${path} ("-" for standard input) for reading records of at most
 * ${maxline} bytes each.  A file the user did not name as an operand (a
 * file of the project) must be a regular file, not a symbolic link: a
 * FIFO or a device is refused, never waited on.  Return NULL on error
 * (reported).
 */
struct ndjson_reader *ndjson_reader_open(const char *, size_t);

/**
 * ndjson_reader_fdopen(fd, name, maxline):
 * A reader of the open descriptor ${fd} (from its current offset), named
 * ${name} in messages, which ndjson_reader_close closes.  Return NULL on
 * error (reported; ${fd} is then left open).
 */
struct ndjson_reader *ndjson_reader_fdopen(int, const char *, size_t);

/**
 * ndjson_reader_next(r, rec):
 * Read the next record into ${rec} (a new reference).  Return 1 for a
 * record, 0 at the end of the input, -1 on an error (reported with
 * file:line: unreadable input, a line over the cap, invalid JSON, a value
 * that is not an object with a string "kind", a duplicate key).
 */
int ndjson_reader_next(struct ndjson_reader *, json_t **);

/**
 * ndjson_reader_line(r, line, len):
 * Read the next line into ${line} and ${len} (without its newline; valid
 * until the next read).  Return 1 for a line, 0 at the end of the input,
 * -1 on an error (reported with file:line: unreadable input, a line over
 * the cap).
 */
int ndjson_reader_line(struct ndjson_reader *, const char **, size_t *);

/**
 * ndjson_reader_offset(r, len):
 * The offset in the input of the line last read by ${r}, and its length
 * (without its newline) in ${len}.
 */
off_t ndjson_reader_offset(const struct ndjson_reader *, size_t *);

/**
 * ndjson_reader_pos(r):
 * The position of the record last returned by ${r}.
 */
const struct ndjson_pos *ndjson_reader_pos(const struct ndjson_reader *);

/**
 * ndjson_reader_close(r):
 * Close ${r} (not standard input itself) and free it.  NULL is a no-op.
 */
void ndjson_reader_close(struct ndjson_reader *);

/**
 * ndjson_foreach(files, maxline, cb, ctx):
 * Read the records of each file named in the NULL-terminated array
 * ${files} in turn ("-" is standard input; an empty array means standard
 * input alone) and call ${cb}(rec, pos, ${ctx}) for each, ${rec} borrowed.
 * Stop at the first error, or at the first callback that returns non-zero
 * (the callback reports its own errors, see ndjson_warnx).  Return 0 when
 * every record was passed, -1 otherwise.
 */
int ndjson_foreach(char *const *, size_t,
    int (*)(json_t *, const struct ndjson_pos *, void *), void *);

/**
 * ndjson_warnx(pos, fmt, ...):
 * Report a data error at ${pos}: "prog: file:line: message".
 */
void ndjson_warnx(const struct ndjson_pos *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/**
 * ndjson_write(fp, rec):
 * Write the record ${rec} to ${fp} as one compact line.  Reals are written
 * with 15 significant digits, so every decimal of up to 15 digits reads
 * back and writes out unchanged.  (Jansson cannot hold NaN or infinities,
 * so none is ever written.)  Return 0, or -1 on a write error.
 */
int ndjson_write(FILE *, const json_t *);

#endif
