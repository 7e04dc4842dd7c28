#include <sys/stat.h>

#include <errno.h>
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "atomicio.h"
#include "parsenum.h"
#include "projdir.h"
#include "settings.h"

enum type { T_STRING, T_REGION, T_BOOL, T_INT, T_DOUBLE, T_CHOICE };

/* Every setting: name, type, default, range or choices. */
static const struct def {
	const char *name;
	enum type type;
	const char *dflt;
	double min, max;
	const char *const *choices;
} defs[] = {
#define CHOICES(...) (const char *const []){ __VA_ARGS__, NULL }
	{ "AWS_PROFILE", T_STRING, NULL, 0, 0, NULL },
	{ "AWS_REGION", T_REGION, NULL, 0, 0, NULL },
	{ "AUTOSCALING_TARGET_UTILIZATION", T_DOUBLE, "0.7", 0.2, 0.9, NULL },
	{ "CAPACITY_ANALYSIS_DAYS", T_INT, "14", 1, 3650, NULL },
	{ "CUR_FORMAT", T_CHOICE, "parquet", 0, 0, CHOICES("parquet", "csv") },
	{ "CUR_S3_BUCKET", T_STRING, NULL, 0, 0, NULL },
	{ "CUR_S3_PREFIX", T_STRING, NULL, 0, 0, NULL },
	{ "LOG_LEVEL", T_CHOICE, "INFO", 0, 0,
	    CHOICES("DEBUG", "INFO", "WARNING", "ERROR") },
	{ "MIN_SAVINGS_THRESHOLD_USD", T_DOUBLE, "10.0", 0, 1e12, NULL },
	{ "ORGANIZATIONS_ROLE_NAME", T_STRING, "MetricsCollectorRole", 0, 0,
	    NULL },
	{ "STREAMLIT_SERVER_PORT", T_INT, "8501", 0, 65535, NULL },
	{ "STREAMLIT_THEME", T_CHOICE, "light", 0, 0,
	    CHOICES("light", "dark") },
	{ "TABLE_CLASS_ANALYSIS_MONTHS", T_INT, "1", 1, 120, NULL },
	{ "USE_ORGANIZATIONS", T_BOOL, "false", 0, 0, NULL },
	{ "UTILIZATION_ANALYSIS_DAYS", T_INT, "7", 1, 3650, NULL },
#undef CHOICES
};
#define NDEFS (sizeof(defs) / sizeof(defs[0]))

/* Names that must never be written into a project file. */
static const char *const secrets[] = {
	"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
	"AWS_SECURITY_TOKEN", NULL
};

/* The original's settings that mean nothing here, and why. */
static const char *const moot[] = {
	"DATABASE_URL", "DATABASE_POOL_SIZE", NULL
};
static const char moot_why[] = "optima keeps its data in plain files in "
    "the project directory, not in a database: there is no database to "
    "set";

struct settings {
	char *value[NDEFS];
	enum settings_source source[NDEFS];
	unsigned long line[NDEFS];	/* for SETTINGS_FILE */
	char *file;
};

/* The index of ${name} in defs, or -1. */
static int
lookup(const char *name)
{
	size_t i;

	for (i = 0; i < NDEFS; i++)
		if (strcmp(defs[i].name, name) == 0)
			return ((int)i);
	return (-1);
}

/* The index of a setting the program asks for by name; it must exist. */
static int
known(const char *name)
{
	int i;

	if ((i = lookup(name)) == -1) {
		warnx("BUG: no setting %s", name);
		abort();
	}
	return (i);
}

/*
 * Check ${v} for setting ${i}; return its canonical form, malloced, or NULL
 * with a reason in ${why}.
 */
static char *
canonical(int i, const char *v, const char **why)
{
	const struct def *d = &defs[i];
	const char *const *c;
	double x;
	char *out;

	*why = NULL;
	switch (d->type) {
	case T_STRING:
		break;
	case T_REGION:
		if (!projdir_valid_region(v))
			*why = "not a region name (like us-east-1)";
		break;
	case T_BOOL:
		if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") ||
		    !strcmp(v, "1") || !strcasecmp(v, "on"))
			v = "true";
		else if (!strcasecmp(v, "false") || !strcasecmp(v, "no") ||
		    !strcmp(v, "0") || !strcasecmp(v, "off"))
			v = "false";
		else
			*why = "not a boolean (true or false)";
		break;
	case T_INT:
	case T_DOUBLE:
		if (d->type == T_INT ? parsenum_int(&(int){0}, v, (int)d->min,
		    (int)d->max) : parsenum_double(&x, v, d->min, d->max))
			*why = parsenum_strerror(errno);
		break;
	case T_CHOICE:
		for (c = d->choices; *c != NULL; c++)
			if (strcasecmp(v, *c) == 0)
				break;
		if (*c == NULL)
			*why = "not one of the choices";
		else
			v = *c;
		break;
	}
	if (*why != NULL)
		return (NULL);
	if ((out = strdup(v)) == NULL)
		*why = strerror(errno);
	return (out);
}

