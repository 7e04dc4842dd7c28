#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "aws_sigv4.h"
#include "datetime.h"
#include "strbuf.h"

/* Canonical strings are small; anything near this is a bug or an attack. */
#define MAXCANON	(1024 * 1024)

/* Headers the signer never signs: they change in transit (hop by hop,
 * proxies, tracing) or are the signature itself; the AWS SDKs skip the
 * same ones. */
static const char *const unsigned_headers[] = {
	"authorization", "cache-control", "connection", "expect", "from",
	"keep-alive", "max-forwards", "pragma", "referer", "te", "trailer",
	"transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id", NULL
};

/* A header on its way into the canonical request. */
struct hdr {
	char *name;		/* lower case */
	char *value;		/* trimmed, runs of white space folded */
	size_t order;		/* position in the request, for duplicates */
};

/**
 * aws_sigv4_sha256_hex(p, n, hex):
 * Write the hex SHA-256 of the ${n} bytes at ${p} into ${hex} (65 bytes);
 * return ${hex}.
 */
char *
aws_sigv4_sha256_hex(const void *p, size_t n, char *hex)
{
	unsigned char md[32];
	unsigned int len = 0;
	int i;

	EVP_Digest(p, n, md, &len, EVP_sha256(), NULL);
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return (hex);
}

/* HMAC-SHA256 of ${data} under the ${klen}-byte key ${key}, into ${out}. */
static void
hmac(const void *key, size_t klen, const char *data, unsigned char out[32])
{
	unsigned int len = 32;

	HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)data,
	    strlen(data), out, &len);
}

static int
unreserved(int c)
{

	return (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~');
}

/**
 * aws_sigv4_encode(b, s, n, keepslash):
 * Append the ${n} bytes at ${s} to ${b} with SigV4's UriEncode: every
 * byte but A-Z a-z 0-9 - . _ ~ (and '/' if ${keepslash}) as %XX.  Query
 * strings and form bodies are encoded this way.
 */
void
aws_sigv4_encode(struct strbuf *b, const char *s, size_t n, int keepslash)
{
	size_t i;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (unreserved(c) || (keepslash && c == '/'))
			strbuf_addc(b, c);
		else
			strbuf_addf(b, "%%%02X", c);
	}
}

static int
hexval(int c)
{

	return (isdigit(c) ? c - '0' : tolower(c) - 'a' + 10);
}

/*
 * Decode the percent-escapes of the ${n} bytes at ${s} into a new buffer;
 * its length goes to ${outlen}.  A '%' not followed by two hex digits is
 * kept as it is.
 */
static char *
decode(const char *s, size_t n, size_t *outlen)
{
	char *out;
	size_t i, o = 0;

	if ((out = malloc(n + 1)) == NULL)
		return (NULL);
	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n &&
		    isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			out[o++] = (char)(hexval((unsigned char)s[i + 1]) * 16 +
			    hexval((unsigned char)s[i + 2]));
			i += 2;
		} else
			out[o++] = s[i];
	}
	out[o] = '\0';
	*outlen = o;
	return (out);
}

/*
 * Append the canonical URI of ${path}: unless AWS_SIGV4_NO_NORMALIZE,
 * without "." and ".." segments or empty ones (a trailing slash stays);
 * unless AWS_SIGV4_NO_PATH_ENCODE, percent-encoded (once more: AWS encodes
 * the path as sent on the wire again for every service but S3).
 */
