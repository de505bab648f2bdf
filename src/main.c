/* tcpdrop: drop TCP connections.  See tcpdrop(8). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netns.h"
#include "offered.h"
#include "options.h"
#include "report.h"
#include "tcpdrop.h"
#include "usage.h"

/*
 * Descriptors 0, 1 and 2 are open before tcpdrop opens anything: started
 * with one closed, the first socket would take its number, and reports
 * would go into the netlink socket, or -f - would read from it.  Returns
 * whether standard input was closed.
 */
static bool
open_standard_descriptors(void)
{
	bool input_closed = fcntl(STDIN_FILENO, F_GETFD) < 0;

	for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		if (open("/dev/null", O_RDWR) != fd)
			_exit(1);
	}
	return input_closed;
}

int
main(int argc, char *argv[])
{
	bool input_closed = open_standard_descriptors();
	struct settings settings;
	struct options_result parsed = options_parse(argc, argv, &settings);

	if (parsed.problem != OPTIONS_OK)
		die_usage(parsed);
	if (settings.help)
		exit_help();
	if (settings.version)
		exit_version();
	if (input_closed && settings.file != NULL && strcmp(settings.file, "-") == 0)
		die_input_closed();
	offered_check(settings.ulp, settings.algorithm);
	if (settings.netns != NULL)
		netns_enter(settings.netns);
	return tcpdrop(&settings) ? 0 : 1;
}
