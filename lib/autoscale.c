#include <err.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "autoscale.h"

#define HOUR		3600
#define DAY		86400
#define OUT_SECONDS	120	/* scale out: 2 minutes above target */
#define IN_SECONDS	900	/* scale in: 15 minutes below target - 0.2 */
#define IN_MARGIN	0.2	/* scale in below target minus 20 points */
#define NONE		SIZE_MAX
#define THROTTLE_EPS	1e-6	/* units: below this, rounding */
#define SIGN		((uint64_t)1 << 63)	/* of a double's bits */
#define INFBITS		((uint64_t)0x7ff << 52)	/* infinity's bits */

/* fmin and fmax without their NaN rules: one instruction each. */
#define LESSER(a, b)	((a) < (b) ? (a) : (b))
#define GREATER(a, b)	((a) > (b) ? (a) : (b))

/*
 * One dimension (read or write) during autoscale_run.  Rather than keep
 * the windows' demands, it keeps the last period that breaks each rule
 * (plus one, 0 for none): the windows are whole when that period is out of
 * them.  Those marks are worked out again, from at most 15 periods back,
 * only when the capacity (and so the thresholds) changes.
 */
struct dim {
	const struct autoscale_policy *pol;
	const double *d;		/* demand, units per period */
	double *cap;			/* capacity per period, out */
	struct autoscale_stats *st;
	double den;			/* target * period: demand to capacity */
	double p;			/* capacity in effect */
	double hi, lo;			/* scale out above, in below (units) */
	double next;			/* the pending capacity */
	size_t at;			/* when it takes effect, or NONE */
	double want;			/* a scale-in wanted now, or 0 */
	size_t notabove;		/* last period not above hi, plus 1 */
	size_t notbelow;		/* last period not below lo, plus 1 */
};

/*
 * Whole capacity units for ${x} units per second: its ceiling, except that
 * a value within a relative 1e-9 (at most 0.001) above an integer is that
 * integer, so that representation error (16.1 / 0.7 computes as
 * 23.000000000000004) costs no unit.
 */
static double
whole(double x)
{
	double c = ceil(x);

	if (c - x > 1 - fmin(1e-9 * fmax(1.0, fabs(x)), 1e-3))
		c -= 1;
	return (c);
}

static double
clamp(double x, double lo, double hi)
{

	return (x < lo ? lo : x > hi ? hi : x);
}

static int
grid_ok(const struct autoscale_grid *g)
{

	return ((g->period == 60 || g->period == 300 || g->period == HOUR) &&
	    g->t0 >= 0 && g->t0 % g->period == 0);
}

/**
 * autoscale_check(g):
 * Return 0 if the grid ${g} is one this module works on (period 60, 300 or
 * 3600 and t0 a non-negative multiple of it), or -1 (reported).
 */
int
autoscale_check(const struct autoscale_grid *g)
{

	if (!grid_ok(g)) {
		warnx("autoscale: period %d s from %lld: not 60, 300 or "
		    "3600 s from a multiple of it", g->period,
		    (long long)g->t0);
		return (-1);
	}
	return (0);
}

static int
policy_ok(const struct autoscale_policy *p, const char *what)
{

	if (!(p->target >= 0.2 && p->target <= 0.9)) {
		warnx("autoscale: %s target %g: not 0.2 to 0.9", what,
		    p->target);
		return (0);
	}
	if (!(p->min >= 1 && p->min <= p->max && isfinite(p->max) &&
	    floor(p->min) == p->min && floor(p->max) == p->max)) {
		warnx("autoscale: %s capacity %g to %g: not whole units, "
		    "1 <= min <= max", what, p->min, p->max);
		return (0);
	}
	return (1);
}

/* Windows of ${seconds} on a grid of ${period}, in periods, at least 1. */
static size_t
periods(int seconds, int period)
{

	return (seconds <= period ? 1 : (size_t)(seconds + period - 1) /
	    (size_t)period);
}

/*
 * Put capacity ${c} in effect in ${x} from period ${i}: the alarm
 * thresholds follow it, and the marks are worked out again for them from
 * the periods before ${i} that the windows can hold.
 */
