#include <err.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pricelist.h"
#include "projdir.h"
#include "savingsplan.h"
#include "usagetype.h"

#define SERVICE		"AmazonDynamoDB"
#define PLAN		"Database"
#define YEAR_SECONDS	31536000	/* a term year: 365 days */
#define MAX_YEARS	10

/* The throughput a Database Savings Plan discounts, by usage type (after
 * the region prefix and IA-), with the unit its rates are per (the
 * SavingsPlanRate unit values of the Savings Plans API). */
static const char *const usages[] = { "ReadRequestUnits",
	"WriteRequestUnits", "ReplWriteRequestUnits", "ReadCapacityUnit-Hrs",
	"WriteCapacityUnit-Hrs", "ReplWriteCapacityUnit-Hrs" };
static const char *const units[] = { "ReadRequestUnits", "WriteRequestUnits",
	"ReplicatedWriteRequestUnits", "ReadCapacityUnit-Hrs",
	"WriteCapacityUnit-Hrs", "ReplicatedWriteCapacityUnit-Hrs" };
#define NDIMS	((int)(sizeof(usages) / sizeof(usages[0])))

static const char *const options[] = { "No Upfront", "Partial Upfront",
	"All Upfront" };
#define NOPTIONS	((int)(sizeof(options) / sizeof(options[0])))

struct rate {
	char region[32];
	char usage[64];
	char operation[64];
	char term[8];		/* "1yr", "3yr" */
	char currency[8];
	int option;		/* index in options[] */
	int dim, ia;
	double rate;		/* per unit, in ${currency} */
	char *where;		/* where it came from, for messages */
};

struct savingsplan {
	struct rate *r;
	size_t n, cap;
	const char **names;
};

struct savingsplan *
savingsplan_new(void)
{
	struct savingsplan *sp;

	if ((sp = calloc(1, sizeof(*sp))) == NULL)
		warn("savings plans");
	return (sp);
}

static const char *
str(const json_t *o, const char *key)
{

	return (json_string_value(json_object_get(o, key)));
}

/* Copy ${s} into ${out} of ${size} bytes; -1 if it does not fit. */
static int
copy(char *out, size_t size, const char *s)
{

	if (strlen(s) >= size)
		return (-1);
	memcpy(out, s, strlen(s) + 1);
	return (0);
}

/* A rate as the Savings Plans price list writes it: a positive decimal
 * string ("0.0000001025").  -1 if it is not one. */
static double
amount(const json_t *v)
{
	const char *s = json_string_value(v), *p;
	double d;
	int dot = 0;

	if (s == NULL || *s == '\0' || *s == '.')
		return (-1);
	for (p = s; *p != '\0'; p++)
		if (*p == '.' && !dot && p[1] != '\0')
			dot = 1;
		else if (*p < '0' || *p > '9')
			return (-1);
	d = strtod(s, NULL);
	return (isfinite(d) && d > 0 ? d : -1);
}

/* ${fmt} formatted, malloced; NULL on allocation failure (reported). */
static char *
format(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (s = malloc((size_t)n + 1)) == NULL) {
		warn("savings plans");
		return (NULL);
	}
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return (s);
}

/*
 * Add the DynamoDB rate of ${usage} (${operation}, per ${unit}) in
 * ${region}, for ${term} paid ${option}: ${price} in ${currency}.
 * ${where} (malloced, taken) says where it came from.  A usage type that
 * is not one of the throughput ones is skipped.
 */
