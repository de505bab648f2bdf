/*
 * Turning the operands of tcpdrop(8) into host and port strings, and a
 * host into its addresses: the one resolver that tuples and patterns share.
 */
#ifndef TCPDROP_ENDPOINT_H
#define TCPDROP_ENDPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct addrinfo;

struct endpoint {
	char *host;
	char *port;
};

/* Why operands name nothing, whether they name one connection or a pattern. */
enum operand_problem_kind {
	OPERAND_NOT_ENDPOINT,	/* not an address and port: a usage error on the command line */
	OPERAND_BAD_PORT,	/* see endpoint_port_valid(), and pattern_port() */
	OPERAND_BAD_HOST,	/* see endpoint_host_valid(), or an IPv6 literal that does not parse */
	OPERAND_BAD_DEVICE,	/* a scope ("%eth0") that names no device */
	OPERAND_OTHER_DEVICE,	/* the two addresses are scoped to different devices */
	OPERAND_UNRESOLVED,	/* getaddrinfo(3) failed */
	OPERAND_FAMILIES,	/* a connection's names have no addresses of one family */
	OPERAND_MISPLACED_STAR,	/* a pattern's '*' is not the whole address or port */
	OPERAND_BAD_PREFIX,	/* a prefix length out of range, or no numeric address */
	OPERAND_BAD_RANGE,	/* a port range whose first port is above its last */
	OPERAND_UNKNOWN_SERVICE,	/* a pattern's port that names no service */
};

/* Room for any valid host (253 bytes), and for more of any text than a message shows (64). */
enum { OPERAND_TEXT_MOST = 256 };

/*
 * What is at fault, copied, so that the problem outlives the operands'
 * parsing.  Messages differ where tuples and patterns take different
 * things: a pattern's port may also be a range or '*', and a pattern's
 * address is looked up without a port.
 */
struct operand_problem {
	enum operand_problem_kind kind;
	bool pattern;			/* the operands were read as a pattern */
	char text[OPERAND_TEXT_MOST];	/* the operand, address or port at fault */
	char port[OPERAND_TEXT_MOST];	/* UNRESOLVED, FAMILIES: the port with it; "" if none */
	char foreign[OPERAND_TEXT_MOST];	/* FAMILIES: the foreign address */
	char foreign_port[OPERAND_TEXT_MOST];	/* FAMILIES */
	int resolver;			/* UNRESOLVED: EAI_* */
	int system_error;		/* UNRESOLVED with EAI_SYSTEM: errno */
};

/*
 * Note the kind of problem and the text at fault (cut to fit) in problem.
 * Returns false, for a parser to return.
 */
bool operand_blame(struct operand_problem *problem, enum operand_problem_kind kind,
    const char *text);

/*
 * Split one operand written "host<sep>port", where the separator is
 * whichever of the last '.' or last ':' comes later, or "[host]:port"
 * (also "[host].port").  Both parts must be non-empty.  Returns false for
 * a malformed operand; on success the caller frees with endpoint_free().
 */
bool endpoint_split(const char *operand, struct endpoint *endpoint);

/*
 * An endpoint from separate host and port operands; a host written in
 * brackets ("[::1]") loses them.  Returns false if either part is empty.
 */
bool endpoint_from_parts(const char *host, const char *port, struct endpoint *endpoint);

void endpoint_free(struct endpoint *endpoint);

/*
 * Is this a port tcpdrop accepts: a decimal number from 0 to 65535, or a
 * service name?  (A peer may connect from port 0, and the kernel lists
 * it.)  getaddrinfo(3) would take "65536" as port 0 and "-1" as 65535;
 * tcpdrop refuses them, and hexadecimal, rather than guess.
 */
bool endpoint_port_valid(const char *port);

/* Is this printable ASCII text no longer than a DNS name, as host names and addresses are? */
bool endpoint_host_valid(const char *host);

/*
 * A host may carry a scope after its last '%', "fe80::1%eth0" or
 * "10.0.0.1%2": the device (by name or index) the connection is bound to.
 * The address before it is copied into address (cut to fit size, which
 * is not 0).
 * Returns the scope, or NULL if the host has none.
 */
const char *endpoint_scope_split(const char *host, char *address, size_t size);

/*
 * Is this address to be read as numeric only, never as a name?  A colon
 * makes it an IPv6 address: one that does not parse is refused without
 * asking DNS.
 */
bool endpoint_numeric_only(const char *address);

/*
 * The device a scope ("eth0", "2") names, by name or by index; 0 if none.
 * An index from 1 to 2^31 - 1 is taken as it is, whether a device has it
 * or not: a connection outlives the device it was bound to.
 */
uint32_t endpoint_device(const char *scope);

/*
 * A host, checked and split from its scope: the address is copied into
 * address (of size bytes, room for any valid host) and the device its
 * scope names set (0 for no scope).  Returns false with the problem
 * (OPERAND_BAD_HOST, OPERAND_BAD_DEVICE), blaming the host as written.
 */
bool endpoint_scoped(const char *host, char *address, size_t size, uint32_t *device,
    struct operand_problem *problem);

/*
 * The one resolver: the addresses a host names, by getaddrinfo(3) with a
 * port or with none (NULL), for TCP, and the device its scope names.
 * Returns true with the addresses for freeaddrinfo(3), or false with the
 * problem.  A problem getaddrinfo(3) finds blames the address without its
 * scope, and keeps errno for EAI_SYSTEM.
 */
bool endpoint_resolve(const char *host, const char *port, struct addrinfo **addresses,
    uint32_t *device, struct operand_problem *problem);

#endif
