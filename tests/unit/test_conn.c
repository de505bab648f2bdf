/* The one rule of what a connection is on the wire: conn_on_wire(). */
#include <string.h>

#include "unit.h"
#include "unit_conn.h"

/* The family conn_on_wire() gives, and whether its addresses are these, as text. */
static bool
on_wire(const struct conn *conn, int family, const char *local, const char *foreign)
{
	const uint8_t *l, *f;
	uint8_t want_local[16], want_foreign[16];
	size_t length = family == AF_INET ? 4 : 16;

	if (conn_on_wire(conn, &l, &f) != family)
		return false;
	inet_pton(family, local, want_local);
	inet_pton(family, foreign, want_foreign);
	return memcmp(l, want_local, length) == 0 && memcmp(f, want_foreign, length) == 0;
}

int
main(void)
{
	struct conn v4 = unit_conn(AF_INET, "192.0.2.1", 22, "198.51.100.7", 40000);
	struct conn mapped = unit_conn(AF_INET6, "::ffff:192.0.2.1", 22, "::ffff:198.51.100.7",
	    40000);
	struct conn half = unit_conn(AF_INET6, "::ffff:192.0.2.1", 22, "2001:db8::7", 40000);
	struct conn v6 = unit_conn(AF_INET6, "2001:db8::1", 22, "2001:db8::7", 40000);

	CHECK(on_wire(&v4, AF_INET, "192.0.2.1", "198.51.100.7"), "IPv4 is IPv4");
	CHECK(on_wire(&mapped, AF_INET, "192.0.2.1", "198.51.100.7"),
	    "both ends IPv4-mapped: the IPv4 connection it carries");
	CHECK(on_wire(&half, AF_INET6, "::ffff:192.0.2.1", "2001:db8::7"),
	    "one end mapped: IPv6 as it is");
	CHECK(on_wire(&v6, AF_INET6, "2001:db8::1", "2001:db8::7"), "IPv6 is IPv6");
	return unit_done();
}
