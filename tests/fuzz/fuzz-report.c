/*
 * fuzz-report - a libFuzzer entry point for the recommendation and
 * decision record readers of optima-report (lib/report.c,
 * lib/decision.c), in every format
 *
 * The input is a file of recommendation records, a line "%%", then
 * decisions.ndjson.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "decision.h"
#include "fuzzfile.h"
#include "report.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct report_opts o = { 0 };
	char recs[4096];
	char *files[2] = { recs, NULL };
	const uint8_t *part[2];
	json_t *decisions;
	const char *p;
	size_t len[2];

	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		return (0);
	fuzzfile_split(data, size, part, len, 2);
	if ((p = fuzzfile_write("recommendations.ndjson", part[0], len[0])) ==
	    NULL)
		return (0);
	snprintf(recs, sizeof(recs), "%s", p);
	if ((p = fuzzfile_write("decisions.ndjson", part[1], len[1])) == NULL ||
	    (decisions = decision_load(p)) == NULL)
		return (0);
	/* The format and order from the input's size, so all are met. */
	o.format = (enum report_format)(size % 6);
	o.sort = (size / 6) % 2 ? REPORT_SORT_TABLE : REPORT_SORT_SAVINGS;
	o.min_savings = (size / 12) % 2 ? 0 : 1;
	report_run(&o, files, decisions, null);
	json_decref(decisions);
	return (0);
}
