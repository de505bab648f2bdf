/* Dropping every connection a selection holds. */
#ifndef TCPDROP_BULK_H
#define TCPDROP_BULK_H

#include <stdbool.h>

#include "run.h"
#include "select.h"

/*
 * Drop (or with -l, list, and with -k, with cookies) every connection the
 * selection holds, never a listener.  Returns true if every one was
 * dropped (also when none matched), false if any could not be.
 */
bool drop_bulk(const struct run *run, const struct selection *selection);

#endif
