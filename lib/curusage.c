#include <err.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "curfile.h"
#include "curusage.h"
#include "ndjson.h"
#include "usagetype.h"

/* The usage types of storage and throughput (see curusage.h). */
enum { U_STORAGE, U_READ, U_WRITE, U_REPL_WRITE, U_RCU, U_WCU, U_REPL_WCU,
	NU };
static const char *const usages[NU] = {
	"TimedStorage-ByteHrs", "ReadRequestUnits", "WriteRequestUnits",
	"ReplWriteRequestUnits", "ReadCapacityUnit-Hrs",
	"WriteCapacityUnit-Hrs", "ReplWriteCapacityUnit-Hrs"
};

static const char *const classes[2] = { "STANDARD",
	"STANDARD_INFREQUENT_ACCESS" };

/* One record on its way: an account, region, table and billing period. */
struct rec {
	char *period, *account, *region, *table;	/* table may be NULL */
	double storage_gb_month, storage_usd;
	double read_request_units, write_request_units;
	double rcu_hours, wcu_hours, throughput_usd;
	double repl_write_request_units, repl_wcu_hours, replicated_usd;
	double reserved_rcu_hours, reserved_wcu_hours, reserved_fee_usd;
	double other_usd, unblended_usd, net_usd;
	int reserved;
	int seen[2];		/* usage of each class was seen */
	time_t last[2];		/* the latest usage of each class */
	unsigned long line_items;
};

struct curusage {
	json_t *index;		/* key -> index in ${r} */
	struct rec **r;
	size_t n, cap;
	const char **periods;
	struct curusage_stats st;
};

/**
 * curusage_new():
 * An empty set of records.  Return NULL on allocation failure (reported).
 */
struct curusage *
curusage_new(void)
{
	struct curusage *cu;

	if ((cu = calloc(1, sizeof(*cu))) == NULL ||
	    (cu->index = json_object()) == NULL) {
		warnx("cur: out of memory");
		free(cu);
		return (NULL);
	}
	return (cu);
}

/*
 * The table an ARN names: "arn:PARTITION:dynamodb:REGION:ACCOUNT:table/
 * NAME[/index/I | /backup/B | /stream/S ...]"; set ${name} and ${len} to
 * NAME, ${region} and ${rlen} to REGION.  Return 0, or -1 if ${arn} names
 * no table.
 */
static int
arn_table(const char *arn, const char **name, size_t *len,
    const char **region, size_t *rlen)
{
	const char *p = arn, *part[5];
	int i;

	for (i = 0; i < 5; i++) {
		part[i] = p;
		if ((p = strchr(p, ':')) == NULL)
			return (-1);
		p++;
	}
	if (strncmp(part[0], "arn:", 4) != 0 ||
	    strncmp(part[2], "dynamodb:", 9) != 0 ||
	    strncmp(p, "table/", 6) != 0 || p[6] == '\0' || p[6] == '/')
		return (-1);
	*name = p + 6;
	*len = strcspn(p + 6, "/");
	*region = part[3];
	*rlen = (size_t)(part[4] - part[3] - 1);
	return (0);
}

static void
rec_free(struct rec *r)
{

	if (r == NULL)
		return;
	free(r->period);
	free(r->account);
	free(r->region);
	free(r->table);
	free(r);
}

/* The record of the key parts, added if new; NULL on ENOMEM. */
static struct rec *
rec_get(struct curusage *cu, const char *period, const char *account,
    const char *region, size_t rlen, const char *table, size_t tlen)
{
	struct rec *r, **v;
	json_t *i;
	char *key;
	size_t n, cap;

	/* Unit separators cannot be in any of the parts that matter. */
	n = strlen(period) + strlen(account) + rlen + tlen + 8;
	if ((key = malloc(n)) == NULL)
		return (NULL);
	snprintf(key, n, "%s\037%s\037%.*s\037%c%.*s", period, account,
	    (int)rlen, region, table ? 't' : '-', (int)tlen, table ? table :
	    "");
	if ((i = json_object_get(cu->index, key)) != NULL) {
		free(key);
		return (cu->r[json_integer_value(i)]);
	}
	if (cu->n == cu->cap) {
		cap = cu->cap ? cu->cap * 2 : 64;
		if ((v = realloc(cu->r, cap * sizeof(*v))) == NULL)
			goto fail;
		cu->r = v;
		cu->cap = cap;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL)
		goto fail;
	if ((r->period = strdup(period)) == NULL ||
	    (r->account = strdup(account)) == NULL ||
	    (r->region = strndup(region, rlen)) == NULL ||
	    (table != NULL && (r->table = strndup(table, tlen)) == NULL) ||
	    json_object_set_new_nocheck(cu->index, key,
	    json_integer((json_int_t)cu->n))) {
		rec_free(r);
		goto fail;
	}
	free(key);
	cu->r[cu->n++] = r;
	cu->st.records = cu->n;
	return (r);
fail:
	free(key);
	return (NULL);
}

