#ifndef AUTOSCALE_H
#define AUTOSCALE_H

#include <stddef.h>
#include <time.h>

/*
 * Provisioned capacity of one resource (a table, or one global secondary
 * index) on a dense grid of periods: DynamoDB target tracking auto scaling,
 * the 300-second burst bucket and the throttling beyond it, and the hourly
 * maxima that provisioned capacity is billed on.  Pure: arrays in, numbers
 * out; no I/O but error messages, no allocation, no clock.
 *
 * Period i covers [t0 + i * period, t0 + (i + 1) * period).  Demand is
 * given per period in consumed capacity units (the CloudWatch Sum over the
 * period, a missing datapoint being 0), so demand in units per second is
 * demand / period.  Capacity is given per period in units per second: the
 * capacity in effect during that period.
 *
 * Target tracking (autoscale_run), per dimension (read, write), with
 * target T, bounds min and max, and the capacity P in effect:
 *  - Scale out when the demand (per second) of each of the last OUT periods
 *    exceeds T * P: the new capacity is ceil(d / T) for the latest period,
 *    at most max.  OUT is 2 minutes in periods, at least 1: 2 at 60 s, 1 at
 *    300 s and 3600 s.
 *  - Scale in when the demand of each of the last IN periods is below
 *    (T - 0.2) * P: the new capacity is ceil(m / T), m the highest demand
 *    of those periods, at least min; only if lower than P and if a
 *    decrease is available.  IN is 15 minutes in periods, at least 1: 15
 *    at 60 s, 3 at 300 s, 1 at 3600 s.  The windows lie within the grid:
 *    no decision before OUT (IN) periods have been seen.
 *  - Both windows are judged against the capacity in effect now, as
 *    DynamoDB's alarms are (their thresholds move with the capacity).
 *  - A decision made at the end of period i takes effect at period
 *    i + 1 + ceil(delay * 60 / period): the old capacity serves until then.
 *    While a change of a dimension is pending, that dimension decides
 *    nothing new; it is judged again from the period the change takes
 *    effect (against the new capacity).
 *  - Decreases: 4 available when a UTC day starts, one more at each UTC
 *    hour, never more than 4; 4 at t0.  A scale-in takes one when decided;
 *    without one it is refused and wanted again on the next period.  Read
 *    and write draw from the same budget; when both want the last one in
 *    the same period, read has it.
 *  - Capacities are whole units: a value within a relative 1e-9 (at most
 *    0.001 units) above an integer rounds up to that integer, not the
 *    next (16.1 / 0.7, 23.000000000000004 in doubles, is 23).
 * The rules see the demand as given, whether or not it would be throttled.
 * On 300 s and 3600 s grids they see period averages, as the burst model
 * does: an approximation, blind to peaks within a period.
 */

#define AUTOSCALE_DELAY		2	/* minutes, decision to effect */
#define AUTOSCALE_DECREASES	4	/* decreases available at most */
#define AUTOSCALE_BURST		300	/* seconds of unused capacity kept */
#define AUTOSCALE_FIXED_UTIL	0.8	/* peak utilization of a fixed capacity */

/* The grid: n periods of ${period} seconds from ${t0}. */
struct autoscale_grid {
	time_t t0;		/* start of period 0, a multiple of period */
	int period;		/* seconds: 60, 300 or 3600 */
	size_t n;		/* periods */
};

/* Target tracking settings of one dimension. */
struct autoscale_policy {
	double target;		/* target utilization, 0.2 to 0.9 */
	double min, max;	/* whole units, 1 <= min <= max */
	double start;		/* capacity at t0 (rounded up to whole units,
				   brought within [min, max]); negative:
				   ceil(d0 / target), d0 the first demand */
};

struct autoscale_opts {
	int delay;		/* minutes from a decision to its effect */
	struct autoscale_policy read, write;
};

/* What the auto scaler did in one dimension. */
struct autoscale_stats {
	int increases;		/* scale-outs decided */
	int decreases;		/* scale-ins decided */
	int refused;		/* periods a scale-in found no decrease left */
};

/* A capacity array judged against its demand. */
struct autoscale_usage {
	double throttled_units;	/* demand beyond capacity and burst */
	double throttled_minutes; /* periods with throttling, in minutes */
	double unit_hours;	/* sum over clock hours of the hourly maxima */
};

/**
 * autoscale_check(g):
 * Return 0 if the grid ${g} is one this module works on (period 60, 300 or
 * 3600 and t0 a non-negative multiple of it), or -1 (reported).
 */
int autoscale_check(const struct autoscale_grid *);

/**
 * autoscale_run(g, o, rd, wd, rcap, wcap, st):
 * Simulate target tracking, as described above, of the read and write
 * capacity of one resource with the settings ${o}, under the read demand
 * ${rd} and write demand ${wd} (g->n consumed units per period each).
 * Write the capacity in effect in each period to ${rcap} and ${wcap}
 * (g->n each), and what was done to st[0] (read) and st[1] (write).
 * Return 0, or -1 if ${g} or ${o} is invalid (reported).  Linear in g->n.
 */
