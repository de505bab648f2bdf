/*
 * A run of tcpdrop: what every way of dropping needs, built once by
 * tcpdrop() from the command line and passed down, rather than threaded
 * through as separate arguments.
 */
#ifndef TCPDROP_RUN_H
#define TCPDROP_RUN_H

#include <stdbool.h>

struct diag;

struct run {
	struct diag *diag;	/* socket diagnostics in the namespace the run acts in */
	const char *netns;	/* -N as given, named in the commands it prints; NULL: its own */
	bool list;		/* -l: print the commands that drop, and drop nothing */
	bool cookies;		/* -k: each command with its socket's cookie */
};

#endif
