#!/bin/sh
# Analyzing some tables again (issue 21, point 2: "--tables a,b
# re-analyzes those tables and keeps every other recommendation"), on a
# project built by hand, against figures computed by hand: a run of
# analyze-capacity --tables b replaces b's scenarios and recommendations
# and keeps every other table's, byte for byte, in the place and order of
# a full run, with their statuses; list-recommendations adds them all
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-figures.sh
. "$OPTIMA_TOP/tests/lib-figures.sh"

A1=111111111111
A2=222222222222
P=p
R=us-east-1

# Made-up prices (tests/lib-figures.sh): each table's figures are its own.
mkdir -p "$P/tables/account=$A1" "$P/tables/account=$A2"
hand_prices "$P" $R

# The tables, created long before the window, storing nothing:
#  a	account 1, provisioned 20/20, no traffic.
#  b	account 1, on demand, reads 500/s all along (then 50/s), no writes.
#  c	account 2, provisioned 50/50, no traffic.
table() {
	printf '{"kind":"table","account":"%s","region":"%s","table":"%s","billing_mode":"%s","table_class":"STANDARD","read_capacity":%s,"write_capacity":%s,"size_bytes":0,"created_epoch":1704067200,"indexes":[],"replicas":[],"autoscaling":null}\n' \
		"$1" $R "$2" "$3" "$4" "$5"
}
{
	table $A1 a PROVISIONED 20 20
	table $A1 b PAY_PER_REQUEST 0 0
} >"$P/tables/account=$A1/region=$R.ndjson"
table $A2 c PROVISIONED 50 50 >"$P/tables/account=$A2/region=$R.ndjson"

# series ACCOUNT DAY TABLE METRIC VALUE: one day of one metric of a
# table, VALUE in every minute.
series() {
	day_series "$P" "$1" $R "$2" "$3" "" "$4" "$5"
}

# metrics READS: 14 days of metrics, 2025-03-01 to 2025-03-14, b reading
# READS units a minute (the series of a day file by table).
metrics() {
	rm -rf "$P/metrics"
	i=1
	while [ $i -le 14 ]; do
		d=$(printf '2025-03-%02d' $i)
		series $A1 "$d" a ConsumedReadCapacityUnits null
		series $A1 "$d" a ConsumedWriteCapacityUnits null
		series $A1 "$d" a ProvisionedReadCapacityUnits 20
		series $A1 "$d" a ProvisionedWriteCapacityUnits 20
		series $A1 "$d" b ConsumedReadCapacityUnits "$1"
		series $A1 "$d" b ConsumedWriteCapacityUnits null
		series $A2 "$d" c ConsumedReadCapacityUnits null
		series $A2 "$d" c ConsumedWriteCapacityUnits null
		series $A2 "$d" c ProvisionedReadCapacityUnits 50
		series $A2 "$d" c ProvisionedWriteCapacityUnits 50
		i=$((i + 1))
	done
}

S=$P/scenarios.ndjson
RC=$P/recommendations.ndjson
# rec TABLE JQ: a field of a table's capacity recommendation.
rec() {
	jq -r --arg t "$1" "select(.table == \$t and .type == \"capacity\") |
	    $2" $RC
}
is_rec() {
	got=$(rec "$2" "$3")
	if near "$1" "$got"; then ok 0 "$2 $3 = $1"; else
		ok 1 "$2 $3 = $1 (got $got)"; fi
}
# others FILE: the lines of FILE of the tables other than b.
others() {
	grep -v '"table":"b"' "$1"
}

# b reads 500/s: on demand, 500 * 3600 * 730 = 1,314,000,000 read units
# at 1e-6: 1,314 a month.  Fixed: ceil(500 / 0.8) = 625 RCU * 730 h at
# 0.001 = 456.25, and 1 WCU at 0.002 = 1.46: 457.71.  Auto scaling,
# tuned to 90 % (the minimum 1 throttles nothing): ceil(500 / 0.9) = 556
# RCU, 405.88 + 1.46 = 407.34, cheaper: saving 1,314 - 407.34 = 906.66.
# a: 20 RCU * 730 h at 0.001 = 14.6, 20 WCU at 0.002 = 29.2: 43.8; on
# demand without traffic 0: saving 43.8.
# c: 50 RCU, 36.5, 50 WCU, 73: 109.5; on demand 0: saving 109.5.
metrics 30000
run 0 optima --project-root $P analyze-capacity
is_rec 906.66 b .monthly_savings_usd
is_rec 43.8 a .monthly_savings_usd
is_rec 109.5 c .monthly_savings_usd
check "a full run writes no partial_run" [ -z "$(grep partial_run $S)" ]

# Decisions about a and c, then a full analysis again: the file carries
# their statuses.
ida=$(rec a .id)
idc=$(rec c .id)
run 0 optima --project-root $P mark "$ida" accepted
run 0 optima --project-root $P mark "$idc" rejected
run 0 optima --project-root $P analyze-capacity
check "a accepted, c rejected" [ "$(rec a .status) $(rec c .status)" = \
	"accepted rejected" ]
others $S >scen.before
others $RC >recs.before

