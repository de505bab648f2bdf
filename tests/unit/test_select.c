/*
 * Selections: operand patterns (ports, ranges, prefixes, '*'), the
 * predicate every socket is checked against, and the kernel bytecode it
 * compiles to, run here by an interpreter of the kernel's rules
 * (inet_diag_bc_audit and inet_diag_bc_run in net/ipv4/inet_diag.c) and
 * held to give the predicate's answer for every connection of a grid.
 */
#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <stdlib.h>

#include "bytecode.h"
#include "pattern.h"
#include "select.h"
#include "unit.h"

static struct conn
make(int family, const char *local, uint16_t local_port, const char *foreign,
    uint16_t foreign_port)
{
	struct conn conn = { .family = (uint8_t)family, .state = TCP_STATE_ESTABLISHED,
		.local_port = local_port, .foreign_port = foreign_port, .cookie = 1 };

	inet_pton(family, local, conn.local);
	inet_pton(family, foreign, conn.foreign);
	return conn;
}

static void
test_ports(void)
{
	static const struct {
		const char *text;
		bool ok;
		uint16_t low, high;
		enum operand_problem_kind problem;
	} cases[] = {
		{ "*", true, 0, 65535, 0 },
		{ "80", true, 80, 80, 0 },
		{ "0", true, 0, 0, 0 },
		{ "65535", true, 65535, 65535, 0 },
		{ "000080", true, 80, 80, 0 },
		{ "8000-8999", true, 8000, 8999, 0 },
		{ "0-65535", true, 0, 65535, 0 },
		{ "22-22", true, 22, 22, 0 },
		{ "9000-8000", false, 0, 0, OPERAND_BAD_RANGE },
		{ "8000-65536", false, 0, 0, OPERAND_BAD_PORT },
		{ "65536", false, 0, 0, OPERAND_BAD_PORT },
		{ "8000-", false, 0, 0, OPERAND_BAD_PORT },
		{ "1-2-3", false, 0, 0, OPERAND_BAD_PORT },
		{ "-80", false, 0, 0, OPERAND_BAD_PORT },
		{ "80*", false, 0, 0, OPERAND_MISPLACED_STAR },
		{ "*-80", false, 0, 0, OPERAND_MISPLACED_STAR },
		{ "0x50", false, 0, 0, OPERAND_BAD_PORT },
		{ "ms-sql-s", false, 0, 0, OPERAND_UNKNOWN_SERVICE },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint16_t low = 1, high = 1;
		enum operand_problem_kind problem = OPERAND_FAMILIES;	/* never a port's */
		bool ok = pattern_port(cases[i].text, &low, &high, &problem);
		char name[128];

		snprintf(name, sizeof(name), "port pattern '%s'", cases[i].text);
		if (cases[i].ok)
			CHECK(ok && low == cases[i].low && high == cases[i].high, name);
		else
			CHECK(!ok && problem == cases[i].problem, name);
	}
}

