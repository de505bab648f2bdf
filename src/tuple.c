/* Operands to endpoints, endpoints to candidate connections via getaddrinfo(3). */
#include "tuple.h"

#include <errno.h>
#include <net/if.h>
#include <netdb.h>
#include <stdint.h>
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

uint32_t
tuple_device(const char *scope)
{
	unsigned long index;

	if (scope[0] == '\0')
		return 0;
	/*
	 * An index names a device that may be gone: a socket bound to a device
	 * keeps its index when the device is deleted, and -l prints it so.
	 */
	if (strspn(scope, "0123456789") == strlen(scope)) {
		if (strlen(scope) > 10)
			return 0;
		index = strtoul(scope, NULL, 10);
		return index <= INT32_MAX ? (uint32_t)index : 0;
	}
	return if_nametoindex(scope);
}

static bool
refuse(struct tuple_problem *problem, enum tuple_problem_kind kind,
    const struct endpoint *endpoint)
{
	problem->kind = kind;
	problem->endpoint = endpoint;
	return false;
}

static bool
resolve(const struct endpoint *endpoint, struct addrinfo **result, uint32_t *device,
    struct tuple_problem *problem)
{
	const struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_STREAM,
		.ai_protocol = IPPROTO_TCP,
	};
	struct addrinfo numeric = hints;
	char *host, *scope;
	int error;

	*device = 0;
	if (!endpoint_port_valid(endpoint->port))
		return refuse(problem, TUPLE_BAD_PORT, endpoint);
	if (!endpoint_host_valid(endpoint->host))
		return refuse(problem, TUPLE_BAD_HOST, endpoint);
	host = strdup(endpoint->host);
	if (host == NULL)
		return refuse(problem, TUPLE_OUT_OF_MEMORY, endpoint);
	scope = strrchr(host, '%');
	if (scope != NULL) {
		*scope++ = '\0';
		*device = tuple_device(scope);
		if (host[0] == '\0' || *device == 0) {
			free(host);
			return refuse(problem, *device == 0 ? TUPLE_BAD_DEVICE : TUPLE_BAD_HOST,
			    endpoint);
		}
	}
	/*
	 * A colon makes it an IPv6 address, never a name: one that does not
	 * parse is refused without asking DNS.
	 */
	if (strchr(host, ':') != NULL) {
		numeric.ai_flags = AI_NUMERICHOST;
		error = getaddrinfo(host, endpoint->port, &numeric, result);
		if (error == EAI_NONAME) {
			free(host);
			return refuse(problem, TUPLE_BAD_HOST, endpoint);
		}
	} else {
		error = getaddrinfo(host, endpoint->port, &hints, result);
	}
	free(host);
	if (error == 0)
		return true;
	problem->resolver = error;
	problem->system_error = error == EAI_SYSTEM ? errno : 0;
	return refuse(problem, error == EAI_MEMORY ? TUPLE_OUT_OF_MEMORY : TUPLE_UNRESOLVED,
	    endpoint);
}

static bool
already_paired(const struct conn *pairs, size_t count, const struct conn *pair)
{
	for (size_t i = 0; i < count; i++)
		if (conn_same_endpoints(&pairs[i], pair) && pairs[i].family == pair->family)
			return true;
	return false;
}

bool
tuple_resolve(const struct endpoint *local, const struct endpoint *foreign,
    struct conn **pairs, size_t *count, struct tuple_problem *problem)
{
	struct addrinfo *locals = NULL, *foreigns = NULL;
	uint32_t local_device, foreign_device;
	size_t capacity = 0;

	*pairs = NULL;
	*count = 0;
	if (!resolve(local, &locals, &local_device, problem))
		return false;
	if (!resolve(foreign, &foreigns, &foreign_device, problem)) {
		freeaddrinfo(locals);
		return false;
	}
	if (local_device != 0 && foreign_device != 0 && local_device != foreign_device) {
		freeaddrinfo(locals);
		freeaddrinfo(foreigns);
		return refuse(problem, TUPLE_OTHER_DEVICE, foreign);
	}
	for (const struct addrinfo *l = locals; l != NULL; l = l->ai_next)
		for (const struct addrinfo *f = foreigns; f != NULL; f = f->ai_next)
			capacity++;
	*pairs = calloc(capacity ? capacity : 1, sizeof(**pairs));
	if (*pairs == NULL) {
		freeaddrinfo(locals);
		freeaddrinfo(foreigns);
		return refuse(problem, TUPLE_OUT_OF_MEMORY, local);
	}
	for (const struct addrinfo *l = locals; l != NULL; l = l->ai_next) {
		for (const struct addrinfo *f = foreigns; f != NULL; f = f->ai_next) {
			struct conn pair;

			if (!conn_from_sockaddrs(&pair, l->ai_addr, f->ai_addr))
				continue;
			pair.ifindex = local_device != 0 ? local_device : foreign_device;
			if (!already_paired(*pairs, *count, &pair))
				(*pairs)[(*count)++] = pair;
		}
	}
	freeaddrinfo(locals);
	freeaddrinfo(foreigns);
	return true;
}

bool
tuple_name(char *const operands[], int count, struct tuple *tuple,
    struct tuple_problem *problem)
{
	struct conn *pairs = NULL;
	int bad;

	memset(tuple, 0, sizeof(*tuple));
	memset(problem, 0, sizeof(*problem));
	bad = tuple_endpoints(operands, count, &tuple->local, &tuple->foreign);
	if (bad >= 0) {
		problem->kind = TUPLE_BAD_OPERAND;
		problem->operand = operands[bad];
		return false;
	}
	if (!tuple_resolve(&tuple->local, &tuple->foreign, &pairs, &tuple->named.count,
	    problem))
		return false;
	tuple->named.pairs = pairs;
	if (tuple->named.count == 0) {
		problem->kind = TUPLE_FAMILIES;
		problem->endpoint = &tuple->local;
		problem->foreign = &tuple->foreign;
		return false;
	}
	return true;
}

void
tuple_free(struct tuple *tuple)
{
	endpoint_free(&tuple->local);
	endpoint_free(&tuple->foreign);
	free((void *)tuple->named.pairs);
	tuple->named.pairs = NULL;
}
