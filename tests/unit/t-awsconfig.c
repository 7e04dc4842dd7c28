#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws_config.h"
#include "tap.h"

int
main(void)
{
	const char *dir = scratch();
	struct aws_config *c;
	char conf[4200], creds[4200];
	char *a, *b;

	plan(20);
	snprintf(conf, sizeof(conf), "%s", path(dir, "config"));
	snprintf(creds, sizeof(creds), "%s", path(dir, "credentials"));
	spew(conf,
	    "# comment\n"
	    "[default]\n"
	    "region = us-west-2\n"
	    "aws_access_key_id = FROMCONFIG\n"
	    "\n"
	    "[profile dev]\n"
	    "role_arn = arn:aws:iam::123456789012:role/Dev\n"
	    "source_profile = default\n"
	    "s3 =\n"
	    "  addressing_style = path\n"
	    "region=eu-west-1\n"
	    "[dev]\n"
	    "region = ignored-bare-section\n"
	    "[services local]\n"
	    "dynamodb =\n"
	    "  endpoint_url = http://127.0.0.1:8000\n"
	    "[profile  spaced]\n"
	    "region = ap-southeast-2\n"
	    "[profile empty]\n");
	spew(creds,
	    "[default]\n"
	    "aws_access_key_id = AKIAFROMCREDS\n"
	    "aws_secret_access_key = secret\n"
	    "; comment\n"
	    "[profile odd]\n"
	    "region = x\n");
	ok((c = aws_config_load(conf, creds)) != NULL, "load");
	is(aws_config_get(c, "default", "region"), "us-west-2", "default region");
	is(aws_config_get(c, "default", "aws_access_key_id"), "AKIAFROMCREDS",
	    "credentials file wins");
	is(aws_config_get(c, "dev", "role_arn"),
	    "arn:aws:iam::123456789012:role/Dev", "profile key");
	is(aws_config_get(c, "dev", "s3.addressing_style"), "path", "sub-key");
	is(aws_config_get(c, "dev", "region"), "eu-west-1",
	    "key after a sub-section; bare [dev] ignored in config");
	is(aws_config_section(c, "services", "local", "dynamodb.endpoint_url"),
	    "http://127.0.0.1:8000", "services section");
	is(aws_config_get(c, "spaced", "region"), "ap-southeast-2",
	    "extra blanks in header");
	is(aws_config_get(c, "profile odd", "region"), "x",
	    "credentials file names profiles bare");
	ok(aws_config_has_profile(c, "empty") && !aws_config_has_profile(c,
	    "nope"), "profiles with no keys exist");
	is(aws_config_get(c, "nope", "region"), NULL, "missing profile");
	aws_config_free(c);

	ok((c = aws_config_load(path(dir, "no-such"), NULL)) != NULL,
	    "missing files are empty");
	aws_config_free(c);
	spew(conf, "[default\nregion = x\n");
	capture();
	ok(aws_config_load(conf, NULL) == NULL &&
	    strstr(captured(), "config:1: unterminated section header") != NULL,
	    "bad header names file:line");
	spew(conf, "[default]\nregion\n");
	capture();
	ok(aws_config_load(conf, NULL) == NULL &&
	    strstr(captured(), "config:2: expected key = value") != NULL,
	    "bad line names file:line");

	setenv("AWS_CONFIG_FILE", "/x/config", 1);
	unsetenv("AWS_SHARED_CREDENTIALS_FILE");
	setenv("HOME", "/home/u", 1);
	aws_config_paths(&a, &b);
	is(a, "/x/config", "AWS_CONFIG_FILE");
	is(b, "/home/u/.aws/credentials", "default credentials path");
	free(a);
	free(b);

	unsetenv("AWS_PROFILE");
	setenv("AWS_DEFAULT_PROFILE", "fallback", 1);
	is(aws_config_profile(NULL), "fallback", "AWS_DEFAULT_PROFILE");
	setenv("AWS_PROFILE", "named", 1);
	is(aws_config_profile(NULL), "named", "AWS_PROFILE first");
	is(aws_config_profile("opt"), "opt", "the option beats both");
	unsetenv("AWS_PROFILE");
	unsetenv("AWS_DEFAULT_PROFILE");
	is(aws_config_profile(NULL), "default", "else default");
	return (done());
}
