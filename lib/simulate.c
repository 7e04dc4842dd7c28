#include <err.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <jansson.h>

#include "atomicio.h"
#include "autoscale.h"
#include "cmdline.h"
#include "cost.h"
#include "datetime.h"
#include "log.h"
#include "ndjson.h"
#include "projdir.h"
#include "re2.h"
#include "series.h"
#include "simulate.h"

#define DAY		86400
#define GB		1073741824.0	/* AWS bills storage in GiB */
#define FREE_HOURS	744		/* the price list's month of free
					   tier units */

/* The scenarios, and those among them with provisioned capacity. */
/* S_DEFAULT, auto scaling at the options' settings, is no record of its
 * own: provisioned_autoscaled (tuned) carries its cost as "default". */
enum { S_CURRENT, S_AUTOSCALED, S_FIXED, S_DEFAULT, NPROV,
	S_ON_DEMAND = NPROV, NSCEN };
static const char *const scen_names[NSCEN] = { "current",
	"provisioned_autoscaled", "provisioned_fixed", "default", "on_demand" };
/* The hourly profiles of usage/ (usage records): for each provisioned
 * scenario of a record (current, provisioned_autoscaled,
 * provisioned_fixed) its RCU, WCU and replicated WCU, then the request
 * units read, written and replicated. */
#define H_CAP(s, k)	((s) * 3 + (k))	/* k: 0 rcu, 1 wcu, 2 replicated */
#define H_UNITS(k)	(9 + (k))
#define NHR		12
static const char *const classes[2] = { "STANDARD",
	"STANDARD_INFREQUENT_ACCESS" };

/* The prices of one region. */
struct prices {
	char region[32];
	int have[2];
	struct cost_prices p[2];
	double free_hours[2], free_gb;	/* Standard only: unit-hours and
					   GB a month */
	double backup;			/* per GB-month of on-demand backups;
					   -1: the price list has none */
};

/* What one dimension (read or write) of a resource showed. */
struct dim {
	double units;		/* consumed */
	double peak;		/* highest units per second */
	double provisioned;	/* capacity-seconds in effect (current) */
	double throttle_events;
};

/* What a table (or one index) would use under each scenario. */
struct usage {
	double unit_hours[NPROV][2];	/* read, write */
	double repl_wcu_hours[NPROV];	/* the part of write that is
					   replicated (a global table's own) */
	double throttled_units[NPROV], throttled_minutes[NPROV];
	double units[2], repl_units;	/* consumed: read, write, replicated */
	struct dim d[2];
	double fixed[2];		/* the provisioned_fixed capacity */
	struct autoscale_policy tuned[2];	/* provisioned_autoscaled's
					   settings, the resource's own */
	/* Growth: the average and peak units per second of the first and
	 * the last growth_days whole days, per dimension (the table's). */
	int growth_days;
	double growth[2][4];		/* first avg, last avg, first peak,
					   last peak */
};

/* What the Cost and Usage Report says of a table, the fields of its
 * cur_usage record the scenarios show (NaN, or reserved -1: absent). */
enum { C_NET, C_GB, C_STORAGE, C_THROUGHPUT, C_RRCU, C_RWCU, NCUR };
static const char *const cur_fields[NCUR] = { "net_usd", "storage_gb_month",
	"storage_usd", "throughput_usd", "reserved_rcu_hours",
	"reserved_wcu_hours" };

struct cur {
	char *key;		/* "account/region/table" */
	double v[NCUR];		/* per billing period, averaged */
	int reserved;
	char period[11];	/* its billing period (the first averaged) */
	json_t *periods;	/* the billing periods averaged */
};

/* A billing period of cur/: "YYYY-MM". */
struct period {
	char name[11];
};

struct table {
	json_t *rec;
	const char *name;
	int provisioned, ia, global, nidx;
	double gb;
	const struct cur *cur;	/* what its bill says, or NULL */
	int seen;		/* days with series */
	int skip;		/* not selected: simulated only for its share
				   of the free tier of its account and region */
	/* Its own part of the window: from its creation (created_epoch, to
	 * the hour), else from the first day with a datapoint of its own;
	 * never before the window nor the first day with its series. */
	time_t start;
	int from_created;	/* it has a created_epoch */
	const char *from;	/* what start is: "created", ...; NULL:
				   the window's */
	double created;		/* created_epoch, or NaN */
	size_t off;		/* the grid slot of start */
	struct autoscale_grid g;	/* the grid from start */
	int covered;		/* days with series from start */
	struct usage u;
	json_t *index_recs;	/* the records of its indexes */
};

/* One day file of the window, read in step with the others. */
struct day {
	struct series_reader *r;
	struct series s;
	int have;		/* s holds the next record */
	size_t slot;		/* the first grid slot of the day */
};

struct run {
	const struct projdir *pd;
	const struct simulate_opts *o;
	FILE *out;
	struct re2 *re;		/* --table-regex */
	struct prices *prices;
	size_t nprices;
	struct cur *cur;	/* the bill's tables, by key */
	size_t ncur;
	struct period *periods;	/* cur/'s billing periods, sorted */
	size_t nperiods, first;	/* those read: [first, nperiods) */
	char billing[11];	/* the latest billing period read */
	json_t *reserved;	/* "account/region": [rcu, wcu] unit-hours a
				   month reserved, summed over the periods */
	const char *reading;	/* the billing period being read */
	time_t start, end;	/* the window */
	int days;		/* its days: o->days, or fewer */
	int period;		/* of the grid of the account and region */
	struct autoscale_grid g;
	double *m[SERIES_NMETRICS];	/* one resource's metrics */
	/* The resource at hand: its grid, and its metrics from its start. */
	struct autoscale_grid tg;
	double *w[SERIES_NMETRICS];
	double *cap[2];			/* capacity per period */
	double *work;			/* autoscale_tune's, 4 * cap_n */
	size_t cap_n;
	/* The account and region at hand. */
	const char *account, *region;
	struct table *t;
	size_t nt;
	/* keep: the project's scenarios.ndjson before this run, read in
	 * step with the records written; the key of its line at hand. */
	struct ndjson_reader *old;
	const char *oline;
	size_t olen;
	char *okey[3];			/* account, region, table */
	int ohave;
	long partial;			/* the partial_run written, or 0 */
	/* Counts for the summary. */
	size_t tables, indexes, nodata, groups, records, shorter, kept;
	int approximate;
	int error;
	/* The hourly profiles of the table at hand (ht), for usage/ (only
	 * when usage is not NULL: a run that writes the project). */
	struct atomicio *usage;
	double *hr[NHR];
	size_t hn;
	struct table *ht;
};

/* ---- prices ---- */

/*
 * The free unit-hours a month of ${dim} ("rcu", "wcu") of the free tier
 * ${ft} of a price record: its "rcu_hours", as the price list states the
 * tier (0 to 18,600 unit-hours); else its units for the 744 hours of the
 * longest month, as the price list counts them.
 */
static double
free_hours(const json_t *ft, const char *dim)
{
	char key[16];

	snprintf(key, sizeof(key), "%s_hours", dim);
	if (json_is_number(json_object_get(ft, key)))
		return (json_number_value(json_object_get(ft, key)));
	return (json_number_value(json_object_get(ft, dim)) * FREE_HOURS);
}

static int
take_price(json_t *rec, const struct ndjson_pos *pos, void *ctx)
{
	static const struct { const char *name; size_t off; } f[] = {
		{ "read_request_unit", offsetof(struct cost_prices,
		    read_request_unit) },
		{ "write_request_unit", offsetof(struct cost_prices,
		    write_request_unit) },
		{ "replicated_write_request_unit", offsetof(struct cost_prices,
		    replicated_write_request_unit) },
		{ "rcu_hour", offsetof(struct cost_prices, rcu_hour) },
		{ "wcu_hour", offsetof(struct cost_prices, wcu_hour) },
		{ "replicated_wcu_hour", offsetof(struct cost_prices,
		    replicated_wcu_hour) },
		{ "storage_gb_month", offsetof(struct cost_prices,
		    storage_gb_month) },
	};
	struct run *r = ctx;
	struct prices *p = &r->prices[r->nprices - 1];
	const char *region, *cls, *cur;
	json_t *v, *ft;
	size_t i;
	int c;

	region = json_string_value(json_object_get(rec, "region"));
	cls = json_string_value(json_object_get(rec, "table_class"));
	cur = json_string_value(json_object_get(rec, "currency"));
	if (strcmp(json_string_value(json_object_get(rec, "kind")), "price") ||
	    region == NULL || strcmp(region, p->region) != 0 || cls == NULL) {
		ndjson_warnx(pos, "not a price record of region %s", p->region);
		return (-1);
	}
	if ((c = strcmp(cls, classes[0]) == 0 ? 0 : strcmp(cls, classes[1]) ==
	    0 ? 1 : -1) < 0) {
		ndjson_warnx(pos, "unknown table_class \"%s\"", cls);
		return (-1);
	}
	if (cur == NULL || strcmp(cur, "USD") != 0) {
		ndjson_warnx(pos, "prices in %s: only USD is simulated",
		    cur ? cur : "no currency");
		return (-1);
	}
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		v = json_object_get(rec, f[i].name);
		if (!json_is_number(v) || json_number_value(v) < 0) {
			ndjson_warnx(pos, "\"%s\" is not a price", f[i].name);
			return (-1);
		}
		*(double *)((char *)&p->p[c] + f[i].off) = json_number_value(v);
	}
	p->have[c] = 1;
	v = json_object_get(rec, "backup_gb_month");
	if (v != NULL && (!json_is_number(v) || json_number_value(v) < 0)) {
		ndjson_warnx(pos, "\"backup_gb_month\" is not a price");
		return (-1);
	}
	if (v != NULL)
		p->backup = json_number_value(v);
	if (c == 0) {
		ft = json_object_get(rec, "free_tier");
		p->free_hours[0] = free_hours(ft, "rcu");
		p->free_hours[1] = free_hours(ft, "wcu");
		p->free_gb = json_number_value(json_object_get(ft,
		    "storage_gb"));
	}
	return (0);
}

