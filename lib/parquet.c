#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#include "parquet.h"
#include "parquet_thrift.h"

/*
 * A column chunk is read whole (pread, or pointed at in memory), then its
 * pages are decoded one after the other straight into the arrays of its
 * selected column: one 64-bit slot per row (an integer, the bits of a
 * double, or the offset of a string in the column's arena), a length per
 * row for strings, a definition flag per row.  A page's values are decoded
 * in one loop per page and type; nulls are spread afterwards, from the
 * back.  The pages whose bytes strings point into (dictionary pages and
 * PLAIN pages of string columns) are kept in the arena until the next row
 * group; the others are decompressed into one scratch buffer.
 */

/* Codecs (CompressionCodec). */
enum {
	CODEC_UNCOMPRESSED, CODEC_SNAPPY, CODEC_GZIP, CODEC_LZO, CODEC_BROTLI,
	CODEC_LZ4, CODEC_ZSTD, CODEC_LZ4_RAW
};

/* Encodings (Encoding). */
enum {
	ENC_PLAIN = 0, ENC_PLAIN_DICTIONARY = 2, ENC_RLE = 3,
	ENC_BIT_PACKED = 4, ENC_DELTA_BINARY_PACKED = 5,
	ENC_DELTA_LENGTH_BYTE_ARRAY = 6, ENC_DELTA_BYTE_ARRAY = 7,
	ENC_RLE_DICTIONARY = 8, ENC_BYTE_STREAM_SPLIT = 9
};

/* How a physical value becomes a value of its kind. */
enum {
	CV_NONE, CV_BOOL, CV_INT32, CV_UINT32, CV_INT64, CV_FLOAT, CV_DOUBLE,
	CV_INT96, CV_DATE, CV_MILLIS, CV_MICROS, CV_NANOS, CV_DEC32, CV_DEC64,
	CV_DECFIXED, CV_DECBYTES, CV_FIXED, CV_BYTES
};

/* The largest page, uncompressed (its size is an i32 anyway). */
#define MAXPAGE		(1 << 30)

/* Microseconds in a day; days since the epoch whose microseconds fit. */
#define DAYUS		86400000000LL
#define MAXDAYS		(INT64_MAX / DAYUS - 1)
/* The Julian day of 1970-01-01. */
#define JULIAN_EPOCH	2440588

struct buf {
	uint8_t *p;
	size_t len, cap;
};

/* A leaf column of the schema. */
struct col {
	char *name;
	const struct parquet_thrift_schema *se;
	int type;
	int32_t width;		/* FIXED_LEN_BYTE_ARRAY */
	int maxdef;		/* 0 (required) or 1 (optional) when flat */
	int flat;		/* selectable: not nested, not repeated */
	enum parquet_kind kind;
	int cv;
	double divisor;		/* DECIMAL: 10^scale */
	const char *why;	/* why it cannot be selected */
};

/* A selected column, and its values in the current row group. */
struct sel {
	int col;		/* -1: always null */
	uint64_t *v;
	uint32_t *len;
	uint8_t *def;
	size_t cap;		/* rows the arrays hold */
	struct buf arena;	/* the bytes strings point into */
	uint64_t *dict;
	uint32_t *dictlen;
	size_t ndict, dictcap;
	int hasdict;
};

struct parquet {
	char *name;
	int fd;
	const uint8_t *mem;
	uint64_t size;
	uint64_t datalimit;	/* where the footer starts */
	struct parquet_thrift_file f;
	struct col *cols;
	size_t ncols;
	struct sel *sel;
	size_t nsel;
	int selected, failed;
	size_t rg;		/* the next row group to read */
	size_t row, nrows;	/* current row, rows of the row group */
	int started;
	struct buf chunk, scratch, idx;
	ZSTD_DCtx *zstd;
	z_stream zs;
	int zinit;
};

static const double tens[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
	1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23,
	1e24, 1e25, 1e26, 1e27, 1e28, 1e29, 1e30, 1e31, 1e32, 1e33, 1e34,
	1e35, 1e36, 1e37, 1e38
};

static const char *const codecs[] = {
	"UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD",
	"LZ4_RAW"
};

static const char *const encodings[] = {
	"PLAIN", "GROUP_VAR_INT", "PLAIN_DICTIONARY", "RLE", "BIT_PACKED",
	"DELTA_BINARY_PACKED", "DELTA_LENGTH_BYTE_ARRAY", "DELTA_BYTE_ARRAY",
	"RLE_DICTIONARY", "BYTE_STREAM_SPLIT"
};

static const char *
encname(int e)
{
	static char b[32];

	if (e >= 0 && e < (int)(sizeof(encodings) / sizeof(encodings[0])))
		return (encodings[e]);
	snprintf(b, sizeof(b), "%d", e);
	return (b);
}

/* Report an error of column ${c} of ${pq}. */
static void __attribute__((format(printf, 3, 4)))
cwarnx(const struct parquet *pq, const struct col *c, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	warnx("%s: column %s: %s", pq->name, c->name, msg);
}

static uint32_t
le32(const uint8_t *p)
{

	return ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24);
}

static uint64_t
le64(const uint8_t *p)
{

	return ((uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32);
}

static uint64_t
dbits(double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof(u));
	return (u);
}

/* Make room for ${n} bytes in all in ${b}; 0, or -1 (reported). */
static int
reserve(const struct parquet *pq, struct buf *b, size_t n)
{
	size_t cap;
	uint8_t *p;

	if (n <= b->cap)
		return (0);
	cap = b->cap ? b->cap : 4096;
	while (cap < n)
		cap = cap > SIZE_MAX / 2 ? n : cap * 2;
	if ((p = realloc(b->p, cap)) == NULL) {
		warnx("%s: out of memory (%zu bytes)", pq->name, cap);
		return (-1);
	}
	b->p = p;
	b->cap = cap;
	return (0);
}

/* Read ${len} bytes at ${off}; point ${p} at them.  0, or -1 (reported). */
static int
getbytes(struct parquet *pq, uint64_t off, size_t len, const uint8_t **p)
{
	size_t got;
	ssize_t r;

	if (off > pq->size || len > pq->size - off) {
		warnx("%s: read past the end of the file", pq->name);
		return (-1);
	}
	if (pq->mem != NULL) {
		*p = pq->mem + off;
		return (0);
	}
	if (reserve(pq, &pq->chunk, len ? len : 1))
		return (-1);
	for (got = 0; got < len; got += (size_t)r) {
		r = pread(pq->fd, pq->chunk.p + got, len - got,
		    (off_t)(off + got));
		if (r == -1 && errno == EINTR) {
			r = 0;
			continue;
		}
		if (r == -1) {
			warn("%s", pq->name);
			return (-1);
		}
		if (r == 0) {
			warnx("%s: file shrank while being read", pq->name);
			return (-1);
		}
	}
	*p = pq->chunk.p;
	return (0);
}

