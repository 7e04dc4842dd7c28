#ifndef AWS_SIGV4_H
#define AWS_SIGV4_H

#include <stddef.h>
#include <time.h>

/*
 * AWS Signature Version 4, as a pure function: the request's parts, the
 * key and the time go in; the headers to add come out.  No clock, no I/O.
 */

/* A request header, as it will be sent. */
struct aws_sigv4_header {
	const char *name;
	const char *value;
};

struct aws_sigv4_request {
	const char *method;
	const char *path;	/* as on the wire (percent-encoded); "" is "/" */
	const char *query;	/* as on the wire, without '?'; may be NULL */
	const struct aws_sigv4_header *headers;	/* host included */
	size_t nheaders;
	const char *payload_hash;	/* hex SHA-256 of the body, or
					   "UNSIGNED-PAYLOAD" */
};

struct aws_sigv4_key {
	const char *access_key_id;
	const char *secret_access_key;
	const char *session_token;	/* NULL for long-term keys */
};

/* How to sign: S3 takes the path as it is and signs its payload hash. */
#define AWS_SIGV4_NO_NORMALIZE	0x1	/* keep "." / ".." / "//" in paths */
#define AWS_SIGV4_NO_PATH_ENCODE 0x2	/* path is not encoded again */
#define AWS_SIGV4_CONTENT_SHA256 0x4	/* add and sign x-amz-content-sha256 */
#define AWS_SIGV4_S3 \
	(AWS_SIGV4_NO_NORMALIZE | AWS_SIGV4_NO_PATH_ENCODE | AWS_SIGV4_CONTENT_SHA256)

struct aws_sigv4_scope {
	const char *region;
	const char *service;	/* the signing name: "dynamodb", "monitoring" */
	time_t now;
	int flags;
};

/* What signing produces: headers to add to the request, and for tests
 * and traces the intermediate strings (never holding the secret). */
struct aws_sigv4_signed {
	char amz_date[17];		/* "20261125T101500Z" */
	const char *session_token;	/* to send as x-amz-security-token */
	char content_sha256[65];	/* to send, with AWS_SIGV4_CONTENT_SHA256 */
	char *authorization;
	char *canonical_request;
	char *string_to_sign;
};

/**
 * aws_sigv4_sign(req, key, scope, out):
 * Sign ${req} with ${key} for ${scope}, filling ${out}: the X-Amz-Date,
 * X-Amz-Security-Token (when the key has a token) and, with
 * AWS_SIGV4_CONTENT_SHA256, X-Amz-Content-Sha256 values, all of them signed
 * unless ${req} already has such a header, and the Authorization value.
 * Return 0, or -1 if a string grew past its limit or memory ran out.
 * Free ${out} with aws_sigv4_signed_free.
 */
int aws_sigv4_sign(const struct aws_sigv4_request *, const struct aws_sigv4_key *,
    const struct aws_sigv4_scope *, struct aws_sigv4_signed *);

/**
 * aws_sigv4_signed_free(out):
 * Free the strings of ${out}.
 */
void aws_sigv4_signed_free(struct aws_sigv4_signed *);

struct strbuf;

/**
 * aws_sigv4_encode(b, s, n, keepslash):
 * Append the ${n} bytes at ${s} to ${b} with SigV4's UriEncode: every
 * byte but A-Z a-z 0-9 - . _ ~ (and '/' if ${keepslash}) as %XX.  Query
 * strings and form bodies are encoded this way.
 */
void aws_sigv4_encode(struct strbuf *, const char *, size_t, int);

/**
 * aws_sigv4_sha256_hex(p, n, hex):
 * Write the hex SHA-256 of the ${n} bytes at ${p} into ${hex} (65 bytes);
 * return ${hex}.
 */
char *aws_sigv4_sha256_hex(const void *, size_t, char *);

#endif
