#!/bin/sh
# the local AWS emulator, called by Debian's awscli: Application Auto
# Scaling, global tables, instance and container credentials, and every
# kind of fault (--faults), counted
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-emulator.sh
. "$OPTIMA_TOP/tests/lib-emulator.sh"

# What the organization model says (small, seed 7), independently of the
# emulator's answers: model WHAT [ARGS].
cat >"$T/model.js" <<'EOF'
const org = require(`${process.env.OPTIMA_TOP}/tests/emulator/org.js`).makeOrg('small', 7);
const [what, ...args] = process.argv.slice(2);
const mine = (region) => org.tables.filter((t) => t.account === org.management && t.region === region);
// "RESOURCE DIMENSION MIN MAX TARGET" of each auto scaled capacity.
const scaled = (region) => mine(region).filter((t) => t.billingMode === 'PROVISIONED')
  .flatMap((t) => [[`table/${t.name}`, 'table', t.autoscaling],
    ...t.gsis.map((g) => [`table/${t.name}/index/${g.name}`, 'index', g.autoscaling])])
  .flatMap(([id, kind, a]) => ['read', 'write'].filter((d) => a && a[d]).map((d) =>
    `${id} dynamodb:${kind}:${d === 'read' ? 'Read' : 'Write'}CapacityUnits ${a[d].min} ${a[d].max} ${a[d].target}`))
  .sort();
const answers = {
  management: () => org.management,
  account: () => org.accounts[Number(args[0])].id,
  tables: () => mine(args[0]).map((t) => t.name).sort().join('\n'),
  table: () => mine(args[0])[0].name,
  arn: () => mine(args[0])[0].arn,
  scaled: () => scaled(args[0]).join('\n'),
  // The management account's region (of ARGS) with the most targets.
  busiest: () => args.map((r) => [r, scaled(r).length]).sort((a, b) => b[1] - a[1])[0][0],
  // The global table: its name, then its regions.
  global: () => { const t = org.tables.find((x) => x.replicas.length > 0);
    return [t.name, t.region, ...t.replicas].join(' '); },
};
console.log(answers[what]());
EOF
model() { node "$T/model.js" "$@"; }

emulator_start --org small --seed 7 || exit 1
mgmt=$(model management)

# Application Auto Scaling: every target and policy of the region.
region=$(model busiest us-east-1 us-west-2 eu-west-1)
model scaled "$region" >"$T/want"
check "the model has auto scaling in $region" [ "$(wc -l <"$T/want")" -ge 3 ]
run 0 awscli application-autoscaling describe-scalable-targets \
	--service-namespace dynamodb --region "$region"
jq -r '.ScalableTargets[] | "\(.ResourceId) \(.ScalableDimension) \(.MinCapacity) \(.MaxCapacity)"' \
	"$T/out" | sort >"$T/got"
cut -d' ' -f1-4 "$T/want" >"$T/want4"
check "scalable targets are the model's" cmp -s "$T/got" "$T/want4"
run 0 awscli application-autoscaling describe-scaling-policies \
	--service-namespace dynamodb --region "$region"
jq -r '.ScalingPolicies[] | "\(.ResourceId) \(.ScalableDimension) \(.TargetTrackingScalingPolicyConfiguration.TargetValue)"' \
	"$T/out" | sort >"$T/got"
cut -d' ' -f1,2,5 "$T/want" >"$T/want3"
check "scaling policies track the model's targets" cmp -s "$T/got" "$T/want3"
check "policies are target tracking on the predefined metrics" \
	[ "$(jq '[.ScalingPolicies[] | select(.PolicyType == "TargetTrackingScaling" and
		(.TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.PredefinedMetricType |
		test("^DynamoDB(Read|Write)CapacityUtilization$")))] | length' "$T/out")" = "$(wc -l <"$T/want")" ]
run 0 awscli application-autoscaling describe-scalable-targets \
	--service-namespace dynamodb --region "$region" --max-items 1
check "one target a page, and a token" \
	[ "$(jq '.ScalableTargets | length' "$T/out")" = 1 -a "$(jq -r .NextToken "$T/out")" != null ]

# A global table is in each of its regions, naming the others.
# shellcheck disable=SC2046 # name and regions, one word each
set -- $(model global)
name=$1
shift
for r in "$@"; do
	run 0 awscli dynamodb describe-table --table-name "$name" --region "$r"
	jq -r '.Table.Replicas[].RegionName' "$T/out" | sort >"$T/got"
	for o in "$@"; do [ "$o" = "$r" ] || echo "$o"; done | sort >"$T/want"
	check "global table $name in $r lists its other regions" cmp -s "$T/got" "$T/want"
done

