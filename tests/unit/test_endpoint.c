/* Operand forms of tcpdrop(8): "addr port", "addr:port", "addr.port", "[v6]:port". */
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
	return unit_done();
}
