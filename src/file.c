/*
 * tcpdrop -f: the lines are read and resolved in chunks, and each chunk is
 * dropped with batched lookups and destroys, so that memory stays bounded
 * however long the list and a system call serves many connections.
 */
#include "file.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "batch.h"
#include "input.h"
#include "interrupt.h"
#include "lines.h"
#include "named.h"
#include "netns.h"
#include "pattern.h"
#include "report.h"
#include "spell.h"
#include "tuple.h"

/*
 * A chunk is dropped when it is full (BATCH_LINES), or at the latest FLUSH_AFTER_MS after
 * its first line came, so that a pipe that writes slowly is acted on.
 */
enum { FLUSH_AFTER_MS = 100, IDLE_MOST_MS = 1000 };

/*
 * The namespace this run acts in, and what the last -N of a line was found
 * to be, so that a list naming one namespace on every line checks it once.
 */
struct netns_memo {
	struct netns_id own;
	int own_error;		/* 0, or the negative errno that kept us from knowing our own */
	char *last_name;
	bool last_ours;
};

struct chunk {
	struct named_conn named[BATCH_LINES];
	size_t count;
	unsigned long first_line;	/* of the connections in the chunk */
	struct timespec first_read;
	struct dropped_peers *peers;
	struct netns_memo netns;
};

static void
chunk_drop(struct chunk *chunk, const struct run *run, bool *ok)
{
	if (chunk->count > 0 && !drop_named(run, chunk->named, chunk->count, chunk->peers))
		*ok = false;
	for (size_t i = 0; i < chunk->count; i++)
		free((void *)chunk->named[i].pairs);
	chunk->count = 0;
	/* What a batch did is told before the next begins. */
	report_flush_reports();
}

/*
 * How long to wait for more input before the chunk must be dropped.  An
 * empty chunk waits a second at a time, so that a signal that came just
 * before a read began is seen within a second.
 */
static int
wait_limit(const struct chunk *chunk)
{
	struct timespec now;
	long elapsed;

	if (chunk->count == 0)
		return IDLE_MOST_MS;
	clock_gettime(CLOCK_MONOTONIC, &now);
	elapsed = (now.tv_sec - chunk->first_read.tv_sec) * 1000 +
	    (now.tv_nsec - chunk->first_read.tv_nsec) / 1000000;
	return elapsed >= FLUSH_AFTER_MS ? 0 : (int)(FLUSH_AFTER_MS - elapsed);
}

/*
 * Is a line's namespace the one this run acts in?  A line never acts in
 * another namespace than the one it names: it is refused, with the reason.
 */
static bool
in_our_namespace(struct netns_memo *memo, const char *name, const char *path,
    unsigned long number)
{
	/* Without our own namespace there is nothing to compare with: that is what failed. */
	if (memo->own_error != 0) {
		report_line_own_netns_unknown(path, number, name, memo->own_error);
		return false;
	}
	if (memo->last_name == NULL || strcmp(memo->last_name, name) != 0) {
		char *namespace_path = netns_path(name);
		struct netns_id id;
		int fd, error;

		fd = netns_open(namespace_path);
		free(namespace_path);
		error = fd < 0 ? fd : netns_identify(fd, &id);
		if (fd >= 0)
			close(fd);
		if (error != 0) {
			report_line_netns(path, number, name, error);
			return false;
		}
		free(memo->last_name);
		memo->last_name = xstrdup(name);
		memo->last_ours = id.device == memo->own.device && id.inode == memo->own.inode;
	}
	if (!memo->last_ours)
		report_line_other_netns(path, number, name);
	return memo->last_ours;
}