static void
canonical_uri(struct strbuf *b, const char *path, int flags)
{
	struct strbuf n;
	const char *seg, *end;
	size_t len, *starts = NULL, depth = 0, cap = 0;
	char *norm;

	if (*path == '\0')
		path = "/";
	if (flags & AWS_SIGV4_NO_NORMALIZE) {
		if (flags & AWS_SIGV4_NO_PATH_ENCODE)
			strbuf_adds(b, path);
		else
			aws_sigv4_encode(b, path, strlen(path), 1);
		return;
	}
	/* Walk the segments, keeping where each kept one starts. */
	strbuf_init(&n, MAXCANON);
	for (seg = path; *seg != '\0'; seg = *end ? end + 1 : end) {
		end = strchr(seg, '/');
		if (end == NULL)
			end = seg + strlen(seg);
		len = (size_t)(end - seg);
		if (len == 0 || (len == 1 && seg[0] == '.'))
			continue;
		if (len == 2 && seg[0] == '.' && seg[1] == '.') {
			if (depth > 0)
				n.len = starts[--depth];
			if (n.s != NULL)
				n.s[n.len] = '\0';
			continue;
		}
		if (depth == cap) {
			size_t *ns = realloc(starts, (cap ? 2 * cap : 16) *
			    sizeof(*ns));

			if (ns == NULL) {
				n.failed = 1;
				break;
			}
			starts = ns;
			cap = cap ? 2 * cap : 16;
		}
		starts[depth++] = n.len;
		strbuf_addc(&n, '/');
		strbuf_add(&n, seg, len);
	}
	free(starts);
	if (n.len == 0 || (path[strlen(path) - 1] == '/' && n.len > 0 &&
	    !n.failed))
		strbuf_addc(&n, '/');
	if ((norm = strbuf_finish(&n)) == NULL) {
		b->failed = 1;
		return;
	}
	if (flags & AWS_SIGV4_NO_PATH_ENCODE)
		strbuf_adds(b, norm);
	else
		aws_sigv4_encode(b, norm, strlen(norm), 1);
	free(norm);
}

/* One query parameter, encoded for the canonical query. */
struct param {
	char *key, *value;
};

static int
cmp_param(const void *a, const void *b)
{
	const struct param *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return (c != 0 ? c : strcmp(x->value, y->value));
}

/* ${n} bytes at ${s}, decoded then encoded strictly, as a new string. */
static char *
reencode(const char *s, size_t n)
{
	struct strbuf b;
	size_t len;
	char *raw;

	if ((raw = decode(s, n, &len)) == NULL)
		return (NULL);
	strbuf_init(&b, MAXCANON);
	aws_sigv4_encode(&b, raw, len, 0);
	free(raw);
	return (strbuf_finish(&b));
}

/* Append the canonical query of ${query}: parameters re-encoded and sorted
 * by key, then value. */
static int
canonical_query(struct strbuf *b, const char *query)
{
	struct param *p = NULL;
	const char *s, *amp, *eq;
	size_t n = 0, cap = 0, i;
	int rc = -1;

	for (s = query ? query : ""; *s != '\0'; s = *amp ? amp + 1 : amp) {
		amp = strchr(s, '&');
		if (amp == NULL)
			amp = s + strlen(s);
		if (amp == s)
			continue;
		if (n == cap) {
			struct param *np = realloc(p, (cap ? 2 * cap : 8) *
			    sizeof(*np));

			if (np == NULL)
				goto done;
			p = np;
			cap = cap ? 2 * cap : 8;
		}
		eq = memchr(s, '=', (size_t)(amp - s));
		p[n].key = reencode(s, (size_t)((eq ? eq : amp) - s));
		p[n].value = eq ? reencode(eq + 1, (size_t)(amp - eq - 1)) :
		    strdup("");
		n++;
		if (p[n - 1].key == NULL || p[n - 1].value == NULL)
			goto done;
	}
	if (n > 0)
		qsort(p, n, sizeof(*p), cmp_param);
	for (i = 0; i < n; i++)
		strbuf_addf(b, "%s%s=%s", i ? "&" : "", p[i].key, p[i].value);
	rc = 0;
done:
	for (i = 0; i < n; i++) {
		free(p[i].key);
		free(p[i].value);
	}
	free(p);
	return (rc);
}

static int
cmp_hdr(const void *a, const void *b)
{
	const struct hdr *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c != 0)
		return (c);
	return (x->order < y->order ? -1 : x->order > y->order);
}

