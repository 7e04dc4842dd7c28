#ifndef COMMIT_H
#define COMMIT_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

struct projdir;

/*
 * Commit: the purchases of commitments worth making, sized on the hourly
 * usage of the organization as it will be once the pending and accepted
 * recommendations are applied (usage/, from optima-simulate), with the
 * usage as it is today beside it.
 *
 *   reserved capacity	per payer, region and dimension (read, write):
 *			the provisioned capacity of Standard tables,
 *			replicated writes excepted, beyond the free tier
 *			and the reservations already bought, in blocks of
 *			100 units;
 *   Database Savings Plan	per payer: the usage the plan discounts
 *			(savings_plan_rate records) that reserved capacity,
 *			bought or recommended, leaves, an amount per hour.
 *
 * Each level is judged by simulation, hour by hour over the window: the
 * net saving over the term; the best within the utilization and coverage
 * limits is recommended.  The payer is the organization's management
 * account (accounts.ndjson, "management": true); without one, each
 * account is its own.
 */

struct commit_opts {
	int years;		/* term: 1 or 3 */
	double min_utilization;	/* percent: levels used less are refused */
	double coverage_target;	/* percent: levels covering more refused */
	double min_savings;	/* USD a month */
	int savings_plan;	/* also size a Database Savings Plan */
};

/* The blocks reserved capacity is sold in, in units. */
#define COMMIT_BLOCK	100

/**
 * commit_level(u, n, units, p_od, hourly, upfront, term_hours, r):
 * The worth of ${units} reserved against the hourly usage ${u} (${n}
 * hours, in units): r[0] the unit-hours covered, r[1] the net saving
 * over the ${n} hours (covered unit-hours at ${p_od} less the hourly
 * rate and the upfront fee spread over ${term_hours}), r[2] the
 * utilization (0 to 1; 0 for no units).
 */
void commit_level(const double *, size_t, double, double, double, double,
    double, double[3]);

/**
 * commit_run(pd, opts, out, summary):
 * Size the commitments of ${pd} as ${opts} says, write their
 * recommendation records (type commitment) to ${out} and the summary to
 * ${summary}.  Return 0, or -1 on an error (reported, with file:line for
 * bad records).
 */
int commit_run(const struct projdir *, const struct commit_opts *, FILE *,
    FILE *);

#endif
