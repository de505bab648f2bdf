/*
 * libFuzzer harness for the reader of -f files: the input is one line,
 * which line_parse() splits in place, and a line of 2 or 4 operands goes
 * on to tuple_endpoints() as tcpdrop -f does with it.  A file may come from
 * anywhere, so the splitter must stay inside the line and the operand array
 * whatever the line holds; the words it finds are checked against a plain
 * count of the line's words, and everything allocated is freed, so that a
 * leak shows.  Name resolution is left out: getaddrinfo(3) may ask the DNS.
 *
 * The writer is held to the reader too: the input's printable text, as the
 * -N name of a command line_print() writes, reads back as that name, with
 * the connection's words and its cookie.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "endpoint.h"
#include "lines.h"
#include "spell.h"
#include "tuple.h"
#include "fuzz.h"

#define MOST LINE_OPERANDS_MOST


static const char blanks[] = " \t\r\n\v\f";

/*
 * The words of a line before its comment, counted the simple way, less a
 * leading "tcpdrop", for a line without quotes, backslashes or options,
 * where the simple way is sh(1)'s; the n-th word's offset is stored while
 * n < MOST.  Returns -1 for other lines.
 */
static int
count_words(const char *line, size_t offsets[MOST])
{
	size_t at = 0;
	bool first = true;
	int count = 0;

	if (strpbrk(line, "'\\") != NULL)
		return -1;
	for (;;) {
		size_t length;

		at += strspn(line + at, blanks);
		if (line[at] == '\0' || line[at] == '#')
			break;
		length = strcspn(line + at, blanks);
		/* Only the first word of a line may be the "tcpdrop" that is skipped. */
		if (!(first && length == 7 && memcmp(line + at, "tcpdrop", 7) == 0)) {
			if (count == 0 && line[at] == '-' && length > 1)
				return -1;
			if (count < MOST)
				offsets[count] = at;
			count++;
		}
		first = false;
		at += length;
	}
	return count;
}

static bool
inside(const char *word, const char *line, size_t size)
{
	return word >= line && word + strlen(word) <= line + size;
}

/* A command with -N name, written and read back. */
static void
check_printed(const char *name)
{
	struct conn conn = { .family = AF_INET6, .local_port = 0, .foreign_port = 65535,
		.cookie = CONN_NO_COOKIE - 1 };
	char local[SPELL_ADDRESS_LENGTH], foreign[INET6_ADDRSTRLEN], *text = NULL;
	const char *culprit = NULL;
	size_t size = 0;
	FILE *stream = open_memstream(&text, &size);
	struct line parsed;

	if (stream == NULL)
		return;
	conn.local[15] = 1;
	conn.foreign[15] = 2;
	line_print(stream, &conn, name, true);
	REQUIRE(fclose(stream) == 0);
	REQUIRE(spell_conn_words(&conn, local, foreign));
	REQUIRE(line_parse(text, &parsed, &culprit) == LINE_OK);
	REQUIRE(parsed.netns != NULL && strcmp(parsed.netns, name) == 0);
	REQUIRE(parsed.count == 4 && strcmp(parsed.operands[0], local) == 0 &&
	    strcmp(parsed.operands[1], "0") == 0 && strcmp(parsed.operands[2], foreign) == 0 &&
	    strcmp(parsed.operands[3], "65535") == 0);
	REQUIRE(parsed.has_cookie && parsed.cookie == conn.cookie);
	free(text);
}

/* How many bytes the input begins with that -l may write as a -N name: printable ASCII. */
static size_t
printable_span(const uint8_t *data, size_t size)
{
	size_t span = 0;

	while (span < size && data[span] >= 0x20 && data[span] <= 0x7e)
		span++;
	return span;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1), *original = malloc(size + 1);
	size_t span = printable_span(data, size);
	const char *culprit = NULL;
	size_t offsets[MOST];
	struct line parsed;
	enum line_problem problem;
	int expected;

	if (line == NULL || original == NULL) {
		free(line);
		free(original);
		return 0;
	}
	/* -l writes a -N name of printable text as a word; any other, it refuses. */
	memcpy(line, data, span);
	line[span] = '\0';
	check_printed(line);
	memcpy(line, data, size);
	line[size] = '\0';
	memcpy(original, line, size + 1);
	memset(offsets, 0, sizeof(offsets));
	expected = count_words(original, offsets);

	problem = line_parse(line, &parsed, &culprit);
	if (problem == LINE_OPTION)
		REQUIRE(culprit != NULL && inside(culprit, line, size) && culprit[0] == '-');
	/* A comment that mentions a cookie but gives none refuses a line that names a connection. */
	if (problem == LINE_BAD_COOKIE)
		REQUIRE(culprit != NULL && inside(culprit, line, size) && culprit[0] == '#' &&
		    strcasestr(culprit, "cookie") != NULL && (expected == -1 || expected > 0));
	if (problem != LINE_OK) {
		REQUIRE(expected == -1 || problem == LINE_OPTION || problem == LINE_BAD_COOKIE);
		goto out;
	}
	if (parsed.netns != NULL)
		REQUIRE(inside(parsed.netns, line, size));
	if (expected >= 0) {
		REQUIRE(parsed.count == expected && parsed.netns == NULL);
		for (int i = 0; i < parsed.count && i < MOST; i++) {
			size_t length = strlen(parsed.operands[i]);

			/* Each operand is a whole word of the line, where the line had it. */
			REQUIRE(parsed.operands[i] == line + offsets[i]);
			REQUIRE(length > 0 && strpbrk(parsed.operands[i], blanks) == NULL);
			REQUIRE(memcmp(parsed.operands[i], original + offsets[i], length) == 0);
		}
	}
	for (int i = 0; i < parsed.count && i < MOST; i++)
		REQUIRE(inside(parsed.operands[i], line, size));
	if (parsed.count == 2 || parsed.count == 4) {
		struct endpoint local, foreign;
		int bad = tuple_endpoints(parsed.operands, parsed.count, &local, &foreign);

		if (bad < 0) {
			REQUIRE(local.host != NULL && local.port != NULL);
			REQUIRE(foreign.host != NULL && foreign.port != NULL);
			endpoint_free(&local);
			endpoint_free(&foreign);
		} else {
			REQUIRE(bad < parsed.count);
			REQUIRE(local.host == NULL && foreign.host == NULL);
		}
	}
out:
	free(line);
	free(original);
	return 0;
}
