#include <sys/stat.h>

#include <errno.h>
#include <err.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdarg.h>
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
	"utilization", NULL };
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
	char *path[3];		/* recommendations, scenarios, decisions */
	pthread_mutex_t lock;	/* st, recs, scen, dec; decisions.ndjson */
	int locked;		/* the mutex was made */
	sem_t charts;		/* drill-downs that may draw now */
	int sem;		/* charts was made */
	struct gui_chart_days *days;	/* where the metrics end */
	struct stamp st[3];
	json_t *recs;		/* array of recommendation records */
	struct scenidx *scen;	/* the scenarios, by key() */
	json_t *dec;		/* id -> last decision */
};

/* The values of the files one request works on. */
struct view {
	json_t *recs, *dec;
	struct scenidx *scen;
};

enum { F_RECS, F_SCEN, F_DEC };

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

/* What ${rec} saves a month in the totals: its joint figure (applied with
 * the others of its account and region, reserved capacity counted), or
 * its own in recommendations older than it. */
static double
saving(const json_t *rec)
{
	const json_t *v = json_object_get(rec, "effective_monthly_savings_usd");

	return (json_is_number(v) ? json_number_value(v) : num(rec,
	    "monthly_savings_usd"));
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

/* The key of the scenarios of ${index} (NULL: the table) of a table. */
static char *
key(char *buf, size_t n, const char *account, const char *region,
    const char *table, const char *index)
{

	snprintf(buf, n, "%s\n%s\n%s\n%s", account, region, table,
	    index != NULL ? index : "");
	return (buf);
}

/* ---- loading ---- */

/* Read the records of ${path} into a new array; a missing file has none.
 * Return NULL on an error (reported). */
static json_t *
load(const char *path)
{
	struct ndjson_reader *r;
	json_t *all, *rec;
	int rc;

	if ((all = json_array()) == NULL) {
		warnx("out of memory");
		return (NULL);
	}
	if (access(path, F_OK) == -1 && errno == ENOENT)
		return (all);
	if ((r = ndjson_reader_open(path, NDJSON_MAXLINE)) == NULL) {
		json_decref(all);
		return (NULL);
	}
	while ((rc = ndjson_reader_next(r, &rec)) == 1)
		if (json_array_append_new(all, rec)) {
			warnx("out of memory");
			rc = -1;
			break;
		}
	ndjson_reader_close(r);
	if (rc < 0) {
		json_decref(all);
		return (NULL);
	}
	return (all);
}

/* Keep the recommendation records of ${all} that have what the pages
 * need; report the others. */
static json_t *
take_recs(json_t *all, const char *path)
{
	json_t *recs, *rec;
	size_t i;

	if ((recs = json_array()) == NULL)
		return (NULL);
	json_array_foreach(all, i, rec) {
		if (strcmp(str(rec, "kind"), "recommendation") != 0 ||
		    json_string_value(json_object_get(rec, "id")) == NULL ||
		    !listed(types, str(rec, "type")) ||
		    json_string_value(json_object_get(rec, "table")) == NULL ||
		    !json_is_number(json_object_get(rec,
		    "monthly_savings_usd"))) {
			warnx("%s:%zu: not a recommendation record with "
			    "\"id\", \"type\", \"table\" and "
			    "\"monthly_savings_usd\" (skipped)", path, i + 1);
			continue;
		}
		if (json_array_append(recs, rec)) {
			json_decref(recs);
			return (NULL);
		}
	}
	return (recs);
}

/* ---- the index of scenarios.ndjson ---- */

/*
 * scenarios.ndjson holds 8 records a table and index, several kilobytes
 * each as JSON values: hundreds of megabytes for an organization of ten
 * thousand tables.  The index keeps, of each record, only where its line
 * is and the figures the pages of recommendations show (about 100
 * bytes); a table's drill-down reads its own lines again, from the file
 * as it was indexed (its descriptor is kept).
 */
static const char *const scen_names[] = { "current", "on_demand",
	"provisioned_autoscaled", "provisioned_fixed", NULL };

/* What the pages need of one scenario record. */
struct scen {
	size_t kid;		/* its key's number, in order of first sight */
	off_t off;		/* its line in the file */
	size_t len;
	int name;		/* in scen_names[], or -1 */
	int cls;		/* in classes[], or -1 */
	double usd;		/* "monthly_usd", or 0 */
	int has_thr;		/* "throttled_minutes" is a number: */
	double thr;
	double rd, wr, st;	/* its "breakdown", 0 where missing */
	int now;		/* "current" in its "current_table_class" */
	double ev[2][3];	/* reads', writes' average, peak and average
				 * provisioned units a second (evidence) */
	json_t *cap;		/* "capacity", of provisioned_autoscaled */
};

/* The scenarios of scenarios.ndjson, by key(). */
struct scenidx {
	int refs;		/* the api and views holding it (api->lock) */
	int fd;			/* the file read, or -1 if there was none */
	char *path;
	json_t *keys;		/* key -> its number */
	size_t *first;		/* number -> its first entry in v[] */
	struct scen *v;		/* by key, then in the file's order */
	size_t n, cap;
	size_t tables;		/* keys of tables, not of indexes */
	int days;		/* the longest "days" of a record */
};

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

/* Take the utilization of the evidence ${ev} into ${s}. */
static void
evidence(struct scen *s, const json_t *ev)
{
	static const char *const dim[] = { "read", "write" };
	static const char *const k[] = { "avg_units_per_s",
	    "peak_units_per_s", "provisioned_avg" };
	size_t d, i;

	for (d = 0; d < 2; d++)
		for (i = 0; i < 3; i++)
			s->ev[d][i] = num(json_object_get(ev, dim[d]), k[i]);
}

/* Take the figures of the scenario record ${rec} into ${s}. */
static int
figures(struct scen *s, const json_t *rec)
{
	const json_t *bd = json_object_get(rec, "breakdown");
	const json_t *t = json_object_get(rec, "throttled_minutes");

	s->name = indexof(scen_names, str(rec, "scenario"));
	s->cls = indexof(classes, str(rec, "table_class"));
	s->usd = num(rec, "monthly_usd");
	s->has_thr = json_is_number(t);
	s->thr = json_number_value(t);
	s->rd = num(bd, "read_usd");
	s->wr = num(bd, "write_usd");
	s->st = num(bd, "storage_usd");
	s->now = s->name == 0 && strcmp(str(rec, "table_class"), str(rec,
	    "current_table_class")) == 0;
	evidence(s, json_object_get(rec, "evidence"));
	s->cap = NULL;
	if (s->name == 2 && json_object_get(rec, "capacity") != NULL &&
	    (s->cap = json_deep_copy(json_object_get(rec, "capacity"))) ==
	    NULL)
		return (-1);
	return (0);
}

/* Add the scenario record ${rec} of the line at ${off} (${len} bytes) to
 * ${x}.  Return 0, or -1 out of memory. */
static int
index_one(struct scenidx *x, const json_t *rec, off_t off, size_t len)
{
	struct scen *s;
	const char *index;
	json_t *kid;
	char k[1024];

	index = json_string_value(json_object_get(rec, "index"));
	key(k, sizeof(k), str(rec, "account"), str(rec, "region"), str(rec,
	    "table"), index);
	if ((kid = json_object_get(x->keys, k)) == NULL) {
		if (json_object_set_new(x->keys, k, kid = json_integer(
		    (json_int_t)json_object_size(x->keys))) || kid == NULL)
			return (-1);
		x->tables += index == NULL;
	}
	if (x->n == x->cap) {
		x->cap = x->cap == 0 ? 256 : x->cap * 2;
		if ((s = realloc(x->v, x->cap * sizeof(*s))) == NULL)
			return (-1);
		x->v = s;
	}
	s = &x->v[x->n];
	s->kid = (size_t)json_integer_value(kid);
	s->off = off;
	s->len = len;
	if (json_integer_value(json_object_get(rec, "days")) > x->days &&
	    json_integer_value(json_object_get(rec, "days")) <= 3660)
		x->days = (int)json_integer_value(json_object_get(rec, "days"));
	if (figures(s, rec))
		return (-1);
	x->n++;
	return (0);
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
	struct ndjson_reader *r;
	json_t *rec;
	size_t len, i;
	off_t off;
	int fd, rc;

	/* A descriptor of its own: x->fd stays open for the reads later. */
	if ((fd = dup(x->fd)) == -1) {
		warn("%s", x->path);
		return (-1);
	}
	if ((r = ndjson_reader_fdopen(fd, x->path, NDJSON_MAXLINE)) == NULL) {
		close(fd);
		return (-1);
	}
	while ((rc = ndjson_reader_next(r, &rec)) == 1) {
		off = ndjson_reader_offset(r, &len);
		rc = strcmp(str(rec, "kind"), "scenario") == 0 ?
		    index_one(x, rec, off, len) : 0;
		json_decref(rec);
		if (rc) {
			warnx("%s: out of memory", x->path);
			break;
		}
	}
	ndjson_reader_close(r);
	if (rc < 0)
		return (-1);
	qsort(x->v, x->n, sizeof(*x->v), by_key);
	/* Where each key's entries begin. */
	if ((x->first = calloc(json_object_size(x->keys) + 1,
	    sizeof(*x->first))) == NULL) {
		warnx("%s: out of memory", x->path);
		return (-1);
	}
	for (i = x->n; i-- > 0;)
		x->first[x->v[i].kid] = i;
	x->first[json_object_size(x->keys)] = x->n;
	return (0);
}

/* Let go of ${x} (under the api's lock): freed by the last. */
static void
scen_unref(struct scenidx *x)
{
	size_t i;

	if (x == NULL || --x->refs > 0)
		return;
	for (i = 0; i < x->n; i++)
		json_decref(x->v[i].cap);
	if (x->fd != -1)
		close(x->fd);
	json_decref(x->keys);
	free(x->first);
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
	struct stat sb;

	if ((x = calloc(1, sizeof(*x))) == NULL ||
	    (x->path = strdup(path)) == NULL ||
	    (x->keys = json_object()) == NULL) {
		warnx("%s: out of memory", path);
		if (x != NULL) {
			free(x->path);
			free(x);
		}
		return (NULL);
	}
	x->refs = 1;
	/* A project file: regular, never through a link, never waited on. */
	if ((x->fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK)) == -1 &&
	    errno != ENOENT) {
		warn("%s", path);
		goto err;
	}
	if (x->fd != -1 && (fstat(x->fd, &sb) == -1 || !S_ISREG(sb.st_mode))) {
		warnx("%s: not a regular file", path);
		goto err;
	}
	if (x->fd != -1 && index_lines(x))
		goto err;
	if (x->fd == -1 && (x->first = calloc(1, sizeof(*x->first))) == NULL)
		goto err;
	return (x);
err:
	scen_unref(x);
	return (NULL);
}

