#ifndef SERIES_H
#define SERIES_H

#include <stddef.h>
#include <time.h>

struct ndjson_pos;

/*
 * Series records read fast: a day of 1-minute data is 1,440 numbers, and
 * the simulation reads tens of millions of them, more than a JSON tree
 * per record can carry.  The "values" array is decoded by hand (exactly,
 * as strtod would), the rest of the record by hand too when it is the
 * plain JSON optima writes, else by Jansson, so every record is still
 * checked as strictly as ndjson(3) checks any other (fuzz-series holds
 * both decoders to Jansson's reading).
 */

/*
 * The largest value a series may hold: every metric collected is a count
 * of capacity units or throttle events in one period, never negative, and
 * 1e12 is far above what any table can reach: at the longest period
 * optima collects (3600 s) it is 2.8e8 units a second, 7,000 times
 * DynamoDB's default quota of 40,000 read (or write) units a second per
 * table; at 60 s, 1.7e10 a second.  A provisioned capacity (units a
 * second) is bounded by the same quotas.  Larger values are corruption,
 * and would overflow the sums and costs made of them.
 */
#define SERIES_MAXVALUE	1e12

/* The metrics the analyses read, as series records name them. */
enum series_metric {
	SERIES_CONSUMED_READ,		/* ConsumedReadCapacityUnits */
	SERIES_CONSUMED_WRITE,		/* ConsumedWriteCapacityUnits */
	SERIES_PROVISIONED_READ,	/* ProvisionedReadCapacityUnits */
	SERIES_PROVISIONED_WRITE,	/* ProvisionedWriteCapacityUnits */
	SERIES_THROTTLED_READ,		/* ReadThrottleEvents */
	SERIES_THROTTLED_WRITE,		/* WriteThrottleEvents */
	SERIES_NMETRICS
};

/* One series record; everything borrowed until the next read. */
struct series {
	const char *account, *region, *table;
	const char *index;	/* NULL for the table itself */
	int metric;		/* enum series_metric, or -1: another one */
	int period;		/* seconds: divides a day */
	time_t start;		/* a UTC midnight */
	const double *values;	/* NaN where there was no datapoint */
	size_t n;		/* 86400 / period */
};

struct series_reader;

/**
 * series_open(path):
 * Open the file of series records ${path} ("-": the standard input).
 * Return NULL on error (reported).
 */
struct series_reader *series_open(const char *);

/**
 * series_next(r, s):
 * Read the next record of ${r} into ${s}.  Return 1 for a record, 0 at
 * the end, -1 on an error (reported with file:line): a line that is not a
 * record, a record of another kind, a field missing or of the wrong type,
 * values that do not make up one UTC day at the period, a value negative
 * or above SERIES_MAXVALUE.
 */
int series_next(struct series_reader *, struct series *);

/**
 * series_pos(r):
 * Where the record last read by ${r} is.
 */
const struct ndjson_pos *series_pos(const struct series_reader *);

/**
 * series_metric(name):
 * The enum series_metric of the metric ${name}, or -1.
 */
int series_metric(const char *);

/**
 * series_metric_name(m):
 * The name of the metric ${m}.
 */
const char *series_metric_name(int);

/**
 * series_close(r):
 * Close ${r}.  NULL is a no-op.
 */
void series_close(struct series_reader *);

#endif
