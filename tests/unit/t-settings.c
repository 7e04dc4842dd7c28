#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "settings.h"
#include "tap.h"

/* Load ${conf_text} as optima.conf; NULL on failure with ${err} set. */
static struct settings *
load(const char *conf_text, const char **err)
{
	const char *conf = path(scratch(), "optima.conf");
	struct settings *s;

	spew(conf, conf_text);
	capture();
	s = settings_load(conf);
	*err = captured();
	return (s);
}

int
main(void)
{
	struct settings *s;
	const char *err;
	char buf[4096];
	FILE *fp;

	plan(26);
	unsetenv("CAPACITY_ANALYSIS_DAYS");
	unsetenv("LOG_LEVEL");
	unsetenv("AWS_REGION");
	unsetenv("USE_ORGANIZATIONS");

	s = load("", &err);
	ok(s != NULL, "empty file");
	is(settings_get(s, "CAPACITY_ANALYSIS_DAYS"), "14", "default days");
	ok(settings_double(s, "AUTOSCALING_TARGET_UTILIZATION") == 0.7,
	    "default target");
	is(settings_get(s, "AWS_REGION"), NULL, "region unset");
	ok(settings_source(s, "LOG_LEVEL") == SETTINGS_DEFAULT, "from default");
	settings_free(s);

	/* The file beats the default; the environment beats the file. */
	s = load("# comment\n\nCAPACITY_ANALYSIS_DAYS=21\n"
	    "export LOG_LEVEL = debug \nAWS_REGION=\"eu-west-1\"\n"
	    "USE_ORGANIZATIONS=yes\n", &err);
	ok(s != NULL, "file read: %s", err);
	is_int(settings_int(s, "CAPACITY_ANALYSIS_DAYS"), 21, "file value");
	is(settings_get(s, "LOG_LEVEL"), "DEBUG", "choice made canonical");
	is(settings_get(s, "AWS_REGION"), "eu-west-1", "quotes dropped");
	ok(settings_bool(s, "USE_ORGANIZATIONS"), "yes is true");
	ok(settings_source(s, "AWS_REGION") == SETTINGS_FILE, "from file");
	settings_free(s);

	setenv("CAPACITY_ANALYSIS_DAYS", "30", 1);
	setenv("LOG_LEVEL", "", 1);
	s = load("CAPACITY_ANALYSIS_DAYS=21\nLOG_LEVEL=ERROR\n", &err);
	is_int(settings_int(s, "CAPACITY_ANALYSIS_DAYS"), 30,
	    "environment beats file");
	is(settings_get(s, "LOG_LEVEL"), "ERROR", "empty variable is unset");

	/* An option beats them all, and is checked too. */
	ok(settings_set(s, "CAPACITY_ANALYSIS_DAYS", "7") == 0 &&
	    settings_int(s, "CAPACITY_ANALYSIS_DAYS") == 7 &&
	    settings_source(s, "CAPACITY_ANALYSIS_DAYS") == SETTINGS_OPTION,
	    "option beats environment");
	capture();
	ok(settings_set(s, "AUTOSCALING_TARGET_UTILIZATION", "1.5") == -1,
	    "option out of range");
	ok(strstr(captured(), "AUTOSCALING_TARGET_UTILIZATION=1.5: out of "
	    "range (from 0.2 to 0.9)") != NULL, "range in the message");
	fp = fmemopen(buf, sizeof(buf), "w");
	settings_print(s, fp);
	fclose(fp);
	ok(strstr(buf, "CAPACITY_ANALYSIS_DAYS=7\t# option\n") != NULL &&
	    strstr(buf, "LOG_LEVEL=ERROR\t# ") != NULL &&
	    strstr(buf, "optima.conf:2\n") != NULL &&
	    strstr(buf, "CUR_FORMAT=parquet\t# default\n") != NULL,
	    "print shows values and origins");
	settings_free(s);

	/* Bad values in the environment. */
	setenv("CAPACITY_ANALYSIS_DAYS", "two weeks", 1);
	ok(load("", &err) == NULL && strstr(err, "environment: "
	    "CAPACITY_ANALYSIS_DAYS=two weeks: not a number") != NULL,
	    "bad environment value: %s", err);
	unsetenv("CAPACITY_ANALYSIS_DAYS");

	/* Bad lines in the file name file:line. */
	ok(load("LOG_LEVEL=INFO\nCUR_FORMAT=xml\n", &err) == NULL &&
	    strstr(err, "optima.conf:2: CUR_FORMAT=xml: not one of the "
	    "choices (parquet, csv)") != NULL, "bad choice: %s", err);
	ok(load("NO_SUCH=1\n", &err) == NULL &&
	    strstr(err, "optima.conf:1: unknown setting NO_SUCH") != NULL,
	    "unknown: %s", err);
	ok(load("just words\n", &err) == NULL &&
	    strstr(err, "optima.conf:1: expected NAME=value") != NULL,
	    "no equals: %s", err);
	ok(load("AWS_REGION=us-east-1\nAWS_REGION=us-west-2\n", &err) == NULL
	    && strstr(err, ":2: AWS_REGION set again (first on line 1)"),
	    "twice: %s", err);
	ok(load("AWS_SECRET_ACCESS_KEY=abc123SECRET\n", &err) == NULL &&
	    strstr(err, "credentials do not belong") != NULL &&
	    strstr(err, "abc123SECRET") == NULL,
	    "credentials refused, secret not echoed: %s", err);
	ok(load("AWS_REGION=Mars\n", &err) == NULL &&
	    strstr(err, "not a region name") != NULL, "bad region: %s", err);
	ok(load("USE_ORGANIZATIONS=maybe\n", &err) == NULL &&
	    strstr(err, "not a boolean") != NULL, "bad boolean: %s", err);
	ok((s = load("MIN_SAVINGS_THRESHOLD_USD=0\n", &err)) != NULL &&
	    settings_double(s, "MIN_SAVINGS_THRESHOLD_USD") == 0, "zero ok");
	settings_free(s);
	return (done());
}
