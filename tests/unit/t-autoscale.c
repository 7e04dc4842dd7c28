#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "autoscale.h"
#include "datetime.h"
#include "tap.h"

/*
 * Every expectation below is worked out by hand in the comments.  Demand
 * is written in units per second (u/s) and stored, as the module wants it,
 * as consumed units per period (u/s * period).  Most cases use target 0.5,
 * so that ceil(d / T) = ceil(2 d), "above target" is d > 0.5 P and "below
 * target - 20" is d < 0.3 P.
 */

#define N	200
#define P2(e)	ldexp(1.0, (e))		/* 2^e, exact */

static double rd[N], wd[N], rcap[N], wcap[N];
static struct autoscale_stats st[2];
static time_t midnight;			/* 2026-11-01T00:00:00Z */

/* Demand of ${ups} u/s in periods [from, to] of ${d}. */
static void
fill(double *d, size_t from, size_t to, double ups, int period)
{
	size_t i;

	for (i = from; i <= to; i++)
		d[i] = ups * period;
}

static void
reset(void)
{

	memset(rd, 0, sizeof(rd));
	memset(wd, 0, sizeof(wd));
	memset(rcap, 0, sizeof(rcap));
	memset(wcap, 0, sizeof(wcap));
}

/* Settings: read as given, write idle at 1 unit (it never moves). */
static struct autoscale_opts
opts(int delay, double target, double min, double max, double start)
{
	struct autoscale_opts o;

	o.delay = delay;
	o.read.target = target;
	o.read.min = min;
	o.read.max = max;
	o.read.start = start;
	o.write.target = 0.5;
	o.write.min = 1;
	o.write.max = 1;
	o.write.start = 1;
	return (o);
}

static int
run(time_t t0, int period, size_t n, const struct autoscale_opts *o)
{
	struct autoscale_grid g = { t0, period, n };

	return (autoscale_run(&g, o, rd, wd, rcap, wcap, st));
}

/* Is ${cap} ${want} in every period of [from, to]? */
static int
same(const double *cap, size_t from, size_t to, double want,
    const char *what)
{
	size_t i;

	for (i = from; i <= to; i++)
		if (cap[i] != want)
			break;
	if (!ok(i > to, "%s", what))
		printf("#   period %zu: got %.17g, want %.17g\n", i, cap[i],
		    want);
	return (i > to);
}

static int
near(double got, double want, const char *what)
{
	int c = fabs(got - want) <= 1e-9 * fmax(1.0, fabs(want));

	if (!ok(c, "%s", what))
		printf("#   got: %.17g\n#  want: %.17g\n", got, want);
	return (c);
}

/*
 * Scale out, 60 s grid, T 0.5, capacity 10 (above target: d > 5), delay 2.
 * Minute 5 alone is above target (8 u/s); minutes 10 and 11 are (8, 9):
 * at the end of minute 11 the new capacity is ceil(9 / 0.5) = 18, in
 * effect from minute 11 + 1 + 2 = 14.  At 18, 9 u/s is exactly the target
 * (not above) and 0.5 (not below 0.3): nothing more.
 */
static void
scale_out(void)
{
	struct autoscale_opts o = opts(2, 0.5, 1, 1000, 10);
	int delay;

	reset();
	fill(rd, 0, 29, 4, 60);
	fill(rd, 5, 5, 8, 60);
	fill(rd, 10, 10, 8, 60);
	fill(rd, 11, 29, 9, 60);
	is_int(run(midnight, 60, 30, &o), 0, "scale out: runs");
	same(rcap, 0, 11, 10, "one minute above target: no scale-out");
	same(rcap, 12, 13, 10, "decided after minute 11: 2 minutes' delay");
	same(rcap, 14, 29, 18, "then ceil(9 / 0.5) = 18");
	is_int(st[0].increases, 1, "one increase");
	is_int(st[0].decreases + st[1].increases + st[1].decreases, 0,
	    "nothing else");

	/* The delay: 0 from minute 12, 1 from 13, 5 from 17. */
	for (delay = 0; delay <= 5; delay += delay == 1 ? 4 : 1) {
		o.delay = delay;
		run(midnight, 60, 30, &o);
		ok(rcap[11 + delay] == 10 && rcap[12 + delay] == 18,
		    "delay %d: 18 from minute %d", delay, 12 + delay);
	}

	/*
	 * T 0.7: 16.1 u/s over 10 is above; ceil(16.1 / 0.7) is 23, not 24
	 * (in doubles 966 / 42 is 23.000000000000004).
	 */
	o = opts(2, 0.7, 1, 1000, 10);
	reset();
	fill(rd, 0, 9, 16.1, 60);
	run(midnight, 60, 10, &o);
	same(rcap, 0, 3, 10, "T 0.7: 10 until minute 3");
	same(rcap, 4, 4, 23, "T 0.7: ceil(16.1 / 0.7) = 23, no rounding error");
}

