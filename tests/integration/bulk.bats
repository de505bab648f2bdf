#!/usr/bin/env bats
# -a, -s state, -S stack, -C cc-algo and -l, with real connections in every
# state at once.  Each test runs in its own namespace.

load helpers

ALL_STATES="ESTABLISHED CLOSE_WAIT FIN_WAIT_1 FIN_WAIT_2 CLOSING LAST_ACK SYN_SENT SYN_RCVD"

# Connections in all nine states (TIME_WAIT only where the kernel can drop
# it), IPv4 and IPv6, a v4-mapped one, and listeners.
start_every_state() {
	local specs=() state
	ALL_STATES="$ALL_STATES $(time_wait_if_droppable TIME_WAIT)"
	for state in $ALL_STATES; do
		specs+=("$state" "$state,family=6")
	done
	start_fixture "${specs[@]}" ESTABLISHED,family=mapped LISTEN LISTEN,family=6
	# Every state is really there before anything is dropped.
	for state in $ALL_STATES; do
		[ "$(count_state "$state")" -ge 2 ] || { echo "no $state" >&2; return 1; }
	done
}

# -s STATE drops exactly the sockets in that state, and -l -s STATE lists them.
drop_state() {
	local state=$1 before selected listed
	start_every_state
	before=$(dump_sockets)
	selected=$(tuples_in_state "$state" <<<"$before")

	run --separate-stderr tcpdrop_in_ns -l -s "$state"
	[ "$status" = 0 ]
	[ -z "$stderr" ]
	listed=$(sed 's/^tcpdrop //' <<<"$output" | sort)
	[ "$listed" = "$(sort <<<"$selected")" ]
	[ "$(cut -d' ' -f1-6 <<<"$(dump_sockets)")" = "$(cut -d' ' -f1-6 <<<"$before")" ] ||
	    [ "$state" = SYN_SENT ] || [ "$state" = SYN_RCVD ]

	before=$(dump_sockets)
	run --separate-stderr tcpdrop_in_ns -s "$state"
	check_bulk_drop "$before" "state == \"$state\""
	[ "$(count_state LISTEN)" = "$(tuples_in_state LISTEN <<<"$before" | wc -l)" ]
}

@test "-s SYN_SENT drops exactly the SYN_SENT connections" { drop_state SYN_SENT; }
@test "-s SYN_RCVD drops exactly the half-open requests" { drop_state SYN_RCVD; }
@test "-s ESTABLISHED drops exactly the ESTABLISHED connections" { drop_state ESTABLISHED; }
@test "-s CLOSE_WAIT drops exactly the CLOSE_WAIT connections" { drop_state CLOSE_WAIT; }
@test "-s FIN_WAIT_1 drops exactly the FIN_WAIT_1 connections" { drop_state FIN_WAIT_1; }
@test "-s CLOSING drops exactly the CLOSING connections" { drop_state CLOSING; }
@test "-s LAST_ACK drops exactly the LAST_ACK connections" { drop_state LAST_ACK; }
@test "-s FIN_WAIT_2 drops exactly the FIN_WAIT_2 connections" { drop_state FIN_WAIT_2; }
@test "-s TIME_WAIT drops exactly the TIME_WAIT sockets" {
	needs_time_wait_drops
	drop_state TIME_WAIT
}

@test "-a leaves only the listeners, which still accept" {
	start_every_state
	local before
	before=$(dump_sockets)
	run --separate-stderr tcpdrop_in_ns -a
	check_bulk_drop "$before" 'state != "LISTEN"'
	[ "$(dump_sockets | sockets_where 'state != "LISTEN"' | wc -l)" = 0 ]
	[ "$(count_state LISTEN)" = "$(tuples_in_state LISTEN <<<"$before" | wc -l)" ]
	[ "$(fixture_report | report_where 'role == "listener" || state == "LISTEN"' result |
	    sort -u)" = accepts ]
}

