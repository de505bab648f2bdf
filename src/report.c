/* The words tcpdrop says, and where it says them. */
#include "report.h"
#include "tuple.h"

#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
report_format_conn(const struct conn *conn, char *buffer, size_t size)
{
	char local[INET6_ADDRSTRLEN], foreign[INET6_ADDRSTRLEN];

	if (inet_ntop(conn->family, conn->local, local, sizeof(local)) == NULL ||
	    inet_ntop(conn->family, conn->foreign, foreign, sizeof(foreign)) == NULL) {
		snprintf(buffer, size, "(address family %u)", conn->family);
		return;
	}
	snprintf(buffer, size, "%s %u %s %u", local, conn->local_port, foreign,
	    conn->foreign_port);
}

static char *escaped(const char *text);

/* Said of an operand on the command line and of one in a -f file alike. */
#define NOT_AN_OPERAND "not an address and port: '%s'"
#define DIFFERENT_FAMILIES "%s %s %s %s: different address families"

static void
print_usage(FILE *stream)
{
	fprintf(stream,
	    "usage: tcpdrop local-address local-port foreign-address foreign-port\n"
	    "       tcpdrop local-address:local-port foreign-address:foreign-port\n"
	    "       tcpdrop local-address.local-port foreign-address.foreign-port\n"
	    "       tcpdrop -f file\n"
	    "       tcpdrop [-l] -a\n"
	    "       tcpdrop [-l] -C cc-algo [-S stack] [-s state]\n"
	    "       tcpdrop [-l] [-C cc-algo] -S stack [-s state]\n"
	    "       tcpdrop [-l] [-C cc-algo] [-S stack] -s state\n");
}

_Noreturn void
report_help(void)
{
	print_usage(stdout);
	report_flush_output();
	exit(0);
}

_Noreturn void
report_version(void)
{
	printf("tcpdrop %s\n", TCPDROP_VERSION);
	report_flush_output();
	exit(0);
}

_Noreturn void
report_usage(struct options_result why)
{
	char *shown = why.culprit_text != NULL ? escaped(why.culprit_text) : NULL;

	switch (why.problem) {
	case OPTIONS_UNKNOWN_OPTION:
		warnx("unknown option -- %c", why.culprit);
		break;
	case OPTIONS_MISSING_ARGUMENT:
		warnx("option requires an argument -- %c", why.culprit);
		break;
	case OPTIONS_UNKNOWN_STATE:
		warnx("unknown state: %s", shown);
		break;
	case OPTIONS_EMPTY_NAME:
		warnx("empty name for -%c", why.culprit);
		break;
	case OPTIONS_BAD_OPERAND:
		warnx(NOT_AN_OPERAND, shown);
		break;
	case OPTIONS_OK:
	case OPTIONS_SYNOPSIS:
		break;
	}
	free(shown);
	print_usage(stderr);
	exit(1);
}

void
report_dropped(const struct conn *conn)
{
	char text[REPORT_CONN_LENGTH];

	report_format_conn(conn, text, sizeof(text));
	printf("%s: dropped\n", text);
}

void
report_listed(const struct conn *conn)
{
	char text[REPORT_CONN_LENGTH];

	report_format_conn(conn, text, sizeof(text));
	printf("tcpdrop %s\n", text);
}

void
report_failed(const struct conn *conn, int error)
{
	char text[REPORT_CONN_LENGTH];
	const char *reason = strerror(-error);

	if (error == -ENOENT)
		reason = "No such connection";
	else if (error == -EOPNOTSUPP && conn->time_wait_socket)
		reason = "time-wait sockets can be dropped only on Linux 6.0 and later";
	report_format_conn(conn, text, sizeof(text));
	warnx("%s: %s", text, reason);
}

_Bool
report_is_fatal(const struct conn *conn, int error)
{
	return error == -EPERM || error == -EACCES ||
	    (error == -EOPNOTSUPP && !conn->time_wait_socket);
}