/*
 * Scale in, T 0.5, capacity 100 (below target - 20: d < 30), delay 2.
 * 20 u/s throughout: minutes 0..14 are the first 15 below, so at the end
 * of minute 14 the capacity becomes ceil(20 / 0.5) = 40 from minute 17.
 * At 40, 20 u/s is exactly the target: stable.
 */
static void
scale_in(void)
{
	struct autoscale_opts o = opts(2, 0.5, 1, 1000, 100);

	reset();
	fill(rd, 0, 39, 20, 60);
	run(midnight, 60, 40, &o);
	same(rcap, 0, 16, 100, "no scale-in before 15 minutes below");
	same(rcap, 17, 39, 40, "15 minutes below, 2 of delay: 40");
	ok(st[0].decreases == 1 && st[0].increases == 0, "one decrease");

	/* Minute 1 at 30 u/s is not below 30: the first window is 2..16. */
	fill(rd, 1, 1, 30, 60);
	run(midnight, 60, 40, &o);
	same(rcap, 0, 18, 100, "a minute at exactly T - 20 restarts the wait");
	same(rcap, 19, 39, 40, "decided after minute 16: 40 from 19");

	/* Minute 1 at 29 u/s is below: from 17, ceil(29 / 0.5) = 58. */
	fill(rd, 1, 1, 29, 60);
	run(midnight, 60, 40, &o);
	same(rcap, 17, 39, 58, "the highest of the 15 minutes sets it: 58");
}

/* Bounds, and the capacity at t0. */
static void
bounds(void)
{
	struct autoscale_opts o;

	/*
	 * 1000 u/s against 100: ceil(1000 / 0.5) = 2000, clamped to max 500,
	 * decided after minute 1, from minute 4.  At 500 still above target
	 * but already at max: no other increase.
	 */
	reset();
	fill(rd, 0, 19, 1000, 60);
	o = opts(2, 0.5, 1, 500, 100);
	run(midnight, 60, 20, &o);
	same(rcap, 0, 3, 100, "max: 100 until minute 3");
	same(rcap, 4, 19, 500, "max: then 2000 clamped to 500");
	is_int(st[0].increases, 1, "max: one increase, none at max");

	/* No demand: ceil(0) = 0 clamped to min 5, from minute 17; at min
	   no further decrease. */
	reset();
	o = opts(2, 0.5, 5, 500, 100);
	run(midnight, 60, 40, &o);
	same(rcap, 17, 39, 5, "min: 0 clamped to 5");
	is_int(st[0].decreases, 1, "min: one decrease, none at min");

	/* A start outside [min, max] is brought within. */
	o = opts(2, 0.5, 5, 500, 2);
	run(midnight, 60, 1, &o);
	same(rcap, 0, 0, 5, "start 2 below min 5: 5");
	o = opts(2, 0.5, 5, 500, 900);
	run(midnight, 60, 1, &o);
	same(rcap, 0, 0, 500, "start 900 above max 500: 500");

	/* No start: ceil(d0 / T). */
	reset();
	fill(rd, 0, 0, 7, 60);
	o = opts(2, 0.7, 1, 500, -1);
	run(midnight, 60, 1, &o);
	same(rcap, 0, 0, 10, "no start: ceil(7 / 0.7) = 10, not 11");
	fill(rd, 0, 0, 16.1, 60);
	run(midnight, 60, 1, &o);
	same(rcap, 0, 0, 23, "no start: ceil(16.1 / 0.7) = 23, not 24");
	fill(rd, 0, 0, 7.71, 60);
	run(midnight, 60, 1, &o);
	same(rcap, 0, 0, 12, "no start: ceil(7.71 / 0.7) = ceil(11.01) = 12");
	fill(rd, 0, 0, 0, 60);
	o = opts(2, 0.7, 3, 500, -1);
	run(midnight, 60, 1, &o);
	same(rcap, 0, 0, 3, "no start, no demand: min 3");
}

