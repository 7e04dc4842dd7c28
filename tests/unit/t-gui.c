#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "datetime.h"
#include "gui_api.h"
#include "gui_chart.h"
#include "projdir.h"
#include "tap.h"

/*
 * gui_api and gui_chart over a small project written here: three
 * recommendations (one with markup and quotes in its fields), their
 * scenarios, and two days of hourly series of one table; then a project
 * of 100 days of one-minute series (the chart's grid stays bounded), and
 * several threads asking at once.
 */

static const char recs[] =
    "{\"kind\":\"recommendation\",\"id\":\"cap-1\",\"type\":\"capacity\","
    "\"account\":\"111111111111\",\"region\":\"us-east-1\","
    "\"table\":\"orders\",\"index\":null,\"change\":\"on-demand -> fixed\","
    "\"current\":{\"billing_mode\":\"PAY_PER_REQUEST\","
    "\"table_class\":\"STANDARD\"},\"recommended\":{\"billing_mode\":"
    "\"PROVISIONED\",\"table_class\":\"STANDARD\",\"scenario\":"
    "\"provisioned_fixed\"},\"current_monthly_usd\":100,"
    "\"recommended_monthly_usd\":60,\"monthly_savings_usd\":40,"
    "\"annual_savings_usd\":480,\"confidence\":\"high\","
    "\"status\":\"pending\",\"apply\":\"aws dynamodb update-table\"}\n"
    "{\"kind\":\"recommendation\",\"id\":\"cls-2\",\"type\":\"table_class\","
    "\"account\":\"222222222222\",\"region\":\"eu-west-1\","
    "\"table\":\"<b>\\\"x\\\",y</b>\",\"index\":null,"
    "\"change\":\"a, \\\"b\\\"\\r\\nc\","
    "\"current\":{\"billing_mode\":\"PROVISIONED\","
    "\"table_class\":\"STANDARD\"},\"recommended\":{\"table_class\":"
    "\"STANDARD_INFREQUENT_ACCESS\"},\"monthly_savings_usd\":10.25,"
    "\"annual_savings_usd\":123,\"confidence\":\"medium\","
    "\"status\":\"pending\"}\n"
    "{\"kind\":\"recommendation\",\"id\":\"util-3\",\"type\":\"utilization\","
    "\"account\":\"111111111111\",\"region\":\"us-east-1\","
    "\"table\":\"orders\",\"index\":\"by-day\",\"change\":\"@SUM(A1)\","
    "\"current\":{\"billing_mode\":\"PROVISIONED\",\"capacity\":"
    "{\"read\":100,\"write\":50}},\"recommended\":{\"capacity\":"
    "{\"read\":10,\"write\":5}},\"evidence\":{\"read\":"
    "{\"utilization_pct\":4.5},\"write\":{\"utilization_pct\":2}},"
    "\"monthly_savings_usd\":5,\"annual_savings_usd\":60,"
    "\"confidence\":\"high\",\"status\":\"pending\"}\n";

static const char scen[] =
    "{\"kind\":\"scenario\",\"account\":\"111111111111\",\"region\":"
    "\"us-east-1\",\"table\":\"orders\",\"index\":null,\"scenario\":"
    "\"current\",\"table_class\":\"STANDARD\",\"current_table_class\":"
    "\"STANDARD\",\"billing_mode\":\"PAY_PER_REQUEST\",\"monthly_usd\":100,"
    "\"breakdown\":{\"read_usd\":30,\"write_usd\":50,\"storage_usd\":20},"
    "\"days\":2,\"period\":3600}\n"
    "{\"kind\":\"scenario\",\"account\":\"111111111111\",\"region\":"
    "\"us-east-1\",\"table\":\"orders\",\"index\":null,\"scenario\":"
    "\"provisioned_autoscaled\",\"table_class\":\"STANDARD\","
    "\"billing_mode\":\"PROVISIONED\",\"monthly_usd\":70,"
    "\"capacity\":{\"min\":1,\"max\":100,\"target\":70},"
    "\"throttled_minutes\":3,\"days\":2}\n"
    "{\"kind\":\"scenario\",\"account\":\"111111111111\",\"region\":"
    "\"us-east-1\",\"table\":\"orders\",\"index\":null,\"scenario\":"
    "\"on_demand\",\"table_class\":\"STANDARD\",\"monthly_usd\":100}\n"
    "{\"kind\":\"scenario\",\"account\":\"111111111111\",\"region\":"
    "\"us-east-1\",\"table\":\"orders\",\"index\":null,\"scenario\":"
    "\"current\",\"table_class\":\"STANDARD_INFREQUENT_ACCESS\","
    "\"current_table_class\":\"STANDARD\",\"monthly_usd\":90}\n"
    "{\"kind\":\"scenario\",\"account\":\"222222222222\",\"region\":"
    "\"eu-west-1\",\"table\":\"<b>\\\"x\\\",y</b>\",\"index\":null,"
    "\"scenario\":\"current\",\"table_class\":\"STANDARD\","
    "\"monthly_usd\":50,\"breakdown\":{\"read_usd\":1,\"write_usd\":1,"
    "\"storage_usd\":48}}\n";

