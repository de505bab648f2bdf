# Shared by the integration tests.  Every test that runs tcpdrop does so in a
# network namespace that the test itself creates in setup and deletes in
# teardown; tcpdrop_in_ns refuses to run anywhere else.

bats_require_minimum_version 1.5.0

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
TCPDROP=${TCPDROP:-$TOP/tcpdrop}
FIXTURE=$TOP/tests/lib/conns.py

# A namespace of this test's own, with loopback up.
make_netns() {
	NS="tcpdrop-test-$$-$BATS_TEST_NUMBER"
	ip netns add "$NS" || return 1
	NS_MADE_BY_TEST=$NS
	ip -n "$NS" link set lo up
}

remove_netns() {
	if [ -n "${FIXTURE_PID:-}" ]; then
		kill "$FIXTURE_PID" 2>/dev/null
		wait "$FIXTURE_PID" 2>/dev/null
	fi
	if [ -n "${NS_MADE_BY_TEST:-}" ]; then
		ip netns pids "$NS_MADE_BY_TEST" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$NS_MADE_BY_TEST"
	fi
}

setup() {
	make_netns
}

teardown() {
	remove_netns
}

# Is $NS a namespace this test made, and not the host's?  Says why not.
check_own_netns() {
	if [ -z "${NS_MADE_BY_TEST:-}" ] || [ "${NS:-}" != "$NS_MADE_BY_TEST" ] ||
	    [ ! -e "/run/netns/$NS" ]; then
		echo "refusing to run outside a network namespace made by this test: $*" >&2
		return 99
	fi
	if [ "$(ip netns exec "$NS" readlink /proc/self/ns/net)" = "$(readlink /proc/1/ns/net)" ]; then
		echo "refusing: $NS is the host's network namespace" >&2
		return 99
	fi
}

# Run a command inside the test's namespace, after checking that it is one
# this test made and not the host's.
in_ns() {
	check_own_netns || return
	ip netns exec "$NS" "$@"
}

tcpdrop_in_ns() {
	in_ns "$TCPDROP" "$@"
}

# tcpdrop as an unprivileged user, in the test's namespace.
tcpdrop_unprivileged() {
	in_ns setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$TCPDROP" "$@"
}

# Start the fixture with the given specs; wait until its sockets exist.
start_fixture() {
	FIXTURE_DIR=$BATS_TEST_TMPDIR/fixture
	mkdir -p "$FIXTURE_DIR"
	check_own_netns || return
	# ip execs python, so the fixture's pid is $! and it receives our signals.
	ip netns exec "$NS" python3 "$FIXTURE" --out "$FIXTURE_DIR" "$@" \
	    2>"$FIXTURE_DIR/stderr" &
	FIXTURE_PID=$!
	local tries=0
	until [ -s "$FIXTURE_DIR/sockets" ]; do
		if ! kill -0 "$FIXTURE_PID" 2>/dev/null || [ $tries -ge 300 ]; then
			echo "fixture did not start: $(cat "$FIXTURE_DIR/stderr")" >&2
			return 1
		fi
		sleep 0.05
		tries=$((tries + 1))
	done
}

# Lines of the fixture's socket list: INDEX ROLE STATE LADDR LPORT FADDR FPORT.
fixture_sockets() {
	cat "$FIXTURE_DIR/sockets"
}

# "LADDR LPORT FADDR FPORT" of the socket with this index and role.
tuple_of() {
	awk -v i="$1" -v r="$2" '$1 == i && $2 == r { print $4, $5, $6, $7; exit }' \
	    "$FIXTURE_DIR/sockets"
}

# Ask the fixture what each socket it holds has seen; prints the report:
# INDEX ROLE LADDR LPORT FADDR FPORT RESULT STATE.
fixture_report() {
	rm -f "$FIXTURE_DIR/report"
	kill -USR1 "$FIXTURE_PID"
	local tries=0
	until [ -s "$FIXTURE_DIR/report" ]; do
		[ $tries -ge 200 ] && { echo "fixture gave no report" >&2; return 1; }
		sleep 0.05
		tries=$((tries + 1))
	done
	cat "$FIXTURE_DIR/report"
}

# What a socket has seen, by index and role, from a fresh report.
result_of() {
	fixture_report | awk -v i="$1" -v r="$2" '$1 == i && $2 == r { print $7; exit }'
}

# A fresh dump of the namespace's TCP sockets, independent of tcpdrop:
# "STATE LADDR LPORT FADDR FPORT" per line, states as tcpdrop(8) names them.
dump_sockets() {
	in_ns ss -Htan | awk '
	function split_endpoint(text, parts,    i) {
		i = match(text, /:[^:]*$/)
		parts[1] = substr(text, 1, i - 1)
		parts[2] = substr(text, i + 1)
		gsub(/^\[|\]$/, "", parts[1])
		sub(/%.*/, "", parts[1])
	}
	BEGIN {
		name["ESTAB"] = "ESTABLISHED"; name["SYN-SENT"] = "SYN_SENT"
		name["SYN-RECV"] = "SYN_RCVD"; name["FIN-WAIT-1"] = "FIN_WAIT_1"
		name["FIN-WAIT-2"] = "FIN_WAIT_2"; name["TIME-WAIT"] = "TIME_WAIT"
		name["CLOSE-WAIT"] = "CLOSE_WAIT"; name["LAST-ACK"] = "LAST_ACK"
		name["LISTEN"] = "LISTEN"; name["CLOSING"] = "CLOSING"
		name["UNCONN"] = "CLOSED"
	}
	{
		split_endpoint($4, l); split_endpoint($5, f)
		print (($1 in name) ? name[$1] : $1), l[1], l[2], f[1], f[2]
	}'
}

# Does the fresh dump hold a socket with this "LADDR LPORT FADDR FPORT"?
socket_exists() {
	dump_sockets | awk -v t="$*" '{ $1 = ""; sub(/^ /, "") } $0 == t { found = 1 } END { exit !found }'
}

# The number of sockets in the fresh dump in a state (LISTEN, ESTABLISHED, ...).
count_state() {
	dump_sockets | awk -v s="$1" '$1 == s { n++ } END { print n + 0 }'
}

# Assert status, stdout and stderr together (after run --separate-stderr).
expect() {
	local want_status=$1 want_stdout=$2 want_stderr=$3
	if [ "$status" != "$want_status" ] || [ "$output" != "$want_stdout" ] ||
	    [ "$stderr" != "$want_stderr" ]; then
		printf 'status: %s (want %s)\nstdout:\n%s\nwant stdout:\n%s\nstderr:\n%s\nwant stderr:\n%s\n' \
		    "$status" "$want_status" "$output" "$want_stdout" "$stderr" "$want_stderr" >&2
		return 1
	fi
}

USAGE='usage: tcpdrop local-address local-port foreign-address foreign-port
       tcpdrop local-address:local-port foreign-address:foreign-port
       tcpdrop local-address.local-port foreign-address.foreign-port
       tcpdrop [-l] -a
       tcpdrop [-l] -C cc-algo [-S stack] [-s state]
       tcpdrop [-l] [-C cc-algo] -S stack [-s state]
       tcpdrop [-l] [-C cc-algo] [-S stack] -s state'
