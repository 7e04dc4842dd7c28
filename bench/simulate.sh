#!/bin/sh
# bench/simulate.sh - optima-simulate over a generated organization
#
# Generates projects of 500 and 2,000 tables (a third on demand, 0 to 2
# indexes each, 50 tables per account and region) with 14 days of 1-minute
# series, then simulates each three times and prints, for the fastest run,
# tables per second per core (CPU time, reading the NDJSON included) and
# peak memory, which should not grow with the number of tables.  The
# generated files are flushed to disk first, so that their writing does
# not count.  For comparison: the original tool's published speed is about
# 1,000 tables a minute (17 a second) and it was measured at about 0.25 s
# of work per table.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${OPTIMA_BINDIR:-$top/build/bin}
gen=${OPTIMA_BENCHDIR:-$top/build/bench}/simulate-gen
T=$(mktemp -d "${TMPDIR:-/tmp}/optima-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT

for n in 500 2000; do
	rm -rf "$T/p"
	"$gen" "$T/p" "$n" 14
	size=$(du -sm "$T/p/metrics" | cut -f1)
	sync
	for run in 1 2 3; do
		/usr/bin/time -f '%U %S %M' -o "$T/time.$run" \
			"$bin/optima-simulate" --project-root "$T/p" >"$T/out"
	done
	cpu=$(awk '{ print $1 + $2 }' "$T"/time.* | sort -g | head -n 1)
	rss=$(awk '$3 > m { m = $3 } END { print m }' "$T"/time.*)
	# Resources: the tables and their indexes, 84 series each.
	res=$(sed -n 's/^Simulated \([0-9]*\) tables and \([0-9]*\) indexes.*/\1 \2/p' \
		"$T/out" | awk '{ print $1 + $2 }')
	awk -v n="$n" -v cpu="$cpu" -v m="$rss" -v mb="$size" -v res="$res" '
	    BEGIN {
		printf "simulate: %d tables and their indexes (%d resources of 84 series), 14 days of 1-minute data (%d MB), best of 3: %.2f s CPU, %.0f tables/s per core (%.0f resources/s), %.0f MB/s, %.2f ms per table, peak memory %.1f MB (the original tool: about 17 tables/s, 250 ms per table)\n",
		    n, res, mb, cpu, n / cpu, res / cpu, mb / cpu, cpu * 1000 / n, m / 1024
	}'
done
