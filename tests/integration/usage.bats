#!/usr/bin/env bats
# What a user reads: -h and -V, and the manual page, clean under mandoc,
# whose synopsis the usage is, line for line.

load helpers

@test "-h prints the usage on stdout and exits 0" {
	run --separate-stderr "$TCPDROP" -h
	expect 0 "$USAGE" ""
}

@test "-V prints the version and exits 0" {
	run --separate-stderr "$TCPDROP" -V
	expect 0 "tcpdrop $(sed -n 's/^VERSION := //p' "$TOP/Makefile")" ""
}

@test "the man page is clean under mandoc -Tlint" {
	run mandoc -Tlint -W warning "$TOP/tcpdrop.8"
	expect 0 "" ""
}

@test "the usage is the manual page's synopsis, line for line" {
	local synopsis
	# Without the backspaces that make bold and underline.
	synopsis=$(mandoc -T ascii -O width=200 "$TOP/tcpdrop.8" | sed 's/.\x08//g' |
	    sed -n '/^SYNOPSIS$/,/^DESCRIPTION$/{/^     /p}' | sed 's/^ *//')
	[ -n "$synopsis" ]
	run --separate-stderr "$TCPDROP" -h
	[ "$status" = 0 ] && [ -z "$stderr" ]
	[ "$(sed 's/^usage: //; s/^ *//' <<<"$output")" = "$synopsis" ]
}
