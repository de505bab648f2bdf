/*
 * A connection that was looked up, then closed, and whose addresses and
 * ports a new connection took before the drop, is never hit: the destroy
 * carries the old socket's cookie, and the kernel refuses a cookie that is
 * not the socket's (tcpdrop(8), WHAT TCPDROP REFUSES TO DO).  This plays
 * that race out step by step with real sockets, on 127.0.0.1 and on ::1,
 * through tcpdrop's own diag_lookup() and diag_destroy().
 *
 * It makes a listener and connects to it from a fixed local port, looks the
 * client up, closes both ends with SO_LINGER 0 (no TIME_WAIT is left),
 * connects again from the very same port, and then destroys the old
 * connection: the kernel must answer ENOENT and the new connection must
 * still be established and carry data.  Destroying it by its own cookie
 * must then work.
 *
 * It drops connections, so it runs only inside a network namespace of the
 * test's own: it refuses unless TCPDROP_TEST_NETNS equals the link of
 * /proc/self/ns/net as seen from inside (`readlink /proc/self/ns/net`).
 *
 * Prints TAP ("1..N", "ok N - ...", "not ok N - ...") and exits 0 if every
 * check passed, 1 if one failed, 2 if it refused to run or could not set up.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conn.h"
#include "diag.h"

#ifndef SO_COOKIE
#define SO_COOKIE 57
#endif

/* Our namespace is our own: these ports are free in it. */
enum { CLIENT_PORT_V4 = 47001, CLIENT_PORT_V6 = 47002, WAIT_MS = 2000 };

/* Checks each family makes; keep in step with run_family(). */
enum { CHECKS_PER_FAMILY = 16 };

static int checks, failures;

static void check(bool passed, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

static void
check(bool passed, const char *format, ...)
{
	va_list arguments;

	checks++;
	if (!passed)
		failures++;
	printf("%sok %d - ", passed ? "" : "not ", checks);
	va_start(arguments, format);
	vprintf(format, arguments);
	va_end(arguments);
	putchar('\n');
	fflush(stdout);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
bail(const char *format, ...)
{
	va_list arguments;

	printf("Bail out! ");
	va_start(arguments, format);
	vprintf(format, arguments);
	va_end(arguments);
	printf(": %s\n", strerror(errno));
	exit(2);
}

/* Refuse to run anywhere but in the namespace the test says it made. */
static void
refuse_outside_test_netns(void)
{
	const char *wanted = getenv("TCPDROP_TEST_NETNS");
	char here[PATH_MAX];
	ssize_t length = readlink("/proc/self/ns/net", here, sizeof(here) - 1);

	if (length < 0) {
		fprintf(stderr, "stale_cookie: refusing to run: cannot read /proc/self/ns/net: %s\n",
		    strerror(errno));
		exit(2);
	}
	here[length] = '\0';
	if (wanted == NULL || strcmp(wanted, here) != 0) {
		fprintf(stderr, "stale_cookie: refusing to run: TCPDROP_TEST_NETNS (%s) is not "
		    "this network namespace (%s)\n", wanted != NULL ? wanted : "unset", here);
		exit(2);
	}
}

struct family {
	int family;
	const char *name;
	uint16_t client_port;
};

static socklen_t
loopback(const struct family *family, uint16_t port, struct sockaddr_storage *address)
{
	memset(address, 0, sizeof(*address));
	if (family->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)address;

		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sin->sin_port = htons(port);
		return sizeof(*sin);
	}
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)address;

	sin6->sin6_family = AF_INET6;
	sin6->sin6_addr = in6addr_loopback;
	sin6->sin6_port = htons(port);
	return sizeof(*sin6);
}

static uint16_t
port_of(int fd)
{
	struct sockaddr_storage address;
	socklen_t length = sizeof(address);

	if (getsockname(fd, (struct sockaddr *)&address, &length) < 0)
		bail("getsockname");
	return ntohs(address.ss_family == AF_INET ? ((struct sockaddr_in *)&address)->sin_port :
	    ((struct sockaddr_in6 *)&address)->sin6_port);
}

