#!/bin/sh
# optima-status: what a project holds; bad records named by file:line
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"

p=$T/proj
a=123456789012
mkdir -p "$p/tables/account=$a" "$p/metrics/account=$a/region=us-east-1" \
	"$p/metrics/account=$a/region=eu-west-1"
printf '{"kind":"account","account":"%s"}\n' $a >"$p/accounts.ndjson"
for t in orders users; do
	printf '{"kind":"table","account":"%s","region":"us-east-1","table":"%s"}\n' $a $t
done >"$p/tables/account=$a/region=us-east-1.ndjson"
for d in 01 02 03; do
	printf '{"kind":"series","account":"%s","region":"us-east-1"}\n' $a \
		>"$p/metrics/account=$a/region=us-east-1/date=2026-11-$d.ndjson"
done
printf '{"kind":"series"}\n{"kind":"series"}\n' \
	>"$p/metrics/account=$a/region=eu-west-1/date=2026-10-30.ndjson"

run 0 optima-status --project-root "$p"
has out "accounts                  1 account"
has out "tables                    2 table"
has out "metrics                   5 series          in 4 files, 2026-10-30 to 2026-11-03"
has out "Accounts: 1"
has out "Regions: 2 (eu-west-1 us-east-1)"
run 0 optima-status --project-root "$p" --verbose
has out "$a  us-east-1              2      3          3  2026-11-01 to 2026-11-03"
has out "CAPACITY_ANALYSIS_DAYS=14	# default"
run 0 optima-status --project-root "$p" --check
has out "Check: 0 files with problems"

# Usage errors exit 2; a full disk or closed output exits 1.
run 2 optima-status --frobnicate
has err "usage: optima-status [--check] [--verbose] [--project-root dir]"
run 2 optima-status extra-operand
run 1 sh -c "optima-status --project-root '$p' >/dev/full"
has err "write error on standard output"

# Malformed NDJSON: exit 1, the message names file:line, nothing written.
before=$(snapshot "$p")
f=$p/metrics/account=$a/region=us-east-1/date=2026-11-02.ndjson
printf '{"kind":"series"}\n{"kind":"series",\n' >>"$f"
before=$(snapshot "$p")
run 1 optima-status --project-root "$p" --check
has err "date=2026-11-02.ndjson:3: invalid JSON"
has out "Check: 1 file with problems"
check "nothing written by a failed check" [ "$before" = "$(snapshot "$p")" ]
printf '{"kind":"series"}\n' >"$f"

# A line over the cap.
awk 'BEGIN { printf "{\"kind\":\"series\",\"x\":\""; for (i = 0; i < 5000000; i++) printf "a"; print "\"}" }' >"$f"
run 1 optima-status --project-root "$p" --check
has err "date=2026-11-02.ndjson:1: line longer than 4194304 bytes"
printf '{"kind":"series"}\n' >"$f"

# Records that do not belong where they are.
printf '{"kind":"table","account":"%s"}\n' $a >"$p/accounts.ndjson"
run 1 optima-status --project-root "$p" --check
has err "accounts.ndjson:1: a \"table\" record in a file of \"account\" records"
printf '{"kind":"account","account":"%s"}\n' $a >"$p/accounts.ndjson"
printf '{"kind":"table","account":"999999999999","region":"us-east-1"}\n' \
	>"$p/tables/account=$a/region=us-east-1.ndjson"
run 1 optima-status --project-root "$p" --check
has err "region=us-east-1.ndjson:1: \"account\" is not \"$a\""
printf '{"kind":"table","account":"%s","region":"us-east-1"}\n' $a \
	>"$p/tables/account=$a/region=us-east-1.ndjson"

# Leftovers of an interrupted write, and an unfinished run.
printf 'half' >"$p/tables/account=$a/.region=us-west-2.ndjson.Qw12Er"
mkdir -p "$p/state/discover/account=$a"
printf '{"kind":"run","stage":"discover","started":"2026-11-25T10:00:00Z","units":4}\n' \
	>"$p/state/discover.run"
printf '{"kind":"checkpoint"}\n' >"$p/state/discover/account=$a/region=us-east-1.done"
run 0 optima-status --project-root "$p" --verbose
has out "Leftover files (interrupted writes or strays; optima never reads them): 1"
has out ".region=us-west-2.ndjson.Qw12Er"
has out "discover         UNFINISHED: started 2026-11-25T10:00:00Z, 1 of 4 units done"
hasnt out "us-west-2              "

# A bad optima.conf is reported with file:line.
printf 'CAPACITY_ANALYSIS_DAYS=0\n' >"$p/optima.conf"
run 1 optima-status --project-root "$p"
has err "optima.conf:1: CAPACITY_ANALYSIS_DAYS=0: out of range (from 1 to 3650)"
finish
