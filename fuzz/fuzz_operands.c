/*
 * libFuzzer harness for the operand parser: the input is split into up to
 * four NUL-separated operands, which go through endpoint_split(),
 * endpoint_from_parts(), endpoint_port_valid(), endpoint_host_valid(),
 * endpoint_scope_split(), operand_blame() and tuple_endpoints() with 2 and
 * 4 operands.  These functions decide what connection a command line
 * names, so a wrong answer drops the wrong connection or blames the wrong
 * operand; every invariant the headers promise is checked, and every
 * allocation is freed, so that a leak shows.  endpoint_resolve() and
 * tuple_resolve() are left out: getaddrinfo(3) may ask the DNS, and a
 * device's name is asked of the kernel.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "endpoint.h"
#include "tuple.h"
#include "fuzz.h"

#define OPERANDS 4


static bool
has_bracket(const char *text)
{
	return strpbrk(text, "[]") != NULL;
}

static bool
all_digits(const char *text)
{
	return text[0] != '\0' && text[strspn(text, "0123456789")] == '\0';
}

/* The value of a decimal numeral, saturated above 65535; leading zeros count for nothing. */
static unsigned long
decimal_value(const char *text)
{
	unsigned long value = 0;

	for (; *text != '\0'; text++) {
		value = value * 10 + (unsigned long)(*text - '0');
		if (value > 65535)
			return 65536;
	}
	return value;
}

/*
 * Host names are printable ASCII, and a name as long as a DNS name may be
 * (253 characters) is one; a longer one may be refused.
 */
static void
check_host_valid(const char *text)
{
	bool text_only = text[0] != '\0';
	size_t length = strlen(text);

	for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; c++)
		if (*c < 0x21 || *c > 0x7e)
			text_only = false;
	if (endpoint_host_valid(text))
		REQUIRE(text_only);
	else
		REQUIRE(!text_only || length > 253);
}

static void
check_port_valid(const char *text)
{
	bool valid = endpoint_port_valid(text);

	if (all_digits(text)) {
		unsigned long value = decimal_value(text);

		REQUIRE(valid == (value <= 65535));
	} else if (valid) {
		/* A service name: text, neither signed nor hexadecimal. */
		REQUIRE(endpoint_host_valid(text));
		REQUIRE(text[0] != '-' && text[0] != '+');
		REQUIRE(!(text[0] == '0' && (text[1] == 'x' || text[1] == 'X')));
	}
}

/*
 * Check endpoint_split() against what it promises: non-empty parts that
 * put back together give the operand, split at the later of the last '.'
 * and the last ':', or after a bracketed host.
 */
static bool
check_split(const char *operand, struct endpoint *endpoint)
{
	bool ok = endpoint_split(operand, endpoint);
	size_t host_length, port_length, length = strlen(operand);

	if (!ok) {
		REQUIRE(endpoint->host == NULL && endpoint->port == NULL);
		return false;
	}
	REQUIRE(endpoint->host != NULL && endpoint->port != NULL);
	host_length = strlen(endpoint->host);
	port_length = strlen(endpoint->port);
	REQUIRE(host_length > 0 && port_length > 0);
	REQUIRE(!has_bracket(endpoint->host));
	if (operand[0] == '[') {
		REQUIRE(length == host_length + port_length + 3);
		REQUIRE(memcmp(operand + 1, endpoint->host, host_length) == 0);
		REQUIRE(operand[host_length + 1] == ']');
		REQUIRE(operand[host_length + 2] == ':' || operand[host_length + 2] == '.');
		REQUIRE(strcmp(operand + host_length + 3, endpoint->port) == 0);
	} else {
		REQUIRE(length == host_length + port_length + 1);
		REQUIRE(memcmp(operand, endpoint->host, host_length) == 0);
		REQUIRE(operand[host_length] == ':' || operand[host_length] == '.');
		REQUIRE(strcmp(operand + host_length + 1, endpoint->port) == 0);
		REQUIRE(strpbrk(endpoint->port, ".:[]") == NULL);
	}
	return true;
}

/* Check endpoint_from_parts(): the port as given, the host as given or unbracketed. */
static bool
check_from_parts(const char *host, const char *port, struct endpoint *endpoint)
{
	bool ok = endpoint_from_parts(host, port, endpoint);
	size_t length = strlen(host);

	if (!ok) {
		REQUIRE(endpoint->host == NULL && endpoint->port == NULL);
		REQUIRE(port[0] == '\0' || length == 0 || has_bracket(host));
		return false;
	}
	REQUIRE(endpoint->host != NULL && endpoint->port != NULL);
	REQUIRE(endpoint->host[0] != '\0' && endpoint->port[0] != '\0');
	REQUIRE(strcmp(endpoint->port, port) == 0);
	REQUIRE(!has_bracket(endpoint->host));
	if (host[0] == '[') {
		REQUIRE(strlen(endpoint->host) + 2 == length);
		REQUIRE(host[length - 1] == ']');
		REQUIRE(memcmp(host + 1, endpoint->host, length - 2) == 0);
	} else {
		REQUIRE(strcmp(endpoint->host, host) == 0);
	}
	return true;
}

/*
 * endpoint_scope_split(): the address and the scope put back together
 * give the host (the address cut to fit), and only a scope follows a '%'.
 */
