/*
 * The netlink socket of NETLINK_SOCK_DIAG, through libmnl: opened, sized
 * and closed, with its destroyer, the second socket that serves a walk's
 * visitor; and the walks.  Lookups and destroys are in diag_exchange.c,
 * the messages in diag_message.c; everything else in tcpdrop sees struct
 * conn and never a netlink message.
 */
#include "diag_internal.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "alloc.h"
#include "batch.h"
#include "privilege.h"

/*
 * Every request in a batch is answered by a datagram of its own, and the
 * kernel charges each against our receive buffer: about a kilobyte for the
 * acknowledgement of a destroy, twice that for the socket a lookup finds.
 * A batch must fit in the buffer or answers are dropped (ENOBUFS), so
 * batches are sized from the buffer we actually got: a process without
 * CAP_NET_ADMIN over the host (in a user namespace, say) cannot raise it
 * past net.core.rmem_max.
 */
enum {
	RECEIVE_BUFFER_WANTED = 8 << 20,
	ACK_COST = 1024,
	LOOKUP_COST = 2048,
	MESSAGE_BUFFER = 64 << 10,
};

static size_t
batch_size(size_t buffer, size_t cost)
{
	size_t batch = buffer / cost;

	return batch > BATCH_REQUESTS_MOST ? BATCH_REQUESTS_MOST :
	    batch < BATCH_REQUESTS_LEAST ? BATCH_REQUESTS_LEAST : batch;
}

/*
 * A socket whose answers never carry what only the privileged may see.
 * When the socket that asks for a dump was opened with CAP_NET_ADMIN in
 * effect, the kernel adds each socket's TCP-MD5 keys to its record, and a
 * record too large for a dump message ends the dump early, with no error:
 * an unprivileged user can put hundreds of keys on a socket of theirs and
 * hide every socket the walk would have found after it.  Netlink judges
 * the socket by its opener's credentials (and a request sent to an
 * explicit address as privileged, so requests go out with send(2)), while
 * SOCK_DESTROY checks only the process that sends it: opened with
 * CAP_NET_ADMIN out of the effective set, the socket lists without
 * privilege and still destroys.
 */
static struct mnl_socket *
open_unprivileged(void)
{
	struct privilege privilege;
	struct mnl_socket *socket;
	int error;

	if (!privilege_lower(&privilege))
		return NULL;
	socket = mnl_socket_open(NETLINK_SOCK_DIAG);
	error = errno;
	/* Without CAP_NET_ADMIN back, nothing could be dropped: better fail now. */
	if (!privilege_restore(&privilege)) {
		error = errno;
		if (socket != NULL)
			mnl_socket_close(socket);
		socket = NULL;
	}
	errno = error;
	return socket;
}

static struct diag *
open_as(bool privileged)
{
	struct diag *diag = xcalloc(1, sizeof(*diag));
	int one = 1, size = RECEIVE_BUFFER_WANTED, fd;
	socklen_t size_length = sizeof(size);

	diag->socket = privileged ? mnl_socket_open(NETLINK_SOCK_DIAG) : open_unprivileged();
	if (diag->socket == NULL)
		goto fail;
	if (mnl_socket_bind(diag->socket, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	diag->portid = mnl_socket_get_portid(diag->socket);
	/*
	 * Connected to the kernel, the socket takes messages from nobody else:
	 * no local process can feed tcpdrop forged answers.
	 */
	if (connect(mnl_socket_get_fd(diag->socket),
	    (const struct sockaddr *)&(const struct sockaddr_nl){ .nl_family = AF_NETLINK },
	    sizeof(struct sockaddr_nl)) < 0)
		goto fail;
	/* Acknowledgements need not echo each request back: they stay small. */
	(void)mnl_socket_setsockopt(diag->socket, NETLINK_CAP_ACK, &one, sizeof(one));
	fd = mnl_socket_get_fd(diag->socket);
	/* Only a privileged process may exceed rmem_max; it is also the one that destroys. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, &size_length) < 0)
		goto fail;
	diag->destroy_batch = batch_size((size_t)size, ACK_COST);
	diag->lookup_batch = batch_size((size_t)size, LOOKUP_COST);
	/* A batch goes out in one send(2), which netlink refuses past the send buffer. */
	size = (int)(BATCH_REQUESTS_MOST * diag_request_size()) + 4096;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	size_length = sizeof(size);
	if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, &size_length) < 0)
		goto fail;
	if (diag->destroy_batch > ((size_t)size - 64) / diag_request_size())
		diag->destroy_batch = ((size_t)size - 64) / diag_request_size();
	if (diag->lookup_batch > diag->destroy_batch)
		diag->lookup_batch = diag->destroy_batch;
	diag->send_buffer = xmalloc(diag->destroy_batch * diag_request_size());
	diag->receive_buffer = xmalloc(MESSAGE_BUFFER);
	diag->datagrams = xmalloc((size_t)ANSWER_SLOTS * ANSWER_SIZE);
	diag->slots = xcalloc(ANSWER_SLOTS, sizeof(*diag->slots));
	diag->vectors = xcalloc(ANSWER_SLOTS, sizeof(*diag->vectors));
	return diag;
fail:
	diag_close(diag);
	return NULL;
}

