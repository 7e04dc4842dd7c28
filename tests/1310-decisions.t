#!/bin/sh
# Decisions that hold at the bill (issue 21, points 7 to 9), on a project
# built by hand, against figures computed by hand: a fixed capacity for
# an on-demand table only where it is safe (no growth over the window,
# and cheaper than auto scaling by more than the minimum saving); the
# capacity changes of indexes in the change, the settings and the saving;
# a class change only when the table can make one (2 in 30 days), and
# only for a saving of its own over the minimum
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-figures.sh
. "$OPTIMA_TOP/tests/lib-figures.sh"
# shellcheck source=tests/lib-emulator.sh
. "$OPTIMA_TOP/tests/lib-emulator.sh"

A=111111111111
P=p
R=us-east-1
ST=STANDARD

# Made-up prices (tests/lib-figures.sh): each table's figures are its own.
mkdir -p "$P/tables/account=$A"
hand_prices "$P" $R

# series DAY TABLE METRIC VALUE [INDEX]: one day of one metric of a table
# (or of its INDEX), VALUE in every minute.
series() {
	day_series "$P" $A $R "$1" "$2" "${5:-}" "$3" "$4"
}

# The tables, all created long before the window, storing nothing:
#  steady	on demand, reads 500/s all along, no writes.
#  growing	on demand, reads 400/s the first 7 days, 500/s the last 7.
#  thin		on demand, reads 50/s all along, no writes.
#  wide		provisioned 100/10, reads 5/s, writes 1/s; its index by-day
#		provisioned 80/80, reads 2/s, writes 1/s.
#  quiet	provisioned 50/50, no traffic; its index by-x 50/50, none.
#  idle		provisioned 20/20, no traffic, 2 GiB.
#  cold-new	on demand, no traffic, 100 GiB; its class changed 10 days
#		ago.
#  cold-old	cold-new, its class changed 40 days ago.
#  locked	provisioned 20/20, no traffic, 100 GiB; its class changed 10
#		days ago.
#  lean		provisioned 2/2, no traffic, 100 GiB.
O=1704067200	# 2024-01-01
table() {
	printf '{"kind":"table","account":"%s","region":"%s","table":"%s","billing_mode":"%s","table_class":"%s","read_capacity":%s,"write_capacity":%s,"size_bytes":0,"created_epoch":%s,"indexes":%s,"replicas":[],"autoscaling":null%s}\n' \
		$A $R "$1" "$2" "${3:-STANDARD}" "${4:-0}" "${5:-0}" $O \
		"${6:-[]}" "${7:-}"
}
NOW=$(date +%s)
RECENT=$((NOW - 10 * 86400))
OLD=$((NOW - 40 * 86400))
GIB=1073741824
{
	table cold-new PAY_PER_REQUEST STANDARD 0 0 '[]' \
		",\"table_class_updated_epoch\":$RECENT"
	table cold-old PAY_PER_REQUEST STANDARD 0 0 '[]' \
		",\"table_class_updated_epoch\":$OLD"
	table idle PROVISIONED STANDARD 20 20
	table lean PROVISIONED STANDARD 2 2
	table locked PROVISIONED STANDARD 20 20 '[]' \
		",\"table_class_updated_epoch\":$RECENT"
	table steady PAY_PER_REQUEST
	table growing PAY_PER_REQUEST
	table thin PAY_PER_REQUEST
	table wide PROVISIONED STANDARD 100 10 \
		'[{"index":"by-day","read_capacity":80,"write_capacity":80,"size_bytes":0}]'
	table quiet PROVISIONED STANDARD 50 50 \
		'[{"index":"by-x","read_capacity":50,"write_capacity":50,"size_bytes":0}]'
} | jq -c --argjson g $GIB 'if .table == "idle" then .size_bytes = 2 * $g
	elif (.table | test("^(cold|locked|lean)")) then .size_bytes = 100 * $g
	else . end' >"$P/tables/account=$A/region=$R.ndjson"

