#ifndef SIMULATE_H
#define SIMULATE_H

#include <stdio.h>
#include <time.h>

struct projdir;

/*
 * Simulate: what every table of the project would cost per month under
 * each capacity setting and table class, from its table record, its
 * CloudWatch series and the price records of its region, as scenario
 * records: current, on_demand, provisioned_autoscaled and
 * provisioned_fixed, each for STANDARD and STANDARD_INFREQUENT_ACCESS, for
 * the table with its indexes (index null) and for each index alone.
 *
 * The window is the last ${days} whole days of the project's metrics (not
 * of the clock), never longer than the days that have metrics: it starts
 * no earlier than the first of them.  A table is judged on its own part
 * of it: from its creation (created_epoch, to the hour), or without one
 * from the first day with a datapoint of its own, its costs scaled to a
 * month from its own hours.  Each account and region is read in one pass over its
 * day files at once, one resource (a table or an index) in memory at a
 * time; what is kept per table is its hourly capacity under each
 * scenario, for the free tier, which is shared by the tables of an
 * account and region (analysis-model.md, section 4).
 *
 * A run whose options select tables (--tables, --table-regex, --regions)
 * and that writes the project's scenarios.ndjson (keep) replaces only the
 * records of the tables selected: the other records of the file are
 * copied as they are, in the order of a full run (by account, region and
 * table), and the new ones are marked "partial_run": one more than the
 * highest in the file, so that optima-rank decides those tables again and
 * keeps the other recommendations.  A full run writes no partial_run.
 */

struct simulate_opts {
	int days;		/* the window asked for, in days */
	int months;		/* billing periods of the CUR: the latest */
	double target;		/* target utilization, 0.2 to 0.9 */
	int delay;		/* minutes from a scaling decision to its effect */
	double min_capacity;	/* auto scaling minimum, whole units */
	double max_capacity;	/* auto scaling maximum, whole units */
	double throttle_budget;	/* throttled minutes a month the tuned
				   auto scaling of a table may have */
	char **tables;		/* only these tables; NULL: all */
	const char *table_regex;	/* only tables matching; NULL: all */
	char **regions;		/* only these regions; NULL: all */
	int keep;		/* when the options select tables: keep the
				   others' records of the project's
				   scenarios.ndjson, in their place */
};

/**
 * simulate_window(pd, days, start, end):
 * The window of ${days} whole days that ends with the last day of ${pd}'s
 * metrics, shortened to start on the first day of its metrics if that is
 * later: [${start}, ${end}), both 0 if it has none.  Return 0, or -1 on
 * error (reported).
 */
int simulate_window(const struct projdir *, int, time_t *, time_t *);

/**
 * simulate_run(pd, opts, out, summary):
 * Simulate the tables of ${pd} as ${opts} says and write their scenario
 * records to ${out}, printing a summary to ${summary}.  Return 0, or 1 on
 * an error (reported, with file:line for bad records).
 */
int simulate_run(const struct projdir *, const struct simulate_opts *,
    FILE *, FILE *);

#endif
