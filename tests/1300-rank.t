#!/bin/sh
# optima-rank, optima-report and optima-mark: hand-built scenarios with a
# known best decision per table (capacity and class both changing, a
# cheaper mode that would throttle, the free tier deciding, an unused index,
# coupled changes, savings under --min-savings); savings that never add up
# to more than the table's; every filter and format parsed back; decisions
# across re-analysis; RE2-only regular expressions; then the emulator's
# organization end to end
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-emulator.sh
. "$OPTIMA_TOP/tests/lib-emulator.sh"

# The tables, as few numbers each: "s" the monthly cost of each scenario in
# [Standard, Standard-IA], "st" the storage part of it, "thr" throttled
# minutes, "u" read and write utilization, "idx" indexes (reads 0 means
# no read all window).  Demand is flat (no growth between the first and
# last 7 days), and tiny's fixed capacity is cheaper than its auto scaling
# by more than $10: fixed capacity is safe for it.
cat >spec.json <<'EOF'
[
 {"t":"app-both","mode":"PROVISIONED","cls":"STANDARD","u":[5,5],"st":[30,12],
  "s":{"current":[100,90],"provisioned_autoscaled":[70,60],
       "provisioned_fixed":[80,70],"on_demand":[40,25]}},
 {"t":"app-throttle","a":"222222222222","r":"eu-west-1","mode":"PAY_PER_REQUEST",
  "cls":"STANDARD","st":[5,2],
  "s":{"current":[50,60],"provisioned_autoscaled":[20,25],
       "provisioned_fixed":[35,45],"on_demand":[50,60]},
  "thr":{"provisioned_autoscaled":30,"provisioned_fixed":5}},
 {"t":"tiny","mode":"PAY_PER_REQUEST","cls":"STANDARD","st":[0,0],
  "s":{"current":[15,16],"provisioned_autoscaled":[14,15],
       "provisioned_fixed":[2,2.8],"on_demand":[15,16]},
  "idx":[{"i":"by-x","reads":1,
   "s":{"current":[3,4],"provisioned_autoscaled":[20,25],
        "provisioned_fixed":[20,25],"on_demand":[3,4]}}]},
 {"t":"legacy-gsi","mode":"PROVISIONED","cls":"STANDARD","u":[80,85],"st":[10,4],
  "s":{"current":[200,250],"provisioned_autoscaled":[210,260],
       "provisioned_fixed":[220,270],"on_demand":[300,350]},
  "idx":[{"i":"by-old","reads":0,
   "s":{"current":[25,30],"provisioned_autoscaled":[25,30],
        "provisioned_fixed":[25,30],"on_demand":[25,30]}},
   {"i":"by-partial","reads":0,"cov":0.5,
   "s":{"current":[15,18],"provisioned_autoscaled":[15,18],
        "provisioned_fixed":[15,18],"on_demand":[15,18]}}]},
 {"t":"small","mode":"PROVISIONED","cls":"STANDARD","u":[20,20],"st":[5,2],
  "s":{"current":[50,60],"provisioned_autoscaled":[48,60],
       "provisioned_fixed":[47,60],"on_demand":[46,60]}},
 {"t":"coupled","mode":"PROVISIONED","cls":"STANDARD","u":[50,50],"st":[60,24],
  "s":{"current":[100,105],"provisioned_autoscaled":[200,200],
       "provisioned_fixed":[200,200],"on_demand":[110,80]}},
 {"t":"ia-back","a":"222222222222","r":"us-west-2","mode":"PAY_PER_REQUEST",
  "cls":"STANDARD_INFREQUENT_ACCESS","st":[2,1],
  "s":{"current":[30,50],"provisioned_autoscaled":[100,100],
       "provisioned_fixed":[100,100],"on_demand":[30,50]}},
 {"t":"app-util","mode":"PROVISIONED","cls":"STANDARD","u":[10,12],"as":true,
  "st":[5,2],
  "s":{"current":[100,110],"provisioned_autoscaled":[70,80],
       "provisioned_fixed":[60,75],"on_demand":[120,130]}}
]
EOF

