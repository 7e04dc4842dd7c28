#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "atomicio.h"
#include "aws_client.h"
#include "aws_creds.h"
#include "aws_http.h"
#include "aws_xml.h"
#include "checkpoint.h"
#include "cmdline.h"
#include "discover.h"
#include "log.h"
#include "ndjson.h"
#include "progress.h"
#include "projdir.h"

/* The regions enabled by default in the aws partition, when the account's
 * own list cannot be had (botocore partitions.json, no opt-in). */
static const char *const default_regions[] = {
	"ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1",
	"ap-southeast-1", "ap-southeast-2", "ca-central-1", "eu-central-1",
	"eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1",
	"us-east-1", "us-east-2", "us-west-1", "us-west-2", NULL
};

struct run;

/* One account and region. */
struct unit {
	struct run *run;
	char account[16], region[32];
	struct aws_client ddb, aas;
	struct aws_creds *creds;
	json_t *tables;		/* name -> table record */
	json_t *scaling;	/* "resource|dimension" -> {min, max, target} */
	struct aws_pages tables_pages, targets_pages, policies_pages;
	int outstanding;
	int failed;
	struct aws_error err;
	size_t idx;		/* in run->todo */
	int finished;
	char *out;		/* filter: the records, until their turn */
	size_t outlen;
};

/* A unit to do: made when started, freed when finished (the filter's
 * when written out), so memory follows the concurrency, not the units. */
struct slot {
	const char *account, *region;	/* borrowed for the run */
	struct unit *u;
};

struct run {
	struct projdir *pd;
	const struct aws_config *cfg;
	const struct discover_opts *o;
	struct aws_http *http;
	struct aws_creds *chain;
	char own[16];
	struct checkpoint *cp;
	struct slot *todo;	/* units to do, in order */
	size_t ntodo, next, emitted, active, finished, failed, transient;
	unsigned long tables;
	unsigned long kept;	/* of tables: discovered before (--resume) */
	json_t *per_region;	/* region -> tables */
	json_t *accounts;	/* account records */
	struct progress *progress;
	int error;
	int starting;		/* in start_units: do not recurse */
};

/* A call of a unit in flight, and what it is about. */
struct pending {
	struct unit *u;
	char *name;		/* the table, for DescribeTable and tags */
	char *arn;
	struct aws_pages *pages;	/* tags: the pages so far, or NULL */
};

static void start_units(struct run *);
static void on_targets(json_t *, const struct aws_error *, void *);
static void on_policies(json_t *, const struct aws_error *, void *);

/* Keep the first error of ${u}. */
static void
note(struct unit *u, const struct aws_error *e)
{

	if (!u->failed)
		u->err = *e;
	u->failed = 1;
}

/* Whether ${v} is a DynamoDB table or index name: a string of 3 to 255
 * of A-Z a-z 0-9 _ . - (nothing else can name a file, a query or a
 * command line safely). */
static int
valid_name(const json_t *v)
{
	const char *s = json_string_value(v);
	size_t i, n = json_string_length(v);

	if (s == NULL || n < 3 || n > 255)
		return (0);
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '_' || s[i] == '.' || s[i] == '-'))
			return (0);
	return (1);
}

/* The name ${v} for a message, in ${buf} of ${len} bytes: in quotes, the
 * printable ASCII as it is (but \ and "), other bytes as \xHH, cut after
 * 64 bytes with the length said. */
static const char *
escape_name(char *buf, size_t len, const json_t *v)
{
	const unsigned char *s = (const unsigned char *)json_string_value(v);
	size_t i, k = 0, n = json_string_length(v);

	if (s == NULL) {
		snprintf(buf, len, "(not a string)");
		return (buf);
	}
	k += (size_t)snprintf(buf + k, len - k, "\"");
	for (i = 0; i < n && i < 64 && k + 8 < len; i++)
		if (s[i] >= ' ' && s[i] <= '~' && s[i] != '\\' && s[i] != '"')
			buf[k++] = (char)s[i];
		else
			k += (size_t)snprintf(buf + k, len - k, "\\x%02x", s[i]);
	snprintf(buf + k, len - k, "\"%s", i < n ? "..." : "");
	if (i < n && strlen(buf) + 32 < len)
		snprintf(buf + strlen(buf), len - strlen(buf), " (%zu bytes)",
		    n);
	return (buf);
}

/* Say that the table (${table} NULL) or the index of ${table} named ${v}
 * in ${account} and ${region} is skipped for its name. */
static void
bad_name(const char *account, const char *region, const char *table,
    const json_t *v)
{
	char name[400];

	escape_name(name, sizeof(name), v);
	if (table == NULL)
		warnx("account %s, region %s: table %s skipped: not a DynamoDB "
		    "table name (3 to 255 of A-Z a-z 0-9 _ . -)", account,
		    region, name);
	else
		warnx("account %s, region %s: table %s: index %s skipped: not "
		    "a DynamoDB index name (3 to 255 of A-Z a-z 0-9 _ . -)",
		    account, region, table, name);
	log_msg(LOG_WARNING, "discover account %s region %s: an %s name "
	    "skipped: %s", account, region, table ? "index" : "table", name);
}

