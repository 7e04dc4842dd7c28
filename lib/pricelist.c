#include <err.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pricelist.h"
#include "projdir.h"
#include "usagetype.h"

/* The priced dimensions, by usage type (after the region prefix and IA-). */
enum { D_READ, D_WRITE, D_REPL_WRITE, D_RCU, D_WCU, D_REPL_WCU, D_STORAGE,
	NDIMS };
static const struct {
	const char *usage;	/* the usage type's name */
	const char *field;	/* the price record's field */
	const char *unit;	/* the unit the record's price is per */
} dims[NDIMS] = {
	{ "ReadRequestUnits", "read_request_unit", "ReadRequestUnits" },
	{ "WriteRequestUnits", "write_request_unit", "WriteRequestUnits" },
	{ "ReplWriteRequestUnits", "replicated_write_request_unit", NULL },
	{ "ReadCapacityUnit-Hrs", "rcu_hour", "ReadCapacityUnit-Hrs" },
	{ "WriteCapacityUnit-Hrs", "wcu_hour", "WriteCapacityUnit-Hrs" },
	{ "ReplWriteCapacityUnit-Hrs", "replicated_wcu_hour", NULL },
	{ "TimedStorage-ByteHrs", "storage_gb_month", "GB-Mo" },
};

static const char *const classes[2] = { "STANDARD",
	"STANDARD_INFREQUENT_ACCESS" };

/* The free tier of capacity is priced in unit-hours a month: 25 units for
 * the 744 hours of the longest month. */
#define FREE_HOURS	744

struct price {
	int set;
	double usd;		/* per unit, in ${currency} */
	double free;		/* the zero-priced range before it */
	char sku[64];
	char currency[8];
	char usage[64];		/* the usage type, as the list spells it */
};

struct region {
	char name[32];
	size_t skus;
	struct price p[2][NDIMS];
	json_t *reserved[2];	/* reserved capacity terms */
	char published[11];
	char version[32];
};

struct pricelist {
	struct region *r;
	size_t n, cap;
	const char **names;
};

struct pricelist *
pricelist_new(void)
{
	struct pricelist *pl;

	if ((pl = calloc(1, sizeof(*pl))) == NULL)
		warn("price list");
	return (pl);
}

static struct region *
region_find(const struct pricelist *pl, const char *name)
{
	size_t i;

	for (i = 0; i < pl->n; i++)
		if (strcmp(pl->r[i].name, name) == 0)
			return (&pl->r[i]);
	return (NULL);
}

static struct region *
region_get(struct pricelist *pl, const char *name)
{
	struct region *r;
	size_t cap;
	int i;

	if ((r = region_find(pl, name)) != NULL)
		return (r);
	if (pl->n == pl->cap) {
		cap = pl->cap ? pl->cap * 2 : 8;
		if ((r = realloc(pl->r, cap * sizeof(*r))) == NULL) {
			warn("price list");
			return (NULL);
		}
		pl->r = r;
		pl->cap = cap;
	}
	r = &pl->r[pl->n];
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	for (i = 0; i < 2; i++)
		if ((r->reserved[i] = json_array()) == NULL) {
			json_decref(r->reserved[0]);
			warnx("price list: out of memory");
			return (NULL);
		}
	pl->n++;
	return (r);
}

/* The string ${key} of ${o}, or NULL. */
static const char *
str(const json_t *o, const char *key)
{

	return (json_string_value(json_object_get(o, key)));
}

/*
 * Split the usage type ${u}, "[PREFIX-][IA-]NAME", into its dimension and
 * class; return the dimension, or -1 if it is not one of ours.
 */
static int
usage_dim(const char *u, int *ia)
{
	int i;

	for (i = 0; i < NDIMS; i++)
		if (usagetype_is(u, dims[i].usage, ia))
			return (i);
	return (-1);
}

/* A price as the Price List writes it: a decimal string.  -1 if not. */
static double
amount(const json_t *v)
{
	const char *s = json_string_value(v);
	char *end;
	double d;

	if (s == NULL || *s == '\0')
		return (-1);
	d = strtod(s, &end);
	if (*end != '\0' || !isfinite(d) || d < 0)
		return (-1);
	return (d);
}

/* The price of a dimension's pricePerUnit: USD if given, else the one
 * currency it has; set ${currency}.  -1 if there is none. */