/* Describe the values setting ${i} takes, for an error message. */
static void
expect(int i, char *buf, size_t size)
{
	const struct def *d = &defs[i];
	const char *const *c;
	size_t n;

	buf[0] = '\0';
	if (d->type == T_INT || d->type == T_DOUBLE)
		snprintf(buf, size, " (from %g to %g)", d->min, d->max);
	else if (d->type == T_CHOICE) {
		snprintf(buf, size, " (");
		for (c = d->choices; *c != NULL; c++) {
			n = strlen(buf);
			snprintf(buf + n, size - n, "%s%s", *c,
			    c[1] != NULL ? ", " : ")");
		}
	}
}

/* Store ${v} for setting ${i} from ${src}; ${where} names it for errors. */
static int
store(struct settings *s, int i, const char *v, enum settings_source src,
    const char *where)
{
	const char *why;
	char range[128];
	char *cv;

	if ((cv = canonical(i, v, &why)) == NULL) {
		expect(i, range, sizeof(range));
		warnx("%s: %s=%s: %s%s", where, defs[i].name, v, why, range);
		return (-1);
	}
	free(s->value[i]);
	s->value[i] = cv;
	s->source[i] = src;
	return (0);
}

/* Strip blanks from both ends of ${s} in place. */
static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return (s);
}

/* Parse one line of the file; ${where} is "file:line". */
static int
parse_line(struct settings *s, char *line, const char *where,
    unsigned long lineno)
{
	const char *const *sec;
	char *eq, *key, *v;
	size_t n;
	int i;

	line = trim(line);
	if (*line == '\0' || *line == '#')
		return (0);
	if (strncmp(line, "export ", 7) == 0)
		line = trim(line + 7);
	if ((eq = strchr(line, '=')) == NULL) {
		warnx("%s: expected NAME=value", where);
		return (-1);
	}
	*eq = '\0';
	key = trim(line);
	v = trim(eq + 1);
	/* One pair of matching quotes around the value is dropped. */
	n = strlen(v);
	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
		v[n - 1] = '\0';
		v++;
	}
	for (sec = secrets; *sec != NULL; sec++)
		if (strcmp(key, *sec) == 0) {
			warnx("%s: %s: credentials do not belong in %s; use "
			    "the AWS credential chain (environment, profiles, "
			    "roles)", where, key, s->file);
			return (-1);
		}
	for (sec = moot; *sec != NULL; sec++)
		if (strcmp(key, *sec) == 0) {
			warnx("%s: %s: %s; remove it", where, key, moot_why);
			return (-1);
		}
	if ((i = lookup(key)) == -1) {
		warnx("%s: unknown setting %s", where, key);
		return (-1);
	}
	if (s->source[i] == SETTINGS_FILE) {
		warnx("%s: %s set again (first on line %lu)", where, key,
		    s->line[i]);
		return (-1);
	}
	s->line[i] = lineno;
	return (store(s, i, v, SETTINGS_FILE, where));
}

/* Read the settings file ${path}, if there is one. */
static int
load_file(struct settings *s, const char *path)
{
	char where[1024];
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long lineno = 0;
	struct stat sb;
	FILE *fp;
	int fd, rc = 0;

	if (lstat(path, &sb) == -1 && errno == ENOENT)
		return (0);
	/* A regular file, never a link, a FIFO or a device. */
	if ((fd = atomicio_open_regular(path, O_RDONLY, 0)) == -1)
		return (-1);
	if ((fp = fdopen(fd, "r")) == NULL) {
		warn("%s", path);
		close(fd);
		return (-1);
	}
	while (rc == 0 && (n = getline(&line, &cap, fp)) != -1) {
		lineno++;
		snprintf(where, sizeof(where), "%s:%lu", path, lineno);
		if (n > 4096 || strlen(line) != (size_t)n) {
			warnx("%s: line too long or not text", where);
			rc = -1;
			break;
		}
		if (n > 0 && line[n - 1] == '\n')
			line[n - 1] = '\0';
		rc = parse_line(s, line, where, lineno);
	}
	if (rc == 0 && ferror(fp)) {
		warn("%s", path);
		rc = -1;
	}
	free(line);
	fclose(fp);
	return (rc);
}

