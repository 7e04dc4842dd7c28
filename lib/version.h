#ifndef VERSION_H
#define VERSION_H

#include <stdio.h>

/**
 * version_print(fp, prog):
 * Write the version of ${prog}, its build, and the versions of the
 * libraries it runs with, one per line, to ${fp}.
 */
void version_print(FILE *, const char *);

#endif