static double
unit_price(const json_t *ppu, const char **currency)
{
	const char *k;
	json_t *v;

	if (json_object_get(ppu, "USD") != NULL) {
		*currency = "USD";
		return (amount(json_object_get(ppu, "USD")));
	}
	if (json_object_size(ppu) != 1)
		return (-1);
	json_object_foreach((json_t *)ppu, k, v) {
		*currency = k;
		return (amount(v));
	}
	return (-1);
}

/* Read the on-demand ${terms} of ${sku} into ${p}. */
static int
ondemand(struct price *p, const json_t *terms, const char *sku,
    const char *unit, const char *what, const char *region, int ia, int d)
{
	const char *code, *rc, *cur = NULL, *end, *begin;
	json_t *t, *dim, *pd;
	struct price got = { 0 };
	double usd;

	if (terms != NULL && !json_is_object(terms))
		goto bad;
	json_object_foreach((json_t *)terms, code, t) {
		if (!json_is_object(pd = json_object_get(t, "priceDimensions")))
			goto bad;
		json_object_foreach(pd, rc, dim) {
			end = str(dim, "endRange");
			begin = str(dim, "beginRange");
			usd = unit_price(json_object_get(dim, "pricePerUnit"),
			    &cur);
			if (usd < 0 || end == NULL || begin == NULL) {
				warnx("%s: SKU %s: price dimension %s has no "
				    "valid price or range", what, sku, rc);
				return (-1);
			}
			if (dims[d].unit != NULL && (str(dim, "unit") == NULL ||
			    strcmp(str(dim, "unit"), unit) != 0)) {
				warnx("%s: SKU %s: %s is priced per %s, not "
				    "per %s", what, sku, dims[d].usage,
				    str(dim, "unit") ? str(dim, "unit") :
				    "nothing", unit);
				return (-1);
			}
			if (strcmp(end, "Inf") == 0) {
				if (got.set && got.usd != usd)
					goto conflict;
				got.set = 1;
				got.usd = usd;
				snprintf(got.currency, sizeof(got.currency),
				    "%s", cur);
			} else if (usd == 0 && strcmp(begin, "0") == 0)
				got.free = amount(json_object_get(dim,
				    "endRange"));
		}
	}
	if (!got.set)
		return (0);
	if (got.free < 0) {
		warnx("%s: SKU %s: the free range of %s is not a number", what,
		    sku, dims[d].usage);
		return (-1);
	}
	snprintf(got.sku, sizeof(got.sku), "%s", sku);
	if (p->set && (p->usd != got.usd || strcmp(p->currency,
	    got.currency) != 0)) {
		warnx("%s: %s %s: SKUs %s and %s give %s two prices", what,
		    region, classes[ia], p->sku, sku, dims[d].field);
		return (-1);
	}
	if (!p->set)
		*p = got;
	return (0);
bad:
	warnx("%s: SKU %s: malformed on-demand terms", what, sku);
	return (-1);
conflict:
	warnx("%s: SKU %s: two paid prices for %s", what, sku, dims[d].usage);
	return (-1);
}

/* Add the reserved capacity ${terms} of ${sku} to ${out}. */
static int
reserved(json_t *out, const json_t *terms, const char *sku, const char *cap,
    const char *what)
{
	const char *code, *rc, *cur = NULL, *unit;
	json_t *t, *dim, *pd, *ta, *r;
	double usd, upfront, hourly;

	if (terms != NULL && !json_is_object(terms))
		goto bad;
	json_object_foreach((json_t *)terms, code, t) {
		ta = json_object_get(t, "termAttributes");
		if (!json_is_object(pd = json_object_get(t, "priceDimensions")) ||
		    str(ta, "LeaseContractLength") == NULL)
			goto bad;
		upfront = 0;
		hourly = -1;
		json_object_foreach(pd, rc, dim) {
			usd = unit_price(json_object_get(dim, "pricePerUnit"),
			    &cur);
			if (usd < 0 || (unit = str(dim, "unit")) == NULL)
				goto bad;
			if (strcmp(unit, "Quantity") == 0)
				upfront = usd;
			else
				hourly = usd;
		}
		if (hourly < 0)
			goto bad;
		r = json_pack("{s:s, s:s, s:s?, s:s?, s:f, s:f, s:s}",
		    "capacity", cap, "term", str(ta, "LeaseContractLength"),
		    "offering_class", str(ta, "OfferingClass"),
		    "purchase_option", str(ta, "PurchaseOption"),
		    "upfront", upfront, "hour", hourly, "sku", sku);
		if (r == NULL || json_array_append_new(out, r)) {
			warnx("%s: out of memory", what);
			return (-1);
		}
	}
	return (0);
bad:
	warnx("%s: SKU %s: malformed reserved terms", what, sku);
	return (-1);
}

