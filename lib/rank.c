#include <err.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cost.h"
#include "datetime.h"
#include "decision.h"
#include "ndjson.h"
#include "rank.h"
#include "report.h"
#include "strbuf.h"

#define MAXCMD	(256 * 1024)	/* the longest apply text */
#define EPS	1e-9		/* USD: differences below are ties */
#define GROWTH_PCT	10	/* more than this is growth */
#define GROWTH_DAYS	3	/* days at each end to rule growth out */
#define CLASS_DAYS	30	/* AWS: 2 class changes in this many days */
#define IDLE_DAYS	14	/* days of data without a read or a write */

enum { S_CURRENT, S_AUTOSCALED, S_FIXED, S_ON_DEMAND, NSCEN };
static const char *const scen_names[NSCEN] = { "current",
	"provisioned_autoscaled", "provisioned_fixed", "on_demand" };
static const char *const classes[2] = { "STANDARD",
	"STANDARD_INFREQUENT_ACCESS" };
static const char *const class_names[2] = { "Standard", "Standard-IA" };

/* A table (index NULL, with its indexes) or one index: its scenarios. */
struct res {
	const char *index;
	json_t *rec[NSCEN][2];		/* borrowed from the group */
};

/* A scenario: which, in which class. */
struct pick {
	int s, c;
};

/* One recommendation of a table: a change from one scenario to another. */
struct step {
	const char *type;
	struct pick from, to;
};

/*
 * The pools of an account and region: what its Standard provisioned
 * capacity (RCU-hours, WCU-hours) and Standard storage (GB) draw on a
 * month before list prices apply, free tier and reserved capacity, what
 * its tables draw now, and the prices of what is drawn beyond them.
 */
enum { P_RCU, P_WCU, P_GB, NPOOL };

struct pools {
	int have;
	double partial;			/* of the records they came from */
	double free[NPOOL], reserved[NPOOL], used[NPOOL], price[NPOOL];
};

struct run {
	const struct rank_opts *o;
	const json_t *decisions;
	FILE *out;
	json_t *written;
	size_t analyzed;
	/* The group at hand: the records of one table. */
	json_t *recs;
	char *account, *region, *table;
	char *where;			/* file:line of its first record */
	json_t *seen;			/* tables done */
	/* The table being decided. */
	struct res t;
	struct res *idx;
	size_t nidx;
	int cur_class, cur_prov;
	struct pick over;		/* cheaper, but throttles too much */
	int has_over;
	/* Decided again: the tables of partial_run; kept, the others'
	 * recommendations of previous, by "account\ttable\tregion". */
	long partial;
	json_t *kept;
	int changes;			/* what the table's new ones change */
	/* Global tables whose replicas are not all read yet. */
	struct global *globals;
	size_t nglobals;
	json_t *extra;			/* fields added to what emit writes */
	/* The recommendations of the account and region at hand, written
	 * when it is done, with their joint figures; kept: 1 for those kept
	 * of the previous file.  A global table's are written as they come
	 * (direct), outside the joint figures. */
	char *pacct, *pregion;
	json_t *pend, *pend_kept;
	struct pools pools;
	int direct;
};

/* What a recommendation changes. */
#define CH_CAPACITY	1	/* billing mode or capacity settings */
#define CH_CLASS	2

/**
 * rank_id(buf, type, account, region, table, index, target):
 * Write the stable id of a recommendation into ${buf}.
 */
void
rank_id(char *buf, const char *type, const char *account, const char *region,
    const char *table, const char *index, const char *target)
{
	const char *f[6] = { type, account, region, table, index, target };
	const char *p;
	uint64_t h = 14695981039346656037ULL;
	size_t i;

	/* FNV-1a over the fields, each ended by a NUL. */
	for (i = 0; i < 6; i++) {
		for (p = f[i] != NULL ? f[i] : ""; *p != '\0'; p++) {
			h ^= (unsigned char)*p;
			h *= 1099511628211ULL;
		}
		h *= 1099511628211ULL;
	}
	snprintf(buf, RANK_IDLEN, "%s-%016" PRIx64, strcmp(type, "capacity") ==
	    0 ? "cap" : strcmp(type, "table_class") == 0 ? "cls" :
	    strcmp(type, "idle") == 0 ? "idle" : strcmp(type, "commitment") ==
	    0 ? "cmt" : "util", h);
}

/**
 * rank_confidence(coverage, days, peak_to_average, approximate):
 * "high", "medium" or "low".
 */
const char *
rank_confidence(double coverage, double days, double p2a, int approximate)
{

	if (coverage < 0.8 || days < 7)
		return ("low");
	if (coverage < 0.95 || days < 14 || p2a > 10 || approximate)
		return ("medium");
	return ("high");
}

/* ---- reading a scenario ---- */

static double
num(const json_t *o, const char *k)
{

	return (json_number_value(json_object_get(o, k)));
}

static const json_t *
rec_of(const struct res *x, struct pick p)
{

	return (x->rec[p.s][p.c]);
}

static double
usd(const struct res *x, struct pick p)
{

	return (x->rec[p.s][p.c] != NULL ? num(x->rec[p.s][p.c],
	    "monthly_usd") : NAN);
}

static int
provisioned(const json_t *rec)
{
	const char *m = json_string_value(json_object_get(rec, "billing_mode"));

	return (m == NULL || strcmp(m, "PAY_PER_REQUEST") != 0);
}

