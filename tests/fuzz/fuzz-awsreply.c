/*
 * fuzz-awsreply - a libFuzzer entry point for the AWS replies read into
 * records: DescribeTable, ListTagsOfResource and Application Auto
 * Scaling's targets and policies into a table record (lib/discover.c),
 * and a CUR manifest into the data files to read (lib/cur.c).  Whatever
 * AWS answers, a record holds only the types optima-records(5) gives its
 * fields: a wrong one aborts.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cur.h"
#include "discover.h"
#include "fuzzfile.h"

#define need(c) do { if (!(c)) abort(); } while (0)

/* A number, or null. */
static int
number_or_null(const json_t *v)
{

	return (json_is_number(v) || json_is_null(v));
}

/* The capacity, size and count fields of a table or index record. */
static void
check_sizes(const json_t *o)
{

	need(number_or_null(json_object_get(o, "read_capacity")));
	need(number_or_null(json_object_get(o, "write_capacity")));
	need(number_or_null(json_object_get(o, "size_bytes")));
	need(number_or_null(json_object_get(o, "item_count")));
	need(json_is_string(json_object_get(o, "status")) ||
	    json_is_null(json_object_get(o, "status")));
}

/* An autoscaling field: null, or the bounds of reads and writes. */
static void
check_scaling(const json_t *a)
{
	const char *dims[] = { "read", "write" };
	const json_t *d;
	int i;

	if (json_is_null(a))
		return;
	need(json_is_object(a) && json_object_size(a) == 2);
	for (i = 0; i < 2; i++) {
		if (json_is_null(d = json_object_get(a, dims[i])))
			continue;
		need(json_is_object(d));
		need(json_is_number(json_object_get(d, "min")));
		need(json_is_number(json_object_get(d, "max")));
		need(number_or_null(json_object_get(d, "target")));
	}
}

static void
check_table(const json_t *rec)
{
	const char *s, *k;
	json_t *v;
	size_t i;

	need(strcmp(json_string_value(json_object_get(rec, "kind")),
	    "table") == 0);
	need((s = json_string_value(json_object_get(rec, "table"))) != NULL &&
	    *s != '\0');
	need(json_is_string(json_object_get(rec, "arn")));
	need(json_is_string(json_object_get(rec, "billing_mode")));
	need(json_is_string(json_object_get(rec, "table_class")));
	check_sizes(rec);
	check_scaling(json_object_get(rec, "autoscaling"));
	need(json_is_array(json_object_get(rec, "indexes")));
	json_array_foreach(json_object_get(rec, "indexes"), i, v) {
		need(json_is_string(json_object_get(v, "index")));
		check_sizes(v);
		check_scaling(json_object_get(v, "autoscaling"));
	}
	need(json_is_array(json_object_get(rec, "replicas")));
	json_array_foreach(json_object_get(rec, "replicas"), i, v)
		need(json_is_string(v));
	need(json_is_object(json_object_get(rec, "tags")));
	json_object_foreach(json_object_get(rec, "tags"), k, v)
		need(json_is_string(v));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j, *rec, *scaling, *keys, *v;
	const char *b, *k;
	size_t i;

	if ((j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES,
	    NULL)) == NULL)
		return (0);
	if ((rec = discover_table(json_object_get(j, "Table"), "123456789012",
	    "us-east-1")) != NULL) {
		scaling = json_object();
		discover_scaling(scaling, j, 0);
		discover_scaling(scaling, j, 1);
		discover_tags(rec, j);
		discover_autoscaling(rec, scaling);
		check_table(rec);
		json_decref(scaling);
		json_decref(rec);
	}
	keys = json_array();
	if (cur_manifest_keys(j, "bucket", keys) == 0)
		json_array_foreach(keys, i, v) {
			b = json_string_value(json_array_get(v, 0));
			k = json_string_value(json_array_get(v, 1));
			need(b != NULL && *b != '\0' && strlen(b) <= 63);
			need(k != NULL && *k != '\0');
		}
	json_decref(keys);
	json_decref(j);
	return (0);
}
