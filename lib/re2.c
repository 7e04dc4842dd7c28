#include <err.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "re2.h"

/*
 * The work one match may do.  PCRE2 backtracks, and a pattern RE2 matches
 * in linear time, such as (\w*){1,1000}\W, can take PCRE2 hours; so each
 * match has limits, and one that reaches them is an error, never a quiet
 * "no match".  PCRE2's match limit counts the calls of its matcher from
 * one starting position: a name of n bytes may be tried from n + 1, so
 * the limit is STEPS / (n + 1), or STEPS for an anchored pattern.  DEPTH
 * bounds the backtracking depth (a group repeated once per byte of a
 * 255-byte name needs about 520), HEAP_KB the memory it takes.  A match
 * that reaches a limit takes a few milliseconds; one that does all but
 * reach STEPS, some 60 ms.
 */
#define STEPS		2000000
#define DEPTH		1000
#define HEAP_KB		(16 * 1024)

/* RE2's limits on counted repetition: no count above MAXREPEAT, nor a
 * product of nested counts above it; groups nested deeper than MAXNEST
 * are left to PCRE2 (it refuses more than 250). */
#define MAXREPEAT	1000
#define MAXNEST		256

struct re2 {
	pcre2_code *code;
	pcre2_match_data *match;
	pcre2_match_context *ctx;
	int anchored;		/* PCRE2 tries one starting position only */
	char *what, *pattern;	/* for messages */
};

/* What follows "(?" at ${p}: NULL if RE2 has it, else why not. */
static const char *
group(const char *p)
{

	switch (*p) {
	case '=':
	case '!':
		return ("lookahead");
	case '<':
		if (p[1] == '=' || p[1] == '!')
			return ("lookbehind");
		return (NULL);		/* (?<name>...) */
	case '>':
		return ("atomic groups");
	case '|':
		return ("branch reset groups");
	case '(':
		return ("conditionals");
	case 'C':
		return ("callouts");
	case '#':
		return ("comments");
	case '&':
	case 'R':
	case '+':
		return ("recursion");
	case 'P':
		if (p[1] == '=')
			return ("backreferences");
		if (p[1] == '>')
			return ("recursion");
		return (NULL);		/* (?P<name>...) */
	case '-':
		if (p[1] >= '0' && p[1] <= '9')
			return ("recursion");
		return (NULL);		/* (?-i) */
	default:
		if (*p >= '0' && *p <= '9')
			return ("recursion");
		return (NULL);		/* (?:...), (?i), (?i:...) */
	}
}

/* What the escape "\c" outside a class is: NULL if RE2 has it. */
static const char *
escape(char c)
{

	if (c >= '1' && c <= '9')
		return ("backreferences");
	switch (c) {
	case 'g':
	case 'k':
		return ("backreferences");
	case 'C':
		return ("\\C (one byte)");
	case 'K':
		return ("\\K");
	case 'G':
		return ("\\G");
	case 'R':
	case 'X':
		return ("\\R and \\X");
	default:
		return (NULL);
	}
}

/* The length of the escape at ${p} ("\d", "\x{263a}", "\p{Greek}"). */
static size_t
escape_len(const char *p)
{
	const char *q;

	if (p[1] == 'c' && p[2] != '\0')
		return (3);
	if (strchr("xopPN", p[1]) != NULL && p[2] == '{' &&
	    (q = strchr(p + 3, '}')) != NULL)
		return ((size_t)(q + 1 - p));
	return (2);
}

/* The length of the class at ${p}, "[" to "]", escapes and [:name:]
 * included. */
static size_t
class_len(const char *p)
{
	const char *q = p + 1;

	if (*q == '^')
		q++;
	if (*q == ']')
		q++;
	while (*q != '\0' && *q != ']') {
		if (*q == '\\' && q[1] != '\0')
			q++;
		else if (*q == '[' && q[1] == ':' && strstr(q + 2, ":]") != NULL)
			q = strstr(q + 2, ":]") + 1;
		q++;
	}
	if (*q == ']')
		q++;
	return ((size_t)(q - p));
}

/* The decimal number at ${p} into ${n}, at most MAXREPEAT + 1; return
 * what follows it. */
