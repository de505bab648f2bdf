/*
 * Lines of a -f file: words as sh(1) splits the commands -l prints,
 * comments, blanks, the leading "tcpdrop", and -N.
 */
#include "lines.h"
#include "unit.h"

struct case_ {
	const char *text;
	enum line_problem problem;
	int count;
	const char *first, *last, *netns;
};

static const struct case_ cases[] = {
	{ "tcpdrop 127.0.0.1 80 127.0.0.1 40000\n", LINE_OK, 4, "127.0.0.1", "40000", NULL },
	{ "127.0.0.1 80 127.0.0.1 40000", LINE_OK, 4, "127.0.0.1", "40000", NULL },
	{ "  [::1]:22\t[::1]:50000\r\n", LINE_OK, 2, "[::1]:22", "[::1]:50000", NULL },
	{ "tcpdrop 1.2.3.4.80 5.6.7.8.90 # a comment\n", LINE_OK, 2, "1.2.3.4.80", "5.6.7.8.90",
	    NULL },
	{ "# only a comment\n", LINE_OK, 0, NULL, NULL, NULL },
	{ "\n", LINE_OK, 0, NULL, NULL, NULL },
	{ "   \t  ", LINE_OK, 0, NULL, NULL, NULL },
	{ "tcpdrop\n", LINE_OK, 0, NULL, NULL, NULL },
	{ "localhost http localhost 40000 extra\n", LINE_OK, 5, "localhost", "40000", NULL },
	{ "a b c d e f g h", LINE_OK, 8, "a", "d", NULL },
	{ "127.0.0.1:80", LINE_OK, 1, "127.0.0.1:80", "127.0.0.1:80", NULL },
	/* Only the first word may be the command's name. */
	{ "127.0.0.1:80 tcpdrop", LINE_OK, 2, "127.0.0.1:80", "tcpdrop", NULL },
	/* As in sh(1), '#' starts a comment only at the start of a word. */
	{ "a#b c", LINE_OK, 2, "a#b", "c", NULL },
	{ "tcpdrop -N ns 10.0.0.1 80 10.0.0.2 90\n", LINE_OK, 4, "10.0.0.1", "90", "ns" },
	{ "tcpdrop -Nns 10.0.0.1:80 10.0.0.2:90", LINE_OK, 2, "10.0.0.1:80", "10.0.0.2:90", "ns" },
	{ "-N /proc/1/ns/net a b", LINE_OK, 2, "a", "b", "/proc/1/ns/net" },
	{ "tcpdrop -N 'my ns' a b", LINE_OK, 2, "a", "b", "my ns" },
	{ "tcpdrop -N 'it'\\''s' a b", LINE_OK, 2, "a", "b", "it's" },
	{ "tcpdrop -N ns # just a namespace", LINE_OK, 0, NULL, NULL, "ns" },
	{ "tcpdrop 'fe80::1%we#rd' 22 fe80::2 40000", LINE_OK, 4, "fe80::1%we#rd", "40000",
	    NULL },
	{ "tcpdrop fe80::1%a\\ b 22 fe80::2 40000", LINE_OK, 4, "fe80::1%a b", "40000", NULL },
	{ "a''b c", LINE_OK, 2, "ab", "c", NULL },
	{ "'' c", LINE_OK, 2, "", "c", NULL },
	/* After the operands begin, a word with a dash is one more operand. */
	{ "a b c d -N ns", LINE_OK, 6, "a", "d", NULL },
	{ "tcpdrop -N 'ns a b", LINE_OPEN_QUOTE, 0, NULL, NULL, NULL },
	{ "a 'b c", LINE_OPEN_QUOTE, 0, NULL, NULL, NULL },
	{ "tcpdrop -N", LINE_NETNS_MISSING, 0, NULL, NULL, NULL },
	{ "tcpdrop -N # comment", LINE_NETNS_MISSING, 0, NULL, NULL, NULL },
	{ "tcpdrop -l a b", LINE_OPTION, 0, NULL, NULL, NULL },
	{ "- a b", LINE_OK, 3, "-", "b", NULL },
	{ "-x a b", LINE_OPTION, 0, NULL, NULL, NULL },
};

/*
 * The comment -l -k writes gives the socket's cookie, and text may follow
 * it; a comment that mentions a cookie in any other way refuses the line,
 * and any other comment is only a comment.
 */
