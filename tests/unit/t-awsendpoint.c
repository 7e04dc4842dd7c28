#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws_client.h"
#include "aws_config.h"
#include "aws_endpoint.h"
#include "tap.h"

/*
 * The pages of a listing: tokens A, B, ... then ${repeat} (a token given
 * before), or none; what aws_pages_next said of the last page, and the
 * error's message in ${msg}.
 */
static int
listing(const char *const *tokens, char *msg, size_t len)
{
	struct aws_pages p = { 0 };
	struct aws_error e;
	int rc = 1;

	memset(&e, 0, sizeof(e));
	for (; rc == 1 && *tokens != NULL; tokens++)
		rc = aws_pages_next(&p, "dynamodb", "ListTables", **tokens ?
		    *tokens : NULL, &e);
	snprintf(msg, len, "%s: %s", e.code, e.message);
	aws_pages_free(&p);
	return (rc);
}

/* Pages of distinct tokens, up to the cap; what the last page gave. */
static int
endless(unsigned long pages, char *msg, size_t len)
{
	struct aws_pages p = { 0 };
	struct aws_error e;
	char token[32];
	unsigned long i;
	int rc = 1;

	memset(&e, 0, sizeof(e));
	for (i = 0; i < pages && rc == 1; i++) {
		snprintf(token, sizeof(token), "page-%lu", i + 1);
		rc = aws_pages_next(&p, "pricing", "GetProducts", token, &e);
	}
	snprintf(msg, len, "%s: %s", e.code, e.message);
	aws_pages_free(&p);
	return (rc);
}

static const char *
url(const char *svc, const char *region, const struct aws_config *c,
    const char *profile)
{
	static struct aws_endpoint ep;

	if (aws_endpoint_resolve(aws_service_find(svc), region, c, profile, &ep))
		return ("error");
	return (ep.url);
}