/*
 * Decode ${n} values of ${w} bits (0 to 32) from the RLE/bit-packed hybrid
 * encoding in the ${len} bytes at ${p} into ${out}.  Return 0, or -1 if
 * the input ends before the values do.
 */
static int
hybrid(const uint8_t *p, size_t len, int w, uint32_t *out, size_t n)
{
	const uint8_t *end = p + len;
	uint64_t h, run, x, mask = (1ULL << w) - 1;
	size_t i = 0, k, take, have, used, nb = ((size_t)w + 7) / 8;
	uint8_t g[32 + 8];
	uint32_t val;
	int shift, j, bit;

	while (i < n) {
		/* The run header, a ULEB128 varint. */
		for (h = 0, shift = 0;; shift += 7) {
			if (p == end || shift > 63)
				return (-1);
			h |= (uint64_t)(*p & 0x7f) << shift;
			if ((*p++ & 0x80) == 0)
				break;
		}
		if ((run = h >> 1) == 0)
			return (-1);
		if ((h & 1) == 0) {
			/* ${run} times one value of ${nb} bytes. */
			if ((size_t)(end - p) < nb)
				return (-1);
			for (val = 0, j = 0; j < (int)nb; j++)
				val |= (uint32_t)p[j] << (8 * j);
			p += nb;
			val &= (uint32_t)mask;
			take = run < n - i ? (size_t)run : n - i;
			for (k = 0; k < take; k++)
				out[i + k] = val;
			i += take;
			continue;
		}
		/*
		 * ${run} groups of 8 values of ${w} bits, LSB first, in ${w}
		 * bytes each.  The last group of the last run may be short
		 * of the values not needed.
		 */
		take = run < (n - i + 7) / 8 ? (size_t)run * 8 : n - i;
		if ((take * (size_t)w + 7) / 8 > (size_t)(end - p))
			return (-1);
		for (k = 0, used = 0; k < take; k += 8) {
			have = (size_t)(end - p) < (size_t)w ?
			    (size_t)(end - p) : (size_t)w;
			memcpy(g, p, have);
			memset(g + have, 0, sizeof(g) - have);
			for (j = 0; j < 8 && k + j < take; j++) {
				bit = j * w;
				x = le64(g + (bit >> 3)) >> (bit & 7);
				out[i + k + j] = (uint32_t)(x & mask);
			}
			p += have;
			used++;
		}
		i += take;
		/* Skip the groups of the run not needed. */
		if (run - used > (uint64_t)(end - p) / (w ? (size_t)w : 1))
			p = end;
		else
			p += (run - used) * (size_t)w;
	}
	return (0);
}

/* Convert the days since the epoch ${d}; 0, or -1 if out of range. */
static int
days(int64_t d, uint64_t *v)
{

	if (d > MAXDAYS || d < -MAXDAYS)
		return (-1);
	*v = (uint64_t)(d * DAYUS);
	return (0);
}

/* A big-endian two's complement integer of ${n} bytes, as a double. */
static double
bedecimal(const uint8_t *p, size_t n)
{
	uint64_t u = 0;
	double d = 0;
	size_t i;
	int neg;

	if (n == 0)
		return (0);
	if (n <= 8) {
		for (i = 0; i < n; i++)
			u = u << 8 | p[i];
		if (n < 8 && (p[0] & 0x80))
			u |= ~0ULL << (8 * n);
		return ((double)(int64_t)u);
	}
	/* A negative number is the complement of its magnitude less one. */
	neg = p[0] & 0x80 ? 0xff : 0;
	for (i = 0; i < n; i++)
		d = d * 256 + (p[i] ^ neg);
	return (neg ? -(d + 1) : d);
}

/*
 * Decode ${n} PLAIN values of column ${c} from the ${len} bytes at ${p}
 * into ${v} and ${lens}; ${base} is the offset of ${p} in the arena that
 * strings point into.  Return 0, or -1 (reported).
 */
static int
plain(struct parquet *pq, const struct col *c, const uint8_t *p, size_t len,
    size_t n, uint64_t *v, uint32_t *lens, uint64_t base)
{
	size_t i, w, pos;
	uint32_t l;
	uint64_t x;
	int64_t t;
	float fl;

	switch (c->type) {
	case PQT_BOOLEAN:
		if (n > len * 8)
			goto truncated;
		for (i = 0; i < n; i++)
			v[i] = (p[i >> 3] >> (i & 7)) & 1;
		return (0);
	case PQT_INT32:
	case PQT_FLOAT:
		w = 4;
		break;
	case PQT_INT64:
	case PQT_DOUBLE:
		w = 8;
		break;
	case PQT_INT96:
		w = 12;
		break;
	case PQT_FIXED_LEN_BYTE_ARRAY:
		w = (size_t)c->width;
		break;
	default:
		for (i = 0, pos = 0; i < n; i++) {
			if (len - pos < 4)
				goto truncated;
			l = le32(p + pos);
			pos += 4;
			if (l > len - pos)
				goto truncated;
			if (c->cv == CV_DECBYTES)
				v[i] = dbits(bedecimal(p + pos, l) /
				    c->divisor);
			else {
				v[i] = base + pos;
				lens[i] = l;
			}
			pos += l;
		}
		return (0);
	}
	if (w == 0 || n > len / w)
		goto truncated;
	switch (c->cv) {
	case CV_INT32:
		for (i = 0; i < n; i++)
			v[i] = (uint64_t)(int64_t)(int32_t)le32(p + 4 * i);
		break;
	case CV_UINT32:
		for (i = 0; i < n; i++)
			v[i] = le32(p + 4 * i);
		break;
	case CV_DATE:
		for (i = 0; i < n; i++)
			if (days((int32_t)le32(p + 4 * i), &v[i]))
				goto range;
		break;
	case CV_DEC32:
		for (i = 0; i < n; i++)
			v[i] = dbits((int32_t)le32(p + 4 * i) / c->divisor);
		break;
	case CV_FLOAT:
		for (i = 0; i < n; i++) {
			l = le32(p + 4 * i);
			memcpy(&fl, &l, sizeof(fl));
			v[i] = dbits(fl);
		}
		break;
	case CV_INT64:
	case CV_DOUBLE:
	case CV_MICROS:
		for (i = 0; i < n; i++)
			v[i] = le64(p + 8 * i);
		break;
	case CV_MILLIS:
		for (i = 0; i < n; i++) {
			t = (int64_t)le64(p + 8 * i);
			if (t > INT64_MAX / 1000 || t < INT64_MIN / 1000)
				goto range;
			v[i] = (uint64_t)(t * 1000);
		}
		break;
	case CV_NANOS:
		for (i = 0; i < n; i++) {
			t = (int64_t)le64(p + 8 * i);
			/* Round towards minus infinity. */
			v[i] = (uint64_t)(t / 1000 - (t % 1000 < 0));
		}
		break;
	case CV_DEC64:
		for (i = 0; i < n; i++)
			v[i] = dbits((int64_t)le64(p + 8 * i) / c->divisor);
		break;
	case CV_INT96:
		/* Nanoseconds of the day, then the Julian day. */
		for (i = 0; i < n; i++) {
			x = le64(p + 12 * i);
			t = (int64_t)le32(p + 12 * i + 8) - JULIAN_EPOCH;
			if (days(t, &v[i]) || x >= (uint64_t)DAYUS * 1000 ||
			    (int64_t)v[i] > INT64_MAX - (int64_t)(x / 1000))
				goto range;
			v[i] += x / 1000;
		}
		break;
	case CV_DECFIXED:
		for (i = 0; i < n; i++)
			v[i] = dbits(bedecimal(p + w * i, w) / c->divisor);
		break;
	default:
		for (i = 0; i < n; i++) {
			v[i] = base + w * i;
			lens[i] = (uint32_t)w;
		}
	}
	return (0);
truncated:
	cwarnx(pq, c, "truncated page");
	return (-1);
range:
	cwarnx(pq, c, "timestamp out of range");
	return (-1);
}