static void
dim_set(struct dim *x, double c, size_t i, size_t kin, double period)
{
	size_t j;

	x->p = c;
	x->hi = x->pol->target * c * period;
	x->lo = (x->pol->target - IN_MARGIN) * c * period;
	x->notabove = x->notbelow = 0;
	for (j = i; j > 0 && j + kin > i; j--) {
		if (x->notabove == 0 && !(x->d[j - 1] > x->hi))
			x->notabove = j;
		if (x->notbelow == 0 && !(x->d[j - 1] < x->lo))
			x->notbelow = j;
	}
}

static void
dim_init(struct dim *x, const struct autoscale_policy *pol, const double *d,
    double *cap, struct autoscale_stats *st, const struct autoscale_grid *g)
{
	double c;

	x->pol = pol;
	x->d = d;
	x->cap = cap;
	x->st = st;
	st->increases = st->decreases = st->refused = 0;
	x->den = pol->target * g->period;
	if (pol->start < 0)
		c = g->n > 0 ? whole(d[0] / x->den) : pol->min;
	else
		c = whole(pol->start);
	dim_set(x, clamp(c, pol->min, pol->max), 0, 0, g->period);
	x->at = NONE;
	x->next = x->want = 0;
}

/*
 * The rules at the end of period ${i}, for dimension ${x} with no change
 * pending, one of whose windows is whole: a scale-out is decided here, a
 * scale-in only wanted (the caller grants it from the budget).
 */
static void
dim_decide(struct dim *x, size_t i, size_t kout, size_t kin, size_t delay)
{
	double c, m;
	size_t j;

	/* Scale out: each of the last kout periods above the target. */
	if (i + 1 - x->notabove >= kout) {
		c = fmin(whole(x->d[i] / x->den), x->pol->max);
		if (c > x->p) {
			x->next = c;
			x->at = i + 1 + delay;
			x->st->increases++;
		}
		return;
	}

	/* Scale in: each of the last kin periods below target - 0.2. */
	m = x->d[i];
	for (j = i + 1 - kin; j < i; j++)
		m = fmax(m, x->d[j]);
	c = clamp(whole(m / x->den), x->pol->min, x->pol->max);
	if (c < x->p)
		x->want = c;
}

/*
 * The marks after period ${i}, of demand ${v}, against the thresholds
 * ${hi} and ${lo}: each stays while its rule holds, else is i + 1 (noisy
 * demand would mispredict branches: selects, for conditional moves).
 */
static inline void
marks(double v, double hi, double lo, size_t i, size_t *na, size_t *nb)
{

	*na = v > hi ? *na : i + 1;
	*nb = v < lo ? *nb : i + 1;
}

/* Whether a window is whole after period ${i}, given the marks ${na} and
 * ${nb}; the scale-in window only if ${in} (the capacity is above the
 * minimum). */
static inline int
window(size_t i, size_t na, size_t nb, size_t kout, size_t kin, int in)
{

	return (i + 1 - na >= kout || (in && i + 1 - nb >= kin));
}

/*
 * Period ${i} of dimension ${x}: the pending change if due, the capacity
 * in effect, the marks, and the rules if a window is whole.
 */
static void
dim_step(struct dim *x, size_t i, size_t kout, size_t kin, size_t delay,
    double period)
{
	size_t na, nb;

	if (x->at == i) {
		dim_set(x, x->next, i, kin, period);
		x->at = NONE;
	}
	x->cap[i] = x->p;
	na = x->notabove;
	nb = x->notbelow;
	marks(x->d[i], x->hi, x->lo, i, &na, &nb);
	x->notabove = na;
	x->notbelow = nb;
	if (x->at == NONE && window(i, na, nb, kout, kin, x->p > x->pol->min))
		dim_decide(x, i, kout, kin, delay);
}

/*
 * The periods from ${i}, before ${end}, in which neither dimension does
 * anything but hold its capacity and move its marks: no change is due
 * (${end} is at most the next one) and no window is whole.  Return the
 * first period that is not such.  Nearly all periods are.  Each mark is
 * carried as the period its window would be whole by (the mark plus the
 * window, or never for a window that cannot decide), so that a period is
 * a few operations on a few registers.
 */