# 14 days of metrics, 2025-03-01 to 2025-03-14 (the series of a day file
# by table, then index).
i=1
while [ $i -le 14 ]; do
	d=$(printf '2025-03-%02d' $i)
	g=400
	[ $i -le 7 ] || g=500
	for t in cold-new cold-old; do
		series "$d" $t ConsumedReadCapacityUnits null
		series "$d" $t ConsumedWriteCapacityUnits null
	done
	series "$d" growing ConsumedReadCapacityUnits $((g * 60))
	series "$d" growing ConsumedWriteCapacityUnits null
	for t in idle lean locked; do
		c=20
		[ $t != lean ] || c=2
		series "$d" $t ConsumedReadCapacityUnits null
		series "$d" $t ConsumedWriteCapacityUnits null
		series "$d" $t ProvisionedReadCapacityUnits $c
		series "$d" $t ProvisionedWriteCapacityUnits $c
	done
	series "$d" quiet ConsumedReadCapacityUnits null
	series "$d" quiet ConsumedWriteCapacityUnits null
	series "$d" quiet ProvisionedReadCapacityUnits 50
	series "$d" quiet ProvisionedWriteCapacityUnits 50
	series "$d" quiet ConsumedReadCapacityUnits null by-x
	series "$d" quiet ConsumedWriteCapacityUnits null by-x
	series "$d" quiet ProvisionedReadCapacityUnits 50 by-x
	series "$d" quiet ProvisionedWriteCapacityUnits 50 by-x
	series "$d" steady ConsumedReadCapacityUnits 30000
	series "$d" steady ConsumedWriteCapacityUnits null
	series "$d" thin ConsumedReadCapacityUnits 3000
	series "$d" thin ConsumedWriteCapacityUnits null
	series "$d" wide ConsumedReadCapacityUnits 300
	series "$d" wide ConsumedWriteCapacityUnits 60
	series "$d" wide ProvisionedReadCapacityUnits 100
	series "$d" wide ProvisionedWriteCapacityUnits 10
	series "$d" wide ConsumedReadCapacityUnits 120 by-day
	series "$d" wide ConsumedWriteCapacityUnits 60 by-day
	series "$d" wide ProvisionedReadCapacityUnits 80 by-day
	series "$d" wide ProvisionedWriteCapacityUnits 80 by-day
	i=$((i + 1))
done

S=$P/scenarios.ndjson

# Every type of each table's one decision, over one window.
run 0 optima-simulate --project-root $P
run 0 optima-rank --project-root $P

# ---- 9. Fixed capacity only where it is safe ----

# steady: on demand, 500 reads/s * 3600 * 730 = 1,314,000,000 at 1e-6:
# 1,314 a month.  Fixed: ceil(500 / 0.8) = 625 RCU * 730 h at 0.001 =
# 456.25, and 1 WCU at 0.002 = 1.46: 457.71.  Auto scaling at the
# defaults: ceil(500 / 0.7) = 715 RCU all along, 521.95, and its minimum
# 1 WCU, 1.46: 523.41.  Tuned: at 90 % the minimum 1 throttles nothing,
# ceil(500 / 0.9) = 556 RCU all along, 405.88, and 1 WCU: 407.34; the
# maximum twice the peak's capacity, ceil(2 * 500 / 0.9) = 1112 (writes:
# no demand, 1).  No growth (first 7 days and last 7 alike), but fixed
# costs 457.71 - 407.34 = 50.37 more than auto scaling: auto scaling,
# saving 1,314 - 407.34 = 906.66.
is_fig 1314 steady current $ST .monthly_usd
is_fig 457.71 steady provisioned_fixed $ST .monthly_usd
is_fig 523.41 steady provisioned_autoscaled $ST .default.monthly_usd
is_fig 407.34 steady provisioned_autoscaled $ST .monthly_usd
is_fig 500 steady current $ST .evidence.growth.read.first_avg_units_per_s
is_fig 500 steady current $ST .evidence.growth.read.last_peak_units_per_s
is_fig 7 steady current $ST .evidence.growth.days
is_rec 906.66 steady capacity .monthly_savings_usd
check "steady: tuned auto scaling" [ "$(rec steady capacity \
	.change)" = "on-demand -> auto scaling read 1-1112 at 90%, write 1-1 at 90%" ]
