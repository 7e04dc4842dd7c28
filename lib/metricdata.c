#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metricdata.h"

#define MAXDEPTH	32	/* of values skipped */

struct metricdata {
	const char *start, *p, *end;
	double *ts, *vs;
	size_t nts, nvs, capts, capvs;
	size_t numbers;		/* in the reply's arrays so far */
	int depth;
	char err[160];
};

static int
fail(struct metricdata *md, const char *what)
{

	snprintf(md->err, sizeof(md->err), "%s at byte %zu", what,
	    (size_t)(md->p - md->start));
	return (-1);
}

/* The next byte that is not white space, or -1 at the end. */
static int
peek(struct metricdata *md)
{

	while (md->p < md->end && (*md->p == ' ' || *md->p == '\t' ||
	    *md->p == '\n' || *md->p == '\r'))
		md->p++;
	return (md->p < md->end ? (unsigned char)*md->p : -1);
}

static int
eat(struct metricdata *md, int c)
{
	char what[32];

	if (peek(md) != c) {
		snprintf(what, sizeof(what), "expected '%c'", c);
		return (fail(md, what));
	}
	md->p++;
	return (0);
}

static int
literal(struct metricdata *md, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(md->end - md->p) < n || memcmp(md->p, word, n) != 0)
		return (fail(md, "invalid literal"));
	md->p += n;
	return (0);
}

static int
hex4(struct metricdata *md, unsigned *cp)
{
	int i, c;

	*cp = 0;
	if (md->end - md->p < 4)
		return (fail(md, "short \\u escape"));
	for (i = 0; i < 4; i++) {
		c = (unsigned char)*md->p++;
		*cp <<= 4;
		if (c >= '0' && c <= '9')
			*cp |= (unsigned)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			*cp |= (unsigned)((c | 0x20) - 'a' + 10);
		else
			return (fail(md, "invalid \\u escape"));
	}
	return (0);
}

/* Append the code point ${cp} as UTF-8 to ${out} (of ${cap} bytes, NULL to
 * only count). */
static void
put(char *out, size_t cap, size_t *n, unsigned cp)
{
	unsigned char b[4];
	size_t k, i;

	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		k = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xc0 | cp >> 6);
		b[1] = (unsigned char)(0x80 | (cp & 0x3f));
		k = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xe0 | cp >> 12);
		b[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
		k = 3;
	} else {
		b[0] = (unsigned char)(0xf0 | cp >> 18);
		b[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		b[3] = (unsigned char)(0x80 | (cp & 0x3f));
		k = 4;
	}
	for (i = 0; i < k; i++, (*n)++)
		if (out != NULL && *n + 1 < cap)
			out[*n] = (char)b[i];
}

/*
 * A string, unescaped into ${out} of ${cap} bytes and NUL-terminated, or
 * only checked if ${out} is NULL.  A string that does not fit is an error.
 */
static int
string(struct metricdata *md, char *out, size_t cap)
{
	size_t n = 0;
	unsigned c, lo;

	if (eat(md, '"'))
		return (-1);
	while (md->p < md->end && *md->p != '"') {
		c = (unsigned char)*md->p++;
		if (c < 0x20)
			return (fail(md, "control character in a string"));
		if (c == '\\') {
			if (md->p >= md->end)
				break;
			switch (*md->p++) {
			case '"': c = '"'; break;
			case '\\': c = '\\'; break;
			case '/': c = '/'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'u':
				if (hex4(md, &c))
					return (-1);
				if (c >= 0xd800 && c < 0xdc00 &&
				    md->end - md->p >= 6 && md->p[0] == '\\' &&
				    md->p[1] == 'u') {
					md->p += 2;
					if (hex4(md, &lo))
						return (-1);
					c = lo >= 0xdc00 && lo < 0xe000 ? 0x10000 +
					    ((c - 0xd800) << 10) + (lo - 0xdc00) :
					    0xfffd;
				} else if (c >= 0xd800 && c < 0xe000)
					c = 0xfffd;
				put(out, cap, &n, c);
				continue;
			default:
				return (fail(md, "invalid escape"));
			}
			put(out, cap, &n, c);
		} else if (out != NULL && n + 1 < cap)
			out[n++] = (char)c;
		else
			n++;
	}
	if (md->p >= md->end)
		return (fail(md, "unterminated string"));
	md->p++;
	if (out != NULL) {
		if (n >= cap)
			return (fail(md, "string too long"));
		out[n] = '\0';
	}
	return (0);
}

