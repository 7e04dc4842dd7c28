/* commit - the commitments worth buying, on the usage after the changes */

#include <err.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "commit.h"
#include "cost.h"
#include "decision.h"
#include "ndjson.h"
#include "projdir.h"
#include "rank.h"
#include "report.h"

#define HOUR		3600
#define YEAR_HOURS	8760	/* a term's year */
#define MAXSTEPS	10000	/* Savings Plan levels tried, at most */
#define PROFILE_POINTS	336	/* points of a record's hourly profile */

static const char *const dims[2] = { "rcu", "wcu" };

/* The hourly usage of an account and region, in units (reservable:
 * provisioned Standard capacity, replicated writes excepted). */
struct acctreg {
	char acct[13], region[32], payer[13];
	double *today[2], *after[2];
	int tables;
};

/* Usage a Savings Plan may discount: of one payer, region, class and
 * price dimension, per hour after the changes. */
struct spcat {
	char payer[13], region[32], cls[40], dim[40];
	double *h;
	double od, rate;	/* on-demand price and plan rate per unit */
};

struct run {
	const struct projdir *pd;
	const struct commit_opts *o;
	FILE *out, *sum;
	json_t *payer;		/* account -> payer */
	const char *mgmt;	/* the management account, or NULL */
	json_t *prices;		/* "region/class" -> price record */
	json_t *rates;		/* "region/class/dim" -> rate (1yr) */
	json_t *state;		/* "account/region/table" -> current rec */
	json_t *reserved;	/* "account/region" -> [rcu, wcu] units */
	json_t *after;		/* "account/region/table" -> recommended */
	json_t *decisions;
	json_t *usage;		/* the usage records */
	time_t t0;		/* the grid: hours from t0 */
	size_t n;
	struct acctreg *ar;
	size_t nar;
	struct spcat *sp;
	size_t nsp;
	json_t *recs;		/* written */
	size_t tables, purchases;
	double total;
};

/* ---- small things ---- */

static const char *
str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return (s != NULL ? s : "");
}

static double
num(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);

	return (json_is_number(v) ? json_number_value(v) : 0);
}

static char *
key(char *buf, size_t n, const char *a, const char *b, const char *c)
{

	snprintf(buf, n, "%s/%s%s%s", a, b, c != NULL ? "/" : "",
	    c != NULL ? c : "");
	return (buf);
}

/* Value ${i} of the profile ${p}: a number (every hour), or an array. */
static double
at(const json_t *p, size_t i)
{

	if (json_is_array(p))
		return (json_number_value(json_array_get(p, i)));
	return (json_is_number(p) ? json_number_value(p) : 0);
}

static double *
zeros(size_t n)
{
	double *p = calloc(n > 0 ? n : 1, sizeof(*p));

	if (p == NULL)
		warn("commit");
	return (p);
}

/* ---- reading ---- */

static int
take_account(json_t *rec, const struct ndjson_pos *pos, void *ctx)
{
	struct run *r = ctx;
	const char *a = json_string_value(json_object_get(rec, "account"));

	if (a == NULL || !projdir_valid_account(a)) {
		ndjson_warnx(pos, "an account record without a well-formed "
		    "\"account\"");
		return (-1);
	}
	if (json_is_true(json_object_get(rec, "management")))
		json_object_set(r->payer, "", json_object_get(rec,
		    "account"));
	return (0);
}

static int
take_price(json_t *rec, const struct ndjson_pos *pos, void *ctx)
{
	struct run *r = ctx;
	char k[128];

	if (strcmp(str(rec, "kind"), "price") != 0 ||
	    !json_is_string(json_object_get(rec, "region")) ||
	    !json_is_string(json_object_get(rec, "table_class"))) {
		ndjson_warnx(pos, "not a price record with \"region\" and "
		    "\"table_class\"");
		return (-1);
	}
	return (json_object_set(r->prices, key(k, sizeof(k), str(rec,
	    "region"), str(rec, "table_class"), NULL), rec));
}

static int
take_rate(json_t *rec, const struct ndjson_pos *pos, void *ctx)
{
	struct run *r = ctx;
	char k[160];

	if (strcmp(str(rec, "kind"), "savings_plan_rate") != 0 ||
	    !json_is_number(json_object_get(rec, "rate"))) {
		ndjson_warnx(pos, "not a savings_plan_rate record with "
		    "\"rate\"");
		return (-1);
	}
	if (strcmp(str(rec, "term"), "1yr") != 0)
		return (0);
	snprintf(k, sizeof(k), "%s/%s/%s", str(rec, "region"), str(rec,
	    "table_class"), str(rec, "dimension"));
	return (json_object_set_new(r->rates, k, json_real(num(rec,
	    "rate"))));
}

static int
take_scenario(json_t *rec, const struct ndjson_pos *pos, void *ctx)
{
	struct run *r = ctx;
	const json_t *res;
	char k[512];

	if (strcmp(str(rec, "kind"), "scenario") != 0) {
		ndjson_warnx(pos, "not a scenario record");
		return (-1);
	}
	if (strcmp(str(rec, "scenario"), "current") != 0 ||
	    !json_is_null(json_object_get(rec, "index")) ||
	    strcmp(str(rec, "table_class"), str(rec, "current_table_class")))
		return (0);
	if ((res = json_object_get(json_object_get(rec, "pools"),
	    "reserved")) != NULL && json_object_set_new(r->reserved, key(k,
	    sizeof(k), str(rec, "account"), str(rec, "region"), NULL),
	    json_pack("[f, f]", num(res, "rcu_hours") / COST_MONTH_HOURS,
	    num(res, "wcu_hours") / COST_MONTH_HOURS)))
		return (-1);
	return (json_object_set(r->state, key(k, sizeof(k), str(rec,
	    "account"), str(rec, "region"), str(rec, "table")), rec));
}

