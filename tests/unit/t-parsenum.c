#include <errno.h>
#include <limits.h>
#include <stddef.h>

#include "parsenum.h"
#include "tap.h"

int
main(void)
{
	static const char *bad[] = { "", " 1", "1 ", "1x", "0x10", "inf",
	    "nan", "-", "1e", "--1", "1..2", NULL };
	const char **s;
	long long ll;
	double d;
	int i;

	plan(24);
	ok(parsenum_double(&d, "0.7", 0, 1) == 0 && d == 0.7, "0.7");
	ok(parsenum_double(&d, "-2.5e3", -1e4, 0) == 0 && d == -2500,
	    "exponent");
	ok(parsenum_double(&d, "1e400", -1e308, 1e308) == -1 &&
	    errno == ERANGE, "overflow is out of range");
	ok(parsenum_double(&d, "0.95", 0.2, 0.9) == -1 && errno == ERANGE,
	    "above max is out of range");
	for (s = bad; *s != NULL; s++)
		ok(parsenum_double(&d, *s, -1e9, 1e9) == -1 && errno == EINVAL,
		    "\"%s\" is not a number", *s);
	ok(parsenum_llong(&ll, "9223372036854775807", 0, LLONG_MAX) == 0 &&
	    ll == LLONG_MAX, "largest long long");
	ok(parsenum_llong(&ll, "9223372036854775808", 0, LLONG_MAX) == -1 &&
	    errno == ERANGE, "one more is out of range");
	ok(parsenum_llong(&ll, "1.5", 0, 10) == -1 && errno == EINVAL,
	    "a fraction is not an integer");
	ok(parsenum_llong(&ll, " 5", 0, 10) == -1 && errno == EINVAL,
	    "leading space");
	ok(parsenum_int(&i, "-3", -5, 5) == 0 && i == -3, "negative int");
	ok(parsenum_int(&i, "6", -5, 5) == -1 && errno == ERANGE,
	    "int above max");
	i = 42;
	ok(parsenum_int(&i, "x", 0, 100) == -1 && i == 42,
	    "nothing stored on failure");
	is(parsenum_strerror(ERANGE), "out of range", "ERANGE reason");
	is(parsenum_strerror(EINVAL), "not a number", "EINVAL reason");
	return (done());
}
