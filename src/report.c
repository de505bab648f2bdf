/* The words tcpdrop says, and where it says them. */
#include "report.h"
#include "alloc.h"
#include "netns.h"
#include "outcome.h"
#include "owners.h"
#include "spell.h"
#include "states.h"
#include "usage.h"

#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

static char *escaped(const char *text);
static char *escaped_whole(const char *text);
static void report_line(const char *path, unsigned long line, const char *why);

/* The error of the first write of standard output that failed, and the drops reported. */
static int output_error;
static unsigned long dropped_count;

void
report_dropped(const struct conn *conn)
{
	char text[SPELL_CONN_LENGTH];

	spell_conn(conn, text, sizeof(text));
	printf("%s: dropped\n", text);
	dropped_count++;
}

void
report_listed(const struct conn *conn, const char *netns, bool cookie)
{
	line_print(stdout, conn, netns, cookie);
}

void
report_gone(const struct conn *conn)
{
	char text[SPELL_CONN_LENGTH];

	spell_conn(conn, text, sizeof(text));
	printf("%s: gone\n", text);
}

void
report_ambiguous(const struct conn *named, const struct conn *candidates, size_t count,
    const char *netns)
{
	char text[SPELL_CONN_LENGTH];

	spell_conn(named, text, sizeof(text));
	warnx("%s: %zu connections match, on different devices; name one of them:", text,
	    count);
	for (size_t i = 0; i < count; i++)
		line_print(stderr, &candidates[i], netns, false);
}

void
report_shadowed(const struct conn *conn)
{
	char text[SPELL_CONN_LENGTH];

	spell_conn(conn, text, sizeof(text));
	warnx("%s: the kernel cannot drop it: a connection with the same addresses and ports "
	    "bound to no device comes first in its lookup (drop that one first)", text);
}

void
report_failed(const struct conn *conn, int error)
{
	char text[SPELL_CONN_LENGTH];
	const char *reason = strerror(-error);

	if (error == -ENOENT)
		reason = "No such connection";
	else if (error == DESTROY_KEPT)
		reason = "not dropped: the kernel answered that it was, and kept it (this kernel "
		    "does not drop an orphaned connection, one that its process closed)";
	else if ((error == -EOPNOTSUPP && conn->time_wait_socket) || error == DESTROY_NOW_TIME_WAIT)
		reason = "time-wait sockets can be dropped only on Linux 6.0 and later";
	spell_conn(conn, text, sizeof(text));
	warnx("%s: %s", text, reason);
}

_Noreturn void
die_cannot_drop(int error)
{
	if (error == -EOPNOTSUPP)
		errx(1, "cannot drop connections: this kernel has no SOCK_DESTROY "
		    "(it was built without CONFIG_INET_DIAG_DESTROY)");
	errx(1, "cannot drop connections: %s (dropping needs CAP_NET_ADMIN "
	    "in the network namespace)", strerror(-error));
}

/* An operand: cut, since it may be anything of any length. */
static char *
escaped(const char *text)
{
	return spell_escaped_operand(text);
}

/* A path or a name, which is shown whole. */
static char *
escaped_whole(const char *text)
{
	return spell_escaped(text);
}

static void
report_line(const char *path, unsigned long line, const char *why)
{
	char *shown = escaped_whole(path);

	warnx("%s:%lu: %s", shown, line, why);
	free(shown);
}

/*
 * Why operands name nothing, as a malloc'd sentence, user text escaped:
 * each kind worded here once, for tuples, patterns and -f lines.
 */
static char *
operand_reason(const struct operand_problem *problem)
{
	char *text = escaped(problem->text), *port = escaped(problem->port);
	char *reason = NULL;

	switch (problem->kind) {
	case OPERAND_NOT_ENDPOINT:
		reason = xasprintf("not an address and port: '%s'", text);
		break;
	case OPERAND_BAD_PORT:
		reason = xasprintf("bad port: '%s' (a port is a number from 0 to 65535%s "
		    "or a service name)", text,
		    problem->pattern ? ", a range such as 8000-8999, '*'" : "");
		break;
	case OPERAND_BAD_HOST:
		reason = xasprintf("bad address: '%s'", text);
		break;
	case OPERAND_BAD_DEVICE:
		reason = xasprintf("bad address: '%s' (no such device)", text);
		break;
	case OPERAND_OTHER_DEVICE:
		reason = xasprintf("bad address: '%s' (another device than the other "
		    "address's)", text);
		break;
	case OPERAND_UNRESOLVED:
		/* A pattern's address is looked up without a port. */
		reason = xasprintf("getaddrinfo: %s%s%s: %s", text,
		    problem->port[0] != '\0' ? " port " : "", port,
		    problem->resolver == EAI_SYSTEM ? strerror(problem->system_error) :
		    gai_strerror(problem->resolver));
		break;
	case OPERAND_FAMILIES: {
		char *foreign = escaped(problem->foreign);
		char *foreign_port = escaped(problem->foreign_port);

		reason = xasprintf("%s %s %s %s: different address families", text, port,
		    foreign, foreign_port);
		free(foreign);
		free(foreign_port);
		break;
	}
	case OPERAND_MISPLACED_STAR:
		reason = xasprintf("bad pattern: '%s' ('*' stands alone, for any address or "
		    "any port)", text);
		break;
	case OPERAND_BAD_PREFIX:
		reason = xasprintf("bad prefix: '%s' (a numeric address, '/' and a length "
		    "of at most 32 for IPv4, 128 for IPv6)", text);
		break;
	case OPERAND_BAD_RANGE:
		reason = xasprintf("bad port range: '%s' (the first port is above the last)",
		    text);
		break;
	case OPERAND_UNKNOWN_SERVICE:
		reason = xasprintf("unknown service: '%s'", text);
		break;
	}
	free(text);
	free(port);
	return reason;
}

