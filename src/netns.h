/* tcpdrop -N: act inside another network namespace. */
#ifndef TCPDROP_NETNS_H
#define TCPDROP_NETNS_H

#include <stdbool.h>
#include <sys/types.h>

/* What tells one network namespace from another. */
struct netns_id {
	dev_t device;
	ino_t inode;
};

/* Why a name names no network namespace: a negative errno, or this, which no errno is. */
enum { NETNS_NOT_A_NAMESPACE = -0x30001 };

/*
 * The path a name stands for: a name with a slash is a path
 * (/proc/PID/ns/net), any other is one of ip-netns(8)'s, under /run/netns.
 * Returns a malloc'd string.
 */
char *netns_path(const char *name);

/*
 * Open the network namespace at a path, and nothing else: not a FIFO (which
 * would block), a device (which opening may change) or another kind of
 * namespace.  Returns a descriptor, or a negative errno or
 * NETNS_NOT_A_NAMESPACE.
 */
int netns_open(const char *path);

/* The identity of the namespace a descriptor from netns_open() holds: 0, or a negative errno. */
int netns_identify(int fd, struct netns_id *id);

/* Where this thread's network namespace is seen. */
#define NETNS_CURRENT_PATH "/proc/thread-self/ns/net"

/* The identity of the network namespace this thread is in: 0, or a negative errno. */
int netns_current(struct netns_id *id);

/*
 * The absolute path with "//", "." and ".." taken out, lexically, as the
 * kernel reads it where no symbolic link intervenes: "/proc/../proc//self/./ns"
 * is "/proc/self/ns".  A malloc'd string.
 */
char *netns_lexical_path(const char *path);

/*
 * Can -l print this name in a command that names the same namespace
 * wherever it runs: printable text, and not a path relative to the
 * current directory or to the running process (/proc/self)?
 */
bool netns_listable(const char *name);

/* Enter the network namespace a name stands for.  Exits with a message if it cannot. */
void netns_enter(const char *name);

#endif