static int
digits(struct metricdata *md)
{
	const char *s = md->p;

	while (md->p < md->end && *md->p >= '0' && *md->p <= '9')
		md->p++;
	return (md->p > s ? 0 : fail(md, "invalid number"));
}

/* A JSON number. */
static int
number(struct metricdata *md, double *v)
{
	const char *s;
	char buf[64];
	char *e;

	(void)peek(md);
	s = md->p;
	if (md->p < md->end && *md->p == '-')
		md->p++;
	if (md->p < md->end && *md->p == '0')
		md->p++;
	else if (digits(md))
		return (-1);
	if (md->p < md->end && *md->p == '.') {
		md->p++;
		if (digits(md))
			return (-1);
	}
	if (md->p < md->end && (*md->p == 'e' || *md->p == 'E')) {
		md->p++;
		if (md->p < md->end && (*md->p == '+' || *md->p == '-'))
			md->p++;
		if (digits(md))
			return (-1);
	}
	if ((size_t)(md->p - s) >= sizeof(buf))
		return (fail(md, "number too long"));
	memcpy(buf, s, (size_t)(md->p - s));
	buf[md->p - s] = '\0';
	*v = strtod(buf, &e);
	return (0);
}

/* Any value, checked and passed over. */
static int
skip(struct metricdata *md)
{
	double d;
	int c, rc = 0;

	if (++md->depth > MAXDEPTH)
		return (fail(md, "nested too deeply"));
	switch (peek(md)) {
	case '{':
	case '[':
		c = *md->p++ == '{' ? '}' : ']';
		if (peek(md) == c) {
			md->p++;
			break;
		}
		for (;;) {
			if (c == '}' && (string(md, NULL, 0) || eat(md, ':'))) {
				rc = -1;
				break;
			}
			if (skip(md)) {
				rc = -1;
				break;
			}
			if (peek(md) == ',') {
				md->p++;
				continue;
			}
			rc = eat(md, c);
			break;
		}
		break;
	case '"':
		rc = string(md, NULL, 0);
		break;
	case 't':
		rc = literal(md, "true");
		break;
	case 'f':
		rc = literal(md, "false");
		break;
	case 'n':
		rc = literal(md, "null");
		break;
	default:
		rc = number(md, &d);
	}
	md->depth--;
	return (rc);
}

/* An array of numbers into ${v}, growing it. */
static int
numbers(struct metricdata *md, double **v, size_t *n, size_t *cap)
{
	double d, *nv;

	*n = 0;
	if (eat(md, '['))
		return (-1);
	if (peek(md) == ']') {
		md->p++;
		return (0);
	}
	for (;;) {
		if (number(md, &d))
			return (-1);
		/* Two numbers a datapoint: its timestamp and its value. */
		if (++md->numbers > 2 * METRICDATA_MAXPOINTS)
			return (fail(md, "more than 100800 datapoints"));
		if (*n == *cap) {
			/* No overflow: the body bounds the count. */
			if ((nv = realloc(*v, (*cap ? *cap * 2 : 1024) *
			    sizeof(*nv))) == NULL) {
				warn("metricdata");
				return (fail(md, "out of memory"));
			}
			*v = nv;
			*cap = *cap ? *cap * 2 : 1024;
		}
		(*v)[(*n)++] = d;
		if (peek(md) == ',')
			md->p++;
		else
			return (eat(md, ']'));
	}
}

