/* optima-rank - one decision per table, told as recommendations */

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "atomicio.h"
#include "cmdline.h"
#include "decision.h"
#include "log.h"
#include "ndjson.h"
#include "parsenum.h"
#include "projdir.h"
#include "rank.h"
#include "report.h"
#include "settings.h"
#include "version.h"

static void __attribute__((noreturn))
usage(int help)
{

	cmdline_usage(help,
	    "usage: optima-rank [--verbose] [--breakeven-ratio r]\n"
	    "                   [--low-utilization-threshold percent]\n"
	    "                   [--min-savings usd] [--output file] "
	    "[--project-root dir]\n"
	    "                   [--throttle-budget minutes] "
	    "[--type type] [file ...]\n"
	    "       optima-rank --version\n");
}

static void
number(double *x, const char *opt, const char *s, double min, double max)
{

	if (parsenum_double(x, s, min, max)) {
		warnx("%s %s: %s", opt, s, parsenum_strerror(errno));
		usage(0);
	}
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "breakeven-ratio", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ "low-utilization-threshold", required_argument, NULL, 'l' },
		{ "min-savings", required_argument, NULL, 'm' },
		{ "output", required_argument, NULL, 'o' },
		{ "project-root", required_argument, NULL, 'p' },
		{ "throttle-budget", required_argument, NULL, 'B' },
		{ "type", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct rank_opts o = { 0 };
	struct projdir *pd;
	struct settings *s;
	struct atomicio *a = NULL;
	const char *root = NULL, *output = NULL, *type = NULL, *min = NULL;
	char *dpath, *path = NULL;
	char *deflt[] = { NULL, NULL };
	json_t *decisions, *written;
	size_t analyzed = 0;
	int ch, verbose = 0, rc;
	FILE *out, *sum;

	o.low_utilization = 30;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			number(&o.breakeven, "--breakeven-ratio", optarg, 0,
			    1e6);
			break;
		case 'B':
			number(&o.throttle_budget, "--throttle-budget", optarg,
			    0, 43800);
			break;
		case 'l':
			number(&o.low_utilization,
			    "--low-utilization-threshold", optarg, 0, 100);
			break;
		case 'm':
			min = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'p':
			root = optarg;
			break;
		case 't':
			if (!report_valid_type(optarg) ||
			    strcmp(optarg, "commitment") == 0) {
				warnx("--type %s: not capacity, table_class, "
				    "utilization or idle", optarg);
				usage(0);
			}
			o.type = type = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'V':
			version_print(stdout, "optima-rank");
			return (atomicio_close_stdout() ? 1 : 0);
		case 'h':
			usage(1);
		default:
			usage(0);
		}
	}
	argc -= optind;
	argv += optind;

	/* Options beat the environment, which beats optima.conf. */
	ndjson_operands(argv);
	if ((pd = projdir_open(root, 0)) == NULL ||
	    (argc == 0 && output == NULL && projdir_lock(pd)) ||
	    (s = cmdline_settings(pd)) == NULL)
		return (1);
	if (min != NULL && settings_set(s, "MIN_SAVINGS_THRESHOLD_USD", min))
		return (2);
	o.min_savings = settings_double(s, "MIN_SAVINGS_THRESHOLD_USD");
	o.now = time(NULL);
	if ((dpath = projdir_path(pd, PROJDIR_DECISIONS, NULL, NULL,
	    NULL)) == NULL)
		return (1);
	cmdline_log(pd, s, verbose);
	if ((decisions = decision_load(dpath)) == NULL ||
	    (written = json_array()) == NULL)
		return (1);

	/* Files make a filter to the standard output; else the project's. */
	if (argc == 0 && (deflt[0] = projdir_path(pd, PROJDIR_SCENARIOS, NULL,
	    NULL, NULL)) == NULL)
		return (1);
	if ((output == NULL && argc > 0) || (output != NULL &&
	    strcmp(output, "-") == 0))
		out = stdout;
	else if ((path = output != NULL ? strdup(output) : projdir_path(pd,
	    PROJDIR_RECOMMENDATIONS, NULL, NULL, NULL)) == NULL)
		return (1);
	else if ((a = output != NULL ? atomicio_open_output(path, 0644) :
	    atomicio_open(path, 0644)) == NULL)
		return (1);
	else
		out = atomicio_fp(a);
	if (argc == 0 && output == NULL)
		o.previous = path;	/* kept where not simulated again */
	sum = out == stdout ? stderr : stdout;
	log_msg(LOG_INFO, "rank started: min savings %.2f USD, throttle "
	    "budget %.0f minutes", o.min_savings, o.throttle_budget);
	rc = rank_run(&o, argc > 0 ? argv : deflt, decisions, out, &analyzed,
	    written) ? 1 : 0;
	if (a != NULL) {
		if (rc == 0 && atomicio_commit(a))
			rc = 1;
		else if (rc != 0)
			atomicio_abort(a);
	}
	if (rc == 0)
		report_summary(sum, written, type, analyzed);
	log_msg(LOG_INFO, "rank ended with status %d: %zu tables, %zu "
	    "recommendations", rc, analyzed, json_array_size(written));
	if (atomicio_close_stdout())
		rc = 1;
	log_close();
	json_decref(decisions);
	json_decref(written);
	settings_free(s);
	free(dpath);
	free(deflt[0]);
	free(path);
	projdir_free(pd);
	return (rc);
}
