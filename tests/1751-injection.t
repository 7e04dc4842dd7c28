#!/bin/sh
# optima-report against hostile names: a table name with a newline and a
# command, terminal escape sequences, a spreadsheet formula, Markdown
# markup, shell quotes and $(...) go through optima-rank and every format;
# the aws-cli script is run by sh with a stub aws that records what it is
# given; "apply" texts that are not optima-rank's are refused; then regular
# expressions that make a backtracking matcher run for hours end, in
# milliseconds, with an error naming them
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"

# The names, as JSON.
cat >names.json <<'EOF'
["nl\ntouch pwned-nl #",
 "esc\u001b[31mred\u001b]0;title\u0007\u009b2J\r\u202eevil",
 "=HYPERLINK(\"http://evil.example/\",\"x\")",
 "md|pipe`tick`*b*_i_[l](u)<b>#h\\s~t&amp;",
 "q'\"$(touch pwned-sub)`touch pwned-bq`${HOME}"]
EOF

# The scenarios of a provisioned table for which on-demand costs less, for
# each name.
jq -c '.[] as $t |
  ("current", "provisioned_autoscaled", "provisioned_fixed",
   "on_demand") as $s | (0, 1) as $c |
  ({current: 100, provisioned_autoscaled: 80, provisioned_fixed: 90,
    on_demand: 40}[$s] + 50 * $c) as $usd |
  {kind: "scenario", account: "111111111111", region: "us-east-1",
   table: $t, index: null, scenario: $s,
   table_class: (["STANDARD", "STANDARD_INFREQUENT_ACCESS"][$c]),
   billing_mode: (if $s == "on_demand" then "PAY_PER_REQUEST"
     else "PROVISIONED" end),
   monthly_usd: $usd,
   breakdown: {read_usd: ($usd / 2 - 1), write_usd: ($usd / 2 - 1),
     storage_usd: 2},
   capacity: (if $s == "provisioned_fixed" then {read: 12, write: 7}
     elif $s == "provisioned_autoscaled" then
       {min: 1, max: 40000, target: 70}
     elif $s == "current" then {read: 100, write: 50, autoscaling: null}
     else null end),
   throttled_request_units: 0, throttled_minutes: 0,
   coverage: 1, period: 60, days: 14, approximate: false}
  + (if $s == "current" then
      {current_table_class: "STANDARD",
       evidence: {read: {avg_units_per_s: 10, peak_units_per_s: 20,
                         throttle_events: 0, utilization_pct: 5},
                  write: {avg_units_per_s: 5, peak_units_per_s: 10,
                          throttle_events: 0, utilization_pct: 5},
                  peak_to_average: 2}}
    else {} end)' names.json >scenarios.ndjson
mkdir p
cp scenarios.ndjson p/
run 0 optima-rank --project-root p
check "a capacity recommendation for each name" \
	[ "$(jq -s 'map(.table) | sort' p/recommendations.ndjson)" = \
	"$(jq sort names.json)" ]

# c0 FILE: how many C0 control characters and DELs FILE has, newlines
# aside.
c0() {
	LC_ALL=C tr -d '\n\040-\176\200-\377' <"$1" | wc -c
}

# controls FILE: the same, and the lines with a C1 control character or
# the bidirectional override U+202E (in UTF-8).
controls() {
	c1=$(printf '\302[\200-\237]\|\342\200\256')
	echo $(($(c0 "$1") + $(LC_ALL=C grep -c "$c1" "$1")))
}

# shows FILE WHAT STRING: passes if FILE has STRING (fixed), which, full
# of backslashes, the test's name only describes.
shows() {
	if grep -qF -e "$3" "$1"; then
		ok 0 "$(basename "$1") shows $2"
	else
		ok 1 "$(basename "$1") shows $2"
		printf '%s\n' "$3" | sed 's/^/wanted: /' | diag
	fi
}

# ---- aws-cli: run with a stub aws ----
mkdir bin calls run
cat >bin/aws <<'EOF'
#!/bin/sh
# A stub: the account asked (the script's check before a group), and each
# other call's arguments, NUL-terminated, in $CALLS/N.
if [ "$1 $2" = "sts get-caller-identity" ]; then
	echo asked >>"$CALLS/who"
	echo 111111111111
	exit 0
fi
n=$(($(cat "$CALLS/n" 2>/dev/null || echo 0) + 1))
echo "$n" >"$CALLS/n"
printf '%s\0' "$@" >"$CALLS/$n"
EOF
chmod +x bin/aws
run 0 optima --project-root p list-recommendations --format aws-cli \
	--sort table --output apply.sh
