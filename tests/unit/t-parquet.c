#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parquet.h"
#include "tap.h"

/*
 * A small Parquet file built byte by byte, so that each corruption can be
 * made at a known place: three columns (a required INT64, an optional
 * dictionary-encoded string, an optional INT96 timestamp) of five rows in
 * data pages v1, and a footer strewn with fields of every Thrift type that
 * the reader does not know.  The files of real writers are tested by
 * tests/0950-parquet.t.
 */

static uint8_t f[4096];
static size_t flen;
/* Where the patches go. */
static size_t at_codec, at_pagesize, at_dictidx, at_nrows;

static void
byte(int b)
{

	f[flen++] = (uint8_t)b;
}

static void
uvar(uint64_t v)
{

	for (; v >= 0x80; v >>= 7)
		byte((int)(v & 0x7f) | 0x80);
	byte((int)v);
}

static void
zz(int64_t v)
{

	uvar(((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

/* A field header: id delta 1-15 and type (compact protocol). */
static void
fld(int delta, int type)
{

	byte(delta << 4 | type);
}

static void
bin(const char *s)
{

	uvar(strlen(s));
	memcpy(f + flen, s, strlen(s));
	flen += strlen(s);
}

static void
le(uint64_t v, int n)
{

	while (n-- > 0) {
		byte((int)(v & 0xff));
		v >>= 8;
	}
}

/* A PageHeader of ${type} whose sizes are ${size}, ${nvalues} values. */
static void
pagehdr(int type, int size, int nvalues, int enc)
{

	fld(1, 5);
	zz(type);
	fld(1, 5);
	zz(size);
	fld(1, 5);
	if (type == 0)
		at_pagesize = flen;
	zz(size);
	if (type == 0) {
		fld(2, 12);	/* 5: DataPageHeader */
		fld(1, 5);
		zz(nvalues);
		fld(1, 5);
		zz(enc);
		fld(1, 5);
		zz(3);		/* RLE levels */
		fld(1, 5);
		zz(3);
		byte(0);
	} else {
		fld(4, 12);	/* 7: DictionaryPageHeader */
		fld(1, 5);
		zz(nvalues);
		fld(1, 5);
		zz(0);
		fld(1, 1);	/* is_sorted: true */
		byte(0);
	}
	byte(0);
}

struct chunk {
	const char *name;
	int type;
	size_t start, len, data;
	long long dict;
};

/* ColumnChunk { 2: file_offset, 3: ColumnMetaData }. */
static void
chunkmeta(const struct chunk *c, int patch)
{

	fld(2, 6);
	zz((int64_t)c->start);
	fld(1, 12);
	fld(1, 5);
	zz(c->type);
	fld(1, 9);		/* encodings: list<i32> */
	byte(2 << 4 | 5);
	zz(0);
	zz(3);
	fld(1, 9);		/* path_in_schema: list<binary> */
	byte(1 << 4 | 8);
	bin(c->name);
	fld(1, 5);
	if (patch)
		at_codec = flen;
	zz(0);			/* UNCOMPRESSED */
	fld(1, 6);
	zz(5);
	fld(1, 6);
	zz((int64_t)c->len);
	fld(1, 6);
	zz((int64_t)c->len);
	fld(2, 6);		/* 9: data_page_offset */
	zz((int64_t)c->data);
	if (c->dict >= 0) {
		fld(2, 6);	/* 11 */
		zz(c->dict);
	}
	fld(1, 12);		/* 12: Statistics, unknown here */
	fld(5, 8);
	bin("max");
	fld(1, 8);
	bin("min");
	byte(0);
	byte(0);
	byte(0);
}

static void
build(void)
{
	struct chunk c[3] = {
		{ "id", 2, 0, 0, 0, -1 },
		{ "s", 6, 0, 0, 0, 0 },
		{ "t", 3, 0, 0, 0, -1 },
	};
	size_t foot, i;

	flen = 0;
	memcpy(f, "PAR1", 4);
	flen = 4;

	/* id: 10, 20, -30, 1<<40, -1, PLAIN. */
	c[0].start = c[0].data = flen;
	pagehdr(0, 40, 5, 0);
	le(10, 8);
	le(20, 8);
	le((uint64_t)-30, 8);
	le(1ULL << 40, 8);
	le((uint64_t)-1, 8);
	c[0].len = flen - c[0].start;

	/* s: "ab", null, "c", "ab", null from a dictionary. */
	c[1].start = flen;
	c[1].dict = (long long)flen;
	pagehdr(2, 4 + 2 + 4 + 1, 2, 0);
	le(2, 4);
	byte('a');
	byte('b');
	le(1, 4);
	byte('c');
	c[1].data = flen;
	pagehdr(0, 4 + 2 + 1 + 2, 5, 8);
	le(2, 4);
	byte(3);		/* one bit-packed group of levels */
	byte(0x0d);		/* 1 0 1 1 0 */
	byte(1);		/* index bit width */
	byte(3);
	at_dictidx = flen;
	byte(0x02);		/* 0 1 0 */
	c[1].len = flen - c[1].start;

	/* t: two INT96 values, two nulls, one value. */
	c[2].start = c[2].data = flen;
	pagehdr(0, 4 + 2 + 36, 5, 0);
	le(2, 4);
	byte(3);
	byte(0x13);		/* 1 1 0 0 1 */
	le(1500000000ULL, 8);
	le(2440588 + 20362, 4);
	le(0, 8);
	le(2440588, 4);
	le(86399999999999ULL, 8);
	le(2440588 - 1, 4);
	c[2].len = flen - c[2].start;

	/* FileMetaData. */
	foot = flen;
	fld(1, 5);
	zz(1);
	fld(1, 9);		/* 2: schema */
	byte(4 << 4 | 12);
	fld(4, 8);
	bin("schema");
	fld(1, 5);
	zz(3);
	byte(0);
	for (i = 0; i < 3; i++) {
		fld(1, 5);
		zz(c[i].type);
		fld(2, 5);
		zz(i == 0 ? 0 : 1);
		fld(1, 8);
		bin(c[i].name);
		if (i == 1) {
			fld(2, 5);
			zz(0);	/* UTF8 */
			fld(4, 12);	/* 10: LogicalType STRING */
			fld(1, 12);
			byte(0);
			byte(0);
		}
		byte(0);
	}
	fld(1, 6);		/* 3: num_rows */
	zz(5);
	fld(1, 9);		/* 4: row_groups */
	byte(1 << 4 | 12);
	fld(1, 9);
	byte(3 << 4 | 12);
	for (i = 0; i < 3; i++)
		chunkmeta(&c[i], i == 1);
	fld(1, 6);
	zz(100);
	fld(1, 6);
	at_nrows = flen;
	zz(5);
	byte(0);
	/* Unknown fields of every type, one with a long-form id. */
	fld(2, 1);		/* 6: true */
	fld(1, 2);
	fld(1, 3);
	byte(0x7f);
	fld(1, 4);
	zz(-300);
	fld(1, 7);
	le(0, 8);
	fld(1, 8);
	bin("created by a test");
	fld(1, 9);		/* list<bool> */
	byte(3 << 4 | 1);
	byte(1);
	byte(2);
	byte(1);
	fld(1, 10);		/* set<i64>, long form size */
	byte(15 << 4 | 6);
	uvar(16);
	for (i = 0; i < 16; i++)
		zz((int64_t)i * 1000);
	fld(1, 11);		/* map<binary, struct> */
	uvar(2);
	byte(8 << 4 | 12);
	bin("k1");
	fld(1, 5);
	zz(1);
	byte(0);
	bin("k2");
	fld(1, 9);
	byte(1 << 4 | 12);
	fld(3, 8);
	bin("deep");
	byte(0);
	byte(0);
	fld(1, 11);		/* empty map */
	uvar(0);
	fld(0, 12);		/* id 2000, long form */
	zz(2000);
	fld(1, 1);
	byte(0);
	byte(0);		/* end of FileMetaData */
	le(flen - foot, 4);
	memcpy(f + flen, "PAR1", 4);
	flen += 4;
}

/* Append value ${v} to ${out} at ${*o}, if there is room. */
static void
show(char *out, size_t outlen, size_t *o, const struct parquet_value *v)
{

	if (*o + 64 > outlen)
		return;
	if (v->kind == PARQUET_NULL)
		*o += (size_t)snprintf(out + *o, outlen - *o, "- ");
	else if (v->kind == PARQUET_STRING)
		*o += (size_t)snprintf(out + *o, outlen - *o, "%.*s ",
		    (int)v->len, v->s);
	else
		*o += (size_t)snprintf(out + *o, outlen - *o, "%lld ",
		    (long long)v->i);
}

/* Open ${len} bytes of ${p}, read every value into ${out}; the error in
 * ${err}.  Return 0, or -1. */
static int
readall(const uint8_t *p, size_t len, const char **err, char *out,
    size_t outlen)
{
	const int cols[3] = { 0, 1, 2 };
	struct parquet_value v;
	struct parquet *pq;
	size_t k, o = 0;
	int r;

	capture();
	out[0] = '\0';
	if ((pq = parquet_open_mem("F", p, len)) == NULL) {
		*err = captured();
		return (-1);
	}
	if ((r = parquet_select(pq, cols, 3)) == 0)
		while ((r = parquet_next_row(pq)) == 1)
			for (k = 0; k < 3; k++) {
				parquet_value(pq, k, &v);
				show(out, outlen, &o, &v);
			}
	parquet_close(pq);
	*err = captured();
	return (r);
}

static int
has(const char *s, const char *sub)
{

	return (s != NULL && strstr(s, sub) != NULL);
}

/* Read a copy of the file with byte ${at} set to ${b}. */
static int
patched(size_t at, int b, const char **err)
{
	static uint8_t g[sizeof(f)];
	char out[512];

	memcpy(g, f, flen);
	g[at] = (uint8_t)b;
	return (readall(g, flen, err, out, sizeof(out)));
}

int
main(void)
{
	static uint8_t g[sizeof(f)];
	struct parquet_value v;
	struct parquet *pq;
	const char *err;
	char out[512], want[512];
	size_t i, fails, rows;
	int r, cols[2];

	plan(31);
	build();

	is_int(readall(f, flen, &err, out, sizeof(out)), 0, "reads the file");
	snprintf(want, sizeof(want), "10 ab %lld 20 - %lld -30 c - %lld ab - "
	    "-1 - %lld ",
	    20362LL * 86400000000LL + 1500000, 0LL, 1LL << 40,
	    -86400000000LL + 86399999999LL);
	is(out, want, "values, nulls, dictionary, INT96 as microseconds");
	is(err, "", "no complaint (unknown fields of every type skipped)");

	pq = parquet_open_mem("F", f, flen);
	ok(pq != NULL, "opens");
	is_int((long long)parquet_ncolumns(pq), 3, "three columns");
	is(parquet_column_name(pq, 1), "s", "column names");
	is_int(parquet_column(pq, "t"), 2, "column by name");
	is_int(parquet_column(pq, "nope"), -1, "no such column");
	is_int(parquet_column_kind(pq, 2), PARQUET_TIME, "INT96 is a time");
	is_int(parquet_nrows(pq), 5, "rows from the footer");
	cols[0] = -1;
	cols[1] = 1;
	is_int(parquet_select(pq, cols, 2), 0, "select a missing column");
	for (rows = 0; parquet_next_row(pq) == 1; rows++) {
		parquet_value(pq, 0, &v);
		if (v.kind != PARQUET_NULL)
			break;
	}
	is_int((long long)rows, 5, "a missing column is null in every row");
	parquet_close(pq);

	is_int(patched(0, 'X', &err), -1, "bad magic fails");
	is(err, "t-parquet: F: bad magic\n", "bad magic: %s", err);
	patched(flen - 1, 'X', &err);
	ok(has(err, "F: bad magic at the end"), "bad end magic: %s", err);
	memcpy(g, f, flen);
	g[flen - 6] = 0x7f;
	capture();
	ok(parquet_open_mem("F", g, flen) == NULL, "long footer fails");
	err = captured();
	ok(has(err, "F: footer length ") &&
	    has(err, " exceeds the file size"), "footer length: %s", err);

	is_int(patched(at_codec, 2 * 9, &err), -1, "unknown codec fails");
	is(err, "t-parquet: F: unknown codec 9\n", "unknown codec: %s", err);
	patched(at_codec, 2 * 5, &err);
	ok(has(err, "F: unsupported codec LZ4"), "LZ4: %s", err);
	is_int(patched(at_pagesize, 2 * 100, &err), -1, "long page fails");
	ok(has(err, "F: column t: truncated page"), "truncated page: %s",
	    err);
	is_int(patched(at_dictidx - 2, 2, &err), -1, "bad index fails");
	ok(has(err, "F: column s: dictionary index 2 out of range"),
	    "dictionary index: %s", err);
	is_int(patched(at_nrows, 2 * 6, &err), -1, "row count mismatch fails");
	ok(has(err, "F: column id: 5 values in a row group of 6 rows"),
	    "row count: %s", err);
	capture();
	ok(parquet_open("/nonexistent/f.parquet") == NULL, "missing file");
	ok(has(captured(), "/nonexistent/f.parquet: No such file"),
	    "missing file named");

	/* Every truncation, and every byte changed, never crashes. */
	for (i = 0, fails = 0; i < flen; i++)
		if (readall(f, i, &err, out, sizeof(out)) == -1 &&
		    has(err, "F: "))
			fails++;
	is_int((long long)fails, (long long)flen, "every truncation fails "
	    "with a message");
	for (i = 0, fails = 0; i < flen; i++) {
		r = patched(i, f[i] ^ 0xff, &err);
		if (r == -1 && !has(err, "F: "))
			fails++;
		r = patched(i, f[i] + 1, &err);
		if (r == -1 && !has(err, "F: "))
			fails++;
		r = patched(i, 0x80, &err);
		if (r == -1 && !has(err, "F: "))
			fails++;
	}
	is_int((long long)fails, 0, "every changed byte: a value or an error "
	    "naming the file");
	/* The row count, from 5 to 1 << 25, and the footer longer. */
	memcpy(g, f, flen);
	memmove(g + at_nrows + 4, g + at_nrows + 1, flen - at_nrows - 1);
	memcpy(g + at_nrows, "\x80\x80\x80\x20", 4);
	i = (size_t)g[flen + 3 - 8] | (size_t)g[flen + 3 - 7] << 8;
	i += 3;
	g[flen + 3 - 8] = (uint8_t)(i & 0xff);
	g[flen + 3 - 7] = (uint8_t)(i >> 8);
	r = readall(g, flen + 3, &err, out, sizeof(out));
	ok(r == -1 && has(err, "the limit is"), "huge row group refused: %s",
	    err);
	return (done());
}
