/*
 * Every message tcpdrop shows a user, in one place.  Output is a contract:
 * one line per connection, numeric addresses, diagnostics on stderr.
 */
#ifndef TCPDROP_REPORT_H
#define TCPDROP_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "conn.h"
#include "options.h"

/* "LADDR LPORT FADDR FPORT", numeric.  Longest: two IPv6 addresses. */
#define REPORT_CONN_LENGTH (2 * 46 + 2 * 6 + 4)
void report_format_conn(const struct conn *conn, char *buffer, size_t size);

/* The synopsis on stderr, after the reason for refusing the command line; exits 1. */
_Noreturn void report_usage(struct options_result why);

/* -h: the synopsis on stdout; -V: the version.  Both exit 0. */
_Noreturn void report_help(void);
_Noreturn void report_version(void);

void report_dropped(const struct conn *conn);
void report_listed(const struct conn *conn);

/* One connection could not be dropped; error is a negative errno. */
void report_failed(const struct conn *conn, int error);

/*
 * Is this error about tcpdrop's situation rather than one connection
 * (no privilege, no kernel support)?  Then it is reported once, fatally.
 */
_Bool report_is_fatal(const struct conn *conn, int error);
_Noreturn void report_fatal(int error);

/* A line of a -f file that names no connection: "FILE:LINE: why". */
void report_line_words(const char *path, unsigned long line, int words);
void report_line_operand(const char *path, unsigned long line, const char *operand);
void report_line_unresolved(const char *path, unsigned long line, const char *host,
    const char *port, int error);
void report_line_families(const char *path, unsigned long line, const char *local_host,
    const char *local_port, const char *foreign_host, const char *foreign_port);

/* A file (-f) or a network namespace (-N) that cannot be used; exits 1. */
_Noreturn void report_file_failed(const char *path);
_Noreturn void report_netns_failed(const char *path, bool entering);

/*
 * Why an endpoint names no address (a tuple_resolve() error), as a
 * malloc'd sentence, with bytes that are not text escaped.
 */
char *report_resolve_reason(const char *host, const char *port, int error);

_Noreturn void report_resolve_failed(const char *host, const char *port, int error);
void report_different_families(const char *local_host, const char *local_port,
    const char *foreign_host, const char *foreign_port);

/* The kernel's socket diagnostics failed; exits 1. */
_Noreturn void report_diag_failed(const char *what, int error);

/* Standard output could not be written; exits 1. */
void report_flush_output(void);

#endif
