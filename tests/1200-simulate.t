#!/bin/sh
# optima-simulate on a project built by hand, against costs computed by
# hand: on-demand and provisioned, the free tier shared by the tables of an
# account and region, Standard-IA from its own prices, missing datapoints
# as no traffic, the window of the data's last days (not the clock's),
# 300-second data, mixed periods, global tables' replicated writes; bad
# records named by file and line, and nothing written then
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"

A=111111111111
B=222222222222
P=p

# price REGION: made-up prices, both classes, the free tier of 25 units,
# 18,600 unit-hours a month (25 units for the 744 hours of the longest
# month, as the price list states it).
price() {
	mkdir -p "$P/prices"
	{
		printf '{"kind":"price","region":"%s","table_class":"STANDARD","currency":"USD","read_request_unit":1e-06,"write_request_unit":2e-06,"replicated_write_request_unit":3e-06,"rcu_hour":0.001,"wcu_hour":0.002,"replicated_wcu_hour":0.003,"storage_gb_month":0.5,"free_tier":{"rcu":25,"wcu":25,"rcu_hours":18600,"wcu_hours":18600,"storage_gb":25}}\n' "$1"
		printf '{"kind":"price","region":"%s","table_class":"STANDARD_INFREQUENT_ACCESS","currency":"USD","read_request_unit":2e-06,"write_request_unit":4e-06,"replicated_write_request_unit":5e-06,"rcu_hour":0.0012,"wcu_hour":0.0024,"replicated_wcu_hour":0.0036,"storage_gb_month":0.2,"free_tier":{"rcu":0,"wcu":0,"storage_gb":0}}\n' "$1"
	} >"$P/prices/region=$1.ndjson"
}

# series ACCOUNT REGION DAY TABLE INDEX METRIC PERIOD VALUE: one record,
# VALUE in every period ("null": no datapoint), appended to its day file.
series() {
	d="$P/metrics/account=$1/region=$2"
	mkdir -p "$d"
	idx=null
	[ "$5" = - ] || idx="\"$5\""
	awk -v a="$1" -v r="$2" -v day="$3" -v t="$4" -v i="$idx" -v m="$6" \
	    -v p="$7" -v v="$8" 'BEGIN {
		printf "{\"kind\":\"series\",\"account\":\"%s\",\"region\":\"%s\",\"table\":\"%s\",\"index\":%s,\"metric\":\"%s\",\"stat\":\"Sum\",\"period\":%d,\"start\":\"%sT00:00:00Z\",\"values\":[", a, r, t, i, m, p, day
		for (k = 0; k < 86400 / p; k++)
			printf "%s%s", k ? "," : "", v
		print "]}"
	}' >>"$d/date=$3.ndjson"
}

# day DAY: the series of every table of the project that day.
day() {
	series $A us-east-1 "$1" alpha - ConsumedReadCapacityUnits 60 3000
	series $A us-east-1 "$1" alpha - ConsumedWriteCapacityUnits 60 600
	series $A us-east-1 "$1" alpha - ProvisionedReadCapacityUnits 60 100
	series $A us-east-1 "$1" alpha - ProvisionedWriteCapacityUnits 60 50
	series $A us-east-1 "$1" alpha by-x ConsumedReadCapacityUnits 60 60
	series $A us-east-1 "$1" alpha by-x ConsumedWriteCapacityUnits 60 null
	series $A us-east-1 "$1" beta - ConsumedReadCapacityUnits 60 null
	series $A us-east-1 "$1" beta - ConsumedWriteCapacityUnits 60 null
	series $A us-east-1 "$1" beta - ProvisionedReadCapacityUnits 60 20
	series $A us-east-1 "$1" beta - ProvisionedWriteCapacityUnits 60 20
	series $B us-east-1 "$1" gamma - ConsumedReadCapacityUnits 300 1500
	series $B us-east-1 "$1" gamma - ConsumedWriteCapacityUnits 300 null
	series $B us-east-1 "$1" global - ConsumedReadCapacityUnits 300 null
	series $B us-east-1 "$1" global - ConsumedWriteCapacityUnits 300 3000
}

