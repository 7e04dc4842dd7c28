#!/bin/sh
# optima-gui against what a network can do to it: a slow answer must not
# hold up the others (a thread per connection); clients that send their
# headers a line at a time must neither fill the server nor keep their
# connections (a deadline per request, a cap per address); a page of
# another site must not read it through DNS rebinding (the Host header
# is checked on every address, 0.0.0.0 too); a table's drill-down reads
# only its own account's and region's folder of metrics/; and the
# server's memory stays small with many scenarios.  Every
# client here talks to 127.0.0.1 (from 127.0.0.x), and every loop is
# bounded in count and time.
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"

p=$T/p
a=account=111111111111
r=region=us-east-1
mkdir -p "$p/tables/$a" "$p/metrics/$a/$r"
cat >"$p/scenarios.ndjson" <<'EOF'
{"kind":"scenario","account":"111111111111","region":"us-east-1","table":"orders","index":null,"scenario":"current","table_class":"STANDARD","current_table_class":"STANDARD","billing_mode":"PAY_PER_REQUEST","monthly_usd":100,"breakdown":{"read_usd":30,"write_usd":50,"storage_usd":20},"days":2,"period":3600}
{"kind":"scenario","account":"111111111111","region":"us-east-1","table":"orders","index":null,"scenario":"provisioned_autoscaled","table_class":"STANDARD","billing_mode":"PROVISIONED","monthly_usd":70,"capacity":{"min":1,"max":100,"target":70},"throttled_minutes":3,"days":2}
EOF
cat >"$p/recommendations.ndjson" <<'EOF'
{"kind":"recommendation","id":"cap-1","type":"capacity","account":"111111111111","region":"us-east-1","table":"orders","index":null,"current":{"billing_mode":"PAY_PER_REQUEST","table_class":"STANDARD"},"recommended":{"billing_mode":"PROVISIONED","table_class":"STANDARD","scenario":"provisioned_autoscaled"},"current_monthly_usd":100,"recommended_monthly_usd":70,"monthly_savings_usd":30,"annual_savings_usd":360,"confidence":"high","status":"pending"}
EOF
echo '{"kind":"table","account":"111111111111","region":"us-east-1","table":"orders","billing_mode":"PAY_PER_REQUEST"}' \
	>"$p/tables/$a/$r.ndjson"
# Two hourly days of the table: 3600 units an hour (1 a second), 36000 in
# hour 5 of the first (10 a second).
for d in 01 02; do
	awk -v d="$d" 'BEGIN {
		for (m = 0; m < 2; m++) {
			printf "{\"kind\":\"series\",\"account\":\"111111111111\"," \
			    "\"region\":\"us-east-1\",\"table\":\"orders\"," \
			    "\"index\":null,\"metric\":\"%s\",\"stat\":\"Sum\"," \
			    "\"period\":3600,\"start\":\"2026-11-%sT00:00:00Z\"," \
			    "\"values\":[", m ? "ConsumedWriteCapacityUnits" : \
			    "ConsumedReadCapacityUnits", d
			for (h = 0; h < 24; h++)
				printf "%s%d", h ? "," : "", \
				    h == 5 && d == "01" ? 36000 : 3600
			print "]}"
		}
	}' >"$p/metrics/$a/$r/date=2026-11-$d.ndjson"
done

pids=
# shellcheck disable=SC2086 # $pids: one word per server
trap '[ -z "$pids" ] || kill $pids 2>/dev/null; rm -rf "$T"' EXIT

