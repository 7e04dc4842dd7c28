#!/bin/sh
# The apply script (list-recommendations --format aws-cli) run by the AWS
# CLI against the emulator, in an organization whose three accounts have
# tables of the same names: each group of commands runs as its own
# account (the organization role assumed, or a profile), so each command
# changes its own account's table and no other (describe-table in every
# account, before and after); a group whose credentials are another
# account's stops before its first command; the script is limited to the
# accepted recommendations; the partition of the role follows the region
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-emulator.sh
. "$OPTIMA_TOP/tests/lib-emulator.sh"

A=111111111111	# the management account
B=222222222222
C=333333333333
# Tables named alike in each account, each with its own traffic: orders
# goes provisioned in A and C (at different capacities) and stays
# on-demand in B; catalog is cut down in A and B; archive goes Standard-IA
# in A and B and is auto scaled in C; events, with an index, goes
# provisioned and auto scaled in A and C (the same resource ids in both).
cat >org.json <<EOF
{"seed": 3,
 "accounts": [{"id": "$A", "name": "management"}, {"id": "$B", "name": "shop"},
              {"id": "$C", "name": "analytics"}],
 "regions": ["us-east-1", "eu-west-1"],
 "keys": [{"accessKeyId": "AKIAOPTIMAAPPLY11111",
           "secretAccessKey": "managementmanagementmanagementmanagement1",
           "account": "$A"},
          {"accessKeyId": "AKIAOPTIMAAPPLY33333",
           "secretAccessKey": "analyticsanalyticsanalyticsanalyticsana3",
           "account": "$C"}],
 "tables": [
  {"account": "$A", "region": "us-east-1", "name": "orders",
   "billingMode": "PAY_PER_REQUEST", "read": 300, "write": 90,
   "sizeBytes": 1073741824, "itemCount": 1000},
  {"account": "$B", "region": "us-east-1", "name": "orders", "shape": "spiky",
   "billingMode": "PAY_PER_REQUEST", "read": 3, "write": 1,
   "sizeBytes": 1073741824, "itemCount": 1000},
  {"account": "$C", "region": "us-east-1", "name": "orders",
   "billingMode": "PAY_PER_REQUEST", "read": 900, "write": 250,
   "sizeBytes": 1073741824, "itemCount": 1000},
  {"account": "$A", "region": "us-east-1", "name": "catalog",
   "shape": "overprovisioned", "rcu": 4000, "wcu": 1500, "read": 150,
   "write": 40, "sizeBytes": 1073741824, "itemCount": 1000},
  {"account": "$B", "region": "us-east-1", "name": "catalog",
   "shape": "overprovisioned", "rcu": 2000, "wcu": 800, "read": 60,
   "write": 20, "sizeBytes": 1073741824, "itemCount": 1000},
  {"account": "$C", "region": "us-east-1", "name": "catalog", "rcu": 100,
   "wcu": 50, "read": 70, "write": 35, "sizeBytes": 1073741824,
   "itemCount": 1000},
  {"account": "$A", "region": "eu-west-1", "name": "archive", "shape": "cold",
   "billingMode": "PAY_PER_REQUEST", "read": 0.5, "write": 0.1,
   "sizeBytes": 2199023255552, "itemCount": 100000000},
  {"account": "$B", "region": "eu-west-1", "name": "archive", "shape": "cold",
   "billingMode": "PAY_PER_REQUEST", "read": 0.5, "write": 0.1,
   "sizeBytes": 1099511627776, "itemCount": 100000000},
  {"account": "$C", "region": "eu-west-1", "name": "archive",
   "billingMode": "PAY_PER_REQUEST", "read": 200, "write": 100,
   "sizeBytes": 1073741824, "itemCount": 1000},
  {"account": "$A", "region": "us-east-1", "name": "events", "shape": "diurnal",
   "billingMode": "PAY_PER_REQUEST", "read": 400, "write": 120,
   "sizeBytes": 1073741824, "itemCount": 1000,
   "gsis": [{"name": "by-day", "rcu": 5, "wcu": 5, "read": 100, "write": 60,
             "sizeBytes": 1000000, "itemCount": 1000}]},
  {"account": "$C", "region": "us-east-1", "name": "events", "shape": "diurnal",
   "billingMode": "PAY_PER_REQUEST", "read": 800, "write": 200,
   "sizeBytes": 1073741824, "itemCount": 1000,
   "gsis": [{"name": "by-day", "rcu": 5, "wcu": 5, "read": 200, "write": 100,
             "sizeBytes": 1000000, "itemCount": 1000}]}]}
