/* tcpdrop: drop TCP connections.  See tcpdrop(8). */
#include "drop.h"
#include "options.h"
#include "report.h"

int
main(int argc, char *argv[])
{
	struct settings settings;
	struct options_result parsed = options_parse(argc, argv, &settings);

	if (parsed.problem != OPTIONS_OK)
		report_usage(parsed);
	return tcpdrop(&settings) ? 0 : 1;
}