static int
cmp_names(const void *a, const void *b)
{

	return (strcmp(*(const char *const *)a, *(const char *const *)b));
}

/* The checkpoint unit of ${u}. */
static const char *
unit_name(const struct unit *u, char *buf, size_t len)
{

	snprintf(buf, len, "account=%s/region=%s", u->account, u->region);
	return (buf);
}

/* Write ${u}'s tables to ${fp}, sorted by name.  Return 0, or -1 on a
 * write error (errno set). */
static int
write_tables(const struct unit *u, FILE *fp)
{
	const char **names, *name;
	json_t *rec;
	size_t i, n = json_object_size(u->tables);
	int rc = 0;

	if ((names = calloc(n + 1, sizeof(*names))) == NULL)
		return (-1);
	i = 0;
	json_object_foreach(u->tables, name, rec)
		names[i++] = name;
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n && rc == 0; i++)
		rc = ndjson_write(fp, json_object_get(u->tables, names[i]));
	free(names);
	return (rc);
}

/* Write ${u}'s tables to their file and mark the unit done. */
static int
commit(struct unit *u)
{
	struct run *r = u->run;
	struct atomicio *a;
	char unit[128], *path;
	int rc = -1;

	if ((path = projdir_path(r->pd, PROJDIR_TABLES, u->account, u->region,
	    NULL)) == NULL)
		return (-1);
	if (atomicio_sweep(path) || (a = atomicio_open(path, 0644)) == NULL)
		goto out;
	if (write_tables(u, atomicio_fp(a))) {
		warn("%s", path);
		atomicio_abort(a);
		goto out;
	}
	if (atomicio_commit(a))
		goto out;
	rc = checkpoint_mark(r->cp, unit_name(u, unit, sizeof(unit)),
	    time(NULL));
out:
	free(path);
	return (rc);
}

/* Keep ${u}'s tables as lines for the filter's output, in their turn. */
static int
keep(struct unit *u)
{
	FILE *fp;

	if ((fp = open_memstream(&u->out, &u->outlen)) == NULL ||
	    write_tables(u, fp) | fclose(fp)) {
		warn("discover");
		return (-1);
	}
	return (0);
}

static void
pending_free(struct pending *p)
{

	free(p->name);
	free(p->arn);
	if (p->pages != NULL)
		aws_pages_free(p->pages);
	free(p->pages);
	free(p);
}

/* Queue ${action} for ${u}; its callback settles it.  The pages of a
 * listing of tags so far, ${pages} (or NULL), go with it (freed if it
 * cannot be queued). */
static void
call(struct unit *u, struct aws_client *c, const char *action, json_t *in,
    void (*cb)(json_t *, const struct aws_error *, void *), const char *name,
    const char *arn, struct aws_pages *pages)
{
	struct pending *p;
	struct aws_error e;

	if ((p = calloc(1, sizeof(*p))) == NULL) {
		if (pages != NULL)
			aws_pages_free(pages);
		free(pages);
		json_decref(in);
		goto fail;
	}
	p->u = u;
	p->pages = pages;
	if ((name != NULL && (p->name = strdup(name)) == NULL) ||
	    (arn != NULL && (p->arn = strdup(arn)) == NULL)) {
		pending_free(p);
		json_decref(in);
		goto fail;
	}
	u->outstanding++;
	if (aws_client_json(c, action, in, cb, p) == 0)
		return;
	u->outstanding--;
	pending_free(p);
fail:
	memset(&e, 0, sizeof(e));
	snprintf(e.code, sizeof(e.code), "ClientError");
	snprintf(e.message, sizeof(e.message), "%s: out of memory", action);
	note(u, &e);
}

/* The auto scaling of ${resource}'s reads and writes in ${scaling}, or
 * null. */
static json_t *
scaling_of(const json_t *scaling, const char *resource, const char *kind)
{
	char key[1024];
	json_t *o, *v;
	const char *dims[2] = { "Read", "Write" };
	int i;

	o = json_object();
	for (i = 0; i < 2; i++) {
		snprintf(key, sizeof(key), "%s|dynamodb:%s:%sCapacityUnits",
		    resource, kind, dims[i]);
		v = json_object_get(scaling, key);
		/* Targets and policies answer in either order: the fields are
		 * laid out anew, in one order.  A target has both bounds. */
		json_object_set_new(o, i == 0 ? "read" : "write",
		    json_is_number(json_object_get(v, "min")) &&
		    json_is_number(json_object_get(v, "max")) ?
		    json_pack("{s:O, s:O, s:O?}", "min", json_object_get(v,
		    "min"), "max", json_object_get(v, "max"), "target",
		    json_object_get(v, "target")) : json_null());
	}
	if (json_is_null(json_object_get(o, "read")) &&
	    json_is_null(json_object_get(o, "write"))) {
		json_decref(o);
		return (json_null());
	}
	return (o);
}

