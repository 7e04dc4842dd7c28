#!/bin/sh
# bench/metrics.sh - CloudWatch collection from the emulator
#
# Discovers the emulator's medium organization (20 accounts, about 340
# tables) and collects 14 days of its metrics into a project directory;
# then discovers the large one (1,000 accounts, about 10,000 tables) and
# collects 14 days of it as a filter, to /dev/null (the files would take
# some 10 GB).  Prints datapoints per minute, requests per second, the
# peak memory of optima-fetch-metrics, and how many calls the emulator
# refused for exceeding CloudWatch's quota of 50 per second per account
# and region (optima stays at 40: it should be 0).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${OPTIMA_BINDIR:-$top/build/bin}
T=$(mktemp -d "${TMPDIR:-/tmp}/optima-bench.XXXXXX")
emu=
trap '[ -z "$emu" ] || kill "$emu" 2>/dev/null; rm -rf "$T"' EXIT

for org in medium large; do
	rm -rf "$T/env" "$T/p"
	"$top/tests/emulator/run" --port 0 --org "$org" --env "$T/env" \
		>/dev/null 2>"$T/emu.err" &
	emu=$!
	while [ ! -s "$T/env" ]; do sleep 0.1; done
	# shellcheck disable=SC1091 # written by the emulator
	. "$T/env"
	"$bin/optima-discover" --project-root "$T/p" --use-org \
		--concurrency 32 >/dev/null
	tables=$(cat "$T/p"/tables/*/*.ndjson | wc -l)
	start=$(date +%s.%N)
	if [ "$org" = medium ]; then
		/usr/bin/time -f '%M' -o "$T/rss" "$bin/optima-fetch-metrics" \
			--project-root "$T/p" --days 14 >"$T/out" 2>&1
	else
		cat "$T/p"/tables/*/*.ndjson |
			/usr/bin/time -f '%M' -o "$T/rss" \
			"$bin/optima-fetch-metrics" --days 14 - \
			>/dev/null 2>"$T/out"
	fi
	end=$(date +%s.%N)
	kill "$emu"
	wait "$emu" 2>/dev/null || :
	emu=
	refused=$(sed -n 's/.* rps=\([0-9]*\).*/\1/p' "$T/emu.err")
	sed -n 's/.*: \([0-9]*\) datapoints in .*, \([0-9]*\) requests$/\1 \2/p' \
		"$T/out" | awk -v o="$org" -v t="$tables" -v s="$start" \
		-v e="$end" -v m="$(cat "$T/rss")" -v r="${refused:-?}" '{
		d = e - s
		printf "fetch-metrics %s: %d tables, 14 days: %d datapoints in %.1f s: %.1f million datapoints/min, %.0f requests/s, peak memory %.1f MB, %s calls refused for the rate\n",
		    o, t, $1, d, $1 * 60 / d / 1e6, $2 / d, m / 1024, r
	}'
done