# b now reads 50/s: on demand 50 * 3600 * 730 at 1e-6 = 131.40.  Fixed:
# ceil(50 / 0.8) = 63 RCU, 45.99, + 1.46 = 47.45; auto scaling tuned:
# ceil(50 / 0.9) = 56 RCU, 40.88, + 1.46 = 42.34, the maximum ceil(2 * 50
# / 0.9) = 112: auto scaling, saving 131.40 - 42.34 = 89.06.
metrics 3000
run 0 optima --project-root $P analyze-capacity --tables b
has out "Analyzed: 1 table | Recommendations: 1 table"
is_rec 89.06 b .monthly_savings_usd
check "b: auto scaling" [ "$(rec b .change)" = \
	"on-demand -> auto scaling read 1-112 at 90%, write 1-1 at 90%" ]
check "b: one capacity recommendation" [ "$(rec b .id | wc -l)" -eq 1 ]
check "b's scenarios: the new ones, marked partial_run 1" [ "$(jq -r \
	'select(.table == "b") | .partial_run' $S | sort -u)" = 1 ]
check "b's scenarios: on demand 131.40" [ "$(jq -r 'select(.table == "b"
	and .scenario == "current" and .table_class == "STANDARD") |
	.monthly_usd' $S)" = 131.4 ]
others $S >scen.after
others $RC >recs.after
check "the other tables' scenarios are byte-identical" \
	cmp -s scen.before scen.after
check "the other tables' recommendations are byte-identical" \
	cmp -s recs.before recs.after
check "their statuses survive" [ "$(rec a .status) $(rec c .status)" = \
	"accepted rejected" ]
check "one scenario file, a to c" [ "$(jq -r .table $S | uniq | tr '\n' ' ')" = \
	"a b c " ]

# The order of a full run: the same analysis of a copy of the project,
# in full, writes the same files (but the mark of the partial run).
cp -R $P q
run 0 optima --project-root q analyze-capacity
sed 's/,"partial_run":1//' $S >p.scen
check "the scenarios are a full run's" cmp -s p.scen q/scenarios.ndjson
check "the recommendations are a full run's" \
	cmp -s $RC q/recommendations.ndjson

# list-recommendations adds them all: 43.80 + 89.06 + 109.50 = 242.36
# a month, 2,908.32 a year.
run 0 optima --project-root $P list-recommendations --format markdown
has out "**Total:** 3 recommendations, \$242.36/month (\$2,908.32/year)"

# A decision made after the partial run shows when the next keeps it.
run 0 optima --project-root $P mark "$idc" accepted
run 0 optima --project-root $P analyze-capacity --tables b
check "c accepted since" [ "$(rec c .status)" = accepted ]
check "b's scenarios now partial_run 2" [ "$(jq -r \
	'select(.table == "b") | .partial_run' $S | sort -u)" = 2 ]

# optima-simulate --table-regex, then optima-rank: the same.  b reads
# 500/s again: back to 906.66.
metrics 30000
run 0 optima-simulate --project-root $P --table-regex '^b$'
has out "Kept the 16 scenario records of the tables not selected"
run 0 optima-rank --project-root $P
is_rec 906.66 b .monthly_savings_usd
is_rec 43.8 a .monthly_savings_usd
is_rec 109.5 c .monthly_savings_usd

# A selection written elsewhere (--output) is only the selection, and
# the project's files are left as they are.
cksum $S >sum.before
run 0 optima-simulate --project-root $P --tables a --output -
check "--output -: only a" [ "$(jq -r .table "$T/out" | sort -u)" = a ]
check "scenarios.ndjson untouched" [ "$(cksum $S)" = "$(cat sum.before)" ]

# The free tier is shared by the tables of an account and region, the
# selected and the others: in f, 25 RCU and 25 WCU free, 18,600
# unit-hours a month each (25 units for 744 hours, as the price list
# says).  b (reading 500/s) fixed: 625 RCU * 730 = 456,250 unit-hours and
# 1 WCU, 730; a uses 20 * 730 = 14,600 of each of the 18,600 free,
# leaving 4,000: b bills 452,250 RCU-hours at 0.001, 452.25, and no
# WCU-hours.  Auto scaling, tuned: 556 * 730 - 4,000 = 401,880 RCU-hours,
# 401.88, and its 1 WCU free too: saving 1,314 - 401.88 = 912.12; the
# same as a full run's.
mkdir f
cp -R $P/prices $P/tables $P/metrics f/
sed 's/"rcu":0,"wcu":0/"rcu":25,"wcu":25,"rcu_hours":18600,"wcu_hours":18600/' \
	$P/prices/region=$R.ndjson \
	>f/prices/region=$R.ndjson
run 0 optima --project-root f analyze-capacity
cp -R f g
run 0 optima --project-root f analyze-capacity --tables b
check "free tier: b's fixed costs 452.25" [ "$(jq -r 'select(.table == "b"
	and .scenario == "provisioned_fixed" and .table_class == "STANDARD") |
	.monthly_usd' f/scenarios.ndjson)" = 452.25 ]
check "free tier: b saves 912.12" [ "$(jq -r 'select(.table == "b") |
	.monthly_savings_usd' f/recommendations.ndjson)" = 912.12 ]
sed 's/,"partial_run":1//' f/scenarios.ndjson >f.scen
check "free tier: the scenarios are a full run's" \
	cmp -s f.scen g/scenarios.ndjson
check "free tier: the recommendations are a full run's" \
	cmp -s f/recommendations.ndjson g/recommendations.ndjson

finish
