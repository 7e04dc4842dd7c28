#include <errno.h>
#include <err.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "aws_http.h"
#include "datetime.h"
#include "log.h"
#include "ndjson.h"
#include "parsenum.h"
#include "strbuf.h"

#define MAXBODY		((size_t)1 << 30)	/* a response this big is wrong */
#define MAXBACKOFF	20.0		/* seconds, as the AWS SDKs */
#define QUOTA		500		/* the standard mode's retry quota */
#define RETRY_COST	5
#define TIMEOUT_COST	10

/* One transfer in flight. */
struct xfer {
	CURL *easy;
	struct curl_slist *headers;
	struct strbuf body;
	char request_id[128], query_error[128], bucket_region[32];
	char error_type[128];	/* x-amzn-ErrorType (REST-JSON) */
	char *url;
	struct aws_http_request *req;
	double start;
};

/* The next time a rate-limited key may send. */
struct limiter {
	char *key;
	double next;
};

struct aws_http {
	CURLM *multi;
	struct aws_http_opts o;
	struct aws_http_request *head, *tail;	/* waiting to start */
	int active;
	struct limiter *lim;
	size_t nlim;
	int quota;
	FILE *trace;
	unsigned long long seed;
	struct aws_http_stats stats;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/**
 * aws_http_version():
 * The versions of libcurl and the TLS library, as one line.
 */
const char *
aws_http_version(void)
{

	return (curl_version());
}

/**
 * aws_http_new(opts):
 * A transport with the options ${opts} (NULL for the defaults).  Return
 * NULL on error (reported).
 */
struct aws_http *
aws_http_new(const struct aws_http_opts *opts)
{
	static int inited;
	struct aws_http *h;
	const char *v;
	int n;

	if (!inited && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		warnx("cannot initialise libcurl");
		return (NULL);
	}
	inited = 1;
	if ((h = calloc(1, sizeof(*h))) == NULL) {
		warn("aws_http_new");
		return (NULL);
	}
	if (opts != NULL)
		h->o = *opts;
	if (h->o.concurrency <= 0)
		h->o.concurrency = 16;
	if (h->o.max_attempts <= 0) {
		h->o.max_attempts = 5;
		if ((v = getenv("AWS_MAX_ATTEMPTS")) != NULL && *v != '\0' &&
		    parsenum_int(&n, v, 1, 100) == 0)
			h->o.max_attempts = n;
	}
	if (h->o.connect_timeout_ms <= 0)
		h->o.connect_timeout_ms = 10000;
	if (h->o.timeout_ms <= 0) {
		h->o.timeout_ms = 120000;
		/* A lower limit for tests of slow answers; also a knob. */
		if ((v = getenv("OPTIMA_TIMEOUT_MS")) != NULL && *v != '\0' &&
		    parsenum_int(&n, v, 100, 3600000) == 0)
			h->o.timeout_ms = n;
	}
	h->quota = QUOTA;
	if (h->o.trace == NULL && (v = getenv("OPTIMA_TRACE")) != NULL &&
	    *v != '\0')
		h->o.trace = v;
	h->seed = ((unsigned long long)time(NULL) << 20) ^
	    (unsigned long long)getpid() ^ 0x9e3779b97f4a7c15ULL;
	if (h->o.trace != NULL && (h->trace = fopen(h->o.trace, "a")) == NULL) {
		warn("%s", h->o.trace);
		free(h);
		return (NULL);
	}
	if ((h->multi = curl_multi_init()) == NULL) {
		warnx("cannot initialise libcurl");
		if (h->trace != NULL)
			fclose(h->trace);
		free(h);
		return (NULL);
	}
	curl_multi_setopt(h->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
	    (long)h->o.concurrency);
	return (h);
}

/* A uniform random number in [0, 1), for the backoff's jitter. */
static double
jitter(struct aws_http *h)
{

	/* xorshift64*: plenty for spreading retries. */
	h->seed ^= h->seed >> 12;
	h->seed ^= h->seed << 25;
	h->seed ^= h->seed >> 27;
	return ((double)((h->seed * 2685821657736338717ULL) >> 11) /
	    9007199254740992.0);
}

/* Put ${req} back in the queue, to start no sooner than ${when}. */
static void
requeue(struct aws_http *h, struct aws_http_request *req, double when)
{

	req->not_before = when;
	req->next = NULL;
	if (h->tail != NULL)
		h->tail->next = req;
	else
		h->head = req;
	h->tail = req;
}

/**
 * aws_http_submit(h, req):
 * Queue ${req}, which must stay valid until its done callback has run.
 */
void
aws_http_submit(struct aws_http *h, struct aws_http_request *req)
{

	req->attempt = 0;
	requeue(h, req, 0);
}

/*
 * If ${req}'s rate limit lets it start at ${t}, take its slot and return
 * 0; else return the time it may start.
 */
static double
limit(struct aws_http *h, struct aws_http_request *req, double t)
{
	struct limiter *l, *nl;
	size_t i;

	if (req->limit == NULL || req->rate <= 0)
		return (0);
	for (i = 0, l = NULL; i < h->nlim; i++)
		if (strcmp(h->lim[i].key, req->limit) == 0)
			l = &h->lim[i];
	if (l == NULL) {
		if ((nl = realloc(h->lim, (h->nlim + 1) * sizeof(*nl))) == NULL)
			return (0);
		h->lim = nl;
		l = &h->lim[h->nlim];
		if ((l->key = strdup(req->limit)) == NULL)
			return (0);
		l->next = 0;
		h->nlim++;
	}
	/* Starts are spaced 1/rate apart, so no second holds more. */
	if (t < l->next)
		return (l->next);
	l->next = t + 1.0 / req->rate;
	return (0);
}

static size_t
on_body(char *p, size_t size, size_t n, void *ud)
{
	struct xfer *x = ud;

	strbuf_add(&x->body, p, size * n);
	return (x->body.failed ? 0 : size * n);
}

/* Keep the value of header ${name} from the line ${p} in ${out}. */
static void
keep(const char *p, size_t n, const char *name, char *out, size_t size)
{
	size_t len = strlen(name);

	if (n <= len + 1 || strncasecmp(p, name, len) != 0 || p[len] != ':')
		return;
	p += len + 1;
	n -= len + 1;
	while (n > 0 && (*p == ' ' || *p == '\t'))
		p++, n--;
	while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == '\n' ||
	    p[n - 1] == ' '))
		n--;
	snprintf(out, size, "%.*s", (int)n, p);
}