check "aws-cli: sh -n passes" sh -n apply.sh
check "aws-cli: no control characters in the script ($(controls apply.sh))" \
	[ "$(controls apply.sh)" -eq 0 ]
(cd run && CALLS=$T/calls PATH=$T/bin:$PATH sh ../apply.sh) >sh.out 2>&1
check "aws-cli: the script runs" [ $? -eq 0 ]
sed 's/^/# sh: /' sh.out
check "aws-cli: nothing but aws ran (no file made)" \
	[ -z "$(ls run)$(find . -name 'pwned*')" ]
check "aws-cli: three commands ran ($(cat calls/n))" \
	[ "$(cat calls/n)" -eq 3 ]
check "aws-cli: after one check of the account" \
	[ "$(wc -l <calls/who)" -eq 1 ]
# The commands, in --sort table order: the names of printable characters.
i=0
for k in 2 3 4; do
	i=$((i + 1))
	name=$(jq -r ".[$k]" names.json)
	printf '%s\0' dynamodb update-table --table-name "$name" \
		--billing-mode PAY_PER_REQUEST --region us-east-1 >want.$i
	check "aws-cli: command $i is one argument vector, the name intact" \
		cmp -s want.$i calls/$i
done
shows apply.sh "the newline name escaped in a comment" \
	'# cap-7da2d641fb0311da: capacity nl\ntouch pwned-nl # of 111111111111 in us-east-1, pending'
shows apply.sh "the escapes escaped in a comment" \
	'capacity esc\x1b[31mred\x1b]0;title\x07\u009b2J\r\u202eevil of'
has apply.sh "#   not written as a command, for an argument has control characters:"
shows apply.sh "the command left as a comment" \
	"#   aws dynamodb update-table --table-name 'nl\\ntouch pwned-nl #' --billing-mode PAY_PER_REQUEST --region us-east-1"

# ---- table ----
# Wide enough for every cell whole (the table fits $COLUMNS).
run 0 env COLUMNS=1000 optima-report --project-root p
check "table: no control characters ($(controls out))" \
	[ "$(controls out)" -eq 0 ]
check "table: a line per recommendation" [ "$(grep -c '^cap-' out)" -eq 5 ]
shows out "the newline name escaped" 'nl\ntouch pwned-nl #  '
shows out "the escapes escaped" \
	'esc\x1b[31mred\x1b]0;title\x07\u009b2J\r\u202eevil  '
check "table: the columns are aligned" [ "$(awk '/pending$/ {
	print index($0, "provisioned") }' out | sort -u | wc -l)" -eq 1 ]

# ---- Markdown ----
run 0 optima-report --project-root p --format markdown
check "markdown: no control characters ($(controls out))" \
	[ "$(controls out)" -eq 0 ]
check "markdown: a row per recommendation" [ "$(grep -c '^| cap-' out)" -eq 5 ]
# Cell separators: the "|" that no backslash escapes, 10 a row.
seps=$(grep '^| cap-' out | sed 's/\\\\//g; s/\\|//g; s/[^|]//g' | sort -u)
check "markdown: 9 cells in each row" [ "$seps" = "||||||||||" ]
# shellcheck disable=SC2016 # the backticks are the name's
shows out "the markup escaped" \
	'| md\|pipe\`tick\`\*b\*\_i\_\[l\](u)\<b\>\#h\\\\s\~t\&amp; |'
shows out "the newline escaped" '| nl\\ntouch pwned-nl \# |'
shows out "the quotes and backticks" \
	"| q'\"\$(touch pwned-sub)\\\`touch pwned-bq\\\`\${HOME} |"

# ---- CSV ----
# Besides the names: a negative amount, names that start like a formula,
# and one that is a plain number.
jq -c 'select(.table | startswith("=")) |
	(.table = "-12.5" | .id = "cap-1"),
	(.table = "@SUM(A1)" | .id = "cap-2"),
	(.table = "+1+2" | .id = "cap-3"),
	(.table = "-x" | .id = "cap-4"),
	(.table = "\tx" | .id = "cap-5"),
	(.table = "\rx" | .id = "cap-6"),
	(.table = "orders" | .id = "cap-7" | .savings_pct = -12.5)' \
	p/recommendations.ndjson >extra.ndjson
run 0 optima-report --project-root p --format csv --output recs.csv \
	p/recommendations.ndjson extra.ndjson
python3 -c '
import csv, json
rows = {r["id"]: r for r in csv.DictReader(open("recs.csv", newline=""))}
recs = [json.loads(l) for f in ("p/recommendations.ndjson", "extra.ndjson")
        for l in open(f)]
