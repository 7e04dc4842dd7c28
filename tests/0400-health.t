#!/bin/sh
# optima health: dependencies and a sound project directory
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-emulator.sh
. "$OPTIMA_TOP/tests/lib-emulator.sh"

emulator_start --org small --seed 7 || exit 1

mkdir p
run 0 optima --project-root p health
has out "ok    jq is installed"
has out "ok    optima-status runs"
has out "ok    project directory p is writable"
has out "ok    project files are consistent"
has out "ok    credentials: environment"
has out "ok    caller: arn:aws:iam::"
has out "ok    dynamodb:DescribeTable"
has out "ok    cloudwatch:GetMetricData"
has out "ok    bcm-data-exports:ListExports"
has out "All checks passed."
check "health leaves nothing behind" [ -z "$(ls -A p)" ]

run 0 optima --project-root p health --verbose
has out "Check: 0 files with problems"

printf '{"kind":"account"\n' >p/accounts.ndjson
run 1 optima --project-root p health
has out "FAIL  project files are consistent"
has out "accounts.ndjson:1: invalid JSON"
has out "Some checks failed."

printf 'x' >file
run 1 optima --project-root file health
has out "FAIL  project directory file exists"

# Permissions: organizations only when asked for; a wrong secret; no AWS.
rm p/accounts.ndjson
run 0 optima-health --project-root p --use-org
has out "ok    organizations:ListAccounts"
AWS_SECRET_ACCESS_KEY=wrong run 1 optima --project-root p health
has out "FAIL  credentials (environment): SignatureDoesNotMatch"
AWS_ENDPOINT_URL=http://127.0.0.1:9 AWS_MAX_ATTEMPTS=2 \
	run 75 optima --project-root p health
has out "AWS could not be reached"
# A project directory that does not exist yet: AWS is checked all the
# same, and health says the first run creates it (and creates nothing).
run 0 optima --project-root new/proj health
has out "ok    project directory new/proj can be created (in .)"
has out "ok    project directory new/proj does not exist yet: the first run creates it"
has out "ok    caller: arn:aws:iam::"
has out "ok    dynamodb:ListTables"
has out "All checks passed."
check "health creates no project directory" [ ! -e new ]
run 0 optima-health --project-root new/proj
has out "ok    dynamodb:DescribeTable"

# --use-org: organizations:ListAccounts, then sts:AssumeRole of the role
# into a member account, proved by asking STS who it is.
run 0 optima --project-root p health --use-org
has out "ok    organizations:ListAccounts"
has out "ok    sts:AssumeRole MetricsCollectorRole in account "
has out ":assumed-role/MetricsCollectorRole/"
ORGANIZATIONS_ROLE_NAME=NoSuchRole run 1 optima --project-root p health --use-org
has out "FAIL  sts:AssumeRole NoSuchRole in account "
has out "Some checks failed."
finish