/* Add ${product} with its ${terms} ({"OnDemand": {...}, "Reserved":
 * {...}}, each keyed by offer term code). */
static int
add(struct pricelist *pl, const json_t *product, const json_t *od,
    const json_t *rsv, const char *defregion, const char *published,
    const char *version, const char *what)
{
	const json_t *a = json_object_get(product, "attributes");
	const char *sku = str(product, "sku"), *name, *u, *svc;
	struct region *r;
	int d, ia;

	if (sku == NULL || !json_is_object(a)) {
		warnx("%s: a product without a SKU or attributes", what);
		return (-1);
	}
	if ((svc = str(a, "servicecode")) != NULL &&
	    strcmp(svc, "AmazonDynamoDB") != 0)
		return (0);
	if ((name = str(a, "regionCode")) == NULL && (name = defregion) ==
	    NULL)
		return (0);
	if (!projdir_valid_region(name)) {
		warnx("%s: SKU %s: bad regionCode \"%s\"", what, sku, name);
		return (-1);
	}
	if ((r = region_get(pl, name)) == NULL)
		return (-1);
	r->skus++;
	if (published != NULL && r->published[0] == '\0')
		snprintf(r->published, sizeof(r->published), "%.10s",
		    published);
	if (version != NULL && r->version[0] == '\0')
		snprintf(r->version, sizeof(r->version), "%s", version);
	if ((u = str(a, "usagetype")) == NULL || (d = usage_dim(u, &ia)) < 0)
		return (0);
	if (ondemand(&r->p[ia][d], od, sku, dims[d].unit, what, name, ia, d))
		return (-1);
	if (r->p[ia][d].set && r->p[ia][d].usage[0] == '\0')
		snprintf(r->p[ia][d].usage, sizeof(r->p[ia][d].usage), "%s", u);
	if (rsv != NULL && (d == D_RCU || d == D_WCU) && reserved(
	    r->reserved[ia], rsv, sku, d == D_RCU ? "rcu" : "wcu", what))
		return (-1);
	return (0);
}

int
pricelist_offer(struct pricelist *pl, const json_t *offer,
    const char *defregion, const char *what)
{
	const json_t *products = json_object_get(offer, "products");
	const json_t *terms = json_object_get(offer, "terms");
	const json_t *od = json_object_get(terms, "OnDemand");
	const json_t *rsv = json_object_get(terms, "Reserved");
	const char *sku;
	json_t *p;

	if (!json_is_object(products) || !json_is_object(od) ||
	    (rsv != NULL && !json_is_object(rsv))) {
		warnx("%s: not an offer file (no products and terms)", what);
		return (-1);
	}
	json_object_foreach((json_t *)products, sku, p)
		if (add(pl, p, json_object_get(od, sku),
		    json_object_get(rsv, sku), defregion,
		    str(offer, "publicationDate"), str(offer, "version"), what))
			return (-1);
	return (0);
}

int
pricelist_item(struct pricelist *pl, const json_t *item, const char *what)
{
	const json_t *terms = json_object_get(item, "terms");

	if (!json_is_object(json_object_get(item, "product")) ||
	    !json_is_object(terms)) {
		warnx("%s: a PriceList item without product and terms", what);
		return (-1);
	}
	return (add(pl, json_object_get(item, "product"),
	    json_object_get(terms, "OnDemand"),
	    json_object_get(terms, "Reserved"), NULL,
	    str(item, "publicationDate"), str(item, "version"), what));
}

static int
cmp(const void *a, const void *b)
{

	return (strcmp(*(const char *const *)a, *(const char *const *)b));
}

const char **
pricelist_regions(struct pricelist *pl)
{
	const char **v;
	size_t i;

	if ((v = realloc(pl->names, (pl->n + 1) * sizeof(*v))) == NULL) {
		warn("price list");
		return (NULL);
	}
	pl->names = v;
	for (i = 0; i < pl->n; i++)
		v[i] = pl->r[i].name;
	v[i] = NULL;
	qsort(v, pl->n, sizeof(*v), cmp);
	return (v);
}