static int
take_prices(const char *path, const struct projdir_entry *e, void *ctx)
{
	struct run *r = ctx;
	char *files[] = { (char *)path, NULL };
	struct prices *p;

	if (e == NULL || e->file != PROJDIR_PRICES)
		return (0);
	if ((p = realloc(r->prices, (r->nprices + 1) * sizeof(*p))) == NULL) {
		warn("prices");
		return (-1);
	}
	r->prices = p;
	memset(&p[r->nprices], 0, sizeof(*p));
	p[r->nprices].backup = -1;
	snprintf(p[r->nprices].region, sizeof(p->region), "%s", e->region);
	r->nprices++;
	if (ndjson_foreach(files, NDJSON_MAXLINE, take_price, r))
		return (-1);
	if (!p[r->nprices - 1].have[0] || !p[r->nprices - 1].have[1]) {
		warnx("%s: not the prices of both table classes", path);
		return (-1);
	}
	return (0);
}

/* ---- the Cost and Usage Report ---- */

/* Note a billing period of cur/. */
static int
take_period(const char *path, const struct projdir_entry *e, void *ctx)
{
	struct run *r = ctx;
	struct period *p;

	if (e == NULL || e->file != PROJDIR_CUR)
		return (0);
	if ((p = realloc(r->periods, (r->nperiods + 1) * sizeof(*p))) ==
	    NULL) {
		warn("%s", path);
		return (-1);
	}
	r->periods = p;
	snprintf(p[r->nperiods++].name, sizeof(p->name), "%s", e->date);
	return (0);
}

/* Order billing periods by name, which is by time. */
static int
cmp_period(const void *a, const void *b)
{

	return (strcmp(((const struct period *)a)->name,
	    ((const struct period *)b)->name));
}

/* Non-zero if ${name} is one of the billing periods read. */
static int
period_read(const struct run *r, const char *name)
{
	size_t i;

	for (i = r->first; i < r->nperiods; i++)
		if (strcmp(r->periods[i].name, name) == 0)
			return (1);
	return (0);
}

/* Non-zero if ${rec}'s ${key} is a string or null (or absent). */
static int
string_or_null(const json_t *rec, const char *key)
{
	const json_t *v = json_object_get(rec, key);

	return (v == NULL || json_is_null(v) || json_is_string(v));
}

