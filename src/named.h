/* Dropping connections named by their addresses and ports. */
#ifndef TCPDROP_NAMED_H
#define TCPDROP_NAMED_H

#include <stdbool.h>
#include <stddef.h>

#include "conn.h"

struct diag;

/*
 * One connection as a user named it: the address pairs its names resolved
 * to.  It is dropped if any pair was.
 */
struct named {
	const struct conn *pairs;
	size_t count;
};

/*
 * Drop every named connection, with lookups and destroys batched many per
 * system call.  Reports each in order: the pairs dropped, or if none was,
 * why each pair could not be.  Returns true if every one was dropped.
 */
bool drop_named(struct diag *diag, const struct named *named, size_t count);

#endif