static size_t
quiet(struct dim *r, struct dim *w, size_t i, size_t end, size_t kout,
    size_t kin)
{
	const size_t never = SIZE_MAX / 4;	/* beyond any grid, no wrap */
	const double *rd = r->d, *wd = w->d;
	double *rcap = r->cap, *wcap = w->cap;
	double rp = r->p, rhi = r->hi, rlo = r->lo;
	double wp = w->p, whi = w->hi, wlo = w->lo;
	size_t rko = r->at == NONE ? kout : never;
	size_t rki = r->at == NONE && rp > r->pol->min ? kin : never;
	size_t wko = w->at == NONE ? kout : never;
	size_t wki = w->at == NONE && wp > w->pol->min ? kin : never;
	size_t ra = r->notabove + rko, rb = r->notbelow + rki;
	size_t wa = w->notabove + wko, wb = w->notbelow + wki;
	size_t na, nb, nwa, nwb;

	for (; i < end; i++) {
		na = rd[i] > rhi ? ra : i + 1 + rko;
		nb = rd[i] < rlo ? rb : i + 1 + rki;
		nwa = wd[i] > whi ? wa : i + 1 + wko;
		nwb = wd[i] < wlo ? wb : i + 1 + wki;
		if (LESSER(LESSER(na, nb), LESSER(nwa, nwb)) <= i + 1)
			break;
		rcap[i] = rp;
		wcap[i] = wp;
		ra = na;
		rb = nb;
		wa = nwa;
		wb = nwb;
	}
	r->notabove = ra - rko;
	r->notbelow = rb - rki;
	w->notabove = wa - wko;
	w->notbelow = wb - wki;
	return (i);
}

/* The decreases a resource has left, as counted at the period from
 * ${when}. */
struct budget {
	int left;
	time_t when;
};

/*
 * Grant the scale-in ${x} wants at period ${i} of ${g} out of ${b}: first
 * the decreases the hours since it was counted add (one at each UTC hour,
 * never more than 4; all 4 when a UTC day starts).
 */
static void
dim_decrease(struct dim *x, const struct autoscale_grid *g, size_t i,
    size_t delay, struct budget *b)
{
	time_t t = g->t0 + (time_t)i * g->period;

	if (t / DAY != b->when / DAY)
		b->left = AUTOSCALE_DECREASES;
	else
		b->left = LESSER(AUTOSCALE_DECREASES,
		    b->left + (int)(t / HOUR - b->when / HOUR));
	b->when = t;
	if (b->left == 0) {
		x->st->refused++;
	} else {
		b->left--;
		x->next = x->want;
		x->at = i + 1 + delay;
		x->st->decreases++;
	}
	x->want = 0;
}

/**
 * autoscale_run(g, o, rd, wd, rcap, wcap, st):
 * Simulate target tracking, as described above, of the read and write
 * capacity of one resource with the settings ${o}, under the read demand
 * ${rd} and write demand ${wd} (g->n consumed units per period each).
 * Write the capacity in effect in each period to ${rcap} and ${wcap}
 * (g->n each), and what was done to st[0] (read) and st[1] (write).
 * Return 0, or -1 if ${g} or ${o} is invalid (reported).  Linear in g->n.
 */
int
autoscale_run(const struct autoscale_grid *g, const struct autoscale_opts *o,
    const double *rd, const double *wd, double *rcap, double *wcap,
    struct autoscale_stats *st)
{
	struct dim r, w;
	struct budget budget = { AUTOSCALE_DECREASES, g->t0 };
	size_t kout, kin, delay, i, end;
	double period = g->period;

	if (autoscale_check(g) || !policy_ok(&o->read, "read") ||
	    !policy_ok(&o->write, "write"))
		return (-1);
	if (o->delay < 0 || o->delay > 24 * 60) {
		warnx("autoscale: delay %d min: not 0 to 1440", o->delay);
		return (-1);
	}
	kout = periods(OUT_SECONDS, g->period);
	kin = periods(IN_SECONDS, g->period);
	delay = o->delay == 0 ? 0 : periods(o->delay * 60, g->period);
	dim_init(&r, &o->read, rd, rcap, &st[0], g);
	dim_init(&w, &o->write, wd, wcap, &st[1], g);