/* The hours of the billing period ${name}, "YYYY-MM". */
static double
period_hours(const char *name)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int y, m;

	if (sscanf(name, "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12)
		return (COST_MONTH_HOURS);
	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return (29 * 24);
	return (days[m - 1] * 24);
}

/*
 * Add the reserved unit-hours of the cur_usage record ${rec} (account
 * ${a}, region ${g}, any table or none) to those of its account and
 * region, as unit-hours of a month of 730 hours: the units reserved in
 * the billing period being read, all month.
 */
static int
take_reserved(struct run *r, const char *a, const char *g, const json_t *rec)
{
	static const char *const f[2] = { "reserved_rcu_hours",
	    "reserved_wcu_hours" };
	char key[512];
	json_t *v;
	double h;
	int k;

	if (r->reserved == NULL && (r->reserved = json_object()) == NULL)
		return (-1);
	snprintf(key, sizeof(key), "%s/%s", a, g);
	if ((v = json_object_get(r->reserved, key)) == NULL &&
	    json_object_set_new(r->reserved, key, v = json_pack("[f, f]", 0.0,
	    0.0)))
		return (-1);
	for (k = 0; k < 2; k++) {
		h = json_number_value(json_object_get(rec, f[k]));
		if (h > 0)
			json_real_set(json_array_get(v, k), json_real_value(
			    json_array_get(v, k)) + h * COST_MONTH_HOURS /
			    period_hours(r->reading));
	}
	return (0);
}

static int
take_cur(json_t *rec, const struct ndjson_pos *pos, void *ctx)
{
	struct run *r = ctx;
	struct cur *c;
	const char *a, *g, *t;
	char key[512];
	json_t *v;
	int i;

	a = json_string_value(json_object_get(rec, "account"));
	g = json_string_value(json_object_get(rec, "region"));
	t = json_string_value(json_object_get(rec, "table"));
	if (strcmp(json_string_value(json_object_get(rec, "kind")),
	    "cur_usage") != 0) {
		ndjson_warnx(pos, "not a cur_usage record");
		return (-1);
	}
	if (!json_is_string(json_object_get(rec, "account")) ||
	    !string_or_null(rec, "region") || !string_or_null(rec, "table")) {
		ndjson_warnx(pos, "a cur_usage record needs a string "
		    "\"account\", and \"region\" and \"table\" strings or "
		    "null");
		return (-1);
	}
	if (a != NULL && g != NULL && take_reserved(r, a, g, rec)) {
		warnx("%s:%lu: out of memory", pos->file, pos->line);
		return (-1);
	}
	if (a == NULL || g == NULL || t == NULL)
		return (0);	/* no table: fees, reports without ids */
	snprintf(key, sizeof(key), "%s/%s/%s", a, g, t);
	if ((c = realloc(r->cur, (r->ncur + 1) * sizeof(*c))) == NULL) {
		warn("%s:%lu", pos->file, pos->line);
		return (-1);
	}
	r->cur = c;
	c = &r->cur[r->ncur];
	if ((c->key = strdup(key)) == NULL) {
		warn("%s:%lu", pos->file, pos->line);
		return (-1);
	}
	r->ncur++;
	for (i = 0; i < NCUR; i++) {
		v = json_object_get(rec, cur_fields[i]);
		c->v[i] = json_is_number(v) ? json_number_value(v) : NAN;
	}
	v = json_object_get(rec, "reserved");
	c->reserved = json_is_boolean(v) ? json_is_true(v) : -1;
	snprintf(c->period, sizeof(c->period), "%s", r->reading);
	c->periods = NULL;
	return (0);
}

/*
 * Make one record of each table's records of several billing periods
 * (sorted by key): each figure the average per period of those that give
 * it, reserved if any period was.  Return 0, or -1 out of memory.
 */
static int
cur_average(struct run *r)
{
	struct cur *a, *b;
	double n[NCUR];
	size_t i, j, k;
	int f;

	for (i = j = 0; i < r->ncur; i = k) {
		a = &r->cur[i];
		if ((a->periods = json_array()) == NULL ||
		    json_array_append_new(a->periods, json_string(a->period)))
			goto fail;
		for (f = 0; f < NCUR; f++) {
			n[f] = isnan(a->v[f]) ? 0 : 1;
			a->v[f] = isnan(a->v[f]) ? 0 : a->v[f];
		}
		for (k = i + 1; k < r->ncur && strcmp(r->cur[k].key, a->key) ==
		    0; k++) {
			b = &r->cur[k];
			for (f = 0; f < NCUR; f++)
				if (!isnan(b->v[f])) {
					a->v[f] += b->v[f];
					n[f]++;
				}
			if (b->reserved > a->reserved)
				a->reserved = b->reserved;
			if (json_array_append_new(a->periods,
			    json_string(b->period)))
				goto fail;
			free(b->key);
			b->key = NULL;
		}
		for (f = 0; f < NCUR; f++)
			a->v[f] = n[f] > 0 ? a->v[f] / n[f] : NAN;
		r->cur[j++] = *a;
	}
	r->ncur = j;
	return (0);
fail:
	/* What is not yet moved is lost: nothing is freed twice. */
	warnx("out of memory");
	json_decref(a->periods);
	r->ncur = j;
	return (-1);
}

static int
take_curfile(const char *path, const struct projdir_entry *e, void *ctx)
{
	struct run *r = ctx;
	char *files[] = { (char *)path, NULL };

	if (e == NULL || e->file != PROJDIR_CUR || !period_read(r, e->date))
		return (0);
	r->reading = e->date;
	return (ndjson_foreach(files, NDJSON_MAXLINE, take_cur, r));
}

/* Order the bill's records by table. */
static int
cmp_curkey(const void *a, const void *b)
{

	return (strcmp(((const struct cur *)a)->key,
	    ((const struct cur *)b)->key));
}

/* Order the bill's records by table, then billing period. */
static int
cmp_cur(const void *a, const void *b)
{
	const struct cur *x = a, *y = b;
	int c;

	if ((c = strcmp(x->key, y->key)) != 0)
		return (c);
	return (strcmp(x->period, y->period));
}

/* What the bill says of table ${name} of the account and region at hand,
 * or NULL. */
static const struct cur *
cur_of(const struct run *r, const char *name)
{
	struct cur k;
	char key[512];

	snprintf(key, sizeof(key), "%s/%s/%s", r->account, r->region, name);
	k.key = key;
	return (r->ncur > 0 ? bsearch(&k, r->cur, r->ncur, sizeof(*r->cur),
	    cmp_curkey) : NULL);
}

/* ${d} as JSON, null if NaN. */
static json_t *
number_or_null(double d)
{

	return (isnan(d) ? json_null() : json_real(d));
}

static const struct prices *
prices_of(const struct run *r, const char *region)
{
	size_t i;

	for (i = 0; i < r->nprices; i++)
		if (strcmp(r->prices[i].region, region) == 0)
			return (&r->prices[i]);
	return (NULL);
}

/* ---- the window ---- */

/* Note the first and the last day of metrics/ in ctx[0] and ctx[1]. */
static int
metric_days(const char *path, const struct projdir_entry *e, void *ctx)
{
	time_t *d = ctx, t;

	if (e != NULL && e->file == PROJDIR_METRICS &&
	    datetime_parse_date(&t, e->date) == 0) {
		if (d[0] == 0 || t < d[0])
			d[0] = t;
		if (t > d[1])
			d[1] = t;
	}
	return (0);
}

/* ---- tables ---- */

static int
cmp_tables(const void *a, const void *b)
{

	return (strcmp(((const struct table *)a)->name,
	    ((const struct table *)b)->name));
}

static double
size_of(const json_t *o)
{
	json_t *v = json_object_get(o, "size_bytes");

	return (json_is_number(v) && json_number_value(v) > 0 ?
	    json_number_value(v) : 0);
}

/* 1 if the options select ${table} of ${region}, 0 if not, -1 on error. */
static int
chosen(const struct run *r, const char *region, const char *table)
{

	if (r->o->regions != NULL && !cmdline_listed(r->o->regions, region))
		return (0);
	if (r->o->tables != NULL && !cmdline_listed(r->o->tables, table))
		return (0);
	return (r->re != NULL ? re2_match(r->re, table) : 1);
}

static int
take_table(json_t *rec, const struct ndjson_pos *pos, void *ctx)
{
	struct run *r = ctx;
	struct table *t;
	const char *name, *mode, *cls, *a, *g;
	json_t *idx;
	size_t i;
	int m;

	name = json_string_value(json_object_get(rec, "table"));
	mode = json_string_value(json_object_get(rec, "billing_mode"));
	cls = json_string_value(json_object_get(rec, "table_class"));
	if (strcmp(json_string_value(json_object_get(rec, "kind")), "table") ||
	    name == NULL || *name == '\0' || mode == NULL) {
		ndjson_warnx(pos, "not a table record with \"table\" and "
		    "\"billing_mode\"");
		return (-1);
	}
	a = json_string_value(json_object_get(rec, "account"));
	g = json_string_value(json_object_get(rec, "region"));
	if (a == NULL || g == NULL || strcmp(a, r->account) ||
	    strcmp(g, r->region)) {
		ndjson_warnx(pos, "a table record of account %s, region %s, in "
		    "the file of %s, %s", a != NULL ? a : "(not a string)",
		    g != NULL ? g : "(not a string)", r->account, r->region);
		return (-1);
	}
	/* The tables not selected count for the free tier they share. */
	if ((m = chosen(r, r->region, name)) < 0) {
		ndjson_warnx(pos, "table \"%s\": not matched", name);
		return (-1);
	}
	if ((t = realloc(r->t, (r->nt + 1) * sizeof(*t))) == NULL) {
		warn("%s:%lu", pos->file, pos->line);
		return (-1);
	}
	r->t = t;
	t = &r->t[r->nt++];
	memset(t, 0, sizeof(*t));
	t->rec = json_incref(rec);
	t->name = name;
	t->skip = !m;
	t->provisioned = strcmp(mode, "PAY_PER_REQUEST") != 0;
	t->ia = cls != NULL && strcmp(cls, classes[1]) == 0;
	t->global = json_array_size(json_object_get(rec, "replicas")) > 0;
	t->gb = size_of(rec) / GB;
	json_array_foreach(json_object_get(rec, "indexes"), i, idx) {
		t->gb += size_of(idx) / GB;
		t->nidx++;
	}
	/* What the bill says is stored beats the size DynamoDB reports
	 * (updated only every six hours or so). */
	if ((t->cur = cur_of(r, name)) != NULL && t->cur->v[C_GB] > 0)
		t->gb = t->cur->v[C_GB];
	/* Its life: from its creation, to the hour, if known. */
	idx = json_object_get(rec, "created_epoch");
	t->created = NAN;
	if (json_is_number(idx) && json_number_value(idx) >= 0 &&
	    json_number_value(idx) < 1e12) {
		t->created = json_number_value(idx);
		t->from_created = 1;
	}
	return (0);
}

/*
 * Set the part of the window ${t} is judged on: from ${start} (rounded
 * down to the hour; the window's start if earlier) to the window's end.
 * Its grid is empty if it starts after the window.
 */
static void
own_window(const struct run *r, struct table *t, time_t start)
{

	start -= start % 3600;
	if (start < r->start)
		start = r->start;
	if (start > r->end)
		start = r->end;
	t->start = start;
	t->off = (size_t)((start - r->start) / r->period);
	t->g.t0 = start;
	t->g.period = r->period;
	t->g.n = r->g.n - t->off;
}

/* The day of the first datapoint of the resource whose metrics are in
 * r->m (the window's start if it has none): where a table's life shows
 * when its creation is not known.  It stops at the first datapoint. */
static time_t
first_datapoint(const struct run *r)
{
	static const int ms[] = { SERIES_CONSUMED_READ, SERIES_CONSUMED_WRITE,
	    SERIES_PROVISIONED_READ, SERIES_PROVISIONED_WRITE };
	size_t i, first = r->g.n;
	time_t t;
	int k;

	for (k = 0; k < (int)(sizeof(ms) / sizeof(ms[0])); k++)
		for (i = 0; i < first; i++)
			if (!isnan(r->m[ms[k]][i])) {
				first = i;
				break;
			}
	if (first == r->g.n)
		return (r->start);
	t = r->start + (time_t)(first * (size_t)r->period);
	return (t - (t - r->start) % DAY);
}

static struct table *
table_find(struct run *r, const char *name)
{
	struct table key;

	key.name = name;
	return (bsearch(&key, r->t, r->nt, sizeof(*r->t), cmp_tables));
}

/* The record of ${index} of table ${t}, or NULL. */
static const json_t *
index_of(const struct table *t, const char *index)
{
	json_t *idx;
	size_t i;

	json_array_foreach(json_object_get(t->rec, "indexes"), i, idx)
		if (json_is_string(json_object_get(idx, "index")) &&
		    strcmp(json_string_value(json_object_get(idx, "index")),
		    index) == 0)
			return (idx);
	return (NULL);
}

/* ---- one resource ---- */

/* Add the judgement ${a} of dimension ${k} to scenario ${s} of ${u};
 * ${repl}: the writes are a global table's, replicated. */
static void
tally(struct usage *u, int s, int k, int repl, const struct autoscale_usage *a)
{

	u->unit_hours[s][k] += a->unit_hours;
	u->throttled_units[s] += a->throttled_units;
	u->throttled_minutes[s] += a->throttled_minutes;
	if (k == 1 && repl)
		u->repl_wcu_hours[s] += a->unit_hours;
}

/* Judge the capacity r->cap against the demand into scenario ${s} of
 * ${u}. */
static int
assess(struct run *r, struct usage *u, int s, int repl)
{
	struct autoscale_usage a;
	int k;

	for (k = 0; k < 2; k++) {
		if (autoscale_assess(&r->tg, r->cap[k],
		    r->w[SERIES_CONSUMED_READ + k], NULL, &a))
			return (-1);
		tally(u, s, k, repl, &a);
	}
	return (0);
}

/*
 * The growth of the demand of the resource at hand into ${u}: the average
 * and the peak units per second of its first and of its last days, as
 * many whole days each as fit twice in its own window, at most 7 (none
 * under 2 days).
 */
static void
growth(const struct run *r, struct usage *u)
{
	size_t perday = (size_t)(DAY / r->period), n = r->tg.n, w, i, j;
	const double *c;
	double sum, top;
	int k, h;

	w = n / perday / 2;
	if (w > 7)
		w = 7;
	u->growth_days = (int)w;
	if (w == 0)
		return;
	for (k = 0; k < 2; k++) {
		c = r->w[SERIES_CONSUMED_READ + k];
		for (h = 0; h < 2; h++) {
			sum = 0;
			top = 0;
			for (i = 0, j = h == 0 ? 0 : n - w * perday;
			    i < w * perday; i++, j++) {
				sum += c[j];
				top = c[j] > top ? c[j] : top;
			}
			u->growth[k][h] = sum / (double)(w * DAY);
			u->growth[k][2 + h] = top / r->period;
		}
	}
}

/* The first step of the grid of the resource at hand after clock hour
 * ${j} of it (the grid's n, at most): a division an hour, not a step. */
static size_t
hour_end(const struct run *r, size_t j)
{
	time_t b = (r->tg.t0 / 3600 + (time_t)j + 1) * 3600 - r->tg.t0;
	size_t e = (size_t)((b + r->tg.period - 1) / r->tg.period);

	return (e < r->tg.n ? e : r->tg.n);
}

/* Add to ${h} the highest capacity of ${cap} in each clock hour of the
 * grid of the resource at hand (what is billed). */
static void
hourly_cap(const struct run *r, const double *cap, double *h)
{
	size_t i, j, e;
	double m;

	for (i = 0, j = 0; i < r->tg.n; j++) {
		e = hour_end(r, j);
		for (m = cap[i++]; i < e; i++)
			if (cap[i] > m)
				m = cap[i];
		h[j] += m;
	}
}

/* Add to ${h} the units of ${c} in each clock hour of the resource at
 * hand. */
static void
hourly_sum(const struct run *r, const double *c, double *h)
{
	size_t i, j, e;
	double m;

	for (i = 0, j = 0; i < r->tg.n; j++) {
		e = hour_end(r, j);
		for (m = 0; i < e; i++)
			m += c[i];
		h[j] += m;
	}
}

/* The capacity of dimension ${k} of provisioned scenario ${s} in r->cap,
 * or ${v} every hour if ${cap} is NULL, into the hourly profiles. */
static void
hourly(struct run *r, int s, int k, int repl, const double *cap, double v)
{
	size_t i, n;

	if (r->usage == NULL)
		return;
	if (cap == NULL) {
		n = autoscale_hours(&r->tg);
		for (i = 0; i < n; i++) {
			r->hr[H_CAP(s, k)][i] += v;
			if (k == 1 && repl)
				r->hr[H_CAP(s, 2)][i] += v;
		}
		return;
	}
	hourly_cap(r, cap, r->hr[H_CAP(s, k)]);
	if (k == 1 && repl)
		hourly_cap(r, cap, r->hr[H_CAP(s, 2)]);
}

/* Simulate the resource whose metrics are in r->m: ${idx} of table ${t}
 * (NULL: the table itself), into ${u}. */
static int
resource(struct run *r, struct table *t, const json_t *idx, struct usage *u)
{
	const json_t *src = idx != NULL ? idx : t->rec;
	struct autoscale_opts ao, to;
	struct autoscale_policy tuned[2], lim[2];
	struct autoscale_stats st[2];
	struct autoscale_usage a, def[2], tun[2];
	double *c, v, peak[2], budget, bud[2];
	size_t i, n = r->tg.n;
	int k, fell = 0, joint, repl = idx == NULL && t->global;

	/* Sums in locals, which the arrays cannot alias: a register each,
	 * not a store per minute.  The peak rate is the peak's, for a
	 * division rounds in order. */
	for (k = 0; k < 2; k++) {
		struct dim *d = &u->d[k];
		const double *te = r->w[SERIES_THROTTLED_READ + k];
		double units = d->units, events = d->throttle_events;
		double top = -INFINITY;

		c = r->w[SERIES_CONSUMED_READ + k];
		for (i = 0; i < n; i++) {
			if (isnan(c[i]))
				c[i] = 0;
			units += c[i];
			top = c[i] > top ? c[i] : top;
			events += isnan(te[i]) ? 0 : te[i];
		}
		d->units = units;
		d->throttle_events = events;
		if (top / r->period > d->peak)
			d->peak = top / r->period;
		peak[k] = top;
		u->units[k] += d->units;
		if (k == 1 && repl)
			u->repl_units += d->units;
		if (r->usage != NULL) {
			hourly_sum(r, c, r->hr[H_UNITS(k)]);
			if (k == 1 && repl)
				hourly_sum(r, c, r->hr[H_UNITS(2)]);
		}
	}

	if (idx == NULL)
		growth(r, u);

	/* current: the capacity that was in effect. */
	if (t->provisioned) {
		for (k = 0; k < 2; k++) {
			autoscale_held(r->cap[k],
			    r->w[SERIES_PROVISIONED_READ + k], n,
			    json_number_value(json_object_get(src, k == 0 ?
			    "read_capacity" : "write_capacity")));
			v = u->d[k].provisioned;
			for (i = 0; i < n; i++)
				v += r->cap[k][i] * r->period;
			u->d[k].provisioned = v;
		}
		if (assess(r, u, S_CURRENT, repl))
			return (-1);
		for (k = 0; k < 2; k++)
			hourly(r, S_CURRENT, k, repl, r->cap[k], 0);
	}

	/* Auto scaling at the options' settings (S_DEFAULT), from the
	 * capacity at the start (or what the first demand calls for). */
	memset(&ao, 0, sizeof(ao));
	ao.delay = r->o->delay;
	for (k = 0; k < 2; k++) {
		struct autoscale_policy *p = k == 0 ? &ao.read : &ao.write;

		p->target = r->o->target;
		p->min = r->o->min_capacity;
		p->max = r->o->max_capacity;
		p->start = t->provisioned ? r->cap[k][0] : -1;
	}
	if (autoscale_run(&r->tg, &ao, r->w[SERIES_CONSUMED_READ],
	    r->w[SERIES_CONSUMED_WRITE], r->cap[0], r->cap[1], st))
		return (-1);
	for (k = 0; k < 2; k++)
		if (autoscale_assess(&r->tg, r->cap[k],
		    r->w[SERIES_CONSUMED_READ + k], NULL, &def[k]))
			return (-1);

	/* provisioned_autoscaled: each dimension's settings tuned within
	 * its share of the throttle budget (the table's and its indexes'
	 * dimensions share it evenly); the defaults where the tuned cost
	 * more or throttle beyond it. */
	budget = r->o->throttle_budget * (double)(r->end - t->start) / 3600 /
	    COST_MONTH_HOURS / (2 * (1 + t->nidx));
	lim[0] = ao.read;
	lim[1] = ao.write;
	bud[0] = bud[1] = budget;
	if (autoscale_tune(&r->tg, r->o->delay, r->w[SERIES_CONSUMED_READ],
	    r->w[SERIES_CONSUMED_WRITE], lim, bud, r->work, tuned, tun,
	    &joint) < 0)
		return (-1);
	to = ao;
	to.read = tuned[0];
	to.write = tuned[1];
	if (!joint && autoscale_run(&r->tg, &to, r->w[SERIES_CONSUMED_READ],
	    r->w[SERIES_CONSUMED_WRITE], r->cap[0], r->cap[1], st))
		return (-1);
	for (k = 0; k < 2 && !joint; k++)
		if (autoscale_assess(&r->tg, r->cap[k],
		    r->w[SERIES_CONSUMED_READ + k], NULL, &tun[k]))
			return (-1);
	for (k = 0; k < 2; k++) {
		const struct autoscale_policy *p = k == 0 ? &ao.read :
		    &ao.write;
		/* A global table's writes (its indexes' too) auto scale
		 * alike in every replica, and its recommendation gives the
		 * replicas one setting: the options' settings. */
		int worse = t->global ||
		    tun[k].unit_hours > def[k].unit_hours ||
		    (tun[k].throttled_minutes > budget &&
		    tun[k].throttled_minutes > def[k].throttled_minutes);

		u->tuned[k] = worse ? *p : tuned[k];
		fell += worse;
	}
	/* A dimension at the options' settings: both simulated again, for
	 * they share their decreases. */
	if (fell > 0) {
		to.read = u->tuned[0];
		to.write = u->tuned[1];
		if (autoscale_run(&r->tg, &to, r->w[SERIES_CONSUMED_READ],
		    r->w[SERIES_CONSUMED_WRITE], r->cap[0], r->cap[1], st))
			return (-1);
		for (k = 0; k < 2; k++)
			if (autoscale_assess(&r->tg, r->cap[k],
			    r->w[SERIES_CONSUMED_READ + k], NULL, &tun[k]))
				return (-1);
	}
	for (k = 0; k < 2; k++) {
		tally(u, S_AUTOSCALED, k, repl, &tun[k]);
		tally(u, S_DEFAULT, k, repl, &def[k]);
		/* The tuned run's capacities: autoscale_tune's own when its
		 * last run was theirs together. */
		hourly(r, S_AUTOSCALED, k, repl, joint && !fell ? r->work +
		    (size_t)k * n : r->cap[k], 0);
	}

	/* provisioned_fixed: the peak at 80 %.  A capacity that serves the
	 * peak throttles nothing and bills every hour alike. */
	for (k = 0; k < 2; k++) {
		v = autoscale_fixed(&r->tg, peak[k], AUTOSCALE_FIXED_UTIL);
		u->fixed[k] += v;
		if (peak[k] <= v * r->period) {
			memset(&a, 0, sizeof(a));
			a.unit_hours = v * (double)autoscale_hours(&r->tg);
		} else {
			for (i = 0; i < n; i++)
				r->cap[k][i] = v;
			if (autoscale_assess(&r->tg, r->cap[k],
			    r->w[SERIES_CONSUMED_READ + k], NULL, &a))
				return (-1);
		}
		tally(u, S_FIXED, k, repl, &a);
		hourly(r, S_FIXED, k, repl, NULL, v);
	}
	return (0);
}

/* ---- the records kept (keep) ---- */

/* Order account, region and table ${a} and ${b} as a full run writes
 * them: by the tables/ file (account=A/region=R.ndjson), then by name. */
static int
cmp_place(char *const *a, char *const *b)
{
	char fa[256], fb[256];
	int c;

	if ((c = strcmp(a[0], b[0])) != 0)
		return (c);
	snprintf(fa, sizeof(fa), "%s.ndjson", a[1]);
	snprintf(fb, sizeof(fb), "%s.ndjson", b[1]);
	if ((c = strcmp(fa, fb)) != 0)
		return (c);
	return (strcmp(a[2], b[2]));
}

/* Read the next line of the old scenarios and its key.  Return 0, or -1
 * on error (reported). */
static int
old_next(struct run *r)
{
	static const char *const f[3] = { "account", "region", "table" };
	json_t *rec;
	int i, rc;

	for (i = 0; i < 3; i++) {
		free(r->okey[i]);
		r->okey[i] = NULL;
	}
	r->ohave = 0;
	if ((rc = ndjson_reader_line(r->old, &r->oline, &r->olen)) <= 0)
		return (rc);
	if ((rec = json_loadb(r->oline, r->olen, 0, NULL)) == NULL) {
		ndjson_warnx(ndjson_reader_pos(r->old), "not JSON");
		return (-1);
	}
	for (i = 0; i < 3; i++) {
		const char *v = json_string_value(json_object_get(rec, f[i]));

		if (v == NULL || (r->okey[i] = strdup(v)) == NULL) {
			if (v == NULL)
				ndjson_warnx(ndjson_reader_pos(r->old), "a "
				    "record without \"%s\"", f[i]);
			else
				warn("simulate");
			json_decref(rec);
			return (-1);
		}
	}
	json_decref(rec);
	r->ohave = 1;
	return (0);
}

/*
 * Copy to the output the old lines up to the place of ${table} of
 * ${account} and ${region} (NULL: all that are left), but for those of
 * tables the options select: they are simulated again.  Return 0, or -1
 * on error (reported).
 */
static int
old_flush(struct run *r, const char *account, const char *region,
    const char *table)
{
	char *key[3] = { (char *)account, (char *)region, (char *)table };
	int m;

	while (r->ohave && (account == NULL || cmp_place(r->okey, key) <= 0)) {
		if ((m = chosen(r, r->okey[1], r->okey[2])) < 0) {
			ndjson_warnx(ndjson_reader_pos(r->old), "table "
			    "\"%s\": not matched", r->okey[2]);
			return (-1);
		}
		if (m == 0) {
			if (fwrite(r->oline, 1, r->olen, r->out) != r->olen ||
			    putc('\n', r->out) == EOF) {
				warn("scenario records");
				return (-1);
			}
			r->kept++;
		}
		if (old_next(r))
			return (-1);
	}
	return (0);
}

/*
 * Open the project's scenarios.ndjson, if there is one, to keep the
 * records of the tables not selected: the new records' partial_run is one
 * more than the highest in it.  Return 0, or -1 on error (reported).
 */
static int
old_open(struct run *r)
{
	static const char tag[] = "\"partial_run\":";
	const char *line;
	char *path, num[24];
	size_t len, i, n;
	long v, top = 0;
	int rc = -1;

	if ((path = projdir_path(r->pd, PROJDIR_SCENARIOS, NULL, NULL,
	    NULL)) == NULL)
		return (-1);
	if (access(path, F_OK) != 0) {
		free(path);
		return (0);
	}
	if ((r->old = ndjson_reader_open(path, NDJSON_MAXLINE)) == NULL)
		goto out;
	/* The highest partial_run, from the text: no JSON parsed twice. */
	while ((rc = ndjson_reader_line(r->old, &line, &len)) == 1) {
		for (i = 0; i + sizeof(tag) - 1 < len; i++) {
			if (memcmp(line + i, tag, sizeof(tag) - 1) != 0)
				continue;
			i += sizeof(tag) - 1;
			for (n = 0; n < sizeof(num) - 1 && i + n < len &&
			    line[i + n] >= '0' && line[i + n] <= '9'; n++)
				num[n] = line[i + n];
			num[n] = '\0';
			if ((v = strtol(num, NULL, 10)) > top)
				top = v;
			break;
		}
	}
	ndjson_reader_close(r->old);
	r->old = NULL;
	if (rc < 0 || top >= 1000000000L)
		goto out;
	r->partial = top + 1;
	if ((r->old = ndjson_reader_open(path, NDJSON_MAXLINE)) == NULL ||
	    old_next(r))
		goto out;
	rc = 0;
out:
	if (rc != 0)
		warnx("%s: cannot keep its records", path);
	free(path);
	return (rc);
}

/* ---- records ---- */

/* ${window_usd}, a figure of ${t}'s own part of the window, per month. */
static double
monthly(const struct run *r, const struct table *t, double window_usd)
{

	return (cost_monthly(window_usd, (double)(r->end - t->start) / 3600));
}

/* What a table's ${mine} adds to the billable total of its account and
 * region when the others use ${others} and ${free} of the total is free. */
static double
billable(double mine, double others, double free)
{

	return (fmax(0, others + mine - free) - fmax(0, others - free));
}

/* The evidence of ${u}, a resource of ${t}: averages, peaks, throttle
 * events, and utilization if ${provisioned}. */
static json_t *
evidence(const struct run *r, const struct table *t, const struct usage *u,
    int provisioned)
{
	double secs = (double)(r->end - t->start), avg[2], ratio = 0;
	json_t *e, *d;
	int k;

	if ((e = json_object()) == NULL)
		return (NULL);
	for (k = 0; k < 2; k++) {
		avg[k] = u->d[k].units / secs;
		if (avg[k] > 0 && u->d[k].peak / avg[k] > ratio)
			ratio = u->d[k].peak / avg[k];
		d = json_pack("{s:f, s:f, s:f}", "avg_units_per_s", avg[k],
		    "peak_units_per_s", u->d[k].peak, "throttle_events",
		    u->d[k].throttle_events);
		if (d != NULL && provisioned) {
			json_object_set_new(d, "provisioned_avg", json_real(
			    u->d[k].provisioned / secs));
			json_object_set_new(d, "utilization_pct", json_real(
			    u->d[k].provisioned > 0 ? 100 * u->d[k].units /
			    u->d[k].provisioned : 0));
		}
		json_object_set_new(e, k == 0 ? "read" : "write", d);
	}
	json_object_set_new(e, "peak_to_average", json_real(ratio));
	return (e);
}

/* The growth of ${u} as evidence: its days, and for read and for write
 * the average and peak units per second of the first and last days. */
static json_t *
growth_evidence(const struct usage *u)
{
	json_t *e;
	int k;

	if ((e = json_pack("{s:i}", "days", u->growth_days)) == NULL)
		return (NULL);
	for (k = 0; k < 2; k++)
		json_object_set_new(e, k == 0 ? "read" : "write", json_pack(
		    "{s:f, s:f, s:f, s:f}", "first_avg_units_per_s",
		    u->growth[k][0], "last_avg_units_per_s", u->growth[k][1],
		    "first_peak_units_per_s", u->growth[k][2],
		    "last_peak_units_per_s", u->growth[k][3]));
	return (e);
}

/* The fraction of ${t}'s own days that have its series. */
static double
coverage(const struct run *r, const struct table *t)
{
	time_t days = (r->end - t->start + DAY - 1) / DAY;

	return (days > 0 ? fmin(1, (double)t->covered / (double)days) : 0);
}

/*
 * Add to the scenario record ${rec} of ${t} what its window was: the days
 * asked for (when the data had fewer), and the days it is judged on, from
 * when and why, when fewer than the window's.
 */
static void
window_fields(const struct run *r, const struct table *t, json_t *rec)
{
	char when[DATETIME_LEN];

	if (r->days < r->o->days)
		json_object_set_new(rec, "days_asked",
		    json_integer(r->o->days));
	if (t->start > r->start) {
		json_object_set_new(rec, "observed_days", json_real(
		    (double)(r->end - t->start) / DAY));
		json_object_set_new(rec, "observed_start", json_string(
		    datetime_format(when, t->start)));
		json_object_set_new(rec, "observed_from", json_string(
		    t->from != NULL ? t->from : "window"));
	}
}

/* A scenario record with the fields every one has. */
static json_t *
scenario(const struct run *r, const struct table *t, const json_t *idx,
    int s, int c, int provisioned, double read, double write, double storage,
    const struct usage *u)
{
	const json_t *src = idx != NULL ? idx : t->rec;
	const char *index = json_string_value(json_object_get(idx, "index"));
	json_t *rec, *cap;
	int p = s < NPROV ? s : -1;

	if (s == S_FIXED)
		cap = json_pack("{s:f, s:f}", "read", u->fixed[0], "write",
		    u->fixed[1]);
	else if (s == S_AUTOSCALED)
		cap = json_pack("{s:{s:f, s:f, s:f}, s:{s:f, s:f, s:f}}",
		    "read", "min", u->tuned[0].min, "max", u->tuned[0].max,
		    "target", round(u->tuned[0].target * 100), "write", "min",
		    u->tuned[1].min, "max", u->tuned[1].max, "target",
		    round(u->tuned[1].target * 100));
	else if (s == S_DEFAULT)
		cap = json_pack("{s:f, s:f, s:f}", "min", r->o->min_capacity,
		    "max", r->o->max_capacity, "target", r->o->target * 100);
	else if (s == S_CURRENT && provisioned)
		cap = json_pack("{s:O?, s:O?, s:O?}", "read",
		    json_object_get(src, "read_capacity"), "write",
		    json_object_get(src, "write_capacity"), "autoscaling",
		    json_object_get(src, "autoscaling"));
	else
		cap = json_null();
	rec = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s, s:s, s:s, s:f, "
	    "s:{s:f, s:f, s:f}, s:o, s:{s:f, s:f}, s:f, s:f, s:f, s:i, "
	    "s:i, s:b}",
	    "kind", "scenario", "account", r->account, "region", r->region,
	    "table", t->name, "index", index, "scenario", scen_names[s],
	    "table_class", classes[c], "billing_mode", provisioned ?
	    "PROVISIONED" : "PAY_PER_REQUEST", "monthly_usd",
	    read + write + storage, "breakdown", "read_usd", read, "write_usd",
	    write, "storage_usd", storage, "capacity", cap,
	    "usage", provisioned ? "rcu_hours" : "read_request_units",
	    monthly(r, t, provisioned ? u->unit_hours[p][0] : u->units[0]),
	    provisioned ? "wcu_hours" : "write_request_units",
	    monthly(r, t, provisioned ? u->unit_hours[p][1] : u->units[1]),
	    "throttled_request_units", p >= 0 ? monthly(r, t,
	    u->throttled_units[p]) : 0.0, "throttled_minutes", p >= 0 ?
	    monthly(r, t, u->throttled_minutes[p]) : 0.0, "coverage",
	    coverage(r, t), "period", r->period, "days", r->days,
	    "approximate", r->period > 60);
	if (rec != NULL)
		window_fields(r, t, rec);
	if (rec != NULL && r->partial > 0)
		json_object_set_new(rec, "partial_run",
		    json_integer(r->partial));
	if (rec != NULL && s == S_CURRENT)
		json_object_set_new(rec, "evidence", evidence(r, t, u,
		    t->provisioned));
	if (rec != NULL && s == S_CURRENT && idx == NULL &&
	    u->growth_days > 0)
		json_object_set_new(json_object_get(rec, "evidence"), "growth",
		    growth_evidence(u));
	if (rec != NULL && s == S_CURRENT && idx == NULL &&
	    json_is_number(json_object_get(t->rec,
	    "table_class_updated_epoch")))
		json_object_set(rec, "table_class_updated_epoch",
		    json_object_get(t->rec, "table_class_updated_epoch"));
	/* A global table's replicas: optima-rank decides them together. */
	if (rec != NULL && s == S_CURRENT && idx == NULL && t->global)
		json_object_set(rec, "replicas", json_object_get(t->rec,
		    "replicas"));
	if (rec != NULL && s == S_CURRENT)
		json_object_set_new(rec, "current_table_class",
		    json_string(classes[t->ia]));
	if (rec != NULL && s == S_CURRENT && idx == NULL && t->cur != NULL)
		json_object_set_new(rec, "cur", json_pack("{s:s, s:O, s:o, "
		    "s:o, s:o, s:o, s:o, s:o, s:o}", "billing_period",
		    json_string_value(json_array_get(t->cur->periods,
		    json_array_size(t->cur->periods) - 1)), "billing_periods",
		    t->cur->periods,
		    "net_usd", number_or_null(t->cur->v[C_NET]),
		    "storage_gb_month", number_or_null(t->cur->v[C_GB]),
		    "storage_usd", number_or_null(t->cur->v[C_STORAGE]),
		    "throughput_usd", number_or_null(t->cur->v[C_THROUGHPUT]),
		    "reserved", t->cur->reserved < 0 ? json_null() :
		    json_boolean(t->cur->reserved), "reserved_rcu_hours",
		    number_or_null(t->cur->v[C_RRCU]), "reserved_wcu_hours",
		    number_or_null(t->cur->v[C_RWCU])));
	return (rec);
}