/*
 * The decrease budget.  Demand halves every minute: d_i = 2^(30 - i) u/s,
 * T 0.5, delay 0, start 2^32, min 1.  At the end of minute i >= 14 the
 * 15-minute maximum is d_(i-14) = 2^(44 - i), below 0.3 P whenever
 * P >= 2^(45 - i) (0.3 * 2^(45 - i) = 1.2 * 2^(44 - i)), and the new
 * capacity is 2 d_(i-14) = 2^(45 - i), in effect from minute i + 1.  So a
 * decrease is wanted every minute from 14 on, for as long as the budget
 * lasts; when one is refused the capacity stays and the next minute still
 * wants one.
 */
static void
halving(double *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		d[i] = P2(30 - (int)i) * 60;
}

static void
budget(void)
{
	struct autoscale_opts o = opts(0, 0.5, 1, P2(40), P2(32));
	time_t t;

	/*
	 * From 00:40: minutes 14..17 take the 4 decreases (2^31, 2^30, 2^29,
	 * 2^28 from minutes 15..18); 18 and 19 are refused; 01:00 (minute
	 * 20) brings one more: 2^(45 - 20) = 2^25 from minute 21; then none.
	 */
	reset();
	halving(rd, 40);
	run(midnight + 40 * 60, 60, 40, &o);
	same(rcap, 0, 14, P2(32), "budget: 2^32 until minute 14");
	ok(rcap[15] == P2(31) && rcap[16] == P2(30) && rcap[17] == P2(29),
	    "budget: 4 decreases, one a minute");
	same(rcap, 18, 20, P2(28), "budget: a fifth in the hour is refused");
	same(rcap, 21, 39, P2(25), "budget: 01:00 brings one more, only one");
	is_int(st[0].decreases, 5, "budget: 4 + 1 decreases");
	is_int(st[0].refused, 2 + 19, "budget: refused at 18, 19 and 21..39");

	/*
	 * From 23:40 the same: minute 20 is midnight, the budget is 4 again:
	 * 2^25, 2^24, 2^23, 2^22 from minutes 21..24, then none.
	 */
	t = midnight - 20 * 60;
	run(t, 60, 40, &o);
	same(rcap, 18, 20, P2(28), "midnight: refused before midnight");
	ok(rcap[21] == P2(25) && rcap[22] == P2(24) && rcap[23] == P2(23),
	    "midnight: the budget is 4 again");
	same(rcap, 24, 39, P2(22), "midnight: and only 4");
	is_int(st[0].decreases, 8, "midnight: 4 + 4 decreases");

	/* From 00:50: 01:00 is minute 10, when 4 are still available: the
	   budget stays 4 (not 5), the 4 decreases of 14..17, then none. */
	run(midnight + 50 * 60, 60, 40, &o);
	same(rcap, 18, 39, P2(28), "cap: an hour adds nothing to a full budget");
	is_int(st[0].decreases, 4, "cap: 4 decreases, not 5");

	/*
	 * Read and write, the same halving demand, from 00:10 (no hour in
	 * the 40 minutes): minute 14 takes one for each, minute 15 one for
	 * each, then neither has any: 2 decreases each.
	 */
	halving(wd, 40);
	o.write = o.read;
	run(midnight + 10 * 60, 60, 40, &o);
	ok(rcap[15] == P2(31) && wcap[15] == P2(31), "shared: both at 14");
	same(rcap, 16, 39, P2(30), "shared: read twice");
	same(wcap, 16, 39, P2(30), "shared: write twice");
	ok(st[0].decreases == 2 && st[1].decreases == 2,
	    "shared: 2 + 2 decreases from one budget of 4");

	/* From 00:40: 01:00 brings one, both want it: read has it. */
	run(midnight + 40 * 60, 60, 40, &o);
	same(rcap, 21, 39, P2(25), "shared: the hour's decrease goes to read");
	same(wcap, 16, 39, P2(30), "shared: write refused");
	ok(st[0].decreases == 3 && st[1].decreases == 2, "shared: 3 + 2");

	/* A GSI is its own resource: its own 4, whatever the table used. */
	memset(wd, 0, sizeof(wd));
	o.write = opts(0, 0.5, 1, 1, 1).write;
	run(midnight + 10 * 60, 60, 40, &o);
	is_int(st[0].decreases, 4, "a GSI alone: its own 4 decreases");
}