/* The last pending or accepted recommendation of a table holds what it
 * will be once they are all applied (each is after the one before). */
static int
take_rec(json_t *rec, const struct ndjson_pos *pos, void *ctx)
{
	struct run *r = ctx;
	const char *st, *id;
	char k[512];

	id = json_string_value(json_object_get(rec, "id"));
	if (strcmp(str(rec, "kind"), "recommendation") != 0 || id == NULL) {
		ndjson_warnx(pos, "not a recommendation record with \"id\"");
		return (-1);
	}
	st = decision_status(r->decisions, id);
	if ((strcmp(st, "pending") != 0 && strcmp(st, "accepted") != 0) ||
	    !json_is_string(json_object_get(rec, "table")) ||
	    !json_is_null(json_object_get(rec, "index")) ||
	    !json_is_object(json_object_get(rec, "recommended")))
		return (0);
	return (json_object_set(r->after, key(k, sizeof(k), str(rec,
	    "account"), str(rec, "region"), str(rec, "table")),
	    json_object_get(rec, "recommended")));
}

static int
take_usage(json_t *rec, const struct ndjson_pos *pos, void *ctx)
{
	struct run *r = ctx;
	json_int_t start, hours;

	start = json_integer_value(json_object_get(rec, "start"));
	hours = json_integer_value(json_object_get(rec, "hours"));
	if (strcmp(str(rec, "kind"), "usage") != 0 ||
	    !json_is_integer(json_object_get(rec, "start")) ||
	    !json_is_integer(json_object_get(rec, "hours")) || start < 0 ||
	    start % HOUR != 0 || hours < 1 || hours > 24 * 366 * 2 ||
	    !json_is_string(json_object_get(rec, "table")) ||
	    !projdir_valid_account(str(rec, "account")) ||
	    !projdir_valid_region(str(rec, "region"))) {
		ndjson_warnx(pos, "not a usage record with \"account\", "
		    "\"region\", \"table\", \"start\" (whole hours) and "
		    "\"hours\"");
		return (-1);
	}
	return (json_array_append(r->usage, rec));
}

struct walk {
	struct run *r;
	enum projdir_file file;
	int (*cb)(json_t *, const struct ndjson_pos *, void *);
};

static int
walk_file(const char *path, const struct projdir_entry *e, void *ctx)
{
	struct walk *w = ctx;
	char *files[] = { (char *)path, NULL };

	if (e == NULL || e->file != w->file)
		return (0);
	return (ndjson_foreach(files, NDJSON_MAXLINE, w->cb, w->r));
}

static int
read_files(struct run *r, enum projdir_file f,
    int (*cb)(json_t *, const struct ndjson_pos *, void *))
{
	struct walk w = { r, f, cb };

	return (projdir_walk(r->pd, walk_file, &w));
}

static int
read_file(struct run *r, enum projdir_file f,
    int (*cb)(json_t *, const struct ndjson_pos *, void *))
{
	char *files[] = { NULL, NULL };
	int rc;

	if ((files[0] = projdir_path(r->pd, f, NULL, NULL, NULL)) == NULL)
		return (-1);
	rc = access(files[0], F_OK) == 0 ? ndjson_foreach(files,
	    NDJSON_MAXLINE, cb, r) : 0;
	free(files[0]);
	return (rc);
}

/* ---- the hourly usage ---- */

static const char *
payer_of(const struct run *r, const char *acct)
{

	return (r->mgmt != NULL ? r->mgmt : acct);
}

static struct acctreg *
acctreg(struct run *r, const char *acct, const char *region)
{
	struct acctreg *a;
	size_t i;
	int k;

	for (i = 0; i < r->nar; i++)
		if (strcmp(r->ar[i].acct, acct) == 0 &&
		    strcmp(r->ar[i].region, region) == 0)
			return (&r->ar[i]);
	if ((a = realloc(r->ar, (r->nar + 1) * sizeof(*a))) == NULL) {
		warn("commit");
		return (NULL);
	}
	r->ar = a;
	a = &r->ar[r->nar++];
	memset(a, 0, sizeof(*a));
	snprintf(a->acct, sizeof(a->acct), "%s", acct);
	snprintf(a->region, sizeof(a->region), "%s", region);
	snprintf(a->payer, sizeof(a->payer), "%s", payer_of(r, acct));
	for (k = 0; k < 2; k++)
		if ((a->today[k] = zeros(r->n)) == NULL ||
		    (a->after[k] = zeros(r->n)) == NULL)
			return (NULL);
	return (a);
}

