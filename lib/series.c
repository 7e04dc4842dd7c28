#include <err.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "datetime.h"
#include "ndjson.h"
#include "projdir.h"
#include "series.h"

#define DAY	86400

static const char *const names[SERIES_NMETRICS] = {
	"ConsumedReadCapacityUnits", "ConsumedWriteCapacityUnits",
	"ProvisionedReadCapacityUnits", "ProvisionedWriteCapacityUnits",
	"ReadThrottleEvents", "WriteThrottleEvents"
};

struct series_reader {
	struct ndjson_reader *in;
	json_t *rec;		/* the record less its values */
	char *rest;		/* its text */
	size_t restcap;
	double *values;
	size_t cap;
};

struct series_reader *
series_open(const char *path)
{
	struct series_reader *r;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		warn("%s", path);
		return (NULL);
	}
	if ((r->in = ndjson_reader_open(path, NDJSON_MAXLINE)) == NULL) {
		free(r);
		return (NULL);
	}
	return (r);
}

int
series_metric(const char *name)
{
	int i;

	for (i = 0; i < SERIES_NMETRICS; i++)
		if (strcmp(names[i], name) == 0)
			return (i);
	return (-1);
}

const char *
series_metric_name(int m)
{

	return (m >= 0 && m < SERIES_NMETRICS ? names[m] : "unknown");
}

/*
 * Find the array of the top-level member "values" of the object in
 * ${s}..${e}: set ${a} to its '[' and ${b} to its ']'.  Return 0, or -1
 * if there is none (or the text is too broken to tell).
 */
static int
find_values(const char *s, const char *e, const char **a, const char **b)
{
	const char *p, *key = NULL, *keyend = NULL;
	int depth = 0;

	for (p = s; p < e; p++) {
		switch (*p) {
		case '"':
			key = p + 1;
			for (p++; p < e && *p != '"'; p++)
				if (*p == '\\')
					p++;
			keyend = p;
			break;
		case '{':
		case '[':
			depth++;
			break;
		case '}':
		case ']':
			depth--;
			break;
		case ':':
			if (depth != 1 || key == NULL || keyend - key != 6 ||
			    memcmp(key, "values", 6) != 0)
				break;
			for (p++; p < e && (*p == ' ' || *p == '\t' ||
			    *p == '\r'); p++)
				;
			if (p == e || *p != '[')
				return (-1);
			*a = p;
			if ((*b = memchr(p, ']', (size_t)(e - p))) == NULL)
				return (-1);
			return (0);
		}
	}
	return (-1);
}

/* The powers of ten that are exact doubles. */
static const double tens[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
	1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
	1e21, 1e22 };

/*
 * Parse the JSON number at ${p} (before ${e}) into ${d}; return the end of
 * it, or NULL if there is none.  A mantissa below 2^53 with at most 22
 * decimals and no exponent, the usual case, is one exact division (both
 * operands are exact doubles, so the quotient is the correctly rounded
 * value strtod gives); anything else goes to strtod.
 */
static const char *
number(const char *p, const char *e, double *d)
{
	const char *q = p, *digits, *fraction;
	char buf[64], *end;
	uint64_t m = 0;
	ptrdiff_t nint, frac = 0;

	if (q < e && *q == '-')
		q++;
	for (digits = q; q < e && (unsigned char)(*q - '0') < 10; q++)
		m = m * 10 + (uint64_t)(*q - '0');
	nint = q - digits;
	if (nint == 0 || (nint > 1 && *digits == '0'))
		return (NULL);
	if (q < e && *q == '.') {
		for (fraction = ++q; q < e && (unsigned char)(*q - '0') < 10;
		    q++)
			m = m * 10 + (uint64_t)(*q - '0');
		if ((frac = q - fraction) == 0)
			return (NULL);
	}
	if (q < e && (*q == 'e' || *q == 'E')) {
		if (++q < e && (*q == '+' || *q == '-'))
			q++;
		if (q == e || (unsigned char)(*q - '0') >= 10)
			return (NULL);
		while (q < e && (unsigned char)(*q - '0') < 10)
			q++;
	} else if (nint + frac <= 19 && m < ((uint64_t)1 << 53) &&
	    frac <= 22) {
		*d = frac == 0 ? (double)m : (double)m / tens[frac];
		if (*p == '-')
			*d = -*d;
		return (q);
	}
	/* The slow road: exponents, long mantissas. */
	if ((size_t)(q - p) >= sizeof(buf))
		return (NULL);
	memcpy(buf, p, (size_t)(q - p));
	buf[q - p] = '\0';
	*d = strtod(buf, &end);
	return (*end == '\0' && isfinite(*d) ? q : NULL);
}

