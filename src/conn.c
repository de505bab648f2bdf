/* Family-agnostic helpers for struct conn. */
#include "conn.h"

#include <string.h>

size_t
conn_address_length(int family)
{
	switch (family) {
	case AF_INET:
		return sizeof(struct in_addr);
	case AF_INET6:
		return sizeof(struct in6_addr);
	default:
		return 0;
	}
}

static bool
endpoint_from_sockaddr(const struct sockaddr *sa, uint8_t address[16], uint16_t *port,
    uint32_t *ifindex)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;

		memcpy(address, &sin->sin_addr, sizeof(sin->sin_addr));
		*port = ntohs(sin->sin_port);
		return true;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;

		memcpy(address, &sin6->sin6_addr, sizeof(sin6->sin6_addr));
		*port = ntohs(sin6->sin6_port);
		/* A scoped address ("fe80::1%eth0") names the device too. */
		if (sin6->sin6_scope_id != 0)
			*ifindex = sin6->sin6_scope_id;
		return true;
	}
	return false;
}

bool
conn_from_sockaddrs(struct conn *conn, const struct sockaddr *local,
    const struct sockaddr *foreign)
{
	memset(conn, 0, sizeof(*conn));
	if (local->sa_family != foreign->sa_family)
		return false;
	conn->family = (uint8_t)local->sa_family;
	conn->cookie = CONN_NO_COOKIE;
	return endpoint_from_sockaddr(local, conn->local, &conn->local_port, &conn->ifindex) &&
	    endpoint_from_sockaddr(foreign, conn->foreign, &conn->foreign_port, &conn->ifindex);
}

static void
map_v4(uint8_t address[16])
{
	uint8_t v4[4];

	memcpy(v4, address, sizeof(v4));
	memset(address, 0, 10);
	address[10] = 0xff;
	address[11] = 0xff;
	memcpy(address + 12, v4, sizeof(v4));
}

bool
conn_to_v4mapped(const struct conn *conn, struct conn *mapped)
{
	if (conn->family != AF_INET)
		return false;
	*mapped = *conn;
	mapped->family = AF_INET6;
	map_v4(mapped->local);
	map_v4(mapped->foreign);
	return true;
}

/* Both endpoints as IPv6 addresses, IPv4 ones mapped, for comparison. */
static void
as_v6(const struct conn *conn, struct conn *v6)
{
	if (!conn_to_v4mapped(conn, v6))
		*v6 = *conn;
}

int
conn_compare_endpoints(const struct conn *a, const struct conn *b)
{
	struct conn a6, b6;
	int order;

	as_v6(a, &a6);
	as_v6(b, &b6);
	order = memcmp(a6.local, b6.local, sizeof(a6.local));
	if (order == 0)
		order = memcmp(a6.foreign, b6.foreign, sizeof(a6.foreign));
	if (order == 0)
		order = (a6.local_port > b6.local_port) - (a6.local_port < b6.local_port);
	if (order == 0)
		order = (a6.foreign_port > b6.foreign_port) - (a6.foreign_port < b6.foreign_port);
	return order;
}

bool
conn_same_endpoints(const struct conn *a, const struct conn *b)
{
	if (conn_address_length(a->family) == 0 || conn_address_length(b->family) == 0)
		return false;
	return conn_compare_endpoints(a, b) == 0;
}

int
conn_on_wire(const struct conn *conn, const uint8_t **local, const uint8_t **foreign)
{
	if (conn->family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(conn->local) &&
	    IN6_IS_ADDR_V4MAPPED(conn->foreign)) {
		*local = conn->local + 12;
		*foreign = conn->foreign + 12;
		return AF_INET;
	}
	*local = conn->local;
	*foreign = conn->foreign;
	return conn->family;
}
