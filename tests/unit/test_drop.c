/*
 * What tcpdrop does with each answer the kernel can give, including ones
 * this machine's kernel never gives (no SOCK_DESTROY, no TIME_WAIT destroy):
 * a table of scenarios, each run against the scripted kernel
 * (scripted_kernel.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "conn.h"
#include "scripted_kernel.h"
#include "unit.h"

/*
 * MOST: destroys whose answers a scenario scripts.  MANY: past
 * BATCH_COLLECT_MOST, so that a bulk drop walks twice.
 */
enum { MOST = SCRIPTED_ANSWERS, MANY = 4200 };

_Static_assert(MANY + 4 <= SCRIPTED_SOCKETS, "a scenario's sockets fit in the scripted kernel");

/* The sockets the scripted kernel may hold. */
enum fixture {
	NONE,
	ESTABLISHED,
	OTHER,		/* established too, to another port */
	LISTENER,
	TIME_WAIT,
	ORPHAN,		/* an orphaned FIN_WAIT_2 held as a time-wait socket */
	BOUND,		/* ESTABLISHED's addresses and ports, bound to lo */
	TWIN,		/* the same, bound to no device, found first by the kernel */
	CLOSED,		/* FIN_WAIT_1, orphaned: its process closed it with data unsent */
	NOW_TIME_WAIT,	/* ESTABLISHED as it is after it closed: a time-wait socket, same cookie */
	UNPLUGGED,	/* ESTABLISHED's addresses and ports, bound to a device since deleted */
	FIXTURES,
};

static struct conn fixtures[FIXTURES];

/* One case: what the kernel holds and answers, the command, and what must come of it. */
struct scenario {
	const char *name;
	char *argv[8];
	enum fixture lookup;		/* what an exact lookup finds */
	enum fixture dump[4];		/* what a dump finds, up to the first NONE */
	int destroy_errors[MOST];	/* the answer to each destroy, in order */
	enum fixture skipped;		/* missed by the first walk */
	enum fixture kept;		/* never removed by a destroy */
	bool only_by_family;
	bool no_bytecode;
	bool needs_cgroup2;		/* -c: skipped where cgroup2 is not mounted */
	size_t many;			/* this many more established, dumped after the rest */
	int status;
	const char *out, *err;		/* out NULL: a "dropped" line for each destroy */
	size_t destroys;
	size_t dumps;			/* dump requests, one per family, if not 0 */
};

/* An index no interface has: that of a device since deleted. */
#define UNPLUGGED_INDEX 2147480000
#define UNPLUGGED_TEXT "2147480000"

#define NO_SOCK_DESTROY "tcpdrop: cannot drop connections: this kernel has no SOCK_DESTROY " \
	"(it was built without CONFIG_INET_DIAG_DESTROY)\n"
#define TUPLE "tcpdrop", "127.0.0.1", "8080", "127.0.0.1", "40000"
#define SHADOWED "tcpdrop: 127.0.0.1%lo 8080 127.0.0.1 40000: the kernel cannot drop it: " \
	"a connection with the same addresses and ports bound to no device comes first in its " \
	"lookup (drop that one first)\n"

#define NO_CGROUPS "tcpdrop: -c /: this kernel does not say which cgroup a socket was created " \
	"in (Linux 5.9 and later do, built with CONFIG_SOCK_CGROUP_DATA): no connection could be " \
	"selected\n"

#define TIME_WAIT_BEFORE_6 "tcpdrop: 127.0.0.1 40002 127.0.0.1 8080: time-wait sockets can be " \
	"dropped only on Linux 6.0 and later\n"
#define KEPT "tcpdrop: 127.0.0.1 8080 127.0.0.1 40004: not dropped: the kernel answered that it " \
	"was, and kept it (this kernel does not drop an orphaned connection, one that its process " \
	"closed)\n"

