#include <stddef.h>

#include "cost.h"

/**
 * cost_usd(u, p):
 * The cost in USD of the usage ${u} at the prices ${p}: each quantity times
 * its price, summed.
 */
double
cost_usd(const struct cost_usage *u, const struct cost_prices *p)
{

	return (u->read_request_units * p->read_request_unit +
	    u->write_request_units * p->write_request_unit +
	    u->replicated_write_request_units *
	    p->replicated_write_request_unit +
	    u->rcu_hours * p->rcu_hour +
	    u->wcu_hours * p->wcu_hour +
	    u->replicated_wcu_hours * p->replicated_wcu_hour +
	    u->storage_gb_months * p->storage_gb_month);
}

/**
 * cost_monthly(usd, hours):
 * The monthly equivalent of ${usd} spent over ${hours} observed hours:
 * usd * 730 / hours; 0 if ${hours} is not positive.
 */
double
cost_monthly(double usd, double hours)
{

	if (!(hours > 0))
		return (0);
	return (usd * COST_MONTH_HOURS / hours);
}

/**
 * cost_units(d, n):
 * The sum of the ${n} values at ${d}: the request units of an on-demand
 * bill, from consumed units per period.
 */
double
cost_units(const double *d, size_t n)
{
	double s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += d[i];
	return (s);
}

/**
 * cost_add(total, x, n):
 * Add the ${n} values at ${x} to those at ${total}, element by element.
 */
void
cost_add(double *total, const double *x, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		total[i] += x[i];
}

/* The billable part of ${x} with ${free} free. */
static double
above(double x, double free)
{

	return (x > free ? x - free : 0);
}

/**
 * cost_billable(total, n, free):
 * The sum over the ${n} hours of max(0, total - free): the billable
 * unit-hours of an account and region with ${free} units free each hour.
 */
double
cost_billable(const double *total, size_t n, double free)
{
	double s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += above(total[i], free);
	return (s);
}

/**
 * cost_marginal(total, cur, alt, n, free):
 * cost_billable(total) - cost_billable(total - cur + alt), ${cur} and
 * ${alt} NULL meaning zeros: what one table saves in its account and
 * region when it alone changes from ${cur} to ${alt}.
 */
double
cost_marginal(const double *total, const double *cur, const double *alt,
    size_t n, double free)
{
	double s = 0, t;
	size_t i;

	for (i = 0; i < n; i++) {
		t = total[i];
		if (cur != NULL)
			t -= cur[i];
		if (alt != NULL)
			t += alt[i];
		s += above(total[i], free) - above(t, free);
	}
	return (s);
}
