#include <err.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <jansson.h>

#include "atomicio.h"
#include "aws_client.h"
#include "aws_creds.h"
#include "aws_http.h"
#include "checkpoint.h"
#include "cmdline.h"
#include "datetime.h"
#include "log.h"
#include "metricdata.h"
#include "metrics.h"
#include "ndjson.h"
#include "progress.h"
#include "projdir.h"
#include "re2.h"
#include "series.h"

#define DAY		86400
#define MAXQUERIES	500	/* GetMetricData's limits per call */
#define MAXPOINTS	METRICDATA_MAXPOINTS
#define BATCH_TRIES	3	/* a batch is asked for after invalid replies */

/* What is collected for each resource, in this order. */
static const struct {
	const char *name, *stat;
} metric[] = {
	{ "ConsumedReadCapacityUnits", "Sum" },
	{ "ConsumedWriteCapacityUnits", "Sum" },
	{ "ProvisionedReadCapacityUnits", "Maximum" },
	{ "ProvisionedWriteCapacityUnits", "Maximum" },
	{ "ReadThrottleEvents", "Sum" },
	{ "WriteThrottleEvents", "Sum" },
};
#define NMETRICS	(sizeof(metric) / sizeof(metric[0]))

/* A table (index NULL) or one of its global secondary indexes. */
struct resource {
	char *table, *index;
};

/* The resources of one account and region. */
struct group {
	char account[16], region[32];
	struct resource *res;
	size_t nres, cap;
	json_t *tables;		/* the names of its tables, as keys */
	size_t pending;		/* its units not finished */
	size_t failed, denied;	/* its units that failed, access denied */
};

struct run;

/* One account, region and day. */
struct unit {
	struct run *run;
	struct group *g;
	time_t day;
	size_t idx;		/* in run->todo */
	struct aws_client cw;
	struct aws_creds *creds;
	size_t q0, nq;		/* the batch of queries in flight */
	double *vals;		/* nq dense arrays; NAN: no datapoint */
	char *token;		/* NextToken of the batch's next page */
	struct aws_pages pages;	/* the batch's pages so far */
	size_t *count;		/* nq: the datapoints of each query */
	char late[1024];	/* a fault said after the page's token, or "" */
	int tries;		/* of the batch, after invalid replies */
	struct atomicio *a;	/* the day's file, or NULL (filter) */
	FILE *fp;		/* where its records go */
	int failed, finished;
	struct aws_error err;
};

struct slot {
	struct group *g;
	time_t day;
	struct unit *u;
};

struct run {
	struct projdir *pd;
	const struct aws_config *cfg;
	const struct metrics_opts *o;
	struct aws_http *http;
	struct aws_creds *chain;
	char own[16];
	struct checkpoint *cp;
	struct metricdata *md;
	struct re2 *re;		/* --table-regex */
	json_t *index;		/* "account/region" -> group number */
	struct group *groups;
	size_t ngroups;
	int period;
	size_t nslots, batch;
	struct slot *todo;
	size_t ntodo, next, emitted, active, failed, transient;
	uint64_t total, done, points, requests, series;
	struct progress *progress;
	int error;
	int starting;		/* in start_units: do not recurse */
};

static void start_units(struct run *);
static void next_batch(struct unit *);

/**
 * metrics_window(days, from, to, now, start, end):
 * The window to collect at time ${now}: ${days} whole UTC days ending with
 * yesterday, or from the day ${from} and/or to the day ${to} (inclusive;
 * "YYYY-MM-DD", either may be NULL).  Set ${start} and ${end} (exclusive)
 * to midnights.  Return 0, or -1 if the dates are malformed, out of order
 * or not over yet (reported).
 */
int
metrics_window(int days, const char *from, const char *to, time_t now,
    time_t *start, time_t *end)
{
	char last[DATETIME_LEN];
	time_t today = now - now % DAY;

	if (from != NULL && datetime_parse_date(start, from)) {
		warnx("--start-date %s: not a date (YYYY-MM-DD)", from);
		return (-1);
	}
	if (to != NULL && datetime_parse_date(end, to)) {
		warnx("--end-date %s: not a date (YYYY-MM-DD)", to);
		return (-1);
	}
	*end = to != NULL ? *end + DAY : today;
	if (from == NULL)
		*start = *end - (time_t)days * DAY;
	if (*end > today) {
		warnx("--end-date %s: that UTC day is not over yet; the last "
		    "complete day is %s", to, datetime_format_date(last,
		    today - DAY));
		return (-1);
	}
	if (*start >= *end) {
		warnx("--start-date %s is after the end of the window", from);
		return (-1);
	}
	return (0);
}

