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

#include "alloc.h"
#include "bytecode.h"
#include "connindex.h"
#include "destroy.h"
#include "diag.h"
#include "outcome.h"
#include "pattern.h"
#include "report.h"

/*
 * Where a named pair stands, beyond 0 (found, or dropped) and a negative
 * errno.  ALREADY_GONE: a connection that was found, then vanished before
 * its destroy: its other end was dropped first and took it along, or it
 * closed by itself.  Gone, as asked, but not by our hand, so neither
 * "dropped" nor a failure.  AMBIGUOUS: named without a device, it matches connections on several.
 * SHADOWED: bound to a device, it has a twin bound to none, with the same
 * addresses and ports, that the kernel's lookup by tuple finds first, for
 * a destroy too: the kernel cannot drop it (SHADOW_SUSPECT until a walk
 * has seen it).
 */
enum { ALREADY_GONE = 1, AMBIGUOUS, SHADOW_SUSPECT, SHADOWED };

/* A connection named with its cookie (-l -k): that socket is to be dropped, and no other. */
static bool
has_cookie(const struct conn *wanted)
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
	struct dropped_peers *peers = xcalloc(1, sizeof(*peers));

	peers->index = conn_index_new(1024);
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

	if (peers != NULL)
		conn_index_add(peers->index, &other, 0);
}

/*
 * A search for named connections, in the run it is part of: every
 * candidate pair of every name, flattened, what was found for each and
 * what became of it, and for those that match on several devices, every
 * match.
 */
struct search {
	const struct run *run;
	struct conn *wanted;
	struct conn *found;
	int *status;		/* where each stands: 0 (found, then dropped), a negative errno, or below */
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
add_match(struct search *search, size_t owner, const struct conn *conn)
{
	if (search->match_count == search->match_capacity) {
		size_t capacity = search->match_capacity ? 2 * search->match_capacity : 8;

		search->matches = xreallocarray(search->matches, capacity, sizeof(*search->matches));
		search->match_owner = xreallocarray(search->match_owner, capacity,
		    sizeof(*search->match_owner));
		search->match_capacity = capacity;
	}
	search->matches[search->match_count] = *conn;
	search->match_owner[search->match_count++] = owner;
}

/*
 * A socket found for a name given without a device.  A second one (on
 * another device) makes the name ambiguous: it names no single connection.
 */
static void
found_on_device(struct search *search, size_t i, const struct conn *conn)
{
	if (search->status[i] != 0 && search->status[i] != AMBIGUOUS) {
		search->found[i] = *conn;
		search->status[i] = 0;
		return;
	}
	if (search->found[i].cookie == conn->cookie)
		return;
	for (size_t m = 0; m < search->match_count; m++)
		if (search->match_owner[m] == i && search->matches[m].cookie == conn->cookie)
			return;
	if (search->status[i] == 0)
		add_match(search, i, &search->found[i]);
	add_match(search, i, conn);
	search->status[i] = AMBIGUOUS;
}

struct walk_match {
	struct search *search;
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
		struct search *search = match->search;

		if (!is_connection(conn, &search->wanted[i]))
			continue;
		if (search->status[i] == SHADOW_SUSPECT) {
			search->found[i] = *conn;
			search->status[i] = SHADOWED;
		} else if (search->status[i] != SHADOWED) {
			found_on_device(search, i, conn);
		}
	}
	return 0;
}

/*
 * What a walk for these names need return: the connections whose ports lie
 * between the least and the greatest of the names', checked by the kernel,
 * so that userspace decodes only those.
 */
static void
ports_filter(const struct search *search, int looking_for, struct diag_filter *filter)
{
	struct pattern ports = {
		.local = { .port_low = UINT16_MAX },
		.foreign = { .port_low = UINT16_MAX },
	};
	const struct selection selection = {
		.states = TCP_CONNECTION_STATES, .family = AF_UNSPEC, .pattern = &ports,
	};

	for (size_t i = 0; i < search->count; i++) {
		const struct conn *wanted = &search->wanted[i];

		if (search->status[i] != looking_for)
			continue;
		ports.local.port_low = MIN(ports.local.port_low, wanted->local_port);
		ports.local.port_high = MAX(ports.local.port_high, wanted->local_port);
		ports.foreign.port_low = MIN(ports.foreign.port_low, wanted->foreign_port);
		ports.foreign.port_high = MAX(ports.foreign.port_high, wanted->foreign_port);
	}
	*filter = (struct diag_filter){ .states = TCP_CONNECTION_STATES };
	bytecode_compile(&selection, false, &filter->bytecode);
	bytecode_compile(&selection, false, &filter->bytecode_basic);
}

