/* Connections print as "LADDR LPORT FADDR FPORT", numeric, one family-agnostic path. */
#include <arpa/inet.h>

#include "conn.h"
#include "report.h"
#include "unit.h"
#include "unit_conn.h"

int
main(void)
{
	char text[REPORT_CONN_LENGTH];
	struct conn conn, mapped;

	conn = unit_conn(AF_INET, "192.168.5.41", 80, "192.168.5.1", 26747);
	report_format_conn(&conn, text, sizeof(text));
	CHECK_STR(text, "192.168.5.41 80 192.168.5.1 26747", "IPv4");

	conn = unit_conn(AF_INET6, "2001:db8::1", 443, "2001:db8::2", 65535);
	report_format_conn(&conn, text, sizeof(text));
	CHECK_STR(text, "2001:db8::1 443 2001:db8::2 65535", "IPv6");

	conn = unit_conn(AF_INET6, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535,
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", 65535);
	report_format_conn(&conn, text, sizeof(text));
	CHECK_STR(text, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 "
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe 65535", "the longest line fits");

	conn = unit_conn(AF_INET, "127.0.0.1", 8080, "127.0.0.1", 40000);
	CHECK(conn_to_v4mapped(&conn, &mapped), "IPv4 maps to IPv6");
	report_format_conn(&mapped, text, sizeof(text));
	CHECK_STR(text, "127.0.0.1 8080 127.0.0.1 40000",
	    "an IPv4 connection an IPv6 socket holds is shown as IPv4");
	CHECK(conn_same_endpoints(&conn, &mapped), "IPv4 and its mapped form are the same");
	CHECK(!conn_to_v4mapped(&mapped, &conn), "IPv6 does not map again");

	conn = unit_conn(AF_INET, "127.0.0.1", 8080, "127.0.0.1", 40001);
	CHECK(!conn_same_endpoints(&conn, &mapped), "another port is another connection");
	conn = unit_conn(AF_INET6, "::1", 8080, "::1", 40000);
	CHECK(!conn_same_endpoints(&conn, &mapped), "::1 is not ::ffff:127.0.0.1");

	conn = unit_conn(AF_INET6, "::ffff:127.0.0.1", 8080, "::1", 40000);
	report_format_conn(&conn, text, sizeof(text));
	CHECK_STR(text, "::ffff:127.0.0.1 8080 ::1 40000",
	    "one IPv4-mapped address alone is not an IPv4 connection");

	/* Loopback is device 1 in every network namespace. */
	conn = unit_conn(AF_INET6, "fe80::1", 22, "fe80::2", 40000);
	conn.ifindex = 1;
	report_format_conn(&conn, text, sizeof(text));
	CHECK_STR(text, "fe80::1%lo 22 fe80::2 40000",
	    "a device-bound socket has its device as the local address's scope");
	conn = unit_conn(AF_INET, "10.0.0.1", 0, "10.0.0.2", 0);
	conn.ifindex = 1;
	report_format_conn(&conn, text, sizeof(text));
	CHECK_STR(text, "10.0.0.1%lo 0 10.0.0.2 0", "IPv4 is scoped the same way; port 0 is shown");
	conn.ifindex = 4000000000u;
	report_format_conn(&conn, text, sizeof(text));
	CHECK_STR(text, "10.0.0.1%4000000000 0 10.0.0.2 0",
	    "a device that has no name here is shown by its index");

	conn.family = 99;
	report_format_conn(&conn, text, sizeof(text));
	CHECK_STR(text, "(address family 99)", "an unknown family is said, not guessed");
	return unit_done();
}
