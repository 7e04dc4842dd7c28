#!/bin/sh
# The whole run: the README's quick start (make demo) in a clean copy of
# the source, the demo organization's known answers, and an interrupted
# optima run resumed giving what an uninterrupted one gives
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-emulator.sh
. "$OPTIMA_TOP/tests/lib-emulator.sh"

# A clean copy of the source, as a clone has it (the last commit), with the
# npm modules of this tree (setup finds them installed, as on a machine
# where make check ran before).
mkdir src
git -C "$OPTIMA_TOP" archive HEAD | tar -x -C src
for d in tests gui; do
	if [ ! -d "$OPTIMA_TOP/$d/node_modules" ] ||
	    [ ! -f "src/$d/package-lock.json" ]; then
		continue
	fi
	touch -r "$OPTIMA_TOP/$d/node_modules/.package-lock.json" \
		"src/$d/package-lock.json"
	ln -s "$OPTIMA_TOP/$d/node_modules" "src/$d/node_modules"
done
(cd src && make demo) >"$T/demo" 2>"$T/demo.err"
check "make demo succeeds in a clean copy" [ $? -eq 0 ]
sed 's/^/# /' "$T/demo.err" | tail -5
has demo "Discovered 29 DynamoDB tables across 3 accounts"
has demo "Collected metrics for 29 tables across 2 regions"
has demo "Total Potential Savings:"
has demo "The project directory:"
D=src/build/demo

# rec TABLE ACCOUNT: the types of the recommendations of a table, sorted.
rec() {
	jq -r --arg t "$1" --arg a "$2" 'select(.table == $t and
		.account == $a and .index == null) | "\(.type)=\(if .type ==
		"capacity" then .recommended.billing_mode elif .type ==
		"table_class" then .recommended.table_class else "less" end)"' \
		"$D/recommendations.ndjson" | sort | tr '\n' ' '
}
for a in 111111111111 222222222222; do
	check "$a: the spiky on-demand table stays on-demand" \
		[ -z "$(rec spiky-events $a | grep capacity)" ]
	check "$a: the steady on-demand table goes provisioned" \
		[ -n "$(rec steady-orders $a | grep 'capacity=PROVISIONED')" ]
	check "$a: the idle provisioned table goes on-demand" \
		[ -n "$(rec idle-sessions $a | grep 'capacity=PAY_PER_REQUEST')" ]
	# Standard-IA would save it cents more: not worth a class change.
	check "$a: the idle provisioned table keeps its class" [ "$(jq -r \
		--arg a $a 'select(.table == "idle-sessions" and .account ==
		$a) | .recommended.table_class' "$D/recommendations.ndjson" |
		sort -u)" = STANDARD ]
	check "$a: the over-provisioned table is right-sized" \
		[ -n "$(rec oversized-catalog $a | grep utilization)" ]
	check "$a: the large cold table goes Standard-IA" \
		[ -n "$(rec cold-archive $a | grep 'table_class=STANDARD_INFREQUENT_ACCESS')" ]
done
# new-feature, created 3 days before, on demand with steady traffic: its
# scenarios are of its own 2 days and some hours, from its creation, not
# of the 14-day window; too few days to rule out growth, so no fixed
# capacity, and auto scaling from its first minutes would throttle: it
# stays on demand.
A3=333333333333
check "new-feature: judged from its creation" [ "$(jq -r 'select(.table ==
	"new-feature" and .scenario == "current" and .index == null) |
	"\(.observed_from) \(.observed_days > 2 and .observed_days < 3)"' \
	"$D/scenarios.ndjson" | sort -u)" = "created true" ]
check "new-feature: no fixed capacity on its first days" \
	[ -z "$(rec new-feature $A3 | grep capacity)" ]
# global-sessions, on demand, a replica in each region: us-east-1's alone
# would be cheaper auto scaled, eu-west-1's (spiky) would throttle or
# cost more provisioned; AWS switches both together, so the pair stays
# on demand, with no recommendation in either region.
gs() {
	jq -r --arg r "$1" --arg s "$2" 'select(.table == "global-sessions"
		and .region == $r and .scenario == $s and .index == null and
		.table_class == "STANDARD") | .monthly_usd' "$D/scenarios.ndjson"
}
check "global-sessions: us-east-1 alone would save auto scaled" awk \
	-v a="$(gs us-east-1 provisioned_autoscaled)" -v o="$(gs us-east-1 \
	on_demand)" 'BEGIN { exit !(a < o) }'
check "global-sessions: one decision, both replicas stay on demand" \
	[ -z "$(rec global-sessions $A3 | grep capacity)" ]
run 0 optima --project-root $D status
has out "recommendations"

# Interrupted at any stage and resumed: the same recommendations.
emulator_start --org "$OPTIMA_TOP/tests/emulator/orgs/demo.json" || exit 1
run 0 optima --project-root whole run --use-org
cr=$(printf '\r')
check "no progress bar without a terminal (as from cron)" \
	[ -z "$(grep -l "$cr" "$T/out" "$T/err")" ]
check "the run is in logs/optima.log" grep -q 'rank ended with status 0' \
	whole/logs/optima.log
setsid optima --project-root cut run --use-org >"$T/cut.out" 2>&1 &
pid=$!
i=0
while [ ! -e cut/state/run/collect-pricing.done ] && [ "$i" -lt 600 ] &&
    [ -z "$(find cut/metrics -name '*.ndjson' 2>/dev/null | head -1)" ]; do
	sleep 0.05
	i=$((i + 1))
done
kill -9 "-$pid"
wait "$pid" 2>/dev/null
check "the run was cut short" [ ! -e cut/state/run/rank.done ]
run 0 optima --project-root cut run --use-org --resume
has out "discover: done before, skipped"
check "the resumed run's recommendations are the whole run's" \
	cmp -s whole/recommendations.ndjson cut/recommendations.ndjson
check "and its metrics" [ "$(snapshot whole/metrics)" = "$(snapshot cut/metrics)" ]
finish
