#ifndef COST_H
#define COST_H

#include <stddef.h>

/*
 * Cost: usage quantities times prices, scaled to a month, and the free tier
 * shared by the tables of an account and region.  Prices are always passed
 * in (from price records); none is written here.  Pure: no I/O, no
 * allocation.
 */

#define COST_MONTH_HOURS	730	/* a month */

/* Prices of one region and table class, in USD. */
struct cost_prices {
	double read_request_unit;		/* per read request unit */
	double write_request_unit;		/* per write request unit */
	double replicated_write_request_unit;	/* per replicated one */
	double rcu_hour;			/* per RCU-hour */
	double wcu_hour;			/* per WCU-hour */
	double replicated_wcu_hour;		/* per replicated WCU-hour */
	double storage_gb_month;		/* per GB-month */
};

/* Quantities billed, over some span, after any free tier. */
struct cost_usage {
	double read_request_units;
	double write_request_units;
	double replicated_write_request_units;
	double rcu_hours;
	double wcu_hours;
	double replicated_wcu_hours;
	double storage_gb_months;
};

/**
 * cost_usd(u, p):
 * The cost in USD of the usage ${u} at the prices ${p}: each quantity times
 * its price, summed.
 */
double cost_usd(const struct cost_usage *, const struct cost_prices *);

/**
 * cost_monthly(usd, hours):
 * The monthly equivalent of ${usd} spent over ${hours} observed hours:
 * usd * 730 / hours; 0 if ${hours} is not positive.
 */
double cost_monthly(double, double);

/**
 * cost_units(d, n):
 * The sum of the ${n} values at ${d}: the request units of an on-demand
 * bill, from consumed units per period.
 */
double cost_units(const double *, size_t);

/**
 * cost_add(total, x, n):
 * Add the ${n} values at ${x} to those at ${total}, element by element: to
 * build the hourly capacity of an account and region from its tables'
 * hourly maxima (autoscale_assess) over the same hours.
 */
void cost_add(double *, const double *, size_t);

/**
 * cost_billable(total, n, free):
 * The billable part of the ${n} hourly totals ${total} of an account and
 * region (capacity units in effect each hour, all its tables and indexes
 * together) when ${free} units each hour are free: the sum over hours of
 * max(0, total - free), in unit-hours.  With n = 1, also the billable part
 * of a storage total (GB) when ${free} GB are free.
 */
double cost_billable(const double *, size_t, double);

/**
 * cost_marginal(total, cur, alt, n, free):
 * What one table saves, in billable unit-hours, when it alone changes
 * from ${cur} to ${alt} (its ${n} hourly capacities; NULL: none) within
 * its account and region, whose hourly totals ${total} include ${cur}:
 * cost_billable(total) - cost_billable(total - cur + alt), ${free} units
 * free each hour.  Negative if the change costs more.  With n = 1, the
 * same for storage.
 */
double cost_marginal(const double *, const double *, const double *, size_t,
    double);

#endif
