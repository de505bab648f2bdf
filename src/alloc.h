/*
 * Memory, or the end of the run.  tcpdrop has no use for a half-done
 * allocation: out of memory anywhere, it says so and exits 1 (as signify's
 * xmalloc does), so no caller checks for NULL or passes -ENOMEM along.
 */
#ifndef TCPDROP_ALLOC_H
#define TCPDROP_ALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xreallocarray(void *pointer, size_t count, size_t size);
char *xstrdup(const char *text);
char *xstrndup(const char *text, size_t most);
char *xasprintf(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* "out of memory", exit 1: what the others do when they fail. */
_Noreturn void die_out_of_memory(void);

#endif
