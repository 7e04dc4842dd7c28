#include <err.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parquet_thrift.h"

/*
 * The Thrift compact protocol, as much as Parquet needs.  A field header is
 * one byte: a field id delta (1-15; 0 means a zigzag varint id follows) in
 * the high nibble and the type in the low one (0 ends the struct; 1 and 2
 * are the booleans true and false, whose value is the type).  Integers are
 * zigzag varints, binary is a varint length and the bytes, a list is one
 * byte of size (15: a varint follows) and element type.
 */

enum {
	CT_STOP, CT_TRUE, CT_FALSE, CT_BYTE, CT_I16, CT_I32, CT_I64, CT_DOUBLE,
	CT_BINARY, CT_LIST, CT_SET, CT_MAP, CT_STRUCT
};

/* Deeper nesting than this is corrupt (Parquet's own is 5 or 6 deep). */
#define MAXDEPTH	32

struct tr {
	const uint8_t *p, *end;
	const char *why;	/* the first error, or NULL */
};

static void
fail(struct tr *t, const char *why)
{

	if (t->why == NULL)
		t->why = why;
	t->p = t->end;
}

static uint64_t
uvarint(struct tr *t)
{
	uint64_t v = 0;
	int shift;

	for (shift = 0; shift < 64; shift += 7) {
		if (t->p == t->end) {
			fail(t, "truncated");
			return (0);
		}
		v |= (uint64_t)(*t->p & 0x7f) << shift;
		if ((*t->p++ & 0x80) == 0)
			return (v);
	}
	fail(t, "varint too long");
	return (0);
}

static int64_t
i64(struct tr *t)
{
	uint64_t u = uvarint(t);

	return ((int64_t)(u >> 1) ^ -(int64_t)(u & 1));
}

static int32_t
i32(struct tr *t)
{
	int64_t v = i64(t);

	if (v < INT32_MIN || v > INT32_MAX) {
		fail(t, "i32 out of range");
		return (0);
	}
	return ((int32_t)v);
}

static void
skipbytes(struct tr *t, uint64_t n)
{

	if (n > (uint64_t)(t->end - t->p))
		fail(t, "truncated");
	else
		t->p += n;
}

/* Read a binary field's length; the bytes are at t->p. */
static size_t
binary(struct tr *t)
{
	uint64_t n = uvarint(t);

	if (n > (uint64_t)(t->end - t->p)) {
		fail(t, "truncated");
		return (0);
	}
	return ((size_t)n);
}

/* Read a list header; return its element count, its type in ${et}. */
static size_t
list(struct tr *t, int *et)
{
	uint64_t n;
	uint8_t b;

	if (t->p == t->end) {
		fail(t, "truncated");
		return (0);
	}
	b = *t->p++;
	*et = b & 0x0f;
	n = b >> 4;
	if (n == 15)
		n = uvarint(t);
	/* Every element takes a byte at least (a STOP, a varint). */
	if (n > (uint64_t)(t->end - t->p)) {
		fail(t, "list longer than its input");
		return (0);
	}
	return ((size_t)n);
}

/* Read a field header; return its type (CT_STOP at the end). */
static int
field(struct tr *t, int *id)
{
	int64_t v;
	uint8_t b;
	int d;

	if (t->p == t->end) {
		fail(t, "truncated");
		return (CT_STOP);
	}
	b = *t->p++;
	if (b == 0)
		return (CT_STOP);
	if ((d = b >> 4) != 0)
		v = (int64_t)*id + d;
	else
		v = i64(t);
	/* Field ids are i16s. */
	if (v < INT16_MIN || v > INT16_MAX) {
		fail(t, "bad field id");
		return (CT_STOP);
	}
	*id = (int)v;
	return (b & 0x0f);
}

static void skip(struct tr *, int, int);

static void
skipstruct(struct tr *t, int depth)
{
	int ft, id = 0;

	if (depth > MAXDEPTH) {
		fail(t, "nested too deep");
		return;
	}
	while ((ft = field(t, &id)) != CT_STOP)
		skip(t, ft, depth + 1);
}

