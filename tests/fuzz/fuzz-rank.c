/*
 * fuzz-rank - a libFuzzer entry point for the scenario and decision
 * record readers of optima-rank (lib/rank.c, lib/decision.c)
 *
 * The input is a file of scenario records, a line "%%", then
 * decisions.ndjson.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "decision.h"
#include "fuzzfile.h"
#include "rank.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct rank_opts o = { 0 };
	char scenarios[4096];
	char *files[2] = { scenarios, NULL };
	const uint8_t *part[2];
	json_t *decisions, *written;
	const char *p;
	size_t len[2], analyzed;

	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		return (0);
	fuzzfile_split(data, size, part, len, 2);
	if ((p = fuzzfile_write("scenarios.ndjson", part[0], len[0])) == NULL)
		return (0);
	snprintf(scenarios, sizeof(scenarios), "%s", p);
	if ((p = fuzzfile_write("decisions.ndjson", part[1], len[1])) == NULL ||
	    (decisions = decision_load(p)) == NULL)
		return (0);
	if ((written = json_array()) == NULL) {
		json_decref(decisions);
		return (0);
	}
	o.low_utilization = 30;
	o.min_savings = (size & 1) ? 0 : 10;
	o.breakeven = (size & 2) ? 0 : 2;
	o.throttle_budget = 60;
	o.now = 1795000000;	/* 2026-11-18 */
	rank_run(&o, files, decisions, null, &analyzed, written);
	json_decref(written);
	json_decref(decisions);
	return (0);
}
