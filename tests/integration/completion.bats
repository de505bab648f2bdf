#!/usr/bin/env bats
# The bash completion (completion/tcpdrop.bash): options, state names, and
# what the running kernel and the system offer.

load helpers

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
