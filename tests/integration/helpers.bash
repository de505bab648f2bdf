# Shared by the integration tests.  Every test that runs tcpdrop does so in a
# network namespace that the test itself creates in setup and deletes in
# teardown; tcpdrop_in_ns refuses to run anywhere else.

bats_require_minimum_version 1.5.0

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
# The namespace the tests run from: no test may drop anything in it.
STARTED_IN_NETNS=$(readlink /proc/self/ns/net)
TCPDROP=${TCPDROP:-$TOP/tcpdrop}
FIXTURE=$TOP/tests/lib/conns.py

# A namespace of this test's own, with loopback up.
make_netns() {
	NS="tcpdrop-test-$$-$BATS_TEST_NUMBER"
	ip netns add "$NS" || return 1
	NS_MADE_BY_TEST=$NS
	ip -n "$NS" link set lo up
	set_default_algorithm "$NS"
}

# A new namespace takes the host's default congestion control (cubic on
# Debian, bbr on some hosts); the tests' is reno, which every kernel has.
set_default_algorithm() {
	ip netns exec "$1" sh -c 'echo reno >/proc/sys/net/ipv4/tcp_congestion_control'
}

# Skip unless "localhost" and the service "http" have names here: a
# minimal system may have no /etc/hosts, or no netbase's /etc/services.
needs_localhost_http() {
	getent hosts localhost >/dev/null || skip "localhost resolves to nothing here (no /etc/hosts)"
	getent services http/tcp >/dev/null || skip "no service database here names http (no /etc/services)"
}

# Skip unless this kernel has MPTCP (Debian 11's 5.10 has none).
needs_mptcp() {
	[ -r /proc/sys/net/mptcp/enabled ] || skip "this kernel has no MPTCP"
}

# "MPTCP" where the kernel has it, for tests where it only stands by.
mptcp_if_any() {
	[ -r /proc/sys/net/mptcp/enabled ] && echo MPTCP
	return 0
}

# Does this kernel destroy time-wait sockets (Linux 6.0 and later do)?
# Probed once per run of bats, in a namespace the probe makes and removes:
# tcpdrop -s TIME_WAIT on a time-wait socket of its own.  Only tcpdrop's
# message that the kernel refused counts as no (status 1), so a broken
# tcpdrop fails the tests that need this rather than skip them; a probe
# that could not run returns 2.
kernel_drops_time_wait() {
	local answer=$BATS_RUN_TMPDIR/drops-time-wait ns dir pid said
	if [ ! -s "$answer" ]; then
		ns="tcpdrop-probe-$$-$BATS_TEST_NUMBER"
		dir=$BATS_RUN_TMPDIR/probe-time-wait
		mkdir -p "$dir"
		ip netns add "$ns" || return 2
		ip -n "$ns" link set lo up
		ip netns exec "$ns" python3 "$FIXTURE" --out "$dir" TIME_WAIT 2>"$dir/stderr" 3>&- &
		pid=$!
		if wait_for_file "$dir/sockets" "$pid" "the time-wait probe" 15; then
			# Exit status 1 is one of the answers (bats runs with errexit).
			said=$(ip netns exec "$ns" "$TCPDROP" -s TIME_WAIT 2>&1 >/dev/null) || :
			case $said in
			*": time-wait sockets can be dropped only on Linux 6.0 and later") echo no ;;
			*) echo yes ;;
			esac >"$answer"
		fi
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		ip netns del "$ns"
		[ -s "$answer" ] || return 2
	fi
	[ "$(cat "$answer")" = yes ]
}

# Skip unless this kernel destroys time-wait sockets (kernel.bats checks
# what tcpdrop says where it does not).
needs_time_wait_drops() {
	local drops=0
	kernel_drops_time_wait || drops=$?
	case $drops in
	0) ;;
	1) skip "this kernel cannot drop time-wait sockets (Linux 6.0 and later can)" ;;
	*) return 1 ;;
	esac
}

