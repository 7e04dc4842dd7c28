#!/bin/sh
# credentials as the AWS tools find them: environment, profiles, roles,
# credential_process, web identity; expired sessions refreshed; no secret
# ever printed
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-emulator.sh
. "$OPTIMA_TOP/tests/lib-emulator.sh"

call="$OPTIMA_UNITS/aws-call"
emulator_start --org small --seed 7 --session-seconds 3 || exit 1
key=$AWS_ACCESS_KEY_ID
secret=$AWS_SECRET_ACCESS_KEY
mgmt=$("$call" organizations ListAccounts 2>/dev/null | jq -r '.Accounts[0].Id')
member=$("$call" organizations ListAccounts 2>/dev/null | jq -r '.Accounts[1].Id')
role="arn:aws:iam::$member:role/MetricsCollectorRole"

# Shared files only: no keys in the environment.
export AWS_CONFIG_FILE="$T/config" AWS_SHARED_CREDENTIALS_FILE="$T/credentials"
cat >"$T/credentials" <<CREDS
[default]
aws_access_key_id = $key
aws_secret_access_key = $secret
[wrong]
aws_access_key_id = $key
aws_secret_access_key = not-the-secret
CREDS
cat >"$T/config" <<CONF
[default]
region = us-east-1
[profile member]
role_arn = $role
source_profile = default
role_session_name = optima-test
[profile loop]
role_arn = $role
source_profile = loop2
[profile loop2]
role_arn = $role
source_profile = loop
[profile process]
credential_process = sh "$T/creds.sh" "two words"
[profile sso]
sso_session = corp
sso_account_id = $member
CONF
cat >"$T/creds.sh" <<SCRIPT
[ "\$1" = "two words" ] || exit 3
echo '{"Version":1,"AccessKeyId":"$key","SecretAccessKey":"$secret"}'
SCRIPT

unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
run 0 "$call" sts GetCallerIdentity
has err "credentials from profile default"
has out "<Account>$mgmt</Account>"
run 1 "$call" -p wrong dynamodb ListTables
has err "InvalidSignatureException"
run 0 "$call" -p member sts GetCallerIdentity
has err "credentials from profile member: assumed role $role"
has out "assumed-role/MetricsCollectorRole/optima-test"
run 1 "$call" -p loop sts GetCallerIdentity
has err "source_profile chain too long or circular"
run 0 "$call" -p process sts GetCallerIdentity
has err "credentials from profile process: credential_process"
has out "<Account>$mgmt</Account>"
run 1 "$call" -p sso sts GetCallerIdentity
has err "aws configure export-credentials --profile sso"
run 1 "$call" -p nonexistent sts GetCallerIdentity
has err "profile nonexistent has no credentials"

# The environment beats the files, unless a profile is named.
AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret \
	run 0 "$call" sts GetCallerIdentity
has err "credentials from environment"
AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=wrong \
	run 0 "$call" -p default sts GetCallerIdentity
has err "credentials from profile default"

# Web identity: the token file and role from the environment, unsigned.
printf 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJvcHRpbWEifQ.c2lnbmF0dXJl\n' >"$T/token"
AWS_WEB_IDENTITY_TOKEN_FILE="$T/token" AWS_ROLE_ARN=$role \
	AWS_SHARED_CREDENTIALS_FILE=/dev/null run 0 "$call" sts GetCallerIdentity
has err "credentials from web identity $role"
has out "<Account>$member</Account>"

# Container credentials (full URI, authorization token), instance metadata.
AWS_CONTAINER_CREDENTIALS_FULL_URI=$EMULATOR_CONTAINER_URI \
	AWS_CONTAINER_AUTHORIZATION_TOKEN=$EMULATOR_CONTAINER_TOKEN \
	AWS_SHARED_CREDENTIALS_FILE=/dev/null run 0 "$call" sts GetCallerIdentity
has err "credentials from container"
has out "<Account>$mgmt</Account>"
AWS_CONTAINER_CREDENTIALS_FULL_URI=$EMULATOR_CONTAINER_URI \
	AWS_CONTAINER_AUTHORIZATION_TOKEN=wrong \
	AWS_SHARED_CREDENTIALS_FILE=/dev/null run 1 "$call" sts GetCallerIdentity
has err "container"
AWS_CONTAINER_CREDENTIALS_FULL_URI=http://203.0.113.9/creds \
	AWS_SHARED_CREDENTIALS_FILE=/dev/null run 1 "$call" sts GetCallerIdentity
has err "not https and not a loopback or container agent address"
AWS_EC2_METADATA_SERVICE_ENDPOINT=$EMULATOR_IMDS_ENDPOINT \
	AWS_SHARED_CREDENTIALS_FILE=/dev/null run 0 "$call" sts GetCallerIdentity
has err "credentials from instance metadata"
has out "<Account>$mgmt</Account>"
AWS_EC2_METADATA_DISABLED=true AWS_SHARED_CREDENTIALS_FILE=/dev/null \
	run 1 "$call" sts GetCallerIdentity
has err "no AWS credentials found"

# A member role whose session stops working after 3 s: refreshed mid-run.
OPTIMA_TRACE="$T/renewals" \
	run 0 "$call" -t "$T/trace" -a "$role" -c 10 -r 2 dynamodb ListTables
check "ten answers" [ "$(grep -c TableNames "$T/out")" = 10 ]
check "the session expired during the run" grep -q ExpiredToken "$T/trace"
has err "0 failed"
check "renewed once per expiry, not once per request" \
	[ "$(grep -c '"action":"AssumeRole"' "$T/renewals")" -le 4 ]

# Member accounts: one role session per account, however many calls.
OPTIMA_TRACE="$T/sts-trace" run 0 "$call" -m "$member" -c 5 dynamodb ListTables
check "five answers" [ "$(grep -c TableNames "$T/out")" = 5 ]
check "one AssumeRole for five calls" \
	[ "$(grep -c '"action":"AssumeRole"' "$T/sts-trace")" = 1 ]

# No secret anywhere it could leak.
hasnt err "$secret"
hasnt "$T/trace" "$secret"
hasnt "$T/sts-trace" "$secret"
finish
