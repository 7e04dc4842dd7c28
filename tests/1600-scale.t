#!/bin/sh
# Beyond one process: optima run --jobs and --sshlogin (GNU parallel) give
# the project files of a run in one shard; the project directory read in
# place by DuckDB gives optima's totals; optima athena-ddl
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-emulator.sh
. "$OPTIMA_TOP/tests/lib-emulator.sh"

# The project files a run is judged by: data, not logs and checkpoints.
lake() {
	(cd "$1" && find accounts.ndjson tables metrics prices cur \
	    scenarios.ndjson recommendations.ndjson -type f \
	    -exec cksum {} + | sort)
}

# same NAME: the project directory NAME holds the files of "one".
same() {
	lake one >"$T/one.lake"
	lake "$1" >"$T/$1.lake"
	if cmp -s "$T/one.lake" "$T/$1.lake"; then
		ok 0 "$1: the same project files as one shard"
	else
		ok 1 "$1: the same project files as one shard"
		diff "$T/one.lake" "$T/$1.lake" | head -20 | diag
	fi
}

run 2 optima run --jobs 0
run 2 optima run --jobs x
run 2 optima run --sshlogin : --sshloginfile /dev/null
run 2 optima athena-ddl
run 2 optima athena-ddl --location /tmp/x

emulator_start --org small || exit 1

run 0 optima --project-root one run --use-org
cp out one.out
check "one shard: 126 metrics files" \
	[ "$(find one/metrics -name '*.ndjson' | wc -l)" -eq 126 ]

# Two shards on this machine.
run 0 optima --project-root two run --use-org --jobs 2
has out "Gathered 2 shards into two"
has out "Discovered 9 DynamoDB tables across 1 account"
same two
check "the shards are gone once gathered" [ ! -e two/state/shards ]
check "the checkpoints of the shards are the project's" \
	[ "$(snapshot two/state/discover | awk '{ print $3 }' | sort)" = \
	"$(snapshot one/state/discover | awk '{ print $3 }' | sort)" ]
check "and each shard's log is in the project's" \
	[ "$(grep -c 'discover started' two/logs/optima.log)" -eq 3 ]
run 0 optima --project-root two status
has out "discover         finished (9 units)"
has out "metrics          finished (126 units)"

# Two shards through GNU parallel's local login.
run 0 optima --project-root local run --use-org --jobs 2 --sshlogin :
has out "Gathered 2 shards into local"
same local

# Two hosts: each shard's directory goes there and comes back (rsync
# through a stand-in for ssh that "logs in" to a directory of its own).
# The file of logins is named relative to here, not to the shards.
cat >"$T/fakessh" <<'EOF'
#!/bin/sh
# fakessh [options] host [--] command: run the command in $T/hosts/host
while [ $# -gt 0 ]; do case $1 in -*) shift ;; *) break ;; esac; done
host=$1
shift
[ "${1:-}" != -- ] || shift
mkdir -p "$FAKEHOSTS/$host" && cd "$FAKEHOSTS/$host" || exit 255
# As sshd, the login's home and shell (GNU parallel runs jobs in $SHELL).
HOME=$PWD SHELL=/bin/sh exec sh -c "$*"
EOF
chmod +x "$T/fakessh"
FAKEHOSTS=$T/hosts
export FAKEHOSTS
printf '# two hosts\n%s hosta\n\n%s hostb\n' "$T/fakessh" "$T/fakessh" \
	>"$T/logins"
run 0 optima --project-root remote run --use-org --sshloginfile logins
has out "Gathered 2 shards into remote"
same remote
check "both hosts ran a shard" [ -d hosts/hosta ] && [ -d hosts/hostb ]
check "and keep nothing of it" \
	[ -z "$(find hosts -mindepth 2 | head -1)" ]

# A host where the job cannot run (no $SHELL there) though GNU parallel
# says it ended well: what did not come back is a failed shard.
sed 's/SHELL=[^ ]* exec/exec env -u SHELL/' "$T/fakessh" >"$T/noshell"
chmod +x "$T/noshell"
run 1 optima --project-root bare run --use-org --sshlogin "$T/noshell hosta"
has err "came back without its project files"
hasnt out "Gathered"

# A shard that fails leaves the others gathered for --resume: here the
# second host cannot be reached, then can.
printf '#!/bin/sh\nexit 255\n' >"$T/downssh"
chmod +x "$T/downssh"
run 1 optima --project-root cut run --use-org \
	--sshlogin "$T/fakessh hosta,$T/downssh hostb"
has err "failed (exit 255)"
check "and the run stopped before gathering" [ ! -e cut/state/run/shards.done ]
check "what the other shard collected is kept for --resume" \
	[ -n "$(find cut/state/shards -path '*/metrics/*.ndjson' | head -1)" ]
run 0 optima --project-root cut run --use-org --resume \
	--sshlogin "$T/fakessh hosta,$T/fakessh hostb"
has out "Gathered 2 shards into cut"
same cut

# The project directory as a data lake: DuckDB's totals are optima's.
st=0
node "$OPTIMA_TOP/tests/lake-duckdb.mjs" "$T/two" >"$T/duck" 2>&1 || st=$?
ok "$st" "DuckDB reads the project directory in place"
run 0 optima --project-root two status --verbose
awk '$1 ~ /^[0-9][0-9]*$/ && length($1) == 12 && NF >= 5 {
	print "partition", $1, $2, $3, $4, $5 }' out >"$T/status.parts"
grep '^partition' "$T/duck" >"$T/duck.parts"
check "tables, days and series per account and region: DuckDB's are optima status'" \
	cmp -s "$T/duck.parts" "$T/status.parts"