	for (i = 0; i < g->n; i++) {
		dim_step(&r, i, kout, kin, delay, period);
		dim_step(&w, i, kout, kin, delay, period);
		if (r.want != 0)
			dim_decrease(&r, g, i, delay, &budget);
		if (w.want != 0)
			dim_decrease(&w, g, i, delay, &budget);

		/* Then the quiet periods, up to the next change due. */
		end = LESSER(g->n, LESSER(r.at, w.at));
		i = quiet(&r, &w, i + 1, end, kout, kin) - 1;
	}
	return (0);
}

/**
 * autoscale_fixed(g, peak, util):
 * The fixed capacity that serves the peak demand ${peak} (consumed units
 * in a period of ${g}) at utilization ${util} (AUTOSCALE_FIXED_UTIL for
 * the provisioned_fixed scenario, 0 < util <= 1): ceil(peak / period /
 * util), at least 1.
 */
double
autoscale_fixed(const struct autoscale_grid *g, double peak, double util)
{

	return (fmax(1.0, whole(peak / g->period / util)));
}

/**
 * autoscale_hours(g):
 * The number of UTC clock hours the grid ${g} touches: the length of the
 * hourly array of autoscale_assess.
 */
size_t
autoscale_hours(const struct autoscale_grid *g)
{
	long long first, last;

	if (g->n == 0 || !grid_ok(g))
		return (0);
	first = (long long)g->t0 / HOUR;
	last = ((long long)g->t0 + (long long)g->n * g->period - 1) / HOUR;
	return ((size_t)(last - first + 1));
}

/**
 * autoscale_assess(g, cap, d, hourly, u):
 * Judge the capacity ${cap} (g->n units per second, not negative: from
 * autoscale_run, a fixed capacity, or the capacity that was in effect)
 * against the demand ${d} (g->n consumed units per period), into ${u}:
 * burst, throttling and the hourly maxima (see autoscale.h).  Write the
 * maxima to ${hourly} unless NULL.  Return 0, or -1 if ${g} is invalid
 * (reported).
 */
int
autoscale_assess(const struct autoscale_grid *g, const double *cap,
    const double *d, double *hourly, struct autoscale_usage *u)
{
	double period = g->period, bucket, bmax, thr, x;
	double throttled = 0, hours = 0, hmax;
	size_t perhour, hpos, h = 0, nthr = 0, i = 0, end;

	if (autoscale_check(g))
		return (-1);
	perhour = HOUR / g->period;
	hpos = (size_t)(g->t0 % HOUR) / (size_t)g->period;
	bucket = g->n > 0 ? AUTOSCALE_BURST * cap[0] : 0;

	/* Billed by the clock hour, at its highest capacity. */
	while (i < g->n) {
		end = LESSER(g->n, i + perhour - hpos);
		hpos = 0;
		for (hmax = 0; i < end; i++) {
			hmax = GREATER(hmax, cap[i]);

			/*
			 * The bucket holds at most 300 s of the capacity now;
			 * unused capacity fills it, demand above capacity
			 * drains it, and what it cannot serve is throttled.
			 * A full bucket that nothing drains stays full: most
			 * minutes are such, and skip the chain of operations
			 * that carries the bucket from minute to minute
			 * (LESSER(bmax + x, bmax) is bmax when x >= 0,
			 * rounding being monotonic).
			 */
			bmax = AUTOSCALE_BURST * cap[i];
			x = cap[i] * period - d[i];
			if (bucket == bmax && x >= 0)
				continue;
			/* LESSER(bucket, bmax) + x, then at most bmax: the
			 * same numbers, with one operation less. */
			bucket = LESSER(bucket + x, x < 0 ? bmax + x : bmax);
			if (bucket < 0) {
				thr = -bucket;
				bucket = 0;
				if (thr >= THROTTLE_EPS) {
					throttled += thr;
					nthr++;
				}
			}
		}
		if (hourly != NULL)
			hourly[h] = hmax;
		h++;
		hours += hmax;
	}
	u->throttled_units = throttled;
	u->throttled_minutes = (double)nthr * period / 60;
	u->unit_hours = hours;
	return (0);
}

