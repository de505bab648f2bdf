/*
 * Connections named by addresses and ports are looked up before they are
 * destroyed, because the kernel's own lookup by tuple falls back to the
 * listener on the local port when no connection matches, and a destroy by
 * bare tuple would close that listener.  The destroy then carries the
 * socket's cookie, so it can only hit the socket that was looked up.
 */
#include "named.h"

#include <errno.h>
#include <sys/param.h>
#include <stdlib.h>
#include <string.h>

#include "bytecode.h"
#include "connindex.h"
#include "destroy.h"
#include "diag.h"
#include "outcome.h"
#include "report.h"

/*
 * Outcomes beyond 0 (found, or dropped) and a negative errno.  GONE: a
 * connection that was found, then vanished before its destroy: its other
 * end was dropped first and took it along, or it closed by itself.  Gone,
 * as asked, but not by our hand, so neither "dropped" nor a failure.
 * AMBIGUOUS: named without a device, it matches connections on several.
 * SHADOWED: bound to a device, it has a twin bound to none, with the same
 * addresses and ports, that the kernel's lookup by tuple finds first, for
 * a destroy too: the kernel cannot drop it (SHADOW_SUSPECT until a walk
 * has seen it).
 */
enum { ALREADY_GONE = 1, AMBIGUOUS, SHADOW_SUSPECT, SHADOWED };

/* A connection named with its cookie (-l -k): that socket is to be dropped, and no other. */
static bool
reviewed(const struct conn *wanted)
{
	return wanted->cookie != CONN_NO_COOKIE;
}

struct dropped_peers {
	struct conn_index *index;	/* the other ends of what was dropped */
};

/* The same connection seen from its other end. */
static struct conn
reversed(const struct conn *conn)
{
	struct conn other = *conn;

	memcpy(other.local, conn->foreign, sizeof(other.local));
	memcpy(other.foreign, conn->local, sizeof(other.foreign));
	other.local_port = conn->foreign_port;
	other.foreign_port = conn->local_port;
	return other;
}

struct dropped_peers *
dropped_peers_new(void)
{
	struct dropped_peers *peers = calloc(1, sizeof(*peers));

	if (peers != NULL && (peers->index = conn_index_new(1024)) == NULL) {
		free(peers);
		return NULL;
	}
	return peers;
}

void
dropped_peers_free(struct dropped_peers *peers)
{
	if (peers != NULL)
		conn_index_free(peers->index);
	free(peers);
}

/*
 * Is this the other end of a connection dropped before?  Only the hash of
 * the endpoints is kept; a collision, at odds of one in 2^64, would only
 * spare a message.
 */
static bool
peers_contain(const struct dropped_peers *peers, const struct conn *conn)
{
	struct conn_index_cursor cursor;
	size_t value;

	if (peers == NULL)
		return false;
	conn_index_seek(peers->index, conn, &cursor);
	return conn_index_next(peers->index, &cursor, &value);
}

static void
peers_add(struct dropped_peers *peers, const struct conn *dropped)
{
	struct conn other = reversed(dropped);

	/* Only a message is at stake if memory runs out, not a drop. */
	if (peers != NULL)
		(void)conn_index_add(peers->index, &other, 0);
}

/*
 * Every candidate pair of every named connection, flattened, and for those
 * that match on several devices, every match.
 */
struct attempt {
	struct conn *wanted;
	struct conn *found;
	int *results;
	size_t count;
	struct conn *matches;	/* of the AMBIGUOUS ones */
	size_t *match_owner;	/* the index in wanted of each */
	size_t match_count;
	size_t match_capacity;
};

/*
 * Is this socket the connection wanted: not a listener, the same endpoints,
 * and bound to the device the name gives, if it gives one?
 */
static bool
is_connection(const struct conn *found, const struct conn *wanted)
{
	return found->state != TCP_STATE_LISTEN && conn_same_endpoints(found, wanted) &&
	    (wanted->ifindex == 0 || found->ifindex == wanted->ifindex);
}

