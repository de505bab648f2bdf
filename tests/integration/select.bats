#!/usr/bin/env bats
# Selections beyond FreeBSD: operand patterns ('*', prefixes, port ranges),
# -4 and -6, owners (-u, -c, -p), idleness (-I), and -l -k cookies that -f
# holds to.  Real sockets in a namespace of the test's own; every drop is
# checked against a fresh dump, and listeners must still accept.

load helpers

GROUPS_FIXTURE=$TOP/tests/lib/groups.py

# Documentation addresses on the namespace's loopback, for peers to come from.
add_peer_addresses() {
	local address
	for address in 198.51.100.7 198.51.100.8 198.51.101.7; do
		in_ns ip addr add "$address/32" dev lo || return
	done
	in_ns ip addr add 2001:db8::7/128 dev lo nodad
}

# Run a command in the test's namespace without ip netns exec's own /sys
# (which hides the cgroup file systems), after the same checks as in_ns.
in_ns_with_mounts() {
	check_own_netns || return
	nsenter --net="/run/netns/$NS" "$@"
}

# Run a command in the test's namespace with no /proc (a mount namespace of its own, where it is unmounted).
in_ns_without_proc() {
	check_own_netns || return
	nsenter --net="/run/netns/$NS" unshare -m sh -c 'umount -l /proc && exec "$@"' sh "$@"
}

# Run a command in the test's namespace with no descriptor free but the three standard ones and one more.
# A sanitized build's leak check needs descriptors of its own at exit: it is off there.
in_ns_with_four_descriptors() {
	check_own_netns || return
	nsenter --net="/run/netns/$NS" bash -c '
	    for fd in /proc/self/fd/*; do
		fd=${fd##*/}
		[ "$fd" -gt 2 ] && eval "exec $fd>&-"
	    done
	    ulimit -n 4 && ASAN_OPTIONS=detect_leaks=0 exec "$@"' bash "$@"
}

# The output of the last run, sorted: a walk lists in the kernel's hash order.
sort_output() {
	output=$(sort <<<"$output")
}

# Start tests/lib/groups.py with GROUP specs; wait until every group is ready.
start_groups() {
	GROUPS_DIR=$BATS_TEST_TMPDIR/groups
	mkdir -p "$GROUPS_DIR"
	check_own_netns || return
	nsenter --net="/run/netns/$NS" /usr/bin/python3 "$GROUPS_FIXTURE" --out "$GROUPS_DIR" "$@" \
	    2>"$GROUPS_DIR/stderr" 3>&- &
	MORE_PIDS="${MORE_PIDS:-} $!"
	wait_for_file "$GROUPS_DIR/ready" "$!" "groups fixture" 30
}

# The tuples of a group's sockets, sorted; with a prefix (such as "tcpdrop "), each after it.
group_tuples() {
	sed -n "/^pid /!s/^/${2:-}/p" "$GROUPS_DIR/$1" | sort
}

group_pid() {
	sed -n 's/^pid //p' "$GROUPS_DIR/$1"
}

# The sorted "LADDR LPORT FADDR FPORT" of every socket in a fresh dump but listeners.
connections_now() {
	dump_sockets | sockets_where 'state != "LISTEN"' tuple | sort
}

# After a drop (run --separate-stderr) that should have taken the groups
# named in $1 and no other: status 0, nothing on stderr, every line a drop
# of one of their sockets (a socket whose peer was dropped first is gone
# without a line), and what is left is exactly the groups named in $2.
check_groups_dropped() {
	local dropped=$1 kept=$2 selected="" left="" name line
	for name in $dropped; do selected+="$(group_tuples "$name")"$'\n'; done
	for name in $kept; do left+="$(group_tuples "$name")"$'\n'; done
	[ "$status" = 0 ] && [ -z "$stderr" ] || { echo "status $status: $stderr" >&2; return 1; }
	[ -n "$output" ] || { echo "nothing dropped" >&2; return 1; }
	while IFS= read -r line; do
		grep -qxF "${line%: dropped}" <<<"$selected" && [ "${line%: dropped}" != "$line" ] ||
		    { echo "not a drop of the selection: $line" >&2; return 1; }
	done <<<"$output"
	[ "$(connections_now)" = "$(sed '/^$/d' <<<"$left" | sort)" ] ||
	    { echo "left: $(connections_now)" >&2; return 1; }
}

