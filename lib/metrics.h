#ifndef METRICS_H
#define METRICS_H

#include <stdio.h>
#include <time.h>

struct aws_config;
struct projdir;

/*
 * Metrics: the CloudWatch history of every table and global secondary
 * index (consumed, provisioned and throttled reads and writes) as series
 * records, one per resource, metric and UTC day, dense at one period.
 * Each account, region and day is a unit of work, written to its own file
 * (metrics/account=ID/region=R/date=D.ndjson) and checkpointed once
 * durable.
 */

struct metrics_opts {
	const char *profile;		/* AWS profile, or NULL */
	const char *region;		/* home region: STS */
	const char *role;		/* the role assumed in member accounts */
	char **tables;			/* only these tables; NULL: all */
	const char *table_regex;	/* only tables matching; NULL: all */
	char **regions;			/* only these regions; NULL: all */
	time_t start, end;		/* whole UTC days: [start, end) */
	int batch;			/* most queries per GetMetricData */
	int concurrency;		/* units at once */
	int resume;			/* keep finished units */
	char *const *inputs;		/* files of table records ("-": the
					   standard input); NULL: the project */
	FILE *records;			/* with inputs: the series records */
};

/**
 * metrics_window(days, from, to, now, start, end):
 * The window to collect at time ${now}: ${days} whole UTC days ending with
 * yesterday, or from the day ${from} and/or to the day ${to} (inclusive;
 * "YYYY-MM-DD", either may be NULL).  Set ${start} and ${end} (exclusive)
 * to midnights.  Return 0, or -1 if the dates are malformed, out of order
 * or not over yet (reported).
 */
int metrics_window(int, const char *, const char *, time_t, time_t *,
    time_t *);

/**
 * metrics_period(start, now):
 * The period, in seconds, for a window starting at ${start}: the finest
 * that CloudWatch still keeps there at ${now} (60 s for 15 days, 300 s for
 * 63, 3600 s for 455), or -1 if it keeps nothing that old.
 */
int metrics_period(time_t, time_t);

/**
 * metrics_run(pd, cfg, opts, out):
 * Collect as ${opts} says into ${pd}, for the tables of its tables/ files,
 * with the AWS shared files ${cfg}, printing the summary to ${out}.  With
 * opts->inputs, collect for the tables of those files instead and write
 * the series to opts->records, unit after unit in order, leaving ${pd}
 * alone.  Return 0 if every unit was collected, 1 if some were not (or on
 * an error, reported), 75 if some failed on a transient AWS error after
 * every retry.
 */
int metrics_run(struct projdir *, const struct aws_config *,
    const struct metrics_opts *, FILE *);

#endif
