/* optima-cur - what each DynamoDB table used and paid, from the CUR */

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "atomicio.h"
#include "aws_config.h"
#include "aws_endpoint.h"
#include "cmdline.h"
#include "cur.h"
#include "log.h"
#include "parsenum.h"
#include "projdir.h"
#include "settings.h"
#include "version.h"

static void __attribute__((noreturn))
usage(int help)
{

	cmdline_usage(help,
	    "usage: optima-cur [--resume] [--verbose] [--bucket bucket]\n"
	    "                  [--format parquet | csv] [--months n] "
	    "[--prefix prefix]\n"
	    "                  [--profile name] [--project-root dir]\n"
	    "       optima-cur file ...\n"
	    "       optima-cur --version\n");
}

/* The bytes per ranged GET: $OPTIMA_CUR_CHUNK, else 8 MiB. */
static int
chunk_size(size_t *n)
{
	const char *v = getenv("OPTIMA_CUR_CHUNK");
	double d;

	*n = 8 * 1024 * 1024;
	if (v == NULL || *v == '\0')
		return (0);
	if (parsenum_double(&d, v, 1024, 1 << 30) || d != (double)(long)d) {
		warnx("OPTIMA_CUR_CHUNK=%s: not a whole number of bytes from "
		    "1024 to 1073741824", v);
		return (-1);
	}
	*n = (size_t)d;
	return (0);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "bucket", required_argument, NULL, 'b' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "months", required_argument, NULL, 'm' },
		{ "prefix", required_argument, NULL, 'x' },
		{ "profile", required_argument, NULL, 'P' },
		{ "project-root", required_argument, NULL, 'p' },
		{ "resume", no_argument, NULL, 'R' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct cur_opts o = { 0 };
	struct projdir *pd;
	struct settings *s;
	struct aws_config *cfg;
	const char *root = NULL, *profile = NULL, *bucket = NULL;
	const char *prefix = NULL, *format = NULL;
	int ch, verbose = 0, months = 0, rc;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			bucket = optarg;
			break;
		case 'f':
			format = optarg;
			break;
		case 'm':
			if (parsenum_int(&months, optarg, 1, 120)) {
				warnx("--months %s: not a number of months from "
				    "1 to 120", optarg);
				usage(0);
			}
			break;
		case 'x':
			prefix = optarg;
			break;
		case 'P':
			profile = optarg;
			break;
		case 'p':
			root = optarg;
			break;
		case 'R':
			o.resume = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'V':
			version_print(stdout, "optima-cur");
			return (atomicio_close_stdout() ? 1 : 0);
		case 'h':
			usage(1);
		default:
			usage(0);
		}
	}
	/* File operands: a filter, from CUR files to cur_usage records. */
	if (optind < argc) {
		if (bucket != NULL || prefix != NULL || format != NULL ||
		    months != 0 || o.resume || root != NULL || profile != NULL)
			usage(0);
		o.inputs = argv + optind;
		o.records = stdout;
		rc = cur_run(NULL, NULL, &o, stderr);
		if (atomicio_close_stdout())
			rc = 1;
		return (rc);
	}

	/* Options beat the environment, which beats optima.conf. */
	pd = NULL;
	s = NULL;
	cfg = NULL;
	rc = 1;
	if ((pd = projdir_open(root, 1)) == NULL || projdir_lock(pd) ||
	    (s = cmdline_settings(pd)) == NULL)
		goto out;
	rc = 2;
	if ((profile != NULL && settings_set(s, "AWS_PROFILE", profile)) ||
	    (bucket != NULL && settings_set(s, "CUR_S3_BUCKET", bucket)) ||
	    (prefix != NULL && settings_set(s, "CUR_S3_PREFIX", prefix)) ||
	    (format != NULL && settings_set(s, "CUR_FORMAT", format)))
		goto out;
	o.bucket = settings_get(s, "CUR_S3_BUCKET");
	o.prefix = settings_get(s, "CUR_S3_PREFIX");
	o.format = settings_get(s, "CUR_FORMAT");
	o.months = months ? months : settings_int(s,
	    "TABLE_CLASS_ANALYSIS_MONTHS");
	if (o.bucket == NULL && o.prefix != NULL && *o.prefix != '\0') {
		warnx("a prefix (--prefix or CUR_S3_PREFIX) needs a bucket "
		    "(--bucket or CUR_S3_BUCKET)");
		goto out;
	}
	if (chunk_size(&o.chunk))
		goto out;
	rc = 1;
	cmdline_log(pd, s, verbose);
	o.profile = settings_get(s, "AWS_PROFILE");
	if ((cfg = aws_config_load_default()) == NULL)
		goto out;
	o.region = aws_region_resolve(settings_get(s, "AWS_REGION"), cfg,
	    aws_config_profile(o.profile));
	o.now = time(NULL);
	log_msg(LOG_INFO, "collect-cur started%s", o.resume ? " (resume)" :
	    "");
	rc = cur_run(pd, cfg, &o, stdout);
	log_msg(LOG_INFO, "collect-cur ended with status %d", rc);
	if (atomicio_close_stdout())
		rc = 1;
	log_close();
out:
	aws_config_free(cfg);
	settings_free(s);
	projdir_free(pd);
	return (rc);
}