@test "a peer's every connection: '*' '*' ADDRESS '*' drops them and only them" {
	add_peer_addresses
	start_groups banned:port=8080,client=198.51.100.7,count=3 \
	    neighbour:port=8082,client=198.51.100.8 other:port=8081,client=198.51.101.7
	local before
	before=$(dump_sockets)
	run --separate-stderr tcpdrop_in_ns '*' '*' 198.51.100.7 '*'
	check_bulk_drop "$before" 'faddr == "198.51.100.7"'
	[ "$(wc -l <<<"$output")" = 3 ]
	# The peers' own sockets saw a reset; the rest is untouched; the listener accepts.
	[ "$(connections_now)" = "$(sort <(group_tuples neighbour) <(group_tuples other))" ]
	in_ns python3 "$TOP/tests/lib/connect.py" 127.0.0.1 8080
}

@test "a network: a prefix selects its addresses, and not the next network's" {
	add_peer_addresses
	start_groups a:port=8080,client=198.51.100.7 b:port=8081,client=198.51.100.8 \
	    c:port=8082,client=198.51.101.7
	local before
	before=$(dump_sockets)
	run --separate-stderr tcpdrop_in_ns '*' '*' 198.51.100.7/24 '*'
	check_bulk_drop "$before" 'faddr ~ /^198\.51\.100\./'
	[ "$(connections_now)" = "$(group_tuples c)" ]
}

@test "two operands: an IPv6 prefix in brackets, with a port, and '*' alone" {
	add_peer_addresses
	start_groups six:server=2001:db8::7,port=8443,client=::1 \
	    six_other:server=2001:db8::7,port=8444,client=::1 four:port=8443
	run --separate-stderr tcpdrop_in_ns -l '[2001:db8::/32]:8443' '*'
	sort_output
	expect 0 "$(grep '^2001:db8::7 8443 ' <(group_tuples six) | sed 's/^/tcpdrop /')" ""
	run --separate-stderr tcpdrop_in_ns -l '*' '[2001:db8::7/128]:8440-8449'
	sort_output
	expect 0 "$(grep ' 2001:db8::7 844[34]$' <(group_tuples six; group_tuples six_other) |
	    sed 's/^/tcpdrop /' | sort)" ""
}

@test "drain a port: -s ESTABLISHED '*' PORT '*' '*'; other ports and the listener stay" {
	start_groups db:port=5432,count=3 web:port=8080,count=2
	run --separate-stderr tcpdrop_in_ns -s ESTABLISHED '*' 5432 '*' '*'
	sort_output
	expect 0 "$(grep '^127.0.0.1 5432 ' <(group_tuples db) | sed 's/$/: dropped/')" ""
	[ "$(connections_now)" = "$(group_tuples web)" ]
	in_ns python3 "$TOP/tests/lib/connect.py" 127.0.0.1 5432
}

@test "a port range selects the ports in it, ends included" {
	start_groups low:port=7999 first:port=8000 last:port=8999 high:port=9000
	run --separate-stderr tcpdrop_in_ns -l '*' 8000-8999 '*' '*'
	sort_output
	expect 0 "$(grep -E '^127.0.0.1 (8000|8999) ' <(group_tuples first; group_tuples last) |
	    sed 's/^/tcpdrop /' | sort)" ""
	run --separate-stderr tcpdrop_in_ns '127.0.0.1:8000-8999' '*:*'
	[ "$status" = 0 ] && [ -z "$stderr" ] && [ "$(wc -l <<<"$output")" = 2 ]
	[ "$(connections_now)" = "$(sort <(group_tuples low) <(group_tuples high))" ]
}

@test "a pattern with -s: only the connections in that state" {
	start_fixture ESTABLISHED,port=8080 CLOSE_WAIT,port=8083 TIME_WAIT,port=8081 LISTEN,port=8082
	local before
	before=$(dump_sockets)
	run --separate-stderr tcpdrop_in_ns -s CLOSE_WAIT '*' '*' '*' '*'
	check_bulk_drop "$before" 'state == "CLOSE_WAIT"'
	before=$(dump_sockets)
	needs_time_wait_drops
	run --separate-stderr tcpdrop_in_ns -s TIME_WAIT '*' '*' '*' 8081
	check_bulk_drop "$before" 'state == "TIME_WAIT"'
}

