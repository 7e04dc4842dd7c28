#ifndef PRICELIST_H
#define PRICELIST_H

#include <stddef.h>

#include <jansson.h>

/*
 * DynamoDB's AWS Price List read into price records: one per region and
 * table class, with the on-demand request unit prices, provisioned
 * capacity unit-hour prices, storage per GB-month (each also replicated
 * where it applies), the free tier as the priced ranges give it, the
 * reserved capacity terms and the SKUs every price came from.
 *
 * Products come from an offer file (products and terms side by side) or
 * from pricing:GetProducts (each PriceList item a product with its terms);
 * both give the same records.  A product is known by its usage type,
 * "[PREFIX-][IA-]NAME", where PREFIX is the region's (none in us-east-1,
 * "EU" in eu-west-1, "USE2", "APS2", ... elsewhere) and IA- marks the
 * Standard-IA class; products of other usage types (backups, streams,
 * data transfer, ...) are counted and otherwise ignored, as are
 * attributes and fields this module does not use.
 */

struct pricelist;

/**
 * pricelist_new():
 * An empty price list.  Return NULL on allocation failure (reported).
 */
struct pricelist *pricelist_new(void);

/**
 * pricelist_offer(pl, offer, region, what):
 * Add the DynamoDB products of the offer file ${offer} (its "products"
 * and "terms"); a product without a regionCode attribute is taken to be
 * in ${region} (NULL: skipped).  ${what} names the file in messages.
 * Return 0, or -1 if the file is malformed (reported).
 */
int pricelist_offer(struct pricelist *, const json_t *, const char *,
    const char *);

/**
 * pricelist_item(pl, item, what):
 * Add the product of the GetProducts PriceList item ${item} (decoded).
 * Return 0, or -1 if it is malformed (reported, naming ${what}).
 */
int pricelist_item(struct pricelist *, const json_t *, const char *);

/**
 * pricelist_regions(pl):
 * The regions with products in ${pl}, sorted, as a NULL-terminated array
 * of strings owned by ${pl}.  Return NULL on allocation failure
 * (reported).
 */
const char **pricelist_regions(struct pricelist *);

/**
 * pricelist_skus(pl, region):
 * How many DynamoDB products of ${region} were added.
 */
size_t pricelist_skus(const struct pricelist *, const char *);

/**
 * pricelist_records(pl, region, source, out):
 * The price records of ${region}, Standard then Standard-IA, into
 * ${out}[0] and ${out}[1] (new references), with "source": ${source}.
 * Return 0, or -1 if a price the records need is missing or does not
 * make sense (reported, naming region, class and dimension).
 */
int pricelist_records(const struct pricelist *, const char *, const char *,
    json_t *[2]);

/* The on-demand price of one usage type. */
struct pricelist_unit {
	const char *field;	/* the price record's: "read_request_unit", ... */
	const char *table_class;	/* "STANDARD", ... */
	const char *currency;
	const char *sku;
	double price;		/* per unit, in ${currency} */
};

/**
 * pricelist_usage(pl, region, usage, out):
 * The on-demand price in ${region} of the usage type ${usage}, spelt as
 * the list spells it (region prefix and all), into ${out} (its strings
 * owned by ${pl}).  Return 0, or -1 if the list has no price for it.
 */
int pricelist_usage(const struct pricelist *, const char *, const char *,
    struct pricelist_unit *);

/**
 * pricelist_free(pl):
 * Free ${pl}.  NULL is a no-op.
 */
void pricelist_free(struct pricelist *);

#endif