/*
 * Convert the ${n} integers at ${v}, decoded from a column of integer
 * physical type, as plain() converts the same values.  0, or -1
 * (reported).
 */
static int
convint(struct parquet *pq, const struct col *c, uint64_t *v, size_t n)
{
	size_t i;
	int64_t t;

	for (i = 0; i < n; i++) {
		t = (int64_t)v[i];
		switch (c->cv) {
		case CV_INT32:
			v[i] = (uint64_t)(int64_t)(int32_t)(uint32_t)v[i];
			break;
		case CV_UINT32:
			v[i] = (uint32_t)v[i];
			break;
		case CV_DATE:
			if (days((int32_t)(uint32_t)v[i], &v[i]))
				goto range;
			break;
		case CV_DEC32:
			v[i] = dbits((int32_t)(uint32_t)v[i] / c->divisor);
			break;
		case CV_DEC64:
			v[i] = dbits(t / c->divisor);
			break;
		case CV_MILLIS:
			if (t > INT64_MAX / 1000 || t < INT64_MIN / 1000)
				goto range;
			v[i] = (uint64_t)(t * 1000);
			break;
		case CV_NANOS:
			v[i] = (uint64_t)(t / 1000 - (t % 1000 < 0));
			break;
		}
	}
	return (0);
range:
	cwarnx(pq, c, "timestamp out of range");
	return (-1);
}

static int
uleb(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	int shift;

	for (*v = 0, shift = 0; shift < 64; shift += 7) {
		if (*p == end)
			return (-1);
		*v |= (uint64_t)(**p & 0x7f) << shift;
		if ((*(*p)++ & 0x80) == 0)
			return (0);
	}
	return (-1);
}

/*
 * Decode ${n} integers of the DELTA_BINARY_PACKED encoding at ${*p}, up to
 * ${end}, into ${v} (wrapping around at 64 bits); leave ${*p} after the
 * last miniblock read.  0, or -1 if the input is corrupt or ends early.
 */
static int
delta(const uint8_t **p, const uint8_t *end, uint64_t *v, size_t n)
{
	const uint8_t *q = *p, *widths;
	uint64_t bsize, nmini, total, u, mind, x, mask, last;
	size_t i = 0, per, k, have, need, j;
	uint8_t g[64 + 16];
	int w, bit, sh;

	if (uleb(&q, end, &bsize) || uleb(&q, end, &nmini) ||
	    uleb(&q, end, &total) || uleb(&q, end, &u))
		return (-1);
	if (nmini == 0 || bsize == 0 || bsize > (1 << 20) ||
	    nmini > bsize || bsize % nmini != 0 ||
	    (per = (size_t)(bsize / nmini)) % 8 != 0 || total < n)
		return (-1);
	last = (u >> 1) ^ -(u & 1);
	if (n > 0)
		v[i++] = last;
	while (i < n) {
		if (uleb(&q, end, &u) || (uint64_t)(end - q) < nmini)
			return (-1);
		mind = (u >> 1) ^ -(u & 1);
		widths = q;
		q += nmini;
		for (k = 0; k < nmini && i < n; k++) {
			if ((w = widths[k]) > 64)
				return (-1);
			mask = w == 64 ? ~0ULL : (1ULL << w) - 1;
			need = n - i < per ? n - i : per;
			if ((need * (size_t)w + 7) / 8 > (size_t)(end - q))
				return (-1);
			for (j = 0; j < need; j++) {
				if (j % 8 == 0) {
					/* The next 8 values, in ${w} bytes. */
					have = (size_t)(end - q) < (size_t)w ?
					    (size_t)(end - q) : (size_t)w;
					memcpy(g, q, have);
					memset(g + have, 0, sizeof(g) - have);
					q += have;
				}
				bit = (int)(j % 8) * w;
				sh = bit & 7;
				x = le64(g + (bit >> 3)) >> sh;
				if (sh != 0 && sh + w > 64)
					x |= (uint64_t)g[(bit >> 3) + 8] <<
					    (64 - sh);
				last += mind + (x & mask);
				v[i++] = last;
			}
			/* A miniblock is padded to its full size. */
			have = (per - (need + 7) / 8 * 8) / 8 * (size_t)w;
			if (have > (size_t)(end - q))
				have = (size_t)(end - q);
			q += have;
		}
	}
	*p = q;
	return (0);
}

/* Decode ${m} values of column ${c}, in the encoding ${enc} of the ${len}
 * bytes at ${p}, at ${row} of ${s}.  0, or -1 (reported). */