static void
add_match(struct attempt *attempt, size_t owner, const struct conn *conn)
{
	if (attempt->match_count == attempt->match_capacity) {
		size_t capacity = attempt->match_capacity ? 2 * attempt->match_capacity : 8;
		struct conn *matches = reallocarray(attempt->matches, capacity,
		    sizeof(*matches));
		size_t *owners;

		if (matches == NULL)
			report_out_of_memory();
		attempt->matches = matches;
		owners = reallocarray(attempt->match_owner, capacity, sizeof(*owners));
		if (owners == NULL)
			report_out_of_memory();
		attempt->match_owner = owners;
		attempt->match_capacity = capacity;
	}
	attempt->matches[attempt->match_count] = *conn;
	attempt->match_owner[attempt->match_count++] = owner;
}

/*
 * A socket found for a name given without a device.  A second one (on
 * another device) makes the name ambiguous: it names no single connection.
 */
static void
found_on_device(struct attempt *attempt, size_t i, const struct conn *conn)
{
	if (attempt->results[i] != 0 && attempt->results[i] != AMBIGUOUS) {
		attempt->found[i] = *conn;
		attempt->results[i] = 0;
		return;
	}
	if (attempt->found[i].cookie == conn->cookie)
		return;
	for (size_t m = 0; m < attempt->match_count; m++)
		if (attempt->match_owner[m] == i && attempt->matches[m].cookie == conn->cookie)
			return;
	if (attempt->results[i] == 0)
		add_match(attempt, i, &attempt->found[i]);
	add_match(attempt, i, conn);
	attempt->results[i] = AMBIGUOUS;
}

struct walk_match {
	struct attempt *attempt;
	struct conn_index *index;	/* what is missing, by endpoints */
};

static int
match_visit(const struct conn *conn, const struct diag_extra *extra, void *context)
{
	struct walk_match *match = context;
	struct conn_index_cursor cursor;
	size_t i;

	(void)extra;
	if (conn->state == TCP_STATE_LISTEN)
		return 0;
	conn_index_seek(match->index, conn, &cursor);
	while (conn_index_next(match->index, &cursor, &i)) {
		struct attempt *attempt = match->attempt;

		if (!is_connection(conn, &attempt->wanted[i]))
			continue;
		if (attempt->results[i] == SHADOW_SUSPECT) {
			attempt->found[i] = *conn;
			attempt->results[i] = SHADOWED;
		} else if (attempt->results[i] != SHADOWED) {
			found_on_device(attempt, i, conn);
		}
	}
	return 0;
}

/*
 * What a walk for these names need return: the connections whose ports lie
 * between the least and the greatest of the names', checked by the kernel,
 * so that userspace decodes only those.  Returns false only when out of
 * memory; the filter is then whole states alone.
 */
static bool
ports_filter(const struct attempt *attempt, int looking_for, struct diag_filter *filter)
{
	struct pattern ports = {
		.local = { .port_low = UINT16_MAX },
		.foreign = { .port_low = UINT16_MAX },
	};
	const struct selection selection = {
		.states = TCP_CONNECTION_STATES, .family = AF_UNSPEC, .pattern = &ports,
	};

	for (size_t i = 0; i < attempt->count; i++) {
		const struct conn *wanted = &attempt->wanted[i];

		if (attempt->results[i] != looking_for)
			continue;
		ports.local.port_low = MIN(ports.local.port_low, wanted->local_port);
		ports.local.port_high = MAX(ports.local.port_high, wanted->local_port);
		ports.foreign.port_low = MIN(ports.foreign.port_low, wanted->foreign_port);
		ports.foreign.port_high = MAX(ports.foreign.port_high, wanted->foreign_port);
	}
	*filter = (struct diag_filter){ .states = TCP_CONNECTION_STATES };
	return bytecode_compile(&selection, false, &filter->bytecode) &&
	    bytecode_compile(&selection, false, &filter->bytecode_basic);
}

/*
 * One walk over every connection for what is still missing on any device
 * (results -ENOENT, named without a device) or suspected shadowed (results
 * SHADOW_SUSPECT): a suspect seen is SHADOWED, one not seen is missing.
 */
