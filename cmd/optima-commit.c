/* optima-commit - the commitments worth buying, after the changes */

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomicio.h"
#include "cmdline.h"
#include "commit.h"
#include "log.h"
#include "parsenum.h"
#include "projdir.h"
#include "settings.h"
#include "version.h"

static void __attribute__((noreturn))
usage(int help)
{

	cmdline_usage(help,
	    "usage: optima-commit [--verbose] [--coverage-target percent]\n"
	    "                     [--min-savings usd] "
	    "[--min-utilization percent]\n"
	    "                     [--no-savings-plan] [--output file]\n"
	    "                     [--payment partial-upfront] "
	    "[--project-root dir]\n"
	    "                     [--term 1|3]\n"
	    "       optima-commit --version\n");
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
		{ "coverage-target", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "min-savings", required_argument, NULL, 'm' },
		{ "min-utilization", required_argument, NULL, 'u' },
		{ "no-savings-plan", no_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "payment", required_argument, NULL, 'P' },
		{ "project-root", required_argument, NULL, 'p' },
		{ "term", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct commit_opts o;
	struct projdir *pd;
	struct settings *s;
	struct atomicio *a = NULL;
	const char *root = NULL, *output = NULL, *min = NULL;
	char *path = NULL;
	double term;
	int ch, verbose = 0, rc;
	FILE *out;

	memset(&o, 0, sizeof(o));
	o.years = 1;
	o.min_utilization = 90;
	o.coverage_target = 100;
	o.savings_plan = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			number(&o.coverage_target, "--coverage-target", optarg,
			    0, 100);
			break;
		case 'm':
			min = optarg;
			break;
		case 'u':
			number(&o.min_utilization, "--min-utilization", optarg,
			    0, 100);
			break;
		case 'n':
			o.savings_plan = 0;
			break;
		case 'o':
			output = optarg;
			break;
		case 'P':
			/* DynamoDB sells reserved capacity partial upfront
			 * only; Database Savings Plans are no upfront. */
			if (strcmp(optarg, "partial-upfront") != 0) {
				warnx("--payment %s: reserved capacity is "
				    "sold partial upfront only", optarg);
				usage(0);
			}
			break;
		case 'p':
			root = optarg;
			break;
		case 't':
			number(&term, "--term", optarg, 1, 3);
			if (term != 1 && term != 3) {
				warnx("--term %s: 1 or 3 (years)", optarg);
				usage(0);
			}
			o.years = (int)term;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'V':
			version_print(stdout, "optima-commit");
			return (atomicio_close_stdout() ? 1 : 0);
		case 'h':
			usage(1);
		default:
			usage(0);
		}
	}
	if (optind < argc)
		usage(0);

	if ((pd = projdir_open(root, 0)) == NULL ||
	    (output == NULL && projdir_lock(pd)) ||
	    (s = cmdline_settings(pd)) == NULL)
		return (1);
	if (min != NULL && settings_set(s, "MIN_SAVINGS_THRESHOLD_USD", min))
		return (2);
	o.min_savings = settings_double(s, "MIN_SAVINGS_THRESHOLD_USD");
	cmdline_log(pd, s, verbose);

	/* The purchases replace commitments.ndjson whole, or go where
	 * told. */
	if (output != NULL && strcmp(output, "-") == 0)
		out = stdout;
	else if ((path = output != NULL ? strdup(output) : projdir_path(pd,
	    PROJDIR_COMMITMENTS, NULL, NULL, NULL)) == NULL ||
	    (a = output != NULL ? atomicio_open_output(path, 0644) :
	    atomicio_open(path, 0644)) == NULL)
		return (1);
	else
		out = atomicio_fp(a);
	log_msg(LOG_INFO, "commit started: %d-year term, min utilization "
	    "%.0f%%", o.years, o.min_utilization);
	rc = commit_run(pd, &o, out, out == stdout ? stderr : stdout) ? 1 : 0;
	if (a != NULL) {
		if (rc == 0 && atomicio_commit(a))
			rc = 1;
		else if (rc != 0)
			atomicio_abort(a);
	}
	log_msg(LOG_INFO, "commit ended with status %d", rc);
	if (atomicio_close_stdout())
		rc = 1;
	log_close();
	settings_free(s);
	free(path);
	projdir_free(pd);
	return (rc);
}
