#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aws_client.h"
#include "aws_creds.h"
#include "aws_http.h"
#include "aws_xml.h"
#include "strbuf.h"

/* One call in flight: the request, its body, and where the answer goes. */
struct call {
	struct aws_http_request req;
	char *body;
	char target[160];
	void (*json_done)(json_t *, const struct aws_error *, void *);
	void (*query_done)(const struct aws_xml *, const struct aws_error *,
	    void *);
	void *ctx;
};

/**
 * aws_client_init(c, http, service, region, cfg, profile, creds):
 * Set ${c} up to call ${service} in ${region} through ${http} with
 * ${creds}; the endpoint follows the overrides in the environment and in
 * ${profile} of ${cfg} (either may be NULL).  Return 0, or -1 if the
 * service is unknown or an endpoint override is bad (reported).
 */
int
aws_client_init(struct aws_client *c, struct aws_http *http,
    const char *service, const char *region, const struct aws_config *cfg,
    const char *profile, struct aws_creds *creds)
{

	memset(c, 0, sizeof(*c));
	if ((c->svc = aws_service_find(service)) == NULL) {
		warnx("unknown AWS service %s", service);
		return (-1);
	}
	c->http = http;
	c->creds = creds;
	snprintf(c->limit, sizeof(c->limit), "%s/%s", service, region);
	return (aws_endpoint_resolve(c->svc, region, cfg, profile, &c->ep));
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
done(struct aws_http_request *req, const struct aws_http_response *r,
    void *ctx)
{
	struct call *cl = ctx;
	struct aws_error e;
	struct aws_xml *x = NULL;
	json_t *out = NULL;

	if (r->failed) {
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
	free(cl->body);
	free(cl);
}

/* Queue ${cl} with its body set. */
static int
queue(struct aws_client *c, struct call *cl, const char *action,
    const char *content_type)
{
	struct aws_http_request *req = &cl->req;

	req->svc = c->svc;
	req->ep = c->ep;
	req->action = action;
	req->method = "POST";
	req->path = "/";
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
	snprintf(cl->target, sizeof(cl->target), "%s.%s", c->svc->target,
	    action);
	cl->req.target = cl->target;
	cl->json_done = cb;
	cl->ctx = ctx;
	return (queue(c, cl, action, c->svc->protocol == AWS_PROTO_JSON10 ?
	    "application/x-amz-json-1.0" : "application/x-amz-json-1.1"));
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
