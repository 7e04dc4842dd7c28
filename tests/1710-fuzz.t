#!/bin/sh
# The fuzz targets' committed inputs, replayed without libFuzzer: each seed
# corpus (tests/fuzz/corpus/NAME) and every input that once crashed a
# target (tests/fuzz/crashes/NAME), through the same entry point, under
# the sanitizers when make check has SANITIZE=1.  make fuzz does the
# fuzzing itself.
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"

units=${OPTIMA_UNITS:-$OPTIMA_TOP/build/tests}
fuzz=$OPTIMA_TOP/tests/fuzz
for c in "$fuzz"/corpus/*/; do
	name=$(basename "$c")
	bin=$units/fuzz-$name
	if [ ! -x "$bin" ]; then
		ok 1 "fuzz-$name: built (no $bin)"
		continue
	fi
	st=0
	"$bin" "$c" "$fuzz/crashes/$name" >"$T/out" 2>"$T/err" || st=$?
	files=$(grep -c '^ok ' "$T/out")
	if [ "$st" -eq 0 ] && [ "$files" -gt 0 ]; then
		ok 0 "fuzz-$name: $files inputs replayed"
	else
		ok 1 "fuzz-$name: $files inputs replayed (exit $st)"
		tail -1 "$T/out" | sed 's/^/last: /' | diag
		grep -v '^optima\|^fuzz' "$T/err" | tail -30 | diag
	fi
done
# Every target has a corpus, and every corpus a target.
for src in "$fuzz"/fuzz-*.c; do
	name=$(basename "$src" .c)
	name=${name#fuzz-}
	check "fuzz-$name has a seed corpus" [ -d "$fuzz/corpus/$name" ]
done
finish
