#include <sys/stat.h>

#include <errno.h>
#include <err.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <jansson.h>
#include <pcre2.h>

#include "decision.h"
#include "gui_api.h"
#include "gui_chart.h"
#include "jscan.h"
#include "ndjson.h"
#include "parsenum.h"
#include "projdir.h"
#include "re2.h"
#include "report.h"

#define MAXARG		256	/* bytes in an argument's value */
#define MAXNOTE		1000	/* bytes in a decision's note */
#define TOPN		10	/* tables in the top list */
#define CHART_POINTS	720	/* points of the drill-down chart */
#define CHARTS		4	/* drill-downs drawn at once, at most */
#define ANALYSIS_TOP	25	/* tables or indexes in a chart of a type */
#define MAXTABLELINE	(1024 * 1024)	/* bytes in a table record */

static const char *const types[] = { "capacity", "table_class",
	"utilization", "idle", "commitment", NULL };
enum { T_CAPACITY, T_CLASS, T_UTIL, T_IDLE, T_COMMITMENT };
static const char *const classes[] = { "STANDARD",
	"STANDARD_INFREQUENT_ACCESS", NULL };

/* A file as last read: read again when any of these changes. */
struct stamp {
	int read;		/* it was read (a missing file as empty) */
	int exists;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
};

/*
 * Requests are answered by several threads at once.  The lock guards
 * the stamps and the three values read from the files (and the appending
 * of decisions, so that none is read half written); a request takes
 * references to the values under it (a view), then reads them without
 * it: they are never changed once read (a file that changes is read into
 * new values), and their references are taken and dropped under the lock
 * alone.  What a request answers with is copied from them, never shared
 * (Jansson's counts of references are not all read atomically).
 */
struct gui_api {
	const struct projdir *pd;
	int allow_edits;
	char *path[4];		/* recommendations, scenarios, decisions,
				   commitments */
	pthread_mutex_t lock;	/* st, recs, scen, dec, cmts;
				   decisions.ndjson */
	int locked;		/* the mutex was made */
	sem_t charts;		/* drill-downs that may draw now */
	int sem;		/* charts was made */
	struct gui_chart_days *days;	/* where the metrics end */
	struct stamp st[4];
	struct recidx *recs;	/* the recommendations */
	struct scenidx *scen;	/* the scenarios, by key() */
	json_t *dec;		/* id -> last decision */
	struct recidx *cmts;	/* the commitments */
};

/* The values of the files one request works on. */
struct view {
	struct recidx *recs;
	struct scenidx *scen;
	json_t *dec;
	struct recidx *cmts;
};

enum { F_RECS, F_SCEN, F_DEC, F_CMTS };

/* The filters of a list. */
struct filter {
	const char *type, *account, *region, *status, *mode;
	double min_savings;
	struct re2 *re;
};

/* ---- small helpers ---- */

/* The string ${k} of the object ${o}, or "". */
static const char *
str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return (s != NULL ? s : "");
}

/* The number ${k} of the object ${o}, or 0. */
static double
num(const json_t *o, const char *k)
{

	return (json_number_value(json_object_get(o, k)));
}

/* A new {"error":${msg}} (see gui_api.h). */
json_t *
gui_api_error(const char *msg)
{

	return (json_pack("{s:s}", "error", msg));
}

/* Answer ${code} with the error ${fmt}. */
static json_t *
fail(int *status, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static json_t *
fail(int *status, int code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	*status = code;
	return (gui_api_error(msg));
}

/* Whether ${s} is one of the NULL-ended ${v}. */
static int
listed(const char *const *v, const char *s)
{

	for (; *v != NULL; v++)
		if (strcmp(*v, s) == 0)
			return (1);
	return (0);
}

/* The index of ${s} in the NULL-ended ${v}, or -1. */
static int
indexof(const char *const *v, const char *s)
{
	int i;

	for (i = 0; v[i] != NULL; i++)
		if (strcmp(v[i], s) == 0)
			return (i);
	return (-1);
}

/* The key of the scenarios of ${index} (NULL: the table) of a table. */
static char *
key(char *buf, size_t n, const char *account, const char *region,
    const char *table, const char *index)
{

	snprintf(buf, n, "%s\n%s\n%s\n%s", account, region, table,
	    index != NULL ? index : "");
	return (buf);
}

/* ---- reading records in place ---- */

/* A new string of the value of ${m}: decoded if a string, else "".
 * NULL out of memory. */
static char *
mstr(const struct jscan_member *m)
{
	char *s;

	if ((s = malloc(m->len + 1)) != NULL)
		jscan_string(m, s, m->len + 1);
	return (s);
}

/* The numbers ${k} (${n} of them) of the object ${o} into ${d}, 0 where
 * one is missing or not a number, all 0 if ${o} is not an object (as
 * num() reads them).  Return 0, or -1 if ${o} is an object that names one
 * twice. */
static int
nums(const struct jscan_member *o, const char *const *k, double *d,
    size_t n)
{
	struct jscan_member m[8];
	size_t i;

	for (i = 0; i < n; i++) {
		m[i].name = k[i];
		d[i] = 0;
	}
	if (!jscan_is(o, '{'))
		return (0);
	if (jscan_object(o->v, o->len, m, n))
		return (-1);
	for (i = 0; i < n; i++)
		jscan_number(&m[i], &d[i]);
	return (0);
}

/* Read the ${len} bytes of the line at ${off} of ${fd} (of ${path}) into
 * the new ${*buf}.  Return 0, or -1 (reported). */
static int
reread(int fd, const char *path, off_t off, size_t len, char **buf)
{
	size_t got;
	ssize_t r;

	if ((*buf = malloc(len + 1)) == NULL) {
		warn("%s", path);
		return (-1);
	}
	for (got = 0; got < len; got += (size_t)r)
		if ((r = pread(fd, *buf + got, len - got, off + (off_t)got)) <=
		    0) {
			if (r == 0)
				errno = EIO;
			warn("%s", path);
			free(*buf);
			*buf = NULL;
			return (-1);
		}
	(*buf)[len] = '\0';
	return (0);
}

/* The record of the ${len} bytes at ${off} of ${fd}, read again: a new
 * value, or NULL (reported). */
static json_t *
reload(int fd, const char *path, off_t off, size_t len)
{
	json_t *rec;
	char *buf;

	if (reread(fd, path, off, len, &buf))
		return (NULL);
	rec = json_loadb(buf, len, JSON_REJECT_DUPLICATES, NULL);
	free(buf);
	if (rec == NULL)
		warnx("%s: a line changed since it was read", path);
	return (rec);
}

/* Open the project file ${path} (a missing one as -1 in ${*fd}): regular,
 * never through a link, never waited on.  Return 0, or -1 (reported). */
static int
open_file(const char *path, int *fd)
{
	struct stat sb;

	if ((*fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK)) == -1 &&
	    errno != ENOENT) {
		warn("%s", path);
		return (-1);
	}
	if (*fd != -1 && (fstat(*fd, &sb) == -1 || !S_ISREG(sb.st_mode))) {
		warnx("%s: not a regular file", path);
		close(*fd);
		*fd = -1;
		return (-1);
	}
	return (0);
}

/* Call ${cb}(${arg}, line, len, off, pos) on each line of the open file
 * ${fd} (of ${path}) but an empty one (an error, as ndjson_reader_next
 * has it); ${cb} returns 0, or 1 for a line that is not a JSON object
 * with a string "kind" (reported: another error), or -1 out of memory.
 * Return 0, or -1 (reported). */
static int
each_line(int fd, const char *path, int (*cb)(void *, const char *,
    size_t, off_t, const struct ndjson_pos *), void *arg)
{
	struct ndjson_reader *r;
	const char *line;
	size_t len;
	off_t off;
	int rc;

	/* A descriptor of its own: ${fd} stays open for the reads later. */
	if ((fd = dup(fd)) == -1) {
		warn("%s", path);
		return (-1);
	}
	if ((r = ndjson_reader_fdopen(fd, path, NDJSON_MAXLINE)) == NULL) {
		close(fd);
		return (-1);
	}
	while ((rc = ndjson_reader_line(r, &line, &len)) == 1) {
		off = ndjson_reader_offset(r, &len);
		if (len == 0) {
			ndjson_warnx(ndjson_reader_pos(r), "empty line");
			rc = -1;
			break;
		}
		if ((rc = cb(arg, line, len, off, ndjson_reader_pos(r))) != 0) {
			if (rc < 0)
				warnx("%s: out of memory", path);
			break;
		}
	}
	ndjson_reader_close(r);
	return (rc != 0 ? -1 : 0);
}

/* ---- the index of recommendations.ndjson ---- */

/*
 * recommendations.ndjson holds a few kilobytes a recommendation, ten
 * times that as JSON values (70 MB for five thousand).  The index keeps,
 * of each record, where its line is and what selects, sorts and counts it
 * (about 200 bytes); the rows of an answer are read again from the file
 * as it was indexed (its descriptor is kept), one at a time.
 */

/* What the pages need of one recommendation record. */
struct rec {
	off_t off;		/* its line in the file */
	size_t len;
	int type;		/* in types[] */
	int cmt;		/* of commitments.ndjson */
	char *id;		/* one block: id, account, region, table, */
	const char *account, *region, *table;
	const char *confidence;	/* confidence, */
	const char *mode;	/* and the current billing mode */
	double savings;		/* "monthly_savings_usd" */
	double saving;		/* what it saves a month in the totals: its
				 * joint figure (applied with the others of
				 * its account and region, reserved capacity
				 * counted), or its own in recommendations
				 * older than it */
};

/* The recommendations of recommendations.ndjson, in the file's order. */
struct recidx {
	int refs;		/* the api and views holding it (api->lock) */
	int cmt;		/* commitments.ndjson: of that type alone */
	int fd;			/* the file read, or -1 if there was none */
	char *path;
	struct rec *v;
	size_t n, cap;
};

enum { R_KIND, R_ID, R_TYPE, R_ACCOUNT, R_REGION, R_TABLE, R_SAVINGS,
	R_EFFECTIVE, R_CONFIDENCE, R_CURRENT, R_N };
static const char *const rmembers[R_N] = { "kind", "id", "type",
	"account", "region", "table", "monthly_savings_usd",
	"effective_monthly_savings_usd", "confidence", "current" };

/* Add the record of the ${len} bytes of ${line} at ${off} to the index
 * ${arg}, if it has what the pages need; report it if not.  Return 0, 1
 * for a line that is not JSON, or -1 out of memory. */
