/*
 * CAP_NET_ADMIN out of the calling thread's effective set for one call:
 * what the kernel does for a caller with it in effect is sometimes more
 * than tcpdrop asks for (a listing with every TCP-MD5 key, a module
 * loaded to answer a question).
 */
#ifndef TCPDROP_PRIVILEGE_H
#define TCPDROP_PRIVILEGE_H

#include <stdbool.h>

struct privilege {
	void *saved;	/* the capabilities to put back; NULL if none were lowered */
};

/*
 * Take CAP_NET_ADMIN out of this thread's effective set, where it is in
 * it.  Returns false with errno set if the set could not be changed.
 */
bool privilege_lower(struct privilege *privilege);

/*
 * Put back what privilege_lower() took.  Returns false with errno set if
 * it could not: the thread then lacks CAP_NET_ADMIN for good.
 */
bool privilege_restore(struct privilege *privilege);

#endif