static int
find_by_walk(struct diag *diag, struct attempt *attempt, int looking_for)
{
	struct diag_filter filter;
	struct walk_match match = { attempt, conn_index_new(attempt->count) };
	int error = 0;

	if (match.index == NULL || !ports_filter(attempt, looking_for, &filter)) {
		conn_index_free(match.index);
		return -ENOMEM;
	}
	for (size_t i = 0; i < attempt->count && error == 0; i++)
		if (attempt->results[i] == looking_for &&
		    (looking_for == SHADOW_SUSPECT || attempt->wanted[i].ifindex == 0) &&
		    !conn_index_add(match.index, &attempt->wanted[i], i))
			error = -ENOMEM;
	if (error == 0)
		error = diag_walk(diag, &filter, match_visit, &match);
	conn_index_free(match.index);
	bytecode_free(&filter.bytecode);
	bytecode_free(&filter.bytecode_basic);
	for (size_t i = 0; i < attempt->count; i++)
		if (attempt->results[i] == SHADOW_SUSPECT)
			attempt->results[i] = -ENOENT;
	return error < 0 ? error : 0;
}

/*
 * The exact lookup sees a socket bound to a device (SO_BINDTODEVICE, a VRF,
 * or a link-local IPv6 address) only when asked with that device's index.
 * A name without a device that found no unbound socket is looked for by
 * one walk, which sees every device: those that exist, and those deleted
 * since, whose index a socket keeps and no lookup of a device that exists
 * would ask for.  Asking each interface instead would cost less on a
 * large host, but would miss a twin on a deleted device, and so drop one
 * connection of two that the name matches, or deny one that exists.
 */
static int
find_missing(struct diag *diag, struct attempt *attempt)
{
	for (size_t i = 0; i < attempt->count; i++)
		if (attempt->results[i] == -ENOENT && attempt->wanted[i].ifindex == 0)
			return find_by_walk(diag, attempt, -ENOENT);
	return 0;
}

/* Not found, but its other end was dropped by an earlier batch: gone with it. */
static void
mark_gone_with_peers(struct attempt *attempt, const struct dropped_peers *peers)
{
	for (size_t i = 0; i < attempt->count; i++)
		if (attempt->results[i] == -ENOENT && peers_contain(peers, &attempt->wanted[i]))
			attempt->results[i] = ALREADY_GONE;
}

/*
 * A connection named with its cookie is the socket found only if the
 * cookies agree (among the matches on several devices, the one that does);
 * else that socket is gone, whatever holds its addresses and ports now.
 */
static void
keep_reviewed(struct attempt *attempt)
{
	for (size_t i = 0; i < attempt->count; i++) {
		uint64_t cookie = attempt->wanted[i].cookie;
		int *result = &attempt->results[i];

		if (!reviewed(&attempt->wanted[i]))
			continue;
		if (*result == AMBIGUOUS) {
			*result = -ENOENT;
			for (size_t m = 0; m < attempt->match_count; m++) {
				if (attempt->match_owner[m] == i && attempt->matches[m].cookie == cookie) {
					attempt->found[i] = attempt->matches[m];
					*result = 0;
				}
			}
		}
		if (((*result == 0 || *result == SHADOWED) && attempt->found[i].cookie != cookie) ||
		    *result == -ENOENT)
			*result = ALREADY_GONE;
	}
}

static int
find_all(struct diag *diag, struct attempt *attempt, const struct dropped_peers *peers)
{
	int error = diag_lookup(diag, attempt->wanted, attempt->count, attempt->found,
	    attempt->results);

	bool suspects = false;

	if (error != 0)
		return error;
	for (size_t i = 0; i < attempt->count; i++) {
		const struct conn *found = &attempt->found[i], *wanted = &attempt->wanted[i];
		bool twin;

		if (attempt->results[i] != 0 || is_connection(found, wanted))
			continue;
		/* Asked for on a device, the kernel's lookup answered a twin bound to none. */
		twin = wanted->ifindex != 0 && found->ifindex == 0 &&
		    found->state != TCP_STATE_LISTEN && conn_same_endpoints(found, wanted);
		suspects |= twin;
		attempt->results[i] = twin ? SHADOW_SUSPECT : -ENOENT;
	}
	/* What is known to be gone need not be looked for on every device. */
	mark_gone_with_peers(attempt, peers);
	error = find_missing(diag, attempt);
	if (error == 0 && suspects)
		error = find_by_walk(diag, attempt, SHADOW_SUSPECT);
	if (error == 0)
		keep_reviewed(attempt);
	return error;
}

