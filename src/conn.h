/*
 * A TCP connection as the kernel names it: two endpoints, a state and a
 * cookie.  IPv4 addresses live in the first four bytes of the address
 * arrays, so one code path serves both families.
 */
#ifndef TCPDROP_CONN_H
#define TCPDROP_CONN_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* Linux TCP states (include/net/tcp_states.h); the uapi does not export them. */
enum tcp_state {
	TCP_STATE_ESTABLISHED = 1,
	TCP_STATE_SYN_SENT = 2,
	TCP_STATE_SYN_RECV = 3,
	TCP_STATE_FIN_WAIT1 = 4,
	TCP_STATE_FIN_WAIT2 = 5,
	TCP_STATE_TIME_WAIT = 6,
	TCP_STATE_CLOSE = 7,
	TCP_STATE_CLOSE_WAIT = 8,
	TCP_STATE_LAST_ACK = 9,
	TCP_STATE_LISTEN = 10,
	TCP_STATE_CLOSING = 11,
	TCP_STATE_NEW_SYN_RECV = 12,
};

#define TCP_STATE_BIT(s) (UINT32_C(1) << (s))

/* Every state a connection can be in; listening and closed sockets are not connections. */
#define TCP_CONNECTION_STATES \
	(TCP_STATE_BIT(TCP_STATE_ESTABLISHED) | TCP_STATE_BIT(TCP_STATE_SYN_SENT) | \
	 TCP_STATE_BIT(TCP_STATE_SYN_RECV) | TCP_STATE_BIT(TCP_STATE_FIN_WAIT1) | \
	 TCP_STATE_BIT(TCP_STATE_FIN_WAIT2) | TCP_STATE_BIT(TCP_STATE_TIME_WAIT) | \
	 TCP_STATE_BIT(TCP_STATE_CLOSE_WAIT) | TCP_STATE_BIT(TCP_STATE_LAST_ACK) | \
	 TCP_STATE_BIT(TCP_STATE_CLOSING) | TCP_STATE_BIT(TCP_STATE_NEW_SYN_RECV))

/* The kernel's cookie for a socket that has none yet. */
#define CONN_NO_COOKIE UINT64_MAX

struct conn {
	uint8_t local[16];	/* network byte order */
	uint8_t foreign[16];
	uint16_t local_port;	/* host byte order */
	uint16_t foreign_port;
	uint8_t family;		/* AF_INET or AF_INET6 */
	uint8_t state;		/* enum tcp_state */
	bool time_wait_socket;	/* a kernel time-wait mini socket (TIME_WAIT, or FIN_WAIT_2 orphaned) */
	bool orphan;		/* no file: orphaned, not yet accepted, or a request */
	uint32_t ifindex;	/* device the socket is bound to, 0 if none */
	uint64_t cookie;
};

/* Length of an address of this family in bytes (4 or 16), 0 if unknown. */
size_t conn_address_length(int family);

/* Fill the endpoints of a connection from two socket addresses of one family. */
bool conn_from_sockaddrs(struct conn *conn, const struct sockaddr *local,
    const struct sockaddr *foreign);

/*
 * The family a connection has on the wire, with its addresses at *local
 * and *foreign: an IPv6 socket's connection whose ends are both
 * IPv4-mapped is the IPv4 connection it carries (AF_INET, the addresses'
 * last four bytes).  This is the one place that rule is made: selections
 * match, and messages and listings spell, what this gives.
 */
int conn_on_wire(const struct conn *conn, const uint8_t **local, const uint8_t **foreign);

/* The same connection seen through IPv4-mapped IPv6 addresses, if it is IPv4. */
bool conn_to_v4mapped(const struct conn *conn, struct conn *mapped);

/*
 * Do both name the same endpoints (addresses and ports)?  An IPv4 address
 * and its IPv4-mapped IPv6 form count as the same.
 */
bool conn_same_endpoints(const struct conn *a, const struct conn *b);

/* A total order on endpoints in which those conn_same_endpoints() equates are equal. */
int conn_compare_endpoints(const struct conn *a, const struct conn *b);

#endif