_Noreturn void
report_fatal(int error)
{
	if (error == -EOPNOTSUPP)
		errx(1, "cannot drop connections: this kernel has no SOCK_DESTROY "
		    "(it was built without CONFIG_INET_DIAG_DESTROY)");
	errx(1, "cannot drop connections: %s (dropping needs CAP_NET_ADMIN "
	    "in the network namespace)", strerror(-error));
}

/*
 * Text as it can be shown: bytes outside printable ASCII as \xHH, and
 * whatever follows the first SHOWN_MOST bytes as "...".
 */
enum { SHOWN_MOST = 64 };

static char *
escaped(const char *text)
{
	char *shown = malloc(4 * SHOWN_MOST + sizeof("...")), *cursor = shown;
	size_t count = 0;

	if (shown == NULL)
		report_diag_failed("memory", -ENOMEM);
	for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; c++, count++) {
		if (count == SHOWN_MOST) {
			cursor = stpcpy(cursor, "...");
			break;
		}
		if (*c >= 0x20 && *c <= 0x7e)
			*cursor++ = (char)*c;
		else
			cursor += sprintf(cursor, "\\x%02x", *c);
	}
	*cursor = '\0';
	return shown;
}

char *
report_resolve_reason(const char *host, const char *port, int error)
{
	char *shown_host = escaped(host), *shown_port = escaped(port), *reason = NULL;
	int length;

	if (error == TUPLE_BAD_PORT)
		length = asprintf(&reason, "bad port: '%s' (a port is a number from 1 to 65535 "
		    "or a service name)", shown_port);
	else if (error == TUPLE_BAD_HOST)
		length = asprintf(&reason, "bad address: '%s'", shown_host);
	else
		length = asprintf(&reason, "getaddrinfo: %s port %s: %s", shown_host, shown_port,
		    error == EAI_SYSTEM ? strerror(errno) : gai_strerror(error));
	free(shown_host);
	free(shown_port);
	if (length < 0)
		report_diag_failed("memory", -ENOMEM);
	return reason;
}

_Noreturn void
report_resolve_failed(const char *host, const char *port, int error)
{
	char *reason = report_resolve_reason(host, port, error);

	warnx("%s", reason);
	free(reason);
	exit(1);
}

static void
report_line(const char *path, unsigned long line, const char *why)
{
	warnx("%s:%lu: %s", path, line, why);
}

void
report_line_words(const char *path, unsigned long line, int words)
{
	char why[64];

	snprintf(why, sizeof(why), "expected 2 or 4 operands, found %d", words);
	report_line(path, line, why);
}

void
report_line_operand(const char *path, unsigned long line, const char *operand)
{
	char *shown = escaped(operand), *why = NULL;

	if (asprintf(&why, NOT_AN_OPERAND, shown) < 0)
		report_diag_failed("memory", -ENOMEM);
	report_line(path, line, why);
	free(why);
	free(shown);
}

void
report_line_unresolved(const char *path, unsigned long line, const char *host,
    const char *port, int error)
{
	char *why = report_resolve_reason(host, port, error);

	report_line(path, line, why);
	free(why);
}

void
report_line_families(const char *path, unsigned long line, const char *local_host,
    const char *local_port, const char *foreign_host, const char *foreign_port)
{
	char *why = NULL;

	if (asprintf(&why, DIFFERENT_FAMILIES, local_host, local_port, foreign_host,
	    foreign_port) < 0)
		report_diag_failed("memory", -ENOMEM);
	report_line(path, line, why);
	free(why);
}

_Noreturn void
report_file_failed(const char *path)
{
	err(1, "%s", path);
}

_Noreturn void
report_netns_failed(const char *path, bool entering)
{
	if (entering)
		err(1, "cannot enter network namespace %s", path);
	err(1, "network namespace %s", path);
}

void
report_different_families(const char *local_host, const char *local_port,
    const char *foreign_host, const char *foreign_port)
{
	warnx(DIFFERENT_FAMILIES, local_host, local_port, foreign_host, foreign_port);
}

_Noreturn void
report_diag_failed(const char *what, int error)
{
	errno = -error;
	err(1, "%s", what);
}

void
report_flush_output(void)
{
	if (fflush(stdout) == EOF || ferror(stdout))
		err(1, "standard output");
}
