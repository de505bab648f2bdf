/* Operands to endpoints, endpoints to candidate connections by endpoint_resolve(). */
#include "tuple.h"

#include "alloc.h"

#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
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

/*
 * The addresses an endpoint names, and the device its scope names.  A
 * port is checked here, before getaddrinfo(3) would take "65536" as 0.
 */
static bool
resolve_endpoint(const struct endpoint *endpoint, struct addrinfo **addresses,
    uint32_t *device, struct operand_problem *problem)
{
	*addresses = NULL;
	*device = 0;
	if (!endpoint_port_valid(endpoint->port))
		return operand_blame(problem, OPERAND_BAD_PORT, endpoint->port);
	if (endpoint_resolve(endpoint->host, endpoint->port, addresses, device, problem))
		return true;
	/* A tuple's messages show its host as it was written, scope and all. */
	snprintf(problem->text, sizeof(problem->text), "%s", endpoint->host);
	return false;
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
    struct conn **pairs, size_t *count, struct operand_problem *problem)
{
	struct addrinfo *locals, *foreigns;
	uint32_t local_device, foreign_device;
	size_t capacity = 0;

	*pairs = NULL;
	*count = 0;
	if (!resolve_endpoint(local, &locals, &local_device, problem))
		return false;
	if (!resolve_endpoint(foreign, &foreigns, &foreign_device, problem)) {
		freeaddrinfo(locals);
		return false;
	}
	if (local_device != 0 && foreign_device != 0 && local_device != foreign_device) {
		freeaddrinfo(locals);
		freeaddrinfo(foreigns);
		return operand_blame(problem, OPERAND_OTHER_DEVICE, foreign->host);
	}
	for (const struct addrinfo *l = locals; l != NULL; l = l->ai_next)
		for (const struct addrinfo *f = foreigns; f != NULL; f = f->ai_next)
			capacity++;
	*pairs = xcalloc(capacity, sizeof(**pairs));
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
    struct operand_problem *problem)
{
	struct conn *pairs = NULL;
	int bad;

	memset(tuple, 0, sizeof(*tuple));
	memset(problem, 0, sizeof(*problem));
	bad = tuple_endpoints(operands, count, &tuple->local, &tuple->foreign);
	if (bad >= 0)
		return operand_blame(problem, OPERAND_NOT_ENDPOINT, operands[bad]);
	if (!tuple_resolve(&tuple->local, &tuple->foreign, &pairs, &tuple->named.count,
	    problem))
		return false;
	tuple->named.pairs = pairs;
	if (tuple->named.count == 0) {
		snprintf(problem->port, sizeof(problem->port), "%s", tuple->local.port);
		snprintf(problem->foreign, sizeof(problem->foreign), "%s", tuple->foreign.host);
		snprintf(problem->foreign_port, sizeof(problem->foreign_port), "%s",
		    tuple->foreign.port);
		return operand_blame(problem, OPERAND_FAMILIES, tuple->local.host);
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
