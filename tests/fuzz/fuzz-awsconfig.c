/*
 * fuzz-awsconfig - a libFuzzer entry point for the AWS shared config and
 * credentials files (lib/aws_config.c)
 *
 * The input is the config file, a line "%%", then the credentials file;
 * the keys optima reads are looked up in the profiles it would use.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "aws_config.h"
#include "fuzzfile.h"

volatile size_t fuzz_sink;

static const char *const profiles[] = { "default", "dev", "a b", "", NULL };
static const char *const keys[] = {
	"aws_access_key_id", "aws_secret_access_key", "aws_session_token",
	"region", "role_arn", "source_profile", "credential_source",
	"credential_process", "web_identity_token_file", "endpoint_url",
	"services", "s3.addressing_style", "dynamodb.endpoint_url", NULL
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char config[4096], creds[4096];
	const uint8_t *part[2];
	size_t len[2], i, k;
	struct aws_config *c;
	const char *p, *v;

	fuzzfile_split(data, size, part, len, 2);
	if ((p = fuzzfile_write("config", part[0], len[0])) == NULL)
		return (0);
	snprintf(config, sizeof(config), "%s", p);
	if ((p = fuzzfile_write("credentials", part[1], len[1])) == NULL)
		return (0);
	snprintf(creds, sizeof(creds), "%s", p);
	if ((c = aws_config_load(config, creds)) == NULL)
		return (0);
	for (i = 0; profiles[i] != NULL; i++) {
		fuzz_sink += aws_config_has_profile(c, profiles[i]);
		for (k = 0; keys[k] != NULL; k++)
			if ((v = aws_config_get(c, profiles[i], keys[k])) !=
			    NULL)
				fuzz_sink += (unsigned char)v[0];
		if ((v = aws_config_section(c, "services", profiles[i],
		    "dynamodb.endpoint_url")) != NULL)
			fuzz_sink += (unsigned char)v[0];
		if ((v = aws_config_section(c, "sso-session", profiles[i],
		    "sso_region")) != NULL)
			fuzz_sink += (unsigned char)v[0];
	}
	aws_config_free(c);
	return (0);
}