/**
 * metrics_period(start, now):
 * The period, in seconds, for a window starting at ${start}: the finest
 * that CloudWatch still keeps there at ${now} (60 s for 15 days, 300 s for
 * 63, 3600 s for 455), or -1 if it keeps nothing that old.
 */
int
metrics_period(time_t start, time_t now)
{
	time_t age = now - start;

	return (age <= 15 * DAY ? 60 : age <= 63 * DAY ? 300 :
	    age <= 455 * DAY ? 3600 : -1);
}

/* The group of ${account} and ${region}, added if new; NULL on ENOMEM. */
static struct group *
group(struct run *r, const char *account, const char *region)
{
	struct group *g;
	char key[64];
	json_t *n;

	snprintf(key, sizeof(key), "%s/%s", account, region);
	if ((n = json_object_get(r->index, key)) != NULL)
		return (&r->groups[json_integer_value(n)]);
	if ((g = realloc(r->groups, (r->ngroups + 1) * sizeof(*g))) == NULL)
		return (NULL);
	r->groups = g;
	g = &r->groups[r->ngroups];
	memset(g, 0, sizeof(*g));
	snprintf(g->account, sizeof(g->account), "%s", account);
	snprintf(g->region, sizeof(g->region), "%s", region);
	if ((g->tables = json_object()) == NULL ||
	    json_object_set_new(r->index, key, json_integer(
	    (json_int_t)r->ngroups)))
		return (NULL);
	r->ngroups++;
	return (g);
}

static int
add_resource(struct group *g, const char *table, const char *index)
{
	struct resource *v;

	if (g->nres == g->cap) {
		if ((v = realloc(g->res, (g->cap ? g->cap * 2 : 16) *
		    sizeof(*v))) == NULL)
			return (-1);
		g->res = v;
		g->cap = g->cap ? g->cap * 2 : 16;
	}
	v = &g->res[g->nres];
	if ((v->table = strdup(table)) == NULL ||
	    (index != NULL && (v->index = strdup(index)) == NULL)) {
		free(v->table);
		return (-1);
	}
	if (index == NULL)
		v->index = NULL;
	g->nres++;
	return (0);
}

/* Take in one table record, if the filters let it in. */
static int
take_table(json_t *rec, const struct ndjson_pos *pos, void *ctx)
{
	struct run *r = ctx;
	struct group *g;
	const char *account, *region, *table, *index;
	json_t *idx;
	size_t i;
	int m;

	account = json_string_value(json_object_get(rec, "account"));
	region = json_string_value(json_object_get(rec, "region"));
	table = json_string_value(json_object_get(rec, "table"));
	if (strcmp(json_string_value(json_object_get(rec, "kind")),
	    "table") != 0 || account == NULL || region == NULL ||
	    table == NULL || !projdir_valid_account(account) ||
	    !projdir_valid_region(region) || *table == '\0') {
		ndjson_warnx(pos, "not a table record with \"account\", "
		    "\"region\" and \"table\"");
		return (-1);
	}
	if ((r->o->regions != NULL && !cmdline_listed(r->o->regions, region)) ||
	    (r->o->tables != NULL && !cmdline_listed(r->o->tables, table)))
		return (0);
	if (r->re != NULL && (m = re2_match(r->re, table)) != 1) {
		if (m == -1)
			ndjson_warnx(pos, "table \"%s\": not matched", table);
		return (m);
	}
	if ((g = group(r, account, region)) == NULL)
		goto nomem;
	if (json_object_get(g->tables, table) != NULL)
		return (0);	/* the same table twice */
	if (json_object_set_new(g->tables, table, json_true()) ||
	    add_resource(g, table, NULL))
		goto nomem;
	json_array_foreach(json_object_get(rec, "indexes"), i, idx) {
		if ((index = json_string_value(json_object_get(idx,
		    "index"))) == NULL || *index == '\0') {
			ndjson_warnx(pos, "an index without a name");
			return (-1);
		}
		if (add_resource(g, table, index))
			goto nomem;
	}
	return (0);
nomem:
	warn("%s:%lu", pos->file, pos->line);
	return (-1);
}

/* Read the table records of the project, file by file. */
static int
take_file(const char *path, const struct projdir_entry *e, void *ctx)
{
	char *files[] = { (char *)path, NULL };

	if (e == NULL || e->file != PROJDIR_TABLES)
		return (0);
	return (ndjson_foreach(files, NDJSON_MAXLINE, take_table, ctx));
}

static int
cmp_groups(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	int c;

	return ((c = strcmp(x->account, y->account)) != 0 ? c :
	    strcmp(x->region, y->region));
}

static int
cmp_resources(const void *a, const void *b)
{
	const struct resource *x = a, *y = b;
	int c;

	if ((c = strcmp(x->table, y->table)) != 0)
		return (c);
	if (x->index == NULL || y->index == NULL)
		return ((x->index != NULL) - (y->index != NULL));
	return (strcmp(x->index, y->index));
}

