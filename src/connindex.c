/* Open addressing with linear probing; a key of 0 marks a free slot. */
#include "connindex.h"

#include "alloc.h"

#include <stdlib.h>

struct conn_index {
	uint64_t *keys;
	size_t *values;
	size_t size;		/* a power of two */
	size_t used;
};

/* A connection's endpoints, IPv4 as IPv4-mapped, hashed (FNV-1a); never 0. */
static uint64_t
endpoints_key(const struct conn *conn)
{
	uint64_t hash = UINT64_C(14695981039346656037);
	struct conn v6;

	if (!conn_to_v4mapped(conn, &v6))
		v6 = *conn;
	for (size_t i = 0; i < sizeof(v6.local); i++)
		hash = (hash ^ v6.local[i]) * UINT64_C(1099511628211);
	for (size_t i = 0; i < sizeof(v6.foreign); i++)
		hash = (hash ^ v6.foreign[i]) * UINT64_C(1099511628211);
	hash = (hash ^ v6.local_port) * UINT64_C(1099511628211);
	hash = (hash ^ v6.foreign_port) * UINT64_C(1099511628211);
	return hash != 0 ? hash : 1;
}

static void
allocate(struct conn_index *index, size_t size)
{
	index->keys = xcalloc(size, sizeof(*index->keys));
	index->values = xcalloc(size, sizeof(*index->values));
	index->size = size;
	index->used = 0;
}

struct conn_index *
conn_index_new(size_t expected)
{
	struct conn_index *index = xcalloc(1, sizeof(*index));
	size_t size = 64;

	while (size < 2 * expected)
		size *= 2;
	allocate(index, size);
	return index;
}

void
conn_index_free(struct conn_index *index)
{
	if (index != NULL) {
		free(index->keys);
		free(index->values);
	}
	free(index);
}

static void
put(struct conn_index *index, uint64_t key, size_t value)
{
	size_t slot = (size_t)key & (index->size - 1);

	while (index->keys[slot] != 0)
		slot = (slot + 1) & (index->size - 1);
	index->keys[slot] = key;
	index->values[slot] = value;
	index->used++;
}

/* Keep the table at most half full, so that probe chains stay short. */
static void
grow(struct conn_index *index)
{
	struct conn_index bigger;

	allocate(&bigger, 2 * index->size);
	for (size_t slot = 0; slot < index->size; slot++)
		if (index->keys[slot] != 0)
			put(&bigger, index->keys[slot], index->values[slot]);
	free(index->keys);
	free(index->values);
	*index = bigger;
}

void
conn_index_add(struct conn_index *index, const struct conn *conn, size_t value)
{
	if (2 * (index->used + 1) > index->size)
		grow(index);
	put(index, endpoints_key(conn), value);
}

void
conn_index_seek(const struct conn_index *index, const struct conn *conn,
    struct conn_index_cursor *cursor)
{
	cursor->key = endpoints_key(conn);
	cursor->slot = (size_t)cursor->key & (index->size - 1);
}

bool
conn_index_next(const struct conn_index *index, struct conn_index_cursor *cursor,
    size_t *value)
{
	while (index->keys[cursor->slot] != 0) {
		size_t slot = cursor->slot;

		cursor->slot = (cursor->slot + 1) & (index->size - 1);
		if (index->keys[slot] == cursor->key) {
			*value = index->values[slot];
			return true;
		}
	}
	return false;
}