@test "'*' '*' '*' '*' drops every connection and never a listener, which still accepts" {
	start_fixture ESTABLISHED LISTEN LISTEN,family=6 ESTABLISHED,family=6
	local before
	before=$(dump_sockets)
	run --separate-stderr tcpdrop_in_ns '*' '*' '*' '*'
	check_bulk_drop "$before" 'state != "LISTEN"'
	[ "$(connections_now)" = "" ]
	[ "$(count_state LISTEN)" = "$(sockets_where 'state == "LISTEN"' <<<"$before" | wc -l)" ]
	local port
	port=$(sockets_where 'state == "LISTEN" && laddr == "127.0.0.1"' lport <<<"$before" | head -1)
	in_ns python3 "$TOP/tests/lib/connect.py" 127.0.0.1 "$port"
}

@test "-4 and -6: an IPv4 connection that an IPv6 socket holds counts as IPv4" {
	start_fixture ESTABLISHED,port=8080 ESTABLISHED,family=6,port=8081 \
	    ESTABLISHED,family=mapped,port=8082
	local before four six
	before=$(dump_sockets)
	four=$(commands_where "$before" 'state != "LISTEN" && laddr !~ /:/')
	six=$(commands_where "$before" 'state != "LISTEN" && laddr ~ /:/')
	[ "$(wc -l <<<"$four")" = 4 ] && [ "$(wc -l <<<"$six")" = 2 ]
	run --separate-stderr tcpdrop_in_ns -l -4
	sort_output
	expect 0 "$four" ""
	run --separate-stderr tcpdrop_in_ns -l -6
	sort_output
	expect 0 "$six" ""
	run --separate-stderr tcpdrop_in_ns -6
	check_bulk_drop "$before" 'state != "LISTEN" && laddr ~ /:/'
}

@test "-u: the connections of one user, by name or number; root's stay" {
	start_groups nobody:port=8080,uid=65534,count=2 root:port=8081
	local user
	user=$(getent passwd 65534 | cut -d: -f1)
	[ -n "$user" ] || skip "no user has uid 65534 here"
	run --separate-stderr tcpdrop_in_ns -l -u "$user"
	sort_output
	expect 0 "$(group_tuples nobody 'tcpdrop ')" ""
	run --separate-stderr tcpdrop_in_ns -u 65534
	check_groups_dropped nobody root
}

# Is process $1 in another user namespace than this shell's?
in_other_userns() {
	[ "$(readlink "/proc/$1/ns/user")" != "$(readlink /proc/self/ns/user)" ]
}

# Run a command in the test's namespace and in a user namespace of its own
# that maps every user, as the initial one does (which unshare cannot make).
in_ns_mapping_every_user() {
	check_own_netns || return
	local gate=$BATS_TEST_TMPDIR/gate pid status=0
	mkfifo "$gate"
	nsenter --net="/run/netns/$NS" unshare -U sh -c 'read -r _ <"$0" && exec "$@"' "$gate" "$@" &
	pid=$!
	{ eventually 10 in_other_userns "$pid" && echo "0 0 4294967295" >"/proc/$pid/uid_map" &&
	    echo "0 0 4294967295" >"/proc/$pid/gid_map"; } || status=$?
	echo go >"$gate"
	wait "$pid" && return "$status"
}

