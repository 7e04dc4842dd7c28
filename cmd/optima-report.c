/* optima-report - the recommendations, as people read them */

#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomicio.h"
#include "cmdline.h"
#include "decision.h"
#include "log.h"
#include "ndjson.h"
#include "parsenum.h"
#include "projdir.h"
#include "re2.h"
#include "report.h"
#include "version.h"

/* Print the usage message and exit 2. */
static void __attribute__((noreturn))
usage(int help)
{

	cmdline_usage(help,
	    "usage: optima-report [--account id] [--format format] "
	    "[--include-idle]\n"
	    "                     [--min-savings usd]\n"
	    "                     [--output file] [--project-root dir] "
	    "[--region region]\n"
	    "                     [--role-name name | --profile-map file]\n"
	    "                     [--sort savings | table] [--status status]\n"
	    "                     [--table-regex re] [--type type] "
	    "[file ...]\n"
	    "       optima-report --version\n");
}

/* Parse the options, then write the report. */
int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "account", required_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "include-idle", no_argument, NULL, 'i' },
		{ "min-savings", required_argument, NULL, 'm' },
		{ "output", required_argument, NULL, 'o' },
		{ "profile-map", required_argument, NULL, 'M' },
		{ "project-root", required_argument, NULL, 'p' },
		{ "region", required_argument, NULL, 'r' },
		{ "role-name", required_argument, NULL, 'n' },
		{ "sort", required_argument, NULL, 's' },
		{ "status", required_argument, NULL, 'S' },
		{ "table-regex", required_argument, NULL, 'x' },
		{ "type", required_argument, NULL, 't' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct report_opts o = { 0 };
	struct projdir *pd;
	struct atomicio *a = NULL;
	struct re2 *re = NULL;
	const char *root = NULL, *output = NULL, *regex = NULL, *map = NULL;
	char *dpath, *deflt[] = { NULL, NULL, NULL };
	json_t *decisions, *profiles = NULL;
	int ch, rc;
	FILE *out;

	log_progname();
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			if (!projdir_valid_account(optarg)) {
				warnx("--account %s: not an account id",
				    optarg);
				usage(0);
			}
			o.account = optarg;
			break;
		case 'f':
			if (report_parse_format(optarg, &o.format)) {
				warnx("--format %s: not table, csv, json, "
				    "ndjson, markdown or aws-cli", optarg);
				usage(0);
			}
			break;
		case 'i':
			o.include_idle = 1;
			break;
		case 'm':
			if (parsenum_double(&o.min_savings, optarg, 0, 1e12)) {
				warnx("--min-savings %s: not an amount",
				    optarg);
				usage(0);
			}
			break;
		case 'M':
			map = optarg;
			break;
		case 'n':
			if (!report_valid_role(optarg)) {
				warnx("--role-name %s: not the name of an IAM "
				    "role", optarg);
				usage(0);
			}
			o.role = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'p':
			root = optarg;
			break;
		case 'r':
			if (!projdir_valid_region(optarg)) {
				warnx("--region %s: not a region", optarg);
				usage(0);
			}
			o.region = optarg;
			break;
		case 's':
			if (report_parse_sort(optarg, &o.sort)) {
				warnx("--sort %s: not savings or table",
				    optarg);
				usage(0);
			}
			break;
		case 'S':
			if (!decision_valid_status(optarg)) {
				warnx("--status %s: not pending, accepted, "
				    "rejected or implemented", optarg);
				usage(0);
			}
			o.status = optarg;
			break;
		case 't':
			if (!report_valid_type(optarg)) {
				warnx("--type %s: not capacity, table_class, "
				    "utilization or idle", optarg);
				usage(0);
			}
			o.type = optarg;
			break;
		case 'x':
			regex = optarg;
			break;
		case 'V':
			version_print(stdout, "optima-report");
			return (atomicio_close_stdout() ? 1 : 0);
		case 'h':
			usage(1);
		default:
			usage(0);
		}
	}
	argc -= optind;
	argv += optind;
	if (map != NULL && o.role != NULL) {
		warnx("--role-name and --profile-map: one or the other");
		usage(0);
	}
	if (o.include_idle && o.format != REPORT_AWS_CLI) {
		warnx("--include-idle: only with --format aws-cli");
		usage(0);
	}
	if ((map != NULL || o.role != NULL) && o.format != REPORT_AWS_CLI) {
		warnx("--%s: only with --format aws-cli", map != NULL ?
		    "profile-map" : "role-name");
		usage(0);
	}
	if (map != NULL && (o.profiles = profiles =
	    report_load_profiles(map)) == NULL)
		return (1);
	if (regex != NULL && (o.table_re = re = re2_compile(regex,
	    "--table-regex")) == NULL)
		return (2);

	ndjson_operands(argv);
	if ((pd = projdir_open(root, 0)) == NULL ||
	    (dpath = projdir_path(pd, PROJDIR_DECISIONS, NULL, NULL,
	    NULL)) == NULL || (decisions = decision_load(dpath)) == NULL)
		return (1);
	if (argc == 0 && ((deflt[0] = projdir_path(pd,
	    PROJDIR_RECOMMENDATIONS, NULL, NULL, NULL)) == NULL ||
	    (deflt[1] = projdir_path(pd, PROJDIR_COMMITMENTS, NULL, NULL,
	    NULL)) == NULL))
		return (1);
	/* The purchases of optima-commit, when it ran. */
	if (deflt[1] != NULL && access(deflt[1], F_OK) != 0) {
		free(deflt[1]);
		deflt[1] = NULL;
	}
	if (output == NULL || strcmp(output, "-") == 0)
		out = stdout;
	else if ((a = atomicio_open_output(output, 0644)) == NULL)
		return (1);
	else
		out = atomicio_fp(a);
	rc = report_run(&o, argc > 0 ? argv : deflt, decisions, out) ? 1 : 0;
	if (a != NULL) {
		if (rc == 0 && atomicio_commit(a))
			rc = 1;
		else if (rc != 0)
			atomicio_abort(a);
	}
	if (atomicio_close_stdout())
		rc = 1;
	re2_free(re);
	json_decref(profiles);
	json_decref(decisions);
	free(dpath);
	free(deflt[0]);
	free(deflt[1]);
	projdir_free(pd);
	return (rc);
}
