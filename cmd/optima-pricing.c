/* optima-pricing - DynamoDB's list prices, every region, both table classes */

#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomicio.h"
#include "aws_config.h"
#include "aws_endpoint.h"
#include "cmdline.h"
#include "log.h"
#include "pricing.h"
#include "projdir.h"
#include "settings.h"
#include "version.h"

static void __attribute__((noreturn))
usage(int help)
{

	cmdline_usage(help,
	    "usage: optima-pricing [--force-refresh] [--verbose] "
	    "[--profile name]\n"
	    "                      [--project-root dir] "
	    "[--regions region,...]\n"
	    "                      [--source offer-file | api]\n"
	    "       optima-pricing [--regions region,...] file ...\n"
	    "       optima-pricing --version\n");
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "force-refresh", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "profile", required_argument, NULL, 'P' },
		{ "project-root", required_argument, NULL, 'p' },
		{ "regions", required_argument, NULL, 'r' },
		{ "source", required_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct pricing_opts o = { 0 };
	struct projdir *pd;
	struct settings *s;
	struct aws_config *cfg;
	const char *root = NULL, *profile = NULL;
	int ch, verbose = 0, rc;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			o.force = 1;
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
		case 's':
			if (strcmp(optarg, "offer-file") == 0)
				o.source = PRICING_OFFER_FILE;
			else if (strcmp(optarg, "api") == 0)
				o.source = PRICING_API;
			else {
				warnx("--source is offer-file or api");
				usage(0);
			}
			break;
		case 'v':
			verbose = 1;
			break;
		case 'V':
			version_print(stdout, "optima-pricing");
			return (atomicio_close_stdout() ? 1 : 0);
		case 'h':
			usage(1);
		default:
			usage(0);
		}
	}
	/* File operands: a filter, from price lists to price records. */
	if (optind < argc) {
		o.inputs = argv + optind;
		o.records = stdout;
		rc = pricing_run(NULL, NULL, &o, stderr);
		if (atomicio_close_stdout())
			rc = 1;
		free(o.regions);
		return (rc);
	}

	/* Options beat the environment, which beats optima.conf. */
	if ((pd = projdir_open(root, 1)) == NULL || projdir_lock(pd) ||
	    (s = cmdline_settings(pd)) == NULL)
		return (1);
	if (profile != NULL && settings_set(s, "AWS_PROFILE", profile))
		return (2);
	cmdline_log(pd, s, verbose);
	o.profile = settings_get(s, "AWS_PROFILE");
	if ((cfg = aws_config_load_default()) == NULL)
		return (1);
	o.region = aws_region_resolve(settings_get(s, "AWS_REGION"), cfg,
	    aws_config_profile(o.profile));
	log_msg(LOG_INFO, "collect-pricing started");
	rc = pricing_run(pd, cfg, &o, stdout);
	log_msg(LOG_INFO, "collect-pricing ended with status %d", rc);
	if (atomicio_close_stdout())
		rc = 1;
	log_close();
	aws_config_free(cfg);
	settings_free(s);
	projdir_free(pd);
	free(o.regions);
	return (rc);
}
