/* From the operands of a single drop to the connection they name. */
#ifndef TCPDROP_TUPLE_H
#define TCPDROP_TUPLE_H

#include <stdbool.h>
#include <stddef.h>

#include "conn.h"
#include "endpoint.h"

/*
 * One connection as a user named it: the address pairs its names resolved
 * to.  It is dropped if any pair was.
 */
struct named_conn {
	const struct conn *pairs;
	size_t count;
};

/* Why operands name no connection. */
enum tuple_problem_kind {
	TUPLE_BAD_OPERAND,	/* not an address and port: a usage error on the command line */
	TUPLE_BAD_PORT,		/* see endpoint_port_valid() */
	TUPLE_BAD_HOST,		/* see endpoint_host_valid(), or an IPv6 literal that does not parse */
	TUPLE_BAD_DEVICE,	/* a scope ("%eth0") that names no device */
	TUPLE_OTHER_DEVICE,	/* the two addresses are scoped to different devices */
	TUPLE_UNRESOLVED,	/* getaddrinfo(3) failed */
	TUPLE_FAMILIES,		/* the names have no addresses of one family */
	TUPLE_OUT_OF_MEMORY,
};

struct tuple_problem {
	enum tuple_problem_kind kind;
	const char *operand;		/* TUPLE_BAD_OPERAND: the operand at fault */
	const struct endpoint *endpoint;	/* the endpoint at fault; the local one for FAMILIES */
	const struct endpoint *foreign;	/* TUPLE_FAMILIES */
	int resolver;			/* TUPLE_UNRESOLVED: EAI_* */
	int system_error;		/* TUPLE_UNRESOLVED with EAI_SYSTEM: errno */
};

/* The endpoints a named connection was written as, kept for its messages. */
struct tuple {
	struct endpoint local;
	struct endpoint foreign;
	struct named_conn named;	/* pairs malloc'd */
};

/*
 * Turn 2 or 4 operands into the connection they name.  Returns true, or
 * false with the problem described (which points into the tuple, valid
 * until tuple_free()).  Either way the caller calls tuple_free().
 */
bool tuple_name(char *const operands[], int count, struct tuple *tuple,
    struct tuple_problem *problem);
void tuple_free(struct tuple *tuple);

/*
 * The local and foreign endpoints written by 2 or 4 operands.  Returns -1,
 * or the index of the first malformed operand.
 */
int tuple_endpoints(char *const operands[], int count, struct endpoint *local,
    struct endpoint *foreign);

/*
 * An address may carry a scope, "fe80::1%eth0" or "10.0.0.1%2": the
 * device (by name or index) the connection is bound to.  Either address's
 * scope is the connection's.
 *
 * Every same-family pairing of the addresses both endpoints resolve to,
 * without repeats, in resolver order, as a malloc'd array (which may hold
 * no pair when the families differ).  Returns false with the problem
 * described if an endpoint names no address.
 */
bool tuple_resolve(const struct endpoint *local, const struct endpoint *foreign,
    struct conn **pairs, size_t *count, struct tuple_problem *problem);

/*
 * The device a scope ("eth0", "2") names, by name or by index; 0 if none.
 * An index from 1 to 2^31 - 1 is taken as it is, whether a device has it
 * or not: a connection outlives the device it was bound to.
 */
uint32_t tuple_device(const char *scope);

#endif