_Noreturn void
die_owner_failed(char option, const char *name, const char *where, int error)
{
	char *shown = escaped(name);
	char *place = where != NULL ? escaped_whole(where) : NULL;

	switch (option) {
	case 'u':
		if (error == OWNERS_NO_SUCH_USER)
			errx(1, "unknown user: '%s'", shown);
		errx(1, "user '%s': %s", shown, strerror(-error));
	case 'c':
		errx(1, "cgroup '%s' (%s): %s", shown, place != NULL ? place : "?",
		    error == OWNERS_NOT_A_CGROUP ? "not a cgroup v2 directory" : strerror(-error));
	default:
		if (error == OWNERS_NO_PROC)
			errx(1, "process %s: cannot read /proc/%s/fd: no /proc is mounted", shown,
			    shown);
		/* A process that is gone, or never was, has no directory in /proc. */
		errx(1, "process %s: %s", shown, strerror(error == -ENOENT ? ESRCH : -error));
	}
}

_Noreturn void
die_user_ambiguous(const char *name, uint32_t uid, int error)
{
	char *shown = escaped(name);

	if (error == OWNERS_OVERFLOW_UID)
		errx(1, "user '%s': uid %" PRIu32 " is the overflow uid, which the kernel shows as the "
		    "owner of every socket whose user this user namespace does not map: run tcpdrop "
		    "in the initial user namespace", shown, uid);
	errx(1, "user '%s': cannot read %s, to tell whether uid %" PRIu32 " stands for every user "
	    "this user namespace does not map: %s", shown, OWNERS_UID_MAP, uid, strerror(-error));
}

_Noreturn void
die_cgroup2_unknown(const char *cgroup, int error)
{
	char *shown = escaped(cgroup);

	if (error == OWNERS_NO_CGROUP2)
		errx(1, "cgroup '%s': no cgroup2 file system is mounted here (ip netns exec "
		    "mounts a /sys of its own: run tcpdrop -N instead)", shown);
	errx(1, "cgroup '%s': cannot read %s: %s", shown, OWNERS_MOUNT_TABLE, strerror(-error));
}

void
report_operand_problem(const struct operand_problem *problem)
{
	char *reason = operand_reason(problem);

	warnx("%s", reason);
	free(reason);
	/* An operand that is no address and port is a command line the synopsis does not allow. */
	if (problem->kind == OPERAND_NOT_ENDPOINT) {
		usage_print(stderr);
		exit(1);
	}
}

void
report_line_tuple(const char *path, unsigned long line, const struct operand_problem *problem)
{
	char *reason = operand_reason(problem);

	report_line(path, line, reason);
	free(reason);
}

void
report_line_words(const char *path, unsigned long line, int words)
{
	char why[64];

	snprintf(why, sizeof(why), "expected 2 or 4 operands, found %d", words);
	report_line(path, line, why);
}

void
report_line_pattern(const char *path, unsigned long line)
{
	report_line(path, line, "a pattern ('*', a prefix or a port range): -f takes connections, "
	    "one per line; list them with tcpdrop -l");
}

_Noreturn void
die_file_failed(const char *path)
{
	int saved = errno;
	char *shown = escaped_whole(path);

	errno = saved;
	err(1, "%s", shown);
}

_Noreturn void
die_input_closed(void)
{
	errx(1, "(stdin): %s (standard input is closed)", strerror(EBADF));
}

static const char *
netns_reason(int error)
{
	return error == NETNS_NOT_A_NAMESPACE ? "not a network namespace" : strerror(-error);
}

_Noreturn void
die_netns_failed(const char *path, int error)
{
	char *shown = escaped_whole(path);

	errx(1, "network namespace %s: %s", shown, netns_reason(error));
}

_Noreturn void
die_netns_enter_failed(const char *path, int error)
{
	char *shown = escaped_whole(path);

	errx(1, "cannot enter network namespace %s: %s", shown, strerror(-error));
}

