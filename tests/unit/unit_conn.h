/* Connections for unit tests, written as text. */
#ifndef TCPDROP_UNIT_CONN_H
#define TCPDROP_UNIT_CONN_H

#include <arpa/inet.h>

#include "conn.h"

static inline struct conn
unit_conn(int family, const char *local, unsigned local_port, const char *foreign,
    unsigned foreign_port)
{
	struct conn conn = { .family = (uint8_t)family, .local_port = (uint16_t)local_port,
		.foreign_port = (uint16_t)foreign_port };

	inet_pton(family, local, conn.local);
	inet_pton(family, foreign, conn.foreign);
	return conn;
}

#endif