static void
test_prefixes(void)
{
	static const struct {
		const char *text;
		bool ok;
		int family;
		unsigned length;
		const char *address;
	} cases[] = {
		{ "198.51.100.0/24", true, AF_INET, 24, "198.51.100.0" },
		{ "198.51.100.7/24", true, AF_INET, 24, "198.51.100.0" },
		{ "10.1.2.3/0", true, AF_INET, 0, "0.0.0.0" },
		{ "10.1.2.3/32", true, AF_INET, 32, "10.1.2.3" },
		{ "10.255.255.255/9", true, AF_INET, 9, "10.128.0.0" },
		{ "2001:db8::/32", true, AF_INET6, 32, "2001:db8::" },
		{ "2001:db8:ffff::1/33", true, AF_INET6, 33, "2001:db8:8000::" },
		{ "::/0", true, AF_INET6, 0, "::" },
		{ "::ffff:10.0.0.0/104", true, AF_INET, 8, "10.0.0.0" },
		{ "::ffff:0:0/96", true, AF_INET, 0, "0.0.0.0" },
		{ "198.51.100.0/33", false, 0, 0, NULL },
		{ "2001:db8::/129", false, 0, 0, NULL },
		{ "198.51.100.0/", false, 0, 0, NULL },
		{ "198.51.100.0/-1", false, 0, 0, NULL },
		{ "198.51.100.0/24/8", false, 0, 0, NULL },
		{ "example.com/24", false, 0, 0, NULL },
		{ "/24", false, 0, 0, NULL },
		{ "198.51.100.0/0024", false, 0, 0, NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct prefix prefix, want = { 0 };
		bool ok = pattern_prefix(cases[i].text, &prefix);
		char name[128];

		snprintf(name, sizeof(name), "prefix '%s'", cases[i].text);
		if (!cases[i].ok) {
			CHECK(!ok, name);
			continue;
		}
		want.family = (uint8_t)cases[i].family;
		want.length = (uint8_t)cases[i].length;
		inet_pton(cases[i].family, cases[i].address, want.address);
		CHECK(ok && memcmp(&prefix, &want, sizeof(want)) == 0, name);
	}
}

static void
test_in_operands(void)
{
	char *exact4[] = { "127.0.0.1", "80", "127.0.0.1", "40000" };
	char *exact2[] = { "127.0.0.1:80", "[::1]:40000" };
	char *service[] = { "127.0.0.1", "ms-sql-s", "127.0.0.1", "40000" };
	char *star[] = { "*", "80", "127.0.0.1", "40000" };
	char *range4[] = { "127.0.0.1", "8000-8999", "127.0.0.1", "40000" };
	char *range2[] = { "127.0.0.1:8000-8999", "127.0.0.1.1" };
	char *prefix2[] = { "[2001:db8::/32]:443", "127.0.0.1.1" };
	char *alone[] = { "*", "127.0.0.1:1" };

	CHECK(!pattern_in_operands(exact4, 4), "four exact operands name one connection");
	CHECK(!pattern_in_operands(exact2, 2), "two exact operands name one connection");
	CHECK(!pattern_in_operands(service, 4), "a service name with dashes is no range");
	CHECK(pattern_in_operands(star, 4), "'*' is a pattern");
	CHECK(pattern_in_operands(range4, 4), "a port range is a pattern");
	CHECK(pattern_in_operands(range2, 2), "a port range after ':' is a pattern");
	CHECK(pattern_in_operands(prefix2, 2), "a bracketed prefix is a pattern");
	CHECK(pattern_in_operands(alone, 2), "'*' alone is a pattern");
}

/* The operands' pattern; the test fails (and the pattern is empty) if they do not parse. */
static bool
parse(struct pattern *pattern, int count, char **operands, enum operand_problem_kind *kind)
{
	struct operand_problem problem;
	bool ok = pattern_parse(operands, count, pattern, &problem);

	if (kind != NULL)
		*kind = problem.kind;
	return ok;
}

static void
test_parse(void)
{
	struct pattern pattern;
	enum operand_problem_kind kind;
	char *any2[] = { "*", "*" };
	char *fail2ban[] = { "*", "*", "198.51.100.7", "*" };
	char *bracketed[] = { "[2001:db8::/32]:443", "*:*" };
	char *dotted[] = { "10.0.0.0/8.8000-8999", "*.*" };
	char *star_inside[] = { "198.51.*.7", "*", "*", "*" };
	char *star_prefix[] = { "*/24", "*", "*", "*" };
	char *bad_prefix[] = { "198.51.100.0/33", "*", "*", "*" };
	char *bad_range[] = { "*", "9000-8000", "*", "*" };
	char *lone_star[] = { "*" };
	char *mapped[] = { "::ffff:198.51.100.7", "*", "*", "*" };
	char *any_on_lo[] = { "*%lo", "*", "*", "*" };
	char *any_on_lo2[] = { "*%1:*", "[*%lo]:*" };
	char *any_on_none[] = { "*", "*", "*%no-such-device", "*" };
	char *any_on_nothing[] = { "*%", "*", "*", "*" };
	char *star_scope[] = { "*%l*", "*", "*", "*" };
	char *scoped_bad[] = { "2001:db8::zz%lo", "*", "*", "*" };
	char *bad_port[] = { "*", "70000", "*", "*" };
	struct operand_problem problem;

	CHECK(parse(&pattern, 2, any2, NULL) && pattern.local.prefix_count == 0 &&
	    pattern.local.port_low == 0 && pattern.local.port_high == 65535 &&
	    pattern.foreign.prefix_count == 0 && pattern.ifindex == 0, "'*' '*' is anything");
	pattern_free(&pattern);
	CHECK(parse(&pattern, 4, fail2ban, NULL) && pattern.local.prefix_count == 0 &&
	    pattern.foreign.prefix_count == 1 && pattern.foreign.prefixes[0].length == 32 &&
	    pattern.foreign.port_high == 65535, "a peer's address, any port");
	pattern_free(&pattern);
	CHECK(parse(&pattern, 2, bracketed, NULL) && pattern.local.prefix_count == 1 &&
	    pattern.local.prefixes[0].family == AF_INET6 && pattern.local.prefixes[0].length == 32 &&
	    pattern.local.port_low == 443 && pattern.local.port_high == 443,
	    "[prefix]:port");
	pattern_free(&pattern);
	CHECK(parse(&pattern, 2, dotted, NULL) && pattern.local.prefixes[0].length == 8 &&
	    pattern.local.port_low == 8000 && pattern.local.port_high == 8999,
	    "prefix.range, split at the last dot");
	pattern_free(&pattern);
	CHECK(parse(&pattern, 4, mapped, NULL) && pattern.local.prefixes[0].family == AF_INET &&
	    pattern.local.prefixes[0].length == 32, "an IPv4-mapped address is IPv4");
	pattern_free(&pattern);
	CHECK(parse(&pattern, 4, any_on_lo, NULL) && pattern.local.prefix_count == 0 &&
	    pattern.foreign.prefix_count == 0 && pattern.ifindex == 1,
	    "'*%lo': any address, on lo");
	pattern_free(&pattern);
	CHECK(parse(&pattern, 2, any_on_lo2, NULL) && pattern.local.prefix_count == 0 &&
	    pattern.local.port_high == 65535 && pattern.ifindex == 1,
	    "'*%1:*' and '[*%lo]:*': lo by index and by name, the same device");
	pattern_free(&pattern);
	CHECK(!parse(&pattern, 4, any_on_none, &kind) && kind == OPERAND_BAD_DEVICE,
	    "'*%' and a device that does not exist is refused");
	pattern_free(&pattern);
	CHECK(!parse(&pattern, 4, any_on_nothing, &kind) && kind == OPERAND_BAD_DEVICE,
	    "'*%' and no device is refused");
	pattern_free(&pattern);
	CHECK(!parse(&pattern, 4, star_scope, &kind) && kind == OPERAND_MISPLACED_STAR,
	    "'*' in a device's name is refused");
	pattern_free(&pattern);
	CHECK(!parse(&pattern, 4, star_inside, &kind) && kind == OPERAND_MISPLACED_STAR,
	    "'*' inside an address is refused");
	pattern_free(&pattern);
	CHECK(!parse(&pattern, 4, star_prefix, &kind) && kind == OPERAND_MISPLACED_STAR,
	    "'*' as a prefix's address is refused");
	pattern_free(&pattern);
	CHECK(!parse(&pattern, 4, bad_prefix, &kind) && kind == OPERAND_BAD_PREFIX,
	    "/33 is refused");
	pattern_free(&pattern);
	CHECK(!parse(&pattern, 4, bad_range, &kind) && kind == OPERAND_BAD_RANGE,
	    "9000-8000 is refused");
	pattern_free(&pattern);
	CHECK(!parse(&pattern, 1, lone_star, &kind) && kind == OPERAND_NOT_ENDPOINT,
	    "one operand is no pattern");
	pattern_free(&pattern);
	CHECK(!pattern_parse(scoped_bad, 4, &pattern, &problem) &&
	    problem.kind == OPERAND_BAD_HOST && strcmp(problem.text, "2001:db8::zz") == 0 &&
	    problem.pattern, "an IPv6 literal that does not parse is blamed without its scope");
	pattern_free(&pattern);
	CHECK(!pattern_parse(bad_port, 4, &pattern, &problem) &&
	    problem.kind == OPERAND_BAD_PORT && strcmp(problem.text, "70000") == 0 &&
	    problem.pattern, "a bad port, marked as a pattern's (whose ports may be ranges)");
	pattern_free(&pattern);
}

static struct prefix
prefix_of(const char *text)
{
	struct prefix prefix;

	if (!pattern_prefix(text, &prefix))
		abort();
	return prefix;
}

static void
test_match(void)
{
	struct prefix net = prefix_of("198.51.100.0/24"), v6 = prefix_of("2001:db8::/32");
	struct pattern peer = { .local = { NULL, 0, 0, 65535 },
		.foreign = { &net, 1, 0, 65535 } };
	struct pattern v6_port = { .local = { &v6, 1, 443, 443 },
		.foreign = { NULL, 0, 0, 65535 } };
	struct selection selection = { .states = TCP_CONNECTION_STATES, .pattern = &peer };
	struct diag_extra extra = { .uid = 1000, .inode = 42, .has_cgroup = true, .cgroup = 7,
		.has_info = true, .last_data_sent_ms = 5000, .last_data_received_ms = 9000 };
	struct conn in = make(AF_INET, "10.0.0.1", 22, "198.51.100.7", 40000);
	struct conn out = make(AF_INET, "10.0.0.1", 22, "198.51.101.7", 40000);
	struct conn mapped = make(AF_INET6, "::ffff:10.0.0.1", 22, "::ffff:198.51.100.9", 1);
	struct conn https = make(AF_INET6, "2001:db8::1", 443, "2001:db9::2", 50000);
	struct conn listener = in;
	uint64_t cgroups[] = { 3, 7, 9 }, inodes[] = { 41, 43 };

	listener.state = TCP_STATE_LISTEN;
	CHECK(select_match(&selection, &in, &extra), "a peer in the prefix matches");
	CHECK(!select_match(&selection, &out, &extra), "a peer outside it does not");
	CHECK(select_match(&selection, &mapped, &extra), "an IPv4-mapped peer in it matches");
	CHECK(!select_match(&selection, &listener, &extra), "a listener never matches");
	selection.pattern = &v6_port;
	CHECK(select_match(&selection, &https, &extra), "an IPv6 prefix and a port match");
	https.local_port = 444;
	CHECK(!select_match(&selection, &https, &extra), "another port does not");
	selection.pattern = NULL;

	selection.family = AF_INET;
	CHECK(select_match(&selection, &mapped, &extra) && !select_match(&selection, &https, &extra),
	    "-4: IPv4, v4-mapped included");
	selection.family = AF_INET6;
	CHECK(!select_match(&selection, &mapped, &extra) && select_match(&selection, &https, &extra),
	    "-6: IPv6, v4-mapped excluded");
	selection.family = AF_UNSPEC;

	selection.states = TCP_STATE_BIT(TCP_STATE_TIME_WAIT);
	CHECK(!select_match(&selection, &in, &extra), "-s: another state does not match");
	selection.states = TCP_CONNECTION_STATES;

	selection.by_user = true;
	selection.uid = 1000;
	CHECK(select_match(&selection, &in, &extra), "-u: the owner matches");
	selection.uid = 1001;
	CHECK(!select_match(&selection, &in, &extra), "-u: another user does not");
	selection.uid = 0;
	extra.uid = 0;
	extra.inode = 0;
	CHECK(!select_match(&selection, &in, &extra), "-u: a socket no process holds has no owner");
	selection.by_user = false;
	extra.inode = 42;

	selection.inodes = inodes;
	selection.inode_count = 2;
	CHECK(!select_match(&selection, &in, &extra), "-p: a socket the process does not hold");
	extra.inode = 43;
	CHECK(select_match(&selection, &in, &extra), "-p: a socket it holds");
	selection.inode_count = 0;
	CHECK(!select_match(&selection, &in, &extra), "-p: a process without sockets selects none");
	selection.inodes = NULL;

	selection.by_cgroup = true;
	selection.cgroups = cgroups;
	selection.cgroup_count = 3;
	CHECK(select_match(&selection, &in, &extra), "-c: a socket of the cgroup tree");
	extra.cgroup = 8;
	CHECK(!select_match(&selection, &in, &extra), "-c: a socket of another cgroup");
	selection.cgroups = NULL;
	selection.cgroup_count = 0;
	CHECK(select_match(&selection, &in, &extra),
	    "-c /: a socket of any cgroup, one removed since included");
	extra.has_cgroup = false;
	extra.cgroup = 7;
	CHECK(!select_match(&selection, &in, &extra), "-c /: a socket without a cgroup");
	selection.cgroups = cgroups;
	selection.cgroup_count = 3;
	CHECK(!select_match(&selection, &in, &extra), "-c: a socket without a cgroup");
	selection.by_cgroup = false;
	selection.cgroups = NULL;
	extra.has_cgroup = true;

	selection.by_idle = true;
	selection.idle_ms = 5000;
	CHECK(select_match(&selection, &in, &extra), "-I: idle both ways long enough");
	selection.idle_ms = 5001;
	CHECK(!select_match(&selection, &in, &extra), "-I: data sent more recently");
	extra.last_data_sent_ms = 9000;
	extra.last_data_received_ms = 10;
	selection.idle_ms = 5000;
	CHECK(!select_match(&selection, &in, &extra), "-I: data received more recently");
	extra.last_data_received_ms = 9000;
	in.state = TCP_STATE_SYN_SENT;
	CHECK(!select_match(&selection, &in, &extra), "-I: no idle clock before the handshake");
	in.state = TCP_STATE_ESTABLISHED;
	extra.has_info = false;
	CHECK(!select_match(&selection, &in, &extra), "-I: no tcp_info, not idle");
}

/* A socket as the kernel's bytecode sees it (struct inet_diag_entry). */
struct entry {
	const struct conn *conn;
	uint64_t cgroup;
};

/* bitstring_match(): the first `bits` bits of two addresses agree. */
static bool
bits_match(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	for (unsigned i = 0; i < bits; i++)
		if (((a[i / 8] ^ b[i / 8]) >> (7 - i % 8)) & 1)
			return false;
	return true;
}

/* inet_diag_bc_audit(): every op well formed, every jump lands on an op or just past the end. */
static bool
audit(const uint8_t *code, int length)
{
	int left = length;
	const uint8_t *at = code;

	while (left > 0) {
		struct inet_diag_bc_op op;
		int least = sizeof(op);

		memcpy(&op, at, sizeof(op));
		switch (op.code) {
		case INET_DIAG_BC_S_COND:
		case INET_DIAG_BC_D_COND: {
			struct inet_diag_hostcond cond;

			least += sizeof(cond);
			if (left < least)
				return false;
			memcpy(&cond, at + sizeof(op), sizeof(cond));
			least += cond.family == AF_INET ? 4 : cond.family == AF_INET6 ? 16 : 0;
			if (left < least || cond.prefix_len > (cond.family == AF_INET ? 32 : 128))
				return false;
			break;
		}
		case INET_DIAG_BC_DEV_COND:
			least += 4;
			break;
		case INET_DIAG_BC_S_GE:
		case INET_DIAG_BC_S_LE:
		case INET_DIAG_BC_D_GE:
		case INET_DIAG_BC_D_LE:
			least += sizeof(op);
			break;
		case INET_DIAG_BC_CGROUP_COND:
			least += 8;
			break;
		case INET_DIAG_BC_JMP:
			break;
		default:
			return false;
		}
		if (left < least || op.no < least || op.no > left + 4 || (op.no & 3))
			return false;
		/* A "no" inside the code must land where the chain of "yes" jumps passes. */
		if (op.no < left) {
			int target = left - op.no, walk = length;
			const uint8_t *step = code;

			while (walk > target) {
				struct inet_diag_bc_op stepped;

				memcpy(&stepped, step, sizeof(stepped));
				if (stepped.yes < 4 || (stepped.yes & 3))
					return false;
				walk -= stepped.yes;
				step += stepped.yes;
			}
			if (walk != target)
				return false;
		}
		if (op.yes < least || op.yes > left + 4 || (op.yes & 3))
			return false;
		at += op.yes;
		left -= op.yes;
	}
	return left == 0;
}

/* inet_diag_bc_run(). */
static bool
run(const uint8_t *code, int length, const struct entry *entry)
{
	const struct conn *conn = entry->conn;
	int left = length;

	while (left > 0) {
		struct inet_diag_bc_op op, operand;
		bool yes = true;

		memcpy(&op, code, sizeof(op));
		memcpy(&operand, code + sizeof(op), sizeof(operand));
		switch (op.code) {
		case INET_DIAG_BC_JMP:
			yes = false;
			break;
		case INET_DIAG_BC_S_GE:
			yes = conn->local_port >= operand.no;
			break;
		case INET_DIAG_BC_S_LE:
			yes = conn->local_port <= operand.no;
			break;
		case INET_DIAG_BC_D_GE:
			yes = conn->foreign_port >= operand.no;
			break;
		case INET_DIAG_BC_D_LE:
			yes = conn->foreign_port <= operand.no;
			break;
		case INET_DIAG_BC_S_COND:
		case INET_DIAG_BC_D_COND: {
			struct inet_diag_hostcond cond;
			const uint8_t *address = op.code == INET_DIAG_BC_S_COND ? conn->local :
			    conn->foreign;
			const uint8_t *want = code + sizeof(op) + sizeof(cond);

			memcpy(&cond, code + sizeof(op), sizeof(cond));
			if (cond.port != -1 && cond.port != (op.code == INET_DIAG_BC_S_COND ?
			    conn->local_port : conn->foreign_port)) {
				yes = false;
			} else if (cond.family != AF_UNSPEC && cond.family != conn->family) {
				yes = conn->family == AF_INET6 && cond.family == AF_INET &&
				    IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)address) &&
				    bits_match(address + 12, want, cond.prefix_len);
			} else {
				yes = cond.prefix_len == 0 || bits_match(address, want, cond.prefix_len);
			}
			break;
		}
		case INET_DIAG_BC_DEV_COND: {
			uint32_t ifindex;

			memcpy(&ifindex, code + sizeof(op), sizeof(ifindex));
			yes = ifindex == conn->ifindex;
			break;
		}
		case INET_DIAG_BC_CGROUP_COND: {
			uint64_t cgroup;

			memcpy(&cgroup, code + sizeof(op), sizeof(cgroup));
			yes = cgroup == entry->cgroup;
			break;
		}
		}
		left -= yes ? op.yes : op.no;
		code += yes ? op.yes : op.no;
	}
	return left == 0;
}

