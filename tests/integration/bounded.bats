#!/usr/bin/env bats
# Bounded, prompt and quiet under any input, descriptor and signal: -f
# input with NUL bytes, endless lines and slow writers; closed standard
# descriptors; SIGTERM in the middle of a run.  Each test runs in a
# namespace of its own.

load helpers

PAIRS=$TOP/bench/pairs.py
READER=$TOP/tests/lib/reader.py

# Hold $1 established loopback pairs (bench/pairs.py) until the test ends.
start_pairs() {
	local dir=$BATS_TEST_TMPDIR/pairs
	mkdir -p "$dir"
	mkfifo "$dir/hold"
	check_own_netns || return
	# pairs.py holds its sockets until its input ends: a FIFO it holds open
	# itself never does.  It must not hold bats's fd 3.
	ip netns exec "$NS" python3 "$PAIRS" "$1" <>"$dir/hold" >"$dir/out" 2>"$dir/stderr" 3>&- &
	MORE_PIDS="${MORE_PIDS:-} $!"
	eventually 30 grep -qx ready "$dir/out" ||
	    { echo "pairs did not start: $(cat "$dir/stderr")" >&2; return 1; }
}

# After an interrupted run: of the connections listed in file $1, the ones
# gone from a fresh dump are exactly those reported dropped in file $2, or
# whose other end was.
gone_as_reported() {
	dump_sockets | sockets_where 'state != "LISTEN"' tuple >"$BATS_TEST_TMPDIR/after"
	awk '
	FILENAME == ARGV[1] { there[$0] = 1; next }
	FILENAME == ARGV[2] { if (sub(/: dropped$/, "")) told[$0] = 1; else { print "not a report: " $0; bad = 1 }; next }
	{
		sub(/^tcpdrop /, "")
		split($0, w, " ")
		self = w[1] " " w[2] " " w[3] " " w[4]; peer = w[3] " " w[4] " " w[1] " " w[2]
		reported = (self in told) || (peer in told)
		if (!(self in there) && !reported) { print "gone unreported: " self; bad = 1 }
		if ((self in there) && reported) { print "reported but there: " self; bad = 1 }
		n++
	}
	END { exit bad || n == 0 }' "$BATS_TEST_TMPDIR/after" "$2" "$1" >&2
}

@test "-f: a line holding a NUL byte is a bad line, not cut short" {
	start_fixture ESTABLISHED ESTABLISHED
	local one two
	one=$(tuple_of 0 target)
	two=$(tuple_of 1 target)
	run --separate-stderr tcpdrop_in_ns -f - < <(printf '%s\0%s\n%s\n' "$one" "$two" "$two")
	expect 1 "$two: dropped" "tcpdrop: (stdin):1: a NUL byte in the line"
	socket_exists "$one"
	! socket_exists "$two"
}

# Run tcpdrop -f - on standard input $1 (a command's output) and print the
# most memory it held, in KiB, then its status, stdout and stderr.
with_peak_memory() {
	in_ns python3 "$TOP/tests/lib/peak.py" "$1" "$TCPDROP" -f -
}

