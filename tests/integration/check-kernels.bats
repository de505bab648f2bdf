#!/usr/bin/env bats
# tests/kernels/check-kernels, the harness that boots Debian's kernels under
# qemu: its refusals, and what it does with a boot that dies before any test.

load helpers

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
