/* Pure parsing of address and port operands; no resolution happens here. */
#include "endpoint.h"

#include <stdlib.h>
#include <string.h>

static bool
endpoint_set(struct endpoint *endpoint, const char *host, size_t host_length,
    const char *port)
{
	endpoint->host = strndup(host, host_length);
	endpoint->port = strdup(port);
	if (endpoint->host == NULL || endpoint->port == NULL) {
		endpoint_free(endpoint);
		return false;
	}
	return true;
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
		return endpoint_set(endpoint, operand + 1, (size_t)(close - operand - 1),
		    close + 2);
	}
	dot = strrchr(operand, '.');
	colon = strrchr(operand, ':');
	separator = dot > colon ? dot : colon;
	if (separator == NULL || separator == operand || separator[1] == '\0' ||
	    strpbrk(operand, "[]") != NULL)
		return false;
	return endpoint_set(endpoint, operand, (size_t)(separator - operand), separator + 1);
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
	return endpoint_set(endpoint, host, length, port);
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
