/* Connections and user text as tcpdrop spells them, in messages and in commands. */
#include "spell.h"

#include <arpa/inet.h>
#include <err.h>
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
 * An address as text.  Both ends of an IPv4 connection that an IPv6 socket
 * holds are IPv4-mapped: it is shown as the IPv4 connection it is on the
 * wire, as it is named on the command line.
 */
static bool
address_text(const struct conn *conn, const uint8_t *address, char text[INET6_ADDRSTRLEN])
{
	if (conn->family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(conn->local) &&
	    IN6_IS_ADDR_V4MAPPED(conn->foreign))
		return inet_ntop(AF_INET, address + 12, text, INET6_ADDRSTRLEN) != NULL;
	return inet_ntop(conn->family, address, text, INET6_ADDRSTRLEN) != NULL;
}

/*
 * The local address of a connection, with the device it is bound to
 * ("fe80::1%eth0"): two connections may differ in nothing else.
 */
static bool
local_text(const struct conn *conn, char text[SPELL_ADDRESS_LENGTH])
{
	char address[INET6_ADDRSTRLEN], device[SPELL_DEVICE_LENGTH];

	if (!address_text(conn, conn->local, address))
		return false;
	if (conn->ifindex == 0) {
		snprintf(text, SPELL_ADDRESS_LENGTH, "%s", address);
		return true;
	}
	device_text(conn->ifindex, device);
	snprintf(text, SPELL_ADDRESS_LENGTH, "%s%%%s", address, device);
	return true;
}

bool
spell_conn_words(const struct conn *conn, char local[SPELL_ADDRESS_LENGTH],
    char foreign[INET6_ADDRSTRLEN])
{
	return local_text(conn, local) && address_text(conn, conn->foreign, foreign);
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
 * whatever follows the first `most` bytes as "...".  Without memory there
 * is no message to show: the run ends, as report_out_of_memory() ends it.
 */
enum { SHOWN_MOST = 64 };

static char *
escaped_at_most(const char *text, size_t most)
{
	size_t length = strnlen(text, most);
	char *shown = malloc(4 * length + sizeof("...")), *cursor = shown;

	if (shown == NULL)
		errx(1, "out of memory");
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
