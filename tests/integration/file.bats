#!/usr/bin/env bats
# tcpdrop -f file: connections read one per line, dropped in one process.

load helpers

@test "-f -: tcpdrop -l -a | grep -vw 22 | tcpdrop -f - does what | sh does" {
	start_fixture ESTABLISHED,port=22 ESTABLISHED ESTABLISHED,family=6 CLOSE_WAIT ESTABLISHED,family=mapped
	local before
	before=$(dump_sockets)
	run --separate-stderr in_ns sh -c "'$TCPDROP' -l -a | grep -vw 22 | '$TCPDROP' -f -"
	# Each pair is listed from both ends; its first end dropped takes the
	# other along, which is then gone: not a failure.
	[ "$status" = 0 ]
	[ -z "$stderr" ]
	[ "$(wc -l <<<"$output")" = 4 ]
	[ "$(dump_sockets | sockets_where 'state != "LISTEN"' | wc -l)" = 2 ]
	[ "$(dump_sockets | sockets_where 'state != "LISTEN" && (lport == 22 || fport == 22)' | wc -l)" = 2 ]
	[ "$(count_state LISTEN)" = 5 ]
	while read -r line; do
		tuple=${line%: dropped}
		sockets_where 'tuple == "'"$tuple"'"' <<<"$before" | grep -q .
	done <<<"$output"
}

@test "-f file: every operand form, comments and blank lines; output as for single drops" {
	start_fixture ESTABLISHED ESTABLISHED,family=6 ESTABLISHED CLOSE_WAIT
	local list=$BATS_TEST_TMPDIR/list a b c d
	a=$(tuple_of 0 target); b=$(tuple_of 1 target); c=$(tuple_of 2 target); d=$(tuple_of 3 target)
	read -r bla blp bfa bfp <<<"$b"
	read -r cla clp cfa cfp <<<"$c"
	{
		echo "# connections to drop"
		echo
		echo "tcpdrop $a"
		echo "[$bla]:$blp [$bfa]:$bfp   # IPv6 in brackets"
		echo "  $cla.$clp	$cfa.$cfp"
		echo "$d"
	} >"$list"
	run --separate-stderr tcpdrop_in_ns -f "$list"
	expect 0 "$a: dropped
$b: dropped
$c: dropped
$d: dropped" ""
	for tuple in "$a" "$b" "$c" "$d"; do ! socket_exists $tuple; done
	[ "$(result_of 0 target)" = ECONNABORTED ]
	[ "$(result_of 0 peer)" = ECONNRESET ]
}

@test "-f file: bad lines are told with their number, the rest still run, exit 1" {
	start_fixture ESTABLISHED
	local list=$BATS_TEST_TMPDIR/list tuple
	tuple=$(tuple_of 0 target)
	read -r la lp fa fp <<<"$tuple"
	{
		echo "127.0.0.1:80"
		echo "$tuple"
		echo "127.0.0.1 80 127.0.0.1 81 82"
		echo "127.0.0.1 no-such-service 127.0.0.1 80"
		echo "127.0.0.1 80 ::1 80"
		echo ":80 127.0.0.1:81"
		echo "$la $lp $fa 1"
	} >"$list"
	run --separate-stderr tcpdrop_in_ns -f "$list"
	expect 1 "$tuple: dropped" "tcpdrop: $list:1: expected 2 or 4 operands, found 1
tcpdrop: $list:3: expected 2 or 4 operands, found 5
tcpdrop: $list:4: getaddrinfo: 127.0.0.1 port no-such-service: Servname not supported for ai_socktype
tcpdrop: $list:5: 127.0.0.1 80 ::1 80: different address families
tcpdrop: $list:6: not an address and port: ':80'
tcpdrop: $la $lp $fa 1: No such connection"
	! socket_exists $tuple
}

@test "-f file: an empty file drops nothing, exit 0" {
	: >"$BATS_TEST_TMPDIR/empty"
	run --separate-stderr tcpdrop_in_ns -f "$BATS_TEST_TMPDIR/empty"
	expect 0 "" ""
}

@test "-f file: a file that cannot be read" {
	run --separate-stderr tcpdrop_in_ns -f /nonexistent/list
	expect 1 "" "tcpdrop: /nonexistent/list: No such file or directory"
}

@test "-f file: listed names are resolved: localhost http" {
	needs_localhost_http
	start_fixture ESTABLISHED,port=80
	read -r la lp fa fp <<<"$(tuple_of 0 peer)"
	run --separate-stderr in_ns sh -c "echo 'localhost http localhost $fp' | '$TCPDROP' -f -"
	expect 0 "127.0.0.1 80 127.0.0.1 $fp: dropped" ""
	! socket_exists $la $lp $fa $fp
}

@test "-f without privilege: one message, exit 1, nothing dropped" {
	start_fixture ESTABLISHED
	local tuple
	tuple=$(tuple_of 0 target)
	run --separate-stderr in_ns sh -c "echo '$tuple' | setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all '$TCPDROP' -f -"
	expect 1 "" "tcpdrop: cannot drop connections: Operation not permitted (dropping needs CAP_NET_ADMIN in the network namespace)"
	socket_exists $tuple
}

@test "usage: -f with -a, -s, -l or operands" {
	for extra in "-a" "-s ESTABLISHED" "-l" "-S mptcp" "-C reno"; do
		run --separate-stderr tcpdrop_in_ns -f - $extra
		expect 1 "" "$USAGE"
	done
	run --separate-stderr tcpdrop_in_ns -f - 127.0.0.1:80 127.0.0.1:81
	expect 1 "" "$USAGE"
	run --separate-stderr tcpdrop_in_ns -f
	expect 1 "" "tcpdrop: option requires an argument -- f
$USAGE"
}

@test "-f file: a long list of missing connections is searched by one walk, which still finds a device-bound socket" {
	local list=$BATS_TEST_TMPDIR/list la lp fa fp
	start_fixture ESTABLISHED,bound
	# More missing connections than are worth looking up on every device:
	# a batch of 4096 lines, on five devices.
	for n in 1 2; do in_ns ip link add "tdveth$n" type veth peer name "tdpeer$n"; done
	awk 'BEGIN { for (i = 1; i <= 5000; i++) printf "127.0.0.2 %d 127.0.0.3 %d\n", i, 7 }' >"$list"
	tuple_of 0 target >>"$list"
	run --separate-stderr in_ns strace -f -qq -e trace=sendto -o "$BATS_TEST_TMPDIR/strace" \
	    "$TCPDROP" -f "$list"
	read -r la lp fa fp <<<"$(tuple_of 0 target)"
	[ "$status" = 1 ]
	[ "$output" = "$la%lo $lp $fa $fp: dropped" ]
	[ "$(grep -c ': No such connection$' <<<"$stderr")" = 5000 ]
	! socket_exists "$la%lo $lp $fa $fp"
	# It walked (a dump) rather than asking 20,480 times.
	grep -q 'NLM_F_DUMP' "$BATS_TEST_TMPDIR/strace"
}