static int
rec_line(void *arg, const char *line, size_t len, off_t off,
    const struct ndjson_pos *pos)
{
	struct recidx *x = arg;
	struct jscan_member m[R_N], mode = { "billing_mode", NULL, 0 };
	char *s[6], *p;
	struct rec *r;
	size_t i, n = 0;
	char type[32];

	for (i = 0; i < R_N; i++)
		m[i].name = rmembers[i];
	if (jscan_object(line, len, m, R_N) || !jscan_is(&m[R_KIND], '"') ||
	    (jscan_is(&m[R_CURRENT], '{') && jscan_object(m[R_CURRENT].v,
	    m[R_CURRENT].len, &mode, 1))) {
		ndjson_warnx(pos, "invalid JSON, or no string \"kind\"");
		return (1);
	}
	jscan_string(&m[R_KIND], type, sizeof(type));
	/* A commitment is a purchase of the payer: no table. */
	if (strcmp(type, "recommendation") != 0 || !jscan_is(&m[R_ID], '"') ||
	    jscan_string(&m[R_TYPE], type, sizeof(type)) < 0 ||
	    !listed(types, type) || (strcmp(type, "commitment") == 0) !=
	    x->cmt || (!x->cmt && !jscan_is(&m[R_TABLE], '"')) ||
	    !jscan_number(&m[R_SAVINGS], &(double){ 0 })) {
		warnx("%s:%lu: not a recommendation record with \"id\", "
		    "\"type\", \"table\" and \"monthly_savings_usd\" "
		    "(skipped)", x->path, pos->line);
		return (0);
	}
	if (x->n == x->cap) {
		x->cap = x->cap == 0 ? 256 : x->cap * 2;
		if ((r = realloc(x->v, x->cap * sizeof(*r))) == NULL)
			return (-1);
		x->v = r;
	}
	r = &x->v[x->n];
	r->off = off;
	r->len = len;
	r->type = indexof(types, type);
	r->cmt = x->cmt;
	s[0] = mstr(&m[R_ID]);
	s[1] = mstr(&m[R_ACCOUNT]);
	s[2] = mstr(&m[R_REGION]);
	s[3] = mstr(&m[R_TABLE]);
	s[4] = mstr(&m[R_CONFIDENCE]);
	s[5] = mstr(&mode);
	for (i = 0; i < 6; i++)
		n += s[i] != NULL ? strlen(s[i]) + 1 : 0;
	if ((r->id = malloc(n)) != NULL) {
		for (p = r->id, i = 0; i < 6 && s[i] != NULL; i++)
			p = stpcpy(p, s[i]) + 1;
		r->account = r->id + strlen(r->id) + 1;
		r->region = r->account + strlen(r->account) + 1;
		r->table = r->region + strlen(r->region) + 1;
		r->confidence = r->table + strlen(r->table) + 1;
		r->mode = r->confidence + strlen(r->confidence) + 1;
	}
	for (i = 0; i < 6; i++)
		free(s[i]);
	if (r->id == NULL || i < 6)
		return (-1);
	jscan_number(&m[R_SAVINGS], &r->savings);
	if (!jscan_number(&m[R_EFFECTIVE], &r->saving))
		r->saving = r->savings;
	x->n++;
	return (0);
}

/* Let go of ${x} (under the api's lock): freed by the last. */
static void
rec_unref(struct recidx *x)
{
	size_t i;

	if (x == NULL || --x->refs > 0)
		return;
	for (i = 0; i < x->n; i++)
		free(x->v[i].id);
	if (x->fd != -1)
		close(x->fd);
	free(x->v);
	free(x->path);
	free(x);
}

/* Index ${path} (a missing file has no recommendation), of commitments
 * if ${cmt}.  Return NULL on an error (reported). */
static struct recidx *
rec_open(const char *path, int cmt)
{
	struct recidx *x;

	if ((x = calloc(1, sizeof(*x))) == NULL ||
	    (x->path = strdup(path)) == NULL) {
		warnx("%s: out of memory", path);
		free(x);
		return (NULL);
	}
	x->refs = 1;
	x->cmt = cmt;
	if (open_file(path, &x->fd) || (x->fd != -1 && each_line(x->fd,
	    path, rec_line, x))) {
		rec_unref(x);
		return (NULL);
	}
	return (x);
}

/* The index of the file of ${r} in the view ${v}. */
#define SRC(v, r)	((r)->cmt ? (v)->cmts : (v)->recs)

/* How many recommendations the view ${v} has, commitments with them. */
#define NRECS(v)	((v)->recs->n + (v)->cmts->n)

/* The recommendation ${i} of the view ${w}: those of
 * recommendations.ndjson, then the commitments. */
#define NTH(w, i)	((i) < (w)->recs->n ? &(w)->recs->v[(i)] : \
			    &(w)->cmts->v[(i) - (w)->recs->n])

/* The record of ${r}, read again from its line: a new value, or NULL
 * (reported). */
static json_t *
rec_read(const struct recidx *x, const struct rec *r)
{

	return (reload(x->fd, x->path, r->off, r->len));
}

/* ---- the index of scenarios.ndjson ---- */

/*
 * scenarios.ndjson holds 8 records a table and index, several kilobytes
 * each as JSON values: hundreds of megabytes for an organization of ten
 * thousand tables.  The index keeps, of each record, only where its line
 * is and the figures the pages of recommendations show (72 bytes), and of
 * each table and index the utilization of its current settings (56
 * bytes); a table's drill-down reads its own lines again, from the file
 * as it was indexed (its descriptor is kept).
 */
static const char *const scen_names[] = { "current", "on_demand",
	"provisioned_autoscaled", "provisioned_fixed", NULL };

/* What the pages need of one scenario record. */
struct scen {
	uint32_t kid;		/* its key's number, in order of first sight */
	uint32_t len;		/* its line in the file */
	off_t off;
	signed char name;	/* in scen_names[], or -1 */
	signed char cls;	/* in classes[], or -1 */
	signed char has_thr;	/* "throttled_minutes" is a number: */
	signed char now;	/* "current" in its "current_table_class" */
	uint32_t cap;		/* its "capacity" (provisioned_autoscaled): */
	uint32_t caplen;	/* where in its line, 0 if it has none */
	double usd;		/* "monthly_usd", or 0 */
	double thr;
	double rd, wr, st;	/* its "breakdown", 0 where missing */
};

/* What the pages need of a table or index. */
struct skey {
	size_t first;		/* its first entry in v[] */
	int now;		/* it has a record in its current settings: */
	double ev[2][3];	/* its reads', writes' average, peak and
				 * average provisioned units a second
				 * (evidence) */
};

/* The scenarios of scenarios.ndjson, by key(). */
struct scenidx {
	int refs;		/* the api and views holding it (api->lock) */
	int fd;			/* the file read, or -1 if there was none */
	char *path;
	json_t *keys;		/* key -> its number */
	struct skey *k;		/* by number, and one past the last */
	size_t nk, capk;
	struct scen *v;		/* by key, then in the file's order */
	size_t n, cap;
	size_t tables;		/* keys of tables, not of indexes */
	int days;		/* the longest "days" of a record */
};

enum { S_KIND, S_ACCOUNT, S_REGION, S_TABLE, S_INDEX, S_SCENARIO, S_CLASS,
	S_CURCLASS, S_USD, S_THR, S_BREAKDOWN, S_EVIDENCE, S_CAPACITY, S_DAYS,
	S_N };
static const char *const smembers[S_N] = { "kind", "account", "region",
	"table", "index", "scenario", "table_class", "current_table_class",
	"monthly_usd", "throttled_minutes", "breakdown", "evidence",
	"capacity", "days" };

/* The number of the key ${k} in ${x}, a new one if it had none (of an
 * index if ${index}).  Return -1 out of memory. */
static long
key_number(struct scenidx *x, const char *k, int index)
{
	struct skey *sk;
	json_t *kid;

	if ((kid = json_object_get(x->keys, k)) != NULL)
		return ((long)json_integer_value(kid));
	if (x->nk + 1 >= x->capk) {
		x->capk = x->capk == 0 ? 256 : x->capk * 2;
		if ((sk = realloc(x->k, x->capk * sizeof(*sk))) == NULL)
			return (-1);
		x->k = sk;
	}
	if (x->nk >= UINT32_MAX || json_object_set_new(x->keys, k,
	    json_integer((json_int_t)x->nk)))
		return (-1);
	memset(&x->k[x->nk], 0, sizeof(x->k[x->nk]));
	x->tables += !index;
	return ((long)x->nk++);
}

/* Add the scenario record of the ${len} bytes of ${line} at ${off} to
 * the index ${arg}.  Return 0, 1 for a line that is not JSON, or -1 out
 * of memory. */
static int
scen_line(void *arg, const char *line, size_t len, off_t off,
    const struct ndjson_pos *pos)
{
	static const char *const bd[] = { "read_usd", "write_usd",
	    "storage_usd" };
	static const char *const dim[] = { "read", "write" };
	static const char *const evk[] = { "avg_units_per_s",
	    "peak_units_per_s", "provisioned_avg" };
	struct scenidx *x = arg;
	struct jscan_member m[S_N], d[2];
	struct scen *s;
	/* Names as DynamoDB has them: 255 bytes at most (longer ones are
	 * read as ""). */
	char a[256], r[256], t[256], i[256], k[1024];
	char sc[64], c[256], cc[256];
	double b[3], ev[2][3];
	long long days;
	long kid;
	size_t j;

	for (j = 0; j < S_N; j++)
		m[j].name = smembers[j];
	d[0].name = dim[0];
	d[1].name = dim[1];
	if (jscan_object(line, len, m, S_N) || !jscan_is(&m[S_KIND], '"'))
		goto bad;
	jscan_string(&m[S_KIND], sc, sizeof(sc));
	if (strcmp(sc, "scenario") != 0)
		return (0);
	if (nums(&m[S_BREAKDOWN], bd, b, 3) || (jscan_is(&m[S_EVIDENCE], '{') &&
	    jscan_object(m[S_EVIDENCE].v, m[S_EVIDENCE].len, d, 2)))
		goto bad;
	if (!jscan_is(&m[S_EVIDENCE], '{'))
		d[0].v = d[1].v = NULL;
	if (nums(&d[0], evk, ev[0], 3) || nums(&d[1], evk, ev[1], 3))
		goto bad;
	jscan_string(&m[S_ACCOUNT], a, sizeof(a));
	jscan_string(&m[S_REGION], r, sizeof(r));
	jscan_string(&m[S_TABLE], t, sizeof(t));
	jscan_string(&m[S_INDEX], i, sizeof(i));
	key(k, sizeof(k), a, r, t, jscan_is(&m[S_INDEX], '"') ? i : NULL);
	if ((kid = key_number(x, k, jscan_is(&m[S_INDEX], '"'))) < 0)
		return (-1);
	if (x->n == x->cap) {
		x->cap = x->cap == 0 ? 1024 : x->cap * 2;
		if ((s = realloc(x->v, x->cap * sizeof(*s))) == NULL)
			return (-1);
		x->v = s;
	}
	s = &x->v[x->n];
	s->kid = (uint32_t)kid;
	s->off = off;
	s->len = (uint32_t)len;
	if (jscan_integer(&m[S_DAYS], &days) && days > x->days &&
	    days <= 3660)
		x->days = (int)days;
	jscan_string(&m[S_SCENARIO], sc, sizeof(sc));
	jscan_string(&m[S_CLASS], c, sizeof(c));
	jscan_string(&m[S_CURCLASS], cc, sizeof(cc));
	s->name = (signed char)indexof(scen_names, sc);
	s->cls = (signed char)indexof(classes, c);
	jscan_number(&m[S_USD], &s->usd);
	s->has_thr = (signed char)jscan_number(&m[S_THR], &s->thr);
	s->rd = b[0];
	s->wr = b[1];
	s->st = b[2];
	s->now = s->name == 0 && strcmp(c, cc) == 0;
	s->cap = s->caplen = 0;
	if (s->name == 2 && m[S_CAPACITY].v != NULL) {
		s->cap = (uint32_t)(m[S_CAPACITY].v - line);
		s->caplen = (uint32_t)m[S_CAPACITY].len;
	}
	/* The first record in its current settings says its utilization. */
	if (s->now && !x->k[kid].now) {
		x->k[kid].now = 1;
		memcpy(x->k[kid].ev, ev, sizeof(ev));
	}
	x->n++;
	return (0);
bad:
	ndjson_warnx(pos, "invalid JSON, or no string \"kind\"");
	return (1);
}

