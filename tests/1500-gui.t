#!/bin/sh
# optima-gui: its API's safety with curl (path traversal, oversized
# requests, malformed query strings, HTML in fields, foreign hosts and
# origins), then its pages in a real browser (tests/gui-browser.mjs:
# playwright-core driving Debian's chromium), over the project of the
# demo organization (scripts/demo).  The screenshots are written to
# $OPTIMA_ARTIFACTS/gui-screens, else to gui-screens/ beside the
# programs' directory (build/gui-screens, build-san/gui-screens).
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"

shots=${OPTIMA_ARTIFACTS:+$OPTIMA_ARTIFACTS/gui-screens}
shots=${shots:-$OPTIMA_BINDIR/../gui-screens}
mkdir -p "$shots"
P=$T/proj
pids=
# shellcheck disable=SC2086 # $pids: one word per server
trap '[ -z "$pids" ] || kill $pids 2>/dev/null; rm -rf "$T"' EXIT

# The demo organization's project directory, with HTML where the page
# shows text: a tag of the table jobs, and a recommendation whose table,
# change and reason are markup.
"$OPTIMA_TOP/scripts/demo" "$P" >"$T/demo.out" 2>&1
check "the demo project is built" [ -s "$P/recommendations.ndjson" ]
tail -3 "$T/demo.out" | sed 's/^/# /'
# An idle table: audit-log (provisioned) without a read or a write (its
# consumed capacity all 0), then analyze-idle.  Commitments: a provisioned table,
# reserved-base, whose hourly usage (read 700 + 20 an hour of the day,
# write 400; auto scaled, 100 less read) makes reserved capacity worth
# buying, then analyze-commitments.
for f in "$P"/metrics/account=222222222222/region=us-east-1/*.ndjson; do
	jq -c 'if .table == "audit-log" and (.metric | test("Consumed"))
		then .values |= map(0) else . end' "$f" >"$T/m" && mv "$T/m" "$f"
done
optima --project-root "$P" analyze-idle --min-savings 0 >"$T/idle.out" 2>&1
check "an idle table" grep -q '"type":"idle"' "$P/recommendations.ndjson"
U=$P/usage/account=111111111111/region=us-east-1.ndjson
start=$(head -1 "$U" | jq .start)
jq -nc --argjson s "$start" '{kind: "usage",
	account: "111111111111", region: "us-east-1", table: "reserved-base",
	start: $s, hours: 336, global: false, read_request_units: 0,
	write_request_units: 0,
	current: {rcu: [range(336) | 700 + (. % 24) * 20], wcu: 400},
	provisioned_autoscaled: {rcu: [range(336) | 600 + (. % 24) * 20],
	wcu: 400}}' >>"$U"
optima --project-root "$P" analyze-commitments >"$T/cmt.out" 2>&1
check "reserved capacity to buy, and a savings plan" [ "$(jq -s \
	'map(.commitment) | unique | length' "$P/commitments.ndjson")" = 2 ]
tf=$P/tables/account=222222222222/region=eu-west-1.ndjson
jq -c 'if .table == "jobs" then .tags = {"owner":
	"<img src=x onerror=window.__xss=1>", "team": "<b>payments</b>"}
	else . end' "$tf" >"$T/tables" && mv "$T/tables" "$tf"
jq -c 'select(.table == "jobs" and .type == "capacity") |
	.id = "cap-0123456789abcdef" |
	.table = "<script>window.__xss=2</script><img src=x>" |
	.change = "<b>bold</b> & \"quoted\", too" |
	.reason = "<i>reason</i>\r\nline two" |
	.monthly_savings_usd = 1.5 | .annual_savings_usd = 18 |
	.effective_monthly_savings_usd = 1.5' \
	"$P/recommendations.ndjson" >"$T/evil"
cat "$T/evil" >>"$P/recommendations.ndjson"
check "a recommendation with HTML in its fields is added" [ -s "$T/evil" ]
optima --project-root "$P" list-recommendations --format json \
	>"$T/expected.json"
check "list-recommendations reads the project" \
	[ "$(jq length "$T/expected.json")" -gt 10 ]

# serve NAME OPTIONS...: start optima-gui on a free port; $url is its URL.
serve() {
	name=$1
	shift
	optima-gui --project-root "$P" --port 0 "$@" >"$T/$name.out" \
		2>"$T/$name.err" &
	pid=$!
	pids="$pids $pid"
	i=0
	url=
	while [ -z "$url" ]; do
		url=$(grep -o 'http://[^ ]*/' "$T/$name.out" 2>/dev/null) || url=
		i=$((i + 1))
		if [ -z "$url" ] && { [ "$i" -gt 300 ] ||
		    ! kill -0 "$pid" 2>/dev/null; }; then
			sed 's/^/# /' "$T/$name.err"
			return 1
		fi
		[ -n "$url" ] || sleep 0.1
	done
}
serve ro
check "optima-gui starts and prints its URL" [ -n "$url" ]
ro=$url
ro_pid=$pid
serve rw --allow-edits --theme dark
rw=$url
rw_pid=$pid
# A project directory without records, for the page of an empty project.
mkdir "$T/empty"
P0=$P
P=$T/empty
serve empty
empty_pid=$pid
P=$P0
has ro.out "(read-only)"
has rw.out "(decisions allowed)"
case $ro in
http://127.0.0.1:*) ok 0 "it listens on loopback by default" ;;
*) ok 1 "it listens on loopback by default ($ro)" ;;
esac