/*
 * The common number of the values, at ${p}: digits, perhaps a '.' and
 * digits, no sign, no exponent, up to 15 digits (so the mantissa is
 * exact) of which at most 12 before the point (so it is below
 * SERIES_MAXVALUE), read as number() reads it but without bounds: the
 * array's ']' stops every scan.  Return its end, or NULL for number() to
 * judge (and for anything that is not a number).
 */
static const char *
decimal(const char *p, double *d)
{
	const char *q = p, *fraction;
	uint64_t m;
	unsigned c;
	size_t frac = 0;

	if ((m = (unsigned char)*q - '0') >= 10)
		return (NULL);
	if (m == 0) {
		/* No digit after a leading zero. */
		if ((unsigned char)(q[1] - '0') < 10)
			return (NULL);
		q++;
	} else {
		while ((c = (unsigned char)*++q - '0') < 10)
			m = m * 10 + c;
		/* Below SERIES_MAXVALUE: tested here, where it costs
		 * least (about 1% of the reading). */
		if (q - p > 12)
			return (NULL);
	}
	if (*q == '.') {
		for (fraction = q + 1; (c = (unsigned char)*++q - '0') < 10;)
			m = m * 10 + c;
		if ((frac = (size_t)(q - fraction)) == 0)
			return (NULL);
	}
	if ((size_t)(q - p) - (frac > 0) > 15 || *q == 'e' || *q == 'E')
		return (NULL);
	*d = (double)m / tens[frac];
	return (q);
}

/*
 * Whether the values ${p}..${b} (inside the brackets) are "null,null,...,
 * null", as a day without datapoints is: its text repeats every five
 * bytes from "null,", which one memcmp of the text against itself moved
 * by five tells.  If so, their number into ${n}.
 */
static int
nulls(const char *p, const char *b, size_t *n)
{
	size_t len = (size_t)(b - p);

	if (len % 5 != 4 || memcmp(p, "null,", len == 4 ? 4 : 5) != 0 ||
	    (len > 4 && memcmp(p, p + 5, len - 5) != 0))
		return (0);
	*n = len / 5 + 1;
	return (1);
}

/* Past JSON's blanks (but newlines, which end a record) at ${p}, before
 * ${e}: most values have none, and pay one comparison. */
static const char *
blank(const char *p, const char *e)
{

	while (p < e && *p <= ' ' && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	return (p);
}

/* Decode the array ${a}..${b} (its brackets) into r->values; count in *n.
 * Return 0, -1 if it is not an array of numbers and nulls, or -2 if
 * value *n is negative or above SERIES_MAXVALUE (decimal() reads none
 * such: only number()'s are checked). */
static int
values(struct series_reader *r, const char *a, const char *b, size_t *n)
{
	const char *p = a + 1, *q;
	double *v;
	size_t cap, k;

	/* Room for as many values as the text can hold: a digit and a
	 * comma each. */
	if ((cap = (size_t)(b - a) / 2 + 1) > r->cap) {
		if ((v = realloc(r->values, cap * sizeof(*v))) == NULL)
			return (-1);
		r->values = v;
		r->cap = cap;
	}
	v = r->values;
	if (nulls(p, b, n)) {
		for (k = 0; k < *n; k++)
			v[k] = NAN;
		return (0);
	}
	for (k = 0;; k++) {
		/* The common number first, then blanks, null and the rest. */
		if ((q = decimal(p, &v[k])) != NULL)
			p = q;
		else if ((p = blank(p, b)) == b)
			break;
		else if (*p == 'n' && b - p >= 4 && memcmp(p, "null", 4) == 0) {
			v[k] = NAN;
			p += 4;
		} else if ((p = number(p, b, &v[k])) == NULL)
			return (-1);
		else if (!(v[k] >= 0 && v[k] <= SERIES_MAXVALUE)) {
			*n = k;
			return (-2);
		}
		if (p < b && *p == ',') {
			p++;
			continue;
		}
		if ((p = blank(p, b)) == b) {
			*n = k + 1;
			return (0);
		}
		if (*p++ != ',')
			return (-1);
	}
	*n = 0;
	return (k == 0 ? 0 : -1);
}

/* The members of a record (less its values) that series_next reads. */
struct header {
	const char *kind, *account, *region, *table, *index, *metric, *start;
	int index_null;		/* "index" is null */
	int period_int;		/* "period" is an integer: period */
	long long period;
};

#define PLAIN_MEMBERS	16

/* Whether the ${len} bytes at ${k} are the key ${name}. */
#define IS(k, len, name)	((len) == sizeof(name) - 1 && \
				    memcmp((k), (name), (len)) == 0)

