#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "atomicio.h"
#include "aws_client.h"
#include "aws_creds.h"
#include "aws_http.h"
#include "aws_sigv4.h"
#include "aws_xml.h"
#include "checkpoint.h"
#include "cur.h"
#include "curfile.h"
#include "curusage.h"
#include "datetime.h"
#include "log.h"
#include "projdir.h"
#include "report.h"
#include "strbuf.h"

/* Ranged GETs of one data file in flight at once. */
#define INFLIGHT	4

/* Where downloads go, under state/, and what their names start with. */
#define STAGE		"cur"
#define PART		".part."

struct run {
	const struct cur_opts *o;
	struct projdir *pd;
	struct aws_http *http;
	struct aws_creds *chain;
	struct aws_client s3;
	char *bucket;		/* the report's */
	char *prefix;		/* where its manifests were looked for */
	const char *root;	/* the report: its key prefix, "cur/optima" */
	json_t *objects;	/* the listing: key -> size */
	json_t *reports;	/* root -> {cur2, format, periods: {P: key}} */
	char *statedir;		/* state/cur */
	size_t done, kept, failed, transients;
	int transient;		/* the last failure was transient */
	char ecode[128];	/* and its AWS error, for optima status */
	char emsg[1024];
	int noresources;	/* a file without resource ids was read */
	unsigned long files, items, dynamodb, records;
	uint64_t bytes;
	double net_usd;
};

/* A small object (a manifest, a listing) or an AWS error. */
struct reply {
	char *body;
	size_t len;
	int failed;
	struct aws_error err;
};

/* Report the AWS error ${e} of ${what}; remember if it was transient. */
static void
aws_failed(struct run *r, const char *what, const struct aws_error *e)
{

	if (aws_error_denied(e))
		warnx("%s: access denied: %s", what, e->message);
	else
		warnx("%s: %s%s%s", what, e->code, *e->message ? ": " : "",
		    e->message);
	if (e->retry != AWS_RETRY_NO)
		r->transient = 1;
	snprintf(r->ecode, sizeof(r->ecode), "%s", e->code);
	snprintf(r->emsg, sizeof(r->emsg), "%s: %s", what, e->message);
}

static void
reply_done(const char *body, size_t len, const struct aws_error *e,
    void *ctx)
{
	struct reply *rp = ctx;

	if (e != NULL) {
		rp->failed = 1;
		rp->err = *e;
		return;
	}
	if ((rp->body = malloc(len + 1)) == NULL) {
		rp->failed = 1;
		snprintf(rp->err.code, sizeof(rp->err.code), "ClientError");
		snprintf(rp->err.message, sizeof(rp->err.message),
		    "out of memory");
		return;
	}
	memcpy(rp->body, body, len);
	rp->body[len] = '\0';
	rp->len = len;
}

/* GET ${key} (NULL: the bucket, with ${query}) of ${bucket} into ${rp},
 * waiting for it.  Return 0, or -1 with the error in ${rp} (or reported,
 * if the request could not be made: then rp->err.code is empty). */
static int
s3_get(struct run *r, const char *bucket, const char *key, const char *query,
    struct reply *rp)
{

	memset(rp, 0, sizeof(*rp));
	rp->err.retry = AWS_RETRY_NO;
	if (aws_client_s3(&r->s3, "GET", bucket, key, query, NULL, reply_done,
	    rp) || aws_http_run(r->http)) {
		free(rp->body);
		rp->body = NULL;
		rp->failed = 1;
		return (-1);
	}
	return (rp->failed ? -1 : 0);
}

/* Report the failure of s3_get on ${what}. */
static void
get_failed(struct run *r, const char *what, const struct reply *rp)
{

	if (rp->err.code[0] != '\0')
		aws_failed(r, what, &rp->err);
}

/* "s3://bucket/key" of ${key}, into ${buf}. */
static const char *
uri(char *buf, size_t len, const char *bucket, const char *key)
{

	snprintf(buf, len, "s3://%s/%s", bucket, key);
	return (buf);
}

/* Where the bucket is: GetBucketLocation, else the home region. */
static const char *
bucket_region(struct run *r, char *buf, size_t len)
{
	struct reply rp;
	struct aws_xml *x;
	const char *where;

	if (s3_get(r, r->bucket, NULL, "location", &rp)) {
		log_msg(LOG_INFO, "cur: GetBucketLocation of %s: %s", r->bucket,
		    rp.err.code);
		return (r->o->region);
	}
	x = aws_xml_parse(rp.body, rp.len);
	where = x != NULL && x->text != NULL ? x->text : "";
	snprintf(buf, len, "%s", *where == '\0' ? "us-east-1" :
	    strcmp(where, "EU") == 0 ? "eu-west-1" : where);
	aws_xml_free(x);
	free(rp.body);
	return (projdir_valid_region(buf) ? buf : r->o->region);
}

