/*
 * The network namespace a netlink socket speaks for is fixed when the
 * socket is made, so tcpdrop enters the namespace before it opens one.
 */
#include "netns.h"

#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "report.h"

void
netns_enter(const char *name)
{
	char path[4096];
	int fd;

	if (strchr(name, '/') != NULL)
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		report_netns_failed(path, false);
	if (setns(fd, CLONE_NEWNET) < 0)
		report_netns_failed(path, true);
	close(fd);
}