/* The tables to collect, grouped by account and region, in order. */
static int
load_tables(struct run *r)
{
	size_t i;

	if ((r->o->inputs != NULL ? ndjson_foreach(r->o->inputs,
	    NDJSON_MAXLINE, take_table, r) : projdir_walk(r->pd, take_file,
	    r)) != 0)
		return (-1);
	/* The index of groups goes stale here: it is not used again. */
	json_decref(r->index);
	r->index = NULL;
	if (r->ngroups > 0)
		qsort(r->groups, r->ngroups, sizeof(*r->groups), cmp_groups);
	for (i = 0; i < r->ngroups; i++)
		qsort(r->groups[i].res, r->groups[i].nres,
		    sizeof(*r->groups[i].res), cmp_resources);
	return (0);
}

/* Keep the first error of ${u}. */
static void
note(struct unit *u, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
note(struct unit *u, const char *code, const char *fmt, ...)
{
	va_list ap;

	if (u->failed)
		return;
	u->failed = 1;
	memset(&u->err, 0, sizeof(u->err));
	snprintf(u->err.code, sizeof(u->err.code), "%s", code);
	va_start(ap, fmt);
	vsnprintf(u->err.message, sizeof(u->err.message), fmt, ap);
	va_end(ap);
	u->err.retry = AWS_RETRY_NO;
}

static const char *
unit_name(const struct unit *u, char *buf, size_t len)
{
	char date[DATETIME_LEN];

	snprintf(buf, len, "account=%s/region=%s/date=%s", u->g->account,
	    u->g->region, datetime_format_date(date, u->day));
	return (buf);
}

/* The GetMetricData request for the batch of ${u}. */
static json_t *
request(const struct unit *u)
{
	const struct resource *res;
	json_t *in, *queries, *dims;
	char id[32];
	size_t k, q;

	queries = json_array();
	for (k = 0; k < u->nq; k++) {
		q = u->q0 + k;
		res = &u->g->res[q / NMETRICS];
		dims = json_pack("[{s:s, s:s}]", "Name", "TableName", "Value",
		    res->table);
		if (res->index != NULL)
			json_array_append_new(dims, json_pack("{s:s, s:s}",
			    "Name", "GlobalSecondaryIndexName", "Value",
			    res->index));
		snprintf(id, sizeof(id), "q%zu", k);
		json_array_append_new(queries, json_pack(
		    "{s:s, s:{s:{s:s, s:s, s:o}, s:i, s:s}, s:b}",
		    "Id", id, "MetricStat", "Metric", "Namespace",
		    "AWS/DynamoDB", "MetricName", metric[q % NMETRICS].name,
		    "Dimensions", dims, "Period", u->run->period, "Stat",
		    metric[q % NMETRICS].stat, "ReturnData", 1));
	}
	in = json_pack("{s:o, s:I, s:I, s:s, s:i}", "MetricDataQueries",
	    queries, "StartTime", (json_int_t)u->day, "EndTime",
	    (json_int_t)(u->day + DAY), "ScanBy", "TimestampAscending",
	    "MaxDatapoints", MAXPOINTS);
	if (in != NULL && u->token != NULL)
		json_object_set_new(in, "NextToken", json_string(u->token));
	return (in);
}

/* The resource of query ${q} for a message: "orders", "orders index
 * by-customer". */
static const char *
resource_name(const struct unit *u, size_t q, char *buf, size_t len)
{
	const struct resource *res = &u->g->res[q / NMETRICS];

	snprintf(buf, len, "%s%s%s", res->table, res->index ? " index " : "",
	    res->index ? res->index : "");
	return (buf);
}

/* The timestamp ${t} for a message. */
static const char *
stamp(double t, char *buf)
{

	if (isfinite(t) && fabs(t) < 1e11)
		return (datetime_format(buf, (time_t)t));
	snprintf(buf, DATETIME_LEN, "%g", t);
	return (buf);
}

/*
 * Whether the datapoint ${v} can be a capacity or throttle count: not
 * negative, finite, at most SERIES_MAXVALUE (series.h).  If not, say why
 * in ${why}.
 */
static int
plausible(double v, const char **why)
{

	*why = v < 0 ? "negative" : !isfinite(v) ? "not finite" :
	    v > SERIES_MAXVALUE ? "above 1e12, the most optima believes" :
	    NULL;
	return (*why == NULL);
}

/* One result of a page: its datapoints into the dense arrays.  A value no
 * table can have, a duplicate or more datapoints than asked for make the
 * reply invalid; a timestamp off the day's periods is not asked for and
 * left out. */
static int
on_result(const struct metricdata_result *m, void *ctx)
{
	struct unit *u = ctx;
	struct run *r = u->run;
	double *v, slot;
	const char *why;
	char *end, res[600], when[DATETIME_LEN];
	unsigned long k;
	size_t i, q;

	errno = 0;
	k = m->id[0] == 'q' ? strtoul(m->id + 1, &end, 10) : 0;
	if (m->id[0] != 'q' || *end != '\0' || errno != 0 || k >= u->nq) {
		note(u, "InvalidResponse", "GetMetricData: an unknown Id %s",
		    m->id);
		return (1);
	}
	q = u->q0 + k;
	if (strcmp(m->status, "InternalError") == 0 ||
	    strcmp(m->status, "Forbidden") == 0) {
		note(u, m->status[0] == 'F' ? "AccessDenied" :
		    "InternalFailure", "GetMetricData: %s for %s of %s",
		    m->status, metric[q % NMETRICS].name,
		    u->g->res[q / NMETRICS].table);
		if (m->status[0] == 'I')
			u->err.retry = AWS_RETRY_TRANSIENT;
		return (1);
	}
	/* Said once the page's token is known to be new, as duplicates
	 * are: a page asked for again repeats its datapoints. */
	if ((u->count[k] += m->n) > r->nslots && u->late[0] == '\0')
		snprintf(u->late, sizeof(u->late), "GetMetricData: %zu "
		    "datapoints of %s of %s, more than the %zu asked for",
		    u->count[k], metric[q % NMETRICS].name, resource_name(u, q,
		    res, sizeof(res)), r->nslots);
	v = u->vals + k * r->nslots;
	for (i = 0; i < m->n; i++) {
		if (!plausible(m->values[i], &why)) {
			note(u, "InvalidResponse", "GetMetricData: %s of %s at "
			    "%s: the value %g is %s", metric[q % NMETRICS].name,
			    resource_name(u, q, res, sizeof(res)),
			    stamp(m->timestamps[i], when), m->values[i], why);
			return (1);
		}
		slot = (m->timestamps[i] - (double)u->day) / r->period;
		/* Only whole periods of the day: nothing else is asked. */
		if (slot < 0 || slot >= (double)r->nslots ||
		    slot != floor(slot))
			continue;
		if (!isnan(v[(size_t)slot]) && u->late[0] == '\0')
			snprintf(u->late, sizeof(u->late), "GetMetricData: two "
			    "datapoints of %s of %s at %s",
			    metric[q % NMETRICS].name, resource_name(u, q, res,
			    sizeof(res)), stamp(m->timestamps[i], when));
		v[(size_t)slot] = m->values[i];
	}
	return (0);
}

/* A value as JSON: whole numbers as integers, the way people write them. */
static json_t *
value(double v)
{

	if (isnan(v))
		return (json_null());
	if (v == floor(v) && fabs(v) < 9007199254740992.0)
		return (json_integer((json_int_t)v));
	return (json_real(v));
}

/* Write the series of the batch of ${u}. */
static int
write_batch(struct unit *u)
{
	struct run *r = u->run;
	const struct resource *res;
	json_t *rec, *vals;
	char start[DATETIME_LEN];
	size_t k, q, i;
	int rc = 0;

	datetime_format(start, u->day);
	for (k = 0; k < u->nq && rc == 0; k++) {
		q = u->q0 + k;
		res = &u->g->res[q / NMETRICS];
		if ((vals = json_array()) == NULL)
			return (-1);
		for (i = 0; i < r->nslots; i++) {
			json_array_append_new(vals, value(u->vals[k * r->nslots +
			    i]));
			r->points += !isnan(u->vals[k * r->nslots + i]);
		}
		rec = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s, s:s, s:i, s:s,"
		    " s:o}", "kind", "series", "account", u->g->account,
		    "region", u->g->region, "table", res->table, "index",
		    res->index, "metric", metric[q % NMETRICS].name, "stat",
		    metric[q % NMETRICS].stat, "period", r->period, "start",
		    start, "values", vals);
		if (rec == NULL || ndjson_write(u->fp, rec))
			rc = -1;
		json_decref(rec);
		r->series++;
	}
	return (rc);
}

