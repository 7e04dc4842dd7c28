/*
 * parquet-dump - print what the Parquet reader reads, for the tests
 *
 * usage: parquet-dump -l file
 *        parquet-dump file column...
 *
 * With -l, print each column of the file: its name and kind (null, int,
 * double, string, time), tab-separated.  Otherwise print the named columns
 * of each row, tab-separated: \N for null, integers and times (microseconds)
 * in decimal, doubles with %.17g, strings with \\, \t, \n, \r and other
 * control bytes escaped (\xHH).  A column the file lacks is all nulls.
 * Exit 1 on a read error.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parquet.h"

static const char *const kinds[] = {
	"null", "int", "double", "string", "time"
};

static void
putstr(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < len; i++) {
		switch (p[i]) {
		case '\\':
			fputs("\\\\", stdout);
			break;
		case '\t':
			fputs("\\t", stdout);
			break;
		case '\n':
			fputs("\\n", stdout);
			break;
		case '\r':
			fputs("\\r", stdout);
			break;
		default:
			if (p[i] < 0x20 || p[i] == 0x7f)
				printf("\\x%02x", p[i]);
			else
				putchar(p[i]);
		}
	}
}

int
main(int argc, char *argv[])
{
	struct parquet_value v;
	struct parquet *pq;
	size_t i, k, n;
	int *cols, r;

	if (argc == 3 && strcmp(argv[1], "-l") == 0) {
		if ((pq = parquet_open(argv[2])) == NULL)
			return (1);
		for (i = 0; i < parquet_ncolumns(pq); i++)
			printf("%s\t%s\n", parquet_column_name(pq, i),
			    kinds[parquet_column_kind(pq, i)]);
		parquet_close(pq);
		return (0);
	}
	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: parquet-dump -l file\n"
		    "       parquet-dump file column...\n");
		return (2);
	}
	if ((pq = parquet_open(argv[1])) == NULL)
		return (1);
	n = (size_t)argc - 2;
	if ((cols = calloc(n + 1, sizeof(*cols))) == NULL)
		return (1);
	for (k = 0; k < n; k++)
		cols[k] = parquet_column(pq, argv[k + 2]);
	if (parquet_select(pq, cols, n)) {
		parquet_close(pq);
		free(cols);
		return (1);
	}
	while ((r = parquet_next_row(pq)) == 1) {
		for (k = 0; k < n; k++) {
			if (k > 0)
				putchar('\t');
			parquet_value(pq, k, &v);
			switch (v.kind) {
			case PARQUET_NULL:
				fputs("\\N", stdout);
				break;
			case PARQUET_INT:
			case PARQUET_TIME:
				printf("%lld", (long long)v.i);
				break;
			case PARQUET_DOUBLE:
				printf("%.17g", v.d);
				break;
			case PARQUET_STRING:
				putstr(v.s, v.len);
				break;
			}
		}
		putchar('\n');
	}
	parquet_close(pq);
	free(cols);
	if (fflush(stdout) || ferror(stdout))
		r = -1;
	return (r == 0 ? 0 : 1);
}
