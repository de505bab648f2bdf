/* Allocations that end the run when memory runs out. */
#include "alloc.h"

#include <err.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void
die_out_of_memory(void)
{
	errx(1, "out of memory");
}

void *
xmalloc(size_t size)
{
	void *pointer = malloc(size != 0 ? size : 1);

	if (pointer == NULL)
		die_out_of_memory();
	return pointer;
}

void *
xcalloc(size_t count, size_t size)
{
	void *pointer = calloc(count != 0 ? count : 1, size != 0 ? size : 1);

	if (pointer == NULL)
		die_out_of_memory();
	return pointer;
}

void *
xreallocarray(void *pointer, size_t count, size_t size)
{
	void *grown = reallocarray(pointer, count != 0 ? count : 1, size != 0 ? size : 1);

	if (grown == NULL)
		die_out_of_memory();
	return grown;
}

char *
xstrdup(const char *text)
{
	char *copy = strdup(text);

	if (copy == NULL)
		die_out_of_memory();
	return copy;
}

char *
xstrndup(const char *text, size_t most)
{
	char *copy = strndup(text, most);

	if (copy == NULL)
		die_out_of_memory();
	return copy;
}

char *
xasprintf(const char *format, ...)
{
	va_list arguments;
	char *text;
	int length;

	va_start(arguments, format);
	length = vasprintf(&text, format, arguments);
	va_end(arguments);
	if (length < 0)
		die_out_of_memory();
	return text;
}
