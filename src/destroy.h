/*
 * Destroying connections, and believing the kernel only for what it did:
 * some kernels (5.10 among them) answer a destroy of an orphaned connection
 * (one its process closed, still sending its FIN) with success, and keep it;
 * and before 6.0 a connection that closed into TIME_WAIT between its listing
 * and its destroy is refused as if the kernel had no SOCK_DESTROY.
 */
#ifndef TCPDROP_DESTROY_H
#define TCPDROP_DESTROY_H

#include <stddef.h>

#include "conn.h"
#include "diag.h"

/*
 * Destroy connections by identity and cookie, as diag_destroy() does, then
 * look again where the answer is in doubt: a socket no process held that
 * is still there has answers[i] set to DESTROY_KEPT; one refused as a
 * time-wait socket is, that was none when listed, DESTROY_NOW_TIME_WAIT if
 * it has closed into one meanwhile, and conns[i] is the socket as it is
 * now, or -ENOENT if it is gone (see outcome.h).
 */
int destroy_checked(struct diag *diag, struct conn *conns, size_t count, int *answers);

#endif