void
discover_autoscaling(json_t *rec, const json_t *scaling)
{
	const char *name;
	json_t *idx;
	char res[1024];
	size_t i;

	name = json_string_value(json_object_get(rec, "table"));
	snprintf(res, sizeof(res), "table/%s", name);
	json_object_set_new(rec, "autoscaling", scaling_of(scaling, res,
	    "table"));
	json_array_foreach(json_object_get(rec, "indexes"), i, idx) {
		snprintf(res, sizeof(res), "table/%s/index/%s", name,
		    json_string_value(json_object_get(idx, "index")));
		json_object_set_new(idx, "autoscaling", scaling_of(scaling, res,
		    "index"));
	}
}

void
discover_scaling(json_t *scaling, const json_t *reply, int policies)
{
	const char *res, *dim;
	json_t *item, *entry, *v;
	char key[1024];
	size_t i;

	json_array_foreach(json_object_get(reply, policies ?
	    "ScalingPolicies" : "ScalableTargets"), i, item) {
		res = json_string_value(json_object_get(item, "ResourceId"));
		dim = json_string_value(json_object_get(item,
		    "ScalableDimension"));
		if (res == NULL || dim == NULL)
			continue;
		snprintf(key, sizeof(key), "%s|%s", res, dim);
		if ((entry = json_object_get(scaling, key)) == NULL) {
			entry = json_object();
			json_object_set_new(scaling, key, entry);
		}
		if (!policies) {
			if (json_is_number(v = json_object_get(item,
			    "MinCapacity")))
				json_object_set(entry, "min", v);
			if (json_is_number(v = json_object_get(item,
			    "MaxCapacity")))
				json_object_set(entry, "max", v);
		} else if (json_is_number(v = json_object_get(json_object_get(
		    item, "TargetTrackingScalingPolicyConfiguration"),
		    "TargetValue")))
			json_object_set(entry, "target", v);
	}
}

static void
unit_free(struct unit *u)
{

	json_decref(u->tables);
	json_decref(u->scaling);
	aws_pages_free(&u->tables_pages);
	aws_pages_free(&u->targets_pages);
	aws_pages_free(&u->policies_pages);
	free(u->out);
	free(u);
}

/* Write out and free the finished units at the head of the queue. */
static void
release(struct run *r)
{
	struct unit *u;

	for (; r->emitted < r->next; r->emitted++) {
		if ((u = r->todo[r->emitted].u) != NULL && !u->finished)
			break;
		if (u == NULL)
			continue;
		if (u->outlen > 0 && fwrite(u->out, 1, u->outlen,
		    r->o->records) != u->outlen) {
			warn("standard output");
			r->error = 1;
		}
		unit_free(u);
		r->todo[r->emitted].u = NULL;
	}
}

/* Whether a unit of ${account} is running or next to run (the units are
 * in account order, and those running lie between emitted and next). */
static int
in_use(const struct run *r, const char *account)
{
	size_t i;

	if (r->next < r->ntodo && strcmp(r->todo[r->next].account,
	    account) == 0)
		return (1);
	for (i = r->emitted; i < r->next; i++)
		if (r->todo[i].u != NULL && !r->todo[i].u->finished &&
		    strcmp(r->todo[i].u->account, account) == 0)
			return (1);
	return (0);
}

/*
 * Leave out, with a warning, the table records of ${u} longer than a line
 * of NDJSON may be (NDJSON_MAXLINE, optima-records(5)): every reader
 * would refuse the file, and with it the project.  The length is the one
 * ndjson_write gives (compact, reals to 15 digits).
 */
static void
drop_long(struct unit *u)
{
	const char *name;
	json_t *rec;
	void *tmp;
	size_t len;

	json_object_foreach_safe(u->tables, tmp, name, rec) {
		len = json_dumpb(rec, NULL, 0, JSON_COMPACT |
		    JSON_REAL_PRECISION(15));
		if (len > 0 && len <= NDJSON_MAXLINE)
			continue;
		warnx("account %s, region %s: table %s skipped: its record "
		    "would be %zu bytes, longer than the %d a line may be",
		    u->account, u->region, name, len, NDJSON_MAXLINE);
		log_msg(LOG_WARNING, "discover account %s region %s: table %s "
		    "skipped: a record of %zu bytes", u->account, u->region,
		    name, len);
		json_object_del(u->tables, name);
	}
}

