/*
 * Operands as patterns: each address may be "*" (any), a prefix
 * (198.51.100.0/24, 2001:db8::/32) or an address or name, with an optional
 * scope ("%eth0"; "*%eth0" is any address on it); each port "*", a range
 * (8000-8999), a number or a service name.  Two-operand forms split as
 * tcpdrop's always do ("[2001:db8::/32]:443", "10.0.0.0/8.*"); "*" alone is
 * any address and any port.
 */
#ifndef TCPDROP_PATTERN_H
#define TCPDROP_PATTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "endpoint.h"

/* An address prefix: 198.51.100.0/24, 2001:db8::/32. */
struct prefix {
	uint8_t family;		/* AF_INET or AF_INET6 */
	uint8_t length;		/* in bits */
	uint8_t address[16];	/* bits past the length are zero */
};

/* One end of the connections a pattern selects. */
struct side {
	struct prefix *prefixes;	/* any of these; none: any address */
	size_t prefix_count;
	uint16_t port_low;		/* a range of ports; 0-65535 for any */
	uint16_t port_high;
};

/* What operands select: "*", prefixes, names, port ranges. */
struct pattern {
	struct side local;
	struct side foreign;
	uint32_t ifindex;	/* the device a scope names; 0: any */
};

/*
 * Do the operands use any pattern ("*", a prefix, a port range), so that
 * they select connections rather than name one?
 */
bool pattern_in_operands(char *const operands[], int count);

/*
 * A port pattern: "*", "LOW-HIGH", or a decimal port.  Returns true with
 * the range set, or false with the problem (OPERAND_BAD_RANGE,
 * OPERAND_MISPLACED_STAR, OPERAND_BAD_PORT; OPERAND_UNKNOWN_SERVICE for
 * text that may be a service name, which this does not look up).
 */
bool pattern_port(const char *text, uint16_t *low, uint16_t *high,
    enum operand_problem_kind *problem);

/*
 * A prefix written "ADDRESS/LENGTH", numeric.  Bits past the length are
 * cleared; an IPv4-mapped IPv6 prefix of 96 bits or more is the IPv4
 * prefix it maps.  Returns false (OPERAND_BAD_PREFIX) if malformed.
 */
bool pattern_prefix(const char *text, struct prefix *prefix);

/*
 * Operands (2 or 4) to the pattern they select.  Names (by
 * endpoint_resolve()) and services are resolved.  Returns false with the
 * problem described; either way the caller calls pattern_free().
 */
bool pattern_parse(char *const operands[], int count, struct pattern *pattern,
    struct operand_problem *problem);
void pattern_free(struct pattern *pattern);

#endif
