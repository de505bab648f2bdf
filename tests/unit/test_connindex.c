/* The index of connections by endpoints that remembers the peers -f dropped. */
#include <arpa/inet.h>

#include "connindex.h"
#include "unit.h"
#include "unit_conn.h"

/* The values stored under a connection, as a bit set of values below 64. */
static uint64_t
values(const struct conn_index *index, const struct conn *conn)
{
	struct conn_index_cursor cursor;
	uint64_t found = 0;
	size_t value;

	conn_index_seek(index, conn, &cursor);
	while (conn_index_next(index, &cursor, &value))
		found |= UINT64_C(1) << (value % 64);
	return found;
}

int
main(void)
{
	struct conn_index *index = conn_index_new(0);
	struct conn v4 = unit_conn(AF_INET, "127.0.0.1", 8080, "127.0.0.1", 40000);
	struct conn mapped = unit_conn(AF_INET6, "::ffff:127.0.0.1", 8080, "::ffff:127.0.0.1", 40000);
	struct conn v6 = unit_conn(AF_INET6, "::1", 8080, "::1", 40000);
	struct conn other = unit_conn(AF_INET, "127.0.0.1", 8080, "127.0.0.1", 40001);

	CHECK(index != NULL, "a new index");
	CHECK(values(index, &v4) == 0, "an empty index holds nothing");
	conn_index_add(index, &v4, 1);
	CHECK(values(index, &v4) == 2, "a value added is found by its endpoints");
	CHECK(values(index, &mapped) == 2, "and by their IPv4-mapped form");
	CHECK(values(index, &v6) == 0, "::1 is other endpoints");
	CHECK(values(index, &other) == 0, "another port is other endpoints");
	conn_index_add(index, &mapped, 2);
	CHECK(values(index, &v4) == 6, "the same endpoints added again: both values are found");
	/* Far more than the first table holds: it grows, and loses nothing. */
	for (unsigned port = 1; port <= 5000; port++) {
		struct conn many = unit_conn(AF_INET6, "2001:db8::1", port, "2001:db8::2", 443);

		conn_index_add(index, &many, port);
	}
	CHECK(values(index, &v4) == 6, "after growing, the first values are still there");
	CHECK(values(index, &(struct conn){ 0 }) == 0, "a zero connection holds nothing");
	CHECK(values(index, &v6) == 0, "nor do endpoints never added");
	{
		struct conn probe = unit_conn(AF_INET6, "2001:db8::1", 4321, "2001:db8::2", 443);

		CHECK(values(index, &probe) == UINT64_C(1) << (4321 % 64), "the 4321st value");
	}
	conn_index_free(index);
	return unit_done();
}
