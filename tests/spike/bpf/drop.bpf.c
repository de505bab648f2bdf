// SPDX-License-Identifier: GPL-2.0
/*
 * SPIKE, not part of the build: an iter/tcp program that calls
 * bpf_sock_destroy() on the sockets whose cookies user space put in
 * "targets", and writes each result there. See docs/ENGINES.md.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

/* kfuncs may be called only from GPL-compatible programs. */
char LICENSE[] SEC("license") = "GPL";

#define AF_INET6		10
#define TCP_TIME_WAIT		6
#define TCP_NEW_SYN_RECV	12

/* Results beside the kfunc's own (0 or -errno). */
#define R_UNSEEN		1	/* set by user space: never visited */
#define R_OTHER_NETNS		2
#define R_NOT_FULL		3	/* time-wait or request socket */

const volatile __u32 netns_ino;
const volatile __u8 allow_nonfull;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, __s32);
} targets SEC(".maps");

/* Sockets visited, by state (+16 for AF_INET6): what the iterator walks. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 32);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

extern int bpf_sock_destroy(struct sock_common *sk) __ksym;

SEC("iter/tcp")
int
drop_by_cookie(struct bpf_iter__tcp *ctx)
{
	struct sock_common *skc = ctx->sk_common;
	__u32 state, slot;
	__u64 cookie, *n;
	__s32 *res;

	if (skc == NULL)
		return 0;
	state = skc->skc_state;
	slot = (state & 15) + (skc->skc_family == AF_INET6 ? 16 : 0);
	n = bpf_map_lookup_elem(&seen, &slot);
	if (n != NULL)
		__sync_fetch_and_add(n, 1);

	cookie = bpf_get_socket_cookie(skc);
	res = bpf_map_lookup_elem(&targets, &cookie);
	if (res == NULL)
		return 0;
	/* The iterator walks its creator's namespace only; make sure. */
	if (skc->skc_net.net->ns.inum != netns_ino) {
		*res = R_OTHER_NETNS;
		return 0;
	}
	if (!allow_nonfull &&
	    (state == TCP_TIME_WAIT || state == TCP_NEW_SYN_RECV)) {
		*res = R_NOT_FULL;
		return 0;
	}
	*res = bpf_sock_destroy(skc);
	return 0;
}
