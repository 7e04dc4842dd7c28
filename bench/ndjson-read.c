/*
 * ndjson-read - how fast the NDJSON input loop reads series records
 *
 * usage: ndjson-read [records]
 *
 * Writes ${records} one-day, 1-minute series records (the bulk of a
 * project directory) to a temporary file, reads them back through
 * ndjson_foreach, and prints MB/s and records/s of the read.
 */

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "ndjson.h"
#include "parsenum.h"

static int
touch(json_t *rec, const struct ndjson_pos *pos, void *ctx)
{

	*(size_t *)ctx += json_array_size(json_object_get(rec, "values"));
	return (0);
}

int
main(int argc, char *argv[])
{
	char tmp[] = "/tmp/ndjson-read.XXXXXX";
	char *files[] = { tmp, NULL };
	struct timespec t0, t1;
	json_t *rec, *values;
	long long n = 20000;
	size_t points = 0;
	long bytes;
	double secs;
	FILE *fp;
	int fd, i;

	if (argc > 2 || (argc == 2 && parsenum_llong(&n, argv[1], 1, 1e9))) {
		fprintf(stderr, "usage: ndjson-read [records]\n");
		return (2);
	}
	if ((fd = mkstemp(tmp)) == -1 || (fp = fdopen(fd, "w")) == NULL)
		return (1);
	values = json_array();
	for (i = 0; i < 1440; i++)
		json_array_append_new(values, i % 7 == 0 ? json_null() :
		    json_real((i * 37 % 1000) / 8.0));
	rec = json_pack("{s:s, s:s, s:s, s:s, s:n, s:s, s:s, s:i, s:s, s:O}",
	    "kind", "series", "account", "123456789012", "region", "us-east-1",
	    "table", "orders", "index", "metric", "ConsumedReadCapacityUnits",
	    "stat", "Sum", "period", 60, "start", "2026-11-01T00:00:00Z",
	    "values", values);
	for (i = 0; i < n; i++)
		ndjson_write(fp, rec);
	json_decref(rec);
	json_decref(values);
	bytes = ftell(fp);
	if (fclose(fp))
		return (1);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (ndjson_foreach(files, NDJSON_MAXLINE, touch, &points))
		return (1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	unlink(tmp);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("ndjson-read: %lld records, %.1f MB in %.2f s: %.1f MB/s, "
	    "%.0f records/s, %.1f M datapoints/s\n", n, bytes / 1e6, secs,
	    bytes / 1e6 / secs, n / secs, points / 1e6 / secs);
	return (0);
}
