#include <math.h>
#include <stdio.h>

#include "cost.h"
#include "tap.h"

/* Expectations worked out by hand in the comments. */

static int
near(double got, double want, const char *what)
{
	int c = fabs(got - want) <= 1e-9 * fmax(1.0, fabs(want));

	if (!ok(c, "%s", what))
		printf("#   got: %.17g\n#  want: %.17g\n", got, want);
	return (c);
}

int
main(void)
{
	/* us-east-1 Standard list prices (seed-algorithms.md 4.4), made up
	   replicated ones: test data only. */
	struct cost_prices p = { 1.25e-7, 6.25e-7, 9.375e-7, 0.00013,
	    0.00065, 0.000975, 0.25 };
	struct cost_usage u = { 1e6, 2e6, 0, 100, 10, 0, 30 };
	double d[5] = { 0, 120, 0, 60.5, 0 };
	double a[3] = { 20, 20, 20 }, b[3] = { 20, 20, 20 };
	double total[3] = { 0, 0, 0 }, ten[3] = { 10, 10, 10 };
	double thirty[3] = { 30, 30, 30 }, uneven[3] = { 20, 0, 10 };
	double gb[1] = { 40 }, cur[1] = { 10 }, alt[1] = { 0 };

	/*
	 * 1e6 * 1.25e-7 = 0.125, 2e6 * 6.25e-7 = 1.25, 100 * 0.00013 = 0.013,
	 * 10 * 0.00065 = 0.0065, 30 * 0.25 = 7.5: 8.8945.
	 */
	near(cost_usd(&u, &p), 8.8945, "usage times prices");
	u.read_request_units = u.write_request_units = u.rcu_hours =
	    u.wcu_hours = u.storage_gb_months = 0;
	u.replicated_write_request_units = 1e6;
	u.replicated_wcu_hours = 10;
	/* 1e6 * 9.375e-7 = 0.9375, 10 * 0.000975 = 0.00975. */
	near(cost_usd(&u, &p), 0.94725, "replicated writes at their prices");

	/* 14 days = 336 h: 10 * 730 / 336 = 21.726190476190474. */
	near(cost_monthly(10, 336), 7300.0 / 336, "14 days to a month");
	near(cost_monthly(5, 730), 5, "730 hours are a month");
	near(cost_monthly(5, 0), 0, "no hours: 0, not infinity");

	/* Missing datapoints are zeros: 120 + 60.5. */
	near(cost_units(d, 5), 180.5, "on-demand units");

	/*
	 * Two tables of one account and region at 20 RCU for 3 hours: 40 an
	 * hour, 25 free: 15 * 3 = 45 unit-hours billed.  Per table it would
	 * have been 0 (each under 25): the free tier is 25 for both, not 50.
	 */
	cost_add(total, a, 3);
	cost_add(total, b, 3);
	near(total[0] + total[1] + total[2], 120, "hourly totals added");
	near(cost_billable(total, 3, 25), 45, "shared free tier: 45, not 0");
	near(cost_billable(a, 3, 25), 0, "one table alone: all free");

	/*
	 * Table b from 20 to 10: the total goes from 40 to 30 an hour, the
	 * billable part from 15 to 5: b saves 10 * 3 = 30 unit-hours, though
	 * alone it was free both ways.
	 */
	near(cost_marginal(total, b, ten, 3, 25), 30,
	    "marginal: 20 -> 10 saves 30 unit-hours");
	/* b gone (to on-demand): 40 -> 20 an hour, 15 -> 0: 45. */
	near(cost_marginal(total, b, NULL, 3, 25), 45,
	    "marginal: 20 -> none saves 45");
	/* b from 20 to 30: 40 -> 50, 15 -> 25 an hour: costs 30. */
	near(cost_marginal(total, b, thirty, 3, 25), -30,
	    "marginal: 20 -> 30 costs 30");
	/*
	 * Hour by hour: b to 20, 0, 10 makes the totals 40, 20, 30; billable
	 * 15, 0, 5 instead of 15, 15, 15: saves 0 + 15 + 10 = 25.
	 */
	near(cost_marginal(total, b, uneven, 3, 25), 25,
	    "marginal: hour by hour, never below 0 billed");
	/* An account under the free tier saves nothing: 10 -> 0 of 20. */
	near(cost_marginal(a, ten, NULL, 3, 25), 0,
	    "marginal: all free anyway");

	/*
	 * Storage: 40 GB in the region (a table of 10), 25 free: 15 billed;
	 * without the 10 GB table, 5: it saves 10 GB-months.
	 */
	near(cost_billable(gb, 1, 25), 15, "storage: 40 GB, 15 billed");
	near(cost_marginal(gb, cur, alt, 1, 25), 10,
	    "storage: a 10 GB table's share is 10 GB");
	return (done_testing());
}
