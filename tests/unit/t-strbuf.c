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

	plan(10);
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

	/* Shell words: bare, empty, quoted, with quotes inside. */
	strbuf_init(&b, 1000);
	strbuf_addsh(&b, "us-east-1");
	strbuf_addc(&b, ' ');
	strbuf_addsh(&b, "");
	strbuf_addc(&b, ' ');
	strbuf_addsh(&b, "a b$(x)`y`");
	s = strbuf_finish(&b);
	is(s, "us-east-1 '' 'a b$(x)`y`'", "shell words: bare, empty, quoted");
	free(s);
	strbuf_init(&b, 1000);
	strbuf_addsh(&b, "it's");
	s = strbuf_finish(&b);
	is(s, "'it'\\''s'", "a single quote closes, is escaped, reopens");
	free(s);
	strbuf_init(&b, 1000);
	strbuf_addsh(&b, "a\nb;c");
	s = strbuf_finish(&b);
	is(s, "'a\nb;c'", "a newline and a semicolon stay inside the quotes");
	free(s);
	return (done());
}
