#!/bin/sh
# optima collect-cur against the emulator: every figure of every table is
# the organization's own, from legacy reports and CUR 2.0 exports in CSV.gz
# and Parquet alike, found through the report definitions or by bucket and
# prefix; a report without resource ids; ranged downloads; the filter over
# files on disk in both naming schemes; corrupt and truncated files name
# themselves and write nothing; kill -9 then --resume; CUR 2.0 exports found
# through bcm-data-exports, and either API denied without stopping the other
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-emulator.sh
. "$OPTIMA_TOP/tests/lib-emulator.sh"

# oracle [--no-resources] < records: every figure against the model.
oracle() {
	node "$OPTIMA_TOP/tests/cur-oracle.js" "${oracle_org:-small}" 7 "$@" >"$T/oracle"
	tail -1 "$T/oracle" | grep -q '^checked [1-9][0-9]* records$' &&
		[ "$(wc -l <"$T/oracle")" -eq 1 ]
}
show_oracle() {
	[ "$(wc -l <"$T/oracle")" -eq 1 ] || sed 's/^/# /' "$T/oracle" | tail -5
}

emulator_start --org small --seed 7 || exit 1
model() {
	node -e "const o = require('$OPTIMA_TOP/tests/emulator/org.js').makeOrg('small', 7); $1"
}
bucket=$(model 'console.log(o.cur.bucket)')
last=$(date -u -d "$(date -u +%Y-%m-01) -1 month" +%Y-%m)
before=$(date -u -d "$(date -u +%Y-%m-01) -2 month" +%Y-%m)
this=$(date -u +%Y-%m)
range=$(date -u -d "$last-01" +%Y%m%d)-$(date -u +%Y%m01)

# The management account's report definitions: the Parquet report with
# resource ids, last month only.
run 0 optima --project-root p collect-cur
has out "Reading the report optima (Parquet, DAILY, with resource ids)"
has out "for 1 billing period: $last"
check "one file, last month's" [ "$(ls p/cur)" = "billing_period=$last.ndjson" ]
check "every figure of every table is the model's" oracle <"p/cur/billing_period=$last.ndjson"
show_oracle
check "records are sorted: account, region, table (null first)" [ "$(jq -r \
	'[.account, .region, (.table // "")] | @tsv' "p/cur/billing_period=$last.ndjson" | LC_ALL=C sort -c 2>&1)" = "" ]
check "reserved capacity fees on a record without a table" [ "$(jq -r \
	'select(.table == null) | .reserved_fee_usd > 0' "p/cur/billing_period=$last.ndjson" | sort -u)" = true ]
check "Standard-IA tables are seen as such" [ "$(jq -r \
	'select(.table_class == "STANDARD_INFREQUENT_ACCESS") | .table' "p/cur/billing_period=$last.ndjson" | wc -l)" -gt 0 ]
check "global tables have replicated writes" [ "$(jq -r \
	'select(.replicated_usd > 0) | .table' "p/cur/billing_period=$last.ndjson" | wc -l)" -gt 0 ]
check "no download left behind" [ -z "$(find p/state -name '.part.*')" ]
run 0 optima-status --project-root p --check
has out "Check: 0 files with problems"

# Each report and export by bucket and prefix, two months: the same figures.
for r in optima optima-csv optima-cur2 optima-cur2-csv; do
	run 0 optima-cur --project-root "$r" --bucket "$bucket" --prefix "cur/$r" --months 2
	has out "for 2 billing periods: $before $last"
	check "$r: every figure of both months is the model's" oracle <"$T/$r/cur/billing_period=$before.ndjson"
	show_oracle
	check "$r: and of last month" oracle <"$T/$r/cur/billing_period=$last.ndjson"
done
check "the same Parquet report, found or named: the same bytes" \
	cmp -s "p/cur/billing_period=$last.ndjson" "optima/cur/billing_period=$last.ndjson"

# Settings name the bucket and prefix; ranged GETs of 4 KiB give the same.
CUR_S3_BUCKET=$bucket CUR_S3_PREFIX=cur/optima-cur2 OPTIMA_CUR_CHUNK=4096 \
	run 0 optima-cur --project-root small --months 2
check "4 KiB ranges: the same files" cmp -s "small/cur/billing_period=$last.ndjson" \
	"optima-cur2/cur/billing_period=$last.ndjson"

# A report without resource ids: per account and region, and it says so.
run 0 optima-cur --project-root s --bucket "$bucket" --prefix cur/optima-summary
has err "no resource ids: the report was made without RESOURCES"
check "no record names a table" [ "$(jq -r '.table' "s/cur/billing_period=$last.ndjson" | sort -u)" = null ]
check "the sums of each account and region are the model's" oracle --no-resources \
	<"s/cur/billing_period=$last.ndjson"