/* The records of the day's old file for tables not collected now. */
static int
keep_old(struct unit *u, const char *path)
{
	struct ndjson_reader *rd;
	json_t *rec;
	const char *t;
	int rc;

	if (access(path, F_OK) != 0)
		return (errno == ENOENT ? 0 : (warn("%s", path), -1));
	if ((rd = ndjson_reader_open(path, NDJSON_MAXLINE)) == NULL)
		return (-1);
	while ((rc = ndjson_reader_next(rd, &rec)) == 1) {
		t = json_string_value(json_object_get(rec, "table"));
		if (t != NULL && json_object_get(u->g->tables, t) == NULL &&
		    ndjson_write(u->fp, rec))
			rc = -1;
		json_decref(rec);
		if (rc == -1)
			break;
	}
	ndjson_reader_close(rd);
	return (rc);
}

/* Every batch of ${u} is written: make the day's file and mark it. */
static int
commit(struct unit *u)
{
	struct run *r = u->run;
	char unit[160], date[DATETIME_LEN], *path;
	int rc = -1;

	if (u->a == NULL)
		return (fflush(u->fp) == 0 && !ferror(u->fp) ? 0 : -1);
	if ((path = projdir_path(r->pd, PROJDIR_METRICS, u->g->account,
	    u->g->region, datetime_format_date(date, u->day))) == NULL)
		return (-1);
	unit_name(u, unit, sizeof(unit));
	if (keep_old(u, path) == 0) {
		rc = atomicio_commit(u->a);
		u->a = NULL;
		u->fp = NULL;
		if (rc == 0)
			rc = checkpoint_mark(r->cp, unit, time(NULL));
	}
	free(path);
	return (rc);
}

