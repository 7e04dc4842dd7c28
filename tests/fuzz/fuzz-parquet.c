/*
 * fuzz-parquet - a libFuzzer entry point for the Parquet reader
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_POSIX_C_SOURCE=200809L \
 *       -Ilib tests/fuzz/fuzz-parquet.c lib/parquet.c lib/parquet_thrift.c \
 *       -lsnappy -lz -lzstd -o fuzz-parquet
 *   ./fuzz-parquet -close_fd_mask=2 corpus/
 *
 * Each input is opened in memory as a Parquet file; every selectable
 * column is read, every value of every row touched.  Errors are expected;
 * crashes, reads out of bounds and leaks are not (-close_fd_mask=2 keeps
 * the reader's complaints out of the way; libFuzzer's reports still show).
 * Seed the corpus with the fixtures tests/parquet-fixtures.mjs writes.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "parquet.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Where values go, so that reading them is not optimized away. */
volatile size_t fuzz_sink;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parquet_value v;
	struct parquet *pq;
	size_t i, n, k;
	int *cols;

	if ((pq = parquet_open_mem("fuzz", data, size)) == NULL)
		return (0);
	n = parquet_ncolumns(pq);
	if ((cols = calloc(n + 1, sizeof(*cols))) == NULL) {
		parquet_close(pq);
		return (0);
	}
	for (i = 0, k = 0; i < n; i++)
		if (parquet_column_kind(pq, i) != PARQUET_NULL)
			cols[k++] = (int)i;
	if (parquet_select(pq, cols, k) == 0)
		while (parquet_next_row(pq) == 1)
			for (i = 0; i < k; i++) {
				parquet_value(pq, i, &v);
				if (v.kind == PARQUET_STRING && v.len > 0)
					fuzz_sink += (unsigned char)v.s[v.len - 1];
				fuzz_sink += (size_t)v.i;
			}
	free(cols);
	parquet_close(pq);
	return (0);
}