check "9 account-regions" [ "$(wc -l <"$T/duck.parts")" -eq 9 ]
sed -n 's/^  \([a-z0-9-]*\): \([0-9]*\) tables*$/region \1 \2/p' one.out |
	sort >"$T/discover.regions"
check "tables per region: DuckDB's are optima discover's" \
	cmp -s "$T/discover.regions" "$(grep '^region' "$T/duck" >"$T/d.r" &&
	echo "$T/d.r")"
# (Those of recommendations.ndjson: the commitments, which
# list-recommendations lists too, are in a file of their own.)
optima --project-root two list-recommendations --format json >"$T/recs.json"
want=$(jq -r 'map(select(.type != "commitment")) |
	"recommendations \(length) \(map(.monthly_savings_usd) |
	add * 100 | round / 100)"' "$T/recs.json")
got=$(grep '^recommendations' "$T/duck")
check "recommendations and their savings: DuckDB's are optima list-recommendations'" \
	[ "$(echo "$got" | awk '{ printf "%d %.2f", $2, $3 }')" = \
	"$(echo "$want" | awk '{ printf "%d %.2f", $2, $3 }')" ]
printf '# %s\n# %s\n' "$got" "$want"

# optima athena-ddl: a statement per kind of record, every field of the
# records a column of a sensible type, the partitions where projdir puts
# them.
run 0 optima --project-root two athena-ddl --location s3://bkt/lake/
cp out ddl
check "seven CREATE EXTERNAL TABLE statements" \
	[ "$(grep -c '^CREATE EXTERNAL TABLE IF NOT EXISTS .optima_[a-z]*. ($' ddl)" -eq 7 ]
check "as many statements ended" [ "$(grep -c ';$' ddl)" -eq 7 ]
check "brackets balance" [ "$(grep -v '^--' ddl | tr -cd '()<>' | awk '{
	for (i = 1; i <= length($0); i++) {
		c = substr($0, i, 1)
		d += (c == "(" || c == "<") - (c == ")" || c == ">")
		if (d < 0) bad = 1
	}
	print bad || d ? "no" : "yes" }')" = yes ]
has ddl "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'"
has ddl "'projection.account.type' = 'enum'"
has ddl "'projection.account.values' = '102462149062,574702335963,664366546528'"
has ddl "'projection.region.type' = 'enum'"
has ddl "'storage.location.template' = 's3://bkt/lake/tables/account=\${account}/'"
has ddl "'storage.location.template' = 's3://bkt/lake/metrics/account=\${account}/region=\${region}/'"
hasnt ddl "s3://bkt/lake//"

# columns TABLE: "name type" of the statement creating optima_TABLE,
# partition columns included.
columns() {
	awk -v t="optima_$1" '
		/^CREATE/ { on = index($0, "`" t "`") > 0; next }
		on && /^  `/ { sub(/,$/, ""); n = $1; gsub(/`/, "", n)
			print n, $2 }
		on && /^PARTITIONED BY/ { s = $0; gsub(/[`(),]/, " ", s)
			k = split(s, w, " ")
			for (i = 3; i < k; i += 2) print w[i], w[i + 1] }
		on && /;$/ { on = 0 }' ddl
}

# fields FILE...: "name jq-type" of every top-level field of the records.
fields() {
	cat "$@" | jq -r 'to_entries[] | select(.value != null) |
		"\(.key) \(.value | type)"' | sort -u
}

# A JSON type and the Athena types that hold it.
fits() {
	case $2:$3 in
	string:string|boolean:boolean|number:double|number:bigint|\
	number:int|array:array\<*|object:struct\<*|object:map\<*|\
	object:string|array:string) return 0 ;;
	esac
	return 1
}

for k in tables:two/tables/*/*.ndjson metrics:two/metrics/*/*/*.ndjson \
    prices:two/prices/*.ndjson cur:two/cur/*.ndjson \
    scenarios:two/scenarios.ndjson recommendations:two/recommendations.ndjson \
    commitments:two/commitments.ndjson
do
	t=${k%%:*}
	columns "$t" >"$T/cols"
	# shellcheck disable=SC2086 # the glob is the point
	fields ${k#*:} >"$T/fields"
	bad=$(while read -r f type; do
		c=$(awk -v f="$f" '$1 == f { print $2 }' "$T/cols")
		fits "$f" "$type" "$c" || printf '%s(%s as %s) ' "$f" "$type" \
			"${c:-nothing}"
	done <"$T/fields")
	check "optima_$t: every field of the records is a column that holds it" \
		[ -z "$bad" ]
	[ -z "$bad" ] || echo "$bad" | diag
done

# The partitions' folders are projdir's: each data file's folder is the
# template with the file's own values.
bad=$(find two/tables two/metrics -name '*.ndjson' | while read -r f; do
	a=$(head -1 "$f" | jq -r .account)
	r=$(head -1 "$f" | jq -r .region)
	case $f in
	two/tables/*) d="two/tables/account=$a/" ;;
	*) d="two/metrics/account=$a/region=$r/" ;;
	esac
	case $f in "$d"*) ;; *) echo "$f" ;; esac
done)
check "each file is in the partition folder of its records" [ -z "$bad" ]

# Without accounts, a query names them (injected); regions on request.
run 0 optima --project-root nowhere athena-ddl --location s3://b/p \
	--regions us-east-1,eu-west-1
has out "'projection.account.type' = 'injected'"
has out "'projection.region.values' = 'us-east-1,eu-west-1'"
finish
