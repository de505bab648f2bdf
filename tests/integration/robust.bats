#!/usr/bin/env bats
# tcpdrop under load and under races, with real sockets and the real kernel:
# -s and -a run again and again while tests/lib/churn.py opens and closes
# thousands of connections a second, and a connection whose addresses and
# ports were reused between lookup and drop (tests/race/stale_cookie).
# Each test runs in its own namespace; nothing here runs outside it.

load helpers

CHURN=$TOP/tests/lib/churn.py
STALE_COOKIE=$TOP/tests/race/stale_cookie
# tcpdrop runs per churn test.  The churn lasts until the test stops it
# after its runs, however long they take on a slow or loaded machine;
# CHURN_SECONDS only bounds it should the test die first.
RUNS=20
CHURN_SECONDS=600
# The second IPv6 address of the churn tests' loopback (a documentation
# address), where their probes connect from.
PROBE_SOURCE6=2001:db8::2

teardown() {
	if [ -n "${CHURN_PID:-}" ]; then
		kill "$CHURN_PID" 2>/dev/null
		wait "$CHURN_PID" 2>/dev/null
	fi
	if [ -n "${RMEM_MAX_BEFORE:-}" ]; then
		echo "$RMEM_MAX_BEFORE" >/proc/sys/net/core/rmem_max
	fi
	remove_netns
}

# The test's namespace as the processes in it see it: what churn.py and
# stale_cookie compare with their own before they do anything.
netns_link() {
	in_ns readlink /proc/self/ns/net
}

# Start the churn; wait until its listeners are up and its pool is full.
start_churn() {
	local link
	CHURN_DIR=$BATS_TEST_TMPDIR/churn
	mkdir -p "$CHURN_DIR"
	check_own_netns || return
	link=$(netns_link) || return
	# The probes that ask whether the listeners still accept come from
	# addresses of their own, 127.0.0.2 and this one (accepts).
	ip -n "$NS" addr add "$PROBE_SOURCE6/128" dev lo nodad || return
	# ip execs env, which execs python: the churn's pid is $!.  It must not
	# hold bats's fd 3, or bats would wait for it to end.
	ip netns exec "$NS" env TCPDROP_TEST_NETNS="$link" python3 "$CHURN" \
	    --seconds "$CHURN_SECONDS" --out "$CHURN_DIR" 2>"$CHURN_DIR/stderr" 3>&- &
	CHURN_PID=$!
	wait_for_file "$CHURN_DIR/ready" "$CHURN_PID" churn 10 || return
	CHURN_PORT=$(awk '$1 == "v4" { print $2 }' "$CHURN_DIR/ready")
}

# Stop the churn; it must still have been running, then exit 0 with nothing
# on stderr (no traceback) and a count of what it did.
stop_churn() {
	local status
	kill -0 "$CHURN_PID" 2>/dev/null || { echo "churn died: $(cat "$CHURN_DIR/stderr")" >&2; return 1; }
	kill "$CHURN_PID"
	wait "$CHURN_PID"
	status=$?
	CHURN_PID=
	[ "$status" = 0 ] || { echo "churn exited $status: $(cat "$CHURN_DIR/stderr")" >&2; return 1; }
	[ ! -s "$CHURN_DIR/stderr" ] || { echo "churn stderr: $(cat "$CHURN_DIR/stderr")" >&2; return 1; }
	[ -s "$CHURN_DIR/stats" ]
}

# Whether the churn still runs, and what it said, for failure messages.
churn_health() {
	if kill -0 "$CHURN_PID" 2>/dev/null; then
		echo "the churn still runs"
	else
		wait "$CHURN_PID"
		echo "the churn is gone (status $?); its stderr: $(cat "$CHURN_DIR/stderr");" \
		    "its stats: $(cat "$CHURN_DIR/stats" 2>/dev/null)"
	fi
}

# A count from the churn's stats, 0 if absent.
churn_stat() {
	awk -v n="$1" '$1 == n { v = $2 } END { print v + 0 }' "$CHURN_DIR/stats"
}

# "LOCAL-ADDRESS:PORT COOKIE" of each listener, sorted.
listeners() {
	in_ns ss -Htlne 2>/dev/null | awk '{
		cookie = "-"
		for (i = 5; i <= NF; i++) if ($i ~ /^sk:/) cookie = substr($i, 4)
		print $4, cookie
	}' | LC_ALL=C sort -k1,1
}