static size_t
on_header(char *p, size_t size, size_t n, void *ud)
{
	struct xfer *x = ud;

	/* A new status line (after a redirect or 100): start over. */
	if (n > 5 && strncmp(p, "HTTP/", 5) == 0)
		x->request_id[0] = x->query_error[0] = x->bucket_region[0] =
		    x->error_type[0] = 0;
	keep(p, size * n, "x-amzn-requestid", x->request_id,
	    sizeof(x->request_id));
	keep(p, size * n, "x-amz-request-id", x->request_id,
	    sizeof(x->request_id));
	keep(p, size * n, "x-amzn-query-error", x->query_error,
	    sizeof(x->query_error));
	keep(p, size * n, "x-amz-bucket-region", x->bucket_region,
	    sizeof(x->bucket_region));
	keep(p, size * n, "x-amzn-errortype", x->error_type,
	    sizeof(x->error_type));
	return (size * n);
}

/* Add "Name: value" to ${x}'s headers and to the list to sign. */
static int
header(struct xfer *x, struct aws_sigv4_header *sh, size_t *nsh,
    const char *name, const char *value)
{
	struct curl_slist *l;
	struct strbuf b;
	char *line;

	strbuf_init(&b, 65536);
	strbuf_addf(&b, "%s: %s", name, value);
	if ((line = strbuf_finish(&b)) == NULL)
		return (-1);
	l = curl_slist_append(x->headers, line);
	free(line);
	if (l == NULL)
		return (-1);
	x->headers = l;
	if (sh != NULL) {
		sh[*nsh].name = name;
		sh[*nsh].value = value;
		(*nsh)++;
	}
	return (0);
}