# get [curl options] URL: the status in $code, the headers in $T/h, the
# body in $T/b.
get() {
	code=$(curl -s -o "$T/b" -D "$T/h" -w '%{http_code}' "$@") || code=000
}
# expect CODE DESCRIPTION [curl options] URL
expect() {
	want=$1
	what=$2
	shift 2
	get "$@"
	if [ "$code" = "$want" ]; then
		ok 0 "$what: $want"
	else
		ok 1 "$what: $want (got $code)"
		head -c 300 "$T/b" | sed 's/^/# /'
		echo
	fi
}
# json_error FILE: FILE holds a JSON error object.
json_error() {
	jq -e '.error | length > 0' "$1" >/dev/null
}
# alive: the server still answers.
alive() {
	get "${ro}api/config"
	check "$1, and the server still answers" [ "$code" = 200 ]
}

# The page and the API, with their types and policy.
expect 200 "the page" "$ro"
has h "Content-Type: text/html; charset=utf-8"
has h "Content-Security-Policy: default-src 'none'; script-src 'self'"
has h "X-Content-Type-Options: nosniff"
expect 200 "Chart.js, from npm's install" "${ro}chart.umd.js"
has h "Content-Type: text/javascript"
expect 200 "the summary" "${ro}api/summary"
has h "Content-Type: application/json"
has h "Content-Security-Policy: default-src 'none'"
# The totals add the joint figures (effective_monthly_savings_usd).
want=$(jq '[.[] | select(.status == "pending" or .status == "accepted") |
	.effective_monthly_savings_usd // .monthly_savings_usd] | add * 100 |
	round' "$T/expected.json")
got=$(jq '.total_monthly_usd * 100 | round' "$T/b")
check "the summary's total is list-recommendations' ($got cents)" \
	[ "$got" = "$want" ]

# Path traversal: no path from a URL reaches a file.
for u in '/../../../../etc/passwd' '/%2e%2e/%2e%2e/etc/passwd' \
    '/..%2f..%2f..%2fetc%2fpasswd' '/%2e%2e%2f%2e%2e%2fetc%2fpasswd' \
    '//etc/passwd' '/etc/passwd' '/app.js/../../../etc/passwd' \
    '/gui/app.js' '/node_modules/chart.js/dist/chart.umd.js' \
    '/index.html%00.js' '/.%2e/.%2e/etc/passwd' '/app.css/' \
    '/api/../../etc/passwd' '/api/%2e%2e/summary'; do
	get --path-as-is "${ro%/}$u"
	if [ "$code" = 404 ] && ! grep -q 'root:' "$T/b"; then
		ok 0 "traversal $u: 404"
	else
		ok 1 "traversal $u: 404 (got $code)"
	fi
done
get --path-as-is "${ro}app.css?../../etc/passwd"
check "a query string on a file is only a query string ($code)" \
	[ "$code" = 200 ] && ! grep -q 'root:' "$T/b"
for t in '/../../etc/passwd' 'etc/passwd' "${ro}../../etc/passwd" \
    '/etc/passwd'; do
	get --path-as-is --request-target "$t" "$ro"
	if [ "$code" != 200 ] && ! grep -q 'root:' "$T/b"; then
		ok 0 "request target $t: refused ($code)"
	else
		ok 1 "request target $t: refused (got $code)"
	fi
done
expect 400 "a table key with a path in it is not looked up" \
	"${ro}api/table?account=../../etc&region=passwd&table=x&x=1"
expect 404 "nor a table the records do not have" \
	"${ro}api/table?account=..%2F..&region=..%2F..&table=passwd"

# Oversized requests.
long=$(head -c 100000 /dev/zero | tr '\0' a)
get "${ro}api/recommendations?table_regex=$long"
check "a 100 KB URL is refused ($code)" [ "$code" -ge 400 ] && \
	[ "$code" -lt 500 ]
alive "after a 100 KB URL"
get -H "X-Big: $long" "${ro}api/summary"
check "a 100 KB header is refused ($code)" [ "$code" -ge 400 ] && \
	[ "$code" -lt 500 ]
alive "after a 100 KB header"
printf '{"id":"%s","status":"accepted"}' "$long" >"$T/big"
expect 413 "a 100 KB decision" -H 'Content-Type: application/json' \
	--data-binary @"$T/big" "${rw}api/decision"
expect 403 "a 100 KB decision, read-only" -H 'Content-Type: application/json' \
	--data-binary @"$T/big" "${ro}api/decision"
alive "after 100 KB bodies"
long=$(head -c 300 /dev/zero | tr '\0' a)
expect 400 "a 300-byte argument" "${ro}api/recommendations?account=$long"

# Malformed query strings.
for q in 'table_regex=%ZZ(' 'type=capacity&type=utilization' 'foo=bar' \
    'table_regex=a%00b' 'min_savings=abc' 'min_savings=-1' \
    'min_savings=nan' '%ff%fe=1' 'type=%ff' '&&&=' '=' 'type=<b>x</b>' \
    'status=done' 'mode=both' 'a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11&l=12&m=13&n=14&o=15&p=16&q=17' \
    'table_regex=(a' 'table_regex=(%3F%3Dx)' 'table_regex=a%5C1'; do
	expect 400 "query $q" "${ro}api/recommendations?$q"
	has h "Content-Type: application/json"
	check "query $q: a JSON error" json_error "$T/b"
done
expect 400 "the summary takes no argument" "${ro}api/summary?x"
expect 400 "nor does the list of tables" "${ro}api/tables?x=1"
expect 200 "the list of tables" "${ro}api/tables"
want=$(jq -r 'select(.kind == "scenario" and .index == null) |
	[.account, .region, .table] | join("/")' "$P/scenarios.ndjson" |
	sort -u | wc -l)
check "every table of the scenarios, once" \
	[ "$(jq '.rows | map([.account, .region, .table]) | unique | length' \
	"$T/b")" -eq "$want" ] && [ "$(jq '.rows | length' "$T/b")" -eq "$want" ]
# (All but the one added above, of a table without scenarios.)
check "their recommendations counted" [ "$(jq '[.rows[].recommendations] |
	add' "$T/b")" -eq "$(($(jq 'map(select(.type != "commitment")) |
	length' "$T/expected.json") - 1))" ]
expect 200 "empty values mean all" \
	"${ro}api/recommendations?type=&region=&table_regex="
check "all of them" [ "$(jq .count "$T/b")" = "$(jq length "$T/expected.json")" ]
expect 200 "a valid query" \
	"${ro}api/recommendations?type=capacity&region=eu-west-1&table_regex=%5Eidle&min_savings=1"
check "selects what it says" [ "$(jq -r '[.rows[].table] | unique | join(",")' \
	"$T/b")" = idle-sessions ]

# HTML in fields: JSON-typed, and the CSV quotes it.
expect 200 "the recommendations, HTML in fields" \
	"${ro}api/recommendations?type=capacity"
has h "Content-Type: application/json"
has b '"table":"<script>window.__xss=2</script><img src=x>"'
expect 200 "the CSV export" "${ro}api/recommendations.csv?type=capacity&table_regex=script"
has h "Content-Type: text/csv"
has h 'Content-Disposition: attachment; filename="optima-recommendations.csv"'
has b '"<b>bold</b> & ""quoted"", too"'
check "the CSV has a header and the one row" [ "$(grep -c '^"' "$T/b")" -eq 2 ]

# Methods, hosts and origins.
expect 405 "DELETE" -X DELETE "$ro"
expect 405 "POST to the page" -X POST -d x "$ro"
expect 421 "a foreign Host header" -H 'Host: evil.example' "${ro}api/summary"
expect 421 "no Host header" -H 'Host:' "${ro}api/summary"
port=${ro##*:}
port=${port%/}
expect 200 "localhost as the Host" -H "Host: localhost:$port" \
	"${ro}api/config"
id=$(jq -r '.[0].id' "$T/expected.json")
expect 403 "a decision read-only" -H 'Content-Type: application/json' \
	-d "{\"id\":\"$id\",\"status\":\"accepted\"}" "${ro}api/decision"
expect 403 "a decision as a form (cross-site)" \
	-d "{\"id\":\"$id\",\"status\":\"accepted\"}" "${rw}api/decision"
expect 403 "a decision from another origin" -H 'Origin: http://evil.example' \
	-H 'Content-Type: application/json' \
	-d "{\"id\":\"$id\",\"status\":\"accepted\"}" "${rw}api/decision"
expect 404 "a decision about no recommendation" \
	-H 'Content-Type: application/json' \
	-d '{"id":"cap-nosuch","status":"accepted"}' "${rw}api/decision"
expect 400 "a decision with a bad status" -H 'Content-Type: application/json' \
	-d "{\"id\":\"$id\",\"status\":\"maybe\"}" "${rw}api/decision"
expect 400 "a decision that is not JSON" -H 'Content-Type: application/json' \
	-d "{\"id\":" "${rw}api/decision"
check "no decision was written" [ ! -e "$P/decisions.ndjson" ]

# The pages in a browser.
node "$OPTIMA_TOP/tests/gui-browser.mjs" "$ro" "$rw" "$P" \
	"$T/expected.json" "$shots" "$url" >"$T/browser" 2>"$T/browser.err"
st=$?
while IFS= read -r line; do
	case $line in
	"ok - "*) ok 0 "${line#ok - }" ;;
	"not ok - "*) ok 1 "${line#not ok - }" ;;
	*) printf '%s\n' "$line" ;;
	esac
done <"$T/browser"
check "the browser tests ran (exit $st)" [ "$st" -eq 0 ]
[ "$st" -eq 0 ] || sed "s/^/# /" "$T/browser.err" | tail -40
optima --project-root "$P" list-recommendations --status accepted \
	--format json >"$T/accepted"
check "optima list-recommendations sees the decisions made in the pages" \
	[ "$(jq -r 'map(.type) | sort | join(",")' "$T/accepted")" = \
	capacity,commitment ]
for f in dashboard capacity-filtered capacity-regex-error table-class \
    utilization table-jobs capacity-edits-dark dashboard-dark \
    empty-dashboard-390 empty-dashboard-1440 menu-390 \
    capacity-edits-dark-390 \
    table-steady-orders-chart-390; do
	check "screenshot $f.png" [ -s "$shots/$f.png" ]
done
for f in dashboard capacity table-class utilization idle commitments \
    tables table-jobs table-audit-log table-steady-orders table-payments table-new-feature table-devices \
    table-carts; do
	for w in 1440 390; do
		check "screenshot $f-$w.png" [ -s "$shots/$f-$w.png" ]
	done
done
echo "# screenshots: $(cd "$shots" && pwd)"

# They stop cleanly on SIGTERM, having said nothing amiss.
for s in "ro $ro_pid" "rw $rw_pid" "empty $empty_pid"; do
	# shellcheck disable=SC2086 # a name and a pid
	set -- $s
	kill "$2"
	st=0
	wait "$2" || st=$?
	check "$1: SIGTERM stops it with status 0 ($st)" [ "$st" -eq 0 ]
	hasnt "$1.err" "Sanitizer"
	hasnt "$1.err" "runtime error"
done
pids=
finish
