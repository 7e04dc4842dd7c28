# shellcheck shell=sh
# tests/lib-faults.sh - the fault matrix: a collector run against a faulty
# emulator, then --resume until it succeeds, compared with an undisturbed
# run; source tests/lib.sh and tests/lib-emulator.sh first
#
# faults_init: start the undisturbed emulator (small organization, seed 7)
# and make the undisturbed project directories of each stage in
# $T/base/STAGE (STAGE: discover, collect, pricing, cur).
#
# fault STAGE NAME EMULATOR-OPTIONS [VAR=value...]: a fresh project
# directory with what the stage starts from, the stage run once against an
# emulator started with the options (faults, session lifetime) and the
# environment given, then --resume (a run again, for pricing) against the
# same emulator until it exits 0 (at most $FAULT_RUNS runs); the TAP checks
# of the outcome (documented exit statuses, whole NDJSON files, no
# temporary leftovers, the undisturbed run's files byte for byte) and a
# line of the report in $T/report.
#
# kill_case STAGE SIGNAL SEED: the stage killed with SIGNAL after a delay
# drawn from SEED, its NDJSON files checked at once, then resumed.
#
# disk_full STAGE KB: the stage in a tmpfs with KB kilobytes free (skipped when
# mounting is not permitted), then the tmpfs grown and the stage resumed.
#
# Logs (logs/) and checkpoints (state/) are left out of the comparisons.

FAULT_RUNS=${FAULT_RUNS:-8}
emu_pid=
: >"$T/report"

# The day collected: yesterday, fixed once so a run over midnight agrees.
fault_day=$(date -u -d yesterday +%Y-%m-%d)

# stage_cmd STAGE DIR [--resume]: the command line of a stage.
stage_cmd() {
	case $1 in
	discover)
		echo optima-discover --project-root "$2" --use-org ${3:+"$3"} ;;
	collect)
		echo optima-fetch-metrics --project-root "$2" --start-date \
		    "$fault_day" --end-date "$fault_day" ${3:+"$3"} ;;
	pricing)
		echo optima-pricing --project-root "$2" --source api ;;
	cur)
		echo optima-cur --project-root "$2" --months 1 ${3:+"$3"} ;;
	esac
}

# stage_run STAGE DIR [--resume]: run it, stdout and stderr appended to
# DIR.out; its exit status.
stage_run() {
	# shellcheck disable=SC2046,SC2086 # the words of the command line
	env $FAULT_ENV $(stage_cmd "$@") >>"$2.out" 2>&1
}
FAULT_ENV=

# emu OPTIONS...: emulator_start, the cleanup of this file kept at exit.
emu() {
	emulator_start "$@"
	e_st=$?
	trap faults_cleanup EXIT
	return "$e_st"
}

# stage_prepare STAGE DIR: what the stage starts from.
stage_prepare() {
	rm -rf "$2" "$2.out"
	case $1 in
	collect | pricing)
		mkdir -p "$2"
		cp -R "$T/base/discover/." "$2/" ;;
	*)
		mkdir -p "$2" ;;
	esac
}

# listing DIR: every file but logs and checkpoints, with its checksum.
listing() {
	(cd "$1" && find . -path ./logs -prune -o -path ./state -prune -o \
	    -type f -print | sort | xargs -r cksum)
}

# whole DIR: passes if every NDJSON file under DIR ends with a newline
# and each of its lines is a JSON object (prints the first bad file).
whole() {
	find "$1" -name '*.ndjson' -type f | while read -r f; do
		if [ -s "$f" ] && [ "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" != '\n' ]; then
			echo "$f: no newline at the end"
			return 1
		fi
		if ! jq -e -s 'all(.[]; type == "object")' "$f" >/dev/null 2>&1; then
			echo "$f: a line that is not a JSON object"
			return 1
		fi
	done
}

# leftovers DIR: the temporary files under DIR (hidden files, downloads).
leftovers() {
	find "$1" \( -name '.*' -o -name '*.part*' -o -name '*.tmp' \) -type f
}

faults_init() {
	emu --org small --seed 7 || return 1
	base_env=$AWS_ENDPOINT_URL
	mkdir -p "$T/base"
	for fi_s in discover collect pricing cur; do
		stage_prepare "$fi_s" "$T/base/$fi_s"
		xs=0
		stage_run "$fi_s" "$T/base/$fi_s" || xs=$?
		if [ "$xs" -ne 0 ]; then
			{ echo "the undisturbed $fi_s run failed ($xs):"
			  cat "$T/base/$fi_s.out"; } | diag
			return 1
		fi
		listing "$T/base/$fi_s" >"$T/base/$fi_s.list"
	done
	kill "$emu_pid" 2>/dev/null
	wait "$emu_pid" 2>/dev/null
	[ -n "$base_env" ]
}

# documented STATUS...: passes if each is 0, 1, 2 or 75 (or the status of
# a process killed by a signal, 128 + the signal, when $killed is set).
documented() {
	for dc_s in "$@"; do
		case $dc_s in
		0 | 1 | 2 | 75) ;;
		137 | 143) [ -n "${killed:-}" ] || return 1 ;;
		*) return 1 ;;
		esac
	done
}