EOF

# The AWS CLI the scripts run: Debian's, told where the emulator is.
mkdir bin
cat >bin/aws <<'EOF'
#!/bin/sh
exec /usr/bin/aws --endpoint-url "$AWS_ENDPOINT_URL" "$@"
EOF
chmod +x bin/aws

# state: every table of the organization as its own account describes it
# (A with its keys, the others through the organization role), a line
# each, by ARN: billing mode, class, provisioned capacity, indexes; then
# each account's scalable targets in both regions, by region, account,
# resource and dimension.
state() {
	for a in $A $B $C; do
		(
		if [ "$a" != $A ]; then
			k=$(bin/aws sts assume-role --region us-east-1 \
			    --role-arn "arn:aws:iam::$a:role/MetricsCollectorRole" \
			    --role-session-name t1760 --output text --query \
			    'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]') ||
				exit 1
			# shellcheck disable=SC2086 # three words
			set -- $k
			export AWS_ACCESS_KEY_ID="$1" \
			    AWS_SECRET_ACCESS_KEY="$2" AWS_SESSION_TOKEN="$3"
		fi
		jq -r --arg a "$a" '.tables[] | select(.account == $a) |
		    "\(.region) \(.name)"' "$T/org.json" |
		while read -r r t; do
			bin/aws dynamodb describe-table --region "$r" \
			    --table-name "$t" --output json |
			jq -c '.Table | {arn: .TableArn,
			    billing: (.BillingModeSummary.BillingMode //
			      "PROVISIONED"),
			    class: (.TableClassSummary.TableClass // "STANDARD"),
			    read: .ProvisionedThroughput.ReadCapacityUnits,
			    write: .ProvisionedThroughput.WriteCapacityUnits,
			    indexes: [.GlobalSecondaryIndexes[]? |
			      {name: .IndexName,
			       read: .ProvisionedThroughput.ReadCapacityUnits,
			       write: .ProvisionedThroughput.WriteCapacityUnits}]}'
		done
		for r in us-east-1 eu-west-1; do
			bin/aws application-autoscaling \
			    describe-scalable-targets --service-namespace \
			    dynamodb --region $r --output json |
			jq -c --arg a "$a" --arg r $r '.ScalableTargets[] |
			    {target: "\($r):\($a):\(.ResourceId):\(.ScalableDimension)",
			     min: .MinCapacity, max: .MaxCapacity}'
		done
		)
	done | sort
}

