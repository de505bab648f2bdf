/* The command line of tcpdrop(8), parsed into one settings structure. */
#ifndef TCPDROP_OPTIONS_H
#define TCPDROP_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

struct settings {
	bool list;		/* -l: print tcpdrop commands instead of dropping */
	bool all;		/* -a */
	uint32_t states;	/* -s, as a TCP_STATE_BIT() mask; 0 if not given */
	const char *ulp;	/* -S: upper layer protocol name; NULL if not given */
	const char *algorithm;	/* -C: congestion control name; NULL if not given */
	const char *file;	/* -f: connections to drop, one per line; "-": stdin */
	const char *netns;	/* -N: network namespace name or path; NULL: our own */
	int family;		/* -4: AF_INET, -6: AF_INET6; AF_UNSPEC if neither */
	const char *user;	/* -u: user name or uid; NULL if not given */
	const char *cgroup;	/* -c: cgroup v2 path; NULL if not given */
	long pid;		/* -p; 0 if not given */
	bool by_idle;		/* -I */
	uint64_t idle_seconds;
	bool cookies;		/* -k: -l shows each socket's cookie as a comment */
	bool help;		/* -h */
	bool version;		/* -V */
	char **operands;	/* addresses and ports, 2 or 4 of them */
	int operand_count;
};

/* Why a command line was refused; each is a usage error. */
enum options_problem {
	OPTIONS_OK,
	OPTIONS_UNKNOWN_OPTION,		/* culprit: the option letter */
	OPTIONS_MISSING_ARGUMENT,	/* culprit: the option letter */
	OPTIONS_UNKNOWN_STATE,		/* culprit_text: the name given to -s */
	OPTIONS_EMPTY_NAME,		/* culprit: 'S' or 'C' */
	OPTIONS_BAD_NAME,		/* culprit: 'S' or 'C'; culprit_text: the name */
	OPTIONS_BAD_NUMBER,		/* culprit: 'p' or 'I'; culprit_text: the number */
	OPTIONS_SYNOPSIS,		/* a combination the synopsis does not allow */
};

struct options_result {
	enum options_problem problem;
	char culprit;
	const char *culprit_text;
};

/* The longest -I: tcp_info counts milliseconds in 32 bits. */
enum { OPTIONS_IDLE_MOST = 4294967 };

/*
 * The longest name of a congestion control algorithm or an upper layer
 * protocol (TCP_CA_NAME_MAX and TCP_ULP_NAME_MAX, less the NUL).
 */
enum { OPTIONS_NAME_MOST = 15 };

/* Could this be the name of an algorithm or protocol: short, letters, digits, '_', '-', '.'? */
bool options_name_valid(const char *name);

/* Parse argv.  Repeated options: the last wins. */
struct options_result options_parse(int argc, char *argv[], struct settings *settings);

/* Does the command narrow a selection (-s, -S, -C, -4, -6, -u, -c, -p, -I)? */
bool settings_narrow(const struct settings *settings);

/*
 * Does the command select connections in bulk: -a, a narrowing option, or
 * operands with a pattern or with -l?  Otherwise operands name one.
 */
bool settings_bulk(const struct settings *settings);

#endif
