#ifndef PRICING_H
#define PRICING_H

#include <stdio.h>

struct aws_config;
struct projdir;

/*
 * Pricing: DynamoDB's list prices for each region, from the public offer
 * files of the AWS Price List (no credentials needed) or from
 * pricing:GetProducts, as price records in prices/region=R.ndjson.  A
 * region's file is its unit of work: written whole, or left as it was.
 */

enum pricing_source {
	PRICING_OFFER_FILE,	/* the region index, then each region's offer */
	PRICING_API		/* pricing:GetProducts */
};

struct pricing_opts {
	const char *profile;	/* AWS profile, or NULL */
	const char *region;	/* home region: the Pricing API's endpoint */
	char **regions;		/* these regions; NULL: those discovered (or,
				   with inputs, those in the files) */
	enum pricing_source source;
	int force;		/* fetch regions whose prices are cached */
	char *const *inputs;	/* offer files or GetProducts replies on disk;
				   NULL: fetch */
	FILE *records;		/* with inputs: the price records */
};

/**
 * pricing_run(pd, cfg, opts, out):
 * Fetch the prices of the regions ${opts} names into ${pd} with the AWS
 * shared files ${cfg}, printing the summary to ${out}; with opts->inputs,
 * read those files instead and write the price records to opts->records,
 * leaving ${pd} alone.  Return 0 if every region's prices were written, 1
 * if some were not (or on an error, reported), 75 if some failed on a
 * transient AWS error after every retry.
 */
int pricing_run(struct projdir *, const struct aws_config *,
    const struct pricing_opts *, FILE *);

#endif