/* Say on the scenario record ${rec} what it draws on the pools of its
 * account and region a month (${use}: RCU-hours, WCU-hours, GB) and what
 * that costs in its monthly_usd, ${usd}. */
static int
pool_use(json_t *rec, const double use[3], double usd)
{

	return (json_object_set_new(rec, "pool_use", json_pack("{s:f, s:f, "
	    "s:f, s:f}", "rcu_hours", use[0], "wcu_hours", use[1],
	    "storage_gb", use[2], "usd", usd)));
}

/*
 * Put in the provisioned_autoscaled record ${rec} (tuned) what auto
 * scaling at the options' settings would be, from their record ${def}:
 * its settings, monthly cost and throttling ("default"); take ${def}.
 */
static int
with_default(json_t *rec, json_t *def)
{
	int rc;

	rc = json_object_set_new(rec, "default", json_pack("{s:O, s:O, s:O, "
	    "s:O, s:O}", "capacity", json_object_get(def, "capacity"),
	    "monthly_usd", json_object_get(def, "monthly_usd"), "usage",
	    json_object_get(def, "usage"), "throttled_request_units",
	    json_object_get(def, "throttled_request_units"),
	    "throttled_minutes", json_object_get(def, "throttled_minutes")));
	json_decref(def);
	return (rc);
}

