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
# The original's database settings mean nothing here: refused in
# optima.conf, saying why; in the environment (where another program may
# want them) said to be ignored.
sentence="optima keeps its data in plain files in the project directory, not in a database"
mkdir d
DATABASE_URL=data/dynamodb_optima.db run 0 optima --project-root d status
has err "optima status: environment: DATABASE_URL is ignored: $sentence"
mkdir q
printf 'CAPACITY_ANALYSIS_DAYS=21\nDATABASE_POOL_SIZE=10\n' >q/optima.conf
run 1 optima --project-root q status
has err "q/optima.conf:2: DATABASE_POOL_SIZE: $sentence"

# The GUI's settings, with their defaults; a bad one is refused.
mkdir g
run 0 optima --project-root g status --verbose
has out "STREAMLIT_SERVER_PORT=8501	# default"
has out "STREAMLIT_THEME=light	# default"
STREAMLIT_THEME=blue run 1 optima --project-root g status
has err "environment: STREAMLIT_THEME=blue: not one of the choices (light, dark)"
STREAMLIT_SERVER_PORT=99999 run 1 optima --project-root g status
has err "environment: STREAMLIT_SERVER_PORT=99999"

# --verbose before the command, as the original's global --verbose.
run 0 optima --project-root g --verbose status
has out "STREAMLIT_THEME=light	# default"

# gui NAME [ENV=VALUE...] -- [OPTION...]: start optima gui in the
# background with those variables and options; $url is the URL it prints
# (empty if it did not start within 10 s), $pid its process.
pids=
# shellcheck disable=SC2086 # $pids: one word per server
trap '[ -z "$pids" ] || kill $pids 2>/dev/null; rm -rf "$T"' EXIT
gui() {
	name=$1
	shift
	(
		while [ "$1" != -- ]; do
			export "${1?}"
			shift
		done
		shift
		exec optima --project-root g gui "$@"
	) >"$T/$name.out" 2>"$T/$name.err" &
	pid=$!
	pids="$pids $pid"
	i=0
	url=
	while [ -z "$url" ] && [ "$i" -lt 100 ] && kill -0 "$pid" 2>/dev/null; do
		sleep 0.1
		url=$(grep -o 'http://[^ ]*/' "$T/$name.out" 2>/dev/null) || url=
		i=$((i + 1))
	done
}
stop() {
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

# A free port: the one a server given port 0 got, once it is stopped.
gui any -- --port 0
port=${url##*:}
port=${port%/}
stop
check "a free port is found ($port)" [ -n "$port" ]
gui env STREAMLIT_SERVER_PORT="$port" STREAMLIT_THEME=dark --
check "STREAMLIT_SERVER_PORT=$port: optima gui listens on $port" \
	[ "$url" = "http://127.0.0.1:$port/" ]
theme=$(curl -s --max-time 5 "http://127.0.0.1:$port/api/config" |
	jq -r .theme) || theme=
check "STREAMLIT_THEME=dark: the page is dark ($theme)" [ "$theme" = dark ]
stop
# The command line wins: port 1 would not do.
gui opt STREAMLIT_SERVER_PORT=1 STREAMLIT_THEME=dark -- --port 0 --theme light
check "--port beats STREAMLIT_SERVER_PORT" [ -n "$url" ]
theme=$(curl -s --max-time 5 "${url}api/config" | jq -r .theme) || theme=
check "--theme beats STREAMLIT_THEME ($theme)" [ "$theme" = light ]
stop
finish