void
autoscale_held(double *cap, const double *p, size_t n, double fallback)
{
	double last = NAN;
	uint64_t held, x;
	size_t i;

	for (i = 0; i < n && isnan(last); i++)
		last = p[i];
	if (isnan(last))
		last = fallback > 0 ? fallback : 1;
	/* The value held is carried as its bits, which a conditional move
	 * selects in one step: the compiler's select of a double moves it
	 * to and from integer registers every period, three times slower.
	 * A NaN's bits, less the sign, are above infinity's. */
	memcpy(&held, &last, sizeof(held));
	for (i = 0; i < n; i++) {
		memcpy(&x, &p[i], sizeof(x));
		held = (x & ~SIGN) > INFBITS ? held : x;
		memcpy(&cap[i], &held, sizeof(held));
	}
}

/* ---- the search of settings (autoscale_tune) ---- */

/*
 * The search of one dimension, a step at a time: tune_next says what to
 * simulate next (or that it is done), tune_seen takes the outcome.
 */
enum { T_TARGET, T_GUESS, T_CANDS, T_UNITS, T_END, T_DONE };

struct tune {
	const double *d;		/* demand */
	const struct autoscale_policy *lim;
	double budget;
	double *hours;			/* hourly maxima of the lowest minimum */
	size_t nh;
	double q[AUTOSCALE_TUNE_QUANTILES], peak;
	int state, step;		/* the target: step / 10 */
	double t, mx, m;		/* the settings to simulate */
	double cand[AUTOSCALE_TUNE_QUANTILES + 1];
	int nc, lo, hi, mid, found;
	double a, b;			/* whole units: over, within */
	int guesses;			/* made after the first */
	double guess, floor;		/* the minimum the throttling of the
					   lowest calls for; over the budget
					   below floor */
	const struct autoscale_grid *g;
	double cost, prev, bestcost;
	double locost;			/* unit-hours of the lowest minimum */
	struct autoscale_policy *best;
	struct autoscale_usage *bu;
};

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return ((x > y) - (x < y));
}

/*
 * A lower bound of the unit-hours of minimum ${m}, from those of the
 * lowest minimum at the same target, ${h} (${nh} hours): a minimum only
 * raises the capacity, to at least itself.
 */
static double
tune_bound(const double *h, size_t nh, double m)
{
	double sum = 0;
	size_t i;

	for (i = 0; i < nh; i++)
		sum += GREATER(m, h[i]);
	return (sum);
}

/* The maximum at target ${t}: AUTOSCALE_TUNE_ROOM times the peak's
 * capacity, within the bounds. */
static double
tune_max(const struct tune *x, double t)
{

	return (clamp(fmax(1.0, whole(AUTOSCALE_TUNE_ROOM * x->peak / t)),
	    x->lim->min, x->lim->max));
}

/* Set up ${x} for the demand ${d} on ${g}: the hourly peaks' quantiles. */
static void
tune_init(struct tune *x, const struct autoscale_grid *g, const double *d,
    const struct autoscale_policy *lim, double budget, double *hours,
    struct autoscale_policy *best, struct autoscale_usage *bu)
{
	size_t perhour, hpos, nh = 0, i, end, j;
	double hmax;

	x->d = d;
	x->g = g;
	x->lim = lim;
	x->budget = budget;
	x->hours = hours;
	x->peak = 0;
	perhour = HOUR / g->period;
	hpos = (size_t)(g->t0 % HOUR) / (size_t)g->period;
	for (i = 0; i < g->n; nh++) {
		end = LESSER(g->n, i + perhour - hpos);
		hpos = 0;
		for (hmax = 0; i < end; i++)
			hmax = GREATER(hmax, d[i]);
		hours[nh] = hmax / g->period;
		x->peak = GREATER(x->peak, hours[nh]);
	}
	qsort(hours, nh, sizeof(*hours), cmp_double);
	for (j = 0; j < AUTOSCALE_TUNE_QUANTILES; j++)
		x->q[j] = nh == 0 ? 0 : hours[((j + 1) * nh +
		    AUTOSCALE_TUNE_QUANTILES - 1) / AUTOSCALE_TUNE_QUANTILES -
		    1];
	x->nh = nh;
	x->state = T_TARGET;
	x->step = 9;
	x->bestcost = x->prev = INFINITY;
	x->best = best;
	x->bu = bu;
	*best = *lim;
	best->target = 0.9;
	best->max = tune_max(x, 0.9);
	memset(bu, 0, sizeof(*bu));
	bu->throttled_minutes = INFINITY;
}