assert len(rows) == len(recs), (len(rows), len(recs))
for r in recs:
    row = rows[r["id"]]
    for k, v in row.items():
        # No cell starts as a formula, plain numbers aside.
        if v[:1] in ("=", "+", "-", "@", "\t", "\r"):
            float(v)
    want = r["table"]
    if want[:1] in ("=", "+", "-", "@", "\t", "\r") and want != "-12.5":
        want = "\x27" + want
    assert row["table"] == want, (row["table"], want)
    assert row["apply"] == r["apply"], row["apply"]
assert rows["cap-7"]["savings_pct"] == "-12.50"
assert rows["cap-1"]["table"] == "-12.5"
assert rows["cap-2"]["table"] == "\x27@SUM(A1)"
' 2>pyerr
check "csv: formulas neutralized, numbers and names intact" [ $? -eq 0 ]
sed 's/^/# /' pyerr
has recs.csv "\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"x\"\")\""

# ---- JSON and NDJSON: escaped by construction ----
run 0 optima-report --project-root p --format json
check "json: control characters escaped ($(c0 out))" [ "$(c0 out)" -eq 0 ]
check "json: the names read back" [ "$(jq 'map(.table) | sort' out)" = \
	"$(jq sort names.json)" ]
run 0 optima-report --project-root p --format ndjson
check "ndjson: a line per record" [ "$(wc -l <out)" -eq 5 ]
check "ndjson: the names read back" [ "$(jq -s 'map(.table) | sort' out)" = \
	"$(jq sort names.json)" ]
check "ndjson: control characters escaped ($(c0 out))" [ "$(c0 out)" -eq 0 ]

# ---- "apply" texts that optima-rank does not write ----
mkdir q
# shellcheck disable=SC2016 # $(...) and backticks are the record's
for apply in 'aws dynamodb update-table --table-name x; touch pwned-apply' \
    'touch pwned-apply' 'aws s3 rm s3://bucket --recursive' \
    'aws dynamodb update-table --table-name $(touch pwned-apply)' \
    'aws dynamodb update-table --table-name "x"' \
    "aws dynamodb update-table --table-name 'x" \
    'aws dynamodb update-table --table-name x`touch pwned-apply`' \
    'aws dynamodb update-table --table-name x
touch pwned-apply'; do
	jq -c --arg a "$apply" 'select(.table == "-x") | .apply = $a' \
		extra.ndjson >q/recommendations.ndjson
	run 1 optima-report --project-root q --format aws-cli
	has err 'recommendations.ndjson:1: "apply" is not AWS CLI commands'
	check "nothing written" [ ! -s out ]
done
run 0 optima-report --project-root q
check "other formats show it" [ "$(grep -c '^cap-4 ' out)" -eq 1 ]

# ---- regular expressions that backtrack for hours ----
mkdir r
long=$(printf '%0255d' 0 | tr 0 a)
jq -nc --arg t "$long" '{kind: "recommendation", id: "cap-0123456789abcdef",
	type: "capacity", account: "111111111111", region: "us-east-1",
	table: $t, index: null, monthly_savings_usd: 10}' \
	>r/recommendations.ndjson
ms() { echo $(($(date +%s%N) / 1000000)); }
for re in '((\w?){1,20}){1,20}\W' '(\w*){1,1000}\W'; do
	t0=$(ms)
	run 1 timeout 5 optima-report --project-root r --table-regex "$re"
	t1=$(ms)
	echo "# $re against a name of 255 bytes: $((t1 - t0)) ms"
	has err "--table-regex $re: matching a name of 255 bytes takes more"
	has err "recommendations.ndjson:1: the table name could not be matched"
	run 1 timeout 5 optima --project-root r list-recommendations \
		--table-regex "$re"
	has err "--table-regex $re: matching a name"
done
# The regular expressions that work, on that name.
for re in '^a+$' '(a|aa)*$' '^(?:a|b)*$' '(a{10}){25}' 'a{255}' '(\w+)+$'; do
	run 0 timeout 5 optima-report --project-root r --table-regex "$re" \
		--format ndjson
	check "$re matches it" [ "$(wc -l <out)" -eq 1 ]
done
# Counted repetitions RE2 refuses.
for re in 'a{1001}' '(a{100}){11}' '((a{10}){10}){11}' 'a{2000,}'; do
	run 2 optima-report --project-root r --table-regex "$re"
	has err "repetition counts above 1000 (nested counts multiplied) are not in the RE2 syntax"
done
run 0 optima-report --project-root r --table-regex '(a{10}){100}'

finish
