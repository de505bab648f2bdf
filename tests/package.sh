#!/usr/bin/env bash
# Build the Debian package from a clean copy of the tree, install it, run the
# installed tcpdrop (-l -a only lists: it drops nothing) and its manual page,
# then remove it.  Needs root, dpkg-dev, debhelper and man-db.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir "$work/tcpdrop"
# A plain copy of the tree (it may be a release tarball, with no git), less
# what a build leaves behind.
(cd "$top" && tar --exclude=./.git -cf - .) | tar -xf - -C "$work/tcpdrop"
make -s -C "$work/tcpdrop" clean >/dev/null
(cd "$work/tcpdrop" && dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1 ||
	{ cat "$work/build.log"; echo "package: dpkg-buildpackage failed" >&2; exit 1; }
deb=$(ls "$work"/tcpdrop_*.deb)
echo "package: built $(basename "$deb")"
dpkg-deb -c "$deb" | awk '{ print $NF }' | grep -E 'sbin/tcpdrop$|man8/tcpdrop.8.gz$|completions/tcpdrop$' |
	sort >"$work/contents"
[ "$(wc -l <"$work/contents")" = 3 ] || { echo "package: contents incomplete:" >&2; cat "$work/contents" >&2; exit 1; }
apt-get install -y "$deb" >"$work/install.log" 2>&1 ||
	{ cat "$work/install.log"; echo "package: install failed" >&2; exit 1; }
trap 'apt-get purge -y tcpdrop >/dev/null 2>&1; rm -rf "$work"' EXIT
echo "package: installed $(command -v tcpdrop): $(tcpdrop -V)"
[ "$(command -v tcpdrop)" = /usr/sbin/tcpdrop ]
tcpdrop -l -a >"$work/list"
echo "package: tcpdrop -l -a listed $(wc -l <"$work/list") connections, exit 0"
MANPAGER=cat MANWIDTH=80 man tcpdrop >"$work/man" 2>/dev/null
grep -q 'drop TCP connections' "$work/man"
echo "package: man tcpdrop shows $(wc -l <"$work/man") lines"
echo "package: ok"
