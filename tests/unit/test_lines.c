/*
 * Lines of a -f file: words as sh(1) splits the commands -l prints,
 * comments, blanks, the leading "tcpdrop", and -N; and every command -l
 * prints, read back as -f reads it, names the connection it was printed for.
 */
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conn.h"
#include "lines.h"
#include "tuple.h"
#include "unit.h"
#include "unit_conn.h"

struct case_ {
	const char *text;
	enum line_problem problem;
	int count;
	const char *first, *last, *netns;
};

static const struct case_ cases[] = {
	{ "tcpdrop 127.0.0.1 80 127.0.0.1 40000\n", LINE_OK, 4, "127.0.0.1", "40000", NULL },
	{ "127.0.0.1 80 127.0.0.1 40000", LINE_OK, 4, "127.0.0.1", "40000", NULL },
	{ "  [::1]:22\t[::1]:50000\r\n", LINE_OK, 2, "[::1]:22", "[::1]:50000", NULL },
	{ "tcpdrop 1.2.3.4.80 5.6.7.8.90 # a comment\n", LINE_OK, 2, "1.2.3.4.80", "5.6.7.8.90",
	    NULL },
	{ "# only a comment\n", LINE_OK, 0, NULL, NULL, NULL },
	{ "\n", LINE_OK, 0, NULL, NULL, NULL },
	{ "   \t  ", LINE_OK, 0, NULL, NULL, NULL },
	{ "tcpdrop\n", LINE_OK, 0, NULL, NULL, NULL },
	{ "localhost http localhost 40000 extra\n", LINE_OK, 5, "localhost", "40000", NULL },
	{ "a b c d e f g h", LINE_OK, 8, "a", "d", NULL },
	{ "127.0.0.1:80", LINE_OK, 1, "127.0.0.1:80", "127.0.0.1:80", NULL },
	/* Only the first word may be the command's name. */
	{ "127.0.0.1:80 tcpdrop", LINE_OK, 2, "127.0.0.1:80", "tcpdrop", NULL },
	/* As in sh(1), '#' starts a comment only at the start of a word. */
	{ "a#b c", LINE_OK, 2, "a#b", "c", NULL },
	{ "tcpdrop -N ns 10.0.0.1 80 10.0.0.2 90\n", LINE_OK, 4, "10.0.0.1", "90", "ns" },
	{ "tcpdrop -Nns 10.0.0.1:80 10.0.0.2:90", LINE_OK, 2, "10.0.0.1:80", "10.0.0.2:90", "ns" },
	{ "-N /proc/1/ns/net a b", LINE_OK, 2, "a", "b", "/proc/1/ns/net" },
	{ "tcpdrop -N 'my ns' a b", LINE_OK, 2, "a", "b", "my ns" },
	{ "tcpdrop -N 'it'\\''s' a b", LINE_OK, 2, "a", "b", "it's" },
	{ "tcpdrop -N ns # just a namespace", LINE_OK, 0, NULL, NULL, "ns" },
	{ "tcpdrop 'fe80::1%we#rd' 22 fe80::2 40000", LINE_OK, 4, "fe80::1%we#rd", "40000",
	    NULL },
	{ "tcpdrop fe80::1%a\\ b 22 fe80::2 40000", LINE_OK, 4, "fe80::1%a b", "40000", NULL },
	{ "a''b c", LINE_OK, 2, "ab", "c", NULL },
	{ "'' c", LINE_OK, 2, "", "c", NULL },
	/* After the operands begin, a word with a dash is one more operand. */
	{ "a b c d -N ns", LINE_OK, 6, "a", "d", NULL },
	{ "tcpdrop -N 'ns a b", LINE_OPEN_QUOTE, 0, NULL, NULL, NULL },
	{ "a 'b c", LINE_OPEN_QUOTE, 0, NULL, NULL, NULL },
	{ "tcpdrop -N", LINE_NETNS_MISSING, 0, NULL, NULL, NULL },
	{ "tcpdrop -N # comment", LINE_NETNS_MISSING, 0, NULL, NULL, NULL },
	{ "tcpdrop -l a b", LINE_OPTION, 0, NULL, NULL, NULL },
	{ "- a b", LINE_OK, 3, "-", "b", NULL },
	{ "-x a b", LINE_OPTION, 0, NULL, NULL, NULL },
};