static void
unit_free(struct unit *u)
{

	if (u->a != NULL)
		atomicio_abort(u->a);
	else if (u->fp != NULL)
		fclose(u->fp);
	free(u->vals);
	free(u->count);
	free(u->token);
	aws_pages_free(&u->pages);
	free(u);
}

/* Write out and free the finished units at the head of the queue. */
static void
release(struct run *r)
{
	struct unit *u;
	char buf[65536];
	size_t n;

	for (; r->emitted < r->next; r->emitted++) {
		if ((u = r->todo[r->emitted].u) != NULL && !u->finished)
			break;
		if (u == NULL)
			continue;
		if (!u->failed) {
			rewind(u->fp);
			while ((n = fread(buf, 1, sizeof(buf), u->fp)) > 0)
				if (fwrite(buf, 1, n, r->o->records) != n)
					break;
			if (ferror(u->fp) || ferror(r->o->records)) {
				warn("standard output");
				r->error = 1;
			}
		}
		unit_free(u);
		r->todo[r->emitted].u = NULL;
	}
}

/* Whether a unit of ${g}'s account is still to finish. */
static int
account_busy(const struct run *r, const struct group *g)
{
	const struct group *h;

	for (h = g; h >= r->groups && strcmp(h->account, g->account) == 0; h--)
		if (h->pending > 0)
			return (1);
	for (h = g + 1; h < r->groups + r->ngroups &&
	    strcmp(h->account, g->account) == 0; h++)
		if (h->pending > 0)
			return (1);
	return (0);
}

/* ${u} has ended: report how, and go on with the next units. */
static void
finish(struct unit *u)
{
	struct run *r = u->run;
	const struct aws_error *why;
	char unit[160];

	unit_name(u, unit, sizeof(unit));
	if (u->failed) {
		/* No credentials: say why the role could not be assumed. */
		if (strcmp(u->err.code, "CredentialsError") == 0 &&
		    u->creds != NULL && (why = aws_creds_error(u->creds)) != NULL)
			u->err = *why;
		if (aws_error_denied(&u->err)) {
			warnx("%s: access denied, skipped: %s", unit,
			    u->err.message);
			u->g->denied++;
		} else
			warnx("%s: %s: %s", unit, u->err.code, u->err.message);
		u->g->failed++;
		log_msg(LOG_WARNING, "metrics %s: %s: %s", unit, u->err.code,
		    u->err.message);
		r->failed++;
		if (u->err.retry != AWS_RETRY_NO)
			r->transient++;
		if (r->cp != NULL && checkpoint_fail(r->cp, unit, time(NULL),
		    u->err.code, u->err.message))
			r->error = 1;
	} else
		log_msg(LOG_INFO, "metrics %s: %zu resources", unit, u->g->nres);
	r->active--;
	u->finished = 1;
	if (--u->g->pending == 0 && !account_busy(r, u->g))
		aws_creds_member_drop(r->chain, u->g->account);
	free(u->vals);
	u->vals = NULL;
	free(u->count);
	u->count = NULL;
	if (r->o->inputs == NULL) {
		r->todo[u->idx].u = NULL;
		unit_free(u);
	}
	release(r);
	start_units(r);
}

/* Ask for the batch of ${u} from its first page again, after an invalid
 * reply: whatever it gave is forgotten. */
static void
ask_again(struct unit *u)
{

	log_msg(LOG_WARNING, "metrics: %s: asked again (%d of %d)",
	    u->err.message, u->tries + 1, BATCH_TRIES);
	u->failed = 0;
	u->nq = 0;	/* next_batch moves on by nq: none */
	next_batch(u);
}

