#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "tap.h"

int
main(void)
{
	struct strbuf b;
	char *s;
	int i;

	plan(7);
	strbuf_init(&b, 100);
	s = strbuf_finish(&b);
	is(s, "", "nothing added is an empty string");
	free(s);

	strbuf_init(&b, 100);
	strbuf_adds(&b, "GET");
	strbuf_addc(&b, '\n');
	strbuf_addf(&b, "%s=%d", "x", 42);
	strbuf_add(&b, "abcdef", 3);
	s = strbuf_finish(&b);
	is(s, "GET\nx=42abc", "appends of every kind");
	free(s);

	/* Growth well past the first allocation. */
	strbuf_init(&b, 100000);
	for (i = 0; i < 10000; i++)
		strbuf_addc(&b, 'a' + i % 26);
	s = strbuf_finish(&b);
	ok(s != NULL && strlen(s) == 10000 && s[9999] == 'a' + 9999 % 26,
	    "grows to 10,000 bytes");
	free(s);

	/* The cap: exactly at it is fine, one byte over fails for good. */
	strbuf_init(&b, 4);
	strbuf_adds(&b, "abcd");
	s = strbuf_finish(&b);
	is(s, "abcd", "exactly at the cap");
	free(s);
	strbuf_init(&b, 4);
	strbuf_adds(&b, "abc");
	strbuf_addf(&b, "%d", 12);
	ok(b.failed, "over the cap fails");
	strbuf_adds(&b, "");
	ok(b.failed, "and stays failed");
	ok(strbuf_finish(&b) == NULL, "a failed buffer finishes as NULL");
	return (done());
}
