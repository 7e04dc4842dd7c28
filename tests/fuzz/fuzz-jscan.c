/*
 * fuzz-jscan - a libFuzzer entry point for the JSON scanner, against
 * Jansson
 *
 * The input is one JSON text.  jscan_object looks for a few members; when
 * it takes the text, Jansson must take it too (the one difference
 * jscan.h names, an integer beyond 64 bits, aside), and each member found
 * must be the one Jansson finds, with the same string or number; when
 * Jansson refuses the text, so must jscan_object.  A difference aborts.
 */

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fuzzfile.h"
#include "jscan.h"

static const char *const names[] = { "kind", "id", "monthly_usd",
	"status", "", "n\xc3\xa9" };
#define NNAMES	(sizeof(names) / sizeof(names[0]))

/* Whether the text has an integer too big for Jansson's 64 bits. */
static int
bigint(const json_error_t *e)
{

	return (json_error_code(e) == json_error_numeric_overflow);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jscan_member m[NNAMES];
	json_error_t e;
	json_t *o, *v;
	char buf[256];
	long long i;
	double d;
	size_t k;
	int ok;

	for (k = 0; k < NNAMES; k++)
		m[k] = (struct jscan_member){ names[k], NULL, 0 };
	ok = jscan_object((const char *)data, size, m, NNAMES) == 0;
	o = json_loadb((const char *)data, size, JSON_DECODE_ANY |
	    JSON_ALLOW_NUL, &e);
	if (o == NULL || !json_is_object(o)) {
		/* Jansson takes a NUL inside a string with ALLOW_NUL. */
		if (ok && !(o == NULL && bigint(&e)) &&
		    memchr(data, '\0', size) == NULL)
			abort();
		json_decref(o);
		return (0);
	}
	if (!ok) {
		/* A name asked for, twice: Jansson keeps the last. */
		json_decref(o);
		return (0);
	}
	for (k = 0; k < NNAMES; k++) {
		v = json_object_get(o, names[k]);
		if ((v == NULL) != (m[k].v == NULL))
			abort();
		if (v == NULL)
			continue;
		if (json_is_string(v) && strlen(json_string_value(v)) ==
		    json_string_length(v) && json_string_length(v) <
		    sizeof(buf)) {
			if (jscan_string(&m[k], buf, sizeof(buf)) < 0 ||
			    strcmp(buf, json_string_value(v)) != 0)
				abort();
		} else if (jscan_string(&m[k], buf, sizeof(buf)) >= 0 &&
		    !json_is_string(v))
			abort();
		if (json_is_number(v)) {
			if (!jscan_number(&m[k], &d) ||
			    fabs(d - json_number_value(v)) >
			    1e-9 * fabs(d))
				abort();
		} else if (jscan_number(&m[k], &d))
			abort();
		if (json_is_integer(v) && (!jscan_integer(&m[k], &i) ||
		    i != json_integer_value(v)))
			abort();
	}
	json_decref(o);
	return (0);
}