/* An hourly day of the table orders: ${v} each hour, hour 5 ${peak}. */
static void
day(FILE *f, const char *date, const char *metric, double v, double peak)
{
	int h;

	fprintf(f, "{\"kind\":\"series\",\"account\":\"111111111111\","
	    "\"region\":\"us-east-1\",\"table\":\"orders\",\"index\":null,"
	    "\"metric\":\"%s\",\"stat\":\"Sum\",\"period\":3600,"
	    "\"start\":\"%sT00:00:00Z\",\"values\":[", metric, date);
	for (h = 0; h < 24; h++)
		fprintf(f, "%s%g", h ? "," : "", h == 5 ? peak : v);
	fprintf(f, "]}\n");
}

/* mkdir -p ${p}: 0, or -1. */
static int
mkdir_p(const char *p)
{
	char cmd[1300];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", p);
	return (system(cmd) == 0 ? 0 : -1);
}

static json_t *
args(const char *json)
{
	json_t *a = json_loads(json, 0, NULL);

	if (a == NULL)
		abort();
	return (a);
}

static const char *
error_of(const json_t *v)
{

	return (json_string_value(json_object_get(v, "error")));
}

/* The list for the query ${q}: count, status, and the error if any. */
static json_t *
list(struct gui_api *api, const char *q, int *st)
{
	json_t *a = args(q), *v;

	v = gui_api_list(api, a, st);
	json_decref(a);
	return (v);
}

static void
test_list(struct gui_api *api)
{
	json_t *v;
	int st;

	v = list(api, "{}", &st);
	is_int(st, 200, "list: 200");
	is_int(json_integer_value(json_object_get(v, "count")), 3,
	    "list: every recommendation");
	ok(fabs(json_real_value(json_object_get(v, "total_monthly_usd")) -
	    55.25) < 1e-9, "list: the total");
	is(json_string_value(json_object_get(json_array_get(json_object_get(v,
	    "rows"), 0), "id")), "cap-1", "list: largest saving first");
	json_decref(v);

	v = list(api, "{\"type\":\"capacity\"}", &st);
	is_int(json_integer_value(json_object_get(v, "count")), 1, "by type");
	is(json_string_value(json_object_get(json_object_get(json_array_get(
	    json_object_get(v, "rows"), 0), "details"), "recommended_mode")),
	    "PROVISIONED", "capacity details: the recommended mode");
	ok(json_real_value(json_object_get(json_object_get(json_array_get(
	    json_object_get(v, "rows"), 0), "details"), "autoscaled_usd")) ==
	    70, "capacity details: the auto scaled cost");
	json_decref(v);
	v = list(api, "{\"region\":\"eu-west-1\",\"min_savings\":\"10\"}",
	    &st);
	is_int(json_integer_value(json_object_get(v, "count")), 1,
	    "by region and minimum saving");
	json_decref(v);
	v = list(api, "{\"mode\":\"PROVISIONED\"}", &st);
	is_int(json_integer_value(json_object_get(v, "count")), 2,
	    "by current mode");
	json_decref(v);
	v = list(api, "{\"table_regex\":\"^ord\"}", &st);
	is_int(json_integer_value(json_object_get(v, "count")), 2,
	    "by table regex");
	json_decref(v);
	v = list(api, "{\"type\":\"utilization\"}", &st);
	is(json_string_value(json_object_get(json_object_get(json_array_get(
	    json_object_get(v, "rows"), 0), "details"), "resource")), "GSI",
	    "utilization details: an index is a GSI");
	json_decref(v);

	v = list(api, "{\"table_regex\":\"(a\"}", &st);
	is_int(st, 400, "a regex that does not compile: 400");
	ok(error_of(v) != NULL && strstr(error_of(v), "parenthesis") != NULL,
	    "and says why: %s", error_of(v));
	json_decref(v);
	v = list(api, "{\"table_regex\":\"(a)\\\\1\"}", &st);
	is_int(st, 400, "a backreference: 400");
	ok(error_of(v) != NULL && strstr(error_of(v), "RE2") != NULL,
	    "outside RE2: %s", error_of(v));
	json_decref(v);
	v = list(api, "{\"bogus\":\"1\"}", &st);
	is_int(st, 400, "an unknown argument: 400");
	json_decref(v);
	v = list(api, "{\"min_savings\":\"x\"}", &st);
	is_int(st, 400, "a minimum saving that is no number: 400");
	json_decref(v);
	v = list(api, "{\"status\":\"maybe\"}", &st);
	is_int(st, 400, "an unknown status: 400");
	json_decref(v);
}

