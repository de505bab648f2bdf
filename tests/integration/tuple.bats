#!/usr/bin/env bats
# tcpdrop local-address local-port foreign-address foreign-port, and the
# other forms of naming one connection.  Each test runs in its own namespace.

load helpers

# Drop the target of a one-spec fixture by four operands and check the
# outcome from every side: tcpdrop's report, a fresh dump, the owner, the peer.
drop_target_in_state() {
	local spec=$1 owner_sees=$2 peer_sees=$3
	# Index 1 is a bystander: a connection that must come through untouched.
	start_fixture "$spec" ESTABLISHED
	local tuple
	tuple=$(tuple_of 0 target)
	[ -n "$tuple" ]
	run --separate-stderr tcpdrop_in_ns $tuple
	expect 0 "$tuple: dropped" ""
	! socket_exists "$tuple"
	local report
	report=$(fixture_report)
	if [ "$owner_sees" != - ]; then
		[ "$(report_where 'number == 0 && role == "target"' result <<<"$report")" = "$owner_sees" ]
	fi
	if [ "$peer_sees" != - ]; then
		[ "$(report_where 'number == 0 && role == "peer"' result <<<"$report")" = "$peer_sees" ]
	fi
	# The listeners are untouched and still accept.
	[ "$(report_where 'role == "listener" && result != "accepts"' <<<"$report" | wc -l)" = 0 ]
	[ "$(report_where 'role == "listener"' <<<"$report" | wc -l)" -ge 1 ]
	# The bystander is still there, and saw nothing.
	socket_exists $(tuple_of 1 target)
	socket_exists $(tuple_of 1 peer)
	[ "$(report_where 'number == 1 && role != "listener"' result <<<"$report" | sort -u)" = ok ]
}

@test "ESTABLISHED: dropped; owner sees ECONNABORTED, peer ECONNRESET" {
	drop_target_in_state ESTABLISHED ECONNABORTED ECONNRESET
}

@test "ESTABLISHED over IPv6: dropped" {
	drop_target_in_state ESTABLISHED,family=6 ECONNABORTED ECONNRESET
}

@test "CLOSE_WAIT: dropped; the peer in FIN_WAIT_2 is reset" {
	drop_target_in_state CLOSE_WAIT ECONNABORTED ECONNRESET
}

@test "FIN_WAIT_1: dropped; the peer is reset" {
	drop_target_in_state FIN_WAIT_1 ECONNABORTED ECONNRESET
}

@test "FIN_WAIT_2: dropped; the peer in CLOSE_WAIT is reset (EPIPE)" {
	drop_target_in_state FIN_WAIT_2 ECONNABORTED EPIPE
}

@test "CLOSING: dropped; no reset is sent" {
	drop_target_in_state CLOSING ECONNABORTED -
}

@test "LAST_ACK: dropped; no reset is sent" {
	drop_target_in_state LAST_ACK ECONNABORTED -
}

@test "SYN_SENT: dropped" {
	drop_target_in_state SYN_SENT ECONNABORTED -
}

@test "SYN_RCVD: the request is dropped, the listener stays" {
	drop_target_in_state SYN_RCVD - -
	[ "$(count_state LISTEN)" -ge 1 ]
}

@test "TIME_WAIT: the socket is removed" {
	needs_time_wait_drops
	drop_target_in_state TIME_WAIT - -
}

@test "address:port operands" {
	start_fixture ESTABLISHED
	read -r la lp fa fp <<<"$(tuple_of 0 target)"
	run --separate-stderr tcpdrop_in_ns "$la:$lp" "$fa:$fp"
	expect 0 "$la $lp $fa $fp: dropped" ""
	! socket_exists "$la $lp $fa $fp"
}

@test "address.port operands" {
	start_fixture ESTABLISHED
	read -r la lp fa fp <<<"$(tuple_of 0 target)"
	run --separate-stderr tcpdrop_in_ns "$la.$lp" "$fa.$fp"
	expect 0 "$la $lp $fa $fp: dropped" ""
	! socket_exists "$la $lp $fa $fp"
}

@test "IPv6 address.port operands split at the last period" {
	start_fixture ESTABLISHED,family=6
	read -r la lp fa fp <<<"$(tuple_of 0 target)"
	run --separate-stderr tcpdrop_in_ns "$la.$lp" "$fa.$fp"
	expect 0 "$la $lp $fa $fp: dropped" ""
	! socket_exists "$la $lp $fa $fp"
}

@test "IPv6 address:port operands split at the last colon" {
	start_fixture ESTABLISHED,family=6
	read -r la lp fa fp <<<"$(tuple_of 0 target)"
	run --separate-stderr tcpdrop_in_ns "$la:$lp" "$fa:$fp"
	expect 0 "$la $lp $fa $fp: dropped" ""
}

@test "[IPv6]:port operands" {
	start_fixture ESTABLISHED,family=6
	read -r la lp fa fp <<<"$(tuple_of 0 target)"
	run --separate-stderr tcpdrop_in_ns "[$la]:$lp" "[$fa]:$fp"
	expect 0 "$la $lp $fa $fp: dropped" ""
	! socket_exists "$la $lp $fa $fp"
}

