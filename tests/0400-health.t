#!/bin/sh
# optima health: dependencies and a sound project directory
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"

mkdir p
run 0 optima --project-root p health
has out "ok    jq is installed"
has out "ok    optima-status runs"
has out "ok    project directory p is writable"
has out "ok    project files are consistent"
has out "All checks passed."
check "health leaves nothing behind" [ -z "$(ls -A p)" ]

run 0 optima --project-root p health --verbose
has out "Check: 0 files with problems"

printf '{"kind":"account"\n' >p/accounts.ndjson
run 1 optima --project-root p health
has out "FAIL  project files are consistent"
has out "accounts.ndjson:1: invalid JSON"
has out "Some checks failed."

printf 'x' >file
run 1 optima --project-root file health
has out "FAIL  project directory file exists"
finish