static const struct scenario scenarios[] = {
	{ "a tuple is dropped", { TUPLE }, .lookup = ESTABLISHED,
	  .out = "127.0.0.1 8080 127.0.0.1 40000: dropped\n", .err = "", .destroys = 1 },
	{ "a tuple found, then gone before its destroy: gone, not dropped", { TUPLE },
	  .lookup = ESTABLISHED, .destroy_errors = { -ENOENT }, .out = "", .err = "",
	  .destroys = 1 },
	{ "a kernel without SOCK_DESTROY, a tuple", { TUPLE }, .lookup = ESTABLISHED,
	  .destroy_errors = { -EOPNOTSUPP }, .status = 1, .out = "", .err = NO_SOCK_DESTROY,
	  .destroys = 1 },
	{ "a kernel without SOCK_DESTROY, -a: one message", { "tcpdrop", "-a" },
	  .lookup = ESTABLISHED, .dump = { ESTABLISHED, OTHER },
	  .destroy_errors = { -EOPNOTSUPP, -EOPNOTSUPP }, .status = 1, .out = "",
	  .err = NO_SOCK_DESTROY, .destroys = 2 },
	{ "refused as a time-wait socket, then not found: gone, no sign of a kernel without "
	  "SOCK_DESTROY", { "tcpdrop", "-a" }, .dump = { ESTABLISHED, OTHER },
	  .destroy_errors = { -EOPNOTSUPP, 0 }, .out = "127.0.0.1 8080 127.0.0.1 40001: dropped\n",
	  .err = "", .destroys = 2 },
	{ "TIME_WAIT on a kernel before 6.0", { "tcpdrop", "-s", "TIME_WAIT" },
	  .dump = { TIME_WAIT }, .destroy_errors = { -EOPNOTSUPP }, .status = 1, .out = "",
	  .err = TIME_WAIT_BEFORE_6, .destroys = 1 },
	{ "an orphaned FIN_WAIT_2 time-wait socket on a kernel before 6.0 is no fatal error",
	  { "tcpdrop", "-a" }, .dump = { ORPHAN, ESTABLISHED }, .destroy_errors = { -EOPNOTSUPP },
	  .status = 1, .out = "127.0.0.1 8080 127.0.0.1 40000: dropped\n",
	  .err = "tcpdrop: 127.0.0.1 40003 127.0.0.1 8080: time-wait sockets can be dropped "
	  "only on Linux 6.0 and later\n", .destroys = 2 },
	{ "TIME_WAIT named on a kernel before 6.0: the message -s gives", { "tcpdrop",
	  "127.0.0.1", "40002", "127.0.0.1", "8080" }, .lookup = TIME_WAIT,
	  .destroy_errors = { -EOPNOTSUPP }, .status = 1, .out = "", .err = TIME_WAIT_BEFORE_6,
	  .destroys = 1 },
	{ "an orphan the kernel says it destroyed, and keeps: not dropped, told once, exit 1",
	  { "tcpdrop", "-s", "FIN_WAIT_1" }, .lookup = CLOSED, .dump = { CLOSED }, .kept = CLOSED,
	  .status = 1, .out = "", .err = KEPT, .destroys = 1 },
	{ "with -a, the rest is dropped and the kept orphan told", { "tcpdrop", "-a" },
	  .lookup = CLOSED, .dump = { ESTABLISHED, CLOSED }, .kept = CLOSED, .status = 1,
	  .out = "127.0.0.1 8080 127.0.0.1 40000: dropped\n", .err = KEPT, .destroys = 2 },
	{ "an orphan named and kept", { "tcpdrop", "127.0.0.1", "8080", "127.0.0.1", "40004" },
	  .lookup = CLOSED, .kept = CLOSED, .status = 1, .out = "", .err = KEPT, .destroys = 1 },
	{ "an orphan the kernel destroys is dropped", { "tcpdrop", "-s", "FIN_WAIT_1" },
	  .lookup = CLOSED, .dump = { CLOSED }, .out = "127.0.0.1 8080 127.0.0.1 40004: dropped\n",
	  .err = "", .destroys = 1 },
	{ "-s ESTABLISHED, before 6.0: one that closed into TIME_WAIT before its destroy is gone",
	  { "tcpdrop", "-s", "ESTABLISHED" }, .dump = { ESTABLISHED, OTHER },
	  .lookup = NOW_TIME_WAIT, .destroy_errors = { -EOPNOTSUPP }, .status = 0,
	  .out = "127.0.0.1 8080 127.0.0.1 40001: dropped\n", .err = "", .destroys = 2 },
	{ "-a, before 6.0: one that closed into TIME_WAIT is a time-wait socket not dropped",
	  { "tcpdrop", "-a" }, .dump = { ESTABLISHED }, .lookup = NOW_TIME_WAIT,
	  .destroy_errors = { -EOPNOTSUPP }, .status = 1, .out = "",
	  .err = "tcpdrop: 127.0.0.1 8080 127.0.0.1 40000: time-wait sockets can be dropped only "
	  "on Linux 6.0 and later\n", .destroys = 1 },
	{ "a lookup that falls back to a listener destroys nothing",
	  { "tcpdrop", "127.0.0.1", "8080", "127.0.0.1", "9" }, .lookup = LISTENER,
	  .dump = { LISTENER }, .status = 1, .out = "",
	  .err = "tcpdrop: 127.0.0.1 8080 127.0.0.1 9: No such connection\n" },
	{ "a connection gone before its turn is no failure", { "tcpdrop", "-a" },
	  .dump = { ESTABLISHED, OTHER, LISTENER }, .destroy_errors = { 0, -ENOENT },
	  .out = "127.0.0.1 8080 127.0.0.1 40000: dropped\n", .err = "", .destroys = 2 },
	{ "one failure is told, the rest still dropped, exit 1", { "tcpdrop", "-s", "ESTABLISHED" },
	  .dump = { ESTABLISHED, OTHER }, .destroy_errors = { -EIO }, .status = 1,
	  .out = "127.0.0.1 8080 127.0.0.1 40001: dropped\n",
	  .err = "tcpdrop: 127.0.0.1 8080 127.0.0.1 40000: Input/output error\n", .destroys = 2 },
	{ "no privilege, -a", { "tcpdrop", "-a" }, .dump = { ESTABLISHED },
	  .destroy_errors = { -EPERM }, .status = 1, .out = "",
	  .err = "tcpdrop: cannot drop connections: Operation not permitted (dropping needs "
	  "CAP_NET_ADMIN in the network namespace)\n", .destroys = 1 },
	{ "a kernel without the older dump request is walked family by family",
	  { "tcpdrop", "-l", "-a" }, .dump = { ESTABLISHED, OTHER, LISTENER },
	  .only_by_family = true,
	  .out = "tcpdrop 127.0.0.1 8080 127.0.0.1 40000\ntcpdrop 127.0.0.1 8080 127.0.0.1 40001\n",
	  .err = "" },
	{ "a selection of a few is walked once, and destroyed after the walk", { "tcpdrop", "-a" },
	  .dump = { ESTABLISHED, OTHER },
	  .out = "127.0.0.1 8080 127.0.0.1 40000: dropped\n127.0.0.1 8080 127.0.0.1 40001: dropped\n",
	  .err = "", .destroys = 2, .dumps = 2 },
	{ "a kernel that refuses the filter is asked without it, and tcpdrop filters",
	  { "tcpdrop", "-l", "*", "*", "*", "40001" }, .dump = { ESTABLISHED, OTHER, LISTENER },
	  .no_bytecode = true, .out = "tcpdrop 127.0.0.1 8080 127.0.0.1 40001\n", .err = "",
	  .dumps = 2 },
	{ "a pattern's selection is filtered by the kernel, and checked again",
	  { "tcpdrop", "*", "8080", "127.0.0.0/8", "40000-40000" },
	  .dump = { ESTABLISHED, OTHER, LISTENER, TIME_WAIT },
	  .out = "127.0.0.1 8080 127.0.0.1 40000: dropped\n", .err = "", .destroys = 1, .dumps = 2 },
	{ "-S where no socket's upper layer protocol was named: walked again, privileged",
	  { "tcpdrop", "-l", "-S", "mptcp" }, .dump = { ESTABLISHED }, .out = "", .err = "",
	  .dumps = 4 },
	{ "-c on a kernel that gives no socket's cgroup (before 5.9): told, nothing dropped, exit 1",
	  { "tcpdrop", "-c", "/" }, .dump = { ESTABLISHED, TIME_WAIT }, .needs_cgroup2 = true,
	  .status = 1, .out = "", .err = NO_CGROUPS, .destroys = 0 },
	{ "-l -c on such a kernel: told, nothing listed, exit 1", { "tcpdrop", "-l", "-c", "/" },
	  .dump = { ESTABLISHED }, .needs_cgroup2 = true, .status = 1, .out = "",
	  .err = NO_CGROUPS, .destroys = 0 },
	{ "-c where only time-wait sockets came, which have no cgroup: nothing told",
	  { "tcpdrop", "-c", "/" }, .dump = { TIME_WAIT }, .needs_cgroup2 = true, .out = "",
	  .err = "", .destroys = 0 },
	{ "past 4096, -a destroys as it walks, then walks again for what the first walk skipped",
	  { "tcpdrop", "-a" }, .dump = { ESTABLISHED }, .many = MANY, .skipped = ESTABLISHED,
	  .out = NULL, .err = "", .destroys = MANY + 1, .dumps = 4 },
	{ "past 4096 with -l: one walk lists all", { "tcpdrop", "-l", "-s", "ESTABLISHED" },
	  .dump = { OTHER }, .many = MANY - 1, .out = NULL, .err = "", .dumps = 2 },
	{ "-l destroys nothing", { "tcpdrop", "-l", "-a" }, .dump = { ESTABLISHED },
	  .out = "tcpdrop 127.0.0.1 8080 127.0.0.1 40000\n", .err = "" },
	{ "a name without a device, bound to one since deleted: no interface has it, a walk finds it",
	  { TUPLE }, .lookup = UNPLUGGED, .dump = { UNPLUGGED },
	  .out = "127.0.0.1%" UNPLUGGED_TEXT " 8080 127.0.0.1 40000: dropped\n", .err = "",
	  .destroys = 1, .dumps = 2 },
	{ "its index names it, the device gone", { "tcpdrop", "127.0.0.1%" UNPLUGGED_TEXT, "8080",
	  "127.0.0.1", "40000" }, .lookup = UNPLUGGED, .dump = { UNPLUGGED },
	  .out = "127.0.0.1%" UNPLUGGED_TEXT " 8080 127.0.0.1 40000: dropped\n", .err = "",
	  .destroys = 1 },
	{ "-l spells it with the index", { "tcpdrop", "-l", "-a" }, .dump = { UNPLUGGED },
	  .out = "tcpdrop 127.0.0.1%" UNPLUGGED_TEXT " 8080 127.0.0.1 40000\n", .err = "" },
	{ "a name without a device, on one that exists and one deleted: both listed, none dropped",
	  { TUPLE }, .lookup = BOUND, .dump = { BOUND, UNPLUGGED }, .status = 1, .out = "",
	  .err = "tcpdrop: 127.0.0.1 8080 127.0.0.1 40000: 2 connections match, on different "
	  "devices; name one of them:\ntcpdrop 127.0.0.1%lo 8080 127.0.0.1 40000\n"
	  "tcpdrop 127.0.0.1%" UNPLUGGED_TEXT " 8080 127.0.0.1 40000\n", .destroys = 0 },
	{ "a name no walk finds either is no connection", { TUPLE }, .dump = { OTHER },
	  .status = 1, .out = "", .err = "tcpdrop: 127.0.0.1 8080 127.0.0.1 40000: No such "
	  "connection\n", .dumps = 2 },
	{ "a device-bound connection hidden by an unbound twin is said to be undroppable",
	  { "tcpdrop", "127.0.0.1%lo", "8080", "127.0.0.1", "40000" }, .lookup = TWIN,
	  .dump = { TWIN, BOUND }, .status = 1, .out = "", .err = SHADOWED, .destroys = 0 },
	{ "an unbound twin alone is no device-bound connection",
	  { "tcpdrop", "127.0.0.1%lo", "8080", "127.0.0.1", "40000" }, .lookup = TWIN,
	  .dump = { TWIN }, .status = 1, .out = "",
	  .err = "tcpdrop: 127.0.0.1%lo 8080 127.0.0.1 40000: No such connection\n" },
	{ "-a: a device-bound connection whose destroys find nothing, and stays, is a failure",
	  { "tcpdrop", "-a" }, .dump = { BOUND }, .kept = BOUND,
	  .destroy_errors = { -ENOENT, -ENOENT }, .status = 1, .out = "", .err = SHADOWED,
	  .destroys = 1 },
};

