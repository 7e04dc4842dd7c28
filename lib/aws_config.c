#include <errno.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws_config.h"

/* One key of one section: section is "profile NAME" (default included),
 * "services NAME", ...; from which file. */
struct entry {
	char *section, *key, *value;
	int creds;
};

struct aws_config {
	struct entry *e;
	size_t n, cap;
};

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		*--e = '\0';
	return (s);
}

static int
add(struct aws_config *c, const char *section, const char *key,
    const char *value, int creds)
{
	struct entry *ne;

	if (c->n == c->cap) {
		if ((ne = realloc(c->e, (c->cap ? 2 * c->cap : 32) *
		    sizeof(*ne))) == NULL)
			return (-1);
		c->e = ne;
		c->cap = c->cap ? 2 * c->cap : 32;
	}
	ne = &c->e[c->n];
	ne->section = strdup(section);
	ne->key = strdup(key);
	ne->value = strdup(value);
	ne->creds = creds;
	c->n++;
	if (ne->section == NULL || ne->key == NULL || ne->value == NULL)
		return (-1);
	return (0);
}

/*
 * The internal name of a section header's text: in the config file
 * "default" and "profile default" are both "profile default", "profile X"
 * is "profile X", other kinds stay; in the credentials file "X" is
 * "profile X".  NULL for a header to ignore (a bare "[X]" in config).
 */
static char *
section_name(const char *text, int creds, char *buf, size_t size)
{
	const char *sp;

	if (creds) {
		snprintf(buf, size, "profile %s", text);
		return (buf);
	}
	if (strcmp(text, "default") == 0) {
		snprintf(buf, size, "profile default");
		return (buf);
	}
	if ((sp = strchr(text, ' ')) == NULL)
		return (NULL);
	/* "profile  x" with extra blanks: keep one. */
	snprintf(buf, size, "%.*s %s", (int)(sp - text), text,
	    trim((char *)sp));
	return (buf);
}