static void
test_csv(struct gui_api *api)
{
	json_t *a;
	char *buf;
	size_t len;
	int st;

	a = args("{\"type\":\"table_class\"}");
	ok(gui_api_csv(api, a, &buf, &len, &st) == 0 && st == 200, "csv");
	ok(strncmp(buf, "\"id\",\"type\",\"status\"", 20) == 0,
	    "csv: the header of list-recommendations first");
	ok(strstr(buf, "\"standard_ia_usd\"\r\n") != NULL,
	    "csv: then the type's columns");
	ok(strstr(buf, "\"<b>\"\"x\"\",y</b>\"") != NULL,
	    "csv: quotes doubled, commas quoted");
	ok(strstr(buf, "\"a, \"\"b\"\"\r\nc\"") != NULL,
	    "csv: a line break inside a quoted field");
	ok(strstr(buf, "\"24.00\"") != NULL,
	    "csv: the storage-to-throughput ratio (48 / 2)");
	free(buf);
	json_decref(a);
	a = args("{\"type\":\"utilization\"}");
	ok(gui_api_csv(api, a, &buf, &len, &st) == 0 && st == 200 &&
	    strstr(buf, "\"'@SUM(A1)\"") != NULL && strstr(buf, "\"5.00\"") !=
	    NULL, "csv: a cell that would be a formula is quoted (a number "
	    "is not)");
	free(buf);
	json_decref(a);
	a = args("{\"table_regex\":\"[\"}");
	ok(gui_api_csv(api, a, &buf, &len, &st) == -1 && st == 400 &&
	    strstr(buf, "\"error\"") != NULL, "csv: a bad regex is a JSON "
	    "error");
	free(buf);
	json_decref(a);
}

