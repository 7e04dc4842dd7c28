/*
 * fuzz-creds - a libFuzzer entry point for the JSON of the credential
 * sources (lib/aws_creds.c): the input is what a credential_process
 * prints (the same reader takes the container and instance metadata
 * answers), read through the credential chain as a program reads it
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws_config.h"
#include "aws_creds.h"
#include "aws_sigv4.h"
#include "fuzzfile.h"

volatile size_t fuzz_sink;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char config[4096];
	struct aws_sigv4_key key;
	struct aws_config *cfg;
	struct aws_creds *c;
	const char *p;
	char text[8192];

	if (config[0] == '\0') {
		/* Nothing but the profile: no keys, no instance metadata. */
		unsetenv("AWS_ACCESS_KEY_ID");
		unsetenv("AWS_SECRET_ACCESS_KEY");
		unsetenv("AWS_SESSION_TOKEN");
		unsetenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
		unsetenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
		unsetenv("AWS_WEB_IDENTITY_TOKEN_FILE");
		setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
		if ((p = fuzzfile_write("reply.json", "", 0)) == NULL)
			return (0);
		snprintf(text, sizeof(text), "[profile fuzz]\n"
		    "credential_process = cat \"%s\"\n", p);
		if ((p = fuzzfile_write("config", text, strlen(text))) == NULL)
			return (0);
		snprintf(config, sizeof(config), "%s", p);
	}
	if (fuzzfile_write("reply.json", data, size) == NULL)
		return (0);
	if ((cfg = aws_config_load(config, NULL)) == NULL)
		return (0);
	if ((c = aws_creds_chain(cfg, "fuzz", "us-east-1")) != NULL) {
		if (aws_creds_get(c, 0, &key) == 0)
			fuzz_sink += (size_t)aws_creds_expiration(c);
		aws_creds_free(c);
	}
	aws_config_free(cfg);
	return (0);
}
