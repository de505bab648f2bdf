/*
 * Lookups and destroys: one request per connection, many per system call,
 * each answer matched to its request by sequence number; a long list split
 * over two sockets in two threads, and a walk's visitor served by the
 * socket's destroyer.
 */
#include "diag_internal.h"

#include <errno.h>
#include <limits.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <pthread.h>
#include <sys/socket.h>

#include "batch.h"

/* A request whose answer has not arrived yet: no errno, and not 0. */
#define UNANSWERED INT_MIN

/* Receive as many answers as have arrived, waiting for the first. */
static int
receive_answers(struct diag *diag, int *received)
{
	for (int slot = 0; slot < ANSWER_SLOTS; slot++) {
		diag->vectors[slot] = (struct iovec){ diag->datagrams + (size_t)slot * ANSWER_SIZE,
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
    int *answers)
{
	const struct nlmsghdr *message = (const void *)(diag->datagrams + (size_t)slot * ANSWER_SIZE);
	int remaining = (int)diag->slots[slot].msg_len;
	size_t answered = 0;

	/* An answer too long for its slot is known by its header alone. */
	if ((diag->slots[slot].msg_hdr.msg_flags & MSG_TRUNC) &&
	    remaining >= (int)sizeof(*message)) {
		uint32_t index = message->nlmsg_seq - first;

		if (index < count && answers[index] == UNANSWERED) {
			answers[index] = -EMSGSIZE;
			return 1;
		}
		return 0;
	}
	for (; mnl_nlmsg_ok(message, remaining); message = mnl_nlmsg_next(message, &remaining)) {
		uint32_t index = message->nlmsg_seq - first;
		struct diag_extra extra;

		if (index >= count || answers[index] != UNANSWERED)
			continue;
		if (message->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *answer = mnl_nlmsg_get_payload(message);

			if (mnl_nlmsg_get_payload_len(message) < sizeof(answer->error))
				continue;
			answers[index] = answer->error > 0 ? -answer->error : answer->error;
		} else if (message->nlmsg_type == SOCK_DIAG_BY_FAMILY && found != NULL) {
			answers[index] = diag_decode(message, &found[index], &extra) ? 0 : -EBADMSG;
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
 * the acknowledgement) sets answers[i]; a socket (for a lookup) fills
 * found[i] and sets answers[i] to 0.
 */
static int
exchange_batch(struct diag *diag, uint16_t type, uint16_t flags, const struct conn *conns,
    size_t count, struct conn *found, int *answers)
{
	uint32_t first = diag->sequence + 1;
	char *cursor = diag->send_buffer;
	size_t pending = count;
	int error;

	for (size_t i = 0; i < count; i++) {
		struct nlmsghdr *request = diag_put_socket_request(cursor, type, flags,
		    first + (uint32_t)i, &conns[i]);

		cursor += request->nlmsg_len;
		answers[i] = UNANSWERED;
	}
	diag->sequence += (uint32_t)count;
	error = diag_send(diag, diag->send_buffer, (size_t)(cursor - diag->send_buffer));
	if (error != 0)
		return error;
	while (pending > 0) {
		int received;

		error = receive_answers(diag, &received);
		if (error != 0)
			return error;
		for (int slot = 0; slot < received; slot++)
			pending -= take_answers(diag, slot, first, count, found, answers);
	}
	return 0;
}

/* Batches no larger than the receive buffer holds answers for. */
static int
exchange_in_batches(struct diag *diag, uint16_t type, uint16_t flags, const struct conn *conns,
    size_t count, struct conn *found, int *answers)
{
	size_t batch = type == SOCK_DESTROY ? diag->destroy_batch : diag->lookup_batch;

	for (size_t done = 0; done < count; done += batch) {
		size_t size = count - done < batch ? count - done : batch;
		int error = exchange_batch(diag, type, flags, conns + done, size,
		    found != NULL ? found + done : NULL, answers + done);

		if (error != 0) {
			for (size_t i = done; i < count; i++)
				if (i >= done + size || answers[i] == UNANSWERED)
					answers[i] = error;
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
	int *answers;
	int error;
};

static void *
exchange_half(void *argument)
{
	struct half *half = argument;

	half->error = exchange_in_batches(half->diag, half->type, half->flags, half->conns,
	    half->count, half->found, half->answers);
	return NULL;
}

static int
exchange_in_halves(struct diag *diag, uint16_t type, uint16_t flags, const struct conn *conns,
    size_t count, struct conn *found, int *answers)
{
	size_t first = count / 2;
	struct half second = { NULL, type, flags, conns + first, count - first,
		found != NULL ? found + first : NULL, answers + first, 0 };
	pthread_t thread;
	int error;

	if (count < BATCH_SPLIT_LEAST || (second.diag = diag_open()) == NULL)
		return exchange_in_batches(diag, type, flags, conns, count, found, answers);
	if (pthread_create(&thread, NULL, exchange_half, &second) != 0) {
		diag_close(second.diag);
		return exchange_in_batches(diag, type, flags, conns, count, found, answers);
	}
	error = exchange_in_batches(diag, type, flags, conns, first, found, answers);
	pthread_join(thread, NULL);
	diag_close(second.diag);
	return error != 0 ? error : second.error;
}

/*
 * One request per connection, on a socket free to take them: one with a
 * dump in flight cannot, so a walk's visitor is served by its destroyer.
 */
static int
exchange(struct diag *diag, uint16_t type, uint16_t flags, const struct conn *conns,
    size_t count, struct conn *found, int *answers)
{
	if (diag->walking) {
		if (!diag_destroyer_ready(diag)) {
			int error = -errno;

			for (size_t i = 0; i < count; i++)
				answers[i] = error;
			return error;
		}
		diag = diag->destroyer;
	}
	return exchange_in_halves(diag, type, flags, conns, count, found, answers);
}

int
diag_lookup(struct diag *diag, const struct conn *wanted, size_t count, struct conn *found,
    int *answers)
{
	/* Without NLM_F_ACK each lookup is answered once: the socket, or an error. */
	return exchange(diag, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, wanted, count, found, answers);
}

int
diag_destroy(struct diag *diag, const struct conn *conns, size_t count, int *answers)
{
	return exchange(diag, SOCK_DESTROY, NLM_F_REQUEST | NLM_F_ACK, conns, count, NULL, answers);
}