# expect BEFORE RECS: the state BEFORE with the changes of the
# recommendation records RECS (one per table) made, each on the table of
# its own account: the recommended mode and class, the throughput of the
# table and its indexes its update-table sets, the scalable targets its
# register-scalable-target commands set.
expect() {
	jq -sc --slurpfile recs "$2" '
	    def arn: "arn:aws:dynamodb:\(.region):\(.account):table/\(.table)";
	    def n: tonumber;
	    ($recs | map({key: arn, value: .}) | from_entries) as $r |
	    ([$recs[] | . as $x | .apply | [scan("--resource-id ([^ ]+) " +
	      "--scalable-dimension ([^ ]+) --min-capacity ([0-9]+) " +
	      "--max-capacity ([0-9]+)")][] |
	      {key: "\($x.region):\($x.account):\(.[0]):\(.[1])",
	       value: {target: "\($x.region):\($x.account):\(.[0]):\(.[1])",
	         min: (.[2] | n), max: (.[3] | n)}}] | from_entries) as $new |
	    (.[] | select(.arn) | . as $t | $r[.arn] as $x |
	      if $x == null then . else
	      . + {billing: $x.recommended.billing_mode,
	        class: $x.recommended.table_class} +
	      ($x.apply | [scan("ReadCapacityUnits=([0-9]+)," +
	        "WriteCapacityUnits=([0-9]+)")] |
	        if length > 0 then {read: (.[0][0] | n), write: (.[0][1] | n)}
	        else {} end) +
	      {indexes: [$t.indexes[] | . as $i | ($x.apply |
	        [scan("\"IndexName\":\"\($i.name)\",\"ProvisionedThroughput\":" +
	          "[{]\"ReadCapacityUnits\":([0-9]+),\"WriteCapacityUnits\":" +
	          "([0-9]+)")]) as $u |
	        if ($u | length) > 0 then
	          $i + {read: ($u[0][0] | n), write: ($u[0][1] | n)}
	        else $i end]}
	      end |
	      # Registering a target brings the capacity into its range.
	      (.arn | capture("^arn:aws:dynamodb:(?<r>[^:]+):(?<a>[0-9]+):" +
	        "(?<id>table/.+)$")) as $m |
	      def clamp($id; $kind):
	        def c($d; $v): $new["\($m.r):\($m.a):\($id):dynamodb:" +
	          "\($kind):\($d)CapacityUnits"] as $x |
	          if $x == null then $v
	          else [([$v, $x.min] | max), $x.max] | min end;
	        .read = c("Read"; .read) | .write = c("Write"; .write);
	      clamp($m.id; "table") |
	      .indexes |= map(clamp("\($m.id)/index/\(.name)"; "index"))),
	    ((map(select(.target) | {key: .target, value: .}) | from_entries) +
	      $new | .[])' "$1" | sort
}

# same WHAT WANT GOT: passes if the states are the same, else shows both.
same() {
	if cmp -s "$2" "$3"; then
		ok 0 "$1"
	else
		ok 1 "$1"
		diff "$2" "$3" | diag
	fi
}

# apply SCRIPT: run it as a user would, with the management account's
# keys; its exit status, its output in $T/sh.out.
apply() {
	PATH="$T/bin:$PATH" sh "$1" >"$T/sh.out" 2>&1
}

# restart: a new emulator, the organization as the file has it.
restart() {
	kill "$emu_pid"
	wait "$emu_pid" 2>/dev/null
	emulator_start --org "$T/org.json"
}

emulator_start --org "$T/org.json" || exit 1
run 0 optima --project-root p discover --use-org
run 0 optima --project-root p collect --days 14
run 0 optima --project-root p collect-pricing
# The three analyses over one window: every type of one decision.
run 0 optima --project-root p analyze-capacity --days 14
run 0 optima --project-root p analyze-utilization --days 14
run 0 optima --project-root p analyze-table-class
R=p/recommendations.ndjson
check "a recommendation for 9 of the 11 tables, one each" \
	[ "$(jq -s 'map(select(.apply != null)) | length' $R)" -eq 9 ] &&
	[ "$(jq -r '"\(.account) \(.region) \(.table)"' $R | sort -u |
	wc -l)" -eq 9 ]
check "events: auto scaled in A and C, the table and its index" [ "$(jq -r \
	'select(.table == "events") | .apply' $R |
	grep -c 'register-scalable-target')" -eq 8 ]
check "orders: a change in A and C, none in B" [ "$(jq -r \
	'select(.table == "orders") | .account' $R | sort | tr '\n' ' ')" = \
	"$A $C " ]
check "orders: different commands in A and C" [ "$(jq -r \
	'select(.table == "orders") | .apply' $R | sort -u |
	grep -c -- '--table-name orders --billing-mode')" -eq 2 ]

# Everything accepted, but catalog of B (left pending).
jq -r "select(.table != \"catalog\" or .account != \"$B\") | .id" $R >ids
i=0
while read -r id && [ "$i" -lt 100 ]; do
	i=$((i + 1))
	optima --project-root p mark "$id" accepted >/dev/null
done <ids
check "8 accepted" [ "$i" -eq 8 ]
grep -F -f ids $R >accepted.ndjson
check "accepted.ndjson" [ "$(wc -l <accepted.ndjson)" -eq 8 ]
state >before
check "the state of 11 tables, no scalable target" \
	[ "$(wc -l <before)" -eq 11 ] && ! grep -q target before

