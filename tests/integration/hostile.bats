#!/usr/bin/env bats
# Hostile command lines and -f lines: each gets its exact message and exit
# status, and none crashes.  Run in a namespace of the test's own.

load helpers

LONG=$(head -c 5000 /dev/zero | tr '\0' a)
SHOWN_LONG="$(head -c 64 /dev/zero | tr '\0' a)..."
BAD_PORT="(a port is a number from 0 to 65535 or a service name)"

# hostile STATUS STDERR ARGS...: run tcpdrop with ARGS, expect STATUS, no
# stdout and exactly STDERR; a crash (a signal) is never an accepted status.
hostile() {
	local want_status=$1 want_stderr=$2
	shift 2
	run --separate-stderr tcpdrop_in_ns "$@"
	if [ "$status" -gt 125 ]; then
		echo "crashed with status $status: tcpdrop $*" >&2
		return 1
	fi
	expect "$want_status" "" "$want_stderr" || { echo "for: tcpdrop $*" >&2; return 1; }
}

@test "hostile command lines: each refused with its exact message" {
	hostile 1 "tcpdrop: not an address and port: ''
$USAGE" "" "" "" ""
	hostile 1 "$USAGE" -
	hostile 1 "tcpdrop: bad port: '-' $BAD_PORT" - - - -
	hostile 1 "tcpdrop: unknown option -- z
$USAGE" -z
	hostile 1 "tcpdrop: unknown option -- -
$USAGE" --all
	for option in s S C f N; do
		hostile 1 "tcpdrop: option requires an argument -- $option
$USAGE" -$option
	done
	hostile 1 "tcpdrop: empty name for -S
$USAGE" -S ""
	hostile 1 "tcpdrop: empty name for -C
$USAGE" -C ""
	hostile 1 "tcpdrop: bad address: '$SHOWN_LONG'" "$LONG" 80 127.0.0.1 80
	hostile 1 "tcpdrop: bad port: '$SHOWN_LONG' $BAD_PORT" 127.0.0.1 "$LONG" 127.0.0.1 80
	hostile 1 "tcpdrop: bad address: '$SHOWN_LONG'" "$LONG:80" 127.0.0.1:80
	hostile 1 "tcpdrop: unknown state: $SHOWN_LONG
$USAGE" -s "$LONG"
	for port in -1 +1 65536 99999999999999999999 0x50 0X1bb; do
		hostile 1 "tcpdrop: bad port: '$port' $BAD_PORT" 127.0.0.1 "$port" 127.0.0.1 80
	done
	hostile 1 "tcpdrop: not an address and port: '[::1:80'
$USAGE" "[::1:80" "[::1]:81"
	hostile 1 "tcpdrop: not an address and port: '::1]:80'
$USAGE" "::1]:80" "[::1]:81"
	hostile 1 "tcpdrop: not an address and port: '[::1]'
$USAGE" "[::1]" "[::1]:81"
	hostile 1 "tcpdrop: not an address and port: '[[::1]]:80'
$USAGE" "[[::1]]:80" "[::1]:81"
	hostile 1 "tcpdrop: bad address: 'fe80::1%nosuchif' (no such device)" fe80::1%nosuchif 80 fe80::2 80
	# An index is taken as it is (its device may be deleted), if a device could have it.
	for index in 0 2147483648 99999999999; do
		hostile 1 "tcpdrop: bad address: 'fe80::1%$index' (no such device)" fe80::1%$index 80 fe80::2 80
	done
	hostile 1 "tcpdrop: fe80::1%2147483647 80 fe80::2 80: No such connection" fe80::1%2147483647 80 fe80::2 80
	hostile 1 "tcpdrop: bad address: '::1::2'" ::1::2 80 ::1 80
	hostile 1 "tcpdrop: not an address and port: ':80'
$USAGE" :80 127.0.0.1:80
	hostile 1 "tcpdrop: not an address and port: '127.0.0.1:'
$USAGE" 127.0.0.1:80 127.0.0.1:
	hostile 1 "tcpdrop: bad address: '\\xff\\xfe'" $'\xff\xfe' 80 127.0.0.1 80
	hostile 1 "tcpdrop: bad address: 'a\\x09b'" $'a\tb' 80 127.0.0.1 80
	hostile 1 "tcpdrop: bad port: '\\xc3\\xa9' $BAD_PORT" 127.0.0.1 $'\xc3\xa9' 127.0.0.1 80
	hostile 1 "tcpdrop: unknown state: \\xff
$USAGE" -s $'\xff'
	hostile 1 "tcpdrop: unknown option -- \\x1b
$USAGE" $'-\e'
	hostile 1 "$USAGE" 127.0.0.1 80 127.0.0.1 81 82
	hostile 1 "$USAGE" 127.0.0.1 80 127.0.0.1
}