static bool
cgroup2_mounted(void)
{
	FILE *mounts = fopen("/proc/self/mountinfo", "r");
	char line[4096];
	bool found = false;

	while (mounts != NULL && !found && fgets(line, sizeof(line), mounts) != NULL)
		found = strstr(line, " - cgroup2 ") != NULL;
	if (mounts != NULL)
		fclose(mounts);
	return found;
}

/*
 * Output of a scenario with many sockets: a line for each of them, listed
 * (-l) or dropped, and the first fixture's among them.
 */
static bool
every_one(const char *out, const struct scenario *scenario)
{
	bool list = strcmp(scenario->argv[1], "-l") == 0;
	const struct conn *first = &fixtures[scenario->dump[0]];
	char line[128];
	size_t lines = 0;

	for (const char *at = out; (at = strchr(at, '\n')) != NULL; at++)
		lines++;
	if (list)
		snprintf(line, sizeof(line), "tcpdrop 127.0.0.1 %u 127.0.0.1 %u\n",
		    first->local_port, first->foreign_port);
	else
		snprintf(line, sizeof(line), "127.0.0.1 %u 127.0.0.1 %u: dropped\n",
		    first->local_port, first->foreign_port);
	return lines == scenario->many + 1 && strstr(out, line) != NULL &&
	    strstr(out, list ? ": dropped" : "tcpdrop ") == NULL;
}

