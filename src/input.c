/* Reading -f's lines: bounded, prompt, and interruptible. */
#include "input.h"
#include "alloc.h"
#include "interrupt.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { BUFFER_SIZE = 4 * INPUT_LINE_MOST };

struct input {
	int fd;
	char *buffer;		/* BUFFER_SIZE + 1 bytes: room for a final NUL */
	size_t start, end;	/* the bytes not yet handed on */
	bool ended;
	bool skipping;		/* the rest of a line too long is thrown away */
};

struct input *
input_new(int fd)
{
	struct input *input = xcalloc(1, sizeof(*input));

	input->fd = fd;
	input->buffer = xmalloc(BUFFER_SIZE + 1);
	return input;
}

void
input_free(struct input *input)
{
	if (input != NULL)
		free(input->buffer);
	free(input);
}

/* Read more, waiting at most wait_ms for it. */
static enum input_event
fill(struct input *input, int wait_ms)
{
	ssize_t got;

	memmove(input->buffer, input->buffer + input->start, input->end - input->start);
	input->end -= input->start;
	input->start = 0;
	if (wait_ms >= 0) {
		struct pollfd ready = { .fd = input->fd, .events = POLLIN };
		int count = poll(&ready, 1, wait_ms);

		if (count == 0)
			return INPUT_IDLE;
		if (count < 0)
			return errno == EINTR ? INPUT_INTERRUPTED : INPUT_ERROR;
	}
	got = read(input->fd, input->buffer + input->end, BUFFER_SIZE - input->end);
	if (got < 0)
		return errno == EINTR ? INPUT_INTERRUPTED : INPUT_ERROR;
	if (got == 0)
		input->ended = true;
	input->end += (size_t)got;
	return INPUT_LINE;
}

enum input_event
input_next(struct input *input, int wait_ms, char **line, size_t *length)
{
	for (;;) {
		char *begin = input->buffer + input->start;
		size_t pending = input->end - input->start;
		char *newline = memchr(begin, '\n', pending);
		enum input_event event;

		if (newline != NULL) {
			input->start += (size_t)(newline - begin) + 1;
			if (input->skipping) {
				input->skipping = false;
				continue;
			}
			*newline = '\0';
			*line = begin;
			*length = (size_t)(newline - begin);
			return *length > INPUT_LINE_MOST ? INPUT_TOO_LONG : INPUT_LINE;
		}
		if (input->skipping || pending > INPUT_LINE_MOST) {
			/* Too long to be a command: told once, then dropped unread. */
			bool first = !input->skipping;

			input->start = input->end;
			input->skipping = !input->ended;
			if (first)
				return INPUT_TOO_LONG;
		} else if (input->ended) {
			if (pending == 0)
				return INPUT_END;
			/* The last line, without a newline. */
			input->start = input->end;
			begin[pending] = '\0';
			*line = begin;
			*length = pending;
			return INPUT_LINE;
		}
		if (input->ended)
			return INPUT_END;
		/* Endless input (a line that never ends) must not keep a signal waiting. */
		if (interrupted())
			return INPUT_INTERRUPTED;
		event = fill(input, wait_ms);
		if (event != INPUT_LINE)
			return event;
	}
}