/* Every call of ${u} has ended: write it, or say why not. */
static void
finish(struct unit *u)
{
	struct run *r = u->run;
	const char *name;
	json_t *n, *rec;
	const struct aws_error *why;
	char unit[128];

	if (u->failed) {
		/* No credentials: say why the role could not be assumed. */
		if (strcmp(u->err.code, "CredentialsError") == 0 &&
		    u->creds != NULL && (why = aws_creds_error(u->creds)) != NULL)
			u->err = *why;
		if (aws_error_denied(&u->err))
			warnx("account %s, region %s: access denied, skipped: "
			    "%s", u->account, u->region, u->err.message);
		else if (strcmp(u->err.code, "CredentialsError") == 0)
			warnx("account %s, region %s: no credentials (see "
			    "above), skipped", u->account, u->region);
		else
			warnx("account %s, region %s: %s: %s", u->account,
			    u->region, u->err.code, u->err.message);
		log_msg(LOG_WARNING, "discover account %s region %s: %s: %s",
		    u->account, u->region, u->err.code, u->err.message);
		r->failed++;
		if (u->err.retry != AWS_RETRY_NO)
			r->transient++;
		if (r->cp != NULL && checkpoint_fail(r->cp, unit_name(u, unit,
		    sizeof(unit)), time(NULL), u->err.code, u->err.message))
			r->error = 1;
	} else {
		json_object_foreach(u->tables, name, rec)
			discover_autoscaling(rec, u->scaling);
		drop_long(u);
		if ((r->o->targets != NULL ? keep(u) : commit(u)) != 0)
			r->error = 1;
		r->tables += json_object_size(u->tables);
		n = json_object_get(r->per_region, u->region);
		json_object_set_new(r->per_region, u->region, json_integer(
		    json_integer_value(n) + (json_int_t)json_object_size(
		    u->tables)));
		log_msg(LOG_INFO, "discover account %s region %s: %zu tables",
		    u->account, u->region, json_object_size(u->tables));
	}
	r->active--;
	r->finished++;
	progress_update(r->progress, r->finished, r->ntodo, progress_now());
	u->finished = 1;
	if (!in_use(r, u->account))
		aws_creds_member_drop(r->chain, u->account);
	if (r->o->targets == NULL) {
		r->todo[u->idx].u = NULL;
		unit_free(u);
	} else {
		/* Only the lines wait for their turn. */
		json_decref(u->tables);
		json_decref(u->scaling);
		u->tables = u->scaling = NULL;
	}
	release(r);
	start_units(r);
}

static void
settle(struct unit *u)
{

	if (--u->outstanding == 0)
		finish(u);
}

/* ${v} if it is a number, else NULL (null in a record). */
static json_t *
number(json_t *v)
{

	return (json_is_number(v) ? v : NULL);
}

/* ${v} if it is a string, else NULL (null in a record). */
static json_t *
string(json_t *v)
{

	return (json_is_string(v) ? v : NULL);
}

json_t *
discover_table(const json_t *t, const char *account, const char *region)
{
	json_t *rec, *pt, *idx, *g, *arr, *v;
	const char *name, *mode, *cls;
	size_t i;

	if (!valid_name(json_object_get(t, "TableName")) ||
	    !json_is_string(json_object_get(t, "TableArn")))
		return (NULL);
	name = json_string_value(json_object_get(t, "TableName"));
	mode = json_string_value(json_object_get(json_object_get(t,
	    "BillingModeSummary"), "BillingMode"));
	cls = json_string_value(json_object_get(json_object_get(t,
	    "TableClassSummary"), "TableClass"));
	pt = json_object_get(t, "ProvisionedThroughput");
	rec = json_pack("{s:s, s:s, s:s, s:s, s:O, s:s, s:s, s:O?, s:O?, s:O?,"
	    " s:O?, s:O?}",
	    "kind", "table", "account", account, "region", region,
	    "table", name, "arn", json_object_get(t, "TableArn"),
	    /* Absent summaries: never switched from the defaults. */
	    "billing_mode", mode ? mode : "PROVISIONED",
	    "table_class", cls ? cls : "STANDARD",
	    "read_capacity", number(json_object_get(pt, "ReadCapacityUnits")),
	    "write_capacity", number(json_object_get(pt,
	    "WriteCapacityUnits")),
	    "size_bytes", number(json_object_get(t, "TableSizeBytes")),
	    "item_count", number(json_object_get(t, "ItemCount")),
	    "status", string(json_object_get(t, "TableStatus")));
	if (rec == NULL)
		return (NULL);
	if ((v = number(json_object_get(t, "CreationDateTime"))) != NULL)
		json_object_set(rec, "created_epoch", v);
	/* When the class last changed: AWS allows 2 changes in 30 days. */
	if ((v = number(json_object_get(json_object_get(t,
	    "TableClassSummary"), "LastUpdateDateTime"))) != NULL)
		json_object_set(rec, "table_class_updated_epoch", v);
	arr = json_array();
	json_array_foreach(json_object_get(t, "GlobalSecondaryIndexes"), i, g) {
		if (!valid_name(v = json_object_get(g, "IndexName"))) {
			bad_name(account, region, name, v);
			continue;
		}
		pt = json_object_get(g, "ProvisionedThroughput");
		idx = json_pack("{s:O, s:O?, s:O?, s:O?, s:O?, s:O?}",
		    "index", v,
		    "read_capacity", number(json_object_get(pt,
		    "ReadCapacityUnits")),
		    "write_capacity", number(json_object_get(pt,
		    "WriteCapacityUnits")),
		    "size_bytes", number(json_object_get(g, "IndexSizeBytes")),
		    "item_count", number(json_object_get(g, "ItemCount")),
		    "status", string(json_object_get(g, "IndexStatus")));
		if (idx != NULL)
			json_array_append_new(arr, idx);
	}
	json_object_set_new(rec, "indexes", arr);
	arr = json_array();
	json_array_foreach(json_object_get(t, "Replicas"), i, g)
		if (json_is_string(v = json_object_get(g, "RegionName")))
			json_array_append(arr, v);
	json_object_set_new(rec, "replicas", arr);
	json_object_set_new(rec, "autoscaling", json_null());
	json_object_set_new(rec, "tags", json_object());
	return (rec);
}

