/*
 * A set of 64-bit ids (socket cookies, socket inodes, cgroup ids): added
 * to, then sorted once, then searched.
 */
#ifndef TCPDROP_IDS_H
#define TCPDROP_IDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ids {
	uint64_t *ids;
	size_t count;
	size_t capacity;
};

/* Add an id. */
void ids_add(struct ids *ids, uint64_t id);

/* Sort, so that ids_contain() may search; the array is allocated even when empty. */
void ids_sort(struct ids *ids);

/* Does a sorted array of ids hold this one? */
bool ids_contain(const uint64_t *ids, size_t count, uint64_t id);

void ids_free(struct ids *ids);

#endif
