#!/usr/bin/env bats
# make install and uninstall, where the variables say.

load helpers

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