void
discover_tags(json_t *rec, const json_t *reply)
{
	json_t *tags, *t, *k, *v;
	size_t i;

	tags = json_object_get(rec, "tags");
	json_array_foreach(json_object_get(reply, "Tags"), i, t)
		if (json_is_string(k = json_object_get(t, "Key")) &&
		    json_is_string(v = json_object_get(t, "Value")))
			json_object_set(tags, json_string_value(k), v);
}

static void on_tags(json_t *, const struct aws_error *, void *);

/* Ask for the page ${next} of the tags of ${p}'s table, unless the
 * listing goes round in circles. */
static void
more_tags(struct unit *u, struct pending *p, const char *next)
{
	struct aws_error err;

	if (p->pages == NULL &&
	    (p->pages = calloc(1, sizeof(*p->pages))) == NULL) {
		memset(&err, 0, sizeof(err));
		snprintf(err.code, sizeof(err.code), "ClientError");
		snprintf(err.message, sizeof(err.message), "ListTagsOfResource: "
		    "out of memory");
		note(u, &err);
		return;
	}
	if (aws_pages_next(p->pages, "dynamodb", "ListTagsOfResource", next,
	    &err) != 1) {
		note(u, &err);
		return;
	}
	call(u, &u->ddb, "ListTagsOfResource", json_pack("{s:s, s:s}",
	    "ResourceArn", p->arn, "NextToken", next), on_tags, p->name, p->arn,
	    p->pages);
	p->pages = NULL;
}

static void
on_tags(json_t *out, const struct aws_error *e, void *ctx)
{
	struct pending *p = ctx;
	struct unit *u = p->u;
	const char *next;

	if (e != NULL)
		note(u, e);
	else {
		discover_tags(json_object_get(u->tables, p->name), out);
		next = json_string_value(json_object_get(out, "NextToken"));
		if (next != NULL && *next != '\0')
			more_tags(u, p, next);
	}
	pending_free(p);
	settle(u);
}

static void
on_describe(json_t *out, const struct aws_error *e, void *ctx)
{
	struct pending *p = ctx;
	struct unit *u = p->u;
	json_t *rec;

	if (e != NULL)
		note(u, e);
	else if ((rec = discover_table(json_object_get(out, "Table"),
	    u->account, u->region)) == NULL) {
		struct aws_error bad = { .code = "InvalidResponse" };

		snprintf(bad.message, sizeof(bad.message), "DescribeTable %s: "
		    "an unexpected reply", p->name);
		note(u, &bad);
	} else {
		json_object_set_new(u->tables, p->name, rec);
		if (!u->run->o->skip_tags)
			call(u, &u->ddb, "ListTagsOfResource", json_pack("{s:O}",
			    "ResourceArn", json_object_get(rec, "arn")), on_tags,
			    p->name, json_string_value(json_object_get(rec,
			    "arn")), NULL);
	}
	pending_free(p);
	settle(u);
}

static void
on_list(json_t *out, const struct aws_error *e, void *ctx)
{
	struct pending *p = ctx;
	struct unit *u = p->u;
	struct aws_error err;
	json_t *name;
	const char *last;
	size_t i;

	if (e != NULL)
		note(u, e);
	else {
		json_array_foreach(json_object_get(out, "TableNames"), i, name) {
			if (!valid_name(name)) {
				bad_name(u->account, u->region, NULL, name);
				continue;
			}
			call(u, &u->ddb, "DescribeTable", json_pack("{s:O}",
			    "TableName", name), on_describe,
			    json_string_value(name), NULL, NULL);
		}
		last = json_string_value(json_object_get(out,
		    "LastEvaluatedTableName"));
		switch (aws_pages_next(&u->tables_pages, "dynamodb",
		    "ListTables", last, &err)) {
		case 1:
			call(u, &u->ddb, "ListTables", json_pack("{s:i, s:s}",
			    "Limit", 100, "ExclusiveStartTableName", last),
			    on_list, NULL, NULL, NULL);
			break;
		case -1:
			note(u, &err);
			break;
		}
	}
	pending_free(p);
	settle(u);
}

/* Scalable targets and scaling policies, page after page, by key. */
static void
on_scaling(json_t *out, const struct aws_error *e, void *ctx, int policies)
{
	struct pending *p = ctx;
	struct unit *u = p->u;
	struct aws_error err;
	const char *next, *action = policies ? "DescribeScalingPolicies" :
	    "DescribeScalableTargets";

	if (e != NULL)
		note(u, e);
	else {
		discover_scaling(u->scaling, out, policies);
		next = json_string_value(json_object_get(out, "NextToken"));
		switch (aws_pages_next(policies ? &u->policies_pages :
		    &u->targets_pages, "application-autoscaling", action, next,
		    &err)) {
		case 1:
			call(u, &u->aas, action, json_pack("{s:s, s:s}",
			    "ServiceNamespace", "dynamodb", "NextToken", next),
			    policies ? on_policies : on_targets, NULL, NULL,
			    NULL);
			break;
		case -1:
			note(u, &err);
			break;
		}
	}
	pending_free(p);
	settle(u);
}

