#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metricdata.h"
#include "tap.h"

static char seen[1024];

static int
collect(const struct metricdata_result *r, void *ctx)
{
	size_t i, n = strlen(seen);

	n += (size_t)snprintf(seen + n, sizeof(seen) - n, "%s/%s:", r->id,
	    r->status);
	for (i = 0; i < r->n && n < sizeof(seen); i++)
		n += (size_t)snprintf(seen + n, sizeof(seen) - n, "%.17g=%.17g,",
		    r->timestamps[i], r->values[i]);
	if (n < sizeof(seen))
		snprintf(seen + n, sizeof(seen) - n, ";");
	return (ctx != NULL && strcmp(r->id, "stop") == 0 ? 7 : 0);
}

/* Parse ${text}; "seen|next" or "error: ...". */
static const char *
parse(struct metricdata *md, const char *text, void *ctx)
{
	static char out[2048];
	char *next;
	int rc;

	seen[0] = '\0';
	rc = metricdata_parse(md, text, strlen(text), collect, ctx, &next);
	if (rc == -1)
		snprintf(out, sizeof(out), "error: %s", metricdata_error(md));
	else if (rc != 0)
		snprintf(out, sizeof(out), "rc %d", rc);
	else
		snprintf(out, sizeof(out), "%s|%s", seen, next ? next : "-");
	free(next);
	return (out);
}

int
main(void)
{
	struct metricdata *md;
	char *big, *p, *next;
	size_t i;
	int ok1;

	plan(16);
	md = metricdata_new();
	is(parse(md, "{\"MetricDataResults\":[{\"Id\":\"q0\",\"Label\":\"x\","
	    "\"Timestamps\":[1735689600.0,1735689660],\"Values\":[12.5,-3e2],"
	    "\"StatusCode\":\"Complete\",\"Messages\":[]},{\"Values\":[],"
	    "\"Timestamps\":[],\"Id\":\"q1\",\"StatusCode\":\"PartialData\"}],"
	    "\"NextToken\":\"ab\\/c\\u003d\\u00e9\\ud83d\\ude00\",\"Messages\":"
	    "[{\"Code\":\"x\",\"Value\":{\"deep\":[true,false,null,1]}}]}", NULL),
	    "q0/Complete:1735689600=12.5,1735689660=-300,;q1/PartialData:;|"
	    "ab/c=\xc3\xa9\xf0\x9f\x98\x80", "results, any member order, "
	    "escapes and surrogate pairs in NextToken, unknown members skipped");
	is(parse(md, " { \"Messages\" : [ ] } \n", NULL), "|-",
	    "no results, no token, white space");
	is(parse(md, "{\"NextToken\":null,\"MetricDataResults\":[]}", NULL),
	    "|-", "a null NextToken is none");
	is(parse(md, "{\"MetricDataResults\":[{\"Id\":\"stop\"}]}", md),
	    "rc 7", "the callback's status is returned");
	is(parse(md, "{\"MetricDataResults\":[{\"Id\":\"q0\",\"Timestamps\":"
	    "[1],\"Values\":[]}]}", NULL), "error: Timestamps and Values of "
	    "different lengths at byte 62", "lengths must agree");
	ok(strncmp(parse(md, "{\"MetricDataResults\":[{\"Values\":[]}]}",
	    NULL), "error: a result without an Id", 29) == 0, "Id required");
	ok(strncmp(parse(md, "{\"MetricDataResults\":[{\"Id\":\"q0\",\"Values\""
	    ":[1,2", NULL), "error: expected ']'", 19) == 0,
	    "a truncated reply is an error");
	ok(strncmp(parse(md, "{}x", NULL), "error: text after the reply", 27) ==
	    0, "trailing text");
	ok(strncmp(parse(md, "{\"MetricDataResults\":[{\"Id\":\"q0\",\"Values\""
	    ":[01],\"Timestamps\":[1]}]}", NULL), "error: expected ']'", 19) ==
	    0, "a leading zero is not JSON");
	ok(strncmp(parse(md, "{\"a\":\"x\ty\"}", NULL),
	    "error: control character", 24) == 0, "raw control characters");
	ok(strncmp(parse(md, "{\"NextToken\":\"\\x\"}", NULL),
	    "error: invalid escape", 21) == 0, "bad escapes");

	/* Nesting is bounded. */
	big = malloc(100000);
	p = big + sprintf(big, "{\"Messages\":");
	for (i = 0; i < 1000; i++)
		*p++ = '[';
	*p = '\0';
	ok(strncmp(parse(md, big, NULL), "error: nested too deeply", 24) == 0,
	    "deep nesting refused");

	/* A full page: 100,800 datapoints. */
	p = big = realloc(big, 5000000);
	p += sprintf(p, "{\"MetricDataResults\":[{\"Id\":\"q0\",\"Timestamps\":[");
	for (i = 0; i < 100800; i++)
		p += sprintf(p, "%s%zu", i ? "," : "", 1735689600 + 60 * i);
	p += sprintf(p, "],\"Values\":[");
	for (i = 0; i < 100800; i++)
		p += sprintf(p, "%s%zu.25", i ? "," : "", i);
	sprintf(p, "]}]}");
	seen[0] = '\0';
	ok1 = metricdata_parse(md, big, strlen(big), collect, NULL, &next) == 0;
	ok(ok1 && strncmp(seen, "q0/:1735689600=0.25,1735689660=1.25,", 36) ==
	    0, "a full page");
	ok(next == NULL, "and no token");

	/* One datapoint more than GetMetricData ever gives: refused, in a
	 * second result as in the first. */
	p = big;
	p += sprintf(p, "{\"MetricDataResults\":[{\"Id\":\"q0\",\"Timestamps\":[");
	for (i = 0; i < 100800; i++)
		p += sprintf(p, "%s%zu", i ? "," : "", 1735689600 + 60 * i);
	p += sprintf(p, "],\"Values\":[");
	for (i = 0; i < 100800; i++)
		p += sprintf(p, "%s%zu.25", i ? "," : "", i);
	sprintf(p, "]},{\"Id\":\"q1\",\"Timestamps\":[1],\"Values\":[1]}]}");
	ok(metricdata_parse(md, big, strlen(big), collect, NULL, &next) == -1 &&
	    strstr(metricdata_error(md), "more than 100800 datapoints") != NULL,
	    "100,801 datapoints: %s", metricdata_error(md));
	ok(next == NULL, "and no token");
	free(big);
	metricdata_free(md);
	return (done());
}
