/* Option parsing with getopt(3) and FreeBSD's usage rules. */
#include "options.h"

#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "states.h"

bool
settings_bulk(const struct settings *settings)
{
	return settings->all || settings->states != 0 || settings->stack != NULL ||
	    settings->algorithm != NULL;
}

bool
options_name_valid(const char *name)
{
	size_t length = strlen(name);

	return length > 0 && length <= OPTIONS_NAME_MOST &&
	    strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") ==
	    length;
}

static struct options_result
problem(enum options_problem problem, char culprit, const char *culprit_text)
{
	return (struct options_result){ problem, culprit, culprit_text };
}

static bool
synopsis_allows(const struct settings *settings)
{
	if (settings->file != NULL)
		return !settings_bulk(settings) && !settings->list && settings->operand_count == 0;
	if (settings_bulk(settings)) {
		/* -a means every connection: narrowing it makes no sense. */
		if (settings->all && (settings->states != 0 || settings->stack != NULL ||
		    settings->algorithm != NULL))
			return false;
		return settings->operand_count == 0;
	}
	if (settings->list)
		return false;
	return settings->operand_count == 2 || settings->operand_count == 4;
}

struct options_result
options_parse(int argc, char *argv[], struct settings *settings)
{
	int option;

	memset(settings, 0, sizeof(*settings));
	/* Reset getopt so that the parser can run more than once (the tests do). */
	optind = 0;
	opterr = 0;
	/* '+': stop at the first operand, so that operands may start with '-'. */
	while ((option = getopt(argc, argv, "+:ahlC:f:N:S:s:V")) != -1) {
		switch (option) {
		case 'a':
			settings->all = true;
			break;
		case 'h':
			settings->help = true;
			break;
		case 'l':
			settings->list = true;
			break;
		case 'N':
			settings->netns = optarg;
			break;
		case 'V':
			settings->version = true;
			break;
		case 'C':
			settings->algorithm = optarg;
			break;
		case 'f':
			settings->file = optarg;
			break;
		case 'S':
			settings->stack = optarg;
			break;
		case 's':
			settings->states = state_mask_by_name(optarg);
			if (settings->states == 0)
				return problem(OPTIONS_UNKNOWN_STATE, 's', optarg);
			break;
		case ':':
			return problem(OPTIONS_MISSING_ARGUMENT, (char)optopt, NULL);
		default:
			return problem(OPTIONS_UNKNOWN_OPTION, (char)optopt, NULL);
		}
	}
	settings->operands = argv + optind;
	settings->operand_count = argc - optind;
	if (settings->help || settings->version)
		return problem(OPTIONS_OK, 0, NULL);

	/* An empty name could only ever match nothing: surely a mistake. */
	if (settings->stack != NULL && settings->stack[0] == '\0')
		return problem(OPTIONS_EMPTY_NAME, 'S', NULL);
	if (settings->algorithm != NULL && settings->algorithm[0] == '\0')
		return problem(OPTIONS_EMPTY_NAME, 'C', NULL);
	if (settings->netns != NULL && settings->netns[0] == '\0')
		return problem(OPTIONS_EMPTY_NAME, 'N', NULL);
	if (settings->stack != NULL && !options_name_valid(settings->stack))
		return problem(OPTIONS_BAD_NAME, 'S', settings->stack);
	if (settings->algorithm != NULL && !options_name_valid(settings->algorithm))
		return problem(OPTIONS_BAD_NAME, 'C', settings->algorithm);
	if (!synopsis_allows(settings))
		return problem(OPTIONS_SYNOPSIS, 0, NULL);
	return problem(OPTIONS_OK, 0, NULL);
}