static void
on_targets(json_t *out, const struct aws_error *e, void *ctx)
{

	on_scaling(out, e, ctx, 0);
}

static void
on_policies(json_t *out, const struct aws_error *e, void *ctx)
{

	on_scaling(out, e, ctx, 1);
}

/* Start the unit ${u}: its tables and the region's auto scaling. */
static void
start_unit(struct run *r, struct unit *u)
{
	struct aws_creds *c;
	struct aws_error e;

	r->active++;
	u->run = r;
	u->outstanding = 1;	/* held until every first call is queued */
	c = u->creds = aws_creds_member(r->chain, u->account, r->o->role,
	    u->region, r->own);
	if (c == NULL || aws_client_init(&u->ddb, r->http, "dynamodb",
	    u->region, r->cfg, r->o->profile, c) || aws_client_init(&u->aas,
	    r->http, "autoscaling", u->region, r->cfg, r->o->profile, c)) {
		memset(&e, 0, sizeof(e));
		snprintf(e.code, sizeof(e.code), "ClientError");
		snprintf(e.message, sizeof(e.message), "cannot set up clients");
		note(u, &e);
	} else {
		call(u, &u->ddb, "ListTables", json_pack("{s:i}", "Limit", 100),
		    on_list, NULL, NULL, NULL);
		call(u, &u->aas, "DescribeScalableTargets", json_pack("{s:s}",
		    "ServiceNamespace", "dynamodb"), on_targets, NULL, NULL, NULL);
		call(u, &u->aas, "DescribeScalingPolicies", json_pack("{s:s}",
		    "ServiceNamespace", "dynamodb"), on_policies, NULL, NULL,
		    NULL);
	}
	settle(u);
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
		if ((u = calloc(1, sizeof(*u))) == NULL ||
		    (u->tables = json_object()) == NULL ||
		    (u->scaling = json_object()) == NULL) {
			warn("discover");
			if (u != NULL)
				unit_free(u);
			r->error = 1;
			r->ntodo = r->next;	/* start no more */
			break;
		}
		snprintf(u->account, sizeof(u->account), "%s", s->account);
		snprintf(u->region, sizeof(u->region), "%s", s->region);
		u->idx = r->next++;
		s->u = u;
		start_unit(r, u);
	}
	r->starting = 0;
}

/* What one synchronous call gave: the JSON or XML reply, or the error. */
struct sync {
	json_t *json;
	struct aws_xml *xml;
	struct aws_error err;
	int failed;
};

static void
sync_json(json_t *out, const struct aws_error *e, void *ctx)
{
	struct sync *s = ctx;

	if ((s->failed = e != NULL))
		s->err = *e;
	else
		s->json = json_incref(out);
}

/* The caller's account id, into r->own; 0, -1 (reported) or 75 for a
 * transient failure. */
static int
whoami(struct run *r)
{
	struct aws_client sts;
	struct aws_error e;

	if (aws_client_init(&sts, r->http, "sts", r->o->region, r->cfg,
	    r->o->profile, r->chain))
		return (-1);
	if (aws_client_account(&sts, r->own, sizeof(r->own), &e) == 0)
		return (0);
	return (e.retry != AWS_RETRY_NO ? 75 : -1);
}

/* Add the account ${id} to the run if the filters let it in. */
static int
add_account(struct run *r, const char *id, const char *name,
    const char *email, const char *state)
{

	if ((r->o->accounts != NULL && !cmdline_listed(r->o->accounts, id)) ||
	    cmdline_listed(r->o->skip, id))
		return (0);
	return (json_array_append_new(r->accounts, json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:b}", "kind", "account", "account", id,
	    "name", name ? name : "", "email", email ? email : "",
	    "state", state ? state : "ACTIVE",
	    "management", strcmp(id, r->own) == 0)));
}

/* One target of the filter: an account record. */
static int
take_target(json_t *rec, const struct ndjson_pos *pos, void *ctx)
{
	struct run *r = ctx;
	const char *id;
	size_t i;
	json_t *a;

	id = json_string_value(json_object_get(rec, "account"));
	if (strcmp(json_string_value(json_object_get(rec, "kind")),
	    "account") != 0 || id == NULL || !projdir_valid_account(id)) {
		ndjson_warnx(pos, "not an account record with a 12-digit "
		    "\"account\"");
		return (-1);
	}
	/* The same account twice would be discovered twice. */
	json_array_foreach(r->accounts, i, a)
		if (strcmp(json_string_value(json_object_get(a, "account")),
		    id) == 0)
			return (0);
	return (add_account(r, id, json_string_value(json_object_get(rec,
	    "name")), json_string_value(json_object_get(rec, "email")),
	    json_string_value(json_object_get(rec, "state"))));
}

