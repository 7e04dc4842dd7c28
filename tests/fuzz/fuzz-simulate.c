/*
 * fuzz-simulate - a libFuzzer entry point for the record readers of
 * optima-simulate (lib/simulate.c): table, series, price and cur_usage
 * records, read from a project directory as a run leaves them
 *
 * The input is the table file of one account and region, then (after
 * lines "%%") one day's series file, the region's price file and a
 * billing period's cur_usage file.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fuzzfile.h"
#include "projdir.h"
#include "simulate.h"

#define ACCOUNT	"account=111111111111"
#define REGION	"region=us-east-1"

static const char *const files[] = {
	"tables/" ACCOUNT "/" REGION ".ndjson",
	"metrics/" ACCOUNT "/" REGION "/date=2026-11-20.ndjson",
	"prices/" REGION ".ndjson",
	"cur/billing_period=2026-10.ndjson",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct simulate_opts o = { 0 };
	const uint8_t *part[4];
	struct projdir *pd;
	size_t len[4], i;

	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		return (0);
	fuzzfile_split(data, size, part, len, 4);
	fuzzfile_clean();
	for (i = 0; i < 4; i++)
		if (len[i] > 0 && fuzzfile_write(files[i], part[i], len[i]) ==
		    NULL)
			return (0);
	if ((pd = projdir_open(fuzzfile_dir(), 0)) == NULL)
		return (0);
	o.days = 14;
	o.target = 0.7;
	o.delay = 2;
	o.min_capacity = 1;
	o.max_capacity = 40000;
	simulate_run(pd, &o, null, null);
	projdir_free(pd);
	return (0);
}
