/*
 * The scripted kernel (scripted_kernel.h): the wrapped libmnl I/O answers
 * each request with the messages a real kernel would send, as the test
 * scripted them, and scripted_run() runs tcpdrop against it.
 */
#include "scripted_kernel.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "options.h"
#include "tcpdrop.h"

ssize_t __wrap_send(int fd, const void *buffer, size_t length, int flags);
ssize_t __wrap_mnl_socket_recvfrom(const struct mnl_socket *socket, void *buffer,
    size_t size);
int __wrap_recvmmsg(int fd, struct mmsghdr *slots, unsigned int count, int flags,
    struct timespec *timeout);

struct scripted_kernel scripted_kernel;

/*
 * What the kernel has yet to say on each socket, by descriptor: a split
 * batch has two sockets in two threads, and the lock keeps them apart.
 */
enum { SOCKETS = 8, QUEUE_SIZE = 1 << 20 };

struct queue {
	int fd;
	char *data;
	size_t length;
};

static struct queue queues[SOCKETS];
static pthread_mutex_t kernel_lock = PTHREAD_MUTEX_INITIALIZER;

static struct queue *
queue_of(int fd)
{
	struct queue *free_one = NULL;

	for (size_t i = 0; i < SOCKETS; i++) {
		if (queues[i].data != NULL && queues[i].fd == fd)
			return &queues[i];
		if (queues[i].data == NULL && free_one == NULL)
			free_one = &queues[i];
	}
	if (free_one == NULL || (free_one->data = malloc(QUEUE_SIZE)) == NULL)
		abort();
	free_one->fd = fd;
	free_one->length = 0;
	return free_one;
}

/* How much of the queue the message waiting at offset takes. */
static size_t
message_length(const struct queue *queue, size_t offset)
{
	return NLMSG_ALIGN(((const struct nlmsghdr *)(queue->data + offset))->nlmsg_len);
}

static void
take(struct queue *queue, size_t length)
{
	memmove(queue->data, queue->data + length, queue->length - length);
	queue->length -= length;
}

static void
queue_socket(struct queue *queue, const struct conn *conn, uint32_t sequence)
{
	struct nlmsghdr *message = mnl_nlmsg_put_header(queue->data + queue->length);
	struct inet_diag_msg *body;

	message->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	message->nlmsg_seq = sequence;
	body = mnl_nlmsg_put_extra_header(message, sizeof(*body));
	body->idiag_family = conn->family;
	body->idiag_state = conn->state;
	body->idiag_timer = conn->time_wait_socket ? 3 : 0;
	/* A socket some process holds has a file; time-wait sockets have none. */
	body->idiag_inode = conn->orphan || conn->time_wait_socket ? 0 : 4242;
	body->id.idiag_sport = htons(conn->local_port);
	body->id.idiag_dport = htons(conn->foreign_port);
	memcpy(body->id.idiag_src, conn->local, 16);
	memcpy(body->id.idiag_dst, conn->foreign, 16);
	body->id.idiag_if = conn->ifindex;
	body->id.idiag_cookie[0] = (uint32_t)conn->cookie;
	body->id.idiag_cookie[1] = (uint32_t)(conn->cookie >> 32);
	queue->length += message->nlmsg_len;
}

static void
queue_status(struct queue *queue, uint16_t type, int error, uint32_t sequence, uint32_t portid)
{
	struct nlmsghdr *message = mnl_nlmsg_put_header(queue->data + queue->length);
	struct nlmsgerr *answer;

	message->nlmsg_type = type;
	message->nlmsg_seq = sequence;
	message->nlmsg_pid = portid;
	answer = mnl_nlmsg_put_extra_header(message, sizeof(*answer));
	answer->error = error;
	queue->length += message->nlmsg_len;
}

/* A destroyed socket is no longer dumped. */
static void
forget(const uint32_t cookie[2])
{
	struct scripted_kernel *kernel = &scripted_kernel;
	uint64_t wanted = (uint64_t)cookie[1] << 32 | cookie[0];

	if (kernel->lookup != NULL && kernel->lookup->cookie == wanted)
		kernel->lookup_destroyed = true;
	for (size_t i = 0; i < kernel->dump_count; i++) {
		if (kernel->dump[i].cookie == wanted) {
			kernel->dump[i] = kernel->dump[--kernel->dump_count];
			return;
		}
	}
}

/* A socket bound to a device is found only when asked on that device. */
static bool
found_on(const struct conn *conn, const struct inet_diag_req_v2 *request)
{
	return conn->ifindex == 0 || conn->ifindex == request->id.idiag_if;
}

