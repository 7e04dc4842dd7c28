#!/bin/sh
# Nothing lost under faults, the fast part of the matrix (make stress runs
# all of it, tests/stress/faults): each collector against a faulty
# emulator, then --resume until it succeeds, gives the files of an
# undisturbed run byte for byte, never a half-written file, and only the
# documented exit statuses
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-emulator.sh
. "$OPTIMA_TOP/tests/lib-emulator.sh"
# shellcheck source=tests/lib-faults.sh
. "$OPTIMA_TOP/tests/lib-faults.sh"

faults_init || { ok 1 "the undisturbed runs"; finish; exit 1; }
ok 0 "the undisturbed runs of discover, collect, collect-pricing, collect-cur"

fault discover throttle-storm "--faults throttle=dynamodb@0.3,throttle=organizations@first:3"
fault collect 5xx-burst "--faults 5xx=monitoring@first:6"
fault pricing reset+truncate "--faults reset=pricing@first:2,truncate=pricing@first:2"
fault cur truncate+5xx "--faults truncate=s3@first:2,5xx=cur@first:2"
fault collect slow "--faults latency=monitoring:2500ms@first:2" OPTIMA_TIMEOUT_MS=1000
fault discover session-expiry "--session-seconds 1 --faults latency=dynamodb:150ms"
deny_case discover "$(member)"
kill_case collect KILL 1
kill_case discover TERM 2
disk_full collect 200
if grep -q 'disk-full(200k)  *skipped' "$T/report"; then
	echo "ok $((n + 1)) # skip the disk did not fill: no tmpfs"
	n=$((n + 1))
else
	check "collect filled the disk, then resumed" \
		grep -q 'collect  *disk-full(200k)  *runs 2  exits 1,0 ' "$T/report"
fi

sed 's/^/# /' "$T/report"
finish
