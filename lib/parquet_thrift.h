#ifndef PARQUET_THRIFT_H
#define PARQUET_THRIFT_H

#include <stddef.h>
#include <stdint.h>

/*
 * The Thrift structures of the Parquet format that the reader needs
 * (parquet.thrift: FileMetaData and PageHeader), decoded from the compact
 * protocol into plain C structs.  Fields this reader does not use, and
 * fields added by later versions of the format, are skipped whatever their
 * type.  Every length, count and nesting depth is checked against the
 * bytes at hand, so corrupt input gives an error, never a read out of
 * bounds or an allocation larger than the input.  Used by parquet.c only.
 */

/* Physical types (Type). */
enum {
	PQT_BOOLEAN, PQT_INT32, PQT_INT64, PQT_INT96, PQT_FLOAT, PQT_DOUBLE,
	PQT_BYTE_ARRAY, PQT_FIXED_LEN_BYTE_ARRAY
};

/* Page types (PageType). */
enum {
	PQT_DATA_PAGE, PQT_INDEX_PAGE, PQT_DICTIONARY_PAGE, PQT_DATA_PAGE_V2
};

/* A SchemaElement, with its LogicalType folded in. */
struct parquet_thrift_schema {
	char *name;		/* NUL-terminated, never NULL */
	int type;		/* physical type, -1 for a group */
	int32_t type_length;
	int repetition;		/* 0 required, 1 optional, 2 repeated; -1 */
	int32_t num_children;
	int converted;		/* ConvertedType, -1 if none */
	int32_t scale, precision;	/* DECIMAL, from either annotation */
	int logical;		/* LogicalType member (field id), 0 if none */
	int time_unit;		/* TIMESTAMP: 1 millis, 2 micros, 3 nanos */
};

/* A ColumnChunk and its ColumnMetaData. */
struct parquet_thrift_chunk {
	int has_meta;		/* meta_data present */
	int external;		/* file_path set: data in another file */
	int type;
	int codec;
	int64_t num_values;
	int64_t total_compressed_size;
	int64_t data_page_offset;
	int64_t dictionary_page_offset;	/* -1 if absent */
};

/* A RowGroup. */
struct parquet_thrift_rowgroup {
	int64_t num_rows;
	size_t ncolumns;
	struct parquet_thrift_chunk *columns;
};

/* A FileMetaData. */
struct parquet_thrift_file {
	int64_t num_rows;
	size_t nschema;
	struct parquet_thrift_schema *schema;
	size_t nrowgroups;
	struct parquet_thrift_rowgroup *rowgroups;
};

/* A PageHeader, with its DataPageHeader, DictionaryPageHeader or
 * DataPageHeaderV2 folded in. */
struct parquet_thrift_page {
	int type;		/* PQT_DATA_PAGE... or another value */
	int32_t uncompressed_size, compressed_size;
	int has_header;		/* the header of ${type} was present */
	int32_t num_values;
	int32_t num_nulls, num_rows;	/* v2 */
	int encoding;
	int def_encoding, rep_encoding;	/* v1 */
	int32_t def_length, rep_length;	/* v2 */
	int is_compressed;	/* v2 (default 1) */
};

/**
 * parquet_thrift_file(name, p, len, f):
 * Decode the FileMetaData of ${len} bytes at ${p} into ${f}, whose parts
 * are malloced (see parquet_thrift_file_free).  Return 0, or -1 on error
 * (reported as "${name}: ...").
 */
int parquet_thrift_file(const char *, const uint8_t *, size_t,
    struct parquet_thrift_file *);

/**
 * parquet_thrift_file_free(f):
 * Free the parts of ${f}.  A zeroed ${f} is a no-op.
 */
void parquet_thrift_file_free(struct parquet_thrift_file *);

/**
 * parquet_thrift_page(p, len, h, used):
 * Decode the PageHeader at the start of the ${len} bytes at ${p} into
 * ${h} and set ${used} to its length in bytes.  Return 0, or -1 if the
 * bytes are not a well-formed header (not reported).
 */
int parquet_thrift_page(const uint8_t *, size_t, struct parquet_thrift_page *,
    size_t *);

#endif
