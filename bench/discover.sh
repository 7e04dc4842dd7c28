#!/bin/sh
# bench/discover.sh - discovery of the emulator's organizations
#
# For each of the emulator's small (3 accounts), medium (20) and large
# (about 1,000 accounts and 10,000 tables) organizations: starts
# tests/emulator/run, discovers it into a scratch project directory, and
# prints accounts per minute, tables per second and the peak memory of
# optima-discover, which should not grow with the number of accounts.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${OPTIMA_BINDIR:-$top/build/bin}
T=$(mktemp -d "${TMPDIR:-/tmp}/optima-bench.XXXXXX")
emu=
trap '[ -z "$emu" ] || kill "$emu" 2>/dev/null; rm -rf "$T"' EXIT

for org in small medium large; do
	rm -rf "$T/env" "$T/p"
	"$top/tests/emulator/run" --port 0 --org "$org" --env "$T/env" \
		>/dev/null 2>&1 &
	emu=$!
	while [ ! -s "$T/env" ]; do sleep 0.1; done
	# shellcheck disable=SC1091 # written by the emulator
	. "$T/env"
	start=$(date +%s.%N)
	/usr/bin/time -f '%M' -o "$T/rss" "$bin/optima-discover" \
		--project-root "$T/p" --use-org --concurrency 32 >"$T/out"
	end=$(date +%s.%N)
	kill "$emu"
	wait "$emu" 2>/dev/null || :
	emu=
	accounts=$(wc -l <"$T/p/accounts.ndjson")
	tables=$(cat "$T/p"/tables/*/*.ndjson | wc -l)
	awk -v o="$org" -v s="$start" -v e="$end" -v a="$accounts" \
	    -v t="$tables" -v m="$(cat "$T/rss")" 'BEGIN {
		d = e - s
		printf "discover %s: %d accounts, %d tables in %.1f s: %.0f accounts/min, %.0f tables/s, peak memory %.1f MB\n",
		    o, a, t, d, a * 60 / d, t / d, m / 1024
	}'
done
