/*
 * tcpdrop -f: the lines are read and resolved in chunks, and each chunk is
 * dropped with batched lookups and destroys, so that memory stays bounded
 * however long the list and a system call serves many connections.
 */
#include "file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "named.h"
#include "report.h"
#include "tuple.h"

enum { CHUNK = 4096 };

struct chunk {
	struct named named[CHUNK];
	size_t count;
	struct dropped_peers *peers;
};

static void
chunk_drop(struct chunk *chunk, struct diag *diag, bool *ok)
{
	if (chunk->count > 0 && !drop_named(diag, chunk->named, chunk->count, chunk->peers))
		*ok = false;
	for (size_t i = 0; i < chunk->count; i++)
		free((void *)chunk->named[i].pairs);
	chunk->count = 0;
}

/* Resolve one line into the chunk; false (and said why) if it names no connection. */
static bool
read_line(char *line, const char *path, unsigned long number, struct chunk *chunk)
{
	char *operands[4];
	struct endpoint local, foreign;
	const struct endpoint *unresolved = NULL;
	struct conn *pairs;
	size_t count;
	int words = line_operands(line, operands, 4), bad, error;

	if (words == 0)
		return true;
	if (words != 2 && words != 4) {
		report_line_words(path, number, words);
		return false;
	}
	bad = tuple_endpoints(operands, words, &local, &foreign);
	if (bad >= 0) {
		report_line_operand(path, number, operands[bad]);
		return false;
	}
	error = tuple_resolve(&local, &foreign, &pairs, &count, &unresolved);
	if (error != 0)
		report_line_unresolved(path, number, unresolved->host, unresolved->port, error);
	else if (count == 0)
		report_line_families(path, number, local.host, local.port, foreign.host,
		    foreign.port);
	endpoint_free(&local);
	endpoint_free(&foreign);
	if (error != 0 || count == 0) {
		free(pairs);
		return false;
	}
	chunk->named[chunk->count].pairs = pairs;
	chunk->named[chunk->count].count = count;
	chunk->count++;
	return true;
}

bool
drop_listed(const char *path, struct diag *diag)
{
	bool from_stdin = strcmp(path, "-") == 0;
	FILE *input = from_stdin ? stdin : fopen(path, "r");
	const char *name = from_stdin ? "(stdin)" : path;
	struct chunk *chunk;
	char *line = NULL;
	size_t size = 0;
	unsigned long number = 0;
	bool ok = true;

	if (input == NULL)
		report_file_failed(path);
	chunk = calloc(1, sizeof(*chunk));
	if (chunk == NULL || (chunk->peers = dropped_peers_new()) == NULL)
		report_diag_failed("memory", -ENOMEM);
	while (getline(&line, &size, input) != -1) {
		number++;
		if (!read_line(line, name, number, chunk))
			ok = false;
		if (chunk->count == CHUNK)
			chunk_drop(chunk, diag, &ok);
	}
	if (ferror(input))
		report_file_failed(path);
	chunk_drop(chunk, diag, &ok);
	dropped_peers_free(chunk->peers);
	free(chunk);
	free(line);
	if (!from_stdin)
		fclose(input);
	return ok;
}