static int
lookup(const char *s, const char *const *names, int n)
{
	int i;

	for (i = 0; s != NULL && i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return (i);
	return (-1);
}

/* The utilization of ${dim} ("read", "write") in the current evidence. */
static double
util(const struct run *r, const char *dim)
{
	const json_t *e = json_object_get(rec_of(&r->t, (struct pick){
	    S_CURRENT, r->cur_class }), "evidence");

	return (num(json_object_get(e, dim), "utilization_pct"));
}

/*
 * The growth of the table's demand over its window, in percent: the
 * highest of its read and write demand's, each the last days' average or
 * peak over the first days' (the evidence's "growth"), less 100.
 * INFINITY when a demand grew from nothing, NAN when the evidence has no
 * growth (a window under 2 days, or older scenarios).  The days compared
 * into ${days}.
 */
static double
growth(const struct run *r, int *days)
{
	const json_t *g = json_object_get(json_object_get(rec_of(&r->t,
	    (struct pick){ S_CURRENT, r->cur_class }), "evidence"), "growth");
	static const char *const f[2][2] = {
		{ "first_avg_units_per_s", "last_avg_units_per_s" },
		{ "first_peak_units_per_s", "last_peak_units_per_s" } };
	const json_t *d;
	double a, b, pct = 0;
	int k, m;

	*days = (int)num(g, "days");
	if (!json_is_object(g) || *days < 1)
		return (NAN);
	for (k = 0; k < 2; k++) {
		d = json_object_get(g, k == 0 ? "read" : "write");
		for (m = 0; m < 2; m++) {
			a = num(d, f[m][0]);
			b = num(d, f[m][1]);
			if (b > a && a <= 0)
				return (INFINITY);
			if (a > 0 && 100 * (b / a - 1) > pct)
				pct = 100 * (b / a - 1);
		}
	}
	return (pct);
}

/* ---- text ---- */

/* A malloced "a\tb\tc"; NULL on allocation failure. */
static char *
join3(const char *a, const char *b, const char *c)
{
	size_t n = strlen(a) + strlen(b) + strlen(c) + 3;
	char *s;

	if ((s = malloc(n)) != NULL)
		snprintf(s, n, "%s\t%s\t%s", a, b, c);
	return (s);
}

/* Append ${v} to ${b} as a shell word, compact JSON. */
static void
shjson(struct strbuf *b, const json_t *v)
{
	char *s;

	if ((s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL) {
		b->failed = 1;
		return;
	}
	strbuf_addsh(b, s);
	free(s);
}

/* Start a command line: "aws SERVICE ACTION". */
static void
cmd(struct strbuf *b, const char *service, const char *action)
{

	if (b->len > 0)
		strbuf_addc(b, '\n');
	strbuf_addf(b, "aws %s %s", service, action);
}

static void
arg(struct strbuf *b, const char *opt, const char *val)
{

	strbuf_addf(b, " %s ", opt);
	strbuf_addsh(b, val);
}

static void
endcmd(const struct run *r, struct strbuf *b)
{

	arg(b, "--region", r->region);
}

/* What the capacity of a scenario ${x} is, in a few words. */
static void
settings_text(struct strbuf *b, const json_t *x, int s)
{
	const json_t *cap = json_object_get(x, "capacity");

	if (!provisioned(x))
		strbuf_adds(b, "on-demand");
	else if (s == S_AUTOSCALED && json_is_object(json_object_get(cap,
	    "read"))) {
		const json_t *rd = json_object_get(cap, "read"),
		    *wr = json_object_get(cap, "write");

		/* Reads and writes alike: said once. */
		if (json_equal((json_t *)rd, (json_t *)wr))
			strbuf_addf(b, "auto scaling %.0f-%.0f at %.0f%%",
			    num(rd, "min"), num(rd, "max"), num(rd, "target"));
		else
			strbuf_addf(b,
			    "auto scaling read %.0f-%.0f at %.0f%%, write "
			    "%.0f-%.0f at %.0f%%", num(rd, "min"),
			    num(rd, "max"), num(rd, "target"), num(wr, "min"),
			    num(wr, "max"), num(wr, "target"));
	} else if (s == S_AUTOSCALED)
		strbuf_addf(b, "auto scaling %.0f-%.0f at %.0f%%",
		    num(cap, "min"), num(cap, "max"), num(cap, "target"));
	else if (s == S_FIXED)
		strbuf_addf(b, "fixed %.0f read, %.0f write",
		    num(cap, "read"), num(cap, "write"));
	else {
		strbuf_addf(b, "provisioned %.0f read, %.0f write",
		    num(cap, "read"), num(cap, "write"));
		if (json_is_object(json_object_get(cap, "autoscaling")) &&
		    json_object_size(json_object_get(cap, "autoscaling")) > 0)
			strbuf_adds(b, " with auto scaling");
	}
}

/* ---- the commands that apply a change ---- */

static const char *const dims[2] = { "Read", "Write" };

/* The resource id and scalable dimension prefix of ${index} (or the table). */
static void
resource(const struct run *r, const char *index, char *id, size_t n)
{

	if (index == NULL)
		snprintf(id, n, "table/%s", r->table);
	else
		snprintf(id, n, "table/%s/index/%s", r->table, index);
}

/* update-table with provisioned throughput for the table and its indexes,
 * from the scenario ${s} (class ${c}) of each. */
static void
throughput(const struct run *r, struct strbuf *b, int s, int c,
    int switch_mode)
{
	const json_t *cap;
	json_t *gsi = json_array(), *u;
	size_t i;

	cap = json_object_get(r->t.rec[s][c], "capacity");
	cmd(b, "dynamodb", "update-table");
	arg(b, "--table-name", r->table);
	if (switch_mode)
		strbuf_adds(b, " --billing-mode PROVISIONED");
	strbuf_addf(b, " --provisioned-throughput ReadCapacityUnits=%.0f,"
	    "WriteCapacityUnits=%.0f", num(cap, "read"), num(cap, "write"));
	for (i = 0; i < r->nidx; i++) {
		if (r->idx[i].rec[s][c] == NULL)
			continue;
		cap = json_object_get(r->idx[i].rec[s][c], "capacity");
		u = json_pack("{s:{s:s, s:{s:I, s:I}}}", "Update", "IndexName",
		    r->idx[i].index, "ProvisionedThroughput",
		    "ReadCapacityUnits", (json_int_t)num(cap, "read"),
		    "WriteCapacityUnits", (json_int_t)num(cap, "write"));
		json_array_append_new(gsi, u);
	}
	if (json_array_size(gsi) > 0) {
		strbuf_adds(b, " --global-secondary-index-updates ");
		shjson(b, gsi);
	}
	json_decref(gsi);
	endcmd(r, b);
}

/* Auto scaling of one resource's dimension: register, then a policy. */
static void
autoscale_dim(const struct run *r, struct strbuf *b, const char *index,
    int k, const json_t *cap)
{
	char id[1024], dim[64], metric[64];
	json_t *policy;

	/* Tuned settings are per dimension. */
	if (json_is_object(json_object_get(cap, k == 0 ? "read" : "write")))
		cap = json_object_get(cap, k == 0 ? "read" : "write");
	resource(r, index, id, sizeof(id));
	snprintf(dim, sizeof(dim), "dynamodb:%s:%sCapacityUnits",
	    index == NULL ? "table" : "index", dims[k]);
	snprintf(metric, sizeof(metric), "DynamoDB%sCapacityUtilization",
	    dims[k]);
	cmd(b, "application-autoscaling", "register-scalable-target");
	strbuf_adds(b, " --service-namespace dynamodb");
	arg(b, "--resource-id", id);
	arg(b, "--scalable-dimension", dim);
	strbuf_addf(b, " --min-capacity %.0f --max-capacity %.0f",
	    num(cap, "min"), num(cap, "max"));
	endcmd(r, b);
	cmd(b, "application-autoscaling", "put-scaling-policy");
	strbuf_adds(b, " --service-namespace dynamodb");
	arg(b, "--resource-id", id);
	arg(b, "--scalable-dimension", dim);
	strbuf_addf(b, " --policy-name optima-%s-target-tracking"
	    " --policy-type TargetTrackingScaling", k == 0 ? "read" : "write");
	policy = json_pack("{s:f, s:{s:s}}", "TargetValue", num(cap, "target"),
	    "PredefinedMetricSpecification", "PredefinedMetricType", metric);
	strbuf_adds(b, " --target-tracking-scaling-policy-configuration ");
	shjson(b, policy);
	json_decref(policy);
	endcmd(r, b);
}

/* Remove the auto scaling a resource has now (its current record says). */
static void
deregister(const struct run *r, struct strbuf *b, const char *index,
    const json_t *current)
{
	const json_t *as = json_object_get(json_object_get(current,
	    "capacity"), "autoscaling");
	char id[1024], dim[64];
	int k;

	for (k = 0; k < 2; k++) {
		if (!json_is_object(json_object_get(as, k == 0 ? "read" :
		    "write")))
			continue;
		resource(r, index, id, sizeof(id));
		snprintf(dim, sizeof(dim), "dynamodb:%s:%sCapacityUnits",
		    index == NULL ? "table" : "index", dims[k]);
		cmd(b, "application-autoscaling", "deregister-scalable-target");
		strbuf_adds(b, " --service-namespace dynamodb");
		arg(b, "--resource-id", id);
		arg(b, "--scalable-dimension", dim);
		endcmd(r, b);
	}
}

/* Auto scaling of the table and its indexes, as their scenarios
 * provisioned_autoscaled of class ${c} say. */
static void
autoscale_table(const struct run *r, struct strbuf *b, int c)
{
	const json_t *cap;
	size_t i;
	int k;

	cap = json_object_get(r->t.rec[S_AUTOSCALED][c], "capacity");
	for (k = 0; k < 2; k++)
		autoscale_dim(r, b, NULL, k, cap);
	for (i = 0; i < r->nidx; i++) {
		if (r->idx[i].rec[S_AUTOSCALED][c] == NULL)
			continue;
		cap = json_object_get(r->idx[i].rec[S_AUTOSCALED][c],
		    "capacity");
		for (k = 0; k < 2; k++)
			autoscale_dim(r, b, r->idx[i].index, k, cap);
	}
}

/* The commands that change the capacity settings to ${to}. */
static void
apply_settings(const struct run *r, struct strbuf *b, struct pick to)
{
	size_t i;

	if (to.s == S_ON_DEMAND) {
		cmd(b, "dynamodb", "update-table");
		arg(b, "--table-name", r->table);
		strbuf_adds(b, " --billing-mode PAY_PER_REQUEST");
		endcmd(r, b);
		return;
	}
	if (to.s == S_FIXED) {
		/* Auto scaling would undo a fixed capacity: it goes first. */
		if (r->cur_prov) {
			deregister(r, b, NULL, r->t.rec[S_CURRENT][to.c]);
			for (i = 0; i < r->nidx; i++)
				deregister(r, b, r->idx[i].index,
				    r->idx[i].rec[S_CURRENT][to.c]);
		}
		throughput(r, b, S_FIXED, to.c, !r->cur_prov);
		return;
	}
	/* Auto scaling; from on-demand, starting at the fixed capacity. */
	if (!r->cur_prov && r->t.rec[S_FIXED][to.c] != NULL) {
		throughput(r, b, S_FIXED, to.c, 1);
		cmd(b, "dynamodb", "wait table-exists");
		arg(b, "--table-name", r->table);
		endcmd(r, b);
	}
	autoscale_table(r, b, to.c);
}

static void
apply_class(const struct run *r, struct strbuf *b, int c)
{

	if (b->len > 0) {
		cmd(b, "dynamodb", "wait table-exists");
		arg(b, "--table-name", r->table);
		endcmd(r, b);
	}
	cmd(b, "dynamodb", "update-table");
	arg(b, "--table-name", r->table);
	arg(b, "--table-class", classes[c]);
	endcmd(r, b);
}

/* ---- pools: the joint figures of an account and region ---- */

static const char *const pool_fields[NPOOL] = { "rcu_hours", "wcu_hours",
	"storage_gb" };
static const char *const pool_prices[NPOOL] = { "rcu_hour", "wcu_hour",
	"storage_gb_month" };

/* The notes of a reason on reserved capacity a recommendation leaves
 * unused, or takes up, start with these. */
#define STRANDED	"; frees "
#define ABSORBED	"; takes up "

/* Keep the recommendation ${rec} for the end of its account and region;
 * ${kept}: one of the previous file.  A global table's is written now,
 * its joint figure its own. */
static int
pend_add(struct run *r, json_t *rec, int kept)
{

	if (r->direct) {
		if (json_object_set_new(rec, "effective_monthly_savings_usd",
		    json_real(num(rec, "monthly_savings_usd")))) {
			warnx("out of memory");
			return (-1);
		}
		if (ndjson_write(r->out, rec)) {
			warn("recommendations");
			return (-1);
		}
		if (r->written != NULL && !kept)
			json_array_append(r->written, rec);
		return (0);
	}
	if (json_array_append(r->pend, rec) ||
	    json_array_append_new(r->pend_kept, json_boolean(kept))) {
		warnx("out of memory");
		return (-1);
	}
	return (0);
}

/* Put the recommendations kept for the end of the account and region
 * from the ${n0}th on that follow another one ("after") behind those that
 * do not, as their steps go: after an analysis of one type, a table's
 * new ones and those kept of the other types come in no order. */
static int
pend_order(struct run *r, size_t n0)
{
	json_t *recs, *kept, *rec;
	size_t i;
	int later, rc = -1;

	recs = json_array();
	kept = json_array();
	for (later = 0; later < 2 && recs != NULL && kept != NULL; later++)
		json_array_foreach(r->pend, i, rec)
			if (i >= n0 && (json_object_get(rec, "after") !=
			    NULL) == later && (json_array_append(recs, rec) ||
			    json_array_append(kept, json_array_get(
			    r->pend_kept, i))))
				goto out;
	for (i = json_array_size(r->pend); i > n0; i--)
		if (json_array_remove(r->pend, i - 1) ||
		    json_array_remove(r->pend_kept, i - 1))
			goto out;
	if (recs != NULL && kept != NULL && json_array_extend(r->pend,
	    recs) == 0 && json_array_extend(r->pend_kept, kept) == 0)
		rc = 0;
out:
	if (rc)
		warnx("out of memory");
	json_decref(recs);
	json_decref(kept);
	return (rc);
}

/* Take the pools of the account and region from the current records of
 * the table of the group, if they are of a later run of optima-simulate
 * than those taken (a partial_run higher). */
static void
pools_take(struct run *r)
{
	struct pools *q = &r->pools;
	const json_t *rec, *p;
	size_t i;
	int k;

	json_array_foreach(r->recs, i, rec) {
		p = json_object_get(rec, "pools");
		if (!json_is_object(p) || (q->have && num(rec, "partial_run") <=
		    q->partial))
			continue;
		q->have = 1;
		q->partial = num(rec, "partial_run");
		for (k = 0; k < NPOOL; k++) {
			q->free[k] = num(json_object_get(p, "free"),
			    pool_fields[k]);
			q->reserved[k] = num(json_object_get(p, "reserved"),
			    pool_fields[k]);
			q->used[k] = num(json_object_get(p, "used"),
			    pool_fields[k]);
			q->price[k] = num(json_object_get(p, "prices"),
			    pool_prices[k]);
		}
	}
}

/* ${v} as a record has it, written with 15 significant digits and read
 * back: a recommendation kept from the previous file counts for the
 * joint figures as the same one made again does. */
static json_t *
written_real(double v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%.15g", v);
	return (json_real(strtod(buf, NULL)));
}

/*
 * Say on the recommendation ${rec} how it changes what its account and
 * region draws on the pools, from ${from} to ${to} of ${x} (a ${review}
 * takes the index away), and the part of its ${saving} outside them:
 * "pool_change", from the scenarios' "pool_use" (none if they have none).
 */
static int
pool_change(json_t *rec, const struct res *x, struct pick from,
    struct pick to, double saving, int review)
{
	const json_t *a = json_object_get(rec_of(x, from), "pool_use"),
	    *b = json_object_get(rec_of(x, to), "pool_use");
	json_t *o;
	int k;

	if (review) {
		a = b;
		b = NULL;
	}
	if (!json_is_object(a) || (!review && !json_is_object(b)))
		return (0);
	if ((o = json_object()) == NULL)
		goto nomem;
	for (k = 0; k < NPOOL; k++)
		if (json_object_set_new(o, pool_fields[k], written_real(num(b,
		    pool_fields[k]) - num(a, pool_fields[k]))))
			goto nomem;
	if (json_object_set_new(o, "savings_outside_usd", written_real(saving -
	    (num(a, "usd") - num(b, "usd")))) ||
	    json_object_set_new(rec, "pool_change", o))
		goto nomem;
	return (0);
nomem:
	json_decref(o);
	warnx("out of memory");
	return (-1);
}

/* The unit-hours of reserved capacity of pool ${k} in use when the
 * account and region draws ${u}: the free tier goes first. */
static double
in_reserved(const struct pools *q, int k, double u)
{

	return (fmin(q->reserved[k], fmax(0, u - q->free[k])));
}

/* The last ${mark} in ${s}, or NULL. */
static const char *
last(const char *s, const char *mark)
{
	const char *p, *at = NULL;

	for (p = s; (p = strstr(p, mark)) != NULL; p++)
		at = p;
	return (at);
}

/* Take from ${rec} (kept from the previous file) what a former run said
 * of the reserved capacity it left unused or took up. */
static void
unstrand(json_t *rec)
{
	const char *why = json_string_value(json_object_get(rec, "reason"));
	const char *a, *b;
	char *cut;

	if ((json_object_get(rec, "stranded_reserved") == NULL &&
	    json_object_get(rec, "absorbed_reserved") == NULL) || why == NULL)
		return;
	a = last(why, STRANDED);
	b = last(why, ABSORBED);
	if (a == NULL || (b != NULL && b > a))
		a = b;
	if (a != NULL && (cut = strndup(why, (size_t)(a - why))) != NULL) {
		json_object_set_new(rec, "reason", json_string(cut));
		free(cut);
	}
	json_object_del(rec, "stranded_reserved");
	json_object_del(rec, "absorbed_reserved");
}

/* Append to ${b} the units of ${idle} (unit-hours a month of reads and
 * writes) of the sign ${sign}, "400 RCU and 200 WCU", and set them on
 * ${o}; return how many there are. */
static int
units_text(struct strbuf *b, json_t *o, const double idle[2], int sign)
{
	static const char *const what[2] = { "RCU", "WCU" };
	static const char *const keys[2] = { "rcu", "wcu" };
	char units[64];
	double v;
	int k, n = 0;

	for (k = 0; k < 2; k++) {
		v = sign * idle[k] / COST_MONTH_HOURS;
		if (v < 0.5)
			continue;
		/* The units, grouped as money is, without its "$". */
		report_money(units, sizeof(units), v, 0);
		strbuf_addf(b, "%s%s %s", n++ > 0 ? " and " : "", units + 1,
		    what[k]);
		json_object_set_new(o, keys[k], json_real(v));
	}
	return (n);
}

/*
 * Name in the reason of ${rec} the reserved capacity it leaves unused
 * (${idle} positive: unit-hours a month of reads and writes) or takes up
 * (negative), with what the bill falls by (${eff}) and its list saving:
 * "stranded_reserved" and "absorbed_reserved" give the units.
 */
static int
strand(json_t *rec, const double idle[2], double eff)
{
	struct strbuf b, f, t;
	json_t *freed = json_object(), *taken = json_object();
	char m[64];
	char *why;
	int rc = -1;

	strbuf_init(&f, 256);
	strbuf_init(&t, 256);
	units_text(&f, freed, idle, 1);
	units_text(&t, taken, idle, -1);
	strbuf_init(&b, 1024);
	strbuf_adds(&b, json_string_value(json_object_get(rec, "reason")));
	if (f.len > 0) {
		strbuf_adds(&b, STRANDED);
		strbuf_add(&b, f.s, f.len);
		strbuf_adds(&b, " of reserved capacity nothing else in the "
		    "account and region uses, the recommendations before it "
		    "applied");
	}
	if (t.len > 0) {
		strbuf_adds(&b, ABSORBED);
		strbuf_add(&b, t.s, t.len);
		strbuf_adds(&b, " of reserved capacity the recommendations "
		    "before it leave unused");
	}
	strbuf_addf(&b, ": the bill falls by %s a month", report_money(m,
	    sizeof(m), eff, 2));
	strbuf_addf(&b, ", not %s", report_money(m, sizeof(m), num(rec,
	    "monthly_savings_usd"), 2));
	if ((why = strbuf_finish(&b)) != NULL && freed != NULL &&
	    taken != NULL &&
	    json_object_set_new(rec, "reason", json_string(why)) == 0 &&
	    (json_object_size(freed) == 0 || json_object_set(rec,
	    "stranded_reserved", freed) == 0) &&
	    (json_object_size(taken) == 0 || json_object_set(rec,
	    "absorbed_reserved", taken) == 0))
		rc = 0;
	else
		warnx("out of memory");
	free(why);
	strbuf_free(&f);
	strbuf_free(&t);
	json_decref(freed);
	json_decref(taken);
	return (rc);
}

/* Whether ${rec} is to be applied: pending or accepted, not rejected nor
 * implemented (whose saving is in the bill already). */
static int
to_apply(const json_t *rec)
{
	const char *st = json_string_value(json_object_get(rec, "status"));

	return (st == NULL || (strcmp(st, "rejected") != 0 &&
	    strcmp(st, "implemented") != 0));
}

/*
 * Set the joint figure of ${rec}, "effective_monthly_savings_usd": its
 * saving outside the pools, and what its change of the account and
 * region's draws ${u} (then updated, if it is to be applied) saves beyond
 * the free tier and the reserved capacity; without pools, its own
 * saving.  A change that
 * leaves reserved capacity unused, or takes up what those before it
 * left, says so in its reason.
 */
static int
joint(const struct run *r, json_t *rec, double u[NPOOL])
{
	const struct pools *q = &r->pools;
	const json_t *c = json_object_get(rec, "pool_change");
	double eff, d, pool, idle[2] = { 0, 0 };	/* reserved unit-hours
							   left unused */
	int k;

	unstrand(rec);
	if (!q->have || !json_is_object(c))
		eff = num(rec, "monthly_savings_usd");
	else {
		eff = num(c, "savings_outside_usd");
		for (k = 0; k < NPOOL; k++) {
			d = num(c, pool_fields[k]);
			pool = q->free[k] + q->reserved[k];
			eff += q->price[k] * (fmax(0, u[k] - pool) -
			    fmax(0, u[k] + d - pool));
			if (k != P_GB)
				idle[k] = in_reserved(q, k, u[k]) -
				    in_reserved(q, k, u[k] + d);
			if (to_apply(rec))
				u[k] += d;
		}
	}
	if (json_object_set_new(rec, "effective_monthly_savings_usd",
	    json_real(eff))) {
		warnx("out of memory");
		return (-1);
	}
	if (fabs(idle[0]) >= COST_MONTH_HOURS / 2.0 ||
	    fabs(idle[1]) >= COST_MONTH_HOURS / 2.0)
		return (strand(rec, idle, eff));
	return (0);
}

/*
 * Write the recommendations of the account and region at hand, in their
 * order, each with its joint figure: what it changes in the bill when
 * applied after those before it that are to be applied.  The figures of
 * those to be applied of an account and region add up to the change of
 * its bill when all of them are.
 */
static int
pools_flush(struct run *r)
{
	double u[NPOOL];
	json_t *rec;
	size_t i;
	int k;

	for (k = 0; k < NPOOL; k++)
		u[k] = r->pools.used[k];
	json_array_foreach(r->pend, i, rec) {
		if (joint(r, rec, u))
			return (-1);
		if (ndjson_write(r->out, rec)) {
			warn("recommendations");
			return (-1);
		}
		if (r->written != NULL && !json_is_true(json_array_get(
		    r->pend_kept, i)))
			json_array_append(r->written, rec);
	}
	json_array_clear(r->pend);
	json_array_clear(r->pend_kept);
	memset(&r->pools, 0, sizeof(r->pools));
	return (0);
}

/* The records of ${account} and ${region} come: write the recommendations
 * of the account and region before them, if another. */
static int
pools_next(struct run *r, const char *account, const char *region)
{

	if (r->pacct != NULL && strcmp(r->pacct, account) == 0 &&
	    strcmp(r->pregion, region) == 0)
		return (0);
	if (pools_flush(r))
		return (-1);
	free(r->pacct);
	free(r->pregion);
	if ((r->pacct = strdup(account)) == NULL ||
	    (r->pregion = strdup(region)) == NULL) {
		warn("recommendations");
		return (-1);
	}
	return (0);
}

/* ---- recommendations ---- */

/* The settings of the index scenario ${rec}: its capacity's fields, its
 * billing mode and its monthly cost. */
static json_t *
index_settings(const json_t *rec)
{
	const json_t *cap = json_object_get(rec, "capacity");
	json_t *o;

	o = json_is_object(cap) ? json_deep_copy(cap) : json_object();
	if (o == NULL)
		return (NULL);
	json_object_set_new(o, "billing_mode", json_string(provisioned(rec) ?
	    "PROVISIONED" : "PAY_PER_REQUEST"));
	json_object_set_new(o, "monthly_usd", json_real(num(rec,
	    "monthly_usd")));
	return (o);
}

/* The settings of scenario ${p} of ${x} for "current" and "recommended";
 * a table's with its indexes'. */
static json_t *
settings(const struct run *r, const struct res *x, struct pick p)
{
	const json_t *rec = rec_of(x, p);
	json_t *o, *ix;
	size_t i;

	o = json_pack("{s:s, s:s, s:s, s:O}", "billing_mode", provisioned(rec) ?
	    "PROVISIONED" : "PAY_PER_REQUEST", "table_class", classes[p.c],
	    "scenario", scen_names[p.s], "capacity", json_object_get(rec,
	    "capacity"));
	if (o == NULL || x->index != NULL || r->nidx == 0)
		return (o);
	if ((ix = json_object()) == NULL) {
		json_decref(o);
		return (NULL);
	}
	/* Each index: its capacity (none on-demand), mode and cost. */
	for (i = 0; i < r->nidx; i++)
		if ((rec = r->idx[i].rec[p.s][p.c]) != NULL)
			json_object_set_new(ix, r->idx[i].index,
			    index_settings(rec));
	json_object_set_new(o, "indexes", ix);
	return (o);
}

static double class_locked_since(const struct run *);

/* What the recommendation ${rec} changes: CH_CAPACITY if its scenario does
 * (not from on-demand to on-demand), CH_CLASS if its class does; nothing,
 * a review. */
static int
changes(const json_t *rec)
{
	const json_t *c = json_object_get(rec, "current"),
	    *to = json_object_get(rec, "recommended");
	const char *s0 = json_string_value(json_object_get(c, "scenario")),
	    *s1 = json_string_value(json_object_get(to, "scenario")),
	    *c0 = json_string_value(json_object_get(c, "table_class")),
	    *c1 = json_string_value(json_object_get(to, "table_class")),
	    *m0 = json_string_value(json_object_get(c, "billing_mode"));
	int ch = 0;

	if (s0 != NULL && s1 != NULL && strcmp(s0, s1) != 0 &&
	    !(strcmp(s1, "on_demand") == 0 && m0 != NULL &&
	    strcmp(m0, "PAY_PER_REQUEST") == 0))
		ch |= CH_CAPACITY;
	if (c0 != NULL && c1 != NULL && strcmp(c0, c1) != 0)
		ch |= CH_CLASS;
	return (ch);
}

/* The evidence: the current record's, and the window's (and, while the
 * table may not change class, since when and until when). */
static json_t *
evidence(const struct run *r, const struct res *x, const json_t *to)
{
	const json_t *cur = x->rec[S_CURRENT][r->cur_class];
	char when[DATETIME_LEN];
	double locked;
	json_t *e;

	if ((e = json_deep_copy(json_object_get(cur, "evidence"))) == NULL &&
	    (e = json_object()) == NULL)
		return (NULL);
	json_object_set(e, "coverage", json_object_get(cur, "coverage"));
	json_object_set(e, "days", json_object_get(cur, "days"));
	if (json_object_get(cur, "days_asked") != NULL)
		json_object_set(e, "days_asked", json_object_get(cur,
		    "days_asked"));
	if (json_is_number(json_object_get(cur, "observed_days"))) {
		json_object_set(e, "observed_days", json_object_get(cur,
		    "observed_days"));
		json_object_set(e, "observed_start", json_object_get(cur,
		    "observed_start"));
		json_object_set(e, "observed_from", json_object_get(cur,
		    "observed_from"));
	}
	json_object_set(e, "period", json_object_get(cur, "period"));
	json_object_set(e, "approximate", json_object_get(cur, "approximate"));
	json_object_set_new(e, "throttled_minutes", json_real(num(to,
	    "throttled_minutes")));
	json_object_set_new(e, "throttle_budget_minutes",
	    json_real(r->o->throttle_budget));
	if (x == &r->t && (locked = class_locked_since(r)) >= 0) {
		json_object_set_new(e, "table_class_updated", json_string(
		    datetime_format(when, (time_t)locked)));
		json_object_set_new(e, "table_class_change_from", json_string(
		    datetime_format(when, (time_t)locked + CLASS_DAYS * 86400)));
	}
	if (x == &r->t && r->has_over)
		json_object_set_new(e, "over_throttle_budget", json_pack(
		    "{s:s, s:s, s:f, s:f}", "scenario", scen_names[r->over.s],
		    "table_class", classes[r->over.c], "monthly_usd", usd(x,
		    r->over), "throttled_minutes", num(rec_of(x, r->over),
		    "throttled_minutes")));
	return (e);
}

/* The days the current scenario ${cur} was judged on: its own days if it
 * has fewer than the window's, else the window's. */
static double
judged_days(const json_t *cur)
{
	const json_t *v = json_object_get(cur, "observed_days");

	return (json_is_number(v) ? json_number_value(v) : num(cur, "days"));
}

/* ${reason} with what lowers its confidence ${conf}, if anything of the
 * data does: a life shorter than the window, days without metrics.  A
 * malloced string; NULL on allocation failure. */
static char *
reason_text(const json_t *cur, const char *reason, const char *conf)
{
	struct strbuf b;
	const char *from = json_string_value(json_object_get(cur,
	    "observed_from"));
	const char *start = json_string_value(json_object_get(cur,
	    "observed_start"));
	double cov = num(cur, "coverage");

	strbuf_init(&b, strlen(reason) + 512);
	strbuf_adds(&b, reason);
	if (from == NULL)
		from = "";
	if (json_is_number(json_object_get(cur, "observed_days")))
		strbuf_addf(&b, "; judged on its own %.1f days, from %s (%s), "
		    "not the %.0f-day window: %s confidence", judged_days(cur),
		    start != NULL ? start : "?", strcmp(from, "created") == 0 ?
		    "its creation" : strcmp(from, "first_series") == 0 ?
		    "the first day of its metrics" : "its first datapoint",
		    num(cur, "days"), conf);
	else if (cov < 0.95)
		strbuf_addf(&b, "; metrics on %.0f%% of the %.0f days: %s "
		    "confidence", 100 * cov, num(cur, "days"), conf);
	return (strbuf_finish(&b));
}

/* Write one recommendation: ${type} for ${x}, from ${from} to ${to},
 * with ${reason}, ${change} and ${apply} (NULL for a review). */
static int
emit(struct run *r, const char *type, const struct res *x, struct pick from,
    struct pick to, double was, double saving, const char *target,
    const char *reason, const char *change, const char *apply,
    const char *after)
{
	const json_t *cur = x->rec[S_CURRENT][r->cur_class], *e;
	const char *conf;
	char id[RANK_IDLEN], *why;
	json_t *rec;
	int rc;

	/* An idle table is told if retiring it saves (decide_idle). */
	if (strcmp(type, "idle") != 0 && (saving < r->o->min_savings ||
	    saving <= 0))
		return (0);
	rank_id(id, type, r->account, r->region, r->table, x->index, target);
	e = json_object_get(cur, "evidence");
	conf = rank_confidence(num(cur, "coverage"), judged_days(cur), num(e,
	    "peak_to_average"), json_is_true(json_object_get(cur,
	    "approximate")));
	if ((why = reason_text(cur, reason, conf)) == NULL) {
		warnx("%s: table %s: recommendation too long", r->where,
		    r->table);
		return (-1);
	}
	rec = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s, s:s, s:o, "
	    "s:o, s:f, s:f, s:f, s:f, s:f, s:s, s:s, s:o, s:s, s:s?}",
	    "kind", "recommendation", "id", id, "type", type, "account",
	    r->account, "region", r->region, "table", r->table, "index",
	    x->index, "action", apply != NULL && strcmp(type, "idle") != 0 ?
	    "change" : "review", "change",
	    change, "current", settings(r, x, from), "recommended",
	    apply != NULL ? settings(r, x, to) : json_pack("{s:s}", "action",
	    "review"), "current_monthly_usd", was, "recommended_monthly_usd",
	    was - saving, "monthly_savings_usd", saving, "annual_savings_usd",
	    saving * 12, "savings_pct", was > 0 ? 100 * saving / was : 0.0,
	    "confidence", conf, "reason", why, "evidence", evidence(r, x,
	    rec_of(x, to)), "status", decision_status(r->decisions, id),
	    "apply", apply != NULL && *apply != '\0' ? apply : NULL);
	free(why);
	if (rec == NULL) {
		warnx("%s: table %s: cannot make its recommendation", r->where,
		    r->table);
		return (-1);
	}
	if (after != NULL)
		json_object_set_new(rec, "after", json_string(after));
	if (r->extra != NULL)
		json_object_update(rec, r->extra);
	/* An analysis of one type writes that type's only. */
	if (r->o->type != NULL && strcmp(type, r->o->type) != 0) {
		json_decref(rec);
		return (0);
	}
	r->changes |= changes(rec);
	rc = pool_change(rec, x, from, to, saving, apply == NULL) ||
	    pend_add(r, rec, 0);
	json_decref(rec);
	return (rc);
}

/* When the table's class last changed (its current record's
 * table_class_updated_epoch, from DynamoDB's TableClassSummary), if less
 * than 30 days ago; else -1. */
static double
class_locked_since(const struct run *r)
{
	const json_t *v = json_object_get(r->t.rec[S_CURRENT][r->cur_class],
	    "table_class_updated_epoch");

	if (!json_is_number(v) || (double)r->o->now - json_number_value(v) >=
	    CLASS_DAYS * 86400.0)
		return (-1);
	return (json_number_value(v));
}

/*
 * Whether the table may change class: at most 2 changes in 30 days.  Of
 * the changes DynamoDB knows only the last one's time: one in the last 30
 * days may have been the second, so none is made until 30 days after it.
 * Also as far as decisions.ndjson knows (its changes marked implemented).
 */
static int
class_changes_left(const struct run *r)
{
	char id[RANK_IDLEN];
	const char *at;
	time_t t;
	int c, n = 0;

	if (class_locked_since(r) >= 0)
		return (0);

	for (c = 0; c < 2; c++) {
		rank_id(id, "table_class", r->account, r->region, r->table,
		    NULL, classes[c]);
		if (strcmp(decision_status(r->decisions, id), "implemented"))
			continue;
		at = json_string_value(json_object_get(json_object_get(
		    r->decisions, id), "at"));
		if (at != NULL && datetime_parse(&t, at) == 0 &&
		    r->o->now - t < 30 * 86400)
			n++;
	}
	return (n < 2);
}

/*
 * Whether a fixed capacity in class ${c} is safe for the table, on-demand
 * now: its demand did not grow over the window, and it costs less than
 * auto scaling (if that is within the throttle budget) by more than the
 * minimum saving.  If not, why into ${why} (if not NULL).
 */
static int
fixed_is_safe(const struct run *r, int c, struct strbuf *why)
{
	const json_t *as = r->t.rec[S_AUTOSCALED][c];
	double g, more;
	int days;

	g = growth(r, &days);
	if (isnan(g) || (g <= GROWTH_PCT && days < GROWTH_DAYS)) {
		if (why != NULL)
			strbuf_adds(why, "too few days to rule out growth");
		return (0);
	}
	if (g > GROWTH_PCT) {
		if (why != NULL) {
			if (isinf(g))
				strbuf_addf(why, "demand grew from none in the "
				    "first %d days", days);
			else
				strbuf_addf(why, "demand grew %.0f%% from the "
				    "first %d days to the last", g, days);
		}
		return (0);
	}
	if (as == NULL || num(as, "throttled_minutes") >
	    r->o->throttle_budget)
		return (1);
	more = num(as, "monthly_usd") - usd(&r->t, (struct pick){ S_FIXED,
	    c });
	if (more > r->o->min_savings)
		return (1);
	if (why != NULL && more <= 0)
		strbuf_addf(why, "a fixed capacity would cost $%.2f more a "
		    "month", -more);
	else if (why != NULL)
		strbuf_addf(why, "a fixed capacity would save only $%.2f "
		    "more a month (not over $%.2f)", more, r->o->min_savings);
	return (0);
}

/* Whether the scenario ${p} of the table may be chosen. */
static int
allowed(const struct run *r, struct pick p, int *over_budget)
{
	const json_t *x = r->t.rec[p.s][p.c], *std, *cur;
	double tput;

	*over_budget = 0;
	if (x == NULL)
		return (0);
	if (p.c != r->cur_class) {
		if (!class_changes_left(r))
			return (0);
		/* Reserved capacity covers only Standard: a table the bill
		 * shows it covering would lose a discount the list prices
		 * of the scenarios do not see. */
		cur = json_object_get(r->t.rec[S_CURRENT][r->cur_class], "cur");
		if (p.c == 1 && (num(cur, "reserved_rcu_hours") > 0 ||
		    num(cur, "reserved_wcu_hours") > 0))
			return (0);
		std = r->t.rec[p.s][0];
		if (p.c == 1 && r->o->breakeven > 0 && std != NULL) {
			tput = num(json_object_get(std, "breakdown"),
			    "read_usd") + num(json_object_get(std,
			    "breakdown"), "write_usd");
			if (num(json_object_get(std, "breakdown"),
			    "storage_usd") < r->o->breakeven * tput)
				return (0);
		}
	}
	if (p.s == S_FIXED && !r->cur_prov && !fixed_is_safe(r, p.c, NULL))
		return (0);
	if (p.s == S_AUTOSCALED || p.s == S_FIXED) {
		/* New settings for a provisioned table: only if wasted, or
		 * if it auto scales now and the tuned settings cost less. */
		const json_t *as = json_object_get(json_object_get(
		    r->t.rec[S_CURRENT][r->cur_class], "capacity"),
		    "autoscaling");

		if (r->cur_prov && !(p.s == S_AUTOSCALED &&
		    json_is_object(as) && json_object_size(as) > 0) &&
		    util(r, "read") >= r->o->low_utilization &&
		    util(r, "write") >= r->o->low_utilization)
			return (0);
		if (num(x, "throttled_minutes") > r->o->throttle_budget) {
			*over_budget = 1;
			return (0);
		}
	}
	return (1);
}

/* The step's kind: a change of settings is "capacity" if the billing
 * mode changes, else "utilization"; a change of class "table_class". */
static const char *
step_type(const struct run *r, struct pick from, struct pick to)
{

	if (from.s == to.s || (to.s == S_ON_DEMAND && !r->cur_prov))
		return ("table_class");
	if (provisioned(rec_of(&r->t, to)) != r->cur_prov)
		return ("capacity");
	return ("utilization");
}

/* Whether the index scenarios ${a} and ${b} have the same settings: both
 * on-demand, or both the same provisioned capacity without auto scaling. */
static int
same_settings(const json_t *a, const json_t *b)
{
	const json_t *ca = json_object_get(a, "capacity"),
	    *cb = json_object_get(b, "capacity"), *as;

	if (provisioned(a) != provisioned(b))
		return (0);
	if (!provisioned(a))
		return (1);
	as = json_object_get(ca, "autoscaling");
	return (!json_is_number(json_object_get(ca, "min")) &&
	    !json_is_number(json_object_get(cb, "min")) &&
	    !(json_is_object(as) && json_object_size(as) > 0) &&
	    num(ca, "read") == num(cb, "read") &&
	    num(ca, "write") == num(cb, "write"));
}

/*
 * Append to ${change} the change of each index of the table from the
 * settings ${from} to ${to} ("; index NAME: ... -> ..."), and to ${cost}
 * what each changed index costs before and after, part of the table's
 * figures.
 */
static void
index_changes(const struct run *r, struct strbuf *change,
    struct strbuf *cost, struct pick from, struct pick to)
{
	const json_t *a, *b;
	size_t i;

	for (i = 0; i < r->nidx; i++) {
		a = r->idx[i].rec[from.s][from.c];
		b = r->idx[i].rec[to.s][to.c];
		if (a == NULL || b == NULL || same_settings(a, b))
			continue;
		strbuf_adds(change, "; index ");
		strbuf_adds(change, r->idx[i].index);
		strbuf_adds(change, ": ");
		settings_text(change, a, from.s);
		strbuf_adds(change, " -> ");
		settings_text(change, b, to.s);
		strbuf_adds(cost, cost->len > 0 ? ", " : "the figures include "
		    "the indexes: ");
		strbuf_addf(cost, "%s $%.2f -> $%.2f a month", r->idx[i].index,
		    num(a, "monthly_usd"), num(b, "monthly_usd"));
	}
}

/* Say in ${b} why an on-demand table goes to ${to}: auto scaling, and why
 * not a fixed capacity; or a fixed capacity, and why it is safe. */
static void
fixed_or_not(const struct run *r, struct strbuf *b, struct pick to)
{
	const json_t *as = rec_of(&r->t, (struct pick){ S_AUTOSCALED, to.c });
	double g;
	int days;

	if (to.s == S_AUTOSCALED) {
		strbuf_adds(b, "; auto scaling, not a fixed capacity: ");
		if (r->t.rec[S_FIXED][to.c] == NULL)
			strbuf_adds(b, "there is none");
		else if (fixed_is_safe(r, to.c, b))
			strbuf_adds(b, num(r->t.rec[S_FIXED][to.c],
			    "throttled_minutes") > r->o->throttle_budget ?
			    "a fixed capacity would throttle" :
			    "it costs less");
		return;
	}
	if (to.s != S_FIXED)
		return;
	g = growth(r, &days);
	strbuf_addf(b, "; a fixed capacity (the peak at 80%%), not auto "
	    "scaling: no growth over the window (%.0f%% from the first %d "
	    "days to the last, not over %d%%)", g, days, GROWTH_PCT);
	if (as != NULL && num(as, "throttled_minutes") <=
	    r->o->throttle_budget)
		strbuf_addf(b, " and it saves $%.2f a month more", num(as,
		    "monthly_usd") - usd(&r->t, to));
	else if (as != NULL)
		strbuf_adds(b, " and auto scaling would throttle");
}

/* Write the recommendation of one step (or of two folded in one). */
static int
emit_step(struct run *r, const struct step *st, const char *after,
    char *idbuf)
{
	const json_t *from = rec_of(&r->t, st->from), *to = rec_of(&r->t,
	    st->to);
	const json_t *e = json_object_get(r->t.rec[S_CURRENT][r->cur_class],
	    "evidence");
	const json_t *bd = json_object_get(from, "breakdown");
	struct strbuf change, reason, apply, idxcost;
	const char *target;
	char *c = NULL, *why = NULL, *ap = NULL;
	int settings_change = st->from.s != st->to.s && !(st->to.s ==
	    S_ON_DEMAND && !r->cur_prov);
	int class_change = st->from.c != st->to.c, rc = -1;
	double share;

	strbuf_init(&change, MAXCMD);
	strbuf_init(&reason, MAXCMD);
	strbuf_init(&apply, MAXCMD);
	strbuf_init(&idxcost, MAXCMD);
	if (settings_change) {
		settings_text(&change, from, st->from.s);
		strbuf_adds(&change, " -> ");
		settings_text(&change, to, st->to.s);
		index_changes(r, &change, &idxcost, st->from, st->to);
		apply_settings(r, &apply, st->to);
		if (provisioned(from) && !provisioned(to))
			strbuf_addf(&reason, "average utilization %.0f%% read, "
			    "%.0f%% write, peaks %.1fx the average: on-demand "
			    "costs less", util(r, "read"), util(r, "write"),
			    num(e, "peak_to_average"));
		else if (!provisioned(from)) {
			strbuf_addf(&reason, "steady traffic (peaks %.1fx the "
			    "average): provisioned capacity costs less than "
			    "on-demand", num(e, "peak_to_average"));
			fixed_or_not(r, &reason, st->to);
		}
		else if (st->to.s == S_AUTOSCALED &&
		    util(r, "read") >= r->o->low_utilization &&
		    util(r, "write") >= r->o->low_utilization)
			/* Not under the threshold: auto scaling settings
			 * that cost more than the tuned ones. */
			strbuf_addf(&reason, "average utilization %.0f%% read, "
			    "%.0f%% write: auto scaling tuned to the traffic "
			    "costs less than its settings", util(r, "read"),
			    util(r, "write"));
		else
			strbuf_addf(&reason, "average utilization %.0f%% read, "
			    "%.0f%% write (under %.0f%%): less capacity is "
			    "enough", util(r, "read"), util(r, "write"),
			    r->o->low_utilization);
		if (num(to, "throttled_minutes") > 0)
			strbuf_addf(&reason, ", about %.0f throttled minutes "
			    "a month", num(to, "throttled_minutes"));
		if (idxcost.len > 0) {
			strbuf_adds(&reason, "; ");
			strbuf_add(&reason, idxcost.s, idxcost.len);
		}
	}
	if (class_change) {
		if (settings_change) {
			strbuf_adds(&change, ", ");
			strbuf_adds(&reason, "; ");
		}
		strbuf_addf(&change, "%s -> %s", class_names[st->from.c],
		    class_names[st->to.c]);
		apply_class(r, &apply, st->to.c);
		share = num(from, "monthly_usd") > 0 ? 100 * num(bd,
		    "storage_usd") / num(from, "monthly_usd") : 0;
		if (st->to.c == 1)
			strbuf_addf(&reason, "storage is %.0f%% of the cost: "
			    "Standard-IA's cheaper storage outweighs its dearer "
			    "throughput (no reserved capacity for Standard-IA)",
			    share);
		else
			strbuf_addf(&reason, "storage is only %.0f%% of the "
			    "cost: Standard's cheaper throughput outweighs its "
			    "dearer storage", share);
	}
	if ((c = strbuf_finish(&change)) == NULL ||
	    (why = strbuf_finish(&reason)) == NULL ||
	    (ap = strbuf_finish(&apply)) == NULL) {
		warnx("%s: table %s: recommendation too long", r->where,
		    r->table);
		goto done;
	}
	if (strcmp(st->type, "table_class") == 0)
		target = classes[st->to.c];
	else if (strcmp(st->type, "capacity") == 0)
		target = provisioned(to) ? "PROVISIONED" : "PAY_PER_REQUEST";
	else
		target = "capacity";
	rank_id(idbuf, st->type, r->account, r->region, r->table, NULL,
	    target);
	rc = emit(r, st->type, &r->t, st->from, st->to, usd(&r->t, st->from),
	    usd(&r->t, st->from) - usd(&r->t, st->to), target, why, c, ap,
	    after);
done:
	free(c);
	free(why);
	free(ap);
	strbuf_free(&idxcost);
	return (rc);
}

/* Indexes without a read all window: worth a review. */
static int
review_indexes(struct run *r, struct pick chosen, double left)
{
	const json_t *cur, *e;
	char reason[256];
	double saving;
	size_t i;

	for (i = 0; i < r->nidx; i++) {
		cur = r->idx[i].rec[S_CURRENT][r->cur_class];
		e = json_object_get(json_object_get(cur, "evidence"), "read");
		if (cur == NULL || e == NULL || num(cur, "coverage") < 1 ||
		    num(e, "avg_units_per_s") > 0 ||
		    num(e, "peak_units_per_s") > 0 ||
		    r->idx[i].rec[chosen.s][chosen.c] == NULL)
			continue;
		/* What it costs in the decided settings, within the table's. */
		saving = fmin(usd(&r->idx[i], chosen), left);
		if (saving <= 0)
			continue;
		left -= saving;
		snprintf(reason, sizeof(reason), "no reads in %.0f days: "
		    "review whether the index is still needed",
		    judged_days(cur));
		if (emit(r, "utilization", &r->idx[i], (struct pick){
		    S_CURRENT, r->cur_class }, chosen, usd(&r->idx[i], chosen),
		    saving, "review", reason, "review unused index", NULL,
		    NULL))
			return (-1);
	}
	return (0);
}

/* ---- idle tables ---- */

/* Whether the current evidence of ${x} has no read and no write. */
static int
no_traffic(const struct run *r, const struct res *x)
{
	const json_t *e = json_object_get(x->rec[S_CURRENT][r->cur_class],
	    "evidence");
	const json_t *d;
	int k;

	if (!json_is_object(e))
		return (0);
	for (k = 0; k < 2; k++) {
		d = json_object_get(e, k == 0 ? "read" : "write");
		if (!json_is_object(d) || num(d, "avg_units_per_s") != 0 ||
		    num(d, "peak_units_per_s") != 0)
			return (0);
	}
	return (1);
}

/* The days of data of the table without a read or a write, nor of its
 * indexes: the days it was judged on that have its metrics; 0 if it was
 * read or written. */
static double
idle_days(const struct run *r)
{
	const json_t *cur = r->t.rec[S_CURRENT][r->cur_class];
	size_t i;

	if (!no_traffic(r, &r->t))
		return (0);
	for (i = 0; i < r->nidx; i++)
		if (r->idx[i].rec[S_CURRENT][r->cur_class] != NULL &&
		    !no_traffic(r, &r->idx[i]))
			return (0);
	return (judged_days(cur) * fmin(1, num(cur, "coverage")));
}

/* Whether ${s} is a name DynamoDB allows for a table ([A-Za-z0-9_.-]),
 * or a region's: a comment of the script may hold it. */
static int
plain_name(const char *s)
{

	return (*s != '\0' && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789_.-") == strlen(s));
}

/* The commands that would retire the table, into ${b}: an on-demand
 * backup, then its deletion.  The report writes them as comments only. */
static void
retire_commands(const struct run *r, struct strbuf *b)
{
	char name[300];

	snprintf(name, sizeof(name), "%s-optima-idle", r->table);
	cmd(b, "dynamodb", "create-backup");
	arg(b, "--table-name", r->table);
	arg(b, "--backup-name", name);
	endcmd(r, b);
	cmd(b, "dynamodb", "delete-table");
	arg(b, "--table-name", r->table);
	endcmd(r, b);
}

/* The cheapest way to keep the table: on-demand, in the class of the two
 * it may take that costs less (its own on a tie); what it has now if
 * that is on-demand in that class already. */
static struct pick
idle_keep(const struct run *r)
{
	struct pick cur = { S_CURRENT, r->cur_class }, keep = { S_ON_DEMAND,
	    r->cur_class }, p = { S_ON_DEMAND, 1 - r->cur_class };
	int over;

	if (allowed(r, p, &over) && usd(&r->t, p) < usd(&r->t, keep) - EPS)
		keep = p;
	if (usd(&r->t, keep) >= usd(&r->t, cur) - EPS || (!r->cur_prov &&
	    keep.c == cur.c))
		keep = cur;
	return (keep);
}

/*
 * The table has had no read and no write, nor have its indexes, in
 * ${days} days of data (at least IDLE_DAYS): tell it as an idle resource
 * to review, in place of any other recommendation of the table (keeping
 * it changes its mode and class: the two would not add up).  Keeping it
 * is idle_keep's; retiring it, an on-demand backup (at the price list's
 * price) and then its deletion, never made by optima.  Told only if
 * retiring it saves the minimum (keeping it, when the price list has no
 * backup price); its saving is the keeping's.  Return 1 if told, 0 if
 * not, -1 on error.
 */
static int
decide_idle(struct run *r, double days)
{
	const json_t *cur = r->t.rec[S_CURRENT][r->cur_class], *bk, *bd;
	struct pick from = { S_CURRENT, r->cur_class }, keep = idle_keep(r);
	struct strbuf change, reason, apply, retire;
	char gb[64], *c = NULL, *why = NULL, *ap = NULL, *rt = NULL;
	double now = usd(&r->t, from), idx = 0, backup = NAN, gate;
	size_t i;
	int rc = -1;

	bk = json_object_get(cur, "backup");
	if (json_is_number(json_object_get(bk, "monthly_usd")))
		backup = num(bk, "monthly_usd");
	gate = now - (isnan(backup) ? usd(&r->t, keep) : backup);
	if (gate < r->o->min_savings || gate <= 0)
		return (0);
	for (i = 0; i < r->nidx; i++)
		if (r->idx[i].rec[S_CURRENT][r->cur_class] != NULL)
			idx += usd(&r->idx[i], from);
	bd = json_object_get(cur, "breakdown");
	strbuf_init(&change, MAXCMD);
	strbuf_init(&reason, MAXCMD);
	strbuf_init(&apply, MAXCMD);
	strbuf_init(&retire, MAXCMD);
	report_money(gb, sizeof(gb), num(cur, "size_bytes") / 1073741824.0, 2);
	strbuf_addf(&change, "idle %.0f days: keep it ", days);
	if (keep.s == S_CURRENT)
		strbuf_adds(&change, "as it is");
	else {
		settings_text(&change, rec_of(&r->t, from), from.s);
		strbuf_addf(&change, " %s -> on-demand %s",
		    class_names[from.c], class_names[keep.c]);
		if (r->cur_prov)
			apply_settings(r, &apply, keep);
		if (keep.c != from.c)
			apply_class(r, &apply, keep.c);
	}
	strbuf_adds(&change, ", or retire it");
	strbuf_addf(&reason, "no reads and no writes in %.0f days of metrics"
	    "%s; %s GB, %.0f items: review whether it is still needed; "
	    "kept ", days, r->nidx > 0 ? ", nor in its indexes" : "", gb + 1,
	    num(cur, "item_count"));
	if (keep.s == S_CURRENT)
		strbuf_addf(&reason, "as it is, it costs $%.2f a month", now);
	else
		strbuf_addf(&reason, "on-demand in %s, $%.2f a month, not "
		    "$%.2f", class_names[keep.c], usd(&r->t, keep), now);
	if (!isnan(backup))
		strbuf_addf(&reason, "; retired (an on-demand backup, then the "
		    "table deleted: never by optima), $%.2f a month for the "
		    "backup", backup);
	if (plain_name(r->table) && plain_name(r->region))
		retire_commands(r, &retire);
	if ((c = strbuf_finish(&change)) == NULL ||
	    (why = strbuf_finish(&reason)) == NULL ||
	    (ap = strbuf_finish(&apply)) == NULL ||
	    (rt = strbuf_finish(&retire)) == NULL)
		goto toolong;
	r->extra = json_pack("{s:{s:f, s:f, s:o, s:{s:f, s:f, s:f}, "
	    "s:{s:s, s:s, s:f, s:f}, s:o}, s:s?}", "idle", "days", days,
	    "size_bytes", num(cur, "size_bytes"), "item_count",
	    json_is_number(json_object_get(cur, "item_count")) ?
	    json_real(num(cur, "item_count")) : json_null(),
	    "current_usd", "storage_usd", num(bd, "storage_usd"),
	    "capacity_usd", num(bd, "read_usd") + num(bd, "write_usd"),
	    "indexes_usd", idx, "keep", "billing_mode", provisioned(rec_of(
	    &r->t, keep)) ? "PROVISIONED" : "PAY_PER_REQUEST", "table_class",
	    classes[keep.c], "monthly_usd", usd(&r->t, keep),
	    "monthly_savings_usd", now - usd(&r->t, keep), "retire",
	    isnan(backup) ? json_null() : json_pack("{s:f, s:f, s:f, s:f}",
	    "backup_size_gb", num(bk, "size_gb"), "backup_gb_month", num(bk,
	    "price_gb_month"), "backup_monthly_usd", backup,
	    "monthly_savings_usd", now - backup), "retire_apply",
	    *rt != '\0' ? rt : NULL);
	if (r->extra == NULL)
		goto toolong;
	rc = emit(r, "idle", &r->t, from, keep, now, now - usd(&r->t, keep),
	    "review", why, c, ap, NULL);
	json_decref(r->extra);
	r->extra = NULL;
	if (rc == 0)
		rc = 1;
	goto done;
toolong:
	warnx("%s: table %s: recommendation too long", r->where, r->table);
done:
	free(c);
	free(why);
	free(ap);
	free(rt);
	return (rc);
}

/* Decide the table at hand and write its recommendations. */
static int
decide(struct run *r)
{
	struct pick cur = { S_CURRENT, r->cur_class }, best = cur, p, mid, keep;
	struct step st[2];
	double a, b;
	int n = 0, over, settings_change, class_change;
	char id0[RANK_IDLEN], id1[RANK_IDLEN];

	/* Idle tables: the analysis of their type only. */
	if (r->o->type != NULL && strcmp(r->o->type, "idle") == 0 &&
	    (a = idle_days(r)) >= IDLE_DAYS && (n = decide_idle(r, a)) != 0)
		return (n < 0 ? -1 : 0);
	/* The cheapest allowed; ties keep what is there. */
	r->has_over = 0;
	for (p.s = 0; p.s < NSCEN; p.s++)
		for (p.c = 0; p.c < 2; p.c++) {
			if (allowed(r, p, &over)) {
				if (usd(&r->t, p) < usd(&r->t, best) - EPS)
					best = p;
			} else if (over && (!r->has_over || usd(&r->t, p) <
			    usd(&r->t, r->over))) {
				r->over = p;
				r->has_over = 1;
			}
		}
	/* A class change is scarce: it must save the minimum on its own,
	 * over the cheapest allowed option that keeps the class. */
	if (best.c != cur.c) {
		keep = cur;
		for (p.s = 0; p.s < NSCEN; p.s++) {
			p.c = cur.c;
			if (allowed(r, p, &over) && usd(&r->t, p) <
			    usd(&r->t, keep) - EPS)
				keep = p;
		}
		if (usd(&r->t, keep) - usd(&r->t, best) < r->o->min_savings)
			best = keep;
	}
	r->has_over = r->has_over && usd(&r->t, r->over) < usd(&r->t, best) -
	    EPS;
	settings_change = best.s != S_CURRENT && !(best.s == S_ON_DEMAND &&
	    !r->cur_prov);
	class_change = best.c != cur.c;
	if (settings_change && class_change) {
		/* Two steps, in the order in which both save. */
		mid = (struct pick){ best.s, cur.c };
		a = usd(&r->t, cur) - usd(&r->t, mid);
		b = usd(&r->t, mid) - usd(&r->t, best);
		if (!(a >= 0 && b >= 0)) {
			mid = (struct pick){ S_CURRENT, best.c };
			a = usd(&r->t, cur) - usd(&r->t, mid);
			b = usd(&r->t, mid) - usd(&r->t, best);
		}
		if (a >= r->o->min_savings && b >= r->o->min_savings) {
			st[0] = (struct step){ step_type(r, cur, mid), cur,
			    mid };
			st[1] = (struct step){ step_type(r, mid, best), mid,
			    best };
			n = 2;
		} else if (a >= 0 && b >= 0) {
			/* A step under the minimum is not worth a change:
			 * one change alone, the one that saves more. */
			p = mid.s == S_CURRENT ? (struct pick){ best.s,
			    cur.c } : (struct pick){ S_CURRENT, best.c };
			best = allowed(r, p, &over) && usd(&r->t, p) <
			    usd(&r->t, mid) ? p : mid;
			st[0] = (struct step){ step_type(r, cur, best), cur,
			    best };
			n = 1;
		} else {
			/* Neither change saves alone, both together do: one
			 * recommendation, of the mode's type. */
			st[0] = (struct step){ step_type(r, cur, (struct pick){
			    best.s, cur.c }), cur, best };
			n = 1;
		}
	} else if (settings_change || class_change) {
		st[0] = (struct step){ step_type(r, cur, best), cur, best };
		n = 1;
	}
	if (n >= 1 && emit_step(r, &st[0], NULL, id0))
		return (-1);
	if (n == 2 && emit_step(r, &st[1], id0, id1))
		return (-1);
	return (review_indexes(r, best, usd(&r->t, best)));
}

/* ---- groups ---- */

static void
group_clear(struct run *r)
{

	json_array_clear(r->recs);
	free(r->account);
	free(r->region);
	free(r->table);
	free(r->where);
	free(r->idx);
	r->account = r->region = r->table = r->where = NULL;
	r->idx = NULL;
	r->nidx = 0;
	memset(&r->t, 0, sizeof(r->t));
}

/* The resource of ${index} in the group (added if new); NULL on error. */
static struct res *
res_of(struct run *r, const char *index)
{
	struct res *x;
	size_t i;

	if (index == NULL)
		return (&r->t);
	for (i = 0; i < r->nidx; i++)
		if (strcmp(r->idx[i].index, index) == 0)
			return (&r->idx[i]);
	if ((x = realloc(r->idx, (r->nidx + 1) * sizeof(*x))) == NULL)
		return (NULL);
	r->idx = x;
	x = &r->idx[r->nidx++];
	memset(x, 0, sizeof(*x));
	x->index = index;
	return (x);
}

/* Write again the recommendations the table of the group had, with
 * their status now: all of them if ${all}, else (after an analysis of one
 * type) those of the other types that change nothing its new ones do. */
static int
keep(struct run *r, int all)
{
	json_t *a, *rec;
	char *key;
	const char *id, *type;
	size_t i;

	if ((key = join3(r->account, r->region, r->table)) == NULL) {
		warn("%s", r->where);
		return (-1);
	}
	a = json_object_get(r->kept, key);
	free(key);
	json_array_foreach(a, i, rec) {
		type = json_string_value(json_object_get(rec, "type"));
		if (!all && (type == NULL || strcmp(type, r->o->type) == 0))
			continue;
		if (!all && (changes(rec) & r->changes)) {
			warnx("%s: table %s: its %s recommendation of an "
			    "earlier analysis gives way to this one's", r->where,
			    r->table, type);
			continue;
		}
		if ((id = json_string_value(json_object_get(rec, "id"))) !=
		    NULL && json_object_set_new(rec, "status", json_string(
		    decision_status(r->decisions, id))) != 0) {
			warnx("out of memory");
			return (-1);
		}
		if (pend_add(r, rec, 1))
			return (-1);
	}
	return (0);
}

/* ---- global tables ---- */

/*
 * A global table's replicas (its table in other regions) are one
 * decision: AWS switches the billing mode of every replica when one
 * changes, and a provisioned global table must auto scale with the same
 * write settings in every replica.  Their groups are far apart in the
 * input (it goes by account and region): each is held until all the
 * regions its current records name are read, or the input ends.
 */

/* A replica: the group of one region, held. */
struct replica {
	json_t *recs;
	char *region, *where;
	struct res t;
	struct res *idx;
	size_t nidx;
	int cur_class, cur_prov;
	int latest;			/* of the latest partial_run */
	struct pick best;		/* decided */
};

/* A global table: the replicas read so far, and every region named
 * (true once read). */
struct global {
	char *account, *table;
	json_t *regions;
	struct replica *rep;
	size_t n;
};

/* The "replicas" of the group's current record of the table: its other
 * regions (or all of them); NULL if it is not a global table. */
static const json_t *
group_replicas(const struct run *r)
{
	const json_t *rec, *v;
	size_t i;

	json_array_foreach(r->recs, i, rec) {
		v = json_object_get(rec, "index");
		if ((v == NULL || json_is_null(v)) && lookup(json_string_value(
		    json_object_get(rec, "scenario")), scen_names, NSCEN) ==
		    S_CURRENT && json_array_size(v = json_object_get(rec,
		    "replicas")) > 0)
			return (v);
	}
	return (NULL);
}

/* Make the replica ${p} of ${g} the table at hand (unload: none). */
static void
replica_load(struct run *r, const struct global *g, const struct replica *p)
{

	r->account = g->account;
	r->table = g->table;
	r->region = p->region;
	r->where = p->where;
	r->t = p->t;
	r->idx = p->idx;
	r->nidx = p->nidx;
	r->cur_class = p->cur_class;
	r->cur_prov = p->cur_prov;
	r->has_over = 0;
}

static void
replica_unload(struct run *r)
{

	r->account = r->table = r->region = r->where = NULL;
	r->idx = NULL;
	r->nidx = 0;
	memset(&r->t, 0, sizeof(r->t));
}

static int
cmp_replica(const void *a, const void *b)
{

	return (strcmp(((const struct replica *)a)->region,
	    ((const struct replica *)b)->region));
}

static void
global_free(struct global *g)
{
	size_t i;

	for (i = 0; i < g->n; i++) {
		json_decref(g->rep[i].recs);
		free(g->rep[i].region);
		free(g->rep[i].where);
		free(g->rep[i].idx);
	}
	free(g->rep);
	free(g->account);
	free(g->table);
	json_decref(g->regions);
}

/* The cost of scenario ${s} of every replica in its class now, into
 * ${sum}: 1 if it may be chosen for each, else 0. */
static int
global_cost(struct run *r, struct global *g, int s, double *sum)
{
	struct pick p;
	size_t i;
	int ok = 1, over;

	*sum = 0;
	for (i = 0; i < g->n; i++) {
		replica_load(r, g, &g->rep[i]);
		p = (struct pick){ s, r->cur_class };
		if (!allowed(r, p, &over))
			ok = 0;
		*sum += usd(&r->t, p);
		replica_unload(r);
	}
	return (ok && !isnan(*sum));
}

/*
 * The settings of every replica: the cheapest, in their classes now, of
 * what they have, on-demand and auto scaling (never a fixed capacity: the
 * write capacity of the replicas must be the same), all replicas
 * together; what they have if that saves under the minimum, or if a
 * replica's region was not analyzed (the saving cannot be known).
 */
static int
global_mode(struct run *r, struct global *g, int missing)
{
	static const int opts[2] = { S_AUTOSCALED, S_ON_DEMAND };
	double now, best, sum;
	int i, s = S_CURRENT;

	global_cost(r, g, S_CURRENT, &now);
	best = now;
	for (i = 0; i < 2 && !missing; i++)
		if (global_cost(r, g, opts[i], &sum) && sum < best - EPS) {
			best = sum;
			s = opts[i];
		}
	if (s == S_ON_DEMAND && !g->rep[0].cur_prov)
		s = S_CURRENT;
	return (now - best < r->o->min_savings ? S_CURRENT : s);
}

/* The class of the replica at hand in the settings ${s}: the other one
 * if it may change and saves the minimum on its own. */
static struct pick
replica_class(struct run *r, int s)
{
	struct pick cur = { s, r->cur_class }, p = { s, 1 - r->cur_class };
	int over;

	if (allowed(r, p, &over) && usd(&r->t, cur) - usd(&r->t, p) >=
	    r->o->min_savings)
		return (p);
	return (cur);
}

/* update-table to provisioned from on-demand, with the highest fixed
 * capacity of the replicas for the table and each index: the mode
 * changes in every replica, none throttled before auto scaling. */
static void
global_throughput(struct run *r, struct global *g, struct strbuf *b)
{
	const json_t *cap;
	double hi[2] = { 1, 1 }, ix[2];
	json_t *gsi = json_array(), *u;
	size_t i, j, k;
	const char *name;

	for (i = 0; i < g->n; i++) {
		cap = json_object_get(g->rep[i].t.rec[S_FIXED][g->rep[i].
		    cur_class], "capacity");
		for (k = 0; k < 2; k++)
			hi[k] = fmax(hi[k], num(cap, k == 0 ? "read" :
			    "write"));
	}
	for (j = 0; j < g->rep[0].nidx; j++) {
		name = g->rep[0].idx[j].index;
		ix[0] = ix[1] = 1;
		for (i = 0; i < g->n; i++)
			for (k = 0; k < g->rep[i].nidx; k++) {
				if (strcmp(g->rep[i].idx[k].index, name) != 0)
					continue;
				cap = json_object_get(g->rep[i].idx[k].rec[
				    S_FIXED][g->rep[i].cur_class], "capacity");
				ix[0] = fmax(ix[0], num(cap, "read"));
				ix[1] = fmax(ix[1], num(cap, "write"));
			}
		u = json_pack("{s:{s:s, s:{s:I, s:I}}}", "Update", "IndexName",
		    name, "ProvisionedThroughput", "ReadCapacityUnits",
		    (json_int_t)ix[0], "WriteCapacityUnits", (json_int_t)ix[1]);
		json_array_append_new(gsi, u);
	}
	replica_load(r, g, &g->rep[0]);
	cmd(b, "dynamodb", "update-table");
	arg(b, "--table-name", r->table);
	strbuf_addf(b, " --billing-mode PROVISIONED --provisioned-throughput "
	    "ReadCapacityUnits=%.0f,WriteCapacityUnits=%.0f", hi[0], hi[1]);
	if (json_array_size(gsi) > 0) {
		strbuf_adds(b, " --global-secondary-index-updates ");
		shjson(b, gsi);
	}
	endcmd(r, b);
	replica_unload(r);
	json_decref(gsi);
}

/*
 * The commands that change every replica to the settings ${s}: a change
 * of mode from the first replica's region (AWS makes it in all); auto
 * scaling in each replica's region, the same settings in each, after
 * the change of mode is done there.
 */
static void
global_apply(struct run *r, struct global *g, struct strbuf *b, int s)
{
	size_t i;

	if (s == S_ON_DEMAND) {
		replica_load(r, g, &g->rep[0]);
		apply_settings(r, b, (struct pick){ s, r->cur_class });
		replica_unload(r);
		return;
	}
	if (!g->rep[0].cur_prov)
		global_throughput(r, g, b);
	for (i = 0; i < g->n; i++) {
		replica_load(r, g, &g->rep[i]);
		if (!r->cur_prov) {
			cmd(b, "dynamodb", "wait table-exists");
			arg(b, "--table-name", r->table);
			endcmd(r, b);
		}
		autoscale_table(r, b, r->cur_class);
		replica_unload(r);
	}
}

/* The figures of each replica from ${s} to ${to}, in their classes now,
 * for "replicas", into ${b} for the reason; the lowest confidence into
 * ${conf}; the totals into ${was} and ${will}. */
static json_t *
global_figures(struct run *r, struct global *g, struct strbuf *b, int s,
    int to, const char **conf, double *was, double *will)
{
	static const char *const rank_of[] = { "low", "medium", "high" };
	const json_t *cur, *e;
	struct pick p, q;
	json_t *a = json_array(), *o;
	const char *c;
	size_t i;

	*was = *will = 0;
	*conf = "high";
	for (i = 0; i < g->n; i++) {
		replica_load(r, g, &g->rep[i]);
		p = (struct pick){ s, r->cur_class };
		q = (struct pick){ to, r->cur_class };
		cur = r->t.rec[S_CURRENT][r->cur_class];
		e = json_object_get(cur, "evidence");
		c = rank_confidence(num(cur, "coverage"), judged_days(cur),
		    num(e, "peak_to_average"), json_is_true(json_object_get(
		    cur, "approximate")));
		if (lookup(c, rank_of, 3) < lookup(*conf, rank_of, 3))
			*conf = c;
		*was += usd(&r->t, p);
		*will += usd(&r->t, q);
		strbuf_addf(b, "%s%s $%.2f -> $%.2f", i > 0 ? ", " : "",
		    r->region, usd(&r->t, p), usd(&r->t, q));
		o = json_pack("{s:s, s:o, s:o, s:f, s:f, s:f, s:s, s:f}",
		    "region", r->region, "current", settings(r, &r->t, p),
		    "recommended", settings(r, &r->t, q),
		    "current_monthly_usd", usd(&r->t, p),
		    "recommended_monthly_usd", usd(&r->t, q),
		    "monthly_savings_usd", usd(&r->t, p) - usd(&r->t, q),
		    "confidence", c, "throttled_minutes", num(rec_of(&r->t, q),
		    "throttled_minutes"));
		json_array_append_new(a, o);
		replica_unload(r);
	}
	return (a);
}

/* The one recommendation of the settings ${s} for every replica, in the
 * first replica's region, its figures all replicas'. */
static int
global_emit(struct run *r, struct global *g, int s, char *idbuf)
{
	struct strbuf change, reason, apply, figs, idxcost;
	struct pick from, to;
	const char *type, *target, *conf;
	char *c = NULL, *why = NULL, *ap = NULL;
	json_t *reps, *o;
	double was, will, thr = 0;
	size_t i;
	int rc = -1;

	strbuf_init(&change, MAXCMD);
	strbuf_init(&reason, MAXCMD);
	strbuf_init(&apply, MAXCMD);
	strbuf_init(&figs, MAXCMD);
	strbuf_init(&idxcost, MAXCMD);
	reps = global_figures(r, g, &figs, S_CURRENT, s, &conf, &was, &will);
	global_apply(r, g, &apply, s);
	replica_load(r, g, &g->rep[0]);
	from = (struct pick){ S_CURRENT, r->cur_class };
	to = (struct pick){ s, r->cur_class };
	settings_text(&change, rec_of(&r->t, from), from.s);
	strbuf_adds(&change, " -> ");
	settings_text(&change, rec_of(&r->t, to), to.s);
	index_changes(r, &change, &idxcost, from, to);
	strbuf_adds(&change, ", in every replica (");
	json_array_foreach(reps, i, o) {
		strbuf_addf(&change, "%s%s", i > 0 ? ", " : "",
		    json_string_value(json_object_get(o, "region")));
		thr += num(o, "throttled_minutes");
	}
	strbuf_addf(&reason, "global table: its %zu replicas change together "
	    "(", g->n);
	strbuf_add(&reason, figs.s, figs.len);
	strbuf_adds(&change, ")");
	if (s == S_ON_DEMAND)
		strbuf_adds(&reason, "): on-demand costs less for them all");
	else if (!r->cur_prov)
		strbuf_adds(&reason, "): provisioned capacity costs less than "
		    "on-demand for them all; auto scaling, not a fixed "
		    "capacity: the replicas of a global table share their "
		    "write settings");
	else
		strbuf_adds(&reason, "): auto scaling costs less for them "
		    "all");
	if (thr > 0)
		strbuf_addf(&reason, ", about %.0f throttled minutes a month",
		    thr);
	if ((c = strbuf_finish(&change)) == NULL ||
	    (why = strbuf_finish(&reason)) == NULL ||
	    (ap = strbuf_finish(&apply)) == NULL || reps == NULL)
		goto toolong;
	r->extra = json_pack("{s:o, s:s}", "replicas", reps, "confidence",
	    conf);
	reps = NULL;
	if (r->extra == NULL)
		goto toolong;
	type = provisioned(rec_of(&r->t, to)) != r->cur_prov ? "capacity" :
	    "utilization";
	target = strcmp(type, "capacity") != 0 ? "capacity" : s ==
	    S_ON_DEMAND ? "PAY_PER_REQUEST" : "PROVISIONED";
	rank_id(idbuf, type, r->account, r->region, r->table, NULL, target);
	rc = emit(r, type, &r->t, from, to, was, was - will, target, why, c,
	    ap, NULL);
	goto done;
toolong:
	warnx("%s: table %s: recommendation too long", r->where, r->table);
done:
	json_decref(reps);
	json_decref(r->extra);
	r->extra = NULL;
	replica_unload(r);
	free(c);
	free(why);
	free(ap);
	strbuf_free(&figs);
	strbuf_free(&idxcost);
	return (rc);
}

/*
 * Decide the global table ${g} (all its replicas read, or the input at
 * its end) and write its recommendations: the settings of every replica
 * in one, then each replica's class change and indexes to review, in its
 * region.  After a restricted run, the table is decided again if one of
 * its replicas was simulated again, else keeps its recommendations.
 */
static int
global_write(struct run *r, struct global *g)
{
	const char *region;
	struct step st;
	char id0[RANK_IDLEN], id1[RANK_IDLEN];
	size_t i, latest = 0;
	int s, missing = 0, rc = 0;
	json_t *v;

	qsort(g->rep, g->n, sizeof(*g->rep), cmp_replica);
	for (i = 0; i < g->n; i++)
		latest += g->rep[i].latest;
	for (i = 0; i < g->n && latest == 0; i++) {
		replica_load(r, g, &g->rep[i]);
		rc = keep(r, 1);
		replica_unload(r);
		if (rc)
			return (-1);
	}
	if (latest == 0)
		return (0);
	json_object_foreach(g->regions, region, v)
		if (!json_is_true(v)) {
			warnx("%s: global table %s of %s: its replica in %s "
			    "was not analyzed: no change of its capacity "
			    "settings", g->rep[0].where, g->table, g->account,
			    region);
			missing = 1;
		}
	r->analyzed += g->n;
	s = global_mode(r, g, missing);
	id0[0] = '\0';
	r->changes = 0;
	if (s != S_CURRENT && global_emit(r, g, s, id0))
		return (-1);
	/* The settings' recommendation is the first replica's. */
	for (i = 0; i < g->n && rc == 0; i++) {
		replica_load(r, g, &g->rep[i]);
		if (i > 0)
			r->changes = 0;
		st = (struct step){ "table_class", { s, r->cur_class },
		    replica_class(r, s) };
		if (st.to.c != st.from.c)
			rc = emit_step(r, &st, id0[0] != '\0' ? id0 : NULL,
			    id1);
		if (rc == 0)
			rc = review_indexes(r, st.to, usd(&r->t, st.to));
		if (rc == 0 && r->o->type != NULL && r->kept != NULL)
			rc = keep(r, 0);
		replica_unload(r);
	}
	return (rc);
}

/* Decide the global table ${g}: its recommendations are written as they
 * come, outside the joint figures of their accounts and regions (whose
 * pools they are not counted in). */
static int
global_decide(struct run *r, struct global *g)
{
	int rc;

	r->direct = 1;
	rc = global_write(r, g);
	r->direct = 0;
	return (rc);
}

/*
 * Hold the group at hand, a replica of a global table, until every
 * replica is read; then decide them.  Return 0, or -1 on error
 * (reported).
 */
static int
global_hold(struct run *r, const json_t *replicas)
{
	struct global *g = NULL;
	struct replica *p;
	const json_t *v;
	json_t *recs;
	const char *k;
	size_t i;
	int rc;

	for (i = 0; i < r->nglobals && g == NULL; i++)
		if (strcmp(r->globals[i].account, r->account) == 0 &&
		    strcmp(r->globals[i].table, r->table) == 0)
			g = &r->globals[i];
	if (g == NULL) {
		if ((g = realloc(r->globals, (r->nglobals + 1) *
		    sizeof(*g))) == NULL)
			goto oom;
		r->globals = g;
		g = &r->globals[r->nglobals];
		memset(g, 0, sizeof(*g));
		if ((g->regions = json_object()) == NULL ||
		    (g->account = strdup(r->account)) == NULL ||
		    (g->table = strdup(r->table)) == NULL) {
			global_free(g);
			goto oom;
		}
		r->nglobals++;
	}
	json_array_foreach(replicas, i, v)
		if (json_is_string(v) && json_object_get(g->regions,
		    json_string_value(v)) == NULL)
			json_object_set_new(g->regions, json_string_value(v),
			    json_false());
	if (json_object_set_new(g->regions, r->region, json_true()) ||
	    (p = realloc(g->rep, (g->n + 1) * sizeof(*p))) == NULL ||
	    (recs = json_array()) == NULL)
		goto oom;
	g->rep = p;
	p = &g->rep[g->n++];
	memset(p, 0, sizeof(*p));
	p->recs = r->recs;
	p->region = r->region;
	p->where = r->where;
	p->t = r->t;
	p->idx = r->idx;
	p->nidx = r->nidx;
	p->cur_class = r->cur_class;
	p->cur_prov = r->cur_prov;
	p->latest = r->partial == 0 || num(json_array_get(r->recs, 0),
	    "partial_run") == (double)r->partial;
	r->recs = recs;
	free(r->account);
	free(r->table);
	replica_unload(r);
	json_object_foreach(g->regions, k, v)
		if (!json_is_true(v))
			return (0);
	rc = global_decide(r, g);
	global_free(g);
	i = (size_t)(g - r->globals);
	memmove(g, g + 1, (--r->nglobals - i) * sizeof(*g));
	return (rc);
oom:
	warn("%s", r->where);
	return (-1);
}

/* Decide the global tables whose replicas were not all read, unless
 * ${rc} is an error already; free them.  Return ${rc}, or -1. */
static int
global_rest(struct run *r, int rc)
{
	size_t i;

	for (i = 0; i < r->nglobals; i++) {
		if (rc == 0)
			rc = global_decide(r, &r->globals[i]);
		global_free(&r->globals[i]);
	}
	free(r->globals);
	r->globals = NULL;
	r->nglobals = 0;
	return (rc);
}

/* Decide the table whose records are in the group, and empty it. */
static int
flush(struct run *r)
{
	const json_t *replicas;
	const char *cls;
	json_t *rec;
	struct res *x;
	size_t i, n0;
	int s, c, rc = -1;

	if (json_array_size(r->recs) == 0)
		return (0);
	pools_take(r);
	/* Not simulated again: what it had stays (a global table's, as its
	 * replicas' are decided: together). */
	replicas = group_replicas(r);
	if (r->partial > 0 && replicas == NULL && num(json_array_get(r->recs,
	    0), "partial_run") != (double)r->partial) {
		rc = keep(r, 1);
		goto done;
	}
	json_array_foreach(r->recs, i, rec) {
		s = lookup(json_string_value(json_object_get(rec, "scenario")),
		    scen_names, NSCEN);
		c = lookup(json_string_value(json_object_get(rec,
		    "table_class")), classes, 2);
		if (s < 0 || c < 0 || !json_is_number(json_object_get(rec,
		    "monthly_usd"))) {
			warnx("%s: table %s: a record without a known "
			    "\"scenario\", \"table_class\" or \"monthly_usd\"",
			    r->where, r->table);
			goto done;
		}
		if ((x = res_of(r, json_string_value(json_object_get(rec,
		    "index")))) == NULL) {
			warn("%s", r->where);
			goto done;
		}
		if (x->rec[s][c] != NULL) {
			warnx("%s: table %s: two %s %s records%s%s", r->where,
			    r->table, scen_names[s], classes[c], x->index ?
			    " of index " : "", x->index ? x->index : "");
			goto done;
		}
		x->rec[s][c] = rec;
	}
	/* The table's class and billing mode now. */
	rec = NULL;
	for (c = 0; c < 2 && rec == NULL; c++)
		rec = r->t.rec[S_CURRENT][c];
	cls = json_string_value(json_object_get(rec, "current_table_class"));
	if ((r->cur_class = lookup(cls, classes, 2)) < 0 ||
	    r->t.rec[S_CURRENT][r->cur_class] == NULL) {
		warnx("%s: table %s: no current scenario with "
		    "\"current_table_class\" (rerun optima-simulate)", r->where,
		    r->table);
		goto done;
	}
	r->cur_prov = provisioned(r->t.rec[S_CURRENT][r->cur_class]);
	if (replicas != NULL) {
		rc = global_hold(r, replicas);
		goto done;
	}
	r->analyzed++;
	r->changes = 0;
	n0 = json_array_size(r->pend);
	if ((rc = decide(r)) == 0 && r->o->type != NULL && r->kept != NULL &&
	    (rc = keep(r, 0)) == 0)
		rc = pend_order(r, n0);
done:
	group_clear(r);
	return (rc);
}

static int
take(json_t *rec, const struct ndjson_pos *pos, void *ctx)
{
	struct run *r = ctx;
	const char *account, *region, *table, *kind;
	const json_t *index;
	char *key;
	size_t n;
	int same;

	kind = json_string_value(json_object_get(rec, "kind"));
	account = json_string_value(json_object_get(rec, "account"));
	region = json_string_value(json_object_get(rec, "region"));
	table = json_string_value(json_object_get(rec, "table"));
	index = json_object_get(rec, "index");
	if (strcmp(kind, "scenario") != 0 || account == NULL ||
	    region == NULL || table == NULL || (index != NULL &&
	    !json_is_null(index) && !json_is_string(index))) {
		ndjson_warnx(pos, "not a scenario record with \"account\", "
		    "\"region\" and \"table\"");
		return (-1);
	}
	same = r->table != NULL && strcmp(r->account, account) == 0 &&
	    strcmp(r->region, region) == 0 && strcmp(r->table, table) == 0;
	if (!same) {
		if (flush(r) || pools_next(r, account, region))
			return (-1);
		n = strlen(pos->file) + 32;
		if ((key = join3(account, region, table)) == NULL ||
		    (r->where = malloc(n)) == NULL) {
			warn("%s:%lu", pos->file, pos->line);
			free(key);
			return (-1);
		}
		snprintf(r->where, n, "%s:%lu", pos->file, pos->line);
		if (json_object_get(r->seen, key) != NULL) {
			ndjson_warnx(pos, "table %s of %s %s again: the records "
			    "of a table must be together", table, account,
			    region);
			free(key);
			return (-1);
		}
		json_object_set_new(r->seen, key, json_true());
		free(key);
		if ((r->account = strdup(account)) == NULL ||
		    (r->region = strdup(region)) == NULL ||
		    (r->table = strdup(table)) == NULL) {
			warn("%s", r->where);
			return (-1);
		}
	}
	if (json_array_append(r->recs, rec)) {
		warnx("out of memory");
		return (-1);
	}
	return (0);
}

/*
 * The highest "partial_run" of the scenario records of ${files} into
 * ${top}, from their text (no JSON parsed twice).  Return 0, or -1 on
 * error (reported).
 */
static int
latest_partial(char *const *files, long *top)
{
	static const char tag[] = "\"partial_run\":";
	struct ndjson_reader *rd;
	const char *line;
	char num[24];
	size_t len, i, n;
	long v;
	int rc;

	*top = 0;
	for (; *files != NULL; files++) {
		if ((rd = ndjson_reader_open(*files, NDJSON_MAXLINE)) == NULL)
			return (-1);
		while ((rc = ndjson_reader_line(rd, &line, &len)) == 1)
			for (i = 0; i + sizeof(tag) - 1 < len; i++) {
				if (memcmp(line + i, tag, sizeof(tag) - 1))
					continue;
				i += sizeof(tag) - 1;
				for (n = 0; n < sizeof(num) - 1 && i + n < len &&
				    line[i + n] >= '0' && line[i + n] <= '9';
				    n++)
					num[n] = line[i + n];
				num[n] = '\0';
				if ((v = strtol(num, NULL, 10)) > *top)
					*top = v;
				break;
			}
		ndjson_reader_close(rd);
		if (rc < 0)
			return (-1);
	}
	return (0);
}

/* Keep a recommendation of the previous file, by its table. */
static int
take_kept(json_t *rec, const struct ndjson_pos *pos, void *ctx)
{
	struct run *r = ctx;
	const char *a, *g, *t;
	json_t *arr;
	char *key;
	int rc = -1;

	a = json_string_value(json_object_get(rec, "account"));
	g = json_string_value(json_object_get(rec, "region"));
	t = json_string_value(json_object_get(rec, "table"));
	if (strcmp(json_string_value(json_object_get(rec, "kind")),
	    "recommendation") != 0 || a == NULL || g == NULL || t == NULL) {
		ndjson_warnx(pos, "not a recommendation record with "
		    "\"account\", \"region\" and \"table\"");
		return (-1);
	}
	if ((key = join3(a, g, t)) == NULL)
		goto out;
	if ((arr = json_object_get(r->kept, key)) == NULL &&
	    json_object_set_new(r->kept, key, arr = json_array()))
		goto out;
	rc = json_array_append(arr, rec);
out:
	if (rc)
		warnx("%s:%lu: out of memory", pos->file, pos->line);
	free(key);
	return (rc);
}

/**
 * rank_run(opts, files, decisions, out, analyzed, written):
 * Decide every table of the scenario records of ${files} and write its
 * recommendations to ${out}.  Return 0, or -1 on error (reported).
 */
int
rank_run(const struct rank_opts *o, char *const *files,
    const json_t *decisions, FILE *out, size_t *analyzed, json_t *written)
{
	struct run r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.o = o;
	r.decisions = decisions;
	r.out = out;
	r.written = written;
	if ((r.recs = json_array()) == NULL || (r.seen = json_object()) ==
	    NULL || (r.pend = json_array()) == NULL ||
	    (r.pend_kept = json_array()) == NULL) {
		warnx("out of memory");
		json_decref(r.recs);
		json_decref(r.seen);
		json_decref(r.pend);
		return (-1);
	}
	/* After a restricted simulation, the other tables keep theirs;
	 * after an analysis of one type, the other types stay. */
	rc = 0;
	if (o->previous != NULL && access(o->previous, F_OK) == 0) {
		char *prev[] = { (char *)o->previous, NULL };

		if ((rc = latest_partial(files, &r.partial)) == 0 &&
		    (r.partial > 0 || o->type != NULL) && ((r.kept =
		    json_object()) == NULL || ndjson_foreach(prev,
		    NDJSON_MAXLINE, take_kept, &r)))
			rc = -1;
	}
	if (rc == 0)
		rc = ndjson_foreach(files, NDJSON_MAXLINE, take, &r);
	if (rc == 0)
		rc = flush(&r);
	if (rc == 0)
		rc = pools_flush(&r);
	rc = global_rest(&r, rc);
	group_clear(&r);
	json_decref(r.recs);
	json_decref(r.seen);
	json_decref(r.pend);
	json_decref(r.pend_kept);
	free(r.pacct);
	free(r.pregion);
	json_decref(r.kept);
	*analyzed = r.analyzed;
	return (rc);
}
