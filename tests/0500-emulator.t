#!/bin/sh
# the local AWS emulator, called by Debian's awscli: STS, Organizations,
# DynamoDB, and AWS's errors for bad signatures, keys and tokens
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-emulator.sh
. "$OPTIMA_TOP/tests/lib-emulator.sh"

emulator_start --org small --seed 7 || exit 1
check "env file names the endpoint" [ -n "$AWS_ENDPOINT_URL" ]
check "env file is private" [ "$(stat -c %a "$T/emu.env")" = 600 ]

run 0 awscli sts get-caller-identity
mgmt=$(jq -r .Account "$T/out")
check "caller is a 12-digit account" expr "$mgmt" : '[0-9]\{12\}$'

run 0 awscli organizations list-accounts --max-items 2
check "paginated ListAccounts gives 2 and a token" \
	test "$(jq '.Accounts | length' "$T/out")" = 2 -a \
	"$(jq -r .NextToken "$T/out")" != null
run 0 awscli organizations list-accounts
# (awscli 2.9 predates the State field and shows only Status.)
check "all three accounts listed, all ACTIVE" \
	[ "$(jq '[.Accounts[] | select(.Status == "ACTIVE")] | length' "$T/out")" = 3 ]
member=$(jq -r --arg m "$mgmt" '[.Accounts[] | select(.Id != $m)][0].Id' "$T/out")

run 0 awscli dynamodb list-tables --region us-east-1
check "management account has tables" [ "$(jq '.TableNames | length' "$T/out")" -gt 0 ]
run 0 awscli dynamodb list-tables --region us-east-1 --max-items 1
check "ListTables pages with Limit" [ "$(jq '.TableNames | length' "$T/out")" = 1 ]
run 254 awscli dynamodb describe-table --table-name no-such-table
has err "ResourceNotFoundException"

# AssumeRole into a member account; its credentials see its own tables.
run 0 awscli sts assume-role --role-arn "arn:aws:iam::$member:role/MetricsCollectorRole" \
	--role-session-name optima
cp "$T/out" "$T/role.json"
as_member() {
	AWS_ACCESS_KEY_ID=$(jq -r .Credentials.AccessKeyId "$T/role.json") \
	AWS_SECRET_ACCESS_KEY=$(jq -r .Credentials.SecretAccessKey "$T/role.json") \
	AWS_SESSION_TOKEN=${FORGE:-$(jq -r .Credentials.SessionToken "$T/role.json")} \
		"$@"
}
run 0 as_member awscli sts get-caller-identity
has out "\"Account\": \"$member\""
has out "assumed-role/MetricsCollectorRole/optima"
run 254 as_member awscli organizations list-accounts
has err "AccessDeniedException"
FORGE=forged run 254 as_member awscli sts get-caller-identity
has err "InvalidClientTokenId"

run 254 awscli sts assume-role --role-arn "arn:aws:iam::$member:role/OtherRole" \
	--role-session-name optima
has err "AccessDenied"

# Signatures: a wrong secret and an unknown key get AWS's own errors.
AWS_SECRET_ACCESS_KEY=wrong run 254 awscli dynamodb list-tables
has err "InvalidSignatureException"
AWS_SECRET_ACCESS_KEY=wrong run 254 awscli sts get-caller-identity
has err "SignatureDoesNotMatch"
AWS_ACCESS_KEY_ID=AKIAUNKNOWNKEY000000 run 254 awscli dynamodb list-tables
has err "UnrecognizedClientException"
run 0 curl -s -X POST -H 'x-amz-target: DynamoDB_20120810.ListTables' \
	-H 'content-type: application/x-amz-json-1.0' -d '{}' "$AWS_ENDPOINT_URL/"
has out "MissingAuthenticationTokenException"
# curl signs with its own SigV4 implementation.
run 0 curl -s --aws-sigv4 aws:amz:us-east-1:dynamodb \
	--user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -X POST \
	-H 'x-amz-target: DynamoDB_20120810.ListTables' \
	-H 'content-type: application/x-amz-json-1.0' -d '{}' "$AWS_ENDPOINT_URL/"
has out "TableNames"
finish
