#ifndef AWS_ERROR_H
#define AWS_ERROR_H

#include <stddef.h>

#include "aws_endpoint.h"

/*
 * One error type for every AWS protocol: the service, AWS's error code
 * ("ThrottlingException", "AccessDenied"), its message, the HTTP status
 * and request id, and whether the standard retry mode retries it.
 * Transport failures (no connection, reset, truncated body, timeout) use
 * the HTTP status 0 and a code of our own ("ConnectionError",
 * "TruncatedResponse", "Timeout").
 */

enum aws_retry {
	AWS_RETRY_NO,		/* a client error: retrying cannot help */
	AWS_RETRY_THROTTLE,	/* slow down, then retry */
	AWS_RETRY_TRANSIENT,	/* 5xx, connection trouble: retry */
	AWS_RETRY_EXPIRED	/* credentials expired: refresh, then retry */
};

struct aws_error {
	char service[32];
	char code[128];
	char message[512];
	char request_id[128];
	long status;
	enum aws_retry retry;
};

/**
 * aws_error_parse(e, svc, status, query_error, request_id, body, len):
 * Fill ${e} from an HTTP error response of ${svc}: the code and message
 * from the body in the service's protocol (JSON "__type"; query and S3
 * XML <Code>), the legacy code from an x-amzn-query-error header
 * ${query_error} (may be NULL) where the service sends one, the status
 * when the body says nothing; then classify it for retries.
 */
void aws_error_parse(struct aws_error *, const struct aws_service *, long,
    const char *, const char *, const char *, size_t);

/**
 * aws_error_transport(e, svc, code, message):
 * Fill ${e} for a failure below HTTP (${code} one of ConnectionError,
 * TruncatedResponse, Timeout): always transient.
 */
void aws_error_transport(struct aws_error *, const struct aws_service *,
    const char *, const char *);

/**
 * aws_error_denied(e):
 * Non-zero if ${e} says the caller is not allowed (AccessDenied and its
 * spellings): a permission to grant, not a failure to retry.
 */
int aws_error_denied(const struct aws_error *);

/**
 * aws_error_credentials(e):
 * Non-zero if ${e} says the credentials themselves are wrong: unknown key,
 * bad signature, missing authentication.
 */
int aws_error_credentials(const struct aws_error *);

/**
 * aws_error_classify(code, status):
 * How the standard retry mode treats the error ${code} with HTTP
 * ${status}.
 */
enum aws_retry aws_error_classify(const char *, long);

#endif