struct diag *
diag_open(void)
{
	return open_as(false);
}

struct diag *
diag_open_privileged(void)
{
	return open_as(true);
}

void
diag_close(struct diag *diag)
{
	int saved = errno;

	if (diag == NULL)
		return;
	if (diag->socket != NULL)
		mnl_socket_close(diag->socket);
	diag_close(diag->destroyer);
	free(diag->send_buffer);
	free(diag->receive_buffer);
	free(diag->datagrams);
	free(diag->slots);
	free(diag->vectors);
	free(diag);
	errno = saved;
}

bool
diag_destroyer_ready(struct diag *diag)
{
	if (diag->destroyer == NULL && diag->destroyer_error == 0 &&
	    (diag->destroyer = diag_open()) == NULL)
		diag->destroyer_error = errno != 0 ? errno : EIO;
	if (diag->destroyer == NULL)
		errno = diag->destroyer_error;
	return diag->destroyer != NULL;
}

bool
diag_keeps_orphans(const struct diag *diag)
{
	return diag->keeps_orphans;
}

void
diag_saw_orphan_kept(struct diag *diag)
{
	diag->keeps_orphans = true;
}

/* Receive one datagram; retries interrupted calls.  Returns 0 or a negative errno. */
static int
receive(struct diag *diag, ssize_t *length)
{
	do
		*length = mnl_socket_recvfrom(diag->socket, diag->receive_buffer, MESSAGE_BUFFER);
	while (*length < 0 && errno == EINTR);
	return *length < 0 ? -errno : 0;
}

int
diag_send(struct diag *diag, const void *buffer, size_t length)
{
	ssize_t sent;

	/* The socket is connected: no address, which the kernel would take for privilege. */
	do
		sent = send(mnl_socket_get_fd(diag->socket), buffer, length, 0);
	while (sent < 0 && errno == EINTR);
	if (sent < 0)
		return -errno;
	return (size_t)sent == length ? 0 : -EMSGSIZE;
}

struct walk {
	diag_visit visit;
	void *context;
	int stopped;
	bool malformed;
	size_t visited;
};

static int
walk_reply(const struct nlmsghdr *message, void *data)
{
	struct walk *walk = data;
	struct conn conn;
	struct diag_extra extra;

	/* After the visitor stops, the rest of the dump is read and dropped. */
	if (walk->stopped != 0 || (message->nlmsg_type != SOCK_DIAG_BY_FAMILY &&
	    message->nlmsg_type != TCPDIAG_GETSOCK))
		return MNL_CB_OK;
	if (!diag_decode(message, &conn, &extra)) {
		walk->malformed = true;
		return MNL_CB_OK;
	}
	walk->visited++;
	walk->stopped = walk->visit(&conn, &extra, walk->context);
	return MNL_CB_OK;
}

