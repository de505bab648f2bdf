#!/usr/bin/env bats
# Malformed command lines and -f lines, and names that would drive a
# terminal: each gets its exact message and exit status, escaped, and none
# crashes.  Run in a namespace of the test's own.

load helpers

LONG=$(head -c 5000 /dev/zero | tr '\0' a)
SHOWN_LONG="$(head -c 64 /dev/zero | tr '\0' a)..."
BAD_PORT="(a port is a number from 0 to 65535 or a service name)"

@test "hostile command lines: each refused with its exact message" {
	refused 1 "tcpdrop: not an address and port: ''
$USAGE" "" "" "" ""
	refused 1 "$USAGE" -
	refused 1 "tcpdrop: bad port: '-' $BAD_PORT" - - - -
	refused 1 "tcpdrop: unknown option -- z
$USAGE" -z
	refused 1 "tcpdrop: unknown option -- -
$USAGE" --all
	for option in s S C f N; do
		refused 1 "tcpdrop: option requires an argument -- $option
$USAGE" -$option
	done
	refused 1 "tcpdrop: empty name for -S
$USAGE" -S ""
	refused 1 "tcpdrop: empty name for -C
$USAGE" -C ""
	refused 1 "tcpdrop: bad address: '$SHOWN_LONG'" "$LONG" 80 127.0.0.1 80
	refused 1 "tcpdrop: bad port: '$SHOWN_LONG' $BAD_PORT" 127.0.0.1 "$LONG" 127.0.0.1 80
	refused 1 "tcpdrop: bad address: '$SHOWN_LONG'" "$LONG:80" 127.0.0.1:80
	refused 1 "tcpdrop: unknown state: $SHOWN_LONG
$USAGE" -s "$LONG"
	for port in -1 +1 65536 99999999999999999999 0x50 0X1bb; do
		refused 1 "tcpdrop: bad port: '$port' $BAD_PORT" 127.0.0.1 "$port" 127.0.0.1 80
	done
	refused 1 "tcpdrop: not an address and port: '[::1:80'
$USAGE" "[::1:80" "[::1]:81"
	refused 1 "tcpdrop: not an address and port: '::1]:80'
$USAGE" "::1]:80" "[::1]:81"
	refused 1 "tcpdrop: not an address and port: '[::1]'
$USAGE" "[::1]" "[::1]:81"
	refused 1 "tcpdrop: not an address and port: '[[::1]]:80'
$USAGE" "[[::1]]:80" "[::1]:81"
	refused 1 "tcpdrop: bad address: 'fe80::1%nosuchif' (no such device)" fe80::1%nosuchif 80 fe80::2 80
	# An index is taken as it is (its device may be deleted), if a device could have it.
	for index in 0 2147483648 99999999999; do
		refused 1 "tcpdrop: bad address: 'fe80::1%$index' (no such device)" fe80::1%$index 80 fe80::2 80
	done
	refused 1 "tcpdrop: fe80::1%2147483647 80 fe80::2 80: No such connection" fe80::1%2147483647 80 fe80::2 80
	refused 1 "tcpdrop: bad address: '::1::2'" ::1::2 80 ::1 80
	refused 1 "tcpdrop: not an address and port: ':80'
$USAGE" :80 127.0.0.1:80
	refused 1 "tcpdrop: not an address and port: '127.0.0.1:'
$USAGE" 127.0.0.1:80 127.0.0.1:
	refused 1 "tcpdrop: bad address: '\\xff\\xfe'" $'\xff\xfe' 80 127.0.0.1 80
	refused 1 "tcpdrop: bad address: 'a\\x09b'" $'a\tb' 80 127.0.0.1 80
	refused 1 "tcpdrop: bad port: '\\xc3\\xa9' $BAD_PORT" 127.0.0.1 $'\xc3\xa9' 127.0.0.1 80
	refused 1 "tcpdrop: unknown state: \\xff
$USAGE" -s $'\xff'
	refused 1 "tcpdrop: unknown option -- \\x1b
$USAGE" $'-\e'
	refused 1 "$USAGE" 127.0.0.1 80 127.0.0.1 81 82
	refused 1 "$USAGE" 127.0.0.1 80 127.0.0.1
}

@test "hostile -f lines: each told with its line number, none crashes" {
	local list=$BATS_TEST_TMPDIR/list
	{
		printf '\n'
		printf 'tcpdrop\n'
		printf '%s\n' "-"
		printf '%s 80 127.0.0.1 80\n' "$LONG"
		printf '127.0.0.1 65536 127.0.0.1 80\n'
		printf '127.0.0.1 0x50 127.0.0.1 80\n'
		printf '[::1:80 [::1]:81\n'
		printf 'fe80::1%%nosuchif 80 fe80::2 80\n'
		printf ':80 127.0.0.1:80\n'
		printf '\xff\xfe 80 127.0.0.1 80\n'
		printf '1 2 3 4 5\n'
		printf 'a\0b 80 127.0.0.1 80\n'
		printf '127.0.0.1 80 127.0.0.1\n'
		printf '\033[31m:80 127.0.0.1:80\n'
	} >"$list"
	run --separate-stderr tcpdrop_in_ns -f "$list"
	expect 1 "" "tcpdrop: $list:3: expected 2 or 4 operands, found 1
tcpdrop: $list:4: bad address: '$SHOWN_LONG'
tcpdrop: $list:5: bad port: '65536' $BAD_PORT
tcpdrop: $list:6: bad port: '0x50' $BAD_PORT
tcpdrop: $list:7: not an address and port: '[::1:80'
tcpdrop: $list:8: bad address: 'fe80::1%nosuchif' (no such device)
tcpdrop: $list:9: not an address and port: ':80'
tcpdrop: $list:10: bad address: '\\xff\\xfe'
tcpdrop: $list:11: expected 2 or 4 operands, found 5
tcpdrop: $list:12: a NUL byte in the line
tcpdrop: $list:13: expected 2 or 4 operands, found 3
tcpdrop: $list:14: not an address and port: '\\x1b[31m:80'"
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