# "TIME_WAIT", and the rest of the arguments, where the kernel drops
# time-wait sockets: fixture specs for tests of every state.
time_wait_if_droppable() {
	local drops=0
	kernel_drops_time_wait || drops=$?
	case $drops in
	0) printf '%s\n' "$@" ;;
	1) ;;
	*) echo "the time-wait probe could not run" >&2; return 1 ;;
	esac
}

# Skip unless this kernel offers the congestion control algorithm $1.
needs_algorithm() {
	grep -qw "$1" /proc/sys/net/ipv4/tcp_available_congestion_control ||
	    modprobe -q "tcp_$1" 2>/dev/null ||
	    skip "this kernel offers no $1 congestion control"
}

# A second namespace of this test's own, $PEER_NS: the other end of the
# test's devices, or the caller's namespace when tcpdrop is told -N $NS.
make_peer_netns() {
	PEER_NS="$NS-peer"
	ip netns add "$PEER_NS" || return 1
	PEER_NS_MADE_BY_TEST=$PEER_NS
	ip -n "$PEER_NS" link set lo up
	set_default_algorithm "$PEER_NS"
}

# Is process $1 there, and not a zombie waiting to be reaped?
alive() {
	local state
	state=$(awk '/^State:/ { print $2 }' "/proc/$1/status" 2>/dev/null) || return 1
	[ -n "$state" ] && [ "$state" != Z ]
}

