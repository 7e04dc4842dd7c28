#!/bin/sh
# The three analyze commands are views of one decision (issue 21, point
# 2): run in the original's order, each over its own window, they leave
# in recommendations.ndjson what each summary printed, totals included,
# without one table's saving counted twice; a later analysis replaces an
# earlier one's recommendation only where both change the same thing,
# and says so.  On a project built by hand, against figures computed by
# hand.
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-figures.sh
. "$OPTIMA_TOP/tests/lib-figures.sh"

A=111111111111
P=p
R=us-east-1
GIB=1073741824

# Made-up prices (tests/lib-figures.sh): each table's figures are its own.
mkdir -p "$P/tables/account=$A"
hand_prices "$P" $R

# The tables, created long before the window:
#  a	provisioned 20/20, no traffic, nothing stored.
#  b	on demand, reads 500/s all along, no writes, 1,000 GiB stored.
#  e	on demand, no traffic, 100 GiB stored.
#  d	(later) provisioned 100/100, a burst of 100/s in the last minute
#	of each of the first 7 days, then 10/s all along.
table() {
	printf '{"kind":"table","account":"%s","region":"%s","table":"%s","billing_mode":"%s","table_class":"STANDARD","read_capacity":%s,"write_capacity":%s,"size_bytes":%s,"created_epoch":1704067200,"indexes":[],"replicas":[],"autoscaling":null}\n' \
		$A $R "$1" "$2" "$3" "$4" "$(($5 * GIB))"
}
tables() {
	table a PROVISIONED 20 20 0
	table b PAY_PER_REQUEST 0 0 1000
	table e PAY_PER_REQUEST 0 0 100
}
tables >"$P/tables/account=$A/region=$R.ndjson"

# series DAY TABLE METRIC VALUE [FROM]: one day of one metric of a
# table, VALUE a minute from minute FROM.
series() {
	day_series "$P" $A $R "$1" "$2" "" "$3" "$4" "${5:-0}"
}
# metrics [d]: 14 days of metrics, 2025-03-01 to 2025-03-14 (the series
# of a day file by table), of d too if asked.
metrics() {
	rm -rf "$P/metrics"
	i=1
	while [ $i -le 14 ]; do
		d=$(printf '2025-03-%02d' $i)
		series "$d" a ConsumedReadCapacityUnits null
		series "$d" a ConsumedWriteCapacityUnits null
		series "$d" a ProvisionedReadCapacityUnits 20
		series "$d" a ProvisionedWriteCapacityUnits 20
		series "$d" b ConsumedReadCapacityUnits 30000
		series "$d" b ConsumedWriteCapacityUnits null
		if [ -n "$1" ] && [ $i -le 7 ]; then
			series "$d" d ConsumedReadCapacityUnits 6000 1439
		elif [ -n "$1" ]; then
			series "$d" d ConsumedReadCapacityUnits 600
		fi
		if [ -n "$1" ]; then
			series "$d" d ConsumedWriteCapacityUnits null
			series "$d" d ProvisionedReadCapacityUnits 100
			series "$d" d ProvisionedWriteCapacityUnits 100
		fi
		series "$d" e ConsumedReadCapacityUnits null
		series "$d" e ConsumedWriteCapacityUnits null
		i=$((i + 1))
	done
}
metrics

RC=$P/recommendations.ndjson
# rec TYPE TABLE JQ: a field of a table's recommendation of a type.
rec() {
	jq -r --arg y "$1" --arg t "$2" "select(.type == \$y and
	    .table == \$t) | $3" $RC
}
is_rec() {
	got=$(rec "$2" "$3" .monthly_savings_usd)
	if near "$1" "$got"; then ok 0 "$2 $3 saves $1"; else
		ok 1 "$2 $3 saves $1 (got $got)"; fi
}
# total TYPE: the total list-recommendations prints of a type.
total() {
	optima --project-root $P list-recommendations --type "$1" \
	    --format markdown | sed -n 's/^\*\*Total:\*\* //p'
}

# The figures, a month of 730 hours:
# b on demand: 500 * 3600 * 730 = 1,314,000,000 reads at 1e-6, 1,314,
# and 1,000 GiB at 0.5, 500: 1,814.  Auto scaling, tuned to 90 % (the
# minimum 1 throttles nothing), ceil(500 / 0.9) = 556 RCU * 730 h at
# 0.001 = 405.88 and 1 WCU at 0.002, 1.46: 407.34 with 500 of storage,
# 907.34 (fixed, ceil(500 / 0.8) = 625 RCU: 456.25 + 1.46 + 500 =
# 957.71, dearer); in Standard-IA, 556 * 730 * 0.0012 = 487.056, 730 *
# 0.0024 = 1.752, storage 1,000 * 0.2 = 200: 688.808.  One decision, auto
# scaling in Standard-IA, in two steps that each save: the capacity 1,814
# - 907.34 = 906.66, then the class 907.34 - 688.808 = 218.532.
# a: 20 RCU * 730 h at 0.001 = 14.60, 20 WCU at 0.002 = 29.20: 43.80; on
# demand without traffic 0: saves 43.80 (capacity).
# e: 100 GiB at 0.5 = 50, in Standard-IA at 0.2 = 20: saves 30 (class).
run 0 optima --project-root $P analyze-capacity --days 14
has out "Analyzed: 3 tables | Recommendations: 2 tables"
has out "Total Potential Savings: \$950/month (\$11,406/year)"
check "capacity: only capacity recommendations" [ "$(jq -r .type $RC |
	sort -u)" = capacity ]