/* Skip a value of type ${type}; in a list, a boolean is one byte. */
static void
skip(struct tr *t, int type, int depth)
{
	size_t i, n;
	uint8_t kv;
	int et;

	if (depth > MAXDEPTH) {
		fail(t, "nested too deep");
		return;
	}
	switch (type) {
	case CT_TRUE:
	case CT_FALSE:
		break;
	case CT_BYTE:
		skipbytes(t, 1);
		break;
	case CT_I16:
	case CT_I32:
	case CT_I64:
		uvarint(t);
		break;
	case CT_DOUBLE:
		skipbytes(t, 8);
		break;
	case CT_BINARY:
		t->p += binary(t);
		break;
	case CT_LIST:
	case CT_SET:
		n = list(t, &et);
		for (i = 0; i < n && t->why == NULL; i++) {
			if (et == CT_TRUE || et == CT_FALSE)
				skipbytes(t, 1);
			else
				skip(t, et, depth + 1);
		}
		break;
	case CT_MAP:
		n = (size_t)uvarint(t);
		if (n == 0)
			break;
		if (n > (size_t)(t->end - t->p)) {
			fail(t, "map longer than its input");
			break;
		}
		skipbytes(t, 1);
		kv = t->p[-1];
		for (i = 0; i < n && t->why == NULL; i++) {
			et = kv >> 4;
			if (et == CT_TRUE || et == CT_FALSE)
				skipbytes(t, 1);
			else
				skip(t, et, depth + 1);
			et = kv & 0x0f;
			if (et == CT_TRUE || et == CT_FALSE)
				skipbytes(t, 1);
			else
				skip(t, et, depth + 1);
		}
		break;
	case CT_STRUCT:
		skipstruct(t, depth + 1);
		break;
	default:
		fail(t, "unknown field type");
	}
}

/* Is the field of type ${ft} of the type ${want}?  If not, skip it. */
static int
is(struct tr *t, int ft, int want)
{

	if (ft == want || (want == CT_I64 && (ft == CT_I32 || ft == CT_I16)) ||
	    (want == CT_I32 && ft == CT_I16))
		return (1);
	skip(t, ft, 1);
	return (0);
}

/* Decode a TimestampType (or Time); return its unit. */
static int
timeunit(struct tr *t)
{
	int ft, id = 0, uid, unit = 0;

	while ((ft = field(t, &id)) != CT_STOP) {
		if (id == 2 && is(t, ft, CT_STRUCT)) {
			/* TimeUnit: a union of empty structs. */
			uid = 0;
			while ((ft = field(t, &uid)) != CT_STOP) {
				if (ft == CT_STRUCT && uid >= 1 && uid <= 3)
					unit = uid;
				skip(t, ft, 3);
			}
		} else if (id != 2)
			skip(t, ft, 2);
	}
	return (unit);
}

static void
logicaltype(struct tr *t, struct parquet_thrift_schema *s)
{
	int ft, id = 0, did;

	while ((ft = field(t, &id)) != CT_STOP) {
		if (ft != CT_STRUCT) {
			skip(t, ft, 1);
			continue;
		}
		s->logical = id;
		if (id == 5) {
			/* DecimalType: 1 scale, 2 precision. */
			did = 0;
			while ((ft = field(t, &did)) != CT_STOP) {
				if (did == 1 && is(t, ft, CT_I32))
					s->scale = i32(t);
				else if (did == 2 && is(t, ft, CT_I32))
					s->precision = i32(t);
				else if (did != 1 && did != 2)
					skip(t, ft, 2);
			}
		} else if (id == 8)
			s->time_unit = timeunit(t);
		else
			skipstruct(t, 2);
	}
}

static char *
string(struct tr *t)
{
	size_t n = binary(t);
	char *s;

	if ((s = malloc(n + 1)) == NULL) {
		fail(t, "out of memory");
		return (NULL);
	}
	memcpy(s, t->p, n);
	s[n] = '\0';
	t->p += n;
	return (s);
}

static void
schema(struct tr *t, struct parquet_thrift_schema *s)
{
	int ft, id = 0;

	s->type = -1;
	s->repetition = -1;
	s->converted = -1;
	while ((ft = field(t, &id)) != CT_STOP) {
		switch (id) {
		case 1:
			if (is(t, ft, CT_I32))
				s->type = i32(t);
			break;
		case 2:
			if (is(t, ft, CT_I32))
				s->type_length = i32(t);
			break;
		case 3:
			if (is(t, ft, CT_I32))
				s->repetition = i32(t);
			break;
		case 4:
			if (is(t, ft, CT_BINARY)) {
				free(s->name);
				s->name = string(t);
			}
			break;
		case 5:
			if (is(t, ft, CT_I32))
				s->num_children = i32(t);
			break;
		case 6:
			if (is(t, ft, CT_I32))
				s->converted = i32(t);
			break;
		case 7:
			if (is(t, ft, CT_I32))
				s->scale = i32(t);
			break;
		case 8:
			if (is(t, ft, CT_I32))
				s->precision = i32(t);
			break;
		case 10:
			if (is(t, ft, CT_STRUCT))
				logicaltype(t, s);
			break;
		default:
			skip(t, ft, 1);
		}
	}
	if (s->name == NULL && t->why == NULL)
		fail(t, "schema element without a name");
}

