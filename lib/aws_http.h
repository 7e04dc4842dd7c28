#ifndef AWS_HTTP_H
#define AWS_HTTP_H

#include <stddef.h>

#include "aws_endpoint.h"
#include "aws_error.h"
#include "aws_sigv4.h"

/*
 * The one transport for AWS requests: libcurl's multi interface with a
 * bounded number of transfers at once over reused connections, connect
 * and total timeouts, TLS verification always on, every attempt signed
 * afresh, AWS's standard retry mode (full-jitter exponential backoff
 * capped at 20 s, a retry quota), a client-side rate limit per key
 * (service, region, account), credentials refreshed on ExpiredToken, and
 * an optional request trace that never holds a secret.
 */

struct aws_http;

/* Where a request's signing key comes from: ${get}(${ctx}, refresh, key)
 * fills ${key} (strings owned by the source, valid until the next call)
 * and returns 0, or -1 (reported); ${refresh} asks for new credentials
 * after the key in ${key}, the one the request used, expired. */
struct aws_key_source {
	int (*get)(void *, int, struct aws_sigv4_key *);
	void *ctx;
};

struct aws_http_opts {
	int concurrency;	/* transfers at once; default 16 */
	int max_attempts;	/* default $AWS_MAX_ATTEMPTS, else 5 */
	long connect_timeout_ms;	/* default 10 s */
	long timeout_ms;	/* default $OPTIMA_TIMEOUT_MS, else 120 s */
	const char *trace;	/* append a line per attempt here; NULL:
				   $OPTIMA_TRACE, if set */
};

struct aws_http_response {
	long status;		/* 0 when the request never got an answer */
	const char *body;	/* borrowed until the callback returns */
	size_t len;
	const char *request_id;
	const char *bucket_region;	/* S3's x-amz-bucket-region, or NULL */
	int attempts;
	int failed;		/* then ${err} says why */
	struct aws_error err;
};

struct aws_http_request {
	const struct aws_service *svc;
	struct aws_endpoint ep;
	const char *action;	/* for traces and messages */
	const char *method;
	const char *path;	/* after the endpoint's own path; "/" */
	const char *query;	/* encoded, without '?'; may be NULL */
	const char *content_type;	/* may be NULL */
	const char *target;	/* X-Amz-Target, may be NULL */
	const char *range;	/* Range, may be NULL */
	const struct aws_sigv4_header *extra;	/* more headers to send */
	size_t nextra;
	const char *body;
	size_t len;
	struct aws_key_source keys;	/* keys.get NULL: send unsigned */
	const char *limit;	/* rate limit key, or NULL */
	double rate;		/* requests per second for ${limit} */
	/* Called once, when the request has succeeded or failed for good. */
	void (*done)(struct aws_http_request *, const struct aws_http_response *,
	    void *);
	void *ctx;
	/* The transport's own state. */
	struct aws_http_request *next;
	int attempt;
	int refresh;		/* credentials expired: ask for new ones */
	char used_key[128];	/* the access key id last signed with */
	double not_before;
};

/* What the transport did so far. */
struct aws_http_stats {
	unsigned long attempts, retries, throttled, failed;
};

/**
 * aws_http_new(opts):
 * A transport with the options ${opts} (NULL for the defaults).  Return
 * NULL on error (reported).
 */
struct aws_http *aws_http_new(const struct aws_http_opts *);

/**
 * aws_http_submit(h, req):
 * Queue ${req}, which must stay valid until its done callback has run.
 */
void aws_http_submit(struct aws_http *, struct aws_http_request *);

/**
 * aws_http_run(h):
 * Perform every queued request, and those the callbacks submit, until none
 * is left.  Return 0, or -1 on an error of the transport itself (reported).
 */
int aws_http_run(struct aws_http *);

/**
 * aws_http_stats(h):
 * The counts of ${h}'s attempts, retries, throttled answers and failures.
 */
struct aws_http_stats aws_http_stats(const struct aws_http *);

/**
 * aws_http_version():
 * The versions of libcurl and the TLS library, as one line.
 */
const char *aws_http_version(void);

/**
 * aws_http_free(h):
 * Free ${h}.  NULL is a no-op.
 */
void aws_http_free(struct aws_http *);

#endif
