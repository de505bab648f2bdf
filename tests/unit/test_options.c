/* Command lines the synopsis of tcpdrop(8) allows, and the ones it refuses. */
#include "conn.h"
#include "options.h"
#include "unit.h"

#include <sys/socket.h>

#define ARGV(...) ((char *[]){ "tcpdrop", __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ "tcpdrop", __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(settings, ...) options_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), (settings))

static struct options_result
parse_none(struct settings *settings)
{
	char *argv[] = { "tcpdrop", NULL };

	return options_parse(1, argv, settings);
}

int
main(void)
{
	struct settings s;
	struct options_result r;

	r = PARSE(&s, "192.168.5.41", "80", "192.168.5.1", "26747");
	CHECK(r.problem == OPTIONS_OK && s.operand_count == 4 && !settings_bulk(&s),
	    "four operands name one connection");
	r = PARSE(&s, "192.168.5.41:80", "192.168.5.1:26747");
	CHECK(r.problem == OPTIONS_OK && s.operand_count == 2, "two operands name one connection");
	r = PARSE(&s, "-a");
	CHECK(r.problem == OPTIONS_OK && s.all && !s.list && settings_bulk(&s), "-a");
	r = PARSE(&s, "-l", "-a");
	CHECK(r.problem == OPTIONS_OK && s.all && s.list, "-l -a");
	r = PARSE(&s, "-la");
	CHECK(r.problem == OPTIONS_OK && s.all && s.list, "-la bundled");
	r = PARSE(&s, "-S", "mptcp");
	CHECK(r.problem == OPTIONS_OK && s.ulp != NULL && strcmp(s.ulp, "mptcp") == 0,
	    "-S stack");
	r = PARSE(&s, "-s", "LAST_ACK");
	CHECK(r.problem == OPTIONS_OK && s.states == TCP_STATE_BIT(TCP_STATE_LAST_ACK), "-s state");
	r = PARSE(&s, "-S", "mptcp", "-s", "LAST_ACK");
	CHECK(r.problem == OPTIONS_OK && s.ulp != NULL && s.states != 0, "-S stack -s state");
	r = PARSE(&s, "-l", "-C", "reno", "-S", "x", "-s", "ESTABLISHED");
	CHECK(r.problem == OPTIONS_OK && s.list && s.algorithm != NULL &&
	    strcmp(s.algorithm, "reno") == 0, "-l -C -S -s together");
	r = PARSE(&s, "-s", "ESTABLISHED", "-s", "TIME_WAIT");
	CHECK(r.problem == OPTIONS_OK && s.states == TCP_STATE_BIT(TCP_STATE_TIME_WAIT),
	    "a repeated option: the last wins");
	r = PARSE(&s, "127.0.0.1", "-1", "127.0.0.1", "80");
	CHECK(r.problem == OPTIONS_OK && s.operand_count == 4,
	    "operands after the first are never options");

	r = parse_none(&s);
	CHECK(r.problem == OPTIONS_SYNOPSIS, "no arguments: usage");
	r = PARSE(&s, "-x");
	CHECK(r.problem == OPTIONS_UNKNOWN_OPTION && r.culprit == 'x', "unknown option: usage");
	r = PARSE(&s, "-s");
	CHECK(r.problem == OPTIONS_MISSING_ARGUMENT && r.culprit == 's', "-s without a state");
	r = PARSE(&s, "-S");
	CHECK(r.problem == OPTIONS_MISSING_ARGUMENT && r.culprit == 'S', "-S without a stack");
	r = PARSE(&s, "-C");
	CHECK(r.problem == OPTIONS_MISSING_ARGUMENT && r.culprit == 'C', "-C without an algorithm");
	r = PARSE(&s, "-s", "LISTEN");
	CHECK(r.problem == OPTIONS_UNKNOWN_STATE, "-s LISTEN: usage");
	r = PARSE(&s, "-s", "CLOSED");
	CHECK(r.problem == OPTIONS_UNKNOWN_STATE, "-s CLOSED: usage");
	r = PARSE(&s, "-s", "established");
	CHECK(r.problem == OPTIONS_UNKNOWN_STATE && strcmp(r.culprit_text, "established") == 0,
	    "state names are case-sensitive");
	r = PARSE(&s, "-S", "");
	CHECK(r.problem == OPTIONS_EMPTY_NAME && r.culprit == 'S', "-S '': usage");
	r = PARSE(&s, "-C", "");
	CHECK(r.problem == OPTIONS_EMPTY_NAME && r.culprit == 'C', "-C '': usage");
	r = PARSE(&s, "-a", "-s", "ESTABLISHED");
	CHECK(r.problem == OPTIONS_SYNOPSIS, "-a with -s: usage");
	r = PARSE(&s, "-a", "-S", "mptcp");
	CHECK(r.problem == OPTIONS_SYNOPSIS, "-a with -S: usage");
	r = PARSE(&s, "-a", "-C", "reno");
	CHECK(r.problem == OPTIONS_SYNOPSIS, "-a with -C: usage");
	r = PARSE(&s, "-a", "127.0.0.1", "80", "127.0.0.1", "81");
	CHECK(r.problem == OPTIONS_SYNOPSIS, "operands after a bulk option: usage");
	r = PARSE(&s, "-l");
	CHECK(r.problem == OPTIONS_SYNOPSIS, "-l alone: usage");
	r = PARSE(&s, "-l", "127.0.0.1:80", "127.0.0.1:81");
	CHECK(r.problem == OPTIONS_OK && settings_bulk(&s), "-l with a tuple lists what it selects");
	r = PARSE(&s, "127.0.0.1:80");
	CHECK(r.problem == OPTIONS_SYNOPSIS, "one operand: usage");
	r = PARSE(&s, "127.0.0.1", "80", "127.0.0.1");
	CHECK(r.problem == OPTIONS_SYNOPSIS, "three operands: usage");
	r = PARSE(&s, "1", "2", "3", "4", "5");
	CHECK(r.problem == OPTIONS_SYNOPSIS, "five operands: usage");

	/* Selections beyond FreeBSD. */
	r = PARSE(&s, "*", "*", "198.51.100.7", "*");
	CHECK(r.problem == OPTIONS_OK && settings_bulk(&s) && !settings_narrow(&s),
	    "a pattern in the operands selects in bulk");
	r = PARSE(&s, "127.0.0.1", "80", "127.0.0.1", "81");
	CHECK(r.problem == OPTIONS_OK && !settings_bulk(&s), "exact operands name one connection");
	r = PARSE(&s, "-s", "ESTABLISHED", "*", "5432", "*", "*");
	CHECK(r.problem == OPTIONS_OK && settings_bulk(&s), "-s with a pattern");
	r = PARSE(&s, "-s", "ESTABLISHED", "127.0.0.1", "80", "127.0.0.1", "81");
	CHECK(r.problem == OPTIONS_OK && settings_bulk(&s), "-s with exact operands selects");
	r = PARSE(&s, "-4", "-6");
	CHECK(r.problem == OPTIONS_OK && s.family == AF_INET6, "-4 then -6: the last wins");
	r = PARSE(&s, "-6", "-4", "-l");
	CHECK(r.problem == OPTIONS_OK && s.family == AF_INET && s.list, "-6 then -4, listed");
	r = PARSE(&s, "-u", "www-data", "-c", "system.slice", "-p", "1", "-I", "0");
	CHECK(r.problem == OPTIONS_OK && strcmp(s.user, "www-data") == 0 &&
	    strcmp(s.cgroup, "system.slice") == 0 && s.pid == 1 && s.by_idle &&
	    s.idle_seconds == 0, "-u, -c, -p and -I together");
	r = PARSE(&s, "-I", "4294967");
	CHECK(r.problem == OPTIONS_OK && s.idle_seconds == 4294967, "-I at its most");
	r = PARSE(&s, "-I", "4294968");
	CHECK(r.problem == OPTIONS_BAD_NUMBER && r.culprit == 'I', "-I past its most: usage");
	r = PARSE(&s, "-I", "1.5");
	CHECK(r.problem == OPTIONS_BAD_NUMBER && r.culprit == 'I', "-I in fractions: usage");
	r = PARSE(&s, "-I", "-1");
	CHECK(r.problem == OPTIONS_BAD_NUMBER && r.culprit == 'I', "-I negative: usage");
	r = PARSE(&s, "-p", "0");
	CHECK(r.problem == OPTIONS_BAD_NUMBER && r.culprit == 'p', "-p 0: usage");
	r = PARSE(&s, "-p", "12ab");
	CHECK(r.problem == OPTIONS_BAD_NUMBER && r.culprit == 'p', "-p not a number: usage");
	r = PARSE(&s, "-u", "");
	CHECK(r.problem == OPTIONS_EMPTY_NAME && r.culprit == 'u', "-u '': usage");
	r = PARSE(&s, "-c", "");
	CHECK(r.problem == OPTIONS_EMPTY_NAME && r.culprit == 'c', "-c '': usage");
	r = PARSE(&s, "-a", "-u", "root");
	CHECK(r.problem == OPTIONS_SYNOPSIS, "-a with -u: usage");
	r = PARSE(&s, "-a", "*", "*");
	CHECK(r.problem == OPTIONS_SYNOPSIS, "-a with a pattern: usage");
	r = PARSE(&s, "-k", "-a");
	CHECK(r.problem == OPTIONS_SYNOPSIS, "-k without -l: usage");
	r = PARSE(&s, "-l", "-k", "-a");
	CHECK(r.problem == OPTIONS_OK && s.cookies, "-l -k -a");
	r = PARSE(&s, "-f", "list", "-u", "root");
	CHECK(r.problem == OPTIONS_SYNOPSIS, "-f with -u: usage");
	r = PARSE(&s, "-u", "root", "*");
	CHECK(r.problem == OPTIONS_SYNOPSIS, "-u with one operand: usage");
	return unit_done();
}