static struct spcat *
spcat(struct run *r, const char *payer, const char *region, const char *cls,
    const char *dim)
{
	struct spcat *c;
	const json_t *pr;
	char k[160];
	size_t i;

	for (i = 0; i < r->nsp; i++)
		if (strcmp(r->sp[i].payer, payer) == 0 &&
		    strcmp(r->sp[i].region, region) == 0 &&
		    strcmp(r->sp[i].cls, cls) == 0 &&
		    strcmp(r->sp[i].dim, dim) == 0)
			return (&r->sp[i]);
	if ((c = realloc(r->sp, (r->nsp + 1) * sizeof(*c))) == NULL) {
		warn("commit");
		return (NULL);
	}
	r->sp = c;
	c = &r->sp[r->nsp++];
	memset(c, 0, sizeof(*c));
	snprintf(c->payer, sizeof(c->payer), "%s", payer);
	snprintf(c->region, sizeof(c->region), "%s", region);
	snprintf(c->cls, sizeof(c->cls), "%s", cls);
	snprintf(c->dim, sizeof(c->dim), "%s", dim);
	pr = json_object_get(r->prices, key(k, sizeof(k), region, cls, NULL));
	c->od = num(pr, dim);
	snprintf(k, sizeof(k), "%s/%s/%s", region, cls, dim);
	c->rate = json_is_number(json_object_get(r->rates, k)) ?
	    json_number_value(json_object_get(r->rates, k)) : NAN;
	if ((c->h = zeros(r->n)) == NULL)
		return (NULL);
	return (c);
}

/* Add ${x}'s profile ${p} (from hour ${off} of the grid, ${n} hours) to
 * ${h}, less ${q}'s if not NULL, times ${f}. */
static void
add(double *h, const json_t *p, const json_t *q, size_t off, size_t n,
    double f)
{
	size_t i;
	double v;

	for (i = 0; i < n; i++) {
		v = at(p, i) - (q != NULL ? at(q, i) : 0);
		h[off + i] += f * (v > 0 ? v : 0);
	}
}

/* The usage of the table of the usage record ${u} in its state ${mode},
 * ${cls}, ${scen}: its reservable capacity into ${res} (rcu, wcu), the
 * rest a Savings Plan may discount into its categories if ${sp}. */
static int
place(struct run *r, const json_t *u, const char *mode, const char *cls,
    const char *scen, double *res[2], int sp, const char *payer)
{
	const char *region = str(u, "region");
	size_t off = (size_t)((json_integer_value(json_object_get(u,
	    "start")) - r->t0) / HOUR);
	size_t n = (size_t)json_integer_value(json_object_get(u, "hours"));
	int std = strcmp(cls, "STANDARD") == 0;
	const json_t *p;
	struct spcat *c;

	if (strcmp(mode, "PAY_PER_REQUEST") == 0) {
		if (!sp)
			return (0);
		if ((c = spcat(r, payer, region, cls,
		    "read_request_unit")) == NULL)
			return (-1);
		add(c->h, json_object_get(u, "read_request_units"), NULL, off,
		    n, 1);
		if ((c = spcat(r, payer, region, cls,
		    "write_request_unit")) == NULL)
			return (-1);
		add(c->h, json_object_get(u, "write_request_units"),
		    json_object_get(u, "replicated_write_request_units"), off,
		    n, 1);
		if (json_object_get(u, "replicated_write_request_units") !=
		    NULL) {
			if ((c = spcat(r, payer, region, cls,
			    "replicated_write_request_unit")) == NULL)
				return (-1);
			add(c->h, json_object_get(u,
			    "replicated_write_request_units"), NULL, off, n,
			    1);
		}
		return (0);
	}
	if ((p = json_object_get(u, scen)) == NULL)
		p = json_object_get(u, "current");
	if (p == NULL)
		return (0);
	if (std) {
		add(res[0], json_object_get(p, "rcu"), NULL, off, n, 1);
		add(res[1], json_object_get(p, "wcu"), json_object_get(p,
		    "replicated_wcu"), off, n, 1);
	} else if (sp) {
		if ((c = spcat(r, payer, region, cls, "rcu_hour")) == NULL)
			return (-1);
		add(c->h, json_object_get(p, "rcu"), NULL, off, n, 1);
		if ((c = spcat(r, payer, region, cls, "wcu_hour")) == NULL)
			return (-1);
		add(c->h, json_object_get(p, "wcu"), json_object_get(p,
		    "replicated_wcu"), off, n, 1);
	}
	if (sp && json_object_get(p, "replicated_wcu") != NULL) {
		if ((c = spcat(r, payer, region, cls,
		    "replicated_wcu_hour")) == NULL)
			return (-1);
		add(c->h, json_object_get(p, "replicated_wcu"), NULL, off, n,
		    1);
	}
	return (0);
}