_Noreturn void
die_netns_unlistable(const char *name)
{
	char *shown = escaped_whole(name);

	errx(1, "network namespace %s: -l cannot name it in a command that means the same "
	    "wherever it runs: give a name or an absolute path of plain text, not relative to "
	    "here or to this process", shown);
}

void
report_line_problem(const char *path, unsigned long line, enum line_problem problem,
    const char *culprit)
{
	char *shown = culprit != NULL ? escaped(culprit) : NULL, *why = NULL;

	switch (problem) {
	case LINE_OPEN_QUOTE:
		why = xasprintf("a quote is not closed");
		break;
	case LINE_NETNS_MISSING:
		why = xasprintf("-N without a network namespace");
		break;
	case LINE_OPTION:
		why = xasprintf("unknown option '%s' (a line may give only -N)", shown);
		break;
	case LINE_BAD_COOKIE:
		why = xasprintf("bad cookie comment '%s': -l -k ends a line with '# cookie N' "
		    "(N a number below 18446744073709551615; text may follow it), and a line meant "
		    "for one socket is not dropped by its addresses alone", shown);
		break;
	case LINE_OK:
		why = xasprintf("no problem");
		break;
	}
	report_line(path, line, why);
	free(why);
	free(shown);
}

void
report_line_nul(const char *path, unsigned long line)
{
	report_line(path, line, "a NUL byte in the line");
}

void
report_line_netns(const char *path, unsigned long line, const char *netns, int error)
{
	char *shown = escaped_whole(netns), *why = NULL;

	why = xasprintf("network namespace %s: %s", shown, netns_reason(error));
	report_line(path, line, why);
	free(why);
	free(shown);
}

void
report_line_own_netns_unknown(const char *path, unsigned long line, const char *netns, int error)
{
	char *shown = escaped_whole(netns), *why = NULL;

	why = xasprintf("network namespace %s: cannot compare it with the one this run acts in "
	    "(%s: %s)", shown, NETNS_CURRENT_PATH, strerror(-error));
	report_line(path, line, why);
	free(why);
	free(shown);
}

void
report_line_other_netns(const char *path, unsigned long line, const char *netns)
{
	char *shown = escaped_whole(netns), *why = NULL;

	why = xasprintf("the connection is in network namespace %s, and this run acts in "
	    "another: run tcpdrop -N %s -f for it", shown, shown);
	report_line(path, line, why);
	free(why);
	free(shown);
}

void
report_not_offered(char option, const char *name, const char *offered)
{
	const char *what = option == 'C' ? "congestion control algorithm" : "upper layer protocol";

	if (offered == NULL)
		warnx("-%c %s: this kernel offers no such %s (a TCP socket refuses it; the kernel "
		    "lists those it offers only in its first network namespace)", option, name, what);
	else if (offered[0] == '\0')
		warnx("-%c %s: this kernel offers no such %s (it offers none)", option, name, what);
	else
		warnx("-%c %s: this kernel offers no such %s (it offers: %s)", option, name, what,
		    offered);
}

void
die_privilege_lost(void)
{
	err(1, "cannot put CAP_NET_ADMIN back in effect");
}

void
report_no_cgroups(const char *cgroup)
{
	char *shown = escaped_whole(cgroup);

	warnx("-c %s: this kernel does not say which cgroup a socket was created in (Linux 5.9 "
	    "and later do, built with CONFIG_SOCK_CGROUP_DATA): no connection could be selected",
	    shown);
	free(shown);
}

void
report_interrupted(int signal_number, const char *what)
{
	const char *name = sigabbrev_np(signal_number);

	(void)fflush(stdout);
	if (name != NULL)
		warnx("stopped by SIG%s: %s", name, what);
	else
		warnx("stopped by signal %d: %s", signal_number, what);
}

void
report_line_too_long(const char *path, unsigned long line, size_t most)
{
	char why[80];

	snprintf(why, sizeof(why), "longer than any command (%zu bytes)", most);
	report_line(path, line, why);
}

_Noreturn void
die_diag_failed(const char *what, int error)
{
	errno = -error;
	err(1, "%s", what);
}

static bool
output_written(void)
{
	if ((fflush(stdout) == EOF || ferror(stdout)) && output_error == 0)
		output_error = errno != 0 ? errno : EIO;
	return output_error == 0;
}

void
report_flush_output(void)
{
	if (!output_written()) {
		errno = output_error;
		err(1, "standard output");
	}
}

void
report_flush_reports(void)
{
	(void)output_written();
}

bool
report_reports_written(void)
{
	if (output_written())
		return true;
	warnx("standard output: %s (%lu connection%s dropped, not every one reported)",
	    strerror(output_error), dropped_count, dropped_count == 1 ? "" : "s");
	return false;
}
