/*
 * Writes the seed corpus of fuzz_decode: inet_diag replies as the kernel
 * builds them, each a file of one netlink message.  They are kept in the
 * repository; this program is how they were made, and remakes them:
 *
 *	cc -std=gnu11 -Isrc fuzz/make_decode_seeds.c -o make_decode_seeds \
 *	    $(pkg-config --cflags --libs libmnl)
 *	./make_decode_seeds fuzz/corpus/decode
 */
#include <arpa/inet.h>
#include <err.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	message->nlmsg_flags = NLM_F_MULTI;
	message->nlmsg_seq = 1;
	message->nlmsg_pid = 4242;
	body = mnl_nlmsg_put_extra_header(message, sizeof(*body));
	body->idiag_family = (uint8_t)family;
	body->idiag_state = (uint8_t)state;
	body->idiag_timer = 1;
	body->idiag_retrans = 0;
	body->id.idiag_sport = htons((uint16_t)local_port);
	body->id.idiag_dport = htons((uint16_t)foreign_port);
	if (inet_pton(family, local, body->id.idiag_src) != 1 ||
	    inet_pton(family, foreign, body->id.idiag_dst) != 1)
		errx(1, "bad address");
	body->id.idiag_if = 0;
	body->id.idiag_cookie[0] = 0x89abcdef;
	body->id.idiag_cookie[1] = 0x01234567;
	body->idiag_expires = 200;
	body->idiag_uid = 1000;
	body->idiag_inode = 123456;
	return message;
}

static void
save(const char *directory, const char *name, const struct nlmsghdr *message)
{
	char path[4096];
	FILE *file;

	snprintf(path, sizeof(path), "%s/%s", directory, name);
	file = fopen(path, "wb");
	if (file == NULL || fwrite(message, 1, message->nlmsg_len, file) != message->nlmsg_len ||
	    fclose(file) != 0)
		err(1, "%s", path);
}

int
main(int argc, char *argv[])
{
	struct nlmsghdr *message;
	struct nlattr *nest;
	struct tcp_info info;

	if (argc != 2)
		errx(2, "usage: make_decode_seeds directory");

	/* An established IPv4 connection, nothing asked beyond its identity. */
	message = reply(AF_INET, 1, "192.168.5.41", 80, "192.168.5.1", 26747);
	save(argv[1], "ipv4-established", message);

	/* An IPv6 connection in TIME_WAIT. */
	message = reply(AF_INET6, 6, "2001:db8::1", 443, "2001:db8::2", 50000);
	save(argv[1], "ipv6-time-wait", message);

	/* -C: the congestion control algorithm. */
	message = reply(AF_INET, 1, "10.0.0.1", 22, "10.0.0.2", 40000);
	mnl_attr_put_strz(message, INET_DIAG_CONG, "reno");
	save(argv[1], "ipv4-cong-reno", message);

	/* -S and -C: tcp_info, the algorithm and an MPTCP subflow's upper layer protocol. */
	message = reply(AF_INET6, 1, "::ffff:10.0.0.1", 8080, "::ffff:10.0.0.2", 1);
	memset(&info, 0, sizeof(info));
	info.tcpi_state = 1;
	mnl_attr_put(message, INET_DIAG_INFO, sizeof(info), &info);
	mnl_attr_put_strz(message, INET_DIAG_CONG, "cubic");
	nest = mnl_attr_nest_start(message, INET_DIAG_ULP_INFO);
	mnl_attr_put_strz(message, INET_ULP_INFO_NAME, "mptcp");
	mnl_attr_nest_end(message, nest);
	save(argv[1], "ipv6-info-cong-ulp-mptcp", message);

	/* Attributes newer than the headers are skipped. */
	message = reply(AF_INET, 8, "127.0.0.1", 5432, "127.0.0.1", 61000);
	mnl_attr_put_u32(message, INET_DIAG_MAX + 7, 1);
	nest = mnl_attr_nest_start(message, INET_DIAG_ULP_INFO);
	mnl_attr_put_strz(message, INET_ULP_INFO_NAME, "tls");
	mnl_attr_put_u32(message, INET_ULP_INFO_MAX + 3, 2);
	mnl_attr_nest_end(message, nest);
	save(argv[1], "ipv4-unknown-attributes-ulp-tls", message);
	return 0;
}
