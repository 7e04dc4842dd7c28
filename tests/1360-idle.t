#!/bin/sh
# Idle tables (issue 25, point 3), on a project built by hand, against
# figures computed by hand: a table with no read and no write in 14 days
# of data is told as an idle resource to review, with the cheapest way
# to keep it and the cost of retiring it; one read, or fewer days, and
# it is not
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"
# shellcheck source=tests/lib-figures.sh
. "$OPTIMA_TOP/tests/lib-figures.sh"

# is GOT WANT DESCRIPTION: passes if GOT is WANT.
is() {
	if [ "$1" = "$2" ]; then ok 0 "$3"; else ok 1 "$3 (got $1)"; fi
}

A=111111111111
P=p
R=us-east-1
GiB=1073741824

# Made-up prices (tests/lib-figures.sh): an RCU-hour 0.001, a WCU-hour
# 0.002, storage 0.5 a GB-month (Standard-IA 0.2), an on-demand backup
# 0.1 a GB-month, no free tier.
mkdir -p "$P/tables/account=$A"
hand_prices "$P" $R

# old: provisioned 10 reads and 5 writes, 2 GiB and 1,000 items, with an
#   index by-x of 5 and 5 and 1 GiB; no read nor write in 14 days.
# cold: on-demand Standard, 100 GiB and 50,000 items, no read nor write.
# once: as cold, but for one read unit in one minute of the 7th day.
# young: as cold, created on the 5th day: 10 days of data, all idle.
{
	printf '{"kind":"table","account":"%s","region":"%s","table":"old","billing_mode":"PROVISIONED","table_class":"STANDARD","read_capacity":10,"write_capacity":5,"size_bytes":%s,"item_count":1000,"indexes":[{"index":"by-x","read_capacity":5,"write_capacity":5,"size_bytes":%s,"item_count":1000}],"replicas":[]}\n' \
	    $A $R $((2 * GiB)) $GiB
	for t in cold once; do
		printf '{"kind":"table","account":"%s","region":"%s","table":"%s","billing_mode":"PAY_PER_REQUEST","table_class":"STANDARD","size_bytes":%s,"item_count":50000,"indexes":[],"replicas":[]}\n' \
		    $A $R $t $((100 * GiB))
	done
	printf '{"kind":"table","account":"%s","region":"%s","table":"young","billing_mode":"PAY_PER_REQUEST","table_class":"STANDARD","size_bytes":%s,"item_count":50000,"created_epoch":1741132800,"indexes":[],"replicas":[]}\n' \
	    $A $R $((100 * GiB))
} >"$P/tables/account=$A/region=$R.ndjson"
# A day file holds its series by table, then index.
i=1
while [ $i -le 14 ]; do
	d=$(printf '2025-03-%02d' $i)
	for m in Read Write; do
		day_series $P $A $R "$d" cold "" Consumed${m}CapacityUnits 0
	done
	for x in "" by-x; do
		for m in Read Write; do
			day_series $P $A $R "$d" old "$x" \
			    Consumed${m}CapacityUnits 0
		done
		c=5
		[ -n "$x" ] || c=10
		day_series $P $A $R "$d" old "$x" ProvisionedReadCapacityUnits $c
		day_series $P $A $R "$d" old "$x" ProvisionedWriteCapacityUnits 5
	done
	if [ $i -eq 7 ]; then
		day_series $P $A $R "$d" once "" ConsumedReadCapacityUnits 1 1439
	else
		day_series $P $A $R "$d" once "" ConsumedReadCapacityUnits 0
	fi
	day_series $P $A $R "$d" once "" ConsumedWriteCapacityUnits 0
	if [ $i -ge 5 ]; then
		for m in Read Write; do
			day_series $P $A $R "$d" young "" \
			    Consumed${m}CapacityUnits 0
		done
	fi
	i=$((i + 1))
done

S=$P/scenarios.ndjson
run 0 optima-simulate --project-root $P
run 0 optima-rank --project-root $P
# A full ranking does not look for idle tables: their analysis does.
jq -r .type $P/recommendations.ndjson >types
ok "$(grep -c idle types)" "no idle table without its analysis"
run 0 optima --project-root $P analyze-idle
has out "Idle tables to review: 2 tables"