/* The accounts: the organization's active ones, or the caller's own. */
static int
list_accounts(struct run *r)
{
	struct aws_client org;
	struct aws_pages pages = { 0 };
	struct aws_error err;
	struct sync s;
	json_t *a, *next = NULL, *in;
	const char *state;
	size_t i;
	int rc = -1, more;

	if (r->o->targets != NULL)
		return (ndjson_foreach(r->o->targets, NDJSON_MAXLINE,
		    take_target, r));
	if (!r->o->use_org)
		return (add_account(r, r->own, NULL, NULL, NULL));
	if (aws_client_init(&org, r->http, "organizations", r->o->region, r->cfg,
	    r->o->profile, r->chain))
		return (-1);
	do {
		memset(&s, 0, sizeof(s));
		in = next ? json_pack("{s:O}", "NextToken", next) : NULL;
		json_decref(next);
		next = NULL;
		if (aws_client_json(&org, "ListAccounts", in, sync_json, &s) ||
		    aws_http_run(r->http))
			goto out;
		if (s.failed) {
			warnx("organizations ListAccounts: %s: %s", s.err.code,
			    s.err.message);
			rc = s.err.retry != AWS_RETRY_NO ? 75 : -1;
			goto out;
		}
		json_array_foreach(json_object_get(s.json, "Accounts"), i, a) {
			/* "Status" retires in 2026; "State" replaces it. */
			state = json_string_value(json_object_get(a, "State"));
			if (state == NULL)
				state = json_string_value(json_object_get(a,
				    "Status"));
			if (state == NULL || strcmp(state, "ACTIVE") != 0)
				continue;
			if (add_account(r, json_string_value(json_object_get(a,
			    "Id")), json_string_value(json_object_get(a, "Name")),
			    json_string_value(json_object_get(a, "Email")),
			    state)) {
				json_decref(s.json);
				goto out;
			}
		}
		next = json_incref(json_object_get(s.json, "NextToken"));
		json_decref(s.json);
		if ((more = aws_pages_next(&pages, "organizations",
		    "ListAccounts", json_string_value(next), &err)) == -1) {
			warnx("organizations ListAccounts: %s: %s", err.code,
			    err.message);
			goto out;
		}
	} while (more);
	rc = 0;
out:
	json_decref(next);
	aws_pages_free(&pages);
	return (rc);
}

/* The enabled regions of a DescribeRegions reply, as a JSON array. */
static void
sync_ec2(const struct aws_xml *x, const struct aws_error *e, void *ctx)
{
	struct sync *s = ctx;
	const struct aws_xml *item;
	const char *name;

	if ((s->failed = e != NULL)) {
		s->err = *e;
		return;
	}
	s->json = json_array();
	item = aws_xml_find(x, "regionInfo");
	for (item = item ? item->child : NULL; item != NULL; item = item->next)
		if ((name = aws_xml_text(item, "regionName")) != NULL &&
		    projdir_valid_region(name))
			json_array_append_new(s->json, json_string(name));
}

/* The regions: the option's, else those enabled for the caller's account
 * (EC2 DescribeRegions), else the partition's default ones.  A NULL-
 * terminated array of borrowed or static strings, in ${out}. */
static int
list_regions(struct run *r, const char ***out, json_t *keep)
{
	struct aws_client ec2;
	struct sync s = { 0 };
	const char **v;
	size_t n = 0, i;

	if (r->o->regions != NULL) {
		*out = (const char **)r->o->regions;
		return (0);
	}
	if (aws_client_init(&ec2, r->http, "ec2", r->o->region, r->cfg,
	    r->o->profile, r->chain) == 0 &&
	    aws_client_query(&ec2, "DescribeRegions", NULL, sync_ec2, &s) == 0 &&
	    aws_http_run(r->http) == 0 && !s.failed) {
		n = json_array_size(s.json);
		if ((v = calloc(n + 1, sizeof(*v))) == NULL)
			return (-1);
		for (i = 0; i < n; i++) {
			v[i] = json_string_value(json_array_get(s.json, i));
			json_array_append(keep, json_array_get(s.json, i));
		}
		json_decref(s.json);
		*out = v;
		return (n > 0 ? 0 : -1);
	}
	warnx("the enabled regions are unknown (%s): trying the partition's "
	    "default regions", s.failed ? s.err.code : "no answer");
	json_decref(s.json);
	*out = (const char **)default_regions;
	return (0);
}

/* Write the account records to accounts.ndjson. */
static int
write_accounts(struct run *r)
{
	struct atomicio *a;
	json_t *rec;
	char *path;
	size_t i;
	int rc = -1;

	if ((path = projdir_path(r->pd, PROJDIR_ACCOUNTS, NULL, NULL,
	    NULL)) == NULL || (a = atomicio_open(path, 0644)) == NULL)
		goto out;
	json_array_foreach(r->accounts, i, rec)
		if (ndjson_write(atomicio_fp(a), rec)) {
			warn("%s", path);
			atomicio_abort(a);
			goto out;
		}
	rc = atomicio_commit(a);
out:
	free(path);
	return (rc);
}

/* Count the tables of ${account} in ${region} a run before discovered
 * (the lines of their file), in the totals of ${r}: a resumed run reports
 * every table of the project, not only those it found.  Return -1 on an
 * error (reported). */
