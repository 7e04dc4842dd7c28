# shellcheck shell=sh
# tests/lib.sh - TAP helpers for the shell tests; source it first
#
# Each test runs in its own scratch directory ($T), removed at exit, with
# the programs of the build under test first on PATH (make check sets it).

n=0
failed=0
T=$(mktemp -d "${TMPDIR:-/tmp}/optima-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
# Nothing from the caller's environment leaks into a test.
unset OPTIMA_PROJECT_ROOT LOG_LEVEL AWS_REGION AWS_PROFILE \
	CAPACITY_ANALYSIS_DAYS UTILIZATION_ANALYSIS_DAYS \
	TABLE_CLASS_ANALYSIS_MONTHS AUTOSCALING_TARGET_UTILIZATION \
	MIN_SAVINGS_THRESHOLD_USD USE_ORGANIZATIONS ORGANIZATIONS_ROLE_NAME \
	CUR_S3_BUCKET CUR_S3_PREFIX CUR_FORMAT DATABASE_URL DATABASE_POOL_SIZE \
	STREAMLIT_SERVER_PORT STREAMLIT_THEME OPTIMA_VERBOSE OPTIMA_COMMAND \
	OPTIMA_CREDENTIAL_PROCESS_TIMEOUT_MS

ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		echo "Failed test $n - $2" | diag
		failed=$((failed + 1))
	fi
}

# diag: standard input as TAP comments on standard error, which prove
# shows even when it hides the rest (as Test::More's diag does), each
# line naming the test: why a test failed, in CI's log.
diag() {
	sed "s|^|# ${0##*/}: |" >&2
}

# check DESCRIPTION COMMAND...: passes if the command succeeds.
check() {
	d=$1
	shift
	if "$@"; then ok 0 "$d"; else ok 1 "$d"; fi
}

# run EXPECTED-STATUS COMMAND...: run it with stdout in $T/out and stderr
# in $T/err; passes if it exits with the expected status.
run() {
	want=$1
	shift
	st=0
	"$@" >"$T/out" 2>"$T/err" || st=$?
	if [ "$st" -eq "$want" ]; then
		ok 0 "exit $want: $*"
	else
		ok 1 "exit $want: $* (got $st)"
		tail -n 40 "$T/err" | sed 's/^/stderr: /' | diag
	fi
}

# has FILE STRING: passes if FILE contains STRING (fixed string).
has() {
	if grep -qF -e "$2" "$1"; then
		ok 0 "$(basename "$1") has '$2'"
	else
		ok 1 "$(basename "$1") has '$2'"
		tail -n 40 "$1" | diag
	fi
}

# hasnt FILE STRING: passes if FILE does not contain STRING.
hasnt() {
	if grep -qF -e "$2" "$1"; then
		ok 1 "$(basename "$1") lacks '$2'"
		grep -F -e "$2" "$1" | head -n 20 | diag
	else
		ok 0 "$(basename "$1") lacks '$2'"
	fi
}

# snapshot DIR: a listing of every file under DIR with its checksum.
snapshot() {
	(cd "$1" && find . -type f -exec cksum {} + | sort)
}

# finish: print the plan (TAP allows it last); the script's exit status.
finish() {
	echo "1..$n"
	[ "$failed" -eq 0 ]
}

# three_tables DIR: a small project in DIR: three tables a, b and c (the
# fuzz corpus's oversized-catalog under three names) of account
# 111111111111 in us-east-1, with their table records, a day of series
# (2026-11-20), the region's prices and a billing period of CUR usage.
three_tables() {
	a=account=111111111111
	mkdir -p "$1/tables/$a" "$1/metrics/$a/region=us-east-1" "$1/prices" \
		"$1/cur"
	awk -v RS='%%\n' -v dir="$T" '{ printf "%s", $0 > (dir "/part" NR) }' \
		"$OPTIMA_TOP/tests/fuzz/corpus/simulate/oversized-catalog.txt"
	# Three tables, so that a bad record can sit between two good ones.
	for t in a b c; do
		jq -c --arg t "$t" '.table = $t' "$T/part1" >>"$1/tables/$a/region=us-east-1.ndjson"
		jq -c --arg t "$t" '.table = $t' "$T/part2" \
			>>"$1/metrics/$a/region=us-east-1/date=2026-11-20.ndjson"
		jq -c --arg t "$t" '.table = $t' "$T/part4" >>"$1/cur/billing_period=2026-10.ndjson"
	done
	mv "$T/part3" "$1/prices/region=us-east-1.ndjson"
	rm "$T/part1" "$T/part2" "$T/part4"
}
