/* tcpdrop: drop TCP connections.  See tcpdrop(8). */
#include "drop.h"
#include "netns.h"
#include "options.h"
#include "report.h"

int
main(int argc, char *argv[])
{
	struct settings settings;
	struct options_result parsed = options_parse(argc, argv, &settings);

	if (parsed.problem != OPTIONS_OK)
		report_usage(parsed);
	if (settings.help)
		report_help();
	if (settings.version)
		report_version();
	if (settings.netns != NULL)
		netns_enter(settings.netns);
	return tcpdrop(&settings) ? 0 : 1;
}
