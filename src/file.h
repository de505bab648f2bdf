/* tcpdrop -f: drop a list of connections read from a file, in one process. */
#ifndef TCPDROP_FILE_H
#define TCPDROP_FILE_H

#include <stdbool.h>

#include "run.h"

/*
 * Drop the connections listed in the file ("-": standard input), one per
 * line.  A line that names no connection is reported with its number and
 * the rest still run.  A line may name its network namespace (-N, as -l
 * prints it); one that is not the namespace this run acts in (its -N, or
 * ours) is refused.  Returns true if every line's connection was dropped.
 */
bool drop_listed(const struct run *run, const char *path);

#endif
