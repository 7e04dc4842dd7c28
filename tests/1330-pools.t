#!/bin/sh
# Shared pools (issue 21, points 5 and 6), on a project built by hand,
# against figures computed by hand: the free tier of an account and
# region, the price list's 18,600 unit-hours a month, shared by its
# tables; reserved capacity already bought, from the Cost and Usage
# Report, that a saving may leave unused.  Each recommendation keeps its
# own (list) saving and has its joint, effective one: what the bill of its
# account and region falls by, applied after those before it; the totals
# add the joint figures.
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-figures.sh
. "$OPTIMA_TOP/tests/lib-figures.sh"

# Three accounts in one region, each its own pools:
#  $A1	idle-a and idle-b, both provisioned 30/30, no traffic.
#  $A2	big, provisioned 1,000/500, no traffic; its bill shows 400 RCU and
#	200 WCU reserved.
#  $A3	big as in $A2, and busy, provisioned 1,000/500, reading 500/s and
#	writing 250/s (half its capacity: left alone); the same reserved
#	capacity, covering big.
A1=111111111111
A2=222222222222
A3=333333333333
P=p
R=us-east-1

# Made-up prices (tests/lib-figures.sh), with a free tier in Standard of
# 25 units, 18,600 unit-hours a month (25 units for the 744 hours of the
# longest month, as the price list states it), and 25 GB.
hand_prices "$P" $R
sed '/"STANDARD"/s/"rcu":0,"wcu":0,"storage_gb":0/"rcu":25,"wcu":25,"rcu_hours":18600,"wcu_hours":18600,"storage_gb":25/' \
	"$P/prices/region=$R.ndjson" >prices.tmp
mv prices.tmp "$P/prices/region=$R.ndjson"

O=1704067200	# 2024-01-01
table() {
	mkdir -p "$P/tables/account=$1"
	printf '{"kind":"table","account":"%s","region":"%s","table":"%s","billing_mode":"PROVISIONED","table_class":"STANDARD","read_capacity":%s,"write_capacity":%s,"size_bytes":0,"created_epoch":%s,"indexes":[],"replicas":[],"autoscaling":null}\n' \
		"$1" $R "$2" "$3" "$4" $O >>"$P/tables/account=$1/region=$R.ndjson"
}
table $A1 idle-a 30 30
table $A1 idle-b 30 30
table $A2 big 1000 500
table $A3 big 1000 500
table $A3 busy 1000 500

# series ACCOUNT DAY TABLE READ WRITE RCU WCU: a day of a table's metrics,
# READ and WRITE consumed every minute (null: none).
series() {
	day_series "$P" "$1" $R "$2" "$3" "" ConsumedReadCapacityUnits "$4"
	day_series "$P" "$1" $R "$2" "$3" "" ConsumedWriteCapacityUnits "$5"
	day_series "$P" "$1" $R "$2" "$3" "" ProvisionedReadCapacityUnits "$6"
	day_series "$P" "$1" $R "$2" "$3" "" ProvisionedWriteCapacityUnits "$7"
}
i=1
while [ $i -le 14 ]; do
	d=$(printf '2025-03-%02d' $i)
	series $A1 "$d" idle-a null null 30 30
	series $A1 "$d" idle-b null null 30 30
	series $A2 "$d" big null null 1000 500
	series $A3 "$d" big null null 1000 500
	series $A3 "$d" busy 30000 15000 1000 500
	i=$((i + 1))
done

# The bill of 2024-11 (720 hours): reserved capacity covered 400 RCU and
# 200 WCU of big all month, 288,000 RCU-hours and 144,000 WCU-hours, in
# $A2 and in $A3; its fees on the records without a table.
mkdir -p "$P/cur"
for a in $A2 $A3; do
	printf '{"kind":"cur_usage","account":"%s","region":"%s","table":"big","billing_period":"2024-11","table_class":"STANDARD","storage_gb_month":0,"storage_usd":0,"read_request_units":0,"write_request_units":0,"rcu_hours":720000,"wcu_hours":360000,"throughput_usd":500,"replicated_write_request_units":0,"replicated_wcu_hours":0,"replicated_usd":0,"reserved":true,"reserved_rcu_hours":288000,"reserved_wcu_hours":144000,"reserved_fee_usd":0,"other_usd":0,"unblended_usd":500,"net_usd":500,"line_items":10}\n' "$a" $R
	printf '{"kind":"cur_usage","account":"%s","region":"%s","table":null,"billing_period":"2024-11","table_class":null,"storage_gb_month":0,"storage_usd":0,"read_request_units":0,"write_request_units":0,"rcu_hours":0,"wcu_hours":0,"throughput_usd":0,"replicated_write_request_units":0,"replicated_wcu_hours":0,"replicated_usd":0,"reserved":true,"reserved_rcu_hours":0,"reserved_wcu_hours":0,"reserved_fee_usd":25.92,"other_usd":0,"unblended_usd":25.92,"net_usd":25.92,"line_items":2}\n' "$a" $R