/*
 * Read the record less its values, ${p}..${e}, into ${h} without Jansson
 * when it is the plain JSON optima writes: an object of "key":value
 * members without blanks, keys of lowercase letters and '_', each key
 * once, each value a string of printable ASCII without escapes, an
 * integer of up to 18 digits without sign or leading zero, null or [].
 * Return 1, with the strings ended in place, or 0 for anything else (the
 * text as it was), which Jansson then reads and judges: the same records
 * are taken either way, with the same values (fuzz-series checks it).
 */
static int
plain(char *p, char *e, struct header *h)
{
	char *key[PLAIN_MEMBERS], *end[2 * PLAIN_MEMBERS], *str, *q;
	size_t klen[PLAIN_MEMBERS], n;
	int nkeys = 0, nend = 0, i, nd;
	long long num;

	memset(h, 0, sizeof(*h));
	if (p == e || *p++ != '{')
		return (0);
	for (;;) {
		/* "key" */
		if (p == e || *p++ != '"' || nkeys == PLAIN_MEMBERS)
			return (0);
		for (q = p; q < e && ((*q >= 'a' && *q <= 'z') || *q == '_');
		    q++)
			;
		if (q == p || q + 1 >= e || q[0] != '"' || q[1] != ':')
			return (0);
		n = (size_t)(q - p);
		for (i = 0; i < nkeys; i++)
			if (klen[i] == n && memcmp(key[i], p, n) == 0)
				return (0);
		key[nkeys] = p;
		klen[nkeys++] = n;
		p = q + 2;

		/* value */
		str = NULL;
		num = -1;
		if (p < e && *p == '"') {
			for (q = ++p; q < e && *q >= ' ' && *q <= '~' &&
			    *q != '"' && *q != '\\'; q++)
				;
			if (q == e || *q != '"')
				return (0);
			end[nend++] = q;
			str = p;
			p = q + 1;
		} else if (p < e && *p >= '1' && *p <= '9') {
			for (num = 0, nd = 0; p < e && *p >= '0' && *p <= '9' &&
			    nd < 18; p++, nd++)
				num = num * 10 + (*p - '0');
			if (p < e && ((*p >= '0' && *p <= '9') || *p == '.' ||
			    *p == 'e' || *p == 'E'))
				return (0);
		} else if (e - p >= 4 && memcmp(p, "null", 4) == 0) {
			p += 4;
			if (IS(key[nkeys - 1], n, "index"))
				h->index_null = 1;
		} else if (e - p >= 2 && p[0] == '[' && p[1] == ']')
			p += 2;
		else
			return (0);

		q = key[nkeys - 1];
		if (str == NULL) {
			if (num >= 0 && IS(q, n, "period")) {
				h->period_int = 1;
				h->period = num;
			}
		} else if (IS(q, n, "kind"))
			h->kind = str;
		else if (IS(q, n, "account"))
			h->account = str;
		else if (IS(q, n, "region"))
			h->region = str;
		else if (IS(q, n, "table"))
			h->table = str;
		else if (IS(q, n, "index"))
			h->index = str;
		else if (IS(q, n, "metric"))
			h->metric = str;
		else if (IS(q, n, "start"))
			h->start = str;

		if (p < e && *p == ',') {
			p++;
			continue;
		}
		if (p == e || *p != '}' || p + 1 != e)
			return (0);
		for (i = 0; i < nend; i++)
			*end[i] = '\0';
		return (1);
	}
}

