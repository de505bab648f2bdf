/* Operand forms of tcpdrop(8): "addr port", "addr:port", "addr.port", "[v6]:port"; scopes. */
#include <string.h>

#include "endpoint.h"
#include "unit.h"

static void
split_ok(const char *operand, const char *host, const char *port)
{
	struct endpoint endpoint;
	char name[256];
	bool ok = endpoint_split(operand, &endpoint);

	snprintf(name, sizeof(name), "split '%s' -> '%s' '%s'", operand, host, port);
	CHECK(ok, name);
	if (ok) {
		CHECK_STR(endpoint.host, host, name);
		CHECK_STR(endpoint.port, port, name);
		endpoint_free(&endpoint);
	}
}

static void
split_refused(const char *operand)
{
	struct endpoint endpoint;
	char name[256];

	snprintf(name, sizeof(name), "split '%s' is refused", operand);
	CHECK(!endpoint_split(operand, &endpoint), name);
}

static void
parts(const char *host, const char *port, const char *want_host)
{
	struct endpoint endpoint;
	char name[256];
	bool ok = endpoint_from_parts(host, port, &endpoint);

	snprintf(name, sizeof(name), "parts '%s' '%s' -> %s", host, port,
	    want_host ? want_host : "refused");
	CHECK(ok == (want_host != NULL), name);
	if (ok && want_host != NULL) {
		CHECK_STR(endpoint.host, want_host, name);
		CHECK_STR(endpoint.port, port, name);
	}
	if (ok)
		endpoint_free(&endpoint);
}

static void
scope(const char *host, const char *want_address, const char *want_scope)
{
	char address[16], name[256];
	const char *found = endpoint_scope_split(host, address, sizeof(address));

	snprintf(name, sizeof(name), "scope of '%s' -> '%s' '%s'", host, want_address,
	    want_scope != NULL ? want_scope : "(none)");
	CHECK_STR(address, want_address, name);
	CHECK(want_scope == NULL ? found == NULL : found != NULL && strcmp(found, want_scope) == 0,
	    name);
}

/* The scope, the numeric-host rule, and a device by index: pure, asked of no one. */
static void
test_scope(void)
{
	char address[OPERAND_TEXT_MOST];
	struct operand_problem problem = { 0 };
	uint32_t device;

	scope("fe80::1%eth0", "fe80::1", "eth0");
	scope("10.0.0.1%2", "10.0.0.1", "2");
	scope("example.org", "example.org", NULL);
	/* The last '%' begins the scope; an empty one is still a scope, and names no device. */
	scope("a%b%c", "a%b", "c");
	scope("%lo", "", "lo");
	scope("10.0.0.1%", "10.0.0.1", "");
	/* An address longer than the room for it is cut (16 bytes here). */
	scope("2001:db8:1:2:3:4:5:6%lo", "2001:db8:1:2:3:", "lo");

	CHECK(endpoint_numeric_only("::1") && endpoint_numeric_only("2001:db8::zz") &&
	    endpoint_numeric_only("::ffff:127.0.0.1"), "a colon: an IPv6 address, never a name");
	CHECK(!endpoint_numeric_only("127.0.0.1") && !endpoint_numeric_only("localhost"),
	    "no colon: an IPv4 address or a name to look up");

	CHECK(endpoint_device("7") == 7 && endpoint_device("0007") == 7 &&
	    endpoint_device("2147483647") == 2147483647u, "an index is taken as it is");
	CHECK(endpoint_device("") == 0 && endpoint_device("0") == 0 &&
	    endpoint_device("2147483648") == 0 && endpoint_device("00000000001") == 0,
	    "an index out of range, or of more than 10 digits, names no device");

	CHECK(endpoint_scoped("fe80::1%7", address, sizeof(address), &device, &problem) &&
	    device == 7 && strcmp(address, "fe80::1") == 0, "a scoped host: address and device");
	CHECK(endpoint_scoped("127.0.0.1", address, sizeof(address), &device, &problem) &&
	    device == 0 && strcmp(address, "127.0.0.1") == 0, "a host without a scope");
	CHECK(!endpoint_scoped("%7", address, sizeof(address), &device, &problem) &&
	    problem.kind == OPERAND_BAD_HOST && strcmp(problem.text, "%7") == 0,
	    "a scope without an address is a bad address, blamed as written");
	CHECK(!endpoint_scoped("%", address, sizeof(address), &device, &problem) &&
	    problem.kind == OPERAND_BAD_DEVICE, "no device is told before no address");
	CHECK(!endpoint_scoped("a b", address, sizeof(address), &device, &problem) &&
	    problem.kind == OPERAND_BAD_HOST, "a host that is not plain text");
}