/**
 * settings_load(conf):
 * Read the settings: the defaults, then the file ${conf} if it exists
 * (errors name file:line), then the environment.  Return NULL on error
 * (reported).
 */
struct settings *
settings_load(const char *conf)
{
	const char *const *m;
	struct settings *s;
	const char *v;
	size_t i;

	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->file = strdup(conf)) == NULL) {
		warn("settings");
		free(s);
		return (NULL);
	}
	for (i = 0; i < NDEFS; i++)
		if (defs[i].dflt != NULL &&
		    store(s, (int)i, defs[i].dflt, SETTINGS_DEFAULT, "default"))
			goto err;
	if (load_file(s, conf))
		goto err;
	/* The environment may hold them for another program: said, not
	 * refused. */
	for (m = moot; *m != NULL; m++)
		if ((v = getenv(*m)) != NULL && *v != '\0')
			warnx("environment: %s is ignored: %s", *m, moot_why);
	/* An empty variable counts as unset, as in the AWS tools. */
	for (i = 0; i < NDEFS; i++)
		if ((v = getenv(defs[i].name)) != NULL && *v != '\0' &&
		    store(s, (int)i, v, SETTINGS_ENV, "environment"))
			goto err;
	return (s);

err:
	settings_free(s);
	return (NULL);
}

/**
 * settings_set(s, name, value):
 * Set ${name} to ${value} from a command-line option.  Return 0, or -1 if
 * the value is invalid (reported).
 */
int
settings_set(struct settings *s, const char *name, const char *value)
{

	return (store(s, known(name), value, SETTINGS_OPTION, "option"));
}

/**
 * settings_get(s, name):
 * The value of the setting ${name} (borrowed), or NULL if it is unset.
 * Booleans read "true" or "false"; LOG_LEVEL is upper case.
 */
const char *
settings_get(const struct settings *s, const char *name)
{

	return (s->value[known(name)]);
}

/**
 * settings_double(s, name), settings_int(s, name), settings_bool(s, name):
 * The value of a numeric or boolean setting (already checked at load).
 */
double
settings_double(const struct settings *s, const char *name)
{
	const char *v = settings_get(s, name);

	return (v != NULL ? strtod(v, NULL) : 0);
}

int
settings_int(const struct settings *s, const char *name)
{

	return ((int)settings_double(s, name));
}

int
settings_bool(const struct settings *s, const char *name)
{
	const char *v = settings_get(s, name);

	return (v != NULL && strcmp(v, "true") == 0);
}

/**
 * settings_source(s, name):
 * Where the value of ${name} came from.
 */
enum settings_source
settings_source(const struct settings *s, const char *name)
{

	return (s->source[known(name)]);
}

/**
 * settings_print(s, fp):
 * Write every setting to ${fp}, one "NAME=value" per line with its origin
 * ("# default", "# optima.conf:3", "# environment", "# option").
 */
void
settings_print(const struct settings *s, FILE *fp)
{
	size_t i;

	for (i = 0; i < NDEFS; i++) {
		fprintf(fp, "%s=%s", defs[i].name,
		    s->value[i] != NULL ? s->value[i] : "");
		switch (s->source[i]) {
		case SETTINGS_DEFAULT:
			fprintf(fp, "\t# %s\n", s->value[i] != NULL ?
			    "default" : "unset");
			break;
		case SETTINGS_FILE:
			fprintf(fp, "\t# %s:%lu\n", s->file, s->line[i]);
			break;
		case SETTINGS_ENV:
			fprintf(fp, "\t# environment\n");
			break;
		case SETTINGS_OPTION:
			fprintf(fp, "\t# option\n");
			break;
		}
	}
}

/**
 * settings_free(s):
 * Free ${s}.  NULL is a no-op.
 */
void
settings_free(struct settings *s)
{
	size_t i;

	/* Behave consistently with free(NULL). */
	if (s == NULL)
		return;
	for (i = 0; i < NDEFS; i++)
		free(s->value[i]);
	free(s->file);
	free(s);
}