static int
by_key(const void *a, const void *b)
{
	const struct scen *x = a, *y = b;

	if (x->kid != y->kid)
		return (x->kid < y->kid ? -1 : 1);
	return (x->off < y->off ? -1 : x->off > y->off);
}

/* Index the scenario records of the open file ${x}: every entry in order
 * of key, and each key mapped to its first entry. */
static int
index_lines(struct scenidx *x)
{
	struct scen *s;
	size_t i;

	if (each_line(x->fd, x->path, scen_line, x))
		return (-1);
	qsort(x->v, x->n, sizeof(*x->v), by_key);
	/* The room to grow is given back. */
	if (x->n > 0 && (s = realloc(x->v, x->n * sizeof(*s))) != NULL)
		x->v = s;
	/* Where each key's entries begin. */
	for (i = x->n; i-- > 0;)
		x->k[x->v[i].kid].first = i;
	x->k[x->nk].first = x->n;
	return (0);
}

/* Let go of ${x} (under the api's lock): freed by the last. */
static void
scen_unref(struct scenidx *x)
{

	if (x == NULL || --x->refs > 0)
		return;
	if (x->fd != -1)
		close(x->fd);
	json_decref(x->keys);
	free(x->k);
	free(x->v);
	free(x->path);
	free(x);
}

/* Index ${path} (a missing file has no scenario).  Return NULL on an
 * error (reported). */
static struct scenidx *
scen_open(const char *path)
{
	struct scenidx *x;

	if ((x = calloc(1, sizeof(*x))) == NULL ||
	    (x->path = strdup(path)) == NULL ||
	    (x->keys = json_object()) == NULL ||
	    (x->k = calloc(1, sizeof(*x->k))) == NULL) {
		warnx("%s: out of memory", path);
		if (x != NULL) {
			json_decref(x->keys);
			free(x->path);
			free(x);
		}
		return (NULL);
	}
	x->refs = 1;
	x->capk = 1;
	if (open_file(path, &x->fd) || (x->fd != -1 && index_lines(x))) {
		scen_unref(x);
		return (NULL);
	}
	return (x);
}

/* The number of the key ${k} in ${x}, or -1. */
static long
scen_key(const struct scenidx *x, const char *k)
{
	json_t *kid = json_object_get(x->keys, k);

	return (kid != NULL ? (long)json_integer_value(kid) : -1);
}

/* The entries of the key ${k} in ${x}: the first, and their number in
 * ${n}; NULL if none. */
static const struct scen *
scen_find(const struct scenidx *x, const char *k, size_t *n)
{
	long i;

	*n = 0;
	if ((i = scen_key(x, k)) < 0)
		return (NULL);
	*n = x->k[i + 1].first - x->k[i].first;
	return (&x->v[x->k[i].first]);
}

/* The entry of scenario ${name} in ${cls} among the ${n} at ${sc}. */
static const struct scen *
scen_get(const struct scen *sc, size_t n, int name, int cls)
{
	size_t i;

	if (name < 0 || cls < 0)
		return (NULL);
	for (i = 0; i < n; i++)
		if (sc[i].name == name && sc[i].cls == cls)
			return (&sc[i]);
	return (NULL);
}

/* A copy of the "capacity" of the scenario ${s}; NULL if it has none, or
 * on an error (reported). */
static json_t *
scen_capacity(const struct scenidx *x, const struct scen *s)
{
	json_t *v;
	char *buf;

	if (s == NULL || s->caplen == 0 || reread(x->fd, x->path, s->off +
	    (off_t)s->cap, s->caplen, &buf))
		return (NULL);
	if ((v = json_loadb(buf, s->caplen, JSON_DECODE_ANY |
	    JSON_REJECT_DUPLICATES, NULL)) == NULL)
		warnx("%s: a line changed since it was read", x->path);
	free(buf);
	return (v);
}

/* Append the records of the ${n} entries at ${sc} to the array ${a},
 * read again from their lines.  Return 0, or -1 (reported). */
static int
scen_read(const struct scenidx *x, const struct scen *sc, size_t n,
    json_t *a)
{
	json_t *rec;
	size_t i;

	for (i = 0; i < n; i++)
		if ((rec = reload(x->fd, x->path, sc[i].off, sc[i].len)) ==
		    NULL || json_array_append_new(a, rec))
			return (-1);
	return (0);
}

/* A new array of the records of the key ${k} of ${x}; NULL if it has
 * none, or on an error (reported). */
static json_t *
scen_records(const struct scenidx *x, const char *k)
{
	const struct scen *sc;
	json_t *a;
	size_t n;

	if ((sc = scen_find(x, k, &n)) == NULL || (a = json_array()) == NULL)
		return (NULL);
	if (scen_read(x, sc, n, a)) {
		json_decref(a);
		return (NULL);
	}
	return (a);
}

/* Whether file ${f} changed since it was read (or was never read). */
static int
changed(struct gui_api *api, int f)
{
	struct stamp s, *o = &api->st[f];
	struct stat sb;

	memset(&s, 0, sizeof(s));
	s.read = 1;
	if (stat(api->path[f], &sb) == 0) {
		s.exists = 1;
		s.dev = sb.st_dev;
		s.ino = sb.st_ino;
		s.size = sb.st_size;
		s.mtime = sb.st_mtim;
	}
	if (o->read && s.exists == o->exists && s.dev == o->dev &&
	    s.ino == o->ino && s.size == o->size &&
	    s.mtime.tv_sec == o->mtime.tv_sec &&
	    s.mtime.tv_nsec == o->mtime.tv_nsec)
		return (0);
	*o = s;
	return (1);
}

/* Read again the files that changed.  Return 0, or -1 (reported). */
static int
refresh(struct gui_api *api)
{
	struct scenidx *x;
	struct recidx *rx;
	json_t *v;

	if (changed(api, F_RECS)) {
		if ((rx = rec_open(api->path[F_RECS], 0)) == NULL)
			goto err;
		rec_unref(api->recs);
		api->recs = rx;
	}
	if (changed(api, F_CMTS)) {
		if ((rx = rec_open(api->path[F_CMTS], 1)) == NULL)
			goto err;
		rec_unref(api->cmts);
		api->cmts = rx;
	}
	if (changed(api, F_SCEN)) {
		if ((x = scen_open(api->path[F_SCEN])) == NULL)
			goto err;
		scen_unref(api->scen);
		api->scen = x;
	}
	if (changed(api, F_DEC)) {
		if ((v = decision_load(api->path[F_DEC])) == NULL)
			goto err;
		json_decref(api->dec);
		api->dec = v;
	}
	return (0);
err:
	/* Read everything again next time. */
	memset(api->st, 0, sizeof(api->st));
	return (-1);
}

/* Read again the files that changed, and take references to what they
 * hold into ${v}.  Return 0, or -1 (reported). */
static int
view_take(struct gui_api *api, struct view *v)
{
	int rc;

	memset(v, 0, sizeof(*v));
	pthread_mutex_lock(&api->lock);
	if ((rc = refresh(api)) == 0) {
		v->recs = api->recs;
		v->recs->refs++;
		v->scen = api->scen;
		v->scen->refs++;
		v->dec = json_incref(api->dec);
		v->cmts = api->cmts;
		v->cmts->refs++;
	}
	pthread_mutex_unlock(&api->lock);
	return (rc);
}

/* Let go of the view ${v}. */
static void
view_drop(struct gui_api *api, struct view *v)
{

	pthread_mutex_lock(&api->lock);
	rec_unref(v->recs);
	scen_unref(v->scen);
	json_decref(v->dec);
	rec_unref(v->cmts);
	pthread_mutex_unlock(&api->lock);
}

/* Read the project's files that changed (see gui_api.h). */
int
gui_api_refresh(struct gui_api *api)
{
	int rc;

	pthread_mutex_lock(&api->lock);
	rc = refresh(api);
	pthread_mutex_unlock(&api->lock);
	return (rc);
}

/* The API of ${pd} (see gui_api.h). */
struct gui_api *
gui_api_open(const struct projdir *pd, int allow_edits)
{
	static const enum projdir_file files[4] = { PROJDIR_RECOMMENDATIONS,
	    PROJDIR_SCENARIOS, PROJDIR_DECISIONS, PROJDIR_COMMITMENTS };
	struct gui_api *api;
	int f;

	if ((api = calloc(1, sizeof(*api))) == NULL) {
		warn("gui");
		return (NULL);
	}
	api->pd = pd;
	api->allow_edits = allow_edits;
	if ((errno = pthread_mutex_init(&api->lock, NULL)) != 0) {
		warn("gui");
		free(api);
		return (NULL);
	}
	api->locked = 1;
	if (sem_init(&api->charts, 0, CHARTS) == -1) {
		warn("gui");
		gui_api_free(api);
		return (NULL);
	}
	api->sem = 1;
	if ((api->days = gui_chart_days_new()) == NULL) {
		gui_api_free(api);
		return (NULL);
	}
	for (f = 0; f < 4; f++)
		if ((api->path[f] = projdir_path(pd, files[f], NULL, NULL,
		    NULL)) == NULL) {
			gui_api_free(api);
			return (NULL);
		}
	return (api);
}

/* Free ${api}. */
void
gui_api_free(struct gui_api *api)
{
	int f;

	if (api == NULL)
		return;
	for (f = 0; f < 4; f++)
		free(api->path[f]);
	rec_unref(api->recs);
	rec_unref(api->cmts);
	scen_unref(api->scen);
	json_decref(api->dec);
	gui_chart_days_free(api->days);
	if (api->sem)
		sem_destroy(&api->charts);
	if (api->locked)
		pthread_mutex_destroy(&api->lock);
	free(api);
}

/* ---- arguments ---- */

/* Check that ${args} has only the keys ${known}, each a short string. */
static json_t *
check_args(const json_t *args, const char *const *known, int *status)
{
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)args, k, v) {
		if (!listed(known, k))
			return (fail(status, GUI_API_BAD,
			    "unknown argument \"%.64s\"", k));
		if (!json_is_string(v) || strlen(json_string_value(v)) >
		    MAXARG)
			return (fail(status, GUI_API_BAD,
			    "argument %s: too long", k));
	}
	return (NULL);
}

/* The value of argument ${k}, or NULL if absent or empty. */
static const char *
arg(const json_t *args, const char *k)
{
	const char *s = json_string_value(json_object_get(args, k));

	return (s != NULL && *s != '\0' ? s : NULL);
}

/* Compile the table regex ${p} into f->re, or say why not. */
static json_t *
compile(struct filter *f, const char *p, int *status)
{
	const char *why;
	pcre2_code *c;
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE at;
	int e;

	if (re2_check(p, &why))
		return (fail(status, GUI_API_BAD, "table regex: %s are not "
		    "in the RE2 syntax", why));
	/* re2_compile would say what is wrong on the standard error; the
	 * page wants it. */
	if ((c = pcre2_compile((PCRE2_SPTR)p, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_NEVER_BACKSLASH_C, &e, &at, NULL)) == NULL) {
		pcre2_get_error_message(e, msg, sizeof(msg));
		return (fail(status, GUI_API_BAD, "table regex: %s at "
		    "offset %zu", (char *)msg, (size_t)at));
	}
	pcre2_code_free(c);
	if ((f->re = re2_compile(p, "table regex")) == NULL)
		return (fail(status, GUI_API_ERROR, "table regex: out of "
		    "memory"));
	return (NULL);
}

