#ifndef CURUSAGE_H
#define CURUSAGE_H

#include <stdio.h>

struct curfile_item;

/*
 * What each DynamoDB table used and paid in each billing period, summed
 * from the line items of the Cost and Usage Report into cur_usage records
 * (optima-records(5)).  A line item is DynamoDB's if its product code is
 * AmazonDynamoDB; it belongs to the table its resource id names
 * (arn:aws:dynamodb:REGION:ACCOUNT:table/NAME, an index's or a backup's
 * ARN folded into its table), or to no table (null) when it names none:
 * reserved capacity fees, and every line item of a report made without
 * resource ids.  Its usage type, "[PREFIX-][IA-]NAME", says what it is:
 *
 *   TimedStorage-ByteHrs                        storage (GB-months)
 *   ReadRequestUnits, WriteRequestUnits         on-demand throughput
 *   ReadCapacityUnit-Hrs, WriteCapacityUnit-Hrs provisioned throughput
 *   ReplWriteRequestUnits, ReplWriteCapacityUnit-Hrs   replicated writes
 *   anything else (backups, PITR, streams, data transfer)   other
 *
 * with IA- the Standard-IA class.  Capacity covered by reserved capacity
 * (pricing term Reserved, DiscountedUsage line items) counts in the
 * capacity hours and in the reserved hours; the reservation's fees (RIFee
 * line items) are the reserved fee.  Usage line items (Usage,
 * DiscountedUsage, SavingsPlanCoveredUsage) make the usage figures and
 * the usd of their category at their unblended cost; every line item of
 * every type counts in unblended_usd and net_usd (net unblended cost).
 */

struct curusage;

/* What went in, for the summary. */
struct curusage_stats {
	unsigned long items;		/* line items seen */
	unsigned long dynamodb;		/* of which DynamoDB's */
	unsigned long untabled;		/* DynamoDB's with no table */
	unsigned long records;		/* records so far */
	double net_usd;			/* DynamoDB's net unblended cost */
};

/**
 * curusage_new():
 * An empty set of records.  Return NULL on allocation failure (reported).
 */
struct curusage *curusage_new(void);

/**
 * curusage_add(cu, item, period):
 * Add the line item ${item} to ${cu} if it is DynamoDB's, in the billing
 * period ${period} ("YYYY-MM"; NULL: the item's own).  Return 0, or -1
 * on allocation failure (reported).
 */
int curusage_add(struct curusage *, const struct curfile_item *,
    const char *);

/**
 * curusage_write(cu, period, fp):
 * Write the records of billing period ${period} (NULL: of every period) to
 * ${fp}, sorted by billing period, account, region and table (no table
 * first).  Return the number written, or -1 on a write or allocation
 * error (reported).
 */
long curusage_write(const struct curusage *, const char *, FILE *);

/**
 * curusage_stats(cu):
 * What ${cu} has seen.
 */
struct curusage_stats curusage_stats(const struct curusage *);

/**
 * curusage_periods(cu):
 * The billing periods of ${cu}'s records, sorted, as a NULL-terminated
 * array of strings owned by ${cu} until the next call.  Return NULL on
 * allocation failure (reported).
 */
const char **curusage_periods(struct curusage *);

/**
 * curusage_free(cu):
 * Free ${cu}.  NULL is a no-op.
 */
void curusage_free(struct curusage *);

#endif
