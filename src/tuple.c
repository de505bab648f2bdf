/* Operands to endpoints, endpoints to candidate connections via getaddrinfo(3). */
#include "tuple.h"

#include <netdb.h>
#include <stdlib.h>
#include <string.h>

int
tuple_endpoints(char *const operands[], int count, struct endpoint *local,
    struct endpoint *foreign)
{
	int bad = -1;

	local->host = local->port = foreign->host = foreign->port = NULL;
	if (count == 4) {
		if (!endpoint_from_parts(operands[0], operands[1], local))
			bad = operands[1][0] == '\0' ? 1 : 0;
		else if (!endpoint_from_parts(operands[2], operands[3], foreign))
			bad = operands[3][0] == '\0' ? 3 : 2;
	} else if (count == 2) {
		if (!endpoint_split(operands[0], local))
			bad = 0;
		else if (!endpoint_split(operands[1], foreign))
			bad = 1;
	} else {
		bad = 0;
	}
	if (bad >= 0) {
		endpoint_free(local);
		endpoint_free(foreign);
	}
	return bad;
}

static int
resolve(const struct endpoint *endpoint, struct addrinfo **result)
{
	const struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_STREAM,
		.ai_protocol = IPPROTO_TCP,
	};

	struct addrinfo numeric = hints;
	int error;

	if (!endpoint_port_valid(endpoint->port))
		return TUPLE_BAD_PORT;
	if (!endpoint_host_valid(endpoint->host))
		return TUPLE_BAD_HOST;
	/*
	 * A colon makes it an IPv6 address, never a name: one that does not
	 * parse (a bad scope, say) is refused without asking DNS.
	 */
	if (strchr(endpoint->host, ':') != NULL) {
		numeric.ai_flags = AI_NUMERICHOST;
		error = getaddrinfo(endpoint->host, endpoint->port, &numeric, result);
		return error == EAI_NONAME ? TUPLE_BAD_HOST : error;
	}
	return getaddrinfo(endpoint->host, endpoint->port, &hints, result);
}

static bool
already_paired(const struct conn *pairs, size_t count, const struct conn *pair)
{
	for (size_t i = 0; i < count; i++)
		if (conn_same_endpoints(&pairs[i], pair) && pairs[i].family == pair->family)
			return true;
	return false;
}

int
tuple_resolve(const struct endpoint *local, const struct endpoint *foreign,
    struct conn **pairs, size_t *count, const struct endpoint **failed)
{
	struct addrinfo *locals = NULL, *foreigns = NULL;
	size_t capacity = 0;
	int error;

	*pairs = NULL;
	*count = 0;
	error = resolve(local, &locals);
	if (error != 0) {
		*failed = local;
		return error;
	}
	error = resolve(foreign, &foreigns);
	if (error != 0) {
		freeaddrinfo(locals);
		*failed = foreign;
		return error;
	}
	for (const struct addrinfo *l = locals; l != NULL; l = l->ai_next)
		for (const struct addrinfo *f = foreigns; f != NULL; f = f->ai_next)
			capacity++;
	*pairs = calloc(capacity ? capacity : 1, sizeof(**pairs));
	if (*pairs == NULL) {
		error = EAI_MEMORY;
		*failed = local;
		goto out;
	}
	for (const struct addrinfo *l = locals; l != NULL; l = l->ai_next) {
		for (const struct addrinfo *f = foreigns; f != NULL; f = f->ai_next) {
			struct conn pair;

			if (conn_from_sockaddrs(&pair, l->ai_addr, f->ai_addr) &&
			    !already_paired(*pairs, *count, &pair))
				(*pairs)[(*count)++] = pair;
		}
	}
out:
	freeaddrinfo(locals);
	freeaddrinfo(foreigns);
	return error;
}
