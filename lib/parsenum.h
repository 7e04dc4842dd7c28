#ifndef PARSENUM_H
#define PARSENUM_H

/*
 * Strict number parsing for options, settings and record fields: the whole
 * string must be the number (no leading or trailing space, no trailing
 * junk), it must be finite and in range.  Never atoi.
 *
 * Each function returns 0 on success; on failure it returns -1 with errno
 * EINVAL (not a number) or ERANGE (out of range), stores nothing and prints
 * nothing: the caller knows the context (option, file:line) to report.
 */

/**
 * parsenum_double(x, s, min, max):
 * Parse the decimal number ${s} into ${x}, requiring min <= x <= max.
 */
int parsenum_double(double *, const char *, double, double);

/**
 * parsenum_llong(x, s, min, max):
 * Parse the decimal integer ${s} into ${x}, requiring min <= x <= max.
 */
int parsenum_llong(long long *, const char *, long long, long long);

/**
 * parsenum_int(x, s, min, max):
 * As parsenum_llong, for an int.
 */
int parsenum_int(int *, const char *, int, int);

/**
 * parsenum_strerror(errnum):
 * A short reason for a parsenum failure: "not a number" or "out of range".
 */
const char *parsenum_strerror(int);

#endif
