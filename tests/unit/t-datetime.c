#include <errno.h>
#include <stddef.h>
#include <time.h>

#include "datetime.h"
#include "tap.h"

int
main(void)
{
	static const char *baddates[] = { "2026-02-29", "2026-13-01",
	    "2026-00-10", "2026-1-01", "26-01-01", "2026-01-32", "1969-12-31",
	    "2026-01-01 ", "2026/01/01", NULL };
	const char **s;
	char buf[DATETIME_LEN];
	time_t t;
	long long x;
	int ok_all;

	plan(25);
	ok(datetime_parse_date(&t, "2026-11-25") == 0 && t == 1795564800,
	    "2026-11-25");
	ok(datetime_parse_date(&t, "2000-02-29") == 0 &&
	    t == 951827696 - 12 * 3600 - 34 * 60 - 56, "leap day 2000");
	ok(datetime_parse_date(&t, "1970-01-01") == 0 && t == 0, "the epoch");
	for (s = baddates; *s != NULL; s++)
		ok(datetime_parse_date(&t, *s) == -1 && errno == EINVAL,
		    "\"%s\" rejected", *s);
	ok(datetime_parse(&t, "2000-02-29T12:34:56Z") == 0 && t == 951827696,
	    "timestamp");
	ok(datetime_parse(&t, "2000-02-29T12:34:56.789Z") == 0 &&
	    t == 951827696, "fraction dropped");
	ok(datetime_parse(&t, "2000-02-29T14:34:56+02:00") == 0 &&
	    t == 951827696, "positive offset");
	ok(datetime_parse(&t, "2000-02-29T07:04:56-05:30") == 0 &&
	    t == 951827696, "negative offset");
	ok(datetime_parse(&t, "2000-02-29T12:34:56") == -1,
	    "no zone rejected");
	ok(datetime_parse(&t, "2000-02-29T24:00:00Z") == -1, "hour 24");
	ok(datetime_parse(&t, "2000-02-29T12:34:56.Z") == -1,
	    "empty fraction");
	ok(datetime_parse_month(&t, "2026-10") == 0 &&
	    t == 1795564800 - 55 * 86400, "month 2026-10");
	ok(datetime_parse_month(&t, "2026-13") == -1, "month 13");
	is(datetime_format(buf, 1735689599), "2024-12-31T23:59:59Z",
	    "format last second of 2024");
	is(datetime_format_date(buf, 951827696), "2000-02-29", "format date");
	ok(datetime_from_civil(2024, 3, 1) - datetime_from_civil(2024, 2, 28)
	    == 2 * 86400, "2024 is a leap year");

	/* Every hour from 1970 to 2200 formats and parses back the same. */
	ok_all = 1;
	for (x = 0; x < 7258118400LL && ok_all; x += 3600 + 17) {
		datetime_format(buf, (time_t)x);
		ok_all = datetime_parse(&t, buf) == 0 && t == (time_t)x;
	}
	ok(ok_all, "format and parse agree through 2200 (%s)", buf);
	return (done());
}
