/*
 * Lines read from a descriptor with bounded memory, handed on as soon as
 * they arrive: a line longer than any command is refused without being
 * kept, and a reader can wait for more input with a time limit, so that
 * what a slow pipe sent is not held back.
 */
#ifndef TCPDROP_INPUT_H
#define TCPDROP_INPUT_H

#include <stddef.h>

/* The longest line: a -N path, four operands, quotes, blanks and a comment. */
enum { INPUT_LINE_MOST = 16384 };

enum input_event {
	INPUT_LINE,		/* a line, which may hold NUL bytes */
	INPUT_TOO_LONG,		/* a line past INPUT_LINE_MOST, skipped */
	INPUT_IDLE,		/* no whole line came within the time given */
	INPUT_END,
	INPUT_INTERRUPTED,	/* a signal arrived (see interrupt.h) */
	INPUT_ERROR,		/* errno says why */
};

struct input;

struct input *input_new(int fd);
void input_free(struct input *input);

/*
 * The next line, without its newline, in *line (NUL-terminated after
 * *length bytes; valid until the next call), or another event.  Waits at
 * most wait_ms milliseconds for more input when no whole line is at hand,
 * or without limit if wait_ms is negative.
 */
enum input_event input_next(struct input *input, int wait_ms, char **line, size_t *length);

#endif
