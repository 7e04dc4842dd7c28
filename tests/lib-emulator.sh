# shellcheck shell=sh
# tests/lib-emulator.sh - start the local AWS emulator for one test
#
# emulator_start [options]: start tests/emulator/run on a free port with the
# given options, wait until it listens, and load its environment
# (AWS_ENDPOINT_URL, AWS_REGION, the management account's keys).  It is
# stopped when the test exits.

emulator_start() {
	rm -f "$T/emu.env"
	"$OPTIMA_TOP/tests/emulator/run" --port 0 --env "$T/emu.env" "$@" \
		>"$T/emu.out" 2>"$T/emu.err" &
	emu_pid=$!
	trap 'kill "$emu_pid" 2>/dev/null; rm -rf "$T"' EXIT
	i=0
	while [ ! -s "$T/emu.env" ]; do
		i=$((i + 1))
		if [ "$i" -gt 100 ] || ! kill -0 "$emu_pid" 2>/dev/null; then
			{ echo "emulator did not start:"; cat "$T/emu.err"; } |
				diag
			return 1
		fi
		sleep 0.1
	done
	# shellcheck disable=SC1091 # written by the emulator at run time
	. "$T/emu.env"
}

# Debian's awscli (2.9) predates AWS_ENDPOINT_URL: name the endpoint.
awscli() {
	/usr/bin/aws --endpoint-url "$AWS_ENDPOINT_URL" --output json "$@"
}
