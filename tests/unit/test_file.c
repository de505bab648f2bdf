/*
 * tcpdrop -f - against the scripted kernel (scripted_kernel.h): what a
 * list comes to with each answer the kernel can give to its batched
 * lookups and destroys.  A table of scenarios, as in test_drop.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "conn.h"
#include "scripted_kernel.h"
#include "unit.h"

/* The sockets the scripted kernel may hold. */
enum fixture {
	NONE,
	ESTABLISHED,
	OTHER,		/* established too, to another port */
	NEWER,		/* ESTABLISHED's addresses and ports, another socket (cookie) */
	FIXTURES,
};

static struct conn fixtures[FIXTURES];

/* One case: what the kernel holds and answers, the list, and what must come of it. */
struct scenario {
	const char *name;
	const char *list;		/* the lines given on standard input */
	enum fixture dump[4];		/* what dumps and lookups find, up to the first NONE */
	int destroy_errors[SCRIPTED_ANSWERS];	/* the answer to each destroy, in order */
	int status;
	const char *out, *err;
	size_t destroys;
};

#define ONE "127.0.0.1 8080 127.0.0.1 40000"
#define TWO "127.0.0.1 8080 127.0.0.1 40001"
#define MISSING "127.0.0.1 8080 127.0.0.1 40009"

#define NO_SOCK_DESTROY "tcpdrop: cannot drop connections: this kernel has no SOCK_DESTROY " \
	"(it was built without CONFIG_INET_DIAG_DESTROY)\n"

/* ESTABLISHED's cookie, as -l -k writes it (scripted_conn() numbers from 2^32). */
#define ONE_COOKIE "4294967296"

static const struct scenario scenarios[] = {
	{ "each line's connection is looked up and dropped", ONE "\n" TWO "\n",
	  .dump = { ESTABLISHED, OTHER }, .out = ONE ": dropped\n" TWO ": dropped\n", .err = "",
	  .destroys = 2 },
	{ "a line whose connection is not there is told, the rest still dropped, exit 1",
	  MISSING "\n" TWO "\n", .dump = { ESTABLISHED, OTHER }, .status = 1,
	  .out = TWO ": dropped\n", .err = "tcpdrop: " MISSING ": No such connection\n",
	  .destroys = 1 },
	{ "a connection gone between its lookup and its destroy is no failure",
	  ONE "\n" TWO "\n", .dump = { ESTABLISHED, OTHER }, .destroy_errors = { -ENOENT },
	  .out = TWO ": dropped\n", .err = "", .destroys = 2 },
	{ "a destroy refused is told, the rest still dropped, exit 1", ONE "\n" TWO "\n",
	  .dump = { ESTABLISHED, OTHER }, .destroy_errors = { -EIO }, .status = 1,
	  .out = TWO ": dropped\n", .err = "tcpdrop: " ONE ": Input/output error\n",
	  .destroys = 2 },
	{ "a kernel without SOCK_DESTROY: one message, exit 1", ONE "\n" TWO "\n",
	  .dump = { ESTABLISHED, OTHER }, .destroy_errors = { -EOPNOTSUPP, -EOPNOTSUPP },
	  .status = 1, .out = "", .err = NO_SOCK_DESTROY, .destroys = 2 },
	{ "a line with the cookie -l -k wrote drops that socket",
	  "tcpdrop " ONE " # cookie " ONE_COOKIE "\n", .dump = { ESTABLISHED },
	  .out = ONE ": dropped\n", .err = "", .destroys = 1 },
	{ "a line with a cookie never drops a newer socket with its addresses and ports: gone",
	  "tcpdrop " ONE " # cookie " ONE_COOKIE "\n", .dump = { NEWER }, .out = ONE ": gone\n",
	  .err = "", .destroys = 0 },
};

/* Script the kernel as a scenario says: lookups find what dumps find. */
static void
script(const struct scenario *scenario)
{
	struct scripted_kernel *kernel = &scripted_kernel;

	scripted_kernel_reset();
	kernel->lookup_in_dump = true;
	for (size_t i = 0; i < 4 && scenario->dump[i] != NONE; i++)
		kernel->dump[kernel->dump_count++] = fixtures[scenario->dump[i]];
	memcpy(kernel->destroy_errors, scenario->destroy_errors, sizeof(kernel->destroy_errors));
}

int
main(void)
{
	char *argv[] = { "tcpdrop", "-f", "-", NULL };

	fixtures[ESTABLISHED] = scripted_conn("127.0.0.1", 8080, "127.0.0.1", 40000,
	    TCP_STATE_ESTABLISHED);
	fixtures[OTHER] = scripted_conn("127.0.0.1", 8080, "127.0.0.1", 40001,
	    TCP_STATE_ESTABLISHED);
	fixtures[NEWER] = scripted_conn("127.0.0.1", 8080, "127.0.0.1", 40000,
	    TCP_STATE_ESTABLISHED);
	CHECK(fixtures[ESTABLISHED].cookie == strtoull(ONE_COOKIE, NULL, 10),
	    "the fixture has the cookie its lines name");

	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		const struct scenario *scenario = &scenarios[i];
		static struct scripted_result result;
		char name[256];

		script(scenario);
		scripted_run(argv, scenario->list, &result);
		snprintf(name, sizeof(name), "%s: exit status", scenario->name);
		CHECK(result.status == scenario->status, name);
		snprintf(name, sizeof(name), "%s: stdout", scenario->name);
		CHECK_STR(result.out, scenario->out, name);
		snprintf(name, sizeof(name), "%s: stderr", scenario->name);
		CHECK_STR(result.err, scenario->err, name);
		snprintf(name, sizeof(name), "%s: destroy requests", scenario->name);
		CHECK(result.destroys == scenario->destroys, name);
	}
	return unit_done();
}