/* "http://host:port/base" -> host:port in ${host}, /base in ${base}. */
static int
split_url(const char *url, char *host, size_t hsize, const char **base)
{
	const char *p = strstr(url, "://"), *slash;

	if (p == NULL)
		return (-1);
	p += 3;
	slash = strchr(p, '/');
	*base = slash != NULL ? slash : "";
	snprintf(host, hsize, "%.*s", (int)(slash ? slash - p : (long)strlen(p)),
	    p);
	return (0);
}

/* Add the headers of ${req} to ${x} and, when it is signed, sign them;
 * 0 on success. */
static int
sign(struct xfer *x, struct aws_http_request *req, const char *host,
    const char *path, struct aws_error *e)
{
	struct aws_sigv4_header sh[8 + 16];
	struct aws_sigv4_request sr;
	struct aws_sigv4_scope scope;
	struct aws_sigv4_signed out;
	struct aws_sigv4_key key;
	char hash[65];
	size_t nsh = 0, i;
	int rc = -1;

	if (req->nextra > 16 || header(x, sh, &nsh, "Host", host) ||
	    (req->content_type && header(x, sh, &nsh, "Content-Type",
	    req->content_type)) ||
	    (req->target && header(x, sh, &nsh, "X-Amz-Target", req->target)) ||
	    (req->range && header(x, sh, &nsh, "Range", req->range)))
		return (-1);
	for (i = 0; i < req->nextra; i++)
		if (header(x, sh, &nsh, req->extra[i].name, req->extra[i].value))
			return (-1);
	if (req->keys.get == NULL)
		return (0);
	memset(&key, 0, sizeof(key));
	if (req->refresh)
		key.access_key_id = req->used_key;
	if (req->keys.get(req->keys.ctx, req->refresh, &key)) {
		aws_error_transport(e, req->svc, "CredentialsError",
		    "no credentials to sign with");
		e->retry = AWS_RETRY_NO;
		return (1);
	}
	snprintf(req->used_key, sizeof(req->used_key), "%s", key.access_key_id);
	sr = (struct aws_sigv4_request){ req->method, path, req->query, sh, nsh,
	    aws_sigv4_sha256_hex(req->body ? req->body : "", req->len, hash) };
	scope = (struct aws_sigv4_scope){ req->ep.signing_region,
	    req->svc->signing_name, time(NULL),
	    req->svc->protocol == AWS_PROTO_RESTXML ? AWS_SIGV4_S3 : 0 };
	if (aws_sigv4_sign(&sr, &key, &scope, &out))
		return (-1);
	if (header(x, NULL, NULL, "X-Amz-Date", out.amz_date) == 0 &&
	    (out.session_token == NULL || header(x, NULL, NULL,
	    "X-Amz-Security-Token", out.session_token) == 0) &&
	    (!(scope.flags & AWS_SIGV4_CONTENT_SHA256) || header(x, NULL, NULL,
	    "X-Amz-Content-Sha256", out.content_sha256) == 0) &&
	    header(x, NULL, NULL, "Authorization", out.authorization) == 0)
		rc = 0;
	aws_sigv4_signed_free(&out);
	return (rc);
}