# old, now: reads (10 + 5 for by-x) x 730 x 0.001 = 10.95; writes
# (5 + 5) x 730 x 0.002 = 14.60; storage (2 + 1) GiB x 0.5 = 1.50:
# 27.05, by-x's part (3.65 + 7.30 + 0.50) 11.45.  Kept on-demand in
# Standard-IA: no throughput, 3 x 0.2 = 0.60 (Standard's 1.50): saves
# 26.45.  Retired: a backup of its own 2 GiB, 2 x 0.1 = 0.20 a month:
# saves 26.85.
is_rec 27.05 old idle .current_monthly_usd
is_rec 0.60 old idle .recommended_monthly_usd
is_rec 26.45 old idle .monthly_savings_usd
is_rec 26.45 old idle .effective_monthly_savings_usd
is_rec 14 old idle .idle.days
is_rec 2147483648 old idle .idle.size_bytes
is_rec 1000 old idle .idle.item_count
is_rec 1.50 old idle .idle.current_usd.storage_usd
is_rec 25.55 old idle .idle.current_usd.capacity_usd
is_rec 11.45 old idle .idle.current_usd.indexes_usd
is_rec 0.60 old idle .idle.keep.monthly_usd
is_rec 0.20 old idle .idle.retire.backup_monthly_usd
is_rec 26.85 old idle .idle.retire.monthly_savings_usd
is "$(rec old idle '.recommended.billing_mode + " " + .recommended.table_class')" \
    "PAY_PER_REQUEST STANDARD_INFREQUENT_ACCESS" "old: kept on-demand in Standard-IA"
is "$(rec old idle .apply)" "aws dynamodb update-table --table-name old --billing-mode PAY_PER_REQUEST --region us-east-1
aws dynamodb wait table-exists --table-name old --region us-east-1
aws dynamodb update-table --table-name old --table-class STANDARD_INFREQUENT_ACCESS --region us-east-1" \
    "old: the commands that keep it"
is "$(rec old idle .retire_apply)" "aws dynamodb create-backup --table-name old --backup-name old-optima-idle --region us-east-1
aws dynamodb delete-table --table-name old --region us-east-1" \
    "old: the commands that would retire it"
# Its other recommendations of the full ranking give way: no capacity,
# class or review; the other tables keep theirs.
is "$(jq -r 'select(.table == "old") | .type' $P/recommendations.ndjson)" \
    idle "old: only its idle recommendation"

# cold, now: 100 GiB x 0.5 = 50.00.  Kept in Standard-IA: 100 x 0.2 =
# 20.00, saves 30.00; retired: 100 x 0.1 = 10.00 a month, saves 40.00.
is_rec 50 cold idle .current_monthly_usd
is_rec 30 cold idle .monthly_savings_usd
is_rec 10 cold idle .idle.retire.backup_monthly_usd
is_rec 40 cold idle .idle.retire.monthly_savings_usd
is "$(rec cold idle .apply)" "aws dynamodb update-table --table-name cold --table-class STANDARD_INFREQUENT_ACCESS --region us-east-1" \
    "cold: a change of class keeps it"

# once: one read, on the 7th day; young: 10 days of data.  Not idle.
is "$(jq -r 'select(.type == "idle") | .table' $P/recommendations.ndjson | sort | paste -sd ' ' -)" \
    "cold old" "once and young are not idle"

# The list of its type, and the script: keeping commented out, unless
# --include-idle; retiring always.
run 0 optima list-recommendations --project-root $P --type idle --format csv
is "$(grep -c '^"idle-' "$T/out")" 2 "list-recommendations --type idle: both"
run 0 optima list-recommendations --project-root $P --type idle \
    --format aws-cli --output idle.sh
ok "$(sh -n idle.sh; echo $?)" "the script is sh"
ok "$(shellcheck -s sh idle.sh >&2; echo $?)" "and passes shellcheck"
is "$(grep -c '^aws ' idle.sh)" 0 "no command runs by default"
is "$(grep -c '^# aws dynamodb delete-table' idle.sh)" 2 \
    "the deletions are comments"
is "$(grep -c '^# aws dynamodb create-backup' idle.sh)" 2 \
    "the backups are comments"
run 0 optima list-recommendations --project-root $P --type idle \
    --format aws-cli --include-idle --output keep.sh
ok "$(sh -n keep.sh; echo $?)" "--include-idle: the script is sh"
is "$(grep -c '^aws dynamodb update-table' keep.sh)" 3 \
    "--include-idle: the commands that keep them run"
is "$(grep -c '^aws dynamodb \(delete-table\|create-backup\)' keep.sh)" 0 \
    "--include-idle: retiring them never does"
run 2 optima list-recommendations --project-root $P --include-idle
finish