static int
add(struct savingsplan *sp, const char *region, const char *usage,
    const char *operation, const char *unit, const char *term,
    const char *option, const char *currency, const json_t *price,
    char *where)
{
	struct rate r, *v;
	size_t cap;

	memset(&r, 0, sizeof(r));
	if (where == NULL)
		return (-1);
	if ((r.dim = usagetype_match(usage, usages, NDIMS, &r.ia)) < 0) {
		free(where);
		return (0);
	}
	if (strcmp(unit, units[r.dim]) != 0) {
		warnx("%s: %s is discounted per %s, not per %s", where, usage,
		    unit, units[r.dim]);
		goto fail;
	}
	for (r.option = 0; r.option < NOPTIONS; r.option++)
		if (strcmp(option, options[r.option]) == 0)
			break;
	if (r.option == NOPTIONS) {
		warnx("%s: unknown payment option \"%s\"", where, option);
		goto fail;
	}
	if (strlen(currency) != 3 || strspn(currency,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3) {
		warnx("%s: \"%s\" is not a currency", where, currency);
		goto fail;
	}
	if ((r.rate = amount(price)) < 0) {
		warnx("%s: the rate %s%s%s is not a positive decimal number",
		    where, json_is_string(price) ? "\"" : "",
		    json_is_string(price) ? json_string_value(price) :
		    "(not a string)", json_is_string(price) ? "\"" : "");
		goto fail;
	}
	if (!projdir_valid_region(region) || copy(r.region, sizeof(r.region),
	    region) || copy(r.usage, sizeof(r.usage), usage) ||
	    copy(r.operation, sizeof(r.operation), operation) ||
	    copy(r.term, sizeof(r.term), term) ||
	    copy(r.currency, sizeof(r.currency), currency)) {
		warnx("%s: a region, usage type or operation that is not one",
		    where);
		goto fail;
	}
	if (sp->n == sp->cap) {
		cap = sp->cap ? sp->cap * 2 : 64;
		if ((v = realloc(sp->r, cap * sizeof(*v))) == NULL) {
			warn("savings plans");
			goto fail;
		}
		sp->r = v;
		sp->cap = cap;
	}
	r.where = where;
	sp->r[sp->n++] = r;
	return (0);
fail:
	free(where);
	return (-1);
}

/* "1yr" from a whole number of years ${n}; -1 if it is not one. */
static int
term_name(char *out, size_t size, json_int_t years)
{

	if (years < 1 || years > MAX_YEARS)
		return (-1);
	snprintf(out, size, "%dyr", (int)years);
	return (0);
}

int
savingsplan_offer(struct savingsplan *sp, const json_t *file,
    const char *region, const char *what)
{
	const json_t *products = json_object_get(file, "products");
	const json_t *terms = json_object_get(json_object_get(file, "terms"),
	    "savingsPlan");
	const json_t *p, *t, *r, *lc, *dur, *dr, *rates;
	const char *rc = str(file, "regionCode"), *sku, *opt, *svc, *unit;
	json_t *opts;
	char term[8];
	size_t i, j;
	int rcode = -1;

	if (!json_is_array(products) || !json_is_array(terms)) {
		warnx("%s: not a Savings Plans price list file (no products "
		    "and terms.savingsPlan)", what);
		return (-1);
	}
	if (region == NULL && (rc == NULL || !projdir_valid_region(rc))) {
		warnx("%s: no valid regionCode", what);
		return (-1);
	}
	if (region != NULL && rc != NULL && strcmp(rc, region) != 0) {
		warnx("%s: the file is for region %s, not %s", what, rc, region);
		return (-1);
	}
	if (region == NULL)
		region = rc;
	/* The payment option of each plan, by SKU. */
	if ((opts = json_object()) == NULL) {
		warnx("%s: out of memory", what);
		return (-1);
	}
	json_array_foreach(products, i, p) {
		sku = str(p, "sku");
		opt = str(json_object_get(p, "attributes"), "purchaseOption");
		if (sku == NULL || opt == NULL) {
			warnx("%s: products[%zu] has no sku or purchaseOption",
			    what, i);
			goto out;
		}
		if (json_object_get(opts, sku) != NULL) {
			warnx("%s: SKU %s is two products", what, sku);
			goto out;
		}
		if (json_object_set_new(opts, sku, json_string(opt))) {
			warnx("%s: out of memory", what);
			goto out;
		}
	}
	json_array_foreach(terms, i, t) {
		sku = str(t, "sku");
		if (sku == NULL || (opt = str(opts, sku)) == NULL) {
			warnx("%s: terms.savingsPlan[%zu]: SKU %s is not a "
			    "product of the file", what, i, sku ? sku : "(none)");
			goto out;
		}
		lc = json_object_get(t, "leaseContractLength");
		dur = json_object_get(lc, "duration");
		if (!json_is_integer(dur) || str(lc, "unit") == NULL ||
		    strcmp(str(lc, "unit"), "year") != 0 ||
		    term_name(term, sizeof(term), json_integer_value(dur))) {
			warnx("%s: SKU %s: the lease contract length is not a "
			    "number of years", what, sku);
			goto out;
		}
		if (!json_is_array(rates = json_object_get(t, "rates"))) {
			warnx("%s: SKU %s: no rates", what, sku);
			goto out;
		}
		json_array_foreach(rates, j, r) {
			if ((svc = str(r, "discountedServiceCode")) == NULL) {
				warnx("%s: SKU %s: rates[%zu] has no "
				    "discountedServiceCode", what, sku, j);
				goto out;
			}
			if (strcmp(svc, SERVICE) != 0)
				continue;
			dr = json_object_get(r, "discountedRate");
			if (str(r, "discountedUsageType") == NULL ||
			    str(r, "discountedOperation") == NULL ||
			    (unit = str(r, "unit")) == NULL ||
			    json_object_get(dr, "price") == NULL ||
			    str(dr, "currency") == NULL) {
				warnx("%s: SKU %s: rates[%zu] lacks "
				    "discountedUsageType, discountedOperation, "
				    "unit or discountedRate", what, sku, j);
				goto out;
			}
			if (add(sp, region, str(r, "discountedUsageType"),
			    str(r, "discountedOperation"), unit, term, opt,
			    str(dr, "currency"), json_object_get(dr, "price"),
			    format("%s: SKU %s, rate of %s", what, sku,
			    str(r, "discountedUsageType"))))
				goto out;
		}
	}
	rcode = 0;
out:
	json_decref(opts);
	return (rcode);
}

int
savingsplan_reply(struct savingsplan *sp, const json_t *reply,
    const char *region, const char *what)
{
	const json_t *res = json_object_get(reply, "searchResults");
	const json_t *item, *off, *dur, *prop;
	const char *svc, *plan, *in;
	char term[8];
	json_int_t secs;
	size_t i, j;

	if (!json_is_array(res)) {
		warnx("%s: a reply without searchResults", what);
		return (-1);
	}
	json_array_foreach(res, i, item) {
		if ((svc = str(item, "serviceCode")) == NULL) {
			warnx("%s: searchResults[%zu] has no serviceCode", what,
			    i);
			return (-1);
		}
		if (strcmp(svc, SERVICE) != 0)
			continue;
		off = json_object_get(item, "savingsPlanOffering");
		dur = json_object_get(off, "durationSeconds");
		if ((plan = str(off, "planType")) == NULL ||
		    str(off, "paymentOption") == NULL || !json_is_integer(dur) ||
		    str(off, "currency") == NULL ||
		    str(item, "usageType") == NULL ||
		    str(item, "operation") == NULL ||
		    str(item, "unit") == NULL ||
		    json_object_get(item, "rate") == NULL) {
			warnx("%s: searchResults[%zu] lacks savingsPlanOffering "
			    "(planType, paymentOption, durationSeconds, "
			    "currency), usageType, operation, unit or rate",
			    what, i);
			return (-1);
		}
		if (strcmp(plan, PLAN) != 0) {
			warnx("%s: searchResults[%zu] is a %s Savings Plan, not "
			    "a %s one", what, i, plan, PLAN);
			return (-1);
		}
		secs = json_integer_value(dur);
		if (secs <= 0 || secs % YEAR_SECONDS != 0 ||
		    term_name(term, sizeof(term), secs / YEAR_SECONDS)) {
			warnx("%s: searchResults[%zu]: %lld seconds is not a "
			    "number of years", what, i, (long long)secs);
			return (-1);
		}
		in = NULL;
		json_array_foreach(json_object_get(item, "properties"), j, prop)
			if (str(prop, "name") != NULL &&
			    strcmp(str(prop, "name"), "region") == 0)
				in = str(prop, "value");
		if (in != NULL && region != NULL && strcmp(in, region) != 0) {
			warnx("%s: searchResults[%zu] is for region %s, not %s",
			    what, i, in, region);
			return (-1);
		}
		if (in == NULL && (in = region) == NULL) {
			warnx("%s: searchResults[%zu] names no region", what, i);
			return (-1);
		}
		if (add(sp, in, str(item, "usageType"), str(item, "operation"),
		    str(item, "unit"), term, str(off, "paymentOption"),
		    str(off, "currency"), json_object_get(item, "rate"),
		    format("%s: searchResults[%zu] (%s)", what, i,
		    str(item, "usageType"))))
			return (-1);
	}
	return (0);
}

static int
cmpname(const void *a, const void *b)
{

	return (strcmp(*(const char *const *)a, *(const char *const *)b));
}

const char **
savingsplan_regions(struct savingsplan *sp)
{
	const char **v;
	size_t i, n = 0;

	if ((v = realloc(sp->names, (sp->n + 1) * sizeof(*v))) == NULL) {
		warn("savings plans");
		return (NULL);
	}
	sp->names = v;
	for (i = 0; i < sp->n; i++)
		v[n++] = sp->r[i].region;
	qsort(v, n, sizeof(*v), cmpname);
	for (i = 0; i < n; i++)
		if (i > 0 && strcmp(v[i], v[i - 1]) == 0) {
			memmove(&v[i], &v[i + 1], (n - i - 1) * sizeof(*v));
			n--;
			i--;
		}
	v[n] = NULL;
	return (v);
}

size_t
savingsplan_count(const struct savingsplan *sp, const char *region)
{
	size_t i, n = 0;

	for (i = 0; i < sp->n; i++)
		n += strcmp(sp->r[i].region, region) == 0;
	return (n);
}

/* Records' order: class, dimension, term, payment option. */
static int
cmprate(const void *a, const void *b)
{
	const struct rate *x = *(const struct rate *const *)a;
	const struct rate *y = *(const struct rate *const *)b;
	int c;

	if (x->ia != y->ia)
		return (x->ia - y->ia);
	if (x->dim != y->dim)
		return (x->dim - y->dim);
	if ((c = strcmp(x->term, y->term)) != 0)
		return (c);
	return (x->option - y->option);
}

/* The record of ${r}, whose on-demand price is ${u}. */
static json_t *
record(const struct rate *r, const struct pricelist_unit *u,
    const char *source)
{

	return (json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
	    "s:s, s:s, s:f, s:f, s:f, s:s, s:s}", "kind", "savings_plan_rate",
	    "region", r->region, "plan", PLAN, "term", r->term,
	    "purchase_option", options[r->option], "table_class",
	    u->table_class, "dimension", u->field, "usage_type", r->usage,
	    "operation", r->operation, "unit", units[r->dim], "currency",
	    r->currency, "rate", r->rate, "on_demand", u->price,
	    "discount_pct", round((1 - r->rate / u->price) * 10000) / 100,
	    "sku", u->sku, "source", source));
}

