#!/bin/sh
# Words and widths that tell the truth: the recommendations table fits
# $COLUMNS (the full change in json); counts, plurals, mark's message,
# --output's directory and money as people write it
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"

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

finish