static void
test_summary_decide(struct gui_api *ro, struct gui_api *rw, const char *dir)
{
	json_t *v, *b;
	int st;

	v = gui_api_summary(ro, &st);
	ok(st == 200 && fabs(json_real_value(json_object_get(v,
	    "total_monthly_usd")) - 55.25) < 1e-9, "summary: the total");
	is_int(json_integer_value(json_object_get(v, "tables_analyzed")), 2,
	    "summary: tables analyzed");
	is(json_string_value(json_object_get(json_array_get(json_object_get(v,
	    "top_tables"), 0), "table")), "orders",
	    "summary: the top table (its recommendations added)");
	json_decref(v);

	b = args("{}");
	v = gui_api_tables(ro, b, &st);
	ok(st == 200 && json_array_size(json_object_get(v, "rows")) == 2 &&
	    json_integer_value(json_object_get(v, "analyzed")) == 2 &&
	    json_is_number(json_object_get(json_array_get(json_object_get(v,
	    "rows"), 0), "current_usd")), "tables: both, with their cost");
	json_decref(v);
	json_decref(b);
	b = args("{\"region\":\"nowhere-1\"}");
	v = gui_api_tables(ro, b, &st);
	ok(st == 200 && json_array_size(json_object_get(v, "rows")) == 0 &&
	    json_integer_value(json_object_get(v, "analyzed")) == 2,
	    "tables: the filters select");
	json_decref(v);
	json_decref(b);
	b = args("{\"type\":\"capacity\"}");
	v = gui_api_analysis(ro, b, &st);
	is_int(st, 400, "analysis: of table_class or utilization only");
	json_decref(v);
	json_decref(b);
	b = args("{\"type\":\"table_class\",\"status\":\"pending\"}");
	v = gui_api_analysis(ro, b, &st);
	is_int(st, 400, "analysis: the global filters only");
	json_decref(v);
	json_decref(b);
	b = args("{\"type\":\"utilization\"}");
	v = gui_api_analysis(ro, b, &st);
	ok(st == 200 && json_array_size(json_object_get(v, "points")) <= 25 &&
	    json_is_integer(json_object_get(v, "count")),
	    "analysis: utilization");
	json_decref(v);
	json_decref(b);
	v = gui_api_window(ro, &st);
	ok(st == 200 && json_is_integer(json_object_get(v, "days")),
	    "window: its days");
	json_decref(v);

	b = args("{\"id\":\"cap-1\",\"status\":\"rejected\"}");
	v = gui_api_decide(ro, b, 0, &st);
	is_int(st, 403, "decide, read-only: 403");
	json_decref(v);
	ok(slurp(path(dir, "decisions.ndjson")) == NULL,
	    "read-only: nothing written");
	v = gui_api_decide(rw, b, 1795000000, &st);
	is_int(st, 200, "decide: 200");
	json_decref(v);
	json_decref(b);
	ok(slurp(path(dir, "decisions.ndjson")) != NULL &&
	    strstr(slurp(path(dir, "decisions.ndjson")),
	    "\"id\":\"cap-1\",\"status\":\"rejected\"") != NULL,
	    "decide: a decision record appended");
	b = args("{\"id\":\"cap-none\",\"status\":\"accepted\"}");
	v = gui_api_decide(rw, b, 0, &st);
	is_int(st, 404, "decide: an unknown id is 404");
	json_decref(v);
	json_decref(b);
	b = args("{\"id\":\"cap-1\",\"status\":\"done\"}");
	v = gui_api_decide(rw, b, 0, &st);
	is_int(st, 400, "decide: an unknown status is 400");
	json_decref(v);
	json_decref(b);

	/* The other server sees it: files are read again when changed. */
	v = gui_api_summary(ro, &st);
	ok(fabs(json_real_value(json_object_get(v, "total_monthly_usd")) -
	    15.25) < 1e-9, "summary: a rejected saving no longer counts");
	is_int(json_integer_value(json_object_get(json_object_get(v,
	    "by_status"), "rejected")), 1, "summary: by status");
	json_decref(v);
}

static void
test_table(struct gui_api *api)
{
	json_t *a, *v, *c, *r;
	int st;

	a = args("{\"account\":\"111111111111\",\"region\":\"us-east-1\","
	    "\"table\":\"../orders\"}");
	v = gui_api_table(api, a, &st);
	is_int(st, 404, "table: one the records lack is 404");
	json_decref(v);
	json_decref(a);
	a = args("{\"account\":\"111111111111\",\"region\":\"us-east-1\","
	    "\"table\":\"orders\"}");
	v = gui_api_table(api, a, &st);
	is_int(st, 200, "table: 200");
	is_int((long long)json_array_size(json_object_get(v,
	    "recommendations")), 2, "table: its recommendations");
	is_int((long long)json_array_size(json_object_get(v, "scenarios")),
	    4, "table: its scenarios");
	c = json_object_get(v, "chart");
	r = json_object_get(c, "read");
	ok(json_is_object(c), "table: a chart");
	is_int(json_integer_value(json_object_get(c, "period")), 3600,
	    "chart: the grid's period");
	/* 48 hours in at most 720 points: an hour each. */
	is_int((long long)json_array_size(json_object_get(r, "consumed")), 48,
	    "chart: a point an hour");
	/* 36000 units in hour 5 of the first day: 10 a second. */
	ok(json_real_value(json_array_get(json_object_get(r, "consumed"),
	    5)) == 10, "chart: consumed, per second");
	ok(json_is_null(json_object_get(r, "provisioned")),
	    "chart: on-demand has no provisioned capacity");
	/* 3600 units an hour is 1 a second: ceil(1 / 0.7) = 2. */
	ok(json_real_value(json_array_get(json_object_get(r, "autoscaled"),
	    0)) == 2, "chart: auto scaling starts at what demand calls for");
	/* Decided at the end of hour 5, in effect 2 minutes later: hour 7
	 * on an hourly grid; ceil(10 / 0.7) = 15. */
	ok(json_real_value(json_array_get(json_object_get(r, "autoscaled"),
	    7)) == 15, "chart: and scales out after the peak");
	ok(json_real_value(json_object_get(r, "throttled_units")) > 0,
	    "chart: the peak beyond the burst is throttled");
	is(json_string_value(json_object_get(c, "start")),
	    "2026-11-01T00:00:00Z", "chart: the window is the metrics' last "
	    "days");
	json_decref(v);
	json_decref(a);
}