@test "-u in a user namespace: the overflow uid, which every unmapped user shows as, is refused there alone" {
	local overflow user
	overflow=$(cat /proc/sys/kernel/overflowuid)
	user=$(getent passwd "$overflow" | cut -d: -f1)
	[ -n "$user" ] || skip "no user has the overflow uid $overflow here"
	unshare -r true 2>/dev/null || skip "no user namespace can be made here"
	start_groups overflow:port=8080,uid="$overflow" unmapped:port=8081,uid=1000 root:port=8082
	check_own_netns
	local refusal="uid $overflow is the overflow uid, which the kernel shows as the owner of every socket whose user this user namespace does not map: run tcpdrop in the initial user namespace"
	# unshare -r maps root alone: uid 1000's sockets show as the overflow uid there.
	run --separate-stderr nsenter --net="/run/netns/$NS" unshare -r "$TCPDROP" -l -u "$user"
	expect 1 "" "tcpdrop: user '$user': $refusal"
	run --separate-stderr unshare -rn "$TCPDROP" -l -u "$overflow"
	expect 1 "" "tcpdrop: user '$overflow': $refusal"
	run --separate-stderr nsenter --net="/run/netns/$NS" unshare -r "$TCPDROP" -l -u 0
	sort_output
	expect 0 "$(group_tuples root 'tcpdrop ')" ""
	# A user namespace that maps every user shows every owner as it is, as outside one.
	run --separate-stderr in_ns_mapping_every_user "$TCPDROP" -l -u "$user"
	sort_output
	expect 0 "$(group_tuples overflow 'tcpdrop ')" ""
	run --separate-stderr tcpdrop_in_ns -l -u "$user"
	sort_output
	expect 0 "$(group_tuples overflow 'tcpdrop ')" ""
	# Without /proc, whether the uid stands for every unmapped user cannot be told.
	skip_without_proc_if_sanitized
	run --separate-stderr in_ns_without_proc "$TCPDROP" -l -u "$overflow"
	expect 1 "" "tcpdrop: user '$overflow': cannot read /proc/self/uid_map, to tell whether uid $overflow stands for every user this user namespace does not map: No such file or directory"
}

@test "-p: the sockets a process holds, and no other's" {
	start_groups mine:port=8080,count=2 theirs:port=8081
	run --separate-stderr tcpdrop_in_ns -l -p "$(group_pid mine)"
	sort_output
	expect 0 "$(group_tuples mine 'tcpdrop ')" ""
	run --separate-stderr tcpdrop_in_ns -p "$(group_pid mine)"
	check_groups_dropped mine theirs
}

# Where cgroup2 is mounted, from mountinfo; empty if it is not.
cgroup2_mount() {
	awk '{ for (i = 7; i <= NF; i++) if ($i == "-") break; if ($(i + 1) == "cgroup2") { print $5; exit } }' \
	    /proc/self/mountinfo
}

# Make the cgroups $base and $base/child for this test under the cgroup2
# mount, $mount (the caller's locals), removed in teardown; skip where it cannot.
make_test_cgroups() {
	mount=$(cgroup2_mount)
	[ -n "$mount" ] || skip "no cgroup2 file system is mounted"
	base="tcpdrop-test-$$-$BATS_TEST_NUMBER"
	mkdir "$mount/$base" "$mount/$base/child" || skip "cannot make a cgroup under $mount"
	CGROUP_MADE="$mount/$base"
}

@test "-c: a cgroup's connections and those of the cgroups under it" {
	local mount base
	make_test_cgroups
	start_groups top:port=8080,cgroup="$mount/$base" child:port=8081,cgroup="$mount/$base/child" \
	    outside:port=8082
	run --separate-stderr in_ns_with_mounts "$TCPDROP" -l -c "$base/child"
	sort_output
	expect 0 "$(group_tuples child 'tcpdrop ')" ""
	run --separate-stderr in_ns_with_mounts "$TCPDROP" -l -c "/$base"
	sort_output
	expect 0 "$(sort <(group_tuples top 'tcpdrop ') <(group_tuples child 'tcpdrop '))" ""
	run --separate-stderr in_ns_with_mounts "$TCPDROP" -c "$base"
	check_groups_dropped "top child" outside
}

@test "-c: a socket whose cgroup was removed is under / alone, never under a parent path" {
	local mount base
	make_test_cgroups
	start_groups removed:port=8080,cgroup="$mount/$base/child" parent:port=8081,cgroup="$mount/$base"
	# Its process leaves; the cgroup, empty, can be removed while its sockets live on.
	echo "$(group_pid removed)" >"$mount/$base/cgroup.procs"
	rmdir "$mount/$base/child"
	run --separate-stderr in_ns_with_mounts "$TCPDROP" -l -c /
	sort_output
	expect 0 "$(sort <(group_tuples removed 'tcpdrop ') <(group_tuples parent 'tcpdrop '))" ""
	# The kernel still says the removed cgroup's id, which no directory under the parent has.
	run --separate-stderr in_ns_with_mounts "$TCPDROP" -l -c "$base"
	sort_output
	expect 0 "$(group_tuples parent 'tcpdrop ')" ""
	run --separate-stderr in_ns_with_mounts "$TCPDROP" -c "$base"
	check_groups_dropped parent removed
	run --separate-stderr in_ns_with_mounts "$TCPDROP" -c //
	check_groups_dropped removed ""
}

