#!/bin/sh
# Words and widths that tell the truth: the recommendations table fits
# $COLUMNS (the full change in json); counts, plurals, mark's message,
# --output's directory and money as people write it
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-emulator.sh
. "$OPTIMA_TOP/tests/lib-emulator.sh"

# ---- the table fits the terminal ----
long='Switch from provisioned capacity with auto scaling to on-demand (PAY_PER_REQUEST): the demand is spiky and the table idles at night'
mkdir p
jq -nc --arg c "$long" '{kind: "recommendation", id: "cap-0123456789abcdef",
	type: "capacity", account: "111111111111", region: "us-east-1",
	table: "orders-with-a-rather-long-name", index: null, change: $c,
	monthly_savings_usd: 1234.5, confidence: "high", status: "pending",
	reason: "spiky", apply: null}' >p/recommendations.ndjson
jq -nc '{kind: "recommendation", id: "cls-fedcba9876543210",
	type: "table_class", account: "222222222222", region: "eu-west-1",
	table: "t", index: "by-x", change: "STANDARD -> STANDARD_INFREQUENT_ACCESS",
	monthly_savings_usd: 12, confidence: "medium", status: "pending",
	reason: "cold", apply: null}' >>p/recommendations.ndjson

# widest FILE: the width of its longest line, in characters.
widest() {
	LC_ALL=C.UTF-8 awk '{ if (length($0) > w) w = length($0) } END { print w + 0 }' "$1"
}
for c in 60 200; do
	run 0 env COLUMNS=$c optima-report --project-root p
	mv out "table.$c"
	w=$(widest "table.$c")
	check "COLUMNS=$c: no line wider ($w)" [ "$w" -le $c ]
	check "COLUMNS=$c: a line per recommendation" \
		[ "$(grep -c -e '^c[al][ps]-[0-9a-f]\{16\} ' "table.$c")" -eq 2 ]
done
check "COLUMNS=200 makes a wider table than COLUMNS=60" \
	[ "$(widest table.200)" -gt "$(widest table.60)" ]
hasnt table.200 "$long"
has table.200 "..."
run 0 env COLUMNS=60 optima list-recommendations --project-root p
check "optima list-recommendations fits too" [ "$(widest out)" -le 60 ]
# Without COLUMNS, off a terminal: 80.
run 0 env -u COLUMNS optima-report --project-root p
check "80 columns off a terminal" [ "$(widest out)" -le 80 ]
run 0 env COLUMNS=60 optima-report --project-root p --format json
check "json keeps the full change" \
	[ "$(jq -r '.[0].change' out)" = "$long" ]

# ---- mark says what it recorded ----
run 0 optima --project-root p mark cap-0123456789abcdef accepted
has out "cap-0123456789abcdef: accepted (was pending)"
run 0 optima-mark --project-root p cap-0123456789abcdef implemented
has out "cap-0123456789abcdef: implemented (was accepted)"

# ---- --output: the user's directories are never made ----
run 1 optima-report --project-root p --output /nonexistent/dir/x.csv
has err "/nonexistent/dir/x.csv: the directory /nonexistent/dir does not exist"
check "/nonexistent was not created" [ ! -e /nonexistent ]
run 1 optima list-recommendations --project-root p --output "$T/no/x.csv"
check "nor is a missing directory of the scratch" [ ! -e "$T/no" ]
run 0 optima-report --project-root p --format csv --output "$T/x.csv"
check "an existing directory is written to" [ -s "$T/x.csv" ]

# ---- the emulator's organization: counts that tell the truth ----
emulator_start --org small --seed 7 || exit 1
run 0 optima --project-root o discover --use-org
first=$(grep '^Discovered' out)
check "discover found tables ($first)" [ -n "$first" ]
run 0 optima --project-root o discover --use-org --resume
has out "$first"
hasnt out "Discovered 0 DynamoDB tables"

# One account in one region: one unit, one region line.
run 0 optima-discover --project-root one --regions us-east-1
run 0 optima-status --project-root one
has out "finished (1 unit)"
hasnt out "(1 units)"

# The CUR of the last month: one file, and its money as people write it.
run 0 optima --project-root o collect-cur
has out "  1 file, "
hasnt out "1 files"
check "the net cost has thousands separators and cents" \
	grep -Eq '\(\$[0-9]{1,3}(,[0-9]{3})+\.[0-9]{2} net\)' out

# One table's metrics (a name no other account or region has): singular.
t=$(jq -r .table o/tables/*/*.ndjson | sort | uniq -u | head -1)
run 0 optima-fetch-metrics --project-root o --days 1 --tables "$t"
has out "Collected metrics for 1 table across"
hasnt out "1 tables"

# GetMetricData denied: nothing is said to be collected.
kill "$emu_pid"
emulator_start --org small --seed 7 --faults 'deny=monitoring:GetMetricData' ||
	exit 1
mkdir m && cp -r o/tables o/accounts.ndjson m/
run 1 optima --project-root m collect --days 1
all=$(cat m/tables/*/*.ndjson | wc -l | tr -d ' ')
has out "Collected metrics for 0 of $all tables"
has out "$all tables denied (GetMetricData: access denied)"
hasnt out "Collected metrics for $all tables"

finish