static int
decodex(struct parquet *pq, struct sel *s, const struct col *c, int enc,
    const uint8_t *p, size_t len, size_t row, size_t m, uint64_t base)
{
	const uint8_t *q = p, *end = p + len;
	uint64_t *v = s->v + row;
	size_t i, k, w, pos;
	uint8_t *t;

	switch (enc) {
	case ENC_DELTA_BINARY_PACKED:
		if (c->type != PQT_INT32 && c->type != PQT_INT64)
			break;
		if (delta(&q, end, v, m))
			goto corrupt;
		return (convint(pq, c, v, m));
	case ENC_DELTA_LENGTH_BYTE_ARRAY:
		if (c->cv != CV_BYTES)
			break;
		if (delta(&q, end, v, m))
			goto corrupt;
		for (i = 0, pos = (size_t)(q - p); i < m; i++) {
			if (v[i] > len - pos)
				goto corrupt;
			s->len[row + i] = (uint32_t)v[i];
			v[i] = base + pos;
			pos += s->len[row + i];
		}
		return (0);
	case ENC_BYTE_STREAM_SPLIT:
		/* Byte k of value i is at k * m + i: put them together. */
		if (c->kind == PARQUET_STRING || c->type == PQT_BOOLEAN ||
		    c->type == PQT_BYTE_ARRAY || c->type == PQT_INT96)
			break;
		w = c->type == PQT_FIXED_LEN_BYTE_ARRAY ? (size_t)c->width :
		    c->type == PQT_INT64 || c->type == PQT_DOUBLE ? 8 : 4;
		if (m > len / w)
			goto corrupt;
		if (reserve(pq, &pq->idx, m * w + 1))
			return (-1);
		t = pq->idx.p;
		for (k = 0; k < w; k++)
			for (i = 0; i < m; i++)
				t[i * w + k] = p[k * m + i];
		return (plain(pq, c, t, m * w, m, v, s->len + row, 0));
	}
	cwarnx(pq, c, "unsupported encoding %s", encname(enc));
	return (-1);
corrupt:
	cwarnx(pq, c, "corrupt %s page", encname(enc));
	return (-1);
}

/* Decompress ${slen} bytes at ${src} into the ${dlen} at ${dst}. */
static int
decompress(struct parquet *pq, const struct col *c, int codec,
    const uint8_t *src, size_t slen, uint8_t *dst, size_t dlen)
{
	unsigned long long fs;
	size_t out, r;
	int zr;

	switch (codec) {
	case CODEC_SNAPPY:
		if (snappy_uncompressed_length((const char *)src, slen, &out) !=
		    SNAPPY_OK || out != dlen)
			break;
		if (snappy_uncompress((const char *)src, slen, (char *)dst,
		    &out) != SNAPPY_OK || out != dlen)
			break;
		return (0);
	case CODEC_GZIP:
		/* No more than deflate's best ratio. */
		if (dlen / 1032 > slen + 64 || slen > MAXPAGE * 2U)
			break;
		if (!pq->zinit) {
			memset(&pq->zs, 0, sizeof(pq->zs));
			if (inflateInit2(&pq->zs, 15 + 32) != Z_OK) {
				warnx("%s: zlib: cannot start", pq->name);
				return (-1);
			}
			pq->zinit = 1;
		} else if (inflateReset(&pq->zs) != Z_OK)
			break;
		pq->zs.next_in = (Bytef *)(uintptr_t)src;
		pq->zs.avail_in = (uInt)slen;
		pq->zs.next_out = dst;
		pq->zs.avail_out = (uInt)dlen;
		/* Concatenated gzip members are one stream. */
		while ((zr = inflate(&pq->zs, Z_FINISH)) == Z_STREAM_END &&
		    pq->zs.avail_out > 0 && pq->zs.avail_in > 0 &&
		    inflateReset(&pq->zs) == Z_OK)
			;
		if (zr != Z_STREAM_END || pq->zs.avail_out != 0)
			break;
		return (0);
	case CODEC_ZSTD:
		fs = ZSTD_getFrameContentSize(src, slen);
		if (fs == ZSTD_CONTENTSIZE_ERROR ||
		    (fs != ZSTD_CONTENTSIZE_UNKNOWN && fs > dlen))
			break;
		if (dlen / 32768 > slen + 64)
			break;
		if (pq->zstd == NULL &&
		    (pq->zstd = ZSTD_createDCtx()) == NULL) {
			warnx("%s: zstd: cannot start", pq->name);
			return (-1);
		}
		r = ZSTD_decompressDCtx(pq->zstd, dst, dlen, src, slen);
		if (ZSTD_isError(r) || r != dlen)
			break;
		return (0);
	case CODEC_UNCOMPRESSED:
		if (slen != dlen)
			break;
		memcpy(dst, src, slen);
		return (0);
	}
	cwarnx(pq, c, "corrupt %s page", codecs[codec]);
	return (-1);
}

/*
 * Get the ${dlen} bytes of a page, ${slen} at ${src} as stored: in the
 * arena of ${s} if ${keep}, else in scratch, or where they are if neither
 * is needed.  Point ${p} at them, set ${base} to their offset in the
 * arena.  0, or -1 (reported).
 */
static int
pagebytes(struct parquet *pq, struct sel *s, const struct col *c, int codec,
    int keep, const uint8_t *src, size_t slen, size_t dlen,
    const uint8_t **p, uint64_t *base)
{
	struct buf *b = keep ? &s->arena : &pq->scratch;
	size_t at = keep ? s->arena.len : 0;

	*base = at;
	if (codec == CODEC_UNCOMPRESSED && !keep) {
		if (slen != dlen) {
			cwarnx(pq, c, "page sizes differ (%zu, %zu) without "
			    "compression", slen, dlen);
			return (-1);
		}
		*p = src;
		return (0);
	}
	if (dlen > MAXPAGE) {
		cwarnx(pq, c, "page of %zu bytes is too large", dlen);
		return (-1);
	}
	if (reserve(pq, b, at + dlen + 1))
		return (-1);
	if (decompress(pq, c, codec, src, slen, b->p + at, dlen))
		return (-1);
	b->len = at + dlen;
	*p = b->p + at;
	return (0);
}

/* Make room for ${n} indices in pq->idx. */
static uint32_t *
indices(struct parquet *pq, size_t n)
{

	if (n > SIZE_MAX / 4 || reserve(pq, &pq->idx, n * 4 + 4))
		return (NULL);
	return ((uint32_t *)(void *)pq->idx.p);
}