/*
 * The comment -l -k writes gives the socket's cookie, and text may follow
 * it; a comment that mentions a cookie in any other way refuses the line,
 * and any other comment is only a comment.
 */
static void
test_cookies(void)
{
	static const struct {
		const char *text;
		enum line_problem problem;
		bool has_cookie;
		uint64_t cookie;
		const char *culprit;	/* LINE_BAD_COOKIE: the comment, as written */
	} cookies[] = {
		{ "tcpdrop 127.0.0.1 80 127.0.0.1 40000 # cookie 4711\n", LINE_OK, true, 4711, NULL },
		{ "tcpdrop -N ns a 1 b 2 #\tcookie\t18446744073709551614 ", LINE_OK, true,
		    UINT64_MAX - 1, NULL },
		{ "tcpdrop a 1 b 2 # cookie 0", LINE_OK, true, 0, NULL },
		{ "tcpdrop a 1 b 2 # cookie 000000000000000000000000042", LINE_OK, true, 42, NULL },
		{ "tcpdrop a 1 b 2 # cookie 123 reviewed by ann", LINE_OK, true, 123, NULL },
		{ "tcpdrop a 1 b 2 # cookie 123\tCookie: ok", LINE_OK, true, 123, NULL },
		{ "tcpdrop a 1 b 2 #cookie 7", LINE_OK, true, 7, NULL },
		{ "tcpdrop a 1 b 2 # reviewed", LINE_OK, false, 0, NULL },
		{ "tcpdrop a 1 b 2 ## biscuits", LINE_OK, false, 0, NULL },
		/* sh(1) would not see a comment in these either. */
		{ "tcpdrop a 1 b 2#cookie 12", LINE_OK, false, 0, NULL },
		{ "tcpdrop a 1 b 2 '# cookie 12'", LINE_OK, false, 0, NULL },
		/* All ones is the kernel's "no cookie"; past it, no 64-bit number. */
		{ "tcpdrop a 1 b 2 # cookie 18446744073709551615", LINE_BAD_COOKIE, false, 0,
		    "# cookie 18446744073709551615" },
		{ "tcpdrop a 1 b 2 # cookie 18446744073709551616", LINE_BAD_COOKIE, false, 0,
		    "# cookie 18446744073709551616" },
		{ "tcpdrop a 1 b 2 # cookie 123456789012345678901", LINE_BAD_COOKIE, false, 0,
		    "# cookie 123456789012345678901" },
		{ "tcpdrop a 1 b 2 # cookie 12x", LINE_BAD_COOKIE, false, 0, "# cookie 12x" },
		{ "tcpdrop a 1 b 2 # cookie", LINE_BAD_COOKIE, false, 0, "# cookie" },
		{ "tcpdrop a 1 b 2 # cookie -12", LINE_BAD_COOKIE, false, 0, "# cookie -12" },
		{ "tcpdrop a 1 b 2 # cookie 0x12", LINE_BAD_COOKIE, false, 0, "# cookie 0x12" },
		{ "tcpdrop a 1 b 2 # cookies 12", LINE_BAD_COOKIE, false, 0, "# cookies 12" },
		{ "tcpdrop a 1 b 2 # cookie: 12", LINE_BAD_COOKIE, false, 0, "# cookie: 12" },
		{ "tcpdrop a 1 b 2 # Cookie 12\r\n", LINE_BAD_COOKIE, false, 0, "# Cookie 12" },
		{ "tcpdrop a 1 b 2 # COOKIE=12", LINE_BAD_COOKIE, false, 0, "# COOKIE=12" },
		{ "tcpdrop a 1 b 2 # reviewed, cookie 12", LINE_BAD_COOKIE, false, 0,
		    "# reviewed, cookie 12" },
		{ "tcpdrop a 1 b 2 # ok # cookie 12", LINE_BAD_COOKIE, false, 0, "# ok # cookie 12" },
		/* A line that names no connection has only a comment, whatever it says. */
		{ "# Cookies reviewed by ann:", LINE_OK, false, 0, NULL },
		{ "# cookie 12", LINE_OK, false, 0, NULL },
	};

	for (size_t i = 0; i < sizeof(cookies) / sizeof(cookies[0]); i++) {
		char buffer[256], name[300];
		const char *culprit = NULL;
		struct line line;
		enum line_problem problem;

		snprintf(buffer, sizeof(buffer), "%s", cookies[i].text);
		snprintf(name, sizeof(name), "cookie in '%s'", cookies[i].text);
		for (char *p = name; *p != '\0'; p++)
			if (*p == '\n' || *p == '\t' || *p == '\r')
				*p = ' ';
		problem = line_parse(buffer, &line, &culprit);
		CHECK(problem == cookies[i].problem, name);
		if (problem == LINE_BAD_COOKIE)
			CHECK_STR(culprit, cookies[i].culprit, name);
		else
			CHECK(line.has_cookie == cookies[i].has_cookie &&
			    (!line.has_cookie || line.cookie == cookies[i].cookie), name);
	}
}