check "steady: the reason says why not fixed" [ "$(rec steady capacity \
	.reason)" = "steady traffic (peaks 1.0x the average): provisioned capacity costs less than on-demand; auto scaling, not a fixed capacity: a fixed capacity would cost \$50.37 more a month" ]

# growing: 400 reads/s for 7 days, then 500.  On demand: 450 on average,
# 1,182.60 a month.  Fixed: the peak, 500: 457.71 as steady's.  Auto
# scaling at the defaults: ceil(400 / 0.7) = 572 RCU for 168 hours, then
# (500 / 572 = 87% > 70% two minutes running, in the first hour of day 8)
# ceil(500 / 0.7) = 715 for 168 hours: (572 + 715) / 2 * 730 * 0.001 =
# 469.755, and 1.46 for writes: 471.215.  Tuned, 90 %: ceil(400 / 0.9) =
# 445 RCU, then (500 > 0.9 * 445 = 400.5) ceil(500 / 0.9) = 556, 4
# minutes later, the 4 minutes of 55 units a second too many well within
# the bucket (300 * 445): (445 + 556) / 2 * 730 * 0.001 = 365.365, and
# 1.46: 366.825, the maximum ceil(2 * 500 / 0.9) = 1112.  The last 7
# days' reads are 500 / 400 = 125% of the first 7 days': 25% growth, over
# 10%: auto scaling, saving 1,182.60 - 366.825 = 815.775.
is_fig 1182.6 growing current $ST .monthly_usd
is_fig 457.71 growing provisioned_fixed $ST .monthly_usd
is_fig 471.215 growing provisioned_autoscaled $ST .default.monthly_usd
is_fig 366.825 growing provisioned_autoscaled $ST .monthly_usd
is_fig 400 growing current $ST .evidence.growth.read.first_avg_units_per_s
is_fig 500 growing current $ST .evidence.growth.read.last_avg_units_per_s
is_rec 815.775 growing capacity .monthly_savings_usd
check "growing: auto scaling with its min, max and target" [ "$(rec \
	growing capacity .change)" = "on-demand -> auto scaling read 1-1112 at 90%, write 1-1 at 90%" ]
check "growing: the reason names the growth" [ "$(rec growing capacity \
	.reason)" = "steady traffic (peaks 1.1x the average): provisioned capacity costs less than on-demand; auto scaling, not a fixed capacity: demand grew 25% from the first 7 days to the last" ]
check "growing: auto scaling in the commands" [ "$(rec growing capacity \
	.apply | grep -c put-scaling-policy)" -eq 2 ]

# thin: on demand, 50 reads/s: 131.40 a month.  Fixed: ceil(50 / 0.8) =
# 63 RCU, 45.99, + 1.46 = 47.45; auto scaling at the defaults: ceil(50 /
# 0.7) = 72 RCU, 52.56, + 1.46 = 54.02; tuned: ceil(50 / 0.9) = 56 RCU,
# 40.88, + 1.46 = 42.34.  Fixed would cost 5.11 more: auto scaling,
# saving 131.40 - 42.34 = 89.06.
is_fig 47.45 thin provisioned_fixed $ST .monthly_usd
is_fig 54.02 thin provisioned_autoscaled $ST .default.monthly_usd
is_fig 42.34 thin provisioned_autoscaled $ST .monthly_usd
is_rec 89.06 thin capacity .monthly_savings_usd
check "thin: auto scaling, fixed dearer" [ "$(rec thin \
	capacity .reason)" = "steady traffic (peaks 1.0x the average): provisioned capacity costs less than on-demand; auto scaling, not a fixed capacity: a fixed capacity would cost \$5.11 more a month" ]
