#!/bin/sh
# The README's examples: every command of its command table is run by some
# test, and its jq, optima and SQL examples run, as written, in a project
# directory of the emulator's demo organization (the README's quick start
# is 1400-run.t's; the dashboard's, 1500-gui.t's)
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-emulator.sh
. "$OPTIMA_TOP/tests/lib-emulator.sh"
R=$OPTIMA_TOP/README.md

# Every command of the table is exercised by a test file.
sed -n 's/^| `optima \([a-z-]*\).*/\1/p' "$R" | sort -u >commands
check "the README lists commands" [ "$(wc -l <commands)" -gt 10 ]
while read -r c; do
	check "optima $c is run by a test" grep -Eqs \
		"optima( --project-root [^ ]+)? $c( |\$|\")" \
		"$OPTIMA_TOP"/tests/[0-9]*.t
done <commands

# The examples of a kind of fenced block: the lines of ```$1 blocks.
blocks() {
	awk -v kind="$1" '/^```/ { if (on) { on = 0; next } on = ($0 == "```" kind); next }
		on' "$R"
}

emulator_start --org "$OPTIMA_TOP/tests/emulator/orgs/demo.json" || exit 1
mkdir p
(cd p && optima run --use-org) >"$T/run" 2>&1
check "optima run in the example project" [ $? -eq 0 ]

# Each optima and jq line of the sh blocks, run as written in the project,
# but for those that serve until stopped (gui: 1500-gui.t), rerun every
# stage (run: 1400-run.t, 1600-scale.t) or need other hosts or AWS itself.
blocks sh | grep -E '^(optima|jq) ' | grep -v '^optima \[' |
	grep -Ev '^optima (gui|run)\b' >examples
check "the README has examples" [ "$(wc -l <examples)" -gt 8 ]
while read -r line; do
	(cd p && eval "$line") >"$T/out" 2>"$T/err"
	st=$?
	# Each prints something, but for those that write a file.
	case $line in *--output*|*'> '*) echo x >>"$T/out" ;; esac
	if [ "$st" -eq 0 ] && [ -s "$T/out" ]; then
		ok 0 "example: $line"
	else
		ok 1 "example: $line (exit $st)"
		sed 's/^/# /' "$T/err" | head -5
	fi
done <examples

# The dashboard of the example project, through the front door.
(cd p && exec optima gui --port 0) >"$T/gui" 2>&1 &
gui=$!
i=0
while ! url=$(grep -o 'http://[^ ]*/' "$T/gui") && [ "$i" -lt 300 ] &&
    kill -0 "$gui" 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
check "optima gui serves the dashboard" curl -sf -o "$T/page" "$url"
kill "$gui" 2>/dev/null
wait "$gui" 2>/dev/null

# The SQL examples, with DuckDB.
blocks sql >queries
check "the README has SQL" [ -s queries ]
run 0 node "$OPTIMA_TOP/tests/readme-sql.mjs" p <queries
check "each query gives a row" [ "$(wc -l <"$T/out")" -eq \
	"$(grep -c ';$' queries)" ]
finish