@test "-f: a line longer than any command is refused without being kept; memory stays bounded" {
	start_fixture ESTABLISHED ESTABLISHED
	local one two result most
	one=$(tuple_of 0 target)
	two=$(tuple_of 1 target)
	# 200 MB without a newline between two good lines.
	result=$(with_peak_memory "echo '$one'; head -c 200000000 /dev/zero | tr '\\0' x; echo; echo '$two'")
	most=$([ -n "${TCPDROP_SANITIZED:-}" ] && echo 262144 || echo 65536)
	[ "$(sed -n 1p <<<"$result")" -lt "$most" ] || { echo "peak $(sed -n 1p <<<"$result") KiB" >&2; false; }
	[ "$(sed -n '2,$p' <<<"$result")" = "1
$one: dropped
$two: dropped
--
tcpdrop: (stdin):2: longer than any command (16384 bytes)" ]
	! socket_exists "$one"
	! socket_exists "$two"
}

@test "-f: input that never ends a line: the good lines before it are still dropped" {
	start_fixture ESTABLISHED
	local one result
	one=$(tuple_of 0 target)
	result=$(with_peak_memory "echo '$one'; head -c 100000000 /dev/zero | tr '\\0' y")
	[ "$(sed -n '2,$p' <<<"$result")" = "1
$one: dropped
--
tcpdrop: (stdin):2: longer than any command (16384 bytes)" ]
	! socket_exists "$one"
}

# Wait for background process $1 to end, at most 30 seconds (then it is
# killed); returns its status.
finish() {
	eventually 30 eval "! kill -0 $1 2>/dev/null" || kill -9 "$1"
	wait "$1"
}

# tcpdrop -f reading a FIFO that the test keeps open as fd 7, with line $1
# written to it; its stdout and stderr go to $OUT and $OUT.stderr, its pid
# is $TCPDROP_PID.
start_on_fifo() {
	local fifo=$BATS_TEST_TMPDIR/fifo
	OUT=$BATS_TEST_TMPDIR/out
	mkfifo "$fifo"
	check_own_netns || return
	ip netns exec "$NS" "$TCPDROP" -f "$fifo" >"$OUT" 2>"$OUT.stderr" &
	TCPDROP_PID=$!
	# Read and write: opening never blocks, even should tcpdrop fail before it opens its end.
	exec 7<>"$fifo"
	echo "$1" >&7
}

@test "-f: a slow pipe is acted on as its lines come, not at its end" {
	start_fixture ESTABLISHED ESTABLISHED
	local one two
	one=$(tuple_of 0 target)
	two=$(tuple_of 1 target)
	start_on_fifo "$one"
	# The writer keeps the pipe open: the line is acted on all the same.
	eventually 10 eval '! socket_exists "$one"' || { exec 7>&-; false; }
	# And the report of its batch is out before the next batch.
	[ "$(cat "$OUT")" = "$one: dropped" ]
	echo "$two" >&7
	exec 7>&-
	finish "$TCPDROP_PID"
	[ "$(cat "$OUT")" = "$one: dropped
$two: dropped" ]
	[ ! -s "$OUT.stderr" ]
}

@test "-f: SIGTERM while it waits for input: what was dropped is reported, the rest is not read, it dies of the signal" {
	start_fixture ESTABLISHED ESTABLISHED
	local one two status
	one=$(tuple_of 0 target)
	two=$(tuple_of 1 target)
	start_on_fifo "$one"
	eventually 10 test -s "$OUT" || { exec 7>&-; false; }
	kill -TERM "$TCPDROP_PID"
	finish "$TCPDROP_PID" && status=0 || status=$?
	exec 7>&-
	[ "$status" = 143 ]
	[ "$(cat "$OUT")" = "$one: dropped" ]
	[ "$(cat "$OUT.stderr")" = "tcpdrop: stopped by SIGTERM: line 2 of $BATS_TEST_TMPDIR/fifo and those after it were not dropped" ]
	socket_exists "$two"
}

@test "-f: SIGTERM in the middle of a long list: every drop made is reported, nothing else is" {
	start_pairs 3000
	local list=$BATS_TEST_TMPDIR/list fifo=$BATS_TEST_TMPDIR/fifo out=$BATS_TEST_TMPDIR/out pid status
	tcpdrop_in_ns -l -a >"$list"
	[ "$(wc -l <"$list")" = 6000 ]
	mkfifo "$fifo"
	check_own_netns
	ip netns exec "$NS" "$TCPDROP" -f "$list" >"$fifo" 2>"$out.stderr" &
	pid=$!
	python3 "$READER" "$fifo" "$pid" 15 "$out"
	finish "$pid" && status=0 || status=$?
	# It may have been done before the signal came; else it stopped cleanly.
	if [ "$status" != 0 ]; then
		[ "$status" = 143 ]
		[[ $(cat "$out.stderr") =~ ^"tcpdrop: stopped by SIGTERM: line "[0-9]+" of $list and those after it were not dropped"$ ]]
	fi
	gone_as_reported "$list" "$out"
}

@test "-a: SIGTERM while its reports fill a pipe: every drop made is reported, and it stops" {
	start_pairs 4000
	local list=$BATS_TEST_TMPDIR/list fifo=$BATS_TEST_TMPDIR/fifo out=$BATS_TEST_TMPDIR/out pid status
	tcpdrop_in_ns -l -a >"$list"
	mkfifo "$fifo"
	check_own_netns
	ip netns exec "$NS" "$TCPDROP" -a >"$fifo" 2>"$out.stderr" &
	pid=$!
	python3 "$READER" "$fifo" "$pid" 15 "$out"
	finish "$pid" && status=0 || status=$?
	[ "$status" = 143 ]
	[ "$(cat "$out.stderr")" = "tcpdrop: stopped by SIGTERM: connections that still matched were not dropped" ]
	gone_as_reported "$list" "$out"
	# It stopped: some connections are still there.
	[ "$(count_state ESTABLISHED)" -gt 0 ]
}

@test "-l -a: SIGTERM mid-listing: it stops and says the list is not complete" {
	start_pairs 4000
	local fifo=$BATS_TEST_TMPDIR/fifo out=$BATS_TEST_TMPDIR/out pid status
	mkfifo "$fifo"
	check_own_netns
	ip netns exec "$NS" "$TCPDROP" -l -a >"$fifo" 2>"$out.stderr" &
	pid=$!
	python3 "$READER" "$fifo" "$pid" 15 "$out"
	finish "$pid" && status=0 || status=$?
	[ "$status" = 143 ]
	[ "$(cat "$out.stderr")" = "tcpdrop: stopped by SIGTERM: the list is not complete" ]
	[ "$(wc -l <"$out")" -lt 8000 ]
	[ "$(count_state ESTABLISHED)" = 8000 ]
}

# Reports that cannot be written do not stop the drops: every connection
# is dropped, and the end says how many were and that reports were lost.
@test "-a with its reports to a full device: every connection is still dropped, and the end says so, exit 1" {
	start_pairs 1500
	# Each pair is dropped from one end, which resets the other.
	run --separate-stderr in_ns sh -c 'exec "$0" -a >/dev/full' "$TCPDROP"
	expect 1 "" "tcpdrop: standard output: No space left on device (1500 connections dropped, not every one reported)"
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
	[ "$stderr" = "tcpdrop: standard output: Broken pipe (2500 connections dropped, not every one reported)" ]
	[ "$(count_state ESTABLISHED)" = 0 ]
}

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

@test "the -f file's name and the -N name are shown escaped in every message" {
	local name=$BATS_TEST_TMPDIR/$'\e[31mlist'
	run --separate-stderr tcpdrop_in_ns -f "$name"
	expect 1 "" "tcpdrop: $BATS_TEST_TMPDIR/\\x1b[31mlist: No such file or directory"
	printf 'one\n' >"$name"
	run --separate-stderr tcpdrop_in_ns -f "$name"
	expect 1 "" "tcpdrop: $BATS_TEST_TMPDIR/\\x1b[31mlist:1: expected 2 or 4 operands, found 1"
	run --separate-stderr tcpdrop_in_ns -N $'\e]0;owned\a' -l -a
	expect 1 "" "tcpdrop: network namespace /run/netns/\\x1b]0;owned\\x07: No such file or directory"
	run --separate-stderr tcpdrop_in_ns -f - < <(printf 'tcpdrop -N \033[1m 127.0.0.1 1 127.0.0.1 2\n')
	expect 1 "" "tcpdrop: (stdin):1: network namespace \\x1b[1m: No such file or directory"
}

# Is process $1 blocked writing to its standard output?  Its wait channel
# says pipe_write where the kernel can tell (not 5.10 with the ORC
# unwinder: "0"); its system call says write(1, ...) everywhere.
blocked_writing() {
	local number fd write
	[[ $(cat "/proc/$1/wchan" 2>/dev/null) == *pipe_write ]] && return
	case $(uname -m) in
	x86_64) write=1 ;;
	aarch64) write=64 ;;
	*) return 1 ;;
	esac
	read -r number fd _ <"/proc/$1/syscall" 2>/dev/null && [ "$number" = "$write" ] &&
	    [ "$fd" = 0x1 ]
}

