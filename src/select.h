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

struct diag_extra;
struct pattern;
struct prefix;

struct selection {
	uint32_t states;		/* TCP_STATE_BIT() mask, never LISTEN */
	const char *ulp;		/* -S, or NULL */
	const char *algorithm;		/* -C, or NULL */
	int family;			/* -4 (AF_INET), -6 (AF_INET6), or AF_UNSPEC */
	const struct pattern *pattern;	/* operands, or NULL */
	bool by_user;			/* -u */
	uint32_t uid;
	bool by_cgroup;			/* -c */
	const char *cgroup;		/* -c as given, for its messages */
	const uint64_t *cgroups;	/* a cgroup and those under it, sorted; NULL: every cgroup */
	size_t cgroup_count;
	const uint64_t *inodes;		/* -p: the sockets a process holds, sorted; NULL if none */
	size_t inode_count;
	bool by_idle;			/* -I */
	uint64_t idle_ms;
};

/* Does the address (of this family, as conn_on_wire() gives it) lie in the prefix? */
bool select_in_prefix(const struct prefix *prefix, int family, const uint8_t *address);

/* Does the connection, with what the kernel said of it, belong to the selection? */
bool select_match(const struct selection *selection, const struct conn *conn,
    const struct diag_extra *extra);

#endif
