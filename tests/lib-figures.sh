# shellcheck shell=sh
# tests/lib-figures.sh - projects built by hand and figures checked by
# hand, for the tests of the analysis (source it after tests/lib.sh)

# hand_prices DIR REGION: made-up prices of REGION in DIR/prices, both
# classes and no free tier, so that each table's figures are its own and
# easy to compute: Standard reads 1e-6 a unit, writes 2e-6, replicated
# writes 3e-6, an RCU-hour 0.001, a WCU-hour 0.002, a replicated WCU-hour
# 0.003, storage 0.5 a GB-month; Standard-IA 2e-6, 4e-6, 5e-6, 0.0012,
# 0.0024, 0.0036 and 0.2; an on-demand backup 0.1 a GB-month (both).
hand_prices() {
	mkdir -p "$1/prices"
	{
		printf '{"kind":"price","region":"%s","table_class":"STANDARD","currency":"USD","read_request_unit":1e-06,"write_request_unit":2e-06,"replicated_write_request_unit":3e-06,"rcu_hour":0.001,"wcu_hour":0.002,"replicated_wcu_hour":0.003,"storage_gb_month":0.5,"backup_gb_month":0.1,"free_tier":{"rcu":0,"wcu":0,"storage_gb":0}}\n' "$2"
		printf '{"kind":"price","region":"%s","table_class":"STANDARD_INFREQUENT_ACCESS","currency":"USD","read_request_unit":2e-06,"write_request_unit":4e-06,"replicated_write_request_unit":5e-06,"rcu_hour":0.0012,"wcu_hour":0.0024,"replicated_wcu_hour":0.0036,"storage_gb_month":0.2,"backup_gb_month":0.1,"free_tier":{"rcu":0,"wcu":0,"storage_gb":0}}\n' "$2"
	} >"$1/prices/region=$2.ndjson"
}

# day_series DIR ACCOUNT REGION DAY TABLE INDEX METRIC VALUE [FROM]: one
# day of 1-minute values of a metric of a table (of its index INDEX, or
# "" for the table) into DIR's day file: VALUE every minute from minute
# FROM (default 0), null before (what optima-fetch-metrics writes for the
# minutes before a table existed).
day_series() {
	mkdir -p "$1/metrics/account=$2/region=$3"
	awk -v a="$2" -v r="$3" -v day="$4" -v t="$5" -v i="$6" -v m="$7" \
	    -v v="$8" -v from="${9:-0}" 'BEGIN {
		printf "{\"kind\":\"series\",\"account\":\"%s\",\"region\":\"%s\",\"table\":\"%s\",\"index\":%s,\"metric\":\"%s\",\"stat\":\"Sum\",\"period\":60,\"start\":\"%sT00:00:00Z\",\"values\":[", a, r, t, i == "" ? "null" : "\"" i "\"", m, day
		for (k = 0; k < 1440; k++)
			printf "%s%s", k ? "," : "", k < from ? "null" : v
		print "]}"
	}' >>"$1/metrics/account=$2/region=$3/date=$4.ndjson"
}

# near WANT GOT: GOT is WANT to a millionth.
near() {
	awk -v w="$1" -v g="$2" 'BEGIN { d = w - g; exit !(g != "" && d * d < 1e-12) }'
}

# fig TABLE SCENARIO CLASS JQ: a figure of a table's scenario record in
# the file $S.
fig() {
	jq -r --arg t "$1" --arg s "$2" --arg c "$3" "select(.table == \$t and
	    .scenario == \$s and .table_class == \$c and .index == null) | $4" "$S"
}

# is_fig WANT TABLE SCENARIO CLASS JQ: passes if the figure is WANT.
is_fig() {
	got=$(fig "$2" "$3" "$4" "$5")
	if near "$1" "$got"; then ok 0 "$2 $3 $4 $5 = $1"; else
		ok 1 "$2 $3 $4 $5 = $1 (got $got)"; fi
}

# rec TABLE TYPE JQ [FILE]: a field of a table's (not an index's)
# recommendation of TYPE, in FILE (default $P/recommendations.ndjson).
rec() {
	jq -r --arg t "$1" --arg y "$2" "select(.table == \$t and .type == \$y and
	    .index == null) | $3" "${4:-$P/recommendations.ndjson}"
}

# is_rec WANT TABLE TYPE JQ [FILE]: passes if the figure is WANT.
is_rec() {
	got=$(rec "$2" "$3" "$4" "${5:-}")
	if near "$1" "$got"; then ok 0 "$2 $3 $4 = $1"; else
		ok 1 "$2 $3 $4 = $1 (got $got)"; fi
}
