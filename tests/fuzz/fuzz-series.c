/*
 * fuzz-series - a libFuzzer entry point for the fast series record reader
 *
 * The input is a file of series records (lib/series.c decodes "values" by
 * hand, and the rest of a record too when it is plain).  Every record the
 * reader takes must be one Jansson takes too, with the same members and
 * values to the bit: the hand decoders are checked against a JSON parser,
 * not only for crashes.
 */

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fuzzfile.h"
#include "ndjson.h"
#include "series.h"

/* Line ${n} (from 1) of ${data}: its start, length in *len; NULL if none. */
static const char *
line(const uint8_t *data, size_t size, unsigned long n, size_t *len)
{
	const char *p = (const char *)data, *e = p + size, *nl;

	for (; n > 1; n--) {
		if ((nl = memchr(p, '\n', (size_t)(e - p))) == NULL)
			return (NULL);
		p = nl + 1;
	}
	nl = memchr(p, '\n', (size_t)(e - p));
	*len = (size_t)((nl != NULL ? nl : e) - p);
	return (p);
}

/* Whether member ${name} of ${rec} is the string ${want} (NULL: null). */
static int
same(const json_t *rec, const char *name, const char *want)
{
	const json_t *v = json_object_get(rec, name);

	if (want == NULL)
		return (json_is_null(v));
	return (json_is_string(v) && strcmp(json_string_value(v), want) == 0);
}

/* Abort unless Jansson reads ${s}'s line as a record with its values. */
static void
check(const uint8_t *data, size_t size, unsigned long n,
    const struct series *s)
{
	const char *text;
	json_t *rec, *values, *v;
	size_t len, i;
	double d;

	if ((text = line(data, size, n, &len)) == NULL)
		abort();
	if ((rec = json_loadb(text, len, JSON_REJECT_DUPLICATES |
	    JSON_DECODE_INT_AS_REAL, NULL)) == NULL)
		abort();
	if (!same(rec, "account", s->account) ||
	    !same(rec, "region", s->region) ||
	    !same(rec, "table", s->table) ||
	    !same(rec, "index", s->index) ||
	    json_number_value(json_object_get(rec, "period")) != s->period ||
	    (s->metric >= 0 && !same(rec, "metric",
	    series_metric_name(s->metric))))
		abort();
	values = json_object_get(rec, "values");
	if (json_array_size(values) != s->n)
		abort();
	json_array_foreach(values, i, v) {
		if (json_is_null(v)) {
			if (!isnan(s->values[i]))
				abort();
			continue;
		}
		d = json_real_value(v);
		if (!json_is_real(v) || memcmp(&d, &s->values[i], sizeof(d)))
			abort();
	}
	json_decref(rec);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct series_reader *r;
	struct series s;
	const char *path;

	if ((path = fuzzfile_write("series.ndjson", data, size)) == NULL)
		return (0);
	if ((r = series_open(path)) == NULL)
		return (0);
	while (series_next(r, &s) == 1)
		check(data, size, series_pos(r)->line, &s);
	series_close(r);
	return (0);
}