/* One member of MetricDataResults. */
static int
result(struct metricdata *md,
    int (*cb)(const struct metricdata_result *, void *), void *ctx)
{
	struct metricdata_result r;
	char key[64], id[256] = "", status[64] = "";
	int rc = 0;

	md->nts = md->nvs = 0;
	if (eat(md, '{'))
		return (-1);
	if (peek(md) == '}')
		md->p++;
	else
		for (;;) {
			if (string(md, key, sizeof(key)) || eat(md, ':'))
				return (-1);
			if (strcmp(key, "Id") == 0)
				rc = string(md, id, sizeof(id));
			else if (strcmp(key, "StatusCode") == 0)
				rc = string(md, status, sizeof(status));
			else if (strcmp(key, "Timestamps") == 0)
				rc = numbers(md, &md->ts, &md->nts, &md->capts);
			else if (strcmp(key, "Values") == 0)
				rc = numbers(md, &md->vs, &md->nvs, &md->capvs);
			else
				rc = skip(md);
			if (rc != 0)
				return (-1);
			if (peek(md) != ',') {
				if (eat(md, '}'))
					return (-1);
				break;
			}
			md->p++;
		}
	if (id[0] == '\0')
		return (fail(md, "a result without an Id"));
	if (md->nts != md->nvs)
		return (fail(md, "Timestamps and Values of different lengths"));
	r.id = id;
	r.status = status;
	r.timestamps = md->ts;
	r.values = md->vs;
	r.n = md->nts;
	return (cb(&r, ctx));
}

/**
 * metricdata_new():
 * A parser, whose buffers are kept from one reply to the next.  Return
 * NULL on allocation failure (reported).
 */
struct metricdata *
metricdata_new(void)
{
	struct metricdata *md;

	if ((md = calloc(1, sizeof(*md))) == NULL)
		warn("metricdata");
	return (md);
}

/**
 * metricdata_parse(md, body, len, cb, ctx, next):
 * Parse the reply ${body} of ${len} bytes, calling ${cb}(result, ${ctx})
 * for each of its results (borrowed until ${cb} returns), and set ${next}
 * to the NextToken (malloced) or NULL.  Return 0; -1 if the reply is
 * malformed (see metricdata_error) or out of memory; or the first non-zero
 * value ${cb} returned.
 */
int
metricdata_parse(struct metricdata *md, const char *body, size_t len,
    int (*cb)(const struct metricdata_result *, void *), void *ctx,
    char **next)
{
	char key[64];
	const char *s;
	size_t n;
	int rc;

	*next = NULL;
	md->start = md->p = body;
	md->end = body + len;
	md->depth = 0;
	md->numbers = 0;
	md->err[0] = '\0';
	if (eat(md, '{'))
		return (-1);
	if (peek(md) == '}')
		md->p++;
	else
		for (;;) {
			if (string(md, key, sizeof(key)) || eat(md, ':'))
				goto bad;
			if (strcmp(key, "MetricDataResults") == 0) {
				if (eat(md, '['))
					goto bad;
				if (peek(md) == ']')
					md->p++;
				else
					for (;;) {
						if ((rc = result(md, cb, ctx)) != 0)
							goto out;
						if (peek(md) != ',') {
							if (eat(md, ']'))
								goto bad;
							break;
						}
						md->p++;
					}
			} else if (strcmp(key, "NextToken") == 0 &&
			    peek(md) == '"') {
				/* Unescaped, it is no longer than it is here. */
				s = md->p;
				if (string(md, NULL, 0))
					goto bad;
				n = (size_t)(md->p - s);
				md->p = s;
				free(*next);
				if ((*next = malloc(n)) == NULL) {
					warn("metricdata");
					goto bad;
				}
				if (string(md, *next, n))
					goto bad;
			} else if (skip(md))
				goto bad;
			if (peek(md) != ',') {
				if (eat(md, '}'))
					goto bad;
				break;
			}
			md->p++;
		}
	if (peek(md) != -1) {
		fail(md, "text after the reply");
		goto bad;
	}
	return (0);
bad:
	rc = -1;
out:
	free(*next);
	*next = NULL;
	return (rc);
}

/**
 * metricdata_error(md):
 * What was wrong with the last reply that failed to parse, and where.
 */
const char *
metricdata_error(const struct metricdata *md)
{

	return (md->err);
}

/**
 * metricdata_free(md):
 * Free ${md}.  NULL is a no-op.
 */
void
metricdata_free(struct metricdata *md)
{

	if (md == NULL)
		return;
	free(md->ts);
	free(md->vs);
	free(md);
}