/* The entries of the key ${k} in ${x}: the first, and their number in
 * ${n}; NULL if none. */
static const struct scen *
scen_find(const struct scenidx *x, const char *k, size_t *n)
{
	json_t *kid = json_object_get(x->keys, k);
	size_t i;

	*n = 0;
	if (kid == NULL)
		return (NULL);
	i = (size_t)json_integer_value(kid);
	*n = x->first[i + 1] - x->first[i];
	return (&x->v[x->first[i]]);
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

/* Append the records of the ${n} entries at ${sc} to the array ${a},
 * read again from their lines.  Return 0, or -1 (reported). */
static int
scen_read(const struct scenidx *x, const struct scen *sc, size_t n,
    json_t *a)
{
	json_t *rec;
	ssize_t r;
	size_t i, got;
	char *buf;

	for (i = 0; i < n; i++) {
		if ((buf = malloc(sc[i].len + 1)) == NULL) {
			warn("%s", x->path);
			return (-1);
		}
		for (got = 0; got < sc[i].len; got += (size_t)r)
			if ((r = pread(x->fd, buf + got, sc[i].len - got,
			    sc[i].off + (off_t)got)) <= 0) {
				if (r == 0)
					errno = EIO;
				warn("%s", x->path);
				free(buf);
				return (-1);
			}
		rec = json_loadb(buf, sc[i].len, JSON_REJECT_DUPLICATES, NULL);
		free(buf);
		if (rec == NULL || json_array_append_new(a, rec)) {
			warnx("%s: a line changed since it was read",
			    x->path);
			return (-1);
		}
	}
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
	json_t *all, *v;

	if (changed(api, F_RECS)) {
		if ((all = load(api->path[F_RECS])) == NULL)
			goto err;
		v = take_recs(all, api->path[F_RECS]);
		json_decref(all);
		if (v == NULL)
			goto err;
		json_decref(api->recs);
		api->recs = v;
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
		v->recs = json_incref(api->recs);
		v->scen = api->scen;
		v->scen->refs++;
		v->dec = json_incref(api->dec);
	}
	pthread_mutex_unlock(&api->lock);
	return (rc);
}

/* Let go of the view ${v}. */
static void
view_drop(struct gui_api *api, struct view *v)
{

	pthread_mutex_lock(&api->lock);
	json_decref(v->recs);
	scen_unref(v->scen);
	json_decref(v->dec);
	pthread_mutex_unlock(&api->lock);
}

/* The API of ${pd} (see gui_api.h). */
struct gui_api *
gui_api_open(const struct projdir *pd, int allow_edits)
{
	static const enum projdir_file files[3] = { PROJDIR_RECOMMENDATIONS,
	    PROJDIR_SCENARIOS, PROJDIR_DECISIONS };
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
	for (f = 0; f < 3; f++)
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
	for (f = 0; f < 3; f++)
		free(api->path[f]);
	json_decref(api->recs);
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
		    "table_class or utilization"));
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
		    "autoscaling", s != NULL ? json_deep_copy(s->cap) : NULL));
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

