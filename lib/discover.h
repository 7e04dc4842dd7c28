#ifndef DISCOVER_H
#define DISCOVER_H

#include <stdio.h>

#include <jansson.h>

struct aws_config;
struct projdir;

/*
 * Discovery: every DynamoDB table, index, replica, tag and auto scaling
 * setting of the chosen accounts and regions, into the project directory.
 * Each account and region is a unit of work, written to its own file
 * (tables/account=ID/region=R.ndjson) and checkpointed once durable.
 */

struct discover_opts {
	const char *profile;		/* AWS profile, or NULL */
	const char *region;		/* home region: STS, Organizations */
	char **regions;			/* NULL-terminated; NULL: enabled ones */
	char **accounts;		/* only these; NULL: all */
	char **skip;			/* never these; may be NULL */
	const char *role;		/* the role assumed in member accounts */
	int use_org;			/* every account of the organization */
	int resume;			/* keep finished units */
	int skip_tags;
	int list_only;			/* only the accounts: no table */
	int concurrency;		/* units at once */
	char *const *targets;		/* files of account records ("-": the
					   standard input); NULL: the project */
	FILE *records;			/* with targets: the table records */
};

/**
 * discover_run(pd, cfg, opts, out):
 * Discover as ${opts} says into ${pd}, with the AWS shared files ${cfg},
 * printing the summary to ${out}.  With opts->targets, discover the
 * accounts of those records instead and write the table records to
 * opts->records, unit after unit in order, leaving ${pd} alone.  With
 * opts->list_only, only write accounts.ndjson (the accounts a run would
 * discover) and print how many.  Units
 * denied or failing are reported (and recorded for optima status) and
 * left unfinished.  Return 0 if every unit was discovered, 1 if some
 * were not (or on an error, reported), 75 if some failed on a transient
 * AWS error after every retry.
 */
int discover_run(struct projdir *, const struct aws_config *,
    const struct discover_opts *, FILE *);

/*
 * The replies of AWS read into table records (optima-records(5)); a value
 * of an unexpected type is left out (null), never carried into a record.
 */

/**
 * discover_table(table, account, region):
 * The table record (without tags or auto scaling) of DescribeTable's
 * "Table" ${table} in ${account} and ${region}, or NULL if it has no
 * ARN or no DynamoDB table name (3 to 255 of A-Z a-z 0-9 _ . -).  An
 * index whose name is not a DynamoDB name is left out, with a warning.
 */
json_t *discover_table(const json_t *, const char *, const char *);

/**
 * discover_tags(rec, reply):
 * Add the tags of a ListTagsOfResource reply to the table record ${rec}.
 */
void discover_tags(json_t *, const json_t *);

/**
 * discover_scaling(scaling, reply, policies):
 * Add the scalable targets (${policies} 0) or the target tracking
 * policies (1) of an Application Auto Scaling reply to ${scaling}, an
 * object keyed by "RESOURCE|DIMENSION".
 */
void discover_scaling(json_t *, const json_t *, int);

/**
 * discover_autoscaling(rec, scaling):
 * Set the auto scaling of the table record ${rec} and each of its indexes
 * from ${scaling}: null, or the read and write minimum, maximum and
 * target of the scalable targets that have both bounds.
 */
void discover_autoscaling(json_t *, const json_t *);

#endif