/* Does the lookup ask for this socket's addresses and ports? */
static bool
asks_for(const struct inet_diag_req_v2 *request, const struct conn *conn)
{
	size_t length = conn_address_length(conn->family);

	return request->sdiag_family == conn->family &&
	    ntohs(request->id.idiag_sport) == conn->local_port &&
	    ntohs(request->id.idiag_dport) == conn->foreign_port &&
	    memcmp(request->id.idiag_src, conn->local, length) == 0 &&
	    memcmp(request->id.idiag_dst, conn->foreign, length) == 0;
}

/* What an exact lookup finds: NULL for none (ENOENT). */
static const struct conn *
looked_up(const struct inet_diag_req_v2 *request)
{
	const struct scripted_kernel *kernel = &scripted_kernel;

	if (kernel->lookup != NULL)
		return !kernel->lookup_destroyed && found_on(kernel->lookup, request) ?
		    kernel->lookup : NULL;
	for (size_t i = 0; kernel->lookup_in_dump && i < kernel->dump_count; i++)
		if (asks_for(request, &kernel->dump[i]) && found_on(&kernel->dump[i], request))
			return &kernel->dump[i];
	return NULL;
}

ssize_t
__wrap_send(int fd, const void *buffer, size_t length, int flags)
{
	struct scripted_kernel *kernel = &scripted_kernel;
	const struct nlmsghdr *request = buffer;
	int remaining = (int)length;
	struct sockaddr_nl address = { 0 };
	socklen_t address_length = sizeof(address);
	uint32_t portid;
	struct queue *queue;

	(void)flags;
	if (getsockname(fd, (struct sockaddr *)&address, &address_length) < 0)
		return -1;
	portid = address.nl_pid;
	pthread_mutex_lock(&kernel_lock);
	queue = queue_of(fd);

	for (; mnl_nlmsg_ok(request, remaining); request = mnl_nlmsg_next(request, &remaining)) {
		const struct inet_diag_req_v2 *body = mnl_nlmsg_get_payload(request);
		const struct conn *found;

		if (request->nlmsg_type == SOCK_DESTROY) {
			int error = kernel->destroys < SCRIPTED_ANSWERS ?
			    kernel->destroy_errors[kernel->destroys] : 0;

			kernel->destroys++;
			if ((error == 0 || error == -ENOENT) &&
			    ((uint64_t)body->id.idiag_cookie[1] << 32 | body->id.idiag_cookie[0]) !=
			    kernel->kept)
				forget(body->id.idiag_cookie);
			queue_status(queue, NLMSG_ERROR, error, request->nlmsg_seq, portid);
		} else if (request->nlmsg_type == TCPDIAG_GETSOCK && kernel->only_by_family) {
			queue_status(queue, NLMSG_ERROR, -EINVAL, request->nlmsg_seq, portid);
		} else if ((request->nlmsg_flags & NLM_F_DUMP) && kernel->no_bytecode &&
		    request->nlmsg_len > NLMSG_LENGTH(request->nlmsg_type == TCPDIAG_GETSOCK ?
		    sizeof(struct inet_diag_req) : sizeof(struct inet_diag_req_v2))) {
			kernel->refused++;
			queue_status(queue, NLMSG_ERROR, -EINVAL, request->nlmsg_seq, portid);
		} else if (request->nlmsg_flags & NLM_F_DUMP) {
			/* The older request dumps both families; it has another layout. */
			bool both = request->nlmsg_type == TCPDIAG_GETSOCK;
			const struct inet_diag_req *old = mnl_nlmsg_get_payload(request);
			uint32_t states = both ? old->idiag_states : body->idiag_states;

			/* A walk is one dump, or one per family; the first walk skips. */
			kernel->dumps += both ? 2 : 1;
			for (size_t i = 0; i < kernel->dump_count; i++)
				if ((both || kernel->dump[i].family == body->sdiag_family) &&
				    (states & TCP_STATE_BIT(kernel->dump[i].state)) &&
				    (kernel->dump[i].cookie != kernel->skipped || kernel->dumps > 2))
					queue_socket(queue, &kernel->dump[i], request->nlmsg_seq);
			queue_status(queue, NLMSG_DONE, 0, request->nlmsg_seq, portid);
		} else if ((found = looked_up(body)) != NULL) {
			queue_socket(queue, found, request->nlmsg_seq);
		} else {
			queue_status(queue, NLMSG_ERROR, -ENOENT, request->nlmsg_seq, portid);
		}
	}
	pthread_mutex_unlock(&kernel_lock);
	return (ssize_t)length;
}