done >"$P/cur/billing_period=2024-11.ndjson"

RC=$P/recommendations.ndjson
# rec ACCOUNT TABLE JQ: a field of a table's recommendation (one each).
rec() {
	jq -r --arg a "$1" --arg t "$2" "select(.account == \$a and
	    .table == \$t and .index == null) | $3" "$RC"
}
is_rec() {
	got=$(rec "$2" "$3" "$4")
	if near "$1" "$got"; then ok 0 "$3 of $2: $4 = $1"; else
		ok 1 "$3 of $2: $4 = $1 (got $got)"; fi
}

run 0 optima --project-root $P analyze-capacity

# ---- 5. The free tier, shared ----

# $A1: idle-a and idle-b draw 30 * 730 = 21,900 RCU-hours and as many
# WCU-hours each, 43,800 together, of which 18,600 are free.  idle-a
# costs what it adds to the bill, idle-b as it is: 43,800 - 18,600 =
# 25,200 less idle-b's 21,900 - 18,600 = 3,300: 21,900 RCU-hours at 0.001,
# 21.90, and as many WCU-hours at 0.002, 43.80: 65.70; on demand, without
# traffic or storage, nothing.  Each saves 65.70 on its own.
is_rec 65.7 $A1 idle-a .monthly_savings_usd
is_rec 65.7 $A1 idle-b .monthly_savings_usd
check "idle-a and idle-b go on demand" [ "$(rec $A1 idle-a \
	.recommended.billing_mode)$(rec $A1 idle-b .recommended.billing_mode)" \
	= PAY_PER_REQUESTPAY_PER_REQUEST ]
# Together: the bill has 25,200 RCU-hours at 0.001 and 25,200 WCU-hours
# at 0.002 beyond the free tier, 25.20 + 50.40 = 75.60, and none after.
# idle-a first (the order written): 43,800 -> 21,900 unit-hours, the
# billed ones 25,200 -> 3,300: 21.90 + 43.80 = 65.70; then idle-b:
# 21,900 -> 0, billed 3,300 -> 0: 3.30 + 6.60 = 9.90.  65.70 + 9.90 =
# 75.60, the fall of the bill, not 2 x 65.70 = 131.40.
is_rec 65.7 $A1 idle-a .effective_monthly_savings_usd
is_rec 9.9 $A1 idle-b .effective_monthly_savings_usd
# What each draws on the pools, and what it saves outside them.
is_rec -21900 $A1 idle-b .pool_change.rcu_hours
is_rec -21900 $A1 idle-b .pool_change.wcu_hours
is_rec 0 $A1 idle-b .pool_change.savings_outside_usd
# The pools on the current records: the price list's 18,600, not 25 x 730.
check "the free tier is 18,600 unit-hours a month" [ "$(jq -r --arg a $A1 \
	'select(.account == $a and .table == "idle-a" and .scenario ==
	"current" and .table_class == "STANDARD") |
	"\(.pools.free.rcu_hours) \(.pools.used.rcu_hours)"' \
	$P/scenarios.ndjson)" = "18600 43800" ]

# ---- 6. Reserved capacity already bought ----

