/* optima-fetch-metrics - the CloudWatch history of every table and index */

#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "atomicio.h"
#include "aws_config.h"
#include "aws_endpoint.h"
#include "cmdline.h"
#include "log.h"
#include "metrics.h"
#include "ndjson.h"
#include "parsenum.h"
#include "projdir.h"
#include "settings.h"
#include "version.h"

static void __attribute__((noreturn))
usage(int help)
{

	cmdline_usage(help,
	    "usage: optima-fetch-metrics [--resume] [--verbose] "
	    "[--batch-size n]\n"
	    "                            [--concurrency n] [--days n] "
	    "[--end-date date]\n"
	    "                            [--profile name] "
	    "[--project-root dir]\n"
	    "                            [--regions region,...] "
	    "[--role-name name]\n"
	    "                            [--start-date date] "
	    "[--table-regex re]\n"
	    "                            [--tables name,...] [file ...]\n"
	    "       optima-fetch-metrics --version\n");
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "batch-size", required_argument, NULL, 'b' },
		{ "concurrency", required_argument, NULL, 'c' },
		{ "days", required_argument, NULL, 'd' },
		{ "end-date", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ "profile", required_argument, NULL, 'P' },
		{ "project-root", required_argument, NULL, 'p' },
		{ "regions", required_argument, NULL, 'r' },
		{ "resume", no_argument, NULL, 'R' },
		{ "role-name", required_argument, NULL, 'n' },
		{ "start-date", required_argument, NULL, 's' },
		{ "table-regex", required_argument, NULL, 'x' },
		{ "tables", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct metrics_opts o = { 0 };
	struct projdir *pd;
	struct settings *s;
	struct aws_config *cfg;
	const char *root = NULL, *profile = NULL, *role = NULL;
	const char *from = NULL, *to = NULL;
	int ch, verbose = 0, days = 0, rc;

	o.batch = 500;
	o.concurrency = 8;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			if (parsenum_int(&o.batch, optarg, 1, 500))
				usage(0);
			break;
		case 'c':
			if (parsenum_int(&o.concurrency, optarg, 1, 256))
				usage(0);
			break;
		case 'd':
			if (parsenum_int(&days, optarg, 1, 455))
				usage(0);
			break;
		case 'e':
			to = optarg;
			break;
		case 'P':
			profile = optarg;
			break;
		case 'p':
			root = optarg;
			break;
		case 'r':
			if ((o.regions = cmdline_list(optarg,
			    projdir_valid_region, "region")) == NULL)
				usage(0);
			break;
		case 'R':
			o.resume = 1;
			break;
		case 'n':
			role = optarg;
			break;
		case 's':
			from = optarg;
			break;
		case 'x':
			o.table_regex = optarg;
			break;
		case 't':
			if ((o.tables = cmdline_list(optarg, cmdline_table,
			    "table name")) == NULL)
				usage(0);
			break;
		case 'v':
			verbose = 1;
			break;
		case 'V':
			version_print(stdout, "optima-fetch-metrics");
			return (atomicio_close_stdout() ? 1 : 0);
		case 'h':
			usage(1);
		default:
			usage(0);
		}
	}
	if ((o.resume && optind < argc) || (days != 0 && from != NULL) ||
	    (role != NULL && (*role == '\0' || strlen(role) > 64)))
		usage(0);
	if (metrics_window(days ? days : 14, from, to, time(NULL), &o.start,
	    &o.end))
		return (2);
	/* File operands: a filter, from table records to series records. */
	if (optind < argc) {
		o.inputs = argv + optind;
		o.records = stdout;
		ndjson_operands(o.inputs);
	}

	/* Options beat the environment, which beats optima.conf. */
	if ((pd = projdir_open(root, o.inputs == NULL)) == NULL ||
	    (o.inputs == NULL && projdir_lock(pd)) ||
	    (s = cmdline_settings(pd)) == NULL)
		return (1);
	if ((profile != NULL && settings_set(s, "AWS_PROFILE", profile)) ||
	    (role != NULL && settings_set(s, "ORGANIZATIONS_ROLE_NAME", role)))
		return (2);
	cmdline_log(o.inputs == NULL ? pd : NULL, s, verbose);
	o.profile = settings_get(s, "AWS_PROFILE");
	o.role = settings_get(s, "ORGANIZATIONS_ROLE_NAME");
	if ((cfg = aws_config_load_default()) == NULL)
		return (1);
	o.region = aws_region_resolve(settings_get(s, "AWS_REGION"), cfg,
	    aws_config_profile(o.profile));
	log_msg(LOG_INFO, "collect started%s", o.resume ? " (resume)" : "");
	rc = metrics_run(pd, cfg, &o, o.inputs != NULL ? stderr : stdout);
	log_msg(LOG_INFO, "collect ended with status %d", rc);
	if (atomicio_close_stdout())
		rc = 1;
	log_close();
	aws_config_free(cfg);
	settings_free(s);
	projdir_free(pd);
	free(o.tables);
	free(o.regions);
	return (rc);
}
