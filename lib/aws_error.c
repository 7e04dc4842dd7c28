#include <stdio.h>
#include <string.h>

#include <expat.h>
#include <jansson.h>

#include "aws_error.h"

/* Codes the AWS SDKs' standard retry mode treats as throttling. */
static const char *const throttles[] = {
	"Throttling", "ThrottlingException", "ThrottledException",
	"RequestThrottledException", "TooManyRequestsException",
	"ProvisionedThroughputExceededException", "TransactionInProgressException",
	"RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException",
	"RequestThrottled", "SlowDown", "PriorRequestNotComplete",
	"EC2ThrottledException", NULL
};

/* Codes that are transient whatever the status. */
static const char *const transients[] = {
	"RequestTimeout", "RequestTimeoutException", "InternalError",
	"InternalFailure", "ServiceUnavailable", "ConnectionError",
	"TruncatedResponse", "Timeout", NULL
};

/* Codes that mean the session credentials must be refreshed. */
static const char *const expired[] = {
	"ExpiredToken", "ExpiredTokenException", "RequestExpired", NULL
};

/* Codes that mean "not allowed" rather than "allowed, but failed". */
static const char *const denials[] = {
	"AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
	"UnauthorizedAccess", "AuthorizationError", "NotAuthorized", NULL
};

/* Codes that mean the credentials themselves are wrong. */
static const char *const bad_credentials[] = {
	"InvalidSignatureException", "SignatureDoesNotMatch",
	"UnrecognizedClientException", "InvalidClientTokenId",
	"MissingAuthenticationToken", "MissingAuthenticationTokenException",
	"IncompleteSignature", "InvalidAccessKeyId", NULL
};

static int
member(const char *code, const char *const *list)
{

	for (; *list != NULL; list++)
		if (strcmp(code, *list) == 0)
			return (1);
	return (0);
}

/**
 * aws_error_denied(e):
 * Non-zero if ${e} says the caller is not allowed (AccessDenied and its
 * spellings): a permission to grant, not a failure to retry.
 */
int
aws_error_denied(const struct aws_error *e)
{

	return (member(e->code, denials));
}

/**
 * aws_error_credentials(e):
 * Non-zero if ${e} says the credentials themselves are wrong: unknown key,
 * bad signature, missing authentication.
 */
int
aws_error_credentials(const struct aws_error *e)
{

	return (member(e->code, bad_credentials));
}

/**
 * aws_error_classify(code, status):
 * How the standard retry mode treats the error ${code} with HTTP
 * ${status}.
 */
enum aws_retry
aws_error_classify(const char *code, long status)
{

	if (member(code, throttles) || status == 429)
		return (AWS_RETRY_THROTTLE);
	if (member(code, expired))
		return (AWS_RETRY_EXPIRED);
	if (member(code, transients) || status == 500 || status == 502 ||
	    status == 503 || status == 504)
		return (AWS_RETRY_TRANSIENT);
	return (AWS_RETRY_NO);
}

/* "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException:x" ->
 * "ResourceNotFoundException". */
static void
json_code(char *out, size_t size, const char *type)
{
	const char *hash = strrchr(type, '#');
	size_t n;

	if (hash != NULL)
		type = hash + 1;
	n = strcspn(type, ":");
	snprintf(out, size, "%.*s", (int)n, type);
}

static void
parse_json(struct aws_error *e, const char *body, size_t len)
{
	json_t *o, *v;

	if ((o = json_loadb(body, len, 0, NULL)) == NULL)
		return;
	if (((v = json_object_get(o, "__type")) != NULL ||
	    (v = json_object_get(o, "code")) != NULL) && json_is_string(v))
		json_code(e->code, sizeof(e->code), json_string_value(v));
	if (((v = json_object_get(o, "message")) != NULL ||
	    (v = json_object_get(o, "Message")) != NULL) && json_is_string(v))
		snprintf(e->message, sizeof(e->message), "%s",
		    json_string_value(v));
	json_decref(o);
}

/* State of the XML error parse: the text of <Code>, <Message>, and
 * <RequestId> (the first of each, wherever it is nested). */
struct xmlstate {
	struct aws_error *e;
	char *field;
	size_t size, len;
	int code, message, reqid;
};