/*
 * Missing datapoints are zeros.  T 0.5, capacity 100, min 10, 40 u/s
 * (0.4: neither above 0.5 nor below 0.3).  Minutes 20..33 are missing
 * (14 zeros between minutes at 0.4): nothing happens.  Minutes 60..74 are
 * missing (15 zeros): after minute 74, ceil(0) clamped to min 10, from
 * minute 77.  Then 40 u/s against 10: above target after 76 and 77
 * (the first minute judged again is 77), ceil(40 / 0.5) = 80 from 80.
 * Burst: the bucket, full at 300 * 100 = 30000, is cut to 300 * 10 = 3000
 * at minute 77; minute 77 drains (40 - 10) * 60 = 1800 of it (1200
 * left), minute 78 needs 1800: 600 throttled, minute 79 1800 throttled.
 */
static void
gaps(void)
{
	struct autoscale_opts o = opts(2, 0.5, 10, 1000, 100);
	struct autoscale_grid g = { midnight, 60, 100 };
	struct autoscale_usage u;

	reset();
	fill(rd, 0, 99, 40, 60);
	fill(rd, 20, 33, 0, 60);
	fill(rd, 60, 74, 0, 60);
	run(midnight, 60, 100, &o);
	same(rcap, 0, 76, 100, "14 missing minutes: no scale-in");
	same(rcap, 77, 79, 10, "15 missing minutes: scale-in to min 10");
	same(rcap, 80, 99, 80, "traffic back: 80 from minute 80");
	autoscale_assess(&g, rcap, rd, NULL, &u);
	near(u.throttled_units, 600 + 1800, "bucket cut to 300 s of 10 u/s");
	near(u.throttled_minutes, 2, "minutes 78 and 79 throttled");
}

/*
 * Throttled units under a constant capacity of 10 u/s on the 60 s grid,
 * with ${ups} u/s added in minutes [from, to] (none if from > to).
 */
static double
throttled(size_t from, size_t to, double ups, double *minutes)
{
	struct autoscale_grid g = { midnight, 60, 40 };
	struct autoscale_usage u;
	double cap[40];
	size_t i;

	for (i = 0; i < 40; i++)
		cap[i] = 10;
	fill(rd, from, to, ups, 60);
	autoscale_assess(&g, cap, rd, NULL, &u);
	*minutes = u.throttled_minutes;
	return (u.throttled_units);
}

/*
 * Burst at 10 u/s: the bucket holds 300 * 10 = 3000 units, full at t0.
 * 20 u/s is 600 units a minute beyond capacity: 5 minutes of it empty the
 * bucket exactly.
 */
static void
burst(void)
{
	struct autoscale_grid g = { midnight, 300, 4 };
	struct autoscale_usage u;
	double cap[4] = { 10, 10, 10, 10 }, m;

	reset();
	near(throttled(0, 4, 20, &m), 0, "2P from t0 for 5 minutes: the bucket "
	    "starts full");
	reset();
	near(throttled(10, 13, 20, &m), 0, "2P for 4 minutes: absorbed");
	near(m, 0, "2P for 4 minutes: no throttled minute");
	reset();
	near(throttled(10, 14, 20, &m), 0, "2P for 300 s exactly: absorbed");
	reset();
	near(throttled(10, 16, 20, &m), 1200,
	    "2P for 7 minutes: minutes 6 and 7 throttled, 600 each");
	near(m, 2, "2P for 7 minutes: 2 throttled minutes");

	/* Minute 15 idle puts 600 back: minute 16 uses it, 17 throttles. */
	reset();
	fill(rd, 10, 14, 20, 60);
	fill(rd, 16, 17, 20, 60);
	near(throttled(1, 0, 0, &m), 600, "a minute idle refills 600 units");
	near(m, 1, "one throttled minute after the refill");

	/* 100 u/s for a minute: 5400 beyond capacity, 3000 from the bucket. */
	reset();
	near(throttled(5, 5, 100, &m), 2400, "a spike beyond the bucket");

	/*
	 * 0.22 units beyond capacity, then exactly the 2999.78 left: no
	 * throttling, though in doubles 3599.78 - 600 exceeds 3000 - 0.22
	 * by 4.5e-13.
	 */
	reset();
	rd[0] = 600.22;
	rd[1] = 3599.78;
	near(throttled(1, 0, 0, &m), 0, "rounding is not throttling");
	near(m, 0, "rounding is not a throttled minute");

	/* An idle start does not store more than 300 s: the same 1200. */
	reset();
	near(throttled(30, 36, 20, &m), 1200, "idle: the bucket stays 3000");

	/*
	 * 300 s grid at 10 u/s: 3000 units a period, bucket 3000.  20 u/s
	 * is 3000 beyond capacity a period: the first is absorbed, the
	 * second throttled whole; a throttled period is 5 minutes.
	 */
	reset();
	fill(rd, 1, 2, 20, 300);
	autoscale_assess(&g, cap, rd, NULL, &u);
	near(u.throttled_units, 3000, "300 s grid: the second period");
	near(u.throttled_minutes, 5, "300 s grid: 5 throttled minutes");
}