int
main(void)
{
	const char *conf = strdup(path(scratch(), "config"));
	struct aws_endpoint ep;
	struct aws_config *c;

	plan(35);
	unsetenv("AWS_ENDPOINT_URL");
	unsetenv("AWS_REGION");
	unsetenv("AWS_DEFAULT_REGION");
	unsetenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
	is(url("dynamodb", "eu-west-1", NULL, NULL),
	    "https://dynamodb.eu-west-1.amazonaws.com", "regional");
	is(url("cloudwatch", "cn-north-1", NULL, NULL),
	    "https://monitoring.cn-north-1.amazonaws.com.cn", "China partition");
	is(url("organizations", "eu-west-1", NULL, NULL),
	    "https://organizations.us-east-1.amazonaws.com", "global service");
	is(url("organizations", "us-gov-east-1", NULL, NULL),
	    "https://organizations.us-gov-west-1.amazonaws.com", "GovCloud");
	is(url("pricing", "ap-south-1", NULL, NULL),
	    "https://api.pricing.ap-south-1.amazonaws.com", "pricing region");
	is(url("pricing", "ap-southeast-2", NULL, NULL),
	    "https://api.pricing.us-east-1.amazonaws.com", "pricing default");
	is(url("sts", "ap-southeast-2", NULL, NULL),
	    "https://sts.ap-southeast-2.amazonaws.com", "regional STS");
	ok(aws_endpoint_resolve(aws_service_find("cur"), "eu-west-1", NULL, NULL,
	    &ep) == 0 && strcmp(ep.signing_region, "us-east-1") == 0,
	    "global service signs for its own region");
	is(url("bcm-data-exports", "eu-west-1", NULL, NULL),
	    "https://bcm-data-exports.us-east-1.api.aws",
	    "Data Exports: the dual-stack suffix");
	is(url("bcm-data-exports", "cn-north-1", NULL, NULL),
	    "https://bcm-data-exports.cn-northwest-1.api.amazonwebservices.com.cn",
	    "Data Exports in China");
	ok(aws_endpoint_resolve(aws_service_find("bcm-data-exports"),
	    "ap-southeast-2", NULL, NULL, &ep) == 0 &&
	    strcmp(ep.signing_region, "us-east-1") == 0,
	    "Data Exports signs for us-east-1");
	is(url("savingsplans", "eu-west-1", NULL, NULL),
	    "https://savingsplans.amazonaws.com",
	    "Savings Plans: one endpoint without a region");
	ok(aws_endpoint_resolve(aws_service_find("savingsplans"),
	    "ap-southeast-2", NULL, NULL, &ep) == 0 &&
	    strcmp(ep.signing_region, "us-east-1") == 0,
	    "Savings Plans signs for us-east-1");

	setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566/", 1);
	is(url("s3", "us-east-1", NULL, NULL), "http://127.0.0.1:4566",
	    "AWS_ENDPOINT_URL, trailing slash dropped");
	setenv("AWS_ENDPOINT_URL_BCM_DATA_EXPORTS", "http://127.0.0.1:4567", 1);
	is(url("bcm-data-exports", "us-east-1", NULL, NULL),
	    "http://127.0.0.1:4567", "AWS_ENDPOINT_URL_BCM_DATA_EXPORTS");
	unsetenv("AWS_ENDPOINT_URL_BCM_DATA_EXPORTS");
	setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8000", 1);
	is(url("dynamodb", "us-east-1", NULL, NULL), "http://127.0.0.1:8000",
	    "per-service variable wins");
	ok(aws_endpoint_resolve(aws_service_find("organizations"), "eu-west-1",
	    NULL, NULL, &ep) == 0 && strcmp(ep.signing_region, "eu-west-1") == 0
	    && ep.overridden, "override signs for the client's region");
	setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true", 1);
	is(url("dynamodb", "us-east-1", NULL, NULL),
	    "https://dynamodb.us-east-1.amazonaws.com", "overrides ignored");
	unsetenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
	setenv("AWS_ENDPOINT_URL_DYNAMODB", "ftp://x", 1);
	capture();
	ok(aws_endpoint_resolve(aws_service_find("dynamodb"), "us-east-1", NULL,
	    NULL, &ep) == -1 && strstr(captured(), "not an http(s) URL"),
	    "bad override refused");
	unsetenv("AWS_ENDPOINT_URL_DYNAMODB");
	unsetenv("AWS_ENDPOINT_URL");

	spew(conf, "[profile local]\nregion = eu-west-1\nservices = emu\n"
	    "endpoint_url = http://127.0.0.1:9\n"
	    "[services emu]\ndynamodb =\n  endpoint_url = http://127.0.0.1:8000\n");
	c = aws_config_load(conf, NULL);
	is(url("dynamodb", "eu-west-1", c, "local"), "http://127.0.0.1:8000",
	    "services section");
	is(url("sts", "eu-west-1", c, "local"), "http://127.0.0.1:9",
	    "profile endpoint_url");
	is(aws_region_resolve(NULL, c, "local"), "eu-west-1", "profile region");
	setenv("AWS_DEFAULT_REGION", "us-west-1", 1);
	is(aws_region_resolve(NULL, c, "local"), "us-west-1",
	    "AWS_DEFAULT_REGION beats the profile");
	setenv("AWS_REGION", "us-west-2", 1);
	is(aws_region_resolve(NULL, c, "local"), "us-west-2",
	    "AWS_REGION beats AWS_DEFAULT_REGION");
	is(aws_region_resolve("ca-central-1", c, "local"), "ca-central-1",
	    "option beats all");
	aws_config_free(c);
	unsetenv("AWS_REGION");
	unsetenv("AWS_DEFAULT_REGION");
	is(aws_region_resolve(NULL, NULL, NULL), "us-east-1", "default region");
	free((char *)conf);
	/* Listings that end, and listings that would not. */
	{
		static const char *const ends[] = { "a", "b", "c", "", NULL };
		static const char *const same[] = { "a", "b", "b", NULL };
		static const char *const back[] = { "a", "b", "c", "a", NULL };
		static const char *const one[] = { "", NULL };
		char msg[700];

		is_int(listing(one, msg, sizeof(msg)), 0, "one page: complete");
		is_int(listing(ends, msg, sizeof(msg)), 0,
		    "tokens a, b, c, then none: complete");
		is_int(listing(same, msg, sizeof(msg)), -1,
		    "the same token twice in a row: stopped");
		ok(strstr(msg, "InvalidResponse: ListTables: page 3 names as "
		    "the next page the one page 2 named") != NULL, "%s", msg);
		is_int(listing(back, msg, sizeof(msg)), -1,
		    "a token of three pages before: stopped");
		ok(strstr(msg, "page 4 names as the next page the one page 1 "
		    "named") != NULL, "%s", msg);
		is_int(endless(AWS_PAGES_MAX - 1, msg, sizeof(msg)), 1,
		    "AWS_PAGES_MAX - 1 pages of new tokens: go on");
		is_int(endless(AWS_PAGES_MAX, msg, sizeof(msg)), -1,
		    "AWS_PAGES_MAX pages: stopped");
		ok(strstr(msg, "InvalidResponse: GetProducts: more than 100000 "
		    "pages") != NULL, "%s", msg);
	}
	return (done());
}