# outcome STAGE NAME DIR STATUSES: the checks after the last run, and the
# report line.
outcome() {
	o_stage=$1 o_name=$2 o_dir=$3 o_st=$4
	o_runs=$(echo "$o_st" | wc -w)
	o_last=${o_st##* }
	# shellcheck disable=SC2086 # one argument per status
	check "$o_stage/$o_name: exit statuses documented ($o_st)" documented $o_st
	check "$o_stage/$o_name: ends in success ($o_runs runs)" [ "$o_last" = 0 ]
	if ! whole "$o_dir" >"$T/whole.out"; then
		ok 1 "$o_stage/$o_name: every NDJSON file whole"
		tail -n 40 "$T/whole.out" | diag
	else
		ok 0 "$o_stage/$o_name: every NDJSON file whole"
	fi
	leftovers "$o_dir" >"$T/left.out"
	check "$o_stage/$o_name: no temporary file left" [ ! -s "$T/left.out" ]
	head -5 "$T/left.out" | sed 's/^/left: /' | diag
	listing "$o_dir" >"$T/got.list"
	if cmp -s "$T/base/$o_stage.list" "$T/got.list"; then
		o_same=same
		ok 0 "$o_stage/$o_name: the files of an undisturbed run, byte for byte"
	else
		o_same=DIFFERENT
		ok 1 "$o_stage/$o_name: the files of an undisturbed run, byte for byte"
		diff "$T/base/$o_stage.list" "$T/got.list" | head -10 | diag
		tail -5 "$o_dir.out" | sed 's/^/out: /' | diag
	fi
	printf '%-9s %-34s runs %-2s exits %-16s %s\n' "$o_stage" "$o_name" \
	    "$o_runs" "$(echo "$o_st" | tr ' ' ,)" "$o_same" >>"$T/report"
}

# resume_until STAGE DIR STATUSES: run the stage with --resume until it
# exits 0, at most $FAULT_RUNS runs in all; the statuses, in order.
resume_until() {
	r_st=$3
	while [ "${r_st##* }" != 0 ] && [ "$(echo "$r_st" | wc -w)" -lt "$FAULT_RUNS" ]; do
		r_s=0
		stage_run "$1" "$2" --resume || r_s=$?
		r_st="$r_st $r_s"
	done
	echo "$r_st"
}

fault() {
	f_stage=$1 f_name=$2 f_opts=$3
	shift 3
	# shellcheck disable=SC2086 # the emulator's options, word by word
	emu --org small --seed 7 $f_opts || { ok 1 "$f_stage/$f_name: emulator"; return; }
	pd=$T/run-$f_stage
	stage_prepare "$f_stage" "$pd"
	FAULT_ENV="$*"
	xs=0
	stage_run "$f_stage" "$pd" || xs=$?
	sts=$(resume_until "$f_stage" "$pd" "$xs")
	FAULT_ENV=
	kill "$emu_pid" 2>/dev/null
	wait "$emu_pid" 2>/dev/null
	outcome "$f_stage" "$f_name" "$pd" "$sts"
}

# A delay in milliseconds from 0 to MAX-1, drawn from SEED (reproducible).
draw() {
	awk -v s="$1" -v m="$2" 'BEGIN { srand(s); print int(rand() * m) }'
}

kill_case() {
	k_stage=$1 k_sig=$2 k_seed=$3
	k_ms=$(($(draw "$k_seed" "${KILL_MAX_MS:-1200}") + 50))
	# Slow answers, so that a run lasts a few seconds.
	case $k_stage in
	discover) k_lat=150 ;;
	*) k_lat=400 ;;
	esac
	emu --org small --seed 7 --faults "latency=*:${k_lat}ms" ||
	    { ok 1 "$k_stage/kill: emulator"; return; }
	pd=$T/run-$k_stage
	stage_prepare "$k_stage" "$pd"
	# shellcheck disable=SC2046 # the words of the command line
	set -- $(stage_cmd "$k_stage" "$pd")
	"$@" >>"$pd.out" 2>&1 &
	k_pid=$!
	sleep "$(awk -v m="$k_ms" 'BEGIN { printf "%.3f", m / 1000 }')"
	kill -s "$k_sig" "$k_pid" 2>/dev/null
	xs=0
	wait "$k_pid" 2>/dev/null || xs=$?
	if ! whole "$pd" >"$T/whole.out"; then
		ok 1 "$k_stage/$k_sig@${k_ms}ms: every NDJSON file whole just after the kill"
		tail -n 40 "$T/whole.out" | diag
	else
		ok 0 "$k_stage/$k_sig@${k_ms}ms: every NDJSON file whole just after the kill"
	fi
	case $xs in
	0) k_when=", after the end" ;;
	*) k_when= ;;
	esac
	sts=$(resume_until "$k_stage" "$pd" "$xs")
	kill "$emu_pid" 2>/dev/null
	wait "$emu_pid" 2>/dev/null
	killed=1 outcome "$k_stage" "$k_sig@${k_ms}ms(seed $k_seed$k_when)" "$pd" "$sts"
}