static int
count_kept(struct run *r, const char *account, const char *region)
{
	char *path, *line = NULL;
	size_t cap = 0;
	long long k = 0;
	json_t *n;
	FILE *fp;

	if ((path = projdir_path(r->pd, PROJDIR_TABLES, account, region,
	    NULL)) == NULL)
		return (-1);
	if ((fp = fopen(path, "r")) == NULL) {
		free(path);
		return (0);	/* none were found there */
	}
	while (getline(&line, &cap, fp) != -1)
		k += line[0] != '\n';
	free(line);
	fclose(fp);
	free(path);
	r->tables += (unsigned long)k;
	r->kept += (unsigned long)k;
	n = json_object_get(r->per_region, region);
	json_object_set_new(r->per_region, region, json_integer(
	    json_integer_value(n) + k));
	return (0);
}

/* The summary, in the original's words. */
static void
summary(struct run *r, FILE *out)
{
	const char *region;
	json_t *n;

	fprintf(out, "Discovered %lu DynamoDB table%s across %zu account%s\n",
	    r->tables, r->tables == 1 ? "" : "s", json_array_size(r->accounts),
	    json_array_size(r->accounts) == 1 ? "" : "s");
	if (r->kept > 0)
		fprintf(out, "  %lu of them discovered before and kept "
		    "(--resume)\n", r->kept);
	json_object_foreach(r->per_region, region, n)
		if (json_integer_value(n) > 0)
			fprintf(out, "  %s: %lld table%s\n", region,
			    (long long)json_integer_value(n),
			    json_integer_value(n) == 1 ? "" : "s");
	if (r->failed > 0)
		fprintf(out, "%zu of %zu account-region%s not discovered (see "
		    "the warnings above); rerun with --resume to retry them\n",
		    r->failed, r->ntodo, r->ntodo == 1 ? "" : "s");
}

/**
 * discover_run(pd, cfg, opts, out):
 * Discover as ${opts} says into ${pd}, with the AWS shared files ${cfg},
 * printing the summary to ${out}.  Units denied or failing are reported
 * and left unfinished.  Return 0 if every unit was discovered, 1 if some
 * were not (or on an error, reported), 75 if some failed on a transient
 * AWS error after every retry.
 */
int
discover_run(struct projdir *pd, const struct aws_config *cfg,
    const struct discover_opts *o, FILE *out)
{
	struct run r;
	const char **regions = NULL, *id;
	json_t *keep = json_array(), *acct, *params = NULL;
	char unit[128];
	size_t i, j, n = 0;
	int rc = 1, st, done = 0;

	memset(&r, 0, sizeof(r));
	r.pd = pd;
	r.cfg = cfg;
	r.o = o;
	r.accounts = json_array();
	r.per_region = json_object();
	if ((r.chain = aws_creds_chain(cfg, o->profile, o->region)) == NULL ||
	    (r.http = aws_http_new(NULL)) == NULL)
		goto out;
	if ((st = whoami(&r)) != 0 || (st = list_accounts(&r)) != 0) {
		rc = st == 75 ? 75 : 1;
		goto out;
	}
	/* Listing the accounts is all a sharded run needs to split them. */
	if (o->list_only) {
		if (write_accounts(&r))
			goto out;
		fprintf(out, "Listed %zu account%s\n",
		    json_array_size(r.accounts),
		    json_array_size(r.accounts) == 1 ? "" : "s");
		rc = 0;
		goto out;
	}
	if (list_regions(&r, &regions, keep) ||
	    (o->targets == NULL && write_accounts(&r)))
		goto out;
	while (regions[n] != NULL)
		n++;

	/* The units: every account in every region, less those done. */
	if ((params = json_pack("{s:b}", "skip_tags", o->skip_tags)) == NULL ||
	    (o->targets == NULL && (r.cp = checkpoint_open(pd, "discover",
	    o->resume, time(NULL), json_array_size(r.accounts) * n,
	    params)) == NULL) ||
	    (r.todo = calloc(json_array_size(r.accounts) * n + 1,
	    sizeof(*r.todo))) == NULL)
		goto out;
	json_array_foreach(r.accounts, i, acct) {
		id = json_string_value(json_object_get(acct, "account"));
		for (j = 0; j < n; j++) {
			snprintf(unit, sizeof(unit), "account=%s/region=%s", id,
			    regions[j]);
			if (r.cp != NULL && (done = checkpoint_done(r.cp,
			    unit)) < 0)
				goto out;
			if (r.cp != NULL && done) {
				if (count_kept(&r, id, regions[j]))
					goto out;
				continue;
			}
			r.todo[r.ntodo].account = id;
			r.todo[r.ntodo].region = regions[j];
			r.ntodo++;
		}
	}
	log_msg(LOG_INFO, "discover: %zu accounts, %zu regions, %zu units to do",
	    json_array_size(r.accounts), n, r.ntodo);
	r.progress = progress_new("Discovering", "account-regions", r.ntodo,
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
	if (regions != NULL && regions != (const char **)o->regions &&
	    regions != (const char **)default_regions)
		free(regions);
	json_decref(keep);
	json_decref(params);
	json_decref(r.accounts);
	json_decref(r.per_region);
	aws_http_free(r.http);
	aws_creds_free(r.chain);
	return (rc);
}
