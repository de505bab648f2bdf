/*
 * The messages of NETLINK_SOCK_DIAG for TCP: the requests tcpdrop sends,
 * built in a caller's buffer, and the decoder of the kernel's replies.
 * Nothing here touches a socket.
 */
#include "diag_internal.h"

#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <string.h>

/*
 * The timer the kernel reports for its time-wait mini sockets, and only for
 * them (inet_diag.c: r->idiag_timer = 3 for a timewait sock), whatever
 * substate (TIME_WAIT, or FIN_WAIT2 for an orphan) they report.
 */
enum { TIMER_TIME_WAIT = 3 };

size_t
diag_request_size(void)
{
	return MNL_ALIGN(sizeof(struct nlmsghdr)) + MNL_ALIGN(sizeof(struct inet_diag_req_v2));
}

/* The extended attributes a filter needs the kernel to add to each socket. */
static uint8_t
extensions(const struct diag_filter *filter)
{
	uint8_t wanted = 0;

	if (filter->want_ulp || filter->want_info)
		wanted |= 1 << (INET_DIAG_INFO - 1);
	if (filter->want_algorithm)
		wanted |= 1 << (INET_DIAG_CONG - 1);
	return wanted;
}

/* The header and inet_diag request every request starts with. */
static struct inet_diag_req_v2 *
put_header(void *buffer, uint16_t type, uint16_t flags, uint32_t sequence, int family,
    struct nlmsghdr **message)
{
	struct inet_diag_req_v2 *request;

	*message = mnl_nlmsg_put_header(buffer);
	(*message)->nlmsg_type = type;
	(*message)->nlmsg_flags = flags;
	(*message)->nlmsg_seq = sequence;
	request = mnl_nlmsg_put_extra_header(*message, sizeof(*request));
	request->sdiag_family = (uint8_t)family;
	request->sdiag_protocol = IPPROTO_TCP;
	return request;
}

struct nlmsghdr *
diag_put_family_dump(void *buffer, uint32_t sequence, int family,
    const struct diag_filter *filter, const struct diag_bytecode *bytecode)
{
	struct nlmsghdr *message;
	struct inet_diag_req_v2 *request = put_header(buffer, SOCK_DIAG_BY_FAMILY,
	    NLM_F_REQUEST | NLM_F_DUMP, sequence, family, &message);

	request->idiag_states = filter->states;
	request->idiag_ext = extensions(filter);
	if (bytecode->length > 0)
		mnl_attr_put(message, INET_DIAG_REQ_BYTECODE, bytecode->length, bytecode->code);
	return message;
}

/* The older request carries the older inet_diag_req. */
struct nlmsghdr *
diag_put_both_dump(void *buffer, uint32_t sequence, const struct diag_filter *filter,
    const struct diag_bytecode *bytecode)
{
	struct nlmsghdr *request = mnl_nlmsg_put_header(buffer);
	struct inet_diag_req *body;

	request->nlmsg_type = TCPDIAG_GETSOCK;
	request->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	request->nlmsg_seq = sequence;
	body = mnl_nlmsg_put_extra_header(request, sizeof(*body));
	body->idiag_family = AF_INET;
	body->idiag_states = filter->states;
	body->idiag_ext = extensions(filter);
	if (bytecode->length > 0)
		mnl_attr_put(request, INET_DIAG_REQ_BYTECODE, bytecode->length, bytecode->code);
	return request;
}

struct nlmsghdr *
diag_put_socket_request(void *buffer, uint16_t type, uint16_t flags, uint32_t sequence,
    const struct conn *conn)
{
	struct nlmsghdr *message;
	struct inet_diag_req_v2 *request = put_header(buffer, type, flags, sequence,
	    conn->family, &message);
	size_t length = conn_address_length(conn->family);

	request->idiag_states = ~UINT32_C(0);
	request->id.idiag_sport = htons(conn->local_port);
	request->id.idiag_dport = htons(conn->foreign_port);
	memcpy(request->id.idiag_src, conn->local, length);
	memcpy(request->id.idiag_dst, conn->foreign, length);
	request->id.idiag_if = conn->ifindex;
	request->id.idiag_cookie[0] = (uint32_t)conn->cookie;
	request->id.idiag_cookie[1] = (uint32_t)(conn->cookie >> 32);
	return message;
}

static int
ulp_attribute(const struct nlattr *attribute, void *data)
{
	const struct nlattr **table = data;

	if (mnl_attr_type_valid(attribute, INET_ULP_INFO_MAX) < 0)
		return MNL_CB_OK;
	if (mnl_attr_get_type(attribute) == INET_ULP_INFO_NAME &&
	    mnl_attr_validate(attribute, MNL_TYPE_NUL_STRING) < 0)
		return MNL_CB_ERROR;
	table[mnl_attr_get_type(attribute)] = attribute;
	return MNL_CB_OK;
}

