#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "datetime.h"

#define DAY	86400

/* Days in month ${m} of year ${y}. */
static int
mdays(int y, int m)
{
	static const int n[12] =
	    { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return (29);
	return (n[m - 1]);
}

/* Read exactly ${n} digits from ${s} into ${v}; 0 on success. */
static int
digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (-1);
		*v = *v * 10 + (s[i] - '0');
	}
	return (0);
}

/**
 * datetime_from_civil(y, m, d):
 * Seconds since the epoch at 00:00:00 UTC on the day ${y}-${m}-${d}, which
 * must be a valid date (not checked here).
 */
time_t
datetime_from_civil(int y, int m, int d)
{
	long long era, yoe, doy, doe;

	/* Howard Hinnant's days_from_civil: years start on March 1. */
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return ((time_t)((era * 146097 + doe - 719468) * DAY));
}

/* Parse "YYYY-MM-DD" at ${s} (not necessarily NUL-terminated there). */
static int
date_prefix(time_t *t, const char *s)
{
	int y, m, d;

	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &m) ||
	    s[7] != '-' || digits(s + 8, 2, &d))
		return (-1);
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays(y, m))
		return (-1);
	*t = datetime_from_civil(y, m, d);
	return (0);
}

/**
 * datetime_parse_date(t, s):
 * Parse ${s}, exactly "YYYY-MM-DD" naming a real calendar day from 1970 to
 * 9999, into ${t}: that day's midnight UTC.
 */
int
datetime_parse_date(time_t *t, const char *s)
{

	if (strlen(s) != 10 || date_prefix(t, s)) {
		errno = EINVAL;
		return (-1);
	}
	return (0);
}

/**
 * datetime_parse_month(t, s):
 * Parse ${s}, exactly "YYYY-MM", into ${t}: the first day of the month at
 * midnight UTC.
 */
int
datetime_parse_month(time_t *t, const char *s)
{
	int y, m;

	if (strlen(s) != 7 || digits(s, 4, &y) || s[4] != '-' ||
	    digits(s + 5, 2, &m) || y < 1970 || m < 1 || m > 12) {
		errno = EINVAL;
		return (-1);
	}
	*t = datetime_from_civil(y, m, 1);
	return (0);
}

/**
 * datetime_parse(t, s):
 * Parse the ISO 8601 timestamp ${s} into ${t}: "YYYY-MM-DDTHH:MM:SS", an
 * optional fraction (dropped), then "Z" or an offset "+HH:MM" / "-HH:MM".
 * A bare date is accepted as its midnight UTC.
 */
int
datetime_parse(time_t *t, const char *s)
{
	time_t day;
	int hh, mm, ss, oh, om, sign;

	if (strlen(s) < 10 || date_prefix(&day, s))
		goto einval;
	if (s[10] == '\0') {
		*t = day;
		return (0);
	}
	s += 10;
	if (s[0] != 'T' || digits(s + 1, 2, &hh) || s[3] != ':' ||
	    digits(s + 4, 2, &mm) || s[6] != ':' || digits(s + 7, 2, &ss) ||
	    hh > 23 || mm > 59 || ss > 60)
		goto einval;
	s += 9;
	if (*s == '.') {
		if (s[1] < '0' || s[1] > '9')
			goto einval;
		for (s++; *s >= '0' && *s <= '9'; s++)
			;
	}
	oh = om = 0;
	if (s[0] == 'Z' && s[1] == '\0')
		sign = 0;
	else if ((s[0] == '+' || s[0] == '-') && !digits(s + 1, 2, &oh) &&
	    s[3] == ':' && !digits(s + 4, 2, &om) && s[6] == '\0' &&
	    oh <= 23 && om <= 59)
		sign = s[0] == '+' ? 1 : -1;
	else
		goto einval;
	/* A leap second folds into the next minute, as timegm does. */
	*t = day + hh * 3600 + mm * 60 + ss - sign * (oh * 3600 + om * 60);
	return (0);

einval:
	errno = EINVAL;
	return (-1);
}

/* Split ${t} into its UTC civil date and time of day. */
static void
civil(time_t t, int *y, int *m, int *d, long *sod)
{
	long long days, z, era, doe, yoe, doy, mp;

	days = (long long)t / DAY;
	*sod = (long)((long long)t - days * DAY);
	if (*sod < 0) {
		*sod += DAY;
		days--;
	}
	/* Howard Hinnant's civil_from_days. */
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/**
 * datetime_format(buf, t):
 * Write ${t} as "YYYY-MM-DDTHH:MM:SSZ" into ${buf} (DATETIME_LEN bytes);
 * return ${buf}.
 */
char *
datetime_format(char *buf, time_t t)
{
	int y, m, d;
	long sod;

	civil(t, &y, &m, &d, &sod);
	snprintf(buf, DATETIME_LEN, "%04u-%02u-%02uT%02u:%02u:%02uZ",
	    (unsigned)y % 10000, (unsigned)m % 100, (unsigned)d % 100,
	    (unsigned)(sod / 3600) % 100, (unsigned)(sod / 60 % 60),
	    (unsigned)(sod % 60));
	return (buf);
}

/**
 * datetime_format_date(buf, t):
 * Write the UTC day of ${t} as "YYYY-MM-DD" into ${buf} (DATETIME_LEN
 * bytes); return ${buf}.
 */
char *
datetime_format_date(char *buf, time_t t)
{

	datetime_format(buf, t);
	buf[10] = '\0';
	return (buf);
}
