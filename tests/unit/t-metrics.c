#include <string.h>
#include <time.h>

#include "datetime.h"
#include "metrics.h"
#include "tap.h"

/* The window at ${now} as "first..last" (inclusive days), or "error". */
static const char *
window(int days, const char *from, const char *to, time_t now)
{
	static char out[64];
	char a[DATETIME_LEN], b[DATETIME_LEN];
	time_t start, end;

	capture();
	if (metrics_window(days, from, to, now, &start, &end))
		return (captured()[0] != '\0' ? "error" : "error, silent");
	(void)captured();
	snprintf(out, sizeof(out), "%s..%s", datetime_format_date(a, start),
	    datetime_format_date(b, end - 86400));
	return (out);
}

int
main(void)
{
	time_t now = datetime_from_civil(2026, 11, 25) + 6 * 3600 + 5;
	time_t day = 86400;

	plan(14);
	is(window(14, NULL, NULL, now), "2026-11-11..2026-11-24",
	    "--days 14: the 14 days before today");
	is(window(1, NULL, NULL, now), "2026-11-24..2026-11-24", "--days 1");
	is(window(14, "2026-11-01", "2026-11-03", now), "2026-11-01..2026-11-03",
	    "dates, inclusive");
	is(window(14, "2026-11-20", NULL, now), "2026-11-20..2026-11-24",
	    "from a date to yesterday");
	is(window(3, NULL, "2026-11-10", now), "2026-11-08..2026-11-10",
	    "days up to a date");
	is(window(14, NULL, "2026-11-25", now), "error", "today is not over");
	is(window(14, "2026-11-05", "2026-11-03", now), "error",
	    "dates out of order");
	is(window(14, "2026-02-30", NULL, now), "error", "no such day");
	is_int(metrics_period(now - 14 * day - 6 * 3600, now), 60,
	    "14 days and some hours: 1-minute data");
	is_int(metrics_period(now - 15 * day, now), 60, "15 days exactly");
	is_int(metrics_period(now - 15 * day - 1, now), 300,
	    "beyond 15 days: 5 minutes");
	is_int(metrics_period(now - 63 * day - 1, now), 3600,
	    "beyond 63 days: an hour");
	is_int(metrics_period(now - 455 * day, now), 3600, "455 days");
	is_int(metrics_period(now - 455 * day - 1, now), -1, "nothing older");
	return (done());
}
