/* The -f line reader: lines, a line too long, the last line, waiting with a limit. */
#include <stdlib.h>
#include <unistd.h>

#include "input.h"
#include "offered.h"
#include "options.h"
#include "unit.h"

/* A reader of what was written into a pipe, the writing end left open if asked. */
static struct input *
reader_of(const char *data, size_t length, bool keep_open, int *writer)
{
	int ends[2];

	if (pipe(ends) < 0)
		return NULL;
	if (write(ends[1], data, length) != (ssize_t)length)
		return NULL;
	if (!keep_open)
		close(ends[1]);
	*writer = ends[1];
	return input_new(ends[0]);
}

static void
expect_line(struct input *input, const char *want, const char *name)
{
	char *line = NULL;
	size_t length = 0;
	enum input_event event = input_next(input, -1, &line, &length);

	CHECK(event == INPUT_LINE, name);
	if (event == INPUT_LINE)
		CHECK_STR(line, want, name);
}

int
main(void)
{
	struct input *input;
	char *line, *long_text;
	size_t length;
	int writer;

	input = reader_of("one\ntwo\nthree", 13, false, &writer);
	expect_line(input, "one", "the first line");
	expect_line(input, "two", "the second line");
	expect_line(input, "three", "the last line needs no newline");
	CHECK(input_next(input, -1, &line, &length) == INPUT_END, "then the end");
	CHECK(input_next(input, -1, &line, &length) == INPUT_END, "and the end stays");
	input_free(input);

	input = reader_of("a\0b\n", 4, false, &writer);
	CHECK(input_next(input, -1, &line, &length) == INPUT_LINE && length == 3,
	    "a NUL byte is part of the line, and its length says so");
	input_free(input);

	/* A line longer than any command, then a good one. */
	long_text = malloc(3 * INPUT_LINE_MOST + 8);
	memset(long_text, 'x', 3 * INPUT_LINE_MOST);
	memcpy(long_text + 3 * INPUT_LINE_MOST, "\nok\n", 4);
	input = reader_of(long_text, 3 * INPUT_LINE_MOST + 4, false, &writer);
	CHECK(input_next(input, -1, &line, &length) == INPUT_TOO_LONG, "a line too long is told");
	expect_line(input, "ok", "the next line is read whole");
	CHECK(input_next(input, -1, &line, &length) == INPUT_END, "nothing more");
	input_free(input);

	/* One as long as allowed is a line. */
	memset(long_text, 'y', INPUT_LINE_MOST);
	long_text[INPUT_LINE_MOST] = '\n';
	input = reader_of(long_text, INPUT_LINE_MOST + 1, false, &writer);
	CHECK(input_next(input, -1, &line, &length) == INPUT_LINE && length == INPUT_LINE_MOST,
	    "a line of INPUT_LINE_MOST bytes is a line");
	input_free(input);

	/* No newline ever: told once. */
	input = reader_of(long_text, INPUT_LINE_MOST + 1 - 1, true, &writer);
	if (write(writer, long_text, 10) != 10)
		return 1;
	close(writer);
	CHECK(input_next(input, -1, &line, &length) == INPUT_TOO_LONG, "an endless line is told");
	CHECK(input_next(input, -1, &line, &length) == INPUT_END, "once");
	input_free(input);
	free(long_text);

	/* A writer that keeps the pipe open: what came is handed on, then a wait. */
	input = reader_of("whole\npart", 10, true, &writer);
	expect_line(input, "whole", "a whole line comes at once");
	CHECK(input_next(input, 10, &line, &length) == INPUT_IDLE,
	    "a part of a line is waited for, within the limit");
	if (write(writer, "ial\n", 4) != 4)
		return 1;
	expect_line(input, "partial", "and it comes whole when its end does");
	close(writer);
	input_free(input);

	CHECK(offered_in("reno bbr cubic", "bbr") && offered_in("reno bbr cubic\n", "cubic") &&
	    offered_in("mptcp", "mptcp"), "a name the kernel offers");
	CHECK(!offered_in("reno bbr cubic", "bb") && !offered_in("reno bbr cubic", "renobbr") &&
	    !offered_in("", "reno") && !offered_in("reno", ""), "a name it does not");
	{
		/* What /proc/sys/net/ipv4/tcp_available_ulp reads as: a line, or nothing. */
		char path[] = "/tmp/tcpdrop-offered.XXXXXX";
		int fd = mkstemp(path);
		char *list;

		if (fd < 0)
			return 1;
		list = offered_read(path);
		CHECK(list != NULL && list[0] == '\0', "a kernel that offers none writes nothing");
		free(list);
		if (write(fd, "tls mptcp\n", 10) != 10)
			return 1;
		list = offered_read(path);
		CHECK_STR(list, "tls mptcp", "a list is the words of its line");
		free(list);
		close(fd);
		unlink(path);
		CHECK(offered_read(path) == NULL, "no such file: nothing to check against");
	}
	CHECK(options_name_valid("cubic") && options_name_valid("tcp-prague") &&
	    options_name_valid("abcdefghijklmno"), "names that may be");
	CHECK(!options_name_valid("abcdefghijklmnop") && !options_name_valid("a b") &&
	    !options_name_valid("") && !options_name_valid("reno;") &&
	    !options_name_valid("\xff"), "names that cannot be");
	return unit_done();
}
