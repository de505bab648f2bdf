#!/bin/sh
# SPIKE, not part of the build or the tests: builds drop and runs it in a
# network namespace of its own (it resets connections). Needs root, clang,
# bpftool and libbpf-dev. See docs/ENGINES.md.
set -eu
cd "$(dirname "$0")"
out=${OUT:-/tmp/tcpdrop-bpf-spike}
mkdir -p "$out"
bpftool btf dump file /sys/kernel/btf/vmlinux format c > "$out/vmlinux.h"
clang -g -O2 -target bpf -D__TARGET_ARCH_x86 -I"$out" \
	-c drop.bpf.c -o "$out/drop.bpf.o"
bpftool gen skeleton "$out/drop.bpf.o" name drop_bpf > "$out/drop.skel.h"
cc -O2 -g -Wall -Wextra -I"$out" drop.c -o "$out/drop" -lbpf
exec unshare -n sh -c 'ip link set lo up && "$0"' "$out/drop"