/*
 * Whether minimum ${m} carries the periods [s, e) of ${x}'s demand, from
 * the capacity ${cap} of the lowest minimum (at least ${m} each), with
 * the bucket full at s: no throttling.
 */
static int
tune_carries(const struct tune *x, const double *cap, size_t s, size_t e,
    double m)
{
	double period = x->g->period, c = GREATER(cap[s], m), bucket, v;
	size_t j;

	bucket = AUTOSCALE_BURST * c;
	for (j = s; j < e; j++) {
		c = GREATER(cap[j], m);
		v = c * period - x->d[j];
		bucket = LESSER(bucket + v, v < 0 ? AUTOSCALE_BURST * c + v :
		    AUTOSCALE_BURST * c);
		if (bucket <= -THROTTLE_EPS)
			return (0);
	}
	return (1);
}

/*
 * The minimum that the throttling of the lowest minimum at x->t calls
 * for, from its capacity ${cap}: each burst of throttling is the demand
 * the scale-out delay could not catch, from the period the bucket was
 * last full to the last period of demand above capacity; the smallest
 * whole minimum that carries each (with the bucket full at its start),
 * the highest of those.  The same demand at that minimum mostly scales
 * out at the same periods, so it is mostly within the budget.
 */
static double
tune_guess(const struct tune *x, const double *cap, double m)
{
	const struct autoscale_grid *g = x->g;
	double period = g->period, bucket, bmax, v, lo, hi, mid;
	size_t i, s = 0, e = 0;

	bucket = g->n > 0 ? AUTOSCALE_BURST * cap[0] : 0;
	for (i = 0; i < g->n; i++) {
		bmax = AUTOSCALE_BURST * cap[i];
		v = cap[i] * period - x->d[i];
		if (bucket >= bmax)
			s = i;		/* full: a burst starts here */
		bucket = LESSER(bucket + v, v < 0 ? bmax + v : bmax);
		if (bucket >= 0)
			continue;
		v = -bucket;
		bucket = 0;
		if (v < THROTTLE_EPS || i < e)
			continue;	/* rounding, or a burst seen */
		/* Its end: the first period the capacity serves. */
		for (e = i + 1; e < g->n && x->d[e] > cap[e] * period; e++)
			;
		if (tune_carries(x, cap, s, e, m))
			continue;
		lo = m;			/* does not carry */
		hi = x->mx;		/* the cap: all it can be */
		while (hi - lo > 1) {
			mid = floor((lo + hi) / 2);
			if (tune_carries(x, cap, s, e, mid))
				hi = mid;
			else
				lo = mid;
		}
		m = hi;
	}
	return (m);
}

/* The next settings of ${x} to simulate, into x->t, x->m and x->mx: 1, or
 * 0 when the search is done. */