/* List the bucket's keys under r->prefix into r->objects. */
static int
list(struct run *r)
{
	struct strbuf b;
	struct reply rp;
	struct aws_pages pages = { 0 };
	struct aws_error err;
	struct aws_xml *x = NULL;
	const struct aws_xml *c;
	const char *key, *size, *next;
	char *query, *token = NULL, what[1200];
	int more, rc = -1;

	uri(what, sizeof(what), r->bucket, r->prefix);
	do {
		strbuf_init(&b, 64 * 1024);
		strbuf_adds(&b, "list-type=2&prefix=");
		aws_sigv4_encode(&b, r->prefix, strlen(r->prefix), 0);
		if (token != NULL) {
			strbuf_adds(&b, "&continuation-token=");
			aws_sigv4_encode(&b, token, strlen(token), 0);
		}
		if ((query = strbuf_finish(&b)) == NULL) {
			warnx("%s: cannot build the request", what);
			goto out;
		}
		rc = s3_get(r, r->bucket, NULL, query, &rp);
		free(query);
		if (rc) {
			get_failed(r, what, &rp);
			goto out;
		}
		rc = -1;
		x = aws_xml_parse(rp.body, rp.len);
		free(rp.body);
		if (x == NULL || strcmp(x->name, "ListBucketResult") != 0) {
			warnx("%s: ListObjectsV2: not a listing", what);
			goto out;
		}
		for (c = x->child; c != NULL; c = c->next) {
			if (strcmp(c->name, "Contents") != 0)
				continue;
			key = aws_xml_text(c, "Key");
			size = aws_xml_text(c, "Size");
			if (key == NULL || json_object_set_new(r->objects, key,
			    json_integer(size ? strtoll(size, NULL, 10) : -1))) {
				warnx("%s: ListObjectsV2: a malformed listing",
				    what);
				goto out;
			}
		}
		more = (next = aws_xml_text(x, "IsTruncated")) != NULL &&
		    strcmp(next, "true") == 0;
		next = aws_xml_text(x, "NextContinuationToken");
		free(token);
		token = NULL;
		if (more && (next == NULL || *next == '\0')) {
			warnx("%s: ListObjectsV2: truncated, without a token",
			    what);
			goto out;
		}
		if (aws_pages_next(&pages, "s3", "ListObjectsV2", more ? next :
		    NULL, &err) == -1) {
			warnx("%s: %s: %s", what, err.code, err.message);
			goto out;
		}
		if (more && (token = strdup(next)) == NULL) {
			warn("%s", what);
			goto out;
		}
		aws_xml_free(x);
		x = NULL;
	} while (more);
	rc = 0;
out:
	aws_xml_free(x);
	free(token);
	aws_pages_free(&pages);
	return (rc);
}

/* Non-zero if the ${n} bytes at ${s} are digits. */
static int
digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return (0);
	return (1);
}

/*
 * If ${key} is a report's manifest, set ${rootlen} to the length of the
 * report's key prefix, ${period} to its billing period ("YYYY-MM") and
 * return 1 for a legacy report, 2 for a CUR 2.0 export; else return 0.
 *   legacy   ROOT/yyyymmdd-yyyymmdd/NAME-Manifest.json  (ROOT ends in NAME)
 *   CUR 2.0  ROOT/metadata/BILLING_PERIOD=YYYY-MM/NAME-Manifest.json
 */
static int
manifest(const char *key, size_t *rootlen, char period[8])
{
	const char *c[5], *p;
	size_t n = 0, i, len[5], nl;

	/* The last five parts of the key. */
	for (p = key + strlen(key); n < 5; n++) {
		i = 0;
		while (p > key && p[-1] != '/') {
			p--;
			i++;
		}
		c[4 - n] = p;
		len[4 - n] = i;
		if (p == key) {
			n++;
			break;
		}
		p--;
	}
	if (n < 3 || len[4] <= 14 || strcmp(c[4] + len[4] - 14,
	    "-Manifest.json") != 0)
		return (0);
	nl = len[4] - 14;
	/* Legacy: the name is the report's, the date range's directory. */
	if (len[3] == 17 && digits(c[3], 8) && c[3][8] == '-' &&
	    digits(c[3] + 9, 8) && len[2] == nl &&
	    strncmp(c[2], c[4], nl) == 0) {
		*rootlen = (size_t)(c[2] - key) + nl;
		snprintf(period, 8, "%.4s-%.2s", c[3], c[3] + 4);
		return (1);
	}
	if (n >= 4 && len[2] == 8 && strncmp(c[2], "metadata", 8) == 0 &&
	    len[3] == 22 && strncmp(c[3], "BILLING_PERIOD=", 15) == 0 &&
	    digits(c[3] + 15, 4) && c[3][19] == '-' && digits(c[3] + 20, 2) &&
	    len[1] == nl && strncmp(c[1], c[4], nl) == 0) {
		*rootlen = (size_t)(c[1] - key) + nl;
		snprintf(period, 8, "%.7s", c[3] + 15);
		return (2);
	}
	return (0);
}

static int
ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return (n >= k && strcmp(s + n - k, suffix) == 0);
}

/* Group the manifests of the listing into reports. */
static int
find_reports(struct run *r)
{
	const char *key, *root, *fmt;
	json_t *v, *rep, *o;
	char period[8], *rk;
	size_t rootlen, n;
	int kind;

	json_object_foreach(r->objects, key, v) {
		if ((kind = manifest(key, &rootlen, period)) == 0)
			continue;
		if ((rk = strndup(key, rootlen)) == NULL)
			goto nomem;
		if ((rep = json_object_get(r->reports, rk)) == NULL &&
		    ((rep = json_pack("{s:b, s:{}}", "cur2", kind == 2,
		    "periods")) == NULL ||
		    json_object_set_new(r->reports, rk, rep))) {
			free(rk);
			goto nomem;
		}
		free(rk);
		if (json_object_set_new(json_object_get(rep, "periods"),
		    period, json_string(key)))
			goto nomem;
	}
	/* A report's format: that of its data files. */
	json_object_foreach(r->reports, root, rep) {
		n = strlen(root);
		fmt = NULL;
		json_object_foreach(r->objects, key, o) {
			if (strncmp(key, root, n) != 0 || key[n] != '/')
				continue;
			if (ends(key, ".parquet"))
				fmt = "parquet";
			else if (fmt == NULL && (ends(key, ".csv.gz") ||
			    ends(key, ".csv")))
				fmt = "csv";
		}
		if (json_object_set_new(rep, "format", fmt ? json_string(fmt) :
		    json_null()))
			goto nomem;
	}
	return (0);
nomem:
	warnx("cur: out of memory");
	return (-1);
}

