#ifndef PARQUET_H
#define PARQUET_H

#include <stddef.h>
#include <stdint.h>

/*
 * A reader of Apache Parquet files with flat schemas, such as the Cost and
 * Usage Report's: open a file, find the columns wanted by name, select
 * them, and read the rows one at a time.  Only the selected columns are
 * read, one row group at a time, so memory follows the size of a row
 * group's selected columns, not the file's.
 *
 * It reads data pages v1 and v2 and dictionary pages; the encodings PLAIN,
 * RLE, PLAIN_DICTIONARY, RLE_DICTIONARY, DELTA_BINARY_PACKED,
 * DELTA_LENGTH_BYTE_ARRAY and BYTE_STREAM_SPLIT (not DELTA_BYTE_ARRAY);
 * the codecs UNCOMPRESSED, SNAPPY, GZIP and ZSTD; every physical type.
 * Values come out as one of five kinds (see parquet_value).  Columns
 * inside groups or repeated (lists, maps, structs) are listed but cannot
 * be selected.
 *
 * Every error names the file and what is wrong ("FILE: bad magic",
 * "FILE: column X: truncated page"), is reported with warnx, and makes the
 * function return -1 or NULL.  Corrupt input never makes the reader read
 * out of bounds or allocate more than a row group's worth of memory.
 */

/* The kinds of values (and of columns). */
enum parquet_kind {
	PARQUET_NULL,		/* no value */
	PARQUET_INT,		/* INT32, INT64, BOOLEAN (0 or 1) */
	PARQUET_DOUBLE,		/* DOUBLE, FLOAT, DECIMAL */
	PARQUET_STRING,		/* BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY: bytes */
	PARQUET_TIME		/* TIMESTAMP, INT96, DATE: microseconds */
};

/* One value of the current row. */
struct parquet_value {
	enum parquet_kind kind;
	int64_t i;		/* INT; TIME: microseconds since the epoch */
	double d;		/* DOUBLE */
	const char *s;		/* STRING: ${len} bytes, not NUL-terminated */
	size_t len;
};

/* Row groups of more rows than this are refused (memory is per row). */
#define PARQUET_MAXROWS	(1 << 24)

struct parquet;

/**
 * parquet_open(path):
 * Open the Parquet file ${path} and read its footer.  Return the reader,
 * or NULL on error (reported).
 */
struct parquet *parquet_open(const char *);

/**
 * parquet_open_mem(name, p, len):
 * Open the ${len} bytes at ${p}, named ${name} in errors, as a Parquet
 * file.  The bytes must outlive the reader.  Return the reader, or NULL on
 * error (reported).
 */
struct parquet *parquet_open_mem(const char *, const void *, size_t);

/**
 * parquet_nrows(pq):
 * The number of rows of ${pq}, as its footer says.
 */
int64_t parquet_nrows(const struct parquet *);

/**
 * parquet_ncolumns(pq), parquet_column_name(pq, col),
 * parquet_column_kind(pq, col):
 * The number of (leaf) columns of ${pq}; the name of column ${col}, the
 * names of its groups joined by dots for a nested column; the kind of its
 * values, or PARQUET_NULL for a column that cannot be selected.
 */
size_t parquet_ncolumns(const struct parquet *);
const char *parquet_column_name(const struct parquet *, size_t);
enum parquet_kind parquet_column_kind(const struct parquet *, size_t);

/**
 * parquet_column(pq, name):
 * The index of the column ${name} of ${pq}, or -1 if it has none.
 */
int parquet_column(const struct parquet *, const char *);

/**
 * parquet_select(pq, cols, n):
 * Read the ${n} columns whose indexes are in ${cols} (-1 for a column that
 * is always null, such as one parquet_column did not find); the value of
 * ${cols}[k] is then value k of each row.  Call it once, before the first
 * parquet_next_row.  Return 0, or -1 if a column cannot be selected
 * (reported).
 */
int parquet_select(struct parquet *, const int *, size_t);

/**
 * parquet_next_row(pq):
 * Move to the next row, reading the next row group when need be.  Return
 * 1 for a row, 0 at the end of the file, -1 on error (reported).
 */
int parquet_next_row(struct parquet *);

/**
 * parquet_value(pq, k, v):
 * Set ${v} to value ${k} of the current row.  A string points into ${pq}
 * and stays valid until the next call of parquet_next_row (in fact until
 * the next row group is read) or ${pq} is closed.
 */
void parquet_value(const struct parquet *, size_t, struct parquet_value *);

/**
 * parquet_close(pq):
 * Close ${pq} and free it.  NULL is a no-op.
 */
void parquet_close(struct parquet *);

#endif
