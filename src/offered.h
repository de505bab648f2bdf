/* What the running kernel offers for -S and -C, as /proc lists it. */
#ifndef TCPDROP_OFFERED_H
#define TCPDROP_OFFERED_H

#include <stdbool.h>

#define OFFERED_ALGORITHMS "/proc/sys/net/ipv4/tcp_available_congestion_control"
#define OFFERED_ULPS "/proc/sys/net/ipv4/tcp_available_ulp"

/* Is the name one of the blank-separated words of the list? */
bool offered_in(const char *list, const char *name);

/*
 * The list the kernel offers in the file at path, without its newline, as
 * a malloc'd string; NULL if it cannot be read (an old kernel, no /proc).
 */
char *offered_read(const char *path);

/*
 * Warn of each name the running kernel does not offer, either may be
 * NULL.  The kernel lists its upper layer protocols only in the first
 * network namespace; elsewhere, the name is tried on a socket of our own.
 */
void offered_check(const char *ulp, const char *algorithm);

#endif
