/* Turning the operands of tcpdrop(8) into host and port strings. */
#ifndef TCPDROP_ENDPOINT_H
#define TCPDROP_ENDPOINT_H

#include <stdbool.h>

struct endpoint {
	char *host;
	char *port;
};

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
 * service name?  (A peer may connect from port 0, and the kernel lists it.)  getaddrinfo(3) would take "65536" as port 0 and "-1" as
 * 65535; tcpdrop refuses them, and hexadecimal, rather than guess.
 */
bool endpoint_port_valid(const char *port);

/* Is this printable ASCII text no longer than a DNS name, as host names and addresses are? */
bool endpoint_host_valid(const char *host);

#endif
