/* Resolving operands to the connections they may name (numeric, no network). */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include "tuple.h"
#include "unit.h"

/* Resolve; *error is 0, or 1 + the kind of problem. */
static size_t
resolve(const char *lhost, const char *lport, const char *fhost, const char *fport,
    struct conn **pairs, int *error)
{
	struct endpoint local = { (char *)lhost, (char *)lport };
	struct endpoint foreign = { (char *)fhost, (char *)fport };
	struct operand_problem problem = { 0 };
	size_t count = 0;

	*error = tuple_resolve(&local, &foreign, pairs, &count, &problem) ? 0 :
	    1 + (int)problem.kind;
	return count;
}

#define PROBLEM(kind) (1 + (int)(kind))

int
main(void)
{
	struct conn *pairs;
	struct endpoint local, foreign;
	char text[64];
	int error;
	size_t count;

	count = resolve("192.168.5.41", "80", "192.168.5.1", "26747", &pairs, &error);
	CHECK(error == 0 && count == 1, "IPv4 numeric pair");
	if (count == 1) {
		CHECK(pairs[0].family == AF_INET && pairs[0].local_port == 80 &&
		    pairs[0].foreign_port == 26747, "ports and family");
		inet_ntop(AF_INET, pairs[0].foreign, text, sizeof(text));
		CHECK_STR(text, "192.168.5.1", "foreign address");
	}
	free(pairs);

	/* Service names come from the service database (netbase's /etc/services). */
	if (getservbyname("https", "tcp") == NULL) {
		unit_skip("IPv6 with a service name", "no service database here names https");
	} else {
		count = resolve("2001:db8::1", "https", "2001:db8::2", "1024", &pairs, &error);
		CHECK(error == 0 && count == 1 && pairs[0].local_port == 443,
		    "IPv6 with a service name");
		free(pairs);
	}

	count = resolve("127.0.0.1", "80", "::1", "80", &pairs, &error);
	CHECK(error == 0 && count == 0, "different families pair with nothing");
	free(pairs);

	count = resolve("127.0.0.1", "no-such-service", "127.0.0.1", "80", &pairs, &error);
	CHECK(error != 0 && pairs == NULL, "an unknown service is a resolver error");

	count = resolve("fe80::1%lo", "80", "fe80::2", "81", &pairs, &error);
	CHECK(error == 0 && count == 1 && pairs[0].ifindex == 1,
	    "a scoped address names its device");
	free(pairs);

	count = resolve("fe80::1", "80", "fe80::2%1", "81", &pairs, &error);
	CHECK(error == 0 && count == 1 && pairs[0].ifindex == 1,
	    "the foreign address's scope, by index, is the connection's");
	free(pairs);

	count = resolve("127.0.0.1%lo", "80", "127.0.0.1", "0", &pairs, &error);
	CHECK(error == 0 && count == 1 && pairs[0].ifindex == 1 && pairs[0].foreign_port == 0,
	    "an IPv4 address scoped to a device; port 0");
	free(pairs);

	count = resolve("127.0.0.1%tcpdrop-none", "80", "127.0.0.1", "81", &pairs, &error);
	CHECK(error == PROBLEM(OPERAND_BAD_DEVICE), "a scope that names no device");
	count = resolve("127.0.0.1%4000000000", "80", "127.0.0.1", "81", &pairs, &error);
	CHECK(error == PROBLEM(OPERAND_BAD_DEVICE), "an index that names no device");
	count = resolve("%lo", "80", "127.0.0.1", "81", &pairs, &error);
	CHECK(error == PROBLEM(OPERAND_BAD_HOST), "a scope without an address");
	count = resolve("127.0.0.1%", "80", "127.0.0.1", "81", &pairs, &error);
	CHECK(error == PROBLEM(OPERAND_BAD_DEVICE), "an empty scope");
	count = resolve("fe80::1%lo", "80", "fe80::2%2", "81", &pairs, &error);
	CHECK(error == PROBLEM(OPERAND_OTHER_DEVICE) || error == PROBLEM(OPERAND_BAD_DEVICE),
	    "two different scopes name no connection");

	CHECK(tuple_endpoints((char *[]){ "1.2.3.4:80", "5.6.7.8.90" }, 2, &local, &foreign) == -1,
	    "two operands");
	CHECK_STR(foreign.port, "90", "the second operand's port");
	endpoint_free(&local);
	endpoint_free(&foreign);
	CHECK(tuple_endpoints((char *[]){ "1.2.3.4:80", "localhost" }, 2, &local, &foreign) == 1,
	    "the second operand is the bad one");
	CHECK(tuple_endpoints((char *[]){ "1.2.3.4", "", "5.6.7.8", "9" }, 4, &local,
	    &foreign) == 1, "an empty local port is the bad one");
	CHECK(tuple_endpoints((char *[]){ "1.2.3.4", "1", "", "9" }, 4, &local, &foreign) == 2,
	    "an empty foreign address is the bad one");

	/* One function from operands to the connection, with the problem's own type. */
	struct tuple tuple;
	struct operand_problem problem;

	CHECK(tuple_name((char *[]){ "127.0.0.1", "80", "127.0.0.1", "0" }, 4, &tuple, &problem) &&
	    tuple.named.count == 1 && tuple.named.pairs[0].foreign_port == 0,
	    "operands to a named connection");
	tuple_free(&tuple);
	CHECK(!tuple_name((char *[]){ "127.0.0.1", "80", "::1", "80" }, 4, &tuple, &problem) &&
	    problem.kind == OPERAND_FAMILIES && strcmp(problem.text, "127.0.0.1") == 0 &&
	    strcmp(problem.port, "80") == 0 && strcmp(problem.foreign, "::1") == 0 &&
	    strcmp(problem.foreign_port, "80") == 0,
	    "different families, with both endpoints to tell");
	tuple_free(&tuple);
	CHECK(!tuple_name((char *[]){ "127.0.0.1:80", "nowhere" }, 2, &tuple, &problem) &&
	    problem.kind == OPERAND_NOT_ENDPOINT && strcmp(problem.text, "nowhere") == 0,
	    "an operand that is no address and port");
	tuple_free(&tuple);
	CHECK(!tuple_name((char *[]){ "127.0.0.1", "65536", "127.0.0.1", "80" }, 4, &tuple,
	    &problem) && problem.kind == OPERAND_BAD_PORT && strcmp(problem.text, "65536") == 0 &&
	    !problem.pattern,
	    "a bad port, with its endpoint");
	tuple_free(&tuple);
	CHECK(!tuple_name((char *[]){ "127.0.0.1", "no-such-service", "127.0.0.1", "80" }, 4,
	    &tuple, &problem) && problem.kind == OPERAND_UNRESOLVED && problem.resolver != 0 &&
	    strcmp(problem.port, "no-such-service") == 0,
	    "a resolver error keeps getaddrinfo's code, and the port asked for");
	tuple_free(&tuple);
	CHECK(!tuple_name((char *[]){ "fe80::zz%lo", "80", "::1", "80" }, 4, &tuple, &problem) &&
	    problem.kind == OPERAND_BAD_HOST && strcmp(problem.text, "fe80::zz%lo") == 0,
	    "an IPv6 literal that does not parse is blamed as written, scope and all");
	tuple_free(&tuple);
	return unit_done();
}
