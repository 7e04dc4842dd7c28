#!/bin/sh
# Bad input to every program that reads records or files: truncated,
# binary, an enormous line, the wrong kind of record, a field of the wrong
# type, NaN, a duplicate key.  Each gives a clear file:line error and exit
# 1, and leaves the project directory as it was (logs aside: the error is
# logged too).
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-emulator.sh
. "$OPTIMA_TOP/tests/lib-emulator.sh"

# A small project of three tables (tests/lib.sh), simulated and ranked.
p=$T/p
acct=account=111111111111
three_tables "$p"
run 0 optima-simulate --project-root "$p"
run 0 optima-rank --project-root "$p" --min-savings 0
check "the small project has recommendations" \
	[ "$(wc -l <"$p/recommendations.ndjson")" -ge 3 ]

# bad_files GOOD: from the first three lines of GOOD, the files
# $T/bad/NAME.ndjson whose line 2 is bad in the way NAME says.
bad_files() {
	rm -rf "$T/bad"
	mkdir -p "$T/bad"
	sed -n 1p "$1" >"$T/l1"
	sed -n 2p "$1" >"$T/l2"
	sed -n 3p "$1" >"$T/l3"
	kind=$(jq -r .kind "$T/l2")
	b=$T/bad
	{ cat "$T/l1"; head -c $(($(wc -c <"$T/l2") / 2)) "$T/l2"; } >"$b/truncated.ndjson"
	{ cat "$T/l1"; printf '\000\377\376{binary\001\n'; cat "$T/l3"; } >"$b/binary.ndjson"
	{ cat "$T/l1"; printf '{"kind":"%s","pad":"' "$kind"
	  head -c 5000000 /dev/zero | tr '\0' a; printf '"}\n'; cat "$T/l3"; } \
		>"$b/enormous.ndjson"
	{ cat "$T/l1"; echo '{"kind":"decision","id":"x","status":"accepted"}'
	  cat "$T/l3"; } >"$b/wrong-kind.ndjson"
	{ cat "$T/l1"
	  jq -c 'to_entries | .[1].value = 12345 | from_entries' "$T/l2"
	  cat "$T/l3"; } >"$b/wrong-type.ndjson"
	{ cat "$T/l1"
	  sed 's/:\(-\{0,1\}[0-9][0-9.eE+-]*\)\([,}]\)/:NaN\2/' "$T/l2"
	  cat "$T/l3"; } >"$b/nan.ndjson"
	{ cat "$T/l1"
	  sed 's/^{"kind":"\([a-z_]*\)"/{"kind":"\1","kind":"\1"/' "$T/l2"
	  cat "$T/l3"; } >"$b/duplicate-key.ndjson"
	grep -q NaN "$b/nan.ndjson" || echo "# no number to make NaN in $1"
}

# rejects WHAT FILE COMMAND...: COMMAND exits 1, names FILE:2 on stderr
# and leaves the project directory as it was.
rejects() {
	r_what=$1 r_file=$2
	shift 2
	snapshot_p >"$T/before"
	r_st=0
	"$@" >"$T/out" 2>"$T/err" || r_st=$?
	snapshot_p >"$T/after"
	r_base=$(basename "$r_file")
	if [ "$r_st" -eq 1 ] && grep -q "$r_base:2[:,]" "$T/err" &&
	    cmp -s "$T/before" "$T/after"; then
		ok 0 "$r_what: exit 1, $r_base:2 named, the project as it was"
	else
		ok 1 "$r_what: exit 1, $r_base:2 named, the project as it was (exit $r_st)"
		head -5 "$T/err" | cut -c1-200 | sed 's/^/# stderr: /'
		diff "$T/before" "$T/after" | head -5 | sed 's/^/# /'
	fi
}

# The project directory's files and their checksums, logs aside.
snapshot_p() {
	(cd "$p" && find . -path ./logs -prune -o -type f -print | sort |
	    xargs cksum)
}

emulator_start --org small --seed 7 || exit 1
kinds="truncated binary enormous wrong-kind wrong-type nan duplicate-key"

# The filters: records in a file named on the command line.
printf '{"kind":"account","account":"%s","name":"n","joined_epoch":%s}\n' 111111111111 1 \
	222222222222 2 333333333333 3 >"$T/accounts.ndjson"
bad_files "$T/accounts.ndjson"
for k in $kinds; do
	rejects "optima-discover, $k" "$T/bad/$k.ndjson" \
		optima-discover --project-root "$p" --regions us-east-1 "$T/bad/$k.ndjson"
done
# stdin_of FILE COMMAND...: COMMAND with FILE as its standard input.
stdin_of() {
	si_file=$1
	shift
	"$@" <"$si_file"
}
for k in truncated wrong-kind nan; do
	rejects "optima-discover -, $k" stdin \
		stdin_of "$T/bad/$k.ndjson" optima-discover --project-root "$p" \
		--regions us-east-1 -
done
bad_files "$p/tables/$acct/region=us-east-1.ndjson"
for k in $kinds; do
	rejects "optima-fetch-metrics, $k" "$T/bad/$k.ndjson" \
		optima-fetch-metrics --project-root "$p" --days 1 "$T/bad/$k.ndjson"
