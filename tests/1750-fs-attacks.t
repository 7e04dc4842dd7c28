#!/bin/sh
# A hostile project directory: nothing outside it is ever touched, and no
# input can hang a program.  Inside the project (its root may be a link)
# no symbolic link is followed, for reading, writing or removing, and
# nothing but a regular file is read, written or appended to; each is
# refused with an error naming it.  Files named on a command line may
# still be pipes or devices.  Two programs that write one project never
# run at once: the second says who holds it.
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-emulator.sh
. "$OPTIMA_TOP/tests/lib-emulator.sh"

# A small project of three tables (tests/lib.sh), simulated and ranked.
p=$T/p
acct=account=111111111111
day=metrics/$acct/region=us-east-1/date=2026-11-20.ndjson
three_tables "$p"
run 0 optima-simulate --project-root "$p"
run 0 optima-rank --project-root "$p" --min-savings 0
id=$(jq -r .id "$p/recommendations.ndjson" | head -n 1)
check "the small project has recommendations" [ -n "$id" ]

# fresh: $q, a copy of the small project.
q=$T/q
fresh() {
	rm -rf "$q" "$T/out-of-project"
	cp -R "$p" "$q"
	mkdir "$T/out-of-project"
}

# bounded STATUS WHAT COMMAND...: run COMMAND for at most 10 seconds
# (a hang is exit 124); passes if it exits with STATUS, and if STATUS is
# 1, with an error naming WHAT.
bounded() {
	b_want=$1 b_what=$2
	shift 2
	run "$b_want" timeout 10 "$@"
	[ "$b_want" -ne 1 ] || has "$T/err" "$b_what"
}

# 7. A FIFO in place of an input is refused at once, never waited on.
fresh
rm "$q/$day"
mkfifo "$q/$day"
bounded 1 "date=2026-11-20.ndjson: not a regular file" \
	optima-simulate --project-root "$q"
bounded 1 "date=2026-11-20.ndjson: not a regular file" \
	optima-status --project-root "$q"
fresh
mkfifo "$q/optima.conf"
bounded 1 "optima.conf: not a regular file" optima-status --project-root "$q"
bounded 1 "optima.conf: not a regular file" optima-rank --project-root "$q"
fresh
rm "$q/recommendations.ndjson"
mkfifo "$q/recommendations.ndjson"
bounded 1 "recommendations.ndjson: not a regular file" \
	optima --project-root "$q" list-recommendations
bounded 1 "recommendations.ndjson: not a regular file" \
	optima-mark --project-root "$q" "$id" accepted
fresh
mkfifo "$q/decisions.ndjson"
bounded 1 "decisions.ndjson: not a regular file" \
	optima-rank --project-root "$q"
bounded 1 "decisions.ndjson: not a regular file" \
	optima-mark --project-root "$q" "$id" accepted
fresh
mkdir -p "$q/state/discover"
mkfifo "$q/state/discover.run"
bounded 1 "discover.run: not a regular file" optima-status --project-root "$q"

# The GUI's server answers (an error), never hangs, and SIGTERM stops it.
fresh
rm "$q/recommendations.ndjson"
mkfifo "$q/recommendations.ndjson"
optima-gui --project-root "$q" --port 0 >"$T/gui.out" 2>"$T/gui.err" &
gui=$!
trap 'kill -9 "$gui" 2>/dev/null; rm -rf "$T"' EXIT
i=0
url=
while [ -z "$url" ] && [ "$i" -lt 100 ] && kill -0 "$gui" 2>/dev/null; do
	url=$(grep -o 'http://[^ ]*/' "$T/gui.out" 2>/dev/null) || url=
	[ -n "$url" ] || sleep 0.1
	i=$((i + 1))
done
code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' \
	"${url:-http://127.0.0.1:1/}api/recommendations") || code=000