@test "names for -S and -C that no name can be are usage errors; nothing dropped" {
	start_fixture ESTABLISHED $(mptcp_if_any)
	local before shown
	before=$(dump_sockets)
	for name in "$LONG" $'\xff\xfe' "mptcp " "reno;rm" "*" "sixteen-letters!" \
	    "abcdefghijklmnop"; do
		case $name in
		"$LONG") shown=$SHOWN_LONG ;;
		$'\xff\xfe') shown='\xff\xfe' ;;
		*) shown=$name ;;
		esac
		for option in S C; do
			hostile 1 "tcpdrop: bad name for -$option: '$shown' (a name is at most 15 letters, digits, '_', '-' or '.')
$USAGE" -$option "$name"
		done
	done
	[ "$(dump_sockets)" = "$before" ]
}

@test "well-formed names the kernel does not offer: a warning naming what it offers, exit 0, nothing dropped" {
	[ -r /proc/sys/net/ipv4/tcp_available_ulp ] || skip "no /proc/sys/net/ipv4/tcp_available_ulp here"
	start_fixture ESTABLISHED $(mptcp_if_any)
	local before ulps ccs
	before=$(dump_sockets)
	ulps=$(cat /proc/sys/net/ipv4/tcp_available_ulp)
	# A kernel that offers none (5.10 without MPTCP) writes nothing.
	local offers="(it offers: $ulps)"
	[ -n "$ulps" ] || offers="(it offers none)"
	ccs=$(cat /proc/sys/net/ipv4/tcp_available_congestion_control)
	# Run from here, told -N the test's namespace: the kernel lists its
	# upper layer protocols only in the first namespace.
	for command in "-S mtpcp" "-l -S mtpcp" "-S MPTCP -s ESTABLISHED"; do
		run --separate-stderr "$TCPDROP" -N "$NS" $command
		set -- $command
		[ "$1" = -l ] && shift
		expect 0 "" "tcpdrop: -S $2: this kernel offers no such upper layer protocol $offers"
	done
	for command in "-C renno" "-l -C RENO"; do
		run --separate-stderr tcpdrop_in_ns $command
		set -- $command
		[ "$1" = -l ] && shift
		expect 0 "" "tcpdrop: -C $2: this kernel offers no such congestion control algorithm (it offers: $ccs)"
	done
	[ "$(dump_sockets)" = "$before" ]
}

NOT_OFFERED_HERE="(a TCP socket refuses it; the kernel lists those it offers only in its first network namespace)"

@test "-S in a namespace that lists no upper layer protocols: a socket is asked, a name it refuses is warned of, and no module is loaded" {
	in_ns test ! -e /proc/sys/net/ipv4/tcp_available_ulp ||
	    skip "this kernel lists upper layer protocols in every network namespace"
	start_fixture ESTABLISHED
	local before offered
	before=$(dump_sockets)
	for command in "-S mtpcp" "-l -S mtpcp" "-S MPTCP -s ESTABLISHED"; do
		run --separate-stderr tcpdrop_in_ns $command
		set -- $command
		[ "$1" = -l ] && shift
		expect 0 "" "tcpdrop: -S $2: this kernel offers no such upper layer protocol $NOT_OFFERED_HERE"
	done
	[ "$(dump_sockets)" = "$before" ]
	# What the kernel offers, as the first namespace lists it, is no typo.
	offered=$(awk '{ print $1 }' /proc/sys/net/ipv4/tcp_available_ulp 2>/dev/null)
	if [ -n "$offered" ]; then
		run --separate-stderr tcpdrop_in_ns -l -S "$offered"
		expect 0 "" ""
	fi
	# The socket is asked with CAP_NET_ADMIN out of effect, with which the
	# kernel would load a module "tcp-ulp-NAME" first.
	run --separate-stderr in_ns env ASAN_OPTIONS=detect_leaks=0 strace -qq \
	    -e trace=capset,setsockopt -o "$BATS_TEST_TMPDIR/strace" "$TCPDROP" -l -S mtpcp
	expect 0 "" "tcpdrop: -S mtpcp: this kernel offers no such upper layer protocol $NOT_OFFERED_HERE"
	awk '/TCP_ULP, "mtpcp"/ { asked = NR; lowered = previous !~ /effective=[^ ]*CAP_NET_ADMIN/ }
	    { previous = $0 }
	    asked && NR == asked + 1 { back = /^capset/ && /effective=[^ ]*CAP_NET_ADMIN/ }
	    END { exit !(asked && lowered && back) }' "$BATS_TEST_TMPDIR/strace"
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
