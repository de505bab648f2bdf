/*
 * The lines of -l and -f: one connection each, a command that sh(1) runs
 * and that -f reads back.  Both sides of the grammar live here.
 */
#ifndef TCPDROP_LINES_H
#define TCPDROP_LINES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct conn;

enum { LINE_OPERANDS_MOST = 4 };

/* One line split into words: a network namespace, and the operands. */
struct line {
	const char *netns;			/* -N NAME, or NULL */
	char *operands[LINE_OPERANDS_MOST];	/* the first LINE_OPERANDS_MOST */
	int count;				/* how many operands there were */
	bool has_cookie;			/* a comment "# cookie N" (-l -k) */
	uint64_t cookie;
};

/* Why a line cannot be read as a tcpdrop command. */
enum line_problem {
	LINE_OK,
	LINE_OPEN_QUOTE,	/* a quote that does not end on the line */
	LINE_NETNS_MISSING,	/* -N and nothing after it */
	LINE_OPTION,		/* an option other than -N */
	LINE_BAD_COOKIE,	/* a comment that mentions a cookie, but not as -l -k writes it */
};

/*
 * Split a line into words in place, as sh(1) would split the commands -l
 * prints: blanks separate words, a word may be 'quoted' and a character
 * escaped with a backslash, and a word that begins with '#' starts a
 * comment; the comment "# cookie N" that -l -k writes gives the socket's
 * cookie (text may follow N), and any other comment that mentions a cookie
 * is LINE_BAD_COOKIE.  A leading "tcpdrop" is skipped, and then "-N NAME"
 * (or "-NNAME") names a network namespace.  On LINE_OPTION, *culprit is
 * the word at fault; on LINE_BAD_COOKIE, the comment.
 */
enum line_problem line_parse(char *text, struct line *line, const char **culprit);

/*
 * The command that drops the connection, as -l lists it: valid input for
 * sh(1) and for line_parse(), with -N netns unless netns is NULL (the
 * namespace it is in, when that is not the caller's), and with cookie, the
 * comment "# cookie N" that names this socket and no other.  A netns that
 * is not printable text is shown escaped, for a person to read: -l
 * refuses such a name, and only a suggestion on stderr writes one.
 */
void line_print(FILE *stream, const struct conn *conn, const char *netns, bool cookie);

#endif