static void
metadata(struct tr *t, struct parquet_thrift_chunk *c)
{
	int ft, id = 0;

	c->has_meta = 1;
	while ((ft = field(t, &id)) != CT_STOP) {
		switch (id) {
		case 1:
			if (is(t, ft, CT_I32))
				c->type = i32(t);
			break;
		case 4:
			if (is(t, ft, CT_I32))
				c->codec = i32(t);
			break;
		case 5:
			if (is(t, ft, CT_I64))
				c->num_values = i64(t);
			break;
		case 7:
			if (is(t, ft, CT_I64))
				c->total_compressed_size = i64(t);
			break;
		case 9:
			if (is(t, ft, CT_I64))
				c->data_page_offset = i64(t);
			break;
		case 11:
			if (is(t, ft, CT_I64))
				c->dictionary_page_offset = i64(t);
			break;
		default:
			skip(t, ft, 2);
		}
	}
}

static void
chunk(struct tr *t, struct parquet_thrift_chunk *c)
{
	int ft, id = 0;

	c->dictionary_page_offset = -1;
	while ((ft = field(t, &id)) != CT_STOP) {
		if (id == 1 && ft == CT_BINARY) {
			c->external = 1;
			skip(t, ft, 1);
		} else if (id == 3 && is(t, ft, CT_STRUCT))
			metadata(t, c);
		else if (id != 3)
			skip(t, ft, 1);
	}
}

static void
rowgroup(struct tr *t, struct parquet_thrift_rowgroup *rg)
{
	size_t i, n;
	int ft, id = 0, et;

	while ((ft = field(t, &id)) != CT_STOP) {
		if (id == 1 && is(t, ft, CT_LIST)) {
			n = list(t, &et);
			if (et != CT_STRUCT || rg->columns != NULL) {
				fail(t, "bad column chunk list");
				return;
			}
			if ((rg->columns = calloc(n ? n : 1,
			    sizeof(*rg->columns))) == NULL) {
				fail(t, "out of memory");
				return;
			}
			rg->ncolumns = n;
			for (i = 0; i < n && t->why == NULL; i++)
				chunk(t, &rg->columns[i]);
		} else if (id == 3 && is(t, ft, CT_I64))
			rg->num_rows = i64(t);
		else if (id != 1 && id != 3)
			skip(t, ft, 1);
	}
}

/**
 * parquet_thrift_file(name, p, len, f):
 * Decode the FileMetaData of ${len} bytes at ${p} into ${f}, whose parts
 * are malloced (see parquet_thrift_file_free).  Return 0, or -1 on error
 * (reported as "${name}: ...").
 */
int
parquet_thrift_file(const char *name, const uint8_t *p, size_t len,
    struct parquet_thrift_file *f)
{
	struct tr t = { p, p + len, NULL };
	size_t i, n;
	int ft, id = 0, et;

	memset(f, 0, sizeof(*f));
	while ((ft = field(&t, &id)) != CT_STOP) {
		switch (id) {
		case 2:
			if (!is(&t, ft, CT_LIST))
				break;
			n = list(&t, &et);
			if (et != CT_STRUCT || f->schema != NULL) {
				fail(&t, "bad schema list");
				break;
			}
			if ((f->schema = calloc(n ? n : 1,
			    sizeof(*f->schema))) == NULL) {
				fail(&t, "out of memory");
				break;
			}
			f->nschema = n;
			for (i = 0; i < n && t.why == NULL; i++)
				schema(&t, &f->schema[i]);
			break;
		case 3:
			if (is(&t, ft, CT_I64))
				f->num_rows = i64(&t);
			break;
		case 4:
			if (!is(&t, ft, CT_LIST))
				break;
			n = list(&t, &et);
			if (et != CT_STRUCT || f->rowgroups != NULL) {
				fail(&t, "bad row group list");
				break;
			}
			if ((f->rowgroups = calloc(n ? n : 1,
			    sizeof(*f->rowgroups))) == NULL) {
				fail(&t, "out of memory");
				break;
			}
			f->nrowgroups = n;
			for (i = 0; i < n && t.why == NULL; i++)
				rowgroup(&t, &f->rowgroups[i]);
			break;
		default:
			skip(&t, ft, 1);
		}
	}
	if (t.why == NULL && f->schema == NULL)
		fail(&t, "no schema");
	if (t.why != NULL) {
		warnx("%s: corrupt footer: %s", name, t.why);
		parquet_thrift_file_free(f);
		return (-1);
	}
	return (0);
}

