/*
 * An index of connections by their endpoints: a hash table from endpoints
 * (IPv4 and its IPv4-mapped form alike) to numbers the caller chooses.
 * Several numbers may be stored under the same endpoints.
 */
#ifndef TCPDROP_CONNINDEX_H
#define TCPDROP_CONNINDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conn.h"

struct conn_index;

struct conn_index_cursor {
	uint64_t key;
	size_t slot;
};

struct conn_index *conn_index_new(size_t expected);
void conn_index_free(struct conn_index *index);

/* Store value under the connection's endpoints. */
void conn_index_add(struct conn_index *index, const struct conn *conn, size_t value);

/*
 * The values stored under a connection's endpoints, one per call of
 * conn_index_next() after conn_index_seek().  Different endpoints may
 * share a hash: callers compare the connections the values stand for.
 */
void conn_index_seek(const struct conn_index *index, const struct conn *conn,
    struct conn_index_cursor *cursor);
bool conn_index_next(const struct conn_index *index, struct conn_index_cursor *cursor,
    size_t *value);

#endif