# serve NAME OPTIONS...: start optima-gui on a free port; $port is its
# port, $pid its process.
serve() {
	name=$1
	shift
	optima-gui --project-root "$p" --port 0 "$@" >"$T/$name.out" \
		2>"$T/$name.err" &
	pid=$!
	pids="$pids $pid"
	i=0
	url=
	while [ -z "$url" ] && [ "$i" -lt 300 ] && kill -0 "$pid" 2>/dev/null; do
		url=$(grep -o 'http://[^ ]*/' "$T/$name.out" 2>/dev/null) || url=
		[ -n "$url" ] || sleep 0.1
		i=$((i + 1))
	done
	port=${url##*:}
	port=${port%/}
	[ -n "$url" ]
}

# jqe FILTER FILE: passes if FILTER holds of FILE.
jqe() {
	jq -e "$1" "$2" >/dev/null
}

# get [curl options] URL: the status in $code, the body in $T/b.
get() {
	code=$(curl -s -o "$T/b" --max-time 30 -w '%{http_code}' "$@") ||
		code=000
}

# stop NAME PID: SIGTERM stops the server with status 0, and it said
# nothing of a sanitizer.
stop() {
	kill "$2"
	st=0
	wait "$2" || st=$?
	check "$1: SIGTERM stops it with status 0 ($st)" [ "$st" -eq 0 ]
	hasnt "$1.err" "Sanitizer"
	hasnt "$1.err" "runtime error"
}

check "optima-gui starts on 127.0.0.1" serve lo
lo=http://127.0.0.1:$port
lo_pid=$pid
drill="$lo/api/table?account=111111111111&region=us-east-1&table=orders"

# ---- the drill-down reads its own folder only ----
# What would stop a walk of all of metrics/ (a folder deeper than
# PATH_MAX in another account, which no walk can enter), a broken day
# file of another account, and one of the table's own before its window.
long=$(awk 'BEGIN { for (i = 0; i < 200; i++) printf "d" }')
deep=$p/metrics/account=222222222222/$r/junk
i=0
while [ "$i" -lt 25 ]; do
	deep=$deep/$long
	i=$((i + 1))
done
mkdir -p "$deep"
check "a folder deeper than PATH_MAX in another account" \
	[ "${#deep}" -gt 4096 ]
mkdir -p "$p/metrics/account=333333333333/region=eu-west-1"
echo 'not a series {' \
	>"$p/metrics/account=333333333333/region=eu-west-1/date=2026-11-02.ndjson"
echo 'not a series {' >"$p/metrics/$a/$r/date=2026-10-01.ndjson"
get "$drill"
check "the drill-down answers ($code)" [ "$code" = 200 ]
check "with a chart" jqe '.chart | type == "object"' "$T/b"
check "of the window, the last 2 days of the project's metrics" \
	jqe '.chart.start == "2026-11-01T00:00:00Z" and
	.chart.days_seen == 2 and .chart.period == 3600' "$T/b"
check "its consumed capacity, per second" \
	jqe '.chart.read.consumed[5] == 10 and .chart.read.consumed[4] == 1 and
	(.chart.read.consumed | length) == 48' "$T/b"
check "and its record" jqe '.record.table == "orders"' "$T/b"
# A later day in another account moves the window, as optima-simulate
# would move it (the folders' names are read again when they change).
mkdir -p "$p/metrics/account=444444444444/$r"
echo 'not read either {' \
	>"$p/metrics/account=444444444444/$r/date=2026-11-03.ndjson"
get "$drill"
check "a later day elsewhere moves the window ($code)" \
	jqe '.chart.start == "2026-11-02T00:00:00Z" and
	.chart.days_seen == 1' "$T/b"
rm -r "$p/metrics/account=444444444444"
get "$drill"
check "and back when it goes" \
	jqe '.chart.start == "2026-11-01T00:00:00Z"' "$T/b"

# ---- a slow answer holds up no other ----
# A table record file of 30 MB (300 records of 50,000 numbers before the
# table's): its drill-down takes seconds, the summary meanwhile not.
awk 'BEGIN {
	v = "0"
	for (i = 1; i < 50000; i++)
		v = v ",1"
	for (t = 0; t < 300; t++)
		printf "{\"kind\":\"table\",\"account\":\"111111111111\"," \
		    "\"region\":\"us-east-1\",\"table\":\"filler%d\",\"x\":[%s]}\n",
		    t, v
	print "{\"kind\":\"table\",\"account\":\"111111111111\"," \
	    "\"region\":\"us-east-1\",\"table\":\"orders\"}"
}' >"$p/tables/$a/$r.ndjson"
curl -s -o "$T/slow" --max-time 60 -w '%{http_code} %{time_total}' \
	"$drill" >"$T/slow.time" &
cpid=$!
sleep 0.3
summary=$(curl -s -o "$T/b" --max-time 30 -w '%{http_code} %{time_total}' \
	"$lo/api/summary") || summary="000 30"
