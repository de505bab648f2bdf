/*
 * Address and port operands: pure parsing first, then the one resolver,
 * the only code here that asks anything outside the process (the kernel
 * for a device's name, getaddrinfo(3) for an address).
 */
#include "endpoint.h"

#include "alloc.h"

#include <errno.h>
#include <net/if.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool
operand_blame(struct operand_problem *problem, enum operand_problem_kind kind,
    const char *text)
{
	problem->kind = kind;
	snprintf(problem->text, sizeof(problem->text), "%s", text);
	return false;
}

static void
endpoint_set(struct endpoint *endpoint, const char *host, size_t host_length,
    const char *port)
{
	endpoint->host = xstrndup(host, host_length);
	endpoint->port = xstrdup(port);
}

bool
endpoint_split(const char *operand, struct endpoint *endpoint)
{
	const char *separator, *dot, *colon;

	endpoint->host = endpoint->port = NULL;
	if (operand[0] == '[') {
		const char *close = strchr(operand, ']');

		if (close == NULL || close == operand + 1 ||
		    (close[1] != ':' && close[1] != '.') || close[2] == '\0' ||
		    memchr(operand + 1, '[', (size_t)(close - operand - 1)) != NULL)
			return false;
		endpoint_set(endpoint, operand + 1, (size_t)(close - operand - 1), close + 2);
		return true;
	}
	dot = strrchr(operand, '.');
	colon = strrchr(operand, ':');
	separator = dot > colon ? dot : colon;
	if (separator == NULL || separator == operand || separator[1] == '\0' ||
	    strpbrk(operand, "[]") != NULL)
		return false;
	endpoint_set(endpoint, operand, (size_t)(separator - operand), separator + 1);
	return true;
}

bool
endpoint_from_parts(const char *host, const char *port, struct endpoint *endpoint)
{
	size_t length = strlen(host);

	endpoint->host = endpoint->port = NULL;
	if (length >= 2 && host[0] == '[' && host[length - 1] == ']') {
		host++;
		length -= 2;
	}
	if (length == 0 || port[0] == '\0' || memchr(host, '[', length) != NULL ||
	    memchr(host, ']', length) != NULL)
		return false;
	endpoint_set(endpoint, host, length, port);
	return true;
}

void
endpoint_free(struct endpoint *endpoint)
{
	free(endpoint->host);
	free(endpoint->port);
	endpoint->host = endpoint->port = NULL;
}

bool
endpoint_port_valid(const char *port)
{
	size_t digits = strspn(port, "0123456789");
	unsigned long value;

	if (port[0] == '\0' || port[0] == '-' || port[0] == '+' ||
	    ((port[0] == '0') && (port[1] == 'x' || port[1] == 'X')))
		return false;
	/* A service name is short text (NI_MAXSERV). */
	if (port[digits] != '\0')
		return strlen(port) < 32 && endpoint_host_valid(port);
	/* Leading zeros do not make a number larger: "000080" is 80. */
	if (digits - strspn(port, "0") > 5)
		return false;
	value = strtoul(port, NULL, 10);
	return value <= 65535;
}

bool
endpoint_host_valid(const char *host)
{
	size_t length = 0;

	for (const unsigned char *c = (const unsigned char *)host; *c != '\0'; c++, length++)
		if (*c < 0x21 || *c > 0x7e)
			return false;
	/* No DNS name is longer than 253 characters, no address either. */
	return length > 0 && length <= 253;
}

const char *
endpoint_scope_split(const char *host, char *address, size_t size)
{
	const char *percent = strrchr(host, '%');
	size_t length = percent != NULL ? (size_t)(percent - host) : strlen(host);

	if (length >= size)
		length = size - 1;
	memcpy(address, host, length);
	address[length] = '\0';
	return percent != NULL ? percent + 1 : NULL;
}

bool
endpoint_numeric_only(const char *address)
{
	return strchr(address, ':') != NULL;
}

uint32_t
endpoint_device(const char *scope)
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

bool
endpoint_scoped(const char *host, char *address, size_t size, uint32_t *device,
    struct operand_problem *problem)
{
	const char *scope;

	*device = 0;
	if (!endpoint_host_valid(host) || strlen(host) >= size)
		return operand_blame(problem, OPERAND_BAD_HOST, host);
	scope = endpoint_scope_split(host, address, size);
	if (scope == NULL)
		return true;
	*device = endpoint_device(scope);
	if (*device == 0)
		return operand_blame(problem, OPERAND_BAD_DEVICE, host);
	if (address[0] == '\0')
		return operand_blame(problem, OPERAND_BAD_HOST, host);
	return true;
}

bool
endpoint_resolve(const char *host, const char *port, struct addrinfo **addresses,
    uint32_t *device, struct operand_problem *problem)
{
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_STREAM,
		.ai_protocol = IPPROTO_TCP,
	};
	char address[OPERAND_TEXT_MOST];
	int error, system_error;

	*addresses = NULL;
	if (!endpoint_scoped(host, address, sizeof(address), device, problem))
		return false;
	if (endpoint_numeric_only(address))
		hints.ai_flags = AI_NUMERICHOST;
	error = getaddrinfo(address, port, &hints, addresses);
	system_error = errno;
	if (error == 0)
		return true;
	*addresses = NULL;
	if (error == EAI_NONAME && hints.ai_flags == AI_NUMERICHOST)
		return operand_blame(problem, OPERAND_BAD_HOST, address);
	if (error == EAI_MEMORY)
		die_out_of_memory();
	problem->resolver = error;
	problem->system_error = error == EAI_SYSTEM ? system_error : 0;
	snprintf(problem->port, sizeof(problem->port), "%s", port != NULL ? port : "");
	return operand_blame(problem, OPERAND_UNRESOLVED, address);
}