/* Parse the filters of ${args} into ${f}: NULL, or the error. */
static json_t *
parse_filter(struct filter *f, const json_t *args, int *status)
{
	static const char *const known[] = { "type", "account", "region",
	    "status", "mode", "min_savings", "table_regex", NULL };
	static const char *const modes[] = { "PROVISIONED",
	    "PAY_PER_REQUEST", NULL };
	const char *s;
	json_t *e;

	memset(f, 0, sizeof(*f));
	if ((e = check_args(args, known, status)) != NULL)
		return (e);
	f->type = arg(args, "type");
	f->account = arg(args, "account");
	f->region = arg(args, "region");
	f->status = arg(args, "status");
	f->mode = arg(args, "mode");
	if (f->type != NULL && !listed(types, f->type))
		return (fail(status, GUI_API_BAD, "type: not capacity, "
		    "table_class, utilization, idle or commitment"));
	if (f->status != NULL && !decision_valid_status(f->status))
		return (fail(status, GUI_API_BAD, "status: not pending, "
		    "accepted, rejected or implemented"));
	if (f->mode != NULL && !listed(modes, f->mode))
		return (fail(status, GUI_API_BAD, "mode: not PROVISIONED or "
		    "PAY_PER_REQUEST"));
	if ((s = arg(args, "min_savings")) != NULL &&
	    parsenum_double(&f->min_savings, s, 0, 1e12))
		return (fail(status, GUI_API_BAD, "min_savings: not a number "
		    "of dollars from 0"));
	if ((s = arg(args, "table_regex")) != NULL)
		return (compile(f, s, status));
	return (NULL);
}

/* ---- rows ---- */

/* The scenario ${name} in ${cls} among the scenarios of a table. */
static const json_t *
scenario(const json_t *scen, const char *name, const char *cls)
{
	const json_t *s;
	size_t i;

	json_array_foreach(scen, i, s)
		if (strcmp(str(s, "scenario"), name) == 0 &&
		    strcmp(str(s, "table_class"), cls) == 0)
			return (s);
	return (NULL);
}

/* The monthly cost of the scenario ${s}, or null if it is missing. */
static json_t *
usd(const struct scen *s)
{

	return (s != NULL ? json_real(s->usd) : json_null());
}

/* A number of the object ${o}, or null. */
static json_t *
copy_num(const json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return (json_is_number(v) ? json_real(json_number_value(v)) :
	    json_null());
}

/* What the page of idle tables shows of the idle table of ${rec}: its
 * "idle" object's figures, flat. */
static json_t *
idle_details(const json_t *rec)
{
	const json_t *i = json_object_get(rec, "idle");
	const json_t *cur = json_object_get(i, "current_usd");
	const json_t *keep = json_object_get(i, "keep");
	const json_t *ret = json_object_get(i, "retire");

	return (json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:s,s:s,s:o,s:o,s:o,"
	    "s:o,s:o}",
	    "idle_days", copy_num(i, "days"),
	    "size_bytes", copy_num(i, "size_bytes"),
	    "item_count", copy_num(i, "item_count"),
	    "storage_usd", copy_num(cur, "storage_usd"),
	    "capacity_usd", copy_num(cur, "capacity_usd"),
	    "indexes_usd", copy_num(cur, "indexes_usd"),
	    "keep_mode", str(keep, "billing_mode"),
	    "keep_class", str(keep, "table_class"),
	    "keep_usd", copy_num(keep, "monthly_usd"),
	    "keep_savings_usd", copy_num(keep, "monthly_savings_usd"),
	    "backup_gb", copy_num(ret, "backup_size_gb"),
	    "backup_usd", copy_num(ret, "backup_monthly_usd"),
	    "retire_savings_usd", copy_num(ret, "monthly_savings_usd")));
}

/* What the page of commitments shows of the purchase ${rec} (a whole
 * record): its figures, flat; its hourly profile is in the record. */
static json_t *
commitment_details(const json_t *rec)
{
	const json_t *u = json_object_get(rec, "usage");
	const json_t *t = json_object_get(u, "today");
	const json_t *p = json_object_get(u, "planned");

	return (json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,"
	    "s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
	    "commitment", str(rec, "commitment"),
	    "capacity", str(rec, "capacity"),
	    "term", str(rec, "term"),
	    "units", copy_num(rec, "units"),
	    "upfront_usd", copy_num(rec, "upfront_usd"),
	    "hourly_usd", json_is_number(json_object_get(rec,
	    "hourly_commitment_usd")) ? copy_num(rec,
	    "hourly_commitment_usd") : copy_num(rec, "hourly_usd"),
	    "utilization_pct", copy_num(rec, "utilization_pct"),
	    "coverage_pct", copy_num(rec, "coverage_pct"),
	    "coverage_today_pct", copy_num(rec, "coverage_today_pct"),
	    "coverage_planned_pct", copy_num(rec, "coverage_planned_pct"),
	    "existing_units", copy_num(rec, "existing_units"),
	    "existing_utilization_today_pct", copy_num(rec,
	    "existing_utilization_today_pct"),
	    "existing_utilization_pct", copy_num(rec,
	    "existing_utilization_pct"),
	    "term_savings_usd", copy_num(rec, "term_savings_usd"),
	    "break_even_month", copy_num(rec, "break_even_month"),
	    "next_block_monthly_usd", copy_num(rec,
	    "next_block_monthly_usd"),
	    "today_avg_units", copy_num(t, "avg_units"),
	    "planned_avg_units", copy_num(p, "avg_units"),
	    "planned_max_units", copy_num(p, "max_units")));
}

/* What the page of the type of ${rec} shows of it, from its scenarios. */
static json_t *
details(const struct view *v, const json_t *rec)
{
	const json_t *cur = json_object_get(rec, "current");
	const json_t *rcm = json_object_get(rec, "recommended");
	const json_t *ev = json_object_get(rec, "evidence");
	const struct scen *sc, *s;
	const json_t *c, *a;
	const char *cls = str(cur, "table_class"), *type = str(rec, "type");
	const char *index = json_string_value(json_object_get(rec, "index"));
	char k[1024];
	double st, tp;
	size_t n;
	int ci;

	if (strcmp(type, "idle") == 0)
		return (idle_details(rec));
	if (strcmp(type, "commitment") == 0)
		return (commitment_details(rec));
	if (*cls == '\0')
		cls = classes[0];
	ci = indexof(classes, cls);
	sc = scen_find(v->scen, key(k, sizeof(k), str(rec, "account"),
	    str(rec, "region"), str(rec, "table"), index), &n);
	if (strcmp(type, "capacity") == 0) {
		s = scen_get(sc, n, 2, ci);
		return (json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o?}",
		    "current_mode", str(cur, "billing_mode"),
		    "recommended_mode", str(rcm, "billing_mode"),
		    "recommended_scenario", str(rcm, "scenario"),
		    "current_usd", usd(scen_get(sc, n, 0, ci)),
		    "on_demand_usd", usd(scen_get(sc, n, 1, ci)),
		    "autoscaled_usd", usd(s),
		    "fixed_usd", usd(scen_get(sc, n, 3, ci)),
		    "autoscaled_throttled_minutes", s != NULL && s->has_thr ?
		    json_real(s->thr) : json_null(),
		    "autoscaling", scen_capacity(v->scen, s)));
	}
	if (strcmp(type, "table_class") == 0) {
		s = scen_get(sc, n, 0, ci);
		st = s != NULL ? s->st : 0;
		tp = s != NULL ? s->rd + s->wr : 0;
		return (json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:o}",
		    "current_class", cls,
		    "recommended_class", str(rcm, "table_class"),
		    "storage_usd", s != NULL ? json_real(st) : json_null(),
		    "throughput_usd", s != NULL ? json_real(tp) : json_null(),
		    "storage_to_throughput", s != NULL && tp > 0 ?
		    json_real(st / tp) : json_null(),
		    "standard_usd", usd(scen_get(sc, n, 0, 0)),
		    "standard_ia_usd", usd(scen_get(sc, n, 0, 1))));
	}
	c = json_object_get(cur, "capacity");
	a = json_object_get(rcm, "capacity");
	return (json_pack("{s:s,s:o,s:o,s:o,s:o,s:o,s:o}",
	    "resource", index != NULL ? "GSI" : "table",
	    "read_utilization_pct", copy_num(json_object_get(ev, "read"),
	    "utilization_pct"),
	    "write_utilization_pct", copy_num(json_object_get(ev, "write"),
	    "utilization_pct"),
	    "current_read", copy_num(c, "read"),
	    "current_write", copy_num(c, "write"),
	    "recommended_read", copy_num(a, "read"),
	    "recommended_write", copy_num(a, "write")));
}

/* Whether the recommendation ${r}, of status ${status}, passes ${f}: 1
 * or 0, or -1 if the regex cannot tell within its limits (reported). */
static int
selected(const struct filter *f, const struct rec *r, const char *status)
{

	if ((f->type == NULL || strcmp(f->type, types[r->type]) == 0) &&
	    (f->account == NULL || strcmp(f->account, r->account) == 0) &&
	    (f->region == NULL || strcmp(f->region, r->region) == 0) &&
	    (f->status == NULL || strcmp(f->status, status) == 0) &&
	    (f->mode == NULL || strcmp(f->mode, r->mode) == 0) &&
	    r->savings >= f->min_savings)
		return (f->re == NULL ? 1 : re2_match(f->re, r->table));
	return (0);
}

/* qsort: the larger monthly saving first, then by id. */
static int
by_savings(const void *a, const void *b)
{
	const struct rec *x = *(const struct rec *const *)a;
	const struct rec *y = *(const struct rec *const *)b;

	if (x->savings != y->savings)
		return (x->savings > y->savings ? -1 : 1);
	return (strcmp(x->id, y->id));
}

/* The recommendations of a list, over the view they are read from. */
struct sel {
	struct view v;
	const struct rec **r;	/* sorted */
	size_t n;
};

/* The row of the recommendation ${r}: its record, read again, with its
 * status and details; NULL on an error (reported). */
static json_t *
row(const struct view *v, const struct rec *r)
{
	json_t *row;

	if ((row = rec_read(SRC(v, r), r)) == NULL)
		return (NULL);
	if (json_object_set_new(row, "status", json_string(decision_status(
	    v->dec, r->id))) || json_object_set_new(row, "details",
	    details(v, row))) {
		json_decref(row);
		return (NULL);
	}
	return (row);
}

/* The members of a record its details are made of. */
static const char *const detail_members[] = { "type", "account", "region",
	"table", "index", "current", "recommended", "evidence", "idle", NULL };

/* The members of a record a row of CSV needs, besides its status: the
 * columns, and what its details are made of. */
static const char *const csv_members[] = { "id", "type", "account",
	"region", "table", "index", "change", "current_monthly_usd",
	"recommended_monthly_usd", "monthly_savings_usd",
	"annual_savings_usd", "savings_pct", "confidence", "reason", "apply",
	"current", "recommended", "evidence", "idle", NULL };

/* A new object of the members ${names} of the object of the ${len}
 * bytes at ${s} (of "evidence", its "read" and "write" alone); NULL out
 * of memory, or if it is not an object. */
