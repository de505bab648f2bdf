/*
 * Dropping in bulk: every connection a selection holds, or with -l, the
 * commands that would drop each.
 */
#include "bulk.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "batch.h"
#include "bytecode.h"
#include "conn.h"
#include "destroy.h"
#include "diag.h"
#include "ids.h"
#include "interrupt.h"
#include "outcome.h"
#include "report.h"
#include "select.h"

/*
 * Connections on their way to the kernel, destroyed many per system call,
 * and whether any of them could not be dropped.
 */
struct drop_batch {
	struct diag *diag;
	struct conn conns[BATCH_DESTROYS];
	int answers[BATCH_DESTROYS];
	size_t count;
	struct ids failed;	/* the connections that could not be dropped */
	bool verifying;		/* destroying what a walk collected */
	struct ids gone;	/* bound to a device, and gone when the second pass destroyed them */
	const struct selection *selection;
	bool error;		/* a failure not tied to one connection */
};

static bool
contains(const struct ids *set, uint64_t cookie)
{
	return ids_contain(set->ids, set->count, cookie);
}

static void
drop_batch_flush(struct drop_batch *batch)
{
	int error = destroy_checked(batch->diag, batch->conns, batch->count, batch->answers);

	for (size_t i = 0; i < batch->count; i++) {
		const struct conn *conn = &batch->conns[i];
		int answer = batch->answers[i];

		/*
		 * Closed by itself into a time-wait socket (conn is that now) that
		 * the selection no longer holds: gone, as if it had ended.
		 */
		if (answer == DESTROY_NOW_TIME_WAIT &&
		    !select_match(batch->selection, conn, &(struct diag_extra){ 0 }))
			continue;
		switch (outcome_of_destroy(conn, answer)) {
		case OUTCOME_DROPPED:
			report_dropped(conn);
			break;
		case OUTCOME_GONE:
			/* Found by a walk that did not destroy, so no peer took it: see bulk_verify(). */
			if (batch->verifying && conn->ifindex != 0)
				ids_add(&batch->gone, conn->cookie);
			break;
		case OUTCOME_FAILED:
			report_failed(conn, answer);
			ids_add(&batch->failed, conn->cookie);
			break;
		case OUTCOME_FATAL:
			die_cannot_drop(answer);
		}
	}
	if (error != 0)
		batch->error = true;
	batch->count = 0;
	/* What a batch did is told before the next begins. */
	report_flush_reports();
}

static void
drop_batch_add(struct drop_batch *batch, const struct conn *conn)
{
	batch->conns[batch->count++] = *conn;
	if (batch->count == BATCH_DESTROYS)
		drop_batch_flush(batch);
}

/* A walk over the connections a selection holds. */
struct walker {
	const struct selection *selection;
	const struct run *run;
	struct drop_batch *batch;
	bool destroy_now;		/* destroy while walking, or collect */
	bool destroyed_walking;		/* the first walk came to destroy as it went */
	bool saw_ulp;			/* some socket's upper layer protocol was named */
	bool cgroupless;		/* -c, and a socket came without its cgroup */
	struct conn *conns;		/* collected */
	size_t count;
	size_t capacity;
};

static void
collect(struct walker *walker, const struct conn *conn)
{
	if (walker->count == walker->capacity) {
		walker->capacity = walker->capacity ? 2 * walker->capacity : BATCH_DESTROYS;
		walker->conns = xreallocarray(walker->conns, walker->capacity, sizeof(*walker->conns));
	}
	walker->conns[walker->count++] = *conn;
}

/* A walk's visitor returns this to stop it when a signal came. */
enum { WALK_INTERRUPTED = 1 };

static int
select_visit(const struct conn *conn, const struct diag_extra *extra, void *context)
{
	struct walker *walker = context;

	if (interrupted())
		return WALK_INTERRUPTED;
	if (extra->ulp != NULL)
		walker->saw_ulp = true;
	/* Every full socket comes with its cgroup, where the kernel records them (5.9). */
	if (walker->selection->by_cgroup && !extra->has_cgroup &&
	    !conn->time_wait_socket && conn->state != TCP_STATE_SYN_RECV)
		walker->cgroupless = true;
	if (!select_match(walker->selection, conn, extra))
		return 0;
	if (walker->run->list) {
		report_listed(conn, walker->run->netns, walker->run->cookies);
		return 0;
	}
	if (walker->destroy_now) {
		drop_batch_add(walker->batch, conn);
		return 0;
	}
	if (contains(&walker->batch->failed, conn->cookie))
		return 0;
	collect(walker, conn);
	/*
	 * The first walk collects, so that one walk is enough; but past
	 * BATCH_COLLECT_MOST it destroys as it goes, so that memory stays flat,
	 * and a second walk is needed (see drop_bulk()).  That takes a second
	 * socket: without one (no descriptor left) it collects them all.
	 */
	if (!walker->batch->verifying && walker->count >= BATCH_COLLECT_MOST &&
	    diag_destroyer_ready(walker->batch->diag)) {
		walker->destroy_now = walker->destroyed_walking = true;
		for (size_t i = 0; i < walker->count; i++)
			drop_batch_add(walker->batch, &walker->conns[i]);
		walker->count = 0;
	}
	return 0;
}