/* Lay every usage record on the grid, today and after the changes. */
static int
lay(struct run *r)
{
	const json_t *u, *cur, *aft;
	struct acctreg *a;
	char k[512];
	const char *mode, *cls, *scen;
	json_int_t s, e, lo = -1, hi = -1;
	size_t i;

	json_array_foreach(r->usage, i, u) {
		s = json_integer_value(json_object_get(u, "start"));
		e = s + HOUR * json_integer_value(json_object_get(u, "hours"));
		lo = lo < 0 || s < lo ? s : lo;
		hi = e > hi ? e : hi;
	}
	r->t0 = (time_t)lo;
	r->n = lo < 0 ? 0 : (size_t)((hi - lo) / HOUR);
	json_array_foreach(r->usage, i, u) {
		if ((a = acctreg(r, str(u, "account"), str(u, "region"))) ==
		    NULL)
			return (-1);
		a->tables++;
		r->tables++;
		key(k, sizeof(k), str(u, "account"), str(u, "region"), str(u,
		    "table"));
		cur = json_object_get(r->state, k);
		mode = json_object_get(u, "current") != NULL ? "PROVISIONED" :
		    "PAY_PER_REQUEST";
		cls = cur != NULL ? str(cur, "current_table_class") :
		    "STANDARD";
		if (place(r, u, mode, cls, "current", a->today, 0, a->payer))
			return (-1);
		if ((aft = json_object_get(r->after, k)) != NULL) {
			mode = str(aft, "billing_mode");
			cls = str(aft, "table_class");
			scen = str(aft, "scenario");
		} else
			scen = "current";
		if (place(r, u, mode, cls, scen, a->after, r->o->savings_plan,
		    a->payer))
			return (-1);
	}
	return (0);
}

/* ---- judging a level ---- */

void
commit_level(const double *u, size_t n, double units, double p_od,
    double hourly, double upfront, double term_hours, double res[3])
{
	double covered = 0;
	size_t i;

	for (i = 0; i < n; i++)
		covered += u[i] < units ? u[i] : units;
	res[0] = covered;
	res[1] = covered * p_od - units * (double)n * (hourly + upfront /
	    term_hours);
	res[2] = units > 0 && n > 0 ? covered / (units * (double)n) : 0;
}

/* The reserved terms of ${pr} for ${dim} and the term of ${o}. */
static const json_t *
term_of(const json_t *pr, const char *dim, int years)
{
	const json_t *t;
	char term[8];
	size_t i;

	snprintf(term, sizeof(term), "%dyr", years);
	json_array_foreach(json_object_get(pr, "reserved"), i, t)
		if (strcmp(str(t, "capacity"), dim) == 0 &&
		    strcmp(str(t, "term"), term) == 0)
			return (t);
	return (NULL);
}

/* Average, lowest and highest of ${h} (${n} hours), as an object. */
static json_t *
profile_stats(const double *h, size_t n)
{
	double sum = 0, lo = INFINITY, hi = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		sum += h[i];
		lo = h[i] < lo ? h[i] : lo;
		hi = h[i] > hi ? h[i] : hi;
	}
	return (json_pack("{s:f, s:f, s:f}", "avg_units", n > 0 ?
	    round(sum / (double)n * 100) / 100 : 0, "min_units", n > 0 ? lo :
	    0, "max_units", hi));
}

static double
r2(double x)
{

	return (round(x * 100) / 100);
}

/* The profiles ${today} and ${after} (${n} hours from ${t0}) for a
 * chart: {"start","step" (seconds),"today":[...],"planned":[...]}, at
 * most PROFILE_POINTS points, each the average of its hours. */
static json_t *
profile(time_t t0, const double *today, const double *after, size_t n)
{
	const double *h[2] = { today, after };
	json_t *p, *a[2];
	size_t per, i, j, k, m;
	double sum;

	per = (n + PROFILE_POINTS - 1) / PROFILE_POINTS;
	per = per > 0 ? per : 1;
	a[0] = json_array();
	a[1] = json_array();
	p = json_pack("{s:I, s:I, s:o, s:o}", "start", (json_int_t)t0, "step",
	    (json_int_t)(per * HOUR), "today", a[0], "planned", a[1]);
	if (p == NULL)
		return (NULL);
	for (k = 0; k < 2; k++)
		for (i = 0; i < n; i += per) {
			m = n - i < per ? n - i : per;
			for (sum = 0, j = 0; j < m; j++)
				sum += h[k][i + j];
			if (json_array_append_new(a[k], json_real(r2(sum /
			    (double)m)))) {
				json_decref(p);
				return (NULL);
			}
		}
	return (p);
}

/* The share of the ${n} hours of ${h} that ${units} cover, in percent. */
static double
covered_pct(const double *h, size_t n, double units)
{
	double c[3], total = 0;
	size_t i;

	for (i = 0; i < n; i++)
		total += h[i];
	commit_level(h, n, units, 0, 0, 0, 1, c);
	return (total > 0 ? r2(c[0] / total * 100) : 0);
}

static int
emit(struct run *r, json_t *rec)
{

	if (ndjson_write(r->out, rec) || json_array_append(r->recs, rec)) {
		warn("commitment records");
		json_decref(rec);
		return (-1);
	}
	r->purchases++;
	r->total += num(rec, "monthly_savings_usd");
	json_decref(rec);
	return (0);
}

/* Size the reserved capacity of ${dim} (0 read, 1 write) of ${payer} in
 * ${region}: ${today} and ${after} the hourly usage, ${have} the units
 * already reserved; the usage it leaves uncovered goes to the Savings
 * Plan's categories. */
