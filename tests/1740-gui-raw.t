#!/bin/sh
# optima-gui against raw, malformed HTTP (what curl will not send: garbage
# request lines, HTTP/0.9 and unknown versions, NUL and bare CR or LF,
# thousands of headers, a 64 KB request line, lying Content-Length, broken
# chunked bodies, encoded traversal, pipelining), and markup in every
# string field of a recommendation: never a file outside the project,
# never a crash, and the server answers afterwards; markup comes back as
# data (JSON, CSV), never as a page.  tests/1500-gui.t has the rest.
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"

# A small project: one table of the fuzz corpus, simulated and ranked,
# then every string of a recommendation made markup.
p=$T/p
acct=account=111111111111
mkdir -p "$p/tables/$acct" "$p/metrics/$acct/region=us-east-1" "$p/prices" "$p/cur"
awk -v RS='%%\n' -v dir="$T" '{ printf "%s", $0 > (dir "/part" NR) }' \
	"$OPTIMA_TOP/tests/fuzz/corpus/simulate/oversized-catalog.txt"
mv "$T/part1" "$p/tables/$acct/region=us-east-1.ndjson"
mv "$T/part2" "$p/metrics/$acct/region=us-east-1/date=2026-11-20.ndjson"
mv "$T/part3" "$p/prices/region=us-east-1.ndjson"
mv "$T/part4" "$p/cur/billing_period=2026-10.ndjson"
run 0 optima-simulate --project-root "$p"
run 0 optima-rank --project-root "$p" --min-savings 0
check "the project has a recommendation" [ -s "$p/recommendations.ndjson" ]
x='<img src=x onerror=window.__xss=1>'
# Every string but the keys and the values of a fixed set.
head -1 "$p/recommendations.ndjson" | jq -c --arg x "$x" '
	.id = "cap-00000000000000ff" |
	reduce paths(strings) as $p (.;
	    if ($p[-1] | IN("id", "kind", "type", "status", "confidence",
	        "account", "region", "billing_mode", "table_class",
	        "scenario", "action")) then .
	    else setpath($p; getpath($p) + $x) end)' >"$T/evil"
cat "$T/evil" >>"$p/recommendations.ndjson"

optima-gui --project-root "$p" --port 0 >"$T/gui.out" 2>"$T/gui.err" &
pid=$!
trap 'kill "$pid" 2>/dev/null; rm -rf "$T"' EXIT
i=0
url=
while [ -z "$url" ] && [ "$i" -lt 300 ] && kill -0 "$pid" 2>/dev/null; do
	url=$(grep -o 'http://[^ ]*/' "$T/gui.out" 2>/dev/null) || url=
	[ -n "$url" ] || sleep 0.1
	i=$((i + 1))