/* The scenario records of the index ${idx} of ${t}: its own costs, as
 * if no free tier applied (the table's records carry it). */
static int
index_records(struct run *r, struct table *t, const struct usage *u,
    const json_t *idx)
{
	const struct prices *pr = prices_of(r, r->region);
	const struct cost_prices *p;
	double gb = size_of(idx) / GB, rd, wr, use[3];
	json_t *rec, *def = NULL;
	int c, s, i;

	for (c = 0; c < 2; c++) {
		p = &pr->p[c];
		/* The defaults first, for provisioned_autoscaled. */
		for (i = 0; i < NSCEN; i++) {
			s = i == 0 ? S_DEFAULT : i <= S_DEFAULT ? i - 1 : i;
			int prov = s == S_CURRENT ? t->provisioned :
			    s != S_ON_DEMAND;

			if (prov) {
				rd = monthly(r, t, u->unit_hours[s][0] *
				    p->rcu_hour);
				wr = monthly(r, t, u->unit_hours[s][1] *
				    p->wcu_hour);
			} else {
				rd = monthly(r, t, u->units[0] *
				    p->read_request_unit);
				wr = monthly(r, t, u->units[1] *
				    p->write_request_unit);
			}
			use[0] = c == 0 && prov ? monthly(r, t,
			    u->unit_hours[s][0]) : 0;
			use[1] = c == 0 && prov ? monthly(r, t,
			    u->unit_hours[s][1]) : 0;
			use[2] = c == 0 ? gb : 0;
			rec = scenario(r, t, idx, s, c, prov, rd, wr,
			    gb * p->storage_gb_month, u);
			if (s == S_DEFAULT) {
				def = rec;
				continue;
			}
			if (s == S_AUTOSCALED && rec != NULL &&
			    with_default(rec, def))
				rec = NULL;
			if (rec == NULL || pool_use(rec, use, use[0] *
			    p->rcu_hour + use[1] * p->wcu_hour + use[2] *
			    p->storage_gb_month) ||
			    json_array_append(t->index_recs, rec)) {
				json_decref(rec);
				warnx("out of memory");
				return (-1);
			}
			json_decref(rec);
		}
	}
	return (0);
}