/* Whether ${rec}, of status ${status}, passes ${f}: 1 or 0, or -1 if
 * the regex cannot tell within its limits (reported). */
static int
selected(const struct filter *f, const json_t *rec, const char *status)
{

	if ((f->type == NULL || strcmp(f->type, str(rec, "type")) == 0) &&
	    (f->account == NULL || strcmp(f->account, str(rec, "account")) ==
	    0) &&
	    (f->region == NULL || strcmp(f->region, str(rec, "region")) ==
	    0) &&
	    (f->status == NULL || strcmp(f->status, status) == 0) &&
	    (f->mode == NULL || strcmp(f->mode, str(json_object_get(rec,
	    "current"), "billing_mode")) == 0) &&
	    num(rec, "monthly_savings_usd") >= f->min_savings)
		return (f->re == NULL ? 1 : re2_match(f->re, str(rec,
		    "table")));
	return (0);
}

/* qsort: the larger monthly saving first, then by id. */
static int
by_savings(const void *a, const void *b)
{
	const json_t *x = *(const json_t *const *)a;
	const json_t *y = *(const json_t *const *)b;
	double u = num(x, "monthly_savings_usd"), v = num(y,
	    "monthly_savings_usd");

	if (u != v)
		return (u > v ? -1 : 1);
	return (strcmp(str(x, "id"), str(y, "id")));
}