/* Connections of every kind the selections below tell apart. */
static size_t
grid(struct conn *conns)
{
	static const char *v4[] = { "198.51.100.7", "198.51.101.7", "10.0.0.1", "127.0.0.1" };
	static const char *v6[] = { "2001:db8::1", "2001:db9::1", "fe80::1", "::1" };
	static const uint16_t ports[] = { 0, 22, 443, 7999, 8000, 8500, 8999, 9000, 65535 };
	size_t count = 0;

	for (size_t a = 0; a < 4; a++) {
		for (size_t p = 0; p < sizeof(ports) / sizeof(ports[0]); p++) {
			char mapped[64];
			uint16_t other = ports[(p + 3) % (sizeof(ports) / sizeof(ports[0]))];

			conns[count++] = make(AF_INET, v4[a], ports[p], v4[(a + 1) % 4], other);
			conns[count++] = make(AF_INET, v4[(a + 2) % 4], other, v4[a], ports[p]);
			conns[count++] = make(AF_INET6, v6[a], ports[p], v6[(a + 1) % 4], other);
			conns[count++] = make(AF_INET6, v6[(a + 3) % 4], other, v6[a], ports[p]);
			snprintf(mapped, sizeof(mapped), "::ffff:%s", v4[a]);
			conns[count] = make(AF_INET6, mapped, ports[p], "::ffff:10.9.9.9", other);
			conns[count++].ifindex = (uint32_t)(p % 3);
		}
	}
	return count;
}

