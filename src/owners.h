/*
 * The owners -u, -c and -p name, as the kernel records them for a socket:
 * a user id, cgroup v2 ids, socket inodes.
 */
#ifndef TCPDROP_OWNERS_H
#define TCPDROP_OWNERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ids.h"

/* Why an owner names nothing: an errno, or one of these. */
enum {
	OWNERS_NO_SUCH_USER = -1,
	OWNERS_NO_CGROUP2 = -2,		/* no cgroup2 file system is mounted */
	OWNERS_NOT_A_CGROUP = -3,	/* the path is not a directory of cgroup2 */
};

/* A user by name or number: returns 0, or OWNERS_NO_SUCH_USER or an errno. */
int owners_user(const char *name, uint32_t *uid);

/*
 * The ids of a cgroup v2, given relative to where cgroup2 is mounted
 * ("system.slice/nginx.service", with or without a leading '/'), and of
 * every cgroup under it.  For the root of the whole hierarchy, *every is
 * set and no ids are: every cgroup, those removed since included.  *where
 * is set to the directory (malloc'd) when it was found.  Returns 0, or an
 * errno or OWNERS_* code.
 */
int owners_cgroup(const char *path, struct ids *ids, bool *every, char **where);

/* The inodes of the sockets a process holds open.  Returns 0 or an errno. */
int owners_process(pid_t pid, struct ids *ids);

#endif