/* The reserved capacity of the account and region at hand, in unit-hours
 * of a 730-hour month, averaged over the billing periods read: ${h}. */
static void
reserved_hours(const struct run *r, double h[2])
{
	char key[512];
	const json_t *v;
	size_t n = r->nperiods - r->first;
	int k;

	snprintf(key, sizeof(key), "%s/%s", r->account, r->region);
	v = json_object_get(r->reserved, key);
	for (k = 0; k < 2; k++)
		h[k] = n > 0 ? json_number_value(json_array_get(v, k)) /
		    (double)n : 0;
}

/*
 * The pools of the account and region at hand, for its tables' current
 * records: the free tier and the reserved capacity (unit-hours, GB a
 * month), what its tables draw on them now (${tot}, ${tot_gb}) and the
 * Standard prices of what draws on them.
 */
static json_t *
pools(const struct run *r, const struct prices *pr, const double tot[2],
    double tot_gb)
{
	const struct cost_prices *p = &pr->p[0];
	double res[2];

	reserved_hours(r, res);
	return (json_pack("{s:{s:f, s:f, s:f}, s:{s:f, s:f}, s:{s:f, s:f, "
	    "s:f}, s:{s:f, s:f, s:f}}",
	    "free", "rcu_hours", pr->free_hours[0], "wcu_hours",
	    pr->free_hours[1], "storage_gb", pr->free_gb,
	    "reserved", "rcu_hours", res[0], "wcu_hours", res[1],
	    "used", "rcu_hours", tot[0], "wcu_hours", tot[1], "storage_gb",
	    tot_gb,
	    "prices", "rcu_hour", p->rcu_hour, "wcu_hour", p->wcu_hour,
	    "storage_gb_month", p->storage_gb_month));
}

/* The monthly Standard unit-hours the provisioned ${t} draws on the free
 * tier now: ${k} 0 read, 1 write (replicated writes are not in it). */
static double
drawn(const struct run *r, const struct table *t, int s, int k)
{

	return (monthly(r, t, t->u.unit_hours[s][k] - (k == 1 ?
	    t->u.repl_wcu_hours[s] : 0)));
}

/* Say on the current record ${rec} of ${t} its size and items, as
 * DescribeTable has them, and what an on-demand backup of it would cost a
 * month at the price list's price (its own size, local indexes within:
 * a backup holds no global index's items). */
static int
size_fields(json_t *rec, const struct table *t, const struct prices *pr)
{
	const json_t *n = json_object_get(t->rec, "item_count");
	double gb = size_of(t->rec) / GB;

	if (json_object_set_new(rec, "size_bytes", json_real(size_of(t->rec))) ||
	    (json_is_number(n) && json_object_set(rec, "item_count",
	    (json_t *)n)))
		return (-1);
	if (pr->backup < 0)
		return (0);
	return (json_object_set_new(rec, "backup", json_pack("{s:f, s:f, s:f}",
	    "size_gb", gb, "price_gb_month", pr->backup, "monthly_usd",
	    gb * pr->backup)));
}

/*
 * Write the records of the account and region at hand.  The free tier is
 * a pool per month (the price list's 0 to 18,600 unit-hour range: 25
 * units for the 744 hours of the longest month), shared by the tables
 * that are provisioned and Standard: a table's cost is what it adds to
 * the billable total of its account and region, the other tables as
 * they are now.  Each table record says what it draws on the pools, and
 * the current ones what the pools are (for optima-rank's joint figures).
 */
static int
emit(struct run *r)
{
	const struct prices *pr = prices_of(r, r->region);
	const struct cost_prices *p;
	struct table *t;
	double tot[2] = { 0, 0 }, tot_gb = 0, oth[2], oth_gb, mine[2];
	double rd, wr, st, use[3], pusd;
	json_t *rec, *x, *def = NULL;
	size_t i, j;
	int c, s, k, o;

	/* Monthly unit-hours, and GB, of the free tier's users now. */
	for (i = 0; i < r->nt; i++) {
		t = &r->t[i];
		if (t->seen == 0 || t->ia)
			continue;
		tot_gb += t->gb;
		if (t->provisioned)
			for (k = 0; k < 2; k++)
				tot[k] += drawn(r, t, S_CURRENT, k);
	}
	for (i = 0; i < r->nt; i++) {
		t = &r->t[i];
		if (t->seen == 0 || t->skip)
			continue;
		if (r->old != NULL && old_flush(r, r->account, r->region,
		    t->name))
			return (-1);
		oth_gb = tot_gb - (t->ia ? 0 : t->gb);
		for (k = 0; k < 2; k++)
			oth[k] = tot[k] - (!t->ia && t->provisioned ?
			    drawn(r, t, S_CURRENT, k) : 0);
		for (c = 0; c < 2; c++) {
			p = &pr->p[c];
			st = (c == 0 ? billable(t->gb, oth_gb, pr->free_gb) :
			    t->gb) * p->storage_gb_month;
			/* The defaults first, for provisioned_autoscaled. */
			for (o = 0; o < NSCEN; o++) {
				int prov;

				s = o == 0 ? S_DEFAULT : o <= S_DEFAULT ?
				    o - 1 : o;
				prov = s == S_CURRENT ? t->provisioned :
				    s != S_ON_DEMAND;
				use[0] = use[1] = 0;
				use[2] = c == 0 ? t->gb : 0;
				pusd = c == 0 ? st : 0;
				if (prov) {
					for (k = 0; k < 2; k++)
						mine[k] = drawn(r, t, s, k);
					for (k = 0; k < 2 && c == 0; k++) {
						use[k] = mine[k];
						mine[k] = billable(mine[k],
						    oth[k], pr->free_hours[k]);
					}
					rd = mine[0] * p->rcu_hour;
					wr = mine[1] * p->wcu_hour +
					    monthly(r, t,
					    t->u.repl_wcu_hours[s]) *
					    p->replicated_wcu_hour;
					if (c == 0)
						pusd += rd + mine[1] *
						    p->wcu_hour;
				} else {
					rd = monthly(r, t, t->u.units[0]) *
					    p->read_request_unit;
					wr = monthly(r, t, t->u.units[1] -
					    t->u.repl_units) *
					    p->write_request_unit +
					    monthly(r, t, t->u.repl_units) *
					    p->replicated_write_request_unit;
				}
				rec = scenario(r, t, NULL, s, c, prov, rd, wr,
				    st, &t->u);
				if (s == S_DEFAULT) {
					def = rec;
					continue;
				}
				if (s == S_AUTOSCALED && rec != NULL &&
				    with_default(rec, def))
					rec = NULL;
				if (rec == NULL || pool_use(rec, use, pusd) ||
				    (s == S_CURRENT && (json_object_set_new(rec,
				    "pools", pools(r, pr, tot, tot_gb)) ||
				    size_fields(rec, t, pr))) ||
				    ndjson_write(r->out, rec)) {
					json_decref(rec);
					warn("scenario records");
					return (-1);
				}
				json_decref(rec);
				r->records++;
			}
		}
		json_array_foreach(t->index_recs, j, x) {
			if (ndjson_write(r->out, x)) {
				warn("scenario records");
				return (-1);
			}
			r->records++;
		}
		r->tables++;
		r->indexes += (size_t)t->nidx;
	}
	return (0);
}

