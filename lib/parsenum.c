#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "parsenum.h"

/* Reject what strto* would skip or accept beyond a plain decimal number. */
static int
plain(const char *s)
{

	if (*s == '\0' || isspace((unsigned char)*s))
		return (0);
	/* No hexadecimal, infinities or NaN: "0x1p3", "inf", "nan". */
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s) && *s != '-' && *s != '+' &&
		    *s != '.' && *s != 'e' && *s != 'E')
			return (0);
	return (1);
}

/**
 * parsenum_double(x, s, min, max):
 * Parse the decimal number ${s} into ${x}, requiring min <= x <= max.
 */
int
parsenum_double(double *x, const char *s, double min, double max)
{
	char *ep;
	double v;

	if (!plain(s))
		goto einval;
	errno = 0;
	v = strtod(s, &ep);
	if (*ep != '\0' || ep == s)
		goto einval;
	if (errno == ERANGE || !isfinite(v) || v < min || v > max) {
		errno = ERANGE;
		return (-1);
	}
	*x = v;
	return (0);

einval:
	errno = EINVAL;
	return (-1);
}

/**
 * parsenum_llong(x, s, min, max):
 * Parse the decimal integer ${s} into ${x}, requiring min <= x <= max.
 */
int
parsenum_llong(long long *x, const char *s, long long min, long long max)
{
	const char *p;
	char *ep;
	long long v;

	p = (*s == '-' || *s == '+') ? s + 1 : s;
	if (!isdigit((unsigned char)*p)) {
		errno = EINVAL;
		return (-1);
	}
	errno = 0;
	v = strtoll(s, &ep, 10);
	if (*ep != '\0') {
		errno = EINVAL;
		return (-1);
	}
	if (errno == ERANGE || v < min || v > max) {
		errno = ERANGE;
		return (-1);
	}
	*x = v;
	return (0);
}

/**
 * parsenum_int(x, s, min, max):
 * As parsenum_llong, for an int.
 */
int
parsenum_int(int *x, const char *s, int min, int max)
{
	long long v;

	if (parsenum_llong(&v, s, min, max))
		return (-1);
	*x = (int)v;
	return (0);
}

/**
 * parsenum_strerror(errnum):
 * A short reason for a parsenum failure: "not a number" or "out of range".
 */
const char *
parsenum_strerror(int errnum)
{

	return (errnum == ERANGE ? "out of range" : "not a number");
}