disk_full() {
	df_stage=$1 df_kb=$2
	pd=$T/run-$df_stage
	rm -rf "$pd" "$pd.out"
	mkdir -p "$pd"
	if [ "$(id -u)" -ne 0 ] ||
	    ! mount -t tmpfs -o size=64m optima-test "$pd" 2>/dev/null; then
		echo "ok $((n + 1)) # skip $df_stage/disk-full: cannot mount a tmpfs here"
		n=$((n + 1))
		printf '%-9s %-34s skipped: cannot mount a tmpfs\n' "$df_stage" \
		    "disk-full(${df_kb}k)" >>"$T/report"
		return
	fi
	mounts="$mounts $pd"
	# What the stage starts from, then KB free.
	case $df_stage in
	collect | pricing) cp -R "$T/base/discover/." "$pd/" ;;
	esac
	df_used=$(df -k --output=used "$pd" | tail -1)
	mount -o remount,size=$((df_used + df_kb))k "$pd"
	emu --org small --seed 7 || { ok 1 "$df_stage/disk-full: emulator"; return; }
	xs=0
	stage_run "$df_stage" "$pd" || xs=$?
	if ! whole "$pd" >"$T/whole.out"; then
		ok 1 "$df_stage/disk-full: every NDJSON file whole on a full disk"
		tail -n 40 "$T/whole.out" | diag
	else
		ok 0 "$df_stage/disk-full: every NDJSON file whole on a full disk"
	fi
	# A stage whose files fit succeeds; one that fills the disk fails
	# and says so.
	if [ "$xs" -eq 0 ]; then
		ok 0 "$df_stage/disk-full: the files fit in ${df_kb} KB"
	else
		grep -q 'No space left on device' "$pd.out"
		check "$df_stage/disk-full: the error says the disk is full ($xs)" \
			[ $? -eq 0 ]
	fi
	mount -o remount,size=64m "$pd"
	sts=$(resume_until "$df_stage" "$pd" "$xs")
	kill "$emu_pid" 2>/dev/null
	wait "$emu_pid" 2>/dev/null
	outcome "$df_stage" "disk-full(${df_kb}k)" "$pd" "$sts"
	umount "$pd"
	mounts=$(echo "$mounts" | sed "s| $pd||")
}

# The tmpfs mounts still there when the test ends are unmounted.
mounts=
faults_cleanup() {
	for m in $mounts; do
		umount "$m" 2>/dev/null
	done
	kill "${emu_pid:-}" 2>/dev/null
	rm -rf "$T"
}

# deny_case STAGE ACCOUNT: AccessDenied in ACCOUNT (every call, AssumeRole
# included): the run fails (1) or goes on (0) but the other accounts' files
# are those of an undisturbed run, and nothing of ACCOUNT is written.
deny_case() {
	dn_stage=$1 dn_acct=$2
	emu --org small --seed 7 --faults "deny-account=$dn_acct" ||
	    { ok 1 "$dn_stage/deny: emulator"; return; }
	pd=$T/run-$dn_stage
	stage_prepare "$dn_stage" "$pd"
	xs=0
	stage_run "$dn_stage" "$pd" || xs=$?
	kill "$emu_pid" 2>/dev/null
	wait "$emu_pid" 2>/dev/null
	check "$dn_stage/deny-account: exit 0 or 1 ($xs)" [ "$xs" -le 1 ]
	grep -q 'AccessDenied' "$pd.out"
	check "$dn_stage/deny-account: the denial is reported" [ $? -eq 0 ]
	if ! whole "$pd" >"$T/whole.out"; then
		ok 1 "$dn_stage/deny-account: every NDJSON file whole"
		tail -n 40 "$T/whole.out" | diag
	else
		ok 0 "$dn_stage/deny-account: every NDJSON file whole"
	fi
	leftovers "$pd" >"$T/left.out"
	check "$dn_stage/deny-account: no temporary file left" [ ! -s "$T/left.out" ]
	case $dn_stage in
	discover) dn_out=tables ;;
	*) dn_out=metrics ;;
	esac
	grep -v " \./$dn_out/account=$dn_acct/" "$T/base/$dn_stage.list" >"$T/want.list"
	listing "$pd" >"$T/got.list"
	if cmp -s "$T/want.list" "$T/got.list"; then
		dn_same=same
		ok 0 "$dn_stage/deny-account: the other accounts' files, byte for byte"
	else
		dn_same=DIFFERENT
		ok 1 "$dn_stage/deny-account: the other accounts' files, byte for byte"
		diff "$T/want.list" "$T/got.list" | head -10 | diag
	fi
	printf '%-9s %-34s runs 1  exits %-16s %s\n' "$dn_stage" \
	    "deny-account($dn_acct)" "$xs" "$dn_same" >>"$T/report"
}

# member: an account of the organization that is not the management one.
member() {
	jq -r 'select(.management | not) | .account' \
	    "$T/base/discover/accounts.ndjson" | sort | head -1
}
