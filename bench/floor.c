/*
 * The least the kernel needs to drop every established connection: one
 * dump, then destroy requests packed many per system call, nothing
 * printed.  The benchmark measures tcpdrop -a against it.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "diag.h"

struct collected {
	struct conn *conns;
	size_t count;
	size_t capacity;
};

static int
collect(const struct conn *conn, const struct diag_extra *extra, void *context)
{
	struct collected *collected = context;

	(void)extra;
	if (collected->count == collected->capacity) {
		collected->capacity = collected->capacity ? 2 * collected->capacity : 4096;
		collected->conns = reallocarray(collected->conns, collected->capacity,
		    sizeof(*collected->conns));
		if (collected->conns == NULL)
			return -ENOMEM;
	}
	collected->conns[collected->count++] = *conn;
	return 0;
}

int
main(void)
{
	const struct diag_filter filter = { .states = TCP_STATE_BIT(TCP_STATE_ESTABLISHED) };
	struct collected collected = { 0 };
	struct diag *diag = diag_open();
	size_t destroyed = 0;
	int *results, error;

	if (diag == NULL)
		err(1, "diag_open");
	error = diag_walk(diag, &filter, collect, &collected);
	if (error != 0)
		errx(1, "walk: %d", error);
	results = calloc(collected.count ? collected.count : 1, sizeof(*results));
	if (results == NULL)
		err(1, "calloc");
	error = diag_destroy(diag, collected.conns, collected.count, results);
	if (error != 0)
		errx(1, "destroy: %d", error);
	for (size_t i = 0; i < collected.count; i++)
		destroyed += results[i] == 0;
	printf("%zu\n", destroyed);
	free(results);
	free(collected.conns);
	diag_close(diag);
	return 0;
}
