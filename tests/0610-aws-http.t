#!/bin/sh
# the AWS transport against the emulator: each protocol, AWS's errors,
# retries given up with exit 75, a trace with no secret in it
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-emulator.sh
. "$OPTIMA_TOP/tests/lib-emulator.sh"

call="$OPTIMA_UNITS/aws-call"
emulator_start --org small --seed 7 || exit 1

run 0 "$call" -t "$T/trace" dynamodb ListTables '{"Limit":2}'
check "JSON 1.0: two table names" [ "$(jq '.TableNames | length' "$T/out")" = 2 ]
run 0 "$call" -t "$T/trace" organizations ListAccounts
check "JSON 1.1: three accounts" [ "$(jq '.Accounts | length' "$T/out")" = 3 ]
run 0 "$call" -t "$T/trace" sts GetCallerIdentity
has out "<Account>"
run 0 "$call" -c 8 dynamodb ListTables
check "eight requests at once, eight answers" [ "$(grep -c TableNames "$T/out")" = 8 ]

# AWS's errors come back parsed; a client error is not retried.
AWS_SECRET_ACCESS_KEY=wrong run 1 "$call" dynamodb ListTables
has err "InvalidSignatureException: The request signature we calculated"
has err "1 attempts, 0 retries, 0 throttled, 1 failed"
run 1 "$call" dynamodb DescribeTable '{"TableName":"no-such-table"}'
has err "ResourceNotFoundException: Requested resource not found"
AWS_SECRET_ACCESS_KEY=wrong run 1 "$call" sts GetCallerIdentity
has err "SignatureDoesNotMatch"

# Nobody listening: connection errors are retried, then exit 75.
AWS_MAX_ATTEMPTS=3 AWS_ENDPOINT_URL=http://127.0.0.1:9 \
	run 75 "$call" -t "$T/trace" dynamodb ListTables
has err "ConnectionError"
has err "3 attempts"
check "each retry traced" [ "$(grep -c '"retry_in_ms"' "$T/trace")" = 2 ]

# The trace says what happened and holds no secret.
check "every trace line is a trace record" \
	test "$(jq -s 'all(.kind == "trace")' "$T/trace")" = true
hasnt "$T/trace" "$AWS_SECRET_ACCESS_KEY"
hasnt "$T/trace" "Signature="
hasnt "$T/trace" "Authorization"
finish
