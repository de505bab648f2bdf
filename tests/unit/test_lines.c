/* Lines of a -f file: operands, comments, blanks and -l's leading "tcpdrop". */
#include "lines.h"
#include "unit.h"

static void
line(const char *text, int want_count, const char *want_first, const char *want_last)
{
	char buffer[256], *operands[4] = { 0 }, name[300];
	int count;

	snprintf(buffer, sizeof(buffer), "%s", text);
	count = line_operands(buffer, operands, 4);
	snprintf(name, sizeof(name), "line '%s'", text);
	/* A test's name stays on its TAP line. */
	for (char *c = name; *c != '\0'; c++)
		if (*c == '\n' || *c == '\r' || *c == '\t')
			*c = ' ';
	CHECK(count == want_count, name);
	if (count == want_count && count > 0 && count <= 4) {
		CHECK_STR(operands[0], want_first, name);
		CHECK_STR(operands[count - 1], want_last, name);
	}
}

int
main(void)
{
	line("tcpdrop 127.0.0.1 80 127.0.0.1 40000\n", 4, "127.0.0.1", "40000");
	line("127.0.0.1 80 127.0.0.1 40000", 4, "127.0.0.1", "40000");
	line("  [::1]:22\t[::1]:50000\r\n", 2, "[::1]:22", "[::1]:50000");
	line("tcpdrop 1.2.3.4.80 5.6.7.8.90 # a comment\n", 2, "1.2.3.4.80", "5.6.7.8.90");
	line("# only a comment\n", 0, NULL, NULL);
	line("\n", 0, NULL, NULL);
	line("   \t  ", 0, NULL, NULL);
	line("tcpdrop\n", 0, NULL, NULL);
	line("localhost http localhost 40000 extra\n", 5, NULL, NULL);
	line("a b c d e f g h", 8, NULL, NULL);
	line("127.0.0.1:80", 1, "127.0.0.1:80", "127.0.0.1:80");
	/* Only the first word may be the command's name. */
	line("127.0.0.1:80 tcpdrop", 2, "127.0.0.1:80", "tcpdrop");
	return unit_done();
}
