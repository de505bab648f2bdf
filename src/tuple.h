/* From the operands of a single drop to the connections they can name. */
#ifndef TCPDROP_TUPLE_H
#define TCPDROP_TUPLE_H

#include <stdbool.h>
#include <stddef.h>

#include "conn.h"
#include "endpoint.h"

/*
 * The local and foreign endpoints written by 2 or 4 operands.  Returns -1,
 * or the index of the first malformed operand (a usage error).
 */
int tuple_endpoints(char *const operands[], int count, struct endpoint *local,
    struct endpoint *foreign);

/* Errors of tuple_resolve() beyond getaddrinfo's own (which are negative). */
enum {
	TUPLE_BAD_PORT = 1000,	/* see endpoint_port_valid() */
	TUPLE_BAD_HOST,		/* see endpoint_host_valid() */
	TUPLE_BAD_DEVICE,	/* a scope ("%eth0") that names no device */
	TUPLE_OTHER_DEVICE,	/* the two addresses are scoped to different devices */
};

/*
 * An address may carry a scope, "fe80::1%eth0" or "10.0.0.1%2": the
 * device (by name or index) the connection is bound to.  Either address's
 * scope is the connection's.
 *
 * Every same-family pairing of the addresses both endpoints resolve to,
 * without repeats, in resolver order.  Returns 0 and a malloc'd array (which
 * may hold no pair when the families differ), or a TUPLE_ or getaddrinfo
 * error code with *failed pointing to the endpoint at fault.
 */
int tuple_resolve(const struct endpoint *local, const struct endpoint *foreign,
    struct conn **pairs, size_t *count, const struct endpoint **failed);

#endif
