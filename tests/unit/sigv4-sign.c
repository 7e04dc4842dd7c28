/*
 * sigv4-sign - sign requests read as NDJSON, for the differential test
 *
 * Each input line: {"method","path","query","headers":[[name,value],...],
 * "body_sha256","access_key_id","secret_access_key","session_token",
 * "region","service","now" (epoch s),"s3" (bool)}; each output line:
 * {"authorization","amz_date","canonical_request"}.
 */

#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "atomicio.h"
#include "aws_sigv4.h"
#include "ndjson.h"

#define MAXH	64

static const char *
str(json_t *o, const char *k)
{

	return (json_string_value(json_object_get(o, k)));
}

static int
sign(json_t *in, const struct ndjson_pos *pos, void *ctx)
{
	struct aws_sigv4_header h[MAXH];
	struct aws_sigv4_request req;
	struct aws_sigv4_key key;
	struct aws_sigv4_scope scope;
	struct aws_sigv4_signed out;
	json_t *hs = json_object_get(in, "headers"), *res;
	size_t i;
	int rc;

	if (json_array_size(hs) > MAXH) {
		ndjson_warnx(pos, "too many headers");
		return (1);
	}
	for (i = 0; i < json_array_size(hs); i++) {
		h[i].name = json_string_value(json_array_get(json_array_get(hs,
		    i), 0));
		h[i].value = json_string_value(json_array_get(json_array_get(hs,
		    i), 1));
	}
	req = (struct aws_sigv4_request){ str(in, "method"), str(in, "path"),
	    str(in, "query"), h, json_array_size(hs), str(in, "body_sha256") };
	key = (struct aws_sigv4_key){ str(in, "access_key_id"),
	    str(in, "secret_access_key"), str(in, "session_token") };
	scope = (struct aws_sigv4_scope){ str(in, "region"), str(in, "service"),
	    (time_t)json_integer_value(json_object_get(in, "now")),
	    json_is_true(json_object_get(in, "s3")) ? AWS_SIGV4_S3 : 0 };
	if (aws_sigv4_sign(&req, &key, &scope, &out)) {
		ndjson_warnx(pos, "signing failed");
		return (1);
	}
	res = json_pack("{s:s, s:s, s:s}", "authorization", out.authorization,
	    "amz_date", out.amz_date, "canonical_request",
	    out.canonical_request);
	if (res == NULL) {
		ndjson_warnx(pos, "output is not valid UTF-8");
		aws_sigv4_signed_free(&out);
		return (1);
	}
	rc = ndjson_write(stdout, res);
	json_decref(res);
	aws_sigv4_signed_free(&out);
	return (rc != 0);
}

int
main(int argc, char *argv[])
{

	if (ndjson_foreach(argv + 1, NDJSON_MAXLINE, sign, NULL))
		return (1);
	return (atomicio_close_stdout() ? 1 : 0);
}
