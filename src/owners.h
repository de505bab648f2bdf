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

/*
 * Why an owner names nothing: a negative errno, or one of these, which no
 * errno is (nor any other module's code: see outcome.h, netns.h).
 */
enum {
	OWNERS_NO_SUCH_USER = -0x20001,
	OWNERS_NO_CGROUP2 = -0x20002,	/* the table of mounts lists no cgroup2 */
	OWNERS_NOT_A_CGROUP = -0x20003,	/* the path is not a directory of cgroup2 */
	OWNERS_NO_PROC = -0x20004,	/* no /proc is mounted to show a process's files */
	OWNERS_OVERFLOW_UID = -0x20005,	/* the uid every user the namespace does not map shows as */
};

/* A user by name or number: returns 0, OWNERS_NO_SUCH_USER or a negative errno. */
int owners_user(const char *name, uint32_t *uid);

/* Where a process sees the users its user namespace maps. */
#define OWNERS_UID_MAP "/proc/self/uid_map"

/*
 * Does the kernel show this uid as the owner of that user's sockets alone?
 * In a user namespace that does not map every user (one made by unshare
 * -r, a container's), the owner of a socket the namespace does not map
 * shows as the overflow uid (/proc/sys/kernel/overflowuid): -u with that
 * uid would select every such user's.  Returns 0, OWNERS_OVERFLOW_UID, or
 * the negative errno that kept the map from being read, for the overflow uid.
 */
int owners_uid_unambiguous(uint32_t uid);

/* The table of mounts the cgroup2 mount is looked up in. */
#define OWNERS_MOUNT_TABLE "/proc/self/mountinfo"

/*
 * Where cgroup2 is mounted (/sys/fs/cgroup, or /sys/fs/cgroup/unified on
 * hybrid systems), in *mount (malloc'd).  Returns 0, OWNERS_NO_CGROUP2 if
 * the table of mounts lists none, or the negative errno that kept it from being read.
 */
int owners_cgroup2_mount(char **mount);

/*
 * The ids of a cgroup v2, given relative to where cgroup2 is mounted
 * ("system.slice/nginx.service", with or without a leading '/'), and of
 * every cgroup under it.  For the root of the whole hierarchy, *every is
 * set and no ids are: every cgroup, those removed since included.  *where
 * is set to the directory (malloc'd) when it was found.  Returns 0, a
 * negative errno or an OWNERS_* code.
 */
int owners_cgroup(const char *mount, const char *path, struct ids *ids, bool *every,
    char **where);

/*
 * The inodes of the sockets a process holds open.  Returns 0, a negative
 * errno, or OWNERS_NO_PROC.
 */
int owners_process(pid_t pid, struct ids *ids);

#endif
