#ifndef AWS_ENDPOINT_H
#define AWS_ENDPOINT_H

struct aws_config;

/*
 * The AWS services optima calls, their wire protocols, and where to send
 * a request: the region, the endpoint of each partition (aws, aws-cn,
 * aws-us-gov), and the AWS_ENDPOINT_URL overrides the AWS tools honour.
 */

enum aws_protocol {
	AWS_PROTO_JSON10,
	AWS_PROTO_JSON11,
	AWS_PROTO_QUERY,
	AWS_PROTO_RESTXML,
	AWS_PROTO_RESTJSON	/* POST /Action, application/json */
};

struct aws_service {
	const char *name;	/* our name: "dynamodb", "cloudwatch", ... */
	const char *env;	/* AWS_ENDPOINT_URL_<env> */
	const char *config_key;	/* key in a [services] section */
	const char *signing_name;
	const char *host;	/* host prefix: "dynamodb", "api.pricing" */
	enum aws_protocol protocol;
	const char *target;	/* JSON 1.0/1.1: X-Amz-Target prefix */
	const char *version;	/* query: Version */
	int global;		/* one endpoint per partition */
	int dualstack;		/* on the partition's dual-stack suffix */
};

/* Where to send requests for one service in one region. */
struct aws_endpoint {
	char url[512];		/* scheme://host[:port][/path], no trailing / */
	char signing_region[32];
	int overridden;		/* from AWS_ENDPOINT_URL* or the config */
};

/**
 * aws_service_find(name):
 * The service called ${name} ("dynamodb", "cloudwatch", "pricing",
 * "offers", "organizations", "sts", "s3", "cur", "bcm-data-exports",
 * "autoscaling", "ec2", "savingsplans"), or NULL.
 */
const struct aws_service *aws_service_find(const char *);

/**
 * aws_region_resolve(opt, cfg, profile):
 * The region: ${opt} if not NULL, else $AWS_REGION, $AWS_DEFAULT_REGION,
 * the profile's region in ${cfg} (may be NULL), else "us-east-1".  The
 * string is borrowed from its source.
 */
const char *aws_region_resolve(const char *, const struct aws_config *,
    const char *);

/**
 * aws_endpoint_resolve(svc, region, cfg, profile, ep):
 * Fill ${ep} for ${svc} in ${region}: $AWS_ENDPOINT_URL_<SERVICE>, else
 * $AWS_ENDPOINT_URL, else the profile's services section or endpoint_url
 * (none of them when $AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true), else
 * the service's endpoint in the region's partition.  Return 0, or -1 if
 * an override is not an http(s) URL or too long (reported).
 */
int aws_endpoint_resolve(const struct aws_service *, const char *,
    const struct aws_config *, const char *, struct aws_endpoint *);

/**
 * aws_partition_suffix(region):
 * The DNS suffix of ${region}'s partition: "amazonaws.com.cn" for cn-*,
 * else "amazonaws.com".
 */
const char *aws_partition_suffix(const char *);

/**
 * aws_partition_dualstack_suffix(region):
 * The dual-stack DNS suffix of ${region}'s partition, where the newer
 * services live ("bcm-data-exports.us-east-1.api.aws"):
 * "api.amazonwebservices.com.cn" for cn-*, else "api.aws".
 */
const char *aws_partition_dualstack_suffix(const char *);

#endif
