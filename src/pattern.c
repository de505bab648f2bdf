/* Operands to the pattern they select, with names and services resolved. */
#include "pattern.h"

#include "alloc.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include "endpoint.h"
#include "tuple.h"

static bool
all_digits(const char *text, size_t length)
{
	return length > 0 && strspn(text, "0123456789") >= length;
}

/* "8000-8999": digits, a dash, digits (a service name may hold dashes, never only digits). */
static bool
looks_like_range(const char *text)
{
	const char *dash = strchr(text, '-');

	return dash != NULL && dash != text && all_digits(text, (size_t)(dash - text)) &&
	    strspn(dash + 1, "0123456789") == strlen(dash + 1);
}

bool
pattern_in_operands(char *const operands[], int count)
{
	for (int i = 0; i < count; i++) {
		const char *separator;

		if (strpbrk(operands[i], "*/") != NULL)
			return true;
		if (count == 4 && i % 2 == 1 && looks_like_range(operands[i]))
			return true;
		/* The port of "host:port" or "host.port" comes after the later of the two. */
		separator = strrchr(operands[i], ':');
		if (strrchr(operands[i], '.') > separator)
			separator = strrchr(operands[i], '.');
		if (count == 2 && separator != NULL && looks_like_range(separator + 1))
			return true;
	}
	return false;
}

static bool
port_number(const char *text, size_t length, uint16_t *port)
{
	char digits[8];

	if (!all_digits(text, length))
		return false;
	/* Leading zeros do not make a number larger. */
	while (length > 1 && *text == '0') {
		text++;
		length--;
	}
	if (length > 5)
		return false;
	memcpy(digits, text, length);
	digits[length] = '\0';
	if (strtoul(digits, NULL, 10) > 65535)
		return false;
	*port = (uint16_t)strtoul(digits, NULL, 10);
	return true;
}

bool
pattern_port(const char *text, uint16_t *low, uint16_t *high,
    enum operand_problem_kind *problem)
{
	const char *dash = strchr(text, '-');

	if (strcmp(text, "*") == 0) {
		*low = 0;
		*high = 65535;
		return true;
	}
	*problem = OPERAND_MISPLACED_STAR;
	if (strchr(text, '*') != NULL)
		return false;
	*problem = OPERAND_BAD_PORT;
	if (looks_like_range(text)) {
		if (!port_number(text, (size_t)(dash - text), low) ||
		    !port_number(dash + 1, strlen(dash + 1), high))
			return false;
		*problem = OPERAND_BAD_RANGE;
		return *low <= *high;
	}
	if (all_digits(text, strlen(text))) {
		if (!port_number(text, strlen(text), low))
			return false;
		*high = *low;
		return true;
	}
	/* Only digits and dashes, but not a range ("8000-", "1-2-3"): no name either. */
	if (strspn(text, "0123456789-") == strlen(text) || !endpoint_port_valid(text))
		return false;
	*problem = OPERAND_UNKNOWN_SERVICE;
	return false;
}

/* An IPv4 address seen through its IPv4-mapped IPv6 form is the IPv4 address. */
static void
prefix_unmap(struct prefix *prefix)
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (prefix->family == AF_INET6 && prefix->length >= 96 &&
	    memcmp(prefix->address, mapped, sizeof(mapped)) == 0) {
		memmove(prefix->address, prefix->address + 12, 4);
		memset(prefix->address + 4, 0, 12);
		prefix->family = AF_INET;
		prefix->length -= 96;
	}
}

static void
prefix_clear_host_bits(struct prefix *prefix)
{
	size_t bytes = prefix->family == AF_INET ? 4 : 16;

	for (size_t i = 0; i < bytes; i++) {
		unsigned from = (unsigned)i * 8;

		if (from >= prefix->length)
			prefix->address[i] = 0;
		else if (prefix->length - from < 8)
			prefix->address[i] &= (uint8_t)(0xff << (8 - (prefix->length - from)));
	}
}

bool
pattern_prefix(const char *text, struct prefix *prefix)
{
	const char *slash = strrchr(text, '/');
	char address[INET6_ADDRSTRLEN];
	size_t length;
	unsigned long bits;

	memset(prefix, 0, sizeof(*prefix));
	if (slash == NULL || (size_t)(slash - text) >= sizeof(address) ||
	    !all_digits(slash + 1, strlen(slash + 1)) || strlen(slash + 1) > 3)
		return false;
	length = (size_t)(slash - text);
	memcpy(address, text, length);
	address[length] = '\0';
	bits = strtoul(slash + 1, NULL, 10);
	if (inet_pton(AF_INET, address, prefix->address) == 1)
		prefix->family = AF_INET;
	else if (inet_pton(AF_INET6, address, prefix->address) == 1)
		prefix->family = AF_INET6;
	else
		return false;
	if (bits > (prefix->family == AF_INET ? 32u : 128u))
		return false;
	prefix->length = (uint8_t)bits;
	prefix_clear_host_bits(prefix);
	prefix_unmap(prefix);
	return true;
}

