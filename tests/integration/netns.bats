#!/usr/bin/env bats
# -N: acting inside another network namespace, named or given as a path,
# and what it says when it cannot enter one.

load helpers

@test "-N name: acts inside the named network namespace" {
	start_fixture ESTABLISHED
	local tuple
	tuple=$(tuple_of 0 target)
	# Run from another namespace of the test's own, naming this one.
	run --separate-stderr in_ns "$TCPDROP" -N "$NS" -l -a
	[ "$status" = 0 ]
	[ -z "$stderr" ]
	grep -qxF "tcpdrop -N $NS $tuple" <<<"$output"
	run --separate-stderr in_ns "$TCPDROP" -N "$NS" $tuple
	expect 0 "$tuple: dropped" ""
	! socket_exists $tuple
}

@test "-N /proc/PID/ns/net: acts inside that process's namespace" {
	start_fixture ESTABLISHED
	local tuple
	tuple=$(tuple_of 0 target)
	run --separate-stderr in_ns "$TCPDROP" -N "/proc/$FIXTURE_PID/ns/net" $tuple
	expect 0 "$tuple: dropped" ""
	! socket_exists $tuple
}

@test "-N with a namespace that does not exist" {
	run --separate-stderr in_ns "$TCPDROP" -N tcpdrop-no-such-netns -l -a
	expect 1 "" "tcpdrop: network namespace /run/netns/tcpdrop-no-such-netns: No such file or directory"
	run --separate-stderr in_ns "$TCPDROP" -N /nonexistent/ns -a
	expect 1 "" "tcpdrop: network namespace /nonexistent/ns: No such file or directory"
}

@test "-N with an empty name is a usage error" {
	run --separate-stderr in_ns "$TCPDROP" -N "" -l -a
	expect 1 "" "tcpdrop: empty name for -N
$USAGE"
}

@test "-N without the privilege to enter a namespace" {
	run --separate-stderr tcpdrop_unprivileged -N "$NS" -l -a
	expect 1 "" "tcpdrop: cannot enter network namespace /run/netns/$NS: Operation not permitted"
}