/* The same members from Jansson's ${rec}. */
static void
members(const json_t *rec, struct header *h)
{
	const json_t *index = json_object_get(rec, "index");
	const json_t *period = json_object_get(rec, "period");

	h->kind = json_string_value(json_object_get(rec, "kind"));
	h->account = json_string_value(json_object_get(rec, "account"));
	h->region = json_string_value(json_object_get(rec, "region"));
	h->table = json_string_value(json_object_get(rec, "table"));
	h->index = json_string_value(index);
	h->index_null = json_is_null(index);
	h->metric = json_string_value(json_object_get(rec, "metric"));
	h->start = json_string_value(json_object_get(rec, "start"));
	h->period_int = json_is_integer(period);
	h->period = json_integer_value(period);
}

int
series_next(struct series_reader *r, struct series *s)
{
	const struct ndjson_pos *pos = ndjson_reader_pos(r->in);
	const char *line, *a, *b;
	struct header h;
	json_error_t je;
	size_t len, n, need, rlen;
	int rc;

	json_decref(r->rec);
	r->rec = NULL;
	if ((rc = ndjson_reader_line(r->in, &line, &len)) != 1)
		return (rc);
	if (find_values(line, line + len, &a, &b)) {
		ndjson_warnx(pos, "not a series record with \"values\"");
		return (-1);
	}
	/* The record without its values. */
	need = len - (size_t)(b - a) + 2;
	if (need > r->restcap) {
		free(r->rest);
		if ((r->rest = malloc(need)) == NULL) {
			r->restcap = 0;
			warn("%s:%lu", pos->file, pos->line);
			return (-1);
		}
		r->restcap = need;
	}
	memcpy(r->rest, line, (size_t)(a - line) + 1);
	memcpy(r->rest + (a - line) + 1, b, len - (size_t)(b - line));
	rlen = len - (size_t)(b - a) + 1;
	if (!plain(r->rest, r->rest + rlen, &h)) {
		if ((r->rec = json_loadb(r->rest, rlen,
		    JSON_REJECT_DUPLICATES, &je)) == NULL) {
			ndjson_warnx(pos, "invalid JSON near column %d: %s",
			    je.column, je.text);
			return (-1);
		}
		if (!json_is_object(r->rec)) {
			ndjson_warnx(pos, "not a series record");
			return (-1);
		}
		members(r->rec, &h);
	}
	if (h.kind == NULL || strcmp(h.kind, "series") != 0) {
		ndjson_warnx(pos, "not a series record");
		return (-1);
	}
	s->account = h.account;
	s->region = h.region;
	s->table = h.table;
	s->index = h.index;
	if (s->account == NULL || !projdir_valid_account(s->account) ||
	    s->region == NULL || !projdir_valid_region(s->region) ||
	    s->table == NULL || *s->table == '\0' || h.metric == NULL ||
	    (!h.index_null && (s->index == NULL || *s->index == '\0')) ||
	    !h.period_int || h.start == NULL) {
		ndjson_warnx(pos, "a series record needs \"account\", "
		    "\"region\", \"table\", \"index\", \"metric\", \"period\" "
		    "and \"start\"");
		return (-1);
	}
	s->metric = series_metric(h.metric);
	if (h.period <= 0 || h.period > DAY || DAY % h.period != 0) {
		ndjson_warnx(pos, "period %lld does not divide a day",
		    h.period);
		return (-1);
	}
	s->period = (int)h.period;
	if (datetime_parse(&s->start, h.start) || s->start % DAY != 0) {
		ndjson_warnx(pos, "start \"%s\" is not a UTC midnight",
		    h.start);
		return (-1);
	}
	if ((rc = values(r, a, b, &n)) == -2) {
		ndjson_warnx(pos, "value %zu of \"values\" is %g: a count of "
		    "capacity units or events is never negative nor above %g",
		    n + 1, r->values[n], SERIES_MAXVALUE);
		return (-1);
	}
	if (rc != 0) {
		ndjson_warnx(pos, "\"values\" is not an array of numbers and "
		    "nulls");
		return (-1);
	}
	if (n != (size_t)(DAY / s->period)) {
		ndjson_warnx(pos, "%zu values, not the %d of a day at %d "
		    "seconds", n, DAY / s->period, s->period);
		return (-1);
	}
	s->values = r->values;
	s->n = n;
	return (1);
}

const struct ndjson_pos *
series_pos(const struct series_reader *r)
{

	return (ndjson_reader_pos(r->in));
}

void
series_close(struct series_reader *r)
{

	if (r == NULL)
		return;
	ndjson_reader_close(r->in);
	json_decref(r->rec);
	free(r->rest);
	free(r->values);
	free(r);
}
