/* Dropping every connection that -a, -s, -S and -C select. */
#ifndef TCPDROP_BULK_H
#define TCPDROP_BULK_H

#include <stdbool.h>

#include "options.h"

struct diag;

/*
 * Drop (or with -l, list) every connection the settings select, never a
 * listener.  Returns true if every one was dropped (also when none
 * matched), false if any could not be.
 */
bool drop_bulk(const struct settings *settings, struct diag *diag);

#endif
