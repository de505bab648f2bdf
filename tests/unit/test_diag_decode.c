/* Replies of the kernel's socket diagnostics, built by hand, through the one decoder. */
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>

#include "diag.h"
#include "unit.h"

static char buffer[4096];

static struct nlmsghdr *
reply(int family, int state, const char *local, unsigned local_port, const char *foreign,
    unsigned foreign_port)
{
	struct nlmsghdr *message;
	struct inet_diag_msg *body;

	memset(buffer, 0, sizeof(buffer));
	message = mnl_nlmsg_put_header(buffer);
	message->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	body = mnl_nlmsg_put_extra_header(message, sizeof(*body));
	body->idiag_family = (uint8_t)family;
	body->idiag_state = (uint8_t)state;
	body->id.idiag_sport = htons((uint16_t)local_port);
	body->id.idiag_dport = htons((uint16_t)foreign_port);
	inet_pton(family, local, body->id.idiag_src);
	inet_pton(family, foreign, body->id.idiag_dst);
	body->id.idiag_if = 3;
	body->id.idiag_cookie[0] = 0x89abcdef;
	body->id.idiag_cookie[1] = 0x01234567;
	return message;
}

int
main(void)
{
	struct nlmsghdr *message;
	struct nlattr *nest;
	struct conn conn;
	struct diag_extra extra;
	char text[64];

	message = reply(AF_INET, 1, "127.0.0.1", 8080, "127.0.0.2", 40000);
	CHECK(diag_decode(message, &conn, &extra), "an IPv4 reply decodes");
	CHECK(conn.family == AF_INET && conn.state == 1 && conn.local_port == 8080 &&
	    conn.foreign_port == 40000 && conn.ifindex == 3, "its identity");
	CHECK(conn.cookie == UINT64_C(0x0123456789abcdef), "its cookie, low word first");
	inet_ntop(AF_INET, conn.foreign, text, sizeof(text));
	CHECK_STR(text, "127.0.0.2", "its foreign address");
	CHECK(extra.stack == NULL && extra.algorithm == NULL, "no attributes, no names");

	message = reply(AF_INET6, 6, "2001:db8::1", 443, "2001:db8::2", 1);
	mnl_attr_put_strz(message, INET_DIAG_CONG, "reno");
	nest = mnl_attr_nest_start(message, INET_DIAG_ULP_INFO);
	mnl_attr_put_strz(message, INET_ULP_INFO_NAME, "mptcp");
	mnl_attr_nest_end(message, nest);
	mnl_attr_put_u32(message, INET_DIAG_MAX + 7, 1);
	CHECK(diag_decode(message, &conn, &extra), "an IPv6 reply with attributes decodes");
	CHECK_STR(extra.algorithm, "reno", "congestion control from INET_DIAG_CONG");
	CHECK_STR(extra.stack, "mptcp", "upper layer protocol from INET_DIAG_ULP_INFO");

	message = reply(AF_INET, 1, "127.0.0.1", 1, "127.0.0.1", 2);
	CHECK(diag_decode(message, &conn, &extra) && !conn.time_wait_socket,
	    "a full socket is no time-wait socket");
	message = reply(AF_INET, 5, "127.0.0.1", 1, "127.0.0.1", 2);
	((struct inet_diag_msg *)mnl_nlmsg_get_payload(message))->idiag_timer = 3;
	CHECK(diag_decode(message, &conn, &extra) && conn.state == 5 && conn.time_wait_socket,
	    "an orphaned FIN_WAIT_2 held as a time-wait socket is known by its timer");

	message = reply(AF_INET, 1, "127.0.0.1", 1, "127.0.0.1", 2);
	mnl_attr_put(message, INET_DIAG_CONG, 4, "reno");
	CHECK(!diag_decode(message, &conn, &extra), "an unterminated name is refused");

	message = reply(AF_INET, 1, "127.0.0.1", 1, "127.0.0.1", 2);
	message->nlmsg_len = MNL_NLMSG_HDRLEN + sizeof(struct inet_diag_msg) - 1;
	CHECK(!diag_decode(message, &conn, &extra), "a truncated reply is refused");

	message = reply(AF_INET, 1, "127.0.0.1", 1, "127.0.0.1", 2);
	((struct inet_diag_msg *)mnl_nlmsg_get_payload(message))->idiag_family = AF_UNIX;
	CHECK(!diag_decode(message, &conn, &extra), "a reply of another family is refused");
	return unit_done();
}
