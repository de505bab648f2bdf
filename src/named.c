/*
 * Connections named by addresses and ports are looked up before they are
 * destroyed, because the kernel's own lookup by tuple falls back to the
 * listener on the local port when no connection matches, and a destroy by
 * bare tuple would close that listener.  The destroy then carries the
 * socket's cookie, so it can only hit the socket that was looked up.
 */
#include "named.h"

#include <errno.h>
#include <stdlib.h>

#include "diag.h"
#include "report.h"

/* Every candidate pair of every named connection, flattened. */
struct attempt {
	struct conn *wanted;
	struct conn *found;
	int *results;
	size_t count;
};

/* Candidates the exact lookup did not find, sorted for the walk to search. */
struct misses {
	struct attempt *attempt;
	size_t *index;
	size_t count;
};

static bool
is_connection(const struct conn *found, const struct conn *wanted)
{
	return found->state != TCP_STATE_LISTEN && conn_same_endpoints(found, wanted);
}

static int
compare_missing(const void *a, const void *b, void *context)
{
	const struct attempt *attempt = context;

	return conn_compare_endpoints(&attempt->wanted[*(const size_t *)a],
	    &attempt->wanted[*(const size_t *)b]);
}

struct probe {
	const struct attempt *attempt;
	const struct conn *conn;
};

static int
compare_probe(const void *key, const void *member)
{
	const struct probe *probe = key;

	return conn_compare_endpoints(probe->conn,
	    &probe->attempt->wanted[*(const size_t *)member]);
}

static int
miss_visit(const struct conn *conn, const struct diag_extra *extra, void *context)
{
	struct misses *misses = context;
	struct probe probe = { misses->attempt, conn };
	const size_t *hit;

	(void)extra;
	if (conn->state == TCP_STATE_LISTEN)
		return 0;
	hit = bsearch(&probe, misses->index, misses->count, sizeof(*misses->index),
	    compare_probe);
	if (hit == NULL)
		return 0;
	/* The same connection may be named more than once: find them all. */
	while (hit > misses->index && compare_probe(&probe, hit - 1) == 0)
		hit--;
	for (; hit < misses->index + misses->count && compare_probe(&probe, hit) == 0; hit++) {
		misses->attempt->found[*hit] = *conn;
		misses->attempt->results[*hit] = 0;
	}
	return 0;
}

/*
 * The exact lookup cannot see a socket bound to another device than the one
 * asked for.  One walk finds those; filtered by ports in the kernel when a
 * single connection is missing.
 */
static int
find_missing(struct diag *diag, struct attempt *attempt)
{
	struct misses misses = { .attempt = attempt };
	struct diag_filter filter = { .states = TCP_CONNECTION_STATES };
	int error = 0;

	misses.index = calloc(attempt->count, sizeof(*misses.index));
	if (misses.index == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < attempt->count; i++)
		if (attempt->results[i] == -ENOENT)
			misses.index[misses.count++] = i;
	if (misses.count == 1) {
		filter.local_port = attempt->wanted[misses.index[0]].local_port;
		filter.foreign_port = attempt->wanted[misses.index[0]].foreign_port;
	}
	if (misses.count > 0) {
		qsort_r(misses.index, misses.count, sizeof(*misses.index), compare_missing,
		    attempt);
		error = diag_walk(diag, &filter, miss_visit, &misses);
	}
	free(misses.index);
	return error < 0 ? error : 0;
}

static int
find_all(struct diag *diag, struct attempt *attempt)
{
	int error = diag_lookup(diag, attempt->wanted, attempt->count, attempt->found,
	    attempt->results);

	if (error != 0)
		return error;
	for (size_t i = 0; i < attempt->count; i++)
		if (attempt->results[i] == 0 &&
		    !is_connection(&attempt->found[i], &attempt->wanted[i]))
			attempt->results[i] = -ENOENT;
	return find_missing(diag, attempt);
}

static int
destroy_found(struct diag *diag, struct attempt *attempt)
{
	struct conn *targets = calloc(attempt->count, sizeof(*targets));
	size_t *index = calloc(attempt->count, sizeof(*index));
	int *results = calloc(attempt->count, sizeof(*results));
	size_t count = 0;
	int error = -ENOMEM;

	if (targets != NULL && index != NULL && results != NULL) {
		for (size_t i = 0; i < attempt->count; i++) {
			if (attempt->results[i] != 0)
				continue;
			index[count] = i;
			targets[count++] = attempt->found[i];
		}
		error = diag_destroy(diag, targets, count, results);
		for (size_t j = 0; j < count; j++) {
			if (report_is_fatal(&targets[j], results[j]))
				report_fatal(results[j]);
			attempt->results[index[j]] = results[j];
		}
	}
	free(targets);
	free(index);
	free(results);
	return error;
}

static void
report_outcomes(const struct named *named, size_t count, const struct attempt *attempt,
    bool *ok)
{
	size_t first = 0;

	for (size_t n = 0; n < count; first += named[n].count, n++) {
		bool dropped = false;

		for (size_t i = 0; i < named[n].count; i++) {
			if (attempt->results[first + i] == 0) {
				report_dropped(&named[n].pairs[i]);
				dropped = true;
			}
		}
		for (size_t i = 0; i < named[n].count && !dropped; i++)
			report_failed(&named[n].pairs[i], attempt->results[first + i]);
		if (!dropped)
			*ok = false;
	}
}

bool
drop_named(struct diag *diag, const struct named *named, size_t count)
{
	struct attempt attempt = { 0 };
	size_t total = 0;
	bool ok = true;
	int error;

	for (size_t n = 0; n < count; n++)
		total += named[n].count;
	attempt.wanted = calloc(total ? total : 1, sizeof(*attempt.wanted));
	attempt.found = calloc(total ? total : 1, sizeof(*attempt.found));
	attempt.results = calloc(total ? total : 1, sizeof(*attempt.results));
	if (attempt.wanted == NULL || attempt.found == NULL || attempt.results == NULL)
		report_diag_failed("memory", -ENOMEM);
	for (size_t n = 0; n < count; n++)
		for (size_t i = 0; i < named[n].count; i++)
			attempt.wanted[attempt.count++] = named[n].pairs[i];

	error = find_all(diag, &attempt);
	if (error != 0)
		report_diag_failed("looking up TCP connections", error);
	error = destroy_found(diag, &attempt);
	if (error != 0)
		report_diag_failed("dropping TCP connections", error);
	report_outcomes(named, count, &attempt, &ok);

	free(attempt.wanted);
	free(attempt.found);
	free(attempt.results);
	return ok;
}