static int
reserve(struct run *r, const char *payer, const char *region, int k,
    const double *today, const double *after, double have)
{
	const json_t *pr, *t;
	double *w, th = r->o->years * YEAR_HOURS, p_od, hourly, upfront;
	double best[3] = { 0, 0, 0 }, lv[3], nx[3], ex[2][3], top = 0;
	double units, bu = 0, total = 0, mon, gross, stranded;
	char k2[160], id[RANK_IDLEN], change[128], why[512], termname[8];
	char units_s[64];
	const char *cap = k == 0 ? "RCU" : "WCU";
	struct spcat *c;
	json_t *rec;
	size_t i;
	int rc = -1;

	pr = json_object_get(r->prices, key(k2, sizeof(k2), region,
	    "STANDARD", NULL));
	p_od = num(pr, k == 0 ? "rcu_hour" : "wcu_hour");
	if ((w = zeros(r->n)) == NULL)
		return (-1);
	for (i = 0; i < r->n; i++) {
		w[i] = after[i] > have ? after[i] - have : 0;
		top = w[i] > top ? w[i] : top;
		total += w[i];
	}
	/* What the reservations already bought do, today and after. */
	commit_level(today, r->n, have, 0, 0, 0, th, ex[0]);
	commit_level(after, r->n, have, 0, 0, 0, th, ex[1]);
	/* The units the changes leave unused, on average over the hours
	 * (as optima-rank names them in a recommendation's reason, for an
	 * account and region: "stranded_reserved"). */
	stranded = have > 0 ? (ex[0][0] - ex[1][0]) / (double)r->n : 0;
	if (stranded < 0.5)
		stranded = 0;
	/* The units, grouped as money is, without its "$". */
	report_money(units_s, sizeof(units_s), stranded, 0);
	if (have > 0 && stranded > 0)
		fprintf(r->sum, "%s %s %s: %.0f %s reserved already, "
		    "utilization %.0f%% today, %.0f%% planned: the "
		    "recommendations leave %s %s of it unused\n", payer,
		    region, k == 0 ? "read" : "write", have, cap,
		    ex[0][2] * 100, ex[1][2] * 100, units_s + 1, cap);
	else if (have > 0)
		fprintf(r->sum, "%s %s %s: %.0f %s reserved already, "
		    "utilization %.0f%% today, %.0f%% planned\n", payer,
		    region, k == 0 ? "read" : "write", have, cap,
		    ex[0][2] * 100, ex[1][2] * 100);

	snprintf(termname, sizeof(termname), "%dyr", r->o->years);
	if ((t = term_of(pr, dims[k], r->o->years)) == NULL) {
		if (total > 0)
			fprintf(r->sum, "%s %s %s: no %d-year reserved "
			    "capacity in the price list\n", payer, region,
			    k == 0 ? "read" : "write", r->o->years);
		goto spill;
	}
	hourly = num(t, "hour");
	upfront = num(t, "upfront");
	for (units = COMMIT_BLOCK; units <= ceil(top / COMMIT_BLOCK) *
	    COMMIT_BLOCK; units += COMMIT_BLOCK) {
		commit_level(w, r->n, units, p_od, hourly, upfront, th, lv);
		if (lv[2] * 100 < r->o->min_utilization - 1e-9 ||
		    (total > 0 && lv[0] / total * 100 >
		    r->o->coverage_target + 1e-9))
			continue;
		if (lv[1] > best[1]) {
			memcpy(best, lv, sizeof(best));
			bu = units;
		}
	}
	mon = best[1] * COST_MONTH_HOURS / (double)r->n;
	if (bu == 0 || mon < r->o->min_savings)
		goto spill;
	commit_level(w, r->n, bu + COMMIT_BLOCK, p_od, hourly, upfront, th,
	    nx);
	gross = (best[0] * p_od - bu * (double)r->n * hourly) *
	    COST_MONTH_HOURS / (double)r->n;
	rank_id(id, "commitment", payer, region, "reserved_capacity",
	    dims[k], termname);
	snprintf(change, sizeof(change), "buy %.0f %s reserved capacity, "
	    "%d year%s", bu, cap, r->o->years, r->o->years == 1 ? "" : "s");
	if (have > 0)
		snprintf(why, sizeof(why), "%.0f%% of %.0f %s used over the "
		    "window after the changes; with %.0f reserved already%s%s"
		    "%s", best[2] * 100, bu, cap, have, stranded > 0 ?
		    ", of which the recommendations leave " : "", stranded > 0 ?
		    units_s + 1 : "", stranded > 0 ? " unused" : "");
	else
		snprintf(why, sizeof(why), "%.0f%% of %.0f %s used over the "
		    "window after the changes; none reserved already",
		    best[2] * 100, bu, cap);
	rec = json_pack("{s:s, s:s, s:s, s:s, s:s, s:n, s:n, s:s, s:s,"
	    " s:s, s:s, s:f, s:s, s:s, s:f, s:f, s:f, s:f, s:f, s:f, s:f,"
	    " s:f, s:f, s:I, s:f, s:f, s:f, s:f}",
	    "kind", "recommendation", "id", id, "type", "commitment",
	    "account", payer, "region", region, "table", "index",
	    "commitment", "reserved_capacity", "change", change,
	    "capacity", dims[k], "term", termname, "units", bu,
	    "purchase_option", "partial_upfront", "reason", why,
	    "upfront_usd", r2(bu * upfront), "hourly_usd", bu * hourly,
	    "utilization_pct", r2(best[2] * 100), "coverage_pct", total > 0 ?
	    r2(best[0] / total * 100) : 0,
	    "current_monthly_usd", r2(total * p_od * COST_MONTH_HOURS /
	    (double)r->n),
	    "recommended_monthly_usd", r2((total * p_od - best[1]) *
	    COST_MONTH_HOURS / (double)r->n),
	    "monthly_savings_usd", r2(mon),
	    "annual_savings_usd", r2(mon * 12),
	    "term_savings_usd", r2(mon * 12 * r->o->years),
	    "break_even_month", (json_int_t)(gross > 0 ? ceil(bu * upfront /
	    gross) : 0),
	    "next_block_monthly_usd", r2((nx[1] - best[1]) *
	    COST_MONTH_HOURS / (double)r->n),
	    "existing_units", have,
	    "existing_utilization_pct", have > 0 ? r2(ex[1][2] * 100) : 0,
	    "existing_utilization_today_pct", have > 0 ? r2(ex[0][2] * 100) :
	    0);
	if (rec == NULL || json_object_set_new(rec, "usage", json_pack(
	    "{s:o, s:o}", "today", profile_stats(today, r->n), "planned",
	    profile_stats(after, r->n))) || json_object_set_new(rec,
	    "coverage_today_pct", json_real(covered_pct(today, r->n,
	    have))) || json_object_set_new(rec, "coverage_planned_pct",
	    json_real(covered_pct(after, r->n, have + bu))) ||
	    json_object_set_new(rec, "profile", profile(r->t0, today, after,
	    r->n)) || json_object_set_new(rec,
	    "savings_pct", json_real(total > 0 ? r2(best[1] / (total * p_od) *
	    100) : 0)) || json_object_set_new(rec, "confidence",
	    json_string("medium")) || json_object_set_new(rec, "status",
	    json_string(decision_status(r->decisions, id))) ||
	    json_object_set_new(rec, "purchase", json_string("AWS Management "
	    "Console, DynamoDB, Reserved capacity (no AWS CLI command "
	    "buys it)")) || json_object_set_new(rec, "apply", json_null()) ||
	    (stranded > 0 && json_object_set_new(rec, "stranded_reserved",
	    json_pack("{s:f}", dims[k], r2(stranded))))) {
		warnx("out of memory");
		json_decref(rec);
		goto out;
	}
	if (emit(r, rec))
		goto out;
	for (i = 0; i < r->n; i++)
		w[i] = w[i] > bu ? w[i] - bu : 0;
spill:
	if (r->o->savings_plan) {
		if ((c = spcat(r, payer, region, "STANDARD", k == 0 ?
		    "rcu_hour" : "wcu_hour")) == NULL)
			goto out;
		for (i = 0; i < r->n; i++)
			c->h[i] += w[i];
	}
	rc = 0;
out:
	free(w);
	return (rc);
}