static void
check_scope_split(const char *host)
{
	char address[OPERAND_TEXT_MOST], small[8];
	const char *scope = endpoint_scope_split(host, address, sizeof(address));
	const char *percent = strrchr(host, '%');
	size_t length = percent != NULL ? (size_t)(percent - host) : strlen(host);

	REQUIRE((scope == NULL) == (percent == NULL));
	if (scope != NULL)
		REQUIRE(scope == percent + 1 && strchr(scope, '%') == NULL);
	if (length > sizeof(address) - 1)
		length = sizeof(address) - 1;
	REQUIRE(strlen(address) == length && memcmp(address, host, length) == 0);
	REQUIRE(endpoint_scope_split(host, small, sizeof(small)) == scope);
	REQUIRE(strlen(small) == (length < sizeof(small) ? length : sizeof(small) - 1) &&
	    memcmp(small, host, strlen(small)) == 0);
	/* The numeric-host rule: a colon in the address. */
	REQUIRE(endpoint_numeric_only(address) == (memchr(host, ':', strlen(address)) != NULL));
}

/* operand_blame(): false, the kind, and the text as far as it fits, terminated. */
static void
check_blame(const char *text)
{
	struct operand_problem problem;
	size_t length = strlen(text);

	memset(&problem, 0xa5, sizeof(problem));
	REQUIRE(!operand_blame(&problem, OPERAND_BAD_HOST, text));
	REQUIRE(problem.kind == OPERAND_BAD_HOST);
	if (length > sizeof(problem.text) - 1)
		length = sizeof(problem.text) - 1;
	REQUIRE(strlen(problem.text) == length && memcmp(problem.text, text, length) == 0);
}

static bool
same_endpoint(const struct endpoint *a, const struct endpoint *b)
{
	return strcmp(a->host, b->host) == 0 && strcmp(a->port, b->port) == 0;
}

/*
 * tuple_endpoints() must agree with the functions it is built from, name
 * the first operand that is really at fault, and leave nothing allocated
 * when it fails.
 */
static void
check_tuple(char *const operands[], int count)
{
	struct endpoint local, foreign, expect_local, expect_foreign;
	bool local_ok, foreign_ok = false;
	int bad = tuple_endpoints(operands, count, &local, &foreign);

	if (count == 2) {
		local_ok = check_split(operands[0], &expect_local);
		if (local_ok)
			foreign_ok = check_split(operands[1], &expect_foreign);
	} else {
		local_ok = check_from_parts(operands[0], operands[1], &expect_local);
		if (local_ok)
			foreign_ok = check_from_parts(operands[2], operands[3], &expect_foreign);
	}
	if (bad < 0) {
		REQUIRE(local_ok && foreign_ok);
		REQUIRE(same_endpoint(&local, &expect_local));
		REQUIRE(same_endpoint(&foreign, &expect_foreign));
		endpoint_free(&local);
		endpoint_free(&foreign);
	} else {
		REQUIRE(bad < count);
		REQUIRE(!(local_ok && foreign_ok));
		REQUIRE(local.host == NULL && local.port == NULL);
		REQUIRE(foreign.host == NULL && foreign.port == NULL);
		if (count == 2) {
			REQUIRE(bad == (local_ok ? 1 : 0));
		} else {
			/* The endpoint at fault, and in it the port only if it is empty. */
			int first = local_ok ? 2 : 0;

			REQUIRE(bad == first || bad == first + 1);
			REQUIRE((bad == first + 1) == (operands[first + 1][0] == '\0'));
		}
	}
	endpoint_free(&expect_local);
	if (local_ok)
		endpoint_free(&expect_foreign);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buffer = malloc(size + 1), *operands[OPERANDS];
	static char empty[] = "";
	static const int other_counts[] = { 0, 1, 3 };
	size_t offset = 0;
	int count = 0;

	if (buffer == NULL)
		return 0;
	memcpy(buffer, data, size);
	buffer[size] = '\0';
	/* Operands the input does not hold are empty, as an empty argument is. */
	while (count < OPERANDS && offset <= size) {
		operands[count++] = buffer + offset;
		offset += strlen(buffer + offset) + 1;
	}
	for (int i = count; i < OPERANDS; i++)
		operands[i] = empty;

	for (int i = 0; i < OPERANDS; i++) {
		struct endpoint endpoint;

		check_host_valid(operands[i]);
		check_port_valid(operands[i]);
		check_scope_split(operands[i]);
		check_blame(operands[i]);
		if (check_split(operands[i], &endpoint))
			endpoint_free(&endpoint);
		REQUIRE(endpoint.host == NULL && endpoint.port == NULL);
	}
	check_tuple(operands, 2);
	check_tuple(operands, 4);
	for (size_t i = 0; i < sizeof(other_counts) / sizeof(other_counts[0]); i++) {
		struct endpoint local, foreign;

		/* Any other count is refused at its first operand, with nothing allocated. */
		REQUIRE(tuple_endpoints(operands, other_counts[i], &local, &foreign) == 0);
		REQUIRE(local.host == NULL && local.port == NULL);
		REQUIRE(foreign.host == NULL && foreign.port == NULL);
	}
	free(buffer);
	return 0;
}
