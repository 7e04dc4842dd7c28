#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <csv.h>
#include <zlib.h>

#include "curfile.h"
#include "datetime.h"
#include "parquet.h"

/* The columns read, in both naming schemes. */
enum {
	F_ACCOUNT, F_TYPE, F_PRODUCT, F_USAGE, F_OPERATION, F_RESOURCE,
	F_REGION, F_REGION_CODE, F_TERM, F_AMOUNT, F_UNBLENDED, F_NET,
	F_START, F_PERIOD, NFIELDS
};
static const struct {
	const char *legacy, *athena;
	int need;		/* every report has it */
} fields[NFIELDS] = {
	{ "lineItem/UsageAccountId", "line_item_usage_account_id", 1 },
	{ "lineItem/LineItemType", "line_item_line_item_type", 1 },
	{ "lineItem/ProductCode", "line_item_product_code", 1 },
	{ "lineItem/UsageType", "line_item_usage_type", 1 },
	{ "lineItem/Operation", "line_item_operation", 0 },
	{ "lineItem/ResourceId", "line_item_resource_id", 0 },
	{ "product/region", "product_region", 0 },
	{ "product/regionCode", "product_region_code", 0 },
	{ "pricing/term", "pricing_term", 0 },
	{ "lineItem/UsageAmount", "line_item_usage_amount", 1 },
	{ "lineItem/UnblendedCost", "line_item_unblended_cost", 1 },
	{ "lineItem/NetUnblendedCost", "line_item_net_unblended_cost", 0 },
	{ "lineItem/UsageStartDate", "line_item_usage_start_date", 1 },
	{ "bill/BillingPeriodStartDate", "bill_billing_period_start_date", 0 },
};

/* No CSV field of a CUR comes near this; a longer one is corrupt. */
#define MAXFIELD	(1024 * 1024)

/* A field's value in the current row. */
struct slot {
	enum parquet_kind kind;	/* CSV: PARQUET_STRING, or NULL if absent */
	char *s;		/* STRING: NUL-terminated copy */
	size_t len, cap;
	double d;
	int64_t i;		/* INT; TIME: microseconds */
};

struct reader {
	const char *name;
	int (*cb)(const struct curfile_item *, void *);
	void *ctx;
	struct curfile_info info;
	int have[NFIELDS];	/* the file has the column */
	int legacy[NFIELDS];	/* CSV: under its legacy name */
	struct slot v[NFIELDS];
	int *map;		/* CSV: column -> field, or -1 */
	size_t ncols, col;	/* CSV: columns of the header; current */
	int csv;		/* a CSV file */
	int header;		/* CSV: the header is read */
	unsigned long row;
	int rc;			/* the first error (-1) or stop */
};

/* Report a data error at the current row of ${r}; make the read fail. */
static void
rowerr(struct reader *r, const char *fmt, const char *what)
{
	char msg[256];

	snprintf(msg, sizeof(msg), fmt, what);
	/* A CSV file's line (the header is line 1), a Parquet file's row. */
	if (r->csv)
		warnx("%s:%lu: %s", r->name, r->row + 1, msg);
	else
		warnx("%s: row %lu: %s", r->name, r->row, msg);
	r->rc = -1;
}

/* Set slot ${k} to the string ${s} of ${len} bytes. */
static int
setstr(struct reader *r, int k, const char *s, size_t len)
{
	struct slot *v = &r->v[k];
	char *p;
	size_t cap;

	if (len + 1 > v->cap) {
		cap = len + 1 < 64 ? 64 : len + 1;
		if ((p = realloc(v->s, cap)) == NULL) {
			warn("%s", r->name);
			r->rc = -1;
			return (-1);
		}
		v->s = p;
		v->cap = cap;
	}
	memcpy(v->s, s, len);
	v->s[len] = '\0';
	v->len = len;
	v->kind = PARQUET_STRING;
	return (0);
}

/* The string of field ${k}: "" if null; an INT (an account id some
 * writers store as a number) is written out. */
static const char *
str(struct reader *r, int k)
{
	struct slot *v = &r->v[k];
	char buf[32];

	if (v->kind == PARQUET_INT) {
		snprintf(buf, sizeof(buf), k == F_ACCOUNT ? "%012" PRId64 :
		    "%" PRId64, v->i);
		if (setstr(r, k, buf, strlen(buf)))
			return ("");
	}
	return (v->kind == PARQUET_STRING ? v->s : "");
}