/* The drill-down of orders of 111111111111 in us-east-1 in ${api}. */
static json_t *
orders(struct gui_api *api, int *st)
{
	json_t *a, *v;

	a = args("{\"account\":\"111111111111\",\"region\":\"us-east-1\","
	    "\"table\":\"orders\"}");
	v = gui_api_table(api, a, st);
	json_decref(a);
	return (v);
}

/* The window follows the last day of the project's metrics, in any
 * account's folder, as it comes and goes. */
static void
test_window(struct gui_api *api, const char *dir)
{
	char d[1024], f[1100];
	json_t *v;
	int st;

	snprintf(d, sizeof(d), "%s/metrics/account=999999999999", dir);
	snprintf(f, sizeof(f), "%s/region=eu-west-1", d);
	if (mkdir_p(f))
		abort();
	snprintf(f, sizeof(f), "%s/region=eu-west-1/date=2026-11-03.ndjson",
	    d);
	spew(f, "");
	v = orders(api, &st);
	is(json_string_value(json_object_get(json_object_get(v, "chart"),
	    "start")), "2026-11-02T00:00:00Z", "window: a later day in "
	    "another account moves it");
	is_int(json_integer_value(json_object_get(json_object_get(v,
	    "chart"), "days_seen")), 1, "window: one day of the table in it");
	json_decref(v);
	unlink(f);
	v = orders(api, &st);
	is(json_string_value(json_object_get(json_object_get(v, "chart"),
	    "start")), "2026-11-01T00:00:00Z", "window: and back when it "
	    "goes");
	json_decref(v);
}

/* A window of 100 days of one-minute series: 144,000 minutes, more than
 * a grid holds, so the chart is drawn at five minutes. */
static void
test_long(const char *top)
{
	char dir[1024], p[1200], date[DATETIME_LEN];
	struct projdir *pd;
	struct gui_api *api;
	json_t *v, *c;
	FILE *f;
	int d, i, st;

	snprintf(dir, sizeof(dir), "%s/long", top);
	snprintf(p, sizeof(p), "%s/metrics/account=111111111111/"
	    "region=us-east-1", dir);
	if (mkdir_p(p))
		abort();
	snprintf(p, sizeof(p), "%s/scenarios.ndjson", dir);
	spew(p, "{\"kind\":\"scenario\",\"account\":\"111111111111\","
	    "\"region\":\"us-east-1\",\"table\":\"orders\",\"index\":null,"
	    "\"scenario\":\"current\",\"table_class\":\"STANDARD\","
	    "\"billing_mode\":\"PAY_PER_REQUEST\",\"monthly_usd\":1,"
	    "\"days\":100,\"period\":60}\n");
	for (d = 0; d < 100; d++) {
		/* From 2026-08-01. */
		datetime_format_date(date, (time_t)1785542400 + d * 86400);
		snprintf(p, sizeof(p), "%s/metrics/account=111111111111/"
		    "region=us-east-1/date=%s.ndjson", dir, date);
		if ((f = fopen(p, "w")) == NULL)
			abort();
		fprintf(f, "{\"kind\":\"series\",\"account\":"
		    "\"111111111111\",\"region\":\"us-east-1\",\"table\":"
		    "\"orders\",\"index\":null,\"metric\":"
		    "\"ConsumedReadCapacityUnits\",\"stat\":\"Sum\","
		    "\"period\":60,\"start\":\"%sT00:00:00Z\",\"values\":[",
		    date);
		for (i = 0; i < 1440; i++)
			fprintf(f, "%s60", i ? "," : "");
		fprintf(f, "]}\n");
		fclose(f);
	}
	if ((pd = projdir_open(dir, 0)) == NULL ||
	    (api = gui_api_open(pd, 0)) == NULL)
		abort();
	v = orders(api, &st);
	c = json_object_get(v, "chart");
	is_int(st, 200, "long window: 200");
	is_int(json_integer_value(json_object_get(c, "period")), 300,
	    "long window: a grid of five minutes, not one");
	is_int(json_integer_value(json_object_get(c, "days_seen")), 100,
	    "long window: every day read");
	ok(json_integer_value(json_object_get(c, "points")) <= 720,
	    "long window: at most 720 points");
	ok(json_real_value(json_array_get(json_object_get(json_object_get(c,
	    "read"), "consumed"), 0)) == 1, "long window: 1 unit a second");
	json_decref(v);
	gui_api_free(api);
	projdir_free(pd);
}

