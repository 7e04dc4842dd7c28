#!/bin/sh
# Global tables are one decision (issue 21, point 4), on a project built
# by hand, against figures computed by hand: AWS switches the billing
# mode of every replica when one changes, and a provisioned global table
# must auto scale with the same write settings in every replica; so the
# replicas are decided together (the sum of their costs), never for a
# fixed capacity, in one recommendation with the saving of them all; the
# table class stays each replica's own; a replica whose region was not
# analyzed leaves the mode as it is; the commands run against the
# emulator change every replica
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-figures.sh
. "$OPTIMA_TOP/tests/lib-figures.sh"
# shellcheck source=tests/lib-emulator.sh
. "$OPTIMA_TOP/tests/lib-emulator.sh"

A=111111111111
P=p
E=eu-west-1
U=us-east-1
ST=STANDARD
GIB=1073741824

# Made-up prices (tests/lib-figures.sh), the same in both regions: a
# global table's writes are replicated writes, 3e-6 a unit on demand and
# 0.003 a WCU-hour provisioned (Standard).
mkdir -p "$P/tables/account=$A"
hand_prices "$P" $E
hand_prices "$P" $U

# The tables, created long before the window; every one global but
# single, a table of us-east-1 alone:
#  carts	in us-east-1 and eu-west-1, on demand; us-east-1 reads 500/s,
#		eu-west-1 50/s; both write 10/s (every write reaches every
#		replica).
#  orders	in us-east-1 and eu-west-1, on demand; us-east-1 reads 500/s
#		and writes 10/s all along; eu-west-1 (bursty) reads nothing
#		for 13 days, then 2000/s on the last, and writes 10/s.
#  events	in us-east-1 and eu-west-1, on demand, no writes; us-east-1
#		reads 500/s, its index by-day 100/s; eu-west-1 reads 50/s,
#		its index 10/s.
#  stock	in us-east-1 and eu-west-1, provisioned 50 read, 20 write,
#		no traffic.
#  archive	in us-east-1 (100 GiB) and eu-west-1 (nothing stored), on
#		demand, no traffic.
#  lone		in us-east-1, its replica in ap-south-1 (not in the project;
#		its "replicas" names its own region too, as DescribeTable may),
#		on demand, reads 500/s, writes 10/s.
#  single	in us-east-1, not global, on demand, reads 500/s, writes 10/s.
O=1704067200	# 2024-01-01
# table REGION NAME MODE RCU WCU REPLICAS [SIZE [INDEXES]]
table() {
	printf '{"kind":"table","account":"%s","region":"%s","table":"%s","billing_mode":"%s","table_class":"STANDARD","read_capacity":%s,"write_capacity":%s,"size_bytes":%s,"created_epoch":%s,"indexes":%s,"replicas":%s,"autoscaling":null}\n' \
		$A "$1" "$2" "$3" "$4" "$5" "${7:-0}" $O "${8:-[]}" "$6"
}
BYDAY='[{"index":"by-day","read_capacity":0,"write_capacity":0,"size_bytes":0}]'
{
	table $E archive PAY_PER_REQUEST 0 0 "[\"$U\"]"
	table $E carts PAY_PER_REQUEST 0 0 "[\"$U\"]"
	table $E events PAY_PER_REQUEST 0 0 "[\"$U\"]" 0 "$BYDAY"
	table $E orders PAY_PER_REQUEST 0 0 "[\"$U\"]"
	table $E stock PROVISIONED 50 20 "[\"$U\"]"
} >"$P/tables/account=$A/region=$E.ndjson"
{
	table $U archive PAY_PER_REQUEST 0 0 "[\"$E\"]" $((100 * GIB))
	table $U carts PAY_PER_REQUEST 0 0 "[\"$E\"]"
	table $U events PAY_PER_REQUEST 0 0 "[\"$E\"]" 0 "$BYDAY"
	table $U lone PAY_PER_REQUEST 0 0 "[\"$U\",\"ap-south-1\"]"
	table $U orders PAY_PER_REQUEST 0 0 "[\"$E\"]"
	table $U single PAY_PER_REQUEST 0 0 '[]'
	table $U stock PROVISIONED 50 20 "[\"$E\"]"
} >"$P/tables/account=$A/region=$U.ndjson"

