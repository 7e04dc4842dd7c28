#!/bin/sh
# bench/gui.sh - the dashboard's answers on a large project
#
# bench/gui.sh [dir]: with no argument, starts the emulator with the
# large organization (about 1,000 accounts and 10,000 tables) and runs
# `optima run --use-org --days 2` into a scratch project directory
# (removed at the end; the answers depend on the tables, scenarios and
# recommendations, hardly on the days); with a project directory, uses
# it as it is.  Then starts optima-gui on it and requests, with curl,
# every answer of the API the dashboard asks for (after the start, which
# reads the project's files, each page's, then
# four of the largest at once), and prints the time and size of each,
# and the peak memory of the server (VmHWM).  Prints the machine first: nproc, memory, CPU model.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${OPTIMA_BINDIR:-$top/build/bin}
T=$(mktemp -d "${TMPDIR:-/tmp}/optima-bench.XXXXXX")
emu=
gui=
trap '[ -z "$emu" ] || kill "$emu" 2>/dev/null
	[ -z "$gui" ] || kill "$gui" 2>/dev/null; rm -rf "$T"' EXIT

printf 'machine: %s cores, %s GB memory, %s\n' "$(nproc)" \
	"$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)" \
	"$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)"

if [ $# -gt 0 ]; then
	p=$1
else
	p=$T/p
	"$top/tests/emulator/run" --port 0 --org large --env "$T/env" \
		>/dev/null 2>"$T/emu.err" &
	emu=$!
	while [ ! -s "$T/env" ]; do sleep 0.1; done
	# shellcheck disable=SC1091 # written by the emulator
	. "$T/env"
	start=$(date +%s)
	OPTIMA_BINDIR=$bin "$top/scripts/optima" --project-root "$p" \
	    run --use-org --days 2 >"$T/run" 2>&1 ||
		{ cat "$T/run" >&2; exit 1; }
	kill "$emu"
	wait "$emu" 2>/dev/null || :
	emu=
	echo "project: optima run --use-org --days 2 in" \
	    "$(($(date +%s) - start)) s"
fi
printf 'project: %d accounts, %d tables, %d scenarios, %d recommendations\n' \
    "$(wc -l <"$p/accounts.ndjson")" "$(cat "$p"/tables/*/*.ndjson | wc -l)" \
    "$(wc -l <"$p/scenarios.ndjson")" "$(wc -l <"$p/recommendations.ndjson")"

start=$(date +%s.%N)
OPTIMA_GUI_DIR=$top/gui "$bin/optima-gui" --project-root "$p" --port 0 \
    >"$T/gui" 2>"$T/gui.err" &
gui=$!
while ! grep -q '^Open ' "$T/gui"; do
	kill -0 "$gui" || { cat "$T/gui.err" >&2; exit 1; }
	sleep 0.01
done
printf '  %-40s %7.3f s\n' 'start (reads the files)' \
    "$(echo "$(date +%s.%N) - $start" | bc)" >"$T/start"
url=$(sed -n 's/^Open \(http:[^ ]*\)\/ .*/\1/p' "$T/gui")

# GET ${url}$1, named $2: its time, size and status.
get() {
	curl -s -o "$T/body" -w '%{time_total} %{size_download} %{http_code}\n' \
	    "$url$1" >"$T/w"
	read -r t n code <"$T/w"
	[ "$code" = 200 ] || { echo "$1: HTTP $code" >&2; exit 1; }
	printf '  %-40s %7.3f s %10d bytes\n' "$2" "$t" "$n"
}

echo "answers (optima-gui, pid $gui):"
cat "$T/start"
get /api/summary 'summary (first)'
get /api/config config
get /api/summary summary
for t in capacity table_class utilization; do
	get "/api/recommendations?type=$t" "recommendations, $t"
done
get /api/recommendations 'recommendations, every type'
get '/api/recommendations?type=capacity&min_savings=100&table_regex=a' \
    'recommendations, filtered'
get /api/recommendations.csv?type=capacity 'recommendations.csv, capacity'
get /api/recommendations.csv 'recommendations.csv, every type'
get /api/tables tables
get '/api/tables?min_savings=100&table_regex=a' 'tables, filtered'
get /api/analysis?type=table_class 'analysis, table_class'
get /api/analysis?type=utilization 'analysis, utilization'
# The drill-down of the table saving most, and of the one with the most
# indexes.
get /api/summary summary >/dev/null
q=$(jq -r '.top_tables[0] | "account=\(.account)&region=\(.region)&table=\(.table|@uri)"' \
    "$T/body")
get "/api/table?$q" 'table (saving most)'
get /api/tables tables >/dev/null
q=$(jq -r '.rows | max_by(.indexes) | "account=\(.account)&region=\(.region)&table=\(.table|@uri)"' \
    "$T/body")
get "/api/table?$q" 'table (most indexes)'
# What a few tabs of the dashboard ask at once: the largest answers.
start=$(date +%s.%N)
for u in /api/recommendations /api/recommendations.csv \
    /api/recommendations?type=capacity /api/tables; do
	curl -s -o /dev/null -w '%{http_code}\n' "$url$u" >>"$T/codes" &
	pids="${pids:-} $!"
done
# shellcheck disable=SC2086 # the pids of curl, not of the server
wait $pids
[ "$(sort -u "$T/codes")" = 200 ] || { echo "at once: $(cat "$T/codes")" >&2
	exit 1; }
printf '  %-40s %7.3f s\n' '4 of the largest at once (all of them)' \
    "$(echo "$(date +%s.%N) - $start" | bc)"
printf '  %-40s %7.1f MB\n' 'peak memory (VmHWM)' "$(awk \
    '/^VmHWM/ { print $2 / 1024 }' "/proc/$gui/status")"