/* A new array of copies of the recommendations ${f} selects, sorted, each
 * with its status and details; NULL out of memory, or with ${*slow} set
 * if the regex could not tell within its limits. */
static json_t *
rows(const struct view *vw, const struct filter *f, int *slow)
{
	json_t **v, *rec, *row, *out = NULL;
	const char *status;
	size_t i, n = 0;
	int m;

	*slow = 0;
	if ((v = calloc(json_array_size(vw->recs) + 1, sizeof(*v))) == NULL)
		return (NULL);
	json_array_foreach(vw->recs, i, rec) {
		status = decision_status(vw->dec, str(rec, "id"));
		if ((m = selected(f, rec, status)) < 0) {
			*slow = 1;
			goto err;
		}
		if (m)
			v[n++] = rec;
	}
	qsort(v, n, sizeof(*v), by_savings);
	if ((out = json_array()) == NULL)
		goto err;
	for (i = 0; i < n; i++) {
		status = decision_status(vw->dec, str(v[i], "id"));
		if ((row = json_deep_copy(v[i])) == NULL ||
		    json_array_append_new(out, row) ||
		    json_object_set_new(row, "status", json_string(status)) ||
		    json_object_set_new(row, "details", details(vw, v[i])))
			goto err;
	}
	free(v);
	return (out);
err:
	free(v);
	json_decref(out);
	return (NULL);
}