# ---- the organization role: every group as its own account ----
run 0 optima --project-root p list-recommendations --format aws-cli \
	--status accepted --role-name MetricsCollectorRole --output role.sh
check "role.sh: sh -n" sh -n role.sh
check "role.sh: shellcheck" shellcheck role.sh
has role.sh "# Only the accepted recommendations."
# Each group asks STS in the region of its first change (B's is archive's:
# its catalog is pending).
for g in "$A us-east-1" "$B eu-west-1" "$C us-east-1"; do
	has role.sh "optima_role ${g% *} aws ${g#* } MetricsCollectorRole"
	has role.sh "optima_check $g"
done
check "role.sh: a group per account" [ "$(grep -c '^# ==== account' \
	role.sh)" -eq 3 ]
check "role.sh: the accepted ones' commands, the pending one left out" \
	[ "$(grep -c '^aws ' role.sh)" -eq \
	"$(jq -r .apply accepted.ndjson | grep -c '^aws ')" ]
jq -r --arg b $B 'select(.table == "catalog" and .account == $b) | .apply' \
	$R | grep '^aws ' >pending.sh
check "role.sh: the pending one's commands, none of them" \
	[ -s pending.sh ] && ! grep -q -x -F -f pending.sh role.sh
# Each command below its recommendation's id, saving and reason.
check "role.sh: each command after its id, saving and reason" \
	[ "$(awk '/^# [a-z]+-[0-9a-f]+: / { id = 1; sv = 0; rs = 0; next }
	    id && /^#   saves \$/ { sv = 1; next }
	    id && sv && /^#   / { rs = 1; next }
	    /^aws / { if (id && sv && rs) good++; id = 0 }
	    END { print good + 0 }' role.sh)" -eq 8 ]
apply role.sh
st=$?
check "role.sh runs (exit 0)" [ $st -eq 0 ]
[ $st -eq 0 ] || diag <sh.out
state >after
expect before accepted.ndjson >want
same "role: each accepted change on its own account's table, no other" \
	want after
check "role: 8 tables changed" [ "$(sort before want | uniq -u |
	grep -c arn)" -eq 16 ]
check "role: 4 scalable targets in A, 4 in C, none in B" \
	[ "$(grep -c "\"target\":\"us-east-1:$A:table/events" after)" -eq 4 ] &&
	[ "$(grep -c "\"target\":\"us-east-1:$C:table/events" after)" -eq 4 ] &&
	! grep -q "\"target\":\"us-east-1:$B:" after
check "orders of B untouched" grep -q \
	"\"arn:aws:dynamodb:us-east-1:$B:table/orders\",\"billing\":\"PAY_PER_REQUEST\"" \
	after

# ---- profiles, one of them the wrong account's ----
restart || exit 1
mkdir aws
cat >aws/credentials <<'EOF'
[management]
aws_access_key_id = AKIAOPTIMAAPPLY11111
aws_secret_access_key = managementmanagementmanagementmanagement1
[analytics]
aws_access_key_id = AKIAOPTIMAAPPLY33333
aws_secret_access_key = analyticsanalyticsanalyticsanalyticsana3
EOF
: >aws/config
export AWS_SHARED_CREDENTIALS_FILE="$T/aws/credentials" \
	AWS_CONFIG_FILE="$T/aws/config"
# B is given C's profile by mistake.
printf '# account profile\n%s management\n\n%s analytics\n%s analytics\n' \
	$A $B $C >profiles
run 0 optima --project-root p list-recommendations --format aws-cli \
	--status accepted --profile-map profiles --output profile.sh
check "profile.sh: shellcheck" shellcheck profile.sh
has profile.sh "optima_profile analytics"
apply profile.sh
check "profile.sh: exit 1, for B stopped" [ $? -eq 1 ]
has sh.out "optima: account $B: the credentials are those of account $C: none of its commands run"
has sh.out "stopped in account(s) $B"
hasnt sh.out "account $A: stopped"
hasnt sh.out "account $C: stopped"
state >after
jq -c "select(.account != \"$B\")" accepted.ndjson >notb.ndjson
expect before notb.ndjson >want
same "profiles: B stopped before its first command; A and C changed" \
	want after

# ---- the credentials the script runs with: only A's group runs ----
restart || exit 1
run 0 optima --project-root p list-recommendations --format aws-cli \
	--status accepted --output own.sh
hasnt own.sh "optima_role"
hasnt own.sh "optima_profile"
apply own.sh
check "own.sh: exit 1, for B and C stopped" [ $? -eq 1 ]
has sh.out "stopped in account(s) $B $C"
state >after
jq -c "select(.account == \"$A\")" accepted.ndjson >a.ndjson
expect before a.ndjson >want
same "own credentials: A changed, B and C untouched" want after

# ---- a role that cannot be assumed: the group stops, nothing changes ----
run 0 optima --project-root p list-recommendations --format aws-cli \
	--status accepted --account $B --role-name NotTheRole --output bad.sh
apply bad.sh
check "bad.sh: exit 1" [ $? -eq 1 ]
has sh.out "optima: account $B: the role arn:aws:iam::$B:role/NotTheRole could not be assumed"
has sh.out "stopped in account(s) $B"
state >again
same "a role refused: B untouched" after again

# ---- what the options refuse ----
run 2 optima-report --project-root p --format aws-cli --role-name 'a b'
run 2 optima-report --project-root p --format aws-cli --role-name "x'y"
run 2 optima-report --project-root p --format aws-cli --role-name R \
	--profile-map profiles
run 2 optima-report --project-root p --role-name R
run 2 optima-report --project-root p --format csv --profile-map profiles
printf '%s management\n%s\n' $A $B >bad
run 1 optima-report --project-root p --format aws-cli --profile-map bad
has err "bad:2: not \"ACCOUNT PROFILE\""
printf '%s management\n%s other\n' $A $A >bad
run 1 optima-report --project-root p --format aws-cli --profile-map bad
has err "bad:2: account $A is named again"
printf '%s management\n' $A >bad
run 1 optima-report --project-root p --format aws-cli --profile-map bad
has err "recommendations.ndjson:"
has err "is not in the profile map"
check "nothing written" [ ! -s out ]
# Profile names are quoted as the shell needs.
printf "%s it's\n%s 'b'\n%s \$(c)\n" $A $B $C >odd
run 0 optima-report --project-root p --format aws-cli --profile-map odd
grep '^optima_profile ' out >calls.sh
# shellcheck disable=SC2016 # for the inner shell
check "odd profiles: each one word, intact" [ "$(sh -c 'optima_profile() {
	printf "%s|" "$@"; }; . ./calls.sh')" = "it's|'b'|\$(c)|" ]
check "odd profiles: shellcheck" shellcheck -S warning out

# ---- the partition follows the region; rejected ones do not run ----
jq -c --arg a $A 'select(.table == "orders" and .account == $a) |
	.region = "cn-north-1"' $R >part.ndjson
jq -c --arg a $C 'select(.table == "orders" and .account == $a) |
	.region = "us-gov-west-1"' $R >>part.ndjson
jq -c --arg a $B 'select(.table == "archive" and .account == $a) |
	.account = "444444444444"' $R >>part.ndjson
run 0 optima-report --project-root p --format aws-cli --role-name R part.ndjson
has out "optima_role $A aws-cn cn-north-1 R"
has out "optima_role $C aws-us-gov us-gov-west-1 R"
has out "optima_role 444444444444 aws eu-west-1 R"
has out "# ==== account $A (partition aws-cn)"
optima --project-root p mark "$(jq -r "select(.table == \"orders\" and
	.account == \"$C\") | .id" $R)" rejected >/dev/null
run 0 optima-report --project-root p --format aws-cli --role-name R part.ndjson
has out "#   rejected: its commands are not written"
check "the rejected one's commands are not written" [ "$(grep -c '^aws ' out)" \
	-eq "$(jq -r --arg c $C 'select(.account != $c) | .apply' part.ndjson |
	grep -c '^aws ')" ]
# An account id that is not one, with commands, is refused.
jq -c '.account = "12345"' part.ndjson >badacct.ndjson
run 1 optima-report --project-root p --format aws-cli badacct.ndjson
has err "badacct.ndjson:1: commands for no well-formed account and region"
finish