/* A regex RE2 allows but that cannot finish matching a long name
 * within PCRE2's limits: 400, with no row chosen by the error. */
static void
test_slow_regex(const char *top)
{
	char dir[1024], p[1200], name[256], rec[1024];
	struct projdir *pd;
	struct gui_api *api;
	json_t *v, *a;
	int st;

	snprintf(dir, sizeof(dir), "%s/slowre", top);
	if (mkdir_p(dir))
		abort();
	memset(name, 'a', 255);
	name[255] = '\0';
	snprintf(rec, sizeof(rec), "{\"kind\":\"recommendation\",\"id\":"
	    "\"cap-9\",\"type\":\"capacity\",\"account\":\"111111111111\","
	    "\"region\":\"us-east-1\",\"table\":\"%s\","
	    "\"monthly_savings_usd\":1}\n", name);
	snprintf(p, sizeof(p), "%s/recommendations.ndjson", dir);
	spew(p, rec);
	if ((pd = projdir_open(dir, 0)) == NULL ||
	    (api = gui_api_open(pd, 0)) == NULL)
		abort();
	a = args("{\"table_regex\":\"(\\\\w*){1,1000}\\\\W\"}");
	v = gui_api_list(api, a, &st);
	is_int(st, 400, "a regex too slow for a name: 400");
	ok(error_of(v) != NULL && strstr(error_of(v), "steps") != NULL,
	    "and says why: %s", error_of(v));
	json_decref(v);
	json_decref(a);
	gui_api_free(api);
	projdir_free(pd);
}

struct worker {
	struct gui_api *api;
	int bad;
};

/* Ask ${w}'s api for everything, 30 times; count what is not 200. */
static void *
work(void *arg)
{
	struct worker *w = arg;
	json_t *a, *v;
	int i, st;

	for (i = 0; i < 30; i++) {
		v = gui_api_summary(w->api, &st);
		w->bad += st != 200;
		json_decref(v);
		a = args("{\"table_regex\":\"^o\",\"type\":\"capacity\"}");
		v = gui_api_list(w->api, a, &st);
		w->bad += st != 200 || json_integer_value(json_object_get(v,
		    "count")) != 1;
		json_decref(v);
		json_decref(a);
		v = orders(w->api, &st);
		w->bad += st != 200 || !json_is_object(json_object_get(v,
		    "chart"));
		json_decref(v);
		a = args("{\"id\":\"cap-1\",\"status\":\"rejected\"}");
		v = gui_api_decide(w->api, a, 1795000000 + i, &st);
		w->bad += st != 200;
		json_decref(v);
		json_decref(a);
	}
	return (NULL);
}

/* Four threads at once on one api, decisions changing the files. */
static void
test_threads(struct gui_api *rw)
{
	struct worker w[4];
	pthread_t t[4];
	int i, bad = 0;

	for (i = 0; i < 4; i++) {
		w[i].api = rw;
		w[i].bad = 0;
		if (pthread_create(&t[i], NULL, work, &w[i]) != 0)
			abort();
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		bad += w[i].bad;
	}
	is_int(bad, 0, "threads: every answer right, 4 threads at once");
}