/* The rows of ${args}, or NULL with the error in ${e}. */
static json_t *
list(struct gui_api *api, const json_t *args, int *status, json_t **e)
{
	struct filter f;
	struct view v;
	json_t *r;
	int slow;

	*e = NULL;
	if ((*e = parse_filter(&f, args, status)) != NULL) {
		re2_free(f.re);
		return (NULL);
	}
	if (view_take(api, &v)) {
		re2_free(f.re);
		*e = fail(status, GUI_API_ERROR, "the project's files could "
		    "not be read (see optima-gui's messages)");
		return (NULL);
	}
	r = rows(&v, &f, &slow);
	view_drop(api, &v);
	re2_free(f.re);
	if (r == NULL && slow)
		*e = fail(status, GUI_API_BAD, "table regex: a table name "
		    "takes it more steps to match than allowed");
	else if (r == NULL)
		*e = fail(status, GUI_API_ERROR, "out of memory");
	return (r);
}

/* The rows of a page and their totals (see gui_api.h). */
json_t *
gui_api_list(struct gui_api *api, const json_t *args, int *status)
{
	json_t *r, *e, *rec;
	double m = 0, y = 0;
	size_t i;

	if ((r = list(api, args, status, &e)) == NULL)
		return (e);
	json_array_foreach(r, i, rec) {
		m += saving(rec);
		y += 12 * saving(rec);
	}
	*status = GUI_API_OK;
	return (json_pack("{s:o,s:I,s:f,s:f}", "rows", r, "count",
	    (json_int_t)json_array_size(r), "total_monthly_usd", m,
	    "total_annual_usd", y));
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
	static const char *const none[] = { NULL };

	if (type == NULL)
		return (none);
	if (strcmp(type, "capacity") == 0)
		return (cap);
	if (strcmp(type, "table_class") == 0)
		return (cls);
	return (util);
}

/* Write the header row and the rows ${r} (of ${type}, if not NULL)
 * as CSV to ${out}. */
static void
csv_rows(FILE *out, const json_t *r, const char *type)
{
	/* As optima list-recommendations --format csv has them. */
	static const char *const head[] = { "id", "type", "status", "account",
	    "region", "table", "index", "change", "current_monthly_usd",
	    "recommended_monthly_usd", "monthly_savings_usd",
	    "annual_savings_usd", "savings_pct", "confidence", "reason",
	    "apply", NULL };
	const char *const *dc = detail_columns(type);
	const json_t *rec, *d;
	size_t i, j;

	for (j = 0; head[j] != NULL; j++)
		csv_field(out, head[j], head[j + 1] == NULL && dc[0] == NULL);
	for (j = 0; dc[j] != NULL; j++)
		csv_field(out, dc[j], dc[j + 1] == NULL);
	json_array_foreach(r, i, rec) {
		d = json_object_get(rec, "details");
		for (j = 0; head[j] != NULL; j++)
			csv_value(out, json_object_get(rec, head[j]),
			    head[j + 1] == NULL && dc[0] == NULL);
		for (j = 0; dc[j] != NULL; j++)
			csv_value(out, json_object_get(d, dc[j]),
			    dc[j + 1] == NULL);
	}
}

