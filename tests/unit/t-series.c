#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "series.h"
#include "tap.h"

static const char *HEAD = "{\"kind\":\"series\",\"account\":\"123456789012\","
    "\"region\":\"us-east-1\",\"table\":\"orders\",\"index\":null,"
    "\"metric\":\"ConsumedReadCapacityUnits\",\"stat\":\"Sum\","
    "\"period\":3600,\"start\":\"2026-11-01T00:00:00Z\"";

/* A file holding ${text}; read its first record into ${s}: 1, 0 or -1. */
static int
one(const char *text, struct series *s, struct series_reader **r)
{
	const char *p = path(scratch(), "s.ndjson");

	series_close(*r);
	spew(p, text);
	if ((*r = series_open(p)) == NULL)
		return (-2);
	return (series_next(*r, s));
}

/* A day of hourly values. */
#define V24	"1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24"

/* 24 values from ${v} as a record with ${extra} fields after HEAD. */
static char *
record(const char *extra, const char *v)
{
	static char buf[65536];

	snprintf(buf, sizeof(buf), "%s%s,\"values\":[%s]}\n", HEAD, extra, v);
	return (buf);
}

static int
rejected(const char *text, const char *what)
{
	struct series_reader *r = NULL;
	struct series s;
	int rc;

	capture();
	rc = one(text, &s, &r);
	series_close(r);
	return (ok(rc == -1 && strstr(captured(), "s.ndjson:1:") != NULL,
	    "rejected with file:line: %s", what));
}