/* ---- the Database Savings Plan ---- */

static int
cmp_discount(const void *a, const void *b)
{
	const struct spcat *x = *(struct spcat *const *)a;
	const struct spcat *y = *(struct spcat *const *)b;
	double dx = 1 - x->rate / x->od, dy = 1 - y->rate / y->od;

	return (dx > dy ? -1 : dx < dy);
}

/* The worth of a plan of ${c} USD an hour over the categories ${cat}
 * (${m}, by discount, highest first): r[0] the plan's spend used, r[1]
 * the on-demand cost it covers, r[2] the net saving. */
static void
plan_level(struct run *r, struct spcat **cat, size_t m, double c,
    double res[3])
{
	double left, used = 0, od = 0, s;
	size_t h, j;

	for (h = 0; h < r->n; h++) {
		left = c;
		for (j = 0; j < m && left > 0; j++) {
			s = cat[j]->h[h] * cat[j]->rate;
			if (s > left) {
				od += left / cat[j]->rate * cat[j]->od;
				used += left;
				left = 0;
			} else {
				od += cat[j]->h[h] * cat[j]->od;
				used += s;
				left -= s;
			}
		}
	}
	res[0] = used;
	res[1] = od;
	res[2] = od - c * (double)r->n;
}

static int
plan(struct run *r, const char *payer)
{
	struct spcat **cat;
	double top = 0, tot_od = 0, s, step, c, lv[3], best[3] = { 0, 0, 0 };
	double bc = 0, mon, util;
	char id[RANK_IDLEN], change[128], why[256];
	json_t *rec;
	size_t i, h, m = 0, steps;
	int rc = -1;

	if ((cat = calloc(r->nsp + 1, sizeof(*cat))) == NULL) {
		warn("commit");
		return (-1);
	}
	for (i = 0; i < r->nsp; i++)
		if (strcmp(r->sp[i].payer, payer) == 0 &&
		    isfinite(r->sp[i].rate) && r->sp[i].rate > 0 &&
		    r->sp[i].od > r->sp[i].rate)
			cat[m++] = &r->sp[i];
	qsort(cat, m, sizeof(*cat), cmp_discount);
	for (h = 0; h < r->n; h++) {
		s = 0;
		for (i = 0; i < m; i++) {
			s += cat[i]->h[h] * cat[i]->rate;
			tot_od += cat[i]->h[h] * cat[i]->od;
		}
		top = s > top ? s : top;
	}
	if (top <= 0 || r->n == 0) {
		rc = 0;
		goto out;
	}
	/* Levels in steps of a tenth of a cent an hour, coarser if that
	 * makes more than MAXSTEPS. */
	step = 0.001;
	steps = (size_t)ceil(top / step);
	if (steps > MAXSTEPS) {
		step = ceil(top / MAXSTEPS * 1000) / 1000;
		steps = (size_t)ceil(top / step);
	}
	for (i = 1; i <= steps; i++) {
		c = (double)i * step;
		plan_level(r, cat, m, c, lv);
		util = lv[0] / (c * (double)r->n);
		if (util * 100 < r->o->min_utilization - 1e-9 ||
		    lv[1] / tot_od * 100 > r->o->coverage_target + 1e-9)
			continue;
		if (lv[2] > best[2]) {
			memcpy(best, lv, sizeof(best));
			bc = c;
		}
	}
	mon = best[2] * COST_MONTH_HOURS / (double)r->n;
	if (bc == 0 || mon < r->o->min_savings) {
		rc = 0;
		goto out;
	}
	rank_id(id, "commitment", payer, NULL, "savings_plan", "Database",
	    "1yr");
	snprintf(change, sizeof(change), "commit $%.3f/hour to a Database "
	    "Savings Plan, 1 year", bc);
	snprintf(why, sizeof(why), "%.0f%% of the commitment used, %.0f%% of "
	    "the eligible on-demand cost covered, after the changes and the "
	    "reserved capacity", best[0] / (bc * (double)r->n) * 100,
	    best[1] / tot_od * 100);
	rec = json_pack("{s:s, s:s, s:s, s:s, s:n, s:n, s:n, s:s, s:s, s:s,"
	    " s:s, s:s, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:s, s:s,"
	    " s:n}",
	    "kind", "recommendation", "id", id, "type", "commitment",
	    "account", payer, "region", "table", "index",
	    "commitment", "savings_plan", "plan", "Database",
	    "term", "1yr", "purchase_option", "no_upfront", "change", change,
	    "hourly_commitment_usd", bc,
	    "utilization_pct", r2(best[0] / (bc * (double)r->n) * 100),
	    "coverage_pct", r2(best[1] / tot_od * 100),
	    "current_monthly_usd", r2(tot_od * COST_MONTH_HOURS /
	    (double)r->n),
	    "recommended_monthly_usd", r2((tot_od - best[2]) *
	    COST_MONTH_HOURS / (double)r->n),
	    "monthly_savings_usd", r2(mon), "annual_savings_usd", r2(mon * 12),
	    "term_savings_usd", r2(mon * 12),
	    "reason", why, "confidence", "medium", "apply");
	if (rec == NULL || json_object_set_new(rec, "status",
	    json_string(decision_status(r->decisions, id))) ||
	    json_object_set_new(rec, "purchase", json_string("AWS Billing "
	    "and Cost Management console, Savings Plans, Purchase, or aws "
	    "savingsplans create-savings-plan with the offering's id"))) {
		warnx("out of memory");
		json_decref(rec);
		goto out;
	}
	rc = emit(r, rec);
out:
	free(cat);
	return (rc);
}