# "COOKIE STATE LOCAL PEER" of each socket, sorted by cookie: the
# ESTABLISHED ones (filtered by the kernel: the TIME_WAIT sockets the churn
# leaves behind are many), or every one but the listeners.
established_sockets() {
	in_ns ss -Htane state established 2>/dev/null | awk '{
		for (i = 5; i <= NF; i++) if ($i ~ /^sk:/) print substr($i, 4), "ESTAB", $3, $4
	}' | LC_ALL=C sort -k1,1
}
connection_sockets() {
	in_ns ss -Htane 2>/dev/null | awk '$1 != "LISTEN" {
		for (i = 6; i <= NF; i++) if ($i ~ /^sk:/) print substr($i, 4), $1, $4, $5
	}' | LC_ALL=C sort -k1,1
}

# Does a fresh connection to ADDRESS PORT, from address SOURCE, complete
# its handshake?  The churn resets one in ten of its own connections as it
# accepts them, which on a busy machine comes before connect.py has seen
# its connection made; one from any other address it never resets.
accepts() {
	in_ns python3 "$TOP/tests/lib/connect.py" "$1" "$2" "$3"
}

# Run tcpdrop with these options $RUNS times under churn.  Each run exits 0
# with nothing on stderr and only "...: dropped" lines on stdout; no socket
# that the snapshot function ($1) listed as matching right before a run is
# listed by it after the run (sockets are told apart by cookie, which the
# kernel never reuses); the listeners keep their cookies.  Across the runs
# something was selected and dropped, and at the end both listeners accept.
churn_runs() {
	local snapshot=$1 round before after survivors listening dropped=0 selected=0
	shift
	listening=$(listeners)
	[ "$(wc -l <<<"$listening")" = 2 ] || { echo "listeners: $listening" >&2; return 1; }
	for ((round = 1; round <= RUNS; round++)); do
		before=$($snapshot)
		run --separate-stderr tcpdrop_in_ns "$@"
		after=$($snapshot)
		if [ "$status" != 0 ] || [ -n "$stderr" ]; then
			echo "run $round of tcpdrop $*: status $status, stderr:" >&2
			printf '%s\n' "$stderr" >&2
			return 1
		fi
		if grep -v ': dropped$' <<<"$output" | grep -q .; then
			echo "run $round of tcpdrop $*: not a drop report: $(grep -v ': dropped$' <<<"$output" | head -3)" >&2
			return 1
		fi
		survivors=$(LC_ALL=C join <(cut -d' ' -f1 <<<"$before") <(printf '%s\n' "$after"))
		if [ -n "$survivors" ]; then
			echo "run $round of tcpdrop $*: $(wc -l <<<"$survivors") sockets matched before" \
			    "it and are still there after it (COOKIE STATE LOCAL PEER):" >&2
			head -20 <<<"$survivors" >&2
			return 1
		fi
		[ "$(listeners)" = "$listening" ] ||
		    { echo "run $round: listeners changed: $(listeners), were: $listening; $(churn_health)" >&2; return 1; }
		[ -z "$output" ] || dropped=$((dropped + $(wc -l <<<"$output")))
		[ -z "$before" ] || selected=$((selected + $(wc -l <<<"$before")))
		sleep 0.1
	done
	echo "# tcpdrop $*: $RUNS runs dropped $dropped of $selected sockets seen matching before them" >&3
	[ "$selected" -gt 0 ] && [ "$dropped" -gt 0 ] ||
	    { echo "nothing was dropped (selected $selected)" >&2; return 1; }
	accepts 127.0.0.1 "$CHURN_PORT" 127.0.0.2 || { echo "127.0.0.1 port $CHURN_PORT refuses" >&2; return 1; }
	accepts ::1 "$CHURN_PORT" "$PROBE_SOURCE6" || { echo "::1 port $CHURN_PORT refuses" >&2; return 1; }
	[ "$(listeners)" = "$listening" ]
}

# The churn saw its connections dropped, survived it, and was never refused.
check_churn_survived() {
	stop_churn || return
	echo "# churn: $(tr '\n' ' ' <"$CHURN_DIR/stats")" >&3
	[ "$(churn_stat ECONNABORTED)" -gt 0 ] ||
	    { echo "the churn never saw ECONNABORTED: $(cat "$CHURN_DIR/stats")" >&2; return 1; }
	[ "$(churn_stat ECONNREFUSED)" = 0 ] ||
	    { echo "a listener refused: $(cat "$CHURN_DIR/stats")" >&2; return 1; }
	[ "$(churn_stat connections)" -ge 1000 ]
}

@test "churn: -s ESTABLISHED run again and again never fails, never touches a listener, and leaves nothing that matched" {
	start_churn
	churn_runs established_sockets -s ESTABLISHED
	check_churn_survived
}

@test "churn: -a run again and again never fails, never touches a listener, and leaves nothing that matched" {
	# The churn leaves time-wait sockets behind, which -a drops.
	needs_time_wait_drops
	start_churn
	churn_runs connection_sockets -a
	check_churn_survived
}