/* ---- the hourly profiles (usage/) ---- */

/* The ${n} hourly values of ${h}, rounded to whole units: one number if
 * they are all the same, else an array. */
static json_t *
profile(const double *h, size_t n)
{
	json_t *a;
	size_t i;

	for (i = 1; i < n && llround(h[i]) == llround(h[0]); i++)
		;
	if (i >= n)
		return (json_integer(n > 0 ? llround(h[0]) : 0));
	if ((a = json_array()) == NULL)
		return (NULL);
	for (i = 0; i < n; i++)
		if (json_array_append_new(a, json_integer(llround(h[i])))) {
			json_decref(a);
			return (NULL);
		}
	return (a);
}

/* Write the usage record of the table whose hourly profiles are at hand
 * (r->ht), if it was seen, and clear them. */
static int
usage_flush(struct run *r)
{
	static const int scen[3] = { S_CURRENT, S_AUTOSCALED, S_FIXED };
	struct table *t = r->ht;
	json_t *rec, *o;
	size_t n, i;
	int s, k, rc = 0;

	r->ht = NULL;
	if (t == NULL || r->usage == NULL)
		return (0);
	n = autoscale_hours(&t->g);
	if (t->seen > 0 && n > 0) {
		rec = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:b, s:o, s:o}",
		    "kind", "usage", "account", r->account, "region",
		    r->region, "table", t->name, "start",
		    (json_int_t)(t->g.t0 / 3600 * 3600), "hours",
		    (json_int_t)n, "global", t->global,
		    "read_request_units", profile(r->hr[H_UNITS(0)], n),
		    "write_request_units", profile(r->hr[H_UNITS(1)], n));
		if (rec != NULL && t->global && json_object_set_new(rec,
		    "replicated_write_request_units",
		    profile(r->hr[H_UNITS(2)], n)))
			rc = -1;
		for (i = 0; rec != NULL && rc == 0 && i < 3; i++) {
			s = scen[i];
			if (s == S_CURRENT && !t->provisioned)
				continue;
			o = json_pack("{s:o, s:o}", "rcu",
			    profile(r->hr[H_CAP(s, 0)], n), "wcu",
			    profile(r->hr[H_CAP(s, 1)], n));
			if (o != NULL && t->global && json_object_set_new(o,
			    "replicated_wcu", profile(r->hr[H_CAP(s, 2)], n)))
				rc = -1;
			if (o == NULL || json_object_set_new(rec,
			    scen_names[s], o))
				rc = -1;
		}
		if (rec == NULL || rc != 0 ||
		    ndjson_write(atomicio_fp(r->usage), rec)) {
			warn("usage records");
			rc = -1;
		}
		json_decref(rec);
	}
	for (k = 0; k < NHR; k++)
		memset(r->hr[k], 0, n * sizeof(double));
	return (rc);
}

/* ---- reading an account and region ---- */

static int
cmp_key(const struct series *a, const struct series *b)
{
	int c;

	if ((c = strcmp(a->table, b->table)) != 0)
		return (c);
	if (a->index == NULL || b->index == NULL)
		return ((a->index != NULL) - (b->index != NULL));
	return (strcmp(a->index, b->index));
}

/* Lay the values of ${s} on the grid at ${slot}, summed (or, for
 * provisioned capacity, the highest) over the periods of the grid. */
static void
lay(struct run *r, const struct series *s, size_t slot)
{
	double *m = r->m[s->metric], v;
	size_t i, j, k = (size_t)(r->period / s->period), n = s->n / k;
	int prov = s->metric == SERIES_PROVISIONED_READ ||
	    s->metric == SERIES_PROVISIONED_WRITE;

	if (k == 1) {
		memcpy(m + slot, s->values, n * sizeof(*m));
		return;
	}
	for (i = 0; i < n; i++) {
		double acc = NAN;

		for (j = 0; j < k; j++) {
			v = s->values[i * k + j];
			if (isnan(v))
				continue;
			acc = isnan(acc) ? v : prov ? fmax(acc, v) : acc + v;
		}
		m[slot + i] = acc;
	}
}

static int
advance(struct day *d)
{
	int rc = series_next(d->r, &d->s);

	d->have = rc == 1;
	return (rc < 0 ? -1 : 0);
}

/* Read the day files ${days} (n) of the account and region in step, one
 * resource at a time. */
static int
merge(struct run *r, struct day *days, size_t n)
{
	const struct series *key;
	struct table *t;
	const json_t *idx = NULL;
	struct usage ux, *u;
	size_t i, k;
	char *tname = NULL, *iname = NULL;
	/* The days of the grid each metric has values for (laid[m][day]):
	 * the rest are missing (NaN), and filling only those saves writing
	 * the whole grid twice. */
	size_t perday = (size_t)(DAY / r->period), nd = r->g.n / perday;
	unsigned char *laid, *dayseen;
	time_t from;
	int rc = -1, m, any;

	if ((laid = malloc((SERIES_NMETRICS + 1) * nd + 1)) == NULL) {
		warn("simulate");
		return (-1);
	}
	dayseen = laid + SERIES_NMETRICS * nd;	/* days with a series */

	for (;;) {
		key = NULL;
		for (i = 0; i < n; i++)
			if (days[i].have && (key == NULL ||
			    cmp_key(&days[i].s, key) < 0))
				key = &days[i].s;
		if (key == NULL)
			break;
		free(tname);
		free(iname);
		tname = strdup(key->table);
		iname = key->index ? strdup(key->index) : NULL;
		if (tname == NULL || (key->index != NULL && iname == NULL)) {
			warn("simulate");
			goto out;
		}
		memset(laid, 0, (SERIES_NMETRICS + 1) * nd);
		any = 0;
		for (i = 0; i < n; i++) {
			struct series cur = { .table = tname, .index = iname };
			int seen = 0;

			while (days[i].have && cmp_key(&days[i].s, &cur) == 0) {
				struct series *s = &days[i].s;

				if (strcmp(s->account, r->account) ||
				    strcmp(s->region, r->region)) {
					ndjson_warnx(series_pos(days[i].r),
					    "a series of account %s, region "
					    "%s, in the file of %s, %s",
					    s->account, s->region, r->account,
					    r->region);
					goto out;
				}
				if (s->start != r->start + (time_t)(days[i].slot *
				    (size_t)r->period) || r->period % s->period) {
					ndjson_warnx(series_pos(days[i].r),
					    "a series of another day, or of "
					    "a period (%d s) that does not "
					    "divide the window's (%d s)",
					    s->period, r->period);
					goto out;
				}
				if (s->metric >= 0) {
					lay(r, s, days[i].slot);
					laid[s->metric * nd + days[i].slot /
					    perday] = 1;
				}
				seen = 1;
				if (advance(&days[i]))
					goto out;
				if (days[i].have && cmp_key(&days[i].s, &cur) <
				    0) {
					ndjson_warnx(series_pos(days[i].r),
					    "series out of order (by table, "
					    "then index)");
					goto out;
				}
			}
			any += seen;
			if (seen)
				laid[SERIES_NMETRICS * nd + days[i].slot /
				    perday] = 1;
		}
		for (m = 0; m < SERIES_NMETRICS; m++)
			for (i = 0; i < nd; i++)
				if (!laid[m * nd + i])
					for (k = i * perday; k < (i + 1) *
					    perday; k++)
						r->m[m][k] = NAN;
		/* Series of a table or index the table records lack (deleted
		 * since, or filtered out) are passed over. */
		if ((t = table_find(r, tname)) == NULL || (iname != NULL &&
		    (idx = index_of(t, iname)) == NULL))
			continue;
		if (iname == NULL) {
			/* The table's life, where its creation is unknown,
			 * shows in its own datapoints; its indexes share it.
			 * Days before its first series are missing, not
			 * idle. */
			from = t->from_created ? (time_t)t->created :
			    first_datapoint(r);
			t->from = t->from_created ? "created" :
			    "first_datapoint";
			for (i = 0; i < nd && !dayseen[i]; i++)
				;
			if (r->start + (time_t)i * DAY > from) {
				from = r->start + (time_t)i * DAY;
				t->from = "first_series";
			}
			own_window(r, t, from);
			if (t->g.n == 0)
				continue;	/* created after the window */
			t->seen = any;
			t->covered = 0;
			for (i = t->off / perday; i < nd; i++)
				t->covered += dayseen[i];
			u = &t->u;
		} else {
			if (t->g.n == 0)
				continue;
			memset(&ux, 0, sizeof(ux));
			u = &ux;
		}
		if (r->ht != t && usage_flush(r))
			goto out;
		r->ht = t;
		r->tg = t->g;
		for (m = 0; m < SERIES_NMETRICS; m++)
			r->w[m] = r->m[m] + t->off;
		if (resource(r, t, iname ? idx : NULL, u))
			goto out;
		if (iname != NULL) {
			/* The table's totals take the index's share. */
			for (m = 0; m < NPROV; m++) {
				for (k = 0; k < 2; k++)
					t->u.unit_hours[m][k] +=
					    ux.unit_hours[m][k];
				t->u.throttled_units[m] +=
				    ux.throttled_units[m];
				t->u.throttled_minutes[m] +=
				    ux.throttled_minutes[m];
			}
			for (k = 0; k < 2; k++)
				t->u.units[k] += ux.units[k];
			if (index_records(r, t, &ux, idx))
				goto out;
		}
	}
	rc = usage_flush(r);
out:
	free(laid);
	free(tname);
	free(iname);
	return (rc);
}

static void
group_free(struct run *r)
{
	size_t i;

	for (i = 0; i < r->nt; i++) {
		json_decref(r->t[i].rec);
		json_decref(r->t[i].index_recs);
	}
	free(r->t);
	r->t = NULL;
	r->nt = 0;
}

