#ifndef STATUS_H
#define STATUS_H

#include <stdio.h>

struct projdir;

/*
 * What a project directory holds: records per kind, the accounts, regions,
 * days and billing periods they cover, unfinished runs and leftovers of
 * interrupted writes; and, on request, a check that every file is what its
 * place in the layout says.
 */

struct status_opts {
	int verbose;	/* a line per account and region */
	int check;	/* parse every record and check it fits its file */
};

/**
 * status_report(pd, opts, out):
 * Describe the project directory ${pd} on ${out}.  With opts->check, read
 * every record; each problem is reported on standard error with file:line.
 * Return 0 if all is well, 1 if problems were found, -1 on an error
 * (reported).
 */
int status_report(const struct projdir *, const struct status_opts *,
    FILE *);

#endif
