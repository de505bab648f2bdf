/*
 * The command line's own words: the synopsis, which is the man page's, the
 * version, and why a command line is refused before anything is done.
 */
#include "usage.h"

#include <err.h>
#include <stdio.h>
#include <stdlib.h>

#include "report.h"
#include "spell.h"
#include "states.h"

/* The synopsis of tcpdrop(8), line for line (a test holds them to it). */
void
usage_print(FILE *stream)
{
	fprintf(stream,
	    "usage: tcpdrop [-N netns] local-address local-port foreign-address foreign-port\n"
	    "       tcpdrop [-N netns] local-address:local-port foreign-address:foreign-port\n"
	    "       tcpdrop [-N netns] local-address.local-port foreign-address.foreign-port\n"
	    "       tcpdrop [-N netns] -f file\n"
	    "       tcpdrop [-N netns] [-l [-k]] -a\n"
	    "       tcpdrop [-N netns] [-l [-k]] -S stack\n"
	    "       tcpdrop [-N netns] [-l [-k]] -s state\n"
	    "       tcpdrop [-N netns] [-l [-k]] -S stack -s state\n"
	    "       tcpdrop [-N netns] [-l [-k]] -C cc-algo [-S stack] [-s state]\n"
	    "       tcpdrop [-N netns] [-l [-k]] [-46] [-C cc-algo] [-c cgroup] [-I seconds] "
	    "[-p pid] [-S stack] [-s state] [-u user] "
	    "[local-address local-port foreign-address foreign-port]\n"
	    "       tcpdrop [-N netns] [-l [-k]] [-46] [-C cc-algo] [-c cgroup] [-I seconds] "
	    "[-p pid] [-S stack] [-s state] [-u user] "
	    "local-address:local-port foreign-address:foreign-port\n"
	    "       tcpdrop -h | -V\n");
}

_Noreturn void
exit_help(void)
{
	usage_print(stdout);
	report_flush_output();
	exit(0);
}

_Noreturn void
exit_version(void)
{
	printf("tcpdrop %s\n", TCPDROP_VERSION);
	report_flush_output();
	exit(0);
}

_Noreturn void
die_usage(struct options_result why)
{
	char *shown = why.culprit_text != NULL ? spell_escaped_operand(why.culprit_text) : NULL;

	switch (why.problem) {
	case OPTIONS_UNKNOWN_OPTION:
		if (why.culprit > 0x20 && why.culprit < 0x7f)
			warnx("unknown option -- %c", why.culprit);
		else
			warnx("unknown option -- \\x%02x", (unsigned char)why.culprit);
		break;
	case OPTIONS_MISSING_ARGUMENT:
		warnx("option requires an argument -- %c", why.culprit);
		break;
	case OPTIONS_UNKNOWN_STATE:
		if (state_meant(why.culprit_text) != NULL)
			warnx("unknown state: %s (did you mean %s?)", shown,
			    state_meant(why.culprit_text));
		else
			warnx("unknown state: %s", shown);
		break;
	case OPTIONS_BAD_NAME:
		warnx("bad name for -%c: '%s' (a name is at most %d letters, digits, '_', '-' "
		    "or '.')", why.culprit, shown, OPTIONS_NAME_MOST);
		break;
	case OPTIONS_EMPTY_NAME:
		warnx("empty name for -%c", why.culprit);
		break;
	case OPTIONS_BAD_NUMBER:
		if (why.culprit == 'I')
			warnx("bad number for -I: '%s' (whole seconds, from 0 to %d)", shown,
			    OPTIONS_IDLE_MOST);
		else
			warnx("bad number for -p: '%s' (a process id)", shown);
		break;
	case OPTIONS_OK:
	case OPTIONS_SYNOPSIS:
		break;
	}
	free(shown);
	usage_print(stderr);
	exit(1);
}