/*
 * The bucket as the rule says it, step by step (the module folds two of
 * these steps into one): on random capacities and demands, with
 * throttling, refills and capacities that fall below the bucket, the
 * module's figures must be these, to the bit.
 */
static void
bucket_rule(void)
{
	struct autoscale_grid g = { midnight, 60, N };
	struct autoscale_usage u;
	double cap[N], bucket, bmax, avail, thr, throttled;
	unsigned long seed = 1;
	size_t i, nthr, bad = 0;
	int round;

	for (round = 0; round < 200; round++) {
		for (i = 0; i < N; i++) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			cap[i] = (double)(1 + (seed >> 33) % 20);
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			rd[i] = (double)((seed >> 33) % 200000) / 100;
		}
		bucket = 300 * cap[0];
		throttled = 0;
		nthr = 0;
		for (i = 0; i < N; i++) {
			avail = cap[i] * 60;
			bmax = 300 * cap[i];
			bucket = fmin(bucket, bmax);
			if (rd[i] <= avail)
				bucket = fmin(bucket + (avail - rd[i]), bmax);
			else if ((bucket += avail - rd[i]) < 0) {
				thr = -bucket;
				bucket = 0;
				if (thr >= 1e-6) {
					throttled += thr;
					nthr++;
				}
			}
		}
		autoscale_assess(&g, cap, rd, NULL, &u);
		bad += u.throttled_units != throttled ||
		    u.throttled_minutes != (double)nthr;
	}
	ok(bad == 0, "the burst bucket, folded, is the rule's to the bit "
	    "(%zu of 200 random runs differ)", bad);
}

/* A random number below ${n}. */
static unsigned long
rnd(unsigned long *seed, unsigned long n)
{

	*seed = *seed * 6364136223846793005UL + 1442695040888963407UL;
	return ((*seed >> 33) % n);
}

/* Whole units for ${x} u/s as autoscale.h says: the ceiling, but an
 * integer for a value within a relative 1e-9 (at most 0.001) above it. */
static double
units(double x)
{
	double c = ceil(x), tol = fmin(1e-9 * fmax(1.0, fabs(x)), 1e-3);

	return (x - (c - 1) <= tol ? c - 1 : c);
}

/*
 * Target tracking as autoscale.h says it, period by period, each window
 * looked at whole and the budget counted at every hour: the model that
 * the module's marks, quiet stretches and budget counted on demand must
 * agree with.
 */
