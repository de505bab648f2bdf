/*
 * libFuzzer harness for diag_decode(), the decoder of the kernel's
 * inet_diag replies: the input is one netlink message.  What the decoder
 * returns decides which connection is dropped and whether -S and -C match
 * it, so besides not crashing it must describe only what the message
 * holds: a name it returns must end inside the message.  The message is
 * given as the real callers give it, after mnl_nlmsg_ok(): in an aligned
 * buffer that reaches to the next alignment boundary, as a receive buffer
 * does, with an nlmsg_len no longer than the bytes received.  The bytes
 * past nlmsg_len are zero, the worst case for a name that runs over.
 */
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fuzz.h"


/* Does this name start inside the message and end there with a NUL? */
static bool
inside(const char *name, const struct nlmsghdr *message)
{
	const char *start = (const char *)message, *end = start + message->nlmsg_len;

	return name >= start && name < end && memchr(name, '\0', (size_t)(end - name)) != NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t length = size < sizeof(struct nlmsghdr) ? sizeof(struct nlmsghdr) : size;
	struct nlmsghdr *message;
	const struct inet_diag_msg *reply;
	struct conn conn;
	struct diag_extra extra;

	if (size > INT32_MAX)
		return 0;
	/* malloc() aligns for any type, more than netlink's four bytes. */
	message = calloc(1, MNL_ALIGN(length));
	if (message == NULL)
		return 0;
	memcpy(message, data, size);
	if (message->nlmsg_len > size)
		message->nlmsg_len = (uint32_t)size;
	if (!mnl_nlmsg_ok(message, (int)size)) {
		free(message);
		return 0;
	}
	if (diag_decode(message, &conn, &extra)) {
		reply = mnl_nlmsg_get_payload(message);
		REQUIRE(message->nlmsg_len >= MNL_NLMSG_HDRLEN + sizeof(*reply));
		REQUIRE(conn.family == AF_INET || conn.family == AF_INET6);
		REQUIRE(conn.family == reply->idiag_family);
		REQUIRE(conn.state == reply->idiag_state);
		REQUIRE(conn.local_port == ntohs(reply->id.idiag_sport));
		REQUIRE(conn.foreign_port == ntohs(reply->id.idiag_dport));
		REQUIRE(conn.ifindex == reply->id.idiag_if);
		REQUIRE(conn.cookie == ((uint64_t)reply->id.idiag_cookie[1] << 32 |
		    reply->id.idiag_cookie[0]));
		REQUIRE(memcmp(conn.local, reply->id.idiag_src, conn_address_length(conn.family)) == 0);
		REQUIRE(memcmp(conn.foreign, reply->id.idiag_dst,
		    conn_address_length(conn.family)) == 0);
		/* An IPv4 connection keeps nothing but zeros after its four bytes. */
		for (size_t i = conn_address_length(conn.family); i < sizeof(conn.local); i++)
			REQUIRE(conn.local[i] == 0 && conn.foreign[i] == 0);
		if (extra.ulp != NULL)
			REQUIRE(inside(extra.ulp, message));
		if (extra.algorithm != NULL)
			REQUIRE(inside(extra.algorithm, message));
	}
	free(message);
	return 0;
}