/* As many whole messages as fit, as a dump's datagram holds. */
ssize_t
__wrap_mnl_socket_recvfrom(const struct mnl_socket *socket, void *buffer, size_t size)
{
	struct queue *queue;
	size_t length = 0;

	pthread_mutex_lock(&kernel_lock);
	queue = queue_of(mnl_socket_get_fd(socket));
	while (length < queue->length && length + message_length(queue, length) <= size)
		length += message_length(queue, length);
	memcpy(buffer, queue->data, length);
	take(queue, length);
	pthread_mutex_unlock(&kernel_lock);
	if (length == 0) {
		errno = EAGAIN;
		return -1;
	}
	return (ssize_t)length;
}

/* Answers to a batch: the kernel sends each as a datagram of its own. */
int
__wrap_recvmmsg(int fd, struct mmsghdr *slots, unsigned int count, int flags,
    struct timespec *timeout)
{
	unsigned int filled = 0;
	struct queue *queue;

	(void)flags;
	(void)timeout;
	pthread_mutex_lock(&kernel_lock);
	queue = queue_of(fd);
	while (filled < count && queue->length > 0) {
		size_t length = message_length(queue, 0);

		memcpy(slots[filled].msg_hdr.msg_iov[0].iov_base, queue->data, length);
		slots[filled].msg_len = (unsigned int)length;
		slots[filled].msg_hdr.msg_flags = 0;
		take(queue, length);
		filled++;
	}
	pthread_mutex_unlock(&kernel_lock);
	if (filled == 0) {
		errno = EAGAIN;
		return -1;
	}
	return (int)filled;
}

void
scripted_kernel_reset(void)
{
	memset(&scripted_kernel, 0, sizeof(scripted_kernel));
	for (size_t i = 0; i < SOCKETS; i++)
		queues[i].length = 0;
}

struct conn
scripted_conn(const char *local, unsigned local_port, const char *foreign,
    unsigned foreign_port, int state)
{
	static uint64_t cookie = UINT64_C(0x100000000);
	struct conn conn = { .family = AF_INET, .state = (uint8_t)state,
		.local_port = (uint16_t)local_port, .foreign_port = (uint16_t)foreign_port,
		.cookie = cookie++ };

	inet_pton(AF_INET, local, conn.local);
	inet_pton(AF_INET, foreign, conn.foreign);
	return conn;
}

static void
slurp(int fd, char *text, size_t size)
{
	size_t used = 0;
	ssize_t got;

	while (used + 1 < size && (got = read(fd, text + used, size - 1 - used)) > 0)
		used += (size_t)got;
	text[used] = '\0';
	close(fd);
}

static int count_pipe = -1;

/* At the child's exit: what its kernel saw goes back to the parent. */
static void
tell_counts(void)
{
	size_t counts[2] = { scripted_kernel.destroys, scripted_kernel.dumps };

	if (write(count_pipe, counts, sizeof(counts)) < 0)
		_exit(99);
}

/* A file holding the input, to be the child's standard input, or NULL for none. */
static FILE *
input_file(const char *input)
{
	FILE *file;

	if (input == NULL)
		return NULL;
	if ((file = tmpfile()) == NULL || fputs(input, file) == EOF || fflush(file) != 0)
		abort();
	rewind(file);
	return file;
}

void
scripted_run(char **argv, const char *input, struct scripted_result *result)
{
	int out[2], err[2], count[2], argc = 0;
	FILE *stdin_file = input_file(input);
	size_t counts[2];
	pid_t child;

	while (argv[argc] != NULL)
		argc++;
	if (pipe(out) < 0 || pipe(err) < 0 || pipe(count) < 0)
		abort();
	fflush(stdout);
	child = fork();
	if (child == 0) {
		struct settings settings;

		/* err(3) names the program as it was called. */
		program_invocation_short_name = "tcpdrop";
		if (stdin_file != NULL)
			dup2(fileno(stdin_file), STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		dup2(err[1], STDERR_FILENO);
		count_pipe = count[1];
		atexit(tell_counts);
		if (options_parse(argc, argv, &settings).problem != OPTIONS_OK)
			exit(98);
		exit(tcpdrop(&settings) ? 0 : 1);
	}
	if (stdin_file != NULL)
		fclose(stdin_file);
	close(out[1]);
	close(err[1]);
	close(count[1]);
	slurp(out[0], result->out, sizeof(result->out));
	slurp(err[0], result->err, sizeof(result->err));
	if (read(count[0], counts, sizeof(counts)) != (ssize_t)sizeof(counts))
		counts[0] = counts[1] = 99;
	result->destroys = counts[0];
	result->dumps = counts[1];
	close(count[0]);
	waitpid(child, &result->status, 0);
	result->status = WIFEXITED(result->status) ? WEXITSTATUS(result->status) : -1;
}
