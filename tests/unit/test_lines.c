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

/* The comment -l -k writes gives the socket's cookie; any other comment is only a comment. */
static void
test_cookies(void)
{
	static const struct {
		const char *text;
		bool has_cookie;
		uint64_t cookie;
	} cookies[] = {
		{ "tcpdrop 127.0.0.1 80 127.0.0.1 40000 # cookie 4711\n", true, 4711 },
		{ "tcpdrop -N ns a 1 b 2 #\tcookie\t18446744073709551615 ", true, UINT64_MAX },
		{ "tcpdrop a 1 b 2 # cookie 18446744073709551616", false, 0 },
		{ "tcpdrop a 1 b 2 # cookie 12x", false, 0 },
		{ "tcpdrop a 1 b 2 # cookie", false, 0 },
		{ "tcpdrop a 1 b 2 # cookies 12", false, 0 },
		{ "tcpdrop a 1 b 2 # reviewed, cookie 12", false, 0 },
		{ "tcpdrop a 1 b 2#cookie 12", false, 0 },
		{ "tcpdrop a 1 b 2 '# cookie 12'", false, 0 },
	};

	for (size_t i = 0; i < sizeof(cookies) / sizeof(cookies[0]); i++) {
		char buffer[256], name[300];
		const char *culprit = NULL;
		struct line line;

		snprintf(buffer, sizeof(buffer), "%s", cookies[i].text);
		snprintf(name, sizeof(name), "cookie in '%s'", cookies[i].text);
		for (char *p = name; *p != '\0'; p++)
			if (*p == '\n' || *p == '\t')
				*p = ' ';
		CHECK(line_parse(buffer, &line, &culprit) == LINE_OK &&
		    line.has_cookie == cookies[i].has_cookie &&
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
