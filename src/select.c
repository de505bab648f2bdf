/* The selection predicate, checked in user space on every socket a walk brings. */
#include "select.h"

#include "diag.h"
#include "ids.h"
#include "pattern.h"

#include <stdlib.h>
#include <string.h>

bool
select_in_prefix(const struct prefix *prefix, int family, const uint8_t *address)
{
	size_t whole = prefix->length / 8;
	unsigned bits = prefix->length % 8;

	if (prefix->family != family || memcmp(prefix->address, address, whole) != 0)
		return false;
	return bits == 0 ||
	    ((prefix->address[whole] ^ address[whole]) & (uint8_t)(0xff << (8 - bits))) == 0;
}

static bool
side_matches(const struct side *side, int family, const uint8_t *address, uint16_t port)
{
	bool in = side->prefix_count == 0;

	for (size_t i = 0; i < side->prefix_count && !in; i++)
		in = select_in_prefix(&side->prefixes[i], family, address);
	return in && port >= side->port_low && port <= side->port_high;
}

static bool
pattern_matches(const struct pattern *pattern, const struct conn *conn)
{
	const uint8_t *local, *foreign;
	int family = conn_on_wire(conn, &local, &foreign);

	return (pattern->ifindex == 0 || pattern->ifindex == conn->ifindex) &&
	    side_matches(&pattern->local, family, local, conn->local_port) &&
	    side_matches(&pattern->foreign, family, foreign, conn->foreign_port);
}

static bool
name_matches(const char *wanted, const char *actual)
{
	return wanted == NULL || (actual != NULL && strcmp(wanted, actual) == 0);
}

/*
 * A socket no process holds open (an orphan, a time-wait or a pending
 * request socket; inode 0) has no owner the kernel reports reliably: it
 * matches neither -u nor -p.  A time-wait or request socket has no cgroup
 * and no tcp_info either, so it matches neither -c nor -I; nor does a
 * connection in SYN_SENT match -I.
 */
bool
select_match(const struct selection *selection, const struct conn *conn,
    const struct diag_extra *extra)
{
	const uint8_t *local, *foreign;

	if (conn->state == TCP_STATE_LISTEN || (TCP_STATE_BIT(conn->state) & selection->states) == 0)
		return false;
	if (selection->family != 0 && conn_on_wire(conn, &local, &foreign) != selection->family)
		return false;
	if (selection->pattern != NULL && !pattern_matches(selection->pattern, conn))
		return false;
	if (!name_matches(selection->ulp, extra->ulp) ||
	    !name_matches(selection->algorithm, extra->algorithm))
		return false;
	if (selection->by_user && (extra->inode == 0 || extra->uid != selection->uid))
		return false;
	if (selection->inodes != NULL &&
	    (extra->inode == 0 || !ids_contain(selection->inodes, selection->inode_count, extra->inode)))
		return false;
	if (selection->by_cgroup && (!extra->has_cgroup || (selection->cgroups != NULL &&
	    !ids_contain(selection->cgroups, selection->cgroup_count, extra->cgroup))))
		return false;
	/* Before the handshake the kernel has started no idle clock: what it reports means nothing. */
	if (selection->by_idle && (!extra->has_info || conn->state == TCP_STATE_SYN_SENT ||
	    extra->last_data_sent_ms < selection->idle_ms ||
	    extra->last_data_received_ms < selection->idle_ms))
		return false;
	return true;
}