# Has process $1 taken signal $2: none pending, and back in its write?
signal_taken() {
	local pending
	pending=$(awk '/^(SigPnd|ShdPnd):/ { print $2 }' "/proc/$1/status" | tr '\n' ' ')
	[ "$pending" = "0000000000000000 0000000000000000 " ] && blocked_writing "$1"
}

@test "a run stuck writing to a pipe nobody reads dies of a second signal" {
	start_pairs 4000
	local fifo=$BATS_TEST_TMPDIR/fifo pid status
	mkfifo "$fifo"
	# Held open for reading and writing, and never read: writes block once it is full.
	exec 8<>"$fifo"
	check_own_netns
	ip netns exec "$NS" "$TCPDROP" -l -a >"$fifo" 2>"$BATS_TEST_TMPDIR/stderr" 3>&- &
	pid=$!
	MORE_PIDS="${MORE_PIDS:-} $pid"
	# Blocked in write(2) once 64 KiB wait in the pipe.
	eventually 10 blocked_writing "$pid"
	kill -TERM "$pid"
	# Two signals sent at once are one: the second must come after the first was taken.
	eventually 10 signal_taken "$pid" 15
	kill -TERM "$pid"
	finish "$pid" && status=0 || status=$?
	exec 8<&-
	[ "$status" = 143 ]
}