/* Make room for a grid of ${n} periods. */
static int
grid_alloc(struct run *r, size_t n)
{
	double *p, **slot;
	int m;

	if (n <= r->cap_n)
		return (0);
	for (m = 0; m < SERIES_NMETRICS + 2; m++) {
		slot = m < SERIES_NMETRICS ? &r->m[m] :
		    &r->cap[m - SERIES_NMETRICS];
		if ((p = realloc(*slot, n * sizeof(*p))) == NULL) {
			warn("simulate");
			return (-1);
		}
		*slot = p;
	}
	if ((p = realloc(r->work, 4 * n * sizeof(*p))) == NULL) {
		warn("simulate");
		return (-1);
	}
	r->work = p;
	r->cap_n = n;
	return (0);
}

/* Start the usage/ file of the account and region at hand, with room for
 * the hourly profiles of its grid. */
static int
usage_open(struct run *r)
{
	size_t n = r->g.n * (size_t)r->period / 3600 + 2;
	char *path;
	double *p;
	int k;

	if (n > r->hn) {
		for (k = 0; k < NHR; k++) {
			if ((p = realloc(r->hr[k], n * sizeof(*p))) == NULL) {
				warn("simulate");
				return (-1);
			}
			r->hr[k] = p;
		}
		r->hn = n;
	}
	for (k = 0; k < NHR; k++)
		memset(r->hr[k], 0, r->hn * sizeof(double));
	if ((path = projdir_path(r->pd, PROJDIR_USAGE, r->account, r->region,
	    NULL)) == NULL)
		return (-1);
	r->usage = atomicio_open(path, 0644);
	free(path);
	return (r->usage == NULL ? -1 : 0);
}

/* Simulate the tables of one tables/ file: one account and region. */
static int
group(const char *path, const struct projdir_entry *e, void *ctx)
{
	struct run *r = ctx;
	char *files[] = { (char *)path, NULL }, *mp = NULL;
	char date[DATETIME_LEN];
	struct day *days = NULL;
	struct atomicio *a;
	size_t i, n = 0, ndays = (size_t)r->days;
	int rc = -1;

	if (e == NULL || e->file != PROJDIR_TABLES ||
	    (r->o->regions != NULL && !cmdline_listed(r->o->regions, e->region)))
		return (0);
	r->account = e->account;
	r->region = e->region;
	if (ndjson_foreach(files, NDJSON_MAXLINE, take_table, r))
		goto out;
	if (r->nt == 0) {
		rc = 0;
		goto out;
	}
	qsort(r->t, r->nt, sizeof(*r->t), cmp_tables);
	for (i = 0; i < r->nt && r->t[i].skip; i++)
		;
	if (i == r->nt) {
		rc = 0;		/* none selected here */
		goto out;
	}
	if (prices_of(r, e->region) == NULL) {
		warnx("no prices for %s in prices/ (run optima "
		    "collect-pricing)", e->region);
		goto out;
	}

	/* The day files of the window, and the coarsest period among them. */
	if ((days = calloc(ndays, sizeof(*days))) == NULL) {
		warn("simulate");
		goto out;
	}
	r->period = 60;
	for (i = 0; i < ndays; i++) {
		free(mp);
		if ((mp = projdir_path(r->pd, PROJDIR_METRICS, e->account,
		    e->region, datetime_format_date(date, r->start +
		    (time_t)i * DAY))) == NULL)
			goto out;
		if (access(mp, F_OK) != 0)
			continue;
		if ((days[n].r = series_open(mp)) == NULL ||
		    advance(&days[n]))
			goto out;
		if (days[n].have && days[n].s.period > r->period)
			r->period = days[n].s.period;
		days[n].slot = i;
		n++;
	}
	for (i = 0; i < n; i++)
		days[i].slot *= (size_t)(DAY / r->period);
	r->approximate |= r->period > 60;
	r->g.t0 = r->start;
	r->g.period = r->period;
	r->g.n = ndays * (size_t)(DAY / r->period);
	if (grid_alloc(r, r->g.n))
		goto out;
	if (r->o->keep && usage_open(r))
		goto out;
	for (i = 0; i < r->nt; i++) {
		if ((r->t[i].index_recs = json_array()) == NULL) {
			warn("simulate");
			goto out;
		}
		own_window(r, &r->t[i], r->t[i].from_created ?
		    (time_t)r->t[i].created : r->start);
		r->t[i].from = r->t[i].from_created ? "created" : NULL;
	}
	if (merge(r, days, n))
		goto out;
	for (i = 0; i < r->nt; i++) {
		r->nodata += r->t[i].seen == 0 && !r->t[i].skip;
		r->shorter += r->t[i].seen > 0 && !r->t[i].skip &&
		    r->t[i].start > r->start;
	}
	if (emit(r))
		goto out;
	if (r->usage != NULL) {
		a = r->usage;
		r->usage = NULL;
		if (atomicio_commit(a))
			goto out;
	}
	r->groups++;
	rc = 0;
out:
	if (r->usage != NULL)
		atomicio_abort(r->usage);
	r->usage = NULL;
	r->ht = NULL;
	for (i = 0; days != NULL && i < ndays; i++)
		series_close(days[i].r);
	free(days);
	free(mp);
	group_free(r);
	return (rc);
}

int
simulate_window(const struct projdir *pd, int days, time_t *start,
    time_t *end)
{
	time_t d[2] = { 0, 0 };

	*start = *end = 0;
	if (projdir_walk(pd, metric_days, d))
		return (-1);
	if (d[1] != 0) {
		*end = d[1] + DAY;
		*start = *end - (time_t)days * DAY;
		/* Never longer than the days that have metrics: days before
		 * the first are not days without traffic. */
		if (*start < d[0])
			*start = d[0];
	}
	return (0);
}

int
simulate_run(const struct projdir *pd, const struct simulate_opts *o,
    FILE *out, FILE *summary)
{
	struct run r;
	char a[DATETIME_LEN], b[DATETIME_LEN];
	size_t i;
	int m, rc = 1;

	memset(&r, 0, sizeof(r));
	r.pd = pd;
	r.o = o;
	r.out = out;
	if (o->table_regex != NULL &&
	    (r.re = re2_compile(o->table_regex, "--table-regex")) == NULL)
		return (2);
	if (simulate_window(pd, o->days, &r.start, &r.end))
		goto out;
	if (r.end == 0) {
		warnx("no metrics in %s (run optima collect first)",
		    projdir_root(pd));
		goto out;
	}
	r.days = (int)((r.end - r.start) / DAY);
	/* The latest ${months} billing periods of the bill. */
	if (projdir_walk(pd, take_period, &r))
		goto out;
	if (r.nperiods > 0) {
		qsort(r.periods, r.nperiods, sizeof(*r.periods), cmp_period);
		r.first = r.nperiods > (size_t)(o->months > 0 ? o->months : 1) ?
		    r.nperiods - (size_t)(o->months > 0 ? o->months : 1) : 0;
		snprintf(r.billing, sizeof(r.billing), "%s",
		    r.periods[r.nperiods - 1].name);
		if (projdir_walk(pd, take_curfile, &r))
			goto out;
	}
	if (r.ncur > 0) {
		qsort(r.cur, r.ncur, sizeof(*r.cur), cmp_cur);
		if (cur_average(&r))
			goto out;
	}
	if ((o->tables != NULL || o->table_regex != NULL ||
	    o->regions != NULL) && o->keep && old_open(&r))
		goto out;
	if (projdir_walk(pd, take_prices, &r) || projdir_walk(pd, group, &r))
		goto out;
	if (r.old != NULL && old_flush(&r, NULL, NULL, NULL))
		goto out;
	if (r.tables == 0) {
		warnx("no tables with metrics in the window%s",
		    o->tables || o->table_regex || o->regions ? " (check "
		    "--tables, --table-regex and --regions)" : "");
		goto out;
	}
	fprintf(summary, "Simulated %zu tables and %zu indexes in %zu "
	    "account-regions over %d days, %s to %s, at %d-second periods%s\n",
	    r.tables, r.indexes, r.groups, r.days,
	    datetime_format_date(a, r.start),
	    datetime_format_date(b, r.end - DAY), r.period,
	    r.approximate ? " (coarser than 1 minute: an approximation)" : "");
	if (r.days < o->days)
		fprintf(summary, "The window is %d days, not the %d asked for: "
		    "the metrics have no more\n", r.days, o->days);
	if (r.shorter > 0)
		fprintf(summary, "%zu tables were judged on fewer days than "
		    "the window: from their creation, or their first "
		    "datapoint\n", r.shorter);
	if (r.nperiods > 0)
		fprintf(summary, "Billed storage from %zu billing period%s of "
		    "the Cost and Usage Report, %s to %s\n", r.nperiods -
		    r.first, r.nperiods - r.first == 1 ? "" : "s",
		    r.periods[r.first].name, r.billing);
	if (r.nodata > 0)
		fprintf(summary, "%zu tables had no metrics in the window and "
		    "were left out\n", r.nodata);
	if (r.old != NULL)
		fprintf(summary, "Kept the %zu scenario records of the tables "
		    "not selected, as they were\n", r.kept);
	log_msg(LOG_INFO, "simulate: %zu tables, %zu indexes, %zu records",
	    r.tables, r.indexes, r.records);
	rc = 0;
out:
	group_free(&r);
	for (m = 0; m < SERIES_NMETRICS; m++)
		free(r.m[m]);
	free(r.cap[0]);
	free(r.cap[1]);
	free(r.work);
	for (i = 0; i < NHR; i++)
		free(r.hr[i]);
	free(r.prices);
	for (i = 0; i < r.ncur; i++) {
		free(r.cur[i].key);
		json_decref(r.cur[i].periods);
	}
	free(r.cur);
	free(r.periods);
	json_decref(r.reserved);
	re2_free(r.re);
	ndjson_reader_close(r.old);
	for (i = 0; i < 3; i++)
		free(r.okey[i]);
	return (rc);
}
