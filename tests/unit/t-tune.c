#include <math.h>
#include <stdio.h>
#include <string.h>

#include "autoscale.h"
#include "datetime.h"
#include "tap.h"

/*
 * autoscale_tune against an exhaustive search of the same settings (every
 * target from 20 % to 90 % in steps of 5 points, every minimum from 1 to
 * the peak's capacity at that target, the maximum by the same rule) on
 * small demand shapes over two days of 1-minute periods: the settings it
 * finds stay within the throttle budget and cost at most TOLERANCE more
 * than the cheapest that do.
 */

#define N		2880		/* two days of minutes */
#define TOLERANCE	1.05
#define PI		3.14159265358979323846

static double d[N], zero[N], cap[N], cap2[N], work[4 * N];
static struct autoscale_grid g;

/* Demand of ${ups} u/s from minute ${from} to ${to}. */
static void
fill(size_t from, size_t to, double ups)
{
	size_t i;

	for (i = from; i <= to && i < N; i++)
		d[i] = ups * 60;
}

/* Settings ${t}, ${m}, ${mx} of one dimension alone, into ${u}. */
static void
alone(double t, double m, double mx, struct autoscale_usage *u)
{
	struct autoscale_opts o;
	struct autoscale_stats st[2];

	o.delay = 2;
	o.read.target = t;
	o.read.min = m;
	o.read.max = mx;
	o.read.start = -1;
	o.write.target = 0.5;
	o.write.min = o.write.max = o.write.start = 1;
	if (autoscale_run(&g, &o, d, zero, cap, cap2, st) ||
	    autoscale_assess(&g, cap, d, NULL, u))
		u->throttled_minutes = INFINITY;
}

/* The shape ${what} in d[]: tuned against exhaustive, budget ${budget}. */
static void
check(const char *what, double budget)
{
	struct autoscale_policy lim[2] = { { 0.7, 1, 40000, -1 },
	    { 0.7, 1, 40000, -1 } }, best[2];
	struct autoscale_usage u, bu[2], eu;
	double bud[2] = { budget, budget };
	double peak = 0, t, m, mx, top = INFINITY, et = 0, em = 0;
	size_t i;
	int step, runs, joint, all = 0;

	for (i = 0; i < N; i++)
		peak = fmax(peak, d[i] / 60);
	for (step = 4; step <= 18; step++) {
		t = step * 0.05;
		mx = fmax(1, ceil(AUTOSCALE_TUNE_ROOM * peak / t - 1e-9));
		for (m = 1; m <= ceil(peak / t - 1e-9); m++) {
			alone(t, m, mx, &eu);
			all++;
			if (eu.throttled_minutes <= budget &&
			    eu.unit_hours < top) {
				top = eu.unit_hours;
				et = t;
				em = m;
			}
		}
	}
	/* The write dimension idle: it is done at once, at 1 unit. */
	runs = autoscale_tune(&g, 2, d, zero, lim, bud, work, best, bu,
	    &joint);
	ok(runs > 0, "%s: tuned in %d runs (exhaustive: %d)", what, runs,
	    all);
	alone(best[0].target, best[0].min, best[0].max, &u);
	ok(u.unit_hours == bu[0].unit_hours &&
	    u.throttled_minutes == bu[0].throttled_minutes,
	    "%s: its figures are the settings'", what);
	ok(bu[0].throttled_minutes <= budget, "%s: %.0f-%.0f at %.0f %%, %g "
	    "throttled minutes, within %g", what, best[0].min, best[0].max,
	    best[0].target * 100, bu[0].throttled_minutes, budget);
	ok(bu[0].unit_hours <= top * TOLERANCE, "%s: %g unit-hours, the "
	    "cheapest %g (%.0f at %.0f %%)", what, bu[0].unit_hours, top, em,
	    et * 100);
	ok(best[0].max >= ceil(peak / best[0].target - 1e-9), "%s: the maximum "
	    "%.0f leaves room above the peak %g u/s", what, best[0].max, peak);
}

int
main(void)
{
	size_t i;

	g.t0 = datetime_from_civil(2026, 11, 1);
	g.period = 60;
	g.n = N;

	/*
	 * Steady: 10 u/s, with a dip to 2 u/s for 20 minutes every 3
	 * hours.  At 90 % with minimum 1 the dip scales in to ceil(2 / 0.9)
	 * = 3 units; when the demand comes back the bucket (300 * 3 = 900
	 * units) lasts 900 / 7 = 129 s, and the scale-out takes 2 minutes
	 * to decide and 2 to take effect: throttling.  The minimum that
	 * avoids it is about the steady capacity, ceil(10 / 0.9) = 12.
	 */
	memset(d, 0, sizeof(d));
	fill(0, N - 1, 10);
	for (i = 0; i < N; i += 180)
		fill(i + 100, i + 119, 2);
	check("steady", 0);

	/* Diurnal: 5 to 25 u/s, a sine over the day. */
	for (i = 0; i < N; i++)
		d[i] = 60 * round(15 + 10 * sin(2 * PI * (double)i / 1440));
	check("diurnal", 0);

	/* Spiky: 4 u/s, a step to 30 u/s for 10 minutes every 6 hours. */
	memset(d, 0, sizeof(d));
	fill(0, N - 1, 4);
	for (i = 200; i < N; i += 360)
		fill(i, i + 9, 30);
	check("spiky", 0);
	check("spiky, 60 minutes' budget", 60);
	return (done_testing());
}