static int
tune_next(struct tune *x)
{
	double m;
	size_t j;

	for (;;) {
		switch (x->state) {
		case T_TARGET:
			if (x->step < 2) {
				x->state = T_DONE;
				break;
			}
			/* The minimums: lim->min, then the quantiles'
			 * capacities at this target. */
			x->t = x->step / 10.0;
			x->mx = tune_max(x, x->t);
			x->cand[0] = x->lim->min;
			x->nc = 1;
			for (j = 0; j < AUTOSCALE_TUNE_QUANTILES; j++) {
				m = clamp(whole(x->q[j] / x->t), x->lim->min,
				    x->mx);
				if (m > x->cand[x->nc - 1])
					x->cand[x->nc++] = m;
			}
			x->lo = x->mid = 0;
			x->hi = x->nc;
			x->floor = x->lim->min;
			x->found = 0;
			x->cost = INFINITY;
			x->m = x->cand[0];
			return (1);
		case T_GUESS:
			/* What the throttling calls for, unless out of
			 * bounds: then the candidates above the last over
			 * the budget. */
			if (x->guess <= x->lim->min || x->guess >= x->mx ||
			    tune_bound(x->hours, x->nh, x->guess) >=
			    x->bestcost) {
				for (j = 1; j < (size_t)x->nc &&
				    x->cand[j] <= x->floor; j++)
					;
				x->lo = (int)j;
				x->state = T_CANDS;
				break;
			}
			x->state = T_GUESS;
			x->m = x->guess;
			return (1);
		case T_CANDS:
			/* Bisect for the smallest within the budget; hi: the
			 * smallest known within it (or nc, none known). */
			while (x->lo < x->hi) {
				x->mid = x->lo + (x->hi - x->lo) / 2;
				if (tune_bound(x->hours, x->nh,
				    x->cand[x->mid]) >= x->bestcost) {
					x->hi = x->mid;	/* costs as much */
					continue;
				}
				x->m = x->cand[x->mid];
				return (1);
			}
			if (x->found && x->hi > 0) {
				x->a = GREATER(x->cand[x->hi - 1], x->floor);
				x->b = x->cand[x->hi];
				x->state = T_UNITS;
			} else
				x->state = T_END;
			break;
		case T_UNITS:
			/* The whole units between the last over the budget
			 * and the first within, to within 1/8. */
			while (x->b - x->a > fmax(1.0, x->b / 8)) {
				x->m = floor((x->a + x->b) / 2);
				if (tune_bound(x->hours, x->nh, x->m) >=
				    x->bestcost) {
					x->b = x->m;
					continue;
				}
				return (1);
			}
			x->state = T_END;
			break;
		case T_END:
			/* Done at the lowest minimum (no lower target
			 * costs less), past the cheapest, or when the lowest
			 * minimum's unit-hours here, scaled to the next
			 * target (capacity goes as 1 / target), reach the
			 * best found: the next could only cost more. */
			if ((x->found && x->hi == 0) || x->cost > x->prev ||
			    x->locost * x->step / (x->step - 1) >=
			    x->bestcost) {
				x->state = T_DONE;
				break;
			}
			x->prev = x->found ? x->cost : x->prev;
			x->step--;
			x->state = T_TARGET;
			break;
		default:
			return (0);
		}
	}
}

/* Take the outcome ${u} of the settings tune_next gave. */
static void
tune_seen(struct tune *x, const struct autoscale_usage *u, const double *cap)
{

	int within = u->throttled_minutes <= x->budget;

	if (within) {
		x->found = 1;
		x->cost = u->unit_hours;
		if (x->cost < x->bestcost) {
			x->bestcost = x->cost;
			x->best->target = x->t;
			x->best->min = x->m;
			x->best->max = x->mx;
			*x->bu = *u;
		}
	}
	switch (x->state) {
	case T_TARGET:
		x->locost = u->unit_hours;
		if (within)
			x->hi = 0;
		else if (u->unit_hours >= x->bestcost)
			x->lo = x->hi;	/* no minimum costs less */
		else {
			x->lo = 1;
			x->guess = tune_guess(x, cap, x->lim->min);
			x->guesses = 0;
			x->state = T_GUESS;
			break;
		}
		x->state = T_CANDS;
		break;
	case T_GUESS:
		if (within) {
			/* Taken: no bisection below it. */
			x->hi = 1;
			x->state = T_END;
			break;
		}
		/* Over the budget: again from its throttling, twice at
		 * most; then the candidates above it (tune_next). */
		x->floor = x->guess;
		x->guess = ++x->guesses < AUTOSCALE_TUNE_GUESSES ?
		    GREATER(tune_guess(x, cap, x->guess + 1), x->guess + 1) :
		    x->mx;
		break;
	case T_CANDS:
		if (within)
			x->hi = x->mid;
		else
			x->lo = x->mid + 1;
		break;
	case T_UNITS:
		if (within)
			x->b = x->m;
		else
			x->a = x->m;
		break;
	}
}

