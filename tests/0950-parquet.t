#!/bin/sh
# the Parquet reader against the files of two independent writers
# (DuckDB and hyparquet-writer), and against damaged files
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"

dump=$OPTIMA_UNITS/parquet-dump
fx=$OPTIMA_TOP/tests/parquet-fixtures.mjs
# Under the sanitizers a memory error must not pass for a read error.
export ASAN_OPTIONS=exitcode=86 UBSAN_OPTIONS=exitcode=86

st=0
node "$fx" write "$T/fx" >"$T/log" 2>&1 || st=$?
ok "$st" "fixtures written"
sed 's/^#* */# /' "$T/log"

for f in "$T"/fx/*.parquet; do
	x=${f%.parquet}
	b=$(basename "$x")
	# shellcheck disable=SC2046 # one argument a column
	if "$dump" "$f" $(cat "$x.cols") >"$x.out" 2>"$x.err"; then
		st=0
		node "$fx" compare "$x.expect" "$x.out" || st=$?
		ok "$st" "$b: every value as written"
	else
		ok 1 "$b: read"
		diag <"$x.err"
	fi
done

# The kinds of the columns, nested ones listed but not selectable.
run 0 "$dump" -l "$T/fx/duck-snappy.parquet"
cut -f2 "$T/out" | tr '\n' ' ' >"$T/kinds"
echo >>"$T/kinds"
has "$T/kinds" "int string string double double int int time time time time time double double double double null null null string"
has "$T/out" "tags.list.element	null"
run 1 "$dump" "$T/fx/duck-snappy.parquet" id st.a
has "$T/err" "duck-snappy.parquet: column st.a: nested or repeated columns are not supported"

# Damaged files: a clear error naming the file.
cp "$T/fx/hyp-snappy.parquet" "$T/bad.parquet"
printf 'PAR0' | dd of="$T/bad.parquet" bs=1 count=4 conv=notrunc 2>/dev/null
run 1 "$dump" "$T/bad.parquet" id
has "$T/err" "bad.parquet: bad magic"
cp "$T/fx/hyp-snappy.parquet" "$T/bad.parquet"
size=$(wc -c <"$T/bad.parquet")
printf '\377\377\377\000' | dd of="$T/bad.parquet" bs=1 seek=$((size - 8)) \
	count=4 conv=notrunc 2>/dev/null
run 1 "$dump" "$T/bad.parquet" id
has "$T/err" "bad.parquet: footer length 16777215 exceeds the file size"
head -c $((size / 2)) "$T/fx/hyp-snappy.parquet" >"$T/bad.parquet"
run 1 "$dump" "$T/bad.parquet" id
has "$T/err" "bad.parquet: bad magic at the end"
run 1 "$dump" "$T/nonexistent.parquet" id
has "$T/err" "nonexistent.parquet: No such file or directory"

# Many damaged copies: each read gives values or a clean error.
bad=0
for src in hyp-snappy duck-zstd duck-v2-snappy; do
	node "$fx" mutate "$T/fx/$src.parquet" "$T/m-$src" 100
	for f in "$T/m-$src"/*.parquet; do
		st=0
		# shellcheck disable=SC2046
		"$dump" "$f" $(cat "$T/fx/$src.cols") >/dev/null 2>"$T/err" ||
			st=$?
		if [ "$st" -gt 1 ] || { [ "$st" -eq 1 ] &&
		    ! grep -q "$(basename "$f"): " "$T/err"; }; then
			bad=$((bad + 1))
			{ echo "$src $(basename "$f"): exit $st"
			  head -5 "$T/err"; } | diag
		fi
	done
done
check "300 damaged files: values or a clear error" [ "$bad" -eq 0 ]
finish
