/*
 * A selection compiled to the kernel's inet_diag bytecode, so that the
 * kernel returns only the sockets that may match: address prefixes, port
 * ranges, the device, the family and cgroups.  What bytecode cannot say
 * (states aside, which the request carries) is left to select_match().
 */
#ifndef TCPDROP_BYTECODE_H
#define TCPDROP_BYTECODE_H

#include <stdbool.h>

#include "diag.h"
#include "select.h"

/*
 * Compile what the kernel can check of the selection: with_cgroups
 * includes -c's cgroups, which kernels before 5.9 do not know.  Sets
 * *bytecode (malloc'd code, or length 0 if there is nothing to check or
 * too much to say).
 */
void bytecode_compile(const struct selection *selection, bool with_cgroups,
    struct diag_bytecode *bytecode);

void bytecode_free(struct diag_bytecode *bytecode);

#endif
