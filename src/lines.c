/*
 * One line of -l and -f: the command -l writes, and the pure parsing of it
 * that -f does, side by side so that the two keep one grammar.
 */
#include "lines.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "spell.h"

static bool
is_blank(char c)
{
	return c != '\0' && strchr(" \t\r\n\v\f", c) != NULL;
}

/*
 * The next word from *cursor, unquoted in place (a word never grows when
 * its quotes go).  Returns NULL at the end of the line or at a comment;
 * sets *open_quote if a quote does not end.
 */
static char *
next_word(char **cursor, bool *open_quote)
{
	char *in = *cursor, *out, *word;

	while (is_blank(*in))
		in++;
	if (*in == '\0' || *in == '#') {
		*cursor = in;
		return NULL;
	}
	word = out = in;
	while (*in != '\0' && !is_blank(*in)) {
		if (*in == '\'') {
			char *close = strchr(in + 1, '\'');

			if (close == NULL) {
				*open_quote = true;
				return NULL;
			}
			memmove(out, in + 1, (size_t)(close - in - 1));
			out += close - in - 1;
			in = close + 1;
		} else if (*in == '\\' && in[1] != '\0') {
			*out++ = in[1];
			in += 2;
		} else {
			*out++ = *in++;
		}
	}
	*cursor = *in != '\0' ? in + 1 : in;
	*out = '\0';
	return word;
}

/* Does the text mention a cookie, in any case? */
static bool
mentions_cookie(const char *text)
{
	return strcasestr(text, "cookie") != NULL;
}

/*
 * "# cookie N", as -l -k writes it: the socket the line meant.  Text may
 * follow the number, after a blank.  A comment that mentions a cookie in
 * any other way ("# Cookie N", "# cookie: N", "# reviewed, cookie N", a
 * number past 64 bits) is no cookie that can be trusted, and no comment to
 * pass over either: the line would drop by addresses alone whatever holds
 * them now.  It is refused.
 */
static enum line_problem
comment_cookie(const char *comment, struct line *line)
{
	const char *number;
	size_t digits, zeros;

	comment += 1 + strspn(comment + 1, " \t");
	if (strncmp(comment, "cookie", 6) != 0 || !is_blank(comment[6]))
		return mentions_cookie(comment) ? LINE_BAD_COOKIE : LINE_OK;
	number = comment + 6 + strspn(comment + 6, " \t");
	digits = strspn(number, "0123456789");
	if (digits == 0 || (number[digits] != '\0' && !is_blank(number[digits])))
		return LINE_BAD_COOKIE;
	/*
	 * A cookie is 64 bits, and all ones is the kernel's "no cookie": at
	 * most 20 digits past leading zeros, and less than UINT64_MAX.
	 */
	zeros = strspn(number, "0");
	if (zeros == digits)
		zeros--;
	if (digits - zeros > 20 ||
	    (digits - zeros == 20 && strncmp(number + zeros, "18446744073709551615", 20) >= 0))
		return LINE_BAD_COOKIE;
	line->cookie = strtoull(number, NULL, 10);
	line->has_cookie = true;
	return LINE_OK;
}

enum line_problem
line_parse(char *text, struct line *line, const char **culprit)
{
	bool open_quote = false, options = true;
	char *cursor = text, *word;

	memset(line, 0, sizeof(*line));
	word = next_word(&cursor, &open_quote);
	if (word != NULL && strcmp(word, "tcpdrop") == 0)
		word = next_word(&cursor, &open_quote);
	for (; word != NULL; word = next_word(&cursor, &open_quote)) {
		if (options && word[0] == '-' && word[1] != '\0') {
			if (strncmp(word, "-N", 2) != 0) {
				*culprit = word;
				return LINE_OPTION;
			}
			line->netns = word[2] != '\0' ? word + 2 : next_word(&cursor, &open_quote);
			if (line->netns == NULL)
				return open_quote ? LINE_OPEN_QUOTE : LINE_NETNS_MISSING;
			continue;
		}
		options = false;
		if (line->count < LINE_OPERANDS_MOST)
			line->operands[line->count] = word;
		line->count++;
	}
	if (open_quote)
		return LINE_OPEN_QUOTE;
	/* A line that names no connection has only a comment, whatever it says. */
	if (*cursor == '#' && line->count > 0 && comment_cookie(cursor, line) != LINE_OK) {
		size_t length = strlen(cursor);

		/* The comment as it was written, without the line's end. */
		while (length > 0 && is_blank(cursor[length - 1]))
			cursor[--length] = '\0';
		*culprit = cursor;
		return LINE_BAD_COOKIE;
	}
	return LINE_OK;
}

/* Is every character of the text one that needs no quoting in sh(1)? */
static bool
shell_safe(const char *text)
{
	return text[0] != '\0' && strspn(text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_.,:%@+=/-") == strlen(text);
}

/* A word as sh(1) and next_word() read it back: as it is, or in single quotes. */
static void
print_shell_word(FILE *stream, const char *text)
{
	if (shell_safe(text)) {
		fputs(text, stream);
		return;
	}
	fputc('\'', stream);
	for (const char *c = text; *c != '\0'; c++) {
		if (*c == '\'')
			fputs("'\\''", stream);
		else
			fputc(*c, stream);
	}
	fputc('\'', stream);
}

void
line_print(FILE *stream, const struct conn *conn, const char *netns, bool cookie)
{
	char local[SPELL_ADDRESS_LENGTH], foreign[INET6_ADDRSTRLEN];

	if (!spell_conn_words(conn, local, foreign)) {
		fprintf(stream, "# (address family %u)\n", conn->family);
		return;
	}
	fputs("tcpdrop ", stream);
	if (netns != NULL && spell_text_printable(netns)) {
		fputs("-N ", stream);
		print_shell_word(stream, netns);
		fputc(' ', stream);
	} else if (netns != NULL) {
		/* Only a suggestion on stderr gets here (-l refuses such a name): shown, escaped. */
		char *shown = spell_escaped(netns);

		fprintf(stream, "-N %s ", shown);
		free(shown);
	}
	/* A device's name may hold any character but a slash, a colon or a blank. */
	print_shell_word(stream, local);
	fprintf(stream, " %u %s %u", conn->local_port, foreign, conn->foreign_port);
	/* A comment to sh(1); to -f, the socket meant and no other (see comment_cookie()). */
	if (cookie)
		fprintf(stream, " # cookie %" PRIu64, conn->cookie);
	fputc('\n', stream);
}