/* The one report of the listing, preferring opts->format among several. */
static const char *
choose_report(struct run *r)
{
	const char *root, *only = NULL, *fmt;
	char where[1200];
	json_t *rep;
	size_t n = 0;

	uri(where, sizeof(where), r->bucket, r->prefix);
	if (json_object_size(r->reports) == 0) {
		warnx("%s: no report here: no manifest named "
		    "PREFIX/NAME/yyyymmdd-yyyymmdd/NAME-Manifest.json (legacy "
		    "CUR) or PREFIX/NAME/metadata/BILLING_PERIOD=YYYY-MM/"
		    "NAME-Manifest.json (CUR 2.0)", where);
		return (NULL);
	}
	if (json_object_size(r->reports) == 1) {
		json_object_foreach(r->reports, root, rep)
			return (root);
	}
	json_object_foreach(r->reports, root, rep) {
		fmt = json_string_value(json_object_get(rep, "format"));
		if (fmt != NULL && strcmp(fmt, r->o->format) == 0) {
			only = root;
			n++;
		}
	}
	if (n == 1)
		return (only);
	warnx("%s holds %zu reports; give --prefix as one of them:",
	    where, json_object_size(r->reports));
	json_object_foreach(r->reports, root, rep)
		fprintf(stderr, "    %s (%s, %s)\n", root,
		    json_is_true(json_object_get(rep, "cur2")) ? "CUR 2.0" :
		    "legacy", (fmt = json_string_value(json_object_get(rep,
		    "format"))) ? fmt : "no data");
	return (NULL);
}

/*
 * Discovery.  The management account's reports are of two kinds: legacy
 * report definitions (cur:DescribeReportDefinitions) and CUR 2.0 data
 * exports (bcm-data-exports:ListExports, then GetExport of each).  Both
 * are asked; either may be denied or fail without stopping the other.
 * Each readable one becomes a candidate: {kind, name, bucket, prefix,
 * region, format, granularity, resources}; the best is read.
 */

/* Pages of a listing, or an export's definition: the replies collected. */
struct pages {
	json_t *list;		/* the items of every page */
	const char *field;	/* where a page has them */
	const char *service, *action;
	char *token;
	struct aws_pages pages;
	int failed;
	struct aws_error err;
};

static void
pages_done(json_t *out, const struct aws_error *e, void *ctx)
{
	struct pages *d = ctx;
	const char *t;
	json_t *v;
	size_t i;

	free(d->token);
	d->token = NULL;
	if (e != NULL) {
		d->failed = 1;
		d->err = *e;
		return;
	}
	if (d->field == NULL) {
		json_array_append(d->list, out);
		return;
	}
	json_array_foreach(json_object_get(out, d->field), i, v)
		json_array_append(d->list, v);
	t = json_string_value(json_object_get(out, "NextToken"));
	if (aws_pages_next(&d->pages, d->service, d->action, t, &d->err) == -1)
		d->failed = 1;
	else if (t != NULL && *t != '\0' && (d->token = strdup(t)) == NULL) {
		memset(&d->err, 0, sizeof(d->err));
		snprintf(d->err.code, sizeof(d->err.code), "ClientError");
		snprintf(d->err.message, sizeof(d->err.message), "%s: out of "
		    "memory", d->action);
		d->failed = 1;
	}
}

/* Every page of ${action} of ${cl} (${max} items a page), its ${field}
 * items appended to d->list.  Return 0, -1 if the request could not be
 * made, or 1 if AWS refused it (error in d->err). */
static int
all_pages(struct run *r, struct aws_client *cl, const char *action, int max,
    struct pages *d)
{
	json_t *in;

	d->service = cl->svc->name;
	d->action = action;
	do {
		in = json_pack("{s:i}", "MaxResults", max);
		if (in != NULL && d->token != NULL)
			json_object_set_new(in, "NextToken",
			    json_string(d->token));
		if (aws_client_json(cl, action, in, pages_done, d) ||
		    aws_http_run(r->http))
			return (-1);
		if (d->failed)
			return (1);
	} while (d->token != NULL);
	return (0);
}

static const char *
str(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return (v != NULL ? v : "");
}

/* Add a candidate to ${cands}. */
static int
candidate(json_t *cands, const char *kind, const char *name,
    const char *bucket, const char *prefix, const char *region,
    const char *format, const char *unit, int resources)
{

	return (json_array_append_new(cands, json_pack("{s:s, s:s, s:s, s:s, "
	    "s:s, s:s, s:s, s:b}", "kind", kind, "name", name, "bucket",
	    bucket, "prefix", prefix, "region", region, "format", format,
	    "granularity", unit, "resources", resources)));
}

/* The legacy report definitions into ${cands}.  Return 0, -1 on an error
 * that stops everything, 1 if AWS refused (reported). */
static int
legacy_reports(struct run *r, const struct aws_config *cfg, json_t *cands)
{
	struct aws_client cl;
	struct pages d;
	json_t *v, *e;
	const char *name, *bucket;
	size_t i, j;
	int rc = -1, res;

	memset(&d, 0, sizeof(d));
	d.field = "ReportDefinitions";
	if ((d.list = json_array()) == NULL ||
	    aws_client_init(&cl, r->http, "cur", "us-east-1", cfg,
	    r->o->profile, r->chain))
		goto out;
	if ((rc = all_pages(r, &cl, "DescribeReportDefinitions", 5, &d)) != 0) {
		if (rc == 1)
			aws_failed(r, "cur:DescribeReportDefinitions", &d.err);
		goto out;
	}
	json_array_foreach(d.list, i, v) {
		name = str(v, "ReportName");
		bucket = str(v, "S3Bucket");
		if (*name == '\0' || *bucket == '\0') {
			warnx("cur:DescribeReportDefinitions: a report without "
			    "a name or bucket");
			continue;
		}
		/* ZIP archives are not read. */
		if (strcasecmp(str(v, "Compression"), "ZIP") == 0) {
			log_msg(LOG_INFO, "cur: report %s: ZIP, not read", name);
			continue;
		}
		res = 0;
		json_array_foreach(json_object_get(v,
		    "AdditionalSchemaElements"), j, e)
			if (strcmp(json_string_value(e) ? json_string_value(e) :
			    "", "RESOURCES") == 0)
				res = 1;
		if (candidate(cands, "report", name, bucket, str(v, "S3Prefix"),
		    str(v, "S3Region"), *str(v, "Format") ? str(v, "Format") :
		    "?", *str(v, "TimeUnit") ? str(v, "TimeUnit") : "?", res))
			goto nomem;
	}
	rc = 0;
	goto out;
nomem:
	warnx("cur: out of memory");
	rc = -1;
out:
	free(d.token);
	aws_pages_free(&d.pages);
	json_decref(d.list);
	return (rc);
}

