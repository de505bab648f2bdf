#!/usr/bin/env bats
# Every line -l prints names exactly one connection, in the right network
# namespace and on the right device, and every message spells a connection
# the way -l lists it.  Each test runs in namespaces of its own.

load helpers

# The test's namespace and a second one ($PEER_NS), joined by two veth
# pairs that carry the same addresses (link_two_devices).
two_namespaces() {
	make_peer_netns && link_two_devices
}

# "LADDR LPORT FADDR FPORT" of line $1 of file $2.
line_of() {
	sed -n "$1p" "$2"
}

# Connections whose peers sit in the second namespace: how many are
# ESTABLISHED there, once a reset sent over a veth has had its effect.
peer_connections() {
	eventually 10 peer_count_is "$1"
}

peer_count_is() {
	[ "$(in_peer_ns ss -Htan state established | wc -l)" = "$1" ]
}

# Two connections of family $1 that differ only in their device: -l lists
# each with its device, and tcpdrop -f of the list drops both, once each.
listed_apart_and_dropped_once() {
	local list=$BATS_TEST_TMPDIR/dev/conns first second
	two_namespaces
	start_two_devices "$1" "$list"
	first=$(line_of 1 "$list")
	second=$(line_of 2 "$list")
	run --separate-stderr tcpdrop_in_ns -l -a
	[ "$status" = 0 ] && [ -z "$stderr" ]
	[ "$(sort <<<"$output")" = "$(sed 's/^/tcpdrop /' "$list" | sort)" ]
	run --separate-stderr tcpdrop_in_ns -f - <<<"$output"
	[ "$status" = 0 ] && [ -z "$stderr" ]
	[ "$(sort <<<"$output")" = "$(printf '%s: dropped\n%s: dropped' "$first" "$second" | sort)" ]
	! socket_exists "$first"
	! socket_exists "$second"
	peer_connections 0
}

@test "two link-local connections on two devices list apart; -f of the list drops each once" {
	listed_apart_and_dropped_once 6
}

@test "two device-bound IPv4 connections on two devices list apart; -f drops each once" {
	listed_apart_and_dropped_once 4
}

@test "a line with a device drops the connection on that device and not its twin" {
	local list=$BATS_TEST_TMPDIR/dev/conns first second
	two_namespaces
	start_two_devices 6 "$list"
	first=$(line_of 1 "$list")
	second=$(line_of 2 "$list")
	run --separate-stderr tcpdrop_in_ns -f - <<<"tcpdrop $second"
	expect 0 "$second: dropped" ""
	socket_exists "$first"
	! socket_exists "$second"
	peer_connections 1
	# By the device's index, in the [address]:port form.
	read -r la lp fa fp <<<"$first"
	run --separate-stderr tcpdrop_in_ns "[${la%\%*}%$(in_ns cat /sys/class/net/tdA0/ifindex)]:$lp" "[$fa]:$fp"
	expect 0 "$first: dropped" ""
	! socket_exists "$first"
	peer_connections 0
}

@test "a name without a device that matches on two: refused, both listed, exit 1, nothing dropped" {
	local list=$BATS_TEST_TMPDIR/dev6/conns list4=$BATS_TEST_TMPDIR/dev4/conns
	two_namespaces
	start_two_devices 6 "$list"
	start_two_devices 4 "$list4"
	read -r la lp fa fp <<<"$(line_of 1 "$list")"
	run --separate-stderr tcpdrop_in_ns fe80::1 "$lp" "$fa" "$fp"
	expect 1 "" "tcpdrop: fe80::1 $lp $fa $fp: 2 connections match, on different devices; name one of them:
tcpdrop fe80::1%tdA0 $lp $fa $fp
tcpdrop fe80::1%tdA1 $lp $fa $fp"
	# From another namespace (-N), the commands suggested name it too.
	read -r la lp fa fp <<<"$(line_of 1 "$list4")"
	run --separate-stderr in_peer_ns "$TCPDROP" -N "$NS" 192.0.2.1 "$lp" "$fa" "$fp"
	expect 1 "" "tcpdrop: 192.0.2.1 $lp $fa $fp: 2 connections match, on different devices; name one of them:
tcpdrop -N $NS 192.0.2.1%tdA0 $lp $fa $fp
tcpdrop -N $NS 192.0.2.1%tdA1 $lp $fa $fp"
	peer_connections 4
	[ "$(dump_sockets | grep -c '^ESTABLISHED')" = 4 ]
}