check "the GUI answers about a FIFO at once (HTTP $code)" [ "$code" != 000 ]
kill "$gui" 2>/dev/null
i=0
while kill -0 "$gui" 2>/dev/null && [ "$i" -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
check "and SIGTERM stops it" [ "$i" -lt 50 ]
has "$T/gui.err" "recommendations.ndjson: not a regular file"
kill -9 "$gui" 2>/dev/null
wait "$gui" 2>/dev/null || :

# Files named on the command line may be pipes, and an output named by
# --output a FIFO or a device, written in place.
fresh
mkfifo "$T/pipe"
cat "$p/scenarios.ndjson" >"$T/pipe" &
bounded 0 "" optima-rank --project-root "$q" --min-savings 0 "$T/pipe"
check "a pipe named on the command line is read" \
	[ "$(grep -c '"kind":"recommendation"' "$T/out")" -ge 3 ]
bounded 0 "" optima-rank --project-root "$q" --output /dev/null
check "--output /dev/null stays a device" [ -c /dev/null ]

# 2. Never written or appended to through a link, nor in place when not
# a regular file.  A link is replaced by the atomic rename (here one to
# /dev/null: a block device would do the same), never followed.
fresh
rm "$q/recommendations.ndjson"
ln -s /dev/null "$q/recommendations.ndjson"
bounded 0 "" optima-rank --project-root "$q" --min-savings 0
check "a linked recommendations.ndjson is replaced by a regular file" \
	[ ! -L "$q/recommendations.ndjson" ] && [ -f "$q/recommendations.ndjson" ] &&
	[ -s "$q/recommendations.ndjson" ]
fresh
rm "$q/recommendations.ndjson"
mkfifo "$q/recommendations.ndjson"
bounded 1 "recommendations.ndjson: not a regular file" \
	optima-rank --project-root "$q"
check "the FIFO is left as it was" [ -p "$q/recommendations.ndjson" ]
fresh
printf 'secret\n' >"$T/out-of-project/secret"
chmod 600 "$T/out-of-project/secret"
rm -f "$q/logs/optima.log"
ln -s "$T/out-of-project/secret" "$q/logs/optima.log"
bounded 0 "" optima-rank --project-root "$q" --min-savings 0
has "$T/err" "logs/optima.log: a symbolic link"
check "the log's link target gained no line" \
	[ "$(cat "$T/out-of-project/secret")" = secret ]
ln -s "$T/out-of-project/secret" "$q/decisions.ndjson"
bounded 1 "decisions.ndjson: a symbolic link" \
	optima-mark --project-root "$q" "$id" accepted
check "the decisions' link target gained no line" \
	[ "$(cat "$T/out-of-project/secret")" = secret ]

# 3. A data directory that is a link is refused by readers and writers
# alike, never followed nor skipped (a region would vanish).
for d in metrics "metrics/$acct" prices "tables/$acct" cur; do
	fresh
	mv "$q/$d" "$T/out-of-project/moved"
	ln -s "$T/out-of-project/moved" "$q/$d"
	bounded 1 "$d: a symbolic link" optima-simulate --project-root "$q"
	bounded 1 "$d: a symbolic link" optima-status --project-root "$q"
done
fresh
mkdir "$T/out-of-project/state"
rm -rf "$q/state"
ln -s "$T/out-of-project/state" "$q/state"
bounded 1 "state: a symbolic link" optima-status --project-root "$q"
bounded 1 "state: a symbolic link" optima-rank --project-root "$q"
fresh
rm -rf "$q/logs"
ln -s "$T/out-of-project" "$q/logs"
bounded 0 "" optima-simulate --project-root "$q"
has "$T/err" "logs: a symbolic link"
check "nothing logged through a linked logs/" \
	[ ! -e "$T/out-of-project/optima.log" ]
# The root itself may be a link.
ln -s "$p" "$T/root-link"
bounded 0 "" optima-status --project-root "$T/root-link" --check

emulator_start --org small --seed 7 --faults 'latency=dynamodb:300ms' ||
	exit 1

# 1. A fresh run's removal of old checkpoints follows no link: a linked
# state/discover (or a directory inside it) is refused, its target kept.
# victim DIR: files to lose under $T/out-of-project/DIR.
victim() {
	mkdir -p "$T/out-of-project/$1/sub"
	echo keep >"$T/out-of-project/$1/a.done"
	echo keep >"$T/out-of-project/$1/sub/b.done"
}
intact() {
	check "$1: every file outside the project is still there" \
		[ -f "$T/out-of-project/$1/a.done" ] &&
		[ -f "$T/out-of-project/$1/sub/b.done" ]
}
fresh
mkdir -p "$q/state"
victim discover
ln -s "$T/out-of-project/discover" "$q/state/discover"
bounded 1 "state/discover: a symbolic link" \
	optima --project-root "$q" discover --regions us-east-1
intact discover
fresh
mkdir -p "$q/state/metrics"
victim unit
ln -s "$T/out-of-project/unit" "$q/state/metrics/$acct"
bounded 1 "state/metrics/$acct: a symbolic link" \
	optima-fetch-metrics --project-root "$q" --days 1 --regions us-east-1
intact unit
# A resumed collect-cur sweeps its downloads: never through a link.
fresh
mkdir -p "$q/state" "$T/out-of-project/cur"
echo keep >"$T/out-of-project/cur/.part.AbC123"
ln -s "$T/out-of-project/cur" "$q/state/cur"
bounded 1 "state/cur: a symbolic link" \
	optima --project-root "$q" collect-cur --resume
check "no download swept outside the project" \
	[ -f "$T/out-of-project/cur/.part.AbC123" ]
# optima run removes state/run: never through a linked state/.
fresh
victim run
rm -rf "$q/state"
ln -s "$T/out-of-project" "$q/state"
bounded 1 "state: a symbolic link" \
	optima --project-root "$q" run --regions us-east-1
intact run
# Discovery writes no table file through a linked tables/.
fresh
rm -rf "$q/tables"
ln -s "$T/out-of-project" "$q/tables"
bounded 1 "tables: a symbolic link" \
	optima-discover --project-root "$q" --regions us-east-1
check "no table file written outside the project" \
	[ -z "$(find "$T/out-of-project" -name '*.ndjson')" ]

# 13. One writer at a time: the second says who holds the project, at
# once, and exits 1; readers go on; once the first is done, all is well.
# The first discover's ListTables answers after 8 s, so that it holds the
# project while the others try, however slow the build (sanitizers).
kill "$emu_pid"
emulator_start --org small --seed 7 \
	--faults 'latency=dynamodb:300ms,latency=dynamodb:ListTables:8000ms@first:1' ||
	exit 1
fresh
optima-discover --project-root "$q" --regions us-east-1 >"$T/first.out" \
	2>"$T/first.err" &
first=$!
i=0
# Its run marker is written once it holds the project.
while [ ! -e "$q/state/discover.run" ] && [ "$i" -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
bounded 1 "another optima is running in $q (pid $first)" \
	optima-discover --project-root "$q" --regions us-east-1
bounded 1 "another optima is running in $q (pid $first)" \
	optima --project-root "$q" collect --days 1 --regions us-east-1
bounded 1 "another optima is running in $q" \
	optima-mark --project-root "$q" "$id" accepted
bounded 0 "" optima-status --project-root "$q"
bounded 0 "" optima --project-root "$q" list-recommendations
st=0
wait "$first" || st=$?
check "the first discover finished well (exit $st)" [ "$st" -eq 0 ]
[ "$st" -eq 0 ] || sed 's/^/first: /' "$T/first.err" | diag
bounded 0 "" optima-mark --project-root "$q" "$id" accepted
bounded 0 "" optima-discover --project-root "$q" --regions us-east-1 --resume

finish
