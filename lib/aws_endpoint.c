#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws_config.h"
#include "aws_endpoint.h"

/* The services, from botocore's models and endpoint rules (aws-wire.md). */
static const struct aws_service services[] = {
	{ "dynamodb", "DYNAMODB", "dynamodb", "dynamodb", "dynamodb",
	    AWS_PROTO_JSON10, "DynamoDB_20120810", NULL, 0, 0 },
	{ "cloudwatch", "CLOUDWATCH", "cloudwatch", "monitoring", "monitoring",
	    AWS_PROTO_JSON10, "GraniteServiceVersion20100801", "2010-08-01", 0,
	    0 },
	{ "pricing", "PRICING", "pricing", "pricing", "api.pricing",
	    AWS_PROTO_JSON11, "AWSPriceListService", NULL, 1, 0 },
	/* The public price list files: unsigned GETs, in one place for each
	 * partition but China's. */
	{ "offers", "PRICING_OFFERS", "pricing_offers", "pricing", "pricing",
	    AWS_PROTO_RESTXML, NULL, NULL, 1, 0 },
	{ "organizations", "ORGANIZATIONS", "organizations", "organizations",
	    "organizations", AWS_PROTO_JSON11, "AWSOrganizationsV20161128",
	    NULL, 1, 0 },
	{ "sts", "STS", "sts", "sts", "sts", AWS_PROTO_QUERY, NULL,
	    "2011-06-15", 0, 0 },
	{ "s3", "S3", "s3", "s3", "s3", AWS_PROTO_RESTXML, NULL, NULL, 0, 0 },
	{ "cur", "COST_AND_USAGE_REPORT_SERVICE",
	    "cost_and_usage_report_service", "cur", "cur", AWS_PROTO_JSON11,
	    "AWSOrigamiServiceGatewayService", NULL, 1, 0 },
	/* Data Exports (CUR 2.0): bcm-data-exports.us-east-1.api.aws. */
	{ "bcm-data-exports", "BCM_DATA_EXPORTS", "bcm_data_exports",
	    "bcm-data-exports", "bcm-data-exports", AWS_PROTO_JSON11,
	    "AWSBillingAndCostManagementDataExports", NULL, 1, 1 },
	{ "ec2", "EC2", "ec2", "ec2", "ec2", AWS_PROTO_QUERY, NULL, "2016-11-15",
	    0, 0 },
	{ "autoscaling", "APPLICATION_AUTO_SCALING",
	    "application_auto_scaling", "application-autoscaling",
	    "application-autoscaling", AWS_PROTO_JSON11,
	    "AnyScaleFrontendService", NULL, 0, 0 },
	/* Savings Plans: REST-JSON, savingsplans.amazonaws.com, signed for
	 * us-east-1 (botocore savingsplans 2019-06-28). */
	{ "savingsplans", "SAVINGSPLANS", "savingsplans", "savingsplans",
	    "savingsplans", AWS_PROTO_RESTJSON, NULL, NULL, 1, 0 },
};

/**
 * aws_service_find(name):
 * The service called ${name} ("dynamodb", "cloudwatch", "pricing",
 * "offers", "organizations", "sts", "s3", "cur", "bcm-data-exports",
 * "autoscaling", "ec2", "savingsplans"), or NULL.
 */
const struct aws_service *
aws_service_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		if (strcmp(services[i].name, name) == 0)
			return (&services[i]);
	return (NULL);
}

static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return (v != NULL && *v != '\0' ? v : NULL);
}

/**
 * aws_region_resolve(opt, cfg, profile):
 * The region: ${opt} if not NULL, else $AWS_REGION, $AWS_DEFAULT_REGION,
 * the profile's region in ${cfg} (may be NULL), else "us-east-1".  The
 * string is borrowed from its source.
 */
const char *
aws_region_resolve(const char *opt, const struct aws_config *cfg,
    const char *profile)
{
	const char *r;

	if (opt != NULL)
		return (opt);
	if ((r = env("AWS_REGION")) != NULL ||
	    (r = env("AWS_DEFAULT_REGION")) != NULL)
		return (r);
	if (cfg != NULL && profile != NULL &&
	    (r = aws_config_get(cfg, profile, "region")) != NULL)
		return (r);
	return ("us-east-1");
}

/**
 * aws_partition_suffix(region):
 * The DNS suffix of ${region}'s partition: "amazonaws.com.cn" for cn-*,
 * else "amazonaws.com".
 */
const char *
aws_partition_suffix(const char *region)
{

	return (strncmp(region, "cn-", 3) == 0 ? "amazonaws.com.cn" :
	    "amazonaws.com");
}

