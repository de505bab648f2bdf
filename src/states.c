/* The nine state names of tcpdrop(8), mapped onto Linux TCP states. */
#include "states.h"

#include <string.h>

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

uint32_t
state_mask_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (strcmp(states[i].name, name) == 0)
			return states[i].mask;
	return 0;
}
