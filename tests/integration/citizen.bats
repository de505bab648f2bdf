#!/usr/bin/env bats
# tcpdrop as a citizen of the system: -h, -V, -N, output errors, completion, install.

load helpers

@test "-h prints the usage on stdout and exits 0" {
	run --separate-stderr "$TCPDROP" -h
	expect 0 "$USAGE" ""
}

@test "-V prints the version and exits 0" {
	run --separate-stderr "$TCPDROP" -V
	expect 0 "tcpdrop $(sed -n 's/^VERSION := //p' "$TOP/Makefile")" ""
}

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

# Completion, with the candidates it offers for the word at the cursor.
complete_words() {
	source "$TOP/completion/tcpdrop.bash"
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	_tcpdrop
	printf '%s\n' "${COMPREPLY[@]}"
}

@test "completion: options" {
	run complete_words tcpdrop -
	[ "$output" = "$(printf '%s\n' -4 -6 -a -C -c -f -h -I -k -l -N -p -S -s -u -V)" ]
}

@test "completion: the nine state names after -s" {
	run complete_words tcpdrop -s ""
	[ "$(wc -l <<<"$output")" = 9 ]
	run complete_words tcpdrop -s FIN
	[ "$output" = "$(printf '%s\n' FIN_WAIT_1 FIN_WAIT_2)" ]
}

@test "completion: stacks and algorithms the running kernel offers" {
	local proc=$BATS_TEST_TMPDIR/proc
	mkdir -p "$proc"
	echo "mptcp tls" >"$proc/tcp_available_ulp"
	echo "reno cubic bbr" >"$proc/tcp_available_congestion_control"
	TCPDROP_COMPLETION_PROC=$proc run complete_words tcpdrop -S ""
	[ "$output" = "$(printf '%s\n' mptcp tls)" ]
	TCPDROP_COMPLETION_PROC=$proc run complete_words tcpdrop -C c
	[ "$output" = cubic ]
	# And by default, from /proc itself.
	run complete_words tcpdrop -C ""
	[ "$output" = "$(tr ' ' '\n' </proc/sys/net/ipv4/tcp_available_congestion_control)" ]
}

@test "completion: network namespaces after -N" {
	run complete_words tcpdrop -N "tcpdrop-test-$$-"
	grep -qxF "$NS" <<<"$output"
}

@test "make install and uninstall honour DESTDIR, PREFIX, SBINDIR and MANDIR" {
	local root=$BATS_TEST_TMPDIR/root
	make -C "$TOP" -s install DESTDIR="$root" PREFIX=/usr
	[ -x "$root/usr/sbin/tcpdrop" ]
	[ -f "$root/usr/share/man/man8/tcpdrop.8" ]
	[ -f "$root/usr/share/bash-completion/completions/tcpdrop" ]
	run --separate-stderr "$root/usr/sbin/tcpdrop" -V
	[ "$status" = 0 ]
	make -C "$TOP" -s uninstall DESTDIR="$root" PREFIX=/usr
	[ ! -e "$root/usr/sbin/tcpdrop" ]
	[ ! -e "$root/usr/share/man/man8/tcpdrop.8" ]
	make -C "$TOP" -s install DESTDIR="$root" SBINDIR=/sbin MANDIR=/man
	[ -x "$root/sbin/tcpdrop" ]
	[ -f "$root/man/man8/tcpdrop.8" ]
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

@test "check-kernels refuses a bad -T and an unprivileged user before it fetches or boots anything" {
	run --separate-stderr "$TOP/tests/kernels/check-kernels" -T soon
	expect 2 "" "check-kernels: -T takes whole minutes"
	copy_for_nobody "$TOP/tests/kernels"
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	    bash "$COPY/check-kernels" -s bookworm
	expect 2 "" "check-kernels: run it as root: debootstrap makes the root file system"
}

# check-kernels against a fake cache, fake apt and a fake qemu whose first
# $1 boots die as a kernel that panics while booting does (a console, no
# test run, qemu exits 0); the boot after that runs "the tests": one passes.
check_kernels_with_panics() {
	[ "$(id -u)" = 0 ] || skip "check-kernels runs as root"
	local fake=$BATS_TEST_TMPDIR/fake tool
	mkdir -p "$fake/bin" "$fake/cache/kernels/9.9-fake"
	for tool in debootstrap mke2fs busybox depmod modprobe dpkg-deb apt-get; do
		printf '#!/bin/sh\nexit 0\n' >"$fake/bin/$tool"
	done
	printf '#!/bin/sh\necho "  Depends: linux-image-9.9-fake"\n' >"$fake/bin/apt-cache"
	cat >"$fake/bin/qemu-system-x86_64" <<'QEMU'
#!/bin/bash
for a in "$@"; do
	case $a in
	file:*) console=${a#file:} ;;
	*mount_tag=results*) results=${a#local,path=}; results=${results%%,*} ;;
	esac
done
echo boot >>"$FAKE_BOOTS"
if [ "$(wc -l <"$FAKE_BOOTS")" -le "$FAKE_PANICS" ]; then
	echo "Kernel panic - not syncing: Fatal exception in interrupt" >"$console"
	exit 0
fi
echo 9.9-fake >"$results/uname"
printf '1..1\nok 1 fake\n1 passed, 0 failed\n' >"$results/tests.tap"
echo 0 >"$results/status"
QEMU
	chmod +x "$fake/bin"/*
	echo fake >"$fake/cache/root.img"
	echo fake >"$fake/cache/kernels/9.9-fake/initrd"
	touch -d tomorrow "$fake/cache/root.img"
	run --separate-stderr env PATH="$fake/bin:$PATH" KERNELS_CACHE="$fake/cache" \
	    FAKE_BOOTS="$fake/boots" FAKE_PANICS="$1" MIRROR=http://mirror.invalid/debian \
	    "$TOP/tests/kernels/check-kernels" -s bookworm -t unit -o "$fake/results"
}

@test "check-kernels boots again a kernel that died before any test ran, and says so" {
	check_kernels_with_panics 2
	local boots=$BATS_TEST_TMPDIR/fake/results/bookworm
	expect 0 "kernel matrix (unit):
bookworm  9.9-fake                 1 passed, 0 failed" "check-kernels: bookworm: booting 9.9-fake under qemu (TCG) to run: unit
check-kernels: bookworm: boot 1 of 3 ended before any test ran ($boots.boot1.console):
Kernel panic - not syncing: Fatal exception in interrupt
check-kernels: bookworm: booting 9.9-fake under qemu (TCG) to run: unit
check-kernels: bookworm: boot 2 of 3 ended before any test ran ($boots.boot2.console):
Kernel panic - not syncing: Fatal exception in interrupt
check-kernels: bookworm: booting 9.9-fake under qemu (TCG) to run: unit"
}

@test "check-kernels gives up on a kernel after three boots without a test, and fails" {
	check_kernels_with_panics 3
	[ "$status" = 1 ]
	[ "$output" = "kernel matrix (unit):
bookworm  9.9-fake                 no result" ]
	[ "$(grep -c 'ended before any test ran' <<<"$stderr")" = 2 ]
	[ "$(tail -2 <<<"$stderr")" = "check-kernels: bookworm: the tests did not pass (status none); the last of the console:
Kernel panic - not syncing: Fatal exception in interrupt" ]
	[ "$(wc -l <"$BATS_TEST_TMPDIR/fake/boots")" = 3 ]
}