/* The number of field ${k} into ${d}; null or empty is 0.  -1 if it is
 * not a number (reported). */
static int
num(struct reader *r, int k, double *d)
{
	struct slot *v = &r->v[k];
	char *end;

	switch (v->kind) {
	case PARQUET_NULL:
		*d = 0;
		return (0);
	case PARQUET_INT:
		*d = (double)v->i;
		return (0);
	case PARQUET_DOUBLE:
		*d = v->d;
		break;
	case PARQUET_STRING:
		if (v->len == 0) {
			*d = 0;
			return (0);
		}
		errno = 0;
		*d = strtod(v->s, &end);
		if (*end != '\0' || errno == ERANGE)
			*d = NAN;
		break;
	default:
		*d = NAN;
	}
	if (!isfinite(*d)) {
		rowerr(r, "%s: not a number", fields[k].athena);
		return (-1);
	}
	return (0);
}

/* The time of field ${k} into ${t}; -1 if there is none or it is not a
 * time (reported if ${need}). */
static int
when(struct reader *r, int k, time_t *t, int need)
{
	struct slot *v = &r->v[k];

	if (v->kind == PARQUET_TIME) {
		/* Floor, for instants before the epoch. */
		*t = (time_t)(v->i / 1000000 - (v->i % 1000000 < 0));
		return (0);
	}
	if (v->kind == PARQUET_STRING && v->len > 0 &&
	    datetime_parse(t, v->s) == 0)
		return (0);
	if (need || (v->kind == PARQUET_STRING && v->len > 0) ||
	    (v->kind != PARQUET_STRING && v->kind != PARQUET_NULL))
		rowerr(r, "%s: not a date and time", fields[k].athena);
	return (-1);
}

/* The line item of the current row, to the callback. */
static void
emit(struct reader *r)
{
	struct curfile_item it;
	char date[DATETIME_LEN];
	time_t period;

	memset(&it, 0, sizeof(it));
	it.file = r->name;
	it.row = r->row;
	if (num(r, F_AMOUNT, &it.usage_amount) ||
	    num(r, F_UNBLENDED, &it.unblended_cost) ||
	    num(r, F_NET, &it.net_unblended_cost) ||
	    when(r, F_START, &it.usage_start, 1))
		return;
	if (!r->have[F_NET])
		it.net_unblended_cost = it.unblended_cost;
	if (r->v[F_PERIOD].kind == PARQUET_NULL ||
	    (r->v[F_PERIOD].kind == PARQUET_STRING &&
	    r->v[F_PERIOD].len == 0))
		period = it.usage_start;
	else if (when(r, F_PERIOD, &period, 0))
		return;
	datetime_format_date(date, period);
	memcpy(it.billing_period, date, 7);
	it.billing_period[7] = '\0';
	it.account = str(r, F_ACCOUNT);
	it.line_item_type = str(r, F_TYPE);
	it.product_code = str(r, F_PRODUCT);
	it.usage_type = str(r, F_USAGE);
	it.operation = str(r, F_OPERATION);
	it.resource_id = str(r, F_RESOURCE);
	it.region = str(r, F_REGION);
	if (*it.region == '\0')
		it.region = str(r, F_REGION_CODE);
	it.pricing_term = str(r, F_TERM);
	if (r->rc == 0)
		r->rc = r->cb(&it, r->ctx);
	r->info.rows++;
}

/* The columns are known: are those every report has there? */
static int
columns_known(struct reader *r)
{
	int k;

	for (k = 0; k < NFIELDS; k++)
		if (fields[k].need && !r->have[k] && (k != F_REGION ||
		    !r->have[F_REGION_CODE])) {
			warnx("%s: no column %s (or %s): not a Cost and Usage "
			    "Report%s", r->name, fields[k].legacy,
			    fields[k].athena, k == F_REGION ?
			    " (nor product_region_code)" : "");
			r->rc = -1;
			return (-1);
		}
	r->info.resources = r->have[F_RESOURCE];
	r->info.net = r->have[F_NET];
	return (0);
}

/* The field of the column called ${name}, or -1. */
static int
field_named(const char *name, size_t len)
{
	int k;

	for (k = 0; k < NFIELDS; k++)
		if ((strlen(fields[k].legacy) == len &&
		    strncasecmp(fields[k].legacy, name, len) == 0) ||
		    (strlen(fields[k].athena) == len &&
		    strncasecmp(fields[k].athena, name, len) == 0))
			return (k);
	return (-1);
}