static int
diag_attribute(const struct nlattr *attribute, void *data)
{
	const struct nlattr **table = data;
	uint16_t type = mnl_attr_get_type(attribute);

	/* Attributes newer than our headers are skipped, not refused. */
	if (mnl_attr_type_valid(attribute, INET_DIAG_MAX) < 0)
		return MNL_CB_OK;
	if (type == INET_DIAG_CONG && mnl_attr_validate(attribute, MNL_TYPE_NUL_STRING) < 0)
		return MNL_CB_ERROR;
	if (type == INET_DIAG_ULP_INFO && mnl_attr_validate(attribute, MNL_TYPE_NESTED) < 0)
		return MNL_CB_ERROR;
	if (type == INET_DIAG_CGROUP_ID && mnl_attr_validate(attribute, MNL_TYPE_U64) < 0)
		return MNL_CB_ERROR;
	table[type] = attribute;
	return MNL_CB_OK;
}

bool
diag_decode(const struct nlmsghdr *message, struct conn *conn, struct diag_extra *extra)
{
	const struct nlattr *table[INET_DIAG_MAX + 1] = { 0 };
	const struct nlattr *ulp[INET_ULP_INFO_MAX + 1] = { 0 };
	const struct inet_diag_msg *reply;
	size_t length;

	if (message->nlmsg_len < MNL_NLMSG_HDRLEN ||
	    mnl_nlmsg_get_payload_len(message) < sizeof(*reply))
		return false;
	reply = mnl_nlmsg_get_payload(message);
	length = conn_address_length(reply->idiag_family);
	if (length == 0)
		return false;
	memset(conn, 0, sizeof(*conn));
	conn->family = reply->idiag_family;
	conn->state = reply->idiag_state;
	conn->time_wait_socket = reply->idiag_timer == TIMER_TIME_WAIT ||
	    conn->state == TCP_STATE_TIME_WAIT;
	/* No file, and no time-wait socket: an orphan, or not yet accepted, or a request. */
	conn->orphan = reply->idiag_inode == 0 && !conn->time_wait_socket;
	conn->local_port = ntohs(reply->id.idiag_sport);
	conn->foreign_port = ntohs(reply->id.idiag_dport);
	memcpy(conn->local, reply->id.idiag_src, length);
	memcpy(conn->foreign, reply->id.idiag_dst, length);
	conn->ifindex = reply->id.idiag_if;
	conn->cookie = (uint64_t)reply->id.idiag_cookie[1] << 32 | reply->id.idiag_cookie[0];

	memset(extra, 0, sizeof(*extra));
	extra->uid = reply->idiag_uid;
	extra->inode = reply->idiag_inode;
	/*
	 * Attributes end where the message does: mnl_attr_parse() would read on
	 * to the next four-byte boundary, past an unaligned nlmsg_len.
	 */
	if (mnl_attr_parse_payload(reply + 1, mnl_nlmsg_get_payload_len(message) - sizeof(*reply),
	    diag_attribute, table) < 0)
		return false;
	if (table[INET_DIAG_CONG] != NULL)
		extra->algorithm = mnl_attr_get_str(table[INET_DIAG_CONG]);
	if (table[INET_DIAG_CGROUP_ID] != NULL) {
		extra->has_cgroup = true;
		extra->cgroup = mnl_attr_get_u64(table[INET_DIAG_CGROUP_ID]);
	}
	/* tcp_info grows with the kernel; an older one may end before what is wanted. */
	if (table[INET_DIAG_INFO] != NULL && mnl_attr_get_payload_len(table[INET_DIAG_INFO]) >=
	    offsetof(struct tcp_info, tcpi_last_data_recv) + sizeof(uint32_t)) {
		struct tcp_info info = { 0 };

		memcpy(&info, mnl_attr_get_payload(table[INET_DIAG_INFO]),
		    offsetof(struct tcp_info, tcpi_last_data_recv) + sizeof(uint32_t));
		extra->has_info = true;
		extra->last_data_sent_ms = info.tcpi_last_data_sent;
		extra->last_data_received_ms = info.tcpi_last_data_recv;
	}
	if (table[INET_DIAG_ULP_INFO] != NULL) {
		if (mnl_attr_parse_nested(table[INET_DIAG_ULP_INFO], ulp_attribute, ulp) < 0)
			return false;
		if (ulp[INET_ULP_INFO_NAME] != NULL)
			extra->ulp = mnl_attr_get_str(ulp[INET_ULP_INFO_NAME]);
	}
	return true;
}
