/* Option parsing with getopt(3) and FreeBSD's usage rules. */
#include "options.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pattern.h"
#include "states.h"

bool
settings_narrow(const struct settings *settings)
{
	return settings->states != 0 || settings->ulp != NULL || settings->algorithm != NULL ||
	    settings->family != 0 || settings->user != NULL || settings->cgroup != NULL ||
	    settings->pid != 0 || settings->by_idle;
}

bool
settings_bulk(const struct settings *settings)
{
	return settings->all || settings_narrow(settings) || (settings->operand_count > 0 &&
	    (settings->list || pattern_in_operands(settings->operands, settings->operand_count)));
}

/* A decimal number from 1 (0 if zero is allowed) to most, nothing else. */
static bool
number(const char *text, unsigned long long least, unsigned long long most,
    unsigned long long *value)
{
	size_t digits = strspn(text, "0123456789");

	if (digits == 0 || text[digits] != '\0' || digits - strspn(text, "0") > 19)
		return false;
	*value = strtoull(text, NULL, 10);
	return *value >= least && *value <= most;
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
	bool operands_allowed = settings->operand_count == 0 || settings->operand_count == 2 ||
	    settings->operand_count == 4;

	if (settings->cookies && !settings->list)
		return false;
	if (settings->file != NULL)
		return !settings->all && !settings_narrow(settings) && !settings->list &&
		    settings->operand_count == 0;
	/* -a means every connection: narrowing it makes no sense. */
	if (settings->all)
		return !settings_narrow(settings) && settings->operand_count == 0;
	if (settings_narrow(settings) || settings->list)
		return operands_allowed &&
		    (settings_narrow(settings) || settings->operand_count > 0);
	return settings->operand_count == 2 || settings->operand_count == 4;
}

struct options_result
options_parse(int argc, char *argv[], struct settings *settings)
{
	unsigned long long value;
	int option;

	memset(settings, 0, sizeof(*settings));
	/* Reset getopt so that the parser can run more than once (the tests do). */
	optind = 0;
	opterr = 0;
	/* '+': stop at the first operand, so that operands may start with '-'. */
	while ((option = getopt(argc, argv, "+:46ahklC:c:f:I:N:p:S:s:u:V")) != -1) {
		switch (option) {
		case '4':
			settings->family = AF_INET;
			break;
		case '6':
			settings->family = AF_INET6;
			break;
		case 'a':
			settings->all = true;
			break;
		case 'c':
			settings->cgroup = optarg;
			break;
		case 'I':
			if (!number(optarg, 0, OPTIONS_IDLE_MOST, &value))
				return problem(OPTIONS_BAD_NUMBER, 'I', optarg);
			settings->by_idle = true;
			settings->idle_seconds = value;
			break;
		case 'k':
			settings->cookies = true;
			break;
		case 'p':
			/* Process ids are below PID_MAX_LIMIT, 2^22. */
			if (!number(optarg, 1, (1 << 22) - 1, &value))
				return problem(OPTIONS_BAD_NUMBER, 'p', optarg);
			settings->pid = (long)value;
			break;
		case 'u':
			settings->user = optarg;
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
			settings->ulp = optarg;
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
	if (settings->ulp != NULL && settings->ulp[0] == '\0')
		return problem(OPTIONS_EMPTY_NAME, 'S', NULL);
	if (settings->algorithm != NULL && settings->algorithm[0] == '\0')
		return problem(OPTIONS_EMPTY_NAME, 'C', NULL);
	if (settings->netns != NULL && settings->netns[0] == '\0')
		return problem(OPTIONS_EMPTY_NAME, 'N', NULL);
	if (settings->user != NULL && settings->user[0] == '\0')
		return problem(OPTIONS_EMPTY_NAME, 'u', NULL);
	if (settings->cgroup != NULL && settings->cgroup[0] == '\0')
		return problem(OPTIONS_EMPTY_NAME, 'c', NULL);
	if (settings->ulp != NULL && !options_name_valid(settings->ulp))
		return problem(OPTIONS_BAD_NAME, 'S', settings->ulp);
	if (settings->algorithm != NULL && !options_name_valid(settings->algorithm))
		return problem(OPTIONS_BAD_NAME, 'C', settings->algorithm);
	if (!synopsis_allows(settings))
		return problem(OPTIONS_SYNOPSIS, 0, NULL);
	return problem(OPTIONS_OK, 0, NULL);
}
