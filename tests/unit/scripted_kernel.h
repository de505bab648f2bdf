/*
 * A scripted kernel: tcpdrop runs whole, netlink decoding included, and
 * only the calls that move bytes (send, mnl_socket_recvfrom, recvmmsg) are
 * replaced, by ld --wrap, with a kernel that answers each request as this
 * script says.  So each answer a kernel can give, including ones this
 * machine's kernel never gives, is tested without one.
 *
 * A unit test that includes this header is linked with scripted_kernel.o
 * and the wrapped calls (the Makefile finds it by the #include); it sets
 * scripted_kernel after scripted_kernel_reset() and calls scripted_run().
 */
#ifndef TCPDROP_SCRIPTED_KERNEL_H
#define TCPDROP_SCRIPTED_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conn.h"

/*
 * SCRIPTED_ANSWERS: destroys whose answer can be scripted (the rest
 * succeed).  SCRIPTED_SOCKETS: sockets a dump can find, enough for a bulk
 * drop past BATCH_COLLECT_MOST, which then walks twice.
 */
enum { SCRIPTED_ANSWERS = 8, SCRIPTED_SOCKETS = 8192 };

struct scripted_kernel {
	struct conn dump[SCRIPTED_SOCKETS];	/* what every dump finds */
	size_t dump_count;
	const struct conn *lookup;	/* what an exact lookup finds; NULL: see lookup_in_dump */
	bool lookup_in_dump;		/* lookups without lookup find sockets of the dump */
	int destroy_errors[SCRIPTED_ANSWERS];	/* the answer to each destroy, in order */
	uint64_t skipped;		/* a cookie the first walk misses */
	uint64_t kept;			/* a cookie no destroy removes (its answer is scripted) */
	bool only_by_family;		/* refuses the older TCPDIAG_GETSOCK dump */
	bool no_bytecode;		/* refuses a dump with a filter (EINVAL), as an old kernel may */

	/* What the kernel saw and did; scripted_run() hands back the counts. */
	size_t destroys;		/* destroy requests seen */
	size_t dumps;			/* dump requests seen, one per family */
	size_t refused;			/* dump requests refused for their filter */
	bool lookup_destroyed;		/* the socket lookups find was destroyed */
};

extern struct scripted_kernel scripted_kernel;

/* How one run of tcpdrop went. */
struct scripted_result {
	int status;		/* its exit status; -1 if a signal ended it */
	char out[1 << 18];	/* enough for a line for each socket of a dump */
	char err[1024];
	size_t destroys;	/* destroy requests the kernel saw */
	size_t dumps;		/* dump requests, one per family */
};

/* A kernel with no socket, that answers every request as a kernel should. */
void scripted_kernel_reset(void);

/* An IPv4 connection with a cookie of its own, each call the next. */
struct conn scripted_conn(const char *local, unsigned local_port, const char *foreign,
    unsigned foreign_port, int state);

/*
 * Run tcpdrop with these arguments (argv[0] included, NULL-terminated)
 * against the scripted kernel, in a child, with input on its standard
 * input (none if NULL).
 */
void scripted_run(char **argv, const char *input, struct scripted_result *result);

#endif
