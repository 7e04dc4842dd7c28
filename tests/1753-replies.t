#!/bin/sh
# Replies no AWS service gives, and helpers that never answer: table and
# index names AWS would refuse are skipped with a warning; a table record
# too long for a line is never written; listings whose tokens come round
# again stop with an error; GetMetricData values no table can have,
# duplicates and too many datapoints are invalid replies (asked again,
# then the unit fails), and such values in a day file stop
# optima-simulate at their file:line; a CUR report of blank lines does not
# replace a period collected before; a credential_process that hangs is
# killed.  Every run is bounded by timeout(1): without the fixes some of
# them would never end.
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-emulator.sh
. "$OPTIMA_TOP/tests/lib-emulator.sh"

acct=111111111111

# restart OPTIONS...: the emulator started anew with the options.
restart() {
	if [ -n "${emu_pid:-}" ]; then
		kill "$emu_pid" 2>/dev/null
		wait "$emu_pid" 2>/dev/null
	fi
	emulator_start "$@"
}

# org FILE JQ-TABLES [JQ-CUR]: an organization of one account and region
# whose tables are the jq expression's array (and whose "cur" is the
# other's), into FILE.
org() {
	jq -n --arg a "$acct" "{accounts: [{id: \$a}], regions: [\"us-east-1\"],
	    tables: ($2 | map(. + {account: \$a, region: \"us-east-1\"})),
	    cur: (${3:-{\}})}" >"$1"
}

# Point 4: names AWS would refuse.  Point 11: a record over 4 MiB.
org "$T/names.json" '[{name: "orders", gsis: [
	{name: "by-customer", rcu: 1, wcu: 1, read: 0, write: 0, sizeBytes: 0, itemCount: 0},
	{name: "by cust\u001b[31m", rcu: 1, wcu: 1, read: 0, write: 0, sizeBytes: 0, itemCount: 0}]},
	{name: "bad name\u001b[2J"}, {name: "x"}, {name: ("n" * 300)},
	{name: ("m" * 1048576)}, {name: "ok.table_2-b"},
	{name: "huge", gsis: [range(15000) | {name: ("i\(.)-" + "g" * 240),
	  rcu: 1, wcu: 1, read: 0, write: 0, sizeBytes: 0, itemCount: 0}]}]'
restart --org "$T/names.json" || exit 1
run 0 timeout 120 optima-discover --project-root d --regions us-east-1
f=d/tables/account=$acct/region=us-east-1.ndjson
check "the valid tables only: huge too long, bad names skipped" \
	[ "$(jq -r .table "$f" | tr '\n' ' ')" = "ok.table_2-b orders " ]
check "the valid index only" \
	[ "$(jq -r 'select(.table == "orders") | [.indexes[].index] | join(",")' "$f")" = by-customer ]
has err "account $acct, region us-east-1: table \"bad name\\x1b[2J\" skipped: not a DynamoDB table name"
has err "table \"x\" skipped"
has err "table \"nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn\"... (300 bytes) skipped"
has err "(1048576 bytes) skipped"
has err "table orders: index \"by cust\\x1b[31m\" skipped: not a DynamoDB index name"
has err "account $acct, region us-east-1: table huge skipped: its record would be"
check "no escape character reaches the terminal" [ "$(tr -cd '\033' <"$T/err" | wc -c)" -eq 0 ]
check "every line of the file is under 4 MiB" \
	[ "$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$f")" -le 4194304 ]
run 0 optima-status --project-root d --check
has out "Check: 0 files with problems"