static int
load(struct aws_config *c, const char *path, int creds)
{
	char sbuf[512], sub[256] = "", key[600];
	char *line = NULL, *s, *eq, *section = NULL;
	size_t cap = 0;
	unsigned long lineno = 0;
	FILE *fp;
	int rc = 0;

	if (path == NULL)
		return (0);
	if ((fp = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return (0);
		warn("%s", path);
		return (-1);
	}
	while (rc == 0 && getline(&line, &cap, fp) != -1) {
		lineno++;
		s = trim(line);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			if (s[strlen(s) - 1] != ']') {
				warnx("%s:%lu: unterminated section header",
				    path, lineno);
				rc = -1;
				break;
			}
			s[strlen(s) - 1] = '\0';
			section = section_name(trim(s + 1), creds, sbuf,
			    sizeof(sbuf));
			sub[0] = '\0';
			/* An empty key marks that the section exists. */
			if (section != NULL)
				rc = add(c, section, "", "", creds);
			continue;
		}
		if ((eq = strchr(s, '=')) == NULL) {
			warnx("%s:%lu: expected key = value", path, lineno);
			rc = -1;
			break;
		}
		if (section == NULL)
			continue;
		*eq = '\0';
		/* An indented line under "key =" with no value is a sub-key. */
		if ((line[0] == ' ' || line[0] == '\t') && sub[0] != '\0') {
			snprintf(key, sizeof(key), "%s.%s", sub, trim(s));
			rc = add(c, section, key, trim(eq + 1), creds);
			continue;
		}
		if (*trim(eq + 1) == '\0') {
			snprintf(sub, sizeof(sub), "%s", trim(s));
			continue;
		}
		sub[0] = '\0';
		rc = add(c, section, trim(s), trim(eq + 1), creds);
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
 * aws_config_load(config, credentials):
 * Read the config file ${config} and the credentials file ${credentials}
 * (either may be NULL or missing).  Return NULL on error (reported with
 * file:line).
 */
struct aws_config *
aws_config_load(const char *config, const char *credentials)
{
	struct aws_config *c;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		warn("aws_config_load");
		return (NULL);
	}
	if (load(c, config, 0) || load(c, credentials, 1)) {
		aws_config_free(c);
		return (NULL);
	}
	return (c);
}

/**
 * aws_config_paths(config, credentials):
 * The files the AWS tools read: $AWS_CONFIG_FILE, else ~/.aws/config;
 * $AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials.  Malloced strings
 * (NULL when there is no home directory).
 */
void
aws_config_paths(char **config, char **credentials)
{
	const char *home = getenv("HOME"), *v;
	size_t n;

	*config = *credentials = NULL;
	if ((v = getenv("AWS_CONFIG_FILE")) != NULL && *v != '\0')
		*config = strdup(v);
	else if (home != NULL && (*config = malloc(n = strlen(home) + 13)))
		snprintf(*config, n, "%s/.aws/config", home);
	if ((v = getenv("AWS_SHARED_CREDENTIALS_FILE")) != NULL && *v != '\0')
		*credentials = strdup(v);
	else if (home != NULL && (*credentials = malloc(n = strlen(home) + 18)))
		snprintf(*credentials, n, "%s/.aws/credentials", home);
}

/**
 * aws_config_load_default():
 * aws_config_load of the files aws_config_paths names.
 */
struct aws_config *
aws_config_load_default(void)
{
	struct aws_config *c;
	char *config, *credentials;

	aws_config_paths(&config, &credentials);
	c = aws_config_load(config, credentials);
	free(config);
	free(credentials);
	return (c);
}

/**
 * aws_config_profile(opt):
 * The profile to use: ${opt} (the --profile option) if not NULL, else
 * $AWS_PROFILE, $AWS_DEFAULT_PROFILE, else "default".  Borrowed.
 */
const char *
aws_config_profile(const char *opt)
{
	const char *p;

	if (opt != NULL)
		return (opt);
	if (((p = getenv("AWS_PROFILE")) != NULL && *p != '\0') ||
	    ((p = getenv("AWS_DEFAULT_PROFILE")) != NULL && *p != '\0'))
		return (p);
	return ("default");
}

/* The last value of ${key} in ${section} from the file ${creds}. */
static const char *
find(const struct aws_config *c, const char *section, const char *key,
    int creds)
{
	const char *v = NULL;
	size_t i;

	/* Later lines win, as in the AWS tools' INI parser. */
	for (i = 0; i < c->n; i++)
		if (c->e[i].creds == creds &&
		    strcmp(c->e[i].section, section) == 0 &&
		    strcmp(c->e[i].key, key) == 0)
			v = c->e[i].value;
	return (v);
}

/**
 * aws_config_get(c, profile, key):
 * The value of ${key} in ${profile} (credentials file first), or NULL.
 */
const char *
aws_config_get(const struct aws_config *c, const char *profile,
    const char *key)
{
	char section[512];
	const char *v;

	snprintf(section, sizeof(section), "profile %s", profile);
	if ((v = find(c, section, key, 1)) == NULL)
		v = find(c, section, key, 0);
	return (v);
}

/**
 * aws_config_section(c, kind, name, key):
 * The value of ${key} in the section "[${kind} ${name}]" of the config file
 * (kind "services" or "sso-session"), or NULL.
 */
const char *
aws_config_section(const struct aws_config *c, const char *kind,
    const char *name, const char *key)
{
	char section[512];

	snprintf(section, sizeof(section), "%s %s", kind, name);
	return (find(c, section, key, 0));
}

/**
 * aws_config_has_profile(c, profile):
 * Non-zero if either file has a section for ${profile}.
 */
int
aws_config_has_profile(const struct aws_config *c, const char *profile)
{
	char section[512];
	size_t i;

	snprintf(section, sizeof(section), "profile %s", profile);
	for (i = 0; i < c->n; i++)
		if (strcmp(c->e[i].section, section) == 0)
			return (1);
	return (0);
}

/**
 * aws_config_free(c):
 * Free ${c}.  NULL is a no-op.
 */
void
aws_config_free(struct aws_config *c)
{
	size_t i;

	/* Behave consistently with free(NULL). */
	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++) {
		free(c->e[i].section);
		free(c->e[i].key);
		free(c->e[i].value);
	}
	free(c->e);
	free(c);
}