@test "-l -a lists every connection, IPv4, IPv6 and v4-mapped (as IPv4), and drops nothing" {
	start_fixture ESTABLISHED ESTABLISHED,family=6 ESTABLISHED,family=mapped TIME_WAIT LISTEN
	local before
	before=$(dump_sockets)
	run --separate-stderr tcpdrop_in_ns -l -a
	[ "$status" = 0 ]
	[ -z "$stderr" ]
	[ "$(sort <<<"$output")" = "$(commands_where "$before" 'state != "LISTEN"')" ]
	# The v4-mapped ends are listed as the IPv4 connection they are.
	! grep -q 'ffff' <<<"$output"
	[ "$(grep -c '^tcpdrop 127\.0\.0\.1 ' <<<"$output")" = 5 ]
	grep -q '^tcpdrop ::1 ' <<<"$output"
	[ "$(dump_sockets)" = "$before" ]
}

@test "-l works without privilege" {
	start_fixture ESTABLISHED ESTABLISHED,family=6
	run --separate-stderr tcpdrop_in_ns -l -a
	local privileged=$output
	[ "$(wc -l <<<"$privileged")" = 4 ]
	run --separate-stderr tcpdrop_unprivileged -l -a
	expect 0 "$privileged" ""
}

@test "-a without privilege: one message, exit 1, nothing dropped" {
	start_fixture ESTABLISHED
	local before
	before=$(dump_sockets)
	run --separate-stderr tcpdrop_unprivileged -a
	expect 1 "" "tcpdrop: cannot drop connections: Operation not permitted (dropping needs CAP_NET_ADMIN in the network namespace)"
	[ "$(dump_sockets)" = "$before" ]
}

@test "nothing matched: no output, exit 0" {
	start_fixture LISTEN
	run --separate-stderr tcpdrop_in_ns -a
	expect 0 "" ""
	run --separate-stderr tcpdrop_in_ns -s ESTABLISHED
	expect 0 "" ""
	[ "$(count_state LISTEN)" = 1 ]
}

@test "-S mptcp drops only the MPTCP subflows" {
	needs_mptcp
	start_fixture MPTCP ESTABLISHED ESTABLISHED,family=6
	local before subflows='state != "LISTEN" && ulp == "mptcp"'
	before=$(dump_sockets)
	[ "$(sockets_where "$subflows" <<<"$before" | wc -l)" = 2 ]
	run --separate-stderr tcpdrop_in_ns -l -S mptcp
	[ "$(sort <<<"$output")" = "$(commands_where "$before" "$subflows")" ]
	run --separate-stderr tcpdrop_in_ns -S mptcp
	check_bulk_drop "$before" "$subflows"
	[ "$(count_state ESTABLISHED)" = 4 ]
}

@test "-S with a stack no connection uses matches nothing, exit 0" {
	needs_mptcp
	# Plain TCP only: the kernel offers mptcp, which none of them uses.
	start_fixture ESTABLISHED ESTABLISHED,family=6
	local before
	before=$(dump_sockets)
	run --separate-stderr tcpdrop_in_ns -S mptcp
	expect 0 "" ""
	# One the kernel does not offer is warned of (offered.bats), and matches nothing too.
	run --separate-stderr tcpdrop_in_ns -S fastack
	expect 0 "" "tcpdrop: -S fastack: this kernel offers no such upper layer protocol (a TCP socket refuses it; the kernel lists those it offers only in its first network namespace)"
	[ "$(dump_sockets)" = "$before" ]
}

@test "-C reno drops only the reno connections" {
	needs_algorithm cubic
	start_fixture ESTABLISHED,cc=reno ESTABLISHED,cc=cubic ESTABLISHED,cc=reno,family=6 CLOSE_WAIT,cc=cubic
	local before reno='state != "LISTEN" && cc == "reno"'
	before=$(dump_sockets)
	[ "$(sockets_where "$reno" <<<"$before" | wc -l)" = 4 ]
	run --separate-stderr tcpdrop_in_ns -l -C reno
	[ "$(sort <<<"$output")" = "$(commands_where "$before" "$reno")" ]
	run --separate-stderr tcpdrop_in_ns -C reno
	check_bulk_drop "$before" "$reno"
	[ "$(dump_sockets | sockets_where 'state != "LISTEN" && cc == "cubic"' | wc -l)" = 4 ]
}