# With a minimum of $5 too: fixed is dearer whatever the minimum.
run 0 optima-rank --min-savings 5 --output min5.ndjson $S
is_rec 89.06 thin capacity .monthly_savings_usd min5.ndjson
check "thin at --min-savings 5: auto scaling" [ "$(rec thin capacity \
	.recommended.scenario min5.ndjson)" = provisioned_autoscaled ]

# ---- 8. Index changes are part of the decision and the saving ----

# wide: the table 100 RCU * 730 h at 0.001 = 73 and 10 WCU at 0.002 =
# 14.6; its index 80 RCU, 58.4, and 80 WCU, 116.8: 175.2; 262.8 in all.
# Reads 5/100 = 5%: under 30%, less capacity.  Fixed: the table
# ceil(5 / 0.8) = 7 RCU, 5.11, and ceil(1 / 0.8) = 2 WCU, 2.92; the index
# ceil(2 / 0.8) = 3 RCU, 2.19, and 2 WCU, 2.92: 5.11; 13.14 in all (on
# demand: 5 + 2 reads/s * 3600 * 730 at 1e-6 = 18.396, 1 + 1 writes/s at
# 2e-6 = 10.512: 28.908; auto scaling keeps 100, 10, 80 and 80 for its
# first hour at the defaults: dearer than fixed).  Tuned auto scaling, 90
# %, minimum 1: the maximum is twice the peak's capacity, ceil(2 * 5 /
# 0.9) = 12 RCU and ceil(2 * 1 / 0.9) = 3 WCU for the table, ceil(2 * 2
# / 0.9) = 5 and 3 for the index, and the capacity starts within it (12,
# 3, 5, 3); 15 minutes under 70 % scale it in to ceil(5 / 0.9) = 6,
# ceil(1 / 0.9) = 2, ceil(2 / 0.9) = 3 and 2 from minute 17: 336 hours,
# the first at the start's: the table (12 + 335 * 6) RCU-hours and (3 +
# 335 * 2) WCU-hours, the index (5 + 335 * 3) and (3 + 335 * 2): (2022 +
# 1010) * 730 / 336 * 0.001 + (673 + 673) * 730 / 336 * 0.002 =
# 12.436071, 0.70 under fixed: auto scaling.  Saving 262.8 - 12.436071 =
# 250.363929, of which the index's 175.2 - (1010 * 0.001 + 673 * 0.002) *
# 730 / 336 = 175.2 - 5.118690 = 170.081310.
is_fig 262.8 wide current $ST .monthly_usd
is_fig 13.14 wide provisioned_fixed $ST .monthly_usd
is_fig 12.436071 wide provisioned_autoscaled $ST .monthly_usd
is_rec 262.8 wide utilization .current_monthly_usd
is_rec 250.363929 wide utilization .monthly_savings_usd
check "wide: the index's change in the change" [ "$(rec wide utilization \
	.change)" = "provisioned 100 read, 10 write -> auto scaling read 1-12 at 90%, write 1-3 at 90%; index by-day: provisioned 80 read, 80 write -> auto scaling read 1-5 at 90%, write 1-3 at 90%" ]
check "wide: the index in the current and recommended settings" \
	[ "$(rec wide utilization '[.current.indexes["by-day"] | .read, .write,
	.billing_mode] + [.recommended.indexes["by-day"] | .read.max,
	.write.max, .billing_mode] | @tsv')" = "$(printf \
	'80\t80\tPROVISIONED\t5\t3\tPROVISIONED')" ]
is_rec 170.081310 wide utilization \
	'.current.indexes["by-day"].monthly_usd - .recommended.indexes["by-day"].monthly_usd'