/* What a problem blames is copied, cut to fit. */
static void
test_blame(void)
{
	struct operand_problem problem = { 0 };
	char long_text[2 * OPERAND_TEXT_MOST];

	memset(long_text, 'x', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	CHECK(!operand_blame(&problem, OPERAND_BAD_PORT, "65536") &&
	    problem.kind == OPERAND_BAD_PORT && strcmp(problem.text, "65536") == 0,
	    "blame: false, with the kind and the text");
	operand_blame(&problem, OPERAND_BAD_HOST, long_text);
	CHECK(strlen(problem.text) == OPERAND_TEXT_MOST - 1 &&
	    strncmp(problem.text, long_text, OPERAND_TEXT_MOST - 1) == 0,
	    "blame: a long text is cut to fit");
}

int
main(void)
{
	split_ok("192.168.5.41:80", "192.168.5.41", "80");
	split_ok("192.168.5.41.80", "192.168.5.41", "80");
	split_ok("2001:db8::1.443", "2001:db8::1", "443");
	split_ok("2001:db8::1:443", "2001:db8::1", "443");
	split_ok("[2001:db8::1]:443", "2001:db8::1", "443");
	split_ok("[::1].22", "::1", "22");
	split_ok("[fe80::1%lo]:80", "fe80::1%lo", "80");
	split_ok("localhost:http", "localhost", "http");
	split_ok("www.example.org.https", "www.example.org", "https");
	split_ok("::ffff:127.0.0.1.8080", "::ffff:127.0.0.1", "8080");
	/* The later of the last '.' and the last ':' separates. */
	split_ok("a.b:c.d", "a.b:c", "d");
	split_ok("a:b.c:d", "a:b.c", "d");

	split_refused("");
	split_refused("localhost");
	split_refused(":80");
	split_refused(".80");
	split_refused("127.0.0.1:");
	split_refused("127.0.0.1.");
	split_refused("[::1]");
	split_refused("[::1]80");
	split_refused("[::1]:");
	split_refused("[::1:80");
	split_refused("[]:80");
	split_refused("::1]:80");
	split_refused("a[b]:80");
	split_refused("[[::1]]:80");

	parts("192.168.5.41", "80", "192.168.5.41");
	parts("[::1]", "22", "::1");
	parts("::1", "22", "::1");
	parts("localhost", "http", "localhost");
	parts("", "80", NULL);
	parts("127.0.0.1", "", NULL);
	parts("[]", "80", NULL);
	parts("[::1", "80", NULL);
	parts("::1]", "80", NULL);

	/* A peer may connect from port 0: it is a port like any other. */
	CHECK(endpoint_port_valid("0") && endpoint_port_valid("000") &&
	    endpoint_port_valid("65535") && endpoint_port_valid("http"), "ports from 0 to 65535");
	CHECK(!endpoint_port_valid("65536") && !endpoint_port_valid("-1") &&
	    !endpoint_port_valid("+1") && !endpoint_port_valid("0x50") &&
	    !endpoint_port_valid("") && !endpoint_port_valid("999999"),
	    "what is not a port is refused");
	test_scope();
	test_blame();
	return unit_done();
}
