/*
 * fuzz-metricdata - a libFuzzer entry point for the GetMetricData reply
 * parser (lib/metricdata.c), which reads the JSON without Jansson
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzzfile.h"
#include "metricdata.h"

volatile double fuzz_sink;

static int
touch(const struct metricdata_result *r, void *ctx)
{
	size_t i;

	fuzz_sink += r->id != NULL ? (double)r->id[0] : 0;
	fuzz_sink += r->status != NULL ? (double)r->status[0] : 0;
	for (i = 0; i < r->n; i++)
		fuzz_sink += r->timestamps[i] + r->values[i];
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct metricdata *md;
	char *next = NULL;

	/* One parser for every input, as the collector keeps one. */
	if (md == NULL && (md = metricdata_new()) == NULL)
		return (0);
	if (metricdata_parse(md, (const char *)data, size, touch, NULL,
	    &next) == -1)
		fuzz_sink += (double)metricdata_error(md)[0];
	free(next);
	return (0);
}