static void XMLCALL
xml_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
	struct xmlstate *x = ud;
	struct aws_error *e = x->e;

	x->field = NULL;
	if (strcmp(name, "Code") == 0 && !x->code++)
		x->field = e->code, x->size = sizeof(e->code);
	else if (strcmp(name, "Message") == 0 && !x->message++)
		x->field = e->message, x->size = sizeof(e->message);
	else if ((strcmp(name, "RequestId") == 0 ||
	    strcmp(name, "RequestID") == 0) && !x->reqid++)
		x->field = e->request_id, x->size = sizeof(e->request_id);
	if (x->field != NULL)
		x->field[x->len = 0] = '\0';
}

static void XMLCALL
xml_end(void *ud, const XML_Char *name)
{

	((struct xmlstate *)ud)->field = NULL;
}

static void XMLCALL
xml_text(void *ud, const XML_Char *s, int len)
{
	struct xmlstate *x = ud;
	size_t n;

	if (x->field == NULL || len <= 0)
		return;
	n = (size_t)len;
	if (n > x->size - 1 - x->len)
		n = x->size - 1 - x->len;
	memcpy(x->field + x->len, s, n);
	x->len += n;
	x->field[x->len] = '\0';
}

static void
parse_xml(struct aws_error *e, const char *body, size_t len)
{
	struct xmlstate x = { e, NULL, 0, 0, 0, 0, 0 };
	XML_Parser p;

	if ((p = XML_ParserCreate("UTF-8")) == NULL)
		return;
	XML_SetUserData(p, &x);
	XML_SetElementHandler(p, xml_start, xml_end);
	XML_SetCharacterDataHandler(p, xml_text);
	/* A malformed body leaves what was read; the status still speaks. */
	(void)XML_Parse(p, body, (int)len, 1);
	XML_ParserFree(p);
}

/**
 * aws_error_parse(e, svc, status, query_error, request_id, body, len):
 * Fill ${e} from an HTTP error response of ${svc}: the code and message
 * from the body in the service's protocol (JSON "__type"; query and S3
 * XML <Code>), the legacy code from an x-amzn-query-error header
 * ${query_error} (may be NULL) where the service sends one, the status
 * when the body says nothing; then classify it for retries.
 */
void
aws_error_parse(struct aws_error *e, const struct aws_service *svc,
    long status, const char *query_error, const char *request_id,
    const char *body, size_t len)
{

	memset(e, 0, sizeof(*e));
	snprintf(e->service, sizeof(e->service), "%s", svc->name);
	e->status = status;
	if (request_id != NULL)
		snprintf(e->request_id, sizeof(e->request_id), "%s", request_id);
	if (len > (size_t)64 * 1024 * 1024)
		len = 0;
	if (svc->protocol == AWS_PROTO_JSON10 ||
	    svc->protocol == AWS_PROTO_JSON11 ||
	    svc->protocol == AWS_PROTO_RESTJSON)
		parse_json(e, body, len);
	else
		parse_xml(e, body, len);
	/* CloudWatch's JSON errors carry the query protocol's code too. */
	if (query_error != NULL && *query_error != '\0')
		snprintf(e->code, sizeof(e->code), "%.*s",
		    (int)strcspn(query_error, ";"), query_error);
	if (e->code[0] == '\0')
		snprintf(e->code, sizeof(e->code), "Http%ld", status);
	if (e->message[0] == '\0')
		snprintf(e->message, sizeof(e->message), "HTTP status %ld",
		    status);
	e->retry = aws_error_classify(e->code, status);
}

/**
 * aws_error_transport(e, svc, code, message):
 * Fill ${e} for a failure below HTTP (${code} one of ConnectionError,
 * TruncatedResponse, Timeout): always transient.
 */
void
aws_error_transport(struct aws_error *e, const struct aws_service *svc,
    const char *code, const char *message)
{

	memset(e, 0, sizeof(*e));
	snprintf(e->service, sizeof(e->service), "%s", svc->name);
	snprintf(e->code, sizeof(e->code), "%s", code);
	snprintf(e->message, sizeof(e->message), "%s", message);
	e->retry = AWS_RETRY_TRANSIENT;
}