static void
test_cookies(void)
{
	static const struct {
		const char *text;
		enum line_problem problem;
		bool has_cookie;
		uint64_t cookie;
		const char *culprit;	/* LINE_BAD_COOKIE: the comment, as written */
	} cookies[] = {
		{ "tcpdrop 127.0.0.1 80 127.0.0.1 40000 # cookie 4711\n", LINE_OK, true, 4711, NULL },
		{ "tcpdrop -N ns a 1 b 2 #\tcookie\t18446744073709551614 ", LINE_OK, true,
		    UINT64_MAX - 1, NULL },
		{ "tcpdrop a 1 b 2 # cookie 0", LINE_OK, true, 0, NULL },
		{ "tcpdrop a 1 b 2 # cookie 000000000000000000000000042", LINE_OK, true, 42, NULL },
		{ "tcpdrop a 1 b 2 # cookie 123 reviewed by ann", LINE_OK, true, 123, NULL },
		{ "tcpdrop a 1 b 2 # cookie 123\tCookie: ok", LINE_OK, true, 123, NULL },
		{ "tcpdrop a 1 b 2 #cookie 7", LINE_OK, true, 7, NULL },
		{ "tcpdrop a 1 b 2 # reviewed", LINE_OK, false, 0, NULL },
		{ "tcpdrop a 1 b 2 ## biscuits", LINE_OK, false, 0, NULL },
		/* sh(1) would not see a comment in these either. */
		{ "tcpdrop a 1 b 2#cookie 12", LINE_OK, false, 0, NULL },
		{ "tcpdrop a 1 b 2 '# cookie 12'", LINE_OK, false, 0, NULL },
		/* All ones is the kernel's "no cookie"; past it, no 64-bit number. */
		{ "tcpdrop a 1 b 2 # cookie 18446744073709551615", LINE_BAD_COOKIE, false, 0,
		    "# cookie 18446744073709551615" },
		{ "tcpdrop a 1 b 2 # cookie 18446744073709551616", LINE_BAD_COOKIE, false, 0,
		    "# cookie 18446744073709551616" },
		{ "tcpdrop a 1 b 2 # cookie 123456789012345678901", LINE_BAD_COOKIE, false, 0,
		    "# cookie 123456789012345678901" },
		{ "tcpdrop a 1 b 2 # cookie 12x", LINE_BAD_COOKIE, false, 0, "# cookie 12x" },
		{ "tcpdrop a 1 b 2 # cookie", LINE_BAD_COOKIE, false, 0, "# cookie" },
		{ "tcpdrop a 1 b 2 # cookie -12", LINE_BAD_COOKIE, false, 0, "# cookie -12" },
		{ "tcpdrop a 1 b 2 # cookie 0x12", LINE_BAD_COOKIE, false, 0, "# cookie 0x12" },
		{ "tcpdrop a 1 b 2 # cookies 12", LINE_BAD_COOKIE, false, 0, "# cookies 12" },
		{ "tcpdrop a 1 b 2 # cookie: 12", LINE_BAD_COOKIE, false, 0, "# cookie: 12" },
		{ "tcpdrop a 1 b 2 # Cookie 12\r\n", LINE_BAD_COOKIE, false, 0, "# Cookie 12" },
		{ "tcpdrop a 1 b 2 # COOKIE=12", LINE_BAD_COOKIE, false, 0, "# COOKIE=12" },
		{ "tcpdrop a 1 b 2 # reviewed, cookie 12", LINE_BAD_COOKIE, false, 0,
		    "# reviewed, cookie 12" },
		{ "tcpdrop a 1 b 2 # ok # cookie 12", LINE_BAD_COOKIE, false, 0, "# ok # cookie 12" },
		/* A line that names no connection has only a comment, whatever it says. */
		{ "# Cookies reviewed by ann:", LINE_OK, false, 0, NULL },
		{ "# cookie 12", LINE_OK, false, 0, NULL },
	};

	for (size_t i = 0; i < sizeof(cookies) / sizeof(cookies[0]); i++) {
		char buffer[256], name[300];
		const char *culprit = NULL;
		struct line line;
		enum line_problem problem;

		snprintf(buffer, sizeof(buffer), "%s", cookies[i].text);
		snprintf(name, sizeof(name), "cookie in '%s'", cookies[i].text);
		for (char *p = name; *p != '\0'; p++)
			if (*p == '\n' || *p == '\t' || *p == '\r')
				*p = ' ';
		problem = line_parse(buffer, &line, &culprit);
		CHECK(problem == cookies[i].problem, name);
		if (problem == LINE_BAD_COOKIE)
			CHECK_STR(culprit, cookies[i].culprit, name);
		else
			CHECK(line.has_cookie == cookies[i].has_cookie &&
			    (!line.has_cookie || line.cookie == cookies[i].cookie), name);
	}
}

int
main(void)
{
	test_cookies();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct case_ *c = &cases[i];
		char buffer[256], name[300];
		const char *culprit = NULL;
		struct line line;
		enum line_problem problem;

		snprintf(buffer, sizeof(buffer), "%s", c->text);
		problem = line_parse(buffer, &line, &culprit);
		snprintf(name, sizeof(name), "line '%s'", c->text);
		/* A test's name stays on its TAP line. */
		for (char *p = name; *p != '\0'; p++)
			if (*p == '\n' || *p == '\r' || *p == '\t')
				*p = ' ';
		CHECK(problem == c->problem, name);
		if (problem != LINE_OK || c->problem != LINE_OK) {
			if (problem == LINE_OPTION)
				CHECK(culprit != NULL && culprit[0] == '-', name);
			continue;
		}
		CHECK(line.count == c->count, name);
		CHECK_STR(line.netns, c->netns, name);
		if (line.count == c->count && c->count > 0) {
			int last = c->count < LINE_OPERANDS_MOST ? c->count : LINE_OPERANDS_MOST;

			CHECK_STR(line.operands[0], c->first, name);
			CHECK_STR(line.operands[last - 1], c->last, name);
		}
	}
	return unit_done();
}