/**
 * aws_partition_dualstack_suffix(region):
 * The dual-stack DNS suffix of ${region}'s partition, where the newer
 * services live ("bcm-data-exports.us-east-1.api.aws"):
 * "api.amazonwebservices.com.cn" for cn-*, else "api.aws".
 */
const char *
aws_partition_dualstack_suffix(const char *region)
{

	return (strncmp(region, "cn-", 3) == 0 ?
	    "api.amazonwebservices.com.cn" : "api.aws");
}

/* The region a global service lives in, for ${region}'s partition. */
static const char *
global_region(const struct aws_service *svc, const char *region)
{

	if (strncmp(region, "cn-", 3) == 0)
		return (strcmp(svc->name, "offers") == 0 ? "cn-north-1" :
		    "cn-northwest-1");
	if (strcmp(svc->name, "offers") == 0)
		return ("us-east-1");
	if (strncmp(region, "us-gov-", 7) == 0)
		return ("us-gov-west-1");
	/* The Price List API answers in three regions; others use us-east-1. */
	if (strcmp(svc->name, "pricing") == 0 &&
	    (strcmp(region, "eu-central-1") == 0 ||
	    strcmp(region, "ap-south-1") == 0))
		return (region);
	return ("us-east-1");
}

/* The configured override for ${svc}, or NULL. */
static const char *
override(const struct aws_service *svc, const struct aws_config *cfg,
    const char *profile)
{
	char name[128];
	const char *v, *services_name;

	v = env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
	if (v != NULL && strcasecmp(v, "true") == 0)
		return (NULL);
	snprintf(name, sizeof(name), "AWS_ENDPOINT_URL_%s", svc->env);
	if ((v = env(name)) != NULL || (v = env("AWS_ENDPOINT_URL")) != NULL)
		return (v);
	if (cfg == NULL || profile == NULL)
		return (NULL);
	v = aws_config_get(cfg, profile, "ignore_configured_endpoint_urls");
	if (v != NULL && strcasecmp(v, "true") == 0)
		return (NULL);
	if ((services_name = aws_config_get(cfg, profile, "services")) != NULL) {
		snprintf(name, sizeof(name), "%s.endpoint_url", svc->config_key);
		if ((v = aws_config_section(cfg, "services", services_name,
		    name)) != NULL)
			return (v);
	}
	return (aws_config_get(cfg, profile, "endpoint_url"));
}

/**
 * aws_endpoint_resolve(svc, region, cfg, profile, ep):
 * Fill ${ep} for ${svc} in ${region}: $AWS_ENDPOINT_URL_<SERVICE>, else
 * $AWS_ENDPOINT_URL, else the profile's services section or endpoint_url
 * (none of them when $AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true), else
 * the service's endpoint in the region's partition.  Return 0, or -1 if
 * an override is not an http(s) URL or too long (reported).
 */
int
aws_endpoint_resolve(const struct aws_service *svc, const char *region,
    const struct aws_config *cfg, const char *profile, struct aws_endpoint *ep)
{
	const char *url, *where = svc->global ? global_region(svc, region) :
	    region;
	size_t n;

	memset(ep, 0, sizeof(*ep));
	snprintf(ep->signing_region, sizeof(ep->signing_region), "%s", where);
	if ((url = override(svc, cfg, profile)) != NULL) {
		if ((strncmp(url, "http://", 7) != 0 &&
		    strncmp(url, "https://", 8) != 0) ||
		    strlen(url) >= sizeof(ep->url)) {
			warnx("endpoint URL for %s: \"%s\" is not an http(s) URL",
			    svc->name, url);
			return (-1);
		}
		/* With an override, requests are signed for the client's
		 * region, as the AWS SDKs do. */
		snprintf(ep->signing_region, sizeof(ep->signing_region), "%s",
		    region);
		snprintf(ep->url, sizeof(ep->url), "%s", url);
		n = strlen(ep->url);
		while (n > 0 && ep->url[n - 1] == '/')
			ep->url[--n] = '\0';
		ep->overridden = 1;
		return (0);
	}
	/* Savings Plans' endpoint in the aws partition names no region. */
	if (strcmp(svc->name, "savingsplans") == 0 &&
	    strcmp(where, "us-east-1") == 0) {
		snprintf(ep->url, sizeof(ep->url), "https://%s.%s", svc->host,
		    aws_partition_suffix(where));
		return (0);
	}
	snprintf(ep->url, sizeof(ep->url), "https://%s.%s.%s", svc->host, where,
	    svc->dualstack ? aws_partition_dualstack_suffix(where) :
	    aws_partition_suffix(where));
	return (0);
}