/* An error the kernel reports: the errno of an NLMSG_ERROR, or one that ends a dump. */
static int
dump_status(const struct nlmsghdr *message, void *data)
{
	const int *error = mnl_nlmsg_get_payload(message);

	(void)data;
	if (mnl_nlmsg_get_payload_len(message) < sizeof(*error) || *error == 0)
		return MNL_CB_STOP;
	errno = *error < 0 ? -*error : *error;
	return MNL_CB_ERROR;
}

/*
 * Send a dump request and hand every socket it brings to the walk.  A dump
 * the kernel cuts short says so in its NLMSG_DONE, which libmnl's default
 * handler would take for a complete one.
 */
static int
walk_dump(struct diag *diag, struct nlmsghdr *request, struct walk *walk)
{
	static mnl_cb_t controls[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = dump_status,
		[NLMSG_DONE] = dump_status,
	};
	ssize_t length;
	int error, status;

	error = diag_send(diag, request, request->nlmsg_len);
	if (error != 0)
		return error;
	do {
		error = receive(diag, &length);
		if (error != 0)
			return error;
		status = mnl_cb_run2(diag->receive_buffer, (size_t)length, request->nlmsg_seq,
		    diag->portid, walk_reply, walk, controls, NLMSG_MIN_TYPE);
		if (status == MNL_CB_ERROR)
			return -errno;
	} while (status > MNL_CB_STOP);
	return 0;
}

/*
 * The older TCPDIAG_GETSOCK request dumps IPv4 and IPv6 sockets in one
 * walk of the kernel's hash tables, where SOCK_DIAG_BY_FAMILY needs a walk
 * for each family; and a walk costs milliseconds however few sockets the
 * namespace holds, since the tables are shared by all namespaces.
 */
static int
walk_both(struct diag *diag, const struct diag_filter *filter,
    const struct diag_bytecode *bytecode, void *buffer, struct walk *walk)
{
	return walk_dump(diag, diag_put_both_dump(buffer, ++diag->sequence, filter, bytecode),
	    walk);
}

static int
walk_family(struct diag *diag, int family, const struct diag_filter *filter,
    const struct diag_bytecode *bytecode, void *buffer, struct walk *walk)
{
	return walk_dump(diag, diag_put_family_dump(buffer, ++diag->sequence, family, filter,
	    bytecode), walk);
}

static int
walk_with(struct diag *diag, const struct diag_filter *filter,
    const struct diag_bytecode *bytecode, struct walk *walk)
{
	size_t size = diag_request_size() + MNL_ATTR_HDRLEN + MNL_ALIGN(bytecode->length) + 64;
	void *buffer = xcalloc(1, size);
	int error;

	error = walk_both(diag, filter, bytecode, buffer, walk);
	/* A kernel without the older request refuses it before it sends any socket. */
	if (error < 0 && walk->visited == 0) {
		error = walk_family(diag, AF_INET, filter, bytecode, buffer, walk);
		if (error == 0 && walk->stopped == 0)
			error = walk_family(diag, AF_INET6, filter, bytecode, buffer, walk);
	}
	free(buffer);
	return error;
}

int
diag_walk(struct diag *diag, const struct diag_filter *filter, diag_visit visit,
    void *context)
{
	const struct diag_bytecode none = { 0 };
	const struct diag_bytecode *tries[] = { &filter->bytecode, &filter->bytecode_basic, &none };
	struct walk walk = { .visit = visit, .context = context };
	int error = 0;

	diag->walking = true;
	/*
	 * A kernel that does not know a condition refuses the whole filter
	 * (EINVAL) before it sends a socket: ask again with less, the caller
	 * checks every socket anyway.
	 */
	for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
		if (i > 0 && (error != -EINVAL || walk.visited > 0))
			break;
		if (i > 0 && tries[i]->length == tries[i - 1]->length)
			continue;
		error = walk_with(diag, filter, tries[i], &walk);
	}
	diag->walking = false;
	if (error != 0)
		return error;
	if (walk.stopped != 0)
		return walk.stopped;
	return walk.malformed ? -EBADMSG : 0;
}
