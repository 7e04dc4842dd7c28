#!/bin/sh
# bench/scale.sh - optima run end to end, in one shard and in several
#
# bench/scale.sh [org [jobs ...]]: for each number of jobs (default: 1 2),
# starts the emulator with the organization (default: large, about 1,000
# accounts and 10,000 tables), runs `optima run --use-org --days 14 --jobs
# N` into a scratch project directory, and prints the wall time of each
# stage and in total, and the peak memory of the programs of each stage
# (the largest process; with several shards, each is a process of its
# own).  The project directory is removed before the next run (the large
# organization's 14 days of metrics take some 13 GB).  Prints the machine
# first: nproc, memory, CPU model.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${OPTIMA_BINDIR:-$top/build/bin}
org=${1:-large}
[ $# -eq 0 ] || shift
jobs=${*:-1 2}
T=$(mktemp -d "${TMPDIR:-/tmp}/optima-bench.XXXXXX")
emu=
trap 'kill $emu 2>/dev/null || :; rm -rf "$T"' EXIT

printf 'machine: %s cores, %s GB memory, %s\n' "$(nproc)" \
	"$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)" \
	"$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)"

# Each program runs under time(1), which appends "program seconds KB".
mkdir "$T/shim"
for p in "$bin"/optima-*; do
	n=$(basename "$p")
	cat >"$T/shim/$n" <<EOF
#!/bin/sh
exec /usr/bin/time -a -o "$T/rss" -f "$n %e %M" "$p" "\$@"
EOF
	chmod +x "$T/shim/$n"
done

for j in $jobs; do
	rm -rf "$T/env" "$T/p" "$T/rss"
	"$top/tests/emulator/run" --port 0 --org "$org" --env "$T/env" \
		>/dev/null 2>"$T/emu.err" &
	emu=$!
	while [ ! -s "$T/env" ]; do sleep 0.1; done
	# shellcheck disable=SC1091 # written by the emulator
	. "$T/env"
	# Stamp each line of the run's output: the stages' boundaries.
	OPTIMA_BINDIR=$T/shim "$top/scripts/optima" --project-root "$T/p" \
	    run --use-org --days 14 --jobs "$j" 2>&1 |
		while IFS= read -r line; do
			printf '%s %s\n' "$(date +%s.%N)" "$line"
		done >"$T/out"
	kill "$emu"
	wait "$emu" 2>/dev/null || :
	emu=
	tables=$(cat "$T/p"/tables/*/*.ndjson | wc -l)
	accounts=$(wc -l <"$T/p/accounts.ndjson")
	size=$(du -sk "$T/p" | cut -f1)
	printf '\n%s org, --jobs %s: %d accounts, %d tables, project %.1f GB\n' \
	    "$org" "$j" "$accounts" "$tables" "$(echo "$size" |
	    awk '{ print $1 / 1048576 }')"
	# Stage times from the stamps; peak memory from the programs.
	awk -v rss="$T/rss" '
		BEGIN {
			st["optima-discover"] = "discover"
			st["optima-fetch-metrics"] = "collect"
			st["optima-pricing"] = "collect-pricing"
			st["optima-cur"] = "collect-cur"
			st["optima-simulate"] = "analyze"
			st["optima-rank"] = "rank"	# and the idle stage
			st["optima-commit"] = "commitments"
			st["optima-report"] = "recommendations"
			while ((getline l <rss) > 0) {
				split(l, f, " ")
				if (!(f[1] in st))
					continue
				s = st[f[1]]
				if (f[3] > mem[s]) mem[s] = f[3]
				if (f[3] > peak) peak = f[3]
			}
		}
		NR == 1 { t0 = $1 }
		$2 == "==" {
			if (name != "") { dt[name] = $1 - t1; order[n++] = name }
			name = $3; t1 = $1
		}
		{ last = $1 }
		END {
			if (name != "") { dt[name] = last - t1; order[n++] = name }
			# A sharded run discovers and collects in its shards.
			mem["shards"] = mem["discover"] > mem["collect"] ? \
			    mem["discover"] : mem["collect"]
			for (i = 0; i < n; i++)
				printf "  %-16s %8.1f s  %8.1f MB\n", order[i],
				    dt[order[i]], mem[order[i]] / 1024
			printf "  %-16s %8.1f s  %8.1f MB\n", "total", last - t0,
			    peak / 1024
		}' "$T/out"
	grep -E '^[0-9.]+ (Discovered|Collected|Simulated|Gathered|Total)' \
		"$T/out" | cut -d' ' -f2- | sed 's/^/  # /'
	rm -rf "$T/p"
done