@test "'*%device' selects what is bound to that device, any address, IPv4 and IPv6, and not the twins" {
	local list4=$BATS_TEST_TMPDIR/dev4/conns list6=$BATS_TEST_TMPDIR/dev6/conns
	two_namespaces
	start_two_devices 4 "$list4"
	start_two_devices 6 "$list6"
	# Line 1 of each list is on tdA0, line 2 on tdA1.
	run --separate-stderr tcpdrop_in_ns -l '*%tdA0' '*' '*' '*'
	output=$(sort <<<"$output")
	expect 0 "$(printf 'tcpdrop %s\n' "$(line_of 1 "$list4")" "$(line_of 1 "$list6")" | sort)" ""
	# The two-operand form, the device by its index, and with -4.
	run --separate-stderr tcpdrop_in_ns -l -4 "*%$(in_ns cat /sys/class/net/tdA1/ifindex):*" '*'
	expect 0 "tcpdrop $(line_of 2 "$list4")" ""
	run --separate-stderr tcpdrop_in_ns '*%tdA1' '*' '*' '*'
	output=$(sort <<<"$output")
	expect 0 "$(printf '%s: dropped\n' "$(line_of 2 "$list4")" "$(line_of 2 "$list6")" | sort)" ""
	socket_exists "$(line_of 1 "$list4")"
	socket_exists "$(line_of 1 "$list6")"
	! socket_exists "$(line_of 2 "$list4")"
	! socket_exists "$(line_of 2 "$list6")"
	peer_connections 2
	run --separate-stderr tcpdrop_in_ns -l '*%tdnone' '*' '*' '*'
	expect 1 "" "tcpdrop: bad address: '*%tdnone' (no such device)"
	run --separate-stderr tcpdrop_in_ns -l '*%td*' '*' '*' '*'
	expect 1 "" "tcpdrop: bad pattern: '*%td*' ('*' stands alone, for any address or any port)"
}

# Run a line -l printed as sh(1) would, its "tcpdrop" being ours, in the test's namespace.
sh_line() {
	in_ns env TCPDROP="$TCPDROP" sh -c 'tcpdrop() { "$TCPDROP" "$@"; }; '"$1"
}

@test "a connection whose device was deleted: -l spells the device by index, and its line drops it through sh and -f" {
	local list=$BATS_TEST_TMPDIR/dev/conns gone
	two_namespaces
	start_two_devices 6 "$list"
	start_two_devices 4 "$BATS_TEST_TMPDIR/dev4/conns"
	gone=$(in_ns cat /sys/class/net/tdA0/ifindex)
	ip -n "$NS" link del tdA0
	read -r la lp fa fp <<<"$(line_of 1 "$list")"
	read -r la4 lp4 fa4 fp4 <<<"$(line_of 1 "$BATS_TEST_TMPDIR/dev4/conns")"
	run --separate-stderr tcpdrop_in_ns -l -a
	[ "$status" = 0 ] && [ -z "$stderr" ]
	[ "$(sort <<<"$output")" = "$(printf 'tcpdrop %s\n' "fe80::1%$gone $lp $fa $fp" \
	    "192.0.2.1%$gone $lp4 $fa4 $fp4" "$(line_of 2 "$list")" \
	    "$(line_of 2 "$BATS_TEST_TMPDIR/dev4/conns")" | sort)" ]
	run --separate-stderr sh_line "tcpdrop fe80::1%$gone $lp $fa $fp"
	expect 0 "fe80::1%$gone $lp $fa $fp: dropped" ""
	! socket_exists "fe80::1%if$gone $lp $fa $fp"
	run --separate-stderr tcpdrop_in_ns -f - <<<"tcpdrop 192.0.2.1%$gone $lp4 $fa4 $fp4"
	expect 0 "192.0.2.1%$gone $lp4 $fa4 $fp4: dropped" ""
	! socket_exists "192.0.2.1%if$gone $lp4 $fa4 $fp4"
	# The twins on the device that is still there stay.
	socket_exists "$(line_of 2 "$list")"
	socket_exists "$(line_of 2 "$BATS_TEST_TMPDIR/dev4/conns")"
}