/* An idle table, and commitments (commitments.ndjson): in the totals by
 * type, listed with their details (a purchase with its hourly profile),
 * as CSV, and decided on. */
static void
test_new_types(struct gui_api *ro, struct gui_api *rw, const char *dir)
{
	static const char idle[] =
	    "{\"kind\":\"recommendation\",\"id\":\"idle-4\",\"type\":"
	    "\"idle\",\"account\":\"111111111111\",\"region\":"
	    "\"us-east-1\",\"table\":\"orders\",\"index\":null,"
	    "\"current_monthly_usd\":100,\"monthly_savings_usd\":60,"
	    "\"confidence\":\"high\",\"idle\":{\"days\":14,"
	    "\"size_bytes\":1073741824,\"item_count\":10,\"current_usd\":"
	    "{\"storage_usd\":20,\"capacity_usd\":80,\"indexes_usd\":0},"
	    "\"keep\":{\"billing_mode\":\"PAY_PER_REQUEST\",\"table_class\":"
	    "\"STANDARD\",\"monthly_usd\":40,\"monthly_savings_usd\":60},"
	    "\"retire\":{\"backup_size_gb\":1,\"backup_monthly_usd\":0.1,"
	    "\"monthly_savings_usd\":99.9}}}\n";
	static const char cmts[] =
	    "{\"kind\":\"recommendation\",\"id\":\"cmt-5\",\"type\":"
	    "\"commitment\",\"account\":\"111111111111\",\"region\":"
	    "\"us-east-1\",\"table\":null,\"commitment\":"
	    "\"reserved_capacity\",\"capacity\":\"rcu\",\"term\":\"1yr\","
	    "\"units\":500,\"upfront_usd\":150,\"hourly_usd\":0.1,"
	    "\"utilization_pct\":95,\"coverage_pct\":89.4,"
	    "\"coverage_today_pct\":0,\"coverage_planned_pct\":89.4,"
	    "\"monthly_savings_usd\":261.25,\"confidence\":\"medium\","
	    "\"profile\":{\"start\":1740787200,\"step\":3600,"
	    "\"today\":[1,2],\"planned\":[3,4]}}\n"
	    "{\"kind\":\"recommendation\",\"id\":\"cmt-6\",\"type\":"
	    "\"commitment\",\"account\":\"111111111111\",\"region\":null,"
	    "\"table\":null,\"commitment\":\"savings_plan\","
	    "\"hourly_commitment_usd\":0.25,\"monthly_savings_usd\":20,"
	    "\"confidence\":\"medium\"}\n"
	    /* Not a commitment: not in commitments.ndjson. */
	    "{\"kind\":\"recommendation\",\"id\":\"cap-7\",\"type\":"
	    "\"capacity\",\"table\":\"x\",\"monthly_savings_usd\":1}\n";
	const json_t *bt, *e, *r;
	json_t *v, *a, *b;
	char p[1024], *buf, *all;
	size_t i, n;
	double idle_usd = -1, cmt_usd = -1;
	int st;

	snprintf(p, sizeof(p), "%s/recommendations.ndjson", dir);
	if ((all = malloc(strlen(recs) + sizeof(idle))) == NULL)
		abort();
	strcpy(all, recs);
	strcat(all, idle);
	spew(p, all);
	free(all);
	spew(path(dir, "commitments.ndjson"), cmts);

	v = gui_api_summary(ro, &st);
	bt = json_object_get(v, "by_type");
	json_array_foreach(bt, i, e) {
		if (strcmp(json_string_value(json_object_get(e, "name")),
		    "idle") == 0)
			idle_usd = json_number_value(json_object_get(e,
			    "monthly_usd"));
		if (strcmp(json_string_value(json_object_get(e, "name")),
		    "commitment") == 0)
			cmt_usd = json_number_value(json_object_get(e,
			    "monthly_usd"));
	}
	ok(idle_usd == 60 && cmt_usd == 281.25, "summary: idle and "
	    "commitment by type (%g, %g)", idle_usd, cmt_usd);
	json_decref(v);

	v = list(ro, "{\"type\":\"commitment\"}", &st);
	is_int(json_integer_value(json_object_get(v, "count")), 2,
	    "commitments: both purchases, the other record skipped");
	r = json_array_get(json_object_get(v, "rows"), 0);
	e = json_object_get(r, "details");
	ok(strcmp(json_string_value(json_object_get(r, "id")), "cmt-5") == 0 &&
	    json_number_value(json_object_get(e, "units")) == 500 &&
	    json_number_value(json_object_get(e, "coverage_planned_pct")) ==
	    89.4 && json_array_size(json_object_get(json_object_get(r,
	    "profile"), "planned")) == 2, "commitments: the details and the "
	    "profile of a purchase");
	e = json_object_get(json_array_get(json_object_get(v, "rows"), 1),
	    "details");
	ok(json_number_value(json_object_get(e, "hourly_usd")) == 0.25,
	    "commitments: a savings plan's dollars an hour");
	json_decref(v);
	v = list(ro, "{\"type\":\"commitment\",\"region\":\"us-east-1\"}",
	    &st);
	is_int(json_integer_value(json_object_get(v, "count")), 1,
	    "commitments: by region");
	json_decref(v);

	v = list(ro, "{\"type\":\"idle\"}", &st);
	e = json_object_get(json_array_get(json_object_get(v, "rows"), 0),
	    "details");
	ok(json_integer_value(json_object_get(v, "count")) == 1 &&
	    json_number_value(json_object_get(e, "keep_savings_usd")) == 60 &&
	    json_number_value(json_object_get(e, "retire_savings_usd")) ==
	    99.9 && json_number_value(json_object_get(e, "idle_days")) == 14,
	    "idle: the details of an idle table");
	json_decref(v);

	a = args("{\"type\":\"commitment\"}");
	if (gui_api_csv(ro, a, &buf, &n, &st) == 0) {
		ok(strstr(buf, "\"coverage_planned_pct\"") != NULL &&
		    strstr(buf, "\"cmt-6\"") != NULL, "commitments: as CSV");
		free(buf);
	} else
		ok(0, "commitments: as CSV");
	json_decref(a);

	b = args("{\"id\":\"cmt-5\",\"status\":\"accepted\"}");
	v = gui_api_decide(rw, b, 1795000000, &st);
	is_int(st, 200, "decide: a commitment accepted");
	json_decref(v);
	json_decref(b);
	v = list(ro, "{\"type\":\"commitment\",\"status\":\"accepted\"}",
	    &st);
	is_int(json_integer_value(json_object_get(v, "count")), 1,
	    "decide: the commitment's status is the decision's");
	json_decref(v);
}

