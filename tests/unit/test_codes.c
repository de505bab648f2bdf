/*
 * Failures are negative errnos throughout, and a module's own codes are
 * distinct from every errno and from each other's, so that one reporter
 * can tell any of them apart.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "netns.h"
#include "outcome.h"
#include "owners.h"
#include "unit.h"

/* The kernel's errnos are below 4096 (MAX_ERRNO). */
enum { ERRNO_MOST = 4095 };

int
main(void)
{
	static const int codes[] = {
		DESTROY_KEPT, DESTROY_NOW_TIME_WAIT,
		OWNERS_NO_SUCH_USER, OWNERS_NO_CGROUP2, OWNERS_NOT_A_CGROUP, OWNERS_NO_PROC,
		OWNERS_OVERFLOW_UID,
		NETNS_NOT_A_NAMESPACE,
	};
	size_t count = sizeof(codes) / sizeof(codes[0]);
	bool distinct = true, beyond_errno = true;
	char file[] = "/tmp/tcpdrop-test-codes.XXXXXX";
	char directory[] = "/tmp/tcpdrop-test-codes.XXXXXX";
	struct ids ids;
	bool every;
	char *where;
	uint32_t uid;
	int fd;

	for (size_t i = 0; i < count; i++) {
		beyond_errno &= codes[i] < -ERRNO_MOST;
		for (size_t j = i + 1; j < count; j++)
			distinct &= codes[i] != codes[j];
	}
	CHECK(beyond_errno, "every private code lies beyond the errnos");
	CHECK(distinct, "no two private codes are the same");

	CHECK(owners_user("4294967295", &uid) == OWNERS_NO_SUCH_USER,
	    "-u (uid_t)-1: OWNERS_NO_SUCH_USER");
	CHECK(owners_user("0", &uid) == 0 && uid == 0, "-u 0: uid 0");
	CHECK(owners_process(0, &ids) == -ENOENT || owners_process(0, &ids) == OWNERS_NO_PROC,
	    "-p 0: -ENOENT (no /proc/0), negative");
	CHECK(owners_cgroup("/nonexistent-tcpdrop", "a", &ids, &every, &where) == -ENOENT,
	    "-c under a missing directory: -ENOENT");
	free(where);
	CHECK(mkdtemp(directory) != NULL, "a directory to stand for a mount");
	CHECK(owners_cgroup(directory, "/", &ids, &every, &where) == OWNERS_NOT_A_CGROUP,
	    "-c where no cgroup2 is: OWNERS_NOT_A_CGROUP");
	free(where);
	rmdir(directory);

	CHECK(netns_open("/nonexistent-tcpdrop/ns") == -ENOENT, "-N a missing path: -ENOENT");
	fd = mkstemp(file);
	CHECK(fd >= 0, "a regular file to stand for a namespace");
	close(fd);
	CHECK(netns_open(file) == NETNS_NOT_A_NAMESPACE, "-N a plain file: NETNS_NOT_A_NAMESPACE");
	unlink(file);
	CHECK(netns_open("/dev/null") == NETNS_NOT_A_NAMESPACE,
	    "-N a device: NETNS_NOT_A_NAMESPACE, never opened");
	return unit_done();
}