int
savingsplan_records(const struct savingsplan *sp, const struct pricelist *pl,
    const char *region, const char *source, json_t **out)
{
	const struct rate **v, *r, *prev = NULL;
	struct pricelist_unit u;
	json_t *rec;
	size_t i, n = 0;
	int rc = -1;

	*out = NULL;
	if ((v = calloc(sp->n + 1, sizeof(*v))) == NULL ||
	    (*out = json_array()) == NULL) {
		warnx("%s: out of memory", region);
		free(v);
		return (-1);
	}
	for (i = 0; i < sp->n; i++)
		if (strcmp(sp->r[i].region, region) == 0)
			v[n++] = &sp->r[i];
	qsort(v, n, sizeof(*v), cmprate);
	for (i = 0; i < n; i++, prev = r) {
		r = v[i];
		if (pricelist_usage(pl, region, r->usage, &u)) {
			warnx("%s: %s has no on-demand price in %s's price list",
			    r->where, r->usage, region);
			goto out;
		}
		if (strcmp(u.currency, r->currency) != 0) {
			warnx("%s: a rate in %s, but the price list's prices "
			    "are in %s", r->where, r->currency, u.currency);
			goto out;
		}
		if (r->rate > u.price) {
			warnx("%s: the rate %.10g is above the on-demand price "
			    "%.10g", r->where, r->rate, u.price);
			goto out;
		}
		if (prev != NULL && cmprate(&prev, &r) == 0) {
			if (prev->rate != r->rate ||
			    strcmp(prev->operation, r->operation) != 0) {
				warnx("%s and %s: two rates for the same term "
				    "and payment option", prev->where, r->where);
				goto out;
			}
			continue;
		}
		if ((rec = record(r, &u, source)) == NULL ||
		    json_array_append_new(*out, rec)) {
			warnx("%s: out of memory", region);
			goto out;
		}
	}
	rc = 0;
out:
	free(v);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return (rc);
}

void
savingsplan_free(struct savingsplan *sp)
{
	size_t i;

	if (sp == NULL)
		return;
	for (i = 0; i < sp->n; i++)
		free(sp->r[i].where);
	free(sp->r);
	free(sp->names);
	free(sp);
}
