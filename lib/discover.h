#ifndef DISCOVER_H
#define DISCOVER_H

#include <stdio.h>

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

#endif
