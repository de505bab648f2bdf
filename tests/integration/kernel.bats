#!/usr/bin/env bats
# What differs between the kernels users run, and what tcpdrop must say
# truthfully on each (tests/kernels/check-kernels boots them): whether the
# kernel drops an orphaned connection or answers success and keeps it
# (5.10 does), and whether it can drop a time-wait socket (6.0 and later).
# Each test passes on every kernel: it checks that what tcpdrop reports is
# what a fresh dump shows the kernel did.  Each runs in its own namespace.

load helpers

KEPT="not dropped: the kernel answered that it was, and kept it (this kernel does not drop an orphaned connection, one that its process closed)"
TIME_WAIT_BEFORE_6="time-wait sockets can be dropped only on Linux 6.0 and later"

# The cookie of the socket with this "STATE LADDR LPORT FADDR FPORT", from a fresh dump.
cookie_of() {
	dump_sockets | awk -v t="$*" '$1 " " $2 " " $3 " " $4 " " $5 == t { print $6; exit }'
}

# After a run of tcpdrop that selected the socket STATE TUPLE, whose cookie
# was $1: it reported it dropped, once, and it is gone; or it reported why
# not, once, exit 1, and it is still there.  Says which on fd 3.
told_truthfully() {
	local cookie=$1 state=$2 why=$3 tuple
	shift 3
	tuple="$*"
	if [ "$(cookie_of "$state" "$tuple")" = "$cookie" ]; then
		echo "# kept by this kernel ($(uname -r)): $state $tuple" >&3
		expect 1 "" "tcpdrop: $tuple: $why"
	else
		expect 0 "$tuple: dropped" ""
	fi
}

@test "an orphaned FIN_WAIT_1 connection, by -s: reported as the kernel dealt with it, once" {
	start_fixture ORPHAN ESTABLISHED
	local tuple cookie
	tuple=$(tuple_of 0 target)
	cookie=$(cookie_of FIN_WAIT_1 "$tuple")
	[ -n "$cookie" ] && [ "$cookie" != - ]
	run --separate-stderr tcpdrop_in_ns -s FIN_WAIT_1
	told_truthfully "$cookie" FIN_WAIT_1 "$KEPT" $tuple
	# The bystander is untouched, and the orphan's peer is no listener.
	socket_exists $(tuple_of 1 target)
	[ "$(count_state LISTEN)" = 2 ]
}

@test "an orphaned FIN_WAIT_1 connection, named: reported as the kernel dealt with it" {
	start_fixture ORPHAN
	local tuple cookie
	tuple=$(tuple_of 0 target)
	cookie=$(cookie_of FIN_WAIT_1 "$tuple")
	[ -n "$cookie" ] && [ "$cookie" != - ]
	run --separate-stderr tcpdrop_in_ns $tuple
	told_truthfully "$cookie" FIN_WAIT_1 "$KEPT" $tuple
}

@test "-a with an orphan among connections: the rest are dropped, the orphan told truthfully" {
	start_fixture ESTABLISHED ORPHAN CLOSE_WAIT
	local tuple cookie connections line
	tuple=$(tuple_of 1 target)
	cookie=$(cookie_of FIN_WAIT_1 "$tuple")
	connections=$(dump_sockets | sockets_where 'state != "LISTEN"' tuple)
	run --separate-stderr tcpdrop_in_ns -a
	# Every connection but the orphan is gone, whatever the kernel.
	[ "$(dump_sockets | sockets_where 'state != "LISTEN"' tuple | grep -vxF "$tuple")" = "" ]
	if [ "$(cookie_of FIN_WAIT_1 "$tuple")" = "$cookie" ]; then
		[ "$status" = 1 ]
		[ "$stderr" = "tcpdrop: $tuple: $KEPT" ]
		! grep -qxF "$tuple: dropped" <<<"$output"
	else
		# Dropped, or gone when its peer's drop reset it first.
		[ "$status" = 0 ] && [ -z "$stderr" ]
		[ "$(grep -cxF "$tuple: dropped" <<<"$output")" -le 1 ]
	fi
	# No socket was reported twice, and each report names a connection
	# that was there (an end reset by its peer's drop goes unreported).
	[ "$(grep -c . <<<"$output")" = "$(sort -u <<<"$output" | grep -c .)" ]
	while read -r line; do
		grep -qxF "${line%: dropped}" <<<"$connections"
	done <<<"$output"
}

@test "TIME_WAIT by its tuple and by -s: dropped, or the same one message why not" {
	start_fixture TIME_WAIT TIME_WAIT
	local first second cookies tuple why=
	first=$(tuple_of 0 target)
	second=$(tuple_of 1 target)
	cookies=$(cookie_of TIME_WAIT "$first")
	[ -n "$cookies" ]
	run --separate-stderr tcpdrop_in_ns $first
	told_truthfully "$cookies" TIME_WAIT "$TIME_WAIT_BEFORE_6" $first
	# -s TIME_WAIT: each still there is dropped, or told of in the same words.
	run --separate-stderr tcpdrop_in_ns -s TIME_WAIT
	for tuple in "$first" "$second"; do
		if socket_exists $tuple; then
			why+="tcpdrop: $tuple: $TIME_WAIT_BEFORE_6"$'\n'
		fi
	done
	if [ -n "$why" ]; then
		[ "$status" = 1 ] && [ -z "$output" ]
		[ "$(sort <<<"$stderr")" = "$(sort <<<"${why%$'\n'}")" ]
	else
		expect 0 "$second: dropped" ""
	fi
}

@test "-S mptcp: the subflows where the kernel has MPTCP; a warning where it offers none" {
	local ulps
	if [ -r /proc/sys/net/mptcp/enabled ]; then
		start_fixture MPTCP ESTABLISHED
		local before
		before=$(dump_sockets)
		run --separate-stderr tcpdrop_in_ns -l -S mptcp
		[ "$status" = 0 ] && [ -z "$stderr" ]
		[ "$(sort <<<"$output")" = "$(commands_where "$before" 'state != "LISTEN" && ulp == "mptcp"')" ]
		[ -n "$output" ]
	else
		start_fixture ESTABLISHED
		local before
		before=$(dump_sockets)
		ulps=$(cat /proc/sys/net/ipv4/tcp_available_ulp)
		# Run from here, told -N the test's namespace: the kernel lists
		# its upper layer protocols only in the first namespace.
		run --separate-stderr "$TCPDROP" -N "$NS" -S mptcp
		if [ -z "$ulps" ]; then
			expect 0 "" "tcpdrop: -S mptcp: this kernel offers no such upper layer protocol (it offers none)"
		else
			expect 0 "" "tcpdrop: -S mptcp: this kernel offers no such upper layer protocol (it offers: $ulps)"
		fi
		[ "$(dump_sockets)" = "$before" ]
	fi
}
