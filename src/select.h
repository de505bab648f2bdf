/*
 * A selection: the one predicate that decides which connections a bulk
 * command acts on (-a, -s, -S, -C, -4, -6, -u, -c, -p, -I and operand
 * patterns).  The kernel filters by the parts it can (bytecode.h); every
 * connection it returns is checked again here before anything is done.
 */
#ifndef TCPDROP_SELECT_H
#define TCPDROP_SELECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conn.h"
#include "diag.h"

/* An address prefix: 198.51.100.0/24, 2001:db8::/32. */
struct prefix {
	uint8_t family;		/* AF_INET or AF_INET6 */
	uint8_t length;		/* in bits */
	uint8_t address[16];	/* bits past the length are zero */
};

/* One end of the connections a pattern selects. */
struct side {
	struct prefix *prefixes;	/* any of these; none: any address */
	size_t prefix_count;
	uint16_t port_low;		/* a range of ports; 0-65535 for any */
	uint16_t port_high;
};

/* What operands select: "*", prefixes, names, port ranges. */
struct pattern {
	struct side local;
	struct side foreign;
	uint32_t ifindex;	/* the device a scope names; 0: any */
};

struct selection {
	uint32_t states;		/* TCP_STATE_BIT() mask, never LISTEN */
	const char *stack;		/* -S, or NULL */
	const char *algorithm;		/* -C, or NULL */
	int family;			/* -4 (AF_INET), -6 (AF_INET6), or AF_UNSPEC */
	const struct pattern *pattern;	/* operands, or NULL */
	bool by_user;			/* -u */
	uint32_t uid;
	bool by_cgroup;			/* -c */
	const uint64_t *cgroups;	/* a cgroup and those under it, sorted; NULL: every cgroup */
	size_t cgroup_count;
	const uint64_t *inodes;		/* -p: the sockets a process holds, sorted; NULL if none */
	size_t inode_count;
	bool by_idle;			/* -I */
	uint64_t idle_ms;
};

/*
 * The family a connection has on the wire: AF_INET for an IPv4 connection
 * an IPv6 socket holds (v4-mapped), with its addresses at *local and
 * *foreign.
 */
int select_family(const struct conn *conn, const uint8_t **local, const uint8_t **foreign);

/* Does the address (of this family, as select_family() gives it) lie in the prefix? */
bool select_in_prefix(const struct prefix *prefix, int family, const uint8_t *address);

/* Does the connection, with what the kernel said of it, belong to the selection? */
bool select_match(const struct selection *selection, const struct conn *conn,
    const struct diag_extra *extra);

/* What a walk must ask the kernel for to decide select_match(). */
struct diag_filter select_filter(const struct selection *selection);

#endif
