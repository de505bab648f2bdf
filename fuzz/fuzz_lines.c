/*
 * libFuzzer harness for the reader of -f files: the input is one line,
 * which line_operands() splits in place, and a line of 2 or 4 operands goes
 * on to tuple_endpoints() as tcpdrop -f does with it.  A file may come from
 * anywhere, so the splitter must stay inside the line and the operand array
 * whatever the line holds; the words it finds are checked against a plain
 * count of the line's words, and everything allocated is freed, so that a
 * leak shows.  Name resolution is left out: getaddrinfo(3) may ask the DNS.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "endpoint.h"
#include "lines.h"
#include "tuple.h"
#include "fuzz.h"

#define MOST 4


static const char blanks[] = " \t\r\n\v\f";

/*
 * The words of a line before its comment, counted the simple way, less a
 * leading "tcpdrop"; the n-th word's offset is stored while n < MOST.
 */
static int
count_words(const char *line, size_t offsets[MOST])
{
	size_t end = strcspn(line, "#"), at = 0;
	bool first = true;
	int count = 0;

	for (;;) {
		size_t length;

		at += strspn(line + at, blanks);
		if (at >= end)
			break;
		length = strcspn(line + at, blanks);
		if (length > end - at)
			length = end - at;
		/* Only the first word of a line may be the "tcpdrop" that is skipped. */
		if (!(first && length == 7 && memcmp(line + at, "tcpdrop", 7) == 0)) {
			if (count < MOST)
				offsets[count] = at;
			count++;
		}
		first = false;
		at += length;
	}
	return count;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1), *original = malloc(size + 1), *operands[MOST];
	size_t offsets[MOST];
	int words, expected;

	if (line == NULL || original == NULL) {
		free(line);
		free(original);
		return 0;
	}
	memcpy(line, data, size);
	line[size] = '\0';
	memcpy(original, line, size + 1);
	memset(offsets, 0, sizeof(offsets));
	expected = count_words(original, offsets);

	words = line_operands(line, operands, MOST);
	REQUIRE(words == expected);
	for (int i = 0; i < words && i < MOST; i++) {
		size_t length = strlen(operands[i]);

		/* Each operand is a whole word of the line, where the line had it. */
		REQUIRE(operands[i] >= line && operands[i] + length <= line + size);
		REQUIRE(operands[i] == line + offsets[i]);
		REQUIRE(length > 0 && strpbrk(operands[i], " \t\r\n\v\f#") == NULL);
		REQUIRE(memcmp(operands[i], original + offsets[i], length) == 0);
	}
	if (words == 2 || words == 4) {
		struct endpoint local, foreign;
		int bad = tuple_endpoints(operands, words, &local, &foreign);

		if (bad < 0) {
			REQUIRE(local.host != NULL && local.port != NULL);
			REQUIRE(foreign.host != NULL && foreign.port != NULL);
			endpoint_free(&local);
			endpoint_free(&foreign);
		} else {
			REQUIRE(bad < words);
			REQUIRE(local.host == NULL && foreign.host == NULL);
		}
	}
	free(line);
	free(original);
	return 0;
}
