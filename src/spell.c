/* Connections and user text as tcpdrop spells them, in messages and in commands. */
#include "spell.h"

#include "alloc.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool
spell_text_printable(const char *text)
{
	for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; c++)
		if (*c < 0x20 || *c > 0x7e)
			return false;
	return true;
}

/*
 * The scope a device-bound connection is shown with: the device's name, or
 * its index where the device is gone, or where its name would not read
 * back as the same device: text that is not plain, a name of digits (an
 * index), brackets ("[fe80::1%a]b]:22"), or a character of a pattern or of
 * sh(1)'s globs ("10.0.0.1%v*a" is a pattern to tcpdrop).
 */
static void
device_text(uint32_t ifindex, char text[SPELL_DEVICE_LENGTH])
{
	char name[IF_NAMESIZE];

	if (if_indextoname(ifindex, name) != NULL && spell_text_printable(name) &&
	    strpbrk(name, "[]*?% ") == NULL && strspn(name, "0123456789") != strlen(name))
		snprintf(text, SPELL_DEVICE_LENGTH, "%s", name);
	else
		snprintf(text, SPELL_DEVICE_LENGTH, "%u", ifindex);
}

/*
 * The connection's two addresses as text, as it is on the wire (see
 * conn_on_wire()): an IPv4 connection an IPv6 socket holds is shown as the
 * IPv4 connection it is, as it is named on the command line.
 */
static bool
addresses_text(const struct conn *conn, char local[INET6_ADDRSTRLEN],
    char foreign[INET6_ADDRSTRLEN])
{
	const uint8_t *l, *f;
	int family = conn_on_wire(conn, &l, &f);

	return inet_ntop(family, l, local, INET6_ADDRSTRLEN) != NULL &&
	    inet_ntop(family, f, foreign, INET6_ADDRSTRLEN) != NULL;
}

/*
 * The local address of a connection, with the device it is bound to
 * ("fe80::1%eth0"): two connections may differ in nothing else.
 */
static void
local_text(const struct conn *conn, const char *address, char text[SPELL_ADDRESS_LENGTH])
{
	char device[SPELL_DEVICE_LENGTH];

	if (conn->ifindex == 0) {
		snprintf(text, SPELL_ADDRESS_LENGTH, "%s", address);
		return;
	}
	device_text(conn->ifindex, device);
	snprintf(text, SPELL_ADDRESS_LENGTH, "%s%%%s", address, device);
}

bool
spell_conn_words(const struct conn *conn, char local[SPELL_ADDRESS_LENGTH],
    char foreign[INET6_ADDRSTRLEN])
{
	char address[INET6_ADDRSTRLEN];

	if (!addresses_text(conn, address, foreign))
		return false;
	local_text(conn, address, local);
	return true;
}

void
spell_conn(const struct conn *conn, char *buffer, size_t size)
{
	char local[SPELL_ADDRESS_LENGTH], foreign[INET6_ADDRSTRLEN];

	if (!spell_conn_words(conn, local, foreign)) {
		snprintf(buffer, size, "(address family %u)", conn->family);
		return;
	}
	snprintf(buffer, size, "%s %u %s %u", local, conn->local_port, foreign,
	    conn->foreign_port);
}

/*
 * Text as it can be shown: bytes outside printable ASCII as \xHH, and
 * whatever follows the first `most` bytes as "...".
 */
enum { SHOWN_MOST = 64 };

static char *
escaped_at_most(const char *text, size_t most)
{
	size_t length = strnlen(text, most);
	char *shown = xmalloc(4 * length + sizeof("...")), *cursor = shown;

	for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; c++) {
		if ((size_t)(c - (const unsigned char *)text) == most) {
			cursor = stpcpy(cursor, "...");
			break;
		}
		if (*c >= 0x20 && *c <= 0x7e)
			*cursor++ = (char)*c;
		else
			cursor += sprintf(cursor, "\\x%02x", *c);
	}
	*cursor = '\0';
	return shown;
}

/* An operand is cut, since it may be anything of any length. */
char *
spell_escaped_operand(const char *text)
{
	return escaped_at_most(text, SHOWN_MOST);
}

/* A path or a name is shown whole. */
char *
spell_escaped(const char *text)
{
	return escaped_at_most(text, SIZE_MAX);
}
