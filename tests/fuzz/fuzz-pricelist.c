/*
 * fuzz-pricelist - a libFuzzer entry point for the AWS Price List
 * (lib/pricelist.c): offer files, and GetProducts replies whose PriceList
 * items are JSON documents in strings, read as optima-pricing reads them;
 * then the price records of every region found
 */

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "fuzzfile.h"
#include "pricelist.h"

volatile size_t fuzz_sink;

static void
add_items(struct pricelist *pl, const json_t *list)
{
	json_t *v, *item;
	size_t i;

	json_array_foreach(list, i, v) {
		item = json_is_string(v) ? json_loadb(json_string_value(v),
		    json_string_length(v), JSON_REJECT_DUPLICATES, NULL) :
		    json_incref(v);
		if (item == NULL || pricelist_item(pl, item, "fuzz")) {
			json_decref(item);
			return;
		}
		json_decref(item);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pricelist *pl;
	const char **regions;
	json_t *j, *list, *rec[2];
	size_t i;

	if ((j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES,
	    NULL)) == NULL)
		return (0);
	if ((pl = pricelist_new()) == NULL) {
		json_decref(j);
		return (0);
	}
	if (json_is_array(list = json_object_get(j, "PriceList")))
		add_items(pl, list);
	else if (json_is_object(j))
		pricelist_offer(pl, j, (size & 1) ? "us-east-1" : NULL, "fuzz");
	if ((regions = pricelist_regions(pl)) != NULL)
		for (i = 0; regions[i] != NULL; i++) {
			fuzz_sink += pricelist_skus(pl, regions[i]);
			if (pricelist_records(pl, regions[i], "fuzz", rec) == 0) {
				json_decref(rec[0]);
				json_decref(rec[1]);
			}
		}
	pricelist_free(pl);
	json_decref(j);
	return (0);
}