# Point 8: listings whose tokens come round again.  loop=TARGET:N names
# the next page emulator-loop-1 .. -N in turn, whatever the service says.
restart --org small --seed 7 --faults 'loop=organizations:ListAccounts:1,loop=pricing:GetProducts:3,loop=s3:1' || exit 1
run 1 timeout 60 optima-discover --project-root l1 --use-org --regions us-east-1
has err "ListAccounts: page 2 names as the next page the one page 1 named: a listing that never ends"
run 1 timeout 60 optima-pricing --project-root l1 --source api --regions us-east-1
has err "GetProducts: page 4 names as the next page the one page 1 named"
run 1 timeout 60 optima-cur --project-root l1 --months 1
has err "ListObjectsV2: page 2 names as the next page the one page 1 named"
check "no CUR file" [ ! -d l1/cur ] || [ -z "$(ls l1/cur)" ]
restart --org small --seed 7 --faults 'loop=dynamodb:ListTables/us-east-1:2,loop=application-autoscaling:DescribeScalableTargets/us-west-2:1,loop=dynamodb:ListTagsOfResource/eu-west-1:1,loop=cur:DescribeReportDefinitions:1' || exit 1
run 1 timeout 60 optima-discover --project-root l2 --regions us-east-1,us-west-2,eu-west-1
has err "region us-east-1: InvalidResponse: ListTables: page 3 names as the next page the one page 1 named"
has err "region us-west-2: InvalidResponse: DescribeScalableTargets: page 2 names as the next page the one page 1 named"
has err "region eu-west-1: InvalidResponse: ListTagsOfResource: page 2 names as the next page the one page 1 named"
check "no table file written" [ -z "$(find l2/tables -name '*.ndjson' 2>/dev/null)" ]
run 0 optima-status --project-root l2
has out "InvalidResponse"
run 0 timeout 60 optima-cur --project-root l2 --months 1
has err "DescribeReportDefinitions: page 2 names as the next page the one page 1 named"

# Point 12: GetMetricData values no table can have, per region.
restart --org small --seed 7 --faults 'datapoints=monitoring:GetMetricData/us-east-1:negative,datapoints=monitoring:GetMetricData/us-west-2:huge,datapoints=monitoring:GetMetricData/eu-west-1:duplicate' || exit 1
run 0 timeout 60 optima-discover --project-root m --use-org
run 1 timeout 120 optima-fetch-metrics --project-root m --days 1
has err "region=us-east-1/date="
has err "InvalidResponse: GetMetricData: ConsumedReadCapacityUnits of"
has err "is negative"
has err "the value 1e+308 is above 1e12, the most optima believes"
has err "InvalidResponse: GetMetricData: two datapoints of"
check "no day file written" [ -z "$(find m/metrics -name '*.ndjson' 2>/dev/null)" ]
check "each batch asked three times" \
	[ "$(grep -c 'asked again (3 of 3)' m/logs/optima.log)" -eq 9 ]
run 0 optima-status --project-root m
has out "InvalidResponse"
restart --org small --seed 7 --faults 'datapoints=monitoring:GetMetricData/us-east-1:infinite,datapoints=monitoring:GetMetricData/us-west-2:extra,loop=monitoring:GetMetricData/eu-west-1:1' || exit 1
run 1 timeout 120 optima-fetch-metrics --project-root m --days 1
has err "the value inf is not finite"
has err "a malformed reply: more than 100800 datapoints"
has err "region=eu-west-1/date="
has err "GetMetricData: page 2 names as the next page the one page 1 named"
# A fault that passes: the batch asked again gets good values.
restart --org small --seed 7 --faults 'datapoints=monitoring:GetMetricData:negative@first:1' || exit 1
mkdir g
cp -R m/tables m/accounts.ndjson g
run 0 timeout 120 optima-fetch-metrics --project-root g --days 1
check "one batch asked again" [ "$(grep -c 'is negative: asked again (2 of 3)' g/logs/optima.log)" -eq 1 ]
check "nine day files, no negative value" [ "$(find g/metrics -name '*.ndjson' | wc -l)" -eq 9 ] &&
	[ "$(cat g/metrics/*/*/*.ndjson | jq '[.values[] | select(. != null and . < 0)] | length' | sort -u)" = 0 ]