static void
check_compiled(const char *name, const struct selection *selection, bool exact)
{
	struct conn conns[256];
	size_t count = grid(conns);
	struct diag_bytecode code;
	bool agrees = true, audited, matched_any = false;
	char check[160];

	bytecode_compile(selection, true, &code);
	audited = code.length > 0 && audit(code.code, (int)code.length);
	snprintf(check, sizeof(check), "%s: the kernel's audit takes the bytecode", name);
	CHECK(audited, check);
	for (size_t i = 0; i < count && audited; i++) {
		for (uint64_t cgroup = 6; cgroup <= 8; cgroup++) {
			struct diag_extra extra = { .has_cgroup = true, .cgroup = cgroup };
			struct entry entry = { &conns[i], cgroup };
			bool wanted = select_match(selection, &conns[i], &extra);
			bool kept = run(code.code, (int)code.length, &entry);

			matched_any |= wanted;
			/* The kernel may return more than is wanted, never less. */
			if ((wanted && !kept) || (exact && wanted != kept))
				agrees = false;
		}
	}
	snprintf(check, sizeof(check), "%s: the kernel keeps what the selection holds%s", name,
	    exact ? ", and only that" : "");
	CHECK(agrees && matched_any, check);
	bytecode_free(&code);
}

static void
test_bytecode(void)
{
	struct prefix nets[] = { prefix_of("198.51.100.0/24"), prefix_of("2001:db8::/32"),
		prefix_of("127.0.0.1/32") };
	struct pattern foreign = { .local = { NULL, 0, 0, 65535 }, .foreign = { nets, 1, 0, 65535 } };
	struct pattern local_range = { .local = { NULL, 0, 8000, 8999 },
		.foreign = { NULL, 0, 0, 65535 } };
	struct pattern names = { .local = { nets, 3, 22, 65535 }, .foreign = { NULL, 0, 0, 8999 } };
	struct pattern device = { .local = { NULL, 0, 0, 65535 }, .foreign = { NULL, 0, 0, 65535 },
		.ifindex = 2 };
	uint64_t cgroups[] = { 6, 8 };
	struct selection selection = { .states = TCP_CONNECTION_STATES, .pattern = &foreign };
	struct diag_bytecode code;

	check_compiled("a foreign prefix", &selection, true);
	selection.pattern = &local_range;
	check_compiled("a local port range", &selection, true);
	selection.pattern = &names;
	check_compiled("three prefixes of two families, and ports", &selection, true);
	selection.pattern = &device;
	check_compiled("a device", &selection, true);
	selection.pattern = &names;
	selection.family = AF_INET;
	check_compiled("-4 and a pattern", &selection, true);
	selection.family = AF_INET6;
	selection.pattern = NULL;
	check_compiled("-6 (v4-mapped left to user space)", &selection, false);
	selection.family = AF_UNSPEC;
	selection.by_cgroup = true;
	selection.cgroups = cgroups;
	selection.cgroup_count = 2;
	selection.pattern = &local_range;
	check_compiled("cgroups and a range", &selection, true);

	bytecode_compile(&selection, false, &code);
	CHECK(code.length > 0 && audit(code.code, (int)code.length),
	    "without cgroups, for older kernels");
	bytecode_free(&code);
	selection.pattern = NULL;
	bytecode_compile(&selection, false, &code);
	CHECK(code.length == 0, "nothing for the kernel to check: no bytecode");
	bytecode_free(&code);
}

int
main(void)
{
	test_ports();
	test_prefixes();
	test_in_operands();
	test_parse();
	test_match();
	test_bytecode();
	return unit_done();
}