@test "a name without a device, its twins on a deleted device and on one that is not: both listed, nothing dropped; deleted too: both by index" {
	local list=$BATS_TEST_TMPDIR/dev/conns first second
	two_namespaces
	start_two_devices 4 "$list"
	first=$(in_ns cat /sys/class/net/tdA0/ifindex)
	second=$(in_ns cat /sys/class/net/tdA1/ifindex)
	ip -n "$NS" link del tdA0
	read -r la lp fa fp <<<"$(line_of 1 "$list")"
	run --separate-stderr tcpdrop_in_ns 192.0.2.1 "$lp" "$fa" "$fp"
	expect 1 "" "tcpdrop: 192.0.2.1 $lp $fa $fp: 2 connections match, on different devices; name one of them:
tcpdrop 192.0.2.1%$first $lp $fa $fp
tcpdrop 192.0.2.1%tdA1 $lp $fa $fp"
	ip -n "$NS" link del tdA1
	run --separate-stderr tcpdrop_in_ns 192.0.2.1 "$lp" "$fa" "$fp"
	expect 1 "" "tcpdrop: 192.0.2.1 $lp $fa $fp: 2 connections match, on different devices; name one of them:
tcpdrop 192.0.2.1%$first $lp $fa $fp
tcpdrop 192.0.2.1%$second $lp $fa $fp"
	socket_exists "192.0.2.1%if$first $lp $fa $fp"
	socket_exists "192.0.2.1%if$second $lp $fa $fp"
	run --separate-stderr tcpdrop_in_ns "192.0.2.1%$second" "$lp" "$fa" "$fp"
	expect 0 "192.0.2.1%$second $lp $fa $fp: dropped" ""
	! socket_exists "192.0.2.1%if$second $lp $fa $fp"
	# The one left is named by its addresses alone.
	run --separate-stderr tcpdrop_in_ns 192.0.2.1 "$lp" "$fa" "$fp"
	expect 0 "192.0.2.1%$first $lp $fa $fp: dropped" ""
	! socket_exists "192.0.2.1%if$first $lp $fa $fp"
	run --separate-stderr tcpdrop_in_ns 192.0.2.1 "$lp" "$fa" "$fp"
	expect 1 "" "tcpdrop: 192.0.2.1 $lp $fa $fp: No such connection"
}

@test "a device whose name holds glob characters is spelt by its index, which sh and -f read back" {
	local list=$BATS_TEST_TMPDIR/dev/conns index line
	two_namespaces
	start_two_devices 4 "$list"
	index=$(in_ns cat /sys/class/net/tdA1/ifindex)
	ip -n "$NS" link set tdA1 down
	ip -n "$NS" link set tdA1 name 'v*a'
	ip -n "$NS" link set 'v*a' up
	read -r la lp fa fp <<<"$(line_of 2 "$list")"
	run --separate-stderr tcpdrop_in_ns -l -a
	[ "$status" = 0 ] && [ -z "$stderr" ]
	[ "$(sort <<<"$output")" = "$(printf 'tcpdrop %s\n' "$(line_of 1 "$list")" \
	    "192.0.2.1%$index $lp $fa $fp" | sort)" ]
	line=$(grep -F "%$index " <<<"$output")
	# A file that the glob would match, where sh runs the line.
	touch "$BATS_TEST_TMPDIR/192.0.2.1%vxa"
	run --separate-stderr sh_line "cd '$BATS_TEST_TMPDIR' && $line"
	expect 0 "192.0.2.1%$index $lp $fa $fp: dropped" ""
	! socket_exists "192.0.2.1%v*a $lp $fa $fp"
	socket_exists "$(line_of 1 "$list")"
	run --separate-stderr tcpdrop_in_ns -f - <<<"$line"
	expect 1 "" "tcpdrop: 192.0.2.1%$index $lp $fa $fp: No such connection"
}