/* Sign ${req} afresh and start it; -1 if it cannot be (${e} says why). */
static int
start(struct aws_http *h, struct aws_http_request *req, struct aws_error *e)
{
	struct curl_slist *l;
	struct strbuf u, p;
	struct xfer *x;
	char host[256], *path = NULL;
	const char *base;
	int rc;

	if (split_url(req->ep.url, host, sizeof(host), &base)) {
		aws_error_transport(e, req->svc, "InvalidEndpoint", req->ep.url);
		e->retry = AWS_RETRY_NO;
		return (-1);
	}
	if ((x = calloc(1, sizeof(*x))) == NULL)
		goto nomem;
	x->req = req;
	strbuf_init(&x->body, MAXBODY);
	strbuf_init(&p, 65536);
	strbuf_addf(&p, "%s%s", base, req->path);
	path = strbuf_finish(&p);
	strbuf_init(&u, 1 << 20);
	strbuf_addf(&u, "%s%s%s%s", req->ep.url, req->path,
	    req->query && *req->query ? "?" : "", req->query ? req->query : "");
	if (path == NULL || (x->url = strbuf_finish(&u)) == NULL)
		goto nomem2;
	if ((rc = sign(x, req, host, path, e)) > 0)
		goto fail;
	/* No "Expect: 100-continue" round trip, no default Accept header. */
	if (rc < 0 || (l = curl_slist_append(x->headers, "Expect:")) == NULL ||
	    (x->headers = l, l = curl_slist_append(x->headers, "Accept:")) ==
	    NULL)
		goto nomem2;
	x->headers = l;
	free(path);
	path = NULL;

	if ((x->easy = curl_easy_init()) == NULL)
		goto nomem2;
	curl_easy_setopt(x->easy, CURLOPT_URL, x->url);
	curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, x->headers);
	curl_easy_setopt(x->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(x->easy, CURLOPT_USERAGENT, "optima");
	curl_easy_setopt(x->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(x->easy, CURLOPT_CONNECTTIMEOUT_MS,
	    h->o.connect_timeout_ms);
	curl_easy_setopt(x->easy, CURLOPT_TIMEOUT_MS, h->o.timeout_ms);
	curl_easy_setopt(x->easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(x->easy, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(x->easy, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_PRIVATE, x);
	if (getenv("AWS_CA_BUNDLE") != NULL && *getenv("AWS_CA_BUNDLE") != '\0')
		curl_easy_setopt(x->easy, CURLOPT_CAINFO, getenv("AWS_CA_BUNDLE"));
	if (strcmp(req->method, "POST") == 0 || strcmp(req->method, "PUT") == 0) {
		curl_easy_setopt(x->easy, CURLOPT_POSTFIELDSIZE, (long)req->len);
		curl_easy_setopt(x->easy, CURLOPT_POSTFIELDS,
		    req->body ? req->body : "");
		if (strcmp(req->method, "PUT") == 0)
			curl_easy_setopt(x->easy, CURLOPT_CUSTOMREQUEST, "PUT");
	} else if (strcmp(req->method, "HEAD") == 0)
		curl_easy_setopt(x->easy, CURLOPT_NOBODY, 1L);
	else if (strcmp(req->method, "GET") != 0)
		curl_easy_setopt(x->easy, CURLOPT_CUSTOMREQUEST, req->method);
	if (curl_multi_add_handle(h->multi, x->easy) != CURLM_OK) {
		curl_easy_cleanup(x->easy);
		goto nomem2;
	}
	x->start = now();
	h->active++;
	h->stats.attempts++;
	req->attempt++;
	return (0);

nomem2:
	aws_error_transport(e, req->svc, "ClientError", strerror(ENOMEM));
	e->retry = AWS_RETRY_NO;
fail:
	free(path);
	curl_slist_free_all(x->headers);
	free(x->url);
	free(x);
	return (-1);
nomem:
	aws_error_transport(e, req->svc, "ClientError", strerror(ENOMEM));
	e->retry = AWS_RETRY_NO;
	return (-1);
}

/* Append a line about the attempt ${x} to the trace: no header, no body,
 * so never a secret. */
static void
trace(struct aws_http *h, const struct xfer *x, long status,
    const struct aws_error *e, double retry_in)
{
	char when[DATETIME_LEN];
	json_t *o;

	if (h->trace == NULL)
		return;
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:f, s:s}",
	    "kind", "trace", "time", datetime_format(when, time(NULL)),
	    "service", x->req->svc->name, "action", x->req->action,
	    "method", x->req->method, "status", (int)status,
	    "attempt", x->req->attempt,
	    "ms", floor((now() - x->start) * 1e6) / 1e3, "url", x->url);
	if (o == NULL)
		return;
	if (e != NULL)
		json_object_set_new(o, "error", json_string(e->code));
	if (retry_in >= 0)
		json_object_set_new(o, "retry_in_ms",
		    json_real(floor(retry_in * 1e6) / 1e3));
	if (x->request_id[0] != '\0')
		json_object_set_new(o, "request_id", json_string(x->request_id));
	ndjson_write(h->trace, o);
	fflush(h->trace);
	json_decref(o);
}

static void
xfer_free(struct aws_http *h, struct xfer *x)
{

	curl_multi_remove_handle(h->multi, x->easy);
	curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->headers);
	strbuf_free(&x->body);
	free(x->url);
	free(x);
}

