/* optima-status - what a project directory holds, and whether it is sound */

#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "atomicio.h"
#include "cmdline.h"
#include "projdir.h"
#include "settings.h"
#include "status.h"
#include "version.h"

static void __attribute__((noreturn))
usage(int help)
{

	cmdline_usage(help, "usage: optima-status [--check] [--verbose] "
	    "[--project-root dir]\n"
	    "       optima-status --version\n");
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "check", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "project-root", required_argument, NULL, 'p' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct status_opts o = { 0, 0 };
	struct projdir *pd;
	struct settings *s;
	const char *root = NULL;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o.check = 1;
			break;
		case 'p':
			root = optarg;
			break;
		case 'v':
			o.verbose = 1;
			break;
		case 'V':
			version_print(stdout, "optima-status");
			return (atomicio_close_stdout() ? 1 : 0);
		case 'h':
			usage(1);
		default:
			usage(0);
		}
	}
	if (optind != argc)
		usage(0);

	if ((pd = projdir_open(root, 0)) == NULL)
		return (1);
	/* A bad optima.conf is a problem of the project directory too. */
	if ((s = cmdline_settings(pd)) == NULL)
		rc = 1;
	else
		rc = status_report(pd, &o, stdout) != 0;
	if (rc == 0 && o.verbose) {
		printf("\nSettings:\n");
		settings_print(s, stdout);
	}
	settings_free(s);
	projdir_free(pd);
	if (atomicio_close_stdout())
		rc = 1;
	return (rc);
}
