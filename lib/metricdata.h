#ifndef METRICDATA_H
#define METRICDATA_H

#include <stddef.h>

/*
 * CloudWatch GetMetricData replies (AWS JSON 1.0), read in one pass over
 * the body without building a tree: a full page holds 100,800 datapoints,
 * which as Jansson values would take ten times the memory of the text.
 *
 *   {"MetricDataResults":[{"Id":"q0","Label":"...","Timestamps":[...],
 *     "Values":[...],"StatusCode":"Complete","Messages":[]},...],
 *    "NextToken":"...","Messages":[]}
 *
 * Members may come in any order; unknown ones are skipped.  A reply holds
 * at most METRICDATA_MAXPOINTS datapoints, GetMetricData's most: a longer
 * one is malformed, and is not read into memory.
 */

#define METRICDATA_MAXPOINTS	100800

struct metricdata_result {
	const char *id;
	const char *status;		/* "Complete", "PartialData", ... */
	const double *timestamps;	/* epoch seconds */
	const double *values;
	size_t n;
};

struct metricdata;

/**
 * metricdata_new():
 * A parser, whose buffers are kept from one reply to the next.  Return
 * NULL on allocation failure (reported).
 */
struct metricdata *metricdata_new(void);

/**
 * metricdata_parse(md, body, len, cb, ctx, next):
 * Parse the reply ${body} of ${len} bytes, calling ${cb}(result, ${ctx})
 * for each of its results (borrowed until ${cb} returns), and set ${next}
 * to the NextToken (malloced) or NULL.  Return 0; -1 if the reply is
 * malformed (see metricdata_error) or out of memory; or the first non-zero
 * value ${cb} returned.
 */
int metricdata_parse(struct metricdata *, const char *, size_t,
    int (*)(const struct metricdata_result *, void *), void *, char **);

/**
 * metricdata_error(md):
 * What was wrong with the last reply that failed to parse, and where.
 */
const char *metricdata_error(const struct metricdata *);

/**
 * metricdata_free(md):
 * Free ${md}.  NULL is a no-op.
 */
void metricdata_free(struct metricdata *);

#endif
