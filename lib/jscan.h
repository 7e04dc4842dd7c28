#ifndef JSCAN_H
#define JSCAN_H

#include <stddef.h>

/*
 * A few members of a JSON object found in its text, without building its
 * values: what a reader of a large file of records needs of each, at the
 * speed of a scan (a JSON tree of every member costs ten times the time
 * and the text's size in memory).  The whole text is checked as JSON:
 * its syntax, strings (their escapes and UTF-8 by Jansson, when they have
 * any) and nesting (at most JSCAN_MAXDEPTH); a member named twice is
 * refused among those asked for, not elsewhere, and numbers are read as
 * strtod reads them (Jansson refuses an integer beyond 64 bits, which
 * this takes as a double).
 */

#define JSCAN_MAXDEPTH	64
#define JSCAN_MAXMEMBERS	32	/* asked for at once */

/* A member asked for: its name, and the text of its value (NULL when the
 * object has none). */
struct jscan_member {
	const char *name;
	const char *v;
	size_t len;
};

/**
 * jscan_object(s, len, m, n):
 * Check that the ${len} bytes at ${s} are one JSON object (blanks around
 * it allowed) and find in it the ${n} members ${m} (at most
 * JSCAN_MAXMEMBERS).  Return 0, or -1 if it is not, or names one of ${m}
 * twice.
 */
int jscan_object(const char *, size_t, struct jscan_member *, size_t);

/**
 * jscan_string(m, buf, size):
 * The value of ${m} if it is a string without NUL that fits ${size}
 * bytes with its NUL, decoded into ${buf}: its length; else -1 (and
 * ${buf} is "").
 */
long jscan_string(const struct jscan_member *, char *, size_t);

/**
 * jscan_number(m, d):
 * Whether the value of ${m} is a number: 1 with it in ${d}, else 0 with
 * ${d} 0.
 */
int jscan_number(const struct jscan_member *, double *);

/**
 * jscan_integer(m, i):
 * Whether the value of ${m} is an integer (no fraction, no exponent, in
 * 64 bits): 1 with it in ${i}, else 0 with ${i} 0.
 */
int jscan_integer(const struct jscan_member *, long long *);

/**
 * jscan_is(m, c):
 * Whether the value of ${m} begins with ${c}: '{' an object, '"' a
 * string, 'n' null...
 */
int jscan_is(const struct jscan_member *, char);

#endif