/* Whether ${a} and ${b} are the same settings. */
static int
same(const struct autoscale_policy *a, const struct autoscale_policy *b)
{

	return (a->target == b->target && a->min == b->min &&
	    a->max == b->max && a->start == b->start);
}

int
autoscale_tune(const struct autoscale_grid *g, int delay, const double *rd,
    const double *wd, const struct autoscale_policy lim[2],
    const double budget[2], double *work, struct autoscale_policy best[2],
    struct autoscale_usage bu[2], int *joint)
{
	struct tune x[2];
	struct autoscale_opts o;
	struct autoscale_stats st[2];
	struct autoscale_usage u;
	double *cap[2];
	int k, runs = 0, active[2], ran[2] = { 0, 0 }, fallback = 0;

	if (autoscale_check(g))
		return (-1);
	for (k = 0; k < 2; k++)
		if (!(lim[k].min >= 1 && lim[k].min <= lim[k].max &&
		    isfinite(lim[k].max) && floor(lim[k].min) == lim[k].min &&
		    floor(lim[k].max) == lim[k].max)) {
			warnx("autoscale: capacity %g to %g: not whole units, "
			    "1 <= min <= max", lim[k].min, lim[k].max);
			return (-1);
		}
	cap[0] = work;
	cap[1] = work + g->n;
	tune_init(&x[0], g, rd, &lim[0], budget[0], work + 2 * g->n,
	    &best[0], &bu[0]);
	tune_init(&x[1], g, wd, &lim[1], budget[1], work + 3 * g->n,
	    &best[1], &bu[1]);

	/* Both dimensions in each run, each at its next settings, or at its
	 * best once its search is done. */
	o.delay = delay;
	for (;;) {
		for (k = 0; k < 2; k++)
			active[k] = tune_next(&x[k]);
		if (!active[0] && !active[1])
			break;
		for (k = 0; k < 2; k++) {
			struct autoscale_policy *p = k == 0 ? &o.read :
			    &o.write;

			*p = best[k];
			if (active[k]) {
				p->target = x[k].t;
				p->min = x[k].m;
				p->max = x[k].mx;
			}
			p->start = lim[k].start;
		}
		runs++;
		if (autoscale_run(g, &o, rd, wd, cap[0], cap[1], st))
			return (-1);
		for (k = 0; k < 2; k++) {
			ran[k] = active[k];
			if (!active[k])
				continue;
			/* The lowest minimum's hourly maxima: the bound of
			 * the others at its target. */
			if (autoscale_assess(g, cap[k], x[k].d,
			    x[k].state == T_TARGET ? x[k].hours : NULL, &u))
				return (-1);
			tune_seen(&x[k], &u, cap[k]);
		}
	}

	/* Nothing within the budget (it cannot be, but for a capacity at
	 * lim->max below the peak): the least throttled, the peak's
	 * capacity at 0.2. */
	for (k = 0; k < 2; k++) {
		if (isfinite(x[k].bestcost))
			continue;
		best[k].target = 0.2;
		best[k].max = tune_max(&x[k], 0.2);
		best[k].min = clamp(whole(x[k].peak / 0.2), lim[k].min,
		    best[k].max);
		fallback = 1;
	}
	for (k = 0; k < 2; k++)
		best[k].start = lim[k].start;

	/* The last run had both at their best: its figures are theirs
	 * together (the capacities it wrote are still in cap). */
	*joint = !fallback && same(&o.read, &best[0]) &&
	    same(&o.write, &best[1]);
	if (*joint) {
		for (k = 0; k < 2; k++)
			if (!ran[k] && autoscale_assess(g, cap[k], x[k].d,
			    NULL, &bu[k]))
				return (-1);
		return (runs);
	}
	if (fallback) {
		o.read = best[0];
		o.write = best[1];
		runs++;
		if (autoscale_run(g, &o, rd, wd, cap[0], cap[1], st))
			return (-1);
		for (k = 0; k < 2; k++)
			if (autoscale_assess(g, cap[k], x[k].d, NULL, &bu[k]))
				return (-1);
		*joint = 1;
	}
	return (runs);
}