static int
dictpage(struct parquet *pq, struct sel *s, const struct col *c, int codec,
    const struct parquet_thrift_page *h, const uint8_t *body)
{
	const uint8_t *p;
	uint64_t base;
	size_t n, need;

	if (h->encoding != ENC_PLAIN && h->encoding != ENC_PLAIN_DICTIONARY) {
		cwarnx(pq, c, "unsupported dictionary encoding %s",
		    encname(h->encoding));
		return (-1);
	}
	if (pagebytes(pq, s, c, codec, c->kind == PARQUET_STRING, body,
	    (size_t)h->compressed_size,
	    (size_t)h->uncompressed_size, &p, &base))
		return (-1);
	if (h->num_values < 0) {
		cwarnx(pq, c, "negative dictionary size");
		return (-1);
	}
	n = (size_t)h->num_values;
	/* No more entries than the page can hold. */
	need = c->type == PQT_BOOLEAN ? n / 8 : c->type == PQT_BYTE_ARRAY ?
	    n * 4 : c->type == PQT_FIXED_LEN_BYTE_ARRAY ? n : n * 4;
	if (need > (size_t)h->uncompressed_size) {
		cwarnx(pq, c, "truncated dictionary page");
		return (-1);
	}
	if (n > s->dictcap) {
		free(s->dict);
		free(s->dictlen);
		s->dictcap = 0;
		s->dict = malloc((n ? n : 1) * sizeof(*s->dict));
		s->dictlen = malloc((n ? n : 1) * sizeof(*s->dictlen));
		if (s->dict == NULL || s->dictlen == NULL) {
			warnx("%s: out of memory", pq->name);
			return (-1);
		}
		s->dictcap = n;
	}
	if (plain(pq, c, p, (size_t)h->uncompressed_size, n, s->dict,
	    s->dictlen, base))
		return (-1);
	s->ndict = n;
	s->hasdict = 1;
	return (0);
}

/* Spread the ${m} values at the start of the ${n} rows at ${row} over the
 * rows whose definition flag is set. */
static void
spread(struct sel *s, size_t row, size_t n, size_t m, int str)
{
	size_t i, j = m;

	for (i = n; i-- > 0 && j < i + 1;) {
		if (!s->def[row + i])
			continue;
		j--;
		s->v[row + i] = s->v[row + j];
		if (str)
			s->len[row + i] = s->len[row + j];
	}
}

static int
datapage(struct parquet *pq, struct sel *s, const struct col *c, int codec,
    const struct parquet_thrift_page *h, const uint8_t *body, size_t row,
    size_t nrows)
{
	const uint8_t *p, *lv = NULL, *vp;
	size_t n, m, i, lvlen = 0, vlen, usize, csize, rl, dl;
	uint32_t *ix;
	uint64_t base;
	int keep, str, w;

	str = c->kind == PARQUET_STRING;
	keep = str && (h->encoding == ENC_PLAIN ||
	    h->encoding == ENC_DELTA_LENGTH_BYTE_ARRAY);
	usize = (size_t)h->uncompressed_size;
	csize = (size_t)h->compressed_size;
	if (h->num_values < 0 || (size_t)h->num_values > nrows - row) {
		cwarnx(pq, c, "page of %d values overruns the row group's "
		    "%zu rows", (int)h->num_values, nrows);
		return (-1);
	}
	n = (size_t)h->num_values;
	if (h->type == PQT_DATA_PAGE) {
		if (pagebytes(pq, s, c, codec, keep, body, csize, usize, &p,
		    &base))
			return (-1);
		vp = p;
		vlen = usize;
		if (c->maxdef > 0) {
			if (h->def_encoding != ENC_RLE) {
				cwarnx(pq, c, "unsupported definition level "
				    "encoding %s", encname(h->def_encoding));
				return (-1);
			}
			if (vlen < 4 || le32(vp) > vlen - 4)
				goto truncated;
			lv = vp + 4;
			lvlen = le32(vp);
			vp += 4 + lvlen;
			vlen -= 4 + lvlen;
		}
		base += (uint64_t)(vp - p);
	} else {
		if (h->rep_length < 0 || h->def_length < 0)
			goto truncated;
		rl = (size_t)h->rep_length;
		dl = (size_t)h->def_length;
		if (rl > csize || dl > csize - rl || rl + dl > usize)
			goto truncated;
		lv = body + rl;
		lvlen = dl;
		if (pagebytes(pq, s, c, h->is_compressed ? codec :
		    CODEC_UNCOMPRESSED, keep, body + rl + dl, csize - rl - dl,
		    usize - rl - dl, &vp, &base))
			return (-1);
		vlen = usize - rl - dl;
	}

	/* Definition levels: which rows have a value. */
	if (c->maxdef > 0) {
		if ((ix = indices(pq, n)) == NULL)
			return (-1);
		if (hybrid(lv, lvlen, 1, ix, n))
			goto truncated;
		for (i = 0, m = 0; i < n; i++) {
			s->def[row + i] = (uint8_t)ix[i];
			m += ix[i];
		}
	} else {
		memset(s->def + row, 1, n);
		m = n;
	}

	switch (h->encoding) {
	case ENC_PLAIN:
		if (plain(pq, c, vp, vlen, m, s->v + row, s->len + row, base))
			return (-1);
		break;
	case ENC_PLAIN_DICTIONARY:
	case ENC_RLE_DICTIONARY:
		if (!s->hasdict) {
			cwarnx(pq, c, "dictionary page missing");
			return (-1);
		}
		if (m == 0)
			break;
		if (vlen < 1 || (w = vp[0]) > 32)
			goto truncated;
		if ((ix = indices(pq, m)) == NULL)
			return (-1);
		if (hybrid(vp + 1, vlen - 1, w, ix, m))
			goto truncated;
		for (i = 0; i < m; i++) {
			if (ix[i] >= s->ndict) {
				cwarnx(pq, c, "dictionary index %lu out of "
				    "range", (unsigned long)ix[i]);
				return (-1);
			}
			s->v[row + i] = s->dict[ix[i]];
		}
		if (str)
			for (i = 0; i < m; i++)
				s->len[row + i] = s->dictlen[ix[i]];
		break;
	case ENC_RLE:
		if (c->type != PQT_BOOLEAN)
			goto unsupported;
		if (vlen < 4 || le32(vp) > vlen - 4)
			goto truncated;
		if ((ix = indices(pq, m)) == NULL)
			return (-1);
		if (hybrid(vp + 4, le32(vp), 1, ix, m))
			goto truncated;
		for (i = 0; i < m; i++)
			s->v[row + i] = ix[i];
		break;
	default:
		if (decodex(pq, s, c, h->encoding, vp, vlen, row, m, base))
			return (-1);
	}
	if (m < n)
		spread(s, row, n, m, str);
	return (0);
truncated:
	cwarnx(pq, c, "truncated page");
	return (-1);
unsupported:
	cwarnx(pq, c, "unsupported encoding %s", encname(h->encoding));
	return (-1);
}

