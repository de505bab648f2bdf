/* tcpdrop -N: act inside another network namespace. */
#ifndef TCPDROP_NETNS_H
#define TCPDROP_NETNS_H

/*
 * Enter the network namespace named (as ip-netns(8) names them, under
 * /run/netns) or given by path (/proc/PID/ns/net).  Exits with a message
 * if it cannot.
 */
void netns_enter(const char *name);

#endif
