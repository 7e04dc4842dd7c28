#!/bin/sh
# the emulator's CloudWatch GetMetricData, called by Debian's awscli over
# the query protocol (XML replies): the traffic model's numbers, the same
# as the AWS SDK's over JSON, across pages, and AWS's errors
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-emulator.sh
. "$OPTIMA_TOP/tests/lib-emulator.sh"

emulator_start --org small --seed 7 || exit 1

# cw.js queries|model|sdk START END PERIOD: the queries for every table and
# index of the management account's first region (all metrics, all
# statistics), what the traffic model says they return, or what the SDK
# gets; results as {Id: [[epoch, value], ...]}, oldest first.
cat >"$T/cw.js" <<'EOF'
'use strict';
const top = process.env.OPTIMA_TOP;
const workload = require(`${top}/tests/emulator/workload.js`);
const { makeOrg } = require(`${top}/tests/emulator/org.js`);
const { CloudWatchClient, paginateGetMetricData } = require('@aws-sdk/client-cloudwatch');
const [mode, from, end, period] = process.argv.slice(2).map((x, i) => (i ? Number(x) : x));
const org = makeOrg('small', 7);
const STATS = ['Sum', 'Average', 'Maximum', 'Minimum', 'SampleCount'];
const METRICS = ['ConsumedReadCapacityUnits', 'ConsumedWriteCapacityUnits',
  'ProvisionedReadCapacityUnits', 'ProvisionedWriteCapacityUnits', 'ReadThrottleEvents', 'WriteThrottleEvents'];
const queries = [];
const models = {};
for (const t of org.tables.filter((x) => x.account === org.management && x.region === org.regions[0])) {
  for (const g of [null, ...t.gsis]) {
    const dims = [{ Name: 'TableName', Value: t.name }];
    if (g) dims.push({ Name: 'GlobalSecondaryIndexName', Value: g.name });
    METRICS.forEach((metric, i) => STATS.forEach((stat, j) => {
      const id = `q${queries.length}`;
      queries.push({ Id: id, MetricStat: { Metric: { Namespace: 'AWS/DynamoDB', MetricName: metric,
        Dimensions: dims }, Period: period, Stat: stat } });
      models[id] = [workload.model(org.seed, t, g), metric, stat];
    }));
  }
}
function model() {
  const out = {};
  for (const [id, [mdl, metric, stat]] of Object.entries(models)) {
    out[id] = [];
    for (let t = from; t < end; t += period) {
      const sets = [];
      for (let m = t / 60; m < (t + period) / 60; m++) {
        const s = workload.minute(mdl, metric, m);
        if (s) sets.push(s);
      }
      if (sets.length === 0) continue;
      const n = sets.reduce((a, s) => a + s.count, 0);
      const sum = sets.reduce((a, s) => a + s.sum, 0);
      out[id].push([t, { Sum: sum, Average: sum / n, SampleCount: n,
        Maximum: Math.max(...sets.map((s) => s.max)), Minimum: Math.min(...sets.map((s) => s.min)) }[stat]]);
    }
  }
  return out;
}
async function sdk() {
  const client = new CloudWatchClient({ endpoint: process.env.AWS_ENDPOINT_URL, maxAttempts: 1 });
  const out = Object.fromEntries(queries.map((q) => [q.Id, []]));
  for await (const page of paginateGetMetricData({ client }, { MetricDataQueries: queries,
    StartTime: new Date(from * 1000), EndTime: new Date(end * 1000) })) {
    for (const r of page.MetricDataResults) {
      r.Timestamps.forEach((d, i) => out[r.Id].push([d.getTime() / 1000, r.Values[i]]));
    }
  }
  for (const v of Object.values(out)) v.sort((a, b) => a[0] - b[0]);
  return out;
}
(async () => {
  const out = mode === 'queries' ? queries : mode === 'model' ? model() : await sdk();
  process.stdout.write(`${JSON.stringify(out)}\n`);
})().catch((e) => { process.stderr.write(`${e.stack}\n`); process.exit(1); });
EOF
cw() { NODE_PATH="$OPTIMA_TOP/tests/node_modules" node "$T/cw.js" "$@"; }
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
# awscli's answer (all pages) as {Id: [[epoch, value], ...]}, oldest first.
merged() {
	jq -c '[.MetricDataResults[]] | group_by(.Id) | map({key: .[0].Id, value:
		([.[] | [.Timestamps, .Values] | transpose[]
		  | [(.[0] | sub("\\+00:00$"; "Z") | fromdateiso8601), .[1]]] | sort_by(.[0]))})
		| from_entries' "$@"
}
same() { jq -e -n --slurpfile a "$1" --slurpfile b "$2" '$a[0] == $b[0]' >/dev/null; }

end=$(( $(date +%s) / 3600 * 3600 - 3600 ))
from=$((end - 3 * 3600))

run 0 cw queries "$from" "$end" 60
cp "$T/out" "$T/q60.json"
check "a few hundred queries" [ "$(jq length "$T/q60.json")" -gt 200 ]
run 0 cw model "$from" "$end" 60
cp "$T/out" "$T/model.json"
check "the model has data, throttles included" \
	[ "$(jq '[.[] | length] | add' "$T/model.json")" -gt 10000 ]