is_rec 906.66 capacity b
is_rec 43.8 capacity a

# Over the last 7 days the decisions are the same; the utilization
# analysis finds nothing and keeps the capacity recommendations as they
# were.
cp $RC cap.before
run 0 optima --project-root $P analyze-utilization --days 7
has out "Analyzed: 3 tables | Recommendations: 0 tables"
check "utilization: the capacity recommendations kept" cmp -s cap.before $RC

run 0 optima --project-root $P analyze-table-class --months 1
has out "Analyzed: 3 tables | Recommendations: 2 tables"
has out "Switch to Standard-IA: 2 tables -> Save \$249/month"
is_rec 218.532 table_class b
is_rec 30 table_class e
check "b's class step comes after its capacity step" [ "$(rec table_class b \
	.after)" = "$(rec capacity b .id)" ]
check "the capacity recommendations still there" [ "$(jq -c \
	'select(.type == "capacity")' $RC)" = "$(jq -c . cap.before)" ]

# list-recommendations shows what each summary printed: capacity 906.66
# + 43.80 = 950.46, the classes 218.532 + 30 = 248.532, and all 4 add
# up to 1,198.992: b's two steps are its one saving, 1,814 - 688.808 =
# 1,125.192, counted once.
check "list: the capacity total" [ "$(total capacity)" = \
	"2 recommendations, \$950.46/month (\$11,405.52/year)" ]
check "list: the class total" [ "$(total table_class)" = \
	"2 recommendations, \$248.53/month (\$2,982.38/year)" ]
run 0 optima --project-root $P list-recommendations --format markdown
has out "**Total:** 4 recommendations, \$1,198.99/month (\$14,387.90/year)"
check "b's two recommendations add up to its one saving" near 1125.192 \
	"$(jq -s 'map(select(.table == "b") | .monthly_savings_usd) | add' $RC)"

# d: over 14 days, its bursts of 6,000 reads a minute (100/s) throttle
# auto scaling and want a fixed 125 RCU: on demand is cheapest, 7 bursts
# of 6,000 and 7 days of 600 a minute: 42,000 + 6,048,000 reads in 336
# hours, 6,090,000 * 730 / 336 = 13,231,250 a month at 1e-6, 13.23125;
# now 100 RCU, 73, 100 WCU, 146: 219.  Saves 205.76875 (capacity).
# Over the last 7 days, 10/s steady: fixed ceil(10 / 0.8) = 13 RCU *
# 730 at 0.001 = 9.49, 1 WCU 1.46: 10.95 (on demand 26.28); auto scaling
# tuned to 90 %, minimum 1: its maximum ceil(2 * 10 / 0.9) = 23 RCU (1
# WCU: no writes) holds the start of 100 to 23 for the first hour, then
# ceil(10 / 0.9) = 12: (23 + 167 * 12) * 730 / 168 * 0.001 = 8.807798,
# and 1.46: 10.267798, cheaper; utilization 10 % under 30 %: lower the
# capacity, saving 219 - 10.267798 = 208.732202 (utilization).
{
	tables
	table d PROVISIONED 100 100 0
} >"$P/tables/account=$A/region=$R.ndjson"
metrics d
run 0 optima --project-root $P analyze-capacity --days 14
is_rec 205.76875 capacity d
check "d: to on demand" [ "$(rec capacity d .change)" = \
	"provisioned 100 read, 100 write -> on-demand" ]
check "the class recommendations kept" [ "$(jq -r 'select(.type ==
	"table_class") | .table' $RC | tr '\n' ' ')" = "b e " ]

# The utilization analysis decides d otherwise: the two cannot both be
# applied, so its recommendation replaces the capacity one, and says so.
run 0 optima --project-root $P analyze-utilization --days 7
has out "Total Potential Savings: \$209/month (\$2,505/year)"
has err "table d: its capacity recommendation of an earlier analysis gives way to this one's"
is_rec 208.732202 utilization d
check "d has no capacity recommendation left" [ -z "$(rec capacity d .id)" ]
check "b and a keep theirs" [ "$(jq -r 'select(.type == "capacity") |
	.table' $RC | tr '\n' ' ')" = "a b " ]
run 0 optima --project-root $P list-recommendations --format markdown
# 950.46 + 208.732202 + 248.532 = 1,407.724202.
has out "**Total:** 5 recommendations, \$1,407.72/month (\$16,892.69/year)"

# optima-rank without a type writes every type of one decision, over
# the window of the last simulation (7 days): d lowers its capacity.
run 0 optima-rank --project-root $P
check "optima-rank: every type" [ "$(jq -r .type $RC | sort -u |
	tr '\n' ' ')" = "capacity table_class utilization " ]
hasnt err "gives way"

finish
