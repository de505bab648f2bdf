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

enum pattern_problem_kind {
	PATTERN_BAD_OPERAND,	/* not an address and port: a usage error */
	PATTERN_MISPLACED_STAR,	/* '*' is not the whole address or port */
	PATTERN_BAD_PREFIX,	/* a prefix length out of range, or no numeric address */
	PATTERN_BAD_RANGE,	/* a range whose first port is above its last */
	PATTERN_BAD_PORT,	/* see endpoint_port_valid() */
	PATTERN_UNKNOWN_SERVICE,
	PATTERN_BAD_HOST,
	PATTERN_BAD_DEVICE,	/* a scope that names no device */
	PATTERN_OTHER_DEVICE,	/* the two addresses are scoped to different devices */
	PATTERN_UNRESOLVED,	/* getaddrinfo(3) failed */
	PATTERN_OUT_OF_MEMORY,
};

enum { PATTERN_TEXT_MOST = 256 };

struct pattern_problem {
	enum pattern_problem_kind kind;
	char text[PATTERN_TEXT_MOST];	/* the operand, address or port at fault */
	int resolver;			/* PATTERN_UNRESOLVED: EAI_* */
	int system_error;		/* with EAI_SYSTEM: errno */
};

/*
 * Do the operands use any pattern ("*", a prefix, a port range), so that
 * they select connections rather than name one?
 */
bool pattern_in_operands(char *const operands[], int count);

/*
 * A port pattern: "*", "LOW-HIGH", or a decimal port.  Returns true with
 * the range set, or false with the problem (PATTERN_BAD_RANGE,
 * PATTERN_MISPLACED_STAR, PATTERN_BAD_PORT; PATTERN_UNKNOWN_SERVICE for
 * text that may be a service name, which this does not look up).
 */
bool pattern_port(const char *text, uint16_t *low, uint16_t *high,
    enum pattern_problem_kind *problem);

/*
 * A prefix written "ADDRESS/LENGTH", numeric.  Bits past the length are
 * cleared; an IPv4-mapped IPv6 prefix of 96 bits or more is the IPv4
 * prefix it maps.  Returns false (PATTERN_BAD_PREFIX) if malformed.
 */
bool pattern_prefix(const char *text, struct prefix *prefix);

/*
 * Operands (2 or 4) to the pattern they select.  Names and services are
 * resolved.  Returns false with the problem described; either way the
 * caller calls pattern_free().
 */
bool pattern_parse(char *const operands[], int count, struct pattern *pattern,
    struct pattern_problem *problem);
void pattern_free(struct pattern *pattern);

#endif
