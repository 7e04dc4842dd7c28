/*
 * The SigV4 signer against the official test suites in tests/data/sigv4
 * (its README says where each comes from): the classic suite (botocore's
 * copy), the current aws-c-auth suite (v4 only) and the S3 documentation
 * examples.  The data is found under $OPTIMA_TOP (make check sets it),
 * else under the current directory.
 */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "aws_sigv4.h"
#include "datetime.h"
#include "tap.h"

#define MAXH	32

/* Cases skipped, with the reason. */
static const struct {
	const char *name, *why;
} skips[] = {
	{ "post-sts-header-after", "the token is added after signing; "
	    "no SDK does this and optima never does" },
	{ NULL, NULL }
};

struct req {
	char *buf;
	char *method, *path, *query, *body;
	size_t bodylen;
	struct aws_sigv4_header h[MAXH];
	size_t nh;
};

static char *
readfile(const char *dir, const char *name)
{
	char p[4096];
	FILE *fp;
	char *s;
	long n;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if ((fp = fopen(p, "rb")) == NULL)
		return (NULL);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	s = malloc((size_t)n + 1);
	if (fread(s, 1, (size_t)n, fp) != (size_t)n)
		n = 0;
	s[n] = '\0';
	fclose(fp);
	return (s);
}

/* Parse a raw HTTP request as the suites write it: the target may hold
 * spaces, header lines may be folded, CRLF or LF. */
static int
parse_req(struct req *r, char *text)
{
	char *line, *next, *sp, *q;

	memset(r, 0, sizeof(*r));
	r->buf = text;
	line = text;
	if ((next = strchr(line, '\n')) != NULL)
		*next++ = '\0';
	if ((sp = strchr(line, ' ')) == NULL || (q = strrchr(line, ' ')) == sp)
		return (-1);
	*sp = '\0';
	*q = '\0';
	r->method = line;
	r->path = sp + 1;
	if ((q = strchr(r->path, '?')) != NULL) {
		*q = '\0';
		r->query = q + 1;
	}
	while ((line = next) != NULL) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (line[0] == '\0' || strcmp(line, "\r") == 0) {
			r->body = next ? next : "";
			break;
		}
		if ((line[0] == ' ' || line[0] == '\t') && r->nh > 0) {
			/* A folded line continues the previous value. */
			line[-1] = '\n';
			continue;
		}
		if ((q = strchr(line, ':')) == NULL || r->nh == MAXH)
			return (-1);
		*q = '\0';
		r->h[r->nh].name = line;
		r->h[r->nh].value = q + 1;
		r->nh++;
	}
	r->bodylen = r->body ? strlen(r->body) : 0;
	return (0);
}

static const char *
header(const struct req *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nh; i++)
		if (strcasecmp(r->h[i].name, name) == 0)
			return (r->h[i].value);
	return (NULL);
}

/* Sign the request in ${reqtext}; compare with the expected texts. */
static void
check_case(const char *name, char *reqtext, const struct aws_sigv4_key *key,
    const struct aws_sigv4_scope *scope, const char *creq, const char *sts,
    const char *sig)
{
	struct aws_sigv4_request rq;
	struct aws_sigv4_signed out;
	struct req r;
	char hash[65];
	const char *got;

	if (parse_req(&r, reqtext)) {
		ok(0, "%s: request parsed", name);
		return;
	}
	rq.method = r.method;
	rq.path = r.path;
	rq.query = r.query;
	rq.headers = r.h;
	rq.nheaders = r.nh;
	rq.payload_hash = header(&r, "x-amz-content-sha256") ?
	    header(&r, "x-amz-content-sha256") :
	    aws_sigv4_sha256_hex(r.body ? r.body : "", r.bodylen, hash);
	if (aws_sigv4_sign(&rq, key, scope, &out)) {
		ok(0, "%s: signed", name);
		return;
	}
	is(out.canonical_request, creq, "%s: canonical request", name);
	is(out.string_to_sign, sts, "%s: string to sign", name);
	got = strstr(out.authorization, "Signature=");
	is(got ? got + 10 : NULL, sig, "%s: signature", name);
	aws_sigv4_signed_free(&out);
}

static int
skipped(const char *name)
{
	int i;

	for (i = 0; skips[i].name != NULL; i++)
		if (strcmp(skips[i].name, name) == 0) {
			printf("# skip %s: %s\n", name, skips[i].why);
			return (1);
		}
	return (0);
}

/* Strip a trailing newline the files may or may not have. */
static char *
chomp(char *s)
{
	size_t n = s ? strlen(s) : 0;

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return (s);
}

