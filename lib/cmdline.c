#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomicio.h"
#include "cmdline.h"
#include "log.h"
#include "projdir.h"
#include "settings.h"

/**
 * cmdline_list(s, valid, what):
 * Split ${s} ("a,b,c"; cut up in place) into a malloced, NULL-terminated
 * array of its items, each of which must pass ${valid} (NULL: any
 * non-empty item).  Return NULL if an item is invalid (reported as an
 * invalid ${what}), if there is none, or on allocation failure.
 */
char **
cmdline_list(char *s, int (*valid)(const char *), const char *what)
{
	char **v, *p;
	size_t n = 1;

	for (p = s; *p != '\0'; p++)
		n += *p == ',';
	if ((v = calloc(n + 1, sizeof(*v))) == NULL) {
		warn("%s", what);
		return (NULL);
	}
	n = 0;
	for (p = strtok_r(s, ",", &s); p != NULL; p = strtok_r(NULL, ",", &s)) {
		if (valid != NULL && !valid(p)) {
			warnx("invalid %s \"%s\"", what, p);
			free(v);
			return (NULL);
		}
		v[n++] = p;
	}
	if (n == 0) {
		warnx("no %s given", what);
		free(v);
		return (NULL);
	}
	return (v);
}

int
cmdline_listed(char *const *v, const char *s)
{

	for (; v != NULL && *v != NULL; v++)
		if (strcmp(*v, s) == 0)
			return (1);
	return (0);
}

int
cmdline_table(const char *s)
{

	return (*s != '\0' && strlen(s) <= 255);
}

struct settings *
cmdline_settings(const struct projdir *pd)
{
	struct settings *s;
	char *conf;

	if ((conf = projdir_path(pd, PROJDIR_CONF, NULL, NULL, NULL)) == NULL)
		return (NULL);
	s = settings_load(conf);
	free(conf);
	return (s);
}

int
cmdline_log(const struct projdir *pd, const struct settings *s, int verbose)
{
	char *path = NULL;
	int rc;

	if (pd != NULL && (path = projdir_path(pd, PROJDIR_LOG, NULL, NULL,
	    NULL)) == NULL)
		return (-1);
	rc = log_open(path, settings_get(s, "LOG_LEVEL"), verbose);
	free(path);
	return (rc);
}

void
cmdline_usage(int help, const char *text)
{
	const char *cmd;

	if (help) {
		fputs(text, stdout);
		exit(atomicio_close_stdout() ? 1 : 0);
	}
	if ((cmd = getenv("OPTIMA_COMMAND")) != NULL &&
	    strncmp(cmd, "optima ", 7) == 0 && strlen(cmd) <= 64)
		fprintf(stderr, "(%s --help: its options)\n", cmd);
	else
		fputs(text, stderr);
	exit(2);
}
