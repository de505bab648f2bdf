/*
 * inet_diag bytecode: a list of conditions, each an op that says how far
 * to jump when it holds ("yes") and when it does not ("no").  Running off
 * the end accepts a socket; jumping past it rejects.  The kernel's audit
 * (inet_diag_bc_audit) wants every "no" to land on an op reached by
 * following "yes" jumps from the start, so every "yes" steps to the next
 * op, and an OR of alternatives is [A] JMP [B] JMP [C]: a condition of A
 * that fails jumps to B, and the JMP after A, reached when A held, jumps
 * to the end of the group.
 */
#include "bytecode.h"
#include "alloc.h"
#include "pattern.h"

#include <linux/inet_diag.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

/* The most cgroups said in bytecode; a larger tree is checked in user space alone. */
enum { CGROUPS_MOST = 1024 };

struct program {
	uint8_t *code;
	size_t length;
	size_t capacity;
	size_t *rejects;	/* conditions whose "no" rejects the socket */
	size_t reject_count;
	size_t *pending;	/* conditions of the current alternative, to jump to the next */
	size_t pending_count;
	size_t *jumps;		/* JMPs of the current group, to jump to its end */
	size_t jump_count;
};

static void
push_offset(size_t **list, size_t *count, size_t offset)
{
	*list = xreallocarray(*list, *count + 1, sizeof(**list));
	(*list)[(*count)++] = offset;
}

/* Append an op and what follows it; its "no" is set when the alternative or program ends. */
static void
emit(struct program *program, uint8_t code, const void *operand, size_t operand_size)
{
	size_t size = sizeof(struct inet_diag_bc_op) + operand_size;
	struct inet_diag_bc_op op = { .code = code, .yes = (uint8_t)size };

	if (program->length + size > program->capacity) {
		program->capacity = program->capacity ? 2 * program->capacity : 256;
		program->code = xreallocarray(program->code, program->capacity, 1);
	}
	memcpy(program->code + program->length, &op, sizeof(op));
	if (operand_size > 0)
		memcpy(program->code + program->length + sizeof(op), operand, operand_size);
	if (code != INET_DIAG_BC_JMP)
		push_offset(&program->pending, &program->pending_count, program->length);
	program->length += size;
}

static void
set_no(struct program *program, size_t offset, size_t target)
{
	struct inet_diag_bc_op op;

	memcpy(&op, program->code + offset, sizeof(op));
	op.no = (uint16_t)(target - offset);
	memcpy(program->code + offset, &op, sizeof(op));
}

/* The alternative just emitted is not the group's last: its failures go on to the next. */
static void
next_alternative(struct program *program)
{
	size_t jump = program->length;

	emit(program, INET_DIAG_BC_JMP, NULL, 0);
	push_offset(&program->jumps, &program->jump_count, jump);
	for (size_t i = 0; i < program->pending_count; i++)
		set_no(program, program->pending[i], program->length);
	program->pending_count = 0;
}

/* The group's last alternative: its failures reject, and the JMPs before it land here. */
static void
end_group(struct program *program)
{
	for (size_t i = 0; i < program->pending_count; i++)
		push_offset(&program->rejects, &program->reject_count, program->pending[i]);
	program->pending_count = 0;
	for (size_t i = 0; i < program->jump_count; i++)
		set_no(program, program->jumps[i], program->length);
	program->jump_count = 0;
}

static void
emit_host(struct program *program, uint8_t code, int family, const uint8_t *address,
    unsigned length)
{
	struct {
		struct inet_diag_hostcond cond;
		uint8_t address[16];
	} operand = { .cond = { .family = (uint8_t)family, .prefix_len = (uint8_t)length,
		.port = -1 } };
	size_t bytes = family == AF_INET ? 4 : 16;

	memcpy(operand.address, address, bytes);
	emit(program, code, &operand, sizeof(operand.cond) + bytes);
}

static void
emit_prefixes(struct program *program, uint8_t code, const struct side *side)
{
	for (size_t i = 0; i < side->prefix_count; i++) {
		const struct prefix *prefix = &side->prefixes[i];

		emit_host(program, code, prefix->family, prefix->address, prefix->length);
		if (i + 1 < side->prefix_count)
			next_alternative(program);
	}
	end_group(program);
}

static void
emit_port(struct program *program, uint8_t code, uint16_t port)
{
	struct inet_diag_bc_op operand = { .no = port };

	emit(program, code, &operand, sizeof(operand));
	end_group(program);
}

static void
emit_side(struct program *program, const struct side *side, bool local)
{
	if (side->prefix_count > 0)
		emit_prefixes(program, local ? INET_DIAG_BC_S_COND : INET_DIAG_BC_D_COND, side);
	if (side->port_low > 0)
		emit_port(program, local ? INET_DIAG_BC_S_GE : INET_DIAG_BC_D_GE, side->port_low);
	if (side->port_high < 65535)
		emit_port(program, local ? INET_DIAG_BC_S_LE : INET_DIAG_BC_D_LE, side->port_high);
}

static void
emit_cgroups(struct program *program, const uint64_t *cgroups, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		emit(program, INET_DIAG_BC_CGROUP_COND, &cgroups[i], sizeof(cgroups[i]));
		if (i + 1 < count)
			next_alternative(program);
	}
	end_group(program);
}

void
bytecode_compile(const struct selection *selection, bool with_cgroups,
    struct diag_bytecode *bytecode)
{
	static const uint8_t any[16];
	struct program program = { 0 };

	bytecode->code = NULL;
	bytecode->length = 0;
	/* An IPv4 condition holds for IPv4-mapped addresses too, as -4 means. */
	if (selection->family != AF_UNSPEC) {
		emit_host(&program, INET_DIAG_BC_S_COND, selection->family, any, 0);
		end_group(&program);
	}
	if (selection->pattern != NULL) {
		emit_side(&program, &selection->pattern->local, true);
		emit_side(&program, &selection->pattern->foreign, false);
		if (selection->pattern->ifindex != 0) {
			emit(&program, INET_DIAG_BC_DEV_COND, &selection->pattern->ifindex,
			    sizeof(selection->pattern->ifindex));
			end_group(&program);
		}
	}
	if (with_cgroups && selection->cgroups != NULL && selection->cgroup_count > 0 &&
	    selection->cgroup_count <= CGROUPS_MOST)
		emit_cgroups(&program, selection->cgroups, selection->cgroup_count);
	/* A jump is 16 bits; the attribute that carries the code, a little less. */
	if (program.length > 0 && program.length <= UINT16_MAX - 64) {
		for (size_t i = 0; i < program.reject_count; i++)
			set_no(&program, program.rejects[i], program.length + 4);
		bytecode->code = program.code;
		bytecode->length = program.length;
		program.code = NULL;
	}
	free(program.code);
	free(program.rejects);
	free(program.pending);
	free(program.jumps);
}

void
bytecode_free(struct diag_bytecode *bytecode)
{
	free((void *)bytecode->code);
	bytecode->code = NULL;
	bytecode->length = 0;
}
