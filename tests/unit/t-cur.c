#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "curfile.h"
#include "curusage.h"
#include "usagetype.h"
#include "tap.h"

/* Usage types: region prefixes, IA-, names that end like others. */
static void
usage_types(void)
{
	static const char *const names[] = { "WriteRequestUnits",
	    "ReplWriteRequestUnits", "TimedStorage-ByteHrs" };
	int ia = -1;

	ok(usagetype_is("TimedStorage-ByteHrs", "TimedStorage-ByteHrs", &ia) &&
	    ia == 0, "us-east-1: no prefix");
	ok(usagetype_is("EU-IA-TimedStorage-ByteHrs", "TimedStorage-ByteHrs",
	    &ia) && ia == 1, "EU-IA-: Standard-IA in eu-west-1");
	ok(usagetype_is("IA-TimedStorage-ByteHrs", "TimedStorage-ByteHrs",
	    &ia) && ia == 1, "IA- alone is the class, not a region");
	ok(usagetype_is("APS2-ReadCapacityUnit-Hrs", "ReadCapacityUnit-Hrs",
	    &ia) && ia == 0, "APS2- with a digit");
	ok(!usagetype_is("ReplWriteRequestUnits", "WriteRequestUnits", &ia),
	    "ReplWriteRequestUnits is not WriteRequestUnits");
	ok(!usagetype_is("use2-ReadRequestUnits", "ReadRequestUnits", &ia),
	    "a prefix is upper case");
	ok(!usagetype_is("-ReadRequestUnits", "ReadRequestUnits", &ia),
	    "a dash alone is no prefix");
	ok(!usagetype_is("ReadRequestUnit", "ReadRequestUnits", &ia),
	    "shorter than the name");
	is_int(usagetype_match("USE2-ReplWriteRequestUnits", names, 3, &ia), 1,
	    "match: the replicated writes");
	is_int(usagetype_match("USE2-TimedPITRStorage-ByteHrs", names, 3, &ia),
	    -1, "match: PITR storage is none of them");
}

static struct curfile_item
item(const char *type, const char *usage, const char *resource,
    const char *region, double amount, double cost)
{
	struct curfile_item it;

	memset(&it, 0, sizeof(it));
	it.account = "111122223333";
	it.line_item_type = type;
	it.product_code = "AmazonDynamoDB";
	it.usage_type = usage;
	it.operation = "";
	it.resource_id = resource;
	it.region = region;
	it.pricing_term = strcmp(type, "Usage") == 0 ? "OnDemand" : "";
	it.usage_amount = amount;
	it.unblended_cost = cost;
	it.net_unblended_cost = cost * 0.9;
	it.usage_start = 1788220800;	/* 2026-09-01 */
	memcpy(it.billing_period, "2026-09", 8);
	it.file = "test";
	return (it);
}

/* The records of ${cu}, as text. */
static const char *
records(struct curusage *cu)
{
	static char buf[8192];
	FILE *fp;
	size_t n;

	if ((fp = tmpfile()) == NULL || curusage_write(cu, NULL, fp) < 0)
		return (NULL);
	rewind(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return (buf);
}

static json_t *
line(const char *text, int k)
{
	const char *p = text;

	while (k-- > 0 && p != NULL && (p = strchr(p, '\n')) != NULL)
		p++;
	return (p != NULL ? json_loads(p, JSON_DISABLE_EOF_CHECK, NULL) : NULL);
}

static double
num(json_t *o, const char *k)
{

	return (json_number_value(json_object_get(o, k)));
}

static void
classification(void)
{
	const char *arn = "arn:aws:dynamodb:us-east-2:111122223333:table/t1";
	struct curusage *cu = curusage_new();
	struct curfile_item it;
	const char *text;
	json_t *a, *b;

	it = item("Usage", "USE2-TimedStorage-ByteHrs", arn, "us-east-2", 10, 2.5);
	curusage_add(cu, &it, NULL);
	it = item("DiscountedUsage", "USE2-ReadCapacityUnit-Hrs",
	    "arn:aws:dynamodb:us-east-2:111122223333:table/t1/index/i", "",
	    100, 0);
	it.pricing_term = "Reserved";
	curusage_add(cu, &it, NULL);
	it = item("Usage", "USE2-ReplWriteCapacityUnit-Hrs", arn, "us-east-2",
	    5, 1);
	curusage_add(cu, &it, NULL);
	it = item("Usage", "USE2-TimedBackupStorage-ByteHrs",
	    "arn:aws:dynamodb:us-east-2:111122223333:table/t1/backup/0123",
	    "us-east-2", 3, 0.3);
	curusage_add(cu, &it, NULL);
	it = item("RIFee", "USE2-HeavyUsage:dynamodb.read", "", "us-east-2",
	    720, 7.2);
	curusage_add(cu, &it, NULL);
	it = item("Usage", "USE2-IA-WriteRequestUnits", arn, "us-east-2",
	    1000, 0.001);
	it.usage_start += 3600;
	curusage_add(cu, &it, NULL);
	it = item("Usage", "BoxUsage", "i-0123", "us-east-2", 1, 1);
	it.product_code = "AmazonEC2";
	curusage_add(cu, &it, NULL);
	is_int((long long)curusage_stats(cu).dynamodb, 6,
	    "six DynamoDB line items, EC2's skipped");
	text = records(cu);
	a = line(text, 0);
	b = line(text, 1);
	ok(a != NULL && json_is_null(json_object_get(a, "table")) &&
	    num(a, "reserved_fee_usd") == 7.2 &&
	    json_is_true(json_object_get(a, "reserved")),
	    "the fee: no table, first");
	ok(b != NULL && strcmp(json_string_value(json_object_get(b, "table")),
	    "t1") == 0 && num(b, "storage_gb_month") == 10 &&
	    num(b, "rcu_hours") == 100 && num(b, "reserved_rcu_hours") == 100 &&
	    num(b, "replicated_wcu_hours") == 5 &&
	    num(b, "replicated_usd") == 1 && num(b, "other_usd") == 0.3 &&
	    num(b, "write_request_units") == 1000 &&
	    num(b, "line_items") == 5, "index and backup folded into t1");
	is(json_string_value(json_object_get(b, "table_class")),
	    "STANDARD_INFREQUENT_ACCESS", "the latest usage's class");
	is(json_string_value(json_object_get(b, "region")), "us-east-2",
	    "the ARN's region when the line item has none");
	json_decref(a);
	json_decref(b);
	curusage_free(cu);
}

int
main(void)
{

	plan(15);
	usage_types();
	classification();
	return (done());
}