check "wide: the reason names the index's part" [ "$(rec wide utilization \
	.reason)" = "average utilization 5% read, 10% write (under 30%): less capacity is enough; the figures include the indexes: by-day \$175.20 -> \$5.12 a month" ]
has $P/recommendations.ndjson '--resource-id table/wide/index/by-day --scalable-dimension dynamodb:index:ReadCapacityUnits --min-capacity 1 --max-capacity 5'

# quiet: no traffic; the table 50 RCU, 36.5, and 50 WCU, 73; its index
# the same: 219 in all; on demand 0 (fixed: 1 RCU and 1 WCU each, 4.38).
# To on-demand, both: saving 219, of which the index's 109.5.
is_rec 219 quiet capacity .monthly_savings_usd
check "quiet: the index goes on-demand too" [ "$(rec quiet capacity \
	.change)" = "provisioned 50 read, 50 write -> on-demand; index by-x: provisioned 50 read, 50 write -> on-demand" ]
is_rec 109.5 quiet capacity '.current.indexes["by-x"].monthly_usd'
is_rec 0 quiet capacity '.recommended.indexes["by-x"].monthly_usd'
check "quiet: no review of an index that then costs nothing" \
	[ -z "$(jq -r 'select(.index == "by-x") | .id' $P/recommendations.ndjson)" ]

# ---- 7. Table class changes are scarce ----

# cold-old and cold-new: 100 GiB at 0.5 (Standard) or 0.2 (Standard-IA):
# 50 -> 20, saving 30.  cold-old's class last changed 40 days ago: it may
# change again.  cold-new's 10 days ago: that may have been its second in
# 30 days, so no change until 30 days after it.
is_rec 30 cold-old table_class .monthly_savings_usd
check "cold-old: its class change" [ "$(rec cold-old table_class \
	.recommended.table_class)" = STANDARD_INFREQUENT_ACCESS ]
check "cold-new: no class change 10 days after the last" \
	[ -z "$(jq -r 'select(.table == "cold-new") | .id' \
	$P/recommendations.ndjson)" ]
check "the scenario records carry the last change" [ "$(fig cold-new \
	current $ST .table_class_updated_epoch)" = $RECENT ]

# locked: 20 RCU, 14.6, 20 WCU, 29.2, and 100 GiB, 50: 93.8.  On demand:
# 50 (Standard-IA: 20, but its class changed 10 days ago): saving 43.8,
# Standard kept; the evidence says from when the class may change.
is_rec 43.8 locked capacity .monthly_savings_usd
check "locked: stays Standard" [ "$(rec locked capacity \
	.recommended.table_class)" = STANDARD ]
check "locked: when its class may change" [ "$(rec locked capacity \
	'"\(.evidence.table_class_updated) \(.evidence.table_class_change_from)"')" = \
	"$(date -u -d "@$RECENT" +%Y-%m-%dT%H:%M:%SZ) $(date -u -d "@$((RECENT + 30 * 86400))" +%Y-%m-%dT%H:%M:%SZ)" ]

# idle: 20 RCU, 14.6, 20 WCU, 29.2, and 2 GiB, 1: 44.8.  On demand: 1 in
# Standard, 0.4 in Standard-IA.  The class part saves 0.6, under the $10
# minimum: on-demand in Standard, saving 43.8, no class change.  (Before:
# "provisioned 20 read, 20 write -> on-demand, Standard -> Standard-IA",
# 44.4, a class change spent on 0.6.)
is_rec 43.8 idle capacity .monthly_savings_usd
check "idle: the class stays" [ "$(rec idle capacity \
	'"\(.recommended.table_class) \(.change)"')" = \
	"STANDARD provisioned 20 read, 20 write -> on-demand" ]
