#ifndef CUR_H
#define CUR_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include <jansson.h>

struct aws_config;
struct projdir;

/*
 * The Cost and Usage Report from S3: find the report (the management
 * account's legacy report definitions, or a bucket and prefix given),
 * list its billing periods by their manifests, and read each period's
 * data files (CSV, CSV.gz or Parquet; curfile.h) into cur_usage records
 * (curusage.h) in cur/billing_period=YYYY-MM.ndjson.  A billing period is
 * a unit of work: its file is written whole once every data file is read,
 * then checkpointed.  Data files are downloaded with ranged GETs into a
 * temporary file under state/ and read from there, so memory does not
 * grow with their size.
 */

struct cur_opts {
	const char *profile;	/* AWS profile, or NULL */
	const char *region;	/* home region: S3 unless the report says */
	const char *bucket;	/* the report's bucket; NULL: discover */
	const char *prefix;	/* where in it ("" or NULL: anywhere) */
	const char *format;	/* "parquet" or "csv": the report preferred */
	int months;		/* the latest complete billing periods */
	int resume;		/* keep finished periods */
	size_t chunk;		/* bytes per ranged GET */
	time_t now;
	char *const *inputs;	/* CUR files on disk; NULL: S3 */
	FILE *records;		/* with inputs: the cur_usage records */
};

/**
 * cur_run(pd, cfg, opts, out):
 * Collect the billing periods ${opts} asks for into ${pd} with the AWS
 * shared files ${cfg}, printing the summary to ${out}.  With opts->inputs,
 * read those files instead and write the records of every billing period
 * in them to opts->records, only once every file was read.  Return 0 if
 * every period was collected, 1 if some were not (or on an error,
 * reported), 75 if some failed on a transient AWS error after every retry.
 */
int cur_run(struct projdir *, const struct aws_config *,
    const struct cur_opts *, FILE *);

/**
 * cur_manifest_keys(manifest, bucket, keys):
 * Append to ${keys} a [bucket, key] pair for each data file a billing
 * period's manifest lists: the legacy report's reportKeys (in ${bucket}),
 * or CUR 2.0's dataFiles (s3://bucket/key).  Return 0, or -1 if it is
 * not a manifest.
 */
int cur_manifest_keys(const json_t *, const char *, json_t *);

#endif