/* A page of the batch of ${u} has come, ${body} of ${len} bytes. */
static void
on_data(const char *body, size_t len, const struct aws_error *e, void *ctx)
{
	struct unit *u = ctx;
	struct run *r = u->run;
	struct aws_error err;
	char *next = NULL;
	int rc;

	r->requests++;
	if (e != NULL) {
		if (!u->failed) {
			u->failed = 1;
			u->err = *e;
		}
		finish(u);
		return;
	}
	if ((rc = metricdata_parse(r->md, body, len, on_result, u,
	    &next)) == -1)
		note(u, "InvalidResponse", "GetMetricData: a malformed reply: "
		    "%s", metricdata_error(r->md));
	if (rc == 0 && aws_pages_next(&u->pages, "cloudwatch",
	    "GetMetricData", next, &err) == -1) {
		note(u, err.code, "%s", err.message);
		rc = -1;
	}
	if (rc == 0 && u->late[0] != '\0') {
		note(u, "InvalidResponse", "%s", u->late);
		rc = -1;
	}
	if (rc != 0) {
		free(next);
		/* An invalid reply may be a passing fault: the batch is
		 * asked again from its first page, up to BATCH_TRIES times. */
		if (strcmp(u->err.code, "InvalidResponse") == 0 &&
		    ++u->tries < BATCH_TRIES)
			ask_again(u);
		else
			finish(u);
		return;
	}
	free(u->token);
	if ((u->token = next) != NULL) {
		if (aws_client_json_raw(&u->cw, "GetMetricData", request(u),
		    on_data, u)) {
			note(u, "ClientError", "cannot queue GetMetricData");
			finish(u);
		}
		return;
	}
	if (write_batch(u)) {
		note(u, "ClientError", "cannot write the series: %s",
		    strerror(errno));
		r->error = 1;
		finish(u);
		return;
	}
	r->done += (uint64_t)u->nq * r->nslots;
	progress_update(r->progress, r->done, r->total, progress_now());
	u->tries = 0;
	next_batch(u);
}

/* Ask for the next batch of ${u}'s queries, or finish it. */
static void
next_batch(struct unit *u)
{
	struct run *r = u->run;
	size_t i, nq = u->g->nres * NMETRICS;

	u->q0 += u->nq;
	if (u->q0 >= nq) {
		u->nq = 0;
		if (commit(u)) {
			note(u, "ClientError", "cannot write the day's file");
			r->error = 1;
		}
		finish(u);
		return;
	}
	u->nq = nq - u->q0 < r->batch ? nq - u->q0 : r->batch;
	for (i = 0; i < u->nq * r->nslots; i++)
		u->vals[i] = NAN;
	for (i = 0; i < u->nq; i++)
		u->count[i] = 0;
	free(u->token);
	u->token = NULL;
	aws_pages_free(&u->pages);
	u->late[0] = '\0';
	if (aws_client_json_raw(&u->cw, "GetMetricData", request(u), on_data,
	    u)) {
		note(u, "ClientError", "cannot queue GetMetricData");
		finish(u);
	}
}

/* Start ${u}: its client, its output, its first batch. */
static void
start_unit(struct run *r, struct unit *u)
{
	struct aws_creds *c;
	char unit[160], date[DATETIME_LEN], *path;

	r->active++;
	unit_name(u, unit, sizeof(unit));
	if ((c = u->creds = aws_creds_member(r->chain, u->g->account,
	    r->o->role, u->g->region, r->own)) == NULL ||
	    aws_client_init(&u->cw, r->http, "cloudwatch", u->g->region,
	    r->cfg, r->o->profile, c)) {
		note(u, "ClientError", "cannot set up the CloudWatch client");
		finish(u);
		return;
	}
	if (r->o->inputs != NULL)
		u->fp = tmpfile();
	else if ((path = projdir_path(r->pd, PROJDIR_METRICS, u->g->account,
	    u->g->region, datetime_format_date(date, u->day))) != NULL) {
		if (atomicio_sweep(path) == 0 &&
		    (u->a = atomicio_open(path, 0644)) != NULL)
			u->fp = atomicio_fp(u->a);
		free(path);
	}
	if (u->fp == NULL || (u->vals = malloc(r->batch * r->nslots *
	    sizeof(*u->vals))) == NULL || (u->count = calloc(r->batch,
	    sizeof(*u->count))) == NULL) {
		warn("%s", unit);
		note(u, "ClientError", "cannot start");
		r->error = 1;
		finish(u);
		return;
	}
	next_batch(u);
}