# $A2: big draws 1,000 * 730 = 730,000 RCU-hours and 500 * 730 = 365,000
# WCU-hours.  At list prices, the free tier alone: (730,000 - 18,600) *
# 0.001 = 711.40 and (365,000 - 18,600) * 0.002 = 692.80, 1,404.20 a
# month.  Auto scaling (down to 1 unit) fits in the free tier as on
# demand does, for nothing: it is the first of the two, and saves all.
is_rec 1404.2 $A2 big .monthly_savings_usd
check "big of $A2: auto scaling" [ "$(rec $A2 big .type)" = utilization ]
# The bill's reserved capacity: 288,000 RCU-hours in the 720 hours of
# 2024-11, 400 RCU, 400 * 730 = 292,000 RCU-hours a month; 200 WCU,
# 146,000 WCU-hours.  Beyond them and the free tier the bill has
# 730,000 - 18,600 - 292,000 = 419,400 RCU-hours at 0.001, 419.40, and
# 365,000 - 18,600 - 146,000 = 200,400 WCU-hours at 0.002, 400.80, and
# none with auto scaling: it falls by 820.20, not 1,404.20; the reserved
# units, paid for all the same, are left unused: nothing else in $A2
# draws on them.
is_rec 820.2 $A2 big .effective_monthly_savings_usd
is_rec 400 $A2 big .stranded_reserved.rcu
is_rec 200 $A2 big .stranded_reserved.wcu
has_reason() {
	case "$(rec "$1" big .reason)" in
	*"$2"*) ok 0 "$3" ;;
	*) ok 1 "$3 (got $(rec "$1" big .reason))" ;;
	esac
}
has_reason $A2 "frees 400 RCU and 200 WCU of reserved capacity nothing else in the account and region uses: the bill falls by \$820.20 a month, not \$1,404.20" \
	"the reason names the stranded reservation"

# $A3: busy draws 730,000 RCU-hours and 365,000 WCU-hours as well, and
# keeps them (half its capacity used).  big adds its 730,000 and 365,000
# whole (busy has used the free tier up): 730 + 730 = 1,460 at list
# prices.  With the reservations: 1,460,000 RCU-hours, 310,600 of them
# free or reserved, fall to 730,000, still beyond: 730,000 at 0.001; and
# 730,000 WCU-hours to 365,000, beyond 164,600: 365,000 at 0.002; 1,460,
# the list saving: busy absorbs the reserved units big frees.
is_rec 1460 $A3 big .monthly_savings_usd
is_rec 1460 $A3 big .effective_monthly_savings_usd
check "absorbed: no stranded reservation" [ "$(rec $A3 big \
	'.stranded_reserved // "none"')" = none ]
check "absorbed: the reason does not say it" [ "$(rec $A3 big .reason |
	grep -c 'reserved capacity nothing')" -eq 0 ]
check "busy is left alone" [ -z "$(rec $A3 busy .id)" ]

# ---- The totals: the joint figures ----

# The capacity changes: 75.60 + 1,460 = 1,535.60 a month, 18,427.20 a
# year (their own savings would add up to 65.70 + 65.70 + 1,460 =
# 1,591.40).
has out "Switch to On-Demand:  3 tables -> Save \$1,536/month"
has out "Total Potential Savings: \$1,536/month (\$18,427/year)"
# All: 75.60 + 820.20 + 1,460 = 2,355.80 a month, 28,269.60 a year (not
# 65.70 + 65.70 + 1,404.20 + 1,460 = 2,995.60).
run 0 optima --project-root $P list-recommendations --format markdown
has out "**Total:** 4 recommendations, \$2,355.80/month (\$28,269.60/year)"
run 0 optima --project-root $P list-recommendations
has out "Total: 4 recommendations, \$2,355.80/month (\$28,269.60/year)"

# ---- A partial run: the kept recommendations' joint figures too ----

# idle-b alone decided again: idle-a's recommendation is kept, and the
# joint figures are a full run's (65.70, then 9.90).
cp -R $P q
run 0 optima --project-root $P analyze-capacity --tables idle-b
is_rec 65.7 $A1 idle-a .effective_monthly_savings_usd
is_rec 9.9 $A1 idle-b .effective_monthly_savings_usd
run 0 optima --project-root q analyze-capacity
check "the recommendations are a full run's" cmp -s $RC q/recommendations.ndjson
# The reason of a kept recommendation names its stranded reservation once.
run 0 optima --project-root $P analyze-capacity --tables idle-a
check "a kept reason names the reservation once" [ "$(rec $A2 big .reason |
	grep -o 'reserved capacity nothing' | wc -l)" -eq 1 ]
check "and the same as a full run's" cmp -s $RC q/recommendations.ndjson

finish
