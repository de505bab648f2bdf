/*
 * NETLINK_SOCK_DIAG for TCP through libmnl.  Everything else in tcpdrop
 * sees struct conn and never a netlink message.
 */
#include "diag.h"

#include <errno.h>
#include <pthread.h>
#include <limits.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

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
	/*
	 * Each answer in a batch is a datagram of its own; recvmmsg(2) takes up
	 * to ANSWER_SLOTS of them per system call.  An answer without extended
	 * attributes is well under ANSWER_SIZE.
	 */
	ANSWER_SLOTS = 128,
	ANSWER_SIZE = 2048,
};

/*
 * The timer the kernel reports for its time-wait mini sockets, and only for
 * them (inet_diag.c: r->idiag_timer = 3 for a timewait sock), whatever
 * substate (TIME_WAIT, or FIN_WAIT2 for an orphan) they report.
 */
enum { TIMER_TIME_WAIT = 3 };

struct diag {
	struct mnl_socket *socket;
	unsigned int portid;
	unsigned int sequence;
	size_t destroy_batch;	/* requests per system call */
	size_t lookup_batch;
	char *send_buffer;
	char *receive_buffer;
	char *answers;			/* ANSWER_SLOTS buffers of ANSWER_SIZE */
	struct mmsghdr *slots;
	struct iovec *vectors;
	bool walking;		/* a dump is in flight on this socket */
	struct diag *beside;	/* a second socket, for destroys while walking */
	int beside_error;	/* why it could not be opened, or 0 */
};

static size_t request_size(void);
static struct nlmsghdr *put_dump_request(void *buffer, uint32_t sequence, int family,
    const struct diag_filter *filter, const struct diag_bytecode *bytecode);
static struct nlmsghdr *put_socket_request(void *buffer, uint16_t type, uint16_t flags,
    uint32_t sequence, const struct conn *conn);
static int receive(struct diag *diag, ssize_t *length);

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
	struct diag *diag = calloc(1, sizeof(*diag));
	int one = 1, size = RECEIVE_BUFFER_WANTED, fd;
	socklen_t size_length = sizeof(size);

	if (diag == NULL)
		return NULL;
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
	size = (int)(BATCH_REQUESTS_MOST * request_size()) + 4096;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	size_length = sizeof(size);
	if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, &size_length) < 0)
		goto fail;
	if (diag->destroy_batch > ((size_t)size - 64) / request_size())
		diag->destroy_batch = ((size_t)size - 64) / request_size();
	if (diag->lookup_batch > diag->destroy_batch)
		diag->lookup_batch = diag->destroy_batch;
	diag->send_buffer = malloc(diag->destroy_batch * request_size());
	diag->receive_buffer = malloc(MESSAGE_BUFFER);
	diag->answers = malloc((size_t)ANSWER_SLOTS * ANSWER_SIZE);
	diag->slots = calloc(ANSWER_SLOTS, sizeof(*diag->slots));
	diag->vectors = calloc(ANSWER_SLOTS, sizeof(*diag->vectors));
	if (diag->send_buffer == NULL || diag->receive_buffer == NULL || diag->answers == NULL ||
	    diag->slots == NULL || diag->vectors == NULL)
		goto fail;
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
	diag_close(diag->beside);
	free(diag->send_buffer);
	free(diag->receive_buffer);
	free(diag->answers);
	free(diag->slots);
	free(diag->vectors);
	free(diag);
	errno = saved;
}

static size_t
request_size(void)
{
	return MNL_ALIGN(sizeof(struct nlmsghdr)) + MNL_ALIGN(sizeof(struct inet_diag_req_v2));
}

/* The extended attributes a filter needs the kernel to add to each socket. */
static uint8_t
extensions(const struct diag_filter *filter)
{
	uint8_t wanted = 0;

	if (filter->want_stack || filter->want_info)
		wanted |= 1 << (INET_DIAG_INFO - 1);
	if (filter->want_algorithm)
		wanted |= 1 << (INET_DIAG_CONG - 1);
	return wanted;
}