/* The connection a line names, resolved into the chunk; false (and said why) if none. */
static bool
resolve_line(char *text, const char *path, unsigned long number, struct chunk *chunk)
{
	struct line line;
	struct tuple tuple;
	struct operand_problem problem;
	const char *culprit = NULL;
	enum line_problem parsed = line_parse(text, &line, &culprit);

	if (parsed != LINE_OK) {
		report_line_problem(path, number, parsed, culprit);
		return false;
	}
	if (line.count == 0 && line.netns == NULL)
		return true;
	if (line.netns != NULL && !in_our_namespace(&chunk->netns, line.netns, path, number))
		return false;
	if (line.count != 2 && line.count != 4) {
		report_line_words(path, number, line.count);
		return false;
	}
	/* A list names connections; a pattern would be looked up as a name, and fail obscurely. */
	if (pattern_in_operands(line.operands, line.count)) {
		report_line_pattern(path, number);
		return false;
	}
	if (!tuple_name(line.operands, line.count, &tuple, &problem)) {
		report_line_tuple(path, number, &problem);
		tuple_free(&tuple);
		return false;
	}
	if (chunk->count == 0) {
		chunk->first_line = number;
		clock_gettime(CLOCK_MONOTONIC, &chunk->first_read);
	}
	/* A line -l -k wrote names one socket: that one, and never a newer one in its place. */
	if (line.has_cookie)
		for (size_t i = 0; i < tuple.named.count; i++)
			((struct conn *)tuple.named.pairs)[i].cookie = line.cookie;
	/* The chunk keeps the pairs; the rest of the tuple goes. */
	chunk->named[chunk->count++] = tuple.named;
	tuple.named.pairs = NULL;
	tuple_free(&tuple);
	return true;
}

/* A signal stopped the run: what was read and not yet dropped is left. */
_Noreturn static void
die_stopped_reading(const struct chunk *chunk, unsigned long number, const char *name)
{
	char *shown = spell_escaped(name);
	char *what = xasprintf("line %lu of %s and those after it were not dropped",
	    chunk->count > 0 ? chunk->first_line : number + 1, shown);

	free(shown);
	die_interrupted(what);
}

bool
drop_listed(const struct run *run, const char *path)
{
	bool from_stdin = strcmp(path, "-") == 0;
	int fd = from_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	const char *name = from_stdin ? "(stdin)" : path;
	struct input *input;
	struct chunk *chunk;
	unsigned long number = 0;
	bool ok = true;

	if (fd < 0)
		die_file_failed(path);
	chunk = xcalloc(1, sizeof(*chunk));
	input = input_new(fd);
	chunk->peers = dropped_peers_new();
	chunk->netns.own_error = netns_current(&chunk->netns.own);
	interrupt_watch();
	for (;;) {
		char *line;
		size_t length;
		enum input_event event;

		if (interrupted())
			die_stopped_reading(chunk, number, name);
		event = input_next(input, wait_limit(chunk), &line, &length);
		if (event == INPUT_END)
			break;
		if (event == INPUT_IDLE || event == INPUT_INTERRUPTED) {
			if (event == INPUT_IDLE)
				chunk_drop(chunk, run, &ok);
			continue;
		}
		if (event == INPUT_ERROR)
			die_file_failed(path);
		if (event == INPUT_LINE || event == INPUT_TOO_LONG)
			number++;
		if (event == INPUT_TOO_LONG) {
			report_line_too_long(name, number, INPUT_LINE_MOST);
			ok = false;
		} else if (event == INPUT_LINE && memchr(line, '\0', length) != NULL) {
			/* Text ends at a NUL byte; what follows it would be lost unseen. */
			report_line_nul(name, number);
			ok = false;
		} else if (event == INPUT_LINE && !resolve_line(line, name, number, chunk)) {
			ok = false;
		}
		/* Full, or its first line waited long enough (lines at hand do not wait). */
		if (chunk->count == BATCH_LINES || (chunk->count > 0 && wait_limit(chunk) == 0))
			chunk_drop(chunk, run, &ok);
	}
	chunk_drop(chunk, run, &ok);
	if (interrupted())
		die_stopped_reading(chunk, number, name);
	dropped_peers_free(chunk->peers);
	free(chunk->netns.last_name);
	free(chunk);
	input_free(input);
	if (!from_stdin)
		close(fd);
	return ok;
}