/* Walk, selecting; a signal ends the run here, saying what was left undone. */
static void
walk_selecting(struct diag *diag, const struct diag_filter *filter, struct walker *walker,
    const char *unfinished)
{
	int error = diag_walk(diag, filter, select_visit, walker);

	if (error == WALK_INTERRUPTED)
		die_interrupted(unfinished);
	if (error != 0)
		die_diag_failed("listing TCP connections", error);
}

/* Destroy what a walk collected, in batches; a signal stops it between two. */
static void
destroy_collected(struct walker *walker, const char *unfinished)
{
	for (size_t i = 0; i < walker->count && !interrupted(); i++)
		drop_batch_add(walker->batch, &walker->conns[i]);
	walker->count = 0;
	if (interrupted())
		die_interrupted(unfinished);
	drop_batch_flush(walker->batch);
}

static int
shadowed_visit(const struct conn *conn, const struct diag_extra *extra, void *context)
{
	struct drop_batch *batch = context;

	(void)extra;
	if (contains(&batch->gone, conn->cookie)) {
		report_shadowed(conn);
		batch->error = true;
	}
	return 0;
}

/*
 * A device-bound connection that the second pass found and then could not
 * find to destroy may be hidden by a twin bound to no device with the same
 * addresses and ports, which the kernel's lookup (a destroy's too) finds
 * first.  One more walk tells those still there: they cannot be dropped.
 */
static void
bulk_verify(struct diag *diag, const struct diag_filter *filter, struct drop_batch *batch)
{
	int error;

	ids_sort(&batch->gone);
	error = diag_walk(diag, filter, shadowed_visit, batch);
	if (error != 0)
		die_diag_failed("listing TCP connections", error);
}

/* What a walk must ask the kernel for to decide select_match(). */
static struct diag_filter
walk_filter(const struct selection *selection)
{
	return (struct diag_filter){
		.states = selection->states,
		.want_ulp = selection->ulp != NULL,
		.want_algorithm = selection->algorithm != NULL,
		.want_info = selection->by_idle,
	};
}

/*
 * Drop in one pass, or two.  A walk resumes by its position in a hash
 * chain, and destroying sockets behind that position can make it skip
 * others: so the first walk collects what matches and destroys it after.
 * But past BATCH_COLLECT_MOST connections it destroys as it goes, in
 * batches through a second socket, so that memory stays flat however many
 * there are; then a second walk collects whatever still matches and only
 * then destroys it.  Every connection that matched at the start is gone at
 * the end.
 */
bool
drop_bulk(const struct run *run, const struct selection *selection)
{
	struct diag_filter filter = walk_filter(selection);
	struct diag *diag = run->diag, *privileged = NULL;
	struct drop_batch *batch = NULL;
	struct walker walker = { .selection = selection, .run = run };
	const char *unfinished = run->list ? "the list is not complete" :
	    "connections that still matched were not dropped";
	bool ok;

	bytecode_compile(selection, true, &filter.bytecode);
	bytecode_compile(selection, false, &filter.bytecode_basic);
	interrupt_watch();
	batch = xcalloc(1, sizeof(*batch));
	batch->diag = diag;
	batch->selection = selection;
	walker.batch = batch;
	walk_selecting(diag, &filter, &walker, unfinished);
	/*
	 * Some kernels (6.1, 6.12) name a socket's upper layer protocol only
	 * to a privileged walk: where -S found none named, walk again so, and
	 * go on with that socket (the first walk selected nothing).
	 */
	if (selection->ulp != NULL && !walker.saw_ulp &&
	    (privileged = diag_open_privileged()) != NULL) {
		diag = batch->diag = privileged;
		walk_selecting(diag, &filter, &walker, unfinished);
	}
	if (!run->list) {
		drop_batch_flush(batch);
		/* What failed once is told once: the second walk passes it over. */
		ids_sort(&batch->failed);
		batch->verifying = true;
		if (walker.destroyed_walking) {
			walker.destroy_now = false;
			walk_selecting(diag, &filter, &walker, unfinished);
		}
		destroy_collected(&walker, unfinished);
		/* A signal that came during the last batch: everything was done, and it still ends the run. */
		if (interrupted())
			die_interrupted("every connection that matched was dropped");
		if (batch->gone.count > 0)
			bulk_verify(diag, &filter, batch);
	}
	ok = !batch->error && batch->failed.count == 0;
	/* What -c asks for, the kernel cannot tell: the run failed, whatever it did. */
	if (walker.cgroupless) {
		report_no_cgroups(selection->cgroup);
		ok = false;
	}
	ids_free(&batch->failed);
	ids_free(&batch->gone);
	free(batch);
	free(walker.conns);
	bytecode_free(&filter.bytecode);
	bytecode_free(&filter.bytecode_basic);
	if (privileged != NULL)
		diag_close(privileged);
	return ok;
}