/* Read the chunk ${ch} of column ${c} into ${s}: ${nrows} rows. */
static int
readchunk(struct parquet *pq, struct sel *s, const struct col *c,
    const struct parquet_thrift_chunk *ch, size_t nrows)
{
	struct parquet_thrift_page h;
	const uint8_t *p;
	uint64_t start, len, off = 0;
	size_t row = 0, hl;

	if (!ch->has_meta || ch->external) {
		cwarnx(pq, c, ch->external ? "data in another file" :
		    "no column metadata");
		return (-1);
	}
	if (ch->type != c->type) {
		cwarnx(pq, c, "chunk of type %d in a column of type %d",
		    ch->type, c->type);
		return (-1);
	}
	if (ch->codec < 0 || ch->codec > CODEC_LZ4_RAW) {
		warnx("%s: unknown codec %d", pq->name, ch->codec);
		return (-1);
	}
	if (ch->codec != CODEC_UNCOMPRESSED && ch->codec != CODEC_SNAPPY &&
	    ch->codec != CODEC_GZIP && ch->codec != CODEC_ZSTD) {
		warnx("%s: unsupported codec %s", pq->name, codecs[ch->codec]);
		return (-1);
	}
	if (ch->num_values != (int64_t)nrows) {
		cwarnx(pq, c, "%lld values in a row group of %zu rows",
		    (long long)ch->num_values, nrows);
		return (-1);
	}
	if (nrows == 0)
		return (0);
	start = (uint64_t)ch->data_page_offset;
	if (ch->dictionary_page_offset > 0 &&
	    ch->dictionary_page_offset < ch->data_page_offset)
		start = (uint64_t)ch->dictionary_page_offset;
	len = (uint64_t)ch->total_compressed_size;
	if (ch->data_page_offset < 4 || ch->total_compressed_size <= 0 ||
	    start > pq->datalimit || len > pq->datalimit - start) {
		cwarnx(pq, c, "column chunk out of the file's bounds");
		return (-1);
	}
	if (getbytes(pq, start, (size_t)len, &p))
		return (-1);

	s->arena.len = 0;
	s->hasdict = 0;
	s->ndict = 0;
	while (row < nrows) {
		if (off >= len) {
			cwarnx(pq, c, "truncated column chunk (%zu of %zu "
			    "values)", row, nrows);
			return (-1);
		}
		if (parquet_thrift_page(p + off, (size_t)(len - off), &h,
		    &hl)) {
			cwarnx(pq, c, "corrupt page header at offset %llu",
			    (unsigned long long)(start + off));
			return (-1);
		}
		off += hl;
		if (h.compressed_size < 0 || h.uncompressed_size < 0 ||
		    (uint64_t)h.compressed_size > len - off) {
			cwarnx(pq, c, "truncated page");
			return (-1);
		}
		switch (h.type) {
		case PQT_DICTIONARY_PAGE:
			if (!h.has_header || s->hasdict || row > 0) {
				cwarnx(pq, c, h.has_header ? "misplaced "
				    "dictionary page" : "page without header");
				return (-1);
			}
			if (dictpage(pq, s, c, ch->codec, &h, p + off))
				return (-1);
			break;
		case PQT_DATA_PAGE:
		case PQT_DATA_PAGE_V2:
			if (!h.has_header) {
				cwarnx(pq, c, "page without header");
				return (-1);
			}
			if (datapage(pq, s, c, ch->codec, &h, p + off, row,
			    nrows))
				return (-1);
			row += (size_t)h.num_values;
			break;
		default:
			/* Index pages and pages of later versions. */
			break;
		}
		off += (uint64_t)h.compressed_size;
	}
	return (0);
}

/* Read row group ${g}.  0, or -1 (reported). */
static int
readgroup(struct parquet *pq, size_t g)
{
	const struct parquet_thrift_rowgroup *rg = &pq->f.rowgroups[g];
	struct sel *s;
	size_t k, n;

	if (rg->num_rows < 0 || rg->num_rows > PARQUET_MAXROWS) {
		warnx("%s: row group %zu has %lld rows (the limit is %d)",
		    pq->name, g, (long long)rg->num_rows, PARQUET_MAXROWS);
		return (-1);
	}
	if (rg->ncolumns != pq->ncols) {
		warnx("%s: row group %zu has %zu columns, the schema %zu",
		    pq->name, g, rg->ncolumns, pq->ncols);
		return (-1);
	}
	n = (size_t)rg->num_rows;
	for (k = 0; k < pq->nsel; k++) {
		s = &pq->sel[k];
		if (s->col < 0)
			continue;
		if (n > s->cap) {
			free(s->v);
			free(s->len);
			free(s->def);
			s->cap = 0;
			s->v = malloc(n * sizeof(*s->v));
			s->len = malloc(n * sizeof(*s->len));
			s->def = malloc(n);
			if (s->v == NULL || s->len == NULL || s->def == NULL) {
				warnx("%s: out of memory", pq->name);
				return (-1);
			}
			s->cap = n;
		}
		if (readchunk(pq, s, &pq->cols[s->col],
		    &rg->columns[s->col], n))
			return (-1);
	}
	pq->nrows = n;
	return (0);
}

