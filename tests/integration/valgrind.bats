#!/usr/bin/env bats
# Every mode of tcpdrop under valgrind memcheck: no invalid access, no leak.

load helpers

# Run tcpdrop in the test's namespace under memcheck; a memcheck error
# exits 99, and so does a definite or indirect leak.
memcheck() {
	in_ns valgrind -q --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite,indirect "$TCPDROP" "$@"
}

@test "valgrind: -l -a, IPv4, IPv6 and v4-mapped" {
	start_fixture ESTABLISHED ESTABLISHED,family=6 ESTABLISHED,family=mapped TIME_WAIT
	run --separate-stderr memcheck -l -a
	[ "$status" = 0 ]
	[ -z "$stderr" ]
	[ "$(wc -l <<<"$output")" = 7 ]
}

@test "valgrind: -a" {
	start_fixture ESTABLISHED ESTABLISHED,family=6 CLOSE_WAIT LAST_ACK
	run --separate-stderr memcheck -a
	[ "$status" = 0 ]
	[ -z "$stderr" ]
	[ "$(dump_sockets | sockets_where 'state != "LISTEN"' | wc -l)" = 0 ]
}

@test "valgrind: -S, -C and -s together" {
	needs_mptcp
	start_fixture MPTCP ESTABLISHED,cc=reno
	# The subflows have the namespace's default algorithm, reno (helpers.bash).
	run --separate-stderr memcheck -l -S mptcp -C reno -s ESTABLISHED
	[ "$status" = 0 ]
	[ -z "$stderr" ]
	[ "$(wc -l <<<"$output")" = 2 ]
}

@test "valgrind: a tuple dropped, and one that does not exist" {
	start_fixture ESTABLISHED
	local tuple
	tuple=$(tuple_of 0 target)
	run --separate-stderr memcheck $tuple
	expect 0 "$tuple: dropped" ""
	run --separate-stderr memcheck $tuple
	expect 1 "" "tcpdrop: $tuple: No such connection"
}

@test "valgrind: -f with good and bad lines" {
	start_fixture ESTABLISHED ESTABLISHED,family=6
	local list=$BATS_TEST_TMPDIR/list
	{ echo "tcpdrop $(tuple_of 0 target)"; echo "bad"; echo "$(tuple_of 1 target)"; } >"$list"
	run --separate-stderr memcheck -f "$list"
	[ "$status" = 1 ]
	[ "$(wc -l <<<"$output")" = 2 ]
	[ "$stderr" = "tcpdrop: $list:2: expected 2 or 4 operands, found 1" ]
}

@test "valgrind: usage errors and resolver errors" {
	run --separate-stderr memcheck -s BOGUS
	[ "$status" = 1 ]
	run --separate-stderr memcheck 127.0.0.1:80 localhost
	[ "$status" = 1 ]
	run --separate-stderr memcheck 127.0.0.1 65536 127.0.0.1 80
	[ "$status" = 1 ]
	run --separate-stderr memcheck 127.0.0.1 80 ::1 80
	[ "$status" = 1 ]
}
