/*
 * parquet-scan - how fast the Parquet reader scans a CUR-like file
 *
 * usage: parquet-scan [rows | file [column...]]
 *
 * Without a file, writes a CUR-like file of ${rows} rows (default 2000000,
 * about 230 MB) with DuckDB (node bench/parquet-gen.mjs, from the top of
 * the tree or $OPTIMA_TOP) to a temporary file, removed afterwards.  Reads
 * the columns optima-cur needs (or those named), touching every value, and
 * prints the rows, the MB/s of file per core and the peak memory.
 */

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "parquet.h"
#include "parsenum.h"

static const char *const curcols[] = {
	"bill_billing_period_start_date", "line_item_usage_account_id",
	"line_item_line_item_type", "line_item_usage_start_date",
	"line_item_product_code", "line_item_usage_type",
	"line_item_operation", "line_item_resource_id",
	"line_item_usage_amount", "line_item_unblended_cost",
	"product_region", "reservation_effective_cost", NULL
};

static double
cpu(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (t.tv_sec + t.tv_nsec / 1e9);
}

int
main(int argc, char *argv[])
{
	char tmp[] = "/tmp/parquet-scan.XXXXXX", cmd[512];
	const char *file = NULL, *top;
	struct parquet_value v;
	struct parquet *pq;
	struct rusage ru;
	struct stat st;
	long long rows = 2000000, nrows = 0, nvals = 0, bytes = 0;
	int cols[64], fd, i, ncols = 0, r;
	double t0, t1;

	if (argc == 2 && parsenum_llong(&rows, argv[1], 1, 1e10) == 0)
		argc = 1;
	else if (argc > 1)
		file = argv[1];
	if (file == NULL) {
		if ((fd = mkstemp(tmp)) == -1)
			return (1);
		close(fd);
		top = getenv("OPTIMA_TOP") ? getenv("OPTIMA_TOP") : ".";
		snprintf(cmd, sizeof(cmd), "node '%s/bench/parquet-gen.mjs' "
		    "'%s' %lld", top, tmp, rows);
		fprintf(stderr, "parquet-scan: writing %lld rows with DuckDB\n",
		    rows);
		if (system(cmd) != 0) {
			fprintf(stderr, "parquet-scan: %s failed\n", cmd);
			unlink(tmp);
			return (1);
		}
		file = tmp;
	}
	if (stat(file, &st) == -1 || (pq = parquet_open(file)) == NULL) {
		perror(file);
		if (file == tmp)
			unlink(tmp);
		return (1);
	}
	if (argc > 2)
		for (i = 2; i < argc && ncols < 64; i++)
			cols[ncols++] = parquet_column(pq, argv[i]);
	else
		for (i = 0; curcols[i] != NULL; i++)
			cols[ncols++] = parquet_column(pq, curcols[i]);
	t0 = cpu();
	if (parquet_select(pq, cols, (size_t)ncols))
		r = -1;
	else
		while ((r = parquet_next_row(pq)) == 1) {
			nrows++;
			for (i = 0; i < ncols; i++) {
				parquet_value(pq, (size_t)i, &v);
				if (v.kind != PARQUET_NULL)
					nvals++;
				bytes += (long long)v.len;
			}
		}
	t1 = cpu();
	parquet_close(pq);
	if (file == tmp)
		unlink(tmp);
	if (r != 0)
		return (1);
	getrusage(RUSAGE_SELF, &ru);
	printf("parquet-scan: %lld rows, %d columns, %lld values, %.1f MB file "
	    "in %.3f s CPU: %.0f MB/s of file per core, %.1f M rows/s, "
	    "peak memory %.1f MB\n", nrows, ncols, nvals,
	    st.st_size / 1e6, t1 - t0, st.st_size / 1e6 / (t1 - t0),
	    nrows / 1e6 / (t1 - t0), ru.ru_maxrss / 1024.0);
	return (0);
}
