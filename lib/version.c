#include <stdio.h>

#include <jansson.h>

#include "version.h"

#ifndef OPTIMA_VERSION
#define OPTIMA_VERSION "unknown"
#endif
#ifndef OPTIMA_BUILD
#define OPTIMA_BUILD "unknown"
#endif

/**
 * version_print(fp, prog):
 * Write the version of ${prog}, its build, and the versions of the
 * libraries it runs with, one per line, to ${fp}.
 */
void
version_print(FILE *fp, const char *prog)
{

	fprintf(fp, "%s %s\n", prog, OPTIMA_VERSION);
	fprintf(fp, "build %s\n", OPTIMA_BUILD);
	fprintf(fp, "jansson %s\n", jansson_version_str());
}