run 0 awscli cloudwatch get-metric-data --metric-data-queries "file://$T/q60.json" \
	--start-time "$(iso "$from")" --end-time "$(iso "$end")"
merged "$T/out" >"$T/aws.json"
check "awscli gets the model's numbers at 60 s" same "$T/aws.json" "$T/model.json"
run 0 cw sdk "$from" "$end" 60
check "and the SDK the same as awscli" same "$T/out" "$T/aws.json"

run 0 cw queries "$from" "$end" 300
cp "$T/out" "$T/q300.json"
run 0 cw model "$from" "$end" 300
cp "$T/out" "$T/model.json"
# Small pages: awscli follows NextToken over XML.
run 0 awscli cloudwatch get-metric-data --metric-data-queries "file://$T/q300.json" \
	--start-time "$(iso "$from")" --end-time "$(iso "$end")" \
	--scan-by TimestampAscending --page-size 97
merged "$T/out" >"$T/aws.json"
check "paged by 97, awscli gets the model's numbers at 300 s" same "$T/aws.json" "$T/model.json"
check "in many pages" [ "$(jq '.MetricDataResults | length' "$T/out")" -gt \
	"$(jq length "$T/q300.json")" ]
run 0 awscli cloudwatch get-metric-data --metric-data-queries "file://$T/q300.json" \
	--start-time "$(iso "$from")" --end-time "$(iso "$end")" --max-datapoints 97 --no-paginate
check "one page holds MaxDatapoints and a NextToken" \
	[ "$(jq '[.MetricDataResults[].Values | length] | add' "$T/out")" = 97 -a \
	"$(jq -r '.NextToken | type' "$T/out")" = string ]
has out '"PartialData"'
check "newest first by default" \
	[ "$(jq -r '[.MetricDataResults[].Timestamps[]] | max' "$T/out")" = \
	"$(date -u -d "@$((end - 300))" +%Y-%m-%dT%H:%M:%S+00:00)" ]

# 1-minute data is kept for 15 days, 5-minute data for 63.
old=$((end - 20 * 86400))
jq '[.[] | select(.MetricStat.Metric.MetricName == "ConsumedWriteCapacityUnits"
	and .MetricStat.Stat == "Sum")]' "$T/q60.json" >"$T/writes60.json"
run 0 awscli cloudwatch get-metric-data --metric-data-queries "file://$T/writes60.json" \
	--start-time "$(iso "$old")" --end-time "$(iso "$((old + 3600))")"
check "no 1-minute datapoints 20 days back" \
	[ "$(jq '[.MetricDataResults[].Values[]] | length' "$T/out")" = 0 ]
jq '[.[] | .MetricStat.Period = 300]' "$T/writes60.json" >"$T/writes300.json"
run 0 awscli cloudwatch get-metric-data --metric-data-queries "file://$T/writes300.json" \
	--start-time "$(iso "$old")" --end-time "$(iso "$((old + 3600))")"
check "but 5-minute ones" [ "$(jq '[.MetricDataResults[].Values[]] | length' "$T/out")" -gt 0 ]

run 0 awscli cloudwatch get-metric-data --start-time "$(iso "$from")" --end-time "$(iso "$end")" \
	--metric-data-queries '[{"Id":"none","MetricStat":{"Metric":{"Namespace":"AWS/DynamoDB",
	"MetricName":"ConsumedReadCapacityUnits","Dimensions":[{"Name":"TableName","Value":"no-such-table"}]},
	"Period":60,"Stat":"Sum"}}]'
check "a table that does not exist: no datapoints, Complete" \
	[ "$(jq -c '.MetricDataResults[0] | [.Values, .StatusCode]' "$T/out")" = '[[],"Complete"]' ]

# AWS's errors, in XML.
jq '[range(501) as $i | .[0] | .Id = "m\($i)"]' "$T/q60.json" >"$T/many.json"
run 254 awscli cloudwatch get-metric-data --metric-data-queries "file://$T/many.json" \
	--start-time "$(iso "$from")" --end-time "$(iso "$end")"
has err "(ValidationError)"
has err "must not have a size greater than 500"
jq '.[0:2] | .[0].Id = "Bad" | .[1].Id = "Bad"' "$T/q60.json" >"$T/bad.json"
run 254 awscli cloudwatch get-metric-data --metric-data-queries "file://$T/bad.json" \
	--start-time "$(iso "$from")" --end-time "$(iso "$end")"
has err "The value Bad for parameter MetricDataQueries.member.1.Id is not matching the expected pattern"
run 254 awscli cloudwatch get-metric-data --metric-data-queries "file://$T/writes60.json" \
	--start-time "$(iso "$end")" --end-time "$(iso "$end")"
has err "The parameter StartTime must not equal parameter EndTime."
run 254 awscli cloudwatch get-metric-data --metric-data-queries "file://$T/writes60.json" \
	--start-time "$(iso "$from")" --end-time "$(iso "$end")" --next-token bm90IGEgdG9rZW4= --no-paginate
has err "(InvalidNextToken)"
finish
