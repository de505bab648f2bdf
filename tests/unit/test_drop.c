/*
 * What tcpdrop does with each answer the kernel can give, including ones
 * this machine's kernel never gives (no SOCK_DESTROY, no TIME_WAIT destroy).
 * The whole program runs, netlink decoding included; only the two libmnl
 * calls that move bytes are replaced (ld --wrap) by a scripted kernel that
 * answers each request with the messages a real one would send.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conn.h"
#include "tcpdrop.h"
#include "options.h"
#include "unit.h"

ssize_t __wrap_send(int fd, const void *buffer, size_t length, int flags);
ssize_t __wrap_mnl_socket_recvfrom(const struct mnl_socket *socket, void *buffer,
    size_t size);
int __wrap_recvmmsg(int fd, struct mmsghdr *slots, unsigned int count, int flags,
    struct timespec *timeout);

/* MANY: past BATCH_COLLECT_MOST, so that a bulk drop walks twice. */
enum { MOST = 8, MANY = 4200 };

static struct {
	struct conn dump[MOST + MANY];	/* what every dump finds */
	size_t dump_count;
	const struct conn *lookup;	/* what an exact lookup finds; NULL: ENOENT */
	int destroy_errors[MOST];	/* the answer to each destroy, in order */
	size_t destroys;		/* destroy requests seen */
	size_t dumps;			/* dump requests seen, one per family */
	uint64_t skipped;		/* a cookie the first walk misses */
	uint64_t kept;			/* a cookie no destroy removes (its answer is scripted) */
	bool lookup_destroyed;		/* the socket lookups find was destroyed */
	bool only_by_family;		/* refuses the older TCPDIAG_GETSOCK dump */
	bool no_bytecode;		/* refuses a dump with a filter (EINVAL), as an old kernel may */
	size_t refused;			/* dump requests refused for their filter */
} kernel;

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
	uint64_t wanted = (uint64_t)cookie[1] << 32 | cookie[0];

	if (kernel.lookup != NULL && kernel.lookup->cookie == wanted)
		kernel.lookup_destroyed = true;
	for (size_t i = 0; i < kernel.dump_count; i++) {
		if (kernel.dump[i].cookie == wanted) {
			kernel.dump[i] = kernel.dump[--kernel.dump_count];
			return;
		}
	}
}