mkdir -p "$P/tables/account=$A" "$P/tables/account=$B"
cat >"$P/tables/account=$A/region=us-east-1.ndjson" <<EOT
{"kind":"table","account":"$A","region":"us-east-1","table":"alpha","billing_mode":"PROVISIONED","table_class":"STANDARD","read_capacity":100,"write_capacity":50,"size_bytes":21474836480,"indexes":[{"index":"by-x","read_capacity":5,"write_capacity":5,"size_bytes":0}],"replicas":[],"autoscaling":null}
{"kind":"table","account":"$A","region":"us-east-1","table":"beta","billing_mode":"PROVISIONED","table_class":"STANDARD","read_capacity":20,"write_capacity":20,"size_bytes":10737418240,"indexes":[],"replicas":[],"autoscaling":null}
EOT
cat >"$P/tables/account=$B/region=us-east-1.ndjson" <<EOT
{"kind":"table","account":"$B","region":"us-east-1","table":"gamma","billing_mode":"PAY_PER_REQUEST","table_class":"STANDARD_INFREQUENT_ACCESS","read_capacity":0,"write_capacity":0,"size_bytes":0,"indexes":[],"replicas":[],"autoscaling":null}
{"kind":"table","account":"$B","region":"us-east-1","table":"global","billing_mode":"PAY_PER_REQUEST","table_class":"STANDARD","read_capacity":0,"write_capacity":0,"size_bytes":0,"indexes":[],"replicas":["us-west-2"],"autoscaling":null}
EOT
price us-east-1
# Three days of data in 2025; the window is the last two.
for d in 2025-03-01 2025-03-02 2025-03-03; do day $d; done
# The first day is different: it must not count.
sed -i 's/,3000,/,9000,/g' "$P/metrics/account=$A/region=us-east-1/date=2025-03-01.ndjson"

run 0 optima-simulate --project-root $P --days 2
has out "Simulated 4 tables and 1 indexes in 2 account-regions over 2 days, 2025-03-02 to 2025-03-03"
S=$P/scenarios.ndjson
check "8 records per table and per index" [ "$(wc -l <$S)" = 40 ]

# cost TABLE SCENARIO CLASS FIELD [INDEX]: a figure of a record.
cost() {
	jq -r --arg t "$1" --arg s "$2" --arg c "$3" --arg i "${5:-}" \
		"select(.table == \$t and .scenario == \$s and .table_class == \$c and
		(.index // \"\") == \$i) | $4" $S
}
# near WANT GOT: equal to a millionth.
near() {
	awk -v w="$1" -v g="$2" 'BEGIN { d = w - g; exit !(g != "" && d * d < 1e-12) }'
}
is_cost() {
	got=$(cost "$2" "$3" "$4" "$5" "${6:-}")
	if near "$1" "$got"; then ok 0 "$2 $3 $4 $5 = $1"; else
		ok 1 "$2 $3 $4 $5 = $1 (got $got)"; fi
}
ST=STANDARD
IA=STANDARD_INFREQUENT_ACCESS
# Over 48 hours; a month is 730.  alpha reads 50 units/s and its index 1,
# writes 10; beta nothing (no datapoints); provisioned 100/50 and 20/20.
# On demand: (50 + 1) * 172800 s = 8,812,800 units * 1e-6 * 730 / 48.
is_cost 134.028 alpha on_demand $ST .breakdown.read_usd
# 10 * 172800 = 1,728,000 * 2e-6 * 730 / 48.
is_cost 52.56 alpha on_demand $ST .breakdown.write_usd
# Current: alpha's 100 RCU (73,000 RCU-hours a month; its index has no
# provisioned metric, so its record's 5: 3,650) on top of beta's 20
# (14,600), less the free pool of 18,600 unit-hours: alpha adds
# 14,600 + 76,650 - 18,600 = 72,650 RCU-hours at 0.001.
is_cost 72.65 alpha current $ST .breakdown.read_usd
# beta adds its 14,600 whole: alpha has used the pool up.
is_cost 14.6 beta current $ST .breakdown.read_usd
# Writes: alpha 50 + 5 = 40,150 WCU-hours on beta's 14,600:
# 14,600 + 40,150 - 18,600 = 36,150 at 0.002.
is_cost 72.3 alpha current $ST .breakdown.write_usd
# Standard-IA has no free tier and its own prices: 76,650 * 0.0012.
is_cost 91.98 alpha current $IA .breakdown.read_usd
# Fixed: ceil(50 / 0.8) = 63 and ceil(1 / 0.8) = 2 for the index:
# 65 * 730 = 47,450 on beta's 14,600, less 18,600: 43,450 at 0.001.
is_cost 43.45 alpha provisioned_fixed $ST .breakdown.read_usd
is_cost 63 alpha provisioned_fixed $ST .capacity.read
is_cost 2 alpha provisioned_fixed $ST .capacity.read by-x
# Storage: 20 GiB on beta's 10, 25 free: alpha adds 5 GB at 0.5 ...
is_cost 2.5 alpha current $ST .breakdown.storage_usd
# ... and 20 GB at Standard-IA's 0.2, no free tier.
is_cost 4 alpha current $IA .breakdown.storage_usd
# The index alone, before any free tier: 1 unit/s on demand.
is_cost 2.628 alpha on_demand $ST .breakdown.read_usd by-x
is_cost 0 alpha on_demand $ST .breakdown.write_usd by-x
# beta on demand: no traffic, no cost.
is_cost 0 beta on_demand $ST '.breakdown.read_usd + .breakdown.write_usd'
is_cost 1 beta current $ST .coverage
# The evidence: alpha uses half its read capacity.
is_cost 50 alpha current $ST .evidence.read.utilization_pct
is_cost 50 alpha current $ST .evidence.read.avg_units_per_s
# gamma: 300-second data, Standard-IA now: 5 units/s on demand,
# 864,000 units at IA's 2e-6 and Standard's 1e-6.
is_cost 26.28 gamma current $IA .breakdown.read_usd
is_cost 13.14 gamma on_demand $ST .breakdown.read_usd
check "gamma's records say 300 seconds, approximate" [ "$(cost gamma on_demand $ST \
	'"\(.period) \(.approximate)"')" = "300 true" ]
# global: a replica's writes are replicated writes: 10/s * 172800 *
# 3e-6 * 730 / 48.
is_cost 78.84 global on_demand $ST .breakdown.write_usd
snapshot $P >"$T/before"

# The same data with alpha's last day at 300 seconds: summed, the same
# on-demand cost on a 300-second grid.
cp -r $P q
f=q/metrics/account=$A/region=us-east-1/date=2025-03-03.ndjson
jq -c 'if .table == "alpha" then .period = 300 | .values = [.values as $v |
	range(0; 1440; 5) | $v[.:.+5] | if .[0] == null then null else add end]
	else . end' "$f" >"$T/f" && mv "$T/f" "$f"