static int
destroy_found(struct diag *diag, struct attempt *attempt, struct dropped_peers *peers)
{
	struct conn *targets = calloc(attempt->count + 1, sizeof(*targets));
	size_t *index = calloc(attempt->count + 1, sizeof(*index));
	int *results = calloc(attempt->count + 1, sizeof(*results));
	size_t count = 0;
	int error;

	/* Out of memory before anything was destroyed: nothing to tell but that. */
	if (targets == NULL || index == NULL || results == NULL)
		report_out_of_memory();
	for (size_t i = 0; i < attempt->count; i++) {
		if (attempt->results[i] != 0)
			continue;
		index[count] = i;
		targets[count++] = attempt->found[i];
	}
	error = destroy_checked(diag, targets, count, results);
	for (size_t j = 0; j < count; j++) {
		enum outcome outcome = outcome_of_destroy(&targets[j], results[j]);

		if (outcome == OUTCOME_FATAL)
			report_fatal(results[j]);
		attempt->results[index[j]] = outcome == OUTCOME_GONE ? ALREADY_GONE : results[j];
		/* A failure is told of the connection as named, with why, as -s tells it. */
		attempt->wanted[index[j]].time_wait_socket = targets[j].time_wait_socket;
		if (outcome == OUTCOME_DROPPED)
			peers_add(peers, &targets[j]);
	}
	free(targets);
	free(index);
	free(results);
	return error;
}

static int
compare_devices(const void *a, const void *b)
{
	uint32_t x = ((const struct conn *)a)->ifindex, y = ((const struct conn *)b)->ifindex;

	return (x > y) - (x < y);
}

/*
 * The connections a name matched on different devices, for the user to
 * choose from, in the order of the devices however they were found.
 */
static void
report_matches(const struct attempt *attempt, size_t i, const char *netns)
{
	struct conn *matches = calloc(attempt->match_count, sizeof(*matches));
	size_t count = 0;

	if (matches == NULL)
		report_out_of_memory();
	for (size_t m = 0; m < attempt->match_count; m++)
		if (attempt->match_owner[m] == i)
			matches[count++] = attempt->matches[m];
	qsort(matches, count, sizeof(*matches), compare_devices);
	report_ambiguous(&attempt->wanted[i], matches, count, netns);
	free(matches);
}

static bool
dropped_any(const struct attempt *attempt, size_t first, size_t count)
{
	for (size_t i = first; i < first + count; i++)
		if (attempt->results[i] == 0)
			return true;
	return false;
}

/*
 * What was dropped is told as the kernel holds it (with its device), what
 * could not be as it was named.
 */
static void
report_outcomes(const struct named_conn *named, size_t count, const struct attempt *attempt,
    const char *netns, bool *ok)
{
	size_t first = 0;

	for (size_t n = 0; n < count; first += named[n].count, n++) {
		bool dropped = false;

		for (size_t i = first; i < first + named[n].count; i++) {
			if (attempt->results[i] == 0) {
				report_dropped(&attempt->found[i]);
				dropped = true;
			} else if (attempt->results[i] == ALREADY_GONE) {
				dropped = true;
			}
		}
		/* What was reviewed is said to be gone, rather than passed over. */
		if (!dropped_any(attempt, first, named[n].count) && dropped &&
		    reviewed(&named[n].pairs[0]))
			report_gone(&named[n].pairs[0]);
		for (size_t i = first; i < first + named[n].count && !dropped; i++) {
			if (attempt->results[i] == AMBIGUOUS)
				report_matches(attempt, i, netns);
			else if (attempt->results[i] == SHADOWED)
				report_shadowed(&attempt->found[i]);
			else
				report_failed(&attempt->wanted[i], attempt->results[i]);
		}
		if (!dropped)
			*ok = false;
	}
}


bool
drop_named(struct diag *diag, const struct named_conn *named, size_t count,
    struct dropped_peers *peers, const char *netns)
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
		report_out_of_memory();
	for (size_t n = 0; n < count; n++)
		for (size_t i = 0; i < named[n].count; i++)
			attempt.wanted[attempt.count++] = named[n].pairs[i];

	error = find_all(diag, &attempt, peers);
	if (error != 0)
		report_diag_failed("looking up TCP connections", error);
	/*
	 * Even if the exchange with the kernel broke off, what it did destroy
	 * is told, and what it did not answer fails with the reason.
	 */
	if (destroy_found(diag, &attempt, peers) != 0)
		ok = false;
	report_outcomes(named, count, &attempt, netns, &ok);

	free(attempt.matches);
	free(attempt.match_owner);
	free(attempt.wanted);
	free(attempt.found);
	free(attempt.results);
	return ok;
}
