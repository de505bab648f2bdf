/*
 * A name that no connection can use matches nothing, silently: a typo in
 * -C or -S would drop nothing and exit 0.  So the name is checked against
 * what the kernel has registered, which every connection's algorithm and
 * upper layer protocol must be.
 */
#include "offered.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

bool
offered_in(const char *list, const char *name)
{
	size_t length = strlen(name);

	for (const char *word = list; *word != '\0';) {
		size_t blanks = strspn(word, " \t\n"), size;

		word += blanks;
		size = strcspn(word, " \t\n");
		if (size == length && size > 0 && strncmp(word, name, length) == 0)
			return true;
		word += size;
	}
	return false;
}

char *
offered_read(const char *path)
{
	FILE *file = fopen(path, "re");
	char *line = NULL;
	size_t size = 0;
	ssize_t length;

	if (file == NULL)
		return NULL;
	length = getline(&line, &size, file);
	/* A kernel that offers none writes nothing at all (5.10 without MPTCP). */
	if (length < 0 && !ferror(file)) {
		free(line);
		line = strdup("");
		length = 0;
	}
	fclose(file);
	if (length < 0 || line == NULL) {
		free(line);
		return NULL;
	}
	line[strcspn(line, "\n")] = '\0';
	return line;
}

static void
check(char option, const char *name, const char *path)
{
	char *list;

	if (name == NULL || (list = offered_read(path)) == NULL)
		return;
	if (!offered_in(list, name))
		report_not_offered(option, name, list);
	free(list);
}

void
offered_check(const char *stack, const char *algorithm)
{
	check('S', stack, OFFERED_STACKS);
	check('C', algorithm, OFFERED_ALGORITHMS);
}
