/* optima-mark - decide about a recommendation */

#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "atomicio.h"
#include "cmdline.h"
#include "decision.h"
#include "log.h"
#include "ndjson.h"
#include "projdir.h"
#include "version.h"

/* Print the usage message and exit (0 for --help, else 2). */
static void __attribute__((noreturn))
usage(int help)
{

	cmdline_usage(help,
	    "usage: optima-mark [--note text] [--project-root dir] id status\n"
	    "       optima-mark --version\n");
}

/* Whether ${id} is in the recommendation records of ${path}: 1 yes, 0
 * no, -1 on error (reported).  Every record is read, so that a file that
 * is not one of recommendations is never taken for one. */
static int
known(const char *path, const char *id)
{
	struct ndjson_reader *r;
	json_t *rec;
	const char *s;
	int rc, found = 0;

	if ((r = ndjson_reader_open(path, NDJSON_MAXLINE)) == NULL)
		return (-1);
	while ((rc = ndjson_reader_next(r, &rec)) == 1) {
		s = json_string_value(json_object_get(rec, "id"));
		if (strcmp(json_string_value(json_object_get(rec, "kind")),
		    "recommendation") || s == NULL) {
			ndjson_warnx(ndjson_reader_pos(r), "not a "
			    "recommendation record with a string \"id\"");
			json_decref(rec);
			rc = -1;
			break;
		}
		found |= strcmp(s, id) == 0;
		json_decref(rec);
	}
	ndjson_reader_close(r);
	return (rc < 0 ? -1 : found);
}

/* Record a decision about a recommendation, and say what was recorded. */
int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "note", required_argument, NULL, 'n' },
		{ "project-root", required_argument, NULL, 'p' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct projdir *pd;
	const char *root = NULL, *note = NULL;
	json_t *decisions;
	char *cpath = NULL, *recs, *dpath, *was;
	int ch, k, rc;

	log_progname();
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			note = optarg;
			break;
		case 'p':
			root = optarg;
			break;
		case 'V':
			version_print(stdout, "optima-mark");
			return (atomicio_close_stdout() ? 1 : 0);
		case 'h':
			usage(1);
		default:
			usage(0);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 2)
		usage(0);
	if (!decision_valid_status(argv[1])) {
		warnx("%s: not pending, accepted, rejected or implemented",
		    argv[1]);
		usage(0);
	}

	if ((pd = projdir_open(root, 0)) == NULL || projdir_lock(pd) ||
	    (recs = projdir_path(pd, PROJDIR_RECOMMENDATIONS, NULL, NULL,
	    NULL)) == NULL || (dpath = projdir_path(pd, PROJDIR_DECISIONS,
	    NULL, NULL, NULL)) == NULL)
		return (1);
	/* A commitment of optima-commit is a recommendation too. */
	if ((k = known(recs, argv[0])) == 0 && strncmp(argv[0], "cmt-", 4) ==
	    0 && (cpath = projdir_path(pd, PROJDIR_COMMITMENTS, NULL, NULL,
	    NULL)) != NULL && access(cpath, F_OK) == 0)
		k = known(cpath, argv[0]);
	free(cpath);
	if (k == 0)
		warnx("%s: no such recommendation in %s", argv[0], recs);
	rc = 1;
	/* What is recorded, and the status it replaces. */
	if (k == 1 && (decisions = decision_load(dpath)) != NULL) {
		if ((was = strdup(decision_status(decisions,
		    argv[0]))) == NULL)
			warn("strdup");
		else if (decision_append(dpath, argv[0], argv[1], note,
		    time(NULL)) == 0) {
			printf("%s: %s (was %s)\n", argv[0], argv[1], was);
			rc = atomicio_close_stdout() ? 1 : 0;
		}
		free(was);
		json_decref(decisions);
	}
	free(recs);
	free(dpath);
	projdir_free(pd);
	return (rc);
}
