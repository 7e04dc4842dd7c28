#ifndef SETTINGS_H
#define SETTINGS_H

#include <stdio.h>

/*
 * Settings: the original tool's names (AWS_REGION, LOG_LEVEL, ...), read
 * from optima.conf in the project directory (KEY=value lines) and from the
 * environment.  A command-line option beats the environment, which beats
 * the file, which beats the default.  Every value is checked when it is
 * read, so a bad one is reported where it was written.
 */

enum settings_source {
	SETTINGS_DEFAULT,
	SETTINGS_FILE,
	SETTINGS_ENV,
	SETTINGS_OPTION
};

struct settings;

/**
 * settings_load(conf):
 * Read the settings: the defaults, then the file ${conf} if it exists
 * (errors name file:line), then the environment.  Return NULL on error
 * (reported).
 */
struct settings *settings_load(const char *);

/**
 * settings_set(s, name, value):
 * Set ${name} to ${value} from a command-line option.  Return 0, or -1 if
 * the value is invalid (reported).
 */
int settings_set(struct settings *, const char *, const char *);

/**
 * settings_get(s, name):
 * The value of the setting ${name} (borrowed), or NULL if it is unset.
 * Booleans read "true" or "false"; LOG_LEVEL is upper case.
 */
const char *settings_get(const struct settings *, const char *);

/**
 * settings_double(s, name), settings_int(s, name), settings_bool(s, name):
 * The value of a numeric or boolean setting (already checked at load).
 */
double settings_double(const struct settings *, const char *);
int settings_int(const struct settings *, const char *);
int settings_bool(const struct settings *, const char *);

/**
 * settings_source(s, name):
 * Where the value of ${name} came from.
 */
enum settings_source settings_source(const struct settings *, const char *);

/**
 * settings_print(s, fp):
 * Write every setting to ${fp}, one "NAME=value" per line with its origin
 * ("# default", "# optima.conf:3", "# environment", "# option").
 */
void settings_print(const struct settings *, FILE *);

/**
 * settings_free(s):
 * Free ${s}.  NULL is a no-op.
 */
void settings_free(struct settings *);

#endif
