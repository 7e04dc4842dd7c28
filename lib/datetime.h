#ifndef DATETIME_H
#define DATETIME_H

#include <time.h>

/*
 * Dates and times in UTC, strictly parsed and formatted, without the C
 * library's time zone state: "2026-11-01" and "2026-11-01T00:00:00Z".
 * Every function is pure.  Parsers return 0, or -1 with errno EINVAL and
 * print nothing (the caller knows the context to report).
 */

/* Room for "YYYY-MM-DDTHH:MM:SSZ" and its NUL. */
#define DATETIME_LEN 21

/**
 * datetime_from_civil(y, m, d):
 * Seconds since the epoch at 00:00:00 UTC on the day ${y}-${m}-${d}, which
 * must be a valid date (not checked here).
 */
time_t datetime_from_civil(int, int, int);

/**
 * datetime_parse_date(t, s):
 * Parse ${s}, exactly "YYYY-MM-DD" naming a real calendar day from 1970 to
 * 9999, into ${t}: that day's midnight UTC.
 */
int datetime_parse_date(time_t *, const char *);

/**
 * datetime_parse_month(t, s):
 * Parse ${s}, exactly "YYYY-MM", into ${t}: the first day of the month at
 * midnight UTC.
 */
int datetime_parse_month(time_t *, const char *);

/**
 * datetime_parse(t, s):
 * Parse the ISO 8601 timestamp ${s} into ${t}: "YYYY-MM-DDTHH:MM:SS", an
 * optional fraction (dropped), then "Z" or an offset "+HH:MM" / "-HH:MM".
 * A bare date is accepted as its midnight UTC.
 */
int datetime_parse(time_t *, const char *);

/**
 * datetime_format(buf, t):
 * Write ${t} as "YYYY-MM-DDTHH:MM:SSZ" into ${buf} (DATETIME_LEN bytes);
 * return ${buf}.
 */
char *datetime_format(char *, time_t);

/**
 * datetime_format_date(buf, t):
 * Write the UTC day of ${t} as "YYYY-MM-DD" into ${buf} (DATETIME_LEN
 * bytes); return ${buf}.
 */
char *datetime_format_date(char *, time_t);

#endif
