#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aws_client.h"
#include "aws_creds.h"
#include "aws_http.h"
#include "parsenum.h"
#include "aws_sigv4.h"
#include "aws_xml.h"
#include "log.h"
#include "strbuf.h"

/* One call in flight: the request, its body, and where the answer goes. */
struct call {
	struct aws_http_request req;
	struct aws_http *http;
	char *body;
	char target[160];
	void (*json_done)(json_t *, const struct aws_error *, void *);
	void (*query_done)(const struct aws_xml *, const struct aws_error *,
	    void *);
	void (*raw_done)(const char *, size_t, const struct aws_error *,
	    void *);
	void *ctx;
	char *key;		/* S3: the object's key, encoded as a path */
	char *path;		/* GET, S3: the request path ("/bucket/key") */
	char *query, *range;
	char bucket[64];
	int redirected;
};

/**
 * aws_client_init(c, http, service, region, cfg, profile, creds):
 * Set ${c} up to call ${service} in ${region} through ${http} with
 * ${creds}; the endpoint follows the overrides in the environment and in
 * ${profile} of ${cfg} (either may be NULL).  The requests per second
 * are limited to $OPTIMA_RATE_<SERVICE> (e.g. OPTIMA_RATE_CLOUDWATCH),
 * by default 40 for CloudWatch (whose GetMetricData quota is 50 per
 * account and region) and none for the others.  Return 0, or -1 if the
 * service is unknown, an endpoint override or a rate is bad (reported).
 */
int
aws_client_init(struct aws_client *c, struct aws_http *http,
    const char *service, const char *region, const struct aws_config *cfg,
    const char *profile, struct aws_creds *creds)
{

	char var[96];
	const char *v;

	memset(c, 0, sizeof(*c));
	if ((c->svc = aws_service_find(service)) == NULL) {
		warnx("unknown AWS service %s", service);
		return (-1);
	}
	c->http = http;
	c->creds = creds;
	/* AWS's quotas are per account and region: one key per credentials. */
	snprintf(c->limit, sizeof(c->limit), "%s/%s/%p", service, region,
	    (void *)creds);
	snprintf(var, sizeof(var), "OPTIMA_RATE_%s", c->svc->env);
	if ((v = getenv(var)) != NULL && *v != '\0') {
		if (parsenum_double(&c->rate, v, 0, 1e6)) {
			warnx("%s=%s: %s", var, v, parsenum_strerror(errno));
			return (-1);
		}
	} else if (strcmp(service, "cloudwatch") == 0)
		c->rate = 40;
	return (aws_endpoint_resolve(c->svc, region, cfg, profile, &c->ep));
}

