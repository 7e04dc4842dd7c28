#!/bin/sh
# optima discover against the emulator: exactly the organization's tables,
# auto scaling and tags; denied accounts skipped; kill -9 then --resume
# gives the files of an uninterrupted run
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-emulator.sh
. "$OPTIMA_TOP/tests/lib-emulator.sh"

# What the organization holds, from the emulator's own model: one line per
# table, "account region table billing rcu wcu autoscaling-json tags-json".
model() {
	node -e '
const org = require(process.argv[1]).makeOrg("small", 7);
const as = (a) => a ? { min: a.min, max: a.max, target: a.target } : null;
const lines = org.tables.filter((t) => process.argv[2].split(",").includes(t.region)).map((t) =>
  [t.account, t.region, t.name, t.billingMode,
   t.billingMode === "PROVISIONED" ? t.rcu : 0, t.billingMode === "PROVISIONED" ? t.wcu : 0,
   JSON.stringify(t.autoscaling ? { read: as(t.autoscaling.read), write: as(t.autoscaling.write) } : null),
   JSON.stringify(Object.fromEntries(Object.entries(t.tags).sort()))].join(" "));
console.log(lines.sort().join("\n"));' "$OPTIMA_TOP/tests/emulator/org.js" "$1"
}

# The same from a project directory's table records.
found() {
	cat "$1"/tables/*/*.ndjson | jq -r '[.account, .region, .table,
	  .billing_mode, .read_capacity, .write_capacity,
	  (.autoscaling | tojson), (.tags | to_entries | sort_by(.key) |
	  from_entries | tojson)] | join(" ")' | sort
}

emulator_start --org small --seed 7 || exit 1
regions=us-east-1,us-west-2,eu-west-1

run 0 optima --project-root p discover --use-org
has out "Discovered"
has out "across 3 accounts"
model "$regions" >"$T/want"
found p >"$T/got"
check "every table, with capacity, auto scaling and tags, as the org has them" \
	cmp -s "$T/want" "$T/got"
diff "$T/want" "$T/got" | head -5 | diag
check "three account records" [ "$(grep -c '"kind":"account"' p/accounts.ndjson)" = 3 ]
check "the management account is marked" \
	[ "$(jq -s 'map(select(.management)) | length' p/accounts.ndjson)" = 1 ]
run 0 optima-status --project-root p --check
has out "Check: 0 files with problems"
has out "discover         finished (9 units)"

# Global tables list their other regions; indexes carry their own numbers.
check "a global table names its replicas" \
	test "$(cat p/tables/*/*.ndjson | jq -s 'map(select(.replicas | length > 0)) | length')" -gt 0
check "indexes are recorded" \
	test "$(cat p/tables/*/*.ndjson | jq -s 'map(.indexes | length) | add')" -gt 0

# Filters: one region, one account, or all but one.
mgmt=$(jq -r 'select(.management) | .account' p/accounts.ndjson)
run 0 optima-discover --project-root q --use-org --regions eu-west-1 --accounts "$mgmt"
check "one account, one region" [ "$(find q/tables -name '*.ndjson' | wc -l)" = 1 ]
run 0 optima-discover --project-root r --use-org --regions eu-west-1 --skip-accounts "$mgmt"
check "all but one account" [ "$(find r/tables -name '*.ndjson' | wc -l)" = 2 ]
run 0 optima-discover --project-root s --regions us-east-1
check "without --use-org, the caller's account alone" \
	[ "$(find s/tables -name '*.ndjson' | wc -l)" = 1 ]
run 2 optima-discover --regions Mars
has err 'invalid region "Mars"'
run 2 optima-discover --accounts 12
has err 'invalid account id "12"'

# An account that denies access is skipped and reported; the rest lands.
kill "$emu_pid"
member=$(jq -r 'select(.management | not) | .account' p/accounts.ndjson | head -1)
emulator_start --org small --seed 7 --faults "deny-account=$member,throttle=dynamodb:DescribeTable@0.2" ||
	exit 1
run 1 optima-discover --project-root d --use-org
has err "account $member, region"
has err "skipped"
has out "3 of 9 account-regions not discovered"
check "the other accounts' tables are all there" \
	[ "$(find d/tables -name '*.ndjson' | wc -l)" = 6 ]