remove_netns() {
	local pid
	for pid in ${FIXTURE_PID:-} ${MORE_PIDS:-}; do
		kill "$pid" 2>/dev/null
		# One that only notes SIGTERM (tcpdrop blocked writing to a pipe
		# nobody reads, after a test failed) gets SIGKILL: a teardown
		# never waits for ever.
		for _ in {1..100}; do
			alive "$pid" || break
			sleep 0.05
		done
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	for ns in "${NS_MADE_BY_TEST:-}" "${PEER_NS_MADE_BY_TEST:-}"; do
		[ -n "$ns" ] || continue
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns"
	done
	if [ -n "${NOBODY_DIR:-}" ]; then
		rm -rf "$NOBODY_DIR"
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
	local inside
	inside=$(ip netns exec "$NS" readlink /proc/self/ns/net)
	if [ -z "$inside" ] || [ -z "$STARTED_IN_NETNS" ] || [ "$inside" = "$STARTED_IN_NETNS" ]; then
		echo "refusing: $NS is not a namespace of its own" >&2
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

# Run a command in the test's second namespace, after the same checks.
in_peer_ns() {
	check_own_netns || return
	if [ -z "${PEER_NS_MADE_BY_TEST:-}" ] || [ "${PEER_NS:-}" != "$PEER_NS_MADE_BY_TEST" ] ||
	    [ "$(ip netns exec "$PEER_NS" readlink /proc/self/ns/net)" = "$STARTED_IN_NETNS" ]; then
		echo "refusing to run outside a network namespace made by this test: $*" >&2
		return 99
	fi
	ip netns exec "$PEER_NS" "$@"
}

# Join the test's namespace to the second one by two veth pairs, tdA0-tdB0
# and tdA1-tdB1, both carrying the same addresses: fe80::1 and 192.0.2.1 on
# this side, fe80::2 and 192.0.2.2 on the other (documentation and
# link-local addresses, inside the test's namespaces only).
link_two_devices() {
	local i
	for i in 0 1; do
		ip -n "$NS" link add "tdA$i" type veth peer name "tdB$i" netns "$PEER_NS" || return
		ip -n "$NS" addr add fe80::1/64 dev "tdA$i" nodad
		ip -n "$NS" addr add 192.0.2.1/24 dev "tdA$i"
		ip -n "$PEER_NS" addr add fe80::2/64 dev "tdB$i" nodad
		ip -n "$PEER_NS" addr add 192.0.2.2/24 dev "tdB$i"
		ip -n "$NS" link set "tdA$i" up
		ip -n "$PEER_NS" link set "tdB$i" up
	done
}

# Hold two connections that differ only in their device (tests/lib/devices.py),
# of family $1 (4 or 6); their tuples are written to $2.
start_two_devices() {
	local family=$1 out=$2
	mkdir -p "$(dirname "$out")"
	check_own_netns || return
	ip netns exec "$NS" python3 "$TOP/tests/lib/devices.py" --out "$out" \
	    --peer "/run/netns/$PEER_NS" --family "$family" tdA0 tdA1 tdB0 tdB1 \
	    2>"$out.stderr" &
	MORE_PIDS="${MORE_PIDS:-} $!"
	wait_for_file "$out" "$!" "two-device fixture" 15
}

# tcpdrop as an unprivileged user, in the test's namespace.  setpriv
# changes the user but not the capabilities, which the exec then drops
# (setpriv(1)): the exec itself may reach a tree that nobody cannot, such as
# a clone in /root (mode 700); a script or a file that nobody opens may not
# (copy_for_nobody).
tcpdrop_unprivileged() {
	in_ns setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$TCPDROP" "$@"
}

# Copy $1 (a file or a directory) where nobody (uid 65534) can read it, and
# set COPY to the copy's path: the tree may live where only root can reach
# it (a clone in /root, mode 700), and so do bats's temporary directories.
# The copies live in a directory of the test's own under /tmp, which
# teardown removes; run a copied script through its interpreter, for /tmp
# may be mounted noexec.
copy_for_nobody() {
	if [ -z "${NOBODY_DIR:-}" ]; then
		NOBODY_DIR=$(mktemp -d /tmp/tcpdrop-test.XXXXXX) || return
		chmod 755 "$NOBODY_DIR"
	fi
	COPY=$NOBODY_DIR/$(basename "$1")
	rm -rf "$COPY"
	cp -R "$1" "$COPY" && chmod -R a+rX "$COPY" || return
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all test -r "$COPY" ||
	    { echo "nobody cannot read $COPY" >&2; return 1; }
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
	wait_for_file "$FIXTURE_DIR/sockets" "$FIXTURE_PID" fixture 15
}

# Wait until FILE is written by the background process PID (named WHAT),
# for at most SECONDS; fail with its stderr if it dies first.
wait_for_file() {
	local file=$1 pid=$2 what=$3 tries=$(($4 * 20))
	until [ -s "$file" ]; do
		if ! kill -0 "$pid" 2>/dev/null || [ "$tries" -le 0 ]; then
			echo "$what did not start: $(cat "$(dirname "$file")/stderr")" >&2
			return 1
		fi
		sleep 0.05
		tries=$((tries - 1))
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

# Run a command until it succeeds, for at most $1 seconds (a bound for a
# stuck test, not a measure: each try follows the last at once but for a
# twentieth of a second).
eventually() {
	local tries=$(($1 * 20))
	shift
	until "$@"; do
		[ "$tries" -gt 0 ] || { echo "gave up waiting for: $*" >&2; return 1; }
		tries=$((tries - 1))
		sleep 0.05
	done
}

# Hold $1 established loopback pairs (bench/pairs.py) until the test ends.
start_pairs() {
	local dir=$BATS_TEST_TMPDIR/pairs
	mkdir -p "$dir"
	mkfifo "$dir/hold"
	check_own_netns || return
	# pairs.py holds its sockets until its input ends: a FIFO it holds open
	# itself never does.  It must not hold bats's fd 3.
	ip netns exec "$NS" python3 "$TOP/bench/pairs.py" "$1" <>"$dir/hold" >"$dir/out" \
	    2>"$dir/stderr" 3>&- &
	MORE_PIDS="${MORE_PIDS:-} $!"
	eventually 30 grep -qx ready "$dir/out" ||
	    { echo "pairs did not start: $(cat "$dir/stderr")" >&2; return 1; }
}

# Wait for background process $1 to end, at most 30 seconds (then it is
# killed); returns its status.
finish() {
	eventually 30 eval "! kill -0 $1 2>/dev/null" || kill -9 "$1"
	wait "$1"
}

# tcpdrop -f reading a FIFO that the test keeps open as fd 7, with line $1
# written to it; its stdout and stderr go to $OUT and $OUT.stderr, its pid
# is $TCPDROP_PID.
start_on_fifo() {
	local fifo=$BATS_TEST_TMPDIR/fifo
	OUT=$BATS_TEST_TMPDIR/out
	mkfifo "$fifo"
	check_own_netns || return
	ip netns exec "$NS" "$TCPDROP" -f "$fifo" >"$OUT" 2>"$OUT.stderr" &
	TCPDROP_PID=$!
	# Read and write: opening never blocks, even should tcpdrop fail before it opens its end.
	exec 7<>"$fifo"
	echo "$1" >&7
}

# Ask the fixture what each socket it holds has seen; prints the report:
# INDEX ROLE LADDR LPORT FADDR FPORT RESULT STATE.
fixture_report() {
	fixture_report_in "$FIXTURE_DIR" "$FIXTURE_PID"
}

# The same, of a fixture writing to directory $1, with pid $2.
fixture_report_in() {
	rm -f "$1/report"
	kill -USR1 "$2"
	eventually 10 test -s "$1/report" || { echo "fixture gave no report" >&2; return 1; }
	cat "$1/report"
}

# The lines of standard input that end with $1.
ends_with() {
	awk -v t="$1" 'length($0) >= length(t) && substr($0, length($0) - length(t) + 1) == t'
}

# What a socket has seen, by index and role, from a fresh report.
result_of() {
	fixture_report | awk -v i="$1" -v r="$2" '$1 == i && $2 == r { print $7; exit }'
}

# A fresh dump of the namespace's TCP sockets, independent of tcpdrop:
# "STATE LADDR LPORT FADDR FPORT COOKIE CC ULP" per line, states as
# tcpdrop(8) names them, the socket cookie, the congestion control and the
# upper layer protocol ('-' where there is none).  Addresses are spelt as
# tcpdrop(8) says it spells them: a socket bound to a device has it as the
# scope of its local address (127.0.0.1%lo), an IPv4 connection that an
# IPv6 socket holds is IPv4, and a connection's port 0 is 0 (ss says '*').
# ss runs privileged, for some kernels (6.1, 6.12) name a socket's upper
# layer protocol only to a privileged dump; with DUMP_UNPRIVILEGED set, it
# runs without privilege, for a privileged dump carries TCP-MD5 keys, and a
# socket with hundreds of them would end it early.
dump_sockets() {
	if [ -n "${DUMP_UNPRIVILEGED:-}" ]; then
		in_ns setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		    ss -Htanei 2>/dev/null
	else
		in_ns ss -Htanei 2>/dev/null
	fi | awk '
	function split_endpoint(text, parts,    i) {
		i = match(text, /:[^:]*$/)
		parts[1] = substr(text, 1, i - 1)
		parts[2] = substr(text, i + 1)
		parts[3] = ""
		if (match(parts[1], /%[^]]*$/)) {
			parts[3] = substr(parts[1], RSTART)
			parts[1] = substr(parts[1], 1, RSTART - 1)
		}
		gsub(/^\[|\]$/, "", parts[1])
	}
	function mapped(address) { return address ~ /^::ffff:[0-9.]+$/ }
	function flush() { if (line != "") print line, cookie, cc, ulp; line = "" }
	BEGIN {
		name["ESTAB"] = "ESTABLISHED"; name["SYN-SENT"] = "SYN_SENT"
		name["SYN-RECV"] = "SYN_RCVD"; name["FIN-WAIT-1"] = "FIN_WAIT_1"
		name["FIN-WAIT-2"] = "FIN_WAIT_2"; name["TIME-WAIT"] = "TIME_WAIT"
		name["CLOSE-WAIT"] = "CLOSE_WAIT"; name["LAST-ACK"] = "LAST_ACK"
		name["LISTEN"] = "LISTEN"; name["CLOSING"] = "CLOSING"
		name["UNCONN"] = "CLOSED"
		split("ts sack ecn ecnseen fastopen", flags, " ")
		for (i in flags) flag[flags[i]] = 1
	}
	/^[ \t]/ {
		for (i = 1; i <= NF; i++) {
			if ($i ~ /^tcp-ulp-/) { ulp = $i; sub(/^tcp-ulp-/, "", ulp) }
			else if (cc == "-" && $i ~ /^[a-z0-9_]+$/ && !($i in flag)) cc = $i
		}
		next
	}
	{
		flush()
		split_endpoint($4, l); split_endpoint($5, f)
		if (mapped(l[1]) && mapped(f[1])) { sub(/^::ffff:/, "", l[1]); sub(/^::ffff:/, "", f[1]) }
		if ($1 != "LISTEN") { if (l[2] == "*") l[2] = 0; if (f[2] == "*") f[2] = 0 }
		line = (($1 in name) ? name[$1] : $1) " " l[1] l[3] " " l[2] " " f[1] " " f[2]
		cookie = "-"; cc = "-"; ulp = "-"
		for (i = 6; i <= NF; i++) if ($i ~ /^sk:/) cookie = substr($i, 4)
	}
	END { flush() }'
}

# Select lines by a condition on their fields by name, not by column:
# lines of standard input with the fields $1 (names in order; "tuple" is
# "laddr lport faddr fport"), for which the awk condition $2 holds; prints
# the awk expression $3 of each (the whole line if none).
by_name() {
	local fields=$1 condition=$2 expression=${3:-'$0'} assign="" column=1 field
	for field in $fields; do
		assign+="$field = \$$column; "
		column=$((column + 1))
	done
	awk "{ $assign tuple = laddr \" \" lport \" \" faddr \" \" fport } ($condition) { print $expression }"
}

# Lines of dump_sockets (standard input) where condition $1 holds; print $2 of each.
DUMP_FIELDS="state laddr lport faddr fport cookie cc ulp"
sockets_where() {
	by_name "$DUMP_FIELDS" "$@"
}

# Lines of fixture_report (standard input) where condition $1 holds; print $2 of each.
REPORT_FIELDS="number role laddr lport faddr fport result state"
report_where() {
	by_name "$REPORT_FIELDS" "$@"
}

# The "tcpdrop LADDR LPORT FADDR FPORT" commands -l would print for the
# sockets of dump $1 (a string) where condition $2 holds, sorted.
commands_where() {
	sockets_where "$2" '"tcpdrop " tuple' <<<"$1" | sort
}

# Does the fresh dump hold a socket with this "LADDR LPORT FADDR FPORT"?
socket_exists() {
	dump_sockets | awk -v t="$*" '$2 " " $3 " " $4 " " $5 == t { found = 1 } END { exit !found }'
}

# The number of sockets in the fresh dump in a state (LISTEN, ESTABLISHED, ...).
count_state() {
	dump_sockets | awk -v s="$1" '$1 == s { n++ } END { print n + 0 }'
}

# A build with sanitizers cannot run without /proc: their runtime reads its options
# from /proc/self/environ and, at exit, the process's threads from /proc/PID/task.
# The rest of the test is skipped there; CI's plain build runs it.
skip_without_proc_if_sanitized() {
	[ -z "${TCPDROP_SANITIZED:-}" ] ||
		skip "a sanitized build cannot run without /proc (its runtime reads /proc/self); the plain build runs the rest"
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

# refused STATUS STDERR ARGS...: run tcpdrop in the test's namespace with
# ARGS, expect STATUS, no stdout and exactly STDERR; a crash (a signal) is
# never an accepted status.
refused() {
	local want_status=$1 want_stderr=$2
	shift 2
	run --separate-stderr tcpdrop_in_ns "$@"
	if [ "$status" -gt 125 ]; then
		echo "crashed with status $status: tcpdrop $*" >&2
		return 1
	fi
	expect "$want_status" "" "$want_stderr" || { echo "for: tcpdrop $*" >&2; return 1; }
}

USAGE='usage: tcpdrop [-N netns] local-address local-port foreign-address foreign-port
       tcpdrop [-N netns] local-address:local-port foreign-address:foreign-port
       tcpdrop [-N netns] local-address.local-port foreign-address.foreign-port
       tcpdrop [-N netns] -f file
       tcpdrop [-N netns] [-l [-k]] -a
       tcpdrop [-N netns] [-l [-k]] -S stack
       tcpdrop [-N netns] [-l [-k]] -s state
       tcpdrop [-N netns] [-l [-k]] -S stack -s state
       tcpdrop [-N netns] [-l [-k]] -C cc-algo [-S stack] [-s state]
       tcpdrop [-N netns] [-l [-k]] [-46] [-C cc-algo] [-c cgroup] [-I seconds] [-p pid] [-S stack] [-s state] [-u user] [local-address local-port foreign-address foreign-port]
       tcpdrop [-N netns] [-l [-k]] [-46] [-C cc-algo] [-c cgroup] [-I seconds] [-p pid] [-S stack] [-s state] [-u user] local-address:local-port foreign-address:foreign-port
       tcpdrop -h | -V'

# "LADDR LPORT FADDR FPORT" with the ends swapped: the peer of a loopback
# socket, as the kernel may hold it: IPv4, or IPv4-mapped IPv6.
peer_tuples() {
	local la=${1#::ffff:} lp=$2 fa=${3#::ffff:} fp=$4
	echo "$fa $fp $la $lp"
	case $fa in *.*) echo "::ffff:$fa $fp ::ffff:$la $lp" ;; esac
}

# Is one of the peer forms of tuple $2.. a line of $1?
peer_in() {
	local text=$1 peer
	shift
	while IFS= read -r peer; do
		grep -qxF "$peer" <<<"$text" && return 0
	done < <(peer_tuples "$@")
	return 1
}

# After a bulk drop (run --separate-stderr) that should have taken exactly
# the sockets selected from the dump taken before it, check: it exited 0
# with nothing on stderr, every line it printed is a selected socket, each
# selected socket is gone (dropped itself, or reset by its dropped peer),
# and every other socket is still there unless its peer was selected.
# Sockets are told apart by cookie, since a client that retries its SYN
# makes a new request socket with the same addresses.
# $1: the dump before; $2: a condition that selects (see sockets_where).
check_bulk_drop() {
	local before=$1 condition=$2 selected after line tuple cookie
	selected=$(sockets_where "$condition" 'tuple " " cookie' <<<"$before")
	after=$(dump_sockets)
	[ "$status" = 0 ] || { echo "status $status, stderr: $stderr" >&2; return 1; }
	[ -z "$stderr" ] || { echo "stderr: $stderr" >&2; return 1; }
	[ -n "$selected" ] || { echo "nothing was selected" >&2; return 1; }
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		tuple=${line%: dropped}
		[ "$tuple" != "$line" ] || { echo "not a drop report: $line" >&2; return 1; }
		grep -q "^$tuple " <<<"$selected" || { echo "dropped unselected: $tuple" >&2; return 1; }
	done <<<"$output"
	while read -r la lp fa fp cookie; do
		if awk -v c="$cookie" '$6 == c { f = 1 } END { exit !f }' <<<"$after"; then
			echo "still there: $la $lp $fa $fp" >&2
			return 1
		fi
		# Each selected socket was dropped itself, or its selected peer was.
		grep -qxF "$la $lp $fa $fp: dropped" <<<"$output" ||
		    peer_in "$(sed -n 's/: dropped$//p' <<<"$output")" $la $lp $fa $fp ||
		    { echo "gone unreported, and its peer was not dropped: $la $lp $fa $fp" >&2; return 1; }
	done <<<"$selected"
	while read -r state la lp fa fp cookie _; do
		grep -q " $cookie\$" <<<"$selected" && continue
		peer_in "$(cut -d' ' -f1-4 <<<"$selected")" $la $lp $fa $fp && continue
		awk -v c="$cookie" '$6 == c { f = 1 } END { exit !f }' <<<"$after" ||
		    { echo "bystander gone: $state $la $lp $fa $fp" >&2; return 1; }
	done <<<"$before"
}

# The tuples of the sockets in a dump whose state is $1.
tuples_in_state() {
	awk -v s="$1" '$1 == s { print $2, $3, $4, $5 }'
}