static void
add_prefix(struct side *side, const struct prefix *prefix)
{
	side->prefixes = xreallocarray(side->prefixes, side->prefix_count + 1,
	    sizeof(*side->prefixes));
	side->prefixes[side->prefix_count++] = *prefix;
}

/* Every address a name or literal resolves to, each a prefix of its full length. */
static void
add_addresses(const struct addrinfo *addresses, struct side *side)
{
	for (const struct addrinfo *at = addresses; at != NULL; at = at->ai_next) {
		struct prefix prefix = { .family = (uint8_t)at->ai_family };

		if (at->ai_family == AF_INET) {
			memcpy(prefix.address,
			    &((const struct sockaddr_in *)at->ai_addr)->sin_addr, 4);
			prefix.length = 32;
		} else if (at->ai_family == AF_INET6) {
			memcpy(prefix.address,
			    &((const struct sockaddr_in6 *)at->ai_addr)->sin6_addr, 16);
			prefix.length = 128;
		} else {
			continue;
		}
		prefix_unmap(&prefix);
		add_prefix(side, &prefix);
	}
}

/* A prefix, with its scope, as the side's one prefix. */
static bool
parse_prefix(const char *text, struct side *side, uint32_t *device,
    struct operand_problem *problem)
{
	char address[OPERAND_TEXT_MOST];
	struct prefix prefix;

	if (!endpoint_scoped(text, address, sizeof(address), device, problem))
		return false;
	if (!pattern_prefix(address, &prefix))
		return operand_blame(problem, OPERAND_BAD_PREFIX, text);
	add_prefix(side, &prefix);
	return true;
}

/* An address pattern: "*", a prefix, or an address or name; any with a scope. */
static bool
parse_address(const char *text, struct side *side, uint32_t *device,
    struct operand_problem *problem)
{
	struct addrinfo *addresses;

	*device = 0;
	if (strcmp(text, "*") == 0)
		return true;
	/* "*%eth0": any address, on that device. */
	if (strncmp(text, "*%", 2) == 0 && strchr(text + 2, '*') == NULL) {
		*device = endpoint_device(text + 2);
		return *device != 0 || operand_blame(problem, OPERAND_BAD_DEVICE, text);
	}
	if (strchr(text, '*') != NULL)
		return operand_blame(problem, OPERAND_MISPLACED_STAR, text);
	/* A '/' in a scope names no device, and endpoint_scoped() says so first. */
	if (strchr(text, '/') != NULL)
		return parse_prefix(text, side, device, problem);
	if (!endpoint_resolve(text, NULL, &addresses, device, problem))
		return false;
	add_addresses(addresses, side);
	freeaddrinfo(addresses);
	return true;
}

static bool
parse_port(const char *text, struct side *side, struct operand_problem *problem)
{
	enum operand_problem_kind kind;
	const struct servent *service;

	if (pattern_port(text, &side->port_low, &side->port_high, &kind))
		return true;
	if (kind != OPERAND_UNKNOWN_SERVICE)
		return operand_blame(problem, kind, text);
	service = getservbyname(text, "tcp");
	if (service == NULL)
		return operand_blame(problem, OPERAND_UNKNOWN_SERVICE, text);
	side->port_low = side->port_high = ntohs((uint16_t)service->s_port);
	return true;
}

static bool
parse_side(const struct endpoint *endpoint, struct side *side, uint32_t *device,
    struct operand_problem *problem)
{
	return parse_address(endpoint->host, side, device, problem) &&
	    parse_port(endpoint->port, side, problem);
}

/* "*" alone, as one of two operands, is any address and any port. */
static char *const *
expand_lone_stars(char *const operands[], int count, char *copy[2])
{
	static char any[] = "*", any_port[] = "*:*";

	if (count != 2)
		return operands;
	for (int i = 0; i < 2; i++)
		copy[i] = strcmp(operands[i], any) == 0 ? any_port : operands[i];
	return copy;
}

bool
pattern_parse(char *const operands[], int count, struct pattern *pattern,
    struct operand_problem *problem)
{
	struct endpoint local, foreign;
	char *copy[2];
	uint32_t local_device = 0, foreign_device = 0;
	int bad;
	bool ok;

	memset(pattern, 0, sizeof(*pattern));
	memset(problem, 0, sizeof(*problem));
	problem->pattern = true;
	bad = tuple_endpoints(expand_lone_stars(operands, count, copy), count, &local, &foreign);
	if (bad >= 0)
		return operand_blame(problem, OPERAND_NOT_ENDPOINT, operands[bad]);
	ok = parse_side(&local, &pattern->local, &local_device, problem) &&
	    parse_side(&foreign, &pattern->foreign, &foreign_device, problem);
	if (ok && local_device != 0 && foreign_device != 0 && local_device != foreign_device)
		ok = operand_blame(problem, OPERAND_OTHER_DEVICE, foreign.host);
	pattern->ifindex = local_device != 0 ? local_device : foreign_device;
	endpoint_free(&local);
	endpoint_free(&foreign);
	return ok;
}

void
pattern_free(struct pattern *pattern)
{
	free(pattern->local.prefixes);
	free(pattern->foreign.prefixes);
	pattern->local.prefixes = pattern->foreign.prefixes = NULL;
}
