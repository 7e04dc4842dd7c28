#!/bin/sh
# the front door: help, version, usage errors
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"

run 0 optima help
has out "usage: optima [--project-root dir] command [options]"
has out "status [--verbose]"

run 2 optima
has err "usage: optima"
run 2 optima frobnicate
has err "optima frobnicate: unknown command 'frobnicate'"
run 2 optima --no-such-option status
has err "unknown option --no-such-option"
run 2 optima status --bogus
has err "optima status: unknown option --bogus"
run 2 optima --project-root
has err "--project-root needs a directory"

run 0 optima version
has out "optima 0.1.0"
has out "jansson 2."
has out "jq jq-"
has out "libcurl/"

# The global option and the environment both name the project directory.
mkdir p
run 0 optima --project-root p status
has out "Project directory: p"
OPTIMA_PROJECT_ROOT=p run 0 optima status
has out "Project directory: p"

run 1 optima --project-root nowhere status
has err "nowhere: No such file or directory"
finish
