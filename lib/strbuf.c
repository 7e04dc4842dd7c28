#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

/**
 * strbuf_init(b, max):
 * Make ${b} an empty buffer that may grow to ${max} bytes.
 */
void
strbuf_init(struct strbuf *b, size_t max)
{

	memset(b, 0, sizeof(*b));
	b->max = max;
}

/* Make room for ${n} more bytes and a NUL; 0 on success. */
static int
grow(struct strbuf *b, size_t n)
{
	size_t need, cap;
	char *s;

	if (b->failed)
		return (-1);
	if (n > b->max || b->len > b->max - n) {
		b->failed = 1;
		return (-1);
	}
	need = b->len + n + 1;
	if (need <= b->cap)
		return (0);
	for (cap = b->cap ? b->cap : 64; cap < need; cap *= 2)
		;
	if ((s = realloc(b->s, cap)) == NULL) {
		b->failed = 1;
		return (-1);
	}
	b->s = s;
	b->cap = cap;
	return (0);
}

/**
 * strbuf_add(b, p, n), strbuf_adds(b, s), strbuf_addc(b, c),
 * strbuf_addf(b, fmt, ...):
 * Append ${n} bytes at ${p}, the string ${s}, the byte ${c}, or a printf
 * formatted string.
 */
void
strbuf_add(struct strbuf *b, const void *p, size_t n)
{

	if (grow(b, n))
		return;
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
strbuf_adds(struct strbuf *b, const char *s)
{

	strbuf_add(b, s, strlen(s));
}

void
strbuf_addc(struct strbuf *b, int c)
{
	char ch = (char)c;

	strbuf_add(b, &ch, 1);
}

void
strbuf_addsh(struct strbuf *b, const char *s)
{
	const char *p;

	if (*s != '\0' && strspn(s, STRBUF_SHBARE) == strlen(s)) {
		strbuf_adds(b, s);
		return;
	}
	strbuf_addc(b, '\'');
	for (p = s; *p != '\0'; p++)
		if (*p == '\'')
			strbuf_adds(b, "'\\''");
		else
			strbuf_addc(b, *p);
	strbuf_addc(b, '\'');
}

void
strbuf_addf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || grow(b, (size_t)n)) {
		b->failed = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/**
 * strbuf_finish(b):
 * The malloced string built in ${b}, now the caller's (an empty string if
 * nothing was added), or NULL if the buffer failed (${b} is freed).
 */
char *
strbuf_finish(struct strbuf *b)
{
	char *s;

	if (b->s == NULL && grow(b, 0) == 0)
		b->s[0] = '\0';
	if (b->failed) {
		strbuf_free(b);
		return (NULL);
	}
	s = b->s;
	b->s = NULL;
	b->len = b->cap = 0;
	return (s);
}

/**
 * strbuf_free(b):
 * Free the contents of ${b}.
 */
void
strbuf_free(struct strbuf *b)
{

	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}