size_t
pricelist_skus(const struct pricelist *pl, const char *region)
{
	const struct region *r = region_find(pl, region);

	return (r ? r->skus : 0);
}

/* ${d} as JSON: whole numbers as integers. */
static json_t *
number(double d)
{

	if (d == floor(d) && fabs(d) < 9007199254740992.0)
		return (json_integer((json_int_t)d));
	return (json_real(d));
}

/* The price record of ${r}'s class ${ia}. */
static json_t *
record(const struct region *r, int ia, const char *source)
{
	const struct price *p = r->p[ia];
	json_t *rec, *skus;
	size_t i;

	for (i = 0; i < NDIMS; i++)
		if (!p[i].set) {
			warnx("%s %s: the price list has no %s (usage type "
			    "%s%s)", r->name, classes[ia], dims[i].field,
			    ia ? "IA-" : "", dims[i].usage);
			return (NULL);
		}
	for (i = 1; i < NDIMS; i++)
		if (strcmp(p[i].currency, p[0].currency) != 0) {
			warnx("%s %s: prices in %s and %s", r->name,
			    classes[ia], p[0].currency, p[i].currency);
			return (NULL);
		}
	if ((rec = json_pack("{s:s, s:s, s:s, s:s}", "kind", "price",
	    "region", r->name, "table_class", classes[ia], "currency",
	    p[0].currency)) == NULL || (skus = json_object()) == NULL)
		goto nomem;
	for (i = 0; i < NDIMS; i++)
		if (json_object_set_new(rec, dims[i].field,
		    json_real(p[i].usd)) ||
		    json_object_set_new(skus, dims[i].field,
		    json_string(p[i].sku)))
			goto nomem;
	if (json_object_set_new(rec, "free_tier", json_pack("{s:o, s:o, s:o, "
	    "s:o, s:o}", "rcu", number(p[D_RCU].free / FREE_HOURS), "wcu",
	    number(p[D_WCU].free / FREE_HOURS), "rcu_hours",
	    number(p[D_RCU].free), "wcu_hours", number(p[D_WCU].free),
	    "storage_gb", number(p[D_STORAGE].free))) ||
	    json_object_set(rec, "reserved", r->reserved[ia]) ||
	    json_object_set_new(rec, "skus", skus) ||
	    json_object_set_new(rec, "source", json_string(source)) ||
	    (r->published[0] != '\0' && json_object_set_new(rec, "published",
	    json_string(r->published))) ||
	    (r->version[0] != '\0' && json_object_set_new(rec, "version",
	    json_string(r->version))))
		goto nomem;
	return (rec);
nomem:
	warnx("%s: out of memory", r->name);
	json_decref(rec);
	return (NULL);
}

int
pricelist_records(const struct pricelist *pl, const char *region,
    const char *source, json_t *out[2])
{
	const struct region *r;

	out[0] = out[1] = NULL;
	if ((r = region_find(pl, region)) == NULL) {
		warnx("%s: the price list has no DynamoDB prices for this "
		    "region", region);
		return (-1);
	}
	if ((out[0] = record(r, 0, source)) == NULL ||
	    (out[1] = record(r, 1, source)) == NULL) {
		json_decref(out[0]);
		out[0] = NULL;
		return (-1);
	}
	return (0);
}

int
pricelist_usage(const struct pricelist *pl, const char *region,
    const char *usage, struct pricelist_unit *out)
{
	const struct region *r;
	int ia, d;

	if ((r = region_find(pl, region)) == NULL)
		return (-1);
	for (ia = 0; ia < 2; ia++)
		for (d = 0; d < NDIMS; d++)
			if (r->p[ia][d].set &&
			    strcmp(r->p[ia][d].usage, usage) == 0) {
				out->field = dims[d].field;
				out->table_class = classes[ia];
				out->currency = r->p[ia][d].currency;
				out->sku = r->p[ia][d].sku;
				out->price = r->p[ia][d].usd;
				return (0);
			}
	return (-1);
}

void
pricelist_free(struct pricelist *pl)
{
	size_t i;

	if (pl == NULL)
		return;
	for (i = 0; i < pl->n; i++) {
		json_decref(pl->r[i].reserved[0]);
		json_decref(pl->r[i].reserved[1]);
	}
	free(pl->r);
	free(pl->names);
	free(pl);
}