static void
model(const struct autoscale_grid *g, const struct autoscale_opts *o,
    double *cap[2], struct autoscale_stats s[2])
{
	const struct autoscale_policy *pol[2] = { &o->read, &o->write };
	const double *d[2] = { rd, wd };
	double per = g->period, p[2], next[2], want[2], hi, lo, c, m;
	size_t pi = (size_t)g->period, kout = (120 + pi - 1) / pi;
	size_t kin = (900 + pi - 1) / pi;
	size_t delay = ((size_t)o->delay * 60 + pi - 1) / pi;
	size_t at[2] = { SIZE_MAX, SIZE_MAX }, i, j, above, below;
	int k, budget = 4;
	time_t t;

	memset(s, 0, 2 * sizeof(*s));
	for (k = 0; k < 2; k++) {
		c = pol[k]->start < 0 ? units(d[k][0] / pol[k]->target / per) :
		    units(pol[k]->start);
		p[k] = fmin(fmax(c, pol[k]->min), pol[k]->max);
	}
	for (i = 0; i < g->n; i++) {
		t = g->t0 + (time_t)i * g->period;
		if (i > 0 && t % 3600 == 0)
			budget = t % 86400 == 0 ? 4 : budget < 4 ? budget + 1 :
			    4;
		for (k = 0; k < 2; k++) {
			want[k] = 0;
			if (at[k] == i) {
				p[k] = next[k];
				at[k] = SIZE_MAX;
			}
			cap[k][i] = p[k];
			if (at[k] != SIZE_MAX)
				continue;
			hi = pol[k]->target * p[k] * per;
			lo = (pol[k]->target - 0.2) * p[k] * per;
			above = below = 0;
			m = 0;
			if (i + 1 >= kout)
				for (j = i + 1 - kout; j <= i; j++)
					above += d[k][j] > hi;
			if (i + 1 >= kin)
				for (j = i + 1 - kin; j <= i; j++) {
					below += d[k][j] < lo;
					m = fmax(m, d[k][j]);
				}
			if (above == kout) {
				c = fmin(units(d[k][i] / pol[k]->target / per),
				    pol[k]->max);
				if (c > p[k]) {
					next[k] = c;
					at[k] = i + 1 + delay;
					s[k].increases++;
				}
			} else if (below == kin && p[k] > pol[k]->min) {
				c = fmin(fmax(units(m / pol[k]->target / per),
				    pol[k]->min), pol[k]->max);
				if (c < p[k])
					want[k] = c;
			}
		}
		for (k = 0; k < 2; k++) {
			if (want[k] == 0)
				continue;
			if (budget == 0) {
				s[k].refused++;
				continue;
			}
			budget--;
			next[k] = want[k];
			at[k] = i + 1 + delay;
			s[k].decreases++;
		}
	}
}

/*
 * The module against the model on random runs: 60, 300 and 3600 s grids
 * from any hour, delays, bounds that bind, steady, spiky, stepped and
 * noisy demand, each capacity and each count the same.
 */
static void
target_rule(void)
{
	static const int pers[3] = { 60, 300, 3600 };
	static double mr[N], mw[N];
	double *mcap[2] = { mr, mw }, base[2], f;
	struct autoscale_stats ms[2];
	struct autoscale_opts o;
	struct autoscale_grid g;
	unsigned long seed = 7;
	size_t i, bad = 0, moved = 0;
	int round, k, shape;

	for (round = 0; round < 300; round++) {
		g.period = pers[rnd(&seed, 3)];
		g.n = 1 + rnd(&seed, N);
		g.t0 = midnight - 86400 + (time_t)rnd(&seed, 2000) * g.period;
		o.delay = rnd(&seed, 4) == 0 ? 0 : (int)rnd(&seed, 30);
		for (k = 0; k < 2; k++) {
			struct autoscale_policy *pol = k ? &o.write : &o.read;

			pol->target = 0.2 + (double)rnd(&seed, 71) / 100;
			pol->min = 1 + (double)rnd(&seed, 5);
			pol->max = pol->min + (double)(rnd(&seed, 3) ?
			    rnd(&seed, 5000) : rnd(&seed, 3));
			pol->start = rnd(&seed, 3) ? -1 :
			    (double)rnd(&seed, 500);
			base[k] = (double)(1 + rnd(&seed, 3000));
		}
		shape = (int)rnd(&seed, 4);
		for (i = 0; i < g.n; i++) {
			f = shape == 0 ? 1 + sin((double)i / 10) / 2 :
			    shape == 1 ? (rnd(&seed, 30) ? 1 : 8) :
			    shape == 2 ? (i / 40 % 2 ? 3 : 0.1) :
			    (double)rnd(&seed, 200) / 100;
			for (k = 0; k < 2; k++)
				(k ? wd : rd)[i] = rnd(&seed, 40) == 0 ? 0 :
				    base[k] * f * g.period *
				    (double)(50 + rnd(&seed, 100)) / 100;
		}
		autoscale_run(&g, &o, rd, wd, rcap, wcap, st);
		model(&g, &o, mcap, ms);
		bad += memcmp(rcap, mr, g.n * sizeof(double)) != 0 ||
		    memcmp(wcap, mw, g.n * sizeof(double)) != 0 ||
		    memcmp(st, ms, sizeof(ms)) != 0;
		moved += st[0].increases + st[0].decreases + st[1].increases +
		    st[1].decreases > 0;
	}
	ok(bad == 0, "target tracking is the model's, capacity for capacity "
	    "(%zu of 300 random runs differ)", bad);
	ok(moved > 200, "and the runs scale (%zu of 300 do)", moved);
}