int autoscale_run(const struct autoscale_grid *, const struct autoscale_opts *,
    const double *, const double *, double *, double *,
    struct autoscale_stats *);

/**
 * autoscale_held(cap, p, n, fallback):
 * The capacity in effect in each of ${n} periods, into ${cap}, from the
 * provisioned capacity metric ${p} (NaN where it has no datapoint; it is
 * published every few minutes): held from one datapoint to the next, the
 * first datapoint's before it, and ${fallback} (at least 1) when there is
 * none.  ${cap} may be ${p}.
 */
void autoscale_held(double *, const double *, size_t, double);

/**
 * autoscale_fixed(g, peak, util):
 * The fixed capacity that serves the peak demand ${peak} (consumed units
 * in a period of ${g}) at utilization ${util} (AUTOSCALE_FIXED_UTIL for
 * the provisioned_fixed scenario, 0 < util <= 1): ceil(peak / period /
 * util), at least 1.
 */
double autoscale_fixed(const struct autoscale_grid *, double, double);

/**
 * autoscale_hours(g):
 * The number of UTC clock hours the grid ${g} touches: the length of the
 * hourly array of autoscale_assess.
 */
size_t autoscale_hours(const struct autoscale_grid *);

/**
 * autoscale_assess(g, cap, d, hourly, u):
 * Judge the capacity ${cap} (g->n units per second, not negative: from
 * autoscale_run, a fixed capacity, or the capacity that was in effect)
 * against the demand ${d} (g->n consumed units per period), into ${u}:
 *  - Burst: a bucket of at most 300 * P units, full at t0, filled by the
 *    unused capacity of each period and drained by the demand above it;
 *    demand beyond capacity and bucket is throttled (less than 1e-6 units
 *    in a period is rounding, not throttling).  Demand is taken as even
 *    within a period.  A period with throttling counts period / 60
 *    throttled minutes.
 *  - Billing: for each UTC clock hour the grid touches, the highest
 *    capacity in effect during it; written to ${hourly} unless NULL
 *    (autoscale_hours(g) elements), summed in u->unit_hours.
 * Return 0, or -1 if ${g} is invalid (reported).  Linear in g->n.
 */
int autoscale_assess(const struct autoscale_grid *, const double *,
    const double *, double *, struct autoscale_usage *);

/* The settings autoscale_tune searches. */
#define AUTOSCALE_TUNE_ROOM	2	/* the maximum: this times the peak's
					   capacity at the target */
#define AUTOSCALE_TUNE_QUANTILES 8 	/* candidate minimums per target */
#define AUTOSCALE_TUNE_GUESSES	3	/* minimums from the throttling */

/**
 * autoscale_tune(g, delay, rd, wd, lim, budget, work, best, u):
 * Search the target tracking settings of each dimension of one resource,
 * under the read demand ${rd} and the write demand ${wd} (g->n consumed
 * units per period each), for the cheapest (fewest unit-hours) whose
 * throttled minutes over the grid are at most budget[k] (k 0 read, 1
 * write), the delay of a decision being ${delay} minutes.  lim[k] gives
 * the bounds: the minimum is at least lim[k].min, the maximum at most
 * lim[k].max, and lim[k].start is the capacity at t0 (as in a policy).
 * Targets are tried from 0.9 down in steps of 0.1.  For each, lim->min
 * first; if it throttles beyond the budget, the minimum that carries
 * each burst of its throttling (the demand above capacity from the period
 * the bucket was last full until the capacity serves again: what the
 * scale-out delay cannot catch) with a bucket full at its start, the
 * highest of those; if that too is over the budget, the same from its
 * throttling (AUTOSCALE_TUNE_GUESSES in all); then the smallest within
 * it among the capacities (at that target) of AUTOSCALE_TUNE_QUANTILES
 * quantiles of the hourly peaks above it, by bisection (the throttling
 * falls as the minimum rises; the peak's capacity throttles nothing),
 * then among the whole units between the last over the budget and the
 * first within, to within 1/8.  A minimum is passed over if it cannot
 * cost less than the best found (bound: the hourly maxima of lim->min at
 * its target, each raised to it).  The search of a dimension stops at a
 * target where lim->min is within the budget (a lower target then only
 * costs more), whose cost rose over the one above it, or where the
 * unit-hours of lim->min, scaled to the next target (capacity goes as
 * 1 / target), reach the best found.
 * The maximum is AUTOSCALE_TUNE_ROOM times the peak's
 * capacity at the target, within [min, lim->max].  The two dimensions
 * are searched in the same runs (they share the decreases, as on AWS),
 * one at its best settings once its search is done.  ${work} is scratch
 * of 4 * g->n doubles.  Write the settings to best[k] and what they do
 * to u[k]: set ${*joint} if those are what both do together (the last
 * run was of both at their best), else 0 (each is from the run that
 * found it).  Return the number of runs, or -1 if ${g} or ${lim} is
 * invalid (reported).
 */
int autoscale_tune(const struct autoscale_grid *, int, const double *,
    const double *, const struct autoscale_policy[2], const double[2],
    double *, struct autoscale_policy[2], struct autoscale_usage[2], int *);

#endif