# series REGION DAY TABLE METRIC VALUE [INDEX]: one day of one metric of
# a table (or of its INDEX), VALUE in every minute.
series() {
	day_series "$P" $A "$1" "$2" "$3" "${6:-}" "$4" "$5"
}
# traffic REGION DAY TABLE READS WRITES [INDEX]: reads and writes a
# minute.
traffic() {
	series "$1" "$2" "$3" ConsumedReadCapacityUnits "$4" "${6:-}"
	series "$1" "$2" "$3" ConsumedWriteCapacityUnits "$5" "${6:-}"
}

# 14 days of metrics, 2025-03-01 to 2025-03-14 (the series of a day file
# by table).
i=1
while [ $i -le 14 ]; do
	d=$(printf '2025-03-%02d' $i)
	burst=null
	[ $i -lt 14 ] || burst=120000
	for r in $E $U; do
		traffic "$r" "$d" archive null null
	done
	traffic $E "$d" carts 3000 600
	traffic $U "$d" carts 30000 600
	traffic $E "$d" events 3000 null
	traffic $E "$d" events 600 null by-day
	traffic $U "$d" events 30000 null
	traffic $U "$d" events 6000 null by-day
	traffic $U "$d" lone 30000 600
	traffic $E "$d" orders $burst 600
	traffic $U "$d" orders 30000 600
	traffic $U "$d" single 30000 600
	for r in $E $U; do
		traffic "$r" "$d" stock null null
		series "$r" "$d" stock ProvisionedReadCapacityUnits 50
		series "$r" "$d" stock ProvisionedWriteCapacityUnits 20
	done
	i=$((i + 1))
done

S=$P/scenarios.ndjson
RC=$P/recommendations.ndjson
# figr REGION TABLE SCENARIO JQ: a figure of a table's Standard scenario
# record in REGION.
figr() {
	jq -r --arg g "$1" --arg t "$2" --arg s "$3" "select(.region == \$g and
	    .table == \$t and .scenario == \$s and .table_class == \"$ST\" and
	    .index == null) | $4" $S
}
is_figr() {
	got=$(figr "$2" "$3" "$4" "$5")
	if near "$1" "$got"; then ok 0 "$2 $3 $4 $5 = $1"; else
		ok 1 "$2 $3 $4 $5 = $1 (got $got)"; fi
}

# Every type of each table's one decision, over one window.
run 0 optima-simulate --project-root $P
run 0 optima-rank --project-root $P
cp $RC full.ndjson
cp err full.err

# ---- the scenario records carry the replicas ----

check "carts: the current records name the replicas" [ "$(figr $U carts \
	current '.replicas | join(" ")')" = $E ]
check "single: no replicas on its records" [ "$(jq -r 'select(.table ==
	"single") | .replicas' $S | sort -u)" = null ]

# ---- carts: each replica alone would take a fixed capacity ----

# us-east-1: reads 500/s: 500 * 3600 * 730 = 1,314,000,000 units a month
# at 1e-6, 1,314; writes 10/s: 26,280,000 replicated units at 3e-6,
# 78.84: on demand 1,392.84.  Fixed: ceil(500 / 0.8) = 625 RCU * 730 h at
# 0.001 = 456.25, ceil(10 / 0.8) = 13 WCU * 730 at 0.003 = 28.47: 484.72.
# Auto scaling: ceil(500 / 0.7) = 715 RCU, 521.95, ceil(10 / 0.7) = 15
# WCU, 32.85: 554.80.  Fixed would save 70.08 more than auto scaling.
is_figr 1392.84 $U carts current .monthly_usd
is_figr 484.72 $U carts provisioned_fixed .monthly_usd
is_figr 554.8 $U carts provisioned_autoscaled .monthly_usd
# eu-west-1: reads 50/s, 131.40, and the same writes, 78.84: 210.24.
# Fixed: ceil(50 / 0.8) = 63 RCU, 45.99, + 28.47 = 74.46.  Auto scaling:
# ceil(50 / 0.7) = 72 RCU, 52.56, + 32.85 = 85.41.  Fixed would save
# 10.95 more, over the $10 minimum: alone, fixed too.
is_figr 210.24 $E carts current .monthly_usd
is_figr 74.46 $E carts provisioned_fixed .monthly_usd
is_figr 85.41 $E carts provisioned_autoscaled .monthly_usd
# single, the same traffic as carts of us-east-1 but not global (its
# writes plain, 52.56 on demand at 2e-6, 18.98 for 13 WCU at 0.002): on
# demand 1,366.56, fixed 475.23; auto scaling, tuned (not being global)
# to 90 % with minimum 1, which throttles nothing: ceil(500 / 0.9) = 556
# RCU, 405.88, and ceil(10 / 0.9) = 12 WCU, 17.52: 423.40, cheaper than
# fixed; the decision of a table alone, saving 1,366.56 - 423.40 =
# 943.16.  (The global tables below keep the defaults, 1-40000 at 70 %.)
is_rec 943.16 single capacity .monthly_savings_usd
check "single: auto scaling" [ "$(rec single capacity \
	.recommended.scenario)" = provisioned_autoscaled ]

