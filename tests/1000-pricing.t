#!/bin/sh
# optima collect-pricing against the emulator: the price list's figures for
# each region and table class, from the offer files and from GetProducts
# alike; the cache and --force-refresh; the filter over files in the real
# offer-file and GetProducts structures (other regions' prefixes, attributes
# and usage types nobody asked for); malformed, truncated and incomplete
# price lists leave the cache as it was; the Database Savings Plans rates
# from the Savings Plans price list files and from
# DescribeSavingsPlansOfferingRates alike, and hostile ones refused
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-emulator.sh
. "$OPTIMA_TOP/tests/lib-emulator.sh"

PRICES='[.region, .table_class, .currency, .read_request_unit,
	.write_request_unit, .replicated_write_request_unit, .rcu_hour,
	.wcu_hour, .replicated_wcu_hour, .storage_gb_month, .free_tier.rcu,
	.free_tier.wcu, .free_tier.storage_gb] | @tsv'

# want REGION...: the emulator's own list prices, as $PRICES prints them.
want() {
	node -e '
	const p = require(process.argv[1]);
	for (const r of process.argv.slice(2)) for (const c of p.TABLE_CLASSES) {
		const u = p.unitPrices(r, c), f = c === "STANDARD" ? 25 : 0;
		console.log(JSON.stringify([r, c, "USD", u.readRequestUnit,
		    u.writeRequestUnit, u.replicatedWriteRequestUnit, u.rcuHour,
		    u.wcuHour, u.replicatedWcuHour, u.storageGbMonth, f, f, f]));
	}' "$OPTIMA_TOP/tests/emulator/pricelist.js" "$@" | jq -r @tsv
}

# got DIR: the prices of the records under DIR/prices, as $PRICES prints them.
got() {
	cat "$1"/prices/region=*.ndjson | jq -r "$PRICES"
}

emulator_start --org small || exit 1
offers="$AWS_ENDPOINT_URL/offers/v1.0/aws/AmazonDynamoDB/current"

