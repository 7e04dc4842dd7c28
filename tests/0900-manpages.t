#!/bin/sh
# every program has a man page whose SYNOPSIS is its usage message, which
# --help prints on standard output
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"

# The words of the SYNOPSIS section of man page $1, on one line.
synopsis() {
	mandoc -Tascii "$1" | col -b |
		awk '/^SYNOPSIS/ { on = 1; next } /^[A-Z]/ { on = 0 } on' |
		tr -s ' \t\n' '   ' | sed 's/^ //; s/ $//'
}

# The words of a usage message on standard input, less "usage:".
words() {
	sed -n '/^usage: /,$p' | sed '1s/^usage: //' |
		awk '/^[ \t]*$/ { exit } { print }' |
		tr -s ' \t\n' '   ' | sed 's/^ //; s/ $//'
}

for bin in "$OPTIMA_BINDIR"/optima-*; do
	p=$(basename "$bin")
	check "$p has a man page" [ -f "$OPTIMA_TOP/man/$p.1" ]
	"$bin" --no-such-option 2>"$T/usage" >/dev/null
	check "$p: unknown option is a usage error" [ $? -eq 2 ]
	want=$(synopsis "$OPTIMA_TOP/man/$p.1")
	got=$(words <"$T/usage")
	check "$p: usage matches SYNOPSIS" [ "$got" = "$want" ]
	[ "$got" = "$want" ] || printf '# usage:    %s\n# SYNOPSIS: %s\n' \
		"$got" "$want"
	"$bin" --help >"$T/help" 2>"$T/help-err"
	check "$p --help: exit 0" [ $? -eq 0 ]
	check "$p --help: the usage on standard output" \
		[ "$(words <"$T/help")" = "$want" ]
	check "$p --help: nothing on standard error" [ ! -s "$T/help-err" ]
done

want=$(synopsis "$OPTIMA_TOP/man/optima.7")
got=$(optima help | words)
check "optima: usage matches optima(7) SYNOPSIS" [ "$got" = "$want" ]
[ "$got" = "$want" ] || printf '# usage:    %s\n# SYNOPSIS: %s\n' "$got" "$want"
finish
