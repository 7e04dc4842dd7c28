/* optima-discover - every DynamoDB table of the accounts and regions asked for */

#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomicio.h"
#include "aws_config.h"
#include "aws_endpoint.h"
#include "cmdline.h"
#include "discover.h"
#include "log.h"
#include "ndjson.h"
#include "parsenum.h"
#include "projdir.h"
#include "settings.h"
#include "version.h"

static void __attribute__((noreturn))
usage(int help)
{

	cmdline_usage(help,
	    "usage: optima-discover [--list-accounts] [--resume] [--skip-tags]\n"
	    "                       [--use-org] [--verbose]\n"
	    "                       [--accounts id,...] [--concurrency n] "
	    "[--profile name]\n"
	    "                       [--project-root dir] [--regions region,...]\n"
	    "                       [--role-name name] [--skip-accounts id,...] "
	    "[file ...]\n"
	    "       optima-discover --version\n");
}

static int
any_name(const char *s)
{

	return (*s != '\0' && strlen(s) <= 64);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "accounts", required_argument, NULL, 'a' },
		{ "concurrency", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "list-accounts", no_argument, NULL, 'l' },
		{ "profile", required_argument, NULL, 'P' },
		{ "project-root", required_argument, NULL, 'p' },
		{ "regions", required_argument, NULL, 'r' },
		{ "resume", no_argument, NULL, 'R' },
		{ "role-name", required_argument, NULL, 'n' },
		{ "skip-accounts", required_argument, NULL, 's' },
		{ "skip-tags", no_argument, NULL, 't' },
		{ "use-org", no_argument, NULL, 'o' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct discover_opts o = { 0 };
	struct projdir *pd;
	struct settings *s;
	struct aws_config *cfg;
	const char *root = NULL, *profile = NULL, *role = NULL;
	int ch, verbose = 0, rc;

	o.concurrency = 16;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			if ((o.accounts = cmdline_list(optarg,
			    projdir_valid_account, "account id")) == NULL)
				usage(0);
			break;
		case 'c':
			if (parsenum_int(&o.concurrency, optarg, 1, 256))
				usage(0);
			break;
		case 'l':
			o.list_only = 1;
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
			if ((o.skip = cmdline_list(optarg,
			    projdir_valid_account, "account id")) == NULL)
				usage(0);
			break;
		case 't':
			o.skip_tags = 1;
			break;
		case 'o':
			o.use_org = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'V':
			version_print(stdout, "optima-discover");
			return (atomicio_close_stdout() ? 1 : 0);
		case 'h':
			usage(1);
		default:
			usage(0);
		}
	}
	if (((o.resume || o.list_only) && optind < argc) ||
	    (role != NULL && !any_name(role)))
		usage(0);
	/* File operands: a filter, from account records to table records. */
	if (optind < argc) {
		o.targets = argv + optind;
		o.records = stdout;
		ndjson_operands(o.targets);
	}

	/* Options beat the environment, which beats optima.conf. */
	if ((pd = projdir_open(root, o.targets == NULL)) == NULL ||
	    (o.targets == NULL && projdir_lock(pd)) ||
	    (s = cmdline_settings(pd)) == NULL)
		return (1);
	if ((profile != NULL && settings_set(s, "AWS_PROFILE", profile)) ||
	    (role != NULL && settings_set(s, "ORGANIZATIONS_ROLE_NAME", role)))
		return (2);
	cmdline_log(o.targets == NULL ? pd : NULL, s, verbose);
	o.profile = settings_get(s, "AWS_PROFILE");
	o.role = settings_get(s, "ORGANIZATIONS_ROLE_NAME");
	o.use_org = o.use_org || settings_bool(s, "USE_ORGANIZATIONS");
	if ((cfg = aws_config_load_default()) == NULL)
		return (1);
	o.region = aws_region_resolve(settings_get(s, "AWS_REGION"), cfg,
	    aws_config_profile(o.profile));
	log_msg(LOG_INFO, "discover started%s%s", o.use_org ?
	    " (organization)" : "", o.resume ? " (resume)" : "");
	rc = discover_run(pd, cfg, &o, o.targets != NULL ? stderr : stdout);
	log_msg(LOG_INFO, "discover ended with status %d", rc);
	if (atomicio_close_stdout())
		rc = 1;
	log_close();
	aws_config_free(cfg);
	settings_free(s);
	projdir_free(pd);
	free(o.accounts);
	free(o.regions);
	free(o.skip);
	return (rc);
}