ssize_t
__wrap_send(int fd, const void *buffer, size_t length, int flags)
{
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

		if (request->nlmsg_type == SOCK_DESTROY) {
			int error = kernel.destroys < MOST ? kernel.destroy_errors[kernel.destroys] : 0;

			kernel.destroys++;
			if ((error == 0 || error == -ENOENT) &&
			    ((uint64_t)body->id.idiag_cookie[1] << 32 | body->id.idiag_cookie[0]) !=
			    kernel.kept)
				forget(body->id.idiag_cookie);
			queue_status(queue, NLMSG_ERROR, error, request->nlmsg_seq, portid);
		} else if (request->nlmsg_type == TCPDIAG_GETSOCK && kernel.only_by_family) {
			queue_status(queue, NLMSG_ERROR, -EINVAL, request->nlmsg_seq, portid);
		} else if ((request->nlmsg_flags & NLM_F_DUMP) && kernel.no_bytecode &&
		    request->nlmsg_len > NLMSG_LENGTH(request->nlmsg_type == TCPDIAG_GETSOCK ?
		    sizeof(struct inet_diag_req) : sizeof(struct inet_diag_req_v2))) {
			kernel.refused++;
			queue_status(queue, NLMSG_ERROR, -EINVAL, request->nlmsg_seq, portid);
		} else if (request->nlmsg_flags & NLM_F_DUMP) {
			/* The older request dumps both families; it has another layout. */
			bool both = request->nlmsg_type == TCPDIAG_GETSOCK;
			const struct inet_diag_req *old = mnl_nlmsg_get_payload(request);
			uint32_t states = both ? old->idiag_states : body->idiag_states;

			/* A walk is one dump, or one per family; the first walk skips. */
			kernel.dumps += both ? 2 : 1;
			for (size_t i = 0; i < kernel.dump_count; i++)
				if ((both || kernel.dump[i].family == body->sdiag_family) &&
				    (states & TCP_STATE_BIT(kernel.dump[i].state)) &&
				    (kernel.dump[i].cookie != kernel.skipped || kernel.dumps > 2))
					queue_socket(queue, &kernel.dump[i], request->nlmsg_seq);
			queue_status(queue, NLMSG_DONE, 0, request->nlmsg_seq, portid);
		} else if (kernel.lookup != NULL && !kernel.lookup_destroyed &&
		    (kernel.lookup->ifindex == 0 || kernel.lookup->ifindex == body->id.idiag_if)) {
			/* A socket bound to a device is found only when asked on that device. */
			queue_socket(queue, kernel.lookup, request->nlmsg_seq);
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

static struct conn
make(const char *local, unsigned local_port, const char *foreign, unsigned foreign_port,
    int state)
{
	static uint64_t cookie = UINT64_C(0x100000000);
	struct conn conn = { .family = AF_INET, .state = (uint8_t)state,
		.local_port = (uint16_t)local_port, .foreign_port = (uint16_t)foreign_port,
		.cookie = cookie++ };

	inet_pton(AF_INET, local, conn.local);
	inet_pton(AF_INET, foreign, conn.foreign);
	return conn;
}

struct result {
	int status;
	char out[1 << 18];	/* a line for each of MANY */
	char err[1024];
	size_t destroys;
	size_t dumps;
};

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

static void
tell_destroys(void)
{
	size_t counts[2] = { kernel.destroys, kernel.dumps };

	if (write(count_pipe, counts, sizeof(counts)) < 0)
		_exit(99);
}

/* Run tcpdrop with these arguments against the scripted kernel, in a child. */
static struct result
run(char **argv)
{
	struct result outcome = { 0 };
	int out[2], err[2], count[2], argc = 0;
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
		dup2(out[1], STDOUT_FILENO);
		dup2(err[1], STDERR_FILENO);
		count_pipe = count[1];
		atexit(tell_destroys);
		if (options_parse(argc, argv, &settings).problem != OPTIONS_OK)
			exit(98);
		exit(tcpdrop(&settings) ? 0 : 1);
	}
	close(out[1]);
	close(err[1]);
	close(count[1]);
	slurp(out[0], outcome.out, sizeof(outcome.out));
	slurp(err[0], outcome.err, sizeof(outcome.err));
	size_t counts[2];

	if (read(count[0], counts, sizeof(counts)) != (ssize_t)sizeof(counts))
		counts[0] = counts[1] = 99;
	outcome.destroys = counts[0];
	outcome.dumps = counts[1];
	close(count[0]);
	waitpid(child, &outcome.status, 0);
	outcome.status = WIFEXITED(outcome.status) ? WEXITSTATUS(outcome.status) : -1;
	return outcome;
}

/* The sockets the scripted kernel may hold. */
enum fixture {
	NONE,
	ESTABLISHED,
	OTHER,		/* established too, to another port */
	LISTENER,
	TIME_WAIT,
	ORPHAN,		/* an orphaned FIN_WAIT_2 held as a time-wait socket */
	BOUND,		/* ESTABLISHED's addresses and ports, bound to lo */
	TWIN,		/* the same, bound to no device, found first by the kernel */
	CLOSED,		/* FIN_WAIT_1, orphaned: its process closed it with data unsent */
	NOW_TIME_WAIT,	/* ESTABLISHED as it is after it closed: a time-wait socket, same cookie */
	UNPLUGGED,	/* ESTABLISHED's addresses and ports, bound to a device since deleted */
	FIXTURES,
};

static struct conn fixtures[FIXTURES];

/* One case: what the kernel holds and answers, the command, and what must come of it. */
struct scenario {
	const char *name;
	char *argv[8];
	enum fixture lookup;		/* what an exact lookup finds */
	enum fixture dump[4];		/* what a dump finds, up to the first NONE */
	int destroy_errors[MOST];	/* the answer to each destroy, in order */
	enum fixture skipped;		/* missed by the first walk */
	enum fixture kept;		/* never removed by a destroy */
	bool only_by_family;
	bool no_bytecode;
	bool needs_cgroup2;		/* -c: skipped where cgroup2 is not mounted */
	size_t many;			/* this many more established, dumped after the rest */
	int status;
	const char *out, *err;		/* out NULL: a "dropped" line for each destroy */
	size_t destroys;
	size_t dumps;			/* dump requests, one per family, if not 0 */
};

/* An index no interface has: that of a device since deleted. */
#define UNPLUGGED_INDEX 2147480000
#define UNPLUGGED_TEXT "2147480000"

#define NO_SOCK_DESTROY "tcpdrop: cannot drop connections: this kernel has no SOCK_DESTROY " \
	"(it was built without CONFIG_INET_DIAG_DESTROY)\n"
#define TUPLE "tcpdrop", "127.0.0.1", "8080", "127.0.0.1", "40000"
#define SHADOWED "tcpdrop: 127.0.0.1%lo 8080 127.0.0.1 40000: the kernel cannot drop it: " \
	"a connection with the same addresses and ports bound to no device comes first in its " \
	"lookup (drop that one first)\n"

#define NO_CGROUPS "tcpdrop: -c /: this kernel does not say which cgroup a socket was created " \
	"in (Linux 5.9 and later do, built with CONFIG_SOCK_CGROUP_DATA): no connection could be " \
	"selected\n"

#define TIME_WAIT_BEFORE_6 "tcpdrop: 127.0.0.1 40002 127.0.0.1 8080: time-wait sockets can be " \
	"dropped only on Linux 6.0 and later\n"
#define KEPT "tcpdrop: 127.0.0.1 8080 127.0.0.1 40004: not dropped: the kernel answered that it " \
	"was, and kept it (this kernel does not drop an orphaned connection, one that its process " \
	"closed)\n"

static const struct scenario scenarios[] = {
	{ "a tuple is dropped", { TUPLE }, .lookup = ESTABLISHED,
	  .out = "127.0.0.1 8080 127.0.0.1 40000: dropped\n", .err = "", .destroys = 1 },
	{ "a tuple found, then gone before its destroy: gone, not dropped", { TUPLE },
	  .lookup = ESTABLISHED, .destroy_errors = { -ENOENT }, .out = "", .err = "",
	  .destroys = 1 },
	{ "a kernel without SOCK_DESTROY, a tuple", { TUPLE }, .lookup = ESTABLISHED,
	  .destroy_errors = { -EOPNOTSUPP }, .status = 1, .out = "", .err = NO_SOCK_DESTROY,
	  .destroys = 1 },
	{ "a kernel without SOCK_DESTROY, -a: one message", { "tcpdrop", "-a" },
	  .lookup = ESTABLISHED, .dump = { ESTABLISHED, OTHER },
	  .destroy_errors = { -EOPNOTSUPP, -EOPNOTSUPP }, .status = 1, .out = "",
	  .err = NO_SOCK_DESTROY, .destroys = 2 },
	{ "refused as a time-wait socket, then not found: gone, no sign of a kernel without "
	  "SOCK_DESTROY", { "tcpdrop", "-a" }, .dump = { ESTABLISHED, OTHER },
	  .destroy_errors = { -EOPNOTSUPP, 0 }, .out = "127.0.0.1 8080 127.0.0.1 40001: dropped\n",
	  .err = "", .destroys = 2 },
	{ "TIME_WAIT on a kernel before 6.0", { "tcpdrop", "-s", "TIME_WAIT" },
	  .dump = { TIME_WAIT }, .destroy_errors = { -EOPNOTSUPP }, .status = 1, .out = "",
	  .err = TIME_WAIT_BEFORE_6, .destroys = 1 },
	{ "an orphaned FIN_WAIT_2 time-wait socket on a kernel before 6.0 is no fatal error",
	  { "tcpdrop", "-a" }, .dump = { ORPHAN, ESTABLISHED }, .destroy_errors = { -EOPNOTSUPP },
	  .status = 1, .out = "127.0.0.1 8080 127.0.0.1 40000: dropped\n",
	  .err = "tcpdrop: 127.0.0.1 40003 127.0.0.1 8080: time-wait sockets can be dropped "
	  "only on Linux 6.0 and later\n", .destroys = 2 },
	{ "TIME_WAIT named on a kernel before 6.0: the message -s gives", { "tcpdrop",
	  "127.0.0.1", "40002", "127.0.0.1", "8080" }, .lookup = TIME_WAIT,
	  .destroy_errors = { -EOPNOTSUPP }, .status = 1, .out = "", .err = TIME_WAIT_BEFORE_6,
	  .destroys = 1 },
	{ "an orphan the kernel says it destroyed, and keeps: not dropped, told once, exit 1",
	  { "tcpdrop", "-s", "FIN_WAIT_1" }, .lookup = CLOSED, .dump = { CLOSED }, .kept = CLOSED,
	  .status = 1, .out = "", .err = KEPT, .destroys = 1 },
	{ "with -a, the rest is dropped and the kept orphan told", { "tcpdrop", "-a" },
	  .lookup = CLOSED, .dump = { ESTABLISHED, CLOSED }, .kept = CLOSED, .status = 1,
	  .out = "127.0.0.1 8080 127.0.0.1 40000: dropped\n", .err = KEPT, .destroys = 2 },
	{ "an orphan named and kept", { "tcpdrop", "127.0.0.1", "8080", "127.0.0.1", "40004" },
	  .lookup = CLOSED, .kept = CLOSED, .status = 1, .out = "", .err = KEPT, .destroys = 1 },
	{ "an orphan the kernel destroys is dropped", { "tcpdrop", "-s", "FIN_WAIT_1" },
	  .lookup = CLOSED, .dump = { CLOSED }, .out = "127.0.0.1 8080 127.0.0.1 40004: dropped\n",
	  .err = "", .destroys = 1 },
	{ "-s ESTABLISHED, before 6.0: one that closed into TIME_WAIT before its destroy is gone",
	  { "tcpdrop", "-s", "ESTABLISHED" }, .dump = { ESTABLISHED, OTHER },
	  .lookup = NOW_TIME_WAIT, .destroy_errors = { -EOPNOTSUPP }, .status = 0,
	  .out = "127.0.0.1 8080 127.0.0.1 40001: dropped\n", .err = "", .destroys = 2 },
	{ "-a, before 6.0: one that closed into TIME_WAIT is a time-wait socket not dropped",
	  { "tcpdrop", "-a" }, .dump = { ESTABLISHED }, .lookup = NOW_TIME_WAIT,
	  .destroy_errors = { -EOPNOTSUPP }, .status = 1, .out = "",
	  .err = "tcpdrop: 127.0.0.1 8080 127.0.0.1 40000: time-wait sockets can be dropped only "
	  "on Linux 6.0 and later\n", .destroys = 1 },
	{ "a lookup that falls back to a listener destroys nothing",
	  { "tcpdrop", "127.0.0.1", "8080", "127.0.0.1", "9" }, .lookup = LISTENER,
	  .dump = { LISTENER }, .status = 1, .out = "",
	  .err = "tcpdrop: 127.0.0.1 8080 127.0.0.1 9: No such connection\n" },
	{ "a connection gone before its turn is no failure", { "tcpdrop", "-a" },
	  .dump = { ESTABLISHED, OTHER, LISTENER }, .destroy_errors = { 0, -ENOENT },
	  .out = "127.0.0.1 8080 127.0.0.1 40000: dropped\n", .err = "", .destroys = 2 },
	{ "one failure is told, the rest still dropped, exit 1", { "tcpdrop", "-s", "ESTABLISHED" },
	  .dump = { ESTABLISHED, OTHER }, .destroy_errors = { -EIO }, .status = 1,
	  .out = "127.0.0.1 8080 127.0.0.1 40001: dropped\n",
	  .err = "tcpdrop: 127.0.0.1 8080 127.0.0.1 40000: Input/output error\n", .destroys = 2 },
	{ "no privilege, -a", { "tcpdrop", "-a" }, .dump = { ESTABLISHED },
	  .destroy_errors = { -EPERM }, .status = 1, .out = "",
	  .err = "tcpdrop: cannot drop connections: Operation not permitted (dropping needs "
	  "CAP_NET_ADMIN in the network namespace)\n", .destroys = 1 },
	{ "a kernel without the older dump request is walked family by family",
	  { "tcpdrop", "-l", "-a" }, .dump = { ESTABLISHED, OTHER, LISTENER },
	  .only_by_family = true,
	  .out = "tcpdrop 127.0.0.1 8080 127.0.0.1 40000\ntcpdrop 127.0.0.1 8080 127.0.0.1 40001\n",
	  .err = "" },
	{ "a selection of a few is walked once, and destroyed after the walk", { "tcpdrop", "-a" },
	  .dump = { ESTABLISHED, OTHER },
	  .out = "127.0.0.1 8080 127.0.0.1 40000: dropped\n127.0.0.1 8080 127.0.0.1 40001: dropped\n",
	  .err = "", .destroys = 2, .dumps = 2 },
	{ "a kernel that refuses the filter is asked without it, and tcpdrop filters",
	  { "tcpdrop", "-l", "*", "*", "*", "40001" }, .dump = { ESTABLISHED, OTHER, LISTENER },
	  .no_bytecode = true, .out = "tcpdrop 127.0.0.1 8080 127.0.0.1 40001\n", .err = "",
	  .dumps = 2 },
	{ "a pattern's selection is filtered by the kernel, and checked again",
	  { "tcpdrop", "*", "8080", "127.0.0.0/8", "40000-40000" },
	  .dump = { ESTABLISHED, OTHER, LISTENER, TIME_WAIT },
	  .out = "127.0.0.1 8080 127.0.0.1 40000: dropped\n", .err = "", .destroys = 1, .dumps = 2 },
	{ "-S where no socket's upper layer protocol was named: walked again, privileged",
	  { "tcpdrop", "-l", "-S", "mptcp" }, .dump = { ESTABLISHED }, .out = "", .err = "",
	  .dumps = 4 },
	{ "-c on a kernel that gives no socket's cgroup (before 5.9): told, nothing dropped, exit 1",
	  { "tcpdrop", "-c", "/" }, .dump = { ESTABLISHED, TIME_WAIT }, .needs_cgroup2 = true,
	  .status = 1, .out = "", .err = NO_CGROUPS, .destroys = 0 },
	{ "-l -c on such a kernel: told, nothing listed, exit 1", { "tcpdrop", "-l", "-c", "/" },
	  .dump = { ESTABLISHED }, .needs_cgroup2 = true, .status = 1, .out = "",
	  .err = NO_CGROUPS, .destroys = 0 },
	{ "-c where only time-wait sockets came, which have no cgroup: nothing told",
	  { "tcpdrop", "-c", "/" }, .dump = { TIME_WAIT }, .needs_cgroup2 = true, .out = "",
	  .err = "", .destroys = 0 },
	{ "past 4096, -a destroys as it walks, then walks again for what the first walk skipped",
	  { "tcpdrop", "-a" }, .dump = { ESTABLISHED }, .many = MANY, .skipped = ESTABLISHED,
	  .out = NULL, .err = "", .destroys = MANY + 1, .dumps = 4 },
	{ "past 4096 with -l: one walk lists all", { "tcpdrop", "-l", "-s", "ESTABLISHED" },
	  .dump = { OTHER }, .many = MANY - 1, .out = NULL, .err = "", .dumps = 2 },
	{ "-l destroys nothing", { "tcpdrop", "-l", "-a" }, .dump = { ESTABLISHED },
	  .out = "tcpdrop 127.0.0.1 8080 127.0.0.1 40000\n", .err = "" },
	{ "a name without a device, bound to one since deleted: no interface has it, a walk finds it",
	  { TUPLE }, .lookup = UNPLUGGED, .dump = { UNPLUGGED },
	  .out = "127.0.0.1%" UNPLUGGED_TEXT " 8080 127.0.0.1 40000: dropped\n", .err = "",
	  .destroys = 1, .dumps = 2 },
	{ "its index names it, the device gone", { "tcpdrop", "127.0.0.1%" UNPLUGGED_TEXT, "8080",
	  "127.0.0.1", "40000" }, .lookup = UNPLUGGED, .dump = { UNPLUGGED },
	  .out = "127.0.0.1%" UNPLUGGED_TEXT " 8080 127.0.0.1 40000: dropped\n", .err = "",
	  .destroys = 1 },
	{ "-l spells it with the index", { "tcpdrop", "-l", "-a" }, .dump = { UNPLUGGED },
	  .out = "tcpdrop 127.0.0.1%" UNPLUGGED_TEXT " 8080 127.0.0.1 40000\n", .err = "" },
	{ "a name without a device, on one that exists and one deleted: both listed, none dropped",
	  { TUPLE }, .lookup = BOUND, .dump = { BOUND, UNPLUGGED }, .status = 1, .out = "",
	  .err = "tcpdrop: 127.0.0.1 8080 127.0.0.1 40000: 2 connections match, on different "
	  "devices; name one of them:\ntcpdrop 127.0.0.1%lo 8080 127.0.0.1 40000\n"
	  "tcpdrop 127.0.0.1%" UNPLUGGED_TEXT " 8080 127.0.0.1 40000\n", .destroys = 0 },
	{ "a name no walk finds either is no connection", { TUPLE }, .dump = { OTHER },
	  .status = 1, .out = "", .err = "tcpdrop: 127.0.0.1 8080 127.0.0.1 40000: No such "
	  "connection\n", .dumps = 2 },
	{ "a device-bound connection hidden by an unbound twin is said to be undroppable",
	  { "tcpdrop", "127.0.0.1%lo", "8080", "127.0.0.1", "40000" }, .lookup = TWIN,
	  .dump = { TWIN, BOUND }, .status = 1, .out = "", .err = SHADOWED, .destroys = 0 },
	{ "an unbound twin alone is no device-bound connection",
	  { "tcpdrop", "127.0.0.1%lo", "8080", "127.0.0.1", "40000" }, .lookup = TWIN,
	  .dump = { TWIN }, .status = 1, .out = "",
	  .err = "tcpdrop: 127.0.0.1%lo 8080 127.0.0.1 40000: No such connection\n" },
	{ "-a: a device-bound connection whose destroys find nothing, and stays, is a failure",
	  { "tcpdrop", "-a" }, .dump = { BOUND }, .kept = BOUND,
	  .destroy_errors = { -ENOENT, -ENOENT }, .status = 1, .out = "", .err = SHADOWED,
	  .destroys = 1 },
};

static bool
cgroup2_mounted(void)
{
	FILE *mounts = fopen("/proc/self/mountinfo", "r");
	char line[4096];
	bool found = false;

	while (mounts != NULL && !found && fgets(line, sizeof(line), mounts) != NULL)
		found = strstr(line, " - cgroup2 ") != NULL;
	if (mounts != NULL)
		fclose(mounts);
	return found;
}

/*
 * Output of a scenario with many sockets: a line for each of them, listed
 * (-l) or dropped, and the first fixture's among them.
 */
static bool
every_one(const char *out, const struct scenario *scenario)
{
	bool list = strcmp(scenario->argv[1], "-l") == 0;
	const struct conn *first = &fixtures[scenario->dump[0]];
	char line[128];
	size_t lines = 0;

	for (const char *at = out; (at = strchr(at, '\n')) != NULL; at++)
		lines++;
	if (list)
		snprintf(line, sizeof(line), "tcpdrop 127.0.0.1 %u 127.0.0.1 %u\n",
		    first->local_port, first->foreign_port);
	else
		snprintf(line, sizeof(line), "127.0.0.1 %u 127.0.0.1 %u: dropped\n",
		    first->local_port, first->foreign_port);
	return lines == scenario->many + 1 && strstr(out, line) != NULL &&
	    strstr(out, list ? ": dropped" : "tcpdrop ") == NULL;
}

/* Script the kernel as a scenario says. */
static void
script(const struct scenario *scenario)
{
	memset(&kernel, 0, sizeof(kernel));
	for (size_t i = 0; i < SOCKETS; i++)
		queues[i].length = 0;
	kernel.lookup = scenario->lookup != NONE ? &fixtures[scenario->lookup] : NULL;
	for (size_t i = 0; i < 4 && scenario->dump[i] != NONE; i++)
		kernel.dump[kernel.dump_count++] = fixtures[scenario->dump[i]];
	for (size_t i = 0; i < scenario->many; i++)
		kernel.dump[kernel.dump_count++] = make("127.0.0.1", 8080, "127.0.0.2",
		    (unsigned)(20000 + i), TCP_STATE_ESTABLISHED);
	memcpy(kernel.destroy_errors, scenario->destroy_errors, sizeof(kernel.destroy_errors));
	kernel.skipped = scenario->skipped != NONE ? fixtures[scenario->skipped].cookie : 0;
	kernel.only_by_family = scenario->only_by_family;
	kernel.no_bytecode = scenario->no_bytecode;
	kernel.kept = scenario->kept != NONE ? fixtures[scenario->kept].cookie : 0;
}

int
main(void)
{
	fixtures[ESTABLISHED] = make("127.0.0.1", 8080, "127.0.0.1", 40000, TCP_STATE_ESTABLISHED);
	fixtures[OTHER] = make("127.0.0.1", 8080, "127.0.0.1", 40001, TCP_STATE_ESTABLISHED);
	fixtures[LISTENER] = make("127.0.0.1", 8080, "0.0.0.0", 0, TCP_STATE_LISTEN);
	fixtures[TIME_WAIT] = make("127.0.0.1", 40002, "127.0.0.1", 8080, TCP_STATE_TIME_WAIT);
	fixtures[ORPHAN] = make("127.0.0.1", 40003, "127.0.0.1", 8080, TCP_STATE_FIN_WAIT2);
	fixtures[ORPHAN].time_wait_socket = true;
	fixtures[BOUND] = make("127.0.0.1", 8080, "127.0.0.1", 40000, TCP_STATE_ESTABLISHED);
	fixtures[BOUND].ifindex = 1;
	fixtures[TWIN] = make("127.0.0.1", 8080, "127.0.0.1", 40000, TCP_STATE_ESTABLISHED);
	fixtures[UNPLUGGED] = make("127.0.0.1", 8080, "127.0.0.1", 40000, TCP_STATE_ESTABLISHED);
	fixtures[UNPLUGGED].ifindex = UNPLUGGED_INDEX;
	fixtures[CLOSED] = make("127.0.0.1", 8080, "127.0.0.1", 40004, TCP_STATE_FIN_WAIT1);
	fixtures[CLOSED].orphan = true;
	fixtures[NOW_TIME_WAIT] = fixtures[ESTABLISHED];
	fixtures[NOW_TIME_WAIT].state = TCP_STATE_TIME_WAIT;
	fixtures[NOW_TIME_WAIT].time_wait_socket = true;

	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		const struct scenario *scenario = &scenarios[i];
		struct result result;
		char name[256];

		if (scenario->needs_cgroup2 && !cgroup2_mounted()) {
			unit_skip(scenario->name, "cgroup2 is not mounted here");
			continue;
		}
		script(scenario);
		result = run((char **)scenario->argv);
		snprintf(name, sizeof(name), "%s: exit status", scenario->name);
		CHECK(result.status == scenario->status, name);
		snprintf(name, sizeof(name), "%s: stdout", scenario->name);
		if (scenario->out != NULL)
			CHECK_STR(result.out, scenario->out, name);
		else
			CHECK(every_one(result.out, scenario), name);
		snprintf(name, sizeof(name), "%s: stderr", scenario->name);
		CHECK_STR(result.err, scenario->err, name);
		snprintf(name, sizeof(name), "%s: destroy requests", scenario->name);
		CHECK(result.destroys == scenario->destroys, name);
		if (scenario->dumps != 0) {
			snprintf(name, sizeof(name), "%s: walks", scenario->name);
			CHECK(result.dumps == scenario->dumps, name);
		}
	}
	return unit_done();
}
