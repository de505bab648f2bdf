/*
 * The kernel's socket diagnostics (NETLINK_SOCK_DIAG) for TCP: look up one
 * connection, walk the connections that match a filter, destroy a batch.
 * One module (diag*.c) speaks netlink, behind this header.
 */
#ifndef TCPDROP_DIAG_H
#define TCPDROP_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conn.h"

struct nlmsghdr;
struct diag;

/*
 * A filter the kernel runs on each socket of a walk (inet_diag bytecode,
 * see bytecode.h); length 0 for none.
 */
struct diag_bytecode {
	const void *code;
	size_t length;
};

/* What a walk asks the kernel for. */
struct diag_filter {
	uint32_t states;	/* TCP_STATE_BIT() mask */
	bool want_ulp;	/* report the upper layer protocol (costs tcp_info) */
	bool want_algorithm;	/* report the congestion control algorithm */
	bool want_info;		/* report tcp_info (for idleness) */
	/*
	 * The filter, then one without the conditions an older kernel may not
	 * know: a kernel that refuses the first is asked with the second, then
	 * with none.  Whatever the kernel returns is checked again by the caller.
	 */
	struct diag_bytecode bytecode;
	struct diag_bytecode bytecode_basic;
};

/* What the kernel said of a socket beyond its identity; NULL or false when absent. */
struct diag_extra {
	const char *ulp;
	const char *algorithm;
	uint32_t uid;		/* the owner of the socket's file */
	uint32_t inode;		/* the socket's file; 0 if no process holds it */
	bool has_cgroup;
	uint64_t cgroup;	/* the cgroup v2 id the socket was created in */
	bool has_info;
	uint32_t last_data_sent_ms;	/* since data was last sent */
	uint32_t last_data_received_ms;	/* since data was last received */
};

/* Called for each socket a walk finds; a non-zero return stops the walk. */
typedef int (*diag_visit)(const struct conn *conn, const struct diag_extra *extra,
    void *context);

/* A netlink socket for socket diagnostics; NULL with errno set on failure. */
struct diag *diag_open(void);

/*
 * The same, opened with the process's CAP_NET_ADMIN in effect, if it has
 * it: its walks carry what the kernel shows only to the privileged, an
 * upper layer protocol's name on some kernels (6.1, 6.12), but also every
 * TCP-MD5 key, and a socket with too many ends such a walk early, silently.
 */
struct diag *diag_open_privileged(void);
void diag_close(struct diag *diag);

/*
 * Ask the kernel for the sockets with exactly these endpoints and devices,
 * many per system call (a long list over two sockets in two threads).
 * Sets answers[i] to 0 and fills found[i], or to a negative errno
 * (-ENOENT: no such socket).  Returns 0, or a negative errno
 * if the exchange with the kernel itself failed.  The kernel falls back to
 * a listener on the local port: callers check what they got.
 */
int diag_lookup(struct diag *diag, const struct conn *wanted, size_t count, struct conn *found,
    int *answers);

/*
 * Walk every IPv4 and IPv6 TCP socket in the filter's states.  Returns 0,
 * the visitor's non-zero return, or a negative errno.
 */
int diag_walk(struct diag *diag, const struct diag_filter *filter, diag_visit visit,
    void *context);

/*
 * Destroy connections by identity and cookie, many per system call; also
 * from a walk's visitor, through a second socket the walk does not hold.  Sets
 * answers[i] to 0 or a negative errno for each.  Returns 0, or a negative
 * errno if the exchange with the kernel itself failed.
 */
int diag_destroy(struct diag *diag, const struct conn *conns, size_t count, int *answers);

/*
 * Whether a walk's visitor can look up and destroy, through the socket's
 * destroyer, a second socket opened now if it is not yet: false (errno set)
 * where none can be opened, as when the process has no descriptor left.
 */
bool diag_destroyer_ready(struct diag *diag);

/*
 * Whether the kernel behind this socket was seen to answer a destroy of an
 * orphan with success and keep it (destroy.c), and telling it so.
 */
bool diag_keeps_orphans(const struct diag *diag);
void diag_saw_orphan_kept(struct diag *diag);

/*
 * Decode one inet_diag reply.  Returns false if the message is malformed.
 * Exposed for the tests, which replay recorded replies through it.
 */
bool diag_decode(const struct nlmsghdr *message, struct conn *conn, struct diag_extra *extra);

#endif