/* The line line_print() writes, malloc'd. */
static char *
printed(const struct conn *conn, const char *netns, bool cookie)
{
	char *text = NULL;
	size_t size = 0;
	FILE *stream = open_memstream(&text, &size);

	if (stream == NULL)
		return NULL;
	line_print(stream, conn, netns, cookie);
	if (fclose(stream) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/*
 * The connection a line names, resolved as -f resolves it: line_parse(),
 * tuple_name(), and the cookie of the comment on every pair.  It must be
 * the one printed, and the only one: the same addresses and ports, the
 * same device, the family it is on the wire (an IPv4 connection an IPv6
 * socket holds is named as IPv4), and the cookie if it was written.
 */
static void
check_round_trip(const struct conn *conn, const char *netns, bool cookie, const char *name)
{
	char *text = printed(conn, netns, cookie), *copy;
	const char *culprit = NULL;
	struct line line;
	struct tuple tuple;
	struct operand_problem problem;
	bool mapped = conn->family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(conn->local) &&
	    IN6_IS_ADDR_V4MAPPED(conn->foreign);
	bool ok;

	if (text == NULL || (copy = strdup(text)) == NULL) {
		CHECK(false, name);
		free(text);
		return;
	}
	ok = line_parse(copy, &line, &culprit) == LINE_OK && line.count == 4 &&
	    ((line.netns == NULL && netns == NULL) ||
	    (line.netns != NULL && netns != NULL && strcmp(line.netns, netns) == 0)) &&
	    line.has_cookie == cookie && (!cookie || line.cookie == conn->cookie);
	if (ok) {
		ok = tuple_name(line.operands, line.count, &tuple, &problem);
		if (ok) {
			struct conn *pairs = (struct conn *)tuple.named.pairs;

			if (line.has_cookie)
				for (size_t i = 0; i < tuple.named.count; i++)
					pairs[i].cookie = line.cookie;
			ok = tuple.named.count == 1 && conn_same_endpoints(&pairs[0], conn) &&
			    pairs[0].family == (mapped ? AF_INET : conn->family) &&
			    pairs[0].ifindex == conn->ifindex &&
			    (!cookie || pairs[0].cookie == conn->cookie);
		}
		tuple_free(&tuple);
	}
	CHECK(ok, name);
	if (!ok)
		printf("# printed: %s", text);
	free(copy);
	free(text);
}

/* The bytes -l writes are a contract: sh(1), -f and people read them. */
static void
check_printed(const struct conn *conn, const char *netns, bool cookie, const char *expected,
    const char *name)
{
	char *text = printed(conn, netns, cookie);

	CHECK_STR(text, expected, name);
	free(text);
}

/* Is device 1 loopback, by the name it has in every new network namespace? */
static bool
loopback_is_lo(void)
{
	char name[IF_NAMESIZE];

	return if_indextoname(1, name) != NULL && strcmp(name, "lo") == 0;
}

static void
test_round_trips(void)
{
	static const char *const names[] = {
		"ns", "my ns", "it's", "''", "back\\slash", "trailing\\", "#hash", "a#b",
		"-lead", "-N", "-x", "tcpdrop", "\"quoted\"", "$HOME", "`id`", "a;b", "*", "?",
		"~user", "a b  c", " ", "", "/run/netns/ns", "# cookie 12",
	};
	static const uint64_t cookies[] = { 0, 1, UINT64_C(1) << 63, UINT64_MAX - 1 };
	struct conn conn;
	char name[128];

	conn = unit_conn(AF_INET, "192.0.2.1", 80, "198.51.100.7", 40000);
	check_round_trip(&conn, NULL, false, "round trip: IPv4");
	check_printed(&conn, NULL, false, "tcpdrop 192.0.2.1 80 198.51.100.7 40000\n",
	    "printed: IPv4");
	conn = unit_conn(AF_INET, "10.0.0.1", 0, "10.0.0.2", 65535);
	check_round_trip(&conn, NULL, false, "round trip: ports 0 and 65535");
	conn = unit_conn(AF_INET, "10.0.0.1", 65535, "10.0.0.2", 0);
	check_round_trip(&conn, NULL, false, "round trip: ports 65535 and 0");
	conn = unit_conn(AF_INET6, "2001:db8::1", 443, "2001:db8::2", 65535);
	check_round_trip(&conn, NULL, false, "round trip: IPv6");
	conn = unit_conn(AF_INET6, "::", 0, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 0);
	check_round_trip(&conn, NULL, false, "round trip: IPv6, the first and last addresses");
	conn = unit_conn(AF_INET6, "::ffff:10.0.0.1", 22, "::ffff:10.0.0.2", 65535);
	check_round_trip(&conn, NULL, false, "round trip: an IPv4 connection an IPv6 socket holds");
	check_printed(&conn, NULL, false, "tcpdrop 10.0.0.1 22 10.0.0.2 65535\n",
	    "printed: an IPv4 connection an IPv6 socket holds, as IPv4");
	conn = unit_conn(AF_INET6, "::ffff:127.0.0.1", 8080, "::1", 40000);
	check_round_trip(&conn, NULL, false, "round trip: one IPv4-mapped address stays IPv6");

	if (loopback_is_lo()) {
		conn = unit_conn(AF_INET6, "fe80::1", 22, "fe80::2", 40000);
		conn.ifindex = 1;
		check_round_trip(&conn, NULL, false, "round trip: IPv6 on a device by name");
		check_printed(&conn, NULL, false, "tcpdrop fe80::1%lo 22 fe80::2 40000\n",
		    "printed: a device by name");
		conn = unit_conn(AF_INET, "10.0.0.1", 0, "10.0.0.2", 65535);
		conn.ifindex = 1;
		conn.cookie = 7;
		check_round_trip(&conn, "my ns", true, "round trip: IPv4 on a device, -N, cookie");
		check_printed(&conn, "my ns", true,
		    "tcpdrop -N 'my ns' 10.0.0.1%lo 0 10.0.0.2 65535 # cookie 7\n",
		    "printed: IPv4 on a device, -N, cookie");
	} else {
		unit_skip("round trip: a device by name", "device 1 is not lo here");
	}
	/* A device that is gone keeps its index in the sockets bound to it. */
	conn = unit_conn(AF_INET6, "fe80::1", 22, "fe80::2", 40000);
	conn.ifindex = 2000000000;
	if (if_indextoname(conn.ifindex, name) == NULL) {
		check_round_trip(&conn, NULL, false, "round trip: a device by index");
		check_printed(&conn, NULL, false, "tcpdrop fe80::1%2000000000 22 fe80::2 40000\n",
		    "printed: a device by index");
	} else {
		unit_skip("round trip: a device by index", "a device has index 2000000000 here");
	}

	conn = unit_conn(AF_INET, "192.0.2.1", 80, "198.51.100.7", 40000);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(name, sizeof(name), "round trip: -N '%s'", names[i]);
		check_round_trip(&conn, names[i], false, name);
		conn.cookie = 42;
		snprintf(name, sizeof(name), "round trip: -N '%s' and a cookie", names[i]);
		check_round_trip(&conn, names[i], true, name);
	}
	check_printed(&conn, "it's", false, "tcpdrop -N 'it'\\''s' 192.0.2.1 80 198.51.100.7 40000\n",
	    "printed: -N with a quote");
	check_printed(&conn, "-lead", false, "tcpdrop -N -lead 192.0.2.1 80 198.51.100.7 40000\n",
	    "printed: -N with a leading dash, unquoted as sh(1) needs none");

	for (size_t i = 0; i < sizeof(cookies) / sizeof(cookies[0]); i++) {
		conn = unit_conn(AF_INET6, "2001:db8::1", 0, "2001:db8::2", 65535);
		conn.cookie = cookies[i];
		snprintf(name, sizeof(name), "round trip: cookie %" PRIu64, cookies[i]);
		check_round_trip(&conn, NULL, true, name);
		snprintf(name, sizeof(name), "round trip: cookie %" PRIu64 " with -N", cookies[i]);
		check_round_trip(&conn, "ns", true, name);
	}
	check_printed(&conn, NULL, true,
	    "tcpdrop 2001:db8::1 0 2001:db8::2 65535 # cookie 18446744073709551614\n",
	    "printed: the largest cookie");

	/* A family of no known kind is said in a comment, which names no connection. */
	conn.family = 99;
	check_printed(&conn, "ns", true, "# (address family 99)\n",
	    "printed: an unknown family, as a comment");
}

/*
 * A device whose name would not read back as that device is spelt by its
 * index: a name of digits, brackets, a glob's characters, bytes that are
 * not plain text.  Loopback is renamed so in a network namespace of this
 * process's own, where it is down, as renaming needs.
 */
static void
test_spelt_by_index(void)
{
	static const struct {
		const char *name, *why;
	} devices[] = {
		{ "42", "digits, an index" },
		{ "v*a", "a glob's star, a pattern" },
		{ "a?b", "a glob's question mark" },
		{ "[x]", "brackets" },
		{ "a]b", "a closing bracket" },
		{ "\x01x", "a control character" },
		{ "\xc3\xa9t\xc3\xa9", "bytes past ASCII" },
	};
	struct conn conn = unit_conn(AF_INET6, "fe80::1", 22, "fe80::2", 40000);
	char name[128];
	int fd;

	if (unshare(CLONE_NEWNET) != 0) {
		unit_skip("round trip: devices spelt by index", strerror(errno));
		return;
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		unit_skip("round trip: devices spelt by index", strerror(errno));
		return;
	}
	conn.ifindex = 1;
	for (size_t i = 0; i < sizeof(devices) / sizeof(devices[0]); i++) {
		struct ifreq request;
		char current[IF_NAMESIZE];

		snprintf(name, sizeof(name), "round trip: a device named with %s, spelt by index",
		    devices[i].why);
		memset(&request, 0, sizeof(request));
		if (if_indextoname(1, current) == NULL) {
			unit_skip(name, strerror(errno));
			continue;
		}
		snprintf(request.ifr_name, sizeof(request.ifr_name), "%s", current);
		snprintf(request.ifr_newname, sizeof(request.ifr_newname), "%s", devices[i].name);
		if (ioctl(fd, SIOCSIFNAME, &request) != 0) {
			unit_skip(name, strerror(errno));
			continue;
		}
		check_round_trip(&conn, NULL, false, name);
		check_printed(&conn, NULL, false, "tcpdrop fe80::1%1 22 fe80::2 40000\n", name);
	}
	close(fd);
}

int
main(void)
{
	test_cookies();
	test_round_trips();
	/* Last: it leaves this process in a network namespace of its own. */
	test_spelt_by_index();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct case_ *c = &cases[i];
		char buffer[256], name[300];
		const char *culprit = NULL;
		struct line line;
		enum line_problem problem;

		snprintf(buffer, sizeof(buffer), "%s", c->text);
		problem = line_parse(buffer, &line, &culprit);
		snprintf(name, sizeof(name), "line '%s'", c->text);
		/* A test's name stays on its TAP line. */
		for (char *p = name; *p != '\0'; p++)
			if (*p == '\n' || *p == '\r' || *p == '\t')
				*p = ' ';
		CHECK(problem == c->problem, name);
		if (problem != LINE_OK || c->problem != LINE_OK) {
			if (problem == LINE_OPTION)
				CHECK(culprit != NULL && culprit[0] == '-', name);
			continue;
		}
		CHECK(line.count == c->count, name);
		CHECK_STR(line.netns, c->netns, name);
		if (line.count == c->count && c->count > 0) {
			int last = c->count < LINE_OPERANDS_MOST ? c->count : LINE_OPERANDS_MOST;

			CHECK_STR(line.operands[0], c->first, name);
			CHECK_STR(line.operands[last - 1], c->last, name);
		}
	}
	return unit_done();
}
