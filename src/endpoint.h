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

#endif
