#!/usr/bin/env bats
# Reading -f's lines, in little memory and promptly: a NUL byte, a line
# longer than any command, input that never ends a line, and a pipe that
# writes slowly.

load helpers

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
