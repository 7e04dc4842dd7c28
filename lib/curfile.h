#ifndef CURFILE_H
#define CURFILE_H

#include <time.h>

/*
 * The line items of a Cost and Usage Report file: CSV, gzip-compressed
 * CSV or Parquet (told apart by their first bytes, not their names), of a
 * legacy report or a CUR 2.0 data export.  Columns are found by name in
 * either scheme: the legacy CSV's "lineItem/UsageType" or the Parquet and
 * CUR 2.0 "line_item_usage_type".  Rows are read one at a time, so memory
 * does not grow with the file (a Parquet file: one row group's columns).
 */

/* The fields of one line item optima uses; strings are borrowed until the
 * callback returns, "" when empty. */
struct curfile_item {
	const char *account;		/* lineItem/UsageAccountId */
	const char *line_item_type;	/* Usage, DiscountedUsage, RIFee, ... */
	const char *product_code;	/* AmazonDynamoDB, ... */
	const char *usage_type;		/* USE2-ReadRequestUnits, ... */
	const char *operation;
	const char *resource_id;	/* "" if the report has no resource ids */
	const char *region;		/* product/region, else its region code */
	const char *pricing_term;	/* OnDemand, Reserved, or "" */
	double usage_amount;
	double unblended_cost;
	double net_unblended_cost;	/* the unblended cost if not given */
	time_t usage_start;
	char billing_period[8];		/* "YYYY-MM": of the bill's period
					   start, else of the usage start */
	const char *file;		/* where the item is, for messages */
	unsigned long row;		/* 1 for the first line item */
};

/* What a file turned out to hold. */
struct curfile_info {
	const char *format;		/* "csv", "csv.gz" or "parquet" */
	int resources;			/* it has a resource id column */
	int net;			/* it has a net unblended cost column */
	unsigned long rows;		/* line items read */
};

/**
 * curfile_read(path, name, cb, ctx, info):
 * Read the line items of the CUR file ${path} ("-": the standard input,
 * CSV only), named ${name} in messages, calling ${cb}(item, ${ctx}) for
 * each in order; fill ${info} (may be NULL).  A missing column that every
 * report has (account, line item type, product code, usage type, usage
 * amount, unblended cost, usage start, region), a malformed row or value,
 * a truncated or corrupt file is an error naming the file (and row).
 * Return 0, -1 on error (reported), or the non-zero value a callback
 * returned, which stops the reading.
 */
int curfile_read(const char *, const char *,
    int (*)(const struct curfile_item *, void *), void *,
    struct curfile_info *);

#endif