/* Start units until the concurrency is reached or none is left. */
static void
start_units(struct run *r)
{
	struct slot *s;
	struct unit *u;

	/* A unit that fails at once finishes, which starts units: the
	 * loop below goes on instead, however many fail. */
	if (r->starting)
		return;
	r->starting = 1;
	while (r->next < r->ntodo && r->active < (size_t)r->o->concurrency) {
		s = &r->todo[r->next];
		if ((u = calloc(1, sizeof(*u))) == NULL) {
			warn("metrics");
			r->error = 1;
			r->ntodo = r->next;	/* start no more */
			break;
		}
		u->run = r;
		u->g = s->g;
		u->day = s->day;
		u->idx = r->next++;
		s->u = u;
		start_unit(r, u);
	}
	r->starting = 0;
}

/* The options that decide what a unit holds, for --resume. */
static json_t *
params(const struct run *r)
{
	json_t *p, *t;
	char **v;

	p = json_pack("{s:i, s:s?}", "period", r->period, "table_regex",
	    r->o->table_regex);
	if (p != NULL && r->o->tables != NULL) {
		t = json_array();
		for (v = r->o->tables; *v != NULL; v++)
			json_array_append_new(t, json_string(*v));
		json_object_set_new(p, "tables", t);
	}
	return (p);
}

/* The table regex, compiled; -1 if it is bad (reported). */
static int
compile(struct run *r)
{

	if (r->o->table_regex == NULL)
		return (0);
	return ((r->re = re2_compile(r->o->table_regex, "--table-regex")) ==
	    NULL ? -1 : 0);
}

/* Print what was collected: the tables whose every day was (all of them
 * but those of an account and region with a unit that failed), those
 * denied, the days, datapoints, series and requests. */
static void
summary(struct run *r, FILE *out)
{
	char first[DATETIME_LEN], last[DATETIME_LEN];
	json_t *regions = json_object();
	size_t i, j, n, tables = 0, ok = 0, denied = 0, failed = 0;

	for (i = 0; i < r->ngroups; i++) {
		json_object_set_new(regions, r->groups[i].region, json_true());
		n = 0;
		for (j = 0; j < r->groups[i].nres; j++)
			n += r->groups[i].res[j].index == NULL;
		tables += n;
		if (r->groups[i].denied > 0)
			denied += n;
		else if (r->groups[i].failed > 0)
			failed += n;
		else
			ok += n;
	}
	if (ok == tables)
		fprintf(out, "Collected metrics for %zu table%s across %zu "
		    "region%s\n", tables, tables == 1 ? "" : "s",
		    json_object_size(regions),
		    json_object_size(regions) == 1 ? "" : "s");
	else
		fprintf(out, "Collected metrics for %zu of %zu table%s across "
		    "%zu region%s\n", ok, tables, tables == 1 ? "" : "s",
		    json_object_size(regions),
		    json_object_size(regions) == 1 ? "" : "s");
	if (denied > 0)
		fprintf(out, "  %zu table%s denied (GetMetricData: access "
		    "denied)\n", denied, denied == 1 ? "" : "s");
	if (failed > 0)
		fprintf(out, "  %zu table%s with days not collected\n", failed,
		    failed == 1 ? "" : "s");
	fprintf(out, "  %lld day%s, %s to %s, at %d-second periods: %llu "
	    "datapoint%s in %llu series, %llu request%s\n",
	    (long long)((r->o->end - r->o->start) / DAY),
	    r->o->end - r->o->start == DAY ? "" : "s",
	    datetime_format_date(first, r->o->start),
	    datetime_format_date(last, r->o->end - DAY), r->period,
	    (unsigned long long)r->points, r->points == 1 ? "" : "s",
	    (unsigned long long)r->series, (unsigned long long)r->requests,
	    r->requests == 1 ? "" : "s");
	if (r->failed > 0)
		fprintf(out, "%zu of %zu account-region-day%s not collected (see "
		    "the warnings above); rerun with --resume to retry them\n",
		    r->failed, r->ntodo, r->ntodo == 1 ? "" : "s");
	json_decref(regions);
}

/**
 * metrics_run(pd, cfg, opts, out):
 * Collect as ${opts} says into ${pd}, for the tables of its tables/ files,
 * with the AWS shared files ${cfg}, printing the summary to ${out}.  With
 * opts->inputs, collect for the tables of those files instead and write
 * the series to opts->records, unit after unit in order, leaving ${pd}
 * alone.  Return 0 if every unit was collected, 1 if some were not (or on
 * an error, reported), 75 if some failed on a transient AWS error after
 * every retry.
 */