@test "a connection whose addresses and ports a new one took between lookup and drop is never hit: the drop carries the old cookie" {
	[ -x "$STALE_COOKIE" ] || { echo "$STALE_COOKIE is not built (make tests/race/stale_cookie)" >&2; return 1; }
	local link
	link=$(netns_link)
	run --separate-stderr in_ns env TCPDROP_TEST_NETNS="$link" "$STALE_COOKIE"
	[ "$status" = 0 ] && [ -z "$stderr" ] ||
	    { printf 'status %s\n%s\nstderr: %s\n' "$status" "$output" "$stderr" >&2; return 1; }
	# Every planned check ran and passed, on 127.0.0.1 and on ::1.
	[ "$(head -1 <<<"$output")" = "1..32" ]
	[ "$(grep -c '^ok ' <<<"$output")" = 32 ]
	[ -z "$(grep '^not ok\|^Bail out' <<<"$output")" ]
	for family in 127.0.0.1 ::1; do
		grep -qx "ok [0-9]* - $family: destroying the old connection by its cookie is refused with ENOENT (got -ENOENT)" <<<"$output"
		grep -qx "ok [0-9]* - $family: the new connection still carries data from the client" <<<"$output"
		grep -qx "ok [0-9]* - $family: destroying the new connection by its own cookie works (got 0)" <<<"$output"
	done
}

@test "the stale-cookie race refuses to run in any namespace but the one the test names" {
	[ -x "$STALE_COOKIE" ] || { echo "$STALE_COOKIE is not built (make tests/race/stale_cookie)" >&2; return 1; }
	# Run inside the test's namespace, but told it is the namespace the
	# tests started in: it must refuse before it opens a single socket.
	run --separate-stderr in_ns env TCPDROP_TEST_NETNS="$STARTED_IN_NETNS" "$STALE_COOKIE"
	[ "$status" = 2 ]
	[ -z "$output" ]
	[[ $stderr == "stale_cookie: refusing to run: "* ]]
	run --separate-stderr in_ns env -u TCPDROP_TEST_NETNS "$STALE_COOKIE"
	[ "$status" = 2 ]
	[ -z "$output" ]
	[[ $stderr == "stale_cookie: refusing to run: "* ]]
}

# Inside `unshare -rn` (a user namespace with a network namespace of its
# own, as rootless containers have), tcpdrop holds CAP_NET_ADMIN only there
# and cannot raise its netlink receive buffer past net.core.rmem_max.
run_in_user_netns() {
	local script=$BATS_TEST_TMPDIR/in-userns.sh fixture
	fixture=$(mktemp -d "$BATS_TEST_TMPDIR/fixture.XXXXXX")
	cat >"$script" <<SCRIPT
set -e
[ "\$(readlink /proc/self/ns/net)" != "$STARTED_IN_NETNS" ] || { echo "refusing: not a namespace of our own" >&2; exit 99; }
ip link set lo up
python3 "$TOP/tests/lib/conns.py" --out "$fixture" \$(for i in \$(seq 300); do echo ESTABLISHED; done) 2>"$fixture/stderr" &
for i in \$(seq 300); do [ -s "$fixture/sockets" ] && break; sleep 0.05; done
[ -s "$fixture/sockets" ] || { echo "fixture did not start" >&2; exit 98; }
$*
kill %1
SCRIPT
	unshare -rn bash "$script"
}

@test "with the default net.core.rmem_max in a user namespace, -f and -a lose no answer" {
	# Debian's default; restored in teardown if it was larger.
	RMEM_MAX_BEFORE=$(cat /proc/sys/net/core/rmem_max)
	if [ "$RMEM_MAX_BEFORE" -gt 212992 ]; then
		echo 212992 >/proc/sys/net/core/rmem_max
	fi
	run --separate-stderr run_in_user_netns "'$TCPDROP' -l -a >'$BATS_TEST_TMPDIR/list'; wc -l <'$BATS_TEST_TMPDIR/list'; '$TCPDROP' -f '$BATS_TEST_TMPDIR/list' | wc -l; '$TCPDROP' -l -a | wc -l"
	[ "$status" = 0 ]
	[ -z "$stderr" ]
	# 600 sockets listed; every pair dropped (one line each, two when both
	# ends went at once); nothing left.
	[ "$(sed -n 1p <<<"$output")" = 600 ]
	[ "$(sed -n 2p <<<"$output")" -ge 300 ]
	[ "$(sed -n 3p <<<"$output")" = 0 ]
	run --separate-stderr run_in_user_netns "'$TCPDROP' -a | wc -l; '$TCPDROP' -l -a | wc -l"
	[ "$status" = 0 ]
	[ -z "$stderr" ]
	[ "$(sed -n 1p <<<"$output")" -ge 300 ]
	[ "$(sed -n 2p <<<"$output")" = 0 ]
}