teardown() {
	remove_netns
	if [ -n "${CGROUP_MADE:-}" ]; then
		rmdir "$CGROUP_MADE/child" "$CGROUP_MADE" 2>/dev/null || true
	fi
}

# The least of lastsnd and lastrcv (ms) over the given tuples, from ss -ti.
least_idle_ms() {
	in_ns ss -Htni | awk -v want="$1" '
	BEGIN { n = split(want, t, "\n"); for (i = 1; i <= n; i++) keep[t[i]] = 1 }
	/^[^ \t]/ { split($4, l, ":"); split($5, f, ":"); current = l[1] " " l[2] " " f[1] " " f[2]; next }
	(current in keep) {
		s = r = -1
		for (i = 1; i <= NF; i++) {
			if ($i ~ /^lastsnd:/) s = substr($i, 9) + 0
			if ($i ~ /^lastrcv:/) r = substr($i, 9) + 0
		}
		if (s < 0 || r < 0) { print 0; exit }
		m = s < r ? s : r
		if (least == "" || m < least) least = m
	}
	END { print least + 0 }'
}

idle_for_at_least() {
	[ "$(least_idle_ms "$1")" -ge "$2" ]
}

@test "-I: connections idle both ways, even those that never carried data; busy ones stay" {
	start_groups quiet:port=8080,count=2 busy:port=8081,busy
	# Waits on the kernel's own clocks (ss), not on ours.
	eventually 30 idle_for_at_least "$(group_tuples quiet)" 2500
	run --separate-stderr tcpdrop_in_ns -l -I 2
	sort_output
	expect 0 "$(group_tuples quiet 'tcpdrop ')" ""
	run --separate-stderr tcpdrop_in_ns -I 2
	check_groups_dropped quiet busy
}

@test "-l -k: each line ends with the socket's cookie, and the plain -l does not" {
	start_fixture ESTABLISHED,port=8080
	local before
	before=$(dump_sockets)
	run --separate-stderr tcpdrop_in_ns -l -k '*' 8080 '*' '*'
	sort_output
	expect 0 "$(sockets_where 'lport == 8080 && state != "LISTEN"' \
	    '"tcpdrop " tuple " # cookie " cookie' <<<"$before" |
	    while read -r line; do printf '%s%d\n' "${line% *} " "0x${line##* }"; done | sort)" ""
	run --separate-stderr tcpdrop_in_ns -l '*' 8080 '*' '*'
	sort_output
	expect 0 "$(commands_where "$before" 'lport == 8080 && state != "LISTEN"')" ""
}

@test "-f with cookies drops what was reviewed; a newer connection on the same tuple is gone-not-dropped and stays" {
	start_fixture ESTABLISHED,port=8080,cport=40123
	local list=$BATS_TEST_TMPDIR/list after
	tcpdrop_in_ns -l -k '*' '*' '*' '*' >"$list"
	[ "$(wc -l <"$list")" = 2 ]
	# The reviewed connection ends; a new one takes its addresses and ports.
	tcpdrop_in_ns 127.0.0.1 8080 127.0.0.1 40123 >/dev/null
	kill "$FIXTURE_PID"; wait "$FIXTURE_PID" || true
	rm -f "$FIXTURE_DIR/sockets"
	start_fixture ESTABLISHED,port=8080,cport=40123
	after=$(dump_sockets)
	[ "$(commands_where "$after" 'state != "LISTEN"' | wc -l)" = 2 ]
	run --separate-stderr tcpdrop_in_ns -f "$list"
	expect 0 "$(sed 's/^tcpdrop //; s/ # cookie .*$/: gone/' "$list")" ""
	[ "$(dump_sockets)" = "$after" ]
	# Listed again, the new connection goes.
	tcpdrop_in_ns -l -k '*' '*' '*' '*' >"$list"
	run --separate-stderr tcpdrop_in_ns -f "$list"
	[ "$status" = 0 ] && [ -z "$stderr" ]
	grep -q ': dropped$' <<<"$output"
	[ "$(connections_now)" = "" ]
}