/* libcsv: a field. */
static void
csv_field(void *s, size_t len, void *ctx)
{
	struct reader *r = ctx;
	int *map, k;

	if (r->rc != 0)
		return;
	if (!r->header) {
		/* A byte order mark before the first name is no part of it. */
		if (r->ncols == 0 && len >= 3 && memcmp(s, "\xef\xbb\xbf",
		    3) == 0) {
			s = (char *)s + 3;
			len -= 3;
		}
		if ((map = realloc(r->map, (r->ncols + 1) * sizeof(*map))) ==
		    NULL) {
			warn("%s", r->name);
			r->rc = -1;
			return;
		}
		r->map = map;
		k = field_named(s, len);
		if (k >= 0 && r->have[k]) {
			/* The same name twice is a duplicate key; of two
			 * names of one column, the first is the one. */
			if ((strlen(fields[k].legacy) == len &&
			    strncasecmp(fields[k].legacy, s, len) == 0) ==
			    r->legacy[k]) {
				rowerr(r, "the column %s comes twice",
				    r->legacy[k] ? fields[k].legacy :
				    fields[k].athena);
				return;
			}
			k = -1;
		}
		if (k >= 0) {
			r->have[k] = 1;
			r->legacy[k] = strlen(fields[k].legacy) == len &&
			    strncasecmp(fields[k].legacy, s, len) == 0;
		}
		r->map[r->ncols++] = k;
		return;
	}
	if (r->col < r->ncols && (k = r->map[r->col]) >= 0)
		setstr(r, k, s, len);
	r->col++;
}

/* libcsv: the end of a row. */
static void
csv_row(int c, void *ctx)
{
	struct reader *r = ctx;
	char msg[64];
	int k;

	if (r->rc != 0)
		return;
	if (!r->header) {
		r->header = 1;
		columns_known(r);
		return;
	}
	r->row++;
	if (r->col != r->ncols) {
		snprintf(msg, sizeof(msg), "%zu fields, the header has %zu",
		    r->col, r->ncols);
		rowerr(r, "%s", msg);
		return;
	}
	emit(r);
	r->col = 0;
	for (k = 0; k < NFIELDS; k++)
		r->v[k].kind = PARQUET_NULL;
}

/* libcsv's buffers grow to the longest field: bound them. */
static void *
csv_realloc(void *p, size_t n)
{

	return (n > MAXFIELD + 64 ? NULL : realloc(p, n));
}

static int
read_csv(struct reader *r, int fd, int pipe)
{
	struct csv_parser p;
	gzFile gz;
	const char *msg;
	char buf[65536];
	int n = 0, errnum, first = 1, rc;

	r->csv = 1;
	if ((gz = gzdopen(fd, "rb")) == NULL) {
		warnx("%s: cannot read", r->name);
		close(fd);
		return (-1);
	}
	gzbuffer(gz, 131072);
	r->info.format = gzdirect(gz) ? "csv" : "csv.gz";
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		warnx("%s: out of memory", r->name);
		gzclose(gz);
		return (-1);
	}
	csv_set_realloc_func(&p, csv_realloc);
	while (r->rc == 0 && (n = gzread(gz, buf, sizeof(buf))) > 0) {
		if (first && pipe && n >= 4 && memcmp(buf, "PAR1", 4) == 0) {
			warnx("%s: a Parquet file cannot be read from a pipe",
			    r->name);
			r->rc = -1;
			break;
		}
		if (first)
			r->info.format = gzdirect(gz) ? "csv" : "csv.gz";
		first = 0;
		if (csv_parse(&p, buf, (size_t)n, csv_field, csv_row, r) !=
		    (size_t)n && r->rc == 0) {
			warnx("%s:%lu: %s", r->name, r->row + 2,
			    csv_error(&p) == CSV_ENOMEM ? "a field too long" :
			    csv_strerror(csv_error(&p)));
			r->rc = -1;
		}
	}
	if (r->rc == 0) {
		msg = gzerror(gz, &errnum);
		if (n < 0 || errnum != Z_OK) {
			warnx("%s: %s", r->name, errnum == Z_BUF_ERROR ?
			    "truncated (the compressed data ends early)" :
			    errnum == Z_ERRNO ? strerror(errno) : msg);
			r->rc = -1;
		} else if (csv_fini(&p, csv_field, csv_row, r) != 0) {
			warnx("%s:%lu: a quoted field does not end",
			    r->name, r->row + 2);
			r->rc = -1;
		} else if (r->rc == 0 && !r->header) {
			warnx("%s: empty: not a Cost and Usage Report",
			    r->name);
			r->rc = -1;
		}
	}
	csv_free(&p);
	rc = r->rc;
	if (gzclose_r(gz) != Z_OK && rc == 0) {
		warnx("%s: cannot close", r->name);
		rc = -1;
	}
	return (rc);
}

