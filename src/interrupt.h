/*
 * SIGINT, SIGTERM and SIGHUP: tcpdrop stops at the end of the batch in
 * flight, with every batch's reports written, and then dies of the signal.
 */
#ifndef TCPDROP_INTERRUPT_H
#define TCPDROP_INTERRUPT_H

#include <stdbool.h>

/*
 * Catch the signals.  SA_RESTART keeps a write to a full pipe from being
 * cut short; poll(2), in which -f waits for input, returns all the same.
 */
void interrupt_watch(void);

/*
 * Let a write to a pipe that nobody reads fail with EPIPE rather than
 * kill tcpdrop with SIGPIPE: for a run that drops, whose drops go on.
 */
void interrupt_ignore_broken_pipe(void);

/* Has one of them arrived? */
bool interrupted(void);

/*
 * Say where the run stopped (what, e.g. "before line 12 of (stdin)"),
 * then die of the signal, as a process killed by it would.
 */
_Noreturn void die_interrupted(const char *what);

#endif