/* The item's table class was seen in use at ${t}. */
static void
saw(struct rec *r, int ia, time_t t)
{

	if (!r->seen[ia] || t > r->last[ia])
		r->last[ia] = t;
	r->seen[ia] = 1;
}

/**
 * curusage_add(cu, item, period):
 * Add the line item ${item} to ${cu} if it is DynamoDB's, in the billing
 * period ${period} ("YYYY-MM"; NULL: the item's own).  Return 0, or -1
 * on allocation failure (reported).
 */
int
curusage_add(struct curusage *cu, const struct curfile_item *it,
    const char *period)
{
	struct rec *r;
	const char *table = NULL, *region = it->region, *t;
	size_t tlen = 0, rlen = strlen(it->region), alen;
	double amount = it->usage_amount, usd = it->unblended_cost;
	int u, ia = 0, usage, reserved;

	cu->st.items++;
	if (strcmp(it->product_code, "AmazonDynamoDB") != 0)
		return (0);
	cu->st.dynamodb++;
	cu->st.net_usd += it->net_unblended_cost;
	if (arn_table(it->resource_id, &table, &tlen, &t, &alen) == 0) {
		if (rlen == 0) {
			region = t;
			rlen = alen;
		}
	} else {
		table = NULL;
		cu->st.untabled++;
	}
	if ((r = rec_get(cu, period ? period : it->billing_period,
	    it->account, region, rlen, table, tlen)) == NULL) {
		warnx("%s: out of memory", it->file);
		return (-1);
	}
	r->line_items++;
	r->unblended_usd += usd;
	r->net_usd += it->net_unblended_cost;
	reserved = strcmp(it->pricing_term, "Reserved") == 0 ||
	    strcmp(it->line_item_type, "DiscountedUsage") == 0;
	if (strcmp(it->line_item_type, "RIFee") == 0) {
		r->reserved = 1;
		r->reserved_fee_usd += usd;
		return (0);
	}
	usage = strcmp(it->line_item_type, "Usage") == 0 ||
	    strcmp(it->line_item_type, "DiscountedUsage") == 0 ||
	    strcmp(it->line_item_type, "SavingsPlanCoveredUsage") == 0;
	if (!usage)
		return (0);	/* tax, credits, refunds, discounts */
	switch ((u = usagetype_match(it->usage_type, usages, NU, &ia))) {
	case U_STORAGE:
		r->storage_gb_month += amount;
		r->storage_usd += usd;
		break;
	case U_READ:
		r->read_request_units += amount;
		r->throughput_usd += usd;
		break;
	case U_WRITE:
		r->write_request_units += amount;
		r->throughput_usd += usd;
		break;
	case U_RCU:
		r->rcu_hours += amount;
		r->throughput_usd += usd;
		if (reserved)
			r->reserved_rcu_hours += amount;
		break;
	case U_WCU:
		r->wcu_hours += amount;
		r->throughput_usd += usd;
		if (reserved)
			r->reserved_wcu_hours += amount;
		break;
	case U_REPL_WRITE:
		r->repl_write_request_units += amount;
		r->replicated_usd += usd;
		break;
	case U_REPL_WCU:
		r->repl_wcu_hours += amount;
		r->replicated_usd += usd;
		break;
	default:
		r->other_usd += usd;
		return (0);
	}
	if (reserved)
		r->reserved = 1;
	saw(r, ia, it->usage_start);
	return (0);
}

/* A number as JSON: whole numbers as integers, the way people write them. */
static json_t *
number(double v)
{

	if (v == floor(v) && fabs(v) < 9007199254740992.0)
		return (json_integer((json_int_t)v));
	return (json_real(v));
}

static json_t *
string_or_null(const char *s)
{

	return (s != NULL && *s != '\0' ? json_string(s) : json_null());
}

/* The cur_usage record of ${r}. */
static json_t *
record(const struct rec *r)
{
	const char *class = NULL;
	json_t *o;

