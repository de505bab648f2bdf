/* Out of memory anywhere: "tcpdrop: out of memory" on stderr, exit 1. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc.h"
#include "unit.h"

/* Run one allocation that cannot succeed in a child; its stderr and status. */
static __attribute__((unused)) bool
dies_saying_so(int which, const char *name)
{
	int pipe_ends[2], status;
	char said[128] = { 0 };
	ssize_t length;
	pid_t child;

	fflush(stdout);
	if (pipe(pipe_ends) < 0 || (child = fork()) < 0)
		return false;
	if (child == 0) {
		dup2(pipe_ends[1], STDERR_FILENO);
		if (which == 0)
			(void)xmalloc(SIZE_MAX);
		else if (which == 1)
			(void)xcalloc(SIZE_MAX / 2, 4);
		else
			(void)xreallocarray(NULL, SIZE_MAX / 2, 4);
		_exit(0);
	}
	close(pipe_ends[1]);
	/* err(3) may write its message in pieces: read to the end. */
	for (size_t got = 0; got < sizeof(said) - 1; got += (size_t)length) {
		length = read(pipe_ends[0], said + got, sizeof(said) - 1 - got);
		if (length <= 0)
			break;
	}
	close(pipe_ends[0]);
	waitpid(child, &status, 0);
	/* err(3) starts with the program's name: the test's here. */
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1 && strstr(said, ": out of memory\n") &&
	    strchr(said, '\n') == strrchr(said, '\n'), name);
	return true;
}

int
main(void)
{
	char *copy = xstrdup("text"), *formatted = xasprintf("%s %d", "n", 7);

	CHECK(strcmp(copy, "text") == 0 && strcmp(formatted, "n 7") == 0,
	    "xstrdup and xasprintf give what they are asked for");
	free(copy);
	free(formatted);
	copy = xcalloc(0, 8);
	CHECK(copy != NULL, "no bytes asked: still a pointer to free");
	free(copy);
#ifdef __SANITIZE_ADDRESS__
	/* AddressSanitizer's allocator stops the process itself at such a size. */
	unit_skip("the wrappers out of memory", "AddressSanitizer aborts on a size too large itself");
#else
	dies_saying_so(0, "xmalloc of too much: out of memory, exit 1");
	dies_saying_so(1, "xcalloc whose size overflows: out of memory, exit 1");
	dies_saying_so(2, "xreallocarray whose size overflows: out of memory, exit 1");
#endif
	return unit_done();
}
