#!/usr/bin/env bats
# Closed standard descriptors, and too few descriptors for a second
# netlink socket: every connection is still dropped, through one.

load helpers

@test "closed standard descriptors: -f - with standard input closed is an error, not a hang" {
	start_fixture ESTABLISHED
	run --separate-stderr in_ns timeout 10 sh -c 'exec "$@" <&-' sh "$TCPDROP" -f -
	expect 1 "" "tcpdrop: (stdin): Bad file descriptor (standard input is closed)"
	socket_exists "$(tuple_of 0 target)"
}

@test "closed standard descriptors: reports never go into the netlink socket" {
	start_fixture ESTABLISHED ESTABLISHED
	local one two
	one=$(tuple_of 0 target)
	two=$(tuple_of 1 target)
	# Standard output closed: the drop is made and exits 0, reports go nowhere.
	run --separate-stderr in_ns timeout 10 sh -c 'exec "$@" >&-' sh "$TCPDROP" $one
	expect 0 "" ""
	! socket_exists "$one"
	# Both closed, with a bad line: exit 1, quietly; the good line is dropped.
	printf 'bad line\n%s\n' "$two" >"$BATS_TEST_TMPDIR/list"
	run in_ns timeout 10 sh -c 'exec "$@" >&- 2>&-' sh "$TCPDROP" -f "$BATS_TEST_TMPDIR/list"
	expect 1 "" ""
	! socket_exists "$two"
	# And -l with standard error closed still lists: the listeners are no connections.
	run --separate-stderr in_ns timeout 10 sh -c 'exec "$@" 2>&-' sh "$TCPDROP" -l -a
	expect 0 "" ""
}

# Run tcpdrop in the namespace allowed descriptors 0 to $1 - 1 only (those
# bats holds closed), with the remaining arguments.
tcpdrop_with_descriptors() {
	local most=$1
	shift
	in_ns timeout 60 sh -c 'exec 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- && ulimit -n "$0" && exec "$@"' \
	    "$most" "$TCPDROP" "$@"
}

# Every report a drop of all $1 pairs gives: one end of each pair or both;
# exit status $2 (0 if not given) and standard error $3 (empty if not given).
all_dropped() {
	local pairs=$1
	[ "$status" = "${2:-0}" ] && [ "$stderr" = "${3:-}" ] ||
	    { echo "status $status: $stderr" >&2; return 1; }
	[ -z "$(grep -Ev '^127\.0\.0\.1 [0-9]+ 127\.0\.0\.1 [0-9]+: dropped$' <<<"$output")" ]
	[ "$(wc -l <<<"$output")" -ge "$pairs" ]
	[ "$(wc -l <<<"$output")" -le $((2 * pairs)) ]
	[ "$(count_state ESTABLISHED)" = 0 ]
	[ "$(count_state LISTEN)" = 1 ]
}

@test "no descriptor for a second socket: -a collects all 6,000 connections and drops them through one" {
	start_pairs 3000
	# Past 4,096 a walk destroys as it goes through a second socket: with
	# only fd 3 free it keeps collecting, and a long list is not split.
	run --separate-stderr tcpdrop_with_descriptors 4 -a
	all_dropped 3000
}

# fd 3 holds the list, fd 4 the netlink socket: with $1 descriptors, none
# or one is left for a second socket to take half the lookups and destroys,
# and for if_nameindex(3) to ask where a missing line's connection may be.
drop_list_with_descriptors() {
	start_pairs 3000
	tcpdrop_in_ns -l -a >"$BATS_TEST_TMPDIR/list"
	echo "tcpdrop 127.0.0.2 1 127.0.0.3 7" >>"$BATS_TEST_TMPDIR/list"
	run --separate-stderr tcpdrop_with_descriptors "$1" -f "$BATS_TEST_TMPDIR/list"
	all_dropped 3000 1 "tcpdrop: 127.0.0.2 1 127.0.0.3 7: No such connection"
}

@test "no descriptor for a second socket: -f drops every line of a long list through one" {
	drop_list_with_descriptors 5
}

@test "one descriptor spare: -f lends it to the second socket, then to the search for a missing line" {
	drop_list_with_descriptors 6
}
