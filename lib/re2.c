#include <err.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "re2.h"

struct re2 {
	pcre2_code *code;
	pcre2_match_data *match;
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

/**
 * re2_check(pattern, why):
 * Return 0 if ${pattern} uses only what RE2 has, else -1 with ${why}
 * pointing at a static description of the first construct it lacks.
 */
int
re2_check(const char *pattern, const char **why)
{
	const char *p = pattern, *w = NULL;
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
				continue;
			}
			w = escape(p[1]);
			p += 2;
			continue;
		case '[':
			/* A class: skip it, escapes and [:name:] included. */
			p++;
			if (*p == '^')
				p++;
			if (*p == ']')
				p++;
			while (*p != '\0' && *p != ']') {
				if (*p == '\\' && p[1] != '\0')
					p++;
				else if (*p == '[' && p[1] == ':' &&
				    strstr(p + 2, ":]") != NULL)
					p = strstr(p + 2, ":]") + 1;
				p++;
			}
			if (*p == ']')
				p++;
			continue;
		case '(':
			if (p[1] == '?') {
				w = group(p + 2);
				p += 2;
				continue;
			}
			if (p[1] == '*')
				w = "backtracking verbs";
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
			p++;
			if (*p >= '0' && *p <= '9') {
				while ((*p >= '0' && *p <= '9') || *p == ',')
					p++;
				if (*p == '}') {
					p++;
					if (*p == '?')
						p++;
					else
						quant = 1;
				}
			}
			continue;
		default:
			p++;
		}
	}
	if (w != NULL) {
		*why = w;
		return (-1);
	}
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
	    NULL)) == NULL) {
		warnx("%s: out of memory", what);
		re2_free(re);
		return (NULL);
	}
	return (re);
}

/**
 * re2_match(re, s):
 * Non-zero if ${re} matches (part of) ${s}.
 */
int
re2_match(const struct re2 *re, const char *s)
{

	return (pcre2_match(re->code, (PCRE2_SPTR)s, PCRE2_ZERO_TERMINATED,
	    0, 0, re->match, NULL) >= 0);
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
	pcre2_match_data_free(re->match);
	pcre2_code_free(re->code);
	free(re);
}
