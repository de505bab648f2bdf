/* Dropping connections named by their addresses and ports. */
#ifndef TCPDROP_NAMED_H
#define TCPDROP_NAMED_H

#include <stdbool.h>
#include <stddef.h>

#include "conn.h"
#include "run.h"
#include "tuple.h"

/*
 * The connections whose other end this run dropped.  Both ends of a
 * connection on this host may be named (as -l lists them); the second is
 * gone with the first, which is no failure even when the two are dropped
 * in different batches.
 */
struct dropped_peers;

struct dropped_peers *dropped_peers_new(void);
void dropped_peers_free(struct dropped_peers *peers);

/*
 * Drop every named connection, with lookups and destroys batched many per
 * system call.  Reports each in order: the pairs dropped, or if none was,
 * why each pair could not be.  Returns true if every one was dropped.
 * Peers may be NULL; else it remembers across calls what was dropped.
 * A name without a device that matches connections on several is
 * refused, and the commands naming each are suggested, with the run's -N.
 */
bool drop_named(const struct run *run, const struct named_conn *named, size_t count,
    struct dropped_peers *peers);

#endif