/*
 * Billing: the highest capacity of each UTC hour.  From 00:30, 120
 * minutes touch 3 hours: 00 (minutes 0..29), 01 (30..89), 02 (90..119).
 * Capacity 10 until 01:19 (minute 49), 30 for 01:20..01:24, 20 after:
 * hours 10, 30, 20: 60 unit-hours (the average would be far less).
 */
static void
billing(void)
{
	struct autoscale_grid g = { midnight + 30 * 60, 60, 120 };
	struct autoscale_grid g300 = { midnight + 55 * 60, 300, 3 };
	struct autoscale_grid g3600 = { midnight, 3600, 3 };
	struct autoscale_opts o = opts(2, 0.5, 1, 1000, 10);
	struct autoscale_usage u;
	double cap[120], hourly[3] = { -1, -1, -1 };
	size_t i;

	for (i = 0; i < 120; i++)
		cap[i] = i < 50 ? 10 : i < 55 ? 30 : 20;
	reset();
	is_int(autoscale_hours(&g), 3, "00:30 + 120 minutes: 3 hours");
	autoscale_assess(&g, cap, rd, hourly, &u);
	ok(hourly[0] == 10 && hourly[1] == 30 && hourly[2] == 20,
	    "hourly maxima 10, 30, 20");
	near(u.unit_hours, 60, "60 unit-hours");

	/* 3 periods of 300 s from 00:55: 00 (one) and 01 (two). */
	is_int(autoscale_hours(&g300), 2, "00:55 + 15 minutes: 2 hours");
	cap[0] = 4; cap[1] = 6; cap[2] = 5;
	autoscale_assess(&g300, cap, rd, hourly, &u);
	ok(hourly[0] == 4 && hourly[1] == 6, "300 s grid: 4, then 6");
	near(u.unit_hours, 10, "300 s grid: 10 unit-hours");
	is_int(autoscale_hours(&g3600), 3, "3600 s grid: an hour a period");
	autoscale_assess(&g3600, cap, rd, hourly, &u);
	near(u.unit_hours, 15, "3600 s grid: 4 + 6 + 5");

	/* The scale-out case: 10 for minutes 0..13, 18 after: one hour at
	   18. */
	reset();
	fill(rd, 0, 29, 4, 60);
	fill(rd, 10, 10, 8, 60);
	fill(rd, 11, 29, 9, 60);
	run(midnight, 60, 30, &o);
	g.t0 = midnight;
	g.n = 30;
	autoscale_assess(&g, rcap, rd, NULL, &u);
	near(u.unit_hours, 18, "a mid-hour increase bills the hour at 18");
}

/*
 * The 300 s grid: scale out after 1 period above target, scale in after 3
 * below, a delay of 2 minutes is one period.  T 0.5, capacity 10: period
 * 1 at 8 u/s is above 5: ceil(8 / 0.5) = 16 from period 1 + 1 + 1 = 3.
 * Periods 4..6 at 1 u/s are below 0.3 * 16 = 4.8 (period 3, at 8, is
 * not): after period 6, ceil(1 / 0.5) = 2 from period 8.  At 2, 1 u/s is
 * the target.
 */
static void
grid300(void)
{
	struct autoscale_opts o = opts(2, 0.5, 1, 1000, 10);

	reset();
	fill(rd, 0, 0, 4, 300);
	fill(rd, 1, 1, 8, 300);
	fill(rd, 2, 2, 4, 300);
	fill(rd, 3, 3, 8, 300);
	fill(rd, 4, 11, 1, 300);
	run(midnight, 300, 12, &o);
	same(rcap, 0, 2, 10, "300 s: 10 for periods 0..2");
	same(rcap, 3, 7, 16, "300 s: one period above: 16 from period 3");
	same(rcap, 8, 11, 2, "300 s: three periods below: 2 from period 8");
}