grep -v "^$member " "$T/want" >"$T/want6"
found d >"$T/got6"
check "throttled DescribeTable calls were retried: the same tables" \
	cmp -s "$T/want6" "$T/got6"
run 0 optima-status --project-root d
has out "UNFINISHED"
has out "3 units failed:"
has out "account=$member/region=eu-west-1: AccessDenied"

# The filter: account records in, table records out, in input order; the
# project directory is left alone.
jq -c "select(.account != \"$member\")" p/accounts.ndjson >"$T/targets"
(cd "$T" && optima-discover - <targets >filtered 2>filter-err)
check "filter: exit 0 when no target is denied" [ $? = 0 ]
cat p/tables/*/*.ndjson | grep -v "\"account\":\"$member\"" | sort >"$T/want-f"
sort "$T/filtered" >"$T/got-f"
check "filter: the same table records as the project's" cmp -s "$T/want-f" "$T/got-f"
check "filter: records grouped by account in input order" test \
	"$(jq -r .account "$T/filtered" | uniq | tr '\n' ' ')" = \
	"$(jq -r .account "$T/targets" | tr '\n' ' ')"
check "filter: the summary goes to standard error" grep -q Discovered "$T/filter-err"
check "filter: nothing written to the project directory" \
	[ ! -e "$T/tables" ] && [ ! -e "$T/logs" ] && [ ! -e "$T/state" ]
printf '{"kind":"table","account":"1"}\n' >"$T/bad"
run 1 optima-discover "$T/bad"
has err "bad:1: not an account record"
run 1 optima-discover --regions eu-west-1 p/accounts.ndjson
has err "account $member, region eu-west-1: access denied"
check "filter: the allowed accounts' records still come out" \
	[ "$(jq -r .account "$T/out" | sort -u | wc -l)" = 2 ]
run 2 optima-discover --resume -

# kill -9 in the middle, then --resume: the same files as without a break.
kill "$emu_pid"
emulator_start --org small --seed 7 --faults 'latency=dynamodb:150ms' || exit 1
optima-discover --project-root k --use-org --concurrency 1 >/dev/null 2>&1 &
pid=$!
sleep 1.5
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
check "interrupted: not every unit was done" \
	[ "$(find k/state/discover -name '*.done' 2>/dev/null | wc -l)" -lt 9 ]
run 0 optima-discover --project-root k --use-org --resume
(cd p && find tables accounts.ndjson -type f -exec cksum {} + | sort) >"$T/sum-p"
(cd k && find tables accounts.ndjson -type f -exec cksum {} + | sort) >"$T/sum-k"
check "resumed: byte for byte the uninterrupted run's files" \
	cmp -s "$T/sum-p" "$T/sum-k"
check "no leftover temporary files" [ -z "$(find k -name '.*.ndjson.*')" ]

# DynamoDB answered by dynalite, an independent implementation.
node --no-warnings "$OPTIMA_TOP/tests/independent-servers.js" dynalite >"$T/port" &
dyn=$!
i=0
while [ ! -s "$T/port" ] && [ "$i" -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:$(cat "$T/port")
export AWS_ENDPOINT_URL_DYNAMODB
table='{"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],'
table=$table'"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],'
table=$table'"ProvisionedThroughput":{"ReadCapacityUnits":7,"WriteCapacityUnits":3}'
# A loaded machine may take a while: each table is asked for until made.
for t in dyn-alpha dyn-beta; do
	i=0
	until "$OPTIMA_UNITS/aws-call" dynamodb CreateTable \
	    "$table,\"TableName\":\"$t\"}" >"$T/create" 2>&1 ||
	    grep -q ResourceInUseException "$T/create" || [ "$i" -gt 50 ]; do
		sleep 0.2
		i=$((i + 1))
	done
done
run 0 optima-discover --project-root y --regions us-east-1
check "dynalite's tables discovered" test "$(jq -r '[.table, .read_capacity,
    .write_capacity, .billing_mode] | join(" ")' y/tables/*/*.ndjson)" = \
    "$(printf 'dyn-alpha 7 3 PROVISIONED\ndyn-beta 7 3 PROVISIONED')"
kill "$dyn"
finish
