/* Destroying, then looking again where the kernel's word is not enough. */
#include "destroy.h"

#include <errno.h>
#include <stdlib.h>

#include "alloc.h"
#include "outcome.h"
#include "report.h"

/*
 * Is this answer one to check?  A success for a socket no process held (an
 * orphan may have been kept); a refusal as for a time-wait socket, of one
 * that was none when it was listed (it may have closed into TIME_WAIT since,
 * and kept its cookie; else the kernel has no SOCK_DESTROY at all).  Once
 * the kernel has kept one orphan it answered success for, every success is
 * checked: a connection its process held when it was listed may have been
 * closed since.
 */
static bool
doubtful(const struct diag *diag, const struct conn *conn, int answer)
{
	return (answer == 0 && (conn->orphan || diag_keeps_orphans(diag))) ||
	    (answer == -EOPNOTSUPP && !conn->time_wait_socket);
}

int
destroy_checked(struct diag *diag, struct conn *conns, size_t count, int *answers)
{
	int error = diag_destroy(diag, conns, count, answers);
	size_t *index = NULL, doubts = 0;
	struct conn *wanted = NULL, *found = NULL;
	int *looked = NULL;

	for (size_t i = 0; i < count; i++)
		if (doubtful(diag, &conns[i], answers[i]))
			doubts++;
	if (doubts == 0)
		return error;
	index = xcalloc(doubts, sizeof(*index));
	wanted = xcalloc(doubts, sizeof(*wanted));
	found = xcalloc(doubts, sizeof(*found));
	looked = xcalloc(doubts, sizeof(*looked));
	doubts = 0;
	for (size_t i = 0; i < count; i++) {
		if (doubtful(diag, &conns[i], answers[i])) {
			index[doubts] = i;
			wanted[doubts++] = conns[i];
		}
	}
	/*
	 * The lookup carries the cookie: a destroyed socket is not found, and
	 * a newer one with the same addresses and ports is not the same.  A
	 * lookup that failed leaves its answer as the kernel gave it.
	 */
	(void)diag_lookup(diag, wanted, doubts, found, looked);
	for (size_t j = 0; j < doubts; j++) {
		int *answer = &answers[index[j]];
		bool there = looked[j] == 0 && found[j].cookie == wanted[j].cookie;

		if (*answer == 0) {
			if (there) {
				*answer = DESTROY_KEPT;
				diag_saw_orphan_kept(diag);
			}
		} else if (there && found[j].time_wait_socket) {
			*answer = DESTROY_NOW_TIME_WAIT;
			conns[index[j]] = found[j];
		} else if (looked[j] == -ENOENT || (looked[j] == 0 && !there)) {
			/* Closed into TIME_WAIT, then gone: no sign of a kernel without SOCK_DESTROY. */
			*answer = -ENOENT;
		}
	}
	free(index);
	free(wanted);
	free(found);
	free(looked);
	return error;
}