/* Non-zero if ${bucket} can be a host name label (no dots, lower case). */
static int
dns_bucket(const char *bucket)
{
	const char *p;

	if (strlen(bucket) < 3 || strlen(bucket) > 63 || bucket[0] == '-')
		return (0);
	for (p = bucket; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-'))
			return (0);
	return (1);
}

/*
 * Point ${cl}'s request at the S3 endpoint of ${region}: virtual-hosted
 * style (https://bucket.s3.region.amazonaws.com/key) when the bucket name
 * allows it and the endpoint is AWS's own, else path style.
 */
static int
s3_endpoint(struct call *cl, const char *region)
{
	struct aws_http_request *req = &cl->req;
	size_t n;

	snprintf(req->ep.signing_region, sizeof(req->ep.signing_region), "%s",
	    region);
	if (!req->ep.overridden) {
		snprintf(req->ep.url, sizeof(req->ep.url), "https://%s%ss3.%s.%s",
		    dns_bucket(cl->bucket) ? cl->bucket : "",
		    dns_bucket(cl->bucket) ? "." : "", region,
		    aws_partition_suffix(region));
	}
	free(cl->path);
	n = strlen(cl->bucket) + strlen(cl->key) + 2;
	if ((cl->path = malloc(n)) == NULL)
		return (-1);
	if (req->ep.overridden || !dns_bucket(cl->bucket))
		snprintf(cl->path, n, "/%s%s", cl->bucket, cl->key);
	else
		snprintf(cl->path, n, "%s", cl->key);
	req->path = cl->path;
	return (0);
}

/* A malformed reply to a 2xx: an error of its own, not retried. */
static void
bad_reply(struct aws_error *e, const struct aws_http_request *req,
    const struct aws_http_response *r, const char *what)
{

	memset(e, 0, sizeof(*e));
	snprintf(e->service, sizeof(e->service), "%s", req->svc->name);
	snprintf(e->code, sizeof(e->code), "InvalidResponse");
	snprintf(e->message, sizeof(e->message), "%s: %s", req->action, what);
	snprintf(e->request_id, sizeof(e->request_id), "%s",
	    r->request_id ? r->request_id : "");
	e->status = r->status;
	e->retry = AWS_RETRY_NO;
}

static void
call_free(struct call *cl)
{

	free(cl->body);
	free(cl->key);
	free(cl->path);
	free(cl->query);
	free(cl->range);
	free(cl);
}

static void
done(struct aws_http_request *req, const struct aws_http_response *r,
    void *ctx)
{
	struct call *cl = ctx;
	struct aws_error e;
	struct aws_xml *x = NULL;
	json_t *out = NULL;

	/* The request as made: never its headers, query or body. */
	log_msg(LOG_DEBUG, "request %s %s %s %s: HTTP %ld, %d attempt%s%s%s",
	    req->svc->name, req->action != NULL ? req->action : "-",
	    req->method, req->path != NULL ? req->path : "/", r->status,
	    r->attempts, r->attempts == 1 ? "" : "s", r->failed ? ", " : "",
	    r->failed ? r->err.code : "");

	/* S3 says the bucket is elsewhere: follow it, once. */
	if (r->failed && cl->raw_done != NULL && !cl->redirected &&
	    r->bucket_region != NULL && (r->status == 301 ||
	    strcmp(r->err.code, "AuthorizationHeaderMalformed") == 0 ||
	    strcmp(r->err.code, "PermanentRedirect") == 0) &&
	    s3_endpoint(cl, r->bucket_region) == 0) {
		cl->redirected = 1;
		aws_http_submit(cl->http, req);
		return;
	}
	if (r->failed && cl->raw_done != NULL)
		cl->raw_done(NULL, 0, &r->err, cl->ctx);
	else if (cl->raw_done != NULL)
		cl->raw_done(r->body, r->len, NULL, cl->ctx);
	else if (r->failed) {
		if (cl->json_done != NULL)
			cl->json_done(NULL, &r->err, cl->ctx);
		else
			cl->query_done(NULL, &r->err, cl->ctx);
	} else if (cl->json_done != NULL) {
		out = json_loadb(r->body, r->len, 0, NULL);
		if (!json_is_object(out)) {
			bad_reply(&e, req, r, "the reply is not a JSON object");
			cl->json_done(NULL, &e, cl->ctx);
		} else
			cl->json_done(out, NULL, cl->ctx);
	} else {
		if ((x = aws_xml_parse(r->body, r->len)) == NULL) {
			bad_reply(&e, req, r, "the reply is not XML");
			cl->query_done(NULL, &e, cl->ctx);
		} else
			cl->query_done(x, NULL, cl->ctx);
	}
	json_decref(out);
	aws_xml_free(x);
	call_free(cl);
}

/* Queue ${cl} with its body set: a POST of ${cl}->path, else of "/". */
static int
queue(struct aws_client *c, struct call *cl, const char *action,
    const char *content_type)
{
	struct aws_http_request *req = &cl->req;

	req->svc = c->svc;
	req->ep = c->ep;
	req->action = action;
	req->method = "POST";
	req->path = cl->path != NULL ? cl->path : "/";
	req->content_type = content_type;
	req->len = strlen(cl->body);
	req->body = cl->body;
	req->keys = (struct aws_key_source){ aws_creds_get, c->creds };
	req->limit = c->rate > 0 ? c->limit : NULL;
	req->rate = c->rate;
	req->done = done;
	req->ctx = cl;
	aws_http_submit(c->http, req);
	return (0);
}

/* Queue the JSON ${action} with ${input} (stolen); the reply goes to
 * ${json_cb} as JSON or to ${raw_cb} as it came. */
static int
json_call(struct aws_client *c, const char *action, json_t *input,
    void (*json_cb)(json_t *, const struct aws_error *, void *),
    void (*raw_cb)(const char *, size_t, const struct aws_error *, void *),
    void *ctx)
{
	struct call *cl;

	if ((cl = calloc(1, sizeof(*cl))) == NULL ||
	    (cl->body = input ? json_dumps(input, JSON_COMPACT) :
	    strdup("{}")) == NULL) {
		warnx("%s %s: cannot build the request", c->svc->name, action);
		free(cl);
		json_decref(input);
		return (-1);
	}
	json_decref(input);
	cl->json_done = json_cb;
	cl->raw_done = raw_cb;
	cl->ctx = ctx;
	/* REST-JSON: the action is the path, no target. */
	if (c->svc->protocol == AWS_PROTO_RESTJSON) {
		if ((cl->path = malloc(strlen(action) + 2)) == NULL) {
			warnx("%s %s: cannot build the request", c->svc->name,
			    action);
			call_free(cl);
			return (-1);
		}
		snprintf(cl->path, strlen(action) + 2, "/%s", action);
		return (queue(c, cl, action, "application/json"));
	}
	snprintf(cl->target, sizeof(cl->target), "%s.%s", c->svc->target,
	    action);
	cl->req.target = cl->target;
	return (queue(c, cl, action, c->svc->protocol == AWS_PROTO_JSON10 ?
	    "application/x-amz-json-1.0" : "application/x-amz-json-1.1"));
}

/**
 * aws_client_json(c, action, input, done, ctx):
 * Queue ${action} with the JSON object ${input} (stolen; NULL for {}).
 * When it ends, ${done}(output, err, ctx) runs with the reply (borrowed,
 * NULL on error) or the error (NULL on success).  Return 0, or -1 if it
 * cannot be queued (reported; ${done} will not run).
 */
int
aws_client_json(struct aws_client *c, const char *action, json_t *input,
    void (*cb)(json_t *, const struct aws_error *, void *), void *ctx)
{

	return (json_call(c, action, input, cb, NULL, ctx));
}

/**
 * aws_client_json_raw(c, action, input, done, ctx):
 * As aws_client_json, but ${done}(body, len, err, ctx) receives the reply
 * as it came (borrowed), for replies too large to hold as a tree.
 */
int
aws_client_json_raw(struct aws_client *c, const char *action, json_t *input,
    void (*cb)(const char *, size_t, const struct aws_error *, void *),
    void *ctx)
{

	return (json_call(c, action, input, NULL, cb, ctx));
}

/**
 * aws_client_query(c, action, params, done, ctx):
 * Queue the query-protocol ${action} with the encoded form ${params}
 * ("RoleArn=...&RoleSessionName=..."; may be NULL).  ${done}(tree, err,
 * ctx) receives the reply's XML tree (borrowed) or the error.  Return 0,
 * or -1 if it cannot be queued (reported; ${done} will not run).
 */
int
aws_client_query(struct aws_client *c, const char *action, const char *params,
    void (*cb)(const struct aws_xml *, const struct aws_error *, void *),
    void *ctx)
{
	struct strbuf b;
	struct call *cl;

	strbuf_init(&b, 16 * 1024 * 1024);
	strbuf_addf(&b, "Action=%s&Version=%s%s%s", action,
	    c->svc->version ? c->svc->version : "", params && *params ? "&" : "",
	    params ? params : "");
	if ((cl = calloc(1, sizeof(*cl))) == NULL) {
		strbuf_free(&b);
		warnx("%s %s: cannot build the request", c->svc->name, action);
		return (-1);
	}
	if ((cl->body = strbuf_finish(&b)) == NULL) {
		warnx("%s %s: cannot build the request", c->svc->name, action);
		free(cl);
		return (-1);
	}
	cl->query_done = cb;
	cl->ctx = ctx;
	return (queue(c, cl, action,
	    "application/x-www-form-urlencoded; charset=utf-8"));
}

/**
 * aws_client_s3(c, method, bucket, key, query, range, done, ctx):
 * Queue an S3 request: ${method} ("GET", "HEAD") on ${key} (NULL or "" for
 * the bucket) in ${bucket}, with the encoded ${query} and the Range value
 * ${range} (either may be NULL).  The bucket is addressed virtual-hosted
 * style on AWS's endpoints and path style on an overridden one or when its
 * name has dots; a bucket in another region is followed once.
 * ${done}(body, len, err, ctx) receives the body (borrowed) or the error.
 * Return 0, or -1 if it cannot be queued (reported; ${done} will not run).
 */
int
aws_client_s3(struct aws_client *c, const char *method, const char *bucket,
    const char *key, const char *query, const char *range,
    void (*cb)(const char *, size_t, const struct aws_error *, void *),
    void *ctx)
{
	struct aws_http_request *req;
	struct strbuf b;
	struct call *cl;

	if (strlen(bucket) >= sizeof(cl->bucket)) {
		warnx("s3: bucket name %s too long", bucket);
		return (-1);
	}
	/* The key as a path: every byte but unreserved ones and '/' encoded. */
	strbuf_init(&b, 16 * 1024);
	strbuf_addc(&b, '/');
	if (key != NULL)
		aws_sigv4_encode(&b, key, strlen(key), 1);
	if ((cl = calloc(1, sizeof(*cl))) == NULL) {
		strbuf_free(&b);
		warnx("s3: cannot build the request for %s", bucket);
		return (-1);
	}
	if ((cl->key = strbuf_finish(&b)) == NULL ||
	    (query != NULL && (cl->query = strdup(query)) == NULL) ||
	    (range != NULL && (cl->range = strdup(range)) == NULL)) {
		warnx("s3: cannot build the request for %s", bucket);
		call_free(cl);
		return (-1);
	}
	snprintf(cl->bucket, sizeof(cl->bucket), "%s", bucket);
	cl->http = c->http;
	cl->raw_done = cb;
	cl->ctx = ctx;
	req = &cl->req;
	req->svc = c->svc;
	req->ep = c->ep;
	req->action = method;
	req->method = method;
	req->query = cl->query;
	req->range = cl->range;
	req->body = "";
	req->keys = (struct aws_key_source){ aws_creds_get, c->creds };
	req->done = done;
	req->ctx = cl;
	if (s3_endpoint(cl, c->ep.signing_region)) {
		call_free(cl);
		return (-1);
	}
	aws_http_submit(c->http, req);
	return (0);
}

/**
 * aws_client_get(c, path, done, ctx):
 * Queue a GET of ${path} on the client's endpoint, signed if the client
 * has credentials.  ${done}(body, len, err, ctx) receives the body
 * (borrowed) or the error.  Return 0, or -1 if it cannot be queued
 * (reported; ${done} will not run).
 */
int
aws_client_get(struct aws_client *c, const char *path,
    void (*cb)(const char *, size_t, const struct aws_error *, void *),
    void *ctx)
{
	struct aws_http_request *req;
	struct call *cl;

	if ((cl = calloc(1, sizeof(*cl))) == NULL ||
	    (cl->path = strdup(path)) == NULL) {
		warnx("%s: cannot build the request for %s", c->svc->name, path);
		free(cl);
		return (-1);
	}
	cl->http = c->http;
	cl->raw_done = cb;
	cl->ctx = ctx;
	req = &cl->req;
	req->svc = c->svc;
	req->ep = c->ep;
	req->action = "GET";
	req->method = "GET";
	req->path = cl->path;
	req->body = "";
	if (c->creds != NULL)
		req->keys = (struct aws_key_source){ aws_creds_get, c->creds };
	req->limit = c->rate > 0 ? c->limit : NULL;
	req->rate = c->rate;
	req->done = done;
	req->ctx = cl;
	aws_http_submit(c->http, req);
	return (0);
}

/* The account of a GetCallerIdentity reply. */
struct caller {
	char *account;
	size_t len;
	struct aws_error *err;
	int failed;
};

static void
caller_done(const struct aws_xml *x, const struct aws_error *e, void *ctx)
{
	struct caller *c = ctx;
	const char *t = NULL;

	if (e != NULL)
		*c->err = *e;
	else if ((t = aws_xml_text(x, "GetCallerIdentityResult/Account")) ==
	    NULL) {
		memset(c->err, 0, sizeof(*c->err));
		snprintf(c->err->code, sizeof(c->err->code), "InvalidResponse");
		snprintf(c->err->message, sizeof(c->err->message),
		    "GetCallerIdentity: no Account");
	}
	if ((c->failed = t == NULL) == 0)
		snprintf(c->account, c->len, "%s", t);
}

/**
 * aws_client_account(sts, account, len, err):
 * Ask the STS client ${sts} whose credentials it has (GetCallerIdentity),
 * running its transport until the answer comes, and write the account id
 * into ${account} of ${len} bytes.  Return 0, or -1 on failure (reported;
 * the error in ${err}, whose retry says if it was transient).
 */
int
aws_client_account(struct aws_client *sts, char *account, size_t len,
    struct aws_error *err)
{
	struct caller c = { account, len, err, 1 };

	memset(err, 0, sizeof(*err));
	err->retry = AWS_RETRY_NO;
	if (aws_client_query(sts, "GetCallerIdentity", NULL, caller_done, &c) ||
	    aws_http_run(sts->http))
		return (-1);
	if (c.failed) {
		warnx("who am I: %s: %s", err->code, err->message);
		return (-1);
	}
	return (0);
}

/* FNV-1a, 64 bits, of ${s}; never 0, which marks a free slot. */
static uint64_t
token_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return (h != 0 ? h : 1);
}

