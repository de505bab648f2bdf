/*
 * The kernel's socket diagnostics replies kept as the fuzzer's seeds
 * (fuzz/corpus/decode), replayed through the one decoder; the replies it
 * must refuse are those seeds broken in one place.
 */
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <stdio.h>

#include "diag.h"
#include "unit.h"

#define CORPUS "fuzz/corpus/decode/"

static char buffer[4096] __attribute__((aligned(4)));

/* A reply from the corpus, in the buffer; NULL if it cannot be read. */
static struct nlmsghdr *
replay(const char *name)
{
	FILE *file = fopen(name, "rb");
	size_t length;

	memset(buffer, 0, sizeof(buffer));
	if (file == NULL)
		return NULL;
	length = fread(buffer, 1, sizeof(buffer), file);
	fclose(file);
	return length >= sizeof(struct nlmsghdr) ? (struct nlmsghdr *)buffer : NULL;
}

static const struct {
	const char *file;
	int family, state;
	const char *local;
	unsigned local_port;
	const char *foreign;
	unsigned foreign_port;
	const char *algorithm, *ulp;
} replies[] = {
	{ "ipv4-established", AF_INET, 1, "192.168.5.41", 80, "192.168.5.1", 26747, NULL, NULL },
	{ "ipv6-time-wait", AF_INET6, 6, "2001:db8::1", 443, "2001:db8::2", 50000, NULL, NULL },
	{ "ipv4-cong-reno", AF_INET, 1, "10.0.0.1", 22, "10.0.0.2", 40000, "reno", NULL },
	{ "ipv6-info-cong-ulp-mptcp", AF_INET6, 1, "::ffff:10.0.0.1", 8080, "::ffff:10.0.0.2", 1,
	  "cubic", "mptcp" },
	/* Attributes newer than our headers are skipped, not refused. */
	{ "ipv4-unknown-attributes-ulp-tls", AF_INET, 8, "127.0.0.1", 5432, "127.0.0.1", 61000,
	  NULL, "tls" },
};

int
main(void)
{
	struct nlmsghdr *message;
	struct inet_diag_msg *body;
	struct conn conn;
	struct diag_extra extra;
	char text[INET6_ADDRSTRLEN], name[128];

	for (size_t i = 0; i < sizeof(replies) / sizeof(replies[0]); i++) {
		snprintf(name, sizeof(name), "%s%s", CORPUS, replies[i].file);
		message = replay(name);
		snprintf(name, sizeof(name), "%s decodes", replies[i].file);
		CHECK(message != NULL && diag_decode(message, &conn, &extra), name);
		if (message == NULL)
			continue;
		snprintf(name, sizeof(name), "%s: family, state and ports", replies[i].file);
		CHECK(conn.family == replies[i].family && conn.state == replies[i].state &&
		    conn.local_port == replies[i].local_port &&
		    conn.foreign_port == replies[i].foreign_port, name);
		snprintf(name, sizeof(name), "%s: cookie, low word first", replies[i].file);
		CHECK(conn.cookie == UINT64_C(0x0123456789abcdef), name);
		snprintf(name, sizeof(name), "%s: local address", replies[i].file);
		inet_ntop(conn.family, conn.local, text, sizeof(text));
		CHECK_STR(text, replies[i].local, name);
		snprintf(name, sizeof(name), "%s: foreign address", replies[i].file);
		inet_ntop(conn.family, conn.foreign, text, sizeof(text));
		CHECK_STR(text, replies[i].foreign, name);
		snprintf(name, sizeof(name), "%s: congestion control", replies[i].file);
		CHECK_STR(extra.algorithm, replies[i].algorithm, name);
		snprintf(name, sizeof(name), "%s: upper layer protocol", replies[i].file);
		CHECK_STR(extra.ulp, replies[i].ulp, name);
		snprintf(name, sizeof(name), "%s: no time-wait socket", replies[i].file);
		CHECK(!conn.time_wait_socket || conn.state == 6, name);
	}

	message = replay(CORPUS "ipv4-established");
	body = message != NULL ? mnl_nlmsg_get_payload(message) : NULL;
	if (body != NULL) {
		body->idiag_state = 5;
		body->idiag_timer = 3;
	}
	CHECK(body != NULL && diag_decode(message, &conn, &extra) && conn.time_wait_socket,
	    "an orphaned FIN_WAIT_2 held as a time-wait socket is known by its timer");

	message = replay(CORPUS "ipv4-cong-reno");
	if (message != NULL) {
		/* "reno" without its NUL: the last byte of the attribute, and of the message. */
		struct nlattr *attribute = (struct nlattr *)((char *)mnl_nlmsg_get_payload(message) +
		    sizeof(struct inet_diag_msg));

		attribute->nla_len = (uint16_t)(attribute->nla_len - 1);
		message->nlmsg_len -= 1;
	}
	CHECK(message != NULL && !diag_decode(message, &conn, &extra),
	    "an unterminated name is refused");

	message = replay(CORPUS "ipv4-established");
	if (message != NULL)
		message->nlmsg_len = MNL_NLMSG_HDRLEN + sizeof(struct inet_diag_msg) - 1;
	CHECK(message != NULL && !diag_decode(message, &conn, &extra), "a truncated reply is refused");

	message = replay(CORPUS "ipv4-established");
	if (message != NULL)
		((struct inet_diag_msg *)mnl_nlmsg_get_payload(message))->idiag_family = AF_UNIX;
	CHECK(message != NULL && !diag_decode(message, &conn, &extra),
	    "a reply of another family is refused");
	return unit_done();
}
