#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "aws_client.h"
#include "aws_probe.h"

/* The calls: a permission, and a request that proves it harmlessly. */
static const struct {
	const char *permission, *service, *action, *input;
	int org;
} calls[] = {
	{ "dynamodb:ListTables", "dynamodb", "ListTables", "{\"Limit\":1}", 0 },
	/* A table that does not exist: ResourceNotFound proves the right. */
	{ "dynamodb:DescribeTable", "dynamodb", "DescribeTable",
	    "{\"TableName\":\"optima-permission-probe\"}", 0 },
	{ "dynamodb:ListTagsOfResource", "dynamodb", "ListTagsOfResource",
	    NULL, 0 },
	{ "cloudwatch:GetMetricData", "cloudwatch", "GetMetricData", NULL, 0 },
	{ "application-autoscaling:DescribeScalableTargets", "autoscaling",
	    "DescribeScalableTargets",
	    "{\"ServiceNamespace\":\"dynamodb\",\"MaxResults\":1}", 0 },
	{ "application-autoscaling:DescribeScalingPolicies", "autoscaling",
	    "DescribeScalingPolicies",
	    "{\"ServiceNamespace\":\"dynamodb\",\"MaxResults\":1}", 0 },
	{ "pricing:GetProducts", "pricing", "GetProducts",
	    "{\"ServiceCode\":\"AmazonDynamoDB\",\"MaxResults\":1}", 0 },
	{ "cur:DescribeReportDefinitions", "cur", "DescribeReportDefinitions",
	    "{\"MaxResults\":5}", 0 },
	{ "bcm-data-exports:ListExports", "bcm-data-exports", "ListExports",
	    "{\"MaxResults\":1}", 0 },
	{ "organizations:ListAccounts", "organizations", "ListAccounts",
	    "{\"MaxResults\":1}", 1 },
};

static void
probed(json_t *out, const struct aws_error *e, void *ctx)
{
	struct aws_probe *p = ctx;

	/* A client error about the request itself (no such table, ...)
	 * comes after the permission check, so it proves the permission. */
	if (e == NULL || (e->status >= 400 && e->status < 500 &&
	    e->retry == AWS_RETRY_NO && !aws_error_denied(e) &&
	    !aws_error_credentials(e))) {
		p->state = AWS_PROBE_GRANTED;
		return;
	}
	p->state = aws_error_denied(e) ? AWS_PROBE_DENIED : AWS_PROBE_FAILED;
	snprintf(p->detail, sizeof(p->detail), "%s: %s", e->code, e->message);
}

/* The client of ${service} among ${clients}, or NULL. */
static struct aws_client *
client(struct aws_client **clients, const char *service)
{

	for (; *clients != NULL; clients++)
		if (strcmp((*clients)->svc->name, service) == 0)
			return (*clients);
	return (NULL);
}

/**
 * aws_probe_all(clients, account, region, org, probes, n):
 * Run every probe (those for Organizations only if ${org}) with the client
 * of its service in ${clients} (a NULL-terminated array), for ${account}
 * in ${region}; fill ${probes}, an array of at least AWS_PROBE_MAX, and
 * ${n}.  The transport must then be run (aws_http_run) to fill states.
 * Return 0, or -1 if a probe could not be queued (reported).
 */
int
aws_probe_all(struct aws_client **clients, const char *account,
    const char *region, int org, struct aws_probe *probes, size_t *n)
{
	struct aws_client *c;
	struct aws_probe *p;
	json_t *in;
	char arn[256];
	time_t now = time(NULL);
	size_t i;

	*n = 0;
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		if (calls[i].org && !org)
			continue;
		p = &probes[(*n)++];
		memset(p, 0, sizeof(*p));
		p->permission = calls[i].permission;
		p->service = calls[i].service;
		p->org = calls[i].org;
		p->state = AWS_PROBE_FAILED;
		if ((c = client(clients, calls[i].service)) == NULL) {
			snprintf(p->detail, sizeof(p->detail), "no client");
			continue;
		}
		snprintf(arn, sizeof(arn), "arn:aws:dynamodb:%s:%s:table/"
		    "optima-permission-probe", region, account);
		if (calls[i].input != NULL)
			in = json_loads(calls[i].input, 0, NULL);
		else if (strcmp(calls[i].action, "ListTagsOfResource") == 0)
			in = json_pack("{s:s}", "ResourceArn", arn);
		else
			in = json_pack("{s:[{s:s, s:{s:{s:s, s:s}, s:i, s:s}}],"
			    " s:I, s:I}", "MetricDataQueries", "Id", "probe",
			    "MetricStat", "Metric", "Namespace", "AWS/DynamoDB",
			    "MetricName", "ConsumedReadCapacityUnits", "Period",
			    60, "Stat", "Sum", "StartTime",
			    (json_int_t)(now - now % 60 - 300), "EndTime",
			    (json_int_t)(now - now % 60));
		if (in == NULL ||
		    aws_client_json(c, calls[i].action, in, probed, p) != 0)
			return (-1);
	}
	return (0);
}