int
main(void)
{
	struct series_reader *r = NULL;
	struct series s;
	char v[4096], *p, num[64];
	double want[24];
	int i, k, same = 1;

	srand(7);
	/* Random decimals of every shape a count can have (0 to 1e12, the
	 * most a series holds) read as strtod reads them. */
	for (k = 0; k < 2000 && same; k++) {
		p = v;
		for (i = 0; i < 24; i++) {
			double x = (double)rand() / RAND_MAX * pow(10,
			    rand() % 25 - 12);

			snprintf(num, sizeof(num), "%.*g", 1 + rand() % 17,
			    rand() % 5 == 0 ? -0.0 : x);
			if (rand() % 7 == 0)
				snprintf(num, sizeof(num), "%d", rand() % 100000);
			want[i] = strtod(num, NULL);
			p += sprintf(p, "%s%s", i ? "," : "", num);
		}
		if (one(record("", v), &s, &r) != 1 || s.n != 24)
			same = 0;
		for (i = 0; same && i < 24; i++)
			if (memcmp(&s.values[i], &want[i], sizeof(double)) != 0) {
				fprintf(stderr, "# %s: %.17g != %.17g\n", v,
				    s.values[i], want[i]);
				same = 0;
			}
	}
	ok(same, "48,000 decimals read bit for bit as strtod reads them");

	is_int(one(record(",\"extra\":{\"values\":[1]}",
	    "1,null,2.5,0,0.125,1e3,1E-2,-0,3,4,5,6,7,8,9,10,11,12,13,14,15,"
	    "16,17,18"), &s, &r), 1, "a record with exponents, nulls and a "
	    "nested \"values\"");
	ok(s.n == 24 && s.values[0] == 1 && isnan(s.values[1]) &&
	    s.values[2] == 2.5 && s.values[5] == 1000 && s.values[6] == 0.01 &&
	    s.values[23] == 18, "its values, null as NaN");
	is(s.account, "123456789012", "account");
	is(s.table, "orders", "table");
	ok(s.index == NULL, "index null");
	is_int(s.metric, SERIES_CONSUMED_READ, "metric");
	is_int(s.period, 3600, "period");
	is_int((long long)s.start, 1793491200LL, "start");
	is_int(one("{\"values\" : [ 1 , 2 ,3,4,5,6,7,8,9,10,11,12,13,14,15,16,"
	    "17,18,19,20,21,22,23,24 ] ,\"kind\":\"series\",\"account\":"
	    "\"123456789012\",\"region\":\"us-east-1\",\"table\":\"t\","
	    "\"index\":\"by-x\",\"metric\":\"Other\",\"period\":3600,"
	    "\"start\":\"2026-11-01T00:00:00Z\"}", &s, &r), 1,
	    "values first, spaces, an index, another metric");
	ok(s.n == 24 && s.values[23] == 24 && strcmp(s.index, "by-x") == 0 &&
	    s.metric == -1, "read as such");
	series_close(r);
	r = NULL;

	/* A day without datapoints, read in one comparison, and days that
	 * only look like one. */
	for (p = v, i = 0; i < 24; i++)
		p += sprintf(p, "%snull", i ? "," : "");
	is_int(one(record("", v), &s, &r), 1, "a day of nulls");
	for (same = s.n == 24, i = 0; i < 24; i++)
		same = same && isnan(s.values[i]);
	ok(same, "24 NaN");
	memcpy(v + strlen(v) - 4, "1.25", 4);
	is_int(one(record("", v), &s, &r), 1, "nulls, then a number");
	ok(s.n == 24 && isnan(s.values[22]) && s.values[23] == 1.25,
	    "the number last");
	series_close(r);
	r = NULL;
	memcpy(v + strlen(v) - 4, "nulL", 4);
	rejected(record("", v), "nulls, then nulL");
	memcpy(v + strlen(v) - 4, "null", 4);
	rejected(record("", v + 5), "23 nulls");
	is_int(one("{\"kind\":\"series\",\"account\":\"123456789012\","
	    "\"region\":\"us-east-1\",\"table\":\"t\",\"index\":null,"
	    "\"metric\":\"X\",\"period\":86400,\"start\":"
	    "\"2026-11-01T00:00:00Z\",\"values\":[null]}\n", &s, &r), 1,
	    "a daily series without its datapoint");
	ok(s.n == 1 && isnan(s.values[0]), "one NaN");
	series_close(r);
	r = NULL;
	rejected("{\"kind\":\"series\",\"account\":\"123456789012\","
	    "\"region\":\"us-east-1\",\"table\":\"t\",\"index\":null,"
	    "\"metric\":\"X\",\"period\":86400,\"start\":"
	    "\"2026-11-01T00:00:00Z\",\"values\":[nul]}\n", "nul");

	/* Mantissas of 15 digits and more, either side of the point, up to
	 * 1e12 (13 digits before the point). */
	snprintf(v, sizeof(v), "%s", "999999999999.999,123456789012.3456,"
	    "12345678901.2345,1234567890123e-3,0.000000000000001,"
	    "0.0000000000000001,900719925474.0993,184467440737.09551617,"
	    "0.1,0.3,2.675,1.5e3,1000000000000,-0,0,9007199254.740993,"
	    "900719925474.09935,999999999999,11,12,13,14,15,16");
	is_int(one(record("", v), &s, &r), 1, "long mantissas");
	for (same = s.n == 24, p = v, i = 0; same && i < 24; i++) {
		double d = strtod(p, &p);

		p++;
		same = memcmp(&d, &s.values[i], sizeof(d)) == 0;
	}
	ok(same, "long mantissas read as strtod reads them");
	series_close(r);
	r = NULL;

	/* No count is negative, and none above 1e12: named by position. */
	rejected(record("", "1,2,-0.5,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,"
	    "19,20,21,22,23,24"), "a negative value");
	ok(strstr(captured(), "value 3 of \"values\" is -0.5") != NULL,
	    "the negative value named");
	rejected(record("", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,"
	    "20,21,22,23,1000000000000.5"), "1e12 and a half");
	rejected(record("", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,"
	    "20,21,22,23,1e308"), "1e308");
	ok(strstr(captured(), "value 24 of \"values\" is 1e+308") != NULL,
	    "1e308 named");
	rejected(record("", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,"
	    "20,21,22,23,999999999999999"), "15 digits");
	rejected(record("", "-1e-300,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,"
	    "18,19,20,21,22,23,24"), "a tiny negative");

	/* Escapes and non-ASCII are Jansson's to read: the same record. */
	is_int(one("{\"kind\":\"series\",\"account\":\"123456789012\","
	    "\"region\":\"us-east-1\",\"table\":\"a\\\"b\\u00e9\\/\","
	    "\"index\":\"\xc3\xa9\",\"metric\":\"ConsumedReadCapacityUnits\","
	    "\"period\":3600,\"start\":\"2026-11-01T00:00:00Z\",\"values\":"
	    "[" V24 "]}\n", &s, &r), 1,
	    "a table name with escapes, an index not ASCII");
	is(s.table, "a\"b\xc3\xa9/", "the escapes read");
	is(s.index, "\xc3\xa9", "the index as written");
	series_close(r);
	r = NULL;

	rejected(record("", "1,2"), "too few values for a day");
	rejected("{\"kind\":\"series\",\"account\":\"123456789012\","
	    "\"region\":\"us-east-1\",\"table\":\"t\",\"index\":null,"
	    "\"metric\":\"X\",\"period\":\"3600\",\"start\":"
	    "\"2026-11-01T00:00:00Z\",\"values\":[" V24 "]}\n",
	    "a period in quotes");
	rejected("{\"kind\":\"series\",\"account\":\"123456789012\","
	    "\"region\":\"us-east-1\",\"table\":\"t\",\"index\":null,"
	    "\"metric\":\"X\",\"period\":3600.0,\"start\":"
	    "\"2026-11-01T00:00:00Z\",\"values\":[" V24 "]}\n",
	    "a period not whole");
	rejected("{\"kind\":\"series\",\"account\":\"123456789012\","
	    "\"region\":\"us-east-1\",\"table\":\"t\",\"table\":\"u\","
	    "\"index\":null,\"metric\":\"X\",\"period\":3600,\"start\":"
	    "\"2026-11-01T00:00:00Z\",\"values\":[" V24 "]}\n",
	    "a key twice");
	rejected("{\"kind\":\"series\",\"account\":\"123456789012\","
	    "\"region\":\"us-east-1\",\"table\":\"t\","
	    "\"metric\":\"X\",\"period\":3600,\"start\":"
	    "\"2026-11-01T00:00:00Z\",\"values\":[" V24 "]}\n",
	    "no index");
	rejected(record("", "1,2,,3"), "an empty element");
	rejected(record("", "1,2,\"3\",4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,"
	    "19,20,21,22,23,24"), "a string value");
	rejected(record("", "01,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,"
	    "19,20,21,22,23,24"), "a leading zero");
	rejected(record("", "1.,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,"
	    "19,20,21,22,23,24"), "a bare decimal point");
	rejected(record("", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,"
	    "19,20,21,22,23,.5"), "no digit before the point");
	rejected(record("", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,"
	    "19,20,21,22,23,00.5"), "a leading zero before the point");
	rejected(record("", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,"
	    "19,20,21,22,23,2.5."), "two points");
	rejected(record("", "1e999,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,"
	    "19,20,21,22,23,24"), "an infinite number");
	rejected(record(",\"period\":60", "1"), "a duplicate key");
	rejected("{\"kind\":\"table\",\"values\":[]}\n", "another kind");
	rejected("{\"kind\":\"series\",\"values\":[1,2]\n", "broken JSON");
	rejected("{\"kind\":\"series\"}\n", "no values");
	rejected("{\"kind\":\"series\",\"note\":\"\\\"values\\\":[1]\"}\n",
	    "\"values\" only inside a string");
	return (done_testing());
}
