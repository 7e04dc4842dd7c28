#!/bin/sh
# settings: optima.conf, then the environment, then options
# shellcheck source=tests/lib.sh
. "${OPTIMA_TOP:?run from make check}/tests/lib.sh"

mkdir p
run 0 optima --project-root p status --verbose
has out "CAPACITY_ANALYSIS_DAYS=14	# default"
has out "ORGANIZATIONS_ROLE_NAME=MetricsCollectorRole	# default"
has out "AWS_REGION=	# unset"

cat >p/optima.conf <<'CONF'
# settings for this project
CAPACITY_ANALYSIS_DAYS=21
LOG_LEVEL=debug
MIN_SAVINGS_THRESHOLD_USD = 25
CONF
run 0 optima --project-root p status --verbose
has out "CAPACITY_ANALYSIS_DAYS=21	# p/optima.conf:2"
has out "LOG_LEVEL=DEBUG	# p/optima.conf:3"
has out "MIN_SAVINGS_THRESHOLD_USD=25	# p/optima.conf:4"

# The environment beats the file.
CAPACITY_ANALYSIS_DAYS=30 run 0 optima --project-root p status --verbose
has out "CAPACITY_ANALYSIS_DAYS=30	# environment"
has out "LOG_LEVEL=DEBUG	# p/optima.conf:3"

# Bad values name where they were written.
CAPACITY_ANALYSIS_DAYS=soon run 1 optima --project-root p status
has err "environment: CAPACITY_ANALYSIS_DAYS=soon: not a number"
printf 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG\n' >>p/optima.conf
run 1 optima --project-root p status
has err "p/optima.conf:5: AWS_SECRET_ACCESS_KEY: credentials do not belong"
hasnt err "wJalrXUtnFEMI"
finish
