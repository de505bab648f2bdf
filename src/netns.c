/*
 * The network namespace a netlink socket speaks for is fixed when the
 * socket is made, so tcpdrop enters the namespace before it opens one.
 */
#include "netns.h"

#include <err.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void
netns_enter(const char *name)
{
	char path[4096];
	int fd;

	if (strchr(name, '/') != NULL)
		snprintf(path, sizeof(path), "%s", name);
	else if (snprintf(path, sizeof(path), "/run/netns/%s", name) >= (int)sizeof(path))
		errx(1, "network namespace %s: name too long", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		err(1, "network namespace %s", path);
	if (setns(fd, CLONE_NEWNET) < 0)
		err(1, "cannot enter network namespace %s", path);
	close(fd);
}
