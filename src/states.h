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

/*
 * The state a mistyped name was meant to be, if it differs from one only
 * in case or in one letter (one added, left out, or changed); NULL if
 * none, or if it could be meant for two.  LISTEN and CLOSED are not
 * suggested for anything.
 */
const char *state_meant(const char *name);

#endif