static const char *
number(const char *p, unsigned long *n)
{

	for (*n = 0; *p >= '0' && *p <= '9'; p++)
		if ((*n = *n * 10 + (unsigned long)(*p - '0')) > MAXREPEAT)
			*n = MAXREPEAT + 1;
	return (p);
}

/* The length of the counted repetition "{n}", "{n,}" or "{n,m}" at ${p},
 * with m (n if there is none) in ${count}; 0 if ${p} is a literal "{". */
static size_t
counted_len(const char *p, unsigned long *count)
{
	const char *q = p + 1;
	unsigned long n;

	if (*q < '0' || *q > '9')
		return (0);
	q = number(q, &n);
	*count = n;
	if (*q == ',' && *++q >= '0' && *q <= '9')
		q = number(q, count);
	if (*q != '}')
		return (0);
	return ((size_t)(q + 1 - p));
}

/*
 * The nesting of groups, for RE2's limit on nested counted repetition:
 * inner[d] is the largest product of counts within the open group d (0
 * the whole pattern), last that of the atom or group just read.
 */
struct nest {
	unsigned long inner[MAXNEST];
	size_t depth;
	unsigned long last;
};

/* The atom or group just read has the product ${k}. */
static void
nest_atom(struct nest *n, unsigned long k)
{

	n->last = k;
	if (n->depth < MAXNEST && k > n->inner[n->depth])
		n->inner[n->depth] = k;
}

/* A group opens. */
static void
nest_open(struct nest *n)
{

	if (++n->depth < MAXNEST)
		n->inner[n->depth] = 1;
}

/* A group closes. */
static void
nest_close(struct nest *n)
{
	unsigned long k;

	if (n->depth == 0)
		return;		/* PCRE2 will say */
	k = n->depth < MAXNEST ? n->inner[n->depth] : 1;
	n->depth--;
	nest_atom(n, k);
}

/* The last atom or group is repeated up to ${count} times: -1 if RE2
 * would refuse it. */
static int
nest_repeat(struct nest *n, unsigned long count)
{

	if (count > MAXREPEAT)
		return (-1);
	if (count > 0)
		nest_atom(n, n->last * count);
	return (n->last > MAXREPEAT ? -1 : 0);
}

/**
 * re2_check(pattern, why):
 * Return 0 if ${pattern} uses only what RE2 has, else -1 with ${why}
 * pointing at a static description of the first construct it lacks.
 */
int
re2_check(const char *pattern, const char **why)
{
	static const char repeat[] = "repetition counts above 1000 (nested "
	    "counts multiplied)";
	struct nest n = { { 1 }, 0, 1 };
	const char *p = pattern, *w = NULL;
	unsigned long count;
	size_t len;
	int quant = 0;		/* the last token was a quantifier */

	while (*p != '\0' && w == NULL) {
		if (quant && *p == '+') {
			w = "possessive quantifiers";
			break;
		}
		quant = 0;
		switch (*p) {
		case '\\':
			if (p[1] == '\0')
				return (0);	/* PCRE2 will say */
			if (p[1] == 'Q') {	/* \Q...\E is literal */
				if ((p = strstr(p + 2, "\\E")) == NULL)
					return (0);
				p += 2;
				nest_atom(&n, 1);
				continue;
			}
			w = escape(p[1]);
			p += escape_len(p);
			nest_atom(&n, 1);
			continue;
		case '[':
			p += class_len(p);
			nest_atom(&n, 1);
			continue;
		case '(':
			nest_open(&n);
			if (p[1] == '?') {
				w = group(p + 2);
				p += 2;
				continue;
			}
			if (p[1] == '*')
				w = "backtracking verbs";
			p++;
			continue;
		case ')':
			nest_close(&n);
			p++;
			continue;
		case '*':
		case '+':
		case '?':
			/* "a??" is lazy, "a?+" possessive. */
			p++;
			if (*p == '?')
				p++;
			else
				quant = 1;
			continue;
		case '{':
			if ((len = counted_len(p, &count)) == 0) {
				p++;
				nest_atom(&n, 1);
				continue;
			}
			if (nest_repeat(&n, count))
				w = repeat;
			p += len;
			if (*p == '?')
				p++;
			else
				quant = 1;
			continue;
		case '|':
			p++;
			continue;
		default:
			p++;
			nest_atom(&n, 1);
		}
	}
	if (w != NULL) {
		*why = w;
		return (-1);
	}
	return (0);
}

