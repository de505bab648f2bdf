/*
 * How a connection is spelt: its addresses, ports and device as text, and
 * text from users escaped so that it can be shown.  Messages (report.c)
 * and the commands -l writes (lines.c) spell a connection alike.
 */
#ifndef TCPDROP_SPELL_H
#define TCPDROP_SPELL_H

#include <stdbool.h>
#include <stddef.h>

#include <net/if.h>

#include "conn.h"

/* A device as a scope: its name, or its index. */
#define SPELL_DEVICE_LENGTH (IF_NAMESIZE + 12)
/* An address with its scope: "fe80::1%eth0". */
#define SPELL_ADDRESS_LENGTH (46 + 1 + SPELL_DEVICE_LENGTH)
/* "LADDR[%DEVICE] LPORT FADDR FPORT", numeric. */
#define SPELL_CONN_LENGTH (SPELL_ADDRESS_LENGTH + 46 + 2 * 6 + 4)

/*
 * The two addresses of a connection, numeric: the local one with the
 * device the socket is bound to as its scope, and an IPv4 connection held
 * by an IPv6 socket as IPv4.  False for an address family of no known kind.
 */
bool spell_conn_words(const struct conn *conn, char local[SPELL_ADDRESS_LENGTH],
    char foreign[INET6_ADDRSTRLEN]);

/*
 * A connection as every message shows it: "LADDR[%DEVICE] LPORT FADDR
 * FPORT", spelt as spell_conn_words() spells its addresses.
 */
void spell_conn(const struct conn *conn, char *buffer, size_t size);

/* Is this text printable ASCII (spaces too), safe to show on a terminal as it is? */
bool spell_text_printable(const char *text);

/*
 * Text as it can be shown, whole (a path, a name): bytes outside printable
 * ASCII as \xHH; malloc'd.  Exits 1 saying "out of memory" if there is none.
 */
char *spell_escaped(const char *text);

/* An operand as it can be shown: escaped so, and cut after its first bytes with "...". */
char *spell_escaped_operand(const char *text);

#endif
