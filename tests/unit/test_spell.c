/*
 * Connections print as "LADDR LPORT FADDR FPORT", numeric, one
 * family-agnostic path; text from users is shown escaped.
 */
#include <arpa/inet.h>
#include <stdlib.h>

#include "conn.h"
#include "spell.h"
#include "unit.h"
#include "unit_conn.h"

static void
check_escaped(char *shown, const char *expected, const char *name)
{
	CHECK_STR(shown, expected, name);
	free(shown);
}

#define SIXTY_THREE "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde"
#define SIXTY_FOUR SIXTY_THREE "f"

/* What cannot be shown as it is is written \xHH; an operand is cut after 64 bytes. */
static void
test_escaped(void)
{
	check_escaped(spell_escaped("plain text, 'quoted' ~"), "plain text, 'quoted' ~",
	    "printable ASCII is shown as it is");
	check_escaped(spell_escaped("a\tb\nc\x7f\xc3\xa9"), "a\\x09b\\x0ac\\x7f\\xc3\\xa9",
	    "control characters and bytes past ASCII are shown as \\xHH");
	check_escaped(spell_escaped(""), "", "nothing is shown as nothing");
	check_escaped(spell_escaped(SIXTY_FOUR SIXTY_FOUR), SIXTY_FOUR SIXTY_FOUR,
	    "a path or a name is shown whole");
	check_escaped(spell_escaped_operand(SIXTY_FOUR), SIXTY_FOUR,
	    "an operand of 64 bytes is shown whole");
	check_escaped(spell_escaped_operand(SIXTY_FOUR "\x01" SIXTY_FOUR), SIXTY_FOUR "...",
	    "a longer operand is cut after 64 bytes");
	check_escaped(spell_escaped_operand("\x01" SIXTY_FOUR), "\\x01" SIXTY_THREE "...",
	    "an operand is cut after 64 bytes, however many it takes to show them");
	CHECK(spell_text_printable("a b~"), "printable text");
	CHECK(!spell_text_printable("a\tb"), "a tab is not printable");
	CHECK(!spell_text_printable("\xc3\xa9"), "bytes past ASCII are not printable");
}

int
main(void)
{
	char text[SPELL_CONN_LENGTH];
	struct conn conn, mapped;

	test_escaped();
	conn = unit_conn(AF_INET, "192.168.5.41", 80, "192.168.5.1", 26747);
	spell_conn(&conn, text, sizeof(text));
	CHECK_STR(text, "192.168.5.41 80 192.168.5.1 26747", "IPv4");

	conn = unit_conn(AF_INET6, "2001:db8::1", 443, "2001:db8::2", 65535);
	spell_conn(&conn, text, sizeof(text));
	CHECK_STR(text, "2001:db8::1 443 2001:db8::2 65535", "IPv6");

	conn = unit_conn(AF_INET6, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535,
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", 65535);
	spell_conn(&conn, text, sizeof(text));
	CHECK_STR(text, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 "
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe 65535", "the longest line fits");

	conn = unit_conn(AF_INET, "127.0.0.1", 8080, "127.0.0.1", 40000);
	CHECK(conn_to_v4mapped(&conn, &mapped), "IPv4 maps to IPv6");
	spell_conn(&mapped, text, sizeof(text));
	CHECK_STR(text, "127.0.0.1 8080 127.0.0.1 40000",
	    "an IPv4 connection an IPv6 socket holds is shown as IPv4");
	CHECK(conn_same_endpoints(&conn, &mapped), "IPv4 and its mapped form are the same");
	CHECK(!conn_to_v4mapped(&mapped, &conn), "IPv6 does not map again");

	conn = unit_conn(AF_INET, "127.0.0.1", 8080, "127.0.0.1", 40001);
	CHECK(!conn_same_endpoints(&conn, &mapped), "another port is another connection");
	conn = unit_conn(AF_INET6, "::1", 8080, "::1", 40000);
	CHECK(!conn_same_endpoints(&conn, &mapped), "::1 is not ::ffff:127.0.0.1");

	conn = unit_conn(AF_INET6, "::ffff:127.0.0.1", 8080, "::1", 40000);
	spell_conn(&conn, text, sizeof(text));
	CHECK_STR(text, "::ffff:127.0.0.1 8080 ::1 40000",
	    "one IPv4-mapped address alone is not an IPv4 connection");

	/* Loopback is device 1 in every network namespace. */
	conn = unit_conn(AF_INET6, "fe80::1", 22, "fe80::2", 40000);
	conn.ifindex = 1;
	spell_conn(&conn, text, sizeof(text));
	CHECK_STR(text, "fe80::1%lo 22 fe80::2 40000",
	    "a device-bound socket has its device as the local address's scope");
	conn = unit_conn(AF_INET, "10.0.0.1", 0, "10.0.0.2", 0);
	conn.ifindex = 1;
	spell_conn(&conn, text, sizeof(text));
	CHECK_STR(text, "10.0.0.1%lo 0 10.0.0.2 0", "IPv4 is scoped the same way; port 0 is shown");
	conn.ifindex = 4000000000u;
	spell_conn(&conn, text, sizeof(text));
	CHECK_STR(text, "10.0.0.1%4000000000 0 10.0.0.2 0",
	    "a device that has no name here is shown by its index");

	conn.family = 99;
	spell_conn(&conn, text, sizeof(text));
	CHECK_STR(text, "(address family 99)", "an unknown family is said, not guessed");
	return unit_done();
}
