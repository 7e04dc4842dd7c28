#!/bin/sh
# the local AWS emulator's S3 and Cost and Usage Report, called by Debian's
# awscli: the report bucket's listing, ranged reads and errors, the report
# definitions, and report files that hold every table of the organization
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-emulator.sh
. "$OPTIMA_TOP/tests/lib-emulator.sh"

emulator_start --org small --seed 7 || exit 1

# What the organization model says, independently of the emulator.
model() {
	node -e "const o = require('$OPTIMA_TOP/tests/emulator/org.js').makeOrg('small', 7); $1"
}
bucket=$(model 'console.log(o.cur.bucket)')
prefix=$(model 'console.log(o.cur.prefix)')
reports=$(model 'console.log(o.cur.reports.map((r) => r.name).join("\n"))')
tops=$(model 'console.log([...o.cur.reports, ...o.cur.exports].map((r) => o.cur.prefix + "/" + r.name + "/").sort().join("\n"))')
csvreport=$(model 'console.log(o.cur.reports.find((r) => r.format === "textORcsv" && r.resources).name)')
tables=$(model 'console.log(o.tables.length)')
month=$(date -u +%Y%m01)
next=$(date -u -d "$(date -u +%Y-%m-01) +1 month" +%Y%m%d)

run 0 awscli s3api head-bucket --bucket "$bucket"
run 254 awscli s3api head-bucket --bucket "$bucket-missing"
has err "404"

run 0 awscli s3api list-objects-v2 --bucket "$bucket" --prefix "$prefix/" --delimiter /
jq -r '.CommonPrefixes[].Prefix' "$T/out" >"$T/tops"
check "one common prefix per report and export" [ "$(cat "$T/tops")" = "$tops" ]

# Small pages give the same keys as one page.
run 0 awscli s3api list-objects-v2 --bucket "$bucket"
jq -r '.Contents[].Key' "$T/out" >"$T/all"
run 0 awscli s3api list-objects-v2 --bucket "$bucket" --page-size 4
jq -r '.Contents[].Key' "$T/out" >"$T/paged"
check "paging with max-keys lists every key once" cmp -s "$T/all" "$T/paged"
check "keys are sorted" sh -c "LC_ALL=C sort -c '$T/all'"
run 0 awscli s3api list-objects-v2 --bucket "$bucket" --max-items 3
check "max-items stops with a token" test "$(jq '.Contents | length' "$T/out")" = 3 -a \
	"$(jq -r .NextToken "$T/out")" != null
for r in $reports; do
	has all "$prefix/$r/$month-$next/$r-Manifest.json"
done

# The current month's CSV report: its manifest and data files.
manifest="$prefix/$csvreport/$month-$next/$csvreport-Manifest.json"
run 0 awscli s3api get-object --bucket "$bucket" --key "$manifest" "$T/manifest.json"
check "manifest names its report" [ "$(jq -r .reportName "$T/manifest.json")" = "$csvreport" ]
key=$(jq -r '.reportKeys[0]' "$T/manifest.json")
run 0 awscli s3api get-object --bucket "$bucket" --key "$key" "$T/report.csv.gz"
size=$(jq -r .ContentLength "$T/out")
check "whole object has its length" [ "$(wc -c <"$T/report.csv.gz")" -eq "$size" ]
check "report decompresses" sh -c "gzip -dc '$T/report.csv.gz' >'$T/report.csv'"
check "header names the resource" sh -c "head -1 '$T/report.csv' | grep -q lineItem/ResourceId"
check "every table of the organization is in the report" [ "$(grep -o \
	'arn:aws:dynamodb:[a-z0-9-]*:[0-9]*:table/[A-Za-z0-9._-]*' "$T/report.csv" | sort -u | wc -l)" -eq "$tables" ]

# Ranged reads are slices of the whole object.
run 0 awscli s3api get-object --bucket "$bucket" --key "$key" --range bytes=10-109 "$T/part"
has out "\"ContentRange\": \"bytes 10-109/$size\""
check "bytes=10-109 is that slice" sh -c "tail -c +11 '$T/report.csv.gz' | head -c 100 | cmp -s - '$T/part'"
run 0 awscli s3api get-object --bucket "$bucket" --key "$key" --range bytes=-20 "$T/tail"
has out "\"ContentRange\": \"bytes $((size - 20))-$((size - 1))/$size\""
check "bytes=-20 is the tail" sh -c "tail -c 20 '$T/report.csv.gz' | cmp -s - '$T/tail'"
run 254 awscli s3api get-object --bucket "$bucket" --key "$key" --range "bytes=$size-" "$T/none"
has err "InvalidRange"
run 254 awscli s3api get-object --bucket "$bucket" --key "$key.missing" "$T/none"
has err "NoSuchKey"

# The high-level commands list and copy the same objects.
run 0 awscli s3 ls "s3://$bucket/$prefix/"
for top in $tops; do
	has out "PRE $(basename "$top")/"
done
run 0 awscli s3 cp "s3://$bucket/$manifest" "$T/copy.json"
check "s3 cp gives the same manifest" cmp -s "$T/copy.json" "$T/manifest.json"

# The report definitions, one of them without resource IDs.
run 0 awscli cur describe-report-definitions
jq -r '.ReportDefinitions[].ReportName' "$T/out" >"$T/names"
check "the organization's reports" [ "$(cat "$T/names")" = "$reports" ]
check "one report lacks RESOURCES" [ "$(jq '[.ReportDefinitions[] |
	select(.AdditionalSchemaElements | index("RESOURCES") | not)] | length' "$T/out")" = 1 ]
check "reports are delivered to the bucket" [ "$(jq -r '[.ReportDefinitions[].S3Bucket] | unique | .[]' \
	"$T/out")" = "$bucket" ]

# A member account sees no reports and may not read the bucket.
member=$(model 'console.log(o.accounts[1].id)')
run 0 awscli sts assume-role --role-arn "arn:aws:iam::$member:role/MetricsCollectorRole" \
	--role-session-name optima
cp "$T/out" "$T/role.json"
as_member() {
	AWS_ACCESS_KEY_ID=$(jq -r .Credentials.AccessKeyId "$T/role.json") \
	AWS_SECRET_ACCESS_KEY=$(jq -r .Credentials.SecretAccessKey "$T/role.json") \
	AWS_SESSION_TOKEN=$(jq -r .Credentials.SessionToken "$T/role.json") \
		"$@"
}
run 0 as_member awscli cur describe-report-definitions
check "member has no reports" [ "$(jq '.ReportDefinitions | length' "$T/out")" = 0 ]
run 254 as_member awscli s3api list-objects-v2 --bucket "$bucket"
has err "AccessDenied"
finish
