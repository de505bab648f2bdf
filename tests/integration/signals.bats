#!/usr/bin/env bats
# SIGTERM in the middle of a run: what was dropped is reported, nothing
# else is, and it dies of the signal; a run stuck writing dies of a second.

load helpers

READER=$TOP/tests/lib/reader.py

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