int
main(void)
{
	const char *dir = scratch();
	struct projdir *pd;
	struct gui_api *ro, *rw;
	char p[1024];
	FILE *f;

	spew(path(dir, "recommendations.ndjson"), recs);
	spew(path(dir, "scenarios.ndjson"), scen);
	snprintf(p, sizeof(p), "%s/metrics/account=111111111111/"
	    "region=us-east-1", dir);
	if (mkdir_p(p))
		return (1);
	snprintf(p, sizeof(p), "%s/metrics/account=111111111111/"
	    "region=us-east-1/date=2026-11-01.ndjson", dir);
	if ((f = fopen(p, "w")) == NULL)
		return (1);
	day(f, "2026-11-01", "ConsumedReadCapacityUnits", 3600, 36000);
	day(f, "2026-11-01", "ConsumedWriteCapacityUnits", 360, 360);
	fclose(f);
	snprintf(p, sizeof(p), "%s/metrics/account=111111111111/"
	    "region=us-east-1/date=2026-11-02.ndjson", dir);
	if ((f = fopen(p, "w")) == NULL)
		return (1);
	day(f, "2026-11-02", "ConsumedReadCapacityUnits", 3600, 3600);
	fclose(f);

	if ((pd = projdir_open(dir, 0)) == NULL ||
	    (ro = gui_api_open(pd, 0)) == NULL ||
	    (rw = gui_api_open(pd, 1)) == NULL)
		return (1);
	test_list(ro);
	test_csv(ro);
	test_table(ro);
	test_window(ro, dir);
	test_summary_decide(ro, rw, dir);
	test_threads(rw);
	test_new_types(ro, rw, dir);
	test_long(dir);
	test_slow_regex(dir);
	gui_api_free(ro);
	gui_api_free(rw);
	projdir_free(pd);
	return (done_testing());
}