/* The slot of the hash ${h} in ${p}: where it is, or the free one it
 * would take. */
static struct aws_pages_seen *
seen_slot(const struct aws_pages *p, uint64_t h)
{
	size_t i = (size_t)h & (p->cap - 1);

	while (p->seen[i].hash != 0 && p->seen[i].hash != h)
		i = (i + 1) & (p->cap - 1);
	return (&p->seen[i]);
}

/* Make room in ${p} for one more token, keeping it at most half full.
 * Return 0, or -1 if memory ran out (${p} as it was). */
static int
seen_grow(struct aws_pages *p)
{
	struct aws_pages_seen *old = p->seen;
	size_t i, n = p->cap;

	if (2 * (p->nseen + 1) <= p->cap)
		return (0);
	if ((p->seen = calloc(n ? 2 * n : 64, sizeof(*p->seen))) == NULL) {
		p->seen = old;
		return (-1);
	}
	p->cap = n ? 2 * n : 64;
	for (i = 0; i < n; i++)
		if (old[i].hash != 0)
			*seen_slot(p, old[i].hash) = old[i];
	free(old);
	return (0);
}

/* Fill ${err} with the error ${code} of ${service} for a listing that
 * stops, its message from ${fmt}; -1. */
static int
pages_stop(struct aws_error *err, const char *service, const char *code,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
pages_stop(struct aws_error *err, const char *service, const char *code,
    const char *fmt, ...)
{
	va_list ap;

	memset(err, 0, sizeof(*err));
	snprintf(err->service, sizeof(err->service), "%s", service);
	snprintf(err->code, sizeof(err->code), "%s", code);
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	err->status = 200;
	err->retry = AWS_RETRY_NO;
	return (-1);
}

/**
 * aws_pages_next(p, service, action, token, err):
 * Count a page of the listing ${p}, made of ${action} calls to
 * ${service}, which named the next page ${token} (NULL or "": none).
 * Return 1 if that page is to be asked for, 0 if the listing is
 * complete, or -1 if it must stop: the token was seen before in this
 * listing, the listing has AWS_PAGES_MAX pages, or memory ran out;
 * ${err} then says why (an InvalidResponse, not retried).
 */
int
aws_pages_next(struct aws_pages *p, const char *service, const char *action,
    const char *token, struct aws_error *err)
{
	struct aws_pages_seen *s;
	uint64_t h;

	p->pages++;
	if (token == NULL || *token == '\0')
		return (0);
	h = token_hash(token);
	if (p->cap > 0 && (s = seen_slot(p, h))->hash == h)
		return (pages_stop(err, service, "InvalidResponse", "%s: page "
		    "%lu names as the next page the one page %lu named: a "
		    "listing that never ends", action, p->pages, s->page));
	if (p->pages >= AWS_PAGES_MAX)
		return (pages_stop(err, service, "InvalidResponse", "%s: more "
		    "than %d pages: a listing that never ends", action,
		    AWS_PAGES_MAX));
	if (seen_grow(p))
		return (pages_stop(err, service, "ClientError", "%s: out of "
		    "memory", action));
	s = seen_slot(p, h);
	s->hash = h;
	s->page = p->pages;
	p->nseen++;
	return (1);
}

/**
 * aws_pages_free(p):
 * Free what ${p} holds, leaving it an empty listing again.
 */
void
aws_pages_free(struct aws_pages *p)
{

	free(p->seen);
	memset(p, 0, sizeof(*p));
}