# The regions discovered, from the public offer files.
run 0 optima --project-root p discover --use-org
regions=$(jq -r .region p/tables/*/*.ndjson | sort -u | tr '\n' ' ')
run 0 optima --project-root p collect-pricing
has out "Collected 42 DynamoDB SKUs across 3 regions"
has out "Including free tier pricing data"
# shellcheck disable=SC2086 # a list of words
want $regions >"$T/want"
got p >"$T/got"
check "every price of every discovered region and class is the list's" \
	diff "$T/want" "$T/got"
check "two records per region, source offer-file" [ "$(cat p/prices/*.ndjson |
	jq -r .source | sort | uniq -c | tr -s ' ')" = " 6 offer-file" ]
check "reserved capacity of Standard: RCU and WCU, 1 and 3 years" \
	[ "$(jq -r 'select(.table_class == "STANDARD") | .reserved[] |
	"\(.capacity) \(.term)"' p/prices/region=us-east-1.ndjson | sort |
	tr '\n' ' ')" = "rcu 1yr rcu 3yr wcu 1yr wcu 3yr " ]
check "reserved 1-year RCU: upfront and hourly per unit" [ "$(jq -r \
	'select(.table_class == "STANDARD") | .reserved[] | select(.capacity ==
	"rcu" and .term == "1yr") | "\(.upfront) \(.hour)"' \
	p/prices/region=us-east-1.ndjson)" = "0.3 2.5e-05" ]
check "no reserved capacity for Standard-IA" [ "$(jq -r 'select(.table_class ==
	"STANDARD_INFREQUENT_ACCESS") | .reserved | length' \
	p/prices/region=us-east-1.ndjson)" = 0 ]
check "every price names its SKU, and the list's publication" [ "$(cat \
	p/prices/*.ndjson | jq -r '[(.skus | length), .published] | @tsv' |
	sort -u)" = "$(printf '7\t2026-08-15')" ]
run 0 optima-status --project-root p --check
has out "Check: 0 files with problems"

# GetProducts gives the same records.
run 0 optima --project-root q collect-pricing --source api \
	--regions us-east-1,eu-west-1,us-west-2,ap-southeast-2
has out "Collected 56 DynamoDB SKUs across 4 regions"
for r in us-east-1 eu-west-1 us-west-2; do
	check "$r: the API's records are the offer file's" [ "$(jq -c \
		'del(.source)' "p/prices/region=$r.ndjson")" = "$(jq -c \
		'del(.source)' "q/prices/region=$r.ndjson")" ]
done
want ap-southeast-2 >"$T/want"
jq -r "$PRICES" q/prices/region=ap-southeast-2.ndjson >"$T/got"
check "ap-southeast-2 (APS2- usage types) from the API" diff "$T/want" "$T/got"

# The Database Savings Plans rates: one record per region, usage type,
# term and payment option (the emulator has one plan, 1yr No Upfront, and
# discounts request units by 18% and capacity unit-hours by 12%).
# us-east-1 Standard: a read request unit is 0.125 per million on demand,
# 0.1025 per million under the plan; a write capacity unit-hour 0.00065,
# 0.000572 under the plan.  eu-west-1 Standard-IA: a read capacity
# unit-hour 0.00018, 0.0001584 under the plan.
sp() {
	jq -r "select(.table_class == \"$2\" and .dimension == \"$3\") |
		\"\(.rate) \(.on_demand) \(.discount_pct) \(.term) \(.purchase_option)\"" \
		"$1"
}
has out "Collected 48 Database Savings Plans rates across 4 regions"
check "12 rates a region: 6 usage types, 2 classes, 1 plan" [ "$(cat \
	q/prices/savings_plans/*.ndjson | jq -r .region | sort | uniq -c |
	tr -s ' ' | paste -sd, -)" = \
	" 12 ap-southeast-2, 12 eu-west-1, 12 us-east-1, 12 us-west-2" ]
spq=q/prices/savings_plans
check "us-east-1 Standard read request unit: 0.1025 per million" \
	[ "$(sp $spq/region=us-east-1.ndjson STANDARD read_request_unit)" = \
	"1.025e-07 1.25e-07 18 1yr No Upfront" ]
check "us-east-1 Standard WCU-hour: 0.000572" \
	[ "$(sp $spq/region=us-east-1.ndjson STANDARD wcu_hour)" = \
	"0.000572 0.00065 12 1yr No Upfront" ]
check "eu-west-1 Standard-IA RCU-hour: 0.0001584" \
	[ "$(sp $spq/region=eu-west-1.ndjson STANDARD_INFREQUENT_ACCESS \
	rcu_hour)" = "0.0001584 0.00018 12 1yr No Upfront" ]
check "a rate names its usage type, operation, unit and on-demand SKU" \
	[ "$(jq -r 'select(.dimension == "replicated_wcu_hour" and .table_class ==
	"STANDARD") | [.usage_type, .operation, .unit, .sku == $sku, .currency,
	.source] | @tsv' --arg sku "$(jq -r 'select(.table_class == "STANDARD") |
	.skus.replicated_wcu_hour' q/prices/region=eu-west-1.ndjson)" \
	$spq/region=eu-west-1.ndjson)" = "$(printf \
	'EU-ReplWriteCapacityUnit-Hrs\tCommittedThroughput\tReplicatedWriteCapacityUnit-Hrs\ttrue\tUSD\tapi')" ]
for r in us-east-1 eu-west-1 us-west-2; do
	check "$r: DescribeSavingsPlansOfferingRates gives the offer file's rates" \
		[ "$(jq -c 'del(.source)' "p/prices/savings_plans/region=$r.ndjson")" = \
		"$(jq -c 'del(.source)' "$spq/region=$r.ndjson")" ]
done
run 0 optima-status --project-root q --check
has out "Check: 0 files with problems"

# The cache: kept until --force-refresh.
snapshot p >"$T/before"
run 0 optima --project-root p collect-pricing
has out "Prices of 3 regions already in prices/ were kept"
snapshot p | grep prices/ >"$T/after"
check "a second run keeps the cached files" \
	[ "$(grep prices/ "$T/before")" = "$(cat "$T/after")" ]
ino=$(stat -c %i p/prices/region=us-east-1.ndjson)
run 0 optima --project-root p collect-pricing --force-refresh \
	--regions us-east-1
has out "Collected 14 DynamoDB SKUs across 1 region"
check "--force-refresh writes the file anew" \
	[ "$(stat -c %i p/prices/region=us-east-1.ndjson)" != "$ino" ]

# A region the price list does not have: named, the others still written.
run 1 optima --project-root r collect-pricing --regions us-east-1,xx-west-9
has err "xx-west-9: the price list's region index has no offer file"
check "the region that has prices was written" \
	[ -s r/prices/region=us-east-1.ndjson ]
check "no file for the region without" [ ! -e r/prices/region=xx-west-9.ndjson ]
run 2 optima-pricing --source csv
run 2 optima-pricing --regions 'us-east-1,../x'

# Files in the real structures: the filter.
curl -sf "$offers/index.json" >"$T/all.json"
run 0 optima-pricing "$T/all.json"
check "the all-regions offer file: every region, both classes" \
	[ "$(jq -r '"\(.region) \(.table_class)"' "$T/out" | sort -u | wc -l)" = 8 ]
check "the filter's records carry source file" \
	[ "$(jq -r .source "$T/out" | sort -u)" = file ]
awscli --region us-east-1 pricing get-products --service-code AmazonDynamoDB \
	--format-version aws_v1 >"$T/items.json"
run 0 optima-pricing --regions eu-west-1 "$T/items.json"
jq -c 'del(.source)' "$T/out" >"$T/a"
jq -c 'del(.source)' p/prices/region=eu-west-1.ndjson >"$T/b"
check "a GetProducts reply on disk gives the same records" diff "$T/a" "$T/b"

# The Savings Plans price list file and a DescribeSavingsPlansOfferingRates
# reply on disk: the filter joins them to the price list.
spfile=$(curl -sf "$AWS_ENDPOINT_URL/savingsPlan/v1.0/aws/AWSDatabaseSavingsPlans/current/region_index.json" |
	jq -r '.regions[] | select(.regionCode == "us-east-1") | .versionUrl')
curl -sf "$AWS_ENDPOINT_URL$spfile" >"$T/sp.json"
run 0 optima-pricing --regions us-east-1 "$T/all.json" "$T/sp.json"
jq -c 'select(.kind == "savings_plan_rate") | del(.source)' "$T/out" >"$T/a"
jq -c 'del(.source)' p/prices/savings_plans/region=us-east-1.ndjson >"$T/b"
check "a Savings Plans price list file gives the same rates" diff "$T/a" "$T/b"
check "after the price records" [ "$(jq -r .kind "$T/out" | uniq -c |
	tr -s ' ' | paste -sd, -)" = " 2 price, 12 savings_plan_rate" ]
awscli --region us-east-1 savingsplans describe-savings-plans-offering-rates \
	--savings-plan-types Database --service-codes AmazonDynamoDB \
	--filters name=region,values=us-east-1 >"$T/rates.json"
run 0 optima-pricing --regions us-east-1 "$T/all.json" "$T/rates.json"
jq -c 'select(.kind == "savings_plan_rate") | del(.source)' "$T/out" >"$T/a"
check "a DescribeSavingsPlansOfferingRates reply gives them too" diff "$T/a" "$T/b"
# What a Database Savings Plans file also has: other services' rates,
# DynamoDB usage types no plan discounts.
jq '.terms.savingsPlan[0].rates += [{discountedSku: "RDSSKU",
	discountedUsageType: "InstanceUsage:db.r7g.large",
	discountedOperation: "CreateDBInstance:0016", discountedServiceCode:
	"AmazonRDS", unit: "Hrs", discountedRate: {price: "0.2", currency: "USD"}},
	{discountedSku: "X", discountedUsageType: "TimedStorage-ByteHrs",
	discountedOperation: "", discountedServiceCode: "AmazonDynamoDB",
	unit: "GB-Mo", discountedRate: {price: "0.2", currency: "USD"}}]' \
	"$T/sp.json" >"$T/sp-more.json"
run 0 optima-pricing --regions us-east-1 "$T/all.json" "$T/sp-more.json"
jq -c 'select(.kind == "savings_plan_rate") | del(.source)' "$T/out" >"$T/a"
check "other services' rates and storage are left out" diff "$T/a" "$T/b"

# Hostile Savings Plans rates: a clear error naming the file, nothing out.
# sp_bad NAME JQ MESSAGE: the file edited by JQ is refused with MESSAGE.
sp_bad() {
	jq "$2" "$T/sp.json" >"$T/$1.json"
	run 1 optima-pricing --regions us-east-1 "$T/all.json" "$T/$1.json"
	has err "$1.json"
	has err "$3"
	check "$1: no records" [ ! -s "$T/out" ]
}
head -c 3000 "$T/sp.json" >"$T/sp-trunc.json"
run 1 optima-pricing --regions us-east-1 "$T/all.json" "$T/sp-trunc.json"
has err "sp-trunc.json:"
sp_bad sp-eur '(.terms.savingsPlan[].rates[].discountedRate.currency) = "EUR"' \
	"a rate in EUR, but the price list's prices are in USD"
sp_bad sp-negative '.terms.savingsPlan[0].rates[0].discountedRate.price = "-0.0000001"' \
	'the rate "-0.0000001" is not a positive decimal number'
sp_bad sp-number '.terms.savingsPlan[0].rates[0].discountedRate.price = 1e-7' \
	'the rate (not a string) is not a positive decimal number'
sp_bad sp-nounit 'del(.terms.savingsPlan[0].rates[0].unit)' \
	"rates[0] lacks discountedUsageType, discountedOperation, unit or discountedRate"
sp_bad sp-noproduct '.products = []' "is not a product of the file"
sp_bad sp-above '.terms.savingsPlan[0].rates[0].discountedRate.price = "0.001"' \
	"is above the on-demand price"
sp_bad sp-unit '.terms.savingsPlan[0].rates[0].unit = "Hrs"' \
	"ReadRequestUnits is discounted per Hrs, not per ReadRequestUnits"
sp_bad sp-region '.terms.savingsPlan[0].rates[0].discountedUsageType = "EU-ReadRequestUnits"' \
	"EU-ReadRequestUnits has no on-demand price in us-east-1's price list"
sp_bad sp-twice '.terms.savingsPlan[0].rates += [.terms.savingsPlan[0].rates[0] |
	.discountedRate.price = "0.0000001"]' "two rates for the same term"
sp_bad sp-term '.terms.savingsPlan[0].leaseContractLength.unit = "month"' \
	"the lease contract length is not a number of years"
sp_bad sp-notsp '.terms.savingsPlan = {}' "not a Savings Plans price list file"
jq '.searchResults[0].savingsPlanOffering.planType = "Compute"' \
	"$T/rates.json" >"$T/rates-compute.json"
run 1 optima-pricing --regions us-east-1 "$T/all.json" "$T/rates-compute.json"
has err "rates-compute.json: searchResults[0] is a Compute Savings Plan, not a Database one"
jq '.searchResults[1].savingsPlanOffering.durationSeconds = 3600' \
	"$T/rates.json" >"$T/rates-hour.json"
run 1 optima-pricing --regions us-east-1 "$T/all.json" "$T/rates-hour.json"
has err "searchResults[1]: 3600 seconds is not a number of years"
jq 'del(.searchResults[2].rate)' "$T/rates.json" >"$T/rates-norate.json"
run 1 optima-pricing --regions us-east-1 "$T/all.json" "$T/rates-norate.json"
has err "rates-norate.json: searchResults[2] lacks"

# A region of another prefix, with what a real offer file also carries:
# attributes and fields nobody reads, products of other usage types
# (backups, streams, data transfer), a tiered dimension's free range.
jq '
  def use2: sub("^(?<u>(IA-)?[A-Z][A-Za-z]+)"; "USE2-\(.u)");
  .attributesList = {"usagetype": {}} |
  .products |= with_entries(.value.attributes |= (.regionCode = "us-east-2" |
    .location = "US East (Ohio)" | .usagetype |= use2 |
    .capacitystatus = "Used" | .newAttribute = "ignored")) |
  .products.BACKUPSKU = {sku: "BACKUPSKU", productFamily: "Amazon DynamoDB On-Demand Backup Storage",
    attributes: {servicecode: "AmazonDynamoDB", regionCode: "us-east-2",
    usagetype: "USE2-TimedBackupStorage-ByteHrs"}} |
  .terms.OnDemand.BACKUPSKU = {"BACKUPSKU.JRTCKXETXF": {priceDimensions:
    {"BACKUPSKU.JRTCKXETXF.6YS6EN2CT7": {unit: "GB-Mo", beginRange: "0",
    endRange: "Inf", pricePerUnit: {USD: "0.1000000000"}}}}} |
  .terms.Savings = {}' "$T/all.json" >"$T/use2.json" 2>"$T/jq.err"
run 0 optima-pricing --regions us-east-2 "$T/use2.json"
check "USE2- usage types read, extras ignored: us-east-2 has us-east-1's prices" \
	[ "$(jq -r "$PRICES" "$T/out" | cut -f2-)" = \
	"$(want us-east-1 | cut -f2-)" ]

# Bad price lists: a clear error, no records, the cache as it was.
head -c 5000 "$T/all.json" >"$T/trunc.json"
run 1 optima-pricing "$T/trunc.json"
has err "trunc.json:"
check "nothing written for a truncated file" [ ! -s "$T/out" ]
printf 'PAR1' >"$T/junk.json"
run 1 optima-pricing "$T/junk.json"
has err "junk.json:1:"
jq 'del(.products[] | select(.attributes.usagetype == "EU-IA-TimedStorage-ByteHrs"))' \
	"$T/all.json" >"$T/nostorage.json"
run 1 optima-pricing --regions eu-west-1 "$T/nostorage.json"
has err "eu-west-1 STANDARD_INFREQUENT_ACCESS: the price list has no storage_gb_month"
jq '(.terms.OnDemand[] | .[] | .priceDimensions[] | .pricePerUnit.USD) |= "free"' \
	"$T/all.json" >"$T/nan.json"
run 1 optima-pricing "$T/nan.json"
has err "has no valid price"
jq '(.products[] | select(.attributes.usagetype == "TimedStorage-ByteHrs") |
	.attributes.usagetype) = "TimedStorage-ByteHrs" |
	(.terms.OnDemand[] | .[] | .priceDimensions[] |
	select(.unit == "GB-Mo") | .unit) = "GB-Hrs"' \
	"$T/all.json" >"$T/unit.json"
run 1 optima-pricing --regions us-east-1 "$T/unit.json"
has err "is priced per GB-Hrs, not per GB-Mo"

# Truncated answers from AWS, every attempt: 75, and the cache untouched.
kill "$emu_pid"
wait "$emu_pid" 2>/dev/null
emulator_start --org small --faults 'truncate=offers@1' || exit 1
snapshot p >"$T/before"
run 75 optima --project-root p collect-pricing --force-refresh
has err "us-east-1"
check "the cache is as it was" [ "$(snapshot p | grep prices/)" = \
	"$(grep prices/ "$T/before")" ]
check "no temporary file left" [ -z "$(find p/prices -name '.*')" ]
finish
