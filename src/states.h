/* The state names of tcpdrop(8) and the Linux states behind each. */
#ifndef TCPDROP_STATES_H
#define TCPDROP_STATES_H

#include <stdint.h>

/*
 * The kernel state bitmask for a state name as the manual page spells it,
 * or 0 if the name is not one that -s accepts (LISTEN and CLOSED are not
 * connections, and names are case-sensitive as in FreeBSD).
 */
uint32_t state_mask_by_name(const char *name);

#endif