	if (r->seen[0] || r->seen[1])
		class = classes[r->seen[1] && (!r->seen[0] ||
		    r->last[1] >= r->last[0])];
	o = json_pack("{s:s, s:o, s:o, s:o, s:s, s:o}", "kind", "cur_usage",
	    "account", string_or_null(r->account),
	    "region", string_or_null(r->region),
	    "table", string_or_null(r->table),
	    "billing_period", r->period,
	    "table_class", string_or_null(class));
	if (o == NULL)
		return (NULL);
#define SET(name, v) \
	if (json_object_set_new(o, name, number(v))) goto fail
	SET("storage_gb_month", r->storage_gb_month);
	SET("storage_usd", r->storage_usd);
	SET("read_request_units", r->read_request_units);
	SET("write_request_units", r->write_request_units);
	SET("rcu_hours", r->rcu_hours);
	SET("wcu_hours", r->wcu_hours);
	SET("throughput_usd", r->throughput_usd);
	SET("replicated_write_request_units", r->repl_write_request_units);
	SET("replicated_wcu_hours", r->repl_wcu_hours);
	SET("replicated_usd", r->replicated_usd);
	if (json_object_set_new(o, "reserved", json_boolean(r->reserved)))
		goto fail;
	SET("reserved_rcu_hours", r->reserved_rcu_hours);
	SET("reserved_wcu_hours", r->reserved_wcu_hours);
	SET("reserved_fee_usd", r->reserved_fee_usd);
	SET("other_usd", r->other_usd);
	SET("unblended_usd", r->unblended_usd);
	SET("net_usd", r->net_usd);
	SET("line_items", (double)r->line_items);
#undef SET
	return (o);
fail:
	json_decref(o);
	return (NULL);
}

/* NULL (no table) sorts first. */
static int
cmp_null(const char *a, const char *b)
{

	if (a == NULL || b == NULL)
		return ((a != NULL) - (b != NULL));
	return (strcmp(a, b));
}

static int
cmp_recs(const void *x, const void *y)
{
	const struct rec *a = *(struct rec *const *)x;
	const struct rec *b = *(struct rec *const *)y;
	int c;

	if ((c = strcmp(a->period, b->period)) != 0 ||
	    (c = strcmp(a->account, b->account)) != 0 ||
	    (c = strcmp(a->region, b->region)) != 0)
		return (c);
	return (cmp_null(a->table, b->table));
}

/**
 * curusage_write(cu, period, fp):
 * Write the records of billing period ${period} (NULL: of every period) to
 * ${fp}, sorted by billing period, account, region and table (no table
 * first).  Return the number written, or -1 on a write or allocation
 * error (reported).
 */
long
curusage_write(const struct curusage *cu, const char *period, FILE *fp)
{
	struct rec **v;
	json_t *o;
	size_t i, n = 0;
	long written = 0;

	if ((v = malloc((cu->n + 1) * sizeof(*v))) == NULL) {
		warn("cur");
		return (-1);
	}
	for (i = 0; i < cu->n; i++)
		if (period == NULL || strcmp(cu->r[i]->period, period) == 0)
			v[n++] = cu->r[i];
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_recs);
	for (i = 0; i < n; i++) {
		if ((o = record(v[i])) == NULL) {
			warnx("cur: out of memory");
			written = -1;
			break;
		}
		if (ndjson_write(fp, o)) {
			json_decref(o);
			written = -1;
			break;
		}
		json_decref(o);
		written++;
	}
	free(v);
	return (written);
}

/**
 * curusage_stats(cu):
 * What ${cu} has seen.
 */
struct curusage_stats
curusage_stats(const struct curusage *cu)
{

	return (cu->st);
}

static int
cmp_str(const void *a, const void *b)
{

	return (strcmp(*(const char *const *)a, *(const char *const *)b));
}

/**
 * curusage_periods(cu):
 * The billing periods of ${cu}'s records, sorted, as a NULL-terminated
 * array of strings owned by ${cu} until the next call.  Return NULL on
 * allocation failure (reported).
 */
const char **
curusage_periods(struct curusage *cu)
{
	const char **v;
	size_t i, n = 0;

	free(cu->periods);
	if ((cu->periods = v = malloc((cu->n + 1) * sizeof(*v))) == NULL) {
		warn("cur");
		return (NULL);
	}
	for (i = 0; i < cu->n; i++)
		v[n++] = cu->r[i]->period;
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_str);
	/* Unique. */
	for (i = 0; n > 0 && i + 1 < n; ) {
		if (strcmp(v[i], v[i + 1]) == 0) {
			memmove(&v[i + 1], &v[i + 2], (n - i - 2) * sizeof(*v));
			n--;
		} else
			i++;
	}
	v[n] = NULL;
	return (v);
}

/**
 * curusage_free(cu):
 * Free ${cu}.  NULL is a no-op.
 */
void
curusage_free(struct curusage *cu)
{
	size_t i;

	/* Behave consistently with free(NULL). */
	if (cu == NULL)
		return;
	for (i = 0; i < cu->n; i++)
		rec_free(cu->r[i]);
	free(cu->r);
	free(cu->periods);
	json_decref(cu->index);
	free(cu);
}
