/* What the libFuzzer harnesses share. */
#ifndef TCPDROP_FUZZ_H
#define TCPDROP_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort with a message naming the broken promise, so that libFuzzer keeps the input. */
#define REQUIRE(condition)                                                           \
	do {                                                                         \
		if (!(condition)) {                                                  \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,    \
			    __LINE__, #condition);                                       \
			abort();                                                     \
		}                                                                    \
	} while (0)

#endif