int
metrics_run(struct projdir *pd, const struct aws_config *cfg,
    const struct metrics_opts *o, FILE *out)
{
	struct run r;
	struct aws_client sts;
	struct aws_error e;
	json_t *p = NULL;
	char unit[160], date[DATETIME_LEN];
	size_t i, j, ndays, n = 0;
	time_t day, now = time(NULL);
	int rc = 1, done = 0;

	memset(&r, 0, sizeof(r));
	r.pd = pd;
	r.cfg = cfg;
	r.o = o;
	if ((r.period = metrics_period(o->start, now)) == -1) {
		warnx("the window starts %s, and CloudWatch keeps no data "
		    "older than 455 days", datetime_format_date(date, o->start));
		return (1);
	}
	if (r.period > 60)
		fprintf(out, "The window starts %.1f days ago, beyond the %s "
		    "CloudWatch keeps %s data: collecting at %d-second "
		    "periods\n", (double)(now - o->start) / DAY,
		    r.period == 300 ? "15 days" : "63 days",
		    r.period == 300 ? "1-minute" : "5-minute", r.period);
	r.nslots = DAY / (size_t)r.period;
	r.batch = MAXPOINTS / r.nslots;
	if (r.batch > MAXQUERIES)
		r.batch = MAXQUERIES;
	if (r.batch > (size_t)o->batch)
		r.batch = (size_t)o->batch;
	ndays = (size_t)((o->end - o->start) / DAY);
	if ((r.index = json_object()) == NULL || compile(&r) ||
	    load_tables(&r) || (r.md = metricdata_new()) == NULL)
		goto out;
	for (i = 0; i < r.ngroups; i++)
		n += r.groups[i].nres > 0;
	if (n == 0) {
		warnx("no tables to collect metrics for%s", o->inputs ? "" :
		    " (run optima discover first, or check --tables, "
		    "--table-regex and --regions)");
		goto out;
	}

	if ((r.chain = aws_creds_chain(cfg, o->profile, o->region)) == NULL ||
	    (r.http = aws_http_new(NULL)) == NULL ||
	    aws_client_init(&sts, r.http, "sts", o->region, cfg, o->profile,
	    r.chain))
		goto out;
	if (aws_client_account(&sts, r.own, sizeof(r.own), &e)) {
		rc = e.retry != AWS_RETRY_NO ? 75 : 1;
		goto out;
	}
	if ((p = params(&r)) == NULL || (o->inputs == NULL &&
	    (r.cp = checkpoint_open(pd, "metrics", o->resume, now,
	    r.ngroups * ndays, p)) == NULL) ||
	    (r.todo = calloc(r.ngroups * ndays + 1, sizeof(*r.todo))) == NULL)
		goto out;
	for (i = 0; i < r.ngroups; i++)
		for (j = 0, day = o->start; j < ndays; j++, day += DAY) {
			snprintf(unit, sizeof(unit), "account=%s/region=%s/"
			    "date=%s", r.groups[i].account, r.groups[i].region,
			    datetime_format_date(date, day));
			if (r.cp != NULL && (done = checkpoint_done(r.cp,
			    unit)) < 0)
				goto out;
			if (r.cp != NULL && done)
				continue;
			r.todo[r.ntodo].g = &r.groups[i];
			r.todo[r.ntodo].day = day;
			r.ntodo++;
			r.groups[i].pending++;
			r.total += (uint64_t)r.groups[i].nres * NMETRICS *
			    r.nslots;
		}
	log_msg(LOG_INFO, "metrics: %zu account-regions, %zu days at %d s, "
	    "%zu units to do", r.ngroups, ndays, r.period, r.ntodo);
	r.progress = progress_new("Collecting metrics", "values", r.total,
	    progress_now());
	start_units(&r);
	if (aws_http_run(r.http))
		goto out;
	progress_end(r.progress, progress_now());
	r.progress = NULL;
	summary(&r, out);
	if (r.error)
		goto out;
	if (r.failed == 0) {
		if (r.cp != NULL && checkpoint_finish(r.cp))
			goto out;
		r.cp = NULL;
		rc = 0;
	} else
		rc = r.transient > 0 ? 75 : 1;
out:
	progress_end(r.progress, progress_now());
	checkpoint_free(r.cp);
	/* Units in flight when the transport failed are left to it. */
	for (i = r.emitted; i < r.next; i++)
		if (r.todo[i].u != NULL && r.todo[i].u->finished)
			unit_free(r.todo[i].u);
	free(r.todo);
	for (i = 0; i < r.ngroups; i++) {
		for (j = 0; j < r.groups[i].nres; j++) {
			free(r.groups[i].res[j].table);
			free(r.groups[i].res[j].index);
		}
		free(r.groups[i].res);
		json_decref(r.groups[i].tables);
	}
	free(r.groups);
	json_decref(r.index);
	json_decref(p);
	re2_free(r.re);
	metricdata_free(r.md);
	aws_http_free(r.http);
	aws_creds_free(r.chain);
	return (rc);
}