run 0 optima-simulate --project-root q --days 2 --output "$T/q.ndjson"
check "mixed periods: the coarser grid, and the same on-demand cost" \
	[ "$(jq -r 'select(.table == "alpha" and .index == null and
	.scenario == "on_demand" and .table_class == "STANDARD") |
	"\(.period) \(.monthly_usd * 1e6 | round)"' "$T/q.ndjson")" = \
	"300 $(cost alpha on_demand $ST '.monthly_usd * 1e6 | round')" ]

# Bad input: file and line, exit 1, scenarios.ndjson as it was.
f=$P/metrics/account=$A/region=us-east-1/date=2025-03-02.ndjson
cp "$f" "$T/good"
sed -i '3s/\[100,/[100,"x",/' "$f"
run 1 optima-simulate --project-root $P --days 2
has err "date=2025-03-02.ndjson:3:"
check "scenarios.ndjson untouched" [ "$(snapshot $P | grep scenarios)" = \
	"$(grep scenarios "$T/before")" ]
cp "$T/good" "$f"
mv $P/prices/region=us-east-1.ndjson "$T/prices"
run 1 optima-simulate --project-root $P --days 2
has err "no prices for us-east-1"
mv "$T/prices" $P/prices/region=us-east-1.ndjson
run 2 optima-simulate --project-root $P --table-regex '('
run 2 optima-simulate --project-root $P --table-regex '(a)\1'
has err "are not in the RE2 syntax"
# A regex that would backtrack for hours over a long name stops within its
# bounds: an error naming the record, not a hang nor a silent no.
run 1 timeout 10 optima-simulate --project-root $P --table-regex '(\w*){1,1000}\W'
has err "region=us-east-1.ndjson:1: table \"alpha\": not matched"
run 0 optima-simulate --project-root $P --days 2 --tables beta --output -
check "--tables: only beta's records" [ "$(jq -r .table "$T/out" | sort -u)" = beta ]
mkdir empty
run 1 optima-simulate --project-root empty
has err "no metrics"

# With a Cost and Usage Report: the storage billed, not the size described,
# and the bill beside the current costs (the latest billing period).
mkdir -p $P/cur
printf '{"kind":"cur_usage","account":"%s","region":"us-east-1","table":"alpha","billing_period":"2025-02","storage_gb_month":40,"net_usd":99.5,"reserved":true,"reserved_rcu_hours":100}\n' $A \
	>$P/cur/billing_period=2025-02.ndjson
printf '{"kind":"cur_usage","account":"%s","region":"us-east-1","table":"alpha","billing_period":"2025-01","storage_gb_month":1000}\n' $A \
	>$P/cur/billing_period=2025-01.ndjson
run 0 optima-simulate --project-root $P --days 2
# 40 GB at Standard-IA's 0.2.
is_cost 8 alpha current $IA .breakdown.storage_usd
is_cost 99.5 alpha current $ST .cur.net_usd
check "the report's period and reserved capacity are evidence" [ "$(cost alpha \
	current $ST '"\(.cur.billing_period) \(.cur.reserved_rcu_hours)"')" = "2025-02 100" ]
check "a table the report lacks has no cur" [ "$(cost beta current $ST .cur)" = null ]
finish
