/*
 * The network namespace a netlink socket speaks for is fixed when the
 * socket is made, so tcpdrop enters the namespace before it opens one.
 */
#include "netns.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "report.h"

char *
netns_path(const char *name)
{
	char *path = NULL;

	if (strchr(name, '/') != NULL)
		return strdup(name);
	if (asprintf(&path, "/run/netns/%s", name) < 0)
		return NULL;
	return path;
}

bool
netns_listable(const char *name)
{
	if (!report_text_printable(name))
		return false;
	if (strchr(name, '/') == NULL)
		return true;
	return name[0] == '/' && strncmp(name, "/proc/self/", 11) != 0 &&
	    strncmp(name, "/proc/thread-self/", 18) != 0;
}

static bool
is_network_namespace(int fd)
{
	struct statfs filesystem;

	return fstatfs(fd, &filesystem) == 0 && filesystem.f_type == NSFS_MAGIC &&
	    ioctl(fd, NS_GET_NSTYPE) == CLONE_NEWNET;
}

int
netns_open(const char *path, int *error)
{
	struct stat status;
	int fd;

	/*
	 * A namespace is a regular file of its own file system: look before
	 * opening, so that no FIFO, socket or device is ever opened.
	 */
	if (stat(path, &status) < 0) {
		*error = errno;
		return -1;
	}
	if (!S_ISREG(status.st_mode)) {
		*error = NETNS_NOT_A_NAMESPACE;
		return -1;
	}
	/* Should the path change between the look and the open, nothing blocks. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		*error = errno;
		return -1;
	}
	if (!is_network_namespace(fd)) {
		close(fd);
		*error = NETNS_NOT_A_NAMESPACE;
		return -1;
	}
	return fd;
}

/* A namespace is its inode on the namespace file system. */
static bool
identity(int result, const struct stat *status, struct netns_id *id)
{
	if (result < 0)
		return false;
	id->device = status->st_dev;
	id->inode = status->st_ino;
	return true;
}

bool
netns_identify(int fd, struct netns_id *id)
{
	struct stat status;

	return identity(fstat(fd, &status), &status, id);
}

bool
netns_current(struct netns_id *id)
{
	struct stat status;

	return identity(stat(NETNS_CURRENT_PATH, &status), &status, id);
}

void
netns_enter(const char *name)
{
	char *path = netns_path(name);
	int fd, error = 0;

	if (path == NULL)
		report_out_of_memory();
	fd = netns_open(path, &error);
	if (fd < 0)
		report_netns_failed(path, error);
	if (setns(fd, CLONE_NEWNET) < 0)
		report_netns_enter_failed(path, errno);
	close(fd);
	free(path);
}