/**
 * parquet_thrift_file_free(f):
 * Free the parts of ${f}.  A zeroed ${f} is a no-op.
 */
void
parquet_thrift_file_free(struct parquet_thrift_file *f)
{
	size_t i;

	if (f->schema != NULL)
		for (i = 0; i < f->nschema; i++)
			free(f->schema[i].name);
	free(f->schema);
	if (f->rowgroups != NULL)
		for (i = 0; i < f->nrowgroups; i++)
			free(f->rowgroups[i].columns);
	free(f->rowgroups);
	memset(f, 0, sizeof(*f));
}

/* DataPageHeader, DictionaryPageHeader or DataPageHeaderV2 (${v}). */
static void
pageheader(struct tr *t, struct parquet_thrift_page *h, int v)
{
	int ft, id = 0;

	h->has_header = 1;
	while ((ft = field(t, &id)) != CT_STOP) {
		if (v == PQT_DATA_PAGE_V2 && id == 7 &&
		    (ft == CT_TRUE || ft == CT_FALSE)) {
			h->is_compressed = ft == CT_TRUE;
			continue;
		}
		if (id > 6 || (v != PQT_DATA_PAGE_V2 && id > 4) ||
		    !is(t, ft, CT_I32)) {
			skip(t, ft, 2);
			continue;
		}
		if (id == 1)
			h->num_values = i32(t);
		else if (v == PQT_DATA_PAGE_V2) {
			switch (id) {
			case 2:
				h->num_nulls = i32(t);
				break;
			case 3:
				h->num_rows = i32(t);
				break;
			case 4:
				h->encoding = i32(t);
				break;
			case 5:
				h->def_length = i32(t);
				break;
			case 6:
				h->rep_length = i32(t);
				break;
			}
		} else if (id == 2)
			h->encoding = i32(t);
		else if (id == 3)
			h->def_encoding = i32(t);
		else if (id == 4)
			h->rep_encoding = i32(t);
	}
}

/**
 * parquet_thrift_page(p, len, h, used):
 * Decode the PageHeader at the start of the ${len} bytes at ${p} into
 * ${h} and set ${used} to its length in bytes.  Return 0, or -1 if the
 * bytes are not a well-formed header (not reported).
 */
int
parquet_thrift_page(const uint8_t *p, size_t len,
    struct parquet_thrift_page *h, size_t *used)
{
	struct tr t = { p, p + len, NULL };
	int ft, id = 0, v;

	memset(h, 0, sizeof(*h));
	h->type = -1;
	h->is_compressed = 1;
	while ((ft = field(&t, &id)) != CT_STOP) {
		switch (id) {
		case 1:
			if (is(&t, ft, CT_I32))
				h->type = i32(&t);
			break;
		case 2:
			if (is(&t, ft, CT_I32))
				h->uncompressed_size = i32(&t);
			break;
		case 3:
			if (is(&t, ft, CT_I32))
				h->compressed_size = i32(&t);
			break;
		case 5:
		case 7:
		case 8:
			v = id == 5 ? PQT_DATA_PAGE : id == 7 ?
			    PQT_DICTIONARY_PAGE : PQT_DATA_PAGE_V2;
			/* The header must match the page type, seen first. */
			if (is(&t, ft, CT_STRUCT)) {
				if (h->type == v && !h->has_header)
					pageheader(&t, h, v);
				else
					skipstruct(&t, 1);
			}
			break;
		default:
			skip(&t, ft, 1);
		}
	}
	if (t.why != NULL)
		return (-1);
	*used = (size_t)(t.p - p);
	return (0);
}
