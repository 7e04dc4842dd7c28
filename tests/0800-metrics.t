#!/bin/sh
# optima collect against the emulator: exactly the datapoints of the
# organization's traffic model, on one dense grid per day; windows and
# their periods; overlapping collections; throttling storms, truncated
# replies, denied accounts; kill -9 then --resume
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-emulator.sh
. "$OPTIMA_TOP/tests/lib-emulator.sh"

# oracle DIR: every series under DIR against the traffic model.
oracle() {
	cat "$1"/metrics/*/*/*.ndjson |
		node "$OPTIMA_TOP/tests/metrics-oracle.js" small 7 >"$T/oracle"
	tail -1 "$T/oracle" | grep -q '^checked [1-9]' &&
		[ "$(wc -l <"$T/oracle")" -eq 1 ]
}

# series DIR: how many series each day file holds, and of which resources.
keys() {
	for f in "$1"/metrics/*/*/*.ndjson; do
		jq -r '[.table, .index // "-", .metric] | join(" ")' "$f" | sort |
			uniq -d
	done
}

emulator_start --org small --seed 7 || exit 1
run 0 optima --project-root p discover --use-org
run 0 optima --project-root p collect --days 2
has out "Collected metrics for 28 tables across 3 regions"
has out "2 days"
has out "at 60-second periods"
check "one file per account, region and day" \
	[ "$(find p/metrics -name 'date=*.ndjson' | wc -l)" = 18 ]
check "every value is the model's (dense, null where there is no datapoint)" oracle p
sed 's/^/# /' "$T/oracle" | head -5
resources=$(cat p/tables/*/*.ndjson | jq -s 'map(1 + (.indexes | length)) | add')
check "six series per table and index and day" \
	[ "$(cat p/metrics/*/*/*.ndjson | wc -l)" = $((resources * 6 * 2)) ]
check "indexes have their own series" \
	[ "$(cat p/metrics/*/*/*.ndjson | jq -s 'map(select(.index != null)) | length')" -gt 0 ]
check "a day holds 1,440 values" \
	[ "$(head -1 "$(find p/metrics -name '*.ndjson' | head -1)" | jq '.values | length')" = 1440 ]
run 0 optima-status --project-root p --check
has out "Check: 0 files with problems"
has out "metrics          finished (18 units)"
snapshot p/metrics >"$T/snap2"

# Again, over an overlapping window: whole days replaced, none doubled.
run 0 optima --project-root p collect --days 3
check "three days now" [ "$(find p/metrics -name 'date=*.ndjson' | wc -l)" = 27 ]
check "no resource twice in a day" [ -z "$(keys p)" ]
snapshot p/metrics | grep -F -f "$T/snap2" >"$T/same" || :
check "the days collected twice are byte for byte the same" \
	[ "$(wc -l <"$T/same")" = 18 ]

# Some tables only: the day keeps the others' series.
one=$(jq -r .table p/tables/account=*/region=us-east-1.ndjson | head -1)
f=$(find p/metrics -path '*region=us-east-1*' -name '*.ndjson' | sort | head -1)
before=$(wc -l <"$f")
run 0 optima-fetch-metrics --project-root p --days 1 --tables "$one" --regions us-east-1
has out "Collected metrics for"
check "the day still holds every table's series" [ "$(wc -l <"$f")" = "$before" ]
check "and no resource twice" [ -z "$(keys p)" ]