@test "a device that is not the connection's names no connection" {
	local list=$BATS_TEST_TMPDIR/dev/conns
	two_namespaces
	start_two_devices 4 "$list"
	read -r la lp fa fp <<<"$(line_of 1 "$list")"
	run --separate-stderr tcpdrop_in_ns 192.0.2.1%lo "$lp" "$fa" "$fp"
	expect 1 "" "tcpdrop: 192.0.2.1%lo $lp $fa $fp: No such connection"
	run --separate-stderr tcpdrop_in_ns 192.0.2.1%tdA0 "$lp" "$fa%tdA1" "$fp"
	expect 1 "" "tcpdrop: bad address: '$fa%tdA1' (another device than the other address's)"
	run --separate-stderr tcpdrop_in_ns 192.0.2.1%tdnone "$lp" "$fa" "$fp"
	expect 1 "" "tcpdrop: bad address: '192.0.2.1%tdnone' (no such device)"
	peer_connections 2
}

@test "-f that walks the table for many missing lines still honours each line's device" {
	local list=$BATS_TEST_TMPDIR/dev/conns input=$BATS_TEST_TMPDIR/input first second
	two_namespaces
	start_two_devices 4 "$list"
	first=$(line_of 1 "$list")
	second=$(line_of 2 "$list")
	read -r la lp fa fp <<<"$first"
	# More missing connections than are worth looking up on every device.
	awk 'BEGIN { for (i = 1; i <= 5000; i++) printf "127.0.0.2 %d 127.0.0.3 7\n", i }' >"$input"
	printf '%s\n' "192.0.2.1 $lp $fa $fp" "$second" >>"$input"
	# LeakSanitizer cannot work under ptrace: a sanitized build would say so.
	run --separate-stderr in_ns env ASAN_OPTIONS=detect_leaks=0 strace -f -qq \
	    -e trace=sendto,send,sendmsg -o "$BATS_TEST_TMPDIR/strace" "$TCPDROP" -f "$input"
	[ "$status" = 1 ]
	[ "$output" = "$second: dropped" ]
	[ "$(grep -c ': No such connection$' <<<"$stderr")" = 5000 ]
	stderr=$(grep -v ': No such connection$' <<<"$stderr")
	expect 1 "$second: dropped" "tcpdrop: 192.0.2.1 $lp $fa $fp: 2 connections match, on different devices; name one of them:
tcpdrop 192.0.2.1%tdA0 $lp $fa $fp
tcpdrop 192.0.2.1%tdA1 $lp $fa $fp"
	socket_exists "$first"
	! socket_exists "$second"
	# It walked (a dump) rather than asking 10,000 times.
	grep -q 'NLM_F_DUMP' "$BATS_TEST_TMPDIR/strace"
}

@test "a connection from port 0 is listed, and dropped by its tuple and through -f" {
	start_fixture PORT0 PORT0,family=6
	local v4 v6
	v4=$(tuple_of 0 target)
	v6=$(tuple_of 1 target)
	[[ $v4 == *" 0" ]] && [[ $v6 == *" 0" ]]
	run --separate-stderr tcpdrop_in_ns -l -a
	[ "$status" = 0 ] && [ -z "$stderr" ]
	[ "$(sort <<<"$output")" = "$(printf 'tcpdrop %s\n' "$v4" "$v6" | sort)" ]
	run --separate-stderr tcpdrop_in_ns $v4
	expect 0 "$v4: dropped" ""
	run --separate-stderr tcpdrop_in_ns -f - <<<"tcpdrop $v6"
	expect 0 "$v6: dropped" ""
	! socket_exists "$v4"
	! socket_exists "$v6"
	[ "$(result_of 0 target)" = ECONNABORTED ]
	[ "$(result_of 1 target)" = ECONNABORTED ]
	[ "$(count_state LISTEN)" = 2 ]
}