/* ${name} lowercased, and ${value} trimmed with white space runs folded. */
static int
hdr_make(struct hdr *h, const char *name, const char *value, size_t order)
{
	struct strbuf b;
	const char *v;
	char *p;
	int space = 0;

	h->order = order;
	h->value = NULL;
	if ((h->name = strdup(name)) == NULL)
		return (-1);
	for (p = h->name; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	strbuf_init(&b, MAXCANON);
	for (v = value; *v == ' ' || *v == '\t' || *v == '\r' || *v == '\n';
	    v++)
		;
	for (; *v != '\0'; v++) {
		if (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n') {
			space = 1;
			continue;
		}
		if (space)
			strbuf_addc(&b, ' ');
		space = 0;
		strbuf_addc(&b, *v);
	}
	return ((h->value = strbuf_finish(&b)) == NULL ? -1 : 0);
}

static int
is_unsigned(const char *lname)
{
	const char *const *u;

	for (u = unsigned_headers; *u != NULL; u++)
		if (strcmp(lname, *u) == 0)
			return (1);
	return (0);
}

/* Non-zero if ${req} has a header named ${name} (any case). */
static int
has_header(const struct aws_sigv4_request *req, const char *name)
{
	size_t i;

	for (i = 0; i < req->nheaders; i++)
		if (strcasecmp(req->headers[i].name, name) == 0)
			return (1);
	return (0);
}

/*
 * Append the canonical headers and, to ${signed_list}, the signed header
 * names: the request's headers plus ${extra} (name, value pairs, NULL
 * name ends), sorted; duplicates joined with ',' in their order.
 */
static int
canonical_headers(struct strbuf *b, struct strbuf *signed_list,
    const struct aws_sigv4_request *req, const struct aws_sigv4_header *extra)
{
	struct hdr *h;
	size_t i, n = 0, nextra = 0;
	int rc = -1;

	while (extra[nextra].name != NULL)
		nextra++;
	if ((h = calloc(req->nheaders + nextra, sizeof(*h))) == NULL)
		return (-1);
	for (i = 0; i < req->nheaders + nextra; i++) {
		const struct aws_sigv4_header *src = i < req->nheaders ?
		    &req->headers[i] : &extra[i - req->nheaders];

		if (hdr_make(&h[n], src->name, src->value, i)) {
			n++;
			goto done;
		}
		if (is_unsigned(h[n].name)) {
			free(h[n].name);
			free(h[n].value);
			continue;
		}
		n++;
	}
	qsort(h, n, sizeof(*h), cmp_hdr);
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(h[i].name, h[i - 1].name) == 0) {
			strbuf_addf(b, ",%s", h[i].value);
			continue;
		}
		strbuf_addf(b, "%s%s:%s", i ? "\n" : "", h[i].name, h[i].value);
		strbuf_addf(signed_list, "%s%s", i ? ";" : "", h[i].name);
	}
	strbuf_addc(b, '\n');
	rc = 0;
done:
	for (i = 0; i < n; i++) {
		free(h[i].name);
		free(h[i].value);
	}
	free(h);
	return (rc);
}

/**
 * aws_sigv4_sign(req, key, scope, out):
 * Sign ${req} with ${key} for ${scope}, filling ${out}: the X-Amz-Date,
 * X-Amz-Security-Token (when the key has a token) and, with
 * AWS_SIGV4_CONTENT_SHA256, X-Amz-Content-Sha256 values, all of them signed
 * unless ${req} already has such a header, and the Authorization value.
 * Return 0, or -1 if a string grew past its limit or memory ran out.
 * Free ${out} with aws_sigv4_signed_free.
 */
int
aws_sigv4_sign(const struct aws_sigv4_request *req,
    const struct aws_sigv4_key *key, const struct aws_sigv4_scope *scope,
    struct aws_sigv4_signed *out)
{
	struct aws_sigv4_header extra[4];
	struct strbuf creq, list, sts, auth, k;
	unsigned char kdate[32], kregion[32], kservice[32], ksigning[32];
	unsigned char sig[32];
	char date[DATETIME_LEN], day[9], hash[65], hex[65];
	char *signed_headers;
	size_t nextra = 0;
	int i;

	memset(out, 0, sizeof(*out));
	/* "2026-11-25T10:15:00Z" -> "20261125T101500Z" and "20261125". */
	datetime_format(date, scope->now);
	snprintf(out->amz_date, sizeof(out->amz_date), "%.4s%.2s%.2sT%.2s%.2s%.2sZ",
	    date, date + 5, date + 8, date + 11, date + 14, date + 17);
	memcpy(day, out->amz_date, 8);
	day[8] = '\0';