# Together, never fixed: on demand 1,392.84 + 210.24 = 1,603.08; auto
# scaling 554.80 + 85.41 = 640.21: auto scaling in both, saving 962.87
# (60.06%, 11,554.44 a year), one recommendation, in eu-west-1 (the
# first region of the replicas).
check "carts: one recommendation" [ "$(rec carts capacity .id | wc -l)" \
	-eq 1 ] && [ "$(jq -r 'select(.table == "carts") | .id' $RC |
	wc -l)" -eq 1 ]
check "carts: in eu-west-1" [ "$(rec carts capacity .region)" = $E ]
is_rec 1603.08 carts capacity .current_monthly_usd
is_rec 640.21 carts capacity .recommended_monthly_usd
is_rec 962.87 carts capacity .monthly_savings_usd
is_rec 11554.44 carts capacity .annual_savings_usd
is_rec 60.0637523 carts capacity .savings_pct
check "carts: auto scaling" [ "$(rec carts capacity .change)" = \
	"on-demand -> auto scaling 1-40000 at 70%, in every replica ($E, $U)" ]
check "carts: the replicas' settings" [ "$(rec carts capacity \
	'[.replicas[] | .region, .current.scenario, .recommended.scenario] |
	join(" ")')" = \
	"$E current provisioned_autoscaled $U current provisioned_autoscaled" ]
is_rec 124.83 carts capacity '.replicas[0].monthly_savings_usd'
is_rec 838.04 carts capacity '.replicas[1].monthly_savings_usd'
check "carts: the reason" [ "$(rec carts capacity .reason)" = "global table: its 2 replicas change together (eu-west-1 \$210.24 -> \$85.41, us-east-1 \$1392.84 -> \$554.80): provisioned capacity costs less than on-demand for them all; auto scaling, not a fixed capacity: the replicas of a global table share their write settings" ]
# The commands: the mode from eu-west-1 (AWS changes every replica), at
# the highest fixed capacity of the replicas, 625 read and 13 write;
# then, in each region once the change is done there, auto scaling of
# reads and writes, 1 to 40000 at 70%.
rec carts capacity .apply >carts.sh
check "carts: the mode changed once, from eu-west-1" [ "$(grep -c \
	'^aws dynamodb update-table' carts.sh)" -eq 1 ] && grep -q "^aws \
dynamodb update-table --table-name carts --billing-mode PROVISIONED \
--provisioned-throughput ReadCapacityUnits=625,WriteCapacityUnits=13 \
--region $E\$" carts.sh
for r in $E $U; do
	check "carts: auto scaling in $r" [ "$(grep -c "register-scalable-target.*--min-capacity 1 --max-capacity 40000 --region $r\$" \
		carts.sh)" -eq 2 ] && [ "$(grep -c \
		"put-scaling-policy.*\"TargetValue\":70.*--region $r\$" \
		carts.sh)" -eq 2 ] && grep -q \
		"^aws dynamodb wait table-exists --table-name carts --region $r\$" \
		carts.sh
done
check "carts: sh -n" sh -n carts.sh

# ---- events: indexes change with their table, in every replica ----

# us-east-1: on demand, reads 500/s, 1,314, and its index's 100/s,
# 262.80: 1,576.80.  Auto scaling: the table 715 RCU, 521.95, and 1 WCU
# (replicated, 0.003), 2.19; the index ceil(100 / 0.7) = 143 RCU, 104.39,
# and 1 WCU (its writes are not replicated, 0.002), 1.46: 629.99.
# eu-west-1: on demand 50 + 10 reads/s, 157.68.  Auto scaling: 72 RCU,
# 52.56, 2.19; the index ceil(10 / 0.7) = 15 RCU, 10.95, 1.46: 67.16.
# Together 1,734.48 -> 697.15: auto scaling, saving 1,037.33.
is_figr 1576.8 $U events current .monthly_usd
is_figr 629.99 $U events provisioned_autoscaled .monthly_usd
is_figr 67.16 $E events provisioned_autoscaled .monthly_usd
is_rec 1037.33 events capacity .monthly_savings_usd
check "events: the index in the change" [ "$(rec events capacity \
	.change)" = "on-demand -> auto scaling 1-40000 at 70%; index by-day: on-demand -> auto scaling 1-40000 at 70%, in every replica ($E, $U)" ]
# The mode changes at the highest fixed capacity of the replicas: the
# table ceil(500 / 0.8) = 625 read and 1 write, the index ceil(100 / 0.8)
# = 125 read and 1 write (both us-east-1's); then the table and its
# index auto scaled in each region.
rec events capacity .apply >events.sh
has events.sh "aws dynamodb update-table --table-name events --billing-mode PROVISIONED --provisioned-throughput ReadCapacityUnits=625,WriteCapacityUnits=1 --global-secondary-index-updates '[{\"Update\":{\"IndexName\":\"by-day\",\"ProvisionedThroughput\":{\"ReadCapacityUnits\":125,\"WriteCapacityUnits\":1}}}]' --region $E"
for r in $E $U; do
	check "events: the index auto scaled in $r" [ "$(grep -c \
		"register-scalable-target .*table/events/index/by-day.*--region $r\$" \
		events.sh)" -eq 2 ]
done

# ---- orders: the bursty replica keeps the pair on demand ----

# us-east-1 as carts': alone, fixed, saving 908.12.  eu-west-1: 2000
# reads/s for 1 of the 14 days: 172,800,000 units, 375,428,571.43 a
# month at 1e-6, 375.43, and writes 78.84: 454.27 on demand.  Its fixed
# capacity is ceil(2000 / 0.8) = 2500 RCU, 1,825, + 28.47 = 1,853.47;
# auto scaling starts at 1 RCU and throttles when the burst comes, over
# the throttle budget (0 minutes); its demand grew from none.  Alone it
# stays on demand.  Together: no fixed capacity for a global table, and
# auto scaling throttles in eu-west-1: on demand, as they are; no
# recommendation of orders at all.
is_figr 1392.84 $U orders current .monthly_usd
is_figr 454.2685714 $E orders current .monthly_usd
is_figr 1853.47 $E orders provisioned_fixed .monthly_usd
check "orders: auto scaling would throttle in eu-west-1" [ "$(figr $E \
	orders provisioned_autoscaled '.throttled_minutes > 0')" = true ]
check "orders: no recommendation" [ -z "$(jq -r 'select(.table ==
	"orders") | .id' $RC)" ]
# With a throttle budget of 100 minutes auto scaling may throttle: in
# eu-west-1, 1 RCU for 13 days (312 RCU-hours), then 2000/s from the
# last day's first minute: over 70% of 1 two minutes running, at the
# end of the second minute, in effect 2 minutes later: ceil(2000 / 0.7)
# = 2858 RCU from the fifth minute, billed for the day's 24 hours,
# 68,592: 68,904 RCU-hours in 14 days, 149,702.14 a month at 0.001,
# 149.70; 15 WCU, 32.85: 182.55.  Throttled the 4 minutes before, 8.69 a
# month.  Together: 554.80 + 182.55 = 737.35 against 1,392.84 + 454.27
# = 1,847.11 on demand: auto scaling, saving 1,109.76.
is_figr 182.5521429 $E orders provisioned_autoscaled .monthly_usd
is_figr 8.6904762 $E orders provisioned_autoscaled .throttled_minutes
run 0 optima-rank --throttle-budget 100 --output budget.ndjson $S
is_rec 1109.7564286 orders capacity .monthly_savings_usd budget.ndjson
check "orders at a budget of 100: auto scaling, never fixed" [ "$(rec \
	orders capacity '[.replicas[].recommended.scenario] | unique |
	join(" ")' budget.ndjson)" = provisioned_autoscaled ]

# ---- stock: provisioned, goes on demand as one ----

# Each replica: 50 RCU * 730 h at 0.001 = 36.5, 20 WCU * 730 at 0.003 =
# 43.8: 80.3; on demand without traffic, 0 (auto scaling at its minimum
# 1 RCU and 1 WCU, 2.92).  Together 160.6, saving 160.6: one command,
# from eu-west-1.
is_figr 80.3 $U stock current .monthly_usd
is_rec 160.6 stock capacity .monthly_savings_usd
check "stock: in eu-west-1, one command" [ "$(rec stock capacity \
	'"\(.region)|\(.apply)"')" = "$E|aws dynamodb update-table --table-name stock --billing-mode PAY_PER_REQUEST --region $E" ]

# ---- archive: the class stays each replica's own ----

# us-east-1: 100 GiB at 0.5, 50, or 0.2 in Standard-IA, 20: saving 30,
# in us-east-1.  eu-west-1 stores nothing: no change.  No traffic: the
# mode stays.
is_rec 30 archive table_class .monthly_savings_usd
check "archive: Standard-IA in us-east-1 only" [ "$(rec archive \
	table_class '"\(.region) \(.recommended.table_class)"')" = \
	"$U STANDARD_INFREQUENT_ACCESS" ]
check "archive: no capacity change" [ -z "$(rec archive capacity .id)" ]

# ---- lone: a replica not analyzed ----

# As single, alone it would go fixed; its replica in ap-south-1 is not in
# the project: the pair's saving is not known, no change of mode, said.
check "lone: no recommendation" [ -z "$(jq -r 'select(.table == "lone") |
	.id' $RC)" ]
has full.err "global table lone of $A: its replica in ap-south-1 was not analyzed: no change of its capacity settings"

# ---- never a fixed capacity for a global table ----

check "no global table recommended a fixed capacity" [ -z "$(jq -r \
	'select(.replicas != null) | select(.recommended.scenario ==
	"provisioned_fixed" or any(.replicas[]; .recommended.scenario ==
	"provisioned_fixed")) | .id' $RC budget.ndjson)" ]

# ---- a run restricted by --tables decides a global table whole ----

run 0 optima --project-root $P analyze-capacity --tables carts
check "--tables carts: the same recommendations" cmp -s $RC full.ndjson
check "--tables carts: both replicas simulated again" [ "$(jq -r \
	'select(.table == "carts") | "\(.region) \(.partial_run)"' $S |
	sort -u | tr '\n' ' ')" = "$E 1 $U 1 " ]
# Only us-east-1's replica simulated again: decided with eu-west-1's
# records as they were, the same.
run 0 optima-simulate --project-root $P --tables carts --regions $U
run 0 optima-rank --project-root $P
check "carts of us-east-1 alone simulated: the same recommendations" \
	cmp -s $RC full.ndjson
is_rec 962.87 carts capacity .monthly_savings_usd
# And a restricted run of another table keeps carts' as it was.
run 0 optima --project-root $P analyze-capacity --tables single
check "--tables single: carts kept" [ "$(rec carts capacity .id)" = \
	"$(rec carts capacity .id full.ndjson)" ] &&
	cmp -s $RC full.ndjson
# The class analysis is a view of the same decisions: the global
# tables' capacity recommendations stay, archive's class is decided again.
run 0 optima --project-root $P analyze-table-class
check "analyze-table-class: the capacity recommendations kept" [ "$(jq -c \
	'select(.type == "capacity")' $RC | sort)" = "$(jq -c \
	'select(.type == "capacity")' full.ndjson | sort)" ]
is_rec 30 archive table_class .monthly_savings_usd

# ---- the commands, run: both replicas change ----

# carts and events of the emulator's organization: global tables of
# eu-west-1 and us-east-1, on demand.  carts.sh (above) changes the mode
# from eu-west-1 (the emulator, as AWS, changes every replica), at 625
# read and 13 write, then auto scales both replicas, reads and writes, 1
# to 40000; events.sh the same for events and its index.
cat >org.json <<EOT
{"seed": 1, "accounts": [{"id": "$A", "name": "one"}],
 "regions": ["$E", "$U"],
 "tables": [
  {"account": "$A", "region": "$E", "name": "carts",
   "billingMode": "PAY_PER_REQUEST", "read": 50, "write": 10, "gsis": [],
   "replicas": ["$U"], "tags": {}},
  {"account": "$A", "region": "$U", "name": "carts",
   "billingMode": "PAY_PER_REQUEST", "read": 500, "write": 10, "gsis": [],
   "replicas": ["$E"], "tags": {}},
  {"account": "$A", "region": "$E", "name": "events",
   "billingMode": "PAY_PER_REQUEST", "read": 50, "write": 0,
   "gsis": [{"name": "by-day", "read": 10, "write": 0}],
   "replicas": ["$U"], "tags": {}},
  {"account": "$A", "region": "$U", "name": "events",
   "billingMode": "PAY_PER_REQUEST", "read": 500, "write": 0,
   "gsis": [{"name": "by-day", "read": 100, "write": 0}],
   "replicas": ["$E"], "tags": {}}]}
EOT
emulator_start --org "$T/org.json" || exit 1
mkdir bin
cat >bin/aws <<'EOF'
#!/bin/sh
exec /usr/bin/aws --endpoint-url "$AWS_ENDPOINT_URL" "$@"
EOF
chmod +x bin/aws
st=0
PATH="$T/bin:$PATH" sh carts.sh >sh.out 2>&1 || st=$?
PATH="$T/bin:$PATH" sh events.sh >>sh.out 2>&1 || st=$?
check "carts.sh and events.sh run (exit 0)" [ $st -eq 0 ]
[ $st -eq 0 ] || diag <sh.out
for r in $E $U; do
	check "carts in $r: provisioned, 625 read, 13 write" [ "$(awscli \
		dynamodb describe-table --table-name carts --region "$r" |
		jq -r '.Table | "\(.BillingModeSummary.BillingMode //
		"PROVISIONED") \(.ProvisionedThroughput.ReadCapacityUnits) \(
		.ProvisionedThroughput.WriteCapacityUnits)"')" = \
		"PROVISIONED 625 13" ]
	check "carts in $r: reads and writes auto scaled, 1 to 40000" \
		[ "$(awscli application-autoscaling describe-scalable-targets \
		--service-namespace dynamodb --region "$r" | jq -r \
		'[.ScalableTargets[] | select(.ResourceId == "table/carts") |
		"\(.ResourceId) \(.ScalableDimension) \(
		.MinCapacity) \(.MaxCapacity)"] | join(",")')" = \
		"table/carts dynamodb:table:ReadCapacityUnits 1 40000,table/carts dynamodb:table:WriteCapacityUnits 1 40000" ]
	check "events in $r: provisioned, its index 125 read, 1 write" \
		[ "$(awscli dynamodb describe-table --table-name events \
		--region "$r" | jq -r '.Table |
		[.BillingModeSummary.BillingMode // "PROVISIONED",
		(.GlobalSecondaryIndexes[0].ProvisionedThroughput |
		.ReadCapacityUnits, .WriteCapacityUnits)] | map(tostring) |
		join(" ")')" = "PROVISIONED 125 1" ]
	check "events in $r: the table and its index auto scaled" [ "$(awscli \
		application-autoscaling describe-scalable-targets \
		--service-namespace dynamodb --region "$r" | jq -r \
		'[.ScalableTargets[] | select(.ResourceId | startswith(
		"table/events"))] | length')" -eq 4 ]
done

finish