/* The rows of a page as CSV (see gui_api.h). */
int
gui_api_csv(struct gui_api *api, const json_t *args, char **buf,
    size_t *len, int *status)
{
	json_t *r, *e;
	FILE *out;

	*buf = NULL;
	if ((r = list(api, args, status, &e)) == NULL)
		goto err;
	if ((out = open_memstream(buf, len)) == NULL) {
		json_decref(r);
		e = fail(status, GUI_API_ERROR, "out of memory");
		goto err;
	}
	csv_rows(out, r, arg(args, "type"));
	json_decref(r);
	if (ferror(out) | fclose(out)) {
		free(*buf);
		*buf = NULL;
		e = fail(status, GUI_API_ERROR, "out of memory");
		goto err;
	}
	*status = GUI_API_OK;
	return (0);
err:
	*buf = e != NULL ? json_dumps(e, JSON_COMPACT) : NULL;
	*len = *buf != NULL ? strlen(*buf) : 0;
	json_decref(e);
	return (-1);
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
	json_t *bt, *br, *tables, *bs, *bc, *ac, *rg, *rec, *t, *r = NULL;
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
	json_array_foreach(v.recs, i, rec) {
		st = decision_status(v.dec, str(rec, "id"));
		acct = str(rec, "account");
		reg = str(rec, "region");
		tab = str(rec, "table");
		oom |= json_object_set_new(bs, st, json_integer(
		    json_integer_value(json_object_get(bs, st)) + 1));
		oom |= json_object_set_new(ac, acct, json_true());
		oom |= json_object_set_new(rg, reg, json_true());
		if (strcmp(st, "pending") != 0 && strcmp(st, "accepted") != 0)
			continue;
		usd = saving(rec);
		m += usd;
		y += 12 * usd;
		n++;
		oom |= tally(bt, str(rec, "type"), usd);
		oom |= tally(br, reg, usd);
		oom |= tally(bc, str(rec, "confidence"), usd);
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
	    "recommendations", (json_int_t)json_array_size(v.recs),
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
	json_t *recs, *rec, *row;
	size_t i;

	if ((*out = recs = json_array()) == NULL)
		return (-1);
	json_array_foreach(v->recs, i, rec) {
		if (strcmp(str(rec, "account"), str(cur, "account")) ||
		    strcmp(str(rec, "region"), str(cur, "region")) ||
		    strcmp(str(rec, "table"), str(cur, "table")))
			continue;
		if ((row = json_deep_copy(rec)) == NULL ||
		    json_array_append_new(recs, row) ||
		    json_object_set_new(row, "status", json_string(
		    decision_status(v->dec, str(rec, "id")))) ||
		    json_object_set_new(row, "details", details(v, rec))) {
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
tables_count(json_t *by, const json_t *rec, const char *st)
{
	json_t *row;
	char k[1024];

	key(k, sizeof(k), str(rec, "account"), str(rec, "region"), str(rec,
	    "table"), NULL);
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
	    num(row, "monthly_savings_usd") + num(rec,
	    "monthly_savings_usd"))) ? -1 : 0);
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
	json_t *e, *rows, *by, *kid, *rec, *sel = NULL, *r = NULL;
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
		json_array_foreach(v.recs, i, rec)
			oom |= tables_count(by, rec, decision_status(v.dec,
			    str(rec, "id")));
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
		if (t && (s = scen_get(sc, n, 0, 0)) != NULL &&
		    s->rd + s->wr > 0) {
			c[m++] = (struct cand){ k, &sc[i], s->st + s->rd +
			    s->wr, s->st / (s->rd + s->wr) >=
			    region_breakeven(api, be, part[1]) };
		} else if (!t && (sc[i].ev[0][2] > 0 || sc[i].ev[1][2] > 0))
			c[m++] = (struct cand){ k, &sc[i], sc[i].usd, 0 };
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
	char part[4][256];

	split(c->k, part);
	return (json_pack("{s:s,s:s,s:s,s:s?,s:f,s:{s:f,s:f,s:f},"
	    "s:{s:f,s:f,s:f}}",
	    "account", part[0], "region", part[1], "table", part[2],
	    "index", part[3][0] != '\0' ? part[3] : NULL,
	    "monthly_usd", s->usd,
	    "read", "avg", s->ev[0][0], "peak", s->ev[0][1], "provisioned",
	    s->ev[0][2],
	    "write", "avg", s->ev[1][0], "peak", s->ev[1][1], "provisioned",
	    s->ev[1][2]));
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
	const json_t *rec;
	size_t i;

	json_array_foreach(v->recs, i, rec)
		if (strcmp(str(rec, "id"), id) == 0)
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