show_oracle

# A prefix with several reports: named, nothing read.
run 1 optima-cur --project-root m --bucket "$bucket" --prefix cur
has err "holds 5 reports; give --prefix as one of them"
has err "cur/optima-cur2 (CUR 2.0, parquet)"
check "nothing written" [ ! -e m/cur ]
run 1 optima-cur --project-root m --bucket "$bucket" --prefix nothing/here
has err "no report here"
run 1 optima-cur --project-root m --bucket "$bucket-missing"
has err "NoSuchBucket"

# Files on disk, both naming schemes: the filter.
get() {
	awscli s3api get-object --bucket "$bucket" --key "$1" "$2" >/dev/null
}
get "cur/optima-csv/$range/optima-csv-Manifest.json" "$T/legacy.json"
get "$(jq -r '.reportKeys[0]' "$T/legacy.json")" "$T/legacy.csv.gz"
get "cur/optima/$range/optima-Manifest.json" "$T/pq.json"
get "$(jq -r '.reportKeys[0]' "$T/pq.json")" "$T/legacy.parquet"
get "cur/optima-cur2-csv/metadata/BILLING_PERIOD=$last/optima-cur2-csv-Manifest.json" "$T/cur2.json"
get "$(jq -r '.dataFiles[0]' "$T/cur2.json" | sed "s|^s3://$bucket/||")" "$T/cur2.csv.gz"
gzip -dc "$T/legacy.csv.gz" >"$T/legacy.csv"
gzip -dc "$T/cur2.csv.gz" >"$T/cur2.csv"
check "legacy CSV names columns lineItem/UsageType" grep -q 'lineItem/UsageType' "$T/legacy.csv"
check "CUR 2.0 CSV names them line_item_usage_type" grep -q 'line_item_usage_type' "$T/cur2.csv"
for f in legacy.csv.gz legacy.csv cur2.csv.gz cur2.csv; do
	run 0 optima-cur "$T/$f"
	check "$f: every figure is the model's" oracle <"$T/out"
	show_oracle
done
run 0 optima-cur - <"$T/legacy.csv"
check "CSV from the standard input" oracle <"$T/out"
run 0 optima-cur "$T/legacy.parquet"
check "Parquet on disk: the bytes collect-cur wrote" cmp -s "$T/out" \
	"optima/cur/billing_period=$last.ndjson"
# A file whose name lies: its first bytes tell.
cp "$T/legacy.parquet" "$T/lies.csv.gz"
run 0 optima-cur "$T/lies.csv.gz"
check "a Parquet file named .csv.gz is read as Parquet" oracle <"$T/out"
# Several files, several months: one stream, sorted by period.
get "cur/optima-csv/$(date -u -d "$before-01" +%Y%m%d)-$(date -u -d "$last-01" +%Y%m%d)/optima-csv-Manifest.json" "$T/before.json"
get "$(jq -r '.reportKeys[0]' "$T/before.json")" "$T/before.csv.gz"
run 0 optima-cur "$T/legacy.csv.gz" "$T/before.csv.gz"
check "two months, the older first" [ "$(jq -r .billing_period "$T/out" | uniq | tr '\n' ' ')" = "$before $last " ]
check "both months' figures are the model's" oracle <"$T/out"