/* ---- the run ---- */

static void
summary(struct run *r)
{
	char m[64], y[64], u[64];
	const json_t *rec;
	size_t i;

	fprintf(r->sum, "\nCommitment Analysis Results\n"
	    "===========================\n"
	    "Analyzed: %zu table%s over %zu hours | Recommendations: %zu "
	    "purchase%s\n\n", r->tables, r->tables == 1 ? "" : "s", r->n,
	    r->purchases, r->purchases == 1 ? "" : "s");
	json_array_foreach(r->recs, i, rec) {
		if (strcmp(str(rec, "commitment"), "reserved_capacity") == 0)
			fprintf(r->sum, "Reserved capacity %s %s: %.0f %s, "
			    "%s -> Save %s/month (utilization %.0f%%, "
			    "break-even month %.0f)\n", str(rec, "account"),
			    str(rec, "region"), num(rec, "units"),
			    strcmp(str(rec, "capacity"), "rcu") == 0 ? "RCU" :
			    "WCU", str(rec, "term"), report_money(m,
			    sizeof(m), num(rec, "monthly_savings_usd"), 0),
			    num(rec, "utilization_pct"), num(rec,
			    "break_even_month"));
		else
			fprintf(r->sum, "Database Savings Plan %s: %s/hour, "
			    "1yr -> Save %s/month (utilization %.0f%%, "
			    "coverage %.0f%%)\n", str(rec, "account"),
			    report_money(u, sizeof(u), num(rec,
			    "hourly_commitment_usd"), 3), report_money(m,
			    sizeof(m), num(rec, "monthly_savings_usd"), 0),
			    num(rec, "utilization_pct"), num(rec,
			    "coverage_pct"));
	}
	fprintf(r->sum, "\nTotal Potential Savings: %s/month (%s/year)\n",
	    report_money(m, sizeof(m), r->total, 0), report_money(y,
	    sizeof(y), r->total * 12, 0));
}

