/*
 * fuzz-curfile - a libFuzzer entry point for the Cost and Usage Report
 * files (lib/curfile.c): CSV, gzip-compressed CSV and Parquet, told apart
 * by their first bytes, every line item read and summed as optima-cur
 * sums them (lib/curusage.c)
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "curfile.h"
#include "curusage.h"
#include "fuzzfile.h"

static FILE *null;

static int
add(const struct curfile_item *it, void *ctx)
{

	curusage_add(ctx, it, NULL);
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct curfile_info info;
	struct curusage *cu;
	const char **periods;
	const char *path;
	size_t i;

	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		return (0);
	if ((path = fuzzfile_write("cur.csv", data, size)) == NULL)
		return (0);
	if ((cu = curusage_new()) == NULL)
		return (0);
	if (curfile_read(path, "fuzz", add, cu, &info) == 0 &&
	    (periods = curusage_periods(cu)) != NULL)
		for (i = 0; periods[i] != NULL; i++)
			curusage_write(cu, periods[i], null);
	curusage_free(cu);
	return (0);
}