check "idle: no class recommendation" [ -z "$(rec idle table_class .id)" ]
# At --min-savings 0.5, 0.6 is over it: two steps, on-demand (43.8), then
# Standard-IA (0.6).
run 0 optima-rank --min-savings 0.5 --output half.ndjson $S
is_rec 43.8 idle capacity .monthly_savings_usd half.ndjson
is_rec 0.6 idle table_class .monthly_savings_usd half.ndjson

# ---- Each change saves the minimum; its type is the change (issue 22,
# point 9) ----

# lean: 2 RCU * 730 at 0.001 = 1.46, 2 WCU at 0.002 = 2.92, 100 GiB at
# 0.5 = 50: 54.38.  On demand 50; in Standard-IA, as now: 2 * 730 *
# 0.0012 = 1.752, 2 * 730 * 0.0024 = 3.504, 100 * 0.2 = 20: 25.256; on
# demand in Standard-IA 20, the cheapest.  On demand first saves 4.38,
# under the $10 minimum, then the class 30: a change under the minimum is
# not made, so the class alone, which saves more: 54.38 - 25.256 =
# 29.124, a class recommendation whose command changes the class only.
# (Before: one table_class recommendation "provisioned 2 read, 2 write
# -> on-demand, Standard -> Standard-IA", 34.38, that switched the
# billing mode too, which the capacity summary did not count.)
is_rec 29.124 lean table_class .monthly_savings_usd
check "lean: the class only" [ "$(rec lean table_class .change)" = \
	"Standard -> Standard-IA" ]
check "lean: no capacity recommendation" [ -z "$(rec lean capacity .id)" ]
check "lean: the command changes the class" [ "$(rec lean table_class \
	.apply | grep -c -e '--table-class STANDARD_INFREQUENT_ACCESS')" -eq 1 ]
check "lean: the command leaves the mode" [ "$(rec lean table_class .apply |
	grep -c -e --billing-mode)" -eq 0 ]
check "lean: the reason, storage 92%" [ "$(rec lean table_class .reason)" = \
	"storage is 92% of the cost: Standard-IA's cheaper storage outweighs its dearer throughput (no reserved capacity for Standard-IA)" ]
# At --min-savings 0.5 both steps are worth making: on demand (4.38),
# then Standard-IA (50 - 20 = 30).
is_rec 4.38 lean capacity .monthly_savings_usd half.ndjson
is_rec 30 lean table_class .monthly_savings_usd half.ndjson

# Discovery reads TableClassSummary.LastUpdateDateTime: a table created
# in Standard-IA, its class last changed at 2026-11-01T00:00:00Z
# (1761955200); one never changed has none; a change by UpdateTable is
# the new time.
cat >org.json <<EOT
{"seed": 1, "accounts": [{"id": "$A", "name": "one"}], "regions": ["$R"],
 "tables": [
  {"account": "$A", "region": "$R", "name": "ia-table", "tableClass":
   "STANDARD_INFREQUENT_ACCESS", "classUpdated": 1761955200, "gsis": [],
   "replicas": [], "tags": {}},
  {"account": "$A", "region": "$R", "name": "std-table", "gsis": [],
   "replicas": [], "tags": {}}]}
EOT
emulator_start --org "$T/org.json" || exit 1
run 0 optima-discover --project-root e --regions $R
tab() {
	jq -r --arg t "$1" "select(.table == \$t) | $2" \
		"e/tables/account=$A/region=$R.ndjson"
}
check "discover: when the class last changed" \
	[ "$(tab ia-table .table_class_updated_epoch)" = 1761955200 ]
check "discover: never changed, no field" \
	[ "$(tab std-table .table_class_updated_epoch)" = null ]
before=$(date +%s)
run 0 awscli dynamodb update-table --table-name std-table --table-class \
	STANDARD_INFREQUENT_ACCESS --region $R
run 0 optima-discover --project-root e --regions $R
got=$(tab std-table .table_class_updated_epoch)
check "discover: a change is the new time ($got)" \
	[ "${got%.*}" -ge "$before" ] && [ "${got%.*}" -le "$(date +%s)" ]

finish
