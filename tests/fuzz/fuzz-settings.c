/*
 * fuzz-settings - a libFuzzer entry point for optima.conf (lib/settings.c)
 *
 * The input is a project's optima.conf, loaded and printed.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fuzzfile.h"
#include "settings.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct settings *s;
	const char *path;

	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		return (0);
	if ((path = fuzzfile_write("optima.conf", data, size)) == NULL)
		return (0);
	if ((s = settings_load(path)) != NULL) {
		settings_print(s, null);
		settings_free(s);
	}
	return (0);
}