# The filter: table records in, series out; the regex picks tables.
(cd "$T" && mkdir f && cd f && optima-fetch-metrics --days 1 --table-regex '^[a-e]' \
	"$T"/p/tables/*/*.ndjson >../filtered 2>../filter-err)
check "filter: exit 0" [ $? = 0 ]
check "filter: only the tables the regex matches" \
	[ -z "$(jq -r .table "$T/filtered" | grep -v '^[a-e]')" ]
check "filter: some series" [ "$(wc -l <"$T/filtered")" -gt 0 ]
check "filter: nothing written to the working directory" [ -z "$(ls -A "$T/f")" ]
check "filter: the summary on standard error" grep -q "Collected metrics" "$T/filter-err"
cat p/metrics/*/*/*.ndjson | sort >"$T/all"
check "filter: the same series as the project's files" \
	[ -z "$(sort "$T/filtered" | comm -23 - "$T/all")" ]

# Windows: the period follows what CloudWatch keeps at the window's start.
d20=$(date -u -d '20 days ago' +%F)
mkdir w && cp -r p/tables w/
run 0 optima-fetch-metrics --project-root w --start-date "$d20" --end-date "$d20" \
	--tables "$one" --regions us-east-1
has out "collecting at 300-second periods"
check "300-second series: 288 values" \
	[ "$(head -1 w/metrics/*/*/*.ndjson | jq '.values | length')" = 288 ]
d70=$(date -u -d '70 days ago' +%F)
run 0 optima-fetch-metrics --project-root w --start-date "$d70" --end-date "$d70" \
	--tables "$one" --regions us-east-1
has out "collecting at 3600-second periods"
check "long windows: the model's values too" oracle w
run 2 optima-fetch-metrics --end-date "$(date -u +%F)"
has err "that UTC day is not over yet"
run 1 optima-fetch-metrics --project-root w --start-date 2020-01-01 --end-date 2020-01-02
has err "CloudWatch keeps no data older than 455 days"
run 2 optima-fetch-metrics --days 3 --start-date "$d20"
run 2 optima-fetch-metrics --days 0
run 1 optima-fetch-metrics --project-root p --table-regex '('
has err "--table-regex (: missing closing parenthesis"
run 1 optima-fetch-metrics --project-root p --table-regex '(a)\1'
has err "are not in the RE2 syntax"
# A regex that backtracks for hours over a 255-byte name is stopped within
# its bounds: an error naming the record, not a hang nor a silent no.
long=$(printf '%0255d' 0 | tr 0 a)
printf '{"kind":"table","account":"111111111111","region":"us-east-1","table":"%s"}\n' \
	"$long" >"$T/long.ndjson"
run 1 timeout 10 optima-fetch-metrics --table-regex '(\w*){1,1000}\W' "$T/long.ndjson"
has err "long.ndjson:1: table \"$long\": not matched"
run 1 optima-fetch-metrics --project-root empty
has err "no tables to collect metrics for"

# A throttling storm and cut replies: retried, the same files.
kill "$emu_pid"
emulator_start --org small --seed 7 \
	--faults 'throttle=monitoring@0.3,truncate=monitoring@0.2,503=monitoring@0.1' || exit 1
cp -r p/tables p/accounts.ndjson "$T/" && mkdir s && mv "$T/tables" "$T/accounts.ndjson" s/
run 0 optima-fetch-metrics --project-root s --days 2
snapshot s/metrics >"$T/snap-s"
check "through throttles, 503s and truncated replies: the same files" \
	cmp -s "$T/snap2" "$T/snap-s"

# Every reply cut: the units fail, nothing half-written, status tells.
kill "$emu_pid"
emulator_start --org small --seed 7 --faults 'truncate=monitoring' || exit 1
mkdir t && cp -r s/tables s/accounts.ndjson t/
run 75 optima-fetch-metrics --project-root t --days 1 --regions eu-west-1
has out "account-region-days not collected"
check "nothing written" [ -z "$(find t/metrics -type f 2>/dev/null)" ]
run 0 optima-status --project-root t
has out "3 units failed"

# A denied account: its days fail, the others land.
kill "$emu_pid"
member=$(jq -r 'select(.management | not) | .account' p/accounts.ndjson | head -1)
emulator_start --org small --seed 7 --faults "deny-account=$member" || exit 1
mkdir d && cp -r s/tables s/accounts.ndjson d/
run 1 optima-fetch-metrics --project-root d --days 1
has err "account=$member/region=eu-west-1/date="
check "the other accounts' days are there" \
	[ "$(find d/metrics -name '*.ndjson' | wc -l)" = 6 ]

# kill -9 in the middle, then --resume: the files of an uninterrupted run.
kill "$emu_pid"
emulator_start --org small --seed 7 --faults 'latency=monitoring:200ms' || exit 1
mkdir k && cp -r s/tables s/accounts.ndjson k/
optima-fetch-metrics --project-root k --days 2 --concurrency 1 >/dev/null 2>&1 &
pid=$!
sleep 2
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
check "interrupted: not every unit was done" \
	[ "$(find k/state/metrics -name '*.done' 2>/dev/null | wc -l)" -lt 18 ]
run 1 optima-fetch-metrics --project-root k --days 2 --resume --tables "$one"
has err "started with other options"
run 0 optima-fetch-metrics --project-root k --days 2 --resume
snapshot k/metrics >"$T/snap-k"
check "resumed: byte for byte the uninterrupted run's files" \
	cmp -s "$T/snap2" "$T/snap-k"
check "no leftover temporary files" [ -z "$(find k -name '.*.ndjson.*')" ]
finish