done
check "optima-gui starts" [ -n "$url" ]
port=${url##*:}
port=${port%/}

# Raw requests, one connection each; prints "NAME<TAB>first line of the
# answer (or closed)<TAB>whether the answer holds /etc/passwd's text".
node - "$port" >"$T/raw" 2>"$T/raw.err" <<'EOF'
const net = require('node:net');
const port = Number(process.argv[2]);
const H = 'Host: 127.0.0.1:' + port + '\r\n';
const many = Array.from({ length: 5000 }, (_, i) => `X-H${i}: v\r\n`).join('');
const cases = [
  ['garbage', 'GARBAGE\r\n\r\n'],
  ['http-0.9', 'GET /\r\n\r\n'],
  ['http-9.9', 'GET / HTTP/9.9\r\n' + H + '\r\n'],
  ['nul-in-path', 'GET /\0/../../etc/passwd HTTP/1.1\r\n' + H + '\r\n'],
  ['bare-lf', 'GET /api/summary HTTP/1.1\n' + H.replace('\r\n', '\n') + 'X: a\rb\n\n'],
  ['5000-headers', 'GET /api/summary HTTP/1.1\r\n' + H + many + '\r\n'],
  ['64k-request-line', 'GET /' + 'a'.repeat(65536) + ' HTTP/1.1\r\n' + H + '\r\n'],
  ['lying-length', 'POST /api/decision HTTP/1.1\r\n' + H +
    'Content-Type: application/json\r\nContent-Length: 999999999\r\n\r\n{"id":'],
  ['bad-chunks', 'POST /api/decision HTTP/1.1\r\n' + H +
    'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nxx\r\n0\r\n\r\n'],
  ['encoded-traversal', 'GET /%2e%2e/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\n' + H + '\r\n'],
  ['double-encoded', 'GET /%252e%252e/%252e%252e/etc/passwd HTTP/1.1\r\n' + H + '\r\n'],
  ['backslashes', 'GET /..\\..\\..\\etc\\passwd HTTP/1.1\r\n' + H + '\r\n'],
  ['absolute-uri', 'GET http://127.0.0.1:' + port + '/../../etc/passwd HTTP/1.1\r\n' + H + '\r\n'],
  ['bad-escapes', 'GET /api/recommendations?%%%%&&==&a=%ZZ&%00=%00 HTTP/1.1\r\n' + H + '\r\n'],
  ['no-host', 'GET /api/summary HTTP/1.1\r\n\r\n'],
  ['two-hosts', 'GET /api/summary HTTP/1.1\r\n' + H + 'Host: evil.example\r\n\r\n'],
  ['pipelined', 'GET /api/config HTTP/1.1\r\n' + H + '\r\nGET /../../etc/passwd HTTP/1.1\r\n' + H + '\r\n'],
];
function one([name, req]) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let data = '';
    const done = () => {
      const first = data.split('\r\n')[0] || 'closed';
      console.log([name, first, /root:/.test(data) ? 'passwd' : 'clean'].join('\t'));
      resolve();
    };
    s.setTimeout(10000, () => s.destroy());
    s.on('data', (d) => { data += d; });
    s.on('error', () => {});
    s.on('close', done);
    s.write(req, () => { if (name !== 'lying-length') s.end(); });
    if (name === 'lying-length') setTimeout(() => s.destroy(), 1000);
  });
}
(async () => { for (const c of cases) await one(c); })();
EOF
check "the raw requests were sent" [ "$(wc -l <"$T/raw")" -eq 17 ]
sed 's/^/# /' "$T/raw.err" | head -5
while IFS="$(printf '\t')" read -r name first leak; do
	# A NUL ends the path (the page is served); a bare LF ends a line
	# as RFC 9112 allows; pipelined requests are answered in turn.
	case $name:$first in
	pipelined:*200* | nul-in-path:*200* | bare-lf:*200* | \
	    *:*4[0-9][0-9]* | *:closed | *:*505*) res=0 ;;
	*) res=1 ;;
	esac
	ok "$res" "$name: refused or closed ($first)"
	check "$name: nothing of /etc/passwd" [ "$leak" = clean ]
done <"$T/raw"
code=$(curl -s -o "$T/b" -w '%{http_code}' "${url}api/config")
check "the server still answers ($code)" [ "$code" = 200 ]
check "and still runs" kill -0 "$pid"

# Markup in every string field comes back as data.
curl -s -o "$T/b" -D "$T/h" "${url}api/recommendations"
has h "Content-Type: application/json"
has h "X-Content-Type-Options: nosniff"
check "the markup is a JSON string of the record" \
	[ "$(jq -r '.rows[] | select(.id == "cap-00000000000000ff") | .table' "$T/b")" = \
	"$(jq -r .table "$T/evil")" ]
curl -s -o "$T/b" -D "$T/h" "${url}api/recommendations.csv"
has h "Content-Type: text/csv"
has h "Content-Disposition: attachment"
drill() {
	t=$(jq -r .table "$T/evil" | jq -sRr @uri)
	curl -s -D "$T/h2" -o /dev/null \
	    "${url}api/table?account=111111111111&region=us-east-1&table=$t"
	grep -q "Content-Type: application/json" "$T/h2"
}
check "the drill-down of a table named with markup answers JSON" drill
lacks() {
	! grep -qE "$1" "$2"
}
check "the page never builds HTML from strings (no innerHTML in app.js)" \
	lacks 'innerHTML|outerHTML|insertAdjacentHTML|document\.write' \
	"$OPTIMA_TOP/gui/app.js"
kill "$pid"
st=0
wait "$pid" || st=$?
check "SIGTERM stops it with status 0 ($st)" [ "$st" -eq 0 ]
check "no sanitizer report" lacks Sanitizer "$T/gui.err"
finish
