/*
 * What the files of the netlink module share, and nothing outside it sees:
 * the socket (diag.c, which also walks), the batched lookups and destroys
 * (diag_exchange.c), and the messages themselves (diag_message.c).
 */
#ifndef TCPDROP_DIAG_INTERNAL_H
#define TCPDROP_DIAG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "conn.h"
#include "diag.h"

struct mnl_socket;
struct nlmsghdr;

/*
 * Each answer in a batch is a datagram of its own; recvmmsg(2) takes up
 * to ANSWER_SLOTS of them per system call.  An answer without extended
 * attributes is well under ANSWER_SIZE.
 */
enum {
	ANSWER_SLOTS = 128,
	ANSWER_SIZE = 2048,
};

struct diag {
	struct mnl_socket *socket;
	unsigned int portid;
	unsigned int sequence;
	size_t destroy_batch;	/* requests per system call */
	size_t lookup_batch;
	char *send_buffer;
	char *receive_buffer;
	char *datagrams;		/* ANSWER_SLOTS buffers of ANSWER_SIZE */
	struct mmsghdr *slots;
	struct iovec *vectors;
	bool walking;		/* a dump is in flight on this socket */
	struct diag *destroyer;	/* a second socket, for destroys while walking */
	int destroyer_error;	/* why it could not be opened, or 0 */
	bool keeps_orphans;	/* the kernel was seen to keep an orphan it destroyed */
};

/* Send a whole buffer of requests in one send(2).  Returns 0 or a negative errno. */
int diag_send(struct diag *diag, const void *buffer, size_t length);

/* The length of a request without attributes: a batch is sized by it. */
size_t diag_request_size(void);

/* A dump of one family's sockets in the filter's states, filtered by the bytecode. */
struct nlmsghdr *diag_put_family_dump(void *buffer, uint32_t sequence, int family,
    const struct diag_filter *filter, const struct diag_bytecode *bytecode);

/* The same of IPv4 and IPv6 sockets at once, with the older TCPDIAG_GETSOCK. */
struct nlmsghdr *diag_put_both_dump(void *buffer, uint32_t sequence,
    const struct diag_filter *filter, const struct diag_bytecode *bytecode);

/* A request about one socket: a lookup by its endpoints, or a destroy by its cookie too. */
struct nlmsghdr *diag_put_socket_request(void *buffer, uint16_t type, uint16_t flags,
    uint32_t sequence, const struct conn *conn);

#endif