# The test's namespace and the caller's ($PEER_NS) each hold a connection
# with the same addresses and ports.
same_tuple_in_two_namespaces() {
	make_peer_netns
	start_fixture ESTABLISHED,port=5000,cport=40000
	mkdir -p "$BATS_TEST_TMPDIR/caller"
	in_peer_ns true || return
	# ip execs python: $! is the fixture, which takes our signals.
	ip netns exec "$PEER_NS" python3 "$FIXTURE" --out "$BATS_TEST_TMPDIR/caller" \
	    ESTABLISHED,port=5000,cport=40000 2>"$BATS_TEST_TMPDIR/caller/stderr" &
	MORE_PIDS="${MORE_PIDS:-} $!"
	CALLER_PID=$!
	wait_for_file "$BATS_TEST_TMPDIR/caller/sockets" "$!" "caller's fixture" 15
}

caller_untouched() {
	peer_connections 2 &&
	    [ "$(fixture_report_in "$BATS_TEST_TMPDIR/caller" "$CALLER_PID" | report_where 'result == "ok"' | wc -l)" = 2 ]
}

@test "-N with -l: the commands name the namespace, and | sh acts there, not in the caller's" {
	same_tuple_in_two_namespaces
	run --separate-stderr in_peer_ns "$TCPDROP" -N "$NS" -l -a
	[ "$status" = 0 ] && [ -z "$stderr" ]
	[ "$(sort <<<"$output")" = "tcpdrop -N $NS 127.0.0.1 40000 127.0.0.1 5000
tcpdrop -N $NS 127.0.0.1 5000 127.0.0.1 40000" ]
	in_peer_ns env PATH="$(dirname "$TCPDROP"):$PATH" sh <<<"$output" || true
	[ "$(count_state ESTABLISHED)" = 0 ]
	[ "$(count_state LISTEN)" = 1 ]
	caller_untouched
}

@test "-f: a line for another namespace than the run's is refused; with -N it acts there" {
	same_tuple_in_two_namespaces
	local listing
	listing=$(in_peer_ns "$TCPDROP" -N "$NS" -l -a | sort)
	run --separate-stderr in_peer_ns "$TCPDROP" -f - <<<"$listing"
	expect 1 "" "tcpdrop: (stdin):1: the connection is in network namespace $NS, and this run acts in another: run tcpdrop -N $NS -f for it
tcpdrop: (stdin):2: the connection is in network namespace $NS, and this run acts in another: run tcpdrop -N $NS -f for it"
	[ "$(count_state ESTABLISHED)" = 2 ]
	caller_untouched
	# The same namespace by another name (a path) is the same namespace.
	run --separate-stderr in_peer_ns "$TCPDROP" -N "/proc/$FIXTURE_PID/ns/net" -f - <<<"$listing"
	expect 0 "127.0.0.1 40000 127.0.0.1 5000: dropped" ""
	[ "$(count_state ESTABLISHED)" = 0 ]
	caller_untouched
}

@test "-f: a line whose -N names no namespace is refused with the reason" {
	start_fixture ESTABLISHED
	local tuple fifo=$BATS_TEST_TMPDIR/fifo
	tuple=$(tuple_of 0 target)
	mkfifo "$fifo"
	run --separate-stderr tcpdrop_in_ns -f - <<EOF
tcpdrop -N tcpdrop-no-such-netns $tuple
tcpdrop -N $fifo $tuple
tcpdrop -N /proc/self/ns/mnt $tuple
tcpdrop -N 'unclosed $tuple
tcpdrop -l $tuple
tcpdrop -N
EOF
	expect 1 "" "tcpdrop: (stdin):1: network namespace tcpdrop-no-such-netns: No such file or directory
tcpdrop: (stdin):2: network namespace $fifo: not a network namespace
tcpdrop: (stdin):3: network namespace /proc/self/ns/mnt: not a network namespace
tcpdrop: (stdin):4: a quote is not closed
tcpdrop: (stdin):5: unknown option '-l' (a line may give only -N)
tcpdrop: (stdin):6: -N without a network namespace"
	socket_exists "$tuple"
}

@test "-f: without /proc, a line's -N cannot be compared with the run's namespace, and the message says so" {
	start_fixture ESTABLISHED
	local tuple
	tuple=$(tuple_of 0 target)
	check_own_netns
	skip_without_proc_if_sanitized
	# A mount namespace of its own, where /proc is unmounted: /proc/thread-self is missing.
	run --separate-stderr nsenter --net="/run/netns/$NS" unshare -m sh -c \
	    'umount -l /proc && exec "$0" -N "$1" -f -' "$TCPDROP" "$NS" <<<"tcpdrop -N $NS $tuple"
	expect 1 "" "tcpdrop: (stdin):1: network namespace $NS: cannot compare it with the one this run acts in (/proc/thread-self/ns/net: No such file or directory)"
	socket_exists "$tuple"
}

@test "-N with spaces and quotes in its name: -l quotes it for sh and for -f" {
	# This test's namespace has an awkward name of its own, instead of setup's.
	ip netns del "$NS"
	NS="tcpdrop-test-$$-$BATS_TEST_NUMBER it's \$x"
	ip netns add "$NS"
	NS_MADE_BY_TEST=$NS
	ip -n "$NS" link set lo up
	start_fixture ESTABLISHED ESTABLISHED
	local one two
	one=$(tuple_of 0 target)
	two=$(tuple_of 1 target)
	run --separate-stderr "$TCPDROP" -N "$NS" -l -s ESTABLISHED
	[ "$status" = 0 ] && [ -z "$stderr" ]
	grep -qxF "tcpdrop -N 'tcpdrop-test-$$-$BATS_TEST_NUMBER it'\\''s \$x' $one" <<<"$output"
	# sh reads the name back (here, from the namespace itself: a name is a name).
	ends_with " $one" <<<"$output" | in_ns env PATH="$(dirname "$TCPDROP"):$PATH" sh
	! socket_exists "$one"
	run --separate-stderr tcpdrop_in_ns -f - < <(ends_with " $two" <<<"$output")
	expect 0 "$two: dropped" ""
	! socket_exists "$two"
}

UNLISTABLE="-l cannot name it in a command that means the same wherever it runs: give a name or an absolute path of plain text, not relative to here or to this process"

@test "-N -l refuses a name it cannot print as text, or a path that means another namespace elsewhere" {
	local link=$BATS_TEST_TMPDIR/$'\e[31mred'
	ln -s "/run/netns/$NS" "$link"
	run --separate-stderr "$TCPDROP" -N "$link" -l -a
	expect 1 "" "tcpdrop: network namespace $BATS_TEST_TMPDIR/\\x1b[31mred: $UNLISTABLE"
	# However /proc/self is spelt: what "$ROOT/proc/self" gives with ROOT=/,
	# empty and dot components, "..", thread-self, and a link to it.
	ln -s /proc/self "$BATS_TEST_TMPDIR/self"
	ln -s /proc/thread-self/ns/net "$BATS_TEST_TMPDIR/net"
	ln -s net "$BATS_TEST_TMPDIR/net-again"
	for path in ./net /proc/self/ns/net /proc/thread-self/ns/net //proc/self/ns/net \
	    /proc//self/ns/net /proc/./self/ns/net /proc/../proc/self/ns/net \
	    /proc/self/task/../ns/net "$BATS_TEST_TMPDIR/self/ns/net" \
	    "$BATS_TEST_TMPDIR/net" "$BATS_TEST_TMPDIR/net-again"; do
		run --separate-stderr in_ns sh -c 'cd /proc/self/ns && exec "$@"' sh "$TCPDROP" \
		    -N "$path" -l -a
		expect 1 "" "tcpdrop: network namespace $path: $UNLISTABLE"
	done
	# By tcpdrop's own pid, or its thread's: what the shell that execs it knows as $$.
	run --separate-stderr in_ns sh -c 'exec "$0" -N /proc/$$/ns/net -l -a' "$TCPDROP"
	[ "$status" = 1 ] && [ -z "$output" ]
	[[ $stderr =~ ^"tcpdrop: network namespace /proc/"[0-9]+"/ns/net: $UNLISTABLE"$ ]]
	run --separate-stderr in_ns sh -c 'exec "$0" -N /proc/$$/task/$$/ns/net -l -a' "$TCPDROP"
	[ "$status" = 1 ] && [ -z "$output" ]
	[[ $stderr =~ ^"tcpdrop: network namespace /proc/"[0-9]+/task/[0-9]+"/ns/net: $UNLISTABLE"$ ]]
	# Another process's namespace, by its pid, and a path with a doubled slash, are listed.
	run --separate-stderr in_ns sh -c 'exec "$0" -N "//run/netns/$1" -l -a' "$TCPDROP" "$NS"
	expect 0 "" ""
	run --separate-stderr in_ns sh -c '"$0" -N /proc/$$/ns/net -l -a' "$TCPDROP"
	expect 0 "" ""
	# Without -l it acts, and says nothing raw.
	start_fixture ESTABLISHED
	local tuple
	tuple=$(tuple_of 0 target)
	run --separate-stderr in_ns "$TCPDROP" -N "$link" $tuple
	expect 0 "$tuple: dropped" ""
}

@test "-N opens only a network namespace: not a FIFO, a device, or another kind" {
	local fifo=$BATS_TEST_TMPDIR/fifo
	mkfifo "$fifo"
	run --separate-stderr timeout 10 "$TCPDROP" -N "$fifo" -l -a
	expect 1 "" "tcpdrop: network namespace $fifo: not a network namespace"
	run --separate-stderr "$TCPDROP" -N /dev/null -l -a
	expect 1 "" "tcpdrop: network namespace /dev/null: not a network namespace"
	run --separate-stderr "$TCPDROP" -N /proc/self/ns/mnt -l -a
	expect 1 "" "tcpdrop: network namespace /proc/self/ns/mnt: not a network namespace"
	run --separate-stderr "$TCPDROP" -N "$BATS_TEST_TMPDIR" -l -a
	expect 1 "" "tcpdrop: network namespace $BATS_TEST_TMPDIR: not a network namespace"
}

# tcpdrop -l with options $3... lists exactly the sockets of dump $1 that condition $2 selects.
lists_as_dumped() {
	local before=$1 condition=$2
	shift 2
	run --separate-stderr tcpdrop_in_ns -l "$@"
	[ "$status" = 0 ] && [ -z "$stderr" ] || return
	[ "$(sort <<<"$output")" = "$(commands_where "$before" "$condition")" ]
}

@test "a socket with hundreds of TCP-MD5 keys hides no connection from any mode" {
	[ -r /proc/sys/net/mptcp/enabled ] || skip "this kernel has no MPTCP"
	# The keys would end a privileged dump early (helpers.bash).
	DUMP_UNPRIVILEGED=1
	local keys=$BATS_TEST_TMPDIR/md5/ready
	mkdir -p "$(dirname "$keys")"
	# Any user may do this: the keys are put on by nobody.
	copy_for_nobody "$TOP/tests/lib/md5keys.py"
	in_ns setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	    /usr/bin/python3 "$COPY" --keys 600 \
	    >"$keys" 2>"$(dirname "$keys")/stderr" &
	MORE_PIDS="${MORE_PIDS:-} $!"
	wait_for_file "$keys" "$!" "md5 fixture" 15
	# 400 keys overflow a dump message; net.core.optmem_max may allow fewer.
	[ "$(cat "$keys")" -ge 400 ] ||
	    skip "this kernel lets a socket hold only $(cat "$keys") TCP-MD5 keys (net.core.optmem_max): too few to end a dump early"
	start_fixture MPTCP MPTCP MPTCP MPTCP MPTCP MPTCP MPTCP MPTCP MPTCP MPTCP
	local before
	before=$(dump_sockets)
	[ "$(sockets_where 'state == "ESTABLISHED" && ulp == "mptcp"' <<<"$before" | wc -l)" = 20 ] ||
	    skip "this kernel names upper layer protocols only to privileged dumps, which these keys end early (tcpdrop(8), -S)"
	lists_as_dumped "$before" 'state != "LISTEN" && ulp == "mptcp"' -S mptcp
	local cc
	cc=$(sockets_where 'ulp == "mptcp"' cc <<<"$before" | head -1)
	lists_as_dumped "$before" 'state != "LISTEN"' -a
	lists_as_dumped "$before" 'state == "ESTABLISHED"' -s ESTABLISHED
	lists_as_dumped "$before" "state != \"LISTEN\" && cc == \"$cc\"" -C "$cc"
	run --separate-stderr tcpdrop_in_ns -S mptcp
	[ "$status" = 0 ] && [ -z "$stderr" ]
	[ "$(dump_sockets | sockets_where 'state != "LISTEN" && ulp == "mptcp"' | wc -l)" = 0 ]
	# The keyed connection itself is still there.
	[ "$(count_state ESTABLISHED)" = 2 ]
}

# After one line's run: of the sockets in dump $1, the one with cookie $3
# is gone from dump $2, and so is nothing else but its loopback peer (the
# reverse of the line's words $4, devices aside).
only_that_one_gone() {
	local cookie=$3 gone la lp fa fp peer other
	read -r la lp fa fp <<<"$4"
	peer="${fa%%\%*} $fp ${la%%\%*} $lp"
	gone=$(comm -23 <(sockets_where 1 'cookie " " tuple' <<<"$1" | sort) \
	    <(sockets_where 1 'cookie " " tuple' <<<"$2" | sort))
	grep -q "^$cookie " <<<"$gone" || { echo "still there: $4" >&2; return 1; }
	while read -r other la lp fa fp; do
		[ -n "$other" ] && [ "$other" != "$cookie" ] || continue
		[ "${la%%\%*} $lp ${fa%%\%*} $fp" = "$peer" ] ||
		    { echo "also gone: $la $lp $fa $fp" >&2; return 1; }
	done <<<"$gone"
}

# Every line that tcpdrop -N lists, run from another namespace through $1
# (sh, or tcpdrop -f), drops exactly that connection, whatever its state,
# family, device or port, and nothing else.
round_trip() {
	local via=$1 listing line words before cookie done_lines=0
	two_namespaces
	start_two_devices 6 "$BATS_TEST_TMPDIR/dev6/conns"
	start_two_devices 4 "$BATS_TEST_TMPDIR/dev4/conns"
	start_fixture ESTABLISHED ESTABLISHED,family=6 ESTABLISHED,family=mapped \
	    ESTABLISHED,family=mapped6 ESTABLISHED,bound ESTABLISHED,family=6,bound PORT0 \
	    PORT0,family=6 CLOSE_WAIT FIN_WAIT_1 FIN_WAIT_2 CLOSING LAST_ACK \
	    $(time_wait_if_droppable TIME_WAIT TIME_WAIT,family=6) SYN_SENT SYN_RCVD,family=6
	listing=$(in_peer_ns "$TCPDROP" -N "$NS" -l -a)
	[ "$(wc -l <<<"$listing")" = "$(dump_sockets | sockets_where 'state != "LISTEN"' | wc -l)" ]
	while IFS= read -r line; do
		words=${line#"tcpdrop -N $NS "}
		before=$(dump_sockets)
		cookie=$(sockets_where 'tuple == "'"$words"'"' cookie <<<"$before")
		# Gone already, with a peer that an earlier line dropped.
		[ -n "$cookie" ] || continue
		if [ "$via" = sh ]; then
			run --separate-stderr in_peer_ns env PATH="$(dirname "$TCPDROP"):$PATH" \
			    sh -c "$line"
		else
			run --separate-stderr in_peer_ns "$TCPDROP" -N "$NS" -f - <<<"$line"
		fi
		expect 0 "$words: dropped" ""
		only_that_one_gone "$before" "$(dump_sockets)" "$cookie" "$words"
		done_lines=$((done_lines + 1))
	done <<<"$listing"
	[ "$done_lines" -ge 20 ]
	[ "$(dump_sockets | sockets_where 'state != "LISTEN" && state != "SYN_RCVD"')" = "" ]
	[ "$(count_state LISTEN)" -ge 10 ]
}

@test "round trip: each line of -N -l, through sh, drops exactly its connection" {
	round_trip sh
}

@test "round trip: each line of -N -l, through -f, drops exactly its connection" {
	round_trip file
}