wait "$cpid"
read -r scode stime <"$T/slow.time"
ccode=${summary% *}
ctime=${summary#* }
echo "# drill-down: $scode in $stime s; summary, 0.3 s after: $ccode in $ctime s"
check "the slow drill-down answers ($scode)" [ "$scode" = 200 ]
check "the summary answers meanwhile ($ccode)" [ "$ccode" = 200 ]
check "the drill-down is slow (at least half a second: $stime s)" \
	awk -v t="$stime" 'BEGIN { exit !(t >= 0.5) }'
check "the summary comes before it, within 2 s ($ctime s)" \
	awk -v s="$ctime" -v t="$stime" 'BEGIN { exit !(s < 2 && s + 0.3 < t - 0.1) }'

# ---- slow clients ----
# slow PORT SPEC SECONDS: connections from the source addresses of SPEC
# (ADDRxN,...) each send a request line and a header every 2 s, for at
# most SECONDS; print one line each: its address, "cut" (the server
# closed it) or "held" (open at the end), and its milliseconds.
slow() {
	node - "$@" <<'EOF'
const net = require('node:net');
const port = Number(process.argv[2]);
const spec = process.argv[3];
const secs = Number(process.argv[4]);
const all = [];
let open = 0;
let ending = false;
function done() {
  for (const r of all)
    console.log([r.addr, r.why, (r.end || Date.now()) - r.start].join('\t'));
  process.exit(0);
}
for (const part of spec.split(',')) {
  const [addr, n] = part.split('x');
  for (let i = 0; i < Number(n); i++) {
    const r = { addr, why: 'held', start: Date.now(), end: null };
    all.push(r);
    open++;
    const s = net.connect({ host: '127.0.0.1', port, localAddress: addr });
    r.s = s;
    let timer = null;
    let k = 0;
    s.on('connect', () => {
      r.start = Date.now();
      s.write('GET /api/summary HTTP/1.1\r\nHost: 127.0.0.1:' + port + '\r\n');
      timer = setInterval(() => s.write('X-Slow-' + (k++) + ': x\r\n'), 2000);
    });
    s.on('error', () => {});
    s.on('close', () => {
      clearInterval(timer);
      if (!ending) {
        r.why = 'cut';
        r.end = Date.now();
      }
      if (--open === 0) done();
    });
  }
}
setTimeout(() => {
  ending = true;
  for (const r of all) if (r.why === 'held') r.s.destroy();
  setTimeout(done, 500);
}, secs * 1000);
EOF
}
# ended FILE WHY MAXMS: the connections of FILE that ended as WHY within
# MAXMS milliseconds.
ended() {
	awk -v w="$2" -v m="$3" '$2 == w && $3 <= m { n++ } END { print n + 0 }' "$1"
}

# 64 slow connections from one address: 16 are kept, the others closed
# at once; a request from another address is answered meanwhile.
slow "$port" 127.0.0.2x64 8 >"$T/slow1" 2>"$T/slow1.err" &
npid=$!
sleep 1.5
get --max-time 5 "$lo/api/summary"
check "64 slow connections from 127.0.0.2: 127.0.0.1 is answered ($code)" \
	[ "$code" = 200 ]
wait "$npid"
k=$(ended "$T/slow1" cut 2000)
check "48 of them are closed at once ($k)" [ "$k" -ge 48 ]
check "all of them were made" [ "$(wc -l <"$T/slow1")" -eq 64 ]

# 64 slow connections from 8 addresses fill the server (which closes any
# more at once); each is cut when its 10 seconds are up, and the server
# answers again.
spec=
i=2
while [ "$i" -le 9 ]; do
	spec=$spec${spec:+,}127.0.0.$((i + 8))x8
	i=$((i + 1))
done
slow "$port" "$spec" 20 >"$T/slow2" 2>"$T/slow2.err" &
npid=$!
sleep 1.5
i=0
code=000
while [ "$code" != 200 ] && [ "$i" -lt 30 ]; do
	sleep 0.5
	get --max-time 5 "$lo/api/summary"
	i=$((i + 1))
done
check "64 slow connections from 8 addresses: the server answers again within 16 s ($code)" \
	[ "$code" = 200 ]
wait "$npid"
k=$(ended "$T/slow2" cut 14000)
check "each of them is cut within its 10 seconds ($k of 64 within 14 s)" \
	[ "$k" -eq 64 ]
sed 's/^/# /' "$T/slow1.err" "$T/slow2.err" | head -5
get "$lo/api/config"
check "the server still answers ($code)" [ "$code" = 200 ]
stop lo "$lo_pid"

# ---- memory ----
# 30,000 scenarios of other tables (18 MB, as optima-simulate writes
# them): the server holds an index of their lines, not their JSON values
# (which would take 130 MB).
awk 'BEGIN {
	for (i = 0; i < 30000; i++)
		printf "{\"kind\":\"scenario\",\"account\":\"222222222222\"," \
		    "\"region\":\"eu-west-1\",\"table\":\"t%d\",\"index\":null," \
		    "\"scenario\":\"current\",\"table_class\":\"STANDARD\"," \
		    "\"billing_mode\":\"PROVISIONED\",\"monthly_usd\":7.31304875," \
		    "\"breakdown\":{\"read_usd\":6.017983125,\"write_usd\":1.295065625," \
		    "\"storage_usd\":0.0},\"capacity\":{\"read\":300,\"write\":120," \
		    "\"autoscaling\":{\"read\":{\"min\":50,\"max\":1500,\"target\":70}," \
		    "\"write\":{\"min\":20,\"max\":600,\"target\":70}}},\"usage\":" \
		    "{\"rcu_hours\":59188.6607142857,\"wcu_hours\":20011.994047619}," \
		    "\"throttled_request_units\":0.0,\"throttled_minutes\":0.0," \
		    "\"coverage\":1.0,\"period\":60,\"days\":14,\"approximate\":false," \
		    "\"evidence\":{\"read\":{\"avg_units_per_s\":52.0339339451058," \
		    "\"peak_units_per_s\":73.5666666666667,\"throttle_events\":0.0," \
		    "\"provisioned_avg\":80.6651785714286,\"utilization_pct\":64.506066764645}," \
		    "\"write\":{\"avg_units_per_s\":17.3479695767196,\"peak_units_per_s\":" \
		    "24.5166666666667,\"throttle_events\":0.0,\"provisioned_avg\":" \
		    "27.2428075396825,\"utilization_pct\":63.6790813555104}," \
		    "\"peak_to_average\":1.41382096430143},\"current_table_class\":" \
		    "\"STANDARD\"}\n", i
}' >>"$p/scenarios.ndjson"
check "optima-gui starts again" serve mem
get "http://127.0.0.1:$port/api/summary"
check "the summary counts every table ($code)" \
	jqe '.tables_analyzed == 30001' "$T/b"