static int
listener(const struct family *family)
{
	struct sockaddr_storage address;
	socklen_t length = loopback(family, 0, &address);
	int fd = socket(family->family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		bail("socket");
	if (family->family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0)
		bail("IPV6_V6ONLY");
	if (bind(fd, (struct sockaddr *)&address, length) < 0)
		bail("bind listener");
	if (listen(fd, 8) < 0)
		bail("listen");
	return fd;
}

static int
accept_within(int listening)
{
	struct pollfd ready = { .fd = listening, .events = POLLIN };
	int fd;

	if (poll(&ready, 1, WAIT_MS) != 1)
		bail("nothing to accept within %d ms", WAIT_MS);
	fd = accept4(listening, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		bail("accept");
	return fd;
}

/* Connect from the family's fixed client port; *server gets the accepted end. */
static int
connect_from_fixed_port(const struct family *family, int listening, int *server)
{
	struct sockaddr_storage local, foreign;
	socklen_t local_length = loopback(family, family->client_port, &local);
	socklen_t foreign_length = loopback(family, port_of(listening), &foreign);
	int fd = socket(family->family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		bail("socket");
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		bail("SO_REUSEADDR");
	if (family->family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0)
		bail("IPV6_V6ONLY");
	if (bind(fd, (struct sockaddr *)&local, local_length) < 0)
		bail("bind the client to port %u", family->client_port);
	if (connect(fd, (struct sockaddr *)&foreign, foreign_length) < 0)
		bail("connect from port %u", family->client_port);
	*server = accept_within(listening);
	return fd;
}

/* The client's connection as tcpdrop names it before looking it up. */
static struct conn
conn_of(int fd)
{
	struct sockaddr_storage local, foreign;
	socklen_t local_length = sizeof(local), foreign_length = sizeof(foreign);
	struct conn conn;

	if (getsockname(fd, (struct sockaddr *)&local, &local_length) < 0 ||
	    getpeername(fd, (struct sockaddr *)&foreign, &foreign_length) < 0)
		bail("getsockname/getpeername");
	if (!conn_from_sockaddrs(&conn, (struct sockaddr *)&local, (struct sockaddr *)&foreign))
		bail("conn_from_sockaddrs");
	return conn;
}

static uint64_t
cookie_of(int fd)
{
	uint64_t cookie;
	socklen_t length = sizeof(cookie);

	if (getsockopt(fd, SOL_SOCKET, SO_COOKIE, &cookie, &length) < 0)
		bail("SO_COOKIE");
	return cookie;
}

/* A fresh lookup of these endpoints; returns 0 or a negative errno. */
static int
lookup(struct diag *diag, const struct conn *endpoints, struct conn *found)
{
	struct conn wanted = *endpoints;
	int result, error;

	wanted.cookie = CONN_NO_COOKIE;
	error = diag_lookup(diag, &wanted, 1, found, &result);
	return error != 0 ? error : result;
}

static int
destroy(struct diag *diag, const struct conn *conn)
{
	int result, error = diag_destroy(diag, conn, 1, &result);

	return error != 0 ? error : result;
}

static void
close_abortively(int fd)
{
	struct linger linger = { .l_onoff = 1, .l_linger = 0 };

	if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, sizeof(linger)) < 0)
		bail("SO_LINGER");
	close(fd);
}

/* Send a message one way and read it at the other end; true if it arrived whole. */
static bool
carries(int from, int to, const char *message)
{
	size_t length = strlen(message);
	struct pollfd ready = { .fd = to, .events = POLLIN };
	char buffer[64] = { 0 };

	if (send(from, message, length, MSG_NOSIGNAL) != (ssize_t)length)
		return false;
	if (poll(&ready, 1, WAIT_MS) != 1)
		return false;
	return recv(to, buffer, sizeof(buffer) - 1, MSG_DONTWAIT) == (ssize_t)length &&
	    memcmp(buffer, message, length) == 0;
}

/* The errno a read gets within WAIT_MS, 0 if it read data or EOF, -1 if nothing came. */
static int
read_error(int fd)
{
	struct pollfd ready = { .fd = fd, .events = POLLIN };
	char byte;

	if (poll(&ready, 1, WAIT_MS) != 1)
		return -1;
	return recv(fd, &byte, 1, MSG_DONTWAIT) < 0 ? errno : 0;
}

static const char *
error_name(int error)
{
	switch (error) {
	case 0: return "0";
	case -ENOENT: return "-ENOENT";
	case -ESTALE: return "-ESTALE";
	case -EPERM: return "-EPERM";
	case -EOPNOTSUPP: return "-EOPNOTSUPP";
	default: return strerror(error < 0 ? -error : error);
	}
}

static void
run_family(struct diag *diag, const struct family *family)
{
	int listening = listener(family), old_server, new_server, client, other_server, other;
	struct conn old, found, fresh, renewed, bare;
	uint64_t old_cookie, new_cookie;
	int result, error;

	/* The connection tcpdrop would find. */
	client = connect_from_fixed_port(family, listening, &old_server);
	old = conn_of(client);
	result = lookup(diag, &old, &found);
	old_cookie = cookie_of(client);
	check(result == 0 && conn_same_endpoints(&found, &old) &&
	    found.state == TCP_STATE_ESTABLISHED && found.cookie == old_cookie,
	    "%s: the lookup finds the client from port %u, ESTABLISHED, with its cookie %#llx "
	    "(got %s, state %u, cookie %#llx)", family->name, family->client_port,
	    (unsigned long long)old_cookie, error_name(result), found.state,
	    (unsigned long long)found.cookie);
	old = found;

	/* It closes; no TIME_WAIT is left, and nothing answers for it, not the listener. */
	close_abortively(client);
	close_abortively(old_server);
	result = lookup(diag, &old, &found);
	check(result == -ENOENT, "%s: once both ends closed with SO_LINGER 0, nothing has "
	    "those addresses and ports (got %s)", family->name, error_name(result));

	/* A new connection takes the very same addresses and ports. */
	client = connect_from_fixed_port(family, listening, &new_server);
	fresh = conn_of(client);
	new_cookie = cookie_of(client);
	check(conn_same_endpoints(&fresh, &old) && fresh.local_port == family->client_port,
	    "%s: the new connection has the old one's addresses and ports", family->name);
	result = lookup(diag, &fresh, &found);
	check(result == 0 && found.state == TCP_STATE_ESTABLISHED && found.cookie == new_cookie &&
	    found.cookie != old.cookie,
	    "%s: a fresh lookup finds the new connection with a new cookie %#llx, not %#llx "
	    "(got %s, cookie %#llx)", family->name, (unsigned long long)new_cookie,
	    (unsigned long long)old.cookie, error_name(result), (unsigned long long)found.cookie);
	renewed = found;

	/* The drop of the connection looked up first arrives now. */
	result = destroy(diag, &old);
	check(result == -ENOENT, "%s: destroying the old connection by its cookie is refused "
	    "with ENOENT (got %s)", family->name, error_name(result));
	result = lookup(diag, &fresh, &found);
	check(result == 0 && found.cookie == new_cookie && found.state == TCP_STATE_ESTABLISHED,
	    "%s: the new connection is still there and ESTABLISHED (got %s, state %u)",
	    family->name, error_name(result), found.state);
	check(carries(client, new_server, "ping"), "%s: the new connection still carries data "
	    "from the client", family->name);
	check(carries(new_server, client, "pong"), "%s: the new connection still carries data "
	    "to the client", family->name);

	/* Its own cookie drops it: the owner sees ECONNABORTED, the peer a reset. */
	result = destroy(diag, &renewed);
	check(result == 0, "%s: destroying the new connection by its own cookie works (got %s)",
	    family->name, error_name(result));
	error = read_error(client);
	check(error == ECONNABORTED, "%s: the client of the dropped connection reads "
	    "ECONNABORTED (got %s)", family->name, error < 0 ? "nothing" : strerror(error));
	error = read_error(new_server);
	check(error == ECONNRESET, "%s: its peer reads ECONNRESET (got %s)", family->name,
	    error < 0 ? "nothing" : strerror(error));
	result = lookup(diag, &fresh, &found);
	check(result == -ENOENT, "%s: afterwards nothing has those addresses and ports "
	    "(got %s)", family->name, error_name(result));

	close_abortively(client);
	close_abortively(new_server);

	/* The listener, which the kernel's lookups by these endpoints fall back to, is untouched. */
	other = connect_from_fixed_port(family, listening, &other_server);
	check(carries(other, other_server, "again"), "%s: the listener still accepts a third "
	    "connection from the same port", family->name);

	/*
	 * The control: the same request without a cookie is a destroy by
	 * addresses and ports alone, and it does take whatever connection has
	 * them now.  Only the cookie spared the new connection above.
	 */
	result = destroy(diag, &old);
	check(result == -ENOENT, "%s: the first connection's cookie hits nothing on the third "
	    "either (got %s)", family->name, error_name(result));
	bare = fresh;
	bare.cookie = CONN_NO_COOKIE;
	result = destroy(diag, &bare);
	check(result == 0, "%s: control: a destroy by addresses and ports alone, without a "
	    "cookie, takes the connection that has them now (got %s)", family->name,
	    error_name(result));
	error = read_error(other);
	check(error == ECONNABORTED, "%s: control: the third connection was dropped (got %s)",
	    family->name, error < 0 ? "nothing" : strerror(error));

	close_abortively(other);
	close_abortively(other_server);
	close(listening);
}

int
main(void)
{
	static const struct family families[] = {
		{ AF_INET, "127.0.0.1", CLIENT_PORT_V4 },
		{ AF_INET6, "::1", CLIENT_PORT_V6 },
	};
	const size_t count = sizeof(families) / sizeof(families[0]);
	struct diag *diag;

	refuse_outside_test_netns();
	diag = diag_open();
	if (diag == NULL)
		bail("diag_open");
	printf("1..%zu\n", count * CHECKS_PER_FAMILY);
	for (size_t i = 0; i < count; i++)
		run_family(diag, &families[i]);
	diag_close(diag);
	if (checks != (int)(count * CHECKS_PER_FAMILY)) {
		printf("not ok - made %d checks, planned %zu\n", checks, count * CHECKS_PER_FAMILY);
		return 1;
	}
	return failures == 0 ? 0 : 1;
}
