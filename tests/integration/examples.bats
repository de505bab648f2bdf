#!/usr/bin/env bats
# Every command of the EXAMPLES section of tcpdrop(8), as written.

load helpers

# The page's two test hosts: this namespace is the web server (192.168.5.41),
# a second one its client (192.168.5.1), joined by a veth pair.
link_web_hosts() {
	make_peer_netns || return
	ip link add tdex0 netns "$NS" type veth peer name tdex1 netns "$PEER_NS"
	ip -n "$NS" addr add 192.168.5.41/24 dev tdex0
	ip -n "$PEER_NS" addr add 192.168.5.1/24 dev tdex1
	ip -n "$NS" link set tdex0 up
	ip -n "$PEER_NS" link set tdex1 up
}

@test "EXAMPLES: tcpdrop 192.168.5.41 80 192.168.5.1 26747" {
	link_web_hosts
	check_own_netns || return
	# ip execs python: the server is $!, and takes our signals.
	ip netns exec "$NS" python3 "$TOP/tests/lib/webhost.py" serve 192.168.5.41 80 &
	FIXTURE_PID=$!
	in_peer_ns python3 "$TOP/tests/lib/webhost.py" visit 192.168.5.41 80 192.168.5.1 26747 \
	    >"$BATS_TEST_TMPDIR/client" 2>&1 &
	eventually 10 socket_exists 192.168.5.41 80 192.168.5.1 26747
	# The page's way to find it.
	run in_ns ss -tnp state established '( sport = :80 )'
	grep -q '192.168.5.41:80 *192.168.5.1:26747 .*python3' <<<"$output"
	run --separate-stderr tcpdrop_in_ns 192.168.5.41 80 192.168.5.1 26747
	expect 0 "192.168.5.41 80 192.168.5.1 26747: dropped" ""
	! socket_exists 192.168.5.41 80 192.168.5.1 26747
	# The client on the other host was reset.
	wait %2 || true
	grep -q "Connection reset by peer" "$BATS_TEST_TMPDIR/client"
}

@test "EXAMPLES: tcpdrop -l -a | grep -vw 22 | sh" {
	start_fixture ESTABLISHED,port=22 ESTABLISHED ESTABLISHED,family=6 CLOSE_WAIT
	local before
	before=$(dump_sockets)
	[ "$(sockets_where 'state != "LISTEN" && (lport == 22 || fport == 22)' <<<"$before" | wc -l)" = 2 ]
	# As written, with tcpdrop found on PATH by the shell that runs the list.
	run --separate-stderr in_ns env PATH="$(dirname "$TCPDROP"):$PATH" \
	    sh -c 'tcpdrop -l -a | grep -vw 22 | sh'
	local after
	after=$(dump_sockets)
	# Only the listeners and the ssh connection are left.
	[ "$(sockets_where 'state != "LISTEN"' <<<"$after" | wc -l)" = 2 ]
	[ "$(sockets_where 'state != "LISTEN" && (lport == 22 || fport == 22)' <<<"$after" | wc -l)" = 2 ]
	[ "$(count_state LISTEN)" = 4 ]
	# Each loopback connection is listed from both ends; dropping one end
	# takes the other along, so its own command finds nothing.
	[ "$(grep -c ': dropped$' <<<"$output")" = 3 ]
	[ "$(grep -c ': No such connection$' <<<"$stderr")" = 3 ]
}

@test "EXAMPLES: every connection with neither port 22, by four port-range commands" {
	in_ns ip addr add 198.51.100.22/32 dev lo
	start_fixture ESTABLISHED,port=22 ESTABLISHED,port=8080 ESTABLISHED,family=6,port=8081 \
	    CLOSE_WAIT,port=8082
	# A connection from an address ending in .22, which grep -w 22 would spare.
	check_own_netns || return
	ip netns exec "$NS" python3 "$TOP/tests/lib/webhost.py" serve 127.0.0.1 8083 3>&- &
	MORE_PIDS="${MORE_PIDS:-} $!"
	ip netns exec "$NS" python3 "$TOP/tests/lib/webhost.py" visit 127.0.0.1 8083 \
	    198.51.100.22 40022 >/dev/null 2>&1 3>&- &
	MORE_PIDS="${MORE_PIDS:-} $!"
	eventually 10 socket_exists 127.0.0.1 8083 198.51.100.22 40022
	local before after
	before=$(dump_sockets)
	run --separate-stderr in_ns env PATH="$(dirname "$TCPDROP"):$PATH" sh -c "
	    tcpdrop '*' 0-21 '*' 0-21 &&
	    tcpdrop '*' 0-21 '*' 23-65535 &&
	    tcpdrop '*' 23-65535 '*' 0-21 &&
	    tcpdrop '*' 23-65535 '*' 23-65535"
	[ "$status" = 0 ] && [ -z "$stderr" ]
	after=$(dump_sockets)
	# Only the listeners and both ends of the ssh connection are left.
	[ "$(sockets_where 'state != "LISTEN"' tuple <<<"$after" | sort)" = \
	    "$(sockets_where 'state != "LISTEN" && (lport == 22 || fport == 22)' tuple <<<"$before" | sort)" ]
	[ "$(sockets_where 'state != "LISTEN"' <<<"$after" | wc -l)" = 2 ]
	[ "$(count_state LISTEN)" = "$(sockets_where 'state == "LISTEN"' <<<"$before" | wc -l)" ]
}

# Linux has no such upper layer protocol: a warning, exit 0, nothing dropped.
# In the test's namespace, which has no list of them, a socket is asked.
NO_FASTACK="tcpdrop: -S fastack: this kernel offers no such upper layer protocol (a TCP socket refuses it; the kernel lists those it offers only in its first network namespace)"

@test "EXAMPLES: tcpdrop -S fastack (no such stack on Linux: nothing to drop)" {
	start_fixture ESTABLISHED $(mptcp_if_any)
	local before
	before=$(dump_sockets)
	run --separate-stderr tcpdrop_in_ns -S fastack
	expect 0 "" "$NO_FASTACK"
	[ "$(dump_sockets)" = "$before" ]
}

@test "EXAMPLES: tcpdrop -s LAST_ACK" {
	start_fixture LAST_ACK LAST_ACK,family=6 ESTABLISHED
	local before
	before=$(dump_sockets)
	run --separate-stderr tcpdrop_in_ns -s LAST_ACK
	check_bulk_drop "$before" 'state == "LAST_ACK"'
	[ "$(count_state LAST_ACK)" = 0 ]
}

@test "EXAMPLES: tcpdrop -S fastack -s LAST_ACK" {
	start_fixture LAST_ACK
	local before
	before=$(dump_sockets)
	run --separate-stderr tcpdrop_in_ns -S fastack -s LAST_ACK
	expect 0 "" "$NO_FASTACK"
	[ "$(count_state LAST_ACK)" = 1 ]
}

@test "EXAMPLES (Linux): tcpdrop -S mptcp -s LAST_ACK matches only MPTCP subflows" {
	needs_mptcp
	start_fixture LAST_ACK MPTCP
	run --separate-stderr tcpdrop_in_ns -S mptcp -s LAST_ACK
	expect 0 "" ""
	[ "$(count_state LAST_ACK)" = 1 ]
}