# Point 12, the series reader: a bad value in a day file stops
# optima-simulate at its file:line, and nothing is written.
p=$T/s
a=account=$acct
mkdir -p "$p/tables/$a" "$p/metrics/$a/region=us-east-1" "$p/prices" "$p/cur"
awk -v RS='%%\n' -v dir="$T" '{ printf "%s", $0 > (dir "/part" NR) }' \
	"$OPTIMA_TOP/tests/fuzz/corpus/simulate/oversized-catalog.txt"
for t in a b c; do
	jq -c --arg t "$t" '.table = $t' "$T/part1"
done >"$p/tables/$a/region=us-east-1.ndjson"
day=$p/metrics/$a/region=us-east-1/date=2026-11-20.ndjson
for t in a b c; do
	jq -c --arg t "$t" '.table = $t' "$T/part2"
done >"$day"
mv "$T/part3" "$p/prices/region=us-east-1.ndjson"
run 0 optima-simulate --project-root "$p"
cp "$p/scenarios.ndjson" "$T/scenarios"
cp "$day" "$T/day"
for v in -5 1e308 -0.001 1000000000001 2e12; do
	{ sed -n 1p "$T/day"; sed -n 2p "$T/day" | jq -c --argjson v "$v" '.values[7] = $v'
	  sed -n 3p "$T/day"; } >"$day"
	run 1 optima-simulate --project-root "$p"
	has err "date=2026-11-20.ndjson:2: value 8 of \"values\" is"
	check "$v: the scenarios as they were" cmp -s "$p/scenarios.ndjson" "$T/scenarios"
done
cp "$T/day" "$day"

# Point 14: a CUR report of blank lines after one with line items.
org "$T/cur.json" '[{name: "orders", read: 10, write: 5}]' '{format: "textORcsv", months: 1}'
org "$T/blank.json" '[{name: "orders", read: 10, write: 5}]' '{format: "textORcsv", months: 1, blankLines: 100000}'
restart --org "$T/cur.json" || exit 1
run 0 timeout 60 optima-cur --project-root c --months 1 --format csv
cf=$(find c/cur -name '*.ndjson')
check "a period collected" [ -s "$cf" ]
cp "$cf" "$T/cur-before"
restart --org "$T/blank.json" || exit 1
run 1 timeout 60 optima-cur --project-root c --months 1 --format csv
has err "the report has no line items, but"
has err "holds"
check "the earlier records kept as they were" cmp -s "$cf" "$T/cur-before"
run 0 optima-status --project-root c
has out "no line items"
run 0 timeout 60 optima-cur --project-root e --months 1 --format csv
check "without an earlier file, an empty period is written" \
	[ -f "e/${cf#c/}" ] && [ ! -s "e/${cf#c/}" ]

# Point 9: a credential_process that never answers is killed.
kill "$emu_pid" 2>/dev/null
wait "$emu_pid" 2>/dev/null
emu_pid=
cat >"$T/hang.sh" <<SCRIPT
sleep 300 &
echo \$! >"$T/sleep.pid"
wait
SCRIPT
printf '[profile hang]\ncredential_process = sh "%s"\nregion = us-east-1\n' \
	"$T/hang.sh" >"$T/config"
start=$(date +%s)
AWS_CONFIG_FILE=$T/config AWS_SHARED_CREDENTIALS_FILE=$T/none \
	OPTIMA_CREDENTIAL_PROCESS_TIMEOUT_MS=1500 \
	run 1 timeout 60 optima-discover --project-root h --profile hang --regions us-east-1
has err "credential_process sh: no answer in 1.5 s (killed)"
check "in seconds, not minutes" [ $(($(date +%s) - start)) -lt 30 ]
check "what the helper started was killed too" \
	[ -s "$T/sleep.pid" ] && ! kill -0 "$(cat "$T/sleep.pid")" 2>/dev/null
finish