/* Fill in the kind and conversion of the leaf column ${c}. */
static void
kind(struct col *c)
{
	const struct parquet_thrift_schema *e = c->se;
	int dec, ts, unit = 0;

	dec = e->logical == 5 || e->converted == 5;
	ts = e->logical == 8 || e->converted == 9 || e->converted == 10;
	if (e->logical == 8)
		unit = e->time_unit;
	else if (ts)
		unit = e->converted == 9 ? 1 : 2;
	if (dec && (e->scale < 0 || e->scale > 38)) {
		c->why = "bad decimal scale";
		return;
	}
	c->divisor = tens[dec ? e->scale : 0];
	c->kind = PARQUET_INT;
	switch (c->type) {
	case PQT_BOOLEAN:
		c->cv = CV_BOOL;
		break;
	case PQT_INT32:
		c->cv = CV_INT32;
		if (dec) {
			c->kind = PARQUET_DOUBLE;
			c->cv = CV_DEC32;
		} else if (e->logical == 6 || e->converted == 6) {
			c->kind = PARQUET_TIME;
			c->cv = CV_DATE;
		} else if (e->converted >= 11 && e->converted <= 13)
			c->cv = CV_UINT32;
		break;
	case PQT_INT64:
		c->cv = CV_INT64;
		if (dec) {
			c->kind = PARQUET_DOUBLE;
			c->cv = CV_DEC64;
		} else if (ts && unit != 0) {
			c->kind = PARQUET_TIME;
			c->cv = unit == 1 ? CV_MILLIS : unit == 2 ? CV_MICROS :
			    CV_NANOS;
		}
		break;
	case PQT_INT96:
		c->kind = PARQUET_TIME;
		c->cv = CV_INT96;
		break;
	case PQT_FLOAT:
		c->kind = PARQUET_DOUBLE;
		c->cv = CV_FLOAT;
		break;
	case PQT_DOUBLE:
		c->kind = PARQUET_DOUBLE;
		c->cv = CV_DOUBLE;
		break;
	case PQT_BYTE_ARRAY:
		c->kind = dec ? PARQUET_DOUBLE : PARQUET_STRING;
		c->cv = dec ? CV_DECBYTES : CV_BYTES;
		break;
	case PQT_FIXED_LEN_BYTE_ARRAY:
		if (c->width <= 0) {
			c->why = "fixed length is not positive";
			c->kind = PARQUET_NULL;
			return;
		}
		c->kind = dec ? PARQUET_DOUBLE : PARQUET_STRING;
		c->cv = dec ? CV_DECFIXED : CV_FIXED;
		break;
	default:
		c->why = "unknown physical type";
		c->kind = PARQUET_NULL;
	}
}

/*
 * Walk the schema element at *${i} (at ${depth}, under the dotted path
 * ${prefix}) and its children, adding leaves to pq->cols.
 */
static int
walk(struct parquet *pq, size_t *i, int depth, const char *prefix,
    int def, int nested)
{
	const struct parquet_thrift_schema *e;
	struct col *c;
	size_t len;
	char *name;
	int32_t k;

	if (*i >= pq->f.nschema || depth > 64) {
		warnx("%s: corrupt schema", pq->name);
		return (-1);
	}
	e = &pq->f.schema[(*i)++];
	len = strlen(prefix) + strlen(e->name) + 2;
	if ((name = malloc(len)) == NULL) {
		warnx("%s: out of memory", pq->name);
		return (-1);
	}
	snprintf(name, len, "%s%s%s", prefix, *prefix ? "." : "", e->name);
	if (e->repetition == 1 || e->repetition == 2)
		def++;
	if (e->repetition == 2 || depth > 1)
		nested = 1;
	if (e->num_children > 0) {
		for (k = 0; k < e->num_children; k++)
			if (walk(pq, i, depth + 1, name, def, nested)) {
				free(name);
				return (-1);
			}
		free(name);
		return (0);
	}
	if (e->num_children < 0 || e->type < 0) {
		/* An empty group has no column. */
		free(name);
		if (e->num_children < 0) {
			warnx("%s: corrupt schema", pq->name);
			return (-1);
		}
		return (0);
	}
	/* pq->cols has room for every schema element. */
	c = &pq->cols[pq->ncols++];
	c->name = name;
	c->se = e;
	c->type = e->type;
	c->width = e->type_length;
	c->maxdef = def;
	c->flat = !nested;
	kind(c);
	if (nested) {
		c->why = "nested or repeated columns are not supported";
		c->kind = PARQUET_NULL;
	}
	return (0);
}

static struct parquet *
openfooter(struct parquet *pq)
{
	const uint8_t *p;
	uint8_t tail[8];
	uint32_t flen;
	int32_t k;
	size_t i;

	if (pq->size < 12) {
		warnx("%s: too short for a Parquet file (%llu bytes)",
		    pq->name, (unsigned long long)pq->size);
		goto err;
	}
	if (getbytes(pq, 0, 4, &p))
		goto err;
	if (memcmp(p, "PAR1", 4) != 0) {
		warnx("%s: bad magic", pq->name);
		goto err;
	}
	if (getbytes(pq, pq->size - 8, 8, &p))
		goto err;
	memcpy(tail, p, 8);
	if (memcmp(tail + 4, "PARE", 4) == 0) {
		warnx("%s: encrypted footer not supported", pq->name);
		goto err;
	}
	if (memcmp(tail + 4, "PAR1", 4) != 0) {
		warnx("%s: bad magic at the end", pq->name);
		goto err;
	}
	flen = le32(tail);
	if (flen > pq->size - 12) {
		warnx("%s: footer length %lu exceeds the file size",
		    pq->name, (unsigned long)flen);
		goto err;
	}
	pq->datalimit = pq->size - 8 - flen;
	if (getbytes(pq, pq->datalimit, flen, &p))
		goto err;
	if (parquet_thrift_file(pq->name, p, flen, &pq->f))
		goto err;
	if (pq->f.nschema < 1 || pq->f.schema[0].num_children < 0) {
		warnx("%s: corrupt schema", pq->name);
		goto err;
	}
	if ((pq->cols = calloc(pq->f.nschema, sizeof(*pq->cols))) == NULL) {
		warnx("%s: out of memory", pq->name);
		goto err;
	}
	i = 1;
	for (k = 0; k < pq->f.schema[0].num_children; k++)
		if (walk(pq, &i, 1, "", 0, 0))
			goto err;
	if (i != pq->f.nschema) {
		warnx("%s: corrupt schema", pq->name);
		goto err;
	}
	return (pq);
err:
	parquet_close(pq);
	return (NULL);
}

static struct parquet *
pqnew(const char *name)
{
	struct parquet *pq;

	if ((pq = calloc(1, sizeof(*pq))) == NULL ||
	    (pq->name = strdup(name)) == NULL) {
		warnx("%s: out of memory", name);
		free(pq);
		return (NULL);
	}
	pq->fd = -1;
	return (pq);
}

/**
 * parquet_open(path):
 * Open the Parquet file ${path} and read its footer.  Return the reader,
 * or NULL on error (reported).
 */
