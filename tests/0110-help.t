#!/bin/sh
# every command explains itself (--help, -h, help COMMAND); the programs'
# messages name the command typed; a bad value is refused at once, named
# as the option given
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"

optima help >"$T/usage"
cmds=$(sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p; s/^  \([a-z][a-z-]*\)$/\1/p' \
	"$T/usage")
# shellcheck disable=SC2086 # one word each
check "the usage names 18 commands" [ "$(printf '%s\n' $cmds | wc -l)" -eq 18 ]

# The options of command $1 on its lines of the usage (its description,
# from column 25 or after three blanks, left out).
usage_options() {
	awk -v c="$1" '/^  [a-z]/ { on = ($1 == c) } /^$/ { on = 0 }
		on { match($0, /^ */); if (RLENGTH >= 24) next
			s = substr($0, RLENGTH + 1); sub(/   .*/, "", s)
			print s }' "$T/usage" | grep -o -e '--[a-z][a-z-]*' | sort -u
}

for c in $cmds; do
	run 0 optima "$c" --help
	cp "$T/out" "$T/help"
	check "$c --help: nothing on stderr" [ ! -s "$T/err" ]
	has out "usage: optima $c"
	run 0 optima "$c" -h
	check "$c -h: the same help" cmp -s "$T/out" "$T/help"
	check "$c -h: nothing on stderr" [ ! -s "$T/err" ]
	run 0 optima help "$c"
	check "help $c: the same help" cmp -s "$T/out" "$T/help"
	check "help $c: nothing on stderr" [ ! -s "$T/err" ]
	# Each option of the usage, and of the command's own usage, has a
	# line of its own: "  --name ..." with a default.
	opts=$( (usage_options "$c"; awk '/^$/ { exit } { print }' \
	    "$T/help" | grep -o -e '--[a-z][a-z-]*') | sort -u)
	for o in $opts; do
		check "$c --help describes $o" grep -q -e "^  $o\( \|$\)" \
			"$T/help"
	done
	# Every option line says its default (or that it has none).
	bare=$(awk '/^  --/ { if (o != "" && !d) print o; o = $1
			d = /default|needed/; next }
		/^                        / { if (/default|needed/) d = 1 }
		END { if (o != "" && d == 0) print o }' "$T/help")
	check "$c --help: every option has its default${bare:+ (not $bare)}" \
		[ -z "$bare" ]
done
run 0 optima help
has out "help [command]"
run 2 optima help frobnicate
has err "unknown command 'frobnicate'"
# A value that is -h is a value, not a request for help.
run 2 optima collect --table-regex -h --days abc
has err "--days abc"

# The programs' own messages name the command typed, not the program.
mkdir p
run 2 optima --project-root p collect --regions 'not a region'
has err "optima collect: "
hasnt err "optima-fetch-metrics"
run 2 optima --project-root p list-recommendations --format xml
has err "optima list-recommendations: --format xml"
hasnt err "optima-report"
run 2 optima --project-root p gui --theme blue
has err "optima gui: --theme blue"
hasnt err "optima-gui"
run 1 optima --project-root nowhere discover
has err "optima discover: "
hasnt err "optima-discover"
run 1 optima --project-root nowhere mark x accepted
has err "optima mark: "
hasnt err "optima-mark:"

# Bad values: a usage error at once, naming the option as given, with
# nothing done.  A project of three tables, analyzed once.
three_tables q
run 0 optima --project-root q analyze-capacity --min-savings 0
check "q: scenarios written" [ -s q/scenarios.ndjson ]
before=$(snapshot q)
bad() {
	msg=$1
	shift
	run 2 optima --project-root q "$@"
	has err "optima $1: $msg"
	hasnt err "_USD"
	hasnt err "optima-"
	check "$*: nothing written" [ "$(snapshot q)" = "$before" ]
}
bad "--days abc: not a whole number" collect --days abc
bad "--days 0: out of range" collect --days 0
bad "--days 0: out of range" collect --days=0
bad "--days 456: out of range" collect --days 456
bad "--batch-size 1000: out of range" collect --batch-size 1000
has err "at most"
bad "--end-date yesterday: not a date" collect --end-date yesterday
bad "--min-savings -1: " analyze-capacity --min-savings -1
bad "--min-savings -1: " analyze-table-class --min-savings -1
bad "--min-savings lots: not a number" analyze-utilization --min-savings lots
bad "--target-utilization 5: out of range" analyze-capacity \
	--target-utilization 5
hasnt err "AUTOSCALING_TARGET_UTILIZATION"
bad "--days 0: " analyze-capacity --days 0
hasnt err "CAPACITY_ANALYSIS_DAYS"
bad "--throttle-budget -5: " analyze-capacity --throttle-budget -5
bad "--low-utilization-threshold 101: out of range" analyze-utilization \
	--low-utilization-threshold 101
bad "--months 0: " analyze-table-class --months 0
bad "--min-savings -1: " list-recommendations --min-savings -1
bad "--port 99999: out of range" gui --port 99999
bad "--port http: not a whole number" gui --port http
bad "--days 0: out of range" run --days 0
bad "--months 121: out of range" collect-cur --months 121
bad "--source web: not offer-file|api" collect-pricing --source web
bad "--concurrency 0: out of range" discover --concurrency 0
bad "--days needs a value" collect --days
finish
