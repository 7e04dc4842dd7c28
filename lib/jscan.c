#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jscan.h"

/* The text of one value, as the scan goes. */
struct scan {
	const char *p, *e;
	const size_t *nlen;	/* the lengths of the names asked for */
};

/* What a byte is in a string: 0 itself, else one to look at. */
enum { PLAIN, QUOTE, ESCAPE, CONTROL, HIGH };
static unsigned char class[256];

/* Fill class[] (the same every time: threads may race to it). */
static void
classes(void)
{
	int c;

	for (c = 0; c < 256; c++)
		class[c] = c < 0x20 ? CONTROL : c == '"' ? QUOTE : c == '\\' ?
		    ESCAPE : c >= 0x80 ? HIGH : PLAIN;
}

static int value(struct scan *, int);

static void
blanks(struct scan *s)
{

	/* The records optima writes have none. */
	if (s->p < s->e && (unsigned char)*s->p > ' ')
		return;
	while (s->p < s->e && (*s->p == ' ' || *s->p == '\t' ||
	    *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

/* Past the string at s->p; ${hard} set if it has escapes or bytes
 * beyond ASCII, which Jansson checks.  Return 0, or -1. */
static int
string(struct scan *s, int *hard)
{
	const char *b = s->p;
	unsigned char c;

	*hard = 0;
	for (s->p++; s->p < s->e; s->p++) {
		while (s->p < s->e && class[(unsigned char)*s->p] == PLAIN)
			s->p++;
		if (s->p == s->e)
			break;
		c = class[(unsigned char)*s->p];
		if (c == QUOTE)
			break;
		if (c == CONTROL)
			return (-1);
		*hard = 1;
		if (c == ESCAPE && ++s->p == s->e)
			return (-1);
	}
	if (s->p == s->e)
		return (-1);
	s->p++;
	if (*hard) {
		json_t *v = json_loadb(b, (size_t)(s->p - b), JSON_DECODE_ANY,
		    NULL);

		if (v == NULL)
			return (-1);
		json_decref(v);
	}
	return (0);
}

static int
digits(struct scan *s)
{
	const char *b = s->p;

	while (s->p < s->e && *s->p >= '0' && *s->p <= '9')
		s->p++;
	return (s->p > b ? 0 : -1);
}

/* Past the number at s->p, as JSON has them.  Return 0, or -1. */
static int
number(struct scan *s)
{

	if (*s->p == '-')
		s->p++;
	if (s->p < s->e && *s->p == '0')
		s->p++;
	else if (digits(s))
		return (-1);
	if (s->p < s->e && *s->p == '.') {
		s->p++;
		if (digits(s))
			return (-1);
	}
	if (s->p < s->e && (*s->p == 'e' || *s->p == 'E')) {
		s->p++;
		if (s->p < s->e && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (digits(s))
			return (-1);
	}
	return (0);
}

static int
word(struct scan *s, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(s->e - s->p) < n || memcmp(s->p, w, n) != 0)
		return (-1);
	s->p += n;
	return (0);
}

/* Whether the key at ${k} (${n} bytes with its quotes, escaped if
 * ${hard}) is ${name} (${len} bytes). */
static int
named(const char *k, size_t n, int hard, const char *name, size_t len)
{
	json_t *v;
	int r;

	if (!hard)
		return (n - 2 == len && memcmp(k + 1, name, len) == 0);
	v = json_loadb(k, n, JSON_DECODE_ANY, NULL);
	r = json_string_length(v) == len &&
	    memcmp(json_string_value(v), name, len) == 0;
	json_decref(v);
	return (r);
}

/* Past the object at s->p; its members of ${m} (${n}) found. */
static int
object(struct scan *s, int depth, struct jscan_member *m, size_t n)
{
	const char *k;
	size_t i, kn;
	int hard;

	s->p++;
	blanks(s);
	if (s->p < s->e && *s->p == '}') {
		s->p++;
		return (0);
	}
	for (;;) {
		if (s->p == s->e || *s->p != '"')
			return (-1);
		k = s->p;
		if (string(s, &hard))
			return (-1);
		kn = (size_t)(s->p - k);
		blanks(s);
		if (s->p == s->e || *s->p++ != ':')
			return (-1);
		blanks(s);
		for (i = 0; i < n; i++)
			if (named(k, kn, hard, m[i].name, s->nlen[i]))
				break;
		if (i < n && m[i].v != NULL)
			return (-1);
		if (i < n)
			m[i].v = s->p;
		if (value(s, depth + 1))
			return (-1);
		if (i < n)
			m[i].len = (size_t)(s->p - m[i].v);
		blanks(s);
		if (s->p == s->e)
			return (-1);
		if (*s->p == '}') {
			s->p++;
			return (0);
		}
		if (*s->p++ != ',')
			return (-1);
		blanks(s);
	}
}

/* Past the array at s->p. */
static int
array(struct scan *s, int depth)
{

	s->p++;
	blanks(s);
	if (s->p < s->e && *s->p == ']') {
		s->p++;
		return (0);
	}
	for (;;) {
		if (value(s, depth + 1))
			return (-1);
		blanks(s);
		if (s->p == s->e)
			return (-1);
		if (*s->p == ']') {
			s->p++;
			return (0);
		}
		if (*s->p++ != ',')
			return (-1);
		blanks(s);
	}
}

/* Past the value at s->p (no blanks before it). */
static int
value(struct scan *s, int depth)
{
	int hard;

	if (s->p == s->e || depth > JSCAN_MAXDEPTH)
		return (-1);
	switch (*s->p) {
	case '{':
		return (object(s, depth, NULL, 0));
	case '[':
		return (array(s, depth));
	case '"':
		return (string(s, &hard));
	case 't':
		return (word(s, "true"));
	case 'f':
		return (word(s, "false"));
	case 'n':
		return (word(s, "null"));
	default:
		if (*s->p == '-' || (*s->p >= '0' && *s->p <= '9'))
			return (number(s));
		return (-1);
	}
}

/* Find members of an object (see jscan.h). */
int
jscan_object(const char *p, size_t len, struct jscan_member *m, size_t n)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct scan s = { p, p + len, NULL };
	size_t nlen[JSCAN_MAXMEMBERS], i;

	pthread_once(&once, classes);
	if (n > JSCAN_MAXMEMBERS)
		return (-1);
	for (i = 0; i < n; i++) {
		m[i].v = NULL;
		m[i].len = 0;
		nlen[i] = strlen(m[i].name);
	}
	s.nlen = nlen;
	blanks(&s);
	if (s.p == s.e || *s.p != '{' || object(&s, 0, m, n))
		return (-1);
	blanks(&s);
	return (s.p == s.e ? 0 : -1);
}

/* A string value, decoded (see jscan.h). */
long
jscan_string(const struct jscan_member *m, char *buf, size_t size)
{
	const char *s;
	json_t *v;
	size_t n;

	*buf = '\0';
	if (!jscan_is(m, '"') || size == 0)
		return (-1);
	if (memchr(m->v, '\\', m->len) == NULL) {
		/* Checked by the scan: its bytes are the string's. */
		if ((n = m->len - 2) >= size)
			return (-1);
		memcpy(buf, m->v + 1, n);
		buf[n] = '\0';
		return ((long)n);
	}
	if ((v = json_loadb(m->v, m->len, JSON_DECODE_ANY, NULL)) == NULL)
		return (-1);
	s = json_string_value(v);
	if ((n = json_string_length(v)) >= size) {
		json_decref(v);
		return (-1);
	}
	memcpy(buf, s, n + 1);
	json_decref(v);
	return ((long)n);
}

/* A number (see jscan.h). */
int
jscan_number(const struct jscan_member *m, double *d)
{
	char buf[64];

	*d = 0;
	if (m->v == NULL || !(*m->v == '-' || (*m->v >= '0' &&
	    *m->v <= '9')))
		return (0);
	if (m->len >= sizeof(buf)) {
		/* A long one: strtod stops at the delimiter after it. */
		*d = strtod(m->v, NULL);
		return (1);
	}
	memcpy(buf, m->v, m->len);
	buf[m->len] = '\0';
	*d = strtod(buf, NULL);
	return (1);
}

/* An integer (see jscan.h). */
int
jscan_integer(const struct jscan_member *m, long long *i)
{
	char buf[32];

	*i = 0;
	if (m->v == NULL || !(*m->v == '-' || (*m->v >= '0' &&
	    *m->v <= '9')) || m->len >= sizeof(buf) ||
	    memchr(m->v, '.', m->len) != NULL || memchr(m->v, 'e', m->len) !=
	    NULL || memchr(m->v, 'E', m->len) != NULL)
		return (0);
	memcpy(buf, m->v, m->len);
	buf[m->len] = '\0';
	errno = 0;
	*i = strtoll(buf, NULL, 10);
	if (errno != 0) {
		*i = 0;
		return (0);
	}
	return (1);
}

/* Whether a value is of the kind that begins with ${c} (see jscan.h). */
int
jscan_is(const struct jscan_member *m, char c)
{

	return (m->v != NULL && *m->v == c);
}