int
commit_run(const struct projdir *pd, const struct commit_opts *o,
    FILE *out, FILE *sum)
{
	struct run r;
	struct acctreg *a;
	json_t *payers = NULL, *res, *pv;
	const char *pk;
	char *dpath = NULL, k[256];
	double *tot[2][2] = { { NULL, NULL }, { NULL, NULL } }, ft, have[2];
	const json_t *pr;
	size_t i, j, h;
	int rc = -1, d, w;

	memset(&r, 0, sizeof(r));
	r.pd = pd;
	r.o = o;
	r.out = out;
	r.sum = sum;
	if ((r.payer = json_object()) == NULL || (r.prices = json_object()) ==
	    NULL || (r.rates = json_object()) == NULL || (r.state =
	    json_object()) == NULL || (r.reserved = json_object()) == NULL ||
	    (r.after = json_object()) == NULL || (r.usage = json_array()) ==
	    NULL || (r.recs = json_array()) == NULL || (payers =
	    json_object()) == NULL) {
		warnx("out of memory");
		goto out;
	}
	if ((dpath = projdir_path(pd, PROJDIR_DECISIONS, NULL, NULL, NULL)) ==
	    NULL || (r.decisions = decision_load(dpath)) == NULL)
		goto out;
	if (read_file(&r, PROJDIR_ACCOUNTS, take_account) ||
	    read_files(&r, PROJDIR_PRICES, take_price) ||
	    read_files(&r, PROJDIR_SAVINGS_PLANS, take_rate) ||
	    read_file(&r, PROJDIR_SCENARIOS, take_scenario) ||
	    read_file(&r, PROJDIR_RECOMMENDATIONS, take_rec) ||
	    read_files(&r, PROJDIR_USAGE, take_usage))
		goto out;
	r.mgmt = json_string_value(json_object_get(r.payer, ""));
	if (json_array_size(r.usage) == 0) {
		warnx("no hourly usage in %s/usage (run optima analyze-capacity "
		    "or optima-simulate first)", projdir_root(pd));
		goto out;
	}
	if (lay(&r))
		goto out;

	/* Each account and region: the free tier's units every hour first
	 * (its unit-hours a month spread over the price list's 744 hours),
	 * then the payer's region. */
	for (i = 0; i < r.nar; i++) {
		a = &r.ar[i];
		pr = json_object_get(r.prices, key(k, sizeof(k), a->region,
		    "STANDARD", NULL));
		if (pr == NULL) {
			warnx("no prices for %s in prices/ (run optima "
			    "collect-pricing)", a->region);
			goto out;
		}
		for (d = 0; d < 2; d++) {
			pv = json_object_get(json_object_get(pr, "free_tier"),
			    d == 0 ? "rcu_hours" : "wcu_hours");
			ft = pv != NULL ? json_number_value(pv) / 744 :
			    num(json_object_get(pr, "free_tier"), dims[d]);
			for (h = 0; h < r.n; h++) {
				a->today[d][h] = a->today[d][h] > ft ?
				    a->today[d][h] - ft : 0;
				a->after[d][h] = a->after[d][h] > ft ?
				    a->after[d][h] - ft : 0;
			}
		}
		json_object_set_new(payers, key(k, sizeof(k), a->payer,
		    a->region, NULL), json_true());
	}
	json_object_foreach(payers, pk, pv) {
		char payer[13], region[32];

		snprintf(payer, sizeof(payer), "%.12s", pk);
		snprintf(region, sizeof(region), "%s", pk + 13);
		for (d = 0; d < 2; d++)
			for (w = 0; w < 2; w++)
				if ((tot[d][w] = zeros(r.n)) == NULL)
					goto out;
		have[0] = have[1] = 0;
		for (i = 0; i < r.nar; i++) {
			a = &r.ar[i];
			if (strcmp(a->payer, payer) || strcmp(a->region,
			    region))
				continue;
			res = json_object_get(r.reserved, key(k, sizeof(k),
			    a->acct, a->region, NULL));
			for (d = 0; d < 2; d++) {
				have[d] += json_number_value(json_array_get(res,
				    (size_t)d));
				for (h = 0; h < r.n; h++) {
					tot[d][0][h] += a->today[d][h];
					tot[d][1][h] += a->after[d][h];
				}
			}
		}
		for (d = 0; d < 2; d++) {
			/* Whole units: what the bill's hours show. */
			have[d] = round(have[d]);
			if (reserve(&r, payer, region, d, tot[d][0], tot[d][1],
			    have[d]))
				goto out;
			for (w = 0; w < 2; w++) {
				free(tot[d][w]);
				tot[d][w] = NULL;
			}
		}
	}
	if (o->savings_plan) {
		json_t *seen = json_object();

		for (i = 0; seen != NULL && i < r.nar; i++) {
			if (json_object_get(seen, r.ar[i].payer) != NULL)
				continue;
			json_object_set_new(seen, r.ar[i].payer, json_true());
			if (plan(&r, r.ar[i].payer)) {
				json_decref(seen);
				goto out;
			}
		}
		json_decref(seen);
	}
	summary(&r);
	rc = 0;
out:
	for (d = 0; d < 2; d++)
		for (w = 0; w < 2; w++)
			free(tot[d][w]);
	for (i = 0; i < r.nar; i++)
		for (j = 0; j < 2; j++) {
			free(r.ar[i].today[j]);
			free(r.ar[i].after[j]);
		}
	free(r.ar);
	for (i = 0; i < r.nsp; i++)
		free(r.sp[i].h);
	free(r.sp);
	free(dpath);
	json_decref(payers);
	json_decref(r.payer);
	json_decref(r.prices);
	json_decref(r.rates);
	json_decref(r.state);
	json_decref(r.reserved);
	json_decref(r.after);
	json_decref(r.usage);
	json_decref(r.recs);
	json_decref(r.decisions);
	return (rc);
}
