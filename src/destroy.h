/*
 * Destroying connections, and believing the kernel only for what it did:
 * some kernels (5.10 among them) answer a destroy of an orphaned connection
 * (one its process closed, still sending its FIN) with success, and keep it.
 */
#ifndef TCPDROP_DESTROY_H
#define TCPDROP_DESTROY_H

#include <stddef.h>

#include "conn.h"
#include "diag.h"

/*
 * Destroy connections by identity and cookie, as diag_destroy() does, then
 * look again for those no process holds: one still there with its cookie
 * has results[i] set to DESTROY_KEPT (see outcome.h).
 */
int destroy_checked(struct diag *diag, const struct conn *conns, size_t count, int *results);

#endif
