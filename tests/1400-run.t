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
has demo "Discovered 34 DynamoDB tables across 4 accounts"
has demo "Collected metrics for 34 tables across 3 regions"
has demo "Total Potential Savings:"
# The run looks for idle tables after the ranking, and plans the
# commitments last, each analysis with its summary.
has demo "Idle Table Analysis Results"
has demo "Commitment Analysis Results"
check "the analyses in their order: ranking, idle tables, commitments" \
	[ "$(grep -E '^(== (rank|idle|commitments|recommendations)$|[A-Z][a-z]+( [A-Z][a-z]+)* Analysis Results$)' \
	"$T/demo" | tr '\n' '|')" = "== rank|Capacity Mode Analysis Results|Table Class Analysis Results|Utilization Analysis Results|== idle|Idle Table Analysis Results|== commitments|Commitment Analysis Results|== recommendations|" ]
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

# orders-2019 of 111111111111's us-east-1: provisioned 50/20 with an
# index by-customer of 10/10, 30 GiB and 3 GiB, no read nor write in 14
# days (the account and region's other tables use its free tier, now and
# after).  Now: reads (50 + 10) x 730 x 0.00013 = 5.694, writes (20 +
# 10) x 730 x 0.00065 = 14.235, storage 33 x 0.25 = 8.25: 28.179.  Kept
# on-demand in Standard-IA: no throughput, 33 x 0.10 = 3.30, saving
# 24.879; retired: a backup of its own 30 GiB, 30 x 0.10 = 3.00 a month,
# saving 25.179.  Its capacity recommendation of the ranking gives way.
o19() {
	jq -r "select(.table == \"orders-2019\") | $1" "$D/recommendations.ndjson"
}
check "orders-2019: idle, its only recommendation" [ "$(o19 .type)" = idle ]
check "orders-2019: costs 28.179 a month now" near 28.179 \
	"$(o19 .current_monthly_usd)"
check "orders-2019: kept on-demand in Standard-IA, it saves 24.879" \
	[ "$(o19 '.recommended.billing_mode + " " + .recommended.table_class')" = \
	"PAY_PER_REQUEST STANDARD_INFREQUENT_ACCESS" ] &&
	near 24.879 "$(o19 .monthly_savings_usd)"
check "orders-2019: retired, 3.00 a month of backup, it saves 25.179" \
	near 3 "$(o19 .idle.retire.backup_monthly_usd)" &&
	near 25.179 "$(o19 .idle.retire.monthly_savings_usd)"
has demo "Idle tables to review: 1 table -> Save \$25/month"

# web-sessions of 222222222222's us-east-1: diurnal (1 + 0.6 sin), auto
# scaled at the defaults, 1-40000 at 70 %.  Auto scaling follows the
# demand at the target, so its capacity is about demand / target: tuned
# to 90 %, about 70 / 90 = 0.778 of the defaults', 22 % less, less what
# its 1 GiB of storage (0.25 a month) and the minimum's rounding take: at
# least 20 % of the defaults' cost, which the current settings cost.
ws() {
	jq -r "select(.table == \"web-sessions\" and .index == null and
		.scenario == \"provisioned_autoscaled\" and .table_class ==
		\"STANDARD\") | $1" "$D/scenarios.ndjson"
}
check "web-sessions: its settings change (utilization), to a tuned target" \
	[ "$(jq -r 'select(.table == "web-sessions") | "\(.type) \(
	.recommended.capacity.read.target > 70)"' "$D/recommendations.ndjson" |
	tr '\n' ' ')" = "utilization true " ]
check "web-sessions: tuned, it saves 20 % or more of the defaults' $(ws \
	.default.monthly_usd)" awk -v d="$(ws .default.monthly_usd)" \
	-v t="$(ws .monthly_usd)" -v c="$(ws .default.capacity.max)" \
	'BEGIN { exit !(c == 40000 && d > 0 && (d - t) / d >= 0.20) }'

# The steady fleet of 222222222222's us-west-2, provisioned without auto
# scaling at 67 % (no recommendation changes it): stock-levels 425/175,
# price-rules and shipments 400/125 each, 1,225 RCU and 425 WCU every
# hour; the free tier's 25 of each off first: 1,200 and 400, the only
# Standard capacity of the payer (111111111111) in the region, and none
# reserved.  us-west-2 (as us-east-1): 0.00013 an RCU-hour, 0.00065 a
# WCU-hour; a year's reserved unit 0.30 upfront + 0.000025 an hour (RCU),
# 1.50 + 0.000128 (WCU).  12 blocks of RCU used every hour: 1,200 x 730 x
# (0.00013 - 0.000025 - 0.30 / 8,760) = 61.98 a month; 4 of WCU: 400 x
# 730 x (0.00065 - 0.000128 - 1.50 / 8,760) = 102.42.  A 13th RCU block
# would cover nothing (92 % used: allowed, but a loss).
C=$D/commitments.ndjson
rc_of() {
	jq -r "select(.commitment == \"reserved_capacity\" and .region ==
		\"us-west-2\" and .capacity == \"$1\") | $2" "$C"
}
check "the fleet stays as it is" [ -z "$(jq -r 'select(.region ==
	"us-west-2") | .id' "$D/recommendations.ndjson")" ]
check "us-west-2: 1200 RCU of reserved capacity, all used, saving 61.98" \
	[ "$(rc_of rcu '"\(.account) \(.units) \(.utilization_pct)"')" = \
	"111111111111 1200 100" ] && near 61.98 "$(rc_of rcu .monthly_savings_usd)"
check "us-west-2: 400 WCU of reserved capacity, all used, saving 102.42" \
	[ "$(rc_of wcu '"\(.units) \(.utilization_pct)"')" = "400 100" ] &&
	near 102.42 "$(rc_of wcu .monthly_savings_usd)"
has demo "Reserved capacity 111111111111 us-west-2: 1200 RCU, 1yr -> Save \$62/month"

# The on-demand tables that stay on demand (spiky-events, cold ones,
# global-sessions...): a Database Savings Plan.  Its commitment C an hour,
# used U, buys C x U of usage at the plan's rates, on-demand less 18 %
# (request units) or 12 % (capacity left by the reserved capacity): it
# saves C x 730 x (U / (1 - d) - 1) a month, d between those two.
sp() {
	jq -r "select(.commitment == \"savings_plan\") | $1" "$C"
}
check "a Database Savings Plan for the payer, at \$$(sp .hourly_commitment_usd) an hour" \
	awk -v c="$(sp .hourly_commitment_usd)" -v a="$(sp .account)" \
	'BEGIN { exit !(a == "111111111111" && c > 0) }'
check "its saving, $(sp .monthly_savings_usd), between 12 % and 18 % off" \
	awk -v c="$(sp .hourly_commitment_usd)" -v u="$(sp .utilization_pct)" \
	-v s="$(sp .monthly_savings_usd)" 'BEGIN { u /= 100
	lo = c * 730 * (u / 0.88 - 1); hi = c * 730 * (u / 0.82 - 1)
	exit !(s > 0 && s >= lo - 0.01 && s <= hi + 0.01) }'

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
check "and its commitments" cmp -s whole/commitments.ndjson \
	cut/commitments.ndjson
check "and its metrics" [ "$(snapshot whole/metrics)" = "$(snapshot cut/metrics)" ]
finish
