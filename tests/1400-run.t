#!/bin/sh
# The whole run: the README's quick start (make demo) in a clean copy of
# the source, the demo organization's known answers, and an interrupted
# optima run resumed giving what an uninterrupted one gives
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-emulator.sh
. "$OPTIMA_TOP/tests/lib-emulator.sh"
# shellcheck source=tests/lib-figures.sh
. "$OPTIMA_TOP/tests/lib-figures.sh"

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
has demo "Discovered 29 DynamoDB tables across 4 accounts"
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
# scenarios are of its own 3 days at most, from its creation, not
# of the 14-day window; too few days to rule out growth, so no fixed
# capacity (auto scaling at the defaults from its first minutes would
# throttle; tuned, its minimum carries them).
A3=333333333333
check "new-feature: judged from its creation" [ "$(jq -r 'select(.table ==
	"new-feature" and .scenario == "current" and .index == null) |
	"\(.observed_from) \(.observed_days > 2 and .observed_days <= 3)"' \
	"$D/scenarios.ndjson" | sort -u)" = "created true" ]
check "new-feature: no fixed capacity on its first days" \
	[ -z "$(jq -r 'select(.table == "new-feature" and .index == null and
	.recommended.scenario == "provisioned_fixed") | .id' \
	"$D/recommendations.ndjson")" ]
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
# tiny-queue and tiny-locks, alone in account 444444444444's us-east-1,
# provisioned 30/30 and idle: 21,900 RCU-hours and as many WCU-hours a
# month each, 43,800 together, of which the free tier's 18,600 are free
# (us-east-1: 0.00013 an RCU-hour, 0.00065 a WCU-hour).  Each, the other
# as it is, adds 21,900 of each: 2.847 + 14.235 = 17.082, and saves that
# less its cost on demand.  Together they bill 25,200 of each: 25,200 *
# 0.00078 = 19.656, and the bill falls by that less both on-demand costs,
# not by twice 17.06: the joint figures add up to it, the second one
# only what the free tier leaves.
A4=444444444444
tiny() {
	jq -r --arg t "$1" "select(.account == \"$A4\" and .table == \$t) |
		$2" "$D/recommendations.ndjson"
}
od=$(jq -s 'map(select(.account == "'$A4'" and .index == null and
	.scenario == "on_demand" and .table_class == "STANDARD") |
	.monthly_usd) | add' "$D/scenarios.ndjson")
joint=$(jq -s 'map(select(.account == "'$A4'") |
	.effective_monthly_savings_usd) | add' "$D/recommendations.ndjson")
check "tiny tables: on demand, each saving 17.082 less its cost on demand" \
	[ "$(tiny tiny-queue .recommended.billing_mode)$(tiny tiny-locks \
	.recommended.billing_mode)" = PAY_PER_REQUESTPAY_PER_REQUEST ] &&
	awk -v a="$(tiny tiny-queue .monthly_savings_usd)" -v b="$(tiny \
	tiny-locks .monthly_savings_usd)" 'BEGIN { exit !(a > 17.04 &&
	a < 17.082 && b > 17.04 && b < 17.082) }'
check "tiny tables: together the bill falls by 19.656 less both on-demand costs ($joint)" \
	near "$(awk -v o="$od" 'BEGIN { printf "%.9f", 19.656 - o }')" "$joint"

# oversized-catalog of 111111111111's us-east-1: 4,000/1,500 with 2,000
# RCU and 700 WCU of reserved capacity on the bill.  Lowered, it frees
# reserved units the account and region's other tables do not use: the
# reason names them, and the bill falls by less than the list figure.
oc() {
	jq -r "select(.account == \"111111111111\" and .table ==
		\"oversized-catalog\" and .index == null) | $1" \
		"$D/recommendations.ndjson"
}
check "oversized-catalog: reserved capacity left unused, named" \
	[ -n "$(oc '.reason | select(test("frees [0-9,]+ RCU and [0-9,]+ WCU of reserved capacity nothing else in the account and region uses"))')" ]
check "oversized-catalog: the bill falls by less than the list figure" \
	awk -v e="$(oc .effective_monthly_savings_usd)" -v l="$(oc \
	.monthly_savings_usd)" 'BEGIN { exit !(e > 0 && e < l - 100) }'
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