/* Script the kernel as a scenario says. */
static void
script(const struct scenario *scenario)
{
	struct scripted_kernel *kernel = &scripted_kernel;

	scripted_kernel_reset();
	kernel->lookup = scenario->lookup != NONE ? &fixtures[scenario->lookup] : NULL;
	for (size_t i = 0; i < 4 && scenario->dump[i] != NONE; i++)
		kernel->dump[kernel->dump_count++] = fixtures[scenario->dump[i]];
	for (size_t i = 0; i < scenario->many; i++)
		kernel->dump[kernel->dump_count++] = scripted_conn("127.0.0.1", 8080, "127.0.0.2",
		    (unsigned)(20000 + i), TCP_STATE_ESTABLISHED);
	memcpy(kernel->destroy_errors, scenario->destroy_errors, sizeof(kernel->destroy_errors));
	kernel->skipped = scenario->skipped != NONE ? fixtures[scenario->skipped].cookie : 0;
	kernel->only_by_family = scenario->only_by_family;
	kernel->no_bytecode = scenario->no_bytecode;
	kernel->kept = scenario->kept != NONE ? fixtures[scenario->kept].cookie : 0;
}

int
main(void)
{
	fixtures[ESTABLISHED] = scripted_conn("127.0.0.1", 8080, "127.0.0.1", 40000,
	    TCP_STATE_ESTABLISHED);
	fixtures[OTHER] = scripted_conn("127.0.0.1", 8080, "127.0.0.1", 40001,
	    TCP_STATE_ESTABLISHED);
	fixtures[LISTENER] = scripted_conn("127.0.0.1", 8080, "0.0.0.0", 0, TCP_STATE_LISTEN);
	fixtures[TIME_WAIT] = scripted_conn("127.0.0.1", 40002, "127.0.0.1", 8080,
	    TCP_STATE_TIME_WAIT);
	fixtures[ORPHAN] = scripted_conn("127.0.0.1", 40003, "127.0.0.1", 8080,
	    TCP_STATE_FIN_WAIT2);
	fixtures[ORPHAN].time_wait_socket = true;
	fixtures[BOUND] = scripted_conn("127.0.0.1", 8080, "127.0.0.1", 40000,
	    TCP_STATE_ESTABLISHED);
	fixtures[BOUND].ifindex = 1;
	fixtures[TWIN] = scripted_conn("127.0.0.1", 8080, "127.0.0.1", 40000,
	    TCP_STATE_ESTABLISHED);
	fixtures[UNPLUGGED] = scripted_conn("127.0.0.1", 8080, "127.0.0.1", 40000,
	    TCP_STATE_ESTABLISHED);
	fixtures[UNPLUGGED].ifindex = UNPLUGGED_INDEX;
	fixtures[CLOSED] = scripted_conn("127.0.0.1", 8080, "127.0.0.1", 40004,
	    TCP_STATE_FIN_WAIT1);
	fixtures[CLOSED].orphan = true;
	fixtures[NOW_TIME_WAIT] = fixtures[ESTABLISHED];
	fixtures[NOW_TIME_WAIT].state = TCP_STATE_TIME_WAIT;
	fixtures[NOW_TIME_WAIT].time_wait_socket = true;

	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		const struct scenario *scenario = &scenarios[i];
		static struct scripted_result result;
		char name[256];

		if (scenario->needs_cgroup2 && !cgroup2_mounted()) {
			unit_skip(scenario->name, "cgroup2 is not mounted here");
			continue;
		}
		script(scenario);
		scripted_run((char **)scenario->argv, NULL, &result);
		snprintf(name, sizeof(name), "%s: exit status", scenario->name);
		CHECK(result.status == scenario->status, name);
		snprintf(name, sizeof(name), "%s: stdout", scenario->name);
		if (scenario->out != NULL)
			CHECK_STR(result.out, scenario->out, name);
		else
			CHECK(every_one(result.out, scenario), name);
		snprintf(name, sizeof(name), "%s: stderr", scenario->name);
		CHECK_STR(result.err, scenario->err, name);
		snprintf(name, sizeof(name), "%s: destroy requests", scenario->name);
		CHECK(result.destroys == scenario->destroys, name);
		if (scenario->dumps != 0) {
			snprintf(name, sizeof(name), "%s: walks", scenario->name);
			CHECK(result.dumps == scenario->dumps, name);
		}
	}
	return unit_done();
}