/* Tell ${req}'s owner how it ended. */
static void
finish(struct aws_http_request *req, const struct xfer *x, long status,
    const struct aws_error *e)
{
	struct aws_http_response r;

	memset(&r, 0, sizeof(r));
	r.status = status;
	r.attempts = req->attempt;
	if (x != NULL) {
		r.body = x->body.s != NULL ? x->body.s : "";
		r.len = x->body.len;
		r.request_id = x->request_id;
		r.bucket_region = x->bucket_region[0] ? x->bucket_region : NULL;
	} else
		r.body = "";
	if (e != NULL) {
		r.failed = 1;
		r.err = *e;
	}
	req->done(req, &r, req->ctx);
}

/* Decide what happens after the attempt ${x} ended with ${res}. */
static void
complete(struct aws_http *h, struct xfer *x, CURLcode res)
{
	struct aws_http_request *req = x->req;
	struct aws_error e;
	long status = 0;
	double delay;
	int cost;

	if (res == CURLE_OK)
		curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	if (res == CURLE_OK && status >= 200 && status < 300) {
		/* Success gives back the retry's cost, or a little. */
		h->quota += req->attempt > 1 ? RETRY_COST : 1;
		if (h->quota > QUOTA)
			h->quota = QUOTA;
		trace(h, x, status, NULL, -1);
		req->refresh = 0;
		finish(req, x, status, NULL);
		return;
	}
	if (res == CURLE_PARTIAL_FILE || res == CURLE_RECV_ERROR ||
	    res == CURLE_GOT_NOTHING || res == CURLE_SEND_ERROR)
		aws_error_transport(&e, req->svc, res == CURLE_PARTIAL_FILE ?
		    "TruncatedResponse" : "ConnectionError",
		    curl_easy_strerror(res));
	else if (res == CURLE_OPERATION_TIMEDOUT)
		aws_error_transport(&e, req->svc, "Timeout",
		    curl_easy_strerror(res));
	else if (res != CURLE_OK) {
		aws_error_transport(&e, req->svc, "ConnectionError",
		    curl_easy_strerror(res));
		/* A bad URL or TLS failure will not mend itself. */
		if (res == CURLE_URL_MALFORMAT ||
		    res == CURLE_UNSUPPORTED_PROTOCOL ||
		    res == CURLE_PEER_FAILED_VERIFICATION ||
		    res == CURLE_SSL_CACERT_BADFILE)
			e.retry = AWS_RETRY_NO;
	} else {
		/* REST-JSON names the error in x-amzn-ErrorType
		 * ("Code:http://..."), which beats the body. */
		if (req->svc->protocol == AWS_PROTO_RESTJSON &&
		    x->query_error[0] == '\0') {
			x->error_type[strcspn(x->error_type, ":")] = '\0';
			memcpy(x->query_error, x->error_type,
			    sizeof(x->query_error));
		}
		aws_error_parse(&e, req->svc, status, x->query_error,
		    x->request_id, x->body.s != NULL ? x->body.s : "",
		    x->body.len);
	}
	if (e.retry == AWS_RETRY_THROTTLE)
		h->stats.throttled++;

	/* Retry if it may help, attempts remain and the quota allows. */
	cost = e.retry == AWS_RETRY_TRANSIENT && res == CURLE_OPERATION_TIMEDOUT ?
	    TIMEOUT_COST : RETRY_COST;
	if (e.retry != AWS_RETRY_NO && req->attempt < h->o.max_attempts &&
	    (e.retry == AWS_RETRY_EXPIRED || h->quota >= cost)) {
		if (e.retry == AWS_RETRY_EXPIRED) {
			/* New credentials, at once; no quota spent. */
			req->refresh = 1;
			delay = 0;
		} else {
			h->quota -= cost;
			delay = jitter(h) * fmin(MAXBACKOFF,
			    pow(2, req->attempt - 1));
		}
		trace(h, x, status, &e, delay);
		/* The decision: its error's code only, never its text. */
		log_msg(LOG_DEBUG, "retry %s %s in %.3f s (attempt %d of %d "
		    "failed: %s)", req->svc->name, req->action != NULL ?
		    req->action : "-", delay, req->attempt, h->o.max_attempts,
		    e.code);
		h->stats.retries++;
		requeue(h, req, now() + delay);
		return;
	}
	trace(h, x, status, &e, -1);
	h->stats.failed++;
	finish(req, x, status, &e);
}

