#!/usr/bin/env bats
# -S and -C names: those no name can be are usage errors; those the kernel
# does not offer are warned of, with what it offers; nothing is dropped.

load helpers

LONG=$(head -c 5000 /dev/zero | tr '\0' a)
SHOWN_LONG="$(head -c 64 /dev/zero | tr '\0' a)..."

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
			refused 1 "tcpdrop: bad name for -$option: '$shown' (a name is at most 15 letters, digits, '_', '-' or '.')
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
