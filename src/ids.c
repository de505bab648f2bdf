/* Sets of 64-bit ids, grown by doubling and searched by bisection. */
#include "ids.h"

#include "alloc.h"

#include <stdlib.h>
#include <string.h>

static int
compare_ids(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

void
ids_add(struct ids *ids, uint64_t id)
{
	if (ids->count == ids->capacity) {
		ids->capacity = ids->capacity ? 2 * ids->capacity : 64;
		ids->ids = xreallocarray(ids->ids, ids->capacity, sizeof(*ids->ids));
	}
	ids->ids[ids->count++] = id;
}

void
ids_sort(struct ids *ids)
{
	if (ids->ids == NULL)
		ids->ids = xmalloc(sizeof(*ids->ids));
	qsort(ids->ids, ids->count, sizeof(*ids->ids), compare_ids);
}

bool
ids_contain(const uint64_t *ids, size_t count, uint64_t id)
{
	return count > 0 && bsearch(&id, ids, count, sizeof(id), compare_ids) != NULL;
}

void
ids_free(struct ids *ids)
{
	free(ids->ids);
	memset(ids, 0, sizeof(*ids));
}
