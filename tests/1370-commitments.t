#!/bin/sh
# Commitments (issue 24), on a project built by hand, against figures
# computed by hand: reserved capacity sized on the hourly usage after the
# pending and accepted recommendations, the reservations already bought
# served first; a Database Savings Plan on the on-demand usage left.
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-figures.sh
. "$OPTIMA_TOP/tests/lib-figures.sh"

M=111111111111	# the management account: the payer
A=222222222222	# a member account
P=p
R=us-east-1

# Made-up prices (tests/lib-figures.sh: an RCU-hour 0.001, a WCU-hour
# 0.002, a read request unit 1e-6; no free tier), with made-up reserved
# terms for a year: an RCU 0.3 upfront and 0.0002 an hour, a WCU 0.6 and
# 0.0004; and a Database Savings Plan rate for Standard reads of 8e-7.
hand_prices "$P" $R
jq -c 'if .table_class == "STANDARD" then .reserved = [
	{"capacity":"rcu","term":"1yr","upfront":0.3,"hour":0.0002},
	{"capacity":"wcu","term":"1yr","upfront":0.6,"hour":0.0004}]
	else .reserved = [] end' "$P/prices/region=$R.ndjson" >prices.tmp
mv prices.tmp "$P/prices/region=$R.ndjson"
mkdir -p "$P/prices/savings_plans"
printf '{"kind":"savings_plan_rate","region":"%s","plan":"Database","term":"1yr","purchase_option":"No Upfront","table_class":"STANDARD","dimension":"read_request_unit","usage_type":"ReadRequestUnits","operation":"PayPerRequestThroughput","unit":"ReadRequestUnits","currency":"USD","rate":8e-07,"on_demand":1e-06,"discount_pct":20,"sku":"X","source":"file"}\n' $R \
	>"$P/prices/savings_plans/region=$R.ndjson"
printf '{"kind":"account","account":"%s","name":"mgmt","management":true}\n{"kind":"account","account":"%s","name":"member","management":false}\n' \
	$M $A >"$P/accounts.ndjson"

# Two days, 2025-03-01 and 02 (48 hours):
#  $M steady	provisioned 450 read, 100 write, all 48 hours (half used);
#  $A day	provisioned 300 read, 1 write, created at the start of
#		the second day: 0 the first 24 hours, 300 the last 24;
#  $A mover	provisioned 100 read, 100 write, idle: a pending
#		recommendation moves it to on-demand;
#  $A od	on demand, reading 100 a second (360,000 units an hour).
D1=1740787200	# 2025-03-01
D2=1740873600	# 2025-03-02
table() {
	mkdir -p "$P/tables/account=$1"
	printf '{"kind":"table","account":"%s","region":"%s","table":"%s","billing_mode":"%s","table_class":"STANDARD","read_capacity":%s,"write_capacity":%s,"size_bytes":0,"created_epoch":%s,"indexes":[],"replicas":[],"autoscaling":null}\n' \
		"$1" $R "$2" "$3" "$4" "$5" "$6" >>"$P/tables/account=$1/region=$R.ndjson"
}
table $M steady PROVISIONED 450 100 $D1
table $A day PROVISIONED 300 1 $D2
table $A mover PROVISIONED 100 100 $D1
table $A od PAY_PER_REQUEST 0 0 $D1
series() {
	day_series "$P" "$1" $R "$2" "$3" "" ConsumedReadCapacityUnits "$4"
	day_series "$P" "$1" $R "$2" "$3" "" ConsumedWriteCapacityUnits "$5"
	day_series "$P" "$1" $R "$2" "$3" "" ProvisionedReadCapacityUnits "$6"
	day_series "$P" "$1" $R "$2" "$3" "" ProvisionedWriteCapacityUnits "$7"
}
# A day file's series are in order of table.
for d in 2025-03-01 2025-03-02; do
	series $M $d steady 13500 3000 450 100
	[ $d = 2025-03-01 ] || series $A $d day 9000 null 300 1
	series $A $d mover null null 100 100
	day_series "$P" $A $R $d od "" ConsumedReadCapacityUnits 6000
	day_series "$P" $A $R $d od "" ConsumedWriteCapacityUnits null
done

# The pending recommendation that moves mover to on-demand.
printf '{"kind":"recommendation","id":"cap-0000000000000001","type":"capacity","account":"%s","region":"%s","table":"mover","index":null,"current":{"billing_mode":"PROVISIONED","table_class":"STANDARD","scenario":"current"},"recommended":{"billing_mode":"PAY_PER_REQUEST","table_class":"STANDARD","scenario":"on_demand"},"current_monthly_usd":219,"recommended_monthly_usd":0,"monthly_savings_usd":219,"annual_savings_usd":2628,"savings_pct":100,"confidence":"high","reason":"idle","status":"pending","apply":null}\n' \
	$A $R >"$P/recommendations.ndjson"

