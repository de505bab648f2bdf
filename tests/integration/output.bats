#!/usr/bin/env bats
# Output that cannot be written: a full device, a pipe whose reader left.
# A listing stops, quietly where its reader left; drops go on, and the end
# says how many were made.

load helpers

# The end of a run whose reports were lost: stderr is $1, then the count
# of connections dropped, then $2; that count is from $3 to $4.  Each pair
# is dropped from one end, whose reset takes the other along; but on a
# loaded machine the kernel may deliver that reset after the other end's
# own destroy, which then drops it too, and is counted.
expect_dropped_between() {
	local before=$1 after=$2 least=$3 most=$4 count
	[[ $stderr == "$before"* && $stderr == *"$after" ]] || {
		printf 'stderr:\n%s\nwant: %s N%s\n' "$stderr" "$before" "$after" >&2
		return 1
	}
	count=${stderr#"$before"}
	count=${count%"$after"}
	[[ $count =~ ^[0-9]+$ ]] && (( count >= least && count <= most )) || {
		printf 'dropped: %s, want %s to %s\n' "$count" "$least" "$most" >&2
		return 1
	}
}

@test "output errors: tcpdrop -l -a >/dev/full exits 1 with a message" {
	start_fixture ESTABLISHED
	run --separate-stderr in_ns sh -c "'$TCPDROP' -l -a >/dev/full"
	expect 1 "" "tcpdrop: standard output: No space left on device"
}

@test "output errors: tcpdrop -l -a | head -1 is quiet" {
	start_fixture ESTABLISHED ESTABLISHED ESTABLISHED
	run --separate-stderr in_ns sh -c "'$TCPDROP' -l -a | head -1"
	[ "$status" = 0 ]
	[ -z "$stderr" ]
	[ "$(wc -l <<<"$output")" = 1 ]
}

# Reports that cannot be written do not stop the drops: every connection
# is dropped, and the end says how many were and that reports were lost.
@test "-a with its reports to a full device: every connection is still dropped, and the end says so, exit 1" {
	start_pairs 1500
	# Each pair is dropped from one end, which resets the other.
	run --separate-stderr in_ns sh -c 'exec "$0" -a >/dev/full' "$TCPDROP"
	[ "$status" = 1 ]
	[ -z "$output" ]
	expect_dropped_between "tcpdrop: standard output: No space left on device (" \
	    " connections dropped, not every one reported)" 1500 3000
	[ "$(count_state ESTABLISHED)" = 0 ]
	[ "$(count_state LISTEN)" = 1 ]
	# A listing is only output: it stops at the first write that fails.
	start_fixture ESTABLISHED
	run --separate-stderr in_ns sh -c 'exec "$0" -l -a >/dev/full' "$TCPDROP"
	expect 1 "" "tcpdrop: standard output: No space left on device"
	# One connection named by its tuple: dropped, its report lost.
	local one
	one=$(tuple_of 0 target)
	run --separate-stderr in_ns sh -c 'exec "$0" "$@" >/dev/full' "$TCPDROP" $one
	expect 1 "" "tcpdrop: standard output: No space left on device (1 connection dropped, not every one reported)"
	! socket_exists "$one"
}

@test "-a with its reports into a pipe whose reader left: every connection is still dropped, and the end says so, exit 1" {
	start_pairs 2500
	run --separate-stderr in_ns bash -c 'set -o pipefail; "$0" -a | head -1' "$TCPDROP"
	[ "$status" = 1 ]
	[[ $output =~ ^[0-9.]+" "[0-9]+" "[0-9.]+" "[0-9]+": dropped"$ ]]
	expect_dropped_between "tcpdrop: standard output: Broken pipe (" \
	    " connections dropped, not every one reported)" 2500 5000
	[ "$(count_state ESTABLISHED)" = 0 ]
}