@test "a v4-mapped connection named by its IPv4 addresses is dropped" {
	start_fixture ESTABLISHED,family=mapped
	# The accepted end is the v4-mapped IPv6 socket.
	read -r la lp fa fp <<<"$(tuple_of 0 peer)"
	[[ $la == ::ffff:127.0.0.1 ]]
	run --separate-stderr tcpdrop_in_ns 127.0.0.1 "$lp" 127.0.0.1 "$fp"
	expect 0 "127.0.0.1 $lp 127.0.0.1 $fp: dropped" ""
	! socket_exists "$la $lp $fa $fp"
	[ "$(result_of 0 peer)" = ECONNABORTED ]
}

@test "a v4-mapped connection named by its mapped addresses is dropped, and told as IPv4" {
	start_fixture ESTABLISHED,family=mapped
	read -r la lp fa fp <<<"$(tuple_of 0 peer)"
	[[ $la == ::ffff:127.0.0.1 ]]
	run --separate-stderr tcpdrop_in_ns "$la" "$lp" "$fa" "$fp"
	expect 0 "127.0.0.1 $lp 127.0.0.1 $fp: dropped" ""
	! socket_exists "$la $lp $fa $fp"
}

@test "names for addresses and ports: localhost http" {
	needs_localhost_http
	start_fixture ESTABLISHED,port=80
	read -r la lp fa fp <<<"$(tuple_of 0 peer)"
	[ "$lp" = 80 ]
	run --separate-stderr tcpdrop_in_ns localhost http localhost "$fp"
	expect 0 "127.0.0.1 80 127.0.0.1 $fp: dropped" ""
	! socket_exists "$la $lp $fa $fp"
}

@test "a connection that does not exist: exit 1, said on stderr" {
	start_fixture ESTABLISHED
	read -r la lp fa fp <<<"$(tuple_of 0 target)"
	run --separate-stderr tcpdrop_in_ns "$la" "$lp" "$fa" 1
	expect 1 "" "tcpdrop: $la $lp $fa 1: No such connection"
	socket_exists "$la $lp $fa $fp"
}

@test "a tuple naming a listener's port and no real peer leaves the listener alone" {
	start_fixture LISTEN
	read -r la lp fa fp <<<"$(tuple_of 0 target)"
	run --separate-stderr tcpdrop_in_ns 127.0.0.1 "$lp" 127.0.0.1 9
	expect 1 "" "tcpdrop: 127.0.0.1 $lp 127.0.0.1 9: No such connection"
	[ "$(count_state LISTEN)" = 1 ]
	[ "$(result_of 0 target)" = accepts ]
}

@test "a socket bound to a device (SO_BINDTODEVICE) is found and dropped, and told with its device" {
	local tuple la lp fa fp
	start_fixture ESTABLISHED,bound
	tuple=$(tuple_of 0 target)
	read -r la lp fa fp <<<"$tuple"
	run --separate-stderr tcpdrop_in_ns $tuple
	expect 0 "$la%lo $lp $fa $fp: dropped" ""
	! socket_exists "$la%lo $lp $fa $fp"
}

@test "two operands: one without a separator is a usage error" {
	run --separate-stderr tcpdrop_in_ns 127.0.0.1:80 localhost
	expect 1 "" "tcpdrop: not an address and port: 'localhost'
$USAGE"
}

@test "two operands: an IPv4 address alone splits at its last period" {
	run --separate-stderr tcpdrop_in_ns 127.0.0.1:80 127.0.0.1
	expect 1 "" "tcpdrop: 127.0.0.1 80 127.0.0.0 1: No such connection"
}

@test "an empty port operand is a usage error" {
	run --separate-stderr tcpdrop_in_ns 127.0.0.1 "" 127.0.0.1 80
	expect 1 "" "tcpdrop: not an address and port: ''
$USAGE"
}

@test "a lone separator is a usage error" {
	run --separate-stderr tcpdrop_in_ns :80 127.0.0.1:80
	expect 1 "" "tcpdrop: not an address and port: ':80'
$USAGE"
}

@test "an unknown service is a resolver error" {
	run --separate-stderr tcpdrop_in_ns 127.0.0.1 no-such-service 127.0.0.1 80
	expect 1 "" "tcpdrop: getaddrinfo: 127.0.0.1 port no-such-service: Servname not supported for ai_socktype"
}

@test "addresses of different families: said, exit 1" {
	run --separate-stderr tcpdrop_in_ns 127.0.0.1 80 ::1 80
	expect 1 "" "tcpdrop: 127.0.0.1 80 ::1 80: different address families"
}

@test "without CAP_NET_ADMIN: one clear message, exit 1, nothing dropped" {
	start_fixture ESTABLISHED
	tuple=$(tuple_of 0 target)
	run --separate-stderr tcpdrop_unprivileged $tuple
	expect 1 "" "tcpdrop: cannot drop connections: Operation not permitted (dropping needs CAP_NET_ADMIN in the network namespace)"
	socket_exists "$tuple"
	[ "$(result_of 0 target)" = ok ]
}
