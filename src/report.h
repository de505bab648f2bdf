/*
 * Every message tcpdrop shows a user, in one place.  Output is a contract:
 * one line per connection, numeric addresses, diagnostics on stderr.
 * A die_* function ends the run (as die_usage(), exit_help() and
 * die_out_of_memory() do, in usage.h and alloc.h), so that an exit is
 * visible where it happens; a report_* function returns, but for the two
 * whose comments say when they exit: report_operand_problem() for an
 * operand that is not an address and port (a usage error), and
 * report_flush_output() when output cannot be written.
 */
#ifndef TCPDROP_REPORT_H
#define TCPDROP_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "conn.h"
#include "endpoint.h"
#include "lines.h"

void report_dropped(const struct conn *conn);
/*
 * -l: the command that drops it (line_print()), with -N netns unless netns
 * is NULL, and with -k, its cookie as a comment.
 */
void report_listed(const struct conn *conn, const char *netns, bool cookie);
/* A connection -f named with its cookie is gone: it or a newer one with its tuple (untouched). */
void report_gone(const struct conn *conn);

/*
 * A device-bound connection that a twin bound to no device (the same
 * addresses and ports) hides from the kernel's lookup: it cannot be dropped.
 */
void report_shadowed(const struct conn *conn);

/* A connection named without a device matches several on different devices. */
void report_ambiguous(const struct conn *named, const struct conn *candidates, size_t count,
    const char *netns);

/* One connection could not be dropped; error is a negative errno. */
void report_failed(const struct conn *conn, int error);

/* Nothing can be dropped here (see OUTCOME_FATAL): said once; exits 1. */
_Noreturn void die_cannot_drop(int error);

/* A line of a -f file that names no connection: "FILE:LINE: why". */
void report_line_words(const char *path, unsigned long line, int words);
void report_line_tuple(const char *path, unsigned long line,
    const struct operand_problem *problem);

/* A line that cannot be read as a command (see line_parse()). */
void report_line_problem(const char *path, unsigned long line, enum line_problem problem,
    const char *culprit);
/* A line holds a pattern, which -f does not take. */
void report_line_pattern(const char *path, unsigned long line);
/* A line holds a NUL byte. */
void report_line_nul(const char *path, unsigned long line);
/* A line's -N names no namespace: error is a negative errno or NETNS_NOT_A_NAMESPACE. */
void report_line_netns(const char *path, unsigned long line, const char *netns, int error);
/*
 * A line's -N cannot be compared with this run's namespace, which error (a
 * negative errno) kept from being known.
 */
void report_line_own_netns_unknown(const char *path, unsigned long line, const char *netns,
    int error);
/* A line's -N names another namespace than the one this run acts in. */
void report_line_other_netns(const char *path, unsigned long line, const char *netns);

/* A file (-f) that cannot be read; exits 1. */
_Noreturn void die_file_failed(const char *path);
/* -f - with standard input closed; exits 1. */
_Noreturn void die_input_closed(void);

/* -N names no network namespace (error: a negative errno or NETNS_NOT_A_NAMESPACE); exits 1. */
_Noreturn void die_netns_failed(const char *path, int error);
/* Entering it failed with this (negative) errno; exits 1. */
_Noreturn void die_netns_enter_failed(const char *path, int error);
/* -l cannot print a -N name that is not text; exits 1. */
_Noreturn void die_netns_unlistable(const char *name);

/*
 * Operands on the command line name nothing, whether a connection or a
 * pattern.  One that is not an address and port gets the synopsis too,
 * and exits 1.
 */
void report_operand_problem(const struct operand_problem *problem);

/*
 * -u, -c or -p (option) names no owner: error is a negative errno or an OWNERS_*
 * code; where is the cgroup's directory, if known.  Exits 1.
 */
_Noreturn void die_owner_failed(char option, const char *name, const char *where, int error);

/*
 * -u names the uid (uid) that, in this user namespace, the kernel shows for
 * every user the namespace does not map: error is OWNERS_OVERFLOW_UID, or
 * the negative errno that kept the namespace's map from being read.  Exits 1.
 */
_Noreturn void die_user_ambiguous(const char *name, uint32_t uid, int error);

/*
 * -c names a cgroup, and where cgroup2 is mounted is not known: error is
 * OWNERS_NO_CGROUP2 or the negative errno of reading the table of mounts.  Exits 1.
 */
_Noreturn void die_cgroup2_unknown(const char *cgroup, int error);

/*
 * -S or -C names what the running kernel does not offer; it offers these,
 * or NULL where it lists nothing here (see offered.h).
 */
void report_not_offered(char option, const char *name, const char *offered);

/* CAP_NET_ADMIN, lowered for one question to the kernel, could not be put back. */
_Noreturn void die_privilege_lost(void);

/*
 * -c names a cgroup, and the kernel said of none of the sockets it showed
 * which cgroup it was created in: it records none.
 */
void report_no_cgroups(const char *cgroup);

/* Standard output is flushed, and where a signal stopped the run is said. */
void report_interrupted(int signal_number, const char *what);

/* A line of a -f file longer than any command can be. */
void report_line_too_long(const char *path, unsigned long line, size_t most);

/* The kernel's socket diagnostics failed; exits 1. */
_Noreturn void die_diag_failed(const char *what, int error);

/* Write what is buffered for standard output; exits 1 if it cannot be written. */
void report_flush_output(void);

/*
 * Write the reports of a batch of drops.  Where they cannot be written,
 * the run goes on dropping: the drops are what was asked for, and the
 * failure is told at the end, by report_reports_written().
 */
void report_flush_reports(void);

/*
 * At the end of a run that drops: write what is left, and if any report
 * could not be written, say so, with how many connections were dropped.
 * Returns false then.
 */
bool report_reports_written(void);

#endif
