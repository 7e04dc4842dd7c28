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

# Four accounts in one region, each its own pools:
#  $A1	idle-a and idle-b, both provisioned 30/30, no traffic.
#  $A2	big, provisioned 1,000/500, no traffic; its bill shows 400 RCU and
#	200 WCU reserved.
#  $A3	big as in $A2, and busy, provisioned 1,000/500, reading 500/s and
#	writing 250/s (half its capacity: left alone); the same reserved
#	capacity, covering big.
#  $A4	big as in $A2, the same reserved capacity, and steady, on demand,
#	reading 100/s, no writes.
# Auto scaling has a minimum of 30 (--min-capacity): more than an idle
# table needs.
A1=111111111111
A2=222222222222
A3=333333333333
A4=444444444444
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
table $A4 big 1000 500
table $A4 steady 0 0
jq -c 'if .table == "steady" then .billing_mode = "PAY_PER_REQUEST" |
	.read_capacity = 0 | .write_capacity = 0 else . end' \
	"$P/tables/account=$A4/region=$R.ndjson" >tables.tmp
mv tables.tmp "$P/tables/account=$A4/region=$R.ndjson"

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
	series $A4 "$d" big null null 1000 500
	day_series "$P" $A4 $R "$d" steady "" ConsumedReadCapacityUnits 6000
	day_series "$P" $A4 $R "$d" steady "" ConsumedWriteCapacityUnits null
	i=$((i + 1))
done

# The bill of 2024-11 (720 hours): reserved capacity covered 400 RCU and
# 200 WCU of big all month, 288,000 RCU-hours and 144,000 WCU-hours, in
# $A2, $A3 and $A4; its fees on the records without a table.
mkdir -p "$P/cur"
for a in $A2 $A3 $A4; do
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

# Every type of each table's one decision, over one window.
run 0 optima-simulate --project-root $P --min-capacity 30
run 0 optima-rank --project-root $P

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
# month.  A fixed capacity of 1 read and 1 write, 730 unit-hours each,
# fits in the free tier: it costs nothing, as on demand does, and comes
# first (auto scaling, 30 units and more, does not fit); it saves all.
is_rec 1404.2 $A2 big .monthly_savings_usd
check "big of $A2: a fixed capacity of 1 read, 1 write" [ "$(rec $A2 big \
	'"\(.recommended.scenario) \(.recommended.capacity.read) \(.recommended.capacity.write)"')" = "provisioned_fixed 1 1" ]
# The bill's reserved capacity: 288,000 RCU-hours in the 720 hours of
# 2024-11, 400 RCU, 400 * 730 = 292,000 RCU-hours a month; 200 WCU,
# 146,000 WCU-hours.  Beyond them and the free tier the bill has
# 730,000 - 18,600 - 292,000 = 419,400 RCU-hours at 0.001, 419.40, and
# 365,000 - 18,600 - 146,000 = 200,400 WCU-hours at 0.002, 400.80, and
# none with 730 unit-hours each: it falls by 820.20, not 1,404.20; the
# reserved units, paid for all the same, are left unused: nothing else in
# $A2 draws on them.
is_rec 820.2 $A2 big .effective_monthly_savings_usd
is_rec 400 $A2 big .stranded_reserved.rcu
is_rec 200 $A2 big .stranded_reserved.wcu
has_reason() {
	case "$(rec "$1" "$2" .reason)" in
	*"$3"*) ok 0 "$4" ;;
	*) ok 1 "$4 (got $(rec "$1" "$2" .reason))" ;;
	esac
}
has_reason $A2 big "; frees 400 RCU and 200 WCU of reserved capacity nothing else in the account and region uses, the recommendations before it applied: the bill falls by \$820.20 a month, not \$1,404.20" \
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

# $A4: big first, as in $A2: 1,404.20 at list prices, 820.20 with the
# reservations, 400 RCU and 200 WCU left unused.
is_rec 1404.2 $A4 big .monthly_savings_usd
is_rec 820.2 $A4 big .effective_monthly_savings_usd
is_rec 400 $A4 big .stranded_reserved.rcu
# Then steady, on demand 100 reads/s * 3,600 * 730 = 262,800,000 at 1e-6:
# 262.80, goes to a fixed capacity (no growth, and auto scaling's 143
# RCU and 30 WCU cost 18 * 730 * 0.001 + 29 * 730 * 0.002 = 55.48 more):
# ceil(100 / 0.8) = 125 RCU, 91,250 RCU-hours at 0.001, 91.25, and 1 WCU,
# 730 WCU-hours at 0.002, 1.46 (big uses the free tier up): 92.71, saving
# 170.09 on its own.
is_rec 170.09 $A4 steady .monthly_savings_usd
check "steady of $A4 goes to a fixed capacity" [ "$(rec $A4 steady \
	.recommended.scenario)" = provisioned_fixed ]