run 0 optima-simulate --project-root $P --days 2
U=$P/usage/account=$A/region=$R.ndjson
check "the hourly usage of account $A" test -s "$U"
check "day's 48 hours: 24 of none, then 24 of 300 read" [ "$(jq -c \
	'select(.table == "day") | [.start, .hours, .current.rcu]' "$U")" = \
	"[$D2,24,300]" ]
check "od's read request units: 360,000 an hour" [ "$(jq -c \
	'select(.table == "od") | .read_request_units' "$U")" = 360000 ]

C=$P/commitments.ndjson
# cm COMMITMENT CAPACITY JQ: a field of a commitment record.
cm() {
	jq -r --arg c "$1" --arg d "$2" "select(.commitment == \$c and
	    (\$d == \"\" or .capacity == \$d)) | $3" "$C"
}
is_cm() {
	got=$(cm "$2" "$3" "$4")
	if near "$1" "$got"; then ok 0 "$2 $3: $4 = $1"; else
		ok 1 "$2 $3: $4 = $1 (got $got)"; fi
}

# ---- Reserved capacity, after the changes ----
#
# Read, after mover goes on-demand: 450 the first 24 hours, 750 the last
# 24, all of payer $M's region.  A reserved RCU costs 0.0002 an hour and
# 0.3 / 8,760 = 0.0000342466 of its fee an hour: 0.0002342466; on
# demand an RCU-hour is 0.001.  For N units over the 48 hours:
#   N = 400: covered 19,200, all used; net 19.2 - 400 * 48 * 0.0002342466
#	= 19.2 - 4.4975342 = 14.7024658
#   N = 500: covered 450 * 24 + 500 * 24 = 22,800 of 24,000: 95 %;
#	net 22.8 - 500 * 48 * 0.0002342466 = 22.8 - 5.6219178 = 17.1780822
#   N = 600: covered 450 * 24 + 600 * 24 = 25,200 of 28,800: 87.5 %,
#	under 90 %: refused; its net, 25.2 - 6.7463014 = 18.4536986, is
#	1.2756164 more than 500's.
# 500 it is: a month, 17.1780822 * 730 / 48 = 261.2500; the next 100,
# 1.2756164 * 730 / 48 = 19.4000.  Upfront 500 * 0.3 = 150; a month
# without the fee saves (22.8 - 500 * 48 * 0.0002) * 730 / 48 =
# 18 * 730 / 48 = 273.75: even in month 1.
run 0 optima-commit --project-root $P
is_cm 500 reserved_capacity rcu .units
is_cm 95 reserved_capacity rcu .utilization_pct
is_cm 261.25 reserved_capacity rcu .monthly_savings_usd
is_cm 3135 reserved_capacity rcu .annual_savings_usd
is_cm 19.4 reserved_capacity rcu .next_block_monthly_usd
is_cm 150 reserved_capacity rcu .upfront_usd
is_cm 0.1 reserved_capacity rcu .hourly_usd
is_cm 1 reserved_capacity rcu .break_even_month
is_cm 750 reserved_capacity rcu .usage.planned.max_units
is_cm 850 reserved_capacity rcu .usage.today.max_units
check "the purchase is the payer's" [ "$(cm reserved_capacity rcu \
	.account)" = $M ]
check "a purchase to review: no command" [ "$(cm reserved_capacity rcu \
	.apply)" = null ]
# Write: 100 every hour (steady's; mover's goes): 100 WCU, all used; a
# reserved WCU costs 0.0004 + 0.6 / 8,760 = 0.0004684932 an hour, 0.002
# on demand: 100 * 48 * 0.0015315068 = 7.3512329 a window, 111.8 a month.
is_cm 100 reserved_capacity wcu .units
is_cm 111.8 reserved_capacity wcu .monthly_savings_usd

# ---- A Savings Plan on the on-demand usage ----
# od reads 360,000 units an hour, 0.36 on demand, 0.288 at the plan's
# rate: a plan of 0.288 an hour is all used and covers it all, saving
# 0.072 an hour, 0.072 * 730 = 52.56 a month.
is_cm 0.288 savings_plan "" .hourly_commitment_usd
is_cm 100 savings_plan "" .coverage_pct
is_cm 52.56 savings_plan "" .monthly_savings_usd

# ---- Without the move: mover's 100 stays ----
# 550, then 850: N = 600 covers 550 * 24 + 600 * 24 = 27,600 of 28,800
# (95.8 %), 700 covers 30,000 of 33,600 (89.3 %: refused): 600.
run 0 optima-mark --project-root $P cap-0000000000000001 rejected
run 0 optima-commit --project-root $P
is_cm 600 reserved_capacity rcu .units
run 0 optima-mark --project-root $P cap-0000000000000001 pending

# ---- A reservation already bought lowers the purchase ----
# The bill of 2024-11 (720 hours) shows 200 RCU reserved: 144,000
# RCU-hours, 200 units.  After the move: 250, then 550 beyond them.
#   N = 300: covered 250 * 24 + 300 * 24 = 13,200 of 14,400 (91.7 %);
#	net 13.2 - 300 * 48 * 0.0002342466 = 13.2 - 3.3731507 = 9.8268493
#   N = 400: covered 15,600 of 19,200 (81.25 %): refused.
# 300: 9.8268493 * 730 / 48 = 149.4500 a month.
mkdir -p "$P/cur"
printf '{"kind":"cur_usage","account":"%s","region":"%s","table":"steady","billing_period":"2024-11","table_class":"STANDARD","storage_gb_month":0,"storage_usd":0,"read_request_units":0,"write_request_units":0,"rcu_hours":324000,"wcu_hours":72000,"throughput_usd":0,"replicated_write_request_units":0,"replicated_wcu_hours":0,"replicated_usd":0,"reserved":true,"reserved_rcu_hours":144000,"reserved_wcu_hours":0,"reserved_fee_usd":0,"other_usd":0,"unblended_usd":0,"net_usd":0,"line_items":2}\n' \
	$M $R >"$P/cur/billing_period=2024-11.ndjson"
# Through the front door, as optima run does it.  The 200 are used every
# hour today (550 at least) and after (450 at least): none left unused.
run 0 optima-simulate --project-root $P --days 2
run 0 optima --project-root $P analyze-commitments
is_cm 300 reserved_capacity rcu .units
is_cm 200 reserved_capacity rcu .existing_units
is_cm 149.45 reserved_capacity rcu .monthly_savings_usd
has out "$M $R read: 200 RCU reserved already, utilization 100% today, 100% planned"
hasnt out "unused"
check "the purchase's reason names the reservation" [ "$(cm \
	reserved_capacity rcu .reason)" = "92% of 300 RCU used over the window after the changes; with 200 reserved already" ]

# ---- A reservation the changes leave partly unused ----
# 600 RCU reserved (432,000 RCU-hours of 720 hours).  Today 550, then
# 850: 550 * 24 + 600 * 24 = 27,600 of 28,800 used (95.8 %); after the
# move 450, then 750: 450 * 24 + 600 * 24 = 25,200 (87.5 %).  The move
# leaves (27,600 - 25,200) / 48 = 50 RCU of it unused on average.  Beyond
# the 600, 150 for 24 hours: 100 RCU would be used half the time: no
# purchase.
printf '{"kind":"cur_usage","account":"%s","region":"%s","table":"steady","billing_period":"2024-11","table_class":"STANDARD","storage_gb_month":0,"storage_usd":0,"read_request_units":0,"write_request_units":0,"rcu_hours":612000,"wcu_hours":72000,"throughput_usd":0,"replicated_write_request_units":0,"replicated_wcu_hours":0,"replicated_usd":0,"reserved":true,"reserved_rcu_hours":432000,"reserved_wcu_hours":0,"reserved_fee_usd":0,"other_usd":0,"unblended_usd":0,"net_usd":0,"line_items":2}\n' \
	$M $R >"$P/cur/billing_period=2024-11.ndjson"
run 0 optima-simulate --project-root $P --days 2
run 0 optima --project-root $P analyze-commitments
has out "$M $R read: 600 RCU reserved already, utilization 96% today, 88% planned: the recommendations leave 50 RCU of it unused"
check "no more reserved capacity to buy" [ -z "$(cm reserved_capacity rcu .id)" ]
printf '{"kind":"cur_usage","account":"%s","region":"%s","table":"steady","billing_period":"2024-11","table_class":"STANDARD","storage_gb_month":0,"storage_usd":0,"read_request_units":0,"write_request_units":0,"rcu_hours":324000,"wcu_hours":72000,"throughput_usd":0,"replicated_write_request_units":0,"replicated_wcu_hours":0,"replicated_usd":0,"reserved":true,"reserved_rcu_hours":144000,"reserved_wcu_hours":0,"reserved_fee_usd":0,"other_usd":0,"unblended_usd":0,"net_usd":0,"line_items":2}\n' \
	$M $R >"$P/cur/billing_period=2024-11.ndjson"
run 0 optima-simulate --project-root $P --days 2
run 0 optima-commit --project-root $P

# ---- Listed, as purchases to review ----
run 0 optima-report --project-root $P --type commitment --format csv
check "list-recommendations --type commitment lists them" \
	grep -q 'buy 300 RCU reserved capacity' out
run 0 optima-report --project-root $P --format aws-cli
check "aws-cli: no command buys them" sh -c '! grep -q "^[^#]*purchase" out'
has out ": commitment of payer $M in us-east-1, pending"
has out ": commitment of payer $M in every region, pending"

# A purchase is marked as the others are.
id=$(cm reserved_capacity rcu .id)
run 0 optima-mark --project-root $P "$id" accepted
run 0 optima-report --project-root $P --type commitment --status accepted \
	--format csv
check "marked accepted" grep -q 'buy 300 RCU' out

# Bad options.
run 2 optima-commit --project-root $P --term 2
run 2 optima-commit --project-root $P --payment all-upfront

finish
