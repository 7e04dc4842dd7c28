/*
 * fuzz-series - a libFuzzer entry point for the fast series record reader
 *
 * The input is a file of series records (lib/series.c decodes "values" by
 * hand): every record read, every value touched.
 */

#include <stddef.h>
#include <stdint.h>

#include "fuzzfile.h"
#include "series.h"

volatile double fuzz_sink;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct series_reader *r;
	struct series s;
	const char *path;
	size_t i;

	if ((path = fuzzfile_write("series.ndjson", data, size)) == NULL)
		return (0);
	if ((r = series_open(path)) == NULL)
		return (0);
	while (series_next(r, &s) == 1)
		for (i = 0; i < s.n; i++)
			fuzz_sink += s.values[i];
	series_close(r);
	return (0);
}