static void
fixed(void)
{
	struct autoscale_grid g = { midnight, 60, 10 };
	struct autoscale_grid g300 = { midnight, 300, 10 };

	near(autoscale_fixed(&g, 0, 0.8), 1, "fixed: no demand: 1");
	near(autoscale_fixed(&g, 8 * 60, 0.8), 10, "fixed: 8 / 0.8 = 10");
	near(autoscale_fixed(&g, 33 * 60, 0.8), 42,
	    "fixed: ceil(33 / 0.8) = 42");
	near(autoscale_fixed(&g300, 33 * 300, 0.8), 42,
	    "fixed: 300 s grid, 42");
}

/*
 * The capacity that was in effect, from a metric published every few
 * minutes: each datapoint held to the next, the first before it, the
 * fallback when there is none.
 */
static void
held(void)
{
	double p[12] = { NAN, NAN, 5, NAN, NAN, NAN, 7, -NAN, 3, NAN, NAN,
	    INFINITY };
	size_t i;

	autoscale_held(rcap, p, 12, 40);
	same(rcap, 0, 5, 5, "held: the first datapoint's before and after it");
	same(rcap, 6, 7, 7, "held: 7 through a NaN of either sign");
	same(rcap, 8, 10, 3, "held: 3 to the next datapoint");
	same(rcap, 11, 11, INFINITY, "held: infinity is a datapoint");
	autoscale_held(p, p, 12, 40);
	ok(memcmp(p, rcap, sizeof(p)) == 0, "held: in place, the same");
	for (i = 0; i < 12; i++)
		p[i] = NAN;
	autoscale_held(rcap, p, 12, 40);
	same(rcap, 0, 11, 40, "held: no datapoint: the fallback");
	autoscale_held(rcap, p, 12, 0);
	same(rcap, 0, 11, 1, "held: no datapoint, no fallback: 1");
}

static int
fails(const struct autoscale_grid *g, const struct autoscale_opts *o)
{
	const char *msg;
	int rc;

	capture();
	rc = autoscale_run(g, o, rd, wd, rcap, wcap, st);
	msg = captured();
	return (rc == -1 && strstr(msg, "autoscale: ") != NULL);
}

static void
invalid(void)
{
	struct autoscale_grid g = { midnight, 60, 10 };
	struct autoscale_opts o = opts(2, 0.5, 1, 10, 5);
	struct autoscale_usage u;

	ok(!fails(&g, &o), "valid settings pass");
	g.period = 120;
	ok(fails(&g, &o), "period 120: refused");
	g.period = 300;
	g.t0 = midnight + 60;
	ok(fails(&g, &o), "t0 not on the 300 s grid: refused");
	capture();
	ok(autoscale_assess(&g, rcap, rd, NULL, &u) == -1 && *captured(),
	    "assess: misaligned grid refused");
	g.t0 = midnight;
	o.read.target = 0.95;
	ok(fails(&g, &o), "target 0.95: refused");
	o.read.target = 70;
	ok(fails(&g, &o), "target 70 (a percentage): refused");
	o.read.target = 0.2;
	ok(!fails(&g, &o), "target 0.2: accepted");
	o.read.min = 0;
	ok(fails(&g, &o), "min 0: refused");
	o.read.min = 11;
	ok(fails(&g, &o), "min above max: refused");
	o.read.min = 1.5;
	ok(fails(&g, &o), "min not whole: refused");
	o.read.min = 1;
	o.delay = -1;
	ok(fails(&g, &o), "negative delay: refused");
	o.delay = 2;
	o.write.max = 0;
	ok(fails(&g, &o), "write max 0: refused");
}

int
main(void)
{

	midnight = datetime_from_civil(2026, 11, 1);
	scale_out();
	scale_in();
	bounds();
	budget();
	gaps();
	burst();
	bucket_rule();
	target_rule();
	billing();
	grid300();
	fixed();
	held();
	invalid();
	return (done_testing());
}
