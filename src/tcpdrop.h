/* What tcpdrop does once its command line is understood. */
#ifndef TCPDROP_TCPDROP_H
#define TCPDROP_TCPDROP_H

#include <stdbool.h>

#include "options.h"

/*
 * Drop (or with -l, list) the connections the settings name.  Returns true
 * if everything asked for was done, false if anything failed.
 */
bool tcpdrop(const struct settings *settings);

#endif
