#!/bin/sh
# the AWS transport under faults: throttling, 5xx, resets and truncated
# bodies retried and counted; giving up with 75; the client's rate limit
# keeps CloudWatch's quota
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-emulator.sh
. "$OPTIMA_TOP/tests/lib-emulator.sh"

call="$OPTIMA_UNITS/aws-call"
emulator_start --org small --seed 7 --faults \
	'throttle=dynamodb:ListTables@first:2,5xx=sts@first:3,reset=organizations@first:1,truncate=dynamodb:DescribeTable@first:1,throttle=pricing' ||
	exit 1

run 0 "$call" dynamodb ListTables
has err "3 attempts, 2 retries, 2 throttled, 0 failed"
run 0 "$call" sts GetCallerIdentity
has err "4 attempts, 3 retries, 0 throttled, 0 failed"
run 0 "$call" organizations ListAccounts
has err "2 attempts, 1 retries, 0 throttled, 0 failed"
run 0 "$call" dynamodb ListTables
table=$(jq -r '.TableNames[0]' "$T/out")
run 0 "$call" -t "$T/trace" dynamodb DescribeTable "{\"TableName\":\"$table\"}"
has err "2 attempts, 1 retries, 0 throttled, 0 failed"
check "the truncated body was seen as such" grep -q TruncatedResponse "$T/trace"
check "the retried answer is whole" \
	test "$(jq -r .Table.TableName "$T/out")" = "$table"

# Throttled on every attempt: exit 75 once the attempts are spent.
AWS_MAX_ATTEMPTS=3 run 75 "$call" pricing GetProducts '{"ServiceCode":"AmazonDynamoDB"}'
has err "ThrottlingException"
has err "3 attempts, 2 retries, 3 throttled, 1 failed"

# CloudWatch allows 50 GetMetricData calls per second per account and
# region: 150 calls at the client's default of 40 per second are never
# throttled.
now=$(date +%s)
q="{\"MetricDataQueries\":[{\"Id\":\"q\",\"MetricStat\":{\"Metric\":{\"Namespace\":\"AWS/DynamoDB\",\"MetricName\":\"ConsumedReadCapacityUnits\",\"Dimensions\":[{\"Name\":\"TableName\",\"Value\":\"$table\"}]},\"Period\":60,\"Stat\":\"Sum\"}}],\"StartTime\":$((now - 3600)),\"EndTime\":$now}"
run 0 "$call" -c 150 cloudwatch GetMetricData "$q"
has err "150 attempts, 0 retries, 0 throttled, 0 failed"
# Without the limit, a burst of 150 exceeds it: throttled, retried until
# the retry quota (500, 5 a retry) runs out, then given up as transient.
OPTIMA_RATE_CLOUDWATCH=0 run 75 "$call" -c 150 cloudwatch GetMetricData "$q"
check "an unpaced burst is throttled" test "$(grep -c ' 0 throttled' "$T/err")" = 0
has err "cloudwatch: Throttling: Rate exceeded (HTTP 400"
finish
