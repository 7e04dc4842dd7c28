/*
 * fuzz-gui - a libFuzzer entry point for the dashboard's API (lib/gui_api.c)
 * and its RE2 subset (lib/re2.c): what optima-gui answers to any query
 * arguments over any recommendation and decision records
 *
 * The input is the query arguments, one "key=value" a line, then (after
 * lines "%%") recommendations.ndjson, decisions.ndjson and
 * commitments.ndjson.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fuzzfile.h"
#include "gui_api.h"
#include "projdir.h"
#include "re2.h"

volatile size_t fuzz_sink;

/* The arguments of the lines "key=value" of ${s} (${len} bytes). */
static json_t *
arguments(const uint8_t *s, size_t len)
{
	char line[1024], *eq;
	const uint8_t *e, *end = s + len;
	json_t *args;
	size_t n;

	if ((args = json_object()) == NULL)
		return (NULL);
	for (; s < end; s = e + 1) {
		if ((e = memchr(s, '\n', (size_t)(end - s))) == NULL)
			e = end;
		n = (size_t)(e - s) < sizeof(line) - 1 ? (size_t)(e - s) :
		    sizeof(line) - 1;
		memcpy(line, s, n);
		line[n] = '\0';
		if (strlen(line) != n || (eq = strchr(line, '=')) == NULL)
			continue;
		*eq = '\0';
		json_object_set_new(args, line, json_string(eq + 1));
	}
	return (args);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "orders", "", "a.b", "ü", NULL };
	const uint8_t *part[4];
	struct projdir *pd;
	struct gui_api *api;
	struct re2 *re;
	json_t *args, *v;
	const char *rx, *why;
	size_t len[4], n, i;
	char *csv;
	int status;

	fuzzfile_split(data, size, part, len, 4);
	if ((args = arguments(part[0], len[0])) == NULL)
		return (0);
	fuzzfile_clean();
	if (fuzzfile_write("recommendations.ndjson", part[1], len[1]) ==
	    NULL || fuzzfile_write("decisions.ndjson", part[2], len[2]) ==
	    NULL || fuzzfile_write("commitments.ndjson", part[3], len[3]) ==
	    NULL || (pd = projdir_open(fuzzfile_dir(), 0)) == NULL) {
		json_decref(args);
		return (0);
	}
	if ((rx = json_string_value(json_object_get(args, "table_regex"))) !=
	    NULL) {
		fuzz_sink += re2_check(rx, &why) == 0;
		if ((re = re2_compile(rx, "fuzz")) != NULL) {
			for (i = 0; names[i] != NULL; i++)
				fuzz_sink += re2_match(re, names[i]);
			re2_free(re);
		}
	}
	if ((api = gui_api_open(pd, 0)) != NULL) {
		v = gui_api_summary(api, &status);
		json_decref(v);
		v = gui_api_list(api, args, &status);
		json_decref(v);
		if (gui_api_csv(api, args, &csv, &n, &status) == 0)
			fuzz_sink += n;
		free(csv);
		v = gui_api_table(api, args, &status);
		json_decref(v);
		v = gui_api_tables(api, args, &status);
		json_decref(v);
		v = gui_api_analysis(api, args, &status);
		json_decref(v);
		v = gui_api_window(api, &status);
		json_decref(v);
		gui_api_free(api);
	}
	projdir_free(pd);
	json_decref(args);
	return (0);
}