# The scenario records of spec.json, as optima-simulate writes them.
jq -c '
def rec($t; $x; $s; $c):
  ($x.s[$s][$c]) as $usd | ($t.st[$c] // 0) as $st |
  (if $x.i then 0 else $st end) as $st |
  {kind:"scenario", account:($t.a // "111111111111"),
   region:($t.r // "us-east-1"), table:$t.t, index:($x.i // null),
   scenario:$s,
   table_class:(["STANDARD","STANDARD_INFREQUENT_ACCESS"][$c]),
   billing_mode:(if $s == "current" then $t.mode
     elif $s == "on_demand" then "PAY_PER_REQUEST" else "PROVISIONED" end),
   monthly_usd:$usd,
   breakdown:{read_usd:(($usd - $st) / 2), write_usd:(($usd - $st) / 2),
     storage_usd:$st},
   capacity:(if $s == "provisioned_fixed" then {read:12, write:7}
     elif $s == "provisioned_autoscaled" then {min:1, max:40000, target:70}
     elif $s == "current" and $t.mode == "PROVISIONED" then
       {read:100, write:50, autoscaling:(if $t.as then
         {read:{min:5, max:400, target:70}, write:null} else null end)}
     else null end),
   throttled_request_units:0,
   throttled_minutes:($t.thr[$s] // 0),
   coverage:($x.cov // 1), period:60, days:14, approximate:false}
  + (if $s == "current" then
      {current_table_class:$t.cls,
       evidence:{read:{avg_units_per_s:($x.reads // 10),
                       peak_units_per_s:(if $x.reads == 0 then 0 else 20 end),
                       throttle_events:0, utilization_pct:($t.u[0] // null)},
                 write:{avg_units_per_s:5, peak_units_per_s:10,
                        throttle_events:0, utilization_pct:($t.u[1] // null)},
                 peak_to_average:2,
                 growth:{days:7,
                   read:{first_avg_units_per_s:($x.reads // 10),
                         last_avg_units_per_s:($x.reads // 10),
                         first_peak_units_per_s:20, last_peak_units_per_s:20},
                   write:{first_avg_units_per_s:5, last_avg_units_per_s:5,
                          first_peak_units_per_s:10,
                          last_peak_units_per_s:10}}}}
    else {} end);
.[] | . as $t | ($t, ($t.idx // [])[]) as $x |
  ("current","provisioned_autoscaled","provisioned_fixed","on_demand") as $s |
  (0, 1) as $c | rec($t; $x; $s; $c)' spec.json >scenarios.ndjson
mkdir p
cp scenarios.ndjson p/

# summary: "table type index savings after-or-not", sorted
summary() {
	jq -r '[.table, .type, (.index // "-"), .monthly_savings_usd,
	    (if .after then "after" else "-" end)] | @tsv' "$1" | sort
}

# The default decisions.
run 0 optima-rank --project-root p
cat >want <<'EOF'
app-both	capacity	-	60	-
app-both	table_class	-	15	after
app-util	utilization	-	40	-
coupled	capacity	-	20	-
ia-back	table_class	-	20	-
legacy-gsi	utilization	by-old	25	-
tiny	capacity	-	13	-
EOF
summary p/recommendations.ndjson >got
check "the best decision of each table" diff -u want got
has out "Capacity Mode Analysis Results"
has out "Analyzed: 8 tables | Recommendations: 3 tables"
has out "Switch to On-Demand:  2 tables -> Save \$80/month"
has out "Switch to Provisioned: 1 table -> Save \$13/month"
has out "Total Potential Savings: \$93/month (\$1,116/year)"
has out "Switch to Standard-IA: 1 table -> Save \$15/month"
has out "Review unused indexes:      1 index -> Save \$25/month"

# Both changes: two steps, the second after the first, adding up exactly.
cap=$(jq -r 'select(.table == "app-both" and .type == "capacity") | .id' \
	p/recommendations.ndjson)
got=$(jq -r 'select(.table == "app-both" and .type == "table_class") |
	[.after, .current_monthly_usd, .recommended_monthly_usd,
	 .recommended.table_class, .recommended.billing_mode] | @tsv' \
	p/recommendations.ndjson)
check "class step after the capacity step ($got)" \
	[ "$got" = "$(printf '%s\t40\t25\tSTANDARD_INFREQUENT_ACCESS\tPAY_PER_REQUEST' "$cap")" ]

# Reserved capacity, as the bill shows it, covers only Standard: no move
# to Standard-IA for a table it covers.
mkdir res
jq -c 'if .table == "app-both" and .scenario == "current" then
	.cur = {billing_period: "2026-10", reserved: true,
	reserved_rcu_hours: 7300, reserved_wcu_hours: 0} else . end' \
	scenarios.ndjson >res/scenarios.ndjson
run 0 optima-rank --project-root res
check "reserved capacity keeps app-both in Standard" [ "$(jq -r \
	'select(.table == "app-both") | .type' res/recommendations.ndjson)" = \
	capacity ]

# Never more than the table's saving: the recommendations of the table
# itself add up to at most its current cost less its cheapest scenario.
over=$(jq -rs '
	(map(select(.kind == "scenario" and .index == null)) |
	 group_by(.table) | map({key: .[0].table, value:
	   ((map(select(.scenario == "current" and
	      .table_class == .current_table_class))[0].monthly_usd) -
	    (map(.monthly_usd) | min))}) | from_entries) as $max |
	map(select(.kind == "recommendation" and .index == null)) |
	group_by(.table) | map(select((map(.monthly_savings_usd) | add) >
	  $max[.[0].table] + 1e-9) | .[0].table) | join(" ")' \
	scenarios.ndjson p/recommendations.ndjson)
check "no table's recommendations add up to more than it can save ($over)" \
	[ -z "$over" ]

# The one that would throttle stays, unless the budget allows it.
got=$(jq -r 'select(.table == "app-throttle")' p/recommendations.ndjson)
check "a cheaper mode that throttles is not recommended" [ -z "$got" ]
run 0 optima-rank --throttle-budget 60 --output budget.ndjson scenarios.ndjson
got=$(jq -r 'select(.table == "app-throttle") | [.type,
	.monthly_savings_usd, .recommended.scenario,
	.evidence.throttled_minutes] | @tsv' budget.ndjson)
check "within a 60-minute budget it is ($got)" \
	[ "$got" = "$(printf 'capacity\t30\tprovisioned_autoscaled\t30')" ]
has budget.ndjson "about 30 throttled minutes a month"

# The over-budget option is named in the evidence of what was chosen.
jq -c '(select(.table == "app-throttle" and .table_class == "STANDARD" and
	.scenario == "provisioned_fixed") | .throttled_minutes) |= 0' \
	scenarios.ndjson >fixed.ndjson
run 0 optima-rank --output fixed-out.ndjson fixed.ndjson
got=$(jq -r 'select(.table == "app-throttle") |
	[.recommended.scenario, .evidence.over_throttle_budget.scenario,
	 .evidence.over_throttle_budget.throttled_minutes] | @tsv' \
	fixed-out.ndjson)
check "a cheaper option over budget is in the evidence ($got)" \
	[ "$got" = "$(printf 'provisioned_fixed\tprovisioned_autoscaled\t30')" ]

# The free tier decides: the table's cost has it, its index's alone not.
got=$(jq -r 'select(.table == "tiny") | [.recommended.scenario,
	.recommended_monthly_usd, .recommended.indexes["by-x"].read] | @tsv' \
	p/recommendations.ndjson)
check "the free tier makes provisioned cheaper ($got)" \
	[ "$got" = "$(printf 'provisioned_fixed\t2\t12')" ]
has p/recommendations.ndjson '--global-secondary-index-updates '"'"'[{\"Update\":{\"IndexName\":\"by-x\"'

# The unused index: a review, no command; not with half a window.
got=$(jq -r 'select(.index == "by-old") | [.action, .apply,
	.recommended.action, .reason] | @tsv' p/recommendations.ndjson)
check "an index without reads is to review ($got)" \
	[ "$got" = "$(printf 'review\t\treview\tno reads in 14 days: review whether the index is still needed')" ]
hasnt p/recommendations.ndjson '"by-partial"'
hasnt p/recommendations.ndjson 'Delete'

# Coupled: neither step saves alone, so one recommendation does both.
got=$(jq -r 'select(.table == "coupled") | [.type,
	.recommended.billing_mode, .recommended.table_class, .change] | @tsv' \
	p/recommendations.ndjson)
check "coupled changes are one recommendation ($got)" \
	[ "$got" = "$(printf 'capacity\tPAY_PER_REQUEST\tSTANDARD_INFREQUENT_ACCESS\tprovisioned 100 read, 50 write -> on-demand, Standard -> Standard-IA')" ]
got=$(jq -r 'select(.table == "coupled") | .apply' p/recommendations.ndjson)
want="aws dynamodb update-table --table-name coupled --billing-mode PAY_PER_REQUEST --region us-east-1
aws dynamodb wait table-exists --table-name coupled --region us-east-1
aws dynamodb update-table --table-name coupled --table-class STANDARD_INFREQUENT_ACCESS --region us-east-1"
check "its commands" [ "$got" = "$want" ]

# Lower capacity: auto scaling deregistered, then the fixed capacity.
got=$(jq -r 'select(.table == "app-util") | .apply' p/recommendations.ndjson)
want="aws application-autoscaling deregister-scalable-target --service-namespace dynamodb --resource-id table/app-util --scalable-dimension dynamodb:table:ReadCapacityUnits --region us-east-1
aws dynamodb update-table --table-name app-util --provisioned-throughput ReadCapacityUnits=12,WriteCapacityUnits=7 --region us-east-1"
check "lower capacity commands" [ "$got" = "$want" ]

# --min-savings, --low-utilization-threshold, --breakeven-ratio.
run 0 optima-rank --min-savings 1 --output min1.ndjson scenarios.ndjson
got=$(jq -r 'select(.table == "small") | [.type, .monthly_savings_usd] |
	@tsv' min1.ndjson)
check "a \$4 saving is kept at --min-savings 1 ($got)" \
	[ "$got" = "$(printf 'capacity\t4')" ]
hasnt p/recommendations.ndjson '"small"'
# Utilization 10 % read, 12 % write, at or above 5 %: well used, no
# fixed capacity (60); but it auto scales now, and auto scaling at the
# scenario's (tuned) settings costs 70 against 100: that, saving 30.
run 0 optima-rank --low-utilization-threshold 5 --output low.ndjson \
	scenarios.ndjson
got=$(jq -r 'select(.table == "app-util") | [.type, .monthly_savings_usd,
	.recommended.scenario] | @tsv' low.ndjson)
check "well used but auto scaled: the tuned settings ($got)" \
	[ "$got" = "$(printf 'utilization\t30\tprovisioned_autoscaled')" ]
run 0 optima-rank --breakeven-ratio 5 --output be.ndjson scenarios.ndjson
got=$(jq -r 'select(.table == "app-both") | [.type, .monthly_savings_usd,
	.recommended.table_class] | @tsv' be.ndjson)
check "below the break-even ratio, no Standard-IA ($got)" \
	[ "$got" = "$(printf 'capacity\t60\tSTANDARD')" ]
run 0 optima-rank --breakeven-ratio 2 --output be2.ndjson scenarios.ndjson
check "above it, Standard-IA" [ "$(jq -r 'select(.table == "app-both") |
	.type' be2.ndjson | sort | tr '\n' ' ')" = "capacity table_class " ]

# A filter: the same records on the standard output, summary on stderr.
run 0 optima-rank --project-root p scenarios.ndjson
check "as a filter, the same records" cmp out p/recommendations.ndjson
has err "Total Potential Savings"
optima-rank --type table_class --project-root p scenarios.ndjson \
	2>typed >/dev/null
hasnt typed "Capacity Mode"
has typed "Table Class Analysis Results"

# Bad input: file and line; the old recommendations stay.
cp p/recommendations.ndjson keep.ndjson
printf '{"kind":"scenario","account":"1","region":"r"}\n' >bad.ndjson
run 1 optima-rank --project-root p --output p/recommendations.ndjson \
	bad.ndjson
has err "bad.ndjson:1:"
check "a failed rank leaves the file" cmp keep.ndjson p/recommendations.ndjson
{ cat scenarios.ndjson; head -1 scenarios.ndjson; } >apart.ndjson
run 1 optima-rank apart.ndjson
has err "must be together"
jq -c 'del(.current_table_class)' scenarios.ndjson >old.ndjson
run 1 optima-rank old.ndjson
has err "current_table_class"
run 1 sh -c 'optima-rank --output - scenarios.ndjson >/dev/full'
run 1 optima-rank --output /dev/full scenarios.ndjson
check "a device is written, not replaced" [ -c /dev/full ]
run 2 optima-rank --throttle-budget -1
run 2 optima-rank --type bogus
run 2 optima-rank --breakeven-ratio x

# ---- optima-report ----
nrec=$(wc -l <p/recommendations.ndjson)
run 0 optima-report --project-root p --format json
check "json: one array of $nrec" [ "$(jq length out)" -eq "$nrec" ]
run 0 optima-report --project-root p --format ndjson
check "ndjson: $nrec records" [ "$(jq -s length out)" -eq "$nrec" ]
check "ndjson: largest saving first" [ "$(jq -r .monthly_savings_usd out |
	tr '\n' ' ')" = "60 40 25 20 20 15 13 " ]
run 0 optima-report --project-root p --format csv --output recs.csv
python3 -c '
import csv, json, sys
rows = list(csv.DictReader(open("recs.csv", newline="")))
recs = [json.loads(l) for l in open("p/recommendations.ndjson")]
byid = {r["id"]: r for r in recs}
assert len(rows) == len(recs), (len(rows), len(recs))
for row in rows:
    r = byid[row["id"]]
    assert abs(float(row["monthly_savings_usd"]) - r["monthly_savings_usd"]) < 0.005
    assert row["apply"] == (r["apply"] or ""), row["apply"]
    assert row["reason"] == r["reason"] and row["table"] == r["table"]
    assert row["index"] == (r["index"] or "")
' 2>pyerr
check "csv: parsed back, fields and multi-line commands intact" [ $? -eq 0 ]
sed 's/^/# /' pyerr
check "csv: CRLF line ends" [ "$(head -1 recs.csv | od -c | grep -c '\\r')" -eq 1 ]
run 0 optima-report --project-root p --format markdown
check "markdown: header, rule and a row each" \
	[ "$(grep -c '^| ' out)" -eq $((nrec + 1)) ]
has out "|---|"
has out "**Total:** $nrec recommendations, \$193.00/month (\$2,316.00/year)"
run 0 optima-report --project-root p
has out "Total: $nrec recommendations, \$193.00/month (\$2,316.00/year)"
check "table: a line per recommendation" \
	[ "$(grep -c -e '-[0-9a-f]\{16\} ' out)" -eq "$nrec" ]
check "table: the columns are aligned" [ "$(awk 'NR > 1 && NF > 0 &&
	!/^Total/ { print index($0, "111111111111") + index($0,
	"222222222222") }' out | sort -u | wc -l)" -eq 1 ]
run 0 optima-report --project-root p --format aws-cli --output apply.sh
check "aws-cli: sh -n passes" sh -n apply.sh
has apply.sh "--table-class STANDARD_INFREQUENT_ACCESS"
has apply.sh "#   saves \$60.00/month (\$720.00/year), confidence high"
has apply.sh "#   to review: there is no command to run"
# In each account's group (a subshell), a line is a comment, the group's
# credentials and their check, or a command.
check "aws-cli: every line of a group is a command or its frame" \
	[ "$(awk '$0 == "(" { g = 1; next } $0 == ")" { g = 0; next }
	g && !/^(#|$|set -e$|optima_(role|profile|check) |aws )/' apply.sh |
	wc -l)" -eq 0 ]
check "aws-cli: the commands are in groups" [ "$(awk '$0 == "(" { g = 1 }
	$0 == ")" { g = 0 } !g && /^aws /' apply.sh | wc -l)" -eq 0 ]

# Filters, each checked on what comes back.
sel() {
	optima-report --project-root p --format ndjson "$@" 2>>sel.err |
		jq -r .table |
		sort | tr '\n' ' '
}
check "--type capacity" [ "$(sel --type capacity)" = "app-both coupled tiny " ]
check "--type table_class" [ "$(sel --type table_class)" = "app-both ia-back " ]
check "--type utilization" [ "$(sel --type utilization)" = "app-util legacy-gsi " ]
check "--min-savings 25" [ "$(sel --min-savings 25)" = "app-both app-util legacy-gsi " ]
check "--region us-west-2" [ "$(sel --region us-west-2)" = "ia-back " ]
check "--account 222222222222" [ "$(sel --account 222222222222)" = "ia-back " ]
check "--table-regex '^app-'" [ "$(sel --table-regex '^app-')" = "app-both app-both app-util " ]
check "--table-regex '[gu]-?[a-z]+$'" [ "$(sel --table-regex '(?i)GSI$|^t')" = "legacy-gsi tiny " ]
got=$(optima-report --project-root p --format ndjson --sort table |
	jq -r '[.account, .region, .table] | join("/")' | tr '\n' ' ')
check "--sort table" [ "$got" = "111111111111/us-east-1/app-both 111111111111/us-east-1/app-both 111111111111/us-east-1/app-util 111111111111/us-east-1/coupled 111111111111/us-east-1/legacy-gsi 111111111111/us-east-1/tiny 222222222222/us-west-2/ia-back " ]
check "--status pending: all" [ "$(sel --status pending | wc -w)" -eq "$nrec" ]
check "--status accepted: none yet" [ -z "$(sel --status accepted)" ]

# Regular expressions outside RE2's syntax: a clear error, status 2.
for re in '(a)\1' '(?=x)' '(?<!x)y' 'a++' 'a{2}+' '(?>a)' 'a\C' '(?R)' \
    '(?1)' '(?(1)a|b)' '\k<n>' '(*ACCEPT)'; do
	run 2 optima-report --project-root p --table-regex "$re"
	has err "not in the RE2 syntax"
done
run 2 optima-report --project-root p --table-regex '(unclosed'
has err "--table-regex (unclosed: missing closing parenthesis"
run 2 optima-report --format xml
run 2 optima-report --status finished
run 2 optima-report --sort size

# ---- optima-mark: decisions survive re-analysis ----
util=$(jq -r 'select(.table == "app-util") | .id' p/recommendations.ndjson)
run 0 optima --project-root p mark "$cap" accepted --note 'after the freeze'
run 0 optima-mark --project-root p "$util" rejected
run 0 optima-mark --project-root p "$util" implemented
check "decisions appended" [ "$(wc -l <p/decisions.ndjson)" -eq 3 ]
got=$(jq -r 'select(.id == "'"$cap"'") | [.kind, .status, .note,
	(.at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$"))] | @tsv' \
	p/decisions.ndjson)
check "a decision record ($got)" \
	[ "$got" = "$(printf 'decision\taccepted\tafter the freeze\ttrue')" ]
run 1 optima-mark --project-root p cap-0000000000000000 accepted
has err "cap-0000000000000000: no such recommendation"
run 2 optima-mark --project-root p "$cap" finished
run 2 optima-mark --project-root p "$cap"
check "the report shows the status now" \
	[ "$(sel --status accepted)" = "app-both " ]
check "the last decision wins" [ "$(sel --status implemented)" = "app-util " ]
ids=$(jq -r .id p/recommendations.ndjson | sort)
run 0 optima-rank --project-root p
check "the same ids after re-analysis" \
	[ "$(jq -r .id p/recommendations.ndjson | sort)" = "$ids" ]
got=$(jq -r 'select(.id == "'"$cap"'" or .id == "'"$util"'") | .status' \
	p/recommendations.ndjson | sort | tr '\n' ' ')
check "statuses survive re-analysis ($got)" [ "$got" = "accepted implemented " ]
has out "Lower provisioned capacity: 0 tables -> Save \$0/month"
run 0 optima-report --project-root p --status accepted --format aws-cli
check "the accepted commands" [ "$(grep -c '^aws ' out)" -eq 1 ]
has out "--billing-mode PAY_PER_REQUEST"
# A torn line is skipped with a warning, then ended before the next one.
printf '{"kind":"decision","id":"x' >>p/decisions.ndjson
run 0 optima-report --project-root p --status accepted
has err "decisions.ndjson:4: not a decision record (skipped)"
run 0 optima-mark --project-root p "$cap" pending
check "after a torn line, a whole one" \
	[ "$(tail -1 p/decisions.ndjson | jq -r .status)" = pending ]
check "back to pending" [ -z "$(sel --status accepted)" ]

# Two class changes in 30 days are the most AWS allows: ia-back went to
# Standard, then (as if it had been Standard) to Standard-IA.
cls=$(jq -r 'select(.table == "ia-back") | .id' p/recommendations.ndjson)
run 0 optima-mark --project-root p "$cls" implemented
jq -c 'if .table == "ia-back" then (.table_class |= (if . == "STANDARD"
	then "STANDARD_INFREQUENT_ACCESS" else "STANDARD" end)) |
	if .current_table_class then .current_table_class = "STANDARD"
	else . end else . end' scenarios.ndjson >swapped.ndjson
run 0 optima-rank --project-root p --output p/recommendations.ndjson \
	swapped.ndjson
got=$(jq -r 'select(.table == "ia-back") | [.id, .recommended.table_class]
	| @tsv' p/recommendations.ndjson)
check "the way back is another recommendation" \
	[ "${got%%	*}" != "$cls" ] && [ "${got#*	}" = STANDARD_INFREQUENT_ACCESS ]
run 0 optima-mark --project-root p "${got%%	*}" implemented
run 0 optima-rank --project-root p
hasnt p/recommendations.ndjson '"ia-back"'

# The analyze commands: options go where they belong, or are refused.
run 2 optima --project-root p analyze-capacity --bogus 1
run 2 optima --project-root p analyze-capacity --months 1
run 2 optima --project-root p analyze-table-class --months 0
run 2 optima --project-root p analyze-utilization --breakeven-ratio 2

# ---- end to end: the emulator's organization ----
emulator_start --org small || exit 1
e=$T/e
run 0 optima --project-root "$e" discover --use-org
run 0 optima --project-root "$e" collect --days 14
run 0 optima --project-root "$e" collect-pricing
run 0 optima --project-root "$e" analyze-capacity
has out "Capacity Mode Analysis Results"
has out "Total Potential Savings: \$"
check "recommendations made" [ "$(wc -l <"$e/recommendations.ndjson")" -gt 0 ]
# Each recommendation's costs are its scenarios' costs (a global table's,
# the sum of its replicas'), and its saving their difference; a table's
# first step starts from its current cost.
bad=$(jq -rs '
	(map(select(.kind == "scenario" and .index == null)) |
	 map({key: ([.account, .region, .table, .scenario, .table_class] |
	   join("/")), value: .monthly_usd}) | from_entries) as $cost |
	map(select(.kind == "recommendation" and .index == null)) | .[] |
	. as $r |
	(.replicas // [.]) as $rep |
	([$rep[] | $cost[[$r.account, .region, $r.table, .current.scenario,
	  .current.table_class] | join("/")]] | add) as $from |
	([$rep[] | $cost[[$r.account, .region, $r.table,
	  .recommended.scenario, .recommended.table_class] | join("/")]] |
	  add) as $to |
	select(($from - .current_monthly_usd | fabs) > 1e-9 or
	  ($to - .recommended_monthly_usd | fabs) > 1e-9 or
	  ($from - $to - .monthly_savings_usd | fabs) > 1e-9 or
	  (.after == null and .current.scenario != "current")) | .id' \
	"$e/scenarios.ndjson" "$e/recommendations.ndjson")
check "savings are the scenarios' differences ($bad)" [ -z "$bad" ]
run 0 optima --project-root "$e" analyze-utilization
has out "Utilization Analysis Results"
run 0 optima --project-root "$e" analyze-table-class --breakeven-ratio 0.5
has out "Table Class Analysis Results"
run 0 optima --project-root "$e" list-recommendations --format aws-cli \
	--output "$e/apply.sh"
check "the organization's script passes sh -n" sh -n "$e/apply.sh"
finish
