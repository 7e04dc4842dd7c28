#!/bin/sh
# optima --verbose COMMAND and LOG_LEVEL=DEBUG: debug lines (requests
# made, files read) in the log, on standard error too with --verbose, and
# never a secret; a retry, the decision taken
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-emulator.sh
. "$OPTIMA_TOP/tests/lib-emulator.sh"

# The first GetMetricData is throttled: a retry, a decision logged.
emulator_start --org small --seed 7 \
	--faults 'throttle=monitoring:GetMetricData@first:1' || exit 1
secret=$AWS_SECRET_ACCESS_KEY
check "the emulator has a secret key" [ -n "$secret" ]

# INFO, the default: no debug line.
mkdir p
run 0 optima --project-root p discover
hasnt p/logs/optima.log " DEBUG "
hasnt err " DEBUG "

# LOG_LEVEL=DEBUG: a line per AWS request, a line per file read, in the
# log only.
LOG_LEVEL=DEBUG run 0 optima --project-root p collect --days 2
has p/logs/optima.log "optima-fetch-metrics["
has p/logs/optima.log " DEBUG request cloudwatch GetMetricData POST /: HTTP 200"
has p/logs/optima.log " DEBUG reading .../tables/account="
has p/logs/optima.log " DEBUG retry cloudwatch GetMetricData in "
has p/logs/optima.log "(attempt 1 of 5 failed: "
hasnt err " DEBUG "
check "no line of the log holds the secret key" \
	[ "$(grep -cF -e "$secret" p/logs/optima.log)" -eq 0 ]
hasnt p/logs/optima.log "Signature="
hasnt p/logs/optima.log "Authorization"

# --verbose before the command: everything, on standard error too.
run 0 optima --project-root p --verbose discover --resume
has err " DEBUG request "
hasnt err "$secret"
run 0 optima --verbose --project-root p status
has out "LOG_LEVEL=INFO	# default"
finish