static json_t *
members(const char *s, size_t len, const char *const *names)
{
	static const char *const ev[] = { "read", "write", NULL };
	struct jscan_member m[JSCAN_MAXMEMBERS];
	json_t *o, *v;
	size_t i, n;

	for (n = 0; names[n] != NULL; n++)
		m[n].name = names[n];
	if (jscan_object(s, len, m, n) || (o = json_object()) == NULL)
		return (NULL);
	for (i = 0; i < n; i++) {
		if (m[i].v == NULL)
			continue;
		if (strcmp(names[i], "evidence") == 0 && jscan_is(&m[i], '{'))
			v = members(m[i].v, m[i].len, ev);
		else
			v = json_loadb(m[i].v, m[i].len, JSON_DECODE_ANY |
			    JSON_REJECT_DUPLICATES, NULL);
		if (v == NULL || json_object_set_new(o, names[i], v)) {
			json_decref(o);
			return (NULL);
		}
	}
	return (o);
}

/* What a list shows of the recommendation ${r} but its record: its
 * status and details, with the members ${names} of its record (read
 * again into ${*line}, malloced); a new object, or NULL (reported). */
static json_t *
row_light(const struct view *v, const struct rec *r, char **line,
    const char *const *names)
{
	json_t *o;

	if (reread(SRC(v, r)->fd, SRC(v, r)->path, r->off, r->len, line))
		return (NULL);
	/* A commitment's record is small, and its details are its own
	 * figures: it is read whole. */
	if ((o = r->cmt ? json_loadb(*line, r->len, JSON_REJECT_DUPLICATES,
	    NULL) : members(*line, r->len, names)) == NULL ||
	    json_object_set_new(o, "status", json_string(decision_status(
	    v->dec, r->id))) || json_object_set_new(o, "details", details(v,
	    o))) {
		warnx("%s: a line changed since it was read, or out of memory",
		    SRC(v, r)->path);
		json_decref(o);
		free(*line);
		*line = NULL;
		return (NULL);
	}
	return (o);
}

/* Write to ${out} the row of the recommendation ${r}: its record's line
 * as the file has it, with its status and details (as row() has them,
 * the same values, without reading the whole record).  Return 0, or -1
 * (reported). */
static int
row_text(FILE *out, const struct view *v, const struct rec *r)
{
	struct jscan_member st = { "status", NULL, 0 };
	json_t *o;
	char *line;
	size_t end;
	int rc;

	if ((o = row_light(v, r, &line, detail_members)) == NULL)
		return (-1);
	/* Its last '}', and where its status was. */
	for (end = r->len; end > 0 && line[end - 1] != '}'; end--)
		continue;
	if (end == 0 || jscan_object(line, r->len, &st, 1)) {
		warnx("%s: a line changed since it was read", SRC(v, r)->path);
		json_decref(o);
		free(line);
		return (-1);
	}
	if (st.v != NULL) {
		fwrite(line, 1, (size_t)(st.v - line), out);
		rc = json_dumpf(json_object_get(o, "status"), out,
		    JSON_ENCODE_ANY);
		fwrite(st.v + st.len, 1, end - 1 - (size_t)(st.v + st.len -
		    line), out);
	} else {
		fwrite(line, 1, end - 1, out);
		fputs(",\"status\":", out);
		rc = json_dumpf(json_object_get(o, "status"), out,
		    JSON_ENCODE_ANY);
	}
	fputs(",\"details\":", out);
	rc |= json_dumpf(json_object_get(o, "details"), out, JSON_COMPACT);
	fputc('}', out);
	json_decref(o);
	free(line);
	return (rc);
}

/* Let go of ${s}. */
static void
sel_free(struct gui_api *api, struct sel *s)
{

	free(s->r);
	s->r = NULL;
	view_drop(api, &s->v);
}

/* The recommendations ${args} select into ${s} (to be let go of with
 * sel_free): NULL, or the error. */
static json_t *
list(struct gui_api *api, const json_t *args, struct sel *s, int *status)
{
	struct filter f;
	const char *st;
	json_t *e = NULL;
	size_t i;
	int m;

	memset(s, 0, sizeof(*s));
	if ((e = parse_filter(&f, args, status)) != NULL) {
		re2_free(f.re);
		return (e);
	}
	if (view_take(api, &s->v)) {
		re2_free(f.re);
		return (fail(status, GUI_API_ERROR, "the project's files "
		    "could not be read (see optima-gui's messages)"));
	}
	if ((s->r = calloc(NRECS(&s->v) + 1, sizeof(*s->r))) == NULL)
		e = fail(status, GUI_API_ERROR, "out of memory");
	for (i = 0; e == NULL && i < NRECS(&s->v); i++) {
		st = decision_status(s->v.dec, NTH(&s->v, i)->id);
		if ((m = selected(&f, NTH(&s->v, i), st)) < 0)
			e = fail(status, GUI_API_BAD, "table regex: a table "
			    "name takes it more steps to match than allowed");
		else if (m)
			s->r[s->n++] = NTH(&s->v, i);
	}
	re2_free(f.re);
	if (e != NULL) {
		sel_free(api, s);
		return (e);
	}
	qsort(s->r, s->n, sizeof(*s->r), by_savings);
	return (NULL);
}