@test "-f with cookies: text after the cookie is a comment, and the newer connection still stays" {
	start_fixture ESTABLISHED,port=8080,cport=40123
	local list=$BATS_TEST_TMPDIR/list after
	tcpdrop_in_ns -l -k '*' '*' '*' '*' | sed 's/$/ reviewed by ann, cookie ok/' >"$list"
	[ "$(wc -l <"$list")" = 2 ]
	tcpdrop_in_ns 127.0.0.1 8080 127.0.0.1 40123 >/dev/null
	kill "$FIXTURE_PID"; wait "$FIXTURE_PID" || true
	rm -f "$FIXTURE_DIR/sockets"
	start_fixture ESTABLISHED,port=8080,cport=40123
	after=$(dump_sockets)
	run --separate-stderr tcpdrop_in_ns -f "$list"
	expect 0 "$(sed 's/^tcpdrop //; s/ # cookie .*$/: gone/' "$list")" ""
	[ "$(dump_sockets)" = "$after" ]
}

@test "-f: a comment that mentions a cookie but is not -l -k's refuses its line, and drops nothing by addresses" {
	start_fixture ESTABLISHED,port=8080
	local list=$BATS_TEST_TMPDIR/edited before one two cookie
	before=$(dump_sockets)
	one=$(tcpdrop_in_ns -l -k '*' 8080 '*' '*')
	two=$(tcpdrop_in_ns -l -k '*' '*' '*' 8080)
	cookie=${one##* }
	{
		echo "${one% # cookie *} # Cookie $cookie"
		echo "${two% # cookie *} # cookie: ${two##* }"
		echo "${one% # cookie *} # cookie 18446744073709551616"
		echo "${two% # cookie *} # cookie 18446744073709551615"
		echo "${one% # cookie *} # reviewed, cookie $cookie"
		echo "${two% # cookie *} # cookie 12x"
	} >"$list"
	run --separate-stderr tcpdrop_in_ns -f "$list"
	local why="-l -k ends a line with '# cookie N' (N a number below 18446744073709551615; text may follow it), and a line meant for one socket is not dropped by its addresses alone"
	expect 1 "" "tcpdrop: $list:1: bad cookie comment '# Cookie $cookie': $why
tcpdrop: $list:2: bad cookie comment '# cookie: ${two##* }': $why
tcpdrop: $list:3: bad cookie comment '# cookie 18446744073709551616': $why
tcpdrop: $list:4: bad cookie comment '# cookie 18446744073709551615': $why
tcpdrop: $list:5: bad cookie comment '# reviewed, cookie $cookie': $why
tcpdrop: $list:6: bad cookie comment '# cookie 12x': $why"
	[ "$(dump_sockets)" = "$before" ]
}

@test "bad patterns are refused, saying why, and nothing is dropped" {
	start_fixture ESTABLISHED
	local before
	before=$(dump_sockets)
	run --separate-stderr tcpdrop_in_ns '*' '*' 198.51.100.0/33 '*'
	expect 1 "" "tcpdrop: bad prefix: '198.51.100.0/33' (a numeric address, '/' and a length of at most 32 for IPv4, 128 for IPv6)"
	run --separate-stderr tcpdrop_in_ns '*' 9000-8000 '*' '*'
	expect 1 "" "tcpdrop: bad port range: '9000-8000' (the first port is above the last)"
	run --separate-stderr tcpdrop_in_ns '198.51.*.7' '*' '*' '*'
	expect 1 "" "tcpdrop: bad pattern: '198.51.*.7' ('*' stands alone, for any address or any port)"
	run --separate-stderr tcpdrop_in_ns '*' '80*' '*' '*'
	expect 1 "" "tcpdrop: bad pattern: '80*' ('*' stands alone, for any address or any port)"
	run --separate-stderr tcpdrop_in_ns '*' '70000' '*' '*'
	expect 1 "" "tcpdrop: bad port: '70000' (a port is a number from 0 to 65535, a range such as 8000-8999, '*' or a service name)"
	run --separate-stderr tcpdrop_in_ns 'example.invalid/8' '*' '*' '*'
	expect 1 "" "tcpdrop: bad prefix: 'example.invalid/8' (a numeric address, '/' and a length of at most 32 for IPv4, 128 for IPv6)"
	run --separate-stderr tcpdrop_in_ns '*' 'no-such-service-here' '*' '*'
	expect 1 "" "tcpdrop: unknown service: 'no-such-service-here'"
	run --separate-stderr tcpdrop_in_ns '*' '*' '10.0.0.1%no-such-device' '*'
	expect 1 "" "tcpdrop: bad address: '10.0.0.1%no-such-device' (no such device)"
	run --separate-stderr tcpdrop_in_ns '*' '*' '2001:db8::zz' '*'
	expect 1 "" "tcpdrop: bad address: '2001:db8::zz'"
	run --separate-stderr tcpdrop_in_ns '127.0.0.1%lo' '*' '::1%1' '*'
	expect 0 "" ""
	run --separate-stderr tcpdrop_in_ns '*'
	expect 1 "" "$USAGE"
	run --separate-stderr tcpdrop_in_ns -u root '*'
	expect 1 "" "$USAGE"
	run --separate-stderr tcpdrop_in_ns -f - <<<"tcpdrop '*' 443 '*' '*'"
	expect 1 "" "tcpdrop: (stdin):1: a pattern ('*', a prefix or a port range): -f takes connections, one per line; list them with tcpdrop -l"
	[ "$(dump_sockets)" = "$before" ]
}

@test "-c and -p without /proc or descriptors: what failed is told, not a system without cgroup2 or a missing process" {
	# The netlink socket takes the fourth descriptor; none is left for the table.
	run --separate-stderr in_ns_with_four_descriptors "$TCPDROP" -l -c system.slice
	expect 1 "" "tcpdrop: cgroup 'system.slice': cannot read /proc/self/mountinfo: Too many open files"
	skip_without_proc_if_sanitized
	run --separate-stderr in_ns_without_proc "$TCPDROP" -c /
	expect 1 "" "tcpdrop: cgroup '/': cannot read /proc/self/mountinfo: No such file or directory"
	run --separate-stderr in_ns_without_proc "$TCPDROP" -p 1
	expect 1 "" "tcpdrop: process 1: cannot read /proc/1/fd: no /proc is mounted"
}

@test "bad owners and numbers are refused, saying why" {
	run --separate-stderr tcpdrop_in_ns -u no-such-user-here
	expect 1 "" "tcpdrop: unknown user: 'no-such-user-here'"
	run --separate-stderr tcpdrop_in_ns -u 4294967295
	expect 1 "" "tcpdrop: unknown user: '4294967295'"
	run --separate-stderr tcpdrop_in_ns -I 1.5
	expect 1 "" "tcpdrop: bad number for -I: '1.5' (whole seconds, from 0 to 4294967)
$USAGE"
	run --separate-stderr tcpdrop_in_ns -p 0
	expect 1 "" "tcpdrop: bad number for -p: '0' (a process id)
$USAGE"
	run --separate-stderr tcpdrop_in_ns -k -a
	expect 1 "" "$USAGE"
	# A process that has ended: its pid is reaped, so it names no process.
	local gone
	sh -c 'exit 0' & gone=$!
	wait "$gone"
	if ! kill -0 "$gone" 2>/dev/null; then
		run --separate-stderr tcpdrop_in_ns -p "$gone"
		expect 1 "" "tcpdrop: process $gone: No such process"
	fi
	local mount
	mount=$(cgroup2_mount)
	if [ -n "$mount" ]; then
		run --separate-stderr in_ns_with_mounts "$TCPDROP" -c no-such-cgroup-here
		expect 1 "" "tcpdrop: cgroup 'no-such-cgroup-here' ($mount/no-such-cgroup-here): No such file or directory"
		run --separate-stderr in_ns_with_mounts "$TCPDROP" -c cgroup.procs
		expect 1 "" "tcpdrop: cgroup 'cgroup.procs' ($mount/cgroup.procs): not a cgroup v2 directory"
	fi
	# ip netns exec mounts a /sys of its own, without the cgroup file systems.
	run --separate-stderr tcpdrop_in_ns -c system.slice
	expect 1 "" "tcpdrop: cgroup 'system.slice': no cgroup2 file system is mounted here (ip netns exec mounts a /sys of its own: run tcpdrop -N instead)"
}