	/* The headers the signer adds, unless the request has them. */
	if (!has_header(req, "x-amz-date"))
		extra[nextra++] = (struct aws_sigv4_header){ "x-amz-date",
		    out->amz_date };
	if (key->session_token != NULL) {
		out->session_token = key->session_token;
		if (!has_header(req, "x-amz-security-token"))
			extra[nextra++] = (struct aws_sigv4_header){
			    "x-amz-security-token", key->session_token };
	}
	if (scope->flags & AWS_SIGV4_CONTENT_SHA256) {
		snprintf(out->content_sha256, sizeof(out->content_sha256), "%s",
		    req->payload_hash);
		if (!has_header(req, "x-amz-content-sha256"))
			extra[nextra++] = (struct aws_sigv4_header){
			    "x-amz-content-sha256", out->content_sha256 };
	}
	extra[nextra].name = NULL;

	/* Task 1: the canonical request. */
	strbuf_init(&creq, MAXCANON);
	strbuf_init(&list, MAXCANON);
	strbuf_addf(&creq, "%s\n", req->method);
	canonical_uri(&creq, req->path, scope->flags);
	strbuf_addc(&creq, '\n');
	if (canonical_query(&creq, req->query))
		creq.failed = 1;
	strbuf_addc(&creq, '\n');
	if (canonical_headers(&creq, &list, req, extra))
		creq.failed = 1;
	strbuf_addc(&creq, '\n');
	strbuf_adds(&creq, list.s != NULL ? list.s : "");
	strbuf_addf(&creq, "\n%s", req->payload_hash);
	signed_headers = strbuf_finish(&list);
	out->canonical_request = strbuf_finish(&creq);
	if (signed_headers == NULL || out->canonical_request == NULL)
		goto err;

	/* Task 2: the string to sign. */
	strbuf_init(&sts, MAXCANON);
	strbuf_addf(&sts, "AWS4-HMAC-SHA256\n%s\n%s/%s/%s/aws4_request\n%s",
	    out->amz_date, day, scope->region, scope->service,
	    aws_sigv4_sha256_hex(out->canonical_request,
	    strlen(out->canonical_request), hash));
	if ((out->string_to_sign = strbuf_finish(&sts)) == NULL)
		goto err;

	/* Task 3: the signing key, one HMAC per step. */
	strbuf_init(&k, 4096);
	strbuf_addf(&k, "AWS4%s", key->secret_access_key);
	if (k.failed) {
		strbuf_free(&k);
		goto err;
	}
	/* kDate = HMAC("AWS4" + kSecret, Date). */
	hmac(k.s, k.len, day, kdate);
	OPENSSL_cleanse(k.s, k.len);
	strbuf_free(&k);
	/* kRegion = HMAC(kDate, Region). */
	hmac(kdate, 32, scope->region, kregion);
	/* kService = HMAC(kRegion, Service). */
	hmac(kregion, 32, scope->service, kservice);
	/* kSigning = HMAC(kService, "aws4_request"). */
	hmac(kservice, 32, "aws4_request", ksigning);
	/* Signature = HexEncode(HMAC(kSigning, StringToSign)). */
	hmac(ksigning, 32, out->string_to_sign, sig);
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", sig[i]);
	OPENSSL_cleanse(kdate, sizeof(kdate));
	OPENSSL_cleanse(ksigning, sizeof(ksigning));

	/* Task 4: the Authorization header. */
	strbuf_init(&auth, MAXCANON);
	strbuf_addf(&auth, "AWS4-HMAC-SHA256 Credential=%s/%s/%s/%s/aws4_request, "
	    "SignedHeaders=%s, Signature=%s", key->access_key_id, day,
	    scope->region, scope->service, signed_headers, hex);
	free(signed_headers);
	if ((out->authorization = strbuf_finish(&auth)) == NULL)
		goto err1;
	return (0);

err:
	free(signed_headers);
err1:
	aws_sigv4_signed_free(out);
	return (-1);
}

/**
 * aws_sigv4_signed_free(out):
 * Free the strings of ${out}.
 */
void
aws_sigv4_signed_free(struct aws_sigv4_signed *out)
{

	free(out->authorization);
	free(out->canonical_request);
	free(out->string_to_sign);
	out->authorization = out->canonical_request = out->string_to_sign = NULL;
}