/* Write the number ${d} as Jansson writes a real to ${out}. */
static int
dump_real(FILE *out, double d)
{
	json_t *v;
	int rc;

	if ((v = json_real(d)) == NULL)
		return (-1);
	rc = json_dumpf(v, out, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(v);
	return (rc);
}

/* The error ${e} as the text of an answer in ${*buf} and ${*len}: -1. */
static int
error_text(json_t *e, char **buf, size_t *len)
{

	*buf = e != NULL ? json_dumps(e, JSON_COMPACT) : NULL;
	*len = *buf != NULL ? strlen(*buf) : 0;
	json_decref(e);
	return (-1);
}

/* Close ${out}, the memory stream of ${*buf} and ${*len}: 0 if it and
 * ${rc} say every row was written, else the error's answer instead, -1. */
static int
rows_written(FILE *out, int rc, char **buf, size_t *len, int *status)
{
	int bad = ferror(out);

	bad |= fclose(out);
	if (!bad && rc == 0) {
		*status = GUI_API_OK;
		return (0);
	}
	free(*buf);
	return (error_text(fail(status, GUI_API_ERROR, "the rows could not "
	    "be written (see optima-gui's messages)"), buf, len));
}

/* The answer of ${args} as text into ${*buf} and ${*len}, written row by
 * row (see gui_api.h). */
int
gui_api_list_text(struct gui_api *api, const json_t *args, char **buf,
    size_t *len, int *status)
{
	struct sel s;
	json_t *e;
	FILE *out;
	double m = 0, y = 0;
	size_t i;
	int rc = 0;

	*buf = NULL;
	if ((e = list(api, args, &s, status)) != NULL)
		goto err;
	if ((out = open_memstream(buf, len)) == NULL) {
		sel_free(api, &s);
		e = fail(status, GUI_API_ERROR, "out of memory");
		goto err;
	}
	fputs("{\"rows\":[", out);
	for (i = 0; rc == 0 && i < s.n; i++) {
		if (i > 0)
			fputc(',', out);
		rc = row_text(out, &s.v, s.r[i]);
		m += s.r[i]->saving;
		y += 12 * s.r[i]->saving;
	}
	fprintf(out, "],\"count\":%zu,\"total_monthly_usd\":", s.n);
	rc |= dump_real(out, m);
	fputs(",\"total_annual_usd\":", out);
	rc |= dump_real(out, y);
	fputc('}', out);
	sel_free(api, &s);
	return (rows_written(out, rc, buf, len, status));
err:
	return (error_text(e, buf, len));
}

/* The rows of a page and their totals, as a value (see gui_api.h). */
json_t *
gui_api_list(struct gui_api *api, const json_t *args, int *status)
{
	json_t *v;
	char *buf;
	size_t len;

	gui_api_list_text(api, args, &buf, &len, status);
	if (buf == NULL)
		return (NULL);
	v = json_loadb(buf, len, 0, NULL);
	free(buf);
	return (v);
}

/* ---- CSV ---- */

/* One field, quoted, then a comma or the end of the row; a formula is
 * neutralized as report_csv_field does it for optima-report. */
static void
csv_field(FILE *out, const char *s, int last)
{

	report_csv_field(out, s, strlen(s), last);
}

/* The value ${v} as a CSV field. */
static void
csv_value(FILE *out, const json_t *v, int last)
{
	char b[64];

	if (json_is_string(v))
		csv_field(out, json_string_value(v), last);
	else if (json_is_number(v)) {
		snprintf(b, sizeof(b), "%.2f", json_number_value(v));
		csv_field(out, b, last);
	} else
		csv_field(out, "", last);
}

/* The detail columns of each type, in order. */
static const char *const *
detail_columns(const char *type)
{
	static const char *const cap[] = { "current_mode",
	    "recommended_mode", "recommended_scenario", "current_usd",
	    "on_demand_usd", "autoscaled_usd", "fixed_usd",
	    "autoscaled_throttled_minutes", NULL };
	static const char *const cls[] = { "current_class",
	    "recommended_class", "storage_usd", "throughput_usd",
	    "storage_to_throughput", "standard_usd", "standard_ia_usd", NULL };
	static const char *const util[] = { "resource",
	    "read_utilization_pct", "write_utilization_pct", "current_read",
	    "current_write", "recommended_read", "recommended_write", NULL };
	static const char *const idle[] = { "idle_days", "size_bytes",
	    "item_count", "storage_usd", "capacity_usd", "indexes_usd",
	    "keep_mode", "keep_class", "keep_usd", "keep_savings_usd",
	    "backup_gb", "backup_usd", "retire_savings_usd", NULL };
	static const char *const cmt[] = { "commitment", "capacity", "term",
	    "units", "upfront_usd", "hourly_usd", "utilization_pct",
	    "coverage_pct", "coverage_today_pct", "coverage_planned_pct",
	    "existing_units", "existing_utilization_today_pct",
	    "existing_utilization_pct", "term_savings_usd",
	    "break_even_month", "next_block_monthly_usd", "today_avg_units",
	    "planned_avg_units", "planned_max_units", NULL };
	static const char *const none[] = { NULL };

	if (type == NULL)
		return (none);
	if (strcmp(type, "idle") == 0)
		return (idle);
	if (strcmp(type, "commitment") == 0)
		return (cmt);
	if (strcmp(type, "capacity") == 0)
		return (cap);
	if (strcmp(type, "table_class") == 0)
		return (cls);
	return (util);
}

/* Write the header row and the rows of ${s} (of ${type}, if not NULL)
 * as CSV to ${out}, one row read at a time.  Return 0, or -1 (reported). */
static int
csv_rows(FILE *out, const struct sel *s, const char *type)
{
	/* As optima list-recommendations --format csv has them. */
	static const char *const head[] = { "id", "type", "status", "account",
	    "region", "table", "index", "change", "current_monthly_usd",
	    "recommended_monthly_usd", "monthly_savings_usd",
	    "annual_savings_usd", "savings_pct", "confidence", "reason",
	    "apply", NULL };
	const char *const *dc = detail_columns(type);
	json_t *rec;
	const json_t *d;
	char *line;
	size_t i, j;

	for (j = 0; head[j] != NULL; j++)
		csv_field(out, head[j], head[j + 1] == NULL && dc[0] == NULL);
	for (j = 0; dc[j] != NULL; j++)
		csv_field(out, dc[j], dc[j + 1] == NULL);
	for (i = 0; i < s->n; i++) {
		if ((rec = row_light(&s->v, s->r[i], &line, csv_members)) ==
		    NULL)
			return (-1);
		free(line);
		d = json_object_get(rec, "details");
		for (j = 0; head[j] != NULL; j++)
			csv_value(out, json_object_get(rec, head[j]),
			    head[j + 1] == NULL && dc[0] == NULL);
		for (j = 0; dc[j] != NULL; j++)
			csv_value(out, json_object_get(d, dc[j]),
			    dc[j + 1] == NULL);
		json_decref(rec);
	}
	return (0);
}

/* The rows of a page as CSV (see gui_api.h). */
int
gui_api_csv(struct gui_api *api, const json_t *args, char **buf,
    size_t *len, int *status)
{
	struct sel s;
	json_t *e;
	FILE *out;
	int rc;

	*buf = NULL;
	if ((e = list(api, args, &s, status)) != NULL)
		goto err;
	if ((out = open_memstream(buf, len)) == NULL) {
		sel_free(api, &s);
		e = fail(status, GUI_API_ERROR, "out of memory");
		goto err;
	}
	rc = csv_rows(out, &s, arg(args, "type"));
	sel_free(api, &s);
	return (rows_written(out, rc, buf, len, status));
err:
	return (error_text(e, buf, len));
}

/* ---- the dashboard ---- */

/* Add ${usd} and one to the entry ${name} of the object ${o}. */
static int
tally(json_t *o, const char *name, double usd)
{
	json_t *e = json_object_get(o, name);

	if (e == NULL && (json_object_set_new(o, name, e = json_pack(
	    "{s:s,s:i,s:f}", "name", name, "count", 0, "monthly_usd", 0.0)) ||
	    e == NULL))
		return (-1);
	return (json_object_set_new(e, "count", json_integer(
	    json_integer_value(json_object_get(e, "count")) + 1)) ||
	    json_object_set_new(e, "monthly_usd", json_real(num(e,
	    "monthly_usd") + usd)));
}

/* qsort: the larger "monthly_usd" first, then by name. */
static int
by_usd(const void *a, const void *b)
{
	const json_t *x = *(const json_t *const *)a;
	const json_t *y = *(const json_t *const *)b;
	double u = num(x, "monthly_usd"), v = num(y, "monthly_usd");

	if (u != v)
		return (u > v ? -1 : 1);
	return (strcmp(str(x, "name"), str(y, "name")));
}

/* The entries of the tally ${o} as an array, largest first, at most
 * ${max}. */
static json_t *
ranked(const json_t *o, size_t max)
{
	const json_t **v;
	const char *k;
	json_t *e, *a;
	size_t i, n = 0;

	if ((v = calloc(json_object_size(o) + 1, sizeof(*v))) == NULL)
		return (NULL);
	json_object_foreach((json_t *)o, k, e)
		v[n++] = e;
	qsort(v, n, sizeof(*v), by_usd);
	if ((a = json_array()) != NULL)
		for (i = 0; i < n && i < max; i++)
			if (json_array_append(a, (json_t *)v[i])) {
				json_decref(a);
				a = NULL;
				break;
			}
	free(v);
	return (a);
}

/* qsort: strings in byte order. */
static int
by_name(const void *a, const void *b)
{

	return (strcmp(*(const char *const *)a, *(const char *const *)b));
}

/* The keys of the object ${o}, sorted. */
static json_t *
keys(const json_t *o)
{
	const char **v, *k;
	json_t *a, *e;
	size_t i, n = 0;

	if ((v = calloc(json_object_size(o) + 1, sizeof(*v))) == NULL)
		return (NULL);
	json_object_foreach((json_t *)o, k, e)
		v[n++] = k;
	qsort(v, n, sizeof(*v), by_name);
	if ((a = json_array()) != NULL)
		for (i = 0; i < n; i++)
			if (json_array_append_new(a, json_string(v[i]))) {
				json_decref(a);
				a = NULL;
				break;
			}
	free(v);
	return (a);
}

/* The dashboard (see gui_api.h). */
json_t *
gui_api_summary(struct gui_api *api, int *status)
{
	json_t *bt, *br, *tables, *bs, *bc, *ac, *rg, *t, *r = NULL;
	const struct rec *rec;
	const char *st, *acct, *reg, *tab;
	struct view v;
	char name[1024];
	double m = 0, y = 0, usd;
	size_t i, n = 0, analyzed = 0;
	int oom = 0;

	if (view_take(api, &v))
		return (fail(status, GUI_API_ERROR, "the project's files "
		    "could not be read (see optima-gui's messages)"));
	bt = json_object();
	br = json_object();
	tables = json_object();
	bs = json_pack("{s:i,s:i,s:i,s:i}", "pending", 0, "accepted", 0,
	    "rejected", 0, "implemented", 0);
	bc = json_object();
	ac = json_object();
	rg = json_object();
	if (bt == NULL || br == NULL || tables == NULL || bs == NULL ||
	    bc == NULL || ac == NULL || rg == NULL)
		goto out;
	for (i = 0; types[i] != NULL; i++)
		if (json_object_set_new(bt, types[i], json_pack(
		    "{s:s,s:i,s:f}", "name", types[i], "count", 0,
		    "monthly_usd", 0.0)))
			goto out;
	for (i = 0; i < NRECS(&v); i++) {
		rec = NTH(&v, i);
		st = decision_status(v.dec, rec->id);
		acct = rec->account;
		reg = rec->region;
		tab = rec->table;
		oom |= json_object_set_new(bs, st, json_integer(
		    json_integer_value(json_object_get(bs, st)) + 1));
		oom |= json_object_set_new(ac, acct, json_true());
		if (*reg != '\0')
			oom |= json_object_set_new(rg, reg, json_true());
		if (strcmp(st, "pending") != 0 && strcmp(st, "accepted") != 0)
			continue;
		usd = rec->saving;
		m += usd;
		y += 12 * usd;
		n++;
		oom |= tally(bt, types[rec->type], usd);
		/* A Database Savings Plan is of every region of its payer. */
		oom |= tally(br, *reg != '\0' ? reg : "all regions", usd);
		oom |= tally(bc, rec->confidence, usd);
		/* A commitment is of no table. */
		if (rec->cmt)
			continue;
		snprintf(name, sizeof(name), "%s/%s/%s", acct, reg, tab);
		if ((t = json_object_get(tables, name)) == NULL)
			oom |= json_object_set_new(tables, name, t = json_pack(
			    "{s:s,s:s,s:s,s:s,s:i,s:f}", "name", name,
			    "account", acct, "region", reg, "table", tab,
			    "count", 0, "monthly_usd", 0.0)) || t == NULL;
		oom |= tally(tables, name, usd);
	}
	analyzed = v.scen->tables;
	if (oom)
		goto out;
	r = json_pack("{s:f,s:f,s:I,s:I,s:I,s:o*,s:o*,s:o*,s:O,s:o*,s:o*,"
	    "s:o*,s:b}",
	    "total_monthly_usd", m, "total_annual_usd", y,
	    "count", (json_int_t)n,
	    "recommendations", (json_int_t)NRECS(&v),
	    "tables_analyzed", (json_int_t)analyzed,
	    "by_type", ranked(bt, (size_t)-1),
	    "by_region", ranked(br, (size_t)-1),
	    "top_tables", ranked(tables, TOPN),
	    "by_status", bs,
	    "by_confidence", ranked(bc, (size_t)-1),
	    "accounts", keys(ac), "regions", keys(rg),
	    "allow_edits", api->allow_edits);
out:
	json_decref(bt);
	json_decref(br);
	json_decref(tables);
	json_decref(bs);
	json_decref(bc);
	json_decref(ac);
	json_decref(rg);
	view_drop(api, &v);
	if (r == NULL)
		return (fail(status, GUI_API_ERROR, "out of memory"));
	*status = GUI_API_OK;
	return (r);
}

/* ---- one table ---- */

/* The record of ${table} in tables/ of its account and region, read one
 * record at a time: NULL if there is none, or on an error (reported). */
static json_t *
table_record(const struct gui_api *api, const char *account,
    const char *region, const char *table)
{
	struct ndjson_reader *r;
	json_t *rec, *found = NULL;
	char *p;

	if ((p = projdir_path(api->pd, PROJDIR_TABLES, account, region,
	    NULL)) == NULL)
		return (NULL);
	if (access(p, F_OK) == -1 && errno == ENOENT) {
		free(p);
		return (NULL);
	}
	r = ndjson_reader_open(p, MAXTABLELINE);
	free(p);
	if (r == NULL)
		return (NULL);
	while (found == NULL && ndjson_reader_next(r, &rec) == 1) {
		if (strcmp(str(rec, "kind"), "table") == 0 &&
		    strcmp(str(rec, "table"), table) == 0)
			found = json_incref(rec);
		json_decref(rec);
	}
	ndjson_reader_close(r);
	return (found);
}

/* Copies of every scenario of ${table}: its own, then each index's. */
static json_t *
table_scenarios(const struct view *v, const char *prefix)
{
	const struct scen *sc;
	const char *k;
	json_t *a, *kid;
	size_t n;

	if ((a = json_array()) == NULL)
		return (NULL);
	json_object_foreach(v->scen->keys, k, kid) {
		if (strncmp(k, prefix, strlen(prefix)) != 0)
			continue;
		sc = scen_find(v->scen, k, &n);
		if (scen_read(v->scen, sc, n, a)) {
			json_decref(a);
			return (NULL);
		}
	}
	return (a);
}

/* The chart of ${o}'s table, when no more than CHARTS others are drawn
 * (each takes up to a few megabytes: see gui_chart.h). */
static json_t *
draw(struct gui_api *api, const char *account, const char *region,
    const char *table, const struct gui_chart_opts *o)
{
	json_t *c;

	while (sem_wait(&api->charts) == -1)
		if (errno != EINTR) {
			warn("gui");
			return (NULL);
		}
	c = gui_chart_table(api->pd, account, region, table, o);
	sem_post(&api->charts);
	return (c);
}

/* The chart of the table whose current scenario is ${cur}. */
static json_t *
table_chart(struct gui_api *api, const json_t *cur,
    const json_t *autoscaled)
{
	const json_t *cap = json_object_get(autoscaled, "capacity");
	const json_t *now = json_object_get(cur, "capacity");
	struct gui_chart_opts o;
	json_t *c;
	int k;

	memset(&o, 0, sizeof(o));
	o.days = (int)json_integer_value(json_object_get(cur, "days"));
	/* Tuned settings are per dimension. */
	for (k = 0; k < 2; k++) {
		const json_t *x = json_is_object(json_object_get(cap, k == 0 ?
		    "read" : "write")) ? json_object_get(cap, k == 0 ?
		    "read" : "write") : cap;

		o.target[k] = x != NULL ? num(x, "target") / 100 : 0.7;
		o.min[k] = x != NULL ? num(x, "min") : 1;
		o.max[k] = x != NULL ? num(x, "max") : 40000;
		if (o.target[k] < 0.2 || o.target[k] > 0.9 || o.min[k] < 1 ||
		    o.max[k] < o.min[k])
			return (json_null());
	}
	o.provisioned = strcmp(str(cur, "billing_mode"), "PROVISIONED") == 0;
	o.read_capacity = num(now, "read");
	o.write_capacity = num(now, "write");
	o.points = CHART_POINTS;
	if (o.days < 1 || o.days > 3660)
		return (json_null());
	/* The window: the last days of the project's metrics. */
	if (gui_chart_days_end(api->days, api->pd, &o.end) || o.end == 0)
		return (json_null());
	c = draw(api, str(cur, "account"), str(cur, "region"), str(cur,
	    "table"), &o);
	return (c != NULL ? c : json_null());
}

/* The recommendations of the table of ${cur}, each with its status and
 * details, into the new array ${*out}.  Return 0, or -1 out of memory. */
static int
table_recs(const struct view *v, const json_t *cur, json_t **out)
{
	const struct rec *rec;
	json_t *recs, *r;
	size_t i;

	if ((*out = recs = json_array()) == NULL)
		return (-1);
	for (i = 0; i < v->recs->n; i++) {
		rec = &v->recs->v[i];
		if (strcmp(rec->account, str(cur, "account")) ||
		    strcmp(rec->region, str(cur, "region")) ||
		    strcmp(rec->table, str(cur, "table")))
			continue;
		if ((r = row(v, rec)) == NULL ||
		    json_array_append_new(recs, r)) {
			json_decref(recs);
			*out = NULL;
			return (-1);
		}
	}
	return (0);
}

static json_t *table_of(struct gui_api *, const struct view *,
    const json_t *, int *);

/* The drill-down of the table of ${args}, over the view ${v}. */
static json_t *
table(struct gui_api *api, const struct view *v, const json_t *args,
    int *status)
{
	json_t *sc, *r;
	char k[1024];
	size_t n;

	key(k, sizeof(k), arg(args, "account"), arg(args, "region"),
	    arg(args, "table"), NULL);
	/* Only a table the records name: its names come from them. */
	if (scen_find(v->scen, k, &n) == NULL)
		return (fail(status, GUI_API_NOT_FOUND, "no such table in "
		    "scenarios.ndjson"));
	/* Its own scenarios, read again from their lines. */
	if ((sc = scen_records(v->scen, k)) == NULL)
		return (fail(status, GUI_API_ERROR, "scenarios.ndjson could "
		    "not be read (see optima-gui's messages)"));
	r = table_of(api, v, sc, status);
	json_decref(sc);
	return (r);
}

/* The drill-down of the table whose scenarios (full records) are ${sc},
 * over the view ${v}. */
static json_t *
table_of(struct gui_api *api, const struct view *v, const json_t *sc,
    int *status)
{
	const json_t *cur = json_array_get(sc, 0);
	const char *cls;
	json_t *recs, *r;
	char k[1024];

	cls = str(cur, "current_table_class");
	if ((cur = scenario(sc, "current", *cls ? cls : classes[0])) == NULL)
		cur = json_array_get(sc, 0);
	if (table_recs(v, cur, &recs))
		return (fail(status, GUI_API_ERROR, "out of memory"));
	snprintf(k, sizeof(k), "%s\n%s\n%s\n", str(cur, "account"), str(cur,
	    "region"), str(cur, "table"));
	r = json_pack("{s:s,s:s,s:s,s:o*,s:o,s:o*,s:o}",
	    "account", str(cur, "account"), "region", str(cur, "region"),
	    "table", str(cur, "table"),
	    "record", table_record(api, str(cur, "account"), str(cur,
	    "region"), str(cur, "table")),
	    "recommendations", recs,
	    "scenarios", table_scenarios(v, k),
	    "chart", table_chart(api, cur, scenario(sc,
	    "provisioned_autoscaled", str(cur, "table_class"))));
	if (r == NULL)
		return (fail(status, GUI_API_ERROR, "out of memory"));
	*status = GUI_API_OK;
	return (r);
}

/* A table's drill-down (see gui_api.h). */
json_t *
gui_api_table(struct gui_api *api, const json_t *args, int *status)
{
	static const char *const known[] = { "account", "region", "table",
	    NULL };
	struct view v;
	json_t *e, *r;

	if ((e = check_args(args, known, status)) != NULL)
		return (e);
	if (arg(args, "account") == NULL || arg(args, "region") == NULL ||
	    arg(args, "table") == NULL)
		return (fail(status, GUI_API_BAD, "account, region and table "
		    "are needed"));
	if (view_take(api, &v))
		return (fail(status, GUI_API_ERROR, "the project's files "
		    "could not be read (see optima-gui's messages)"));
	r = table(api, &v, args, status);
	view_drop(api, &v);
	return (r);
}

/* ---- every table ---- */

/* Add to ${rows}, and to ${by} under ${k}, the row of the table of the
 * key ${k} (account, region, table and index on lines); none for an
 * index's key.  Return 0, or -1 out of memory. */
static int
tables_row(json_t *rows, json_t *by, const char *k)
{
	const char *r, *t, *i;
	json_t *row;

	if ((r = strchr(k, '\n')) == NULL || (t = strchr(r + 1, '\n')) ==
	    NULL || (i = strchr(t + 1, '\n')) == NULL || i[1] != '\0')
		return (0);
	row = json_pack("{s:s%,s:s%,s:s%,s:i,s:i,s:f,s:f,s:i}",
	    "account", k, (size_t)(r - k),
	    "region", r + 1, (size_t)(t - r - 1),
	    "table", t + 1, (size_t)(i - t - 1),
	    "recommendations", 0, "pending_or_accepted", 0,
	    "monthly_savings_usd", 0.0, "current_usd", 0.0, "indexes", 0);
	if (row == NULL || json_object_set(by, k, row) ||
	    json_array_append_new(rows, row))
		return (-1);
	return (0);
}

/* Set the current cost of the table of the key ${k} of ${x} in its row
 * of ${by}, or count the index of the key there.  Return 0, or -1 out of memory. */
static int
tables_cost(json_t *by, const struct scenidx *x, const char *k)
{
	const struct scen *sc;
	const char *p;
	json_t *row;
	char tk[1024];
	size_t n, i;
	int nl = 0;

	for (p = k; *p != '\0' && nl < 3; p++)
		nl += *p == '\n';
	if (nl < 3 || (size_t)(p - k) >= sizeof(tk))
		return (0);
	memcpy(tk, k, (size_t)(p - k));
	tk[p - k] = '\0';
	if ((row = json_object_get(by, tk)) == NULL ||
	    (sc = scen_find(x, k, &n)) == NULL)
		return (0);
	for (i = 0; i < n && !sc[i].now; i++)
		continue;
	if (i == n)
		return (0);
	/* A table's figures include its indexes'. */
	if (*p != '\0')
		return (json_object_set_new(row, "indexes", json_integer(
		    json_integer_value(json_object_get(row, "indexes")) + 1)) ?
		    -1 : 0);
	return (json_object_set_new(row, "current_usd", json_real(
	    sc[i].usd)) ? -1 : 0);
}

/* Count the recommendation ${rec}, of status ${st}, in its table's row of
 * ${by}, if it has one.  Return 0, or -1 out of memory. */
static int
tables_count(json_t *by, const struct rec *rec, const char *st)
{
	json_t *row;
	char k[1024];

	key(k, sizeof(k), rec->account, rec->region, rec->table, NULL);
	if ((row = json_object_get(by, k)) == NULL)
		return (0);
	if (json_object_set_new(row, "recommendations", json_integer(
	    json_integer_value(json_object_get(row, "recommendations")) + 1)))
		return (-1);
	if (strcmp(st, "pending") != 0 && strcmp(st, "accepted") != 0)
		return (0);
	return (json_object_set_new(row, "pending_or_accepted", json_integer(
	    json_integer_value(json_object_get(row, "pending_or_accepted")) +
	    1)) || json_object_set_new(row, "monthly_savings_usd", json_real(
	    num(row, "monthly_savings_usd") + rec->savings)) ? -1 : 0);
}

/* Whether the table of ${account}, ${region} and ${table} passes the
 * filters of ${f} but its saving: 1 or 0, or -1 if the regex cannot tell
 * within its limits. */
static int
table_selected(const struct filter *f, const char *account,
    const char *region, const char *table)
{

	if ((f->account != NULL && strcmp(f->account, account) != 0) ||
	    (f->region != NULL && strcmp(f->region, region) != 0))
		return (0);
	return (f->re == NULL ? 1 : re2_match(f->re, table));
}

/* The rows of ${all} that pass ${f}, in a new array; NULL out of memory,
 * or with ${*slow} set if the regex could not tell within its limits. */
static json_t *
tables_pick(const json_t *all, const struct filter *f, int *slow)
{
	json_t *out, *row;
	size_t i;
	int m;

	*slow = 0;
	if ((out = json_array()) == NULL)
		return (NULL);
	json_array_foreach(all, i, row) {
		if ((m = table_selected(f, str(row, "account"), str(row,
		    "region"), str(row, "table"))) < 0) {
			*slow = 1;
			json_decref(out);
			return (NULL);
		}
		if (m && num(row, "monthly_savings_usd") >= f->min_savings &&
		    json_array_append(out, row)) {
			json_decref(out);
			return (NULL);
		}
	}
	return (out);
}

/* Parse the global filters of ${args} (account, region, min_savings,
 * table_regex, and those of ${more}) into ${f}: NULL, or the error. */
static json_t *
global_filter(struct filter *f, const json_t *args, const char *more,
    int *status)
{
	const char *known[] = { "account", "region", "min_savings",
	    "table_regex", more, NULL };
	json_t *e;

	memset(f, 0, sizeof(*f));
	if ((e = check_args(args, known, status)) != NULL)
		return (e);
	return (parse_filter(f, args, status));
}

/* Every table (see gui_api.h). */
json_t *
gui_api_tables(struct gui_api *api, const json_t *args, int *status)
{
	struct filter f;
	struct view v;
	json_t *e, *rows, *by, *kid, *sel = NULL, *r = NULL;
	const char *k;
	size_t i;
	int oom = 0, slow = 0;

	if ((e = global_filter(&f, args, NULL, status)) != NULL) {
		re2_free(f.re);
		return (e);
	}
	if (view_take(api, &v)) {
		re2_free(f.re);
		return (fail(status, GUI_API_ERROR, "the project's files "
		    "could not be read (see optima-gui's messages)"));
	}
	rows = json_array();
	by = json_object();
	if (rows != NULL && by != NULL) {
		json_object_foreach(v.scen->keys, k, kid)
			oom |= tables_row(rows, by, k);
		json_object_foreach(v.scen->keys, k, kid)
			oom |= tables_cost(by, v.scen, k);
		for (i = 0; i < v.recs->n; i++)
			oom |= tables_count(by, &v.recs->v[i],
			    decision_status(v.dec, v.recs->v[i].id));
		if (!oom && (sel = tables_pick(rows, &f, &slow)) != NULL)
			r = json_pack("{s:o,s:I}", "rows", sel, "analyzed",
			    (json_int_t)json_array_size(rows));
	}
	json_decref(rows);
	json_decref(by);
	view_drop(api, &v);
	re2_free(f.re);
	if (r == NULL && slow)
		return (fail(status, GUI_API_BAD, "table regex: a table name "
		    "takes it more steps to match than allowed"));
	if (r == NULL)
		return (fail(status, GUI_API_ERROR, "out of memory"));
	*status = GUI_API_OK;
	return (r);
}

/* ---- the charts of the pages of each type ---- */

/* A table or index that a chart of analysis may show. */
struct cand {
	const char *k;		/* its key */
	const struct scen *s;	/* its entry in the index */
	double by;		/* what ranks it, largest first */
	int above;		/* at or above its region's break-even */
	const struct skey *sk;	/* its utilization */
};

static int
by_rank(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->by != y->by)
		return (x->by > y->by ? -1 : 1);
	return (strcmp(x->k, y->k));
}