/* Set the limits of a match of ${re}; -1 if out of memory. */
static int
limits(struct re2 *re)
{
	uint32_t opts;

	if ((re->ctx = pcre2_match_context_create(NULL)) == NULL ||
	    pcre2_set_depth_limit(re->ctx, DEPTH) ||
	    pcre2_set_heap_limit(re->ctx, HEAP_KB) ||
	    pcre2_pattern_info(re->code, PCRE2_INFO_ALLOPTIONS, &opts))
		return (-1);
	re->anchored = (opts & PCRE2_ANCHORED) != 0;
	return (0);
}

/**
 * re2_compile(pattern, what):
 * Check that ${pattern} is in the RE2 subset and compile it.  Return it,
 * or NULL (reported).
 */
struct re2 *
re2_compile(const char *pattern, const char *what)
{
	struct re2 *re;
	const char *why;
	PCRE2_SIZE at;
	PCRE2_UCHAR msg[256];
	int e;

	if (re2_check(pattern, &why)) {
		warnx("%s %s: %s are not in the RE2 syntax", what, pattern,
		    why);
		return (NULL);
	}
	if ((re = calloc(1, sizeof(*re))) == NULL) {
		warn("%s", what);
		return (NULL);
	}
	if ((re->code = pcre2_compile((PCRE2_SPTR)pattern,
	    PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_NEVER_BACKSLASH_C, &e,
	    &at, NULL)) == NULL) {
		pcre2_get_error_message(e, msg, sizeof(msg));
		warnx("%s %s: %s at offset %zu", what, pattern, (char *)msg,
		    (size_t)at);
		free(re);
		return (NULL);
	}
	if ((re->match = pcre2_match_data_create_from_pattern(re->code,
	    NULL)) == NULL || limits(re) || (re->what = strdup(what)) ==
	    NULL || (re->pattern = strdup(pattern)) == NULL) {
		warnx("%s: out of memory", what);
		re2_free(re);
		return (NULL);
	}
	return (re);
}

/* Say why ${re} could not match a name of ${len} bytes: PCRE2's ${rc}. */
static void
re2_warn(const struct re2 *re, int rc, size_t len)
{
	PCRE2_UCHAR msg[256];
	const char *limit;

	if (rc == PCRE2_ERROR_MATCHLIMIT)
		limit = "steps";
	else if (rc == PCRE2_ERROR_DEPTHLIMIT)
		limit = "backtracking depth";
	else if (rc == PCRE2_ERROR_HEAPLIMIT)
		limit = "memory";
	else {
		pcre2_get_error_message(rc, msg, sizeof(msg));
		warnx("%s %s: %s", re->what, re->pattern, (char *)msg);
		return;
	}
	warnx("%s %s: matching a name of %zu bytes takes more %s than "
	    "allowed (the regex backtracks too much: simplify it)", re->what,
	    re->pattern, len, limit);
}

/**
 * re2_match(re, s):
 * 1 if ${re} matches (part of) ${s}, 0 if not, -1 if finding out takes
 * more than the limits allow (reported).
 */
int
re2_match(const struct re2 *re, const char *s)
{
	size_t len = strlen(s);
	uint32_t steps = STEPS;
	int rc;

	if (!re->anchored)
		steps = len < STEPS ? STEPS / (uint32_t)(len + 1) : 1;
	if (pcre2_set_match_limit(re->ctx, steps))
		return (-1);
	if ((rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, re->match,
	    re->ctx)) >= 0)
		return (1);
	if (rc == PCRE2_ERROR_NOMATCH)
		return (0);
	re2_warn(re, rc, len);
	return (-1);
}

/**
 * re2_free(re):
 * Free ${re}.  NULL is a no-op.
 */
void
re2_free(struct re2 *re)
{

	if (re == NULL)
		return;
	pcre2_match_context_free(re->ctx);
	pcre2_match_data_free(re->match);
	pcre2_code_free(re->code);
	free(re->what);
	free(re->pattern);
	free(re);
}