@test "-C reno -s CLOSE_WAIT: both must match" {
	needs_algorithm cubic
	start_fixture ESTABLISHED,cc=reno CLOSE_WAIT,cc=reno CLOSE_WAIT,cc=cubic
	local before both='cc == "reno" && state == "CLOSE_WAIT"'
	before=$(dump_sockets)
	[ "$(sockets_where "$both" <<<"$before" | wc -l)" = 1 ]
	run --separate-stderr tcpdrop_in_ns -C reno -s CLOSE_WAIT
	check_bulk_drop "$before" "$both"
	[ "$(count_state CLOSE_WAIT)" = 1 ]
	[ "$(count_state ESTABLISHED)" = 2 ]
}

@test "-S mptcp -s ESTABLISHED drops the established subflows" {
	needs_mptcp
	start_fixture MPTCP ESTABLISHED
	local before both='ulp == "mptcp" && state == "ESTABLISHED"'
	before=$(dump_sockets)
	run --separate-stderr tcpdrop_in_ns -S mptcp -s ESTABLISHED
	check_bulk_drop "$before" "$both"
}

@test "-S stack -s TIME_WAIT drops nothing: TIME_WAIT sockets have no stack" {
	needs_mptcp
	start_fixture TIME_WAIT MPTCP
	local before
	before=$(dump_sockets)
	[ "$(count_state TIME_WAIT)" -ge 1 ]
	run --separate-stderr tcpdrop_in_ns -S mptcp -s TIME_WAIT
	expect 0 "" ""
	run --separate-stderr tcpdrop_in_ns -C reno -s TIME_WAIT
	expect 0 "" ""
	[ "$(count_state TIME_WAIT)" -ge 1 ]
}

@test "usage: -a with -s, -S or -C" {
	for narrowing in "-s ESTABLISHED" "-S mptcp" "-C reno"; do
		run --separate-stderr tcpdrop_in_ns -a $narrowing
		expect 1 "" "$USAGE"
	done
}

@test "usage: operands after -a, -l alone; -l with a tuple lists it (nothing here)" {
	run --separate-stderr tcpdrop_in_ns -a 127.0.0.1 80 127.0.0.1 81
	expect 1 "" "$USAGE"
	run --separate-stderr tcpdrop_in_ns -l
	expect 1 "" "$USAGE"
	run --separate-stderr tcpdrop_in_ns -l 127.0.0.1 80 127.0.0.1 81
	expect 0 "" ""
}

@test "usage: -s LISTEN, -s CLOSED, an unknown or lower-case state" {
	for state in LISTEN CLOSED BOGUS FIN_WAIT_3; do
		run --separate-stderr tcpdrop_in_ns -s "$state"
		expect 1 "" "tcpdrop: unknown state: $state
$USAGE"
	done
}

@test "usage: a state that differs only in case or one letter says which was meant" {
	for typed in established:ESTABLISHED Time_Wait:TIME_WAIT ESTABLISHD:ESTABLISHED \
	    LAST-ACK:LAST_ACK syn_sentt:SYN_SENT; do
		run --separate-stderr tcpdrop_in_ns -l -s "${typed%%:*}"
		expect 1 "" "tcpdrop: unknown state: ${typed%%:*} (did you mean ${typed#*:}?)
$USAGE"
	done
}

@test "usage: unknown option, missing argument, empty names, no arguments" {
	run --separate-stderr tcpdrop_in_ns -x
	expect 1 "" "tcpdrop: unknown option -- x
$USAGE"
	run --separate-stderr tcpdrop_in_ns -s
	expect 1 "" "tcpdrop: option requires an argument -- s
$USAGE"
	run --separate-stderr tcpdrop_in_ns -S ""
	expect 1 "" "tcpdrop: empty name for -S
$USAGE"
	run --separate-stderr tcpdrop_in_ns -C ""
	expect 1 "" "tcpdrop: empty name for -C
$USAGE"
	run --separate-stderr tcpdrop_in_ns
	expect 1 "" "$USAGE"
}
