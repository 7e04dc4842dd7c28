#ifndef STRBUF_H
#define STRBUF_H

#include <stddef.h>

/*
 * A growing string with a hard cap on its size (curl's dynbuf "toobig"),
 * for text that is not JSON: canonical requests, URLs, query strings.
 * Appending past the cap, or running out of memory, puts the buffer in an
 * error state that every later call keeps; check it once at the end.
 */

struct strbuf {
	char *s;		/* NUL-terminated; NULL until the first append */
	size_t len, cap, max;
	int failed;
};

/**
 * strbuf_init(b, max):
 * Make ${b} an empty buffer that may grow to ${max} bytes.
 */
void strbuf_init(struct strbuf *, size_t);

/**
 * strbuf_add(b, p, n), strbuf_adds(b, s), strbuf_addc(b, c),
 * strbuf_addf(b, fmt, ...):
 * Append ${n} bytes at ${p}, the string ${s}, the byte ${c}, or a printf
 * formatted string.
 */
void strbuf_add(struct strbuf *, const void *, size_t);
void strbuf_adds(struct strbuf *, const char *);
void strbuf_addc(struct strbuf *, int);
void strbuf_addf(struct strbuf *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/**
 * strbuf_addsh(b, s):
 * Append the string ${s} as one POSIX shell word: as it is if it has only
 * characters the shell gives no meaning (STRBUF_SHBARE), else in single
 * quotes, each ' as '\''.
 */
#define STRBUF_SHBARE	"abcdefghijklmnopqrstuvwxyz" \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:/=,@%+-"
void strbuf_addsh(struct strbuf *, const char *);

/**
 * strbuf_finish(b):
 * The malloced string built in ${b}, now the caller's (an empty string if
 * nothing was added), or NULL if the buffer failed (${b} is freed).
 */
char *strbuf_finish(struct strbuf *);

/**
 * strbuf_free(b):
 * Free the contents of ${b}.
 */
void strbuf_free(struct strbuf *);

#endif
