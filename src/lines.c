/* Pure parsing of one line of a -f file. */
#include "lines.h"

#include <string.h>

int
line_operands(char *line, char *operands[], int most)
{
	static const char blanks[] = " \t\r\n\v\f";
	char *comment = strchr(line, '#'), *word, *rest = line;
	int count = 0;
	int first = 1;

	if (comment != NULL)
		*comment = '\0';
	while ((word = strsep(&rest, blanks)) != NULL) {
		if (*word == '\0')
			continue;
		if (first && strcmp(word, "tcpdrop") == 0) {
			first = 0;
			continue;
		}
		first = 0;
		if (count < most)
			operands[count] = word;
		count++;
	}
	return count;
}
