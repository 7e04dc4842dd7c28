#ifndef AWS_CLIENT_H
#define AWS_CLIENT_H

#include <stdint.h>

#include <jansson.h>

#include "aws_endpoint.h"
#include "aws_error.h"

struct aws_config;
struct aws_creds;
struct aws_http;
struct aws_xml;

/*
 * Calls to one AWS service in one region with one set of credentials, in
 * the service's protocol: AWS JSON 1.0/1.1 (a JSON object in, a JSON
 * object out) or query (form parameters in, an XML tree out).  Calls are
 * queued on the transport and answered by callbacks while aws_http_run
 * works; every error arrives as a struct aws_error.
 */

struct aws_client {
	struct aws_http *http;
	const struct aws_service *svc;
	struct aws_endpoint ep;
	struct aws_creds *creds;
	char limit[128];	/* rate limit key: service, region, credentials */
	double rate;		/* requests per second; 0: no limit */
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
int aws_client_init(struct aws_client *, struct aws_http *, const char *,
    const char *, const struct aws_config *, const char *, struct aws_creds *);

/**
 * aws_client_json(c, action, input, done, ctx):
 * Queue ${action} with the JSON object ${input} (stolen; NULL for {}).
 * When it ends, ${done}(output, err, ctx) runs with the reply (borrowed,
 * NULL on error) or the error (NULL on success).  Return 0, or -1 if it
 * cannot be queued (reported; ${done} will not run).
 */
int aws_client_json(struct aws_client *, const char *, json_t *,
    void (*)(json_t *, const struct aws_error *, void *), void *);

/**
 * aws_client_json_raw(c, action, input, done, ctx):
 * As aws_client_json, but ${done}(body, len, err, ctx) receives the reply
 * as it came (borrowed), for replies too large to hold as a tree.
 */
int aws_client_json_raw(struct aws_client *, const char *, json_t *,
    void (*)(const char *, size_t, const struct aws_error *, void *), void *);

/**
 * aws_client_query(c, action, params, done, ctx):
 * Queue the query-protocol ${action} with the encoded form ${params}
 * ("RoleArn=...&RoleSessionName=..."; may be NULL).  ${done}(tree, err,
 * ctx) receives the reply's XML tree (borrowed) or the error.  Return 0,
 * or -1 if it cannot be queued (reported; ${done} will not run).
 */
int aws_client_query(struct aws_client *, const char *, const char *,
    void (*)(const struct aws_xml *, const struct aws_error *, void *), void *);

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
int aws_client_s3(struct aws_client *, const char *, const char *,
    const char *, const char *, const char *,
    void (*)(const char *, size_t, const struct aws_error *, void *), void *);

/**
 * aws_client_get(c, path, done, ctx):
 * Queue a GET of ${path} on the client's endpoint, signed if the client
 * has credentials.  ${done}(body, len, err, ctx) receives the body
 * (borrowed) or the error.  Return 0, or -1 if it cannot be queued
 * (reported; ${done} will not run).
 */
int aws_client_get(struct aws_client *, const char *,
    void (*)(const char *, size_t, const struct aws_error *, void *), void *);

/**
 * aws_client_account(sts, account, len, err):
 * Ask the STS client ${sts} whose credentials it has (GetCallerIdentity),
 * running its transport until the answer comes, and write the account id
 * into ${account} of ${len} bytes.  Return 0, or -1 on failure (reported;
 * the error in ${err}, whose retry says if it was transient).
 */
int aws_client_account(struct aws_client *, char *, size_t,
    struct aws_error *);

/*
 * The pages of one listing (ListTables, ListAccounts, GetProducts,
 * ListObjectsV2, GetMetricData...).  A service that hands back a token it
 * gave before in the same listing (the same one again, as moto's
 * DescribeScalableTargets does past 100 targets, or an older one) would be
 * asked forever, as would one whose tokens never end: a listing stops
 * with an InvalidResponse error on a token seen before in it, and after
 * AWS_PAGES_MAX pages.  The cap is far above any real listing (a million
 * tables at 100 a page, 2 million accounts at 20, 100 million S3 keys at
 * 1,000) and bounds what one runaway listing can cost: 100,000 requests.
 * Tokens are remembered by a 64-bit hash (FNV-1a): two tokens of a
 * listing of 100,000 pages share one with odds of 3 in 10 billion.  A
 * zeroed struct is an empty listing.
 */
#define AWS_PAGES_MAX	100000

struct aws_pages {
	unsigned long pages;	/* pages counted */
	struct aws_pages_seen {
		uint64_t hash;	/* of a token; 0: a free slot */
		unsigned long page;
	} *seen;		/* open addressing, a power of two */
	size_t nseen, cap;
};

/**
 * aws_pages_next(p, service, action, token, err):
 * Count a page of the listing ${p}, made of ${action} calls to
 * ${service}, which named the next page ${token} (NULL or "": none).
 * Return 1 if that page is to be asked for, 0 if the listing is
 * complete, or -1 if it must stop: the token was seen before in this
 * listing, the listing has AWS_PAGES_MAX pages, or memory ran out;
 * ${err} then says why (an InvalidResponse, not retried).
 */
int aws_pages_next(struct aws_pages *, const char *, const char *,
    const char *, struct aws_error *);

/**
 * aws_pages_free(p):
 * Free what ${p} holds, leaving it an empty listing again.
 */
void aws_pages_free(struct aws_pages *);

#endif
