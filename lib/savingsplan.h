#ifndef SAVINGSPLAN_H
#define SAVINGSPLAN_H

#include <stddef.h>

#include <jansson.h>

struct pricelist;

/*
 * The rates of the Database Savings Plans for DynamoDB's throughput: for
 * each region, usage type (read and write request units, read and write
 * capacity unit-hours, and the replicated ones, of either table class),
 * term and payment option, the discounted rate, read from the Savings
 * Plans price list file of a region (products and terms.savingsPlan) or
 * from savingsplans:DescribeSavingsPlansOfferingRates replies; both give
 * the same records.  Rates of other services and of DynamoDB's other
 * usage types are counted and otherwise ignored.  A record joins a rate
 * to the on-demand price it discounts, from the price list of pricelist.h.
 */

struct savingsplan;

/**
 * savingsplan_new():
 * An empty set of rates.  Return NULL on allocation failure (reported).
 */
struct savingsplan *savingsplan_new(void);

/**
 * savingsplan_offer(sp, file, region, what):
 * Add the DynamoDB rates of the Savings Plans price list file ${file} of
 * ${region} (NULL: the region the file names).  ${what} names the file in
 * messages.  Return 0, or -1 if the file is malformed (reported).
 */
int savingsplan_offer(struct savingsplan *, const json_t *, const char *,
    const char *);

/**
 * savingsplan_reply(sp, reply, region, what):
 * Add the DynamoDB rates of a DescribeSavingsPlansOfferingRates reply
 * ${reply} for ${region} (NULL: the region each rate names).  Return 0,
 * or -1 if it is malformed (reported, naming ${what}).
 */
int savingsplan_reply(struct savingsplan *, const json_t *, const char *,
    const char *);

/**
 * savingsplan_regions(sp):
 * The regions with rates in ${sp}, sorted, NULL-terminated, owned by
 * ${sp}.  Return NULL on allocation failure (reported).
 */
const char **savingsplan_regions(struct savingsplan *);

/**
 * savingsplan_count(sp, region):
 * How many DynamoDB throughput rates of ${region} were added.
 */
size_t savingsplan_count(const struct savingsplan *, const char *);

/**
 * savingsplan_records(sp, pl, region, source, out):
 * The savings_plan_rate records of ${region} into ${out}, a new JSON
 * array, sorted by table class, dimension, term and payment option, with
 * "source": ${source} and the on-demand price of ${pl} each rate
 * discounts.  Return 0, or -1 if a rate has no on-demand price, is in
 * another currency, is above its on-demand price, or contradicts another
 * (reported, naming where the rate came from).
 */
int savingsplan_records(const struct savingsplan *, const struct pricelist *,
    const char *, const char *, json_t **);

/**
 * savingsplan_free(sp):
 * Free ${sp}.  NULL is a no-op.
 */
void savingsplan_free(struct savingsplan *);

#endif