/* The header and inet_diag request every request starts with. */
static struct inet_diag_req_v2 *
put_header(void *buffer, uint16_t type, uint16_t flags, uint32_t sequence, int family,
    struct nlmsghdr **message)
{
	struct inet_diag_req_v2 *request;

	*message = mnl_nlmsg_put_header(buffer);
	(*message)->nlmsg_type = type;
	(*message)->nlmsg_flags = flags;
	(*message)->nlmsg_seq = sequence;
	request = mnl_nlmsg_put_extra_header(*message, sizeof(*request));
	request->sdiag_family = (uint8_t)family;
	request->sdiag_protocol = IPPROTO_TCP;
	return request;
}

/* A dump of one family's sockets in the filter's states, filtered by the bytecode. */
static struct nlmsghdr *
put_dump_request(void *buffer, uint32_t sequence, int family, const struct diag_filter *filter,
    const struct diag_bytecode *bytecode)
{
	struct nlmsghdr *message;
	struct inet_diag_req_v2 *request = put_header(buffer, SOCK_DIAG_BY_FAMILY,
	    NLM_F_REQUEST | NLM_F_DUMP, sequence, family, &message);

	request->idiag_states = filter->states;
	request->idiag_ext = extensions(filter);
	if (bytecode->length > 0)
		mnl_attr_put(message, INET_DIAG_REQ_BYTECODE, bytecode->length, bytecode->code);
	return message;
}

