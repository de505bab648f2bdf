/* The nine state names of tcpdrop(8) and the Linux states they select. */
#include "conn.h"
#include "states.h"
#include "unit.h"

int
main(void)
{
	static const struct {
		const char *name;
		uint32_t mask;
	} cases[] = {
		{ "SYN_SENT", TCP_STATE_BIT(TCP_STATE_SYN_SENT) },
		{ "SYN_RCVD", TCP_STATE_BIT(TCP_STATE_SYN_RECV) | TCP_STATE_BIT(TCP_STATE_NEW_SYN_RECV) },
		{ "ESTABLISHED", TCP_STATE_BIT(TCP_STATE_ESTABLISHED) },
		{ "CLOSE_WAIT", TCP_STATE_BIT(TCP_STATE_CLOSE_WAIT) },
		{ "FIN_WAIT_1", TCP_STATE_BIT(TCP_STATE_FIN_WAIT1) },
		{ "CLOSING", TCP_STATE_BIT(TCP_STATE_CLOSING) },
		{ "LAST_ACK", TCP_STATE_BIT(TCP_STATE_LAST_ACK) },
		{ "FIN_WAIT_2", TCP_STATE_BIT(TCP_STATE_FIN_WAIT2) },
		{ "TIME_WAIT", TCP_STATE_BIT(TCP_STATE_TIME_WAIT) },
		{ "LISTEN", 0 },
		{ "CLOSED", 0 },
		{ "SYN_RECV", 0 },
		{ "time_wait", 0 },
		{ "", 0 },
	};
	uint32_t all = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char name[64];

		snprintf(name, sizeof(name), "state '%s'", cases[i].name);
		CHECK(state_mask_by_name(cases[i].name) == cases[i].mask, name);
		all |= cases[i].mask;
	}
	CHECK(all == TCP_CONNECTION_STATES, "the nine names cover every connection state");
	CHECK((all & TCP_STATE_BIT(TCP_STATE_LISTEN)) == 0, "no name selects listeners");

	/* What a mistyped state was meant to be. */
	static const struct {
		const char *typed, *meant;
	} mistakes[] = {
		{ "established", "ESTABLISHED" },
		{ "Time_Wait", "TIME_WAIT" },
		{ "ESTABLISHD", "ESTABLISHED" },
		{ "ESTABBLISHED", "ESTABLISHED" },
		{ "ESTABLISHEX", "ESTABLISHED" },
		{ "syn_sent", "SYN_SENT" },
		{ "LAST-ACK", "LAST_ACK" },
		{ "CLOSE_WAIT", "CLOSE_WAIT" },
		{ "FIN_WAIT_3", NULL },		/* FIN_WAIT_1 or FIN_WAIT_2? */
		{ "FIN_WAIT", NULL },
		{ "LISTEN", NULL },
		{ "CLOSED", NULL },
		{ "ESTAB", NULL },
		{ "", NULL },
	};
	for (size_t i = 0; i < sizeof(mistakes) / sizeof(mistakes[0]); i++) {
		char name[64];

		snprintf(name, sizeof(name), "'%s' was meant to be %s", mistakes[i].typed,
		    mistakes[i].meant ? mistakes[i].meant : "nothing");
		CHECK_STR(state_meant(mistakes[i].typed), mistakes[i].meant, name);
	}
	return unit_done();
}