/* The break-even ratio of storage to throughput cost of the region
 * ${region} (see gui_api.h), from its price list, or -1 without one. */
static double
breakeven(const struct gui_api *api, const char *region)
{
	struct ndjson_reader *r;
	json_t *rec;
	double st[2] = { 0, 0 }, tp[2] = { 0, 0 };
	char *p;
	int c;

	if ((p = projdir_path(api->pd, PROJDIR_PRICES, NULL, region,
	    NULL)) == NULL)
		return (-1);
	r = access(p, F_OK) == 0 ? ndjson_reader_open(p, NDJSON_MAXLINE) :
	    NULL;
	free(p);
	if (r == NULL)
		return (-1);
	while (ndjson_reader_next(r, &rec) == 1) {
		if (strcmp(str(rec, "kind"), "price") == 0 &&
		    (c = indexof(classes, str(rec, "table_class"))) >= 0) {
			st[c] = num(rec, "storage_gb_month");
			tp[c] = num(rec, "read_request_unit") + num(rec,
			    "write_request_unit");
		}
		json_decref(rec);
	}
	ndjson_reader_close(r);
	if (st[0] <= 0 || tp[0] <= 0 || st[1] >= st[0] || tp[1] <= 0)
		return (-1);
	return ((tp[1] / tp[0] - 1) / (1 - st[1] / st[0]));
}

