/* The lines of a -f file: one connection each, as -l prints it. */
#ifndef TCPDROP_LINES_H
#define TCPDROP_LINES_H

#include <stdbool.h>
#include <stdint.h>

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

#endif
