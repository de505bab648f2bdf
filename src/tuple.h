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

/* The endpoints a named connection was written as, kept for its messages. */
struct tuple {
	struct endpoint local;
	struct endpoint foreign;
	struct named_conn named;	/* pairs malloc'd */
};

/*
 * Turn 2 or 4 operands into the connection they name.  Returns true, or
 * false with the problem described.  Either way the caller calls
 * tuple_free().
 */
bool tuple_name(char *const operands[], int count, struct tuple *tuple,
    struct operand_problem *problem);
void tuple_free(struct tuple *tuple);

/*
 * The local and foreign endpoints written by 2 or 4 operands.  Returns -1,
 * or the index of the first malformed operand.
 */
int tuple_endpoints(char *const operands[], int count, struct endpoint *local,
    struct endpoint *foreign);

/*
 * Every same-family pairing of the addresses both endpoints resolve to
 * (see endpoint_resolve(); either address's scope is the connection's),
 * without repeats, in resolver order, as a malloc'd array (which may hold
 * no pair when the families differ).  Returns false with the problem
 * described if an endpoint names no address.
 */
bool tuple_resolve(const struct endpoint *local, const struct endpoint *foreign,
    struct conn **pairs, size_t *count, struct operand_problem *problem);

#endif
