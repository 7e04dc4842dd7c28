#!/bin/sh
# No secret leaks: optima discover and collect with every credential
# source the emulator offers (environment keys, a profile of the shared
# files, role_arn with source_profile, credential_process, web identity,
# container credentials, IMDSv2), and failing runs with a wrong secret,
# leave no secret access key, session token or web identity token in the
# project directory, the log, the request trace, the messages, or the
# arguments of any process (sampled with ps during each run).  optima
# writes no file that holds credentials: none under the project directory
# has a secret, and nothing else is written.
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-emulator.sh
. "$OPTIMA_TOP/tests/lib-emulator.sh"

emulator_start --org small --seed 7 --session-seconds 1 \
	--faults 'latency=dynamodb:300ms' || exit 1
key=$AWS_ACCESS_KEY_ID
secret=$AWS_SECRET_ACCESS_KEY
call="$OPTIMA_UNITS/aws-call"
member=$("$call" organizations ListAccounts 2>/dev/null | jq -r '.Accounts[1].Id')
role="arn:aws:iam::$member:role/MetricsCollectorRole"
webtoken=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJvcHRpbWEtc2VjcmV0In0.c2lnbmF0dXJlLXNlY3JldA
printf '%s\n' "$webtoken" >"$T/webtoken"
chmod 600 "$T/webtoken"
cat >"$T/credentials" <<CREDS
[default]
aws_access_key_id = $key
aws_secret_access_key = $secret
[wrong]
aws_access_key_id = $key
aws_secret_access_key = wrong-SECRET-0123456789abcdefghijklmnopq
CREDS
cat >"$T/config" <<CONF
[default]
region = us-east-1
[profile member]
role_arn = $role
source_profile = default
[profile process]
credential_process = sh "$T/creds.sh"
CONF
cat >"$T/creds.sh" <<SCRIPT
echo '{"Version":1,"AccessKeyId":"$key","SecretAccessKey":"$secret"}'
SCRIPT
chmod 600 "$T/credentials" "$T/config"
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
export AWS_CONFIG_FILE="$T/config" AWS_SHARED_CREDENTIALS_FILE=/dev/null
# What must never show: the long-term secret, the wrong one, the web
# identity token, the container's authorization token.
printf '%s\n' "$secret" wrong-SECRET-0123456789abcdefghijklmnopq "$webtoken" \
	"$EMULATOR_CONTAINER_TOKEN" >"$T/secrets"

# sample FILE PID: the arguments of PID and every process it started,
# every 50 ms, while PID runs (not of other tests' processes).
sample() {
	while kill -0 "$2" 2>/dev/null; do
		ps -eo pid=,ppid=,args= | awk -v root="$2" '{
			up[$1] = $2
			a = $0
			sub(/^ *[0-9]+ +[0-9]+ /, "", a)
			args[$1] = a
		} END {
			for (p in up) {
				for (q = p; q != root && q in up; q = up[q])
					;
				if (q == root)
					print args[p]
			}
		}' >>"$1"
		sleep 0.05
	done
}

# source NAME VAR=value...: optima discover (of the organization, or of
# the caller's account alone when it is a member's role) and collect with
# the environment given, the log at debug level, a trace, ps sampled.
source_run() {
	name=$1
	shift
	p=$T/p-$name
	rm -rf "$p"
	case $name in
	assume-role | web-identity) org= ;;
	*) org=--use-org ;;
	esac
	for step in "discover $org" "collect --days 1"; do
		# shellcheck disable=SC2086 # the command's words
		env "$@" LOG_LEVEL=debug OPTIMA_TRACE="$T/trace-$name" \
			optima --project-root "$p" $step >>"$T/out-$name" 2>&1 &
		pid=$!
		sample "$T/ps-$name" "$pid"
		wait "$pid"
		echo "exit $?" >>"$T/out-$name"
	done
}

source_run env AWS_ACCESS_KEY_ID="$key" AWS_SECRET_ACCESS_KEY="$secret"
source_run profile AWS_SHARED_CREDENTIALS_FILE="$T/credentials"
source_run assume-role AWS_SHARED_CREDENTIALS_FILE="$T/credentials" AWS_PROFILE=member
source_run process AWS_PROFILE=process
source_run web-identity AWS_WEB_IDENTITY_TOKEN_FILE="$T/webtoken" AWS_ROLE_ARN="$role"
source_run container AWS_CONTAINER_CREDENTIALS_FULL_URI="$EMULATOR_CONTAINER_URI" \
	AWS_CONTAINER_AUTHORIZATION_TOKEN="$EMULATOR_CONTAINER_TOKEN"
source_run imds AWS_EC2_METADATA_SERVICE_ENDPOINT="$EMULATOR_IMDS_ENDPOINT"
# Failures: a wrong secret, a wrong container token.
source_run wrong AWS_SHARED_CREDENTIALS_FILE="$T/credentials" AWS_PROFILE=wrong
source_run wrong-container AWS_CONTAINER_CREDENTIALS_FULL_URI="$EMULATOR_CONTAINER_URI" \
	AWS_CONTAINER_AUTHORIZATION_TOKEN="wrong-$EMULATOR_CONTAINER_TOKEN"

for s in env profile assume-role process web-identity container imds; do
	check "$s: discover and collect succeeded" \
		[ "$(grep -c '^exit 0$' "$T/out-$s")" = 2 ]
	check "$s: records were written" [ -n "$(find "$T/p-$s/tables" -name '*.ndjson' 2>/dev/null)" ]
	check "$s: the trace has requests" [ -s "$T/trace-$s" ]
	check "$s: ps saw the runs" grep -q -e "optima --project-root" "$T/ps-$s"
done
check "the member's role assumed through the profile" \
	grep -q '"action":"AssumeRole"' "$T/trace-assume-role"
check "the sessions expired and were renewed during a run" \
	grep -q ExpiredToken "$T/trace-web-identity" "$T/trace-imds" "$T/trace-container" "$T/trace-env"
for s in wrong wrong-container; do
	check "$s: the failure is an error" grep -q '^exit [17]' "$T/out-$s"
done

# Everything a run leaves or shows: the project directories (log
# included), traces, messages, process listings.
files=$(find "$T" -path "$T/p-*" -type f -o -name 'trace-*' -type f \
	-o -name 'out-*' -type f -o -name 'ps-*' -type f)
nosecret() {
	! grep -qF -f "$T/secrets" -- "$@"
}
# shellcheck disable=SC2086 # one word per file
check "no long-term secret, web identity or container token anywhere" \
	nosecret $files
# Temporary credentials are random: any run of 40 or more base64
# characters with upper and lower case letters and digits is one.
# shellcheck disable=SC2086 # one word per file
grep -ohE '[A-Za-z0-9+/=]{40,}' $files 2>/dev/null | grep '[a-z]' |
	grep '[A-Z]' | grep '[0-9]' | sort -u >"$T/suspects"
check "nothing that looks like a secret key or session token" [ ! -s "$T/suspects" ]
head -3 "$T/suspects" | cut -c1-60 | sed 's/^/# suspect: /'
# The access key ids are no secret, but their secrets' words are.
nokeys() {
	! grep -qiE '(secret.?access.?key|session.?token)"?[=:] *"?[A-Za-z0-9+/]{16}' "$@"
}
check "no key material named in the messages" nokeys "$T"/out-* "$T"/trace-*
finish