# After big, the pools have big's 730 RCU-hours and 730 WCU-hours drawn
# on them: with steady's 91,250 and 730 they are 91,980 and 1,460, within
# the pools (18,600 free and 292,000 reserved RCU-hours), and the bill
# falls by all steady's on-demand cost, 262.80.  It takes up 91,980 -
# 18,600 = 73,380 RCU-hours of the reservation big left unused, 100.5
# RCU; its writes stay in the free tier.
is_rec 262.8 $A4 steady .effective_monthly_savings_usd
is_rec 100.5205479 $A4 steady .absorbed_reserved.rcu
check "steady takes up no reserved WCU" [ "$(rec $A4 steady \
	'.absorbed_reserved.wcu // "none"')" = none ]
has_reason $A4 steady "; takes up 101 RCU of reserved capacity the recommendations before it leave unused: the bill falls by \$262.80 a month, not \$170.09" \
	"the reason names the reservation taken up"
# Together: the bill had 419.40 + 400.80 beyond the pools and 262.80 on
# demand, 1,083.00, and has nothing: 820.20 + 262.80.
# ---- The totals: the joint figures ----

# The capacity changes: to on demand, 75.60 + 1,460 = 1,535.60; to
# provisioned, 262.80; 1,798.40 a month, 21,580.80 a year (their own
# savings would add up to 65.70 + 65.70 + 1,460 + 170.09 = 1,761.49).
has out "Switch to On-Demand:  3 tables -> Save \$1,536/month"
has out "Switch to Provisioned: 1 table -> Save \$263/month"
has out "Total Potential Savings: \$1,798/month (\$21,581/year)"
# All, with big's in $A2 and $A4: 1,798.40 + 820.20 + 820.20 = 3,438.80 a
# month, 41,265.60 a year (not 1,761.49 + 1,404.20 + 1,404.20 =
# 4,569.89).
run 0 optima --project-root $P list-recommendations --format markdown
has out "**Total:** 6 recommendations, \$3,438.80/month (\$41,265.60/year)"
run 0 optima --project-root $P list-recommendations
has out "Total: 6 recommendations, \$3,438.80/month (\$41,265.60/year)"
# Under it, which is which: the rows are each table's own savings,
# 1,761.49 + 1,404.20 + 1,404.20 = 4,569.89.
has out "The rows: each table's own saving (\$4,569.89 in all);"
has out "the total: the bills' change, all applied together."
# The list and the joint figures side by side.
run 0 optima --project-root $P list-recommendations --format csv
got=$(python3 -c '
import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline="")):
    if r["account"] == sys.argv[2] and r["table"] == "big":
        print(r["monthly_savings_usd"], r["effective_monthly_savings_usd"])
' "$T/out" $A2)
check "csv: big of $A2 saves 1404.20, its bill falls by 820.20 ($got)" \
	[ "$got" = "1404.20 820.20" ]

# ---- A partial run: the kept recommendations' joint figures too ----

# idle-b alone decided again: idle-a's recommendation is kept, and the
# joint figures are a full run's (65.70, then 9.90).
cp -R $P q
run 0 optima --project-root $P analyze-capacity --min-capacity 30 \
	--tables idle-b
is_rec 65.7 $A1 idle-a .effective_monthly_savings_usd
is_rec 9.9 $A1 idle-b .effective_monthly_savings_usd
run 0 optima --project-root q analyze-capacity --min-capacity 30
check "the recommendations are a full run's" cmp -s $RC q/recommendations.ndjson
# The reason of a kept recommendation names its reservation once.
run 0 optima --project-root $P analyze-capacity --min-capacity 30 \
	--tables idle-a
check "a kept reason names the reservation once" [ "$(rec $A2 big .reason |
	grep -o 'reserved capacity nothing' | wc -l)" -eq 1 ]
check "a kept reason names the reservation taken up once" [ "$(rec $A4 \
	steady .reason | grep -o 'takes up' | wc -l)" -eq 1 ]
check "and the same as a full run's" cmp -s $RC q/recommendations.ndjson

# ---- A rejected recommendation is not applied with the others ----

# In the full run's q, idle-a rejected: idle-b alone goes on demand,
# 43,800 -> 21,900 unit-hours, the billed ones 25,200 -> 3,300: 21.90 +
# 43.80 = 65.70, its own saving.  idle-a's figure is what it would
# change, as before.
RC=q/recommendations.ndjson
run 0 optima --project-root q mark "$(rec $A1 idle-a .id)" rejected
run 0 optima-rank --project-root q
is_rec 65.7 $A1 idle-a .effective_monthly_savings_usd
is_rec 65.7 $A1 idle-b .effective_monthly_savings_usd
# The capacity changes pending: to on demand 65.70 + 1,460 = 1,525.70, to
# provisioned 262.80; 1,788.50 a month, 21,462 a year.
has out "Switch to On-Demand:  2 tables -> Save \$1,526/month"
run 0 optima --project-root q list-recommendations --type capacity \
	--status pending
has out "Total: 3 recommendations, \$1,788.50/month (\$21,462.00/year)"

finish