/* The classic suite and the S3 examples: NAME/NAME.{req,creq,sts,authz}. */
static int
classic(const char *dir, const struct aws_sigv4_key *base,
    const struct aws_sigv4_scope *scope)
{
	struct dirent **names;
	struct aws_sigv4_key key = *base;
	char sub[4096], f[1024];
	char *req, *creq, *sts, *authz, *tok, *p;
	struct req r;
	int i, n, cases = 0;

	if ((n = scandir(dir, &names, NULL, alphasort)) < 0)
		return (0);
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;

		snprintf(sub, sizeof(sub), "%s/%s", dir, name);
		snprintf(f, sizeof(f), "%s.req", name);
		if (name[0] == '.' || (req = readfile(sub, f)) == NULL) {
			if (name[0] != '.')
				cases += classic(sub, base, scope);
			free(names[i]);
			continue;
		}
		if (skipped(name)) {
			free(req);
			free(names[i]);
			continue;
		}
		snprintf(f, sizeof(f), "%s.creq", name);
		creq = chomp(readfile(sub, f));
		snprintf(f, sizeof(f), "%s.sts", name);
		sts = chomp(readfile(sub, f));
		snprintf(f, sizeof(f), "%s.authz", name);
		authz = chomp(readfile(sub, f));
		/*
		 * A session token in the request is the key's token; the
		 * session-token case takes botocore's harness's fixed token.
		 */
		tok = strdup(req);
		key.session_token = parse_req(&r, tok) == 0 ?
		    header(&r, "x-amz-security-token") : NULL;
		if (strstr(name, "session-token") != NULL)
			key.session_token = "6e86291e8372ff2a2260956d9b8aae1d7"
			    "63fbf315fa00fa31553b73ebf194267";
		p = strstr(authz, "Signature=");
		check_case(name, req, &key, scope, creq, sts, p ? p + 10 : "");
		cases++;
		free(tok);
		free(req);
		free(creq);
		free(sts);
		free(authz);
		free(names[i]);
	}
	free(names);
	return (cases);
}

/* The aws-c-auth suite: NAME/{context.json,request.txt,header-*.txt}. */
static int
current(const char *dir)
{
	struct dirent **names;
	struct aws_sigv4_scope scope;
	struct aws_sigv4_key key;
	json_t *ctx, *c;
	char sub[8192];
	char *req, *creq, *sts, *sig;
	time_t t;
	int i, n, cases = 0;

	if ((n = scandir(dir, &names, NULL, alphasort)) < 0)
		return (0);
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;

		snprintf(sub, sizeof(sub), "%s/%s/context.json", dir, name);
		if (name[0] == '.' ||
		    (ctx = json_load_file(sub, 0, NULL)) == NULL) {
			free(names[i]);
			continue;
		}
		snprintf(sub, sizeof(sub), "%s/%s", dir, name);
		c = json_object_get(ctx, "credentials");
		key.access_key_id = json_string_value(json_object_get(c,
		    "access_key_id"));
		key.secret_access_key = json_string_value(json_object_get(c,
		    "secret_access_key"));
		key.session_token = json_is_true(json_object_get(ctx,
		    "omit_session_token")) ? NULL :
		    json_string_value(json_object_get(c, "token"));
		datetime_parse(&t, json_string_value(json_object_get(ctx,
		    "timestamp")));
		scope.region = json_string_value(json_object_get(ctx, "region"));
		scope.service = json_string_value(json_object_get(ctx,
		    "service"));
		scope.now = t;
		scope.flags = (json_is_true(json_object_get(ctx, "normalize")) ?
		    0 : AWS_SIGV4_NO_NORMALIZE) |
		    (json_is_true(json_object_get(ctx, "sign_body")) ?
		    AWS_SIGV4_CONTENT_SHA256 : 0);
		req = readfile(sub, "request.txt");
		creq = chomp(readfile(sub, "header-canonical-request.txt"));
		sts = chomp(readfile(sub, "header-string-to-sign.txt"));
		sig = chomp(readfile(sub, "header-signature.txt"));
		if (req != NULL && creq != NULL && sts != NULL && sig != NULL) {
			check_case(name, req, &key, &scope, creq, sts, sig);
			cases++;
		}
		free(req);
		free(creq);
		free(sts);
		free(sig);
		json_decref(ctx);
		free(names[i]);
	}
	free(names);
	return (cases);
}

int
main(void)
{
	const char *top = getenv("OPTIMA_TOP");
	struct aws_sigv4_key classic_key = { "AKIDEXAMPLE",
	    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", NULL };
	struct aws_sigv4_key s3_key = { "AKIAIOSFODNN7EXAMPLE",
	    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", NULL };
	struct aws_sigv4_scope cs = { "us-east-1", "service", 0, 0 };
	struct aws_sigv4_scope s3 = { "us-east-1", "s3", 0, AWS_SIGV4_S3 };
	char dir[4096];
	int n;

	if (top == NULL)
		top = ".";
	datetime_parse(&cs.now, "2015-08-30T12:36:00Z");
	datetime_parse(&s3.now, "2013-05-24T00:00:00Z");

	/* Three checks per case; the counts are the suites' own. */
	snprintf(dir, sizeof(dir), "%s/tests/data/sigv4/aws-sig-v4-test-suite",
	    top);
	n = classic(dir, &classic_key, &cs);
	snprintf(dir, sizeof(dir), "%s/tests/data/sigv4/s3-docs-examples", top);
	n += classic(dir, &s3_key, &s3);
	snprintf(dir, sizeof(dir), "%s/tests/data/sigv4/aws-signing-test-suite/v4",
	    top);
	n += current(dir);
	/* 33 classic cases (one more skipped), 3 S3 and 38 current ones. */
	ok(n == 74, "ran %d of 74 cases from %s/tests/data/sigv4", n, top);
	return (done_testing());
}
