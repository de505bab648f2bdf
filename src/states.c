/* The nine state names of tcpdrop(8), mapped onto Linux TCP states. */
#include "states.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "conn.h"

static const struct {
	const char *name;
	uint32_t mask;
} states[] = {
	{ "SYN_SENT", TCP_STATE_BIT(TCP_STATE_SYN_SENT) },
	/* Linux keeps half-open connections as request sockets, a state of their own. */
	{ "SYN_RCVD", TCP_STATE_BIT(TCP_STATE_SYN_RECV) | TCP_STATE_BIT(TCP_STATE_NEW_SYN_RECV) },
	{ "ESTABLISHED", TCP_STATE_BIT(TCP_STATE_ESTABLISHED) },
	{ "CLOSE_WAIT", TCP_STATE_BIT(TCP_STATE_CLOSE_WAIT) },
	{ "FIN_WAIT_1", TCP_STATE_BIT(TCP_STATE_FIN_WAIT1) },
	{ "CLOSING", TCP_STATE_BIT(TCP_STATE_CLOSING) },
	{ "LAST_ACK", TCP_STATE_BIT(TCP_STATE_LAST_ACK) },
	/*
	 * An orphaned FIN_WAIT_2 socket becomes a time-wait mini socket whose
	 * substate the kernel reports as FIN_WAIT2, so bit 5 finds both.
	 */
	{ "FIN_WAIT_2", TCP_STATE_BIT(TCP_STATE_FIN_WAIT2) },
	{ "TIME_WAIT", TCP_STATE_BIT(TCP_STATE_TIME_WAIT) },
};

/* Do two names differ by at most one letter, case aside? */
static bool
one_letter_apart(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i = 0;

	if (la < lb)
		return one_letter_apart(b, a);
	if (la - lb > 1)
		return false;
	while (i < lb && toupper((unsigned char)a[i]) == toupper((unsigned char)b[i]))
		i++;
	if (i == lb)
		return true;
	/* Past the first difference, the rest must match: after a change, or after the extra letter. */
	return strcasecmp(a + i + 1, b + i + (la == lb)) == 0;
}

const char *
state_meant(const char *name)
{
	const char *meant = NULL;

	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		if (!one_letter_apart(name, states[i].name))
			continue;
		if (meant != NULL)
			return NULL;
		meant = states[i].name;
	}
	return meant;
}

uint32_t
state_mask_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (strcmp(states[i].name, name) == 0)
			return states[i].mask;
	return 0;
}