/* A request about one socket: a lookup by its endpoints, or a destroy by its cookie too. */
static struct nlmsghdr *
put_socket_request(void *buffer, uint16_t type, uint16_t flags, uint32_t sequence,
    const struct conn *conn)
{
	struct nlmsghdr *message;
	struct inet_diag_req_v2 *request = put_header(buffer, type, flags, sequence,
	    conn->family, &message);
	size_t length = conn_address_length(conn->family);

	request->idiag_states = ~UINT32_C(0);
	request->id.idiag_sport = htons(conn->local_port);
	request->id.idiag_dport = htons(conn->foreign_port);
	memcpy(request->id.idiag_src, conn->local, length);
	memcpy(request->id.idiag_dst, conn->foreign, length);
	request->id.idiag_if = conn->ifindex;
	request->id.idiag_cookie[0] = (uint32_t)conn->cookie;
	request->id.idiag_cookie[1] = (uint32_t)(conn->cookie >> 32);
	return message;
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

static int
send_all(struct diag *diag, const void *buffer, size_t length)
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

static int
ulp_attribute(const struct nlattr *attribute, void *data)
{
	const struct nlattr **table = data;

	if (mnl_attr_type_valid(attribute, INET_ULP_INFO_MAX) < 0)
		return MNL_CB_OK;
	if (mnl_attr_get_type(attribute) == INET_ULP_INFO_NAME &&
	    mnl_attr_validate(attribute, MNL_TYPE_NUL_STRING) < 0)
		return MNL_CB_ERROR;
	table[mnl_attr_get_type(attribute)] = attribute;
	return MNL_CB_OK;
}

static int
diag_attribute(const struct nlattr *attribute, void *data)
{
	const struct nlattr **table = data;
	uint16_t type = mnl_attr_get_type(attribute);

	/* Attributes newer than our headers are skipped, not refused. */
	if (mnl_attr_type_valid(attribute, INET_DIAG_MAX) < 0)
		return MNL_CB_OK;
	if (type == INET_DIAG_CONG && mnl_attr_validate(attribute, MNL_TYPE_NUL_STRING) < 0)
		return MNL_CB_ERROR;
	if (type == INET_DIAG_ULP_INFO && mnl_attr_validate(attribute, MNL_TYPE_NESTED) < 0)
		return MNL_CB_ERROR;
	if (type == INET_DIAG_CGROUP_ID && mnl_attr_validate(attribute, MNL_TYPE_U64) < 0)
		return MNL_CB_ERROR;
	table[type] = attribute;
	return MNL_CB_OK;
}

bool
diag_decode(const struct nlmsghdr *message, struct conn *conn, struct diag_extra *extra)
{
	const struct nlattr *table[INET_DIAG_MAX + 1] = { 0 };
	const struct nlattr *ulp[INET_ULP_INFO_MAX + 1] = { 0 };
	const struct inet_diag_msg *reply;
	size_t length;

	if (message->nlmsg_len < MNL_NLMSG_HDRLEN ||
	    mnl_nlmsg_get_payload_len(message) < sizeof(*reply))
		return false;
	reply = mnl_nlmsg_get_payload(message);
	length = conn_address_length(reply->idiag_family);
	if (length == 0)
		return false;
	memset(conn, 0, sizeof(*conn));
	conn->family = reply->idiag_family;
	conn->state = reply->idiag_state;
	conn->time_wait_socket = reply->idiag_timer == TIMER_TIME_WAIT ||
	    conn->state == TCP_STATE_TIME_WAIT;
	/* No file, and no time-wait socket: an orphan, or not yet accepted, or a request. */
	conn->orphan = reply->idiag_inode == 0 && !conn->time_wait_socket;
	conn->local_port = ntohs(reply->id.idiag_sport);
	conn->foreign_port = ntohs(reply->id.idiag_dport);
	memcpy(conn->local, reply->id.idiag_src, length);
	memcpy(conn->foreign, reply->id.idiag_dst, length);
	conn->ifindex = reply->id.idiag_if;
	conn->cookie = (uint64_t)reply->id.idiag_cookie[1] << 32 | reply->id.idiag_cookie[0];

	memset(extra, 0, sizeof(*extra));
	extra->uid = reply->idiag_uid;
	extra->inode = reply->idiag_inode;
	/*
	 * Attributes end where the message does: mnl_attr_parse() would read on
	 * to the next four-byte boundary, past an unaligned nlmsg_len.
	 */
	if (mnl_attr_parse_payload(reply + 1, mnl_nlmsg_get_payload_len(message) - sizeof(*reply),
	    diag_attribute, table) < 0)
		return false;
	if (table[INET_DIAG_CONG] != NULL)
		extra->algorithm = mnl_attr_get_str(table[INET_DIAG_CONG]);
	if (table[INET_DIAG_CGROUP_ID] != NULL) {
		extra->has_cgroup = true;
		extra->cgroup = mnl_attr_get_u64(table[INET_DIAG_CGROUP_ID]);
	}
	/* tcp_info grows with the kernel; an older one may end before what is wanted. */
	if (table[INET_DIAG_INFO] != NULL && mnl_attr_get_payload_len(table[INET_DIAG_INFO]) >=
	    offsetof(struct tcp_info, tcpi_last_data_recv) + sizeof(uint32_t)) {
		struct tcp_info info = { 0 };

		memcpy(&info, mnl_attr_get_payload(table[INET_DIAG_INFO]),
		    offsetof(struct tcp_info, tcpi_last_data_recv) + sizeof(uint32_t));
		extra->has_info = true;
		extra->last_data_sent_ms = info.tcpi_last_data_sent;
		extra->last_data_received_ms = info.tcpi_last_data_recv;
	}
	if (table[INET_DIAG_ULP_INFO] != NULL) {
		if (mnl_attr_parse_nested(table[INET_DIAG_ULP_INFO], ulp_attribute, ulp) < 0)
			return false;
		if (ulp[INET_ULP_INFO_NAME] != NULL)
			extra->stack = mnl_attr_get_str(ulp[INET_ULP_INFO_NAME]);
	}
	return true;
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

	error = send_all(diag, request, request->nlmsg_len);
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
	struct nlmsghdr *request = mnl_nlmsg_put_header(buffer);
	struct inet_diag_req *body;

	request->nlmsg_type = TCPDIAG_GETSOCK;
	request->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	request->nlmsg_seq = ++diag->sequence;
	body = mnl_nlmsg_put_extra_header(request, sizeof(*body));
	body->idiag_family = AF_INET;
	body->idiag_states = filter->states;
	body->idiag_ext = extensions(filter);
	if (bytecode->length > 0)
		mnl_attr_put(request, INET_DIAG_REQ_BYTECODE, bytecode->length, bytecode->code);
	return walk_dump(diag, request, walk);
}

static int
walk_family(struct diag *diag, int family, const struct diag_filter *filter,
    const struct diag_bytecode *bytecode, void *buffer, struct walk *walk)
{
	return walk_dump(diag, put_dump_request(buffer, ++diag->sequence, family, filter,
	    bytecode), walk);
}

static int
walk_with(struct diag *diag, const struct diag_filter *filter,
    const struct diag_bytecode *bytecode, struct walk *walk)
{
	size_t size = request_size() + MNL_ATTR_HDRLEN + MNL_ALIGN(bytecode->length) + 64;
	void *buffer = calloc(1, size);
	int error;

	if (buffer == NULL)
		return -ENOMEM;
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

/* A request whose answer has not arrived yet: no errno, and not 0. */
#define UNANSWERED INT_MIN

/* Receive as many answers as have arrived, waiting for the first. */
static int
receive_answers(struct diag *diag, int *received)
{
	for (int slot = 0; slot < ANSWER_SLOTS; slot++) {
		diag->vectors[slot] = (struct iovec){ diag->answers + (size_t)slot * ANSWER_SIZE,
			ANSWER_SIZE };
		diag->slots[slot].msg_hdr = (struct msghdr){ .msg_iov = &diag->vectors[slot],
			.msg_iovlen = 1 };
	}
	do
		*received = recvmmsg(mnl_socket_get_fd(diag->socket), diag->slots, ANSWER_SLOTS,
		    MSG_WAITFORONE, NULL);
	while (*received < 0 && errno == EINTR);
	return *received < 0 ? -errno : 0;
}

/*
 * Record the answers one datagram holds to requests numbered from `first`.
 * Returns how many requests it answered.
 */
static size_t
take_answers(struct diag *diag, int slot, uint32_t first, size_t count, struct conn *found,
    int *results)
{
	const struct nlmsghdr *message = (const void *)(diag->answers + (size_t)slot * ANSWER_SIZE);
	int remaining = (int)diag->slots[slot].msg_len;
	size_t answered = 0;

	/* An answer too long for its slot is known by its header alone. */
	if ((diag->slots[slot].msg_hdr.msg_flags & MSG_TRUNC) &&
	    remaining >= (int)sizeof(*message)) {
		uint32_t index = message->nlmsg_seq - first;

		if (index < count && results[index] == UNANSWERED) {
			results[index] = -EMSGSIZE;
			return 1;
		}
		return 0;
	}
	for (; mnl_nlmsg_ok(message, remaining); message = mnl_nlmsg_next(message, &remaining)) {
		uint32_t index = message->nlmsg_seq - first;
		struct diag_extra extra;

		if (index >= count || results[index] != UNANSWERED)
			continue;
		if (message->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *answer = mnl_nlmsg_get_payload(message);

			if (mnl_nlmsg_get_payload_len(message) < sizeof(answer->error))
				continue;
			results[index] = answer->error > 0 ? -answer->error : answer->error;
		} else if (message->nlmsg_type == SOCK_DIAG_BY_FAMILY && found != NULL) {
			results[index] = diag_decode(message, &found[index], &extra) ? 0 : -EBADMSG;
		} else {
			continue;
		}
		answered++;
	}
	return answered;
}

/*
 * Send one request per connection in a single system call and read the
 * answer to each, matched by sequence number: an error (or, for a destroy,
 * the acknowledgement) sets results[i]; a socket (for a lookup) fills
 * found[i] and sets results[i] to 0.
 */
static int
exchange_batch(struct diag *diag, uint16_t type, uint16_t flags, const struct conn *conns,
    size_t count, struct conn *found, int *results)
{
	uint32_t first = diag->sequence + 1;
	char *cursor = diag->send_buffer;
	size_t pending = count;
	int error;

	for (size_t i = 0; i < count; i++) {
		struct nlmsghdr *request = put_socket_request(cursor, type, flags,
		    first + (uint32_t)i, &conns[i]);

		cursor += request->nlmsg_len;
		results[i] = UNANSWERED;
	}
	diag->sequence += (uint32_t)count;
	error = send_all(diag, diag->send_buffer, (size_t)(cursor - diag->send_buffer));
	if (error != 0)
		return error;
	while (pending > 0) {
		int received;

		error = receive_answers(diag, &received);
		if (error != 0)
			return error;
		for (int slot = 0; slot < received; slot++)
			pending -= take_answers(diag, slot, first, count, found, results);
	}
	return 0;
}

/* Batches no larger than the receive buffer holds answers for. */
static int
exchange_in_batches(struct diag *diag, uint16_t type, uint16_t flags, const struct conn *conns,
    size_t count, struct conn *found, int *results)
{
	size_t batch = type == SOCK_DESTROY ? diag->destroy_batch : diag->lookup_batch;

	for (size_t done = 0; done < count; done += batch) {
		size_t size = count - done < batch ? count - done : batch;
		int error = exchange_batch(diag, type, flags, conns + done, size,
		    found != NULL ? found + done : NULL, results + done);

		if (error != 0) {
			for (size_t i = done; i < count; i++)
				if (i >= done + size || results[i] == UNANSWERED)
					results[i] = error;
			return error;
		}
	}
	return 0;
}

/*
 * A long list is split over two sockets in two threads: the kernel does
 * the work of a request in the thread that sent it, so on two cores two
 * halves are done in little more than the time of one.  The second socket
 * is closed when the list is done, so that it never takes the descriptor
 * something else needs; where it cannot be opened (no descriptor left), or
 * no thread started, one socket serves the whole list.
 */
struct half {
	struct diag *diag;
	uint16_t type;
	uint16_t flags;
	const struct conn *conns;
	size_t count;
	struct conn *found;	/* lookups only */
	int *results;
	int error;
};

static void *
exchange_half(void *argument)
{
	struct half *half = argument;

	half->error = exchange_in_batches(half->diag, half->type, half->flags, half->conns,
	    half->count, half->found, half->results);
	return NULL;
}

static int
exchange_in_halves(struct diag *diag, uint16_t type, uint16_t flags, const struct conn *conns,
    size_t count, struct conn *found, int *results)
{
	size_t first = count / 2;
	struct half second = { NULL, type, flags, conns + first, count - first,
		found != NULL ? found + first : NULL, results + first, 0 };
	pthread_t thread;
	int error;

	if (count < BATCH_SPLIT_LEAST || (second.diag = diag_open()) == NULL)
		return exchange_in_batches(diag, type, flags, conns, count, found, results);
	if (pthread_create(&thread, NULL, exchange_half, &second) != 0) {
		diag_close(second.diag);
		return exchange_in_batches(diag, type, flags, conns, count, found, results);
	}
	error = exchange_in_batches(diag, type, flags, conns, first, found, results);
	pthread_join(thread, NULL);
	diag_close(second.diag);
	return error != 0 ? error : second.error;
}

/*
 * One request per connection, on a socket free to take them: one with a
 * dump in flight cannot, so a walk's visitor is served by a second.
 */
static int
exchange(struct diag *diag, uint16_t type, uint16_t flags, const struct conn *conns,
    size_t count, struct conn *found, int *results)
{
	if (diag->walking) {
		if (!diag_beside_ready(diag)) {
			int error = -errno;

			for (size_t i = 0; i < count; i++)
				results[i] = error;
			return error;
		}
		diag = diag->beside;
	}
	return exchange_in_halves(diag, type, flags, conns, count, found, results);
}

bool
diag_beside_ready(struct diag *diag)
{
	if (diag->beside == NULL && diag->beside_error == 0 && (diag->beside = diag_open()) == NULL)
		diag->beside_error = errno != 0 ? errno : ENOMEM;
	if (diag->beside == NULL)
		errno = diag->beside_error;
	return diag->beside != NULL;
}

int
diag_lookup(struct diag *diag, const struct conn *wanted, size_t count, struct conn *found,
    int *results)
{
	/* Without NLM_F_ACK each lookup is answered once: the socket, or an error. */
	return exchange(diag, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, wanted, count, found, results);
}

int
diag_destroy(struct diag *diag, const struct conn *conns, size_t count, int *results)
{
	return exchange(diag, SOCK_DESTROY, NLM_F_REQUEST | NLM_F_ACK, conns, count, NULL, results);
}
