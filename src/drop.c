/*
 * Dropping the one connection named by addresses and ports, or every
 * connection that matches -a, -s, -S and -C.
 */
#include "drop.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "diag.h"
#include "report.h"
#include "tuple.h"

static bool drop_named(const struct settings *settings, struct diag *diag);
static bool drop_matching(const struct settings *settings, struct diag *diag);

bool
tcpdrop(const struct settings *settings)
{
	struct diag *diag = diag_open();
	bool ok;

	if (diag == NULL)
		report_diag_failed("NETLINK_SOCK_DIAG socket", -errno);
	ok = settings_bulk(settings) ? drop_matching(settings, diag) :
	    drop_named(settings, diag);
	diag_close(diag);
	report_flush_output();
	return ok;
}

struct search {
	const struct conn *wanted;
	struct conn *found;
	bool hit;
};

static int
search_visit(const struct conn *conn, const struct diag_extra *extra, void *context)
{
	struct search *search = context;

	(void)extra;
	if (conn->state == TCP_STATE_LISTEN || !conn_same_endpoints(conn, search->wanted))
		return 0;
	*search->found = *conn;
	search->hit = true;
	return 1;
}

static bool
is_connection(const struct conn *found, const struct conn *wanted)
{
	return found->state != TCP_STATE_LISTEN && conn_same_endpoints(found, wanted);
}

/*
 * Find the socket of a connection.  The exact lookup costs the same however
 * many sockets the host holds, but it answers with a listener when no
 * connection matches, and it cannot see a socket bound to another device
 * than the one asked for; only then does a walk filtered by ports look
 * further.  Returns 0 or a negative errno.
 */
static int
find_connection(struct diag *diag, const struct conn *wanted, struct conn *found)
{
	const struct diag_filter filter = {
		.states = TCP_CONNECTION_STATES,
		.local_port = wanted->local_port,
		.foreign_port = wanted->foreign_port,
	};
	struct search search = { .wanted = wanted, .found = found };
	int error = diag_lookup(diag, wanted, found);

	if (error == 0 && is_connection(found, wanted))
		return 0;
	if (error != 0 && error != -ENOENT)
		return error;
	error = diag_walk(diag, &filter, search_visit, &search);
	if (error < 0)
		return error;
	return search.hit ? 0 : -ENOENT;
}

/* Returns 0 if the connection was dropped, else a negative errno. */
static int
drop_one(struct diag *diag, const struct conn *wanted)
{
	struct conn found;
	int result, error = find_connection(diag, wanted, &found);

	if (error != 0)
		return error;
	error = diag_destroy(diag, &found, 1, &result);
	if (error == 0)
		error = result;
	if (report_is_fatal(&found, error))
		report_fatal(error);
	return error;
}

/*
 * A name may resolve to several addresses, but the user means one
 * connection: it is dropped if any pairing of the addresses was, and each
 * pairing's failure is told only if none was.
 */
static bool
drop_named(const struct settings *settings, struct diag *diag)
{
	struct endpoint local, foreign;
	const struct endpoint *unresolved = NULL;
	struct conn *pairs;
	size_t count;
	int *errors, bad, error;
	bool dropped = false;

	bad = tuple_endpoints(settings->operands, settings->operand_count, &local, &foreign);
	if (bad >= 0)
		report_usage((struct options_result){ OPTIONS_BAD_OPERAND, 0,
		    settings->operands[bad] });
	error = tuple_resolve(&local, &foreign, &pairs, &count, &unresolved);
	if (error != 0)
		report_resolve_failed(unresolved->host, unresolved->port, error);
	if (count == 0)
		report_different_families(local.host, local.port, foreign.host, foreign.port);
	errors = calloc(count ? count : 1, sizeof(*errors));
	if (errors == NULL)
		report_diag_failed("memory", -ENOMEM);
	for (size_t i = 0; i < count; i++) {
		errors[i] = drop_one(diag, &pairs[i]);
		if (errors[i] == 0) {
			report_dropped(&pairs[i]);
			dropped = true;
		}
	}
	for (size_t i = 0; i < count && !dropped; i++)
		report_failed(&pairs[i], errors[i]);
	free(errors);
	free(pairs);
	endpoint_free(&local);
	endpoint_free(&foreign);
	return dropped;
}

struct matches {
	const struct settings *settings;
	struct conn *conns;
	size_t count;
	size_t capacity;
};

static bool
name_matches(const char *wanted, const char *actual)
{
	return wanted == NULL || (actual != NULL && strcmp(wanted, actual) == 0);
}

static int
match_visit(const struct conn *conn, const struct diag_extra *extra, void *context)
{
	struct matches *matches = context;
	const struct settings *settings = matches->settings;

	if (conn->state == TCP_STATE_LISTEN || !name_matches(settings->stack, extra->stack) ||
	    !name_matches(settings->algorithm, extra->algorithm))
		return 0;
	if (settings->list) {
		report_listed(conn);
		return 0;
	}
	if (matches->count == matches->capacity) {
		size_t capacity = matches->capacity ? 2 * matches->capacity : 1024;
		struct conn *grown = reallocarray(matches->conns, capacity, sizeof(*grown));

		if (grown == NULL)
			return -ENOMEM;
		matches->conns = grown;
		matches->capacity = capacity;
	}
	matches->conns[matches->count++] = *conn;
	return 0;
}

/*
 * Collect first, then destroy: destroying while the kernel walks its hash
 * tables could make the walk skip sockets.
 */
static bool
drop_matching(const struct settings *settings, struct diag *diag)
{
	const struct diag_filter filter = {
		.states = settings->states != 0 ? settings->states : TCP_CONNECTION_STATES,
		.want_stack = settings->stack != NULL,
		.want_algorithm = settings->algorithm != NULL,
	};
	struct matches matches = { .settings = settings };
	int *results, error;
	bool ok = true;

	error = diag_walk(diag, &filter, match_visit, &matches);
	if (error != 0)
		report_diag_failed("listing TCP connections", error);
	if (matches.count == 0) {
		free(matches.conns);
		return true;
	}
	results = calloc(matches.count, sizeof(*results));
	if (results == NULL)
		report_diag_failed("memory", -ENOMEM);
	error = diag_destroy(diag, matches.conns, matches.count, results);
	for (size_t i = 0; i < matches.count; i++) {
		/* Its other end was dropped first and took it along: not a failure. */
		if (results[i] == -ENOENT)
			continue;
		if (report_is_fatal(&matches.conns[i], results[i]))
			report_fatal(results[i]);
		if (results[i] == 0) {
			report_dropped(&matches.conns[i]);
		} else {
			report_failed(&matches.conns[i], results[i]);
			ok = false;
		}
	}
	free(results);
	free(matches.conns);
	return ok && error == 0;
}