/* Non-zero if ${c} may be part of an SQL name. */
static int
namech(char c)
{

	return (c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'));
}

/* Non-zero if ${s} has the name ${w}, in any case. */
static int
has_word(const char *s, const char *w)
{
	size_t n = strlen(w);
	const char *p;

	for (p = s; *p != '\0'; p++)
		if (strncasecmp(p, w, n) == 0 && (p == s || !namech(p[-1])) &&
		    !namech(p[n]))
			return (1);
	return (0);
}

/* Export ${x} (GetExport's Export) as a candidate into ${cands}, if it
 * reads the Cost and Usage Report into files optima reads. */
static int
export_candidate(const json_t *x, json_t *cands)
{
	const json_t *q = json_object_get(x, "DataQuery"), *s3, *o, *t;
	const char *name = str(x, "Name"), *query = str(q, "QueryStatement");
	int res;

	t = json_object_get(json_object_get(q, "TableConfigurations"),
	    "COST_AND_USAGE_REPORT");
	s3 = json_object_get(json_object_get(x, "DestinationConfigurations"),
	    "S3Destination");
	o = json_object_get(s3, "S3OutputConfigurations");
	if (!has_word(query, "COST_AND_USAGE_REPORT")) {
		log_msg(LOG_INFO, "cur: export %s does not read "
		    "COST_AND_USAGE_REPORT: %.80s", name, query);
		return (0);
	}
	if (*name == '\0' || *str(s3, "S3Bucket") == '\0') {
		warnx("bcm-data-exports:GetExport: an export without a name or "
		    "an S3 bucket");
		return (0);
	}
	if (strcasecmp(str(o, "Compression"), "ZIP") == 0) {
		log_msg(LOG_INFO, "cur: export %s: ZIP, not read", name);
		return (0);
	}
	/* Resource ids: asked for, and the query selects them. */
	res = strcasecmp(str(t, "INCLUDE_RESOURCES"), "TRUE") == 0 &&
	    (has_word(query, "line_item_resource_id") ||
	    strstr(query, "*") != NULL);
	return (candidate(cands, "export", name, str(s3, "S3Bucket"),
	    str(s3, "S3Prefix"), str(s3, "S3Region"), *str(o, "Format") ?
	    str(o, "Format") : "?", *str(t, "TIME_GRANULARITY") ? str(t,
	    "TIME_GRANULARITY") : "?", res));
}

/* The CUR 2.0 data exports into ${cands}: ListExports, then GetExport of
 * each, all at once.  Return 0, -1 on an error that stops everything, 1
 * if AWS refused the listing (reported). */
static int
data_exports(struct run *r, const struct aws_config *cfg, json_t *cands)
{
	struct aws_client cl;
	struct pages d, *g = NULL;
	json_t *v;
	size_t i, n = 0;
	int rc = -1;

	memset(&d, 0, sizeof(d));
	d.field = "Exports";
	if ((d.list = json_array()) == NULL ||
	    aws_client_init(&cl, r->http, "bcm-data-exports", "us-east-1", cfg,
	    r->o->profile, r->chain))
		goto out;
	if ((rc = all_pages(r, &cl, "ListExports", 100, &d)) != 0) {
		if (rc == 1)
			aws_failed(r, "bcm-data-exports:ListExports", &d.err);
		goto out;
	}
	rc = -1;
	n = json_array_size(d.list);
	if (n > 0 && (g = calloc(n, sizeof(*g))) == NULL) {
		warn("cur");
		goto out;
	}
	json_array_foreach(d.list, i, v) {
		/* Those queued must still end before g is freed. */
		if ((g[i].list = json_array()) == NULL ||
		    aws_client_json(&cl, "GetExport", json_pack("{s:s}",
		    "ExportArn", str(v, "ExportArn")), pages_done, &g[i])) {
			aws_http_run(r->http);
			goto out;
		}
	}
	if (aws_http_run(r->http))
		goto out;
	for (i = 0; i < n; i++) {
		if (g[i].failed) {
			aws_failed(r, "bcm-data-exports:GetExport", &g[i].err);
			continue;
		}
		if (export_candidate(json_object_get(json_array_get(g[i].list,
		    0), "Export"), cands)) {
			warnx("cur: out of memory");
			goto out;
		}
	}
	rc = 0;
out:
	for (i = 0; g != NULL && i < n; i++)
		json_decref(g[i].list);
	free(g);
	free(d.token);
	aws_pages_free(&d.pages);
	json_decref(d.list);
	return (rc);
}

/* How much a candidate suits: resource ids, then a daily or hourly
 * granularity, then the format; a legacy report before an export. */
static int
suits(const json_t *c, const char *format)
{
	const char *f = str(c, "format");
	int score = 0;

	if (json_is_true(json_object_get(c, "resources")))
		score += 8;
	if (strcasecmp(str(c, "granularity"), "MONTHLY") != 0)
		score += 4;
	if ((strcasecmp(f, "Parquet") == 0) == (strcmp(format, "parquet") == 0))
		score += 2;
	if (strcmp(str(c, "kind"), "report") == 0)
		score++;
	return (score);
}

/* Find the report from the account's legacy report definitions and CUR
 * 2.0 data exports: set r->bucket and r->prefix, and the bucket's region
 * into ${region}; say which to ${out}. */
static int
discover(struct run *r, const struct aws_config *cfg, char *region,
    size_t len, FILE *out)
{
	const json_t *best = NULL;
	json_t *cands, *v;
	const char *name, *prefix, *where, *what;
	size_t i, n;
	int rc = -1, s, bs = -1, lr, er;

	if ((cands = json_array()) == NULL)
		return (-1);
	if ((lr = legacy_reports(r, cfg, cands)) < 0 ||
	    (er = data_exports(r, cfg, cands)) < 0)
		goto out;
	json_array_foreach(cands, i, v) {
		log_msg(LOG_INFO, "cur: %s %s: s3://%s/%s, %s, %s, %s",
		    str(v, "kind"), str(v, "name"), str(v, "bucket"),
		    str(v, "prefix"), str(v, "format"), str(v, "granularity"),
		    json_is_true(json_object_get(v, "resources")) ?
		    "resource ids" : "no resource ids");
		if ((s = suits(v, r->o->format)) > bs) {
			best = v;
			bs = s;
		}
	}
	if (best == NULL) {
		warnx("no Cost and Usage Report found: %s, %s; they are the "
		    "management (payer) account's; else give --bucket and "
		    "--prefix", lr ? "cur:DescribeReportDefinitions failed" :
		    "cur:DescribeReportDefinitions lists no report",
		    er ? "bcm-data-exports:ListExports failed" :
		    "bcm-data-exports:ListExports lists no CUR 2.0 export");
		goto out;
	}
	/* Failures of the other API are behind us. */
	r->transient = 0;
	name = str(best, "name");
	prefix = str(best, "prefix");
	where = str(best, "region");
	n = strlen(prefix) + strlen(name) + 3;
	if ((r->bucket = strdup(str(best, "bucket"))) == NULL ||
	    (r->prefix = malloc(n)) == NULL) {
		warn("cur");
		goto out;
	}
	/* The files of both are under PREFIX/NAME/ (no PREFIX: NAME/). */
	snprintf(r->prefix, n, "%s%s%s/", prefix, *prefix && prefix[strlen(
	    prefix) - 1] != '/' ? "/" : "", name);
	snprintf(region, len, "%s", projdir_valid_region(where) ? where :
	    r->o->region);
	what = strcmp(str(best, "kind"), "report") == 0 ? "report" :
	    "CUR 2.0 export";
	fprintf(out, "Reading the %s %s (%s, %s, %s resource ids) of "
	    "s3://%s/%s\n", what, name, str(best, "format"), str(best,
	    "granularity"), bs >= 8 ? "with" : "without", r->bucket,
	    r->prefix);
	if (bs < 8)
		warnx("the %s %s has no resource ids (%s): its line items do "
		    "not name their tables, so its records are per account and "
		    "region; for figures per table, %s", what, name,
		    strcmp(what, "report") == 0 ? "RESOURCES is not among its "
		    "AdditionalSchemaElements" : "its table configuration's "
		    "INCLUDE_RESOURCES is not TRUE",
		    strcmp(what, "report") == 0 ? "include resource ids in the "
		    "report definition" : "create an export with "
		    "INCLUDE_RESOURCES TRUE");
	if (json_array_size(cands) > 1)
		log_msg(LOG_INFO, "cur: %zu reports and exports, %s chosen",
		    json_array_size(cands), name);
	rc = 0;
out:
	json_decref(cands);
	return (rc);
}

/* One data file on its way to disk. */
struct dl {
	struct run *r;
	const char *what;	/* its URI */
	const char *bucket, *key;
	int fd;
	long long size;		/* -1: unknown (ends at a short chunk) */
	long long next;		/* the next offset to ask for */
	long long got;		/* bytes written */
	int inflight, eof, whole, failed;
	struct aws_error err;
};

struct chunk {
	struct dl *d;
	long long off;
	char range[64];
};

static void chunk_done(const char *, size_t, const struct aws_error *,
    void *);

/* Ask for chunks of ${d} until INFLIGHT are on their way. */
static void
more(struct dl *d)
{
	struct chunk *c;
	long long n = (long long)d->r->o->chunk;

	while (!d->failed && !d->eof && !d->whole && d->inflight < INFLIGHT &&
	    (d->size < 0 || d->next < d->size)) {
		if ((c = calloc(1, sizeof(*c))) == NULL) {
			warn("%s", d->what);
			d->failed = 1;
			return;
		}
		c->d = d;
		c->off = d->next;
		snprintf(c->range, sizeof(c->range), "bytes=%lld-%lld", c->off,
		    c->off + n - 1);
		if (aws_client_s3(&d->r->s3, "GET", d->bucket, d->key, NULL,
		    c->range, chunk_done, c)) {
			free(c);
			d->failed = 1;
			return;
		}
		d->next += n;
		d->inflight++;
	}
}

static void
chunk_done(const char *body, size_t len, const struct aws_error *e,
    void *ctx)
{
	struct chunk *c = ctx;
	struct dl *d = c->d;
	long long n = (long long)d->r->o->chunk;
	size_t done;
	ssize_t w;

	d->inflight--;
	if (d->failed || d->whole)
		goto out;
	if (e != NULL) {
		/* Past the end of an object of unknown size. */
		if (d->size < 0 && c->off > 0 && e->status == 416)
			d->eof = 1;
		else {
			d->failed = 1;
			d->err = *e;
		}
		goto out;
	}
	if ((long long)len > n) {
		/* The whole object, the range ignored. */
		if (c->off != 0) {
			d->failed = 1;
			snprintf(d->err.code, sizeof(d->err.code),
			    "InvalidResponse");
			snprintf(d->err.message, sizeof(d->err.message),
			    "more bytes than the range asked for");
			goto out;
		}
		d->whole = 1;
		d->got = 0;
	}
	for (done = 0; done < len; done += (size_t)w)
		if ((w = pwrite(d->fd, body + done, len - done,
		    (off_t)c->off + (off_t)done)) == -1) {
			if (errno == EINTR) {
				w = 0;
				continue;
			}
			warn("%s: writing the download", d->what);
			d->failed = 1;
			goto out;
		}
	d->got += (long long)len;
	d->r->bytes += len;
	if (!d->whole && (long long)len < n) {
		if (d->size >= 0 && c->off + (long long)len != d->size) {
			d->failed = 1;
			snprintf(d->err.code, sizeof(d->err.code),
			    "InvalidResponse");
			snprintf(d->err.message, sizeof(d->err.message),
			    "a short read at byte %lld", c->off +
			    (long long)len);
			goto out;
		}
		d->eof = 1;
	}
out:
	free(c);
	more(d);
}

/* Download ${key} of ${bucket} into a new temporary file, whose path is
 * returned (malloced), or NULL (reported). */
static char *
download(struct run *r, const char *bucket, const char *key,
    const char *what)
{
	struct dl d;
	json_t *size;
	char *path;
	size_t n;

	if (atomicio_mkdirs(r->statedir))
		return (NULL);
	n = strlen(r->statedir) + sizeof("/" PART "XXXXXX");
	if ((path = malloc(n)) == NULL) {
		warn("%s", what);
		return (NULL);
	}
	snprintf(path, n, "%s/" PART "XXXXXX", r->statedir);
	memset(&d, 0, sizeof(d));
	if (projdir_check(r->pd, path)) {
		free(path);
		return (NULL);
	}
	if ((d.fd = mkstemp(path)) == -1) {
		warn("%s", path);
		free(path);
		return (NULL);
	}
	d.r = r;
	d.what = what;
	d.bucket = bucket;
	d.key = key;
	d.size = -1;
	if (strcmp(bucket, r->bucket) == 0 && (size = json_object_get(
	    r->objects, key)) != NULL)
		d.size = json_integer_value(size);
	more(&d);
	if (aws_http_run(r->http))
		d.failed = 1;
	if (!d.failed && d.size >= 0 && d.got != d.size) {
		d.failed = 1;
		snprintf(d.err.code, sizeof(d.err.code), "InvalidResponse");
		snprintf(d.err.message, sizeof(d.err.message),
		    "%lld bytes of %lld", d.got, d.size);
	}
	if (close(d.fd) && !d.failed) {
		warn("%s", path);
		d.failed = 1;
	}
	if (d.failed) {
		if (d.err.code[0] != '\0')
			aws_failed(r, what, &d.err);
		unlink(path);
		free(path);
		return (NULL);
	}
	r->files++;
	return (path);
}

/* Remove the downloads an interrupted run left behind. */
static int
sweep(struct run *r)
{
	struct dirent *de;
	DIR *dir;
	char path[4096];
	int rc = 0;

	/* Never through a link: state/cur/ must be a directory itself. */
	snprintf(path, sizeof(path), "%s/", r->statedir);
	if (projdir_check(r->pd, path))
		return (-1);
	if ((dir = opendir(r->statedir)) == NULL)
		return (errno == ENOENT ? 0 : (warn("%s", r->statedir), -1));
	while ((de = readdir(dir)) != NULL) {
		if (strncmp(de->d_name, PART, strlen(PART)) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", r->statedir, de->d_name);
		if (unlink(path) && errno != ENOENT) {
			warn("%s", path);
			rc = -1;
		}
	}
	closedir(dir);
	return (rc);
}

/* What reading a period's files adds to. */
struct period {
	struct run *r;
	struct curusage *cu;
	const char *name;	/* "YYYY-MM" */
};

static int
add_item(const struct curfile_item *it, void *ctx)
{
	struct period *p = ctx;

	return (curusage_add(p->cu, it, p->name));
}

/* Read one data file ${path} (named ${what}) into ${cu}. */
static int
read_file(struct run *r, const char *path, const char *what,
    struct curusage *cu, const char *period)
{
	struct curfile_info info;
	struct period p = { r, cu, period };

	if (curfile_read(path, what, add_item, &p, &info))
		return (-1);
	if (!info.resources && !r->noresources) {
		warnx("%s: no resource ids: the report was made without "
		    "RESOURCES (legacy CUR) or INCLUDE_RESOURCES (CUR 2.0), so "
		    "no line item names its table; its records are per account "
		    "and region, with \"table\": null", what);
		r->noresources = 1;
	}
	log_msg(LOG_INFO, "cur: %s: %s, %lu line items", what, info.format,
	    info.rows);
	return (0);
}

int
cur_manifest_keys(const json_t *m, const char *bucket, json_t *keys)
{
	const char *s, *slash;
	json_t *list, *v;
	size_t i;

	if (json_is_array(list = json_object_get(m, "reportKeys"))) {
		json_array_foreach(list, i, v) {
			if ((s = json_string_value(v)) == NULL || *s == '\0')
				return (-1);
			json_array_append_new(keys, json_pack("[s, s]",
			    bucket, s));
		}
		return (0);
	}
	if (json_is_array(list = json_object_get(m, "dataFiles"))) {
		json_array_foreach(list, i, v) {
			if ((s = json_string_value(v)) == NULL ||
			    strncmp(s, "s3://", 5) != 0 ||
			    (slash = strchr(s + 5, '/')) == NULL ||
			    slash == s + 5 || slash[1] == '\0' ||
			    slash - (s + 5) > 63)
				return (-1);
			json_array_append_new(keys, json_pack("[s%, s]",
			    s + 5, (size_t)(slash - (s + 5)), slash + 1));
		}
		return (0);
	}
	return (-1);
}

/*
 * Whether a report of no line items for ${period} may replace its file
 * ${path}: only if the file holds no record either.  A report of a period
 * that had line items cannot lose them all (AWS revises a bill, it does
 * not empty it); a data file of nothing but blank lines or a header is
 * more likely broken than the bill empty, and the records collected
 * before are kept.
 */
static int
may_empty(struct run *r, const char *path, const char *period)
{
	struct stat st;

	if (stat(path, &st) == -1 || st.st_size == 0)
		return (1);
	warnx("billing period %s: the report has no line items, but %s holds "
	    "%lld bytes of records collected before: kept as it was", period,
	    path, (long long)st.st_size);
	snprintf(r->emsg, sizeof(r->emsg), "the report of %s has no line "
	    "items, where an earlier one had some", period);
	return (0);
}

/* Collect billing period ${period}, whose manifest is ${mkey}. */
static int
collect(struct run *r, struct checkpoint *cp, const char *period,
    const char *mkey)
{
	struct curusage *cu = NULL;
	struct curusage_stats st;
	struct atomicio *a = NULL;
	struct reply rp;
	json_error_t je;
	json_t *m = NULL, *keys = NULL, *v;
	char what[1200], unit[64], *path = NULL, *tmp;
	const char *bucket, *key;
	size_t i;
	long n;
	int rc = -1;

	snprintf(unit, sizeof(unit), "billing_period=%s", period);
	uri(what, sizeof(what), r->bucket, mkey);
	memset(&rp, 0, sizeof(rp));
	if (s3_get(r, r->bucket, mkey, NULL, &rp)) {
		get_failed(r, what, &rp);
		goto out;
	}
	if ((m = json_loadb(rp.body, rp.len, 0, &je)) == NULL ||
	    !json_is_object(m)) {
		warnx("%s:%d:%d: %s", what, je.line, je.column, m == NULL ?
		    je.text : "not a JSON object");
		goto out;
	}
	if ((keys = json_array()) == NULL || (cu = curusage_new()) == NULL)
		goto out;
	if (cur_manifest_keys(m, r->bucket, keys)) {
		warnx("%s: not a manifest (no reportKeys or dataFiles of S3 "
		    "keys)", what);
		goto out;
	}
	json_array_foreach(keys, i, v) {
		bucket = json_string_value(json_array_get(v, 0));
		key = json_string_value(json_array_get(v, 1));
		uri(what, sizeof(what), bucket, key);
		if ((tmp = download(r, bucket, key, what)) == NULL)
			goto out;
		n = read_file(r, tmp, what, cu, period);
		unlink(tmp);
		free(tmp);
		if (n)
			goto out;
	}
	if ((path = projdir_path(r->pd, PROJDIR_CUR, NULL, NULL, period)) ==
	    NULL || (curusage_stats(cu).items == 0 && !may_empty(r, path,
	    period)) || atomicio_sweep(path) || (a = atomicio_open(path,
	    0644)) == NULL)
		goto out;
	if ((n = curusage_write(cu, period, atomicio_fp(a))) < 0) {
		warn("%s", path);
		goto out;
	}
	rc = atomicio_commit(a);
	a = NULL;
	if (rc == 0 && (rc = checkpoint_mark(cp, unit, time(NULL))) == 0) {
		st = curusage_stats(cu);
		r->items += st.items;
		r->dynamodb += st.dynamodb;
		r->records += (unsigned long)n;
		r->net_usd += st.net_usd;
		log_msg(LOG_INFO, "cur: %s: %lu line items, %lu of DynamoDB, "
		    "%ld records", period, st.items, st.dynamodb, n);
	}
out:
	atomicio_abort(a);
	free(path);
	free(rp.body);
	json_decref(m);
	json_decref(keys);
	curusage_free(cu);
	return (rc);
}

/* The first day of the month after ${period} ("YYYY-MM"); -1 if it is
 * not a month. */
static time_t
month_end(const char *period)
{
	time_t t;
	int y, m;

	if (datetime_parse_month(&t, period))
		return (-1);
	y = (period[0] - '0') * 1000 + (period[1] - '0') * 100 +
	    (period[2] - '0') * 10 + (period[3] - '0');
	m = (period[5] - '0') * 10 + (period[6] - '0');
	return (m == 12 ? datetime_from_civil(y + 1, 1, 1) :
	    datetime_from_civil(y, m + 1, 1));
}

/* The latest opts->months complete periods of the report, oldest first,
 * into ${want} (an array of [period, manifest key]). */
static int
periods(struct run *r, const json_t *rep, json_t *want)
{
	const json_t *ps = json_object_get(rep, "periods");
	const char *p, *open = NULL, **v;
	json_t *k;
	size_t n = 0, i, j;

	if ((v = calloc(json_object_size(ps) + 1, sizeof(*v))) == NULL) {
		warn("cur");
		return (-1);
	}
	json_object_foreach((json_t *)ps, p, k) {
		if (month_end(p) == -1)
			continue;
		if (month_end(p) > r->o->now) {
			open = p;
			continue;
		}
		/* Insertion sort: periods are few. */
		for (i = n; i > 0 && strcmp(v[i - 1], p) > 0; i--)
			v[i] = v[i - 1];
		v[i] = p;
		n++;
	}
	if (n == 0) {
		warnx("s3://%s/%s: no complete billing period yet%s%s", r->bucket,
		    r->root, open ? "; the current one is " : "", open ? open :
		    "");
		free(v);
		return (-1);
	}
	if (n < (size_t)r->o->months)
		fprintf(stderr, "The report has %zu complete billing period%s, "
		    "not %d\n", n, n == 1 ? "" : "s", r->o->months);
	for (j = n > (size_t)r->o->months ? n - (size_t)r->o->months : 0;
	    j < n; j++)
		json_array_append_new(want, json_pack("[s, O]", v[j],
		    json_object_get(ps, v[j])));
	free(v);
	return (0);
}

/* Print what was collected: periods, files, line items, the net cost of
 * DynamoDB, records, and what was kept or failed. */
static void
summary(struct run *r, const json_t *want, FILE *out)
{
	char m[64];
	json_t *v;
	size_t i;

	fprintf(out, "Collected the Cost and Usage Report of s3://%s/%s for "
	    "%zu billing period%s:", r->bucket, r->root, r->done + r->kept,
	    r->done + r->kept == 1 ? "" : "s");
	json_array_foreach(want, i, v)
		fprintf(out, " %s", json_string_value(json_array_get(v, 0)));
	fprintf(out, "\n");
	if (r->done > 0)
		fprintf(out, "  %lu file%s, %llu byte%s: %lu line item%s, %lu "
		    "of DynamoDB (%s net), %lu cur_usage record%s\n",
		    r->files, r->files == 1 ? "" : "s",
		    (unsigned long long)r->bytes, r->bytes == 1 ? "" : "s",
		    r->items, r->items == 1 ? "" : "s", r->dynamodb,
		    report_money(m, sizeof(m), r->net_usd, 2), r->records,
		    r->records == 1 ? "" : "s");
	if (r->kept > 0)
		fprintf(out, "  %zu billing period%s collected before were "
		    "kept (--resume)\n", r->kept, r->kept == 1 ? "" : "s");
	if (r->failed > 0)
		fprintf(out, "%zu billing period%s not collected (see the "
		    "messages above); rerun with --resume to retry\n",
		    r->failed, r->failed == 1 ? "" : "s");
}

/* Read the files on disk: records to opts->records. */
static int
filter(struct run *r)
{
	struct curusage *cu;
	char *const *f;
	int rc = 1;

	if ((cu = curusage_new()) == NULL)
		return (1);
	for (f = r->o->inputs; *f != NULL; f++)
		if (read_file(r, *f, strcmp(*f, "-") ? *f : "standard input",
		    cu, NULL))
			goto out;
	if (curusage_write(cu, NULL, r->o->records) < 0)
		warn("standard output");
	else
		rc = 0;
out:
	curusage_free(cu);
	return (rc);
}

/**
 * cur_run(pd, cfg, opts, out):
 * Collect the billing periods ${opts} asks for into ${pd} with the AWS
 * shared files ${cfg}, printing the summary to ${out}.  With opts->inputs,
 * read those files instead and write the records of every billing period
 * in them to opts->records, only once every file was read.  Return 0 if
 * every period was collected, 1 if some were not (or on an error,
 * reported), 75 if some failed on a transient AWS error after every retry.
 */
int
cur_run(struct projdir *pd, const struct aws_config *cfg,
    const struct cur_opts *o, FILE *out)
{
	struct run r;
	struct checkpoint *cp = NULL;
	json_t *want = NULL, *p = NULL, *v;
	const char *period;
	char region[32], unit[64], *state = NULL;
	size_t i, n;
	int rc = 1, done;

	memset(&r, 0, sizeof(r));
	r.o = o;
	r.pd = pd;
	if (o->inputs != NULL)
		return (filter(&r));

	if ((r.objects = json_object()) == NULL ||
	    (r.reports = json_object()) == NULL ||
	    (want = json_array()) == NULL ||
	    (r.chain = aws_creds_chain(cfg, o->profile, o->region)) == NULL ||
	    (r.http = aws_http_new(NULL)) == NULL)
		goto out;
	snprintf(region, sizeof(region), "%s", o->region);
	if (o->bucket == NULL) {
		if (discover(&r, cfg, region, sizeof(region), out))
			goto fail;
	} else {
		n = o->prefix ? strlen(o->prefix) : 0;
		if ((r.bucket = strdup(o->bucket)) == NULL ||
		    (r.prefix = malloc(n + 2)) == NULL) {
			warn("cur");
			goto out;
		}
		/* A prefix is a directory: "cur/optima" is not "cur/optima-x". */
		snprintf(r.prefix, n + 2, "%s%s", n ? o->prefix : "",
		    n && o->prefix[n - 1] != '/' ? "/" : "");
	}
	if (aws_client_init(&r.s3, r.http, "s3", region, cfg, o->profile,
	    r.chain))
		goto out;
	if (o->bucket != NULL && aws_client_init(&r.s3, r.http, "s3",
	    bucket_region(&r, region, sizeof(region)), cfg, o->profile,
	    r.chain))
		goto out;
	if (list(&r) || find_reports(&r))
		goto fail;
	if ((r.root = choose_report(&r)) == NULL ||
	    periods(&r, json_object_get(r.reports, r.root), want))
		goto out;
	log_msg(LOG_INFO, "cur: s3://%s/%s, %zu billing periods", r.bucket,
	    r.root, json_array_size(want));

	if ((state = projdir_path(pd, PROJDIR_STATE, NULL, NULL, NULL)) ==
	    NULL || (r.statedir = malloc(strlen(state) + sizeof("/" STAGE))) ==
	    NULL)
		goto out;
	snprintf(r.statedir, strlen(state) + sizeof("/" STAGE), "%s/" STAGE,
	    state);
	if ((p = json_pack("{s:s, s:s}", "bucket", r.bucket, "report",
	    r.root)) == NULL || (cp = checkpoint_open(pd, STAGE, o->resume,
	    time(NULL), json_array_size(want), p)) == NULL || sweep(&r))
		goto out;
	json_array_foreach(want, i, v) {
		period = json_string_value(json_array_get(v, 0));
		snprintf(unit, sizeof(unit), "billing_period=%s", period);
		if ((done = checkpoint_done(cp, unit)) < 0)
			goto out;
		if (done) {
			r.kept++;
			continue;
		}
		r.transient = 0;
		snprintf(r.ecode, sizeof(r.ecode), "InvalidData");
		snprintf(r.emsg, sizeof(r.emsg), "a manifest or data file of "
		    "%s could not be read or written", period);
		if (collect(&r, cp, period, json_string_value(
		    json_array_get(v, 1))) == 0) {
			r.done++;
			continue;
		}
		r.failed++;
		r.transients += r.transient;
		if (checkpoint_fail(cp, unit, time(NULL), r.ecode, r.emsg))
			goto out;
	}
	summary(&r, want, out);
	if (r.failed > 0) {
		rc = r.failed > r.transients ? 1 : 75;
		goto out;
	}
	if (checkpoint_finish(cp))
		goto out;
	cp = NULL;
	rc = 0;
	goto out;
fail:
	rc = r.transient ? 75 : 1;
out:
	checkpoint_free(cp);
	json_decref(p);
	json_decref(want);
	json_decref(r.objects);
	json_decref(r.reports);
	free(state);
	free(r.statedir);
	free(r.bucket);
	free(r.prefix);
	aws_http_free(r.http);
	aws_creds_free(r.chain);
	return (rc);
}