/* The break-even of ${region}, read once a request into ${be}. */
static double
region_breakeven(const struct gui_api *api, json_t *be, const char *region)
{
	json_t *v;
	double x;

	if ((v = json_object_get(be, region)) != NULL)
		return (json_real_value(v));
	x = breakeven(api, region);
	json_object_set_new(be, region, json_real(x));
	return (x);
}

/* Split the key ${k} into ${part} (account, region, table, index). */
static void
split(const char *k, char part[4][256])
{
	size_t i, n;

	for (i = 0; i < 4; i++) {
		n = strcspn(k, "\n");
		snprintf(part[i], sizeof(part[i]), "%.*s", (int)n, k);
		k += n + (k[n] != '\0');
	}
}

/* The candidates of ${x} for a chart of ${type}, that pass ${f}, into
 * ${c} (room for every key); their number, or -1 if the regex could not
 * tell.  ${be} holds the break-evens read. */
static long
candidates(const struct gui_api *api, const struct scenidx *x,
    const char *type, const struct filter *f, json_t *be, struct cand *c)
{
	const struct scen *sc, *s;
	const struct skey *sk;
	const char *k;
	char part[4][256];
	json_t *kid;
	size_t n, i;
	long m = 0;
	int t = strcmp(type, "table_class") == 0, ok;

	json_object_foreach(x->keys, k, kid) {
		split(k, part);
		if (t && part[3][0] != '\0')
			continue;
		if ((ok = table_selected(f, part[0], part[1], part[2])) < 0)
			return (-1);
		if (!ok || (sc = scen_find(x, k, &n)) == NULL)
			continue;
		for (i = 0; i < n && !sc[i].now; i++)
			continue;
		if (i == n)
			continue;
		sk = &x->k[json_integer_value(kid)];
		if (t && (s = scen_get(sc, n, 0, 0)) != NULL &&
		    s->rd + s->wr > 0) {
			c[m++] = (struct cand){ k, &sc[i], s->st + s->rd +
			    s->wr, s->st / (s->rd + s->wr) >=
			    region_breakeven(api, be, part[1]), sk };
		} else if (!t && (sk->ev[0][2] > 0 || sk->ev[1][2] > 0))
			c[m++] = (struct cand){ k, &sc[i], sc[i].usd, 0, sk };
	}
	return (m);
}

/* The point of the table class chart of ${c}: its costs at Standard
 * prices, their ratio, its region's break-even. */
static json_t *
class_point(const struct scenidx *x, const struct cand *c, json_t *be)
{
	const struct scen *sc, *s;
	char part[4][256];
	size_t n;

	split(c->k, part);
	sc = scen_find(x, c->k, &n);
	s = scen_get(sc, n, 0, 0);
	return (json_pack("{s:s,s:s,s:s,s:s,s:f,s:f,s:f,s:O?}",
	    "account", part[0], "region", part[1], "table", part[2],
	    "table_class", classes[c->s->cls >= 0 ? c->s->cls : 0],
	    "storage_usd", s->st, "throughput_usd", s->rd + s->wr,
	    "ratio", s->st / (s->rd + s->wr),
	    "breakeven", json_real_value(json_object_get(be, part[1])) > 0 ?
	    json_object_get(be, part[1]) : NULL));
}

/* The point of the utilization chart of ${c}: average, peak and
 * provisioned units a second of reads and writes, cost a month. */
static json_t *
util_point(const struct cand *c)
{
	const struct scen *s = c->s;
	const double (*ev)[3] = c->sk->ev;
	char part[4][256];

	split(c->k, part);
	return (json_pack("{s:s,s:s,s:s,s:s?,s:f,s:{s:f,s:f,s:f},"
	    "s:{s:f,s:f,s:f}}",
	    "account", part[0], "region", part[1], "table", part[2],
	    "index", part[3][0] != '\0' ? part[3] : NULL,
	    "monthly_usd", s->usd,
	    "read", "avg", ev[0][0], "peak", ev[0][1], "provisioned",
	    ev[0][2],
	    "write", "avg", ev[1][0], "peak", ev[1][1], "provisioned",
	    ev[1][2]));
}

/* The chart of ${type} over the view ${v} (see gui_api.h). */
static json_t *
analysis(const struct gui_api *api, const struct view *v, const char *type,
    const struct filter *f, int *status)
{
	struct cand *c;
	json_t *be, *pts, *r = NULL;
	size_t i, above = 0;
	long m;
	int t = strcmp(type, "table_class") == 0;

	if ((c = calloc(json_object_size(v->scen->keys) + 1,
	    sizeof(*c))) == NULL || (be = json_object()) == NULL) {
		free(c);
		return (fail(status, GUI_API_ERROR, "out of memory"));
	}
	if ((m = candidates(api, v->scen, type, f, be, c)) < 0) {
		free(c);
		json_decref(be);
		return (fail(status, GUI_API_BAD, "table regex: a table name "
		    "takes it more steps to match than allowed"));
	}
	qsort(c, (size_t)m, sizeof(*c), by_rank);
	if ((pts = json_array()) != NULL)
		for (i = 0; i < (size_t)m; i++) {
			above += t && c[i].above;
			if (i < ANALYSIS_TOP && json_array_append_new(pts, t ?
			    class_point(v->scen, &c[i], be) :
			    util_point(&c[i]))) {
				json_decref(pts);
				pts = NULL;
				break;
			}
		}
	if (pts != NULL)
		r = json_pack("{s:s,s:I,s:o,s:I}", "type", type, "count",
		    (json_int_t)m, "points", pts, "above_breakeven",
		    (json_int_t)above);
	if (r != NULL && !t)
		json_object_del(r, "above_breakeven");
	free(c);
	json_decref(be);
	if (r == NULL)
		return (fail(status, GUI_API_ERROR, "out of memory"));
	*status = GUI_API_OK;
	return (r);
}

/* The chart of a type's page (see gui_api.h). */
json_t *
gui_api_analysis(struct gui_api *api, const json_t *args, int *status)
{
	struct filter f;
	struct view v;
	const char *type;
	json_t *e, *r;

	if ((e = global_filter(&f, args, "type", status)) != NULL) {
		re2_free(f.re);
		return (e);
	}
	type = arg(args, "type");
	if (type == NULL || (strcmp(type, "table_class") != 0 &&
	    strcmp(type, "utilization") != 0)) {
		re2_free(f.re);
		return (fail(status, GUI_API_BAD, "type: not table_class or "
		    "utilization"));
	}
	if (view_take(api, &v)) {
		re2_free(f.re);
		return (fail(status, GUI_API_ERROR, "the project's files "
		    "could not be read (see optima-gui's messages)"));
	}
	r = analysis(api, &v, type, &f, status);
	view_drop(api, &v);
	re2_free(f.re);
	return (r);
}

/* The window of the analysis (see gui_api.h). */
json_t *
gui_api_window(struct gui_api *api, int *status)
{
	struct view v;
	time_t end = 0;
	struct tm tm;
	time_t t;
	char a[32], b[32];
	int days;

	if (view_take(api, &v))
		return (fail(status, GUI_API_ERROR, "the project's files "
		    "could not be read (see optima-gui's messages)"));
	days = v.scen->days;
	view_drop(api, &v);
	*status = GUI_API_OK;
	if (days == 0 || gui_chart_days_end(api->days, api->pd, &end) ||
	    end == 0)
		return (json_pack("{s:i,s:n,s:n}", "days", days, "start",
		    "end"));
	/* The last day of the window, and its first. */
	t = end - 86400;
	strftime(b, sizeof(b), "%Y-%m-%d", gmtime_r(&t, &tm));
	t = end - (time_t)days * 86400;
	strftime(a, sizeof(a), "%Y-%m-%d", gmtime_r(&t, &tm));
	return (json_pack("{s:i,s:s,s:s}", "days", days, "start", a, "end",
	    b));
}

/* ---- decisions ---- */

/* Whether the view ${v} has a recommendation ${id}. */
static int
has_rec(const struct view *v, const char *id)
{
	size_t i;

	for (i = 0; i < NRECS(v); i++)
		if (strcmp(NTH(v, i)->id, id) == 0)
			return (1);
	return (0);
}

/* Record a decision (see gui_api.h). */
json_t *
gui_api_decide(struct gui_api *api, const json_t *body, time_t now,
    int *status)
{
	static const char *const known[] = { "id", "status", "note", NULL };
	const char *id, *st, *note, *k;
	struct view vw;
	json_t *v;
	int found, rc;

	if (!api->allow_edits)
		return (fail(status, GUI_API_FORBIDDEN, "read-only: start "
		    "optima gui with --allow-edits to decide"));
	if (!json_is_object(body))
		return (fail(status, GUI_API_BAD, "not a JSON object"));
	json_object_foreach((json_t *)body, k, v)
		if (!listed(known, k) || !json_is_string(v))
			return (fail(status, GUI_API_BAD, "unknown or "
			    "malformed field \"%.64s\"", k));
	id = json_string_value(json_object_get(body, "id"));
	st = json_string_value(json_object_get(body, "status"));
	note = json_string_value(json_object_get(body, "note"));
	if (id == NULL || strlen(id) > MAXARG || !decision_valid_status(st))
		return (fail(status, GUI_API_BAD, "an id and a status "
		    "(pending, accepted, rejected, implemented) are needed"));
	if (note != NULL && *note == '\0')
		note = NULL;
	if (note != NULL && strlen(note) > MAXNOTE)
		return (fail(status, GUI_API_BAD, "note: at most %d bytes",
		    MAXNOTE));
	if (view_take(api, &vw))
		return (fail(status, GUI_API_ERROR, "the project's files "
		    "could not be read (see optima-gui's messages)"));
	found = has_rec(&vw, id);
	view_drop(api, &vw);
	if (!found)
		return (fail(status, GUI_API_NOT_FOUND, "no such "
		    "recommendation"));
	/* One append at a time (each ends a line torn by a crash first),
	 * and none while the file is read. */
	pthread_mutex_lock(&api->lock);
	rc = decision_append(api->path[F_DEC], id, st, note, now);
	pthread_mutex_unlock(&api->lock);
	if (rc)
		return (fail(status, GUI_API_ERROR, "the decision could not "
		    "be written (see optima-gui's messages)"));
	*status = GUI_API_OK;
	return (json_pack("{s:s,s:s}", "id", id, "status", st));
}