# Damaged files: the file named, nothing written.
bad() {
	msg=$1
	shift
	run 1 optima-cur "$@"
	has err "$msg"
	check "nothing on the standard output" [ ! -s "$T/out" ]
}
size=$(wc -c <"$T/legacy.csv.gz")
head -c $((size / 2)) "$T/legacy.csv.gz" >"$T/trunc.csv.gz"
bad "trunc.csv.gz: truncated" "$T/legacy.csv.gz" "$T/trunc.csv.gz"
size=$(wc -c <"$T/legacy.parquet")
head -c $((size - 100)) "$T/legacy.parquet" >"$T/trunc.parquet"
bad "trunc.parquet:" "$T/trunc.parquet"
{ printf 'XXXX'; tail -c +5 "$T/legacy.parquet"; } >"$T/magic.parquet"
bad "magic.parquet: no column lineItem/UsageAccountId" "$T/magic.parquet"
head -c 20000 "$T/legacy.csv" >"$T/cut.csv"
bad "cut.csv:" "$T/cut.csv"
sed 's|lineItem/UsageAmount|lineItem/Usage|' "$T/legacy.csv" >"$T/nocol.csv"
bad "nocol.csv: no column lineItem/UsageAmount (or line_item_usage_amount)" "$T/nocol.csv"
# Small files of known figures, in each naming scheme.
H1=lineItem/UsageAccountId,lineItem/LineItemType,lineItem/ProductCode,lineItem/UsageType
H1=$H1,lineItem/ResourceId,product/region,lineItem/UsageAmount,lineItem/UnblendedCost
H1=$H1,lineItem/UsageStartDate
A=arn:aws:dynamodb:us-east-2:111122223333:table/orders
cat >"$T/small.csv" <<EOF
$H1
111122223333,Usage,AmazonDynamoDB,USE2-IA-TimedStorage-ByteHrs,$A,us-east-2,10,1,2026-09-03T00:00:00Z
111122223333,Usage,AmazonDynamoDB,USE2-ReadCapacityUnit-Hrs,$A/index/by-day,us-east-2,24,0.5,2026-09-03T00:00:00Z
111122223333,Usage,AmazonDynamoDB,"USE2-WriteCapacityUnit-Hrs",$A/backup/01,,2.5,0.25,2026-09-04T00:00:00Z
111122223333,Usage,AmazonEC2,USE2-BoxUsage,,us-east-2,1,100,2026-09-03T00:00:00Z
111122223333,Tax,AmazonDynamoDB,,,,0,0.5,2026-09-01T00:00:00Z
EOF
H2=$(echo "$H1" | sed 's|lineItem/UsageAccountId|line_item_usage_account_id|
	s|lineItem/LineItemType|line_item_line_item_type|; s|lineItem/ProductCode|line_item_product_code|
	s|lineItem/UsageType|line_item_usage_type|; s|lineItem/ResourceId|line_item_resource_id|
	s|product/region|product_region_code|; s|lineItem/UsageAmount|line_item_usage_amount|
	s|lineItem/UnblendedCost|line_item_unblended_cost|
	s|lineItem/UsageStartDate|line_item_usage_start_date|')
{ echo "$H2"; tail -n +2 "$T/small.csv"; } | gzip >"$T/small2.csv.gz"
for f in small.csv small2.csv.gz; do
	run 0 optima-cur "$T/$f"
	check "$f: two records" [ "$(wc -l <"$T/out")" = 2 ]
	check "$f: the tax has no table" [ "$(jq -c 'select(.table == null) |
		[.account, .region, .billing_period, .unblended_usd, .storage_usd]' "$T/out")" = \
		'["111122223333",null,"2026-09",0.5,0]' ]
	check "$f: the table, its index and its backup in one record" [ "$(jq -c \
		'select(.table) | [.table, .region, .table_class, .storage_gb_month,
		.storage_usd, .rcu_hours, .wcu_hours, .throughput_usd, .net_usd,
		.line_items]' "$T/out")" = \
		'["orders","us-east-2","STANDARD",10,1,24,2.5,0.75,1.75,3]' ]
done
sed '3s/,24,/,lots,/' "$T/small.csv" >"$T/nan.csv"
bad "nan.csv:3: line_item_usage_amount: not a number" "$T/nan.csv"
sed '4s/,2026-09-04T00:00:00Z/,yesterday/' "$T/small.csv" >"$T/date.csv"
bad "date.csv:4: line_item_usage_start_date: not a date and time" "$T/date.csv"
sed '2s/,10,1,/,10,/' "$T/small.csv" >"$T/short.csv"
bad "short.csv:2: 8 fields, the header has 9" "$T/short.csv"
printf '%s\n"111122223333,Usage\n' "$H1" >"$T/quote.csv"
bad "quote.csv:2: a quoted field does not end" "$T/quote.csv"
printf 'a,b\n1,2\n' | gzip >"$T/other.csv.gz"
bad "other.csv.gz: no column" "$T/other.csv.gz"
printf 'PK\003\004zip' >"$T/report.zip"
bad "report.zip: a ZIP archive" "$T/report.zip"
bad "missing.csv" "$T/missing.csv"
st=0
optima-cur "$T/legacy.csv" >/dev/full 2>"$T/err" || st=$?
check "a full disk is an error" [ "$st" = 1 ]
has err "No space left on device"

# Usage errors.
run 2 optima-cur --format xml
run 2 optima-cur --months 0
run 2 optima-cur --prefix cur/optima
run 2 optima-cur --bucket "$bucket" "$T/legacy.csv"

# kill -9 in the middle, then --resume: the files of an uninterrupted run.
kill "$emu_pid"
emulator_start --org small --seed 7 --faults 'latency=s3:150ms' || exit 1
OPTIMA_CUR_CHUNK=16384 optima-cur --project-root k --bucket "$bucket" \
	--prefix cur/optima-cur2 --months 2 >/dev/null 2>&1 &
pid=$!
i=0
while [ ! -e "k/state/cur/billing_period=$before.done" ] && [ "$i" -lt 200 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
check "interrupted after the first period" [ -e "k/state/cur/billing_period=$before.done" ] &&
	[ ! -e "k/state/cur/billing_period=$last.done" ]
run 1 optima-cur --project-root k --bucket "$bucket" --prefix cur/optima-cur2-csv \
	--months 2 --resume
has err "started with other options"
OPTIMA_CUR_CHUNK=16384 run 0 optima-cur --project-root k --bucket "$bucket" \
	--prefix cur/optima-cur2 --months 2 --resume
has out "1 billing period collected before were kept (--resume)"
check "resumed: byte for byte the uninterrupted run's files" \
	[ "$(snapshot k/cur)" = "$(snapshot optima-cur2/cur)" ]
check "no download or temporary file left behind" \
	[ -z "$(find k -name '.part.*' -o -name '.*.ndjson.*')" ]
check "the current month is never read" [ ! -e "k/cur/billing_period=$this.ndjson" ]

# CUR 2.0 data exports found through bcm-data-exports: an organization
# whose only reports are exports (one of another table, one without
# resource ids, a monthly one and a daily one); the daily Parquet export
# with resource ids is read.
# orgfile FILE EXPORTS: the small organization, its reports these exports.
orgfile() {
	model "o.cur = {reports: [], exports: $2}; require('fs').writeFileSync('$1', JSON.stringify(o))"
}
orgfile "$T/cur2.json" "[{name: 'focus', format: 'PARQUET', table: 'FOCUS_1_0_AWS'},
	{name: 'summary', format: 'TEXT_OR_CSV', resources: false},
	{name: 'monthly', format: 'PARQUET', timeUnit: 'MONTHLY'},
	{name: 'daily', format: 'PARQUET'}]"
kill "$emu_pid"
emulator_start --org "$T/cur2.json" || exit 1
run 0 optima --project-root x collect-cur
has out "Reading the CUR 2.0 export daily (PARQUET, DAILY, with resource ids) of s3://$bucket/cur/daily/"
has out "for 1 billing period: $last"
oracle_org=$T/cur2.json
check "CUR 2.0 export found: every figure of every table is the model's" \
	oracle <"x/cur/billing_period=$last.ndjson"
show_oracle
check "the same bytes as the legacy report's" cmp -s "x/cur/billing_period=$last.ndjson" \
	"p/cur/billing_period=$last.ndjson"
check "no warning" [ ! -s "$T/err" ]
# Only an export without resource ids: read, and named as such.
orgfile "$T/summary.json" "[{name: 'summary', format: 'TEXT_OR_CSV', resources: false}]"
kill "$emu_pid"
emulator_start --org "$T/summary.json" || exit 1
run 0 optima-cur --project-root y
has out "Reading the CUR 2.0 export summary (TEXT_OR_CSV, DAILY, without resource ids)"
has err "the CUR 2.0 export summary has no resource ids (its table configuration's INCLUDE_RESOURCES is not TRUE)"
oracle_org=$T/summary.json
check "its sums of each account and region are the model's" oracle --no-resources \
	<"y/cur/billing_period=$last.ndjson"
show_oracle
oracle_org=

# ListExports denied: the legacy report is still found; and the other way
# round; both denied: nothing found, both named.
kill "$emu_pid"
emulator_start --org small --seed 7 --faults deny=bcm-data-exports:ListExports || exit 1
run 0 optima-cur --project-root d1
has err "bcm-data-exports:ListExports: access denied"
has out "Reading the report optima (Parquet, DAILY, with resource ids)"
check "ListExports denied: the legacy report's figures" cmp -s \
	"d1/cur/billing_period=$last.ndjson" "p/cur/billing_period=$last.ndjson"
kill "$emu_pid"
emulator_start --org small --seed 7 --faults deny=cur:DescribeReportDefinitions || exit 1
run 0 optima-cur --project-root d2
has err "cur:DescribeReportDefinitions: access denied"
has out "Reading the CUR 2.0 export optima-cur2 (PARQUET, DAILY, with resource ids) of s3://$bucket/cur/optima-cur2/"
check "DescribeReportDefinitions denied: the export's figures" cmp -s \
	"d2/cur/billing_period=$last.ndjson" "p/cur/billing_period=$last.ndjson"
kill "$emu_pid"
emulator_start --org small --seed 7 \
	--faults deny=cur:DescribeReportDefinitions,deny=bcm-data-exports || exit 1
run 1 optima-cur --project-root d3
has err "no Cost and Usage Report found: cur:DescribeReportDefinitions failed, bcm-data-exports:ListExports failed"
check "nothing written" [ ! -e d3/cur ]
finish
