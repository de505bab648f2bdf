/*
 * The network namespace a netlink socket speaks for is fixed when the
 * socket is made, so tcpdrop enters the namespace before it opens one.
 */
#include "netns.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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

#include "alloc.h"
#include "report.h"
#include "spell.h"

char *
netns_path(const char *name)
{
	if (strchr(name, '/') != NULL)
		return xstrdup(name);
	return xasprintf("/run/netns/%s", name);
}

char *
netns_lexical_path(const char *path)
{
	char *clean = xmalloc(strlen(path) + 2);
	size_t length = 0;

	for (const char *part = path; *part != '\0';) {
		size_t size = strcspn(part, "/");

		if (size == 2 && strncmp(part, "..", 2) == 0) {
			while (length > 0 && clean[--length] != '/')
				;
		} else if (size > 0 && !(size == 1 && part[0] == '.')) {
			clean[length++] = '/';
			memcpy(clean + length, part, size);
			length += size;
		}
		part += size + (part[size] == '/');
	}
	if (length == 0)
		clean[length++] = '/';
	clean[length] = '\0';
	return clean;
}

/* Does a component of the path name this process: "self", "thread-self", our pid or tid? */
static bool
names_this_process(const char *path)
{
	char pid[24], tid[24];

	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	snprintf(tid, sizeof(tid), "%d", (int)gettid());
	for (const char *part = path; *part != '\0';) {
		size_t size = strcspn(part, "/");

		if ((size == 4 && strncmp(part, "self", 4) == 0) ||
		    (size == 11 && strncmp(part, "thread-self", 11) == 0) ||
		    (size == strlen(pid) && strncmp(part, pid, size) == 0) ||
		    (size == strlen(tid) && strncmp(part, tid, size) == 0))
			return true;
		part += size + (part[size] == '/');
	}
	return false;
}

/*
 * The path as the kernel would reach it: its directory with every link
 * followed (realpath), then its last component, itself followed while it
 * is a link to a path, and not the kernel's "net:[N]" of a namespace.  A
 * malloc'd path, or NULL where some part cannot be resolved.
 */
static char *
resolved_path(const char *path)
{
	char *current = xstrdup(path);

	for (int links = 0; links < 40; links++) {
		char *slash = strrchr(current, '/'), *directory, *next = NULL, target[PATH_MAX];
		ssize_t length;

		if (slash == NULL || slash[1] == '\0')
			break;
		*slash = '\0';
		directory = realpath(current[0] == '\0' ? "/" : current, NULL);
		*slash = '/';
		if (directory == NULL)
			break;
		length = readlink(current, target, sizeof(target) - 1);
		if (length < 0 || strncmp(target, "net:[", 5) == 0) {
			next = xasprintf("%s/%s", strcmp(directory, "/") == 0 ? "" : directory,
			    slash + 1);
			free(directory);
			free(current);
			return next;
		}
		target[length] = '\0';
		if (target[0] == '/')
			next = xstrdup(target);
		else
			next = xasprintf("%s/%s", directory, target);
		free(directory);
		free(current);
		current = next;
	}
	free(current);
	return NULL;
}

/* Is this directory, or the nearest one that exists above it, on a procfs? */
static bool
on_procfs(const char *path)
{
	char *directory = xstrdup(path), *slash;
	struct statfs filesystem;
	bool procfs = false;

	while ((slash = strrchr(directory, '/')) != NULL) {
		*slash = '\0';
		if (statfs(directory[0] == '\0' ? "/" : directory, &filesystem) == 0) {
			procfs = filesystem.f_type == PROC_SUPER_MAGIC;
			break;
		}
	}
	free(directory);
	return procfs;
}

bool
netns_listable(const char *name)
{
	char *clean, *resolved;
	bool listable;

	if (!spell_text_printable(name))
		return false;
	if (strchr(name, '/') == NULL)
		return true;
	if (name[0] != '/')
		return false;
	/*
	 * However it is spelt ("//proc/self", "/proc/./self", a link to it,
	 * /proc/PID with our own pid), a path through this process names
	 * whatever namespace the reader of the line is in.
	 */
	clean = netns_lexical_path(name);
	listable = !(strncmp(clean, "/proc/", 6) == 0 && names_this_process(clean + 6));
	resolved = listable ? resolved_path(name) : NULL;
	if (resolved != NULL && on_procfs(resolved) && names_this_process(resolved))
		listable = false;
	free(resolved);
	free(clean);
	return listable;
}

static bool
is_network_namespace(int fd)
{
	struct statfs filesystem;

	return fstatfs(fd, &filesystem) == 0 && filesystem.f_type == NSFS_MAGIC &&
	    ioctl(fd, NS_GET_NSTYPE) == CLONE_NEWNET;
}

int
netns_open(const char *path)
{
	struct stat status;
	int fd;

	/*
	 * A namespace is a regular file of its own file system: look before
	 * opening, so that no FIFO, socket or device is ever opened.
	 */
	if (stat(path, &status) < 0)
		return -errno;
	if (!S_ISREG(status.st_mode))
		return NETNS_NOT_A_NAMESPACE;
	/* Should the path change between the look and the open, nothing blocks. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (!is_network_namespace(fd)) {
		close(fd);
		return NETNS_NOT_A_NAMESPACE;
	}
	return fd;
}

/* A namespace is its inode on the namespace file system. */
static int
identity(int result, const struct stat *status, struct netns_id *id)
{
	if (result < 0)
		return -errno;
	id->device = status->st_dev;
	id->inode = status->st_ino;
	return 0;
}

int
netns_identify(int fd, struct netns_id *id)
{
	struct stat status;

	return identity(fstat(fd, &status), &status, id);
}

int
netns_current(struct netns_id *id)
{
	struct stat status;

	return identity(stat(NETNS_CURRENT_PATH, &status), &status, id);
}

void
netns_enter(const char *name)
{
	char *path = netns_path(name);
	int fd;

	fd = netns_open(path);
	if (fd < 0)
		die_netns_failed(path, fd);
	if (setns(fd, CLONE_NEWNET) < 0)
		die_netns_enter_failed(path, -errno);
	close(fd);
	free(path);
}
