/* optima-simulate - what every table would cost under each setting */

#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomicio.h"
#include "cmdline.h"
#include "log.h"
#include "parsenum.h"
#include "projdir.h"
#include "settings.h"
#include "simulate.h"
#include "version.h"

/* Print the usage: for --help, or (exit 2) for a usage error. */
static void __attribute__((noreturn))
usage(int help)
{

	cmdline_usage(help,
	    "usage: optima-simulate [--verbose] [--days n] "
	    "[--max-capacity n]\n"
	    "                       [--min-capacity n] [--months n] "
	    "[--output file]\n"
	    "                       [--project-root dir] "
	    "[--regions region,...]\n"
	    "                       [--scale-delay minutes]\n"
	    "                       [--table-regex re] [--tables name,...]\n"
	    "                       [--target-utilization t] "
	    "[--throttle-budget minutes]\n"
	    "       optima-simulate --version\n");
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "days", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "max-capacity", required_argument, NULL, 'M' },
		{ "min-capacity", required_argument, NULL, 'm' },
		{ "months", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "project-root", required_argument, NULL, 'p' },
		{ "regions", required_argument, NULL, 'r' },
		{ "scale-delay", required_argument, NULL, 'D' },
		{ "table-regex", required_argument, NULL, 'x' },
		{ "tables", required_argument, NULL, 't' },
		{ "target-utilization", required_argument, NULL, 'T' },
		{ "throttle-budget", required_argument, NULL, 'B' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct simulate_opts o = { 0 };
	struct projdir *pd;
	struct settings *s;
	struct atomicio *a = NULL;
	const char *root = NULL, *output = NULL, *days = NULL, *target = NULL;
	const char *months = NULL;
	char *path = NULL;
	int ch, verbose = 0, rc, min = 1, max = 40000;
	FILE *out;

	o.delay = 2;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			days = optarg;
			break;
		case 'D':
			if (parsenum_int(&o.delay, optarg, 0, 60))
				usage(0);
			break;
		case 'M':
			if (parsenum_int(&max, optarg, 1, 40000))
				usage(0);
			break;
		case 'm':
			if (parsenum_int(&min, optarg, 1, 40000))
				usage(0);
			break;
		case 'n':
			months = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'p':
			root = optarg;
			break;
		case 'r':
			if ((o.regions = cmdline_list(optarg,
			    projdir_valid_region, "region")) == NULL)
				usage(0);
			break;
		case 'T':
			target = optarg;
			break;
		case 'B':
			if (parsenum_double(&o.throttle_budget, optarg, 0,
			    43800))
				usage(0);
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
			version_print(stdout, "optima-simulate");
			return (atomicio_close_stdout() ? 1 : 0);
		case 'h':
			usage(1);
		default:
			usage(0);
		}
	}
	if (optind < argc || min > max) {
		if (min > max)
			warnx("--min-capacity is above --max-capacity");
		usage(0);
	}
	o.min_capacity = min;
	o.max_capacity = max;

	/* Options beat the environment, which beats optima.conf. */
	if ((pd = projdir_open(root, 0)) == NULL ||
	    (output == NULL && projdir_lock(pd)) ||
	    (s = cmdline_settings(pd)) == NULL)
		return (1);
	if ((days != NULL && settings_set(s, "CAPACITY_ANALYSIS_DAYS", days)) ||
	    (target != NULL && settings_set(s, "AUTOSCALING_TARGET_UTILIZATION",
	    target)) || (months != NULL && settings_set(s,
	    "TABLE_CLASS_ANALYSIS_MONTHS", months)))
		return (2);
	o.days = settings_int(s, "CAPACITY_ANALYSIS_DAYS");
	o.months = settings_int(s, "TABLE_CLASS_ANALYSIS_MONTHS");
	o.target = settings_double(s, "AUTOSCALING_TARGET_UTILIZATION");
	o.keep = output == NULL;	/* a selection keeps the others */
	cmdline_log(pd, s, verbose);

	/* The scenarios replace scenarios.ndjson whole, or go where told. */
	if (output != NULL && strcmp(output, "-") == 0)
		out = stdout;
	else if ((path = output != NULL ? strdup(output) : projdir_path(pd,
	    PROJDIR_SCENARIOS, NULL, NULL, NULL)) == NULL ||
	    (a = output != NULL ? atomicio_open_output(path, 0644) :
	    atomicio_open(path, 0644)) == NULL)
		return (1);
	else
		out = atomicio_fp(a);
	log_msg(LOG_INFO, "simulate started: %d days, target %.0f%%", o.days,
	    o.target * 100);
	rc = simulate_run(pd, &o, out, out == stdout ? stderr : stdout);
	if (a != NULL) {
		if (rc == 0 && atomicio_commit(a))
			rc = 1;
		else if (rc != 0)
			atomicio_abort(a);
	}
	log_msg(LOG_INFO, "simulate ended with status %d", rc);
	if (atomicio_close_stdout())
		rc = 1;
	log_close();
	settings_free(s);
	free(path);
	projdir_free(pd);
	free(o.tables);
	free(o.regions);
	return (rc);
}