# Credentials from the instance metadata and container endpoints.
# awscli with no keys and no files: the chain goes on to these endpoints.
as_instance() {
	env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY AWS_CONFIG_FILE=/dev/null \
		AWS_SHARED_CREDENTIALS_FILE=/dev/null \
		AWS_EC2_METADATA_SERVICE_ENDPOINT="$EMULATOR_IMDS_ENDPOINT" \
		/usr/bin/aws --endpoint-url "$AWS_ENDPOINT_URL" --output json "$@"
}
as_container() {
	env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY AWS_CONFIG_FILE=/dev/null \
		AWS_SHARED_CREDENTIALS_FILE=/dev/null \
		AWS_CONTAINER_CREDENTIALS_FULL_URI="$EMULATOR_CONTAINER_URI" \
		AWS_CONTAINER_AUTHORIZATION_TOKEN="${TOKEN:-$EMULATOR_CONTAINER_TOKEN}" \
		/usr/bin/aws --endpoint-url "$AWS_ENDPOINT_URL" --output json "$@"
}
run 0 as_instance sts get-caller-identity
has out "arn:aws:sts::$mgmt:assumed-role/optima-instance-role/"
run 0 as_instance dynamodb list-tables --region us-east-1
jq -r '.TableNames[]' "$T/out" >"$T/got"
model tables us-east-1 >"$T/want"
check "instance credentials list the management account's tables" cmp -s "$T/got" "$T/want"
run 0 as_container sts get-caller-identity
has out "arn:aws:sts::$mgmt:assumed-role/optima-task-role/"
TOKEN=wrong run 255 as_container sts get-caller-identity
has err "(401)"
run 0 curl -s -o /dev/null -w '%{http_code}' \
	"${EMULATOR_IMDS_ENDPOINT}latest/meta-data/iam/security-credentials/"
check "IMDS without a token is 401" [ "$(cat "$T/out")" = 401 ]
kill "$emu_pid"
wait "$emu_pid"

# Faults, each seen by awscli making one attempt (AWS_MAX_ATTEMPTS=1).
denied=$(model account 2)
member=$(model account 1)
emulator_start --org small --seed 7 --faults "$(printf '%s,' \
	throttle=dynamodb:ListTables/us-west-2@first:1 \
	throttle=organizations@first:1 \
	throttle=application-autoscaling:DescribeScalingPolicies@first:1 \
	throttle=sts:GetCallerIdentity@first:2 \
	500=dynamodb:DescribeTable/us-east-1@first:1 \
	503=sts:AssumeRole@first:1 \
	reset=dynamodb:ListTables/eu-west-1@first:1 \
	truncate=dynamodb:DescribeTable/us-west-2@first:2 \
	latency=dynamodb:ListTagsOfResource:1500ms \
	rps=application-autoscaling:DescribeScalableTargets:2 \
	deny-account="$denied")deny-region=eu-west-1" || exit 1
export AWS_MAX_ATTEMPTS=1

run 254 awscli dynamodb list-tables --region us-west-2
has err "An error occurred (ThrottlingException) when calling the ListTables operation"
has err "Rate of requests exceeds the allowed throughput."
run 0 awscli dynamodb list-tables --region us-west-2
run 254 awscli organizations list-accounts
has err "(TooManyRequestsException)"
run 0 awscli organizations list-accounts
run 254 awscli application-autoscaling describe-scaling-policies --service-namespace dynamodb
has err "(ThrottlingException)"
run 0 awscli application-autoscaling describe-scaling-policies --service-namespace dynamodb
# With retries, awscli gets through two throttles.
AWS_MAX_ATTEMPTS=3 run 0 awscli sts get-caller-identity
has out "\"Account\": \"$mgmt\""

run 254 awscli dynamodb describe-table --table-name "$(model table us-east-1)" --region us-east-1
has err "(InternalServerError)"
run 254 awscli sts assume-role --role-arn "arn:aws:iam::$member:role/MetricsCollectorRole" \
	--role-session-name optima
has err "(ServiceUnavailable)"
run 0 awscli sts assume-role --role-arn "arn:aws:iam::$member:role/MetricsCollectorRole" \
	--role-session-name optima

run 255 awscli dynamodb list-tables --region eu-west-1
has err "Connection was closed before we received a valid response"
run 254 awscli dynamodb list-tables --region eu-west-1
has err "(AccessDeniedException)"
run 254 awscli sts assume-role --role-arn "arn:aws:iam::$denied:role/MetricsCollectorRole" \
	--role-session-name optima
has err "(AccessDenied)"

# A truncated body: curl sees the bytes missing; awscli's parser gives up
# silently and prints nothing; the next call is whole.
wtable=$(model table us-west-2)
run 18 curl -sS --aws-sigv4 aws:amz:us-west-2:dynamodb \
	--user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -X POST \
	-H 'x-amz-target: DynamoDB_20120810.DescribeTable' \
	-H 'content-type: application/x-amz-json-1.0' -d "{\"TableName\":\"$wtable\"}" "$AWS_ENDPOINT_URL/"
has err "bytes remaining to read"
run 0 awscli dynamodb describe-table --table-name "$wtable" --region us-west-2
hasnt out "$wtable"
run 0 awscli dynamodb describe-table --table-name "$wtable" --region us-west-2
has out "\"TableName\": \"$wtable\""

ms() { echo $(($(date +%s%N) / 1000000)); }
t0=$(ms)
run 0 awscli dynamodb list-tags-of-resource --resource-arn "$(model arn us-east-1)" --region us-east-1
check "ListTagsOfResource took 1.5 s longer" [ $(($(ms) - t0)) -ge 1500 ]

# More pages than the rate limit allows in a second.
run 254 awscli application-autoscaling describe-scalable-targets \
	--service-namespace dynamodb --region "$region" --page-size 1
has err "(ThrottlingException) when calling the DescribeScalableTargets operation"

# The counts, when the emulator is stopped.
kill "$emu_pid"
wait "$emu_pid"
check "the emulator counted each fault" \
	grep -q '^emulator: faults: requests=[0-9]* throttle=5 5xx=2 latency=1 reset=1 truncate=2 rps=1 deny=2$' "$T/emu.err"
sed 's/^/# /' "$T/emu.err"
finish
