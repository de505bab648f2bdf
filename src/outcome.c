/* One policy for every destroy's answer, whichever path sent it. */
#include "outcome.h"

#include <errno.h>

enum outcome
outcome_of_destroy(const struct conn *conn, int answer)
{
	if (answer == 0)
		return OUTCOME_DROPPED;
	/* The cookie no longer names a socket. */
	if (answer == -ENOENT)
		return OUTCOME_GONE;
	/*
	 * No privilege, or a kernel without SOCK_DESTROY, would fail every
	 * connection alike.  A time-wait socket alone refused is an older
	 * kernel (before 6.0) that cannot destroy those.
	 */
	if (answer == -EPERM || answer == -EACCES ||
	    (answer == -EOPNOTSUPP && !conn->time_wait_socket))
		return OUTCOME_FATAL;
	return OUTCOME_FAILED;
}