struct parquet *
parquet_open(const char *path)
{
	struct parquet *pq;
	struct stat st;

	if ((pq = pqnew(path)) == NULL)
		return (NULL);
	if ((pq->fd = open(path, O_RDONLY)) == -1 || fstat(pq->fd, &st)) {
		warn("%s", path);
		parquet_close(pq);
		return (NULL);
	}
	if (!S_ISREG(st.st_mode)) {
		warnx("%s: not a regular file", path);
		parquet_close(pq);
		return (NULL);
	}
	pq->size = (uint64_t)st.st_size;
	return (openfooter(pq));
}

/**
 * parquet_open_mem(name, p, len):
 * Open the ${len} bytes at ${p}, named ${name} in errors, as a Parquet
 * file.  The bytes must outlive the reader.  Return the reader, or NULL on
 * error (reported).
 */
struct parquet *
parquet_open_mem(const char *name, const void *p, size_t len)
{
	struct parquet *pq;

	if ((pq = pqnew(name)) == NULL)
		return (NULL);
	pq->mem = p != NULL ? p : (const void *)"";
	pq->size = len;
	return (openfooter(pq));
}

/**
 * parquet_nrows(pq):
 * The number of rows of ${pq}, as its footer says.
 */
int64_t
parquet_nrows(const struct parquet *pq)
{

	return (pq->f.num_rows);
}

/**
 * parquet_ncolumns(pq), parquet_column_name(pq, col),
 * parquet_column_kind(pq, col):
 * The number of (leaf) columns of ${pq}; the name of column ${col}, the
 * names of its groups joined by dots for a nested column; the kind of its
 * values, or PARQUET_NULL for a column that cannot be selected.
 */
size_t
parquet_ncolumns(const struct parquet *pq)
{

	return (pq->ncols);
}

const char *
parquet_column_name(const struct parquet *pq, size_t col)
{

	return (col < pq->ncols ? pq->cols[col].name : NULL);
}

enum parquet_kind
parquet_column_kind(const struct parquet *pq, size_t col)
{

	return (col < pq->ncols ? pq->cols[col].kind : PARQUET_NULL);
}

/**
 * parquet_column(pq, name):
 * The index of the column ${name} of ${pq}, or -1 if it has none.
 */
int
parquet_column(const struct parquet *pq, const char *name)
{
	size_t i;

	for (i = 0; i < pq->ncols && i < INT_MAX; i++)
		if (strcmp(pq->cols[i].name, name) == 0)
			return ((int)i);
	return (-1);
}

/**
 * parquet_select(pq, cols, n):
 * Read the ${n} columns whose indexes are in ${cols} (-1 for a column that
 * is always null, such as one parquet_column did not find); the value of
 * ${cols}[k] is then value k of each row.  Call it once, before the first
 * parquet_next_row.  Return 0, or -1 if a column cannot be selected
 * (reported).
 */
int
parquet_select(struct parquet *pq, const int *cols, size_t n)
{
	const struct col *c;
	size_t k;

	if (pq->selected || pq->started) {
		warnx("%s: columns selected twice", pq->name);
		return (-1);
	}
	for (k = 0; k < n; k++) {
		if (cols[k] < -1 || (cols[k] >= 0 &&
		    (size_t)cols[k] >= pq->ncols)) {
			warnx("%s: no column %d", pq->name, cols[k]);
			return (-1);
		}
		if (cols[k] < 0)
			continue;
		c = &pq->cols[cols[k]];
		if (c->why != NULL) {
			cwarnx(pq, c, "%s", c->why);
			return (-1);
		}
	}
	if ((pq->sel = calloc(n ? n : 1, sizeof(*pq->sel))) == NULL) {
		warnx("%s: out of memory", pq->name);
		return (-1);
	}
	for (k = 0; k < n; k++)
		pq->sel[k].col = cols[k];
	pq->nsel = n;
	pq->selected = 1;
	return (0);
}

/**
 * parquet_next_row(pq):
 * Move to the next row, reading the next row group when need be.  Return
 * 1 for a row, 0 at the end of the file, -1 on error (reported).
 */
int
parquet_next_row(struct parquet *pq)
{

	if (pq->failed)
		return (-1);
	if (pq->started && pq->row + 1 < pq->nrows) {
		pq->row++;
		return (1);
	}
	pq->started = 1;
	pq->nrows = 0;
	while (pq->rg < pq->f.nrowgroups) {
		if (readgroup(pq, pq->rg++)) {
			pq->failed = 1;
			return (-1);
		}
		if (pq->nrows > 0) {
			pq->row = 0;
			return (1);
		}
	}
	return (0);
}

/**
 * parquet_value(pq, k, v):
 * Set ${v} to value ${k} of the current row.  A string points into ${pq}
 * and stays valid until the next call of parquet_next_row (in fact until
 * the next row group is read) or ${pq} is closed.
 */
void
parquet_value(const struct parquet *pq, size_t k, struct parquet_value *v)
{
	const struct sel *s;
	uint64_t x;

	memset(v, 0, sizeof(*v));
	v->kind = PARQUET_NULL;
	if (k >= pq->nsel || pq->row >= pq->nrows)
		return;
	s = &pq->sel[k];
	if (s->col < 0 || !s->def[pq->row])
		return;
	x = s->v[pq->row];
	v->kind = pq->cols[s->col].kind;
	switch (v->kind) {
	case PARQUET_DOUBLE:
		memcpy(&v->d, &x, sizeof(v->d));
		break;
	case PARQUET_STRING:
		v->s = (const char *)s->arena.p + x;
		v->len = s->len[pq->row];
		break;
	default:
		v->i = (int64_t)x;
	}
}

/**
 * parquet_close(pq):
 * Close ${pq} and free it.  NULL is a no-op.
 */
void
parquet_close(struct parquet *pq)
{
	size_t i;

	if (pq == NULL)
		return;
	if (pq->fd != -1)
		close(pq->fd);
	for (i = 0; pq->cols != NULL && i < pq->ncols; i++)
		free(pq->cols[i].name);
	free(pq->cols);
	for (i = 0; pq->sel != NULL && i < pq->nsel; i++) {
		free(pq->sel[i].v);
		free(pq->sel[i].len);
		free(pq->sel[i].def);
		free(pq->sel[i].arena.p);
		free(pq->sel[i].dict);
		free(pq->sel[i].dictlen);
	}
	free(pq->sel);
	parquet_thrift_file_free(&pq->f);
	free(pq->chunk.p);
	free(pq->scratch.p);
	free(pq->idx.p);
	if (pq->zstd != NULL)
		ZSTD_freeDCtx(pq->zstd);
	if (pq->zinit)
		inflateEnd(&pq->zs);
	free(pq->name);
	free(pq);
}