/* Start what may start now; return when the next waiting one may. */
static double
start_ready(struct aws_http *h)
{
	struct aws_http_request *req, *prev = NULL, *next;
	struct aws_error e;
	double t = now(), soonest = 0, at;

	for (req = h->head; req != NULL && h->active < h->o.concurrency;
	    req = next) {
		next = req->next;
		at = req->not_before > t ? req->not_before : limit(h, req, t);
		if (at > 0) {
			if (soonest == 0 || at < soonest)
				soonest = at;
			prev = req;
			continue;
		}
		/* Unlink, then start or fail it. */
		if (prev != NULL)
			prev->next = next;
		else
			h->head = next;
		if (h->tail == req)
			h->tail = prev;
		if (start(h, req, &e)) {
			h->stats.failed++;
			finish(req, NULL, 0, &e);
		}
	}
	return (soonest);
}

/**
 * aws_http_run(h):
 * Perform every queued request, and those the callbacks submit, until none
 * is left.  Return 0, or -1 on an error of the transport itself (reported).
 */
int
aws_http_run(struct aws_http *h)
{
	struct CURLMsg *m;
	struct xfer *x;
	double soonest;
	int running, left, wait;

	while (h->head != NULL || h->active > 0) {
		soonest = start_ready(h);
		if (curl_multi_perform(h->multi, &running) != CURLM_OK) {
			warnx("libcurl multi interface failed");
			return (-1);
		}
		while ((m = curl_multi_info_read(h->multi, &left)) != NULL) {
			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE,
			    (char **)&x);
			h->active--;
			complete(h, x, m->data.result);
			xfer_free(h, x);
		}
		/* Sleep until a transfer moves or a waiting request is due. */
		wait = 1000;
		if (soonest > 0)
			wait = (int)fmax(1, fmin(1000, (soonest - now()) * 1000));
		if (h->active > 0 || soonest > 0)
			curl_multi_poll(h->multi, NULL, 0, wait, NULL);
	}
	return (0);
}

/**
 * aws_http_stats(h):
 * The counts of ${h}'s attempts, retries, throttled answers and failures.
 */
struct aws_http_stats
aws_http_stats(const struct aws_http *h)
{

	return (h->stats);
}

/**
 * aws_http_free(h):
 * Free ${h}.  NULL is a no-op.
 */
void
aws_http_free(struct aws_http *h)
{
	size_t i;

	/* Behave consistently with free(NULL). */
	if (h == NULL)
		return;
	curl_multi_cleanup(h->multi);
	for (i = 0; i < h->nlim; i++)
		free(h->lim[i].key);
	free(h->lim);
	if (h->trace != NULL)
		fclose(h->trace);
	free(h);
}
