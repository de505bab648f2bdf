/* The synopsis, -h, -V, and the refusal of a command line. */
#ifndef TCPDROP_USAGE_H
#define TCPDROP_USAGE_H

#include <stdio.h>

#include "options.h"

/* The synopsis of tcpdrop(8), line for line. */
void usage_print(FILE *stream);

/* -h: the synopsis on stdout; exits 0. */
_Noreturn void exit_help(void);

/* -V: the version on stdout; exits 0. */
_Noreturn void exit_version(void);

/* Why the command line is refused, then the synopsis, on stderr; exits 1. */
_Noreturn void die_usage(struct options_result why);

#endif