hwm=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$pid/status")
if ldd "$(command -v optima-gui)" 2>/dev/null | grep -q 'lib[at]san'; then
	ok 0 "# SKIP the peak memory with a sanitizer (${hwm} kB)"
else
	check "the server's peak memory is under 50 MB (${hwm} kB)" \
		[ "${hwm:-999999}" -lt 51200 ]
fi
get "http://127.0.0.1:$port/api/table?account=111111111111&region=us-east-1&table=orders"
check "the drill-down reads its own scenarios again ($code)" \
	jqe '(.scenarios | length) == 2 and .scenarios[0].table == "orders" and
	.scenarios[0].breakdown.storage_usd == 20' "$T/b"
stop mem "$pid"

# ---- Host headers, on every address ----
check "optima-gui starts on 0.0.0.0" serve any --host 0.0.0.0 \
	--allowed-host dash.example --allow-edits
any=http://127.0.0.1:$port
any_pid=$pid
# ask_host HOST: the status of the summary asked with that Host header.
ask_host() {
	get -H "Host: $1" "$any/api/summary"
}
ask_host evil.example
check "0.0.0.0: a foreign Host header is refused ($code)" \
	[ "$code" = 421 ] || [ "$code" = 403 ]
ask_host "evil.example:$port"
check "0.0.0.0: with the server's port too ($code)" [ "$code" = 421 ]
ask_host "127.0.0.1:$port"
check "0.0.0.0: 127.0.0.1 is served ($code)" [ "$code" = 200 ]
ask_host "localhost:$port"
check "0.0.0.0: localhost is served ($code)" [ "$code" = 200 ]
ask_host "127.0.0.1:1"
check "0.0.0.0: another port is refused ($code)" [ "$code" = 421 ]
ask_host "$(hostname):$port"
check "0.0.0.0: the machine's name is served ($code)" [ "$code" = 200 ]
ask_host "dash.example"
check "--allowed-host dash.example is served ($code)" [ "$code" = 200 ]
ask_host "DASH.example:8443"
check "with any port, in any case ($code)" [ "$code" = 200 ]
ask_host "dash.example.evil.example"
check "but not a name it begins ($code)" [ "$code" = 421 ]
# decide HOST ORIGIN: the status of a decision sent so.
decide() {
	get -H "Host: $1" -H "Origin: $2" -H 'Content-Type: application/json' \
		-d '{"id":"cap-1","status":"accepted"}' "$any/api/decision"
}
decide evil.example http://evil.example
check "a decision through DNS rebinding is refused ($code)" [ "$code" = 421 ]
decide "127.0.0.1:$port" http://evil.example
check "a decision from another origin is refused ($code)" [ "$code" = 403 ]
decide "127.0.0.1:$port" "http://localhost:$port"
check "a decision from another name of the server is refused ($code)" \
	[ "$code" = 403 ]
check "no decision was written" [ ! -e "$p/decisions.ndjson" ]
decide "127.0.0.1:$port" "http://127.0.0.1:$port"
check "a decision from the page is recorded ($code)" [ "$code" = 200 ]
decide dash.example https://dash.example
check "and one through a proxy of an allowed name ($code)" [ "$code" = 200 ]
check "both are in decisions.ndjson" [ "$(grep -c cap-1 "$p/decisions.ndjson")" -eq 2 ]
stop any "$any_pid"
pids=

run 2 optima-gui --allowed-host 'evil.example/x'
has err "--allowed-host evil.example/x"
run 0 optima-gui --help
has out "[--allowed-host name]"
finish
