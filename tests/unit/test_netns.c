/* -N paths as -l judges them: spelt any way, taken apart lexically. */
#include <stdlib.h>

#include "netns.h"
#include "unit.h"

int
main(void)
{
	static const struct {
		const char *path;
		const char *clean;
	} cases[] = {
		{ "/proc/self/ns/net", "/proc/self/ns/net" },
		{ "//proc/self/ns/net", "/proc/self/ns/net" },
		{ "/proc//self/ns/net", "/proc/self/ns/net" },
		{ "/proc/./self/ns/net", "/proc/self/ns/net" },
		{ "/proc/../proc/self/ns/net", "/proc/self/ns/net" },
		{ "/../../proc/self/ns/net/", "/proc/self/ns/net" },
		{ "/run/netns/.hidden", "/run/netns/.hidden" },
		{ "/run/netns/..x", "/run/netns/..x" },
		{ "/run/netns/a/..", "/run/netns" },
		{ "/", "/" },
		{ "//", "/" },
		{ "/..", "/" },
		{ "/./.", "/" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *clean = netns_lexical_path(cases[i].path);

		CHECK_STR(clean, cases[i].clean, cases[i].path);
		free(clean);
	}
	return unit_done();
}