static int
read_parquet(struct reader *r, const char *path)
{
	struct parquet *pq;
	struct parquet_value pv;
	int cols[NFIELDS], k, n;

	r->info.format = "parquet";
	if ((pq = parquet_open(path)) == NULL) {
		if (strcmp(path, r->name) != 0)
			warnx("%s: not a readable Parquet file", r->name);
		return (-1);
	}
	for (k = 0; k < NFIELDS; k++) {
		if ((cols[k] = parquet_column(pq, fields[k].athena)) == -1)
			cols[k] = parquet_column(pq, fields[k].legacy);
		r->have[k] = cols[k] != -1;
	}
	if (columns_known(r) || parquet_select(pq, cols, NFIELDS)) {
		parquet_close(pq);
		return (-1);
	}
	while (r->rc == 0 && (n = parquet_next_row(pq)) == 1) {
		r->row++;
		for (k = 0; k < NFIELDS; k++) {
			parquet_value(pq, (size_t)k, &pv);
			if (pv.kind == PARQUET_STRING) {
				if (pv.len > MAXFIELD) {
					rowerr(r, "%s: a value too long",
					    fields[k].athena);
					break;
				}
				if (setstr(r, k, pv.s, pv.len))
					break;
				continue;
			}
			r->v[k].kind = pv.kind;
			r->v[k].i = pv.i;
			r->v[k].d = pv.d;
		}
		if (r->rc == 0)
			emit(r);
	}
	if (r->rc == 0 && n == -1) {
		if (strcmp(path, r->name) != 0)
			warnx("%s: not a readable Parquet file", r->name);
		r->rc = -1;
	}
	parquet_close(pq);
	return (r->rc);
}

/**
 * curfile_read(path, name, cb, ctx, info):
 * Read the line items of the CUR file ${path} ("-": the standard input,
 * CSV only), named ${name} in messages, calling ${cb}(item, ${ctx}) for
 * each in order; fill ${info} (may be NULL).  A missing column that every
 * report has (account, line item type, product code, usage type, usage
 * amount, unblended cost, usage start, region), a malformed row or value,
 * a truncated or corrupt file is an error naming the file (and row).
 * Return 0, -1 on error (reported), or the non-zero value a callback
 * returned, which stops the reading.
 */
int
curfile_read(const char *path, const char *name,
    int (*cb)(const struct curfile_item *, void *), void *ctx,
    struct curfile_info *info)
{
	struct reader r;
	unsigned char magic[4];
	ssize_t n;
	int fd, k, rc;

	memset(&r, 0, sizeof(r));
	r.name = name;
	r.cb = cb;
	r.ctx = ctx;
	if (strcmp(path, "-") == 0) {
		if ((fd = dup(STDIN_FILENO)) == -1) {
			warn("standard input");
			return (-1);
		}
		rc = read_csv(&r, fd, 1);
		goto out;
	}
	if ((fd = open(path, O_RDONLY)) == -1) {
		warn("%s", name);
		return (-1);
	}
	/* The first bytes say what the file is, whatever its name. */
	if ((n = pread(fd, magic, sizeof(magic), 0)) == -1) {
		warn("%s", name);
		close(fd);
		return (-1);
	}
	if (n == 4 && memcmp(magic, "PAR1", 4) == 0) {
		close(fd);
		rc = read_parquet(&r, path);
	} else if (n == 4 && memcmp(magic, "PK\003\004", 4) == 0) {
		warnx("%s: a ZIP archive: read ZIP-compressed reports unzipped, "
		    "or deliver them as GZIP or Parquet", name);
		close(fd);
		rc = -1;
	} else
		rc = read_csv(&r, fd, 0);
out:
	for (k = 0; k < NFIELDS; k++)
		free(r.v[k].s);
	free(r.map);
	if (info != NULL)
		*info = r.info;
	return (rc);
}