done
for k in truncated wrong-type duplicate-key; do
	rejects "optima-fetch-metrics -, $k" stdin \
		stdin_of "$T/bad/$k.ndjson" optima-fetch-metrics --project-root "$p" \
		--days 1 -
done
bad_files "$p/scenarios.ndjson"
for k in $kinds; do
	rejects "optima-rank, $k" "$T/bad/$k.ndjson" \
		optima-rank --project-root "$p" "$T/bad/$k.ndjson"
done
bad_files "$p/recommendations.ndjson"
for k in $kinds; do
	rejects "optima-report, $k" "$T/bad/$k.ndjson" \
		optima-report --project-root "$p" "$T/bad/$k.ndjson"
done

# The project's own files: each bad in turn, then put back.
# in_project FILE WHAT COMMAND...: FILE (under the project) replaced by
# each bad version of itself while COMMAND runs.
in_project() {
	ip_file=$p/$1 ip_what=$2
	shift 2
	bad_files "$ip_file"
	cp "$ip_file" "$T/saved"
	for k in $kinds; do
		cp "$T/bad/$k.ndjson" "$ip_file"
		rejects "$ip_what, $k in $(basename "$ip_file")" "$ip_file" "$@"
	done
	cp "$T/saved" "$ip_file"
}
in_project "tables/$acct/region=us-east-1.ndjson" optima-simulate \
	optima-simulate --project-root "$p"
in_project "metrics/$acct/region=us-east-1/date=2026-11-20.ndjson" optima-simulate \
	optima-simulate --project-root "$p"
in_project "cur/billing_period=2026-10.ndjson" optima-simulate \
	optima-simulate --project-root "$p"
in_project "scenarios.ndjson" optima-rank optima-rank --project-root "$p"
in_project "recommendations.ndjson" optima-report optima-report --project-root "$p"
id=$(sed -n 3p "$p/recommendations.ndjson" | jq -r .id)
in_project "recommendations.ndjson" optima-mark \
	optima-mark --project-root "$p" "$id" accepted
in_project "tables/$acct/region=us-east-1.ndjson" "optima-status --check" \
	optima-status --project-root "$p" --check
in_project "metrics/$acct/region=us-east-1/date=2026-11-20.ndjson" "optima-status --check" \
	optima-status --project-root "$p" --check

# The price list: one JSON document; its error names line and column.
curl -sf "$AWS_ENDPOINT_URL/offers/v1.0/aws/AmazonDynamoDB/current/index.json" |
	jq . >"$T/offer.json"
head -c 3000 "$T/offer.json" >"$T/price-truncated.json"
{ head -c 3000 "$T/offer.json"; printf '\000\377'; } >"$T/price-binary.json"
sed '2s/^/"dup": 1, "dup": 2,/' "$T/offer.json" >"$T/price-duplicate-key.json"
jq '(.terms.OnDemand[] | .[] | .priceDimensions[] | .pricePerUnit.USD) |= 7' \
	"$T/offer.json" >"$T/price-wrong-type.json"
sed '0,/"USD": "[0-9.]*"/s//"USD": NaN/' "$T/offer.json" >"$T/price-nan.json"
for k in truncated binary duplicate-key nan; do
	f=$T/price-$k.json
	run 1 optima-pricing "$f"
	check "optima-pricing, $k: names $(basename "$f"):LINE:COLUMN" \
		grep -q "price-$k.json:[0-9]*:[0-9]*:" "$T/err"
done
run 1 optima-pricing "$T/price-wrong-type.json"
has err "price-wrong-type.json"

# CUR files: the row named.
H=lineItem/UsageAccountId,lineItem/LineItemType,lineItem/ProductCode,lineItem/UsageType
H=$H,lineItem/ResourceId,product/region,lineItem/UsageAmount,lineItem/UnblendedCost
H=$H,lineItem/UsageStartDate
A=arn:aws:dynamodb:us-east-2:111122223333:table/orders
row() {
	echo "111122223333,Usage,AmazonDynamoDB,USE2-ReadCapacityUnit-Hrs,$A,us-east-2,$1,$2,2026-09-03T00:00:00Z"
}
{ echo "$H"; row 24 0.5; row abc 0.5; } >"$T/cur-wrong-type.csv"
{ echo "$H"; row 24 0.5; row NaN 0.5; } >"$T/cur-nan.csv"
{ echo "$H"; row 24 0.5; row 1e999 0.5; } >"$T/cur-infinite.csv"
{ echo "$H"; row 24 0.5; printf '\000\377\376,binary\n'; } >"$T/cur-binary.csv"
{ echo "$H"; row 24 0.5; row 24 0.5 | head -c 40; printf '"open quote\n'; } >"$T/cur-truncated.csv"
{ echo "$H,lineItem/UsageAmount"; echo "$(row 24 0.5),3"; } >"$T/cur-duplicate-key.csv"
{ echo "$H"; row 24 0.5; printf '%s,' "$(row 24 0.5)"; head -c 5000000 /dev/zero | tr '\0' a; echo; } >"$T/cur-enormous.csv"
for k in wrong-type nan infinite binary truncated duplicate-key enormous; do
	run 1 optima-cur "$T/cur-$k.csv"
	check "optima-cur, $k: names the file and row" \
		grep -q "cur-$k.csv" "$T/err"
	check "optima-cur, $k: nothing on the standard output" [ ! -s "$T/out" ]
done
finish