/*
 * One walk over every connection for what is still missing on any device
 * (status -ENOENT, named without a device) or suspected shadowed (status
 * SHADOW_SUSPECT): a suspect seen is SHADOWED, one not seen is missing.
 */
static int
find_by_walk(struct search *search, int looking_for)
{
	struct diag_filter filter;
	struct walk_match match = { search, conn_index_new(search->count) };
	int error;

	ports_filter(search, looking_for, &filter);
	for (size_t i = 0; i < search->count; i++)
		if (search->status[i] == looking_for &&
		    (looking_for == SHADOW_SUSPECT || search->wanted[i].ifindex == 0))
			conn_index_add(match.index, &search->wanted[i], i);
	error = diag_walk(search->run->diag, &filter, match_visit, &match);
	conn_index_free(match.index);
	bytecode_free(&filter.bytecode);
	bytecode_free(&filter.bytecode_basic);
	for (size_t i = 0; i < search->count; i++)
		if (search->status[i] == SHADOW_SUSPECT)
			search->status[i] = -ENOENT;
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
find_missing(struct search *search)
{
	for (size_t i = 0; i < search->count; i++)
		if (search->status[i] == -ENOENT && search->wanted[i].ifindex == 0)
			return find_by_walk(search, -ENOENT);
	return 0;
}

/* Not found, but its other end was dropped by an earlier batch: gone with it. */
static void
mark_gone_with_peers(struct search *search, const struct dropped_peers *peers)
{
	for (size_t i = 0; i < search->count; i++)
		if (search->status[i] == -ENOENT && peers_contain(peers, &search->wanted[i]))
			search->status[i] = ALREADY_GONE;
}

/*
 * A connection named with its cookie is the socket found only if the
 * cookies agree (among the matches on several devices, the one that does);
 * else that socket is gone, whatever holds its addresses and ports now.
 */
static void
keep_cookie_named(struct search *search)
{
	for (size_t i = 0; i < search->count; i++) {
		uint64_t cookie = search->wanted[i].cookie;
		int *status = &search->status[i];

		if (!has_cookie(&search->wanted[i]))
			continue;
		if (*status == AMBIGUOUS) {
			*status = -ENOENT;
			for (size_t m = 0; m < search->match_count; m++) {
				if (search->match_owner[m] == i && search->matches[m].cookie == cookie) {
					search->found[i] = search->matches[m];
					*status = 0;
				}
			}
		}
		if (((*status == 0 || *status == SHADOWED) && search->found[i].cookie != cookie) ||
		    *status == -ENOENT)
			*status = ALREADY_GONE;
	}
}

static int
find_all(struct search *search, const struct dropped_peers *peers)
{
	int error = diag_lookup(search->run->diag, search->wanted, search->count, search->found,
	    search->status);

	bool suspects = false;

	if (error != 0)
		return error;
	for (size_t i = 0; i < search->count; i++) {
		const struct conn *found = &search->found[i], *wanted = &search->wanted[i];
		bool twin;

		if (search->status[i] != 0 || is_connection(found, wanted))
			continue;
		/* Asked for on a device, the kernel's lookup answered a twin bound to none. */
		twin = wanted->ifindex != 0 && found->ifindex == 0 &&
		    found->state != TCP_STATE_LISTEN && conn_same_endpoints(found, wanted);
		suspects |= twin;
		search->status[i] = twin ? SHADOW_SUSPECT : -ENOENT;
	}
	/* What is known to be gone need not be looked for on every device. */
	mark_gone_with_peers(search, peers);
	error = find_missing(search);
	if (error == 0 && suspects)
		error = find_by_walk(search, SHADOW_SUSPECT);
	if (error == 0)
		keep_cookie_named(search);
	return error;
}

static int
destroy_found(struct search *search)
{
	struct conn *targets = xcalloc(search->count + 1, sizeof(*targets));
	size_t *index = xcalloc(search->count + 1, sizeof(*index));
	int *answers = xcalloc(search->count + 1, sizeof(*answers));
	size_t count = 0;
	int error;

	for (size_t i = 0; i < search->count; i++) {
		if (search->status[i] != 0)
			continue;
		index[count] = i;
		targets[count++] = search->found[i];
	}
	error = destroy_checked(search->run->diag, targets, count, answers);
	for (size_t j = 0; j < count; j++) {
		enum outcome outcome = outcome_of_destroy(&targets[j], answers[j]);

		if (outcome == OUTCOME_FATAL)
			die_cannot_drop(answers[j]);
		search->status[index[j]] = outcome == OUTCOME_GONE ? ALREADY_GONE : answers[j];
		/* A failure is told of the connection as named, with why, as -s tells it. */
		search->wanted[index[j]].time_wait_socket = targets[j].time_wait_socket;
	}
	free(targets);
	free(index);
	free(answers);
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
report_matches(const struct search *search, size_t i)
{
	struct conn *matches = xcalloc(search->match_count, sizeof(*matches));
	size_t count = 0;

	for (size_t m = 0; m < search->match_count; m++)
		if (search->match_owner[m] == i)
			matches[count++] = search->matches[m];
	qsort(matches, count, sizeof(*matches), compare_devices);
	report_ambiguous(&search->wanted[i], matches, count, search->run->netns);
	free(matches);
}

static bool
dropped_any(const struct search *search, size_t first, size_t count)
{
	for (size_t i = first; i < first + count; i++)
		if (search->status[i] == 0)
			return true;
	return false;
}

/*
 * What was dropped is told as the kernel holds it (with its device), what
 * could not be as it was named.
 */
static void
report_outcomes(const struct named_conn *named, size_t count, const struct search *search,
    bool *ok)
{
	size_t first = 0;

	for (size_t n = 0; n < count; first += named[n].count, n++) {
		bool dropped = false;

		for (size_t i = first; i < first + named[n].count; i++) {
			if (search->status[i] == 0) {
				report_dropped(&search->found[i]);
				dropped = true;
			} else if (search->status[i] == ALREADY_GONE) {
				dropped = true;
			}
		}
		/* What was named with its cookie is said to be gone, rather than passed over. */
		if (!dropped_any(search, first, named[n].count) && dropped &&
		    has_cookie(&named[n].pairs[0]))
			report_gone(&named[n].pairs[0]);
		for (size_t i = first; i < first + named[n].count && !dropped; i++) {
			if (search->status[i] == AMBIGUOUS)
				report_matches(search, i);
			else if (search->status[i] == SHADOWED)
				report_shadowed(&search->found[i]);
			else
				report_failed(&search->wanted[i], search->status[i]);
		}
		if (!dropped)
			*ok = false;
	}
}


bool
drop_named(const struct run *run, const struct named_conn *named, size_t count,
    struct dropped_peers *peers)
{
	struct search search = { .run = run };
	size_t total = 0;
	bool ok = true;
	int error;

	for (size_t n = 0; n < count; n++)
		total += named[n].count;
	search.wanted = xcalloc(total, sizeof(*search.wanted));
	search.found = xcalloc(total, sizeof(*search.found));
	search.status = xcalloc(total, sizeof(*search.status));
	for (size_t n = 0; n < count; n++)
		for (size_t i = 0; i < named[n].count; i++)
			search.wanted[search.count++] = named[n].pairs[i];

	error = find_all(&search, peers);
	if (error != 0)
		die_diag_failed("looking up TCP connections", error);
	/*
	 * Even if the exchange with the kernel broke off, what it did destroy
	 * is told, and what it did not answer fails with the reason.
	 */
	if (destroy_found(&search) != 0)
		ok = false;
	report_outcomes(named, count, &search, &ok);
	/* Remembered once told: memory running out here ends the run after the reports. */
	for (size_t i = 0; i < search.count; i++)
		if (search.status[i] == 0)
			peers_add(peers, &search.found[i]);

	free(search.matches);
	free(search.match_owner);
	free(search.wanted);
	free(search.found);
	free(search.status);
	return ok;
}
